/*
 * test_db.c - storage: settings, migrations, refusal of newer databases,
 * statement leak detection, serialised writers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "migrate.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char *path;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf b = BUF_INIT;

	f->dir = test_tmpdir("db");
	buf_addf(&b, "%s/test.db", f->dir);
	f->path = buf_detach(&b, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* PRAGMA cache_size outside a bulk read: DB_CACHE_KIB, in KiB (negative). */
static char everyday_cache[32];

static void
pragma_is(struct db *db, const char *sql, const char *want)
{
	struct stmt *st;

	assert_int_equal(db_prepare(db, &st, sql), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	assert_string_equal(stmt_text(st, 0), want);
	stmt_finalize(st);
}

static void
test_settings(void **state)
{
	struct fixture *f = *state;
	char pages[32];
	struct db *db;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	pragma_is(db, "PRAGMA journal_mode", "wal");
	pragma_is(db, "PRAGMA synchronous", "2");	/* FULL */
	pragma_is(db, "PRAGMA foreign_keys", "1");
	pragma_is(db, "PRAGMA secure_delete", "1");
	pragma_is(db, "PRAGMA trusted_schema", "0");
	snprintf(pages, sizeof(pages), "%d", DB_WAL_AUTOCHECKPOINT);
	pragma_is(db, "PRAGMA wal_autocheckpoint", pages);
	assert_int_equal(db_close(db), 0);
}

/*
 * The large cache and the map only while someone reads in bulk: counted,
 * so one statistics computation ending does not shrink another's.
 */
static void
test_bulk_read(void **state)
{
	struct fixture *f = *state;
	struct db *db;

	snprintf(everyday_cache, sizeof(everyday_cache), "-%d", DB_CACHE_KIB);
	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	pragma_is(db, "PRAGMA mmap_size", "0");
	pragma_is(db, "PRAGMA cache_size", everyday_cache);
	db_bulk_read(db, 1);
	db_bulk_read(db, 1);
	assert_true(db_bulk_reading(db));
	pragma_is(db, "PRAGMA cache_size", "-131072");
	db_bulk_read(db, 0);
	assert_true(db_bulk_reading(db));
	pragma_is(db, "PRAGMA cache_size", "-131072");
	db_bulk_read(db, 0);
	assert_false(db_bulk_reading(db));
	pragma_is(db, "PRAGMA mmap_size", "0");
	pragma_is(db, "PRAGMA cache_size", everyday_cache);
	db_bulk_read(db, 0);	/* one off too many changes nothing */
	assert_false(db_bulk_reading(db));
	assert_int_equal(db_close(db), 0);
}

/* What another thread sees of the lock: never itself as the holder. */
static void *
locked_elsewhere(void *arg)
{
	return db_locked(arg) ? arg : NULL;
}

/*
 * SQLite runs without its own mutex (db.c): a statement must hold the
 * connection's lock from db_prepare to stmt_finalize, and only for the
 * thread that prepared it.
 */
static void
test_statement_holds_lock(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	struct stmt *st;
	pthread_t th;
	void *seen = &th;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_false(db_locked(db));
	assert_int_equal(db_prepare(db, &st, "SELECT 1"), 0);
	assert_true(db_locked(db));
	assert_int_equal(pthread_create(&th, NULL, locked_elsewhere, db), 0);
	assert_int_equal(pthread_join(th, &seen), 0);
	assert_null(seen);
	assert_int_equal(stmt_step(st), DB_ROW);
	stmt_finalize(st);
	assert_false(db_locked(db));
	/* Nested: the outer lock stays until its own unlock. */
	db_lock(db);
	assert_int_equal(db_prepare(db, &st, "SELECT 1"), 0);
	stmt_finalize(st);
	assert_true(db_locked(db));
	db_unlock(db);
	assert_false(db_locked(db));
	/* A failed prepare leaves the lock as it was. */
	assert_int_equal(db_prepare(db, &st, "SELEC nonsense"), -1);
	assert_false(db_locked(db));
	assert_int_equal(db_close(db), 0);
}

/* The schema as text plus the version: equal snapshots, equal databases. */
static char *
snapshot(const char *path)
{
	struct buf b = BUF_INIT;
	sqlite3 *conn;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT type, name, "
	                 "coalesce(sql, '') FROM sqlite_schema ORDER BY name",
	                 -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(&b, "%s %s %s\n", sqlite3_column_text(st, 0),
		         sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(conn, "SELECT group_concat(version || name) "
	                       "FROM schema_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			buf_addf(&b, "versions %s\n", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(conn);
	return buf_detach(&b, NULL);
}

static void
test_migrations_apply(void **state)
{
	static const char *const tables[] = {
		"schema_version", "installation", "users", "user_roles",
		"keyrings", "keyring_members", "reports", "audit_log",
	};
	struct fixture *f = *state;
	const struct migration *list;
	struct db *db;
	char *before, *after;
	size_t n, i;

	list = migrate_builtin(&n);
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		assert_int_equal(list[i].version, (int)i + 1);

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_schema_version(db), migrate_known_version());
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct stmt *st;

		assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM "
		                 "sqlite_schema WHERE type = 'table' AND "
		                 "name = :name"), 0);
		assert_int_equal(stmt_bind_text(st, ":name", tables[i]), 0);
		assert_int_equal(stmt_step(st), DB_ROW);
		assert_int_equal(stmt_int(st, 0), 1);
		stmt_finalize(st);
	}
	assert_int_equal(db_close(db), 0);

	/* Opening again applies nothing and changes nothing. */
	before = snapshot(f->path);
	assert_int_equal(db_open(&db, f->path, 0), 0);
	assert_int_equal(db_close(db), 0);
	after = snapshot(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_failed_migration_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct migration *list;
	const struct migration *builtin;
	struct db *db;
	char *before, *after;
	size_t n;

	builtin = migrate_builtin(&n);
	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_close(db), 0);
	before = snapshot(f->path);

	/* Two new migrations; the second fails halfway through its text. */
	list = calloc(n + 2, sizeof(*list));
	memcpy(list, builtin, n * sizeof(*list));
	list[n] = (struct migration){ (int)n + 1, "good.sql",
		"CREATE TABLE extra (x INTEGER);" };
	list[n + 1] = (struct migration){ (int)n + 2, "bad.sql",
		"CREATE TABLE extra2 (x INTEGER);"
		"INSERT INTO no_such_table VALUES (1);" };
	assert_int_equal(db_open(&db, f->path, 0), 0);
	assert_int_equal(migrate_apply(db, list, n + 2), -1);
	assert_int_equal(db_schema_version(db), (int)n);
	assert_int_equal(db_close(db), 0);
	after = snapshot(f->path);
	assert_string_equal(before, after);
	assert_null(strstr(after, "extra"));
	free(list);
	free(before);
	free(after);
}

