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
	assert_int_equal(envelope_seal(plain, len, NULL, (const uint8_t *)AD,
	                               strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, n, env, envlen), 0);
	assert_non_null(*env);
	assert_int_equal(*envlen, envelope_size(len, NULL, n));
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
		assert_int_equal(envlen, 2 + ENVELOPE_SALT_LEN +
		                 n * ENVELOPE_SLOT_LEN + 24 +
		                 ENVELOPE_LENGTH_LEN + strlen(PLAIN) + 16);
		assert_int_equal(env[0], 3);
		assert_int_equal(envelope_version(env, envlen), 3);
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
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN), NULL,
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
		assert_false(contains(env, envlen, &PLAIN[i], 6));
	free(env);
}

static void
test_empty(void **state)
{
	struct fixture *f = *state;
	struct secret *got = NULL;
	uint8_t *env;
	size_t envlen;

	assert_int_equal(envelope_seal(NULL, 0, NULL, (const uint8_t *)AD,
	                               strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 2, &env, &envlen), 0);
	assert_int_equal(envlen, envelope_size(0, NULL, 2));
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

	assert_int_equal(envelope_size(10, NULL, 0), 0);
	assert_int_equal(envelope_size(10, NULL, ENVELOPE_MAX_RECIPIENTS + 1), 0);
	assert_int_equal(envelope_size(SIZE_MAX - 10, NULL, 1), 0);

	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN), NULL,
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 0, &env, &envlen), -1);
	assert_null(env);
	assert_int_equal(envlen, 0);
	env = (uint8_t *)&sentinel;
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN), NULL,
	                               NULL, 0,
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, ENVELOPE_MAX_RECIPIENTS + 1,
	                               &env, &envlen), -1);
	assert_null(env);
	/* A low-order point is no one's key. */
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN), NULL,
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
	/*
	 * The other versions (other framing and slots; version 2's
	 * framing, but the header is authenticated), and none.
	 */
	env[0] = 1;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[0] = 2;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	assert_int_equal(envelope_version(env, envlen), 2);
	env[0] = 4;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	assert_int_equal(envelope_version(env, envlen), 0);
	env[0] = 0;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
	env[0] = 3;
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
	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN), NULL,
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
	env[2 + ENVELOPE_SALT_LEN + 8 + 40] ^= 1;
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

/*
 * A version 1 envelope (one crypto_box_seal per slot), made by the
 * envelope.c of before version 2 for the key pairs from the seeds 32 x
 * 0x11 and 32 x 0x22, ad AD: stored reports keep opening.
 */
