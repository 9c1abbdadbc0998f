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

/*
 * A tap that sees every line logged (at the levels enabled) on the
 * thread that set it, besides standard error or syslog: the control
 * socket's log stream. subject is the line's context without ": " (an
 * SA's "name[id]"), "" for a line without one. A line logged while the
 * tap runs is not passed to it again. NULL removes the tap.
 */
typedef void (*log_tap_fn)(void *arg, enum log_level level, const char *subject,
			   const char *msg);
void log_set_tap(log_tap_fn fn, void *arg);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_enabled(LOG_LVL_DEBUG)) \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
