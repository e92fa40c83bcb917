/*
 * test_clock.c - the clock's text forms: formatting and parsing back
 * (core/clock.h), and a fixed clock for tests.
 */
#include <stdlib.h>

#include "testutil.h"
#include "clock.h"
#include "zone.h"

static void
test_parse(void **state)
{
	char text[CLOCK_TEXT_LEN + 1], day[CLOCK_DAY_LEN + 1];
	time_t t;

	(void)state;
	assert_int_equal(clock_parse("2026-11-29T07:44:58Z", &t), 0);
	assert_int_equal(t, 1795938298);
	clock_format(t, text);
	assert_string_equal(text, "2026-11-29T07:44:58Z");
	assert_int_equal(clock_parse("2026-11-29", &t), 0);
	assert_int_equal(t, 1795910400);	/* 00:00 UTC */
	clock_format_day(t, day);
	assert_string_equal(day, "2026-11-29");
	/* Anything else is refused, not read in part. */
	assert_int_equal(clock_parse(NULL, &t), -1);
	assert_int_equal(clock_parse("", &t), -1);
	assert_int_equal(clock_parse("2026-11-2", &t), -1);
	assert_int_equal(clock_parse("2026-11-29T07:44:58", &t), -1);
	assert_int_equal(clock_parse("2026-11-29 07:44:58Z", &t), -1);
	assert_int_equal(clock_parse("2026-11-29X", &t), -1);
	assert_int_equal(clock_parse("abcd-ef-gh", &t), -1);
}

static void
test_fixed(void **state)
{
	(void)state;
	clock_set(1795938298);
	assert_int_equal(clock_now(), 1795938298);
	clock_set(0);
	assert_true(clock_now() > 1795938298 - 86400 * 365 * 10);
}

/*
 * One way to show a time: in the organisation's zone (zone.h), for staff
 * and reporters alike, in the page's language (issue 17 point 1); UTC
 * stays for logs and exports.
 */
static void
test_show(void **state)
{
	char out[CLOCK_SHOW_LEN + 1];

	(void)state;
	/* Before zone_set: UTC, whatever the system's zone. */
	clock_show("2026-11-29T07:44:58Z", CLOCK_DUTCH, out);
	assert_string_equal(out, "29-11-2026 07:44");
	assert_int_equal(zone_set("Europe/Amsterdam"), 0);
	clock_show("2026-11-29T07:44:58Z", CLOCK_DUTCH, out);
	assert_string_equal(out, "29-11-2026 08:44");
	clock_show("2026-11-29T07:44:58Z", CLOCK_ENGLISH, out);
	assert_string_equal(out, "29 Nov 2026, 08:44");
	/* Summer time, and the day it moves the time into. */
	clock_show("2026-07-01T23:30:00Z", CLOCK_DUTCH, out);
	assert_string_equal(out, "02-07-2026 01:30");
	clock_show("2026-07-01T23:30:00Z", CLOCK_ENGLISH, out);
	assert_string_equal(out, "2 Jul 2026, 01:30");
	/* A day has no zone. */
	clock_show("2026-11-29", CLOCK_DUTCH, out);
	assert_string_equal(out, "29-11-2026");
	clock_show("2026-03-01", CLOCK_ENGLISH, out);
	assert_string_equal(out, "1 Mar 2026");
	assert_int_equal(zone_set("UTC"), 0);
	clock_show("2026-11-29T07:44:58Z", CLOCK_DUTCH, out);
	assert_string_equal(out, "29-11-2026 07:44");
	clock_show("gisteren", CLOCK_DUTCH, out);
	assert_string_equal(out, "gisteren");
	clock_show("", CLOCK_ENGLISH, out);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
