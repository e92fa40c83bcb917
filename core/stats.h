/*
 * stats.h - the figures of the incident and signal statistics.
 *
 * Statistics come from the plaintext columns (type, day of receipt,
 * source, workflow events) and the statistical answers sealed to the
 * statistiek keyring, never from content: computing them takes the key
 * pair of statistiek (a logged-in member's, from the session). Each
 * sealed envelope is opened once; its answers are then kept in
 * stats_cache under a key derived from the keyring (crypto/statbox.h), so
 * later computations decrypt a small symmetric box per report instead of a
 * sealed box. The cache is filled lazily, in batches, by the computation
 * itself.
 *
 * A period is a half-open range of days [from, to) on the day of receipt.
 * Every figure is given for the period and for the one before it: the
 * previous calendar year, quarter or month, or for a custom range the
 * range of equal length just before it.
 *
 * Figures:
 *   incidents: total; by kind (a report counts once for each kind it
 *   names), victim role, place, department, police answer; with melding
 *   or aangifte; per month.
 *   signals: total; by phenomenon, source, identity (anonymous/named),
 *   outcome; hand-offs to the RIEC; per month; the time from receipt to
 *   the first assessment (the first transition) and to the decision (the
 *   first transition into a decision state: a final state, or a state
 *   whose every way out leads straight into a final state, such as a
 *   hand-off) as median and 90th percentile, nearest rank, in seconds
 *   from 00:00 UTC of the day of receipt (only the day is stored).
 *
 * Small numbers: stats_cell shows a count from 1 below the threshold as
 * "< T" (for output outside the vpt role); 0 is shown, it names no one.
 *
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
	STATS_INCIDENTS,	/* rows "total", "police_notified" */
	STATS_KIND,
	STATS_VICTIM_ROLE,
	STATS_PLACE,
	STATS_DEPARTMENT,
	STATS_POLICE,
	STATS_INCIDENT_MONTH,	/* rows "M01".. by month of the period */
	STATS_SIGNALS,		/* rows "total", "riec" */
	STATS_PHENOMENON,
	STATS_SOURCE,
	STATS_IDENTITY,
	STATS_OUTCOME,		/* decision state name, or "open" */
	STATS_SIGNAL_MONTH,
	STATS_TABLES,
};

/* The table's name in URLs and message keys ("kind", "outcome", ...). */
const char *stats_table_name(enum stats_table_id t);
/* 0 and *t, or -1 for an unknown name. */
int stats_table_parse(const char *name, enum stats_table_id *t);
/* 1 for the incident tables, 0 for the signal tables. */
int stats_table_is_incident(enum stats_table_id t);

/* One row: a value and its count in the period and the one before. */
struct stats_row {
	char key[STATS_VALUE_MAX + 1];	/* "" when the answer was not given */
	uint64_t now;
	uint64_t prev;
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
};

/* What to compute. */
enum {
	STATS_WANT_INCIDENTS = 1 << 0,
	STATS_WANT_SIGNALS = 1 << 1,
};

/*
 * Compute the figures of period for want with the statistiek key pair
 * (and fill the cache on the way). 0 and *out, or -1.
 */
int stats_compute(struct installation *inst, const struct workflows *wfs,
                  const struct ring_key *key, const struct stats_period *period,
                  unsigned want, struct stats_result *out);
void stats_result_release(struct stats_result *r);

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

/* Sealed envelopes of statistical answers opened since start (tests). */
uint64_t stats_sealed_opens(void);

#endif
