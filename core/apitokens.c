/*
 * apitokens.c - staff API tokens as stored (see apitokens.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitokens.h"
#include "audit.h"
#include "db.h"
#include "form.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "users.h"

static const unsigned all_roles[] = {
	ROLE_ADMIN, ROLE_COORDINATOR, ROLE_VPT, ROLE_HR, ROLE_OVERLEG,
	ROLE_AUDITOR, ROLE_INTEGRITY, ROLE_CONFIDANT,
};

void
apitokens_roles_text(unsigned roles, char *out, size_t size)
{
	size_t i, o = 0;

	if (!size)
		return;
	out[0] = '\0';
	for (i = 0; i < sizeof(all_roles) / sizeof(all_roles[0]); i++) {
		int n;

		if (!(roles & all_roles[i]))
			continue;
		n = snprintf(out + o, size - o, "%s%s", o ? ", " : "",
		             role_name((enum role)all_roles[i]));
		if (n < 0 || (size_t)n >= size - o)
			return;
		o += (size_t)n;
	}
}

int
apitokens_ring_allowed(unsigned roles, const char *name)
{
	return keyrings_role_handles(roles, name);
}

static int
live_count(struct db *db, int64_t user_id, const char *now, int64_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "SELECT count(*) FROM api_tokens"
	               " WHERE user_id = :user AND revoked_at IS NULL"
	               " AND expires_at > :now") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_step(st) != DB_ROW)
		goto out;
	*n = stmt_int(st, 0);
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
apitokens_create(struct installation *inst, int64_t user_id,
                 const char *username, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                 const struct secret *sk, unsigned user_roles, unsigned roles,
                 const char *label, unsigned days, time_t now,
                 char text[APITOKEN_TEXT_LEN + 1])
{
	uint8_t verifier[APITOKEN_VERIFIER_LEN], wrapped[APITOKEN_WRAPPED_LEN];
	char id[APITOKEN_ID_LEN + 1], created[CLOCK_TEXT_LEN + 1];
	char expires[CLOCK_TEXT_LEN + 1], rolestext[128];
	struct stmt *st = NULL;
	struct db *db = inst->db;
	struct buf object = BUF_INIT;
	int64_t live = 0;
	size_t len = label ? strlen(label) : 0;
	int ret = -1;

	if (!len || len > APITOKENS_LABEL_MAX || !utf8_valid_text(label, len) ||
	    strchr(label, '\n') || strchr(label, '\r') || strchr(label, '\t'))
		return APITOKENS_BAD_LABEL;
	if (days < 1 || days > APITOKENS_DAYS_MAX)
		return APITOKENS_BAD_DAYS;
	if (!roles || (roles & ~user_roles))
		return APITOKENS_BAD_ROLES;
	if (apitoken_new(inst->secret, sk, pk, text, id, verifier, wrapped) < 0)
		return -1;
	clock_format(now, created);
	clock_format(now + (time_t)days * 86400, expires);
	if (db_begin(db) < 0)
		goto out;
	if (live_count(db, user_id, created, &live) < 0)
		goto fail;
	if (live >= APITOKENS_PER_USER_MAX) {
		db_rollback(db);
		ret = APITOKENS_TOO_MANY;
		goto out;
	}
	if (db_prepare(db, &st, "INSERT INTO api_tokens (public_id, user_id,"
	               " label, roles, created_at, expires_at, verifier,"
	               " wrapped_key) VALUES (:id, :user, :label, :roles,"
	               " :created, :expires, :verifier, :wrapped)") < 0 ||
	    stmt_bind_text(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0 ||
	    stmt_bind_text(st, ":label", label) < 0 ||
	    stmt_bind_int(st, ":roles", roles) < 0 ||
	    stmt_bind_text(st, ":created", created) < 0 ||
	    stmt_bind_text(st, ":expires", expires) < 0 ||
	    stmt_bind_blob(st, ":verifier", verifier, sizeof(verifier)) < 0 ||
	    stmt_bind_blob(st, ":wrapped", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_run(st) < 0)
		goto fail;
	stmt_finalize(st);
	st = NULL;
	apitokens_roles_text(roles, rolestext, sizeof(rolestext));
	buf_addf(&object, "token %s (%s) until %s", id, rolestext, expires);
	if (audit_append(db, username, "api-token-create", object.data) < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto out;
	ret = APITOKENS_OK;
	goto out;
fail:
	stmt_finalize(st);
	st = NULL;
	db_rollback(db);
out:
	stmt_finalize(st);
	buf_release(&object);
	crypto_wipe(wrapped, sizeof(wrapped));
	if (ret != APITOKENS_OK)
		crypto_wipe(text, APITOKEN_TEXT_LEN + 1);
	return ret;
}

static void
copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

int
apitokens_list(struct db *db, int64_t user_id, time_t now,
               struct apitoken_row **out, size_t *n)
{
	struct apitoken_row *rows = NULL;
	struct stmt *st = NULL;
	char nowtext[CLOCK_TEXT_LEN + 1];
	size_t cap = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	clock_format(now, nowtext);
	db_lock(db);
	if (db_prepare(db, &st, "SELECT t.public_id, t.user_id, u.username,"
	               " t.label, t.roles, t.created_at, t.expires_at,"
	               " t.revoked_at, t.revoked_by"
	               " FROM api_tokens t JOIN users u ON u.id = t.user_id"
	               " WHERE :user = 0 OR t.user_id = :user"
	               " ORDER BY t.id DESC") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct apitoken_row *r;

		if (*n == cap) {
			struct apitoken_row *g;

			cap = cap ? cap * 2 : 16;
			g = realloc(rows, cap * sizeof(*rows));
			if (!g)
				die("out of memory");
			rows = g;
		}
		r = &rows[(*n)++];
		memset(r, 0, sizeof(*r));
		copy_text(r->public_id, sizeof(r->public_id), stmt_text(st, 0));
		r->user_id = stmt_int(st, 1);
		copy_text(r->username, sizeof(r->username), stmt_text(st, 2));
		copy_text(r->label, sizeof(r->label), stmt_text(st, 3));
		r->roles = (unsigned)stmt_int(st, 4);
		copy_text(r->created_at, sizeof(r->created_at), stmt_text(st, 5));
		copy_text(r->expires_at, sizeof(r->expires_at), stmt_text(st, 6));
		copy_text(r->revoked_at, sizeof(r->revoked_at), stmt_text(st, 7));
		copy_text(r->revoked_by, sizeof(r->revoked_by), stmt_text(st, 8));
		r->expired = strcmp(r->expires_at, nowtext) <= 0;
	}
	if (rc < 0)
		goto out;
	*out = rows;
	rows = NULL;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0)
		*n = 0;
	free(rows);
	return ret;
}

struct outcome
apitokens_make(struct installation *inst, const struct actor *a,
               const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
               unsigned roles, const char *label, unsigned days, time_t now,
               char text[APITOKENS_TEXT_LEN + 1])
{
	static const struct {
		enum verdict verdict;
		const char *key, *field;
	} refusals[] = {
		[APITOKENS_BAD_LABEL] = { VERDICT_INVALID, "tokens.bad_label",
		                          "label" },
		[APITOKENS_BAD_DAYS] = { VERDICT_INVALID, "tokens.bad_days",
		                         "days" },
		[APITOKENS_BAD_ROLES] = { VERDICT_INVALID, "tokens.bad_roles",
		                          "role" },
		[APITOKENS_TOO_MANY] = { VERDICT_REFUSED, "tokens.too_many",
		                         NULL },
	};
	struct outcome o = { 0 };
	int rc;

	rc = apitokens_create(inst, a->user_id, a->name, pk, sk, a->roles,
	                      roles, label, days, now, text);
	if (rc < 0)
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
	else if (rc == APITOKENS_OK)
		outcome_set(&o, VERDICT_DONE, "tokens.created_ok", NULL);
	else
		outcome_set(&o, refusals[rc].verdict, refusals[rc].key,
		            refusals[rc].field);
	return o;
}

struct outcome
apitokens_withdraw(struct db *db, const struct actor *a, const char *public_id,
                   time_t now)
{
	struct outcome o = { 0 };
	int64_t owner = (a->roles & ROLE_ADMIN) ? 0 : a->user_id;
	int rc = apitokens_revoke(db, a->name, public_id, owner, now);

	if (rc < 0)
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
	else if (rc == 1)
		outcome_set(&o, VERDICT_NOT_FOUND, "tokens.not_found", NULL);
	else
		outcome_set(&o, VERDICT_DONE, NULL, NULL);
	return o;
}

void
apitokens_list_free(struct apitoken_row *rows)
{
	free(rows);
}

int
apitokens_revoke(struct db *db, const char *actor, const char *public_id,
                 int64_t owner, time_t now)
{
	char nowtext[CLOCK_TEXT_LEN + 1], id[APITOKEN_ID_LEN + 1];
	struct stmt *st = NULL;
	struct buf object = BUF_INIT;
	int own, ret = -1;

	/* Only the shape of an id reaches the database. */
	if (!public_id || strlen(public_id) != APITOKEN_ID_LEN ||
	    strspn(public_id, "0123456789abcdef") != APITOKEN_ID_LEN)
		return 1;
	memcpy(id, public_id, sizeof(id));
	clock_format(now, nowtext);
	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "UPDATE api_tokens SET revoked_at = :now,"
	               " revoked_by = :actor WHERE public_id = :id"
	               " AND revoked_at IS NULL"
	               " AND (:owner = 0 OR user_id = :owner)") < 0 ||
	    stmt_bind_text(st, ":now", nowtext) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_bind_text(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":owner", owner) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(db) != 1) {
		ret = 1;
		goto out;
	}
	buf_addf(&object, "token %s", id);
	if (audit_append(db, actor, "api-token-revoke", object.data) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	buf_release(&object);
	/* db_leave says -1 for a rollback: only a failed commit is an error. */
	if (db_leave(db, own, ret == 0) < 0 && ret == 0)
		return -1;
	return ret;
}

