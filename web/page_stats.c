/*
 * page_stats.c - the statistics pages (see page_stats.h).
 *
 * Who sees what: hr and vpt the incident tables, the coordinator the
 * signal tables; every one of them only with the statistiek keyring in the
 * session, since the figures come from the answers sealed to it (hr holds
 * statistiek, not agressie: no content is ever opened here). Outside the
 * vpt role, counts from 1 below the configured threshold are shown as
 * "< 5" in every output, and a share whose count is hidden is hidden too.
 *
 * Each table gets a bar chart drawn as inline SVG on the server (role
 * "img" with a title; the figures themselves in the table beside it, for
 * screen readers and print), and a link to the same table as CSV. The
 * period comes from the query: periode=jaar|kwartaal|maand|anders with
 * waarde (2025, 2025-Q1, 2025-03) or van and tot (days, both included).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "layout.h"
#include "page_stats.h"
#include "session.h"
#include "config.h"
#include "stats.h"
#include "users.h"

#define CHART_WIDTH 480
#define CHART_BAR 22
#define CHART_LABEL 180

/* What one request asked for and may see. */
struct view {
	struct stats_period period;
	char query[80];		/* the period as a query string, validated */
	unsigned want;
	int suppress;
	unsigned threshold;
};

/* The period from the query; -1 (a 400 already answered) when invalid. */
static int
read_view(struct request *req, struct view *v)
{
	const char *kind = web_query(req, "periode");
	const char *value = web_query(req, "waarde");
	enum stats_kind k = STATS_YEAR;
	char year[8];
	unsigned roles = req->session->roles;

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
	if (roles & (ROLE_HR | ROLE_VPT))
		v->want |= STATS_WANT_INCIDENTS;
	if (roles & ROLE_COORDINATOR)
		v->want |= STATS_WANT_SIGNALS;
	v->suppress = !(roles & ROLE_VPT);
	/* [statistics] small_number, when the server was given a file. */
	v->threshold = web_config(req) ? web_config(req)->small_number
	                               : STATS_SMALL_NUMBER_DEFAULT;
	return 0;
}

/* Compute with the session's statistiek key; -1 when answered already. */
static int
compute(struct request *req, struct view *v, struct stats_result *r)
{
	const struct session_ring *ring;
	struct ring_key key;
	char object[64];

	if (read_view(req, v) < 0)
		return -1;
	ring = session_ring(req->session, KEYRING_STATISTICS);
	if (!ring || !v->want)
		return web_fail_key(req, 403, "stats.no_keyring"), -1;
	key.pk = ring->pk;
	key.sk = ring->sk;
	snprintf(object, sizeof(object), "statistics %s..%s", v->period.from,
	         v->period.to);
	if (audit_append(req->inst->db, req->session->username, "stats-read",
	                 object) < 0 ||
	    stats_compute(req->inst, web_workflows(req), &key, &v->period,
	                  v->want, r) < 0) {
		web_fail_key(req, 500, "common.error_title");
		return -1;
	}
	return 0;
}

static int
table_wanted(const struct view *v, enum stats_table_id t)
{
	return stats_table_is_incident(t) ? (v->want & STATS_WANT_INCIDENTS) != 0
	                                  : (v->want & STATS_WANT_SIGNALS) != 0;
}

static const char *
row_label(struct request *req, const struct stats_row *row)
{
	return row->key[0] ? row->key : web_text(req, "stats.unknown");
}

static const char *
table_title(struct request *req, enum stats_table_id t, struct buf *key)
{
	buf_reset(key);
	buf_addf(key, "stats.table_%s", stats_table_name(t));
	return web_text(req, key->data);
}

/* A horizontal bar chart of the period's counts; hidden counts get no bar. */
static void
chart(struct request *req, const struct view *v, const struct stats_table *t,
      const char *title)
{
	struct buf *o = &req->out;
	uint64_t max = 1;
	size_t i;
	char cell[32];

	for (i = 0; i < t->n; i++)
		if (t->rows[i].now > max)
			max = t->rows[i].now;
	buf_addf(o, "<svg class=\"meldpunt-chart\" role=\"img\" "
	         "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	         "height=\"%zu\" viewBox=\"0 0 %d %zu\"><title>", CHART_WIDTH,
	         t->n * CHART_BAR + 4, CHART_WIDTH, t->n * CHART_BAR + 4);
	html_text(o, title);
	html_raw(o, "</title>\n");
	for (i = 0; i < t->n; i++) {
		const struct stats_row *row = &t->rows[i];
		int hidden = stats_hidden(row->now, v->threshold, v->suppress);
		unsigned w = hidden ? 0 : (unsigned)(row->now *
		             (CHART_WIDTH - CHART_LABEL - 60) / max);
		size_t y = i * CHART_BAR + 2;

		buf_addf(o, "<text x=\"0\" y=\"%zu\" font-size=\"13\">", y + 15);
		html_text(o, row_label(req, row));
		buf_addf(o, "</text><rect x=\"%d\" y=\"%zu\" width=\"%u\" "
		         "height=\"%d\" fill=\"currentColor\"/><text x=\"%u\" "
		         "y=\"%zu\" font-size=\"13\">", CHART_LABEL, y, w,
		         CHART_BAR - 6, CHART_LABEL + w + 6, y + 15);
		/* "< 5" must be escaped in SVG as in HTML. */
		html_text(o, stats_cell(row->now, v->threshold, v->suppress, cell));
		html_raw(o, "</text>\n");
	}
	html_raw(o, "</svg>\n");
}

static void
table_html(struct request *req, const struct view *v,
           enum stats_table_id id, const struct stats_table *t,
           struct buf *key)
{
	struct buf *o = &req->out;
	const char *title = table_title(req, id, key);
	char cell[32];
	size_t i;