static const uint8_t v1_pk[2][CRYPTO_PUBLICKEY_LEN] = {
	"\x7a\x46\xe1\x29\xfd\x80\x50\x47\x44\x84\x37\xe4\x74\x4f\x1f\x15"
	"\x76\xbe\x8c\x44\x9f\xdf\x57\xe0\xc5\x80\xd3\x6c\x5c\xfc\x66\x68",
	"\x9d\x8d\x78\xb9\xc9\xe6\x66\x1e\x55\x2f\x2f\x1a\xf0\x20\x95\xee"
	"\x2f\x87\x43\xfa\x2e\x61\x83\xf4\x1b\xb7\x07\x7e\xf5\x1b\x53\x79",
};
static const uint8_t v1_sk[2][CRYPTO_SECRETKEY_LEN] = {
	"\x84\x5b\x92\x0b\xda\x4c\xd4\x9d\x25\x1d\x33\x29\x14\x4a\x0c\xf8"
	"\xbd\xaa\xa0\x75\x02\x62\x6f\xa8\x7f\x08\xe8\x0f\xae\xda\xb1\x1f",
	"\x6a\xc3\xeb\x1c\xd6\xdb\xdd\x00\x37\xd5\x03\xe6\x65\x52\x29\x50"
	"\x0a\x83\xf4\x64\xbe\x62\xca\x75\x3b\xff\x88\x4c\x43\x78\x87\xf8",
};
static const uint8_t v1_env[244] =
	"\x01\x02\xf6\x03\x7e\xea\xc7\x97\xbf\x3b\xf8\x51\xda\x3a\xd6\x4c"
	"\xf5\xf9\x79\x14\xbd\x2b\xfa\xf9\xec\x32\x96\x9f\xb3\x09\x38\x26"
	"\x10\xd2\xa6\x80\xde\x3c\xe2\x5c\x67\x1f\xc0\xab\xcc\x94\xdd\xd6"
	"\xc3\x18\x4f\x69\x8a\xa0\x0a\x0e\xe0\x14\xcc\xfc\x50\x1c\x0c\xb4"
	"\x5e\x66\xfd\xb6\xc5\xab\x10\x18\xc8\x9c\x03\x18\x87\xd0\x55\x29"
	"\xdb\xa9\x85\x97\xc1\x8b\xb6\x4e\xba\x23\x57\x2c\x9e\xb5\x79\x71"
	"\x53\xc6\xb1\xd4\x17\x17\x4e\xb1\xb5\x92\x1e\x65\x99\xcb\x36\x33"
	"\x80\xc4\xd5\xa3\xf8\xe2\x3c\x54\x15\x34\xdc\x37\x98\xbd\x8f\x52"
	"\x4b\x09\x5a\x01\xe2\xc2\x1a\x4e\x61\x7f\x1d\x90\x11\x0e\xf5\x92"
	"\x5b\x46\xd6\xae\x7a\xe8\x4d\x47\x3b\xff\xa0\x16\x5a\x34\xc9\x0c"
	"\xa4\x8b\x67\xde\x64\xfc\x6d\x8d\xe7\xf5\x7c\x1f\x1d\xb2\x85\xf2"
	"\xc3\xcd\x06\x48\xef\xf0\xb5\x03\xaf\xd0\xf3\xf7\xdf\xe6\x7a\x59"
	"\xa7\x4f\x61\x9a\xf5\x3c\x39\x5b\x99\xff\xec\x91\x89\x9a\x43\x90"
	"\x3f\xd9\x98\x61\xeb\xe7\xab\x85\x75\xb8\x7c\xeb\x20\x85\xaa\x7f"
	"\xd7\x8e\xab\x63\x09\xc2\x4e\xbd\xb2\xe8\x9a\xeb\x31\x3c\x0e\x67"
	"\x9e\x17\xd1\x45";
#define V1_PLAIN "Melding van voor versie 2."

/* Key pair i of the stored envelopes below (the caller frees its sk). */
static void
v1_pair(struct pair *p, size_t i)
{
	memcpy(p->pk, v1_pk[i], CRYPTO_PUBLICKEY_LEN);
	p->sk = secret_from(v1_sk[i], CRYPTO_SECRETKEY_LEN);
	assert_non_null(p->sk);
}

/*
 * A stored envelope (env, a copy the test may change) of an older version
 * for p[0] and p[1]: a changed last byte fails; rotation of p[0]'s slot
 * keeps its version and size, and the other slot intact.
 */
static void
stored_still_works(const struct fixture *f, uint8_t *env, size_t envlen,
                   const struct pair p[2], const char *plain)
{
	uint8_t *re;
	size_t relen;

	env[envlen - 1] ^= 1;
	assert_int_equal(try_open(env, envlen, &p[1], NULL, 0), -1);
	env[envlen - 1] ^= 1;
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)AD,
	                 strlen(AD), p[0].pk, p[0].sk, f->outsider.pk, &re,
	                 &relen), 0);
	assert_int_equal(relen, envlen);
	assert_int_equal(re[0], env[0]);
	assert_int_equal(try_open(re, relen, &f->outsider, plain,
	                          strlen(plain)), 0);
	assert_int_equal(try_open(re, relen, &p[1], plain, strlen(plain)), 0);
	assert_int_equal(try_open(re, relen, &p[0], NULL, 0), -1);
	free(re);
}

