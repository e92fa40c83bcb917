/*
 * page_document.c - the police information form and the damages claim
 * letter of an incident, offered on its case page and made on request.
 *
 * A small GET form on the case page names the document, its language and
 * (for the aangifte) how it is made; the answer is the PDF as a download,
 * made by core/paperwork.c, which opens the report, checks the keyring
 * and audits. The same handler serves the JSON API's path, where a
 * refusal is answered as problem+json. Nothing is stored.
 */
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "casenumber.h"
#include "clock.h"
#include "config.h"
#include "html.h"
#include "i18n.h"
#include "install.h"
#include "layout.h"
#include "page_document.h"
#include "paperwork.h"
#include "paths.h"
#include "session.h"
#include "widget.h"

void
page_document_lang_select(struct request *req, const char *id)
{
	widget_select_open(req, "taal", id, web_text(req, "case.document_lang"));
	widget_option(req, "nl", web_text(req, "case.document_lang.nl"),
	              i18n_code(req->lang));
	widget_option(req, "en", web_text(req, "case.document_lang.en"),
	              i18n_code(req->lang));
	html_raw(&req->out, "</select></div>\n");
}

void
page_document_form(struct request *req, const char *number)
{
	static const char *const ways[] = { "", "afspraak", "werkgever" };
	static const char *const way_keys[] = {
		"case.document_way.none", "case.document_way.afspraak",
		"case.document_way.werkgever",
	};
	int k;
	size_t i;

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "case.documents"));
	html_raw(&req->out, "</h2>\n<p class=\"utrecht-paragraph\">");
	html_text(&req->out, web_text(req, "case.documents_intro"));
	html_raw(&req->out, "</p>\n<form method=\"get\" action=\""
	         PATH_CASE_DOCUMENT "\" class=\"meldpunt-action\" "
	         "id=\"documents\">\n");
	widget_hidden(req, "id", number);
	widget_select_open(req, "document", "f-document",
	                   web_text(req, "case.document"));
	for (k = 0; k < PAPER_KINDS; k++) {
		struct buf key = BUF_INIT;

		buf_addf(&key, "case.document.%s",
		         paper_kind_name((enum paper_kind)k));
		widget_option(req, paper_kind_name((enum paper_kind)k),
		              web_text(req, key.data), NULL);
		buf_release(&key);
	}
	html_raw(&req->out, "</select></div>\n");
	page_document_lang_select(req, "f-taal");
	widget_select_open(req, "wijze", "f-wijze",
	                   web_text(req, "case.document_way"));
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++)
		widget_option(req, ways[i], web_text(req, way_keys[i]), "");
	html_raw(&req->out, "</select></div>\n");
	widget_button(req, web_text(req, "case.document_submit"), 0);
	html_raw(&req->out, "</form>\n");
}

const char *
page_document_text(void *arg, const char *key)
{
	const struct document_lang *t = arg;

	return i18n_has(key) ? i18n_get(t->lang, key) : key;
}

int
page_case_document(struct request *req)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	const char *taal = web_query(req, "taal");
	struct paper_request r;
	struct document_lang targ;
	struct outcome o;
	struct buf pdf = BUF_INIT, header = BUF_INIT;
	char name[PAPER_NAME_MAX];
	enum lang lang = req->lang;

	memset(&r, 0, sizeof(r));
	/* The case by its number (casenumber.h); a row id is none. */
	if (case_number_find(req->inst->db, web_query(req, "id"), &r.id) != 0)
		return web_fail_key(req, 404, "case.not_found");
	if (paper_kind_parse(web_query(req, "document"), &r.kind) < 0 ||
	    paper_way_parse(web_query(req, "wijze"), &r.way) < 0 ||
	    (taal && *taal && i18n_parse(taal, &lang) < 0))
		return web_fail_key(req, 400, "case.document_bad");
	targ.lang = lang;
	r.lang = lang == LANG_EN ? TEMPLATE_EN : TEMPLATE_NL;
	/* A server started without a configuration has its default name. */
	r.organisation = web_config(req) ? web_config(req)->organisation
	                                 : web_text(req, "common.site_title");
	r.text = page_document_text;
	r.text_arg = &targ;
	r.now = clock_now();
	if (paperwork_make(req->inst, a, &r, &pdf, name, &o) != VERDICT_DONE) {
		buf_wipe_release(&pdf);
		if (o.verdict == VERDICT_NOT_FOUND)
			return web_fail_key(req, 404, "case.not_found");
		if (o.verdict == VERDICT_REFUSED)
			return web_fail_key(req, 403, "case.no_keyring");
		/* A signal has no such document: nothing at that address. */
		if (o.verdict == VERDICT_INVALID)
			return web_fail_key(req, 404, o.key);
		return -1;
	}
	/* A download, its name made of our own words and digits. */
	buf_addf(&header, "attachment; filename=\"%s\"", name);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "application/pdf";
	buf_add(&req->out, pdf.data, pdf.len);
	buf_wipe_release(&pdf);
	return 0;
}
