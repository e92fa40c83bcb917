/*
 * test_zipfile.c - ZIP archives in memory (zipfile.h): what goes in comes
 * out, byte for byte; an encrypted archive holds no entry's text, opens
 * with its password and not without or with another, also in 7-Zip (the
 * tool partners use); bad names and misuse are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zipfile.h"
#include "testutil.h"

static const char json[] = "{\"case\":\"M-1\",\"text\":\"bedreiging aan de balie\"}";
static const unsigned char bin[] = { 0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10 };

struct seen {
	int n;
	int ok;
};

static int
check_entry(void *arg, const char *name, const void *data, size_t len)
{
	struct seen *s = arg;

	if (s->n == 0)
		s->ok += strcmp(name, "dossier.json") == 0 &&
		         len == sizeof(json) - 1 && memcmp(data, json, len) == 0;
	else if (s->n == 1)
		s->ok += strcmp(name, "bestanden/foto 1.pdf") == 0 &&
		         len == sizeof(bin) && memcmp(data, bin, len) == 0;
	else if (s->n == 2)
		s->ok += strcmp(name, "leeg.txt") == 0 && len == 0;
	s->n++;
	return 0;
}

static void
make(const char *password, struct buf *out)
{
	struct zipfile *z;

	assert_int_equal(zipfile_new(&z), 0);
	assert_int_equal(zipfile_add(z, "dossier.json", json, sizeof(json) - 1), 0);
	assert_int_equal(zipfile_add(z, "bestanden/foto 1.pdf", bin, sizeof(bin)), 0);
	assert_int_equal(zipfile_add(z, "leeg.txt", "", 0), 0);
	assert_int_equal(zipfile_finish(z, password, out), 0);
	/* Finished: nothing more goes in, and it is not written twice. */
	assert_int_equal(zipfile_add(z, "later.txt", "x", 1), -1);
	assert_int_equal(zipfile_finish(z, password, out), -1);
	zipfile_free(z);
}

static void
test_round_trip(void **state)
{
	struct buf zip = BUF_INIT;
	struct seen s = { 0, 0 };

	(void)state;
	make(NULL, &zip);
	assert_memory_equal(zip.data, "PK\x03\x04", 4);
	assert_int_equal(zipfile_read(zip.data, zip.len, NULL, check_entry, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ok, 3);
	buf_wipe_release(&zip);
}

static void
test_encrypted(void **state)
{
	struct buf zip = BUF_INIT;
	struct seen s = { 0, 0 };

	(void)state;
	make("kaars-vijver-mossel-72", &zip);
	/* Neither the text nor the PDF's bytes are in the archive as such. */
	assert_false(test_contains(&zip, "bedreiging", 10));
	assert_false(test_contains(&zip, bin, sizeof(bin)));
	assert_int_equal(zipfile_read(zip.data, zip.len, NULL, check_entry, &s),
	                 -1);
	s.n = s.ok = 0;
	assert_int_equal(zipfile_read(zip.data, zip.len, "kaars-vijver-mossel-73",
	                              check_entry, &s), -1);
	s.n = s.ok = 0;
	assert_int_equal(zipfile_read(zip.data, zip.len, "kaars-vijver-mossel-72",
	                              check_entry, &s), 0);
	assert_int_equal(s.ok, 3);
	buf_wipe_release(&zip);
}

/* 7-Zip opens the encrypted archive with the password, and only then. */
static void
test_7zip_opens_it(void **state)
{
	char *dir = test_tmpdir("zip");
	struct buf zip = BUF_INIT, path = BUF_INIT, cmd = BUF_INIT, got = BUF_INIT;
	FILE *f;

	(void)state;
	make("kaars-vijver-mossel-72", &zip);
	buf_addf(&path, "%s/overdracht.zip", dir);
	f = fopen(path.data, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(zip.data, 1, zip.len, f), zip.len);
	fclose(f);
	buf_addf(&cmd, "7zz t -p'kaars-vijver-mossel-72' '%s' >/dev/null 2>&1",
	         path.data);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&cmd);
	buf_addf(&cmd, "7zz t -p'verkeerd' '%s' >/dev/null 2>&1", path.data);
	assert_int_not_equal(test_sh(cmd.data), 0);
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s' && 7zz x -p'kaars-vijver-mossel-72' "
	         "overdracht.zip >/dev/null 2>&1", dir);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/dossier.json", dir);
	assert_int_equal(test_read_file(path.data, &got), 0);
	assert_int_equal(got.len, sizeof(json) - 1);
	assert_memory_equal(got.data, json, got.len);
	buf_wipe_release(&zip);
	buf_release(&path);
	buf_release(&cmd);
	buf_release(&got);
	test_rmtree(dir);
	free(dir);
}

static void
test_bad_names(void **state)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "../uit.txt", "a/../../b", "map/", "c:\\x",
		"a\\b", "tab\there", "caf\xc3\xa9.txt",
	};
	struct zipfile *z;
	size_t i;
	char big[ZIPFILE_NAME_MAX + 2];

	(void)state;
	assert_int_equal(zipfile_new(&z), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zipfile_add(z, bad[i], "x", 1), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(zipfile_add(z, big, "x", 1), -1);
	big[ZIPFILE_NAME_MAX] = '\0';
	assert_int_equal(zipfile_add(z, big, "x", 1), 0);
	assert_int_equal(zipfile_add(z, "a.txt", "x", 1), 0);
	assert_int_equal(zipfile_add(z, "a.txt", "y", 1), -1);	/* twice */
	/* A comment: printable ASCII within its limit, at the very end. */
	assert_int_equal(zipfile_comment(z, "a\nb", 3), -1);
	assert_int_equal(zipfile_comment(z, "x", ZIPFILE_COMMENT_MAX + 1), -1);
	assert_int_equal(zipfile_comment(z, "seal 0123", 9), 0);
	{
		struct buf zip = BUF_INIT;

		assert_int_equal(zipfile_finish(z, NULL, &zip), 0);
		assert_memory_equal(zip.data + zip.len - 9, "seal 0123", 9);
		assert_int_equal(zipfile_comment(z, "later", 5), -1);
		buf_wipe_release(&zip);
	}
	zipfile_free(z);
	/* Not an archive at all. */
	assert_int_equal(zipfile_read("not a zip", 9, NULL, check_entry, NULL),
	                 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_7zip_opens_it),
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
