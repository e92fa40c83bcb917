/*
 * calendar.c - day numbers, Easter and the Dutch public holidays (see
 * calendar.h).
 *
 * Day numbers from dates and back follow Howard Hinnant's civil-calendar
 * algorithms (days_from_civil, civil_from_days): exact for every Gregorian
 * date, with eras of 400 years so negative years need no special case.
 * They are the program's only copy: the statistics count days with them
 * too (stats_period.c).
 * Easter is the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

void
calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof(*c));
}

static struct calendar current;

void
calendar_use(const struct calendar *c)
{
	current = *c;
}

const struct calendar *
calendar_current(void)
{
	return &current;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t
calendar_day(int year, int month, int mday)
{
	int64_t y = year - (month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;				/* [0, 399] */
	int64_t mp = (month + 9) % 12;				/* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + mday - 1;		/* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */

	return era * 146097 + doe - 719468;
}

int64_t
calendar_add_months(int64_t day, int n)
{
	int y, m, d, ny, nm;
	int64_t first, next;

	calendar_date(day, &y, &m, &d);
	m = m - 1 + n;
	y += m / 12;
	m = m % 12 + 1;
	ny = m == 12 ? y + 1 : y;
	nm = m == 12 ? 1 : m + 1;
	first = calendar_day(y, m, 1);
	next = calendar_day(ny, nm, 1);
	return d - 1 < next - first ? first + d - 1 : next - 1;
}

void
calendar_date(int64_t day, int *year, int *month, int *mday)
{
	int64_t z = day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

int
calendar_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int64_t
calendar_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int mday = (h + l - 7 * m + 114) % 31 + 1;

	return calendar_day(year, month, mday);
}

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
calendar_parse(const char *s, int64_t *day)
{
	int y, m, d, yy, mm, dd;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2))
		return -1;
	y = number(s, 4);
	m = number(s + 5, 2);
	d = number(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*day = calendar_day(y, m, d);
	/* 2026-02-30 comes back as another date: it does not exist. */
	calendar_date(*day, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d ? 0 : -1;
}

int
calendar_close(struct calendar *c, int64_t day)
{
	size_t i;

	for (i = 0; i < c->nclosed && c->closed[i] < day; i++)
		;
	if (i < c->nclosed && c->closed[i] == day)
		return 0;
	if (c->nclosed == CALENDAR_CLOSED_MAX)
		return -1;
	memmove(&c->closed[i + 1], &c->closed[i],
	        (c->nclosed - i) * sizeof(c->closed[0]));
	c->closed[i] = day;
	c->nclosed++;
	return 0;
}

const char *
calendar_holiday(const struct calendar *c, int64_t day)
{
	int y, m, d;
	int64_t easter;

	calendar_date(day, &y, &m, &d);
	if (m == 1 && d == 1)
		return "holiday.new_year";
	if (m == 12 && d == 25)
		return "holiday.christmas";
	if (m == 12 && d == 26)
		return "holiday.boxing_day";
	/* King's Day moves to the Saturday when the 27th is a Sunday. */
	if (m == 4 && ((d == 27 && calendar_weekday(day) != 6) ||
	               (d == 26 && calendar_weekday(day) == 5)))
		return "holiday.kings_day";
	if (c->liberation_day && m == 5 && d == 5)
		return "holiday.liberation_day";
	easter = calendar_easter(y);
	if (c->good_friday && day == easter - 2)
		return "holiday.good_friday";
	if (day == easter + 1)
		return "holiday.easter_monday";
	if (day == easter + 39)
		return "holiday.ascension";
	if (day == easter + 50)
		return "holiday.whit_monday";
	return NULL;
}

static int
closed(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->nclosed;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->closed[mid] == day)
			return 1;
		if (c->closed[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
calendar_is_workday(const struct calendar *c, int64_t day)
{
	return calendar_weekday(day) < 5 && !calendar_holiday(c, day) &&
	       !closed(c, day);
}

int64_t
calendar_add_workdays(const struct calendar *c, int64_t day, int n)
{
	while (n > 0) {
		day++;
		n -= calendar_is_workday(c, day);
	}
	return day;
}

int
calendar_workdays_between(const struct calendar *c, int64_t from, int64_t to)
{
	int n = 0;

	while (from < to)
		n += calendar_is_workday(c, ++from);
	return n;
}
