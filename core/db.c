/*
 * db.c - SQLite connection, lock and statements (see db.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "migrate.h"

/* One write waiting for, or in, a group commit (db_group_write). */
struct group_write {
	db_write_fn fn;
	void *arg;
	int result;
	int done;
	struct group_write *next;
};

struct db {
	sqlite3 *conn;
	char *path;
	/*
	 * The connection is opened without SQLite's own mutex (NOMUTEX):
	 * this lock is the only one, and a statement holds it from
	 * db_prepare to stmt_finalize. SQLite's mutex cost a lock and an
	 * unlock on every call, every column read included: 13 % of a
	 * statistics scan (bench/stats). holder is the thread that has the
	 * lock (its this_thread token), depth how often it took it.
	 */
	pthread_mutex_t lock;
	_Atomic(const char *) holder;
	unsigned depth;
	/*
	 * Group commit: writes queue under group_lock; the thread that finds
	 * no committer becomes it, waits (at most group_wait_us) for the
	 * expected writes (db_group_expect) to queue, takes the whole queue
	 * and commits it as one transaction while the next writes queue up
	 * behind it. arrived: an expected write queued or was given up.
	 */
	pthread_mutex_t group_lock;
	pthread_cond_t group_done, arrived;
	struct group_write *queue, **queue_tail;
	int committing;
	unsigned expected;
	unsigned group_wait_us;
	uint64_t group_writes, group_commits;
	/* Thread that holds a db_begin transaction; valid when in_tx. */
	pthread_t tx_owner;
	int in_tx;
	/* Callers of db_bulk_read with it on. */
	unsigned bulk_readers;
	/* Signs audit checkpoints (audit.h); not owned, NULL: none. */
	const struct secret *audit_key;
	/* When the current wait for another process's lock began. */
	struct timespec busy_since;
	/*
	 * Failure injection for tests (db_fail_step): statements stepped on
	 * this connection so far, and the number of the step to fail (0:
	 * none). Read and written under the lock, as every step is.
	 */
	uint64_t steps;
	uint64_t fail_step;
	/*
	 * Prepared statements kept for reuse, found by the address of their
	 * SQL text: every statement of the program is a string literal, so
	 * the same query has the same address each time. Parsing SQL on
	 * every request was measured (bench/run) as a real share of a
	 * submission's time under the writer lock.
	 */
	struct cached {
		const char *sql;	/* the caller's address... */
		char *text;		/* ...and a copy, compared too */
		sqlite3_stmt *st;
		int in_use;
	} cache[DB_STMT_CACHE];
	size_t ncached;
};

struct stmt {
	struct db *db;
	sqlite3_stmt *st;
	struct cached *cached;	/* NULL: finalize, not return, when done */
};

static int
db_fail(struct db *db, const char *what)
{
	return error("database %s: %s: %s", db->path, what,
	             sqlite3_errmsg(db->conn));
}

int
db_exec(struct db *db, const char *sql)
{
	const char *tail = sql;
	sqlite3_stmt *st;
	int rc;

	db_lock(db);
	while (tail && *tail) {
		rc = sqlite3_prepare_v2(db->conn, tail, -1, &st, &tail);
		if (rc != SQLITE_OK) {
			db_unlock(db);
			return db_fail(db, "cannot prepare");
		}
		if (!st)	/* trailing white space or comment */
			break;
		do
			rc = sqlite3_step(st);
		while (rc == SQLITE_ROW);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			db_unlock(db);
			return db_fail(db, "cannot execute");
		}
	}
	db_unlock(db);
	return 0;
}

/*
 * Read one pragma value as text, to check that a setting took: SQLite
 * ignores an unknown pragma silently, and WAL can be refused.
 */
static int
db_pragma_is(struct db *db, const char *sql, const char *want)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		ok = v && strcmp(v, want) == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

/* The cache and map sizes for everyday (0) or bulk (1) reading (db.h). */
static int
read_settings(struct db *db, int bulk)
{
	char sql[96];

	/* Numbers of ours, not input: formatted, then executed. */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d;"
	         "PRAGMA mmap_size = %lld;",
	         bulk ? DB_BULK_CACHE_KIB : DB_CACHE_KIB,
	         bulk ? DB_BULK_MMAP_BYTES : DB_MMAP_BYTES);
	return db_exec(db, sql);
}

