/*
 * test_password.c - the list of common passwords (password.h) and the
 * policy that uses it (users_password_problem).
 */
#include <stdlib.h>
#include <string.h>

#include "password.h"
#include "schema.h"
#include "users.h"
#include "testutil.h"

/* Every line of the embedded list is found, in its case and in upper. */
static void
test_every_entry_found(void **state)
{
	const struct schema_file *f = schema_find("passwords/common.txt");
	struct buf line = BUF_INIT;
	const char *p;
	size_t n = 0, i;

	(void)state;
	assert_non_null(f);
	for (p = f->text; *p; p++) {
		if (*p != '\n') {
			buf_addch(&line, *p);
			continue;
		}
		assert_true(password_common(line.data));
		for (i = 0; i < line.len; i++)
			if (line.data[i] >= 'a' && line.data[i] <= 'z')
				line.data[i] = (char)(line.data[i] - 'a' + 'A');
		assert_true(password_common(line.data));
		buf_reset(&line);
		n++;
	}
	assert_int_equal(n, password_common_count());
	assert_true(n > 9000 && n <= 10000);
	buf_release(&line);
}

static void
test_common_and_not(void **state)
{
	(void)state;
	assert_true(password_common("password123"));
	assert_true(password_common("QwertyUiop"));
	assert_true(password_common("1234567890"));
	assert_false(password_common("paard-batterij-nietje-correct"));
	assert_false(password_common("password1234567890!x"));
	assert_false(password_common(""));
	/* Between two entries, and beyond both ends. */
	assert_false(password_common("!!!!!!!!!"));
	assert_false(password_common("~~~~~~~~~~"));
}

/* The policy refuses a common password even when it is long enough. */
static void
test_policy(void **state)
{
	(void)state;
	assert_string_equal(users_password_problem("vpt", "qwertyuiop", 8),
	                    "too_common");
	assert_string_equal(users_password_problem("vpt", "Password123", 8),
	                    "too_common");
	assert_null(users_password_problem("vpt", "paard-batterij-nietje", 12));
	/* The other checks still come first. */
	assert_string_equal(users_password_problem("vpt", "password", 12),
	                    "too_short");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_found),
		cmocka_unit_test(test_common_and_not),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
