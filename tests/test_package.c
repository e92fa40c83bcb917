/*
 * test_package.c - signed packages (package.h), the frame of a partner
 * hand-off: a package verifies with its passphrase and its installation's
 * hand-off key and not otherwise; every single changed byte of the file
 * fails verification; a partner's standard tools (7-Zip, sha256sum,
 * openssl pkeyutl) check the manifest and its signature; `meldpunt
 * handoff key` and `handoff verify` do the same from the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "package.h"
#include "testutil.h"

static const char pass[] = "mossel-kaars-vijver-72";
static const char json[] = "{\"case\":\"12\",\"answers\":{\"description\":\"loods\"}}";
static const unsigned char photo[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a };

static void
make(const struct secret *s, const char *password, struct buf *out)
{
	struct package *p;
	uint8_t h[CRYPTO_SHA256_LEN];
	char hex[65];

	assert_int_equal(package_new(&p), 0);
	assert_int_equal(package_add(p, "overdracht.json", json,
	                             sizeof(json) - 1, NULL), 0);
	assert_int_equal(package_add(p, "bestanden/1-foto.jpg", photo,
	                             sizeof(photo), h), 0);
	package_sha256_hex(photo, sizeof(photo), hex);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(package_add(p, "leeg.txt", "", 0, NULL), 0);
	/* The manifest's names are the package's own. */
	assert_int_equal(package_add(p, PACKAGE_MANIFEST, "x", 1, NULL), -1);
	assert_int_equal(package_add(p, PACKAGE_SIGNATURE, "x", 1, NULL), -1);
	assert_int_equal(package_finish(p, s, password, out), 0);
	package_free(p);
}

static void
test_verifies_with_its_key_and_passphrase(void **state)
{
	char *dir, *db, *dir2, *db2;
	struct installation *inst = test_install("package", &dir, &db);
	struct installation *other = test_install("package2", &dir2, &db2);
	struct buf zip = BUF_INIT, problem = BUF_INIT;
	struct package_key key, key2;
	size_t n = 0;

	(void)state;
	assert_int_equal(package_key_of(inst->secret, &key), 0);
	assert_int_equal(package_key_of(other->secret, &key2), 0);
	assert_memory_not_equal(key.pk, key2.pk, sizeof(key.pk));
	make(inst->secret, pass, &zip);
	assert_false(test_contains(&zip, "loods", 5));
	assert_int_equal(package_verify(zip.data, zip.len, pass, key.pk,
	                                &problem, &n), 0);
	assert_int_equal(n, 3);
	/* Another installation's key: the signatures do not fit. */
	assert_int_equal(package_verify(zip.data, zip.len, pass, key2.pk,
	                                &problem, &n), 1);
	assert_non_null(strstr(problem.data, "signature"));
	buf_reset(&problem);
	/* Without the passphrase, or with another, it does not open. */
	assert_int_equal(package_verify(zip.data, zip.len, NULL, key.pk,
	                                &problem, NULL), -1);
	assert_int_equal(package_verify(zip.data, zip.len, "mossel", key.pk,
	                                &problem, NULL), -1);
	buf_wipe_release(&zip);
	buf_release(&problem);
	test_install_remove(inst, dir, db);
	test_install_remove(other, dir2, db2);
}

