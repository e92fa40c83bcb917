/*
 * meeting.h - the local signal meeting (signalenoverleg, norm 4.6).
 *
 * The coordinator (signalen keyring) makes a meeting with a date, puts
 * signals on its agenda, records per signal the enrichment brought in and
 * the decision, and closes it. Enrichment and decision are content: one
 * envelope per agenda item, sealed to signalen and bound to the meeting
 * and the signal.
 *
 * Members of the meeting (role overleg) read only the signals on the
 * agenda of an open meeting, and that is enforced by keys, not by a check
 * alone: putting a signal on the agenda seals the signal's data key (and
 * later the data key of the item's notes) to the overleg keyring, in an
 * access row. Taking it off the agenda deletes the row; closing the meeting
 * deletes the rows of every item at once. Without a row an overleg member
 * holds no key that opens the signal. The overleg keyring is made the
 * first time a meeting is made (keyrings_ensure_member), sealed to the
 * recovery key and to the coordinator who made it (whose running session
 * picks it up at its next request); the admin, or that coordinator's
 * copy, grants it to members like any keyring.
 *
 * The meeting never sees who the reporter is: the agenda gets the data
 * key of a signal's content envelope, and the reporter's identity has an
 * envelope and a data key of its own (report.h); every content a meeting
 * reader gets, the coordinator's on the meeting's pages included, has the
 * answers of the form's identity fields taken out and says "reporter":
 * "named" instead (content.h content_withheld), also for a report stored
 * before that still holds them.
 *
 * Every change and every read of content is audited with the actor's name;
 * the audit object names meeting and report numbers, never content.
 *
 * What a person does is one of the *_as functions at the end (core/action.h,
 * in meeting_actions.c): each checks the actor's role and key, answers an
 * outcome, and audits a refusal itself, so the pages and the API leave the
 * same row. The functions without _as are the storage steps they call
 * (and tools and tests that hold keys of their own).
 *
 * Ownership: lists from meeting_list are freed with free(); agenda items
 * from meeting_agenda are released with meeting_agenda_release, which
 * wipes what was decrypted.
 */
#ifndef MELDPUNT_MEETING_H
#define MELDPUNT_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "case.h"
#include "clock.h"
#include "report.h"
#include "secret.h"

struct installation;

#define MEETING_TITLE_MAX 120
/* Bytes of enrichment, and of a decision. */
#define MEETING_TEXT_MAX 20000

struct meeting {
	int64_t id;
	char held_on[CLOCK_DAY_LEN + 1];
	char title[MEETING_TITLE_MAX + 1];
	char created_by[65];
	char closed_at[CLOCK_TEXT_LEN + 1];	/* "" while open */
	char closed_by[65];
	size_t items;				/* signals on the agenda */
};

/* What a change to a meeting can be refused for; -1 stays an error. */
enum meeting_refusal {
	MEETING_OK = 0,
	MEETING_NOT_OPEN,	/* no such meeting, or closed */
	MEETING_NO_SIGNAL,	/* no such report, or not a signal */
	MEETING_ON_AGENDA,	/* already on this agenda */
	MEETING_NOT_ON_AGENDA,
	MEETING_TOO_LONG,	/* a text over MEETING_TEXT_MAX */
	MEETING_NOT_YET,	/* closed before its day (local) has come */
	MEETING_BAD_DAY,	/* not a day YYYY-MM-DD */
	MEETING_BAD_NEXT,	/* a next step that is no transition name */
	MEETING_NOT_MEMBER,	/* an attendee who is no member of the meeting */
	MEETING_BAD_OWNER,	/* an action point's owner: empty, long, lines */
	MEETING_TOO_MANY,	/* over MEETING_ACTIONS_MAX action points */
	MEETING_NO_ACTION,	/* no action point with that number */
};

/* 1 when s is a real calendar day written YYYY-MM-DD, else 0. */
int meeting_day_valid(const char *s);

/*
 * The associated data that binds an agenda item's notes to its meeting
 * and signal (rotate.c re-seals them with it). Its length, in out.
 */
#define MEETING_AD_LEN 64
size_t meeting_notes_ad(int64_t meeting_id, int64_t report_id,
                        char out[MEETING_AD_LEN]);