/*
 * Waiting for another process's lock (the CLI next to the server): try
 * again every 0.2 to 1 ms until DB_BUSY_TIMEOUT_MS have passed on the
 * clock. SQLite's own busy_timeout backs off to one try per 100 ms (and
 * counts its sleeps, not the time, so a loaded machine gets fewer tries
 * still): against a writer that takes the lock again right after each
 * commit, 60-odd tries can all land inside a transaction and the command
 * fails with "database is locked" (test_backup: 7 runs in 85 on a loaded
 * 2-core machine).
 * A try is one lock call on the shared-memory file; the jitter keeps the
 * tries from falling into step with a writer's rhythm.
 */
static int
busy_wait(void *arg, int count)
{
	struct db *db = arg;
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		db->busy_since = now;
	ms = (long long)(now.tv_sec - db->busy_since.tv_sec) * 1000 +
	     (now.tv_nsec - db->busy_since.tv_nsec) / 1000000;
	if (ms >= DB_BUSY_TIMEOUT_MS)
		return 0;
	usleep(200 + (useconds_t)(((unsigned long)now.tv_nsec / 1000 +
	                           (unsigned long)count * 397) % 800));
	return 1;
}

static int
db_configure(struct db *db, unsigned flags)
{
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_busy_handler(db->conn, busy_wait, db);
	sqlite3_extended_result_codes(db->conn, 1);

	if (db_exec(db, "PRAGMA foreign_keys = ON;"
	                "PRAGMA secure_delete = ON;"
	                "PRAGMA trusted_schema = OFF;"
	                "PRAGMA synchronous = FULL;") < 0 ||
	    sqlite3_wal_autocheckpoint(db->conn, DB_WAL_AUTOCHECKPOINT) !=
	    SQLITE_OK)
		return -1;
	{
		if (read_settings(db, 0) < 0)
			return -1;
	}
	if (!(flags & DB_READONLY)) {
		if (!db_pragma_is(db, "PRAGMA journal_mode = WAL", "wal"))
			return error("database %s: cannot switch to WAL mode",
			             db->path);
	}
	if (!db_pragma_is(db, "PRAGMA foreign_keys", "1") ||
	    !db_pragma_is(db, "PRAGMA secure_delete", "1") ||
	    !db_pragma_is(db, "PRAGMA synchronous", "2"))
		return error("database %s: settings did not take", db->path);
	/* Reading the schema is where a file that is not SQLite shows. */
	if (db_exec(db, "SELECT count(*) FROM sqlite_schema") < 0)
		return error("%s is not a Meldpunt database (or it is damaged)",
		             db->path);
	return 0;
}

void
db_bulk_read(struct db *db, int on)
{
	db_lock(db);
	if (on && db->bulk_readers++ == 0)
		(void)read_settings(db, 1);
	else if (!on && db->bulk_readers && --db->bulk_readers == 0)
		(void)read_settings(db, 0);
	db_unlock(db);
}

int
db_bulk_reading(struct db *db)
{
	int on;

	db_lock(db);
	on = db->bulk_readers > 0;
	db_unlock(db);
	return on;
}

/*
 * SQLite's memory statistics take a global mutex on every allocation;
 * nothing reads them. Before SQLite's first use, or refused (harmless).
 */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
db_open(struct db **out, const char *path, unsigned flags)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct db *db;
	pthread_mutexattr_t attr;
	pthread_condattr_t cattr;
	int oflags, rc;

	*out = NULL;
	pthread_once(&once, sqlite_setup);
	db = calloc(1, sizeof(*db));
	if (!db)
		die("out of memory");
	db->path = strdup(path);
	if (!db->path)
		die("out of memory");
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&db->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_mutex_init(&db->group_lock, NULL);
	pthread_cond_init(&db->group_done, NULL);
	/* Monotonic: a clock set back must not stretch the wait. */
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&db->arrived, &cattr);
	pthread_condattr_destroy(&cattr);
	db->queue_tail = &db->queue;
	db->group_wait_us = DB_GROUP_WAIT_US;

	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & DB_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_CANTOPEN && !(flags & DB_CREATE))
			error("no database at %s: run 'meldpunt init' first, "
			      "or give the right --data folder", path);
		else
			error("cannot open database %s: %s", path,
			      db->conn ? sqlite3_errmsg(db->conn)
			               : sqlite3_errstr(rc));
		goto fail;
	}
	if (db_configure(db, flags) < 0)
		goto fail;
	if (!(flags & DB_NO_MIGRATE)) {
		if (migrate_check(db) < 0)
			goto fail;
		if (!(flags & DB_READONLY) && migrate_latest(db) < 0)
			goto fail;
	}
	*out = db;
	return 0;

