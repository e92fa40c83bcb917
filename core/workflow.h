/*
 * workflow.h - the workflow of a report type, defined as data.
 *
 * Each report type has a workflow in an INI file (schema/workflows/TYPE.ini,
 * or an organisation's edited copy): its states, the initial state, the
 * transitions between states and the deadlines. This module reads such a
 * file, refuses a broken one with every error naming file and line, and
 * answers the questions the engine and the pages ask: which transitions are
 * allowed now, may this one be done, and which deadlines run.
 *
 * The format (schema/workflows/signal.ini shows it in full):
 *
 *   [workflow]
 *   type = signal                  ; signal or incident
 *   initial = received             ; the state a new report starts in
 *
 *   [state received]               ; names: a-z, 0-9 and _, at most 64
 *   label.nl = Ontvangen           ; for staff
 *   label.en = Received
 *   reporter.nl = Ontvangen        ; what the reporter sees with the receipt
 *   reporter.en = Received
 *   final = no                     ; yes: the report is done
 *   retention_days = 365           ; final states only, and required there
 *
 *   [transition start_intake]
 *   label.nl = Intake starten      ; the button
 *   label.en = Start intake
 *   from = received                ; one or more states
 *   to = weging_1                  ; or: stay = yes (records, stays put)
 *   roles = coordinator            ; one or more of users.h's roles
 *   fields = reason                ; required fields (none when absent)
 *   feedback = yes                 ; a message to the reporter is due
 *   stats = amount                 ; fields that are also figures (sealed
 *                                  ;   to statistiek too; a subset of fields)
 *
 *   [deadline acknowledgement]
 *   label.nl = Ontvangstbevestiging
 *   label.en = Acknowledgement
 *   start = receipt                ; or: enter STATE...
 *   days = 7                       ; or hours = N, or working_days = N
 *   met = message                  ; or: reach STATE..., leave STATE...,
 *                                  ;     transition NAME...
 *   stop = transition NAME...      ; optional: these end it, not met
 *
 * Deadline semantics, in one place:
 *   - start = receipt: the report's day of receipt. Only the day is stored
 *     (the time of day could identify a reporter), so an hours deadline
 *     counts from the start of that day (00:00 in the organisation's zone,
 *     zone.h): never later than the true one. start = enter S: the last time the report moved into one of
 *     the states S (a report starts in the initial state at receipt); the
 *     deadline does not run before that.
 *   - hours = N: due N hours after the start. days = N: due at the end of
 *     the N-th day after the start day. working_days = N: due at the end of
 *     the N-th working day after the start day: Monday to Friday, not a
 *     public holiday nor a closing day of the organisation's calendar
 *     (calendar.h). Days are the organisation's (zone.h): they end at
 *     00:00 local time.
 *   - met = message: a message from a handler to the reporter, sent at or
 *     after the start. reach S: a transition into one of S. leave S: a
 *     transition out of one of S. transition T: one of the transitions T
 *     was done. The first such moment at or after the start counts.
 *   - stop = transition T: one of the transitions T, done at or after the
 *     start before anything met the deadline, stops it (it no longer
 *     applies, and counts as not met): a care talk offered and declined.
 *   - A deadline not met when the report reaches a final state stops
 *     (it is kept, as not met), unless it starts by entering that state.
 *
 * Validation refuses: unknown sections and keys, a key given twice,
 * duplicate names, bad names and numbers, a missing [workflow], type,
 * initial state or label, unknown states and roles, transitions out of a
 * final state, final states without retention, states not reachable from
 * the initial state, and non-final states from which no final state can be
 * reached.
 *
 * Ownership: workflow_load_* give the caller a struct workflow to
 * workflow_free. The state, transition and deadline structs are owned by
 * their workflow, read-only, and valid until workflow_free. A struct
 * workflows (the registry) owns its workflows.
 */
