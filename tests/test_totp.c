/*
 * test_totp.c - one-time passwords against the RFC 6238 test vectors
 * (SHA-1, the last six of the eight digits), drift, replay, bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "totp.h"

static struct secret *
rfc_secret(void)
{
	return secret_from("12345678901234567890", 20);
}

static void
test_rfc6238_vectors(void **state)
{
	static const struct { time_t t; uint32_t code; } v[] = {
		{ 59, 287082 }, { 1111111109, 81804 }, { 1111111111, 50471 },
		{ 1234567890, 5924 }, { 2000000000, 279037 },
		{ 20000000000LL, 353130 },
	};
	struct secret *s = rfc_secret();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(totp_code(s, (uint64_t)v[i].t / TOTP_STEP), v[i].code);
	secret_free(s);
}

static void
test_verify(void **state)
{
	struct secret *s = rfc_secret();
	uint64_t used = 0;
	char code[16];

	(void)state;
	assert_int_equal(totp_verify(s, "050471", 1111111111, 0, &used), 0);
	assert_int_equal(used, 1111111111 / 30);
	/* Typed with a space; one step late is still fine. */
	assert_int_equal(totp_verify(s, "050 471", 1111111111 + 30, 0, &used), 0);
	/* Two steps late is not. */
	assert_int_equal(totp_verify(s, "050471", 1111111111 + 60, 0, &used), -1);
	/* A code already used (min_step past it) is refused: no replay. */
	assert_int_equal(totp_verify(s, "050471", 1111111111,
	                             1111111111 / 30 + 1, &used), -1);
	/* Wrong code, wrong length, letters. */
	assert_int_equal(totp_verify(s, "050472", 1111111111, 0, &used), -1);
	assert_int_equal(totp_verify(s, "50471", 1111111111, 0, &used), -1);
	assert_int_equal(totp_verify(s, "0504711", 1111111111, 0, &used), -1);
	assert_int_equal(totp_verify(s, "05o471", 1111111111, 0, &used), -1);
	assert_int_equal(totp_verify(s, "", 1111111111, 0, &used), -1);
	snprintf(code, sizeof(code), "%06u", totp_code(s, 1111111111 / 30 - 1));
	assert_int_equal(totp_verify(s, code, 1111111111, 0, &used), 0);
	assert_int_equal(used, 1111111111 / 30 - 1);
	secret_free(s);
}

static void
test_text_and_uri(void **state)
{
	struct secret *s = rfc_secret(), *r;
	char text[TOTP_SECRET_TEXT_LEN + 1];
	char *uri;

	(void)state;
	totp_secret_text(s, text);
	/* RFC 4648 base32 of "12345678901234567890". */
	assert_string_equal(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	uri = totp_uri(s, "Meldpunt Gemeente", "c.oord@x");
	assert_string_equal(uri, "otpauth://totp/Meldpunt%20Gemeente:c.oord%40x"
	                    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer="
	                    "Meldpunt%20Gemeente&algorithm=SHA1&digits=6&period=30");
	free(uri);
	r = totp_secret_new();
	assert_non_null(r);
	assert_int_equal(r->len, TOTP_SECRET_LEN);
	assert_memory_not_equal(r->bytes, s->bytes, TOTP_SECRET_LEN);
	secret_free(r);
	secret_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_text_and_uri),
	};
	return cmocka_run_group_tests_name("totp", tests, NULL, NULL);
}
