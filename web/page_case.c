/*
 * page_case.c - the case page of handlers (the inbox: page_inbox.c).
 *
 * A handler sees the reports of the keyrings their session holds: the
 * coordinator the signals (signalen), the VPT coordinator the incidents
 * (agressie). Every page and action calls one function of
 * core/casework.c, which checks, opens or stores, audits (refusals too)
 * and answers an outcome; this file parses the form and renders that
 * outcome, as web/api_staff.c does for the API. Actions are small POST
 * forms, each carrying the session's CSRF token; after an action the
 * browser is sent back to the case page (303), so a reload never repeats
 * it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "case.h"
#include "casenumber.h"
#include "casework.h"
#include "dossier.h"
#include "handoff.h"
#include "clock.h"
#include "config.h"
#include "filetype.h"
#include "form.h"
#include "html.h"
#include "install.h"
#include "layout.h"
#include "log.h"
#include "page_case.h"
#include "page_case_internal.h"
#include "page_document.h"
#include "page_handoff.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "shared.h"
#include "widget.h"
#include "workflow.h"
#include "workflow_fields.h"

#define MAX_TRANSITIONS 32
#define MAX_FIELDS 8

/* A file's row id (positive decimal, nothing else), or 0. */
static int64_t
file_of(const char *s)
{
	int64_t id;

	return widget_parse_id(s, &id) < 0 ? 0 : id;
}

static enum workflow_lang
wlang(const struct request *req)
{
	return req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL;
}

int
case_ring_key(const struct request *req, enum report_type t,
              struct ring_key *key)
{
	const struct session_ring *r = session_ring(req->session,
	                                            report_type_keyring(t));

	if (!r)
		return -1;
	key->pk = r->pk;
	key->sk = r->sk;
	return 0;
}

/*
 * The report whose case number is text (query or form; casenumber.h), or
 * 0 when text is no case number or no report has it: the action then
 * answers 404 and changes nothing. A row id (an old link) is no case
 * number.
 */
static int64_t
id_of(struct request *req, const char *text)
{
	int64_t id;

	return case_number_find(req->inst->db, text, &id) == 0 ? id : 0;
}

/* The case number of report id into out ("" when it has none). */
static const char *
number_of(struct request *req, int64_t id, char out[CASE_NUMBER_LEN + 1])
{
	if (case_number_of(req->inst->db, id, out) != 0)
		out[0] = '\0';
	return out;
}

/*
 * The page for an outcome that leaves no case to show: no such report
 * (404), not the session's keyring (403), or a failure (-1).
 */
static int
case_gone(struct request *req, const struct outcome *o)
{
	if (o->verdict == VERDICT_NOT_FOUND)
		return web_fail_key(req, 404, "case.not_found");
	if (casework_no_keyring(o))
		return web_fail_key(req, 403, "case.no_keyring");
	return -1;
}

static const char *
state_label(const struct request *req, enum report_type t, const char *state)
{
	const struct workflow *wf = web_workflow(req, t);
	const struct workflow_state *s = workflow_state_find(wf, state);

	return s ? s->label[wlang(req)] : state;
}

static void
time_text(time_t t, char out[CLOCK_TEXT_LEN + 1])
{
	clock_format(t, out);
}

static void
option_text(const struct request *req, enum report_type t, const char *field,
            const char *option, struct buf *out)
{
	struct buf key = BUF_INIT;

	buf_addf(&key, "%s.%s.%s", report_type_name(t), field, option);
	buf_adds(out, web_text(req, key.data));
	buf_release(&key);
}

static void
hidden(struct request *req, const char *name, const char *value)
{
	widget_hidden(req, name, value);
}

/* A form of an action on case c: it names the case by its number. */
static void
form_open(struct request *req, const char *action,
          const struct case_summary *c)
{
	widget_form_post(req, action);
	widget_hidden(req, "id", c->number);
}

static void
textarea(struct request *req, const char *name, const char *id,
         const char *label)
{
	widget_textarea(req, name, id, label, NULL);
}

static void
text_input(struct request *req, const char *name, const char *id,
           const char *label)
{
	widget_text(req, "text", name, id, label, NULL);
}

static void
button(struct request *req, const char *text, int primary)
{
	widget_button(req, text, primary);
}

/*
 * The label of a transition's field: the workflow's declaration when it
 * has one, else the catalogue's, else the name.
 */
static const char *
field_label(const struct request *req, enum report_type t, const char *name,
            struct buf *key)
{
	const struct workflow_field_def *d =
		workflow_field_def(web_workflow(req, t), name);

	if (d && d->label[wlang(req)])
		return d->label[wlang(req)];
	buf_reset(key);
	buf_addf(key, "case.field.%s", name);
	return i18n_has(key->data) ? web_text(req, key->data) : name;
}

/*
 * Whom the case may be assigned to: only those who can read it (core's
 * case_assignees), the current one selected, "nobody" to let go.
 */
static void
assign_input(struct request *req, const struct case_view *v)
{
	struct buf text = BUF_INIT;
	size_t i;

	widget_select_open(req, "assignee", "f-assignee",
	                   web_text(req, "case.assign_label"));
	widget_option(req, "", web_text(req, "case.nobody"), v->c.assignee);
	for (i = 0; i < v->nassignees; i++) {
		buf_reset(&text);
		if (v->assignees[i].display_name[0])
			buf_addf(&text, "%s (%s)", v->assignees[i].display_name,
			         v->assignees[i].username);
		else
			buf_adds(&text, v->assignees[i].username);
		widget_option(req, v->assignees[i].username, text.data,
		              v->c.assignee);
	}
	html_raw(&req->out, "</select></div>\n");
	buf_release(&text);
}

/* A choice field as a <select>, value (may be NULL) selected. */
static void
choice_input(struct request *req, const struct workflow_field_def *d,
             const char *id, const char *label, const char *value)
{
	size_t i;

	widget_select_open(req, d->name, id, label);
	widget_option(req, "", web_text(req, "case.choose"), value ? value : "");
	for (i = 0; i < d->nchoices; i++)
		widget_option(req, d->choices[i],
		              workflow_choice_label(d, d->choices[i], wlang(req)),
		              value);
	html_raw(&req->out, "</select></div>\n");
}

