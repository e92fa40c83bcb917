/*
 * make_fixture.c - make a fixture installation for test_upgrade: an
 * installation made by this version of Meldpunt, as its operators and
 * users would make it, kept under tests/data/fixtures/ so that every later
 * version is tested to open it.
 *
 *   MELDPUNT_BIN=build/meldpunt build/tests/make_fixture OUT-DIR
 *
 * It drives the real program: `meldpunt init`, the server over HTTP (the
 * reporter's forms and status page, the staff pages), and of the core only
 * what has no page or command (users_create, keyring grants through
 * test_grant). Staff and reporters do what they do in a year: reports of
 * every type, anonymous and named, with files; messages both ways, notes,
 * workflow steps with their fields, an assignment, a link, a signal
 * meeting recorded and closed, a legal hold, saved norm items, and (since
 * schema 29) an integrity report worked by the integrity coordinator,
 * (since schema 30) an oral integrity report recorded by a
 * confidential adviser, its record corrected and approved by the
 * reporter, and (since schema 32) a hand-off package of a signal to the
 * RIEC.
 *
 * Into OUT-DIR (which must not exist yet) it writes the data folder
 * (meldpunt.db, checkpointed so that it needs no -wal, installation.key),
 * the configuration it ran with (meldpunt.conf), manifest.ini (the recovery
 * key, the staff accounts with their passwords and TOTP secrets, the
 * receipts, and what each person must find again; test credentials, in
 * plain text on purpose), the attachments' bytes under files/ and the
 * statistics and norm exports under figures/, as this version computed
 * them. Everything it writes to the manifest it first checked on the
 * running server, so the manifest holds only what this version shows.
 *
 * Nothing in it depends on the day it runs, except that the reports are of
 * that day and the figures of that year: every deadline is met before the
 * figures are taken (a deadline still running would count as missed
 * later), and no report is left in a final state without a legal hold (the
 * server purges expired reports at start).
 *
 * Not run by ctest: built with the tests, run by hand at a schema change
 * (tests/data/fixtures/README.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "clock.h"
#include "crypto.h"
#include "install.h"
#include "keyrings.h"
#include "migrate.h"
#include "testutil.h"
#include "totp.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define COORD_PW "fixture-wachtwoord-coord"
#define VPT_PW "fixture-wachtwoord-vpt"
#define INTEG_PW "fixture-wachtwoord-integ"
#define CONF_OTP "eenmalig-wachtwoord-conf"
#define CONF_PW "fixture-wachtwoord-conf"
/* The record of the oral report, as recorded and as its reporter put it. */
#define ORAL_RECORD "Melder vertelt dat de dienstauto van team Wegen in het" \
	" weekend privé wordt gebruikt."
#define ORAL_CORRECTED "Melder vertelt dat de dienstauto van team Wegen sinds" \
	" de zomer in het weekend privé wordt gebruikt."
/*
 * Small numbers hidden below 1: every figure shows, so every change does.
 * The receipt is used more than the default 10 times a minute.
 */
#define CONFIG "[statistics]\nsmall_number = 1\n" \
	"[limits]\nreceipt_attempts = 100\n"

static const char *out_dir;

/* A staff member logged in to the server. */
struct staff {
	const char *name;
	struct buf cookie, csrf;
	struct secret *totp;
};

struct gen {
	char *dir;			/* the installation being made */
	char *conf;			/* its configuration file */
	struct test_server srv;
	struct test_init init;
	struct staff coord, vpt, integ, adviser;
	char oral_receipt[32];		/* the oral integrity report's */
	char today[CLOCK_DAY_LEN + 1];
	char year[5];
	struct buf manifest;
};

/* Write len bytes to path; asserted. */
static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* OUT-DIR/name, written. */
static void
write_out(const char *name, const void *data, size_t len)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s/%s", out_dir, name);
	write_file(path.data, data, len);
	buf_release(&path);
}

static void
copy_out(const char *from_dir, const char *name)
{
	struct buf path = BUF_INIT, data = BUF_INIT;

	buf_addf(&path, "%s/%s", from_dir, name);
	assert_int_equal(test_read_file(path.data, &data), 0);
	write_out(name, data.data, data.len);
	buf_release(&path);
	buf_release(&data);
}

static void
staff_login(struct gen *g, struct staff *s, const char *name, const char *otp,
            const char *password)
{
	char text[TOTP_SECRET_TEXT_LEN + 1];

	s->name = name;
	buf_init(&s->cookie);
	buf_init(&s->csrf);
	s->totp = test_staff_setup(&g->srv, name, otp, password, &s->cookie,
	                           &s->csrf);
	assert_non_null(s->totp);
	totp_secret_text(s->totp, text);
	buf_addf(&g->manifest, "\n[user %s]\npassword = %s\ntotp = %s\n", name,
	         password, text);
}

static long
staff_post(struct gen *g, struct staff *s, const char *path,
           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* POST a form as s, with its CSRF token; the status. */
static long
staff_post(struct gen *g, struct staff *s, const char *path,
           const char *fmt, ...)
{
	struct buf body = BUF_INIT;
	va_list ap;
	long status = 0;

	buf_addf(&body, "csrf=%s&", s->csrf.data);
	va_start(ap, fmt);
	buf_vaddf(&body, fmt, ap);
	va_end(ap);
	assert_int_equal(test_http_cookie(&g->srv, "POST", path, body.data,
	                 s->cookie.data, &status, NULL, NULL), 0);
	if (status != 303)
		fail_msg("POST %s %s: %ld", path, body.data, status);
	buf_release(&body);
	return status;
}

static void
staff_get(struct gen *g, struct staff *s, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&g->srv, "GET", path, NULL,
	                 s->cookie.data, &status, NULL, page), 0);
	if (status != 200)
		fail_msg("GET %s as %s: %ld", path, s->name, status);
}

