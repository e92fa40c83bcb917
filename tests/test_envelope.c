/*
 * test_envelope.c - multi-recipient encryption of report content.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "crypto.h"
#include "envelope.h"
#include "keyring.h"

static int sentinel;
#define SENTINEL ((struct secret *)(void *)&sentinel)

#define AD "report:42"
#define PLAIN "Melding: agressie op afdeling 3B, dinsdagavond."

struct pair {
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

/* Recipients 0..3 and one outsider, made once for the group. */
struct fixture {
	struct pair r[ENVELOPE_MAX_RECIPIENTS + 1];
	struct pair outsider;
	uint8_t pks[ENVELOPE_MAX_RECIPIENTS + 1][CRYPTO_PUBLICKEY_LEN];
};

static int
setup(void **state)
{
	struct fixture *f;
	size_t i;

	if (crypto_init() < 0)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	for (i = 0; i <= ENVELOPE_MAX_RECIPIENTS; i++) {
		if (keyring_create(f->r[i].pk, &f->r[i].sk) < 0)
			return -1;
		memcpy(f->pks[i], f->r[i].pk, CRYPTO_PUBLICKEY_LEN);
	}
	if (keyring_create(f->outsider.pk, &f->outsider.sk) < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i <= ENVELOPE_MAX_RECIPIENTS; i++)
		secret_free(f->r[i].sk);
	secret_free(f->outsider.sk);
	free(f);
	return 0;
}

static int
contains(const uint8_t *hay, size_t haylen, const void *needle, size_t len)
{
	size_t i;

	for (i = 0; i + len <= haylen; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return 1;
	return 0;
}

static void
seal(const struct fixture *f, const void *plain, size_t len, size_t n,
     uint8_t **env, size_t *envlen)
{
	assert_int_equal(envelope_seal(plain, len, (const uint8_t *)AD,
	                               strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, n, env, envlen), 0);
	assert_non_null(*env);
	assert_int_equal(*envlen, envelope_size(len, n));
}

/* 0 when pair opens env with AD and finds plain, -1 when it cannot open. */
static int
try_open(const uint8_t *env, size_t envlen, const struct pair *p,
         const void *plain, size_t len)
{
	struct secret *got = SENTINEL;

	if (envelope_open(env, envlen, (const uint8_t *)AD, strlen(AD), p->pk,
	                  p->sk, &got) < 0) {
		assert_null(got);
		return -1;
	}
	assert_non_null(got);
	assert_int_equal(got->len, len);
	if (len)
		assert_memory_equal(got->bytes, plain, len);
	secret_free(got);
	return 0;
}

static void
test_roundtrip(void **state)
{
	struct fixture *f = *state;
	uint8_t *env;
	size_t envlen, n, i;

	for (n = 1; n <= 3; n++) {
		seal(f, PLAIN, strlen(PLAIN), n, &env, &envlen);
		assert_int_equal(envlen, 2 + n * ENVELOPE_SLOT_LEN + 24 +
		                 strlen(PLAIN) + 16);
		assert_int_equal(env[1], n);
		for (i = 0; i < n; i++)
			assert_int_equal(try_open(env, envlen, &f->r[i], PLAIN,
			                          strlen(PLAIN)), 0);
		/* The next key pair is not a recipient. */
		assert_int_equal(try_open(env, envlen, &f->r[n], PLAIN,
		                          strlen(PLAIN)), -1);
		assert_int_equal(try_open(env, envlen, &f->outsider, PLAIN,
		                          strlen(PLAIN)), -1);
		free(env);
	}

	seal(f, PLAIN, strlen(PLAIN), ENVELOPE_MAX_RECIPIENTS, &env, &envlen);
	for (i = 0; i < ENVELOPE_MAX_RECIPIENTS; i++)
		assert_int_equal(try_open(env, envlen, &f->r[i], PLAIN,
		                          strlen(PLAIN)), 0);
	free(env);
}

static void
test_two_steps(void **state)
{
	struct fixture *f = *state;
	struct secret *k0 = NULL, *k1 = NULL, *got = SENTINEL, *wrong;
	uint8_t *env;
	size_t envlen;

	seal(f, PLAIN, strlen(PLAIN), 2, &env, &envlen);
	assert_int_equal(envelope_open_key(env, envlen, f->r[0].pk, f->r[0].sk,
	                                   &k0), 0);
	assert_int_equal(envelope_open_key(env, envlen, f->r[1].pk, f->r[1].sk,
	                                   &k1), 0);
	assert_int_equal(k0->len, CRYPTO_KEY_LEN);
	/* One data key, sealed twice. */
	assert_memory_equal(k0->bytes, k1->bytes, CRYPTO_KEY_LEN);
	assert_int_equal(envelope_decrypt(env, envlen, (const uint8_t *)AD,
	                                  strlen(AD), k0, &got), 0);
	assert_memory_equal(got->bytes, PLAIN, strlen(PLAIN));
	secret_free(got);

	/* A recipient's pk with another's sk. */
	got = SENTINEL;
	assert_int_equal(envelope_open_key(env, envlen, f->r[0].pk, f->r[1].sk,
	                                   &got), -1);
	assert_null(got);

	/* Another data key. */
	wrong = secret_from(k0->bytes, k0->len);
	wrong->bytes[0] ^= 1;
	got = SENTINEL;
	assert_int_equal(envelope_decrypt(env, envlen, (const uint8_t *)AD,
	                                  strlen(AD), wrong, &got), -1);
	assert_null(got);
	secret_free(wrong);
	secret_free(k0);
	secret_free(k1);
	free(env);
}

static void
test_every_byte(void **state)
{
	struct fixture *f = *state;
	uint8_t *env;
	size_t envlen, i, r;
	unsigned bit;

	seal(f, "sixteen bytes!!!", 16, 2, &env, &envlen);
	for (i = 0; i < envlen; i++) {
		for (bit = 0; bit < 8; bit += 7) {
			env[i] ^= (uint8_t)(1u << bit);
			/* Both readers: any slot's change fails both. */
			for (r = 0; r < 2; r++)
				assert_int_equal(try_open(env, envlen, &f->r[r],
				                          NULL, 0), -1);
			env[i] ^= (uint8_t)(1u << bit);
		}
	}
	for (r = 0; r < 2; r++)
		assert_int_equal(try_open(env, envlen, &f->r[r],
		                          "sixteen bytes!!!", 16), 0);
	free(env);
}

static void
test_wrong_ad(void **state)
{
	struct fixture *f = *state;
	struct secret *got = SENTINEL;
	uint8_t *env;
	size_t envlen;

	seal(f, PLAIN, strlen(PLAIN), 1, &env, &envlen);
	assert_int_equal(envelope_open(env, envlen,
	                               (const uint8_t *)"report:43", 9,
	                               f->r[0].pk, f->r[0].sk, &got), -1);
	assert_null(got);
	assert_int_equal(envelope_open(env, envlen, (const uint8_t *)AD,
	                               strlen(AD) - 1, f->r[0].pk, f->r[0].sk,
	                               &got), -1);
	assert_int_equal(envelope_open(env, envlen, NULL, 0, f->r[0].pk,
	                               f->r[0].sk, &got), -1);
	assert_null(got);
	free(env);

	/* No ad at all, and then some. */
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 1, &env, &envlen), 0);
	assert_int_equal(envelope_open(env, envlen, NULL, 0, f->r[0].pk,
	                               f->r[0].sk, &got), 0);
	secret_free(got);
	assert_int_equal(envelope_open(env, envlen, (const uint8_t *)"", 0,
	                               f->r[0].pk, f->r[0].sk, &got), 0);
	secret_free(got);
	assert_int_equal(envelope_open(env, envlen, (const uint8_t *)"x", 1,
	                               f->r[0].pk, f->r[0].sk, &got), -1);
	free(env);
}

