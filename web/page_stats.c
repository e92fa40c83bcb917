/*
 * page_stats.c - the statistics pages (see page_stats.h).
 *
 * Who sees what (decided, and the read or its refusal audited, by
 * core/stats_read.c): hr and vpt the incident tables, the coordinator the
 * signal tables, the integrity coordinator the integrity tables (the
 * yearly integrity report); every one of them only with the statistiek keyring in the
 * session, since the figures come from the answers sealed to it (hr holds
 * statistiek, not agressie: no content is ever opened here). Outside the
 * vpt role every output (page, CSV, JSON) shows the cells stats_suppress
 * marks as "< 5" or "x" (the small-number rules in core/stats.h), and a
 * share whose count is hidden is hidden too.
 *
 * Each table gets a chart drawn as inline SVG on the server (role "img"
 * with a title; the figures themselves in the table beside it, for screen
 * readers and print): bars, and for the months a line of the period and a
 * dashed one of the period before. Rows are shown with the labels of the
 * form's options, the workflow's states and the message catalogue, in the
 * page's language; the CSV has the raw value and the label. The period
 * comes from the query: periode=jaar|kwartaal|maand|anders with waarde
 * (2025, 2025-Q1, 2025-03) or van and tot (days, both included).
 *
 * CSV: UTF-8 with a byte order mark, because Excel reads a CSV without
 * one in the Windows code page and garbles every accented letter; with
 * the mark Excel (also the Dutch one) and LibreOffice read UTF-8. The
 * separator is "," (sep=,) or ";" (sep=;), the decimal mark "." or ","
 * (decimal=comma, only with ";"): Dutch Excel opens sep=;&decimal=comma
 * into columns and numbers straight away, which is what the page links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "html.h"
#include "i18n.h"
#include "install.h"
#include "layout.h"
#include "page_stats.h"
#include "paths.h"
#include "session.h"
#include "config.h"
#include "stats.h"
#include "stats_read.h"
#include "widget.h"
#include "workflow.h"

#define CHART_WIDTH 480
#define CHART_BAR 22
#define CHART_LABEL 180
/* The line chart: plot area inside the margins. */
#define LINE_HEIGHT 220
#define LINE_LEFT 44
#define LINE_RIGHT 12
#define LINE_TOP 28
#define LINE_BOTTOM 36

/* What one request asked for and may see. */
struct view {
	struct stats_period period;
	char query[80];		/* the period as a query string, validated */
	unsigned want;
	int suppress;
	unsigned threshold;
	int comma;		/* decimal comma (Dutch pages, CSV option) */
};

/* The period from the query; -1 (a 400 already answered) when invalid. */
static int
read_view(struct request *req, struct view *v)
{
	const char *kind = web_query(req, "periode");
	const char *value = web_query(req, "waarde");
	enum stats_kind k = STATS_YEAR;
	char year[8];
	struct session_who w;
	const struct actor *a = session_who(req->session, &w);

	memset(v, 0, sizeof(*v));
	if (!kind || !*kind || strcmp(kind, "jaar") == 0)
		k = STATS_YEAR;
	else if (strcmp(kind, "kwartaal") == 0)
		k = STATS_QUARTER;
	else if (strcmp(kind, "maand") == 0)
		k = STATS_MONTH;
	else if (strcmp(kind, "anders") == 0)
		k = STATS_CUSTOM;
	else
		return web_fail_key(req, 400, "stats.period_bad"), -1;
	if (k == STATS_YEAR && (!value || !*value)) {
		char day[CLOCK_DAY_LEN + 1];

		clock_format_day(clock_now(), day);
		snprintf(year, sizeof(year), "%.4s", day);
		value = year;
	}
	if (stats_period_parse(k, value, web_query(req, "van"),
	                       web_query(req, "tot"), &v->period) < 0)
		return web_fail_key(req, 400, "stats.period_bad"), -1;
	/* Parsed values hold only digits, '-' and 'Q': safe in a URL. */
	if (k == STATS_CUSTOM)
		snprintf(v->query, sizeof(v->query), "periode=anders&van=%.10s"
		         "&tot=%.10s", web_query(req, "van"), web_query(req, "tot"));
	else
		snprintf(v->query, sizeof(v->query), "periode=%s&waarde=%.7s",
		         k == STATS_YEAR ? "jaar" : k == STATS_QUARTER ? "kwartaal"
		         : "maand", value);
	/* What the role sees: core decides (stats_read.h). */
	v->want = stats_wanted(a, STATS_USE_TABLES);
	v->suppress = stats_suppressed(a);
	v->comma = req->lang != LANG_EN;
	/* [statistics] small_number, when the server was given a file. */
	v->threshold = web_config(req) ? web_config(req)->small_number
	                               : STATS_SMALL_NUMBER_DEFAULT;
	return 0;
}

