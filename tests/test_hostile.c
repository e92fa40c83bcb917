/*
 * test_hostile.c - hostile input against the real server on 127.0.0.1.
 *
 * SQL injection and script in every text field of every form (stored as
 * sent, shown escaped on the status page and the staff case page, the
 * database intact), oversize headers, too many fields, a slow sender,
 * invalid UTF-8 and NUL bytes, forged and replayed CSRF tokens, one
 * user's session used with another's token, and a receipt that opens
 * only its own report. Each must end in a clear refusal or a clean
 * result: the server keeps answering and nothing is half written (the
 * counts of test_db_counts do not move on a refusal). Path traversal on
 * /assets/ is tested in test_static.c.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <sqlite3.h>

#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define NEWPW "een heel lang wachtwoord"
#define TIMEOUT_S 2		/* [limits] connection_timeout */

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct buf coord_cookie, coord_csrf;
	struct buf vpt_cookie, vpt_csrf, integ_cookie, integ_csrf;
	struct secret *coord_totp, *vpt_totp, *integ_totp;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf out = BUF_INIT, err = BUF_INIT, path = BUF_INIT;
	struct test_init ti;
	struct installation *inst;
	FILE *fp;

	f->dir = test_tmpdir("hostile");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "integ1", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, f->recovery, KEYRING_INCIDENTS, "vpt1");
	test_grant(f->dir, f->recovery, "integriteit", "integ1");

	/* Small limits, to reach them quickly; one client sends everything. */
	buf_addf(&path, "%s/hostile.ini", f->dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fprintf(fp, "[limits]\nconnection_timeout = %d\n"
	        "connection_memory = 16K\nfields_max = 100\n"
	        "submissions = 1000\nreceipt_attempts = 1000\n", TIMEOUT_S);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);

	buf_init(&f->coord_cookie);
	buf_init(&f->coord_csrf);
	buf_init(&f->vpt_cookie);
	buf_init(&f->vpt_csrf);
	buf_init(&f->integ_cookie);
	buf_init(&f->integ_csrf);
	f->coord_totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW,
	                                 &f->coord_cookie, &f->coord_csrf);
	assert_non_null(f->coord_totp);
	f->vpt_totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW,
	                               &f->vpt_cookie, &f->vpt_csrf);
	assert_non_null(f->vpt_totp);
	f->integ_totp = test_staff_setup(&f->srv, "integ1", INTEG_OTP, NEWPW,
	                                 &f->integ_cookie, &f->integ_csrf);
	assert_non_null(f->integ_totp);
	buf_release(&out);
	buf_release(&err);
	buf_release(&path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	secret_free(f->coord_totp);
	secret_free(f->vpt_totp);
	secret_free(f->integ_totp);
	buf_release(&f->integ_cookie);
	buf_release(&f->integ_csrf);
	buf_release(&f->coord_cookie);
	buf_release(&f->coord_csrf);
	buf_release(&f->vpt_cookie);
	buf_release(&f->vpt_csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The id of the newest report, through a read-only connection. */
static long long
last_report(const char *dir)
{
	struct buf path = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;
	long long id = 0;

	buf_addf(&path, "%s/meldpunt.db", dir);
	assert_int_equal(sqlite3_open_v2(path.data, &db, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT max(id) FROM reports",
	                                    -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	buf_release(&path);
	return id;
}

/* The database passes its own check and the audit chain verifies. */
static void
assert_intact(const char *dir)
{
	const char *verify[] = { "--data", NULL, "audit-verify", NULL };
	struct buf path = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;

	buf_addf(&path, "%s/meldpunt.db", dir);
	assert_int_equal(sqlite3_open_v2(path.data, &db, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st,
	                                    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	verify[1] = dir;
	if (test_run(&out, &err, verify) != 0)
		fail_msg("audit-verify: %s%s", out.data, err.data);
	buf_release(&path);
	buf_release(&out);
	buf_release(&err);
}

/* The server still answers /health. */
static void
assert_alive(const struct fixture *f)
{
	struct buf body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "GET", "/health", NULL, &status,
	                           NULL, &body), 0);
	assert_int_equal(status, 200);
	buf_release(&body);
}

/* text as html_text writes it. */
static void
escaped(struct buf *out, const char *text)
{
	for (; *text; text++) {
		switch (*text) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default: buf_add(out, text, 1);
		}
	}
}

static void
receipt_of(const struct buf *page, char out[32])
{
	const char *p = strstr(page->data, "id=\"receipt\">");

	assert_non_null(p);
	p += strlen("id=\"receipt\">");
	assert_int_equal(strcspn(p, "<"), 19);
	memcpy(out, p, 19);
	out[19] = '\0';
}

static void
status_page(const struct fixture *f, const char *receipt, long *status,
            struct buf *page)
{
	struct buf req = BUF_INIT;

	buf_reset(page);
	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&f->srv, "POST", "/status", req.data, status,
	                           NULL, page), 0);
	buf_release(&req);
}

static void
case_page(const struct fixture *f, const struct buf *cookie, long long id,
          struct buf *page)
{
	struct buf path = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&path, "/beheer/melding?id={#%lld}", id);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path.data, NULL,
	                                  cookie->data, &status, NULL, page), 0);
	assert_int_equal(status, 200);
	buf_release(&path);
}

