/*
 * userkey.c - a user's X25519 private key wrapped under their password.
 *
 * The wrapping key is Argon2id(password, salt) with the cost stored in the
 * blob, so the cost can be raised later without breaking old blobs. The
 * stored cost is checked against fixed bounds before any hashing: a
 * tampered blob must not make the server spend a gigabyte or a minute per
 * login attempt. The whole header and the public key are the AEAD's
 * associated data, so neither can be changed or swapped without the
 * unwrap failing.
 */
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "installation.h"
#include "userkey.h"

/* Offsets into the wrapped form (userkey.h). */
#define OFF_OPS		1
#define OFF_MEM		(OFF_OPS + 4)
#define OFF_SALT	(OFF_MEM + 8)
#define OFF_NONCE	(OFF_SALT + crypto_pwhash_SALTBYTES)
#define NONCE_LEN	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define OFF_CT		(OFF_NONCE + NONCE_LEN)
#define HEADER_LEN	OFF_CT

/* Bounds on the stored cost; far above PWHASH_DEFAULT, far below harm. */
#define OPS_MAX		10
#define MEM_MAX		((size_t)1 << 30)

_Static_assert(OFF_CT + CRYPTO_SECRETKEY_LEN +
               crypto_aead_xchacha20poly1305_ietf_ABYTES == USERKEY_WRAPPED_LEN,
               "userkey layout");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == CRYPTO_KEY_LEN,
               "AEAD key size");

const struct pwhash_params PWHASH_DEFAULT = {
	crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
	crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE,
};

const struct pwhash_params PWHASH_FAST = {
	crypto_pwhash_argon2id_OPSLIMIT_MIN,
	crypto_pwhash_argon2id_MEMLIMIT_MIN,
};

static int
params_ok(uint64_t ops, uint64_t mem)
{
	return ops >= crypto_pwhash_argon2id_OPSLIMIT_MIN && ops <= OPS_MAX &&
	       mem >= crypto_pwhash_argon2id_MEMLIMIT_MIN && mem <= MEM_MAX;
}

/* The associated data: header || pk. */
static void
make_ad(uint8_t ad[HEADER_LEN + CRYPTO_PUBLICKEY_LEN],
        const uint8_t *header, const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	memcpy(ad, header, HEADER_LEN);
	memcpy(ad + HEADER_LEN, pk, CRYPTO_PUBLICKEY_LEN);
}

/*
 * Argon2id into guarded memory; for version 2 then keyed BLAKE2b under
 * the installation's user key subkey. NULL on failure (out of memory, or
 * version 2 without a usable secret).
 */
static struct secret *
derive_key(const char *password, size_t pwlen, const uint8_t *salt,
           uint64_t ops, size_t mem, unsigned version,
           const struct secret *install)
{
	uint8_t pepper[CRYPTO_KEY_LEN];
	struct secret *key;

	if (version == 2 &&
	    (!install || installation_userkey_key(install, pepper) < 0))
		return NULL;
	key = secret_new(CRYPTO_KEY_LEN);
	if (!key)
		goto out;
	if (crypto_pwhash(key->bytes, key->len, password, pwlen, salt, ops, mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		secret_free(key);
		key = NULL;
		goto out;
	}
	/* Keyed in place: what Argon2id gave is of no use without pepper. */
	if (version == 2 &&
	    crypto_generichash(key->bytes, key->len, key->bytes, key->len,
	                       pepper, sizeof(pepper)) != 0) {
		secret_free(key);
		key = NULL;
	}
out:
	sodium_memzero(pepper, sizeof(pepper));
	return key;
}

/* 1 when sk is the private key of pk. */
static int
matches(const uint8_t *sk, const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	uint8_t have[CRYPTO_PUBLICKEY_LEN];

	if (crypto_scalarmult_base(have, sk) != 0)
		return 0;
	return sodium_memcmp(have, pk, sizeof(have)) == 0;
}

unsigned
userkey_version(const uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	return wrapped[0];
}

static int
rewrap(const struct secret *sk, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
       const char *password, size_t pwlen, const struct pwhash_params *params,
       const struct secret *install, uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	uint8_t ad[HEADER_LEN + CRYPTO_PUBLICKEY_LEN];
	struct secret *key = NULL;
	int ret = -1;

	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN ||
	    !params_ok(params->opslimit, params->memlimit))
		goto out;
	/* A blob wrapped for the wrong pk could never be unwrapped. */
	if (!matches(sk->bytes, pk))
		goto out;

	wrapped[0] = install ? 2 : 1;
	crypto_put_le(wrapped + OFF_OPS, params->opslimit, 4);
	crypto_put_le(wrapped + OFF_MEM, params->memlimit, 8);
	randombytes_buf(wrapped + OFF_SALT, crypto_pwhash_SALTBYTES);
	randombytes_buf(wrapped + OFF_NONCE, NONCE_LEN);

	key = derive_key(password, pwlen, wrapped + OFF_SALT, params->opslimit,
	                 params->memlimit, wrapped[0], install);
	if (!key)
		goto out;
	make_ad(ad, wrapped, pk);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(wrapped + OFF_CT, NULL,
	    sk->bytes, sk->len, ad, sizeof(ad), NULL, wrapped + OFF_NONCE,
	    key->bytes) != 0)
		goto out;
	ret = 0;

