/*
 * test_page_handoff.c - the hand-off to a partner end to end through the
 * real server on 127.0.0.1 (issue 19 points 1, 2, 4, 5): the case page's
 * form with the configured partners, the package made and its passphrase
 * shown once, the one download (a second one, another user's, refused),
 * the package read back (it opens with the passphrase and not without,
 * `meldpunt handoff verify` passes and fails after one changed byte, the
 * PDF through pdftotext and the JSON hold the case number and the chosen
 * answers, in Dutch and English, and no identity answer without a
 * recorded ground), the record in the timeline, the handoffs table and
 * the audit log, the reporter's page unchanged, the limits (cover text,
 * packages waiting), the roles (a handler without the keyring, a meeting
 * member) and the API's two calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apitoken.h"
#include "handoff.h"
#include "install.h"
#include "keyrings.h"
#include "package.h"
#include "testutil.h"
#include "users.h"
#include "zipfile.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define OVERLEG_OTP "eenmalig-wachtwoord-overleg"
#define NEWPW "een heel lang wachtwoord"

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct buf cookie, csrf;	/* the coordinator's session */
	struct secret *totp;
};

/* A signal workflow whose RIEC step needs a recorded hand-off. */
static void
workflow_with_handoff(const char *dir)
{
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf text = BUF_INIT, path = BUF_INIT, out = BUF_INIT;
	const char *at;
	FILE *fp;

	assert_non_null(src);
	buf_addf(&path, "%s/schema/workflows/signal.ini", src);
	assert_int_equal(test_read_file(path.data, &text), 0);
	at = strstr(text.data, "[transition to_riec]\n");
	assert_non_null(at);
	at += strlen("[transition to_riec]\n");
	buf_add(&out, text.data, (size_t)(at - text.data));
	buf_adds(&out, "handoff = yes\n");
	buf_adds(&out, at);
	buf_reset(&path);
	buf_addf(&path, "%s/workflows", dir);
	assert_int_equal(mkdir(path.data, 0700), 0);
	buf_adds(&path, "/signal.ini");
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(out.data, fp);
	fclose(fp);
	buf_release(&text);
	buf_release(&path);
	buf_release(&out);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf conf = BUF_INIT, path = BUF_INIT;
	struct test_init ti;
	struct installation *inst;
	FILE *fp;

	f->dir = test_tmpdir("page_handoff");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "lid1", "", ROLE_OVERLEG,
	                 OVERLEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, f->recovery, KEYRING_INCIDENTS, "vpt1");
	workflow_with_handoff(f->dir);
	/* Partners of our own, a short cover, two packages waiting at most. */
	buf_addf(&path, "%s/meldpunt.conf", f->dir);
	buf_addf(&conf, "[limits]\nhandoff_cover_max = 100\nhandoff_held = 2\n"
	         "[organisation]\nname = Gemeente Edam-Volendam\n"
	         "[handoff]\npartner = riec RIEC Noord-Holland | politie "
	         "Politie Zaandam\npartner = fiod FIOD\n");
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(conf.data, fp);
	fclose(fp);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data),
	                 0);
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	f->totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW,
	                           &f->cookie, &f->csrf);
	assert_non_null(f->totp);
	buf_release(&conf);
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
	secret_free(f->totp);
	buf_release(&f->cookie);
	buf_release(&f->csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* A named signal with a photo, as a reporter files it; its receipt. */
static void
submit_signal(struct fixture *f, char receipt[32])
{
	static const char photo[] = "\xff\xd8\xff\xe0\x00\x10JFIF foto loods";
	const struct test_part parts[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Kade 4, loods 2", 0, NULL, NULL },
		{ "observation", "Hennepgeur en afgeplakte ramen.", 0, NULL, NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", "Karin Visser", 0, NULL, NULL },
		{ "reporter_email", "k.visser@example.nl", 0, NULL, NULL },
		{ "files", photo, sizeof(photo) - 1, "loods.jpg", "image/jpeg" },
	};
	struct buf body = BUF_INIT;
	const char *p;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts,
	                 7, NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	p = strstr(body.data, "id=\"receipt\">");
	assert_non_null(p);
	memcpy(receipt, p + strlen("id=\"receipt\">"), 19);
	receipt[19] = '\0';
	buf_release(&body);
}

static long post(const struct test_server *srv, const struct buf *cookie,
                 const struct buf *csrf, const char *path, struct buf *page,
                 struct buf *headers, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* POST as the session of cookie, its CSRF token first; the status. */
static long
post(const struct test_server *srv, const struct buf *cookie,
     const struct buf *csrf, const char *path, struct buf *page,
     struct buf *headers, const char *fmt, ...)
{
	struct buf body = BUF_INIT;
	va_list ap;
	long status = 0;

	buf_addf(&body, "csrf=%s&", csrf->data);
	va_start(ap, fmt);
	buf_vaddf(&body, fmt, ap);
	va_end(ap);
	if (page)
		buf_reset(page);
	if (headers)
		buf_reset(headers);
	assert_int_equal(test_http_cookie(srv, "POST", path, body.data,
	                 cookie->data, &status, headers, page), 0);
	buf_release(&body);
	return status;
}

static long
get(struct fixture *f, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 f->cookie.data, &status, NULL, page), 0);
	return status;
}

/* The text after marker in text up to one of stops, into out. */
static void
after(const char *text, const char *marker, const char *stops,
      struct buf *out)
{
	char v[256];

	test_text_after(text, marker, stops, v, sizeof(v));
	buf_reset(out);
	buf_adds(out, v);
}

/* The text of the element with id on page (to its next '<'). */
static void
element_text(const struct buf *page, const char *id, struct buf *out)
{
	struct buf marker = BUF_INIT;

	buf_reset(out);
	buf_addf(&marker, "id=\"%s\"><code>", id);
	if (!strstr(page->data, marker.data)) {
		buf_reset(&marker);
		buf_addf(&marker, "id=\"%s\">", id);
	}
	after(page->data, marker.data, "<", out);
	assert_true(out->len > 0);
	buf_release(&marker);
}

struct entries {
	struct buf names, pdf, json;
};

static int
collect(void *arg, const char *name, const void *data, size_t len)
{
	struct entries *e = arg;

	buf_addf(&e->names, "%s\n", name);
	if (strcmp(name, HANDOFF_PDF) == 0)
		buf_add(&e->pdf, data, len);
	if (strcmp(name, HANDOFF_JSON) == 0)
		buf_add(&e->json, data, len);
	return 0;
}

static void
entries_release(struct entries *e)
{
	buf_release(&e->names);
	buf_release(&e->pdf);
	buf_release(&e->json);
}

/* `meldpunt handoff verify` of zip with pass: its exit status. */
static int
verify(struct fixture *f, const struct buf *zip, const char *pass,
       struct buf *out)
{
	struct buf path = BUF_INIT, passpath = BUF_INIT, err = BUF_INIT;
	const char *argv[] = { "--data", f->dir, "handoff", "verify", NULL,
	                       "--passphrase-file", NULL, NULL };
	FILE *fp;
	int rc;

	buf_addf(&path, "%s/pakket.zip", f->dir);
	buf_addf(&passpath, "%s/pass.txt", f->dir);
	fp = fopen(path.data, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(zip->data, 1, zip->len, fp), zip->len);
	fclose(fp);
	fp = fopen(passpath.data, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n", pass);
	fclose(fp);
	argv[4] = path.data;
	argv[6] = passpath.data;
	buf_reset(out);
	rc = test_run(out, &err, argv);
	buf_release(&path);
	buf_release(&passpath);
	buf_release(&err);
	return rc;
}

/* Make a package on the case page of report {#1} with the form fields of
 * fmt; the passphrase page into page. The status. */
static long
make(struct fixture *f, struct buf *page, const char *fields)
{
	return post(&f->srv, &f->cookie, &f->csrf, "/beheer/melding/overdracht",
	            page, NULL, "id={#1}&%s", fields);
}

/* Download the package the passphrase page offers; the status. */
static long
download(struct fixture *f, const struct buf *made, struct buf *zip,
         struct buf *headers)
{
	struct buf token = BUF_INIT;
	long status;

	assert_int_equal(test_input_value(made, "pakket", &token), 0);
	status = post(&f->srv, &f->cookie, &f->csrf,
	              "/beheer/melding/overdracht/pakket", zip, headers,
	              "pakket=%s", token.data);
	buf_release(&token);
	return status;
}

/*
 * The whole way without a ground for the identity: form, package,
 * download once, its contents, the record; the reporter sees nothing.
 */
static void
test_handoff_without_identity(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, zip = BUF_INIT, headers = BUF_INIT;
	struct buf pass = BUF_INIT, sha = BUF_INIT, h = BUF_INIT, text = BUF_INIT;
	struct buf out = BUF_INIT, before = BUF_INIT, req = BUF_INIT;
	struct entries e = { BUF_INIT, BUF_INIT, BUF_INIT };
	char receipt[32], hex[65];
	long status = 0;

	submit_signal(f, receipt);
	assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
	                 "/beheer/melding/overgang", NULL, NULL,
	                 "id={#1}&transition=start_intake&expect_state=received"),
	                 303);
	assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
	                 "/beheer/melding/overgang", NULL, NULL,
	                 "id={#1}&transition=undermining&expect_state=weging_1"
	                 "&undermining_motivation=Hennepteelt+in+de+loods"), 303);

	/* The reporter's page before any hand-off. */
	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&f->srv, "POST", "/status", req.data,
	                 &status, NULL, &before), 0);
	assert_int_equal(status, 200);

	/* The form: the configured partners, identity answers unticked. */
	assert_int_equal(get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "action=\"/beheer/melding/overdracht\""));
	assert_non_null(strstr(page.data, "<option translate=\"no\" "
	                       "value=\"fiod\">FIOD</option>"));
	assert_non_null(strstr(page.data, "Politie Zaandam"));
	assert_null(strstr(page.data, "value=\"mma\""));
	assert_non_null(strstr(page.data, "id=\"f-handoff-a-location\" "
	                       "value=\"location\" checked"));
	assert_non_null(strstr(page.data, "id=\"f-handoff-a-reporter_name\" "
	                       "value=\"reporter_name\">"));

	/* Every answer ticked, the identity's too, but no ground: refused,
	 * nothing made or recorded. */
	assert_int_equal(make(f, &page, "partner=riec&taal=nl&antwoord=location"
	                      "&antwoord=reporter_name&stappen=1&grond="), 400);
	assert_non_null(strstr(page.data, "Wie de melder is gaat alleen mee met "
	                       "een grond"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log "
	                 "WHERE action = 'handoff-made'"), 0);
	/* An unknown partner neither. */
	assert_int_equal(make(f, &page, "partner=fbi&taal=nl&antwoord=location"),
	                 400);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 0);

	/* Location, observation, the photo, the steps; the identity stays. */
	assert_int_equal(make(f, &page, "partner=riec&taal=nl"
	                      "&antwoord=phenomenon&antwoord=location"
	                      "&antwoord=observation&antwoord=identity"
	                      "&bestand=1&stappen=1&grond="
	                      "&begeleiding=Graag+uw+beoordeling."), 200);
	element_text(&page, "handoff-passphrase", &pass);
	assert_int_equal(pass.len, TOKEN_PASSWORD_LEN);
	element_text(&page, "handoff-sha256", &sha);
	assert_int_equal(sha.len, 64);
	assert_non_null(strstr(page.data, "action=\"/beheer/melding/overdracht/"
	                       "pakket\""));
	/* The passphrase is on this page only: not on the case page. */
	assert_int_equal(get(f, "/beheer/melding?id={#1}", &page), 200);
	assert_null(strstr(page.data, pass.data));
	assert_non_null(strstr(page.data, "Overdrachtspakket gemaakt voor "
	                       "<span translate=\"no\">RIEC Noord-Holland</span>"));
	assert_non_null(strstr(page.data, sha.data));
	/* Make it again to download: the page before is gone with its pass. */
	assert_int_equal(make(f, &page, "partner=riec&taal=nl"
	                      "&antwoord=phenomenon&antwoord=location"
	                      "&antwoord=observation&antwoord=identity"
	                      "&bestand=1&stappen=1&grond="
	                      "&begeleiding=Graag+uw+beoordeling."), 200);
	element_text(&page, "handoff-passphrase", &pass);
	element_text(&page, "handoff-sha256", &sha);

	assert_int_equal(download(f, &page, &zip, &headers), 200);
	assert_int_equal(test_header(&headers, "Content-Type", &h), 0);
	assert_string_equal(h.data, "application/zip");
	assert_int_equal(test_header(&headers, "Content-Disposition", &h), 0);
	assert_non_null(strstr(h.data, test_cases(f->dir,
	                       "overdracht-melding-{#1}.zip")));
	package_sha256_hex(zip.data, zip.len, hex);
	assert_string_equal(hex, sha.data);
	/* Once: the same button again finds nothing. */
	assert_int_equal(download(f, &page, &out, NULL), 410);

	/* It opens with the passphrase, not without or with another. */
	assert_int_equal(zipfile_read(zip.data, zip.len, NULL, collect, &e), -1);
	assert_int_equal(zipfile_read(zip.data, zip.len, "AAAAA-BBBBB-CCCCC-DDDDD",
	                              collect, &e), -1);
	entries_release(&e);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass.data, collect, &e),
	                 0);
	assert_non_null(strstr(e.names.data, "overdracht.pdf\noverdracht.json\n"
	                       "bestanden/01-loods.jpg\nmanifest.sha256\n"
	                       "manifest.sig\n"));
	/* The PDF: case number, partner, chosen answers, steps, the file's
	 * hash; no identity, and a word that it stayed. */
	assert_int_equal(test_pdftotext(e.pdf.data, e.pdf.len, &text), 0);
	assert_non_null(strstr(text.data, "Overdracht aan RIEC Noord-Holland"));
	assert_non_null(strstr(text.data, "Meldingnummer"));
	buf_reset(&req);
	buf_addf(&req, "Melding %s", test_cases(f->dir, "{#1}"));
	assert_non_null(strstr(text.data, req.data));
	assert_non_null(strstr(text.data, test_cases(f->dir, "{#1}")));
	assert_non_null(strstr(text.data, "Gemeente Edam-Volendam"));
	assert_non_null(strstr(text.data, "Kade 4, loods 2"));
	assert_non_null(strstr(text.data, "Hennepgeur en afgeplakte ramen."));
	assert_non_null(strstr(text.data, "Graag uw beoordeling."));
	assert_non_null(strstr(text.data, "Hennepteelt in de loods"));
	assert_non_null(strstr(text.data, "De melder heeft zijn of haar naam"));
	assert_null(strstr(text.data, "Karin"));
	assert_null(strstr(text.data, "Visser"));
	assert_null(strstr(text.data, "k.visser"));
	/* The JSON: the same answers, no identity, no message. */
	assert_true(test_contains(&e.json, "Kade 4, loods 2", 15));
	assert_true(test_contains(&e.json, "\"identity_included\": false", 26));
	assert_false(test_contains(&e.json, "Karin", 5));
	assert_false(test_contains(&e.json, "k.visser", 8));
	assert_false(test_contains(&e.json, "reporter_name", 13));
	assert_true(test_contains(&e.json, "undermining_motivation", 22));

	/* Signed: verify passes; one changed byte anywhere and it fails. */
	assert_int_equal(verify(f, &zip, pass.data, &out), 0);
	assert_non_null(strstr(out.data, "intact"));
	zip.data[zip.len / 2] ^= 0x01;
	assert_int_equal(verify(f, &zip, pass.data, &out), 1);
	assert_non_null(strstr(out.data, "NOT intact"));

	/* Recorded: two packages, one download, names and ids only. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs WHERE"
	                 " report_id = 1 AND partner = 'riec' AND made_by ="
	                 " 'coord' AND identity = '' AND files = '1' AND"
	                 " answers = 'phenomenon location observation"
	                 " identity'"), 2);
	buf_reset(&req);
	buf_addf(&req, "SELECT count(*) FROM handoffs WHERE digest = '%s'",
	         sha.data);
	assert_int_equal(test_count(f->dir, req.data), 1);
	buf_reset(&req);
	buf_addf(&req, "SELECT count(*) FROM audit_log WHERE actor = 'coord' AND"
	         " action = 'handoff-download' AND result = 'ok' AND object ="
	         " 'report %s: sha256 %s'", test_cases(f->dir, "{#1}"), sha.data);
	assert_int_equal(test_count(f->dir, req.data), 1);
	buf_reset(&req);
	buf_addf(&req, "SELECT count(*) FROM audit_log WHERE actor = 'coord' AND"
	         " action = 'handoff-made' AND result = 'ok' AND object ="
	         " 'report %s to riec: answers phenomenon location observation"
	         " identity; files 1; sha256 %s'", test_cases(f->dir, "{#1}"),
	         sha.data);
	assert_int_equal(test_count(f->dir, req.data), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " object LIKE '%Kade%' OR object LIKE '%Karin%'"
	                 " OR object LIKE '%" "loods.jpg%'"), 0);

	/* The reporter's page is as it was (SECURITY.md promise 33). */
	buf_reset(&req);
	buf_addf(&req, "receipt=%s", receipt);
	buf_reset(&page);
	assert_int_equal(test_http(&f->srv, "POST", "/status", req.data,
	                 &status, NULL, &page), 0);
	assert_null(strstr(page.data, "RIEC"));
	assert_null(strstr(page.data, "verdracht"));
	assert_string_equal(page.data, before.data);

	entries_release(&e);
	buf_release(&page);
	buf_release(&zip);
	buf_release(&headers);
	buf_release(&pass);
	buf_release(&sha);
	buf_release(&h);
	buf_release(&text);
	buf_release(&out);
	buf_release(&before);
	buf_release(&req);
}