/*
 * One field of a step's form, as its type asks; value is what was typed
 * before a refusal (NULL: none), so nothing typed is lost.
 */
static void
field_input(struct request *req, enum report_type type, const char *name,
            const char *id, const char *value)
{
	const struct workflow_field_def *d =
		workflow_field_def(web_workflow(req, type), name);
	struct buf key = BUF_INIT;
	const char *label = field_label(req, type, name, &key);

	if (d && d->type == WORKFLOW_FIELD_CHOICE)
		choice_input(req, d, id, label, value);
	else
		widget_text(req, d && d->type == WORKFLOW_FIELD_DATE ? "date"
		                                                     : "text",
		            name, id, label, value);
	buf_release(&key);
}

/*
 * The step the last signal meeting proposed for this case, when it can be
 * taken now: NULL or the outcome that proposed it.
 */
static const struct meeting_outcome *
proposed_step(const struct case_view *v,
              const struct workflow_transition *const *tr, size_t n,
              size_t *at)
{
	const struct meeting_outcome *last = NULL;
	size_t i;

	for (i = 0; i < v->nmeetings; i++)
		if (v->meetings[i].next[0])
			last = &v->meetings[i];
	for (i = 0; last && i < n; i++) {
		if (strcmp(tr[i]->name, last->next) == 0) {
			*at = i;
			return last;
		}
	}
	return NULL;
}

static void
render_transitions(struct request *req, const struct case_view *v)
{
	const struct case_summary *c = &v->c;
	const struct workflow_transition *tr[MAX_TRANSITIONS];
	const struct meeting_outcome *proposal;
	char state[REPORT_STATE_MAX + 1];
	struct buf key = BUF_INIT, id = BUF_INIT;
	/* After a refused step: its form shows what was typed. */
	const char *posted = req->post ? post_get(req->post, "transition")
	                               : NULL;
	size_t n = 0, i, k, first = 0;

	if (events_allowed(req->inst->db, web_workflows(req), c->id,
	                   req->session->roles, tr, MAX_TRANSITIONS, &n,
	                   state) != 0 || !n)
		return;
	if (n > MAX_TRANSITIONS)
		n = MAX_TRANSITIONS;
	proposal = proposed_step(v, tr, n, &first);
	if (proposal) {
		/* The proposed step first, as the primary choice. */
		const struct workflow_transition *t = tr[first];

		memmove(&tr[1], &tr[0], first * sizeof(tr[0]));
		tr[0] = t;
	}
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "case.next_steps"));
	html_raw(&req->out, "</h2>\n<div class=\"meldpunt-transitions\">\n");
	for (i = 0; i < n; i++) {
		int kept = posted && strcmp(posted, tr[i]->name) == 0;

		if (i == 0 && proposal) {
			char day[CLOCK_SHOW_LEN + 1];

			widget_time_text(req, proposal->held_on, day);
			buf_reset(&key);
			i18n_fill(&key, web_text(req, "case.proposed_by_meeting"),
			          "date", day, (const char *)NULL);
			html_raw(&req->out, "<p class=\"utrecht-paragraph\" "
			         "id=\"proposed-step\">");
			html_text(&req->out, key.data);
			html_raw(&req->out, "</p>\n");
		}
		form_open(req, PATH_CASE_TRANSITION, c);
		hidden(req, "transition", tr[i]->name);
		hidden(req, "expect_state", state);
		for (k = 0; k < tr[i]->nfields; k++) {
			buf_reset(&id);
			buf_addf(&id, "f-%s-%s", tr[i]->name, tr[i]->fields[k]);
			field_input(req, c->type, tr[i]->fields[k], id.data,
			            kept ? post_get(req->post, tr[i]->fields[k])
			                 : NULL);
		}
		if (tr[i]->feedback) {
			buf_reset(&id);
			buf_addf(&id, "f-%s-message", tr[i]->name);
			widget_textarea_typed(req, "message", id.data,
			                web_text(req, "case.feedback_message"),
			                kept ? post_get(req->post, "message")
			                     : NULL);
		}
		button(req, tr[i]->label[wlang(req)], i == 0 && proposal);
		html_raw(&req->out, "</form>\n");
	}
	html_raw(&req->out, "</div>\n");
	buf_release(&key);
	buf_release(&id);
}

/*
 * One entry of the timeline, collected from events, messages, notes and
 * the signal meetings' outcomes.
 */
struct entry {
	char at[CLOCK_TEXT_LEN + 1];
	/* What it sorts by: at, but see the oral report's rows below. */
	char key[CLOCK_TEXT_LEN + 1];
	int kind;		/* 0 event, 1 message, 2 note, 3 meeting,
				 * 4 an oral report's record, correction or
				 * approval, 5 a hand-off */
	size_t index;
};

static int
compare_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	/* Rows of one kind in the order they were listed (qsort is not
	 * stable). */
	return (a->index > b->index) - (a->index < b->index);
}

/* What a signal meeting decided, in the timeline: day, notes, step. */
static void
render_meeting_entry(struct request *req, const struct meeting_outcome *m)
{
	const struct workflow_transition *t = m->next[0]
		? workflow_transition_find(web_workflow(req, REPORT_SIGNAL),
		                           m->next) : NULL;
	char day[CLOCK_SHOW_LEN + 1];
	struct buf text = BUF_INIT, href = BUF_INIT;

	html_text(&req->out, m->updated_by);
	html_raw(&req->out, ": ");
	widget_time_text(req, m->held_on, day);
	i18n_fill(&text, web_text(req, "case.meeting_outcome"), "date", day,
	          (const char *)NULL);
	buf_addf(&href, PATH_MEETING_MINUTES "?id=%lld", (long long)m->meeting_id);
	widget_link(req, href.data, text.data);
	html_raw(&req->out, "</p>\n<dl class=\"meldpunt-fields\">\n<dt>");
	html_text(&req->out, web_text(req, "meeting.enrichment"));
	html_raw(&req->out, "</dt><dd class=\"meldpunt-message-body\">");
	buf_reset(&text);
	buf_add(&text, m->enrichment->bytes, m->enrichment->len);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "meeting.decision"));
	html_raw(&req->out, "</dt><dd class=\"meldpunt-message-body\">");
	buf_wipe_release(&text);
	buf_add(&text, m->decision->bytes, m->decision->len);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</dd>\n");
	if (m->next[0]) {
		html_raw(&req->out, "<dt>");
		html_text(&req->out, web_text(req, "meeting.next_label"));
		html_raw(&req->out, "</dt><dd>");
		html_text(&req->out, t ? t->label[wlang(req)] : m->next);
		html_raw(&req->out, "</dd>\n");
	}
	html_raw(&req->out, "</dl>\n");
	buf_wipe_release(&text);
	buf_release(&href);
}

