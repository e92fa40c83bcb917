/*
 * test_install.c - creating and opening an installation: the keyrings, the
 * recovery key and the first admin; init refuses an existing installation
 * and changes nothing; a wrong secret file is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

static const char *const rings[] = {
	KEYRING_SIGNALS, KEYRING_INCIDENTS, KEYRING_STATISTICS,
};

static int
setup(void **state)
{
	*state = test_tmpdir("install");
	return 0;
}

static int
teardown(void **state)
{
	test_rmtree(*state);
	free(*state);
	return 0;
}

static char *
sub(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s", dir, name);
	return buf_detach(&b, NULL);
}

static void
test_create_and_open(void **state)
{
	const char *base = *state;
	char *dir = sub(base, "inst"), *key = sub(dir, INSTALL_SECRET_FILE);
	struct install_result res;
	struct installation *inst;
	struct secret *admin_sk, *ring_sk, *rec_sk, *ring_sk2;
	uint8_t rec_pk[CRYPTO_PUBLICKEY_LEN];
	struct user u;
	struct stat st;
	int64_t rows, bad;
	size_t i;

	assert_int_equal(install_create(dir, "beheer", &PWHASH_FAST, &res), 0);
	assert_int_equal(strlen(res.recovery_key), RECOVERY_TEXT_LEN);
	assert_int_equal(strlen(res.admin_password), TOKEN_PASSWORD_LEN);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);

	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(users_find(inst->db, "beheer", &u), 0);
	assert_int_equal(u.roles, ROLE_ADMIN);
	assert_int_equal(u.must_change_password, 1);
	assert_int_equal(users_unlock(&u, "wrong password!", &admin_sk), -1);
	assert_null(admin_sk);
	assert_int_equal(users_unlock(&u, res.admin_password, &admin_sk), 0);
	assert_int_equal(recovery_parse(res.recovery_key, &rec_sk, rec_pk), 0);

	/* The admin and the recovery key open the same three keyrings. */
	for (i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		assert_int_equal(keyrings_unlock(inst->db, rings[i], u.id,
		                 u.public_key, admin_sk, &ring_sk), 0);
		assert_int_equal(keyrings_recover(inst->db, rings[i], rec_pk,
		                 rec_sk, &ring_sk2), 0);
		assert_memory_equal(ring_sk->bytes, ring_sk2->bytes, ring_sk->len);
		secret_free(ring_sk);
		secret_free(ring_sk2);
	}
	assert_int_equal(audit_verify(inst->db, &rows, &bad), 0);
	assert_true(rows >= 5);
	secret_free(rec_sk);
	secret_free(admin_sk);
	user_release(&u);
	assert_int_equal(install_close(inst), 0);
	free(key);
	free(dir);
}

/* The bytes of every file in dir, in name order. */
static char *
folder_bytes(const char *dir)
{
	static const char *const names[] = {
		INSTALL_DB_FILE, INSTALL_DB_FILE "-wal", INSTALL_SECRET_FILE,
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *p = sub(dir, names[i]);

		buf_addf(&b, "[%s]", names[i]);
		test_read_file(p, &b);
		free(p);
	}
	return buf_detach(&b, NULL);
}

static void
test_init_twice_changes_nothing(void **state)
{
	const char *base = *state;
	char *dir = sub(base, "inst"), *before, *after;
	struct install_result res;

	assert_int_equal(install_create(dir, "admin", &PWHASH_FAST, &res), 0);
	before = folder_bytes(dir);
	assert_int_equal(install_create(dir, "admin", &PWHASH_FAST, &res), -1);
	assert_string_equal(res.recovery_key, "");
	after = folder_bytes(dir);
	assert_int_equal(strlen(before), strlen(after));
	assert_memory_equal(before, after, strlen(before));
	free(before);
	free(after);
	free(dir);
}

static void
test_stray_secret_refused(void **state)
{
	const char *base = *state;
	char *key = sub(base, INSTALL_SECRET_FILE), *db = sub(base, INSTALL_DB_FILE);
	struct install_result res;
	FILE *f = fopen(key, "w");

	fputs("not ours", f);
	fclose(f);
	assert_int_equal(install_create(base, "admin", &PWHASH_FAST, &res), -1);
	assert_int_equal(access(db, F_OK), -1);
	free(key);
	free(db);
}

static void
test_failed_init_leaves_nothing(void **state)
{
	const char *base = *state;
	char *dir = sub(base, "new");
	struct install_result res;

	/* An invalid admin name fails before anything is made. */
	assert_int_equal(install_create(dir, "Not Valid!", &PWHASH_FAST, &res), -1);
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);
}

static void
test_wrong_secret_refused(void **state)
{
	const char *base = *state;
	char *a = sub(base, "a"), *b = sub(base, "b");
	char *akey = sub(a, INSTALL_SECRET_FILE), *bkey = sub(b, INSTALL_SECRET_FILE);
	struct install_result res;
	struct installation *inst;

	assert_int_equal(install_create(a, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_create(b, "admin", &PWHASH_FAST, &res), 0);
	/* b's secret next to a's database. */
	assert_int_equal(rename(bkey, akey), 0);
	assert_int_equal(install_open(a, 0, &inst), -1);
	assert_null(inst);
	/* A secret others can read is refused too. */
	assert_int_equal(chmod(akey, 0644), 0);
	assert_int_equal(install_open(a, 0, &inst), -1);
	/* And a missing one. */
	assert_int_equal(unlink(akey), 0);
	assert_int_equal(install_open(a, 0, &inst), -1);
	/* No installation at all. */
	assert_int_equal(install_open(base, 0, &inst), -1);
	free(a);
	free(b);
	free(akey);
	free(bkey);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_twice_changes_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_stray_secret_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_failed_init_leaves_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_secret_refused, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("install", tests, NULL, NULL);
}
