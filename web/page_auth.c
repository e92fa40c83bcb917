/*
 * page_auth.c - the staff login, first-login set-up and password pages.
 *
 * The actions are core's (core/login.h: the password and code checks,
 * the timing dummy, the limits, unlocking the keyrings, the audit rows);
 * this file reads the forms, calls them, renders their outcome, and puts
 * what a login unlocked into a session and its cookie. Every refused
 * login renders the same page, whatever the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "html.h"
#include "install.h"
#include "login.h"
#include "layout.h"
#include "log.h"
#include "page_auth.h"
#include "paths.h"
#include "post.h"
#include "qr.h"
#include "session.h"
#include "staff.h"
#include "users.h"
#include "widget.h"

/* A labelled input inside a form field block. */
static void
input_field(struct request *req, const char *name, const char *type,
            const char *label_key, const char *autocomplete, const char *value)
{
	html_raw(&req->out, "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-");
	html_attr(&req->out, name);
	html_raw(&req->out, "\">");
	html_text(&req->out, web_text(req, label_key));
	html_raw(&req->out, "</label>\n<input class=\"utrecht-textbox\" type=\"");
	html_attr(&req->out, type);
	html_raw(&req->out, "\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" id=\"f-");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" autocomplete=\"");
	html_attr(&req->out, autocomplete);
	html_raw(&req->out, "\"");
	if (value) {
		html_raw(&req->out, " value=\"");
		html_attr(&req->out, value);
		html_raw(&req->out, "\"");
	}
	if (strcmp(name, "code") == 0)
		html_raw(&req->out, " inputmode=\"numeric\"");
	html_raw(&req->out, ">\n</div>\n");
}

