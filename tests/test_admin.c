/*
 * test_admin.c - the admin pages and registering a report on behalf of a
 * reporter, over HTTP on 127.0.0.1 like a browser would use them: an admin
 * creates a coordinator, who logs in with the one-time password and sets
 * up (TOTP codes computed here); keyring access is granted and revoked and
 * seen on the coordinator's next login; a password reset stops the old
 * password and its keyring access is granted again from the admin's own
 * keyring and with the printed recovery key; refusals for other roles and
 * a missing CSRF token; a disabled account; a report registered by phone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"
#include "totp.h"

/* One staff member as the test drives them. */
struct staff {
	char name[65];
	char password[64];
	struct secret *totp;
	uint64_t last_step;	/* the last TOTP step the server accepted */
	struct buf cookie;	/* "mp_session=..." of the live session */
	struct buf csrf;
};

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct staff admin;
};

static long
post(struct fixture *f, const char *path, const char *body, const char *cookie,
     struct buf *headers, struct buf *resp)
{
	long status = 0;

	assert_int_equal(test_http_cookie(&f->srv, "POST", path, body, cookie,
	                                  &status, headers, resp), 0);
	return status;
}

static long
get(struct fixture *f, const char *path, const char *cookie,
    struct buf *headers, struct buf *resp)
{
	long status = 0;

	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL, cookie,
	                                  &status, headers, resp), 0);
	return status;
}

/* The text between after and the next '<' in a page, into out. */
static void
extract(const struct buf *page, const char *after, char *out, size_t size)
{
	test_text_after(page->data, after, "<\n", out, size);
}

/* RFC 4648 base32 (with spaces) to bytes, as an authenticator app reads it. */
static struct secret *
decode_secret(const char *text)
{
	const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned buffer = 0, bits = 0;
	uint8_t out[64];
	size_t n = 0;

	for (; *text; text++) {
		const char *c = strchr(alphabet, *text);

		if (*text == ' ')
			continue;
		assert_non_null(c);
		buffer = (buffer << 5) | (unsigned)(c - alphabet);
		bits += 5;
		if (bits >= 8) {
			out[n++] = (uint8_t)(buffer >> (bits - 8));
			bits -= 8;
		}
	}
	assert_int_equal(n, TOTP_SECRET_LEN);
	return secret_from(out, n);
}

/*
 * The next TOTP step the server will take: after the last one used and
 * within one step of now. Waits when every step in reach is used, and
 * keeps clear of a step's last seconds so the server sees the same step.
 */
static uint64_t
next_step(const struct staff *s)
{
	for (;;) {
		uint64_t now, step;

		while ((uint64_t)time(NULL) % TOTP_STEP >= TOTP_STEP - 2)
			sleep(1);
		now = (uint64_t)time(NULL) / TOTP_STEP;
		step = s->last_step + 1 > now - 1 ? s->last_step + 1 : now - 1;
		if (step <= now + 1)
			return step;
		sleep(1);
	}
}

static void
session_cookie(const struct buf *headers, struct buf *cookie)
{
	struct buf h = BUF_INIT;
	const char *semi;

	assert_int_equal(test_header(headers, "Set-Cookie", &h), 0);
	semi = strchr(h.data, ';');
	buf_reset(cookie);
	buf_add(cookie, h.data, semi ? (size_t)(semi - h.data) : h.len);
	buf_release(&h);
}

/* The CSRF token of the live session, from the start page. */
static void
read_csrf(struct fixture *f, struct staff *s, struct buf *home)
{
	struct buf body = BUF_INIT;

	assert_int_equal(get(f, "/beheer", s->cookie.data, NULL, &body), 200);
	buf_reset(&s->csrf);
	assert_int_equal(test_input_value(&body, "csrf", &s->csrf), 0);
	if (home) {
		buf_reset(home);
		buf_add(home, body.data, body.len);
	}
	buf_release(&body);
}