/* A text of an oral report's record, in a paragraph of its own. */
static void
oral_text(struct request *req, const struct secret *t, const char *cls)
{
	struct buf text = BUF_INIT;

	html_raw(&req->out, "<p class=\"meldpunt-message-body ");
	html_attr(&req->out, cls);
	html_raw(&req->out, "\">");
	buf_add(&text, t->bytes, t->len);
	html_text(&req->out, text.data);
	buf_wipe_release(&text);
	html_raw(&req->out, "</p>\n");
}

/*
 * An oral report's row in the timeline (core/oral.h): who recorded the
 * conversation, with the record; the reporter's correction, with the old
 * and the new text; the reporter's approval.
 */
static void
render_oral_entry(struct request *req, const struct oral_record *rec,
                  size_t i)
{
	const struct oral_entry *e = &rec->entries[i];
	const struct oral_entry *old = oral_before(rec, i);
	struct buf text = BUF_INIT;

	switch (e->kind) {
	case ORAL_RECORD:
		i18n_fill(&text, web_text(req, "oral.case_recorded"), "name",
		          e->author, (const char *)NULL);
		html_text(&req->out, text.data);
		html_raw(&req->out, "</p>\n");
		oral_text(req, e->text, "meldpunt-record-text");
		break;
	case ORAL_CORRECTION:
		html_text(&req->out, web_text(req, "oral.case_corrected"));
		html_raw(&req->out, "</p>\n<dl class=\"meldpunt-fields "
		         "meldpunt-record-correction\">\n<dt>");
		html_text(&req->out, web_text(req, "oral.case_old"));
		html_raw(&req->out, "</dt><dd>");
		if (old)
			oral_text(req, old->text, "meldpunt-record-old");
		html_raw(&req->out, "</dd>\n<dt>");
		html_text(&req->out, web_text(req, "oral.case_new"));
		html_raw(&req->out, "</dt><dd>");
		oral_text(req, e->text, "meldpunt-record-new");
		html_raw(&req->out, "</dd>\n</dl>\n");
		break;
	case ORAL_APPROVAL:
		html_text(&req->out, web_text(req, "oral.case_approved"));
		html_raw(&req->out, "</p>\n");
		break;
	}
	buf_release(&text);
}

/* The fields of a step in the timeline: a choice by its label. */
static void
render_fields(struct request *req, enum report_type type,
              const struct event_fields *fields)
{
	const struct workflow *wf = web_workflow(req, type);
	struct buf lbl = BUF_INIT;
	size_t k;

	html_raw(&req->out, "<dl class=\"meldpunt-fields\">\n");
	for (k = 0; k < fields->n; k++) {
		const struct workflow_field *f = &fields->items[k];

		html_raw(&req->out, "<dt>");
		html_text(&req->out, field_label(req, type, f->name, &lbl));
		html_raw(&req->out, "</dt><dd>");
		html_text(&req->out, workflow_choice_label(
			workflow_field_def(wf, f->name), f->value, wlang(req)));
		html_raw(&req->out, "</dd>\n");
	}
	html_raw(&req->out, "</dl>\n");
	buf_release(&lbl);
}

static void
render_timeline(struct request *req, const struct case_view *v,
                const struct handoff_record *hos, size_t nhos)
{
	const struct event_list *events = &v->events;
	const struct message_view *msgs = v->messages;
	const struct note_view *notes = v->notes;
	struct entry *entries;
	size_t nmsgs = v->nmessages, nnotes = v->nnotes, n = 0, i;
	struct buf text = BUF_INIT;

	entries = calloc(events->n + nmsgs + nnotes + v->nmeetings +
	                 v->oral.n + nhos + 1, sizeof(*entries));
	if (!entries)
		die("out of memory");
	for (i = 0; i < events->n; i++, n++) {
		memcpy(entries[n].at, events->items[i].at_text,
		       sizeof(entries[n].at));
		entries[n].kind = 0;
		entries[n].index = i;
	}
	for (i = 0; i < nmsgs; i++, n++) {
		memcpy(entries[n].at, msgs[i].at, sizeof(entries[n].at));
		entries[n].kind = 1;
		entries[n].index = i;
	}
	for (i = 0; i < nnotes; i++, n++) {
		memcpy(entries[n].at, notes[i].at, sizeof(entries[n].at));
		entries[n].kind = 2;
		entries[n].index = i;
	}
	for (i = 0; i < v->nmeetings; i++, n++) {
		memcpy(entries[n].at, v->meetings[i].updated_at,
		       sizeof(entries[n].at));
		entries[n].kind = 3;
		entries[n].index = i;
	}
	for (i = 0; i < v->oral.n; i++, n++) {
		const struct oral_entry *o = &v->oral.entries[i];

		memcpy(entries[n].at, o->at, sizeof(entries[n].at));
		memcpy(entries[n].key, o->at, sizeof(entries[n].key));
		/*
		 * A reporter's correction or approval keeps its day only, which
		 * sorts before any time of that day: on the day of the row
		 * before it (the record, kept to the second), it comes after
		 * that row, never before the text it corrects or approves.
		 */
		if (i > 0 && strlen(o->at) < strlen(entries[n - 1].key) &&
		    strncmp(entries[n - 1].key, o->at, strlen(o->at)) == 0)
			memcpy(entries[n].key, entries[n - 1].key,
			       sizeof(entries[n].key));
		entries[n].kind = 4;
		entries[n].index = i;
	}
	for (i = 0; i < nhos; i++, n++) {
		memcpy(entries[n].at, hos[i].at, sizeof(entries[n].at));
		entries[n].kind = 5;
		entries[n].index = i;
	}
	for (i = 0; i < n; i++)
		if (entries[i].kind != 4)
			memcpy(entries[i].key, entries[i].at, sizeof(entries[i].key));
	qsort(entries, n, sizeof(*entries), compare_entries);

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "case.timeline"));
	html_raw(&req->out, "</h2>\n<ol class=\"meldpunt-timeline\" id=\"timeline\">\n");
	for (i = 0; i < n; i++) {
		struct entry *e = &entries[i];

		html_raw(&req->out, "<li><p class=\"meldpunt-message-meta\">");
		widget_time(req, e->at);
		html_raw(&req->out, " ");
		if (e->kind == 0) {
			/* Steps, corrections and undos (page_correct.c). */
			correct_render_event(req, v, e->index);
		} else if (e->kind == 3) {
			render_meeting_entry(req, &v->meetings[e->index]);
		} else if (e->kind == 4) {
			render_oral_entry(req, &v->oral, e->index);
		} else if (e->kind == 5) {
			page_handoff_entry(req, &hos[e->index]);
		} else {
			const struct secret *body;

			if (e->kind == 1) {
				body = msgs[e->index].body;
				html_text(&req->out, web_text(req, msgs[e->index].from_reporter
				          ? "case.from_reporter" : "case.to_reporter"));
			} else {
				body = notes[e->index].body;
				html_text(&req->out, notes[e->index].author);
				html_raw(&req->out, ": ");
				html_text(&req->out, web_text(req, "case.note"));
			}
			html_raw(&req->out, "</p>\n<p class=\"meldpunt-message-body\">");
			buf_reset(&text);
			buf_add(&text, body->bytes, body->len);
			html_text(&req->out, text.data);
			buf_wipe_release(&text);
			html_raw(&req->out, "</p>\n");
		}
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ol>\n");
	free(entries);
}