/* With a recorded ground the identity goes along, in English too. */
static void
test_handoff_with_ground_in_english(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, zip = BUF_INIT, pass = BUF_INIT;
	struct buf text = BUF_INIT;
	struct entries e = { BUF_INIT, BUF_INIT, BUF_INIT };
	char receipt[32];

	submit_signal(f, receipt);
	assert_int_equal(make(f, &page, "partner=politie&taal=en"
	                      "&antwoord=location&antwoord=reporter_name"
	                      "&antwoord=reporter_email&grond=consent"
	                      "&begeleiding=Please+assess."), 200);
	element_text(&page, "handoff-passphrase", &pass);
	assert_int_equal(download(f, &page, &zip, NULL), 200);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass.data, collect, &e),
	                 0);
	/* No file chosen: only the documents and the manifest. */
	assert_string_equal(e.names.data, "overdracht.pdf\noverdracht.json\n"
	                    "manifest.sha256\nmanifest.sig\n");
	assert_int_equal(test_pdftotext(e.pdf.data, e.pdf.len, &text), 0);
	assert_non_null(strstr(text.data, "Hand-off to Politie Zaandam"));
	assert_non_null(strstr(text.data, "Report number"));
	assert_non_null(strstr(text.data, test_cases(f->dir, "Report {#1}")));
	assert_non_null(strstr(text.data, "Kade 4, loods 2"));
	assert_non_null(strstr(text.data, "Karin Visser"));
	assert_non_null(strstr(text.data, "k.visser@example.nl"));
	assert_non_null(strstr(text.data, "The reporter consented"));
	assert_non_null(strstr(text.data, "No files."));
	assert_null(strstr(text.data, "Hennepgeur"));	/* not chosen */
	assert_true(test_contains(&e.json, "Karin Visser", 12));
	assert_true(test_contains(&e.json, "\"identity_included\": true", 25));
	assert_false(test_contains(&e.json, "Hennepgeur", 10));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs WHERE"
	                 " partner = 'politie' AND identity = 'consent' AND"
	                 " files = ''"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'handoff-made' AND object LIKE"
	                 " '% identity consent; %'"), 1);
	entries_release(&e);
	buf_release(&page);
	buf_release(&zip);
	buf_release(&pass);
	buf_release(&text);
}

