/*
 * backup.h - checking a copy of the database before trusting it.
 *
 * `meldpunt backup FILE` makes the copy (backup_write: db_backup in db.h,
 * SQLite's online backup, one snapshot, while the server goes on). A backup is only
 * worth what a restore from it is worth, so `meldpunt restore-check FILE`
 * opens a copy read-only and checks it the way a restore would need it:
 * SQLite's integrity_check and foreign_key_check, a schema this program
 * knows, an intact audit chain; and it counts what is in it.
 *
 * Ownership: backup_check fills a caller's struct backup_check; release
 * it with backup_check_release.
 */
#ifndef MELDPUNT_BACKUP_H
#define MELDPUNT_BACKUP_H

#include <stdint.h>

#include "buf.h"

struct backup_check {
	int schema;			/* schema version of the copy */
	int64_t reports, users, keyrings, audit_rows;
	int problems;			/* 0: the copy can be restored */
	struct buf report;		/* one line per finding, for people */
};

/* Copies per step of db_backup: 1024 pages is 4 MiB at SQLite's default. */
#define BACKUP_PAGES_PER_STEP 1024

struct installation;

/*
 * `meldpunt backup FILE`: copy the installation's database to path
 * (db_backup; progress may be NULL) and audit it as done by the system.
 * When the audit row cannot be written the copy is removed again: a
 * backup nobody can see in the log is not kept. 0, or -1 with nothing at
 * path.
 */
int backup_write(struct installation *inst, const char *path,
                 void (*progress)(void *arg, int done, int total), void *arg);

/*
 * Check the database file at path, read-only. 0 when the checks could
 * run (then out->problems says whether they passed), -1 when the file
 * could not be opened as a Meldpunt database at all (out->report says why).
 */
int backup_check(const char *path, struct backup_check *out);
void backup_check_release(struct backup_check *c);

#endif
