/*
 * test_form.c - form definitions as data: the built-in forms load; broken
 * definitions are refused with file and line; answers are checked field
 * by field; encoding puts every answer in the content, the statistical
 * ones also in the statistics, and the moment of reporting in the content.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "form.h"
#include "testutil.h"

static void
test_builtin_forms(void **state)
{
	const struct form *inc, *sig;

	(void)state;
	assert_int_equal(forms_load(), 0);
	inc = forms_get(REPORT_INCIDENT);
	sig = forms_get(REPORT_SIGNAL);
	assert_non_null(inc);
	assert_non_null(sig);
	assert_int_equal(inc->anonymous, 0);
	assert_int_equal(sig->anonymous, 1);
	assert_int_equal(form_field(sig, "phenomenon")->store, STORE_STATS);
	assert_int_equal(form_field(sig, "observation")->store, STORE_CONTENT);
	assert_string_equal(form_field(sig, "reporter_name")->when_field, "identity");
	assert_true(form_field(inc, "reporter_name")->required);
	/* Who the reporter is, and how to reach them: identity, apart. */
	{
		static const char *const who[] = {
			"reporter_name", "reporter_email", "reporter_phone",
		};
		size_t i, n = 0;

		for (i = 0; i < 3; i++) {
			assert_true(form_field(sig, who[i])->identity);
			assert_true(form_field(inc, who[i])->identity);
		}
		for (i = 0; i < sig->nfields; i++)
			n += sig->fields[i].identity != 0;
		assert_int_equal(n, 3);
		assert_false(form_field(sig, "identity")->identity);
		assert_false(form_field(sig, "observation")->identity);
	}
	forms_free();
}

/* Parse text; expect failure. (The line is in the log; checked below.) */
static void
refused(const char *text)
{
	struct form *f = (struct form *)1;

	assert_int_equal(form_parse("t.ini", text, &f), -1);
	assert_null(f);
}

static void
test_broken_definitions(void **state)
{
	(void)state;
	refused("[form]\ntype = incident\n[field a]\nkind = slider\n");
	refused("[form]\ntype = complaint\n[field a]\nkind = text\n");
	refused("[form]\ntype = signal\n[field a]\nkind = select\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\noptions = x y\n");
	refused("[form]\ntype = signal\n[field a]\nkind = choice\noptions = x x\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\n[field a]\n"
	        "kind = text\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\nwhen = b:x\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\ncolour = red\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\nmax = 0\n");
	refused("[form]\ntype = signal\n[field Bad-Name]\nkind = text\n");
	refused("[form]\ntype = signal\n[field a]\nkind = files\nstore = stats\n");
	refused("[form]\ntype = signal\n[other]\nx = y\n");
	refused("[form]\ntype = signal\n");
	refused("[field a]\nkind = text\n");
	/* identity: yes or no, once, for content that is not files. */
	refused("[form]\ntype = signal\n[field a]\nkind = text\nidentity = ja\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\nidentity = \n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\nidentity = yes\n"
	        "identity = yes\n");
	refused("[form]\ntype = signal\n[field a]\nkind = text\nstore = stats\n"
	        "identity = yes\n");
	refused("[form]\ntype = signal\n[field a]\nkind = files\nidentity = yes\n");
}

/*
 * form_encode_parts: the identity answers in a document of their own, the
 * content without them but saying whether there were any.
 */
