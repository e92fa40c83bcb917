/*
 * users.h - staff accounts and their key pairs.
 *
 * A user is a username, roles, and an X25519 key pair whose private key is
 * wrapped with the password (crypto/userkey.h). Checking a password is
 * unwrapping that key: there is no separate password hash.
 *
 * Ownership: struct user is a value filled by users_find; user_release
 * frees its strings. The private key from users_unlock belongs to the
 * caller (secret_free).
 */
#ifndef MELDPUNT_USERS_H
#define MELDPUNT_USERS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "crypto.h"
#include "secret.h"
#include "token.h"
#include "userkey.h"

struct db;
struct hashgate;

enum role {
	ROLE_ADMIN = 1 << 0,
	ROLE_COORDINATOR = 1 << 1,
	ROLE_VPT = 1 << 2,
	ROLE_HR = 1 << 3,
	ROLE_OVERLEG = 1 << 4,
	ROLE_AUDITOR = 1 << 5,
	/* The integrity coordinator: handles integrity reports (norm 2.4). */
	ROLE_INTEGRITY = 1 << 6,
	/* The confidential adviser (vertrouwenspersoon): no keyring; files
	 * a report for someone as a reporter would. */
	ROLE_CONFIDANT = 1 << 7,
};
/* Every role bit. */
#define ROLES_ALL ((unsigned)ROLE_ADMIN | ROLE_COORDINATOR | ROLE_VPT | \
	ROLE_HR | ROLE_OVERLEG | ROLE_AUDITOR | ROLE_INTEGRITY | ROLE_CONFIDANT)

#define USERNAME_MAX 64
#define PASSWORD_MIN 12		/* what users_create asks of any password */
#define PASSWORD_MIN_FLOOR 8	/* no configuration goes below this */
#define PASSWORD_MAX 1024
/* An account's e-mail address, at most (RFC 5321, smtp.h). */
#define USERS_EMAIL_MAX 254

struct user {
	int64_t id;
	char *username;
	char *display_name;
	unsigned roles;			/* enum role bits */
	uint8_t public_key[CRYPTO_PUBLICKEY_LEN];
	uint8_t wrapped_key[USERKEY_WRAPPED_LEN];
	int must_change_password;
	int disabled;
	uint8_t *totp_sealed;		/* NULL until enrolled */
	size_t totp_sealed_len;
	uint64_t totp_last_step;
	/* The wrap's version (userkey.h) and since when it has it. */
	unsigned key_version;
	char key_since[CLOCK_TEXT_LEN + 1];
	/* For the deadline reminders (reminder.h); "" when none. */
	char email[USERS_EMAIL_MAX + 1];
	/* The installation secret version 2 is bound to (borrowed from the
	 * database connection, db_audit_key), or NULL. */
	const struct secret *install;
};

/*
 * The Argon2id cost for new passwords: PWHASH_DEFAULT, or PWHASH_FAST when
 * the environment says MELDPUNT_PWHASH=fast (test suites only: it makes a
 * password far cheaper to guess; the server logs a warning).
 */
const struct pwhash_params *users_pwhash(void);

/*
 * The gate every Argon2id of this process passes (hashgate.h): at most
 * its number of hashes at once. NULL (the default, the command line):
 * none. The server sets it at start and clears it at stop.
 */
void users_set_hashgate(struct hashgate *g);
/*
 * A turn at the gate for a hash done outside this file (the login's
 * timing dummy): 0, or USERS_BUSY when none came free in time; then
 * users_hash_leave.
 */
#define USERS_BUSY (-2)
int users_hash_enter(void);
void users_hash_leave(void);

/* The role's name as stored ("admin"), or NULL for an unknown bit. */
const char *role_name(enum role r);
/* The bit for a name, or 0 when unknown. */
unsigned role_parse(const char *name);

/* 1 when username is 1..USERNAME_MAX of [a-z0-9._-], else 0. */
int users_valid_name(const char *username);

/*
 * Create a user with roles and a password (for a new account: a one-time
 * password, must_change_password set). *id_out receives the id; when sk_out
 * is not NULL it receives the private key. Inside or outside a
 * transaction. 0 or -1 (a taken username is an error).
 */
