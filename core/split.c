/*
 * split.c - split old reports into content and identity envelopes (see
 * split.h).
 *
 * One batch is one transaction: the rows are read, opened, split, sealed
 * again and written back inside it, so a report put on an agenda by the
 * server meanwhile is either seen here (and its agenda key replaced) or
 * put there afterwards with the new content's key. The keyring keys are
 * recovered once, before the first batch; the data keys live only for
 * one report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "content.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "report.h"
#include "rotate.h"
#include "split.h"

/* A keyring's key pair, recovered. */
struct ring {
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

struct split {
	struct ring rings[REPORT_TYPES_MAX];	/* by enum report_type */
	uint8_t stats_pk[CRYPTO_PUBLICKEY_LEN];
	size_t field_max;		/* limits.h, for form_stats_max */
	int have_overleg;
	uint8_t overleg_pk[CRYPTO_PUBLICKEY_LEN];
	int64_t after;			/* the last report id looked at */
};

/* One report sealed again, ready to write. */
struct resplit {
	int64_t id;
	uint8_t *content, *identity, *stats;	/* stats: NULL when none */
	size_t content_len, identity_len, stats_len;
	uint8_t agenda_key[KEYRING_WRAPPED_LEN];	/* the new content's */
};

static void
resplit_release(struct resplit *r)
{
	free(r->content);
	free(r->identity);
	free(r->stats);
	crypto_wipe(r, sizeof(*r));
}

int64_t
split_pending(struct installation *inst)
{
	struct stmt *st = NULL;
	int64_t n = -1;

	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT count(*) FROM reports"
	               " WHERE identity IS NULL") == 0 &&
	    stmt_step(st) == DB_ROW)
		n = stmt_int(st, 0);
	stmt_finalize(st);
	db_unlock(inst->db);
	return n;
}

/* A keyring rotation under way: its keys are about to change. */
static int
rotation_under_way(struct db *db)
{
	struct stmt *st = NULL;
	int ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT count(*) FROM keyring_rotations") == 0 &&
	    stmt_step(st) == DB_ROW)
		ret = stmt_int(st, 0) > 0;
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

static int
begin(struct installation *inst, const struct secret *rsk, struct split *s)
{
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	size_t i;
	int rc;

	if (rotate_recovery_check(inst->db, rsk, rpk) < 0)
		return -1;
	rc = rotation_under_way(inst->db);
	if (rc != 0)
		return rc < 0 ? -1 : error("a keyring rotation is under way: "
		                           "finish it first (meldpunt keyring "
		                           "rotate NAME), then split");
	for (i = 0; i < report_types_count(); i++) {
		enum report_type t = (enum report_type)i;
		const char *name = report_type_keyring(t);
		struct ring *r = &s->rings[i];

		if (!forms_get(t))
			return error("the %s form is not loaded",
			             report_type_name(t));
		if (keyrings_public_key(inst->db, name, r->pk) < 0 ||
		    keyrings_recover(inst->db, name, rpk, rsk, &r->sk) < 0)
			return error("keyring %s does not open with this recovery "
			             "key", name);
	}
	if (keyrings_public_key(inst->db, KEYRING_STATISTICS, s->stats_pk) < 0)
		return -1;
	/* No meeting yet: no overleg keyring, and no agenda to change. */
	s->have_overleg = keyrings_public_key(inst->db, KEYRING_MEETING,
	                                      s->overleg_pk) == 0;
	return 0;
}

/*
 * Split the report in the current row of st (id, type, locator, content,
 * reporter_public_key, stats) into out; its statistical answers are
 * sealed again too, padded as a new report's (limits.h), so that their
 * length no longer tells a named from an anonymous report. 0; 1 when it is left as it is (no
 * reporter key: a new envelope would lock the reporter out); -1.
 */