/*
 * The first login of s with its one-time password: choose s->password and
 * enrol the second factor. Leaves the live session in s->cookie.
 */
static void
first_login(struct fixture *f, struct staff *s, const char *otp)
{
	struct buf h = BUF_INIT, body = BUF_INIT, req = BUF_INIT;
	char secret[64];
	uint64_t step;

	secret_free(s->totp);
	s->totp = NULL;
	s->last_step = 0;
	buf_addf(&req, "username=%s&password=%s", s->name, otp);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, &h, NULL), 303);
	session_cookie(&h, &s->cookie);
	assert_int_equal(get(f, "/beheer/instellen", s->cookie.data, NULL, &body),
	                 200);
	extract(&body, "id=\"totp-secret\">", secret, sizeof(secret));
	s->totp = decode_secret(secret);
	buf_reset(&s->csrf);
	assert_int_equal(test_input_value(&body, "csrf", &s->csrf), 0);
	step = next_step(s);
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=%s&password2=%s&code=%06u", s->csrf.data,
	         s->password, s->password, totp_code(s->totp, step));
	assert_int_equal(post(f, "/beheer/instellen", req.data, s->cookie.data,
	                      NULL, NULL), 303);
	s->last_step = step;
	buf_release(&h);
	buf_release(&body);
	buf_release(&req);
}

/*
 * Log s in with password and the next code. On success the session is in
 * s->cookie and the start page in home (when not NULL). The status.
 */
static long
login(struct fixture *f, struct staff *s, const char *password,
      struct buf *home)
{
	struct buf h = BUF_INIT, req = BUF_INIT;
	uint64_t step = next_step(s);
	long status;

	buf_addf(&req, "username=%s&password=%s&code=%06u", s->name, password,
	         totp_code(s->totp, step));
	status = post(f, "/beheer/inloggen", req.data, NULL, &h, NULL);
	if (status == 303) {
		s->last_step = step;
		session_cookie(&h, &s->cookie);
		read_csrf(f, s, home);
	}
	buf_release(&h);
	buf_release(&req);
	return status;
}

static void
staff_init(struct staff *s, const char *name, const char *password)
{
	const struct buf empty = BUF_INIT;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->password, sizeof(s->password), "%s", password);
	s->cookie = empty;
	s->csrf = empty;
}

static void
staff_release(struct staff *s)
{
	secret_free(s->totp);
	buf_release(&s->cookie);
	buf_release(&s->csrf);
	memset(s, 0, sizeof(*s));
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;

	f->dir = test_tmpdir("admin");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);

	staff_init(&f->admin, "admin", "de beheerder heeft een lange zin");
	first_login(f, &f->admin, ti.password);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	staff_release(&f->admin);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The admin POSTs body (the CSRF token is added) to path. */
static long
admin_post(struct fixture *f, const char *path, const char *body,
           struct buf *resp)
{
	struct buf req = BUF_INIT;
	long status;

	buf_addf(&req, "csrf=%s&%s", f->admin.csrf.data, body);
	status = post(f, path, req.data, f->admin.cookie.data, NULL, resp);
	buf_release(&req);
	return status;
}

/* The admin creates s with roles ("role=a&role=b"); it logs in and sets up. */
static void
create_staff(struct fixture *f, struct staff *s, const char *name,
             const char *roles)
{
	struct buf body = BUF_INIT, req = BUF_INIT;
	char otp[32], password[64];

	snprintf(password, sizeof(password), "wachtwoord van %s, lang", name);
	staff_init(s, name, password);
	buf_addf(&req, "username=%s&display_name=Test %s&%s", name, name, roles);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/nieuw", req.data,
	                            &body), 200);
	assert_non_null(strstr(body.data, "Gebruiker aangemaakt"));
	extract(&body, "id=\"one-time-password\">", otp, sizeof(otp));
	assert_int_equal(strlen(otp), 23);
	first_login(f, s, otp);
	buf_release(&body);
	buf_release(&req);
}

