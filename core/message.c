/*
 * message.c - reporter and handler messages (see message.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "daycount.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "filetype.h"
#include "message.h"
#include "outbox.h"
#include "rowad.h"
#include "zone.h"

static int
insert_message(struct db *db, const struct message_sealed *m, int64_t *id)
{
	char now[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	/* A reporter's reply keeps its day only (daycount.h). */
	if (strcmp(m->author, "reporter") == 0)
		zone_day_text(clock_now(), now);
	else
		clock_format(clock_now(), now);
	if (db_prepare(db, &st, "INSERT INTO messages (report_id, at, author,"
	               " body, seal_id) VALUES (:report, :at, :author, :body,"
	               " :seal)") < 0 ||
	    stmt_bind_int(st, ":report", m->report_id) < 0 ||
	    stmt_bind_text(st, ":at", now) < 0 ||
	    stmt_bind_text(st, ":author", m->author) < 0 ||
	    stmt_bind_blob(st, ":body", m->env, m->envlen) < 0 ||
	    stmt_bind_blob(st, ":seal", m->seal_id, ROWAD_ID_LEN) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	*id = db_last_id(db);
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* The keyring's and the reporter's public keys, and the locator. */
static int
recipients_of(struct installation *inst, int64_t report_id,
              uint8_t rcpt[2][CRYPTO_PUBLICKEY_LEN],
              uint8_t locator[RECEIPT_LOCATOR_LEN])
{
	struct stmt *st = NULL;
	enum report_type type;
	const void *p;
	size_t len;
	int ret = -1;

	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT type, locator, reporter_public_key"
	               " FROM reports WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("there is no report %lld", (long long)report_id);
		goto out;
	}
	if (report_type_parse(stmt_text(st, 0), &type) < 0)
		goto out;
	p = stmt_blob(st, 1, &len);
	if (len != RECEIPT_LOCATOR_LEN)
		goto out;
	memcpy(locator, p, len);
	p = stmt_blob(st, 2, &len);
	if (len != CRYPTO_PUBLICKEY_LEN) {
		error("report %lld has no reporter key", (long long)report_id);
		goto out;
	}
	memcpy(rcpt[1], p, len);
	stmt_finalize(st);
	st = NULL;
	ret = keyrings_public_key(inst->db, report_type_keyring(type), rcpt[0]);
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	return ret;
}

void
message_sealed_release(struct message_sealed *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		free(m->fenv[i]);
	free(m->fenv);
	free(m->fseal);
	free(m->flen);
	free(m->env);
	memset(m, 0, sizeof(*m));
}

int
message_seal(struct installation *inst, int64_t report_id, const char *author,
             const char *text, size_t len, const struct attachment_in *files,
             size_t nfiles, struct message_sealed *out)
{
	uint8_t rcpt[2][CRYPTO_PUBLICKEY_LEN], locator[RECEIPT_LOCATOR_LEN];
	struct buf ad = BUF_INIT;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->report_id = report_id;
	out->author = author;
	if (recipients_of(inst, report_id, rcpt, locator) < 0)
		return -1;
	rowad_new_id(out->seal_id);
	rowad_make(&ad, locator, sizeof(locator), ROWAD_MESSAGE, out->seal_id,
	           author);
	rc = envelope_seal((const uint8_t *)text, len, &pad_text,
	                   (const uint8_t *)ad.data, ad.len,
	                   (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])rcpt, 2,
	                   &out->env, &out->envlen);
	buf_release(&ad);
	if (rc < 0)
		return error("could not encrypt a message");
	out->fenv = calloc(nfiles + 1, sizeof(*out->fenv));
	out->fseal = calloc(nfiles + 1, sizeof(*out->fseal));
	out->flen = calloc(nfiles + 1, sizeof(*out->flen));
	if (!out->fenv || !out->fseal || !out->flen)
		die("out of memory");
	out->nfiles = nfiles;
	for (i = 0; i < nfiles; i++) {
		rowad_new_id(out->fseal[i]);
		if (attachment_seal(&files[i], locator, out->fseal[i], author,
		                    (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])rcpt, 2,
		                    &out->fenv[i], &out->flen[i]) < 0) {
			message_sealed_release(out);
			return -1;
		}
	}
	return 0;
}

int
message_insert(struct installation *inst, const struct message_sealed *m,
               const char *actor, const char *notify, int64_t *id_out)
{
	char object[64], cn[CASE_NUMBER_LEN + 1];
	int64_t id;
	size_t i;

	if (insert_message(inst->db, m, &id) < 0)
		return -1;
	for (i = 0; i < m->nfiles; i++)
		if (attachment_store(inst->db, m->report_id, id, m->fseal[i],
		                     m->fenv[i], m->flen[i]) < 0)
			return -1;
	if (!case_label(inst->db, m->report_id, cn))
		return -1;
	snprintf(object, sizeof(object), "report %s message %lld", cn,
	         (long long)id);
	/* A reporter's answer and files are counted for the day only. */
	if (strcmp(m->author, "reporter") == 0 ?
	    daycount_add(inst->db, DAYCOUNT_ANSWERED, 1) < 0 ||
	    daycount_add(inst->db, DAYCOUNT_FILE, (int)m->nfiles) < 0 :
	    audit_append(inst->db, actor, "message-create", object) < 0)
		return -1;
	/* The notice goes with the message, or neither is stored. */
	if (notify && *notify && outbox_enqueue(inst, m->report_id, notify) < 0)
		return -1;
	if (id_out)
		*id_out = id;
	return 0;
}

