/*
 * test_inbox.c - the handler's inbox over HTTP on 127.0.0.1 (issue 18
 * point 2): the search finds a word of the content only in the reports
 * the session's keyring opens, never in an identity answer, and leaves
 * one audit row with the number opened, never the text (nor a log line
 * with it); each filter (assigned to me, unassigned, new message from the
 * reporter, state) with its count, each sort; the new-message flag set by
 * a reporter's answer and cleared only for the handler who opens the
 * case; the summary column and an incident's kind; every parameter
 * checked before anything runs. And (point 5) the inbox's "due this
 * week" line, and the e-mail address on the account and admin pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define COORD2_OTP "eenmalig-wachtwoord-coord2"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define NEWPW "een heel lang wachtwoord"

struct fixture {
	char *dir;
	char recovery[80];
	char admin_otp[32];
	struct test_server srv;
	struct buf cookie, csrf;	/* the coordinator's session */
	struct secret *totp;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;
	struct installation *inst;

	f->dir = test_tmpdir("inbox");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	snprintf(f->admin_otp, sizeof(f->admin_otp), "%s", ti.password);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "coord2", "", ROLE_COORDINATOR,
	                 COORD2_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord2");
	test_grant(f->dir, f->recovery, KEYRING_INCIDENTS, "vpt1");
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	f->totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW,
	                           &f->cookie, &f->csrf);
	assert_non_null(f->totp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	secret_free(f->totp);
	buf_release(&f->cookie);
	buf_release(&f->csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* File a signal; named when name is not NULL. Its receipt into out. */
static void
signal_with(struct fixture *f, const char *location, const char *observation,
            const char *name, char out[32])
{
	const struct test_part parts[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", location, 0, NULL, NULL },
		{ "observation", observation, 0, NULL, NULL },
		{ "identity", name ? "named" : "anonymous", 0, NULL, NULL },
		{ "reporter_name", name ? name : "", 0, NULL, NULL },
	};
	struct buf body = BUF_INIT;
	const char *p;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts,
	                 name ? 5 : 4, NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	p = strstr(body.data, "id=\"receipt\">");
	assert_non_null(p);
	memcpy(out, p + strlen("id=\"receipt\">"), 19);
	out[19] = '\0';
	buf_release(&body);
}

static void
incident_with(struct fixture *f, const char *description)
{
	const struct test_part parts[] = {
		{ "date", "2026-03-02", 0, NULL, NULL },
		{ "place", "public_space", 0, NULL, NULL },
		{ "kind", "verbal", 0, NULL, NULL },
		{ "kind", "threat", 0, NULL, NULL },
		{ "victim_role", "alderman", 0, NULL, NULL },
		{ "reported_by", "on_behalf", 0, NULL, NULL },
		{ "perpetrator_known", "no", 0, NULL, NULL },
		{ "description", description, 0, NULL, NULL },
		{ "police", "none", 0, NULL, NULL },
		{ "aftercare", "no", 0, NULL, NULL },
		{ "reporter_name", "Ahmed Yilmaz", 0, NULL, NULL },
	};
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", parts,
	                 sizeof(parts) / sizeof(parts[0]), NULL, &status,
	                 NULL), 0);
	assert_int_equal(status, 200);
}

static long
get_as(struct fixture *f, const struct buf *cookie, const char *path,
       struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 cookie->data, &status, NULL, page), 0);
	return status;
}

static long
post_as(struct fixture *f, const char *path, const char *body)
{
	struct buf b = BUF_INIT;
	long status = 0;

	buf_addf(&b, "csrf=%s&%s", f->csrf.data, body);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, b.data,
	                 f->cookie.data, &status, NULL, NULL), 0);
	buf_release(&b);
	return status;
}

/* Where the link to report id is in page; -1 when it is not listed. */
static long
row_of(struct fixture *f, const struct buf *page, int id)
{
	char link[64];
	const char *p;

	/* Linked by its case number (testutil.h test_cases). */
	snprintf(link, sizeof(link), "href=\"/beheer/melding?id={#%d}\"", id);
	p = strstr(page->data, test_cases(f->dir, link));
	return p ? (long)(p - page->data) : -1;
}

static int64_t
audit_rows(struct fixture *f)
{
	return test_count(f->dir, "SELECT count(*) FROM audit_log");
}

