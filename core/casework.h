/*
 * casework.h - what a handler does with a report, one function an action.
 *
 * The coordinator works signals and the VPT coordinator incidents, through
 * the case pages (web/page_case.c) and the JSON API (web/api_staff.c)
 * alike: both parse the request, call the function here and render its
 * struct outcome (action.h). Each function looks the report up, checks
 * that the actor holds the keyring of its type, checks the input, seals
 * before the write transaction and stores every write of the action, its
 * audit row and any e-mail notice in that one transaction.
 *
 * Refusals are audited here, so a page and the API leave the same row:
 * a report the actor's keyrings do not open is a refused row of the
 * action ("report-read", "file-read", "message-create", ...) on
 * "report N"; a workflow step the workflow refuses is a refused
 * "report-transition" on "report N: name". A report that does not exist
 * is VERDICT_NOT_FOUND with key "case.not_found", not audited.
 *
 * Ownership: struct case_view holds what was opened in guarded memory;
 * case_view_release wipes and frees it. Outcome keys are static text.
 */
#ifndef MELDPUNT_CASEWORK_H
#define MELDPUNT_CASEWORK_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "case.h"
#include "events.h"
#include "meeting.h"
#include "retention.h"

struct installation;
struct workflow;
struct workflows;

/* The outcome key of a report whose keyring the actor does not hold. */
#define CASEWORK_NO_KEYRING "case.no_keyring"
/* At most this many linked reports are shown with a case. */
#define CASEWORK_LINKS_MAX 64

/* At most this many fields are given with one workflow step. */
#define CASEWORK_FIELDS_MAX 8

/* 1 when o refused because the actor does not hold the keyring. */
int casework_no_keyring(const struct outcome *o);

/* Everything a handler sees of a report, opened. */
struct case_view {
	struct case_summary c;			/* case_get's columns */
	struct secret *content;
	struct attachment_view *files;		/* report's and messages' */
	size_t nfiles;
	struct message_view *messages;		/* oldest first */
	size_t nmessages;
	struct note_view *notes;
	size_t nnotes;
	struct event_list events;
	struct event_fields *fields;		/* one per event; n 0: none */
	int64_t links[CASEWORK_LINKS_MAX];
	size_t nlinks;
	struct retention_hold hold;
	struct meeting_outcome *meetings;	/* signals: what meetings decided */
	size_t nmeetings;
	struct case_assignee *assignees;	/* who it may be assigned to */
	size_t nassignees;
	struct oral_record oral;		/* an oral report's record */
};

/*
 * Open report id for actor: its content (audited "report-read"), files,
 * messages, notes, events with their fields, links, legal hold and an
 * oral report's record with the reporter's corrections and approval.
 * VERDICT_DONE and *out (release it), NOT_FOUND, REFUSED (audited),
 * FAILED.
 */
enum verdict casework_read(struct installation *inst, const struct actor *a,
                           int64_t id, struct case_view *out,
                           struct outcome *o);
void case_view_release(struct case_view *v);

/*
 * One file of report id (its own or a message's), audited "file-read".
 * DONE with *files and *n (release with attachments_release) and *which the
 * index of the file; NOT_FOUND when the report has no such file.
 */
enum verdict casework_file(struct installation *inst, const struct actor *a,
                           int64_t id, int64_t file,
                           struct attachment_view **files, size_t *n,
                           size_t *which, struct outcome *o);

/*
 * Transition name on report id, with its fields, by actor; expect_state
 * (may be NULL) is the state the page showed. Typed fields are checked
 * and stored in their stored form (workflow_fields.h), and the rules per
 * case are checked with the case's earlier steps: a value not of its
 * type is INVALID with the type's key ("workflow.refused.money") and the
 * field; a broken rule INVALID "workflow.refused.rule", the rule's name
 * in o->arg. When the transition asks
 * for feedback and message (len bytes) is not empty, the message goes to
 * the reporter in the same transaction, with an e-mail notice when a
 * named reporter gave an address. Refused by the workflow: REFUSED (a
 * role may not), STALE (the report moved on) or INVALID (unknown step,
 * not from this state, a field missing, unknown or too long), with the
 * workflow's key and field, audited; nothing stored.
 */
enum verdict casework_step(struct installation *inst,
                           const struct workflows *wfs, const struct actor *a,
                           int64_t id, const char *name,
                           const struct workflow_field *fields, size_t nfields,
                           const char *expect_state, const char *message,
                           size_t len, struct outcome *o);

/*
 * A message (len bytes, not empty: else INVALID "case.message_empty",
 * field "message") to the reporter of id, with the e-mail notice when a
 * named reporter gave an address. DONE and o->id the message.
 */
