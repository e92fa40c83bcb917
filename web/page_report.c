/*
 * page_report.c - the reporter's side: forms, receipt, status.
 *
 * A reporter has no account. The forms are drawn from their definition
 * (core/form.h) with the texts of the message catalogue; a submission is
 * checked field by field and, when anything is wrong, the form comes back
 * with every answer still in it and a message beside each field in error.
 * Only a stored report gets a receipt page. Coming back, the receipt
 * travels in the body of a POST, never in a URL, so it does not end up in
 * a browser's history or a proxy's log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "clock.h"
#include "events.h"
#include "filing.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "install.h"
#include "layout.h"
#include "log.h"
#include "message.h"
#include "oral.h"
#include "page_report.h"
#include "paths.h"
#include "post.h"
#include "report.h"
#include "shared.h"
#include "workflow.h"
#include "widget.h"
#include "zone.h"

/* The name of the files field in every form (schema/forms/). */
#define FILES_FIELD "files"


const char *
report_form_text(const struct request *req, enum report_type t,
                 const char *rest)
{
	struct buf key = BUF_INIT;
	const char *text;

	buf_addf(&key, "%s.%s", report_type_name(t), rest);
	text = web_text(req, key.data);
	buf_release(&key);
	return text;
}

static int
form_has_text(enum report_type t, const char *rest)
{
	struct buf key = BUF_INIT;
	int has;

	buf_addf(&key, "%s.%s", report_type_name(t), rest);
	has = i18n_has(key.data);
	buf_release(&key);
	return has;
}

static void
size_text(struct buf *b, size_t bytes)
{
	if (bytes >= 1024 * 1024)
		buf_addf(b, "%zu MB", bytes / (1024 * 1024));
	else
		buf_addf(b, "%zu kB", bytes / 1024);
}

/* A limit message with {max}, {files}, {size} and {name} filled in. */
static void
limit_text_named(const struct request *req, struct buf *out, const char *key,
                 size_t max, const char *name)
{
	struct buf m = BUF_INIT, files = BUF_INIT, size = BUF_INIT;
	const char *text = web_text(req, key);

	buf_addf(&m, "%zu", max);
	buf_addf(&files, "%u", req->limits->upload_files_max);
	if (strcmp(key, "form.error.upload_too_large") == 0)
		size_text(&size, req->limits->upload_total_max);
	else
		size_text(&size, req->limits->upload_file_max);
	i18n_fill(out, text, "max", m.data, "files", files.data, "size",
	          size.data, "name", name ? name : "", (const char *)NULL);
	buf_release(&m);
	buf_release(&files);
	buf_release(&size);
}

static void
limit_text(const struct request *req, struct buf *out, const char *key,
           size_t max)
{
	limit_text_named(req, out, key, max, NULL);
}

/*
 * What a type's texts add under its intro, each only where the catalogue
 * has it (integrity: who reads the report, the protection the law gives,
 * where else to report).
 */
static void
form_notes(struct request *req, enum report_type t)
{
	static const char *const notes[][2] = {
		{ "readers", "readers_title" },
		{ "protection", "protection_title" },
		{ "external", "external_title" },
	};
	size_t i;

	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		if (!form_has_text(t, notes[i][0]))
			continue;
		html_raw(&req->out, "<section class=\"meldpunt-notice\">\n"
		         "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, report_form_text(req, t, notes[i][1]));
		html_raw(&req->out, "</h2>\n");
		layout_paragraph(req, report_form_text(req, t, notes[i][0]));
		html_raw(&req->out, "</section>\n");
	}
}

/* What went wrong with one field, as the page shows it. */
struct field_state {
	enum field_error error;
	const char *file_error;		/* a form.error.* key for files */
	const char *file_name;		/* the file it names, or NULL */
};

static void
field_error_text(const struct request *req, const struct form_field *fld,
                 const struct field_state *fs, struct buf *out)
{
	struct buf key = BUF_INIT;

	if (fs->file_error) {
		limit_text_named(req, out, fs->file_error, 0, fs->file_name);
		return;
	}
	buf_addf(&key, "form.error.%s", field_error_code(fs->error));
	limit_text(req, out, key.data,
	           fld->max ? fld->max : req->limits->field_max);
	buf_release(&key);
}

static int
answered(const struct answers *a, const char *name, const char *value)
{
	size_t i;

	for (i = 0; a && i < a->n; i++)
		if (strcmp(a->items[i].name, name) == 0 &&
		    strcmp(a->items[i].value, value) == 0)
			return 1;
	return 0;
}

static void
field_id(struct buf *b, const struct form_field *fld, const char *suffix)
{
	buf_addf(b, "f-%s%s", fld->name, suffix);
}

/* Label text plus "(niet verplicht)" for optional questions. */
static void
label_text(struct request *req, enum report_type t,
           const struct form_field *fld)
{
	html_text(&req->out, report_form_text(req, t, fld->name));
	if (!fld->required) {
		html_raw(&req->out, " <span class=\"meldpunt-optional\">(");
		html_text(&req->out, web_text(req, "form.optional"));
		html_raw(&req->out, ")</span>");
	}
}

/* aria-describedby naming the hint and the error message, if any. */
static void
describedby_ids(struct request *req, const struct form_field *fld, int hint,
                int err)
{
	struct buf ids = BUF_INIT;

	if (hint)
		field_id(&ids, fld, "-hint");
	if (err) {
		if (ids.len)
			buf_addch(&ids, ' ');
		field_id(&ids, fld, "-error");
	}
	if (ids.len) {
		html_raw(&req->out, " aria-describedby=\"");
		html_attr(&req->out, ids.data);
		html_raw(&req->out, "\"");
	}
	buf_release(&ids);
}

