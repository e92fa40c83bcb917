/*
 * test_auth.c - staff login over HTTP on 127.0.0.1: the first login with
 * the one-time password, set-up of password and second factor (codes
 * computed here, as an authenticator app would), CSRF, logout, wrong and
 * replayed codes, unknown accounts, lockout, password change; and the
 * session table's timeouts.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "num.h"
#include "session.h"
#include "testutil.h"
#include "totp.h"

struct fixture {
	char *dir;
	char password[64];	/* the admin's one-time password */
	char config[512];	/* its meldpunt.conf */
	struct test_server srv;
};

static void
write_config(struct fixture *f, const char *text)
{
	FILE *fp;

	snprintf(f->config, sizeof(f->config), "%s/meldpunt.conf", f->dir);
	fp = fopen(f->config, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;

	f->dir = test_tmpdir("auth");
	test_init(f->dir, &ti);
	snprintf(f->password, sizeof(f->password), "%s", ti.password);
	/*
	 * No wait after a failure (login_delay = 0), so the tests below may
	 * try wrong and right logins in a row; test_lockout_per_address
	 * runs with the default waits.
	 */
	write_config(f, "[limits]\nlogin_delay = 0\n");
	assert_int_equal(test_server_start_config(&f->srv, f->dir,
	                                          f->config), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static struct secret *
decode_secret(const char *text)
{
	struct secret *s = test_totp_decode(text);

	assert_non_null(s);
	return s;
}

static void
code_at(const struct secret *s, int64_t step_offset, char out[8])
{
	test_totp_now(s, (int)step_offset, out);
}

/* The session cookie ("mp_session=...") from a response's headers. */
static void
session_cookie(const struct buf *headers, struct buf *cookie)
{
	struct buf h = BUF_INIT;
	const char *semi;

	assert_int_equal(test_header(headers, "Set-Cookie", &h), 0);
	semi = strchr(h.data, ';');
	buf_add(cookie, h.data, semi ? (size_t)(semi - h.data) : h.len);
	buf_release(&h);
}

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

static void
assert_location(const struct buf *headers, const char *want)
{
	struct buf loc = BUF_INIT;

	assert_int_equal(test_header(headers, "Location", &loc), 0);
	assert_string_equal(loc.data, want);
	buf_release(&loc);
}

/*
 * Log in for the first time and set up; returns the TOTP secret and the
 * step's code offset used, leaves the session cookie in cookie.
 */
static struct secret *
first_login(struct fixture *f, const char *new_password, struct buf *cookie)
{
	struct buf h = BUF_INIT, body = BUF_INIT, csrf = BUF_INIT, req = BUF_INIT;
	struct buf secret_text = BUF_INIT, c = BUF_INIT;
	struct secret *totp;
	char code[8];
	const char *p, *end;
	long code_n;

	buf_addf(&req, "username=admin&password=%s", f->password);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, &h, NULL), 303);
	assert_location(&h, "/beheer/instellen");
	assert_int_equal(test_header(&h, "Set-Cookie", &c), 0);
	assert_non_null(strstr(c.data, "HttpOnly"));
	assert_non_null(strstr(c.data, "SameSite=Strict"));
	assert_non_null(strstr(c.data, "Path=/beheer"));
	session_cookie(&h, cookie);

	/* In set-up, other staff pages send you back to set-up. */
	buf_reset(&h);
	assert_int_equal(get(f, "/beheer", cookie->data, &h, NULL), 303);
	assert_location(&h, "/beheer/instellen");

	assert_int_equal(get(f, "/beheer/instellen", cookie->data, NULL, &body), 200);
	assert_non_null(strstr(body.data, "<svg"));
	p = strstr(body.data, "id=\"totp-secret\">");
	assert_non_null(p);
	p += strlen("id=\"totp-secret\">");
	end = strchr(p, '<');
	buf_add(&secret_text, p, (size_t)(end - p));
	totp = decode_secret(secret_text.data);
	assert_int_equal(test_input_value(&body, "csrf", &csrf), 0);

	/* No CSRF token: refused. */
	buf_reset(&req);
	code_at(totp, 0, code);
	assert_int_equal(num_parse(code, 0, 999999, &code_n), 0);
	buf_addf(&req, "password=%s&password2=%s&code=%s", new_password,
	         new_password, code);
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie->data, NULL,
	                      NULL), 403);
	/* Passwords that differ, a short one, a wrong code. */
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=%s&password2=x%s&code=%s", csrf.data,
	         new_password, new_password, code);
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie->data, NULL,
	                      NULL), 400);
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=short&password2=short&code=%s",
	         csrf.data, code);
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie->data, NULL,
	                      NULL), 400);
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=%s&password2=%s&code=%06u", csrf.data,
	         new_password, new_password, (unsigned)((code_n + 1) % 1000000));
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie->data, NULL,
	                      NULL), 400);
	/* Right. */
	buf_reset(&req);
	buf_reset(&h);
	buf_addf(&req, "csrf=%s&password=%s&password2=%s&code=%s", csrf.data,
	         new_password, new_password, code);
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie->data, &h,
	                      NULL), 303);
	assert_location(&h, "/beheer");
	buf_release(&h);
	buf_release(&body);
	buf_release(&csrf);
	buf_release(&req);
	buf_release(&secret_text);
	buf_release(&c);
	return totp;
}

