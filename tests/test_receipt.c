/*
 * test_receipt.c - receipts: text form, parsing, what derives from them,
 * and the pool that makes them ahead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "crypto.h"
#include "envelope.h"
#include "keyring.h"
#include "receipt.h"

static int sentinel;
#define SENTINEL ((struct secret *)(void *)&sentinel)

/* [0-9A-HJKMNP-TV-Z] */
static int
crockford(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'H') ||
	       c == 'J' || c == 'K' || c == 'M' || c == 'N' ||
	       (c >= 'P' && c <= 'T') || (c >= 'V' && c <= 'Z');
}

/* ^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$ */
static int
receipt_shape(const char *s)
{
	size_t i;

	if (strlen(s) != 19)
		return 0;
	for (i = 0; i < 19; i++)
		if (i % 5 == 4 ? s[i] != '-' : !crockford(s[i]))
			return 0;
	return 1;
}

static struct secret *
new_installation_secret(void)
{
	struct secret *s = secret_new(INSTALLATION_SECRET_LEN);

	assert_non_null(s);
	crypto_random(s->bytes, s->len);
	return s;
}

static void
test_format_shape(void **state)
{
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	char text[RECEIPT_TEXT_LEN + 1];
	int i;

	(void)state;
	assert_false(receipt_shape("7KQ2-M9XD-4TRB-WP3U"));
	assert_false(receipt_shape("7KQ2-M9XD-4TRB-WP3"));
	assert_true(receipt_shape("7KQ2-M9XD-4TRB-WP3H"));
	for (i = 0; i < 200; i++) {
		receipt_new(r);
		receipt_format(r, text);
		assert_true(receipt_shape(text));
		assert_int_equal(receipt_parse(text, back), 0);
		assert_memory_equal(back, r, sizeof(r));
	}
	memset(r, 0, sizeof(r));
	receipt_format(r, text);
	assert_string_equal(text, "0000-0000-0000-0000");
	memset(r, 0xff, sizeof(r));
	receipt_format(r, text);
	assert_string_equal(text, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
}

static void
test_new_random(void **state)
{
	uint8_t a[RECEIPT_BYTES], b[RECEIPT_BYTES];

	(void)state;
	receipt_new(a);
	receipt_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_parse_tolerant(void **state)
{
	static const char *const same[] = {
		"7KQ2-M9XD-4TRB-WP3H",
		"7kq2-m9xd-4trb-wp3h",
		"7KQ2M9XD4TRBWP3H",
		"7KQ2 M9XD 4TRB WP3H",
		" 7kq2 - m9xd - 4trb - wp3h\t",
		"7-K-Q-2-M9XD4TRBWP3H",
	};
	static const char *const ones[] = {
		"0000-0000-0000-1111",
		"OOOO-oooo-0000-IiLl",
		"oooo oooo oooo 1lI1",
	};
	uint8_t want[RECEIPT_BYTES], r[RECEIPT_BYTES];
	size_t i;

	(void)state;
	assert_int_equal(receipt_parse(same[0], want), 0);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		memset(r, 0, sizeof(r));
		assert_int_equal(receipt_parse(same[i], r), 0);
		assert_memory_equal(r, want, sizeof(r));
	}
	assert_int_equal(receipt_parse(ones[0], want), 0);
	for (i = 0; i < sizeof(ones) / sizeof(ones[0]); i++) {
		memset(r, 0, sizeof(r));
		assert_int_equal(receipt_parse(ones[i], r), 0);
		assert_memory_equal(r, want, sizeof(r));
	}
}

static void
test_parse_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"7KQ2-M9XD-4TRB-WP3",		/* 15 */
		"7KQ2-M9XD-4TRB-WP3HH",		/* 17 */
		"7KQ2-M9XD-4TRB-WP3H-7",
		"7KQ2-M9XD-4TRB-WP3U",		/* U */
		"7KQ2-M9XD-4TRB-WP3*",
		"7KQ2-M9XD-4TRB-WP3H.",
		"7KQ2_M9XD_4TRB_WP3H",
		"7KQ2-M9XD-4TRB-WP3H\n",
	};
	uint8_t r[RECEIPT_BYTES], zero[RECEIPT_BYTES] = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(r, 0xaa, sizeof(r));
		assert_int_equal(receipt_parse(bad[i], r), -1);
		assert_memory_equal(r, zero, sizeof(r));
	}
}