/*
 * Make a meeting on day held_on with title (may be ""; plain text of at
 * most MEETING_TITLE_MAX bytes, not content), as actor. Makes the overleg
 * keyring first when there is none. 0 and *id_out, or -1.
 */
int meeting_create(struct installation *inst, const char *held_on,
                   const char *title, const char *actor, int64_t *id_out);

/* The meetings, newest day first; open_only leaves out closed ones. */
int meeting_list(struct installation *inst, int open_only,
                 struct meeting **out, size_t *n);

/* One meeting. 0, 1 when there is none, -1. */
int meeting_get(struct installation *inst, int64_t id, struct meeting *out);

/*
 * Close meeting id as actor: its agenda is fixed and every overleg access
 * row of it is deleted. A meeting is closed on or after its day, never
 * before: a closed meeting counts as held on that day (statistics, norm
 * 4.6). MEETING_OK, MEETING_NOT_OPEN, MEETING_NOT_YET, or -1.
 */
int meeting_close(struct installation *inst, int64_t id, const char *actor);

/* 1 when m's day (local) has come, so that it may be closed. */
int meeting_day_has_come(const struct meeting *m);

/*
 * Move open meeting id to day held_on ("YYYY-MM-DD"), as actor, audited:
 * for a meeting held earlier or later than planned. MEETING_OK,
 * MEETING_NOT_OPEN, MEETING_BAD_DAY, or -1.
 */
int meeting_redate(struct installation *inst, int64_t id, const char *held_on,
                   const char *actor);

/*
 * Put signal report_id on the agenda of open meeting id, as actor holding
 * the signalen key pair: the signal's data key is sealed to the overleg
 * keyring. An enum meeting_refusal, or -1.
 */
int meeting_add(struct installation *inst, int64_t id, int64_t report_id,
                const struct ring_key *signals, const char *actor);

/* Take it off again: item, notes and access go. Like meeting_add. */
int meeting_remove(struct installation *inst, int64_t id, int64_t report_id,
                   const char *actor);

/* The longest name of a next step (a workflow transition). */
#define MEETING_NEXT_MAX 64

/*
 * Record the enrichment and the decision of an agenda item (each UTF-8
 * text without NUL, "" allowed) and the next step the meeting proposes
 * for the case (a transition name of the signal workflow, or NULL/"" for
 * none), replacing what was there. The case page offers that step first.
 * Sealed to signalen; its data key to overleg while the meeting is open.
 * Like meeting_add, and MEETING_BAD_NEXT.
 */
int meeting_record(struct installation *inst, int64_t id, int64_t report_id,
                   const struct ring_key *signals, const char *enrichment,
                   size_t enrichment_len, const char *decision,
                   size_t decision_len, const char *next, const char *actor);

/* 1 when next is a transition name: a-z, 0-9 and _, 1..MEETING_NEXT_MAX. */
int meeting_next_valid(const char *next);

/*
 * Opened notes into enrichment and decision (guarded, the caller frees
 * them) and the next step ("" for none). 0 or -1 (damaged).
 */
int meeting_notes_split(const struct secret *plain,
                        struct secret **enrichment, struct secret **decision,
                        char next[MEETING_NEXT_MAX + 1]);

/*
 * What the meetings decided on one signal, for its case page: every
 * agenda item of report_id with recorded notes, oldest meeting first,
 * opened with the signalen key pair.
 */
struct meeting_outcome {
	int64_t meeting_id;
	char held_on[CLOCK_DAY_LEN + 1];
	char closed_at[CLOCK_TEXT_LEN + 1];	/* "" while open */
	char updated_at[CLOCK_TEXT_LEN + 1];
	char updated_by[65];
	struct secret *enrichment;
	struct secret *decision;
	char next[MEETING_NEXT_MAX + 1];	/* "" for none */
};

/* 0 and *out, *n (meeting_outcomes_release), or -1. */
int meeting_outcomes(struct installation *inst, int64_t report_id,
                     const struct ring_key *signals,
                     struct meeting_outcome **out, size_t *n);
void meeting_outcomes_release(struct meeting_outcome *v, size_t n);

/*
 * The minutes' attendees and action points (meeting_minutes.c). Members
 * are the active accounts with the overleg or coordinator role; attendees
 * are chosen from them and stored by user name. Action points are content
 * (sealed to signalen, bound to the meeting by meeting_actions_ad). Both
 * change only while the meeting is open, each change audited.
 */
