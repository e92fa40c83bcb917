/*
 * secretbox.c - values sealed under a subkey of the installation secret
 * (see secretbox.h).
 *
 * The AEAD's associated data is BLAKE2b-256 over the version byte and the
 * caller's ad, so the version is authenticated with the rest and the AD
 * stays small whatever the caller passes.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "receipt.h"
#include "secretbox.h"

#define CONTEXT		"secrtbox"
#define VERSION		1
#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(SECRETBOX_OVERHEAD == 1 + NONCE_LEN + TAG_LEN, "overhead");
_Static_assert(CRYPTO_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
               "key size");

int
secretbox_key(const struct secret *installation_secret,
              enum secretbox_purpose purpose, struct secret **out)
{
	struct secret *k;

	*out = NULL;
	if (installation_secret->len != INSTALLATION_SECRET_LEN)
		return -1;
	k = secret_new(CRYPTO_KEY_LEN);
	if (!k)
		return -1;
	if (crypto_kdf_derive_from_key(k->bytes, CRYPTO_KEY_LEN,
	                               (uint64_t)purpose, CONTEXT,
	                               installation_secret->bytes) != 0) {
		secret_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

static void
make_ad(uint8_t out[crypto_generichash_BYTES], const void *ad, size_t adlen)
{
	crypto_generichash_state st;
	const uint8_t version = VERSION;

	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
	crypto_generichash_update(&st, &version, 1);
	if (adlen)
		crypto_generichash_update(&st, ad, adlen);
	crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

int
secretbox_seal(const struct secret *key, const void *plain, size_t len,
               const void *ad, size_t adlen, uint8_t **out, size_t *outlen)
{
	uint8_t adh[crypto_generichash_BYTES], *box;
	unsigned long long clen;

	*out = NULL;
	*outlen = 0;
	if (key->len != CRYPTO_KEY_LEN ||
	    len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    len > SIZE_MAX - SECRETBOX_OVERHEAD)
		return -1;
	box = malloc(len + SECRETBOX_OVERHEAD);
	if (!box)
		return -1;
	box[0] = VERSION;
	randombytes_buf(box + 1, NONCE_LEN);
	make_ad(adh, ad, adlen);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(box + 1 + NONCE_LEN,
	                &clen, plain, len, adh, sizeof(adh), NULL, box + 1,
	                key->bytes) != 0) {
		free(box);
		return -1;
	}
	*out = box;
	*outlen = 1 + NONCE_LEN + (size_t)clen;
	return 0;
}

int
secretbox_open(const struct secret *key, const uint8_t *box, size_t len,
               const void *ad, size_t adlen, struct secret **out)
{
	uint8_t adh[crypto_generichash_BYTES];
	unsigned long long plen;
	struct secret *plain;
	size_t n;

	*out = NULL;
	if (key->len != CRYPTO_KEY_LEN || len < SECRETBOX_OVERHEAD ||
	    box[0] != VERSION)
		return -1;
	n = len - SECRETBOX_OVERHEAD;
	/* One byte more for the NUL that lets a text be used as a string. */
	plain = secret_new(n + 1);
	if (!plain)
		return -1;
	make_ad(adh, ad, adlen);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain->bytes, &plen,
	                NULL, box + 1 + NONCE_LEN, len - 1 - NONCE_LEN, adh,
	                sizeof(adh), box + 1, key->bytes) != 0 ||
	    plen != n) {
		secret_free(plain);
		return -1;
	}
	plain->bytes[n] = '\0';
	plain->len = n;
	*out = plain;
	return 0;
}
