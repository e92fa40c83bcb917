/*
 * runner.c - the service threads beside the requests (see runner.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "runner.h"

struct runner {
	runner_fn fn;
	void *arg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;	/* on the monotonic clock */
	int stop;		/* under mu */
};

int
runner_stopping(struct runner *r)
{
	int stop;

	pthread_mutex_lock(&r->mu);
	stop = r->stop;
	pthread_mutex_unlock(&r->mu);
	return stop;
}

static void *
runner_main(void *arg)
{
	struct runner *r = arg;
	struct timespec until;
	time_t wait;

	for (;;) {
		wait = r->fn(r, r->arg);
		/* The monotonic clock: setting the date moves no wait. */
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait > 0 ? wait : 1;
		pthread_mutex_lock(&r->mu);
		while (!r->stop &&
		       pthread_cond_timedwait(&r->cond, &r->mu, &until) == 0)
			;
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		pthread_mutex_unlock(&r->mu);
	}
	return NULL;
}

int
runner_start(const char *what, runner_fn fn, void *arg, struct runner **out)
{
	struct runner *r;
	pthread_condattr_t attr;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		die("out of memory");
	r->fn = fn;
	r->arg = arg;
	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&r->cond, &attr) != 0)
		die("cannot make a condition variable");
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&r->mu, NULL);
	rc = pthread_create(&r->thread, NULL, runner_main, r);
	if (rc != 0) {
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->mu);
		free(r);
		return error("cannot start the %s thread: %s", what,
		             strerror(rc));
	}
	*out = r;
	return 0;
}

void
runner_stop(struct runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