static void
test_first_login_and_setup(void **state)
{
	struct fixture *f = *state;
	struct buf cookie = BUF_INIT, h = BUF_INIT, body = BUF_INIT, csrf = BUF_INIT;
	struct buf req = BUF_INIT;
	struct secret *totp;

	/* Not logged in: sent to the login page. */
	assert_int_equal(get(f, "/beheer", NULL, &h, NULL), 303);
	assert_location(&h, "/beheer/inloggen");

	totp = first_login(f, "een lange zin als wachtwoord", &cookie);
	assert_int_equal(get(f, "/beheer", cookie.data, NULL, &body), 200);
	assert_non_null(strstr(body.data, "Welkom, admin."));
	assert_non_null(strstr(body.data, "<li>signalen</li>"));
	assert_non_null(strstr(body.data, "<li>agressie</li>"));

	/* Log out: the cookie no longer opens anything. */
	assert_int_equal(test_input_value(&body, "csrf", &csrf), 0);
	buf_addf(&req, "csrf=%s", csrf.data);
	buf_reset(&h);
	assert_int_equal(post(f, "/beheer/uitloggen", "csrf=wrong", cookie.data, NULL,
	                      NULL), 403);
	assert_int_equal(post(f, "/beheer/uitloggen", req.data, cookie.data, &h,
	                      NULL), 303);
	assert_location(&h, "/beheer/inloggen");
	buf_reset(&h);
	assert_int_equal(get(f, "/beheer", cookie.data, &h, NULL), 303);
	assert_location(&h, "/beheer/inloggen");
	/* A POST with the dead session is refused outright. */
	assert_int_equal(post(f, "/beheer/uitloggen", req.data, cookie.data, NULL,
	                      NULL), 401);
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&h);
	buf_release(&body);
	buf_release(&csrf);
	buf_release(&req);
}

