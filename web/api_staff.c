/*
 * api_staff.c - the staff endpoints of the JSON API (see api.h).
 *
 * Each handler runs with the one-request session api_authenticate made
 * from the bearer token: its roles are the token's, its keyrings those
 * the roles use. Each calls the core/ function the page calls (casework.h
 * for cases, meeting.h), so reads, changes and refusals are audited with
 * the user's name exactly as on the pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "apijson.h"
#include "apitokens.h"
#include "case.h"
#include "casenumber.h"
#include "casework.h"
#include "clock.h"
#include "config.h"
#include "events.h"
#include "form.h"
#include "handoff.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "meeting.h"
#include "norm.h"
#include "retention.h"
#include "session.h"
#include "shared.h"
#include "users.h"
#include "widget.h"
#include "workflow.h"

#define MAX_TRANSITIONS 32
#define MAX_FIELDS 8

static int
fail(struct request *req, unsigned status, const char *detail)
{
	return api_fail(req, status, detail);
}

static int
one_refusal(struct request *req, const char *field, const char *code,
            size_t max)
{
	struct apijson_errors errs;

	memset(&errs, 0, sizeof(errs));
	apijson_error_add(&errs, field, code, max);
	return api_invalid(req, &errs);
}

static enum workflow_lang
wlang(const struct request *req)
{
	return req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL;
}

static void
time_json(struct buf *o, time_t t)
{
	char text[CLOCK_TEXT_LEN + 1];

	if (!t) {
		buf_adds(o, "null");
		return;
	}
	clock_format(t, text);
	json_quote(o, text);
}

int
api_me(struct request *req)
{
	const struct session *s = req->session;
	struct buf *o = api_json_begin(req, 200);
	char roles[128];
	size_t i;

	buf_adds(o, "{\"username\":");
	json_quote(o, s->username);
	buf_adds(o, ",\"roles\":[");
	apitokens_roles_text(s->roles, roles, sizeof(roles));
	/* "a, b" as a JSON list. */
	{
		char *p = roles, *comma;
		int first = 1;

		while (*p) {
			comma = strstr(p, ", ");
			if (comma)
				*comma = '\0';
			if (!first)
				buf_addch(o, ',');
			json_quote(o, p);
			first = 0;
			if (!comma)
				break;
			p = comma + 2;
		}
	}
	buf_adds(o, "],\"keyrings\":[");
	for (i = 0; i < s->nrings; i++) {
		if (i)
			buf_addch(o, ',');
		json_quote(o, s->rings[i].name);
	}
	buf_adds(o, "]}\n");
	return 0;
}

/* ---- Inbox and case -------------------------------------------------- */

static void
summary_json(struct request *req, struct buf *o, const struct case_summary *c)
{
	const struct workflow_state *st =
		workflow_state_find(web_workflow(req, c->type), c->state);

	/* A case is named by its number (casenumber.h), never its row. */
	buf_adds(o, "{\"id\":");
	json_quote(o, c->number);
	buf_adds(o, ",\"type\":");
	json_quote(o, report_type_name(c->type));
	api_member(o, "state", c->state);
	api_member(o, "state_label", st ? st->label[wlang(req)] : c->state);
	api_member(o, "received_on", c->received_on);
	api_member(o, "source", c->source);
	api_member(o, "phenomenon", c->phenomenon);
	api_member(o, "assignee", c->assignee);
	buf_adds(o, ",\"next_due\":");
	time_json(o, c->next_due);
	/* The one verdict on the deadline due next, as the inbox page shows. */
	buf_adds(o, ",\"verdict\":");
	if (c->next_due)
		json_quote(o, deadline_verdict_name(c->verdict));
	else
		buf_adds(o, "null");
	buf_addf(o, ",\"overdue\":%s,\"final\":%s", c->overdue ? "true" : "false",
	         c->final ? "true" : "false");
	/* An oral report: where the reporter's check stands (core/oral.h). */
	buf_adds(o, ",\"oral\":");
	if (c->oral != ORAL_NONE)
		json_quote(o, oral_state_name(c->oral));
	else
		buf_adds(o, "null");
	buf_addch(o, '}');
}

