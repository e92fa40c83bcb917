/*
 * clock.c - current time and its text form (see clock.h).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "zone.h"

static _Atomic time_t fixed;

time_t
clock_now(void)
{
	time_t t = atomic_load(&fixed);

	return t ? t : time(NULL);
}

void
clock_set(time_t t)
{
	atomic_store(&fixed, t);
}

void
clock_format(time_t t, char out[CLOCK_TEXT_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_TEXT_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
clock_format_day(time_t t, char out[CLOCK_DAY_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_DAY_LEN + 1, "%Y-%m-%d", &tm);
}

int
clock_parse(const char *s, time_t *out)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (!s)
		return -1;
	if (strlen(s) == CLOCK_DAY_LEN) {
		if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon,
		           &tm.tm_mday, &n) != 3 || n != CLOCK_DAY_LEN)
			return -1;
	} else if (strlen(s) == CLOCK_TEXT_LEN) {
		if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year,
		           &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		           &tm.tm_sec, &n) != 6 || n != CLOCK_TEXT_LEN)
			return -1;
	} else {
		return -1;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

void
clock_show(const char *stored, enum clock_style style,
           char out[CLOCK_SHOW_LEN + 1])
{
	static const char *const months[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	int day_only = stored && strlen(stored) == CLOCK_DAY_LEN;
	unsigned day, month, year, hour, minute;
	struct tm tm;
	time_t t;

	if (clock_parse(stored, &t) < 0)
		goto raw;
	if (day_only)
		gmtime_r(&t, &tm);
	else
		zone_local(t, &tm);	/* the organisation's zone (zone.h) */
	if (tm.tm_mon < 0 || tm.tm_mon > 11)
		goto raw;
	/* Bounded fields, so every format provably fits CLOCK_SHOW_LEN. */
	day = (unsigned)tm.tm_mday % 100u;
	month = (unsigned)tm.tm_mon + 1u;
	year = (unsigned)(tm.tm_year + 1900) % 10000u;
	hour = (unsigned)tm.tm_hour % 100u;
	minute = (unsigned)tm.tm_min % 100u;
	if (style == CLOCK_ENGLISH && day_only)
		snprintf(out, CLOCK_SHOW_LEN + 1, "%u %s %u", day,
		         months[tm.tm_mon], year);
	else if (style == CLOCK_ENGLISH)
		snprintf(out, CLOCK_SHOW_LEN + 1, "%u %s %u, %02u:%02u", day,
		         months[tm.tm_mon], year, hour, minute);
	else if (day_only)
		snprintf(out, CLOCK_SHOW_LEN + 1, "%02u-%02u-%04u", day, month,
		         year);
	else
		snprintf(out, CLOCK_SHOW_LEN + 1, "%02u-%02u-%04u %02u:%02u", day,
		         month, year, hour, minute);
	return;
raw:
	snprintf(out, CLOCK_SHOW_LEN + 1, "%s", stored ? stored : "");
}
