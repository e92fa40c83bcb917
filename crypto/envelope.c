/*
 * envelope.c - one ciphertext, one data key sealed to each recipient.
 *
 * Layout (envelope.h):
 *   version(1) | n(1) | n x [ key id(8) | sealed data key(80) ] |
 *   nonce(24) | ciphertext(len + 16)
 *
 * The key id of a recipient is the first 8 bytes of the unkeyed
 * BLAKE2b-256 (32-byte output) of its public key. It is only a hint for
 * finding the slot: ids may collide, so every slot with a matching id is
 * tried.
 *
 * The AEAD's associated data is a 32-byte BLAKE2b-256 over
 *   adlen (8 bytes, little endian) | caller's ad | header (version..nonce)
 * The length prefix makes the split between the caller's ad and the header
 * unambiguous, and hashing keeps the AD small whatever the caller passes.
 * Because the header is covered, changing any slot, the count or the nonce
 * makes decryption fail even for a reader whose own slot is intact.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope.h"

#define VERSION		1
#define KEYID_LEN	8
#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEALED_LEN	(CRYPTO_KEY_LEN + crypto_box_SEALBYTES)

_Static_assert(ENVELOPE_SLOT_LEN == KEYID_LEN + SEALED_LEN, "slot size");
_Static_assert(ENVELOPE_MAX_RECIPIENTS <= 255, "n is one byte");

/* Bytes before the ciphertext for n recipients. */
static size_t
header_len(size_t n)
{
	return 2 + n * ENVELOPE_SLOT_LEN + NONCE_LEN;
}

size_t
envelope_size(size_t plainlen, size_t nrecipients)
{
	size_t fixed;

	/* 0 for what envelope_seal would refuse. */
	if (nrecipients == 0 || nrecipients > ENVELOPE_MAX_RECIPIENTS)
		return 0;
	fixed = header_len(nrecipients) + TAG_LEN;
	if (plainlen > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    plainlen > SIZE_MAX - fixed)
		return 0;
	return fixed + plainlen;
}

static void
key_id(uint8_t id[KEYID_LEN], const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	uint8_t h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), pk, CRYPTO_PUBLICKEY_LEN, NULL, 0);
	memcpy(id, h, KEYID_LEN);
}

static void
make_ad(uint8_t out[crypto_generichash_BYTES], const uint8_t *ad,
        size_t adlen, const uint8_t *header, size_t hlen)
{
	crypto_generichash_state st;
	uint8_t len[8];
	size_t i;

	for (i = 0; i < sizeof(len); i++)
		len[i] = (uint8_t)((uint64_t)adlen >> (8 * i));
	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
	crypto_generichash_update(&st, len, sizeof(len));
	if (adlen)
		crypto_generichash_update(&st, ad, adlen);
	crypto_generichash_update(&st, header, hlen);
	crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

/*
 * Check the framing; on success *n is the recipient count and *hlen the
 * header length. Every length is checked before it is used in arithmetic.
 */
static int
parse(const uint8_t *env, size_t envlen, size_t *n, size_t *hlen)
{
	if (!env || envlen < 2 || env[0] != VERSION)
		return -1;
	*n = env[1];
	if (*n == 0 || *n > ENVELOPE_MAX_RECIPIENTS)
		return -1;
	*hlen = header_len(*n);
	if (envlen < *hlen || envlen - *hlen < TAG_LEN)
		return -1;
	return 0;
}

int
envelope_seal(const uint8_t *plain, size_t plainlen,
              const uint8_t *ad, size_t adlen,
              const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
              uint8_t **out, size_t *outlen)
{
	uint8_t adh[crypto_generichash_BYTES], *buf = NULL, *slot;
	static const uint8_t empty[1];
	/*
	 * The data key lives only for this call: on the stack, wiped before
	 * returning. Guarded memory (an mmap and mprotects per allocation,
	 * each a TLB shootdown on every core) is kept for keys that outlive
	 * one operation; measured with bench/run, it was a large part of the
	 * cost of a submission.
	 */
	struct { uint8_t bytes[CRYPTO_KEY_LEN]; size_t len; } keybuf, *key = &keybuf;
	size_t size, hlen, i;
	int ret = -1;

	*out = NULL;
	*outlen = 0;
	keybuf.len = CRYPTO_KEY_LEN;
	size = envelope_size(plainlen, n);
	if (size == 0 || (plainlen && !plain) || (adlen && !ad))
		goto out;
	hlen = header_len(n);
	buf = malloc(size);
	if (!buf)
		goto out;
	randombytes_buf(key->bytes, key->len);

	buf[0] = VERSION;
	buf[1] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		slot = buf + 2 + i * ENVELOPE_SLOT_LEN;
		key_id(slot, recipients[i]);
		if (crypto_box_seal(slot + KEYID_LEN, key->bytes, key->len,
		                    recipients[i]) != 0)
			goto out;
	}
	randombytes_buf(buf + hlen - NONCE_LEN, NONCE_LEN);
	make_ad(adh, ad, adlen, buf, hlen);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(buf + hlen, NULL,
	    plainlen ? plain : empty, plainlen, adh, sizeof(adh), NULL,
	    buf + hlen - NONCE_LEN, key->bytes) != 0)
		goto out;
	*out = buf;
	*outlen = size;
	buf = NULL;
	ret = 0;

