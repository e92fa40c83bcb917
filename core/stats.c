/*
 * stats.c - the computation of the statistics (see stats.h; the files it
 * is split into are listed in stats_internal.h).
 *
 * One pass reads the reports of the period and the one before it in
 * batches of STATS_BATCH by id: under the database lock it copies a
 * batch's plaintext columns, then the cache chunks of their ids in one
 * range scan of stats_chunks (stats_cache.c: a chunk holds the records
 * of 64 reports in one box: a million reports are 15,625 boxes to open,
 * not a million), and the sealed envelope only of a report its chunk
 * does not cover; then without the lock it opens them, counts, rebuilds
 * the chunks that got new records, and writes those in one transaction,
 * only when no statistical event or deletion came in since the batch was
 * read (stats_generation, migration 0018).
 * Nothing holds the lock while a sealed box is opened, so submissions are
 * not held up by a first run. The opening and counting of a batch runs on
 * a second thread while the next batch is read (bench/stats: SQLite and
 * the decryption each took about a third of the time, one after the
 * other on one core); a batch is counted only after the one before it,
 * so the reports stay in id order and every figure is the same. Then
 * the handler messages of the signals and the workflow events
 * (stats_events.c), the meetings held and the counts kept of purged
 * reports.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "events.h"
#include "log.h"
#include "stats_internal.h"
#include "zone.h"

static atomic_uint_fast64_t sealed_opens;

uint64_t
stats_sealed_opens(void)
{
	return (uint64_t)atomic_load(&sealed_opens);
}

/* Months since year 0 of a day: the index of its month. */
static int
month_index(int64_t day)
{
	unsigned m, d;
	int y;

	stats_civil_from_days(day, &y, &m, &d);
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
		int type;	/* enum stats_type */
		int multi;
	} map[] = {
		{ "kind", 4, STATS_KIND, ST_INCIDENT, 1 },
		{ "victim_role", 11, STATS_VICTIM_ROLE, ST_INCIDENT, 0 },
		{ "place", 5, STATS_PLACE, ST_INCIDENT, 0 },
		{ "department", 10, STATS_DEPARTMENT, ST_INCIDENT, 0 },
		{ "police", 6, STATS_POLICE, ST_INCIDENT, 0 },
		{ "phenomenon", 10, STATS_PHENOMENON, ST_SIGNAL, 0 },
		{ "identity", 8, STATS_IDENTITY, ST_SIGNAL, 0 },
		/* The kind of violation is one choice (integrity.ini). */
		{ "kind", 4, STATS_INTEGRITY_KIND, ST_INTEGRITY, 0 },
		{ "identity", 8, STATS_INTEGRITY_IDENTITY, ST_INTEGRITY, 0 },
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
		if (it->type == ST_INCIDENT && nlen > 6 &&
		    memcmp(p, "event.", 6) == 0) {
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
			if (map[i].type != it->type ||
			    map[i].len != nlen ||
			    memcmp(map[i].name, p, nlen) != 0)
				continue;
			if (seen[i] && !map[i].multi)
				break;
			seen[i] = 1;
			stats_table_count(&tb[map[i].table], eq + 1, vlen, it->prev);
			/* Counted with the recorded steps (stats_events.c). */
			if (map[i].table == STATS_POLICE &&
			    ((vlen == 7 && memcmp(eq + 1, "melding", 7) == 0) ||
			     (vlen == 8 && memcmp(eq + 1, "aangifte", 8) == 0)))
				ref->police = 1;
			if ((map[i].table == STATS_IDENTITY ||
			     map[i].table == STATS_INTEGRITY_IDENTITY) &&
			    vlen == 5 && memcmp(eq + 1, "named", 5) == 0) {
				ref->named = 1;
				stats_table_count(&tb[map[i].table == STATS_IDENTITY
				                      ? STATS_SIGNALS : STATS_INTEGRITY],
				                  "named", 5, it->prev);
			}
			break;
		}
next:
		p = nl + 1;
	}
	/* A question left unanswered counts as "" (shown as unknown). */
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].type == it->type && !map[i].multi && !seen[i])
			stats_table_count(&tb[map[i].table], "", 0, it->prev);
	c->claimed_cents[it->prev] += claimed;
	c->recovered_cents[it->prev] += recovered;
	if (recovered > 0)
		stats_table_count(&tb[STATS_INCIDENTS], "damages_recovered", 17,
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
	/* The day of receipt is a local day (zone.h), as for the case page. */
	if (!c->start_known || c->start_day != it->day) {
		c->start_day = it->day;
		c->start_at = zone_day_start(it->day);
		c->start_known = 1;
	}
	r->received = c->start_at;
	r->prev = (unsigned char)it->prev;
	r->type = (unsigned char)it->type;
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

/* Open (or make) the record of one item and count it. */
static void
process_item(struct computation *c, struct item *it, struct chunk *ch)
{
	struct stats_table *tb = c->out->tables;
	struct ref *ref = add_ref(c, it);
	const char *rec = "";
	size_t len = 0;
	struct buf made = BUF_INIT;

	if (it->type == ST_INTEGRITY) {
		stats_table_count(&tb[STATS_INTEGRITY], "total", 5, it->prev);
		count_month(c, &tb[STATS_INTEGRITY_MONTH], it->month, it->prev, 1);
	} else if (it->type == ST_SIGNAL) {
		stats_table_count(&tb[STATS_SIGNALS], "total", 5, it->prev);
		stats_table_count(&tb[STATS_SOURCE], it->source, strlen(it->source),
		                  it->prev);
		count_month(c, &tb[STATS_SIGNAL_MONTH], it->month, it->prev, 1);
		if (it->assigned)
			stats_table_count(&tb[STATS_SIGNALS], "assigned", 8, it->prev);
		if (it->in_meeting)
			stats_table_count(&tb[STATS_SIGNALS], "in_meeting", 10, it->prev);
	} else {
		stats_table_count(&tb[STATS_INCIDENTS], "total", 5, it->prev);
		count_month(c, &tb[STATS_INCIDENT_MONTH], it->month, it->prev, 1);
	}
	if (it->cached && stats_chunk_record(c, it->id, &rec, &len)) {
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
				stats_encode_record(plain, &made);
			secret_free(plain);
			encode_events(c, it, &made);
			rec = made.data ? made.data : "";
			len = made.len;
			/* Kept for the chunk, which is rebuilt when left. */
			crypto_put_le(head, (uint64_t)it->id, 8);
			crypto_put_le(head + 8, len, 4);
			buf_add(&ch->fresh, head, sizeof(head));
			buf_add(&ch->fresh, rec, len);
			ch->fresh_ids |= stats_chunk_bit(it->id);
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

uint8_t *
stats_copy_blob(struct stmt *st, int col, size_t *len)
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

	/*
	 * The steps in effect, each with its latest correction's amounts
	 * (events.h): an undone or corrected step's own box is left out.
	 */
	if (db_prepare(c->inst->db, &st, "SELECT e.at, e.transition, e.stats,"
	               " e.seal_id, e.actor"
	               " FROM report_events e WHERE e.report_id = :id"
	               " AND e.stats IS NOT NULL AND e.kind <> 'undo'"
	               " AND NOT EXISTS (SELECT 1 FROM report_events u"
	               " WHERE u.target = coalesce(e.target, e.id)"
	               " AND (u.kind = 'undo' OR u.id > e.id))"
	               " ORDER BY e.id") < 0 ||
	    stmt_bind_int(st, ":id", it->id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct event_box *e;
		struct buf ad = BUF_INIT;
		const void *seal_id = NULL;
		size_t idlen = 0;

		if (it->nevents == cap)
			it->events = buf_grow_array(it->events, &cap,
			                            sizeof(*it->events), 2);
		e = &it->events[it->nevents++];
		e->env = stats_copy_blob(st, 2, &e->len);
		if (!stmt_is_null(st, 3))
			seal_id = stmt_blob(st, 3, &idlen);
		/* A damaged row id: an empty ad, the envelope does not open. */
		if (events_ad(&ad, EVENTS_STATS, it->id, stmt_text(st, 0),
		              stmt_text(st, 1), seal_id, idlen,
		              stmt_text(st, 4)) < 0)
			buf_reset(&ad);
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
			it->sealed = stats_copy_blob(st, 0, &it->sealed_len);
		}
		it->read = 1;
	}
	/* A report gone meanwhile (purged) has no events left either. */
	if (it->read && it->type == ST_INCIDENT && read_event_boxes(c, it) < 0)
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

/*
 * The report types wanted, as :t0, :t1 and :t2 of "type IN (:t0, :t1,
 * :t2)": a type not wanted is bound NULL, which matches no row. Each
 * type's figures are its own: an integrity report changes no figure of
 * norms 3 and 4, and a signal none of norm 2.4.
 */
static int
bind_types(const struct computation *c, struct stmt *st)
{
	static const char *const names[ST_TYPES] = { ":t0", ":t1", ":t2" };
	int i;

	for (i = 0; i < ST_TYPES; i++)
		if (stmt_bind_text(st, names[i], c->type_name[i]) < 0)
			return -1;
	return 0;
}

/* The enum stats_type of a reports.type, or -1 for one not counted. */
static int
type_of(const struct computation *c, const char *name)
{
	int i;

	for (i = 0; i < ST_TYPES; i++)
		if (c->type_name[i] && strcmp(c->type_name[i], name) == 0)
			return i;
	return -1;
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

	stats_format_day(c->today, today);
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
	               " AND type IN (:t0, :t1, :t2)"
	               " ORDER BY id LIMIT :n") < 0 ||
	    bind_types(c, st) < 0 ||
	    stmt_bind_int(st, ":after", *after) < 0 ||
	    stmt_bind_text(st, ":from", c->out->period.prev_from) < 0 ||
	    stmt_bind_text(st, ":to", c->out->period.to) < 0 ||
	    stmt_bind_int(st, ":n", (int64_t)batch_size) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct item *it = &v[n];
		const char *t = stmt_text(st, 2), *src = stmt_text(st, 3);
		int type = type_of(c, stmt_text(st, 1));
		size_t len;

		memset(it, 0, sizeof(*it));
		it->id = stmt_int(st, 0);
		*after = it->id;
		it->type = type;
		if (type < 0 || stats_parse_day(t, 1, &it->day) < 0)
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
		it->in_meeting = it->type == ST_SIGNAL && c->nmeeting &&
		                 bsearch(&it->id, c->meeting, c->nmeeting,
		                         sizeof(*c->meeting), compare_id) != NULL;
		n++;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	b->n = n;
	if (stats_read_generation(c->inst->db, &b->generation) < 0 ||
	    (n && stats_read_chunks(c, b) < 0))
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

/* Add n to the row of key (now or prev). */
static void
add_n(struct stats_table *t, const char *key, int prev, uint64_t n)
{
	struct stats_row *row = stats_table_row(t, key, strlen(key));

	if (prev)
		row->prev += n;
	else
		row->now += n;
}

/* A count row set to n (now or prev). */
static void
table_set(struct stats_table *t, const char *key, int prev, uint64_t n)
{
	struct stats_row *row = stats_table_row(t, key, strlen(key));

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

	stats_format_day(c->today, today);
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
	int rc, ret = -1;

	db_lock(c->inst->db);
	if (db_prepare(c->inst->db, &st, "SELECT type, received_month,"
	               " final_state, source, reports FROM purged_counts"
	               " WHERE type IN (:t0, :t1, :t2)") < 0 ||
	    bind_types(c, st) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		const char *month = stmt_text(st, 1);
		const char *state = stmt_text(st, 2), *source = stmt_text(st, 3);
		uint64_t n = (uint64_t)stmt_int(st, 4);
		int type = type_of(c, stmt_text(st, 0));
		enum stats_table_id totals = type == ST_SIGNAL ? STATS_SIGNALS
		                             : type == ST_INTEGRITY ? STATS_INTEGRITY
		                             : STATS_INCIDENTS;
		enum stats_table_id month_table = type == ST_SIGNAL
		                                  ? STATS_SIGNAL_MONTH
		                                  : type == ST_INTEGRITY
		                                  ? STATS_INTEGRITY_MONTH
		                                  : STATS_INCIDENT_MONTH;
		unsigned y, m;
		int64_t first, after;
		int prev;

		if (type < 0 || stats_digits(month, 4, &y) < 0 ||
		    month[4] != '-' ||
		    stats_digits(month + 5, 2, &m) < 0 || m < 1 || m > 12)
			continue;
		first = stats_month_start((int)y, m, 0);
		after = stats_month_start((int)y, m, 1);
		if (first >= c->from && after <= c->to)
			prev = 0;
		else if (first >= c->prev_from && after <= c->from)
			prev = 1;
		else
			continue;
		add_n(&tb[totals], "purged", prev, n);
		add_n(&tb[totals], "total", prev, n);
		if (type == ST_SIGNAL) {
			add_n(&tb[STATS_SOURCE], source, prev, n);
			add_n(&tb[STATS_OUTCOME], state, prev, n);
		} else if (type == ST_INTEGRITY) {
			/* Only a report in a final state is purged. */
			add_n(&tb[STATS_INTEGRITY_OUTCOME], state, prev, n);
			add_n(&tb[totals], "closed", prev, n);
		}
		count_month(c, &tb[month_table], month_index(first), prev, n);
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

	stats_civil_from_days(c->from, &y0, &m0, &d0);
	for (i = 0;; i++) {
		day = stats_month_start(y0, m0, i);
		if (day >= c->to)
			break;
		stats_civil_from_days(day, &y, &m, &d);
		snprintf(key, sizeof(key), "%04d-%02u", y, m);
		stats_table_row(t, key, strlen(key));
	}
}

/*
 * The rows of the totals tables, in this order, present even at 0. New
 * rows go at the end: exports saved by an older version keep each row at
 * its place (tests/test_upgrade.c).
 */
static const char *const incident_rows[] = {
	"total", "police_notified", "care_72h", "aftercare", "damages_claimed",
	"damages_recovered", "damage_claimed_cents", "damage_recovered_cents",
	"purged", "deadlines_total", "deadlines_met", "deadlines_met_late",
	"deadlines_overdue", "deadlines_stopped", NULL,
};
static const char *const signal_rows[] = {
	"total", "riec", "named", "ack_7d", "closed_named", "feedback",
	"in_meeting", "meetings", "assigned", "deadlines_total",
	"deadlines_met", "purged", "deadlines_met_late", "deadlines_overdue",
	"deadlines_stopped", NULL,
};
static const char *const integrity_rows[] = {
	"total", "named", "closed", "ack_decided", "ack_7d",
	"feedback_decided", "feedback", "longer", "deadlines_total",
	"deadlines_met", "deadlines_met_late", "deadlines_overdue",
	"deadlines_stopped", "purged", NULL,
};

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
				stats_chunk_close(j->c, open);
			stats_chunk_open(j->c, ch);
			open = ch;
		}
		process_item(j->c, it, ch);
	}
	if (open)
		stats_chunk_close(j->c, open);
	return NULL;
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
			stats_store_chunks(c, job.b);
			stats_hand_over(job.b, next);
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
			stats_store_chunks(c, job.b);
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
	c.today = zone_day(now);
	if (stats_parse_day(period->from, 1, &c.from) < 0 ||
	    stats_parse_day(period->to, 1, &c.to) < 0 ||
	    stats_parse_day(period->prev_from, 1, &c.prev_from) < 0 || !want)
		return error("a statistics period is malformed");
	c.rtype[ST_INCIDENT] = REPORT_INCIDENT;
	c.rtype[ST_SIGNAL] = REPORT_SIGNAL;
	if (want & STATS_WANT_INCIDENTS)
		c.type_name[ST_INCIDENT] = report_type_name(REPORT_INCIDENT);
	if (want & STATS_WANT_SIGNALS)
		c.type_name[ST_SIGNAL] = report_type_name(REPORT_SIGNAL);
	/* The integrity type is data (schema/forms/): asked by its name. */
	if (report_type_parse(STATS_TYPE_INTEGRITY, &c.rtype[ST_INTEGRITY]) < 0)
		want &= ~(unsigned)STATS_WANT_INTEGRITY;
	else if (want & STATS_WANT_INTEGRITY)
		c.type_name[ST_INTEGRITY] = report_type_name(c.rtype[ST_INTEGRITY]);
	c.want = want;
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
			stats_table_row(&out->tables[STATS_INCIDENTS], incident_rows[i],
			                strlen(incident_rows[i]));
	}
	if (want & STATS_WANT_SIGNALS) {
		months(&c, &out->tables[STATS_SIGNAL_MONTH]);
		for (i = 0; signal_rows[i]; i++)
			stats_table_row(&out->tables[STATS_SIGNALS], signal_rows[i],
			                strlen(signal_rows[i]));
	}
	if (want & STATS_WANT_INTEGRITY) {
		months(&c, &out->tables[STATS_INTEGRITY_MONTH]);
		for (i = 0; integrity_rows[i]; i++)
			stats_table_row(&out->tables[STATS_INTEGRITY],
			                integrity_rows[i], strlen(integrity_rows[i]));
	}
	if ((want & STATS_WANT_SIGNALS) && read_meeting_signals(&c) < 0)
		goto out;
	if (count_batches(&c, batch, &after) < 0)
		goto out;
	if (stats_handler_messages(&c) < 0 ||
	    ((want & STATS_WANT_SIGNALS) && meetings_held(&c) < 0))
		goto out;
	if (stats_report_events(&c, wfs) < 0 || purged(&c) < 0)
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
		if (!stats_table_is_totals((enum stats_table_id)i) && t->n)
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
