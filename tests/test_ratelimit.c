/*
 * test_ratelimit.c - attempts per key per window: counted, refused at the
 * limit, forgotten when the window ends, keys kept apart, and peeking
 * (ratelimit_allowed) never counting.
 */
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"
#include "testutil.h"

static void
test_window(void **state)
{
	struct ratelimit *rl = ratelimit_new(3, 60);
	time_t t = 1000000;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 8, t + i), 1);
	assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 8, t + 10), 0);
	assert_int_equal(ratelimit_allowed(rl, "10.0.0.1", 8, t + 10), 0);
	/* Another key is not affected. */
	assert_int_equal(ratelimit_hit(rl, "10.0.0.2", 8, t + 10), 1);
	/* The window ends: forgotten. */
	assert_int_equal(ratelimit_hit(rl, "10.0.0.1", 8, t + 60), 1);
	ratelimit_free(rl);
}

static void
test_peek_does_not_count(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 900);
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		assert_int_equal(ratelimit_allowed(rl, "admin", 5, 500), 1);
	assert_int_equal(ratelimit_hit(rl, "admin", 5, 500), 1);
	assert_int_equal(ratelimit_hit(rl, "admin", 5, 501), 1);
	assert_int_equal(ratelimit_allowed(rl, "admin", 5, 502), 0);
	ratelimit_free(rl);
}

/* Keys of the last flood that must all be remembered. */
#define RECENT 200

/* A hit given back (a login that let the user in) frees its attempt,
 * in its own window only. */
static void
test_give_back(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 900);
	time_t now = 1000;

	(void)state;
	assert_int_equal(ratelimit_hit(rl, "a", 1, now), 1);
	assert_int_equal(ratelimit_hit(rl, "a", 1, now), 1);
	assert_int_equal(ratelimit_hit(rl, "a", 1, now), 0);
	ratelimit_give_back(rl, "a", 1, now + 1);
	assert_int_equal(ratelimit_hit(rl, "a", 1, now + 1), 1);
	assert_int_equal(ratelimit_hit(rl, "a", 1, now + 1), 0);
	/* Nothing to give back for a key never counted, or after its window. */
	ratelimit_give_back(rl, "b", 1, now);
	ratelimit_give_back(rl, "a", 1, now + 900);
	assert_int_equal(ratelimit_allowed(rl, "a", 1, now + 2), 0);
	ratelimit_free(rl);
}

static void
test_many_keys(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 60);
	char key[16];
	int i, refused = 0;

	(void)state;
	/* More keys than slots: the table stays bounded and keeps working. */
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ratelimit_hit(rl, key, strlen(key), 100), 1);
	}
	/*
	 * The most recent keys are all still remembered: a new key pushes out
	 * the oldest slot it probes, never one just taken. (When ties went to
	 * the first slot probed, about five of the last 200 keys were lost to
	 * a later key hashing onto the same slot.)
	 */
	for (i = 20000 - RECENT; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		refused += ratelimit_hit(rl, key, strlen(key), 101) == 0;
	}
	assert_int_equal(refused, RECENT);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_peek_does_not_count),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_give_back),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
