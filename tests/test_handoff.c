/*
 * test_handoff.c - the hand-off package as handoff.h assembles it: the
 * cover PDF, the JSON document, the files and the signed manifest in an
 * archive that opens with the passphrase the server made and not without;
 * the cover read back with pdftotext in Dutch and English (case number,
 * partner, cover text, chosen answers, files with their SHA-256); the
 * reporter's identity stays out unless a reason goes with it; file names
 * of the reporter's never name a path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handoff.h"
#include "install.h"
#include "package.h"
#include "testutil.h"
#include "zipfile.h"

static const char json[] = "{\"case\":\"12\",\"answers\":{\"location\":\"Kade 4\"}}";
static const unsigned char photo[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10 };

struct entries {
	struct buf names;	/* one a line */
	struct buf pdf;
};

static int
collect(void *arg, const char *name, const void *data, size_t len)
{
	struct entries *e = arg;

	buf_addf(&e->names, "%s\n", name);
	if (strcmp(name, HANDOFF_PDF) == 0)
		buf_add(&e->pdf, data, len);
	return 0;
}

static void
make(struct installation *inst, enum template_lang lang, const char *reason,
     char pass[TOKEN_PASSWORD_LEN + 1], struct buf *zip)
{
	const struct handoff_answer answers[] = {
		{ lang == TEMPLATE_NL ? "Waar?" : "Where?", "Kade 4, loods 2" },
		{ lang == TEMPLATE_NL ? "Wat zag u?" : "What did you see?",
		  "Hennepgeur en afgeplakte ramen." },
	};
	const struct handoff_file files[] = {
		{ "foto loods.jpg", photo, sizeof(photo) },
		{ "../../etc/passwd", "x", 1 },
	};
	struct handoff_doc d = {
		.organisation = "Gemeente Zaanstad", .case_no = "2026-K7QM-3P",
		.date = "2026-12-07", .partner = "RIEC Noord-Holland",
		.cover = "Graag uw beoordeling van deze loods.", .lang = lang,
		.answers = answers, .nanswers = 2, .files = files, .nfiles = 2,
		.named = 1, .identity_reason = reason, .json = json,
		.json_len = sizeof(json) - 1,
	};
	uint8_t h[CRYPTO_SHA256_LEN], again[CRYPTO_SHA256_LEN];

	assert_int_equal(handoff_package(inst->secret, &d, pass, zip, h), 0);
	assert_int_equal(strlen(pass), TOKEN_PASSWORD_LEN);
	crypto_sha256(again, zip->data, zip->len);
	assert_memory_equal(h, again, sizeof(h));
}

static void
test_package_opens_and_verifies(void **state)
{
	char *dir, *db, pass[TOKEN_PASSWORD_LEN + 1], pass2[TOKEN_PASSWORD_LEN + 1];
	struct installation *inst = test_install("handoff", &dir, &db);
	struct buf zip = BUF_INIT, zip2 = BUF_INIT, problem = BUF_INIT;
	struct buf text = BUF_INIT;
	struct entries e = { BUF_INIT, BUF_INIT };
	struct package_key key;
	char sha[65];
	size_t n = 0;

	(void)state;
	assert_int_equal(handoff_load(), 0);
	assert_int_equal(package_key_of(inst->secret, &key), 0);
	make(inst, TEMPLATE_NL, NULL, pass, &zip);
	/* Each package has a passphrase of its own. */
	make(inst, TEMPLATE_NL, NULL, pass2, &zip2);
	assert_string_not_equal(pass, pass2);
	assert_int_equal(package_verify(zip.data, zip.len, pass, key.pk,
	                                &problem, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(zipfile_read(zip.data, zip.len, NULL, collect, &e), -1);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass2, collect, &e), -1);
	buf_reset(&e.names);
	buf_reset(&e.pdf);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass, collect, &e), 0);
	assert_string_equal(e.names.data, "overdracht.pdf\noverdracht.json\n"
	                    "bestanden/01-foto_loods.jpg\n"
	                    "bestanden/02-_._.__etc_passwd\n"
	                    "manifest.sha256\nmanifest.sig\n");
	assert_false(test_contains(&zip, "Hennepgeur", 10));
	assert_int_equal(test_pdftotext(e.pdf.data, e.pdf.len, &text), 0);
	assert_non_null(strstr(text.data, "Overdracht aan RIEC Noord-Holland"));
	assert_non_null(strstr(text.data, "Gemeente Zaanstad"));
	assert_non_null(strstr(text.data, "Meldingnummer"));
	assert_non_null(strstr(text.data, "Melding 2026-K7QM-3P · pagina 1"));
	assert_non_null(strstr(text.data, "Graag uw beoordeling van deze loods."));
	assert_non_null(strstr(text.data, "Kade 4, loods 2"));
	assert_non_null(strstr(text.data, "Hennepgeur en afgeplakte ramen."));
	assert_non_null(strstr(text.data, "De melder heeft zijn of haar naam "
	                       "gegeven. Die blijft bij Gemeente Zaanstad"));
	assert_null(strstr(text.data, "om deze reden"));
	package_sha256_hex(photo, sizeof(photo), sha);
	assert_non_null(strstr(text.data, "foto loods.jpg"));
	assert_non_null(strstr(text.data, sha));
	buf_wipe_release(&zip);
	buf_wipe_release(&zip2);
	buf_release(&problem);
	buf_release(&text);
	buf_release(&e.names);
	buf_release(&e.pdf);
	test_install_remove(inst, dir, db);
}

/* In English; the identity goes along only with its reason, shown. */
static void
test_english_with_reason(void **state)
{
	char *dir, *db, pass[TOKEN_PASSWORD_LEN + 1];
	struct installation *inst = test_install("handoff", &dir, &db);
	struct buf zip = BUF_INIT, text = BUF_INIT;
	struct entries e = { BUF_INIT, BUF_INIT };

	(void)state;
	assert_int_equal(handoff_load(), 0);
	make(inst, TEMPLATE_EN, "The reporter agreed on the phone.", pass,
	     &zip);
	assert_int_equal(zipfile_read(zip.data, zip.len, pass, collect, &e), 0);
	assert_int_equal(test_pdftotext(e.pdf.data, e.pdf.len, &text), 0);
	assert_non_null(strstr(text.data, "Hand-off to RIEC Noord-Holland"));
	assert_non_null(strstr(text.data, "Report number"));
	assert_non_null(strstr(text.data, "Report 2026-K7QM-3P · page 1"));
	assert_non_null(strstr(text.data, "The reporter's identity goes along, "
	                       "for this reason:"));
	assert_non_null(strstr(text.data, "The reporter agreed on the phone."));
	assert_null(strstr(text.data, "stays with"));
	buf_wipe_release(&zip);
	buf_release(&text);
	buf_release(&e.names);
	buf_release(&e.pdf);
	test_install_remove(inst, dir, db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_opens_and_verifies),
		cmocka_unit_test(test_english_with_reason),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	templates_free();
	return ret;
}
