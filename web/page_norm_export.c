/*
 * page_norm_export.c - the annual report of the norm self-assessment for
 * the council (implementatieoverzicht, norm 1.2), as a page to print and
 * as CSV and JSON (see page_norm.h).
 *
 * Each shows the year's assessment of every item beside the baseline and
 * the year before, the counts per theme, and the indicators the session
 * may see (the statistics of that calendar year, small numbers hidden
 * outside the vpt role as on the statistics page).
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

/* The statistics appendix: every indicator this session sees. */
static void
figures_table(struct request *req, const struct view *v)
{
	struct buf key = BUF_INIT, value = BUF_INIT, text = BUF_INIT;
	size_t i;
	char y[16];

	if (!v->stats_ok)
		return;
	pn_scroll_open(req, web_text(req, "norm.figures"));
	html_raw(&req->out, "<table class=\"utrecht-table\" id=\"figures\">\n"
	         "<caption>");
	html_text(&req->out, web_text(req, "norm.figures"));
	html_raw(&req->out, "</caption>\n<thead class=\"utrecht-table__header\">"
	         "<tr><th scope=\"col\">");
	html_text(&req->out, web_text(req, "norm.item"));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, web_text(req, "norm.figure"));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, pn_year_text(v->year, y));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, pn_year_text(v->year - 1, y));
	html_raw(&req->out, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < NINDICATORS; i++) {
		const struct indicator *ind = &pn_indicators[i];
		int p;

		if (!pn_indicator_wanted(v, ind))
			continue;
		html_raw(&req->out, "<tr><td>");
		html_text(&req->out, ind->item);
		html_raw(&req->out, "</td><th scope=\"row\">");
		html_text(&req->out, pn_indicator_label(req, ind, &key));
		html_raw(&req->out, "</th>");
		for (p = 0; p < 2; p++) {
			html_raw(&req->out, "<td>");
			if (pn_indicator_value(req, v, ind, p, 0, &value))
				html_text(&req->out, web_text(req, "norm.not_measured"));
			else
				html_text(&req->out, value.data);
			html_raw(&req->out, "</td>");
		}
		html_raw(&req->out, "</tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	buf_release(&key);
	buf_release(&value);
	buf_release(&text);
}

int
page_norm_report(struct request *req)
{
	struct view v;
	struct buf text = BUF_INIT, href = BUF_INIT;
	const struct norm_catalogue *c;
	size_t i, k;
	char y[16];
	static const char *const heads[] = {
		"norm.item", "norm.status", "norm.baseline", "norm.previous",
		"norm.actions",
	};

	if (pn_view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	i18n_fill(&text, web_text(req, "norm.report_title"), "year",
	          pn_year_text(v.year, y), (const char *)NULL);
	layout_begin(req, text.data);
	html_raw(&req->out, "<div class=\"meldpunt-norm-report\">\n");
	layout_heading(req, text.data);
	pn_paragraph_fill(req, "norm.report_intro", "name", pn_lang_text(req, c->name),
	                  "year", y, (const char *)NULL);
	pn_references(req, &v);
	pn_year_form(req, &v, PATH_NORM_REPORT);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-actions\">");
	buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=summary", v.year);
	pn_link(req, href.data, web_text(req, "norm.csv_summary"));
	html_raw(&req->out, " ");
	buf_reset(&href);
	buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=items", v.year);
	pn_link(req, href.data, web_text(req, "norm.csv_items"));
	if (v.stats_ok) {
		html_raw(&req->out, " ");
		buf_reset(&href);
		buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=figures", v.year);
		pn_link(req, href.data, web_text(req, "norm.csv_figures"));
	}
	html_raw(&req->out, " ");
	buf_reset(&href);
	buf_addf(&href, PATH_NORM_JSON "?jaar=%d", v.year);
	pn_link(req, href.data, web_text(req, "norm.json"));
	html_raw(&req->out, "</p>\n");
	pn_heading(req, 2, NULL, web_text(req, "norm.summary"));
	pn_summary_table(req, &v, 1);

	pn_heading(req, 2, NULL, web_text(req, "norm.items_title"));
	pn_scroll_open(req, web_text(req, "norm.items_title"));
	widget_table_head(req, "items", heads, sizeof(heads) / sizeof(heads[0]));
	for (i = 0; i < c->nitems; i++) {
		const struct norm_assessment *a = &v.cur.items[i];

		html_raw(&req->out, "<tr><th scope=\"row\">");
		html_text(&req->out, c->items[i].number);
		html_raw(&req->out, "</th><td>");
		html_text(&req->out, pn_status_text(req, a->status));
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, v.baseline ? pn_status_text(req,
		          v.base.items[i].status) : "\xE2\x80\x93");
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, v.previous ? pn_status_text(req,
		          v.prev.items[i].status) : "\xE2\x80\x93");
		html_raw(&req->out, "</td><td>");
		for (k = 0; k < a->nactions; k++) {
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.action_line"), "action",
			          a->actions[k].text, "owner", a->actions[k].owner,
			          "due", a->actions[k].due, (const char *)NULL);
			if (k)
				html_raw(&req->out, "<br>");
			html_text(&req->out, text.data);
		}
		html_raw(&req->out, "</td></tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");

	pn_heading(req, 2, NULL, web_text(req, "norm.appendix"));
	pn_indicator_notes(req, &v);
	figures_table(req, &v);
	html_raw(&req->out, "</div>\n");
	layout_end(req);
	pn_view_release(&v);
	buf_release(&text);
	buf_release(&href);
	return 0;
}