static int
split_row(struct split *s, struct stmt *st, struct resplit *out)
{
	uint8_t rcpt[2][CRYPTO_PUBLICKEY_LEN], srcpt[2][CRYPTO_PUBLICKEY_LEN];
	struct secret *plain = NULL, *content = NULL, *identity = NULL;
	struct secret *stats = NULL;
	struct envelope_pad stats_pad = { ENVELOPE_PAD_BLOCK, PAD_TEXT };
	struct secret *key = NULL;
	const void *locator, *env, *pk;
	size_t loclen, envlen, pklen;
	enum report_type type;
	struct ring *ring;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->id = stmt_int(st, 0);
	if (report_type_parse(stmt_text(st, 1), &type) < 0)
		return error("report %lld has an unknown type", (long long)out->id);
	ring = &s->rings[type];
	locator = stmt_blob(st, 2, &loclen);
	env = stmt_blob(st, 3, &envlen);
	pk = stmt_is_null(st, 4) ? NULL : stmt_blob(st, 4, &pklen);
	if (!pk || pklen != CRYPTO_PUBLICKEY_LEN) {
		log_warn("report %lld has no reporter key stored: left as it is",
		         (long long)out->id);
		return 1;
	}
	memcpy(rcpt[0], ring->pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(rcpt[1], pk, CRYPTO_PUBLICKEY_LEN);
	/* As report.c seals them: statistiek, and the handling keyring. */
	memcpy(srcpt[0], s->stats_pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(srcpt[1], ring->pk, CRYPTO_PUBLICKEY_LEN);
	stats_pad.size = form_stats_max(forms_get(type), s->field_max);
	if (envelope_open(env, envlen, locator, loclen, ring->pk, ring->sk,
	                  &plain) < 0) {
		error("report %lld does not open with its keyring: damaged",
		      (long long)out->id);
		goto out;
	}
	/* A new data key for each: envelope_seal makes one every time. */
	if (content_split(forms_get(type), plain->bytes, plain->len, &content,
	                  &identity) < 0 ||
	    envelope_seal(content->bytes, content->len, &pad_content, locator,
	                  loclen,
	                  (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])rcpt, 2,
	                  &out->content, &out->content_len) < 0 ||
	    envelope_seal(identity->bytes, identity->len, &pad_content, locator,
	                  loclen,
	                  (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])rcpt, 2,
	                  &out->identity, &out->identity_len) < 0)
		goto out;
	if (!stmt_is_null(st, 5)) {
		env = stmt_blob(st, 5, &envlen);
		if (envelope_open(env, envlen, locator, loclen, ring->pk,
		                  ring->sk, &stats) < 0 ||
		    envelope_seal(stats->bytes, stats->len, &stats_pad, locator,
		                  loclen,
		                  (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])srcpt, 2,
		                  &out->stats, &out->stats_len) < 0)
			goto out;
	}
	/* The agenda's key to the new content (used when it is on one). */
	if (s->have_overleg &&
	    (envelope_open_key(out->content, out->content_len, ring->pk,
	                       ring->sk, &key) < 0 ||
	     keyring_wrap(key, s->overleg_pk, out->agenda_key) < 0))
		goto out;
	ret = 0;
out:
	secret_free(plain);
	secret_free(content);
	secret_free(identity);
	secret_free(stats);
	secret_free(key);
	if (ret < 0)
		error("report %lld could not be split; nothing of this batch "
		      "was changed", (long long)out->id);
	return ret;
}