/* Submit a report form; its receipt into out. */
static void
submit(struct gen *g, const char *path, const struct test_part *parts,
       size_t n, char out[32])
{
	struct buf body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http_multipart(&g->srv, path, parts, n, NULL,
	                 &status, &body), 0);
	assert_int_equal(status, 200);
	test_text_after(body.data, "id=\"receipt\">", "<", out, 32);
	buf_release(&body);
}

/* The reporter answers on the status page, with a file or none. */
static void
reporter_reply(struct gen *g, const char *receipt, const char *message,
               const char *file_name, const char *file)
{
	struct test_part parts[] = {
		{ "receipt", receipt, 0, NULL, NULL },
		{ "message", message, 0, NULL, NULL },
		{ "files", file, 0, file_name, "application/octet-stream" },
	};
	struct buf body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http_multipart(&g->srv, "/status/antwoord", parts,
	                 file ? 3 : 2, NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, message));
	buf_release(&body);
}

/*
 * One expectation of the manifest: key = text, after checking that page
 * holds text.
 */
static void
expect(struct gen *g, const struct buf *page, const char *key,
       const char *text)
{
	/* A report named {#N} is shown by its case number (testutil.h). */
	if (!strstr(page->data, test_cases(g->srv.dir, text)))
		fail_msg("the page does not show \"%s\" (for %s)", text, key);
	buf_addf(&g->manifest, "%s = %s\n", key, text);
}

/*
 * A report of the manifest: what its reporter (status page, with the
 * receipt) and its handler (the case page) must see, each checked now.
 */
static void
report_manifest(struct gen *g, int id, const char *type, const char *identity,
                const char *receipt, struct staff *handler,
                const char *const *reporter_sees, const char *const *handler_sees)
{
	struct buf page = BUF_INIT, req = BUF_INIT, path = BUF_INIT;
	long status = 0;
	size_t i;

	buf_addf(&g->manifest, "\n[report %d]\ntype = %s\nidentity = %s\n"
	         "receipt = %s\nhandler = %s\n", id, type, identity, receipt,
	         handler->name);
	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&g->srv, "POST", "/status", req.data, &status,
	                           NULL, &page), 0);
	assert_int_equal(status, 200);
	for (i = 0; reporter_sees[i]; i++)
		expect(g, &page, "reporter", reporter_sees[i]);
	buf_addf(&path, "/beheer/melding?id={#%d}", id);
	staff_get(g, handler, path.data, &page);
	for (i = 0; handler_sees[i]; i++)
		expect(g, &page, "sees", handler_sees[i]);
	buf_release(&page);
	buf_release(&req);
	buf_release(&path);
}

/*
 * The attachments of report id, as its handler's case page links them:
 * each downloaded, its bytes checked against want[] (in the order of the
 * page), kept under files/ and named in the manifest with its number.
 */
static void
files_manifest(struct gen *g, int id, struct staff *handler,
               const char *const *want, const size_t *len)
{
	struct buf page = BUF_INIT, link = BUF_INIT, path = BUF_INIT;
	struct buf body = BUF_INIT, name = BUF_INIT;
	const char *p;
	size_t i;

	buf_addf(&path, "/beheer/melding?id={#%d}", id);
	staff_get(g, handler, path.data, &page);
	buf_reset(&path);
	buf_addf(&path, "/beheer/melding/bestand?id={#%d}&amp;bestand=", id);
	buf_adds(&link, test_cases(g->srv.dir, path.data));
	p = page.data;
	for (i = 0; want[i]; i++) {
		long status = 0, n;
		char *end;

		p = strstr(p, link.data);
		assert_non_null(p);
		p += link.len;
		n = strtol(p, &end, 10);
		assert_true(end > p && n > 0);
		buf_reset(&path);
		buf_reset(&body);
		buf_reset(&name);
		buf_addf(&path, "/beheer/melding/bestand?id={#%d}&bestand=%ld", id,
		         n);
		assert_int_equal(test_http_cookie(&g->srv, "GET", path.data, NULL,
		                 handler->cookie.data, &status, NULL, &body), 0);
		assert_int_equal(status, 200);
		assert_int_equal(body.len, len[i]);
		assert_memory_equal(body.data, want[i], len[i]);
		buf_addf(&name, "files/report%d-file%ld.bin", id, n);
		write_out(name.data, body.data, body.len);
		buf_addf(&g->manifest, "file = %ld %s\n", n, name.data);
	}
	assert_null(strstr(p, link.data));
	buf_release(&page);
	buf_release(&link);
	buf_release(&path);
	buf_release(&body);
	buf_release(&name);
}

/* A page a staff member must find again, with texts it must hold. */
static void
page_manifest(struct gen *g, const char *label, struct staff *s,
              const char *path, const char *const *has)
{
	struct buf page = BUF_INIT;
	size_t i;

	staff_get(g, s, path, &page);
	buf_addf(&g->manifest, "\n[page %s]\nuser = %s\npath = %s\n", label,
	         s->name, path);
	for (i = 0; has[i]; i++)
		expect(g, &page, "has", has[i]);
	buf_release(&page);
}

/* An export as s sees it, saved as figures/name: the same bytes later. */
static void
export_manifest(struct gen *g, const char *name, struct staff *s,
                const char *path)
{
	struct buf page = BUF_INIT, file = BUF_INIT;

	staff_get(g, s, path, &page);
	assert_true(page.len > 0);
	buf_addf(&file, "figures/%s", name);
	write_out(file.data, page.data, page.len);
	buf_addf(&g->manifest, "\n[export %s]\nuser = %s\npath = %s\nfile = %s\n",
	         name, s->name, path, file.data);
	buf_release(&page);
	buf_release(&file);
}

static const char photo[] = "\x89PNG\r\n\x1a\nfixture: geen echte foto";
static const char letter[] = "%PDF-1.4\nfixture: geen echte brief\n";
static const char reply_file[] = "fixture: foto van het busje";
static const char invoice[] = "%PDF-1.4\nfixture: geen echte factuur\n";