int
api_inbox(struct request *req)
{
	const char *typetext = web_query(req, "type");
	const char *state = web_query(req, "state");
	const char *flag;
	struct inbox_filter f = { NULL, NULL, 0, 1 };
	struct case_summary *cases = NULL;
	struct ring_key key;
	enum report_type t;
	struct buf *o;
	size_t n = 0, i;

	if (!typetext || report_type_parse(typetext, &t) < 0)
		return fail(req, 400, "type names no report type.");
	if (case_ring_key(req, t, &key) < 0)
		return fail(req, 403, web_text(req, "case.no_keyring"));
	if (state && *state) {
		if (!workflow_state_find(web_workflow(req, t), state))
			return fail(req, 400, "state is not a state of this workflow.");
		f.state = state;
	}
	flag = web_query(req, "overdue");
	f.overdue_only = flag && strcmp(flag, "true") == 0;
	flag = web_query(req, "closed");
	f.open_only = !(flag && strcmp(flag, "true") == 0);
	if (case_inbox(req->inst, web_workflows(req), t, &key, &f, clock_now(),
	               web_due_soon(req), &cases, &n) < 0)
		return -1;
	o = api_json_begin(req, 200);
	buf_adds(o, "{\"type\":");
	json_quote(o, report_type_name(t));
	buf_adds(o, ",\"cases\":[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(o, ',');
		summary_json(req, o, &cases[i]);
	}
	buf_adds(o, "]}\n");
	free(cases);
	return 0;
}

/*
 * The answer to a case action that did not succeed, as the page gives it:
 * an unknown id and a report of another keyring are told apart only by
 * status (404, 403), never by content; a step the workflow refuses is 403
 * for a role, 409 for the rest; a failure is -1.
 */
static int
case_refused(struct request *req, const struct outcome *o)
{
	struct buf detail = BUF_INIT;
	int ret;

	if (o->verdict == VERDICT_NOT_FOUND)
		return fail(req, 404, web_text(req, "case.not_found"));
	if (casework_no_keyring(o))
		return fail(req, 403, web_text(req, CASEWORK_NO_KEYRING));
	if (o->verdict == VERDICT_FAILED || !o->key)
		return -1;
	buf_adds(&detail, web_text(req, o->key));
	if (o->field) {
		buf_adds(&detail, " (");
		buf_adds(&detail, o->field);
		buf_adds(&detail, ")");
	}
	/* A workflow rule broken: its name (workflow_fields.h). */
	if (o->arg && strcmp(o->key, "workflow.refused.rule") == 0)
		buf_addf(&detail, " [%s]", o->arg);
	ret = fail(req, o->verdict == VERDICT_REFUSED ? 403 : 409, detail.data);
	buf_release(&detail);
	return ret;
}

/* The summary of report id after an action, status 200. */
static int
case_after(struct request *req, int64_t id)
{
	struct case_summary c;

	if (case_get(req->inst, id, &c) != 0)
		return -1;
	case_status(req->inst, web_workflows(req), &c, clock_now(),
	            web_due_soon(req));
	summary_json(req, api_json_begin(req, 200), &c);
	buf_addch(&req->out, '\n');
	return 0;
}

static void
transitions_json(struct request *req, struct buf *o, const struct case_summary *c)
{
	const struct workflow_transition *tr[MAX_TRANSITIONS];
	size_t n = 0, i, k;

	buf_adds(o, ",\"transitions\":[");
	if (events_allowed(req->inst->db, web_workflows(req), c->id,
	                   req->session->roles, tr, MAX_TRANSITIONS, &n,
	                   NULL) == 0) {
		for (i = 0; i < n && i < MAX_TRANSITIONS; i++) {
			buf_adds(o, i ? ",{\"name\":" : "{\"name\":");
			json_quote(o, tr[i]->name);
			api_member(o, "label", tr[i]->label[wlang(req)]);
			buf_adds(o, ",\"to\":");
			if (tr[i]->to)
				json_quote(o, tr[i]->to);
			else
				buf_adds(o, "null");
			buf_adds(o, ",\"fields\":[");
			for (k = 0; k < tr[i]->nfields; k++) {
				if (k)
					buf_addch(o, ',');
				json_quote(o, tr[i]->fields[k]);
			}
			buf_addf(o, "],\"feedback\":%s}",
			         tr[i]->feedback ? "true" : "false");
		}
	}
	buf_addch(o, ']');
}

static void
deadlines_json(struct request *req, struct buf *o, const struct case_summary *c)
{
	/* state: the verdict in the four words of API version 1. */
	static const char *const states[] = {
		[DEADLINE_OPEN] = "pending",
		[DEADLINE_DUE_SOON] = "pending",
		[DEADLINE_OVERDUE] = "overdue",
		[DEADLINE_MET] = "met",
		[DEADLINE_MET_LATE] = "met",
		[DEADLINE_STOPPED] = "stopped",
	};
	const struct workflow *wf = web_workflow(req, c->type);
	size_t max = workflow_deadline_count(wf), n = 0, i;
	struct workflow_deadline_status *d;

	buf_adds(o, ",\"deadlines\":[");
	d = calloc(max ? max : 1, sizeof(*d));
	if (!d)
		die("out of memory");
	if (max && events_deadlines(req->inst->db, web_workflows(req), c->id,
	                            clock_now(), d, max, &n) == 0) {
		for (i = 0; i < n; i++) {
			enum deadline_verdict v = workflow_deadline_verdict(&d[i],
			        clock_now(), web_due_soon(req));

			buf_adds(o, i ? ",{\"name\":" : "{\"name\":");
			json_quote(o, d[i].deadline->name);
			api_member(o, "label", d[i].deadline->label[wlang(req)]);
			buf_adds(o, ",\"due\":");
			time_json(o, d[i].due);
			api_member(o, "state", states[v]);
			api_member(o, "verdict", deadline_verdict_name(v));
			buf_addf(o, ",\"late\":%s}", d[i].late ? "true" : "false");
		}
	}
	buf_addch(o, ']');
	free(d);
}