static void
test_login_with_code(void **state)
{
	struct fixture *f = *state;
	struct buf cookie = BUF_INIT, h = BUF_INIT, req = BUF_INIT, body = BUF_INIT;
	const char *pw = "een lange zin als wachtwoord";
	struct secret *totp;
	char code[8];

	totp = first_login(f, pw, &cookie);
	/* The one-time password is gone. */
	buf_addf(&req, "username=admin&password=%s", f->password);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, NULL, NULL), 401);
	/* No code, a wrong code. */
	buf_reset(&req);
	buf_addf(&req, "username=admin&password=%s", pw);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, NULL, &body), 401);
	assert_non_null(strstr(body.data, "Inloggen is niet gelukt."));
	/* The set-up used this step's code: the next step's code works once. */
	code_at(totp, 1, code);
	buf_reset(&req);
	buf_addf(&req, "username=admin&password=%s&code=%s", pw, code);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, &h, NULL), 303);
	assert_location(&h, "/beheer");
	/* Replayed: refused. */
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, NULL, NULL), 401);
	/* Wrong password with a fresh code: refused. */
	buf_reset(&req);
	buf_addf(&req, "username=admin&password=wrong%s&code=%s", pw, code);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, NULL, NULL), 401);
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&h);
	buf_release(&req);
	buf_release(&body);
}

static void
test_unknown_account_and_lockout(void **state)
{
	struct fixture *f = *state;
	struct buf known = BUF_INIT, unknown = BUF_INIT;
	int i;

	assert_int_equal(post(f, "/beheer/inloggen",
	                      "username=admin&password=wrongwrongwrong", NULL, NULL,
	                      &known), 401);
	assert_int_equal(post(f, "/beheer/inloggen",
	                      "username=nobody&password=wrongwrongwrong", NULL, NULL,
	                      &unknown), 401);
	/* The same answer, but for the name typed back into the form. */
	assert_non_null(strstr(unknown.data, "Inloggen is niet gelukt."));
	assert_int_equal(strlen(strstr(known.data, "<main")) - strlen("admin"),
	                 strlen(strstr(unknown.data, "<main")) - strlen("nobody"));
	/*
	 * Five failures per account per quarter from an address that
	 * failed (no wait between them here: login_delay = 0): the sixth
	 * is refused.
	 */
	for (i = 1; i < 5; i++)
		assert_int_equal(post(f, "/beheer/inloggen",
		                      "username=nobody&password=wrongwrongwrong", NULL,
		                      NULL, NULL), 401);
	buf_reset(&unknown);
	assert_int_equal(post(f, "/beheer/inloggen",
	                      "username=nobody&password=wrongwrongwrong", NULL, NULL,
	                      &unknown), 429);
	assert_non_null(strstr(unknown.data, "te vaak geprobeerd"));
	/*
	 * A name that is no account is recorded as "unknown account"; the
	 * typed text is nowhere in the log (it may be a password).
	 */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                            "WHERE actor = 'unknown account' AND "
	                            "action = 'login' AND result = 'failed'"), 5);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                            "WHERE actor LIKE '%nobody%' OR "
	                            "object LIKE '%nobody%'"), 0);
	buf_release(&known);
	buf_release(&unknown);
}

static void
test_password_change(void **state)
{
	struct fixture *f = *state;
	struct buf cookie = BUF_INIT, body = BUF_INIT, csrf = BUF_INIT;
	struct buf req = BUF_INIT;
	const char *pw = "een lange zin als wachtwoord";
	struct secret *totp;
	char code[8];

	totp = first_login(f, pw, &cookie);
	assert_int_equal(get(f, "/beheer/wachtwoord", cookie.data, NULL, &body), 200);
	assert_int_equal(test_input_value(&body, "csrf", &csrf), 0);
	buf_addf(&req, "csrf=%s&current=nope&password=nog een lange zin"
	         "&password2=nog een lange zin", csrf.data);
	assert_int_equal(post(f, "/beheer/wachtwoord", req.data, cookie.data, NULL,
	                      NULL), 400);
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&current=%s&password=nog een lange zin"
	         "&password2=nog een lange zin", csrf.data, pw);
	buf_reset(&body);
	assert_int_equal(post(f, "/beheer/wachtwoord", req.data, cookie.data, NULL,
	                      &body), 200);
	assert_non_null(strstr(body.data, "Uw wachtwoord is gewijzigd."));
	/* The new password, with a code, opens the same keyrings. */
	code_at(totp, 1, code);
	buf_reset(&req);
	buf_addf(&req, "username=admin&password=nog een lange zin&code=%s", code);
	assert_int_equal(post(f, "/beheer/inloggen", req.data, NULL, NULL, NULL), 303);
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&body);
	buf_release(&csrf);
	buf_release(&req);
}

