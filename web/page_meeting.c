/*
 * page_meeting.c - the pages of the local signal meeting (see
 * page_meeting.h).
 *
 * Who reads decides which key opens: a coordinator holding signalen reads
 * every agenda item with that key; an overleg member reads with the
 * overleg key, which opens only the data keys core/meeting.c sealed for
 * the open agendas. Everything decrypted is written through html_text and
 * wiped after. Actions are small POST forms with the session's CSRF token
 * and answer 303 back to the meeting, so a reload repeats nothing; a
 * refusal shows the meeting again with the reason, status 400.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "case.h"
#include "casenumber.h"
#include "clock.h"
#include "form.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "layout.h"
#include "log.h"
#include "meeting.h"
#include "page_meeting.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "users.h"
#include "workflow.h"
#include "widget.h"
#include "zone.h"

/* The workflow state of signals waiting for the meeting (schema/workflows). */
#define MEETING_STATE "meeting"
/* Room for the decisions of one state (the signal workflow has six). */
#define MAX_NEXT 32

/* A positive decimal id, nothing else. */
static int
parse_id(const char *s, int64_t *id)
{
	return widget_parse_id(s, id);
}

/* The session as core's actions see it (core/action.h). */
static const struct actor *
actor_of(const struct request *req, struct session_who *w)
{
	return session_who(req->session, w);
}

static const char *
state_label(const struct request *req, const char *state)
{
	const struct workflow *wf = web_workflow(req, REPORT_SIGNAL);
	const struct workflow_state *s = workflow_state_find(wf, state);

	if (!s)
		return state;
	return s->label[req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL];
}

static void
heading2(struct request *req, const char *text)
{
	layout_heading2(req, text);
}

static void
link(struct request *req, const char *href, const char *text)
{
	widget_link(req, href, text);
}

static void
hidden(struct request *req, const char *name, int64_t value)
{
	widget_hidden_int(req, name, value);
}

static void
form_open(struct request *req, const char *action, int64_t meeting)
{
	widget_form_post(req, action);
	if (meeting)
		hidden(req, "id", meeting);
}

static void
button(struct request *req, const char *key, int primary)
{
	widget_button(req, web_text(req, key), primary);
}

static void
text_input(struct request *req, const char *type, const char *name,
           const char *id, const char *label_key, const char *value)
{
	widget_text(req, type, name, id, web_text(req, label_key), value);
}

/* A decrypted text as a plain string in b (wipe b after use). */
static void
secret_text(struct buf *b, const struct secret *s)
{
	buf_reset(b);
	if (s)
		buf_add(b, s->bytes, s->len);
}

static void
textarea(struct request *req, const char *name, const char *id,
         const char *label_key, const struct secret *value)
{
	widget_textarea(req, name, id, web_text(req, label_key), value);
}

/* prefix and a number, as text in b: for links and ids. */
static const char *
num(struct buf *b, const char *prefix, int64_t v)
{
	buf_reset(b);
	buf_addf(b, "%s%lld", prefix, (long long)v);
	return b->data;
}

/* prefix and the case number of report id (casenumber.h), never its row. */
static const char *
cnum(struct request *req, struct buf *b, const char *prefix, int64_t id)
{
	char number[CASE_NUMBER_LEN + 1];

	if (case_number_of(req->inst->db, id, number) != 0)
		number[0] = '\0';
	buf_reset(b);
	buf_addf(b, "%s%s", prefix, number);
	return b->data;
}

/* The hidden field that names a signal: its case number. */
static void
hidden_case(struct request *req, int64_t id)
{
	struct buf b = BUF_INIT;

	widget_hidden(req, "report", cnum(req, &b, "", id));
	buf_release(&b);
}

/* "Signalenoverleg 2026-03-12" and the title, if any. */
static void
meeting_name(const struct request *req, const struct meeting *m,
             const char *key, struct buf *out)
{
	char day[CLOCK_SHOW_LEN + 1];

	buf_reset(out);
	widget_time_text(req, m->held_on, day);
	i18n_fill(out, web_text(req, key), "date", day, (const char *)NULL);
	if (m->title[0]) {
		buf_adds(out, ": ");
		buf_adds(out, m->title);
	}
}