static void
make_reports(struct gen *g, char receipts[5][32])
{
	const struct test_part signal_named[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Dorpsstraat 12 Purmerend", 0, NULL, NULL },
		{ "observation", "Hennepgeur en afgeplakte ramen.", 0, NULL, NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", "Karin Visser", 0, NULL, NULL },
		{ "reporter_email", "k.visser@example.nl", 0, NULL, NULL },
		{ "files", photo, sizeof(photo) - 1, "pand.png", "image/png" },
	};
	const struct test_part signal_anonymous[] = {
		{ "phenomenon", "real_estate", 0, NULL, NULL },
		{ "location", "Havenweg 3 Edam", 0, NULL, NULL },
		{ "observation", "Pand wisselt ieder kwartaal van huurder.", 0, NULL,
		  NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	const struct test_part incident_file[] = {
		{ "date", g->today, 0, NULL, NULL },
		{ "time", "10:15", 0, NULL, NULL },
		{ "place", "counter", 0, NULL, NULL },
		{ "kind", "verbal", 0, NULL, NULL },
		{ "kind", "threat", 0, NULL, NULL },
		{ "victim_role", "employee", 0, NULL, NULL },
		{ "department", "Burgerzaken", 0, NULL, NULL },
		{ "reported_by", "victim", 0, NULL, NULL },
		{ "perpetrator_known", "yes", 0, NULL, NULL },
		{ "perpetrator", "Vaste klant van de balie", 0, NULL, NULL },
		{ "description", "Klant schreeuwde en dreigde terug te komen.", 0,
		  NULL, NULL },
		{ "police", "aangifte", 0, NULL, NULL },
		{ "aftercare", "yes", 0, NULL, NULL },
		{ "reporter_name", "Sanne de Boer", 0, NULL, NULL },
		{ "reporter_email", "s.deboer@gemeente.example", 0, NULL, NULL },
		{ "files", letter, sizeof(letter) - 1, "brief.pdf",
		  "application/pdf" },
	};
	const struct test_part incident_plain[] = {
		{ "date", g->today, 0, NULL, NULL },
		{ "place", "public_space", 0, NULL, NULL },
		{ "kind", "intimidation", 0, NULL, NULL },
		{ "victim_role", "alderman", 0, NULL, NULL },
		{ "reported_by", "on_behalf", 0, NULL, NULL },
		{ "perpetrator_known", "no", 0, NULL, NULL },
		{ "description", "Wethouder op de markt nagelopen en uitgescholden.",
		  0, NULL, NULL },
		{ "police", "none", 0, NULL, NULL },
		{ "aftercare", "no", 0, NULL, NULL },
		{ "reporter_name", "Ahmed Yilmaz", 0, NULL, NULL },
	};
	const struct test_part integrity_named[] = {
		{ "kind", "conflict_of_interest", 0, NULL, NULL },
		{ "what", "Inkoper gunt opdrachten aan het bedrijf van zijn zwager.",
		  0, NULL, NULL },
		{ "involved", "Inkoper van de afdeling Facilitair", 0, NULL, NULL },
		{ "when", "Sinds het voorjaar", 0, NULL, NULL },
		{ "where", "Afdeling Facilitair", 0, NULL, NULL },
		{ "knowledge", "documents", 0, NULL, NULL },
		{ "knowledge_details", "Facturen zonder offerteronde.", 0, NULL,
		  NULL },
		{ "reported_before", "yes", 0, NULL, NULL },
		{ "reported_where", "Bij de leidinggevende", 0, NULL, NULL },
		{ "filed_by", "self", 0, NULL, NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", "Els Bakker", 0, NULL, NULL },
		{ "reporter_email", "e.bakker@gemeente.example", 0, NULL, NULL },
		{ "contact", "email", 0, NULL, NULL },
		{ "files", invoice, sizeof(invoice) - 1, "factuur.pdf",
		  "application/pdf" },
	};

	submit(g, "/melden/signaal", signal_named,
	       sizeof(signal_named) / sizeof(signal_named[0]), receipts[0]);
	submit(g, "/melden/signaal", signal_anonymous,
	       sizeof(signal_anonymous) / sizeof(signal_anonymous[0]),
	       receipts[1]);
	submit(g, "/melden/agressie", incident_file,
	       sizeof(incident_file) / sizeof(incident_file[0]), receipts[2]);
	submit(g, "/melden/agressie", incident_plain,
	       sizeof(incident_plain) / sizeof(incident_plain[0]), receipts[3]);
	submit(g, "/melden/integriteit", integrity_named,
	       sizeof(integrity_named) / sizeof(integrity_named[0]),
	       receipts[4]);
}

#define T "/beheer/melding/overgang"

/* The coordinator works both signals; report 1 goes through a meeting. */
static void
work_signals(struct gen *g, char receipts[5][32])
{
	struct staff *c = &g->coord;

	staff_post(g, c, T, "id={#1}&transition=start_intake&expect_state=received"
	           "&message=Wij hebben uw melding ontvangen.");
	reporter_reply(g, receipts[0], "Er staat nu ook een busje voor de deur.",
	               NULL, NULL);
	staff_post(g, c, "/beheer/melding/notitie",
	           "id={#1}&note=Zelfde pand als vorig jaar, zie dossier.");
	/* The weging recorded (issue 17 point 6): each with its data. */
	staff_post(g, c, T, "id={#1}&transition=undermining&expect_state=weging_1"
	           "&undermining_motivation=Hennepteelt in een woning");
	staff_post(g, c, T, "id={#1}&transition=municipal_task"
	           "&expect_state=weging_2a&municipal_task=Handhaving"
	           "&municipal_task_motivation=Opiumwet artikel 13b");
	staff_post(g, c, T, "id={#1}&transition=our_territory"
	           "&expect_state=weging_2b"
	           "&territory_motivation=De woning staat in de gemeente");
	staff_post(g, c, T, "id={#1}&transition=seriousness&expect_state=weging_3"
	           "&seriousness=3&seriousness_motivation=Twee melders, busje");
	staff_post(g, c, T, "id={#1}&transition=to_meeting&expect_state=decision"
	           "&reason=Samen met de partners bespreken");
	staff_post(g, c, "/beheer/overleg/nieuw", "held_on=%s&title=Fixtureoverleg",
	           g->today);
	staff_post(g, c, "/beheer/overleg/agenda-toevoegen", "id=1&report={#1}");
	staff_post(g, c, "/beheer/overleg/vastleggen", "id=1&report={#1}"
	           "&enrichment=Pand staat op naam van een BV"
	           "&decision=Doorzetten naar de RIEC-tafel&next=to_riec");
	staff_post(g, c, "/beheer/overleg/aanwezig", "id=1&attendee=coord");
	staff_post(g, c, "/beheer/overleg/actiepunt", "id=1&owner=Team "
	           "Vergunningen&action=Eigenaar van de BV natrekken&due_on=%s",
	           g->today);
	staff_post(g, c, "/beheer/overleg/sluiten", "id=1");
	/* The hand-off package for the RIEC (issue 19), made and recorded;
	 * its passphrase page answers 200 and the package is not kept. */
	{
		struct buf body = BUF_INIT;
		long status = 0;

		buf_addf(&body, "csrf=%s&id={#1}&partner=riec&taal=nl"
		         "&antwoord=location&antwoord=observation&stappen=1"
		         "&begeleiding=Zie het besluit van het overleg.",
		         c->csrf.data);
		assert_int_equal(test_http_cookie(&g->srv, "POST",
		                 "/beheer/melding/overdracht", body.data,
		                 c->cookie.data, &status, NULL, NULL), 0);
		if (status != 200)
			fail_msg("hand-off: %ld", status);
		buf_release(&body);
	}
	staff_post(g, c, T, "id={#1}&transition=to_riec&expect_state=meeting"
	           "&riec_reference=RIEC-FIX-0017"
	           "&reason=Besluit van het signalenoverleg");
	staff_post(g, c, T, "id={#1}&transition=close&expect_state=riec"
	           "&message=Dank u wel, wij hebben er werk van gemaakt.");
	/* Closed, and kept: a final state without a hold is purged in time. */
	staff_post(g, c, "/beheer/melding/blokkade",
	           "id={#1}&hold=on&reason=Lopende rechtszaak");

	staff_post(g, c, T, "id={#2}&transition=start_intake&expect_state=received"
	           "&message=Dank voor uw melding, wij kijken ernaar.");
	reporter_reply(g, receipts[1], "Ik heb een foto van het busje.",
	               "busje.jpg", reply_file);
	staff_post(g, c, T, "id={#2}&transition=undermining&expect_state=weging_1"
	           "&undermining_motivation=Busje bij een bekend pand");
	staff_post(g, c, "/beheer/melding/notitie",
	           "id={#2}&note=Navragen bij de afdeling vergunningen.");
	staff_post(g, c, "/beheer/melding/toewijzen", "id={#2}&assignee=coord");
	staff_post(g, c, "/beheer/melding/koppelen", "id={#2}&other={#1}");
	staff_post(g, c, "/beheer/melding/bericht",
	           "id={#2}&message=Wilt u laten weten wanneer u het busje zag?");
}

/* Aftercare started, and both of its contacts made (their deadlines met). */
static void
aftercare(struct gen *g, struct staff *v, int id)
{
	staff_post(g, v, T, "id={#%d}&transition=start_aftercare&expect_state=care",
	           id);
	staff_post(g, v, T, "id={#%d}&transition=aftercare_2_weeks"
	           "&expect_state=aftercare", id);
	staff_post(g, v, T, "id={#%d}&transition=aftercare_6_8_weeks"
	           "&expect_state=aftercare", id);
}

/*
 * The step of report id that the case page's form to action (a
 * correction or an undo) names, the first whose transition is name (NULL:
 * any). Asserted found.
 */
static long
form_step(struct gen *g, struct staff *s, int id, const char *action,
          const char *name)
{
	struct buf page = BUF_INIT, path = BUF_INIT, want = BUF_INIT;
	const char *p;
	char num[24];
	long step = 0;

	buf_addf(&path, "/beheer/melding?id={#%d}", id);
	staff_get(g, s, path.data, &page);
	buf_addf(&want, "action=\"%s\"", action);
	for (p = page.data; (p = strstr(p, want.data)) != NULL; p++) {
		const char *end = strstr(p, "</form>");
		static const char mark[] = "name=\"transition\" value=\"";
		const char *t = strstr(p, mark);

		if (name && (!t || t > end ||
		    strncmp(t + strlen(mark), name, strlen(name)) != 0 ||
		    t[strlen(mark) + strlen(name)] != '"'))
			continue;
		test_text_after(p, "name=\"step\" value=\"", "\"", num,
		                sizeof(num));
		step = strtol(num, NULL, 10);
		break;
	}
	if (step < 1)
		fail_msg("no %s form on report %d", action, id);
	buf_release(&page);
	buf_release(&path);
	buf_release(&want);
	return step;
}

/*
 * The VPT coordinator works both incidents, meeting every deadline
 * (first care, police, aftercare at 2 and at 6 to 8 weeks) now; corrects
 * the damages of one (since schema 25) and undoes and takes again the
 * last aftercare contact of the other.
 */
static void
work_incidents(struct gen *g, char receipts[5][32])
{
	struct staff *v = &g->vpt;

	staff_post(g, v, T, "id={#3}&transition=first_care_talk"
	           "&expect_state=registered");
	staff_post(g, v, T, "id={#3}&transition=police_report&expect_state=care"
	           "&police_reference=PV-FIX-2042");
	aftercare(g, v, 3);
	staff_post(g, v, T, "id={#3}&transition=damages&expect_state=aftercare"
	           "&damage_amount=250&recovered_amount=100");
	staff_post(g, v, "/beheer/melding/correctie", "id={#3}&step=%ld"
	           "&transition=damages&damage_amount=250&recovered_amount=80",
	           form_step(g, v, 3, "/beheer/melding/correctie", "damages"));
	staff_post(g, v, T, "id={#3}&transition=measure&expect_state=aftercare"
	           "&measure=Gebouwverbod van drie maanden");
	staff_post(g, v, "/beheer/melding/notitie",
	           "id={#3}&note=Collega is weer aan het werk.");
	staff_post(g, v, "/beheer/melding/bericht",
	           "id={#3}&message=Hoe gaat het nu met u?");
	reporter_reply(g, receipts[2], "Het gaat beter, dank voor het vragen.",
	               NULL, NULL);

	staff_post(g, v, T, "id={#4}&transition=care_declined"
	           "&expect_state=registered");
	staff_post(g, v, T, "id={#4}&transition=no_police&expect_state=care"
	           "&reason=Melder wil geen aangifte");
	aftercare(g, v, 4);
	staff_post(g, v, "/beheer/melding/ongedaan", "id={#4}&step=%ld"
	           "&reason=Dubbel vastgelegd",
	           form_step(g, v, 4, "/beheer/melding/ongedaan", NULL));
	staff_post(g, v, T, "id={#4}&transition=aftercare_6_8_weeks"
	           "&expect_state=aftercare");
	staff_post(g, v, "/beheer/melding/toewijzen", "id={#4}&assignee=vpt1");
}

/*
 * The integrity coordinator acknowledges the integrity report (within 7
 * days), finds it admissible and tells the reporter the investigation
 * takes longer (the feedback term met); a note and a message both ways.
 */
static void
work_integrity(struct gen *g, char receipts[5][32])
{
	struct staff *i = &g->integ;

	staff_post(g, i, T, "id={#5}&transition=acknowledge&expect_state=received"
	           "&message=Wij hebben uw melding ontvangen en nemen haar in "
	           "behandeling.");
	staff_post(g, i, T, "id={#5}&transition=admissible&expect_state=assessment"
	           "&investigator=Extern onderzoeksbureau"
	           "&reason=Vermoeden van belangenverstrengeling");
	staff_post(g, i, "/beheer/melding/notitie",
	           "id={#5}&note=Offertes over drie jaar opvragen.");
	staff_post(g, i, "/beheer/melding/bericht",
	           "id={#5}&message=Heeft u kopieen van de facturen?");
	reporter_reply(g, receipts[4], "Ja, ik stuur ze via de post.", NULL,
	               NULL);
	staff_post(g, i, T, "id={#5}&transition=longer&expect_state=investigation"
	           "&reason=Het onderzoek loopt nog"
	           "&message=Het onderzoek duurt langer dan drie maanden.");
}

/* POST the reporter's form body to path; asserted 200 with done on it. */
static void
reporter_post(struct gen *g, const char *path, const char *body,
              const char *done)
{
	struct buf page = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&g->srv, "POST", path, body, &status, NULL,
	                           &page), 0);
	if (status != 200 || !strstr(page.data, done))
		fail_msg("POST %s: %ld", path, status);
	buf_release(&page);
}

/* The version of the record the status page of receipt offers. */
static void
record_version(struct gen *g, const char *receipt, struct buf *version)
{
	struct buf page = BUF_INIT, req = BUF_INIT;
	long status = 0;

	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&g->srv, "POST", "/status", req.data, &status,
	                           NULL, &page), 0);
	assert_int_equal(status, 200);
	buf_reset(version);
	assert_int_equal(test_input_value(&page, "version", version), 0);
	buf_release(&page);
	buf_release(&req);
}

