/*
 * hashgate.h - at most N password hashes at once.
 *
 * A staff password is checked by Argon2id, which takes 64 MiB and about
 * 70 ms of one core. Counting attempts before the hash (login.h) stops
 * one client from trying often, but not many clients from trying at the
 * same moment: 150 parallel logins were 150 hashes at once, about 6 GB.
 * The gate lets at most max hashes run at the same time; a caller waits
 * at most wait_ms for a turn and is otherwise told the server is busy
 * (the pages answer 503 with Retry-After). So the memory hashing takes
 * has a ceiling of max times the Argon2id memory, whatever the load.
 *
 * The gate also keeps how many hashes ran at once at most (its peak),
 * for the tests and the operator.
 *
 * Ownership: hashgate_new gives a gate to hashgate_free; it is used from
 * every request thread.
 */
#ifndef MELDPUNT_HASHGATE_H
#define MELDPUNT_HASHGATE_H

struct hashgate;

/* A gate letting max (at least 1) through at once, waiting wait_ms. */
struct hashgate *hashgate_new(unsigned max, unsigned wait_ms);
void hashgate_free(struct hashgate *g);

/*
 * Take a turn: 0 when the caller may hash now (hashgate_leave after),
 * -1 when no turn came free within the gate's wait. A NULL gate lets
 * everyone through.
 */
int hashgate_enter(struct hashgate *g);
void hashgate_leave(struct hashgate *g);

/* The most turns that were taken at the same time since the start. */
unsigned hashgate_peak(struct hashgate *g);
/* Callers that got no turn (answered busy) since the start. */
unsigned long hashgate_refused(struct hashgate *g);

#endif