/* The ARIA attributes of a single control: description, state, required. */
static void
describedby(struct request *req, const struct form_field *fld, int hint,
            int err)
{
	describedby_ids(req, fld, hint, err);
	if (err)
		html_raw(&req->out, " aria-invalid=\"true\"");
	if (fld->required && !fld->when_field)
		html_raw(&req->out, " aria-required=\"true\"");
}

/*
 * Radio buttons or check boxes, each a Utrecht form field of its own: the
 * control, then its label, on one line. The hint and the error message
 * belong to the whole group, so the fieldset names them (render_field);
 * each control in a group in error says it is invalid.
 */
static void
render_options(struct request *req, enum report_type t,
               const struct form_field *fld, const struct answers *a,
               int err)
{
	const char *type = fld->kind == FIELD_MULTI ? "checkbox" : "radio";
	const char *cls = fld->kind == FIELD_MULTI ? "utrecht-checkbox"
	                                            : "utrecht-radio-button";
	struct buf rest = BUF_INIT, id = BUF_INIT;
	size_t i;

	for (i = 0; i < fld->noptions; i++) {
		buf_reset(&rest);
		buf_reset(&id);
		buf_addf(&rest, "%s.%s", fld->name, fld->options[i]);
		buf_addf(&id, "f-%s-%s", fld->name, fld->options[i]);
		html_raw(&req->out, "<div class=\"utrecht-form-field "
		         "utrecht-form-field--");
		html_raw(&req->out, type);
		html_raw(&req->out, "\">\n<div class=\"utrecht-form-field__input\">"
		         "<input class=\"");
		html_raw(&req->out, cls);
		html_raw(&req->out, " ");
		html_raw(&req->out, cls);
		html_raw(&req->out, "--html-input\" type=\"");
		html_raw(&req->out, type);
		html_raw(&req->out, "\" name=\"");
		html_attr(&req->out, fld->name);
		html_raw(&req->out, "\" id=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "\" value=\"");
		html_attr(&req->out, fld->options[i]);
		html_raw(&req->out, "\"");
		if (answered(a, fld->name, fld->options[i]))
			html_raw(&req->out, " checked");
		if (err)
			html_raw(&req->out, " aria-invalid=\"true\"");
		html_raw(&req->out, "></div>\n<div class=\"utrecht-form-field__label "
		         "utrecht-form-field__label--");
		html_raw(&req->out, type);
		html_raw(&req->out, "\"><label class=\"utrecht-form-label "
		         "utrecht-form-label--");
		html_raw(&req->out, type);
		html_raw(&req->out, "\" for=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "\">");
		html_text(&req->out, report_form_text(req, t, rest.data));
		html_raw(&req->out, "</label></div>\n</div>\n");
	}
	buf_release(&rest);
	buf_release(&id);
}

static void
render_select(struct request *req, enum report_type t,
              const struct form_field *fld, const struct answers *a,
              int hint, int err)
{
	struct buf rest = BUF_INIT, id = BUF_INIT;
	size_t i;

	field_id(&id, fld, "");
	html_raw(&req->out, "<select class=\"utrecht-select "
	         "utrecht-select--html-select\" name=\"");
	html_attr(&req->out, fld->name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id.data);
	html_raw(&req->out, "\"");
	describedby(req, fld, hint, err);
	html_raw(&req->out, ">\n<option value=\"\">");
	html_text(&req->out, web_text(req, "form.choose"));
	html_raw(&req->out, "</option>\n");
	for (i = 0; i < fld->noptions; i++) {
		buf_reset(&rest);
		buf_addf(&rest, "%s.%s", fld->name, fld->options[i]);
		html_raw(&req->out, "<option value=\"");
		html_attr(&req->out, fld->options[i]);
		html_raw(&req->out, "\"");
		if (answered(a, fld->name, fld->options[i]))
			html_raw(&req->out, " selected");
		html_raw(&req->out, ">");
		html_text(&req->out, report_form_text(req, t, rest.data));
		html_raw(&req->out, "</option>\n");
	}
	html_raw(&req->out, "</select>\n");
	buf_release(&rest);
	buf_release(&id);
}

static void
render_input(struct request *req, const struct form_field *fld,
             const struct answers *a, int hint, int err)
{
	const char *value = a ? answers_get(a, fld->name) : NULL;
	struct buf id = BUF_INIT;
	const char *type;

	field_id(&id, fld, "");
	if (fld->kind == FIELD_TEXTAREA) {
		html_raw(&req->out, "<textarea class=\"utrecht-textarea "
		         "utrecht-textarea--html-textarea\" rows=\"6\" name=\"");
		html_attr(&req->out, fld->name);
		html_raw(&req->out, "\" id=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "\"");
		describedby(req, fld, hint, err);
		html_raw(&req->out, ">");
		html_text(&req->out, value ? value : "");
		html_raw(&req->out, "</textarea>\n");
		buf_release(&id);
		return;
	}
	switch (fld->kind) {
	case FIELD_EMAIL: type = "email"; break;
	case FIELD_PHONE: type = "tel"; break;
	case FIELD_DATE: type = "date"; break;
	case FIELD_TIME: type = "time"; break;
	case FIELD_FILES: type = "file"; break;
	default: type = "text"; break;
	}
	/* Not --html-input on a file input: it matches :read-only, and
	 * would look disabled. */
	html_raw(&req->out, fld->kind == FIELD_FILES
	         ? "<input class=\"utrecht-textbox\" type=\""
	         : "<input class=\"utrecht-textbox "
	           "utrecht-textbox--html-input\" type=\"");
	html_raw(&req->out, type);
	html_raw(&req->out, "\" name=\"");
	html_attr(&req->out, fld->name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id.data);
	html_raw(&req->out, "\"");
	if (fld->kind == FIELD_FILES) {
		html_raw(&req->out, " multiple");
	} else {
		html_raw(&req->out, " value=\"");
		html_attr(&req->out, value ? value : "");
		html_raw(&req->out, "\"");
	}
	if (fld->kind == FIELD_EMAIL)
		html_raw(&req->out, " autocomplete=\"email\"");
	else if (fld->kind == FIELD_PHONE)
		html_raw(&req->out, " autocomplete=\"tel\"");
	else if (strcmp(fld->name, "reporter_name") == 0)
		html_raw(&req->out, " autocomplete=\"name\"");
	describedby(req, fld, hint, err);
	html_raw(&req->out, ">\n");
	buf_release(&id);
}

