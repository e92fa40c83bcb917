/*
 * page_admin.c - staff accounts and keyring access (see page_admin.h).
 *
 * The pages only draw and check input; the changes (and their audit rows,
 * with the acting admin's name) are in core/users.c and core/keyrings.c.
 * A one-time password is written once into the page that made it and
 * wiped; a recovery key typed in opens one keyring for one grant and is
 * wiped with it. Whatever takes a user's keys away (disabling, a reset, a
 * revoked keyring) also ends the user's live sessions, since those hold
 * the keys unwrapped at login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

#include "form.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "layout.h"
#include "log.h"
#include "page_admin.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "staff.h"
#include "users.h"
#include "widget.h"

/* More than any installation has; keyrings are few and made at init. */
#define ADMIN_KEYRINGS_MAX 32

typedef char ring_name[KEYRING_NAME_MAX + 1];

static const enum role all_roles[] = {
	ROLE_ADMIN, ROLE_COORDINATOR, ROLE_VPT, ROLE_HR, ROLE_OVERLEG,
	ROLE_AUDITOR, ROLE_INTEGRITY, ROLE_CONFIDANT,
};

static void
heading2(struct request *req, const char *key)
{
	layout_heading2(req, web_text(req, key));
}

static void
alert(struct request *req, const char *kind, const char *text)
{
	if (!text)
		return;
	layout_alert_begin(req, kind);
	layout_paragraph(req, text);
	layout_alert_end(req);
}

/* The text of key with {name} and {keyring} / {keyrings} filled in. */
static void
fill(const struct request *req, struct buf *out, const char *key,
     const char *name, const char *keyring)
{
	struct buf rings = BUF_INIT;

	if (keyring)
		widget_keyring_list(req, keyring, &rings);
	i18n_fill(out, web_text(req, key), "name", name, "keyring",
	          rings.len ? rings.data : "", "keyrings",
	          rings.len ? rings.data : "", (const char *)NULL);
	buf_release(&rings);
}

static void
roles_text(const struct request *req, unsigned roles, struct buf *out)
{
	struct buf key = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(all_roles) / sizeof(all_roles[0]); i++) {
		if (!(roles & all_roles[i]))
			continue;
		buf_reset(&key);
		buf_addf(&key, "admin.role.%s", role_name(all_roles[i]));
		if (out->len)
			buf_adds(out, ", ");
		buf_adds(out, web_text(req, key.data));
	}
	buf_release(&key);
}

static void
hidden(struct request *req, const char *name, const char *value)
{
	widget_hidden(req, name, value);
}

static void
button(struct request *req, const char *key, int primary)
{
	widget_button(req, web_text(req, key), primary);
}

/* A form posting to action about user, with the CSRF token. */
static void
form_begin(struct request *req, const char *action, const char *user)
{
	html_raw(&req->out, "<form method=\"post\" action=\"");
	html_attr(&req->out, action);
	html_raw(&req->out, "\" novalidate>\n");
	staff_csrf_field(req);
	if (user)
		hidden(req, "user", user);
}

/*
 * A labelled text input with an optional hint (aria-describedby), no
 * autocomplete or spelling check (user names, recovery keys); id must be
 * unique on the page.
 */
static void
text_field(struct request *req, const char *name, const char *id,
           const char *type, const char *label_key, const char *hint_key,
           const char *value)
{
	widget_label(req, id, web_text(req, label_key));
	if (hint_key) {
		html_raw(&req->out, "<div class=\"utrecht-form-field-description\" "
		         "id=\"");
		html_attr(&req->out, id);
		html_raw(&req->out, "-hint\">");
		html_text(&req->out, web_text(req, hint_key));
		html_raw(&req->out, "</div>\n");
	}
	widget_input_open(req, type, name, id, value);
	html_raw(&req->out, " autocomplete=\"off\" spellcheck=\"false\"");
	if (hint_key) {
		html_raw(&req->out, " aria-describedby=\"");
		html_attr(&req->out, id);
		html_raw(&req->out, "-hint\"");
	}
	html_raw(&req->out, ">\n</div>\n");
}

