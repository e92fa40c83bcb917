/*
 * action.h - who does an action, and what every action answers.
 *
 * Each thing a person does (file a report, take a workflow step with its
 * feedback, write a message or a note, assign, link, hold, the meeting
 * actions, save a norm item, make or revoke a token, log in) is one
 * function in core/ that checks, seals, stores, audits and queues mail,
 * and answers a struct outcome. Pages and the JSON API call the same
 * function: they parse the request, call it and render its outcome. They
 * never open an envelope, write an audit row or speak SQL themselves.
 *
 * The shape of such a function:
 *
 *   1. look up what the action is about; not there, or not the actor's to
 *      see: VERDICT_NOT_FOUND or VERDICT_REFUSED, with the refusal audited
 *      here, the same row whichever door the request came through;
 *   2. check the input (field limits, the workflow): VERDICT_INVALID with
 *      the field named, nothing stored;
 *   3. do the slow work (Argon2id, sealing) before the write transaction;
 *   4. one transaction for every write of the action, the audit row and
 *      the queued mail included: VERDICT_DONE after its COMMIT, or
 *      VERDICT_FAILED with nothing stored.
 *
 * Each action has a test that fails every statement of it in turn
 * (db_fail_step, db.h; tests/testutil.h test_fail_each) and finds the
 * state as before, no success row in the audit log and no mail queued.
 *
 * Ownership: an actor borrows everything it points to (the session's
 * name, roles and keys); it lives no longer than the request.
 */
#ifndef MELDPUNT_ACTION_H
#define MELDPUNT_ACTION_H

#include <stddef.h>
#include <stdint.h>

struct secret;

enum verdict {
	VERDICT_DONE = 0,	/* stored, audited, mail queued */
	VERDICT_INVALID,	/* the input does not fit: key and field say why */
	VERDICT_REFUSED,	/* the actor may not (role, keyring, workflow) */
	VERDICT_NOT_FOUND,	/* no such report, meeting, item, account */
	VERDICT_STALE,		/* the page was made for another state */
	VERDICT_LIMITED,	/* too many attempts: try again later */
	VERDICT_FAILED,		/* storage or sealing failed: nothing stored */
};

/* What an action answers. key and field point to static text. */
struct outcome {
	enum verdict verdict;
	const char *key;	/* message key of schema/messages, or NULL */
	const char *field;	/* the field at fault, or NULL */
	int64_t id;		/* what was made (report, message, meeting), or 0 */
	const char *arg;	/* what the message names (a file's name), or NULL */
};

/* One keyring key the actor has unlocked. */
struct actor_ring {
	const char *name;
	const uint8_t *pk;
	const struct secret *sk;
};

/* A logged-in member of staff (a session or an API token's session). */
struct actor {
	int64_t user_id;
	const char *name;	/* account name, as the audit log shows it */
	unsigned roles;		/* enum role bits (users.h) */
	const struct actor_ring *rings;
	size_t nrings;
};

/* The actor's key of keyring name, or NULL when they do not hold it. */
const struct actor_ring *actor_ring(const struct actor *a, const char *name);

/* Set o to verdict v with message key and field (either may be NULL). */
void outcome_set(struct outcome *o, enum verdict v, const char *key,
                 const char *field);

/*
 * A page or API route the actor's roles may not use (the route table's
 * check, before any action runs): audited as refused, with what was asked
 * for (a path, never its query), as every other refusal is audited by
 * core. A failure to audit is logged; the refusal stands either way.
 */
struct installation;
void action_refused(struct installation *inst, const struct actor *a,
                    const char *what);

/* A short English name of a verdict, for logs and tests. */
const char *verdict_name(enum verdict v);

#endif
