/*
 * page_norm.c - the norm self-assessment pages (see page_norm.h).
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

#include "audit.h"
#include "clock.h"
#include "config.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "layout.h"
#include "norm.h"
#include "page_norm.h"
#include "post.h"
#include "session.h"
#include "stats.h"
#include "users.h"
#include "widget.h"

/* Empty action rows the form offers beyond the stored ones. */
#define NORM_FORM_SPARE_ACTIONS 2

/*
 * One indicator: a row of a totals table of the statistics (core/stats.h
 * names them). Which row it is a share of, whether it is an amount and
 * whether it is hidden is the statistics' own answer (stats_share_of,
 * stats_row_is_amount, stats_suppress), as on the statistics page.
 */
struct indicator {
	const char *item;
	enum stats_table_id table;
	const char *row;
};

static const struct indicator indicators[] = {
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
};
#define NINDICATORS (sizeof(indicators) / sizeof(indicators[0]))

/* Everything a page of one year shows. */
struct view {
	const struct norm_catalogue *c;
	int year, this_year;
	int baseline, previous;		/* 0: none */
	struct norm_year cur, base, prev;
	/* Indicators. */
	int stats_ok;			/* r holds the year's statistics */
	int no_key;			/* the session holds no statistiek key */
	unsigned want;
	int suppress;
	unsigned threshold;
	struct stats_result r;
};

static int
current_year(void)
{
	char day[CLOCK_DAY_LEN + 1];

	clock_format_day(clock_now(), day);
	return atoi(day);
}

/* Four digits and nothing else. */
static int
parse_year(const char *s, int *year)
{
	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return -1;
	*year = atoi(s);
	return 0;
}

