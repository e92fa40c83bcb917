/*
 * pages.c - the start page and the health check.
 *
 * /health is for monitoring: it answers 200 with a small JSON document
 * when the database answers, 503 otherwise, and reveals nothing else.
 */
#include "db.h"
#include "html.h"
#include "install.h"
#include "migrate.h"
#include "layout.h"
#include "pages.h"
#include "paths.h"
#include "reptype.h"

int
page_health(struct request *req)
{
	int version = db_schema_version(req->inst->db);

	req->content_type = "application/json";
	if (version != migrate_known_version()) {
		req->status = 503;
		buf_adds(&req->out, "{\"status\":\"unavailable\"}\n");
		return 0;
	}
	buf_adds(&req->out, "{\"status\":\"ok\",\"version\":");
	json_quote(&req->out, MELDPUNT_VERSION);
	buf_addf(&req->out, ",\"schema\":%d}\n", version);
	return 0;
}

/* One block of the start page: a link and what it is for. */
static void
home_choice(struct request *req, const char *path, const char *link,
            const char *text)
{
	html_raw(&req->out, "<section class=\"meldpunt-choice\">\n"
	         "<h2 class=\"utrecht-heading-2\"><a class=\"utrecht-link\" href=\"");
	html_attr(&req->out, path);
	html_raw(&req->out, "\">");
	html_text(&req->out, web_text(req, link));
	html_raw(&req->out, "</a></h2>\n");
	layout_paragraph(req, web_text(req, text));
	html_raw(&req->out, "</section>\n");
}

int
page_home(struct request *req)
{
	size_t i;

	layout_begin(req, web_text(req, "home.title"));
	layout_heading(req, web_text(req, "home.title"));
	layout_paragraph(req, web_text(req, "home.intro"));
	/* Every report type's form (schema/forms/), in their order. */
	for (i = 0; i < report_types_count(); i++) {
		enum report_type t = (enum report_type)i;
		struct buf path = BUF_INIT, link = BUF_INIT, text = BUF_INIT;

		buf_addf(&path, "%s%s", PATH_REPORT_PREFIX, report_type_path(t));
		buf_addf(&link, "home.%s_link", report_type_name(t));
		buf_addf(&text, "home.%s_text", report_type_name(t));
		home_choice(req, path.data, link.data, text.data);
		buf_release(&path);
		buf_release(&link);
		buf_release(&text);
	}
	home_choice(req, PATH_STATUS, "home.status_link", "home.status_text");
	layout_end(req);
	return 0;
}
