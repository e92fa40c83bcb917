/*
 * test_case.c - the handlers' side over HTTP on 127.0.0.1: a named signal
 * worked through the default workflow by a coordinator (computing TOTP
 * codes like an app), feedback reaching the reporter's status page, notes
 * that the reporter never sees, assignment, links; the refusals (no CSRF,
 * a stale page, a missing field, the wrong keyring or role); and keyring
 * membership deciding who can open a report.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "install.h"
#include "smtpd.h"
#include "keyrings.h"
#include "dossier.h"
#include "testutil.h"
#include "zipfile.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define NEWPW "een heel lang wachtwoord"

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct buf cookie, csrf;	/* the coordinator's session */
	struct secret *totp;
	struct smtpd *smtpd;		/* receives the notices to reporters */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct test_init ti;
	struct installation *inst;

	f->dir = test_tmpdir("case");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, f->recovery, KEYRING_INCIDENTS, "vpt1");
	/* Notices go to a test relay on 127.0.0.1. */
	f->smtpd = smtpd_start();
	assert_non_null(f->smtpd);
	{
		struct buf conf = BUF_INIT, path = BUF_INIT;
		FILE *fp;

		buf_addf(&path, "%s/meldpunt.conf", f->dir);
		buf_addf(&conf, "[server]\npublic_url = https://meldpunt.example.nl\n"
		         "[smtp]\nhost = localhost\nport = %u\n"
		         "from = meldpunt@gemeente.example\nstarttls = no\n",
		         smtpd_port(f->smtpd));
		fp = fopen(path.data, "w");
		assert_non_null(fp);
		fputs(conf.data, fp);
		fclose(fp);
		assert_int_equal(test_server_start_config(&f->srv, f->dir,
		                                          path.data), 0);
		buf_release(&conf);
		buf_release(&path);
	}
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	f->totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW, &f->cookie,
	                           &f->csrf);
	assert_non_null(f->totp);
	buf_release(&out);
	buf_release(&err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	smtpd_stop(f->smtpd);
	secret_free(f->totp);
	buf_release(&f->cookie);
	buf_release(&f->csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Submit a named signal as a reporter; returns its receipt in out. */
static void
submit_signal(struct fixture *f, const char *location, char out[32])
{
	const struct test_part parts[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", location, 0, NULL, NULL },
		{ "observation", "Hennepgeur en afgeplakte ramen.", 0, NULL, NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", "Karin Visser", 0, NULL, NULL },
		{ "reporter_email", "k.visser@example.nl", 0, NULL, NULL },
	};
	struct buf body = BUF_INIT;
	const char *p;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 6,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	p = strstr(body.data, "id=\"receipt\">");
	assert_non_null(p);
	memcpy(out, p + strlen("id=\"receipt\">"), 19);
	out[19] = '\0';
	buf_release(&body);
}

static long
staff_post(struct fixture *f, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static long vpost(struct fixture *f, const char *path, struct buf *page,
                  const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* POST as the coordinator, with the CSRF token prepended; page may be NULL. */
static long
vpost(struct fixture *f, const char *path, struct buf *page, const char *fmt,
      va_list ap)
{
	struct buf body = BUF_INIT;
	long status = 0;

	buf_addf(&body, "csrf=%s&", f->csrf.data);
	buf_vaddf(&body, fmt, ap);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, body.data,
	                 f->cookie.data, &status, NULL, page), 0);
	buf_release(&body);
	return status;
}

static long
staff_post(struct fixture *f, const char *path, const char *fmt, ...)
{
	va_list ap;
	long status;

	va_start(ap, fmt);
	status = vpost(f, path, NULL, fmt, ap);
	va_end(ap);
	return status;
}

static long
staff_post_page(struct fixture *f, const char *path, struct buf *page,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same, keeping the page answered (a refusal's). */
static long
staff_post_page(struct fixture *f, const char *path, struct buf *page,
                const char *fmt, ...)
{
	va_list ap;
	long status;

	va_start(ap, fmt);
	status = vpost(f, path, page, fmt, ap);
	va_end(ap);
	return status;
}

static long
staff_get(struct fixture *f, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 f->cookie.data, &status, NULL, page), 0);
	return status;
}

static void
reporter_page(struct fixture *f, const char *receipt, struct buf *page)
{
	struct buf req = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&f->srv, "POST", "/status", req.data, &status,
	                           NULL, page), 0);
	assert_int_equal(status, 200);
	buf_release(&req);
}

/*
 * Issue 15 point 2: the number staff see for a report does not follow
 * arrival order. Eight signals filed one after the other get well-formed
 * case numbers (YYYY-XXXX-XX) that are all different and not in the
 * order of arrival; the inbox, the case page and the API name them by
 * those numbers and never by their rows; a number is found in upper or
 * lower case; a row id (an old link) or any other malformed number is a
 * 404 that says what a case number is, and a post naming one changes
 * nothing.
 */
static void
test_case_numbers(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, path = BUF_INIT;
	char receipt[32], numbers[8][16], lower[16], *before, *after;
	int i, ascending = 1;

	for (i = 0; i < 8; i++) {
		char where[32];

		snprintf(where, sizeof(where), "Kade %d, Edam", i + 1);
		submit_signal(f, where, receipt);
	}
	for (i = 0; i < 8; i++) {
		char hole[16];
		size_t k;

		snprintf(hole, sizeof(hole), "{#%d}", i + 1);
		snprintf(numbers[i], sizeof(numbers[i]), "%s",
		         test_cases(f->dir, hole));
		assert_int_equal(strlen(numbers[i]), 12);
		assert_int_equal(numbers[i][4], '-');
		assert_int_equal(numbers[i][9], '-');
		for (k = 5; k < 12; k++)
			if (k != 9)
				assert_non_null(strchr(
					"23456789ABCDEFGHJKMNPQRSTUVWXYZ",
					numbers[i][k]));
		if (i && strcmp(numbers[i - 1], numbers[i]) >= 0)
			ascending = 0;
		for (k = 0; k < (size_t)i; k++)
			assert_string_not_equal(numbers[k], numbers[i]);
	}
	/* In order by chance once in 8! = 40320 runs. */
	assert_false(ascending);

	/* The inbox links each by its number, none by its row. */
	assert_int_equal(staff_get(f, "/beheer/meldingen?type=signal", &page), 200);
	for (i = 0; i < 8; i++) {
		buf_reset(&path);
		buf_addf(&path, "href=\"/beheer/melding?id=%s\">%s</a>", numbers[i],
		         numbers[i]);
		assert_non_null(strstr(page.data, path.data));
	}
	assert_null(strstr(page.data, "melding?id=1\""));
	assert_null(strstr(page.data, ">1</a>"));
	/* The inbox search finds a case by its number, in either case. */
	buf_reset(&path);
	buf_addf(&path, "/beheer/meldingen?type=signal&q=%s", numbers[5]);
	path.data[path.len - 1] = (char)tolower((unsigned char)
	                                        path.data[path.len - 1]);
	assert_int_equal(staff_get(f, path.data, &page), 200);
	buf_reset(&path);
	buf_addf(&path, "href=\"/beheer/melding?id=%s\"", numbers[5]);
	assert_non_null(strstr(page.data, path.data));
	buf_reset(&path);
	buf_addf(&path, "href=\"/beheer/melding?id=%s\"", numbers[4]);
	assert_null(strstr(page.data, path.data));

	/* The case page by its number, also typed in lower case. */
	for (i = 0; numbers[2][i]; i++)
		lower[i] = (char)tolower((unsigned char)numbers[2][i]);
	lower[i] = '\0';
	buf_reset(&path);
	buf_addf(&path, "/beheer/melding?id=%s", lower);
	assert_int_equal(staff_get(f, path.data, &page), 200);
	assert_non_null(strstr(page.data, "Kade 3, Edam"));
	buf_reset(&path);
	buf_addf(&path, "Melding %s", numbers[2]);
	assert_non_null(strstr(page.data, path.data));
	buf_reset(&path);
	buf_addf(&path, "name=\"id\" value=\"%s\"", numbers[2]);
	assert_non_null(strstr(page.data, path.data));
	assert_null(strstr(page.data, "name=\"id\" value=\"3\""));

	/* Row ids and malformed numbers: 404, saying what a number is. */
	before = test_db_counts(f->dir);
	assert_int_equal(staff_get(f, "/beheer/melding?id=3", &page), 404);
	assert_non_null(strstr(page.data, "Dit is geen zaaknummer"));
	assert_int_equal(staff_get(f, "/beheer/melding?id=2026-K7QM-3", &page),
	                 404);
	assert_int_equal(staff_get(f, "/beheer/melding?id=2026-K7QM-3O", &page),
	                 404);
	assert_int_equal(staff_get(f, "/beheer/melding?id=", &page), 404);
	/* Well formed, but no report has it. */
	assert_int_equal(staff_get(f, "/beheer/melding?id=1999-K7QM-3P", &page),
	                 404);
	assert_non_null(strstr(page.data, "Deze melding bestaat niet."));
	assert_int_equal(staff_post(f, "/beheer/melding/notitie",
	                 "id=3&note=Via+het+volgnummer."), 404);
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	/* A row id as the case to link is refused (the page shows, and
	 * audits reading, case 1 again), and links nothing. */
	assert_int_equal(staff_post(f, "/beheer/melding/koppelen",
	                 "id={#1}&other=2"), 400);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM report_links"),
	                 0);
	free(before);
	free(after);
	buf_release(&path);
	buf_release(&page);
}


