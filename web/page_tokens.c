/*
 * page_tokens.c - the API token pages (see page_tokens.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitokens.h"
#include "clock.h"
#include "html.h"
#include "install.h"
#include "layout.h"
#include "page_tokens.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "users.h"
#include "widget.h"

static const unsigned role_bits[] = {
	ROLE_ADMIN, ROLE_COORDINATOR, ROLE_VPT, ROLE_HR, ROLE_OVERLEG,
	ROLE_AUDITOR, ROLE_INTEGRITY, ROLE_CONFIDANT,
};
#define NROLES (sizeof(role_bits) / sizeof(role_bits[0]))

static void
roles_words(struct request *req, unsigned roles, struct buf *out)
{
	struct buf key = BUF_INIT;
	size_t i;

	for (i = 0; i < NROLES; i++) {
		if (!(roles & role_bits[i]))
			continue;
		buf_reset(&key);
		buf_addf(&key, "admin.role.%s", role_name((enum role)role_bits[i]));
		if (out->len)
			buf_adds(out, ", ");
		buf_adds(out, web_text(req, key.data));
	}
	buf_release(&key);
}

static void
cell(struct request *req, const char *text)
{
	html_raw(&req->out, "<td class=\"utrecht-table__cell\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</td>");
}

/* A stored time, in the organisation's zone and the page's language. */
static void
time_cell(struct request *req, const char *iso)
{
	html_raw(&req->out, "<td class=\"utrecht-table__cell\">");
	widget_time(req, iso);
	html_raw(&req->out, "</td>");
}

static void
token_table(struct request *req, const struct apitoken_row *rows, size_t n,
            int with_user, const char *id, const char *label)
{
	static const char *const heads[] = {
		"tokens.user", "tokens.label", "admin.roles", "tokens.created",
		"tokens.expires", "admin.status", "tokens.action",
	};
	struct buf t = BUF_INIT;
	size_t i;

	widget_scroll_open(req, label);
	html_raw(&req->out, "<table class=\"utrecht-table "
	         "utrecht-table--html-table\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\">\n<thead class=\"utrecht-table__header\">"
	         "<tr class=\"utrecht-table__row\">");
	for (i = with_user ? 0 : 1; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(&req->out, "<th class=\"utrecht-table__header-cell\" "
		         "scope=\"col\">");
		html_text(&req->out, web_text(req, heads[i]));
		html_raw(&req->out, "</th>");
	}
	html_raw(&req->out, "</tr></thead>\n<tbody class=\"utrecht-table__body\">\n");
	for (i = 0; i < n; i++) {
		const struct apitoken_row *r = &rows[i];
		int live = !r->revoked_at[0] && !r->expired;

		html_raw(&req->out, "<tr class=\"utrecht-table__row\" id=\"token-");
		html_attr(&req->out, r->public_id);
		html_raw(&req->out, "\">");
		if (with_user)
			cell(req, r->username);
		cell(req, r->label);
		buf_reset(&t);
		roles_words(req, r->roles, &t);
		cell(req, t.data);
		time_cell(req, r->created_at);
		time_cell(req, r->expires_at);
		cell(req, web_text(req, r->revoked_at[0] ? "tokens.revoked"
		                        : r->expired ? "tokens.expired"
		                        : "tokens.live"));
		html_raw(&req->out, "<td class=\"utrecht-table__cell\">");
		if (live) {
			widget_form_post(req, PATH_TOKENS_REVOKE);
			widget_hidden(req, "token", r->public_id);
			widget_button(req, web_text(req, "tokens.revoke"), 0);
			html_raw(&req->out, "</form>");
		}
		html_raw(&req->out, "</td></tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	buf_release(&t);
}

static void
create_form(struct request *req)
{
	struct buf key = BUF_INIT, id = BUF_INIT, days = BUF_INIT;
	size_t i;

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "tokens.new_title"));
	html_raw(&req->out, "</h2>\n");
	widget_form_post(req, PATH_TOKENS);
	widget_text(req, "text", "label", "f-label",
	            web_text(req, "tokens.label"), NULL);
	buf_addf(&days, "%u", TOKENS_DAYS_DEFAULT);
	widget_text(req, "number", "days", "f-days",
	            web_text(req, "tokens.days"), days.data);
	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\">"
	         "<legend class=\"utrecht-form-fieldset__legend\">");
	html_text(&req->out, web_text(req, "admin.roles"));
	html_raw(&req->out, "</legend>\n");
	for (i = 0; i < NROLES; i++) {
		const char *name = role_name((enum role)role_bits[i]);

		if (!(req->session->roles & role_bits[i]))
			continue;
		buf_reset(&key);
		buf_reset(&id);
		buf_addf(&key, "admin.role.%s", name);
		buf_addf(&id, "f-role-%s", name);
		widget_checkbox(req, "role", id.data, name,
		                web_text(req, key.data), 0);
	}
	html_raw(&req->out, "</fieldset>\n");
	widget_button(req, web_text(req, "tokens.create"), 1);
	html_raw(&req->out, "</form>\n");
	buf_release(&key);
	buf_release(&id);
	buf_release(&days);
}

