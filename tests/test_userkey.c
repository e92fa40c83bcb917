/*
 * test_userkey.c - password-wrapped private keys.
 *
 * All but one test use PWHASH_FAST; test_default_params hashes with the
 * real cost once.
 */
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "crypto.h"
#include "keyring.h"
#include "installation.h"
#include "userkey.h"

#define PW "correct horse battery staple"

/* Offsets of the stored cost (userkey.h layout). */
#define OFF_OPS 1
#define OFF_MEM 5

/* A non-NULL pointer that no function returns, to see outputs reset. */
static int sentinel;
#define SENTINEL ((struct secret *)(void *)&sentinel)

/* 1 when needle occurs in hay. */
static int
contains(const uint8_t *hay, size_t haylen, const uint8_t *needle, size_t len)
{
	size_t i;

	for (i = 0; i + len <= haylen; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return 1;
	return 0;
}

static void
put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
test_roundtrip(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], check[CRYPTO_PUBLICKEY_LEN];
	uint8_t wrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = NULL, *sk2 = SENTINEL;

	(void)state;
	assert_int_equal(USERKEY_WRAPPED_LEN, 101);
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk,
	                                wrapped, &sk), 0);
	assert_non_null(sk);
	assert_int_equal(sk->len, CRYPTO_SECRETKEY_LEN);
	assert_int_equal(keyring_public(sk, check), 0);
	assert_memory_equal(check, pk, sizeof(pk));
	/* The private key is not stored in clear. */
	assert_false(contains(wrapped, sizeof(wrapped), sk->bytes, 8));

	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk2), 0);
	assert_non_null(sk2);
	assert_ptr_not_equal(sk2, SENTINEL);
	assert_int_equal(sk2->len, sk->len);
	assert_memory_equal(sk2->bytes, sk->bytes, sk->len);
	secret_free(sk2);
	secret_free(sk);
}

static void
test_without_sk_out(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = NULL;

	(void)state;
	assert_int_equal(userkey_create("", 0, &PWHASH_FAST, pk, wrapped,
	                                NULL), 0);
	/* An empty password is a password too; the policy is elsewhere. */
	assert_int_equal(userkey_unwrap("", 0, pk, wrapped, &sk), 0);
	assert_non_null(sk);
	secret_free(sk);
	assert_int_equal(userkey_unwrap("x", 1, pk, wrapped, &sk), -1);
	assert_null(sk);
}

static void
test_wrong_password(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = SENTINEL;

	(void)state;
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk,
	                                wrapped, NULL), 0);
	assert_int_equal(userkey_unwrap("correct horse battery stapl", 27, pk,
	                                wrapped, &sk), -1);
	assert_null(sk);
	sk = SENTINEL;
	assert_int_equal(userkey_unwrap("Correct horse battery staple", 28, pk,
	                                wrapped, &sk), -1);
	assert_null(sk);
	/* pwlen counts, not the NUL. */
	sk = SENTINEL;
	assert_int_equal(userkey_unwrap(PW, strlen(PW) - 1, pk, wrapped, &sk),
	                 -1);
	assert_null(sk);
}

static void
test_rewrap(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	uint8_t rewrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = NULL, *got = NULL;

	(void)state;
	assert_int_equal(userkey_create("old", 3, &PWHASH_FAST, pk, wrapped,
	                                &sk), 0);
	assert_int_equal(userkey_rewrap(sk, pk, "new", 3, &PWHASH_FAST,
	                                rewrapped), 0);
	assert_memory_not_equal(wrapped, rewrapped, sizeof(wrapped));

	assert_int_equal(userkey_unwrap("old", 3, pk, rewrapped, &got), -1);
	assert_null(got);
	assert_int_equal(userkey_unwrap("new", 3, pk, rewrapped, &got), 0);
	assert_memory_equal(got->bytes, sk->bytes, CRYPTO_SECRETKEY_LEN);
	secret_free(got);
	/* The old blob still opens with the old password only. */
	assert_int_equal(userkey_unwrap("new", 3, pk, wrapped, &got), -1);
	assert_int_equal(userkey_unwrap("old", 3, pk, wrapped, &got), 0);
	secret_free(got);

	/* Rewrapping is randomised: salt and nonce are fresh. */
	assert_int_equal(userkey_rewrap(sk, pk, "new", 3, &PWHASH_FAST,
	                                wrapped), 0);
	assert_memory_not_equal(wrapped, rewrapped, sizeof(wrapped));
	secret_free(sk);
}