/* Values with a %s for the field's name, so each field is found back. */
static const char *const sql_payloads[] = {
	"%s'); DROP TABLE reports;--",
	"%s\" OR \"1\"=\"1",
	"%s' UNION SELECT key FROM keyrings--",
};
static const char *const html_payloads[] = {
	"<script>alert('%s')</script>",
	"\"><img src=x onerror=alert('%s')>",
	"</textarea><svg onload=alert('%s')>&amp;",
};

/* Each form: its path, its choices fixed, its text fields. */
struct hostile_form {
	const char *type, *path;
	const char *fixed[12][2];	/* ended by a NULL name */
	const char *text[8];		/* ended by NULL */
};

enum { F_SIGNAL, F_INCIDENT, F_INTEGRITY, F_COUNT };

static const struct hostile_form forms[F_COUNT] = {
	[F_SIGNAL] = { "signal", "/melden/signaal",
		{ { "phenomenon", "drugs" }, { "identity", "named" } },
		{ "location", "involved", "observation", "since", "knowledge",
		  "reporter_name" } },
	[F_INCIDENT] = { "incident", "/melden/agressie",
		{ { "date", "2026-01-02" }, { "time", "10:15" },
		  { "place", "counter" }, { "kind", "threat" },
		  { "victim_role", "employee" }, { "reported_by", "victim" },
		  { "perpetrator_known", "yes" }, { "police", "none" },
		  { "aftercare", "no" } },
		{ "department", "perpetrator", "description", "injury",
		  "reporter_name" } },
	/* The third type (issue 20): every text question, the name too. */
	[F_INTEGRITY] = { "integrity", "/melden/integriteit",
		{ { "kind", "fraud" }, { "knowledge", "documents" },
		  { "reported_before", "yes" }, { "filed_by", "self" },
		  { "identity", "named" } },
		{ "what", "involved", "when", "where", "knowledge_details",
		  "reported_where", "reporter_name" } },
};

