/*
 * test_staff.c - an admin's actions on staff accounts (core/staff.h):
 * what each answers, and that a failure of any statement of an action
 * leaves nothing half done (the state as before, no success row).
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "install.h"
#include "keyrings.h"
#include "staff.h"
#include "testutil.h"
#include "users.h"

struct fixture {
	struct test_install t;
	struct secret *admin_sk, *ring_sk;
	struct actor_ring ring;
	struct actor admin;
	struct actor coordinator;	/* not an admin */
	int limited;
	char password[STAFF_PASSWORD_LEN + 1];
};

static int
limit_hit(void *arg)
{
	struct fixture *f = arg;

	return !f->limited;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct user u;

	test_install_new("staff", &f->t);
	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, f->t.res.admin_password, &f->admin_sk), 0);
	assert_int_equal(keyrings_unlock(f->t.inst->db, KEYRING_SIGNALS, u.id,
	                 u.public_key, f->admin_sk, &f->ring_sk), 0);
	f->ring.name = KEYRING_SIGNALS;
	f->ring.sk = f->ring_sk;
	f->admin.user_id = u.id;
	f->admin.name = "admin";
	f->admin.roles = ROLE_ADMIN;
	f->admin.rings = &f->ring;
	f->admin.nrings = 1;
	f->coordinator.user_id = u.id + 1;
	f->coordinator.name = "coordinator1";
	f->coordinator.roles = ROLE_COORDINATOR;
	user_release(&u);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_install_free(&f->t);
	secret_free(f->ring_sk);
	secret_free(f->admin_sk);
	free(f);
	return 0;
}

static int
create(void *arg)
{
	struct fixture *f = arg;
	struct staff_limit limit = { limit_hit, f };
	struct outcome o;

	o = staff_create(f->t.inst->db, &f->admin, "vpt1", "V. Pt", ROLE_VPT,
	                 &limit, f->password);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static void
test_create(void **state)
{
	struct fixture *f = *state;
	struct staff_limit limit = { limit_hit, f };
	struct outcome o;
	struct user u;

	o = staff_create(f->t.inst->db, &f->admin, "Bad Name", "", ROLE_VPT,
	                 &limit, f->password);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "admin.name_bad");
	o = staff_create(f->t.inst->db, &f->admin, "vpt1", "two\nlines", ROLE_VPT,
	                 &limit, f->password);
	assert_string_equal(o.key, "admin.display_bad");
	o = staff_create(f->t.inst->db, &f->admin, "vpt1", "", 0, &limit,
	                 f->password);
	assert_string_equal(o.key, "admin.roles_missing");
	o = staff_create(f->t.inst->db, &f->admin, "admin", "", ROLE_VPT, &limit,
	                 f->password);
	assert_string_equal(o.key, "admin.name_taken");
	o = staff_create(f->t.inst->db, &f->coordinator, "vpt1", "", ROLE_VPT,
	                 &limit, f->password);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	f->limited = 1;
	o = staff_create(f->t.inst->db, &f->admin, "vpt1", "", ROLE_VPT, &limit,
	                 f->password);
	assert_int_equal(o.verdict, VERDICT_LIMITED);
	f->limited = 0;

	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, create, f) > 1);
	assert_int_equal(users_find(f->t.inst->db, "vpt1", &u), 0);
	assert_int_equal(u.roles, ROLE_VPT);
	user_release(&u);
	assert_int_equal(strlen(f->password), STAFF_PASSWORD_LEN);
}

static int
disable(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	o = staff_disable(f->t.inst->db, &f->admin, "vpt1", 1);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
reset(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	o = staff_reset(f->t.inst->db, &f->admin, "vpt1", NULL, f->password);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
grant(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	/* signalen to a VPT coordinator: granted only when confirmed. */
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_SIGNALS, NULL,
	                1);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
grant_recovered(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_INCIDENTS,
	                f->t.res.recovery_key, 0);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
revoke(void *arg)
{
	struct fixture *f = arg;
	struct outcome o;

	o = staff_revoke(f->t.inst->db, &f->admin, "vpt1", KEYRING_SIGNALS);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static void
test_account_actions(void **state)
{
	struct fixture *f = *state;
	struct outcome o;
	struct user u;

	assert_int_equal(create(f), 0);

	/* Not oneself, not someone who is not there. */
	o = staff_disable(f->t.inst->db, &f->admin, "admin", 1);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "admin.not_self");
	o = staff_reset(f->t.inst->db, &f->admin, "admin", NULL, f->password);
	assert_string_equal(o.key, "admin.not_self");
	o = staff_disable(f->t.inst->db, &f->admin, "nobody", 1);
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);
	assert_string_equal(o.key, "admin.not_found");

	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, disable, f) > 1);
	assert_int_equal(users_find(f->t.inst->db, "vpt1", &u), 0);
	assert_true(u.disabled);
	user_release(&u);
	o = staff_disable(f->t.inst->db, &f->admin, "vpt1", 0);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_string_equal(o.key, "admin.enabled_done");

	/* Keyrings: unknown, without a key, with the admin's, recovered. */
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", "no-such", NULL, 1);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_INCIDENTS, NULL,
	                0);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "admin.need_key");
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_INCIDENTS,
	                "not a recovery key", 0);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "admin.recovery_bad");
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, grant, f) > 1);
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, grant_recovered,
	                           f) > 1);
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, revoke, f) > 1);

	/* A reset: the keyrings it held become pending. */
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, reset, f) > 1);
	assert_int_equal(users_find(f->t.inst->db, "vpt1", &u), 0);
	assert_true(u.must_change_password);
	user_release(&u);
}