static void
alert(struct request *req, const char *notice, int is_error)
{
	if (!notice)
		return;
	layout_alert_begin(req, is_error ? "error" : "ok");
	layout_paragraph(req, notice);
	layout_alert_end(req);
}

/* A text from the form: present, valid UTF-8. NULL otherwise. */
static const char *
form_text(struct request *req, const char *name, size_t *len)
{
	return widget_post_text(req, name, len);
}

/* The list of meetings, with the form for a new one (coordinator). */
static int
render_meetings(struct request *req, const char *notice, int is_error)
{
	struct session_who w;
	struct outcome o;
	struct meeting *ms = NULL;
	struct buf text = BUF_INIT;
	int overleg = 0, coordinator, has_key;
	size_t n = 0, i;

	if (meeting_list_as(req->inst, actor_of(req, &w), &ms, &n, &overleg,
	                    &o) == VERDICT_FAILED)
		return -1;
	has_key = o.verdict == VERDICT_DONE;
	coordinator = has_key && !overleg;
	layout_begin(req, web_text(req, "meeting.list_title"));
	layout_heading(req, web_text(req, "meeting.list_title"));
	alert(req, notice, is_error);
	layout_paragraph(req, web_text(req, coordinator ? "meeting.list_intro"
	                                                : "meeting.list_intro_overleg"));
	if (!has_key)
		layout_paragraph(req, web_text(req, "meeting.no_keyring"));
	if (!n) {
		layout_paragraph(req, web_text(req, "meeting.none"));
	} else {
		static const char *const heads[] = {
			"meeting.date", "meeting.title", "meeting.agenda_count",
			"meeting.status",
		};

		widget_scroll_open(req, web_text(req, "meeting.list_title"));
		widget_table_head(req, "meetings", heads,
		                  sizeof(heads) / sizeof(heads[0]));
		for (i = 0; i < n; i++) {
			char day[CLOCK_SHOW_LEN + 1];

			widget_time_text(req, ms[i].held_on, day);
			html_raw(&req->out, "<tr><td>");
			link(req, num(&text, PATH_MEETING "?id=", ms[i].id), day);
			html_raw(&req->out, "</td><td>");
			html_text(&req->out, ms[i].title);
			html_raw(&req->out, "</td><td>");
			html_text(&req->out, num(&text, "", (int64_t)ms[i].items));
			html_raw(&req->out, "</td><td>");
			html_text(&req->out, web_text(req, ms[i].closed_at[0]
			          ? "meeting.closed" : "meeting.open"));
			html_raw(&req->out, "</td></tr>\n");
		}
		html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	}
	if (coordinator) {
		char today[CLOCK_DAY_LEN + 1];

		zone_day_text(clock_now(), today);	/* the local day */
		heading2(req, web_text(req, "meeting.new_title"));
		form_open(req, PATH_MEETING_NEW, 0);
		text_input(req, "date", "held_on", "f-held-on", "meeting.date", today);
		text_input(req, "text", "title", "f-title", "meeting.title_label",
		           NULL);
		button(req, "meeting.new_submit", 1);
		html_raw(&req->out, "</form>\n");
	}
	layout_end(req);
	free(ms);
	buf_release(&text);
	return 0;
}

int
page_meetings(struct request *req)
{
	return render_meetings(req, NULL, 0);
}

int
page_meeting_create(struct request *req)
{
	const char *title;
	struct session_who w;
	struct outcome o;
	struct buf path = BUF_INIT;
	size_t len = 0;
	int ret;

	title = form_text(req, "title", &len);
	if (!title)
		title = "";
	switch (meeting_create_as(req->inst, actor_of(req, &w),
	                          post_get(req->post, "held_on"), title, &o)) {
	case VERDICT_DONE:
		break;
	case VERDICT_INVALID:
		req->status = 400;
		return render_meetings(req, web_text(req, o.key), 1);
	case VERDICT_FAILED:
		return -1;
	default:
		return web_fail_key(req, o.verdict == VERDICT_REFUSED ? 403 : 400,
		                    o.key ? o.key : "common.bad_request");
	}
	ret = web_redirect(req, num(&path, PATH_MEETING "?id=", o.id));
	buf_release(&path);
	return ret;
}