/* payload with its "%s" replaced by name (no printf: not a literal). */
static void
fill(char *out, size_t size, const char *payload, const char *name)
{
	const char *at = strstr(payload, "%s");
	struct buf b = BUF_INIT;

	assert_non_null(at);
	buf_add(&b, payload, (size_t)(at - payload));
	buf_adds(&b, name);
	buf_adds(&b, at + 2);
	assert_true(b.len < size);
	memcpy(out, b.data, b.len + 1);
	buf_release(&b);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Submit a form with payload (a format taking the field name) in every
 * text field, then find each value back, escaped and whole, on the
 * reporter's status page and the staff case page; raw_marker must occur
 * on neither.
 */
static void
submit_everywhere(struct fixture *f, int form, const char *payload,
                  const char *raw_marker)
{
	const struct hostile_form *hf = &forms[form];
	const char *const *names = hf->text;
	size_t nnames = 0;
	struct test_part parts[24];
	char values[8][160], receipt[32];
	struct buf page = BUF_INIT, want = BUF_INIT;
	char *before = test_db_counts(f->dir), *after;
	const struct buf *cookie = form == F_SIGNAL ? &f->coord_cookie :
	                           form == F_INCIDENT ? &f->vpt_cookie
	                                              : &f->integ_cookie;
	long long id;
	long status = 0;
	size_t n = 0, i;

	memset(parts, 0, sizeof(parts));
	for (i = 0; i < NELEM(hf->fixed) && hf->fixed[i][0]; i++)
		parts[n++] = (struct test_part){ hf->fixed[i][0], hf->fixed[i][1], 0,
		                                 NULL, NULL };
	for (i = 0; i < NELEM(hf->text) && names[i]; i++) {
		fill(values[i], sizeof(values[i]), payload, names[i]);
		parts[n++] = (struct test_part){ names[i], values[i], 0, NULL, NULL };
		nnames++;
	}
	assert_int_equal(test_http_multipart(&f->srv, hf->path, parts, n, NULL,
	                 &status, &page), 0);
	if (status != 200)
		fail_msg("%s with %s: status %ld", hf->type, payload, status);
	receipt_of(&page, receipt);
	assert_null(strstr(page.data, raw_marker));
	after = test_db_counts(f->dir);
	assert_string_not_equal(before, after);	/* one report more */
	id = last_report(f->dir);

	status_page(f, receipt, &status, &page);
	assert_int_equal(status, 200);
	assert_null(strstr(page.data, raw_marker));
	for (i = 0; i < nnames; i++) {
		buf_reset(&want);
		escaped(&want, values[i]);
		if (!strstr(page.data, want.data))
			fail_msg("status page: %s not shown escaped as %s", names[i],
			         want.data);
	}
	case_page(f, cookie, id, &page);
	assert_null(strstr(page.data, raw_marker));
	for (i = 0; i < nnames; i++) {
		buf_reset(&want);
		escaped(&want, values[i]);
		if (!strstr(page.data, want.data))
			fail_msg("case page: %s not shown escaped as %s", names[i],
			         want.data);
	}
	free(before);
	free(after);
	buf_release(&page);
	buf_release(&want);
}

static void
test_sql_injection(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < NELEM(sql_payloads); i++) {
		submit_everywhere(f, F_SIGNAL, sql_payloads[i], "\x01");
		submit_everywhere(f, F_INCIDENT, sql_payloads[i], "\x01");
		submit_everywhere(f, F_INTEGRITY, sql_payloads[i], "\x01");
	}
	/* In a choice field it is just not one of the options. */
	{
		const struct test_part parts[] = {
			{ "phenomenon", "drugs' OR '1'='1", 0, NULL, NULL },
			{ "location", "Kerkstraat 1", 0, NULL, NULL },
			{ "observation", "Iets gezien.", 0, NULL, NULL },
			{ "identity", "anonymous", 0, NULL, NULL },
		};
		char *before = test_db_counts(f->dir), *after;
		long status = 0;

		assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
		                 parts, NELEM(parts), NULL, &status, NULL), 0);
		assert_int_equal(status, 400);
		after = test_db_counts(f->dir);
		assert_string_equal(before, after);
		free(before);
		free(after);
	}
	assert_intact(f->dir);
}

static void
test_script_escaped(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < NELEM(html_payloads); i++) {
		submit_everywhere(f, F_SIGNAL, html_payloads[i], "alert('");
		submit_everywhere(f, F_INCIDENT, html_payloads[i], "alert('");
		submit_everywhere(f, F_INTEGRITY, html_payloads[i], "alert('");
	}
	assert_intact(f->dir);
}

