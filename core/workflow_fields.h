/*
 * workflow_fields.h - typed fields of workflow steps, and the rules
 * between them.
 *
 * A transition's fields (workflow.h) are free text unless the workflow
 * file declares them. A declaration gives a field a type, and a rule ties
 * two fields together:
 *
 *   [field damage_amount]
 *   type = money            ; text, money, date, reference or choice
 *   max = 1000000           ; money: the highest amount in whole euros
 *
 *   [field seriousness]
 *   type = choice
 *   choices = 1 2 3 4       ; the values stored (names: a-z, 0-9, _)
 *   choices.nl = laag | gemiddeld | hoog | zeer hoog
 *   choices.en = low | medium | high | very high
 *   label.nl = Ernst        ; optional: the page's label (else the
 *   label.en = Seriousness  ;   page texts' case.field.NAME)
 *
 *   [rule recovered_within_claimed]
 *   check = recovered_amount <= damage_amount   ; <= < >= > or =
 *   per = case              ; case: the sums over every step of the
 *                           ;   case; step (default): this step alone
 *   label.nl = ...          ; the refusal the page shows
 *   label.en = ...
 *
 * What each type takes, and how it is stored (the form kept, so a value
 * reads the same everywhere):
 *   text       anything up to WORKFLOW_FIELD_VALUE_MAX bytes, as typed;
 *   money      euros, not negative, at most two decimals, as people type
 *              them ("1.250,50", "1250.5", "€ 300", "100,-"; the reader
 *              of stored amounts, stats_amount_parse, reads them all), at
 *              most max euros; stored as "1250.50";
 *   date       a date of the calendar as YYYY-MM-DD or DD-MM-YYYY,
 *              stored as YYYY-MM-DD;
 *   reference  a case number or kenmerk: 1 to WORKFLOW_REFERENCE_MAX
 *              characters, letters, digits, space and - / . _ :
 *              (leading and trailing blanks dropped);
 *   choice     one of the choices, by its value.
 * A rule compares money with money or dates with dates. A rule per case
 * adds the values of the case's earlier steps (their opened fields) to
 * those of this step; a rule is checked when the step gives one of its
 * fields.
 *
 * Ownership: declarations and rules belong to their workflow.
 */
#ifndef MELDPUNT_WORKFLOW_FIELDS_H
#define MELDPUNT_WORKFLOW_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "workflow.h"

/* Longest reference, in characters. */
#define WORKFLOW_REFERENCE_MAX 64
/* Highest money amount in whole euros, unless a field's max says less. */
#define WORKFLOW_MONEY_MAX 1000000000L
/* Most choices of one field. */
#define WORKFLOW_CHOICES_MAX 32

enum workflow_field_type {
	WORKFLOW_FIELD_TEXT,
	WORKFLOW_FIELD_MONEY,
	WORKFLOW_FIELD_DATE,
	WORKFLOW_FIELD_REFERENCE,
	WORKFLOW_FIELD_CHOICE,
};

struct workflow_field_def {
	const char *name;
	enum workflow_field_type type;
	const char *label[WORKFLOW_LANGS];	/* NULL: the page texts' */
	const char *const *choices;		/* choice: the stored values */
	size_t nchoices;
	/* choice: a label per choice and language, or NULL (the value). */
	const char *const *choice_labels[WORKFLOW_LANGS];
	long max;				/* money: whole euros */
	int line;
};

enum workflow_rule_op { RULE_LE, RULE_LT, RULE_GE, RULE_GT, RULE_EQ };

struct workflow_rule {
	const char *name;
	const char *label[WORKFLOW_LANGS];	/* the refusal */
	const char *left, *right;		/* field names */
	enum workflow_rule_op op;
	int per_case;
	int line;
};

/* The declaration of field name, or NULL (a text field). */
const struct workflow_field_def *
workflow_field_def(const struct workflow *wf, const char *name);
/* "text", "money", "date", "reference", "choice". */
const char *workflow_field_type_name(enum workflow_field_type t);

/* The label of choice value of d in lang, or value itself. */
const char *workflow_choice_label(const struct workflow_field_def *d,
                                  const char *value, enum workflow_lang lang);

size_t workflow_rule_count(const struct workflow *wf);
const struct workflow_rule *workflow_rule_at(const struct workflow *wf,
                                             size_t i);
const struct workflow_rule *workflow_rule_find(const struct workflow *wf,
                                               const char *name);

/*
 * Check value against declaration d (NULL: text) and write its stored
 * form to out (appended). 0, or -1 when the value does not fit the type.
 */
int workflow_field_normalize(const struct workflow_field_def *d,
                             const char *value, struct buf *out);

/* A money value as stored or typed, in cents: 0, or -1. */
int workflow_money_cents(const char *value, int64_t *cents);

/*
 * The types of the fields given with transition t, and its rules per
 * step. WORKFLOW_OK, or the refusal in *v: WORKFLOW_FIELD_INVALID (the
 * field named, v->key the type's page text) or WORKFLOW_RULE (v->rule
 * the rule). Pure; workflow_check calls it.
 */
enum workflow_refusal workflow_fields_check_step(
	const struct workflow *wf, const struct workflow_transition *t,
	const struct workflow_field *fields, size_t nfields,
	struct workflow_verdict *v);

/*
 * The rules per case that transition t's fields take part in, with the
 * values of the case's earlier steps (earlier, nearlier: every opened
 * field of every earlier step, as stored; a value that does not read as
 * its type counts as 0). WORKFLOW_OK or WORKFLOW_RULE in *v.
 */
enum workflow_refusal workflow_fields_check_case(
	const struct workflow *wf, const struct workflow_transition *t,
	const struct workflow_field *fields, size_t nfields,
	const struct workflow_field *earlier, size_t nearlier,
	struct workflow_verdict *v);

/*
 * The fields that transitions of base (the built-in file) require and
 * the same transition of copy (an organisation's copy) lacks: one line
 * "transition T: field F is required by the built-in workflow" each, to
 * out. Returns how many.
 */
size_t workflow_fields_missing(const struct workflow *base,
                               const struct workflow *copy, struct buf *out);

#endif
