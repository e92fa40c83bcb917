/*
 * receipt.c - receipts and what derives from them.
 *
 * Two subkeys come from the installation secret with crypto_kdf, context
 * "receipt_": id 1 keys the locator, id 2 keys the reporter's seed. Each
 * is a keyed BLAKE2b-256 of the 10 receipt bytes; the seed then makes the
 * X25519 key pair (crypto_box_seed_keypair). Separate subkeys keep the
 * locator, which the database stores, unrelated to the key pair, which it
 * must never be able to compute.
 */
#include <string.h>

#include <sodium.h>

#include "base32.h"
#include "envelope.h"
#include "receipt.h"

#define CONTEXT		"receipt_"
#define ID_LOCATOR	1
#define ID_SEED		2

_Static_assert(BASE32_CHARS(RECEIPT_BYTES) == 16, "receipt is 16 characters");
_Static_assert(INSTALLATION_SECRET_LEN == crypto_kdf_KEYBYTES,
               "installation secret is a kdf key");

void
receipt_new(uint8_t r[RECEIPT_BYTES])
{
	randombytes_buf(r, RECEIPT_BYTES);
}

void
receipt_format(const uint8_t r[RECEIPT_BYTES], char out[RECEIPT_TEXT_LEN + 1])
{
	base32_encode(out, RECEIPT_TEXT_LEN + 1, r, RECEIPT_BYTES, 4);
}

int
receipt_parse(const char *text, uint8_t r[RECEIPT_BYTES])
{
	/* Exactly 16 characters; 80 bits leave no padding to check. */
	return base32_decode(r, RECEIPT_BYTES, text);
}

/*
 * The locator, and with pk and sk (both or neither) the reporter's key
 * pair into the caller's buffers. 0, or -1 with the outputs wiped.
 */
static int
derive(const struct secret *installation_secret, const uint8_t r[RECEIPT_BYTES],
       uint8_t locator[RECEIPT_LOCATOR_LEN], uint8_t pk[CRYPTO_PUBLICKEY_LEN],
       uint8_t sk[CRYPTO_SECRETKEY_LEN])
{
	/*
	 * tmp: locator subkey | seed subkey | seed. They live only for this
	 * call, on the stack, wiped before returning (see envelope_seal for
	 * why not guarded memory).
	 */
	struct { uint8_t bytes[3 * CRYPTO_KEY_LEN]; } tmpbuf, *tmp = &tmpbuf;
	uint8_t *klocator, *kseed, *seed;
	int ret = -1;

	if (!installation_secret ||
	    installation_secret->len != INSTALLATION_SECRET_LEN)
		goto out;
	klocator = tmp->bytes;
	kseed = tmp->bytes + CRYPTO_KEY_LEN;
	seed = tmp->bytes + 2 * CRYPTO_KEY_LEN;

	if (crypto_kdf_derive_from_key(klocator, CRYPTO_KEY_LEN, ID_LOCATOR,
	    CONTEXT, installation_secret->bytes) != 0 ||
	    crypto_generichash(locator, RECEIPT_LOCATOR_LEN, r, RECEIPT_BYTES,
	    klocator, CRYPTO_KEY_LEN) != 0)
		goto out;
	if (pk && (crypto_kdf_derive_from_key(kseed, CRYPTO_KEY_LEN, ID_SEED,
	    CONTEXT, installation_secret->bytes) != 0 ||
	    crypto_generichash(seed, crypto_box_SEEDBYTES, r, RECEIPT_BYTES,
	    kseed, CRYPTO_KEY_LEN) != 0 ||
	    crypto_box_seed_keypair(pk, sk, seed) != 0))
		goto out;
	ret = 0;
out:
	if (ret < 0) {
		sodium_memzero(locator, RECEIPT_LOCATOR_LEN);
		if (pk) {
			sodium_memzero(pk, CRYPTO_PUBLICKEY_LEN);
			sodium_memzero(sk, CRYPTO_SECRETKEY_LEN);
		}
	}
	sodium_memzero(&tmpbuf, sizeof(tmpbuf));
	return ret;
}

int
receipt_derive(const struct secret *installation_secret,
               const uint8_t r[RECEIPT_BYTES],
               uint8_t locator[RECEIPT_LOCATOR_LEN],
               uint8_t reporter_pk[CRYPTO_PUBLICKEY_LEN],
               struct secret **reporter_sk)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], skbuf[CRYPTO_SECRETKEY_LEN];
	int want = reporter_pk || reporter_sk, ret = -1;

	if (reporter_sk)
		*reporter_sk = NULL;
	if (derive(installation_secret, r, locator, want ? pk : NULL,
	           want ? skbuf : NULL) < 0)
		goto out;
	/* Guarded memory only when the key leaves this function. */
	if (reporter_sk && !(*reporter_sk = secret_from(skbuf, sizeof(skbuf)))) {
		sodium_memzero(locator, RECEIPT_LOCATOR_LEN);
		goto out;
	}
	if (reporter_pk)
		memcpy(reporter_pk, pk, sizeof(pk));
	ret = 0;
out:
	if (ret < 0 && reporter_pk)
		sodium_memzero(reporter_pk, CRYPTO_PUBLICKEY_LEN);
	sodium_memzero(skbuf, sizeof(skbuf));
	return ret;
}

int
receipt_sealer(const struct secret *installation_secret,
               const uint8_t r[RECEIPT_BYTES],
               uint8_t locator[RECEIPT_LOCATOR_LEN],
               uint8_t reporter_pk[CRYPTO_PUBLICKEY_LEN],
               struct envelope_sealer **sealer)
{
	uint8_t skbuf[CRYPTO_SECRETKEY_LEN];
	int ret = -1;

	*sealer = NULL;
	if (derive(installation_secret, r, locator, reporter_pk, skbuf) < 0)
		goto out;
	*sealer = envelope_sealer_from(reporter_pk, skbuf);
	if (!*sealer) {
		sodium_memzero(locator, RECEIPT_LOCATOR_LEN);
		sodium_memzero(reporter_pk, CRYPTO_PUBLICKEY_LEN);
		goto out;
	}
	ret = 0;
out:
	sodium_memzero(skbuf, sizeof(skbuf));
	return ret;
}
