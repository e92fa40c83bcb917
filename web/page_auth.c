/*
 * page_auth.c - staff login with password and second factor.
 *
 * A login is: the password unwraps the user's private key (Argon2id), the
 * key opens the sealed TOTP secret, the code is checked and its step
 * recorded, and the keyrings the user belongs to are unwrapped into the
 * session. Every failure looks the same to the client, whatever the
 * reason, and takes about as long: an unknown account name is checked
 * against a dummy key of the same cost. Attempts are limited per account
 * name and per client before any hashing is done.
 *
 * A new account (made by an admin, or the first admin of `meldpunt init`)
 * logs in once with its one-time password and no code; that session can
 * only reach the set-up page, which sets the user's own password and
 * enrols the second factor.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "layout.h"
#include "log.h"
#include "page_admin.h"
#include "page_audit.h"
#include "page_auth.h"
#include "page_case.h"
#include "page_stats.h"
#include "page_tokens.h"
#include "page_meeting.h"
#include "page_norm.h"
#include "page_register.h"
#include "post.h"
#include "qr.h"
#include "session.h"
#include "totp.h"
#include "userkey.h"
#include "users.h"

void
staff_csrf_field(struct request *req)
{
	html_raw(&req->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(&req->out, req->session->csrf);
	html_raw(&req->out, "\">\n");
}

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

/*
 * A key of the same cost as a real one, so that an unknown account name
 * takes as long to refuse as a wrong password.
 */
static uint8_t dummy_pk[CRYPTO_PUBLICKEY_LEN];
static uint8_t dummy_wrapped[USERKEY_WRAPPED_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	char pw[TOKEN_TEXT_LEN + 1];

	token_new(pw);
	if (userkey_create(pw, strlen(pw), users_pwhash(), dummy_pk,
	                   dummy_wrapped, NULL) < 0)
		log_warn("could not make the login timing key");
	crypto_wipe(pw, sizeof(pw));
}

static void
waste_like_a_login(const char *password)
{
	struct secret *sk = NULL;

	pthread_once(&dummy_once, make_dummy);
	userkey_unwrap(password, strlen(password), dummy_pk, dummy_wrapped, &sk);
	secret_free(sk);
}