/* Headers over connection_memory: 431 or a closed connection. */
static void
test_oversize_headers(void **state)
{
	struct fixture *f = *state;
	struct buf req = BUF_INIT, resp = BUF_INIT;
	size_t i;

	buf_adds(&req, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
	for (i = 0; i < 64 * 1024; i++)
		buf_add(&req, "a", 1);
	buf_adds(&req, "\r\n");
	for (i = 0; i < 2000; i++)
		buf_addf(&req, "X-Many-%zu: b\r\n", i);
	buf_adds(&req, "\r\n");
	assert_int_equal(test_raw(&f->srv, req.data, req.len, &resp, 5000), 0);
	if (resp.len && strncmp(resp.data, "HTTP/1.1 431", 12) != 0 &&
	    strncmp(resp.data, "HTTP/1.1 413", 12) != 0 &&
	    strncmp(resp.data, "HTTP/1.1 400", 12) != 0)
		fail_msg("oversize headers: %.40s", resp.data);
	assert_null(strstr(resp.data, "\"status\""));
	assert_alive(f);
	buf_release(&req);
	buf_release(&resp);
}

/* More fields than fields_max: the whole post is refused, nothing kept. */
static void
test_too_many_fields(void **state)
{
	struct fixture *f = *state;
	struct test_part parts[150];
	char names[150][16];
	char *before = test_db_counts(f->dir), *after;
	struct buf body = BUF_INIT;
	long status = 0;
	size_t i;

	parts[0] = (struct test_part){ "phenomenon", "drugs", 0, NULL, NULL };
	parts[1] = (struct test_part){ "location", "Kerkstraat 1", 0, NULL, NULL };
	parts[2] = (struct test_part){ "observation", "Iets.", 0, NULL, NULL };
	parts[3] = (struct test_part){ "identity", "anonymous", 0, NULL, NULL };
	for (i = 4; i < NELEM(parts); i++) {
		snprintf(names[i], sizeof(names[i]), "extra%zu", i);
		parts[i] = (struct test_part){ names[i], "x", 0, NULL, NULL };
	}
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts,
	                 NELEM(parts), NULL, &status, &body), 0);
	if (status != 400 && status != 413)
		fail_msg("150 fields: status %ld", status);
	assert_null(strstr(body.data, "id=\"receipt\""));
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	/* The same many fields url-encoded. */
	buf_reset(&body);
	buf_adds(&body, "receipt=0000-0000-0000-0000");
	for (i = 0; i < 500; i++)
		buf_addf(&body, "&f%zu=x", i);
	assert_int_equal(test_http(&f->srv, "POST", "/status", body.data, &status,
	                           NULL, NULL), 0);
	if (status != 400 && status != 413)
		fail_msg("500 url-encoded fields: status %ld", status);
	free(before);
	free(after);
	buf_release(&body);
	assert_alive(f);
}

/*
 * Half a request, then silence: the server closes the connection after
 * connection_timeout, and the half submission leaves no trace.
 */
static void
test_slow_sender(void **state)
{
	static const char half[] =
		"POST /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Content-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 1000\r\n\r\nphenomenon=drugs&location=Ke";
	struct fixture *f = *state;
	char *before = test_db_counts(f->dir), *after;
	struct sockaddr_in sin;
	struct pollfd pfd;
	time_t start, end;
	int fd, closed = 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(f->srv.port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(send(fd, half, sizeof(half) - 1, MSG_NOSIGNAL),
	                 (ssize_t)(sizeof(half) - 1));
	start = time(NULL);
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* Bounded: the timeout plus a generous margin. */
	while (time(NULL) - start < TIMEOUT_S + 8) {
		char chunk[512];
		ssize_t r;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0) {
			closed = 1;
			break;
		}
	}
	end = time(NULL);
	close(fd);
	assert_true(closed);
	assert_true(end - start >= TIMEOUT_S - 1);
	assert_true(end - start <= TIMEOUT_S + 5);
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_alive(f);
}

