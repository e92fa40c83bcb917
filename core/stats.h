/*
 * stats.h - the figures of the incident and signal statistics.
 *
 * Statistics come from the plaintext columns (type, day of receipt,
 * source, workflow events) and the statistical answers sealed to the
 * statistiek keyring, never from content: computing them takes the key
 * pair of statistiek (a logged-in member's, from the session). Each
 * sealed envelope is opened once; its answers are then kept in
 * stats_chunks under a key derived from the keyring (crypto/statbox.h),
 * one symmetric box for the records of 64 reports by id, so later
 * computations decrypt a small box per 64 reports instead of a sealed box
 * per report. The cache is filled lazily, in batches, by the computation
 * itself; a trigger marks a record stale when its report gets new
 * statistical fields, and a deleted report takes its chunk with it
 * (migration 0018).
 *
 * A period is a half-open range of days [from, to) on the day of receipt.
 * Every figure is given for the period and for the one before it: the
 * previous calendar year, quarter or month, or for a custom range the
 * range of equal length just before it.
 *
 * Figures:
 *   incidents: total; by kind (a report counts once for each kind it
 *   names), victim role, place, department, police answer; per month;
 *   and the rows of STATS_INCIDENTS below.
 *   signals: total; by phenomenon, source, identity (anonymous/named),
 *   outcome; per month; the rows of STATS_SIGNALS below; the time from
 *   receipt to the first assessment (the first transition) and to the
 *   decision (the first transition into a decision state: a final state,
 *   or a state whose every way out leads straight into a final state, such
 *   as a hand-off) as median and 90th percentile, nearest rank, in seconds
 *   from 00:00 of the local day of receipt (only the day is stored).
 *   integrity reports: total; by kind of violation, identity, outcome;
 *   per month; the rows of STATS_INTEGRITY below.
 *
 * The totals tables (a contract with core/norm.c, which reads these rows
 * with stats_find; every row is present, 0 when nothing counts):
 *
 *   STATS_INCIDENTS
 *     total               incidents received in the period (with purged)
 *     police_notified     the police know of it: the reporter answered
 *                         "melding" or "aangifte", or a handler recorded
 *                         police_report or police_notice (counted once)
 *     care_72h            the first_care deadline of the workflow met on
 *                         time (workflow_deadline_verdict: the care talk
 *                         within 72 hours of 00:00 of the local day of
 *                         receipt), as the case page shows it; a care
 *                         talk declined stops it and does not count
 *     aftercare           at least one aftercare follow-up (transition
 *                         aftercare_2_weeks or aftercare_6_8_weeks)
 *     damages_claimed     at least one damages transition (plaintext: the
 *                         transition happened, its amount is required)
 *     damages_recovered   recovered amount of its damages events > 0
 *     damage_claimed_cents    sum of damage_amount, in euro cents
 *     damage_recovered_cents  sum of recovered_amount, in euro cents
 *     deadlines_total     deadlines of these incidents that are decided, as
 *                         for signals below
 *     deadlines_met ... deadlines_stopped   as for signals below
 *     purged              of total, reports purged since (retention.h)
 *   The amounts come from the events' statistical fields (workflow key
 *   stats, sealed to statistiek: events.h), of the steps in effect: an
 *   undone step counts nowhere, a corrected one with the values of its
 *   latest correction (events.h); an event recorded before
 *   migration 0017, or an amount that does not read as euros
 *   (stats_amount_parse), counts in damages_claimed but adds nothing to
 *   the sums. Amount rows are not counts: stats_row_is_amount.
 *
 *   STATS_SIGNALS
 *     total               signals received in the period (with purged)
 *     riec                ever in state riec (a hand-off to the RIEC)
 *     named               identity answer "named"
 *     ack_7d              named, and deadline "acknowledgement" (a message
 *                         within 7 days of receipt) met in time
 *     closed_named        named, and now in a final state
 *     feedback            closed_named, and deadline "outcome_feedback" (a
 *                         message within 7 days of closing) met in time
 *     in_meeting          on the agenda of a signal meeting held (held_on
 *                         up to today)
 *     meetings            signal meetings held in the period (by held_on,
 *                         up to today; not a count of signals)
 *     assigned            a coordinator is assigned now (reports.assignee;
 *                         only the current assignment is stored)
 *     deadlines_total     deadlines of these signals that are decided: met,
 *                         met late, overdue, or stopped by closing (running
 *                         ones, open or due soon, not), each judged by
 *                         workflow_deadline_verdict at the computation's now
 *     deadlines_met       of those, met in time
 *     deadlines_met_late  of those, met after the due time
 *     deadlines_overdue   of those, past due and not met, report open
 *     deadlines_stopped   of those, the report reached a final state first
 *     purged              of total, reports purged since
 *   A purged report keeps only its type, month of receipt, final state and
 *   source (retention.h): it counts in total, purged, source, outcome and
 *   the month tables, and in none of the other figures. Its month counts
 *   when it lies wholly inside the period (custom ranges: whole months).
 *
 *   STATS_INTEGRITY (integrity reports, norm 2.4: the yearly integrity
 *   report; the names come from schema/forms/integrity.ini and
 *   schema/workflows/integrity.ini)
 *     total               integrity reports received in the period (with
 *                         purged)
 *     named               identity answer "named"
 *     closed              now in a final state (with purged)
 *     ack_decided         the deadline "acknowledgement" (7 days after
 *                         receipt) decided: met, met late, overdue or
 *                         stopped (running ones not)
 *     ack_7d              of those, met in time: the acknowledgement
 *                         within 7 days
 *     feedback_decided    the deadline "feedback" (the term after the
 *                         acknowledgement) decided: met, met late,
 *                         overdue or stopped
 *     feedback            of those, met in time: feedback within the term
 *     longer              the reporter was told the follow-up takes
 *                         longer (transition "longer")
 *     deadlines_total ... deadlines_stopped   as for signals above
 *     purged              of total, reports purged since
 *   with the tables integrity_kind (the kind of violation, once per
 *   report), integrity_identity, integrity_outcome (the final state it is
 *   in, or "open") and integrity_month. A purged integrity report counts
 *   in total, closed, purged, outcome and the month table. Deadlines are
 *   judged by workflow_deadline_verdict, as everywhere.
 *
 * The names of transitions, states and deadlines used are the STATS_T_,
 * STATS_STATE_ and STATS_DEADLINE_ constants: an organisation that renames
 * them in its workflow copy gets 0 for those rows.
 *
 * Small numbers: stats_suppress marks the cells to hide before output
 * outside the vpt role, in three steps:
 *   1. a count from 1 below the threshold (0 is shown: it names no one);
 *   2. complementary: in a breakdown table (every table but the two
 *      totals tables) whose column has exactly one hidden cell, also the
 *      smallest non-zero shown cell of that column, so the hidden one
 *      cannot be computed back as the total minus the others;
 *   3. derived: police_notified when melding or aangifte is hidden, named
 *      when identity "named" is, riec when outcome "riec" is, an amount
 *      when its count (damages_claimed, damages_recovered) is.
 *      For integrity: named when integrity_identity "named" is.
 * The meetings row is not about persons and is never hidden. Every table
 * is one-dimensional, so no cross table offers another way back.
 * Ownership: struct stats_result is released with stats_result_release.
 */