/* The limits: the cover text's length, the packages that may wait. */
static void
test_handoff_limits(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cover = BUF_INIT, fields = BUF_INIT;
	char receipt[32];
	size_t i;

	submit_signal(f, receipt);
	for (i = 0; i < 101; i++)
		buf_addch(&cover, 'x');
	buf_addf(&fields, "partner=riec&antwoord=location&begeleiding=%s",
	         cover.data);
	assert_int_equal(make(f, &page, fields.data), 400);
	assert_non_null(strstr(page.data, "De begeleidende tekst is te lang."));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 0);
	/* 100 characters, two of them two bytes each, fit. */
	buf_reset(&fields);
	buf_addf(&fields, "partner=riec&antwoord=location&begeleiding=%%C3%%A9"
	         "%%C3%%A9%.98s", cover.data);
	assert_int_equal(make(f, &page, fields.data), 200);
	/* handoff_held = 2: a third package waiting is refused, unrecorded. */
	assert_int_equal(make(f, &page, "partner=riec&antwoord=location"), 200);
	assert_int_equal(make(f, &page, "partner=riec&antwoord=location"), 503);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 2);
	buf_release(&page);
	buf_release(&cover);
	buf_release(&fields);
}

/*
 * Roles: a handler without the signals' keyring is refused and audited;
 * a meeting member never reaches it; nobody downloads another's package.
 */