static void
render_deadlines(struct request *req, const struct case_summary *c)
{
	const struct workflow *wf = web_workflow(req, c->type);
	struct workflow_deadline_status *d;
	size_t max = workflow_deadline_count(wf), n = 0, i;
	char due[CLOCK_TEXT_LEN + 1];

	if (!max)
		return;
	d = calloc(max, sizeof(*d));
	if (!d)
		die("out of memory");
	if (events_deadlines(req->inst->db, web_workflows(req), c->id, clock_now(),
	                     d, max, &n) == 0 && n) {
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "case.deadlines"));
		html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\" "
		         "id=\"deadlines\">\n");
		for (i = 0; i < n; i++) {
			enum deadline_verdict v = workflow_deadline_verdict(&d[i],
			        clock_now(), web_due_soon(req));

			time_text(d[i].due, due);
			html_raw(&req->out, v == DEADLINE_OVERDUE
			         ? "<li class=\"meldpunt-overdue\""
			         : v == DEADLINE_DUE_SOON
			         ? "<li class=\"meldpunt-due-soon\"" : "<li");
			html_raw(&req->out, " data-deadline=\"");
			html_attr(&req->out, d[i].deadline->name);
			html_raw(&req->out, "\" data-verdict=\"");
			html_attr(&req->out, deadline_verdict_name(v));
			html_raw(&req->out, "\">");
			html_text(&req->out, d[i].deadline->label[wlang(req)]);
			html_raw(&req->out, ": ");
			widget_time(req, due);
			html_raw(&req->out, " (");
			html_text(&req->out, web_text(req, page_case_verdict_key(v)));
			html_raw(&req->out, ")</li>\n");
		}
		html_raw(&req->out, "</ul>\n");
	}
	free(d);
}

static void
dl_item(struct request *req, const char *key, const char *value)
{
	html_raw(&req->out, "<dt>");
	html_text(&req->out, web_text(req, key));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, value);
	html_raw(&req->out, "</dd>\n");
}

/*
 * The legal hold: who set it and when, and the form to set or lift it,
 * with the warning that the reason outlives the report in the audit log.
 */
static void
render_hold_form(struct request *req, const struct case_summary *c,
                 const struct retention_hold *hold)
{
	struct buf text = BUF_INIT;

	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\" id=\"hold\">");
	html_text(&req->out, web_text(req, "retention.hold_title"));
	html_raw(&req->out, "</h2>\n");
	if (hold->on) {
		i18n_fill(&text, web_text(req, "retention.hold_on"), "by", hold->by,
		          "since", hold->since, (const char *)NULL);
		layout_paragraph(req, text.data);
	} else {
		layout_paragraph(req, web_text(req, "retention.hold_lead"));
	}
	form_open(req, PATH_CASE_HOLD, c);
	hidden(req, "hold", hold->on ? "off" : "on");
	html_raw(&req->out, "<div class=\"utrecht-form-field\">\n"
	         "<label class=\"utrecht-form-label\" for=\"f-hold-reason\">");
	html_text(&req->out, web_text(req, "retention.reason_label"));
	html_raw(&req->out, "</label>\n<div class=\"utrecht-form-field-description\" "
	         "id=\"f-hold-reason-hint\">");
	html_text(&req->out, web_text(req, "retention.reason_hint"));
	html_raw(&req->out, "</div>\n<input class=\"utrecht-textbox\" type=\"text\" "
	         "name=\"reason\" id=\"f-hold-reason\" maxlength=\"200\" "
	         "aria-describedby=\"f-hold-reason-hint\">\n</div>\n");
	button(req, web_text(req, hold->on ? "retention.hold_off_submit"
	                                   : "retention.hold_on_submit"), 0);
	html_raw(&req->out, "</form>\n");
	buf_release(&text);
}

static void
heading2(struct request *req, const char *key)
{
	layout_heading2(req, web_text(req, key));
}

/*
 * A form of the case with one field (a text area when area, else a line)
 * named name, id f-NAME, its label and button from the catalogue.
 */
static void
field_form(struct request *req, const char *action,
           const struct case_summary *c, int area,
           const char *name, const char *label_key, const char *submit_key,
           int primary)
{
	char fid[32];

	snprintf(fid, sizeof(fid), "f-%s", name);
	form_open(req, action, c);
	if (area)
		textarea(req, name, fid, web_text(req, label_key));
	else
		text_input(req, name, fid, web_text(req, label_key));
	button(req, web_text(req, submit_key), primary);
	html_raw(&req->out, "</form>\n");
}