static void
test_rewrap_refuses_mismatch(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], pk2[CRYPTO_PUBLICKEY_LEN];
	uint8_t wrapped[USERKEY_WRAPPED_LEN], zero[USERKEY_WRAPPED_LEN] = {0};
	struct secret *sk = NULL, *sk2 = NULL, *short_sk;

	(void)state;
	assert_int_equal(keyring_create(pk, &sk), 0);
	assert_int_equal(keyring_create(pk2, &sk2), 0);
	memset(wrapped, 0xaa, sizeof(wrapped));
	assert_int_equal(userkey_rewrap(sk, pk2, "pw", 2, &PWHASH_FAST,
	                                wrapped), -1);
	assert_memory_equal(wrapped, zero, sizeof(wrapped));
	short_sk = secret_new(31);
	assert_int_equal(userkey_rewrap(short_sk, pk, "pw", 2, &PWHASH_FAST,
	                                wrapped), -1);
	secret_free(short_sk);
	secret_free(sk);
	secret_free(sk2);
}

static void
test_every_byte(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = SENTINEL;
	size_t i;
	unsigned bit;

	(void)state;
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk,
	                                wrapped, NULL), 0);
	for (i = 0; i < sizeof(wrapped); i++) {
		/*
		 * Low bits only: a high bit in the memory cost would ask for
		 * up to a gigabyte, which is allowed but slow.
		 */
		for (bit = 0; bit < 2; bit++) {
			wrapped[i] ^= (uint8_t)(1u << bit);
			sk = SENTINEL;
			assert_int_equal(userkey_unwrap(PW, strlen(PW), pk,
			                                wrapped, &sk), -1);
			assert_null(sk);
			wrapped[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* The public key is bound too. */
	for (i = 0; i < sizeof(pk); i++) {
		pk[i] ^= 0x80;
		assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped,
		                                &sk), -1);
		assert_null(sk);
		pk[i] ^= 0x80;
	}
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), 0);
	secret_free(sk);
}

static void
test_other_pk(void **state)
{
	uint8_t pk1[CRYPTO_PUBLICKEY_LEN], pk2[CRYPTO_PUBLICKEY_LEN];
	uint8_t w1[USERKEY_WRAPPED_LEN], w2[USERKEY_WRAPPED_LEN];
	struct secret *sk = SENTINEL;

	(void)state;
	/* Same password for both users. */
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk1, w1,
	                                NULL), 0);
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk2, w2,
	                                NULL), 0);
	assert_memory_not_equal(pk1, pk2, sizeof(pk1));
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk2, w1, &sk), -1);
	assert_null(sk);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk1, w2, &sk), -1);
	assert_null(sk);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk1, w1, &sk), 0);
	secret_free(sk);
}

static void
test_absurd_params(void **state)
{
	const struct pwhash_params too_many_ops = { 11, PWHASH_FAST.memlimit };
	const struct pwhash_params too_much_mem = {
		1, ((size_t)1 << 30) + 1024
	};
	const struct pwhash_params too_little_mem = { 1, 4096 };
	const struct pwhash_params no_ops = { 0, PWHASH_FAST.memlimit };
	const struct pwhash_params max_ops = { 10, PWHASH_FAST.memlimit };
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	uint8_t good[USERKEY_WRAPPED_LEN];
	struct secret *sk = SENTINEL;
	double t0;

	(void)state;
	/* Creating refuses them too. */
	assert_int_equal(userkey_create(PW, strlen(PW), &too_many_ops, pk,
	                                wrapped, NULL), -1);
	assert_int_equal(userkey_create(PW, strlen(PW), &too_much_mem, pk,
	                                wrapped, NULL), -1);
	assert_int_equal(userkey_create(PW, strlen(PW), &too_little_mem, pk,
	                                wrapped, NULL), -1);
	assert_int_equal(userkey_create(PW, strlen(PW), &no_ops, pk, wrapped,
	                                NULL), -1);
	/* The edge is allowed. */
	assert_int_equal(userkey_create(PW, strlen(PW), &max_ops, pk, good,
	                                NULL), 0);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, good, &sk), 0);
	secret_free(sk);

	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_FAST, pk, good,
	                                NULL), 0);
	/*
	 * Stored costs out of bounds are refused before any hashing: the
	 * 1 GiB + 1 KiB and 100 GiB costs would take seconds or fail to
	 * allocate, so finishing all of these quickly shows no hash ran.
	 */
	t0 = test_seconds();
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_MEM, (uint64_t)100 << 30, 8);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	assert_null(sk);
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_MEM, ((uint64_t)1 << 30) + 1024, 8);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_MEM, UINT64_MAX, 8);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_OPS, 0xffffffff, 4);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_OPS, 11, 4);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	memcpy(wrapped, good, sizeof(good));
	put_le(wrapped + OFF_OPS, 0, 4);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	memcpy(wrapped, good, sizeof(good));
	wrapped[0] = 2;
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &sk), -1);
	assert_null(sk);
	assert_true(test_seconds() - t0 < 0.25);
}