int users_create(struct db *db, const char *username, const char *display_name,
                 unsigned roles, const char *password,
                 const struct pwhash_params *params, int64_t *id_out,
                 uint8_t pk_out[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out);

/* users_create, audited as done by actor (an admin's username). */
int users_create_as(struct db *db, const char *actor, const char *username,
                    const char *display_name, unsigned roles,
                    const char *password, const struct pwhash_params *params,
                    int64_t *id_out);

/* Load by username; 0, 1 when there is no such user, -1 on error. */
int users_find(struct db *db, const char *username, struct user *out);
void user_release(struct user *u);

/*
 * Unwrap the user's private key with password. 0 and *sk_out, -1 when
 * the password is wrong (or the account is disabled), USERS_BUSY when
 * the hash got no turn at the gate (nothing was tried).
 */
int users_unlock(const struct user *u, const char *password,
                 struct secret **sk_out);

/*
 * Whether u's key is still wrapped the old way (version 1: the password
 * alone) after days days on it at now: such an account may no longer log
 * in, and an admin resets it (days 0: never).
 */
int users_key_expired(const struct user *u, time_t now, unsigned days);

/*
 * Re-wrap u's private key sk with password as the current version
 * (Argon2id before, through the gate; 1 when it got no turn and nothing
 * was done), stored inside the caller's transaction when own is 0. 0, 1
 * or -1.
 */
int users_rewrap_old(struct db *db, struct user *u, const struct secret *sk,
                     const char *password);

/*
 * Second step of a login: open the sealed TOTP secret with the user's key
 * pair and check code against it at time now, refusing a step already
 * used. 0 and *step (record it with users_totp_record), or -1 for a
 * wrong, replayed or missing code. Writes nothing.
 */
int users_totp_verify(const struct user *u, const struct secret *sk,
                      const char *code, time_t now, uint64_t *step);

/*
 * Record step as the user's last used one, inside the login's
 * transaction. 0; 1 when a step as late was recorded meanwhile (the same
 * code used twice: refuse); -1 on error.
 */
int users_totp_record(struct db *db, struct user *u, uint64_t step);

/*
 * First login of a new account: set the user's own password (re-wrapping
 * the same private key) and enrol the TOTP secret, sealed to the user's
 * public key, in one transaction. The caller has checked a code against
 * totp. 0 or -1.
 */
int users_complete_setup(struct db *db, struct user *u, const struct secret *sk,
                         const char *password, const struct pwhash_params *params,
                         const struct secret *totp, uint64_t step_used);

/*
 * Change the password of a set-up account (re-wrap). The caller has the
 * private key (from a login). 0 or -1.
 */
int users_change_password(struct db *db, const struct user *u,
                          const struct secret *sk, const char *password,
                          const struct pwhash_params *params);

/*
 * Check a new password against the policy: min (the password_min limit,
 * never below PASSWORD_MIN_FLOOR) to PASSWORD_MAX characters, not the user
 * name, not all one character, not one of the most common passwords
 * (password.h). NULL when it is fine, else the code of the problem
 * ("too_short", "too_long", "is_username", "too_simple", "too_common").
 */
const char *users_password_problem(const char *username, const char *password,
                                   size_t min);

/* One row of the admin's list of users. */
struct user_row {
	int64_t id;
	char *username;
	char *display_name;
	unsigned roles;			/* enum role bits */
	int disabled;
	int set_up;			/* own password and second factor chosen */
	char *keyrings;			/* held, "a, b" ("" for none) */
	char *pending;			/* lost at a reset, not granted again */
	int old_key;			/* still wrapped the old way */
	char *key_since;		/* since when (stored time text) */
};

/*
 * Every user, by username. *out is a malloc'd array of *n rows; free with
 * users_list_free. 0 or -1.
 */
int users_list(struct db *db, struct user_row **out, size_t *n);
void users_list_free(struct user_row *rows, size_t n);

/*
 * Disable (1) or enable (0) the account user_id; a disabled account cannot
 * log in (users_unlock). Audited as done by actor. 0, or -1 (also for an
 * unknown user).
 */
int users_set_disabled(struct db *db, const char *actor, int64_t user_id,
                       int disabled);

/*
 * Replace the roles of user_id with roles (not 0), inside the caller's
 * transaction or one of its own; no audit row (the caller's action
 * writes it). 0, or -1 (also for an unknown user).
 */
int users_set_roles(struct db *db, int64_t user_id, unsigned roles);

/*
 * Set the e-mail address of user_id ("" removes it), audited as
 * "user-email" on "NAME: set" or "NAME: removed" by actor (never the
 * address). The caller checked the address (staff_set_email). 0 or -1.
 */
int users_set_email(struct db *db, const char *actor, int64_t user_id,
                    const char *email);

/*
 * An admin's password reset of user_id, in one transaction, audited as
 * done by actor: a new key pair wrapped with a new one-time password
 * (written into password), must_change_password set, the second factor
 * cleared (enrolled again at the first login), and every keyring copy
 * sealed to the old key deleted: it is useless without the old private
 * key, which only the old password opens. The keyrings the user held are
 * recorded as pending (keyrings_pending_of_user) until granted again or
 * revoked. 0, or -1 with nothing changed.
 */
int users_reset(struct db *db, const char *actor, int64_t user_id,
                const struct pwhash_params *params,
                char password[TOKEN_PASSWORD_LEN + 1]);

#endif