static void
test_search_only_what_opens(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, vcookie = BUF_INIT, log = BUF_INIT;
	struct secret *vtotp;
	char r[32];

	/* 1 and 2 hold the word; 3 only in its reporter's name; 4 not. */
	signal_with(f, "Zeepfabriek Noord, loods 3", "Busjes in de nacht.",
	            NULL, r);
	signal_with(f, "Havenweg 1", "Sterke geur bij de ZEEPFABRIEK achter de "
	            "loods, ramen afgeplakt en veel verkeer in de nacht, elke "
	            "week weer", "Karin Visser", r);
	signal_with(f, "Kerkstraat 5", "Niets bijzonders.", "Jan Zeepfabriek", r);
	signal_with(f, "Molenpad 8", "Geen woord ervan.", NULL, r);
	/* 5: an incident with the word, which the coordinator cannot open. */
	incident_with(f, "Uitgescholden bij de zeepfabriek.");

	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&q=zeepfabriek", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	assert_true(row_of(f, &page, 2) >= 0);
	assert_int_equal(row_of(f, &page, 3), -1);
	assert_int_equal(row_of(f, &page, 4), -1);
	assert_int_equal(row_of(f, &page, 5), -1);
	assert_non_null(strstr(page.data, "2 meldingen, waarvan 0 over de "
	                       "termijn."));
	/* The search stays in its field, escaped. */
	assert_non_null(strstr(page.data, "value=\"zeepfabriek\""));
	/* The summary: the location first, the first 12 words at most. */
	assert_non_null(strstr(page.data, "Zeepfabriek Noord, loods 3"));
	assert_non_null(strstr(page.data, "Havenweg 1"));
	/* Another keyring's reports are not there to search. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=incident"
	                 "&q=zeepfabriek", &page), 403);

	/* One row per search: the number opened, never the text. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'inbox-search' AND actor = 'coord'"
	                 " AND object = 'signal: 4 opened'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE object LIKE '%zeepfabriek%'"
	                 " OR action LIKE '%zeepfabriek%'"), 0);

	/* The VPT coordinator finds the incident, with its kinds. */
	vtotp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &vcookie,
	                         NULL);
	assert_non_null(vtotp);
	assert_int_equal(get_as(f, &vcookie, "/beheer/meldingen?type=incident"
	                 "&q=Zeepfabriek", &page), 200);
	assert_true(row_of(f, &page, 5) >= 0);
	assert_non_null(strstr(page.data, "Uitgescholden bij de zeepfabriek."));
	assert_non_null(strstr(page.data, "Schelden of verbale agressie, "
	                       "Bedreiging"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'inbox-search' AND actor = 'vpt1'"
	                 " AND object = 'incident: 1 opened'"), 1);
	/* An incident's name is an identity answer: not searched. */
	assert_int_equal(get_as(f, &vcookie, "/beheer/meldingen?type=incident"
	                 "&q=Yilmaz", &page), 200);
	assert_int_equal(row_of(f, &page, 5), -1);

	/* Nor is the text in the server's log. */
	assert_int_equal(test_read_file(f->srv.log_path, &log), 0);
	assert_false(test_contains(&log, "eepfabriek", 10));
	assert_false(test_contains(&log, "EEPFABRIEK", 10));
	assert_false(test_contains(&log, "Yilmaz", 6));
	secret_free(vtotp);
	buf_release(&log);
	buf_release(&page);
	buf_release(&vcookie);
}