static void
test_handoff_roles(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT;
	struct buf token = BUF_INIT;
	struct secret *totp;
	char receipt[32];

	submit_signal(f, receipt);
	assert_int_equal(make(f, &page, "partner=riec&antwoord=location"), 200);
	assert_int_equal(test_input_value(&page, "pakket", &token), 0);

	totp = test_staff_setup(&f->srv, "vpt1", VPT_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	assert_int_equal(post(&f->srv, &cookie, &csrf, "/beheer/melding/overdracht",
	                 &page, NULL, "id={#1}&partner=riec&antwoord=location"),
	                 403);
	assert_null(strstr(page.data, "Kade"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'vpt1' AND action = 'handoff-made' AND"
	                 " result = 'refused'"), 1);
	/* The coordinator's package is not vpt1's to take. */
	assert_int_equal(post(&f->srv, &cookie, &csrf,
	                 "/beheer/melding/overdracht/pakket", &page, NULL,
	                 "pakket=%s", token.data), 410);
	secret_free(totp);

	buf_reset(&cookie);
	buf_reset(&csrf);
	totp = test_staff_setup(&f->srv, "lid1", OVERLEG_OTP, NEWPW, &cookie,
	                        &csrf);
	assert_non_null(totp);
	assert_int_equal(post(&f->srv, &cookie, &csrf, "/beheer/melding/overdracht",
	                 &page, NULL, "id={#1}&partner=riec&antwoord=location"),
	                 403);
	assert_int_equal(post(&f->srv, &cookie, &csrf,
	                 "/beheer/melding/overdracht/pakket", &page, NULL,
	                 "pakket=%s", token.data), 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 1);
	/* Still there for its maker. */
	assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
	                 "/beheer/melding/overdracht/pakket", &page, NULL,
	                 "pakket=%s", token.data), 200);
	secret_free(totp);
	buf_release(&page);
	buf_release(&cookie);
	buf_release(&csrf);
	buf_release(&token);
}

