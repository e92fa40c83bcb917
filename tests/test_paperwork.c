/*
 * test_paperwork.c - the police information form and the damages claim
 * letter of an incident (issue 19 point 3), over HTTP on 127.0.0.1: the
 * VPT coordinator makes both from the case page and through the API, in
 * Dutch and English; pdftotext reads back the case number, the chosen
 * answers and the way of reporting, the police reference and the amounts
 * of the damages steps; the letter names no victim and repeats nothing
 * of what they wrote; a coordinator without the incidents' keyring, a
 * meeting member, a signal and a bad request are refused; every document
 * made and refused is audited. Also: a broken template stops the check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "install.h"
#include "keyrings.h"
#include "template.h"
#include "testutil.h"
#include "users.h"

#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define MEMBER_OTP "eenmalig-wachtwoord-lid"
#define NEWPW "een heel lang wachtwoord"
#define ORG "Gemeente Zaanstad"

struct fixture {
	char *dir;
	struct test_server srv;
	struct buf cookie, csrf;	/* vpt1 */
	struct secret *totp;
};

static const struct test_part incident[] = {
	{ "date", "2026-03-02", 0, NULL, NULL },
	{ "time", "14:30", 0, NULL, NULL },
	{ "place", "public_space", 0, NULL, NULL },
	{ "kind", "intimidation", 0, NULL, NULL },
	{ "kind", "threat", 0, NULL, NULL },
	{ "victim_role", "alderman", 0, NULL, NULL },
	{ "reported_by", "victim", 0, NULL, NULL },
	{ "perpetrator_known", "yes", 0, NULL, NULL },
	{ "perpetrator", "Jan de Boer, Kerkstraat 4, Zaandam", 0, NULL, NULL },
	{ "description", "Uitgescholden en bedreigd op de weekmarkt.", 0,
	  NULL, NULL },
	{ "injury", "Kapotte bril en een gescheurde jas.", 0, NULL, NULL },
	{ "witnesses", "Marktkoopman P. Smit", 0, NULL, NULL },
	{ "police", "wanted", 0, NULL, NULL },
	{ "aftercare", "no", 0, NULL, NULL },
	{ "reporter_name", "Ahmed Yilmaz", 0, NULL, NULL },
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;
	struct installation *inst;
	struct buf conf = BUF_INIT, path = BUF_INIT;
	FILE *fp;

	f->dir = test_tmpdir("paperwork");
	test_init(f->dir, &ti);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "lid", "", ROLE_OVERLEG,
	                 MEMBER_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, ti.recovery, KEYRING_INCIDENTS, "vpt1");
	test_grant(f->dir, ti.recovery, KEYRING_SIGNALS, "coord");
	buf_addf(&path, "%s/meldpunt.conf", f->dir);
	buf_addf(&conf, "[organisation]\nname = " ORG "\n");
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(conf.data, fp);
	fclose(fp);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);
	buf_release(&conf);
	buf_release(&path);
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	f->totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &f->cookie,
	                           &f->csrf);
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

static long
get(struct fixture *f, const struct buf *cookie, const char *path,
    struct buf *headers, struct buf *body)
{
	long status = 0;

	buf_reset(body);
	if (headers)
		buf_reset(headers);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 cookie->data, &status, headers, body), 0);
	return status;
}

static void
step(struct fixture *f, const char *body)
{
	struct buf b = BUF_INIT, page = BUF_INIT;
	long status = 0;

	buf_addf(&b, "csrf=%s&%s", f->csrf.data, body);
	assert_int_equal(test_http_cookie(&f->srv, "POST",
	                 "/beheer/melding/overgang", b.data, f->cookie.data,
	                 &status, NULL, &page), 0);
	assert_int_equal(status, 303);
	buf_release(&b);
	buf_release(&page);
}

/* The incident, its police step and two damages steps. */
static void
file_incident(struct fixture *f)
{
	struct buf page = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie",
	                 incident, sizeof(incident) / sizeof(incident[0]), NULL,
	                 &status, &page), 0);
	assert_int_equal(status, 200);
	step(f, "id={#1}&transition=first_care_talk&expect_state=registered");
	step(f, "id={#1}&transition=police_notice&expect_state=care"
	     "&police_reference=PL1300-2026-0412");
	step(f, "id={#1}&transition=damages&expect_state=care"
	     "&damage_amount=1.250%2C50&recovered_amount=300");
	step(f, "id={#1}&transition=damages&expect_state=care"
	     "&damage_amount=0&recovered_amount=200");
	buf_release(&page);
}

