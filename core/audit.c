/*
 * audit.c - append to and verify the audit chain (see audit.h).
 *
 * The hash covers the row id, so a deleted row shows as a gap even when
 * the rows after it were re-hashed. The chain alone cannot stop someone
 * with write access from rewriting the whole tail consistently, or cutting
 * it off; the signed checkpoints (audit_checkpoints) close that gap.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "sign.h"

/* What a checkpoint signs: this purpose, the row id and the row's hash. */
#define CHECKPOINT_PURPOSE "meldpunt audit checkpoint v1"
#define CHECKPOINT_MSG_LEN (8 + CRYPTO_HASH_LEN)

static void
checkpoint_msg(uint8_t msg[CHECKPOINT_MSG_LEN], int64_t id,
               const uint8_t hash[CRYPTO_HASH_LEN])
{
	int i;

	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)((uint64_t)id >> (8 * i));
	memcpy(msg + 8, hash, CRYPTO_HASH_LEN);
}

/* 1 when the database has the checkpoint table (migration 0011). */
static int
has_checkpoints(struct db *db)
{
	struct stmt *st = NULL;
	int found = 0;

	if (db_prepare(db, &st, "SELECT 1 FROM sqlite_master WHERE type ="
	               " 'table' AND name = 'audit_checkpoints'") == 0)
		found = stmt_step(st) == DB_ROW;
	stmt_finalize(st);
	return found;
}

/*
 * Sign and store a checkpoint of row id; the caller holds a write
 * transaction. The witness line goes out when the caller's transaction is
 * committed (witness()).
 */