static void
grant(struct fixture *f, const char *user, const char *keyring,
      const char *recovery, long want, const char *want_text)
{
	struct buf body = BUF_INIT, req = BUF_INIT;

	buf_addf(&req, "user=%s&keyring=%s&recovery=%s", user, keyring,
	         recovery ? recovery : "");
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            req.data, &body), want);
	assert_non_null(strstr(body.data, want_text));
	buf_release(&body);
	buf_release(&req);
}

/* Read-only count from the database, as test_db_counts does. */
static long long
db_count(struct fixture *f, const char *sql)
{
	struct buf path = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *conn;
	long long n = -1;

	buf_addf(&path, "%s/meldpunt.db", f->dir);
	assert_int_equal(sqlite3_open_v2(path.data, &conn, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	buf_release(&path);
	return n;
}

static void
test_create_grant_revoke(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, home = BUF_INIT;
	struct staff c;

	create_staff(f, &c, "coord", "role=coordinator");
	/* The list shows the account, its role, and no keyrings yet. */
	assert_int_equal(get(f, "/beheer/gebruikers", f->admin.cookie.data, NULL,
	                     &body), 200);
	assert_non_null(strstr(body.data, "id=\"user-coord\""));
	assert_non_null(strstr(body.data, "Coördinator bestuurlijke aanpak"));
	assert_non_null(strstr(body.data, "id=\"user-admin\""));

	/* Set up, but no keyring: no signalen. */
	assert_int_equal(login(f, &c, c.password, &home), 303);
	assert_null(strstr(home.data, "<li>signalen</li>"));

	grant(f, "coord", "signalen", NULL, 200, "heeft nu toegang");
	assert_int_equal(login(f, &c, c.password, &home), 303);
	assert_non_null(strstr(home.data, "<li>signalen</li>"));
	assert_null(strstr(home.data, "<li>agressie</li>"));
	buf_reset(&body);
	assert_int_equal(get(f, "/beheer/gebruikers/gebruiker?naam=coord",
	                     f->admin.cookie.data, NULL, &body), 200);
	assert_non_null(strstr(body.data, "Heeft toegang"));

	/* Revoked: the live session ends, the next login has no signalen. */
	buf_reset(&body);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-intrekken",
	                            "user=coord&keyring=signalen", &body), 200);
	assert_non_null(strstr(body.data, "geen toegang meer"));
	assert_int_equal(get(f, "/beheer", c.cookie.data, NULL, NULL), 303);
	assert_int_equal(login(f, &c, c.password, &home), 303);
	assert_null(strstr(home.data, "<li>signalen</li>"));

	/* Every change names the admin who made it. */
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'admin' AND action IN ('user-create', "
	                 "'keyring-grant', 'keyring-revoke')"), 3);
	staff_release(&c);
	buf_release(&body);
	buf_release(&home);
}

