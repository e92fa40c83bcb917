/*
 * test_loginguard.c - failed logins per (account, address) with growing
 * waits and a per-account budget for addresses that failed
 * (core/loginguard.h), on a clock the test moves: failures from one
 * address never stop another, each failure doubles the wait, a login
 * that gets in forgets its address's failures, an attempt never tried
 * is given back, and once the account's budget is spent only addresses
 * that did not fail may try.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loginguard.h"
#include "testutil.h"

static const unsigned char A[4] = { 127, 0, 0, 1 }, B[4] = { 127, 0, 0, 2 },
	C[4] = { 10, 0, 0, 3 }, D[4] = { 10, 0, 0, 4 }, E[4] = { 10, 0, 0, 5 };

static const struct loginguard_params params = {
	.attempts = 100, .window = 900, .delay = 1, .delay_max = 8,
};

/* One failed attempt at now: must be let through, and stays counted. */
static void
fail_once(struct loginguard *g, const char *account, const unsigned char addr[4],
     time_t now)
{
	struct loginguard_ticket t;
	unsigned retry = 99;

	assert_int_equal(loginguard_begin(g, account, addr, 4, now, &t, &retry), 1);
	assert_int_equal(retry, 0);
	loginguard_end(g, &t, LOGINGUARD_FAILED, now);
}

/* The seconds address must still wait at now (0: it may try). */
static unsigned
must_wait(struct loginguard *g, const char *account,
          const unsigned char addr[4], time_t now)
{
	struct loginguard_ticket t;
	unsigned retry = 0;

	if (loginguard_begin(g, account, addr, 4, now, &t, &retry)) {
		/* Only looking: give the attempt back. */
		loginguard_end(g, &t, LOGINGUARD_UNTRIED, now);
		return 0;
	}
	assert_true(retry > 0);
	return retry;
}

static void
test_growing_waits_per_address(void **state)
{
	struct loginguard_params p = params;
	struct loginguard *g;
	time_t now = 100000;
	unsigned want[] = { 0, 1, 2, 4, 8, 8 };
	size_t i;

	(void)state;
	p.attempts = 100;	/* the account's budget is another test */
	g = loginguard_new(&p);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		fail_once(g, "vpt", A, now);
		/* Right after a failure: no wait after the first (a typo),
		 * then 1, 2, 4, 8 s, no more than 8. */
		assert_int_equal(must_wait(g, "vpt", A, now), want[i]);
		if (want[i])
			assert_int_equal(must_wait(g, "vpt", A,
			                           now + want[i] - 1), 1);
		/* Another address is not held back, nor another account. */
		assert_int_equal(must_wait(g, "vpt", B, now), 0);
		assert_int_equal(must_wait(g, "admin", A, now), 0);
		now += want[i];
	}
	loginguard_free(g);
}

static void
test_login_forgets_failures(void **state)
{
	struct loginguard *g = loginguard_new(&params);
	struct loginguard_ticket t;
	time_t now = 100000;
	unsigned retry;

	(void)state;
	fail_once(g, "vpt", A, now);
	fail_once(g, "vpt", A, now);
	fail_once(g, "vpt", A, now + 1);
	assert_int_equal(must_wait(g, "vpt", A, now + 1), 2);
	/* The right password at last: the address's failures are gone. */
	assert_int_equal(loginguard_begin(g, "vpt", A, 4, now + 3, &t, &retry), 1);
	loginguard_end(g, &t, LOGINGUARD_IN, now + 3);
	assert_int_equal(must_wait(g, "vpt", A, now + 3), 0);
	fail_once(g, "vpt", A, now + 3);
	assert_int_equal(must_wait(g, "vpt", A, now + 3), 0);
	fail_once(g, "vpt", A, now + 3);
	assert_int_equal(must_wait(g, "vpt", A, now + 3), 1);

	/* An attempt never tried (no hash turn) is given back whole. */
	assert_int_equal(loginguard_begin(g, "x", B, 4, now, &t, &retry), 1);
	loginguard_end(g, &t, LOGINGUARD_UNTRIED, now);
	assert_int_equal(must_wait(g, "x", B, now), 0);
	loginguard_free(g);
}

static void
test_account_budget(void **state)
{
	struct loginguard_params p = params;
	struct loginguard *g;
	struct loginguard_ticket t;
	time_t now = 100000;
	unsigned retry;

	(void)state;
	p.attempts = 3;
	g = loginguard_new(&p);
	fail_once(g, "vpt", A, now);
	fail_once(g, "vpt", B, now);
	fail_once(g, "vpt", C, now);
	/* Spent: an address that failed waits for the window, not its delay. */
	retry = must_wait(g, "vpt", A, now + 10);
	assert_true(retry > 800 && retry <= 900);
	/* An address that did not fail still gets its one attempt... */
	fail_once(g, "vpt", D, now + 10);
	/* ...and is then one that failed. */
	assert_true(must_wait(g, "vpt", D, now + 20) > 800);
	/* The right login from an address that did not fail gets in. */
	assert_int_equal(loginguard_begin(g, "vpt", E, 4, now + 20, &t, &retry), 1);
	loginguard_end(g, &t, LOGINGUARD_IN, now + 20);
	/* Another account has a budget of its own. */
	assert_int_equal(must_wait(g, "admin", A, now + 20), 0);
	/* After the window everything is forgotten. */
	assert_int_equal(must_wait(g, "vpt", A, now + 900), 0);
	assert_int_equal(must_wait(g, "vpt", D, now + 910), 0);
	loginguard_free(g);
}

/* Many accounts and addresses: the table forgets the oldest, never errs. */
static void
test_full_table(void **state)
{
	struct loginguard *g = loginguard_new(&params);
	char name[32];
	unsigned char addr[4] = { 10, 1, 0, 0 };
	int i;

	(void)state;
	for (i = 0; i < 40000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		addr[2] = (unsigned char)(i >> 8);
		addr[3] = (unsigned char)i;
		fail_once(g, name, addr, 100000);
	}
	/* The latest is still remembered: a second failure, then a wait. */
	fail_once(g, name, addr, 100000);
	assert_int_equal(must_wait(g, name, addr, 100000), 1);
	loginguard_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growing_waits_per_address),
		cmocka_unit_test(test_login_forgets_failures),
		cmocka_unit_test(test_account_budget),
		cmocka_unit_test(test_full_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