/* Compute as the session's user; -1 when answered already. */
static int
compute(struct request *req, struct view *v, struct stats_result *r)
{
	struct session_who w;
	struct outcome o;

	if (read_view(req, v) < 0)
		return -1;
	switch (stats_read_as(req->inst, web_workflows(req),
	                      session_who(req->session, &w), STATS_USE_TABLES, 0,
	                      &v->period, v->threshold, r, &o)) {
	case VERDICT_DONE:
		return 0;
	case VERDICT_REFUSED:
		web_fail_key(req, 403, o.key);
		return -1;
	default:
		web_fail_key(req, 500, "common.error_title");
		return -1;
	}
}

static int
table_wanted(const struct view *v, enum stats_table_id t)
{
	return (v->want & stats_table_want(t)) != 0;
}

/* Message key prefixes of the tables whose values are options. */
static const char *const label_prefix[STATS_TABLES] = {
	[STATS_INCIDENTS] = "stats.row_",
	[STATS_KIND] = "incident.kind.",
	[STATS_VICTIM_ROLE] = "incident.victim_role.",
	[STATS_PLACE] = "incident.place.",
	[STATS_POLICE] = "incident.police.",
	[STATS_SIGNALS] = "stats.row_",
	[STATS_PHENOMENON] = "signal.phenomenon.",
	[STATS_SOURCE] = "case.source_",
	[STATS_IDENTITY] = "stats.identity_",
	[STATS_INTEGRITY] = "stats.integrity_row_",
	[STATS_INTEGRITY_KIND] = "integrity.kind.",
	[STATS_INTEGRITY_IDENTITY] = "stats.identity_",
};

/*
 * The label of a row in the page's language: the form's option text, the
 * workflow's state label, the catalogue's text of a totals row; the value
 * itself for free text (department), months and values no longer in the
 * form. scratch holds the key looked up.
 */
static const char *
row_label(struct request *req, enum stats_table_id t,
          const struct stats_row *row, struct buf *scratch)
{
	if (!row->key[0])
		return web_text(req, "stats.unknown");
	if (t == STATS_OUTCOME || t == STATS_INTEGRITY_OUTCOME) {
		const struct workflow_state *st;
		enum report_type type = REPORT_SIGNAL;

		if (strcmp(row->key, "open") == 0)
			return web_text(req, t == STATS_OUTCOME
			                ? "stats.outcome_open"
			                : "stats.integrity_outcome_open");
		if (t == STATS_INTEGRITY_OUTCOME &&
		    report_type_parse(STATS_TYPE_INTEGRITY, &type) < 0)
			return row->key;
		st = workflow_state_find(workflows_get(web_workflows(req), type),
		                         row->key);
		return st ? st->label[req->lang == LANG_EN ? WORKFLOW_EN
		                                           : WORKFLOW_NL]
		          : row->key;
	}
	if (label_prefix[t]) {
		buf_reset(scratch);
		buf_addf(scratch, "%s%s", label_prefix[t], row->key);
		if (i18n_has(scratch->data))
			return web_text(req, scratch->data);
	}
	return row->key;
}

static const char *
table_title(struct request *req, enum stats_table_id t, struct buf *key)
{
	buf_reset(key);
	buf_addf(key, "stats.table_%s", stats_table_name(t));
	return web_text(req, key->data);
}