#ifndef MELDPUNT_STATS_H
#define MELDPUNT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"

struct installation;
struct workflows;

#define STATS_DAY_LEN 10		/* YYYY-MM-DD */
/* The longest custom period, in days (about ten years). */
#define STATS_PERIOD_DAYS_MAX 3660
/* Reports read, opened and cached per batch (one lock, one transaction). */
#define STATS_BATCH 4096
/* Longest answer value kept (a department is free text). */
#define STATS_VALUE_MAX 128
#define STATS_SMALL_NUMBER_DEFAULT 5

/* Workflow names the figures depend on (schema/workflows/). */
#define STATS_T_AFTERCARE_2 "aftercare_2_weeks"
#define STATS_T_AFTERCARE_6_8 "aftercare_6_8_weeks"
#define STATS_T_DAMAGES "damages"
#define STATS_T_POLICE_REPORT "police_report"
#define STATS_T_POLICE_NOTICE "police_notice"
#define STATS_STATE_RIEC "riec"
#define STATS_DEADLINE_CARE "first_care"
#define STATS_DEADLINE_ACK "acknowledgement"
#define STATS_DEADLINE_FEEDBACK "outcome_feedback"
/* The integrity report type (schema/forms/integrity.ini) and its names. */
#define STATS_TYPE_INTEGRITY "integrity"
#define STATS_DEADLINE_INT_ACK "acknowledgement"
#define STATS_DEADLINE_INT_FEEDBACK "feedback"
#define STATS_T_INT_LONGER "longer"

