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

#endif