#ifndef MELDPUNT_WORKFLOW_H
#define MELDPUNT_WORKFLOW_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "report.h"

/* Languages of labels: pages in Dutch (default) and English. */
enum workflow_lang { WORKFLOW_NL, WORKFLOW_EN, WORKFLOW_LANGS };

/* Longest name of a state, transition, deadline or field. */
#define WORKFLOW_NAME_MAX REPORT_STATE_MAX
/* Longest value of a field given with a transition, in bytes. */
#define WORKFLOW_FIELD_VALUE_MAX 4096
/* Longest line in a workflow file (inih's buffer, less '\r\n\0'). */
#define WORKFLOW_LINE_MAX 197
/* Highest retention (100 years) and deadline amount accepted. */
#define WORKFLOW_RETENTION_MAX 36500
#define WORKFLOW_AMOUNT_MAX 3650
/* Errors reported for one file before giving up on the rest. */
#define WORKFLOW_ERRORS_MAX 50

/* Where an organisation's edited copies live: DIR/workflows/TYPE.ini. */
#define WORKFLOWS_SUBDIR "workflows"

struct workflow;

struct workflow_state {
	const char *name;
	const char *label[WORKFLOW_LANGS];	/* for staff */
	const char *reporter[WORKFLOW_LANGS];	/* for the receipt page */
	int final;
	int retention_days;			/* final states; else 0 */
	int line;
};

struct workflow_transition {
	const char *name;
	const char *label[WORKFLOW_LANGS];
	const char *const *from;
	size_t nfrom;
	const char *to;			/* NULL: the report stays where it is */
	unsigned roles;			/* enum role bits (users.h) */
	const char *const *fields;	/* required, in the order of the file */
	size_t nfields;
	int feedback;			/* a message to the reporter is due */
	/*
	 * Fields that are also statistical figures (damage amounts): sealed
	 * a second time, on their own, to the statistiek keyring (events.h).
	 */
	const char *const *stats;
	size_t nstats;
	/* The step hands the case off (`handoff = yes`): refused while the
	 * report has no recorded hand-off package (handoff.h). */
	int handoff;
	int line;
};

enum workflow_start { WORKFLOW_START_RECEIPT, WORKFLOW_START_ENTER };
/*
 * months: calendar months, to the same day of the month (or the month's
 * last day when it has no such day): a term of the law ("at most three
 * months") that no number of days always meets.
 */
enum workflow_unit { WORKFLOW_HOURS, WORKFLOW_DAYS, WORKFLOW_WORKING_DAYS,
                     WORKFLOW_MONTHS };
enum workflow_met {
	WORKFLOW_MET_MESSAGE,
	WORKFLOW_MET_REACH,
	WORKFLOW_MET_LEAVE,
	WORKFLOW_MET_TRANSITION,
};

struct workflow_deadline {
	const char *name;
	const char *label[WORKFLOW_LANGS];
	/*
	 * reporter.nl / reporter.en: the text that shows the reporter this
	 * deadline's day on the status page while it runs ("Acknowledgement
	 * of receipt by"); NULL: the reporter is not shown it.
	 */
	const char *reporter[WORKFLOW_LANGS];
	enum workflow_start start;
	const char *const *start_states;	/* WORKFLOW_START_ENTER */
	size_t nstart;
	enum workflow_unit unit;
	int amount;
	enum workflow_met met;
	const char *const *met_names;		/* states or transitions */
	size_t nmet;
	const char *const *stop_names;		/* stop = transition NAME... */
	size_t nstop;
	int line;
};

/*
 * Load a workflow from text (len bytes; need not be NUL-terminated).
 * name is what errors call the file ("signal.ini", a path). 0 and *out,
 * or -1: every error goes to errors as "name:line: message\n" when errors
 * is not NULL, else to the log.
 */
int workflow_load_text(const char *name, const char *text, size_t len,
                       struct workflow **out, struct buf *errors);