static void
test_signal_through_workflow(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	char receipt[32];

	submit_signal(f, "Dorpsstraat 12, Purmerend", receipt);

	/*
	 * The inbox shows it with its phenomenon, read from the sealed
	 * statistical answers, and its location, from the content opened in
	 * memory: one audit row for the listing.
	 */
	assert_int_equal(staff_get(f, "/beheer/meldingen?type=signal", &page), 200);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'inbox-read' AND actor = 'coord'"
	                 " AND object = 'signal: 1 opened'"), 1);
	assert_non_null(strstr(page.data, "Dorpsstraat 12, Purmerend"));
	assert_non_null(strstr(page.data, test_cases(f->dir,
	                "href=\"/beheer/melding?id={#1}\"")));
	assert_non_null(strstr(page.data, "Drugs of hennepteelt"));
	assert_non_null(strstr(page.data, "1 meldingen, waarvan 0 over de termijn."));

	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Dorpsstraat 12, Purmerend"));
	assert_non_null(strstr(page.data, "k.visser@example.nl"));
	assert_non_null(strstr(page.data, "name=\"transition\" value=\"start_intake\""));

	/* Intake, with feedback to the reporter. */
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=start_intake&expect_state=received"
	                 "&message=Wij hebben uw melding ontvangen."), 303);
	reporter_page(f, receipt, &page);
	assert_non_null(strstr(page.data, "Wij hebben uw melding ontvangen."));
	/* The named reporter gets a notice: that there is news, and where. */
	assert_int_equal(smtpd_wait(f->smtpd, 1, 15000), 1);
	{
		struct buf rcpt = BUF_INIT, data = BUF_INIT;

		assert_int_equal(smtpd_mail(f->smtpd, 0, &rcpt, &data), 0);
		assert_non_null(strstr(rcpt.data, "k.visser@example.nl"));
		assert_non_null(strstr(data.data, "https://meldpunt.example.nl/status"));
		assert_null(strstr(data.data, "Dorpsstraat"));
		assert_null(strstr(data.data, "ontvangen."));
		assert_null(strstr(data.data, "Hennep"));
		assert_null(strstr(data.data, "ondermijning"));
		assert_null(strstr(data.data, receipt));
		buf_release(&rcpt);
		buf_release(&data);
	}

	/* The weging is recorded: without its motivation it is refused. */
	buf_reset(&page);
	assert_int_equal(staff_post_page(f, "/beheer/melding/overgang", &page,
	                 "id={#1}&transition=undermining&expect_state=weging_1"),
	                 400);
	assert_non_null(strstr(page.data, "Vul eerst dit veld in (Motivering "
	                       "(weging 1))"));
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=undermining&expect_state=weging_1"
	                 "&undermining_motivation=Hennepteelt+met+afgeplakte"
	                 "+ramen"), 303);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=municipal_task&expect_state=weging_2a"
	                 "&municipal_task=Bibob+en+handhaving"
	                 "&municipal_task_motivation=Horecavergunning"), 303);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=our_territory&expect_state=weging_2b"
	                 "&territory_motivation=Pand+in+Edam"), 303);
	/* The seriousness on its scale: 5 is not on it, and what was typed
	 * stays in the form. */
	buf_reset(&page);
	assert_int_equal(staff_post_page(f, "/beheer/melding/overgang", &page,
	                 "id={#1}&transition=seriousness&expect_state=weging_3"
	                 "&seriousness=5&seriousness_motivation=Drie+melders"),
	                 400);
	assert_non_null(strstr(page.data, "Kies een van de mogelijkheden "
	                       "(Ernst)"));
	assert_non_null(strstr(page.data, "name=\"seriousness_motivation\" "
	                       "id=\"f-seriousness-seriousness_motivation\" "
	                       "value=\"Drie melders\""));
	assert_null(strstr(page.data, "<option value=\"5\""));
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=seriousness&expect_state=weging_3"
	                 "&seriousness=3&seriousness_motivation=Drie+melders"),
	                 303);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=to_meeting&expect_state=decision"
	                 "&reason=Bespreken+met+de+partners"), 303);
	/* The timeline shows every weging with its data. */
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "<dt>Motivering (weging 1)</dt>"
	                       "<dd>Hennepteelt met afgeplakte ramen</dd>"));
	assert_non_null(strstr(page.data, "<dt>Welke gemeentelijke taak</dt>"
	                       "<dd>Bibob en handhaving</dd>"));
	assert_non_null(strstr(page.data, "<dd>Pand in Edam</dd>"));
	assert_non_null(strstr(page.data, "<dt>Ernst</dt><dd>3 - ernstig</dd>"));
	assert_non_null(strstr(page.data, "<dt>Reden</dt>"
	                       "<dd>Bespreken met de partners</dd>"));
	assert_non_null(strstr(page.data, "Weging 3: ernst vastgesteld"));
	/* The local signal meeting: on the agenda, enrichment, decision. */
	assert_int_equal(staff_post(f, "/beheer/overleg/nieuw",
	                 "held_on=2026-03-12&title=Maartoverleg"), 303);
	assert_int_equal(staff_post(f, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#1}"), 303);
	assert_int_equal(staff_post(f, "/beheer/overleg/vastleggen",
	                 "id=1&report={#1}&enrichment=Pand staat op naam van een BV"
	                 "&decision=Doorzetten naar de RIEC-tafel"), 303);
	assert_int_equal(staff_get(f, "/beheer/overleg/verslag?id=1", &page), 200);
	assert_non_null(strstr(page.data, "Doorzetten naar de RIEC-tafel"));
	/* A required field missing: refused, said so, nothing moved. */
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=to_riec&expect_state=meeting"), 400);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=to_riec&expect_state=meeting"
	                 "&riec_reference=RIEC-NH-2026-017"
	                 "&reason=Besluit+van+het+overleg"), 303);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=close&expect_state=riec"
	                 "&message=Dank u wel, wij hebben er werk van gemaakt."), 303);

	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "RIEC-NH-2026-017"));
	assert_non_null(strstr(page.data, "coord: "));
	reporter_page(f, receipt, &page);
	assert_non_null(strstr(page.data, "Dank u wel, wij hebben er werk van"));
	/* The log has a line per audited event, with the BIO 8.15 fields. */
	{
		struct buf log = BUF_INIT;

		assert_int_equal(test_read_file(f->srv.log_path, &log), 0);
		assert_non_null(strstr(log.data, "audit row="));
		assert_non_null(strstr(log.data, test_cases(f->dir,
		                       " actor=coord action=report-read "
		                       "object=report {#1} result=ok")));
		assert_non_null(strstr(log.data, test_cases(f->dir,
		                       "action=report-transition "
		                       "object=report {#1}: riec -> closed result=ok")));
		assert_null(strstr(log.data, "Dorpsstraat"));
		buf_release(&log);
	}
	/* The reporter never learns of the hand-off to the RIEC. */
	assert_null(strstr(page.data, "RIEC"));
	buf_release(&page);
}

