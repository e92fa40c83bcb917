/*
 * workflow_fields.c - typed fields and rules of a workflow (see
 * workflow_fields.h): the [field NAME] and [rule NAME] sections as the
 * parser (workflow_parse.c) hands them over, their checks once the file
 * is read, and the checks of the values a step gives.
 *
 * Values are checked by their type and compared by number: money in
 * cents, dates as day numbers (calendar.h). Messages name fields and
 * rules, never a value: a value may be report content.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "log.h"
#include "num.h"
#include "stats.h"
#include "workflow_fields.h"
#include "workflow_internal.h"

enum { F_TYPE, F_LABEL_NL, F_LABEL_EN, F_CHOICES, F_CHOICES_NL,
       F_CHOICES_EN, F_MAX };
static const char *const field_keys[] = {
	"type", "label.nl", "label.en", "choices", "choices.nl", "choices.en",
	"max", NULL,
};
enum { R_CHECK, R_PER, R_LABEL_NL, R_LABEL_EN };
static const char *const rule_keys[] = {
	"check", "per", "label.nl", "label.en", NULL,
};

static const char *const type_names[] = {
	[WORKFLOW_FIELD_TEXT] = "text",
	[WORKFLOW_FIELD_MONEY] = "money",
	[WORKFLOW_FIELD_DATE] = "date",
	[WORKFLOW_FIELD_REFERENCE] = "reference",
	[WORKFLOW_FIELD_CHOICE] = "choice",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

/* The page text of a value that does not fit its type. */
static const char *const type_keys[] = {
	[WORKFLOW_FIELD_TEXT] = "workflow.refused.field_invalid",
	[WORKFLOW_FIELD_MONEY] = "workflow.refused.money",
	[WORKFLOW_FIELD_DATE] = "workflow.refused.date",
	[WORKFLOW_FIELD_REFERENCE] = "workflow.refused.reference",
	[WORKFLOW_FIELD_CHOICE] = "workflow.refused.choice",
};

static const char *const op_names[] = {
	[RULE_LE] = "<=", [RULE_LT] = "<", [RULE_GE] = ">=", [RULE_GT] = ">",
	[RULE_EQ] = "=",
};
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))

const char *
workflow_field_type_name(enum workflow_field_type t)
{
	return (size_t)t < NTYPES ? type_names[t] : "text";
}

static struct field_item *
find_field(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->nfielddefs; i++)
		if (strcmp(wf->fielddefs[i].pub.name, name) == 0)
			return &wf->fielddefs[i];
	return NULL;
}

static struct rule_item *
find_rule(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->nrules; i++)
		if (strcmp(wf->rules[i].pub.name, name) == 0)
			return &wf->rules[i];
	return NULL;
}

int *
workflow_fields_begin(struct parser *p, int rule, const char *name)
{
	struct workflow *wf = workflow_parse_wf(p);
	int line = workflow_parse_line(p);

	if (rule) {
		struct rule_item *r = find_rule(wf, name);

		if (r) {
			workflow_parse_error(p, line, "rule %s is defined twice "
			                     "(first on line %d)", name,
			                     r->pub.line);
			return NULL;
		}
		workflow_grow((void **)&wf->rules, &wf->caprules, wf->nrules + 1,
		     sizeof(*wf->rules));
		r = &wf->rules[wf->nrules++];
		memset(r, 0, sizeof(*r));
		r->pub.name = workflow_pool_strdup(wf, name);
		r->pub.line = line;
		return r->lines;
	} else {
		struct field_item *f = find_field(wf, name);

		if (f) {
			workflow_parse_error(p, line, "field %s is declared "
			                     "twice (first on line %d)", name,
			                     f->pub.line);
			return NULL;
		}
		workflow_grow((void **)&wf->fielddefs, &wf->capfielddefs,
		     wf->nfielddefs + 1, sizeof(*wf->fielddefs));
		f = &wf->fielddefs[wf->nfielddefs++];
		memset(f, 0, sizeof(*f));
		f->pub.name = workflow_pool_strdup(wf, name);
		f->pub.line = line;
		f->pub.max = WORKFLOW_MONEY_MAX;
		return f->lines;
	}
}

const char *const *
workflow_fields_keys(int rule)
{
	return rule ? rule_keys : field_keys;
}