/*
 * An oral integrity report (report 6, since schema 30): the confidential
 * adviser records a conversation and keeps the receipt; the reporter
 * corrects the record, then approves it; the integrity coordinator
 * acknowledges the report and tells the reporter the follow-up takes
 * longer, which meets both of its deadlines.
 */
static void
oral_report(struct gen *g)
{
	struct test_part parts[] = {
		{ "csrf", g->adviser.csrf.data, 0, NULL, NULL },
		{ "way", "staff", 0, NULL, NULL },
		{ "kind", "misuse_of_resources", 0, NULL, NULL },
		{ "what", "De dienstauto wordt privé gebruikt.", 0, NULL, NULL },
		{ "when", "Sinds de zomer", 0, NULL, NULL },
		{ "knowledge", "own_observation", 0, NULL, NULL },
		{ "reported_before", "no", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
		{ "record", ORAL_RECORD, 0, NULL, NULL },
	};
	struct buf page = BUF_INIT, cookie = BUF_INIT, body = BUF_INIT;
	struct buf version = BUF_INIT;
	long status = 0;

	buf_addf(&cookie, "Cookie: %s", g->adviser.cookie.data);
	assert_int_equal(test_http_multipart(&g->srv, "/beheer/mondeling/"
	                 "integriteit", parts, sizeof(parts) / sizeof(parts[0]),
	                 cookie.data, &status, &page), 0);
	assert_int_equal(status, 200);
	test_text_after(page.data, "id=\"receipt\">", "<", g->oral_receipt,
	                sizeof(g->oral_receipt));
	record_version(g, g->oral_receipt, &version);
	buf_addf(&body, "receipt=%s&version=%s&record=%s", g->oral_receipt,
	         version.data, ORAL_CORRECTED);
	reporter_post(g, "/status/verslag-verbeteren", body.data,
	              "Uw verbetering van het verslag is opgeslagen.");
	record_version(g, g->oral_receipt, &version);
	buf_reset(&body);
	buf_addf(&body, "receipt=%s&version=%s", g->oral_receipt, version.data);
	reporter_post(g, "/status/verslag-akkoord", body.data,
	              "U heeft het verslag goedgekeurd.");
	staff_post(g, &g->integ, T, "id={#6}&transition=acknowledge"
	           "&expect_state=received&message=Wij hebben uw melding"
	           " ontvangen.");
	staff_post(g, &g->integ, T, "id={#6}&transition=longer"
	           "&expect_state=assessment&reason=Onderzoek door extern bureau"
	           "&message=De afhandeling duurt langer dan drie maanden.");
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&body);
	buf_release(&version);
}

