/*
 * test_filetype.c - uploads recognised by content (filetype.h): each kind
 * from a sample of its real first bytes, and what must never pass as
 * anything (a Windows program named rapport.pdf, HTML, SVG, an archive, a
 * script, a truncated signature); the list in [limits] upload_types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "filetype.h"
#include "testutil.h"

#define KIND(lit) filetype_detect((const uint8_t *)(lit), sizeof(lit) - 1)

static void
test_kinds(void **state)
{
	(void)state;
	assert_int_equal(KIND("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), FILETYPE_PDF);
	assert_int_equal(KIND("\xff\xd8\xff\xe0\0\x10JFIF\0"), FILETYPE_JPEG);
	assert_int_equal(KIND("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), FILETYPE_PNG);
	assert_int_equal(KIND("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic"),
	                 FILETYPE_HEIC);
	assert_int_equal(KIND("\0\0\0\x20" "ftypisom\0\0\x02\0isomiso2avc1mp41"),
	                 FILETYPE_VIDEO);
	assert_int_equal(KIND("\0\0\0\x14" "ftypqt  \0\0\x02\0qt  "),
	                 FILETYPE_VIDEO);
	assert_int_equal(KIND("\0\0\0\x1c" "ftypM4A \0\0\0\0M4A mp42isom"),
	                 FILETYPE_AUDIO);
	assert_int_equal(KIND("ID3\x04\0\0\0\0\0\x23TSSE"), FILETYPE_AUDIO);
	assert_int_equal(KIND("RIFF\x24\x08\0\0WAVEfmt "), FILETYPE_AUDIO);
	assert_int_equal(KIND("OggS\0\x02\0\0"), FILETYPE_AUDIO);
	assert_int_equal(KIND("#!AMR\n"), FILETYPE_AUDIO);
	assert_int_equal(KIND("RIFF\x24\x08\0\0" "AVI LIST"), FILETYPE_VIDEO);
	assert_int_equal(KIND("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"),
	                 FILETYPE_VIDEO);
	assert_int_equal(KIND("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0"
	                      "[Content_Types].xml....PK\x03\x04word/document.xml"),
	                 FILETYPE_OFFICE);
	assert_int_equal(KIND("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0"
	                      "[Content_Types].xml....PK\x03\x04xl/workbook.xml"),
	                 FILETYPE_OFFICE);
	assert_int_equal(KIND("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0"),
	                 FILETYPE_OFFICE | FILETYPE_EMAIL);
	assert_int_equal(KIND("Return-Path: <a@b.nl>\r\nReceived: from x\r\n"
	                      "From: Jan <jan@example.nl>\r\nSubject: dreiging\r\n"
	                      "\r\nTekst"), FILETYPE_EMAIL);
	assert_int_equal(KIND("From: Jan <jan@example.nl>\nTo: a@b.nl\n\nTekst"),
	                 FILETYPE_EMAIL);
	assert_int_equal(KIND("Hij stond om 9 uur bij de balie.\r\nDaarna ging "
	                      "hij weg.\n\xe2\x82\xac 50 schade"), FILETYPE_TEXT);
	assert_int_equal(KIND("\xef\xbb\xbfMet BOM"), FILETYPE_TEXT);
}

/* What must never pass, whatever it is called. */
static void
test_refused(void **state)
{
	(void)state;
	/* A Windows program (rapport.pdf), an ELF program, a script. */
	assert_int_equal(KIND("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0"),
	                 FILETYPE_UNKNOWN);
	assert_int_equal(KIND("\x7f" "ELF\x02\x01\x01\0"), FILETYPE_UNKNOWN);
	assert_int_equal(KIND("#!/bin/sh\nrm -rf /\n\x01"), FILETYPE_UNKNOWN);
	/* Markup that can run script when a handler opens it. */
	assert_int_equal(KIND("<!DOCTYPE html><script>alert(1)</script>"),
	                 FILETYPE_UNKNOWN);
	assert_int_equal(KIND("\n  <html><body onload=x()>"), FILETYPE_UNKNOWN);
	assert_int_equal(KIND("<?xml version=\"1.0\"?><svg onload=\"x()\"/>"),
	                 FILETYPE_UNKNOWN);
	assert_int_equal(KIND("\xef\xbb\xbf<svg/>"), FILETYPE_UNKNOWN);
	/* A plain ZIP, a ZIP with content types but no Word or Excel part. */
	assert_int_equal(KIND("PK\x03\x04\x14\0\0\0\x08\0evil.exe"),
	                 FILETYPE_UNKNOWN);
	assert_int_equal(KIND("PK\x03\x04[Content_Types].xml ppt/x"),
	                 FILETYPE_UNKNOWN);
	/* Truncated signatures, empty files, invalid UTF-8, NUL bytes. */
	assert_int_equal(KIND("%PDF"), FILETYPE_TEXT);	/* text, not a PDF */
	assert_int_equal(KIND("\x89PNG\r\n"), FILETYPE_UNKNOWN);
	assert_int_equal(KIND("\0\0\0\x18" "ftyp"), FILETYPE_UNKNOWN);
	assert_int_equal(filetype_detect((const uint8_t *)"", 0),
	                 FILETYPE_UNKNOWN);
	assert_int_equal(KIND("caf\xc3"), FILETYPE_UNKNOWN);
	assert_int_equal(KIND("tekst\0met nul"), FILETYPE_UNKNOWN);
	/* Header lines without a sender are no e-mail, only text. */
	assert_int_equal(KIND("Subject: x\n\nbody"), FILETYPE_TEXT);
}