static int
store_message(struct installation *inst, int64_t report_id, const char *author,
              const char *actor, const char *text, size_t len,
              const struct attachment_in *files, size_t nfiles,
              const char *notify)
{
	struct message_sealed m;
	int ret = -1;

	if (notify && !outbox_address_valid(notify))
		return error("message to report %lld not stored: the e-mail "
		             "address for the notice is not usable",
		             (long long)report_id);
	if (message_seal(inst, report_id, author, text, len, files, nfiles,
	                 &m) < 0)
		return -1;
	if (db_begin(inst->db) < 0)
		goto out;
	if (message_insert(inst, &m, actor, notify, NULL) < 0) {
		db_rollback(inst->db);
		goto out;
	}
	ret = db_commit(inst->db);
out:
	message_sealed_release(&m);
	return ret;
}

int
message_from_reporter(struct installation *inst,
                      const struct reporter_access *acc, const char *text,
                      size_t len, const struct attachment_in *files,
                      size_t nfiles)
{
	return store_message(inst, acc->report_id, "reporter",
	                     AUDIT_ACTOR_REPORTER, text, len, files, nfiles,
	                     NULL);
}

/* What is wrong with an answer, checked in the order the page shows it. */
static int
answer_invalid(const struct reporter_message *m, struct outcome *o)
{
	size_t i;

	/* Files by their content, never their name or declared type. */
	for (i = 0; i < m->nfiles && !o->arg; i++)
		if (!filetype_allowed(filetype_detect(m->files[i].data,
		                                      m->files[i].len),
		                      m->upload_types))
			o->arg = m->files[i].name;
	if (m->files_error)
		outcome_set(o, VERDICT_INVALID, m->files_error, "files");
	else if (o->arg)
		outcome_set(o, VERDICT_INVALID, "form.error.file_type", "files");
	else if (m->cut)
		outcome_set(o, VERDICT_INVALID, "form.error.too_long", "message");
	else if (!utf8_valid_text(m->text ? m->text : "", m->len))
		outcome_set(o, VERDICT_INVALID, "form.error.bad_text", "message");
	else if (!m->len && !m->nfiles)
		outcome_set(o, VERDICT_INVALID, "status.reply_empty", "message");
	else
		return 0;
	return 1;
}

struct outcome
message_answer(struct installation *inst, const char *receipt_text,
               const struct reporter_message *m)
{
	struct outcome o = { VERDICT_FAILED, NULL, NULL, 0, NULL };
	struct reporter_access acc;
	struct message_sealed sealed;
	int rc;

	rc = receipt_text ? report_access(inst, receipt_text, &acc) : 1;
	if (rc == 1)
		outcome_set(&o, VERDICT_NOT_FOUND, "status.not_found", "receipt");
	if (rc != 0)
		return o;
	if (answer_invalid(m, &o))
		goto out;
	/* Sealed before the transaction: sealing is the slow part. */
	if (message_seal(inst, acc.report_id, "reporter",
	                 m->text ? m->text : "", m->len, m->files, m->nfiles,
	                 &sealed) < 0)
		goto out;
	if (db_begin(inst->db) == 0) {
		if (message_insert(inst, &sealed, AUDIT_ACTOR_REPORTER, NULL,
		                   &o.id) < 0)
			db_rollback(inst->db);
		else if (db_commit(inst->db) == 0)
			outcome_set(&o, VERDICT_DONE, NULL, NULL);
	}
	message_sealed_release(&sealed);
out:
	report_access_release(&acc);
	return o;
}

int
message_to_reporter(struct installation *inst, int64_t report_id,
                    const char *actor, const char *text, size_t len)
{
	return store_message(inst, report_id, "handler", actor, text, len,
	                     NULL, 0, NULL);
}

int
message_to_reporter_notify(struct installation *inst, int64_t report_id,
                           const char *actor, const char *text, size_t len,
                           const char *notify)
{
	return store_message(inst, report_id, "handler", actor, text, len,
	                     NULL, 0, notify && *notify ? notify : NULL);
}

int
messages_open(struct installation *inst, int64_t report_id,
              const uint8_t locator[RECEIPT_LOCATOR_LEN],
              const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
              struct message_view **out, size_t *n)
{
	struct message_view *v = NULL;
	struct stmt *st = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT m.id, m.at, m.author, m.body,"
	               " (SELECT count(*) FROM attachments a"
	               "  WHERE a.message_id = m.id), m.seal_id"
	               " FROM messages m WHERE m.report_id = :id"
	               " ORDER BY m.id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct buf ad = BUF_INIT;
		size_t envlen, idlen = 0;
		const void *env = stmt_blob(st, 3, &envlen);
		const void *seal_id = stmt_is_null(st, 5) ? NULL
		                      : stmt_blob(st, 5, &idlen);

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		memset(&v[count], 0, sizeof(v[count]));
		v[count].id = stmt_int(st, 0);
		snprintf(v[count].at, sizeof(v[count].at), "%s", stmt_text(st, 1));
		v[count].from_reporter = strcmp(stmt_text(st, 2), "reporter") == 0;
		v[count].nfiles = (size_t)stmt_int(st, 4);
		rc = rowad_open(&ad, locator, RECEIPT_LOCATOR_LEN,
		                ROWAD_MESSAGE, seal_id, idlen, stmt_text(st, 2));
		if (rc < 0 || envelope_open(env, envlen, (const uint8_t *)ad.data,
		                            ad.len, pk, sk, &v[count].body) < 0) {
			buf_release(&ad);
			count++;
			error("a message of report %lld does not open",
			      (long long)report_id);
			goto out;
		}
		buf_release(&ad);
		count++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret != 0) {
		messages_release(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
messages_for_reporter(struct installation *inst,
                      const struct reporter_access *acc,
                      struct message_view **out, size_t *n)
{
	return messages_open(inst, acc->report_id, acc->locator, acc->pk,
	                     acc->sk, out, n);
}

void
messages_release(struct message_view *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		secret_free(v[i].body);
	free(v);
}
