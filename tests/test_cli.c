/*
 * test_cli.c - the meldpunt command: help, version, init (once), errors
 * that say what to do, audit-verify.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int
setup(void **state)
{
	*state = test_tmpdir("cli");
	return 0;
}

static int
teardown(void **state)
{
	test_rmtree(*state);
	free(*state);
	return 0;
}

static void
test_help_and_version(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *help[] = { "--help", NULL };
	const char *version[] = { "--version", NULL };
	const char *none[] = { NULL };
	const char *bogus[] = { "frobnicate", NULL };

	(void)state;
	assert_int_equal(test_run(&out, &err, help), 0);
	assert_non_null(strstr(out.data, "init"));
	assert_non_null(strstr(out.data, "serve"));
	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, version), 0);
	assert_string_equal(out.data, "meldpunt " MELDPUNT_VERSION "\n");
	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, none), 2);
	assert_non_null(strstr(err.data, "--help"));
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, bogus), 2);
	assert_non_null(strstr(err.data, "unknown command 'frobnicate'"));
	buf_release(&out);
	buf_release(&err);
}

static void
test_init_once(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT, again = BUF_INIT;
	const char *dir = *state;
	const char *init[] = { "--data", dir, "init", "--admin", "beheerder", NULL };
	const char *verify[] = { "--data", dir, "audit-verify", NULL };

	assert_int_equal(test_run(&out, &err, init), 0);
	assert_non_null(strstr(out.data, "RECOVERY KEY"));
	assert_non_null(strstr(out.data, "beheerder"));
	assert_non_null(strstr(out.data, "One-time password"));

	/* A second init refuses, says why and what to do, changes nothing. */
	buf_reset(&err);
	assert_int_equal(test_run(&again, &err, init), 1);
	assert_non_null(strstr(err.data, "already holds a Meldpunt installation"));
	assert_null(strstr(again.data, "RECOVERY KEY"));

	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, verify), 0);
	assert_non_null(strstr(out.data, "audit log intact"));
	buf_release(&out);
	buf_release(&err);
	buf_release(&again);
}

static void
test_errors_say_what_to_do(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *dir = *state;
	const char *serve[] = { "--data", dir, "serve", NULL };
	const char *badport[] = { "--data", dir, "serve", "--port", "99999", NULL };
	const char *badopt[] = { "--data", dir, "init", "--colour", NULL };

	assert_int_equal(test_run(&out, &err, serve), 1);
	assert_non_null(strstr(err.data, "run 'meldpunt init' first"));
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, badport), 2);
	assert_non_null(strstr(err.data, "not a port number"));
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, badopt), 2);
	assert_non_null(strstr(err.data, "unknown option '--colour'"));
	buf_release(&out);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test_setup_teardown(test_init_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_say_what_to_do, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