static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, vcookie = BUF_INIT, vcsrf = BUF_INIT;
	struct secret *vtotp;
	char receipt[32];
	long status = 0;

	submit_signal(f, "Kerkstraat 3", receipt);
	/* No CSRF token. */
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/melding/overgang",
	                 "id={#1}&transition=start_intake&expect_state=received",
	                 f->cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 403);
	/* A page made for another state (a second click, an old tab). */
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=start_intake&expect_state=received"), 303);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/melding/overgang",
	                 "id={#1}&transition=undermining&expect_state=received",
	                 f->cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 403);	/* CSRF missing again: still refused */
	{
		struct buf body = BUF_INIT;

		buf_addf(&body, "csrf=%s&id={#1}&transition=undermining"
		         "&expect_state=received", f->csrf.data);
		buf_reset(&page);
		assert_int_equal(test_http_cookie(&f->srv, "POST",
		                 "/beheer/melding/overgang", body.data, f->cookie.data,
		                 &status, NULL, &page), 0);
		assert_int_equal(status, 400);
		assert_non_null(strstr(page.data, "De melding is intussen verder "
		                       "gegaan."));
		buf_release(&body);
	}
	/* Not allowed from here, unknown transition, unknown report, bad id. */
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=close&expect_state=weging_1"), 400);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id={#1}"
	                 "&transition=shred&expect_state=weging_1"), 400);
	assert_int_equal(staff_post(f, "/beheer/melding/overgang", "id=99"
	                 "&transition=undermining"), 404);
	assert_int_equal(staff_get(f, "/beheer/melding?id=1%20OR%201=1", &page), 404);
	assert_int_equal(staff_get(f, "/beheer/melding?id=-1", &page), 404);

	/* The VPT coordinator holds agressie, not signalen. */
	vtotp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &vcookie, &vcsrf);
	assert_non_null(vtotp);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, vcookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 403);
	assert_null(strstr(page.data, "Kerkstraat"));
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/meldingen?type=signal", NULL, vcookie.data,
	                 &status, NULL, NULL), 0);
	assert_int_equal(status, 403);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/meldingen?type=incident", NULL, vcookie.data,
	                 &status, NULL, NULL), 0);
	assert_int_equal(status, 200);
	secret_free(vtotp);
	buf_release(&page);
	buf_release(&vcookie);
	buf_release(&vcsrf);
}