static void
test_derive(void **state)
{
	struct secret *inst = new_installation_secret(), *other;
	struct secret *sk1 = NULL, *sk2 = NULL, *sk3 = NULL;
	uint8_t r1[RECEIPT_BYTES], r2[RECEIPT_BYTES];
	uint8_t l1[RECEIPT_LOCATOR_LEN], l1b[RECEIPT_LOCATOR_LEN];
	uint8_t l2[RECEIPT_LOCATOR_LEN], l3[RECEIPT_LOCATOR_LEN];
	uint8_t pk1[CRYPTO_PUBLICKEY_LEN], pk1b[CRYPTO_PUBLICKEY_LEN];
	uint8_t pk2[CRYPTO_PUBLICKEY_LEN], pk3[CRYPTO_PUBLICKEY_LEN];

	(void)state;
	receipt_new(r1);
	memcpy(r2, r1, sizeof(r2));
	r2[9] ^= 1;

	/* Deterministic. */
	assert_int_equal(receipt_derive(inst, r1, l1, pk1, &sk1), 0);
	assert_int_equal(receipt_derive(inst, r1, l1b, pk1b, &sk2), 0);
	assert_memory_equal(l1, l1b, sizeof(l1));
	assert_memory_equal(pk1, pk1b, sizeof(pk1));
	assert_int_equal(sk1->len, CRYPTO_SECRETKEY_LEN);
	assert_memory_equal(sk1->bytes, sk2->bytes, CRYPTO_SECRETKEY_LEN);
	secret_free(sk2);
	sk2 = NULL;

	/* The locator is not the key. */
	assert_memory_not_equal(l1, pk1, sizeof(pk1));
	assert_memory_not_equal(l1, sk1->bytes, sizeof(pk1));

	/* Optional outputs give the same values. */
	assert_int_equal(receipt_derive(inst, r1, l1b, NULL, NULL), 0);
	assert_memory_equal(l1, l1b, sizeof(l1));
	assert_int_equal(receipt_derive(inst, r1, l1b, pk1b, NULL), 0);
	assert_memory_equal(pk1, pk1b, sizeof(pk1));

	/* One bit of receipt changes everything. */
	assert_int_equal(receipt_derive(inst, r2, l2, pk2, &sk2), 0);
	assert_memory_not_equal(l1, l2, sizeof(l1));
	assert_memory_not_equal(pk1, pk2, sizeof(pk1));
	assert_memory_not_equal(sk1->bytes, sk2->bytes, CRYPTO_SECRETKEY_LEN);

	/* Another installation, the same receipt. */
	other = new_installation_secret();
	assert_int_equal(receipt_derive(other, r1, l3, pk3, &sk3), 0);
	assert_memory_not_equal(l1, l3, sizeof(l1));
	assert_memory_not_equal(pk1, pk3, sizeof(pk1));

	secret_free(sk1);
	secret_free(sk2);
	secret_free(sk3);
	secret_free(other);
	secret_free(inst);
}

static void
test_derive_bad_secret(void **state)
{
	struct secret *inst = secret_new(INSTALLATION_SECRET_LEN - 1);
	struct secret *sk = SENTINEL;
	uint8_t r[RECEIPT_BYTES], loc[RECEIPT_LOCATOR_LEN];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];

	(void)state;
	receipt_new(r);
	assert_int_equal(receipt_derive(inst, r, loc, pk, &sk), -1);
	assert_null(sk);
	assert_int_equal(receipt_derive(NULL, r, loc, NULL, NULL), -1);
	secret_free(inst);
}

