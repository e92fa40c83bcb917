/*
 * migrate.c - apply schema/migrations/ in order (see migrate.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "schema.h"

#define MIGRATION_DIR "migrations/"

static struct migration *builtin;
static size_t nbuiltin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/*
 * Collect the embedded migration files. Their numbers must run 1, 2, 3...
 * without gaps: a gap means a file was lost, and the build is broken.
 */
static void
collect_builtin(void)
{
	const struct schema_file *f;
	size_t cap = 0;

	for (f = schema_files; f->path; f++)
		if (strncmp(f->path, MIGRATION_DIR, strlen(MIGRATION_DIR)) == 0)
			cap++;
	builtin = calloc(cap ? cap : 1, sizeof(*builtin));
	if (!builtin)
		die("out of memory");
	for (f = schema_files; f->path; f++) {
		const char *name;
		char *end;
		long v;

		if (strncmp(f->path, MIGRATION_DIR, strlen(MIGRATION_DIR)) != 0)
			continue;
		name = f->path + strlen(MIGRATION_DIR);
		v = strtol(name, &end, 10);
		if (end == name || *end != '_' || v != (long)nbuiltin + 1)
			die("schema/%s: migrations must be numbered 0001_, 0002_, "
			    "... without gaps", f->path);
		builtin[nbuiltin].version = (int)v;
		builtin[nbuiltin].name = name;
		builtin[nbuiltin].sql = f->text;
		nbuiltin++;
	}
}

const struct migration *
migrate_builtin(size_t *n)
{
	pthread_once(&builtin_once, collect_builtin);
	*n = nbuiltin;
	return builtin;
}

int
migrate_known_version(void)
{
	size_t n;
	const struct migration *m = migrate_builtin(&n);

	return n ? m[n - 1].version : 0;
}

static const char create_version_table[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL)";

int
db_schema_version(struct db *db)
{
	struct stmt *st;
	int version = 0;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT name FROM sqlite_schema "
	                        "WHERE type = 'table' AND name = 'schema_version'") < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		stmt_finalize(st);
		goto out;
	}
	stmt_finalize(st);
	if (db_prepare(db, &st, "SELECT coalesce(max(version), 0) "
	                        "FROM schema_version") < 0)
		goto out;
	if (stmt_step(st) == DB_ROW)
		version = (int)stmt_int(st, 0);
	stmt_finalize(st);
out:
	db_unlock(db);
	return version;
}

int
migrate_check(struct db *db)
{
	int have = db_schema_version(db), know = migrate_known_version();

	if (have > know)
		return error("this database has schema version %d, made by a newer "
		             "Meldpunt; this program knows up to version %d. Run "
		             "the newer program, or restore a backup made by this "
		             "version", have, know);
	return 0;
}

int
migrate_rebuilds(const struct migration *m)
{
	return strncmp(m->sql, MIGRATE_REBUILD_MARKER,
	               strlen(MIGRATE_REBUILD_MARKER)) == 0;
}

/* Set PRAGMA foreign_keys (outside a transaction) and check that it took. */
static int
foreign_keys(struct db *db, int on)
{
	struct stmt *st;
	int now = -1;

	if (db_exec(db, on ? "PRAGMA foreign_keys = ON"
	                   : "PRAGMA foreign_keys = OFF") < 0 ||
	    db_prepare(db, &st, "PRAGMA foreign_keys") < 0)
		return -1;
	if (stmt_step(st) == DB_ROW)
		now = (int)stmt_int(st, 0);
	stmt_finalize(st);
	return now == on ? 0 : -1;
}

/*
 * Step 10 of SQLite's procedure: with foreign keys off nothing checked the
 * references while the migrations ran, so look at every one now. A row
 * that points nowhere refuses the whole batch.
 */
static int
references_hold(struct db *db, const char *names)
{
	struct stmt *st;
	int rc;

	if (db_prepare(db, &st, "PRAGMA foreign_key_check") < 0)
		return -1;
	rc = stmt_step(st);
	if (rc == DB_ROW)
		error("migrations %s would leave row %lld of table %s pointing "
		      "at a row of %s that is not there; nothing was changed",
		      names, (long long)stmt_int(st, 1), stmt_text(st, 0),
		      stmt_text(st, 2));
	stmt_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int
migrate_apply(struct db *db, const struct migration *list, size_t n)
{
	char now[CLOCK_TEXT_LEN + 1];
	struct buf names = BUF_INIT;
	struct stmt *st = NULL;
	int have, applied = 0, rebuild = 0, ret = -1;
	size_t i;

	/*
	 * The lock is held from the pragma to its undoing, so no other
	 * thread ever uses the connection with foreign keys off.
	 */
	db_lock(db);
	have = db_schema_version(db);
	for (i = 0; i < n; i++)
		if (list[i].version > have && migrate_rebuilds(&list[i])) {
			rebuild = 1;
			buf_addf(&names, "%s%s", names.len ? ", " : "",
			         list[i].name);
		}
	/* Step 1: off, outside the transaction (inside it is a no-op). */
	if (rebuild && foreign_keys(db, 0) < 0) {
		error("cannot turn foreign keys off to rebuild tables (%s)",
		      names.data);
		goto out;
	}
	if (db_begin(db) < 0)
		goto out;
	if (db_exec(db, create_version_table) < 0)
		goto fail;
	have = db_schema_version(db);
	clock_format(clock_now(), now);
	for (i = 0; i < n; i++) {
		if (list[i].version <= have)
			continue;
		if (db_exec(db, list[i].sql) < 0) {
			error("migration %s failed; the database is unchanged",
			      list[i].name);
			goto fail;
		}
		if (db_prepare(db, &st, "INSERT INTO schema_version"
		               " (version, name, applied_at)"
		               " VALUES (:version, :name, :at)") < 0 ||
		    stmt_bind_int(st, ":version", list[i].version) < 0 ||
		    stmt_bind_text(st, ":name", list[i].name) < 0 ||
		    stmt_bind_text(st, ":at", now) < 0 ||
		    stmt_run(st) < 0)
			goto fail;
		stmt_finalize(st);
		st = NULL;
		applied++;
	}
	if (rebuild && references_hold(db, names.data) < 0)
		goto fail;
	if (db_commit(db) < 0) {
		error("migrations could not be committed; the database "
		      "is unchanged");
		goto out;
	}
	if (applied)
		log_info("applied %d schema migration(s), now at version %d",
		         applied, db_schema_version(db));
	ret = 0;
	goto out;

fail:
	stmt_finalize(st);
	db_rollback(db);
out:
	/* Step 12: on again, whatever happened. */
	if (rebuild && foreign_keys(db, 1) < 0)
		ret = error("cannot turn foreign keys back on after "
		            "rebuilding tables (%s)", names.data);
	db_unlock(db);
	buf_release(&names);
	return ret;
}

int
migrate_latest(struct db *db)
{
	size_t n;
	const struct migration *list = migrate_builtin(&n);

	return migrate_apply(db, list, n);
}
