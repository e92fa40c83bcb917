/*
 * stats.c - the statistics and their cache (see stats.h).
 *
 * One pass reads the reports of the period and the one before it in
 * batches of STATS_BATCH by id: under the database lock it copies a
 * batch's plaintext columns with either its cached box or its sealed
 * envelope, then without the lock opens them (a sealed envelope only when
 * the cache has no box under the current key), counts, and writes the
 * new boxes in one transaction. A second pass reads the workflow events of
 * the signals for outcomes and durations. Nothing holds the lock while a
 * sealed box is opened, so submissions are not held up by a first run.
 *
 * The cached form of the answers is not the JSON of the envelope but
 * lines "name=value\n" (a multi answer is one line per value): parsing it
 * costs next to nothing next to the decryption.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "log.h"
#include "statbox.h"
#include "stats.h"
#include "workflow.h"

/* The longest cached record of answers; longer ones are cut short. */
#define STATS_RECORD_MAX 4096

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
	for (i = 0; i < t->n; i++)
		if (strncmp(t->rows[i].key, key, keylen) == 0 &&
		    t->rows[i].key[keylen] == '\0')
			return &t->rows[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = realloc(t->rows, t->cap * sizeof(*t->rows));
		if (!t->rows)
			die("out of memory");
	}
	memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
	memcpy(t->rows[t->n].key, key, keylen);
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

/* What a report of the batch carries out of the locked read. */
struct item {
	int64_t id;
	int signal;
	int prev;		/* in the previous period */
	int64_t day;		/* of receipt, days since the epoch */
	char source[17];
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	uint8_t *sealed;	/* the envelope, when not cached */
	size_t sealed_len;
	uint8_t *box;		/* the cached box under the current key */
	size_t box_len;
	uint8_t *new_box;	/* made now, to be stored */
	size_t new_box_len;
};

/* A signal for the events pass. */
struct signal_ref {
	int64_t id;
	int64_t received;	/* seconds: 00:00 UTC of the day of receipt */
	int prev;
	int done_first, done_decision;
	const char *outcome;	/* points into the workflow, or "open" */
	int riec;
};

struct computation {
	struct installation *inst;
	const struct ring_key *key;
	struct stats_result *out;
	struct secret *cache_key;
	uint8_t key_id[STATBOX_KEY_ID_LEN];
	struct secret *scratch;		/* decrypted records, wiped at the end */
	int64_t from, to, prev_from;	/* days */
	unsigned want;
	struct signal_ref *signals;
	size_t nsignals, capsignals;
};

static void
ad_of(int64_t id, uint8_t ad[8])
{
	int i;

	for (i = 0; i < 8; i++)
		ad[i] = (uint8_t)((uint64_t)id >> (8 * i));
}

/*
 * The month row of a report: "YYYY-MM" of its month in the period; a
 * report of the previous period counts beside the month as far in.
 */
static void
count_month(struct computation *c, struct stats_table *t, const struct item *it)
{
	char key[16];
	int64_t start = it->prev ? c->prev_from : c->from;
	unsigned m0, d0, m, d;
	int y0, y, offset;
	struct stats_row *r;

	civil_from_days(start, &y0, &m0, &d0);
	civil_from_days(it->day, &y, &m, &d);
	offset = (y * 12 + (int)m) - (y0 * 12 + (int)m0);
	civil_from_days(c->from, &y0, &m0, &d0);
	civil_from_days(month_start(y0, m0, offset), &y, &m, &d);
	snprintf(key, sizeof(key), "%04d-%02u", y, m);
	if (!it->prev) {
		table_count(t, key, strlen(key), 0);
		return;
	}
	/* Only months of the period have rows (custom ranges may differ). */
	for (r = t->rows; r < t->rows + t->n; r++)
		if (strcmp(r->key, key) == 0) {
			r->prev++;
			return;
		}
}