enum verdict casework_message(struct installation *inst,
                              const struct actor *a, int64_t id,
                              const char *text, size_t len,
                              struct outcome *o);

/* An internal note (not empty: else INVALID "case.note_empty", "note"). */
enum verdict casework_note(struct installation *inst, const struct actor *a,
                           int64_t id, const char *text, size_t len,
                           struct outcome *o);

/*
 * Assign id to user name (NULL or "" unassigns). Only to one of
 * case_assignees (an active account with the report's keyring and a role
 * that handles it, so never a signal to the VPT coordinator): anyone else
 * is INVALID "case.assign_bad", field "assignee", audited as a refused
 * "report-assign" on "report N to NAME"; nothing changed.
 */
enum verdict casework_assign(struct installation *inst, const struct actor *a,
                             int64_t id, const char *username,
                             struct outcome *o);

/*
 * Link id to report other of the same type; itself, no such report or
 * another type: INVALID "case.link_bad", field "other".
 */
enum verdict casework_link(struct installation *inst, const struct actor *a,
                           int64_t id, int64_t other, struct outcome *o);

/*
 * Set (on) or lift the legal hold of id with reason (retention.h); a
 * reason retention_reason_valid refuses: INVALID "retention.reason_bad",
 * field "reason".
 */
enum verdict casework_hold(struct installation *inst, const struct actor *a,
                           int64_t id, int on, const char *reason,
                           struct outcome *o);

/*
 * Correct the fields of step (a report_events id) of report id: fields
 * are all the step's fields as they should be, checked as for a new step
 * (typed, complete, the rules per step, and per case with the other
 * steps' values as they are now). Stored as a new event (events.h),
 * audited "report-correct" on "report N: step E T: FIELD, ..." (the
 * names of the fields that changed, never a value); the state stays.
 * INVALID "case.step_unknown" (no such step in effect, field "step"),
 * "case.correct_no_fields" (the step records none), "case.correct_
 * unchanged" (every value as it is), or a workflow key with the field as
 * casework_step; REFUSED (the role may not take the step, audited);
 * STALE; FAILED. Nothing is stored but on DONE.
 */
enum verdict casework_correct(struct installation *inst,
                              const struct workflows *wfs,
                              const struct actor *a, int64_t id, int64_t step,
                              const struct workflow_field *fields,
                              size_t nfields, struct outcome *o);

/*
 * Undo step, the last step in effect of report id, with reason (not
 * blank, at most WORKFLOW_FIELD_VALUE_MAX bytes: else INVALID
 * "case.undo_reason", field "reason"; sealed with the event). The case
 * goes back to the state the step started in; deadlines, figures and
 * retention then read the steps without it. Only a step that showed the
 * reporter nothing: one whose transition asks for feedback, or whose
 * states the reporter reads differently, is refused INVALID
 * "case.undo_reporter" (correct it instead); one that is not the last,
 * "case.undo_not_last"; both audited as a refused "report-undo". Audited
 * "report-undo" on "report N: step E T: a -> b".
 */
enum verdict casework_undo(struct installation *inst,
                           const struct workflows *wfs, const struct actor *a,
                           int64_t id, int64_t step, const char *reason,
                           struct outcome *o);

/*
 * 1 when step e may have shown the reporter something, so it is corrected,
 * never undone: its transition asks for feedback (a message may have gone
 * with it), or the reporter reads its two states differently (the status
 * page changed), or the workflow no longer knows them.
 */
int casework_reaches_reporter(const struct workflow *wf,
                              const struct event *e);

/* A stored money field that does not read as an amount. */
struct bad_amount {
	int64_t report_id;
	int64_t event_id;
	char at[CLOCK_TEXT_LEN + 1];		/* the step's time */
	char transition[WORKFLOW_NAME_MAX + 1];
	char field[WORKFLOW_NAME_MAX + 1];
};

/*
 * The steps of reports of type whose money fields (workflow_fields.h)
 * hold a value that does not read as an amount, so the statistics leave
 * it out: stored as free text before the fields were typed ("veel"),
 * for a handler to correct. Names only, never the value (the case page
 * shows it). The actor must hold the type's keyring (else REFUSED,
 * audited "amounts-read"); the read is audited "amounts-read" on
 * "reports of type T". DONE and *out, *n (free(*out)), or FAILED.
 */
enum verdict casework_bad_amounts(struct installation *inst,
                                  const struct workflows *wfs,
                                  const struct actor *a,
                                  enum report_type type,
                                  struct bad_amount **out, size_t *n,
                                  struct outcome *o);

#endif
