/*
 * page_correct.c - corrections and undos of workflow steps on the case
 * page (issue 17 point 4), and the workflow events of its timeline.
 *
 * Every step of the timeline that records fields offers, to a handler
 * whose roles may take it, a form to correct them (filled in with the
 * values as they are now, or with what was typed before a refusal); the
 * last step in effect offers an undo with a reason, unless it showed the
 * reporter something (core decides: casework_reaches_reporter). A
 * correction and an undo are events of their own in the timeline: who,
 * when, which step, each field that changed with its value before and
 * after, or the reason. The pages only parse and render: core's
 * casework_correct and casework_undo check, store and audit.
 */
#include <stdio.h>
#include <string.h>

#include "casenumber.h"
#include "casework.h"
#include "html.h"
#include "i18n.h"
#include "install.h"
#include "page_case.h"
#include "page_case_internal.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "shared.h"
#include "widget.h"
#include "workflow.h"

static enum workflow_lang
lang_of(const struct request *req)
{
	return req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL;
}

static const char *
step_label(const struct request *req, enum report_type type,
           const struct event *ev)
{
	const struct workflow_transition *t = workflow_transition_find(
		web_workflow(req, type), ev->transition);

	return t ? t->label[lang_of(req)] : ev->transition;
}

/* The value of name in f, or "". */
static const char *
value_of(const struct event_fields *f, const char *name)
{
	size_t i;

	for (i = 0; f && i < f->n; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return f->items[i].value;
	return "";
}

/* 1 when this request is the refused form of step (keep what was typed). */
static int
posted_for(const struct request *req, const char *action, int64_t step)
{
	const char *s = req->post ? post_get(req->post, "step") : NULL;
	const char *w = req->post ? post_get(req->post, "change") : NULL;
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)step);
	return s && w && strcmp(s, id) == 0 && strcmp(w, action) == 0;
}

/* The correction form of step i, and the undo form when it may be undone. */
static void
render_forms(struct request *req, const struct case_view *v, size_t i,
             const struct workflow_transition *t)
{
	const struct event *ev = &v->events.items[i];
	const struct workflow *wf = web_workflow(req, v->c.type);
	int keep = posted_for(req, "correct", ev->id);
	struct buf id = BUF_INIT;
	size_t k;

	if (t->nfields) {
		html_raw(&req->out, keep ? "<details open>" : "<details>");
		html_raw(&req->out, "<summary>");
		html_text(&req->out, web_text(req, "case.correct_open"));
		html_raw(&req->out, "</summary>\n");
		widget_form_post(req, PATH_CASE_CORRECT);
		widget_hidden(req, "id", v->c.number);
		widget_hidden_int(req, "step", ev->id);
		widget_hidden(req, "change", "correct");
		widget_hidden(req, "transition", t->name);
		for (k = 0; k < t->nfields; k++) {
			buf_reset(&id);
			buf_addf(&id, "c-%lld-%s", (long long)ev->id, t->fields[k]);
			pc_field_input(req, v->c.type, t->fields[k], id.data,
			               keep ? post_get(req->post, t->fields[k])
			                    : value_of(&v->fields[ev->current],
			                               t->fields[k]));
		}
		widget_button(req, web_text(req, "case.correct_submit"), 0);
		html_raw(&req->out, "</form></details>\n");
	}
	if (events_last_step(&v->events) == (ptrdiff_t)i &&
	    !casework_reaches_reporter(wf, ev)) {
		keep = posted_for(req, "undo", ev->id);
		html_raw(&req->out, keep ? "<details open>" : "<details>");
		html_raw(&req->out, "<summary>");
		html_text(&req->out, web_text(req, "case.undo_open"));
		html_raw(&req->out, "</summary>\n");
		widget_form_post(req, PATH_CASE_UNDO);
		widget_hidden(req, "id", v->c.number);
		widget_hidden_int(req, "step", ev->id);
		widget_hidden(req, "change", "undo");
		buf_reset(&id);
		buf_addf(&id, "u-%lld-reason", (long long)ev->id);
		widget_textarea_typed(req, "reason", id.data,
		                      web_text(req, "case.undo_reason_label"),
		                      keep ? post_get(req->post, "reason") : NULL);
		widget_button(req, web_text(req, "case.undo_submit"), 0);
		html_raw(&req->out, "</form></details>\n");
	}
	buf_release(&id);
}

/*
 * A correction: each field that changed, with its value in the version
 * before (the step's own, or the correction before this one).
 */
