/*
 * envelope.c - one ciphertext, one data key wrapped for each recipient.
 *
 * Layout (envelope.h):
 *   version 3: 3 | n | salt(16) | n x [ key id(8) | epk(32) | wrapped(48) ] |
 *              nonce(24) | ciphertext(8 + padded + 16)
 *   version 2: 2 | n | salt(16) | n x [ key id(8) | epk(32) | wrapped(48) ] |
 *              nonce(24) | ciphertext(len + 16)
 *   version 1: 1 | n | n x [ key id(8) | crypto_box_seal(data key)(80) ] |
 *              nonce(24) | ciphertext(len + 16)
 *
 * The key id of a recipient is the first 8 bytes of the unkeyed
 * BLAKE2b-256 (32-byte output) of its public key. It is only a hint for
 * finding the slot: ids may collide, so every slot with a matching id is
 * tried.
 *
 * Versions 2 and 3 have the same slots and header; version 3 encrypts
 * length(8, little endian) | plain | zeros. The plaintext is written
 * into the envelope's own buffer and encrypted in place (libsodium's
 * AEAD allows it), so a large file is not copied once more. Opening
 * checks the length against the padded size and every pad byte: an
 * envelope has one valid plaintext, whatever a writer of the database
 * tries. The padding is not the sealer's choice of bytes, so it carries
 * nothing.
 *
 * Version 2 slot (and version 3's): with epk the slot's ephemeral public key, rpk the
 * recipient's and shared = X25519(ephemeral secret, rpk) =
 * X25519(recipient secret, epk), the slot key is
 *   K = BLAKE2b-256("meldpunt envelope 2 slot" | shared | epk | rpk | salt)
 * and wrapped = XChaCha20-Poly1305(K, nonce 0, data key). K is used for
 * exactly one data key: a sealer shares its ephemeral key between the
 * envelopes of one operation, and the same recipient can get a slot in
 * each, so the per-envelope random salt is what keeps K unique (the same
 * K with nonce 0 for two data keys would reveal both). The salt is not the
 * content nonce because a reseal (key rotation) changes that nonce while
 * the other slots must keep opening. Binding epk and rpk follows the usual
 * X25519 key derivation (as crypto_box_seal and crypto_kx do): the share
 * alone does not say which keys made it. A low-order rpk or epk gives an
 * all-zero share, which crypto_scalarmult refuses.
 *
 * Self slot: when the slot's ephemeral key is the recipient's own key
 * (a sealer made from a reporter's key pair, envelope_sealer_from), the
 * share is BLAKE2b-256 keyed with the secret key over
 * "meldpunt envelope 2 self" | pk instead of X25519(sk, pk): the same
 * secret decides it, and it costs no scalar multiplication. A reader
 * whose pk is the slot's epk computes it so; no one without sk can.
 *
 * Why not crypto_box_seal per slot, as version 1 does: each seal makes an
 * ephemeral key pair of its own, two scalar multiplications a recipient;
 * a report with content, statistics and files sealed to three readers
 * took nine (bench/run: the largest share of a submission's time). A
 * sealer takes one for its key pair plus one per distinct recipient.
 *
 * The AEAD's associated data is a 32-byte BLAKE2b-256 over
 *   adlen (8 bytes, little endian) | caller's ad | header (version..nonce)
 * The length prefix makes the split between the caller's ad and the header
 * unambiguous, and hashing keeps the AD small whatever the caller passes.
 * Because the header is covered, changing any slot, the count, the salt or
 * the nonce makes decryption fail even for a reader whose own slot is
 * intact.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "envelope.h"

#define VERSION_SEALED	1	/* slots are crypto_box_seal */
#define VERSION_SHARED	2	/* slots share ephemeral keys; salt */
#define VERSION_PADDED	3	/* version 2's slots; length and padding */
#define KEYID_LEN	8
#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEALED_LEN	(CRYPTO_KEY_LEN + crypto_box_SEALBYTES)
#define WRAPPED_LEN	(CRYPTO_KEY_LEN + TAG_LEN)
#define SLOT_DOMAIN	"meldpunt envelope 2 slot"
#define SELF_DOMAIN	"meldpunt envelope 2 self"
/* Recipients whose share a sealer remembers; more are computed anew. */
#define SEALER_KNOWN	(2 * ENVELOPE_MAX_RECIPIENTS)

