/*
 * norm.h - the norm catalogue and the yearly self-assessment
 * (implementatieoverzicht, norm 1.2).
 *
 * The catalogue is data: schema/norms/nhn-weerbare-overheid.ini holds every
 * item of the Noord-Hollandse Norm Weerbare Overheid (1.1 up to 6.2) under
 * its theme, with the sub-statements the norm states for it, in the norm's
 * own Dutch words. norm_catalogue_parse reads such a file and names the
 * file and line of every mistake; norm_catalogue_load does it once for the
 * embedded file at start, and norm_catalogue gives the result to everyone.
 *
 * The assessment is kept per year and per item: a status (meets, partly,
 * does not, not applicable), an explanation, the evidence, and action
 * points each with an owner and a due date. The first year with any item
 * filled in is the baseline (0-meting); later years are compared with it
 * and with the latest year before them.
 *
 * The assessment is stored as plain text, not sealed to a keyring: it
 * describes the organisation, not a person, and its purpose is to be shown
 * to the council. Action owners are staff named in their role, as the
 * audit log names staff. SECURITY.md lists these columns; no report
 * content ever goes into them (indicators are computed when shown, never
 * stored). Every change is audited with the actor and what changed.
 *
 * Ownership: the catalogue from norm_catalogue_parse is freed with
 * norm_catalogue_free; the loaded one belongs to this module. A struct
 * norm_year is released with norm_year_release.
 */
#ifndef MELDPUNT_NORM_H
#define MELDPUNT_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "buf.h"
#include "clock.h"
#include "limits.h"

struct db;

/* The embedded catalogue, relative to schema/. */
#define NORM_CATALOGUE "norms/nhn-weerbare-overheid.ini"
/* An item number: "1.1" .. "6.2" (theme.item, each at most two digits). */
#define NORM_NUMBER_MAX 5
/* The first year an assessment may be made for: the norm dates from
 * September 2024, its first measurement (0-meting) from Q1 2025. */
#define NORM_YEAR_FIRST 2024
/* A catalogue text (item, statement, title), in bytes. */
#define NORM_CATALOGUE_TEXT_MAX 2000
/* Largest catalogue file read from disk. */
#define NORM_CATALOGUE_FILE_MAX (1024 * 1024)

/* The languages of catalogue texts; [NORM_EN] may be NULL. */
enum { NORM_NL, NORM_EN, NORM_LANGS };

struct norm_statement {
	int level;			/* 1 statement, 2 list entry, 3 entry of one */
	char *text[NORM_LANGS];
};

struct norm_item {
	char number[NORM_NUMBER_MAX + 1];
	int theme;			/* 1.. */
	int line;			/* of its [item] section */
	char *text[NORM_LANGS];
	char *group[NORM_LANGS];	/* a heading starting here, or NULL */
	char *footnote[NORM_LANGS];
	struct norm_statement *statements;
	size_t nstatements;
};

struct norm_theme {
	int number;
	char *title[NORM_LANGS];
	size_t first, count;		/* its items in catalogue order */
};

struct norm_catalogue {
	char *name[NORM_LANGS];
	char *version;
	int goal_year;
	struct norm_theme *themes;
	size_t nthemes;
	struct norm_item *items;
	size_t nitems;
};

/*
 * Parse a catalogue. file names it in messages. 0 and *out; -1 with every
 * problem as "file:line: message\n" in errors (may be NULL) and logged.
 */
int norm_catalogue_parse(const char *file, const char *text,
                         struct norm_catalogue **out, struct buf *errors);
void norm_catalogue_free(struct norm_catalogue *c);

/* Parse the embedded catalogue and keep it; 0 or -1 (logged). */
int norm_catalogue_load(void);
/* The loaded catalogue, or NULL before norm_catalogue_load. */
const struct norm_catalogue *norm_catalogue(void);

/* The item numbered number, or NULL. */
const struct norm_item *norm_item_find(const struct norm_catalogue *c,
                                       const char *number);
/* Its index in c->items, or -1. */
long norm_item_index(const struct norm_catalogue *c, const char *number);

enum norm_status {
	NORM_NONE = 0,		/* not assessed (yet) */
	NORM_MEETS,
	NORM_PARTLY,
	NORM_NOT,
	NORM_NA,
	NORM_STATUSES,
};

/* "meets", "partly", "not", "na"; "" for NORM_NONE. */
const char *norm_status_name(enum norm_status s);
/* 0 and *s for one of the four names, else -1 (NORM_NONE is no input). */
int norm_status_parse(const char *name, enum norm_status *s);

struct norm_action {
	char *text;
	char *owner;
	char due[CLOCK_DAY_LEN + 1];
};

struct norm_assessment {
	enum norm_status status;	/* NORM_NONE: nothing stored */
	char *explanation;		/* "" when none; never NULL when stored */
	char *evidence;
	struct norm_action *actions;
	size_t nactions;
	char updated_at[CLOCK_TEXT_LEN + 1];
	char updated_by[65];
};