/* Write one split report and its agenda keys, in the transaction. */
static int
write_row(struct db *db, const struct split *s, const struct resplit *r)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "UPDATE reports SET content = :content,"
	               " identity = :identity, stats = coalesce(:stats, stats)"
	               " WHERE id = :id AND identity IS NULL") < 0 ||
	    stmt_bind_blob(st, ":content", r->content, r->content_len) < 0 ||
	    stmt_bind_blob(st, ":identity", r->identity, r->identity_len) < 0 ||
	    (r->stats ? stmt_bind_blob(st, ":stats", r->stats, r->stats_len)
	              : stmt_bind_null(st, ":stats")) < 0 ||
	    stmt_bind_int(st, ":id", r->id) < 0 ||
	    stmt_run(st) < 0 || db_changes(db) != 1)
		goto out;
	stmt_finalize(st);
	st = NULL;
	/* The old content's key on an agenda opens nothing any more. */
	if (db_prepare(db, &st, "UPDATE meeting_access SET report_key = :key"
	               " WHERE item_id IN (SELECT id FROM meeting_items"
	               "  WHERE report_id = :id)") < 0 ||
	    stmt_bind_blob(st, ":key", r->agenda_key, sizeof(r->agenda_key)) < 0 ||
	    stmt_bind_int(st, ":id", r->id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(db) > 0 && !s->have_overleg) {
		error("report %lld is on an agenda without an overleg keyring",
		      (long long)r->id);
		goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/*
 * One batch of at most max reports, in one transaction with its audit
 * row. *more is 1 when there may be more to look at.
 */
static int
batch(struct installation *inst, struct split *s, size_t max,
      struct split_progress *p, int *more)
{
	struct db *db = inst->db;
	struct resplit *done;
	struct stmt *st = NULL;
	size_t rows = 0, n = 0, i;
	int64_t first = 0, skipped = 0;
	char object[96];
	int rc, ret = -1;

	*more = 0;
	done = calloc(max ? max : 1, sizeof(*done));
	if (!done)
		die("out of memory");
	if (db_begin(db) < 0) {
		free(done);
		return -1;
	}
	if (db_prepare(db, &st, "SELECT id, type, locator, content,"
	               " reporter_public_key, stats FROM reports"
	               " WHERE identity IS NULL"
	               " AND id > :after ORDER BY id LIMIT :n") < 0 ||
	    stmt_bind_int(st, ":after", s->after) < 0 ||
	    stmt_bind_int(st, ":n", (int64_t)max) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		rows++;
		rc = split_row(s, st, &done[n]);
		s->after = done[n].id;
		if (rc < 0)
			goto out;
		if (rc == 1) {
			skipped++;
			continue;
		}
		if (!first)
			first = done[n].id;
		n++;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	*more = rows == max;
	for (i = 0; i < n; i++)
		if (write_row(db, s, &done[i]) < 0)
			goto out;
	if (n) {
		snprintf(object, sizeof(object), "%zu report(s), %lld to %lld", n,
		         (long long)first, (long long)done[n - 1].id);
		if (audit_append(db, AUDIT_ACTOR_SYSTEM, "reports-split",
		                 object) < 0)
			goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	for (i = 0; i < max; i++)
		resplit_release(&done[i]);
	free(done);
	if (ret < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) < 0)
		return -1;
	p->split += (int64_t)n;
	p->skipped += skipped;
	return 0;
}

int
split_reports(struct installation *inst, const struct secret *recovery_sk,
              size_t field_max, size_t limit, split_progress_fn fn,
              void *arg, struct split_progress *p)
{
	struct split s;
	size_t max, i;
	int more = 1, ret = -1;

	memset(p, 0, sizeof(*p));
	memset(&s, 0, sizeof(s));
	s.field_max = field_max;
	p->total = split_pending(inst);
	if (p->total < 0 || begin(inst, recovery_sk, &s) < 0)
		goto out;
	while (more) {
		max = SPLIT_BATCH;
		if (limit) {
			size_t seen = (size_t)(p->split + p->skipped);

			if (seen >= limit) {
				ret = 1;
				goto out;
			}
			if (limit - seen < max)
				max = limit - seen;
		}
		if (batch(inst, &s, max, p, &more) < 0)
			goto out;
		if (fn)
			fn(p, arg);
	}
	ret = 0;
out:
	for (i = 0; i < REPORT_TYPES_MAX; i++)
		secret_free(s.rings[i].sk);
	crypto_wipe(&s, sizeof(s));
	return ret;
}
