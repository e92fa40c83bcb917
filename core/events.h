/*
 * events.h - the workflow engine on stored reports: transitions as events.
 *
 * Every transition of a report is one stored event: who, when, which
 * transition, from which state to which, and the values of its required
 * fields sealed to the keyring of the report's type (a police reference is
 * content). The fields a transition names under stats (damage amounts) are
 * sealed a second time, on their own, to the statistiek keyring and the
 * report's keyring (column report_events.stats), and a trigger marks the
 * report's cached record stale (stats_chunks, migration 0018) so the
 * statistics make it again with them. events_transition checks a
 * transition against the report's workflow (workflow.h) and, when allowed, stores the event, the report's
 * new state and an audit row ("report-transition", "report N: a -> b") in
 * one transaction. reports.state is a cached copy: events_derive_state
 * recomputes it from the events and refuses a chain that does not fit.
 *
 * For pages: events_allowed gives the buttons (the transitions a user's
 * roles allow in the report's current state, with their labels and
 * required fields in struct workflow_transition); events_deadlines gives
 * the running deadlines; events_list and events_open_fields give the
 * timeline.
 *
 * Corrections (issue 17 point 4): a recorded step is never changed. A
 * correction of its fields and the undo of a case's last step are rows of
 * their own (kind, and the step they are about in target): a correction
 * holds all the step's fields as corrected (sealed as the step's were,
 * bound to its own row) and keeps the state; an undo holds its reason
 * (sealed, field "reason") and leads from the current state back to the
 * state the step started in. What the engine, the deadlines, the rules
 * and the statistics read is the steps in effect: the steps not undone,
 * each with the fields of its latest correction (events_list marks them).
 *
 * Ownership: struct event_list from events_list is released with
 * event_list_release. struct event_fields from events_open_fields holds
 * the opened values in guarded memory; event_fields_release wipes them.
 * Workflow pointers (transitions, deadlines) belong to the registry.
 */
#ifndef MELDPUNT_EVENTS_H
#define MELDPUNT_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "casenumber.h"
#include "clock.h"
#include "crypto.h"
#include "report.h"
#include "rowad.h"
#include "secret.h"
#include "workflow.h"

struct buf;
struct db;
struct installation;

enum event_kind { EVENT_STEP, EVENT_CORRECTION, EVENT_UNDO };

struct event {
	int64_t id;
	enum event_kind kind;
	int64_t target;		/* correction, undo: the step's id; else 0 */
	/*
	 * Filled by events_list for a step: the undo that took it back (or
	 * -1), and the row whose fields are its values now (its own index, or
	 * its latest correction's), as indexes into the list.
	 */
	ptrdiff_t undone_by;
	size_t current;
	time_t at;
	char at_text[CLOCK_TEXT_LEN + 1];
	char *actor;
	char *transition;
	char *from;
	char *to;
	uint8_t *fields;	/* sealed; NULL when the transition has none */
	size_t fields_len;
	/* The random row id its envelopes are bound to (rowad.h); bound is
	 * 0 for an event stored before schema 28, bound to its report,
	 * time and transition alone. */
	uint8_t seal_id[ROWAD_ID_LEN];
	int bound;
};

struct event_list {
	int64_t report_id;
	struct event *items;	/* oldest first */
	size_t n;
};

/* What the engine needs of a report: its plaintext columns. */
struct events_report {
	int64_t id;
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];	/* the cached column */
	time_t received;			/* 00:00 UTC of its day */
	char number[CASE_NUMBER_LEN + 1];	/* its case number */
};

/* 0 and *out, 1 when there is no such report, -1 on error. */
int events_report(struct db *db, int64_t report_id, struct events_report *out);

/*
 * The events of a report, oldest first, corrections and undos among them,
 * each step marked (undone_by, current). 0 or -1.
 */
int events_list(struct db *db, int64_t report_id, struct event_list *out);

/* 1 when item i of l is a step in effect (a step, not undone). */
int events_in_effect(const struct event_list *l, size_t i);

/* The index of the last step in effect of l, or -1 when there is none. */
ptrdiff_t events_last_step(const struct event_list *l);

/* The row of l whose id is id, or -1. */
ptrdiff_t events_find(const struct event_list *l, int64_t id);

/* The kind's name as stored: "step", "correction", "undo". */
const char *event_kind_name(enum event_kind k);

/*
 * Store, inside the caller's transaction, a correction (kind
 * EVENT_CORRECTION: env/stats the step's fields as corrected, sealed by
 * events_seal_step with at and the step's transition; the state stays) or
 * an undo (EVENT_UNDO: env the sealed reason; the report moves back to the
 * step's from_state) of step e of report r, by actor at at; the report's
 * state must still be state (else 1: it moved meanwhile). 0, 1 or -1.
 * The caller audits.
 */
int events_store_change(struct db *db, int64_t report_id, const char *state,
                        enum event_kind kind, const struct event *e,
                        const char *at, const char *actor,
                        const uint8_t seal_id[ROWAD_ID_LEN],
                        const uint8_t *env, size_t envlen,
                        const uint8_t *stats, size_t statslen);

/*
 * Seal fields as transition t's (its fields to the report's keyring, its
 * stats fields to statistiek too), bound to report r, time at and t's
 * name, and to the new row's random id seal_id (rowad_new_id, stored
 * with the row) and its actor (events_ad), as a step's are. 0 and *env,
 * *stats (free them; NULL when t has none), or -1.
 */