static void
render_correction(struct request *req, const struct case_view *v, size_t i)
{
	const struct event *ev = &v->events.items[i];
	const struct event_fields *now = &v->fields[i], *was = NULL;
	struct buf text = BUF_INIT, lbl = BUF_INIT;
	size_t j, k;

	for (j = 0; j < i; j++) {
		const struct event *p = &v->events.items[j];

		if (p->id == ev->target ||
		    (p->kind == EVENT_CORRECTION && p->target == ev->target))
			was = &v->fields[j];
	}
	html_raw(&req->out, "<ul class=\"utrecht-unordered-list "
	         "meldpunt-corrected\">\n");
	for (k = 0; k < now->n; k++) {
		const char *before = value_of(was, now->items[k].name);

		if (strcmp(before, now->items[k].value) == 0)
			continue;
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "case.corrected_field"), "field",
		          pc_field_label(req, v->c.type, now->items[k].name, &lbl),
		          "was", before, "is", now->items[k].value,
		          (const char *)NULL);
		html_raw(&req->out, "<li>");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</li>\n");
	}
	html_raw(&req->out, "</ul>\n");
	buf_wipe_release(&text);
	buf_release(&lbl);
}

void
correct_render_event(struct request *req, const struct case_view *v,
                     size_t i)
{
	const struct event *ev = &v->events.items[i];
	const struct event *step = ev;
	const struct workflow_transition *t;
	struct buf text = BUF_INIT;
	ptrdiff_t k;

	if (ev->kind != EVENT_STEP) {
		k = events_find(&v->events, ev->target);
		if (k >= 0)
			step = &v->events.items[k];
	}
	t = workflow_transition_find(web_workflow(req, v->c.type),
	                             step->transition);
	if (ev->kind == EVENT_STEP) {
		html_text(&req->out, ev->actor);
		html_raw(&req->out, ": ");
		html_text(&req->out, step_label(req, v->c.type, ev));
		if (ev->undone_by >= 0) {
			html_raw(&req->out, " ");
			html_text(&req->out, web_text(req, "case.undone_mark"));
		}
		html_raw(&req->out, "</p>\n");
		if (v->fields[i].n)
			pc_render_fields(req, v->c.type, &v->fields[i]);
		if (ev->undone_by < 0 && t && (t->roles & req->session->roles))
			render_forms(req, v, i, t);
		goto out;
	}
	i18n_fill(&text, web_text(req, ev->kind == EVENT_UNDO ? "case.undone"
	                                                      : "case.corrected"),
	          "actor", ev->actor, "step", step_label(req, v->c.type, step),
	          (const char *)NULL);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	if (ev->kind == EVENT_CORRECTION) {
		render_correction(req, v, i);
	} else {
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "case.undone_reason"), "reason",
		          value_of(&v->fields[i], "reason"), (const char *)NULL);
		html_raw(&req->out, "<p class=\"meldpunt-message-body\">");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</p>\n");
	}
out:
	buf_wipe_release(&text);
}

int
page_case_correct(struct request *req)
{
	int64_t id = 0, step = 0;
	const char *name = post_get(req->post, "transition");
	const struct workflow_transition *t = NULL;
	struct workflow_field fields[CASEWORK_FIELDS_MAX];
	struct case_summary c;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	size_t nfields = 0, k;

	/* The case by its number (casenumber.h); none: 404, nothing done. */
	if (case_number_find(req->inst->db, post_get(req->post, "id"),
	                     &id) != 0)
		id = 0;
	if (widget_parse_id(post_get(req->post, "step"), &step) < 0)
		step = 0;
	/* The fields the page showed; core checks them against the step. */
	if (name && case_get(req->inst, id, &c) == 0)
		t = workflow_transition_find(web_workflow(req, c.type), name);
	for (k = 0; t && k < t->nfields && nfields < CASEWORK_FIELDS_MAX; k++) {
		const char *value = post_get(req->post, t->fields[k]);

		if (value) {
			fields[nfields].name = t->fields[k];
			fields[nfields].value = value;
			nfields++;
		}
	}
	casework_correct(req->inst, web_workflows(req), a, id, step, fields,
	                 nfields, &o);
	return pc_after_action(req, id, &o);
}

int
page_case_undo(struct request *req)
{
	int64_t id = 0, step = 0;
	struct session_who sa;
	const struct actor *a = session_who(req->session, &sa);
	struct outcome o;
	size_t len = 0;
	const char *reason;

	/* The case by its number (casenumber.h); none: 404, nothing done. */
	if (case_number_find(req->inst->db, post_get(req->post, "id"),
	                     &id) != 0)
		id = 0;
	if (widget_parse_id(post_get(req->post, "step"), &step) < 0)
		step = 0;
	reason = widget_post_text(req, "reason", &len);
	casework_undo(req->inst, web_workflows(req), a, id, step,
	              reason ? reason : "", &o);
	return pc_after_action(req, id, &o);
}