static void
test_reset_and_regrant(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, home = BUF_INIT, req = BUF_INIT;
	char otp[32], pending[512];
	struct staff c;

	create_staff(f, &c, "coord", "role=coordinator&role=vpt");
	grant(f, "coord", "signalen", NULL, 200, "heeft nu toegang");
	grant(f, "coord", "agressie", NULL, 200, "heeft nu toegang");
	assert_int_equal(login(f, &c, c.password, &home), 303);
	assert_non_null(strstr(home.data, "<li>signalen</li>"));
	assert_non_null(strstr(home.data, "<li>agressie</li>"));

	/* The admin cannot reset (or disable) their own account here. */
	assert_int_equal(admin_post(f, "/beheer/gebruikers/wachtwoord-herstellen",
	                            "user=admin", NULL), 400);

	assert_int_equal(admin_post(f, "/beheer/gebruikers/wachtwoord-herstellen",
	                            "user=coord", &body), 200);
	extract(&body, "id=\"one-time-password\">", otp, sizeof(otp));
	assert_int_equal(strlen(otp), 23);
	/* What still needs a grant is listed, with a grant form for each. */
	extract(&body, "id=\"pending\">", pending, sizeof(pending));
	assert_non_null(strstr(pending, "agressie, signalen"));
	assert_non_null(strstr(body.data, "toegang-geven"));

	/* The old session and the old password are gone. */
	assert_int_equal(get(f, "/beheer", c.cookie.data, NULL, NULL), 303);
	assert_int_equal(login(f, &c, c.password, NULL), 401);
	buf_reset(&body);
	assert_int_equal(get(f, "/beheer/gebruikers", f->admin.cookie.data, NULL,
	                     &body), 200);
	assert_non_null(strstr(body.data, "agressie, signalen"));

	/* Granted again: signalen from the admin's own keyring ... */
	grant(f, "coord", "signalen", NULL, 200, "heeft nu toegang");
	/* ... agressie with the recovery key (a wrong one changes nothing). */
	grant(f, "coord", "agressie", "0000-0000-0000-0000-0000-0000-0000-0000-"
	      "0000-0000-0000-0000-0000", 400, "opent sleutelbos agressie niet");
	buf_addf(&req, "user=coord&keyring=agressie&recovery=%s", f->recovery);
	buf_reset(&body);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            req.data, &body), 200);
	assert_null(strstr(body.data, "id=\"pending\""));
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'admin' AND action = 'recovery-key' AND "
	                 "result = 'ok'"), 1);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'admin' AND action = 'recovery-key' AND "
	                 "result = 'refused'"), 1);

	/* The new one-time password, set-up, and everything is back. */
	snprintf(c.password, sizeof(c.password), "een nieuw en lang wachtwoord");
	first_login(f, &c, otp);
	read_csrf(f, &c, &home);
	assert_non_null(strstr(home.data, "<li>signalen</li>"));
	assert_non_null(strstr(home.data, "<li>agressie</li>"));
	assert_int_equal(login(f, &c, c.password, &home), 303);
	assert_non_null(strstr(home.data, "<li>signalen</li>"));
	assert_non_null(strstr(home.data, "<li>agressie</li>"));
	staff_release(&c);
	buf_release(&body);
	buf_release(&home);
	buf_release(&req);
}

