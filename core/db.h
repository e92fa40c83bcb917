/*
 * db.h - the SQLite connection, its lock, and prepared statements.
 *
 * A struct db is one SQLite connection and the mutex that serialises its
 * use. The program, not SQLite's busy handler, decides who writes next: a
 * writer takes the lock with db_begin() and holds it until db_commit() or
 * db_rollback(), so writers queue in order instead of sleeping and retrying
 * (measured here: busy-handler contention pushed p99 latency from ~10 ms to
 * ~0.9 s). Readers take the same lock with db_lock(). The lock is recursive,
 * so a storage function that locks may be called inside a transaction.
 * A statement holds the lock from db_prepare until stmt_finalize, so its
 * rows cannot interleave with another thread's: this lock is the only
 * one (SQLite's own per-call mutex is off, see db.c).
 *
 * Every database is opened with WAL, synchronous=FULL, foreign keys,
 * secure_delete, trusted_schema off and SQLite's defensive mode. Opening
 * brings the schema up to date (migrate.h) unless DB_READONLY is given, and
 * refuses a database made by a newer Meldpunt.
 *
 * SQL lives only in core/, in the module that owns each table (report.c,
 * case.c, ...), prepared through this file; migrate.c runs the schema files
 * of schema/migrations. Values always go through named binds (":name"); SQL text is always a
 * string literal.
 *
 * Ownership: db_open gives the caller a struct db to db_close. A struct stmt
 * from db_prepare must be finalized with stmt_finalize before the lock is
 * released; db_close fails (-1) and names any statement left open.
 */
#ifndef MELDPUNT_DB_H
#define MELDPUNT_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct secret;
struct stmt;

enum db_flags {
	DB_CREATE = 1 << 0,	/* create the file if missing */
	DB_READONLY = 1 << 1,	/* open read-only; no migrations */
	DB_NO_MIGRATE = 1 << 2,	/* leave the schema as it is (tests) */
};

/* Prepared statements a connection keeps for reuse. */
#define DB_STMT_CACHE 128

/*
 * How long to wait for another process's lock (the CLI next to the
 * server), in ms, trying again every millisecond or so (db.c busy_wait).
 */
#define DB_BUSY_TIMEOUT_MS 5000
/*
 * WAL pages before a commit copies them back into the database file
 * (SQLite's default is 1000). Every report dirties a random page of the
 * locator index, so with few pages between checkpoints each checkpoint
 * writes nearly as many scattered pages as it copies; with more, a page
 * dirtied many times is written back once, and the copy runs a tenth as
 * often. bench/run: about 8 % more submissions a second on a fresh
 * database and 10 % at 250,000 reports, p99 lower; the WAL file grows to
 * about 40 MB between checkpoints (bench/README.md, session 4).
 */
#define DB_WAL_AUTOCHECKPOINT 10000
/*
 * SQLite's page cache per connection, in KiB, and the bytes of the file
 * it reads through mmap instead of read calls: small for everyday work
 * (8 MiB, no map: with SQLite's default 2 MiB the index pages a
 * submission needs were read again from the kernel once a database held
 * 60,000 reports, two reads a submission), large while the statistics read
 * every report of two years (db_bulk_read). With the small cache every
 * page of such a scan would come back from the kernel each time; with
 * the large settings all day the map and the cache grow with the
 * database, and every page a submission touches stays in the server's
 * resident memory (92 MB after a ten-second benchmark instead of 12).
 */
#define DB_CACHE_KIB 8192
#define DB_MMAP_BYTES 0LL
#define DB_BULK_CACHE_KIB 131072
#define DB_BULK_MMAP_BYTES (2LL << 30)	/* SQLite caps it (2 GiB here) */

int db_open(struct db **out, const char *path, unsigned flags);
/* Close; -1 when a statement was left unfinalized (each is logged). */
int db_close(struct db *db);

/*
 * Bulk reading on (1) or off (0), counted: while any caller has it on,
 * the connection uses the large cache and the map above; when the last
 * turns it off both shrink back and their memory is released. Settings
 * only: what is read stays the same either way.
 */
void db_bulk_read(struct db *db, int on);
/* Whether bulk reading is on now (tests). */
int db_bulk_reading(struct db *db);

void db_lock(struct db *db);
void db_unlock(struct db *db);
/* This thread holds db's lock: 1, else 0. */
int db_locked(struct db *db);

/* Lock and BEGIN IMMEDIATE. Nested db_begin on one thread is a bug. */
int db_begin(struct db *db);
/* COMMIT and unlock. On failure the transaction is rolled back; -1. */
int db_commit(struct db *db);
/* ROLLBACK and unlock. */
void db_rollback(struct db *db);

/* Run SQL text without parameters (one or more statements). */
int db_exec(struct db *db, const char *sql);

int db_prepare(struct db *db, struct stmt **out, const char *sql);
void stmt_finalize(struct stmt *st);

/* Binds by name; a name not in the statement is a bug. 0 or -1. */
int stmt_bind_int(struct stmt *st, const char *name, int64_t v);
int stmt_bind_text(struct stmt *st, const char *name, const char *s);
int stmt_bind_blob(struct stmt *st, const char *name, const void *p, size_t len);
int stmt_bind_null(struct stmt *st, const char *name);

enum { DB_DONE = 0, DB_ROW = 1 };
/* DB_ROW, DB_DONE, or -1 on error (logged). */
int stmt_step(struct stmt *st);
/* Step expecting no row; 0 or -1. */
int stmt_run(struct stmt *st);

