/*
 * test_secretbox.c - values sealed under a subkey of the installation
 * secret: they open with the same key and associated data only, and any
 * changed bit is refused.
 */
#include <stdlib.h>
#include <string.h>

#include "installation.h"
#include "secretbox.h"
#include "testutil.h"

static void
test_round_trip_and_refusals(void **state)
{
	static const char plain[] = "p.jansen@example.nl";
	struct secret *inst = NULL, *other = NULL, *key = NULL, *key2 = NULL;
	struct secret *out = NULL;
	uint8_t *box, *box2;
	size_t len, len2, i;

	(void)state;
	assert_int_equal(installation_secret_new(&inst), 0);
	assert_int_equal(installation_secret_new(&other), 0);
	assert_int_equal(secretbox_key(inst, SECRETBOX_OUTBOX_ADDRESS, &key), 0);
	assert_int_equal(secretbox_seal(key, plain, strlen(plain), "row 1", 5,
	                                &box, &len), 0);
	assert_int_equal(len, strlen(plain) + SECRETBOX_OVERHEAD);
	assert_null(memmem(box, len, "jansen", 6));
	assert_int_equal(secretbox_open(key, box, len, "row 1", 5, &out), 0);
	assert_int_equal(out->len, strlen(plain));
	assert_string_equal((const char *)out->bytes, plain);
	secret_free(out);

	/* Sealing twice gives different boxes (fresh nonce). */
	assert_int_equal(secretbox_seal(key, plain, strlen(plain), "row 1", 5,
	                                &box2, &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_not_equal(box, box2, len);
	free(box2);

	/* Other associated data, another installation: refused. */
	assert_int_equal(secretbox_open(key, box, len, "row 2", 5, &out), -1);
	assert_null(out);
	assert_int_equal(secretbox_key(other, SECRETBOX_OUTBOX_ADDRESS, &key2), 0);
	assert_int_equal(secretbox_open(key2, box, len, "row 1", 5, &out), -1);
	secret_free(key2);
	/* Any flipped bit, any truncation: refused. */
	for (i = 0; i < len; i++) {
		box[i] ^= 0x04;
		assert_int_equal(secretbox_open(key, box, len, "row 1", 5, &out),
		                 -1);
		box[i] ^= 0x04;
	}
	for (i = 0; i < len; i++)
		assert_int_equal(secretbox_open(key, box, i, "row 1", 5, &out), -1);
	assert_int_equal(secretbox_open(key, box, len, "row 1", 5, &out), 0);
	secret_free(out);

	free(box);
	secret_free(key);
	secret_free(inst);
	secret_free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_and_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
