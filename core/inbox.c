/*
 * inbox.c - the handler's inbox (see inbox.h).
 *
 * One statement reads the plain columns of the type's reports with their
 * envelopes and, per report, whether the reporter wrote since the actor
 * last opened it; the cheap filters (state, phenomenon, deadlines) come
 * first, so only the reports that can still be shown have their content
 * opened, for the search and the summary. Each content is opened, read
 * and wiped before the next, outside the database lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "content.h"
#include "crypto.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "inbox.h"
#include "install.h"
#include "log.h"
#include "oral.h"
#include "receipt.h"
#include "workflow.h"

/* A report as read, before its content is opened. */
struct pending {
	struct inbox_row row;
	int64_t assignee;	/* user id, 0: none */
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	uint8_t *content;
	size_t content_len;
	uint8_t *stats;		/* NULL: none */
	size_t stats_len;
};

static void
pending_release(struct pending *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].content);
		free(p[i].stats);
	}
	free(p);
}

static enum verdict
done(struct outcome *o, enum verdict v, const char *key, const char *field)
{
	outcome_set(o, v, key, field);
	return v;
}

/* The text of every answer named name joined by ',' (multi answers). */
static void
join_answers(const struct answers *a, const char *name, char *out,
             size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < a->n; i++) {
		size_t vl;

		if (strcmp(a->items[i].name, name) != 0)
			continue;
		vl = strlen(a->items[i].value);
		if (len + (len > 0) + vl + 1 > size)
			break;		/* option names: never cut in half */
		if (len)
			out[len++] = ',';
		memcpy(out + len, a->items[i].value, vl + 1);
		len += vl;
	}
}

