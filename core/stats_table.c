/*
 * stats_table.c - the result tables of the statistics (see stats.h).
 *
 * A table is a list of rows, each a key with its count in the period and
 * in the one before. Here: the table names, finding and adding rows, the
 * cells as shown, and the suppression of small counts (a count below the
 * threshold is hidden, and so is the next smallest when one hidden cell
 * alone could be computed back from the total, and a total derived from
 * a hidden cell), which every page, the CSV and the API show alike.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_internal.h"

static const char *const table_names[STATS_TABLES] = {
	[STATS_INCIDENTS] = "incidents",
	[STATS_KIND] = "kind",
	[STATS_VICTIM_ROLE] = "victim_role",
	[STATS_PLACE] = "place",
	[STATS_DEPARTMENT] = "department",
	[STATS_POLICE] = "police",
	[STATS_INCIDENT_MONTH] = "incident_month",
	[STATS_SIGNALS] = "signals",
	[STATS_PHENOMENON] = "phenomenon",
	[STATS_SOURCE] = "source",
	[STATS_IDENTITY] = "identity",
	[STATS_OUTCOME] = "outcome",
	[STATS_SIGNAL_MONTH] = "signal_month",
	[STATS_INTEGRITY] = "integrity",
	[STATS_INTEGRITY_KIND] = "integrity_kind",
	[STATS_INTEGRITY_IDENTITY] = "integrity_identity",
	[STATS_INTEGRITY_OUTCOME] = "integrity_outcome",
	[STATS_INTEGRITY_MONTH] = "integrity_month",
};

const char *
stats_table_name(enum stats_table_id t)
{
	return table_names[t];
}

int
stats_table_parse(const char *name, enum stats_table_id *t)
{
	int i;

	for (i = 0; i < STATS_TABLES; i++)
		if (strcmp(name, table_names[i]) == 0) {
			*t = (enum stats_table_id)i;
			return 0;
		}
	return -1;
}

int
stats_table_is_incident(enum stats_table_id t)
{
	return t <= STATS_INCIDENT_MONTH;
}

unsigned
stats_table_want(enum stats_table_id t)
{
	if (t <= STATS_INCIDENT_MONTH)
		return STATS_WANT_INCIDENTS;
	if (t <= STATS_SIGNAL_MONTH)
		return STATS_WANT_SIGNALS;
	return STATS_WANT_INTEGRITY;
}

int
stats_table_is_totals(enum stats_table_id t)
{
	return t == STATS_INCIDENTS || t == STATS_SIGNALS ||
	       t == STATS_INTEGRITY;
}

int
stats_table_is_month(enum stats_table_id t)
{
	return t == STATS_INCIDENT_MONTH || t == STATS_SIGNAL_MONTH ||
	       t == STATS_INTEGRITY_MONTH;
}

/* The row of key, added with zero counts when new. */
struct stats_row *
stats_table_row(struct stats_table *t, const char *key, size_t keylen)
{
	size_t i;

	if (keylen > STATS_VALUE_MAX)
		keylen = STATS_VALUE_MAX;
	/* Length and first byte first: most rows differ there. */
	for (i = 0; i < t->n; i++)
		if (t->rows[i].keylen == keylen &&
		    (!keylen || t->rows[i].key[0] == key[0]) &&
		    memcmp(t->rows[i].key, key, keylen) == 0)
			return &t->rows[i];
	if (t->n == t->cap)
		t->rows = buf_grow_array(t->rows, &t->cap,
		                         sizeof(*t->rows), 16);
	memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
	memcpy(t->rows[t->n].key, key, keylen);
	t->rows[t->n].keylen = (unsigned short)keylen;
	return &t->rows[t->n++];
}

void
stats_table_count(struct stats_table *t, const char *key, size_t keylen,
                  int prev)
{
	struct stats_row *r = stats_table_row(t, key, keylen);

	if (prev)
		r->prev++;
	else
		r->now++;
}

const struct stats_row *
stats_find(const struct stats_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].key, key) == 0)
			return &t->rows[i];
	return NULL;
}

const char *
stats_cell(uint64_t n, unsigned threshold, int suppress, char out[32])
{
	if (stats_hidden(n, threshold, suppress))
		snprintf(out, 32, "< %u", threshold);
	else
		snprintf(out, 32, "%llu", (unsigned long long)n);
	return out;
}

int
stats_hidden(uint64_t n, unsigned threshold, int suppress)
{
	return suppress && n > 0 && n < threshold;
}

void
stats_result_release(struct stats_result *r)
{
	int i;

	for (i = 0; i < STATS_TABLES; i++)
		free(r->tables[i].rows);
	memset(r, 0, sizeof(*r));
}

static int
is_breakdown(int t)
{
	return !stats_table_is_totals((enum stats_table_id)t);
}

static unsigned char *
hide_of(struct stats_row *row, int prev)
{
	return prev ? &row->hide_prev : &row->hide_now;
}

static uint64_t
count_of(const struct stats_row *row, int prev)
{
	return prev ? row->prev : row->now;
}

/* Step 3: hide row key of totals table t when the source cell is hidden. */
static void
hide_derived(struct stats_result *r, enum stats_table_id t, const char *key,
             enum stats_table_id src, const char *src_key, int prev)
{
	struct stats_row *from = NULL, *to = NULL;
	size_t i;

	for (i = 0; i < r->tables[src].n; i++)
		if (strcmp(r->tables[src].rows[i].key, src_key) == 0)
			from = &r->tables[src].rows[i];
	for (i = 0; i < r->tables[t].n; i++)
		if (strcmp(r->tables[t].rows[i].key, key) == 0)
			to = &r->tables[t].rows[i];
	if (from && to && *hide_of(from, prev) && !*hide_of(to, prev))
		*hide_of(to, prev) = STATS_HIDDEN_OTHER;
}

