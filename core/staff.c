/*
 * staff.c - an admin's actions on staff accounts (see staff.h).
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "form.h"
#include "keyring.h"
#include "keyrings.h"
#include "log.h"
#include "smtp.h"
#include "staff.h"
#include "users.h"

/* The most keyrings an installation has, as the admin's pages list them. */
#define STAFF_KEYRINGS_MAX 32

/* Not an admin: refused, and audited as such. */
static int
not_admin(struct db *db, const struct actor *a, const char *action,
          const char *object, struct outcome *o)
{
	if (a->roles & ROLE_ADMIN)
		return 0;
	audit_append_result(db, a->name, action, object ? object : "",
	                    AUDIT_REFUSED);
	outcome_set(o, VERDICT_REFUSED, NULL, NULL);
	return 1;
}

/* The account an action is about; 1 with o set when there is none. */
static int
find_account(struct db *db, const char *username, struct user *u,
             struct outcome *o)
{
	int rc;

	memset(u, 0, sizeof(*u));
	if (!username || !users_valid_name(username))
		rc = 1;
	else
		rc = users_find(db, username, u);
	if (rc == 0)
		return 0;
	if (rc == 1)
		outcome_set(o, VERDICT_NOT_FOUND, "admin.not_found", "user");
	else
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
	return 1;
}

