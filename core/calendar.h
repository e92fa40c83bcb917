/*
 * calendar.h - days, weekdays and the organisation's working days.
 *
 * Deadlines counted in working days (workflow.h) skip weekends, the Dutch
 * public holidays and the days the organisation is closed. The holidays
 * are computed per year: New Year's Day, Easter Monday, King's Day (27
 * April, or 26 April when the 27th is a Sunday), Ascension Day, Whit
 * Monday, Christmas Day and Boxing Day; Good Friday and Liberation Day (5
 * May) only when the organisation gives them ([calendar] settings), since
 * organisations differ; plus a list of extra closing days (a bridge day,
 * the days between Christmas and New Year).
 *
 * A day is a number: days since 1970-01-01 in the proleptic Gregorian
 * calendar, so arithmetic on days needs no struct tm and no time zone.
 * Which day a moment falls on is the zone's business (clock.h).
 */
#ifndef MELDPUNT_CALENDAR_H
#define MELDPUNT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* Extra closing days an organisation may list ([calendar] closed). */
#define CALENDAR_CLOSED_MAX 64

struct calendar {
	int good_friday;	/* 1: Good Friday is a day off */
	int liberation_day;	/* 1: 5 May is a day off every year */
	int64_t closed[CALENDAR_CLOSED_MAX];	/* extra closing days, sorted */
	size_t nclosed;
};

/* The calendar with no optional holidays and no closing days. */
void calendar_init(struct calendar *c);

/*
 * The organisation's calendar, which deadlines count working days by: a
 * copy of c (the configuration's [calendar]), made once at start before
 * threads run, as zone_set is. Until then it is calendar_init's.
 */
void calendar_use(const struct calendar *c);
const struct calendar *calendar_current(void);

/* The day number of a date (month 1-12, day 1-31; not checked). */
int64_t calendar_day(int year, int month, int mday);
/* The date of a day number. */
void calendar_date(int64_t day, int *year, int *month, int *mday);
/*
 * The day n calendar months (n >= 0) after day: the same day of the
 * month, or the month's last day when it has none (31 January + 1:
 * 28 or 29 February).
 */
int64_t calendar_add_months(int64_t day, int n);
/* 0 Monday ... 6 Sunday. */
int calendar_weekday(int64_t day);
/* Easter Sunday of year (Gregorian). */
int64_t calendar_easter(int year);

/*
 * "YYYY-MM-DD" to a day number, checking the date exists; 0 and *day, or
 * -1.
 */
int calendar_parse(const char *s, int64_t *day);

/*
 * Add a closing day (kept sorted, duplicates once). 0, or -1 when the
 * list is full.
 */
int calendar_close(struct calendar *c, int64_t day);

/*
 * The public holiday on day, as a message key ("holiday.kings_day", ...),
 * or NULL when it is none (closing days and weekends are not holidays).
 */
const char *calendar_holiday(const struct calendar *c, int64_t day);

/* 1 when day is a working day: a weekday, no holiday, not closed. */
int calendar_is_workday(const struct calendar *c, int64_t day);

/*
 * The n-th working day after day (n >= 1); day itself does not count,
 * whether or not it is a working day.
 */
int64_t calendar_add_workdays(const struct calendar *c, int64_t day, int n);

/* Working days in (from, to]: 0 when to <= from. */
int calendar_workdays_between(const struct calendar *c, int64_t from,
                              int64_t to);

#endif
