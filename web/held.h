/*
 * held.h - hand-off packages waiting for their one download (issue 19
 * point 1).
 *
 * A hand-off package is built in memory and never stored. The handler's
 * POST that makes it answers a page with the passphrase, shown once, and
 * a download button; the package waits here, under a random token
 * (256 bits, token.h) bound to the handler who made it, until that
 * handler downloads it once or [limits] handoff_download_seconds pass.
 * Taken or expired, its bytes are wiped. At most [limits] handoff_held
 * packages wait at once (a full store refuses: the server answers 503
 * and nothing is made). A restart forgets them all: nothing is on disk.
 *
 * Thread-safe: one mutex around the list (requests run on threads).
 *
 * Ownership: held_put takes the caller's buffer (left empty); held_take
 * gives the package to the caller's buffer (wipe it, or hand it on as a
 * response body, which is wiped when freed).
 */
#ifndef MELDPUNT_HELD_H
#define MELDPUNT_HELD_H

#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "keys.h"

#define HELD_NAME_MAX 64
#define HELD_SHA_LEN 64

struct held;

/* What waits: the package and what its download's audit row names. */
struct held_item {
	int64_t user_id;		/* who made it, who alone takes it */
	int64_t report_id;
	char sha256[HELD_SHA_LEN + 1];
	char name[HELD_NAME_MAX];	/* the download's file name */
	struct buf zip;
};

/* A store of at most max packages kept for seconds each. */
struct held *held_new(unsigned max, unsigned seconds);
/* Wipe and free every package still waiting. */
void held_free(struct held *h);

/*
 * Hold it->zip (taken: it->zip is left empty) at time now under a new
 * token. 0; 1 when max packages wait already (it->zip left as it was).
 */
int held_put(struct held *h, struct held_item *it, time_t now,
             char token[TOKEN_TEXT_LEN + 1]);

/*
 * Take the package of token for user_id at now, once: 0 and *out (the
 * caller's: wipe out->zip); 1 when there is none (never made, taken
 * already, expired, or another user's: all answer alike).
 */
int held_take(struct held *h, const char *token, int64_t user_id, time_t now,
              struct held_item *out);

/* Packages waiting now (after expired ones are wiped), for tests. */
unsigned held_count(struct held *h, time_t now);

#endif