static void
test_encode_identity(void **state)
{
	static const char def_id[] =
		"[form]\ntype = signal\n"
		"[field text]\nkind = textarea\n"
		"[field who]\nkind = choice\nstore = stats\noptions = anon named\n"
		"[field name]\nkind = text\nidentity = yes\nwhen = who:named\n"
		"[field mail]\nkind = email\nidentity = yes\nwhen = who:named\n";
	struct answers a;
	char *content, *stats, *identity;
	json_t *c, *id;
	struct form *f;

	(void)state;
	assert_int_equal(form_parse("t.ini", def_id, &f), 0);
	assert_true(form_has_identity(f));
	answers_init(&a);
	answers_add(&a, "text", "hallo", 5);
	answers_add(&a, "who", "named", 5);
	answers_add(&a, "name", "Jan Smit", 8);
	answers_add(&a, "mail", "jan@smit.nl", 11);
	assert_int_equal(form_encode_parts(f, &a, &content, &stats, &identity), 0);
	assert_null(strstr(content, "Jan Smit"));
	assert_null(strstr(content, "jan@smit.nl"));
	assert_null(strstr(stats, "Jan"));
	c = json_loads(content, 0, NULL);
	id = json_loads(identity, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(c, "reporter")),
	                    "named");
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(c, "answers"), "who")), "named");
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(id, "answers"), "name")), "Jan Smit");
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(id, "answers"), "mail")), "jan@smit.nl");
	assert_null(json_object_get(json_object_get(id, "answers"), "text"));
	json_decref(c);
	json_decref(id);
	free(content);
	free(stats);
	free(identity);
	/* Anonymous: the identity is there, without answers. */
	answers_release(&a);
	answers_init(&a);
	answers_add(&a, "text", "hallo", 5);
	answers_add(&a, "who", "anon", 4);
	answers_add(&a, "name", "Jan Smit", 8);	/* not asked */
	assert_int_equal(form_encode_parts(f, &a, &content, &stats, &identity), 0);
	c = json_loads(content, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(c, "reporter")),
	                    "anonymous");
	assert_string_equal(identity, "{\"answers\":{},\"form\":\"signal\"}");
	json_decref(c);
	free(content);
	free(stats);
	free(identity);
	answers_release(&a);
	form_free(f);
}

/* The line a broken definition is refused at, as the log names it. */
static void
test_error_names_line(void **state)
{
	const char *text = "[form]\ntype = signal\n\n[field a]\nkind = text\n"
	                   "required = maybe\n";
	struct buf err = BUF_INIT;
	struct form *f;
	int saved, pipefd[2];
	ssize_t n;
	char chunk[512];

	(void)state;
	/* Catch stderr, where error() writes. */
	assert_int_equal(pipe(pipefd), 0);
	saved = dup(2);
	dup2(pipefd[1], 2);
	assert_int_equal(form_parse("schema/forms/x.ini", text, &f), -1);
	dup2(saved, 2);
	close(saved);
	close(pipefd[1]);
	while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0)
		buf_add(&err, chunk, (size_t)n);
	close(pipefd[0]);
	assert_non_null(strstr(err.data, "schema/forms/x.ini:6: required must be "
	                       "yes or no"));
	buf_release(&err);
}

static const char def[] =
	"[form]\ntype = signal\nanonymous = yes\n"
	"[field kind]\nkind = select\nrequired = yes\nstore = stats\n"
	"options = a b c\n"
	"[field tags]\nkind = multi\nstore = stats\noptions = x y\n"
	"[field text]\nkind = textarea\nrequired = yes\nmax = 10\n"
	"[field day]\nkind = date\npast = yes\n"
	"[field at]\nkind = time\n"
	"[field mail]\nkind = email\n"
	"[field phone]\nkind = phone\n"
	"[field who]\nkind = choice\nrequired = yes\noptions = anon named\n"
	"[field name]\nkind = text\nrequired = yes\nwhen = who:named\n";

static enum field_error
check_one(const struct form *f, const char *field, struct answers *a)
{
	enum field_error e[16];
	size_t i;

	/* 2026-06-15, noon UTC. */
	form_check(f, a, 100, 1781524800, e);
	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, field) == 0)
			return e[i];
	fail();
	return FIELD_OK;
}