/* An incident as a reporter files it (named, no files). */
static const struct test_part incident[] = {
	{ "date", "2026-03-02", 0, NULL, NULL },
	{ "place", "public_space", 0, NULL, NULL },
	{ "kind", "intimidation", 0, NULL, NULL },
	{ "victim_role", "alderman", 0, NULL, NULL },
	{ "reported_by", "on_behalf", 0, NULL, NULL },
	{ "perpetrator_known", "no", 0, NULL, NULL },
	{ "description", "Uitgescholden op de markt.", 0, NULL, NULL },
	{ "police", "none", 0, NULL, NULL },
	{ "aftercare", "no", 0, NULL, NULL },
	{ "reporter_name", "Ahmed Yilmaz", 0, NULL, NULL },
};

/* POST body to path as the session of cookie and csrf; the page answered. */
static long
post_path(struct fixture *f, const struct buf *cookie, const struct buf *csrf,
          const char *path, const char *body, struct buf *page)
{
	struct buf b = BUF_INIT;
	long status = 0;

	buf_addf(&b, "csrf=%s&%s", csrf->data, body);
	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, b.data,
	                 cookie->data, &status, NULL, page), 0);
	buf_release(&b);
	return status;
}

/* A workflow step: POST body to the transition form. */
static long
post_with(struct fixture *f, const struct buf *cookie, const struct buf *csrf,
          const char *body, struct buf *page)
{
	return post_path(f, cookie, csrf, "/beheer/melding/overgang", body, page);
}

/*
 * Amounts are money (issue 17 point 3): "veel" and "-50" are refused
 * with the field named and what was typed kept; "1.250,50" is stored as
 * 1250.50; over the case, recovered never exceeds claimed.
 */
static void
test_typed_amounts(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	struct secret *totp;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", incident,
	                 sizeof(incident) / sizeof(incident[0]), NULL, &status,
	                 &page), 0);
	assert_int_equal(status, 200);
	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition="
	                 "first_care_talk&expect_state=registered", &page), 303);

	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=veel"
	                 "&recovered_amount=12", &page), 400);
	assert_non_null(strstr(page.data, "Vul een bedrag in euro"));
	assert_non_null(strstr(page.data, "(bijvoorbeeld 1250,50) (Schadebedrag "
	                       "(euro))"));
	assert_non_null(strstr(page.data, "id=\"f-damages-damage_amount\" "
	                       "value=\"veel\""));
	assert_non_null(strstr(page.data, "id=\"f-damages-recovered_amount\" "
	                       "value=\"12\""));
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=-50"
	                 "&recovered_amount=0", &page), 400);
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=1.250%2C50"
	                 "&recovered_amount=300", &page), 303);
	/* A second step would bring the recovered amount over the claimed. */
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=0"
	                 "&recovered_amount=950%2C51", &page), 400);
	assert_non_null(strstr(page.data, "over alle schadestappen van deze "
	                       "melding samen, hoger dan het schadebedrag"));
	assert_non_null(strstr(page.data, "value=\"950,51\""));
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=0"
	                 "&recovered_amount=950%2C50", &page), 303);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "<dd>1250.50</dd>"));
	assert_non_null(strstr(page.data, "<dd>950.50</dd>"));
	assert_null(strstr(page.data, "<dd>veel</dd>"));
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
}