static void
user_link(struct request *req, const char *username, const char *text)
{
	struct buf href = BUF_INIT;

	/* A valid user name is [a-z0-9._-]: nothing to percent-encode. */
	buf_addf(&href, PATH_ADMIN_USER "?naam=%s", username);
	html_raw(&req->out, "<a class=\"utrecht-link\" href=\"");
	html_attr(&req->out, href.data);
	html_raw(&req->out, "\">");
	html_text(&req->out, text);
	html_raw(&req->out, "</a>");
	buf_release(&href);
}

/* The one-time password, shown this once. */
static void
otp_block(struct request *req, const char *username, const char *otp)
{
	struct buf t = BUF_INIT;

	heading2(req, "admin.otp_label");
	html_raw(&req->out, "<p class=\"meldpunt-receipt\" id=\"one-time-password\">");
	html_text(&req->out, otp);
	html_raw(&req->out, "</p>\n");
	fill(req, &t, "admin.otp_once", username, NULL);
	layout_paragraph(req, t.data);
	buf_release(&t);
}

static int
has_name(ring_name *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* "a, b" of names. */
static void
join_names(ring_name *names, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ", ");
		buf_adds(out, names[i]);
	}
}

/*
 * An account still on a key wrap of the old version (the password
 * alone): until when its next login renews it, or that it must be reset.
 */
static void
old_key_status(struct request *req, const struct user_row *r)
{
	struct buf t = BUF_INIT;
	char day[CLOCK_DAY_LEN + 1];
	time_t since;
	unsigned days = req->limits->key_upgrade_days;

	if (!r->old_key)
		return;
	if (clock_parse(r->key_since, &since) < 0)
		since = 0;
	html_raw(&req->out, " <strong class=\"meldpunt-old-key\">");
	if (clock_now() - since >= (time_t)days * 86400) {
		html_text(&req->out, web_text(req, "admin.key_old_reset"));
	} else {
		clock_format_day(since + (time_t)days * 86400, day);
		i18n_fill(&t, web_text(req, "admin.key_old_until"), "day", day,
		          (const char *)NULL);
		html_text(&req->out, t.data);
	}
	html_raw(&req->out, "</strong>");
	buf_release(&t);
}

int
page_admin_users(struct request *req)
{
	static const char *const heads[] = {
		"staff.username", "admin.display_name", "admin.roles",
		"admin.status", "admin.keyrings_title", "admin.pending_col",
	};
	struct user_row *rows;
	struct buf t = BUF_INIT;
	size_t n, i;

	if (users_list(req->inst->db, &rows, &n) < 0)
		return -1;
	layout_begin(req, web_text(req, "admin.users_title"));
	layout_heading(req, web_text(req, "admin.users_title"));
	layout_paragraph(req, web_text(req, "admin.users_intro"));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"" PATH_ADMIN_NEW "\">");
	html_text(&req->out, web_text(req, "admin.new_title"));
	html_raw(&req->out, "</a></p>\n");
	widget_scroll_open(req, web_text(req, "admin.users_title"));
	html_raw(&req->out, "<table class=\"utrecht-table "
	         "utrecht-table--html-table\" id=\"users\">\n<thead "
	         "class=\"utrecht-table__header\"><tr class=\"utrecht-table__row\">");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(&req->out, "<th class=\"utrecht-table__header-cell\" "
		         "scope=\"col\">");
		html_text(&req->out, web_text(req, heads[i]));
		html_raw(&req->out, "</th>");
	}
	html_raw(&req->out, "</tr></thead>\n<tbody class=\"utrecht-table__body\">\n");
	for (i = 0; i < n; i++) {
		const struct user_row *r = &rows[i];

		html_raw(&req->out, "<tr class=\"utrecht-table__row\" id=\"user-");
		html_attr(&req->out, r->username);
		html_raw(&req->out, "\"><th class=\"utrecht-table__header-cell\" "
		         "scope=\"row\">");
		user_link(req, r->username, r->username);
		html_raw(&req->out, "</th><td class=\"utrecht-table__cell\">");
		html_text(&req->out, r->display_name);
		html_raw(&req->out, "</td><td class=\"utrecht-table__cell\">");
		buf_reset(&t);
		roles_text(req, r->roles, &t);
		html_text(&req->out, t.data);
		html_raw(&req->out, "</td><td class=\"utrecht-table__cell\">");
		html_text(&req->out, web_text(req, r->disabled ? "admin.status_disabled"
		                             : !r->set_up ? "admin.status_not_set_up"
		                             : "admin.status_active"));
		old_key_status(req, r);
		html_raw(&req->out, "</td><td class=\"utrecht-table__cell\">");
		buf_reset(&t);
		widget_keyring_list(req, r->keyrings, &t);
		html_text(&req->out, t.len ? t.data : web_text(req, "admin.none"));
		html_raw(&req->out, "</td><td class=\"utrecht-table__cell\">");
		buf_reset(&t);
		widget_keyring_list(req, r->pending, &t);
		html_text(&req->out, t.len ? t.data : web_text(req, "admin.none"));
		html_raw(&req->out, "</td></tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	layout_end(req);
	buf_release(&t);
	users_list_free(rows, n);
	return 0;
}

/* The roles as checkboxes, those in roles checked. */
static void
roles_fieldset(struct request *req, unsigned roles)
{
	struct buf key = BUF_INIT, id = BUF_INIT;
	size_t i;

	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset "
	         "utrecht-form-fieldset--html-fieldset\" aria-describedby="
	         "\"f-role-hint\">\n<legend class=\"utrecht-form-fieldset__legend "
	         "utrecht-form-fieldset__legend--html-legend\">");
	html_text(&req->out, web_text(req, "admin.roles"));
	html_raw(&req->out, "</legend>\n<div class=\"utrecht-form-field-description\" "
	         "id=\"f-role-hint\">");
	html_text(&req->out, web_text(req, "admin.roles_hint"));
	html_raw(&req->out, "</div>\n");
	for (i = 0; i < sizeof(all_roles) / sizeof(all_roles[0]); i++) {
		const char *name = role_name(all_roles[i]);

		buf_reset(&key);
		buf_reset(&id);
		buf_addf(&key, "admin.role.%s", name);
		buf_addf(&id, "f-role-%s", name);
		widget_checkbox(req, "role", id.data, name,
		                web_text(req, key.data), (roles & all_roles[i]) != 0);
	}
	html_raw(&req->out, "</fieldset>\n");
	buf_release(&key);
	buf_release(&id);
}