/* The notes of an item: enrichment and decision, as text. */
/* The label of a transition of the signal workflow, or its name. */
static const char *
next_label(const struct request *req, const char *next)
{
	const struct workflow_transition *t = workflow_transition_find(
		web_workflow(req, REPORT_SIGNAL), next);

	return t ? t->label[req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL]
	         : next;
}

/*
 * The next step the meeting proposes for the case: the decisions the
 * coordinator may take from the state of a signal on the agenda
 * (MEETING_STATE), none by default. The case page offers it first.
 */
static void
render_next_select(struct request *req, const struct meeting_item *it,
                   const char *id)
{
	const struct workflow *wf = web_workflow(req, REPORT_SIGNAL);
	const struct workflow_transition *tr[MAX_NEXT];
	size_t n, i;

	n = workflow_allowed(wf, MEETING_STATE, ROLE_COORDINATOR, tr, MAX_NEXT);
	widget_select_open(req, "next", id, web_text(req, "meeting.next_label"));
	widget_option(req, "", web_text(req, "meeting.next_none"), it->next);
	for (i = 0; i < n && i < MAX_NEXT; i++)
		widget_option(req, tr[i]->name, tr[i]->label[req->lang == LANG_EN
		              ? WORKFLOW_EN : WORKFLOW_NL],
		              it->next);
	html_raw(&req->out, "</select></div>\n");
}

static void
render_notes(struct request *req, const struct meeting_item *it)
{
	struct buf text = BUF_INIT;

	html_raw(&req->out, "<dl class=\"meldpunt-fields\">\n<dt>");
	html_text(&req->out, web_text(req, "meeting.enrichment"));
	html_raw(&req->out, "</dt><dd class=\"meldpunt-message-body\">");
	secret_text(&text, it->enrichment);
	html_text(&req->out, text.len ? text.data
	                              : web_text(req, "meeting.nothing_yet"));
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "meeting.decision"));
	html_raw(&req->out, "</dt><dd class=\"meldpunt-message-body\">");
	secret_text(&text, it->decision);
	html_text(&req->out, text.len ? text.data
	                              : web_text(req, "meeting.nothing_yet"));
	if (it->next[0]) {
		html_raw(&req->out, "</dd>\n<dt>");
		html_text(&req->out, web_text(req, "meeting.next_label"));
		html_raw(&req->out, "</dt><dd>");
		html_text(&req->out, next_label(req, it->next));
	}
	html_raw(&req->out, "</dd>\n</dl>\n");
	buf_wipe_release(&text);
}

/* Signals waiting for the meeting and not yet on this agenda: buttons. */
static void
render_candidates(struct request *req, const struct meeting *m,
                  const struct ring_key *key, const struct meeting_item *items,
                  size_t nitems)
{
	struct inbox_filter f = { MEETING_STATE, NULL, 0, 1 };
	struct case_summary *cases = NULL;
	struct buf text = BUF_INIT, id = BUF_INIT;
	size_t n = 0, i, k, shown = 0;

	if (!workflow_state_find(web_workflow(req, REPORT_SIGNAL), MEETING_STATE) ||
	    case_inbox(req->inst, web_workflows(req), REPORT_SIGNAL, key, &f,
	               clock_now(), web_due_soon(req), &cases, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nitems && items[k].report_id != cases[i].id; k++)
			;
		if (k < nitems)
			continue;
		if (!shown++) {
			layout_paragraph(req, web_text(req, "meeting.waiting"));
			html_raw(&req->out, "<ul class=\"utrecht-unordered-list\" "
			         "id=\"waiting\">\n");
		}
		html_raw(&req->out, "<li>");
		form_open(req, PATH_MEETING_ADD, m->id);
		widget_hidden(req, "report", cases[i].number);
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "meeting.signal_n"), "number",
		          cases[i].number, (const char *)NULL);
		buf_reset(&id);
		buf_addf(&id, PATH_CASE "?id=%s", cases[i].number);
		link(req, id.data, text.data);
		html_raw(&req->out, " ");
		button(req, "meeting.add_submit", 0);
		html_raw(&req->out, "</form></li>\n");
	}
	if (shown)
		html_raw(&req->out, "</ul>\n");
	free(cases);
	buf_release(&text);
	buf_release(&id);
}

/*
 * A meeting whose day has not come cannot be closed (meeting_close): say
 * so, and offer to set the day it was held, today's by default.
 */