/*
 * A damages step as an older Meldpunt stored it, before amounts were
 * typed: through a copy of incident.ini without its [field] and [rule]
 * sections, straight into the installation (the server keeps running).
 */
static void
old_damages(struct fixture *f, int64_t id, const char *damage)
{
	struct workflow_field fields[2] = {
		{ "damage_amount", damage }, { "recovered_amount", "0" },
	};
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf path = BUF_INIT, text = BUF_INIT;
	char *dir = test_tmpdir("oldwf");
	struct installation *inst;
	struct workflows *wfs;
	struct workflow_verdict v;
	char line[256];
	int keep = 1;
	FILE *fp;

	buf_addf(&path, "%s/schema/workflows/incident.ini", src);
	fp = fopen(path.data, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		if (line[0] == '[')
			keep = strncmp(line, "[field", 6) != 0 &&
			       strncmp(line, "[rule", 5) != 0;
		if (keep)
			buf_adds(&text, line);
	}
	fclose(fp);
	buf_reset(&path);
	buf_addf(&path, "%s/incident.ini", dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(text.data, fp);
	fclose(fp);
	assert_int_equal(workflows_load_dir(dir, &wfs, NULL), 0);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(events_transition(inst, wfs, id, "damages", "vpt1",
	                 ROLE_VPT, fields, 2, NULL, &v), 0);
	assert_int_equal(install_close(inst), 0);
	workflows_free(wfs);
	test_rmtree(dir);
	free(dir);
	buf_release(&path);
	buf_release(&text);
}

/*
 * Amounts stored as free text by an older version ("veel") are listed
 * for correction (issue 17 point 3): by case, step and field, never the
 * value; only for a holder of the keyring.
 */
static void
test_bad_amounts_listed(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	struct secret *totp;
	long status = 0;
	int i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie",
		                 incident, sizeof(incident) / sizeof(incident[0]), NULL,
		                 &status, &page), 0);
		assert_int_equal(status, 200);
	}
	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	for (i = 1; i <= 2; i++) {
		struct buf body = BUF_INIT;

		buf_addf(&body, "id={#%d}&transition=first_care_talk"
		         "&expect_state=registered", i);
		assert_int_equal(post_with(f, &cookie, &csrf, body.data, &page),
		                 303);
		buf_release(&body);
	}
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/bedragen?type=incident", NULL, cookie.data,
	                 &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "Alle vastgelegde bedragen zijn als "
	                       "euro te lezen."));
	old_damages(f, 1, "veel");
	old_damages(f, 2, "1.250,50");
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/bedragen?type=incident", NULL, cookie.data,
	                 &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, test_cases(f->dir, "href=\"/beheer/melding?id={#1}\">{#1}</a>")));
	assert_null(strstr(page.data, test_cases(f->dir, "href=\"/beheer/melding?id={#2}\"")));
	assert_non_null(strstr(page.data, "<td>Schade verhaald op de dader</td>"
	                       "<td>Schadebedrag (euro)</td>"));
	assert_null(strstr(page.data, "veel"));
	/* Corrected on the case page (issue 17 point 4): no longer listed. */
	{
		struct buf body = BUF_INIT;

		buf_addf(&body, "id={#1}&step=%lld&transition=damages"
		         "&damage_amount=1.250%%2C50&recovered_amount=0",
		         (long long)test_count(f->dir, "SELECT max(id) FROM"
		                               " report_events WHERE report_id = 1"));
		assert_int_equal(post_path(f, &cookie, &csrf,
		                 "/beheer/melding/correctie", body.data, &page), 303);
		buf_release(&body);
	}
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/bedragen?type=incident", NULL, cookie.data,
	                 &status, NULL, &page), 0);
	assert_non_null(strstr(page.data, "Alle vastgelegde bedragen zijn als "
	                       "euro te lezen."));
	/* The coordinator holds signalen, not agressie. */
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/bedragen?type=incident", NULL, f->cookie.data,
	                 &status, NULL, &page), 0);
	assert_int_equal(status, 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'amounts-read' AND actor = 'coord'"
	                 " AND result = 'refused'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'amounts-read' AND actor = 'vpt1'"), 3);
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
}

/* The id of the newest event of report id. */
static int64_t
newest_event(struct fixture *f, int id)
{
	struct buf sql = BUF_INIT;
	int64_t n;

	buf_addf(&sql, "SELECT max(id) FROM report_events WHERE report_id = %d",
	         id);
	n = test_count(f->dir, sql.data);
	buf_release(&sql);
	return n;
}

/*
 * Corrections and undos on the case page (issue 17 point 4): the last
 * step undone with a reason (without one: refused, nothing changed), the
 * case back in its state and the reporter's status page the same; a step
 * that changed what the reporter reads is not undone; an amount corrected
 * shows what it was and is, a correction breaking the rule is refused
 * with what was typed kept; a handler without the keyring is refused.
 */
