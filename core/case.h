/*
 * case.h - a report as its handlers work it.
 *
 * Everything here runs for a logged-in member of the report type's keyring
 * and takes that keyring's key pair (from the session). Reading content is
 * audited with the reader's name; the inbox reads only the sealed
 * statistical answers (for the phenomenon), never the content.
 *
 * Ownership: lists and views are released with their *_release function,
 * which wipes what was decrypted.
 */
#ifndef MELDPUNT_CASE_H
#define MELDPUNT_CASE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "casenumber.h"
#include "clock.h"
#include "message.h"
#include "report.h"
#include "secret.h"
#include "workflow.h"

struct installation;
struct workflows;

/* The keyring key pair a handler opens a report type with. */
struct ring_key {
	const uint8_t *pk;
	const struct secret *sk;
};

#define CASE_PHENOMENON_MAX 64
#define CASE_SOURCE_MAX 16

/* One line of the inbox. */
struct case_summary {
	int64_t id;		/* the row: internal, never shown */
	char number[CASE_NUMBER_LEN + 1];	/* what staff see (casenumber.h) */
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];
	char received_on[16];
	char source[CASE_SOURCE_MAX + 1];
	char phenomenon[CASE_PHENOMENON_MAX + 1];	/* signals; may be "" */
	char assignee[65];				/* user name or "" */
	time_t next_due;	/* earliest running deadline, 0 when none */
	/* The one verdict (workflow.h) on that deadline, when next_due. */
	enum deadline_verdict verdict;
	int overdue;		/* a running deadline has passed */
	int final;		/* in a final state */
	enum oral_state oral;	/* an oral report's check (oral.h) */
};

struct inbox_filter {
	const char *state;	/* NULL: any */
	const char *phenomenon;	/* NULL: any */
	int overdue_only;
	int open_only;		/* leave out reports in a final state */
};

/*
 * The reports of type t that match filter, sorted by deadline (overdue
 * first, then the earliest due, then the newest). Their deadlines are
 * judged at now by workflow_deadline_verdict with soon working days (the
 * configuration's [calendar] due_soon), as the case page judges them: a
 * deadline is running while its verdict is open, due soon or overdue.
 * 0 and *out, *n; or -1.
 */
int case_inbox(struct installation *inst, const struct workflows *wfs,
               enum report_type t, const struct ring_key *key,
               const struct inbox_filter *filter, time_t now, unsigned soon,
               struct case_summary **out, size_t *n);

/* The plain columns of one report. 0, 1 when there is none, -1. */
int case_get(struct installation *inst, int64_t id, struct case_summary *out);

/*
 * Fill next_due, verdict, overdue and final of a summary from case_get,
 * as the inbox has them (its deadlines at time now, soon as case_inbox).
 */
void case_status(struct installation *inst, const struct workflows *wfs,
                 struct case_summary *c, time_t now, unsigned soon);

/* The content of report id, as actor (audited). 0 and *out, or -1. */
int case_read(struct installation *inst, int64_t id, const struct ring_key *key,
              const char *actor, struct secret **out);
/*
 * The same for the handler user (0: none), who has then seen every
 * message of the report there is: case_reads keeps the highest message
 * id, in the audit row's transaction, for the inbox's "new message from
 * the reporter" (inbox.h).
 */
int case_read_seen(struct installation *inst, int64_t id,
                   const struct ring_key *key, const char *actor, int64_t user,
                   struct secret **out);

/*
 * The text answer name of opened content (or of opened statistical
 * answers: both are {"answers": {...}}) into out, "" when there is none.
 */
void case_answer_text(const struct secret *content, const char *name,
                      char *out, size_t size);

/*
 * The e-mail address the reporter of id gave in the content (opened with
 * key, not audited: it is not shown to anyone), for the notice that there
 * is news; "" when none, or when the outbox would refuse it. 0 or -1.
 */
int case_reporter_address(struct installation *inst, int64_t id,
                          const struct ring_key *key, char *out, size_t size);

/* Its files (of the report and of messages). 0 or -1. */
int case_attachments(struct installation *inst, int64_t id,
                     const struct ring_key *key, struct attachment_view **out,
                     size_t *n);

/* Its messages with the reporter, oldest first. 0 or -1. */
int case_messages(struct installation *inst, int64_t id,
                  const struct ring_key *key, struct message_view **out,
                  size_t *n);

/* An oral report's record (oral.h); n 0 for any other report. 0 or -1. */
int case_oral(struct installation *inst, int64_t id, const struct ring_key *key,
              struct oral_record *out);

/* An internal note. */
struct note_view {
	int64_t id;
	char at[CLOCK_TEXT_LEN + 1];
	char author[65];
	struct secret *body;
};

/* Add a note (sealed to the keyring only), as actor. 0 or -1. */
int case_note_add(struct installation *inst, int64_t id, const char *actor,
                  const char *text, size_t len);
int case_notes(struct installation *inst, int64_t id, const struct ring_key *key,
               struct note_view **out, size_t *n);
void notes_release(struct note_view *v, size_t n);

/*
 * Assign to user name (NULL or "" unassigns), as actor. Only to an
 * active account that holds the keyring of the report's type and has a
 * role that handles it (keyrings_role_handles): one who can read it.
 * Checked inside the write, so a grant revoked meanwhile counts. 0; 1
 * when the user is not one of those (nothing changed); -1.
 */
int case_assign(struct installation *inst, int64_t id, const char *username,
                const char *actor);

/* Someone a report may be assigned to. */
struct case_assignee {
	char username[65];
	char display_name[201];
};

/*
 * Those case_assign accepts for reports of type t, by username. 0 and
 * *out (free), *n; or -1.
 */
int case_assignees(struct installation *inst, enum report_type t,
                   struct case_assignee **out, size_t *n);

/* Link two reports of the same type, as actor. 0, 1 when refused, -1. */
int case_link(struct installation *inst, int64_t a, int64_t b,
              const char *actor);

/* The ids linked to report id, at most max. 0 and *n, or -1. */
int case_links(struct installation *inst, int64_t id, int64_t *out, size_t max,
               size_t *n);

#endif
