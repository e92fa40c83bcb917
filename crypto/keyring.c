/*
 * keyring.c - keyring key pairs, their wrapped copies, and the recovery key.
 *
 * A wrapped copy is crypto_box_seal of the 32-byte private key: anonymous,
 * so the copy does not say who made it, and only the member's private key
 * opens it. Opening also checks that the key inside belongs to the keyring
 * the caller expects, so a copy filed under the wrong keyring is an error
 * rather than a silently wrong key.
 */
#include <sodium.h>

#include "keyring.h"

_Static_assert(KEYRING_WRAPPED_LEN == crypto_box_SEALBYTES +
               crypto_box_SECRETKEYBYTES, "keyring wrapped size");
_Static_assert(RECOVERY_TEXT_LEN == 64, "recovery text is 13 groups of 4");

int
keyring_create(uint8_t pk[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out)
{
	struct secret *sk;

	*sk_out = NULL;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		return -1;
	if (crypto_box_keypair(pk, sk->bytes) != 0) {
		secret_free(sk);
		sodium_memzero(pk, CRYPTO_PUBLICKEY_LEN);
		return -1;
	}
	*sk_out = sk;
	return 0;
}

int
keyring_wrap(const struct secret *keyring_sk,
             const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
             uint8_t wrapped[KEYRING_WRAPPED_LEN])
{
	if (!keyring_sk || keyring_sk->len != CRYPTO_SECRETKEY_LEN)
		goto fail;
	/* Fails on a low-order member_pk, which no real key pair has. */
	if (crypto_box_seal(wrapped, keyring_sk->bytes, keyring_sk->len,
	                    member_pk) != 0)
		goto fail;
	return 0;

fail:
	sodium_memzero(wrapped, KEYRING_WRAPPED_LEN);
	return -1;
}

int
keyring_public(const struct secret *sk, uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN ||
	    crypto_scalarmult_base(pk, sk->bytes) != 0) {
		sodium_memzero(pk, CRYPTO_PUBLICKEY_LEN);
		return -1;
	}
	return 0;
}

int
keyring_unwrap(const uint8_t wrapped[KEYRING_WRAPPED_LEN],
               const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
               const struct secret *member_sk,
               const uint8_t keyring_pk[CRYPTO_PUBLICKEY_LEN],
               struct secret **sk_out)
{
	uint8_t have[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = NULL;
	int ret = -1;

	*sk_out = NULL;
	if (!member_sk || member_sk->len != CRYPTO_SECRETKEY_LEN)
		goto out;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		goto out;
	if (crypto_box_seal_open(sk->bytes, wrapped, KEYRING_WRAPPED_LEN,
	                         member_pk, member_sk->bytes) != 0)
		goto out;
	if (keyring_public(sk, have) < 0 ||
	    sodium_memcmp(have, keyring_pk, sizeof(have)) != 0)
		goto out;
	*sk_out = sk;
	sk = NULL;
	ret = 0;

out:
	secret_free(sk);
	return ret;
}

int
keyring_open_sealed(const uint8_t wrapped[KEYRING_WRAPPED_LEN],
                    const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN],
                    const struct secret *member_sk, struct secret **sk_out)
{
	struct secret *sk;

	*sk_out = NULL;
	if (!member_sk || member_sk->len != CRYPTO_SECRETKEY_LEN)
		return -1;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		return -1;
	if (crypto_box_seal_open(sk->bytes, wrapped, KEYRING_WRAPPED_LEN,
	                         member_pk, member_sk->bytes) != 0) {
		secret_free(sk);
		return -1;
	}
	*sk_out = sk;
	return 0;
}

void
recovery_format(const struct secret *sk, char out[RECOVERY_TEXT_LEN + 1])
{
	/* Never print a partial or padded key. */
	if (!sk || sk->len != CRYPTO_SECRETKEY_LEN) {
		out[0] = '\0';
		return;
	}
	base32_encode(out, RECOVERY_TEXT_LEN + 1, sk->bytes, sk->len, 4);
}

int
recovery_parse(const char *text, struct secret **sk_out,
               uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	struct secret *sk;

	*sk_out = NULL;
	sk = secret_new(CRYPTO_SECRETKEY_LEN);
	if (!sk)
		goto fail;
	/* Decoding checks the count and the four padding bits of the last
	 * character, which catches most typing errors there. */
	if (base32_decode(sk->bytes, sk->len, text) < 0)
		goto fail;
	if (keyring_public(sk, pk) < 0)
		goto fail;
	*sk_out = sk;
	return 0;

fail:
	secret_free(sk);
	sodium_memzero(pk, CRYPTO_PUBLICKEY_LEN);
	return -1;
}
