/*
 * fuzz_answers.c - form_check and utf8_valid_text on arbitrary answers to
 * the real forms, as a browser (or anything else) posts them, then
 * form_encode of answers that passed: checked answers must always encode,
 * also in parts (identity apart), and the parts must read back together
 * (what handlers read) and with the identity withheld (what a meeting
 * reads), none of the identity answers left in it.
 *
 * Input: the first byte picks the form (of every type schema/forms/
 * declares) and the clock; the rest is
 * records "name\xfe value\xff", values with any bytes (NUL included).
 */
#include <string.h>

#include "content.h"
#include "crypto.h"
#include "fuzz.h"
#include "form.h"
#include "reptype.h"
#include "secret.h"

/* The parts of checked answers must go together and apart again. */
static void
parts(const struct form *f, const struct answers *a)
{
	char *content = NULL, *stats = NULL, *identity = NULL;
	struct secret *c, *id, *whole = NULL, *withheld = NULL;
	struct stored_answers s;
	size_t i;

	if (form_encode_parts(f, a, &content, &stats, &identity) < 0)
		abort();
	c = secret_from(content, strlen(content));
	id = secret_from(identity, strlen(identity));
	if (!c || !id || content_with_identity(c, id, &whole) < 0 ||
	    content_withheld(f, whole->bytes, whole->len, &withheld) < 0 ||
	    stored_answers_read(withheld->bytes, withheld->len, &s) < 0)
		abort();
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].identity && answers_get(&s.a, f->fields[i].name))
			abort();
	stored_answers_release(&s);
	secret_free(c);
	secret_free(id);
	secret_free(whole);
	secret_free(withheld);
	free(content);
	free(stats);
	free(identity);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	/* secret_new (the parts) needs libsodium ready. */
	return crypto_init() < 0 || forms_load() < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum field_error errors[256];
	const struct form *f;
	struct answers a;
	char *copy, *p, *end, *content = NULL, *stats = NULL;
	time_t now;

	if (size < 1)
		return 0;
	/* Every type of schema/forms/ (0 incident, 1 signal, 2 integrity). */
	f = forms_get((enum report_type)(data[0] % report_types_count()));
	if (!f || f->nfields > sizeof(errors) / sizeof(errors[0]))
		abort();
	/* 2026-01-01 plus up to two years, so "past" dates are tried both ways. */
	now = (time_t)1767225600 +
	      (time_t)(data[0] / report_types_count()) * 86400 * 8;
	copy = fuzz_text(data + 1, size - 1);
	end = copy + size - 1;
	answers_init(&a);
	for (p = copy; p < end;) {
		char *rec = memchr(p, '\xff', (size_t)(end - p));
		char *sep, *value;

		if (!rec)
			rec = end;
		*rec = '\0';
		sep = memchr(p, '\xfe', (size_t)(rec - p));
		if (sep) {
			*sep = '\0';
			value = sep + 1;
		} else {
			value = rec;
		}
		utf8_valid_text(value, (size_t)(rec - value));
		answers_add(&a, p, value, (size_t)(rec - value));
		p = rec + 1;
	}
	if (form_check(f, &a, 20480, now, errors) == 0) {
		if (form_encode(f, &a, &content, &stats) < 0)
			abort();
		free(content);
		free(stats);
		parts(f, &a);
	}
	answers_release(&a);
	free(copy);
	return 0;
}