static void
test_checks(void **state)
{
	struct answers a;
	struct form *f;

	(void)state;
	assert_int_equal(form_parse("t.ini", def, &f), 0);
	answers_init(&a);
	assert_int_equal(check_one(f, "kind", &a), FIELD_MISSING);
	assert_int_equal(check_one(f, "name", &a), FIELD_OK);	/* not asked */
	answers_add(&a, "kind", "d", 1);
	assert_int_equal(check_one(f, "kind", &a), FIELD_BAD_OPTION);
	answers_release(&a);

	answers_init(&a);
	answers_add(&a, "kind", "a", 1);
	answers_add(&a, "kind", "b", 1);	/* one of, sent twice */
	assert_int_equal(check_one(f, "kind", &a), FIELD_BAD_OPTION);
	answers_add(&a, "tags", "x", 1);
	answers_add(&a, "tags", "y", 1);	/* any of: fine */
	assert_int_equal(check_one(f, "tags", &a), FIELD_OK);
	answers_add(&a, "text", "twelve chars", 12);
	assert_int_equal(check_one(f, "text", &a), FIELD_TOO_LONG);
	answers_release(&a);

	answers_init(&a);
	/* Ten characters of two bytes each are ten, not twenty. */
	answers_add(&a, "text", "éééééééééé", 20);
	assert_int_equal(check_one(f, "text", &a), FIELD_OK);
	answers_add(&a, "day", "2026-02-29", 10);
	assert_int_equal(check_one(f, "day", &a), FIELD_BAD_DATE);
	answers_release(&a);
	answers_init(&a);
	answers_add(&a, "day", "2026-06-16", 10);
	assert_int_equal(check_one(f, "day", &a), FIELD_FUTURE_DATE);
	answers_release(&a);
	answers_init(&a);
	answers_add(&a, "day", "2024-02-29", 10);
	answers_add(&a, "at", "24:00", 5);
	answers_add(&a, "mail", "a@b", 3);
	answers_add(&a, "phone", "06-12", 5);
	assert_int_equal(check_one(f, "day", &a), FIELD_OK);
	assert_int_equal(check_one(f, "at", &a), FIELD_BAD_TIME);
	assert_int_equal(check_one(f, "mail", &a), FIELD_BAD_EMAIL);
	assert_int_equal(check_one(f, "phone", &a), FIELD_BAD_PHONE);
	answers_release(&a);

	answers_init(&a);
	answers_add(&a, "text", "a\0b", 3);
	assert_int_equal(check_one(f, "text", &a), FIELD_BAD_TEXT);
	answers_add(&a, "who", "named", 5);
	assert_int_equal(check_one(f, "name", &a), FIELD_MISSING);
	answers_release(&a);
	form_free(f);
}

static void
test_utf8(void **state)
{
	const char *ok = "gewoon tekst\n\tmet é en 😀";

	(void)state;
	assert_true(utf8_valid_text(ok, strlen(ok)));
	assert_false(utf8_valid_text("\xc0\xaf", 2));		/* overlong */
	assert_false(utf8_valid_text("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(utf8_valid_text("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid_text("\xe2\x82", 2));		/* cut short */
	assert_false(utf8_valid_text("bell\x07", 5));
	assert_false(utf8_valid_text("del\x7f", 4));
}

static void
test_encode(void **state)
{
	struct answers a;
	char *content, *stats;
	json_t *c, *s;
	struct form *f;

	(void)state;
	clock_set(1781524800);
	assert_int_equal(form_parse("t.ini", def, &f), 0);
	answers_init(&a);
	answers_add(&a, "kind", "a", 1);
	answers_add(&a, "tags", "x", 1);
	answers_add(&a, "tags", "y", 1);
	answers_add(&a, "text", "hallo", 5);
	answers_add(&a, "who", "anon", 4);
	/* Not asked (who is anon): left out even though it was sent. */
	answers_add(&a, "name", "Jan", 3);
	assert_int_equal(form_encode(f, &a, &content, &stats), 0);
	c = json_loads(content, 0, NULL);
	s = json_loads(stats, 0, NULL);
	/* The day of reporting only, even inside the sealed content. */
	assert_string_equal(json_string_value(json_object_get(c, "received_at")),
	                    "2026-06-15");
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(c, "answers"), "text")), "hallo");
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(c, "answers"), "kind")), "a");
	assert_null(json_object_get(json_object_get(c, "answers"), "name"));
	assert_int_equal(json_array_size(json_object_get(
	                 json_object_get(s, "answers"), "tags")), 2);
	/* The statistics hold only the statistical answers, and no time. */
	assert_null(json_object_get(json_object_get(s, "answers"), "text"));
	assert_null(json_object_get(s, "received_at"));
	json_decref(c);
	json_decref(s);
	free(content);
	free(stats);
	answers_release(&a);
	form_free(f);
	clock_set(0);
}

/*
 * form_encode as it was written with jansson (json objects, json_dumps
 * with JSON_COMPACT | JSON_SORT_KEYS): the documents must stay byte for
 * byte what they were, and what the readers parse.
 */