out:
	sodium_memzero(&keybuf, sizeof(keybuf));
	free(buf);
	return ret;
}

int
envelope_open_key(const uint8_t *env, size_t envlen,
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  const struct secret *sk, struct secret **key_out)
{
	uint8_t id[KEYID_LEN];
	const uint8_t *slot;
	struct secret *key = NULL;
	size_t n, hlen, i;

	*key_out = NULL;
	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN ||
	    parse(env, envlen, &n, &hlen) < 0)
		return -1;
	key = secret_new(CRYPTO_KEY_LEN);
	if (!key)
		return -1;
	key_id(id, pk);
	for (i = 0; i < n; i++) {
		slot = env + 2 + i * ENVELOPE_SLOT_LEN;
		if (memcmp(slot, id, KEYID_LEN) != 0)
			continue;
		if (crypto_box_seal_open(key->bytes, slot + KEYID_LEN,
		                         SEALED_LEN, pk, sk->bytes) == 0) {
			*key_out = key;
			return 0;
		}
	}
	secret_free(key);
	return -1;
}

int
envelope_decrypt(const uint8_t *env, size_t envlen,
                 const uint8_t *ad, size_t adlen,
                 const struct secret *key, struct secret **plain_out)
{
	uint8_t adh[crypto_generichash_BYTES];
	struct secret *plain = NULL;
	unsigned long long got;
	size_t n, hlen, clen;
	int ret = -1;

	*plain_out = NULL;
	if (!key || key->len != CRYPTO_KEY_LEN || (adlen && !ad) ||
	    parse(env, envlen, &n, &hlen) < 0)
		goto out;
	clen = envlen - hlen;
	/* secret_new(0) still gives a writable byte. */
	plain = secret_new(clen - TAG_LEN);
	if (!plain)
		goto out;
	make_ad(adh, ad, adlen, env, hlen);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain->bytes, &got,
	    NULL, env + hlen, clen, adh, sizeof(adh), env + hlen - NONCE_LEN,
	    key->bytes) != 0 || got != plain->len)
		goto out;
	*plain_out = plain;
	plain = NULL;
	ret = 0;

out:
	secret_free(plain);
	return ret;
}

int
envelope_open(const uint8_t *env, size_t envlen,
              const uint8_t *ad, size_t adlen,
              const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
              const struct secret *sk, struct secret **plain_out)
{
	struct secret *key;
	int ret;

	*plain_out = NULL;
	if (envelope_open_key(env, envlen, pk, sk, &key) < 0)
		return -1;
	ret = envelope_decrypt(env, envlen, ad, adlen, key, plain_out);
	secret_free(key);
	return ret;
}

int
envelope_has_recipient(const uint8_t *env, size_t envlen,
                       const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	uint8_t id[KEYID_LEN];
	size_t n, hlen, i;

	if (parse(env, envlen, &n, &hlen) < 0)
		return 0;
	key_id(id, pk);
	for (i = 0; i < n; i++)
		if (memcmp(env + 2 + i * ENVELOPE_SLOT_LEN, id, KEYID_LEN) == 0)
			return 1;
	return 0;
}

int
envelope_reseal(const uint8_t *env, size_t envlen,
                const uint8_t *ad, size_t adlen,
                const uint8_t old_pk[CRYPTO_PUBLICKEY_LEN],
                const struct secret *old_sk,
                const uint8_t new_pk[CRYPTO_PUBLICKEY_LEN],
                uint8_t **out, size_t *outlen)
{
	uint8_t adh[crypto_generichash_BYTES], id[KEYID_LEN], *buf = NULL, *slot;
	struct secret *key = NULL, *plain = NULL;
	size_t n, hlen, i;
	int found = 0, ret = -1;

	*out = NULL;
	*outlen = 0;
	if (!old_sk || old_sk->len != CRYPTO_SECRETKEY_LEN ||
	    parse(env, envlen, &n, &hlen) < 0)
		return -1;
	key = secret_new(CRYPTO_KEY_LEN);
	buf = malloc(envlen);
	if (!key || !buf)
		goto out;
	memcpy(buf, env, hlen);
	key_id(id, old_pk);
	for (i = 0; i < n && !found; i++) {
		slot = buf + 2 + i * ENVELOPE_SLOT_LEN;
		if (memcmp(slot, id, KEYID_LEN) != 0 ||
		    crypto_box_seal_open(key->bytes, slot + KEYID_LEN, SEALED_LEN,
		                         old_pk, old_sk->bytes) != 0)
			continue;
		/* The content must open before anything is written anew. */
		if (envelope_decrypt(env, envlen, ad, adlen, key, &plain) < 0)
			goto out;
		key_id(slot, new_pk);
		if (crypto_box_seal(slot + KEYID_LEN, key->bytes, key->len,
		                    new_pk) != 0)
			goto out;
		found = 1;
	}
	if (!found)
		goto out;
	randombytes_buf(buf + hlen - NONCE_LEN, NONCE_LEN);
	make_ad(adh, ad, adlen, buf, hlen);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(buf + hlen, NULL,
	    plain->bytes, plain->len, adh, sizeof(adh), NULL,
	    buf + hlen - NONCE_LEN, key->bytes) != 0)
		goto out;
	*out = buf;
	*outlen = envlen;
	buf = NULL;
	ret = 0;
out:
	secret_free(plain);
	secret_free(key);
	free(buf);
	return ret;
}