static void
test_filters_and_sorts(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	char r1[32], r2[32], r3[32];

	/*
	 * Each has an acknowledgement deadline, due the same day; a message
	 * meets 3's, so 3 has no open deadline left.
	 */
	signal_with(f, "Havenweg 1", "Een.", "Karin Visser", r1);
	signal_with(f, "Havenweg 2", "Twee.", "Piet Bakker", r2);
	signal_with(f, "Havenweg 3", "Drie.", NULL, r3);
	assert_int_equal(post_as(f, "/beheer/melding/bericht",
	                 "id={#3}&message=Dank voor uw signaal."), 303);
	assert_int_equal(post_as(f, "/beheer/melding/toewijzen",
	                 "id={#1}&assignee=coord"), 303);
	assert_int_equal(post_as(f, "/beheer/melding/toewijzen",
	                 "id={#2}&assignee=coord2"), 303);
	assert_int_equal(post_as(f, "/beheer/melding/overgang", "id={#2}"
	                 "&transition=start_intake&expect_state=received"), 303);

	/* Counts per filter, whichever is chosen. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal",
	                 &page), 200);
	assert_non_null(strstr(page.data, "Aan iedereen of niemand (3)"));
	assert_non_null(strstr(page.data, "Aan mij (1)"));
	assert_non_null(strstr(page.data, "Aan niemand (1)"));
	assert_non_null(strstr(page.data, "Nieuw bericht van de melder (0)"));
	assert_non_null(strstr(page.data, "Alleen over de termijn (0)"));

	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&who=mine", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	assert_int_equal(row_of(f, &page, 2), -1);
	assert_int_equal(row_of(f, &page, 3), -1);
	assert_non_null(strstr(page.data, "Aan mij (1)"));

	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&who=unassigned", &page), 200);
	assert_int_equal(row_of(f, &page, 1), -1);
	assert_int_equal(row_of(f, &page, 2), -1);
	assert_true(row_of(f, &page, 3) >= 0);

	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&state=received", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	assert_int_equal(row_of(f, &page, 2), -1);
	assert_true(row_of(f, &page, 3) >= 0);

	/* Received: newest first (one day: the later row first). */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&sort=received", &page), 200);
	assert_true(row_of(f, &page, 3) < row_of(f, &page, 2));
	assert_true(row_of(f, &page, 2) < row_of(f, &page, 1));
	/* Deadline: the open ones first (same day: the later row first). */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&sort=deadline", &page), 200);
	assert_true(row_of(f, &page, 2) < row_of(f, &page, 1));
	assert_true(row_of(f, &page, 1) < row_of(f, &page, 3));
	/* State: in the workflow's order, received before the intake. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&sort=state", &page), 200);
	assert_true(row_of(f, &page, 1) < row_of(f, &page, 3));
	assert_true(row_of(f, &page, 3) < row_of(f, &page, 2));
	buf_release(&page);
}

/* The reporter of receipt answers with text. */
static void
reporter_answers(struct fixture *f, const char *receipt, const char *text)
{
	const struct test_part parts[] = {
		{ "receipt", receipt, 0, NULL, NULL },
		{ "message", text, 0, NULL, NULL },
	};
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/status/antwoord", parts,
	                 2, NULL, &status, NULL), 0);
	assert_int_equal(status, 200);
}

static void
test_unread_per_handler(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, c2 = BUF_INIT;
	struct secret *t2;
	char r1[32], r2[32];

	signal_with(f, "Havenweg 1", "Een.", "Karin Visser", r1);
	signal_with(f, "Havenweg 2", "Twee.", NULL, r2);
	t2 = test_staff_setup(&f->srv, "coord2", COORD2_OTP, NEWPW, &c2, NULL);
	assert_non_null(t2);
	/* A new report is no new message. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_int_equal(row_of(f, &page, 1), -1);
	assert_non_null(strstr(page.data, "Nieuw bericht van de melder (0)"));

	/* The reporter answers: new for both coordinators. */
	reporter_answers(f, r1, "Het kenteken begint met V.");
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	assert_int_equal(row_of(f, &page, 2), -1);
	assert_non_null(strstr(page.data, "Nieuw bericht van de melder (1)"));
	assert_non_null(strstr(page.data, "<strong class=\"meldpunt-new\">"
	                       "Nieuw bericht</strong>"));
	assert_int_equal(get_as(f, &c2, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);

	/* coord opens the case: no longer new for coord, still for coord2. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_int_equal(row_of(f, &page, 1), -1);
	assert_non_null(strstr(page.data, "Nieuw bericht van de melder (0)"));
	assert_int_equal(get_as(f, &c2, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	/* The mark is a row number, no time (SECURITY.md's table). */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM case_reads"
	                 " WHERE report_id = 1 AND message_id = (SELECT max(id)"
	                 " FROM messages WHERE report_id = 1)"), 1);

	/* A second answer makes it new again for coord. */
	reporter_answers(f, r1, "En het is een witte bus.");
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&unread=1", &page), 200);
	assert_true(row_of(f, &page, 1) >= 0);
	secret_free(t2);
	buf_release(&c2);
	buf_release(&page);
}