static void
test_password_policy_configured(void **state)
{
	struct fixture *f = *state;
	struct buf conf = BUF_INIT, path = BUF_INIT, cookie = BUF_INIT, h = BUF_INIT;
	struct buf page = BUF_INIT, csrf = BUF_INIT, req = BUF_INIT;
	long status = 0;
	FILE *fp;

	/* Restart with [limits] password_min = 20. */
	assert_int_equal(test_server_stop(&f->srv), 0);
	buf_addf(&path, "%s/meldpunt.conf", f->dir);
	buf_adds(&conf, "[limits]\npassword_min = 20\n");
	fp = fopen(path.data, "w");
	fputs(conf.data, fp);
	fclose(fp);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);

	buf_addf(&req, "username=admin&password=%s", f->password);
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/inloggen",
	                 req.data, NULL, &status, &h, NULL), 0);
	assert_int_equal(status, 303);
	session_cookie(&h, &cookie);
	assert_int_equal(get(f, "/beheer/instellen", cookie.data, NULL, &page), 200);
	assert_int_equal(test_input_value(&page, "csrf", &csrf), 0);
	/* Sixteen characters: enough by default, not by this policy. */
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=zestien tekens!&password2=zestien "
	         "tekens!&code=000000", csrf.data);
	buf_reset(&page);
	assert_int_equal(post(f, "/beheer/instellen", req.data, cookie.data, NULL,
	                      &page), 400);
	assert_non_null(strstr(page.data, "ten minste 20 tekens"));
	buf_release(&conf);
	buf_release(&path);
	buf_release(&cookie);
	buf_release(&h);
	buf_release(&page);
	buf_release(&csrf);
	buf_release(&req);
}

/* A login from srv's source; the status, and Retry-After in *ra. */
static long
login_from(const struct test_server *srv, const char *body, long *ra,
           struct buf *page)
{
	struct buf h = BUF_INIT, v = BUF_INIT;
	long status = 0;

	*ra = -1;
	assert_int_equal(test_http_cookie(srv, "POST", "/beheer/inloggen", body,
	                                  NULL, &status, &h, page), 0);
	if (test_header(&h, "Retry-After", &v) == 0)
		*ra = strtol(v.data, NULL, 10);
	buf_release(&h);
	buf_release(&v);
	return status;
}

/*
 * Issue 16 point 3: failures from one address (127.0.0.2) make that
 * address wait longer after each but the first (3, 6 s: login_delay =
 * 3), and once the account's budget (login_attempts = 4) is spent it
 * waits for the window; all the while the right password and code from an address
 * that did not fail (127.0.0.1) get in. That address's own failure then
 * holds it back too.
 */
