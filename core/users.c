/*
 * users.c - staff accounts (see users.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "envelope.h"
#include "totp.h"
#include "clock.h"
#include "db.h"
#include "hashgate.h"
#include "limits.h"
#include "log.h"
#include "password.h"
#include "users.h"

static const struct {
	enum role bit;
	const char *name;
} roles[] = {
	{ ROLE_ADMIN, "admin" },
	{ ROLE_COORDINATOR, "coordinator" },
	{ ROLE_VPT, "vpt" },
	{ ROLE_HR, "hr" },
	{ ROLE_OVERLEG, "overleg" },
	{ ROLE_AUDITOR, "auditor" },
	{ ROLE_INTEGRITY, "integrity" },
	{ ROLE_CONFIDANT, "confidant" },
};

static struct hashgate *_Atomic gate;

void
users_set_hashgate(struct hashgate *g)
{
	gate = g;
}

int
users_hash_enter(void)
{
	return hashgate_enter(gate) < 0 ? USERS_BUSY : 0;
}

void
users_hash_leave(void)
{
	hashgate_leave(gate);
}

/*
 * userkey_create_in / userkey_rewrap_in through the gate, bound to the
 * installation secret the connection carries (a copy of the database
 * alone then allows no guessing).
 */
static int
gated_create(struct db *db, const char *password,
             const struct pwhash_params *params,
             uint8_t pk[CRYPTO_PUBLICKEY_LEN],
             uint8_t wrapped[USERKEY_WRAPPED_LEN], struct secret **sk_out)
{
	int rc;

	if (users_hash_enter() < 0)
		return error("the server is busy hashing passwords: try again");
	rc = userkey_create_in(password, strlen(password), params,
	                       db_audit_key(db), pk, wrapped, sk_out);
	users_hash_leave();
	return rc;
}

static int
gated_rewrap(struct db *db, const struct secret *sk,
             const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const char *password,
             const struct pwhash_params *params,
             uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	int rc;

	if (users_hash_enter() < 0)
		return error("the server is busy hashing passwords: try again");
	rc = userkey_rewrap_in(sk, pk, password, strlen(password), params,
	                       db_audit_key(db), wrapped);
	users_hash_leave();
	return rc;
}

const struct pwhash_params *
users_pwhash(void)
{
	const char *v = getenv("MELDPUNT_PWHASH");

	if (v && strcmp(v, "fast") == 0)
		return &PWHASH_FAST;
	return &PWHASH_DEFAULT;
}

const char *
role_name(enum role r)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit == r)
			return roles[i].name;
	return NULL;
}

unsigned
role_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].bit;
	return 0;
}

int
users_valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= USERNAME_MAX;
}