static void
test_truncated(void **state)
{
	struct fixture *f = *state;
	uint8_t *env, *longer;
	size_t envlen, len;

	seal(f, PLAIN, strlen(PLAIN), 2, &env, &envlen);
	for (len = 0; len < envlen; len++)
		assert_int_equal(try_open(env, len, &f->r[1], NULL, 0), -1);
	assert_int_equal(try_open(NULL, 0, &f->r[1], NULL, 0), -1);

	longer = malloc(envlen + 1);
	memcpy(longer, env, envlen);
	longer[envlen] = 0;
	assert_int_equal(try_open(longer, envlen + 1, &f->r[1], NULL, 0), -1);
	free(longer);
	free(env);
}

static void
test_no_plaintext_inside(void **state)
{
	struct fixture *f = *state;
	uint8_t plain[256], *env;
	size_t envlen, i;

	memset(plain, 'A', sizeof(plain));
	seal(f, plain, sizeof(plain), 3, &env, &envlen);
	assert_false(contains(env, envlen, plain, 8));
	free(env);

	seal(f, PLAIN, strlen(PLAIN), 3, &env, &envlen);
	for (i = 0; i + 6 <= strlen(PLAIN); i++)
		assert_false(contains(env, envlen, PLAIN + i, 6));
	free(env);
}

static void
test_empty(void **state)
{
	struct fixture *f = *state;
	struct secret *got = NULL;
	uint8_t *env;
	size_t envlen;

	assert_int_equal(envelope_seal(NULL, 0, (const uint8_t *)AD,
	                               strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 2, &env, &envlen), 0);
	assert_int_equal(envlen, envelope_size(0, 2));
	assert_int_equal(envelope_open(env, envlen, (const uint8_t *)AD,
	                               strlen(AD), f->r[1].pk, f->r[1].sk,
	                               &got), 0);
	assert_non_null(got);
	assert_non_null(got->bytes);
	assert_int_equal(got->len, 0);
	secret_free(got);
	env[envlen - 1] ^= 1;
	assert_int_equal(try_open(env, envlen, &f->r[1], NULL, 0), -1);
	free(env);
}

