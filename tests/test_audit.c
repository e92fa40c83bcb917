/*
 * test_audit.c - the audit chain verifies, and names the first row that
 * was edited, inserted or deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "db.h"
#include "testutil.h"

struct fixture {
	char *dir, *path;
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf b = BUF_INIT;
	char object[32];
	int i;

	f->dir = test_tmpdir("audit");
	buf_addf(&b, "%s/audit.db", f->dir);
	f->path = buf_detach(&b, NULL);
	assert_int_equal(db_open(&f->db, f->path, DB_CREATE), 0);
	for (i = 1; i <= 10; i++) {
		snprintf(object, sizeof(object), "report %d", i);
		assert_int_equal(audit_append(f->db, "coordinator1", "report-read",
		                              object), 0);
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_close(f->db), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Tamper as an attacker with the file would: behind the program's back. */
static void
tamper(const char *path, const char *sql)
{
	sqlite3 *conn;

	assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, "DROP TRIGGER IF EXISTS "
	                 "audit_log_no_update", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
}

static void
test_intact(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	assert_int_equal(audit_verify(f->db, &rows, &bad), 0);
	assert_int_equal(rows, 10);
	assert_int_equal(bad, 0);
}

static void
test_update_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET actor = 'x' "
	                         "WHERE id = 1"), -1);
}

static void
test_edited_row(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	tamper(f->path, "UPDATE audit_log SET actor = 'someone' WHERE id = 4");
	assert_int_equal(audit_verify(f->db, &rows, &bad), -1);
	assert_int_equal(bad, 4);
}

static void
test_deleted_row(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	tamper(f->path, "DELETE FROM audit_log WHERE id = 6");
	assert_int_equal(audit_verify(f->db, &rows, &bad), -1);
	assert_int_equal(bad, 7);
}

static void
test_inserted_row(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	/* Make room at 3 by moving rows 3.. up, then insert a forged row. */
	tamper(f->path, "UPDATE audit_log SET id = id + 100 WHERE id >= 3;"
	       "UPDATE audit_log SET id = id - 99 WHERE id >= 103;"
	       "INSERT INTO audit_log (id, at, actor, action, object, hash) "
	       "VALUES (3, '2026-01-01T00:00:00Z', 'x', 'y', 'z', zeroblob(32))");
	assert_int_equal(audit_verify(f->db, &rows, &bad), -1);
	assert_int_equal(bad, 3);
}

static void
test_result_is_covered(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	assert_int_equal(audit_append_result(f->db, "coordinator1",
	                 "report-transition", "report 3: close", AUDIT_REFUSED), 0);
	assert_int_equal(audit_verify(f->db, &rows, &bad), 0);
	assert_int_equal(rows, 11);
	/* Turning a refusal into a success afterwards is caught. */
	tamper(f->path, "UPDATE audit_log SET result = 'ok' WHERE id = 11");
	assert_int_equal(audit_verify(f->db, &rows, &bad), -1);
	assert_int_equal(bad, 11);
}

static void
test_append_continues_chain(void **state)
{
	struct fixture *f = *state;
	int64_t rows, bad;

	assert_int_equal(audit_append(f->db, "system", "backup", ""), 0);
	assert_int_equal(audit_verify(f->db, &rows, &bad), 0);
	assert_int_equal(rows, 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inserted_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_continues_chain, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_result_is_covered, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
