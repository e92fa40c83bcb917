/*
 * test_login.c - core's login, first-login set-up and password change
 * (core/login.h): what each unlocks and refuses, what it counts against
 * the limits, and that a failure of any statement leaves nothing half
 * done: never a login let in, never a failed attempt left uncounted.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "installation.h"
#include "clock.h"
#include "db.h"
#include "hashgate.h"
#include "install.h"
#include "keyrings.h"
#include "login.h"
#include "testutil.h"
#include "users.h"

#define NEW_PASSWORD "a brand new pass phrase"

struct fixture {
	struct test_install t;
	struct secret *totp;	/* the admin's, once set up */
	int failed;		/* failures counted by the limit */
	int locked;		/* 1: the limit refuses */
	int begins;		/* attempts the limit was asked about */
	struct login_limit limit;
};

/* Counted before anything is tried, given back when it let the user in
 * or was never tried: failed is what stays counted. */
static int
limit_begin(void *arg, const char *username, unsigned *retry)
{
	struct fixture *f = arg;

	(void)username;
	f->begins++;
	if (f->locked) {
		*retry = 60;
		return 0;
	}
	f->failed++;
	return 1;
}

static void
limit_end(void *arg, enum login_result result)
{
	struct fixture *f = arg;

	if (result != LOGIN_FAILED)
		f->failed--;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	test_install_new("login", &f->t);
	f->limit.begin = limit_begin;
	f->limit.end = limit_end;
	f->limit.arg = f;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_install_free(&f->t);
	secret_free(f->totp);
	free(f);
	return 0;
}