static void
render_field(struct request *req, enum report_type t,
             const struct form_field *fld, const struct answers *a,
             const struct field_state *fs)
{
	int group = fld->kind == FIELD_CHOICE || fld->kind == FIELD_MULTI;
	int err = fs->error != FIELD_OK || fs->file_error != NULL;
	struct buf hint_key = BUF_INIT, id = BUF_INIT, text = BUF_INIT;
	int hint;

	buf_addf(&hint_key, "%s.hint", fld->name);
	hint = form_has_text(t, hint_key.data) || fld->kind == FIELD_FILES;
	field_id(&id, fld, "");

	html_raw(&req->out, "<div class=\"utrecht-form-field");
	if (err)
		html_raw(&req->out, " utrecht-form-field--invalid");
	html_raw(&req->out, "\"");
	/* meldpunt.css hides a question whose condition is visibly not met. */
	if (fld->when_field) {
		html_raw(&req->out, " data-when=\"");
		html_attr(&req->out, fld->when_field);
		html_raw(&req->out, ":");
		html_attr(&req->out, fld->when_value);
		html_raw(&req->out, "\"");
	}
	html_raw(&req->out, ">\n");
	if (group) {
		html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset "
		         "utrecht-form-fieldset--html-fieldset\"");
		describedby_ids(req, fld, hint, err);
		html_raw(&req->out, ">\n<legend class=\"utrecht-form-fieldset__legend "
		         "utrecht-form-fieldset__legend--html-legend\">");
		label_text(req, t, fld);
		html_raw(&req->out, "</legend>\n");
	} else {
		html_raw(&req->out, "<label class=\"utrecht-form-label\" for=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "\">");
		label_text(req, t, fld);
		html_raw(&req->out, "</label>\n");
	}
	if (hint) {
		html_raw(&req->out, "<div class=\"utrecht-form-field-description\" "
		         "id=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "-hint\">");
		if (fld->kind == FIELD_FILES)
			limit_text(req, &text, "form.files_hint", 0);
		else
			buf_adds(&text, report_form_text(req, t, hint_key.data));
		html_text(&req->out, text.data);
		html_raw(&req->out, "</div>\n");
	}
	if (err) {
		buf_reset(&text);
		field_error_text(req, fld, fs, &text);
		html_raw(&req->out, "<div class=\"utrecht-form-field-error-message\" "
		         "id=\"");
		html_attr(&req->out, id.data);
		html_raw(&req->out, "-error\">");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</div>\n");
	}
	if (group)
		render_options(req, t, fld, a, err);
	else if (fld->kind == FIELD_SELECT)
		render_select(req, t, fld, a, hint, err);
	else
		render_input(req, fld, a, hint, err);
	if (group)
		html_raw(&req->out, "</fieldset>\n");
	html_raw(&req->out, "</div>\n");
	buf_release(&hint_key);
	buf_release(&id);
	buf_release(&text);
}

/* 1 when form f has a files field. */
static int
has_files(const struct form *f)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].kind == FIELD_FILES)
			return 1;
	return 0;
}

/*
 * The form, with the answers a (or none), the field errors, and refusal:
 * the message key of a refusal of the whole submission (429, 503), said
 * above the form with the note that files are not kept; or NULL.
 */
