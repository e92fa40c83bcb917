/*
 * ratelimit.c - fixed-window attempt counting on hashed keys.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "ratelimit.h"

#define SLOTS 4096
#define PROBES 8

struct slot {
	uint8_t id[16];		/* keyed hash of the client key */
	time_t start;		/* window start; 0: free */
	unsigned count;
	uint64_t seq;		/* when it was taken: the oldest goes first */
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned max, window;
	uint8_t key[32];
	uint64_t seq;
	struct slot slots[SLOTS];
};

struct ratelimit *
ratelimit_new(unsigned max, unsigned window)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (!rl)
		die("out of memory");
	pthread_mutex_init(&rl->lock, NULL);
	rl->max = max;
	rl->window = window ? window : 1;
	crypto_random(rl->key, sizeof(rl->key));
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	crypto_wipe(rl, sizeof(*rl));
	free(rl);
}

static int count(struct ratelimit *rl, const void *key, size_t len, time_t now,
                 int add);

int
ratelimit_hit(struct ratelimit *rl, const void *key, size_t len, time_t now)
{
	return count(rl, key, len, now, 1);
}

int
ratelimit_allowed(struct ratelimit *rl, const void *key, size_t len, time_t now)
{
	return count(rl, key, len, now, 0);
}

/*
 * Whether slot a is a better victim than b: a free slot first, then the
 * earliest window, and among windows that started in the same second the
 * slot taken first. Without that last rule the first slot probed lost
 * every tie, so a key that hashed onto a slot just taken by another
 * could push it out at once: in a flood of new keys the most recent
 * clients were forgotten first, the opposite of what a limit needs.
 */
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

static int
count(struct ratelimit *rl, const void *key, size_t len, time_t now, int add)
{
	uint8_t id[16];
	struct slot *s, *victim = NULL;
	size_t i, h;
	int allowed;

	crypto_blake2b(id, sizeof(id), key, len, rl->key, sizeof(rl->key));
	memcpy(&h, id, sizeof(h));
	pthread_mutex_lock(&rl->lock);
	for (i = 0; i < PROBES; i++) {
		s = &rl->slots[(h + i) % SLOTS];
		/* Forget what its window has passed. */
		if (s->start && now - s->start >= (time_t)rl->window)
			memset(s, 0, sizeof(*s));
		if (s->start && memcmp(s->id, id, sizeof(id)) == 0) {
			victim = s;
			break;
		}
		if (!victim || older(s, victim))
			victim = s;
	}
	s = victim;
	if (!s->start || memcmp(s->id, id, sizeof(id)) != 0) {
		memcpy(s->id, id, sizeof(id));
		s->start = now;
		s->count = 0;
		s->seq = ++rl->seq;
	}
	allowed = s->count < rl->max;
	if (allowed && add)
		s->count++;
	pthread_mutex_unlock(&rl->lock);
	return allowed;
}

void
ratelimit_give_back(struct ratelimit *rl, const void *key, size_t len,
                    time_t now)
{
	uint8_t id[16];
	struct slot *s;
	size_t i, h;

	crypto_blake2b(id, sizeof(id), key, len, rl->key, sizeof(rl->key));
	memcpy(&h, id, sizeof(h));
	pthread_mutex_lock(&rl->lock);
	for (i = 0; i < PROBES; i++) {
		s = &rl->slots[(h + i) % SLOTS];
		if (s->start && now - s->start < (time_t)rl->window &&
		    memcmp(s->id, id, sizeof(id)) == 0) {
			if (s->count)
				s->count--;
			break;
		}
	}
	pthread_mutex_unlock(&rl->lock);
}
