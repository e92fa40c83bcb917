/*
 * test_apitokens.c - the token actions of core/apitokens.h (making and
 * revoking a staff API token): what each answers, and that a failure of
 * any statement leaves nothing half done (no token, no success row).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apitokens.h"
#include "db.h"
#include "install.h"
#include "testutil.h"
#include "users.h"

struct fixture {
	struct test_install t;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
	struct actor who;	/* coordinator1 */
	struct actor other;	/* a user who holds no token */
	struct actor admin;
	char public_id[APITOKEN_ID_LEN + 1];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int64_t id;

	test_install_new("apitokens", &f->t);
	assert_int_equal(users_create(f->t.inst->db, "coordinator1", "",
	                 ROLE_COORDINATOR | ROLE_HR, "a long enough password",
	                 &PWHASH_FAST, &id, f->pk, &f->sk), 0);
	f->who.user_id = id;
	f->who.name = "coordinator1";
	f->who.roles = ROLE_COORDINATOR | ROLE_HR;
	f->other.user_id = id + 100;
	f->other.name = "someone";
	f->other.roles = ROLE_HR;
	f->admin.user_id = 1;
	f->admin.name = "admin";
	f->admin.roles = ROLE_ADMIN;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_install_free(&f->t);
	secret_free(f->sk);
	free(f);
	return 0;
}

static int
make(void *arg)
{
	struct fixture *f = arg;
	char text[APITOKENS_TEXT_LEN + 1];
	struct outcome o;

	o = apitokens_make(f->t.inst, &f->who, f->pk, f->sk, ROLE_HR, "stats",
	                   30, time(NULL), text);
	if (o.verdict != VERDICT_DONE)
		return -1;
	assert_int_equal(strlen(text), APITOKENS_TEXT_LEN);
	return 0;
}

static void
test_make(void **state)
{
	struct fixture *f = *state;
	char text[APITOKENS_TEXT_LEN + 1];
	struct apitoken_row *rows;
	struct outcome o;
	size_t n;

	o = apitokens_make(f->t.inst, &f->who, f->pk, f->sk, ROLE_HR, "", 30,
	                   time(NULL), text);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "tokens.bad_label");
	o = apitokens_make(f->t.inst, &f->who, f->pk, f->sk, ROLE_HR, "x", 0,
	                   time(NULL), text);
	assert_string_equal(o.key, "tokens.bad_days");
	o = apitokens_make(f->t.inst, &f->who, f->pk, f->sk, ROLE_ADMIN, "x", 3,
	                   time(NULL), text);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "tokens.bad_roles");

	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, make, f) > 1);
	assert_int_equal(apitokens_list(f->t.inst->db, f->who.user_id, time(NULL),
	                 &rows, &n), 0);
	assert_int_equal(n, 1);
	apitokens_list_free(rows);
}

static int
withdraw(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	o = apitokens_withdraw(f->t.inst->db, &f->who, f->public_id, time(NULL));
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static void
test_withdraw(void **state)
{
	struct fixture *f = *state;
	struct apitoken_row *rows;
	struct outcome o;
	size_t n;

	assert_int_equal(make(f), 0);
	assert_int_equal(apitokens_list(f->t.inst->db, f->who.user_id, time(NULL),
	                 &rows, &n), 0);
	assert_int_equal(n, 1);
	memcpy(f->public_id, rows[0].public_id, sizeof(f->public_id));
	apitokens_list_free(rows);

	/* Not someone else's to revoke; an unknown id is not found. */
	o = apitokens_withdraw(f->t.inst->db, &f->other, f->public_id, time(NULL));
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);
	assert_string_equal(o.key, "tokens.not_found");
	o = apitokens_withdraw(f->t.inst->db, &f->who, "nonsense", time(NULL));
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);

	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, withdraw, f) > 1);
	o = apitokens_withdraw(f->t.inst->db, &f->who, f->public_id, time(NULL));
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);

	/* An admin revokes anyone's. */
	assert_int_equal(make(f), 0);
	assert_int_equal(apitokens_list(f->t.inst->db, f->who.user_id, time(NULL),
	                 &rows, &n), 0);
	assert_int_equal(n, 2);
	o = apitokens_withdraw(f->t.inst->db, &f->admin, rows[0].public_id,
	                       time(NULL));
	assert_int_equal(o.verdict, VERDICT_DONE);
	apitokens_list_free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_make, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
	};

	return cmocka_run_group_tests_name("apitokens", tests, NULL, NULL);
}
