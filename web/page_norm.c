/*
 * page_norm.c - the norm self-assessment pages (see page_norm.h): the
 * year's page, and the parts of a page that the form (page_norm_item.c)
 * and the export (page_norm_export.c) reuse (page_norm_internal.h).
 *
 * Every page works on one year: its assessment, the baseline (the first
 * year assessed) and the latest year before it (core/norm.h), and, when
 * the session holds the statistiek keyring, the statistics of that
 * calendar year for the indicators. An indicator is a row of a statistics
 * table (core/stats.h) by name; a row the statistics do not give is shown
 * as "not measured yet", never as 0. Indicators inform the judgement, they
 * do not replace it, and the page says so.
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
#include "stats_read.h"
#include "widget.h"
#include "page_norm_internal.h"

const struct indicator pn_indicators[] = {
	{ "3.7", STATS_INCIDENTS, "total" },
	{ "3.7", STATS_INCIDENTS, "police_notified" },
	{ "3.9", STATS_INCIDENTS, "damages_claimed" },
	{ "3.9", STATS_INCIDENTS, "damages_recovered" },
	{ "3.9", STATS_INCIDENTS, "damage_claimed_cents" },
	{ "3.9", STATS_INCIDENTS, "damage_recovered_cents" },
	{ "3.10", STATS_INCIDENTS, "care_72h" },
	{ "3.10", STATS_INCIDENTS, "aftercare" },
	{ "4.3", STATS_SIGNALS, "total" },
	{ "4.3", STATS_SIGNALS, "named" },
	{ "4.3", STATS_SIGNALS, "ack_7d" },
	{ "4.3", STATS_SIGNALS, "closed_named" },
	{ "4.3", STATS_SIGNALS, "feedback" },
	{ "4.4", STATS_SIGNALS, "deadlines_total" },
	{ "4.4", STATS_SIGNALS, "deadlines_met" },
	{ "4.5", STATS_SIGNALS, "assigned" },
	{ "4.6", STATS_SIGNALS, "meetings" },
	{ "4.6", STATS_SIGNALS, "in_meeting" },
	{ "4.7", STATS_SIGNALS, "riec" },
	/* Added later: at the end, so saved exports keep their places. */
	{ "3.10", STATS_INCIDENTS, "deadlines_total" },
	{ "3.10", STATS_INCIDENTS, "deadlines_met" },
	{ "3.10", STATS_INCIDENTS, "deadlines_met_late" },
	{ "3.10", STATS_INCIDENTS, "deadlines_overdue" },
	{ "3.10", STATS_INCIDENTS, "deadlines_stopped" },
	{ "4.4", STATS_SIGNALS, "deadlines_met_late" },
	{ "4.4", STATS_SIGNALS, "deadlines_overdue" },
	{ "4.4", STATS_SIGNALS, "deadlines_stopped" },
	/* Norm 2.4: the reporting point for integrity violations. */
	{ "2.4", STATS_INTEGRITY, "total" },
	{ "2.4", STATS_INTEGRITY, "named" },
	{ "2.4", STATS_INTEGRITY, "ack_7d" },
	{ "2.4", STATS_INTEGRITY, "feedback" },
	{ "2.4", STATS_INTEGRITY, "closed" },
};
const size_t pn_nindicators = sizeof(pn_indicators) / sizeof(pn_indicators[0]);

/* Four digits and nothing else. */
static int
parse_year(const char *s, int *year)
{
	size_t i;

	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return -1;
	for (*year = 0, i = 0; i < 4; i++)
		*year = *year * 10 + (s[i] - '0');
	return 0;
}

/* The year asked for: ?jaar=, else the latest assessed, else this year. */
static int
read_year(struct request *req, const char *given, int *year)
{
	int this_year = norm_this_year();

	if (!given || !*given) {
		int *years;
		size_t n;

		if (norm_years(req->inst->db, &years, &n) < 0)
			return web_fail_key(req, 500, "common.error_title"), -1;
		*year = n ? years[n - 1] : this_year;
		free(years);
		return 0;
	}
	if (parse_year(given, year) < 0 || !norm_year_valid(*year, this_year)) {
		struct buf text = BUF_INIT;
		char first[16], last[16];

		snprintf(first, sizeof(first), "%d", NORM_YEAR_FIRST);
		snprintf(last, sizeof(last), "%d", this_year + 1);
		i18n_fill(&text, web_text(req, "norm.year_bad"), "first", first,
		          "last", last, (const char *)NULL);
		web_fail(req, 400, text.data);
		buf_release(&text);
		return -1;
	}
	return 0;
}