static void
save_norm(struct gen *g)
{
	staff_post(g, &g->coord, "/beheer/norm/onderdeel", "jaar=%s&onderdeel=4.3"
	           "&status=meets&explanation=Meldpunt voor signalen ingericht"
	           "&evidence=Fixture", g->year);
	staff_post(g, &g->coord, "/beheer/norm/onderdeel", "jaar=%s&onderdeel=3.7"
	           "&status=partly&explanation=Registratie loopt, analyse nog niet"
	           "&evidence=", g->year);
}

/* What everyone must find again, checked now and written down. */
static void
write_manifest(struct gen *g, char receipts[5][32])
{
	static const char *const r1_reporter[] = {
		"Afgesloten", "Wij hebben uw melding ontvangen.",
		"Er staat nu ook een busje voor de deur.",
		"Dank u wel, wij hebben er werk van gemaakt.", NULL,
	};
	static const char *const r1_handler[] = {
		"Dorpsstraat 12 Purmerend", "Hennepgeur en afgeplakte ramen.",
		"k.visser@example.nl", "Karin Visser", "pand.png",
		"Wij hebben uw melding ontvangen.",
		"Er staat nu ook een busje voor de deur.",
		"Dank u wel, wij hebben er werk van gemaakt.",
		"Zelfde pand als vorig jaar, zie dossier.", "RIEC-FIX-0017",
		"href=\"/beheer/melding?id={#2}\"", "een juridische blokkade",
		"coord: Intake starten", "coord: Weging 1: het is ondermijning",
		"coord: Weging 2A: er is een gemeentelijke taak",
		"coord: Weging 2B: het speelt op ons grondgebied",
		"coord: Besluit: agenderen voor het signalenoverleg",
		"Signalenoverleg van ",
		"coord: Besluit: overdragen aan de ondermijningstafel (RIEC)",
		"coord: Overdrachtspakket gemaakt voor <span translate=\"no\">"
		"RIEC Noord-Holland</span>",
		"location observation", "coord: Afsluiten", NULL,
	};
	static const char *const r2_reporter[] = {
		"In behandeling",
		"Dank voor uw melding, wij kijken ernaar.",
		"Ik heb een foto van het busje.",
		"Wilt u laten weten wanneer u het busje zag?", NULL,
	};
	static const char *const r2_handler[] = {
		"Havenweg 3 Edam", "Pand wisselt ieder kwartaal van huurder.",
		"Dank voor uw melding, wij kijken ernaar.",
		"Ik heb een foto van het busje.", "busje.jpg",
		"Wilt u laten weten wanneer u het busje zag?",
		"Navragen bij de afdeling vergunningen.", "<dd>coord</dd>",
		"href=\"/beheer/melding?id={#1}\"", "coord: Intake starten",
		"coord: Weging 1: het is ondermijning", NULL,
	};
	static const char *const r3_reporter[] = {
		"In behandeling",
		"Hoe gaat het nu met u?", "Het gaat beter, dank voor het vragen.",
		NULL,
	};
	static const char *const r3_handler[] = {
		"Klant schreeuwde en dreigde terug te komen.",
		"Vaste klant van de balie", "Sanne de Boer",
		"s.deboer@gemeente.example", "brief.pdf", "PV-FIX-2042",
		"Gebouwverbod van drie maanden", "Collega is weer aan het werk.",
		"Hoe gaat het nu met u?", "Het gaat beter, dank voor het vragen.",
		"vpt1: Opvanggesprek gevoerd", "vpt1: Aangifte gedaan",
		"vpt1: Nazorg starten", "vpt1: Nazorgcontact na ongeveer 2 weken",
		"vpt1: Nazorgcontact na 6 tot 8 weken",
		"vpt1: Schade verhaald op de dader",
		"vpt1: Maatregel tegen de dader genomen",
		"Gecorrigeerd door vpt1: Schade verhaald op de dader",
		"Verhaald bedrag (euro) was 100.00, is 80.00", NULL,
	};
	static const char *const r4_reporter[] = { "In behandeling", NULL };
	static const char *const r4_handler[] = {
		"Wethouder op de markt nagelopen en uitgescholden.", "Ahmed Yilmaz",
		"Melder wil geen aangifte", "<dd>vpt1</dd>",
		"vpt1: Opvang aangeboden, niet gewenst",
		"vpt1: Geen aangifte of melding", "vpt1: Nazorg starten",
		"vpt1: Nazorgcontact na ongeveer 2 weken",
		"vpt1: Nazorgcontact na 6 tot 8 weken",
		"Ongedaan gemaakt door vpt1: Nazorgcontact na 6 tot 8 weken",
		"Reden: Dubbel vastgelegd", NULL,
	};
	static const char *const r5_reporter[] = {
		"In onderzoek",
		"Wij hebben uw melding ontvangen en nemen haar in behandeling.",
		"Heeft u kopieen van de facturen?", "Ja, ik stuur ze via de post.",
		"Het onderzoek duurt langer dan drie maanden.", NULL,
	};
	static const char *const r5_handler[] = {
		"Inkoper gunt opdrachten aan het bedrijf van zijn zwager.",
		"Inkoper van de afdeling Facilitair", "Facturen zonder offerteronde.",
		"Bij de leidinggevende", "Els Bakker", "e.bakker@gemeente.example",
		"factuur.pdf", "Extern onderzoeksbureau",
		"Offertes over drie jaar opvragen.",
		"Heeft u kopieen van de facturen?", "Ja, ik stuur ze via de post.",
		"integ: Ontvangst bevestigen",
		"integ: Beoordeling: ontvankelijk, onderzoek starten",
		"integ: De melder laten weten dat de afhandeling langer duurt",
		"Het onderzoek loopt nog", NULL,
	};
	static const char *const meeting[] = {
		"Fixtureoverleg", "Pand staat op naam van een BV",
		"Doorzetten naar de RIEC-tafel", "Gesloten op ", "<li>coord</li>",
		"Team Vergunningen", "Eigenaar van de BV natrekken", NULL,
	};
	static const char *const r6_reporter[] = {
		"Verslag van uw mondelinge melding", ORAL_CORRECTED,
		"U heeft dit verslag goedgekeurd op",
		"Wij hebben uw melding ontvangen.",
		"De afhandeling duurt langer dan drie maanden.", NULL,
	};
	static const char *const r6_handler[] = {
		"De dienstauto wordt privé gebruikt.", ORAL_RECORD, ORAL_CORRECTED,
		"data-state=\"approved\"", "conf1 legde het gesprek vast",
		"De melder verbeterde het verslag",
		"De melder keurde het verslag goed",
		"integ: Ontvangst bevestigen", NULL,
	};
	static const char *const norm_43[] = {
		"Meldpunt voor signalen ingericht", NULL,
	};
	static const char *const norm_37[] = {
		"Registratie loopt, analyse nog niet", NULL,
	};
	static const char *const incident_tables[] = {
		"incidents", "kind", "victim_role", "place", "department", "police",
		"incident_month", NULL,
	};
	static const char *const signal_tables[] = {
		"signals", "phenomenon", "source", "identity", "outcome",
		"signal_month", NULL,
	};
	static const char *const norm_tables[] = {
		"summary", "items", "figures", NULL,
	};
	struct buf path = BUF_INIT, name = BUF_INIT;
	size_t i;

	static const char *const r1_files[] = { photo, NULL };
	static const char *const r2_files[] = { reply_file, NULL };
	static const char *const r3_files[] = { letter, NULL };
	static const size_t r1_len[] = { sizeof(photo) - 1 };
	static const size_t r2_len[] = { sizeof(reply_file) - 1 };
	static const size_t r3_len[] = { sizeof(letter) - 1 };
	static const char *const r5_files[] = { invoice, NULL };
	static const size_t r5_len[] = { sizeof(invoice) - 1 };
	report_manifest(g, 1, "signal", "named", receipts[0], &g->coord,
	                r1_reporter, r1_handler);
	files_manifest(g, 1, &g->coord, r1_files, r1_len);
	report_manifest(g, 2, "signal", "anonymous", receipts[1], &g->coord,
	                r2_reporter, r2_handler);
	files_manifest(g, 2, &g->coord, r2_files, r2_len);
	report_manifest(g, 3, "incident", "named", receipts[2], &g->vpt,
	                r3_reporter, r3_handler);
	files_manifest(g, 3, &g->vpt, r3_files, r3_len);
	report_manifest(g, 4, "incident", "named", receipts[3], &g->vpt,
	                r4_reporter, r4_handler);
	report_manifest(g, 5, "integrity", "named", receipts[4], &g->integ,
	                r5_reporter, r5_handler);
	files_manifest(g, 5, &g->integ, r5_files, r5_len);
	report_manifest(g, 6, "integrity", "anonymous", g->oral_receipt,
	                &g->integ, r6_reporter, r6_handler);

	page_manifest(g, "meeting", &g->coord, "/beheer/overleg/verslag?id=1",
	              meeting);
	buf_addf(&path, "/beheer/norm/onderdeel?jaar=%s&onderdeel=4.3", g->year);
	page_manifest(g, "norm-4.3", &g->coord, path.data, norm_43);
	buf_reset(&path);
	buf_addf(&path, "/beheer/norm/onderdeel?jaar=%s&onderdeel=3.7", g->year);
	page_manifest(g, "norm-3.7", &g->coord, path.data, norm_37);

	/* The figures of the year, as each role exports them. */
	for (i = 0; incident_tables[i]; i++) {
		buf_reset(&path);
		buf_reset(&name);
		buf_addf(&path, "/beheer/statistiek.csv?table=%s&periode=jaar"
		         "&waarde=%s", incident_tables[i], g->year);
		buf_addf(&name, "stats-%s-%s.csv", g->year, incident_tables[i]);
		export_manifest(g, name.data, &g->vpt, path.data);
	}
	for (i = 0; signal_tables[i]; i++) {
		buf_reset(&path);
		buf_reset(&name);
		buf_addf(&path, "/beheer/statistiek.csv?table=%s&periode=jaar"
		         "&waarde=%s", signal_tables[i], g->year);
		buf_addf(&name, "stats-%s-%s.csv", g->year, signal_tables[i]);
		export_manifest(g, name.data, &g->coord, path.data);
	}
	buf_reset(&path);
	buf_reset(&name);
	buf_addf(&path, "/beheer/statistiek.json?periode=jaar&waarde=%s", g->year);
	buf_addf(&name, "stats-%s-incidents.json", g->year);
	export_manifest(g, name.data, &g->vpt, path.data);
	buf_reset(&name);
	buf_addf(&name, "stats-%s-signals.json", g->year);
	export_manifest(g, name.data, &g->coord, path.data);
	buf_reset(&path);
	buf_reset(&name);
	buf_addf(&path, "/beheer/norm/jaarverslag.json?jaar=%s", g->year);
	buf_addf(&name, "norm-%s.json", g->year);
	export_manifest(g, name.data, &g->coord, path.data);
	for (i = 0; norm_tables[i]; i++) {
		buf_reset(&path);
		buf_reset(&name);
		buf_addf(&path, "/beheer/norm/jaarverslag.csv?jaar=%s&tabel=%s",
		         g->year, norm_tables[i]);
		buf_addf(&name, "norm-%s-%s.csv", g->year, norm_tables[i]);
		export_manifest(g, name.data, &g->coord, path.data);
	}
	buf_release(&path);
	buf_release(&name);
}

