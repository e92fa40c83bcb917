/*
 * login.c - logging in, the first login's set-up and changing one's own
 * password (see login.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "keyrings.h"
#include "log.h"
#include "login.h"
#include "token.h"
#include "totp.h"
#include "userkey.h"

void
login_release(struct login *l)
{
	size_t i;

	secret_free(l->sk);
	for (i = 0; i < l->nrings; i++)
		secret_free(l->rings[i].sk);
	memset(l, 0, sizeof(*l));
}

/*
 * A key of the same cost as a real one, so that an unknown account name
 * takes as long to refuse as a wrong password.
 */
static uint8_t dummy_pk[CRYPTO_PUBLICKEY_LEN];
static uint8_t dummy_wrapped[USERKEY_WRAPPED_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	char pw[TOKEN_TEXT_LEN + 1];

	token_new(pw);
	if (userkey_create(pw, strlen(pw), users_pwhash(), dummy_pk,
	                   dummy_wrapped, NULL) < 0)
		log_warn("could not make the login timing key");
	crypto_wipe(pw, sizeof(pw));
}

/* USERS_BUSY when the hash got no turn at the gate, else 0. */
static int
waste_like_a_login(const char *password)
{
	struct secret *sk = NULL;

	pthread_once(&dummy_once, make_dummy);
	if (users_hash_enter() < 0)
		return USERS_BUSY;
	userkey_unwrap(password, strlen(password), dummy_pk, dummy_wrapped, &sk);
	users_hash_leave();
	secret_free(sk);
	return 0;
}

/* Count the attempt before anything else; -1 with o set when refused. */
static int
limit_begin(const struct login_limit *limit, const char *username,
            struct outcome *o)
{
	unsigned retry = 0;

	if (limit && limit->begin &&
	    !limit->begin(limit->arg, username, &retry)) {
		outcome_set(o, VERDICT_LIMITED, "staff.locked", NULL);
		return -1;
	}
	return 0;
}

static void
limit_end(const struct login_limit *limit, enum login_result result)
{
	if (limit && limit->end)
		limit->end(limit->arg, result);
}

/* No hash got a turn: nothing was tried, so nothing stays counted. */
static struct outcome
busy(const struct login_limit *limit)
{
	struct outcome o = { 0 };

	limit_end(limit, LOGIN_UNTRIED);
	outcome_set(&o, VERDICT_LIMITED, LOGIN_BUSY_KEY, NULL);
	return o;
}

