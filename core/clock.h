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
 * How a page writes a time for a person: in the organisation's zone
 * (zone.h), in the page's language. Storage stays UTC text.
 */
enum clock_style {
	CLOCK_DUTCH,	/* "07-12-2026 13:51", a day "07-12-2026" */
	CLOCK_ENGLISH,	/* "7 Dec 2026, 13:51", a day "7 Dec 2026" */
};

#define CLOCK_SHOW_LEN 31

/*
 * The one way a page shows a stored time: "YYYY-MM-DDTHH:MM:SSZ" in the
 * organisation's zone, summer time included; a day "YYYY-MM-DD" as that
 * day (a day has no zone). Text that is neither is shown as it is.
 */
void clock_show(const char *stored, enum clock_style style,
                char out[CLOCK_SHOW_LEN + 1]);

#endif