static int
is_totals(enum stats_table_id t)
{
	return stats_table_is_totals(t);
}

static int
is_month(enum stats_table_id t)
{
	return stats_table_is_month(t);
}

/*
 * The share of a totals row in percent with one decimal, or "" when it
 * has none, and an en dash when it cannot be shown (hidden, or out of 0).
 */
static const char *
share_cell(enum stats_table_id t, const struct stats_table *tb,
           const struct stats_row *row, int prev, int comma, char out[32])
{
	const char *of = stats_share_of(t, row->key);
	const struct stats_row *d = of ? stats_find(tb, of) : NULL;
	uint64_t n = prev ? row->prev : row->now, dn;
	unsigned long long tenths;

	out[0] = '\0';
	if (!of)
		return out;
	dn = d ? (prev ? d->prev : d->now) : 0;
	if (!d || !dn || stats_row_hidden(row, prev) ||
	    stats_row_hidden(d, prev)) {
		snprintf(out, 32, "\xE2\x80\x93");
		return out;
	}
	tenths = (unsigned long long)((n * 1000 + dn / 2) / dn);
	snprintf(out, 32, "%llu%c%llu", tenths / 10, comma ? ',' : '.',
	         tenths % 10);
	return out;
}

/* A horizontal bar chart of the period's counts; hidden counts get no bar. */
static void
chart_bars(struct request *req, const struct view *v, enum stats_table_id id,
           const struct stats_table *t, const char *title)
{
	struct buf *o = &req->out, label = BUF_INIT;
	uint64_t max = 1;
	size_t i, n = 0;
	char cell[32];

	for (i = 0; i < t->n; i++) {
		if (stats_row_is_amount(id, t->rows[i].key))
			continue;
		n++;
		if (t->rows[i].now > max && !stats_row_hidden(&t->rows[i], 0))
			max = t->rows[i].now;
	}
	buf_addf(o, "<svg class=\"meldpunt-chart\" role=\"img\" "
	         "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	         "height=\"%zu\" viewBox=\"0 0 %d %zu\"><title>", CHART_WIDTH,
	         n * CHART_BAR + 4, CHART_WIDTH, n * CHART_BAR + 4);
	html_text(o, title);
	html_raw(o, "</title>\n");
	n = 0;
	for (i = 0; i < t->n; i++) {
		const struct stats_row *row = &t->rows[i];
		int hidden = stats_row_hidden(row, 0);
		unsigned w;
		size_t y;

		if (stats_row_is_amount(id, row->key))
			continue;
		w = hidden ? 0 : (unsigned)(row->now *
		    (CHART_WIDTH - CHART_LABEL - 60) / max);
		y = n++ * CHART_BAR + 2;
		buf_addf(o, "<text x=\"0\" y=\"%zu\" font-size=\"13\">", y + 15);
		html_text(o, row_label(req, id, row, &label));
		buf_addf(o, "</text><rect x=\"%d\" y=\"%zu\" width=\"%u\" "
		         "height=\"%d\" fill=\"currentColor\"/><text x=\"%u\" "
		         "y=\"%zu\" font-size=\"13\">", CHART_LABEL, y, w,
		         CHART_BAR - 6, CHART_LABEL + w + 6, y + 15);
		/* "< 5" must be escaped in SVG as in HTML. */
		html_text(o, stats_row_cell(id, row, 0, v->threshold, v->comma,
		                            cell));
		html_raw(o, "</text>\n");
	}
	html_raw(o, "</svg>\n");
	buf_release(&label);
}