static void
test_refusals(void **state)
{
	static const char *const gets[] = {
		"/beheer/gebruikers", "/beheer/gebruikers/nieuw",
		"/beheer/gebruikers/gebruiker?naam=admin",
	};
	static const char *const posts[] = {
		"/beheer/gebruikers/nieuw", "/beheer/gebruikers/blokkeren",
		"/beheer/gebruikers/wachtwoord-herstellen",
		"/beheer/gebruikers/toegang-geven",
		"/beheer/gebruikers/toegang-intrekken",
		"/beheer/gebruikers/rollen",
	};
	struct fixture *f = *state;
	struct buf req = BUF_INIT, body = BUF_INIT;
	struct staff c;
	size_t i;

	create_staff(f, &c, "coord", "role=coordinator");
	read_csrf(f, &c, NULL);
	/* Not an admin: 403 on every admin page, with a valid CSRF token. */
	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++)
		assert_int_equal(get(f, gets[i], c.cookie.data, NULL, NULL), 403);
	buf_addf(&req, "csrf=%s&user=coord&keyring=signalen&disabled=1"
	         "&username=x&role=admin", c.csrf.data);
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		assert_int_equal(post(f, posts[i], req.data, c.cookie.data, NULL,
		                      NULL), 403);
	/* Each refusal of a page the role may not use is audited by core. */
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'coord' AND action = 'access' AND "
	                 "result = 'refused'"), 9);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'coord' AND action = 'access' AND "
	                 "object = '/beheer/gebruikers/blokkeren'"), 1);
	/* The admin without a token, or with a wrong one: 403, nothing done. */
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		assert_int_equal(post(f, posts[i], "user=coord&keyring=signalen"
		                      "&disabled=1&username=x&role=admin",
		                      f->admin.cookie.data, NULL, NULL), 403);
		assert_int_equal(post(f, posts[i], "csrf=wrong&user=coord"
		                      "&keyring=signalen&disabled=1",
		                      f->admin.cookie.data, NULL, NULL), 403);
	}
	assert_int_equal(db_count(f, "SELECT count(*) FROM keyring_members m "
	                 "JOIN users u ON u.id = m.user_id WHERE "
	                 "u.username = 'coord'"), 0);
	assert_int_equal(db_count(f, "SELECT disabled FROM users WHERE "
	                 "username = 'coord'"), 0);
	/* Not logged in: the login page. */
	assert_int_equal(get(f, "/beheer/gebruikers", NULL, NULL, NULL), 303);
	/* Bad input to the admin: the form again, nothing stored. */
	assert_int_equal(admin_post(f, "/beheer/gebruikers/nieuw",
	                            "username=Bad Name&role=hr", &body), 400);
	assert_non_null(strstr(body.data, "Deze gebruikersnaam kan niet"));
	assert_int_equal(admin_post(f, "/beheer/gebruikers/nieuw",
	                            "username=coord&role=hr", NULL), 400);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/nieuw",
	                            "username=zonderrol", NULL), 400);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/nieuw",
	                            "username=x&role=koning", NULL), 400);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            "user=coord&keyring=geheim", NULL), 400);
	assert_int_equal(get(f, "/beheer/gebruikers/gebruiker?naam=niemand",
	                     f->admin.cookie.data, NULL, NULL), 404);
	assert_int_equal(db_count(f, "SELECT count(*) FROM users"), 2);
	/* Registering reports is for coordinators, not for the admin. */
	assert_int_equal(get(f, "/beheer/registreren", f->admin.cookie.data, NULL,
	                     NULL), 403);
	/* A coordinator registers signals, not incidents. */
	assert_int_equal(get(f, "/beheer/registreren/agressie", c.cookie.data,
	                     NULL, NULL), 403);
	staff_release(&c);
	buf_release(&req);
	buf_release(&body);
}

static void
test_disabled_cannot_log_in(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT;
	struct staff c;

	create_staff(f, &c, "vpt.jansen", "role=vpt");
	assert_int_equal(admin_post(f, "/beheer/gebruikers/blokkeren",
	                            "user=vpt.jansen&disabled=1", &body), 200);
	assert_non_null(strstr(body.data, "is geblokkeerd"));
	/* The live session ended; the right password and code do not open. */
	assert_int_equal(get(f, "/beheer", c.cookie.data, NULL, NULL), 303);
	assert_int_equal(login(f, &c, c.password, NULL), 401);
	buf_reset(&body);
	assert_int_equal(get(f, "/beheer/gebruikers", f->admin.cookie.data, NULL,
	                     &body), 200);
	assert_non_null(strstr(body.data, "Geblokkeerd"));
	/* Enabled again: logging in works. */
	assert_int_equal(admin_post(f, "/beheer/gebruikers/blokkeren",
	                            "user=vpt.jansen&disabled=0", NULL), 200);
	assert_int_equal(login(f, &c, c.password, NULL), 303);
	/* Nobody disables their own account. */
	assert_int_equal(admin_post(f, "/beheer/gebruikers/blokkeren",
	                            "user=admin&disabled=1", NULL), 400);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'admin' AND action IN ('user-disable', "
	                 "'user-enable')"), 2);
	staff_release(&c);
	buf_release(&body);
}