static void
render_redate(struct request *req, const struct meeting *m)
{
	char day[CLOCK_SHOW_LEN + 1], today[CLOCK_DAY_LEN + 1];
	struct buf text = BUF_INIT;

	widget_time_text(req, m->held_on, day);
	i18n_fill(&text, web_text(req, "meeting.not_yet_lead"), "date", day,
	          (const char *)NULL);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"not-yet\">");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	zone_day_text(clock_now(), today);
	form_open(req, PATH_MEETING_REDATE, m->id);
	text_input(req, "date", "held_on", "f-redate", "meeting.redate_label",
	           today);
	button(req, "meeting.redate_submit", 1);
	html_raw(&req->out, "</form>\n");
	buf_release(&text);
}

/*
 * Who attended: checkboxes of the meeting's members while it is open (the
 * coordinator), the list otherwise.
 */
static void
render_attendees(struct request *req, const struct meeting *m, int editable)
{
	char **att = NULL, **members = NULL;
	size_t natt = 0, nmembers = 0, i, k;
	struct buf id = BUF_INIT;

	heading2(req, web_text(req, "meeting.attendees"));
	if (meeting_attendees(req->inst, m->id, &att, &natt) < 0 ||
	    (editable && meeting_members(req->inst, &members, &nmembers) < 0)) {
		meeting_names_release(att, natt);
		return;
	}
	if (!editable) {
		if (!natt)
			layout_paragraph(req, web_text(req, "meeting.attendees_none"));
		html_raw(&req->out, "<ul class=\"utrecht-unordered-list\" "
		         "id=\"attendees\">\n");
		for (i = 0; i < natt; i++) {
			html_raw(&req->out, "<li>");
			html_text(&req->out, att[i]);
			html_raw(&req->out, "</li>\n");
		}
		html_raw(&req->out, "</ul>\n");
		goto out;
	}
	form_open(req, PATH_MEETING_ATTENDEES, m->id);
	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\" "
	         "id=\"attendees\"><legend class=\"utrecht-form-fieldset__legend"
	         "\">");
	html_text(&req->out, web_text(req, "meeting.attendees_lead"));
	html_raw(&req->out, "</legend>\n");
	for (i = 0; i < nmembers; i++) {
		for (k = 0; k < natt && strcmp(att[k], members[i]); k++)
			;
		buf_reset(&id);
		buf_addf(&id, "f-attendee-%zu", i);
		widget_checkbox(req, "attendee", id.data, members[i], members[i],
		                k < natt);
	}
	html_raw(&req->out, "</fieldset>\n");
	button(req, "meeting.attendees_submit", 0);
	html_raw(&req->out, "</form>\n");
out:
	meeting_names_release(att, natt);
	meeting_names_release(members, nmembers);
	buf_release(&id);
}

/*
 * The action points (coordinator: they are sealed to signalen): owner,
 * what and by when; while open, a remove button each and a form to add.
 */
static void
render_actions(struct request *req, const struct meeting *m,
               const struct meeting_reader *r, int editable)
{
	static const char *const heads[] = {
		"meeting.action_owner", "meeting.action_text", "meeting.action_due",
	};
	struct meeting_action *v = NULL;
	struct buf text = BUF_INIT;
	size_t n = 0, i;

	if (r->overleg)
		return;
	heading2(req, web_text(req, "meeting.actions"));
	if (meeting_actions_read(req->inst, m->id, &r->key, &v, &n) < 0) {
		layout_paragraph(req, web_text(req, "meeting.actions_damaged"));
		return;
	}
	if (!n)
		layout_paragraph(req, web_text(req, "meeting.actions_none"));
	else {
		widget_table_head(req, "actions", heads,
		                  sizeof(heads) / sizeof(heads[0]));
		for (i = 0; i < n; i++) {
			html_raw(&req->out, "<tr><td>");
			secret_text(&text, v[i].owner);
			html_text(&req->out, text.data);
			html_raw(&req->out, "</td><td class=\"meldpunt-message-body\">");
			secret_text(&text, v[i].text);
			html_text(&req->out, text.data);
			html_raw(&req->out, "</td><td>");
			widget_time(req, v[i].due_on);
			if (editable) {
				form_open(req, PATH_MEETING_ACTION_REMOVE, m->id);
				hidden(req, "number", (int64_t)(i + 1));
				button(req, "meeting.action_remove", 0);
				html_raw(&req->out, "</form>");
			}
			html_raw(&req->out, "</td></tr>\n");
		}
		html_raw(&req->out, "</tbody>\n</table>\n");
	}
	if (editable) {
		form_open(req, PATH_MEETING_ACTION_ADD, m->id);
		text_input(req, "text", "owner", "f-action-owner",
		           "meeting.action_owner", NULL);
		textarea(req, "action", "f-action-text", "meeting.action_text",
		         NULL);
		text_input(req, "date", "due_on", "f-action-due",
		           "meeting.action_due", NULL);
		button(req, "meeting.action_add", 0);
		html_raw(&req->out, "</form>\n");
	}
	meeting_actions_release(v, n);
	buf_wipe_release(&text);
}