/* 1 when name is a keyring of this installation. */
static int
keyring_known(struct db *db, const char *name)
{
	char all[STAFF_KEYRINGS_MAX][KEYRING_NAME_MAX + 1];
	size_t n, i;

	if (!name || keyrings_names(db, all, STAFF_KEYRINGS_MAX, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(all[i], name) == 0)
			return 1;
	return 0;
}

static int
display_name_valid(const char *s)
{
	size_t len = strlen(s);

	return len <= STAFF_DISPLAY_NAME_MAX && utf8_valid_text(s, len) &&
	       !strpbrk(s, "\r\n\t");
}

/* The caller's limit on actions that hash a password; 1 to go on. */
static int
limit_hit(const struct staff_limit *limit, struct outcome *o)
{
	if (!limit || !limit->hit || limit->hit(limit->arg))
		return 1;
	outcome_set(o, VERDICT_LIMITED, "common.rate_limited", NULL);
	return 0;
}

/* The outcome of a change that returned rc (0 or -1) about account id. */
static struct outcome
settle(int rc, const char *key, int64_t id)
{
	struct outcome o = { 0 };

	if (rc < 0)
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
	else
		outcome_set(&o, VERDICT_DONE, key, NULL);
	o.id = id;
	return o;
}

struct outcome
staff_create(struct db *db, const struct actor *a, const char *username,
             const char *display_name, unsigned roles,
             const struct staff_limit *limit,
             char password[STAFF_PASSWORD_LEN + 1])
{
	struct outcome o = { 0 };
	struct user u;
	int64_t id = 0;
	int rc;

	password[0] = '\0';
	if (!username)
		username = "";
	if (!display_name)
		display_name = "";
	if (not_admin(db, a, "user-create", username, &o))
		return o;
	if (!users_valid_name(username)) {
		outcome_set(&o, VERDICT_INVALID, "admin.name_bad", "username");
		return o;
	}
	if (!display_name_valid(display_name)) {
		outcome_set(&o, VERDICT_INVALID, "admin.display_bad",
		            "display_name");
		return o;
	}
	if (!roles) {
		outcome_set(&o, VERDICT_INVALID, "admin.roles_missing", "role");
		return o;
	}
	rc = users_find(db, username, &u);
	if (rc < 0) {
		outcome_set(&o, VERDICT_FAILED, NULL, NULL);
		return o;
	}
	if (rc == 0) {
		user_release(&u);
		outcome_set(&o, VERDICT_INVALID, "admin.name_taken", "username");
		return o;
	}
	/* Creating a user hashes a password (Argon2id): limited like a flood. */
	if (!limit_hit(limit, &o))
		return o;
	token_password(password);
	/* Argon2id before its transaction (users.c). */
	rc = users_create_as(db, a->name, username, display_name, roles,
	                     password, users_pwhash(), &id);
	if (rc < 0)
		crypto_wipe(password, STAFF_PASSWORD_LEN + 1);
	return settle(rc, "admin.created_lead", id);
}

struct outcome
staff_disable(struct db *db, const struct actor *a, const char *username,
              int disabled)
{
	struct outcome o = { 0 };
	struct user u;

	if (not_admin(db, a, disabled ? "user-disable" : "user-enable",
	              username, &o) ||
	    find_account(db, username, &u, &o))
		return o;
	if (u.id == a->user_id)
		outcome_set(&o, VERDICT_REFUSED, "admin.not_self", NULL);
	else
		o = settle(users_set_disabled(db, a->name, u.id, disabled),
		           disabled ? "admin.disabled_done"
		                    : "admin.enabled_done", u.id);
	o.id = u.id;
	user_release(&u);
	return o;
}

struct outcome
staff_reset(struct db *db, const struct actor *a, const char *username,
            const struct staff_limit *limit,
            char password[STAFF_PASSWORD_LEN + 1])
{
	struct outcome o = { 0 };
	struct user u;
	int64_t id;

	password[0] = '\0';
	if (not_admin(db, a, "password-reset", username, &o) ||
	    find_account(db, username, &u, &o))
		return o;
	id = u.id;
	user_release(&u);
	if (id == a->user_id) {
		outcome_set(&o, VERDICT_REFUSED, "admin.not_self", NULL);
		return o;
	}
	/* A reset hashes a password (Argon2id): limited like a flood. */
	if (!limit_hit(limit, &o))
		return o;
	/* Argon2id before its transaction (users.c). */
	return settle(users_reset(db, a->name, id, users_pwhash(), password),
	              "admin.reset_done_lead", id);
}

/* The roles as "a b" into out (size bytes). */
static void
roles_words(unsigned roles, char *out, size_t size)
{
	size_t o = 0;
	unsigned bit;

	out[0] = '\0';
	for (bit = 1; bit && bit <= ROLES_ALL; bit <<= 1) {
		const char *name = (roles & bit) ? role_name((enum role)bit) : NULL;
		int n;

		if (!name)
			continue;
		n = snprintf(out + o, size - o, "%s%s", o ? " " : "", name);
		if (n < 0 || (size_t)n >= size - o)
			return;
		o += (size_t)n;
	}
}

/*
 * The grant and what goes with it, in one transaction: the recovery
 * key's use (recovered), the confirmation of a keyring the account's
 * roles do not handle (unusual), the grant.
 */
static int
grant_tx(struct db *db, const struct actor *a, const char *keyring,
         const struct secret *ring, const struct user *u, int recovered,
         int unusual)
{
	char object[160], words[96];
	int ok;

	if (db_begin(db) < 0)
		return -1;
	roles_words(u->roles, words, sizeof(words));
	snprintf(object, sizeof(object), "%s user=%lld roles=%s", keyring,
	         (long long)u->id, words);
	ok = (!recovered ||
	      audit_append(db, a->name, "recovery-key", keyring) == 0) &&
	     (!unusual ||
	      audit_append(db, a->name, "keyring-grant-confirmed", object) == 0) &&
	     keyrings_grant_as(db, a->name, keyring, ring, u->id,
	                       u->public_key) == 0;
	if (!ok) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

struct outcome
staff_grant(struct db *db, const struct actor *a, const char *username,
            const char *keyring, const char *recovery, int confirmed)
{
	struct outcome o = { 0 };
	const struct actor_ring *own;
	struct secret *rsk = NULL, *ring = NULL;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct user u;
	int rc, unusual;

	if (not_admin(db, a, "keyring-grant", keyring, &o) ||
	    find_account(db, username, &u, &o))
		return o;
	o.id = u.id;
	if (!keyring_known(db, keyring)) {
		outcome_set(&o, VERDICT_INVALID, "common.bad_request", "keyring");
		goto out;
	}
	/* Asked before the recovery key is used: nothing done yet. */
	unusual = !keyrings_role_handles(u.roles, keyring);
	if (unusual && !confirmed) {
		outcome_set(&o, VERDICT_STALE, STAFF_GRANT_CONFIRM, "confirm");
		goto out;
	}
	own = actor_ring(a, keyring);
	if (recovery && *recovery) {
		/* The recovery key typed in wins: the admin chose to use it. */
		if (recovery_parse(recovery, &rsk, rpk) < 0 ||
		    keyrings_recover(db, keyring, rpk, rsk, &ring) < 0) {
			audit_append_result(db, a->name, "recovery-key", keyring,
			                    AUDIT_REFUSED);
			outcome_set(&o, VERDICT_REFUSED, "admin.recovery_bad",
			            "recovery");
			goto out;
		}
		rc = grant_tx(db, a, keyring, ring, &u, 1, unusual);
	} else if (!own) {
		outcome_set(&o, VERDICT_REFUSED, "admin.need_key", "recovery");
		goto out;
	} else {
		rc = grant_tx(db, a, keyring, own->sk, &u, 0, unusual);
	}
	o = settle(rc, "admin.granted", u.id);
out:
	secret_free(ring);
	secret_free(rsk);
	user_release(&u);
	return o;
}

/* Add name to the list in taken ("a, b"). */
static void
taken_add(char taken[STAFF_TAKEN_MAX], const char *name)
{
	size_t len = strlen(taken);

	snprintf(taken + len, STAFF_TAKEN_MAX - len, "%s%.64s", len ? ", " : "",
	         name);
}

/* 1 when name is among the n names. */
static int
among(char (*names)[KEYRING_NAME_MAX + 1], size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* The roles, the keyrings they no longer handle, the audit row: one transaction. */
static int
roles_tx(struct db *db, const struct actor *a, const struct user *u,
         unsigned roles, char taken[STAFF_TAKEN_MAX])
{
	char names[2 * STAFF_KEYRINGS_MAX][KEYRING_NAME_MAX + 1];
	char object[64 + 2 * 96 + 8], before[96], after[96];
	size_t nheld, npending, i;

	if (keyrings_of_user(db, u->id, names, STAFF_KEYRINGS_MAX, &nheld) < 0 ||
	    keyrings_pending_of_user(db, u->id, names + nheld,
	                             STAFF_KEYRINGS_MAX, &npending) < 0)
		return -1;
	if (db_begin(db) < 0)
		return -1;
	if (users_set_roles(db, u->id, roles) < 0)
		goto fail;
	for (i = 0; i < nheld + npending; i++) {
		const char *name = names[i];

		if (among(names, i, name) ||
		    !keyrings_role_handles(u->roles, name) ||
		    keyrings_role_handles(roles, name))
			continue;
		if (keyrings_revoke_as(db, a->name, name, u->id) < 0)
			goto fail;
		taken_add(taken, name);
	}
	roles_words(u->roles, before, sizeof(before));
	roles_words(roles, after, sizeof(after));
	snprintf(object, sizeof(object), "%.64s: %s -> %s", u->username, before,
	         after);
	if (audit_append(db, a->name, "user-roles", object) < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	taken[0] = '\0';
	return -1;
}

struct outcome
staff_roles(struct db *db, const struct actor *a, const char *username,
            unsigned roles, char taken[STAFF_TAKEN_MAX])
{
	struct outcome o = { 0 };
	struct user u;

	taken[0] = '\0';
	if (not_admin(db, a, "user-roles", username, &o) ||
	    find_account(db, username, &u, &o))
		return o;
	o.id = u.id;
	if (u.id == a->user_id)
		outcome_set(&o, VERDICT_REFUSED, "admin.not_self", NULL);
	else if (!roles || (roles & ~ROLES_ALL))
		outcome_set(&o, VERDICT_INVALID, "admin.roles_missing", "role");
	else
		o = settle(roles_tx(db, a, &u, roles, taken), "admin.roles_done",
		           u.id);
	user_release(&u);
	return o;
}

struct outcome
staff_revoke(struct db *db, const struct actor *a, const char *username,
             const char *keyring)
{
	struct outcome o = { 0 };
	struct user u;

	if (not_admin(db, a, "keyring-revoke", keyring, &o) ||
	    find_account(db, username, &u, &o))
		return o;
	o.id = u.id;
	if (!keyring_known(db, keyring))
		outcome_set(&o, VERDICT_INVALID, "common.bad_request", "keyring");
	else
		o = settle(keyrings_revoke_as(db, a->name, keyring, u.id),
		           "admin.revoked", u.id);
	user_release(&u);
	return o;
}

struct outcome
staff_set_email(struct db *db, const struct actor *a, const char *username,
                const char *email)
{
	struct outcome o = { 0 };
	struct user u;

	if (find_account(db, username, &u, &o))
		return o;
	/* Anyone their own; an admin everyone's. */
	if (u.id != a->user_id && not_admin(db, a, "user-email", u.username,
	                                    &o))
		goto out;
	if (!email)
		email = "";
	if (email[0] && (strlen(email) > USERS_EMAIL_MAX ||
	                 !smtp_address_valid(email))) {
		outcome_set(&o, VERDICT_INVALID, "staff.email_bad", "email");
		goto out;
	}
	o = settle(users_set_email(db, a->name, u.id, email),
	           email[0] ? "staff.email_saved" : "staff.email_removed", u.id);
out:
	user_release(&u);
	return o;
}
