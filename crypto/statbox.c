/*
 * statbox.c - the statistics cache boxes (see statbox.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "statbox.h"

#define CONTEXT		"statcach"
#define SUBKEY_ID	1
#define VERSION		1
#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN		crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(STATBOX_OVERHEAD == 1 + NONCE_LEN + TAG_LEN, "overhead");
_Static_assert(CRYPTO_SECRETKEY_LEN == crypto_kdf_KEYBYTES, "master size");

int
statbox_key(const struct secret *ring_sk, struct secret **out,
            uint8_t key_id[STATBOX_KEY_ID_LEN])
{
	static const uint8_t label[] = "meldpunt statbox key id";
	struct secret *k;

	*out = NULL;
	if (ring_sk->len != CRYPTO_SECRETKEY_LEN)
		return -1;
	k = secret_new(CRYPTO_KEY_LEN);
	if (!k)
		return -1;
	/*
	 * A subkey, never the X25519 key itself: the same bytes are not used
	 * for two algorithms. The id is a keyed hash of a label, so it says
	 * nothing about the key.
	 */
	if (crypto_kdf_derive_from_key(k->bytes, CRYPTO_KEY_LEN, SUBKEY_ID,
	                               CONTEXT, ring_sk->bytes) != 0 ||
	    crypto_generichash(key_id, STATBOX_KEY_ID_LEN, label,
	                       sizeof(label) - 1, k->bytes, CRYPTO_KEY_LEN) != 0) {
		secret_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

int
statbox_seal(const struct secret *key, const void *plain, size_t len,
             const void *ad, size_t adlen, uint8_t **out, size_t *outlen)
{
	unsigned long long clen;
	uint8_t *box;

	*out = NULL;
	*outlen = 0;
	if (key->len != CRYPTO_KEY_LEN || len > SIZE_MAX - STATBOX_OVERHEAD ||
	    len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return -1;
	box = malloc(len + STATBOX_OVERHEAD);
	if (!box)
		return -1;
	box[0] = VERSION;
	randombytes_buf(box + 1, NONCE_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(box + 1 + NONCE_LEN,
	                &clen, plain, len, ad, adlen, NULL, box + 1,
	                key->bytes) != 0) {
		free(box);
		return -1;
	}
	*out = box;
	*outlen = 1 + NONCE_LEN + (size_t)clen;
	return 0;
}

int
statbox_open(const struct secret *key, const uint8_t *box, size_t boxlen,
             const void *ad, size_t adlen, uint8_t *plain, size_t cap,
             size_t *len)
{
	unsigned long long plen;

	*len = 0;
	if (key->len != CRYPTO_KEY_LEN || boxlen < STATBOX_OVERHEAD ||
	    box[0] != VERSION || boxlen - STATBOX_OVERHEAD > cap)
		return -1;
	/* One version exists: any other first byte is a damaged box. */
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL,
	                box + 1 + NONCE_LEN, boxlen - 1 - NONCE_LEN, ad, adlen,
	                box + 1, key->bytes) != 0) {
		sodium_memzero(plain, cap);
		return -1;
	}
	*len = (size_t)plen;
	return 0;
}
