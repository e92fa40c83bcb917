/*
 * test_calendar.c - day numbers, Easter, the Dutch public holidays and
 * working days (calendar.h), checked against dates from the published
 * calendars.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
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

/* Load [calendar] text; 0 or -1, the problems in errors. */
static int
load(const char *text, struct config *c, struct buf *errors)
{
	char *dir = test_tmpdir("calendar");
	struct buf path = BUF_INIT;
	FILE *f;
	int ret;

	buf_addf(&path, "%s/meldpunt.ini", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	config_init(c);
	ret = config_load(c, path.data, errors);
	buf_release(&path);
	test_rmtree(dir);
	free(dir);
	return ret;
}

/* [calendar]: the optional holidays and the closing days reach the calendar. */
static void
test_config(void **state)
{
	struct buf errors = BUF_INIT, many = BUF_INIT;
	struct config c;
	int i;

	(void)state;
	config_init(&c);
	assert_false(c.calendar.good_friday);
	assert_false(c.calendar.liberation_day);
	assert_int_equal(c.calendar.nclosed, 0);
	config_release(&c);
	assert_int_equal(load("[calendar]\ngood_friday = yes\nliberation_day = yes\n"
	                      "closed = 2026-12-31, 2026-12-24 2027-05-07\n", &c,
	                      &errors), 0);
	assert_true(c.calendar.good_friday && c.calendar.liberation_day);
	assert_int_equal(c.calendar.nclosed, 3);
	assert_int_equal(c.calendar.closed[0], test_day("2026-12-24"));
	/* calendar_use makes it the one deadlines count by. */
	assert_true(calendar_is_workday(calendar_current(), test_day("2026-12-31")));
	calendar_use(&c.calendar);
	assert_false(calendar_is_workday(calendar_current(),
	                                 test_day("2026-12-31")));
	assert_false(calendar_is_workday(&c.calendar, test_day("2026-12-31")));
	assert_false(calendar_is_workday(&c.calendar, test_day("2026-04-03")));
	config_release(&c);
	assert_int_equal(load("[calendar]\nclosed = 2026-02-30\n", &c, &errors), -1);
	assert_non_null(strstr(errors.data, "[calendar] closed"));
	config_release(&c);
	buf_reset(&errors);
	assert_int_equal(load("[calendar]\nclosed = 24-12-2026\n", &c, &errors), -1);
	config_release(&c);
	/* Several lines add up; one day more than the limit is refused. */
	buf_adds(&many, "[calendar]\n");
	for (i = 0; i <= CALENDAR_CLOSED_MAX; i++)
		buf_addf(&many, "%s2030-%02d-%02d%s", i % 8 ? " " : "closed = ",
		         1 + i / 28, 1 + i % 28, i % 8 == 7 ? "\n" : "");
	buf_adds(&many, "\n");
	assert_int_equal(load("[calendar]\nclosed = 2030-01-01\n"
	                      "closed = 2030-01-02, 2030-01-01\n", &c, &errors), 0);
	assert_int_equal(c.calendar.nclosed, 2);
	config_release(&c);
	buf_reset(&errors);
	assert_int_equal(load(many.data, &c, &errors), -1);
	assert_non_null(strstr(errors.data, "more than 64 days"));
	config_release(&c);
	buf_release(&many);
	buf_release(&errors);
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
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