/* Invalid UTF-8 and NUL in the incident form and in a reporter's reply. */
static void
test_bad_bytes(void **state)
{
	static const struct { const char *v; size_t len; } bad[] = {
		{ "abc\xff\xfe", 5 }, { "nul\0byte", 8 }, { "\xc0\xaf", 2 },
		{ "\xed\xa0\x80 surrogate", 12 }, { "bell\x07", 5 },
	};
	struct fixture *f = *state;
	char receipt[32];
	size_t i;

	{
		const struct test_part ok[] = {
			{ "phenomenon", "fraud", 0, NULL, NULL },
			{ "location", "Kerkstraat 2", 0, NULL, NULL },
			{ "observation", "Valse facturen.", 0, NULL, NULL },
			{ "identity", "anonymous", 0, NULL, NULL },
		};
		struct buf page = BUF_INIT;
		long status = 0;

		assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
		                 ok, NELEM(ok), NULL, &status, &page), 0);
		assert_int_equal(status, 200);
		receipt_of(&page, receipt);
		buf_release(&page);
	}
	for (i = 0; i < NELEM(bad); i++) {
		const struct test_part incident[] = {
			{ "date", "2026-01-02", 0, NULL, NULL },
			{ "time", "10:15", 0, NULL, NULL },
			{ "place", "counter", 0, NULL, NULL },
			{ "kind", "threat", 0, NULL, NULL },
			{ "victim_role", "employee", 0, NULL, NULL },
			{ "reported_by", "victim", 0, NULL, NULL },
			{ "perpetrator_known", "no", 0, NULL, NULL },
			{ "description", bad[i].v, bad[i].len, NULL, NULL },
			{ "police", "none", 0, NULL, NULL },
			{ "aftercare", "no", 0, NULL, NULL },
			{ "reporter_name", "Ilse Bakker", 0, NULL, NULL },
		};
		const struct test_part reply[] = {
			{ "receipt", receipt, 0, NULL, NULL },
			{ "message", bad[i].v, bad[i].len, NULL, NULL },
		};
		char *before = test_db_counts(f->dir), *after;
		long status = 0;

		struct buf page = BUF_INIT;

		assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie",
		                 incident, NELEM(incident), NULL, &status, &page), 0);
		assert_int_equal(status, 400);
		assert_non_null(strstr(page.data, "id=\"f-description-error\""));
		after = test_db_counts(f->dir);
		assert_string_equal(before, after);
		free(after);
		/*
		 * The reply is refused; the receipt was good, so opening the
		 * report is audited (one audit row), but no message is kept.
		 */
		buf_reset(&page);
		assert_int_equal(test_http_multipart(&f->srv, "/status/antwoord",
		                 reply, NELEM(reply), NULL, &status, &page), 0);
		assert_int_equal(status, 400);
		buf_release(&page);
		after = test_db_counts(f->dir);
		*strstr(before, " audit_log=") = '\0';
		*strstr(after, " audit_log=") = '\0';
		assert_string_equal(before, after);
		free(before);
		free(after);
	}
	/* A receipt with a NUL in it is no receipt. */
	{
		const struct test_part look[] = {
			{ "receipt", "0000\0-0000-0000-0000", 20, NULL, NULL },
		};
		long status = 0;

		assert_int_equal(test_http_multipart(&f->srv, "/status", look, 1,
		                 NULL, &status, NULL), 0);
		assert_true(status == 400 || status == 404);
	}
	assert_alive(f);
}

/* A staff message to the reporter of report id, with csrf and cookie. */
static long
staff_message(struct fixture *f, const char *cookie, const char *csrf,
              long long id, const char *text)
{
	struct buf body = BUF_INIT;
	long status = 0;

	if (csrf)
		buf_addf(&body, "csrf=%s&", csrf);
	buf_addf(&body, "id={#%lld}&message=%s", id, text);
	assert_int_equal(test_http_cookie(&f->srv, "POST",
	                 "/beheer/melding/bericht", body.data, cookie, &status,
	                 NULL, NULL), 0);
	buf_release(&body);
	return status;
}

