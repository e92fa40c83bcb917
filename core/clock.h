/*
 * clock.h - the current time, in one place.
 *
 * Deadlines, retention and audit timestamps all read the clock here, so
 * tests can move it (clock_set) instead of sleeping. Times are stored as UTC
 * text, "2026-11-29T07:44:58Z", which sorts like time.
 */
#ifndef MELDPUNT_CLOCK_H
#define MELDPUNT_CLOCK_H

#include <time.h>

#define CLOCK_TEXT_LEN 20	/* YYYY-MM-DDTHH:MM:SSZ */
#define CLOCK_DAY_LEN 10	/* YYYY-MM-DD */

/* Now, or the time set by clock_set. */
time_t clock_now(void);

/* Fix the clock at t (tests); 0 returns to the real clock. */
void clock_set(time_t t);

void clock_format(time_t t, char out[CLOCK_TEXT_LEN + 1]);
void clock_format_day(time_t t, char out[CLOCK_DAY_LEN + 1]);

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" to a time; 0 and *out, or -1. */
int clock_parse(const char *s, time_t *out);

/*
 * The zone a page shows times in. Which zone each page uses is for the
 * casework issue to decide; until then each keeps what it showed: the
 * case pages UTC, the reporter's page the server's local time.
 */
enum clock_zone {
	CLOCK_ZONE_UTC,		/* "DD-MM-YYYY HH:MM UTC" */
	CLOCK_ZONE_LOCAL,	/* "DD-MM-YYYY HH:MM", the organisation's (zone.h) */
};

#define CLOCK_SHOW_LEN 31

/*
 * The one way a page shows a stored time: "YYYY-MM-DDTHH:MM:SSZ" as day
 * first, as the forms ask for dates, in zone; a day "YYYY-MM-DD" as
 * "DD-MM-YYYY" (a day has no zone). Text that is neither is shown as it
 * is.
 */
void clock_show(const char *stored, enum clock_zone zone,
                char out[CLOCK_SHOW_LEN + 1]);

#endif
