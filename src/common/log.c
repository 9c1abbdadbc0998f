/* SPDX-License-Identifier: BSD-2-Clause */
#include "common/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static atomic_int max_level = LOG_LVL_INFO;
static bool use_stderr = true;
static const char *log_ident = "ifsec";
/* Set and read on the tap's own thread only. */
static log_tap_fn tap;
static void *tap_arg;
static _Thread_local bool is_tap_thread;
static _Thread_local bool is_in_tap;

static const char *const level_names[] = {
	[LOG_LVL_ERROR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_init(const char *ident, bool to_stderr, enum log_level level)
{
	use_stderr = to_stderr;
	log_ident = ident;
	atomic_store(&max_level, level);
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(enum log_level level)
{
	atomic_store(&max_level, level);
}

bool log_enabled(enum log_level level)
{
	return (int)level <= atomic_load_explicit(&max_level, memory_order_relaxed);
}

static int syslog_priority(enum log_level level)
{
	switch (level) {
	case LOG_LVL_ERROR: return LOG_ERR;
	case LOG_LVL_WARN: return LOG_WARNING;
	case LOG_LVL_INFO: return LOG_INFO;
	case LOG_LVL_DEBUG: return LOG_DEBUG;
	}
	return LOG_INFO;
}

/* Formats the whole line first so that one write() keeps lines whole
 * when several threads log at once. */
static void emit(enum log_level level, const char *prefix, const char *fmt,
		 va_list ap) IFS_PRINTF(3, 0);

void log_set_tap(log_tap_fn fn, void *arg)
{
	tap = fn;
	tap_arg = arg;
	is_tap_thread = fn != NULL;
}

/* The prefix without its ": " */
static void to_tap(enum log_level level, const char *prefix, const char *line)
{
	char subject[96];
	size_t n = strlen(prefix);

	if (n >= 2 && prefix[n - 2] == ':')
		n -= 2;
	snprintf(subject, sizeof(subject), "%.*s", (int)n, prefix);
	is_in_tap = true;
	tap(tap_arg, level, subject, line);
	is_in_tap = false;
}

static void emit(enum log_level level, const char *prefix, const char *fmt,
		 va_list ap)
{
	char line[1024];
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if (is_tap_thread && tap && !is_in_tap)
		to_tap(level, prefix, line);
	if (!use_stderr) {
		syslog(syslog_priority(level), "%s%s", prefix, line);
		return;
	}
	char out[1200];
	n = snprintf(out, sizeof(out), "%s[%d] %s: %s%s\n", log_ident,
		     (int)getpid(),
		     level_names[level], prefix, line);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(out)) {
		n = sizeof(out) - 1;
		out[n - 1] = '\n';
	}
	ssize_t unused = write(STDERR_FILENO, out, (size_t)n);
	(void)unused;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	emit(level, "", fmt, ap);
	va_end(ap);
}

void log_ctx_set(struct log_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(ctx->prefix, sizeof(ctx->prefix) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		ctx->prefix[0] = '\0';
	strcat(ctx->prefix, ": ");
}

void log_ctx_msg(const struct log_ctx *ctx, enum log_level level,
		 const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	emit(level, ctx ? ctx->prefix : "", fmt, ap);
	va_end(ap);
}