fail:
	db_close(db);
	return -1;
}

int
db_close(struct db *db)
{
	sqlite3_stmt *st;
	int ret = 0;

	if (!db)
		return 0;
	if (db->conn) {
		size_t i;

		/* A cached statement still in use was never finalized: a bug. */
		for (i = 0; i < db->ncached; i++) {
			if (db->cache[i].in_use)
				ret = error("statement left unfinalized: %s",
				            db->cache[i].text);
			sqlite3_finalize(db->cache[i].st);
			free(db->cache[i].text);
		}
		db->ncached = 0;
		/* Any other statement still open here is a bug: name it. */
		while ((st = sqlite3_next_stmt(db->conn, NULL)) != NULL) {
			ret = error("statement left unfinalized: %s",
			            sqlite3_sql(st));
			sqlite3_finalize(st);
		}
		if (sqlite3_close(db->conn) != SQLITE_OK)
			ret = error("database %s did not close cleanly", db->path);
	}
	pthread_mutex_destroy(&db->lock);
	pthread_mutex_destroy(&db->group_lock);
	pthread_cond_destroy(&db->group_done);
	pthread_cond_destroy(&db->arrived);
	free(db->path);
	free(db);
	return ret;
}

/* Each thread's own address: names the holder of a database lock. */
static _Thread_local char this_thread;

void
db_lock(struct db *db)
{
	if (pthread_mutex_lock(&db->lock) != 0)
		die("database lock failed");
	if (db->depth++ == 0)
		atomic_store_explicit(&db->holder, &this_thread,
		                      memory_order_relaxed);
}

void
db_unlock(struct db *db)
{
	if (db->depth == 0 || !db_locked(db))
		die("database lock released by a thread that does not hold it");
	if (--db->depth == 0)
		atomic_store_explicit(&db->holder, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&db->lock);
}

/*
 * Only the holder can see its own token here: another thread's token, or
 * NULL, is all the others can read, whatever the timing.
 */
int
db_locked(struct db *db)
{
	return atomic_load_explicit(&db->holder, memory_order_relaxed) ==
	       &this_thread;
}

/* A connection call outside the lock would race: a bug, stop. */
static void
need_lock(struct db *db, const char *what)
{
	if (!db_locked(db))
		die("%s without the database lock", what);
}

/* One transaction-control statement, through the statement cache. */
static int
db_control(struct db *db, const char *sql)
{
	struct stmt *st;
	int ret;

	if (db_prepare(db, &st, sql) < 0)
		return -1;
	ret = stmt_run(st);
	stmt_finalize(st);
	return ret;
}

static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

int
db_begin(struct db *db)
{
	db_lock(db);
	if (db->in_tx && pthread_equal(db->tx_owner, pthread_self()))
		die("nested db_begin");
	if (db_control(db, sql_begin) < 0) {
		db_unlock(db);
		return -1;
	}
	db->in_tx = 1;
	db->tx_owner = pthread_self();
	return 0;
}

int
db_commit(struct db *db)
{
	int ret = 0;

	if (db_control(db, sql_commit) < 0) {
		ret = -1;
		db_control(db, sql_rollback);
	}
	db->in_tx = 0;
	db_unlock(db);
	return ret;
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		db_control(db, sql_rollback);
	db->in_tx = 0;
	db_unlock(db);
}