/* The year asked for: ?jaar=, else the latest assessed, else this year. */
static int
read_year(struct request *req, const char *given, int *year)
{
	int this_year = current_year();

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

static void
view_release(struct view *v)
{
	norm_year_release(&v->cur);
	norm_year_release(&v->base);
	norm_year_release(&v->prev);
	if (v->stats_ok)
		stats_result_release(&v->r);
}

/* The year's statistics for the indicators, when the session may. */
static int
load_stats(struct request *req, struct view *v)
{
	const struct session_ring *ring = session_ring(req->session,
	                                               KEYRING_STATISTICS);
	unsigned roles = req->session->roles;
	struct stats_period period;
	struct ring_key key;
	char value[8], object[64];

	if (roles & (ROLE_HR | ROLE_VPT | ROLE_ADMIN))
		v->want |= STATS_WANT_INCIDENTS;
	if (roles & (ROLE_COORDINATOR | ROLE_ADMIN))
		v->want |= STATS_WANT_SIGNALS;
	v->suppress = !(roles & ROLE_VPT);
	v->threshold = web_config(req) ? web_config(req)->small_number
	                               : STATS_SMALL_NUMBER_DEFAULT;
	if (!ring || !v->want) {
		v->no_key = 1;
		return 0;
	}
	snprintf(value, sizeof(value), "%d", v->year);
	if (stats_period_parse(STATS_YEAR, value, NULL, NULL, &period) < 0)
		return -1;
	key.pk = ring->pk;
	key.sk = ring->sk;
	snprintf(object, sizeof(object), "norm indicators %d", v->year);
	if (audit_append(req->inst->db, req->session->username, "stats-read",
	                 object) < 0 ||
	    stats_compute(req->inst, web_workflows(req), &key, &period, v->want,
	                  &v->r) < 0)
		return -1;
	v->stats_ok = 1;
	/* The same cells hidden as on the statistics page. */
	if (v->suppress)
		stats_suppress(&v->r, v->threshold);
	return 0;
}

/* Load year with its references; -1 when the answer is already given. */
static int
view_load(struct request *req, const char *given, int with_stats,
          struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->c = norm_catalogue();
	v->this_year = current_year();
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
	if (with_stats && load_stats(req, v) < 0)
		goto fail;
	return 0;
fail:
	view_release(v);
	web_fail_key(req, 500, "common.error_title");
	return -1;
}

static const char *
lang_text(const struct request *req, char *const text[NORM_LANGS])
{
	if (req->lang == LANG_EN && text[NORM_EN])
		return text[NORM_EN];
	return text[NORM_NL];
}

static const char *
status_text(const struct request *req, enum norm_status s)
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

static void
heading(struct request *req, int level, const char *id, const char *text)
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
static void
scroll_open(struct request *req, const char *label)
{
	widget_scroll_open(req, label);
}

static void
link(struct request *req, const char *href, const char *text)
{
	widget_link(req, href, text);
}

/* "3.7" as an HTML id: "item-3-7". */
static const char *
item_anchor(const char *number, char out[16])
{
	size_t i;

	snprintf(out, 16, "item-%s", number);
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = '-';
	return out;
}

/* A text with {year} etc. filled in, as a paragraph. */
static void
paragraph_fill(struct request *req, const char *key, ...)
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

static const char *
year_text(int year, char out[16])
{
	snprintf(out, 16, "%d", year);
	return out;
}

/* The lines at the top every year page has: baseline, previous year. */
static void
references(struct request *req, const struct view *v)
{
	char y[16], b[16], p[16];

	year_text(v->year, y);
	if (!v->cur.assessed && !v->baseline)
		paragraph_fill(req, "norm.no_baseline_yet", "year", y,
		               (const char *)NULL);
	else if (!v->baseline)
		paragraph_fill(req, "norm.is_baseline", "year", y,
		               (const char *)NULL);
	else
		paragraph_fill(req, "norm.baseline_is", "baseline",
		               year_text(v->baseline, b), "previous",
		               year_text(v->previous, p), (const char *)NULL);
}

/* The indicator's row, or NULL when the statistics do not give it. */
static const struct stats_row *
indicator_row(const struct view *v, enum stats_table_id t, const char *row)
{
	if (!v->stats_ok)
		return NULL;
	return stats_find(&v->r.tables[t], row);
}

static int
indicator_wanted(const struct view *v, const struct indicator *ind)
{
	return stats_table_is_incident(ind->table)
	       ? (v->want & STATS_WANT_INCIDENTS) != 0
	       : (v->want & STATS_WANT_SIGNALS) != 0;
}

/*
 * The figure of an indicator as shown, for the period (prev 0) or the one
 * before: a count, or "< 5" / "x" when the statistics hide it, with its
 * share after it; an amount in euros. plain (CSV): the bare cell, amounts
 * with a decimal comma. 0, or 1 when not measured yet.
 */
static int
indicator_value(const struct request *req, const struct view *v,
                const struct indicator *ind, int prev, int plain,
                struct buf *out)
{
	const struct stats_row *row = indicator_row(v, ind->table, ind->row);
	const char *of = stats_share_of(ind->table, ind->row);
	const struct stats_row *d = of ? indicator_row(v, ind->table, of) : NULL;
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

static const char *
indicator_label(const struct request *req, const struct indicator *ind,
                struct buf *key)
{
	buf_reset(key);
	buf_addf(key, "norm.ind_%s", ind->row);
	if (ind->table == STATS_SIGNALS && strcmp(ind->row, "total") == 0)
		buf_adds(key, "_signals");
	return web_text(req, key->data);
}

/* The indicators of item beside its assessment. */
static void
indicators_html(struct request *req, const struct view *v, const char *item)
{
	struct buf key = BUF_INIT, value = BUF_INIT;
	size_t i;
	int shown = 0;

	for (i = 0; i < NINDICATORS; i++) {
		const struct indicator *ind = &indicators[i];

		if (strcmp(ind->item, item) != 0 || !indicator_wanted(v, ind) ||
		    !v->stats_ok)
			continue;
		if (!shown++) {
			html_raw(&req->out, "<div class=\"meldpunt-norm-indicators\">"
			         "<p class=\"utrecht-paragraph\"><strong>");
			html_text(&req->out, web_text(req, "norm.indicators"));
			html_raw(&req->out, "</strong></p>\n<dl class=\"meldpunt-fields\">\n");
		}
		html_raw(&req->out, "<dt>");
		html_text(&req->out, indicator_label(req, ind, &key));
		html_raw(&req->out, "</dt><dd>");
		if (indicator_value(req, v, ind, 0, 0, &value))
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

static int
has_indicators(const char *item)
{
	size_t i;

	for (i = 0; i < NINDICATORS; i++)
		if (strcmp(indicators[i].item, item) == 0)
			return 1;
	return 0;
}

/*
 * The norm text of an item with its sub-statements as nested lists; with
 * folded, the sub-statements in a <details> (the year page would be very
 * long otherwise; no script needed to open it).
 */
static void
item_text(struct request *req, const struct norm_item *it, int folded)
{
	size_t i;
	int level = 0;
	char n[24];

	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-norm-text\"");
	if (req->lang == LANG_EN && !it->text[NORM_EN])
		html_raw(&req->out, " lang=\"nl\"");
	html_raw(&req->out, ">");
	html_text(&req->out, lang_text(req, it->text));
	html_raw(&req->out, "</p>\n");
	if (it->footnote[NORM_NL]) {
		html_raw(&req->out, "<p class=\"utrecht-paragraph "
		         "meldpunt-norm-footnote\" lang=\"nl\">");
		html_text(&req->out, lang_text(req, it->footnote));
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
			                            "meldpunt-norm-statements\" lang=\"nl\">");
			level++;
		}
		while (level > s->level) {
			html_raw(&req->out, "</li></ul>");
			level--;
		}
		if (i && it->statements[i - 1].level >= s->level)
			html_raw(&req->out, "</li>");
		html_raw(&req->out, "\n<li>");
		html_text(&req->out, lang_text(req, s->text));
	}
	while (level > 0) {
		html_raw(&req->out, "</li></ul>\n");
		level--;
	}
	if (folded && it->nstatements)
		html_raw(&req->out, "</details>\n");
}

/* The counts per theme and in total, with meets then and now. */
static void
summary_table(struct request *req, const struct view *v, int for_report)
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
	          year_text(v->year, y), (const char *)NULL);
	scroll_open(req, text.data);
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
		          year_text(v->baseline, y), (const char *)NULL);
		html_text(&req->out, text.data);
		html_raw(&req->out, "</th>");
	}
	if (v->previous && v->previous != v->baseline) {
		html_raw(&req->out, "<th scope=\"col\">");
		buf_reset(&text);
		i18n_fill(&text, web_text(req, "norm.meets_in"), "year",
		          year_text(v->previous, y), (const char *)NULL);
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
			         lang_text(req, c->themes[t].title));
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
		          year_text(v->year, y), "meets", m, "applicable", ap,
		          "percent", pct, "goal", year_text(c->goal_year, goal),
		          (const char *)NULL);
		html_raw(&req->out, "<p class=\"utrecht-paragraph\" id=\"progress\">");
		html_text(&req->out, text.data);
		if (v->baseline) {
			size_t ba = norm_applicable(&tb, c->nitems);

			snprintf(m, sizeof(m), "%zu", tb.n[NORM_MEETS]);
			snprintf(ap, sizeof(ap), "%zu", ba);
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.progress_baseline"),
			          "year", year_text(v->baseline, y), "meets", m,
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

	i18n_fill(&label, web_text(req, key), "year", year_text(year, y),
	          (const char *)NULL);
	buf_adds(&text, status_text(req, then->items[i].status));
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

static void
year_form(struct request *req, const struct view *v, const char *action)
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
		         y == v->year ? " selected" : "", year_text(y, text));
	}
	html_raw(&req->out, "</select></div>\n");
	widget_button(req, web_text(req, "norm.show"), 0);
	html_raw(&req->out, "</form>\n");
}