	buf_addf(o, "<section class=\"meldpunt-stats\" id=\"t-%s\">\n"
	         "<h2 class=\"utrecht-heading-2\">", stats_table_name(id));
	html_text(o, title);
	html_raw(o, "</h2>\n<div class=\"meldpunt-stats__pair\">\n");
	chart(req, v, t, title);
	html_raw(o, "<table class=\"utrecht-table\">\n<caption>");
	html_text(o, title);
	html_raw(o, "</caption>\n<thead class=\"utrecht-table__header\"><tr>"
	         "<th scope=\"col\">");
	html_text(o, web_text(req, "stats.value"));
	html_raw(o, "</th><th scope=\"col\">");
	html_text(o, v->period.from);
	html_raw(o, " &ndash; ");
	html_text(o, v->period.to);
	html_raw(o, "</th><th scope=\"col\">");
	html_text(o, web_text(req, "stats.previous"));
	html_raw(o, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < t->n; i++) {
		html_raw(o, "<tr><th scope=\"row\">");
		html_text(o, row_label(req, &t->rows[i]));
		html_raw(o, "</th><td>");
		html_text(o, stats_cell(t->rows[i].now, v->threshold, v->suppress,
		                        cell));
		html_raw(o, "</td><td>");
		html_text(o, stats_cell(t->rows[i].prev, v->threshold, v->suppress,
		                        cell));
		html_raw(o, "</td></tr>\n");
	}
	html_raw(o, "</tbody>\n</table>\n</div>\n<p class=\"utrecht-paragraph\">"
	         "<a class=\"utrecht-link\" href=\"");
	buf_reset(key);
	buf_addf(key, PATH_STATS_CSV "?table=%s&%s&sep=;&decimal=comma",
	         stats_table_name(id), v->query);
	html_attr(o, key->data);
	html_raw(o, "\">");
	html_text(o, web_text(req, "stats.csv"));
	html_raw(o, "</a></p>\n</section>\n");
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
	html_raw(o, "</h2>\n<table class=\"utrecht-table\">\n<thead "
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
	html_raw(o, "</tbody>\n</table>\n</section>\n");
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
	}
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

/* A CSV field: quoted when it holds the separator, a quote or a newline. */
static void
csv_field(struct buf *o, const char *s, char sep)
{
	const char *p;

	/* A leading =, +, - or @ would be a formula in a spreadsheet. */
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';

	if (!formula && !strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
		buf_adds(o, s);
		return;
	}
	buf_addch(o, '"');
	if (formula)
		buf_addch(o, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addch(o, '"');
		buf_addch(o, *p);
	}
	buf_addch(o, '"');
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
	struct buf header = BUF_INIT;
	char sep = ',', cell[32];
	size_t i;

	if (!name || stats_table_parse(name, &id) < 0)
		return web_fail_key(req, 400, "stats.table_bad");
	if (sepq && strcmp(sepq, ";") == 0)
		sep = ';';
	else if (sepq && *sepq && strcmp(sepq, ",") != 0)
		return web_fail_key(req, 400, "stats.table_bad");
	/* A decimal comma needs a separator that is not a comma. */
	if (dec && strcmp(dec, "comma") == 0)
		sep = ';';
	if (compute(req, &v, &r) < 0)
		return 0;
	if (!table_wanted(&v, id)) {
		stats_result_release(&r);
		return web_fail_key(req, 403, "stats.no_keyring");
	}
	/* The BOM tells Excel the file is UTF-8. */
	buf_adds(&req->out, "\xEF\xBB\xBF");
	buf_addf(&req->out, "value%c%s..%s%c%s..%s\r\n", sep, v.period.from,
	         v.period.to, sep, v.period.prev_from, v.period.prev_to);
	for (i = 0; i < r.tables[id].n; i++) {
		const struct stats_row *row = &r.tables[id].rows[i];

		csv_field(&req->out, row->key, sep);
		buf_addch(&req->out, sep);
		csv_field(&req->out, stats_cell(row->now, v.threshold, v.suppress,
		                                 cell), sep);
		buf_addch(&req->out, sep);
		csv_field(&req->out, stats_cell(row->prev, v.threshold,
		                                 v.suppress, cell), sep);
		buf_adds(&req->out, "\r\n");
	}
	buf_addf(&header, "attachment; filename=\"meldpunt-%s-%s.csv\"",
	         stats_table_name(id), v.period.from);
	req->disposition = buf_detach(&header, NULL);
	req->content_type = "text/csv; charset=utf-8";
	stats_result_release(&r);
	return 0;
}

static void
json_cell(struct buf *o, uint64_t n, const struct view *v)
{
	char cell[32];

	/* A hidden count is a string, so no reader mistakes it for a number. */
	if (stats_hidden(n, v->threshold, v->suppress))
		json_quote(o, stats_cell(n, v->threshold, v->suppress, cell));
	else
		buf_addf(o, "%llu", (unsigned long long)n);
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
	struct buf *o = &req->out;
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
		if (!table_wanted(&v, (enum stats_table_id)i))
			continue;
		buf_addf(o, "%s\"%s\":[", first ? "" : ",",
		         stats_table_name((enum stats_table_id)i));
		first = 0;
		for (j = 0; j < r.tables[i].n; j++) {
			const struct stats_row *row = &r.tables[i].rows[j];

			buf_adds(o, j ? ",{\"value\":" : "{\"value\":");
			json_quote(o, row->key);
			buf_adds(o, ",\"count\":");
			json_cell(o, row->now, &v);
			buf_adds(o, ",\"previous\":");
			json_cell(o, row->prev, &v);
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
	return 0;
}
