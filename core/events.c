/*
 * events.c - transitions stored as events, and what derives from them
 * (see events.h).
 *
 * The sealed fields are "name\0value\0" pairs in the order the workflow
 * lists them. The envelope's associated data names the report, the time
 * and the transition, and (schema 28 on) the event's random row id and
 * its actor (events_ad, rowad.h), so a row's fields cannot be copied to
 * another event or report, or pass for another author's, without opening
 * failing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "handoff.h"
#include "zone.h"
#include "install.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"

static char *
xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

static int event_kind_parse(const char *s, enum event_kind *out);
static void mark_steps(struct event_list *l);

int
events_ad(struct buf *ad, enum events_envelope which, int64_t report_id,
          const char *at, const char *transition, const void *seal_id,
          size_t idlen, const char *actor)
{
	struct buf base = BUF_INIT;
	int ret;

	if (which == EVENTS_FIELDS)
		buf_addf(&base, "meldpunt report-event %lld %s %s",
		         (long long)report_id, at, transition);
	else
		buf_addf(&base, "meldpunt report-event-stats %lld %s %s",
		         (long long)report_id, at, transition);
	ret = rowad_open(ad, base.data, base.len,
	                 which == EVENTS_FIELDS ? ROWAD_EVENT_FIELDS
	                                        : ROWAD_EVENT_STATS,
	                 seal_id, idlen, actor ? actor : "");
	buf_release(&base);
	return ret;
}

/* The row id of column col of st into e: 0, or -1 when damaged. */
static int
read_seal_id(struct stmt *st, int col, struct event *e)
{
	const void *p;
	size_t len;

	e->bound = 0;
	if (stmt_is_null(st, col))
		return 0;
	p = stmt_blob(st, col, &len);
	if (len != ROWAD_ID_LEN)
		return error("event %lld has a damaged row id", (long long)e->id);
	memcpy(e->seal_id, p, ROWAD_ID_LEN);
	e->bound = 1;
	return 0;
}