static void
test_register_on_behalf(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, cookie = BUF_INIT, req = BUF_INIT;
	char receipt[32];
	long status = 0;
	struct staff c;
	struct test_part parts[] = {
		{ "csrf", NULL, 0, NULL, NULL },
		{ "source", "phone", 0, NULL, NULL },
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Kerkstraat 3, Edam", 0, NULL, NULL },
		{ "observation", "Beller zag een hennepkwekerij op zolder.", 0, NULL,
		  NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};

	create_staff(f, &c, "coord", "role=coordinator");
	read_csrf(f, &c, &body);
	assert_non_null(strstr(body.data, "/beheer/registreren"));
	buf_reset(&body);
	assert_int_equal(get(f, "/beheer/registreren", c.cookie.data, NULL, &body),
	                 200);
	assert_non_null(strstr(body.data, "/beheer/registreren/signaal"));
	assert_null(strstr(body.data, "/beheer/registreren/agressie"));
	buf_reset(&body);
	assert_int_equal(get(f, "/beheer/registreren/signaal", c.cookie.data, NULL,
	                     &body), 200);
	/* The reporter's questions, the source, the token. */
	assert_non_null(strstr(body.data, "Waar gaat uw signaal over?"));
	assert_non_null(strstr(body.data, "name=\"source\""));
	assert_non_null(strstr(body.data, "Meld Misdaad Anoniem"));
	assert_non_null(strstr(body.data, "action=\"/beheer/registreren/signaal\""));

	parts[0].value = c.csrf.data;
	buf_addf(&cookie, "Cookie: %s", c.cookie.data);
	/* Without the token: refused, nothing stored. */
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/beheer/registreren/signaal",
	                 parts + 1, 5, cookie.data, &status, &body), 0);
	assert_int_equal(status, 403);
	/* An unknown source, and "web" (the reporter's own): refused. */
	parts[1].value = "web";
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/beheer/registreren/signaal",
	                 parts, 6, cookie.data, &status, &body), 0);
	assert_int_equal(status, 400);
	/* A missing answer: the form again, with the source still chosen. */
	parts[1].value = "mma";
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/beheer/registreren/signaal",
	                 parts, 4, cookie.data, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "value=\"mma\" selected"));
	assert_int_equal(db_count(f, "SELECT count(*) FROM reports"), 0);

	parts[1].value = "phone";
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/beheer/registreren/signaal",
	                 parts, 6, cookie.data, &status, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "Melding geregistreerd"));
	extract(&body, "id=\"receipt\">", receipt, sizeof(receipt));
	assert_int_equal(strlen(receipt), 19);
	assert_int_equal(db_count(f, "SELECT count(*) FROM reports WHERE "
	                 "source = 'phone' AND type = 'signal'"), 1);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE "
	                 "actor = 'coord' AND action = 'report-register'"), 1);

	/* The receipt the reporter was given opens the report. */
	buf_addf(&req, "receipt=%s", receipt);
	buf_reset(&body);
	assert_int_equal(post(f, "/status", req.data, NULL, NULL, &body), 200);
	assert_non_null(strstr(body.data, "Kerkstraat 3, Edam"));
	staff_release(&c);
	buf_release(&body);
	buf_release(&cookie);
	buf_release(&req);
}

/* The keyrings the live session of s holds, as its start page lists them. */
static int
session_holds(struct fixture *f, struct staff *s, const char *keyring)
{
	struct buf body = BUF_INIT, li = BUF_INIT;
	int held;

	assert_int_equal(get(f, "/beheer", s->cookie.data, NULL, &body), 200);
	buf_addf(&li, "<li>%s</li>", keyring);
	held = strstr(body.data, li.data) != NULL;
	buf_release(&body);
	buf_release(&li);
	return held;
}

/*
 * A grant reaches a running session at its next request; the overleg
 * keyring made with the first meeting is sealed to the coordinator who
 * made it and to the admin who holds signalen, so the admin grants it to
 * a member without the recovery key.
 */