static void
render_new(struct request *req, const char *message, const char *username,
           const char *display, unsigned roles)
{
	layout_begin(req, web_text(req, "admin.new_title"));
	layout_heading(req, web_text(req, "admin.new_title"));
	alert(req, "error", message);
	layout_paragraph(req, web_text(req, "admin.new_intro"));
	form_begin(req, PATH_ADMIN_NEW, NULL);
	text_field(req, "username", "f-username", "text", "staff.username",
	           "admin.username_hint", username);
	text_field(req, "display_name", "f-display_name", "text",
	           "admin.display_name", NULL, display);
	roles_fieldset(req, roles);
	button(req, "admin.create_submit", 1);
	html_raw(&req->out, "</form>\n");
	layout_end(req);
}

int
page_admin_new(struct request *req)
{
	render_new(req, NULL, NULL, NULL, 0);
	return 0;
}

/* The server's limit on submissions, for actions that hash a password. */
static int
limit_hit(void *arg)
{
	return web_rate_allow(arg, WEB_RATE_SUBMIT);
}

static void
staff_limit_of(struct request *req, struct staff_limit *limit)
{
	limit->hit = limit_hit;
	limit->arg = req;
}

/* The roles posted as role=NAME (any number). 0, or -1 for an unknown name. */
static int
posted_roles(struct request *req, unsigned *roles)
{
	size_t i, n = post_count(req->post, "role");
	unsigned r;

	*roles = 0;
	for (i = 0; i < n; i++) {
		r = role_parse(post_field_nth(req->post, "role", i)->value.data);
		if (!r)
			return -1;
		*roles |= r;
	}
	return 0;
}