static void
render_form(struct request *req, enum report_type t, const struct answers *a,
            const struct field_state *states, size_t nerrors,
            const struct report_form_host *host, const char *refusal,
            const char *own_error)
{
	const char *title = host ? host->title : report_form_text(req, t, "title");
	const struct form *f = forms_get(t);
	struct buf text = BUF_INIT;
	size_t i;

	layout_begin(req, title);
	layout_heading(req, title);
	if (refusal) {
		layout_alert_begin(req, "error");
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\" "
		         "id=\"errors\">");
		html_text(&req->out, web_text(req, "form.refused_title"));
		html_raw(&req->out, "</h2>\n");
		layout_paragraph(req, web_text(req, refusal));
		layout_paragraph(req, web_text(req, "form.refused_kept"));
		if (has_files(f))
			layout_paragraph(req, web_text(req,
			                               "form.refused_files"));
		layout_alert_end(req);
	}
	if (nerrors) {
		layout_alert_begin(req, "error");
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\" id=\"errors\">");
		html_text(&req->out, web_text(req, "form.errors_title"));
		html_raw(&req->out, "</h2>\n");
		layout_paragraph(req, web_text(req, "form.errors_intro"));
		html_raw(&req->out, "<ul class=\"utrecht-unordered-list\">\n");
		if (own_error && host && host->record_label) {
			/* The record of an oral report, written first. */
			buf_reset(&text);
			limit_text(req, &text, own_error, req->limits->field_max);
			html_raw(&req->out, "<li><a class=\"utrecht-link\" "
			         "href=\"#f-record\">");
			html_text(&req->out, web_text(req, host->record_label));
			html_raw(&req->out, "</a>: ");
			html_text(&req->out, text.data);
			html_raw(&req->out, "</li>\n");
		}
		for (i = 0; i < f->nfields; i++) {
			const struct form_field *fld = &f->fields[i];

			if (states[i].error == FIELD_OK && !states[i].file_error)
				continue;
			buf_reset(&text);
			field_error_text(req, fld, &states[i], &text);
			html_raw(&req->out, "<li><a class=\"utrecht-link\" href=\"#f-");
			html_attr(&req->out, fld->name);
			if (fld->kind == FIELD_CHOICE || fld->kind == FIELD_MULTI) {
				html_raw(&req->out, "-");
				html_attr(&req->out, fld->options[0]);
			}
			html_raw(&req->out, "\">");
			html_text(&req->out, report_form_text(req, t, fld->name));
			html_raw(&req->out, "</a>: ");
			html_text(&req->out, text.data);
			html_raw(&req->out, "</li>\n");
		}
		html_raw(&req->out, "</ul>\n");
		layout_alert_end(req);
	}
	layout_paragraph(req, report_form_text(req, t, "intro"));
	form_notes(req, t);
	if (f->anonymous) {
		html_raw(&req->out, "<section class=\"meldpunt-notice\">\n"
		         "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, report_form_text(req, t, "anonymous_title"));
		html_raw(&req->out, "</h2>\n");
		layout_paragraph(req, report_form_text(req, t, "anonymous_does"));
		layout_paragraph(req, report_form_text(req, t, "anonymous_does_not"));
		html_raw(&req->out, "</section>\n");
	}
	html_raw(&req->out, "<form class=\"meldpunt-form\" method=\"post\" "
	         "enctype=\"multipart/form-data\" novalidate action=\"");
	if (host) {
		html_attr(&req->out, host->action);
	} else {
		html_attr(&req->out, PATH_REPORT_PREFIX);
		html_attr(&req->out, report_type_path(t));
	}
	html_raw(&req->out, "\">\n");
	if (host)
		host->fields(req, host, own_error);
	for (i = 0; i < f->nfields; i++) {
		struct field_state none = { FIELD_OK, NULL, NULL };

		render_field(req, t, &f->fields[i], a, states ? &states[i] : &none);
	}
	html_raw(&req->out, "<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "form.submit"));
	html_raw(&req->out, "</button>\n</form>\n");
	layout_end(req);
	buf_release(&text);
}

int
page_report_form(struct request *req)
{
	render_form(req, req->type, NULL, NULL, 0, NULL, NULL, NULL);
	return 0;
}

void
report_form_render(struct request *req, enum report_type t,
                   const struct report_form_host *host)
{
	render_form(req, t, NULL, NULL, 0, host, NULL, NULL);
}

/* The text answers of a post, as core/form.h takes them. */
static void
collect_answers(const struct post *p, struct answers *a)
{
	size_t i;

	answers_init(a);
	for (i = 0; i < p->nfields; i++) {
		const struct post_field *pf = &p->fields[i];

		if (pf->is_file)
			continue;
		/* Text over the limit was cut by the post reader: say so. */
		if (pf->error == POST_FIELD_TOO_LONG)
			answers_add_cut(a, pf->name, pf->value.data,
			                pf->value.len);
		else
			answers_add(a, pf->name, pf->value.data, pf->value.len);
	}
}

static const char *
post_error_key(enum post_error e)
{
	switch (e) {
	case POST_FILE_TOO_LARGE: return "form.error.file_too_large";
	case POST_TOO_MANY_FILES: return "form.error.too_many_files";
	case POST_UPLOAD_TOO_LARGE: return "form.error.upload_too_large";
	default: return NULL;
	}
}

/*
 * The files of a post that carry something; *err gets the first limit
 * one of them broke (as a message key), if any. Returns the number kept.
 */
static size_t
collect_files(const struct post *p, struct attachment_in *out, size_t max,
              const char **err)
{
	size_t i, n = 0;

	*err = NULL;
	for (i = 0; i < p->nfields; i++) {
		const struct post_field *f = &p->fields[i];

		if (!f->is_file || strcmp(f->name, FILES_FIELD) != 0)
			continue;
		if (f->error != POST_OK) {
			if (!*err)
				*err = post_error_key(f->error);
			continue;
		}
		/* An empty file input sends a part with no name and no bytes. */
		if (!f->filename || !f->filename[0] || !f->value.len)
			continue;
		if (n < max) {
			out[n].name = f->filename;
			out[n].type = f->content_type ? f->content_type
			                              : "application/octet-stream";
			out[n].data = f->value.data;
			out[n].len = f->value.len;
			n++;
		}
	}
	return n;
}

static void
render_receipt(struct request *req, const char *receipt)
{
	layout_begin(req, web_text(req, "receipt.title"));
	layout_heading(req, web_text(req, "receipt.title"));
	layout_alert_begin(req, "ok");
	layout_paragraph(req, web_text(req, "receipt.lead"));
	layout_alert_end(req);
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "receipt.code_label"));
	html_raw(&req->out, "</h2>\n<p class=\"meldpunt-receipt\" "
	         "id=\"receipt\">");
	html_text(&req->out, receipt);
	html_raw(&req->out, "</p>\n");
	layout_paragraph(req, web_text(req, "receipt.write_down"));
	layout_paragraph(req, web_text(req, "receipt.no_recovery"));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"" PATH_STATUS "\">");
	html_text(&req->out, web_text(req, "receipt.come_back"));
	html_raw(&req->out, "</a></p>\n");
	layout_end(req);
}

/*
 * A refusal of a submission whose body was read (429: the submission
 * limit; 503: storing failed): the form again with everything typed and
 * the reason; files are not kept, and the page says so.
 */
static void
render_refused(struct request *req, enum report_type t,
               const struct report_form_host *host, unsigned status,
               const char *key)
{
	struct answers a;

	collect_answers(req->post, &a);
	req->status = status;
	req->retry_after = status == 503 ? LIMIT_BUSY_RETRY_AFTER : 60;
	render_form(req, t, &a, NULL, 0, host, key, NULL);
	answers_release(&a);
}