static void
test_grant_reaches_session(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, req = BUF_INIT;
	struct staff c, m;

	create_staff(f, &c, "coord", "role=coordinator");
	assert_int_equal(login(f, &c, c.password, NULL), 303);
	assert_false(session_holds(f, &c, "signalen"));
	grant(f, "coord", "signalen", NULL, 200, "ook in een open sessie");
	/* The same session, no new login. */
	assert_true(session_holds(f, &c, "signalen"));

	/* The first meeting makes overleg, sealed to its maker too. */
	buf_addf(&req, "csrf=%s&held_on=2027-01-12&title=januari", c.csrf.data);
	assert_int_equal(post(f, "/beheer/overleg/nieuw", req.data, c.cookie.data,
	                      NULL, NULL), 303);
	assert_true(session_holds(f, &c, "overleg"));
	assert_int_equal(db_count(f, "SELECT count(*) FROM keyring_members m"
	                 " JOIN keyrings k ON k.id = m.keyring_id JOIN users u"
	                 " ON u.id = m.user_id WHERE k.name = 'overleg' AND"
	                 " u.username IN ('coord', 'admin')"), 2);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action = 'keyring-grant' AND"
	                 " object LIKE 'overleg user=%'"), 2);

	/* The admin's session picked it up: no recovery key needed. */
	create_staff(f, &m, "lid", "role=overleg");
	grant(f, "lid", "overleg", NULL, 200, "heeft nu toegang");
	assert_true(session_holds(f, &m, "overleg"));
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'recovery-key'"), 0);

	/* agressie for a meeting member: first a question, nothing done. */
	buf_reset(&body);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            "user=lid&keyring=agressie", &body), 200);
	assert_non_null(strstr(body.data, "id=\"confirm\""));
	assert_non_null(strstr(body.data, "name=\"confirm\" value=\"1\""));
	assert_non_null(strstr(body.data, "Lid van het signalenoverleg"));
	assert_false(session_holds(f, &m, "agressie"));
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'admin' AND action = 'keyring-grant' AND"
	                 " object LIKE 'agressie%'"), 0);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            "user=lid&keyring=agressie&confirm=ja",
	                            NULL), 400);
	buf_reset(&body);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/toegang-geven",
	                            "user=lid&keyring=agressie&confirm=1",
	                            &body), 200);
	assert_non_null(strstr(body.data, "heeft nu toegang"));
	assert_true(session_holds(f, &m, "agressie"));
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'admin' AND action ="
	                 " 'keyring-grant-confirmed'"), 1);

	/*
	 * Made HR: overleg, which only the meeting role handled, is taken;
	 * agressie, granted apart, stays; the live session ends.
	 */
	buf_reset(&body);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/rollen",
	                            "user=lid&role=hr", &body), 200);
	assert_non_null(strstr(body.data, "Toegang ingetrokken tot: overleg"));
	assert_non_null(strstr(body.data, "HR (statistiek)"));
	assert_int_equal(get(f, "/beheer", m.cookie.data, NULL, NULL), 303);
	assert_int_equal(login(f, &m, m.password, NULL), 303);
	assert_false(session_holds(f, &m, "overleg"));
	assert_true(session_holds(f, &m, "agressie"));
	assert_int_equal(get(f, "/beheer/overleg", m.cookie.data, NULL, NULL),
	                 403);
	assert_int_equal(db_count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'admin' AND action = 'user-roles' AND"
	                 " object = 'lid: overleg -> hr'"), 1);
	/* No roles, an unknown role, one's own: nothing changes. */
	assert_int_equal(admin_post(f, "/beheer/gebruikers/rollen", "user=lid",
	                            NULL), 400);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/rollen",
	                            "user=lid&role=koning", NULL), 400);
	assert_int_equal(admin_post(f, "/beheer/gebruikers/rollen",
	                            "user=admin&role=hr", NULL), 400);
	assert_int_equal(db_count(f, "SELECT count(*) FROM user_roles r JOIN"
	                 " users u ON u.id = r.user_id WHERE u.username ="
	                 " 'admin' AND r.role = 'admin'"), 1);
	staff_release(&c);
	staff_release(&m);
	buf_release(&body);
	buf_release(&req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_grant_revoke, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_reset_and_regrant, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_cannot_log_in, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_register_on_behalf, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_grant_reaches_session, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("admin", tests, NULL, NULL);
}
