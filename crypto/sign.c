/*
 * sign.c - Ed25519 keys derived from the installation secret (see sign.h).
 *
 * What is signed is BLAKE2b-512 over len(purpose) (8 bytes, little endian)
 * | purpose | msg, so purposes cannot run into messages and a message of
 * any size is signed in one step.
 */
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "sign.h"

/* crypto_kdf context: 8 characters, used for nothing else. */
#define SIGN_CONTEXT "mpsign01"
#define SIGN_SUBKEY_ID 1

_Static_assert(SIGN_PUBLICKEY_LEN == crypto_sign_PUBLICKEYBYTES, "pk size");
_Static_assert(SIGN_LEN == crypto_sign_BYTES, "signature size");
_Static_assert(crypto_sign_SEEDBYTES == CRYPTO_KEY_LEN, "seed size");

/* The key pair of the secret; sk is guarded memory the caller frees. */
static int
derive(const struct secret *s, uint8_t pk[SIGN_PUBLICKEY_LEN],
       struct secret **sk_out)
{
	struct secret *seed = NULL, *sk = NULL;
	int ret = -1;

	*sk_out = NULL;
	if (!s || s->len != CRYPTO_KEY_LEN)
		return -1;
	seed = secret_new(crypto_sign_SEEDBYTES);
	sk = secret_new(crypto_sign_SECRETKEYBYTES);
	if (!seed || !sk)
		goto out;
	if (crypto_derive(seed->bytes, s->bytes, SIGN_SUBKEY_ID,
	                  SIGN_CONTEXT) < 0 ||
	    crypto_sign_seed_keypair(pk, sk->bytes, seed->bytes) != 0)
		goto out;
	*sk_out = sk;
	sk = NULL;
	ret = 0;
out:
	secret_free(seed);
	secret_free(sk);
	return ret;
}

static void
digest(uint8_t out[crypto_generichash_BYTES_MAX], const char *purpose,
       const void *msg, size_t len)
{
	crypto_generichash_state st;
	size_t plen = strlen(purpose), i;
	uint8_t n[8];

	for (i = 0; i < sizeof(n); i++)
		n[i] = (uint8_t)((uint64_t)plen >> (8 * i));
	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES_MAX);
	crypto_generichash_update(&st, n, sizeof(n));
	crypto_generichash_update(&st, (const uint8_t *)purpose, plen);
	if (len)
		crypto_generichash_update(&st, msg, len);
	crypto_generichash_final(&st, out, crypto_generichash_BYTES_MAX);
}

int
sign_public_key(const struct secret *installation_secret,
                uint8_t pk[SIGN_PUBLICKEY_LEN])
{
	struct secret *sk;

	if (derive(installation_secret, pk, &sk) < 0)
		return -1;
	secret_free(sk);
	return 0;
}

int
sign_make(const struct secret *installation_secret, const char *purpose,
          const void *msg, size_t len, uint8_t sig[SIGN_LEN])
{
	uint8_t pk[SIGN_PUBLICKEY_LEN], d[crypto_generichash_BYTES_MAX];
	struct secret *sk;
	int ret = -1;

	if (derive(installation_secret, pk, &sk) < 0) {
		sodium_memzero(sig, SIGN_LEN);
		return -1;
	}
	digest(d, purpose, msg, len);
	if (crypto_sign_detached(sig, NULL, d, sizeof(d), sk->bytes) == 0)
		ret = 0;
	else
		sodium_memzero(sig, SIGN_LEN);
	secret_free(sk);
	return ret;
}

int
sign_check(const uint8_t pk[SIGN_PUBLICKEY_LEN], const char *purpose,
           const void *msg, size_t len, const uint8_t sig[SIGN_LEN])
{
	uint8_t d[crypto_generichash_BYTES_MAX];

	digest(d, purpose, msg, len);
	return crypto_sign_verify_detached(sig, d, sizeof(d), pk) == 0;
}