void
stats_suppress(struct stats_result *r, unsigned threshold)
{
	int t, prev;
	size_t i;

	for (t = 0; t < STATS_TABLES; t++) {
		struct stats_table *tb = &r->tables[t];

		for (prev = 0; prev < 2; prev++) {
			struct stats_row *smallest = NULL;
			size_t hidden = 0;

			for (i = 0; i < tb->n; i++) {
				struct stats_row *row = &tb->rows[i];
				uint64_t n = count_of(row, prev);

				*hide_of(row, prev) = STATS_SHOWN;
				if (stats_row_is_amount((enum stats_table_id)t,
				                        row->key) ||
				    (t == STATS_SIGNALS &&
				     strcmp(row->key, "meetings") == 0))
					continue;
				if (n > 0 && n < threshold) {
					*hide_of(row, prev) = STATS_HIDDEN_SMALL;
					hidden++;
				} else if (n > 0 && (!smallest ||
				           n < count_of(smallest, prev))) {
					smallest = row;
				}
			}
			/* Step 2: one hidden cell alone could be computed back. */
			if (is_breakdown(t) && hidden == 1 && smallest)
				*hide_of(smallest, prev) = STATS_HIDDEN_OTHER;
		}
	}
	for (prev = 0; prev < 2; prev++) {
		hide_derived(r, STATS_INCIDENTS, "police_notified", STATS_POLICE,
		             "melding", prev);
		hide_derived(r, STATS_INCIDENTS, "police_notified", STATS_POLICE,
		             "aangifte", prev);
		hide_derived(r, STATS_SIGNALS, "named", STATS_IDENTITY, "named",
		             prev);
		hide_derived(r, STATS_SIGNALS, "riec", STATS_OUTCOME,
		             STATS_STATE_RIEC, prev);
		hide_derived(r, STATS_INTEGRITY, "named",
		             STATS_INTEGRITY_IDENTITY, "named", prev);
		hide_derived(r, STATS_INCIDENTS, "damage_claimed_cents",
		             STATS_INCIDENTS, "damages_claimed", prev);
		hide_derived(r, STATS_INCIDENTS, "damage_recovered_cents",
		             STATS_INCIDENTS, "damages_recovered", prev);
	}
}

int
stats_row_hidden(const struct stats_row *row, int prev)
{
	return (prev ? row->hide_prev : row->hide_now) != STATS_SHOWN;
}

const char *
stats_row_cell(enum stats_table_id t, const struct stats_row *row, int prev,
               unsigned threshold, int comma, char out[32])
{
	uint64_t n = count_of(row, prev);
	unsigned char h = prev ? row->hide_prev : row->hide_now;

	if (h == STATS_HIDDEN_SMALL)
		snprintf(out, 32, "< %u", threshold);
	else if (h != STATS_SHOWN)
		snprintf(out, 32, "x");
	else if (stats_row_is_amount(t, row->key))
		snprintf(out, 32, "%llu%c%02u", (unsigned long long)(n / 100),
		         comma ? ',' : '.', (unsigned)(n % 100));
	else
		snprintf(out, 32, "%llu", (unsigned long long)n);
	return out;
}

const char *
stats_share_of(enum stats_table_id t, const char *key)
{
	static const char *const shares[][3] = {
		{ "i", "police_notified", "total" },
		{ "i", "care_72h", "total" },
		{ "i", "aftercare", "total" },
		{ "i", "damages_claimed", "total" },
		{ "i", "damages_recovered", "damages_claimed" },
		{ "i", "deadlines_met", "deadlines_total" },
		{ "i", "deadlines_met_late", "deadlines_total" },
		{ "i", "deadlines_overdue", "deadlines_total" },
		{ "i", "deadlines_stopped", "deadlines_total" },
		{ "i", "purged", "total" },
		{ "s", "riec", "total" },
		{ "s", "named", "total" },
		{ "s", "ack_7d", "named" },
		{ "s", "closed_named", "named" },
		{ "s", "feedback", "closed_named" },
		{ "s", "in_meeting", "total" },
		{ "s", "assigned", "total" },
		{ "s", "deadlines_met", "deadlines_total" },
		{ "s", "deadlines_met_late", "deadlines_total" },
		{ "s", "deadlines_overdue", "deadlines_total" },
		{ "s", "deadlines_stopped", "deadlines_total" },
		{ "s", "purged", "total" },
		{ "g", "named", "total" },
		{ "g", "closed", "total" },
		{ "g", "ack_7d", "ack_decided" },
		{ "g", "feedback", "feedback_decided" },
		{ "g", "longer", "total" },
		{ "g", "deadlines_met", "deadlines_total" },
		{ "g", "deadlines_met_late", "deadlines_total" },
		{ "g", "deadlines_overdue", "deadlines_total" },
		{ "g", "deadlines_stopped", "deadlines_total" },
		{ "g", "purged", "total" },
	};
	size_t i;
	char type;

	if (t == STATS_INCIDENTS)
		type = 'i';
	else if (t == STATS_SIGNALS)
		type = 's';
	else if (t == STATS_INTEGRITY)
		type = 'g';
	else
		return NULL;
	for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		if (shares[i][0][0] == type &&
		    strcmp(shares[i][1], key) == 0)
			return shares[i][2];
	return NULL;
}

int
stats_row_is_amount(enum stats_table_id t, const char *key)
{
	return t == STATS_INCIDENTS && (strcmp(key, "damage_claimed_cents") == 0 ||
	                                strcmp(key, "damage_recovered_cents") == 0);
}