void
pn_view_release(struct view *v)
{
	norm_year_release(&v->cur);
	norm_year_release(&v->base);
	norm_year_release(&v->prev);
	if (v->stats_ok)
		stats_result_release(&v->r);
}

/*
 * The year's statistics for the indicators, when the session may; core
 * decides which tables, hides the small cells and audits the read or its
 * refusal (stats_read.h). Without the statistiek key the page shows no
 * indicators and says why.
 */
int
pn_load_stats(struct request *req, struct view *v)
{
	struct session_who w;
	const struct actor *a = session_who(req->session, &w);
	struct stats_period period;
	struct outcome o;
	char value[8];

	v->want = stats_wanted(a, STATS_USE_NORM);
	v->suppress = stats_suppressed(a);
	v->threshold = web_config(req) ? web_config(req)->small_number
	                               : STATS_SMALL_NUMBER_DEFAULT;
	snprintf(value, sizeof(value), "%d", v->year);
	if (stats_period_parse(STATS_YEAR, value, NULL, NULL, &period) < 0)
		return -1;
	switch (stats_read_as(req->inst, web_workflows(req), a, STATS_USE_NORM,
	                      v->year, &period, v->threshold, &v->r, &o)) {
	case VERDICT_DONE:
		v->stats_ok = 1;
		return 0;
	case VERDICT_REFUSED:
		v->no_key = 1;
		return 0;
	default:
		return -1;
	}
}

/* Load year with its references; -1 when the answer is already given. */
int
pn_view_load(struct request *req, const char *given, int with_stats,
             struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->c = norm_catalogue();
	v->this_year = norm_this_year();
	if (!v->c)
		return web_fail_key(req, 500, "common.error_title"), -1;
	if (read_year(req, given, &v->year) < 0)
		return -1;
	if (norm_reference_years(req->inst->db, v->year, &v->baseline,
	                         &v->previous) < 0 ||
	    norm_year_load(req->inst->db, v->c, v->year, &v->cur) < 0)
		goto fail;
	/* A year before the baseline has no baseline to compare with. */
	if (v->baseline >= v->year)
		v->baseline = 0;
	if (v->baseline && norm_year_load(req->inst->db, v->c, v->baseline,
	                                  &v->base) < 0)
		goto fail;
	if (v->previous && norm_year_load(req->inst->db, v->c, v->previous,
	                                  &v->prev) < 0)
		goto fail;
	if (with_stats && pn_load_stats(req, v) < 0)
		goto fail;
	return 0;
fail:
	pn_view_release(v);
	web_fail_key(req, 500, "common.error_title");
	return -1;
}

const char *
pn_lang_text(const struct request *req, char *const text[NORM_LANGS])
{
	if (req->lang == LANG_EN && text[NORM_EN])
		return text[NORM_EN];
	return text[NORM_NL];
}

const char *
pn_status_text(const struct request *req, enum norm_status s)
{
	static const char *const keys[NORM_STATUSES] = {
		"norm.status_none", "norm.status_meets", "norm.status_partly",
		"norm.status_not", "norm.status_na",
	};

	return web_text(req, keys[(unsigned)s < NORM_STATUSES ? s : 0]);
}

/* Better, the same or worse than then; "" when they cannot be compared. */
static const char *
change_text(const struct request *req, enum norm_status now,
            enum norm_status then)
{
	static const int rank[NORM_STATUSES] = { 0, 3, 2, 1, 0 };

	if (!rank[now] || !rank[then])
		return "";
	if (rank[now] > rank[then])
		return web_text(req, "norm.change_better");
	if (rank[now] < rank[then])
		return web_text(req, "norm.change_worse");
	return web_text(req, "norm.change_same");
}

void
pn_heading(struct request *req, int level, const char *id, const char *text)
{
	buf_addf(&req->out, "<h%d class=\"utrecht-heading-%d\"", level, level);
	if (id) {
		html_raw(&req->out, " id=\"");
		html_attr(&req->out, id);
		html_raw(&req->out, "\"");
	}
	html_raw(&req->out, ">");
	html_text(&req->out, text);
	buf_addf(&req->out, "</h%d>\n", level);
}