static void
test_version1_opens(void **state)
{
	struct fixture *f = *state;
	struct pair p[2];
	uint8_t env[sizeof(v1_env)];
	size_t i;

	assert_int_equal(v1_env[0], 1);
	memcpy(env, v1_env, sizeof(env));
	for (i = 0; i < 2; i++) {
		v1_pair(&p[i], i);
		assert_int_equal(envelope_has_recipient(env, sizeof(env),
		                                        p[i].pk), 1);
		assert_int_equal(try_open(env, sizeof(env), &p[i], V1_PLAIN,
		                          strlen(V1_PLAIN)), 0);
	}
	assert_int_equal(try_open(env, sizeof(env), &f->r[0], NULL, 0), -1);
	/* Damage still shows, in a slot and in the ciphertext. */
	env[2 + 8 + 40] ^= 1;
	assert_int_equal(try_open(env, sizeof(env), &p[0], NULL, 0), -1);
	assert_int_equal(try_open(env, sizeof(env), &p[1], NULL, 0), -1);
	env[2 + 8 + 40] ^= 1;
	stored_still_works(f, env, sizeof(env), p, V1_PLAIN);
	for (i = 0; i < 2; i++)
		secret_free(p[i].sk);
}

/*
 * A version 2 envelope (no length, no padding), made by the envelope.c of
 * before version 3 for v1's key pairs, ad AD: stored reports keep opening.
 */
static const uint8_t v2_env[273] =
	"\x02\x02\x68\x72\x43\xf5\xa9\x4b\x9e\xc1\xf4\x3b\x8b\x43\xc9\x9b"
	"\x4c\xec\xf6\x03\x7e\xea\xc7\x97\xbf\x3b\x68\xe1\xd5\x85\x81\xcb"
	"\x1f\x61\x01\x8f\x39\xb4\x12\x6e\xcd\x4e\x2f\xd9\xb2\xee\xbd\xb0"
	"\x06\x9d\xb5\xc3\xbe\x12\xa2\x2b\x19\x16\xac\x34\x41\x14\xa2\xba"
	"\x99\x0c\x42\x54\x0f\xfa\xe8\xea\x9d\xbe\x05\xdd\x6b\x0b\xb1\x16"
	"\x0e\xb3\x20\x38\xf5\x68\xb4\x17\xfc\xff\xcd\xe8\xb9\xef\x92\x9d"
	"\x1f\x9e\x37\x0a\x48\x2c\x9f\xe5\xff\xd7\x57\x2c\x9e\xb5\x79\x71"
	"\x53\xc6\x68\xe1\xd5\x85\x81\xcb\x1f\x61\x01\x8f\x39\xb4\x12\x6e"
	"\xcd\x4e\x2f\xd9\xb2\xee\xbd\xb0\x06\x9d\xb5\xc3\xbe\x12\xa2\x2b"
	"\x19\x16\x46\x75\x43\xb5\x47\x90\x1c\x70\x8e\xb6\x78\xcf\x63\x98"
	"\x3d\x02\x6f\x2c\xd3\x34\xfc\x75\xc6\x3c\x1f\x5d\x2f\x5f\xdf\x05"
	"\x1c\x45\xf8\xf1\x1c\x14\x8a\x03\x79\x68\x68\x9a\xd1\x5d\x9e\xd9"
	"\x24\xf7\x31\x3e\x86\x0a\x0a\xfe\xae\x42\x34\xf9\x70\xbe\xd5\x10"
	"\x28\xe9\xcc\xb6\x0c\xf1\xfe\xd5\xdc\xf8\x4d\x87\xd4\x87\x2c\xc3"
	"\x45\xe2\xfb\x0b\x5f\x61\x90\xe6\x8d\x1d\xf4\x2c\xf6\x78\xbf\xa0"
	"\x47\xf2\x4a\xde\x45\xd1\x1c\x22\xee\x27\x78\x89\xb4\x76\x8b\xdc"
	"\x89\xd6\xb2\x6f\x26\x12\x48\x21\x2e\xfc\xa9\xd3\x42\x09\x4e\x4f"
	"\xc6";
