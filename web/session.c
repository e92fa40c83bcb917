/*
 * session.c - the in-memory session table (see session.h).
 *
 * A small array under one mutex: a municipality has tens of staff, not
 * thousands, and SESSIONS_MAX bounds what a login flood could fill.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "keyrings.h"
#include "log.h"
#include "session.h"
#include "login.h"

struct sessions {
	pthread_mutex_t lock;
	unsigned idle, absolute;
	struct session *slots[SESSIONS_MAX];
};

struct session *
session_new(void)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		die("out of memory");
	return s;
}

void
session_free(struct session *s)
{
	size_t i;

	if (!s)
		return;
	secret_free(s->sk);
	secret_free(s->pending_totp);
	for (i = 0; i < s->nrings; i++)
		secret_free(s->rings[i].sk);
	crypto_wipe(s, sizeof(*s));
	free(s);
}

struct sessions *
sessions_new(unsigned idle, unsigned absolute)
{
	struct sessions *t = calloc(1, sizeof(*t));

	if (!t)
		die("out of memory");
	pthread_mutex_init(&t->lock, NULL);
	t->idle = idle;
	t->absolute = absolute;
	return t;
}

void
sessions_free(struct sessions *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < SESSIONS_MAX; i++)
		session_free(t->slots[i]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int
expired(const struct sessions *t, const struct session *s, time_t now)
{
	return s->ended || now - s->last_seen >= (time_t)t->idle ||
	       now - s->created >= (time_t)t->absolute;
}

/* Drop ended and expired sessions nobody holds. Lock held. */
static void
sweep(struct sessions *t, time_t now)
{
	size_t i;

	for (i = 0; i < SESSIONS_MAX; i++) {
		struct session *s = t->slots[i];

		if (!s || !expired(t, s, now))
			continue;
		s->ended = 1;
		if (s->refs == 0) {
			session_free(s);
			t->slots[i] = NULL;
		}
	}
}

int
sessions_add(struct sessions *t, struct session *s, time_t now,
             char token[TOKEN_TEXT_LEN + 1])
{
	size_t i;

	token_new(token);
	token_hash(token, s->token_hash);
	token_new(s->csrf);
	s->created = now;
	s->last_seen = now;
	pthread_mutex_lock(&t->lock);
	sweep(t, now);
	for (i = 0; i < SESSIONS_MAX; i++)
		if (!t->slots[i]) {
			t->slots[i] = s;
			pthread_mutex_unlock(&t->lock);
			return 0;
		}
	pthread_mutex_unlock(&t->lock);
	crypto_wipe(token, TOKEN_TEXT_LEN + 1);
	return error("too many staff sessions (%d)", SESSIONS_MAX);
}

struct session *
sessions_get(struct sessions *t, const char *token, time_t now)
{
	uint8_t hash[CRYPTO_HASH_LEN];
	struct session *found = NULL;
	size_t i;

	if (!token || !token_valid(token))
		return NULL;
	token_hash(token, hash);
	pthread_mutex_lock(&t->lock);
	sweep(t, now);
	for (i = 0; i < SESSIONS_MAX; i++) {
		struct session *s = t->slots[i];

		if (s && crypto_equal(s->token_hash, hash, sizeof(hash))) {
			if (!expired(t, s, now)) {
				s->refs++;
				s->last_seen = now;
				found = s;
			}
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return found;
}

void
sessions_put(struct sessions *t, struct session *s)
{
	size_t i;

	if (!s)
		return;
	pthread_mutex_lock(&t->lock);
	s->refs--;
	if (s->ended && s->refs == 0) {
		for (i = 0; i < SESSIONS_MAX; i++)
			if (t->slots[i] == s)
				t->slots[i] = NULL;
		session_free(s);
	}
	pthread_mutex_unlock(&t->lock);
}

void
sessions_end(struct sessions *t, struct session *s)
{
	pthread_mutex_lock(&t->lock);
	s->ended = 1;
	pthread_mutex_unlock(&t->lock);
}

size_t
sessions_end_user(struct sessions *t, int64_t user_id)
{
	size_t i, n = 0;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SESSIONS_MAX; i++) {
		struct session *s = t->slots[i];

		if (s && s->user_id == user_id && !s->ended) {
			s->ended = 1;
			n++;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return n;
}

struct secret *
sessions_pending_totp(struct sessions *t, struct session *s)
{
	struct secret *copy = NULL;

	pthread_mutex_lock(&t->lock);
	if (!s->pending_totp)
		s->pending_totp = login_totp_new();
	if (s->pending_totp)
		copy = secret_from(s->pending_totp->bytes, s->pending_totp->len);
	pthread_mutex_unlock(&t->lock);
	return copy;
}

void
sessions_promote(struct sessions *t, struct session *s)
{
	pthread_mutex_lock(&t->lock);
	s->stage = SESSION_FULL;
	secret_free(s->pending_totp);
	s->pending_totp = NULL;
	pthread_mutex_unlock(&t->lock);
}

size_t
session_nrings(const struct session *s)
{
	return __atomic_load_n(&s->nrings, __ATOMIC_ACQUIRE);
}

int
sessions_pick_up_grants(struct sessions *t, struct session *s, struct db *db)
{
	char names[SESSION_MAX_RINGS][KEYRING_NAME_MAX + 1];
	size_t n, i, added = 0;

	if (keyrings_of_user(db, s->user_id, names, SESSION_MAX_RINGS, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct session_ring r;

		if (session_ring(s, names[i]))
			continue;
		memset(&r, 0, sizeof(r));
		if (keyrings_public_key(db, names[i], r.pk) < 0 ||
		    keyrings_unlock(db, names[i], s->user_id, s->pk, s->sk,
		                    &r.sk) != 0)
			return -1;
		memcpy(r.name, names[i], sizeof(r.name));
		pthread_mutex_lock(&t->lock);
		/* Another request of the session may have added it meanwhile. */
		if (!session_ring(s, r.name) && s->nrings < SESSION_MAX_RINGS) {
			s->rings[s->nrings] = r;
			r.sk = NULL;
			__atomic_store_n(&s->nrings, s->nrings + 1,
			                 __ATOMIC_RELEASE);
			added++;
		}
		pthread_mutex_unlock(&t->lock);
		secret_free(r.sk);
	}
	return (int)added;
}

const struct session_ring *
session_ring(const struct session *s, const char *name)
{
	size_t i, n = session_nrings(s);

	for (i = 0; i < n; i++)
		if (strcmp(s->rings[i].name, name) == 0)
			return &s->rings[i];
	return NULL;
}

size_t
sessions_count(struct sessions *t)
{
	size_t i, n = 0;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < SESSIONS_MAX; i++)
		if (t->slots[i] && !t->slots[i]->ended)
			n++;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void
session_actor(const struct session *s, struct actor *a,
              struct actor_ring rings[SESSION_MAX_RINGS])
{
	size_t i, n = session_nrings(s);

	for (i = 0; i < n && i < SESSION_MAX_RINGS; i++) {
		rings[i].name = s->rings[i].name;
		rings[i].pk = s->rings[i].pk;
		rings[i].sk = s->rings[i].sk;
	}
	a->user_id = s->user_id;
	a->name = s->username;
	a->roles = s->roles;
	a->rings = rings;
	a->nrings = i;
}

const struct actor *
session_who(const struct session *s, struct session_who *w)
{
	session_actor(s, &w->actor, w->rings);
	return &w->actor;
}
