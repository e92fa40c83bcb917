/*
 * test_content.c - the one reader of stored content (core/content.h)
 * reads back what form_encode wrote: every answer, check boxes as one
 * pair per value, in the document's order; a text answer by name; and
 * nothing from what is not such a document.
 */
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "testutil.h"

static void
test_read_back(void **state)
{
	static const char doc[] =
		"{\"answers\":{\"identity\":\"named\",\"kinds\":[\"a\",\"b\"],"
		"\"note\":\"regel\\nregel \\u0001\",\"n\":3},"
		"\"form\":\"incident\",\"received_at\":\"2026-11-29T09:20:13Z\"}";
	struct stored_answers s;
	char out[16];

	(void)state;
	assert_int_equal(stored_answers_read(doc, strlen(doc), &s), 0);
	assert_int_equal(s.a.n, 4);
	assert_string_equal(s.a.items[0].name, "identity");
	assert_string_equal(s.a.items[0].value, "named");
	assert_string_equal(s.a.items[1].name, "kinds");
	assert_string_equal(s.a.items[1].value, "a");
	assert_string_equal(s.a.items[2].name, "kinds");
	assert_string_equal(s.a.items[2].value, "b");
	assert_string_equal(s.a.items[3].value, "regel\nregel \001");
	assert_int_equal(s.a.items[3].len, 13);
	stored_answers_release(&s);

	stored_answer_text(doc, strlen(doc), "identity", out, sizeof(out));
	assert_string_equal(out, "named");
	stored_answer_text(doc, strlen(doc), "email", out, sizeof(out));
	assert_string_equal(out, "");

	assert_int_equal(stored_answers_read("{\"form\":\"x\"}", 12, &s), -1);
	assert_int_equal(s.a.n, 0);
	stored_answers_release(&s);
	assert_int_equal(stored_answers_read("not json", 8, &s), -1);
	stored_answers_release(&s);
	stored_answer_text("", 0, "identity", out, sizeof(out));
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_back),
	};
	return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
