/*
 * test_crypto.c - the shared primitives: comparison, BLAKE2b, subkeys.
 *
 * The hash vectors are independent of libsodium: "abc" is the BLAKE2b-256
 * vector from RFC 7693's reference code, the keyed one is the first entry
 * of the BLAKE2 project's keyed KAT, and the others were computed with
 * Python's hashlib.blake2b (which implements salt and personalisation, so
 * it also checks crypto_derive's crypto_kdf construction).
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "crypto.h"

static void
unhex(uint8_t *out, size_t len, const char *hex)
{
	size_t i;
	unsigned v;

	assert_int_equal(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static int
setup(void **state)
{
	(void)state;
	return crypto_init();
}

static void
test_init_twice(void **state)
{
	(void)state;
	assert_int_equal(crypto_init(), 0);
	assert_int_equal(crypto_init(), 0);
}

static void
test_random(void **state)
{
	uint8_t a[32], b[32], zero[32] = {0};

	(void)state;
	crypto_random(a, sizeof(a));
	crypto_random(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
}

static void
test_equal(void **state)
{
	uint8_t a[40], b[40];

	(void)state;
	crypto_random(a, sizeof(a));
	memcpy(b, a, sizeof(b));
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 1);
	b[39] ^= 0x80;
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 0);
	b[39] ^= 0x80;
	b[0] ^= 1;
	assert_int_equal(crypto_equal(a, b, sizeof(a)), 0);
	/* Only the first len bytes count. */
	assert_int_equal(crypto_equal(a + 1, b + 1, sizeof(a) - 1), 1);
	assert_int_equal(crypto_equal(a, b, 0), 1);
}

static void
test_equal_str(void **state)
{
	(void)state;
	assert_int_equal(crypto_equal_str("abc", "abc"), 1);
	assert_int_equal(crypto_equal_str("", ""), 1);
	assert_int_equal(crypto_equal_str("abc", "abd"), 0);
	assert_int_equal(crypto_equal_str("abc", "bbc"), 0);
	assert_int_equal(crypto_equal_str("abc", "abcd"), 0);
	assert_int_equal(crypto_equal_str("abcd", "abc"), 0);
	assert_int_equal(crypto_equal_str("", "a"), 0);
	assert_int_equal(crypto_equal_str("a", ""), 0);
}

static void
test_wipe(void **state)
{
	uint8_t buf[64], zero[64] = {0};

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	crypto_wipe(buf, sizeof(buf));
	assert_memory_equal(buf, zero, sizeof(buf));
}