/* The events, with the values of their fields core opened. */
static void
events_json(struct buf *o, const struct case_view *v)
{
	size_t i, k;

	buf_adds(o, ",\"events\":[");
	for (i = 0; i < v->events.n; i++) {
		const struct event *e = &v->events.items[i];
		const struct event_fields *ef = &v->fields[i];

		buf_addf(o, "%s{\"id\":%lld,\"at\":", i ? "," : "",
		         (long long)e->id);
		json_quote(o, e->at_text);
		/* A correction or undo names its step; an undone step says so. */
		api_member(o, "kind", event_kind_name(e->kind));
		if (e->kind != EVENT_STEP)
			buf_addf(o, ",\"step\":%lld", (long long)e->target);
		else
			buf_addf(o, ",\"undone\":%s",
			         e->undone_by >= 0 ? "true" : "false");
		api_member(o, "actor", e->actor);
		api_member(o, "transition", e->transition);
		api_member(o, "from", e->from);
		api_member(o, "to", e->to);
		buf_adds(o, ",\"fields\":{");
		for (k = 0; k < ef->n; k++) {
			if (k)
				buf_addch(o, ',');
			json_quote(o, ef->items[k].name);
			buf_addch(o, ':');
			json_quote(o, ef->items[k].value);
		}
		buf_adds(o, "}}");
	}
	buf_addch(o, ']');
}

/* ,"handoffs":[...]: the case's recorded hand-offs (core/handoff.h). */
static void
handoffs_json(struct request *req, struct buf *o, int64_t id)
{
	struct handoff_record *h = NULL;
	size_t n = 0, i;

	if (handoff_list(req->inst->db, id, &h, &n) < 0)
		n = 0;
	buf_adds(o, ",\"handoffs\":[");
	for (i = 0; i < n; i++) {
		buf_adds(o, i ? ",{\"at\":" : "{\"at\":");
		json_quote(o, h[i].at);
		api_member(o, "made_by", h[i].made_by);
		api_member(o, "partner", h[i].partner);
		api_member(o, "answers", h[i].answers);
		api_member(o, "files", h[i].files);
		api_member(o, "identity", h[i].identity);
		api_member(o, "sha256", h[i].sha256);
		buf_addch(o, '}');
	}
	buf_addch(o, ']');
	handoff_list_release(h, n);
}

int
api_case(struct request *req)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct case_view v;
	struct outcome oc;
	struct buf *o;
	size_t i;
	int64_t id;

	if (case_number_find(req->inst->db, web_query(req, "id"), &id) != 0)
		id = 0;
	if (casework_read(req->inst, a, id, &v, &oc) !=
	    VERDICT_DONE)
		return case_refused(req, &oc);
	case_status(req->inst, web_workflows(req), &v.c, clock_now(),
	            web_due_soon(req));
	o = api_json_begin(req, 200);
	summary_json(req, o, &v.c);
	buf_truncate(o, o->len - 1);	/* reopen the summary object */
	buf_adds(o, ",\"report\":");
	buf_add(o, v.content->bytes, v.content->len);
	transitions_json(req, o, &v.c);
	deadlines_json(req, o, &v.c);
	events_json(o, &v);
	api_messages_json(o, v.messages, v.nmessages);
	api_oral_json(o, &v.oral);
	buf_adds(o, ",\"notes\":[");
	for (i = 0; i < v.nnotes; i++) {
		buf_adds(o, i ? ",{\"at\":" : "{\"at\":");
		json_quote(o, v.notes[i].at);
		api_member(o, "author", v.notes[i].author);
		buf_adds(o, ",\"text\":");
		json_quote_len(o, v.notes[i].body->bytes, v.notes[i].body->len);
		buf_addch(o, '}');
	}
	buf_addch(o, ']');
	handoffs_json(req, o, v.c.id);
	/* The files of the report and its messages: GET case/file for one. */
	buf_adds(o, ",\"files\":[");
	for (i = 0; i < v.nfiles; i++) {
		buf_addf(o, "%s{\"id\":%lld", i ? "," : "",
		         (long long)v.files[i].id);
		api_member(o, "name", v.files[i].name);
		api_member(o, "type", v.files[i].type);
		buf_addf(o, ",\"size\":%zu}", v.files[i].len);
	}
	/* Whom case/assign accepts: only those who can read the case. */
	buf_adds(o, "],\"assignable\":[");
	for (i = 0; i < v.nassignees; i++) {
		buf_adds(o, i ? ",{\"username\":" : "{\"username\":");
		json_quote(o, v.assignees[i].username);
		api_member(o, "display_name", v.assignees[i].display_name);
		buf_addch(o, '}');
	}
	buf_adds(o, "]}\n");
	case_view_release(&v);
	return 0;
}

