/*
 * workflow.c - the workflow engine (see workflow.h; files are read and
 * checked by workflow_parse.c).
 *
 * Questions about a loaded workflow: its states, transitions and
 * deadlines, whether a role may take a transition from a state, whether
 * a step is complete (workflow_check: the refusal says why not), and the
 * deadlines of a report from its events and messages (working days,
 * what meets a deadline, late or pending).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar.h"
#include "log.h"
#include "schema.h"
#include "users.h"
#include "workflow.h"
#include "workflow_fields.h"
#include "workflow_internal.h"
#include "zone.h"

enum report_type
workflow_type(const struct workflow *wf)
{
	return wf->type;
}

const struct workflow_state *
workflow_initial(const struct workflow *wf)
{
	return wf->initial;
}

size_t
workflow_state_count(const struct workflow *wf)
{
	return wf->nstates;
}

const struct workflow_state *
workflow_state_at(const struct workflow *wf, size_t i)
{
	return i < wf->nstates ? &wf->states[i].pub : NULL;
}

size_t
workflow_transition_count(const struct workflow *wf)
{
	return wf->ntransitions;
}

const struct workflow_transition *
workflow_transition_at(const struct workflow *wf, size_t i)
{
	return i < wf->ntransitions ? &wf->transitions[i].pub : NULL;
}

size_t
workflow_deadline_count(const struct workflow *wf)
{
	return wf->ndeadlines;
}

const struct workflow_deadline *
workflow_deadline_at(const struct workflow *wf, size_t i)
{
	return i < wf->ndeadlines ? &wf->deadlines[i].pub : NULL;
}

const struct workflow_state *
workflow_state_find(const struct workflow *wf, const char *name)
{
	const struct state_item *s = workflow_find_state_item(wf, name);

	return s ? &s->pub : NULL;
}

const struct workflow_transition *
workflow_transition_find(const struct workflow *wf, const char *name)
{
	const struct transition_item *t =
		workflow_find_transition_item(wf, name);

	return t ? &t->pub : NULL;
}

int
workflow_transition_from(const struct workflow_transition *t,
                         const char *state)
{
	return workflow_in_list(t->from, t->nfrom, state);
}

size_t
workflow_allowed(const struct workflow *wf, const char *state,
                 unsigned roles, const struct workflow_transition **out,
                 size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < wf->ntransitions; i++) {
		const struct workflow_transition *t = &wf->transitions[i].pub;

		if (!(t->roles & roles) || !workflow_transition_from(t, state))
			continue;
		if (n < max)
			out[n] = t;
		n++;
	}
	return n;
}

static const char *const refusal_keys[] = {
	[WORKFLOW_OK] = "workflow.ok",
	[WORKFLOW_NO_REPORT] = "workflow.refused.no_report",
	[WORKFLOW_UNKNOWN_TRANSITION] = "workflow.refused.unknown",
	[WORKFLOW_STALE] = "workflow.refused.stale",
	[WORKFLOW_NOT_FROM_HERE] = "workflow.refused.state",
	[WORKFLOW_ROLE] = "workflow.refused.role",
	[WORKFLOW_FIELD_MISSING] = "workflow.refused.field_missing",
	[WORKFLOW_FIELD_UNKNOWN] = "workflow.refused.field_unknown",
	[WORKFLOW_FIELD_TOO_LONG] = "workflow.refused.field_too_long",
	[WORKFLOW_FIELD_INVALID] = "workflow.refused.field_invalid",
	[WORKFLOW_RULE] = "workflow.refused.rule",
	[WORKFLOW_HANDOFF] = "workflow.refused.handoff",
};

const char *
workflow_refusal_key(enum workflow_refusal r)
{
	if ((size_t)r >= sizeof(refusal_keys) / sizeof(refusal_keys[0]))
		return "workflow.refused";
	return refusal_keys[r];
}

static enum workflow_refusal
refuse(struct workflow_verdict *v, enum workflow_refusal r, const char *field,
       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum workflow_refusal
refuse(struct workflow_verdict *v, enum workflow_refusal r, const char *field,
       const char *fmt, ...)
{
	va_list ap;

	v->reason = r;
	v->key = workflow_refusal_key(r);
	v->field = field;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
	return r;
}

static int
blank(const char *s)
{
	for (; *s; s++)
		if (!workflow_is_space(*s))
			return 0;
	return 1;
}

enum workflow_refusal
workflow_check(const struct workflow *wf, const char *state, const char *name,
               unsigned roles, const struct workflow_field *fields,
               size_t nfields, const char *expect_state,
               struct workflow_verdict *v)
{
	const struct workflow_transition *t;
	struct buf who = BUF_INIT;
	unsigned bit;

	memset(v, 0, sizeof(*v));
	v->key = workflow_refusal_key(WORKFLOW_OK);
	/* Names only in messages: a field's value may be report content. */
	t = workflow_transition_find(wf, name);
	if (!t)
		return refuse(v, WORKFLOW_UNKNOWN_TRANSITION, NULL, "the %s "
		              "workflow has no transition '%.64s'",
		              report_type_name(wf->type), name);
	if (expect_state && strcmp(expect_state, state) != 0)
		return refuse(v, WORKFLOW_STALE, NULL, "the report is now in "
		              "state %s, not %.64s: someone else moved it",
		              state, expect_state);
	if (!workflow_transition_from(t, state))
		return refuse(v, WORKFLOW_NOT_FROM_HERE, NULL, "%s is not "
		              "allowed from state %s", t->name, state);
	if (!(t->roles & roles)) {
		for (bit = 1; bit && bit <= t->roles; bit <<= 1)
			if (t->roles & bit)
				buf_addf(&who, "%s%s", who.len ? " or " : "",
				         role_name((enum role)bit));
		refuse(v, WORKFLOW_ROLE, NULL, "%s needs the role %s", t->name,
		       who.data);
		buf_release(&who);
		return v->reason;
	}
	return workflow_check_fields(wf, t, fields, nfields, v);
}