int
events_report(struct db *db, int64_t report_id, struct events_report *out)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	db_lock(db);
	if (db_prepare(db, &st, "SELECT type, state, received_on, case_number"
	               " FROM reports WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0)
		goto out;
	out->id = report_id;
	if (report_type_parse(stmt_text(st, 0), &out->type) < 0) {
		error("report %lld has an unknown type", (long long)report_id);
		goto out;
	}
	if (!stmt_text(st, 1) || strlen(stmt_text(st, 1)) > REPORT_STATE_MAX) {
		error("report %lld has a damaged state", (long long)report_id);
		goto out;
	}
	snprintf(out->state, sizeof(out->state), "%s", stmt_text(st, 1));
	/* Every report has one since schema 30 (casenumber.h). */
	snprintf(out->number, sizeof(out->number), "%s",
	         stmt_text(st, 3) && strlen(stmt_text(st, 3)) == CASE_NUMBER_LEN
	         ? stmt_text(st, 3) : "unknown");
	/* The day of receipt is a local day: it starts at local midnight. */
	if (zone_parse_day(stmt_text(st, 2), &out->received) < 0) {
		error("report %lld has a damaged date of receipt",
		      (long long)report_id);
		goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

void
event_list_release(struct event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].actor);
		free(l->items[i].transition);
		free(l->items[i].from);
		free(l->items[i].to);
		free(l->items[i].fields);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int
events_list(struct db *db, int64_t report_id, struct event_list *out)
{
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	out->report_id = report_id;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id, at, actor, transition, from_state,"
	               " to_state, fields, kind, target, seal_id FROM report_events"
	               " WHERE report_id = :id ORDER BY id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct event *e;
		const void *blob;
		size_t len;

		if (out->n == cap)
			out->items = buf_grow_array(out->items, &cap,
			                            sizeof(*out->items), 8);
		e = &out->items[out->n++];
		memset(e, 0, sizeof(*e));
		e->id = stmt_int(st, 0);
		e->actor = xstrdup(stmt_text(st, 2));
		e->transition = xstrdup(stmt_text(st, 3));
		e->from = xstrdup(stmt_text(st, 4));
		e->to = xstrdup(stmt_text(st, 5));
		if (clock_parse(stmt_text(st, 1), &e->at) < 0) {
			error("event %lld has a damaged time", (long long)e->id);
			goto out;
		}
		snprintf(e->at_text, sizeof(e->at_text), "%s", stmt_text(st, 1));
		if (!stmt_is_null(st, 6)) {
			blob = stmt_blob(st, 6, &len);
			e->fields = malloc(len ? len : 1);
			if (!e->fields)
				die("out of memory");
			memcpy(e->fields, blob, len);
			e->fields_len = len;
		}
		if (event_kind_parse(stmt_text(st, 7), &e->kind) < 0) {
			error("event %lld has an unknown kind", (long long)e->id);
			goto out;
		}
		e->target = stmt_is_null(st, 8) ? 0 : stmt_int(st, 8);
		if (read_seal_id(st, 9, e) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	mark_steps(out);
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0)
		event_list_release(out);
	return ret;
}

const char *
event_kind_name(enum event_kind k)
{
	return k == EVENT_CORRECTION ? "correction" :
	       k == EVENT_UNDO ? "undo" : "step";
}

static int
event_kind_parse(const char *s, enum event_kind *out)
{
	if (!s || strcmp(s, "step") == 0)
		*out = EVENT_STEP;
	else if (strcmp(s, "correction") == 0)
		*out = EVENT_CORRECTION;
	else if (strcmp(s, "undo") == 0)
		*out = EVENT_UNDO;
	else
		return -1;
	return 0;
}

ptrdiff_t
events_find(const struct event_list *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return (ptrdiff_t)i;
	return -1;
}

/* Each step's undo and latest correction (rows in id order). */
static void
mark_steps(struct event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		l->items[i].undone_by = -1;
		l->items[i].current = i;
	}
	for (i = 0; i < l->n; i++) {
		struct event *e = &l->items[i];
		ptrdiff_t t;

		if (e->kind == EVENT_STEP)
			continue;
		t = events_find(l, e->target);
		if (t < 0 || l->items[t].kind != EVENT_STEP)
			continue;	/* the database's references forbid it */
		if (e->kind == EVENT_UNDO)
			l->items[t].undone_by = (ptrdiff_t)i;
		else
			l->items[t].current = i;
	}
}

int
events_in_effect(const struct event_list *l, size_t i)
{
	return i < l->n && l->items[i].kind == EVENT_STEP &&
	       l->items[i].undone_by < 0;
}

ptrdiff_t
events_last_step(const struct event_list *l)
{
	size_t i;

	for (i = l->n; i-- > 0;)
		if (events_in_effect(l, i))
			return (ptrdiff_t)i;
	return -1;
}

/*
 * Seal the values of names (in that order, as "name\0value\0" pairs) to
 * the keys pks, bound to ad. 0 and *env, or -1.
 */
static int
seal_values(const char *const *names, size_t n,
            const struct workflow_field *fields, size_t nfields,
            const struct buf *ad, const uint8_t (*pks)[CRYPTO_PUBLICKEY_LEN],
            size_t npks, uint8_t **env, size_t *envlen)
{
	struct buf plain = BUF_INIT;
	size_t i, j;
	int ret;

	for (i = 0; i < n; i++) {
		/* workflow_check made sure each is given exactly once. */
		for (j = 0; j < nfields; j++)
			if (strcmp(fields[j].name, names[i]) == 0)
				break;
		if (j == nfields)
			continue;
		buf_add(&plain, names[i], strlen(names[i]) + 1);
		buf_add(&plain, fields[j].value, strlen(fields[j].value) + 1);
	}
	ret = envelope_seal((const uint8_t *)plain.data, plain.len, &pad_text,
	                    (const uint8_t *)ad->data, ad->len, pks, npks, env,
	                    envlen);
	if (ret < 0)
		error("could not seal the fields of a transition");
	buf_wipe_release(&plain);
	return ret < 0 ? -1 : 0;
}

/*
 * Seal the fields of t, in its order, to the keyring of the report; and
 * its statistical fields (its stats list) on their own to the statistiek
 * keyring and the report's keyring, as report.c seals the statistical
 * answers: the statistics need the amounts, and must not need the case
 * keyring, which opens content.
 */
int
events_seal_step(struct db *db, const struct events_report *r,
                 const struct workflow_transition *t,
                 const struct workflow_field *fields, size_t nfields,
                 const char *at, const uint8_t seal_id[ROWAD_ID_LEN],
                 const char *actor, uint8_t **env, size_t *envlen,
                 uint8_t **stats, size_t *statslen)
{
	uint8_t pks[2][CRYPTO_PUBLICKEY_LEN];
	struct buf ad = BUF_INIT;
	int ret = -1;

	*env = *stats = NULL;
	*envlen = *statslen = 0;
	if (!t->nfields)
		return 0;
	if (keyrings_public_key(db, report_type_keyring(r->type), pks[1]) < 0 ||
	    (t->nstats && keyrings_public_key(db, KEYRING_STATISTICS,
	                                      pks[0]) < 0))
		return -1;
	events_ad(&ad, EVENTS_FIELDS, r->id, at, t->name, seal_id, ROWAD_ID_LEN,
	          actor);
	if (seal_values(t->fields, t->nfields, fields, nfields, &ad, &pks[1], 1,
	                env, envlen) < 0)
		goto out;
	buf_reset(&ad);
	events_ad(&ad, EVENTS_STATS, r->id, at, t->name, seal_id, ROWAD_ID_LEN,
	          actor);
	if (t->nstats && seal_values(t->stats, t->nstats, fields, nfields, &ad,
	                             pks, 2, stats, statslen) < 0)
		goto out;
	ret = 0;
out:
	buf_release(&ad);
	return ret;
}

int
events_seal_reason(struct db *db, const struct events_report *r,
                   const char *transition, const char *at,
                   const uint8_t seal_id[ROWAD_ID_LEN], const char *actor,
                   const char *reason, uint8_t **env, size_t *envlen)
{
	static const char *const names[] = { "reason" };
	const struct workflow_field f = { "reason", reason };
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct buf ad = BUF_INIT;
	int ret;

	*env = NULL;
	*envlen = 0;
	if (keyrings_public_key(db, report_type_keyring(r->type), pk) < 0)
		return -1;
	events_ad(&ad, EVENTS_FIELDS, r->id, at, transition, seal_id,
	          ROWAD_ID_LEN, actor);
	ret = seal_values(names, 1, &f, 1, &ad, &pk, 1, env, envlen);
	buf_release(&ad);
	return ret;
}

static int
insert_event(struct db *db, int64_t report_id, enum event_kind kind,
             int64_t target, const char *at, const char *actor,
             const char *transition, const char *from, const char *to,
             const uint8_t *seal_id, const uint8_t *env, size_t envlen,
             const uint8_t *stats, size_t statslen)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "INSERT INTO report_events (report_id, at,"
	               " actor, transition, from_state, to_state, fields, stats,"
	               " kind, target, seal_id) VALUES (:report, :at, :actor,"
	               " :transition, :from, :to, :fields, :stats, :kind,"
	               " :target, :seal)") < 0 ||
	    stmt_bind_blob(st, ":seal", seal_id, ROWAD_ID_LEN) < 0 ||
	    stmt_bind_text(st, ":kind", event_kind_name(kind)) < 0 ||
	    (target ? stmt_bind_int(st, ":target", target)
	            : stmt_bind_null(st, ":target")) < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0 ||
	    stmt_bind_text(st, ":at", at) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_bind_text(st, ":transition", transition) < 0 ||
	    stmt_bind_text(st, ":from", from) < 0 ||
	    stmt_bind_text(st, ":to", to) < 0 ||
	    (env ? stmt_bind_blob(st, ":fields", env, envlen)
	         : stmt_bind_null(st, ":fields")) < 0 ||
	    (stats ? stmt_bind_blob(st, ":stats", stats, statslen)
	           : stmt_bind_null(st, ":stats")) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	/*
	 * New statistical fields make the report's cached record stale: a
	 * trigger clears its bit in the cache chunk (migration 0018).
	 */
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "UPDATE reports SET state = :to"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_text(st, ":to", to) < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