/* The way back from a case: the inbox of its type. */
static void
back_to_inbox(struct request *req, enum report_type t)
{
	struct buf href = BUF_INIT, key = BUF_INIT, text = BUF_INIT;

	buf_addf(&href, PATH_INBOX "?type=%s", report_type_name(t));
	buf_addf(&key, "case.inbox_%s", report_type_name(t));
	i18n_fill(&text, web_text(req, "staff.back_to_inbox"), "inbox",
	          web_text(req, key.data), (const char *)NULL);
	layout_back(req, href.data, text.data);
	buf_release(&href);
	buf_release(&key);
	buf_release(&text);
}

/*
 * Print the case or download its dossier (a GET form: reading, audited by
 * core): internal notes and the reporter's identity only when ticked.
 */
static void
render_dossier_form(struct request *req, const char *number)
{
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "dossier.title"));
	html_raw(&req->out, "</h2>\n");
	layout_paragraph(req, web_text(req, "dossier.intro"));
	html_raw(&req->out, "<form method=\"get\" action=\"" PATH_CASE_PRINT
	         "\" id=\"dossier-form\">\n");
	widget_hidden(req, "id", number);
	widget_checkbox(req, "notities", "f-dossier-notes", "1",
	                web_text(req, "dossier.with_notes"), 0);
	widget_checkbox(req, "identiteit", "f-dossier-identity", "1",
	                web_text(req, "dossier.with_identity"), 0);
	html_raw(&req->out, "<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "dossier.print_submit"));
	html_raw(&req->out, "</button>\n<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\" "
	         "formaction=\"" PATH_CASE_DOSSIER "\">");
	html_text(&req->out, web_text(req, "dossier.export_submit"));
	html_raw(&req->out, "</button>\n</form>\n");
}

/* The whole case page, with an optional notice at the top. */
static int
render_case(struct request *req, const struct case_view *v, const char *notice,
            int is_error)
{
	const struct case_summary *c = &v->c;
	const struct attachment_view *files = v->files;
	const struct retention_hold *hold = &v->hold;
	const int64_t *links = v->links;
	struct buf title = BUF_INIT, text = BUF_INIT;
	char number[CASE_NUMBER_LEN + 1];
	size_t nfiles = v->nfiles, nlinks = v->nlinks, i, nhos = 0;
	struct handoff_record *hos = NULL;

	i18n_fill(&title, web_text(req, "case.title"), "number",
	          c->number,
	          (const char *)NULL);
	layout_begin(req, title.data);
	back_to_inbox(req, c->type);
	layout_heading(req, title.data);
	if (notice) {
		layout_alert_begin(req, is_error ? "error" : "ok");
		layout_paragraph(req, notice);
		layout_alert_end(req);
	}
	/*
	 * A desktop shows the case's content and timeline beside a panel with
	 * its status, deadlines, the next step, assignment and hold; a phone
	 * shows the panel first, then the content (meldpunt.css).
	 */
	html_raw(&req->out, "<div class=\"meldpunt-case\">\n"
	         "<aside class=\"meldpunt-case__panel\" aria-label=\"");
	html_attr(&req->out, web_text(req, "case.panel_label"));
	html_raw(&req->out, "\">\n");
	buf_reset(&text);
	buf_addf(&text, "status.type.%s", report_type_name(c->type));
	html_raw(&req->out, "<dl class=\"meldpunt-status\" id=\"summary\">\n");
	dl_item(req, "case.kind", web_text(req, text.data));
	dl_item(req, "case.received", c->received_on);
	html_raw(&req->out, "<dt>");
	html_text(&req->out, web_text(req, "case.state"));
	html_raw(&req->out, "</dt><dd>");
	widget_badge(req, state_label(req, c->type, c->state), "state");
	html_raw(&req->out, "</dd>\n");
	buf_reset(&text);
	buf_addf(&text, "case.source_%s", c->source);
	dl_item(req, "case.source", i18n_has(text.data) ? web_text(req, text.data)
	                                               : c->source);
	if (c->oral != ORAL_NONE) {
		/* An oral report, and where the reporter's check stands. */
		buf_reset(&text);
		buf_addf(&text, "oral.case_state_%s", oral_state_name(c->oral));
		html_raw(&req->out, "<dt>");
		html_text(&req->out, web_text(req, "oral.case"));
		html_raw(&req->out, "</dt><dd id=\"oral-state\" data-state=\"");
		html_attr(&req->out, oral_state_name(c->oral));
		html_raw(&req->out, "\">");
		widget_badge(req, web_text(req, text.data), "oral");
		html_raw(&req->out, "</dd>\n");
	}
	dl_item(req, "case.assignee", c->assignee[0] ? c->assignee
	                                             : web_text(req, "case.nobody"));
	dl_item(req, "retention.hold", hold->on ? hold->reason
	                                       : web_text(req, "retention.hold_none"));
	html_raw(&req->out, "</dl>\n");
	if (nlinks) {
		html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
		html_text(&req->out, web_text(req, "case.links"));
		for (i = 0; i < nlinks; i++) {
			buf_reset(&text);
			number_of(req, links[i], number);
			buf_addf(&text, PATH_CASE "?id=%s", number);
			html_raw(&req->out, " <a class=\"utrecht-link\" href=\"");
			html_attr(&req->out, text.data);
			html_raw(&req->out, "\">");
			html_text(&req->out, number);
			html_raw(&req->out, "</a>");
		}
		html_raw(&req->out, "</p>\n");
	}
	render_deadlines(req, c);
	render_transitions(req, v);
	heading2(req, "case.panel_assign");
	form_open(req, PATH_CASE_ASSIGN, c);
	assign_input(req, v);
	button(req, web_text(req, "case.assign_submit"), 0);
	html_raw(&req->out, "</form>\n");
	field_form(req, PATH_CASE_LINK, c, 0, "other", "case.link_label",
	           "case.link_submit", 0);
	render_hold_form(req, c, hold);
	html_raw(&req->out, "</aside>\n<div class=\"meldpunt-case__main\">\n");
	answers_render(req, c->type, v->content, "case.answers");
	if (oral_current(&v->oral)) {
		/* The record in force: the recorder's, or as corrected. */
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "oral.case_title"));
		html_raw(&req->out, "</h2>\n<div id=\"record\">\n");
		oral_text(req, oral_current(&v->oral)->text, "meldpunt-record-text");
		html_raw(&req->out, "</div>\n");
	}
	if (nfiles) {
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "case.files"));
		html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\">\n");
		for (i = 0; i < nfiles; i++) {
			buf_reset(&text);
			buf_addf(&text, PATH_CASE_FILE "?id=%s&bestand=%lld",
			         c->number, (long long)files[i].id);
			html_raw(&req->out, "<li><a class=\"utrecht-link\" href=\"");
			html_attr(&req->out, text.data);
			html_raw(&req->out, "\">");
			html_text(&req->out, files[i].name);
			html_raw(&req->out, "</a>");
			buf_reset(&text);
			buf_addf(&text, " (%zu bytes)", files[i].len);
			html_text(&req->out, text.data);
			html_raw(&req->out, "</li>\n");
		}
		html_raw(&req->out, "</ul>\n");
	}
	if (handoff_list(req->inst->db, c->id, &hos, &nhos) < 0) {
		hos = NULL;
		nhos = 0;
	}
	render_timeline(req, v, hos, nhos);
	handoff_list_release(hos, nhos);

	heading2(req, "case.actions");
	field_form(req, PATH_CASE_MESSAGE, c, 1, "message",
	           "case.message_label", "case.message_submit", 1);
	field_form(req, PATH_CASE_NOTE, c, 1, "note", "case.note_label",
	           "case.note_submit", 0);
	render_dossier_form(req, c->number);
	/* The hand-off to a partner (core/handoff.h). */
	page_handoff_form(req, v);
	/* The police form and the damages letter (core/paperwork.h). */
	if (c->type == REPORT_INCIDENT)
		page_document_form(req, c->number);
	html_raw(&req->out, "</div>\n</div>\n");
	layout_end(req);
	buf_release(&title);
	buf_release(&text);
	return 0;
}

