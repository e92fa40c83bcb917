/*
 * page_inbox.c - the handler's inbox: the reports of one type the
 * session's keyring opens, opening with the daily reminder's numbers
 * (deadlines due this week and overdue, core/reminder.h), with a search
 * in their content, filters (state,
 * phenomenon, overdue, closed, assigned to me, unassigned, a new message
 * from the reporter) with their counts, a sort, and per report its
 * number, day of receipt, state, phenomenon or kind of incident, the first
 * words of its description, its handler and its next deadline.
 *
 * The query's shape is checked by the route table (web/routes.c,
 * params.h) before this runs; here only what needs the workflow and the
 * form (a state or phenomenon that exists) is checked. core/inbox.c
 * lists, opens, audits; this file renders, escaping every text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "inbox.h"
#include "layout.h"
#include "oral.h"
#include "page_case.h"
#include "page_inbox.h"
#include "paths.h"
#include "reminder.h"
#include "session.h"
#include "shared.h"
#include "widget.h"
#include "workflow.h"

/* The query as the page got it, each part checked. */
struct inbox_page {
	enum report_type t;
	struct inbox_query q;
	const char *who;	/* "", "mine", "unassigned" */
	const char *sort;	/* "", "deadline", "received", "state" */
};

static const char *
query_or_empty(const struct request *req, const char *name)
{
	const char *v = web_query(req, name);

	return v ? v : "";
}

/* "{label} ({count})" with count filled in, into out. */
static void
with_count(const struct request *req, const char *key, size_t count,
           struct buf *out)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", count);
	buf_reset(out);
	i18n_fill(out, web_text(req, key), "count", n, (const char *)NULL);
}

static void
render_filters(struct request *req, const struct inbox_page *p,
               const struct inbox *ib)
{
	const struct workflow *wf = web_workflow(req, p->t);
	const struct form_field *ph = form_field(forms_get(p->t), "phenomenon");
	struct buf text = BUF_INIT;
	char max[24];
	size_t i;

	html_raw(&req->out, "<form class=\"meldpunt-filters\" method=\"get\" "
	         "action=\"" PATH_INBOX "\" role=\"search\">\n"
	         "<input type=\"hidden\" name=\"type\" value=\"");
	html_attr(&req->out, report_type_name(p->t));
	html_raw(&req->out, "\">\n<div class=\"utrecht-form-field\">"
	         "<label class=\"utrecht-form-label\" for=\"f-q\">");
	html_text(&req->out, web_text(req, "case.search"));
	snprintf(max, sizeof(max), "%u", req->limits->search_max);
	html_raw(&req->out, "</label>\n<input class=\"utrecht-textbox\" "
	         "type=\"search\" name=\"q\" id=\"f-q\" maxlength=\"");
	html_attr(&req->out, max);
	html_raw(&req->out, "\" value=\"");
	html_attr(&req->out, p->q.search ? p->q.search : "");
	html_raw(&req->out, "\"></div>\n");

	widget_select_open(req, "state", "f-state", web_text(req, "case.state"));
	widget_option(req, "", web_text(req, "case.any"), p->q.state);
	for (i = 0; i < workflow_state_count(wf); i++) {
		const struct workflow_state *s = workflow_state_at(wf, i);

		widget_option(req, s->name, page_case_state_label(req, p->t,
		              s->name), p->q.state);
	}
	html_raw(&req->out, "</select></div>\n");
	if (ph) {
		widget_select_open(req, "phenomenon", "f-phenomenon",
		                   web_text(req, "case.phenomenon"));
		widget_option(req, "", web_text(req, "case.any"),
		              p->q.phenomenon);
		for (i = 0; i < ph->noptions; i++) {
			buf_reset(&text);
			page_case_option_text(req, p->t, "phenomenon",
			                      ph->options[i], &text);
			widget_option(req, ph->options[i], text.data,
			              p->q.phenomenon);
		}
		html_raw(&req->out, "</select></div>\n");
	}
	widget_select_open(req, "who", "f-who", web_text(req, "case.who"));
	with_count(req, "case.who_any", ib->counts.all, &text);
	widget_option(req, "", text.data, p->who);
	with_count(req, "case.who_mine", ib->counts.mine, &text);
	widget_option(req, "mine", text.data, p->who);
	with_count(req, "case.who_unassigned", ib->counts.unassigned, &text);
	widget_option(req, "unassigned", text.data, p->who);
	html_raw(&req->out, "</select></div>\n");
	with_count(req, "case.unread_only", ib->counts.unread, &text);
	widget_checkbox(req, "unread", "f-unread", "1", text.data,
	                p->q.unread_only);
	with_count(req, "case.overdue_count", ib->counts.overdue, &text);
	widget_checkbox(req, "overdue", "f-overdue", "1", text.data,
	                p->q.overdue_only);
	widget_checkbox(req, "closed", "f-closed", "1",
	                web_text(req, "case.with_closed"), !p->q.open_only);
	widget_select_open(req, "sort", "f-sort", web_text(req, "case.sort"));
	widget_option(req, "", web_text(req, "case.sort_deadline"), p->sort);
	widget_option(req, "received", web_text(req, "case.sort_received"),
	              p->sort);
	widget_option(req, "state", web_text(req, "case.sort_state"), p->sort);
	html_raw(&req->out, "</select></div>\n<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&req->out, web_text(req, "case.filter"));
	html_raw(&req->out, "</button>\n</form>\n");
	buf_release(&text);
}

/*
 * The fourth column's question: the form's kind of what happened (an
 * incident's kinds, an integrity report's kind of violation) if it asks
 * one, else NULL: the phenomenon (a signal's).
 */
static const struct form_field *
kind_field(enum report_type t)
{
	return form_field(forms_get(t), "kind");
}

/* The kinds (option names joined by ','), as labels. */
static void
render_kinds(struct request *req, enum report_type t, const char *kinds)
{
	struct buf name = BUF_INIT, text = BUF_INIT;
	const char *p = kinds, *end;

	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		buf_reset(&name);
		buf_add(&name, p, (size_t)(end - p));
		buf_reset(&text);
		page_case_option_text(req, t, "kind", name.data, &text);
		if (p != kinds)
			html_raw(&req->out, ", ");
		html_text(&req->out, text.data);
		p = *end ? end + 1 : end;
	}
	buf_release(&name);
	buf_release(&text);
}

