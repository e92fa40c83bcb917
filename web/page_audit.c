/*
 * page_audit.c - the auditor's view of the audit log (role auditor).
 *
 * The page first says whether the log is intact (hash chain and signed
 * checkpoints, as `meldpunt audit-verify` checks them), then lists the
 * rows newest first, a hundred at a time, optionally only those whose
 * actor or object contains a search text. The log holds no content and no
 * client address, so showing it leaks neither. Reading it is itself
 * audited, by core/auditor.c, which also decides who may.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditor.h"
#include "html.h"
#include "install.h"
#include "layout.h"
#include "page_audit.h"
#include "paths.h"
#include "session.h"
#include "widget.h"

#define AUDIT_PAGE_ROWS 100
#define AUDIT_FILTER_MAX 64

int
page_audit(struct request *req)
{
	const char *before_text = web_query(req, "voor");
	const char *filter = web_query(req, "zoek");
	struct audit_row *rows;
	struct audit_check check;
	struct session_who w;
	struct outcome o;
	struct buf text = BUF_INIT, link = BUF_INIT;
	int64_t before = 0;
	size_t n = 0, i;
	static const char *const heads[] = {
		"audit.row", "audit.at", "audit.actor", "audit.action",
		"audit.object", "audit.result",
	};

	if (before_text && *before_text) {
		char *end;

		errno = 0;
		before = strtoll(before_text, &end, 10);
		if (errno || *end || before < 1)
			return web_fail_key(req, 404, "common.not_found");
	}
	if (filter && strlen(filter) > AUDIT_FILTER_MAX)
		filter = NULL;
	rows = calloc(AUDIT_PAGE_ROWS, sizeof(*rows));
	if (!rows)
		return -1;
	if (auditor_read(req->inst, session_who(req->session, &w), before, filter,
	                 rows, AUDIT_PAGE_ROWS, &n, &check, &o) != VERDICT_DONE) {
		free(rows);
		if (o.verdict == VERDICT_REFUSED)
			return web_fail_key(req, 403, o.key);
		return -1;
	}

	layout_begin(req, web_text(req, "audit.title"));
	layout_heading(req, web_text(req, "audit.title"));
	if (check.problem[0]) {
		layout_alert_begin(req, "error");
		layout_paragraph(req, web_text(req, "audit.broken"));
		layout_paragraph(req, check.problem);
		layout_alert_end(req);
	} else {
		buf_addf(&link, "%lld", (long long)check.rows);
		i18n_fill(&text, web_text(req, "audit.intact"), "rows", link.data,
		          (const char *)NULL);
		layout_alert_begin(req, "ok");
		layout_paragraph(req, text.data);
		layout_alert_end(req);
	}
	html_raw(&req->out, "<form method=\"get\" action=\"" PATH_AUDIT "\" "
	         "class=\"meldpunt-filters\">\n<div class=\"utrecht-form-field\">"
	         "<label class=\"utrecht-form-label\" for=\"f-zoek\">");
	html_text(&req->out, web_text(req, "audit.search"));
	html_raw(&req->out, "</label>\n<input class=\"utrecht-textbox\" "
	         "type=\"text\" name=\"zoek\" id=\"f-zoek\" value=\"");
	html_attr(&req->out, filter ? filter : "");
	html_raw(&req->out, "\"></div>\n<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "audit.search_submit"));
	html_raw(&req->out, "</button>\n</form>\n");

	widget_scroll_open(req, web_text(req, "audit.title"));
	html_raw(&req->out, "<table class=\"utrecht-table\" id=\"audit\">\n"
	         "<thead class=\"utrecht-table__header\"><tr>");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(&req->out, "<th scope=\"col\">");
		html_text(&req->out, web_text(req, heads[i]));
		html_raw(&req->out, "</th>");
	}
	/* The rows as recorded and hash-chained (actions, keyring names):
	 * evidence, never translated. */
	html_raw(&req->out, "</tr></thead>\n<tbody translate=\"no\">\n");
	for (i = 0; i < n; i++) {
		buf_reset(&text);
		buf_addf(&text, "%lld", (long long)rows[i].id);
		html_raw(&req->out, rows[i].result[0] && strcmp(rows[i].result, "ok")
		         ? "<tr class=\"meldpunt-overdue\"><td>" : "<tr><td>");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</td><td>");
		widget_time(req, rows[i].at);
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, rows[i].actor);
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, rows[i].action);
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, rows[i].object);
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, rows[i].result);
		html_raw(&req->out, "</td></tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	if (n == AUDIT_PAGE_ROWS) {
		buf_reset(&link);
		buf_addf(&link, PATH_AUDIT "?voor=%lld", (long long)rows[n - 1].id);
		if (filter) {
			buf_adds(&link, "&zoek=");
			html_url_arg(&link, filter);
		}
		html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
		         "href=\"");
		html_attr(&req->out, link.data);
		html_raw(&req->out, "\">");
		html_text(&req->out, web_text(req, "audit.older"));
		html_raw(&req->out, "</a></p>\n");
	}
	layout_end(req);
	free(rows);
	buf_release(&text);
	buf_release(&link);
	return 0;
}
