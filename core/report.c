/*
 * report.c - store a report, open it with its receipt (see report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "report.h"

static const char *const type_names[] = {
	[REPORT_INCIDENT] = "incident",
	[REPORT_SIGNAL] = "signal",
};

const char *
report_type_name(enum report_type t)
{
	return type_names[t];
}

int
report_type_parse(const char *name, enum report_type *t)
{
	if (strcmp(name, "incident") == 0)
		*t = REPORT_INCIDENT;
	else if (strcmp(name, "signal") == 0)
		*t = REPORT_SIGNAL;
	else
		return -1;
	return 0;
}

const char *
report_type_keyring(enum report_type t)
{
	return t == REPORT_SIGNAL ? KEYRING_SIGNALS : KEYRING_INCIDENTS;
}

static int
insert_report(struct db *db, enum report_type type, const char *state,
              const uint8_t *locator, const uint8_t *env, size_t envlen,
              int64_t *id_out)
{
	char day[CLOCK_DAY_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	clock_format_day(clock_now(), day);
	if (db_prepare(db, &st, "INSERT INTO reports (type, locator, state,"
	               " received_on, content) VALUES (:type, :locator,"
	               " :state, :day, :content)") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(type)) < 0 ||
	    stmt_bind_blob(st, ":locator", locator, RECEIPT_LOCATOR_LEN) < 0 ||
	    stmt_bind_text(st, ":state", state) < 0 ||
	    stmt_bind_text(st, ":day", day) < 0 ||
	    stmt_bind_blob(st, ":content", env, envlen) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	*id_out = db_last_id(db);
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
report_create(struct installation *inst, enum report_type type,
              const char *state, const void *content, size_t len,
              char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out)
{
	uint8_t r[RECEIPT_BYTES], locator[RECEIPT_LOCATOR_LEN];
	uint8_t recipients[2][CRYPTO_PUBLICKEY_LEN];
	uint8_t *env = NULL;
	size_t envlen;
	char object[32];
	int64_t id;
	int ret = -1;

	memset(receipt, 0, RECEIPT_TEXT_LEN + 1);
	if (strlen(state) > REPORT_STATE_MAX)
		return error("workflow state name too long");
	if (keyrings_public_key(inst->db, report_type_keyring(type),
	                        recipients[0]) < 0)
		return -1;
	/* Sealing is the costly part: do it before taking the writer lock. */
	receipt_new(r);
	if (receipt_derive(inst->secret, r, locator, recipients[1], NULL) < 0 ||
	    envelope_seal(content, len, locator, sizeof(locator),
	                  (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])recipients, 2,
	                  &env, &envlen) < 0) {
		error("could not encrypt a report");
		goto out;
	}
	if (db_begin(inst->db) < 0)
		goto out;
	if (insert_report(inst->db, type, state, locator, env, envlen, &id) < 0) {
		db_rollback(inst->db);
		goto out;
	}
	snprintf(object, sizeof(object), "report %lld", (long long)id);
	if (audit_append(inst->db, AUDIT_ACTOR_REPORTER, "report-create",
	                 object) < 0) {
		db_rollback(inst->db);
		goto out;
	}
	if (db_commit(inst->db) < 0)
		goto out;
	receipt_format(r, receipt);
	if (id_out)
		*id_out = id;
	ret = 0;
out:
	crypto_wipe(r, sizeof(r));
	free(env);
	return ret;
}

int
report_open(struct installation *inst, const char *receipt_text,
            struct report_view *out)
{
	uint8_t r[RECEIPT_BYTES], locator[RECEIPT_LOCATOR_LEN];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	const void *env;
	size_t envlen;
	char object[32];
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	if (receipt_parse(receipt_text, r) < 0)
		return 1;
	if (receipt_derive(inst->secret, r, locator, pk, &sk) < 0) {
		crypto_wipe(r, sizeof(r));
		return error("could not derive keys from a receipt");
	}
	crypto_wipe(r, sizeof(r));

	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT id, type, state, received_on,"
	               " content FROM reports WHERE locator = :locator") < 0 ||
	    stmt_bind_blob(st, ":locator", locator, sizeof(locator)) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0)
		goto out;
	out->id = stmt_int(st, 0);
	if (report_type_parse(stmt_text(st, 1), &out->type) < 0) {
		error("report %lld has an unknown type", (long long)out->id);
		goto out;
	}
	snprintf(out->state, sizeof(out->state), "%s", stmt_text(st, 2));
	snprintf(out->received_on, sizeof(out->received_on), "%s",
	         stmt_text(st, 3));
	env = stmt_blob(st, 4, &envlen);
	if (envelope_open(env, envlen, locator, sizeof(locator), pk, sk,
	                  &out->content) < 0) {
		error("report %lld does not open with its receipt: damaged",
		      (long long)out->id);
		goto out;
	}
	snprintf(object, sizeof(object), "report %lld", (long long)out->id);
	if (audit_append(inst->db, AUDIT_ACTOR_REPORTER, "report-read",
	                 object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	secret_free(sk);
	if (ret != 0)
		report_view_release(out);
	return ret;
}

void
report_view_release(struct report_view *v)
{
	secret_free(v->content);
	memset(v, 0, sizeof(*v));
}