static void
submit_button(struct request *req, const char *key)
{
	html_raw(&req->out, "<button class=\"utrecht-button "
	         "utrecht-button--primary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, key));
	html_raw(&req->out, "</button>\n");
}

static void
error_alert(struct request *req, const char *message)
{
	if (!message)
		return;
	layout_alert_begin(req, "error");
	layout_paragraph(req, message);
	layout_alert_end(req);
}

static void
render_login(struct request *req, const char *message, const char *username)
{
	layout_begin(req, web_text(req, "staff.login_title"));
	layout_heading(req, web_text(req, "staff.login_title"));
	error_alert(req, message);
	layout_paragraph(req, web_text(req, "staff.login_intro"));
	html_raw(&req->out, "<form method=\"post\" action=\"" PATH_LOGIN
	         "\" novalidate>\n");
	input_field(req, "username", "text", "staff.username", "username",
	            username);
	input_field(req, "password", "password", "staff.password",
	            "current-password", NULL);
	input_field(req, "code", "text", "staff.code", "one-time-code", NULL);
	submit_button(req, "staff.login_submit");
	html_raw(&req->out, "</form>\n");
	layout_end(req);
}

int
page_login_form(struct request *req)
{
	render_login(req, NULL, NULL);
	return 0;
}

static void
set_session_cookie(struct request *req, const char *token, int max_age)
{
	struct buf c = BUF_INIT;

	buf_addf(&c, SESSION_COOKIE "=%s; Path=/beheer; HttpOnly; "
	         "SameSite=Strict; Max-Age=%d%s", token, max_age,
	         web_cookie_insecure_ok(req) ? "" : "; Secure");
	free(req->set_cookie);
	req->set_cookie = buf_detach(&c, NULL);
}

/*
 * The server's failed-login limits, as core's login counts them, with
 * what this request counted and how long a refused client should wait.
 */
struct page_limit {
	struct request *req;
	struct web_login counted;
	unsigned retry;
};

static int
limit_begin(void *arg, const char *username, unsigned *retry)
{
	struct page_limit *p = arg;
	int ok = web_login_begin(p->req, username, &p->counted, retry);

	p->retry = *retry;
	return ok;
}

static void
limit_end(void *arg, enum login_result result)
{
	struct page_limit *p = arg;

	web_login_end(p->req, &p->counted, result != LOGIN_FAILED,
	              result == LOGIN_IN);
}

static void
login_limit_of(struct request *req, struct page_limit *p,
               struct login_limit *limit)
{
	memset(p, 0, sizeof(*p));
	p->req = req;
	limit->begin = limit_begin;
	limit->end = limit_end;
	limit->arg = p;
	limit->key_upgrade_days = req->limits->key_upgrade_days;
}

/*
 * A refused attempt: 503 when the password hashes were busy (nothing was
 * tried), else 429; either way with the seconds to wait in Retry-After.
 */
static void
limited(struct request *req, const struct outcome *o,
        const struct page_limit *p)
{
	if (o->key && strcmp(o->key, LOGIN_BUSY_KEY) == 0) {
		req->status = 503;
		/* A turn comes free within a hash or two; the wait, rounded up. */
		req->retry_after = req->limits->login_hash_wait / 1000 + 1;
	} else {
		req->status = 429;
		req->retry_after = p->retry ? p->retry : 1;
	}
}

_Static_assert(LOGIN_MAX_RINGS == SESSION_MAX_RINGS,
               "a session holds every keyring a login unlocks");

/* A session holding what the login unlocked (its keys move into it). */
static struct session *
session_of_login(struct login *l)
{
	struct session *s = session_new();
	size_t i;

	s->user_id = l->user_id;
	snprintf(s->username, sizeof(s->username), "%s", l->username);
	s->roles = l->roles;
	memcpy(s->pk, l->pk, sizeof(s->pk));
	s->sk = l->sk;
	l->sk = NULL;
	for (i = 0; i < l->nrings; i++) {
		struct session_ring *r = &s->rings[i];

		/* Both are KEYRING_NAME_MAX + 1 bytes, NUL-terminated. */
		memcpy(r->name, l->rings[i].name, sizeof(r->name));
		memcpy(r->pk, l->rings[i].pk, sizeof(r->pk));
		r->sk = l->rings[i].sk;
		l->rings[i].sk = NULL;
	}
	s->nrings = l->nrings;
	s->stage = l->setup ? SESSION_SETUP : SESSION_FULL;
	return s;
}

int
page_login(struct request *req)
{
	const char *username = post_get(req->post, "username");
	char token[TOKEN_TEXT_LEN + 1];
	struct login_limit limit;
	struct page_limit counted;
	struct session *s;
	struct login l;
	struct outcome o;

	login_limit_of(req, &counted, &limit);
	o = login_password(req->inst->db, username,
	                   post_get(req->post, "password"),
	                   post_get(req->post, "code"), clock_now(), &limit, &l);
	switch (o.verdict) {
	case VERDICT_DONE:
		break;
	case VERDICT_LIMITED:
		limited(req, &o, &counted);
		render_login(req, web_text(req, o.key), username);
		return 0;
	case VERDICT_INVALID:
	case VERDICT_REFUSED:
	case VERDICT_NOT_FOUND:
	case VERDICT_STALE:
		req->status = 401;
		render_login(req, web_text(req, "staff.login_failed"),
		             o.verdict == VERDICT_INVALID ? ""
		                                          : username ? username : "");
		return 0;
	case VERDICT_FAILED:
	default:
		return -1;
	}
	s = session_of_login(&l);
	login_release(&l);
	if (sessions_add(web_sessions(req), s, clock_now(), token) < 0) {
		session_free(s);
		return -1;
	}
	set_session_cookie(req, token, (int)req->limits->session_absolute);
	crypto_wipe(token, sizeof(token));
	return web_redirect(req, s->stage == SESSION_SETUP ? PATH_SETUP
	                                                  : PATH_STAFF_HOME);
}

int
page_logout(struct request *req)
{
	login_logout(req->inst->db, req->session->username);
	sessions_end(web_sessions(req), req->session);
	set_session_cookie(req, "", 0);
	return web_redirect(req, PATH_LOGIN);
}

static int
render_setup(struct request *req, const char *message)
{
	struct secret *totp = sessions_pending_totp(web_sessions(req),
	                                            req->session);
	char grouped[LOGIN_TOTP_TEXT_MAX];
	char *uri;

	if (!totp)
		return -1;
	uri = login_totp_uri(totp, web_text(req, "common.site_title"),
	                     req->session->username);
	login_totp_text(totp, grouped);
	layout_begin(req, web_text(req, "staff.setup_title"));
	layout_heading(req, web_text(req, "staff.setup_title"));
	error_alert(req, message);
	layout_paragraph(req, web_text(req, "staff.setup_intro"));
	html_raw(&req->out, "<form method=\"post\" action=\"" PATH_SETUP
	         "\" novalidate>\n");
	staff_csrf_field(req);
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "staff.setup_password"));
	html_raw(&req->out, "</h2>\n");
	input_field(req, "password", "password", "staff.new_password",
	            "new-password", NULL);
	input_field(req, "password2", "password", "staff.new_password_again",
	            "new-password", NULL);
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "staff.setup_totp"));
	html_raw(&req->out, "</h2>\n");
	layout_paragraph(req, web_text(req, "staff.setup_totp_intro"));
	if (uri)
		qr_svg(&req->out, uri, web_text(req, "staff.qr_label"));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	html_text(&req->out, web_text(req, "staff.totp_text"));
	html_raw(&req->out, " <code class=\"meldpunt-secret\" id=\"totp-secret\">");
	html_text(&req->out, grouped);
	html_raw(&req->out, "</code></p>\n");
	input_field(req, "code", "text", "staff.code", "one-time-code", NULL);
	submit_button(req, "staff.setup_submit");
	html_raw(&req->out, "</form>\n");
	layout_end(req);
	if (uri) {
		crypto_wipe(uri, strlen(uri));
		free(uri);
	}
	crypto_wipe(grouped, sizeof(grouped));
	secret_free(totp);
	return 0;
}

