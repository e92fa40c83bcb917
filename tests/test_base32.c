/*
 * test_base32.c - Crockford base32: vectors, round trips, tolerance.
 *
 * Vectors worked out by hand:
 *   0x66 = 01100 110(00)  -> 12, 24 -> "CR"
 *   0xff = 11111 111(00)  -> 31, 28 -> "ZW"
 *   the 20 bytes 00443214c74254b635cf84653a56d7c675be77df are the 5-bit
 *   values 0, 1, ..., 31 in a row, so they encode to the alphabet itself.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "base32.h"
#include "crypto.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
check_encode(const uint8_t *in, size_t len, unsigned group,
             const char *want)
{
	char out[256];
	uint8_t back[64];

	assert_int_equal(base32_encode(out, sizeof(out), in, len, group),
	                 strlen(want));
	assert_string_equal(out, want);
	assert_true(len <= sizeof(back));
	assert_int_equal(base32_decode(back, len, want), 0);
	if (len)
		assert_memory_equal(back, in, len);
}

static void
test_vectors(void **state)
{
	const uint8_t zeros[5] = {0}, f = 0x66, ff = 0xff;
	const uint8_t all[20] = {
		0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
		0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf,
	};

	(void)state;
	check_encode(zeros, 0, 0, "");
	check_encode(zeros, 1, 0, "00");
	check_encode(zeros, 2, 0, "0000");
	check_encode(zeros, 5, 0, "00000000");
	check_encode(&f, 1, 0, "CR");
	check_encode(&ff, 1, 0, "ZW");
	check_encode(all, sizeof(all), 0, alphabet);
	check_encode(all, sizeof(all), 4,
	             "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ");
	check_encode(all, sizeof(all), 5,
	             "01234-56789-ABCDE-FGHJK-MNPQR-STVWX-YZ");
	check_encode(all, sizeof(all), 32, alphabet);
	check_encode(all, 10, 4, "0123-4567-89AB-CDEF");
}

static void
test_outsize(void **state)
{
	const uint8_t in[10] = {0};
	char out[20];

	(void)state;
	/* 16 characters and 3 dashes need 20 bytes with the NUL. */
	assert_int_equal(base32_encode(out, 20, in, 10, 4), 19);
	memset(out, 'x', sizeof(out));
	assert_int_equal(base32_encode(out, 19, in, 10, 4), 0);
	assert_string_equal(out, "");
	assert_int_equal(base32_encode(out, 17, in, 10, 0), 16);
	assert_int_equal(base32_encode(out, 16, in, 10, 0), 0);
	assert_int_equal(base32_encode(out, 0, in, 10, 0), 0);
}

static void
test_roundtrip(void **state)
{
	uint8_t in[64], back[64];
	char out[256], lower[256];
	size_t len, i, n;
	unsigned group;

	(void)state;
	for (len = 1; len <= 64; len++) {
		for (group = 0; group <= 5; group++) {
			crypto_random(in, len);
			n = base32_encode(out, sizeof(out), in, len,
			                  group);
			assert_true(n > 0);
			assert_int_equal(n, strlen(out));
			if (group == 0)
				assert_int_equal(n, BASE32_CHARS(len));
			for (i = 0; out[i]; i++) {
				if (out[i] == '-') {
					assert_true(group > 0);
					continue;
				}
				assert_non_null(strchr(alphabet, out[i]));
			}
			assert_int_equal(base32_decode(back, len, out), 0);
			assert_memory_equal(back, in, len);

			for (i = 0; out[i]; i++)
				lower[i] = (char)tolower((unsigned char)out[i]);
			lower[i] = '\0';
			memset(back, 0, sizeof(back));
			assert_int_equal(base32_decode(back, len, lower), 0);
			assert_memory_equal(back, in, len);
		}
	}
}

static void
test_tolerant(void **state)
{
	const uint8_t all[20] = {
		0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
		0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf,
	};
	static const char *const spellings[] = {
		"0123456789ABCDEFGHJKMNPQRSTVWXYZ",
		"0123456789abcdefghjkmnpqrstvwxyz",
		"0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ",
		"  0123 4567\t89ab cdef ghjk mnpq rstv wxyz  ",
		"--0-1-2-3456789ABCDEFGHJKMNPQRSTVWXYZ--",
		"OI23456789ABCDEFGHJKMNPQRSTVWXYZ",
		"oL23456789ABCDEFGHJKMNPQRSTVWXYZ",
		"0i23456789ABCDEFGHJKMNPQRSTVWXYZ",
		"Ol23456789AbCdEfGhJkMnPqRsTvWxYz",
	};
	uint8_t back[20];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		memset(back, 0xaa, sizeof(back));
		assert_int_equal(base32_decode(back, sizeof(back),
		                               spellings[i]), 0);
		assert_memory_equal(back, all, sizeof(all));
	}
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
		"0123456789ABCDEFGHJKMNPQRSTVWXY",	/* one short */
		"0123456789ABCDEFGHJKMNPQRSTVWXYZ0",	/* one long */
		"0123456789ABCDEFGHJKMNPQRSTVWXYU",	/* U */
		"0123456789ABCDEFGHJKMNPQRSTVWXY*",	/* * */
		"0123456789ABCDEFGHJKMNPQRSTVWX.Z",
		"0123456789ABCDEFGHJKMNPQRSTVWX_Z",
		"0123456789ABCDEFGHJKMNPQRSTVWX\nZ",
		"0123456789ABCDEFGHJKMNPQRSTVWX\xc3\x9a",
		"",
		"----",
	};
	uint8_t out[20], zero[20] = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		assert_int_equal(base32_decode(out, sizeof(out), bad[i]), -1);
		/* Wiped, not half-decoded. */
		assert_memory_equal(out, zero, sizeof(out));
	}
}

static void
test_pad_bits(void **state)
{
	uint8_t out[1], out2[2];
	const char *p;
	char text[3];

	(void)state;
	/* One byte: the second character carries 2 padding bits. */
	assert_int_equal(base32_decode(out, 1, "CR"), 0);
	assert_int_equal(out[0], 0x66);
	for (p = alphabet; *p; p++) {
		text[0] = 'C';
		text[1] = *p;
		text[2] = '\0';
		assert_int_equal(base32_decode(out, 1, text),
		                 ((p - alphabet) & 3) == 0 ? 0 : -1);
	}
	/* Two bytes: 4 characters, 4 padding bits. */
	assert_int_equal(base32_decode(out2, 2, "000G"), 0);
	assert_int_equal(out2[1], 0x01);
	assert_int_equal(base32_decode(out2, 2, "0001"), -1);
	assert_int_equal(base32_decode(out2, 2, "0008"), -1);
	assert_int_equal(out2[0], 0);
	assert_int_equal(out2[1], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_outsize),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_tolerant),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pad_bits),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("base32", tests, NULL, NULL);
}