/* A workflow step with handoff = yes waits for a recorded package. */
static void
test_step_needs_handoff(void **state)
{
	static const char *const steps[] = {
		"start_intake", "received", "undermining", "weging_1",
		"municipal_task", "weging_2a", "our_territory", "weging_2b",
		"seriousness", "weging_3",
	};
	struct fixture *f = *state;
	struct buf page = BUF_INIT, fields = BUF_INIT;
	char receipt[32];
	size_t i;

	submit_signal(f, receipt);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i += 2) {
		buf_reset(&fields);
		test_step_form(&fields, steps[i]);
		assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
		                 "/beheer/melding/overgang", NULL, NULL,
		                 "id={#1}&transition=%s&expect_state=%s%s",
		                 steps[i], steps[i + 1], fields.data), 303);
	}
	buf_reset(&fields);
	test_step_form(&fields, "to_riec");
	assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
	                 "/beheer/melding/overgang", &page, NULL,
	                 "id={#1}&transition=to_riec&expect_state=decision%s",
	                 fields.data), 400);
	assert_non_null(strstr(page.data, "Deze stap draagt de zaak over: maak "
	                       "eerst het overdrachtspakket"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports WHERE"
	                 " state = 'decision'"), 1);
	buf_reset(&fields);
	buf_addf(&fields, "SELECT count(*) FROM audit_log WHERE action ="
	         " 'report-transition' AND result = 'refused' AND object ="
	         " 'report %s: to_riec'", test_cases(f->dir, "{#1}"));
	assert_int_equal(test_count(f->dir, fields.data), 1);
	buf_reset(&fields);
	test_step_form(&fields, "to_riec");
	assert_int_equal(make(f, &page, "partner=riec&antwoord=location"
	                      "&stappen=1"), 200);
	assert_int_equal(post(&f->srv, &f->cookie, &f->csrf,
	                 "/beheer/melding/overgang", NULL, NULL,
	                 "id={#1}&transition=to_riec&expect_state=decision%s",
	                 fields.data), 303);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports WHERE"
	                 " state = 'riec'"), 1);
	buf_release(&page);
	buf_release(&fields);
}

