/*
 * inbox.h - the handler's inbox: the reports of one type that the actor's
 * keyring opens, filtered, searched, sorted and counted.
 *
 * The search and the summary column read the content, so the inbox opens
 * every listed report's content envelope in memory with the session's
 * keyring key, reads it and wipes it; nothing of it is indexed or stored.
 * Each listing is one audit row by the actor: "inbox-search" when a text
 * was searched, "inbox-read" otherwise, on "TYPE: N opened" (N the reports opened). The
 * searched text is never in the audit log, the server log or a column.
 * The search looks in every answer of the content except those of the
 * form's identity questions (name, e-mail, phone), with ASCII letters
 * matched regardless of case.
 *
 * "New message from the reporter" is per handler: case_reads keeps, per
 * handler and report, the highest message id there was when the handler
 * last opened the case (case_read_seen, case.h, in casework_read). A row
 * number, no time.
 *
 * Ownership: struct inbox owns its rows; inbox_release wipes the
 * summaries (opened content) and frees them.
 */
#ifndef MELDPUNT_INBOX_H
#define MELDPUNT_INBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "action.h"
#include "case.h"
#include "limits.h"

struct installation;
struct workflows;

/* Whose cases: everyone's, assigned to the actor, or to nobody. */
enum inbox_who { INBOX_ANYONE, INBOX_MINE, INBOX_UNASSIGNED };

/*
 * The order: deadline (overdue first, then the earliest due, then the
 * newest: the default), received (newest first), state (in the
 * workflow's order, then by deadline).
 */
enum inbox_sort { INBOX_SORT_DEADLINE, INBOX_SORT_RECEIVED, INBOX_SORT_STATE };

struct inbox_query {
	const char *state;	/* a state of the workflow; NULL: any */
	const char *phenomenon;	/* signals: an option; NULL: any */
	int overdue_only;
	int open_only;		/* leave out reports in a final state */
	const char *search;	/* NULL or "": no search; at most search_max */
	enum inbox_who who;
	int unread_only;	/* only with a reporter's message not seen */
	enum inbox_sort sort;
	/* Deadlines due within soon working days read as due soon
	 * ([calendar] due_soon; case_inbox, case.h). */
	unsigned soon;
};

/* One line of the inbox. */
struct inbox_row {
	struct case_summary c;
	/* The first words of the description (or the location), opened. */
	char summary[INBOX_SUMMARY_MAX + 1];
	/* Incidents: the kinds of incident, option names joined by ','. */
	char kind[INBOX_KIND_MAX + 1];
	int unread;		/* a reporter's message the actor has not seen */
};

/*
 * Counts per filter, over the reports that match everything but the
 * who and unread filters (so each count says what choosing it shows).
 */
struct inbox_counts {
	size_t all, mine, unassigned, unread, overdue;
};

struct inbox {
	struct inbox_row *rows;
	size_t n;
	struct inbox_counts counts;
	size_t opened;		/* content envelopes opened (audited) */
};

/*
 * The inbox of type t for actor a at now (search_max: the longest search
 * text, in bytes). DONE and *out (release it); REFUSED when a does not
 * hold t's keyring (audited as a refused "inbox-read"); INVALID
 * "case.search_too_long", field "q", when the search is longer (nothing
 * opened); FAILED.
 */
enum verdict inbox_list(struct installation *inst, const struct workflows *wfs,
                        const struct actor *a, enum report_type t,
                        const struct inbox_query *q, size_t search_max,
                        time_t now, struct inbox *out, struct outcome *o);
void inbox_release(struct inbox *ib);

#endif
