/*
 * loginguard.c - failures per account and per (account, address) pair,
 * with growing waits (see loginguard.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "loginguard.h"

#define SLOTS 8192
#define PROBES 8

struct slot {
	uint8_t id[16];		/* keyed hash of the account or the pair */
	time_t start;		/* account: window start; 0: free */
	time_t last;		/* pair: its last failure */
	unsigned count;		/* failures */
	uint64_t seq;		/* when it was taken: the oldest goes first */
};

struct loginguard {
	pthread_mutex_t lock;
	struct loginguard_params p;
	uint8_t key[32];
	uint64_t seq;
	/* Two tables, so that a pair never pushes out its own account. */
	struct slot accounts[SLOTS], pairs[SLOTS];
};

struct loginguard *
loginguard_new(const struct loginguard_params *p)
{
	struct loginguard *g = calloc(1, sizeof(*g));

	if (!g)
		die("out of memory");
	pthread_mutex_init(&g->lock, NULL);
	g->p = *p;
	if (!g->p.window)
		g->p.window = 1;
	if (g->p.delay_max < g->p.delay)
		g->p.delay_max = g->p.delay;
	crypto_random(g->key, sizeof(g->key));
	return g;
}

void
loginguard_free(struct loginguard *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->lock);
	crypto_wipe(g, sizeof(*g));
	free(g);
}

/*
 * The wait after a pair's n-th failure: none after the first (a typo
 * costs nothing), delay after the second, doubled per further failure.
 */
static unsigned
wait_after(const struct loginguard *g, unsigned n)
{
	unsigned long long d = g->p.delay;

	if (n < 2 || !d)
		return 0;
	if (n - 2 >= 32)
		return g->p.delay_max;
	d <<= n - 2;
	return d > g->p.delay_max ? g->p.delay_max : (unsigned)d;
}

/* Whether slot s has outlived what it counts (pairs: their wait too). */
static int
expired(const struct loginguard *g, const struct slot *s, int pair,
        time_t now)
{
	if (!s->start)
		return 0;
	if (!pair)
		return now - s->start >= (time_t)g->p.window;
	return now - s->last >= (time_t)g->p.window &&
	       now - s->last >= (time_t)wait_after(g, s->count);
}

static int
older(const struct slot *a, const struct slot *b)
{
	if (!b->start)
		return 0;
	if (!a->start)
		return 1;
	if (a->start != b->start)
		return a->start < b->start;
	return a->seq < b->seq;
}

/*
 * The slot of id, or NULL when there is none and make is 0; with make, a
 * fresh one (the oldest of its probes is reused). Under the lock.
 */
static struct slot *
find(struct loginguard *g, const uint8_t id[16], int pair, time_t now,
     int make)
{
	struct slot *s, *victim = NULL;
	size_t i, h;

	memcpy(&h, id, sizeof(h));
	for (i = 0; i < PROBES; i++) {
		s = &(pair ? g->pairs : g->accounts)[(h + i) % SLOTS];
		if (expired(g, s, pair, now))
			memset(s, 0, sizeof(*s));
		if (s->start && memcmp(s->id, id, 16) == 0)
			return s;
		if (!victim || older(s, victim))
			victim = s;
	}
	if (!make)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->id, id, 16);
	victim->start = now;
	victim->seq = ++g->seq;
	return victim;
}

/* Keyed hashes: 'a' + account, and 'p' + account + NUL + address. */
static void
ids(const struct loginguard *g, const char *account, const void *client,
    size_t clen, uint8_t acc[16], uint8_t pair[16])
{
	size_t alen = strlen(account);
	uint8_t in[1 + 256 + 1 + 64];

	if (alen > 256)
		alen = 256;
	if (clen > 64)
		clen = 64;
	in[0] = 'a';
	memcpy(in + 1, account, alen);
	crypto_blake2b(acc, 16, in, 1 + alen, g->key, sizeof(g->key));
	in[0] = 'p';
	in[1 + alen] = '\0';
	memcpy(in + 2 + alen, client, clen);
	crypto_blake2b(pair, 16, in, 2 + alen + clen, g->key, sizeof(g->key));
	crypto_wipe(in, sizeof(in));
}

int
loginguard_begin(struct loginguard *g, const char *account,
                 const void *client, size_t clen, time_t now,
                 struct loginguard_ticket *t, unsigned *retry)
{
	struct slot *a, *p;
	unsigned wait = 0;

	memset(t, 0, sizeof(*t));
	*retry = 0;
	ids(g, account, client, clen, t->account, t->pair);
	pthread_mutex_lock(&g->lock);
	a = find(g, t->account, 0, now, 1);
	p = find(g, t->pair, 1, now, 0);
	if (p && p->count) {
		time_t until = p->last + (time_t)wait_after(g, p->count);

		/* This address failed on this account: it waits its turn. */
		if (now < until)
			wait = (unsigned)(until - now);
		/* And shares the account's budget, once that is spent. */
		if (a->count >= g->p.attempts) {
			unsigned left = (unsigned)(a->start + g->p.window - now);

			if (left > wait)
				wait = left;
		}
	}
	if (wait) {
		pthread_mutex_unlock(&g->lock);
		*retry = wait;
		return 0;
	}
	if (!p)
		p = find(g, t->pair, 1, now, 1);
	t->prev_last = p->last;
	p->count++;
	p->last = now;
	if (a->count < ~0u)
		a->count++;
	t->counted = 1;
	pthread_mutex_unlock(&g->lock);
	return 1;
}

void
loginguard_end(struct loginguard *g, struct loginguard_ticket *t,
               enum loginguard_end how, time_t now)
{
	struct slot *a, *p;

	if (!t->counted || how == LOGINGUARD_FAILED) {
		t->counted = 0;
		return;
	}
	pthread_mutex_lock(&g->lock);
	a = find(g, t->account, 0, now, 0);
	if (a && a->count)
		a->count--;
	p = find(g, t->pair, 1, now, 0);
	if (p) {
		if (how == LOGINGUARD_IN || p->count <= 1) {
			memset(p, 0, sizeof(*p));
		} else {
			p->count--;
			p->last = t->prev_last;
		}
	}
	pthread_mutex_unlock(&g->lock);
	memset(t, 0, sizeof(*t));
}