enum workflow_refusal
workflow_check_fields(const struct workflow *wf,
                      const struct workflow_transition *t,
                      const struct workflow_field *fields, size_t nfields,
                      struct workflow_verdict *v)
{
	size_t i, j;

	memset(v, 0, sizeof(*v));
	v->key = workflow_refusal_key(WORKFLOW_OK);
	for (i = 0; i < nfields; i++) {
		if (!workflow_in_list(t->fields, t->nfields, fields[i].name))
			return refuse(v, WORKFLOW_FIELD_UNKNOWN, fields[i].name,
			              "%s does not take a field '%.64s'", t->name,
			              fields[i].name);
		for (j = 0; j < i; j++)
			if (strcmp(fields[j].name, fields[i].name) == 0)
				return refuse(v, WORKFLOW_FIELD_UNKNOWN,
				              fields[i].name, "field %.64s is given "
				              "twice", fields[i].name);
		if (fields[i].value &&
		    strlen(fields[i].value) > WORKFLOW_FIELD_VALUE_MAX)
			return refuse(v, WORKFLOW_FIELD_TOO_LONG, fields[i].name,
			              "field %s is longer than %d bytes",
			              fields[i].name, WORKFLOW_FIELD_VALUE_MAX);
	}
	for (i = 0; i < t->nfields; i++) {
		for (j = 0; j < nfields; j++)
			if (strcmp(fields[j].name, t->fields[i]) == 0)
				break;
		if (j == nfields || !fields[j].value || blank(fields[j].value))
			return refuse(v, WORKFLOW_FIELD_MISSING, t->fields[i],
			              "%s needs the field %s", t->name,
			              t->fields[i]);
	}
	return workflow_fields_check_step(wf, t, fields, nfields, v);
}

/*
 * Days are the organisation's local days (zone.h) and working days skip
 * weekends, public holidays and closing days (calendar.h): a deadline
 * "end of the 7th day" ends at local midnight, summer time or not; one of
 * months at the end of the same day of the month that many months on.
 */
time_t
workflow_due(enum workflow_unit unit, int amount, time_t start)
{
	int64_t day = zone_day(start);

	switch (unit) {
	case WORKFLOW_MONTHS:
		return zone_day_start(calendar_add_months(day, amount) + 1);
	case WORKFLOW_HOURS:
		return start + (time_t)amount * 3600;
	case WORKFLOW_DAYS:
		return zone_day_start(day + amount + 1);
	case WORKFLOW_WORKING_DAYS:
		return zone_day_start(calendar_add_workdays(calendar_current(), day,
		                                            amount) + 1);
	}
	return start;
}

enum deadline_verdict
workflow_deadline_verdict(const struct workflow_deadline_status *d,
                          time_t now, unsigned soon)
{
	switch (d->state) {
	case WORKFLOW_DEADLINE_MET:
		return d->late ? DEADLINE_MET_LATE : DEADLINE_MET;
	case WORKFLOW_DEADLINE_STOPPED:
		return DEADLINE_STOPPED;
	case WORKFLOW_DEADLINE_OVERDUE:
		return DEADLINE_OVERDUE;
	case WORKFLOW_DEADLINE_PENDING:
		break;
	}
	/* The engine computed the state at its own now; this one decides. */
	if (now >= d->due)
		return DEADLINE_OVERDUE;
	if (d->due <= workflow_due(WORKFLOW_WORKING_DAYS, (int)soon, now))
		return DEADLINE_DUE_SOON;
	return DEADLINE_OPEN;
}

