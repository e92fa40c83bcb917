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

#include "clock.h"
#include "crypto.h"
#include "report.h"
#include "secret.h"
#include "workflow.h"

struct buf;
struct db;
struct installation;

struct event {
	int64_t id;
	time_t at;
	char at_text[CLOCK_TEXT_LEN + 1];
	char *actor;
	char *transition;
	char *from;
	char *to;
	uint8_t *fields;	/* sealed; NULL when the transition has none */
	size_t fields_len;
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
};

/* 0 and *out, 1 when there is no such report, -1 on error. */
int events_report(struct db *db, int64_t report_id, struct events_report *out);

/* The events of a report, oldest first. 0 or -1. */
int events_list(struct db *db, int64_t report_id, struct event_list *out);
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
 * and seals its fields, outside any transaction (sealing is slow): 0 and
 * *s; 1 when refused (*v says why); -1 on error. events_step_store runs
 * inside the caller's transaction: it checks that the report is still in
 * the state prepare saw (else 1, WORKFLOW_STALE), then stores the event,
 * the new state and the audit row: 0, 1 or -1. events_step_release frees
 * what prepare sealed.
 */
struct events_step {
	struct events_report r;
	const struct workflow_transition *t;
	char at[CLOCK_TEXT_LEN + 1];
	char to[REPORT_STATE_MAX + 1];
	uint8_t *env, *stats;
	size_t envlen, statslen;
};

int events_step_prepare(struct installation *inst, const struct workflows *wfs,
                        int64_t report_id, const char *name, unsigned roles,
                        const struct workflow_field *fields, size_t nfields,
                        const char *expect_state, struct events_step *s,
                        struct workflow_verdict *v);
int events_step_store(struct installation *inst, const struct events_step *s,
                      const char *actor, struct workflow_verdict *v);
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
 * Every event of the reports of type that has sealed fields, in report
 * and event order: fn(arg, report_id, event) for each (the event is only
 * valid during the call). 0, or -1 on error.
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
 * The associated data of an event's sealed fields and of its statistical
 * fields (stats.c opens these, rotate.c re-seals both): an envelope copied
 * to another event fails to open. at is the event's time as stored.
 */
void events_fields_ad(struct buf *ad, int64_t report_id, const char *at,
                      const char *transition);
void events_stats_ad(struct buf *ad, int64_t report_id, const char *at,
                     const char *transition);

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