/* The first login and the set-up of the admin made by init. */
static void
set_up_admin(struct fixture *f)
{
	struct login l;
	struct outcome o;
	char code[8];

	o = login_password(f->t.inst->db, "admin", f->t.res.admin_password, NULL,
	                   time(NULL), &f->limit, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_true(l.setup);
	f->totp = login_totp_new();
	assert_non_null(f->totp);
	test_totp_now(f->totp, 0, code);
	o = login_setup(f->t.inst->db, "admin", l.sk, NEW_PASSWORD, NEW_PASSWORD,
	                PASSWORD_MIN, f->totp, code, time(NULL));
	assert_int_equal(o.verdict, VERDICT_DONE);
	login_release(&l);
}

static struct outcome
login_now(struct fixture *f, const char *name, const char *password,
          int offset, struct login *l)
{
	char code[8];

	test_totp_now(f->totp, offset, code);
	return login_password(f->t.inst->db, name, password, code, time(NULL),
	                      &f->limit, l);
}

static void
test_first_login_setup_login(void **state)
{
	struct fixture *f = *state;
	struct login l;
	struct outcome o;
	char text[LOGIN_TOTP_TEXT_MAX], *uri;

	set_up_admin(f);
	login_totp_text(f->totp, text);
	assert_int_equal(strlen(text), 39);	/* 32 in eight groups */
	assert_int_equal(text[4], ' ');
	uri = login_totp_uri(f->totp, "Meldpunt", "admin");
	assert_non_null(uri);
	assert_non_null(strstr(uri, "otpauth://totp/"));
	free(uri);

	/* The one-time password is gone; a code is needed now. */
	o = login_password(f->t.inst->db, "admin", f->t.res.admin_password, NULL,
	                   time(NULL), &f->limit, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "staff.login_failed");
	assert_int_equal(f->failed, 1);
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_false(l.setup);
	assert_non_null(l.sk);
	assert_string_equal(l.username, "admin");
	assert_true(l.roles & ROLE_ADMIN);
	assert_true(l.nrings >= 3);
	assert_non_null(l.rings[0].sk);
	login_release(&l);
	assert_int_equal(f->failed, 1);

	/* The same code again: refused (used up), and counted. */
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_int_equal(f->failed, 2);

	/* Unknown, wrong, empty, too long: the same refusal, each counted. */
	o = login_now(f, "nobody", NEW_PASSWORD, 0, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	o = login_now(f, "admin", "not the password", 0, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	o = login_now(f, "admin", "", 0, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_int_equal(f->failed, 5);
	{
		char name[USERNAME_MAX + 2];

		memset(name, 'a', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		o = login_now(f, name, NEW_PASSWORD, 0, &l);
		assert_int_equal(o.verdict, VERDICT_INVALID);
	}
	assert_int_equal(f->failed, 6);

	/* Locked: refused before any work, not counted again. */
	f->locked = 1;
	o = login_now(f, "admin", NEW_PASSWORD, 2, &l);
	assert_int_equal(o.verdict, VERDICT_LIMITED);
	assert_string_equal(o.key, "staff.locked");
	assert_null(l.sk);
	assert_int_equal(f->failed, 6);
}

/* A login that must succeed: 0 when it did, -1 (counted) when it did not. */
static int
good_login(void *arg)
{
	struct fixture *f = arg;
	int before = f->failed;
	struct login l;
	struct outcome o;

	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	if (o.verdict == VERDICT_DONE) {
		assert_int_equal(f->failed, before);
		login_release(&l);
		return 0;
	}
	/* Never let in, never without counting the attempt. */
	assert_null(l.sk);
	assert_int_equal(l.nrings, 0);
	assert_int_equal(f->failed, before + 1);
	return -1;
}

static void
test_login_fail_each(void **state)
{
	struct fixture *f = *state;

	set_up_admin(f);
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, good_login, f) > 2);
}

/*
 * A refused login with each statement failed in turn: still refused,
 * still counted, whatever failed (the audit row included).
 */
static void
refused_fail_each(struct fixture *f, const char *name, const char *password)
{
	uint64_t start = db_steps(f->t.inst->db), steps, n;
	struct login l;
	struct outcome o;

	o = login_now(f, name, password, 0, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	steps = db_steps(f->t.inst->db) - start;
	assert_true(steps >= 1);
	for (n = 1; n <= steps; n++) {
		int before = f->failed;

		db_fail_step(f->t.inst->db, n);
		o = login_now(f, name, password, 0, &l);
		db_fail_step(f->t.inst->db, 0);
		assert_int_not_equal(o.verdict, VERDICT_DONE);
		assert_null(l.sk);
		assert_int_equal(f->failed, before + 1);
		assert_false(db_in_transaction(f->t.inst->db));
	}
}

static void
test_refused_fail_each(void **state)
{
	struct fixture *f = *state;

	set_up_admin(f);
	refused_fail_each(f, "admin", "not the password");
	refused_fail_each(f, "nobody", NEW_PASSWORD);
}

struct change {
	struct fixture *f;
	struct secret *sk;
	const char *from, *to;
};

/* The set-up of the admin logged in with the one-time password. */
static int
setup_action(void *arg)
{
	struct change *c = arg;
	struct outcome o;
	char code[8];

	test_totp_now(c->f->totp, 0, code);
	o = login_setup(c->f->t.inst->db, "admin", c->sk, NEW_PASSWORD,
	                NEW_PASSWORD, PASSWORD_MIN, c->f->totp, code, time(NULL));
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static void
test_setup(void **state)
{
	struct fixture *f = *state;
	struct change c = { f, NULL, NULL, NULL };
	struct login l;
	struct outcome o;
	char code[8];

	f->totp = login_totp_new();
	o = login_password(f->t.inst->db, "admin", f->t.res.admin_password, NULL,
	                   time(NULL), &f->limit, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	test_totp_now(f->totp, 0, code);
	o = login_setup(f->t.inst->db, "admin", l.sk, NEW_PASSWORD, "other",
	                PASSWORD_MIN, f->totp, code, time(NULL));
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "staff.password_mismatch");
	o = login_setup(f->t.inst->db, "admin", l.sk, "short", "short",
	                PASSWORD_MIN, f->totp, code, time(NULL));
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "staff.password_too_short");
	o = login_setup(f->t.inst->db, "admin", l.sk, "aaaaaaaaaaaaaa",
	                "aaaaaaaaaaaaaa", PASSWORD_MIN, f->totp, code, time(NULL));
	assert_string_equal(o.key, "staff.password_too_simple");
	o = login_setup(f->t.inst->db, "admin", l.sk, "administrator",
	                "administrator", PASSWORD_MIN, f->totp, code, time(NULL));
	assert_string_equal(o.key, "staff.password_too_common");
	o = login_setup(f->t.inst->db, "admin", l.sk, NEW_PASSWORD, NEW_PASSWORD,
	                PASSWORD_MIN, f->totp, "000000x", time(NULL));
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "staff.code_wrong");

	/* Each statement failed in turn: still the one-time password. */
	c.sk = l.sk;
	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, setup_action, &c) > 1);
	login_release(&l);
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	login_release(&l);
}


static int
change_action(void *arg)
{
	struct change *c = arg;
	struct outcome o;

	o = login_change_password(c->f->t.inst->db, "admin", c->sk, c->from,
	                          c->to, c->to, PASSWORD_MIN, &c->f->limit);
	return o.verdict == VERDICT_DONE ? 0 : -1;
}

static void
test_change_password(void **state)
{
	struct fixture *f = *state;
	struct change c = { f, NULL, NEW_PASSWORD, "yet another pass phrase" };
	struct login l;
	struct outcome o;

	set_up_admin(f);
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	c.sk = l.sk;

	o = login_change_password(f->t.inst->db, "admin", l.sk, "wrong one",
	                          c.to, c.to, PASSWORD_MIN, &f->limit);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_string_equal(o.key, "staff.current_wrong");
	assert_int_equal(f->failed, 1);
	f->locked = 1;
	o = login_change_password(f->t.inst->db, "admin", l.sk, NEW_PASSWORD,
	                          c.to, c.to, PASSWORD_MIN, &f->limit);
	assert_int_equal(o.verdict, VERDICT_LIMITED);
	f->locked = 0;

	assert_true(test_fail_each(f->t.inst->db, f->t.db_path, change_action, &c) > 1);
	login_release(&l);
	{
		struct secret *sk = NULL;
		struct user u;

		/* Changed once: the new password opens the key, the old not. */
		assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
		assert_int_equal(users_unlock(&u, NEW_PASSWORD, &sk), -1);
		assert_int_equal(users_unlock(&u, c.to, &sk), 0);
		secret_free(sk);
		user_release(&u);
	}
}

/*
 * Every hash waits for a turn at the process's gate: with the only turn
 * taken, a login is refused as busy, after it was counted (so counting
 * comes before any hashing) and with the count given back (nothing was
 * tried); the unknown account's dummy hash waits at the same gate.
 */
static void
test_busy_gate(void **state)
{
	struct fixture *f = *state;
	struct hashgate *g = hashgate_new(1, 0);
	struct login l;
	struct outcome o;

	set_up_admin(f);
	users_set_hashgate(g);
	assert_int_equal(hashgate_enter(g), 0);
	f->begins = f->failed = 0;
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_LIMITED);
	assert_string_equal(o.key, LOGIN_BUSY_KEY);
	assert_null(l.sk);
	o = login_now(f, "nobody", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_LIMITED);
	assert_string_equal(o.key, LOGIN_BUSY_KEY);
	assert_int_equal(f->begins, 2);
	assert_int_equal(f->failed, 0);
	assert_int_equal(hashgate_refused(g), 2);

	/* A turn free again: the login goes through, one hash at a time. */
	hashgate_leave(g);
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	login_release(&l);
	assert_int_equal(f->failed, 0);
	assert_int_equal(hashgate_peak(g), 1);
	users_set_hashgate(NULL);
	hashgate_free(g);
}