void
apitoken_auth_release(struct apitoken_auth *a)
{
	secret_free(a->sk);
	a->sk = NULL;
}

const char *
apitokens_verdict_text(int verdict)
{
	static const char *const text[] = {
		[APITOKENS_VALID] = "valid",
		[APITOKENS_UNKNOWN] = "unknown",
		[APITOKENS_EXPIRED] = "expired",
		[APITOKENS_REVOKED] = "revoked",
		[APITOKENS_NO_ACCOUNT] = "account disabled, reset or without the role",
	};

	return verdict >= 0 && (size_t)verdict < sizeof(text) / sizeof(text[0])
	       ? text[verdict] : "refused";
}

static void
audit_refused_token(struct db *db, const struct apitoken_auth *a, int verdict)
{
	struct buf object = BUF_INIT;

	buf_addf(&object, "token %s: %s", a->public_id,
	         apitokens_verdict_text(verdict));
	if (audit_append_result(db, a->username, "api-auth", object.data,
	                        AUDIT_REFUSED) < 0)
		log_warn("a refused API token could not be audited");
	buf_release(&object);
}

int
apitokens_authenticate(struct installation *inst, const char *text,
                       time_t now, struct apitoken_auth *out)
{
	uint8_t verifier[APITOKEN_VERIFIER_LEN], wrapped[APITOKEN_WRAPPED_LEN];
	char id[APITOKEN_ID_LEN + 1], nowtext[CLOCK_TEXT_LEN + 1];
	char expires[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	struct db *db = inst->db;
	const void *p;
	size_t len, vlen, wlen;
	unsigned roles, user_roles = 0;
	int revoked, disabled, rc, ret = -1;

	memset(out, 0, sizeof(*out));
	if (apitoken_parse(text, id) < 0)
		return APITOKENS_UNKNOWN;
	clock_format(now, nowtext);
	db_lock(db);
	if (db_prepare(db, &st, "SELECT t.user_id, u.username, t.roles,"
	               " t.expires_at, t.revoked_at IS NOT NULL, t.verifier,"
	               " t.wrapped_key, u.public_key, u.disabled"
	               " FROM api_tokens t JOIN users u ON u.id = t.user_id"
	               " WHERE t.public_id = :id") < 0 ||
	    stmt_bind_text(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = APITOKENS_UNKNOWN;
		goto out;
	}
	if (rc < 0)
		goto out;
	out->user_id = stmt_int(st, 0);
	copy_text(out->username, sizeof(out->username), stmt_text(st, 1));
	roles = (unsigned)stmt_int(st, 2);
	copy_text(expires, sizeof(expires), stmt_text(st, 3));
	revoked = (int)stmt_int(st, 4);
	p = stmt_blob(st, 5, &vlen);
	if (vlen == sizeof(verifier))
		memcpy(verifier, p, vlen);
	p = stmt_blob(st, 6, &wlen);
	if (wlen == sizeof(wrapped))
		memcpy(wrapped, p, wlen);
	p = stmt_blob(st, 7, &len);
	if (len == sizeof(out->pk))
		memcpy(out->pk, p, len);
	disabled = (int)stmt_int(st, 8);
	stmt_finalize(st);
	st = NULL;
	if (vlen != sizeof(verifier) || wlen != sizeof(wrapped) ||
	    len != sizeof(out->pk)) {
		error("the stored API token %s is damaged", id);
		goto out;
	}
	/* The secret first: nothing about the row is told to a guesser. */
	if (!apitoken_verify(inst->secret, text, verifier)) {
		out->username[0] = '\0';
		ret = APITOKENS_UNKNOWN;
		goto out;
	}
	memcpy(out->public_id, id, sizeof(id));
	if (revoked) {
		ret = APITOKENS_REVOKED;
		goto out;
	}
	if (strcmp(expires, nowtext) <= 0) {
		ret = APITOKENS_EXPIRED;
		goto out;
	}
	if (db_prepare(db, &st, "SELECT role FROM user_roles"
	               " WHERE user_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", out->user_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW)
		user_roles |= role_parse(stmt_text(st, 0));
	if (rc < 0)
		goto out;
	out->roles = roles & user_roles;
	if (disabled || !out->roles ||
	    apitoken_unwrap(text, out->pk, wrapped, &out->sk) < 0) {
		ret = APITOKENS_NO_ACCOUNT;
		goto out;
	}
	ret = APITOKENS_VALID;
out:
	stmt_finalize(st);
	db_unlock(db);
	crypto_wipe(wrapped, sizeof(wrapped));
	if (ret != APITOKENS_VALID) {
		secret_free(out->sk);
		out->sk = NULL;
		out->roles = 0;
	}
	/* A known token's owner is told in the audit log; a guess is not. */
	if (ret > APITOKENS_VALID && out->username[0])
		audit_refused_token(db, out, ret);
	return ret;
}
