/*
 * log.c - one-line log records on stderr (see log.h).
 *
 * Each record is formatted into one buffer and written with a single
 * write(2), so lines from several threads never interleave.
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

static void
log_v(enum log_level level, const char *fmt, va_list ap)
{
	char line[2048];
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
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (r > 0)
		n += (size_t)r;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;	/* cut overlong lines, keep the newline */
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
