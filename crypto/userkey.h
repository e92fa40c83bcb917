/*
 * userkey.h - a staff member's key pair, locked with their password.
 *
 * Each user has an X25519 key pair. The private key is stored only wrapped:
 * encrypted (XChaCha20-Poly1305) under a key derived from the password with
 * Argon2id. Unwrapping with the right password is also how a login is
 * checked, so no separate password hash exists. A password change re-wraps
 * the same private key; an admin reset without the old password cannot
 * recover it (a new key pair is made, and keyring access is granted again).
 *
 * The wrapped form is a fixed-size byte string, safe to store:
 *   version(1) | opslimit(4, LE) | memlimit(8, LE) | salt(16) | nonce(24) |
 *   ciphertext of the private key with its tag (48)
 * The public key and the header are bound in as associated data, so a
 * wrapped key cannot be paired with another public key.
 *
 * Version 2 (USERKEY_VERSION, every new wrap) also depends on the
 * installation secret: the wrapping key is a keyed BLAKE2b of the
 * Argon2id output under a key derived from installation.key
 * (installation_userkey_key), so a copy of the database without that
 * file gives nothing to test guessed passwords against. Version 1 (the
 * password alone) still unwraps, for accounts that have not logged in
 * since; userkey_create and userkey_rewrap without a secret make it only
 * for tests of that path.
 */
#ifndef MELDPUNT_USERKEY_H
#define MELDPUNT_USERKEY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define USERKEY_WRAPPED_LEN (1 + 4 + 8 + 16 + 24 + CRYPTO_SECRETKEY_LEN + 16)
/* The version every new wrap gets; 1 is the password alone. */
#define USERKEY_VERSION 2

/* Argon2id cost. */
struct pwhash_params {
	uint64_t opslimit;
	size_t memlimit;	/* bytes */
};

/* About 70 ms and 64 MiB on the reference machine: for real use. */
extern const struct pwhash_params PWHASH_DEFAULT;
/* libsodium's minimum: only for tests, where speed matters more. */
extern const struct pwhash_params PWHASH_FAST;

/*
 * Make a new key pair and wrap its private key with password.
 * On success pk and wrapped are filled; when sk_out is not NULL it receives
 * the private key (caller frees). Returns 0 or -1.
 */
int userkey_create(const char *password, size_t pwlen,
                   const struct pwhash_params *params,
                   uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                   uint8_t wrapped[USERKEY_WRAPPED_LEN],
                   struct secret **sk_out);

/*
 * Unwrap with password. Returns 0 and the private key in *sk_out (caller
 * frees), or -1 for a wrong password, a damaged blob, or a blob that does not
 * belong to pk. Also checks that the private key matches pk.
 */
int userkey_unwrap(const char *password, size_t pwlen,
                   const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                   const uint8_t wrapped[USERKEY_WRAPPED_LEN],
                   struct secret **sk_out);

/* Wrap an existing private key under a new password (password change). */
int userkey_rewrap(const struct secret *sk,
                   const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                   const char *password, size_t pwlen,
                   const struct pwhash_params *params,
                   uint8_t wrapped[USERKEY_WRAPPED_LEN]);

/*
 * The same, version 2: bound to the installation secret install as well
 * as the password. userkey_unwrap_in opens both versions (install is
 * needed for version 2 only). Return values as above.
 */
int userkey_create_in(const char *password, size_t pwlen,
                      const struct pwhash_params *params,
                      const struct secret *install,
                      uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                      uint8_t wrapped[USERKEY_WRAPPED_LEN],
                      struct secret **sk_out);
int userkey_rewrap_in(const struct secret *sk,
                      const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                      const char *password, size_t pwlen,
                      const struct pwhash_params *params,
                      const struct secret *install,
                      uint8_t wrapped[USERKEY_WRAPPED_LEN]);
int userkey_unwrap_in(const char *password, size_t pwlen,
                      const struct secret *install,
                      const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                      const uint8_t wrapped[USERKEY_WRAPPED_LEN],
                      struct secret **sk_out);

/* The version of a wrapped key (1 or 2; another byte: damaged). */
unsigned userkey_version(const uint8_t wrapped[USERKEY_WRAPPED_LEN]);

#endif
