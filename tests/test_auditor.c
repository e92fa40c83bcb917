/*
 * test_auditor.c - the auditor reads the log (core/auditor.h): the read is
 * a row of its own and shows in the list it gives; anyone else is refused,
 * and the refusal is a row too, with nothing listed.
 */
#include <stdlib.h>
#include <string.h>

#include "auditor.h"
#include "install.h"
#include "testutil.h"
#include "users.h"

static void
test_read_and_refusal(void **state)
{
	struct audit_row rows[10];
	struct audit_check check;
	struct installation *inst;
	struct test_init ti;
	struct outcome o;
	struct actor auditor = { 2, "auditor1", ROLE_AUDITOR, NULL, 0 };
	struct actor admin = { 1, "admin", ROLE_ADMIN, NULL, 0 };
	char *dir = test_tmpdir("auditor");
	size_t n = 99;

	(void)state;
	test_init(dir, &ti);
	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(auditor_read(inst, &admin, 0, NULL, rows, 10, &n, &check,
	                              &o), VERDICT_REFUSED);
	assert_int_equal(n, 0);
	assert_non_null(o.key);
	assert_int_equal(auditor_read(inst, &auditor, 0, NULL, rows, 10, &n,
	                              &check, &o), VERDICT_DONE);
	assert_string_equal(check.problem, "");
	assert_true(n >= 2);
	/* Newest first: this read, then the refusal before it. */
	assert_string_equal(rows[0].actor, "auditor1");
	assert_string_equal(rows[0].action, "audit-read");
	assert_string_equal(rows[0].result, AUDIT_OK);
	assert_string_equal(rows[1].actor, "admin");
	assert_string_equal(rows[1].action, "audit-read");
	assert_string_equal(rows[1].result, AUDIT_REFUSED);
	assert_int_equal(install_close(inst), 0);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_and_refusal),
	};
	return cmocka_run_group_tests_name("auditor", tests, NULL, NULL);
}
