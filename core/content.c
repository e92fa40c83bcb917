/*
 * content.c - read a report's stored content back (see content.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "content.h"
#include "log.h"
#include "secret.h"

/* The members written as form_encode writes them: sorted, compact. */
#define DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

int
stored_answers_read(const void *content, size_t len,
                    struct stored_answers *out)
{
	json_t *doc, *answers, *v;
	const char *name;

	answers_init(&out->a);
	out->doc = NULL;
	out->reporter = NULL;
	doc = json_loadb(content, len, 0, NULL);
	answers = doc ? json_object_get(doc, "answers") : NULL;
	if (!json_is_object(answers)) {
		json_decref(doc);
		return -1;
	}
	out->doc = doc;
	v = json_object_get(doc, "reporter");
	if (json_is_string(v))
		out->reporter = json_string_value(v);
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

/* doc as JSON text in guarded memory. 0 and *out, or -1. */
static int
dump(const json_t *doc, struct secret **out)
{
	size_t n = json_dumpb(doc, NULL, 0, DUMP_FLAGS);

	*out = NULL;
	if (!n)
		return error("could not write a report's content");
	*out = secret_new(n);
	if (!*out)
		return error("out of guarded memory");
	if (json_dumpb(doc, (char *)(*out)->bytes, n, DUMP_FLAGS) != n) {
		secret_free(*out);
		*out = NULL;
		return error("could not write a report's content");
	}
	return 0;
}

/* The parsed answers document of content, or NULL when it is none. */
static json_t *
load_doc(const void *content, size_t len)
{
	json_t *doc = json_loadb(content, len, 0, NULL);

	if (!json_is_object(json_object_get(doc, "answers"))) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int
content_with_identity(const struct secret *content,
                      const struct secret *identity, struct secret **out)
{
	json_t *doc, *id;
	int ret;

	*out = NULL;
	if (!identity) {
		*out = secret_from(content->bytes, content->len);
		return *out ? 0 : error("out of guarded memory");
	}
	doc = load_doc(content->bytes, content->len);
	id = load_doc(identity->bytes, identity->len);
	if (!doc || !id) {
		json_decref(doc);
		json_decref(id);
		return error("a report's content or identity is not an answers "
		             "document");
	}
	ret = json_object_update(json_object_get(doc, "answers"),
	                         json_object_get(id, "answers")) < 0 ? -1 :
	      dump(doc, out);
	json_decref(doc);
	json_decref(id);
	return ret;
}

/*
 * Move f's identity answers out of doc's answers into *identity (when
 * not NULL) and set "reporter" (unless the document has it). -1 when
 * out of memory.
 */
static int
take_identity(const struct form *f, json_t *doc, json_t *identity)
{
	json_t *answers = json_object_get(doc, "answers");
	size_t i, taken = 0;

	for (i = 0; i < f->nfields; i++) {
		json_t *v;

		if (!f->fields[i].identity)
			continue;
		v = json_object_get(answers, f->fields[i].name);
		if (!v)
			continue;
		if (identity && json_object_set(identity, f->fields[i].name,
		                                v) < 0)
			return -1;
		if (json_object_del(answers, f->fields[i].name) < 0)
			return -1;
		taken++;
	}
	if (json_object_get(doc, "reporter"))
		return 0;
	return json_object_set_new(doc, "reporter",
	                           json_string(taken ? "named"
	                                             : "anonymous"));
}

int
content_withheld(const struct form *f, const void *content, size_t len,
                 struct secret **out)
{
	json_t *doc = load_doc(content, len);
	int ret;

	*out = NULL;
	if (!doc) {
		*out = secret_from(content, len);
		return *out ? 0 : error("out of guarded memory");
	}
	ret = take_identity(f, doc, NULL) < 0 ? -1 : dump(doc, out);
	json_decref(doc);
	return ret;
}

int
content_select(const void *content, size_t len, const char *const *names,
                size_t n, struct secret **out)
{
	json_t *doc = load_doc(content, len), *answers, *kept;
	const char *name;
	json_t *v;
	size_t i;
	int ret = -1;

	*out = NULL;
	if (!doc) {
		*out = secret_from(content, len);
		return *out ? 0 : error("out of guarded memory");
	}
	answers = json_object_get(doc, "answers");
	kept = json_object();
	if (!kept)
		goto out;
	json_object_foreach(answers, name, v) {
		for (i = 0; i < n; i++)
			if (names[i] && strcmp(names[i], name) == 0)
				break;
		if (i < n && json_object_set(kept, name, v) < 0)
			goto out;
	}
	if (json_object_set(doc, "answers", kept) < 0)
		goto out;
	ret = dump(doc, out);
out:
	json_decref(kept);
	json_decref(doc);
	return ret;
}

int
content_split(const struct form *f, const void *content, size_t len,
              struct secret **content_out, struct secret **identity_out)
{
	json_t *doc = load_doc(content, len), *id, *answers;
	int ret = -1;

	*content_out = *identity_out = NULL;
	id = json_object();
	answers = json_object();
	if (!id || !answers ||
	    json_object_set(id, "answers", answers) < 0 ||
	    json_object_set_new(id, "form", json_string(
	                        report_type_name(f->type))) < 0)
		goto out;
	if (!doc) {
		*content_out = secret_from(content, len);
		if (!*content_out)
			goto out;
	} else if (take_identity(f, doc, answers) < 0 ||
	           dump(doc, content_out) < 0) {
		goto out;
	}
	ret = dump(id, identity_out);
out:
	if (ret < 0) {
		secret_free(*content_out);
		*content_out = NULL;
	}
	json_decref(answers);
	json_decref(id);
	json_decref(doc);
	return ret;
}

int
stored_answers_withheld(const struct form *f, const struct stored_answers *s)
{
	size_t i;

	if (!s->reporter || strcmp(s->reporter, "named") != 0)
		return 0;
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].identity && answers_get(&s->a, f->fields[i].name))
			return 0;
	return 1;
}