/* Unwrap every keyring the user holds. 0 or -1. */
static int
unlock_rings(struct db *db, struct login *l)
{
	char names[LOGIN_MAX_RINGS][KEYRING_NAME_MAX + 1];
	size_t n, i;

	if (keyrings_of_user(db, l->user_id, names, LOGIN_MAX_RINGS, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct login_ring *r = &l->rings[l->nrings];

		if (keyrings_public_key(db, names[i], r->pk) < 0 ||
		    keyrings_unlock(db, names[i], l->user_id, l->pk, l->sk,
		                    &r->sk) != 0)
			return -1;
		/* Both are KEYRING_NAME_MAX + 1 bytes, NUL-terminated. */
		memcpy(r->name, names[i], sizeof(r->name));
		l->nrings++;
	}
	return 0;
}

/*
 * A refusal: it stays counted (limit_begin counted it before anything
 * was tried); audited with the reason when there is one.
 */
static struct outcome
refuse(struct db *db, const struct login_limit *limit, const char *username,
       enum verdict v, const char *why)
{
	struct outcome o = { 0 };

	limit_end(limit, LOGIN_FAILED);
	/* Who tried is worth keeping; where from is not (SECURITY.md). */
	if (why)
		audit_append_result(db, username, "login", why, AUDIT_FAILED);
	outcome_set(&o, v, v == VERDICT_FAILED ? NULL : "staff.login_failed",
	            NULL);
	return o;
}

/* The transaction of a login: the code's step used up, the audit row. */
static int
record_login(struct db *db, struct user *u, int with_code, uint64_t step,
             int *replayed)
{
	int ok = 0, rc;

	*replayed = 0;
	if (db_begin(db) < 0)
		return -1;
	if (with_code) {
		rc = users_totp_record(db, u, step);
		if (rc != 0) {
			*replayed = rc == 1;
			goto out;
		}
	}
	if (audit_append(db, u->username, "login",
	                 with_code ? "" : "first login") < 0)
		goto out;
	ok = 1;
out:
	if (!ok) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

struct outcome
login_password(struct db *db, const char *username, const char *password,
               const char *code, time_t now, const struct login_limit *limit,
               struct login *out)
{
	struct outcome o = { 0 };
	struct secret *sk = NULL;
	uint64_t step = 0;
	struct user u;
	int rc, replayed, too_long;

	memset(out, 0, sizeof(*out));
	too_long = (username && strlen(username) > USERNAME_MAX) ||
	           (password && strlen(password) > PASSWORD_MAX);
	/*
	 * Counted before anything else, and so before any hashing: a flood
	 * of parallel attempts must not all pass a check that only the
	 * attempts after them would fail.
	 */
	if (limit_begin(limit, username && !too_long ? username : "", &o) < 0)
		return o;
	if (!username || !*username || !password || !*password)
		return refuse(db, limit, username ? username : "",
		              VERDICT_REFUSED, NULL);
	if (too_long) {
		o = refuse(db, limit, "", VERDICT_INVALID, NULL);
		o.field = "username";
		return o;
	}
	rc = users_find(db, username, &u);
	if (rc < 0)
		return refuse(db, limit, username, VERDICT_FAILED, NULL);
	if (rc == 1) {
		struct outcome refused;

		if (waste_like_a_login(password) < 0)
			return busy(limit);
		/*
		 * Counted under the typed name (the lockout needs it), but not
		 * kept: a name that is no account is often a password typed
		 * into the wrong field. The row says only that much.
		 */
		refused = refuse(db, limit, username, VERDICT_REFUSED, NULL);
		if (audit_append_result(db, LOGIN_UNKNOWN_ACCOUNT, "login", "",
		                        AUDIT_FAILED) < 0)
			outcome_set(&refused, VERDICT_FAILED, NULL, NULL);
		return refused;
	}
	if (u.disabled) {
		rc = waste_like_a_login(password);
		user_release(&u);
		if (rc < 0)
			return busy(limit);
		return refuse(db, limit, username, VERDICT_REFUSED,
		              "account disabled");
	}
	/* Too long on the old wrap: no longer accepted, the admin resets. */
	if (users_key_expired(&u, now, limit ? limit->key_upgrade_days : 0)) {
		rc = waste_like_a_login(password);
		user_release(&u);
		if (rc < 0)
			return busy(limit);
		return refuse(db, limit, username, VERDICT_REFUSED,
		              "old key wrap");
	}
	rc = users_unlock(&u, password, &sk);
	if (rc < 0) {
		user_release(&u);
		if (rc == USERS_BUSY)
			return busy(limit);
		return refuse(db, limit, username, VERDICT_REFUSED,
		              "wrong password");
	}
	if (u.totp_sealed) {
		if (users_totp_verify(&u, sk, code ? code : "", now, &step) < 0) {
			secret_free(sk);
			user_release(&u);
			return refuse(db, limit, username, VERDICT_REFUSED,
			              "wrong code");
		}
	} else if (!u.must_change_password) {
		/* Set up, yet no second factor: never let that in. */
		secret_free(sk);
		user_release(&u);
		return refuse(db, limit, username, VERDICT_REFUSED,
		              "no second factor");
	}

	out->user_id = u.id;
	snprintf(out->username, sizeof(out->username), "%s", u.username);
	out->roles = u.roles;
	out->setup = !u.totp_sealed;
	memcpy(out->pk, u.public_key, sizeof(out->pk));
	out->sk = sk;
	if (unlock_rings(db, out) < 0) {
		login_release(out);
		user_release(&u);
		return refuse(db, limit, username, VERDICT_FAILED, NULL);
	}
	if (record_login(db, &u, u.totp_sealed != NULL, step, &replayed) < 0) {
		login_release(out);
		user_release(&u);
		if (replayed)
			return refuse(db, limit, username, VERDICT_REFUSED,
			              "wrong code");
		return refuse(db, limit, username, VERDICT_FAILED, NULL);
	}
	/*
	 * An old wrap is made again as the current version, bound to
	 * installation.key; if that fails the login stands and the next
	 * one tries again.
	 */
	if (users_rewrap_old(db, &u, out->sk, password) < 0)
		log_warn("the key of %s stays on its old wrap until the next "
		         "login", u.username);
	user_release(&u);
	limit_end(limit, LOGIN_IN);
	outcome_set(&o, VERDICT_DONE, NULL, NULL);
	o.id = out->user_id;
	return o;
}

/* The new password twice and the policy; o set when they do not fit. */
static int
new_password_problem(const char *username, const char *password,
                     const char *password2, size_t password_min,
                     struct outcome *o)
{
	static const struct {
		const char *problem, *key;
	} keys[] = {
		{ "too_short", "staff.password_too_short" },
		{ "too_long", "staff.password_too_long" },
		{ "is_username", "staff.password_is_username" },
		{ "too_simple", "staff.password_too_simple" },
		{ "too_common", "staff.password_too_common" },
	};
	const char *problem;
	size_t i;

	if (!password || !password2 || strcmp(password, password2) != 0) {
		outcome_set(o, VERDICT_INVALID, "staff.password_mismatch",
		            "password2");
		return 1;
	}
	problem = users_password_problem(username, password, password_min);
	if (!problem)
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].problem, problem) == 0)
			outcome_set(o, VERDICT_INVALID, keys[i].key, "password");
	if (o->verdict != VERDICT_INVALID)
		outcome_set(o, VERDICT_INVALID, "staff.password_too_simple",
		            "password");
	return 1;
}

