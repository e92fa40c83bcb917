/*
 * test_keyring.c - keyring keys wrapped for members, and the recovery key.
 */
#include <ctype.h>
#include <string.h>

#include "testutil.h"
#include "crypto.h"
#include "keyring.h"

static int sentinel;
#define SENTINEL ((struct secret *)(void *)&sentinel)

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct pair {
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

static void
pair_new(struct pair *p)
{
	assert_int_equal(keyring_create(p->pk, &p->sk), 0);
	assert_non_null(p->sk);
}

static void
test_create_public(void **state)
{
	struct pair a, b;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *bad;

	(void)state;
	pair_new(&a);
	pair_new(&b);
	assert_int_equal(a.sk->len, CRYPTO_SECRETKEY_LEN);
	assert_int_equal(keyring_public(a.sk, pk), 0);
	assert_memory_equal(pk, a.pk, sizeof(pk));
	assert_memory_not_equal(a.pk, b.pk, sizeof(pk));
	assert_memory_not_equal(a.sk->bytes, b.sk->bytes, CRYPTO_SECRETKEY_LEN);
	bad = secret_new(16);
	assert_int_equal(keyring_public(bad, pk), -1);
	secret_free(bad);
	secret_free(a.sk);
	secret_free(b.sk);
}

static void
test_two_members(void **state)
{
	struct pair ring, m1, m2, outsider;
	uint8_t w1[KEYRING_WRAPPED_LEN], w2[KEYRING_WRAPPED_LEN];
	struct secret *got1 = NULL, *got2 = NULL, *got = SENTINEL;

	(void)state;
	assert_int_equal(KEYRING_WRAPPED_LEN, 80);
	pair_new(&ring);
	pair_new(&m1);
	pair_new(&m2);
	pair_new(&outsider);
	assert_int_equal(keyring_wrap(ring.sk, m1.pk, w1), 0);
	assert_int_equal(keyring_wrap(ring.sk, m2.pk, w2), 0);
	assert_memory_not_equal(w1, w2, sizeof(w1));

	assert_int_equal(keyring_unwrap(w1, m1.pk, m1.sk, ring.pk, &got1), 0);
	assert_int_equal(keyring_unwrap(w2, m2.pk, m2.sk, ring.pk, &got2), 0);
	assert_memory_equal(got1->bytes, ring.sk->bytes, CRYPTO_SECRETKEY_LEN);
	assert_memory_equal(got2->bytes, ring.sk->bytes, CRYPTO_SECRETKEY_LEN);
	secret_free(got1);
	secret_free(got2);

	/* Each copy is only for its member. */
	assert_int_equal(keyring_unwrap(w1, m2.pk, m2.sk, ring.pk, &got), -1);
	assert_null(got);
	got = SENTINEL;
	assert_int_equal(keyring_unwrap(w1, outsider.pk, outsider.sk, ring.pk,
	                                &got), -1);
	assert_null(got);
	/* A member's pk with an outsider's sk. */
	assert_int_equal(keyring_unwrap(w1, m1.pk, outsider.sk, ring.pk, &got),
	                 -1);

	secret_free(ring.sk);
	secret_free(m1.sk);
	secret_free(m2.sk);
	secret_free(outsider.sk);
}

static void
test_wrong_keyring(void **state)
{
	struct pair ring, other, m;
	uint8_t w[KEYRING_WRAPPED_LEN];
	struct secret *got = SENTINEL;

	(void)state;
	pair_new(&ring);
	pair_new(&other);
	pair_new(&m);
	assert_int_equal(keyring_wrap(ring.sk, m.pk, w), 0);
	/* Filed under the wrong keyring: refused, not a silently wrong key. */
	assert_int_equal(keyring_unwrap(w, m.pk, m.sk, other.pk, &got), -1);
	assert_null(got);
	assert_int_equal(keyring_unwrap(w, m.pk, m.sk, ring.pk, &got), 0);
	secret_free(got);
	secret_free(ring.sk);
	secret_free(other.sk);
	secret_free(m.sk);
}

static void
test_tampered(void **state)
{
	struct pair ring, m;
	uint8_t w[KEYRING_WRAPPED_LEN];
	struct secret *got = SENTINEL;
	size_t i;

	(void)state;
	pair_new(&ring);
	pair_new(&m);
	assert_int_equal(keyring_wrap(ring.sk, m.pk, w), 0);
	for (i = 0; i < sizeof(w); i++) {
		w[i] ^= 0x10;
		got = SENTINEL;
		assert_int_equal(keyring_unwrap(w, m.pk, m.sk, ring.pk, &got),
		                 -1);
		assert_null(got);
		w[i] ^= 0x10;
	}
	assert_int_equal(keyring_unwrap(w, m.pk, m.sk, ring.pk, &got), 0);
	secret_free(got);
	secret_free(ring.sk);
	secret_free(m.sk);
}

static void
test_wrap_refuses(void **state)
{
	struct pair ring;
	uint8_t w[KEYRING_WRAPPED_LEN], zero_pk[CRYPTO_PUBLICKEY_LEN] = {0};
	uint8_t zero[KEYRING_WRAPPED_LEN] = {0};
	struct secret *short_sk = secret_new(31);

	(void)state;
	pair_new(&ring);
	memset(w, 0xaa, sizeof(w));
	/* A low-order point is no one's public key. */
	assert_int_equal(keyring_wrap(ring.sk, zero_pk, w), -1);
	assert_memory_equal(w, zero, sizeof(w));
	assert_int_equal(keyring_wrap(short_sk, ring.pk, w), -1);
	secret_free(short_sk);
	secret_free(ring.sk);
}

static void
check_shape(const char *text)
{
	size_t i;

	assert_int_equal(strlen(text), RECOVERY_TEXT_LEN);
	assert_int_equal(RECOVERY_TEXT_LEN, 64);
	for (i = 0; i < RECOVERY_TEXT_LEN; i++) {
		if (i % 5 == 4)
			assert_int_equal(text[i], '-');
		else
			assert_non_null(strchr(alphabet, text[i]));
	}
}

static void
expect_parse(const char *text, const struct pair *rec)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = NULL;

	assert_int_equal(recovery_parse(text, &sk, pk), 0);
	assert_non_null(sk);
	assert_memory_equal(sk->bytes, rec->sk->bytes, CRYPTO_SECRETKEY_LEN);
	assert_memory_equal(pk, rec->pk, sizeof(pk));
	secret_free(sk);
}

