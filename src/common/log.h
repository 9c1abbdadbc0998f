/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_COMMON_LOG_H
#define IFS_COMMON_LOG_H

#include <stdbool.h>
#include "common/err.h"

enum log_level {
	LOG_LVL_ERROR,  /* the operator must act */
	LOG_LVL_WARN,
	LOG_LVL_INFO,   /* one line per SA up/down and per configuration load */
	LOG_LVL_DEBUG,
};

/* Where lines go: standard error (foreground) or syslog (daemon). */
void log_init(const char *ident, bool to_stderr, enum log_level max_level);
void log_set_level(enum log_level max_level);
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) IFS_PRINTF(2, 3);

/*
 * A context prefix carried by an object (a tunnel, an SA), so that every
 * line at info and above names what it is about.
 */
struct log_ctx {
	char prefix[96];
};

void log_ctx_set(struct log_ctx *ctx, const char *fmt, ...) IFS_PRINTF(2, 3);
void log_ctx_msg(const struct log_ctx *ctx, enum log_level level,
		 const char *fmt, ...) IFS_PRINTF(3, 4);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_enabled(LOG_LVL_DEBUG)) \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