static int
create_user(struct db *db, const char *actor, const char *username,
            const char *display_name, unsigned roleset, const char *password,
            const struct pwhash_params *params, int64_t *id_out,
            uint8_t pk_out[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	int64_t id = 0;
	int own, ret = -1;

	if (sk_out)
		*sk_out = NULL;
	if (!users_valid_name(username))
		return error("user name '%s' is not valid: use 1 to %d lower-case "
		             "letters, digits, '.', '_' or '-'", username,
		             USERNAME_MAX);
	if (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX)
		return error("a password needs %d to %d characters",
		             PASSWORD_MIN, PASSWORD_MAX);
	/* The slow part (Argon2id) before taking the lock. */
	if (gated_create(db, password, params, pk, wrapped, &sk) < 0)
		return error("could not create a key pair for %s", username);
	clock_format(clock_now(), now);

	if (db_join(db, &own) < 0) {
		secret_free(sk);
		return -1;
	}
	if (db_prepare(db, &st, "INSERT INTO users (username, display_name,"
	               " public_key, wrapped_key, must_change_password,"
	               " created_at, key_version, key_version_since)"
	               " VALUES (:username, :display_name,"
	               " :public_key, :wrapped_key, 1, :now, 2, :now)") < 0 ||
	    stmt_bind_text(st, ":username", username) < 0 ||
	    stmt_bind_text(st, ":display_name", display_name ? display_name : "") < 0 ||
	    stmt_bind_blob(st, ":public_key", pk, sizeof(pk)) < 0 ||
	    stmt_bind_blob(st, ":wrapped_key", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_run(st) < 0) {
		error("could not store user %s (is the name taken?)", username);
		goto out;
	}
	stmt_finalize(st);
	st = NULL;
	id = db_last_id(db);
	if (roleset && users_set_roles(db, id, roleset) < 0)
		goto out;
	if (audit_append(db, actor, "user-create", username) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0) {
		if (id_out)
			*id_out = id;
		if (pk_out)
			memcpy(pk_out, pk, sizeof(pk));
		if (sk_out) {
			*sk_out = sk;
			sk = NULL;
		}
	}
	secret_free(sk);
	return ret;
}

int
users_create(struct db *db, const char *username, const char *display_name,
             unsigned roleset, const char *password,
             const struct pwhash_params *params, int64_t *id_out,
             uint8_t pk_out[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out)
{
	return create_user(db, AUDIT_ACTOR_SYSTEM, username, display_name,
	                   roleset, password, params, id_out, pk_out, sk_out);
}

int
users_create_as(struct db *db, const char *actor, const char *username,
                const char *display_name, unsigned roleset,
                const char *password, const struct pwhash_params *params,
                int64_t *id_out)
{
	return create_user(db, actor, username, display_name, roleset, password,
	                   params, id_out, NULL, NULL);
}

static char *
dup_or_die(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

int
users_find(struct db *db, const char *username, struct user *u)
{
	struct stmt *st = NULL;
	const void *p;
	size_t len;
	int rc, ret = -1;

	memset(u, 0, sizeof(*u));
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id, username, display_name, public_key,"
	               " wrapped_key, must_change_password, disabled,"
	               " totp_sealed, totp_last_step, key_version,"
	               " key_version_since, email"
	               " FROM users WHERE username = :username") < 0 ||
	    stmt_bind_text(st, ":username", username) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0)
		goto out;
	u->id = stmt_int(st, 0);
	u->username = dup_or_die(stmt_text(st, 1));
	u->display_name = dup_or_die(stmt_text(st, 2));
	p = stmt_blob(st, 3, &len);
	if (len != sizeof(u->public_key))
		goto damaged;
	memcpy(u->public_key, p, len);
	p = stmt_blob(st, 4, &len);
	if (len != sizeof(u->wrapped_key))
		goto damaged;
	memcpy(u->wrapped_key, p, len);
	u->must_change_password = (int)stmt_int(st, 5);
	u->disabled = (int)stmt_int(st, 6);
	if (!stmt_is_null(st, 7)) {
		p = stmt_blob(st, 7, &len);
		u->totp_sealed = malloc(len ? len : 1);
		if (!u->totp_sealed)
			die("out of memory");
		memcpy(u->totp_sealed, p, len);
		u->totp_sealed_len = len;
	}
	u->totp_last_step = (uint64_t)stmt_int(st, 8);
	u->key_version = (unsigned)stmt_int(st, 9);
	snprintf(u->key_since, sizeof(u->key_since), "%s", stmt_text(st, 10));
	snprintf(u->email, sizeof(u->email), "%s", stmt_text(st, 11));
	u->install = db_audit_key(db);
	stmt_finalize(st);

	if (db_prepare(db, &st, "SELECT role FROM user_roles"
	               " WHERE user_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", u->id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW)
		u->roles |= role_parse(stmt_text(st, 0));
	if (rc < 0)
		goto out;
	ret = 0;
	goto out;
damaged:
	error("the stored keys of user %s are damaged", username);
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret != 0)
		user_release(u);
	return ret;
}

void
user_release(struct user *u)
{
	free(u->username);
	free(u->display_name);
	free(u->totp_sealed);
	memset(u, 0, sizeof(*u));
}

int
users_unlock(const struct user *u, const char *password, struct secret **sk_out)
{
	int rc;

	*sk_out = NULL;
	if (u->disabled)
		return -1;
	if (users_hash_enter() < 0)
		return USERS_BUSY;
	rc = userkey_unwrap_in(password, strlen(password), u->install,
	                       u->public_key, u->wrapped_key, sk_out);
	users_hash_leave();
	return rc < 0 ? -1 : 0;
}

int
users_key_expired(const struct user *u, time_t now, unsigned days)
{
	time_t since;

	if (u->key_version >= USERKEY_VERSION || !days)
		return 0;
	/* No time recorded: treat it as old as can be. */
	if (clock_parse(u->key_since, &since) < 0)
		return 1;
	return now - since >= (time_t)days * 86400;
}

/* Store a new wrap of the current version, since now. 0 or -1. */
static int
store_wrap(struct db *db, int64_t id, const uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	char now[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	clock_format(clock_now(), now);
	if (db_prepare(db, &st, "UPDATE users SET wrapped_key = :wrapped,"
	               " key_version = 2, key_version_since = :now"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_blob(st, ":wrapped", wrapped, USERKEY_WRAPPED_LEN) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
users_rewrap_old(struct db *db, struct user *u, const struct secret *sk,
                 const char *password)
{
	uint8_t wrapped[USERKEY_WRAPPED_LEN];
	int own, ret = -1;

	if (u->key_version >= USERKEY_VERSION)
		return 0;
	/* Busy: this login goes on with the old wrap, the next one renews. */
	if (users_hash_enter() < 0)
		return 1;
	ret = userkey_rewrap_in(sk, u->public_key, password, strlen(password),
	                        users_pwhash(), db_audit_key(db), wrapped);
	users_hash_leave();
	if (ret < 0)
		return error("could not wrap the key of %s again", u->username);
	if (db_join(db, &own) < 0)
		return -1;
	ret = -1;
	if (store_wrap(db, u->id, wrapped) < 0 ||
	    audit_append(db, u->username, "user-key-rewrap", u->username) < 0)
		goto out;
	ret = 0;
out:
	ret = db_leave(db, own, ret == 0);
	if (ret == 0) {
		memcpy(u->wrapped_key, wrapped, sizeof(wrapped));
		u->key_version = USERKEY_VERSION;
	}
	return ret;
}

/* What the TOTP envelope is bound to: this user, this purpose. */
static void
totp_ad(const struct user *u, char ad[64])
{
	snprintf(ad, 64, "totp:%lld", (long long)u->id);
}

int
users_totp_verify(const struct user *u, const struct secret *sk,
                  const char *code, time_t now, uint64_t *step)
{
	struct secret *totp = NULL;
	char ad[64];
	int ret;

	if (!u->totp_sealed)
		return -1;
	totp_ad(u, ad);
	if (envelope_open(u->totp_sealed, u->totp_sealed_len, (const uint8_t *)ad,
	                  strlen(ad), u->public_key, sk, &totp) < 0)
		return error("the second factor of %s does not open", u->username);
	ret = totp_verify(totp, code, now, u->totp_last_step + 1, step);
	secret_free(totp);
	return ret;
}

int
users_totp_record(struct db *db, struct user *u, uint64_t step)
{
	struct stmt *st = NULL;
	int ret = -1;

	/* A concurrent login with the same code loses. */
	db_lock(db);
	if (db_prepare(db, &st, "UPDATE users SET totp_last_step = :step"
	               " WHERE id = :id AND totp_last_step < :step") < 0 ||
	    stmt_bind_int(st, ":step", (int64_t)step) < 0 ||
	    stmt_bind_int(st, ":id", u->id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = db_changes(db) == 1 ? 0 : 1;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret == 0)
		u->totp_last_step = step;
	return ret;
}

int
users_complete_setup(struct db *db, struct user *u, const struct secret *sk,
                     const char *password, const struct pwhash_params *params,
                     const struct secret *totp, uint64_t step_used)
{
	uint8_t wrapped[USERKEY_WRAPPED_LEN];
	const uint8_t (*rcpt)[CRYPTO_PUBLICKEY_LEN];
	struct stmt *st = NULL;
	uint8_t *sealed = NULL;
	size_t sealed_len;
	char ad[64];
	int own, ret = -1;

	if (gated_rewrap(db, sk, u->public_key, password, params, wrapped) < 0)
		return error("could not wrap the key of %s", u->username);
	totp_ad(u, ad);
	rcpt = (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])u->public_key;
	/* A TOTP secret has one length: nothing to pad. */
	if (envelope_seal(totp->bytes, totp->len, NULL, (const uint8_t *)ad,
	                  strlen(ad),
	                  rcpt, 1, &sealed, &sealed_len) < 0)
		return error("could not seal the second factor of %s", u->username);
	if (db_join(db, &own) < 0) {
		free(sealed);
		return -1;
	}
	if (store_wrap(db, u->id, wrapped) < 0 ||
	    db_prepare(db, &st, "UPDATE users SET"
	               " totp_sealed = :totp, totp_last_step = :step,"
	               " must_change_password = 0 WHERE id = :id") < 0 ||
	    stmt_bind_blob(st, ":totp", sealed, sealed_len) < 0 ||
	    stmt_bind_int(st, ":step", (int64_t)step_used) < 0 ||
	    stmt_bind_int(st, ":id", u->id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, u->username, "user-setup", u->username) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0) {
		memcpy(u->wrapped_key, wrapped, sizeof(wrapped));
		u->key_version = USERKEY_VERSION;
		free(u->totp_sealed);
		u->totp_sealed = sealed;
		u->totp_sealed_len = sealed_len;
		u->totp_last_step = step_used;
		u->must_change_password = 0;
		sealed = NULL;
	}
	free(sealed);
	return ret;
}

int
users_change_password(struct db *db, const struct user *u,
                      const struct secret *sk, const char *password,
                      const struct pwhash_params *params)
{
	uint8_t wrapped[USERKEY_WRAPPED_LEN];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (gated_rewrap(db, sk, u->public_key, password, params, wrapped) < 0)
		return error("could not wrap the key of %s", u->username);
	if (db_join(db, &own) < 0)
		return -1;
	if (store_wrap(db, u->id, wrapped) < 0)
		goto out;
	if (audit_append(db, u->username, "password-change", u->username) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}

const char *
users_password_problem(const char *username, const char *password, size_t min)
{
	size_t len = strlen(password), i;
	int same = 1;

	if (min < PASSWORD_MIN_FLOOR)
		min = PASSWORD_MIN_FLOOR;
	if (len < min)
		return "too_short";
	if (len > PASSWORD_MAX)
		return "too_long";
	if (strcasecmp(password, username) == 0)
		return "is_username";
	for (i = 1; i < len; i++)
		same &= password[i] == password[0];
	if (same)
		return "too_simple";
	if (password_common(password))
		return "too_common";
	return NULL;
}

void
users_list_free(struct user_row *rows, size_t n)
{
	size_t i;

	for (i = 0; rows && i < n; i++) {
		free(rows[i].username);
		free(rows[i].display_name);
		free(rows[i].keyrings);
		free(rows[i].pending);
		free(rows[i].key_since);
	}
	free(rows);
}

int
users_list(struct db *db, struct user_row **out, size_t *n)
{
	struct user_row *rows = NULL;
	struct stmt *st = NULL;
	size_t cap = 0, count = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(db);
	/* The ORDER BY inside each group_concat keeps the names sorted. */
	if (db_prepare(db, &st, "SELECT u.id, u.username, u.display_name,"
	               " u.disabled, u.totp_sealed IS NOT NULL"
	               " AND u.must_change_password = 0,"
	               " (SELECT group_concat(role, ' ') FROM user_roles"
	               "  WHERE user_id = u.id),"
	               " (SELECT group_concat(name, ', ') FROM (SELECT k.name"
	               "  FROM keyrings k JOIN keyring_members m"
	               "  ON m.keyring_id = k.id WHERE m.user_id = u.id"
	               "  ORDER BY k.name)),"
	               " (SELECT group_concat(name, ', ') FROM (SELECT k.name"
	               "  FROM keyrings k JOIN keyring_pending p"
	               "  ON p.keyring_id = k.id WHERE p.user_id = u.id"
	               "  ORDER BY k.name)),"
	               " u.key_version < 2, u.key_version_since"
	               " FROM users u ORDER BY u.username") < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct user_row *r;
		char *roleset, *word, *end;

		if (count == cap)
			rows = buf_grow_array(rows, &cap, sizeof(*rows), 16);
		r = &rows[count++];
		memset(r, 0, sizeof(*r));
		r->id = stmt_int(st, 0);
		r->username = dup_or_die(stmt_text(st, 1));
		r->display_name = dup_or_die(stmt_text(st, 2));
		r->disabled = (int)stmt_int(st, 3);
		r->set_up = (int)stmt_int(st, 4);
		roleset = dup_or_die(stmt_text(st, 5));
		for (word = roleset; *word; word = end) {
			end = strchr(word, ' ');
			if (end)
				*end++ = '\0';
			else
				end = word + strlen(word);
			r->roles |= role_parse(word);
		}
		free(roleset);
		r->keyrings = dup_or_die(stmt_text(st, 6));
		r->pending = dup_or_die(stmt_text(st, 7));
		r->old_key = (int)stmt_int(st, 8);
		r->key_since = dup_or_die(stmt_text(st, 9));
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret == 0) {
		*out = rows;
		*n = count;
	} else {
		users_list_free(rows, count);
	}
	return ret;
}

/* The username of user id, inside the caller's lock. 0 or -1. */
static int
name_of(struct db *db, int64_t id, char *out, size_t size)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "SELECT username FROM users WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("there is no user %lld", (long long)id);
		goto out;
	}
	snprintf(out, size, "%s", stmt_text(st, 0));
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
users_set_disabled(struct db *db, const char *actor, int64_t user_id,
                   int disabled)
{
	struct stmt *st = NULL;
	char object[USERNAME_MAX + 1] = "";
	int own, ret = -1;

	if (db_join(db, &own) < 0)
		return -1;
	if (name_of(db, user_id, object, sizeof(object)) < 0)
		goto out;
	if (db_prepare(db, &st, "UPDATE users SET disabled = :disabled"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":disabled", disabled ? 1 : 0) < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, actor, disabled ? "user-disable" : "user-enable",
	                 object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}

int
users_set_email(struct db *db, const char *actor, int64_t user_id,
                const char *email)
{
	struct stmt *st = NULL;
	char name[USERNAME_MAX + 1], object[USERNAME_MAX + 16] = "";
	int own, ret = -1;

	if (strlen(email) > USERS_EMAIL_MAX)
		return error("an e-mail address is at most %d bytes",
		             USERS_EMAIL_MAX);
	if (db_join(db, &own) < 0)
		return -1;
	if (name_of(db, user_id, name, sizeof(name)) < 0)
		goto out;
	/* The account and what happened, never the address. */
	snprintf(object, sizeof(object), "%s: %s", name,
	         email[0] ? "set" : "removed");
	if (db_prepare(db, &st, "UPDATE users SET email = :email"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_text(st, ":email", email) < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, actor, "user-email", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}

int
users_reset(struct db *db, const char *actor, int64_t user_id,
            const struct pwhash_params *params,
            char password[TOKEN_PASSWORD_LEN + 1])
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1], object[USERNAME_MAX + 1] = "";
	char pw[TOKEN_PASSWORD_LEN + 1];
	struct stmt *st = NULL;
	int own, ret = -1;

	token_password(pw);
	/* The slow part (Argon2id) before taking the lock. */
	if (gated_create(db, pw, params, pk, wrapped, NULL) < 0) {
		crypto_wipe(pw, sizeof(pw));
		return error("could not create a new key pair for user %lld",
		             (long long)user_id);
	}
	clock_format(clock_now(), now);
	if (db_join(db, &own) < 0) {
		crypto_wipe(pw, sizeof(pw));
		return -1;
	}
	if (name_of(db, user_id, object, sizeof(object)) < 0)
		goto out;
	/* Remember what was held before the copies go (never lost silently). */
	if (db_prepare(db, &st, "INSERT OR IGNORE INTO keyring_pending"
	               " (keyring_id, user_id, since) SELECT keyring_id, user_id,"
	               " :now FROM keyring_members WHERE user_id = :id") < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	if (db_prepare(db, &st, "DELETE FROM keyring_members"
	               " WHERE user_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	if (db_prepare(db, &st, "UPDATE users SET public_key = :pk,"
	               " wrapped_key = :wrapped, must_change_password = 1,"
	               " totp_sealed = NULL, totp_last_step = 0,"
	               " key_version = 2, key_version_since = :now"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_blob(st, ":pk", pk, sizeof(pk)) < 0 ||
	    stmt_bind_blob(st, ":wrapped", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (audit_append(db, actor, "password-reset", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0)
		memcpy(password, pw, sizeof(pw));
	crypto_wipe(pw, sizeof(pw));
	return ret;
}

int
users_set_roles(struct db *db, int64_t user_id, unsigned roleset)
{
	struct stmt *st = NULL;
	int own, ret = -1;
	size_t i;

	if (!roleset)
		return error("an account needs a role");
	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "DELETE FROM user_roles WHERE user_id = :id"
	               " AND EXISTS (SELECT 1 FROM users WHERE id = :id)") < 0 ||
	    stmt_bind_int(st, ":id", user_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (!(roleset & roles[i].bit))
			continue;
		stmt_finalize(st);
		if (db_prepare(db, &st, "INSERT INTO user_roles (user_id, role)"
		               " SELECT id, :role FROM users WHERE id = :id") < 0 ||
		    stmt_bind_int(st, ":id", user_id) < 0 ||
		    stmt_bind_text(st, ":role", roles[i].name) < 0 ||
		    stmt_run(st) < 0)
			goto out;
		if (db_changes(db) != 1) {
			error("there is no user %lld", (long long)user_id);
			goto out;
		}
	}
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}
