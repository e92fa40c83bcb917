/*
 * login.h - a member of staff's own account actions: logging in, the
 * first login's set-up (own password, second factor) and changing the
 * password.
 *
 * A login is: the password unwraps the user's private key (Argon2id), the
 * key opens the sealed TOTP secret, the code is checked, and the keyrings
 * the user belongs to are unwrapped; then one transaction records the
 * code's step (so it cannot be used again) and the audit row. Every
 * refusal looks the same to the client, whatever the reason, and takes
 * about as long: an unknown or disabled account is checked against a
 * dummy key of the same cost. Attempts are counted per account name and
 * per client (struct login_limit, kept by the caller) before any hashing
 * is done, and every attempt that does not let the user in stays
 * counted, also one that a storage failure ended. Every hash passes the
 * process's gate (users_set_hashgate): when no turn comes free in time
 * the login is refused as busy and nothing is tried.
 *
 * A login with a key wrapped the old way (version 1, the password alone)
 * wraps it again as the current version, bound to installation.key too;
 * after key_upgrade_days on the old wrap it is refused instead (audited
 * as "old key wrap"), and an admin resets the account.
 *
 * A new account (made by an admin, or the first admin of `meldpunt init`)
 * logs in once with its one-time password and no code (struct login
 * setup = 1); that session can only reach the set-up, which sets the
 * user's own password and enrols the second factor (login_setup).
 *
 * Ownership: struct login holds the unwrapped keys in guarded memory; the
 * caller moves them into its session (setting the pointers to NULL) and
 * calls login_release, which wipes what is left.
 */
#ifndef MELDPUNT_LOGIN_H
#define MELDPUNT_LOGIN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "action.h"
#include "crypto.h"
#include "keyrings.h"
#include "secret.h"
#include "users.h"

struct db;

/* The most keyrings one login unlocks. */
#define LOGIN_MAX_RINGS 8

struct login_ring {
	char name[KEYRING_NAME_MAX + 1];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

/* What a login unlocks. */
struct login {
	int64_t user_id;
	char username[USERNAME_MAX + 1];
	unsigned roles;			/* enum role bits */
	int setup;			/* first login: only the set-up */
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
	struct login_ring rings[LOGIN_MAX_RINGS];
	size_t nrings;
};

/* Wipe and free the keys still in l. */
void login_release(struct login *l);

/*
 * The failed-login limits, kept by the caller (the server counts per
 * client and per account name in memory). begin counts the attempt as a
 * failure before anything is hashed, so that parallel attempts cannot
 * all pass a check that only later ones would fail: 1 to go on, 0 when
 * the limits refuse it (*retry: seconds to wait). end says how it went:
 * LOGIN_IN (the user got in: the count is given back), LOGIN_UNTRIED
 * (no hash got a turn, hashgate.h: given back too) or LOGIN_FAILED (it
 * stays counted).
 */
enum login_result { LOGIN_FAILED, LOGIN_IN, LOGIN_UNTRIED };
struct login_limit {
	int (*begin)(void *arg, const char *username, unsigned *retry);
	void (*end)(void *arg, enum login_result result);
	void *arg;
	/*
	 * Days an account may stay on a key wrap of the old version (the
	 * password alone, userkey.h) before it may no longer log in and an
	 * admin must reset it ([limits] key_upgrade_days; 0: no end).
	 */
	unsigned key_upgrade_days;
};

/*
 * Log in with username, password and code (the code may be NULL or ""
 * for a first login) at time now. VERDICT_DONE and *out filled;
 * VERDICT_LIMITED (key "staff.locked") before anything is hashed, or
 * (key LOGIN_BUSY_KEY) when the password hash got no turn at the gate
 * (users_set_hashgate) and nothing was tried;
 * VERDICT_INVALID for a name or password over its limit and
 * VERDICT_REFUSED for any other refusal (key "staff.login_failed", the
 * same for every reason; the audit row says which); VERDICT_FAILED when
 * storage failed. The attempt is counted (limit->begin) before anything
 * is checked or hashed; only DONE and a busy refusal give it back.
 */
struct outcome login_password(struct db *db, const char *username,
                              const char *password, const char *code,
                              time_t now, const struct login_limit *limit,
                              struct login *out);

/* A logout, audited (the caller ends the session). */
void login_logout(struct db *db, const char *username);

/*
 * The first login's set-up of user (logged in with the one-time password,
 * holding the private key sk): password twice, checked against the
 * policy (password_min), and a code of the TOTP secret being enrolled.
 * VERDICT_INVALID with key "staff.password_mismatch", a policy key
 * ("staff.password_too_short", ... with field "password"; the text takes
 * {min}) or "staff.code_wrong"; VERDICT_NOT_FOUND for an account gone;
 * VERDICT_FAILED; VERDICT_DONE: password re-wrapped, the secret sealed
 * and the step used, audited, in one transaction.
 */
struct outcome login_setup(struct db *db, const char *username,
                           const struct secret *sk, const char *password,
                           const char *password2, size_t password_min,
                           const struct secret *totp, const char *code,
                           time_t now);

/*
 * Change the password of user (logged in, holding sk): the current
 * password proves it is still the same person. VERDICT_INVALID for the
 * new ones (as login_setup), VERDICT_LIMITED (after the policy, before
 * hashing; key LOGIN_BUSY_KEY when the gate was full), VERDICT_REFUSED "staff.current_wrong" (counted as a failed
 * login), VERDICT_FAILED, or VERDICT_DONE "staff.password_changed".
 */
struct outcome login_change_password(struct db *db, const char *username,
                                     const struct secret *sk,
                                     const char *current, const char *password,
                                     const char *password2,
                                     size_t password_min,
                                     const struct login_limit *limit);

/* The TOTP secret a set-up enrols (secret_free), or NULL. */
struct secret *login_totp_new(void);

/* The secret as an authenticator app reads it, in groups of four. */
#define LOGIN_TOTP_TEXT_MAX 48
void login_totp_text(const struct secret *totp, char out[LOGIN_TOTP_TEXT_MAX]);

/* The otpauth:// URI of the secret for a QR code (wipe and free), or NULL. */
char *login_totp_uri(const struct secret *totp, const char *issuer,
                     const char *username);

/* The message key of a refusal because the password hashes are busy. */
#define LOGIN_BUSY_KEY "staff.busy"

/* The audit row's actor for a login with a name that is no account. */
#define LOGIN_UNKNOWN_ACCOUNT "unknown account"

#endif