static void
render_row(struct request *req, enum report_type t, const struct inbox_row *r)
{
	const struct case_summary *c = &r->c;
	struct buf text = BUF_INIT;
	char due[CLOCK_TEXT_LEN + 1];

	html_raw(&req->out, c->overdue
	         ? "<tr class=\"utrecht-table__row meldpunt-overdue\">"
	         : c->next_due && c->verdict == DEADLINE_DUE_SOON
	         ? "<tr class=\"utrecht-table__row meldpunt-due-soon\">"
	         : "<tr class=\"utrecht-table__row\">");
	/* By its case number (casenumber.h), never its row. */
	buf_addf(&text, PATH_CASE "?id=%s", c->number);
	html_raw(&req->out, "<td><a class=\"utrecht-link\" href=\"");
	html_attr(&req->out, text.data);
	buf_reset(&text);
	buf_adds(&text, c->number);
	html_raw(&req->out, "\">");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</a></td><td>");
	widget_time(req, c->received_on);
	html_raw(&req->out, "</td><td>");
	widget_badge(req, page_case_state_label(req, t, c->state), "state");
	if (c->oral != ORAL_NONE) {
		/* An oral report, and where the reporter's check stands. */
		buf_reset(&text);
		buf_addf(&text, "oral.case_state_%s", oral_state_name(c->oral));
		html_raw(&req->out, " <span class=\"meldpunt-oral\" data-oral=\"");
		html_attr(&req->out, oral_state_name(c->oral));
		html_raw(&req->out, "\">");
		widget_badge(req, web_text(req, text.data), "oral");
		html_raw(&req->out, "</span>");
	}
	html_raw(&req->out, "</td><td>");
	if (kind_field(t)) {
		render_kinds(req, t, r->kind);
	} else if (c->phenomenon[0]) {
		buf_reset(&text);
		page_case_option_text(req, t, "phenomenon", c->phenomenon, &text);
		html_text(&req->out, text.data);
	}
	html_raw(&req->out, "</td><td class=\"meldpunt-summary\">");
	if (r->unread) {
		html_raw(&req->out, "<strong class=\"meldpunt-new\">");
		html_text(&req->out, web_text(req, "case.new_message"));
		html_raw(&req->out, "</strong> ");
	}
	html_text(&req->out, r->summary);
	html_raw(&req->out, "</td><td>");
	html_text(&req->out, c->assignee);
	if (c->next_due) {
		/* The deadline due next, judged as on the case page. */
		html_raw(&req->out, "</td><td data-verdict=\"");
		html_attr(&req->out, deadline_verdict_name(c->verdict));
		html_raw(&req->out, "\">");
		clock_format(c->next_due, due);
		widget_time(req, due);
		/* An overdue deadline as the "late" status badge. */
		html_raw(&req->out, c->verdict == DEADLINE_OVERDUE
		         ? " <span class=\"meldpunt-badge meldpunt-badge--late\">("
		         : " <span>(");
		html_text(&req->out, web_text(req, page_case_verdict_key(c->verdict)));
		html_raw(&req->out, ")</span>");
	} else {
		html_raw(&req->out, "</td><td>");
	}
	html_raw(&req->out, "</td></tr>\n");
	buf_release(&text);
}