/*
 * Report id as the session sees it, rendered with an optional notice
 * (status 400 when it is an error); the read is audited by core.
 */
static int
show_case(struct request *req, int64_t id, const char *notice, int is_error)
{
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct case_view v;
	struct outcome o;
	int ret;

	if (casework_read(req->inst, a, id, &v, &o) !=
	    VERDICT_DONE)
		return case_gone(req, &o);
	if (is_error)
		req->status = 400;
	/* A refused step's page: the language switch leads to the case. */
	if (strcmp(req->method, "GET") != 0 && !req->here) {
		struct buf here = BUF_INIT;

		buf_addf(&here, PATH_CASE "?id=%s", v.c.number);
		req->here = buf_detach(&here, NULL);
	}
	ret = render_case(req, &v, notice, is_error);
	case_view_release(&v);
	return ret;
}

int
page_case(struct request *req)
{
	const char *text = web_query(req, "id");
	char number[CASE_NUMBER_LEN + 1];

	/* Not a case number (an old link with a row id): say what one is. */
	if (case_number_parse(text, number) < 0)
		return web_fail_key(req, 404, "case.bad_number");
	return show_case(req, id_of(req, text), NULL, 0);
}

/*
 * After an action: back to the case page (303, so a reload repeats
 * nothing); a refusal shown on the case page (400) with the text of its
 * key and the field it names; no such case, not the session's keyring,
 * or a failure as case_gone.
 */
static int
after_action(struct request *req, int64_t id, const struct outcome *o)
{
	struct buf text = BUF_INIT, lbl = BUF_INIT;
	struct case_summary c;
	char path[64], number[CASE_NUMBER_LEN + 1];
	int ret;

	switch (o->verdict) {
	case VERDICT_DONE:
		snprintf(path, sizeof(path), PATH_CASE "?id=%s",
		         number_of(req, id, number));
		return web_redirect(req, path);
	case VERDICT_INVALID:
	case VERDICT_REFUSED:
	case VERDICT_STALE:
		if (casework_no_keyring(o) || !o->key)
			break;
		buf_adds(&text, web_text(req, o->key));
		/* A workflow's field is named; the page's own keys say which. */
		if (o->field && strncmp(o->key, "workflow.", 9) == 0 &&
		    case_get(req->inst, id, &c) == 0) {
			const struct workflow_rule *r = workflow_rule_find(
				web_workflow(req, c.type), o->arg);

			buf_adds(&text, " (");
			buf_adds(&text, field_label(req, c.type, o->field, &lbl));
			buf_adds(&text, ")");
			if (r) {
				buf_adds(&text, ": ");
				buf_adds(&text, r->label[wlang(req)]);
			}
		}
		ret = show_case(req, id, text.data, 1);
		buf_release(&text);
		buf_release(&lbl);
		return ret;
	default:
		break;
	}
	return case_gone(req, o);
}

/* A text from the form: present, valid UTF-8, within the field limit. */
static const char *
form_text(struct request *req, const char *name, size_t *len)
{
	return widget_post_text(req, name, len);
}

int
page_case_message(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	const char *text;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	size_t len = 0;

	text = form_text(req, "message", &len);
	casework_message(req->inst, a, id, text, len, &o);
	return after_action(req, id, &o);
}

int
page_case_note(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	const char *text;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	size_t len = 0;

	text = form_text(req, "note", &len);
	casework_note(req->inst, a, id, text, len, &o);
	return after_action(req, id, &o);
}

int
page_case_assign(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;

	casework_assign(req->inst, a, id,
	                post_get(req->post, "assignee"), &o);
	return after_action(req, id, &o);
}

int
page_case_link(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;

	casework_link(req->inst, a, id,
	              id_of(req, post_get(req->post, "other")), &o);
	return after_action(req, id, &o);
}

