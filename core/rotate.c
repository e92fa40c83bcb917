/*
 * rotate.c - rotate a keyring's key pair or the recovery key (see rotate.h).
 *
 * Each table with envelopes is one entry of `columns`: how to read a batch
 * of its envelopes with what their associated data is made of, and how to
 * write one back. The associated data must be the very bytes the module
 * that sealed the envelope used (report.c, message.c, case.c: the
 * report's locator, with rowad.h's row binding; oral.c: oral_ad;
 * events.c: events_ad;
 * meeting.c: the texts below); a mismatch
 * makes envelope_reseal refuse, so nothing is ever written that would not
 * open, and test_rotate opens every kind after a rotation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "clock.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "log.h"
#include "meeting.h"
#include "oral.h"
#include "receipt.h"
#include "rotate.h"
#include "rowad.h"

enum ad_kind {
	AD_LOCATOR,	/* column 2: the report's locator */
	AD_EVENT,	/* columns 2-6: report id, at, transition, seal_id,
			 * actor (events_ad) */
	AD_MEETING,	/* columns 2-3: meeting id, report id (meeting.c) */
	AD_EVENT_STATS,	/* as AD_EVENT, for the statistical fields */
	AD_MEETING_ACTIONS,	/* column 2: meeting id (meeting_actions_ad) */
	AD_FILE,	/* columns 2-4: locator, seal_id, author (rowad.h) */
	AD_MESSAGE,	/* likewise */
	AD_NOTE,	/* likewise */
	AD_ORAL,	/* likewise (oral.h oral_ad) */
};

struct column {
	const char *what;
	const char *select;	/* id, envelope, ad columns; :after, :n */
	const char *update;	/* :id, :env */
	enum ad_kind ad;
};