/* A wide table scrolls in its own box on a phone (widget.h). */
void
pn_scroll_open(struct request *req, const char *label)
{
	widget_scroll_open(req, label);
}

void
pn_link(struct request *req, const char *href, const char *text)
{
	widget_link(req, href, text);
}

/* "3.7" as an HTML id: "item-3-7". */
const char *
pn_item_anchor(const char *number, char out[16])
{
	size_t i;

	snprintf(out, 16, "item-%s", number);
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = '-';
	return out;
}

/* A text with {year} etc. filled in, as a paragraph. */
void
pn_paragraph_fill(struct request *req, const char *key, ...)
{
	struct buf text = BUF_INIT;
	const char *name, *value;
	va_list ap;

	/* i18n_fill takes pairs; at most three here. */
	const char *args[6] = { NULL };
	int n = 0;

	va_start(ap, key);
	while (n < 6 && (name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		args[n++] = name;
		args[n++] = value;
	}
	va_end(ap);
	i18n_fill(&text, web_text(req, key), args[0], args[1], args[2], args[3],
	          args[4], args[5], (const char *)NULL);
	layout_paragraph(req, text.data);
	buf_release(&text);
}

const char *
pn_year_text(int year, char out[16])
{
	snprintf(out, 16, "%d", year);
	return out;
}

/* The lines at the top every year page has: baseline, previous year. */
void
pn_references(struct request *req, const struct view *v)
{
	char y[16], b[16], p[16];

	pn_year_text(v->year, y);
	if (!v->cur.assessed && !v->baseline)
		pn_paragraph_fill(req, "norm.no_baseline_yet", "year", y,
		                  (const char *)NULL);
	else if (!v->baseline)
		pn_paragraph_fill(req, "norm.is_baseline", "year", y,
		                  (const char *)NULL);
	else
		pn_paragraph_fill(req, "norm.baseline_is", "baseline",
		                  pn_year_text(v->baseline, b), "previous",
		                  pn_year_text(v->previous, p), (const char *)NULL);
}

/* The indicator's row, or NULL when the statistics do not give it. */
const struct stats_row *
pn_indicator_row(const struct view *v, enum stats_table_id t, const char *row)
{
	if (!v->stats_ok)
		return NULL;
	return stats_find(&v->r.tables[t], row);
}

int
pn_indicator_wanted(const struct view *v, const struct indicator *ind)
{
	return (v->want & stats_table_want(ind->table)) != 0;
}

/*
 * The figure of an indicator as shown, for the period (prev 0) or the one
 * before: a count, or "< 5" / "x" when the statistics hide it, with its
 * share after it; an amount in euros. plain (CSV): the bare cell, amounts
 * with a decimal comma. 0, or 1 when not measured yet.
 */
int
pn_indicator_value(const struct request *req, const struct view *v,
                   const struct indicator *ind, int prev, int plain,
                   struct buf *out)
{
	const struct stats_row *row = pn_indicator_row(v, ind->table, ind->row);
	const char *of = stats_share_of(ind->table, ind->row);
	const struct stats_row *d = of ? pn_indicator_row(v, ind->table, of) : NULL;
	int comma = plain || req->lang != LANG_EN;
	char cell[32];

	buf_reset(out);
	if (!row)
		return 1;
	if (!plain && stats_row_is_amount(ind->table, ind->row) &&
	    !stats_row_hidden(row, prev))
		buf_adds(out, "\xE2\x82\xAC ");
	buf_adds(out, stats_row_cell(ind->table, row, prev, v->threshold, comma,
	                             cell));
	/* A share of a hidden count, or of a hidden whole, would tell it. */
	if (!plain && d && !stats_row_hidden(row, prev) &&
	    !stats_row_hidden(d, prev)) {
		uint64_t n = prev ? row->prev : row->now;
		uint64_t dn = prev ? d->prev : d->now;

		if (dn)
			buf_addf(out, " (%llu%%)", (unsigned long long)
			         ((n * 100 + dn / 2) / dn));
	}
	return 0;
}

const char *
pn_indicator_label(const struct request *req, const struct indicator *ind,
                   struct buf *key)
{
	buf_reset(key);
	if (ind->table == STATS_INTEGRITY)
		buf_addf(key, "norm.ind_integrity_%s", ind->row);
	else
		buf_addf(key, "norm.ind_%s", ind->row);
	if (ind->table == STATS_SIGNALS && strcmp(ind->row, "total") == 0)
		buf_adds(key, "_signals");
	return web_text(req, key->data);
}

/* The indicators of item beside its assessment. */
void
pn_indicators_html(struct request *req, const struct view *v, const char *item)
{
	struct buf key = BUF_INIT, value = BUF_INIT;
	size_t i;
	int shown = 0;

	for (i = 0; i < NINDICATORS; i++) {
		const struct indicator *ind = &pn_indicators[i];

		if (strcmp(ind->item, item) != 0 || !pn_indicator_wanted(v, ind) ||
		    !v->stats_ok)
			continue;
		if (!shown++) {
			html_raw(&req->out, "<div class=\"meldpunt-norm-indicators\">"
			         "<p class=\"utrecht-paragraph\"><strong>");
			html_text(&req->out, web_text(req, "norm.indicators"));
			html_raw(&req->out, "</strong></p>\n<dl class=\"meldpunt-fields\">\n");
		}
		html_raw(&req->out, "<dt>");
		html_text(&req->out, pn_indicator_label(req, ind, &key));
		html_raw(&req->out, "</dt><dd>");
		if (pn_indicator_value(req, v, ind, 0, 0, &value))
			html_text(&req->out, web_text(req, "norm.not_measured"));
		else
			html_text(&req->out, value.data);
		html_raw(&req->out, "</dd>\n");
	}
	if (shown)
		html_raw(&req->out, "</dl>\n</div>\n");
	buf_release(&key);
	buf_release(&value);
}

int
pn_has_indicators(const char *item)
{
	size_t i;

	for (i = 0; i < NINDICATORS; i++)
		if (strcmp(pn_indicators[i].item, item) == 0)
			return 1;
	return 0;
}

/*
 * The norm text of an item with its sub-statements as nested lists; with
 * folded, the sub-statements in a <details> (the year page would be very
 * long otherwise; no script needed to open it).
 */
void
pn_item_text(struct request *req, const struct norm_item *it, int folded)
{
	size_t i;
	int level = 0;
	char n[24];

	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-norm-text\"");
	if (req->lang == LANG_EN && !it->text[NORM_EN])
		html_raw(&req->out, " lang=\"nl\"");
	html_raw(&req->out, ">");
	html_text(&req->out, pn_lang_text(req, it->text));
	html_raw(&req->out, "</p>\n");
	if (it->footnote[NORM_NL]) {
		html_raw(&req->out, "<p class=\"utrecht-paragraph "
		         "meldpunt-norm-footnote\"");
		if (req->lang == LANG_EN && !it->footnote[NORM_EN])
			html_raw(&req->out, " lang=\"nl\"");
		html_raw(&req->out, ">");
		html_text(&req->out, pn_lang_text(req, it->footnote));
		html_raw(&req->out, "</p>\n");
	}
	if (folded && it->nstatements) {
		struct buf text = BUF_INIT;

		snprintf(n, sizeof(n), "%zu", it->nstatements);
		i18n_fill(&text, web_text(req, "norm.statements"), "n", n,
		          (const char *)NULL);
		html_raw(&req->out, "<details class=\"meldpunt-norm-details\">"
		         "<summary>");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</summary>\n");
		buf_release(&text);
	}
	for (i = 0; i < it->nstatements; i++) {
		const struct norm_statement *s = &it->statements[i];

		while (level < s->level) {
			html_raw(&req->out, level ? "\n<ul class=\"utrecht-unordered-list\">"
			                          : "<ul class=\"utrecht-unordered-list "
			                            "meldpunt-norm-statements\">");
			level++;
		}
		while (level > s->level) {
			html_raw(&req->out, "</li></ul>");
			level--;
		}
		if (i && it->statements[i - 1].level >= s->level)
			html_raw(&req->out, "</li>");
		/* A statement the catalogue gives in Dutch only is marked so. */
		html_raw(&req->out, req->lang == LANG_EN && !s->text[NORM_EN]
		                    ? "\n<li lang=\"nl\">" : "\n<li>");
		html_text(&req->out, pn_lang_text(req, s->text));
	}
	while (level > 0) {
		html_raw(&req->out, "</li></ul>\n");
		level--;
	}
	if (folded && it->nstatements)
		html_raw(&req->out, "</details>\n");
}