/* Count one report's record of answers. */
static void
count_record(struct computation *c, const struct item *it, const char *rec,
             size_t len)
{
	struct stats_table *tb = c->out->tables;
	static const struct {
		const char *name;
		enum stats_table_id table;
		int signal;
		int multi;
	} map[] = {
		{ "kind", STATS_KIND, 0, 1 },
		{ "victim_role", STATS_VICTIM_ROLE, 0, 0 },
		{ "place", STATS_PLACE, 0, 0 },
		{ "department", STATS_DEPARTMENT, 0, 0 },
		{ "police", STATS_POLICE, 0, 0 },
		{ "phenomenon", STATS_PHENOMENON, 1, 0 },
		{ "identity", STATS_IDENTITY, 1, 0 },
	};
	int seen[sizeof(map) / sizeof(map[0])] = { 0 };
	const char *p = rec, *end = rec + len;
	size_t i;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eq;

		if (!nl)
			nl = end;
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
				if (map[i].signal != it->signal ||
				    strlen(map[i].name) != (size_t)(eq - p) ||
				    memcmp(map[i].name, p, (size_t)(eq - p)) != 0)
					continue;
				if (seen[i] && !map[i].multi)
					break;
				seen[i] = 1;
				table_count(&tb[map[i].table], eq + 1,
				            (size_t)(nl - eq - 1), it->prev);
				if (map[i].table == STATS_POLICE &&
				    (((size_t)(nl - eq - 1) == 7 &&
				      memcmp(eq + 1, "melding", 7) == 0) ||
				     ((size_t)(nl - eq - 1) == 8 &&
				      memcmp(eq + 1, "aangifte", 8) == 0)))
					table_count(&tb[STATS_INCIDENTS],
					            "police_notified", 15, it->prev);
				break;
			}
		}
		p = nl + 1;
	}
	/* A question left unanswered counts as "" (shown as unknown). */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].signal == it->signal && !map[i].multi && !seen[i])
			table_count(&tb[map[i].table], "", 0, it->prev);
}

static void
add_signal(struct computation *c, const struct item *it)
{
	struct signal_ref *s;

	if (c->nsignals == c->capsignals) {
		c->capsignals = c->capsignals ? c->capsignals * 2 : 256;
		c->signals = realloc(c->signals,
		                     c->capsignals * sizeof(*c->signals));
		if (!c->signals)
			die("out of memory");
	}
	s = &c->signals[c->nsignals++];
	memset(s, 0, sizeof(*s));
	s->id = it->id;
	s->received = it->day * 86400;
	s->prev = it->prev;
	s->outcome = "open";
}

/* Open (or make) the record of one item and count it. */
static void
process_item(struct computation *c, struct item *it)
{
	struct stats_table *tb = c->out->tables;
	uint8_t ad[8];
	size_t len = 0;
	int have = 0;

	if (it->signal) {
		table_count(&tb[STATS_SIGNALS], "total", 5, it->prev);
		table_count(&tb[STATS_SOURCE], it->source, strlen(it->source),
		            it->prev);
		count_month(c, &tb[STATS_SIGNAL_MONTH], it);
		add_signal(c, it);
	} else {
		table_count(&tb[STATS_INCIDENTS], "total", 5, it->prev);
		count_month(c, &tb[STATS_INCIDENT_MONTH], it);
	}
	ad_of(it->id, ad);
	if (it->box &&
	    statbox_open(c->cache_key, it->box, it->box_len, ad, sizeof(ad),
	                 c->scratch->bytes, c->scratch->len, &len) == 0)
		have = 1;
	if (!have && it->sealed) {
		struct secret *plain = NULL;
		struct buf rec = BUF_INIT;

		atomic_fetch_add(&sealed_opens, 1);
		c->out->opened++;
		if (envelope_open(it->sealed, it->sealed_len, it->locator,
		                  RECEIPT_LOCATOR_LEN, c->key->pk, c->key->sk,
		                  &plain) < 0) {
			error("the statistical answers of report %lld do not open",
			      (long long)it->id);
		} else {
			encode_record(plain, &rec);
			secret_free(plain);
			if (rec.len <= c->scratch->len) {
				memcpy(c->scratch->bytes, rec.data, rec.len);
				len = rec.len;
				have = 1;
				if (statbox_seal(c->cache_key, rec.data, rec.len, ad,
				                 sizeof(ad), &it->new_box,
				                 &it->new_box_len) < 0)
					error("could not seal a statistics record");
			}
		}
		buf_wipe_release(&rec);
	}
	count_record(c, it, have ? (const char *)c->scratch->bytes : "", len);
	crypto_wipe(c->scratch->bytes, len);
}

static void
items_release(struct item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].sealed);
		free(v[i].box);
		free(v[i].new_box);
	}
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

