/*
 * content.c - read a report's stored content back (see content.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "content.h"

int
stored_answers_read(const void *content, size_t len,
                    struct stored_answers *out)
{
	json_t *doc, *answers, *v;
	const char *name;

	answers_init(&out->a);
	out->doc = NULL;
	doc = json_loadb(content, len, 0, NULL);
	answers = doc ? json_object_get(doc, "answers") : NULL;
	if (!json_is_object(answers)) {
		json_decref(doc);
		return -1;
	}
	out->doc = doc;
	json_object_foreach(answers, name, v) {
		size_t i, n = json_is_array(v) ? json_array_size(v) : 1;

		for (i = 0; i < n; i++) {
			json_t *one = json_is_array(v) ? json_array_get(v, i) : v;

			if (json_is_string(one))
				answers_add(&out->a, name, json_string_value(one),
				            json_string_length(one));
		}
	}
	return 0;
}

void
stored_answers_release(struct stored_answers *s)
{
	answers_release(&s->a);
	json_decref(s->doc);
	s->doc = NULL;
}

void
stored_answer_text(const void *content, size_t len, const char *name,
                   char *out, size_t size)
{
	struct stored_answers s;
	const char *v;

	out[0] = '\0';
	if (stored_answers_read(content, len, &s) == 0 &&
	    (v = answers_get(&s.a, name)) != NULL)
		snprintf(out, size, "%s", v);
	stored_answers_release(&s);
}