static char *
jansson_answers(const struct form *f, const struct answers *a, int stats_only,
                size_t *nstats)
{
	json_t *doc = json_object(), *ans = json_object();
	char *out, *dumped, now[CLOCK_TEXT_LEN + 1];
	json_malloc_t alloc;
	json_free_t release;
	size_t i, k;

	*nstats = 0;
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		json_t *v = NULL;

		if (fld->kind == FIELD_FILES || !form_field_asked(fld, a))
			continue;
		if (fld->store == STORE_STATS)
			(*nstats)++;
		else if (stats_only)
			continue;
		for (k = 0; k < a->n; k++) {
			if (strcmp(a->items[k].name, fld->name) != 0 ||
			    !a->items[k].len)
				continue;
			if (fld->kind == FIELD_MULTI) {
				if (!v)
					v = json_array();
				json_array_append_new(v, json_stringn(
				        a->items[k].value, a->items[k].len));
			} else if (!v) {
				v = json_stringn(a->items[k].value,
				                 a->items[k].len);
			}
		}
		if (v)
			json_object_set_new(ans, fld->name, v);
	}
	json_object_set_new(doc, "answers", ans);
	json_object_set_new(doc, "form", json_string(report_type_name(f->type)));
	if (!stats_only) {
		clock_format_day(clock_now(), now);
		json_object_set_new(doc, "received_at", json_string(now));
	}
	dumped = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	/* jansson's own allocator (forms_load may have set it) frees it. */
	json_get_alloc_funcs(&alloc, &release);
	assert_non_null(out = strdup(dumped));
	release(dumped);
	return out;
}

static void
encodes_as_jansson(const struct form *f, const struct answers *a)
{
	char *content, *stats, *want;
	size_t nstats;

	assert_int_equal(form_encode(f, a, &content, &stats), 0);
	want = jansson_answers(f, a, 0, &nstats);
	assert_string_equal(content, want);
	free(want);
	want = jansson_answers(f, a, 1, &nstats);
	if (nstats)
		assert_string_equal(stats, want);
	else
		assert_null(stats);
	free(want);
	free(content);
	free(stats);
}

static void
test_encode_bytes(void **state)
{
	static const char tricky[] =
		"\"quoted\" back\\slash /slash\b\f\n\r\t\x01\x0b\x1f\x7f "
		"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80 <b>&amp;</b>";
	const char *names[] = { "kind", "tags", "text", "who", "name", "day",
	                        "mail", "at", "phone" };
	struct answers a;
	char *content, *stats;
	json_t *c;
	struct form *f;
	size_t i;

	(void)state;
	clock_set(1781524800);
	assert_int_equal(form_parse("t.ini", def, &f), 0);

	/* Nothing answered: empty answers, statistics still written. */
	answers_init(&a);
	encodes_as_jansson(f, &a);
	/* Every field, out of order, some twice, empty ones, escapes. */
	answers_add(&a, "who", "named", 5);
	answers_add(&a, "text", "", 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		answers_add(&a, names[i], tricky, sizeof(tricky) - 1);
	answers_add(&a, "tags", "x", 1);
	answers_add(&a, "text", "second", 6);
	answers_add(&a, "unknown", "dropped", 7);
	encodes_as_jansson(f, &a);

	/* And the readers get the very bytes back. */
	assert_int_equal(form_encode(f, &a, &content, &stats), 0);
	c = json_loads(content, 0, NULL);
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(
	                    json_object_get(c, "answers"), "text")), tricky);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	                    json_object_get(c, "answers"), "tags"), 1)), "x");
	json_decref(c);
	free(content);
	free(stats);
	answers_release(&a);
	form_free(f);

	/* A form without statistical fields has no statistics document. */
	assert_int_equal(form_parse("t.ini", "[form]\ntype = incident\n"
	                 "[field b]\nkind = text\n[field a]\nkind = text\n",
	                 &f), 0);
	answers_init(&a);
	answers_add(&a, "b", "2", 1);
	answers_add(&a, "a", "1", 1);
	encodes_as_jansson(f, &a);
	answers_release(&a);
	form_free(f);

	/* The built-in forms, as the benchmark fills the signal form. */
	assert_int_equal(forms_load(), 0);
	answers_init(&a);
	answers_add(&a, "phenomenon", "ondermijning", 12);
	answers_add(&a, "observation", tricky, sizeof(tricky) - 1);
	answers_add(&a, "identity", "anonymous", 9);
	encodes_as_jansson(forms_get(REPORT_SIGNAL), &a);
	encodes_as_jansson(forms_get(REPORT_INCIDENT), &a);
	answers_release(&a);
	forms_free();
	clock_set(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_forms),
		cmocka_unit_test(test_broken_definitions),
		cmocka_unit_test(test_error_names_line),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_identity),
		cmocka_unit_test(test_encode_bytes),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