/* The whole meeting page, with an optional notice at the top. */
static int
render_meeting(struct request *req, const struct meeting *m,
               const struct meeting_reader *r, const char *notice,
               int is_error)
{
	struct meeting_item *items = NULL;
	struct buf title = BUF_INIT, text = BUF_INIT, id = BUF_INIT;
	int editable = !r->overleg && !m->closed_at[0];
	size_t n = 0, i;

	if (meeting_agenda(req->inst, m->id, r, 1, &items, &n) < 0)
		return -1;
	meeting_name(req, m, "meeting.meeting_title", &title);
	layout_begin(req, title.data);
	layout_back(req, PATH_MEETINGS, web_text(req, "meeting.back"));
	layout_heading(req, title.data);
	alert(req, notice, is_error);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"meeting-status\">");
	if (m->closed_at[0]) {
		char at[CLOCK_SHOW_LEN + 1];

		widget_time_text(req, m->closed_at, at);
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "meeting.closed_on"), "at", at,
		          "name", m->closed_by, (const char *)NULL);
		html_text(&req->out, text.data);
	} else {
		html_text(&req->out, web_text(req, "meeting.open_lead"));
	}
	html_raw(&req->out, "</p>\n<p class=\"utrecht-paragraph meldpunt-actions\">");
	link(req, num(&text, PATH_MEETING_MINUTES "?id=", m->id),
	     web_text(req, "meeting.minutes_link"));
	html_raw(&req->out, " ");
	link(req, PATH_MEETINGS, web_text(req, "meeting.back"));
	html_raw(&req->out, "</p>\n");

	heading2(req, web_text(req, "meeting.agenda"));
	if (!n)
		layout_paragraph(req, web_text(req, "meeting.agenda_empty"));
	html_raw(&req->out, "<ol class=\"meldpunt-agenda\" id=\"agenda\">\n");
	for (i = 0; i < n; i++) {
		const struct meeting_item *it = &items[i];

		buf_reset(&text);
		i18n_fill(&text, web_text(req, "meeting.signal_n"), "number",
		          cnum(req, &id, "", it->report_id), (const char *)NULL);
		html_raw(&req->out, "<li id=\"");
		html_attr(&req->out, cnum(req, &id, "item-", it->report_id));
		html_raw(&req->out, "\">\n<h3 class=\"utrecht-heading-3\">");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</h3>\n<p class=\"utrecht-paragraph\">");
		html_text(&req->out, web_text(req, "meeting.received"));
		html_raw(&req->out, " ");
		html_text(&req->out, it->received_on);
		html_raw(&req->out, " &middot; ");
		html_text(&req->out, web_text(req, "meeting.state"));
		html_raw(&req->out, " ");
		html_text(&req->out, state_label(req, it->state));
		html_raw(&req->out, " &middot; ");
		if (r->overleg)
			link(req, cnum(req, &id, PATH_MEETING_SIGNAL "?id=",
			               it->report_id),
			     web_text(req, "meeting.open_signal"));
		else
			link(req, cnum(req, &id, PATH_CASE "?id=", it->report_id),
			     web_text(req, "meeting.open_case"));
		html_raw(&req->out, "</p>\n");
		answers_render(req, REPORT_SIGNAL, it->content, "meeting.content");
		if (!editable) {
			render_notes(req, it);
		} else {
			form_open(req, PATH_MEETING_RECORD, m->id);
			hidden_case(req, it->report_id);
			textarea(req, "enrichment",
			         cnum(req, &id, "f-enrichment-", it->report_id),
			         "meeting.enrichment_label", it->enrichment);
			textarea(req, "decision",
			         cnum(req, &id, "f-decision-", it->report_id),
			         "meeting.decision_label", it->decision);
			render_next_select(req, it,
			                   cnum(req, &id, "f-next-",
			                        it->report_id));
			button(req, "meeting.record_submit", 1);
			html_raw(&req->out, "</form>\n");
			form_open(req, PATH_MEETING_REMOVE, m->id);
			hidden_case(req, it->report_id);
			button(req, "meeting.remove_submit", 0);
			html_raw(&req->out, "</form>\n");
		}
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ol>\n");
	render_attendees(req, m, editable);
	render_actions(req, m, r, editable);

	if (editable) {
		heading2(req, web_text(req, "meeting.add_title"));
		render_candidates(req, m, &r->key, items, n);
		form_open(req, PATH_MEETING_ADD, m->id);
		text_input(req, "text", "report", "f-report", "meeting.add_label", NULL);
		button(req, "meeting.add_submit", 0);
		html_raw(&req->out, "</form>\n");
		heading2(req, web_text(req, "meeting.close_title"));
		if (meeting_day_has_come(m)) {
			layout_paragraph(req, web_text(req, "meeting.close_lead"));
			form_open(req, PATH_MEETING_CLOSE, m->id);
			button(req, "meeting.close_submit", 0);
			html_raw(&req->out, "</form>\n");
		} else {
			render_redate(req, m);
		}
	}
	layout_end(req);
	meeting_agenda_release(items, n);
	buf_release(&title);
	buf_release(&text);
	buf_release(&id);
	return 0;
}