static const struct apijson_field transition_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "transition", APIJSON_STRING, 1, WORKFLOW_NAME_MAX },
	{ "expect_state", APIJSON_STRING, 0, REPORT_STATE_MAX },
	{ "fields", APIJSON_TEXTS, 0, WORKFLOW_FIELD_VALUE_MAX },
	{ "message", APIJSON_STRING, 0, 0 },
};

static int64_t
id_of(json_t *body, const char *name)
{
	return (int64_t)json_integer_value(json_object_get(body, name));
}

/*
 * The report a member names by its case number (APIJSON_CASE); 0 when no
 * report has it (core answers 404 and changes nothing).
 */
static int64_t
case_of(struct request *req, json_t *body, const char *name)
{
	int64_t id;

	if (case_number_find(req->inst->db,
	                     json_string_value(json_object_get(body, name)),
	                     &id) != 0)
		return 0;
	return id;
}

int
api_case_transition(struct request *req)
{
	struct workflow_field fields[MAX_FIELDS];
	const char *message, *fname;
	json_t *body = NULL, *fobj, *fval;
	size_t nfields = 0, mlen = 0;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	int64_t id;
	int ret;

	if (api_read_body(req, transition_spec,
	              sizeof(transition_spec) / sizeof(transition_spec[0]),
	              &body) != 0)
		return 0;
	id = case_of(req, body, "id");
	message = json_string_value(json_object_get(body, "message"));
	if (message)
		mlen = json_string_length(json_object_get(body, "message"));
	fobj = json_object_get(body, "fields");
	if (json_object_size(fobj) > MAX_FIELDS) {
		ret = one_refusal(req, "fields", "too_many", MAX_FIELDS);
		goto out;
	}
	json_object_foreach(fobj, fname, fval) {
		fields[nfields].name = fname;
		fields[nfields].value = json_string_value(fval);
		nfields++;
	}
	/* Core checks roles, state, fields; it stores nothing if not. */
	if (casework_step(req->inst, web_workflows(req), a, id,
	                  json_string_value(json_object_get(body, "transition")),
	                  fields, nfields,
	                  json_string_value(json_object_get(body,
	                                                    "expect_state")),
	                  message, mlen, &o) != VERDICT_DONE)
		ret = case_refused(req, &o);
	else
		ret = case_after(req, id);
out:
	json_decref(body);
	return ret;
}

static const struct apijson_field correct_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "step", APIJSON_ID, 1, 0 },
	{ "fields", APIJSON_TEXTS, 1, WORKFLOW_FIELD_VALUE_MAX },
};

static const struct apijson_field undo_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "step", APIJSON_ID, 1, 0 },
	{ "reason", APIJSON_STRING, 1, WORKFLOW_FIELD_VALUE_MAX },
};

/*
 * Correct the fields of a recorded step, or undo the case's last step
 * with a reason (issue 17 point 4): the page's two forms, through
 * casework_correct and casework_undo.
 */
int
api_case_correct(struct request *req)
{
	struct workflow_field fields[MAX_FIELDS];
	json_t *body = NULL, *fobj, *fval;
	const char *fname;
	size_t nfields = 0;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	int64_t id;
	int ret;

	if (api_read_body(req, correct_spec,
	                  sizeof(correct_spec) / sizeof(correct_spec[0]),
	                  &body) != 0)
		return 0;
	id = case_of(req, body, "id");
	fobj = json_object_get(body, "fields");
	if (json_object_size(fobj) > MAX_FIELDS) {
		ret = one_refusal(req, "fields", "too_many", MAX_FIELDS);
		goto out;
	}
	json_object_foreach(fobj, fname, fval) {
		fields[nfields].name = fname;
		fields[nfields].value = json_string_value(fval);
		nfields++;
	}
	if (casework_correct(req->inst, web_workflows(req), a, id,
	                     id_of(body, "step"), fields, nfields, &o) !=
	    VERDICT_DONE)
		ret = case_refused(req, &o);
	else
		ret = case_after(req, id);
out:
	json_decref(body);
	return ret;
}