int
page_admin_create(struct request *req)
{
	const char *username = post_get(req->post, "username");
	const char *display = post_get(req->post, "display_name");
	char password[STAFF_PASSWORD_LEN + 1];
	struct staff_limit limit;
	struct session_who who;
	struct buf t = BUF_INIT;
	unsigned roles = 0;
	struct outcome o;

	if (!username)
		username = "";
	if (!display)
		display = "";
	if (posted_roles(req, &roles) < 0)
		return web_fail_key(req, 400, "common.bad_request");
	staff_limit_of(req, &limit);
	o = staff_create(req->inst->db, session_who(req->session, &who),
	                 username, display, roles, &limit, password);
	switch (o.verdict) {
	case VERDICT_DONE:
		break;
	case VERDICT_INVALID:
		req->status = 400;
		render_new(req, web_text(req, o.key), username, display, roles);
		return 0;
	case VERDICT_LIMITED:
		return web_fail_key(req, 429, o.key);
	case VERDICT_REFUSED:
		return web_fail_key(req, 403, "common.bad_request");
	default:
		return -1;
	}
	layout_begin(req, web_text(req, "admin.created_title"));
	layout_heading(req, web_text(req, "admin.created_title"));
	fill(req, &t, o.key, username, NULL);
	alert(req, "ok", t.data);
	otp_block(req, username, password);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	user_link(req, username, web_text(req, "admin.to_user"));
	html_raw(&req->out, "</p>\n");
	layout_end(req);
	crypto_wipe(password, sizeof(password));
	buf_release(&t);
	return 0;
}

/* One keyring's row on the user page: who has it, and what can be done. */
static void
keyring_row(struct request *req, const struct user *u, const char *name,
            int member, int pending)
{
	struct buf id = BUF_INIT;
	int own = session_ring(req->session, name) != NULL;

	html_raw(&req->out, "<tr class=\"utrecht-table__row\" id=\"keyring-");
	html_attr(&req->out, name);
	html_raw(&req->out, "\"><th class=\"utrecht-table__header-cell\" "
	         "scope=\"row\">");
	html_text(&req->out, widget_keyring_name(req, name));
	html_raw(&req->out, "</th><td class=\"utrecht-table__cell\">");
	html_text(&req->out, web_text(req, member ? "admin.access_member"
	                             : pending ? "admin.access_pending"
	                             : "admin.access_none"));
	html_raw(&req->out, "</td><td class=\"utrecht-table__cell\">");
	if (member) {
		form_begin(req, PATH_ADMIN_REVOKE, u->username);
		hidden(req, "keyring", name);
		button(req, "admin.revoke_submit", 0);
		html_raw(&req->out, "</form>\n");
	} else {
		form_begin(req, PATH_ADMIN_GRANT, u->username);
		hidden(req, "keyring", name);
		buf_addf(&id, "f-recovery-%s", name);
		text_field(req, "recovery", id.data, "password", "admin.recovery",
		           own ? "admin.recovery_hint_own"
		               : "admin.recovery_hint_need", NULL);
		button(req, "admin.grant_submit", 1);
		html_raw(&req->out, "</form>\n");
		if (pending) {
			/* Settled on purpose: the user no longer needs it. */
			form_begin(req, PATH_ADMIN_REVOKE, u->username);
			hidden(req, "keyring", name);
			button(req, "admin.dismiss_submit", 0);
			html_raw(&req->out, "</form>\n");
		}
	}
	html_raw(&req->out, "</td></tr>\n");
	buf_release(&id);
}

/*
 * The user page: the account, a notice (kind "ok" or "error") when given,
 * the one-time password when a reset just made one, the keyrings still
 * to be granted again, every keyring with its action, and the account's
 * actions (not on one's own account).
 */
