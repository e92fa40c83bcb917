/*
 * crypto.c - start-up, randomness, comparison, wiping and BLAKE2b.
 *
 * Thin wrappers over libsodium so that the rest of the program never needs
 * <sodium.h>. Each wrapper checks the sizes libsodium would otherwise
 * assert on, so a bad size from a caller is a -1, never an abort.
 */
#include <stdalign.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"

/* The opaque state in crypto.h must be able to hold libsodium's. */
_Static_assert(sizeof(crypto_generichash_state) <=
               sizeof(((struct crypto_hash_state *)0)->opaque),
               "crypto_hash_state too small for crypto_generichash_state");
_Static_assert(alignof(crypto_generichash_state) <=
               alignof(struct crypto_hash_state),
               "crypto_hash_state not aligned enough");
_Static_assert(CRYPTO_PUBLICKEY_LEN == crypto_box_PUBLICKEYBYTES &&
               CRYPTO_SECRETKEY_LEN == crypto_box_SECRETKEYBYTES &&
               CRYPTO_SEAL_OVERHEAD == crypto_box_SEALBYTES &&
               CRYPTO_KEY_LEN == crypto_kdf_KEYBYTES &&
               CRYPTO_HASH_LEN == crypto_generichash_BYTES,
               "crypto.h sizes disagree with libsodium");

int
crypto_init(void)
{
	/* 1 means already initialised, which is fine. */
	return sodium_init() < 0 ? -1 : 0;
}

void
crypto_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

int
crypto_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

/*
 * Hashing both strings turns two texts of any lengths into two fixed-size
 * values that sodium_memcmp can compare without an early exit; the time of
 * the hashes depends only on the lengths. A BLAKE2b-256 collision is not a
 * concern, and the lengths are compared too.
 */
int
crypto_equal_str(const char *a, const char *b)
{
	uint8_t ha[CRYPTO_HASH_LEN], hb[CRYPTO_HASH_LEN];
	size_t la = strlen(a), lb = strlen(b);
	int same;

	crypto_generichash(ha, sizeof(ha), (const unsigned char *)a, la,
	                   NULL, 0);
	crypto_generichash(hb, sizeof(hb), (const unsigned char *)b, lb,
	                   NULL, 0);
	same = sodium_memcmp(ha, hb, sizeof(ha)) == 0;
	sodium_memzero(ha, sizeof(ha));
	sodium_memzero(hb, sizeof(hb));
	return same && la == lb;
}

void
crypto_sha256(uint8_t out[CRYPTO_SHA256_LEN], const void *in, size_t len)
{
	_Static_assert(CRYPTO_SHA256_LEN == crypto_hash_sha256_BYTES,
	               "SHA-256 size");
	crypto_hash_sha256(out, in, len);
}

void
crypto_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}

void
crypto_put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t
crypto_get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

int
crypto_blake2b(uint8_t *out, size_t outlen, const void *in, size_t inlen,
               const uint8_t *key, size_t keylen)
{
	if (outlen < crypto_generichash_BYTES_MIN ||
	    outlen > crypto_generichash_BYTES_MAX)
		return -1;
	if (key && (keylen < crypto_generichash_KEYBYTES_MIN ||
	            keylen > crypto_generichash_KEYBYTES_MAX))
		return -1;
	if (!key)
		keylen = 0;
	return crypto_generichash(out, outlen, in, inlen, key, keylen);
}

static crypto_generichash_state *
state_of(struct crypto_hash_state *st)
{
	return (crypto_generichash_state *)(void *)st->opaque;
}

void
crypto_hash_begin(struct crypto_hash_state *st)
{
	crypto_generichash_init(state_of(st), NULL, 0, CRYPTO_HASH_LEN);
}

void
crypto_hash_add(struct crypto_hash_state *st, const void *in, size_t len)
{
	crypto_generichash_update(state_of(st), in, len);
}

void
crypto_hash_end(struct crypto_hash_state *st, uint8_t out[CRYPTO_HASH_LEN])
{
	crypto_generichash_final(state_of(st), out, CRYPTO_HASH_LEN);
	/* The state holds the last input block. */
	sodium_memzero(st, sizeof(*st));
}

int
crypto_derive(uint8_t out[CRYPTO_KEY_LEN], const uint8_t master[CRYPTO_KEY_LEN],
              uint64_t id, const char context[8])
{
	return crypto_kdf_derive_from_key(out, CRYPTO_KEY_LEN, id, context,
	                                  master);
}

int
crypto_base64_decode(const char *in, size_t inlen, uint8_t *out,
                     size_t outmax, size_t *outlen)
{
	const char *end = NULL;

	*outlen = 0;
	if (sodium_base642bin(out, outmax, in, inlen, NULL, outlen, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != in + inlen)
		return -1;
	return 0;
}
