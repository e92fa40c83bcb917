/*
 * test_keyrings.c - granting, revoking and recovering keyring access, and
 * users' passwords.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

struct fixture {
	char *dir;
	struct install_result res;
	struct installation *inst;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = test_tmpdir("keyrings");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &f->res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
test_grant_and_revoke(void **state)
{
	struct fixture *f = *state;
	struct secret *admin_sk, *ring_sk, *coord_sk, *got;
	uint8_t coord_pk[CRYPTO_PUBLICKEY_LEN];
	struct user admin;
	int64_t coord;

	assert_int_equal(users_find(f->inst->db, "admin", &admin), 0);
	assert_int_equal(users_unlock(&admin, f->res.admin_password, &admin_sk), 0);
	assert_int_equal(users_create(f->inst->db, "coordinator1", "C. Oordinator",
	                 ROLE_COORDINATOR, "a long enough password", &PWHASH_FAST,
	                 &coord, coord_pk, &coord_sk), 0);

	/* Not a member yet. */
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_SIGNALS, coord,
	                 coord_pk, coord_sk, &got), 1);
	assert_null(got);

	/* The admin (a member) grants access. */
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_SIGNALS, admin.id,
	                 admin.public_key, admin_sk, &ring_sk), 0);
	assert_int_equal(keyrings_grant(f->inst->db, KEYRING_SIGNALS, ring_sk,
	                 coord, coord_pk), 0);
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_SIGNALS, coord,
	                 coord_pk, coord_sk, &got), 0);
	assert_memory_equal(got->bytes, ring_sk->bytes, ring_sk->len);
	secret_free(got);

	/* The coordinator's key does not open the admin's copy. */
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_SIGNALS, admin.id,
	                 admin.public_key, coord_sk, &got), -1);
	assert_null(got);

	/* Revoked: gone. */
	assert_int_equal(keyrings_revoke(f->inst->db, KEYRING_SIGNALS, coord), 0);
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_SIGNALS, coord,
	                 coord_pk, coord_sk, &got), 1);

	/* Granting to an unknown keyring fails. */
	assert_int_equal(keyrings_grant(f->inst->db, "no-such-ring", ring_sk,
	                 coord, coord_pk), -1);
	secret_free(ring_sk);
	secret_free(coord_sk);
	secret_free(admin_sk);
	user_release(&admin);
}

static void
test_recovery_restores_access(void **state)
{
	struct fixture *f = *state;
	struct secret *rec_sk, *ring_sk, *sk, *got;
	uint8_t rec_pk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	int64_t id;

	/* A successor whose predecessor left: only the recovery key helps. */
	assert_int_equal(users_create(f->inst->db, "vpt2", "", ROLE_VPT,
	                 "another long password", &PWHASH_FAST, &id, pk, &sk), 0);
	assert_int_equal(recovery_parse(f->res.recovery_key, &rec_sk, rec_pk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rec_pk,
	                 rec_sk, &ring_sk), 0);
	assert_int_equal(keyrings_grant(f->inst->db, KEYRING_INCIDENTS, ring_sk,
	                 id, pk), 0);
	assert_int_equal(keyrings_unlock(f->inst->db, KEYRING_INCIDENTS, id, pk, sk,
	                 &got), 0);
	secret_free(got);
	secret_free(ring_sk);
	secret_free(rec_sk);

	/* A wrong recovery key opens nothing. */
	assert_int_equal(keyring_create(rec_pk, &rec_sk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rec_pk,
	                 rec_sk, &ring_sk), -1);
	assert_null(ring_sk);
	secret_free(rec_sk);
	secret_free(sk);
}

static void
test_users(void **state)
{
	struct fixture *f = *state;
	struct secret *sk;
	struct user u;
	int64_t id;

	assert_int_equal(users_create(f->inst->db, "hr.jansen", "", ROLE_HR |
	                 ROLE_AUDITOR, "correct horse battery", &PWHASH_FAST,
	                 &id, NULL, NULL), 0);
	assert_int_equal(users_find(f->inst->db, "hr.jansen", &u), 0);
	assert_int_equal(u.id, id);
	assert_int_equal(u.roles, ROLE_HR | ROLE_AUDITOR);
	assert_int_equal(users_unlock(&u, "correct horse battery", &sk), 0);
	secret_free(sk);
	assert_int_equal(users_unlock(&u, "correct horse batterY", &sk), -1);
	user_release(&u);

	assert_int_equal(users_find(f->inst->db, "nobody", &u), 1);
	/* Taken name, invalid names, short password. */
	assert_int_equal(users_create(f->inst->db, "hr.jansen", "", ROLE_HR,
	                 "correct horse battery", &PWHASH_FAST, NULL, NULL, NULL), -1);
	assert_int_equal(users_create(f->inst->db, "Has Space", "", ROLE_HR,
	                 "correct horse battery", &PWHASH_FAST, NULL, NULL, NULL), -1);
	assert_int_equal(users_create(f->inst->db, "", "", ROLE_HR,
	                 "correct horse battery", &PWHASH_FAST, NULL, NULL, NULL), -1);
	assert_int_equal(users_create(f->inst->db, "short", "", ROLE_HR,
	                 "short", &PWHASH_FAST, NULL, NULL, NULL), -1);
	assert_int_equal(users_find(f->inst->db, "short", &u), 1);
	assert_int_equal(role_parse("coordinator"), ROLE_COORDINATOR);
	assert_int_equal(role_parse("root"), 0);
	assert_string_equal(role_name(ROLE_OVERLEG), "overleg");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grant_and_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_restores_access, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	};
	return cmocka_run_group_tests_name("keyrings", tests, NULL, NULL);
}