enum stats_kind { STATS_YEAR, STATS_QUARTER, STATS_MONTH, STATS_CUSTOM };

struct stats_period {
	enum stats_kind kind;
	char from[STATS_DAY_LEN + 1];	/* first day */
	char to[STATS_DAY_LEN + 1];	/* the day after the last */
	char prev_from[STATS_DAY_LEN + 1];
	char prev_to[STATS_DAY_LEN + 1];	/* == from */
};

/*
 * The period of kind for value: "2025" (year), "2025-Q1" (quarter),
 * "2025-03" (month), or for STATS_CUSTOM the days from and to, both
 * included ("2025-01-01", "2025-06-30"). 0 and *out, or -1 when a value
 * is malformed, from is after to, or the range is longer than
 * STATS_PERIOD_DAYS_MAX.
 */
int stats_period_parse(enum stats_kind kind, const char *value,
                       const char *custom_from, const char *custom_to,
                       struct stats_period *out);

enum stats_table_id {
	STATS_INCIDENTS,	/* the totals rows above */
	STATS_KIND,
	STATS_VICTIM_ROLE,
	STATS_PLACE,
	STATS_DEPARTMENT,
	STATS_POLICE,
	STATS_INCIDENT_MONTH,	/* rows "YYYY-MM", every month of the period */
	STATS_SIGNALS,		/* the totals rows above */
	STATS_PHENOMENON,
	STATS_SOURCE,
	STATS_IDENTITY,
	STATS_OUTCOME,		/* decision state name, or "open" */
	STATS_SIGNAL_MONTH,
	/* Added later: at the end, so the tables above keep their numbers. */
	STATS_INTEGRITY,	/* the totals rows above */
	STATS_INTEGRITY_KIND,
	STATS_INTEGRITY_IDENTITY,
	STATS_INTEGRITY_OUTCOME,	/* final state name, or "open" */
	STATS_INTEGRITY_MONTH,
	STATS_TABLES,
};

/* The table's name in URLs and message keys ("kind", "outcome", ...). */
const char *stats_table_name(enum stats_table_id t);
/* 0 and *t, or -1 for an unknown name. */
int stats_table_parse(const char *name, enum stats_table_id *t);
/* 1 for the incident tables, 0 for the others. */
int stats_table_is_incident(enum stats_table_id t);
/* The STATS_WANT_ bit of the report type a table is about. */
unsigned stats_table_want(enum stats_table_id t);
/* 1 for the totals tables (incidents, signals, integrity). */
int stats_table_is_totals(enum stats_table_id t);
/* 1 for the tables of months (rows "YYYY-MM"). */
int stats_table_is_month(enum stats_table_id t);

/* How a cell is shown after stats_suppress. */
enum stats_shown {
	STATS_SHOWN = 0,
	STATS_HIDDEN_SMALL,	/* step 1: "< T" */
	STATS_HIDDEN_OTHER,	/* steps 2 and 3: "x" */
};

/* One row: a value and its count in the period and the one before. */
struct stats_row {
	char key[STATS_VALUE_MAX + 1];	/* "" when the answer was not given */
	uint64_t now;
	uint64_t prev;
	unsigned char hide_now, hide_prev;	/* enum stats_shown */
	unsigned short keylen;			/* strlen(key) */
};