#define MEETING_ATTENDEES_MAX 64
#define MEETING_ACTIONS_MAX 100
#define MEETING_OWNER_MAX 120		/* bytes, one line */
#define MEETING_ACTION_MAX 2000		/* bytes */

struct meeting_action {
	char due_on[CLOCK_DAY_LEN + 1];
	struct secret *owner;
	struct secret *text;
};

/* User names, malloc'd; meeting_names_release. 0 or -1. */
int meeting_members(struct installation *inst, char ***out, size_t *n);
int meeting_attendees(struct installation *inst, int64_t id, char ***out,
                      size_t *n);
void meeting_names_release(char **names, size_t n);
/* Replace the attendees. MEETING_OK, NOT_OPEN, NOT_MEMBER, or -1. */
int meeting_attendees_set(struct installation *inst, int64_t id,
                          const char *const *names, size_t n,
                          const char *actor);

size_t meeting_actions_ad(int64_t meeting_id, char out[MEETING_AD_LEN]);
/* The action points, in the order added. 0 and *out, *n, or -1. */
int meeting_actions_read(struct installation *inst, int64_t id,
                         const struct ring_key *signals,
                         struct meeting_action **out, size_t *n);
void meeting_actions_release(struct meeting_action *v, size_t n);
/* Add one. MEETING_OK, NOT_OPEN, BAD_DAY, BAD_OWNER, TOO_LONG (the text:
 * empty, over MEETING_ACTION_MAX or not text), TOO_MANY, or -1. */
int meeting_action_add(struct installation *inst, int64_t id,
                       const struct ring_key *signals, const char *owner,
                       size_t owner_len, const char *text, size_t text_len,
                       const char *due_on, const char *actor);
/* Remove point number (from 1). MEETING_OK, NOT_OPEN, NO_ACTION, or -1. */
int meeting_action_remove(struct installation *inst, int64_t id,
                          const struct ring_key *signals, size_t number,
                          const char *actor);

/* Who reads: the coordinator with signalen, or a member with overleg. */
struct meeting_reader {
	int overleg;		/* 1: key is the overleg keyring's */
	struct ring_key key;
	const char *actor;	/* for the audit log */
};

struct meeting_item {
	int64_t report_id;
	char state[REPORT_STATE_MAX + 1];
	char received_on[16];
	char added_by[65];
	char updated_at[CLOCK_TEXT_LEN + 1];	/* "" when nothing recorded */
	char updated_by[65];
	struct secret *enrichment;	/* NULL when nothing recorded */
	struct secret *decision;	/* likewise */
	char next[MEETING_NEXT_MAX + 1];	/* the proposed step, "" none */
	struct secret *content;		/* with_content only */
};

/*
 * The agenda of meeting id as reader may see it: the coordinator every
 * item; an overleg member only the items it holds access rows for (none
 * once the meeting is closed). Notes, and with with_content each signal's
 * content, are decrypted; each read is audited. 0 and *out, *n, or -1.
 */
int meeting_agenda(struct installation *inst, int64_t id,
                   const struct meeting_reader *reader, int with_content,
                   struct meeting_item **out, size_t *n);
void meeting_agenda_release(struct meeting_item *v, size_t n);

/*
 * The content of signal report_id for an overleg member: only while it is
 * on the agenda of an open meeting (*meeting_out says which). Audited.
 * 0 and *out; 1 when the member holds no key to it; -1.
 */
int meeting_read_signal(struct installation *inst, int64_t report_id,
                        const struct meeting_reader *reader,
                        struct secret **out, int64_t *meeting_out);

/*
 * Replace opened content by what a meeting reader sees of it (content.h
 * content_withheld with the signal form). 0, or -1 (*content untouched).
 */
int meeting_withhold_identity(struct secret **content);

/* ---- What a person does (meeting_actions.c) ---------------------------- */

/*
 * The reader actor is: the coordinator with the signalen key first, else
 * a member of the overleg with the overleg key. 0, or -1 when it holds
 * neither.
 */
int meeting_reader_for(const struct actor *a, struct meeting_reader *r);