#define V2_PLAIN "Melding van versie 2, zonder opvulling."

static void
test_version2_opens(void **state)
{
	struct fixture *f = *state;
	struct pair p[2];
	uint8_t env[sizeof(v2_env)];
	size_t i;

	memcpy(env, v2_env, sizeof(env));
	assert_int_equal(envelope_version(env, sizeof(env)), 2);
	/* Its size: nothing but the plaintext after the header. */
	assert_int_equal(sizeof(env), 2 + ENVELOPE_SALT_LEN +
	                 2 * ENVELOPE_SLOT_LEN + 24 + strlen(V2_PLAIN) + 16);
	for (i = 0; i < 2; i++) {
		v1_pair(&p[i], i);
		assert_int_equal(try_open(env, sizeof(env), &p[i], V2_PLAIN,
		                          strlen(V2_PLAIN)), 0);
	}
	stored_still_works(f, env, sizeof(env), p, V2_PLAIN);
	for (i = 0; i < 2; i++)
		secret_free(p[i].sk);
}

/* Seal len bytes of 'x' with pad for r[0] and r[1]; check it opens. */
static size_t
sealed_len(const struct fixture *f, size_t len,
           const struct envelope_pad *pad)
{
	uint8_t *plain = malloc(len + 1), *env;
	size_t envlen;

	assert_non_null(plain);
	memset(plain, 'x', len);
	assert_int_equal(envelope_seal(plain, len, pad, (const uint8_t *)AD,
	                               strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 2, &env, &envlen), 0);
	assert_int_equal(envlen, envelope_size(len, pad, 2));
	assert_int_equal(try_open(env, envlen, &f->r[1], plain, len), 0);
	free(env);
	free(plain);
	return envlen;
}

static void
test_padding_block(void **state)
{
	struct fixture *f = *state;
	const struct envelope_pad pad = { ENVELOPE_PAD_BLOCK, 512 };
	const struct envelope_pad odd = { ENVELOPE_PAD_BLOCK, 300 };
	size_t one = 2 + ENVELOPE_SALT_LEN + 2 * ENVELOPE_SLOT_LEN + 24 +
	             ENVELOPE_LENGTH_LEN + 512 + 16;

	/* Empty, short, one block: all one size; the next block after. */
	assert_int_equal(sealed_len(f, 0, &pad), one);
	assert_int_equal(sealed_len(f, 1, &pad), one);
	assert_int_equal(sealed_len(f, 303, &pad), one);
	assert_int_equal(sealed_len(f, 307, &pad), one);
	assert_int_equal(sealed_len(f, 512, &pad), one);
	assert_int_equal(sealed_len(f, 513, &pad), one + 512);
	assert_int_equal(sealed_len(f, 1024, &pad), one + 512);
	assert_int_equal(sealed_len(f, 1025, &pad), one + 1024);
	/* A block of any size: the longest valid answer, say. */
	assert_int_equal(envelope_padded_len(1, &odd), 300);
	assert_int_equal(envelope_padded_len(300, &odd), 300);
	assert_int_equal(envelope_padded_len(301, &odd), 600);
	assert_int_equal(sealed_len(f, 299, &odd), sealed_len(f, 17, &odd));
	/* No policy: the length field only. */
	assert_int_equal(envelope_padded_len(7, NULL), 7);
	assert_int_equal(sealed_len(f, 7, NULL), one - 512 + 7);
	/* Overflow and a zero size are refused, not wrapped. */
	assert_int_equal(envelope_size(SIZE_MAX - 10, &pad, 1), 0);
	{
		const struct envelope_pad zero = { ENVELOPE_PAD_BLOCK, 0 };

		assert_int_equal(envelope_size(10, &zero, 1), 0);
	}
}