/* The API: make (passphrase and download token), download once. */
static void
test_handoff_api(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, body = BUF_INIT, pass = BUF_INIT;
	struct buf token = BUF_INIT, zip = BUF_INIT, text = BUF_INIT;
	struct entries e = { BUF_INIT, BUF_INIT, BUF_INIT };
	char receipt[32], tok[APITOKEN_TEXT_LEN + 1], hex[65];
	long status = 0;

	submit_signal(f, receipt);
	test_make_token(&f->srv, &f->cookie, &f->csrf, "zaaksysteem",
	                "role=coordinator", "30", tok);
	/* An identity answer without a ground: 422, nothing made. */
	assert_int_equal(test_http_json(&f->srv, "POST", "/api/v1/case/handoff",
	                 "{\"id\":\"{#1}\",\"partner\":\"riec\",\"answers\":"
	                 "\"location reporter_name\"}", tok, &status, &resp), 0);
	assert_int_equal(status, 422);
	assert_non_null(strstr(resp.data, "identity_needs_ground"));
	assert_int_equal(test_http_json(&f->srv, "POST", "/api/v1/case/handoff",
	                 "{\"id\":\"{#1}\",\"partner\":\"nobody\"}", tok, &status,
	                 &resp), 0);
	assert_int_equal(status, 422);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"), 0);

	/* All answers but the identity's, all files, in English. */
	assert_int_equal(test_http_json(&f->srv, "POST", "/api/v1/case/handoff",
	                 "{\"id\":\"{#1}\",\"partner\":\"fiod\",\"language\":\"en\","
	                 "\"cover\":\"Via the API.\"}", tok, &status, &resp), 0);
	assert_int_equal(status, 201);
	after(resp.data, "\"passphrase\":\"", "\"", &pass);
	after(resp.data, "\"download\":\"", "\"", &token);
	assert_int_equal(pass.len, TOKEN_PASSWORD_LEN);
	buf_addf(&body, "{\"download\":\"%s\"}", token.data);
	assert_int_equal(test_http_json(&f->srv, "POST",
	                 "/api/v1/case/handoff/download", body.data, tok,
	                 &status, &zip), 0);
	assert_int_equal(status, 200);
	assert_int_equal(test_http_json(&f->srv, "POST",
	                 "/api/v1/case/handoff/download", body.data, tok,
	                 &status, &resp), 0);
	assert_int_equal(status, 410);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass.data, collect, &e),
	                 0);
	assert_non_null(strstr(e.names.data, "bestanden/01-loods.jpg\n"));
	assert_int_equal(test_pdftotext(e.pdf.data, e.pdf.len, &text), 0);
	assert_non_null(strstr(text.data, "Hand-off to FIOD"));
	assert_non_null(strstr(text.data, "Via the API."));	/* the cover */
	assert_non_null(strstr(text.data, "Kade 4, loods 2"));
	assert_non_null(strstr(text.data, "Hennepgeur"));
	assert_non_null(strstr(text.data, "The reporter gave their name"));
	assert_null(strstr(text.data, "Karin"));
	assert_false(test_contains(&e.json, "Karin", 5));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs WHERE"
	                 " partner = 'fiod' AND answers = '*' AND files = '1'"),
	                 1);
	/* The case's record in the API too: partner, choice and hash. */
	buf_reset(&body);
	buf_addf(&body, "\"handoffs\":[{\"at\":");
	buf_reset(&resp);
	assert_int_equal(test_http_token(&f->srv, "GET", "/api/v1/case?id={#1}",
	                 NULL, tok, &status, &resp), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(resp.data, body.data));
	assert_non_null(strstr(resp.data, "\"partner\":\"fiod\",\"answers\":"
	                       "\"*\",\"files\":\"1\",\"identity\":\"\""));
	package_sha256_hex(zip.data, zip.len, hex);
	assert_non_null(strstr(resp.data, hex));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'handoff-download'"), 1);
	entries_release(&e);
	buf_release(&resp);
	buf_release(&body);
	buf_release(&pass);
	buf_release(&token);
	buf_release(&zip);
	buf_release(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handoff_without_identity,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_handoff_with_ground_in_english, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_limits, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_handoff_roles, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_step_needs_handoff, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_handoff_api, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("page_handoff", tests, NULL, NULL);
}
