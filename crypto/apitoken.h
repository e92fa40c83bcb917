/*
 * apitoken.h - API tokens: a bearer secret that unlocks a user's key.
 *
 * A staff member's API client cannot type a password and a TOTP code, yet
 * needs what a login gives: the user's private key, to open the keyrings.
 * An API token is that key's second lock. Its text is
 *
 *   mpt_<public id: 16 hex>_<secret: 256 random bits, base64url>   (64 chars)
 *
 * shown once when made. The server keeps:
 *  - the public id, to find the row (not secret);
 *  - a verifier: BLAKE2b-256 over the secret and the id, keyed with a
 *    subkey of the installation secret, compared in constant time, so a
 *    copy of the database alone cannot even test a guessed token;
 *  - the user's private key wrapped (XChaCha20-Poly1305) under a key
 *    derived from the secret with crypto_kdf (BLAKE2b), the public id and
 *    the user's public key bound in as associated data.
 *
 * A fast KDF is right here and Argon2id is not: Argon2id makes a guess at
 * a low-entropy password expensive, but the secret is 256 uniformly random
 * bits, which no amount of guessing reaches. Argon2id would only make each
 * API request cost ~70 ms and 64 MiB, a gift to whoever floods the API.
 *
 * Ownership: apitoken_unwrap gives the caller a struct secret (secret_free).
 * Token texts given to the caller are secrets: wipe them after use.
 */
#ifndef MELDPUNT_APITOKEN_H
#define MELDPUNT_APITOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define APITOKEN_PREFIX "mpt_"
#define APITOKEN_ID_LEN 16		/* hex characters of 8 random bytes */
#define APITOKEN_SECRET_TEXT_LEN 43	/* base64url of 32 bytes */
#define APITOKEN_TEXT_LEN (4 + APITOKEN_ID_LEN + 1 + APITOKEN_SECRET_TEXT_LEN)
#define APITOKEN_VERIFIER_LEN CRYPTO_HASH_LEN
/* nonce(24) | ciphertext of the private key with its tag (32 + 16) */
#define APITOKEN_WRAPPED_LEN (24 + CRYPTO_SECRETKEY_LEN + 16)

/*
 * Make a token for the key pair (pk, sk): its text (shown once), public
 * id, verifier and wrapped private key. inst_secret is the installation
 * secret (32 bytes). 0 or -1 (outputs wiped).
 */
int apitoken_new(const struct secret *inst_secret, const struct secret *sk,
                 const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                 char text[APITOKEN_TEXT_LEN + 1],
                 char id[APITOKEN_ID_LEN + 1],
                 uint8_t verifier[APITOKEN_VERIFIER_LEN],
                 uint8_t wrapped[APITOKEN_WRAPPED_LEN]);

/*
 * The public id of a token text with exactly the shape apitoken_new makes
 * (prefix, lengths, alphabets). 0 and id, or -1 for anything else.
 */
int apitoken_parse(const char *text, char id[APITOKEN_ID_LEN + 1]);

/* 1 when text's secret matches the stored verifier (constant time), else 0. */
int apitoken_verify(const struct secret *inst_secret, const char *text,
                    const uint8_t verifier[APITOKEN_VERIFIER_LEN]);

/*
 * Unwrap the private key with the token text; checks that it belongs to
 * pk. 0 and *sk_out, or -1 (wrong token, damaged or swapped blob, or a key
 * that no longer fits pk, as after a password reset).
 */
int apitoken_unwrap(const char *text, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                    const uint8_t wrapped[APITOKEN_WRAPPED_LEN],
                    struct secret **sk_out);

#endif
