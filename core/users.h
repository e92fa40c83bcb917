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

#include <stdint.h>

#include "crypto.h"
#include "secret.h"
#include "userkey.h"

struct db;

enum role {
	ROLE_ADMIN = 1 << 0,
	ROLE_COORDINATOR = 1 << 1,
	ROLE_VPT = 1 << 2,
	ROLE_HR = 1 << 3,
	ROLE_OVERLEG = 1 << 4,
	ROLE_AUDITOR = 1 << 5,
};

#define USERNAME_MAX 64
#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

struct user {
	int64_t id;
	char *username;
	char *display_name;
	unsigned roles;			/* enum role bits */
	uint8_t public_key[CRYPTO_PUBLICKEY_LEN];
	uint8_t wrapped_key[USERKEY_WRAPPED_LEN];
	int must_change_password;
	int disabled;
};

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

/* Load by username; 0, 1 when there is no such user, -1 on error. */
int users_find(struct db *db, const char *username, struct user *out);
void user_release(struct user *u);

/*
 * Unwrap the user's private key with password. 0 and *sk_out, or -1 when
 * the password is wrong (or the account is disabled).
 */
int users_unlock(const struct user *u, const char *password,
                 struct secret **sk_out);

#endif
