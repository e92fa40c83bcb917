/*
 * layout.c - the shared page frame (see layout.h), and the error page
 * that answers every refusal of a page (web_fail in request.h).
 */
#include <string.h>

#include "html.h"
#include "i18n.h"
#include "layout.h"
#include "paths.h"
#include "session.h"
#include "static.h"
#include "users.h"
#include "widget.h"

const struct layout_nav layout_staff_nav[] = {
	{ PATH_INBOX, "type=signal", ROLE_COORDINATOR, "staff.nav_signals" },
	{ PATH_INBOX, "type=incident", ROLE_VPT, "staff.nav_incidents" },
	{ PATH_INBOX, "type=integrity", ROLE_INTEGRITY, "staff.nav_integrity" },
	{ PATH_MEETINGS, NULL, 0, "staff.nav_meeting" },
	{ PATH_STATS, NULL, 0, "staff.nav_statistics" },
	{ PATH_NORM, NULL, 0, "staff.nav_norm" },
	{ PATH_ADMIN_USERS, NULL, 0, "staff.nav_users" },
	{ PATH_AUDIT, NULL, 0, "staff.nav_audit" },
	{ PATH_TOKENS, NULL, 0, "staff.nav_tokens" },
	{ PATH_PASSWORD, NULL, 0, "staff.nav_account" },
	{ NULL, NULL, 0, NULL },
};

int
layout_nav_shown(const struct request *req, const struct layout_nav *e)
{
	if (!req->session || !web_allowed(req, e->path))
		return 0;
	return e->roles == 0 || (req->session->roles & e->roles) != 0;
}

/*
 * How entry e stands to the page shown: "page" when it is this page (the
 * inbox of this type; an inbox without a type is the first one shown),
 * "true" for a page below it (a meeting under the list), else NULL.
 */
static const char *
nav_current(const struct request *req, const struct layout_nav *e)
{
	size_t n = strlen(e->path);

	if (strcmp(req->path, e->path) == 0) {
		const char *type = web_query(req, "type");
		const struct layout_nav *f;

		if (!e->query)
			return "page";
		if (type)
			return strcmp(e->query + strlen("type="), type) == 0 ? "page"
			                                                     : NULL;
		for (f = layout_staff_nav; f != e; f++)
			if (strcmp(f->path, e->path) == 0 && layout_nav_shown(req, f))
				return NULL;
		return "page";
	}
	if (strncmp(req->path, e->path, n) == 0 && req->path[n] == '/')
		return "true";
	return NULL;
}

/* The staff navigation: what the session may open, the current marked. */
static void
staff_nav(struct request *req)
{
	struct buf *b = &req->out;
	const struct layout_nav *e;

	html_raw(b, "<nav class=\"meldpunt-nav\" aria-label=\"");
	html_attr(b, web_text(req, "staff.nav_label"));
	html_raw(b, "\">\n<ul class=\"meldpunt-nav__list\">\n");
	for (e = layout_staff_nav; e->path; e++) {
		const char *current;

		if (!layout_nav_shown(req, e))
			continue;
		current = nav_current(req, e);
		html_raw(b, "<li class=\"meldpunt-nav__item\"><a class=\""
		         "meldpunt-nav__link\" href=\"");
		html_attr(b, e->path);
		if (e->query) {
			html_raw(b, "?");
			html_attr(b, e->query);
		}
		html_raw(b, "\"");
		if (current) {
			html_raw(b, " aria-current=\"");
			html_raw(b, current);
			html_raw(b, "\"");
		}
		html_raw(b, ">");
		html_text(b, web_text(req, e->key));
		html_raw(b, "</a></li>\n");
	}
	html_raw(b, "</ul>\n</nav>\n");
}

/*
 * Where the language switch leads: the same page in the other language.
 * A GET keeps its path and query (but its lang); the answer to a POST
 * leads to the address its page set (req->here), else to its path when
 * that answers GET too, else to the start page.
 */
static void
switch_href(const struct request *req, enum lang other, struct buf *href)
{
	if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) {
		buf_adds(href, req->path);
		buf_addch(href, '?');
		web_query_except(req, "lang", href);
		if (href->data[href->len - 1] != '?')
			buf_addch(href, '&');
	} else {
		if (req->here)
			buf_adds(href, req->here);
		else if (req->env && req->env->answers_get &&
		         req->env->answers_get(req->path))
			buf_adds(href, req->path);
		else
			buf_adds(href, req->session ? PATH_STAFF_HOME : "/");
		buf_addch(href, strchr(href->data, '?') ? '&' : '?');
	}
	buf_adds(href, "lang=");
	buf_adds(href, i18n_code(other));
}