void
events_step_release(struct events_step *s)
{
	free(s->env);
	free(s->stats);
	memset(s, 0, sizeof(*s));
}

/* A refusal: reason, its key and the English message for the log. */
static int
no_report(int64_t report_id, struct workflow_verdict *v)
{
	v->reason = WORKFLOW_NO_REPORT;
	v->key = workflow_refusal_key(WORKFLOW_NO_REPORT);
	snprintf(v->message, sizeof(v->message), "there is no report %lld",
	         (long long)report_id);
	return 1;
}

int
events_step_prepare(struct installation *inst, const struct workflows *wfs,
                    int64_t report_id, const char *name, const char *actor,
                    unsigned roles, const struct workflow_field *fields,
                    size_t nfields, const char *expect_state,
                    struct events_step *s, struct workflow_verdict *v)
{
	const struct workflow *wf;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(v, 0, sizeof(*v));
	v->key = workflow_refusal_key(WORKFLOW_OK);
	rc = events_report(inst->db, report_id, &s->r);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return no_report(report_id, v);
	wf = workflows_get(wfs, s->r.type);
	if (workflow_check(wf, s->r.state, name, roles, fields, nfields,
	                   expect_state, v) != WORKFLOW_OK)
		return 1;
	s->t = workflow_transition_find(wf, name);
	snprintf(s->to, sizeof(s->to), "%s", s->t->to ? s->t->to : s->r.state);
	s->actor = actor;
	clock_format(clock_now(), s->at);
	/* The row id comes before the row: sealing waits for no lock. */
	rowad_new_id(s->seal_id);
	/* Sealing is the slow part: before the write transaction. */
	if (events_seal_step(inst->db, &s->r, s->t, fields, nfields, s->at,
	                     s->seal_id, actor, &s->env, &s->envlen, &s->stats,
	                     &s->statslen) < 0) {
		events_step_release(s);
		return -1;
	}
	return 0;
}

