/*
 * test_token.c - session tokens and one-time passwords.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "crypto.h"
#include "token.h"

#define NTOKENS 1000

static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int
cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_shape_unique(void **state)
{
	char (*t)[TOKEN_TEXT_LEN + 1];
	size_t i, j;

	(void)state;
	t = calloc(NTOKENS, sizeof(*t));
	assert_non_null(t);
	for (i = 0; i < NTOKENS; i++) {
		token_new(t[i]);
		assert_int_equal(strlen(t[i]), TOKEN_TEXT_LEN);
		for (j = 0; j < TOKEN_TEXT_LEN; j++)
			assert_non_null(strchr(b64url, t[i][j]));
		assert_int_equal(token_valid(t[i]), 1);
	}
	qsort(t, NTOKENS, sizeof(*t), cmp);
	for (i = 1; i < NTOKENS; i++)
		assert_int_not_equal(strcmp(t[i - 1], t[i]), 0);
	free(t);
}

static void
test_valid(void **state)
{
	char t[TOKEN_TEXT_LEN + 1], bad[TOKEN_TEXT_LEN + 2];
	const char *p;

	(void)state;
	token_new(t);
	assert_int_equal(token_valid(NULL), 0);
	assert_int_equal(token_valid(""), 0);

	/* One short, one long. */
	memcpy(bad, t, TOKEN_TEXT_LEN - 1);
	bad[TOKEN_TEXT_LEN - 1] = '\0';
	assert_int_equal(token_valid(bad), 0);
	memcpy(bad, t, TOKEN_TEXT_LEN);
	bad[TOKEN_TEXT_LEN] = 'A';
	bad[TOKEN_TEXT_LEN + 1] = '\0';
	assert_int_equal(token_valid(bad), 0);

	/* Characters outside base64url, in the middle. */
	for (p = "+/= .\n\x80"; *p; p++) {
		memcpy(bad, t, sizeof(t));
		bad[20] = *p;
		assert_int_equal(token_valid(bad), 0);
	}

	/* The last character has 2 unused bits, which must be zero. */
	memcpy(bad, t, sizeof(t));
	for (p = b64url; *p; p++) {
		bad[TOKEN_TEXT_LEN - 1] = *p;
		assert_int_equal(token_valid(bad), (p - b64url) % 4 == 0);
	}
	assert_int_equal(token_valid(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 1);
	assert_int_equal(token_valid(
	    "___________________________________________"), 0);
	assert_int_equal(token_valid(
	    "__________________________________________8"), 1);
}

static void
test_hash(void **state)
{
	static const uint8_t abc[CRYPTO_HASH_LEN] = {
		0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72,
		0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b,
		0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb, 0x3e, 0x42,
		0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19,
	};
	char t[TOKEN_TEXT_LEN + 1], u[TOKEN_TEXT_LEN + 1];
	uint8_t h1[CRYPTO_HASH_LEN], h2[CRYPTO_HASH_LEN];

	(void)state;
	/* BLAKE2b-256 of the text. */
	token_hash("abc", h1);
	assert_memory_equal(h1, abc, sizeof(h1));

	token_new(t);
	token_hash(t, h1);
	token_hash(t, h2);
	assert_memory_equal(h1, h2, sizeof(h1));
	memcpy(u, t, sizeof(t));
	u[0] = u[0] == 'A' ? 'B' : 'A';
	token_hash(u, h2);
	assert_memory_not_equal(h1, h2, sizeof(h1));
}

static void
test_equal(void **state)
{
	char t[TOKEN_TEXT_LEN + 1], u[TOKEN_TEXT_LEN + 1];

	(void)state;
	token_new(t);
	memcpy(u, t, sizeof(t));
	assert_int_equal(token_equal(t, u), 1);
	u[TOKEN_TEXT_LEN - 1] = u[TOKEN_TEXT_LEN - 1] == 'A' ? 'E' : 'A';
	assert_int_equal(token_equal(t, u), 0);
	u[TOKEN_TEXT_LEN - 1] = '\0';
	assert_int_equal(token_equal(t, u), 0);
	assert_int_equal(token_equal(t, ""), 0);
	token_new(u);
	assert_int_equal(token_equal(t, u), 0);
}

static void
test_password(void **state)
{
	char pw[100][TOKEN_PASSWORD_LEN + 1];
	uint8_t seen[32];
	size_t i, j, k;

	(void)state;
	for (i = 0; i < 100; i++) {
		token_password(pw[i]);
		assert_int_equal(strlen(pw[i]), TOKEN_PASSWORD_LEN);
		for (j = k = 0; j < TOKEN_PASSWORD_LEN; j++) {
			if (j % 6 == 5) {
				assert_int_equal(pw[i][j], '-');
				continue;
			}
			assert_non_null(strchr(crockford, pw[i][j]));
			k++;
		}
		assert_int_equal(k, 20);
		for (j = 0; j < i; j++)
			assert_string_not_equal(pw[i], pw[j]);
	}
	/*
	 * Every character carries 5 random bits, the last too (no fixed
	 * padding): over 100 passwords each position shows many symbols.
	 */
	for (j = 0; j < TOKEN_PASSWORD_LEN; j++) {
		if (j % 6 == 5)
			continue;
		memset(seen, 0, sizeof(seen));
		for (i = 0, k = 0; i < 100; i++) {
			const char *c = strchr(crockford, pw[i][j]);

			if (!seen[c - crockford]++)
				k++;
		}
		assert_true(k >= 16);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_unique),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_password),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