/* One series of the line chart; a hidden month breaks the line. */
static void
line_series(struct buf *o, const struct stats_table *t, int prev,
            uint64_t max, const char *style)
{
	int plot_w = CHART_WIDTH - LINE_LEFT - LINE_RIGHT;
	int plot_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM;
	size_t i;
	int pen = 0;

	buf_addf(o, "<path fill=\"none\" stroke=\"currentColor\" "
	         "stroke-width=\"2\"%s d=\"", style);
	for (i = 0; i < t->n; i++) {
		const struct stats_row *row = &t->rows[i];
		uint64_t n = prev ? row->prev : row->now;
		long x = LINE_LEFT + (t->n > 1 ? (long)i * plot_w /
		                      (long)(t->n - 1) : plot_w / 2);
		long y = LINE_TOP + plot_h - (long)(n * (uint64_t)plot_h / max);

		if (stats_row_hidden(row, prev)) {
			pen = 0;
			continue;
		}
		buf_addf(o, "%s%ld %ld ", pen ? "L" : "M", x, y);
		pen = 1;
	}
	/* A path needs a move at least: an empty one is not valid SVG. */
	if (o->len && o->data[o->len - 1] == '"')
		buf_addf(o, "M%d %d", LINE_LEFT, LINE_TOP + plot_h);
	html_raw(o, "\"/>\n");
}

/*
 * The monthly trend: the period as a line, the period before dashed,
 * the counts on a scale from 0; hidden months leave a gap.
 */
static void
chart_line(struct request *req, const struct view *v, enum stats_table_id id,
           const struct stats_table *t, const char *title)
{
	struct buf *o = &req->out;
	int plot_w = CHART_WIDTH - LINE_LEFT - LINE_RIGHT;
	int plot_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM;
	uint64_t max = 1;
	size_t i, every;

	(void)v;
	(void)id;
	for (i = 0; i < t->n; i++) {
		const struct stats_row *row = &t->rows[i];

		if (!stats_row_hidden(row, 0) && row->now > max)
			max = row->now;
		if (!stats_row_hidden(row, 1) && row->prev > max)
			max = row->prev;
	}
	buf_addf(o, "<svg class=\"meldpunt-chart meldpunt-chart--line\" "
	         "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
	         "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><title>",
	         CHART_WIDTH, LINE_HEIGHT, CHART_WIDTH, LINE_HEIGHT);
	html_text(o, title);
	html_raw(o, "</title>\n");
	/* Legend. */
	buf_addf(o, "<path stroke=\"currentColor\" stroke-width=\"2\" "
	         "d=\"M%d 10 L%d 10\"/><text x=\"%d\" y=\"14\" "
	         "font-size=\"12\">", LINE_LEFT, LINE_LEFT + 24, LINE_LEFT + 30);
	html_text(o, web_text(req, "stats.trend_now"));
	buf_addf(o, "</text><path stroke=\"currentColor\" stroke-width=\"2\" "
	         "stroke-dasharray=\"5 4\" d=\"M%d 10 L%d 10\"/><text "
	         "x=\"%d\" y=\"14\" font-size=\"12\">", LINE_LEFT + 200,
	         LINE_LEFT + 224, LINE_LEFT + 230);
	html_text(o, web_text(req, "stats.trend_prev"));
	html_raw(o, "</text>\n");
	/* Axes with 0 and the top of the scale. */
	buf_addf(o, "<path fill=\"none\" stroke=\"currentColor\" "
	         "stroke-width=\"1\" d=\"M%d %d L%d %d L%d %d\"/>\n"
	         "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
	         "text-anchor=\"end\">0</text><text x=\"%d\" y=\"%d\" "
	         "font-size=\"12\" text-anchor=\"end\">%llu</text>\n",
	         LINE_LEFT, LINE_TOP, LINE_LEFT, LINE_TOP + plot_h,
	         LINE_LEFT + plot_w, LINE_TOP + plot_h, LINE_LEFT - 6,
	         LINE_TOP + plot_h + 4, LINE_LEFT - 6, LINE_TOP + 4,
	         (unsigned long long)max);
	/* Month labels: at most about twelve, "MM" and the year at January. */
	every = t->n > 12 ? (t->n + 11) / 12 : 1;
	for (i = 0; i < t->n; i += every) {
		const char *key = t->rows[i].key;
		long x = LINE_LEFT + (t->n > 1 ? (long)i * plot_w /
		                      (long)(t->n - 1) : plot_w / 2);

		if (strlen(key) != 7)
			continue;
		buf_addf(o, "<text x=\"%ld\" y=\"%d\" font-size=\"11\" "
		         "text-anchor=\"middle\">", x, LINE_TOP + plot_h + 16);
		html_text(o, key + 5);
		html_raw(o, "</text>");
		if (i == 0 || strcmp(key + 5, "01") == 0) {
			buf_addf(o, "<text x=\"%ld\" y=\"%d\" font-size=\"11\" "
			         "text-anchor=\"middle\">%.4s</text>", x,
			         LINE_TOP + plot_h + 30, key);
		}
		html_raw(o, "\n");
	}
	line_series(o, t, 1, max, " stroke-dasharray=\"5 4\"");
	line_series(o, t, 0, max, "");
	html_raw(o, "</svg>\n");
}