static int
render_user(struct request *req, const struct user *u, const char *kind,
            const char *notice, const char *otp)
{
	ring_name all[ADMIN_KEYRINGS_MAX], held[ADMIN_KEYRINGS_MAX];
	ring_name pending[ADMIN_KEYRINGS_MAX];
	size_t nall, nheld, npending, i;
	struct buf title = BUF_INIT, t = BUF_INIT;
	int self = u->id == req->session->user_id;

	if (keyrings_names(req->inst->db, all, ADMIN_KEYRINGS_MAX, &nall) < 0 ||
	    keyrings_of_user(req->inst->db, u->id, held, ADMIN_KEYRINGS_MAX,
	                     &nheld) < 0 ||
	    keyrings_pending_of_user(req->inst->db, u->id, pending,
	                             ADMIN_KEYRINGS_MAX, &npending) < 0)
		return -1;
	if (otp)
		buf_adds(&title, web_text(req, "admin.reset_done_title"));
	else
		fill(req, &title, "admin.user_title", u->username, NULL);
	layout_begin(req, title.data);
	layout_heading(req, title.data);
	alert(req, kind, notice);
	if (otp)
		otp_block(req, u->username, otp);
	if (npending) {
		join_names(pending, npending, &t);
		layout_alert_begin(req, "info");
		html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"pending\">");
		buf_reset(&title);
		fill(req, &title, "admin.pending_lead", u->username, t.data);
		html_text(&req->out, title.data);
		html_raw(&req->out, "</p>\n");
		layout_alert_end(req);
	}

	heading2(req, "admin.account_title");
	html_raw(&req->out, "<dl class=\"meldpunt-status\">\n<dt>");
	html_text(&req->out, web_text(req, "staff.username"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, u->username);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "admin.display_name"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, u->display_name);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "admin.roles"));
	html_raw(&req->out, "</dt><dd id=\"roles\">");
	buf_reset(&t);
	roles_text(req, u->roles, &t);
	html_text(&req->out, t.data);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "admin.status"));
	html_raw(&req->out, "</dt><dd id=\"account-status\">");
	html_text(&req->out, web_text(req, u->disabled ? "admin.status_disabled"
	                             : u->totp_sealed ? "admin.status_active"
	                             : "admin.status_not_set_up"));
	html_raw(&req->out, "</dd>\n</dl>\n");

	heading2(req, "admin.keyrings_title");
	layout_paragraph(req, web_text(req, "admin.keyrings_intro"));
	widget_scroll_open(req, web_text(req, "admin.keyrings_title"));
	html_raw(&req->out, "<table class=\"utrecht-table utrecht-table--html-table\" "
	         "id=\"keyrings\">\n<thead class=\"utrecht-table__header\">"
	         "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__"
	         "header-cell\" scope=\"col\">");
	html_text(&req->out, web_text(req, "admin.keyring"));
	html_raw(&req->out, "</th><th class=\"utrecht-table__header-cell\" "
	         "scope=\"col\">");
	html_text(&req->out, web_text(req, "admin.access"));
	html_raw(&req->out, "</th><th class=\"utrecht-table__header-cell\" "
	         "scope=\"col\">");
	html_text(&req->out, web_text(req, "admin.action"));
	html_raw(&req->out, "</th></tr></thead>\n<tbody class=\"utrecht-table__body\">\n");
	for (i = 0; i < nall; i++)
		keyring_row(req, u, all[i], has_name(held, nheld, all[i]),
		            has_name(pending, npending, all[i]));
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");

	/* The address for deadline reminders (core/reminder.h). */
	heading2(req, "staff.email_title");
	form_begin(req, PATH_ADMIN_EMAIL, u->username);
	text_field(req, "email", "f-email", "email", "staff.email_label",
	           "staff.email_hint", u->email);
	button(req, "staff.email_submit", 0);
	html_raw(&req->out, "</form>\n");
	if (!self) {
		heading2(req, "admin.roles_title");
		layout_paragraph(req, web_text(req, "admin.roles_change_hint"));
		form_begin(req, PATH_ADMIN_ROLES, u->username);
		roles_fieldset(req, u->roles);
		button(req, "admin.roles_submit", 0);
		html_raw(&req->out, "</form>\n");
		heading2(req, u->disabled ? "admin.enable_title"
		                          : "admin.disable_title");
		layout_paragraph(req, web_text(req, "admin.disable_hint"));
		form_begin(req, PATH_ADMIN_DISABLE, u->username);
		hidden(req, "disabled", u->disabled ? "0" : "1");
		button(req, u->disabled ? "admin.enable_submit"
		                        : "admin.disable_submit", 0);
		html_raw(&req->out, "</form>\n");
		heading2(req, "admin.reset_title");
		layout_paragraph(req, web_text(req, "admin.reset_hint"));
		form_begin(req, PATH_ADMIN_RESET, u->username);
		button(req, "admin.reset_submit", 0);
		html_raw(&req->out, "</form>\n");
	}
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"" PATH_ADMIN_USERS "\">");
	html_text(&req->out, web_text(req, "admin.back_to_users"));
	html_raw(&req->out, "</a></p>\n");
	layout_end(req);
	buf_release(&title);
	buf_release(&t);
	return 0;
}

