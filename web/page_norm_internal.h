/*
 * page_norm_internal.h - what the norm pages share (web/page_norm*.c
 * only; the routes are in page_norm.h). The pn_ prefix marks these
 * helpers as the norm pages' own.
 *
 *   page_norm.c         the year's page, and the view and parts of a
 *                       page that the others reuse;
 *   page_norm_item.c    the form for one item and its save;
 *   page_norm_export.c  the annual report for the council, its CSV and
 *                       JSON.
 */
#ifndef MELDPUNT_PAGE_NORM_INTERNAL_H
#define MELDPUNT_PAGE_NORM_INTERNAL_H

#include <stddef.h>

#include "buf.h"
#include "norm.h"
#include "request.h"
#include "stats.h"

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

/* The indicators of the norm items, in the order the pages show them. */
extern const struct indicator pn_indicators[];
extern const size_t pn_nindicators;
#define NINDICATORS pn_nindicators

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

void pn_view_release(struct view *v);
int pn_load_stats(struct request *req, struct view *v);
int pn_view_load(struct request *req, const char *given, int with_stats,
                 struct view *v);
const char *pn_lang_text(const struct request *req, char *const text[NORM_LANGS]);
const char *pn_status_text(const struct request *req, enum norm_status s);
void pn_heading(struct request *req, int level, const char *id, const char *text);
void pn_scroll_open(struct request *req, const char *label);
void pn_link(struct request *req, const char *href, const char *text);
const char *pn_item_anchor(const char *number, char out[16]);
void pn_paragraph_fill(struct request *req, const char *key, ...);
const char *pn_year_text(int year, char out[16]);
void pn_references(struct request *req, const struct view *v);
const struct stats_row *pn_indicator_row(const struct view *v, enum stats_table_id t, const char *row);
int pn_indicator_wanted(const struct view *v, const struct indicator *ind);
int pn_indicator_value(const struct request *req, const struct view *v,
                       const struct indicator *ind, int prev, int plain,
                       struct buf *out);
const char *pn_indicator_label(const struct request *req, const struct indicator *ind,
                               struct buf *key);
void pn_indicators_html(struct request *req, const struct view *v, const char *item);
int pn_has_indicators(const char *item);
void pn_item_text(struct request *req, const struct norm_item *it, int folded);
void pn_summary_table(struct request *req, const struct view *v, int for_report);
void pn_year_form(struct request *req, const struct view *v, const char *action);
void pn_indicator_notes(struct request *req, const struct view *v);

#endif