/* "a | b | c": the labels of the choices, blanks around each dropped. */
static const char *const *
split_labels(struct workflow *wf, const char *value, size_t *n)
{
	const char **list;
	size_t cap = 1, i;

	for (i = 0; value[i]; i++)
		if (value[i] == '|')
			cap++;
	list = workflow_pool_alloc(wf, cap * sizeof(*list));
	*n = 0;
	while (*n < cap) {
		const char *end = strchr(value, '|');
		size_t len;
		char *word;

		if (!end)
			end = value + strlen(value);
		while (value < end && workflow_is_space(*value))
			value++;
		len = (size_t)(end - value);
		while (len && workflow_is_space(value[len - 1]))
			len--;
		word = workflow_pool_alloc(wf, len + 1);
		memcpy(word, value, len);
		list[(*n)++] = word;
		if (!*end)
			break;
		value = end + 1;
	}
	return list;
}

static void
field_key(struct parser *p, struct field_item *f, int key, const char *value)
{
	struct workflow *wf = workflow_parse_wf(p);
	int line = workflow_parse_line(p);
	size_t i, n;
	long v;

	switch (key) {
	case F_TYPE:
		for (i = 0; i < NTYPES; i++)
			if (strcmp(type_names[i], value) == 0)
				break;
		if (i == NTYPES)
			workflow_parse_error(p, line, "unknown type '%.32s' "
			                     "(types: text money date reference "
			                     "choice)", value);
		else
			f->pub.type = (enum workflow_field_type)i;
		break;
	case F_LABEL_NL:
	case F_LABEL_EN:
		f->pub.label[key - F_LABEL_NL] = workflow_pool_strdup(wf, value);
		break;
	case F_CHOICES:
		f->pub.choices = workflow_split_list(p, value, &f->pub.nchoices);
		for (i = 0; i < f->pub.nchoices; i++)
			if (!workflow_valid_name(f->pub.choices[i]))
				workflow_parse_error(p, line, "bad choice '%s': "
				                     "use a-z, 0-9 and _",
				                     f->pub.choices[i]);
		if (f->pub.nchoices > WORKFLOW_CHOICES_MAX)
			workflow_parse_error(p, line, "more than %d choices",
			                     WORKFLOW_CHOICES_MAX);
		break;
	case F_CHOICES_NL:
	case F_CHOICES_EN:
		/* The count is checked against choices at the end. */
		f->pub.choice_labels[key - F_CHOICES_NL] =
			split_labels(wf, value, &n);
		f->nlabels[key - F_CHOICES_NL] = n;
		break;
	case F_MAX:
		if (num_parse(value, 1, WORKFLOW_MONEY_MAX, &v) < 0)
			workflow_parse_error(p, line, "max must be a whole "
			                     "number of euros from 1 to %ld",
			                     WORKFLOW_MONEY_MAX);
		else
			f->pub.max = v;
		break;
	}
}

static void
rule_key(struct parser *p, struct rule_item *r, int key, const char *value)
{
	struct workflow *wf = workflow_parse_wf(p);
	int line = workflow_parse_line(p);
	const char *const *words;
	size_t n, i;

	switch (key) {
	case R_CHECK:
		words = workflow_split_list(p, value, &n);
		for (i = 0; n == 3 && i < NOPS; i++)
			if (strcmp(words[1], op_names[i]) == 0)
				break;
		if (n != 3 || i == NOPS) {
			workflow_parse_error(p, line, "check must be FIELD OP "
			                     "FIELD, OP one of <= < >= > =");
			break;
		}
		r->pub.left = words[0];
		r->pub.op = (enum workflow_rule_op)i;
		r->pub.right = words[2];
		break;
	case R_PER:
		if (strcmp(value, "case") == 0)
			r->pub.per_case = 1;
		else if (strcmp(value, "step") != 0)
			workflow_parse_error(p, line, "per must be case or step");
		break;
	case R_LABEL_NL:
	case R_LABEL_EN:
		r->pub.label[key - R_LABEL_NL] = workflow_pool_strdup(wf, value);
		break;
	}
}

void
workflow_fields_key(struct parser *p, int rule, int key, const char *value)
{
	struct workflow *wf = workflow_parse_wf(p);

	if (rule)
		rule_key(p, &wf->rules[wf->nrules - 1], key, value);
	else
		field_key(p, &wf->fielddefs[wf->nfielddefs - 1], key, value);
}

/* 1 when some transition of wf takes field name. */
static int
field_used(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->ntransitions; i++)
		if (workflow_in_list(wf->transitions[i].pub.fields,
		                     wf->transitions[i].pub.nfields, name))
			return 1;
	return 0;
}