/*
 * The meetings actor may list (a coordinator with signalen every one, an
 * overleg member the open ones), newest day first, into *out (free()) and
 * *n; *overleg says which. Without either key VERDICT_REFUSED
 * (meeting.no_keyring), audited as "meeting-list" refused.
 */
enum verdict meeting_list_as(struct installation *inst, const struct actor *a,
                             struct meeting **out, size_t *n, int *overleg,
                             struct outcome *o);

/*
 * Meeting id as actor may read it, with the reader it reads as: the
 * meeting in *m, the reader in *r. VERDICT_NOT_FOUND (meeting.not_found);
 * VERDICT_REFUSED without a key (meeting.no_keyring) or for an overleg
 * member once the meeting is closed (meeting.closed_for_overleg), audited
 * as "meeting-read" refused.
 */
enum verdict meeting_open_as(struct installation *inst, const struct actor *a,
                             int64_t id, struct meeting *m,
                             struct meeting_reader *r, struct outcome *o);

/*
 * The content of signal report_id as actor reads it for a meeting: an
 * overleg member only while it is on the agenda of an open meeting
 * (*meeting_out says which; VERDICT_REFUSED meeting.not_on_agenda
 * otherwise, whether or not it exists), the coordinator any signal
 * (VERDICT_NOT_FOUND case.not_found for none). *c gets its plain columns.
 * Reads and refusals audited; *content freed with secret_free.
 */
enum verdict meeting_signal_as(struct installation *inst,
                               const struct actor *a, int64_t report_id,
                               struct case_summary *c, struct secret **content,
                               int64_t *meeting_out, struct outcome *o);

/*
 * The changes, the coordinator's with the signalen key (else
 * VERDICT_REFUSED case.no_keyring, audited as the action, refused). Each
 * is one transaction with its audit row, sealing done before it. Answers:
 * VERDICT_DONE; VERDICT_NOT_FOUND (meeting.not_found);
 * VERDICT_INVALID with key and field (a day, title, report number or
 * text that does not fit); VERDICT_STALE (meeting.refused_closed,
 * refused_twice, refused_not_on_agenda); VERDICT_FAILED, nothing stored.
 */

/* A meeting on day held_on (YYYY-MM-DD) with title (one short line, may
 * be "" or NULL); o->id is the new meeting. */
enum verdict meeting_create_as(struct installation *inst,
                               const struct actor *a, const char *held_on,
                               const char *title, struct outcome *o);
/* Signal report_id on the agenda of meeting id, or off it again. */
enum verdict meeting_add_as(struct installation *inst, const struct actor *a,
                            int64_t id, int64_t report_id, struct outcome *o);
enum verdict meeting_remove_as(struct installation *inst,
                               const struct actor *a, int64_t id,
                               int64_t report_id, struct outcome *o);
/* Enrichment and decision of an agenda item; NULL (not text) or over
 * MEETING_TEXT_MAX: VERDICT_INVALID meeting.refused_too_long. */
enum verdict meeting_record_as(struct installation *inst,
                               const struct actor *a, int64_t id,
                               int64_t report_id, const char *enrichment,
                               size_t enrichment_len, const char *decision,
                               size_t decision_len, const char *next,
                               struct outcome *o);
/* Before the meeting's day: VERDICT_INVALID meeting.refused_not_yet. */
enum verdict meeting_close_as(struct installation *inst,
                              const struct actor *a, int64_t id,
                              struct outcome *o);
/* Attendees chosen from the members; VERDICT_INVALID meeting.not_member. */
enum verdict meeting_attendees_set_as(struct installation *inst,
                                      const struct actor *a, int64_t id,
                                      const char *const *names, size_t n,
                                      struct outcome *o);
/* NULL texts count as empty: VERDICT_INVALID with the field named. */
enum verdict meeting_action_add_as(struct installation *inst,
                                   const struct actor *a, int64_t id,
                                   const char *owner, size_t owner_len,
                                   const char *text, size_t text_len,
                                   const char *due_on, struct outcome *o);
enum verdict meeting_action_remove_as(struct installation *inst,
                                      const struct actor *a, int64_t id,
                                      size_t number, struct outcome *o);
/* A day that is no date: VERDICT_INVALID meeting.date_bad, field held_on. */
enum verdict meeting_redate_as(struct installation *inst,
                               const struct actor *a, int64_t id,
                               const char *held_on, struct outcome *o);

#endif