static void
test_hash_vectors(void **state)
{
	uint8_t out[64], want[64], key[64];
	size_t i;

	(void)state;
	unhex(want, 32, "bddd813c634239723171ef3fee98579b"
	                "94964e3bb1cb3e427262c8c068d52319");
	assert_int_equal(crypto_blake2b(out, 32, "abc", 3, NULL, 0), 0);
	assert_memory_equal(out, want, 32);
	/* keylen is ignored without a key. */
	assert_int_equal(crypto_blake2b(out, 32, "abc", 3, NULL, 99), 0);
	assert_memory_equal(out, want, 32);

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	unhex(want, 64, "10ebb67700b1868efb4417987acf4690"
	                "ae9d972fb7a590c2f02871799aaa4786"
	                "b5e996e8f0f4eb981fc214b005f42d2f"
	                "f4233499391653df7aefcbc13fc51568");
	assert_int_equal(crypto_blake2b(out, 64, "", 0, key, 64), 0);
	assert_memory_equal(out, want, 64);

	unhex(want, 32, "d63a32d3e44738d7907f964316c241ad"
	                "aba0abfeabc32349677578a15a203f7f");
	assert_int_equal(crypto_blake2b(out, 32, "abc", 3, key, 32), 0);
	assert_memory_equal(out, want, 32);

	/* SHA-256 (FIPS 180-2, appendix B.1), for the export's file hashes. */
	unhex(want, 32, "ba7816bf8f01cfea414140de5dae2223"
	                "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256(out, "abc", 3);
	assert_memory_equal(out, want, 32);
}

static void
test_hash_sizes(void **state)
{
	uint8_t out[65], key[65] = {0};

	(void)state;
	assert_int_equal(crypto_blake2b(out, 16, "x", 1, NULL, 0), 0);
	assert_int_equal(crypto_blake2b(out, 64, "x", 1, NULL, 0), 0);
	assert_int_equal(crypto_blake2b(out, 15, "x", 1, NULL, 0), -1);
	assert_int_equal(crypto_blake2b(out, 65, "x", 1, NULL, 0), -1);
	assert_int_equal(crypto_blake2b(out, 32, "x", 1, key, 16), 0);
	assert_int_equal(crypto_blake2b(out, 32, "x", 1, key, 64), 0);
	assert_int_equal(crypto_blake2b(out, 32, "x", 1, key, 15), -1);
	assert_int_equal(crypto_blake2b(out, 32, "x", 1, key, 65), -1);
}

static void
test_hash_incremental(void **state)
{
	struct crypto_hash_state st;
	uint8_t data[1000], one[CRYPTO_HASH_LEN], inc[CRYPTO_HASH_LEN];
	uint8_t want[CRYPTO_HASH_LEN];

	(void)state;
	crypto_random(data, sizeof(data));
	assert_int_equal(crypto_blake2b(one, sizeof(one), data, sizeof(data),
	                                NULL, 0), 0);
	crypto_hash_begin(&st);
	crypto_hash_add(&st, data, 1);
	crypto_hash_add(&st, data + 1, 0);
	crypto_hash_add(&st, data + 1, 127);
	crypto_hash_add(&st, data + 128, 500);
	crypto_hash_add(&st, data + 628, sizeof(data) - 628);
	crypto_hash_end(&st, inc);
	assert_memory_equal(one, inc, sizeof(one));

	unhex(want, 32, "bddd813c634239723171ef3fee98579b"
	                "94964e3bb1cb3e427262c8c068d52319");
	crypto_hash_begin(&st);
	crypto_hash_add(&st, "a", 1);
	crypto_hash_add(&st, "bc", 2);
	crypto_hash_end(&st, inc);
	assert_memory_equal(inc, want, sizeof(want));
}

static void
test_derive(void **state)
{
	uint8_t master[CRYPTO_KEY_LEN], a[CRYPTO_KEY_LEN], b[CRYPTO_KEY_LEN];
	uint8_t want[CRYPTO_KEY_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(master); i++)
		master[i] = (uint8_t)i;
	unhex(want, 32, "a99756016924180200a93f34e02ea6bb"
	                "e81997de47e42c4df6664dfa87e7317a");
	assert_int_equal(crypto_derive(a, master, 1, "receipt_"), 0);
	assert_memory_equal(a, want, sizeof(a));

	/* Deterministic. */
	assert_int_equal(crypto_derive(b, master, 1, "receipt_"), 0);
	assert_memory_equal(a, b, sizeof(a));
	/* Another id. */
	assert_int_equal(crypto_derive(b, master, 2, "receipt_"), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	/* Another context. */
	assert_int_equal(crypto_derive(b, master, 1, "receipT_"), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	/* Another master. */
	master[31] ^= 1;
	assert_int_equal(crypto_derive(b, master, 1, "receipt_"), 0);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* Standard base64 (RFC 4648 vectors), refusals, and the room check. */
static void
test_base64_decode(void **state)
{
	uint8_t out[16];
	size_t n = 99;

	(void)state;
	assert_int_equal(crypto_base64_decode("Zm9vYmFy", 8, out, sizeof(out),
	                                      &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(crypto_base64_decode("Zm9vYg==", 8, out, sizeof(out),
	                                      &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "foob", 4);
	/* Not base64, trailing garbage, missing padding, no room. */
	assert_int_equal(crypto_base64_decode("Zm9v!mFy", 8, out, sizeof(out),
	                                      &n), -1);
	assert_int_equal(crypto_base64_decode("Zm9vYmFy ", 9, out, sizeof(out),
	                                      &n), -1);
	assert_int_equal(crypto_base64_decode("Zm9vYg", 6, out, sizeof(out),
	                                      &n), -1);
	assert_int_equal(crypto_base64_decode("Zm9vYmFy", 8, out, 5, &n), -1);
	assert_int_equal(CRYPTO_BASE64_LEN(6), 8);
	assert_int_equal(CRYPTO_BASE64_LEN(4), 8);
	assert_int_equal(CRYPTO_BASE64_LEN(0), 0);
}

/* Little-endian bytes: the byte order boxes bind, and the way back. */
static void
test_le(void **state)
{
	uint8_t b[8];

	(void)state;
	crypto_put_le(b, 0x0102030405060708ULL, 8);
	assert_int_equal(b[0], 0x08);
	assert_int_equal(b[7], 0x01);
	assert_true(crypto_get_le(b, 8) == 0x0102030405060708ULL);
	crypto_put_le(b, 0xa1b2c3d4e5ULL, 4);
	assert_int_equal(b[0], 0xe5);
	assert_int_equal(b[3], 0xb2);
	assert_true(crypto_get_le(b, 4) == 0xb2c3d4e5ULL);
	crypto_put_le(b, UINT64_MAX, 8);
	assert_true(crypto_get_le(b, 8) == UINT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_twice),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_le),
		cmocka_unit_test(test_equal_str),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_hash_vectors),
		cmocka_unit_test(test_hash_sizes),
		cmocka_unit_test(test_hash_incremental),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_base64_decode),
	};

	return cmocka_run_group_tests_name("crypto", tests, setup, NULL);
}