static void
csv_links(struct request *req, const struct view *v, enum stats_table_id id,
          struct buf *key)
{
	struct buf *o = &req->out;

	html_raw(o, "<p class=\"utrecht-paragraph meldpunt-stats__csv\">"
	         "<a class=\"utrecht-link\" href=\"");
	buf_reset(key);
	buf_addf(key, PATH_STATS_CSV "?table=%s&%s&sep=;&decimal=comma",
	         stats_table_name(id), v->query);
	html_attr(o, key->data);
	html_raw(o, "\">");
	html_text(o, web_text(req, "stats.csv"));
	html_raw(o, "</a> &middot; <a class=\"utrecht-link\" href=\"");
	buf_reset(key);
	buf_addf(key, PATH_STATS_CSV "?table=%s&%s&sep=,", stats_table_name(id),
	         v->query);
	html_attr(o, key->data);
	html_raw(o, "\">");
	html_text(o, web_text(req, "stats.csv_comma"));
	html_raw(o, "</a></p>\n");
}

static void
table_html(struct request *req, const struct view *v,
           enum stats_table_id id, const struct stats_table *t,
           struct buf *key)
{
	struct buf *o = &req->out, label = BUF_INIT;
	const char *title = table_title(req, id, key);
	char cell[32];
	size_t i;
	int p, totals = is_totals(id);

	buf_addf(o, "<section class=\"meldpunt-stats\" id=\"t-%s\">\n"
	         "<h2 class=\"utrecht-heading-2\">", stats_table_name(id));
	html_text(o, title);
	html_raw(o, "</h2>\n<div class=\"meldpunt-stats__pair\">\n");
	if (is_month(id))
		chart_line(req, v, id, t, title);
	else
		chart_bars(req, v, id, t, title);
	widget_scroll_open(req, title);
	html_raw(o, "<table class=\"utrecht-table\">\n<caption>");
	html_text(o, title);
	html_raw(o, "</caption>\n<thead class=\"utrecht-table__header\"><tr>"
	         "<th scope=\"col\">");
	html_text(o, web_text(req, "stats.value"));
	for (p = 0; p < 2; p++) {
		html_raw(o, "</th><th scope=\"col\">");
		if (p) {
			html_text(o, web_text(req, "stats.previous"));
		} else {
			html_text(o, v->period.from);
			html_raw(o, " &ndash; ");
			html_text(o, v->period.to);
		}
		if (totals) {
			html_raw(o, "</th><th scope=\"col\">");
			html_text(o, web_text(req, p ? "stats.share_prev"
			                             : "stats.share"));
		}
	}
	html_raw(o, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < t->n; i++) {
		const struct stats_row *row = &t->rows[i];

		html_raw(o, "<tr><th scope=\"row\">");
		html_text(o, row_label(req, id, row, &label));
		html_raw(o, "</th>");
		for (p = 0; p < 2; p++) {
			html_raw(o, "<td>");
			html_text(o, stats_row_cell(id, row, p, v->threshold,
			                            v->comma, cell));
			html_raw(o, "</td>");
			if (totals) {
				html_raw(o, "<td>");
				html_text(o, share_cell(id, t, row, p, v->comma,
				                        cell));
				html_raw(o, "</td>");
			}
		}
		html_raw(o, "</tr>\n");
	}
	html_raw(o, "</tbody>\n</table>\n</div>\n</div>\n");
	csv_links(req, v, id, key);
	html_raw(o, "</section>\n");
	buf_release(&label);
}