/* One year: an assessment per catalogue item, in catalogue order. */
struct norm_year {
	int year;
	size_t assessed;		/* items with a status */
	struct norm_assessment *items;	/* [catalogue nitems] */
	size_t n;
};

/* 1 when year may be assessed in this_year: NORM_YEAR_FIRST up to the
 * year after this_year. */
int norm_year_valid(int year, int this_year);

/* What a save can be refused for; each names the field. */
enum norm_problem_code {
	NORM_BAD_YEAR = 1,
	NORM_BAD_ITEM,
	NORM_BAD_STATUS,
	NORM_TOO_LONG,		/* over its limit in limits.h */
	NORM_BAD_TEXT,		/* not UTF-8 text (control characters) */
	NORM_BAD_DATE,		/* not a real day written YYYY-MM-DD */
	NORM_ACTION_INCOMPLETE,	/* an action needs its text, owner and date */
	NORM_TOO_MANY_ACTIONS,
};

struct norm_problem {
	enum norm_problem_code code;
	char field[32];		/* "status", "explanation", "action_owner_2" */
	size_t index;		/* action index (0-based) for action fields */
};

#define NORM_PROBLEMS_MAX 32

/*
 * Check an assessment of item in year, as made in this_year. The number
 * of problems written to out (at most max); 0 when it may be saved.
 */
size_t norm_check(const struct norm_catalogue *c, const struct limits *lim,
                  int year, int this_year, const char *item,
                  const struct norm_assessment *a, struct norm_problem *out,
                  size_t max);

/*
 * Store the assessment of item in year (replacing what was there, its
 * action points included) as actor, after norm_check. Audited as
 * "norm-save" naming year, item and the fields that changed. 0 when
 * saved, 1 when norm_check refused it (nothing changed), -1 on error.
 */
int norm_save(struct db *db, const struct norm_catalogue *c,
              const struct limits *lim, int year, int this_year,
              const char *item, const struct norm_assessment *a,
              const char *actor);

/*
 * Who assesses the norm: admin, coordinator, hr, vpt and the integrity
 * coordinator (norm 2.4) (users.h roles; the norm pages' routes use the
 * same set).
 */
#define NORM_ROLES (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_HR | ROLE_VPT | \
	ROLE_INTEGRITY)

/* The year it is now (clock.h), the one a year is assessed in. */
int norm_this_year(void);

/*
 * Saving an item, as a person does it (core/action.h): actor must hold
 * one of NORM_ROLES, else VERDICT_REFUSED (staff.no_access), audited as
 * "norm-save" refused. problems holds *nproblems problems the caller's
 * parser found already (0 or more; they refuse the save too), and gets
 * norm_check's after them, at most max in all: VERDICT_INVALID when there
 * are any, or when parse_failed says the parser found problems it reports
 * in its own terms; nothing stored then. Else norm_save as actor: VERDICT_DONE, or
 * VERDICT_FAILED with nothing stored.
 */
enum verdict norm_save_as(struct db *db, const struct actor *a,
                          const struct limits *lim, int year,
                          const char *item, const struct norm_assessment *as,
                          int parse_failed, struct norm_problem *problems,
                          size_t max, size_t *nproblems, struct outcome *o);

/*
 * Exporting the assessment of year (the annual report as CSV or JSON) as
 * actor: one of NORM_ROLES, else VERDICT_REFUSED (staff.no_access). Both
 * audited as "norm-export" naming year and what ("summary.csv", "json"),
 * the refusal with result refused. VERDICT_DONE or VERDICT_FAILED.
 */
enum verdict norm_export_as(struct db *db, const struct actor *a, int year,
                            const char *what, struct outcome *o);

/* The assessment of every item in year (unassessed ones NORM_NONE). */
int norm_year_load(struct db *db, const struct norm_catalogue *c, int year,
                   struct norm_year *out);
void norm_year_release(struct norm_year *y);

/* The years with at least one item assessed, ascending. 0 or -1. */
int norm_years(struct db *db, int **years, size_t *n);

/*
 * The baseline (the first year assessed) and the latest year assessed
 * before year: 0 when there is none. 0 or -1.
 */
int norm_reference_years(struct db *db, int year, int *baseline,
                         int *previous);

/* Counts per status: [NORM_NONE] those not assessed. */
struct norm_counts {
	size_t n[NORM_STATUSES];
};

/*
 * Count the statuses of y per theme (themes[c->nthemes], may be NULL) and
 * in total. Items not applicable are left out of the goal: progress is
 * meets / (items - not applicable).
 */
void norm_count(const struct norm_catalogue *c, const struct norm_year *y,
                struct norm_counts *themes, struct norm_counts *total);

/* Items that count towards the goal: all but the not applicable ones. */
size_t norm_applicable(const struct norm_counts *k, size_t items);

#endif