static void
test_reporter_opens(void **state)
{
	struct secret *inst = new_installation_secret(), *sk = NULL;
	struct secret *plain = NULL;
	uint8_t r[RECEIPT_BYTES], back[RECEIPT_BYTES];
	uint8_t loc[RECEIPT_LOCATOR_LEN], loc2[RECEIPT_LOCATOR_LEN];
	uint8_t pk[1][CRYPTO_PUBLICKEY_LEN], pk2[CRYPTO_PUBLICKEY_LEN];
	char text[RECEIPT_TEXT_LEN + 1];
	uint8_t *env;
	size_t envlen;

	(void)state;
	/* At submission: only the public key. */
	receipt_new(r);
	assert_int_equal(receipt_derive(inst, r, loc, pk[0], NULL), 0);
	assert_int_equal(envelope_seal((const uint8_t *)"hallo", 5, NULL, loc,
	                               sizeof(loc),
	                               (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                               pk, 1, &env, &envlen), 0);
	receipt_format(r, text);
	crypto_wipe(r, sizeof(r));

	/* Coming back with the receipt typed in lower case. */
	text[0] = (char)tolower((unsigned char)text[0]);
	assert_int_equal(receipt_parse(text, back), 0);
	assert_int_equal(receipt_derive(inst, back, loc2, pk2, &sk), 0);
	assert_memory_equal(loc2, loc, sizeof(loc));
	assert_int_equal(envelope_open(env, envlen, loc2, sizeof(loc2), pk2, sk,
	                               &plain), 0);
	assert_int_equal(plain->len, 5);
	assert_memory_equal(plain->bytes, "hallo", 5);

	secret_free(plain);
	secret_free(sk);
	secret_free(inst);
	free(env);
}

/*
 * A new report's sealer is the reporter's key pair: the same locator and
 * public key as receipt_derive, every slot's ephemeral key is that public
 * key, the reporter's own slot (a self slot) and a keyring's open, and
 * coming back with the receipt opens them.
 */
static void
test_sealer_is_reporter(void **state)
{
	struct secret *inst = new_installation_secret(), *sk = NULL;
	struct secret *ring_sk = NULL, *plain = NULL;
	struct envelope_sealer *sealer = NULL;
	uint8_t r[RECEIPT_BYTES], loc[RECEIPT_LOCATOR_LEN];
	uint8_t loc2[RECEIPT_LOCATOR_LEN], pk2[CRYPTO_PUBLICKEY_LEN];
	uint8_t to[2][CRYPTO_PUBLICKEY_LEN], *env, *stats;
	size_t envlen, statslen, i;

	(void)state;
	assert_int_equal(keyring_create(to[0], &ring_sk), 0);
	receipt_new(r);
	assert_int_equal(receipt_sealer(inst, r, loc, to[1], &sealer), 0);
	assert_non_null(sealer);
	assert_int_equal(receipt_derive(inst, r, loc2, pk2, &sk), 0);
	assert_memory_equal(loc, loc2, sizeof(loc));
	assert_memory_equal(to[1], pk2, sizeof(pk2));
	assert_int_equal(envelope_sealer_seal(sealer, (const uint8_t *)"hallo", 5,
	                 NULL, loc, sizeof(loc), (const uint8_t (*)
	                 [CRYPTO_PUBLICKEY_LEN])to, 2, &env, &envlen), 0);
	assert_int_equal(envelope_sealer_seal(sealer, (const uint8_t *)"ja", 2,
	                 NULL, loc, sizeof(loc), (const uint8_t (*)
	                 [CRYPTO_PUBLICKEY_LEN])to, 1, &stats, &statslen), 0);
	envelope_sealer_free(sealer);
	for (i = 0; i < 2; i++)
		assert_memory_equal(env + 2 + ENVELOPE_SALT_LEN +
		                    i * ENVELOPE_SLOT_LEN + 8, pk2, sizeof(pk2));
	assert_int_equal(envelope_open(env, envlen, loc, sizeof(loc), pk2, sk,
	                               &plain), 0);
	assert_memory_equal(plain->bytes, "hallo", 5);
	secret_free(plain);
	assert_int_equal(envelope_open(env, envlen, loc, sizeof(loc), to[0],
	                               ring_sk, &plain), 0);
	assert_memory_equal(plain->bytes, "hallo", 5);
	secret_free(plain);
	assert_int_equal(envelope_open(stats, statslen, loc, sizeof(loc), to[0],
	                               ring_sk, &plain), 0);
	assert_memory_equal(plain->bytes, "ja", 2);
	secret_free(plain);
	/* Another receipt's key finds no slot. */
	r[0] ^= 1;
	secret_free(sk);
	assert_int_equal(receipt_derive(inst, r, loc2, pk2, &sk), 0);
	plain = SENTINEL;
	assert_int_equal(envelope_open(env, envlen, loc, sizeof(loc), pk2, sk,
	                               &plain), -1);
	assert_null(plain);

	/* A bad installation secret: no sealer. */
	secret_free(inst);
	inst = secret_new(INSTALLATION_SECRET_LEN - 1);
	sealer = (struct envelope_sealer *)(void *)&sentinel;
	assert_int_equal(receipt_sealer(inst, r, loc, pk2, &sealer), -1);
	assert_null(sealer);

	secret_free(sk);
	secret_free(ring_sk);
	secret_free(inst);
	free(env);
	free(stats);
}

/* Wait, bounded, until the pool holds n receipts. */
static void
wait_ready(struct receipt_pool *pool, size_t n)
{
	time_t until = time(NULL) + 30;

	while (receipt_pool_ready(pool) < n) {
		if (time(NULL) > until)
			fail_msg("the pool made %zu of %zu receipts in 30 s",
			         receipt_pool_ready(pool), n);
		usleep(2000);
	}
}

/*
 * A receipt from the pool is one receipt_sealer would have made from its
 * bytes: the same locator and public key, and what its sealer seals opens
 * with the key pair receipt_derive gives for the receipt text.
 */
static void
check_made(const struct secret *inst, struct receipt_made *m)
{
	uint8_t loc[RECEIPT_LOCATOR_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t to[1][CRYPTO_PUBLICKEY_LEN], back[RECEIPT_BYTES], *env;
	char text[RECEIPT_TEXT_LEN + 1];
	struct secret *sk = NULL, *plain = NULL;
	size_t envlen;

	assert_non_null(m->sealer);
	receipt_format(m->r, text);
	assert_int_equal(receipt_parse(text, back), 0);
	assert_int_equal(receipt_derive(inst, back, loc, pk, &sk), 0);
	assert_memory_equal(loc, m->locator, sizeof(loc));
	assert_memory_equal(pk, m->reporter_pk, sizeof(pk));
	memcpy(to[0], pk, sizeof(pk));
	assert_int_equal(envelope_sealer_seal(m->sealer, (const uint8_t *)"hallo",
	                 5, NULL, loc, sizeof(loc), (const uint8_t (*)
	                 [CRYPTO_PUBLICKEY_LEN])to, 1, &env, &envlen), 0);
	assert_int_equal(envelope_open(env, envlen, loc, sizeof(loc), pk, sk,
	                               &plain), 0);
	assert_memory_equal(plain->bytes, "hallo", 5);
	secret_free(plain);
	secret_free(sk);
	free(env);
}

/*
 * The pool fills itself up to its capacity and no further, hands out each
 * receipt once (all distinct, the count goes down by one a take), every
 * one of them opens as a receipt made on the spot, and it fills up again.
 */
static void
test_pool(void **state)
{
	enum { CAP = 6 };
	struct secret *inst = new_installation_secret();
	struct receipt_pool *pool = receipt_pool_start(inst, CAP);
	struct receipt_made m[CAP];
	size_t i, j;

	(void)state;
	assert_non_null(pool);
	wait_ready(pool, CAP);
	usleep(20000);
	assert_int_equal(receipt_pool_ready(pool), CAP);
	for (i = 0; i < CAP; i++) {
		size_t before = receipt_pool_ready(pool);

		assert_int_equal(receipt_pool_take(pool, &m[i]), 1);
		/* The filler may have made one since, never two. */
		assert_true(receipt_pool_ready(pool) <= before);
		check_made(inst, &m[i]);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(m[i].r, m[j].r, RECEIPT_BYTES);
		envelope_sealer_free(m[i].sealer);
	}
	wait_ready(pool, CAP);
	assert_int_equal(receipt_pool_take(pool, &m[0]), 1);
	for (j = 1; j < CAP; j++)
		assert_memory_not_equal(m[0].r, m[j].r, RECEIPT_BYTES);
	envelope_sealer_free(m[0].sealer);
	receipt_pool_stop(pool);
	secret_free(inst);
}

/*
 * An empty pool, a pool of none and no pool give nothing and a zeroed
 * receipt_made: the caller makes its receipt itself. A bad installation
 * secret makes nothing either (and stops cleanly).
 */
static void
test_pool_empty(void **state)
{
	struct secret *inst = new_installation_secret();
	struct receipt_pool *pool = receipt_pool_start(inst, 0);
	struct receipt_made m;
	static const struct receipt_made zero;

	(void)state;
	assert_non_null(pool);
	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(receipt_pool_take(pool, &m), 0);
	assert_memory_equal(&m, &zero, sizeof(m));
	assert_int_equal(receipt_pool_ready(pool), 0);
	receipt_pool_stop(pool);
	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(receipt_pool_take(NULL, &m), 0);
	assert_memory_equal(&m, &zero, sizeof(m));
	receipt_pool_stop(NULL);

	secret_free(inst);
	inst = secret_new(INSTALLATION_SECRET_LEN - 1);
	pool = receipt_pool_start(inst, 4);
	assert_non_null(pool);
	usleep(50000);
	assert_int_equal(receipt_pool_take(pool, &m), 0);
	receipt_pool_stop(pool);
	secret_free(inst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_shape),
		cmocka_unit_test(test_new_random),
		cmocka_unit_test(test_parse_tolerant),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_derive_bad_secret),
		cmocka_unit_test(test_reporter_opens),
		cmocka_unit_test(test_sealer_is_reporter),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_empty),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("receipt", tests, NULL, NULL);
}