int
db_prepare(struct db *db, struct stmt **out, const char *sql)
{
	struct stmt *st;
	size_t i;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		die("out of memory");
	st->db = db;
	db_lock(db);
	for (i = 0; i < db->ncached; i++) {
		struct cached *c = &db->cache[i];

		/* The copy guards against a caller's buffer reused for other
		 * SQL; the program's own SQL is all literals. */
		if (c->sql == sql && !c->in_use && strcmp(c->text, sql) == 0) {
			c->in_use = 1;
			st->st = c->st;
			st->cached = c;
			*out = st;
			return 0;
		}
	}
	if (db->ncached < DB_STMT_CACHE) {
		struct cached *c = &db->cache[db->ncached];

		if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
		                       &st->st, NULL) != SQLITE_OK) {
			int ret = db_fail(db, "cannot prepare statement");

			db_unlock(db);
			free(st);
			return ret;
		}
		c->sql = sql;
		c->text = strdup(sql);
		if (!c->text)
			die("out of memory");
		c->st = st->st;
		c->in_use = 1;
		st->cached = c;
		db->ncached++;
		*out = st;
		return 0;
	}
	if (sqlite3_prepare_v2(db->conn, sql, -1, &st->st, NULL) != SQLITE_OK) {
		int ret = db_fail(db, "cannot prepare statement");

		db_unlock(db);
		free(st);
		return ret;
	}
	*out = st;
	return 0;
}

void
stmt_finalize(struct stmt *st)
{
	if (!st)
		return;
	if (st->cached) {
		/* Back to the cache, reset and without its values. */
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		st->cached->in_use = 0;
	} else {
		sqlite3_finalize(st->st);
	}
	/* The lock db_prepare took for this statement. */
	db_unlock(st->db);
	free(st);
}

static int
stmt_param(struct stmt *st, const char *name)
{
	int i = sqlite3_bind_parameter_index(st->st, name);

	if (i == 0)
		die("no parameter %s in: %s", name, sqlite3_sql(st->st));
	return i;
}

static int
stmt_bound(struct stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	return db_fail(st->db, "cannot bind value");
}

int
stmt_bind_int(struct stmt *st, const char *name, int64_t v)
{
	return stmt_bound(st, sqlite3_bind_int64(st->st, stmt_param(st, name), v));
}

int
stmt_bind_text(struct stmt *st, const char *name, const char *s)
{
	int i = stmt_param(st, name);

	if (!s)
		return stmt_bound(st, sqlite3_bind_null(st->st, i));
	return stmt_bound(st, sqlite3_bind_text(st->st, i, s, -1,
	                                        SQLITE_TRANSIENT));
}

int
stmt_bind_blob(struct stmt *st, const char *name, const void *p, size_t len)
{
	return stmt_bound(st, sqlite3_bind_blob64(st->st, stmt_param(st, name),
	                                          p, len, SQLITE_TRANSIENT));
}

int
stmt_bind_null(struct stmt *st, const char *name)
{
	return stmt_bound(st, sqlite3_bind_null(st->st, stmt_param(st, name)));
}

/*
 * Counts the step; 1 when it is the one db_fail_step chose to fail. The
 * statement is then not run at all, as if SQLite had refused it, so the
 * caller's error path runs with the database as it was before the step.
 */
static int
injected_failure(struct db *db)
{
	db->steps++;
	return db->fail_step != 0 && db->steps == db->fail_step;
}

