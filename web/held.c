/*
 * held.c - hand-off packages waiting for their one download (see held.h):
 * a small array under a mutex; expired packages are wiped whenever the
 * store is touched.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "held.h"
#include "log.h"

struct slot {
	int used;
	char token[TOKEN_TEXT_LEN + 1];
	time_t until;
	struct held_item it;
};

struct held {
	pthread_mutex_t lock;
	unsigned max, seconds;
	struct slot *slots;
};

struct held *
held_new(unsigned max, unsigned seconds)
{
	struct held *h = calloc(1, sizeof(*h));

	if (!h || !(h->slots = calloc(max ? max : 1, sizeof(*h->slots))))
		die("out of memory");
	if (pthread_mutex_init(&h->lock, NULL) != 0)
		die("held: no mutex");
	h->max = max;
	h->seconds = seconds;
	return h;
}

static void
wipe(struct slot *s)
{
	buf_wipe_release(&s->it.zip);
	crypto_wipe(s, sizeof(*s));
}

/* Wipe what has waited too long. With the lock held. */
static void
expire(struct held *h, time_t now)
{
	unsigned i;

	for (i = 0; i < h->max; i++)
		if (h->slots[i].used && now >= h->slots[i].until)
			wipe(&h->slots[i]);
}

void
held_free(struct held *h)
{
	unsigned i;

	if (!h)
		return;
	for (i = 0; i < h->max; i++)
		if (h->slots[i].used)
			wipe(&h->slots[i]);
	free(h->slots);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

int
held_put(struct held *h, struct held_item *it, time_t now,
         char token[TOKEN_TEXT_LEN + 1])
{
	unsigned i;
	int ret = 1;

	pthread_mutex_lock(&h->lock);
	expire(h, now);
	for (i = 0; i < h->max; i++) {
		struct slot *s = &h->slots[i];

		if (s->used)
			continue;
		s->used = 1;
		token_new(s->token);
		memcpy(token, s->token, TOKEN_TEXT_LEN + 1);
		s->until = now + (time_t)h->seconds;
		s->it = *it;
		it->zip = (struct buf)BUF_INIT;
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

int
held_take(struct held *h, const char *token, int64_t user_id, time_t now,
          struct held_item *out)
{
	unsigned i;
	int ret = 1;

	memset(out, 0, sizeof(*out));
	out->zip = (struct buf)BUF_INIT;
	if (!token || !token_valid(token))
		return 1;
	pthread_mutex_lock(&h->lock);
	expire(h, now);
	for (i = 0; i < h->max; i++) {
		struct slot *s = &h->slots[i];

		if (!s->used || !token_equal(s->token, token))
			continue;
		if (s->it.user_id == user_id) {
			*out = s->it;
			s->it.zip = (struct buf)BUF_INIT;
			wipe(s);
			ret = 0;
		}
		break;
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

unsigned
held_count(struct held *h, time_t now)
{
	unsigned i, n = 0;

	pthread_mutex_lock(&h->lock);
	expire(h, now);
	for (i = 0; i < h->max; i++)
		n += h->slots[i].used != 0;
	pthread_mutex_unlock(&h->lock);
	return n;
}