static int
count(struct fixture *f, const char *sql)
{
	return (int)test_count(f->t.dir, sql);
}

static void
test_grant_confirmed(void **state)
{
	struct fixture *f = *state;
	char *before, *after;
	struct outcome o;

	assert_int_equal(create(f), 0);
	/* A keyring the account's roles do not handle: asked, nothing done. */
	before = test_db_snapshot(f->t.db_path);
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_SIGNALS, NULL,
	                0);
	assert_int_equal(o.verdict, VERDICT_STALE);
	assert_string_equal(o.key, STAFF_GRANT_CONFIRM);
	assert_string_equal(o.field, "confirm");
	after = test_db_snapshot(f->t.db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* Asked before the recovery key is tried: a wrong one is no row. */
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_SIGNALS,
	                "not a recovery key", 0);
	assert_int_equal(o.verdict, VERDICT_STALE);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action ="
	                 " 'recovery-key'"), 0);
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_MEETING, NULL,
	                0);
	assert_int_equal(o.verdict, VERDICT_INVALID);	/* no overleg yet */

	/* Confirmed: granted, and the confirmation is on record. */
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, grant, f) > 2);
	assert_int_equal(count(f, "SELECT count(*) FROM keyring_members m JOIN"
	                 " keyrings k ON k.id = m.keyring_id JOIN users u ON"
	                 " u.id = m.user_id WHERE u.username = 'vpt1' AND"
	                 " k.name = 'signalen'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE actor ="
	                 " 'admin' AND action = 'keyring-grant-confirmed' AND"
	                 " object LIKE 'signalen user=% roles=vpt' AND result ="
	                 " 'ok'"), 1);
	/* A keyring the roles handle is not asked about. */
	assert_int_equal(grant_recovered(f), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action ="
	                 " 'keyring-grant-confirmed'"), 1);
}

static int
make_hr(void *arg)
{
	struct fixture *f = arg;
	char taken[STAFF_TAKEN_MAX];
	struct outcome o;

	o = staff_roles(f->t.inst->db, &f->admin, "vpt1", ROLE_HR, taken);
	if (o.verdict != VERDICT_DONE)
		return -1;
	assert_string_equal(taken, "agressie");
	return 0;
}

static void
test_roles_changed(void **state)
{
	struct fixture *f = *state;
	char taken[STAFF_TAKEN_MAX];
	struct outcome o;
	struct user u;

	assert_int_equal(create(f), 0);
	/* vpt1 holds agressie and statistiek for its role, signalen by a
	 * confirmed exception. */
	assert_int_equal(grant_recovered(f), 0);
	o = staff_grant(f->t.inst->db, &f->admin, "vpt1", KEYRING_STATISTICS,
	                f->t.res.recovery_key, 0);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_int_equal(grant(f), 0);

	/* Not oneself, never none, only an admin, only an account. */
	o = staff_roles(f->t.inst->db, &f->admin, "admin", ROLE_HR, taken);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "admin.not_self");
	o = staff_roles(f->t.inst->db, &f->admin, "vpt1", 0, taken);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "admin.roles_missing");
	o = staff_roles(f->t.inst->db, &f->admin, "vpt1", 1u << 20, taken);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	o = staff_roles(f->t.inst->db, &f->coordinator, "vpt1", ROLE_HR, taken);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action ="
	                 " 'user-roles' AND result = 'refused'"), 1);
	o = staff_roles(f->t.inst->db, &f->admin, "nobody", ROLE_HR, taken);
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);

	/*
	 * VPT to HR: agressie, which only the VPT role handled, is taken;
	 * statistiek (HR handles it) and signalen (granted for the person)
	 * stay. Every statement failed in turn leaves all as it was.
	 */
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, make_hr, f) > 3);
	assert_int_equal(users_find(f->t.inst->db, "vpt1", &u), 0);
	assert_int_equal(u.roles, ROLE_HR);
	assert_int_equal(count(f, "SELECT group_concat(k.name, ' ') = 'signalen"
	                 " statistiek' FROM (SELECT k.name FROM keyring_members"
	                 " m JOIN keyrings k ON k.id = m.keyring_id WHERE"
	                 " m.user_id = (SELECT id FROM users WHERE username ="
	                 " 'vpt1') ORDER BY k.name) k"), 1);
	user_release(&u);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE actor ="
	                 " 'admin' AND action = 'user-roles' AND object ="
	                 " 'vpt1: vpt -> hr' AND result = 'ok'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE actor ="
	                 " 'admin' AND action = 'keyring-revoke' AND object LIKE"
	                 " 'agressie user=%'"), 1);

	/* Back to VPT: nothing is granted by the change itself. */
	o = staff_roles(f->t.inst->db, &f->admin, "vpt1", ROLE_VPT | ROLE_HR,
	                taken);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_string_equal(taken, "");
	assert_int_equal(count(f, "SELECT count(*) FROM keyring_members m JOIN"
	                 " keyrings k ON k.id = m.keyring_id WHERE k.name ="
	                 " 'agressie' AND m.user_id = (SELECT id FROM users"
	                 " WHERE username = 'vpt1')"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_account_actions, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_grant_confirmed, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_roles_changed, setup,
		                                teardown),
	};

	setenv("MELDPUNT_PWHASH", "fast", 1);
	return cmocka_run_group_tests_name("staff", tests, NULL, NULL);
}