_Static_assert(ENVELOPE_SLOT_LEN == KEYID_LEN + SEALED_LEN, "slot size");
_Static_assert(ENVELOPE_SLOT_LEN == KEYID_LEN + CRYPTO_PUBLICKEY_LEN +
               WRAPPED_LEN, "version 2 slot size");
_Static_assert(ENVELOPE_MAX_RECIPIENTS <= 255, "n is one byte");

struct envelope_sealer {
	uint8_t esk[crypto_scalarmult_SCALARBYTES];
	uint8_t epk[CRYPTO_PUBLICKEY_LEN];
	size_t nknown;
	struct {
		uint8_t pk[CRYPTO_PUBLICKEY_LEN];
		uint8_t shared[crypto_scalarmult_BYTES];
	} known[SEALER_KNOWN];
};

/* Bytes before the slots. */
static size_t
slots_at(int version)
{
	return version == VERSION_SEALED ? 2 : 2 + ENVELOPE_SALT_LEN;
}

/* Bytes before the ciphertext for n recipients. */
static size_t
header_len(int version, size_t n)
{
	return slots_at(version) + n * ENVELOPE_SLOT_LEN + NONCE_LEN;
}

/* Round len up to a multiple of step (a power of two). 0 on overflow. */
static size_t
round_up(size_t len, size_t step)
{
	if (len > SIZE_MAX - (step - 1))
		return 0;
	return (len + step - 1) & ~(step - 1);
}

size_t
envelope_padded_len(size_t plainlen, const struct envelope_pad *pad)
{
	size_t above, step, blocks;

	if (!pad)
		return plainlen;
	if (pad->size == 0)
		return 0;
	if (plainlen <= pad->size)
		return pad->size;
	if (pad->kind == ENVELOPE_PAD_BLOCK) {
		blocks = plainlen / pad->size + (plainlen % pad->size != 0);
		return blocks > SIZE_MAX / pad->size ? 0 : blocks * pad->size;
	}
	/*
	 * A bucket: with 2^e < plainlen <= 2^(e+1), the next multiple of
	 * 2^(e-2), four sizes per doubling.
	 */
	above = plainlen - 1;
	step = 1;
	while (above >>= 1)
		step <<= 1;		/* 2^e */
	step = step >= 4 ? step / 4 : 1;
	return round_up(plainlen, step);
}

size_t
envelope_size(size_t plainlen, const struct envelope_pad *pad,
              size_t nrecipients)
{
	size_t fixed, padded;

	/* 0 for what envelope_seal would refuse. */
	if (nrecipients == 0 || nrecipients > ENVELOPE_MAX_RECIPIENTS)
		return 0;
	fixed = header_len(VERSION_PADDED, nrecipients) + ENVELOPE_LENGTH_LEN +
	        TAG_LEN;
	padded = envelope_padded_len(plainlen, pad);
	if (padded < plainlen || (padded == 0 && pad) ||
	    padded > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX -
	             ENVELOPE_LENGTH_LEN ||
	    padded > SIZE_MAX - fixed)
		return 0;
	return fixed + padded;
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

/* The version 2 slot key K (top of file). */
static void
slot_key(uint8_t k[CRYPTO_KEY_LEN], const uint8_t *shared,
         const uint8_t *epk, const uint8_t *rpk, const uint8_t *salt)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, CRYPTO_KEY_LEN);
	crypto_generichash_update(&st, (const uint8_t *)SLOT_DOMAIN,
	                          sizeof(SLOT_DOMAIN) - 1);
	crypto_generichash_update(&st, shared, crypto_scalarmult_BYTES);
	crypto_generichash_update(&st, epk, CRYPTO_PUBLICKEY_LEN);
	crypto_generichash_update(&st, rpk, CRYPTO_PUBLICKEY_LEN);
	crypto_generichash_update(&st, salt, ENVELOPE_SALT_LEN);
	crypto_generichash_final(&st, k, CRYPTO_KEY_LEN);
	sodium_memzero(&st, sizeof(st));
}