static void
test_correct_and_undo(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT,
	           before = BUF_INIT, after = BUF_INIT, body = BUF_INIT;
	struct secret *totp;
	char receipt[32];
	const char *p;
	long status = 0;
	int64_t care, start, damages;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", incident,
	                 sizeof(incident) / sizeof(incident[0]), NULL, &status,
	                 &page), 0);
	assert_int_equal(status, 200);
	p = strstr(page.data, "id=\"receipt\">");
	assert_non_null(p);
	memcpy(receipt, p + strlen("id=\"receipt\">"), 19);
	receipt[19] = '\0';
	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition="
	                 "first_care_talk&expect_state=registered", &page), 303);
	care = newest_event(f, 1);
	reporter_page(f, receipt, &before);
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition="
	                 "start_aftercare&expect_state=care", &page), 303);
	start = newest_event(f, 1);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_non_null(strstr(page.data, "Stap ongedaan maken"));

	/* No reason: refused, the state as it was. */
	buf_addf(&body, "id={#1}&step=%lld&change=undo&reason=", (long long)start);
	assert_int_equal(post_path(f, &cookie, &csrf, "/beheer/melding/ongedaan",
	                 body.data, &page), 400);
	assert_non_null(strstr(page.data, "Geef een reden op."));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM report_events"
	                 " WHERE kind = 'undo'"), 0);
	buf_reset(&body);
	buf_addf(&body, "id={#1}&step=%lld&change=undo&reason=Per+vergissing.",
	         (long long)start);
	assert_int_equal(post_path(f, &cookie, &csrf, "/beheer/melding/ongedaan",
	                 body.data, &page), 303);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_non_null(strstr(page.data, "Ongedaan gemaakt door vpt1: Nazorg "
	                       "starten"));
	assert_non_null(strstr(page.data, "Reden: Per vergissing."));
	assert_non_null(strstr(page.data, "Nazorg starten (ongedaan gemaakt)"));
	assert_non_null(strstr(page.data, "<dd><span class=\"meldpunt-badge "
	                       "meldpunt-badge--state\">Opvang gedaan</span></dd>"));
	/* The reporter's page: exactly as before the internal step. */
	reporter_page(f, receipt, &after);
	assert_string_equal(before.data, after.data);

	/* The care talk changed what the reporter reads: not undone. */
	buf_reset(&body);
	buf_addf(&body, "id={#1}&step=%lld&change=undo&reason=Fout.",
	         (long long)care);
	assert_int_equal(post_path(f, &cookie, &csrf, "/beheer/melding/ongedaan",
	                 body.data, &page), 400);
	assert_non_null(strstr(page.data, "heeft de melder iets laten zien"));
	assert_non_null(strstr(page.data, "<dd><span class=\"meldpunt-badge "
	                       "meldpunt-badge--state\">Opvang gedaan</span></dd>"));

	/* An amount corrected: the rule holds, what was typed is kept. */
	assert_int_equal(post_with(f, &cookie, &csrf, "id={#1}&transition=damages"
	                 "&expect_state=care&damage_amount=1.250%2C50"
	                 "&recovered_amount=300", &page), 303);
	damages = newest_event(f, 1);
	buf_reset(&body);
	buf_addf(&body, "id={#1}&step=%lld&change=correct&transition=damages"
	         "&damage_amount=1.250%%2C50&recovered_amount=2000",
	         (long long)damages);
	assert_int_equal(post_path(f, &cookie, &csrf, "/beheer/melding/correctie",
	                 body.data, &page), 400);
	assert_non_null(strstr(page.data, "hoger dan het schadebedrag"));
	buf_reset(&body);
	buf_addf(&body, "id=\"c-%lld-recovered_amount\" value=\"2000\"",
	         (long long)damages);
	assert_non_null(strstr(page.data, body.data));
	buf_reset(&body);
	buf_addf(&body, "id={#1}&step=%lld&change=correct&transition=damages"
	         "&damage_amount=1.250%%2C50&recovered_amount=200",
	         (long long)damages);
	/* The coordinator does not hold agressie. */
	assert_int_equal(staff_post(f, "/beheer/melding/correctie", "%s",
	                 body.data), 403);
	assert_int_equal(post_path(f, &cookie, &csrf, "/beheer/melding/correctie",
	                 body.data, &page), 303);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_non_null(strstr(page.data, "Gecorrigeerd door vpt1: Schade "
	                       "verhaald op de dader"));
	assert_non_null(strstr(page.data, "Verhaald bedrag (euro) was 300.00, is "
	                       "200.00"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'report-correct' AND result = 'ok'"), 1);
	reporter_page(f, receipt, &after);
	assert_string_equal(before.data, after.data);
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
	buf_release(&before);
	buf_release(&after);
	buf_release(&body);
}

static void
test_notes_assign_links(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	char r1[32], r2[32];

	submit_signal(f, "Havenweg 1", r1);
	submit_signal(f, "Havenweg 3", r2);
	assert_int_equal(staff_post(f, "/beheer/melding/notitie",
	                 "id={#1}&note=Zelfde pand als vorig jaar, zie dossier."), 303);
	assert_int_equal(staff_post(f, "/beheer/melding/notitie", "id={#1}&note="),
	                 400);
	assert_int_equal(staff_post(f, "/beheer/melding/toewijzen",
	                 "id={#1}&assignee=coord"), 303);
	assert_int_equal(staff_post(f, "/beheer/melding/toewijzen",
	                 "id={#1}&assignee=ghost"), 400);
	/* A signal never goes to the VPT coordinator, who cannot read it. */
	assert_int_equal(staff_post(f, "/beheer/melding/toewijzen",
	                 "id={#1}&assignee=vpt1"), 400);
	assert_int_equal(staff_post(f, "/beheer/melding/koppelen", "id={#1}&other={#2}"),
	                 303);
	assert_int_equal(staff_post(f, "/beheer/melding/koppelen", "id={#1}&other={#1}"),
	                 400);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Zelfde pand als vorig jaar"));
	assert_non_null(strstr(page.data, "<dd>coord</dd>"));
	/* Offered: only those who can read it (and nobody). */
	assert_non_null(strstr(page.data, "<option value=\"coord\" selected>"));
	assert_null(strstr(page.data, "<option value=\"vpt1\""));
	assert_null(strstr(page.data, "<option value=\"admin\""));
	assert_non_null(strstr(page.data, test_cases(f->dir, "href=\"/beheer/melding?id={#2}\"")));
	assert_int_equal(staff_get(f, "/beheer/melding?id={#2}", &page), 200);
	assert_non_null(strstr(page.data, test_cases(f->dir, "href=\"/beheer/melding?id={#1}\"")));
	/* The reporter sees no note. */
	reporter_page(f, r1, &page);
	assert_null(strstr(page.data, "Zelfde pand"));
	buf_release(&page);
}

static void
test_membership_decides(void **state)
{
	struct fixture *f = *state;
	struct installation *inst;
	struct buf page = BUF_INIT;
	struct secret *totp;
	struct user u;
	char receipt[32];

	submit_signal(f, "Molenpad 8", receipt);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	/* Removed from signalen: the next login opens nothing of it. */
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_find(inst->db, "coord", &u), 0);
	assert_int_equal(keyrings_revoke(inst->db, KEYRING_SIGNALS, u.id), 0);
	user_release(&u);
	assert_int_equal(install_close(inst), 0);
	assert_int_equal(test_staff_login(&f->srv, "coord", NEWPW, f->totp, 1,
	                                  &f->cookie, &f->csrf), 0);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 403);
	assert_null(strstr(page.data, "Molenpad"));
	/*
	 * A new member (granted by the recovery key) opens it at once. (Not
	 * coord again: a second login in this 30-second step would need a
	 * code already used, and replays are refused.)
	 */
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "vpt1");
	buf_reset(&f->cookie);
	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &f->cookie,
	                        &f->csrf);
	assert_non_null(totp);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Molenpad 8"));
	secret_free(totp);
	buf_release(&page);
}