/* A refusal or failure of core as a page: its status and message. */
static int
refused(struct request *req, const struct outcome *o)
{
	unsigned status = o->verdict == VERDICT_NOT_FOUND ? 404
	                  : o->verdict == VERDICT_REFUSED ? 403 : 400;

	if (o->verdict == VERDICT_FAILED)
		return -1;
	return web_fail_key(req, status, o->key ? o->key : "common.bad_request");
}

/*
 * The meeting named by idtext and the reader of this session. 0; 1 with
 * the refusal in req (core audited it); -1.
 */
static int
load_meeting(struct request *req, const char *idtext, struct meeting *m,
             struct meeting_reader *r)
{
	struct session_who w;
	struct outcome o;
	int64_t id;

	if (parse_id(idtext, &id) < 0)
		id = 0;
	if (meeting_open_as(req->inst, actor_of(req, &w), id, m, r, &o) ==
	    VERDICT_DONE)
		return 0;
	return refused(req, &o) < 0 ? -1 : 1;
}

int
page_meeting(struct request *req)
{
	struct meeting_reader r;
	struct meeting m;

	int rc = load_meeting(req, web_query(req, "id"), &m, &r);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return render_meeting(req, &m, &r, NULL, 0);
}

int
page_meeting_minutes(struct request *req)
{
	struct meeting_item *items = NULL;
	struct meeting_reader r;
	struct meeting m;
	struct buf title = BUF_INIT, text = BUF_INIT;
	size_t n = 0, i;
	int rc = load_meeting(req, web_query(req, "id"), &m, &r);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (meeting_agenda(req->inst, m.id, &r, 0, &items, &n) < 0)
		return -1;
	meeting_name(req, &m, "meeting.minutes_title", &title);
	layout_begin(req, title.data);
	layout_back(req, num(&text, PATH_MEETING "?id=", m.id),
	            web_text(req, "meeting.back_to_meeting"));
	layout_heading(req, title.data);
	html_raw(&req->out, "<dl class=\"meldpunt-fields\" id=\"minutes-meta\">\n"
	         "<dt>");
	html_text(&req->out, web_text(req, "meeting.date"));
	html_raw(&req->out, "</dt><dd>");
	widget_time(req, m.held_on);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "meeting.chair"));
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, m.created_by);
	html_raw(&req->out, "</dd>\n<dt>");
	html_text(&req->out, web_text(req, "meeting.status"));
	html_raw(&req->out, "</dt><dd>");
	if (m.closed_at[0]) {
		char at[CLOCK_SHOW_LEN + 1];

		widget_time_text(req, m.closed_at, at);
		i18n_fill(&text, web_text(req, "meeting.closed_on"), "at", at,
		          "name", m.closed_by, (const char *)NULL);
		html_text(&req->out, text.data);
	} else {
		html_text(&req->out, web_text(req, "meeting.draft"));
	}
	html_raw(&req->out, "</dd>\n</dl>\n");
	heading2(req, web_text(req, "meeting.agenda"));
	if (!n)
		layout_paragraph(req, web_text(req, "meeting.agenda_empty"));
	html_raw(&req->out, "<ol class=\"meldpunt-minutes\" id=\"minutes\">\n");
	for (i = 0; i < n; i++) {
		cnum(req, &text, "", items[i].report_id);
		{
			struct buf line = BUF_INIT;

			i18n_fill(&line, web_text(req, "meeting.signal_line"), "number",
			          text.data, "received", items[i].received_on, "state",
			          state_label(req, items[i].state), (const char *)NULL);
			html_raw(&req->out, "<li>\n<h3 class=\"utrecht-heading-3\">");
			html_text(&req->out, line.data);
			html_raw(&req->out, "</h3>\n");
			buf_release(&line);
		}
		render_notes(req, &items[i]);
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ol>\n");
	render_attendees(req, &m, 0);
	render_actions(req, &m, &r, 0);
	html_raw(&req->out, "<div class=\"meldpunt-actions\">\n");
	layout_paragraph(req, web_text(req, "meeting.print_hint"));
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	buf_reset(&text);
	buf_addf(&text, PATH_MEETING "?id=%lld", (long long)m.id);
	link(req, text.data, web_text(req, "meeting.back_to_meeting"));
	html_raw(&req->out, "</p>\n</div>\n");
	layout_end(req);
	meeting_agenda_release(items, n);
	buf_release(&title);
	buf_release(&text);
	return 0;
}

