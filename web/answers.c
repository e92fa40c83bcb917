/*
 * answers.c - render a report's answers (see answers.h).
 */
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "content.h"
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

/* One question and its answers (n of them, from v on). */
static void
render_one(struct request *req, enum report_type t,
           const struct form_field *fld, const struct answer *v, size_t n)
{
	struct buf text = BUF_INIT, rest = BUF_INIT;
	size_t i, shown = 0;

	html_raw(&req->out, "<dt>");
	field_text(req, t, fld->name, &text);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</dt>\n<dd>");
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, fld->name) != 0)
			continue;
		if (shown++)
			html_raw(&req->out, ", ");
		if (fld->noptions) {
			buf_reset(&rest);
			buf_reset(&text);
			buf_addf(&rest, "%s.%s", fld->name, v[i].value);
			field_text(req, t, rest.data, &text);
			html_text(&req->out, text.data);
		} else {
			html_text(&req->out, v[i].value);
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
	struct stored_answers s;
	size_t i;
	int withheld;

	if (stored_answers_read(content->bytes, content->len, &s) < 0 || !f) {
		stored_answers_release(&s);
		return;
	}
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, heading_key));
	html_raw(&req->out, "</h2>\n<dl class=\"meldpunt-answers\">\n");
	withheld = stored_answers_withheld(f, &s);
	for (i = 0; i < f->nfields; i++) {
		/* Where the identity would be, once: who to ask instead. */
		if (withheld && f->fields[i].identity) {
			html_raw(&req->out, "<dt>");
			html_text(&req->out, web_text(req, "form.reporter"));
			html_raw(&req->out, "</dt>\n<dd id=\"reporter-withheld\">");
			html_text(&req->out, web_text(req, "form.reporter_withheld"));
			html_raw(&req->out, "</dd>\n");
			withheld = 0;
		}
		if (answers_get(&s.a, f->fields[i].name))
			render_one(req, t, &f->fields[i], s.a.items, s.a.n);
	}
	html_raw(&req->out, "</dl>\n");
	stored_answers_release(&s);
}