int
events_step_store(struct installation *inst, const struct events_step *s,
                  struct workflow_verdict *v)
{
	const char *actor = s->actor;
	struct events_report now;
	struct buf object = BUF_INIT;
	int rc, ret = -1;

	/* Checked without the lock: still where the check found it? */
	rc = events_report(inst->db, s->r.id, &now);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return no_report(s->r.id, v);
	if (strcmp(now.state, s->r.state) != 0) {
		v->reason = WORKFLOW_STALE;
		v->key = workflow_refusal_key(WORKFLOW_STALE);
		v->field = NULL;
		snprintf(v->message, sizeof(v->message), "report %lld moved"
		         " to %s meanwhile", (long long)s->r.id, now.state);
		return 1;
	}
	/* A hand-off step needs its package recorded (handoff.h), checked
	 * in the step's transaction. */
	if (s->t->handoff) {
		rc = handoff_recorded(inst->db, s->r.id);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			v->reason = WORKFLOW_HANDOFF;
			v->key = workflow_refusal_key(WORKFLOW_HANDOFF);
			v->field = NULL;
			snprintf(v->message, sizeof(v->message), "report %lld "
			         "has no recorded hand-off package for %s",
			         (long long)s->r.id, s->t->name);
			return 1;
		}
	}
	if (insert_event(inst->db, s->r.id, EVENT_STEP, 0, s->at, actor,
	                 s->t->name, s->r.state, s->to, s->seal_id, s->env,
	                 s->envlen, s->stats, s->statslen) < 0)
		goto out;
	/* Names of states only: never a field's value. */
	buf_addf(&object, "report %s: %s -> %s",
	         s->r.number, s->r.state, s->to);
	if (audit_append(inst->db, actor, "report-transition", object.data) < 0)
		goto out;
	ret = 0;
out:
	buf_release(&object);
	return ret;
}

int
events_store_change(struct db *db, int64_t report_id, const char *state,
                    enum event_kind kind, const struct event *e,
                    const char *at, const char *actor,
                    const uint8_t seal_id[ROWAD_ID_LEN], const uint8_t *env,
                    size_t envlen, const uint8_t *stats, size_t statslen)
{
	struct events_report now;
	int rc;

	rc = events_report(db, report_id, &now);
	if (rc != 0)
		return rc;
	if (strcmp(now.state, state) != 0)
		return 1;
	/* An undo leads back to where the step started; a correction stays. */
	return insert_event(db, report_id, kind, e->id, at, actor,
	                    e->transition, state,
	                    kind == EVENT_UNDO ? e->from : state, seal_id, env,
	                    envlen, stats, statslen) < 0 ? -1 : 0;
}

