/*
 * log.h - one line per event on stderr, and the error convention.
 *
 * Functions in Meldpunt return 0 on success and -1 on failure. error()
 * logs its message and returns -1, so failing code reads
 *
 *	ret = error("cannot open %s: %s", path, strerror(errno));
 *	goto out;
 *
 * die() is for bugs and exhausted memory only; bad input never ends the
 * process. Lines look like
 *
 *	2026-11-29T07:44:58Z meldpunt[812] error: cannot open ...
 *
 * Nothing that identifies a reporter (address, user agent, content) is ever
 * passed to these functions; SECURITY.md promises it and a test checks it.
 */
#ifndef MELDPUNT_LOG_H
#define MELDPUNT_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/*
 * text into out (size bytes, NUL-terminated) with control characters and
 * backslashes written as \xNN, as every record's message is; cut before a
 * character that does not fit whole. Returns the length written. For
 * texts stored where a reader expects one line (audit rows).
 */
size_t log_escape(char *out, size_t size, const char *text);

/* Log at LOG_ERROR and return -1. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Log and abort: for bugs and out-of-memory only. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