static void
test_padding_bucket(void **state)
{
	struct fixture *f = *state;
	const struct envelope_pad pad = { ENVELOPE_PAD_BUCKET, 64 * 1024 };
	size_t len, padded;

	/* Files of 1000 and 1100 bytes, and anything up to the first size. */
	assert_int_equal(sealed_len(f, 1000, &pad), sealed_len(f, 1100, &pad));
	assert_int_equal(sealed_len(f, 1, &pad), sealed_len(f, 65536, &pad));
	assert_int_equal(envelope_padded_len(65536, &pad), 65536);
	/* Then four sizes per doubling: 80K, 96K, 112K, 128K, 160K, ... */
	assert_int_equal(envelope_padded_len(65537, &pad), 81920);
	assert_int_equal(envelope_padded_len(81920, &pad), 81920);
	assert_int_equal(envelope_padded_len(81921, &pad), 98304);
	assert_int_equal(envelope_padded_len(100000, &pad), 114688);
	assert_int_equal(envelope_padded_len(131072, &pad), 131072);
	assert_int_equal(envelope_padded_len(131073, &pad), 163840);
	assert_int_equal(sealed_len(f, 70000, &pad), sealed_len(f, 80000, &pad));
	/* Never more than a quarter more above the first size. */
	for (len = 65537; len < (size_t)64 << 20; len = len * 9 / 8 + 7) {
		padded = envelope_padded_len(len, &pad);
		assert_true(padded >= len);
		assert_true(padded - len <= len / 4);
	}
	assert_int_equal(envelope_padded_len(SIZE_MAX - 3, &pad), 0);
}

/* Rotation keeps version 3's size and padding; the plaintext is exact. */
static void
test_padding_reseal(void **state)
{
	struct fixture *f = *state;
	const struct envelope_pad pad = { ENVELOPE_PAD_BLOCK, 512 };
	uint8_t *env, *re;
	size_t envlen, relen;

	assert_int_equal(envelope_seal((const uint8_t *)PLAIN, strlen(PLAIN),
	                               &pad, (const uint8_t *)AD, strlen(AD),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               f->pks, 2, &env, &envlen), 0);
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)AD,
	                 strlen(AD), f->r[0].pk, f->r[0].sk, f->outsider.pk,
	                 &re, &relen), 0);
	assert_int_equal(relen, envlen);
	assert_int_equal(envelope_version(re, relen), 3);
	assert_int_equal(try_open(re, relen, &f->outsider, PLAIN,
	                          strlen(PLAIN)), 0);
	assert_int_equal(try_open(re, relen, &f->r[1], PLAIN, strlen(PLAIN)),
	                 0);
	free(re);
	/* No plaintext bytes in the padding's place either. */
	assert_false(contains(env, envlen, PLAIN, 8));
	free(env);
}

/* Offsets in a version 2 or 3 envelope. */
#define SLOT(i) (2 + ENVELOPE_SALT_LEN + (i) * ENVELOPE_SLOT_LEN)
#define EPK(i) (SLOT(i) + 8)
#define WRAPPED(i) (EPK(i) + CRYPTO_PUBLICKEY_LEN)

/*
 * One sealer for two envelopes, as a report's content and statistics:
 * one ephemeral key in every slot, yet each envelope opens only for its
 * own recipients, and the same recipient's slots differ (the salt).
 */