/* The share of a self slot (top of file). */
static void
self_share(uint8_t shared[crypto_scalarmult_BYTES], const uint8_t *sk,
           const uint8_t *pk)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, sk, CRYPTO_SECRETKEY_LEN,
	                        crypto_scalarmult_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)SELF_DOMAIN,
	                          sizeof(SELF_DOMAIN) - 1);
	crypto_generichash_update(&st, pk, CRYPTO_PUBLICKEY_LEN);
	crypto_generichash_final(&st, shared, crypto_scalarmult_BYTES);
	sodium_memzero(&st, sizeof(st));
}

/*
 * Fill a version 2 slot for rpk: key id, epk, and the data key wrapped
 * under the key from shared. 0 or -1.
 */
static int
wrap_slot(uint8_t *slot, const uint8_t *shared, const uint8_t *epk,
          const uint8_t *rpk, const uint8_t *salt, const uint8_t *key)
{
	static const uint8_t zero_nonce[NONCE_LEN];
	uint8_t k[CRYPTO_KEY_LEN];
	int rc;

	key_id(slot, rpk);
	memcpy(slot + KEYID_LEN, epk, CRYPTO_PUBLICKEY_LEN);
	slot_key(k, shared, epk, rpk, salt);
	rc = crypto_aead_xchacha20poly1305_ietf_encrypt(slot + KEYID_LEN +
	     CRYPTO_PUBLICKEY_LEN, NULL, key, CRYPTO_KEY_LEN, NULL, 0, NULL,
	     zero_nonce, k);
	sodium_memzero(k, sizeof(k));
	return rc == 0 ? 0 : -1;
}

/*
 * Recover the data key from one slot of either version with pk/sk into
 * key (CRYPTO_KEY_LEN bytes). 0 or -1.
 */
static int
unwrap_slot(uint8_t *key, int version, const uint8_t *slot,
            const uint8_t *salt, const uint8_t *pk, const uint8_t *sk)
{
	static const uint8_t zero_nonce[NONCE_LEN];
	uint8_t shared[crypto_scalarmult_BYTES], k[CRYPTO_KEY_LEN];
	const uint8_t *epk = slot + KEYID_LEN;
	int rc;

	if (version == VERSION_SEALED)
		return crypto_box_seal_open(key, slot + KEYID_LEN, SEALED_LEN,
		                            pk, sk) == 0 ? 0 : -1;
	if (memcmp(epk, pk, CRYPTO_PUBLICKEY_LEN) == 0)
		self_share(shared, sk, pk);
	else if (crypto_scalarmult(shared, sk, epk) != 0)
		return -1;
	slot_key(k, shared, epk, pk, salt);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(key, NULL, NULL,
	     epk + CRYPTO_PUBLICKEY_LEN, WRAPPED_LEN, NULL, 0, zero_nonce, k);
	sodium_memzero(shared, sizeof(shared));
	sodium_memzero(k, sizeof(k));
	return rc == 0 ? 0 : -1;
}

/*
 * Check the framing; on success *version, *n the recipient count and
 * *hlen the header length. Every length is checked before it is used in
 * arithmetic.
 */
static int
parse(const uint8_t *env, size_t envlen, int *version, size_t *n,
      size_t *hlen)
{
	if (!env || envlen < 2 || env[0] < VERSION_SEALED ||
	    env[0] > VERSION_PADDED)
		return -1;
	*version = env[0];
	*n = env[1];
	if (*n == 0 || *n > ENVELOPE_MAX_RECIPIENTS)
		return -1;
	*hlen = header_len(*version, *n);
	if (envlen < *hlen || envlen - *hlen < TAG_LEN)
		return -1;
	if (*version == VERSION_PADDED &&
	    envlen - *hlen - TAG_LEN < ENVELOPE_LENGTH_LEN)
		return -1;
	return 0;
}

