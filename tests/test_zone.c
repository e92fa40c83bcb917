/*
 * test_zone.c - the organisation's time zone (zone.h): which local day a
 * moment falls on and when a local day begins, in winter, in summer and
 * on the days the clocks change; unknown zones refused, by zone_set and
 * by the configuration check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "zone.h"
#include "testutil.h"

static time_t
at(const char *s)
{
	time_t t;

	assert_int_equal(clock_parse(s, &t), 0);
	return t;
}


static void
test_valid(void **state)
{
	(void)state;
	assert_true(zone_valid("Europe/Amsterdam"));
	assert_true(zone_valid("UTC"));
	assert_false(zone_valid("Mars/Olympus_Mons"));
	assert_false(zone_valid("../../etc/passwd"));
	assert_false(zone_valid("/etc/localtime"));
	assert_false(zone_valid("Europe/"));
	assert_false(zone_valid(""));
	assert_false(zone_valid(NULL));
	assert_int_equal(zone_set("Mars/Olympus_Mons"), -1);
	assert_string_equal(zone_name(), "UTC");
}

static void
test_amsterdam(void **state)
{
	(void)state;
	assert_int_equal(zone_set("Europe/Amsterdam"), 0);
	assert_string_equal(zone_name(), "Europe/Amsterdam");
	/* Winter, UTC+1: 23:30 UTC is already the next local day. */
	assert_int_equal(zone_day(at("2026-12-07T22:59:59Z")), test_day("2026-12-07"));
	assert_int_equal(zone_day(at("2026-12-07T23:00:00Z")), test_day("2026-12-08"));
	assert_int_equal(zone_day_start(test_day("2026-12-08")),
	                 at("2026-12-07T23:00:00Z"));
	/* Summer, UTC+2. */
	assert_int_equal(zone_day(at("2026-07-01T21:59:59Z")), test_day("2026-07-01"));
	assert_int_equal(zone_day(at("2026-07-01T22:00:00Z")), test_day("2026-07-02"));
	assert_int_equal(zone_day_start(test_day("2026-07-02")),
	                 at("2026-07-01T22:00:00Z"));
	/* 29 March 2026 has 23 hours, 25 October 2026 has 25. */
	assert_int_equal(zone_day_start(test_day("2026-03-30")) -
	                 zone_day_start(test_day("2026-03-29")), 23 * 3600);
	assert_int_equal(zone_day_start(test_day("2026-10-26")) -
	                 zone_day_start(test_day("2026-10-25")), 25 * 3600);
	{
		time_t t;

		assert_int_equal(zone_parse_day("2026-07-02", &t), 0);
		assert_int_equal(t, at("2026-07-01T22:00:00Z"));
		assert_int_equal(zone_parse_day("2026-02-30", &t), -1);
		assert_int_equal(zone_parse_day("2026-07-02T00:00:00Z", &t), -1);
	}
	assert_int_equal(zone_set("UTC"), 0);
	assert_int_equal(zone_day_start(test_day("2026-12-08")),
	                 at("2026-12-08T00:00:00Z"));
}

/* `meldpunt config check` names an unknown zone and refuses it. */
static void
test_config_refuses_unknown_zone(void **state)
{
	char *dir = test_tmpdir("zone");
	struct buf path = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	FILE *f;

	(void)state;
	buf_addf(&path, "%s/meldpunt.ini", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("[organisation]\ntimezone = Mars/Olympus_Mons\n", f);
	fclose(f);
	{
		const char *argv[] = { "config", "check", path.data, NULL };

		assert_int_not_equal(test_run(&out, &err, argv), 0);
	}
	assert_non_null(strstr(err.data ? err.data : "", "timezone"));
	assert_non_null(strstr(err.data, "time zone"));
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("[organisation]\ntimezone = Europe/Amsterdam\n", f);
	fclose(f);
	buf_reset(&out);
	buf_reset(&err);
	{
		const char *argv[] = { "config", "check", path.data, NULL };

		assert_int_equal(test_run(&out, &err, argv), 0);
	}
	buf_release(&path);
	buf_release(&out);
	buf_release(&err);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_amsterdam),
		cmocka_unit_test(test_config_refuses_unknown_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