static void
test_sealer(void **state)
{
	struct fixture *f = *state;
	uint8_t a_to[2][CRYPTO_PUBLICKEY_LEN], b_to[2][CRYPTO_PUBLICKEY_LEN];
	struct envelope_sealer *s, *other;
	struct secret *ka, *kb;
	uint8_t *a, *b, *c, *none;
	size_t alen, blen, clen, nonelen;

	memcpy(a_to[0], f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(a_to[1], f->r[1].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(b_to[0], f->r[2].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(b_to[1], f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	s = envelope_sealer_new();
	other = envelope_sealer_new();
	assert_non_null(s);
	assert_non_null(other);
	assert_int_equal(envelope_sealer_seal(s, (const uint8_t *)PLAIN,
	                 strlen(PLAIN), NULL, (const uint8_t *)AD, strlen(AD),
	                 (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])a_to, 2, &a,
	                 &alen), 0);
	assert_int_equal(envelope_sealer_seal(s, (const uint8_t *)"stats", 5, NULL,
	                 (const uint8_t *)AD, strlen(AD),
	                 (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])b_to, 2, &b,
	                 &blen), 0);
	assert_int_equal(envelope_sealer_seal(other, (const uint8_t *)"stats", 5, NULL,
	                 (const uint8_t *)AD, strlen(AD),
	                 (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])b_to, 2, &c,
	                 &clen), 0);
	/* Refusals as envelope_seal's. */
	assert_int_equal(envelope_sealer_seal(s, (const uint8_t *)"x", 1, NULL, NULL, 0,
	                 (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])a_to, 0, &none,
	                 &nonelen), -1);
	assert_null(none);
	envelope_sealer_free(s);
	envelope_sealer_free(other);

	assert_int_equal(alen, envelope_size(strlen(PLAIN), NULL, 2));
	assert_int_equal(a[0], 3);
	assert_int_equal(b[0], 3);
	/* One ephemeral key in all four slots. */
	assert_memory_equal(a + EPK(0), a + EPK(1), CRYPTO_PUBLICKEY_LEN);
	assert_memory_equal(a + EPK(0), b + EPK(0), CRYPTO_PUBLICKEY_LEN);
	assert_memory_equal(a + EPK(0), b + EPK(1), CRYPTO_PUBLICKEY_LEN);
	/* r[0] in both: same key id and ephemeral key, other wrapped key. */
	assert_memory_equal(a + SLOT(0), b + SLOT(1), 8);
	assert_memory_not_equal(a + WRAPPED(0), b + WRAPPED(1), 48);
	assert_memory_not_equal(a + 2, b + 2, ENVELOPE_SALT_LEN);

	assert_int_equal(try_open(a, alen, &f->r[0], PLAIN, strlen(PLAIN)), 0);
	assert_int_equal(try_open(a, alen, &f->r[1], PLAIN, strlen(PLAIN)), 0);
	assert_int_equal(try_open(a, alen, &f->r[2], NULL, 0), -1);
	assert_int_equal(try_open(b, blen, &f->r[2], "stats", 5), 0);
	assert_int_equal(try_open(b, blen, &f->r[0], "stats", 5), 0);
	assert_int_equal(try_open(b, blen, &f->r[1], NULL, 0), -1);
	assert_int_equal(try_open(b, blen, &f->outsider, NULL, 0), -1);
	/* Another sealer: another ephemeral key. */
	assert_memory_not_equal(c + EPK(0), b + EPK(0), CRYPTO_PUBLICKEY_LEN);
	assert_int_equal(try_open(c, clen, &f->r[2], "stats", 5), 0);

	/* Each envelope its own data key. */
	assert_int_equal(envelope_open_key(a, alen, f->r[0].pk, f->r[0].sk,
	                                   &ka), 0);
	assert_int_equal(envelope_open_key(b, blen, f->r[0].pk, f->r[0].sk,
	                                   &kb), 0);
	assert_memory_not_equal(ka->bytes, kb->bytes, CRYPTO_KEY_LEN);
	secret_free(ka);
	secret_free(kb);
	/*
	 * r[0]'s slot of b moved into a (same ephemeral key, same reader):
	 * the slot key is bound to the salt, so it gives no key in a.
	 */
	memcpy(a + SLOT(0), b + SLOT(1), ENVELOPE_SLOT_LEN);
	ka = SENTINEL;
	assert_int_equal(envelope_open_key(a, alen, f->r[0].pk, f->r[0].sk,
	                                   &ka), -1);
	assert_null(ka);
	free(a);
	free(b);
	free(c);
}