static void
test_parameters_checked(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, path = BUF_INIT;
	static const char *const bad[] = {
		"?type=other",
		"?type=signal&sort=oldest",
		"?type=signal&who=everyone",
		"?type=signal&unread=yes",
		"?type=signal&overdue=2",
		"?type=signal&state=Received",
		"?type=signal&state=no_such_state",
		"?type=signal&phenomenon=no_such_option",
		"?type=signal&q=a%01b",
		"?type=signal&q=a%0Ab",
		"?type=signal&q=%FF%FE",
		"?type=signal&sort=received&sort=state",
		"?type=signal&page=2",
	};
	int64_t rows;
	size_t i;
	char r[32];

	signal_with(f, "Havenweg 1", "Een.", NULL, r);
	rows = audit_rows(f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&path);
		buf_addf(&path, "/beheer/meldingen%s", bad[i]);
		assert_int_equal(get_as(f, &f->cookie, path.data, &page), 400);
		assert_int_equal(row_of(f, &page, 1), -1);
	}
	/* Nothing ran: no listing audited. */
	assert_int_equal(audit_rows(f), rows);
	/* The message names the parameter. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&sort=oldest", &page), 400);
	assert_non_null(strstr(page.data, "sort"));

	/* The search's limit, at its edge ([limits] search_max, 100). */
	buf_reset(&path);
	buf_adds(&path, "/beheer/meldingen?type=signal&q=");
	for (i = 0; i < 100; i++)
		buf_adds(&path, "x");
	assert_int_equal(get_as(f, &f->cookie, path.data, &page), 200);
	buf_adds(&path, "x");
	assert_int_equal(get_as(f, &f->cookie, path.data, &page), 400);
	/* Empty values are the "any" of each filter; lang is always taken. */
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal"
	                 "&state=&phenomenon=&q=&who=&sort=&lang=en", &page),
	                 200);
	assert_true(row_of(f, &page, 1) >= 0);
	assert_non_null(strstr(page.data, "New message from the reporter (0)"));
	buf_release(&path);
	buf_release(&page);
}

/* POST body (with csrf) as the session of cookie; the page into page. */
static long
post_page(struct fixture *f, const struct buf *cookie, const struct buf *csrf,
          const char *path, const char *body, struct buf *page)
{
	struct buf b = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&b, "csrf=%s&%s", csrf->data, body);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, b.data,
	                 cookie->data, &status, NULL, page), 0);
	buf_release(&b);
	return status;
}

static void
test_email_and_due_week(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, ac = BUF_INIT, acsrf = BUF_INIT;
	struct secret *atotp;
	char r[32];

	/* The inbox opens with the reminder's numbers. */
	signal_with(f, "Havenweg 1", "Een.", NULL, r);
	assert_int_equal(get_as(f, &f->cookie, "/beheer/meldingen?type=signal",
	                 &page), 200);
	assert_non_null(strstr(page.data, "id=\"due-week\">Termijnen die binnen"
	                       " 5 werkdagen verlopen: "));
	assert_non_null(strstr(page.data, "Verstreken termijnen: 0.</p>"));

	/* One's own address, on the account page. */
	assert_int_equal(post_page(f, &f->cookie, &f->csrf,
	                 "/beheer/wachtwoord/email",
	                 "email=coord%40gemeente.example", &page), 200);
	assert_non_null(strstr(page.data, "Het e-mailadres is opgeslagen."));
	assert_non_null(strstr(page.data, "value=\"coord@gemeente.example\""));
	assert_int_equal(post_page(f, &f->cookie, &f->csrf,
	                 "/beheer/wachtwoord/email", "email=geen+adres",
	                 &page), 400);
	assert_non_null(strstr(page.data, "Vul één e-mailadres in"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM users WHERE"
	                 " username = 'coord' AND email ="
	                 " 'coord@gemeente.example'"), 1);
	/* Another's only by an admin. */
	assert_int_equal(post_page(f, &f->cookie, &f->csrf,
	                 "/beheer/gebruikers/email",
	                 "user=vpt1&email=x%40gemeente.example", &page), 403);
	atotp = test_staff_setup(&f->srv, "admin", f->admin_otp, NEWPW, &ac,
	                         &acsrf);
	assert_non_null(atotp);
	assert_int_equal(post_page(f, &ac, &acsrf, "/beheer/gebruikers/email",
	                 "user=vpt1&email=vpt%40gemeente.example", &page), 200);
	assert_non_null(strstr(page.data, "value=\"vpt@gemeente.example\""));
	assert_int_equal(post_page(f, &ac, &acsrf, "/beheer/gebruikers/email",
	                 "user=vpt1&email=a%0D%0Ab%40c.nl", &page), 400);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM users WHERE"
	                 " username = 'vpt1' AND email = 'vpt@gemeente.example'"),
	                 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'user-email' AND object LIKE '%@%'"),
	                 0);
	secret_free(atotp);
	buf_release(&ac);
	buf_release(&acsrf);
	buf_release(&page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_search_only_what_opens, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_filters_and_sorts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_unread_per_handler, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_parameters_checked, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_email_and_due_week, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("inbox", tests, NULL, NULL);
}
