/*
 * oral.c - the record of an oral report and the reporter's check of it
 * (see oral.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casenumber.h"
#include "daycount.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "oral.h"
#include "report.h"
#include "rowad.h"
#include "zone.h"

/* The kind of row in the associated data (rowad.h). */
#define ROWAD_ORAL "oral-record"

static const char *const kinds[] = {
	[ORAL_RECORD] = "record",
	[ORAL_CORRECTION] = "correction",
	[ORAL_APPROVAL] = "approval",
};

static const char *const states[] = {
	[ORAL_NONE] = "none",
	[ORAL_WAITING] = "waiting",
	[ORAL_CORRECTED] = "corrected",
	[ORAL_APPROVED] = "approved",
};

const char *
oral_kind_name(enum oral_kind k)
{
	return kinds[k];
}

const char *
oral_state_name(enum oral_state s)
{
	return states[s];
}

void
oral_ad(struct buf *ad, const uint8_t locator[RECEIPT_LOCATOR_LEN],
        const uint8_t seal_id[ROWAD_ID_LEN], const char *author)
{
	rowad_make(ad, locator, RECEIPT_LOCATOR_LEN, ROWAD_ORAL, seal_id, author);
}

void
oral_record_release(struct oral_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		secret_free(r->entries[i].text);
	free(r->entries);
	memset(r, 0, sizeof(*r));
}

static int
kind_parse(const char *s, enum oral_kind *k)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s, kinds[i]) == 0) {
			*k = (enum oral_kind)i;
			return 0;
		}
	return -1;
}

int
oral_open(struct installation *inst, int64_t report_id,
          const uint8_t locator[RECEIPT_LOCATOR_LEN],
          const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
          struct oral_record *out)
{
	struct oral_entry *v = NULL;
	struct stmt *st = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT id, kind, at, author, body,"
	               " seal_id FROM oral_records WHERE report_id = :id"
	               " ORDER BY id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct oral_entry *e;
		const void *env, *seal_id;
		size_t envlen, idlen;
		struct buf ad = BUF_INIT;

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 4);
		e = &v[count++];
		memset(e, 0, sizeof(*e));
		e->id = stmt_int(st, 0);
		snprintf(e->at, sizeof(e->at), "%s", stmt_text(st, 2));
		snprintf(e->author, sizeof(e->author), "%s", stmt_text(st, 3));
		if (kind_parse(stmt_text(st, 1), &e->kind) < 0)
			goto damaged;
		if (e->kind == ORAL_APPROVAL)
			continue;
		env = stmt_blob(st, 4, &envlen);
		seal_id = stmt_blob(st, 5, &idlen);
		if (idlen != ROWAD_ID_LEN)
			goto damaged;
		oral_ad(&ad, locator, seal_id, e->author);
		rc = envelope_open(env, envlen, (const uint8_t *)ad.data, ad.len,
		                   pk, sk, &e->text);
		buf_release(&ad);
		if (rc < 0)
			goto damaged;
	}
	if (rc < 0)
		goto out;
	ret = 0;
	goto out;
damaged:
	error("the oral record of report %lld does not open",
	      (long long)report_id);
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	out->entries = v;
	out->n = count;
	if (ret < 0)
		oral_record_release(out);
	return ret;
}

enum oral_state
oral_state_of(const struct oral_record *r)
{
	enum oral_state s = ORAL_NONE;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->entries[i].kind == ORAL_APPROVAL)
			return ORAL_APPROVED;
		else if (r->entries[i].kind == ORAL_CORRECTION)
			s = ORAL_CORRECTED;
		else if (s == ORAL_NONE)
			s = ORAL_WAITING;
	return s;
}

const struct oral_entry *
oral_before(const struct oral_record *r, size_t i)
{
	while (i-- > 0)
		if (r->entries[i].kind != ORAL_APPROVAL)
			return &r->entries[i];
	return NULL;
}

const struct oral_entry *
oral_current(const struct oral_record *r)
{
	return oral_before(r, r->n);
}

const struct oral_entry *
oral_approval(const struct oral_record *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->entries[i].kind == ORAL_APPROVAL)
			return &r->entries[i];
	return NULL;
}

int
oral_insert(struct db *db, int64_t report_id, enum oral_kind kind,
            const char *author, const uint8_t *seal_id, const uint8_t *env,
            size_t envlen, int64_t *id_out)
{
	int reporter = strcmp(author, ORAL_REPORTER) == 0;
	char at[CLOCK_TEXT_LEN + 1], object[64];
	struct stmt *st = NULL;
	int64_t id;
	int rc;

	/* A reporter's row keeps its day only (daycount.h). */
	if (reporter)
		zone_day_text(clock_now(), at);
	else
		clock_format(clock_now(), at);
	rc = db_prepare(db, &st, "INSERT INTO oral_records (report_id, kind, at,"
	                " author, body, seal_id) VALUES (:report, :kind, :at,"
	                " :author, :body, :seal)");
	if (rc == 0)
		rc = stmt_bind_int(st, ":report", report_id) < 0 ||
		     stmt_bind_text(st, ":kind", kinds[kind]) < 0 ||
		     stmt_bind_text(st, ":at", at) < 0 ||
		     stmt_bind_text(st, ":author", author) < 0 ||
		     (env ? stmt_bind_blob(st, ":body", env, envlen)
		          : stmt_bind_null(st, ":body")) < 0 ||
		     (seal_id ? stmt_bind_blob(st, ":seal", seal_id, ROWAD_ID_LEN)
		              : stmt_bind_null(st, ":seal")) < 0 ||
		     stmt_run(st) < 0 ? -1 : 0;
	stmt_finalize(st);
	if (rc < 0)
		return -1;
	id = db_last_id(db);
	if (reporter)
		rc = daycount_add(db, kind == ORAL_APPROVAL ? DAYCOUNT_APPROVED
		                                             : DAYCOUNT_CORRECTED,
		                  1);
	else {
		char cn[CASE_NUMBER_LEN + 1];

		/* Staff read reports by their case number (casenumber.h). */
		if (!case_label(db, report_id, cn))
			return -1;
		snprintf(object, sizeof(object), "report %s", cn);
		rc = audit_append(db, author, "oral-record", object);
	}
	if (rc < 0)
		return -1;
	if (id_out)
		*id_out = id;
	return 0;
}

