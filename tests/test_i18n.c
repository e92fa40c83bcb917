/*
 * test_i18n.c - the message catalogues load with identical keys, long
 * texts continued on indented lines come back whole, placeholders fill,
 * and INI reading names the right line.
 */
#include <string.h>

#include "i18n.h"
#include "inifile.h"
#include "testutil.h"

static void
test_catalogues(void **state)
{
	enum lang l;

	(void)state;
	assert_int_equal(i18n_load(), 0);
	assert_true(i18n_has("status.not_found"));
	assert_false(i18n_has("status.no_such_key"));
	assert_string_equal(i18n_get(LANG_NL, "status.submit"), "Bekijken");
	assert_string_equal(i18n_get(LANG_EN, "status.submit"), "View");
	/* A text wrapped over several lines in the file is one text. */
	assert_non_null(strstr(i18n_get(LANG_NL, "signal.anonymous_does_not"),
	                        "bewaar de code goed."));
	assert_int_equal(i18n_parse("en", &l), 0);
	assert_int_equal(l, LANG_EN);
	assert_int_equal(i18n_parse("de", &l), -1);
	assert_string_equal(i18n_code(LANG_NL), "nl");
}

static void
test_fill(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	i18n_fill(&b, "ten hoogste {max} tekens, {files} bestanden {unknown}",
	          "max", "300", "files", "5", (const char *)NULL);
	assert_string_equal(b.data, "ten hoogste 300 tekens, 5 bestanden {unknown}");
	buf_reset(&b);
	i18n_fill(&b, "no placeholders", (const char *)NULL);
	assert_string_equal(b.data, "no placeholders");
	buf_reset(&b);
	i18n_fill(&b, "open { only", "x", "y", (const char *)NULL);
	assert_string_equal(b.data, "open { only");
	buf_release(&b);
}

struct seen {
	int lines[8];
	int n;
	int stop_at;
};

static int
record(void *user, const char *section, const char *name, const char *value,
       int line)
{
	struct seen *s = user;

	(void)section;
	(void)name;
	(void)value;
	if (s->n < 8)
		s->lines[s->n++] = line;
	return line != s->stop_at;
}

static void
test_inifile_lines(void **state)
{
	struct seen s = { { 0 }, 0, 0 };

	(void)state;
	assert_int_equal(inifile_parse("; comment\n[a]\nx = 1\n\ny = 2\n"
	                               "z = 3", record, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.lines[0], 3);
	assert_int_equal(s.lines[1], 5);
	assert_int_equal(s.lines[2], 6);	/* last line, no newline */
	/* The handler's refusal and a syntax error are named by line. */
	memset(&s, 0, sizeof(s));
	s.stop_at = 4;
	assert_int_equal(inifile_parse("[a]\nx = 1\n\ny = 2\nz = 3\n", record,
	                               &s), 4);
	memset(&s, 0, sizeof(s));
	assert_int_equal(inifile_parse("[a]\nx = 1\nthis is no key\n", record,
	                               &s), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogues),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_inifile_lines),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