/* Rotation of a shared-key envelope: the new slot has its own key. */
static void
test_sealer_reseal(void **state)
{
	struct fixture *f = *state;
	uint8_t *env, *re;
	size_t envlen, relen;

	seal(f, PLAIN, strlen(PLAIN), 3, &env, &envlen);
	assert_int_equal(envelope_reseal(env, envlen, (const uint8_t *)AD,
	                 strlen(AD), f->r[1].pk, f->r[1].sk, f->outsider.pk,
	                 &re, &relen), 0);
	assert_int_equal(relen, envlen);
	assert_int_equal(re[0], 3);
	assert_memory_equal(re + 2, env + 2, ENVELOPE_SALT_LEN);
	assert_memory_not_equal(re + EPK(1), env + EPK(1), CRYPTO_PUBLICKEY_LEN);
	assert_memory_equal(re + SLOT(0), env + SLOT(0), ENVELOPE_SLOT_LEN);
	assert_memory_equal(re + SLOT(2), env + SLOT(2), ENVELOPE_SLOT_LEN);
	assert_int_equal(try_open(re, relen, &f->outsider, PLAIN, strlen(PLAIN)),
	                 0);
	assert_int_equal(try_open(re, relen, &f->r[0], PLAIN, strlen(PLAIN)), 0);
	assert_int_equal(try_open(re, relen, &f->r[2], PLAIN, strlen(PLAIN)), 0);
	assert_int_equal(try_open(re, relen, &f->r[1], NULL, 0), -1);
	free(re);
	free(env);
}

/*
 * A sealer from a key pair (a reporter's): that key is every slot's
 * ephemeral key; its own slot is a self slot that opens with its secret
 * key, and the other recipients open theirs as usual.
 */
static void
test_sealer_from(void **state)
{
	struct fixture *f = *state;
	uint8_t to[3][CRYPTO_PUBLICKEY_LEN], *env;
	struct envelope_sealer *s;
	size_t envlen, i;

	memcpy(to[0], f->r[1].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(to[1], f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(to[2], f->r[2].pk, CRYPTO_PUBLICKEY_LEN);
	s = envelope_sealer_from(f->r[0].pk, f->r[0].sk->bytes);
	assert_non_null(s);
	assert_int_equal(envelope_sealer_seal(s, (const uint8_t *)PLAIN,
	                 strlen(PLAIN), NULL, (const uint8_t *)AD, strlen(AD),
	                 (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])to, 3, &env,
	                 &envlen), 0);
	envelope_sealer_free(s);
	for (i = 0; i < 3; i++)
		assert_memory_equal(env + EPK(i), f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
	for (i = 0; i < 3; i++)
		assert_int_equal(try_open(env, envlen, &f->r[i], PLAIN,
		                          strlen(PLAIN)), 0);
	assert_int_equal(try_open(env, envlen, &f->outsider, NULL, 0), -1);
	/* The self slot's key comes from the secret key alone. */
	{
		struct pair wrong = { .sk = f->r[1].sk };

		memcpy(wrong.pk, f->r[0].pk, CRYPTO_PUBLICKEY_LEN);
		assert_int_equal(try_open(env, envlen, &wrong, NULL, 0), -1);
	}
	/* Damage in the self slot shows. */
	env[WRAPPED(1)] ^= 1;
	assert_int_equal(try_open(env, envlen, &f->r[0], NULL, 0), -1);
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
		cmocka_unit_test(test_version1_opens),
		cmocka_unit_test(test_version2_opens),
		cmocka_unit_test(test_padding_block),
		cmocka_unit_test(test_padding_bucket),
		cmocka_unit_test(test_padding_reseal),
		cmocka_unit_test(test_sealer),
		cmocka_unit_test(test_sealer_reseal),
		cmocka_unit_test(test_sealer_from),
	};

	return cmocka_run_group_tests_name("envelope", tests, setup, teardown);
}