/* The WAL copied into the database file, so the file alone is the state. */
static void
checkpoint(const char *dir)
{
	struct buf path = BUF_INIT, wal = BUF_INIT;
	sqlite3 *conn;
	struct stat st;

	buf_addf(&path, "%s/meldpunt.db", dir);
	assert_int_equal(sqlite3_open(path.data, &conn), SQLITE_OK);
	assert_int_equal(sqlite3_exec(conn, "PRAGMA wal_checkpoint(TRUNCATE)",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	buf_addf(&wal, "%s-wal", path.data);
	if (stat(wal.data, &st) == 0)
		assert_int_equal(st.st_size, 0);
	buf_release(&path);
	buf_release(&wal);
}

/* A failed run leaves no server behind. */
static int
stop_server(void **state)
{
	struct gen *g = *state;

	if (g->srv.pid)
		test_server_stop(&g->srv);
	return 0;
}

static void
make_fixture(void **state)
{
	struct gen *g = *state;
	struct installation *inst;
	struct buf out = BUF_INIT, err = BUF_INIT, dirpath = BUF_INIT;
	const char *verify[] = { "--data", NULL, "audit-verify", NULL };
	char receipts[5][32];

	buf_init(&g->manifest);
	clock_format_day(time(NULL), g->today);
	memcpy(g->year, g->today, 4);
	g->dir = test_tmpdir("fixture");
	test_init(g->dir, &g->init);

	assert_int_equal(install_open(g->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "integ", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "conf1", "", ROLE_CONFIDANT,
	                 CONF_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(g->dir, g->init.recovery, KEYRING_SIGNALS, "coord");
	test_grant(g->dir, g->init.recovery, KEYRING_STATISTICS, "coord");
	test_grant(g->dir, g->init.recovery, KEYRING_INCIDENTS, "vpt1");
	test_grant(g->dir, g->init.recovery, KEYRING_STATISTICS, "vpt1");
	test_grant(g->dir, g->init.recovery, "integriteit", "integ");

	buf_addf(&dirpath, "%s/meldpunt.conf", g->dir);
	g->conf = buf_detach(&dirpath, NULL);
	write_file(g->conf, CONFIG, strlen(CONFIG));
	assert_int_equal(test_server_start_config(&g->srv, g->dir, g->conf), 0);

	buf_addf(&g->manifest, "; manifest.ini - what test_upgrade opens and "
	         "checks in this fixture\n; (made by tests/make_fixture.c; "
	         "test credentials, in plain text on purpose).\n\n"
	         "[fixture]\nprogram = %s\nschema = %d\nmade_on = %s\n"
	         "year = %s\nrecovery = %s\nconfig = meldpunt.conf\n"
	         "\n[user admin]\n; never logged in: its one-time password\n"
	         "password = %s\n", MELDPUNT_VERSION, migrate_known_version(),
	         g->today, g->year, g->init.recovery, g->init.password);
	staff_login(g, &g->coord, "coord", COORD_OTP, COORD_PW);
	staff_login(g, &g->vpt, "vpt1", VPT_OTP, VPT_PW);
	staff_login(g, &g->integ, "integ", INTEG_OTP, INTEG_PW);
	staff_login(g, &g->adviser, "conf1", CONF_OTP, CONF_PW);

	make_reports(g, receipts);
	work_signals(g, receipts);
	work_incidents(g, receipts);
	work_integrity(g, receipts);
	oral_report(g);
	save_norm(g);

	if (mkdir(out_dir, 0755) < 0)
		fail_msg("cannot make %s: %s (it must not exist yet)", out_dir,
		         strerror(errno));
	buf_reset(&dirpath);
	buf_addf(&dirpath, "%s/files", out_dir);
	assert_int_equal(mkdir(dirpath.data, 0755), 0);
	buf_reset(&dirpath);
	buf_addf(&dirpath, "%s/figures", out_dir);
	assert_int_equal(mkdir(dirpath.data, 0755), 0);
	write_manifest(g, receipts);
	assert_int_equal(test_server_stop(&g->srv), 0);

	checkpoint(g->dir);
	verify[1] = g->dir;
	assert_int_equal(test_run(&out, &err, verify), 0);
	copy_out(g->dir, "meldpunt.db");
	copy_out(g->dir, "installation.key");
	copy_out(g->dir, "meldpunt.conf");
	write_out("manifest.ini", g->manifest.data, g->manifest.len);
	printf("fixture of schema version %d written to %s\n",
	       migrate_known_version(), out_dir);

	secret_free(g->coord.totp);
	secret_free(g->vpt.totp);
	secret_free(g->integ.totp);
	secret_free(g->adviser.totp);
	buf_release(&g->adviser.cookie);
	buf_release(&g->adviser.csrf);
	buf_release(&g->coord.cookie);
	buf_release(&g->coord.csrf);
	buf_release(&g->vpt.cookie);
	buf_release(&g->vpt.csrf);
	buf_release(&g->integ.cookie);
	buf_release(&g->integ.csrf);
	buf_release(&g->manifest);
	buf_release(&out);
	buf_release(&err);
	test_rmtree(g->dir);
	free(g->dir);
	free(g->conf);
}

int
main(int argc, char **argv)
{
	static struct gen g;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(make_fixture, NULL,
		                                         stop_server, &g),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: MELDPUNT_BIN=build/meldpunt %s OUT-DIR\n",
		        argv[0]);
		return 2;
	}
	out_dir = argv[1];
	return cmocka_run_group_tests_name("make_fixture", tests, NULL, NULL);
}