static void
test_lockout_per_address(void **state)
{
	struct fixture *f = *state;
	struct buf cookie = BUF_INIT, req = BUF_INIT, page = BUF_INIT;
	const char *pw = "een lange zin als wachtwoord";
	const char *wrong = "username=admin&password=wrongwrongwrong";
	struct test_server other;
	struct secret *totp;
	long ra;
	char code[8];

	totp = first_login(f, pw, &cookie);
	assert_int_equal(test_server_stop(&f->srv), 0);
	/*
	 * Delays of 3 and 6 s: a login's hash may take a second or two on
	 * a loaded machine, and Retry-After counts down meanwhile, so the
	 * bounds below leave 2 s for that and still tell 6 from 3.
	 */
	write_config(f, "[limits]\nlogin_attempts = 4\nlogin_delay = 3\n");
	assert_int_equal(test_server_start_config(&f->srv, f->dir, f->config),
	                 0);
	other = f->srv;
	other.source = "127.0.0.2";

	/* The first failure costs no wait; after the second, 3 s... */
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 401);
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 401);
	assert_int_equal(login_from(&other, wrong, &ra, &page), 429);
	assert_non_null(strstr(page.data, "te vaak geprobeerd"));
	assert_true(ra >= 1 && ra <= 3);
	sleep((unsigned)ra);
	/* ...the second: 6 s. */
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 401);
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 429);
	assert_true(ra >= 4 && ra <= 6);
	sleep((unsigned)ra);
	/* The third spends the account's budget: now it waits the window. */
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 401);
	assert_int_equal(login_from(&other, wrong, &ra, NULL), 429);
	assert_true(ra > 800);

	/* The right password and code from an address that did not fail. */
	code_at(totp, 1, code);
	buf_addf(&req, "username=admin&password=%s&code=%s", pw, code);
	assert_int_equal(login_from(&f->srv, req.data, &ra, NULL), 303);
	/* A failure there makes it an address that failed: held back too. */
	assert_int_equal(login_from(&f->srv, wrong, &ra, NULL), 401);
	assert_int_equal(login_from(&f->srv, wrong, &ra, &page), 429);
	assert_true(ra > 800);
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&req);
	buf_release(&page);
}

/* One wrong login of the flood, from a thread of its own. */
struct flood_login {
	const struct test_server *srv;
	int n;
	long status;
	int retry_after;	/* seconds, or -1 without the header */
};

static void *
flood_one(void *arg)
{
	struct flood_login *a = arg;
	struct buf body = BUF_INIT, h = BUF_INIT, ra = BUF_INIT, page = BUF_INIT;

	/* Names that are no account: the dummy hash costs as much. */
	buf_addf(&body, "username=flood%d&password=wrongwrongwrong", a->n);
	a->retry_after = -1;
	a->status = 0;		/* 0: no answer at all */
	if (test_http_cookie(a->srv, "POST", "/beheer/inloggen", body.data,
	                     NULL, &a->status, &h, &page) == 0 &&
	    test_header(&h, "Retry-After", &ra) == 0)
		a->retry_after = (int)strtol(ra.data, NULL, 10);
	buf_release(&body);
	buf_release(&h);
	buf_release(&ra);
	buf_release(&page);
	return NULL;
}

#define FLOOD 24
#define ARGON2ID_KIB (64 * 1024)

/*
 * Issue 16 point 1: many parallel wrong logins at once, with the real
 * Argon2id cost (64 MiB a hash; the server runs without
 * MELDPUNT_PWHASH=fast) and login_hashes = 2 with no wait: every attempt
 * is answered, 401 when it was hashed, 503 with Retry-After when no turn
 * was free; the server says at most 2 hashes ran at once, and its peak
 * memory stays below 2 hashes' worth plus what it holds without
 * hashing (before the change all 24 were hashed at once, about 1.5 GiB).
 */