int
page_report_submit(struct request *req)
{
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;
	int rc;

	if (!web_rate_allow(req, WEB_RATE_SUBMIT)) {
		render_refused(req, req->type, NULL, 429,
		               "common.rate_limited");
		return 0;
	}
	rc = report_form_submit(req, req->type, NULL, "web", receipt,
	                        &id);
	/* Only a stored report counts towards the limit. */
	if (rc != 1)
		web_rate_give_back(req, WEB_RATE_SUBMIT);
	if (rc == 1) {
		render_receipt(req, receipt);
		crypto_wipe(receipt, sizeof(receipt));
	}
	return rc < 0 ? -1 : 0;
}

int
page_report_too_large(struct request *req)
{
	struct buf text = BUF_INIT, max = BUF_INIT, files = BUF_INIT;
	struct buf size = BUF_INIT, total = BUF_INIT, field = BUF_INIT;

	size_text(&max, req->limits->body_max);
	buf_addf(&files, "%u", req->limits->upload_files_max);
	size_text(&size, req->limits->upload_file_max);
	size_text(&total, req->limits->upload_total_max);
	size_text(&field, req->limits->field_max);
	req->status = 413;
	layout_begin(req, web_text(req, "common.error_title"));
	layout_heading(req, web_text(req, "common.error_title"));
	layout_alert_begin(req, "error");
	i18n_fill(&text, web_text(req, "common.too_large"), "max", max.data,
	          (const char *)NULL);
	layout_paragraph(req, text.data);
	layout_alert_end(req);
	buf_reset(&text);
	i18n_fill(&text, web_text(req, "form.too_large_limits"), "max",
	          max.data, "files", files.data, "size", size.data, "total",
	          total.data, "field", field.data, (const char *)NULL);
	layout_paragraph(req, text.data);
	layout_paragraph(req, web_text(req, "form.too_large_back"));
	/* Back to the form the body was sent from: its own path. */
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a "
	         "class=\"utrecht-link\" href=\"");
	html_attr(&req->out, req->path);
	html_raw(&req->out, "\">");
	html_text(&req->out, web_text(req, "form.back_to_form"));
	html_raw(&req->out, "</a></p>\n");
	layout_end(req);
	buf_release(&text);
	buf_release(&max);
	buf_release(&files);
	buf_release(&size);
	buf_release(&total);
	buf_release(&field);
	return 0;
}

int
report_form_submit(struct request *req, enum report_type t,
                   const struct report_form_host *host, const char *source,
                   char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out)
{
	const struct form *f = forms_get(t);
	struct field_state *states;
	struct attachment_in *files;
	struct answers a;
	enum field_error *errors;
	struct outcome o;
	const char *file_err, *own_error = NULL;
	size_t i, nerrors = 0;
	int ret = 0;

	collect_answers(req->post, &a);
	errors = calloc(f->nfields, sizeof(*errors));
	states = calloc(f->nfields, sizeof(*states));
	files = calloc(req->limits->upload_files_max + 1, sizeof(*files));
	if (!errors || !states || !files)
		die("out of memory");
	{
		struct filing in = {
			.type = t, .workflow = web_workflow(req, t),
			.source = source, .answers = &a, .files = files,
			.field_max = req->limits->field_max,
			.upload_types = req->limits->upload_types,
			.registrar = host ? host->registrar : NULL,
		};

		in.nfiles = collect_files(req->post, files,
		                          req->limits->upload_files_max,
		                          &file_err);
		in.transport_errors = file_err != NULL;
		if (host && host->oral) {
			/* The record of the conversation (core/oral.h). */
			const struct post_field *pf =
				post_field_nth(req->post, "record", 0);

			in.record = pf && !pf->is_file ? pf->value.data : "";
			in.record_len = pf && !pf->is_file ? pf->value.len : 0;
			in.record_cut = pf && pf->error == POST_FIELD_TOO_LONG;
			if (!in.record)
				in.record = "";
		}
		o = report_file(req->inst, &in, errors, receipt);
		if (o.verdict == VERDICT_INVALID && o.field &&
		    strcmp(o.field, "record") == 0) {
			own_error = o.key;
			nerrors++;
		}
		if (o.verdict == VERDICT_INVALID) {
			for (i = 0; i < f->nfields; i++) {
				states[i].error = errors[i];
				if (f->fields[i].kind == FIELD_FILES) {
					states[i].file_error = file_err;
					/* Files chosen are not sent again by
					 * the browser: say so. */
					if (in.nfiles && !file_err)
						states[i].file_error =
							"form.error.files_lost";
					/* A file of a kind not allowed. */
					if (o.arg && !file_err) {
						states[i].file_error =
							"form.error.file_type";
						states[i].file_name = o.arg;
					}
				}
				if (errors[i] != FIELD_OK ||
				    states[i].file_error)
					nerrors++;
			}
		}
	}
	switch (o.verdict) {
	case VERDICT_DONE:
		*id_out = o.id;
		ret = 1;
		break;
	case VERDICT_INVALID:
		req->status = 400;
		render_form(req, t, &a, states, nerrors, host, NULL,
		            own_error);
		break;
	default:
		/* Storing failed just now (the database busy, the disk
		 * full): nothing was stored; try again with all typed. */
		render_refused(req, t, host, 503, "form.store_failed");
		break;
	}
	answers_release(&a);
	free(errors);
	free(states);
	free(files);
	return ret;
}