int
page_case_hold(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	const char *what = post_get(req->post, "hold");
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;

	if (!what || (strcmp(what, "on") != 0 && strcmp(what, "off") != 0))
		return web_fail_key(req, 400, "common.bad_request");
	casework_hold(req->inst, a, id, strcmp(what, "on") == 0,
	              post_get(req->post, "reason"), &o);
	return after_action(req, id, &o);
}

int
page_case_transition(struct request *req)
{
	int64_t id = id_of(req, post_get(req->post, "id"));
	const char *name = post_get(req->post, "transition");
	const struct workflow_transition *t = NULL;
	struct workflow_field fields[MAX_FIELDS];
	struct case_summary c;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	const char *message;
	size_t nfields = 0, k, mlen = 0;

	/* Only the fields the transition takes; core checks them. */
	if (name && case_get(req->inst, id, &c) == 0)
		t = workflow_transition_find(web_workflow(req, c.type), name);
	for (k = 0; t && k < t->nfields && nfields < MAX_FIELDS; k++) {
		const char *value = post_get(req->post, t->fields[k]);

		if (value) {
			fields[nfields].name = t->fields[k];
			fields[nfields].value = value;
			nfields++;
		}
	}
	message = form_text(req, "message", &mlen);
	casework_step(req->inst, web_workflows(req), a, id, name,
	              fields, nfields, post_get(req->post, "expect_state"),
	              message, mlen, &o);
	return after_action(req, id, &o);
}

/*
 * The steps whose amounts do not read as euros (stored as free text
 * before the fields were typed), each linked to its case for
 * correction: the statistics leave such an amount out.
 */
int
page_amounts(struct request *req)
{
	static const char *const heads[] = {
		"case.number", "case.step_time", "case.step", "case.field",
	};
	const char *typetext = web_query(req, "type");
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct bad_amount *bad = NULL;
	struct buf text = BUF_INIT, lbl = BUF_INIT;
	char number[CASE_NUMBER_LEN + 1];
	enum report_type t = REPORT_INCIDENT;
	struct outcome o;
	size_t n = 0, i;

	if (typetext && report_type_parse(typetext, &t) < 0)
		return web_fail_key(req, 404, "case.not_found");
	if (casework_bad_amounts(req->inst, web_workflows(req), a, t, &bad, &n,
	                         &o) != VERDICT_DONE)
		return case_gone(req, &o);
	layout_begin(req, web_text(req, "case.amounts_title"));
	layout_heading(req, web_text(req, "case.amounts_title"));
	layout_paragraph(req, web_text(req, "case.amounts_intro"));
	if (!n) {
		html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"amounts\">");
		html_text(&req->out, web_text(req, "case.amounts_none"));
		html_raw(&req->out, "</p>\n");
	} else {
		widget_table_head(req, "amounts", heads,
		                  sizeof(heads) / sizeof(heads[0]));
		for (i = 0; i < n; i++) {
			const struct workflow_transition *tr =
				workflow_transition_find(web_workflow(req, t),
				                         bad[i].transition);

			buf_reset(&text);
			number_of(req, bad[i].report_id, number);
			buf_addf(&text, PATH_CASE "?id=%s", number);
			html_raw(&req->out, "<tr><td>");
			buf_reset(&lbl);
			buf_adds(&lbl, number);
			widget_link(req, text.data, lbl.data);
			html_raw(&req->out, "</td><td>");
			widget_time(req, bad[i].at);
			html_raw(&req->out, "</td><td>");
			html_text(&req->out, tr ? tr->label[wlang(req)]
			                        : bad[i].transition);
			html_raw(&req->out, "</td><td>");
			html_text(&req->out, field_label(req, t, bad[i].field,
			                                 &lbl));
			html_raw(&req->out, "</td></tr>\n");
		}
		html_raw(&req->out, "</tbody></table>\n");
	}
	layout_end(req);
	free(bad);
	buf_release(&text);
	buf_release(&lbl);
	return 0;
}

int
page_case_file(struct request *req)
{
	struct attachment_view *files = NULL;
	struct buf name = BUF_INIT, header = BUF_INIT;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	size_t nfiles = 0, i = 0;

	if (casework_file(req->inst, a,
	                  id_of(req, web_query(req, "id")),
	                  file_of(web_query(req, "bestand")), &files, &nfiles,
	                  &i,
	                  &o) != VERDICT_DONE)
		return case_gone(req, &o);
	/*
	 * Always a download of opaque bytes: the type the reporter's device
	 * declared is not trusted to render anything in the browser.
	 */
	filetype_safe_name(files[i].name, &name);
	buf_addf(&header, "attachment; filename=\"%s\"", name.data);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "application/octet-stream";
	buf_add(&req->out, files[i].data, files[i].len);
	attachments_release(files, nfiles);
	buf_release(&name);
	buf_release(&header);
	return 0;
}

/* The words of a deadline's one verdict (workflow.h), in the page's language. */
const char *
page_case_verdict_key(enum deadline_verdict v)
{
	static const char *const keys[] = {
		[DEADLINE_OPEN] = "case.deadline_open",
		[DEADLINE_DUE_SOON] = "case.deadline_due_soon",
		[DEADLINE_OVERDUE] = "case.deadline_overdue",
		[DEADLINE_MET] = "case.deadline_met",
		[DEADLINE_MET_LATE] = "case.deadline_met_late",
		[DEADLINE_STOPPED] = "case.deadline_stopped",
	};

	return (unsigned)v < sizeof(keys) / sizeof(keys[0]) ? keys[v]
	                                                   : "case.deadline_open";
}

const char *
page_case_state_label(const struct request *req, enum report_type t,
                      const char *state)
{
	return state_label(req, t, state);
}

void
page_case_option_text(const struct request *req, enum report_type t,
                      const char *field, const char *option, struct buf *out)
{
	option_text(req, t, field, option, out);
}

const char *
pc_field_label(const struct request *req, enum report_type t,
               const char *name, struct buf *key)
{
	return field_label(req, t, name, key);
}

void
pc_field_input(struct request *req, enum report_type type, const char *name,
               const char *id, const char *value)
{
	field_input(req, type, name, id, value);
}

void
pc_render_fields(struct request *req, enum report_type type,
                 const struct event_fields *fields)
{
	render_fields(req, type, fields);
}

