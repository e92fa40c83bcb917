/*
 * stats_events.c - the passes of the statistics after the batches (see
 * stats.c, stats_internal.h).
 *
 * Once every report of the period is counted and has its ref (in id
 * order), the handler messages of the signals (messages first, each
 * finding its report) and the workflow events are read: one scan of
 * report_events in rowid order, each event placed with its report by a
 * look just past the last one found, else a binary search in the refs,
 * its names turned into indexes of the workflow once, then a counting
 * sort by report (bench/stats: a lookup per event or per report cost
 * more than all the decryption). From them: outcomes, the durations to
 * the first assessment and to the decision, the deadlines of both types
 * by their one verdict (workflow.h), and the care, aftercare and damages
 * of incidents.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stats_internal.h"

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
 * The handler messages to the reporters, by report, for the deadlines
 * that a message meets (a workflow of either type may have one). 0 or -1.
 */
int
stats_handler_messages(struct computation *c)
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
	               " WHERE m.author = 'handler'"
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

		if (!ref || stats_parse_at(stmt_text(st, 1), &at) < 0)
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
	unsigned aftercare_2, aftercare_6_8, damages;
	unsigned police_report, police_notice;
	/* Integrity: the reporter told the follow-up takes longer. */
	unsigned longer;
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
	nm->police_report = name_index(nm->transition, nm->ntransitions,
	                               STATS_T_POLICE_REPORT);
	nm->police_notice = name_index(nm->transition, nm->ntransitions,
	                               STATS_T_POLICE_NOTICE);
	nm->aftercare_2 = name_index(nm->transition, nm->ntransitions,
	                             STATS_T_AFTERCARE_2);
	nm->aftercare_6_8 = name_index(nm->transition, nm->ntransitions,
	                               STATS_T_AFTERCARE_6_8);
	nm->damages = name_index(nm->transition, nm->ntransitions,
	                         STATS_T_DAMAGES);
	nm->longer = name_index(nm->transition, nm->ntransitions,
	                        STATS_T_INT_LONGER);
}

/* One stored event, its names as indexes into struct names. */
struct ev {
	uint32_t ref;
	uint16_t transition, from, to;
	int64_t at;
};

/* What the events pass collects beside the refs. */
struct pass {
	struct names nm[ST_TYPES];		/* by enum stats_type */
	int64_t *first[2], *dec[2];
	size_t nfirst[2], ndec[2];
	struct workflow_step *steps;
	size_t nsteps, capsteps;
	struct workflow_deadline_status *dl;
	size_t maxdl;
	time_t now;
};

/* The totals table of a report's type. */
static struct stats_table *
totals_of(struct computation *c, const struct ref *ref)
{
	static const enum stats_table_id totals[ST_TYPES] = {
		[ST_INCIDENT] = STATS_INCIDENTS,
		[ST_SIGNAL] = STATS_SIGNALS,
		[ST_INTEGRITY] = STATS_INTEGRITY,
	};

	return &c->out->tables[totals[ref->type]];
}

/*
 * The integrity deadlines (the whistleblower law's two terms): each
 * decided one in its own row, met in time in the figure of the law.
 */
static void
count_integrity_deadline(struct stats_table *tb, const char *name,
                         enum deadline_verdict v, int prev)
{
	if (strcmp(name, STATS_DEADLINE_INT_ACK) == 0) {
		stats_table_count(tb, "ack_decided", 11, prev);
		if (v == DEADLINE_MET)
			stats_table_count(tb, "ack_7d", 6, prev);
	} else if (strcmp(name, STATS_DEADLINE_INT_FEEDBACK) == 0) {
		stats_table_count(tb, "feedback_decided", 16, prev);
		if (v == DEADLINE_MET)
			stats_table_count(tb, "feedback", 8, prev);
	}
}

/*
 * The deadlines of a report, each counted by its one verdict (workflow.h)
 * at the computation's now: running ones (open, due soon) not, the
 * decided ones in deadlines_total and in the row of their verdict.
 */
static void
count_deadlines(struct computation *c, struct pass *ps, struct ref *ref)
{
	static const char *const rows[] = {
		[DEADLINE_MET] = "deadlines_met",
		[DEADLINE_MET_LATE] = "deadlines_met_late",
		[DEADLINE_OVERDUE] = "deadlines_overdue",
		[DEADLINE_STOPPED] = "deadlines_stopped",
	};
	struct stats_table *tb = totals_of(c, ref);
	int prev = ref->prev;
	int signal = ref->type == ST_SIGNAL;
	size_t n, i;

	n = workflow_deadlines(ps->nm[ref->type].wf, (time_t)ref->received,
	                       ps->steps, ps->nsteps,
	                       ref->nmsg ? c->msgs + ref->msg_first : NULL,
	                       ref->nmsg, ps->now, ps->dl, ps->maxdl);
	if (n > ps->maxdl)
		n = ps->maxdl;
	for (i = 0; i < n; i++) {
		const struct workflow_deadline_status *d = &ps->dl[i];
		enum deadline_verdict v = workflow_deadline_verdict(d, ps->now, 0);

		if (v == DEADLINE_OPEN || v == DEADLINE_DUE_SOON)
			continue;
		stats_table_count(tb, "deadlines_total", 15, prev);
		stats_table_count(tb, rows[v], strlen(rows[v]), prev);
		if (ref->type == ST_INTEGRITY) {
			count_integrity_deadline(tb, d->deadline->name, v, prev);
			continue;
		}
		/*
		 * The care talk within 72 hours is the first_care deadline
		 * met on time: the case page, these figures and norm 3.10
		 * read the same definition.
		 */
		if (!signal && v == DEADLINE_MET &&
		    strcmp(d->deadline->name, STATS_DEADLINE_CARE) == 0)
			stats_table_count(tb, "care_72h", 8, prev);
		if (!signal || v != DEADLINE_MET || !ref->named)
			continue;
		if (strcmp(d->deadline->name, STATS_DEADLINE_ACK) == 0)
			stats_table_count(tb, "ack_7d", 6, prev);
		if (ref->final &&
		    strcmp(d->deadline->name, STATS_DEADLINE_FEEDBACK) == 0)
			stats_table_count(tb, "feedback", 8, prev);
	}
}