int
envelope_version(const uint8_t *env, size_t envlen)
{
	int version;
	size_t n, hlen;

	if (parse(env, envlen, &version, &n, &hlen) < 0)
		return 0;
	return version;
}

/* Offset of slot i. */
static size_t
slot_at(int version, size_t i)
{
	return slots_at(version) + i * ENVELOPE_SLOT_LEN;
}

struct envelope_sealer *
envelope_sealer_new(void)
{
	struct envelope_sealer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	crypto_box_keypair(s->epk, s->esk);
	return s;
}

struct envelope_sealer *
envelope_sealer_from(const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                     const uint8_t sk[CRYPTO_SECRETKEY_LEN])
{
	struct envelope_sealer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s->epk, pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(s->esk, sk, CRYPTO_SECRETKEY_LEN);
	return s;
}

void
envelope_sealer_free(struct envelope_sealer *s)
{
	if (!s)
		return;
	sodium_memzero(s, sizeof(*s));
	free(s);
}

/* The sealer's share with rpk, computed once. 0 or -1 (low order). */
static int
sealer_share(struct envelope_sealer *s, const uint8_t *rpk, uint8_t *shared)
{
	size_t i;

	for (i = 0; i < s->nknown; i++)
		if (memcmp(s->known[i].pk, rpk, CRYPTO_PUBLICKEY_LEN) == 0) {
			memcpy(shared, s->known[i].shared, crypto_scalarmult_BYTES);
			return 0;
		}
	if (memcmp(rpk, s->epk, CRYPTO_PUBLICKEY_LEN) == 0)
		self_share(shared, s->esk, s->epk);
	else if (crypto_scalarmult(shared, s->esk, rpk) != 0)
		return -1;
	if (s->nknown < SEALER_KNOWN) {
		memcpy(s->known[s->nknown].pk, rpk, CRYPTO_PUBLICKEY_LEN);
		memcpy(s->known[s->nknown].shared, shared, crypto_scalarmult_BYTES);
		s->nknown++;
	}
	return 0;
}

int
envelope_sealer_seal(struct envelope_sealer *s,
                     const uint8_t *plain, size_t plainlen,
                     const struct envelope_pad *pad,
                     const uint8_t *ad, size_t adlen,
                     const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
                     uint8_t **out, size_t *outlen)
{
	uint8_t adh[crypto_generichash_BYTES], *buf = NULL, *salt, *inner;
	uint8_t shared[crypto_scalarmult_BYTES];
	/*
	 * The data key lives only for this call: on the stack, wiped before
	 * returning. Guarded memory (an mmap and mprotects per allocation,
	 * each a TLB shootdown on every core) is kept for keys that outlive
	 * one operation; measured with bench/run, it was a large part of the
	 * cost of a submission.
	 */
	uint8_t key[CRYPTO_KEY_LEN];
	/*
	 * The envelope's random bytes in one draw (randombytes_buf asks
	 * the kernel each time): data key | salt | nonce. Independent
	 * parts of one uniform draw, as three draws would be.
	 */
	uint8_t fresh[CRYPTO_KEY_LEN + ENVELOPE_SALT_LEN + NONCE_LEN];
	size_t size = 0, hlen, i;
	int ret = -1;

	*out = NULL;
	*outlen = 0;
	size = envelope_size(plainlen, pad, n);
	if (!s || size == 0 || (plainlen && !plain) || (adlen && !ad))
		goto out;
	hlen = header_len(VERSION_PADDED, n);
	buf = malloc(size);
	if (!buf)
		goto out;
	randombytes_buf(fresh, sizeof(fresh));
	memcpy(key, fresh, sizeof(key));

	/* length | plain | zeros, encrypted in place below. */
	inner = buf + hlen;
	for (i = 0; i < ENVELOPE_LENGTH_LEN; i++)
		inner[i] = (uint8_t)((uint64_t)plainlen >> (8 * i));
	if (plainlen)
		memcpy(inner + ENVELOPE_LENGTH_LEN, plain, plainlen);
	memset(inner + ENVELOPE_LENGTH_LEN + plainlen, 0,
	       size - hlen - TAG_LEN - ENVELOPE_LENGTH_LEN - plainlen);

	buf[0] = VERSION_PADDED;
	buf[1] = (uint8_t)n;
	salt = buf + 2;
	memcpy(salt, fresh + CRYPTO_KEY_LEN, ENVELOPE_SALT_LEN);
	memcpy(buf + hlen - NONCE_LEN, fresh + CRYPTO_KEY_LEN + ENVELOPE_SALT_LEN,
	       NONCE_LEN);
	for (i = 0; i < n; i++)
		if (sealer_share(s, recipients[i], shared) < 0 ||
		    wrap_slot(buf + slot_at(VERSION_PADDED, i), shared,
		              s->epk, recipients[i], salt, key) < 0)
			goto out;
	make_ad(adh, ad, adlen, buf, hlen);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(inner, NULL, inner,
	    size - hlen - TAG_LEN, adh, sizeof(adh), NULL,
	    buf + hlen - NONCE_LEN, key) != 0)
		goto out;
	*out = buf;
	*outlen = size;
	buf = NULL;
	ret = 0;

