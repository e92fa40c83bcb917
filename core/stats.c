/*
 * stats.c - the statistics and their cache (see stats.h).
 *
 * One pass reads the reports of the period and the one before it in
 * batches of STATS_BATCH by id: under the database lock it copies a
 * batch's plaintext columns, then the cache chunks of their ids in one
 * range scan of stats_chunks (a chunk holds the records of 64 reports in
 * one box: a million reports are 15,625 boxes to open, not a million),
 * and the sealed envelope only of a report its chunk does not cover;
 * then without the lock it opens them, counts, rebuilds the chunks that
 * got new records, and writes those in one transaction, only when no
 * statistical event or deletion came in since the batch was read
 * (stats_generation, migration 0018).
 * Nothing holds the lock while a sealed box is opened, so submissions are
 * not held up by a first run. The opening and counting of a batch runs on
 * a second thread while the next batch is read (bench/stats: SQLite and
 * the decryption each took about a third of the time, one after the
 * other on one core); a batch is counted only after the one before it,
 * so the reports stay in id order and every figure is the same. Then
 * the handler messages of the signals (messages first, each finding its
 * report), and the workflow events: one scan of report_events in rowid
 * order, each event placed with its report by a look just past the last
 * one found, else a binary search in the reports read, its names turned
 * into indexes of the workflow once, then a counting sort by report
 * (bench/stats: a lookup per event or per report cost more than all the
 * decryption).
 *
 * The cached form of the answers is not the JSON of the envelope but
 * lines "name=value\n" (a multi answer is one line per value), followed
 * by "event.NAME=VALUE\n" for the statistical fields of its events:
 * parsing it costs next to nothing next to the decryption.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "clock.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "statbox.h"
#include "stats.h"
#include "workflow.h"

/* The longest cached record of answers; longer ones are cut short. */
#define STATS_RECORD_MAX 4096
/*
 * A cache chunk: the reports with ids chunk << CHUNK_SHIFT and the next
 * CHUNK_REPORTS - 1 (schema/migrations/0018_stats_chunks.sql counts the
 * same: id >> 6, bit id & 63). Its plaintext is the records in id order,
 * each id (8 bytes, little-endian) | length (4) | the record.
 */
#define CHUNK_SHIFT 6
#define CHUNK_REPORTS (1 << CHUNK_SHIFT)
#define CHUNK_HEAD 12
#define CHUNK_PLAIN_MAX (CHUNK_REPORTS * (CHUNK_HEAD + STATS_RECORD_MAX))
_Static_assert(CHUNK_REPORTS == 64, "covered is a 64-bit mask");

static atomic_uint_fast64_t sealed_opens;