/* Everything of one report once its events are all seen. */
static void
finish_ref(struct computation *c, struct pass *ps, struct ref *ref)
{
	struct stats_table *tb = c->out->tables;
	int prev = ref->prev;

	count_deadlines(c, ps, ref);
	if (ref->type == ST_INTEGRITY) {
		stats_table_count(&tb[STATS_INTEGRITY_OUTCOME], ref->outcome,
		                  strlen(ref->outcome), prev);
		if (ref->final)
			stats_table_count(&tb[STATS_INTEGRITY], "closed", 6, prev);
		if (ref->longer)
			stats_table_count(&tb[STATS_INTEGRITY], "longer", 6, prev);
		return;
	}
	if (ref->type == ST_INCIDENT) {
		if (ref->police)
			stats_table_count(&tb[STATS_INCIDENTS], "police_notified",
			                  15, prev);
		if (ref->aftercare)
			stats_table_count(&tb[STATS_INCIDENTS], "aftercare", 9, prev);
		if (ref->damages)
			stats_table_count(&tb[STATS_INCIDENTS], "damages_claimed", 15,
			                  prev);
		return;
	}
	stats_table_count(&tb[STATS_OUTCOME], ref->outcome, strlen(ref->outcome),
	                  prev);
	if (ref->riec)
		stats_table_count(&tb[STATS_SIGNALS], "riec", 4, prev);
	if (ref->named && ref->final)
		stats_table_count(&tb[STATS_SIGNALS], "closed_named", 12, prev);
}

/* The event as a step of the report's deadlines (workflow_deadlines). */
static void
add_step(struct pass *ps, const struct names *nm, const struct ev *e)
{
	struct workflow_step *step;

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

/* One event of ref (in order). */
static void
take_event(struct pass *ps, struct ref *ref, const struct ev *e)
{
	const struct names *nm = &ps->nm[ref->type];
	int64_t since = e->at - ref->received;

	add_step(ps, nm, e);
	if (ref->type == ST_INTEGRITY) {
		/*
		 * The outcome is the final state the report is in: the steps
		 * in effect, in order, so the last one says where it is.
		 */
		if (e->transition != NO_NAME && e->transition == nm->longer)
			ref->longer = 1;
		if (e->to != NO_NAME) {
			ref->final = nm->final[e->to];
			ref->outcome = ref->final ? nm->state[e->to] : "open";
		}
		return;
	}
	if (ref->type == ST_INCIDENT) {
		if (e->transition == nm->aftercare_2 ||
		         e->transition == nm->aftercare_6_8)
			ref->aftercare = 1;
		else if (e->transition == nm->damages)
			ref->damages = 1;
		else if (e->transition == nm->police_report ||
		         e->transition == nm->police_notice)
			ref->police = 1;
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
	/*
	 * The steps in effect (events.h): corrections keep the state and
	 * undos take a step back, so neither is a step of the figures, and
	 * an undone step is left out. The few undos are found through their
	 * index on target.
	 */
	if (db_prepare(c->inst->db, &st, "SELECT e.report_id, e.at,"
	               " e.transition, e.from_state, e.to_state"
	               " FROM report_events e"
	               /* "+": a scan by rowid, not a table lookup per index row. */
	               " WHERE +e.report_id >= :lo AND +e.report_id <= :hi"
	               " AND e.kind = 'step' AND NOT EXISTS (SELECT 1"
	               " FROM report_events u WHERE u.target = e.id"
	               " AND u.kind = 'undo')") < 0 ||
	    stmt_bind_int(st, ":lo", c->refs[0].id) < 0 ||
	    stmt_bind_int(st, ":hi", c->refs[c->nrefs - 1].id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t id = stmt_int(st, 0), at;
		const struct ref *ref = find_ref(c, id, &hint);
		const struct names *nm;
		struct ev *e;

		if (!ref || stats_parse_at(stmt_text(st, 1), &at) < 0)
			continue;
		nm = &ps->nm[ref->type];
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
int
stats_report_events(struct computation *c, const struct workflows *wfs)
{
	struct stats_result *r = c->out;
	struct pass ps;
	struct ev *evs = NULL;
	size_t nev = 0, i, e = 0;
	int ret = -1;

	memset(&ps, 0, sizeof(ps));
	for (i = 0; i < ST_TYPES; i++) {
		/* A type not counted has no refs: its names are not read. */
		if (!c->type_name[i])
			continue;
		names_init(&ps.nm[i], workflows_get(wfs, c->rtype[i]));
		if (ps.maxdl < workflow_deadline_count(ps.nm[i].wf))
			ps.maxdl = workflow_deadline_count(ps.nm[i].wf);
	}
	ps.now = (time_t)c->now;
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
