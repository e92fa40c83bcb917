/*
 * page_register.c - registering a report on behalf of a reporter (see
 * page_register.h).
 *
 * The receipt goes to the reporter, not to the staff member: the page says
 * so and shows it once. The report itself is stored like a web report
 * (sealed to the type's keyring and to the receipt's key); only its source
 * differs, and the audit log says which staff member registered it.
 */
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "install.h"
#include "layout.h"
#include "page_register.h"
#include "page_report.h"
#include "paths.h"
#include "post.h"
#include "report.h"
#include "session.h"
#include "users.h"
#include "widget.h"

/* The sources a staff member may record ("web" is the reporter's own). */
static const char *const sources[] = {
	"phone", "mma", "riec", "police", "staff", "other",
};

/* The text admin.register_TYPE (rest "") or admin.register_TYPE_title. */
static const char *
type_text(const struct request *req, enum report_type t, const char *rest)
{
	struct buf key = BUF_INIT;
	const char *text;

	buf_addf(&key, "admin.register_%s%s", report_type_name(t), rest);
	text = web_text(req, key.data);
	buf_release(&key);
	return text;
}

/* 1 when s is one of sources. */
static int
source_allowed(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(s, sources[i]) == 0)
			return 1;
	return 0;
}

/* Written first inside the form: the CSRF token and the source. */
static void
staff_fields(struct request *req, const struct report_form_host *host,
             const char *error)
{
	const char *chosen = req->post ? post_get(req->post, "source") : NULL;
	struct buf key = BUF_INIT;
	size_t i;

	(void)host;
	(void)error;
	staff_csrf_field(req);
	html_raw(&req->out, "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-source\">");
	html_text(&req->out, web_text(req, "admin.source"));
	html_raw(&req->out, "</label>\n<div class=\"utrecht-form-field-description\" "
	         "id=\"f-source-hint\">");
	html_text(&req->out, web_text(req, "admin.source_hint"));
	html_raw(&req->out, "</div>\n<select class=\"utrecht-select "
	         "utrecht-select--html-select\" name=\"source\" id=\"f-source\" "
	         "aria-describedby=\"f-source-hint\" aria-required=\"true\">\n");
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		buf_reset(&key);
		buf_addf(&key, "admin.source.%s", sources[i]);
		html_raw(&req->out, "<option value=\"");
		html_attr(&req->out, sources[i]);
		html_raw(&req->out, "\"");
		if (chosen && strcmp(chosen, sources[i]) == 0)
			html_raw(&req->out, " selected");
		html_raw(&req->out, ">");
		html_text(&req->out, web_text(req, key.data));
		html_raw(&req->out, "</option>\n");
	}
	html_raw(&req->out, "</select>\n</div>\n");
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
page_register(struct request *req)
{
	size_t i;

	layout_begin(req, web_text(req, "admin.register_title"));
	layout_heading(req, web_text(req, "admin.register_title"));
	layout_paragraph(req, web_text(req, "admin.register_intro"));
	html_raw(&req->out, "<ul class=\"utrecht-unordered-list\">\n");
	/* The types whose handling role the session has, in their order. */
	for (i = 0; i < report_types_count(); i++) {
		enum report_type t = (enum report_type)i;
		struct buf path = BUF_INIT;

		if (!(req->session->roles & report_type_role(t)))
			continue;
		buf_addf(&path, "%s%s", PATH_REGISTER_PREFIX,
		         report_type_path(t));
		type_link(req, path.data, type_text(req, t, ""));
		buf_release(&path);
	}
	html_raw(&req->out, "</ul>\n");
	layout_end(req);
	return 0;
}

int
page_register_form(struct request *req)
{
	enum report_type t = req->type;
	struct report_form_host host = {
		.title = type_text(req, t, "_title"), .action = req->path,
		.fields = staff_fields,
	};

	report_form_render(req, t, &host);
	return 0;
}

static void
render_registered(struct request *req, const char *receipt)
{
	static const struct report_receipt_page page = {
		.title = "admin.registered_title",
		.lead = "admin.registered_lead",
		.pass_on = "admin.registered_pass_on",
		.again = "admin.registered_again", .again_path = PATH_REGISTER,
	};

	report_receipt_render(req, receipt, &page);
}

int
page_register_submit(struct request *req)
{
	enum report_type t = req->type;
	/* Who registered it: audited with the report, in its transaction. */
	struct report_form_host host = {
		.title = type_text(req, t, "_title"), .action = req->path,
		.fields = staff_fields, .registrar = req->session->username,
	};
	const char *source = post_get(req->post, "source");
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;
	int rc;

	/* A select with no empty choice: anything else is not our form. */
	if (!source_allowed(source) || !report_source_valid(source))
		return web_fail_key(req, 400, "admin.source_bad");
	rc = report_form_submit(req, t, &host, source, receipt, &id);
	if (rc != 1)
		return rc;
	render_registered(req, receipt);
	crypto_wipe(receipt, sizeof(receipt));
	return 0;
}
