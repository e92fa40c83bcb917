/*
 * loginguard.h - failed logins held back per account and client address,
 * so that a lockout cannot be turned against staff.
 *
 * Counting failures per account name alone let anyone lock any account:
 * five wrong passwords from anywhere, and its owner got 429 at their own
 * desk. The guard counts per pair (account, client address) instead, and
 * makes each pair wait longer after every failure but the first (a typo
 * costs nothing): delay seconds after the second, twice that after the
 * third, and so on up to delay_max. A
 * pair that lets its user in forgets its failures. Beside the pairs each
 * account has a budget of `attempts` failures per window; once it is
 * spent, only addresses that have not failed on that account may still
 * try (one attempt each: a failure makes them an address that failed).
 * So the right password and code from a client that did not fail always
 * get in, while guessing stays slow from anywhere: one address waits
 * longer and longer, many addresses share the account's budget and then
 * pay one address per guess (and every guess needs the second factor's
 * code as well).
 *
 * An attempt is counted when it begins, before anything is hashed, and
 * given back when it ends well (loginguard_end). Accounts and addresses
 * are kept only as keyed hashes under a key made at start, and forgotten
 * when their window or delay has passed: the guard never holds a client
 * address. The table has a fixed size; when it is full the oldest
 * entries go first, which can only make it more forgiving.
 *
 * Ownership: loginguard_new gives a guard to loginguard_free; it is used
 * from every request thread.
 */
#ifndef MELDPUNT_LOGINGUARD_H
#define MELDPUNT_LOGINGUARD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct loginguard;

struct loginguard_params {
	unsigned attempts;	/* failures per account per window */
	unsigned window;	/* seconds */
	unsigned delay;		/* seconds a pair waits after its second failure */
	unsigned delay_max;	/* the longest wait, in seconds */
};

/* What loginguard_begin counted, for loginguard_end. */
struct loginguard_ticket {
	uint8_t account[16], pair[16];
	time_t prev_last;
	int counted;
};

enum loginguard_end {
	LOGINGUARD_FAILED,	/* the attempt stays counted */
	LOGINGUARD_IN,		/* the user got in: given back, pair forgotten */
	LOGINGUARD_UNTRIED,	/* nothing was tried (busy): given back */
};

struct loginguard *loginguard_new(const struct loginguard_params *p);
void loginguard_free(struct loginguard *g);

/*
 * An attempt on account (any text; compared as given) from client (the
 * address bytes) at now: 1 when it may go on, counted as a failure in *t;
 * 0 when the pair must still wait or the account's budget is spent for
 * an address that failed on it, with *retry the seconds to wait.
 */
int loginguard_begin(struct loginguard *g, const char *account,
                     const void *client, size_t clen, time_t now,
                     struct loginguard_ticket *t, unsigned *retry);
void loginguard_end(struct loginguard *g, struct loginguard_ticket *t,
                    enum loginguard_end how, time_t now);

#endif