int
events_transition(struct installation *inst, const struct workflows *wfs,
                  int64_t report_id, const char *name, const char *actor,
                  unsigned roles, const struct workflow_field *fields,
                  size_t nfields, const char *expect_state,
                  struct workflow_verdict *v)
{
	struct events_step s;
	int rc;

	if (!actor || !*actor)
		return error("a transition needs an actor");
	rc = events_step_prepare(inst, wfs, report_id, name, actor, roles,
	                         fields, nfields, expect_state, &s, v);
	if (rc == 0) {
		if (db_begin(inst->db) < 0) {
			events_step_release(&s);
			return -1;
		}
		rc = events_step_store(inst, &s, v);
		if (rc == 0)
			rc = db_commit(inst->db);
		else
			db_rollback(inst->db);
		events_step_release(&s);
	}
	if (rc == 1)
		log_info("report %lld: %s refused: %s", (long long)report_id,
		         actor, v->message);
	return rc;
}

static int
derive(const struct workflow *wf, const struct event_list *l,
       char out[REPORT_STATE_MAX + 1])
{
	const char *state = workflow_initial(wf)->name;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->items[i].from, state) != 0)
			return error("report %lld: event %lld starts in state %s "
			             "but the report was in %s",
			             (long long)l->report_id,
			             (long long)l->items[i].id, l->items[i].from,
			             state);
		state = l->items[i].to;
	}
	snprintf(out, REPORT_STATE_MAX + 1, "%s", state);
	return 0;
}

int
events_derive_state(struct db *db, const struct workflows *wfs,
                    int64_t report_id, char out[REPORT_STATE_MAX + 1])
{
	struct events_report r;
	struct event_list l;
	int ret = -1;

	/* One lock for both reads: no transition slips in between. */
	db_lock(db);
	if (events_report(db, report_id, &r) != 0) {
		db_unlock(db);
		return error("there is no report %lld", (long long)report_id);
	}
	if (events_list(db, report_id, &l) == 0) {
		ret = derive(workflows_get(wfs, r.type), &l, out);
		event_list_release(&l);
	}
	db_unlock(db);
	return ret;
}

int
events_allowed(struct db *db, const struct workflows *wfs,
               int64_t report_id, unsigned roles,
               const struct workflow_transition **out, size_t max,
               size_t *n, char state[REPORT_STATE_MAX + 1])
{
	struct events_report r;
	int rc = events_report(db, report_id, &r);

	*n = 0;
	if (rc != 0)
		return rc;
	*n = workflow_allowed(workflows_get(wfs, r.type), r.state, roles, out,
	                      max);
	if (state)
		snprintf(state, REPORT_STATE_MAX + 1, "%s", r.state);
	return 0;
}

/* Times of the handler's messages to the reporter of a report. */
static int
message_times(struct db *db, int64_t report_id, time_t **out, size_t *n)
{
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT at FROM messages WHERE report_id = :id"
	               " AND author = 'handler'") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (*n == cap)
			*out = buf_grow_array(*out, &cap, sizeof(**out), 8);
		if (clock_parse(stmt_text(st, 0), &(*out)[*n]) < 0) {
			error("a message of report %lld has a damaged time",
			      (long long)report_id);
			goto out;
		}
		(*n)++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
events_deadlines(struct db *db, const struct workflows *wfs,
                 int64_t report_id, time_t now,
                 struct workflow_deadline_status *out, size_t max, size_t *n)
{
	struct workflow_step *steps = NULL;
	struct events_report r;
	struct event_list l = { 0, NULL, 0 };
	time_t *messages = NULL;
	size_t nmessages = 0, i, k;
	int rc, ret = -1;

	*n = 0;
	db_lock(db);
	rc = events_report(db, report_id, &r);
	if (rc != 0) {
		ret = rc;
		goto out;
	}
	if (events_list(db, report_id, &l) < 0 ||
	    message_times(db, report_id, &messages, &nmessages) < 0)
		goto out;
	steps = calloc(l.n ? l.n : 1, sizeof(*steps));
	if (!steps)
		die("out of memory");
	/* The steps in effect: an undone step meets no deadline. */
	for (i = 0, k = 0; i < l.n; i++) {
		if (!events_in_effect(&l, i))
			continue;
		steps[k].at = l.items[i].at;
		steps[k].transition = l.items[i].transition;
		steps[k].from = l.items[i].from;
		steps[k].to = l.items[i].to;
		k++;
	}
	*n = workflow_deadlines(workflows_get(wfs, r.type), r.received, steps,
	                        k, messages, nmessages, now, out, max);
	ret = 0;
out:
	db_unlock(db);
	free(steps);
	free(messages);
	event_list_release(&l);
	return ret;
}