out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(fresh, sizeof(fresh));
	sodium_memzero(shared, sizeof(shared));
	if (buf)	/* it may hold the plaintext */
		sodium_memzero(buf, size);
	free(buf);
	return ret;
}

int
envelope_seal(const uint8_t *plain, size_t plainlen,
              const struct envelope_pad *pad,
              const uint8_t *ad, size_t adlen,
              const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
              uint8_t **out, size_t *outlen)
{
	struct envelope_sealer *s;
	int ret;

	*out = NULL;
	*outlen = 0;
	if (envelope_size(plainlen, pad, n) == 0)
		return -1;	/* refused before any key is made */
	s = envelope_sealer_new();
	if (!s)
		return -1;
	ret = envelope_sealer_seal(s, plain, plainlen, pad, ad, adlen,
	                           recipients, n, out, outlen);
	envelope_sealer_free(s);
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
	int version;

	*key_out = NULL;
	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN ||
	    parse(env, envlen, &version, &n, &hlen) < 0)
		return -1;
	key = secret_new(CRYPTO_KEY_LEN);
	if (!key)
		return -1;
	key_id(id, pk);
	for (i = 0; i < n; i++) {
		slot = env + slot_at(version, i);
		if (memcmp(slot, id, KEYID_LEN) != 0)
			continue;
		if (unwrap_slot(key->bytes, version, slot, env + 2, pk,
		                sk->bytes) == 0) {
			*key_out = key;
			return 0;
		}
	}
	secret_free(key);
	return -1;
}

/*
 * Decrypt what the AEAD holds, a version 3 envelope's length and padding
 * included, into *out (guarded). 0 or -1.
 */
static int
decrypt_raw(const uint8_t *env, size_t envlen, const uint8_t *ad,
            size_t adlen, const struct secret *key, int *version_out,
            struct secret **out)
{
	uint8_t adh[crypto_generichash_BYTES];
	struct secret *plain = NULL;
	unsigned long long got;
	size_t n, hlen, clen;
	int version, ret = -1;

	*out = NULL;
	if (!key || key->len != CRYPTO_KEY_LEN || (adlen && !ad) ||
	    parse(env, envlen, &version, &n, &hlen) < 0)
		goto out;
	*version_out = version;
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
	*out = plain;
	plain = NULL;
	ret = 0;

out:
	secret_free(plain);
	return ret;
}

/*
 * The plaintext length of a decrypted version 3 envelope (inner, n
 * bytes: length | plain | zeros). 0 and *len, or -1 when the length does
 * not fit or a pad byte is not zero.
 */
static int
padded_plain_len(const uint8_t *inner, size_t n, size_t *len)
{
	uint64_t v = 0;
	uint8_t bad = 0;
	size_t i;

	for (i = 0; i < ENVELOPE_LENGTH_LEN; i++)
		v |= (uint64_t)inner[i] << (8 * i);
	if (v > n - ENVELOPE_LENGTH_LEN)
		return -1;
	for (i = ENVELOPE_LENGTH_LEN + (size_t)v; i < n; i++)
		bad |= inner[i];
	if (bad)
		return -1;
	*len = (size_t)v;
	return 0;
}