static void
render_table(struct request *req, enum report_type t, const struct inbox *ib,
             const char *title)
{
	static const char *const heads[] = {
		"case.number", "case.received", "case.state", NULL,
		"case.summary", "case.assignee", "case.deadline",
	};
	size_t i;

	widget_scroll_open(req, title);
	html_raw(&req->out, "<table class=\"utrecht-table meldpunt-inbox\">\n"
	         "<thead class=\"utrecht-table__header\">"
	         "<tr class=\"utrecht-table__row\">");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(&req->out, "<th class=\"utrecht-table__header-cell\" "
		         "scope=\"col\">");
		/* The fourth: the kind asked (kind_field), else the phenomenon. */
		html_text(&req->out, web_text(req, heads[i] ? heads[i]
		          : kind_field(t) ? "case.kind" : "case.phenomenon"));
		html_raw(&req->out, "</th>");
	}
	html_raw(&req->out, "</tr></thead>\n<tbody class=\"utrecht-table__body\">\n");
	for (i = 0; i < ib->n; i++)
		render_row(req, t, &ib->rows[i]);
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
}

/*
 * The query of the request into p: 1, or 0 with the 400 answer in req
 * for a state or phenomenon the workflow and form do not have.
 */
/*
 * The inbox's type without a choice: the first type (schema/forms/ order)
 * the session handles (its role) and holds the keyring of, else the first
 * whose keyring it holds, else the first.
 */
static enum report_type
default_type(struct request *req)
{
	struct ring_key key;
	size_t i, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < report_types_count(); i++) {
			enum report_type t = (enum report_type)i;

			if ((pass || (req->session->roles &
			              report_type_role(t))) &&
			    case_ring_key(req, t, &key) == 0)
				return t;
		}
	return (enum report_type)0;
}

static int
read_query(struct request *req, struct inbox_page *p)
{
	const char *typetext = web_query(req, "type");
	const char *state = query_or_empty(req, "state");
	const char *phen = query_or_empty(req, "phenomenon");

	memset(p, 0, sizeof(*p));
	if (typetext)
		report_type_parse(typetext, &p->t);	/* checked: params.h */
	else
		p->t = default_type(req);
	if (*state) {
		if (!workflow_state_find(web_workflow(req, p->t), state)) {
			web_fail_key(req, 400, "case.filter_unknown");
			return 0;
		}
		p->q.state = state;
	}
	if (*phen) {
		const struct form_field *ph = form_field(forms_get(p->t),
		                                         "phenomenon");
		size_t k;

		for (k = 0; ph && k < ph->noptions; k++)
			if (strcmp(ph->options[k], phen) == 0)
				p->q.phenomenon = ph->options[k];
		if (!p->q.phenomenon) {
			web_fail_key(req, 400, "case.filter_unknown");
			return 0;
		}
	}
	p->q.overdue_only = web_query(req, "overdue") != NULL;
	p->q.soon = web_due_soon(req);
	p->q.open_only = web_query(req, "closed") == NULL;
	p->q.unread_only = web_query(req, "unread") != NULL;
	p->q.search = web_query(req, "q");
	p->who = query_or_empty(req, "who");
	p->q.who = strcmp(p->who, "mine") == 0 ? INBOX_MINE
	         : strcmp(p->who, "unassigned") == 0 ? INBOX_UNASSIGNED
	         : INBOX_ANYONE;
	p->sort = query_or_empty(req, "sort");
	p->q.sort = strcmp(p->sort, "received") == 0 ? INBOX_SORT_RECEIVED
	          : strcmp(p->sort, "state") == 0 ? INBOX_SORT_STATE
	          : INBOX_SORT_DEADLINE;
	return 1;
}