static void
test_csrf_and_sessions(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	char *before, *after;
	long long sig_id, inc_id;
	char receipt[32];
	long status = 0;

	{
		const struct test_part parts[] = {
			{ "phenomenon", "drugs", 0, NULL, NULL },
			{ "location", "Molenweg 4", 0, NULL, NULL },
			{ "observation", "Veel verkeer 's nachts.", 0, NULL, NULL },
			{ "identity", "anonymous", 0, NULL, NULL },
		};

		assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
		                 parts, NELEM(parts), NULL, &status, &page), 0);
		assert_int_equal(status, 200);
		receipt_of(&page, receipt);
		sig_id = last_report(f->dir);
	}
	{
		const struct test_part parts[] = {
			{ "date", "2026-01-02", 0, NULL, NULL },
			{ "time", "10:15", 0, NULL, NULL },
			{ "place", "counter", 0, NULL, NULL },
			{ "kind", "threat", 0, NULL, NULL },
			{ "victim_role", "employee", 0, NULL, NULL },
			{ "reported_by", "victim", 0, NULL, NULL },
			{ "perpetrator_known", "no", 0, NULL, NULL },
			{ "description", "Dreigement aan de balie.", 0, NULL, NULL },
			{ "police", "none", 0, NULL, NULL },
			{ "aftercare", "no", 0, NULL, NULL },
			{ "reporter_name", "Ilse Bakker", 0, NULL, NULL },
		};

		assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie",
		                 parts, NELEM(parts), NULL, &status, NULL), 0);
		assert_int_equal(status, 200);
		inc_id = last_report(f->dir);
	}

	before = test_db_counts(f->dir);
	/* Forged: a well-formed token nobody was given; none; garbage. */
	assert_int_equal(staff_message(f, f->coord_cookie.data,
	                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", sig_id,
	                 "vervalst"), 403);
	assert_int_equal(staff_message(f, f->coord_cookie.data, NULL, sig_id,
	                 "zonder"), 403);
	assert_int_equal(staff_message(f, f->coord_cookie.data,
	                 "%27%20OR%201%3D1--", sig_id, "rommel"), 403);
	/* Another user's token with this user's session. */
	assert_int_equal(staff_message(f, f->coord_cookie.data, f->vpt_csrf.data,
	                 sig_id, "andermans"), 403);
	/* Another user's session: vpt1 holds no key to signals. */
	status = staff_message(f, f->vpt_cookie.data, f->vpt_csrf.data, sig_id,
	                       "verkeerde sleutelbos");
	assert_true(status == 403 || status == 404);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, f->vpt_cookie.data, &status, NULL, &page), 0);
	assert_true(status == 403 || status == 404);
	assert_null(strstr(page.data, "Molenweg"));
	/* No session at all, or a forged cookie. */
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/melding/bericht",
	                 "id={#1}&message=x", "mp_session="
	                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &status,
	                 NULL, NULL), 0);
	assert_true(status == 303 || status == 401 || status == 403);
	after = test_db_counts(f->dir);
	/*
	 * Nothing stored; the two refusals to vpt1 (a message to a signal,
	 * opening it) are audited by core as refused, and nothing else is.
	 */
	{
		char *b = strstr(before, " audit_log="), *a = strstr(after,
		                                                     " audit_log=");

		assert_non_null(b);
		assert_non_null(a);
		assert_int_equal(strtol(a + 11, NULL, 10),
		                 strtol(b + 11, NULL, 10) + 2);
		*b = *a = '\0';
		assert_string_equal(before, after);
		b[0] = a[0] = ' ';
	}
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'vpt1' AND result = 'refused' AND"
	                 " action IN ('message-create', 'report-read')"), 2);
	free(after);

	/* The right pair works (the refusals above were not about the form). */
	assert_int_equal(staff_message(f, f->vpt_cookie.data, f->vpt_csrf.data,
	                 inc_id, "Wij nemen contact op."), 303);
	after = test_db_counts(f->dir);
	assert_string_not_equal(before, after);
	free(before);
	before = after;

	/* Replayed after logout: the session and its token are dead. */
	assert_int_equal(test_staff_login(&f->srv, "coord", NEWPW, f->coord_totp,
	                                  1, &cookie, &csrf), 0);
	{
		struct buf body = BUF_INIT;

		buf_addf(&body, "csrf=%s", csrf.data);
		assert_int_equal(test_http_cookie(&f->srv, "POST",
		                 "/beheer/uitloggen", body.data, cookie.data,
		                 &status, NULL, NULL), 0);
		assert_int_equal(status, 303);
		buf_release(&body);
	}
	free(before);	/* log-in and log-out are audited */
	before = test_db_counts(f->dir);
	status = staff_message(f, cookie.data, csrf.data, sig_id, "na uitloggen");
	if (status != 303 && status != 401 && status != 403)
		fail_msg("replay after logout: status %ld", status);
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* A receipt opens its own report only; a changed one opens none. */
	status_page(f, receipt, &status, &page);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "Molenweg 4"));
	assert_null(strstr(page.data, "Dreigement"));
	receipt[0] = receipt[0] == '0' ? '1' : '0';
	status_page(f, receipt, &status, &page);
	assert_true(status == 400 || status == 404);
	assert_null(strstr(page.data, "Molenweg"));
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
	assert_intact(f->dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_injection),
		cmocka_unit_test(test_script_escaped),
		cmocka_unit_test(test_oversize_headers),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_slow_sender),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_csrf_and_sessions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