/* The counts per theme and in total, with meets then and now. */
void
pn_summary_table(struct request *req, const struct view *v, int for_report)
{
	static const char *const heads[] = {
		"norm.theme", "norm.status_meets", "norm.status_partly",
		"norm.status_not", "norm.status_na", "norm.status_none",
		"norm.progress",
	};
	struct norm_counts *now, *base, *prev, tn, tb, tp;
	const struct norm_catalogue *c = v->c;
	struct buf text = BUF_INIT;
	size_t t, i;
	char y[16];

	now = calloc(c->nthemes + 1, sizeof(*now));
	base = calloc(c->nthemes + 1, sizeof(*base));
	prev = calloc(c->nthemes + 1, sizeof(*prev));
	if (!now || !base || !prev)
		die("out of memory");
	norm_count(c, &v->cur, now, &tn);
	if (v->baseline)
		norm_count(c, &v->base, base, &tb);
	if (v->previous)
		norm_count(c, &v->prev, prev, &tp);
	i18n_fill(&text, web_text(req, "norm.summary_caption"), "year",
	          pn_year_text(v->year, y), (const char *)NULL);
	pn_scroll_open(req, text.data);
	html_raw(&req->out, "<table class=\"utrecht-table\" id=\"summary\">\n"
	         "<caption>");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</caption>\n<thead class=\"utrecht-table__header\"><tr>");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		html_raw(&req->out, "<th scope=\"col\">");
		html_text(&req->out, web_text(req, heads[i]));
		html_raw(&req->out, "</th>");
	}
	if (v->baseline) {
		html_raw(&req->out, "<th scope=\"col\">");
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "norm.meets_in"), "year",
		          pn_year_text(v->baseline, y), (const char *)NULL);
		html_text(&req->out, text.data);
		html_raw(&req->out, "</th>");
	}
	if (v->previous && v->previous != v->baseline) {
		html_raw(&req->out, "<th scope=\"col\">");
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "norm.meets_in"), "year",
		          pn_year_text(v->previous, y), (const char *)NULL);
		html_text(&req->out, text.data);
		html_raw(&req->out, "</th>");
	}
	html_raw(&req->out, "</tr></thead>\n<tbody>\n");
	for (t = 0; t <= c->nthemes; t++) {
		const struct norm_counts *k = t < c->nthemes ? &now[t] : &tn;
		size_t items = t < c->nthemes ? c->themes[t].count : c->nitems;
		size_t a = norm_applicable(k, items);
		int s;

		html_raw(&req->out, t < c->nthemes ? "<tr><th scope=\"row\">"
		                                   : "<tr class=\"meldpunt-norm-total\">"
		                                     "<th scope=\"row\">");
		if (t < c->nthemes) {
			buf_reset(&text);
			buf_addf(&text, "%d. %s", c->themes[t].number,
			         pn_lang_text(req, c->themes[t].title));
			html_text(&req->out, text.data);
		} else {
			html_text(&req->out, web_text(req, "norm.total"));
		}
		html_raw(&req->out, "</th>");
		for (s = NORM_MEETS; s < NORM_STATUSES; s++)
			buf_addf(&req->out, "<td>%zu</td>", k->n[s]);
		buf_addf(&req->out, "<td>%zu</td>", k->n[NORM_NONE]);
		buf_addf(&req->out, "<td>%zu / %zu</td>", k->n[NORM_MEETS], a);
		if (v->baseline) {
			const struct norm_counts *b = t < c->nthemes ? &base[t] : &tb;

			buf_addf(&req->out, "<td>%zu / %zu</td>", b->n[NORM_MEETS],
			         norm_applicable(b, items));
		}
		if (v->previous && v->previous != v->baseline) {
			const struct norm_counts *p = t < c->nthemes ? &prev[t] : &tp;

			buf_addf(&req->out, "<td>%zu / %zu</td>", p->n[NORM_MEETS],
			         norm_applicable(p, items));
		}
		html_raw(&req->out, "</tr>\n");
	}
	html_raw(&req->out, "</tbody>\n</table>\n</div>\n");
	if (for_report) {
		size_t a = norm_applicable(&tn, c->nitems);
		char m[24], ap[24], pct[24], goal[16];

		snprintf(m, sizeof(m), "%zu", tn.n[NORM_MEETS]);
		snprintf(ap, sizeof(ap), "%zu", a);
		snprintf(pct, sizeof(pct), "%zu", a ? (tn.n[NORM_MEETS] * 100 +
		         a / 2) / a : 0);
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "norm.progress_text"), "year",
		          pn_year_text(v->year, y), "meets", m, "applicable", ap,
		          "percent", pct, "goal", pn_year_text(c->goal_year, goal),
		          (const char *)NULL);
		html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"progress\">");
		html_text(&req->out, text.data);
		if (v->baseline) {
			size_t ba = norm_applicable(&tb, c->nitems);

			snprintf(m, sizeof(m), "%zu", tb.n[NORM_MEETS]);
			snprintf(ap, sizeof(ap), "%zu", ba);
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.progress_baseline"),
			          "year", pn_year_text(v->baseline, y), "meets", m,
			          "applicable", ap, (const char *)NULL);
			html_raw(&req->out, " ");
			html_text(&req->out, text.data);
		}
		html_raw(&req->out, "</p>\n");
	}
	free(now);
	free(base);
	free(prev);
	buf_release(&text);
}

