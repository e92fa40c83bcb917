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

/* crypto_kdf contexts: 8 characters, each used for nothing else. */
#define SIGN_CONTEXT "mpsign01"
#define HANDOFF_CONTEXT "mphandof"
#define SIGN_SUBKEY_ID 1

/* The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410). */
static const uint8_t spki_prefix[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
};

_Static_assert(SIGN_PUBLICKEY_LEN == crypto_sign_PUBLICKEYBYTES, "pk size");
_Static_assert(SIGN_LEN == crypto_sign_BYTES, "signature size");
_Static_assert(crypto_sign_SEEDBYTES == CRYPTO_KEY_LEN, "seed size");

/* The key pair of the secret; sk is guarded memory the caller frees. */
static int
derive_ctx(const struct secret *s, const char *context,
           uint8_t pk[SIGN_PUBLICKEY_LEN], struct secret **sk_out)
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
	if (crypto_derive(seed->bytes, s->bytes, SIGN_SUBKEY_ID, context) < 0 ||
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

static int
public_with(const struct secret *s, const char *context,
            uint8_t pk[SIGN_PUBLICKEY_LEN])
{
	struct secret *sk;

	if (derive_ctx(s, context, pk, &sk) < 0)
		return -1;
	secret_free(sk);
	return 0;
}

int
sign_public_key(const struct secret *installation_secret,
                uint8_t pk[SIGN_PUBLICKEY_LEN])
{
	return public_with(installation_secret, SIGN_CONTEXT, pk);
}

/* sig of msg with the key of context; wiped on failure. */
static int
make_with(const struct secret *s, const char *context, const void *msg,
          size_t len, uint8_t sig[SIGN_LEN])
{
	uint8_t pk[SIGN_PUBLICKEY_LEN];
	struct secret *sk;
	int ret = -1;

	if (derive_ctx(s, context, pk, &sk) < 0) {
		sodium_memzero(sig, SIGN_LEN);
		return -1;
	}
	if (crypto_sign_detached(sig, NULL, msg, len, sk->bytes) == 0)
		ret = 0;
	else
		sodium_memzero(sig, SIGN_LEN);
	secret_free(sk);
	return ret;
}

int
sign_make(const struct secret *installation_secret, const char *purpose,
          const void *msg, size_t len, uint8_t sig[SIGN_LEN])
{
	uint8_t d[crypto_generichash_BYTES_MAX];

	digest(d, purpose, msg, len);
	return make_with(installation_secret, SIGN_CONTEXT, d, sizeof(d), sig);
}

int
sign_check(const uint8_t pk[SIGN_PUBLICKEY_LEN], const char *purpose,
           const void *msg, size_t len, const uint8_t sig[SIGN_LEN])
{
	uint8_t d[crypto_generichash_BYTES_MAX];

	digest(d, purpose, msg, len);
	return crypto_sign_verify_detached(sig, d, sizeof(d), pk) == 0;
}

int
sign_handoff_public_key(const struct secret *installation_secret,
                        uint8_t pk[SIGN_PUBLICKEY_LEN])
{
	return public_with(installation_secret, HANDOFF_CONTEXT, pk);
}

int
sign_handoff_make(const struct secret *installation_secret, const void *msg,
                  size_t len, uint8_t sig[SIGN_LEN])
{
	return make_with(installation_secret, HANDOFF_CONTEXT, msg, len, sig);
}

int
sign_handoff_check(const uint8_t pk[SIGN_PUBLICKEY_LEN], const void *msg,
                   size_t len, const uint8_t sig[SIGN_LEN])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

static void
spki(const uint8_t pk[SIGN_PUBLICKEY_LEN],
     uint8_t der[sizeof(spki_prefix) + SIGN_PUBLICKEY_LEN])
{
	memcpy(der, spki_prefix, sizeof(spki_prefix));
	memcpy(der + sizeof(spki_prefix), pk, SIGN_PUBLICKEY_LEN);
}

void
sign_public_pem(const uint8_t pk[SIGN_PUBLICKEY_LEN],
                char out[SIGN_PEM_LEN + 1])
{
	static const char head[] = "-----BEGIN PUBLIC KEY-----\n";
	static const char tail[] = "\n-----END PUBLIC KEY-----\n";
	uint8_t der[sizeof(spki_prefix) + SIGN_PUBLICKEY_LEN];
	char b64[sodium_base64_ENCODED_LEN(sizeof(der),
	                                   sodium_base64_VARIANT_ORIGINAL)];

	_Static_assert(sizeof(head) - 1 + sizeof(b64) - 1 + sizeof(tail) - 1 ==
	               SIGN_PEM_LEN, "PEM size");
	spki(pk, der);
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der),
	                  sodium_base64_VARIANT_ORIGINAL);
	memcpy(out, head, sizeof(head) - 1);
	memcpy(out + sizeof(head) - 1, b64, sizeof(b64) - 1);
	memcpy(out + sizeof(head) - 1 + sizeof(b64) - 1, tail, sizeof(tail));
}

void
sign_fingerprint(const uint8_t pk[SIGN_PUBLICKEY_LEN],
                 char out[SIGN_FINGERPRINT_LEN + 1])
{
	uint8_t der[sizeof(spki_prefix) + SIGN_PUBLICKEY_LEN];
	uint8_t h[crypto_hash_sha256_BYTES];

	_Static_assert(2 * sizeof(h) == SIGN_FINGERPRINT_LEN, "fingerprint");
	spki(pk, der);
	crypto_hash_sha256(h, der, sizeof(der));
	sodium_bin2hex(out, SIGN_FINGERPRINT_LEN + 1, h, sizeof(h));
}