const char *
deadline_verdict_name(enum deadline_verdict v)
{
	static const char *const names[] = {
		[DEADLINE_OPEN] = "open",
		[DEADLINE_DUE_SOON] = "due_soon",
		[DEADLINE_OVERDUE] = "overdue",
		[DEADLINE_MET] = "met",
		[DEADLINE_MET_LATE] = "met_late",
		[DEADLINE_STOPPED] = "stopped",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

/* When the deadline starts; 0 and *start, or -1 when it has not. */
static int
deadline_start(const struct workflow *wf, const struct workflow_deadline *d,
               time_t received, const struct workflow_step *steps,
               size_t nsteps, time_t *start)
{
	size_t i;

	if (d->start == WORKFLOW_START_RECEIPT) {
		*start = received;
		return 0;
	}
	for (i = nsteps; i-- > 0;)
		if (workflow_in_list(d->start_states, d->nstart, steps[i].to) &&
		    !workflow_in_list(d->start_states, d->nstart, steps[i].from)) {
			*start = steps[i].at;
			return 0;
		}
	/* Never moved in: it counts from receipt if it starts there. */
	if (wf->initial && workflow_in_list(d->start_states, d->nstart,
	                                    wf->initial->name)) {
		*start = received;
		return 0;
	}
	return -1;
}

/* The first moment at or after start that meets d; 0 when none. */
static time_t
deadline_met(const struct workflow_deadline *d, time_t start,
             const struct workflow_step *steps, size_t nsteps,
             const time_t *messages, size_t nmessages)
{
	time_t first = 0;
	size_t i;

	if (d->met == WORKFLOW_MET_MESSAGE) {
		for (i = 0; i < nmessages; i++)
			if (messages[i] >= start && (!first || messages[i] < first))
				first = messages[i];
		return first;
	}
	for (i = 0; i < nsteps; i++) {
		const struct workflow_step *s = &steps[i];
		int hit = 0;

		if (s->at < start)
			continue;
		if (d->met == WORKFLOW_MET_REACH)
			hit = strcmp(s->from, s->to) != 0 &&
			      workflow_in_list(d->met_names, d->nmet, s->to);
		else if (d->met == WORKFLOW_MET_LEAVE)
			hit = strcmp(s->from, s->to) != 0 &&
			      workflow_in_list(d->met_names, d->nmet, s->from);
		else
			hit = workflow_in_list(d->met_names, d->nmet, s->transition);
		if (hit)
			return s->at;
	}
	return 0;
}

/* The first of d's stop transitions at or after start; 0 when none. */
static time_t
deadline_stop(const struct workflow_deadline *d, time_t start,
              const struct workflow_step *steps, size_t nsteps)
{
	size_t i;

	for (i = 0; d->nstop && i < nsteps; i++)
		if (steps[i].at >= start &&
		    workflow_in_list(d->stop_names, d->nstop, steps[i].transition))
			return steps[i].at;
	return 0;
}

size_t
workflow_deadlines(const struct workflow *wf, time_t received,
                   const struct workflow_step *steps, size_t nsteps,
                   const time_t *messages, size_t nmessages, time_t now,
                   struct workflow_deadline_status *out, size_t max)
{
	const struct workflow_state *cur = wf->initial;
	time_t final_at = 0;
	size_t i, n = 0;

	if (nsteps)
		cur = workflow_state_find(wf, steps[nsteps - 1].to);
	if (cur && cur->final) {
		for (i = nsteps; i-- > 0;)
			if (strcmp(steps[i].to, cur->name) == 0 &&
			    strcmp(steps[i].from, cur->name) != 0) {
				final_at = steps[i].at;
				break;
			}
	}
	for (i = 0; i < wf->ndeadlines; i++) {
		const struct workflow_deadline *d = &wf->deadlines[i].pub;
		struct workflow_deadline_status st;
		time_t met, stop;

		memset(&st, 0, sizeof(st));
		if (deadline_start(wf, d, received, steps, nsteps, &st.start) < 0)
			continue;
		st.deadline = d;
		st.due = workflow_due(d->unit, d->amount, st.start);
		met = deadline_met(d, st.start, steps, nsteps, messages,
		                   nmessages);
		stop = deadline_stop(d, st.start, steps, nsteps);
		if (stop && (!met || stop < met)) {
			st.state = WORKFLOW_DEADLINE_STOPPED;
			st.done_at = stop;
		} else if (met) {
			st.state = WORKFLOW_DEADLINE_MET;
			st.done_at = met;
		} else if (final_at && !(d->start == WORKFLOW_START_ENTER &&
		           workflow_in_list(d->start_states, d->nstart, cur->name))) {
			st.state = WORKFLOW_DEADLINE_STOPPED;
			st.done_at = final_at;
		} else if (now > st.due) {
			st.state = WORKFLOW_DEADLINE_OVERDUE;
		} else {
			st.state = WORKFLOW_DEADLINE_PENDING;
		}
		st.late = st.done_at > st.due;
		if (n < max)
			out[n] = st;
		n++;
	}
	return n;
}