/*
 * The user a request is about (POST user, or ?naam=). 0 and *u; 1 when
 * there is none (the 404 is already in req); -1 on error.
 */
static int
find_user(struct request *req, const char *username, struct user *u)
{
	int rc;

	if (!username || !users_valid_name(username)) {
		web_fail_key(req, 404, "admin.not_found");
		return 1;
	}
	rc = users_find(req->inst->db, username, u);
	if (rc == 1)
		web_fail_key(req, 404, "admin.not_found");
	return rc;
}

int
page_admin_user(struct request *req)
{
	struct user u;
	int rc = find_user(req, web_query(req, "naam"), &u);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = render_user(req, &u, NULL, NULL, NULL);
	user_release(&u);
	return rc;
}

/* The user page again with a notice about u filled from key. */
static int
answer(struct request *req, const struct user *u, unsigned status,
       const char *key, const char *keyring)
{
	struct buf t = BUF_INIT;
	int rc;

	fill(req, &t, key, u->username, keyring);
	req->status = status;
	rc = render_user(req, u, status < 400 ? "ok" : "error", t.data, NULL);
	buf_release(&t);
	return rc;
}

/*
 * The answer to an action on a user: 404 when there is none, 400 for a
 * request our forms do not send, else the user page with the outcome.
 * keyring fills the text's {keyring}.
 */
static int
answer_outcome(struct request *req, const struct outcome *o,
               const char *keyring)
{
	struct user u;
	int rc;

	if (o->verdict == VERDICT_FAILED)
		return -1;
	if (o->verdict == VERDICT_LIMITED)
		return web_fail_key(req, 429, o->key);
	if (o->verdict == VERDICT_INVALID && o->key &&
	    strcmp(o->key, "common.bad_request") == 0)
		return web_fail_key(req, 400, o->key);
	rc = find_user(req, post_get(req->post, "user"), &u);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (o->verdict == VERDICT_DONE)
		rc = answer(req, &u, 200, o->key, keyring);
	else
		rc = answer(req, &u, 400, o->key ? o->key : "common.bad_request",
		            keyring);
	user_release(&u);
	return rc;
}

int
page_admin_disable(struct request *req)
{
	const char *v = post_get(req->post, "disabled");
	const char *username = post_get(req->post, "user");
	struct session_who who;
	struct outcome o;
	struct user u;
	int rc, disabled;

	rc = find_user(req, username, &u);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	user_release(&u);
	if (!v || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0))
		return web_fail_key(req, 400, "common.bad_request");
	disabled = v[0] == '1';
	o = staff_disable(req->inst->db, session_who(req->session, &who),
	                  username, disabled);
	if (o.verdict == VERDICT_DONE && disabled)
		sessions_end_user(web_sessions(req), o.id);
	return answer_outcome(req, &o, NULL);
}

int
page_admin_email(struct request *req)
{
	struct session_who who;
	struct outcome o;

	o = staff_set_email(req->inst->db, session_who(req->session, &who),
	                    post_get(req->post, "user"),
	                    post_get(req->post, "email"));
	return answer_outcome(req, &o, NULL);
}

int
page_admin_reset(struct request *req)
{
	char password[STAFF_PASSWORD_LEN + 1];
	struct staff_limit limit;
	struct session_who who;
	struct buf t = BUF_INIT;
	struct outcome o;
	struct user u;
	int rc;

	staff_limit_of(req, &limit);
	o = staff_reset(req->inst->db, session_who(req->session, &who),
	                post_get(req->post, "user"), &limit, password);
	if (o.verdict != VERDICT_DONE) {
		if (o.verdict == VERDICT_NOT_FOUND)
			return web_fail_key(req, 404, o.key);
		return answer_outcome(req, &o, NULL);
	}
	sessions_end_user(web_sessions(req), o.id);
	/* Again, for the new public key and the pending keyrings. */
	rc = find_user(req, post_get(req->post, "user"), &u);
	if (rc == 0) {
		fill(req, &t, o.key, u.username, NULL);
		rc = render_user(req, &u, "ok", t.data, password);
		user_release(&u);
	}
	crypto_wipe(password, sizeof(password));
	buf_release(&t);
	return rc < 0 ? -1 : 0;
}