static void
csv_field(struct buf *o, const char *s)
{
	csv_quote(o, s, ';');
}

static void
csv_counts(struct buf *o, const char *label, const struct norm_counts *k,
           size_t items)
{
	int s;

	csv_field(o, label);
	for (s = NORM_MEETS; s < NORM_STATUSES; s++)
		buf_addf(o, ";%zu", k->n[s]);
	buf_addf(o, ";%zu;%zu", k->n[NORM_NONE], norm_applicable(k, items));
}

int
page_norm_csv(struct request *req)
{
	const char *table = web_query(req, "tabel");
	struct buf *o = &req->out, header = BUF_INIT, value = BUF_INIT;
	const struct norm_catalogue *c;
	struct view v;
	size_t t, i, k;
	struct session_who w;
	struct outcome oc;
	char what[16];

	if (!table || (strcmp(table, "summary") != 0 &&
	               strcmp(table, "items") != 0 &&
	               strcmp(table, "figures") != 0))
		return web_fail_key(req, 400, "norm.table_bad");
	if (pn_view_load(req, web_query(req, "jaar"), strcmp(table, "figures") == 0,
	                 &v) < 0)
		return 0;
	c = v.c;
	snprintf(what, sizeof(what), "%s.csv", table);
	if (norm_export_as(req->inst->db, session_who(req->session, &w), v.year,
	                   what, &oc) != VERDICT_DONE) {
		pn_view_release(&v);
		return oc.verdict == VERDICT_REFUSED ? web_fail_key(req, 403, oc.key)
		       : web_fail_key(req, 500, "common.error_title");
	}
	buf_adds(o, "\xEF\xBB\xBF");
	if (strcmp(table, "summary") == 0) {
		struct norm_counts *themes = calloc(c->nthemes, sizeof(*themes)),
		                   *bt = calloc(c->nthemes, sizeof(*bt)), tn, tb;

		if (!themes || !bt)
			die("out of memory");
		norm_count(c, &v.cur, themes, &tn);
		memset(&tb, 0, sizeof(tb));
		if (v.baseline)
			norm_count(c, &v.base, bt, &tb);
		buf_addf(o, "theme;meets;partly;not;na;not_assessed;applicable;"
		         "baseline_year;baseline_meets;baseline_applicable\r\n");
		for (t = 0; t <= c->nthemes; t++) {
			size_t items = t < c->nthemes ? c->themes[t].count : c->nitems;
			const struct norm_counts *b = t < c->nthemes ? &bt[t] : &tb;

			buf_reset(&value);
			if (t < c->nthemes)
				buf_addf(&value, "%d", c->themes[t].number);
			else
				buf_adds(&value, "total");
			csv_counts(o, value.data, t < c->nthemes ? &themes[t] : &tn,
			           items);
			if (v.baseline)
				buf_addf(o, ";%d;%zu;%zu", v.baseline, b->n[NORM_MEETS],
				         norm_applicable(b, items));
			else
				buf_adds(o, ";;;");
			buf_adds(o, "\r\n");
		}
		free(themes);
		free(bt);
	} else if (strcmp(table, "items") == 0) {
		buf_adds(o, "item;theme;status;baseline;previous;explanation;"
		         "evidence;actions\r\n");
		for (i = 0; i < c->nitems; i++) {
			const struct norm_assessment *a = &v.cur.items[i];

			buf_addf(o, "%s;%d;%s;%s;%s;", c->items[i].number,
			         c->items[i].theme, norm_status_name(a->status),
			         v.baseline ? norm_status_name(v.base.items[i].status)
			                    : "",
			         v.previous ? norm_status_name(v.prev.items[i].status)
			                    : "");
			csv_field(o, a->explanation ? a->explanation : "");
			buf_addch(o, ';');
			csv_field(o, a->evidence ? a->evidence : "");
			buf_addch(o, ';');
			buf_reset(&value);
			for (k = 0; k < a->nactions; k++)
				buf_addf(&value, "%s%s (%s, %s)", k ? " | " : "",
				         a->actions[k].text, a->actions[k].owner,
				         a->actions[k].due);
			csv_field(o, value.data);
			buf_adds(o, "\r\n");
		}
	} else {
		buf_addf(o, "item;figure;%d;%d\r\n", v.year, v.year - 1);
		for (i = 0; v.stats_ok && i < NINDICATORS; i++) {
			const struct indicator *ind = &pn_indicators[i];
			int p;

			if (!pn_indicator_wanted(&v, ind))
				continue;
			buf_addf(o, "%s;%s", ind->item, ind->row);
			for (p = 0; p < 2; p++) {
				buf_addch(o, ';');
				if (pn_indicator_value(req, &v, ind, p, 1, &value))
					buf_adds(o, "not_measured");
				else
					csv_field(o, value.data);
			}
			buf_adds(o, "\r\n");
		}
	}
	buf_addf(&header, "attachment; filename=\"norm-%d-%s.csv\"", v.year,
	         table);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "text/csv; charset=utf-8";
	pn_view_release(&v);
	buf_release(&value);
	return 0;
}