/* The PDF at path, as vpt1, read back as text into text. */
static void
document_text(struct fixture *f, const char *path, struct buf *text)
{
	struct buf headers = BUF_INIT, pdf = BUF_INIT, value = BUF_INIT;

	assert_int_equal(get(f, &f->cookie, path, &headers, &pdf), 200);
	assert_int_equal(test_header(&headers, "Content-Type", &value), 0);
	assert_string_equal(value.data, "application/pdf");
	buf_reset(&value);
	assert_int_equal(test_header(&headers, "Content-Disposition", &value),
	                 0);
	assert_non_null(strstr(value.data, "attachment; filename=\""));
	assert_memory_equal(pdf.data, "%PDF-", 5);
	buf_reset(text);
	assert_int_equal(test_pdftotext(pdf.data, pdf.len, text), 0);
	buf_release(&headers);
	buf_release(&pdf);
	buf_release(&value);
}

static void
has(const struct buf *text, const char *needle)
{
	if (!strstr(text->data, needle)) {
		fprintf(stderr, "not in the document: '%s'\n%s\n", needle,
		        text->data);
		fail();
	}
}

static void
test_police_form(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT, page = BUF_INIT;

	file_incident(f);
	/* Offered on the case page of an incident. */
	assert_int_equal(get(f, &f->cookie, "/beheer/melding?id={#1}", NULL,
	                     &page), 200);
	has(&page, "action=\"/beheer/melding/document\"");
	has(&page, "value=\"schadeverhaal\"");

	document_text(f, "/beheer/melding/document?id={#1}&document=aangifte"
	              "&taal=nl&wijze=werkgever", &text);
	has(&text, "Informatie voor de aangifte");
	has(&text, ORG);
	has(&text, "Meldingnummer");
	has(&text, test_cases(f->dir, "Melding {#1} · pagina 1"));
	has(&text, "[X] Aangifte door de werkgever");
	has(&text, "[ ] Aangifte op afspraak");
	has(&text, "Ahmed Yilmaz (het slachtoffer heeft zelf gemeld)");
	has(&text, "Wethouder");
	has(&text, "Jan de Boer, Kerkstraat 4, Zaandam");
	has(&text, "Marktkoopman P. Smit");
	has(&text, "Intimidatie");
	has(&text, "Bedreiging");
	has(&text, "Uitgescholden en bedreigd op de weekmarkt.");
	has(&text, "In de openbare ruimte");
	has(&text, "2026-03-02");
	has(&text, "14:30");
	has(&text, "Kapotte bril en een gescheurde jas.");
	has(&text, "PL1300-2026-0412");
	has(&text, "publieke taak (Wethouder)");

	document_text(f, "/beheer/melding/document?id={#1}&document=aangifte"
	              "&taal=en&wijze=afspraak", &text);
	has(&text, "Information for the police report");
	has(&text, "Report number");
	has(&text, test_cases(f->dir, "Report {#1} · page 1"));
	has(&text, "[X] Police report by appointment");
	has(&text, "[ ] Police report by the employer");
	has(&text, "Alderman");
	has(&text, "Intimidation");
	has(&text, "In a public place");
	has(&text, "PL1300-2026-0412");
	has(&text, "Marktkoopman P. Smit");
	buf_release(&text);
	buf_release(&page);
}

