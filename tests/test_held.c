/*
 * test_held.c - hand-off packages waiting for their one download
 * (web/held.h): taken once and only by their maker, wiped after their
 * time, and no more than the store's size waiting at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "held.h"
#include "testutil.h"

static void
put(struct held *h, int64_t user, const char *bytes, time_t now,
    char token[TOKEN_TEXT_LEN + 1], int want)
{
	struct held_item it;

	memset(&it, 0, sizeof(it));
	it.zip = (struct buf)BUF_INIT;
	it.user_id = user;
	it.report_id = 7;
	snprintf(it.sha256, sizeof(it.sha256), "%064d", 0);
	snprintf(it.name, sizeof(it.name), "overdracht-melding-7.zip");
	buf_adds(&it.zip, bytes);
	assert_int_equal(held_put(h, &it, now, token), want);
	if (want == 0)
		assert_int_equal(it.zip.len, 0);	/* taken */
	buf_release(&it.zip);
}

static void
test_once_by_its_maker(void **state)
{
	struct held *h = held_new(2, 300);
	char token[TOKEN_TEXT_LEN + 1];
	struct held_item out;

	(void)state;
	put(h, 1, "PK package", 1000, token, 0);
	assert_int_equal(strlen(token), TOKEN_TEXT_LEN);
	/* Another user, a made-up token, a malformed one: nothing. */
	assert_int_equal(held_take(h, token, 2, 1001, &out), 1);
	assert_int_equal(held_take(h, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	                           1, 1001, &out), 1);
	assert_int_equal(held_take(h, "kort", 1, 1001, &out), 1);
	assert_int_equal(held_take(h, NULL, 1, 1001, &out), 1);
	/* Its maker, once. */
	assert_int_equal(held_take(h, token, 1, 1001, &out), 0);
	assert_int_equal(out.report_id, 7);
	assert_string_equal(out.name, "overdracht-melding-7.zip");
	assert_int_equal(out.zip.len, 10);
	assert_memory_equal(out.zip.data, "PK package", 10);
	buf_wipe_release(&out.zip);
	assert_int_equal(held_take(h, token, 1, 1002, &out), 1);
	assert_int_equal(held_count(h, 1002), 0);
	held_free(h);
}

static void
test_time_and_room(void **state)
{
	struct held *h = held_new(2, 300);
	char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1], c[TOKEN_TEXT_LEN + 1];
	struct held_item out;

	(void)state;
	put(h, 1, "one", 1000, a, 0);
	put(h, 1, "two", 1100, b, 0);
	assert_string_not_equal(a, b);
	/* Full: a third waits for none of them. */
	put(h, 1, "three", 1200, c, 1);
	assert_int_equal(held_count(h, 1299), 2);
	/* The first is wiped at 1000 + 300, the second still there. */
	assert_int_equal(held_take(h, a, 1, 1300, &out), 1);
	assert_int_equal(held_count(h, 1300), 1);
	put(h, 1, "three", 1300, c, 0);
	assert_int_equal(held_take(h, b, 1, 1399, &out), 0);
	buf_wipe_release(&out.zip);
	assert_int_equal(held_take(h, c, 1, 1600, &out), 1);
	assert_int_equal(held_count(h, 1600), 0);
	put(h, 1, "left", 1600, c, 0);
	held_free(h);		/* wipes what still waits */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_by_its_maker),
		cmocka_unit_test(test_time_and_room),
	};
	return cmocka_run_group_tests_name("held", tests, NULL, NULL);
}
