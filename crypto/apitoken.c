/*
 * apitoken.c - API tokens (see apitoken.h for the design and its reasons).
 */
#include <string.h>

#include <sodium.h>

#include "apitoken.h"

#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define ID_BYTES (APITOKEN_ID_LEN / 2)
#define SECRET_BYTES 32
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
/* crypto_kdf contexts: exactly 8 characters each. */
#define CTX_VERIFIER "mpapivf1"
#define CTX_WRAP "mpapiwr1"

_Static_assert(sodium_base64_ENCODED_LEN(SECRET_BYTES, VARIANT) ==
               APITOKEN_SECRET_TEXT_LEN + 1, "token secret length");
_Static_assert(NONCE_LEN + CRYPTO_SECRETKEY_LEN +
               crypto_aead_xchacha20poly1305_ietf_ABYTES ==
               APITOKEN_WRAPPED_LEN, "wrapped layout");

/* Offsets in the text. */
#define OFF_ID 4
#define OFF_SEP (OFF_ID + APITOKEN_ID_LEN)
#define OFF_SECRET (OFF_SEP + 1)

int
apitoken_parse(const char *text, char id[APITOKEN_ID_LEN + 1])
{
	uint8_t raw[SECRET_BYTES];
	size_t i, rawlen;
	int ok;

	if (!text || strnlen(text, APITOKEN_TEXT_LEN + 1) != APITOKEN_TEXT_LEN ||
	    memcmp(text, APITOKEN_PREFIX, 4) != 0 || text[OFF_SEP] != '_')
		return -1;
	for (i = OFF_ID; i < OFF_SEP; i++)
		if (!((text[i] >= '0' && text[i] <= '9') ||
		      (text[i] >= 'a' && text[i] <= 'f')))
			return -1;
	for (i = OFF_SECRET; i < APITOKEN_TEXT_LEN; i++) {
		char c = text[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return -1;
	}
	/* Also refuses non-zero padding bits: one text per secret. */
	ok = sodium_base642bin(raw, sizeof(raw), text + OFF_SECRET,
	                       APITOKEN_SECRET_TEXT_LEN, NULL, &rawlen, NULL,
	                       VARIANT) == 0 && rawlen == SECRET_BYTES;
	sodium_memzero(raw, sizeof(raw));
	if (!ok)
		return -1;
	memcpy(id, text + OFF_ID, APITOKEN_ID_LEN);
	id[APITOKEN_ID_LEN] = '\0';
	return 0;
}

/* The raw secret of a well-formed text. */
static int
secret_bytes(const char *text, uint8_t raw[SECRET_BYTES])
{
	size_t rawlen;

	return sodium_base642bin(raw, SECRET_BYTES, text + OFF_SECRET,
	                         APITOKEN_SECRET_TEXT_LEN, NULL, &rawlen, NULL,
	                         VARIANT) == 0 && rawlen == SECRET_BYTES ? 0 : -1;
}

static int
make_verifier(const struct secret *inst_secret, const uint8_t raw[SECRET_BYTES],
              const char *id, uint8_t out[APITOKEN_VERIFIER_LEN])
{
	uint8_t key[CRYPTO_KEY_LEN];
	crypto_generichash_state st;
	int ret = -1;

	if (!inst_secret || inst_secret->len != crypto_kdf_KEYBYTES)
		return -1;
	if (crypto_kdf_derive_from_key(key, sizeof(key), 1, CTX_VERIFIER,
	                               inst_secret->bytes) != 0)
		goto out;
	if (crypto_generichash_init(&st, key, sizeof(key),
	                            APITOKEN_VERIFIER_LEN) != 0 ||
	    crypto_generichash_update(&st, raw, SECRET_BYTES) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)id,
	                              APITOKEN_ID_LEN) != 0 ||
	    crypto_generichash_final(&st, out, APITOKEN_VERIFIER_LEN) != 0)
		goto out;
	ret = 0;
out:
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(key, sizeof(key));
	return ret;
}

/* The associated data: the public id and the user's public key. */
static void
make_ad(uint8_t ad[APITOKEN_ID_LEN + CRYPTO_PUBLICKEY_LEN], const char *id,
        const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	memcpy(ad, id, APITOKEN_ID_LEN);
	memcpy(ad + APITOKEN_ID_LEN, pk, CRYPTO_PUBLICKEY_LEN);
}