/* One changed byte, wherever it is, and the package does not verify. */
static void
test_every_changed_byte_fails(void **state)
{
	char *dir, *db;
	struct installation *inst = test_install("package", &dir, &db);
	struct buf zip = BUF_INIT, problem = BUF_INIT;
	struct package_key key;
	size_t i;

	(void)state;
	assert_int_equal(package_key_of(inst->secret, &key), 0);
	make(inst->secret, pass, &zip);
	for (i = 0; i < zip.len; i++) {
		zip.data[i] ^= 0x01;
		assert_int_not_equal(package_verify(zip.data, zip.len, pass,
		                                    key.pk, &problem, NULL), 0);
		zip.data[i] ^= 0x01;
		buf_reset(&problem);
	}
	/* Cut short, or a byte more: neither verifies. */
	assert_int_not_equal(package_verify(zip.data, zip.len - 1, pass, key.pk,
	                                    &problem, NULL), 0);
	buf_addch(&zip, 'x');
	assert_int_not_equal(package_verify(zip.data, zip.len, pass, key.pk,
	                                    &problem, NULL), 0);
	buf_truncate(&zip, zip.len - 1);
	assert_int_equal(package_verify(zip.data, zip.len, pass, key.pk,
	                                &problem, NULL), 0);
	buf_wipe_release(&zip);
	buf_release(&problem);
	test_install_remove(inst, dir, db);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/*
 * What README's "Checking a hand-off" tells a partner to run: 7-Zip
 * unpacks with the passphrase, sha256sum checks the files against the
 * manifest, openssl checks the manifest's signature with the PEM key,
 * and the key's fingerprint is the SHA-256 of its DER form.
 */
static void
test_partner_checks_with_standard_tools(void **state)
{
	char *dir, *db, *work = test_tmpdir("partner");
	struct installation *inst = test_install("package", &dir, &db);
	struct buf zip = BUF_INIT, path = BUF_INIT, cmd = BUF_INIT;
	struct buf got = BUF_INIT;
	struct package_key key;

	(void)state;
	assert_int_equal(package_key_of(inst->secret, &key), 0);
	make(inst->secret, pass, &zip);
	buf_addf(&path, "%s/overdracht.zip", work);
	write_file(path.data, zip.data, zip.len);
	buf_reset(&path);
	buf_addf(&path, "%s/handoff.pem", work);
	write_file(path.data, key.pem, strlen(key.pem));
	buf_addf(&cmd, "cd '%s' && 7zz x -p'%s' -ouit overdracht.zip "
	         ">/dev/null 2>&1", work, pass);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s/uit' && sha256sum --quiet --strict -c "
	         "manifest.sha256", work);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s' && openssl pkeyutl -verify -pubin -inkey "
	         "handoff.pem -rawin -in uit/manifest.sha256 -sigfile "
	         "uit/manifest.sig > verified.txt", work);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/verified.txt", work);
	assert_int_equal(test_read_file(path.data, &got), 0);
	assert_non_null(strstr(got.data, "Signature Verified Successfully"));
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s' && openssl pkey -pubin -in handoff.pem "
	         "-outform DER | sha256sum > fingerprint.txt", work);
	assert_int_equal(test_sh(cmd.data), 0);
	buf_reset(&path);
	buf_reset(&got);
	buf_addf(&path, "%s/fingerprint.txt", work);
	assert_int_equal(test_read_file(path.data, &got), 0);
	assert_memory_equal(got.data, key.fingerprint, 64);
	/* A file changed after unpacking: sha256sum says so. */
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s/uit' && printf x >> overdracht.json && "
	         "sha256sum --quiet -c manifest.sha256 >/dev/null 2>&1", work);
	assert_int_not_equal(test_sh(cmd.data), 0);
	/*
	 * A changed manifest: openssl says so. Each line's first digit is
	 * changed for sure (0 becomes 1, anything else 0): 's/^./0/' alone
	 * left a manifest whose digests all began with 0 as it was, and the
	 * check then failed now and then.
	 */
	buf_reset(&cmd);
	buf_addf(&cmd, "cd '%s' && sed -i -e 's/^0/1/;t' -e 's/^./0/' "
	         "uit/manifest.sha256 && "
	         "openssl pkeyutl -verify -pubin -inkey handoff.pem -rawin "
	         "-in uit/manifest.sha256 -sigfile uit/manifest.sig "
	         ">/dev/null 2>&1", work);
	assert_int_not_equal(test_sh(cmd.data), 0);
	/* The PEM text reads back as the same key. */
	{
		struct package_key back;

		assert_int_equal(package_key_parse(key.pem, strlen(key.pem),
		                                   &back), 0);
		assert_memory_equal(back.pk, key.pk, sizeof(key.pk));
		static const char bad[] = "-----BEGIN PUBLIC KEY-----\n"
		                          "AAAA\n-----END PUBLIC KEY-----\n";

		assert_int_equal(package_key_parse(bad, sizeof(bad) - 1, &back),
		                 -1);
	}
	buf_wipe_release(&zip);
	buf_release(&path);
	buf_release(&cmd);
	buf_release(&got);
	test_rmtree(work);
	free(work);
	test_install_remove(inst, dir, db);
}