static void
test_lists(void **state)
{
	unsigned kinds;
	char bad[32];

	(void)state;
	assert_int_equal(filetype_parse_list(FILETYPE_DEFAULT_LIST, &kinds, bad,
	                                     sizeof(bad)), 0);
	assert_int_equal(kinds, FILETYPE_ALL);
	assert_int_equal(filetype_parse_list("pdf, jpeg,png", &kinds, bad,
	                                     sizeof(bad)), 0);
	assert_int_equal(kinds, FILETYPE_PDF | FILETYPE_JPEG | FILETYPE_PNG);
	assert_int_equal(filetype_parse_list("", &kinds, bad, sizeof(bad)), 0);
	assert_int_equal(kinds, 0);
	assert_int_equal(filetype_parse_list("pdf exe", &kinds, bad,
	                                     sizeof(bad)), -1);
	assert_string_equal(bad, "exe");
	assert_true(filetype_allowed(FILETYPE_OFFICE | FILETYPE_EMAIL,
	                             FILETYPE_EMAIL));
	assert_false(filetype_allowed(FILETYPE_UNKNOWN, FILETYPE_ALL));
	assert_false(filetype_allowed(FILETYPE_PDF, FILETYPE_JPEG));
	assert_string_equal(filetype_name(FILETYPE_HEIC), "heic");
	assert_string_equal(filetype_name(FILETYPE_UNKNOWN), "unknown");
}

/* [limits] upload_types: the default is every kind; a wrong word is named. */
static void
test_config_key(void **state)
{
	char *dir = test_tmpdir("filetype");
	struct buf path = BUF_INIT, errors = BUF_INIT;
	struct config c;
	FILE *f;

	(void)state;
	config_init(&c);
	assert_int_equal(c.limits.upload_types, FILETYPE_ALL);
	config_release(&c);
	buf_addf(&path, "%s/meldpunt.ini", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("[limits]\nupload_types = pdf jpeg\n", f);
	fclose(f);
	config_init(&c);
	assert_int_equal(config_load(&c, path.data, &errors), 0);
	assert_int_equal(c.limits.upload_types, FILETYPE_PDF | FILETYPE_JPEG);
	config_release(&c);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs("[limits]\nupload_types = pdf html\n", f);
	fclose(f);
	config_init(&c);
	assert_int_equal(config_load(&c, path.data, &errors), -1);
	assert_non_null(strstr(errors.data, "upload_types"));
	config_release(&c);
	buf_release(&errors);
	buf_release(&path);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_config_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