/*
 * The second step of a grant of a keyring none of u's roles handles: say
 * so, and offer the same grant with confirm=1 (the recovery key typed
 * again when the admin does not hold the keyring).
 */
static int
render_confirm(struct request *req, const struct user *u, const char *keyring)
{
	struct buf t = BUF_INIT, roles = BUF_INIT;
	int own = session_ring(req->session, keyring) != NULL;

	fill(req, &t, "admin.confirm_title", u->username, keyring);
	layout_begin(req, t.data);
	layout_heading(req, t.data);
	roles_text(req, u->roles, &roles);
	buf_reset(&t);
	i18n_fill(&t, web_text(req, "admin.confirm_lead"), "name", u->username,
	          "keyring", widget_keyring_name(req, keyring), "roles",
	          roles.data, (const char *)NULL);
	layout_alert_begin(req, "warning");
	html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"confirm\">");
	html_text(&req->out, t.data);
	html_raw(&req->out, "</p>\n");
	layout_alert_end(req);
	form_begin(req, PATH_ADMIN_GRANT, u->username);
	hidden(req, "keyring", keyring);
	hidden(req, "confirm", "1");
	if (!own)
		text_field(req, "recovery", "f-recovery", "password",
		           "admin.recovery", "admin.recovery_hint_again", NULL);
	button(req, "admin.confirm_submit", 1);
	html_raw(&req->out, "</form>\n<p class=\"utrecht-paragraph\">");
	user_link(req, u->username, web_text(req, "admin.confirm_cancel"));
	html_raw(&req->out, "</p>\n");
	layout_end(req);
	buf_release(&t);
	buf_release(&roles);
	return 0;
}

int
page_admin_grant(struct request *req)
{
	const char *name = post_get(req->post, "keyring");
	const char *confirm = post_get(req->post, "confirm");
	struct session_who who;
	struct outcome o;
	struct user u;
	int rc;

	if (confirm && strcmp(confirm, "1") != 0)
		return web_fail_key(req, 400, "common.bad_request");
	o = staff_grant(req->inst->db, session_who(req->session, &who),
	                post_get(req->post, "user"), name,
	                post_get(req->post, "recovery"), confirm != NULL);
	if (o.verdict == VERDICT_NOT_FOUND)
		return web_fail_key(req, 404, o.key);
	if (o.verdict != VERDICT_STALE)
		return answer_outcome(req, &o, name);
	rc = find_user(req, post_get(req->post, "user"), &u);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = render_confirm(req, &u, name);
	user_release(&u);
	return rc;
}

int
page_admin_roles(struct request *req)
{
	char taken[STAFF_TAKEN_MAX];
	struct session_who who;
	struct buf t = BUF_INIT;
	unsigned roles;
	struct outcome o;
	struct user u;
	int rc;

	if (posted_roles(req, &roles) < 0)
		return web_fail_key(req, 400, "common.bad_request");
	o = staff_roles(req->inst->db, session_who(req->session, &who),
	                post_get(req->post, "user"), roles, taken);
	if (o.verdict == VERDICT_NOT_FOUND)
		return web_fail_key(req, 404, o.key);
	if (o.verdict != VERDICT_DONE)
		return answer_outcome(req, &o, NULL);
	/* Roles and keys are read at login: the sessions must not keep them. */
	sessions_end_user(web_sessions(req), o.id);
	rc = find_user(req, post_get(req->post, "user"), &u);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	fill(req, &t, taken[0] ? "admin.roles_done_taken" : o.key, u.username,
	     taken);
	rc = render_user(req, &u, "ok", t.data, NULL);
	user_release(&u);
	buf_release(&t);
	return rc;
}

int
page_admin_revoke(struct request *req)
{
	const char *name = post_get(req->post, "keyring");
	struct session_who who;
	struct outcome o;

	o = staff_revoke(req->inst->db, session_who(req->session, &who),
	                 post_get(req->post, "user"), name);
	if (o.verdict == VERDICT_NOT_FOUND)
		return web_fail_key(req, 404, o.key);
	/* A live session holds the keyring unwrapped: end it. */
	if (o.verdict == VERDICT_DONE)
		sessions_end_user(web_sessions(req), o.id);
	return answer_outcome(req, &o, name);
}
