/*
 * test_form.c - form definitions (core/form.c) as the fuzzer found them:
 * inputs from tests/fuzz/corpus/form/ that once broke form_parse, each
 * kept here so the ordinary (ASan) suite catches a return of the bug.
 */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "testutil.h"

static const char head[] =
	"[form]\n"
	"type = signal\n"
	"anonymous = yes\n"
	"[field identity]\n"
	"kind = choice\n"
	"options = anonymous named\n"
	"[field name]\n"
	"kind = text\n";

/* The embedded forms parse (the seeds of the fuzzer). */
static void
test_embedded_forms(void **state)
{
	(void)state;
	assert_int_equal(forms_load(), 0);
	assert_non_null(forms_get(REPORT_SIGNAL));
	assert_non_null(forms_get(REPORT_INCIDENT));
	forms_free();
}

/* Found by fuzz_form: a second `when` leaked the first; now refused. */
static void
test_when_twice(void **state)
{
	struct buf text = BUF_INIT;
	struct form *f = NULL;

	(void)state;
	buf_adds(&text, head);
	buf_adds(&text, "when = identity:named\nwhen = identity:anonymous\n");
	assert_int_equal(form_parse("twice.ini", text.data, &f), -1);
	assert_null(f);
	buf_reset(&text);
	buf_adds(&text, head);
	buf_adds(&text, "when = identity:named\n");
	assert_int_equal(form_parse("once.ini", text.data, &f), 0);
	assert_non_null(f);
	assert_string_equal(form_field(f, "name")->when_value, "named");
	form_free(f);
	buf_release(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_forms),
		cmocka_unit_test(test_when_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
