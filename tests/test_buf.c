/*
 * test_buf.c - the buffer keeps its invariants after every operation.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* The three invariants of buf.h. */
static void
check(const struct buf *b)
{
	assert_non_null(b->data);
	assert_int_equal(b->data[b->len], '\0');
	if (b->cap)
		assert_true(b->len < b->cap);
	else
		assert_int_equal(b->len, 0);
}

static void
test_fresh(void **state)
{
	struct buf b = BUF_INIT, c;

	(void)state;
	check(&b);
	assert_string_equal(b.data, "");
	buf_init(&c);
	check(&c);
	buf_release(&b);
	check(&b);
}

static void
test_add_and_grow(void **state)
{
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	buf_adds(&b, "abc");
	check(&b);
	buf_addch(&b, 'd');
	check(&b);
	buf_add(&b, "e\0f", 3);
	check(&b);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "abcde\0f", 7);
	for (i = 0; i < 10000; i++) {
		buf_addch(&b, 'x');
		check(&b);
	}
	assert_int_equal(b.len, 10007);
	buf_add(&b, "", 0);
	check(&b);
	buf_release(&b);
	check(&b);
}

static void
test_addf(void **state)
{
	struct buf b = BUF_INIT;
	char big[5000];

	(void)state;
	buf_addf(&b, "%d-%s", 42, "x");
	check(&b);
	assert_string_equal(b.data, "42-x");
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "[%s]", big);
	check(&b);
	assert_int_equal(b.len, 4 + 2 + sizeof(big) - 1);
	assert_int_equal(b.data[b.len - 1], ']');
	buf_release(&b);
}

static void
test_truncate_reset_detach(void **state)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *p;

	(void)state;
	buf_reset(&b);
	check(&b);
	buf_adds(&b, "hello world");
	buf_truncate(&b, 5);
	check(&b);
	assert_string_equal(b.data, "hello");
	buf_reset(&b);
	check(&b);
	assert_string_equal(b.data, "");
	buf_adds(&b, "kept");
	p = buf_detach(&b, &len);
	check(&b);
	assert_int_equal(len, 4);
	assert_string_equal(p, "kept");
	assert_string_equal(b.data, "");
	free(p);
	/* Detaching a fresh buffer still gives memory the caller may free. */
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
}

static void
test_wipe_release(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "secret content");
	buf_wipe_release(&b);
	check(&b);
	assert_int_equal(b.cap, 0);
}

/* Arrays of rows grow from first to double, and keep what they held. */
static void
test_grow_array(void **state)
{
	int *v = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 100; n++) {
		if (n == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		assert_true(n < cap);
		v[n] = (int)n;
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n);
	free(v);
	cap = 0;
	v = buf_grow_array(NULL, &cap, sizeof(*v), 0);
	assert_int_equal(cap, 1);
	free(v);
}

/*
 * The one JSON escaper: jansson's bytes for stored content (\b \f short,
 * other controls \u00XX in capitals, a NUL kept), and with BUF_JSON_HTML
 * also < > & escaped for JSON that may land inside HTML.
 */
static void
test_add_json(void **state)
{
	static const char in[] = "a\"b\\c\n\b\f\x01\x1f\0</x>&\xc3\xa9";
	struct buf b = BUF_INIT;

	(void)state;
	buf_add_json(&b, in, sizeof(in) - 1, 0);
	check(&b);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\b\\f\\u0001\\u001F"
	                    "\\u0000</x>&\xc3\xa9\"");
	buf_reset(&b);
	buf_add_json(&b, in, sizeof(in) - 1, BUF_JSON_HTML);
	check(&b);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\b\\f\\u0001\\u001F"
	                    "\\u0000\\u003c/x\\u003e\\u0026\xc3\xa9\"");
	buf_reset(&b);
	buf_add_json(&b, "", 0, 0);
	assert_string_equal(b.data, "\"\"");
	buf_release(&b);
}

/* A detached block holds the bytes, their length and the whole size. */
static void
test_detach_block(void **state)
{
	struct buf b = BUF_INIT;
	struct buf_block *blk;

	(void)state;
	buf_adds(&b, "geopende inhoud");
	blk = buf_detach_block(&b);
	assert_int_equal(blk->len, 15);
	assert_true(blk->cap > blk->len);
	assert_memory_equal(blk->data, "geopende inhoud", 16);
	/* The buffer is fresh again: it owns nothing. */
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_wiped_free(blk);
	/* An empty buffer still gives a block with a terminated string. */
	blk = buf_detach_block(&b);
	assert_int_equal(blk->len, 0);
	assert_string_equal(blk->data, "");
	buf_wiped_free(blk);
	buf_wiped_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detach_block),
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_add_and_grow),
		cmocka_unit_test(test_grow_array),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_truncate_reset_detach),
		cmocka_unit_test(test_wipe_release),
		cmocka_unit_test(test_add_json),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
