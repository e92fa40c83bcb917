/*
 * test_num.c - num_parse and num_parse_n: what atoi took and they refuse
 * (trailing text, no digits, overflow, out of range), and the edges.
 */
#include <string.h>

#include "testutil.h"
#include "num.h"

static void
test_parse(void **state)
{
	long v = 7;

	(void)state;
	assert_int_equal(num_parse("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(num_parse("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(num_parse("0", 0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse("100", 0, 100, &v), 0);
	assert_int_equal(v, 100);
	v = 7;
	/* atoi would say 12, 0, 0 and whatever the overflow gives. */
	assert_int_equal(num_parse("12abc", 0, 100, &v), -1);
	assert_int_equal(num_parse("", 0, 100, &v), -1);
	assert_int_equal(num_parse("abc", 0, 100, &v), -1);
	/* Past the range of long: strtol says ERANGE. */
	assert_int_equal(num_parse("99999999999999999999999", -1000, 1000, &v),
	                 -1);
	assert_int_equal(num_parse("101", 0, 100, &v), -1);
	assert_int_equal(num_parse("-1", 0, 100, &v), -1);
	assert_int_equal(num_parse("1 ", 0, 100, &v), -1);
	assert_int_equal(num_parse(NULL, 0, 100, &v), -1);
	assert_int_equal(v, 7);
}

static void
test_parse_n(void **state)
{
	const char *day = "2026-12-07";
	long v = 7;

	(void)state;
	assert_int_equal(num_parse_n(day, 4, 0, 9999, &v), 0);
	assert_int_equal(v, 2026);
	assert_int_equal(num_parse_n(day + 5, 2, 1, 12, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(num_parse_n(day + 8, 2, 1, 31, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(num_parse_n(day, 5, 0, 99999, &v), -1);
	assert_int_equal(num_parse_n(day, 0, 0, 9999, &v), -1);
	assert_int_equal(num_parse_n("12\0" "3", 4, 0, 9999, &v), -1);
	assert_int_equal(num_parse_n(day, 40, 0, 9999, &v), -1);
	assert_int_equal(v, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_n),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