static int
render(struct request *req, const char *message, int error,
       const char *new_token)
{
	struct apitoken_row *rows = NULL;
	size_t n = 0;

	if (apitokens_list(req->inst->db, req->session->user_id, clock_now(),
	                   &rows, &n) < 0)
		return -1;
	layout_begin(req, web_text(req, "tokens.title"));
	layout_heading(req, web_text(req, "tokens.title"));
	if (message) {
		layout_alert_begin(req, error ? "error" : "ok");
		layout_paragraph(req, message);
		layout_alert_end(req);
	}
	if (new_token) {
		layout_paragraph(req, web_text(req, "tokens.shown_once"));
		html_raw(&req->out, "<p class=\"utrecht-paragraph\"><code "
		         "id=\"new-token\">");
		html_text(&req->out, new_token);
		html_raw(&req->out, "</code></p>\n");
	}
	layout_paragraph(req, web_text(req, "tokens.intro"));
	token_table(req, rows, n, 0, "tokens", web_text(req, "tokens.title"));
	apitokens_list_free(rows);
	create_form(req);
	if (req->session->roles & ROLE_ADMIN) {
		if (apitokens_list(req->inst->db, 0, clock_now(), &rows, &n) < 0)
			return -1;
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "tokens.all_title"));
		html_raw(&req->out, "</h2>\n");
		token_table(req, rows, n, 1, "all-tokens",
		            web_text(req, "tokens.all_title"));
		apitokens_list_free(rows);
	}
	layout_end(req);
	return 0;
}

int
page_tokens(struct request *req)
{
	return render(req, NULL, 0, NULL);
}

int
page_tokens_create(struct request *req)
{
	const char *label = post_get(req->post, "label");
	const char *daystext = post_get(req->post, "days");
	char text[APITOKENS_TEXT_LEN + 1];
	struct session_who who;
	unsigned roles = 0;
	int64_t days = 0;
	size_t i, n = post_count(req->post, "role");
	struct outcome o;
	int rc;

	for (i = 0; i < n; i++) {
		const struct post_field *f = post_field_nth(req->post, "role", i);
		unsigned bit = f && !f->is_file ? role_parse(f->value.data) : 0;

		/* An unknown name counts as a role not held: refused below. */
		roles |= bit ? bit : ~0u;
	}
	if (daystext && widget_parse_id(daystext, &days) < 0)
		days = 0;
	if (days > APITOKENS_DAYS_MAX)
		days = 0;
	o = apitokens_make(req->inst, session_who(req->session, &who),
	                   req->session->pk, req->session->sk, roles,
	                   label ? label : "", (unsigned)days, clock_now(), text);
	if (o.verdict == VERDICT_FAILED)
		return -1;
	if (o.verdict != VERDICT_DONE) {
		req->status = 400;
		return render(req, web_text(req, o.key), 1, NULL);
	}
	rc = render(req, web_text(req, o.key), 0, text);
	crypto_wipe(text, sizeof(text));
	return rc;
}

int
page_tokens_revoke(struct request *req)
{
	struct session_who who;
	struct outcome o;

	o = apitokens_withdraw(req->inst->db, session_who(req->session, &who),
	                       post_get(req->post, "token"), clock_now());
	if (o.verdict == VERDICT_FAILED)
		return -1;
	if (o.verdict == VERDICT_NOT_FOUND) {
		req->status = 404;
		return render(req, web_text(req, o.key), 1, NULL);
	}
	return web_redirect(req, PATH_TOKENS);
}
