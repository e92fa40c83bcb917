/*
 * log.c - one-line log records on stderr (see log.h).
 *
 * Each record is formatted into one buffer and written with a single
 * write(2), so lines from several threads never interleave. Control
 * characters of the message (a newline, a carriage return, an escape) are
 * written as \xNN: a text someone typed (a user name at the login) must
 * not start a line of its own and so forge a record, such as the audit
 * checkpoints that the audit chain relies on (audit.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static enum log_level min_level = LOG_INFO;

static const char *const level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warning",
	[LOG_ERROR] = "error",
};

void
log_set_level(enum log_level level)
{
	min_level = level;
}

/*
 * Append msg to line (n bytes used of size) with its control characters
 * and backslashes escaped; stops before a character would not fit whole.
 * Returns the new length.
 */
static size_t
append_escaped(char *line, size_t n, size_t size, const char *msg)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			if (n + 4 > size)
				break;
			line[n++] = '\\';
			line[n++] = 'x';
			line[n++] = hex[*p >> 4];
			line[n++] = hex[*p & 0xf];
		} else {
			if (n + 1 > size)
				break;
			line[n++] = (char)*p;
		}
	}
	return n;
}

size_t
log_escape(char *out, size_t size, const char *text)
{
	size_t n;

	if (size == 0)
		return 0;
	n = append_escaped(out, 0, size - 1, text);
	out[n] = '\0';
	return n;
}

/* A printf format: clang checks its vsnprintf (-Wformat-nonliteral). */
static void log_v(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
log_v(enum log_level level, const char *fmt, va_list ap)
{
	char line[2048], msg[2048];
	struct tm tm;
	time_t now;
	size_t n;
	int r;

	if (level < min_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r = snprintf(line + n, sizeof(line) - n, " meldpunt[%ld] %s: ",
	             (long)getpid(), level_names[level]);
	if (r > 0)
		n += (size_t)r;
	if (n > sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	/* Overlong lines are cut; one byte stays for the newline. */
	n = append_escaped(line, n, sizeof(line) - 1, msg);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;	/* nowhere left to report it */
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(level, fmt, ap);
	va_end(ap);
}

int
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_ERROR, fmt, ap);
	va_end(ap);
	return -1;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_ERROR, fmt, ap);
	va_end(ap);
	abort();
}