/* Read the next batch after id *after. 0 and *n (0 at the end), or -1. */
static int
read_batch(struct computation *c, int64_t *after, struct item *v, size_t *n)
{
	struct stmt *st = NULL;
	const char *type = NULL;
	int rc, ret = -1;

	*n = 0;
	if (c->want == STATS_WANT_INCIDENTS)
		type = "incident";
	else if (c->want == STATS_WANT_SIGNALS)
		type = "signal";
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT r.id, r.type, r.received_on,"
	               " r.source, r.locator, c.key_id, c.box, r.stats"
	               " FROM reports r LEFT JOIN stats_cache c"
	               " ON c.report_id = r.id"
	               " WHERE r.id > :after AND r.received_on >= :from"
	               " AND r.received_on < :to"
	               " AND (:type IS NULL OR r.type = :type)"
	               " ORDER BY r.id LIMIT :n") < 0 ||
	    stmt_bind_int(st, ":after", *after) < 0 ||
	    stmt_bind_text(st, ":from", c->out->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", c->out->period.to) < 0 ||
	    stmt_bind_text(st, ":type", type) < 0 ||
	    stmt_bind_int(st, ":n", STATS_BATCH) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct item *it = &v[*n];
		const void *p;
		size_t len;

		memset(it, 0, sizeof(*it));
		it->id = stmt_int(st, 0);
		*after = it->id;
		it->signal = strcmp(stmt_text(st, 1), "signal") == 0;
		if (parse_day(stmt_text(st, 2), 1, &it->day) < 0)
			continue;
		it->prev = it->day < c->from;
		snprintf(it->source, sizeof(it->source), "%s", stmt_text(st, 3));
		p = stmt_blob(st, 4, &len);
		if (len != RECEIPT_LOCATOR_LEN)
			continue;
		memcpy(it->locator, p, len);
		p = stmt_is_null(st, 5) ? NULL : stmt_blob(st, 5, &len);
		if (p && len == STATBOX_KEY_ID_LEN &&
		    memcmp(p, c->key_id, STATBOX_KEY_ID_LEN) == 0)
			it->box = copy_blob(st, 6, &it->box_len);
		/* The envelope too: a damaged box falls back to it. */
		it->sealed = copy_blob(st, 7, &it->sealed_len);
		(*n)++;
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
 * Store the boxes made for a batch in one transaction; a failure costs
 * speed next time, not figures now.
 */
static void
store_boxes(struct computation *c, const struct item *v, size_t n)
{
	struct stmt *st;
	size_t i, todo = 0;

	for (i = 0; i < n; i++)
		todo += v[i].new_box != NULL;
	if (!todo || db_begin(c->inst->db) < 0)
		return;
	for (i = 0; i < n; i++) {
		if (!v[i].new_box)
			continue;
		/* A report purged meanwhile gets no row (and no error). */
		st = NULL;
		if (db_prepare(c->inst->db, &st, "INSERT OR REPLACE INTO"
		               " stats_cache (report_id, key_id, box)"
		               " SELECT :id, :kid, :box WHERE EXISTS"
		               " (SELECT 1 FROM reports WHERE id = :id)") < 0 ||
		    stmt_bind_int(st, ":id", v[i].id) < 0 ||
		    stmt_bind_blob(st, ":kid", c->key_id, STATBOX_KEY_ID_LEN) < 0 ||
		    stmt_bind_blob(st, ":box", v[i].new_box, v[i].new_box_len) < 0 ||
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
compare_signal_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key;
	const struct signal_ref *s = elem;

	return id < s->id ? -1 : id > s->id;
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

static int
signal_events(struct computation *c, const struct workflow *wf)
{
	struct stats_result *r = c->out;
	int64_t *first[2] = { NULL, NULL }, *dec[2] = { NULL, NULL };
	size_t nfirst[2] = { 0, 0 }, ndec[2] = { 0, 0 }, i;
	struct stmt *st = NULL;
	int rc, ret = -1;

	for (i = 0; i < 2; i++) {
		first[i] = calloc(c->nsignals + 1, sizeof(int64_t));
		dec[i] = calloc(c->nsignals + 1, sizeof(int64_t));
		if (!first[i] || !dec[i])
			die("out of memory");
	}
	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT e.report_id, e.at, e.to_state"
	               " FROM report_events e JOIN reports r"
	               " ON r.id = e.report_id WHERE r.type = 'signal'"
	               " AND r.received_on >= :from AND r.received_on < :to"
	               " ORDER BY e.report_id, e.id") < 0 ||
	    stmt_bind_text(st, ":from", r->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", r->period.to) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0), at;
		const char *to = stmt_text(st, 2);
		struct signal_ref *s;
		const struct workflow_state *ws;

		s = bsearch(&id, c->signals, c->nsignals, sizeof(*s),
		            compare_signal_id);
		if (!s || parse_at(stmt_text(st, 1), &at) < 0)
			continue;
		if (!s->done_first) {
			s->done_first = 1;
			first[s->prev][nfirst[s->prev]++] = at - s->received;
		}
		if (strcmp(to, "riec") == 0)
			s->riec = 1;
		if (!s->done_decision && is_decision(wf, to)) {
			s->done_decision = 1;
			dec[s->prev][ndec[s->prev]++] = at - s->received;
			ws = workflow_state_find(wf, to);
			s->outcome = ws->name;
		}
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(c->inst->db);
	if (ret == 0) {
		for (i = 0; i < c->nsignals; i++) {
			const struct signal_ref *s = &c->signals[i];

			table_count(&r->tables[STATS_OUTCOME], s->outcome,
			            strlen(s->outcome), s->prev);
			if (s->riec)
				table_count(&r->tables[STATS_SIGNALS], "riec", 4,
				            s->prev);
		}
		for (i = 0; i < 2; i++) {
			durations(first[i], nfirst[i], &r->first_assessment[i]);
			durations(dec[i], ndec[i], &r->decision[i]);
		}
	}
	for (i = 0; i < 2; i++) {
		free(first[i]);
		free(dec[i]);
	}
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

int
stats_compute(struct installation *inst, const struct workflows *wfs,
              const struct ring_key *key, const struct stats_period *period,
              unsigned want, struct stats_result *out)
{
	struct computation c;
	struct item *batch = NULL;
	int64_t after = 0;
	size_t n = 0, i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	out->period = *period;
	c.inst = inst;
	c.key = key;
	c.out = out;
	c.want = want;
	if (parse_day(period->from, 1, &c.from) < 0 ||
	    parse_day(period->to, 1, &c.to) < 0 ||
	    parse_day(period->prev_from, 1, &c.prev_from) < 0 || !want)
		return error("a statistics period is malformed");
	if (statbox_key(key->sk, &c.cache_key, c.key_id) < 0)
		return error("could not derive the statistics cache key");
	c.scratch = secret_new(STATS_RECORD_MAX);
	batch = calloc(STATS_BATCH, sizeof(*batch));
	if (!c.scratch || !batch)
		die("out of memory");
	if (want & STATS_WANT_INCIDENTS) {
		months(&c, &out->tables[STATS_INCIDENT_MONTH]);
		table_row(&out->tables[STATS_INCIDENTS], "total", 5);
		table_row(&out->tables[STATS_INCIDENTS], "police_notified", 15);
	}
	if (want & STATS_WANT_SIGNALS) {
		months(&c, &out->tables[STATS_SIGNAL_MONTH]);
		table_row(&out->tables[STATS_SIGNALS], "total", 5);
		table_row(&out->tables[STATS_SIGNALS], "riec", 4);
	}
	for (;;) {
		if (read_batch(&c, &after, batch, &n) < 0)
			goto out;
		if (!n)
			break;
		for (i = 0; i < n; i++)
			process_item(&c, &batch[i]);
		store_boxes(&c, batch, n);
		items_release(batch, n);
		n = 0;
	}
	if ((want & STATS_WANT_SIGNALS) &&
	    signal_events(&c, workflows_get(wfs, REPORT_SIGNAL)) < 0)
		goto out;
	for (i = 0; i < STATS_TABLES; i++) {
		struct stats_table *t = &out->tables[i];

		/* Totals first as made; the others by key (months in order). */
		if (i != STATS_INCIDENTS && i != STATS_SIGNALS && t->n)
			qsort(t->rows, t->n, sizeof(*t->rows), compare_rows);
	}
	ret = 0;
out:
	items_release(batch, n);
	free(batch);
	free(c.signals);
	secret_free(c.scratch);
	secret_free(c.cache_key);
	if (ret < 0)
		stats_result_release(out);
	return ret;
}
