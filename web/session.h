/*
 * session.h - logged-in staff, held in memory only.
 *
 * A session is what a staff login unlocks: the user's private key and the
 * private keys of the keyrings they are a member of, in guarded memory.
 * Those keys cannot be written anywhere, so sessions live in the server's
 * memory and end with it. The browser holds a 256-bit random token in an
 * HttpOnly, SameSite=Strict cookie; the table keeps only the token's hash.
 * A session ends at logout, after session_idle seconds without a request,
 * or session_absolute seconds after login, whichever comes first; its keys
 * are wiped then.
 *
 * Ownership: sessions_get hands out a reference that the caller returns
 * with sessions_put; a session ended meanwhile is freed at the last put.
 */
#ifndef MELDPUNT_SESSION_H
#define MELDPUNT_SESSION_H

#include <stdint.h>
#include <time.h>

#include "action.h"
#include "keys.h"

#define SESSION_COOKIE "mp_session"
#define SESSION_MAX_RINGS 8
#define SESSIONS_MAX 1000

enum session_stage {
	SESSION_SETUP,		/* one-time password used: set password, TOTP */
	SESSION_FULL,
};

struct session_ring {
	char name[65];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

struct session {
	/*
	 * Set at login, then read-only; except that rings may grow (never
	 * shrink) when a keyring is granted during the session
	 * (sessions_pick_up_grants): an entry is filled before nrings is
	 * raised past it, under the table's lock, and readers load nrings
	 * once (session_nrings), so every entry they see is whole.
	 */
	int64_t user_id;
	char username[65];
	unsigned roles;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
	struct session_ring rings[SESSION_MAX_RINGS];
	size_t nrings;
	char csrf[TOKEN_TEXT_LEN + 1];
	time_t created;

	/* Changed under the table's lock. */
	enum session_stage stage;
	time_t last_seen;
	struct secret *pending_totp;	/* setup: the secret being enrolled */

	/* The table's bookkeeping. */
	uint8_t token_hash[CRYPTO_HASH_LEN];
	int refs;
	int ended;
};

struct sessions;

struct sessions *sessions_new(unsigned idle, unsigned absolute);
/* Ends and wipes every session. */
void sessions_free(struct sessions *t);

/*
 * Add a session (the table takes it and its keys) and write its cookie
 * token into token. 0, or -1 when the table is full.
 */
int sessions_add(struct sessions *t, struct session *s, time_t now,
                 char token[TOKEN_TEXT_LEN + 1]);

/* The live session of a token (a reference), or NULL. Counts as use. */
struct session *sessions_get(struct sessions *t, const char *token, time_t now);
void sessions_put(struct sessions *t, struct session *s);

/* End a session (logout); its keys are wiped at the last put. */
void sessions_end(struct sessions *t, struct session *s);

/*
 * End every session of user_id (an admin disabled the account, reset its
 * password or took a keyring away: the keys unwrapped at login must not
 * outlive that). Returns how many were live.
 */
size_t sessions_end_user(struct sessions *t, int64_t user_id);

/*
 * The TOTP secret being enrolled in the setup stage: made once per session
 * (so a reload shows the same QR code) and returned as a copy the caller
 * frees. NULL when memory runs out.
 */
struct secret *sessions_pending_totp(struct sessions *t, struct session *s);

/* Move to the full stage; the pending TOTP secret is wiped. */
void sessions_promote(struct sessions *t, struct session *s);

/* How many rings s holds now (they only grow). */
size_t session_nrings(const struct session *s);

/*
 * A keyring granted to the session's user after its login reaches the
 * session here, without a new login: the keyrings the user is a member
 * of now are read, and each the session lacks is unwrapped (core:
 * keyrings_unlock) with the user's private key the session holds and
 * added. Called at the start of each staff request. Taking a keyring
 * away ends the user's sessions instead (page_admin.c). Returns how many
 * were added, or -1 (the session keeps what it had).
 */
struct db;
int sessions_pick_up_grants(struct sessions *t, struct session *s,
                            struct db *db);

/* The session's private key of keyring name, or NULL. */
const struct session_ring *session_ring(const struct session *s,
                                        const char *name);

/*
 * The session as core's actions see it (core/action.h): its name, roles
 * and keyring keys, borrowed. rings must hold SESSION_MAX_RINGS entries;
 * a and rings live no longer than the session reference.
 */
void session_actor(const struct session *s, struct actor *a,
                   struct actor_ring rings[SESSION_MAX_RINGS]);

/* An actor with room for its rings, to keep on a request's stack. */
struct session_who {
	struct actor actor;
	struct actor_ring rings[SESSION_MAX_RINGS];
};

/* session_actor into w; returns &w->actor. */
const struct actor *session_who(const struct session *s, struct session_who *w);

/* A new, empty session for the caller to fill before sessions_add. */
struct session *session_new(void);
/* Wipe and free a session never added. */
void session_free(struct session *s);

/* How many sessions are live (tests). */
size_t sessions_count(struct sessions *t);

#endif