int
pc_after_action(struct request *req, int64_t id, const struct outcome *o)
{
	return after_action(req, id, o);
}

/* ---- Print view and dossier export (core/dossier.h) ------------------- */

/* What a print or an export takes, from the query. */
static void
dossier_choice(struct request *req, const char *action,
               struct dossier_input *in)
{
	const char *notes = web_query(req, req->api ? "notes" : "notities");
	const char *identity = web_query(req, req->api ? "identity"
	                                               : "identiteit");

	memset(in, 0, sizeof(*in));
	in->report_id = id_of(req, web_query(req, "id"));
	in->action = action;
	in->notes = notes && strcmp(notes, "1") == 0;
	in->identity = identity && strcmp(identity, "1") == 0;
	in->due_soon = web_due_soon(req);
}

/* The deadlines as the dossier holds them, judged as the case page does. */
static void
render_dossier_deadlines(struct request *req, const struct dossier *d)
{
	static const char *const keys[] = {
		[DEADLINE_OPEN] = "case.deadline_open",
		[DEADLINE_DUE_SOON] = "case.deadline_due_soon",
		[DEADLINE_OVERDUE] = "case.deadline_overdue",
		[DEADLINE_MET] = "case.deadline_met",
		[DEADLINE_MET_LATE] = "case.deadline_met_late",
		[DEADLINE_STOPPED] = "case.deadline_stopped",
	};
	char due[CLOCK_TEXT_LEN + 1];
	size_t i;

	if (!d->ndeadlines)
		return;
	html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
	html_text(&req->out, web_text(req, "case.deadlines"));
	html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\" "
	         "id=\"deadlines\">\n");
	for (i = 0; i < d->ndeadlines; i++) {
		enum deadline_verdict v = workflow_deadline_verdict(
			&d->deadlines[i], d->now, web_due_soon(req));

		time_text(d->deadlines[i].due, due);
		html_raw(&req->out, "<li>");
		html_text(&req->out, d->deadlines[i].deadline->label[wlang(req)]);
		html_raw(&req->out, ": ");
		widget_time(req, due);
		html_raw(&req->out, " (");
		html_text(&req->out, web_text(req, keys[v]));
		html_raw(&req->out, ")</li>\n");
	}
	html_raw(&req->out, "</ul>\n");
}

int
page_case_print(struct request *req)
{
	const struct actor *a;
	struct session_who sa;
	struct dossier_input in;
	struct buf title = BUF_INIT, text = BUF_INIT;
	char now[CLOCK_TEXT_LEN + 1];
	struct dossier d;
	struct outcome o;
	const struct case_summary *c;
	size_t i;

	a = session_who(req->session, &sa);
	dossier_choice(req, DOSSIER_PRINT, &in);
	if (dossier_open(req->inst, web_workflows(req), a, &in, clock_now(), &d,
	                 &o) != VERDICT_DONE)
		return case_gone(req, &o);
	c = &d.v.c;
	buf_addf(&title, "%s %s", web_text(req, "dossier.print_title"),
	         c->number);
	layout_begin(req, title.data);
	html_raw(&req->out, "<div class=\"meldpunt-dossier\" id=\"dossier\">\n");
	layout_heading(req, title.data);
	clock_format(d.now, now);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"dossier-made\">");
	html_text(&req->out, web_text(req, "dossier.made_by"));
	html_raw(&req->out, " ");
	html_text(&req->out, a->name);
	html_raw(&req->out, ", ");
	widget_time(req, now);
	html_raw(&req->out, ". ");
	html_text(&req->out, web_text(req, d.notes ? "dossier.notes_in"
	                                           : "dossier.notes_out"));
	html_raw(&req->out, " ");
	html_text(&req->out, web_text(req, d.identity ? "dossier.identity_in"
	                                              : "dossier.identity_out"));
	html_raw(&req->out, "</p>\n<dl class=\"meldpunt-status\" id=\"summary\">\n");
	buf_addf(&text, "status.type.%s", report_type_name(c->type));
	dl_item(req, "case.kind", web_text(req, text.data));
	dl_item(req, "case.received", c->received_on);
	dl_item(req, "case.state", state_label(req, c->type, c->state));
	dl_item(req, "case.assignee", c->assignee[0] ? c->assignee
	                                             : web_text(req, "case.nobody"));
	dl_item(req, "retention.hold", d.v.hold.on ? d.v.hold.reason
	                                           : web_text(req,
	                                                      "retention.hold_none"));
	html_raw(&req->out, "</dl>\n");
	answers_render(req, c->type, d.v.content, "case.answers");
	render_dossier_deadlines(req, &d);
	if (d.v.nfiles) {
		html_raw(&req->out, "<h2 class=\"utrecht-heading-2\">");
		html_text(&req->out, web_text(req, "case.files"));
		html_raw(&req->out, "</h2>\n<ul class=\"utrecht-unordered-list\">\n");
		for (i = 0; i < d.v.nfiles; i++) {
			buf_reset(&text);
			buf_addf(&text, "%s (%zu bytes)", d.v.files[i].name,
			         d.v.files[i].len);
			html_raw(&req->out, "<li>");
			html_text(&req->out, text.data);
			html_raw(&req->out, "</li>\n");
		}
		html_raw(&req->out, "</ul>\n");
	}
	render_timeline(req, &d.v, NULL, 0);
	html_raw(&req->out, "</div>\n");
	layout_end(req);
	dossier_release(&d);
	buf_release(&title);
	buf_release(&text);
	return 0;
}

int
page_case_dossier(struct request *req)
{
	struct session_who sa;
	struct dossier_input in;
	struct buf header = BUF_INIT;
	char number[CASE_NUMBER_LEN + 1];
	struct outcome o;

	dossier_choice(req, DOSSIER_EXPORT, &in);
	/* Straight into the response, which is wiped when it is freed. */
	if (dossier_build(req->inst, web_workflows(req),
	                  session_who(req->session, &sa), &in, clock_now(),
	                  &req->out, &o) != VERDICT_DONE)
		return case_gone(req, &o);
	buf_addf(&header, "attachment; filename=\"dossier-%s.zip\"",
	         number_of(req, in.report_id, number));
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "application/zip";
	return 0;
}
