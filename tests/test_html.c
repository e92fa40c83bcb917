/*
 * test_html.c - escaping for HTML, query arguments and JSON.
 */
#include <string.h>

#include "html.h"
#include "testutil.h"

static void
test_html_text(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_text(&b, "<script>alert('x') & \"y\"</script>");
	assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;) &amp; "
	                    "&quot;y&quot;&lt;/script&gt;");
	buf_reset(&b);
	html_text(&b, "plain tekst, één");
	assert_string_equal(b.data, "plain tekst, één");
	buf_reset(&b);
	html_attr(&b, "\" onmouseover=\"x");
	assert_string_equal(b.data, "&quot; onmouseover=&quot;x");
	buf_reset(&b);
	html_text(&b, "");
	assert_string_equal(b.data, "");
	buf_release(&b);
}

/* Query names and values: only the unreserved bytes stay as they are. */
static void
test_html_url_arg(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_url_arg(&b, "a-Z_0.9~");
	assert_string_equal(b.data, "a-Z_0.9~");
	buf_reset(&b);
	html_url_arg(&b, "a b&c=d?#%/\"<é");
	assert_string_equal(b.data, "a%20b%26c%3Dd%3F%23%25%2F%22%3C%C3%A9");
	buf_reset(&b);
	html_url_arg(&b, "");
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void
test_json_quote(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	json_quote(&b, "a\"b\\c\nd\x01</script>&");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001\\u003c/script"
	                    "\\u003e\\u0026\"");
	buf_reset(&b);
	json_quote(&b, "één");
	assert_string_equal(b.data, "\"één\"");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_html_url_arg),
		cmocka_unit_test(test_json_quote),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