/* Seconds as days with one decimal, "." or "," as decimal mark. */
static void
days_text(int64_t secs, int comma, char out[32])
{
	long long tenths = (long long)((secs * 10 + 43200) / 86400);

	snprintf(out, 32, "%lld%c%lld", tenths / 10, comma ? ',' : '.',
	         tenths % 10);
}

static void
durations_html(struct request *req, const struct stats_result *r)
{
	static const char *const heads[] = {
		"stats.measure", "stats.median", "stats.p90", "stats.count",
	};
	struct buf *o = &req->out;
	char cell[32];
	size_t i, p;

	html_raw(o, "<section class=\"meldpunt-stats\" id=\"t-durations\">\n"
	         "<h2 class=\"utrecht-heading-2\">");
	html_text(o, web_text(req, "stats.durations"));
	html_raw(o, "</h2>\n");
	widget_scroll_open(req, web_text(req, "stats.durations"));
	html_raw(o, "<table class=\"utrecht-table\">\n<thead "
	         "class=\"utrecht-table__header\"><tr>");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(o, "<th scope=\"col\">");
		html_text(o, web_text(req, heads[i]));
		html_raw(o, "</th>");
	}
	html_raw(o, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < 4; i++) {
		const struct stats_duration *d = i < 2 ? &r->first_assessment[i % 2]
		                                       : &r->decision[i % 2];
		static const char *const names[] = {
			"stats.first_assessment", "stats.first_assessment_prev",
			"stats.decision", "stats.decision_prev",
		};

		html_raw(o, "<tr><th scope=\"row\">");
		html_text(o, web_text(req, names[i]));
		html_raw(o, "</th>");
		for (p = 0; p < 2; p++) {
			html_raw(o, "<td>");
			if (d->n) {
				days_text(p ? d->p90 : d->median,
				          req->lang != LANG_EN, cell);
				html_text(o, cell);
			} else {
				html_raw(o, "&ndash;");
			}
			html_raw(o, "</td>");
		}
		buf_addf(o, "<td>%zu</td></tr>\n", d->n);
	}
	html_raw(o, "</tbody>\n</table>\n</div>\n</section>\n");
}

