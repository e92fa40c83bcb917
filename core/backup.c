/*
 * backup.c - check a copy of the database (see backup.h).
 *
 * Every check runs even after one fails, so the operator sees the whole
 * state of a copy at once; the counts let them compare it with what the
 * live installation holds.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "db.h"
#include "install.h"
#include "log.h"

/* Lines of integrity_check output shown; the rest are counted. */
#define SHOW_MAX 10

static void finding(struct backup_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
finding(struct backup_check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&c->report, fmt, ap);
	va_end(ap);
	buf_addch(&c->report, '\n');
	c->problems++;
}

static void
check_integrity(struct db *db, struct backup_check *c)
{
	struct stmt *st = NULL;
	int rc, shown = 0, bad = 0;

	if (db_prepare(db, &st, "PRAGMA integrity_check") < 0) {
		finding(c, "integrity check: cannot run (the file is damaged)");
		return;
	}
	while ((rc = stmt_step(st)) == DB_ROW) {
		const char *line = stmt_text(st, 0);

		if (line && strcmp(line, "ok") == 0)
			continue;
		bad++;
		if (shown++ < SHOW_MAX)
			finding(c, "integrity check: %s", line ? line : "?");
	}
	if (rc < 0)
		finding(c, "integrity check: stopped (the file is damaged)");
	else if (bad > SHOW_MAX)
		finding(c, "integrity check: %d more problems", bad - SHOW_MAX);
	stmt_finalize(st);
}

static void
check_foreign_keys(struct db *db, struct backup_check *c)
{
	struct stmt *st = NULL;
	int rc, shown = 0;

	if (db_prepare(db, &st, "PRAGMA foreign_key_check") < 0) {
		finding(c, "foreign key check: cannot run");
		return;
	}
	while ((rc = stmt_step(st)) == DB_ROW)
		if (shown++ < SHOW_MAX)
			finding(c, "foreign key check: row %" PRId64 " of %s "
			        "points to a missing row of %s", stmt_int(st, 1),
			        stmt_text(st, 0), stmt_text(st, 2));
	if (rc < 0)
		finding(c, "foreign key check: stopped (the file is damaged)");
	stmt_finalize(st);
}

static void
count_rows(struct db *db, struct backup_check *c)
{
	struct stmt *st = NULL;

	if (db_prepare(db, &st, "SELECT (SELECT count(*) FROM reports),"
	               " (SELECT count(*) FROM users),"
	               " (SELECT count(*) FROM keyrings),"
	               " (SELECT count(*) FROM audit_log)") < 0 ||
	    stmt_step(st) != DB_ROW) {
		finding(c, "cannot count the rows (the file is damaged)");
		stmt_finalize(st);
		return;
	}
	c->reports = stmt_int(st, 0);
	c->users = stmt_int(st, 1);
	c->keyrings = stmt_int(st, 2);
	c->audit_rows = stmt_int(st, 3);
	stmt_finalize(st);
}

int
backup_check(const char *path, struct backup_check *c)
{
	struct db *db = NULL;
	int64_t rows, bad;

	memset(c, 0, sizeof(*c));
	buf_init(&c->report);
	if (access(path, R_OK) != 0) {
		finding(c, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (db_open(&db, path, DB_READONLY) < 0) {
		finding(c, "%s cannot be opened as a Meldpunt database (damaged, "
		        "not a backup, or made by a newer Meldpunt)", path);
		return -1;
	}
	c->schema = db_schema_version(db);
	check_integrity(db, c);
	check_foreign_keys(db, c);
	if (audit_verify(db, &rows, &bad) < 0)
		finding(c, "audit log broken at row %" PRId64 ": edited, "
		        "inserted, or a row before it deleted", bad);
	count_rows(db, c);
	if (db_close(db) < 0)
		finding(c, "the copy did not close cleanly");
	return 0;
}

void
backup_check_release(struct backup_check *c)
{
	buf_release(&c->report);
}

int
backup_write(struct installation *inst, const char *path,
             void (*progress)(void *arg, int done, int total), void *arg)
{
	if (db_backup(inst->db, path, BACKUP_PAGES_PER_STEP, progress, arg) < 0)
		return -1;
	if (audit_append(inst->db, AUDIT_ACTOR_SYSTEM, "backup", path) < 0) {
		if (unlink(path) < 0)
			error("could not remove the unaudited backup %s: %s", path,
			      strerror(errno));
		return -1;
	}
	return 0;
}