int
api_case_undo(struct request *req)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	json_t *body = NULL;
	struct outcome o;
	int64_t id;
	int ret;

	if (api_read_body(req, undo_spec, sizeof(undo_spec) / sizeof(undo_spec[0]),
	                  &body) != 0)
		return 0;
	id = case_of(req, body, "id");
	if (casework_undo(req->inst, web_workflows(req), a, id,
	                  id_of(body, "step"),
	                  json_string_value(json_object_get(body, "reason")),
	                  &o) != VERDICT_DONE)
		ret = case_refused(req, &o);
	else
		ret = case_after(req, id);
	json_decref(body);
	return ret;
}

static const struct apijson_field message_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "message", APIJSON_STRING, 1, 0 },
};

static const struct apijson_field note_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "note", APIJSON_STRING, 1, 0 },
};

/* A message to the reporter (note 0) or an internal note (note 1). */
static int
case_text(struct request *req, int note)
{
	const char *member = note ? "note" : "message";
	const char *text;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	json_t *body = NULL;
	int64_t id;
	size_t len;
	int ret = 0;

	if (api_read_body(req, note ? note_spec : message_spec, 2, &body) != 0)
		return 0;
	text = json_string_value(json_object_get(body, member));
	len = json_string_length(json_object_get(body, member));
	if (!len) {
		ret = one_refusal(req, member, "missing", 0);
		goto out;
	}
	id = case_of(req, body, "id");
	if ((note ? casework_note(req->inst, a, id, text, len,
	                          &o)
	          : casework_message(req->inst, a, id, text,
	                             len, &o)) != VERDICT_DONE) {
		ret = case_refused(req, &o);
		goto out;
	}
	{
		struct buf *out = api_json_begin(req, 201);
		char number[CASE_NUMBER_LEN + 1];

		if (case_number_of(req->inst->db, id, number) != 0)
			number[0] = '\0';
		buf_adds(out, "{\"id\":");
		json_quote(out, number);
		buf_addf(out, ",\"%s\":true}\n", note ? "noted" : "sent");
	}
out:
	json_decref(body);
	return ret;
}

int
api_case_message(struct request *req)
{
	return case_text(req, 0);
}

int
api_case_note(struct request *req)
{
	return case_text(req, 1);
}

static const struct apijson_field assign_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "assignee", APIJSON_STRING, 1, USERNAME_MAX },
};

static const struct apijson_field link_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "other", APIJSON_CASE, 1, 0 },
};

static const struct apijson_field hold_spec[] = {
	{ "id", APIJSON_CASE, 1, 0 },
	{ "hold", APIJSON_BOOLEAN, 1, 0 },
	{ "reason", APIJSON_STRING, 1, RETENTION_REASON_MAX },
};

enum case_change { CHANGE_ASSIGN, CHANGE_LINK, CHANGE_HOLD };

/*
 * Assign (a user name, "" to unassign), link to another report of the
 * same type, or set or lift the legal hold: the page's three small
 * actions, through the same core functions, each audited there.
 */
static int
case_change(struct request *req, enum case_change what)
{
	static const struct {
		const struct apijson_field *spec;
		size_t n;
	} specs[] = {
		[CHANGE_ASSIGN] = { assign_spec, 2 },
		[CHANGE_LINK] = { link_spec, 2 },
		[CHANGE_HOLD] = { hold_spec, 3 },
	};
	const struct actor *a;
	struct session_who sa;
	struct outcome o;
	json_t *body = NULL;
	int64_t id;
	int ret = 0;

	if (api_read_body(req, specs[what].spec, specs[what].n, &body) != 0)
		return 0;
	a = session_who(req->session, &sa);
	id = case_of(req, body, "id");
	switch (what) {
	case CHANGE_ASSIGN:
		casework_assign(req->inst, a, id, json_string_value(
		                json_object_get(body, "assignee")), &o);
		break;
	case CHANGE_LINK:
		casework_link(req->inst, a, id, case_of(req, body, "other"), &o);
		break;
	case CHANGE_HOLD:
		casework_hold(req->inst, a, id,
		              json_is_true(json_object_get(body, "hold")),
		              json_string_value(json_object_get(body, "reason")),
		              &o);
		break;
	}
	if (o.verdict == VERDICT_DONE)
		ret = case_after(req, id);
	else if (o.verdict == VERDICT_INVALID && what == CHANGE_ASSIGN)
		ret = one_refusal(req, "assignee", "not_assignable", 0);
	else if (o.verdict == VERDICT_INVALID && what == CHANGE_HOLD)
		ret = one_refusal(req, "reason", "bad_text", 0);
	else if (o.verdict == VERDICT_INVALID && what == CHANGE_LINK)
		ret = fail(req, 409, web_text(req, "case.link_bad"));
	else
		ret = case_refused(req, &o);
	json_decref(body);
	return ret;
}