static void
json_counts(struct buf *o, const struct norm_counts *k, size_t items)
{
	buf_addf(o, "{\"items\":%zu,\"meets\":%zu,\"partly\":%zu,\"not\":%zu,"
	         "\"na\":%zu,\"not_assessed\":%zu,\"applicable\":%zu}", items,
	         k->n[NORM_MEETS], k->n[NORM_PARTLY], k->n[NORM_NOT],
	         k->n[NORM_NA], k->n[NORM_NONE], norm_applicable(k, items));
}

/*
 * A JSON value of an indicator: a number (amounts in cents), the hidden
 * cell as a string ("< 5", "x"), or null when not measured yet.
 */
static void
json_figure(struct buf *o, const struct view *v, const struct indicator *ind,
            int prev)
{
	const struct stats_row *row = pn_indicator_row(v, ind->table, ind->row);
	char cell[32];

	if (!row)
		buf_adds(o, "null");
	else if (stats_row_hidden(row, prev))
		json_quote(o, stats_row_cell(ind->table, row, prev, v->threshold, 0,
		                             cell));
	else
		buf_addf(o, "%llu", (unsigned long long)(prev ? row->prev
		                                              : row->now));
}

int
page_norm_json(struct request *req)
{
	struct buf *o = &req->out;
	const struct norm_catalogue *c;
	struct norm_counts *themes, *bt, tn, tb;
	struct view v;
	size_t t, i, k;
	int first;
	struct session_who w;
	struct outcome oc;

	if (pn_view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	if (norm_export_as(req->inst->db, session_who(req->session, &w), v.year,
	                   "json", &oc) != VERDICT_DONE) {
		pn_view_release(&v);
		return oc.verdict == VERDICT_REFUSED ? web_fail_key(req, 403, oc.key)
		       : web_fail_key(req, 500, "common.error_title");
	}
	themes = calloc(c->nthemes, sizeof(*themes));
	bt = calloc(c->nthemes, sizeof(*bt));
	if (!themes || !bt)
		die("out of memory");
	norm_count(c, &v.cur, themes, &tn);
	memset(&tb, 0, sizeof(tb));
	if (v.baseline)
		norm_count(c, &v.base, bt, &tb);
	buf_addf(o, "{\"year\":%d,\"goal_year\":%d,", v.year, c->goal_year);
	if (v.baseline)
		buf_addf(o, "\"baseline\":%d,", v.baseline);
	else
		buf_adds(o, "\"baseline\":null,");
	if (v.previous)
		buf_addf(o, "\"previous\":%d,", v.previous);
	else
		buf_adds(o, "\"previous\":null,");
	buf_adds(o, "\"themes\":[");
	for (t = 0; t < c->nthemes; t++) {
		buf_addf(o, "%s{\"number\":%d,\"title\":", t ? "," : "",
		         c->themes[t].number);
		json_quote(o, c->themes[t].title[NORM_NL]);
		buf_adds(o, ",\"counts\":");
		json_counts(o, &themes[t], c->themes[t].count);
		buf_adds(o, ",\"baseline_counts\":");
		if (v.baseline)
			json_counts(o, &bt[t], c->themes[t].count);
		else
			buf_adds(o, "null");
		buf_addch(o, '}');
	}
	buf_adds(o, "],\"total\":");
	json_counts(o, &tn, c->nitems);
	buf_adds(o, ",\"baseline_total\":");
	if (v.baseline)
		json_counts(o, &tb, c->nitems);
	else
		buf_adds(o, "null");
	buf_adds(o, ",\"items\":[");
	for (i = 0; i < c->nitems; i++) {
		const struct norm_assessment *a = &v.cur.items[i];

		buf_addf(o, "%s{\"item\":\"%s\",\"status\":", i ? "," : "",
		         c->items[i].number);
		if (a->status)
			json_quote(o, norm_status_name(a->status));
		else
			buf_adds(o, "null");
		buf_adds(o, ",\"baseline\":");
		if (v.baseline && v.base.items[i].status)
			json_quote(o, norm_status_name(v.base.items[i].status));
		else
			buf_adds(o, "null");
		buf_adds(o, ",\"previous\":");
		if (v.previous && v.prev.items[i].status)
			json_quote(o, norm_status_name(v.prev.items[i].status));
		else
			buf_adds(o, "null");
		buf_adds(o, ",\"explanation\":");
		json_quote(o, a->explanation ? a->explanation : "");
		buf_adds(o, ",\"evidence\":");
		json_quote(o, a->evidence ? a->evidence : "");
		buf_adds(o, ",\"actions\":[");
		for (k = 0; k < a->nactions; k++) {
			buf_adds(o, k ? ",{\"action\":" : "{\"action\":");
			json_quote(o, a->actions[k].text);
			buf_adds(o, ",\"owner\":");
			json_quote(o, a->actions[k].owner);
			buf_adds(o, ",\"due\":");
			json_quote(o, a->actions[k].due);
			buf_addch(o, '}');
		}
		buf_adds(o, "]}");
	}
	buf_adds(o, "],\"figures\":");
	if (!v.stats_ok) {
		buf_adds(o, "null");
	} else {
		buf_addf(o, "{\"small_number\":%u,\"suppressed\":%s,\"rows\":[",
		         v.threshold, v.suppress ? "true" : "false");
		for (i = 0, first = 1; i < NINDICATORS; i++) {
			const struct indicator *ind = &pn_indicators[i];

			if (!pn_indicator_wanted(&v, ind))
				continue;
			buf_addf(o, "%s{\"item\":\"%s\",\"figure\":\"%s\",\"value\":",
			         first ? "" : ",", ind->item, ind->row);
			first = 0;
			json_figure(o, &v, ind, 0);
			buf_adds(o, ",\"previous\":");
			json_figure(o, &v, ind, 1);
			buf_addch(o, '}');
		}
		buf_adds(o, "]}");
	}
	buf_adds(o, "}\n");
	req->content_type = "application/json";
	free(themes);
	free(bt);
	pn_view_release(&v);
	return 0;
}
