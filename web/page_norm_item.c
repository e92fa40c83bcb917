/*
 * page_norm_item.c - the form for one item of the norm self-assessment
 * (see page_norm.h).
 *
 * The form for one item is a POST with the session's CSRF token; a refusal
 * shows the form again with status 400, every problem named at the top
 * and at its field, and every answer kept. A save answers 303 back to the
 * item on the year's page, so a reload repeats nothing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "html.h"
#include "install.h"
#include "layout.h"
#include "norm.h"
#include "page_norm.h"
#include "paths.h"
#include "post.h"
#include "session.h"
#include "stats.h"
#include "widget.h"
#include "page_norm_internal.h"

/* Empty action rows the form offers beyond the stored ones. */
#define NORM_FORM_SPARE_ACTIONS 2

/* The form's answers, as typed (kept on a refusal). */
struct answers {
	char status[16];
	const char *explanation, *evidence;
	struct norm_action actions[LIMIT_NORM_ACTIONS_MAX + 1];
	size_t nactions;
	int too_many;
};

/* The problem of field, or NULL. */
static const struct norm_problem *
problem_of(const struct norm_problem *p, size_t n, const char *field)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].field, field) == 0)
			return &p[i];
	return NULL;
}

static void
problem_text(const struct request *req, const struct norm_problem *p,
             struct buf *out)
{
	static const char *const keys[] = {
		[NORM_BAD_YEAR] = "norm.err_year",
		[NORM_BAD_ITEM] = "norm.err_item",
		[NORM_BAD_STATUS] = "norm.err_status",
		[NORM_TOO_LONG] = "norm.err_too_long",
		[NORM_BAD_TEXT] = "norm.err_text",
		[NORM_BAD_DATE] = "norm.err_date",
		[NORM_ACTION_INCOMPLETE] = "norm.err_action",
		[NORM_TOO_MANY_ACTIONS] = "norm.err_too_many",
	};
	char max[24], n[24];
	unsigned limit = req->limits->norm_text_max;

	if (strncmp(p->field, "action_text", 11) == 0)
		limit = req->limits->norm_action_max;
	else if (strncmp(p->field, "action_owner", 12) == 0)
		limit = req->limits->norm_owner_max;
	else if (p->code == NORM_TOO_MANY_ACTIONS)
		limit = req->limits->norm_actions_max;
	snprintf(max, sizeof(max), "%u", limit);
	snprintf(n, sizeof(n), "%zu", p->index + 1);
	buf_reset(out);
	i18n_fill(out, web_text(req, keys[p->code]), "max", max, "n", n,
	          (const char *)NULL);
}

/* The field's problem as a message before it, and its aria attributes. */
static void
field_error(struct request *req, const struct norm_problem *p, const char *id)
{
	struct buf text = BUF_INIT;

	if (!p)
		return;
	problem_text(req, p, &text);
	html_raw(&req->out, "<p class=\"utrecht-form-field-error-message\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "-error\">");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	buf_release(&text);
}

static void
invalid_attrs(struct request *req, const struct norm_problem *p,
              const char *id)
{
	if (!p)
		return;
	html_raw(&req->out, " aria-invalid=\"true\" aria-describedby=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "-error\"");
}

static void
textarea(struct request *req, const char *name, const char *label_key,
         const char *value, unsigned max, const struct norm_problem *p)
{
	char id[40], hint[24];
	struct buf text = BUF_INIT;

	snprintf(id, sizeof(id), "f-%s", name);
	snprintf(hint, sizeof(hint), "%u", max);
	widget_label(req, id, web_text(req, label_key));
	html_raw(&req->out, "<p class=\"utrecht-form-field-description\">");
	i18n_fill(&text, web_text(req, "norm.max_bytes"), "max", hint,
	          (const char *)NULL);
	html_text(&req->out, text.data);
	html_raw(&req->out, "</p>\n");
	field_error(req, p, id);
	html_raw(&req->out, "<textarea class=\"utrecht-textarea "
	         "utrecht-textarea--html-textarea\" rows=\"5\" name=\"");
	html_attr(&req->out, name);
	html_raw(&req->out, "\" id=\"");
	html_attr(&req->out, id);
	html_raw(&req->out, "\"");
	invalid_attrs(req, p, id);
	html_raw(&req->out, ">");
	html_text(&req->out, value ? value : "");
	html_raw(&req->out, "</textarea>\n</div>\n");
	buf_release(&text);
}