/* A labelled value in the item's list. */
static void
field(struct request *req, const char *label_key, const char *value)
{
	html_raw(&req->out, "<dt>");
	html_text(&req->out, web_text(req, label_key));
	html_raw(&req->out, "</dt><dd class=\"meldpunt-message-body\">");
	html_text(&req->out, value && *value ? value
	                                     : web_text(req, "norm.empty"));
	html_raw(&req->out, "</dd>\n");
}

/* One reference year's status of item i, with the change against it. */
static void
reference_status(struct request *req, const struct view *v, size_t i,
                 int year, const struct norm_year *then, const char *key)
{
	struct buf label = BUF_INIT, text = BUF_INIT;
	char y[16];
	const char *change;

	i18n_fill(&label, web_text(req, key), "year", pn_year_text(year, y),
	          (const char *)NULL);
	buf_adds(&text, pn_status_text(req, then->items[i].status));
	change = change_text(req, v->cur.items[i].status, then->items[i].status);
	if (*change)
		buf_addf(&text, " \xE2\x80\x93 %s", change);
	html_raw(&req->out, "<dt>");
	html_text(&req->out, label.data);
	html_raw(&req->out, "</dt><dd>");
	html_text(&req->out, text.data);
	html_raw(&req->out, "</dd>\n");
	buf_release(&label);
	buf_release(&text);
}