static void
test_damages_letter(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT;

	file_incident(f);
	document_text(f, "/beheer/melding/document?id={#1}&document=schadeverhaal"
	              "&taal=nl", &text);
	has(&text, "Verhaal van schade");
	has(&text, "Jan de Boer, Kerkstraat 4, Zaandam");
	has(&text, ORG);
	has(&text, "Ons kenmerk");
	has(&text, "2026-03-02");
	has(&text, "€ 1.250,50");
	has(&text, "€ 500,00");
	has(&text, "€ 750,50");
	has(&text, "het bedrag van € 750,50 binnen veertien dagen");
	has(&text, test_cases(f->dir, "Kenmerk {#1} · pagina 1"));
	/* The perpetrator reads it: no victim, nothing they wrote. */
	assert_null(strstr(text.data, "Ahmed"));
	assert_null(strstr(text.data, "Yilmaz"));
	assert_null(strstr(text.data, "weekmarkt"));
	assert_null(strstr(text.data, "bril"));
	assert_null(strstr(text.data, "Smit"));

	document_text(f, "/beheer/melding/document?id={#1}&document=schadeverhaal"
	              "&taal=en", &text);
	has(&text, "Recovery of damages");
	has(&text, "Our reference");
	has(&text, "€1,250.50");
	has(&text, "€500.00");
	has(&text, "the amount of €750.50 within fourteen days");
	assert_null(strstr(text.data, "Yilmaz"));
	/* Each made document is audited, with the document and language. */
	assert_int_equal(test_count(f->dir, test_cases(f->dir,
	                 "SELECT count(*) FROM audit_log "
	                 "WHERE actor = 'vpt1' AND action = 'document-made' AND "
	                 "object IN ('report {#1}: schadeverhaal nl', "
	                 "'report {#1}: schadeverhaal en')")), 2);
	buf_release(&text);
}

static size_t
collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/* GET path with token as a bearer; the status, the body in body. */
static long
api_get(struct fixture *f, const char *token, const char *path,
        struct buf *body)
{
	struct curl_slist *h = NULL;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	long status = 0;
	CURL *c = curl_easy_init();

	assert_non_null(c);
	buf_addf(&url, "http://127.0.0.1:%u%s", f->srv.port,
	         test_cases(f->dir, path));
	buf_addf(&auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, auth.data);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	buf_reset(body);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	buf_release(&url);
	buf_release(&auth);
	return status;
}

/* The API gives the same documents to a token of the VPT role. */
static void
test_api(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, page = BUF_INIT, text = BUF_INIT;
	char token[256];
	const char *p;
	long status = 0;

	file_incident(f);
	buf_addf(&body, "csrf=%s&label=koppeling&days=30&role=vpt",
	         f->csrf.data);
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/tokens",
	                 body.data, f->cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	p = strstr(page.data, "id=\"new-token\">");
	assert_non_null(p);
	p += strlen("id=\"new-token\">");
	assert_true(strcspn(p, "<") < sizeof(token));
	snprintf(token, strcspn(p, "<") + 1, "%s", p);
	assert_int_equal(api_get(f, token, "/api/v1/case/document?id={#1}"
	                         "&document=schadeverhaal&taal=en", &body), 200);
	assert_int_equal(test_pdftotext(body.data, body.len, &text), 0);
	has(&text, "€1,250.50");
	assert_int_equal(api_get(f, token, "/api/v1/case/document?id={#1}"
	                         "&document=brief", &body), 400);
	has(&body, "\"status\"");
	assert_int_equal(api_get(f, token, "/api/v1/case/document?id=99"
	                         "&document=aangifte", &body), 404);
	buf_release(&body);
	buf_release(&page);
	buf_release(&text);
}

/*
 * Refused: bad requests; the signals' coordinator (no incidents' keyring:
 * audited); a meeting member (not a handling role); a signal.
 */