static void
input(struct request *req, const char *type, const char *name,
      const char *label, const char *value, const struct norm_problem *p)
{
	char id[40];

	snprintf(id, sizeof(id), "f-%s", name);
	widget_label(req, id, label);
	field_error(req, p, id);
	widget_input_open(req, type, name, id, value ? value : "");
	invalid_attrs(req, p, id);
	html_raw(&req->out, ">\n</div>\n");
}

/* The form for item i of the year, with answers and problems. */
static int
render_form(struct request *req, const struct view *v, size_t i,
            const struct answers *ans, const struct norm_problem *probs,
            size_t nprobs)
{
	const struct norm_item *it = &v->c->items[i];
	struct buf text = BUF_INIT, name = BUF_INIT, href = BUF_INIT;
	const struct norm_problem *p;
	size_t k, rows;
	int s;
	char y[16], anchor[16];

	pn_year_text(v->year, y);
	i18n_fill(&text, web_text(req, "norm.form_title"), "number", it->number,
	          "year", y, (const char *)NULL);
	layout_begin(req, text.data);
	layout_heading(req, text.data);
	if (nprobs) {
		layout_alert_begin(req, "error");
		layout_paragraph(req, web_text(req, "norm.form_errors"));
		html_raw(&req->out, "<ul class=\"utrecht-unordered-list\" "
		         "id=\"errors\">\n");
		for (k = 0; k < nprobs && k < NORM_PROBLEMS_MAX; k++) {
			struct buf msg = BUF_INIT;

			problem_text(req, &probs[k], &msg);
			buf_reset(&href);
			/* "action_3" names the row: point at its text field. */
			if (strncmp(probs[k].field, "action_", 7) == 0 &&
			    !strchr(probs[k].field + 7, '_'))
				buf_addf(&href, "#f-action_text_%zu", probs[k].index + 1);
			else if (strcmp(probs[k].field, "status") == 0)
				buf_adds(&href, "#f-status-meets");
			else if (strcmp(probs[k].field, "actions") == 0)
				buf_adds(&href, "#f-action_text_1");
			else
				buf_addf(&href, "#f-%s", probs[k].field);
			html_raw(&req->out, "<li>");
			pn_link(req, href.data, msg.data);
			html_raw(&req->out, "</li>\n");
			buf_release(&msg);
		}
		html_raw(&req->out, "</ul>\n");
		layout_alert_end(req);
	}
	pn_item_text(req, it, 0);
	pn_indicator_notes(req, v);
	if (pn_has_indicators(it->number))
		pn_indicators_html(req, v, it->number);
	widget_form_post(req, PATH_NORM_ITEM);
	widget_hidden(req, "jaar", y);
	widget_hidden(req, "onderdeel", it->number);
	p = problem_of(probs, nprobs, "status");
	html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset\"");
	if (p)
		html_raw(&req->out, " aria-describedby=\"f-status-error\"");
	html_raw(&req->out, ">\n<legend class=\"utrecht-form-fieldset__legend\">");
	html_text(&req->out, web_text(req, "norm.status"));
	html_raw(&req->out, "</legend>\n");
	field_error(req, p, "f-status");
	for (s = NORM_MEETS; s < NORM_STATUSES; s++) {
		const char *sn = norm_status_name((enum norm_status)s);

		html_raw(&req->out, "<div class=\"utrecht-form-field "
		         "utrecht-form-field--radio\"><input type=\"radio\" "
		         "class=\"utrecht-radio-button\" name=\"status\" id=\"f-status-");
		html_attr(&req->out, sn);
		html_raw(&req->out, "\" value=\"");
		html_attr(&req->out, sn);
		html_raw(&req->out, strcmp(ans->status, sn) == 0 ? "\" checked>"
		                                                 : "\">");
		html_raw(&req->out, "<label class=\"utrecht-form-label\" "
		         "for=\"f-status-");
		html_attr(&req->out, sn);
		html_raw(&req->out, "\">");
		html_text(&req->out, pn_status_text(req, (enum norm_status)s));
		html_raw(&req->out, "</label></div>\n");
	}
	/* The first radio button carries the id the error summary links to. */
	html_raw(&req->out, "</fieldset>\n");
	textarea(req, "explanation", "norm.explanation", ans->explanation,
	         req->limits->norm_text_max,
	         problem_of(probs, nprobs, "explanation"));
	textarea(req, "evidence", "norm.evidence", ans->evidence,
	         req->limits->norm_text_max,
	         problem_of(probs, nprobs, "evidence"));
	pn_heading(req, 2, NULL, web_text(req, "norm.actions"));
	layout_paragraph(req, web_text(req, "norm.actions_hint"));
	p = problem_of(probs, nprobs, "actions");
	field_error(req, p, "f-actions");
	rows = ans->nactions + NORM_FORM_SPARE_ACTIONS;
	if (rows > req->limits->norm_actions_max)
		rows = req->limits->norm_actions_max;
	if (rows < ans->nactions)
		rows = ans->nactions;
	for (k = 0; k < rows; k++) {
		const struct norm_action *x = k < ans->nactions ? &ans->actions[k]
		                                                : NULL;
		char n[24];

		snprintf(n, sizeof(n), "%zu", k + 1);
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "norm.action_n"), "n", n,
		          (const char *)NULL);
		html_raw(&req->out, "<fieldset class=\"utrecht-form-fieldset "
		         "meldpunt-norm-action\">\n<legend "
		         "class=\"utrecht-form-fieldset__legend\">");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</legend>\n");
		buf_reset(&name);
		buf_addf(&name, "action_%zu", k + 1);
		field_error(req, problem_of(probs, nprobs, name.data), name.data);
		buf_reset(&name);
		buf_addf(&name, "action_text_%zu", k + 1);
		input(req, "text", name.data, web_text(req, "norm.action_text"),
		      x ? x->text : NULL, problem_of(probs, nprobs, name.data));
		buf_reset(&name);
		buf_addf(&name, "action_owner_%zu", k + 1);
		input(req, "text", name.data, web_text(req, "norm.action_owner"),
		      x ? x->owner : NULL, problem_of(probs, nprobs, name.data));
		buf_reset(&name);
		buf_addf(&name, "action_due_%zu", k + 1);
		input(req, "date", name.data, web_text(req, "norm.action_due"),
		      x ? x->due : NULL, problem_of(probs, nprobs, name.data));
		html_raw(&req->out, "</fieldset>\n");
	}
	widget_button(req, web_text(req, "norm.save"), 1);
	html_raw(&req->out, "</form>\n<p class=\"utrecht-paragraph\">");
	buf_reset(&href);
	buf_addf(&href, PATH_NORM "?jaar=%d#%s", v->year,
	         pn_item_anchor(it->number, anchor));
	pn_link(req, href.data, web_text(req, "norm.back"));
	html_raw(&req->out, "</p>\n");
	layout_end(req);
	buf_release(&text);
	buf_release(&name);
	buf_release(&href);
	return 0;
}

