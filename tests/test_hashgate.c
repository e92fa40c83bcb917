/*
 * test_hashgate.c - the gate that lets at most N password hashes run at
 * once (core/hashgate.h): threads that all want a turn never hold more
 * than N at once, a caller that gets no turn within the wait is refused
 * and counted, and a freed turn goes to a waiter.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "hashgate.h"
#include "testutil.h"

#define THREADS 12

struct run {
	struct hashgate *g;
	atomic_int inside, most, refused;
};

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *
hasher(void *arg)
{
	struct run *r = arg;
	int now, most;

	if (hashgate_enter(r->g) < 0) {
		atomic_fetch_add(&r->refused, 1);
		return NULL;
	}
	now = atomic_fetch_add(&r->inside, 1) + 1;
	most = atomic_load(&r->most);
	while (now > most && !atomic_compare_exchange_weak(&r->most, &most, now))
		;
	nap(20);	/* "hashing" */
	atomic_fetch_sub(&r->inside, 1);
	hashgate_leave(r->g);
	return NULL;
}

static void
run_threads(struct run *r)
{
	pthread_t t[THREADS];
	int i;

	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hasher, r), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

/* Everyone waits long enough: all get a turn, never more than 2 at once. */
static void
test_at_most_n(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.g = hashgate_new(2, 10000);
	run_threads(&r);
	assert_int_equal(atomic_load(&r.refused), 0);
	assert_int_equal(atomic_load(&r.most), 2);
	assert_int_equal(hashgate_peak(r.g), 2);
	assert_int_equal(hashgate_refused(r.g), 0);
	hashgate_free(r.g);
}

/* No wait: whoever finds the turns taken is refused at once, and counted. */
static void
test_busy_refused(void **state)
{
	struct hashgate *g = hashgate_new(1, 0);

	(void)state;
	assert_int_equal(hashgate_enter(g), 0);
	assert_int_equal(hashgate_enter(g), -1);
	assert_int_equal(hashgate_refused(g), 1);
	hashgate_leave(g);
	assert_int_equal(hashgate_enter(g), 0);
	hashgate_leave(g);
	assert_int_equal(hashgate_peak(g), 1);
	/* A NULL gate lets everyone through. */
	assert_int_equal(hashgate_enter(NULL), 0);
	hashgate_leave(NULL);
	hashgate_free(g);
}

/* A short wait with one turn: some get it in time, the rest are refused. */
static void
test_bounded_wait(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.g = hashgate_new(1, 30);
	run_threads(&r);
	assert_int_equal(atomic_load(&r.most), 1);
	assert_true(atomic_load(&r.refused) >= 1);
	assert_true(atomic_load(&r.refused) < THREADS);
	assert_int_equal(hashgate_refused(r.g), (unsigned long)atomic_load(&r.refused));
	hashgate_free(r.g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at_most_n),
		cmocka_unit_test(test_busy_refused),
		cmocka_unit_test(test_bounded_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
