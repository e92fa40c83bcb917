/*
 * audit.c - append to and verify the audit chain (see audit.h).
 *
 * The hash covers the row id, so a deleted row shows as a gap even when
 * the rows after it were re-hashed. The chain alone cannot stop someone
 * with write access from rewriting the whole tail consistently; signed
 * checkpoints of the chain head (an operations feature) close that gap.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

static void
hash_field(struct crypto_hash_state *h, const char *s)
{
	uint8_t len[8];
	size_t n = strlen(s), i;

	/* Length prefix: "ab"+"c" and "a"+"bc" must hash differently. */
	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)((uint64_t)n >> (8 * i));
	crypto_hash_add(h, len, sizeof(len));
	crypto_hash_add(h, s, n);
}

static void
row_hash(uint8_t out[CRYPTO_HASH_LEN], const uint8_t prev[CRYPTO_HASH_LEN],
         int64_t id, const char *at, const char *actor, const char *action,
         const char *object, const char *result)
{
	struct crypto_hash_state h;
	char idtext[32];

	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	crypto_hash_begin(&h);
	crypto_hash_add(&h, prev, CRYPTO_HASH_LEN);
	hash_field(&h, idtext);
	hash_field(&h, at);
	hash_field(&h, actor);
	hash_field(&h, action);
	hash_field(&h, object);
	/* Rows from before results were kept have none, and hash none. */
	if (result)
		hash_field(&h, result);
	crypto_hash_end(&h, out);
}

int
audit_append(struct db *db, const char *actor, const char *action,
             const char *object)
{
	return audit_append_result(db, actor, action, object, AUDIT_OK);
}

int
audit_append_result(struct db *db, const char *actor, const char *action,
                    const char *object, const char *result)
{
	uint8_t prev[CRYPTO_HASH_LEN] = {0}, hash[CRYPTO_HASH_LEN];
	char at[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int64_t id = 1;
	int own_tx = 0, ret = -1;

	if (!object)
		object = "";
	clock_format(clock_now(), at);
	/*
	 * Reading the chain head and appending must be one write
	 * transaction: another process (the command line next to the
	 * server) may append too, and the in-process lock does not see it.
	 */
	if (db_join(db, &own_tx) < 0)
		return -1;
	if (db_prepare(db, &st, "SELECT id, hash FROM audit_log "
	                        "ORDER BY id DESC LIMIT 1") < 0)
		goto out;
	switch (stmt_step(st)) {
	case DB_ROW: {
		size_t len;
		const void *p = stmt_blob(st, 1, &len);

		if (len != CRYPTO_HASH_LEN) {
			error("audit log row %" PRId64 " has a damaged hash",
			      stmt_int(st, 0));
			goto out;
		}
		memcpy(prev, p, len);
		id = stmt_int(st, 0) + 1;
		break;
	}
	case DB_DONE:
		break;
	default:
		goto out;
	}
	stmt_finalize(st);
	st = NULL;

	row_hash(hash, prev, id, at, actor, action, object, result);
	if (db_prepare(db, &st, "INSERT INTO audit_log"
	               " (id, at, actor, action, object, result, hash)"
	               " VALUES (:id, :at, :actor, :action, :object, :result,"
	               " :hash)") < 0 ||
	    stmt_bind_text(st, ":result", result) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_text(st, ":at", at) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_bind_text(st, ":action", action) < 0 ||
	    stmt_bind_text(st, ":object", object) < 0 ||
	    stmt_bind_blob(st, ":hash", hash, sizeof(hash)) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own_tx, ret == 0);
}

int
audit_verify(struct db *db, int64_t *rows, int64_t *bad_id)
{
	uint8_t prev[CRYPTO_HASH_LEN] = {0}, want[CRYPTO_HASH_LEN];
	struct stmt *st = NULL;
	int64_t expect = 1, n = 0;
	int rc, ret = -1;

	*rows = 0;
	*bad_id = 0;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id, at, actor, action, object, hash,"
	                        " result FROM audit_log ORDER BY id") < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0);
		const void *hash;
		size_t len;

		hash = stmt_blob(st, 5, &len);
		/* A gap in the ids is a deleted row. */
		if (id != expect || len != CRYPTO_HASH_LEN) {
			*bad_id = id;
			goto out;
		}
		row_hash(want, prev, id, stmt_text(st, 1), stmt_text(st, 2),
		         stmt_text(st, 3), stmt_text(st, 4), stmt_text(st, 6));
		if (!crypto_equal(want, hash, CRYPTO_HASH_LEN)) {
			*bad_id = id;
			goto out;
		}
		memcpy(prev, want, sizeof(prev));
		expect++;
		n++;
	}
	if (rc == DB_DONE) {
		*rows = n;
		ret = 0;
	}
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}
