/*
 * stats_period.c - days and periods of the statistics (see stats.h,
 * stats_internal.h).
 *
 * The statistics count by the day: a report's day of receipt, a period's
 * first day and the day after its last, all as days since 1970-01-01 in
 * the proleptic Gregorian calendar, without time zones (stored dates are
 * days already, and a reporter's action has no finer time). Here: the
 * civil date arithmetic, the parsing of stored days and times, and the
 * period a request names (a year, quarter, month or custom range) with
 * the one before it that the figures compare with.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "stats_internal.h"

/* The civil date of a day number: calendar.h's, in the unsigned fields
 * the statistics use. */
void
stats_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int mm, dd;

	calendar_date(z, y, &mm, &dd);
	*m = (unsigned)mm;
	*d = (unsigned)dd;
}

static unsigned
month_days(int y, unsigned m)
{
	static const unsigned n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	                              30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Exactly n digits at s. */
int
stats_digits(const char *s, size_t n, unsigned *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* "YYYY-MM-DD" (and nothing after it when whole) to days. 0 or -1. */
int
stats_parse_day(const char *s, int whole, int64_t *days)
{
	unsigned y, m, d;

	if (!s || stats_digits(s, 4, &y) < 0 || s[4] != '-' ||
	    stats_digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
	    stats_digits(s + 8, 2, &d) < 0 || (whole && s[10] != '\0') ||
	    y < 1970 || m < 1 || m > 12 || d < 1 || d > month_days((int)y, m))
		return -1;
	*days = calendar_day((int)y, (int)m, (int)d);
	return 0;
}

void
stats_format_day(int64_t days, char out[STATS_DAY_LEN + 1])
{
	char full[40];
	unsigned m, d;
	size_t n;
	int y;

	stats_civil_from_days(days, &y, &m, &d);
	/*
	 * Made whole first, then cut to STATS_DAY_LEN as snprintf into out
	 * did: gcc -O3 cannot see that the year has four digits here
	 * (format-truncation).
	 */
	snprintf(full, sizeof(full), "%04d-%02u-%02u", y, m, d);
	n = strnlen(full, STATS_DAY_LEN);
	memcpy(out, full, n);
	out[n] = '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch. 0 or -1. */
int
stats_parse_at(const char *s, int64_t *out)
{
	unsigned h, mi, se;
	int64_t days;

	if (stats_parse_day(s, 0, &days) < 0 || s[10] != 'T' ||
	    stats_digits(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    stats_digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    stats_digits(s + 17, 2, &se) < 0 || s[19] != 'Z' || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	*out = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* The first day of the month months after (y, m). */
int64_t
stats_month_start(int y, unsigned m, int months)
{
	int idx = y * 12 + (int)m - 1 + months;

	return calendar_day(idx / 12, idx % 12 + 1, 1);
}

int
stats_period_parse(enum stats_kind kind, const char *value,
                   const char *custom_from, const char *custom_to,
                   struct stats_period *out)
{
	int64_t from, to, prev;
	unsigned y, m;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	switch (kind) {
	case STATS_YEAR:
		if (!value || strlen(value) != 4 || stats_digits(value, 4, &y) < 0 ||
		    y < 1970 || y > 9998)
			return -1;
		from = stats_month_start((int)y, 1, 0);
		to = stats_month_start((int)y, 1, 12);
		prev = stats_month_start((int)y, 1, -12);
		break;
	case STATS_QUARTER:
		if (!value || strlen(value) != 7 || stats_digits(value, 4, &y) < 0 ||
		    value[4] != '-' || value[5] != 'Q' || value[6] < '1' ||
		    value[6] > '4' || y < 1970 || y > 9998)
			return -1;
		m = (unsigned)(value[6] - '1') * 3 + 1;
		from = stats_month_start((int)y, m, 0);
		to = stats_month_start((int)y, m, 3);
		prev = stats_month_start((int)y, m, -3);
		break;
	case STATS_MONTH:
		if (!value || strlen(value) != 7 || stats_digits(value, 4, &y) < 0 ||
		    value[4] != '-' || stats_digits(value + 5, 2, &m) < 0 || m < 1 ||
		    m > 12 || y < 1970 || y > 9998)
			return -1;
		from = stats_month_start((int)y, m, 0);
		to = stats_month_start((int)y, m, 1);
		prev = stats_month_start((int)y, m, -1);
		break;
	case STATS_CUSTOM:
		/* Both days are included as typed; to is kept as the day after. */
		if (stats_parse_day(custom_from, 1, &from) < 0 ||
		    stats_parse_day(custom_to, 1, &to) < 0 || to < from ||
		    to - from + 1 > STATS_PERIOD_DAYS_MAX)
			return -1;
		to++;
		prev = from - (to - from);
		break;
	default:
		return -1;
	}
	if (prev < 0)
		prev = 0;
	stats_format_day(from, out->from);
	stats_format_day(to, out->to);
	stats_format_day(prev, out->prev_from);
	stats_format_day(from, out->prev_to);
	return 0;
}