static const struct column columns[] = {
	{ "report content",
	  "SELECT id, content, locator FROM reports WHERE id > :after"
	  " ORDER BY id LIMIT :n",
	  "UPDATE reports SET content = :env WHERE id = :id", AD_LOCATOR },
	{ "report identity",
	  "SELECT id, identity, locator FROM reports WHERE id > :after"
	  " AND identity IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE reports SET identity = :env WHERE id = :id", AD_LOCATOR },
	{ "statistical answers",
	  "SELECT id, stats, locator FROM reports WHERE id > :after"
	  " AND stats IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE reports SET stats = :env WHERE id = :id", AD_LOCATOR },
	{ "attachments",
	  "SELECT a.id, a.content, r.locator, a.seal_id,"
	  " coalesce(m.author, 'reporter') FROM attachments a"
	  " JOIN reports r ON r.id = a.report_id"
	  " LEFT JOIN messages m ON m.id = a.message_id WHERE a.id > :after"
	  " ORDER BY a.id LIMIT :n",
	  "UPDATE attachments SET content = :env WHERE id = :id", AD_FILE },
	{ "messages",
	  "SELECT m.id, m.body, r.locator, m.seal_id, m.author FROM messages m"
	  " JOIN reports r ON r.id = m.report_id WHERE m.id > :after"
	  " ORDER BY m.id LIMIT :n",
	  "UPDATE messages SET body = :env WHERE id = :id", AD_MESSAGE },
	{ "notes",
	  "SELECT n.id, n.body, r.locator, n.seal_id, n.author FROM notes n"
	  " JOIN reports r ON r.id = n.report_id WHERE n.id > :after"
	  " ORDER BY n.id LIMIT :n",
	  "UPDATE notes SET body = :env WHERE id = :id", AD_NOTE },
	{ "oral records",
	  "SELECT o.id, o.body, r.locator, o.seal_id, o.author"
	  " FROM oral_records o JOIN reports r ON r.id = o.report_id"
	  " WHERE o.id > :after AND o.body IS NOT NULL ORDER BY o.id LIMIT :n",
	  "UPDATE oral_records SET body = :env WHERE id = :id", AD_ORAL },
	{ "event fields",
	  "SELECT id, fields, report_id, at, transition, seal_id, actor"
	  " FROM report_events"
	  " WHERE id > :after AND fields IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE report_events SET fields = :env WHERE id = :id", AD_EVENT },
	{ "event statistical fields",
	  "SELECT id, stats, report_id, at, transition, seal_id, actor"
	  " FROM report_events"
	  " WHERE id > :after AND stats IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE report_events SET stats = :env WHERE id = :id",
	  AD_EVENT_STATS },
	{ "meeting notes",
	  "SELECT id, notes, meeting_id, report_id FROM meeting_items"
	  " WHERE id > :after AND notes IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE meeting_items SET notes = :env WHERE id = :id", AD_MEETING },
	{ "meeting action points",
	  "SELECT id, actions, id FROM meetings"
	  " WHERE id > :after AND actions IS NOT NULL ORDER BY id LIMIT :n",
	  "UPDATE meetings SET actions = :env WHERE id = :id",
	  AD_MEETING_ACTIONS },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* The keys of one rotation. */
struct rotation {
	int64_t keyring_id;
	const char *name;
	uint8_t old_pk[CRYPTO_PUBLICKEY_LEN], new_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct secret *old_sk, *new_sk;
	int64_t after[NCOLUMNS + 1];	/* per column, and meeting access */
};

/*
 * The associated data of a message's, note's or file's envelope in the
 * current row of st (rowad.h: bound to its row when it has an id).
 */
static int
bound_ad(struct stmt *st, const char *kind, struct buf *ad)
{
	const void *locator, *seal_id = NULL;
	size_t len, idlen = 0;

	locator = stmt_blob(st, 2, &len);
	if (len != RECEIPT_LOCATOR_LEN)
		return -1;
	if (!stmt_is_null(st, 3))
		seal_id = stmt_blob(st, 3, &idlen);
	return rowad_open(ad, locator, len, kind, seal_id, idlen,
	                  stmt_text(st, 4));
}

/* The associated data of an event's envelope (events_ad). */
static int
event_ad(struct stmt *st, enum events_envelope which, struct buf *ad)
{
	const void *seal_id = NULL;
	size_t idlen = 0;

	if (!stmt_is_null(st, 5))
		seal_id = stmt_blob(st, 5, &idlen);
	return events_ad(ad, which, stmt_int(st, 2), stmt_text(st, 3),
	                 stmt_text(st, 4), seal_id, idlen, stmt_text(st, 6));
}

/* The associated data of the envelope in the current row of st. */
static int
row_ad(struct stmt *st, enum ad_kind kind, struct buf *ad)
{
	const void *p;
	size_t len;

	switch (kind) {
	case AD_FILE:
		return bound_ad(st, ROWAD_FILE, ad);
	case AD_MESSAGE:
		return bound_ad(st, ROWAD_MESSAGE, ad);
	case AD_NOTE:
		return bound_ad(st, ROWAD_NOTE, ad);
	case AD_ORAL: {
		const void *seal_id;
		size_t idlen;

		p = stmt_blob(st, 2, &len);
		seal_id = stmt_blob(st, 3, &idlen);
		if (len != RECEIPT_LOCATOR_LEN || idlen != ROWAD_ID_LEN)
			return -1;
		oral_ad(ad, p, seal_id, stmt_text(st, 4));
		return 0;
	}
	case AD_LOCATOR:
		p = stmt_blob(st, 2, &len);
		if (len != RECEIPT_LOCATOR_LEN)
			return -1;
		buf_add(ad, p, len);
		return 0;
	case AD_EVENT:
	case AD_EVENT_STATS:
		return event_ad(st, kind == AD_EVENT ? EVENTS_FIELDS
		                                     : EVENTS_STATS, ad);
	case AD_MEETING: {
		char text[MEETING_AD_LEN];

		buf_add(ad, text, meeting_notes_ad(stmt_int(st, 2),
		                                   stmt_int(st, 3), text));
		return 0;
	}
	case AD_MEETING_ACTIONS: {
		char text[MEETING_AD_LEN];

		buf_add(ad, text, meeting_actions_ad(stmt_int(st, 2), text));
		return 0;
	}
	}
	return -1;
}

struct resealed {
	int64_t id;
	uint8_t *env;
	size_t len;
};

/*
 * Re-seal up to max envelopes of column c after r->after[c], inside the
 * caller's transaction. *more is 1 when the column may hold more rows.
 */
static int
reseal_batch(struct db *db, struct rotation *r, size_t c, size_t max,
             int64_t *count, int *more)
{
	const struct column *col = &columns[c];
	struct resealed *done = NULL;
	struct stmt *st = NULL;
	size_t n = 0, rows = 0, i;
	int rc, ret = -1;

	*more = 0;
	done = calloc(max ? max : 1, sizeof(*done));
	if (!done)
		die("out of memory");
	if (db_prepare(db, &st, col->select) < 0 ||
	    stmt_bind_int(st, ":after", r->after[c]) < 0 ||
	    stmt_bind_int(st, ":n", (int64_t)max) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct buf ad = BUF_INIT;
		const void *env;
		size_t envlen;

		rows++;
		r->after[c] = stmt_int(st, 0);
		env = stmt_blob(st, 1, &envlen);
		if (!envelope_has_recipient(env, envlen, r->old_pk))
			continue;	/* another keyring's, or done already */
		if (row_ad(st, col->ad, &ad) < 0 ||
		    envelope_reseal(env, envlen, (const uint8_t *)ad.data, ad.len,
		                    r->old_pk, r->old_sk, r->new_pk,
		                    &done[n].env, &done[n].len) < 0) {
			buf_release(&ad);
			error("the %s of row %lld do not open with the key of "
			      "keyring %s: damaged; nothing of this batch was "
			      "changed", col->what, (long long)r->after[c], r->name);
			goto out;
		}
		buf_release(&ad);
		done[n++].id = r->after[c];
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	*more = rows == max;
	for (i = 0; i < n; i++) {
		if (db_prepare(db, &st, col->update) < 0 ||
		    stmt_bind_int(st, ":id", done[i].id) < 0 ||
		    stmt_bind_blob(st, ":env", done[i].env, done[i].len) < 0 ||
		    stmt_run(st) < 0)
			goto out;
		stmt_finalize(st);
		st = NULL;
	}
	*count += (int64_t)n;
	ret = 0;
out:
	stmt_finalize(st);
	for (i = 0; i < n; i++)
		free(done[i].env);
	free(done);
	return ret;
}

/*
 * Data keys sealed on their own to the overleg keyring (meeting.c's
 * meeting_access). A sealed box has no key id: one that opens with the old
 * key is sealed to the new one, one that does not is done already.
 */
static int
reseal_one_key(const struct rotation *r, const void *p, size_t len,
               uint8_t out[KEYRING_WRAPPED_LEN], int *changed)
{
	struct secret *key = NULL;

	*changed = 0;
	if (len != KEYRING_WRAPPED_LEN)
		return -1;
	if (keyring_open_sealed(p, r->old_pk, r->old_sk, &key) < 0) {
		memcpy(out, p, len);
		return 0;
	}
	if (keyring_wrap(key, r->new_pk, out) < 0) {
		secret_free(key);
		return -1;
	}
	secret_free(key);
	*changed = 1;
	return 0;
}

static int
reseal_access_batch(struct db *db, struct rotation *r, size_t max,
                    int64_t *count, int *more)
{
	uint8_t rk[KEYRING_WRAPPED_LEN], nk[KEYRING_WRAPPED_LEN];
	struct stmt *st = NULL, *up = NULL;
	size_t rows = 0;
	int rc, ret = -1;

	*more = 0;
	if (db_prepare(db, &st, "SELECT item_id, report_key, notes_key"
	               " FROM meeting_access WHERE item_id > :after"
	               " ORDER BY item_id LIMIT :n") < 0 ||
	    stmt_bind_int(st, ":after", r->after[NCOLUMNS]) < 0 ||
	    stmt_bind_int(st, ":n", (int64_t)max) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		const void *p;
		size_t len;
		int c1, c2 = 0, has_notes = !stmt_is_null(st, 2);

		rows++;
		r->after[NCOLUMNS] = stmt_int(st, 0);
		p = stmt_blob(st, 1, &len);
		if (reseal_one_key(r, p, len, rk, &c1) < 0)
			goto damaged;
		if (has_notes) {
			p = stmt_blob(st, 2, &len);
			if (reseal_one_key(r, p, len, nk, &c2) < 0)
				goto damaged;
		}
		if (!c1 && !c2)
			continue;
		/* Writing while reading: the update changes no key we read by. */
		if (db_prepare(db, &up, "UPDATE meeting_access SET report_key ="
		               " :rk, notes_key = :nk WHERE item_id = :id") < 0 ||
		    stmt_bind_int(up, ":id", r->after[NCOLUMNS]) < 0 ||
		    stmt_bind_blob(up, ":rk", rk, sizeof(rk)) < 0 ||
		    (has_notes ? stmt_bind_blob(up, ":nk", nk, sizeof(nk))
		               : stmt_bind_null(up, ":nk")) < 0 ||
		    stmt_run(up) < 0)
			goto out;
		stmt_finalize(up);
		up = NULL;
		(*count)++;
	}
	if (rc < 0)
		goto out;
	*more = rows == max;
	ret = 0;
	goto out;
damaged:
	error("the meeting access of item %lld is damaged",
	      (long long)r->after[NCOLUMNS]);
out:
	stmt_finalize(up);
	stmt_finalize(st);
	return ret;
}

/* Read a fixed-size blob column. */
static int
blob_col(struct stmt *st, int col, uint8_t *out, size_t len)
{
	const void *p;
	size_t n;

	p = stmt_blob(st, col, &n);
	if (n != len)
		return error("a stored key has the wrong size: the database is "
		             "damaged");
	memcpy(out, p, len);
	return 0;
}

static int
recovery_public(struct db *db, uint8_t rpk[CRYPTO_PUBLICKEY_LEN])
{
	struct stmt *st = NULL;
	int ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT recovery_public_key FROM installation"
	               " WHERE id = 1") < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("this database has no installation row");
		goto out;
	}
	ret = blob_col(st, 0, rpk, CRYPTO_PUBLICKEY_LEN);
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
rotate_recovery_check(struct db *db, const struct secret *sk,
                      uint8_t rpk[CRYPTO_PUBLICKEY_LEN])
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];

	if (recovery_public(db, rpk) < 0)
		return -1;
	if (keyring_public(sk, pk) < 0 ||
	    !crypto_equal(pk, rpk, CRYPTO_PUBLICKEY_LEN))
		return error("that is not the recovery key of this installation "
		             "(a key from before a rotation no longer works)");
	return 0;
}