/* Put admin back on a version 1 wrap (the password alone) since since. */
static void
make_old(struct fixture *f, time_t since)
{
	uint8_t w[USERKEY_WRAPPED_LEN];
	char at[CLOCK_TEXT_LEN + 1];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	struct user u;

	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, NEW_PASSWORD, &sk), 0);
	assert_int_equal(userkey_rewrap(sk, u.public_key, NEW_PASSWORD,
	                                strlen(NEW_PASSWORD), &PWHASH_FAST, w), 0);
	clock_format(since, at);
	assert_int_equal(db_prepare(f->t.inst->db, &st, "UPDATE users SET"
	                 " wrapped_key = :w, key_version = 1,"
	                 " key_version_since = :at WHERE id = :id"), 0);
	assert_int_equal(stmt_bind_blob(st, ":w", w, sizeof(w)), 0);
	assert_int_equal(stmt_bind_text(st, ":at", at), 0);
	assert_int_equal(stmt_bind_int(st, ":id", u.id), 0);
	assert_int_equal(stmt_run(st), 0);
	stmt_finalize(st);
	secret_free(sk);
	user_release(&u);
}

/* The wrap version stored for admin, and its first byte. */
static unsigned
stored_version(struct fixture *f)
{
	struct user u;
	unsigned v;

	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(userkey_version(u.wrapped_key), u.key_version);
	v = u.key_version;
	user_release(&u);
	return v;
}