int
api_case_assign(struct request *req)
{
	return case_change(req, CHANGE_ASSIGN);
}

int
api_case_link(struct request *req)
{
	return case_change(req, CHANGE_LINK);
}

int
api_case_hold(struct request *req)
{
	return case_change(req, CHANGE_HOLD);
}

/* ---- The local signal meeting ---------------------------------------- */

static void
meeting_json(struct buf *o, const struct meeting *m)
{
	buf_addf(o, "{\"id\":%lld,\"held_on\":", (long long)m->id);
	json_quote(o, m->held_on);
	api_member(o, "title", m->title);
	api_member(o, "created_by", m->created_by);
	buf_adds(o, ",\"closed_at\":");
	if (m->closed_at[0])
		json_quote(o, m->closed_at);
	else
		buf_adds(o, "null");
	buf_addf(o, ",\"items\":%zu}", m->items);
}

/* A refusal or failure of core (core/action.h) as a problem document. */
static int
meeting_refused(struct request *req, const struct outcome *o)
{
	unsigned status = o->verdict == VERDICT_NOT_FOUND ? 404
	                  : o->verdict == VERDICT_REFUSED ? 403 : 409;

	if (o->verdict == VERDICT_FAILED)
		return -1;
	return fail(req, status, web_text(req, o->key ? o->key
	                                              : "common.bad_request"));
}

int
api_meetings(struct request *req)
{
	struct session_who w;
	struct outcome o;
	struct meeting *list = NULL;
	struct buf *o_json;
	size_t n = 0, i;
	int overleg;

	/* Members of the overleg see open meetings only, as on the page. */
	if (meeting_list_as(req->inst, session_who(req->session, &w), &list, &n,
	                    &overleg, &o) != VERDICT_DONE)
		return meeting_refused(req, &o);
	o_json = api_json_begin(req, 200);
	buf_adds(o_json, "{\"meetings\":[");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(o_json, ',');
		meeting_json(o_json, &list[i]);
	}
	buf_adds(o_json, "]}\n");
	free(list);
	return 0;
}

static const struct apijson_field meeting_new_spec[] = {
	{ "held_on", APIJSON_STRING, 1, CLOCK_DAY_LEN },
	{ "title", APIJSON_STRING, 0, MEETING_TITLE_MAX },
};

/* The meeting of a change again, as its answer. */
static int
meeting_again(struct request *req, int64_t id, unsigned status)
{
	struct meeting m;

	if (meeting_get(req->inst, id, &m) != 0)
		return -1;
	meeting_json(api_json_begin(req, status), &m);
	buf_addch(&req->out, '\n');
	return 0;
}

int
api_meeting_create(struct request *req)
{
	struct session_who w;
	struct outcome o;
	json_t *body = NULL;
	int ret;

	if (api_read_body(req, meeting_new_spec, 2, &body) != 0)
		return 0;
	meeting_create_as(req->inst, session_who(req->session, &w),
	                  json_string_value(json_object_get(body, "held_on")),
	                  json_string_value(json_object_get(body, "title")), &o);
	if (o.verdict == VERDICT_DONE)
		ret = meeting_again(req, o.id, 201);
	else if (o.verdict == VERDICT_INVALID)
		ret = one_refusal(req, o.field, strcmp(o.field, "held_on") == 0
		                  ? "bad_date" : "bad_text", 0);
	else
		ret = meeting_refused(req, &o);
	json_decref(body);
	return ret;
}

static void
secret_json(struct buf *o, const struct secret *s)
{
	if (s)
		json_quote_len(o, s->bytes, s->len);
	else
		buf_adds(o, "null");
}

int
api_meeting(struct request *req)
{
	struct meeting_item *items = NULL;
	struct session_who w;
	struct outcome oc;
	struct meeting_reader r;
	struct meeting m;
	struct buf *o;
	size_t n = 0, i;
	int64_t id;

	if (widget_parse_id(web_query(req, "id"), &id) < 0)
		id = 0;
	if (meeting_open_as(req->inst, session_who(req->session, &w), id, &m, &r,
	                    &oc) != VERDICT_DONE)
		return meeting_refused(req, &oc);
	/* Each signal as the meeting sees it: its identity withheld. */
	if (meeting_agenda(req->inst, m.id, &r, 1, &items, &n) < 0)
		return -1;
	o = api_json_begin(req, 200);
	meeting_json(o, &m);
	buf_truncate(o, o->len - 1);
	buf_adds(o, ",\"agenda\":[");
	for (i = 0; i < n; i++) {
		char number[CASE_NUMBER_LEN + 1];

		if (case_number_of(req->inst->db, items[i].report_id,
		                   number) != 0)
			number[0] = '\0';
		buf_addf(o, "%s{\"report_id\":", i ? "," : "");
		json_quote(o, number);
		buf_adds(o, ",\"state\":");
		json_quote(o, items[i].state);
		api_member(o, "received_on", items[i].received_on);
		buf_adds(o, ",\"enrichment\":");
		secret_json(o, items[i].enrichment);
		buf_adds(o, ",\"decision\":");
		secret_json(o, items[i].decision);
		/* The content is the JSON form_encode wrote (core/content.h). */
		buf_adds(o, ",\"report\":");
		buf_add(o, items[i].content->bytes, items[i].content->len);
		buf_addch(o, '}');
	}
	buf_adds(o, "]}\n");
	meeting_agenda_release(items, n);
	return 0;
}

