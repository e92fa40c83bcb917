/*
 * apijson.c - strict JSON bodies (see apijson.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apijson.h"
#include "casenumber.h"
#include "form.h"

void
apijson_error_add(struct apijson_errors *errs, const char *field,
                  const char *code, size_t max)
{
	struct apijson_error *e;

	errs->total++;
	if (errs->n >= APIJSON_ERRORS_MAX)
		return;
	e = &errs->items[errs->n++];
	/* A name is echoed only as far as it is plain and short. */
	snprintf(e->field, sizeof(e->field), "%s", field);
	e->code = code;
	e->max = max;
}

static void
member_name(char *out, size_t size, const char *parent, const char *name)
{
	char shown[APIJSON_NAME_MAX + 1];
	size_t i;
	int n;

	for (i = 0; name[i] && i < APIJSON_NAME_MAX; i++)
		shown[i] = (unsigned char)name[i] < 0x20 ||
		           (unsigned char)name[i] >= 0x7f ? '?' : name[i];
	shown[i] = '\0';
	if (parent)
		n = snprintf(out, size, "%s.%s", parent, shown);
	else
		n = snprintf(out, size, "%s", shown);
	/*
	 * A deep path is cut short: it only names the member in a message.
	 * Looking at n also tells gcc -O3 the cut is meant
	 * (format-truncation).
	 */
	if (n < 0 && size)
		out[0] = '\0';
}

/* A text value: plain text within max bytes. */
static void
check_text(json_t *v, const char *field, size_t max,
           struct apijson_errors *errs)
{
	const char *s;
	size_t len;

	if (!json_is_string(v)) {
		apijson_error_add(errs, field, "wrong_type", 0);
		return;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > max)
		apijson_error_add(errs, field, "too_long", max);
	else if (!utf8_valid_text(s, len))
		apijson_error_add(errs, field, "bad_text", 0);
}

static void
check_member(json_t *v, const struct apijson_field *f, size_t field_max,
             size_t members_max, struct apijson_errors *errs)
{
	size_t max = f->max ? f->max : field_max;
	char field[sizeof(errs->items[0].field)];
	const char *key;
	json_t *item;

	switch (f->type) {
	case APIJSON_STRING:
		check_text(v, f->name, max, errs);
		return;
	case APIJSON_ID:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > ((json_int_t)1 << 53))
			apijson_error_add(errs, f->name, "wrong_type", 0);
		return;
	case APIJSON_CASE: {
		char number[CASE_NUMBER_LEN + 1];

		if (!json_is_string(v))
			apijson_error_add(errs, f->name, "wrong_type", 0);
		else if (case_number_parse(json_string_value(v), number) < 0)
			apijson_error_add(errs, f->name, "not_a_case_number", 0);
		return;
	}
	case APIJSON_BOOLEAN:
		if (!json_is_boolean(v))
			apijson_error_add(errs, f->name, "wrong_type", 0);
		return;
	case APIJSON_RECORDS: {
		size_t i;
		json_t *rec;

		if (!json_is_array(v)) {
			apijson_error_add(errs, f->name, "wrong_type", 0);
			return;
		}
		if (json_array_size(v) > members_max) {
			apijson_error_add(errs, f->name, "too_many", members_max);
			return;
		}
		json_array_foreach(v, i, rec) {
			char at[APIJSON_NAME_MAX + 16];

			snprintf(at, sizeof(at), "%s[%zu]", f->name, i);
			if (!json_is_object(rec)) {
				apijson_error_add(errs, at, "wrong_type", 0);
				continue;
			}
			if (json_object_size(rec) > members_max) {
				apijson_error_add(errs, at, "too_many", members_max);
				continue;
			}
			json_object_foreach(rec, key, item) {
				member_name(field, sizeof(field), at, key);
				check_text(item, field, max, errs);
			}
		}
		return;
	}
	case APIJSON_TEXTS:
	case APIJSON_ANSWERS:
		if (!json_is_object(v)) {
			apijson_error_add(errs, f->name, "wrong_type", 0);
			return;
		}
		if (json_object_size(v) > members_max) {
			apijson_error_add(errs, f->name, "too_many", members_max);
			return;
		}
		json_object_foreach(v, key, item) {
			member_name(field, sizeof(field), f->name, key);
			if (f->type == APIJSON_ANSWERS && json_is_array(item)) {
				size_t i;
				json_t *x;

				if (json_array_size(item) > members_max) {
					apijson_error_add(errs, field, "too_many",
					                  members_max);
					continue;
				}
				json_array_foreach(item, i, x)
					check_text(x, field, max, errs);
				continue;
			}
			check_text(item, field, max, errs);
		}
		return;
	}
}

int
apijson_parse(const char *body, size_t len, const struct apijson_field *spec,
              size_t nspec, size_t field_max, size_t members_max,
              json_t **out, struct apijson_errors *errs)
{
	json_error_t jerr;
	const char *key;
	json_t *root, *v;
	size_t i;

	memset(errs, 0, sizeof(*errs));
	*out = NULL;
	/* Duplicate keys would let two checks see two different values. */
	root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		errs->malformed = 1;
		/* jansson's text is at most 160 bytes: keep the position. */
		snprintf(errs->detail, sizeof(errs->detail),
		         "line %d, column %d: %.100s", jerr.line, jerr.column,
		         jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		errs->malformed = 1;
		snprintf(errs->detail, sizeof(errs->detail),
		         "the body must be one JSON object");
		goto fail;
	}
	if (json_object_size(root) > members_max) {
		errs->malformed = 1;
		snprintf(errs->detail, sizeof(errs->detail),
		         "more than %zu members", members_max);
		goto fail;
	}
	json_object_foreach(root, key, v) {
		const struct apijson_field *f = NULL;
		char field[APIJSON_NAME_MAX + 1];

		for (i = 0; i < nspec; i++)
			if (strcmp(spec[i].name, key) == 0)
				f = &spec[i];
		if (!f) {
			member_name(field, sizeof(field), NULL, key);
			apijson_error_add(errs, field, "unknown_field", 0);
			continue;
		}
		check_member(v, f, field_max, members_max, errs);
	}
	for (i = 0; i < nspec; i++)
		if (spec[i].required && !json_object_get(root, spec[i].name))
			apijson_error_add(errs, spec[i].name, "missing", 0);
	if (errs->total)
		goto fail;
	*out = root;
	return 0;
fail:
	json_decref(root);
	return -1;
}
