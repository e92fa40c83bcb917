/*
 * page_oral.c - recording an oral report (see page_oral.h).
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "install.h"
#include "layout.h"
#include "page_oral.h"
#include "page_report.h"
#include "paths.h"
#include "post.h"
#include "report.h"
#include "session.h"
#include "widget.h"

/* How the conversation took place, as the report's source. */
static const char *const ways[] = { "phone", "staff" };

static const char *
way_source(const char *way)
{
	size_t i;

	for (i = 0; way && i < sizeof(ways) / sizeof(ways[0]); i++)
		if (strcmp(way, ways[i]) == 0)
			return ways[i];
	return NULL;
}

/* The text oral.TYPE_title ("Mondelinge integriteitsmelding vastleggen"). */
static const char *
type_title(const struct request *req, enum report_type t)
{
	struct buf key = BUF_INIT;
	const char *text;

	buf_addf(&key, "oral.%s_title", report_type_name(t));
	text = web_text(req, key.data);
	buf_release(&key);
	return text;
}

/* Written first inside the form: the CSRF token, the way, the record. */
static void
oral_fields(struct request *req, const struct report_form_host *host,
            const char *error)
{
	const char *chosen = req->post ? post_get(req->post, "way") : NULL;
	const char *typed = req->post ? post_get(req->post, "record") : NULL;
	struct buf key = BUF_INIT;
	size_t i;

	(void)host;
	staff_csrf_field(req);
	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\">\n"
	         "<legend class=\"utrecht-form-fieldset__legend\">");
	html_text(&req->out, web_text(req, "oral.way"));
	html_raw(&req->out, "</legend>\n");
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		buf_reset(&key);
		buf_addf(&key, "oral.way_%s", ways[i]);
		html_raw(&req->out, "<div class=\"utrecht-form-field "
		         "utrecht-form-field--radio\">\n<input class=\""
		         "utrecht-radio-button\" type=\"radio\" name=\"way\" "
		         "id=\"f-way-");
		html_attr(&req->out, ways[i]);
		html_raw(&req->out, "\" value=\"");
		html_attr(&req->out, ways[i]);
		html_raw(&req->out, "\"");
		if (chosen ? strcmp(chosen, ways[i]) == 0 : i == 0)
			html_raw(&req->out, " checked");
		html_raw(&req->out, ">\n<label class=\"utrecht-form-label "
		         "utrecht-form-label--radio\" for=\"f-way-");
		html_attr(&req->out, ways[i]);
		html_raw(&req->out, "\">");
		html_text(&req->out, web_text(req, key.data));
		html_raw(&req->out, "</label>\n</div>\n");
	}
	html_raw(&req->out, "</fieldset>\n<div class=\"utrecht-form-field");
	if (error)
		html_raw(&req->out, " utrecht-form-field--invalid");
	html_raw(&req->out, "\">\n<label class=\"utrecht-form-label\" "
	         "for=\"f-record\">");
	html_text(&req->out, web_text(req, "oral.record_label"));
	html_raw(&req->out, "</label>\n<div class=\"utrecht-form-field-"
	         "description\" id=\"f-record-hint\">");
	html_text(&req->out, web_text(req, "oral.record_hint"));
	html_raw(&req->out, "</div>\n");
	if (error) {
		html_raw(&req->out, "<p class=\"utrecht-form-field-error-"
		         "message\" id=\"f-record-error\">");
		html_text(&req->out, web_text(req, error));
		html_raw(&req->out, "</p>\n");
	}
	html_raw(&req->out, "<textarea class=\"utrecht-textarea "
	         "utrecht-textarea--html-textarea\" rows=\"12\" name=\"record\" "
	         "id=\"f-record\" aria-required=\"true\" aria-describedby=\""
	         "f-record-hint");
	if (error)
		html_raw(&req->out, " f-record-error\" aria-invalid=\"true");
	html_raw(&req->out, "\">");
	if (typed)
		html_text(&req->out, typed);
	html_raw(&req->out, "</textarea>\n</div>\n");
	buf_release(&key);
}

/* One type of the list: a list item with widget_link's link. */
static void
type_link(struct request *req, const char *path, const char *text)
{
	html_raw(&req->out, "<li>");
	widget_link(req, path, text);
	html_raw(&req->out, "</li>\n");
}

int
page_oral(struct request *req)
{
	size_t i;

	layout_begin(req, web_text(req, "oral.title"));
	layout_heading(req, web_text(req, "oral.title"));
	layout_paragraph(req, web_text(req, "oral.intro"));
	html_raw(&req->out, "<ul class=\"utrecht-unordered-list\">\n");
	/* The types whose oral recorders include the session's roles. */
	for (i = 0; i < report_types_count(); i++) {
		enum report_type t = (enum report_type)i;
		struct buf path = BUF_INIT;

		if (!(req->session->roles & report_type_oral(t)))
			continue;
		buf_addf(&path, "%s%s", PATH_ORAL_PREFIX, report_type_path(t));
		type_link(req, path.data, type_title(req, t));
		buf_release(&path);
	}
	html_raw(&req->out, "</ul>\n");
	layout_end(req);
	return 0;
}

int
page_oral_form(struct request *req)
{
	enum report_type t = req->type;
	struct report_form_host host = {
		.title = type_title(req, t), .action = req->path,
		.fields = oral_fields, .oral = 1,
		.record_label = "oral.record_label",
	};

	report_form_render(req, t, &host);
	return 0;
}

static void
render_recorded(struct request *req, const char *receipt)
{
	static const char *const extra[] = { "oral.recorded_confidant", NULL };
	static const struct report_receipt_page page = {
		.title = "oral.recorded_title", .lead = "oral.recorded_lead",
		.pass_on = "oral.recorded_pass_on", .extra = extra,
		.again = "oral.recorded_again", .again_path = PATH_ORAL,
	};

	report_receipt_render(req, receipt, &page);
}

int
page_oral_submit(struct request *req)
{
	enum report_type t = req->type;
	/* Who recorded it: audited with the report, in its transaction. */
	struct report_form_host host = {
		.title = type_title(req, t), .action = req->path,
		.fields = oral_fields, .registrar = req->session->username,
		.oral = 1, .record_label = "oral.record_label",
	};
	const char *source = way_source(post_get(req->post, "way"));
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;
	int rc;

	/* Two radio buttons, one checked: anything else is not our form. */
	if (!source)
		return web_fail_key(req, 400, "oral.way_bad");
	rc = report_form_submit(req, t, &host, source, receipt, &id);
	if (rc != 1)
		return rc;
	render_recorded(req, receipt);
	crypto_wipe(receipt, sizeof(receipt));
	return 0;
}