static void
period_form(struct request *req, const struct view *v)
{
	struct buf *o = &req->out;
	static const char *const kinds[] = { "jaar", "kwartaal", "maand",
	                                     "anders" };
	size_t i;

	html_raw(o, "<form method=\"get\" action=\"" PATH_STATS "\" "
	         "class=\"meldpunt-filters\">\n<div class=\"utrecht-form-field\">"
	         "<label class=\"utrecht-form-label\" for=\"f-periode\">");
	html_text(o, web_text(req, "stats.period"));
	html_raw(o, "</label>\n<select class=\"utrecht-select\" name=\"periode\" "
	         "id=\"f-periode\">");
	for (i = 0; i < 4; i++) {
		struct buf key = BUF_INIT;

		buf_addf(&key, "stats.kind_%s", kinds[i]);
		html_raw(o, "<option value=\"");
		html_attr(o, kinds[i]);
		html_raw(o, (int)i == (int)v->period.kind ? "\" selected>" : "\">");
		html_text(o, web_text(req, key.data));
		html_raw(o, "</option>");
		buf_release(&key);
	}
	html_raw(o, "</select></div>\n");
	{
		static const char *const fields[][2] = {
			{ "waarde", "stats.value_hint" },
			{ "van", "stats.from" },
			{ "tot", "stats.to" },
		};

		for (i = 0; i < 3; i++) {
			html_raw(o, "<div class=\"utrecht-form-field\"><label "
			         "class=\"utrecht-form-label\" for=\"f-");
			html_attr(o, fields[i][0]);
			html_raw(o, "\">");
			html_text(o, web_text(req, fields[i][1]));
			html_raw(o, "</label>\n<input class=\"utrecht-textbox\" "
			         "type=\"text\" name=\"");
			html_attr(o, fields[i][0]);
			html_raw(o, "\" id=\"f-");
			html_attr(o, fields[i][0]);
			html_raw(o, "\" value=\"");
			{
				const char *val = web_query(req, fields[i][0]);

				html_attr(o, val && strlen(val) <= 16 ? val : "");
			}
			html_raw(o, "\"></div>\n");
		}
	}
	html_raw(o, "<button class=\"utrecht-button "
	         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(o, web_text(req, "stats.show"));
	html_raw(o, "</button>\n</form>\n");
}

int
page_stats(struct request *req)
{
	struct stats_result r;
	struct view v;
	struct buf key = BUF_INIT, text = BUF_INIT;
	int i;

	if (compute(req, &v, &r) < 0)
		return 0;
	layout_begin(req, web_text(req, "stats.title"));
	layout_heading(req, web_text(req, "stats.title"));
	buf_addf(&text, "%s", v.period.prev_from);
	i18n_fill(&key, web_text(req, "stats.intro"), "from", v.period.from,
	          "to", v.period.to, "prev", text.data, (const char *)NULL);
	layout_paragraph(req, key.data);
	if (v.suppress) {
		buf_reset(&text);
		buf_addf(&text, "%u", v.threshold);
		buf_reset(&key);
		i18n_fill(&key, web_text(req, "stats.small_numbers"), "n",
		          text.data, (const char *)NULL);
		layout_paragraph(req, key.data);
		layout_paragraph(req, web_text(req, "stats.hidden_other"));
	}
	if (r.unopened)
		layout_paragraph(req, web_text(req, "stats.unopened"));
	period_form(req, &v);
	for (i = 0; i < STATS_TABLES; i++)
		if (table_wanted(&v, (enum stats_table_id)i))
			table_html(req, &v, (enum stats_table_id)i, &r.tables[i],
			           &key);
	if (v.want & STATS_WANT_SIGNALS)
		durations_html(req, &r);
	layout_end(req);
	stats_result_release(&r);
	buf_release(&key);
	buf_release(&text);
	return 0;
}

int
page_stats_csv(struct request *req)
{
	const char *name = web_query(req, "table");
	const char *sepq = web_query(req, "sep");
	const char *dec = web_query(req, "decimal");
	enum stats_table_id id;
	struct stats_result r;
	struct view v;
	struct buf header = BUF_INIT, label = BUF_INIT;
	char sep = ',', cell[32];
	int comma = 0, p, totals;
	size_t i;

	if (!name || stats_table_parse(name, &id) < 0)
		return web_fail_key(req, 400, "stats.table_bad");
	if (sepq && strcmp(sepq, ";") == 0)
		sep = ';';
	else if (sepq && *sepq && strcmp(sepq, ",") != 0)
		return web_fail_key(req, 400, "stats.csv_bad");
	if (dec && strcmp(dec, "comma") == 0)
		comma = 1;
	else if (dec && *dec && strcmp(dec, "point") != 0)
		return web_fail_key(req, 400, "stats.csv_bad");
	/* A decimal comma in a comma-separated file would split numbers. */
	if (comma && sep == ',')
		return web_fail_key(req, 400, "stats.csv_bad");
	if (compute(req, &v, &r) < 0)
		return 0;
	if (!table_wanted(&v, id)) {
		stats_result_release(&r);
		return web_fail_key(req, 403, "stats.no_keyring");
	}
	totals = is_totals(id);
	/* The BOM tells Excel the file is UTF-8 (see the top of this file). */
	buf_adds(&req->out, "\xEF\xBB\xBF");
	buf_addf(&req->out, "key%clabel%c%s..%s%c", sep, sep, v.period.from,
	         v.period.to, sep);
	if (totals)
		buf_addf(&req->out, "share_pct%c", sep);
	buf_addf(&req->out, "%s..%s", v.period.prev_from, v.period.prev_to);
	if (totals)
		buf_addf(&req->out, "%cshare_pct_previous", sep);
	buf_adds(&req->out, "\r\n");
	for (i = 0; i < r.tables[id].n; i++) {
		const struct stats_row *row = &r.tables[id].rows[i];

		csv_quote(&req->out, row->key, sep);
		buf_addch(&req->out, sep);
		csv_quote(&req->out, row_label(req, id, row, &label), sep);
		for (p = 0; p < 2; p++) {
			buf_addch(&req->out, sep);
			csv_quote(&req->out, stats_row_cell(id, row, p, v.threshold,
			                                     comma, cell), sep);
			if (totals) {
				buf_addch(&req->out, sep);
				csv_quote(&req->out, share_cell(id, &r.tables[id], row,
				                                 p, comma, cell), sep);
			}
		}
		buf_adds(&req->out, "\r\n");
	}
	buf_addf(&header, "attachment; filename=\"meldpunt-%s-%s.csv\"",
	         stats_table_name(id), v.period.from);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "text/csv; charset=utf-8";
	stats_result_release(&r);
	buf_release(&label);
	return 0;
}

static void
json_cell(struct buf *o, enum stats_table_id t, const struct stats_row *row,
          int prev, const struct view *v)
{
	char cell[32];

	/* A hidden count is a string, so no reader mistakes it for a number. */
	if (stats_row_hidden(row, prev))
		json_quote(o, stats_row_cell(t, row, prev, v->threshold, 0, cell));
	else
		buf_addf(o, "%llu", (unsigned long long)(prev ? row->prev
		                                              : row->now));
}

static void
json_duration(struct buf *o, const char *name, const struct stats_duration *d)
{
	buf_addf(o, ",\"%s\":{\"n\":%zu", name, d->n);
	if (d->n)
		buf_addf(o, ",\"median_seconds\":%lld,\"p90_seconds\":%lld",
		         (long long)d->median, (long long)d->p90);
	buf_addch(o, '}');
}

int
page_stats_json(struct request *req)
{
	struct stats_result r;
	struct view v;
	struct buf *o = &req->out, label = BUF_INIT;
	size_t i, j;
	int first = 1;

	if (compute(req, &v, &r) < 0)
		return 0;
	buf_addf(o, "{\"period\":{\"from\":\"%s\",\"to\":\"%s\"},"
	         "\"previous\":{\"from\":\"%s\",\"to\":\"%s\"},"
	         "\"small_number\":%u,\"suppressed\":%s,\"tables\":{",
	         v.period.from, v.period.to, v.period.prev_from, v.period.prev_to,
	         v.threshold, v.suppress ? "true" : "false");
	for (i = 0; i < STATS_TABLES; i++) {
		enum stats_table_id id = (enum stats_table_id)i;

		if (!table_wanted(&v, id))
			continue;
		buf_addf(o, "%s\"%s\":[", first ? "" : ",", stats_table_name(id));
		first = 0;
		for (j = 0; j < r.tables[i].n; j++) {
			const struct stats_row *row = &r.tables[i].rows[j];

			buf_adds(o, j ? ",{\"value\":" : "{\"value\":");
			json_quote(o, row->key);
			buf_adds(o, ",\"label\":");
			json_quote(o, row_label(req, id, row, &label));
			buf_adds(o, ",\"count\":");
			json_cell(o, id, row, 0, &v);
			buf_adds(o, ",\"previous\":");
			json_cell(o, id, row, 1, &v);
			buf_addch(o, '}');
		}
		buf_addch(o, ']');
	}
	buf_addch(o, '}');
	if (v.want & STATS_WANT_SIGNALS) {
		json_duration(o, "first_assessment", &r.first_assessment[0]);
		json_duration(o, "first_assessment_previous",
		              &r.first_assessment[1]);
		json_duration(o, "decision", &r.decision[0]);
		json_duration(o, "decision_previous", &r.decision[1]);
	}
	buf_adds(o, "}\n");
	req->content_type = "application/json";
	stats_result_release(&r);
	buf_release(&label);
	return 0;
}
