/*
 * fuzz_apijson.c - the API's strict JSON reader (web/apijson.h) on
 * arbitrary bodies, against a table with a member of every type.
 *
 * Input: the first byte picks which members are required and the limits;
 * the rest is the body. A body that passes must hold exactly what the
 * table allows, with each value of its type and within its limit; a body
 * refused must say why, within the bounds of the error list.
 */
#include "fuzz.h"
#include "apijson.h"
#include "form.h"

static const char *const names[] = { "receipt", "id", "notify", "fields",
                                     "answers", "actions" };
#define NSPEC 6

static void
check_text(json_t *v, size_t max)
{
	if (!json_is_string(v) || json_string_length(v) > max ||
	    !utf8_valid_text(json_string_value(v), json_string_length(v)))
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	/* The server's allocator for jansson (it wipes what it frees). */
	return forms_load() < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apijson_field spec[] = {
		{ "receipt", APIJSON_STRING, 0, 64 },
		{ "id", APIJSON_ID, 0, 0 },
		{ "notify", APIJSON_BOOLEAN, 0, 0 },
		{ "fields", APIJSON_TEXTS, 0, 16 },
		{ "answers", APIJSON_ANSWERS, 0, 0 },
		{ "actions", APIJSON_RECORDS, 0, 32 },
	};
	struct apijson_errors errs;
	size_t field_max, members_max, i;
	const char *key;
	json_t *out = NULL, *v;
	char *body;

	if (size < 1)
		return 0;
	for (i = 0; i < NSPEC; i++)
		spec[i].required = (data[0] >> i) & 1;
	field_max = data[0] & 0x20 ? 8 : 20480;
	members_max = data[0] & 0x40 ? 2 : 100;
	body = fuzz_text(data + 1, size - 1);
	if (apijson_parse(body, size - 1, spec, NSPEC, field_max, members_max, &out,
	                  &errs) == 0) {
		if (!json_is_object(out) || errs.total || errs.malformed)
			abort();
		for (i = 0; i < NSPEC; i++)
			if (spec[i].required && !json_object_get(out, names[i]))
				abort();
		json_object_foreach(out, key, v) {
			if (strcmp(key, "receipt") == 0)
				check_text(v, 64);
			else if (strcmp(key, "id") == 0) {
				if (!json_is_integer(v) || json_integer_value(v) < 1)
					abort();
			} else if (strcmp(key, "notify") == 0) {
				if (!json_is_boolean(v))
					abort();
			} else if (strcmp(key, "fields") == 0 ||
			           strcmp(key, "answers") == 0) {
				const char *k2;
				json_t *x;

				if (!json_is_object(v) ||
				    json_object_size(v) > members_max)
					abort();
				json_object_foreach(v, k2, x) {
					size_t j;
					json_t *y;

					if (json_is_array(x) && key[0] == 'a') {
						json_array_foreach(x, j, y)
							check_text(y, field_max);
						continue;
					}
					check_text(x, key[0] == 'a' ? field_max : 16);
				}
			} else if (strcmp(key, "actions") == 0) {
				size_t j;
				const char *k2;
				json_t *r, *x;

				if (!json_is_array(v) || json_array_size(v) > members_max)
					abort();
				json_array_foreach(v, j, r) {
					if (!json_is_object(r) ||
					    json_object_size(r) > members_max)
						abort();
					json_object_foreach(r, k2, x)
						check_text(x, 32);
				}
			} else {
				abort();	/* an unknown member got through */
			}
		}
		json_decref(out);
	} else {
		if (out || (!errs.malformed && !errs.total) ||
		    errs.n > APIJSON_ERRORS_MAX || errs.n > errs.total)
			abort();
	}
	free(body);
	return 0;
}