uint64_t
stats_sealed_opens(void)
{
	return (uint64_t)atomic_load(&sealed_opens);
}

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

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static unsigned
month_days(int y, unsigned m)
{
	static const unsigned n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	                              30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Exactly n digits at s. */
static int
digits(const char *s, size_t n, unsigned *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* "YYYY-MM-DD" (and nothing after it when whole) to days. 0 or -1. */
static int
parse_day(const char *s, int whole, int64_t *days)
{
	unsigned y, m, d;

	if (!s || digits(s, 4, &y) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) < 0 || (whole && s[10] != '\0') ||
	    y < 1970 || m < 1 || m > 12 || d < 1 || d > month_days((int)y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

static void
format_day(int64_t days, char out[STATS_DAY_LEN + 1])
{
	unsigned m, d;
	int y;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, STATS_DAY_LEN + 1, "%04d-%02u-%02u", y, m, d);
}

/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch. 0 or -1. */
static int
parse_at(const char *s, int64_t *out)
{
	unsigned h, mi, se;
	int64_t days;

	if (parse_day(s, 0, &days) < 0 || s[10] != 'T' ||
	    digits(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    digits(s + 17, 2, &se) < 0 || s[19] != 'Z' || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	*out = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* The first day of the month months after (y, m). */
static int64_t
month_start(int y, unsigned m, int months)
{
	int idx = y * 12 + (int)m - 1 + months;

	return days_from_civil(idx / 12, (unsigned)(idx % 12) + 1, 1);
}

int
stats_period_parse(enum stats_kind kind, const char *value,
                   const char *custom_from, const char *custom_to,
                   struct stats_period *out)
{
	int64_t from, to, prev;
	unsigned y, m;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	switch (kind) {
	case STATS_YEAR:
		if (!value || strlen(value) != 4 || digits(value, 4, &y) < 0 ||
		    y < 1970 || y > 9998)
			return -1;
		from = month_start((int)y, 1, 0);
		to = month_start((int)y, 1, 12);
		prev = month_start((int)y, 1, -12);
		break;
	case STATS_QUARTER:
		if (!value || strlen(value) != 7 || digits(value, 4, &y) < 0 ||
		    value[4] != '-' || value[5] != 'Q' || value[6] < '1' ||
		    value[6] > '4' || y < 1970 || y > 9998)
			return -1;
		m = (unsigned)(value[6] - '1') * 3 + 1;
		from = month_start((int)y, m, 0);
		to = month_start((int)y, m, 3);
		prev = month_start((int)y, m, -3);
		break;
	case STATS_MONTH:
		if (!value || strlen(value) != 7 || digits(value, 4, &y) < 0 ||
		    value[4] != '-' || digits(value + 5, 2, &m) < 0 || m < 1 ||
		    m > 12 || y < 1970 || y > 9998)
			return -1;
		from = month_start((int)y, m, 0);
		to = month_start((int)y, m, 1);
		prev = month_start((int)y, m, -1);
		break;
	case STATS_CUSTOM:
		/* Both days are included as typed; to is kept as the day after. */
		if (parse_day(custom_from, 1, &from) < 0 ||
		    parse_day(custom_to, 1, &to) < 0 || to < from ||
		    to - from + 1 > STATS_PERIOD_DAYS_MAX)
			return -1;
		to++;
		prev = from - (to - from);
		break;
	default:
		return -1;
	}
	if (prev < 0)
		prev = 0;
	format_day(from, out->from);
	format_day(to, out->to);
	format_day(prev, out->prev_from);
	format_day(from, out->prev_to);
	return 0;
}

/* The row of key, added with zero counts when new. */
static struct stats_row *
table_row(struct stats_table *t, const char *key, size_t keylen)
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

static void
table_count(struct stats_table *t, const char *key, size_t keylen, int prev)
{
	struct stats_row *r = table_row(t, key, keylen);

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
	return t != STATS_INCIDENTS && t != STATS_SIGNALS;
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

/* The answers of the envelope's JSON as cached lines. */
static void
encode_record(const struct secret *plain, struct buf *rec)
{
	json_t *doc, *answers, *v;
	const char *name;

	doc = json_loadb((const char *)plain->bytes, plain->len, 0, NULL);
	answers = doc ? json_object_get(doc, "answers") : NULL;
	json_object_foreach(answers, name, v) {
		size_t i, n = json_is_array(v) ? json_array_size(v) : 1;

		for (i = 0; i < n; i++) {
			json_t *one = json_is_array(v) ? json_array_get(v, i) : v;
			const char *s;
			size_t len, k;

			if (!json_is_string(one))
				continue;
			s = json_string_value(one);
			len = strlen(s);
			if (len > STATS_VALUE_MAX)
				len = STATS_VALUE_MAX;
			if (rec->len + strlen(name) + len + 2 > STATS_RECORD_MAX)
				break;
			buf_adds(rec, name);
			buf_addch(rec, '=');
			/* A line per value: a newline in free text becomes a space. */
			for (k = 0; k < len; k++)
				buf_addch(rec, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
			buf_addch(rec, '\n');
		}
	}
	json_decref(doc);
}

/* The sealed statistical fields of one event (events.h). */
struct event_box {
	uint8_t *env;
	size_t len;
	char *ad;		/* events_stats_ad */
	size_t adlen;
};

/* What a report of the batch carries out of the locked read. */
struct item {
	int64_t id;
	int signal;
	int prev;		/* in the previous period */
	int64_t day;		/* of receipt, days since the epoch */
	int month;		/* month_index of day */
	char source[17];
	uint8_t locator[RECEIPT_LOCATOR_LEN];	/* read with the envelope */
	uint8_t *sealed;	/* the envelope, when not cached */
	size_t sealed_len;
	int read;		/* its envelopes were read */
	int cached;		/* its chunk has a record of it */
	size_t chunk;		/* index of its chunk in the batch */
	int assigned;		/* a coordinator is assigned */
	int in_meeting;		/* on the agenda of a meeting held */
	struct event_box *events;	/* statistical fields, when not cached */
	size_t nevents;
};

/* A cache chunk a batch reads, and rebuilds when it got new records. */
struct chunk {
	int64_t no;		/* report id >> CHUNK_SHIFT */
	uint64_t covered;	/* bit id % 64: box has a valid record of id */
	uint8_t *box;		/* as read under the current key, or NULL */
	size_t box_len;
	int opened;		/* box opened into the computation's chunk_plain */
	struct buf fresh;	/* records made now from envelopes, in id order */
	uint64_t fresh_ids;
	uint8_t *new_box;	/* rebuilt: old valid records and the fresh ones */
	size_t new_box_len;
	uint64_t new_covered;
};

/* One batch: its reports in id order, their chunks, what it read. */
struct batch {
	struct item *v;
	size_t n;
	struct chunk *ch;
	size_t nch;
	int64_t generation;	/* stats_generation when it was read */
};

/* A report for the messages and events passes. */
struct ref {
	int64_t id;
	int64_t received;	/* seconds: 00:00 UTC of the day of receipt */
	size_t msg_first, nmsg;	/* its handler messages in c->msgs */
	const char *outcome;	/* points into the workflow, or "open" */
	unsigned char signal, prev, named;
	unsigned char done_first, done_decision, riec, final;
	unsigned char care_72h, aftercare, damages;
};

struct computation {
	struct installation *inst;
	const struct ring_key *key;
	struct stats_result *out;
	struct secret *cache_key;
	uint8_t key_id[STATBOX_KEY_ID_LEN];
	struct secret *chunk_plain;	/* the open chunk of the counting thread */
	size_t chunk_len;
	size_t chunk_at;		/* its next record */
	struct secret *chunk_new;	/* a chunk being rebuilt */
	int64_t from, to, prev_from;	/* days */
	int64_t now, today;		/* seconds, days */
	int month0, prev_month0;	/* month_index of from and prev_from */
	unsigned want;
	struct ref *refs;
	size_t nrefs, caprefs;
	time_t *msgs;		/* handler messages of the signals, by report */
	size_t nmsgs, capmsgs;
	int64_t claimed_cents[2], recovered_cents[2];
	size_t unopened;	/* envelopes that did not open: logged once */
	int64_t *meeting;	/* signals discussed in a meeting, sorted */
	size_t nmeeting;
};

/* Months since year 0 of a day: the index of its month. */
static int
month_index(int64_t day)
{
	unsigned m, d;
	int y;

	civil_from_days(day, &y, &m, &d);
	return y * 12 + (int)m - 1;
}

/*
 * The month row of a report (month: month_index of its day): the row of
 * its month in the period; a report of the previous period counts beside
 * the month as far in. The rows are made in order by months(), so the
 * row is found by its place, without a search.
 */
static void
count_month(struct computation *c, struct stats_table *t, int month, int prev,
            uint64_t n)
{
	int offset = month - (prev ? c->prev_month0 : c->month0);

	/* Only months of the period have rows (custom ranges may differ). */
	if (offset < 0 || (size_t)offset >= t->n)
		return;
	if (prev)
		t->rows[offset].prev += n;
	else
		t->rows[offset].now += n;
}

int
stats_amount_parse(const char *s, size_t len, int64_t *cents)
{
	const char *end = s + len, *p, *mark = NULL;
	int64_t whole = 0, frac = 0;
	size_t ndigits = 0, after = 0, group = 0, seps = 0;

	/* Leading "€", "EUR" and spaces; a trailing ",-" or ".-". */
	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (end - s >= 3 && memcmp(s, "\xE2\x82\xAC", 3) == 0)
			s += 3;
		else if (end - s >= 3 && (memcmp(s, "EUR", 3) == 0 ||
		                          memcmp(s, "eur", 3) == 0))
			s += 3;
		else
			break;
	}
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - s >= 2 && end[-1] == '-' && (end[-2] == ',' || end[-2] == '.'))
		end -= 2;
	if (s == end)
		return -1;
	/* The decimal mark: the last ',' or '.' with one or two digits after. */
	for (p = end; p > s; p--)
		if (p[-1] == ',' || p[-1] == '.') {
			if (end - p == 1 || end - p == 2)
				mark = p - 1;
			break;
		}
	/* The whole part: digits, or groups of three after a separator. */
	for (p = s; p < (mark ? mark : end); p++) {
		if (*p >= '0' && *p <= '9') {
			if (whole > (INT64_MAX / 100 - 9) / 10)
				return -1;
			whole = whole * 10 + (*p - '0');
			ndigits++;
			group++;
		} else if ((*p == '.' || *p == ' ') && ndigits &&
		           (seps ? group == 3 : group <= 3)) {
			seps++;
			group = 0;
		} else {
			return -1;
		}
	}
	if (seps && group != 3)
		return -1;
	if (!ndigits)
		return -1;
	if (mark)
		for (p = mark + 1; p < end; p++, after++) {
			if (*p < '0' || *p > '9')
				return -1;
			frac = frac * 10 + (*p - '0');
		}
	if (after == 1)
		frac *= 10;
	*cents = whole * 100 + frac;
	return 0;
}

/* Count one report's record of answers (and its events' amounts). */
static void
count_record(struct computation *c, const struct item *it, struct ref *ref,
             const char *rec, size_t len)
{
	struct stats_table *tb = c->out->tables;
	static const struct {
		const char *name;
		size_t len;
		enum stats_table_id table;
		int signal;
		int multi;
	} map[] = {
		{ "kind", 4, STATS_KIND, 0, 1 },
		{ "victim_role", 11, STATS_VICTIM_ROLE, 0, 0 },
		{ "place", 5, STATS_PLACE, 0, 0 },
		{ "department", 10, STATS_DEPARTMENT, 0, 0 },
		{ "police", 6, STATS_POLICE, 0, 0 },
		{ "phenomenon", 10, STATS_PHENOMENON, 1, 0 },
		{ "identity", 8, STATS_IDENTITY, 1, 0 },
	};
	int seen[sizeof(map) / sizeof(map[0])] = { 0 };
	const char *p = rec, *end = rec + len;
	int64_t claimed = 0, recovered = 0, cents;
	size_t i;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eq;
		size_t nlen, vlen;

		if (!nl)
			nl = end;
		eq = memchr(p, '=', (size_t)(nl - p));
		if (!eq)
			goto next;
		nlen = (size_t)(eq - p);
		vlen = (size_t)(nl - eq - 1);
		if (!it->signal && nlen > 6 && memcmp(p, "event.", 6) == 0) {
			if (stats_amount_parse(eq + 1, vlen, &cents) < 0)
				goto next;
			if (nlen == 6 + 13 && memcmp(p + 6, "damage_amount", 13) == 0)
				claimed += cents;
			else if (nlen == 6 + 16 &&
			         memcmp(p + 6, "recovered_amount", 16) == 0)
				recovered += cents;
			goto next;
		}
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			if (map[i].signal != it->signal ||
			    map[i].len != nlen ||
			    memcmp(map[i].name, p, nlen) != 0)
				continue;
			if (seen[i] && !map[i].multi)
				break;
			seen[i] = 1;
			table_count(&tb[map[i].table], eq + 1, vlen, it->prev);
			if (map[i].table == STATS_POLICE &&
			    ((vlen == 7 && memcmp(eq + 1, "melding", 7) == 0) ||
			     (vlen == 8 && memcmp(eq + 1, "aangifte", 8) == 0)))
				table_count(&tb[STATS_INCIDENTS],
				            "police_notified", 15, it->prev);
			if (map[i].table == STATS_IDENTITY && vlen == 5 &&
			    memcmp(eq + 1, "named", 5) == 0) {
				ref->named = 1;
				table_count(&tb[STATS_SIGNALS], "named", 5,
				            it->prev);
			}
			break;
		}
next:
		p = nl + 1;
	}
	/* A question left unanswered counts as "" (shown as unknown). */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].signal == it->signal && !map[i].multi && !seen[i])
			table_count(&tb[map[i].table], "", 0, it->prev);
	c->claimed_cents[it->prev] += claimed;
	c->recovered_cents[it->prev] += recovered;
	if (recovered > 0)
		table_count(&tb[STATS_INCIDENTS], "damages_recovered", 17,
		            it->prev);
}

static struct ref *
add_ref(struct computation *c, const struct item *it)
{
	struct ref *r;

	if (c->nrefs == c->caprefs)
		c->refs = buf_grow_array(c->refs, &c->caprefs,
		                         sizeof(*c->refs), 1024);
	r = &c->refs[c->nrefs++];
	memset(r, 0, sizeof(*r));
	r->id = it->id;
	r->received = it->day * 86400;
	r->prev = (unsigned char)it->prev;
	r->signal = (unsigned char)it->signal;
	r->outcome = "open";
	return r;
}

/*
 * The statistical fields of the item's events as record lines
 * "event.NAME=VALUE\n" after the answers.
 */
static void
encode_events(struct computation *c, const struct item *it, struct buf *rec)
{
	size_t i;

	for (i = 0; i < it->nevents; i++) {
		const struct event_box *e = &it->events[i];
		struct secret *plain = NULL;
		const char *p, *end;

		atomic_fetch_add(&sealed_opens, 1);
		c->out->opened++;
		if (envelope_open(e->env, e->len, (const uint8_t *)e->ad,
		                  e->adlen, c->key->pk, c->key->sk, &plain) < 0) {
			c->unopened++;
			continue;
		}
		p = (const char *)plain->bytes;
		end = p + plain->len;
		while (p < end) {
			const char *name = p, *value, *z;
			size_t vlen, k;

			z = memchr(p, '\0', (size_t)(end - p));
			if (!z || z + 1 >= end)
				break;
			value = z + 1;
			z = memchr(value, '\0', (size_t)(end - value));
			if (!z)
				break;
			vlen = (size_t)(z - value);
			p = z + 1;
			if (vlen > STATS_VALUE_MAX)
				vlen = STATS_VALUE_MAX;
			if (rec->len + strlen(name) + vlen + 8 > STATS_RECORD_MAX)
				break;
			buf_adds(rec, "event.");
			buf_adds(rec, name);
			buf_addch(rec, '=');
			for (k = 0; k < vlen; k++)
				buf_addch(rec, value[k] == '\n' ? ' ' : value[k]);
			buf_addch(rec, '\n');
		}
		secret_free(plain);
	}
}

static int read_sealed(struct computation *c, struct item *it);

static uint64_t
chunk_bit(int64_t id)
{
	return (uint64_t)1 << ((uint64_t)id & (CHUNK_REPORTS - 1));
}

/* Open a chunk's box into chunk_plain (counting thread). */
static void
chunk_open(struct computation *c, struct chunk *ch)
{
	uint8_t ad[8];

	c->chunk_len = 0;
	c->chunk_at = 0;
	crypto_put_le(ad, (uint64_t)ch->no, 8);
	ch->opened = ch->box &&
	             statbox_open(c->cache_key, ch->box, ch->box_len, ad,
	                          sizeof(ad), c->chunk_plain->bytes,
	                          c->chunk_plain->len, &c->chunk_len) == 0;
	if (!ch->opened)
		c->chunk_len = 0;
}

/*
 * The record of report id in the open chunk: records are in id order and
 * so are the items, so the search goes on from where the last one ended.
 * 1 and *rec, *len; 0 when the chunk has none.
 */
static int
chunk_record(struct computation *c, int64_t id, const char **rec,
             size_t *len)
{
	const uint8_t *p = c->chunk_plain->bytes;

	while (c->chunk_at + CHUNK_HEAD <= c->chunk_len) {
		uint64_t rid = crypto_get_le(p + c->chunk_at, 8);
		size_t n = (size_t)crypto_get_le(p + c->chunk_at + 8, 4);
		size_t at = c->chunk_at + CHUNK_HEAD;

		if (n > c->chunk_len - at)
			break;
		if ((int64_t)rid > id)
			return 0;
		c->chunk_at = at + n;
		if ((int64_t)rid == id) {
			*rec = (const char *)p + at;
			*len = n;
			return 1;
		}
	}
	return 0;
}

/* Add one record to a chunk plaintext being written. */
static size_t
chunk_put(uint8_t *out, size_t at, int64_t id, const uint8_t *rec, size_t len)
{
	crypto_put_le(out + at, (uint64_t)id, 8);
	crypto_put_le(out + at + 8, len, 4);
	memcpy(out + at + CHUNK_HEAD, rec, len);
	return at + CHUNK_HEAD + len;
}

/*
 * Leave the open chunk: when reports got records from their envelopes,
 * seal a new box with them and the old box's records still valid (their
 * bit in covered), in id order. Both plaintexts are wiped.
 */
static void
chunk_close(struct computation *c, struct chunk *ch)
{
	const uint8_t *old = c->chunk_plain->bytes;
	const uint8_t *fresh = (const uint8_t *)ch->fresh.data;
	uint8_t *out = c->chunk_new->bytes, ad[8];
	size_t i = 0, j = 0, len = 0;
	uint64_t covered = 0;

	if (!ch->fresh_ids)
		goto out;
	for (;;) {
		int64_t oid = INT64_MAX, fid = INT64_MAX;
		size_t on = 0, fn = 0;

		/* The next old record still valid and not made again now. */
		while (ch->opened && i + CHUNK_HEAD <= c->chunk_len) {
			oid = (int64_t)crypto_get_le(old + i, 8);
			on = (size_t)crypto_get_le(old + i + 8, 4);
			if (on > c->chunk_len - i - CHUNK_HEAD) {
				oid = INT64_MAX;
				i = c->chunk_len;
				break;
			}
			if ((ch->covered & chunk_bit(oid)) &&
			    !(ch->fresh_ids & chunk_bit(oid)) &&
			    (oid >> CHUNK_SHIFT) == ch->no)
				break;
			i += CHUNK_HEAD + on;
			oid = INT64_MAX;
		}
		if (j + CHUNK_HEAD <= ch->fresh.len) {
			fid = (int64_t)crypto_get_le(fresh + j, 8);
			fn = (size_t)crypto_get_le(fresh + j + 8, 4);
		}
		if (oid == INT64_MAX && fid == INT64_MAX)
			break;
		/* One record per id of the chunk: never more than this. */
		if (len + CHUNK_HEAD + (oid < fid ? on : fn) > CHUNK_PLAIN_MAX)
			break;
		if (oid < fid) {
			len = chunk_put(out, len, oid, old + i + CHUNK_HEAD, on);
			covered |= chunk_bit(oid);
			i += CHUNK_HEAD + on;
		} else {
			len = chunk_put(out, len, fid, fresh + j + CHUNK_HEAD, fn);
			covered |= chunk_bit(fid);
			j += CHUNK_HEAD + fn;
		}
	}
	crypto_put_le(ad, (uint64_t)ch->no, 8);
	if (statbox_seal(c->cache_key, out, len, ad, sizeof(ad), &ch->new_box,
	                 &ch->new_box_len) < 0)
		error("could not seal a statistics cache chunk");
	else
		ch->new_covered = covered;
	crypto_wipe(out, len);
out:
	buf_wipe_release(&ch->fresh);
	crypto_wipe(c->chunk_plain->bytes, c->chunk_len);
	c->chunk_len = 0;
}

/* Open (or make) the record of one item and count it. */
static void
process_item(struct computation *c, struct item *it, struct chunk *ch)
{
	struct stats_table *tb = c->out->tables;
	struct ref *ref = add_ref(c, it);
	const char *rec = "";
	size_t len = 0;
	struct buf made = BUF_INIT;

	if (it->signal) {
		table_count(&tb[STATS_SIGNALS], "total", 5, it->prev);
		table_count(&tb[STATS_SOURCE], it->source, strlen(it->source),
		            it->prev);
		count_month(c, &tb[STATS_SIGNAL_MONTH], it->month, it->prev, 1);
		if (it->assigned)
			table_count(&tb[STATS_SIGNALS], "assigned", 8, it->prev);
		if (it->in_meeting)
			table_count(&tb[STATS_SIGNALS], "in_meeting", 10, it->prev);
	} else {
		table_count(&tb[STATS_INCIDENTS], "total", 5, it->prev);
		count_month(c, &tb[STATS_INCIDENT_MONTH], it->month, it->prev, 1);
	}
	if (it->cached && chunk_record(c, it->id, &rec, &len)) {
		count_record(c, it, ref, rec, len);
		return;
	}
	/* A damaged chunk: read_batch fetched neither envelope nor events. */
	if (!it->read && read_sealed(c, it) < 0)
		error("could not read the envelopes of report %lld",
		      (long long)it->id);
	if (it->read) {
		struct secret *plain = NULL;
		int ok = 1;

		/* A report may have no statistical answers: events only. */
		if (it->sealed) {
			atomic_fetch_add(&sealed_opens, 1);
			c->out->opened++;
			ok = envelope_open(it->sealed, it->sealed_len,
			                   it->locator, RECEIPT_LOCATOR_LEN,
			                   c->key->pk, c->key->sk, &plain) == 0;
			if (!ok)
				c->unopened++;
		}
		if (ok) {
			uint8_t head[CHUNK_HEAD];

			if (plain)
				encode_record(plain, &made);
			secret_free(plain);
			encode_events(c, it, &made);
			rec = made.data ? made.data : "";
			len = made.len;
			/* Kept for the chunk, which is rebuilt when left. */
			crypto_put_le(head, (uint64_t)it->id, 8);
			crypto_put_le(head + 8, len, 4);
			buf_add(&ch->fresh, head, sizeof(head));
			buf_add(&ch->fresh, rec, len);
			ch->fresh_ids |= chunk_bit(it->id);
		}
	}
	count_record(c, it, ref, rec, len);
	buf_wipe_release(&made);
}

static void
items_release(struct item *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(v[i].sealed);
		for (j = 0; j < v[i].nevents; j++) {
			free(v[i].events[j].env);
			free(v[i].events[j].ad);
		}
		free(v[i].events);
	}
}

static void
batch_release(struct batch *b)
{
	size_t i;

	items_release(b->v, b->n);
	for (i = 0; i < b->nch; i++) {
		free(b->ch[i].box);
		free(b->ch[i].new_box);
		buf_wipe_release(&b->ch[i].fresh);
	}
	b->n = 0;
	b->nch = 0;
}

static uint8_t *
copy_blob(struct stmt *st, int col, size_t *len)
{
	const void *p;
	uint8_t *copy;

	*len = 0;
	if (stmt_is_null(st, col))
		return NULL;
	p = stmt_blob(st, col, len);
	copy = malloc(*len ? *len : 1);
	if (!copy)
		die("out of memory");
	memcpy(copy, p, *len);
	return copy;
}

/* The sealed statistical fields of an uncached item's events. 0 or -1. */
static int
read_event_boxes(struct computation *c, struct item *it)
{
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc, ret = -1;

	if (db_prepare(c->inst->db, &st, "SELECT at, transition, stats"
	               " FROM report_events WHERE report_id = :id"
	               " AND stats IS NOT NULL ORDER BY id") < 0 ||
	    stmt_bind_int(st, ":id", it->id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct event_box *e;
		struct buf ad = BUF_INIT;

		if (it->nevents == cap)
			it->events = buf_grow_array(it->events, &cap,
			                            sizeof(*it->events), 2);
		e = &it->events[it->nevents++];
		e->env = copy_blob(st, 2, &e->len);
		events_stats_ad(&ad, it->id, stmt_text(st, 0), stmt_text(st, 1));
		e->ad = buf_detach(&ad, &e->adlen);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/*
 * The envelope (and events) of an item, under the lock; it->read says
 * its row was there. 0 or -1.
 */
static int
read_sealed_locked(struct computation *c, struct item *it)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(c->inst->db, &st, "SELECT stats, locator FROM reports"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", it->id) < 0)
		goto out;
	if (stmt_step(st) == DB_ROW) {
		const void *p;
		size_t len;

		p = stmt_blob(st, 1, &len);
		if (p && len == RECEIPT_LOCATOR_LEN) {
			memcpy(it->locator, p, len);
			it->sealed = copy_blob(st, 0, &it->sealed_len);
		}
		it->read = 1;
	}
	/* A report gone meanwhile (purged) has no events left either. */
	if (it->read && !it->signal && read_event_boxes(c, it) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* The envelope (and events) of an item whose box did not open. 0 or -1. */
static int
read_sealed(struct computation *c, struct item *it)
{
	int ret;

	db_lock(c->inst->db);
	ret = read_sealed_locked(c, it);
	db_unlock(c->inst->db);
	return ret;
}

/* The report type to read, or NULL for both. */
static const char *
want_type(const struct computation *c)
{
	if (c->want == STATS_WANT_INCIDENTS)
		return "incident";
	if (c->want == STATS_WANT_SIGNALS)
		return "signal";
	return NULL;
}

static int
compare_id(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/*
 * The signals on the agenda of a meeting held (up to today), sorted, for
 * in_meeting: one query, then a search per signal. 0 or -1.
 */
static int
read_meeting_signals(struct computation *c)
{
	struct stmt *st = NULL;
	char today[STATS_DAY_LEN + 1];
	size_t cap = 0;
	int rc, ret = -1;

	format_day(c->today, today);
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT DISTINCT i.report_id"
	               " FROM meeting_items i JOIN meetings m"
	               " ON m.id = i.meeting_id WHERE m.held_on <= :today"
	               " ORDER BY i.report_id") < 0 ||
	    stmt_bind_text(st, ":today", today) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (c->nmeeting == cap)
			c->meeting = buf_grow_array(c->meeting, &cap,
			                            sizeof(*c->meeting), 64);
		c->meeting[c->nmeeting++] = stmt_int(st, 0);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	return ret;
}

/*
 * The cache chunks of batch b (its items in id order): one range scan of
 * stats_chunks, a chunk entry for every chunk number among the items
 * (with no box when none is stored under the current key), and for each
 * item whether its chunk has a record of it. 0 or -1.
 */
static int
read_chunks(struct computation *c, struct batch *b)
{
	struct stmt *st = NULL;
	size_t i, k = 0;
	int rc, ret = -1;

	for (i = 0; i < b->n; i++) {
		int64_t no = b->v[i].id >> CHUNK_SHIFT;

		if (!b->nch || b->ch[b->nch - 1].no != no) {
			memset(&b->ch[b->nch], 0, sizeof(*b->ch));
			b->ch[b->nch].no = no;
			b->ch[b->nch].fresh = (struct buf)BUF_INIT;
			b->nch++;
		}
		b->v[i].chunk = b->nch - 1;
	}
	if (db_prepare(c->inst->db, &st, "SELECT chunk, key_id, covered, box"
	               " FROM stats_chunks WHERE chunk >= :lo"
	               " AND chunk <= :hi ORDER BY chunk") < 0 ||
	    stmt_bind_int(st, ":lo", b->ch[0].no) < 0 ||
	    stmt_bind_int(st, ":hi", b->ch[b->nch - 1].no) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t no = stmt_int(st, 0);
		struct chunk *ch;
		const void *p;
		size_t len;

		while (k < b->nch && b->ch[k].no < no)
			k++;
		if (k == b->nch)
			break;
		if (b->ch[k].no != no)
			continue;
		ch = &b->ch[k];
		p = stmt_blob(st, 1, &len);
		if (!p || len != STATBOX_KEY_ID_LEN ||
		    memcmp(p, c->key_id, STATBOX_KEY_ID_LEN) != 0)
			continue;
		ch->covered = (uint64_t)stmt_int(st, 2);
		ch->box = copy_blob(st, 3, &ch->box_len);
	}
	if (rc < 0)
		goto out;
	for (i = 0; i < b->n; i++) {
		const struct chunk *ch = &b->ch[b->v[i].chunk];

		b->v[i].cached = ch->box && (ch->covered & chunk_bit(b->v[i].id));
	}
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* The count of statistical changes (migration 0018). 0 or -1. */
static int
read_generation(struct db *db, int64_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "SELECT n FROM stats_generation") == 0 &&
	    stmt_step(st) == DB_ROW) {
		*n = stmt_int(st, 0);
		ret = 0;
	}
	stmt_finalize(st);
	return ret;
}

/* stats_set_read_hook (tests only). */
static void (*read_hook)(void *arg);
static void *read_hook_arg;

void
stats_set_read_hook(void (*fn)(void *arg), void *arg)
{
	read_hook = fn;
	read_hook_arg = arg;
}

/* Reports per batch: STATS_BATCH, smaller only in tests (stats_set_batch). */
static size_t batch_size = STATS_BATCH;

void
stats_set_batch(size_t n)
{
	batch_size = n < 1 ? 1 : n > STATS_BATCH ? STATS_BATCH : n;
}

/*
 * Read the next batch after id *after into b: 0 and b->n (0 at the end),
 * or -1. The reports, their chunks, the envelopes of the reports no chunk
 * covers and the generation all under one lock: one snapshot.
 */
static int
read_batch(struct computation *c, int64_t *after, struct batch *b)
{
	struct stmt *st = NULL;
	struct item *v = b->v;
	size_t i, n = 0;
	int rc, ret = -1;

	b->n = 0;
	b->nch = 0;
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT id, type, received_on,"
	               " source, assignee IS NOT NULL FROM reports"
	               " WHERE id > :after AND received_on >= :from"
	               " AND received_on < :to"
	               " AND (:type IS NULL OR type = :type)"
	               " ORDER BY id LIMIT :n") < 0 ||
	    stmt_bind_int(st, ":after", *after) < 0 ||
	    stmt_bind_text(st, ":from", c->out->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", c->out->period.to) < 0 ||
	    stmt_bind_text(st, ":type", want_type(c)) < 0 ||
	    stmt_bind_int(st, ":n", (int64_t)batch_size) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct item *it = &v[n];
		const char *t = stmt_text(st, 2), *src = stmt_text(st, 3);
		size_t len;

		memset(it, 0, sizeof(*it));
		it->id = stmt_int(st, 0);
		*after = it->id;
		it->signal = strcmp(stmt_text(st, 1), "signal") == 0;
		if (parse_day(t, 1, &it->day) < 0)
			continue;
		/* parse_day checked the digits. */
		it->month = ((t[0] - '0') * 1000 + (t[1] - '0') * 100 +
		             (t[2] - '0') * 10 + (t[3] - '0')) * 12 +
		            (t[5] - '0') * 10 + (t[6] - '0') - 1;
		it->prev = it->day < c->from;
		len = strlen(src);
		if (len >= sizeof(it->source))
			len = sizeof(it->source) - 1;
		memcpy(it->source, src, len);
		it->source[len] = '\0';
		it->assigned = stmt_int(st, 4) != 0;
		it->in_meeting = it->signal && c->nmeeting &&
		                 bsearch(&it->id, c->meeting, c->nmeeting,
		                         sizeof(*c->meeting), compare_id) != NULL;
		n++;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	b->n = n;
	if (read_generation(c->inst->db, &b->generation) < 0 ||
	    (n && read_chunks(c, b) < 0))
		goto out;
	/* The envelopes only when no chunk covers it: usually all are. */
	for (i = 0; i < n; i++)
		if (!v[i].cached && read_sealed_locked(c, &v[i]) < 0)
			goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	return ret;
}

/*
 * Store the chunks a batch rebuilt, in one transaction; a failure costs
 * speed next time, not figures now. Nothing is stored when a statistical
 * event or a deletion came in after the batch was read (its records may
 * be older than that), nor when key is no longer the statistiek
 * keyring's key (rotate.c empties the cache).
 */
static void
store_chunks(struct computation *c, const struct batch *b)
{
	struct stmt *st;
	size_t i, todo = 0;
	int64_t now;

	for (i = 0; i < b->nch; i++)
		todo += b->ch[i].new_box != NULL;
	if (!todo || db_begin(c->inst->db) < 0)
		return;
	if (read_generation(c->inst->db, &now) < 0 || now != b->generation) {
		db_rollback(c->inst->db);
		return;
	}
	for (i = 0; i < b->nch; i++) {
		const struct chunk *ch = &b->ch[i];

		if (!ch->new_box)
			continue;
		st = NULL;
		if (db_prepare(c->inst->db, &st, "INSERT OR REPLACE INTO"
		               " stats_chunks (chunk, key_id, covered, box)"
		               " SELECT :no, :kid, :covered, :box WHERE EXISTS"
		               " (SELECT 1 FROM keyrings WHERE"
		               " name = :ring AND public_key = :pk)") < 0 ||
		    stmt_bind_int(st, ":no", ch->no) < 0 ||
		    stmt_bind_blob(st, ":kid", c->key_id, STATBOX_KEY_ID_LEN) < 0 ||
		    stmt_bind_int(st, ":covered", (int64_t)ch->new_covered) < 0 ||
		    stmt_bind_blob(st, ":box", ch->new_box, ch->new_box_len) < 0 ||
		    stmt_bind_text(st, ":ring", KEYRING_STATISTICS) < 0 ||
		    stmt_bind_blob(st, ":pk", c->key->pk, CRYPTO_PUBLICKEY_LEN) < 0 ||
		    stmt_run(st) < 0) {
			stmt_finalize(st);
			db_rollback(c->inst->db);
			error("could not store the statistics cache");
			return;
		}
		stmt_finalize(st);
	}
	if (db_commit(c->inst->db) < 0)
		error("could not store the statistics cache");
}

static int
compare_ref_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key;
	const struct ref *r = elem;

	return id < r->id ? -1 : id > r->id;
}

static int
compare_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Nearest rank: the smallest value with at least pct percent at or below. */
static void
durations(int64_t *v, size_t n, struct stats_duration *d)
{
	memset(d, 0, sizeof(*d));
	if (!n)
		return;
	qsort(v, n, sizeof(*v), compare_i64);
	d->n = n;
	d->median = v[(n * 50 + 99) / 100 - 1];
	d->p90 = v[(n * 90 + 99) / 100 - 1];
}

/*
 * The decision states of the signal workflow: final states, and states
 * whose every way out leads straight into a final state.
 */
static int
is_decision(const struct workflow *wf, const char *name)
{
	const struct workflow_state *s = workflow_state_find(wf, name);
	size_t i, ways = 0;

	if (!s)
		return 0;
	if (s->final)
		return 1;
	for (i = 0; i < workflow_transition_count(wf); i++) {
		const struct workflow_transition *t = workflow_transition_at(wf, i);
		const struct workflow_state *to;

		if (!t->to || !workflow_transition_from(t, name))
			continue;
		to = workflow_state_find(wf, t->to);
		if (!to || !to->final)
			return 0;
		ways++;
	}
	return ways > 0;
}

/*
 * The handler messages to the reporters of the signals, by report, for
 * the deadlines that a message meets. 0 or -1.
 */
static int
signal_messages(struct computation *c)
{
	struct stats_result *r = c->out;
	struct stmt *st = NULL;
	struct ref *last = NULL;
	int rc, ret = -1;

	db_lock(c->inst->db);
	/*
	 * CROSS JOIN: messages first, each finding its report. The planner
	 * chose every signal first, each looking for messages: 120 ms at a
	 * million reports without a single message (bench/stats).
	 */
	if (db_prepare(c->inst->db, &st, "SELECT m.report_id, m.at"
	               " FROM messages m CROSS JOIN reports r"
	               " ON r.id = m.report_id"
	               " WHERE r.type = 'signal' AND m.author = 'handler'"
	               " AND r.received_on >= :from AND r.received_on < :to"
	               " ORDER BY m.report_id") < 0 ||
	    stmt_bind_text(st, ":from", r->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", r->period.to) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0), at;
		struct ref *ref = last && last->id == id ? last :
		                  bsearch(&id, c->refs, c->nrefs, sizeof(*ref),
		                          compare_ref_id);

		if (!ref || parse_at(stmt_text(st, 1), &at) < 0)
			continue;
		if (ref != last) {
			ref->msg_first = c->nmsgs;
			last = ref;
		}
		if (c->nmsgs == c->capmsgs)
			c->msgs = buf_grow_array(c->msgs, &c->capmsgs,
			                         sizeof(*c->msgs), 256);
		c->msgs[c->nmsgs++] = (time_t)at;
		ref->nmsg++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	return ret;
}

/* A workflow's names as indexes, with what the figures need of each. */
#define NAMES_MAX 64
#define NO_NAME 0xffff
struct names {
	const struct workflow *wf;
	const char *state[NAMES_MAX];
	unsigned char decision[NAMES_MAX], final[NAMES_MAX], riec[NAMES_MAX];
	size_t nstates;
	const char *transition[NAMES_MAX];
	size_t ntransitions;
	/* Incident transitions of the figures (NO_NAME when not defined). */
	unsigned care_talk, aftercare_2, aftercare_6_8, damages;
};

static unsigned
name_index(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (unsigned)i;
	return NO_NAME;
}

static void
names_init(struct names *nm, const struct workflow *wf)
{
	size_t i;

	memset(nm, 0, sizeof(*nm));
	nm->wf = wf;
	for (i = 0; i < workflow_state_count(wf) && i < NAMES_MAX; i++) {
		const struct workflow_state *st = workflow_state_at(wf, i);

		nm->state[i] = st->name;
		nm->final[i] = (unsigned char)(st->final != 0);
		nm->decision[i] = (unsigned char)is_decision(wf, st->name);
		nm->riec[i] = strcmp(st->name, STATS_STATE_RIEC) == 0;
		nm->nstates++;
	}
	for (i = 0; i < workflow_transition_count(wf) && i < NAMES_MAX; i++) {
		nm->transition[i] = workflow_transition_at(wf, i)->name;
		nm->ntransitions++;
	}
	nm->care_talk = name_index(nm->transition, nm->ntransitions,
	                           STATS_T_CARE_TALK);
	nm->aftercare_2 = name_index(nm->transition, nm->ntransitions,
	                             STATS_T_AFTERCARE_2);
	nm->aftercare_6_8 = name_index(nm->transition, nm->ntransitions,
	                               STATS_T_AFTERCARE_6_8);
	nm->damages = name_index(nm->transition, nm->ntransitions,
	                         STATS_T_DAMAGES);
}

/* One stored event, its names as indexes into struct names. */
struct ev {
	uint32_t ref;
	uint16_t transition, from, to;
	int64_t at;
};

/* What the events pass collects beside the refs. */
struct pass {
	struct names nm[2];			/* incident, signal */
	int64_t *first[2], *dec[2];
	size_t nfirst[2], ndec[2];
	struct workflow_step *steps;
	size_t nsteps, capsteps;
	struct workflow_deadline_status *dl;
	size_t maxdl;
	time_t now;
};

/* Everything of one report once its events are all seen. */
static void
finish_ref(struct computation *c, struct pass *ps, struct ref *ref)
{
	struct stats_table *tb = c->out->tables;
	int prev = ref->prev;
	size_t n, i;

	if (!ref->signal) {
		if (ref->care_72h)
			table_count(&tb[STATS_INCIDENTS], "care_72h", 8, prev);
		if (ref->aftercare)
			table_count(&tb[STATS_INCIDENTS], "aftercare", 9, prev);
		if (ref->damages)
			table_count(&tb[STATS_INCIDENTS], "damages_claimed", 15,
			            prev);
		return;
	}
	table_count(&tb[STATS_OUTCOME], ref->outcome, strlen(ref->outcome),
	            prev);
	if (ref->riec)
		table_count(&tb[STATS_SIGNALS], "riec", 4, prev);
	n = workflow_deadlines(ps->nm[1].wf, (time_t)ref->received, ps->steps,
	                       ps->nsteps, c->msgs + ref->msg_first, ref->nmsg,
	                       ps->now, ps->dl, ps->maxdl);
	if (n > ps->maxdl)
		n = ps->maxdl;
	for (i = 0; i < n; i++) {
		const struct workflow_deadline_status *d = &ps->dl[i];
		int met = d->state == WORKFLOW_DEADLINE_MET && !d->late;

		if (d->state == WORKFLOW_DEADLINE_PENDING)
			continue;
		table_count(&tb[STATS_SIGNALS], "deadlines_total", 15, prev);
		if (met)
			table_count(&tb[STATS_SIGNALS], "deadlines_met", 13, prev);
		if (met && ref->named &&
		    strcmp(d->deadline->name, STATS_DEADLINE_ACK) == 0)
			table_count(&tb[STATS_SIGNALS], "ack_7d", 6, prev);
		if (met && ref->named && ref->final &&
		    strcmp(d->deadline->name, STATS_DEADLINE_FEEDBACK) == 0)
			table_count(&tb[STATS_SIGNALS], "feedback", 8, prev);
	}
	if (ref->named && ref->final)
		table_count(&tb[STATS_SIGNALS], "closed_named", 12, prev);
}

/* One event of ref (in order). */
static void
take_event(struct pass *ps, struct ref *ref, const struct ev *e)
{
	const struct names *nm = &ps->nm[ref->signal];
	struct workflow_step *step;
	int64_t since = e->at - ref->received;

	if (!ref->signal) {
		if (e->transition == nm->care_talk && since <= 72 * 3600)
			ref->care_72h = 1;
		else if (e->transition == nm->aftercare_2 ||
		         e->transition == nm->aftercare_6_8)
			ref->aftercare = 1;
		else if (e->transition == nm->damages)
			ref->damages = 1;
		return;
	}
	if (!ref->done_first) {
		ref->done_first = 1;
		ps->first[ref->prev][ps->nfirst[ref->prev]++] = since;
	}
	if (e->to != NO_NAME && nm->riec[e->to])
		ref->riec = 1;
	if (!ref->done_decision && e->to != NO_NAME && nm->decision[e->to]) {
		ref->done_decision = 1;
		ps->dec[ref->prev][ps->ndec[ref->prev]++] = since;
		ref->outcome = nm->state[e->to];
	}
	ref->final = e->to != NO_NAME && nm->final[e->to];
	/* The deadlines compare names: point into the workflow, which stays. */
	if (ps->nsteps == ps->capsteps)
		ps->steps = buf_grow_array(ps->steps, &ps->capsteps,
		                           sizeof(*ps->steps), 16);
	step = &ps->steps[ps->nsteps++];
	step->at = (time_t)e->at;
	step->transition = e->transition != NO_NAME ?
	                   nm->transition[e->transition] : "";
	step->from = e->from != NO_NAME ? nm->state[e->from] : "";
	step->to = e->to != NO_NAME ? nm->state[e->to] : "";
}

/*
 * The report of an event, or NULL. Events come mostly in the order of
 * their reports (both grow with time), so the search first looks at the
 * report of the event before and the next few after it, then halves:
 * at a million reports a binary search per event took a tenth of the
 * computation (bench/stats). *hint is where the last one was found.
 */
static const struct ref *
find_ref(const struct computation *c, int64_t id, size_t *hint)
{
	size_t i = *hint, end = i + 8 < c->nrefs ? i + 8 : c->nrefs;
	const struct ref *ref;

	for (; i < end && c->refs[i].id <= id; i++)
		if (c->refs[i].id == id) {
			*hint = i;
			return &c->refs[i];
		}
	ref = bsearch(&id, c->refs, c->nrefs, sizeof(*c->refs),
	              compare_ref_id);
	if (ref)
		*hint = (size_t)(ref - c->refs);
	return ref;
}

/*
 * The stored events of the refs, read in one scan of report_events in
 * its own order (no lookup of the report per event: the refs, sorted by
 * id, say whose they are), then put in report order by a counting sort
 * that keeps each report's events in the order they happened. 0 and
 * *out (*n), or -1.
 */
static int
read_events(struct computation *c, struct pass *ps, struct ev **out,
            size_t *n)
{
	struct stmt *st = NULL;
	struct ev *v = NULL, *sorted = NULL;
	uint32_t *start = NULL;
	size_t cap = 0, i, hint = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	if (!c->nrefs)
		return 0;
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT report_id, at, transition,"
	               " from_state, to_state FROM report_events"
	               /* "+": a scan by rowid, not a table lookup per index row. */
	               " WHERE +report_id >= :lo AND +report_id <= :hi") < 0 ||
	    stmt_bind_int(st, ":lo", c->refs[0].id) < 0 ||
	    stmt_bind_int(st, ":hi", c->refs[c->nrefs - 1].id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0), at;
		const struct ref *ref = find_ref(c, id, &hint);
		const struct names *nm;
		struct ev *e;

		if (!ref || parse_at(stmt_text(st, 1), &at) < 0)
			continue;
		nm = &ps->nm[ref->signal];
		if (*n == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 1024);
		e = &v[(*n)++];
		e->ref = (uint32_t)(ref - c->refs);
		e->at = at;
		e->transition = (uint16_t)name_index(nm->transition,
		                                     nm->ntransitions,
		                                     stmt_text(st, 2));
		e->from = (uint16_t)name_index(nm->state, nm->nstates,
		                               stmt_text(st, 3));
		e->to = (uint16_t)name_index(nm->state, nm->nstates,
		                             stmt_text(st, 4));
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	if (ret < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	/*
	 * Counting sort by report: stable, so each report's events stay in
	 * the order of their ids, the order they happened in.
	 */
	start = calloc(c->nrefs + 1, sizeof(*start));
	sorted = malloc((*n ? *n : 1) * sizeof(*sorted));
	if (!start || !sorted)
		die("out of memory");
	for (i = 0; i < *n; i++)
		start[v[i].ref + 1]++;
	for (i = 0; i < c->nrefs; i++)
		start[i + 1] += start[i];
	for (i = 0; i < *n; i++)
		sorted[start[v[i].ref]++] = v[i];
	free(start);
	free(v);
	*out = sorted;
	return 0;
}

/*
 * The events of every report counted, with the refs (in id order):
 * outcomes, durations, deadlines, and the care, aftercare and damages of
 * incidents.
 */
static int
report_events(struct computation *c, const struct workflows *wfs)
{
	struct stats_result *r = c->out;
	struct pass ps;
	struct ev *evs = NULL;
	size_t nev = 0, i, e = 0;
	int ret = -1;

	memset(&ps, 0, sizeof(ps));
	names_init(&ps.nm[0], workflows_get(wfs, REPORT_INCIDENT));
	names_init(&ps.nm[1], workflows_get(wfs, REPORT_SIGNAL));
	ps.now = (time_t)c->now;
	ps.maxdl = workflow_deadline_count(ps.nm[1].wf);
	ps.dl = calloc(ps.maxdl + 1, sizeof(*ps.dl));
	for (i = 0; i < 2; i++) {
		ps.first[i] = calloc(c->nrefs + 1, sizeof(int64_t));
		ps.dec[i] = calloc(c->nrefs + 1, sizeof(int64_t));
		if (!ps.first[i] || !ps.dec[i])
			die("out of memory");
	}
	if (!ps.dl)
		die("out of memory");
	if (read_events(c, &ps, &evs, &nev) < 0)
		goto out;
	for (i = 0; i < c->nrefs; i++) {
		struct ref *ref = &c->refs[i];

		ps.nsteps = 0;
		for (; e < nev && evs[e].ref == i; e++)
			take_event(&ps, ref, &evs[e]);
		finish_ref(c, &ps, ref);
	}
	for (i = 0; i < 2; i++) {
		durations(ps.first[i], ps.nfirst[i], &r->first_assessment[i]);
		durations(ps.dec[i], ps.ndec[i], &r->decision[i]);
	}
	ret = 0;
out:
	for (i = 0; i < 2; i++) {
		free(ps.first[i]);
		free(ps.dec[i]);
	}
	free(evs);
	free(ps.steps);
	free(ps.dl);
	return ret;
}

/* Add n to the row of key (now or prev). */
static void
add_n(struct stats_table *t, const char *key, int prev, uint64_t n)
{
	struct stats_row *row = table_row(t, key, strlen(key));

	if (prev)
		row->prev += n;
	else
		row->now += n;
}

/* A count row set to n (now or prev). */
static void
table_set(struct stats_table *t, const char *key, int prev, uint64_t n)
{
	struct stats_row *row = table_row(t, key, strlen(key));

	if (prev)
		row->prev = n;
	else
		row->now = n;
}

/* Meetings held in the period and the one before (up to today). */
static int
meetings_held(struct computation *c)
{
	struct stats_result *r = c->out;
	struct stmt *st = NULL;
	char today[STATS_DAY_LEN + 1];
	int rc, ret = -1;

	format_day(c->today, today);
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT count(*) FILTER (WHERE"
	               " held_on >= :from), count(*) FILTER (WHERE"
	               " held_on < :from) FROM meetings WHERE held_on >= :prev"
	               " AND held_on < :to AND held_on <= :today") < 0 ||
	    stmt_bind_text(st, ":from", r->period.from) < 0 ||
	    stmt_bind_text(st, ":prev", r->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", r->period.to) < 0 ||
	    stmt_bind_text(st, ":today", today) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc != DB_ROW)
		goto out;
	table_set(&r->tables[STATS_SIGNALS], "meetings", 0,
	          (uint64_t)stmt_int(st, 0));
	table_set(&r->tables[STATS_SIGNALS], "meetings", 1,
	          (uint64_t)stmt_int(st, 1));
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	return ret;
}

/*
 * The counts retention.c kept of purged reports: a month counts when it
 * lies wholly inside the period (or the one before).
 */
static int
purged(struct computation *c)
{
	struct stats_result *r = c->out;
	struct stats_table *tb = r->tables;
	struct stmt *st = NULL;
	const char *type = NULL;
	int rc, ret = -1;

	type = want_type(c);
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT type, received_month,"
	               " final_state, source, reports FROM purged_counts"
	               " WHERE (:type IS NULL OR type = :type)") < 0 ||
	    stmt_bind_text(st, ":type", type) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		const char *month = stmt_text(st, 1);
		const char *state = stmt_text(st, 2), *source = stmt_text(st, 3);
		uint64_t n = (uint64_t)stmt_int(st, 4);
		int signal = strcmp(stmt_text(st, 0), "signal") == 0;
		unsigned y, m;
		int64_t first, after;
		int prev;

		if (digits(month, 4, &y) < 0 || month[4] != '-' ||
		    digits(month + 5, 2, &m) < 0 || m < 1 || m > 12)
			continue;
		first = month_start((int)y, m, 0);
		after = month_start((int)y, m, 1);
		if (first >= c->from && after <= c->to)
			prev = 0;
		else if (first >= c->prev_from && after <= c->from)
			prev = 1;
		else
			continue;
		add_n(&tb[signal ? STATS_SIGNALS : STATS_INCIDENTS], "purged",
		      prev, n);
		add_n(&tb[signal ? STATS_SIGNALS : STATS_INCIDENTS], "total",
		      prev, n);
		if (signal) {
			add_n(&tb[STATS_SOURCE], source, prev, n);
			add_n(&tb[STATS_OUTCOME], state, prev, n);
		}
		count_month(c, &tb[signal ? STATS_SIGNAL_MONTH :
		                   STATS_INCIDENT_MONTH], month_index(first), prev,
		            n);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	return ret;
}

static int
compare_rows(const void *pa, const void *pb)
{
	const struct stats_row *a = pa, *b = pb;

	return strcmp(a->key, b->key);
}

/* Every month of the period, also those without reports. */
static void
months(struct computation *c, struct stats_table *t)
{
	char key[16];
	unsigned m0, d0, m, d;
	int y0, y, i;
	int64_t day;

	civil_from_days(c->from, &y0, &m0, &d0);
	for (i = 0;; i++) {
		day = month_start(y0, m0, i);
		if (day >= c->to)
			break;
		civil_from_days(day, &y, &m, &d);
		snprintf(key, sizeof(key), "%04d-%02u", y, m);
		table_row(t, key, strlen(key));
	}
}

/* The rows of the totals tables, in this order, present even at 0. */
static const char *const incident_rows[] = {
	"total", "police_notified", "care_72h", "aftercare", "damages_claimed",
	"damages_recovered", "damage_claimed_cents", "damage_recovered_cents",
	"purged", NULL,
};
static const char *const signal_rows[] = {
	"total", "riec", "named", "ack_7d", "closed_named", "feedback",
	"in_meeting", "meetings", "assigned", "deadlines_total",
	"deadlines_met", "purged", NULL,
};

const char *
stats_share_of(enum stats_table_id t, const char *key)
{
	static const char *const shares[][3] = {
		{ "i", "police_notified", "total" },
		{ "i", "care_72h", "total" },
		{ "i", "aftercare", "total" },
		{ "i", "damages_claimed", "total" },
		{ "i", "damages_recovered", "damages_claimed" },
		{ "i", "purged", "total" },
		{ "s", "riec", "total" },
		{ "s", "named", "total" },
		{ "s", "ack_7d", "named" },
		{ "s", "closed_named", "named" },
		{ "s", "feedback", "closed_named" },
		{ "s", "in_meeting", "total" },
		{ "s", "assigned", "total" },
		{ "s", "deadlines_met", "deadlines_total" },
		{ "s", "purged", "total" },
	};
	size_t i;

	if (t != STATS_INCIDENTS && t != STATS_SIGNALS)
		return NULL;
	for (i = 0; i < sizeof(shares) / sizeof(shares[0]); i++)
		if (shares[i][0][0] == (t == STATS_INCIDENTS ? 'i' : 's') &&
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

/* The batch a counting thread opens and counts. */
struct job {
	struct computation *c;
	struct batch *b;
};

static void *
count_job(void *arg)
{
	struct job *j = arg;
	struct chunk *open = NULL;
	size_t i;

	for (i = 0; i < j->b->n; i++) {
		struct item *it = &j->b->v[i];
		struct chunk *ch = &j->b->ch[it->chunk];

		if (ch != open) {
			if (open)
				chunk_close(j->c, open);
			chunk_open(j->c, ch);
			open = ch;
		}
		process_item(j->c, it, ch);
	}
	if (open)
		chunk_close(j->c, open);
	return NULL;
}

/*
 * The next batch was read before this one's rebuilt chunks were stored:
 * when both share a chunk (a batch ends within a chunk), the next one
 * goes on from the rebuilt box, or its own rebuild would drop this one's
 * new records. Only between batches of one generation: a rebuilt box of
 * an older one is not stored, and must not live on in the next.
 */
static void
hand_over(struct batch *done, struct batch *next)
{
	struct chunk *last, *first;

	if (!done->nch || !next->nch || done->generation != next->generation)
		return;
	last = &done->ch[done->nch - 1];
	first = &next->ch[0];
	if (!last->new_box || last->no != first->no)
		return;
	free(first->box);
	first->box = last->new_box;
	first->box_len = last->new_box_len;
	first->covered = last->new_covered;
	last->new_box = NULL;
}

/*
 * Read every batch of the period into the two batches b[0] and b[1] in
 * turn, and count each on a thread of its own while the next one is
 * read. Only the counting thread touches the figures and the plaintexts;
 * only this one reads batches. A batch's chunks are stored after it is
 * counted, by this thread (one writer of the cache), and a batch is
 * started only when the one before it is done, so the references are
 * added in id order. Without a thread (none could be made) a batch is
 * counted here. 0 or -1; every batch is released either way.
 */
static int
count_batches(struct computation *c, struct batch *b, int64_t *after)
{
	struct job job = { c, NULL };
	pthread_t th;
	int running = 0, cur = 0, ret = -1;

	for (;;) {
		struct batch *next = &b[cur];

		if (read_batch(c, after, next) < 0) {
			batch_release(next);
			break;
		}
		if (read_hook)
			read_hook(read_hook_arg);
		if (running) {
			pthread_join(th, NULL);
			running = 0;
			store_chunks(c, job.b);
			hand_over(job.b, next);
			batch_release(job.b);
		}
		if (!next->n) {
			ret = 0;
			break;
		}
		job.b = next;
		if (pthread_create(&th, NULL, count_job, &job) == 0) {
			running = 1;
		} else {
			count_job(&job);
			store_chunks(c, job.b);
			batch_release(job.b);
			/* The next batch reads what this one stored. */
		}
		cur ^= 1;
	}
	if (running) {
		pthread_join(th, NULL);
		batch_release(job.b);
	}
	return ret;
}

int
stats_compute_at(struct installation *inst, const struct workflows *wfs,
                 const struct ring_key *key, const struct stats_period *period,
                 unsigned want, int64_t now, struct stats_result *out)
{
	struct computation c;
	struct batch batch[2];
	int64_t after = 0;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	out->period = *period;
	c.inst = inst;
	c.key = key;
	c.out = out;
	c.want = want;
	c.now = now;
	c.today = now / 86400;
	if (parse_day(period->from, 1, &c.from) < 0 ||
	    parse_day(period->to, 1, &c.to) < 0 ||
	    parse_day(period->prev_from, 1, &c.prev_from) < 0 || !want)
		return error("a statistics period is malformed");
	c.month0 = month_index(c.from);
	c.prev_month0 = month_index(c.prev_from);
	if (statbox_key(key->sk, &c.cache_key, c.key_id) < 0)
		return error("could not derive the statistics cache key");
	c.chunk_plain = secret_new(CHUNK_PLAIN_MAX);
	c.chunk_new = secret_new(CHUNK_PLAIN_MAX);
	/* Two batches: one read while the other is opened and counted. */
	memset(batch, 0, sizeof(batch));
	for (i = 0; i < 2; i++) {
		batch[i].v = calloc(STATS_BATCH, sizeof(*batch[i].v));
		batch[i].ch = calloc(STATS_BATCH, sizeof(*batch[i].ch));
		if (!batch[i].v || !batch[i].ch)
			die("out of memory");
	}
	if (!c.chunk_plain || !c.chunk_new)
		die("out of memory");
	/* A large cache and the file mapped, for this scan only (db.h). */
	db_bulk_read(inst->db, 1);
	if (want & STATS_WANT_INCIDENTS) {
		months(&c, &out->tables[STATS_INCIDENT_MONTH]);
		for (i = 0; incident_rows[i]; i++)
			table_row(&out->tables[STATS_INCIDENTS], incident_rows[i],
			          strlen(incident_rows[i]));
	}
	if (want & STATS_WANT_SIGNALS) {
		months(&c, &out->tables[STATS_SIGNAL_MONTH]);
		for (i = 0; signal_rows[i]; i++)
			table_row(&out->tables[STATS_SIGNALS], signal_rows[i],
			          strlen(signal_rows[i]));
	}
	if ((want & STATS_WANT_SIGNALS) && read_meeting_signals(&c) < 0)
		goto out;
	if (count_batches(&c, batch, &after) < 0)
		goto out;
	if ((want & STATS_WANT_SIGNALS) &&
	    (signal_messages(&c) < 0 || meetings_held(&c) < 0))
		goto out;
	if (report_events(&c, wfs) < 0 || purged(&c) < 0)
		goto out;
	if (want & STATS_WANT_INCIDENTS) {
		for (i = 0; i < 2; i++) {
			table_set(&out->tables[STATS_INCIDENTS],
			          "damage_claimed_cents", (int)i,
			          (uint64_t)c.claimed_cents[i]);
			table_set(&out->tables[STATS_INCIDENTS],
			          "damage_recovered_cents", (int)i,
			          (uint64_t)c.recovered_cents[i]);
		}
	}
	for (i = 0; i < STATS_TABLES; i++) {
		struct stats_table *t = &out->tables[i];

		/* Totals first as made; the others by key (months in order). */
		if (i != STATS_INCIDENTS && i != STATS_SIGNALS && t->n)
			qsort(t->rows, t->n, sizeof(*t->rows), compare_rows);
	}
	ret = 0;
out:
	/* One line, not one per report: a stale key would flood the log. */
	out->unopened = c.unopened;
	if (c.unopened)
		error("%zu statistical envelopes did not open with this key (a "
		      "key rotated meanwhile, or damage); their answers are "
		      "left out", c.unopened);
	db_bulk_read(inst->db, 0);
	for (i = 0; i < 2; i++) {
		free(batch[i].v);
		free(batch[i].ch);
	}
	secret_free(c.chunk_plain);
	secret_free(c.chunk_new);
	free(c.refs);
	free(c.msgs);
	free(c.meeting);
	secret_free(c.cache_key);
	if (ret < 0)
		stats_result_release(out);
	return ret;
}

int
stats_compute(struct installation *inst, const struct workflows *wfs,
              const struct ring_key *key, const struct stats_period *period,
              unsigned want, struct stats_result *out)
{
	return stats_compute_at(inst, wfs, key, period, want,
	                        (int64_t)clock_now(), out);
}