/* `meldpunt handoff key` and `handoff verify FILE` on the command line. */
static void
test_command_line(void **state)
{
	char *dir, *db, *work = test_tmpdir("handoff-cli");
	struct installation *inst = test_install("package", &dir, &db);
	struct buf zip = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct buf file = BUF_INIT, pem = BUF_INIT, pf = BUF_INIT;
	struct package_key key;

	(void)state;
	assert_int_equal(package_key_of(inst->secret, &key), 0);
	make(inst->secret, pass, &zip);
	buf_addf(&file, "%s/p.zip", work);
	write_file(file.data, zip.data, zip.len);
	buf_addf(&pem, "%s/handoff.pem", work);
	write_file(pem.data, key.pem, strlen(key.pem));
	buf_addf(&pf, "%s/pass.txt", work);
	write_file(pf.data, pass, sizeof(pass) - 1);
	{
		const char *argv[] = { "--data", dir, "handoff", "key", NULL };

		assert_int_equal(test_run(&out, &err, argv), 0);
		assert_non_null(strstr(out.data, key.pem));
		assert_non_null(strstr(out.data, key.fingerprint));
	}
	{
		const char *argv[] = { "--data", dir, "handoff", "verify",
		                       file.data, NULL };

		buf_reset(&out);
		setenv("MELDPUNT_HANDOFF_PASSPHRASE", pass, 1);
		assert_int_equal(test_run(&out, &err, argv), 0);
		assert_non_null(strstr(out.data, "intact"));
		assert_non_null(strstr(out.data, key.fingerprint));
		assert_non_null(strstr(out.data, "3 entries"));
		setenv("MELDPUNT_HANDOFF_PASSPHRASE", "mossel", 1);
		assert_int_equal(test_run(&out, &err, argv), 1);
		unsetenv("MELDPUNT_HANDOFF_PASSPHRASE");
		/* Asked on stdin. */
		buf_reset(&out);
		assert_int_equal(test_run_stdin(pass, &out, &err, argv), 0);
		/* One byte changed: not intact, exit 1. */
		zip.data[zip.len / 2] ^= 0x20;
		write_file(file.data, zip.data, zip.len);
		buf_reset(&out);
		assert_int_equal(test_run_stdin(pass, &out, &err, argv), 1);
		assert_non_null(strstr(out.data, "NOT intact"));
		zip.data[zip.len / 2] ^= 0x20;
		write_file(file.data, zip.data, zip.len);
	}
	{
		/* A partner's copy of the key, without the installation. */
		const char *argv[] = { "--data", work, "handoff", "verify",
		                       file.data, "--key", pem.data,
		                       "--passphrase-file", pf.data, NULL };

		buf_reset(&out);
		assert_int_equal(test_run(&out, &err, argv), 0);
		assert_non_null(strstr(out.data, "intact"));
	}
	{
		const char *argv[] = { "--data", dir, "handoff", "sign", NULL };

		assert_int_equal(test_run(&out, &err, argv), 2);
	}
	buf_wipe_release(&zip);
	buf_release(&out);
	buf_release(&err);
	buf_release(&file);
	buf_release(&pem);
	buf_release(&pf);
	test_rmtree(work);
	free(work);
	test_install_remove(inst, dir, db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verifies_with_its_key_and_passphrase),
		cmocka_unit_test(test_every_changed_byte_fails),
		cmocka_unit_test(test_partner_checks_with_standard_tools),
		cmocka_unit_test(test_command_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
