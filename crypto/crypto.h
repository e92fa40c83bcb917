/*
 * crypto.h - the one doorway to libsodium.
 *
 * Meldpunt keeps every key and every byte of report content behind the
 * modules in crypto/. No other directory includes <sodium.h>; they use the
 * sizes and functions declared here and in the sibling headers (secret.h,
 * userkey.h, keyring.h, envelope.h, receipt.h, token.h). This header holds
 * what all of them share: start-up, randomness, constant-time comparison,
 * wiping, and BLAKE2b hashing.
 *
 * Convention: functions return 0 on success and -1 on failure; a failure
 * never leaves a half-written output that looks valid (outputs are wiped).
 */
#ifndef MELDPUNT_CRYPTO_H
#define MELDPUNT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* X25519 public and secret key sizes (crypto_box). */
#define CRYPTO_PUBLICKEY_LEN 32
#define CRYPTO_SECRETKEY_LEN 32
/* Symmetric key size (XChaCha20-Poly1305, BLAKE2b keys). */
#define CRYPTO_KEY_LEN 32
/* Default hash output (BLAKE2b-256). */
#define CRYPTO_HASH_LEN 32
/* Overhead of crypto_box_seal: ephemeral public key + MAC. */
#define CRYPTO_SEAL_OVERHEAD 48

/* Initialise libsodium; safe to call more than once. Returns 0 or -1. */
int crypto_init(void);

/* Fill buf with len cryptographically secure random bytes. */
void crypto_random(void *buf, size_t len);

/* Constant-time equality of two buffers of the same length: 1 equal, 0 not. */
int crypto_equal(const void *a, const void *b, size_t len);

/*
 * Constant-time equality of two NUL-terminated strings. The time depends
 * only on the lengths, never on where they differ. 1 equal, 0 not.
 */
int crypto_equal_str(const char *a, const char *b);

/* Overwrite len bytes at p with zeros in a way the compiler keeps. */
void crypto_wipe(void *p, size_t len);

/*
 * An unsigned integer as n (1..8) little-endian bytes at p, and back:
 * the byte order of every length, count and number bound into a box or
 * its associated data.
 */
void crypto_put_le(uint8_t *p, uint64_t v, size_t n);
uint64_t crypto_get_le(const uint8_t *p, size_t n);

/*
 * BLAKE2b with an output of outlen bytes (16..64), keyed when key is not
 * NULL (keylen 16..64). Returns 0 or -1 on bad sizes. (Not crypto_hash:
 * libsodium already exports that name, for SHA-512.)
 */
int crypto_blake2b(uint8_t *out, size_t outlen, const void *in, size_t inlen,
                   const uint8_t *key, size_t keylen);

/*
 * SHA-256 of len bytes: the digest partners check a hand-off's files with
 * (sha256sum), not a secret operation.
 */
#define CRYPTO_SHA256_LEN 32
void crypto_sha256(uint8_t out[CRYPTO_SHA256_LEN], const void *in, size_t len);

/*
 * Incremental BLAKE2b-256 for hashing several fields (the audit chain).
 * The state is opaque storage big enough for libsodium's state.
 */
struct crypto_hash_state {
	_Alignas(64) unsigned char opaque[384];
};
void crypto_hash_begin(struct crypto_hash_state *st);
void crypto_hash_add(struct crypto_hash_state *st, const void *in, size_t len);
void crypto_hash_end(struct crypto_hash_state *st, uint8_t out[CRYPTO_HASH_LEN]);

/*
 * Derive a 32-byte subkey from a 32-byte master key, for a purpose named by
 * an 8-character context (libsodium crypto_kdf) and a subkey id.
 */
int crypto_derive(uint8_t out[CRYPTO_KEY_LEN], const uint8_t master[CRYPTO_KEY_LEN],
                  uint64_t id, const char context[8]);

/*
 * Decode standard base64 (RFC 4648 section 4, with padding; no spaces)
 * of inlen bytes into out (room for outmax). 0 and *outlen, or -1 for
 * anything else or when out is too small. Not a secret operation: here
 * because libsodium has the decoder (the API's files, web/api.c).
 */
int crypto_base64_decode(const char *in, size_t inlen, uint8_t *out,
                         size_t outmax, size_t *outlen);
/* The length of the standard base64 text of n bytes, padding included. */
#define CRYPTO_BASE64_LEN(n) ((((n) + 2) / 3) * 4)

#endif
