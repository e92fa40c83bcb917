/*
 * admission.c - connections and body bytes per hashed client key (see
 * admission.h): a hash table of the clients that hold something, behind
 * one lock.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "crypto.h"
#include "log.h"

#define BUCKETS 1024

struct holder {
	struct holder *next;
	uint8_t id[16];		/* keyed hash of the client key */
	unsigned conns;
	size_t bytes;
};

struct admission {
	pthread_mutex_t lock;
	unsigned conns;
	size_t body_client, body_all, body_bytes;
	uint8_t key[32];
	struct holder *buckets[BUCKETS];
};

struct admission *
admission_new(unsigned conns, size_t body_client, size_t body_all)
{
	struct admission *a = calloc(1, sizeof(*a));

	if (!a)
		die("out of memory");
	pthread_mutex_init(&a->lock, NULL);
	a->conns = conns;
	a->body_client = body_client;
	a->body_all = body_all;
	crypto_random(a->key, sizeof(a->key));
	return a;
}

void
admission_free(struct admission *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < BUCKETS; i++) {
		struct holder *h = a->buckets[i], *next;

		for (; h; h = next) {
			next = h->next;
			free(h);
		}
	}
	pthread_mutex_destroy(&a->lock);
	crypto_wipe(a, sizeof(*a));
	free(a);
}

/*
 * The entry of key (under the lock), made when create is set; NULL when
 * there is none. *slot gets the link that points at it.
 */
static struct holder *
find(struct admission *a, const void *key, size_t len, int create,
     struct holder ***slot)
{
	uint8_t id[16];
	struct holder **p, *h;
	size_t b;

	crypto_blake2b(id, sizeof(id), key, len, a->key, sizeof(a->key));
	memcpy(&b, id, sizeof(b));
	for (p = &a->buckets[b % BUCKETS]; (h = *p); p = &h->next)
		if (memcmp(h->id, id, sizeof(id)) == 0)
			break;
	if (!h && create) {
		h = calloc(1, sizeof(*h));
		if (!h)
			die("out of memory");
		memcpy(h->id, id, sizeof(id));
		*p = h;
	}
	*slot = p;
	return h;
}

/* Forget an entry that holds nothing any more (under the lock). */
static void
drop_if_empty(struct holder **slot, struct holder *h)
{
	if (h->conns || h->bytes)
		return;
	*slot = h->next;
	free(h);
}

int
admission_may_connect(struct admission *a, const void *key, size_t len)
{
	struct holder **slot, *h;
	int ok;

	pthread_mutex_lock(&a->lock);
	h = find(a, key, len, 0, &slot);
	ok = !h || h->conns < a->conns;
	pthread_mutex_unlock(&a->lock);
	return ok;
}

static int
connect_key(struct admission *a, const void *key, size_t len, int anyway)
{
	struct holder **slot, *h;
	int ok;

	pthread_mutex_lock(&a->lock);
	h = find(a, key, len, 1, &slot);
	ok = anyway || h->conns < a->conns;
	if (ok)
		h->conns++;
	else
		drop_if_empty(slot, h);
	pthread_mutex_unlock(&a->lock);
	return ok;
}

int
admission_connect(struct admission *a, const void *key, size_t len)
{
	return connect_key(a, key, len, 0);
}

void
admission_connect_anyway(struct admission *a, const void *key, size_t len)
{
	connect_key(a, key, len, 1);
}

void
admission_disconnect(struct admission *a, const void *key, size_t len)
{
	struct holder **slot, *h;

	pthread_mutex_lock(&a->lock);
	h = find(a, key, len, 0, &slot);
	if (h && h->conns) {
		h->conns--;
		drop_if_empty(slot, h);
	}
	pthread_mutex_unlock(&a->lock);
}

int
admission_take(struct admission *a, const void *key, size_t len, size_t n)
{
	struct holder **slot, *h;
	int ok;

	pthread_mutex_lock(&a->lock);
	h = find(a, key, len, 1, &slot);
	ok = n <= a->body_client - h->bytes &&
	     n <= a->body_all - a->body_bytes;
	if (ok) {
		h->bytes += n;
		a->body_bytes += n;
	} else {
		drop_if_empty(slot, h);
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

void
admission_give(struct admission *a, const void *key, size_t len, size_t n)
{
	struct holder **slot, *h;

	pthread_mutex_lock(&a->lock);
	h = find(a, key, len, 0, &slot);
	if (h) {
		if (n > h->bytes)
			n = h->bytes;
		h->bytes -= n;
		a->body_bytes -= n;
		drop_if_empty(slot, h);
	}
	pthread_mutex_unlock(&a->lock);
}

size_t
admission_body_bytes(struct admission *a)
{
	size_t n;

	pthread_mutex_lock(&a->lock);
	n = a->body_bytes;
	pthread_mutex_unlock(&a->lock);
	return n;
}