/*
 * What the daily reminder says (core/reminder.h), for this type: the
 * deadlines due within [reminders] days working days, and those overdue.
 */
static int
render_due_week(struct request *req, enum report_type t)
{
	const struct config *c = web_config(req);
	unsigned days = c ? c->reminder_days : REMINDER_DAYS_DEFAULT;
	struct reminder_counts n;
	struct buf text = BUF_INIT;
	char d[24], soon[24], late[24];

	if (reminder_count(req->inst, web_workflows(req), REMINDER_TYPE(t),
	                   clock_now(), days, &n) < 0)
		return -1;
	snprintf(d, sizeof(d), "%u", days);
	snprintf(soon, sizeof(soon), "%zu", n.due_soon);
	snprintf(late, sizeof(late), "%zu", n.overdue);
	i18n_fill(&text, web_text(req, "case.due_week"), "days", d, "soon", soon,
	          "overdue", late, (const char *)NULL);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-due-week\" "
	         "id=\"due-week\">");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	buf_release(&text);
	return 0;
}

int
page_inbox(struct request *req)
{
	struct session_who sw;
	const struct actor *a = session_who(req->session, &sw);
	struct inbox_page p;
	struct inbox ib;
	struct outcome o;
	struct buf title = BUF_INIT, text = BUF_INIT;
	char count[24], late[24];
	size_t i, overdue = 0;

	if (!read_query(req, &p))
		return 0;
	switch (inbox_list(req->inst, web_workflows(req), a, p.t, &p.q,
	                   req->limits->search_max, clock_now(), &ib, &o)) {
	case VERDICT_DONE:
		break;
	case VERDICT_REFUSED:
		return web_fail_key(req, 403, "case.no_keyring");
	case VERDICT_INVALID:
		return web_fail_key(req, 400, o.key);
	default:
		return -1;
	}
	buf_addf(&title, "case.inbox_%s", report_type_name(p.t));
	layout_begin(req, web_text(req, title.data));
	layout_heading(req, web_text(req, title.data));
	if (render_due_week(req, p.t) < 0) {
		inbox_release(&ib);
		buf_release(&title);
		return -1;
	}
	for (i = 0; i < ib.n; i++)
		overdue += ib.rows[i].c.overdue != 0;
	snprintf(count, sizeof(count), "%zu", ib.n);
	snprintf(late, sizeof(late), "%zu", overdue);
	i18n_fill(&text, web_text(req, "case.counts"), "count", count,
	          "overdue", late, (const char *)NULL);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-counts\" "
	         "id=\"counts\">");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	render_filters(req, &p, &ib);
	if (!ib.n)
		layout_paragraph(req, web_text(req, "case.none"));
	else
		render_table(req, p.t, &ib, web_text(req, title.data));
	if (p.t == REPORT_INCIDENT) {
		html_raw(&req->out, "<p class=\"utrecht-paragraph\">");
		widget_link(req, PATH_AMOUNTS "?type=incident",
		            web_text(req, "case.amounts_link"));
		html_raw(&req->out, "</p>\n");
	}
	layout_end(req);
	inbox_release(&ib);
	buf_release(&title);
	buf_release(&text);
	return 0;
}