int
events_with_fields(struct db *db, enum report_type type,
                   void (*fn)(void *arg, int64_t report_id,
                              const struct event *e),
                   void *arg)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	db_lock(db);
	/*
	 * The steps in effect with their fields as they are now: a step not
	 * undone and not corrected, or the latest correction of a step not
	 * undone (named by the step's id, opened as its own row).
	 */
	if (db_prepare(db, &st, "SELECT e.report_id, coalesce(e.target, e.id),"
	               " e.at, e.transition, e.fields, e.actor, e.seal_id"
	               " FROM report_events e"
	               " JOIN reports r ON r.id = e.report_id"
	               " WHERE r.type = :type AND e.fields IS NOT NULL"
	               " AND e.kind <> 'undo' AND NOT EXISTS (SELECT 1"
	               " FROM report_events u WHERE u.target ="
	               " coalesce(e.target, e.id) AND (u.kind = 'undo'"
	               " OR u.id > e.id))"
	               " ORDER BY e.report_id, e.id") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(type)) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct event e;
		const void *blob;
		size_t len;

		memset(&e, 0, sizeof(e));
		e.id = stmt_int(st, 1);
		if (clock_parse(stmt_text(st, 2), &e.at) < 0)
			continue;	/* a damaged time: events_list says so */
		snprintf(e.at_text, sizeof(e.at_text), "%s", stmt_text(st, 2));
		if (read_seal_id(st, 6, &e) < 0)
			continue;	/* damaged: it does not open, said */
		e.transition = xstrdup(stmt_text(st, 3));
		e.actor = xstrdup(stmt_text(st, 5));
		blob = stmt_blob(st, 4, &len);
		e.fields = malloc(len ? len : 1);
		if (!e.fields)
			die("out of memory");
		memcpy(e.fields, blob, len);
		e.fields_len = len;
		fn(arg, stmt_int(st, 0), &e);
		free(e.actor);
		free(e.transition);
		free(e.fields);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

void
event_fields_release(struct event_fields *f)
{
	free(f->items);
	secret_free(f->plain);
	memset(f, 0, sizeof(*f));
}

int
events_open_fields(int64_t report_id, const struct event *e,
                   const uint8_t ring_pk[CRYPTO_PUBLICKEY_LEN],
                   const struct secret *ring_sk, struct event_fields *out)
{
	struct buf ad = BUF_INIT;
	const char *p, *end;
	size_t cap = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!e->fields)
		return 0;
	if (events_ad(&ad, EVENTS_FIELDS, report_id, e->at_text, e->transition,
	              e->bound ? e->seal_id : NULL, ROWAD_ID_LEN, e->actor) < 0)
		goto out;
	if (envelope_open(e->fields, e->fields_len, (const uint8_t *)ad.data,
	                  ad.len, ring_pk, ring_sk, &out->plain) < 0) {
		error("the fields of event %lld do not open: wrong key, or "
		      "damaged", (long long)e->id);
		goto out;
	}
	p = (const char *)out->plain->bytes;
	end = p + out->plain->len;
	while (p < end) {
		const char *name = p, *value;

		p = memchr(p, '\0', (size_t)(end - p));
		if (!p || ++p >= end)
			goto damaged;
		value = p;
		p = memchr(p, '\0', (size_t)(end - p));
		if (!p)
			goto damaged;
		p++;
		if (out->n == cap)
			out->items = buf_grow_array(out->items, &cap,
			                            sizeof(*out->items), 4);
		out->items[out->n].name = name;
		out->items[out->n].value = value;
		out->n++;
	}
	ret = 0;
	goto out;
damaged:
	error("the fields of event %lld are malformed", (long long)e->id);
out:
	buf_release(&ad);
	if (ret < 0)
		event_fields_release(out);
	return ret;
}