int
apitoken_new(const struct secret *inst_secret, const struct secret *sk,
             const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
             char text[APITOKEN_TEXT_LEN + 1], char id[APITOKEN_ID_LEN + 1],
             uint8_t verifier[APITOKEN_VERIFIER_LEN],
             uint8_t wrapped[APITOKEN_WRAPPED_LEN])
{
	uint8_t raw[SECRET_BYTES], idraw[ID_BYTES], key[CRYPTO_KEY_LEN];
	uint8_t ad[APITOKEN_ID_LEN + CRYPTO_PUBLICKEY_LEN];
	int ret = -1;

	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN)
		goto out;
	randombytes_buf(raw, sizeof(raw));
	randombytes_buf(idraw, sizeof(idraw));
	sodium_bin2hex(id, APITOKEN_ID_LEN + 1, idraw, sizeof(idraw));
	memcpy(text, APITOKEN_PREFIX, 4);
	memcpy(text + OFF_ID, id, APITOKEN_ID_LEN);
	text[OFF_SEP] = '_';
	sodium_bin2base64(text + OFF_SECRET, APITOKEN_SECRET_TEXT_LEN + 1, raw,
	                  sizeof(raw), VARIANT);
	if (make_verifier(inst_secret, raw, id, verifier) < 0 ||
	    crypto_kdf_derive_from_key(key, sizeof(key), 1, CTX_WRAP, raw) != 0)
		goto out;
	make_ad(ad, id, pk);
	randombytes_buf(wrapped, NONCE_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped + NONCE_LEN, NULL,
	        sk->bytes, CRYPTO_SECRETKEY_LEN, ad, sizeof(ad), NULL, wrapped,
	        key) != 0)
		goto out;
	ret = 0;
out:
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(key, sizeof(key));
	if (ret < 0) {
		sodium_memzero(text, APITOKEN_TEXT_LEN + 1);
		sodium_memzero(id, APITOKEN_ID_LEN + 1);
		sodium_memzero(verifier, APITOKEN_VERIFIER_LEN);
		sodium_memzero(wrapped, APITOKEN_WRAPPED_LEN);
	}
	return ret;
}

int
apitoken_verify(const struct secret *inst_secret, const char *text,
                const uint8_t verifier[APITOKEN_VERIFIER_LEN])
{
	uint8_t raw[SECRET_BYTES], mine[APITOKEN_VERIFIER_LEN];
	char id[APITOKEN_ID_LEN + 1];
	int ok = 0;

	if (apitoken_parse(text, id) < 0 || secret_bytes(text, raw) < 0)
		return 0;
	if (make_verifier(inst_secret, raw, id, mine) == 0)
		ok = sodium_memcmp(mine, verifier, sizeof(mine)) == 0;
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(mine, sizeof(mine));
	return ok;
}

int
apitoken_unwrap(const char *text, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                const uint8_t wrapped[APITOKEN_WRAPPED_LEN],
                struct secret **sk_out)
{
	uint8_t raw[SECRET_BYTES], key[CRYPTO_KEY_LEN], check[CRYPTO_PUBLICKEY_LEN];
	uint8_t ad[APITOKEN_ID_LEN + CRYPTO_PUBLICKEY_LEN];
	char id[APITOKEN_ID_LEN + 1];
	struct secret *sk = NULL;
	int ret = -1;

	*sk_out = NULL;
	if (apitoken_parse(text, id) < 0 || secret_bytes(text, raw) < 0)
		return -1;
	if (crypto_kdf_derive_from_key(key, sizeof(key), 1, CTX_WRAP, raw) != 0)
		goto out;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		goto out;
	make_ad(ad, id, pk);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk->bytes, NULL, NULL,
	        wrapped + NONCE_LEN, APITOKEN_WRAPPED_LEN - NONCE_LEN, ad,
	        sizeof(ad), wrapped, key) != 0)
		goto out;
	/* The key must still be the user's: a reset made a new pair. */
	if (crypto_scalarmult_base(check, sk->bytes) != 0 ||
	    sodium_memcmp(check, pk, sizeof(check)) != 0)
		goto out;
	*sk_out = sk;
	sk = NULL;
	ret = 0;
out:
	secret_free(sk);
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(key, sizeof(key));
	return ret;
}
