/*
 * test_calendar.c - day numbers, Easter, the Dutch public holidays and
 * working days (calendar.h), checked against dates from the published
 * calendars.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "testutil.h"


static void
assert_date(int64_t d, const char *want)
{
	int y, m, md;
	char got[16];

	calendar_date(d, &y, &m, &md);
	snprintf(got, sizeof(got), "%04d-%02d-%02d", y, m, md);
	assert_string_equal(got, want);
}

/* Every day from 1900 to 2100 goes to its date and back; weekdays run on. */
static void
test_days_round_trip(void **state)
{
	int64_t d, from = calendar_day(1900, 1, 1), to = calendar_day(2100, 12, 31);
	int y, m, md, prev_wd = calendar_weekday(from - 1);

	(void)state;
	assert_int_equal(calendar_day(1970, 1, 1), 0);
	assert_int_equal(calendar_weekday(test_day("2026-12-07")), 0);	/* Monday */
	assert_int_equal(calendar_weekday(test_day("1900-01-01")), 0);
	assert_int_equal(calendar_weekday(test_day("2000-02-29")), 1);	/* Tuesday */
	for (d = from; d <= to; d++) {
		calendar_date(d, &y, &m, &md);
		assert_int_equal(calendar_day(y, m, md), d);
		assert_int_equal(calendar_weekday(d), (prev_wd + 1) % 7);
		prev_wd = calendar_weekday(d);
	}
}

static void
test_parse(void **state)
{
	int64_t d;

	(void)state;
	assert_int_equal(calendar_parse("2024-02-29", &d), 0);
	assert_int_equal(calendar_parse("2025-02-29", &d), -1);
	assert_int_equal(calendar_parse("2026-02-30", &d), -1);
	assert_int_equal(calendar_parse("2026-13-01", &d), -1);
	assert_int_equal(calendar_parse("2026-1-01", &d), -1);
	assert_int_equal(calendar_parse("2026-01-01x", &d), -1);
	assert_int_equal(calendar_parse("", &d), -1);
	assert_int_equal(calendar_parse(NULL, &d), -1);
}

static void
test_easter(void **state)
{
	static const char *const easters[] = {
		"1961-04-02", "2000-04-23", "2008-03-23", "2011-04-24",
		"2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05",
		"2027-03-28", "2028-04-16", "2038-04-25", "2285-03-22",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(easters) / sizeof(easters[0]); i++) {
		int y = (int)strtol(easters[i], NULL, 10);

		assert_date(calendar_easter(y), easters[i]);
	}
}

static void
test_holidays(void **state)
{
	struct calendar c;

	(void)state;
	calendar_init(&c);
	assert_string_equal(calendar_holiday(&c, test_day("2026-01-01")),
	                    "holiday.new_year");
	assert_string_equal(calendar_holiday(&c, test_day("2026-04-06")),
	                    "holiday.easter_monday");
	assert_string_equal(calendar_holiday(&c, test_day("2026-04-27")),
	                    "holiday.kings_day");
	/* 27 April 2025 was a Sunday: King's Day was on the 26th. */
	assert_string_equal(calendar_holiday(&c, test_day("2025-04-26")),
	                    "holiday.kings_day");
	assert_null(calendar_holiday(&c, test_day("2025-04-27")));
	assert_null(calendar_holiday(&c, test_day("2026-04-26")));
	assert_string_equal(calendar_holiday(&c, test_day("2026-05-14")),
	                    "holiday.ascension");
	assert_string_equal(calendar_holiday(&c, test_day("2026-05-25")),
	                    "holiday.whit_monday");
	assert_string_equal(calendar_holiday(&c, test_day("2026-12-25")),
	                    "holiday.christmas");
	assert_string_equal(calendar_holiday(&c, test_day("2026-12-26")),
	                    "holiday.boxing_day");
	/* Good Friday and Liberation Day only when the organisation says. */
	assert_null(calendar_holiday(&c, test_day("2026-04-03")));
	assert_null(calendar_holiday(&c, test_day("2026-05-05")));
	c.good_friday = 1;
	c.liberation_day = 1;
	assert_string_equal(calendar_holiday(&c, test_day("2026-04-03")),
	                    "holiday.good_friday");
	assert_string_equal(calendar_holiday(&c, test_day("2026-05-05")),
	                    "holiday.liberation_day");
	assert_null(calendar_holiday(&c, test_day("2026-12-07")));
}

static void
test_workdays(void **state)
{
	struct calendar c;
	int64_t friday = test_day("2026-12-18");
	int i;

	(void)state;
	calendar_init(&c);
	assert_true(calendar_is_workday(&c, test_day("2026-12-07")));
	assert_false(calendar_is_workday(&c, test_day("2026-12-12")));	/* Sat */
	assert_false(calendar_is_workday(&c, test_day("2026-12-13")));	/* Sun */
	assert_false(calendar_is_workday(&c, test_day("2026-12-25")));
	/* Mon 21, Tue 22, Wed 23, Thu 24, (Fri 25 Christmas), Mon 28. */
	assert_date(calendar_add_workdays(&c, friday, 5), "2026-12-28");
	assert_int_equal(calendar_workdays_between(&c, friday,
	                 test_day("2026-12-28")), 5);
	/* Ascension Thursday 2026 is skipped. */
	assert_date(calendar_add_workdays(&c, test_day("2026-05-13"), 1),
	            "2026-05-15");
	/* Closing days: kept sorted, once, and skipped. */
	assert_int_equal(calendar_close(&c, test_day("2026-12-31")), 0);
	assert_int_equal(calendar_close(&c, test_day("2026-12-24")), 0);
	assert_int_equal(calendar_close(&c, test_day("2026-12-24")), 0);
	assert_int_equal(c.nclosed, 2);
	assert_date(calendar_add_workdays(&c, friday, 5), "2026-12-29");
	assert_false(calendar_is_workday(&c, test_day("2026-12-31")));
	assert_int_equal(calendar_workdays_between(&c, test_day("2026-12-28"),
	                 test_day("2026-12-28")), 0);
	/* The list has a limit, and says so. */
	calendar_init(&c);
	for (i = 0; i < CALENDAR_CLOSED_MAX; i++)
		assert_int_equal(calendar_close(&c, test_day("2030-01-01") + i), 0);
	assert_int_equal(calendar_close(&c, test_day("2031-01-01")), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_round_trip),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_workdays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