static void
test_recovery_roundtrip(void **state)
{
	struct pair rec, ring;
	char text[RECOVERY_TEXT_LEN + 1], typed[200];
	uint8_t w[KEYRING_WRAPPED_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = NULL, *got = NULL;
	size_t i, j;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		pair_new(&rec);
		recovery_format(rec.sk, text);
		check_shape(text);
		expect_parse(text, &rec);

		/* Lower case. */
		for (i = 0; text[i]; i++)
			typed[i] = (char)tolower((unsigned char)text[i]);
		typed[i] = '\0';
		expect_parse(typed, &rec);

		/* Spaces for dashes, and none at all. */
		for (i = 0; text[i]; i++)
			typed[i] = text[i] == '-' ? ' ' : text[i];
		typed[i] = '\0';
		expect_parse(typed, &rec);
		for (i = j = 0; text[i]; i++)
			if (text[i] != '-')
				typed[j++] = text[i];
		typed[j] = '\0';
		assert_int_equal(j, 52);
		expect_parse(typed, &rec);

		/* O for 0, I, i, L and l for 1, spaces around. */
		j = 0;
		typed[j++] = ' ';
		for (i = 0; text[i]; i++) {
			if (text[i] == '0')
				typed[j++] = i % 2 ? 'O' : 'o';
			else if (text[i] == '1')
				typed[j++] = "IiLl"[i % 4];
			else
				typed[j++] = text[i];
		}
		typed[j++] = ' ';
		typed[j] = '\0';
		expect_parse(typed, &rec);

		secret_free(rec.sk);
	}

	/* The parsed key opens what was wrapped for the recovery key. */
	pair_new(&rec);
	pair_new(&ring);
	recovery_format(rec.sk, text);
	assert_int_equal(keyring_wrap(ring.sk, rec.pk, w), 0);
	assert_int_equal(recovery_parse(text, &sk, pk), 0);
	assert_int_equal(keyring_unwrap(w, pk, sk, ring.pk, &got), 0);
	assert_memory_equal(got->bytes, ring.sk->bytes, CRYPTO_SECRETKEY_LEN);
	secret_free(got);
	secret_free(sk);
	secret_free(rec.sk);
	secret_free(ring.sk);
}

static void
test_recovery_refused(void **state)
{
	struct pair rec;
	char text[RECOVERY_TEXT_LEN + 1], typed[RECOVERY_TEXT_LEN + 3];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], zero[CRYPTO_PUBLICKEY_LEN] = {0};
	struct secret *sk = SENTINEL;
	const char *p;

	(void)state;
	pair_new(&rec);
	recovery_format(rec.sk, text);

	/* One character short, one too many. */
	memcpy(typed, text, RECOVERY_TEXT_LEN - 1);
	typed[RECOVERY_TEXT_LEN - 1] = '\0';
	assert_int_equal(recovery_parse(typed, &sk, pk), -1);
	assert_null(sk);
	assert_memory_equal(pk, zero, sizeof(pk));
	memcpy(typed, text, RECOVERY_TEXT_LEN);
	typed[RECOVERY_TEXT_LEN] = '0';
	typed[RECOVERY_TEXT_LEN + 1] = '\0';
	assert_int_equal(recovery_parse(typed, &sk, pk), -1);

	/* A U or a * anywhere. */
	memcpy(typed, text, sizeof(text));
	typed[10] = 'U';
	assert_int_equal(recovery_parse(typed, &sk, pk), -1);
	typed[10] = '*';
	assert_int_equal(recovery_parse(typed, &sk, pk), -1);

	/* The last character carries 4 padding bits: only 0 and G fit. */
	memcpy(typed, text, sizeof(text));
	for (p = alphabet; *p; p++) {
		typed[RECOVERY_TEXT_LEN - 1] = *p;
		sk = SENTINEL;
		if (*p == '0' || *p == 'G') {
			assert_int_equal(recovery_parse(typed, &sk, pk), 0);
			secret_free(sk);
		} else {
			assert_int_equal(recovery_parse(typed, &sk, pk), -1);
			assert_null(sk);
		}
	}
	assert_int_equal(recovery_parse("", &sk, pk), -1);
	secret_free(rec.sk);
}

static void
test_recovery_format_bad(void **state)
{
	struct secret *s = secret_new(16);
	char text[RECOVERY_TEXT_LEN + 1];

	(void)state;
	memset(text, 'x', sizeof(text));
	recovery_format(s, text);
	assert_string_equal(text, "");
	secret_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_public),
		cmocka_unit_test(test_two_members),
		cmocka_unit_test(test_wrong_keyring),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_wrap_refuses),
		cmocka_unit_test(test_recovery_roundtrip),
		cmocka_unit_test(test_recovery_refused),
		cmocka_unit_test(test_recovery_format_bad),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("keyring", tests, NULL, NULL);
}