static void
check_field(struct parser *p, const struct workflow *wf,
            const struct field_item *f)
{
	const struct workflow_field_def *d = &f->pub;
	int lang;

	if (!f->lines[F_TYPE])
		workflow_parse_error(p, d->line, "field %s has no type",
		                     d->name);
	if (!field_used(wf, d->name))
		workflow_parse_error(p, d->line, "field %s is declared but no "
		                     "transition takes it", d->name);
	if (d->type == WORKFLOW_FIELD_CHOICE && !d->nchoices)
		workflow_parse_error(p, d->line, "choice field %s has no "
		                     "choices", d->name);
	if (d->type != WORKFLOW_FIELD_CHOICE &&
	    (f->lines[F_CHOICES] || f->lines[F_CHOICES_NL] ||
	     f->lines[F_CHOICES_EN]))
		workflow_parse_error(p, d->line, "choices are only for fields "
		                     "of type choice (%s is %s)", d->name,
		                     workflow_field_type_name(d->type));
	if (d->type != WORKFLOW_FIELD_MONEY && f->lines[F_MAX])
		workflow_parse_error(p, f->lines[F_MAX], "max is only for "
		                     "fields of type money");
	for (lang = 0; lang < WORKFLOW_LANGS; lang++)
		if (d->choice_labels[lang] &&
		    f->nlabels[lang] != d->nchoices)
			workflow_parse_error(p, f->lines[F_CHOICES_NL + lang],
			                     "%s has %zu labels for %zu choices",
			                     field_keys[F_CHOICES_NL + lang],
			                     f->nlabels[lang], d->nchoices);
}

static void
check_rule(struct parser *p, const struct workflow *wf,
           const struct rule_item *r)
{
	const struct workflow_rule *u = &r->pub;
	const struct field_item *l, *rt;

	if (!r->lines[R_CHECK]) {
		workflow_parse_error(p, u->line, "rule %s has no check",
		                     u->name);
		return;
	}
	if (!r->lines[R_LABEL_NL] || !r->lines[R_LABEL_EN])
		workflow_parse_error(p, u->line, "rule %s needs label.nl and "
		                     "label.en (what the page says when it is "
		                     "broken)", u->name);
	if (!u->left)
		return;		/* the check's own error says enough */
	l = find_field(wf, u->left);
	rt = find_field(wf, u->right);
	if (!l || !rt) {
		workflow_parse_error(p, r->lines[R_CHECK], "rule %s compares "
		                     "field '%s', which is not declared",
		                     u->name, !l ? u->left : u->right);
		return;
	}
	if (l->pub.type != rt->pub.type ||
	    (l->pub.type != WORKFLOW_FIELD_MONEY &&
	     l->pub.type != WORKFLOW_FIELD_DATE))
		workflow_parse_error(p, r->lines[R_CHECK], "rule %s must "
		                     "compare money with money or a date with "
		                     "a date", u->name);
	else if (u->per_case && l->pub.type != WORKFLOW_FIELD_MONEY)
		workflow_parse_error(p, r->lines[R_PER], "rule %s: per = case "
		                     "adds up amounts, so it compares money",
		                     u->name);
}

void
workflow_fields_check(struct parser *p)
{
	const struct workflow *wf = workflow_parse_wf(p);
	size_t i;

	for (i = 0; i < wf->nfielddefs; i++)
		check_field(p, wf, &wf->fielddefs[i]);
	for (i = 0; i < wf->nrules; i++)
		check_rule(p, wf, &wf->rules[i]);
}

void
workflow_fields_free(struct workflow *wf)
{
	free(wf->fielddefs);
	free(wf->rules);
}

const struct workflow_field_def *
workflow_field_def(const struct workflow *wf, const char *name)
{
	const struct field_item *f = find_field(wf, name);

	return f ? &f->pub : NULL;
}

const char *
workflow_choice_label(const struct workflow_field_def *d, const char *value,
                      enum workflow_lang lang)
{
	size_t i;

	if (!d || d->type != WORKFLOW_FIELD_CHOICE)
		return value;
	for (i = 0; i < d->nchoices; i++)
		if (strcmp(d->choices[i], value) == 0)
			return d->choice_labels[lang] ? d->choice_labels[lang][i]
			                              : value;
	return value;
}