static void
actions_html(struct request *req, const struct norm_assessment *a)
{
	size_t k;

	if (!a->nactions)
		return;
	html_raw(&req->out, "<dt>");
	html_text(&req->out, web_text(req, "norm.actions"));
	html_raw(&req->out, "</dt><dd><ul class=\"utrecht-unordered-list\">");
	for (k = 0; k < a->nactions; k++) {
		struct buf text = BUF_INIT;

		i18n_fill(&text, web_text(req, "norm.action_line"), "action",
		          a->actions[k].text, "owner", a->actions[k].owner, "due",
		          a->actions[k].due, (const char *)NULL);
		html_raw(&req->out, "<li>");
		html_text(&req->out, text.data);
		html_raw(&req->out, "</li>");
		buf_release(&text);
	}
	html_raw(&req->out, "</ul></dd>\n");
}

void
pn_year_form(struct request *req, const struct view *v, const char *action)
{
	int y;
	char text[16];

	html_raw(&req->out, "<form method=\"get\" class=\"meldpunt-filters "
	         "meldpunt-actions\" action=\"");
	html_attr(&req->out, action);
	html_raw(&req->out, "\">\n<div class=\"utrecht-form-field\"><label "
	         "class=\"utrecht-form-label\" for=\"f-jaar\">");
	html_text(&req->out, web_text(req, "norm.year"));
	html_raw(&req->out, "</label>\n<select class=\"utrecht-select\" "
	         "name=\"jaar\" id=\"f-jaar\">");
	for (y = v->this_year + 1; y >= NORM_YEAR_FIRST; y--) {
		buf_addf(&req->out, "<option value=\"%d\"%s>%s</option>", y,
		         y == v->year ? " selected" : "", pn_year_text(y, text));
	}
	html_raw(&req->out, "</select></div>\n");
	widget_button(req, web_text(req, "norm.show"), 0);
	html_raw(&req->out, "</form>\n");
}