static void
test_counts_refused(void **state)
{
	struct fixture *f = *state;
	uint8_t zero[1][CRYPTO_PUBLICKEY_LEN] = {{0}};
	uint8_t *env = (uint8_t *)&sentinel;
	size_t envlen = 99;

	assert_int_equal(envelope_size(10, 0), 0);
	assert_int_equal(envelope_size(10, ENVELOPE_MAX_RECIPIENTS + 1), 0);
	assert_int_equal(envelope_size(SIZE_MAX - 10, 1), 0);

	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 0, &env, &envlen), -1);
	assert_null(env);
	assert_int_equal(envlen, 0);
	env = (uint8_t *)&sentinel;
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, ENVELOPE_MAX_RECIPIENTS + 1,
	                               &env, &envlen), -1);
	assert_null(env);
	/* A low-order point is no one's key. */
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               zero, 1, &env, &envlen), -1);
	assert_null(env);
}

static void
test_bad_header(void **state)
{
	struct fixture *f = *state;
	uint8_t *env;
	size_t envlen;

	seal(f, PLAIN, strlen(PLAIN), 1, &env, &envlen);
	/* n claims more slots than there are bytes, then zero and max+1. */
	env[1] = 200;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[1] = 0;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[1] = ENVELOPE_MAX_RECIPIENTS + 1;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[1] = 1;
	env[0] = 2;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[0] = 1;
	assert_int_equal(try_open(env, envlen, &f->r[0], PLAIN, strlen(PLAIN)),
	                 0);
	free(env);
}

static void
test_same_recipient_twice(void **state)
{
	struct fixture *f = *state;
	uint8_t pks[2][CRYPTO_PUBLICKEY_LEN], *env;
	struct secret *key = NULL;
	size_t envlen;

	memcpy(pks[0], f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(pks[1], f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               (const uint8_t *)AD, strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               pks, 2, &env, &envlen), 0);
	assert_int_equal(try_open(env, envlen, &f->r[0], PLAIN, strlen(PLAIN)),
	                 0);
	/*
	 * Damage the sealed key in the first slot: the second slot with the
	 * same id still gives the key, though the header no longer matches
	 * what the ciphertext was sealed with.
	 */
	env[2 + 8 + 40] ^= 1;
	assert_int_equal(envelope_open_key(env, envlen, f->r[0].pk, f->r[0].sk,
	                                   &key), 0);
	assert_non_null(key);
	secret_free(key);
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	free(env);
}

static void
test_large(void **state)
{
	struct fixture *f = *state;
	size_t len = 1 << 20, envlen;
	uint8_t *plain, *env;

	plain = malloc(len);
	assert_non_null(plain);
	crypto_random(plain, len);
	seal(f, plain, len, 3, &env, &envlen);
	assert_int_equal(try_open(env, envlen, &f->r[2], plain, len), 0);
	free(env);
	free(plain);
}

/* Rotation: r[0]'s slot goes to the outsider; r[1] is not touched. */
static void
test_reseal(void **state)
{
	struct fixture *f = *state;
	uint8_t *env, *re, *bad;
	size_t envlen, relen, badlen;
	struct secret *k1, *k2;

	seal(f, PLAIN, strlen(PLAIN), 2, &env, &envlen);
	assert_int_equal(envelope_has_recipient(env, envlen, f->r[0].pk), 1);
	assert_int_equal(envelope_has_recipient(env, envlen, f->outsider.pk), 0);
	/* The wrong ad, or a key that is not a recipient, changes nothing. */
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)"x", 1,
	                 f->r[0].pk, f->r[0].sk, f->outsider.pk, &bad, &badlen),
	                 -1);
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)AD,
	                 strlen(AD), f->r[2].pk, f->r[2].sk, f->outsider.pk,
	                 &bad, &badlen), -1);
	assert_null(bad);
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)AD,
	                 strlen(AD), f->r[0].pk, f->r[0].sk, f->outsider.pk,
	                 &re, &relen), 0);
	assert_int_equal(relen, envlen);
	assert_int_equal(envelope_has_recipient(re, relen, f->r[0].pk), 0);
	assert_int_equal(envelope_has_recipient(re, relen, f->outsider.pk), 1);
	assert_int_equal(try_open(re, relen, &f->outsider, PLAIN, strlen(PLAIN)),
	                 0);
	assert_int_equal(try_open(re, relen, &f->r[1], PLAIN, strlen(PLAIN)), 0);
	assert_int_equal(try_open(re, relen, &f->r[0], PLAIN, strlen(PLAIN)), -1);
	/* The same data key, so keys shared elsewhere stay valid. */
	assert_int_equal(envelope_open_key(env, envlen, f->r[1].pk, f->r[1].sk,
	                                   &k1), 0);
	assert_int_equal(envelope_open_key(re, relen, f->outsider.pk,
	                                   f->outsider.sk, &k2), 0);
	assert_memory_equal(k1->bytes, k2->bytes, k1->len);
	/* A fresh nonce: not the old ciphertext. */
	assert_memory_not_equal(re + relen - 16, env + envlen - 16, 16);
	secret_free(k1);
	secret_free(k2);
	free(re);
	free(env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_two_steps),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_wrong_ad),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_no_plaintext_inside),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_counts_refused),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_same_recipient_twice),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_reseal),
	};

	return cmocka_run_group_tests_name("envelope", tests, setup, teardown);
}
