/*
 * migrate.h - numbered schema migrations.
 *
 * The schema is the files schema/migrations/NNNN_name.sql, embedded at
 * build time. Each database records in schema_version which migrations it
 * has. Opening a database applies the missing ones in order, all in one
 * transaction: either every pending migration is applied and recorded, or
 * the database is left exactly as it was. A database with a version beyond
 * what this program knows was made by a newer Meldpunt and is refused.
 *
 * Rebuilding a table. SQLite changes a CHECK, a column's type or a
 * constraint only by building a new table, copying the rows, dropping the
 * old one and renaming the new one. With foreign keys on, that DROP deletes
 * every row of the old table first, and ON DELETE CASCADE takes the rows of
 * its children with it (reports -> messages, attachments, events...). A
 * migration that rebuilds says so on its first line:
 *
 *	-- meldpunt: rebuild
 *
 * and migrate_apply then follows SQLite's procedure
 * (https://www.sqlite.org/lang_altertable.html#otheralter): PRAGMA
 * foreign_keys = OFF before BEGIN (inside a transaction it does nothing),
 * the pending migrations, PRAGMA foreign_key_check (any row pointing
 * nowhere: roll back and refuse, naming the table and row), COMMIT, and
 * foreign keys on again whatever happened. The migration itself does steps
 * 4-9: CREATE TABLE x_new, INSERT INTO x_new SELECT ... FROM x, DROP TABLE
 * x, ALTER TABLE x_new RENAME TO x, then recreate x's indexes, triggers and
 * views (DROP TABLE took them).
 *
 * What changes for a batch that holds a rebuild: still one transaction,
 * so still all pending migrations or none; but foreign keys are off for
 * every migration of that batch, not just the rebuild, so ON DELETE
 * CASCADE and SET NULL do not fire in any of them (a migration that
 * deletes parent rows deletes their children itself) and a broken
 * reference is found by the check at the end instead of at the statement.
 */
#ifndef MELDPUNT_MIGRATE_H
#define MELDPUNT_MIGRATE_H

#include <stddef.h>

struct db;

struct migration {
	int version;
	const char *name;	/* file name, e.g. "0001_init.sql" */
	const char *sql;
};

/* The built-in migrations, in order; *n receives their number. */
const struct migration *migrate_builtin(size_t *n);

/* The first line of a migration that rebuilds a table (see above). */
#define MIGRATE_REBUILD_MARKER "-- meldpunt: rebuild\n"

/* 1 when m starts with MIGRATE_REBUILD_MARKER, else 0. */
int migrate_rebuilds(const struct migration *m);

/* Highest built-in version. */
int migrate_known_version(void);

/* Refuse (-1, with a clear message) a database newer than this program. */
int migrate_check(struct db *db);

/* Apply the pending built-in migrations. */
int migrate_latest(struct db *db);

/*
 * Apply the migrations in list (sorted by version) that the database does
 * not have yet, in one transaction (with foreign keys off when one of them
 * rebuilds, see above). 0, or -1 with nothing changed.
 */
int migrate_apply(struct db *db, const struct migration *list, size_t n);

#endif