static const struct apijson_field agenda_spec[] = {
	{ "id", APIJSON_ID, 1, 0 },
	{ "report_id", APIJSON_CASE, 1, 0 },
};

static const struct apijson_field record_spec[] = {
	{ "id", APIJSON_ID, 1, 0 },
	{ "report_id", APIJSON_CASE, 1, 0 },
	{ "enrichment", APIJSON_STRING, 1, MEETING_TEXT_MAX },
	{ "decision", APIJSON_STRING, 1, MEETING_TEXT_MAX },
	{ "next", APIJSON_STRING, 0, MEETING_NEXT_MAX },
};

static const struct apijson_field close_spec[] = {
	{ "id", APIJSON_ID, 1, 0 },
};

/* The answer to a change: the meeting again, or why it was refused. */
static int
meeting_answer(struct request *req, int64_t id, const struct outcome *o)
{
	struct meeting m;

	/* "Set for {date}": a refusal for the meeting's day names it. */
	if (o->verdict == VERDICT_INVALID && o->key &&
	    meeting_get(req->inst, id, &m) == 0) {
		struct buf text = BUF_INIT;
		int ret;

		i18n_fill(&text, web_text(req, o->key), "date", m.held_on,
		          (const char *)NULL);
		ret = fail(req, 409, text.data);
		buf_release(&text);
		return ret;
	}
	if (o->verdict != VERDICT_DONE)
		return meeting_refused(req, o);
	return meeting_again(req, id, 200);
}

int
api_meeting_agenda(struct request *req)
{
	struct session_who w;
	struct outcome o;
	json_t *body;
	int ret;

	if (api_read_body(req, agenda_spec, 2, &body) != 0)
		return 0;
	meeting_add_as(req->inst, session_who(req->session, &w),
	               id_of(body, "id"), case_of(req, body, "report_id"), &o);
	ret = meeting_answer(req, id_of(body, "id"), &o);
	json_decref(body);
	return ret;
}

int
api_meeting_record(struct request *req)
{
	struct session_who w;
	struct outcome o;
	json_t *body, *e, *d;
	int ret;

	if (api_read_body(req, record_spec, 5, &body) != 0)
		return 0;
	e = json_object_get(body, "enrichment");
	d = json_object_get(body, "decision");
	meeting_record_as(req->inst, session_who(req->session, &w),
	                  id_of(body, "id"), case_of(req, body, "report_id"),
	                  json_string_value(e), json_string_length(e),
	                  json_string_value(d), json_string_length(d),
	                  json_string_value(json_object_get(body, "next")), &o);
	ret = meeting_answer(req, id_of(body, "id"), &o);
	json_decref(body);
	return ret;
}

int
api_meeting_close(struct request *req)
{
	struct session_who w;
	struct outcome o;
	json_t *body;
	int ret;

	if (api_read_body(req, close_spec, 1, &body) != 0)
		return 0;
	meeting_close_as(req->inst, session_who(req->session, &w),
	                 id_of(body, "id"), &o);
	ret = meeting_answer(req, id_of(body, "id"), &o);
	json_decref(body);
	return ret;
}

/* ---- The norm self-assessment (core/norm.h) -------------------------- */

static const struct apijson_field norm_spec[] = {
	{ "year", APIJSON_ID, 1, 0 },
	{ "item", APIJSON_STRING, 1, NORM_NUMBER_MAX },
	{ "status", APIJSON_STRING, 1, 16 },
	{ "explanation", APIJSON_STRING, 0, LIMIT_NORM_TEXT_MAX },
	{ "evidence", APIJSON_STRING, 0, LIMIT_NORM_TEXT_MAX },
	{ "actions", APIJSON_RECORDS, 0, LIMIT_NORM_ACTION_MAX },
};

static const char *const norm_codes[] = {
	[NORM_BAD_YEAR] = "bad_year",
	[NORM_BAD_ITEM] = "bad_item",
	[NORM_BAD_STATUS] = "bad_option",
	[NORM_TOO_LONG] = "too_long",
	[NORM_BAD_TEXT] = "bad_text",
	[NORM_BAD_DATE] = "bad_date",
	[NORM_ACTION_INCOMPLETE] = "incomplete",
	[NORM_TOO_MANY_ACTIONS] = "too_many",
};