/* Unwrap every keyring the user holds into the session. */
static int
unlock_rings(struct request *req, struct session *s)
{
	char names[SESSION_MAX_RINGS][KEYRING_NAME_MAX + 1];
	size_t n, i;

	if (keyrings_of_user(req->inst->db, s->user_id, names, SESSION_MAX_RINGS,
	                     &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct session_ring *r = &s->rings[s->nrings];

		if (keyrings_public_key(req->inst->db, names[i], r->pk) < 0 ||
		    keyrings_unlock(req->inst->db, names[i], s->user_id, s->pk,
		                    s->sk, &r->sk) != 0)
			return -1;
		/* Both are KEYRING_NAME_MAX + 1 bytes, NUL-terminated. */
		memcpy(r->name, names[i], sizeof(r->name));
		s->nrings++;
	}
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

static int
login_failed(struct request *req, const char *username, const char *why)
{
	/* Who tried is worth keeping; where from is not (SECURITY.md). */
	web_login_failed(req, username);
	if (why)
		audit_append_result(req->inst->db, username, "login", why,
		                    AUDIT_FAILED);
	req->status = 401;
	render_login(req, web_text(req, "staff.login_failed"), username);
	return 0;
}

int
page_login(struct request *req)
{
	const char *username = post_get(req->post, "username");
	const char *password = post_get(req->post, "password");
	const char *code = post_get(req->post, "code");
	char token[TOKEN_TEXT_LEN + 1];
	struct session *s = NULL;
	struct secret *sk = NULL;
	struct user u;
	int rc;

	if (!username || !*username || !password || !*password)
		return login_failed(req, username ? username : "", NULL);
	if (strlen(username) > USERNAME_MAX || strlen(password) > PASSWORD_MAX)
		return login_failed(req, "", NULL);
	/* Before any hashing: a flood must not starve the server. */
	if (!web_login_allowed(req, username)) {
		req->status = 429;
		render_login(req, web_text(req, "staff.locked"), username);
		return 0;
	}
	rc = users_find(req->inst->db, username, &u);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		waste_like_a_login(password);
		return login_failed(req, username, "unknown account");
	}
	if (u.disabled) {
		waste_like_a_login(password);
		user_release(&u);
		return login_failed(req, username, "account disabled");
	}
	if (users_unlock(&u, password, &sk) < 0) {
		user_release(&u);
		return login_failed(req, username, "wrong password");
	}
	if (u.totp_sealed) {
		if (users_check_totp(req->inst->db, &u, sk, code ? code : "",
		                     clock_now()) < 0) {
			secret_free(sk);
			user_release(&u);
			return login_failed(req, username, "wrong code");
		}
	} else if (!u.must_change_password) {
		/* Set up, yet no second factor: never let that in. */
		secret_free(sk);
		user_release(&u);
		return login_failed(req, username, "no second factor");
	}

	s = session_new();
	s->user_id = u.id;
	snprintf(s->username, sizeof(s->username), "%s", u.username);
	s->roles = u.roles;
	memcpy(s->pk, u.public_key, sizeof(s->pk));
	s->sk = sk;
	s->stage = u.totp_sealed ? SESSION_FULL : SESSION_SETUP;
	user_release(&u);
	if (unlock_rings(req, s) < 0 ||
	    sessions_add(web_sessions(req), s, clock_now(), token) < 0) {
		session_free(s);
		return -1;
	}
	audit_append(req->inst->db, s->username, "login",
	             s->stage == SESSION_SETUP ? "first login" : "");
	set_session_cookie(req, token, (int)req->limits->session_absolute);
	crypto_wipe(token, sizeof(token));
	return web_redirect(req, s->stage == SESSION_SETUP ? PATH_SETUP
	                                                  : PATH_STAFF_HOME);
}

int
page_logout(struct request *req)
{
	audit_append(req->inst->db, req->session->username, "logout", "");
	sessions_end(web_sessions(req), req->session);
	set_session_cookie(req, "", 0);
	return web_redirect(req, PATH_LOGIN);
}

static void
password_problem_text(struct request *req, const char *problem,
                      struct buf *out)
{
	struct buf key = BUF_INIT, min = BUF_INIT;

	buf_addf(&key, "staff.password_%s", problem);
	buf_addf(&min, "%u", req->limits->password_min);
	i18n_fill(out, web_text(req, key.data), "min", min.data,
	          (const char *)NULL);
	buf_release(&key);
	buf_release(&min);
}

static int
render_setup(struct request *req, const char *message)
{
	struct secret *totp = sessions_pending_totp(web_sessions(req),
	                                            req->session);
	char text[TOTP_SECRET_TEXT_LEN + 1];
	struct buf grouped = BUF_INIT;
	char *uri;
	size_t i;

	if (!totp)
		return -1;
	uri = totp_uri(totp, web_text(req, "common.site_title"),
	               req->session->username);
	totp_secret_text(totp, text);
	for (i = 0; text[i]; i++) {
		if (i && i % 4 == 0)
			buf_addch(&grouped, ' ');
		buf_addch(&grouped, text[i]);
	}
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
	html_text(&req->out, grouped.data);
	html_raw(&req->out, "</code></p>\n");
	input_field(req, "code", "text", "staff.code", "one-time-code", NULL);
	submit_button(req, "staff.setup_submit");
	html_raw(&req->out, "</form>\n");
	layout_end(req);
	if (uri) {
		crypto_wipe(uri, strlen(uri));
		free(uri);
	}
	crypto_wipe(text, sizeof(text));
	buf_wipe_release(&grouped);
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

int
page_setup(struct request *req)
{
	const char *pw = post_get(req->post, "password");
	const char *pw2 = post_get(req->post, "password2");
	const char *code = post_get(req->post, "code");
	struct session *s = req->session;
	struct secret *totp = NULL;
	struct buf msg = BUF_INIT;
	const char *problem;
	uint64_t step;
	struct user u;
	int ret = -1;

	if (s->stage == SESSION_FULL)
		return web_redirect(req, PATH_STAFF_HOME);
	if (!pw || !pw2 || strcmp(pw, pw2) != 0) {
		req->status = 400;
		return render_setup(req, web_text(req, "staff.password_mismatch"));
	}
	problem = users_password_problem(s->username, pw,
	                                 req->limits->password_min);
	if (problem) {
		password_problem_text(req, problem, &msg);
		req->status = 400;
		ret = render_setup(req, msg.data);
		buf_release(&msg);
		return ret;
	}
	totp = sessions_pending_totp(web_sessions(req), s);
	if (!totp || totp_verify(totp, code ? code : "", clock_now(), 0,
	                         &step) < 0) {
		secret_free(totp);
		req->status = 400;
		return render_setup(req, web_text(req, "staff.code_wrong"));
	}
	if (users_find(req->inst->db, s->username, &u) != 0) {
		secret_free(totp);
		return -1;
	}
	if (users_complete_setup(req->inst->db, &u, s->sk, pw, users_pwhash(),
	                         totp, step) == 0) {
		sessions_promote(web_sessions(req), s);
		ret = web_redirect(req, PATH_STAFF_HOME);
	}
	user_release(&u);
	secret_free(totp);
	return ret;
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
	const char *cur = post_get(req->post, "current");
	const char *pw = post_get(req->post, "password");
	const char *pw2 = post_get(req->post, "password2");
	struct secret *check = NULL;
	struct buf msg = BUF_INIT;
	const char *problem;
	struct user u;
	int ret;

	if (!pw || !pw2 || strcmp(pw, pw2) != 0) {
		req->status = 400;
		render_password(req, web_text(req, "staff.password_mismatch"), 0);
		return 0;
	}
	problem = users_password_problem(req->session->username, pw,
	                                 req->limits->password_min);
	if (problem) {
		password_problem_text(req, problem, &msg);
		req->status = 400;
		render_password(req, msg.data, 0);
		buf_release(&msg);
		return 0;
	}
	if (!web_login_allowed(req, req->session->username)) {
		req->status = 429;
		render_password(req, web_text(req, "staff.locked"), 0);
		return 0;
	}
	if (users_find(req->inst->db, req->session->username, &u) != 0)
		return -1;
	/* The current password proves it is still the same person. */
	if (!cur || users_unlock(&u, cur, &check) < 0) {
		web_login_failed(req, req->session->username);
		user_release(&u);
		req->status = 400;
		render_password(req, web_text(req, "staff.current_wrong"), 0);
		return 0;
	}
	secret_free(check);
	ret = users_change_password(req->inst->db, &u, req->session->sk, pw,
	                            users_pwhash());
	user_release(&u);
	if (ret < 0)
		return -1;
	render_password(req, web_text(req, "staff.password_changed"), 1);
	return 0;
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

int
page_staff_home(struct request *req)
{
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
	for (i = 0; i < req->session->nrings; i++) {
		html_raw(&req->out, "<li>");
		html_text(&req->out, req->session->rings[i].name);
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ul>\n");
	if (req->session->roles & ROLE_ADMIN)
		home_link(req, PATH_ADMIN_USERS, "admin.users_link");
	if (req->session->roles & (ROLE_COORDINATOR | ROLE_VPT))
		home_link(req, PATH_INBOX, "case.inbox_link");
	if (req->session->roles & (ROLE_COORDINATOR | ROLE_OVERLEG))
		home_link(req, PATH_MEETINGS, "meeting.list_title");
	if (req->session->roles & (ROLE_COORDINATOR | ROLE_VPT))
		home_link(req, PATH_REGISTER, "admin.register_link");
	if (req->session->roles & ROLE_AUDITOR)
		home_link(req, PATH_AUDIT, "audit.title");
	if (req->session->roles & (ROLE_HR | ROLE_VPT | ROLE_COORDINATOR))
		home_link(req, PATH_STATS, "stats.title");
	if (req->session->roles & NORM_ROLES)
		home_link(req, PATH_NORM, "norm.home_link");
	home_link(req, PATH_PASSWORD, "staff.password_title");
	home_link(req, PATH_TOKENS, "tokens.title");
	layout_end(req);
	buf_release(&hello);
	return 0;
}