struct stats_table {
	struct stats_row *rows;		/* by key, months in order */
	size_t n, cap;
};

/* Median and 90th percentile of a duration; n == 0 when none. */
struct stats_duration {
	size_t n;
	int64_t median;		/* seconds */
	int64_t p90;
};

struct stats_result {
	struct stats_period period;
	struct stats_table tables[STATS_TABLES];
	/* [0] the period, [1] the previous one. */
	struct stats_duration first_assessment[2];
	struct stats_duration decision[2];
	/* Sealed envelopes opened by this computation (0 when all cached). */
	size_t opened;
	/* Envelopes that did not open with the key (left out of the figures). */
	size_t unopened;
};

/* What to compute. */
enum {
	STATS_WANT_INCIDENTS = 1 << 0,
	STATS_WANT_SIGNALS = 1 << 1,
	STATS_WANT_INTEGRITY = 1 << 2,
};

/*
 * Compute the figures of period for want with the statistiek key pair
 * (and fill the cache on the way). 0 and *out, or -1.
 */
int stats_compute(struct installation *inst, const struct workflows *wfs,
                  const struct ring_key *key, const struct stats_period *period,
                  unsigned want, struct stats_result *out);
void stats_result_release(struct stats_result *r);
/* As stats_compute, at time now (seconds): for deadlines and "held". */
int stats_compute_at(struct installation *inst, const struct workflows *wfs,
                     const struct ring_key *key,
                     const struct stats_period *period, unsigned want,
                     int64_t now, struct stats_result *out);

/* Mark the cells to hide (the rules above) for threshold. */
void stats_suppress(struct stats_result *r, unsigned threshold);

/*
 * A cell as shown: "< T" or "x" when marked hidden, else the number (an
 * amount row as euros: "1234.56", with a comma when comma). Returns out.
 */
const char *stats_row_cell(enum stats_table_id t, const struct stats_row *row,
                           int prev, unsigned threshold, int comma,
                           char out[32]);
/* 1 when the cell is marked hidden. */
int stats_row_hidden(const struct stats_row *row, int prev);
/*
 * The row of the same totals table a row is a share of ("total" for most,
 * "named" for ack_7d, "deadlines_total" for deadlines_met, ...), or NULL
 * when a share makes no sense (total, meetings, amounts).
 */
const char *stats_share_of(enum stats_table_id t, const char *key);
/* 1 for the rows that hold euro cents, not counts. */
int stats_row_is_amount(enum stats_table_id t, const char *key);

/*
 * An amount in euros as typed ("1.234,56", "1234.5", "€ 150", "100,-")
 * to cents: the last ',' or '.' followed by one or two digits is the
 * decimal mark, other dots and spaces between groups of three digits
 * separate thousands. 0 and *cents, or -1.
 */
int stats_amount_parse(const char *s, size_t len, int64_t *cents);

/* The row of key in a table, or NULL. */
const struct stats_row *stats_find(const struct stats_table *t,
                                   const char *key);

/*
 * A count as shown: "< threshold" when suppress is set and 0 < n <
 * threshold, else the number. Returns out.
 */
const char *stats_cell(uint64_t n, unsigned threshold, int suppress,
                       char out[32]);
/* 1 when stats_cell would hide n. */
int stats_hidden(uint64_t n, unsigned threshold, int suppress);

/*
 * Reports per batch from now on, 1 to STATS_BATCH (tests: a small batch
 * makes a small data set cross the hand-over from batch to batch).
 */
void stats_set_batch(size_t n);

/*
 * Tests: fn(arg) is called by the reading thread after each batch is
 * read, outside the database lock (a write can come in between the
 * reading of a batch and the storing of its cache chunks). NULL: none.
 */
void stats_set_read_hook(void (*fn)(void *arg), void *arg);

/* Sealed envelopes of statistical answers opened since start (tests). */
uint64_t stats_sealed_opens(void);

#endif