/*
 * Load the keyring's old key and the new one: from a rotation under way,
 * or a new key pair stored now. 0 or -1.
 */
static int
begin_rotation(struct db *db, struct rotation *r, const struct secret *rsk,
               struct rotate_progress *p)
{
	uint8_t wrap[KEYRING_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int rc, own, ret = -1;

	if (keyrings_recover(db, r->name, r->rpk, rsk, &r->old_sk) < 0 ||
	    keyrings_public_key(db, r->name, r->old_pk) < 0)
		return -1;
	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "SELECT k.id, r.new_public_key,"
	               " r.new_recovery_wrap FROM keyrings k"
	               " LEFT JOIN keyring_rotations r ON r.keyring_id = k.id"
	               " WHERE k.name = :name") < 0 ||
	    stmt_bind_text(st, ":name", r->name) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc != DB_ROW)
		goto out;
	r->keyring_id = stmt_int(st, 0);
	if (!stmt_is_null(st, 1)) {
		if (blob_col(st, 1, r->new_pk, sizeof(r->new_pk)) < 0 ||
		    blob_col(st, 2, wrap, sizeof(wrap)) < 0)
			goto out;
		if (keyring_unwrap(wrap, r->rpk, rsk, r->new_pk, &r->new_sk) < 0) {
			error("the new key of the rotation under way does not "
			      "open with this recovery key");
			goto out;
		}
		p->resumed = 1;
		ret = 0;
		goto out;
	}
	stmt_finalize(st);
	st = NULL;
	if (keyring_create(r->new_pk, &r->new_sk) < 0 ||
	    keyring_wrap(r->new_sk, r->rpk, wrap) < 0) {
		error("could not make a new key pair");
		goto out;
	}
	clock_format(clock_now(), now);
	if (db_prepare(db, &st, "INSERT INTO keyring_rotations (keyring_id,"
	               " new_public_key, new_recovery_wrap, started_at)"
	               " VALUES (:id, :pk, :wrap, :now)") < 0 ||
	    stmt_bind_int(st, ":id", r->keyring_id) < 0 ||
	    stmt_bind_blob(st, ":pk", r->new_pk, sizeof(r->new_pk)) < 0 ||
	    stmt_bind_blob(st, ":wrap", wrap, sizeof(wrap)) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "keyring-rotate-start",
	                 r->name) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}