int
page_meeting_signal(struct request *req)
{
	struct session_who w;
	struct outcome o;
	struct case_summary c;
	struct secret *content = NULL;
	struct buf title = BUF_INIT, text = BUF_INIT;
	char number[CASE_NUMBER_LEN + 1];
	int64_t id, meeting = 0;

	if (case_number_parse(web_query(req, "id"), number) < 0)
		return web_fail_key(req, 404, "case.not_found");
	/* A number no report has: core refuses it as any other (403). */
	if (case_number_find(req->inst->db, number, &id) != 0)
		id = 0;
	if (meeting_signal_as(req->inst, actor_of(req, &w), id, &c, &content,
	                      &meeting, &o) != VERDICT_DONE)
		return refused(req, &o);
	i18n_fill(&title, web_text(req, "meeting.signal_n"), "number",
	          c.number, (const char *)NULL);
	layout_begin(req, title.data);
	if (meeting)
		layout_back(req, num(&text, PATH_MEETING "?id=", meeting),
		            web_text(req, "meeting.back_to_meeting"));
	else
		layout_back(req, PATH_MEETINGS, web_text(req, "meeting.back"));
	layout_heading(req, title.data);
	html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
	html_text(&req->out, web_text(req, "meeting.received"));
	html_raw(&req->out, " ");
	html_text(&req->out, c.received_on);
	html_raw(&req->out, " &middot; ");
	html_text(&req->out, web_text(req, "meeting.state"));
	html_raw(&req->out, " ");
	html_text(&req->out, state_label(req, c.state));
	html_raw(&req->out, "</p>\n");
	answers_render(req, REPORT_SIGNAL, content, "meeting.content");
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-actions\">");
	if (meeting) {
		link(req, num(&text, PATH_MEETING "?id=", meeting),
		     web_text(req, "meeting.back_to_meeting"));
	} else {
		link(req, num(&text, PATH_CASE "?id=", id),
		     web_text(req, "meeting.open_case"));
	}
	html_raw(&req->out, "</p>\n");
	layout_end(req);
	secret_free(content);
	buf_release(&title);
	buf_release(&text);
	return 0;
}

/* Back to the meeting after an action, so a reload repeats nothing. */
static int
back_to_meeting(struct request *req, int64_t id)
{
	char path[64];

	snprintf(path, sizeof(path), PATH_MEETING "?id=%lld", (long long)id);
	return web_redirect(req, path);
}