/* What an exported archive holds (core/zipfile read). */
static int
find_json(void *arg, const char *name, const void *data, size_t len)
{
	struct buf *doc = arg;

	if (strcmp(name, DOSSIER_JSON_NAME) == 0)
		buf_add(doc, data, len);
	return 0;
}

/*
 * The print view and the dossier export from the case page: notes and
 * identity only when ticked, both audited; the VPT coordinator, who
 * cannot read a signal, gets neither.
 */
static void
test_print_and_export(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, headers = BUF_INIT, doc = BUF_INIT;
	struct buf h = BUF_INIT;
	struct secret *totp;
	const char *idline;
	char receipt[32];
	long status = 0;

	submit_signal(f, "Molenpad 8", receipt);
	assert_int_equal(staff_post(f, "/beheer/melding/notitie",
	                 "id={#1}&note=Intern: buurman is wethouder."), 303);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "action=\"/beheer/melding/afdrukken\""));
	assert_non_null(strstr(page.data,
	                       "formaction=\"/beheer/melding/dossier\""));

	assert_int_equal(staff_get(f, "/beheer/melding/afdrukken?id={#1}", &page),
	                 200);
	assert_non_null(strstr(page.data, "class=\"meldpunt-dossier\""));
	/* Titled by the case number, as the case page is. */
	assert_non_null(strstr(page.data, test_cases(f->dir, "{#1}</h1>")));
	assert_non_null(strstr(page.data, "Molenpad 8"));
	assert_non_null(strstr(page.data, "id=\"deadlines\""));
	assert_non_null(strstr(page.data, "id=\"timeline\""));
	assert_null(strstr(page.data, "buurman is wethouder"));
	assert_null(strstr(page.data, "Karin Visser"));
	assert_int_equal(staff_get(f, "/beheer/melding/afdrukken?id={#1}&notities=1"
	                 "&identiteit=1", &page), 200);
	assert_non_null(strstr(page.data, "buurman is wethouder"));
	assert_non_null(strstr(page.data, "Karin Visser"));

	/* The export: a ZIP download whose document holds the content. */
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/melding/dossier?id={#1}", NULL, f->cookie.data,
	                 &status, &headers, &page), 0);
	assert_int_equal(status, 200);
	assert_int_equal(test_header(&headers, "Content-Type", &h), 0);
	assert_string_equal(h.data, "application/zip");
	buf_reset(&h);
	assert_int_equal(test_header(&headers, "Content-Disposition", &h), 0);
	assert_non_null(strstr(h.data, test_cases(f->dir, "dossier-{#1}.zip")));
	assert_int_equal(zipfile_read(page.data, page.len, NULL, find_json,
	                              &doc), 0);
	assert_true(doc.len > 0);
	assert_true(test_contains(&doc, "Molenpad 8", 10));
	idline = test_cases(f->dir, "\"id\": \"{#1}\"");
	assert_true(test_contains(&doc, idline, strlen(idline)));
	assert_false(test_contains(&doc, "buurman", 7));
	assert_false(test_contains(&doc, "Karin Visser", 12));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND action = 'report-print'"
	                 " AND result = 'ok'"), 2);
	assert_int_equal(test_count(f->dir, test_cases(f->dir,
	                 "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND action = 'dossier-export'"
	                 " AND result = 'ok' AND object = 'report {#1}'")), 1);

	/* The VPT coordinator cannot read a signal: neither, and audited. */
	buf_reset(&f->cookie);
	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &f->cookie,
	                        &f->csrf);
	assert_non_null(totp);
	assert_int_equal(staff_get(f, "/beheer/melding/afdrukken?id={#1}", &page),
	                 403);
	assert_null(strstr(page.data, "Molenpad"));
	assert_int_equal(staff_get(f, "/beheer/melding/dossier?id={#1}", &page),
	                 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'vpt1' AND result = 'refused' AND"
	                 " action IN ('report-print', 'dossier-export')"), 2);
	secret_free(totp);
	buf_release(&page);
	buf_release(&headers);
	buf_release(&doc);
	buf_release(&h);
}