int events_seal_step(struct db *db, const struct events_report *r,
                     const struct workflow_transition *t,
                     const struct workflow_field *fields, size_t nfields,
                     const char *at, const uint8_t seal_id[ROWAD_ID_LEN],
                     const char *actor, uint8_t **env, size_t *envlen,
                     uint8_t **stats, size_t *statslen);

/* Seal an undo's reason ("reason\0text\0") likewise. 0 or -1. */
int events_seal_reason(struct db *db, const struct events_report *r,
                       const char *transition, const char *at,
                       const uint8_t seal_id[ROWAD_ID_LEN],
                       const char *actor, const char *reason, uint8_t **env,
                       size_t *envlen);
void event_list_release(struct event_list *l);

/*
 * Do transition name on a report as actor (a username) holding roles
 * (enum role bits), with the transition's required fields. expect_state,
 * when not NULL, is the state the page showed (see workflow_check).
 * 0 when done; 1 when refused (*v says why, nothing stored); -1 on error.
 */
int events_transition(struct installation *inst, const struct workflows *wfs,
                      int64_t report_id, const char *name, const char *actor,
                      unsigned roles, const struct workflow_field *fields,
                      size_t nfields, const char *expect_state,
                      struct workflow_verdict *v);

/*
 * events_transition in its two halves, for an action that stores more in
 * the same transaction (casework.h: a step with its feedback message).
 * events_step_prepare checks the transition against the report's state
 * and seals its fields for actor (bound to the event's row and author,
 * see events_ad), outside any transaction (sealing is slow): 0 and *s;
 * 1 when refused (*v says why); -1 on error. actor must outlive s.
 * events_step_store runs inside the caller's transaction: it checks that
 * the report is still in the state prepare saw (else 1, WORKFLOW_STALE),
 * then stores the event, the new state and the audit row: 0, 1 or -1.
 * events_step_release frees what prepare sealed.
 */
struct events_step {
	struct events_report r;
	const struct workflow_transition *t;
	const char *actor;
	char at[CLOCK_TEXT_LEN + 1];
	char to[REPORT_STATE_MAX + 1];
	uint8_t seal_id[ROWAD_ID_LEN];
	uint8_t *env, *stats;
	size_t envlen, statslen;
};

int events_step_prepare(struct installation *inst, const struct workflows *wfs,
                        int64_t report_id, const char *name, const char *actor,
                        unsigned roles, const struct workflow_field *fields,
                        size_t nfields, const char *expect_state,
                        struct events_step *s, struct workflow_verdict *v);
int events_step_store(struct installation *inst, const struct events_step *s,
                      struct workflow_verdict *v);
void events_step_release(struct events_step *s);

/*
 * The state the events lead to, from the workflow's initial state. 0 and
 * out; -1 when an event does not start where the one before it ended (a
 * damaged record) or on error.
 */
int events_derive_state(struct db *db, const struct workflows *wfs,
                        int64_t report_id, char out[REPORT_STATE_MAX + 1]);

/*
 * The transitions holders of roles may do now on a report (see
 * workflow_allowed), and its current state in state (may be NULL).
 * 0 and *n, 1 when there is no such report, -1 on error.
 */
int events_allowed(struct db *db, const struct workflows *wfs,
                   int64_t report_id, unsigned roles,
                   const struct workflow_transition **out, size_t max,
                   size_t *n, char state[REPORT_STATE_MAX + 1]);

/*
 * The deadlines of a report at time now (see workflow_deadlines; out needs
 * room for workflow_deadline_count). 0 and *n, 1 when there is no such
 * report, -1 on error.
 */
int events_deadlines(struct db *db, const struct workflows *wfs,
                     int64_t report_id, time_t now,
                     struct workflow_deadline_status *out, size_t max,
                     size_t *n);

/*
 * Every step in effect of the reports of type that has sealed fields, in
 * report and event order, with its fields as they are now: fn(arg,
 * report_id, event) for each, where a corrected step comes as its latest
 * correction's row with the step's id (the event is only valid during
 * the call). 0, or -1 on error.
 */
int events_with_fields(struct db *db, enum report_type type,
                       void (*fn)(void *arg, int64_t report_id,
                                  const struct event *e),
                       void *arg);

/* The opened field values of one event. */
struct event_fields {
	struct workflow_field *items;	/* point into plain */
	size_t n;
	struct secret *plain;
};

/*
 * The associated data of an event's sealed fields (EVENTS_FIELDS) or of
 * its statistical fields (EVENTS_STATS); stats.c opens these, rotate.c
 * re-seals both. The base names the report, the event's time as stored
 * and its transition; an event with a row id (seal_id, idlen bytes;
 * schema 28 on) is bound through rowad.h to that id and its actor as
 * well, so its envelope moved to another event, of its report or
 * another, or with another author recorded, fails to open. seal_id NULL:
 * an event stored before, the base alone. 0, or -1 when idlen is not
 * ROWAD_ID_LEN (nothing appended).
 */
enum events_envelope { EVENTS_FIELDS, EVENTS_STATS };

int events_ad(struct buf *ad, enum events_envelope which, int64_t report_id,
              const char *at, const char *transition, const void *seal_id,
              size_t idlen, const char *actor);

/*
 * Open the sealed fields of event e of report_id with the keyring key pair
 * of the report's type. 0 and *out (n is 0 when the event has no fields),
 * or -1 when the key does not fit or the envelope is damaged or moved.
 */
int events_open_fields(int64_t report_id, const struct event *e,
                       const uint8_t ring_pk[CRYPTO_PUBLICKEY_LEN],
                       const struct secret *ring_sk, struct event_fields *out);
void event_fields_release(struct event_fields *f);

#endif
