/*
 * keyring.h - shared keys of a role, and the recovery key.
 *
 * A keyring (e.g. `signalen`) is an X25519 key pair. Reports are sealed to
 * its public key; its private key exists only wrapped: sealed
 * (crypto_box_seal) to the public key of each member and of the recovery key.
 * A member unwraps it with their own private key. Adding a member is wrapping
 * the private key once more; removing one is deleting their wrapped copy
 * (core/ keeps these copies; rotation is what locks out a former member who
 * kept a copy).
 *
 * The recovery key is a key pair like any other whose private key is shown
 * once, as 52 Crockford base32 characters in groups of four, to be printed
 * and kept offline.
 */
#ifndef MELDPUNT_KEYRING_H
#define MELDPUNT_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "base32.h"
#include "secret.h"

#define KEYRING_WRAPPED_LEN (CRYPTO_SECRETKEY_LEN + CRYPTO_SEAL_OVERHEAD)

/* 52 characters and 12 dashes. */
#define RECOVERY_TEXT_LEN (BASE32_CHARS(CRYPTO_SECRETKEY_LEN) + 12)

/* A new key pair: pk filled, *sk_out receives the private key. 0 or -1. */
int keyring_create(uint8_t pk[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out);

/* Seal a keyring's private key to a member's (or the recovery) public key. */
int keyring_wrap(const struct secret *keyring_sk,
                 const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
                 uint8_t wrapped[KEYRING_WRAPPED_LEN]);

/*
 * Open a wrapped keyring key with the member's key pair. Checks that the
 * result is the private key of keyring_pk. 0 and *sk_out, or -1.
 */
int keyring_unwrap(const uint8_t wrapped[KEYRING_WRAPPED_LEN],
                   const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
                   const struct secret *member_sk,
                   const uint8_t keyring_pk[CRYPTO_PUBLICKEY_LEN],
                   struct secret **sk_out);

/*
 * Open a 32-byte secret sealed with keyring_wrap (a data key shared with a
 * keyring, e.g. a signal's data key put on a meeting's agenda) with the
 * recipient's key pair. Unlike keyring_unwrap there is no public key to
 * check the result against: the caller's AEAD (envelope_decrypt) is what
 * tells a wrong key. 0 and *sk_out, or -1.
 */
int keyring_open_sealed(const uint8_t wrapped[KEYRING_WRAPPED_LEN],
                        const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
                        const struct secret *member_sk,
                        struct secret **sk_out);

/* The public key belonging to a private key. 0 or -1. */
int keyring_public(const struct secret *sk, uint8_t pk[CRYPTO_PUBLICKEY_LEN]);

/* Write the recovery private key as text (RECOVERY_TEXT_LEN + 1 bytes). */
void recovery_format(const struct secret *sk, char out[RECOVERY_TEXT_LEN + 1]);

/*
 * Read a recovery key typed back in (tolerant like receipts). Fills
 * *sk_out and pk. 0, or -1 on a malformed text.
 */
int recovery_parse(const char *text, struct secret **sk_out,
                   uint8_t pk[CRYPTO_PUBLICKEY_LEN]);

#endif
