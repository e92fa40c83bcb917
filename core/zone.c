/*
 * zone.c - the organisation's time zone (see zone.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "clock.h"
#include "zone.h"

static char current[ZONE_NAME_MAX + 1] = "UTC";
/* Until zone_set, UTC: not the system's /etc/localtime, whatever it is. */
static int zone_is_set;

/* Where tzdata lives: $TZDIR, as glibc reads it, else Debian's folder. */
static const char *
tzdir(void)
{
	const char *d = getenv("TZDIR");

	return d && *d ? d : "/usr/share/zoneinfo";
}

int
zone_valid(const char *name)
{
	struct buf path = BUF_INIT;
	const char *p;
	int ok;

	if (!name || !*name || strlen(name) > ZONE_NAME_MAX || name[0] == '/')
		return 0;
	/* Area/Location names only: no "..", nothing that escapes TZDIR. */
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_-+", *p)))
			return 0;
	if (strstr(name, "//") || name[strlen(name) - 1] == '/')
		return 0;
	buf_addf(&path, "%s/%s", tzdir(), name);
	ok = access(path.data, R_OK) == 0;
	buf_release(&path);
	return ok;
}

int
zone_set(const char *name)
{
	if (!zone_valid(name))
		return -1;
	if (setenv("TZ", name, 1) != 0)
		return -1;
	tzset();
	snprintf(current, sizeof(current), "%s", name);
	zone_is_set = 1;
	return 0;
}

const char *
zone_name(void)
{
	return current;
}

void
zone_local(time_t t, struct tm *out)
{
	if (zone_is_set)
		localtime_r(&t, out);
	else
		gmtime_r(&t, out);
}

int64_t
zone_day(time_t t)
{
	struct tm tm;

	zone_local(t, &tm);
	return calendar_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void
zone_day_text(time_t t, char out[11])
{
	struct tm tm;

	/* The UTC day of the moment shifted by the zone's offset then. */
	zone_local(t, &tm);
	clock_format_day(t + tm.tm_gmtoff, out);
}

time_t
zone_day_start(int64_t day)
{
	struct tm tm;
	int y, m, d;

	if (!zone_is_set)
		return (time_t)(day * 86400);
	calendar_date(day, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;	/* mktime finds whether summer time applies */
	return mktime(&tm);
}

int
zone_parse_day(const char *day, time_t *start)
{
	int64_t d;

	if (calendar_parse(day, &d) < 0)
		return -1;
	*start = zone_day_start(d);
	return 0;
}
