/*
 * audit.h - the hash-chained audit log.
 *
 * Every login, every read of content and every change appends a row: when,
 * who (a username, "reporter" or "system"), what, and on which object. Each
 * row's hash is BLAKE2b over the previous row's hash and this row's fields,
 * so editing, inserting or deleting a row breaks the chain from there on;
 * audit_verify names the first row that does not fit.
 *
 * Never put a client address, user agent or report content in a row.
 *
 * Signed checkpoints close what the chain leaves open: a tail cut off, or
 * rewritten with recomputed hashes. A checkpoint is a row id, that row's
 * hash and an Ed25519 signature by a key derived from the installation
 * secret (crypto/sign.h), which never enters the database. The connection
 * carries the secret (db_set_audit_key; install_open sets it on a writable
 * installation, so no caller passes it): audit_append then checkpoints
 * every AUDIT_CHECKPOINT_EVERY-th row in the transaction that appends it,
 * and install_close checkpoints the last row (audit_checkpoint), so at a
 * clean close the latest checkpoint covers the end of the log. Each
 * checkpoint is also logged (row id and the first 16 hex digits of its
 * hash): a witness outside the database, for when someone deletes the
 * checkpoints along with the rows.
 */
#ifndef MELDPUNT_AUDIT_H
#define MELDPUNT_AUDIT_H

#include <stdint.h>

struct db;

#define AUDIT_ACTOR_SYSTEM "system"
#define AUDIT_ACTOR_REPORTER "reporter"

/*
 * Append one row; may be called inside a transaction. Outside one it takes
 * its own (BEGIN IMMEDIATE), so that reading the head and appending to it
 * is one step even when another process (the CLI next to the server)
 * appends at the same time. 0 or -1.
 */
int audit_append(struct db *db, const char *actor, const char *action,
                 const char *object);

/* The outcomes a row records (BIO 8.15: the result of the event). */
#define AUDIT_OK "ok"
#define AUDIT_REFUSED "refused"
#define AUDIT_FAILED "failed"

/* audit_append with its result (AUDIT_OK, AUDIT_REFUSED, ...); the plain
 * audit_append records AUDIT_OK. 0 or -1. */
int audit_append_result(struct db *db, const char *actor, const char *action,
                        const char *object, const char *result);

/*
 * Walk the chain. 0 when every row fits (and *rows gets their number);
 * -1 otherwise, with *bad_id the first row that does not fit.
 */
int audit_verify(struct db *db, int64_t *rows, int64_t *bad_id);

/*
 * Every 100th row. Rows after the latest checkpoint are guarded by the
 * chain alone until the next one or the next clean close, so N bounds what
 * a crash can leave unsigned; a checkpoint costs one signature (~50 us)
 * and ~140 bytes, about 1% of what 100 rows take.
 */
#define AUDIT_CHECKPOINT_EVERY 100

/*
 * Checkpoint the last row unless it already is. 0 (also when the
 * connection has no audit key or the log is empty) or -1.
 */
int audit_checkpoint(struct db *db);

struct secret;

/* What audit_verify_signed found. */
struct audit_check {
	int64_t rows;			/* rows in the log */
	int64_t checkpoints;		/* checkpoints checked */
	int64_t last_checkpoint;	/* row of the latest, 0 when none */
	int64_t bad_row;		/* the row the problem names, or 0 */
	char problem[256];		/* "" when the log is intact */
};

/*
 * audit_verify, then every checkpoint: its signature by the key of
 * installation_secret, that its row holds its hash, that the log reaches
 * the latest checkpoint (else it was truncated), and that from the first
 * checkpoint on none of every AUDIT_CHECKPOINT_EVERY-th row is missing.
 * 0 when all fits; -1 with out->problem naming the row.
 */
int audit_verify_signed(struct db *db, const struct secret *installation_secret,
                        struct audit_check *out);

/* One row of the log, as the auditor's page shows it. */
struct audit_row {
	int64_t id;
	char at[24];
	char actor[65];
	char action[48];
	char object[160];
	char result[16];	/* "" for rows from before results were kept */
};

/*
 * At most max rows with id < before (0: from the newest), newest first,
 * optionally only those whose actor or object contains filter. 0 and *n,
 * or -1.
 */
int audit_list(struct db *db, int64_t before, const char *filter,
               struct audit_row *out, size_t max, size_t *n);

#endif
