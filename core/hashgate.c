/*
 * hashgate.c - a counting semaphore with a bounded wait (see hashgate.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "hashgate.h"
#include "log.h"

struct hashgate {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned max, wait_ms;
	unsigned busy, peak;
	unsigned long refused;
};

struct hashgate *
hashgate_new(unsigned max, unsigned wait_ms)
{
	struct hashgate *g = calloc(1, sizeof(*g));
	pthread_condattr_t attr;

	if (!g)
		die("out of memory");
	pthread_mutex_init(&g->lock, NULL);
	/* The wait is measured on the monotonic clock: no jump shortens it. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->freed, &attr);
	pthread_condattr_destroy(&attr);
	g->max = max ? max : 1;
	g->wait_ms = wait_ms;
	return g;
}

void
hashgate_free(struct hashgate *g)
{
	if (!g)
		return;
	pthread_cond_destroy(&g->freed);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

int
hashgate_enter(struct hashgate *g)
{
	struct timespec until;
	int rc = 0;

	if (!g)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += g->wait_ms / 1000;
	until.tv_nsec += (long)(g->wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&g->lock);
	while (g->busy >= g->max && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&g->freed, &g->lock, &until);
	if (g->busy >= g->max) {
		g->refused++;
		pthread_mutex_unlock(&g->lock);
		return -1;
	}
	g->busy++;
	if (g->busy > g->peak)
		g->peak = g->busy;
	pthread_mutex_unlock(&g->lock);
	return 0;
}

void
hashgate_leave(struct hashgate *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	if (g->busy)
		g->busy--;
	pthread_cond_signal(&g->freed);
	pthread_mutex_unlock(&g->lock);
}

unsigned
hashgate_peak(struct hashgate *g)
{
	unsigned n;

	pthread_mutex_lock(&g->lock);
	n = g->peak;
	pthread_mutex_unlock(&g->lock);
	return n;
}

unsigned long
hashgate_refused(struct hashgate *g)
{
	unsigned long n;

	pthread_mutex_lock(&g->lock);
	n = g->refused;
	pthread_mutex_unlock(&g->lock);
	return n;
}