/* norm_check's field ("action_owner_2") as the body names it. */
static void
norm_field(const struct norm_problem *p, char *out, size_t size)
{
	const char *part = NULL;

	if (strncmp(p->field, "action_text_", 12) == 0)
		part = "text";
	else if (strncmp(p->field, "action_owner_", 13) == 0)
		part = "owner";
	else if (strncmp(p->field, "action_due_", 11) == 0)
		part = "due";
	if (part)
		snprintf(out, size, "actions[%zu].%s", p->index, part);
	else if (strncmp(p->field, "action_", 7) == 0)
		snprintf(out, size, "actions[%zu]", p->index);
	else
		snprintf(out, size, "%s", p->field);
}

/*
 * A text member, or "" when absent; as the char * core/norm.h's struct
 * holds (it is only read).
 */
static char *
text_or_empty(json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));

	return (char *)(uintptr_t)(v ? v : "");
}

int
api_norm_save(struct request *req)
{
	struct norm_problem probs[NORM_PROBLEMS_MAX];
	struct norm_action *actions = NULL;
	struct norm_assessment a;
	struct apijson_errors errs;
	struct session_who w;
	struct outcome oc;
	const char *status, *item;
	json_t *body = NULL, *list, *rec;
	size_t n, i, k, nprobs = 0;
	int year, ret = 0;

	if (api_read_body(req, norm_spec,
	                  sizeof(norm_spec) / sizeof(norm_spec[0]), &body) != 0)
		return 0;
	memset(&a, 0, sizeof(a));
	memset(&errs, 0, sizeof(errs));
	year = (int)(json_integer_value(json_object_get(body, "year")) > 99999
	             ? 0 : json_integer_value(json_object_get(body, "year")));
	item = json_string_value(json_object_get(body, "item"));
	status = json_string_value(json_object_get(body, "status"));
	if (norm_status_parse(status, &a.status) < 0)
		a.status = NORM_NONE;
	a.explanation = text_or_empty(body, "explanation");
	a.evidence = text_or_empty(body, "evidence");
	list = json_object_get(body, "actions");
	n = json_array_size(list);
	actions = calloc(n ? n : 1, sizeof(*actions));
	if (!actions)
		die("out of memory");
	json_array_foreach(list, i, rec) {
		static const char *const names[] = { "text", "owner", "due" };
		const char *key, *due;
		json_t *v;

		json_object_foreach(rec, key, v) {
			for (k = 0; k < 3 && strcmp(key, names[k]) != 0; k++)
				;
			if (k == 3) {
				char field[APIJSON_NAME_MAX + 48];

				snprintf(field, sizeof(field), "actions[%zu].%.*s", i,
				         APIJSON_NAME_MAX, key);
				apijson_error_add(&errs, field, "unknown_field", 0);
			}
		}
		actions[i].text = text_or_empty(rec, "text");
		actions[i].owner = text_or_empty(rec, "owner");
		due = json_string_value(json_object_get(rec, "due"));
		/* Longer than a day is wrong whatever it says (as the page). */
		snprintf(actions[i].due, sizeof(actions[i].due), "%s",
		         due && strlen(due) <= CLOCK_DAY_LEN ? due : due ? "x" : "");
	}
	a.actions = actions;
	a.nactions = n;
	/* Members the spec does not know refuse it too; the core's own
	 * checks are reported with them, the same as for the page. */
	norm_save_as(req->inst->db, session_who(req->session, &w), req->limits,
	             year, item, &a, errs.total != 0, probs, NORM_PROBLEMS_MAX,
	             &nprobs, &oc);
	if (oc.verdict == VERDICT_INVALID) {
		for (i = 0; i < nprobs && i < NORM_PROBLEMS_MAX; i++) {
			char field[64];

			norm_field(&probs[i], field, sizeof(field));
			apijson_error_add(&errs, field, norm_codes[probs[i].code], 0);
		}
		ret = api_invalid(req, &errs);
		goto out;
	}
	if (oc.verdict == VERDICT_REFUSED) {
		ret = fail(req, 403, web_text(req, oc.key));
		goto out;
	}
	if (oc.verdict != VERDICT_DONE) {
		ret = -1;
		goto out;
	}
	{
		struct buf *o = api_json_begin(req, 200);

		buf_addf(o, "{\"year\":%d", year);
		api_member(o, "item", item);
		api_member(o, "status", norm_status_name(a.status));
		buf_adds(o, "}\n");
	}
out:
	free(actions);
	json_decref(body);
	return ret;
}