/*
 * Inside the transaction: the row id of the text in force of report_id,
 * and whether it is approved. 0 (*version 0: no record), or -1.
 */
static int
in_force(struct db *db, int64_t report_id, int64_t *version, int *approved)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "SELECT coalesce(max(CASE WHEN kind <>"
	               " 'approval' THEN id END), 0), count(CASE WHEN kind ="
	               " 'approval' THEN 1 END) FROM oral_records"
	               " WHERE report_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0 ||
	    stmt_step(st) != DB_ROW)
		goto out;
	*version = stmt_int(st, 0);
	*approved = stmt_int(st, 1) > 0;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/*
 * The reporter's approval (text NULL) or correction, sealed before and
 * stored with its day count in one transaction after checking that the
 * version read is still in force and not approved.
 */
static struct outcome
reporter_row(struct installation *inst, const char *receipt_text,
             int64_t version, const char *text, size_t len, int cut)
{
	struct outcome o = { VERDICT_FAILED, NULL, NULL, 0, NULL };
	uint8_t rcpt[2][CRYPTO_PUBLICKEY_LEN], seal_id[ROWAD_ID_LEN];
	struct reporter_access acc;
	struct oral_record rec;
	const struct oral_entry *cur;
	uint8_t *env = NULL;
	size_t envlen = 0;
	int rc, approved;
	int64_t now_version;

	rc = receipt_text ? report_access(inst, receipt_text, &acc) : 1;
	if (rc == 1)
		outcome_set(&o, VERDICT_NOT_FOUND, "status.not_found", "receipt");
	if (rc != 0)
		return o;
	if (oral_open(inst, acc.report_id, acc.locator, acc.pk, acc.sk,
	              &rec) < 0)
		goto out;
	cur = oral_current(&rec);
	if (!cur)
		outcome_set(&o, VERDICT_INVALID, "oral.none", "record");
	else if (oral_state_of(&rec) == ORAL_APPROVED)
		outcome_set(&o, VERDICT_INVALID, "oral.final", "record");
	else if (cur->id != version)
		outcome_set(&o, VERDICT_STALE, "oral.changed", "record");
	else if (text && cut)
		outcome_set(&o, VERDICT_INVALID, "form.error.too_long", "record");
	else if (text && !utf8_valid_text(text, len))
		outcome_set(&o, VERDICT_INVALID, "form.error.bad_text", "record");
	else if (text && strspn(text, " \t\r\n") == len)
		outcome_set(&o, VERDICT_INVALID, "oral.correction_empty",
		            "record");
	else if (text && cur->text->len == len &&
	         memcmp(cur->text->bytes, text, len) == 0)
		outcome_set(&o, VERDICT_INVALID, "oral.unchanged", "record");
	oral_record_release(&rec);
	if (o.verdict != VERDICT_FAILED)
		goto out;
	if (text) {
		struct buf ad = BUF_INIT;

		/* Sealed before the transaction, like a reporter's answer. */
		if (keyrings_public_key(inst->db, report_type_keyring(acc.type),
		                        rcpt[0]) < 0)
			goto out;
		memcpy(rcpt[1], acc.pk, CRYPTO_PUBLICKEY_LEN);
		rowad_new_id(seal_id);
		oral_ad(&ad, acc.locator, seal_id, ORAL_REPORTER);
		rc = envelope_seal((const uint8_t *)text, len, &pad_text,
		                   (const uint8_t *)ad.data, ad.len,
		                   (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])rcpt, 2,
		                   &env, &envlen);
		buf_release(&ad);
		if (rc < 0) {
			error("could not encrypt a correction of a record");
			goto out;
		}
	}
	if (db_begin(inst->db) < 0)
		goto out;
	/* Checked again inside: another tab may have acted meanwhile. */
	if (in_force(inst->db, acc.report_id, &now_version, &approved) < 0)
		goto rollback;
	if (approved || now_version != version) {
		outcome_set(&o, approved ? VERDICT_INVALID : VERDICT_STALE,
		            approved ? "oral.final" : "oral.changed", "record");
		goto rollback;
	}
	if (oral_insert(inst->db, acc.report_id,
	                text ? ORAL_CORRECTION : ORAL_APPROVAL, ORAL_REPORTER,
	                text ? seal_id : NULL, env, envlen, &o.id) < 0)
		goto rollback;
	if (db_commit(inst->db) == 0)
		outcome_set(&o, VERDICT_DONE, NULL, NULL);
	goto out;
rollback:
	db_rollback(inst->db);
out:
	free(env);
	report_access_release(&acc);
	return o;
}

struct outcome
oral_approve(struct installation *inst, const char *receipt_text,
             int64_t version)
{
	return reporter_row(inst, receipt_text, version, NULL, 0, 0);
}

struct outcome
oral_correct(struct installation *inst, const char *receipt_text,
             int64_t version, const char *text, size_t len, int cut)
{
	return reporter_row(inst, receipt_text, version, text ? text : "", len,
	                    cut);
}
