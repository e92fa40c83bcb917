/*
 * migrate.h - numbered schema migrations.
 *
 * The schema is the files schema/migrations/NNNN_name.sql, embedded at
 * build time. Each database records in schema_version which migrations it
 * has. Opening a database applies the missing ones in order, all in one
 * transaction: either every pending migration is applied and recorded, or
 * the database is left exactly as it was. A database with a version beyond
 * what this program knows was made by a newer Meldpunt and is refused.
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

/* Highest built-in version. */
int migrate_known_version(void);

/* Refuse (-1, with a clear message) a database newer than this program. */
int migrate_check(struct db *db);

/* Apply the pending built-in migrations. */
int migrate_latest(struct db *db);

/*
 * Apply the migrations in list (sorted by version) that the database does
 * not have yet, in one transaction. 0, or -1 with nothing changed.
 */
int migrate_apply(struct db *db, const struct migration *list, size_t n);

#endif