/* The logged-in user's account; -1 with o set when it is gone. */
static int
find_account(struct db *db, const char *username, struct user *u,
             struct outcome *o)
{
	int rc = users_find(db, username, u);

	if (rc == 0)
		return 0;
	outcome_set(o, rc == 1 ? VERDICT_NOT_FOUND : VERDICT_FAILED, NULL, NULL);
	return -1;
}

struct outcome
login_setup(struct db *db, const char *username, const struct secret *sk,
            const char *password, const char *password2, size_t password_min,
            const struct secret *totp, const char *code, time_t now)
{
	struct outcome o = { 0 };
	uint64_t step;
	struct user u;

	if (new_password_problem(username, password, password2, password_min,
	                         &o))
		return o;
	if (!totp || totp_verify(totp, code ? code : "", now, 0, &step) < 0) {
		outcome_set(&o, VERDICT_INVALID, "staff.code_wrong", "code");
		return o;
	}
	if (find_account(db, username, &u, &o) < 0)
		return o;
	/* Argon2id and sealing before its transaction (users.c). */
	if (users_complete_setup(db, &u, sk, password, users_pwhash(), totp,
	                         step) < 0)
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
	else
		outcome_set(&o, VERDICT_DONE, NULL, NULL);
	user_release(&u);
	return o;
}

struct outcome
login_change_password(struct db *db, const char *username,
                      const struct secret *sk, const char *current,
                      const char *password, const char *password2,
                      size_t password_min, const struct login_limit *limit)
{
	struct outcome o = { 0 };
	struct secret *check = NULL;
	struct user u;
	int rc = -1;

	if (new_password_problem(username, password, password2, password_min,
	                         &o))
		return o;
	/* Counted before the hash, as a login is. */
	if (limit_begin(limit, username, &o) < 0)
		return o;
	if (find_account(db, username, &u, &o) < 0) {
		limit_end(limit, LOGIN_UNTRIED);
		return o;
	}
	/* The current password proves it is still the same person. */
	if (current)
		rc = users_unlock(&u, current, &check);
	if (rc == USERS_BUSY) {
		user_release(&u);
		return busy(limit);
	}
	if (rc < 0) {
		limit_end(limit, LOGIN_FAILED);
		user_release(&u);
		outcome_set(&o, VERDICT_REFUSED, "staff.current_wrong", "current");
		return o;
	}
	limit_end(limit, LOGIN_IN);
	secret_free(check);
	if (users_change_password(db, &u, sk, password, users_pwhash()) < 0)
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
	else
		outcome_set(&o, VERDICT_DONE, "staff.password_changed", NULL);
	user_release(&u);
	return o;
}

struct secret *
login_totp_new(void)
{
	return totp_secret_new();
}

void
login_totp_text(const struct secret *totp, char out[LOGIN_TOTP_TEXT_MAX])
{
	char text[TOTP_SECRET_TEXT_LEN + 1];
	size_t i, n = 0;

	totp_secret_text(totp, text);
	/* Groups of four, as the page shows them to be typed. */
	for (i = 0; text[i] && n + 2 < LOGIN_TOTP_TEXT_MAX; i++) {
		if (i && i % 4 == 0)
			out[n++] = ' ';
		out[n++] = text[i];
	}
	out[n] = '\0';
	crypto_wipe(text, sizeof(text));
}

char *
login_totp_uri(const struct secret *totp, const char *issuer,
               const char *username)
{
	return totp_uri(totp, issuer, username);
}

void
login_logout(struct db *db, const char *username)
{
	audit_append(db, username, "logout", "");
}