static void
render_receipt_form(struct request *req, const char *message)
{
	layout_begin(req, web_text(req, "status.title"));
	layout_heading(req, web_text(req, "status.title"));
	if (message) {
		layout_alert_begin(req, "error");
		layout_paragraph(req, message);
		layout_alert_end(req);
	}
	layout_paragraph(req, web_text(req, "status.intro"));
	html_raw(&req->out, "<form method=\"post\" action=\"" PATH_STATUS "\" "
	         "novalidate>\n<div class=\"utrecht-form-field");
	if (message)
		html_raw(&req->out, " utrecht-form-field--invalid");
	html_raw(&req->out, "\">\n<label class=\"utrecht-form-label\" "
	         "for=\"f-receipt\">");
	html_text(&req->out, web_text(req, "status.receipt"));
	html_raw(&req->out, "</label>\n<div class=\"utrecht-form-field-description\" "
	         "id=\"f-receipt-hint\">");
	html_text(&req->out, web_text(req, "status.receipt.hint"));
	html_raw(&req->out, "</div>\n<input class=\"utrecht-textbox "
	         "utrecht-textbox--html-input meldpunt-receipt-input\" "
	         "type=\"text\" name=\"receipt\" id=\"f-receipt\" "
	         "autocomplete=\"off\" autocapitalize=\"characters\" "
	         "spellcheck=\"false\" aria-describedby=\"f-receipt-hint\" "
	         "aria-required=\"true\"");
	if (message)
		html_raw(&req->out, " aria-invalid=\"true\"");
	html_raw(&req->out, ">\n</div>\n<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "status.submit"));
	html_raw(&req->out, "</button>\n</form>\n");
	layout_end(req);
}

int
page_status_form(struct request *req)
{
	render_receipt_form(req, NULL);
	return 0;
}

static void
render_messages(struct request *req, const struct message_view *m, size_t n)
{
	size_t i;

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "status.messages"));
	html_raw(&req->out, "</h2>\n");
	if (!n) {
		layout_paragraph(req, web_text(req, "status.no_messages"));
		return;
	}
	html_raw(&req->out, "<ol class=\"meldpunt-messages\">\n");
	for (i = 0; i < n; i++) {
		struct buf body = BUF_INIT;

		buf_add(&body, m[i].body->bytes, m[i].body->len);
		html_raw(&req->out, "<li class=\"meldpunt-message");
		html_raw(&req->out, m[i].from_reporter ? " meldpunt-message--reporter"
		                                       : " meldpunt-message--handler");
		html_raw(&req->out, "\"><p class=\"meldpunt-message-meta\">");
		html_text(&req->out, web_text(req, m[i].from_reporter
		                             ? "status.from_you"
		                             : "status.from_handler"));
		html_raw(&req->out, ", ");
		widget_time(req, m[i].at);
		html_raw(&req->out, "</p>\n<p class=\"meldpunt-message-body\">");
		html_text(&req->out, body.data);
		html_raw(&req->out, "</p>");
		if (m[i].nfiles) {
			struct buf count = BUF_INIT, text = BUF_INIT;

			buf_addf(&count, "%zu", m[i].nfiles);
			i18n_fill(&text, web_text(req, "status.message_files"), "n",
			          count.data, (const char *)NULL);
			html_raw(&req->out, "\n<p class=\"meldpunt-message-meta\">");
			html_text(&req->out, text.data);
			html_raw(&req->out, "</p>");
			buf_release(&count);
			buf_release(&text);
		}
		html_raw(&req->out, "</li>\n");
		buf_wipe_release(&body);
	}
	html_raw(&req->out, "</ol>\n");
}

static const char *
reporter_state_label(const struct request *req, enum report_type t,
                     const char *state)
{
	const struct workflow *wf = web_workflow(req, t);
	const struct workflow_state *s = wf ? workflow_state_find(wf, state)
	                                    : NULL;

	if (!s)
		return state;
	return s->reporter[req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL];
}

/* A hidden field of the reporter's forms. */
static void
hidden_field(struct request *req, const char *name, const char *value)
{
	html_raw(&req->out, "<input type=\"hidden\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" value=\"");
	html_attr(&req->out, value);
	html_raw(&req->out, "\">\n");
}

/*
 * An oral report's record (core/oral.h): the text in force, where the
 * reporter's check stands, and until it is approved the two forms,
 * approve and correct (typed: a refused correction's text, kept).
 */