static void
test_login_flood(void **state)
{
	struct fixture *f = *state;
	struct flood_login a[FLOOD];
	pthread_t t[FLOOD];
	struct buf path = BUF_INIT, log = BUF_INIT;
	long before, peak;
	int i, hashed = 0, busy = 0;
	FILE *fp;

	assert_int_equal(test_server_stop(&f->srv), 0);
	buf_addf(&path, "%s/meldpunt.conf", f->dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs("[limits]\nlogin_hashes = 2\nlogin_hash_wait = 0\n"
	      "login_attempts = 100\n", fp);
	fclose(fp);
	unsetenv("MELDPUNT_PWHASH");
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);
	/* One hash first, so the dummy key exists before the flood. */
	a[0].srv = &f->srv;
	a[0].n = 0;
	flood_one(&a[0]);
	assert_int_equal(a[0].status, 401);
	before = test_peak_rss_kib(f->srv.pid);
	assert_true(before > 0);

	for (i = 0; i < FLOOD; i++) {
		a[i].srv = &f->srv;
		a[i].n = i + 1;
		assert_int_equal(pthread_create(&t[i], NULL, flood_one, &a[i]), 0);
	}
	/* All joined before any check: a failed check must not leave a
	 * thread writing into a[] after this frame is gone. */
	for (i = 0; i < FLOOD; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < FLOOD; i++) {
		if (a[i].status != 401 && a[i].status != 503)
			print_error("flood login %d: status %ld\n", i + 1,
			            a[i].status);
		if (a[i].status == 401) {
			hashed++;
		} else {
			assert_int_equal(a[i].status, 503);
			assert_true(a[i].retry_after >= 1);
			busy++;
		}
	}
	peak = test_peak_rss_kib(f->srv.pid);
	print_message("flood of %d: %d hashed, %d answered 503; peak memory "
	              "%ld KiB before, %ld KiB after\n", FLOOD, hashed, busy,
	              before, peak);
	assert_true(hashed >= 2);
	assert_true(busy >= 1);
	assert_true(peak < before + 3 * ARGON2ID_KIB);

	/* The server's own count: never more than 2 hashes at once. */
	assert_int_equal(test_server_stop(&f->srv), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/server.log", f->dir);
	assert_int_equal(test_read_file(path.data, &log), 0);
	{
		const char *mark = "password hashes: at most ", *p, *q;

		/* The last server's line: the log holds every start's. */
		p = strstr(log.data, mark);
		assert_non_null(p);
		while ((q = strstr(p + 1, mark)) != NULL)
			p = q;
		i = (int)strtol(p + strlen(mark), NULL, 10);
		assert_true(i >= 1 && i <= 2);
	}
	buf_release(&log);
	buf_release(&path);
}

static void
test_session_table(void **state)
{
	struct sessions *t = sessions_new(60, 3600);
	char token[TOKEN_TEXT_LEN + 1], other[TOKEN_TEXT_LEN + 1];
	struct session *s = session_new(), *got;
	time_t now = 1000000;

	(void)state;
	s->sk = secret_new(32);
	assert_int_equal(sessions_add(t, s, now, token), 0);
	assert_int_equal(sessions_count(t), 1);
	got = sessions_get(t, token, now + 30);
	assert_ptr_equal(got, s);
	sessions_put(t, got);
	/* Idle: 30 s after the last use is fine, 60 s is not. */
	got = sessions_get(t, token, now + 89);
	assert_non_null(got);
	sessions_put(t, got);
	assert_null(sessions_get(t, token, now + 89 + 60));
	assert_int_equal(sessions_count(t), 0);

	/* Absolute: used every 50 s, still gone after an hour. */
	s = session_new();
	assert_int_equal(sessions_add(t, s, now, token), 0);
	for (time_t at = now + 50; at < now + 3600; at += 50) {
		got = sessions_get(t, token, at);
		assert_non_null(got);
		sessions_put(t, got);
	}
	assert_null(sessions_get(t, token, now + 3600));
	/* Unknown and malformed tokens. */
	token_new(other);
	assert_null(sessions_get(t, other, now));
	assert_null(sessions_get(t, "short", now));
	assert_null(sessions_get(t, NULL, now));

	/* Ended while in use: freed at the last put, no longer found. */
	s = session_new();
	assert_int_equal(sessions_add(t, s, now, token), 0);
	got = sessions_get(t, token, now + 1);
	sessions_end(t, got);
	assert_null(sessions_get(t, token, now + 2));
	sessions_put(t, got);
	assert_int_equal(sessions_count(t), 0);
	sessions_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_login_and_setup, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_login_with_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_account_and_lockout,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_policy_configured, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_login_flood, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_per_address, setup,
		                                teardown),
		cmocka_unit_test(test_session_table),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