/* Phenomenon (signals) and kind (incidents) from the sealed answers. */
static void
read_stats(const uint8_t *env, size_t envlen, const uint8_t *locator,
           const struct ring_key *key, struct inbox_row *r)
{
	struct secret *plain = NULL;
	struct stored_answers s;
	const char *v;

	if (!env || envelope_open(env, envlen, locator, RECEIPT_LOCATOR_LEN,
	                          key->pk, key->sk, &plain) < 0)
		return;
	if (stored_answers_read(plain->bytes, plain->len, &s) == 0) {
		if ((v = answers_get(&s.a, "phenomenon")) != NULL)
			snprintf(r->c.phenomenon, sizeof(r->c.phenomenon), "%s", v);
		join_answers(&s.a, "kind", r->kind, sizeof(r->kind));
	}
	stored_answers_release(&s);
	secret_free(plain);
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* 1 when needle (not empty) is in hay, ASCII letters in any case. */
static int
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i, j;

	for (i = 0; hay[i]; i++) {
		for (j = 0; j < n && hay[i + j] &&
		     fold((unsigned char)hay[i + j]) ==
		     fold((unsigned char)needle[j]); j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

/* 1 when an answer that is not an identity answer holds the search. */
static int
answers_match(const struct form *f, const struct answers *a,
              const char *search)
{
	const struct form_field *ff;
	size_t i;

	for (i = 0; i < a->n; i++) {
		ff = form_field(f, a->items[i].name);
		if (ff && ff->identity)
			continue;
		if (contains(a->items[i].value, search))
			return 1;
	}
	return 0;
}

/*
 * The first INBOX_SUMMARY_WORDS words of text, cut at a character's
 * start to fit out, "..." when cut. Spaces, tabs and line ends become
 * one space.
 */
static void
first_words(const char *text, char out[INBOX_SUMMARY_MAX + 1])
{
	size_t len = 0, words = 0, keep;
	const char *p = text;
	int space = 1, cut = 0;

	while (*p && !cut) {
		unsigned char c = (unsigned char)*p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (!space && ++words == INBOX_SUMMARY_WORDS)
				cut = p[strspn(p, " \t\r\n")] != '\0';
			space = 1;
			p++;
			continue;
		}
		if (space && len) {
			if (len + 1 > INBOX_SUMMARY_MAX - 3) {
				cut = 1;
				break;
			}
			out[len++] = ' ';
		}
		space = 0;
		/* One whole UTF-8 character, or the cut. */
		keep = 1;
		while ((((unsigned char)p[keep]) & 0xC0) == 0x80)
			keep++;
		if (len + keep > INBOX_SUMMARY_MAX - 3) {
			cut = 1;
			break;
		}
		memcpy(out + len, p, keep);
		len += keep;
		p += keep;
	}
	if (cut) {
		memcpy(out + len, "...", 3);
		len += 3;
	}
	out[len] = '\0';
}

/* The answers a summary is made of, the first one given wins. */
static const char *const summary_fields[] = {
	"description", "location", "observation",
};

/*
 * Open the content of p, match the search, make the summary. 1 when it
 * is to be listed, 0 when the search does not find it, -1 when it does
 * not open (not listed: a damaged row).
 */
static int
open_content(const struct pending *p, const struct ring_key *key,
             const struct form *f, const char *search,
             struct inbox_row *row)
{
	struct secret *plain = NULL;
	struct stored_answers s;
	char number[CASE_NUMBER_LEN + 1];
	const char *v;
	size_t i;
	int ret = 1;

	/* A search for a case number (casenumber.h) finds that case. */
	if (search && case_number_parse(search, number) == 0 &&
	    strcmp(number, row->c.number) == 0)
		search = NULL;
	if (envelope_open(p->content, p->content_len, p->locator,
	                  RECEIPT_LOCATOR_LEN, key->pk, key->sk, &plain) < 0)
		return -1;
	if (stored_answers_read(plain->bytes, plain->len, &s) == 0) {
		if (search && !answers_match(f, &s.a, search))
			ret = 0;
		for (i = 0; ret && i < sizeof(summary_fields) /
		     sizeof(summary_fields[0]); i++) {
			v = answers_get(&s.a, summary_fields[i]);
			if (v && *v) {
				first_words(v, row->summary);
				break;
			}
		}
	} else if (search) {
		ret = 0;
	}
	stored_answers_release(&s);
	secret_free(plain);
	return ret;
}

/* The position of state in wf's list, for the sort by state. */
static size_t
state_rank(const struct workflow *wf, const char *state)
{
	size_t i, n = workflow_state_count(wf);

	for (i = 0; i < n; i++)
		if (strcmp(workflow_state_at(wf, i)->name, state) == 0)
			return i;
	return n;
}

static int
by_deadline(const struct case_summary *a, const struct case_summary *b)
{
	if (a->overdue != b->overdue)
		return b->overdue - a->overdue;
	if ((a->next_due != 0) != (b->next_due != 0))
		return a->next_due ? -1 : 1;
	if (a->next_due != b->next_due)
		return a->next_due < b->next_due ? -1 : 1;
	return a->id < b->id ? 1 : (a->id > b->id ? -1 : 0);
}

static int
by_received(const struct case_summary *a, const struct case_summary *b)
{
	int c = strcmp(b->received_on, a->received_on);

	if (c)
		return c;
	return a->id < b->id ? 1 : (a->id > b->id ? -1 : 0);
}

/* qsort has no argument: the sort in hand, per thread. */
static _Thread_local const struct workflow *sort_wf;
static _Thread_local enum inbox_sort sort_by;

static int
compare_rows(const void *pa, const void *pb)
{
	const struct inbox_row *a = pa, *b = pb;
	size_t ra, rb;

	switch (sort_by) {
	case INBOX_SORT_RECEIVED:
		return by_received(&a->c, &b->c);
	case INBOX_SORT_STATE:
		ra = state_rank(sort_wf, a->c.state);
		rb = state_rank(sort_wf, b->c.state);
		if (ra != rb)
			return ra < rb ? -1 : 1;
		return by_deadline(&a->c, &b->c);
	default:
		return by_deadline(&a->c, &b->c);
	}
}

static uint8_t *
copy(const void *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	if (!c)
		die("out of memory");
	if (len)
		memcpy(c, p, len);
	return c;
}

/*
 * The reports of type t in state (NULL: any), with the envelopes and
 * whether user has a reporter's message not seen. 0 or -1.
 */
static int
read_reports(struct installation *inst, enum report_type t,
             const char *state, int64_t user, struct pending **out,
             size_t *n)
{
	struct pending *v = NULL;
	size_t count = 0, cap = 0, len;
	struct stmt *st = NULL;
	const void *blob;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT r.id, r.state, r.received_on,"
	               " r.source, u.username, r.assignee, r.locator, r.stats,"
	               " r.content, EXISTS (SELECT 1 FROM messages m"
	               "  WHERE m.report_id = r.id AND m.author = 'reporter'"
	               "  AND m.id > coalesce((SELECT c.message_id"
	               "   FROM case_reads c WHERE c.report_id = r.id"
	               "   AND c.user_id = :user), 0)), r.case_number, "
	               ORAL_STATE_SQL
	               " FROM reports r LEFT JOIN users u ON u.id = r.assignee"
	               " WHERE r.type = :type"
	               " AND (:state IS NULL OR r.state = :state)") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(t)) < 0 ||
	    stmt_bind_text(st, ":state", state) < 0 ||
	    stmt_bind_int(st, ":user", user) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct pending *p;
		struct case_summary *c;

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 64);
		p = &v[count];
		memset(p, 0, sizeof(*p));
		c = &p->row.c;
		c->id = stmt_int(st, 0);
		c->type = t;
		if (!stmt_is_null(st, 10))
			snprintf(c->number, sizeof(c->number), "%s",
			         stmt_text(st, 10));
		snprintf(c->state, sizeof(c->state), "%s", stmt_text(st, 1));
		snprintf(c->received_on, sizeof(c->received_on), "%s",
		         stmt_text(st, 2));
		snprintf(c->source, sizeof(c->source), "%s", stmt_text(st, 3));
		if (!stmt_is_null(st, 4))
			snprintf(c->assignee, sizeof(c->assignee), "%s",
			         stmt_text(st, 4));
		p->assignee = stmt_is_null(st, 5) ? 0 : stmt_int(st, 5);
		blob = stmt_blob(st, 6, &len);
		if (len != sizeof(p->locator))
			continue;	/* a damaged row is not listed */
		memcpy(p->locator, blob, len);
		p->row.unread = stmt_int(st, 9) != 0;
		c->oral = (enum oral_state)stmt_int(st, 11);
		blob = stmt_blob(st, 8, &len);
		p->content = copy(blob, len);
		p->content_len = len;
		if (!stmt_is_null(st, 7)) {
			blob = stmt_blob(st, 7, &len);
			p->stats = copy(blob, len);
			p->stats_len = len;
		}
		count++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret < 0) {
		pending_release(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void
inbox_release(struct inbox *ib)
{
	if (ib->rows)
		crypto_wipe(ib->rows, ib->n * sizeof(*ib->rows));
	free(ib->rows);
	memset(ib, 0, sizeof(*ib));
}

enum verdict
inbox_list(struct installation *inst, const struct workflows *wfs,
           const struct actor *a, enum report_type t,
           const struct inbox_query *q, size_t search_max, time_t now,
           struct inbox *out, struct outcome *o)
{
	const struct workflow *wf = workflows_get(wfs, t);
	const struct form *form = forms_get(t);
	const struct actor_ring *ring;
	struct ring_key key;
	struct pending *p = NULL;
	const char *search = q->search && q->search[0] ? q->search : NULL;
	char object[64];
	size_t n = 0, i, kept = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(o, 0, sizeof(*o));
	/* The form says which answers are identity ones: never searched. */
	if (!form || !wf) {
		error("the inbox needs the forms and workflows loaded");
		return done(o, VERDICT_FAILED, NULL, NULL);
	}
	ring = actor_ring(a, report_type_keyring(t));
	if (!ring) {
		snprintf(object, sizeof(object), "%s", report_type_name(t));
		if (audit_append_result(inst->db, a->name, "inbox-read", object,
		                        AUDIT_REFUSED) < 0)
			log_warn("the refused inbox of %s was not audited",
			         a->name);
		return done(o, VERDICT_REFUSED, "case.no_keyring", NULL);
	}
	if (search && strlen(search) > search_max)
		return done(o, VERDICT_INVALID, "case.search_too_long", "q");
	key.pk = ring->pk;
	key.sk = ring->sk;
	if (read_reports(inst, t, q->state, a->user_id, &p, &n) < 0)
		return done(o, VERDICT_FAILED, NULL, NULL);
	/* The cheap filters first: no content opened for what they drop. */
	for (i = 0; i < n; i++) {
		struct inbox_row *r = &p[i].row;

		read_stats(p[i].stats, p[i].stats_len, p[i].locator, &key, r);
		if (q->phenomenon && q->phenomenon[0] &&
		    strcmp(q->phenomenon, r->c.phenomenon) != 0)
			continue;
		case_status(inst, wfs, &r->c, now, q->soon);
		if (q->overdue_only && !r->c.overdue)
			continue;
		if (q->open_only && r->c.final)
			continue;
		rc = open_content(&p[i], &key, form, search, r);
		if (rc < 0)
			continue;
		out->opened++;
		if (rc == 0)
			continue;
		/* Counted per filter, then the who and unread filters. */
		out->counts.all++;
		out->counts.mine += p[i].assignee == a->user_id;
		out->counts.unassigned += p[i].assignee == 0;
		out->counts.unread += r->unread;
		out->counts.overdue += r->c.overdue != 0;
		if ((q->who == INBOX_MINE && p[i].assignee != a->user_id) ||
		    (q->who == INBOX_UNASSIGNED && p[i].assignee != 0) ||
		    (q->unread_only && !r->unread))
			continue;
		if (kept != i)
			p[kept].row = *r;
		kept++;
	}
	snprintf(object, sizeof(object), "%s: %zu opened",
	         report_type_name(t), out->opened);
	if (audit_append(inst->db, a->name, search ? "inbox-search"
	                 : "inbox-read", object) < 0) {
		for (i = 0; i < n; i++)
			crypto_wipe(&p[i].row, sizeof(p[i].row));
		pending_release(p, n);
		memset(out, 0, sizeof(*out));
		return done(o, VERDICT_FAILED, NULL, NULL);
	}
	out->rows = calloc(kept ? kept : 1, sizeof(*out->rows));
	if (!out->rows)
		die("out of memory");
	for (i = 0; i < kept; i++)
		out->rows[i] = p[i].row;
	out->n = kept;
	for (i = 0; i < n; i++)
		crypto_wipe(&p[i].row, sizeof(p[i].row));
	pending_release(p, n);
	if (out->n) {	/* qsort(NULL, 0, ...) is undefined */
		sort_wf = wf;
		sort_by = q->sort;
		qsort(out->rows, out->n, sizeof(*out->rows), compare_rows);
	}
	return done(o, VERDICT_DONE, NULL, NULL);
}