static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	struct secret *totp;
	const struct test_part signal[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Loods aan de Kade", 0, NULL, NULL },
		{ "observation", "Hennepgeur.", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	long status = 0;

	file_incident(f);
	assert_int_equal(get(f, &f->cookie, "/beheer/melding/document?id={#1}"
	                     "&document=brief", NULL, &page), 400);
	assert_int_equal(get(f, &f->cookie, "/beheer/melding/document?id={#1}"
	                     "&document=aangifte&wijze=later", NULL, &page), 400);
	assert_int_equal(get(f, &f->cookie, "/beheer/melding/document?id={#1}"
	                     "&document=aangifte&taal=de", NULL, &page), 400);
	assert_int_equal(get(f, &f->cookie, "/beheer/melding/document?id=7"
	                     "&document=aangifte", NULL, &page), 404);

	totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW, &cookie,
	                        &csrf);
	assert_non_null(totp);
	assert_int_equal(get(f, &cookie, "/beheer/melding/document?id={#1}"
	                     "&document=aangifte", NULL, &page), 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                 "WHERE actor = 'coord' AND action = 'report-read' "
	                 "AND result = 'refused'"), 1);
	/* A signal has no such documents (the coordinator reads it). */
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", signal,
	                 4, NULL, &status, &page), 0);
	assert_int_equal(status, 200);
	assert_int_equal(get(f, &cookie, "/beheer/melding/document?id={#2}"
	                     "&document=schadeverhaal", NULL, &page), 404);
	assert_non_null(strstr(page.data, "alleen voor agressie-incidenten"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                 "WHERE actor = 'coord' AND action = 'document-made' "
	                 "AND result = 'refused'"), 1);
	/* Nor is it offered on a signal's case page. */
	assert_int_equal(get(f, &cookie, "/beheer/melding?id={#2}", NULL, &page),
	                 200);
	assert_null(strstr(page.data, "/beheer/melding/document"));
	secret_free(totp);
	buf_reset(&cookie);
	buf_reset(&csrf);

	totp = test_staff_setup(&f->srv, "lid", MEMBER_OTP, NEWPW, &cookie,
	                        &csrf);
	assert_non_null(totp);
	assert_int_equal(get(f, &cookie, "/beheer/melding/document?id={#1}"
	                     "&document=aangifte", NULL, &page), 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                 "WHERE action = 'document-made' AND result = 'ok'"), 0);
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
}

/* Templates are checked as forms are: each problem named with its line. */
static void
test_template_checked(void **state)
{
	static const char *const keys[] = { "title", "body", NULL };
	static const char *const ph[] = { "case", NULL };
	const struct template_spec spec = { "proef", keys, ph };
	static const struct {
		const char *text;
		const char *problem;
	} bad[] = {
		{ "[template]\ntype = incident\n[nl]\ntitle = T\nbody = B\n",
		  "proef.ini:1: [en] lacks 'title'" },
		{ "[template]\ntype = incident\n[nl]\ntitle = T\nbody = B {zaak}\n"
		  "[en]\ntitle = T\nbody = B\n",
		  "proef.ini:5: unknown placeholder {zaak}" },
		{ "[template]\ntype = incident\n[nl]\ntitle = T {case\nbody = B\n"
		  "[en]\ntitle = T\nbody = B\n",
		  "proef.ini:4: a '{' without its '}'" },
		{ "[template]\ntype = melding\n", "proef.ini:2: unknown report type" },
		{ "[template]\ntype = incident\n[de]\ntitle = T\n",
		  "proef.ini:4: unknown section [de]" },
		{ "[template]\ntype = incident\n[nl]\ntitle = T\nbody = B\n"
		  "title = U\n", "proef.ini:6: 'title' is given twice" },
		{ "[template]\ntype = incident\n[nl]\ntitel = T\n",
		  "proef.ini:4: unknown key 'titel'" },
	};
	struct template *t;
	struct buf errors = BUF_INIT, out = BUF_INIT;
	const char *names[] = { "case" }, *values[] = { "12" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&errors);
		assert_int_equal(template_parse("proef.ini", bad[i].text, &spec,
		                                &t, &errors), -1);
		if (!strstr(errors.data, bad[i].problem)) {
			fprintf(stderr, "%s\n", errors.data);
			fail();
		}
	}
	buf_reset(&errors);
	assert_int_equal(template_parse("proef.ini", "[template]\ntype = "
	                 "incident\n[nl]\ntitle = Melding {case}\nbody = Lang\n"
	                 "  verhaal\n[en]\ntitle = Report {case}\nbody = B\n",
	                 &spec, &t, &errors), 0);
	template_fill(&out, template_text(t, TEMPLATE_NL, "title"), names,
	              values, 1);
	assert_string_equal(out.data, "Melding 12");
	assert_string_equal(template_text(t, TEMPLATE_NL, "body"),
	                    "Lang verhaal");
	assert_string_equal(template_text(t, TEMPLATE_EN, "nope"), "");
	template_free(t);
	buf_release(&errors);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_checked),
		cmocka_unit_test_setup_teardown(test_police_form, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_damages_letter, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