void
layout_begin(struct request *req, const char *title)
{
	struct buf *b = &req->out;
	struct buf href = BUF_INIT;
	enum lang other = req->lang == LANG_NL ? LANG_EN : LANG_NL;
	int staff = req->session && req->session->stage == SESSION_FULL;

	req->content_type = "text/html; charset=utf-8";
	html_raw(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, i18n_code(req->lang));
	html_raw(b, "\" class=\"utrecht-document\">\n<head>\n"
	         "<meta charset=\"utf-8\">\n"
	         "<meta name=\"viewport\" content=\"width=device-width, "
	         "initial-scale=1\">\n<title>");
	html_text(b, title);
	html_raw(b, " - ");
	html_text(b, web_text(req, "common.site_title"));
	html_raw(b, "</title>\n");
	/* Versioned URLs (?v=), so a new release is never styled by an old
	 * cached stylesheet. */
	static_head_links(b);
	html_raw(b, "</head>\n<body class=\"utrecht-theme\">\n"
	         "<a class=\"utrecht-skip-link utrecht-skip-link--visible-on-focus\" "
	         "href=\"#main\">");
	html_text(b, web_text(req, "common.skip_to_content"));
	html_raw(b, staff ? "</a>\n<div class=\"utrecht-page meldpunt-page--staff\">\n"
	                  : "</a>\n<div class=\"utrecht-page\">\n");
	/* Staff: the site name leads to their start page, not the public one. */
	html_raw(b, "<header class=\"utrecht-page-header\">\n"
	         "<a class=\"utrecht-link meldpunt-site-name\" href=\"");
	html_raw(b, staff ? PATH_STAFF_HOME "\">" : "/\">");
	html_text(b, web_text(req, "common.site_title"));
	html_raw(b, "</a>\n<a class=\"utrecht-link meldpunt-language-switch\" "
	         "href=\"");
	switch_href(req, other, &href);
	html_attr(b, href.data);
	buf_release(&href);
	html_raw(b, "\" hreflang=\"");
	html_attr(b, i18n_code(other));
	html_raw(b, "\" lang=\"");
	html_attr(b, i18n_code(other));
	html_raw(b, "\" title=\"");
	html_attr(b, web_text(req, "common.switch_language_label"));
	html_raw(b, "\">");
	html_text(b, web_text(req, "common.switch_language"));
	html_raw(b, "</a>\n");
	/* Staff pages: who is logged in, and the way out. */
	if (req->session) {
		html_raw(b, "<form class=\"meldpunt-logout\" method=\"post\" "
		         "action=\"" PATH_LOGOUT "\"><span class=\"meldpunt-user\">");
		html_text(b, req->session->username);
		html_raw(b, "</span>\n<input type=\"hidden\" name=\"csrf\" value=\"");
		html_attr(b, req->session->csrf);
		html_raw(b, "\"><button class=\"utrecht-button "
		         "utrecht-button--secondary-action\" type=\"submit\">");
		html_text(b, web_text(req, "staff.logout"));
		html_raw(b, "</button></form>\n");
	}
	html_raw(b, "</header>\n");
	if (staff)
		staff_nav(req);
	html_raw(b, "<main id=\"main\" class=\"utrecht-page-content\">\n");
}

void
layout_back(struct request *req, const char *href, const char *text)
{
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-back\">");
	widget_link(req, href, text);
	html_raw(&req->out, "</p>\n");
}

void
layout_end(struct request *req)
{
	struct buf *b = &req->out;

	html_raw(b, "</main>\n<footer class=\"utrecht-page-footer\">\n"
	         "<p class=\"utrecht-paragraph\">");
	html_text(b, web_text(req, "common.footer"));
	html_raw(b, "</p>\n</footer>\n</div>\n</body>\n</html>\n");
}

void
layout_heading(struct request *req, const char *text)
{
	html_raw(&req->out, "<h1 class=\"utrecht-heading-1\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</h1>\n");
}

void
layout_heading2(struct request *req, const char *text)
{
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</h2>\n");
}

void
layout_paragraph(struct request *req, const char *text)
{
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</p>\n");
}

void
layout_alert_begin(struct request *req, const char *kind)
{
	int error = strcmp(kind, "error") == 0;

	html_raw(&req->out, "<div class=\"utrecht-alert utrecht-alert--");
	html_raw(&req->out, kind);
	html_raw(&req->out, error ? "\" role=\"alert\">" : "\" role=\"status\">");
	html_raw(&req->out, "<div class=\"utrecht-alert__content\">"
	         "<div class=\"utrecht-alert__message\">\n");
}

void
layout_alert_end(struct request *req)
{
	html_raw(&req->out, "</div></div></div>\n");
}

/*
 * The error page of web_fail (request.h): the frame, the message in an
 * error alert, and a way home. On the API the answer is problem+json.
 */
int
web_fail(struct request *req, unsigned status, const char *message)
{
	if (req->api)
		return api_fail(req, status, message);
	req->status = status;
	req->cache_max_age = 0;
	buf_reset(&req->out);
	layout_begin(req, web_text(req, "common.error_title"));
	layout_heading(req, web_text(req, "common.error_title"));
	layout_alert_begin(req, "error");
	layout_paragraph(req, message);
	layout_alert_end(req);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">"
	         "<a class=\"utrecht-link\" href=\"/\">");
	html_text(&req->out, web_text(req, "common.home"));
	html_raw(&req->out, "</a></p>\n");
	layout_end(req);
	return 0;
}
