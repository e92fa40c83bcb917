/*
 * zone.h - the organisation's time zone: which day a moment falls on, and
 * when a day begins.
 *
 * Storage stays UTC (clock.h). People read times, and deadlines count
 * days, in the organisation's zone ([organisation] timezone, an IANA name,
 * Europe/Amsterdam by default), summer time included: a report received
 * on 7 December is due at the end of a local day, not of a UTC one.
 *
 * The zone is the process's own (TZ, set once by zone_set before any
 * thread starts), so localtime_r and mktime, which glibc makes thread-safe
 * and which read the system's tzdata, do the work; before zone_set (unit
 * tests, tools) every answer is UTC's, never the system's local zone.
 * zone_set checks that
 * tzdata knows the name first: glibc quietly falls back to UTC for a name
 * it cannot find, which would move every deadline by an hour or two.
 */
#ifndef MELDPUNT_ZONE_H
#define MELDPUNT_ZONE_H

#include <stdint.h>
#include <time.h>

#define ZONE_DEFAULT "Europe/Amsterdam"
#define ZONE_NAME_MAX 64

/* 1 when name is a zone tzdata knows (e.g. "Europe/Amsterdam", "UTC"). */
int zone_valid(const char *name);

/*
 * Make name the process's zone. Call before threads start (it sets TZ).
 * 0, or -1 when the name is unknown (nothing changed).
 */
int zone_set(const char *name);

/* The zone set by zone_set ("UTC" before it). */
const char *zone_name(void);

/* The local day (calendar.h day number) that moment t falls on. */
int64_t zone_day(time_t t);

/* The local day of t as "YYYY-MM-DD" (today: zone_day_text(clock_now())). */
void zone_day_text(time_t t, char out[11]);

/* The moment local day begins (00:00 local time). */
time_t zone_day_start(int64_t day);

/*
 * The start of the local day "YYYY-MM-DD" (a stored day of receipt is a
 * local day). 0 and *start, or -1 when it is no date.
 */
int zone_parse_day(const char *day, time_t *start);

/* Local broken-down time of t (tm_gmtoff and tm_zone set). */
void zone_local(time_t t, struct tm *out);

#endif
