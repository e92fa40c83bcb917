/*
 * ratelimit.h - how often one client may try something, forgetting fast.
 *
 * Counts attempts per key in fixed windows (e.g. receipt look-ups per
 * client per minute). Keys are hashed with a random key made at start
 * before they are stored, and an entry is forgotten when its window ends:
 * the limiter never holds a client's address, and nothing of it outlives
 * the window. The table has a fixed size; when full, the oldest entries
 * are overwritten, which can only make the limiter more forgiving.
 *
 * Ownership: ratelimit_new gives a limiter to ratelimit_free; it may be
 * used from several threads.
 */
#ifndef MELDPUNT_RATELIMIT_H
#define MELDPUNT_RATELIMIT_H

#include <stddef.h>
#include <time.h>

struct ratelimit;

/* At most max attempts per window seconds per key. */
struct ratelimit *ratelimit_new(unsigned max, unsigned window);
void ratelimit_free(struct ratelimit *rl);

/*
 * Count an attempt for key at time now. 1 when it is allowed, 0 when the
 * key has used up its window.
 */
int ratelimit_hit(struct ratelimit *rl, const void *key, size_t len, time_t now);

/*
 * Give back one attempt counted by ratelimit_hit in the same window (a
 * login that let the user in was counted as a failure before its hash).
 * Nothing when the window has ended or the key was forgotten.
 */
void ratelimit_give_back(struct ratelimit *rl, const void *key, size_t len,
                         time_t now);

/*
 * 1 when key still has attempts left in its window, without counting one.
 * For limits on failures (logins): peek before the work, hit on failure.
 */
int ratelimit_allowed(struct ratelimit *rl, const void *key, size_t len,
                      time_t now);

#endif