/* What indicators are and whether this session sees them. */
void
pn_indicator_notes(struct request *req, const struct view *v)
{
	layout_paragraph(req, web_text(req, "norm.indicators_inform"));
	if (v->no_key) {
		layout_paragraph(req, web_text(req, "norm.indicators_no_key"));
	} else if (v->suppress) {
		char n[16];

		snprintf(n, sizeof(n), "%u", v->threshold);
		pn_paragraph_fill(req, "norm.small_numbers", "n", n,
		                  (const char *)NULL);
	}
	if (req->lang == LANG_EN)
		layout_paragraph(req, web_text(req, "norm.translation_note"));
}

int
page_norm(struct request *req)
{
	struct view v;
	struct buf text = BUF_INIT, href = BUF_INIT;
	const struct norm_catalogue *c;
	size_t t, i;
	char y[16], anchor[16];

	if (pn_view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	i18n_fill(&text, web_text(req, "norm.title"), "year",
	          pn_year_text(v.year, y), (const char *)NULL);
	layout_begin(req, text.data);
	layout_heading(req, text.data);
	pn_paragraph_fill(req, "norm.intro", "name", pn_lang_text(req, c->name),
	                  "version", c->version ? c->version : "",
	                  (const char *)NULL);
	pn_references(req, &v);
	pn_indicator_notes(req, &v);
	pn_year_form(req, &v, PATH_NORM);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-actions\">");
	buf_addf(&href, PATH_NORM_REPORT "?jaar=%d", v.year);
	pn_link(req, href.data, web_text(req, "norm.report_link"));
	html_raw(&req->out, "</p>\n");
	pn_heading(req, 2, "summary-title", web_text(req, "norm.summary"));
	pn_summary_table(req, &v, 0);
	for (t = 0; t < c->nthemes; t++) {
		const struct norm_theme *th = &c->themes[t];

		buf_reset(&text);
		buf_addf(&text, "%d. %s", th->number, pn_lang_text(req, th->title));
		buf_reset(&href);
		buf_addf(&href, "theme-%d", th->number);
		pn_heading(req, 2, href.data, text.data);
		for (i = th->first; i < th->first + th->count; i++) {
			const struct norm_item *it = &c->items[i];
			const struct norm_assessment *a = &v.cur.items[i];

			if (it->group[NORM_NL])
				pn_heading(req, 3, NULL, pn_lang_text(req, it->group));
			html_raw(&req->out, "<section class=\"meldpunt-norm-item\" id=\"");
			html_attr(&req->out, pn_item_anchor(it->number, anchor));
			html_raw(&req->out, "\">\n");
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.item_n"), "number",
			          it->number, (const char *)NULL);
			pn_heading(req, 4, NULL, text.data);
			pn_item_text(req, it, 1);
			html_raw(&req->out, "<dl class=\"meldpunt-fields\">\n<dt>");
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.status_in"), "year", y,
			          (const char *)NULL);
			html_text(&req->out, text.data);
			html_raw(&req->out, "</dt><dd><span class=\"meldpunt-status\">");
			html_text(&req->out, pn_status_text(req, a->status));
			html_raw(&req->out, "</span></dd>\n");
			if (v.baseline)
				reference_status(req, &v, i, v.baseline, &v.base,
				                 "norm.baseline_status");
			if (v.previous && v.previous != v.baseline)
				reference_status(req, &v, i, v.previous, &v.prev,
				                 "norm.previous_status");
			if (a->status != NORM_NONE) {
				field(req, "norm.explanation", a->explanation);
				field(req, "norm.evidence", a->evidence);
				actions_html(req, a);
			}
			html_raw(&req->out, "</dl>\n");
			if (pn_has_indicators(it->number))
				pn_indicators_html(req, &v, it->number);
			html_raw(&req->out, "<p class=\"utrecht-paragraph "
			         "meldpunt-actions\">");
			buf_reset(&href);
			buf_addf(&href, PATH_NORM_ITEM "?jaar=%d&onderdeel=%s",
			         v.year, it->number);
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.edit"), "number",
			          it->number, (const char *)NULL);
			pn_link(req, href.data, text.data);
			html_raw(&req->out, "</p>\n</section>\n");
		}
	}
	layout_end(req);
	pn_view_release(&v);
	buf_release(&text);
	buf_release(&href);
	return 0;
}