/* A number from the form; 0 when it is none (core refuses that). */
static int64_t
posted_id(struct request *req, const char *name)
{
	int64_t id;

	return parse_id(post_get(req->post, name), &id) < 0 ? 0 : id;
}

/*
 * The signal the form names by its case number (casenumber.h); 0 when it
 * is none or no report has it (core answers 404 and changes nothing).
 */
static int64_t
posted_case(struct request *req)
{
	int64_t id;

	return case_number_find(req->inst->db, post_get(req->post, "report"),
	                        &id) == 0 ? id : 0;
}

/*
 * The outcome of a change: back to the meeting, or the refusal on it
 * (status 400 with the meeting shown again; 403 and 404 on their own).
 */
static int
answer(struct request *req, int64_t id, const struct outcome *o)
{
	struct session_who w;
	struct meeting_reader r;
	struct meeting fresh;

	if (o->verdict == VERDICT_DONE)
		return back_to_meeting(req, id);
	if (o->verdict != VERDICT_INVALID && o->verdict != VERDICT_STALE)
		return refused(req, o);
	if (meeting_get(req->inst, id, &fresh) != 0 ||
	    meeting_reader_for(actor_of(req, &w), &r) < 0)
		return -1;
	req->status = 400;
	{
		/* A notice may name the meeting's day ({date}). */
		char day[CLOCK_SHOW_LEN + 1];
		struct buf notice = BUF_INIT;
		int ret;

		widget_time_text(req, fresh.held_on, day);
		i18n_fill(&notice, web_text(req, o->key), "date", day,
		          (const char *)NULL);
		ret = render_meeting(req, &fresh, &r, notice.data, 1);
		buf_release(&notice);
		return ret;
	}
}

int
page_meeting_add(struct request *req)
{
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	meeting_add_as(req->inst, actor_of(req, &w), id, posted_case(req),
	               &o);
	return answer(req, id, &o);
}

int
page_meeting_remove(struct request *req)
{
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	meeting_remove_as(req->inst, actor_of(req, &w), id,
	                  posted_case(req), &o);
	return answer(req, id, &o);
}

int
page_meeting_record(struct request *req)
{
	const char *enrichment, *decision;
	size_t elen = 0, dlen = 0;
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	enrichment = form_text(req, "enrichment", &elen);
	decision = form_text(req, "decision", &dlen);
	meeting_record_as(req->inst, actor_of(req, &w), id,
	                  posted_case(req), enrichment, elen, decision,
	                  dlen, post_get(req->post, "next"), &o);
	return answer(req, id, &o);
}

int
page_meeting_close(struct request *req)
{
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	meeting_close_as(req->inst, actor_of(req, &w), id, &o);
	return answer(req, id, &o);
}

int
page_meeting_redate(struct request *req)
{
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	meeting_redate_as(req->inst, actor_of(req, &w), id,
	                  post_get(req->post, "held_on"), &o);
	return answer(req, id, &o);
}

int
page_meeting_attendees(struct request *req)
{
	const char *names[MEETING_ATTENDEES_MAX + 1];
	size_t n = post_count(req->post, "attendee"), i;
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	if (n > MEETING_ATTENDEES_MAX)
		n = MEETING_ATTENDEES_MAX + 1;	/* refused by core */
	for (i = 0; i < n; i++) {
		const struct post_field *f = post_field_nth(req->post, "attendee",
		                                            i);

		names[i] = f && !f->is_file ? f->value.data : "";
	}
	meeting_attendees_set_as(req->inst, actor_of(req, &w), id, names, n, &o);
	return answer(req, id, &o);
}

int
page_meeting_action_add(struct request *req)
{
	const char *owner, *text;
	size_t olen = 0, tlen = 0;
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id");

	owner = form_text(req, "owner", &olen);
	text = form_text(req, "action", &tlen);
	meeting_action_add_as(req->inst, actor_of(req, &w), id, owner, olen, text,
	                      tlen, post_get(req->post, "due_on"), &o);
	return answer(req, id, &o);
}

int
page_meeting_action_remove(struct request *req)
{
	struct session_who w;
	struct outcome o;
	int64_t id = posted_id(req, "id"), number = posted_id(req, "number");

	meeting_action_remove_as(req->inst, actor_of(req, &w), id,
	                         number > 0 ? (size_t)number : 0, &o);
	return answer(req, id, &o);
}