/* The item named by given; -1 (400 answered) when there is none. */
static long
read_item(struct request *req, const struct view *v, const char *given)
{
	long i = norm_item_index(v->c, given);

	if (i < 0)
		web_fail_key(req, 400, "norm.item_bad");
	return i;
}

int
page_norm_item(struct request *req)
{
	struct answers ans;
	struct view v;
	const struct norm_assessment *a;
	long i;
	size_t k;
	int ret;

	if (pn_view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	if ((i = read_item(req, &v, web_query(req, "onderdeel"))) < 0) {
		pn_view_release(&v);
		return 0;
	}
	a = &v.cur.items[i];
	memset(&ans, 0, sizeof(ans));
	snprintf(ans.status, sizeof(ans.status), "%s",
	         norm_status_name(a->status));
	ans.explanation = a->explanation;
	ans.evidence = a->evidence;
	for (k = 0; k < a->nactions && k < LIMIT_NORM_ACTIONS_MAX; k++)
		ans.actions[k] = a->actions[k];
	ans.nactions = k;
	ret = render_form(req, &v, (size_t)i, &ans, NULL, 0);
	pn_view_release(&v);
	return ret;
}

/*
 * A text field of the form: "" when absent; NULL (a problem) when it came
 * over the request limit or is not UTF-8 text.
 */
static const char *
posted(struct request *req, const char *name)
{
	const struct post_field *f = post_field_nth(req->post, name, 0);
	size_t len;

	if (!f)
		return "";
	return widget_post_text(req, name, &len);
}

int
page_norm_save(struct request *req)
{
	struct norm_problem probs[NORM_PROBLEMS_MAX + 4];
	struct norm_assessment a;
	struct answers ans;
	struct view v;
	struct buf name = BUF_INIT, path = BUF_INIT;
	size_t nprobs = 0, k, n;
	long i;
	int ret = 0, bad_text = 0;
	const char *status = post_get(req->post, "status");
	struct session_who w;
	struct outcome oc;
	char anchor[16];

	/* The statistics only when the form is shown again. */
	if (pn_view_load(req, post_get(req->post, "jaar"), 0, &v) < 0)
		return 0;
	if ((i = read_item(req, &v, post_get(req->post, "onderdeel"))) < 0) {
		pn_view_release(&v);
		return 0;
	}
	memset(&ans, 0, sizeof(ans));
	memset(&a, 0, sizeof(a));
	snprintf(ans.status, sizeof(ans.status), "%s",
	         status && strlen(status) < sizeof(ans.status) ? status : "");
	ans.explanation = posted(req, "explanation");
	ans.evidence = posted(req, "evidence");
	/* Action rows: every row with anything typed in it counts. */
	for (k = 1, n = 0; k <= LIMIT_NORM_ACTIONS_MAX + 1 &&
	                   n <= LIMIT_NORM_ACTIONS_MAX; k++) {
		const char *t, *o, *d;

		buf_reset(&name);
		buf_addf(&name, "action_text_%zu", k);
		t = posted(req, name.data);
		buf_reset(&name);
		buf_addf(&name, "action_owner_%zu", k);
		o = posted(req, name.data);
		buf_reset(&name);
		buf_addf(&name, "action_due_%zu", k);
		d = posted(req, name.data);
		if (!t || !o || !d) {
			bad_text = 1;
			t = t ? t : "";
			o = o ? o : "";
			d = d ? d : "";
		}
		if (!*t && !*o && !*d)
			continue;
		if (n == LIMIT_NORM_ACTIONS_MAX) {
			ans.too_many = 1;
			break;
		}
		ans.actions[n].text = (char *)(uintptr_t)t;
		ans.actions[n].owner = (char *)(uintptr_t)o;
		snprintf(ans.actions[n].due, sizeof(ans.actions[n].due), "%.10s",
		         d);
		/* A longer date than a day is wrong whatever it says. */
		if (strlen(d) > CLOCK_DAY_LEN)
			snprintf(ans.actions[n].due, sizeof(ans.actions[n].due),
			         "x");
		n++;
	}
	ans.nactions = n;
	a.explanation = (char *)(uintptr_t)(ans.explanation ? ans.explanation : "");
	a.evidence = (char *)(uintptr_t)(ans.evidence ? ans.evidence : "");
	a.actions = ans.actions;
	a.nactions = n + (size_t)ans.too_many;
	if (norm_status_parse(ans.status, &a.status) < 0)
		a.status = NORM_NONE;
	if (!ans.explanation) {
		probs[nprobs].code = NORM_TOO_LONG;
		probs[nprobs].index = 0;
		snprintf(probs[nprobs++].field, sizeof(probs[0].field),
		         "explanation");
	}
	if (!ans.evidence) {
		probs[nprobs].code = NORM_TOO_LONG;
		probs[nprobs].index = 0;
		snprintf(probs[nprobs++].field, sizeof(probs[0].field), "evidence");
	}
	if (bad_text) {
		probs[nprobs].code = NORM_TOO_LONG;
		probs[nprobs].index = 0;
		snprintf(probs[nprobs++].field, sizeof(probs[0].field), "actions");
	}
	norm_save_as(req->inst->db, session_who(req->session, &w), req->limits,
	             v.year, v.c->items[i].number, &a, 0, probs,
	             NORM_PROBLEMS_MAX, &nprobs, &oc);
	if (oc.verdict == VERDICT_REFUSED) {
		ret = web_fail_key(req, 403, oc.key);
	} else if (oc.verdict == VERDICT_FAILED) {
		ret = web_fail_key(req, 500, "common.error_title");
	} else if (oc.verdict == VERDICT_DONE) {
		buf_addf(&path, PATH_NORM "?jaar=%d#%s", v.year,
		         pn_item_anchor(v.c->items[i].number, anchor));
		ret = web_redirect(req, path.data);
	} else {
		/* Without them the form still shows; the page says why not. */
		if (pn_load_stats(req, &v) < 0) {
			v.no_key = 1;
			v.stats_ok = 0;
		}
		req->status = 400;
		ret = render_form(req, &v, (size_t)i, &ans, probs, nprobs);
	}
	pn_view_release(&v);
	buf_release(&name);
	buf_release(&path);
	return ret;
}