int
page_setup_form(struct request *req)
{
	if (req->session->stage == SESSION_FULL)
		return web_redirect(req, PATH_STAFF_HOME);
	return render_setup(req, NULL);
}

/* The text of an outcome about a new password ({min} filled in). */
static void
password_outcome_text(struct request *req, const struct outcome *o,
                      struct buf *out)
{
	struct buf min = BUF_INIT;

	buf_addf(&min, "%u", req->limits->password_min);
	i18n_fill(out, web_text(req, o->key), "min", min.data,
	          (const char *)NULL);
	buf_release(&min);
}

int
page_setup(struct request *req)
{
	struct session *s = req->session;
	struct secret *totp = NULL;
	struct buf msg = BUF_INIT;
	struct outcome o;
	int ret = -1;

	if (s->stage == SESSION_FULL)
		return web_redirect(req, PATH_STAFF_HOME);
	totp = sessions_pending_totp(web_sessions(req), s);
	o = login_setup(req->inst->db, s->username, s->sk,
	                post_get(req->post, "password"),
	                post_get(req->post, "password2"),
	                req->limits->password_min, totp,
	                post_get(req->post, "code"), clock_now());
	secret_free(totp);
	if (o.verdict == VERDICT_INVALID) {
		password_outcome_text(req, &o, &msg);
		req->status = 400;
		ret = render_setup(req, msg.data);
		buf_release(&msg);
		return ret;
	}
	if (o.verdict != VERDICT_DONE)
		return -1;
	sessions_promote(web_sessions(req), s);
	return web_redirect(req, PATH_STAFF_HOME);
}

/* The account's e-mail address for deadline reminders (reminder.h). */
static void
render_email_form(struct request *req)
{
	struct user u;

	if (users_find(req->inst->db, req->session->username, &u) != 0)
		return;
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\" id=\"email\">");
	html_text(&req->out, web_text(req, "staff.email_title"));
	html_raw(&req->out, "</h2>\n");
	layout_paragraph(req, web_text(req, "staff.email_hint"));
	html_raw(&req->out, "<form method=\"post\" action=\""
	         PATH_ACCOUNT_EMAIL "\" novalidate>\n");
	staff_csrf_field(req);
	input_field(req, "email", "email", "staff.email_label", "email",
	            u.email);
	submit_button(req, "staff.email_submit");
	html_raw(&req->out, "</form>\n");
	user_release(&u);
}