static void
render_oral(struct request *req, const char *receipt,
            const struct oral_record *rec, const char *typed)
{
	const struct oral_entry *cur = oral_current(rec),
	                        *ok = oral_approval(rec);
	enum oral_state state = oral_state_of(rec);
	struct buf text = BUF_INIT, version = BUF_INIT;
	char day[CLOCK_SHOW_LEN + 1];

	if (!cur)
		return;
	html_raw(&req->out, "<section class=\"meldpunt-record\" id=\"record\">\n"
	         "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "oral.status_title"));
	html_raw(&req->out, "</h2>\n<p class=\"utrecht-paragraph\" "
	         "id=\"record-state\" data-state=\"");
	html_attr(&req->out, oral_state_name(state));
	html_raw(&req->out, "\">");
	if (ok) {
		widget_time_text(req, ok->at, day);
		i18n_fill(&text, web_text(req, "oral.status_approved"), "date",
		          day, (const char *)NULL);
		html_text(&req->out, text.data);
	} else {
		html_text(&req->out, web_text(req, state == ORAL_CORRECTED
		                             ? "oral.status_corrected"
		                             : "oral.status_waiting"));
	}
	html_raw(&req->out, "</p>\n<p class=\"meldpunt-message-body\" "
	         "id=\"record-text\">");
	buf_reset(&text);
	buf_add(&text, cur->text->bytes, cur->text->len);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	if (ok) {
		html_raw(&req->out, "</section>\n");
		buf_wipe_release(&text);
		return;
	}
	buf_addf(&version, "%lld", (long long)cur->id);
	layout_paragraph(req, web_text(req, "oral.status_check"));
	html_raw(&req->out, "<form method=\"post\" action=\""
	         PATH_RECORD_APPROVE "\">\n");
	hidden_field(req, "receipt", receipt);
	hidden_field(req, "version", version.data);
	html_raw(&req->out, "<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "oral.status_approve"));
	html_raw(&req->out, "</button>\n</form>\n<form method=\"post\" "
	         "action=\"" PATH_RECORD_CORRECT "\">\n");
	hidden_field(req, "receipt", receipt);
	hidden_field(req, "version", version.data);
	html_raw(&req->out, "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-record\">");
	html_text(&req->out, web_text(req, "oral.status_correct_label"));
	html_raw(&req->out, "</label>\n<textarea class=\"utrecht-textarea "
	         "utrecht-textarea--html-textarea\" rows=\"10\" name=\"record\" "
	         "id=\"f-record\">");
	html_text(&req->out, typed ? typed : text.data);
	html_raw(&req->out, "</textarea>\n</div>\n<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "oral.status_correct"));
	html_raw(&req->out, "</button>\n</form>\n</section>\n");
	buf_wipe_release(&text);
	buf_release(&version);
}

struct reporter_deadline *
reporter_deadlines(const struct request *req, enum report_type t,
                   int64_t id, size_t *count)
{
	size_t cap = workflow_deadline_count(web_workflow(req, t)), n = 0, i;
	size_t shown = 0;
	struct workflow_deadline_status *d;
	struct reporter_deadline *out;
	int lang = req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL;

	*count = 0;
	if (!cap)
		return NULL;
	d = calloc(cap, sizeof(*d));
	out = calloc(cap, sizeof(*out));
	if (!d || !out)
		die("out of memory");
	if (events_deadlines(req->inst->db, web_workflows(req), id, clock_now(),
	                     d, cap, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		const char *text = d[i].deadline->reporter[lang];

		if (!text || (d[i].state != WORKFLOW_DEADLINE_PENDING &&
		              d[i].state != WORKFLOW_DEADLINE_OVERDUE))
			continue;
		out[shown].text = text;
		/* Due is the first moment too late: the day before it counts. */
		zone_day_text(d[i].due - 1, out[shown].day);
		shown++;
	}
	free(d);
	*count = shown;
	return out;
}

/* The deadlines the reporter is shown, as rows of the summary list. */
static void
render_reporter_deadlines(struct request *req, const struct report_status *st)
{
	size_t n, i;
	struct reporter_deadline *due = reporter_deadlines(req, st->type,
	                                                   st->id, &n);

	for (i = 0; i < n; i++) {
		html_raw(&req->out, "<dt>");
		html_text(&req->out, due[i].text);
		html_raw(&req->out, "</dt><dd class=\"meldpunt-due\">");
		widget_time(req, due[i].day);
		html_raw(&req->out, "</dd>\n");
	}
	free(due);
}

/* The whole status page of a report the reporter has opened. */
static int
render_status(struct request *req, const char *receipt, const char *notice,
              int reply_error, const char *typed_record)
{
	struct report_status st;
	struct buf key = BUF_INIT, hint = BUF_INIT;
	size_t i;
	struct outcome o = report_read_status(req->inst, receipt, 1, &st);

	if (o.verdict == VERDICT_NOT_FOUND) {
		/* One message for every wrong receipt: nothing to learn. */
		req->status = 404;
		render_receipt_form(req, web_text(req, o.key));
		return 0;
	}
	if (o.verdict != VERDICT_DONE)
		return -1;

	layout_begin(req, web_text(req, "status.your_report"));
	layout_heading(req, web_text(req, "status.your_report"));
	if (notice) {
		layout_alert_begin(req, reply_error ? "error" : "ok");
		layout_paragraph(req, notice);
		layout_alert_end(req);
	}
	buf_addf(&key, "status.type.%s", report_type_name(st.type));
	html_raw(&req->out, "<dl class=\"meldpunt-summary\">\n<dt>");
	html_text(&req->out, web_text(req, "status.kind"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, web_text(req, key.data));
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "status.received_on"));
	html_raw(&req->out, "</dt><dd>");
	widget_time(req, st.received_on);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "status.state"));
	html_raw(&req->out, "</dt><dd><span class=\"meldpunt-status\" id=\"state\">");
	html_text(&req->out, reporter_state_label(req, st.type, st.state));
	html_raw(&req->out, "</span></dd>\n");
	render_reporter_deadlines(req, &st);
	html_raw(&req->out, "</dl>\n");

	render_oral(req, receipt, &st.oral, typed_record);
	render_messages(req, st.messages, st.nmessages);
	answers_render(req, st.type, st.content, "status.answers");
	if (st.nfiles) {
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "status.files"));
		html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\">\n");
		for (i = 0; i < st.nfiles; i++) {
			struct buf size = BUF_INIT;
			const struct attachment_view *file = &st.files[i];

			html_raw(&req->out, "<li>");
			html_text(&req->out, file->name);
			size_text(&size, file->len < 1024 ? 1024 : file->len);
			html_raw(&req->out, " (");
			html_text(&req->out, size.data);
			html_raw(&req->out, ")</li>\n");
			buf_release(&size);
		}
		html_raw(&req->out, "</ul>\n");
	}

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "status.reply"));
	html_raw(&req->out, "</h2>\n<form method=\"post\" action=\"" PATH_REPLY
	         "\" enctype=\"multipart/form-data\" novalidate>\n"
	         "<input type=\"hidden\" name=\"receipt\" value=\"");
	html_attr(&req->out, receipt);
	html_raw(&req->out, "\">\n<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-message\">");
	html_text(&req->out, web_text(req, "status.reply_label"));
	html_raw(&req->out, "</label>\n<textarea class=\"utrecht-textarea "
	         "utrecht-textarea--html-textarea\" rows=\"5\" name=\"message\" "
	         "id=\"f-message\"></textarea>\n</div>\n"
	         "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-files\">");
	html_text(&req->out, web_text(req, "status.reply_files"));
	html_raw(&req->out, " <span class=\"meldpunt-optional\">(");
	html_text(&req->out, web_text(req, "form.optional"));
	html_raw(&req->out, ")</span></label>\n"
	         "<div class=\"utrecht-form-field-description\" id=\"f-files-hint\">");
	limit_text(req, &hint, "form.files_hint", 0);
	html_text(&req->out, hint.data);
	html_raw(&req->out, "</div>\n<input class=\"utrecht-textbox\" "
	         "type=\"file\" name=\"" FILES_FIELD
	         "\" id=\"f-files\" multiple aria-describedby=\"f-files-hint\">\n"
	         "</div>\n<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "status.reply_submit"));
	html_raw(&req->out, "</button>\n</form>\n");
	layout_end(req);
	buf_release(&key);
	buf_release(&hint);
	report_status_release(&st);
	return 0;
}

