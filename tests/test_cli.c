/*
 * test_cli.c - the meldpunt command: help, version, init (once), errors
 * that say what to do, audit-verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "db.h"
#include "install.h"
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

/*
 * An installation in dir/name whose audit log has 150 rows and more, closed
 * cleanly (so a signed checkpoint covers its last row); *last gets that row.
 */
static char *
audit_installation(const char *dir, const char *name, int64_t *last)
{
	struct buf out = BUF_INIT, err = BUF_INIT, path = BUF_INIT;
	struct installation *inst;
	int64_t rows, bad;
	const char *init[] = { "--data", NULL, "init", NULL };
	int i;

	buf_addf(&path, "%s/%s", dir, name);
	init[1] = path.data;
	assert_int_equal(test_run(&out, &err, init), 0);
	assert_int_equal(install_open(path.data, 0, &inst), 0);
	for (i = 0; i < 150; i++)
		assert_int_equal(audit_append(inst->db, "coordinator1",
		                              "report-read", "report 1"), 0);
	assert_int_equal(audit_verify(inst->db, &rows, &bad), 0);
	*last = rows;
	assert_int_equal(install_close(inst), 0);
	buf_release(&out);
	buf_release(&err);
	return buf_detach(&path, NULL);
}

/* Change the database behind the program's back, as an attacker would. */
static void
tamper_db(const char *dir, const char *sql)
{
	struct buf path = BUF_INIT;
	sqlite3 *conn;

	buf_addf(&path, "%s/" INSTALL_DB_FILE, dir);
	assert_int_equal(sqlite3_open(path.data, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, "DROP TRIGGER IF EXISTS "
	                 "audit_log_no_update", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
	buf_release(&path);
}

/* audit-verify on dir: exit code, and stdout must hold want. */
static void
verify_says(const char *dir, int code, const char *want)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *verify[] = { "--data", dir, "audit-verify", NULL };

	assert_int_equal(test_run(&out, &err, verify), code);
	if (!strstr(out.data, want))
		fail_msg("audit-verify said '%s', not '%s'", out.data, want);
	buf_release(&out);
	buf_release(&err);
}

static void
test_audit_tampering_detected(void **state)
{
	const char *dir = *state;
	char want[160], *d;
	int64_t last;

	d = audit_installation(dir, "intact", &last);
	snprintf(want, sizeof(want), "the latest at row %lld", (long long)last);
	verify_says(d, 0, want);
	free(d);

	d = audit_installation(dir, "edited", &last);
	tamper_db(d, "UPDATE audit_log SET actor = 'nobody' WHERE id = 40");
	verify_says(d, 1, "audit log broken at row 40: row 40 does not fit");
	free(d);

	d = audit_installation(dir, "inserted", &last);
	tamper_db(d, "UPDATE audit_log SET id = id + 1000 WHERE id >= 3;"
	          "UPDATE audit_log SET id = id - 999 WHERE id >= 1003;"
	          "INSERT INTO audit_log (id, at, actor, action, object, hash)"
	          " VALUES (3, '2026-01-01T00:00:00Z', 'x', 'y', 'z',"
	          " zeroblob(32))");
	verify_says(d, 1, "audit log broken at row 3:");
	free(d);

	d = audit_installation(dir, "deleted", &last);
	tamper_db(d, "DELETE FROM audit_log WHERE id = 60");
	verify_says(d, 1, "audit log broken at row 61:");
	free(d);

	/* The chain fits after a cut; the signed checkpoint does not. */
	d = audit_installation(dir, "truncated", &last);
	tamper_db(d, "DELETE FROM audit_log WHERE id > 120");
	snprintf(want, sizeof(want), "the log ends at row 120 but a signed "
	         "checkpoint covers row %lld", (long long)last);
	verify_says(d, 1, want);
	free(d);

	d = audit_installation(dir, "forged", &last);
	tamper_db(d, "INSERT INTO audit_checkpoints (row_id, hash, signature,"
	          " at) SELECT id, hash, randomblob(64), at FROM audit_log"
	          " WHERE id = 130");
	verify_says(d, 1, "audit log broken at row 130: the checkpoint of row "
	            "130 is not signed by this installation");
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test_setup_teardown(test_init_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_say_what_to_do, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_audit_tampering_detected,
		                                setup, teardown),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