static void
test_file_download(void **state)
{
	struct fixture *f = *state;
	static const char bytes[] = "\x89PNG\r\n\x1a\nnot really an image";
	const struct test_part parts[] = {
		{ "phenomenon", "fraud", 0, NULL, NULL },
		{ "location", "Stationsplein", 0, NULL, NULL },
		{ "observation", "Zie de foto.", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
		{ "files", bytes, sizeof(bytes) - 1, "../../etc/pass wd<x>.png",
		  "text/html" },
	};
	struct buf page = BUF_INIT, h = BUF_INIT, body = BUF_INIT, v = BUF_INIT;
	char *before, *after;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 5,
	                 NULL, &status, &page), 0);
	assert_int_equal(status, 200);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data,
	                test_cases(f->dir, "href=\"/beheer/melding/bestand?id={#1}&amp;bestand=1\"")));
	before = test_db_counts(f->dir);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/melding/bestand?id={#1}&bestand=1", NULL,
	                 f->cookie.data, &status, &h, &body), 0);
	assert_int_equal(status, 200);
	assert_int_equal(body.len, sizeof(bytes) - 1);
	assert_memory_equal(body.data, bytes, body.len);
	/* Never rendered as what the reporter's device claimed. */
	assert_int_equal(test_header(&h, "Content-Type", &v), 0);
	assert_string_equal(v.data, "application/octet-stream");
	buf_reset(&v);
	assert_int_equal(test_header(&h, "Content-Disposition", &v), 0);
	assert_string_equal(v.data, "attachment; filename=\"_._.__etc_pass_wd_x_.png\"");
	/* The read is audited. */
	after = test_db_counts(f->dir);
	assert_string_not_equal(before, after);
	/* Another report's number, a file that is not there. */
	assert_int_equal(staff_get(f, "/beheer/melding/bestand?id={#1}&bestand=2",
	                           &page), 404);
	assert_int_equal(staff_get(f, "/beheer/melding/bestand?id={#1}&bestand=x",
	                           &page), 404);
	free(before);
	free(after);
	buf_release(&page);
	buf_release(&h);
	buf_release(&body);
	buf_release(&v);
}

static void
test_audit_page(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	struct installation *inst;
	struct secret *totp;
	char receipt[32];
	long status = 0;

	submit_signal(f, "Marktplein 1", receipt);
	assert_int_equal(staff_get(f, "/beheer/melding?id={#1}", &page), 200);
	/* Only the auditor reads the log. */
	assert_int_equal(staff_get(f, "/beheer/auditlog", &page), 403);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "audit1", "", ROLE_AUDITOR,
	                 "eenmalig-wachtwoord-audit", &PWHASH_FAST, NULL, NULL,
	                 NULL), 0);
	assert_int_equal(install_close(inst), 0);
	totp = test_staff_setup(&f->srv, "audit1", "eenmalig-wachtwoord-audit",
	                        NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/auditlog", NULL,
	                 cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "Het auditlog is intact"));
	assert_non_null(strstr(page.data, "<td>report-read</td>"));
	assert_non_null(strstr(page.data, "<td>coord</td>"));
	/* Nothing of the report itself is in the log. */
	assert_null(strstr(page.data, "Marktplein"));
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&f->srv, "GET",
	                 "/beheer/auditlog?zoek=audit1", NULL, cookie.data, &status,
	                 NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_null(strstr(page.data, "<td>coord</td>"));
	assert_non_null(strstr(page.data, "<td>audit-read</td>"));
	assert_int_equal(test_http_cookie(&f->srv, "GET", "/beheer/auditlog?voor=x",
	                 NULL, cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 404);
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_typed_amounts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_correct_and_undo, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_bad_amounts_listed, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_case_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_through_workflow, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes_assign_links, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_membership_decides, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_file_download, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_and_export, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_audit_page, setup, teardown),
	};
	return cmocka_run_group_tests_name("case", tests, NULL, NULL);
}