size_t
workflow_rule_count(const struct workflow *wf)
{
	return wf->nrules;
}

const struct workflow_rule *
workflow_rule_at(const struct workflow *wf, size_t i)
{
	return i < wf->nrules ? &wf->rules[i].pub : NULL;
}

const struct workflow_rule *
workflow_rule_find(const struct workflow *wf, const char *name)
{
	const struct rule_item *r = name ? find_rule(wf, name) : NULL;

	return r ? &r->pub : NULL;
}

int
workflow_money_cents(const char *value, int64_t *cents)
{
	return stats_amount_parse(value, strlen(value), cents);
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A date as YYYY-MM-DD or DD-MM-YYYY: its day number, or -1. */
static int
parse_date(const char *s, int *year, int *month, int *mday)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	                             30, 31 };
	int leap;

	if (strlen(s) != 10)
		return -1;
	if (s[4] == '-' && s[7] == '-') {
		*year = digits(s, 4);
		*month = digits(s + 5, 2);
		*mday = digits(s + 8, 2);
	} else if (s[2] == '-' && s[5] == '-') {
		*mday = digits(s, 2);
		*month = digits(s + 3, 2);
		*year = digits(s + 6, 4);
	} else {
		return -1;
	}
	if (*year < 1900 || *year > 2999 || *month < 1 || *month > 12 ||
	    *mday < 1 || *mday > mdays[*month - 1])
		return -1;
	leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
	if (*month == 2 && *mday == 29 && !leap)
		return -1;
	return 0;
}

static int
reference_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '/' ||
	       c == '.' || c == '_' || c == ':';
}

int
workflow_field_normalize(const struct workflow_field_def *d,
                         const char *value, struct buf *out)
{
	int64_t cents;
	int y, m, md;
	size_t i, len;

	if (!d || d->type == WORKFLOW_FIELD_TEXT) {
		buf_adds(out, value);
		return 0;
	}
	switch (d->type) {
	case WORKFLOW_FIELD_MONEY:
		if (workflow_money_cents(value, &cents) < 0 ||
		    cents > (int64_t)d->max * 100)
			return -1;
		buf_addf(out, "%lld.%02lld", (long long)(cents / 100),
		         (long long)(cents % 100));
		return 0;
	case WORKFLOW_FIELD_DATE:
		while (workflow_is_space(*value))
			value++;
		len = strlen(value);
		while (len && workflow_is_space(value[len - 1]))
			len--;
		{
			char day[11];

			if (len != 10)
				return -1;
			memcpy(day, value, 10);
			day[10] = '\0';
			if (parse_date(day, &y, &m, &md) < 0)
				return -1;
		}
		buf_addf(out, "%04d-%02d-%02d", y, m, md);
		return 0;
	case WORKFLOW_FIELD_REFERENCE:
		while (workflow_is_space(*value))
			value++;
		len = strlen(value);
		while (len && workflow_is_space(value[len - 1]))
			len--;
		if (!len || len > WORKFLOW_REFERENCE_MAX)
			return -1;
		for (i = 0; i < len; i++)
			if (!reference_char(value[i]))
				return -1;
		buf_add(out, value, len);
		return 0;
	case WORKFLOW_FIELD_CHOICE:
		if (!workflow_in_list(d->choices, d->nchoices, value))
			return -1;
		buf_adds(out, value);
		return 0;
	default:
		return -1;
	}
}

/* A money or date value as a number to compare: 0, or -1. */
static int
number_of(const struct workflow_field_def *d, const char *value, int64_t *n)
{
	int y, m, md;

	if (d->type == WORKFLOW_FIELD_MONEY)
		return workflow_money_cents(value, n);
	if (parse_date(value, &y, &m, &md) < 0)
		return -1;
	*n = calendar_day(y, m, md);
	return 0;
}

static int
holds(enum workflow_rule_op op, int64_t a, int64_t b)
{
	switch (op) {
	case RULE_LE: return a <= b;
	case RULE_LT: return a < b;
	case RULE_GE: return a >= b;
	case RULE_GT: return a > b;
	default: return a == b;
	}
}

static enum workflow_refusal
broken(const struct workflow_rule *r, struct workflow_verdict *v)
{
	v->reason = WORKFLOW_RULE;
	v->key = workflow_refusal_key(WORKFLOW_RULE);
	v->field = r->left;
	v->rule = r->name;
	snprintf(v->message, sizeof(v->message), "rule %s is broken: %s %s "
	         "%s does not hold", r->name, r->left, op_names[r->op],
	         r->right);
	return WORKFLOW_RULE;
}