/*
 * Issue 15 point 5: the key wrap is bound to installation.key. With
 * another secret on the connection (a copy of the database beside
 * another installation.key) the right password unwraps nothing.
 */
static void
test_wrap_needs_installation_key(void **state)
{
	struct fixture *f = *state;
	struct secret *other = NULL, *sk = NULL;
	struct user u;

	set_up_admin(f);
	assert_int_equal(stored_version(f), USERKEY_VERSION);
	assert_int_equal(installation_secret_new(&other), 0);
	db_set_audit_key(f->t.inst->db, other);
	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, NEW_PASSWORD, &sk), -1);
	user_release(&u);
	db_set_audit_key(f->t.inst->db, NULL);
	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, NEW_PASSWORD, &sk), -1);
	user_release(&u);
	db_set_audit_key(f->t.inst->db, f->t.inst->secret);
	assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, NEW_PASSWORD, &sk), 0);
	secret_free(sk);
	user_release(&u);
	secret_free(other);
}

/*
 * An old wrap (version 1) logs in and is made again as version 2 within
 * key_upgrade_days; after them it is refused (audited "old key wrap"),
 * and the admin's list shows the account until it is renewed.
 */
static void
test_old_wrap_renewed_then_refused(void **state)
{
	struct fixture *f = *state;
	struct user_row *rows;
	struct login l;
	struct outcome o;
	size_t n;

	set_up_admin(f);
	f->limit.key_upgrade_days = 90;
	make_old(f, time(NULL) - 89 * 86400);
	assert_int_equal(stored_version(f), 1);
	assert_int_equal(users_list(f->t.inst->db, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].old_key, 1);
	users_list_free(rows, n);

	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_int_equal(l.nrings, 3);
	login_release(&l);
	assert_int_equal(stored_version(f), USERKEY_VERSION);
	assert_int_equal(test_count(f->t.dir, "SELECT count(*) FROM audit_log"
	                            " WHERE action = 'user-key-rewrap'"), 1);
	assert_int_equal(users_list(f->t.inst->db, &rows, &n), 0);
	assert_int_equal(rows[0].old_key, 0);
	users_list_free(rows, n);

	/* 91 days on the old wrap: the right password no longer opens it. */
	make_old(f, time(NULL) - 91 * 86400);
	o = login_now(f, "admin", NEW_PASSWORD, 1, &l);
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_null(l.sk);
	assert_int_equal(stored_version(f), 1);
	assert_int_equal(test_count(f->t.dir, "SELECT count(*) FROM audit_log"
	                            " WHERE action = 'login' AND"
	                            " object = 'old key wrap'"), 1);
	/* The admin's reset makes a new key of the current version. */
	{
		char pw[TOKEN_PASSWORD_LEN + 1];
		struct user u;

		assert_int_equal(users_find(f->t.inst->db, "admin", &u), 0);
		assert_int_equal(users_reset(f->t.inst->db, "admin", u.id,
		                             &PWHASH_FAST, pw), 0);
		user_release(&u);
	}
	assert_int_equal(stored_version(f), USERKEY_VERSION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_login_setup_login,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_fail_each, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refused_fail_each, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_password, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_busy_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrap_needs_installation_key,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_wrap_renewed_then_refused,
		                                setup, teardown),
	};

	setenv("MELDPUNT_PWHASH", "fast", 1);
	return cmocka_run_group_tests_name("login", tests, NULL, NULL);
}