/*
 * A version 3 plaintext without its length and padding, in place: the
 * secret's len shrinks (sodium_free releases the whole allocation). 0 or
 * -1 (padded_plain_len).
 */
static int
unpad(struct secret *plain)
{
	size_t len;

	if (padded_plain_len(plain->bytes, plain->len, &len) < 0)
		return -1;
	memmove(plain->bytes, plain->bytes + ENVELOPE_LENGTH_LEN, len);
	sodium_memzero(plain->bytes + len, plain->len - len);
	plain->len = len;
	return 0;
}

int
envelope_decrypt(const uint8_t *env, size_t envlen,
                 const uint8_t *ad, size_t adlen,
                 const struct secret *key, struct secret **plain_out)
{
	struct secret *plain;
	int version;

	*plain_out = NULL;
	if (decrypt_raw(env, envlen, ad, adlen, key, &version, &plain) < 0)
		return -1;
	if (version == VERSION_PADDED && unpad(plain) < 0) {
		secret_free(plain);
		return -1;
	}
	*plain_out = plain;
	return 0;
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
	int version;

	if (parse(env, envlen, &version, &n, &hlen) < 0)
		return 0;
	key_id(id, pk);
	for (i = 0; i < n; i++)
		if (memcmp(env + slot_at(version, i), id, KEYID_LEN) == 0)
			return 1;
	return 0;
}

/* A new slot for new_pk in the envelope's own version. 0 or -1. */
static int
reslot(uint8_t *slot, int version, const uint8_t *salt,
       const uint8_t *new_pk, const uint8_t *key)
{
	uint8_t esk[crypto_scalarmult_SCALARBYTES], epk[CRYPTO_PUBLICKEY_LEN];
	uint8_t shared[crypto_scalarmult_BYTES];
	int ret = -1;

	if (version == VERSION_SEALED) {
		key_id(slot, new_pk);
		return crypto_box_seal(slot + KEYID_LEN, key, CRYPTO_KEY_LEN,
		                       new_pk) == 0 ? 0 : -1;
	}
	/* Its own ephemeral key: the other slots' secret is long gone. */
	crypto_box_keypair(epk, esk);
	if (crypto_scalarmult(shared, esk, new_pk) == 0 &&
	    wrap_slot(slot, shared, epk, new_pk, salt, key) == 0)
		ret = 0;
	sodium_memzero(esk, sizeof(esk));
	sodium_memzero(shared, sizeof(shared));
	return ret;
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
	size_t n, hlen, i, plainlen;
	int version, found = 0, ret = -1;

	*out = NULL;
	*outlen = 0;
	if (!old_sk || old_sk->len != CRYPTO_SECRETKEY_LEN ||
	    parse(env, envlen, &version, &n, &hlen) < 0)
		return -1;
	key = secret_new(CRYPTO_KEY_LEN);
	buf = malloc(envlen);
	if (!key || !buf)
		goto out;
	memcpy(buf, env, hlen);
	key_id(id, old_pk);
	for (i = 0; i < n && !found; i++) {
		slot = buf + slot_at(version, i);
		if (memcmp(slot, id, KEYID_LEN) != 0 ||
		    unwrap_slot(key->bytes, version, slot, buf + 2, old_pk,
		                old_sk->bytes) != 0)
			continue;
		/*
		 * The content must open before anything is written anew;
		 * a version 3 envelope's length and padding are kept as
		 * they are (checked, so a damaged one is not made valid).
		 */
		if (decrypt_raw(env, envlen, ad, adlen, key, &version,
		                &plain) < 0 ||
		    (version == VERSION_PADDED &&
		     padded_plain_len(plain->bytes, plain->len, &plainlen) < 0))
			goto out;
		if (reslot(slot, version, buf + 2, new_pk, key->bytes) < 0)
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
