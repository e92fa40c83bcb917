/*
 * answers.c - render a report's answers (see answers.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "answers.h"
#include "case.h"
#include "form.h"
#include "html.h"

static void
field_text(const struct request *req, enum report_type t, const char *rest,
           struct buf *out)
{
	struct buf key = BUF_INIT;

	buf_addf(&key, "%s.%s", report_type_name(t), rest);
	buf_adds(out, web_text(req, key.data));
	buf_release(&key);
}

static void
render_one(struct request *req, enum report_type t,
           const struct form_field *fld, json_t *v)
{
	struct buf text = BUF_INIT, rest = BUF_INIT;
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;

	html_raw(&req->out, "<dt>");
	field_text(req, t, fld->name, &text);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</dt>\n<dd>");
	for (i = 0; i < n; i++) {
		json_t *one = json_is_array(v) ? json_array_get(v, i) : v;
		const char *s = json_string_value(one);

		if (!s)
			continue;
		if (i)
			html_raw(&req->out, ", ");
		if (fld->noptions) {
			buf_reset(&rest);
			buf_reset(&text);
			buf_addf(&rest, "%s.%s", fld->name, s);
			field_text(req, t, rest.data, &text);
			html_text(&req->out, text.data);
		} else {
			html_text(&req->out, s);
		}
	}
	html_raw(&req->out, "</dd>\n");
	buf_release(&text);
	buf_release(&rest);
}

void
answers_render(struct request *req, enum report_type t,
               const struct secret *content, const char *heading_key)
{
	const struct form *f = forms_get(t);
	json_t *doc, *answers;
	size_t i;

	doc = json_loadb((const char *)content->bytes, content->len, 0, NULL);
	answers = doc ? json_object_get(doc, "answers") : NULL;
	if (!answers || !f) {
		json_decref(doc);
		return;
	}
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, heading_key));
	html_raw(&req->out, "</h2>\n<dl class=\"meldpunt-answers\">\n");
	for (i = 0; i < f->nfields; i++) {
		json_t *v = json_object_get(answers, f->fields[i].name);

		if (v)
			render_one(req, t, &f->fields[i], v);
	}
	html_raw(&req->out, "</dl>\n");
	json_decref(doc);
}

void
answers_get_text(const struct secret *content, const char *name, char *out,
                 size_t out_size)
{
	case_answer_text(content, name, out, out_size);
}