int
stmt_step(struct stmt *st)
{
	int rc;

	if (injected_failure(st->db))
		return error("database %s: statement failed: injected failure "
		             "(db_fail_step)", st->db->path);
	rc = sqlite3_step(st->st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return db_fail(st->db, "statement failed");
}

int
stmt_run(struct stmt *st)
{
	int rc = stmt_step(st);

	if (rc == DB_ROW)
		return error("statement returned a row where none was expected");
	return rc;
}

int64_t
stmt_int(struct stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *
stmt_text(struct stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const void *
stmt_blob(struct stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, col);

	*len = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

int
stmt_is_null(struct stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t
db_last_id(struct db *db)
{
	need_lock(db, "db_last_id");
	return sqlite3_last_insert_rowid(db->conn);
}

void
db_fail_step(struct db *db, uint64_t n)
{
	db_lock(db);
	db->fail_step = n == 0 ? 0 : db->steps + n;
	db_unlock(db);
}

uint64_t
db_steps(struct db *db)
{
	uint64_t n;

	db_lock(db);
	n = db->steps;
	db_unlock(db);
	return n;
}

int
db_in_transaction(struct db *db)
{
	int in;

	db_lock(db);
	in = !sqlite3_get_autocommit(db->conn);
	db_unlock(db);
	return in;
}

int
db_join(struct db *db, int *own)
{
	*own = 0;
	db_lock(db);
	if (db_in_transaction(db))
		return 0;
	if (db_begin(db) < 0) {
		db_unlock(db);
		return -1;
	}
	*own = 1;
	return 0;
}

int
db_leave(struct db *db, int own, int ok)
{
	int ret = ok ? 0 : -1;

	if (own) {
		if (ok)
			ret = db_commit(db);
		else
			db_rollback(db);
	}
	db_unlock(db);
	return ret;
}

static const char sql_savepoint[] = "SAVEPOINT group_write";
static const char sql_release[] = "RELEASE group_write";
static const char sql_undo[] = "ROLLBACK TO group_write";

/*
 * Commit one group: every write in its own savepoint, then one COMMIT.
 * Sets each write's result; returns nothing, the results say it all.
 */
static void
group_commit(struct db *db, struct group_write *group)
{
	struct group_write *w;
	int ok = 0;

	if (db_begin(db) < 0)
		goto out;
	for (w = group; w; w = w->next) {
		if (db_control(db, sql_savepoint) < 0) {
			db_rollback(db);
			goto out;
		}
		w->result = w->fn(db, w->arg) < 0 ? -1 : 0;
		/* A failed write leaves nothing; the savepoint goes either way. */
		if ((w->result < 0 && db_control(db, sql_undo) < 0) ||
		    db_control(db, sql_release) < 0) {
			db_rollback(db);
			goto out;
		}
	}
	ok = db_commit(db) == 0;
out:
	/* Without a commit, nothing of the group is stored. */
	if (!ok)
		for (w = group; w; w = w->next)
			w->result = -1;
}

void
db_group_expect(struct db *db)
{
	pthread_mutex_lock(&db->group_lock);
	db->expected++;
	pthread_mutex_unlock(&db->group_lock);
}

/* One expected write less; the caller holds group_lock. */
static void
expected_arrived(struct db *db)
{
	if (!db->expected)
		die("an expected group write that was not expected");
	db->expected--;
	pthread_cond_signal(&db->arrived);
}

void
db_group_unexpect(struct db *db)
{
	pthread_mutex_lock(&db->group_lock);
	expected_arrived(db);
	pthread_mutex_unlock(&db->group_lock);
}

void
db_group_set_wait(struct db *db, unsigned us)
{
	pthread_mutex_lock(&db->group_lock);
	db->group_wait_us = us;
	pthread_mutex_unlock(&db->group_lock);
}

unsigned
db_group_expected(struct db *db)
{
	unsigned n;

	pthread_mutex_lock(&db->group_lock);
	n = db->expected;
	pthread_mutex_unlock(&db->group_lock);
	return n;
}

/*
 * The committer-to-be, with group_lock held: wait until no expected write
 * is still on its way, or group_wait_us have passed.
 */
static void
wait_for_expected(struct db *db)
{
	struct timespec until;
	long long ns;

	if (!db->expected)
		return;
	clock_gettime(CLOCK_MONOTONIC, &until);
	ns = until.tv_nsec + (long long)db->group_wait_us * 1000;
	until.tv_sec += (time_t)(ns / 1000000000);
	until.tv_nsec = (long)(ns % 1000000000);
	while (db->expected &&
	       pthread_cond_timedwait(&db->arrived, &db->group_lock, &until) !=
	       ETIMEDOUT)
		;
}

static int
group_write(struct db *db, db_write_fn fn, void *arg, int expected)
{
	struct group_write me = { fn, arg, -1, 0, NULL }, *group, *w, *next;

	/*
	 * The committer takes the lock: a thread that held it here (in a
	 * transaction, or with a statement open) and waited for another
	 * committer would wait forever.
	 */
	if (db_locked(db))
		die(db->in_tx ? "db_group_write inside a transaction"
		              : "db_group_write with the database lock held");

	pthread_mutex_lock(&db->group_lock);
	if (expected)
		expected_arrived(db);
	*db->queue_tail = &me;
	db->queue_tail = &me.next;
	while (!me.done) {
		if (db->committing) {
			pthread_cond_wait(&db->group_done, &db->group_lock);
			continue;
		}
		/*
		 * No one is committing: this thread commits what has queued,
		 * and what is on its way (db.h: db_group_expect).
		 */
		db->committing = 1;
		wait_for_expected(db);
		group = db->queue;
		db->queue = NULL;
		db->queue_tail = &db->queue;
		pthread_mutex_unlock(&db->group_lock);

		group_commit(db, group);

		pthread_mutex_lock(&db->group_lock);
		db->group_commits++;
		for (w = group; w; w = next) {
			next = w->next;	/* w may go as soon as done is set */
			db->group_writes++;
			w->done = 1;
		}
		db->committing = 0;
		pthread_cond_broadcast(&db->group_done);
	}
	pthread_mutex_unlock(&db->group_lock);
	return me.result;
}

int
db_group_write(struct db *db, db_write_fn fn, void *arg)
{
	return group_write(db, fn, arg, 0);
}

int
db_group_write_expected(struct db *db, db_write_fn fn, void *arg)
{
	return group_write(db, fn, arg, 1);
}

void
db_group_counts(struct db *db, uint64_t *writes, uint64_t *commits,
                size_t *queued)
{
	struct group_write *w;

	pthread_mutex_lock(&db->group_lock);
	*writes = db->group_writes;
	*commits = db->group_commits;
	*queued = 0;
	for (w = db->queue; w; w = w->next)
		(*queued)++;
	pthread_mutex_unlock(&db->group_lock);
}

int
db_changes(struct db *db)
{
	need_lock(db, "db_changes");
	return sqlite3_changes(db->conn);
}

void
db_set_audit_key(struct db *db, const struct secret *key)
{
	db->audit_key = key;
}

const struct secret *
db_audit_key(struct db *db)
{
	return db->audit_key;
}

/* fsync a file or folder by path; 0 or -1. */
static int
sync_path(const char *path)
{
	int fd = open(path, O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int
db_backup(struct db *db, const char *dest, int pages,
          void (*progress)(void *arg, int done, int total), void *arg)
{
	struct buf tmp = BUF_INIT, dir = BUF_INIT;
	sqlite3 *to = NULL;
	sqlite3_backup *b = NULL;
	int rc, in_read = 0, ret = -1;
	char *slash;

	if (access(dest, F_OK) == 0)
		return error("%s exists: a backup never overwrites a file; "
		             "choose a new name", dest);
	buf_addf(&tmp, "%s.tmp", dest);
	unlink(tmp.data);
	rc = sqlite3_open_v2(tmp.data, &to, SQLITE_OPEN_READWRITE |
	                     SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		error("cannot create %s: %s", tmp.data,
		      to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
		goto out;
	}
	db_lock(db);
	/* The snapshot: reading the schema starts the read transaction. */
	if (db_exec(db, "BEGIN") < 0 ||
	    db_exec(db, "SELECT count(*) FROM sqlite_schema") < 0)
		goto unlock;
	in_read = 1;
	b = sqlite3_backup_init(to, "main", db->conn, "main");
	if (!b) {
		error("cannot start the backup to %s: %s", tmp.data,
		      sqlite3_errmsg(to));
		goto unlock;
	}
	do {
		rc = sqlite3_backup_step(b, pages > 0 ? pages : -1);
		if (progress)
			progress(arg, sqlite3_backup_pagecount(b) -
			         sqlite3_backup_remaining(b),
			         sqlite3_backup_pagecount(b));
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			usleep(10000);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		error("backup to %s failed: %s", tmp.data, sqlite3_errstr(rc));
		goto unlock;
	}
	ret = 0;
unlock:
	if (in_read)
		db_exec(db, "COMMIT");
	db_unlock(db);
	if (ret < 0)
		goto out;
	ret = -1;
	/* The copy carries the source's WAL flag; one file is what to keep. */
	if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL,
	                 NULL) != SQLITE_OK) {
		error("cannot finish %s: %s", tmp.data, sqlite3_errmsg(to));
		goto out;
	}
	if (sqlite3_close(to) != SQLITE_OK) {
		error("cannot close %s", tmp.data);
		goto out;
	}
	to = NULL;
	buf_adds(&dir, dest);
	slash = strrchr(dir.data, '/');
	if (slash)
		buf_truncate(&dir, slash == dir.data ? 1 : (size_t)(slash - dir.data));
	else {
		buf_reset(&dir);
		buf_adds(&dir, ".");
	}
	if (sync_path(tmp.data) < 0 || rename(tmp.data, dest) < 0 ||
	    sync_path(dir.data) < 0) {
		error("cannot put the backup at %s: %s", dest, strerror(errno));
		unlink(dest);
		goto out;
	}
	ret = 0;
out:
	if (to)
		sqlite3_close(to);
	if (ret < 0)
		unlink(tmp.data);
	buf_release(&tmp);
	buf_release(&dir);
	return ret;
}