static void
test_newer_database_refused(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	sqlite3 *conn;
	char *before, *after;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_close(db), 0);
	assert_int_equal(sqlite3_open(f->path, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, "INSERT INTO schema_version VALUES "
	                 "(999, '0999_future.sql', 'x')", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(conn);
	before = snapshot(f->path);
	assert_int_equal(db_open(&db, f->path, 0), -1);
	assert_null(db);
	assert_int_equal(db_open(&db, f->path, DB_READONLY), -1);
	after = snapshot(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_unfinalized_statement_detected(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	struct stmt *st;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_prepare(db, &st, "SELECT 1"), 0);
	/* Left open on purpose: close must notice and fail. */
	assert_int_equal(db_close(db), -1);
	free(st);	/* the wrapper; db_close finalized the statement */

	assert_int_equal(db_open(&db, f->path, 0), 0);
	assert_int_equal(db_prepare(db, &st, "SELECT 1"), 0);
	stmt_finalize(st);
	assert_int_equal(db_close(db), 0);
}

static void
test_bad_files(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	FILE *fp;

	/* Missing, without DB_CREATE. */
	assert_int_equal(db_open(&db, f->path, 0), -1);
	assert_int_equal(access(f->path, F_OK), -1);
	/* Not a database. */
	fp = fopen(f->path, "w");
	fputs("this is not an SQLite database, just some text ............"
	      "................................................", fp);
	fclose(fp);
	assert_int_equal(db_open(&db, f->path, 0), -1);
}

static void
test_rollback(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	struct stmt *st;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (1)"), 0);
	db_rollback(db);
	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t"), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	assert_int_equal(stmt_int(st, 0), 0);
	stmt_finalize(st);
	assert_int_equal(db_close(db), 0);
}

/* Insert x into t in a transaction of its own: 0 stored, -1 not. */
static int
insert_one(struct db *db, int x)
{
	static const char sql[] = "INSERT INTO t VALUES (:x)";
	struct stmt *st;
	int ret;

	if (db_begin(db) < 0)
		return -1;
	if (db_prepare(db, &st, sql) < 0) {
		db_rollback(db);
		return -1;
	}
	stmt_bind_int(st, ":x", x);
	ret = stmt_run(st);
	stmt_finalize(st);
	if (ret < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static int64_t
count_t(struct db *db)
{
	struct stmt *st;
	int64_t n;

	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t"), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	n = stmt_int(st, 0);
	stmt_finalize(st);
	return n;
}

/*
 * db_fail_step fails exactly the chosen step (BEGIN, the INSERT, the
 * COMMIT) and no other: each failure leaves the table as it was, the step
 * after it runs again, and 0 turns injection off.
 */
static void
test_fail_step(void **state)
{
	struct fixture *f = *state;
	struct db *db;
	uint64_t before, steps, i;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	before = db_steps(db);
	assert_int_equal(insert_one(db, 1), 0);
	steps = db_steps(db) - before;
	assert_int_equal(steps, 3);	/* BEGIN, INSERT, COMMIT */
	for (i = 1; i <= steps; i++) {
		db_fail_step(db, i);
		assert_int_equal(insert_one(db, 2), -1);
		assert_int_equal(count_t(db), 1);
		assert_false(db_in_transaction(db));
	}
	/* The chosen step has passed: the next attempt stores. */
	assert_int_equal(insert_one(db, 3), 0);
	db_fail_step(db, 1);
	db_fail_step(db, 0);
	assert_int_equal(insert_one(db, 4), 0);
	assert_int_equal(count_t(db), 3);
	assert_int_equal(db_close(db), 0);
}

static int
insert_five(void *arg)
{
	return insert_one(arg, 5);
}

/* testutil's test_fail_each on the smallest action: BEGIN, INSERT, COMMIT. */
static void
test_fail_each_helper(void **state)
{
	struct fixture *f = *state;
	struct db *db;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(test_fail_each(db, f->path, insert_five, db), 3);
	assert_int_equal(count_t(db), 1);
	assert_int_equal(db_close(db), 0);
}

#define WRITERS 4
#define WRITES 100

static void *
writer(void *arg)
{
	struct db *db = arg;
	intptr_t failures = 0;
	int i;

	for (i = 0; i < WRITES; i++) {
		struct stmt *st;

		if (db_begin(db) < 0) {
			failures++;
			continue;
		}
		if (db_prepare(db, &st, "INSERT INTO t (x) VALUES (:x)") < 0 ||
		    stmt_bind_int(st, ":x", i) < 0 || stmt_run(st) < 0)
			failures++;
		stmt_finalize(st);
		if (db_commit(db) < 0)
			failures++;
	}
	return (void *)failures;
}

static void
test_writers_serialised(void **state)
{
	struct fixture *f = *state;
	pthread_t t[WRITERS];
	struct db *db;
	struct stmt *st;
	int i;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	/* synchronous=FULL makes each commit an fsync; keep it short. */
	for (i = 0; i < WRITERS; i++)
		pthread_create(&t[i], NULL, writer, db);
	for (i = 0; i < WRITERS; i++) {
		void *failures;

		pthread_join(t[i], &failures);
		assert_int_equal((intptr_t)failures, 0);
	}
	assert_int_equal(db_prepare(db, &st, "SELECT count(*) FROM t"), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	assert_int_equal(stmt_int(st, 0), WRITERS * WRITES);
	stmt_finalize(st);
	assert_int_equal(db_close(db), 0);
}

/*
 * Group commit. The first write holds its group open (its fn runs while
 * the group commits) until the other writers have queued, so they form
 * the second group, deterministically.
 */
#define GROUPED 4

struct grouped {
	struct db *db;
	int x;		/* value inserted */
	int fail;	/* fn inserts, then fails */
	int gate;	/* fn waits for the others to queue */
	int started;	/* the gate's fn runs: its group is committing */
	int result;
};

static int
grouped_fn(struct db *db, void *arg)
{
	struct grouped *g = arg;
	struct stmt *st;
	int rc, i;

	if (g->gate) {
		uint64_t writes, commits;
		size_t queued = 0;

		__atomic_store_n(&g->started, 1, __ATOMIC_SEQ_CST);
		/* Bounded: 10 s at most, then the counts below fail. */
		for (i = 0; i < 10000 && queued < GROUPED - 1; i++) {
			db_group_counts(db, &writes, &commits, &queued);
			usleep(1000);
		}
	}
	if (db_prepare(db, &st, "INSERT INTO t (x) VALUES (:x)") < 0)
		return -1;
	rc = stmt_bind_int(st, ":x", g->x) < 0 || stmt_run(st) < 0 ? -1 : 0;
	stmt_finalize(st);
	return g->fail ? -1 : rc;
}

static void *
grouped_writer(void *arg)
{
	struct grouped *g = arg;

	g->result = db_group_write(g->db, grouped_fn, g);
	return NULL;
}

static int
count_rows(struct db *db, const char *sql)
{
	struct stmt *st;
	int n;

	assert_int_equal(db_prepare(db, &st, sql), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	n = (int)stmt_int(st, 0);
	stmt_finalize(st);
	return n;
}

static void
test_group_commit(void **state)
{
	struct fixture *f = *state;
	struct grouped g[GROUPED];
	pthread_t t[GROUPED];
	uint64_t writes, commits;
	size_t queued;
	struct db *db;
	int i;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	memset(g, 0, sizeof(g));
	for (i = 0; i < GROUPED; i++) {
		g[i].db = db;
		g[i].x = i + 1;
	}
	g[0].gate = 1;
	g[2].fail = 1;	/* in the second group: undone alone */
	pthread_create(&t[0], NULL, grouped_writer, &g[0]);
	/* The others come once the first group is committing. */
	for (i = 0; i < 10000 && !__atomic_load_n(&g[0].started,
	                                          __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	for (i = 1; i < GROUPED; i++)
		pthread_create(&t[i], NULL, grouped_writer, &g[i]);
	for (i = 0; i < GROUPED; i++)
		pthread_join(t[i], NULL);

	db_group_counts(db, &writes, &commits, &queued);
	assert_int_equal(writes, GROUPED);
	assert_int_equal(commits, 2);
	assert_int_equal(queued, 0);
	for (i = 0; i < GROUPED; i++)
		assert_int_equal(g[i].result, g[i].fail ? -1 : 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), GROUPED - 1);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t WHERE x = 3"), 0);
	/* A lone write commits at once, in a transaction of its own. */
	g[1].x = 9;
	assert_int_equal(db_group_write(db, grouped_fn, &g[1]), 0);
	db_group_counts(db, &writes, &commits, &queued);
	assert_int_equal(commits, 3);
	assert_int_equal(db_in_transaction(db), 0);
	assert_int_equal(db_close(db), 0);
}

/* An announced write (db_group_expect) for expected_writer. */
struct expected {
	struct grouped g;
	int give_up;	/* db_group_unexpect instead of writing */
};

static void *
expected_writer(void *arg)
{
	struct expected *e = arg;

	/* Later than the committer, which is waiting by then. */
	usleep(50000);
	if (e->give_up)
		db_group_unexpect(e->g.db);
	else
		e->g.result = db_group_write_expected(e->g.db, grouped_fn, &e->g);
	return NULL;
}

/*
 * A write that has been announced is waited for: it shares the COMMIT
 * of a write that came first. A write given up ends the wait, and the
 * wait for one that never comes ends after DB_GROUP_WAIT_US (here set).
 */
static void
test_group_waits_for_expected(void **state)
{
	struct fixture *f = *state;
	struct expected e;
	struct grouped first;
	uint64_t writes, commits;
	size_t queued;
	struct db *db;
	pthread_t t;
	double t0;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	memset(&first, 0, sizeof(first));
	memset(&e, 0, sizeof(e));
	first.db = e.g.db = db;
	first.x = 1;
	e.g.x = 2;
	e.g.result = -1;

	/* Announced, arrives 50 ms later: one COMMIT for both. */
	db_group_set_wait(db, 10000000);
	db_group_expect(db);
	assert_int_equal(db_group_expected(db), 1);
	pthread_create(&t, NULL, expected_writer, &e);
	assert_int_equal(db_group_write(db, grouped_fn, &first), 0);
	pthread_join(t, NULL);
	assert_int_equal(e.g.result, 0);
	db_group_counts(db, &writes, &commits, &queued);
	assert_int_equal(writes, 2);
	assert_int_equal(commits, 1);
	assert_int_equal(db_group_expected(db), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 2);

	/* Announced and given up: the committer goes on without it. */
	e.give_up = 1;
	db_group_expect(db);
	t0 = test_seconds();
	pthread_create(&t, NULL, expected_writer, &e);
	assert_int_equal(db_group_write(db, grouped_fn, &first), 0);
	pthread_join(t, NULL);
	assert_true(test_seconds() - t0 < 5.0);
	db_group_counts(db, &writes, &commits, &queued);
	assert_int_equal(commits, 2);
	assert_int_equal(db_group_expected(db), 0);

	/* Announced and never coming: waited for 100 ms, then committed. */
	db_group_set_wait(db, 100000);
	db_group_expect(db);
	t0 = test_seconds();
	assert_int_equal(db_group_write(db, grouped_fn, &first), 0);
	assert_true(test_seconds() - t0 >= 0.1);
	db_group_counts(db, &writes, &commits, &queued);
	assert_int_equal(commits, 3);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 4);
	db_group_unexpect(db);

	/* Nothing announced: a lone write does not wait. */
	db_group_set_wait(db, 10000000);
	t0 = test_seconds();
	assert_int_equal(db_group_write(db, grouped_fn, &first), 0);
	assert_true(test_seconds() - t0 < 5.0);
	assert_int_equal(db_close(db), 0);
}

/* A failed COMMIT fails every write of the group; nothing is stored. */
static int
readonly_fn(struct db *db, void *arg)
{
	(void)arg;
	return db_exec(db, "INSERT INTO t (x) VALUES (1)");
}

static void
test_group_commit_fails(void **state)
{
	struct fixture *f = *state;
	struct db *db;

	assert_int_equal(db_open(&db, f->path, DB_CREATE), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);
	assert_int_equal(db_close(db), 0);
	/* Read-only: BEGIN IMMEDIATE itself fails. */
	assert_int_equal(db_open(&db, f->path, DB_READONLY), 0);
	assert_int_equal(db_group_write(db, readonly_fn, NULL), -1);
	assert_int_equal(db_in_transaction(db), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(db_close(db), 0);
}

/*
 * A parent with a CHECK and children that go with it (ON DELETE CASCADE),
 * as reports and their messages do; the rebuild widens the CHECK, the
 * only way SQLite changes one.
 */
static const char family_sql[] =
	"CREATE TABLE parent (id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('a', 'b')));"
	"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL"
	" REFERENCES parent(id) ON DELETE CASCADE);"
	"CREATE INDEX child_parent ON child(parent_id);"
	"INSERT INTO parent (id, kind) VALUES (1, 'a'), (2, 'b'), (3, 'a');"
	"INSERT INTO child (parent_id) VALUES (1), (1), (2), (3), (3);";
#define REBUILD_PARENT(where) \
	"CREATE TABLE parent_new (id INTEGER PRIMARY KEY," \
	" kind TEXT NOT NULL CHECK (kind IN ('a', 'b', 'c')));" \
	"INSERT INTO parent_new (id, kind) SELECT id, kind FROM parent " where ";" \
	"DROP TABLE parent;" \
	"ALTER TABLE parent_new RENAME TO parent;"

/*
 * The built-in migrations plus extra, numbered after them, applied to a
 * new database at path; the list stays with the caller (free it).
 */
static struct migration *
with_extra(const char *path, const char *const *extra, size_t nextra,
           size_t *n)
{
	static const char *const names[] = {
		"extra1.sql", "extra2.sql", "extra3.sql",
	};
	const struct migration *builtin = migrate_builtin(n);
	struct migration *list = calloc(*n + nextra, sizeof(*list));
	struct db *db;
	size_t i;

	assert_true(nextra <= sizeof(names) / sizeof(names[0]));
	memcpy(list, builtin, *n * sizeof(*list));
	for (i = 0; i < nextra; i++)
		list[*n + i] = (struct migration){ (int)(*n + i) + 1, names[i],
		                                   extra[i] };
	assert_int_equal(db_open(&db, path, DB_CREATE), 0);
	assert_int_equal(db_close(db), 0);
	return list;
}

static void
test_rebuild_keeps_children(void **state)
{
	static const char *const plain[] = { family_sql, REBUILD_PARENT("") };
	static const char *const marked[] = {
		family_sql, MIGRATE_REBUILD_MARKER REBUILD_PARENT("")
	};
	struct fixture *f = *state;
	struct migration *list;
	struct buf other = BUF_INIT;
	struct db *db;
	size_t n;

	/* Without the marker: foreign keys on, the DROP takes the children. */
	buf_addf(&other, "%s/plain.db", f->dir);
	list = with_extra(other.data, plain, 2, &n);
	assert_int_equal(db_open(&db, other.data, 0), 0);
	assert_int_equal(migrate_apply(db, list, n + 2), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM parent"), 3);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child"), 0);
	assert_int_equal(db_close(db), 0);
	free(list);

	/* With it: every child row stays, and points where it did. */
	list = with_extra(f->path, marked, 2, &n);
	assert_true(migrate_rebuilds(&list[n + 1]));
	assert_false(migrate_rebuilds(&list[n]));
	assert_int_equal(db_open(&db, f->path, 0), 0);
	assert_int_equal(migrate_apply(db, list, n + 2), 0);
	assert_int_equal(db_schema_version(db), (int)n + 2);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child"), 5);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child JOIN parent"
	                 " ON parent.id = child.parent_id"), 5);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child"
	                 " WHERE parent_id = 3"), 2);
	/* The new CHECK holds, and foreign keys are on again. */
	assert_int_equal(db_exec(db, "INSERT INTO parent (id, kind)"
	                 " VALUES (4, 'c')"), 0);
	pragma_is(db, "PRAGMA foreign_keys", "1");
	assert_int_equal(db_exec(db, "INSERT INTO child (parent_id)"
	                 " VALUES (99)"), -1);
	assert_int_equal(db_exec(db, "DELETE FROM parent WHERE id = 1"), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child"), 3);
	assert_int_equal(db_close(db), 0);
	free(list);
	buf_release(&other);
}

static void
test_rebuild_dangling_refused(void **state)
{
	static const char *const extra[] = {
		family_sql,
		"CREATE TABLE extra (x INTEGER);",
		MIGRATE_REBUILD_MARKER REBUILD_PARENT("WHERE id <> 2"),
	};
	struct fixture *f = *state;
	struct migration *list;
	struct db *db;
	char *before, *rows_before, *after, *rows_after;
	size_t n;

	list = with_extra(f->path, extra, 3, &n);
	assert_int_equal(db_open(&db, f->path, 0), 0);
	assert_int_equal(migrate_apply(db, list, n + 1), 0);
	assert_int_equal(db_close(db), 0);
	before = snapshot(f->path);
	rows_before = test_db_snapshot(f->path);

	/* Two pending; the rebuild leaves the child of row 2 pointing nowhere. */
	assert_int_equal(db_open(&db, f->path, DB_NO_MIGRATE), 0);
	assert_int_equal(migrate_apply(db, list, n + 3), -1);
	assert_int_equal(db_schema_version(db), (int)n + 1);
	assert_false(db_in_transaction(db));
	assert_false(db_locked(db));
	pragma_is(db, "PRAGMA foreign_keys", "1");
	assert_int_equal(db_close(db), 0);
	after = snapshot(f->path);
	rows_after = test_db_snapshot(f->path);
	assert_string_equal(before, after);
	assert_string_equal(rows_before, rows_after);
	assert_null(strstr(after, "CREATE TABLE extra ("));
	assert_null(strstr(after, "parent_new"));

	/* Every row is still there and still points at its parent. */
	assert_int_equal(db_open(&db, f->path, DB_NO_MIGRATE), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM child JOIN parent"
	                 " ON parent.id = child.parent_id"), 5);
	assert_int_equal(db_close(db), 0);
	free(list);
	free(before);
	free(after);
	free(rows_before);
	free(rows_after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_holds_lock, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_waits_for_expected, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_fails, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_migrations_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_changes_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_database_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_keeps_children, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_dangling_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_unfinalized_statement_detected,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_each_helper, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_writers_serialised, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