int64_t stmt_int(struct stmt *st, int col);
/* NULL for SQL NULL; valid until the next step or finalize. */
const char *stmt_text(struct stmt *st, int col);
const void *stmt_blob(struct stmt *st, int col, size_t *len);
int stmt_is_null(struct stmt *st, int col);

int64_t db_last_id(struct db *db);
/*
 * Failure injection, for tests: db_fail_step(db, n) makes the n-th
 * statement stepped from now on (counting from 1; stmt_step, stmt_run and
 * the transaction control of db_begin/db_commit) fail as if SQLite had
 * refused it, without running it; 0 turns it off. db_steps counts the
 * statements stepped on this connection so far, so a test runs an action
 * once to learn how many steps it takes, then fails each in turn and
 * checks that nothing was left half done. db_exec is not counted (it runs
 * migrations, never an action).
 */
void db_fail_step(struct db *db, uint64_t n);
uint64_t db_steps(struct db *db);

/* 1 when this connection is inside a transaction. */
int db_in_transaction(struct db *db);

/*
 * For a change that must be atomic whether or not its caller already
 * opened a transaction: db_join begins one when there is none (*own = 1)
 * and always takes the lock; db_leave commits (ok) or rolls back what
 * db_join began, and unlocks. Returns 0 or -1.
 */
int db_join(struct db *db, int *own);
int db_leave(struct db *db, int own, int ok);

/*
 * Group commit. fn(db, arg) is one durable write that does not need a
 * transaction of its own: it runs in a write transaction that may also
 * hold other threads' writes, each inside a SAVEPOINT of its own, so a
 * write whose fn fails (-1) is undone alone and the others go on. The
 * call returns only after the COMMIT that holds the write has returned
 * (synchronous=FULL: it is on disk), so a caller that answers after it
 * acknowledges nothing that a crash could take back. Returns fn's 0, or
 * -1 when fn failed or the transaction did (BEGIN or COMMIT: then every
 * write of the group gets -1 and none is stored).
 *
 * Why: with one transaction per write, each submission paid a WAL write
 * and an fsync of its own, under the writer lock. Writes that arrive
 * while a group is being committed form the next group.
 *
 * A write can be announced before it is ready (db_group_expect: a report
 * is being sealed, which takes longer than a commit); the thread that is
 * to commit the next group then waits for the announced writes to queue,
 * at most DB_GROUP_WAIT_US, so they share its COMMIT instead of each
 * starting one. An unannounced lone write commits at once. The wait
 * costs the waiting writes that time at most; the COMMIT it saves (a
 * WAL write, an fsync, the locks, waking the threads) was about a
 * tenth of a submission's CPU time (bench/README.md, issue #7).
 *
 * fn runs on whichever thread commits the group (its own or another's),
 * with the lock held: it must not wait for anything else, and must not
 * be called inside a transaction (that would be a bug: the program dies).
 */
typedef int (*db_write_fn)(struct db *db, void *arg);
int db_group_write(struct db *db, db_write_fn fn, void *arg);

/*
 * Announce a group write; the same caller then makes exactly one
 * db_group_write_expected (the announced write), or, when it gives up
 * before writing, one db_group_unexpect. A thread must not announce and
 * then wait for a group write of another thread: the committer would
 * wait for it (DB_GROUP_WAIT_US, then commit without it).
 */
#define DB_GROUP_WAIT_US 1000
void db_group_expect(struct db *db);
int db_group_write_expected(struct db *db, db_write_fn fn, void *arg);
void db_group_unexpect(struct db *db);
/* The longest wait for announced writes, in microseconds (tests). */
void db_group_set_wait(struct db *db, unsigned us);
/* Announced writes not yet queued nor given up (tests). */
unsigned db_group_expected(struct db *db);

/*
 * Writes and transactions through db_group_write so far, and the writes
 * queued now for the next group (tests, logs).
 */
void db_group_counts(struct db *db, uint64_t *writes, uint64_t *commits,
                     size_t *queued);

/* Rows changed by the last statement. */
int db_changes(struct db *db);

/*
 * The installation secret that signs the audit log's checkpoints
 * (audit.h), kept with the connection so that every audit_append can sign
 * without the caller passing it. Not owned: it must outlive its use (the
 * installation sets it at install_open and clears it at install_close).
 * NULL, the default, writes no checkpoints.
 */
void db_set_audit_key(struct db *db, const struct secret *key);
const struct secret *db_audit_key(struct db *db);

/* The schema version recorded in the database (0 when none). */
int db_schema_version(struct db *db);

/*
 * Copy the database to a new file dest with SQLite's online backup API.
 * The copy is one read snapshot: a read transaction stays open for the
 * whole copy, so writers in other processes go on (WAL) and never restart
 * it, and the copy is the database as it was when the backup began. It
 * holds db's lock throughout, so in a process that writes through db,
 * give the backup a connection of its own (the CLI is one).
 *
 * pages pages are copied per step; progress (may be NULL) is called after
 * each step with the pages done and the total. The copy is written to
 * dest.tmp in rollback-journal mode (one self-contained file), synced, and
 * renamed to dest. Refuses an existing dest. 0, or -1 with nothing at dest.
 */
int db_backup(struct db *db, const char *dest, int pages,
              void (*progress)(void *arg, int done, int total), void *arg);

#endif