static void
render_password(struct request *req, const char *message, int ok)
{
	layout_begin(req, web_text(req, "staff.password_title"));
	layout_heading(req, web_text(req, "staff.password_title"));
	if (ok) {
		layout_alert_begin(req, "ok");
		layout_paragraph(req, message);
		layout_alert_end(req);
	} else {
		error_alert(req, message);
	}
	html_raw(&req->out, "<form method=\"post\" action=\"" PATH_PASSWORD
	         "\" novalidate>\n");
	staff_csrf_field(req);
	input_field(req, "current", "password", "staff.current_password",
	            "current-password", NULL);
	input_field(req, "password", "password", "staff.new_password",
	            "new-password", NULL);
	input_field(req, "password2", "password", "staff.new_password_again",
	            "new-password", NULL);
	submit_button(req, "staff.password_submit");
	html_raw(&req->out, "</form>\n");
	render_email_form(req);
	layout_end(req);
}

int
page_password_form(struct request *req)
{
	render_password(req, NULL, 0);
	return 0;
}

int
page_password(struct request *req)
{
	struct buf msg = BUF_INIT;
	struct login_limit limit;
	struct page_limit counted;
	struct outcome o;

	login_limit_of(req, &counted, &limit);
	o = login_change_password(req->inst->db, req->session->username,
	                          req->session->sk,
	                          post_get(req->post, "current"),
	                          post_get(req->post, "password"),
	                          post_get(req->post, "password2"),
	                          req->limits->password_min, &limit);
	switch (o.verdict) {
	case VERDICT_DONE:
		render_password(req, web_text(req, o.key), 1);
		return 0;
	case VERDICT_INVALID:
	case VERDICT_REFUSED:
		req->status = 400;
		break;
	case VERDICT_LIMITED:
		limited(req, &o, &counted);
		break;
	default:
		return -1;
	}
	password_outcome_text(req, &o, &msg);
	render_password(req, msg.data, 0);
	buf_release(&msg);
	return 0;
}

int
page_account_email(struct request *req)
{
	struct session_who who;
	struct outcome o;

	o = staff_set_email(req->inst->db, session_who(req->session, &who),
	                    req->session->username,
	                    post_get(req->post, "email"));
	switch (o.verdict) {
	case VERDICT_DONE:
		render_password(req, web_text(req, o.key), 1);
		return 0;
	case VERDICT_INVALID:
		req->status = 400;
		render_password(req, web_text(req, o.key), 0);
		return 0;
	default:
		return -1;
	}
}

static void
home_link(struct request *req, const char *path, const char *key)
{
	html_raw(&req->out, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	         "href=\"");
	html_attr(&req->out, path);
	html_raw(&req->out, "\">");
	html_text(&req->out, web_text(req, key));
	html_raw(&req->out, "</a></p>\n");
}

const struct staff_link staff_menu[] = {
	{ PATH_ADMIN_USERS, "admin.users_link" },
	{ PATH_INBOX, "case.inbox_link" },
	{ PATH_MEETINGS, "meeting.list_title" },
	{ PATH_REGISTER, "admin.register_link" },
	{ PATH_ORAL, "oral.link" },
	{ PATH_AUDIT, "audit.title" },
	{ PATH_STATS, "stats.title" },
	{ PATH_NORM, "norm.home_link" },
	{ PATH_PASSWORD, "staff.password_title" },
	{ PATH_TOKENS, "tokens.title" },
	{ NULL, NULL },
};

int
page_staff_home(struct request *req)
{
	const struct staff_link *m;
	struct buf hello = BUF_INIT;
	size_t i;

	i18n_fill(&hello, web_text(req, "staff.home_hello"), "name",
	          req->session->username, (const char *)NULL);
	layout_begin(req, web_text(req, "staff.home_title"));
	layout_heading(req, web_text(req, "staff.home_title"));
	layout_paragraph(req, hello.data);
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "staff.your_keyrings"));
	html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\" "
	         "id=\"keyrings\">\n");
	for (i = 0; i < session_nrings(req->session); i++) {
		html_raw(&req->out, "<li>");
		html_text(&req->out, widget_keyring_name(req,
		          req->session->rings[i].name));
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ul>\n");
	for (m = staff_menu; m->path; m++)
		if (web_allowed(req, m->path))
			home_link(req, m->path, m->key);
	layout_end(req);
	buf_release(&hello);
	return 0;
}