static int
store_checkpoint(struct db *db, const struct secret *key, int64_t id,
                 const uint8_t hash[CRYPTO_HASH_LEN])
{
	uint8_t msg[CHECKPOINT_MSG_LEN], sig[SIGN_LEN];
	char at[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	checkpoint_msg(msg, id, hash);
	if (sign_make(key, CHECKPOINT_PURPOSE, msg, sizeof(msg), sig) < 0)
		return error("could not sign an audit checkpoint");
	clock_format(clock_now(), at);
	if (db_prepare(db, &st, "INSERT INTO audit_checkpoints (row_id, hash,"
	               " signature, at) VALUES (:id, :hash, :sig, :at)") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_blob(st, ":hash", hash, CRYPTO_HASH_LEN) < 0 ||
	    stmt_bind_blob(st, ":sig", sig, sizeof(sig)) < 0 ||
	    stmt_bind_text(st, ":at", at) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* The outside witness: row id and the first 16 hex digits of its hash. */
static void
witness(int64_t id, const uint8_t hash[CRYPTO_HASH_LEN])
{
	char hex[17];
	int i;

	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	log_info("audit checkpoint: row %" PRId64 " hash %s", id, hex);
}

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

/*
 * text, or an escaped copy of it (in *copy, to free) when it holds a
 * control character or a backslash: a row is read as one line by the
 * auditor's page and its log line, and a typed text (a user name at the
 * login) must not break either (SECURITY.md 18).
 */
static const char *
one_line(const char *text, char **copy)
{
	const char *p;
	size_t size;

	*copy = NULL;
	for (p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			break;
	if (!*p)
		return text;
	size = strlen(text) * 4 + 1;
	*copy = malloc(size);
	if (!*copy)
		die("out of memory");
	log_escape(*copy, size, text);
	return *copy;
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
	const struct secret *key = db_audit_key(db);
	char at[CLOCK_TEXT_LEN + 1];
	char *actor_copy, *action_copy, *object_copy;
	struct stmt *st = NULL;
	int64_t id = 1;
	int own_tx = 0, checkpointed = 0, ret = -1;

	if (!object)
		object = "";
	actor = one_line(actor, &actor_copy);
	action = one_line(action, &action_copy);
	object = one_line(object, &object_copy);
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
	/* In the row's own transaction: no row N*EVERY without its checkpoint. */
	if (key && id % AUDIT_CHECKPOINT_EVERY == 0) {
		if (store_checkpoint(db, key, id, hash) < 0)
			goto out;
		checkpointed = 1;
	}
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own_tx, ret == 0);
	/*
	 * Each event also goes to the log, one line with the BIO 8.15
	 * fields (time, who, what, on which object, result), for whoever
	 * collects logs centrally. A row never holds content or an address,
	 * so neither does this line.
	 */
	if (ret == 0)
		log_info("audit row=%lld actor=%s action=%s object=%s result=%s",
		         (long long)id, actor, action, object, result);
	if (ret == 0 && checkpointed)
		witness(id, hash);
	free(actor_copy);
	free(action_copy);
	free(object_copy);
	return ret;
}

int
audit_checkpoint(struct db *db)
{
	uint8_t hash[CRYPTO_HASH_LEN];
	const struct secret *key = db_audit_key(db);
	struct stmt *st = NULL;
	int64_t id = 0;
	int own, rc, ret = -1;

	if (!key)
		return 0;
	if (db_join(db, &own) < 0)
		return -1;
	if (!has_checkpoints(db)) {
		ret = 0;
		goto out;
	}
	if (db_prepare(db, &st, "SELECT a.id, a.hash, c.row_id FROM audit_log a"
	               " LEFT JOIN audit_checkpoints c ON c.row_id = a.id"
	               " ORDER BY a.id DESC LIMIT 1") < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE || (rc == DB_ROW && !stmt_is_null(st, 2))) {
		ret = 0;	/* nothing to sign, or signed already */
		goto out;
	}
	if (rc != DB_ROW)
		goto out;
	{
		size_t len;
		const void *p = stmt_blob(st, 1, &len);

		if (len != CRYPTO_HASH_LEN) {
			error("audit log row %" PRId64 " has a damaged hash",
			      stmt_int(st, 0));
			goto out;
		}
		memcpy(hash, p, len);
	}
	id = stmt_int(st, 0);
	stmt_finalize(st);
	st = NULL;
	if (store_checkpoint(db, key, id, hash) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0 && id)
		witness(id, hash);
	return ret;
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

static int
problem(struct audit_check *out, int64_t row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
problem(struct audit_check *out, int64_t row, const char *fmt, ...)
{
	va_list ap;

	out->bad_row = row;
	va_start(ap, fmt);
	vsnprintf(out->problem, sizeof(out->problem), fmt, ap);
	va_end(ap);
	return -1;
}

int
audit_verify_signed(struct db *db, const struct secret *installation_secret,
                    struct audit_check *out)
{
	uint8_t pk[SIGN_PUBLICKEY_LEN], msg[CHECKPOINT_MSG_LEN];
	struct stmt *st = NULL;
	int64_t bad, next_due = 0;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	if (audit_verify(db, &out->rows, &bad) < 0) {
		if (bad)
			return problem(out, bad, "row %" PRId64 " does not fit "
			               "the chain: it was edited or inserted, or a "
			               "row before it was deleted", bad);
		return problem(out, 0, "the audit log could not be read");
	}
	if (sign_public_key(installation_secret, pk) < 0)
		return problem(out, 0, "the installation secret has the wrong "
		               "size");
	db_lock(db);
	if (!has_checkpoints(db)) {
		ret = 0;	/* a database from before checkpoints */
		goto out;
	}
	/* The chain held, so the log is rows 1..rows and each hash fits. */
	if (db_prepare(db, &st, "SELECT c.row_id, c.hash, c.signature, a.hash"
	               " FROM audit_checkpoints c LEFT JOIN audit_log a"
	               " ON a.id = c.row_id ORDER BY c.row_id") < 0)
		goto fail;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0);
		const void *hash, *sig, *have;
		size_t hlen, slen, alen;

		hash = stmt_blob(st, 1, &hlen);
		sig = stmt_blob(st, 2, &slen);
		have = stmt_blob(st, 3, &alen);
		if (hlen != CRYPTO_HASH_LEN || slen != SIGN_LEN) {
			problem(out, id, "the checkpoint of row %" PRId64
			        " is damaged", id);
			goto out;
		}
		checkpoint_msg(msg, id, hash);
		if (!sign_check(pk, CHECKPOINT_PURPOSE, msg, sizeof(msg), sig)) {
			problem(out, id, "the checkpoint of row %" PRId64 " is "
			        "not signed by this installation: forged or "
			        "damaged", id);
			goto out;
		}
		if (next_due && id > next_due) {
			problem(out, next_due, "the checkpoint of row %" PRId64
			        " is missing: checkpoints were deleted", next_due);
			goto out;
		}
		if (stmt_is_null(st, 3)) {
			problem(out, id, "the log ends at row %" PRId64 " but a "
			        "signed checkpoint covers row %" PRId64 ": rows "
			        "after %" PRId64 " were removed (truncated)",
			        out->rows, id, out->rows);
			goto out;
		}
		if (alen != CRYPTO_HASH_LEN ||
		    !crypto_equal(have, hash, CRYPTO_HASH_LEN)) {
			problem(out, id, "row %" PRId64 " does not hold the hash "
			        "its signed checkpoint names: the log was "
			        "rewritten up to that row", id);
			goto out;
		}
		out->checkpoints++;
		out->last_checkpoint = id;
		next_due = (id / AUDIT_CHECKPOINT_EVERY + 1) *
		           AUDIT_CHECKPOINT_EVERY;
	}
	if (rc < 0)
		goto fail;
	if (next_due && next_due <= out->rows) {
		problem(out, next_due, "the checkpoint of row %" PRId64 " is "
		        "missing: checkpoints were deleted", next_due);
		goto out;
	}
	ret = 0;
	goto out;
fail:
	problem(out, 0, "the audit checkpoints could not be read");
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
audit_list(struct db *db, int64_t before, const char *filter,
           struct audit_row *out, size_t max, size_t *n)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	*n = 0;
	db_lock(db);
	/* instr(), not LIKE: a filter's % and _ are just characters. */
	if (db_prepare(db, &st, "SELECT id, at, actor, action, object,"
	               " coalesce(result, '') FROM audit_log"
	               " WHERE (:before = 0 OR id < :before)"
	               " AND (:filter IS NULL OR instr(actor, :filter) > 0"
	               "  OR instr(object, :filter) > 0)"
	               " ORDER BY id DESC LIMIT :max") < 0 ||
	    stmt_bind_int(st, ":before", before) < 0 ||
	    stmt_bind_text(st, ":filter", filter && *filter ? filter : NULL) < 0 ||
	    stmt_bind_int(st, ":max", (int64_t)max) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW && *n < max) {
		struct audit_row *r = &out[(*n)++];

		r->id = stmt_int(st, 0);
		snprintf(r->at, sizeof(r->at), "%s", stmt_text(st, 1));
		snprintf(r->actor, sizeof(r->actor), "%s", stmt_text(st, 2));
		snprintf(r->action, sizeof(r->action), "%s", stmt_text(st, 3));
		snprintf(r->object, sizeof(r->object), "%s", stmt_text(st, 4));
		snprintf(r->result, sizeof(r->result), "%s", stmt_text(st, 5));
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}