/* Load the file at path; as workflow_load_text. */
int workflow_load_file(const char *path, struct workflow **out,
                       struct buf *errors);
/* The embedded default for type (schema/workflows/TYPE.ini). */
int workflow_load_default(enum report_type type, struct workflow **out,
                          struct buf *errors);
void workflow_free(struct workflow *wf);

enum report_type workflow_type(const struct workflow *wf);
const struct workflow_state *workflow_initial(const struct workflow *wf);

/* Iterate: i from 0 to the count. */
size_t workflow_state_count(const struct workflow *wf);
const struct workflow_state *workflow_state_at(const struct workflow *wf,
                                               size_t i);
size_t workflow_transition_count(const struct workflow *wf);
const struct workflow_transition *
workflow_transition_at(const struct workflow *wf, size_t i);
size_t workflow_deadline_count(const struct workflow *wf);
const struct workflow_deadline *
workflow_deadline_at(const struct workflow *wf, size_t i);

/* By name, or NULL. */
const struct workflow_state *workflow_state_find(const struct workflow *wf,
                                                 const char *name);
const struct workflow_transition *
workflow_transition_find(const struct workflow *wf, const char *name);

/* 1 when transition t may start in state. */
int workflow_transition_from(const struct workflow_transition *t,
                             const char *state);

/*
 * The transitions that a holder of roles may do in state, in the order of
 * the file, written to out (room for max; workflow_transition_count is
 * always enough). Returns how many there are (may exceed max).
 */
size_t workflow_allowed(const struct workflow *wf, const char *state,
                        unsigned roles,
                        const struct workflow_transition **out, size_t max);

/* Why a transition is refused. */
enum workflow_refusal {
	WORKFLOW_OK = 0,
	WORKFLOW_NO_REPORT,		/* no report with this id */
	WORKFLOW_UNKNOWN_TRANSITION,	/* the workflow has no such name */
	WORKFLOW_STALE,			/* the report moved on meanwhile */
	WORKFLOW_NOT_FROM_HERE,		/* not allowed from the current state */
	WORKFLOW_ROLE,			/* none of the actor's roles may */
	WORKFLOW_FIELD_MISSING,		/* a required field is absent or blank */
	WORKFLOW_FIELD_UNKNOWN,		/* a field the transition does not take */
	WORKFLOW_FIELD_TOO_LONG,	/* over WORKFLOW_FIELD_VALUE_MAX */
	WORKFLOW_FIELD_INVALID,		/* not of its type (workflow_fields.h) */
	WORKFLOW_RULE,			/* a rule of the workflow is broken */
	WORKFLOW_HANDOFF,		/* a hand-off step without a package */
};

/* A field given with a transition; the caller owns the strings. */
struct workflow_field {
	const char *name;
	const char *value;
};

/*
 * The answer to "may this be done?". message is English, for logs and the
 * API; key names the page text ("workflow.refused.role", ...); field is
 * the field concerned, if any (points into the workflow or the caller's
 * fields).
 */
struct workflow_verdict {
	enum workflow_refusal reason;
	const char *key;
	const char *field;
	const char *rule;	/* WORKFLOW_RULE: the rule's name */
	char message[256];
};

/* The message key of a refusal, e.g. "workflow.refused.field_missing". */
const char *workflow_refusal_key(enum workflow_refusal r);

/*
 * May a holder of roles do transition name in state with these fields?
 * When expect_state is not NULL and differs from state, refuses with
 * WORKFLOW_STALE (the page was made for another state). Fills *v; returns
 * v->reason (WORKFLOW_OK when allowed). Pure: no storage, no logging.
 */
enum workflow_refusal workflow_check(const struct workflow *wf,
                                     const char *state, const char *name,
                                     unsigned roles,
                                     const struct workflow_field *fields,
                                     size_t nfields, const char *expect_state,
                                     struct workflow_verdict *v);