static const char *
value_of(const struct workflow_field *fields, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return fields[i].value;
	return NULL;
}

enum workflow_refusal
workflow_fields_check_step(const struct workflow *wf,
                           const struct workflow_transition *t,
                           const struct workflow_field *fields,
                           size_t nfields, struct workflow_verdict *v)
{
	struct buf scratch = BUF_INIT;
	size_t i;

	for (i = 0; i < nfields; i++) {
		const struct workflow_field_def *d =
			workflow_field_def(wf, fields[i].name);

		buf_reset(&scratch);
		if (!d || workflow_field_normalize(d, fields[i].value,
		                                   &scratch) == 0)
			continue;
		buf_wipe_release(&scratch);
		v->reason = WORKFLOW_FIELD_INVALID;
		v->key = type_keys[d->type];
		v->field = d->name;
		snprintf(v->message, sizeof(v->message), "%s: field %s is not "
		         "a valid %s", t->name, d->name,
		         workflow_field_type_name(d->type));
		return v->reason;
	}
	buf_wipe_release(&scratch);
	for (i = 0; i < wf->nrules; i++) {
		const struct workflow_rule *r = &wf->rules[i].pub;
		const char *a = value_of(fields, nfields, r->left);
		const char *b = value_of(fields, nfields, r->right);
		const struct workflow_field_def *d =
			workflow_field_def(wf, r->left);
		int64_t x, y;

		if (r->per_case || !a || !b || !d)
			continue;
		if (number_of(d, a, &x) == 0 && number_of(d, b, &y) == 0 &&
		    !holds(r->op, x, y))
			return broken(r, v);
	}
	return WORKFLOW_OK;
}

/* The sum of the amounts of field name in fields; unreadable ones add 0. */
static int64_t
sum_of(const struct workflow_field *fields, size_t n, const char *name)
{
	int64_t sum = 0, cents;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0 &&
		    workflow_money_cents(fields[i].value, &cents) == 0)
			sum += cents;
	return sum;
}

enum workflow_refusal
workflow_fields_check_case(const struct workflow *wf,
                           const struct workflow_transition *t,
                           const struct workflow_field *fields,
                           size_t nfields,
                           const struct workflow_field *earlier,
                           size_t nearlier, struct workflow_verdict *v)
{
	size_t i;

	for (i = 0; i < wf->nrules; i++) {
		const struct workflow_rule *r = &wf->rules[i].pub;
		int64_t a, b;

		if (!r->per_case ||
		    (!workflow_in_list(t->fields, t->nfields, r->left) &&
		     !workflow_in_list(t->fields, t->nfields, r->right)))
			continue;
		a = sum_of(earlier, nearlier, r->left) +
		    sum_of(fields, nfields, r->left);
		b = sum_of(earlier, nearlier, r->right) +
		    sum_of(fields, nfields, r->right);
		if (!holds(r->op, a, b))
			return broken(r, v);
	}
	return WORKFLOW_OK;
}

size_t
workflow_fields_missing(const struct workflow *base,
                        const struct workflow *copy, struct buf *out)
{
	size_t i, j, n = 0;

	for (i = 0; i < base->ntransitions; i++) {
		const struct workflow_transition *bt = &base->transitions[i].pub;
		const struct workflow_transition *ct =
			workflow_transition_find(copy, bt->name);

		if (!ct)
			continue;
		for (j = 0; j < bt->nfields; j++) {
			const struct workflow_field_def *bd =
				workflow_field_def(base, bt->fields[j]);
			const struct workflow_field_def *cd =
				workflow_field_def(copy, bt->fields[j]);

			if (!workflow_in_list(ct->fields, ct->nfields,
			                      bt->fields[j])) {
				buf_addf(out, "transition %s: field %s is "
				         "required by the built-in workflow\n",
				         bt->name, bt->fields[j]);
				n++;
			} else if (bd && (!cd || cd->type != bd->type)) {
				buf_addf(out, "transition %s: field %s is %s "
				         "in the built-in workflow, %s here\n",
				         bt->name, bt->fields[j],
				         workflow_field_type_name(bd->type),
				         workflow_field_type_name(
				                 cd ? cd->type : WORKFLOW_FIELD_TEXT));
				n++;
			}
		}
	}
	return n;
}