out:
	secret_free(key);
	if (ret < 0)
		sodium_memzero(wrapped, USERKEY_WRAPPED_LEN);
	return ret;
}

int
userkey_rewrap(const struct secret *sk,
               const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
               const char *password, size_t pwlen,
               const struct pwhash_params *params,
               uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	return rewrap(sk, pk, password, pwlen, params, NULL, wrapped);
}

int
userkey_rewrap_in(const struct secret *sk,
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  const char *password, size_t pwlen,
                  const struct pwhash_params *params,
                  const struct secret *install,
                  uint8_t wrapped[USERKEY_WRAPPED_LEN])
{
	if (!install)
		return -1;
	return rewrap(sk, pk, password, pwlen, params, install, wrapped);
}

static int
create(const char *password, size_t pwlen, const struct pwhash_params *params,
       const struct secret *install, uint8_t pk[CRYPTO_PUBLICKEY_LEN],
       uint8_t wrapped[USERKEY_WRAPPED_LEN], struct secret **sk_out)
{
	struct secret *sk;

	if (sk_out)
		*sk_out = NULL;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		goto fail;
	if (crypto_box_keypair(pk, sk->bytes) != 0)
		goto fail;
	if (rewrap(sk, pk, password, pwlen, params, install, wrapped) < 0)
		goto fail;
	if (sk_out)
		*sk_out = sk;
	else
		secret_free(sk);
	return 0;

fail:
	secret_free(sk);
	sodium_memzero(pk, CRYPTO_PUBLICKEY_LEN);
	sodium_memzero(wrapped, USERKEY_WRAPPED_LEN);
	return -1;
}

int
userkey_create(const char *password, size_t pwlen,
               const struct pwhash_params *params,
               uint8_t pk[CRYPTO_PUBLICKEY_LEN],
               uint8_t wrapped[USERKEY_WRAPPED_LEN],
               struct secret **sk_out)
{
	return create(password, pwlen, params, NULL, pk, wrapped, sk_out);
}

int
userkey_create_in(const char *password, size_t pwlen,
                  const struct pwhash_params *params,
                  const struct secret *install,
                  uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  uint8_t wrapped[USERKEY_WRAPPED_LEN],
                  struct secret **sk_out)
{
	if (!install) {
		if (sk_out)
			*sk_out = NULL;
		return -1;
	}
	return create(password, pwlen, params, install, pk, wrapped, sk_out);
}

int
userkey_unwrap(const char *password, size_t pwlen,
               const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
               const uint8_t wrapped[USERKEY_WRAPPED_LEN],
               struct secret **sk_out)
{
	return userkey_unwrap_in(password, pwlen, NULL, pk, wrapped, sk_out);
}

int
userkey_unwrap_in(const char *password, size_t pwlen,
                  const struct secret *install,
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  const uint8_t wrapped[USERKEY_WRAPPED_LEN],
                  struct secret **sk_out)
{
	uint8_t ad[HEADER_LEN + CRYPTO_PUBLICKEY_LEN];
	struct secret *key = NULL, *sk = NULL;
	unsigned long long sklen;
	uint64_t ops, mem;
	int ret = -1;

	*sk_out = NULL;
	if (wrapped[0] != 1 && !(wrapped[0] == 2 && install))
		goto out;
	ops = crypto_get_le(wrapped + OFF_OPS, 4);
	mem = crypto_get_le(wrapped + OFF_MEM, 8);
	/* Before hashing: the cost comes from storage and could be forged. */
	if (!params_ok(ops, mem))
		goto out;

	key = derive_key(password, pwlen, wrapped + OFF_SALT, ops, (size_t)mem,
	                 wrapped[0], install);
	if (!key)
		goto out;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		goto out;
	make_ad(ad, wrapped, pk);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sk->bytes, &sklen, NULL,
	    wrapped + OFF_CT, USERKEY_WRAPPED_LEN - OFF_CT, ad, sizeof(ad),
	    wrapped + OFF_NONCE, key->bytes) != 0 ||
	    sklen != CRYPTO_SECRETKEY_LEN)
		goto out;
	if (!matches(sk->bytes, pk))
		goto out;
	*sk_out = sk;
	sk = NULL;
	ret = 0;

out:
	secret_free(sk);
	secret_free(key);
	return ret;
}