/*
 * The fields part of workflow_check alone, for a step already taken whose
 * fields are corrected: every field t takes, none it does not, none too
 * long, each of its type and the rules per step. Fills *v; returns
 * v->reason.
 */
enum workflow_refusal workflow_check_fields(
	const struct workflow *wf, const struct workflow_transition *t,
	const struct workflow_field *fields, size_t nfields,
	struct workflow_verdict *v);

/* One stored transition, as deadlines see it. */
struct workflow_step {
	time_t at;
	const char *transition;
	const char *from;
	const char *to;
};

enum workflow_deadline_state {
	WORKFLOW_DEADLINE_PENDING,	/* not met, not yet due */
	WORKFLOW_DEADLINE_OVERDUE,	/* not met, past due, report open */
	WORKFLOW_DEADLINE_MET,		/* met at done_at */
	WORKFLOW_DEADLINE_STOPPED,	/* report reached a final state first */
};

struct workflow_deadline_status {
	const struct workflow_deadline *deadline;
	time_t start;
	time_t due;
	time_t done_at;		/* met or stopped; 0 while running */
	enum workflow_deadline_state state;
	int late;		/* met or stopped after the due time */
};

/*
 * The deadlines of a report: received is the start of its day of receipt,
 * steps its transitions in order, messages the times of handler messages
 * to the reporter (any order). Writes the deadlines that have started, in
 * the order of the file, to out (room for max; workflow_deadline_count is
 * always enough) and returns how many there are.
 */
size_t workflow_deadlines(const struct workflow *wf, time_t received,
                          const struct workflow_step *steps, size_t nsteps,
                          const time_t *messages, size_t nmessages,
                          time_t now, struct workflow_deadline_status *out,
                          size_t max);

/*
 * The one verdict on a deadline that every surface shows: the case page,
 * the inbox, the statistics, the norm indicators and the API all ask
 * workflow_deadline_verdict, so a deadline met late reads as late
 * everywhere.
 */
enum deadline_verdict {
	DEADLINE_OPEN,		/* running, not due within the warning term */
	DEADLINE_DUE_SOON,	/* running, due within soon working days */
	DEADLINE_OVERDUE,	/* running, past due */
	DEADLINE_MET,		/* met at or before the due time */
	DEADLINE_MET_LATE,	/* met, after the due time */
	DEADLINE_STOPPED,	/* the case left the deadline's states first */
};

/*
 * The verdict on d at now: due soon when it is due by the end of the
 * soon-th working day after today (soon 0: by the end of today; the
 * configuration's [calendar] due_soon, DEADLINE_SOON_DEFAULT unless set).
 */
#define DEADLINE_SOON_DEFAULT 2
enum deadline_verdict workflow_deadline_verdict(
	const struct workflow_deadline_status *d, time_t now, unsigned soon);

/* "open", "due_soon", "overdue", "met", "met_late", "stopped". */
const char *deadline_verdict_name(enum deadline_verdict v);

/* The due time of amount units after start (the rules above). */
time_t workflow_due(enum workflow_unit unit, int amount, time_t start);

/*
 * The registry: one workflow per report type, loaded once at start and
 * read by every thread afterwards (nothing in it changes).
 */
struct workflows;

/*
 * Load DIR/signal.ini and DIR/incident.ini; a type whose file is not in
 * DIR, or every type when dir is NULL, gets the embedded default. Each
 * file must declare the type its name says. 0 and *out, or -1 when any
 * file is broken (errors as for workflow_load_text).
 */
int workflows_load_dir(const char *dir, struct workflows **out,
                       struct buf *errors);
/*
 * Load for an installation folder: its WORKFLOWS_SUBDIR when that folder
 * exists, else the defaults.
 */
int workflows_load_installation(const char *install_dir,
                                struct workflows **out, struct buf *errors);
const struct workflow *workflows_get(const struct workflows *wfs,
                                     enum report_type type);
void workflows_free(struct workflows *wfs);

#endif
