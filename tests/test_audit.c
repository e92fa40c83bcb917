/*
 * test_audit.c - the audit chain verifies, and names the first row that
 * was edited, inserted or deleted; signed checkpoints name a truncated or
 * rewritten tail and a forged checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "db.h"
#include "installation.h"
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

/*
 * A typed text with control characters (a user name with a newline at
 * the login) is stored escaped, one line, and the chain still verifies.
 */
static void
test_texts_stored_on_one_line(void **state)
{
	struct fixture *f = *state;
	struct audit_row rows[1];
	int64_t n, bad;
	size_t got;

	assert_int_equal(audit_append_result(f->db, "vpt\naudit checkpoint",
	                 "login", "a\rb\\c\x1b", AUDIT_REFUSED), 0);
	assert_int_equal(audit_verify(f->db, &n, &bad), 0);
	assert_int_equal(audit_list(f->db, 0, NULL, rows, 1, &got), 0);
	assert_int_equal(got, 1);
	assert_string_equal(rows[0].actor, "vpt\\x0aaudit checkpoint");
	assert_string_equal(rows[0].object, "a\\x0db\\x5cc\\x1b");
}

/* Rows up to `upto`, appended with the installation secret set. */
static struct secret *
signed_log(struct fixture *f, int upto)
{
	struct secret *key;
	int i;

	assert_int_equal(installation_secret_new(&key), 0);
	db_set_audit_key(f->db, key);
	for (i = 11; i <= upto; i++)
		assert_int_equal(audit_append(f->db, "coordinator1", "report-read",
		                              "report 1"), 0);
	return key;
}

static void
done_signed(struct fixture *f, struct secret *key)
{
	db_set_audit_key(f->db, NULL);
	secret_free(key);
}

static void
test_checkpoints(void **state)
{
	struct fixture *f = *state;
	struct audit_check c;
	struct secret *key = signed_log(f, 250), *other;

	/* Every 100th row in its own transaction, then the end on request. */
	assert_int_equal(audit_verify_signed(f->db, key, &c), 0);
	assert_int_equal(c.checkpoints, 2);
	assert_int_equal(c.last_checkpoint, 200);
	assert_int_equal(audit_checkpoint(f->db), 0);
	assert_int_equal(audit_checkpoint(f->db), 0);	/* once per row */
	assert_int_equal(audit_verify_signed(f->db, key, &c), 0);
	assert_int_equal(c.rows, 250);
	assert_int_equal(c.checkpoints, 3);
	assert_int_equal(c.last_checkpoint, 250);
	assert_string_equal(c.problem, "");
	/* Another installation's secret verifies none of them. */
	assert_int_equal(installation_secret_new(&other), 0);
	assert_int_equal(audit_verify_signed(f->db, other, &c), -1);
	assert_int_equal(c.bad_row, 100);
	secret_free(other);
	/* Without a key nothing is signed. */
	db_set_audit_key(f->db, NULL);
	assert_int_equal(audit_append(f->db, "x", "y", "z"), 0);
	assert_int_equal(audit_checkpoint(f->db), 0);
	assert_int_equal(audit_verify_signed(f->db, key, &c), 0);
	assert_int_equal(c.last_checkpoint, 250);
	/* A periodic checkpoint deleted after the first is told. */
	tamper(f->path, "DELETE FROM audit_checkpoints WHERE row_id = 200");
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 200);
	assert_non_null(strstr(c.problem, "checkpoint of row 200 is missing"));
	secret_free(key);
}

static void
test_truncation_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_check c;
	struct secret *key = signed_log(f, 137);

	assert_int_equal(audit_checkpoint(f->db), 0);
	/* The chain alone cannot see a tail cut off. */
	tamper(f->path, "DELETE FROM audit_log WHERE id > 120");
	assert_int_equal(audit_verify(f->db, &c.rows, &c.bad_row), 0);
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 137);
	assert_non_null(strstr(c.problem, "the log ends at row 120 but a signed "
	                       "checkpoint covers row 137"));
	/* Cutting below a periodic checkpoint too. */
	tamper(f->path, "DELETE FROM audit_log WHERE id > 90");
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 100);
	done_signed(f, key);
}

static void
test_rewritten_tail_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_check c;
	struct secret *key = signed_log(f, 150);
	int i;

	assert_int_equal(audit_checkpoint(f->db), 0);
	/*
	 * Cut from 51 and write a consistent new tail up to 150 through a
	 * connection without the secret: the chain fits, the checkpoint of
	 * row 100 does not.
	 */
	tamper(f->path, "DELETE FROM audit_log WHERE id > 50");
	db_set_audit_key(f->db, NULL);
	for (i = 51; i <= 150; i++)
		assert_int_equal(audit_append(f->db, "someone", "nothing", "x"), 0);
	assert_int_equal(audit_verify(f->db, &c.rows, &c.bad_row), 0);
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 100);
	assert_non_null(strstr(c.problem, "does not hold the hash"));
	secret_free(key);
}

static void
test_forged_checkpoint_detected(void **state)
{
	struct fixture *f = *state;
	struct audit_check c;
	struct secret *key = signed_log(f, 120);

	/* A checkpoint for row 110 made without the secret. */
	tamper(f->path, "INSERT INTO audit_checkpoints (row_id, hash, signature,"
	       " at) SELECT id, hash, randomblob(64), at FROM audit_log"
	       " WHERE id = 110");
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 110);
	assert_non_null(strstr(c.problem, "not signed by this installation"));
	/* A real signature moved to another row does not fit either. */
	tamper(f->path, "DELETE FROM audit_checkpoints WHERE row_id = 110;"
	       "INSERT INTO audit_checkpoints (row_id, hash, signature, at)"
	       " SELECT 115, a.hash, c.signature, c.at FROM audit_checkpoints c"
	       " JOIN audit_log a ON a.id = 115 WHERE c.row_id = 100");
	assert_int_equal(audit_verify_signed(f->db, key, &c), -1);
	assert_int_equal(c.bad_row, 115);
	done_signed(f, key);
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
		cmocka_unit_test_setup_teardown(test_texts_stored_on_one_line, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_append_continues_chain, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_result_is_covered, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncation_detected, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_rewritten_tail_detected, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_forged_checkpoint_detected,
		                                setup, teardown),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