static void
test_default_params(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	struct secret *sk = NULL, *got = NULL;

	(void)state;
	assert_true(PWHASH_DEFAULT.opslimit >= 2);
	assert_true(PWHASH_DEFAULT.memlimit >= (size_t)64 << 20);
	assert_int_equal(userkey_create(PW, strlen(PW), &PWHASH_DEFAULT, pk,
	                                wrapped, &sk), 0);
	assert_int_equal(userkey_unwrap(PW, strlen(PW), pk, wrapped, &got), 0);
	assert_memory_equal(got->bytes, sk->bytes, CRYPTO_SECRETKEY_LEN);
	secret_free(got);
	secret_free(sk);
}

/*
 * Version 2 (issue 15 point 5): bound to the installation secret. The
 * right password with another installation.key, or with none (a copy of
 * the database alone), unwraps nothing; version 1 still opens.
 */
static void
test_bound_to_installation(void **state)
{
	const char *pw = "correct horse battery staple";
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], w[USERKEY_WRAPPED_LEN];
	uint8_t pk1[CRYPTO_PUBLICKEY_LEN], w1[USERKEY_WRAPPED_LEN];
	struct secret *a = NULL, *b = NULL, *sk = NULL, *got = NULL;

	(void)state;
	assert_int_equal(installation_secret_new(&a), 0);
	assert_int_equal(installation_secret_new(&b), 0);
	assert_int_equal(userkey_create_in(pw, strlen(pw), &PWHASH_FAST, a, pk, w,
	                                   &sk), 0);
	assert_int_equal(userkey_version(w), USERKEY_VERSION);
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), a, pk, w, &got), 0);
	assert_memory_equal(got->bytes, sk->bytes, sk->len);
	secret_free(got);
	/* Another installation's secret, and none at all: nothing. */
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), b, pk, w, &got), -1);
	assert_null(got);
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), NULL, pk, w, &got), -1);
	assert_int_equal(userkey_unwrap(pw, strlen(pw), pk, w, &got), -1);
	/* Passed off as version 1 (the header is bound in): nothing either. */
	w[0] = 1;
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), a, pk, w, &got), -1);
	w[0] = 2;
	/* Re-wrapped in place: still bound, still the same key. */
	assert_int_equal(userkey_rewrap_in(sk, pk, pw, strlen(pw), &PWHASH_FAST,
	                                   a, w), 0);
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), a, pk, w, &got), 0);
	secret_free(got);
	assert_int_equal(userkey_rewrap_in(sk, pk, pw, strlen(pw), &PWHASH_FAST,
	                                   NULL, w), -1);
	/* Version 1, the password alone, opens with or without a secret. */
	assert_int_equal(userkey_create(pw, strlen(pw), &PWHASH_FAST, pk1, w1,
	                                NULL), 0);
	assert_int_equal(userkey_version(w1), 1);
	assert_int_equal(userkey_unwrap_in(pw, strlen(pw), a, pk1, w1, &got), 0);
	secret_free(got);
	secret_free(sk);
	secret_free(a);
	secret_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_to_installation),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_without_sk_out),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_rewrap),
		cmocka_unit_test(test_rewrap_refuses_mismatch),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_other_pk),
		cmocka_unit_test(test_absurd_params),
		cmocka_unit_test(test_default_params),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("userkey", tests, NULL, NULL);
}