/* What indicators are and whether this session sees them. */
static void
indicator_notes(struct request *req, const struct view *v)
{
	layout_paragraph(req, web_text(req, "norm.indicators_inform"));
	if (v->no_key) {
		layout_paragraph(req, web_text(req, "norm.indicators_no_key"));
	} else if (v->suppress) {
		char n[16];

		snprintf(n, sizeof(n), "%u", v->threshold);
		paragraph_fill(req, "norm.small_numbers", "n", n,
		               (const char *)NULL);
	}
	if (req->lang == LANG_EN)
		layout_paragraph(req, web_text(req, "norm.dutch_only"));
}

int
page_norm(struct request *req)
{
	struct view v;
	struct buf text = BUF_INIT, href = BUF_INIT;
	const struct norm_catalogue *c;
	size_t t, i;
	char y[16], anchor[16];

	if (view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	i18n_fill(&text, web_text(req, "norm.title"), "year",
	          year_text(v.year, y), (const char *)NULL);
	layout_begin(req, text.data);
	layout_heading(req, text.data);
	paragraph_fill(req, "norm.intro", "name", lang_text(req, c->name),
	               "version", c->version ? c->version : "",
	               (const char *)NULL);
	references(req, &v);
	indicator_notes(req, &v);
	year_form(req, &v, PATH_NORM);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-actions\">");
	buf_addf(&href, PATH_NORM_REPORT "?jaar=%d", v.year);
	link(req, href.data, web_text(req, "norm.report_link"));
	html_raw(&req->out, "</p>\n");
	heading(req, 2, "summary-title", web_text(req, "norm.summary"));
	summary_table(req, &v, 0);
	for (t = 0; t < c->nthemes; t++) {
		const struct norm_theme *th = &c->themes[t];

		buf_reset(&text);
		buf_addf(&text, "%d. %s", th->number, lang_text(req, th->title));
		buf_reset(&href);
		buf_addf(&href, "theme-%d", th->number);
		heading(req, 2, href.data, text.data);
		for (i = th->first; i < th->first + th->count; i++) {
			const struct norm_item *it = &c->items[i];
			const struct norm_assessment *a = &v.cur.items[i];

			if (it->group[NORM_NL])
				heading(req, 3, NULL, lang_text(req, it->group));
			html_raw(&req->out, "<section class=\"meldpunt-norm-item\" id=\"");
			html_attr(&req->out, item_anchor(it->number, anchor));
			html_raw(&req->out, "\">\n");
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.item_n"), "number",
			          it->number, (const char *)NULL);
			heading(req, 4, NULL, text.data);
			item_text(req, it, 1);
			html_raw(&req->out, "<dl class=\"meldpunt-fields\">\n<dt>");
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.status_in"), "year", y,
			          (const char *)NULL);
			html_text(&req->out, text.data);
			html_raw(&req->out, "</dt><dd><span class=\"meldpunt-status\">");
			html_text(&req->out, status_text(req, a->status));
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
			if (has_indicators(it->number))
				indicators_html(req, &v, it->number);
			html_raw(&req->out, "<p class=\"utrecht-paragraph "
			         "meldpunt-actions\">");
			buf_reset(&href);
			buf_addf(&href, PATH_NORM_ITEM "?jaar=%d&onderdeel=%s",
			         v.year, it->number);
			buf_reset(&text);
			i18n_fill(&text, web_text(req, "norm.edit"), "number",
			          it->number, (const char *)NULL);
			link(req, href.data, text.data);
			html_raw(&req->out, "</p>\n</section>\n");
		}
	}
	layout_end(req);
	view_release(&v);
	buf_release(&text);
	buf_release(&href);
	return 0;
}

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

	year_text(v->year, y);
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
			link(req, href.data, msg.data);
			html_raw(&req->out, "</li>\n");
			buf_release(&msg);
		}
		html_raw(&req->out, "</ul>\n");
		layout_alert_end(req);
	}
	item_text(req, it, 0);
	indicator_notes(req, v);
	if (has_indicators(it->number))
		indicators_html(req, v, it->number);
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
		html_text(&req->out, status_text(req, (enum norm_status)s));
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
	heading(req, 2, NULL, web_text(req, "norm.actions"));
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
	         item_anchor(it->number, anchor));
	link(req, href.data, web_text(req, "norm.back"));
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

	if (view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	if ((i = read_item(req, &v, web_query(req, "onderdeel"))) < 0) {
		view_release(&v);
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
	view_release(&v);
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
	char anchor[16];

	/* The statistics only when the form is shown again. */
	if (view_load(req, post_get(req->post, "jaar"), 0, &v) < 0)
		return 0;
	if ((i = read_item(req, &v, post_get(req->post, "onderdeel"))) < 0) {
		view_release(&v);
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
	nprobs += norm_check(v.c, req->limits, v.year, v.this_year,
	                     v.c->items[i].number, &a, probs + nprobs,
	                     NORM_PROBLEMS_MAX);
	if (nprobs > NORM_PROBLEMS_MAX)
		nprobs = NORM_PROBLEMS_MAX;
	if (!nprobs) {
		int rc = norm_save(req->inst->db, v.c, req->limits, v.year,
		                   v.this_year,
		                   v.c->items[i].number, &a,
		                   req->session->username);

		if (rc < 0) {
			ret = web_fail_key(req, 500, "common.error_title");
		} else {
			buf_addf(&path, PATH_NORM "?jaar=%d#%s", v.year,
			         item_anchor(v.c->items[i].number, anchor));
			ret = web_redirect(req, path.data);
		}
	} else {
		/* Without them the form still shows; the page says why not. */
		if (load_stats(req, &v) < 0) {
			v.no_key = 1;
			v.stats_ok = 0;
		}
		req->status = 400;
		ret = render_form(req, &v, (size_t)i, &ans, probs, nprobs);
	}
	view_release(&v);
	buf_release(&name);
	buf_release(&path);
	return ret;
}

/* The statistics appendix: every indicator this session sees. */
static void
figures_table(struct request *req, const struct view *v)
{
	struct buf key = BUF_INIT, value = BUF_INIT, text = BUF_INIT;
	size_t i;
	char y[16];

	if (!v->stats_ok)
		return;
	scroll_open(req, web_text(req, "norm.figures"));
	html_raw(&req->out, "<table class=\"utrecht-table\" id=\"figures\">\n"
	         "<caption>");
	html_text(&req->out, web_text(req, "norm.figures"));
	html_raw(&req->out, "</caption>\n<thead class=\"utrecht-table__header\">"
	         "<tr><th scope=\"col\">");
	html_text(&req->out, web_text(req, "norm.item"));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, web_text(req, "norm.figure"));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, year_text(v->year, y));
	html_raw(&req->out, "</th><th scope=\"col\">");
	html_text(&req->out, year_text(v->year - 1, y));
	html_raw(&req->out, "</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < NINDICATORS; i++) {
		const struct indicator *ind = &indicators[i];
		int p;

		if (!indicator_wanted(v, ind))
			continue;
		html_raw(&req->out, "<tr><td>");
		html_text(&req->out, ind->item);
		html_raw(&req->out, "</td><th scope=\"row\">");
		html_text(&req->out, indicator_label(req, ind, &key));
		html_raw(&req->out, "</th>");
		for (p = 0; p < 2; p++) {
			html_raw(&req->out, "<td>");
			if (indicator_value(req, v, ind, p, 0, &value))
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

	if (view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	i18n_fill(&text, web_text(req, "norm.report_title"), "year",
	          year_text(v.year, y), (const char *)NULL);
	layout_begin(req, text.data);
	html_raw(&req->out, "<div class=\"meldpunt-norm-report\">\n");
	layout_heading(req, text.data);
	paragraph_fill(req, "norm.report_intro", "name", lang_text(req, c->name),
	               "year", y, (const char *)NULL);
	references(req, &v);
	year_form(req, &v, PATH_NORM_REPORT);
	html_raw(&req->out, "<p class=\"utrecht-paragraph meldpunt-actions\">");
	buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=summary", v.year);
	link(req, href.data, web_text(req, "norm.csv_summary"));
	html_raw(&req->out, " ");
	buf_reset(&href);
	buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=items", v.year);
	link(req, href.data, web_text(req, "norm.csv_items"));
	if (v.stats_ok) {
		html_raw(&req->out, " ");
		buf_reset(&href);
		buf_addf(&href, PATH_NORM_CSV "?jaar=%d&tabel=figures", v.year);
		link(req, href.data, web_text(req, "norm.csv_figures"));
	}
	html_raw(&req->out, " ");
	buf_reset(&href);
	buf_addf(&href, PATH_NORM_JSON "?jaar=%d", v.year);
	link(req, href.data, web_text(req, "norm.json"));
	html_raw(&req->out, "</p>\n");
	heading(req, 2, NULL, web_text(req, "norm.summary"));
	summary_table(req, &v, 1);

	heading(req, 2, NULL, web_text(req, "norm.items_title"));
	scroll_open(req, web_text(req, "norm.items_title"));
	widget_table_head(req, "items", heads, sizeof(heads) / sizeof(heads[0]));
	for (i = 0; i < c->nitems; i++) {
		const struct norm_assessment *a = &v.cur.items[i];

		html_raw(&req->out, "<tr><th scope=\"row\">");
		html_text(&req->out, c->items[i].number);
		html_raw(&req->out, "</th><td>");
		html_text(&req->out, status_text(req, a->status));
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, v.baseline ? status_text(req,
		          v.base.items[i].status) : "\xE2\x80\x93");
		html_raw(&req->out, "</td><td>");
		html_text(&req->out, v.previous ? status_text(req,
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

	heading(req, 2, NULL, web_text(req, "norm.appendix"));
	indicator_notes(req, &v);
	figures_table(req, &v);
	html_raw(&req->out, "</div>\n");
	layout_end(req);
	view_release(&v);
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
	char object[64];

	if (!table || (strcmp(table, "summary") != 0 &&
	               strcmp(table, "items") != 0 &&
	               strcmp(table, "figures") != 0))
		return web_fail_key(req, 400, "norm.table_bad");
	if (view_load(req, web_query(req, "jaar"), strcmp(table, "figures") == 0,
	              &v) < 0)
		return 0;
	c = v.c;
	snprintf(object, sizeof(object), "norm %d %s.csv", v.year, table);
	if (audit_append(req->inst->db, req->session->username, "norm-export",
	                 object) < 0) {
		view_release(&v);
		return web_fail_key(req, 500, "common.error_title");
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
			const struct indicator *ind = &indicators[i];
			int p;

			if (!indicator_wanted(&v, ind))
				continue;
			buf_addf(o, "%s;%s", ind->item, ind->row);
			for (p = 0; p < 2; p++) {
				buf_addch(o, ';');
				if (indicator_value(req, &v, ind, p, 1, &value))
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
	view_release(&v);
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
	const struct stats_row *row = indicator_row(v, ind->table, ind->row);
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
	char object[64];

	if (view_load(req, web_query(req, "jaar"), 1, &v) < 0)
		return 0;
	c = v.c;
	snprintf(object, sizeof(object), "norm %d json", v.year);
	if (audit_append(req->inst->db, req->session->username, "norm-export",
	                 object) < 0) {
		view_release(&v);
		return web_fail_key(req, 500, "common.error_title");
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
			const struct indicator *ind = &indicators[i];

			if (!indicator_wanted(&v, ind))
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
	view_release(&v);
	return 0;
}