static int
count_progress(struct db *db, const struct rotation *r, int64_t n)
{
	struct stmt *st = NULL;
	int ret;

	if (!n)
		return 0;
	ret = db_prepare(db, &st, "UPDATE keyring_rotations SET resealed ="
	                 " resealed + :n WHERE keyring_id = :id") < 0 ||
	      stmt_bind_int(st, ":n", n) < 0 ||
	      stmt_bind_int(st, ":id", r->keyring_id) < 0 ||
	      stmt_run(st) < 0 ? -1 : 0;
	stmt_finalize(st);
	return ret;
}

/* One batch of column c (NCOLUMNS: meeting access), in the transaction. */
static int
batch(struct db *db, struct rotation *r, size_t c, size_t max, int64_t *count,
      int *more)
{
	if (c < NCOLUMNS)
		return reseal_batch(db, r, c, max, count, more);
	*more = 0;
	if (strcmp(r->name, KEYRING_MEETING) != 0)
		return 0;	/* only the overleg gets keys on their own */
	return reseal_access_batch(db, r, max, count, more);
}

/*
 * The end, in one transaction: what was written since the batches passed,
 * then the keyring row and every member's copy.
 */
static int
finish(struct db *db, struct rotation *r, struct rotate_progress *p)
{
	uint8_t wrap[KEYRING_WRAPPED_LEN], upk[CRYPTO_PUBLICKEY_LEN];
	struct stmt *st = NULL, *up = NULL;
	int64_t n = 0;
	size_t c;
	int more, rc, ret = -1;

	if (db_begin(db) < 0)
		return -1;
	for (c = 0; c <= NCOLUMNS; c++)
		do {
			if (batch(db, r, c, ROTATE_BATCH, &n, &more) < 0)
				goto out;
		} while (more);
	p->resealed += n;
	if (keyring_wrap(r->new_sk, r->rpk, wrap) < 0 ||
	    db_prepare(db, &st, "UPDATE keyrings SET public_key = :pk,"
	               " recovery_wrap = :wrap WHERE id = :id") < 0 ||
	    stmt_bind_blob(st, ":pk", r->new_pk, sizeof(r->new_pk)) < 0 ||
	    stmt_bind_blob(st, ":wrap", wrap, sizeof(wrap)) < 0 ||
	    stmt_bind_int(st, ":id", r->keyring_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "SELECT m.user_id, u.public_key"
	               " FROM keyring_members m JOIN users u ON u.id = m.user_id"
	               " WHERE m.keyring_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", r->keyring_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (blob_col(st, 1, upk, sizeof(upk)) < 0 ||
		    keyring_wrap(r->new_sk, upk, wrap) < 0)
			goto out;
		if (db_prepare(db, &up, "UPDATE keyring_members SET wrapped_key"
		               " = :wrap WHERE keyring_id = :id AND user_id ="
		               " :user") < 0 ||
		    stmt_bind_blob(up, ":wrap", wrap, sizeof(wrap)) < 0 ||
		    stmt_bind_int(up, ":id", r->keyring_id) < 0 ||
		    stmt_bind_int(up, ":user", stmt_int(st, 0)) < 0 ||
		    stmt_run(up) < 0)
			goto out;
		stmt_finalize(up);
		up = NULL;
		p->members++;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	/*
	 * The statistics cache is keyed by the statistiek private key: its
	 * boxes would stay readable with the old key, which is what the
	 * rotation takes away. Drop them; the next computation makes them
	 * again from the re-sealed envelopes (stats_cache.c stores boxes only under
	 * the keyring's current key, so none made with the old one come back).
	 */
	if (strcmp(r->name, KEYRING_STATISTICS) == 0) {
		if (db_prepare(db, &st, "DELETE FROM stats_chunks") < 0 ||
		    stmt_run(st) < 0)
			goto out;
		stmt_finalize(st);
		st = NULL;
	}
	if (db_prepare(db, &st, "DELETE FROM keyring_rotations"
	               " WHERE keyring_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", r->keyring_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "keyring-rotate", r->name) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(up);
	stmt_finalize(st);
	if (ret == 0)
		return db_commit(db);
	db_rollback(db);
	return -1;
}

int
rotate_keyring(struct installation *inst, const char *name,
               const struct secret *recovery_sk, size_t limit,
               struct rotate_progress *p)
{
	struct db *db = inst->db;
	struct rotation r;
	int64_t n;
	size_t c, max;
	int more, ret = -1;

	memset(p, 0, sizeof(*p));
	memset(&r, 0, sizeof(r));
	r.name = name;
	if (rotate_recovery_check(db, recovery_sk, r.rpk) < 0 ||
	    begin_rotation(db, &r, recovery_sk, p) < 0)
		goto out;
	for (c = 0; c <= NCOLUMNS; c++) {
		do {
			max = ROTATE_BATCH;
			if (limit) {
				if ((size_t)p->resealed >= limit) {
					ret = 1;
					goto out;
				}
				if (limit - (size_t)p->resealed < max)
					max = limit - (size_t)p->resealed;
			}
			n = 0;
			if (db_begin(db) < 0)
				goto out;
			if (batch(db, &r, c, max, &n, &more) < 0 ||
			    count_progress(db, &r, n) < 0) {
				db_rollback(db);
				goto out;
			}
			if (db_commit(db) < 0)
				goto out;
			p->resealed += n;
		} while (more);
	}
	if (finish(db, &r, p) < 0)
		goto out;
	ret = 0;
out:
	secret_free(r.old_sk);
	secret_free(r.new_sk);
	crypto_wipe(&r, sizeof(r));
	return ret;
}

int
rotate_recovery(struct installation *inst, const struct secret *old_sk,
                char new_text[RECOVERY_TEXT_LEN + 1])
{
	uint8_t old_pk[CRYPTO_PUBLICKEY_LEN], new_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t ring_pk[CRYPTO_PUBLICKEY_LEN], wrap[KEYRING_WRAPPED_LEN];
	struct secret *new_sk = NULL, *ring_sk = NULL;
	struct db *db = inst->db;
	struct stmt *st = NULL, *up = NULL;
	int rc, ret = -1;

	memset(new_text, 0, RECOVERY_TEXT_LEN + 1);
	if (rotate_recovery_check(db, old_sk, old_pk) < 0)
		return -1;
	if (keyring_create(new_pk, &new_sk) < 0)
		return error("could not make a new recovery key");
	if (db_begin(db) < 0)
		goto done;
	/* Keyrings, then rotations under way: the same wrap, the same way. */
	if (db_prepare(db, &st, "SELECT 0, id, public_key, recovery_wrap"
	               " FROM keyrings UNION ALL SELECT 1, keyring_id,"
	               " new_public_key, new_recovery_wrap"
	               " FROM keyring_rotations") < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int rotation = (int)stmt_int(st, 0);

		if (blob_col(st, 2, ring_pk, sizeof(ring_pk)) < 0 ||
		    blob_col(st, 3, wrap, sizeof(wrap)) < 0)
			goto out;
		if (keyring_unwrap(wrap, old_pk, old_sk, ring_pk, &ring_sk) < 0) {
			error("a keyring does not open with the recovery key: "
			      "nothing was changed");
			goto out;
		}
		if (keyring_wrap(ring_sk, new_pk, wrap) < 0)
			goto out;
		secret_free(ring_sk);
		ring_sk = NULL;
		if (db_prepare(db, &up, rotation ?
		               "UPDATE keyring_rotations SET new_recovery_wrap ="
		               " :wrap WHERE keyring_id = :id" :
		               "UPDATE keyrings SET recovery_wrap = :wrap"
		               " WHERE id = :id") < 0 ||
		    stmt_bind_blob(up, ":wrap", wrap, sizeof(wrap)) < 0 ||
		    stmt_bind_int(up, ":id", stmt_int(st, 1)) < 0 ||
		    stmt_run(up) < 0)
			goto out;
		stmt_finalize(up);
		up = NULL;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "UPDATE installation SET recovery_public_key ="
	               " :pk WHERE id = 1") < 0 ||
	    stmt_bind_blob(st, ":pk", new_pk, sizeof(new_pk)) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "recovery-rotate", "") < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(up);
	stmt_finalize(st);
	if (ret == 0)
		ret = db_commit(db);
	else
		db_rollback(db);
	if (ret == 0)
		recovery_format(new_sk, new_text);
done:
	secret_free(ring_sk);
	secret_free(new_sk);
	return ret;
}

int
rotate_recovery_parse(const char *text, struct secret **sk)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];

	return recovery_parse(text, sk, pk);
}