/*
 * Under the receipt rate limit: 1, or 0 with the receipt form (status
 * 429) rendered.
 */
static int
receipt_allowed(struct request *req)
{
	if (web_rate_allow(req, WEB_RATE_RECEIPT))
		return 1;
	req->status = 429;
	render_receipt_form(req, web_text(req, "common.rate_limited"));
	return 0;
}

int
page_status(struct request *req)
{
	if (!receipt_allowed(req))
		return 0;
	return render_status(req, post_get(req->post, "receipt"), NULL, 0, NULL);
}

int
page_status_reply(struct request *req)
{
	const char *receipt = post_get(req->post, "receipt");
	struct reporter_message m = { NULL, 0, 0, NULL, NULL, 0, 0 };
	struct attachment_in *files;
	const struct post_field *pf;
	struct buf notice = BUF_INIT;
	struct outcome o;
	int rc;

	if (!receipt_allowed(req))
		return 0;
	files = calloc(req->limits->upload_files_max + 1, sizeof(*files));
	if (!files)
		die("out of memory");
	m.files = files;
	m.nfiles = collect_files(req->post, files,
	                         req->limits->upload_files_max, &m.files_error);
	m.upload_types = req->limits->upload_types;
	pf = post_field_nth(req->post, "message", 0);
	if (pf && !pf->is_file) {
		m.text = pf->value.data;
		m.len = pf->value.len;
		m.cut = pf->error == POST_FIELD_TOO_LONG;
	}
	o = message_answer(req->inst, receipt, &m);
	switch (o.verdict) {
	case VERDICT_DONE:
		rc = render_status(req, receipt, web_text(req, "status.reply_sent"),
		                   0, NULL);
		break;
	case VERDICT_INVALID:
		limit_text_named(req, &notice, o.key, req->limits->field_max,
		                 o.arg);
		req->status = 400;
		rc = render_status(req, receipt, notice.data, 1, NULL);
		break;
	case VERDICT_NOT_FOUND:
		/* One message for every wrong receipt: nothing to learn. */
		req->status = 404;
		render_receipt_form(req, web_text(req, o.key));
		rc = 0;
		break;
	default:
		rc = -1;
		break;
	}
	buf_release(&notice);
	free(files);
	return rc;
}

/* The row id in the field "version" of an approval or correction, or 0. */
static int64_t
version_of(struct request *req)
{
	const char *s = post_get(req->post, "version");
	int64_t v = 0;

	if (!s || widget_parse_id(s, &v) < 0)
		return 0;
	return v;
}

/* The status page after the reporter's approval or correction. */
static int
after_record(struct request *req, const char *receipt, const struct outcome *o,
             const char *done_key, const char *typed)
{
	struct buf notice = BUF_INIT;
	int rc;

	switch (o->verdict) {
	case VERDICT_DONE:
		rc = render_status(req, receipt, web_text(req, done_key), 0, NULL);
		break;
	case VERDICT_INVALID:
	case VERDICT_STALE:
		limit_text(req, &notice, o->key, req->limits->field_max);
		req->status = o->verdict == VERDICT_STALE ? 409 : 400;
		/* A text read again after a change: not the one typed. */
		rc = render_status(req, receipt, notice.data, 1,
		                   o->verdict == VERDICT_STALE ? NULL : typed);
		break;
	case VERDICT_NOT_FOUND:
		/* One message for every wrong receipt: nothing to learn. */
		req->status = 404;
		render_receipt_form(req, web_text(req, o->key));
		rc = 0;
		break;
	default:
		rc = -1;
		break;
	}
	buf_release(&notice);
	return rc;
}

int
page_status_approve(struct request *req)
{
	const char *receipt = post_get(req->post, "receipt");
	struct outcome o;

	if (!receipt_allowed(req))
		return 0;
	o = oral_approve(req->inst, receipt, version_of(req));
	return after_record(req, receipt, &o, "oral.status_approved_now", NULL);
}

int
page_status_correct(struct request *req)
{
	const char *receipt = post_get(req->post, "receipt");
	const struct post_field *pf = post_field_nth(req->post, "record", 0);
	const char *text = pf && !pf->is_file && pf->value.data
	                   ? pf->value.data : "";
	size_t len = pf && !pf->is_file ? pf->value.len : 0;
	struct outcome o;

	if (!receipt_allowed(req))
		return 0;
	o = oral_correct(req->inst, receipt, version_of(req), text, len,
	                 pf && pf->error == POST_FIELD_TOO_LONG);
	return after_record(req, receipt, &o, "oral.status_corrected_now", text);
}

void
report_receipt_render(struct request *req, const char *receipt,
                      const struct report_receipt_page *page)
{
	const char *const *k;

	layout_begin(req, web_text(req, page->title));
	layout_heading(req, web_text(req, page->title));
	layout_alert_begin(req, "ok");
	layout_paragraph(req, web_text(req, page->lead));
	layout_alert_end(req);
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "receipt.code_label"));
	html_raw(&req->out, "</h2>\n<p class=\"meldpunt-receipt\" id=\"receipt\">");
	html_text(&req->out, receipt);
	html_raw(&req->out, "</p>\n");
	layout_paragraph(req, web_text(req, page->pass_on));
	for (k = page->extra; k && *k; k++)
		layout_paragraph(req, web_text(req, *k));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"");
	html_attr(&req->out, page->again_path);
	html_raw(&req->out, "\">");
	html_text(&req->out, web_text(req, page->again));
	html_raw(&req->out, "</a></p>\n");
	layout_end(req);
}
