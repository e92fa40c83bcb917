/*
 * norm.c - the norm catalogue and the self-assessment (see norm.h).
 *
 * The catalogue is read in two passes over the same text. The first looks
 * at the section headers alone: it makes every theme, item and statement
 * in order, checks their numbering, and remembers on which line each
 * section starts, so an empty section is still seen. The second is inih
 * (through inifile.h, which knows the line), filling in the keys of the
 * section whose lines they are on. A text that goes on over several lines
 * (inih calls again with the same key for an indented line) is joined with
 * one space. Every problem is collected with its line, so whoever edits the
 * file sees them all at once.
 *
 * The assessment is two tables (schema/migrations, norm_assessments and
 * norm_actions); a save replaces an item's row and its action points in
 * one transaction with its audit row.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "form.h"
#include "inifile.h"
#include "log.h"
#include "norm.h"
#include "schema.h"
#include "users.h"

enum sec_kind { SEC_NORM, SEC_THEME, SEC_ITEM, SEC_STATEMENT, SEC_BAD };

struct section {
	enum sec_kind kind;
	int line;
	size_t index;		/* theme, item, or statement of the item */
	size_t item;		/* statements: their item */
};

struct parse {
	const char *file;
	const char *text;
	struct buf *errors;
	int nerrors;
	struct norm_catalogue *c;
	struct section *secs;
	size_t nsecs, cap;
	size_t cur;		/* the section of the last key */
	int norm_line;
	/* The last key set, for continuation lines. */
	char last_name[32];
	size_t last_sec;
};

static void
problem(struct parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct parse *p, int line, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (line)
		error("%s:%d: %s", p->file, line, msg.data);
	else
		error("%s: %s", p->file, msg.data);
	if (p->errors) {
		if (line)
			buf_addf(p->errors, "%s:%d: %s\n", p->file, line, msg.data);
		else
			buf_addf(p->errors, "%s: %s\n", p->file, msg.data);
	}
	p->nerrors++;
	buf_release(&msg);
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	return n < *cap ? v : buf_grow_array(v, cap, size, 16);
}

/* A decimal number of one or two digits, without a leading zero. */
static int
small_number(const char *s, size_t len, int *out)
{
	if (len < 1 || len > 2 || s[0] < '1' || s[0] > '9' ||
	    (len == 2 && (s[1] < '0' || s[1] > '9')))
		return -1;
	*out = len == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* "1.2.3" into up to three numbers; how many, or -1 when malformed. */
static int
split_number(const char *s, int out[3])
{
	int n = 0;

	for (;;) {
		size_t len = strcspn(s, ".");

		if (n == 3 || small_number(s, len, &out[n]) < 0)
			return -1;
		n++;
		if (!s[len])
			return n;
		s += len + 1;
	}
}

static void
add_section(struct parse *p, enum sec_kind kind, int line, size_t index,
            size_t item)
{
	p->secs = grow(p->secs, &p->cap, p->nsecs, sizeof(*p->secs));
	p->secs[p->nsecs].kind = kind;
	p->secs[p->nsecs].line = line;
	p->secs[p->nsecs].index = index;
	p->secs[p->nsecs].item = item;
	p->nsecs++;
}

/* One "[...]" header (without the brackets) on line. */
static void
header(struct parse *p, const char *name, int line)
{
	struct norm_catalogue *c = p->c;
	const char *arg = strchr(name, ' ');
	size_t kindlen = arg ? (size_t)(arg - name) : strlen(name);
	/* Zeroed: only n of them are set, and gcc -O3 cannot see that only
	 * those n are read (maybe-uninitialized). */
	int num[3] = { 0, 0, 0 }, n = arg ? split_number(arg + 1, num) : -1;

	if (kindlen == 4 && memcmp(name, "norm", 4) == 0 && !arg) {
		if (p->norm_line)
			problem(p, line, "a second [norm] section (the first is on "
			        "line %d)", p->norm_line);
		else
			p->norm_line = line;
		add_section(p, SEC_NORM, line, 0, 0);
		return;
	}
	if (kindlen == 5 && memcmp(name, "theme", 5) == 0 && n == 1) {
		struct norm_theme *t;

		if (num[0] != (int)c->nthemes + 1)
			goto numbering;
		c->themes = realloc(c->themes, (c->nthemes + 1) * sizeof(*t));
		if (!c->themes)
			die("out of memory");
		t = &c->themes[c->nthemes];
		memset(t, 0, sizeof(*t));
		t->number = num[0];
		t->first = c->nitems;
		add_section(p, SEC_THEME, line, c->nthemes++, 0);
		return;
	}
	if (kindlen == 4 && memcmp(name, "item", 4) == 0 && n == 2) {
		struct norm_theme *t = c->nthemes ? &c->themes[c->nthemes - 1]
		                                  : NULL;
		struct norm_item *it;

		if (!t || num[0] != t->number || num[1] != (int)t->count + 1)
			goto numbering;
		c->items = realloc(c->items, (c->nitems + 1) * sizeof(*it));
		if (!c->items)
			die("out of memory");
		it = &c->items[c->nitems];
		memset(it, 0, sizeof(*it));
		/* Both below 100 (small_number): "NN.NN" fits. */
		snprintf(it->number, sizeof(it->number), "%u.%u", (unsigned)num[0] % 100,
		         (unsigned)num[1] % 100);
		it->theme = num[0];
		it->line = line;
		t->count++;
		add_section(p, SEC_ITEM, line, c->nitems++, 0);
		return;
	}
	if (kindlen == 9 && memcmp(name, "statement", 9) == 0 && n == 3) {
		struct norm_item *it = c->nitems ? &c->items[c->nitems - 1] : NULL;
		struct norm_statement *s;
		char number[16];

		snprintf(number, sizeof(number), "%d.%d", num[0], num[1]);
		if (!it || strcmp(it->number, number) != 0 ||
		    num[2] != (int)it->nstatements + 1)
			goto numbering;
		it->statements = realloc(it->statements,
		                         (it->nstatements + 1) * sizeof(*s));
		if (!it->statements)
			die("out of memory");
		s = &it->statements[it->nstatements];
		memset(s, 0, sizeof(*s));
		s->level = 1;
		add_section(p, SEC_STATEMENT, line, it->nstatements++,
		            c->nitems - 1);
		return;
	}
	problem(p, line, "unknown section [%s]: expected [norm], [theme N], "
	        "[item N.M] or [statement N.M.K]", name);
	add_section(p, SEC_BAD, line, 0, 0);
	return;
numbering:
	problem(p, line, "[%s] is out of order: themes are numbered 1, 2, ...; "
	        "items N.1, N.2, ... after [theme N]; statements N.M.1, ... "
	        "after [item N.M]", name);
	add_section(p, SEC_BAD, line, 0, 0);
}

/* First pass: every section header, with its line. */
static void
scan_headers(struct parse *p)
{
	const char *s = p->text;
	int line = 0;

	while (*s) {
		size_t len = strcspn(s, "\n");
		char name[64];

		line++;
		if (len && s[0] == '[') {
			const char *end = memchr(s, ']', len);
			size_t n = end ? (size_t)(end - s - 1) : 0;

			/* inih reports a header without ']' itself. */
			if (end && n < sizeof(name)) {
				memcpy(name, s + 1, n);
				name[n] = '\0';
				header(p, name, line);
			} else if (end) {
				problem(p, line, "section name too long");
				add_section(p, SEC_BAD, line, 0, 0);
			}
		}
		s += len;
		if (*s)
			s++;
	}
}

/* 1 when line starts with a space or tab (an inih continuation line). */
static int
indented(const struct parse *p, int line)
{
	const char *s = p->text;

	while (--line > 0 && s) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return s && (*s == ' ' || *s == '\t');
}

/* Set or continue the text *slot from key name on line. */
static void
set_text(struct parse *p, char **slot, const char *name, const char *value,
         int line, int continued)
{
	size_t old = *slot ? strlen(*slot) : 0, add = strlen(value);
	char *s;

	if (*slot && !continued) {
		problem(p, line, "%s is given twice in this section", name);
		return;
	}
	if (!*slot && !*value) {
		problem(p, line, "%s is empty", name);
		return;
	}
	if (old + 1 + add > NORM_CATALOGUE_TEXT_MAX) {
		problem(p, line, "%s is longer than %d bytes", name,
		        NORM_CATALOGUE_TEXT_MAX);
		return;
	}
	if (!utf8_valid_text(value, add)) {
		problem(p, line, "%s is not UTF-8 text", name);
		return;
	}
	s = realloc(*slot, old + 1 + add + 1);
	if (!s)
		die("out of memory");
	if (old)
		s[old++] = ' ';
	memcpy(s + old, value, add + 1);
	*slot = s;
}

/* Which of the two language keys base.nl / base.en name is, or -1. */
static int
lang_key(const char *name, const char *base)
{
	size_t n = strlen(base);

	if (strncmp(name, base, n) != 0 || name[n] != '.')
		return -1;
	if (strcmp(name + n + 1, "nl") == 0)
		return NORM_NL;
	if (strcmp(name + n + 1, "en") == 0)
		return NORM_EN;
	return -1;
}

static int
handle(void *user, const char *section, const char *name, const char *value,
       int line)
{
	struct parse *p = user;
	struct norm_catalogue *c = p->c;
	const struct section *sec;
	int continued, l;

	(void)section;
	/* Keys come in line order; move to the section they are in. */
	while (p->cur + 1 < p->nsecs && p->secs[p->cur + 1].line < line)
		p->cur++;
	if (!p->nsecs || p->secs[p->cur].line > line) {
		problem(p, line, "%s is outside any section", name);
		return 1;
	}
	sec = &p->secs[p->cur];
	continued = p->last_sec == p->cur && strcmp(p->last_name, name) == 0 &&
	            indented(p, line);
	snprintf(p->last_name, sizeof(p->last_name), "%s", name);
	p->last_sec = p->cur;
	switch (sec->kind) {
	case SEC_BAD:
		return 1;
	case SEC_NORM:
		if ((l = lang_key(name, "name")) >= 0) {
			set_text(p, &c->name[l], name, value, line, continued);
		} else if (strcmp(name, "version") == 0) {
			set_text(p, &c->version, name, value, line, continued);
		} else if (strcmp(name, "goal_year") == 0) {
			char *end;
			long y = strtol(value, &end, 10);

			if (*end || !*value || y < NORM_YEAR_FIRST || y > 2100)
				problem(p, line, "goal_year must be a year from %d",
				        NORM_YEAR_FIRST);
			else
				c->goal_year = (int)y;
		} else {
			problem(p, line, "unknown key %s in [norm]", name);
		}
		return 1;
	case SEC_THEME:
		if ((l = lang_key(name, "title")) >= 0)
			set_text(p, &c->themes[sec->index].title[l], name, value,
			         line, continued);
		else
			problem(p, line, "unknown key %s in [theme]", name);
		return 1;
	case SEC_ITEM: {
		struct norm_item *it = &c->items[sec->index];

		if ((l = lang_key(name, "text")) >= 0)
			set_text(p, &it->text[l], name, value, line, continued);
		else if ((l = lang_key(name, "group")) >= 0)
			set_text(p, &it->group[l], name, value, line, continued);
		else if ((l = lang_key(name, "footnote")) >= 0)
			set_text(p, &it->footnote[l], name, value, line, continued);
		else
			problem(p, line, "unknown key %s in [item]", name);
		return 1;
	}
	case SEC_STATEMENT: {
		struct norm_statement *s =
			&c->items[sec->item].statements[sec->index];

		if ((l = lang_key(name, "text")) >= 0)
			set_text(p, &s->text[l], name, value, line, continued);
		else if (strcmp(name, "level") == 0 &&
		         (strcmp(value, "1") == 0 || strcmp(value, "2") == 0 ||
		          strcmp(value, "3") == 0))
			s->level = value[0] - '0';
		else if (strcmp(name, "level") == 0)
			problem(p, line, "level must be 1, 2 or 3");
		else
			problem(p, line, "unknown key %s in [statement]", name);
		return 1;
	}
	}
	return 1;
}

/* What must be there once every key is read. */
static void
check_catalogue(struct parse *p)
{
	struct norm_catalogue *c = p->c;
	size_t i, k;

	if (!p->norm_line)
		problem(p, 0, "the [norm] section is missing");
	else if (!c->name[NORM_NL] || !c->goal_year)
		problem(p, p->norm_line, "[norm] needs name.nl and goal_year");
	if (!c->nthemes)
		problem(p, 0, "a catalogue needs at least one [theme]");
	for (i = 0; i < p->nsecs; i++) {
		const struct section *sec = &p->secs[i];

		if (sec->kind == SEC_THEME) {
			const struct norm_theme *t = &c->themes[sec->index];

			if (!t->title[NORM_NL])
				problem(p, sec->line, "a theme needs title.nl");
			if (!t->count)
				problem(p, sec->line, "theme %d has no items",
				        t->number);
		} else if (sec->kind == SEC_ITEM) {
			if (!c->items[sec->index].text[NORM_NL])
				problem(p, sec->line, "an item needs text.nl");
		} else if (sec->kind == SEC_STATEMENT) {
			const struct norm_item *it = &c->items[sec->item];
			const struct norm_statement *s = &it->statements[sec->index];
			int before = sec->index ? it->statements[sec->index - 1].level
			                        : 0;

			if (!s->text[NORM_NL])
				problem(p, sec->line, "a statement needs text.nl");
			if (s->level > before + 1)
				problem(p, sec->line, "level %d follows level %d: a "
				        "list entry needs the statement above it",
				        s->level, before);
		}
	}
	/* Item numbers are unique by construction; say so if that changes. */
	for (i = 0; i < c->nitems; i++)
		for (k = i + 1; k < c->nitems; k++)
			if (strcmp(c->items[i].number, c->items[k].number) == 0)
				problem(p, c->items[k].line, "item %s twice",
				        c->items[k].number);
}

int
norm_catalogue_parse(const char *file, const char *text,
                     struct norm_catalogue **out, struct buf *errors)
{
	struct parse p;
	int line;

	memset(&p, 0, sizeof(p));
	p.file = file;
	p.text = text;
	p.errors = errors;
	p.last_sec = (size_t)-1;
	p.c = calloc(1, sizeof(*p.c));
	if (!p.c)
		die("out of memory");
	*out = NULL;
	scan_headers(&p);
	line = inifile_parse(text, handle, &p);
	if (line > 0)
		problem(&p, line, "cannot parse this line (write key = value, "
		        "[section], or a ; comment; continue a text on a line "
		        "that starts with a tab)");
	check_catalogue(&p);
	free(p.secs);
	if (p.nerrors) {
		norm_catalogue_free(p.c);
		return -1;
	}
	*out = p.c;
	return 0;
}

void
norm_catalogue_free(struct norm_catalogue *c)
{
	size_t i, k;
	int l;

	if (!c)
		return;
	for (l = 0; l < NORM_LANGS; l++) {
		free(c->name[l]);
		for (i = 0; i < c->nthemes; i++)
			free(c->themes[i].title[l]);
		for (i = 0; i < c->nitems; i++) {
			free(c->items[i].text[l]);
			free(c->items[i].group[l]);
			free(c->items[i].footnote[l]);
			for (k = 0; k < c->items[i].nstatements; k++)
				free(c->items[i].statements[k].text[l]);
		}
	}
	for (i = 0; i < c->nitems; i++)
		free(c->items[i].statements);
	free(c->version);
	free(c->themes);
	free(c->items);
	free(c);
}

/* Set once at start, before any thread reads it; never changed after. */
static struct norm_catalogue *loaded;

int
norm_catalogue_load(void)
{
	const struct schema_file *sf = schema_find(NORM_CATALOGUE);
	struct norm_catalogue *c;

	if (!sf)
		return error("schema/%s is missing", NORM_CATALOGUE);
	if (norm_catalogue_parse("schema/" NORM_CATALOGUE, sf->text, &c,
	                         NULL) < 0)
		return -1;
	norm_catalogue_free(loaded);
	loaded = c;
	return 0;
}

const struct norm_catalogue *
norm_catalogue(void)
{
	return loaded;
}

long
norm_item_index(const struct norm_catalogue *c, const char *number)
{
	size_t i;

	if (!c || !number)
		return -1;
	for (i = 0; i < c->nitems; i++)
		if (strcmp(c->items[i].number, number) == 0)
			return (long)i;
	return -1;
}

const struct norm_item *
norm_item_find(const struct norm_catalogue *c, const char *number)
{
	long i = norm_item_index(c, number);

	return i < 0 ? NULL : &c->items[i];
}

static const char *const status_names[NORM_STATUSES] = {
	[NORM_NONE] = "",
	[NORM_MEETS] = "meets",
	[NORM_PARTLY] = "partly",
	[NORM_NOT] = "not",
	[NORM_NA] = "na",
};

const char *
norm_status_name(enum norm_status s)
{
	return (unsigned)s < NORM_STATUSES ? status_names[s] : "";
}

int
norm_status_parse(const char *name, enum norm_status *s)
{
	int i;

	if (!name)
		return -1;
	for (i = NORM_MEETS; i < NORM_STATUSES; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*s = (enum norm_status)i;
			return 0;
		}
	return -1;
}

int
norm_year_valid(int year, int this_year)
{
	return year >= NORM_YEAR_FIRST && year <= this_year + 1;
}

/* A real calendar day written YYYY-MM-DD. */
static int
day_valid(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	                            31 };
	int y = 0, m, d, i;

	if (strlen(s) != CLOCK_DAY_LEN || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < CLOCK_DAY_LEN; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (i < 4)
			y = y * 10 + (s[i] - '0');
	}
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	                                 y % 400 == 0));
}

static void
add_problem(struct norm_problem *out, size_t max, size_t *n,
            enum norm_problem_code code, const char *field, size_t index)
{
	if (*n < max) {
		out[*n].code = code;
		out[*n].index = index;
		snprintf(out[*n].field, sizeof(out[*n].field), "%s", field);
	}
	(*n)++;
}

/* A free text: within max bytes, UTF-8 without control characters. */
static void
check_text(const char *s, size_t max, const char *field, size_t index,
           struct norm_problem *out, size_t cap, size_t *n)
{
	size_t len = s ? strlen(s) : 0;

	if (len > max)
		add_problem(out, cap, n, NORM_TOO_LONG, field, index);
	else if (len && !utf8_valid_text(s, len))
		add_problem(out, cap, n, NORM_BAD_TEXT, field, index);
}

size_t
norm_check(const struct norm_catalogue *c, const struct limits *lim,
           int year, int this_year, const char *item,
           const struct norm_assessment *a, struct norm_problem *out,
           size_t max)
{
	size_t n = 0, i;
	char field[32];

	if (!norm_year_valid(year, this_year))
		add_problem(out, max, &n, NORM_BAD_YEAR, "year", 0);
	if (!norm_item_find(c, item))
		add_problem(out, max, &n, NORM_BAD_ITEM, "item", 0);
	if (a->status <= NORM_NONE || a->status >= NORM_STATUSES)
		add_problem(out, max, &n, NORM_BAD_STATUS, "status", 0);
	check_text(a->explanation, lim->norm_text_max, "explanation", 0, out,
	           max, &n);
	check_text(a->evidence, lim->norm_text_max, "evidence", 0, out, max,
	           &n);
	if (a->nactions > lim->norm_actions_max)
		add_problem(out, max, &n, NORM_TOO_MANY_ACTIONS, "actions", 0);
	for (i = 0; i < a->nactions && i < lim->norm_actions_max; i++) {
		const struct norm_action *x = &a->actions[i];
		int has_text = x->text && *x->text, has_owner = x->owner &&
		               *x->owner;

		snprintf(field, sizeof(field), "action_text_%zu", i + 1);
		check_text(x->text, lim->norm_action_max, field, i, out, max, &n);
		snprintf(field, sizeof(field), "action_owner_%zu", i + 1);
		/* An owner is one line: a name or a role. */
		if (x->owner && strpbrk(x->owner, "\r\n\t"))
			add_problem(out, max, &n, NORM_BAD_TEXT, field, i);
		else
			check_text(x->owner, lim->norm_owner_max, field, i, out,
			           max, &n);
		snprintf(field, sizeof(field), "action_due_%zu", i + 1);
		if (x->due[0] && !day_valid(x->due))
			add_problem(out, max, &n, NORM_BAD_DATE, field, i);
		/* An action point names what, who and by when, or nothing. */
		if (!has_text || !has_owner || !x->due[0]) {
			snprintf(field, sizeof(field), "action_%zu", i + 1);
			add_problem(out, max, &n, NORM_ACTION_INCOMPLETE, field, i);
		}
	}
	return n;
}

/* What changed, for the audit row: "status partly->meets, evidence". */
static void
describe_change(const struct norm_assessment *old,
                const struct norm_assessment *a, struct buf *out)
{
	size_t i;
	int actions = old->nactions != a->nactions;

	if (old->status != a->status)
		buf_addf(out, " status %s->%s", old->status ? norm_status_name(
		         old->status) : "none", norm_status_name(a->status));
	if (strcmp(old->explanation ? old->explanation : "",
	           a->explanation ? a->explanation : "") != 0)
		buf_adds(out, " explanation");
	if (strcmp(old->evidence ? old->evidence : "",
	           a->evidence ? a->evidence : "") != 0)
		buf_adds(out, " evidence");
	for (i = 0; !actions && i < a->nactions; i++)
		actions = strcmp(old->actions[i].text, a->actions[i].text) ||
		          strcmp(old->actions[i].owner, a->actions[i].owner) ||
		          strcmp(old->actions[i].due, a->actions[i].due);
	if (actions)
		buf_addf(out, " actions(%zu)", a->nactions);
	if (!out->len)
		buf_adds(out, " unchanged");
}

static void
assessment_release(struct norm_assessment *a)
{
	size_t i;

	for (i = 0; i < a->nactions; i++) {
		free(a->actions[i].text);
		free(a->actions[i].owner);
	}
	free(a->actions);
	free(a->explanation);
	free(a->evidence);
	memset(a, 0, sizeof(*a));
}

static char *
dup_text(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		die("out of memory");
	return d;
}

/* The stored assessment of (year, item) into *a; NORM_NONE when none. */
static int
load_one(struct db *db, int year, const char *item, struct norm_assessment *a)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	memset(a, 0, sizeof(*a));
	if (db_prepare(db, &st, "SELECT status, explanation, evidence,"
	               " updated_at, updated_by FROM norm_assessments"
	               " WHERE year = :year AND item = :item") < 0 ||
	    stmt_bind_int(st, ":year", year) < 0 ||
	    stmt_bind_text(st, ":item", item) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc < 0)
		goto out;
	if (rc == DB_ROW) {
		if (norm_status_parse(stmt_text(st, 0), &a->status) < 0)
			a->status = NORM_NONE;
		a->explanation = dup_text(stmt_text(st, 1));
		a->evidence = dup_text(stmt_text(st, 2));
		snprintf(a->updated_at, sizeof(a->updated_at), "%s",
		         stmt_text(st, 3));
		snprintf(a->updated_by, sizeof(a->updated_by), "%s",
		         stmt_text(st, 4));
	}
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "SELECT action, owner, due FROM norm_actions"
	               " WHERE year = :year AND item = :item ORDER BY position") < 0 ||
	    stmt_bind_int(st, ":year", year) < 0 ||
	    stmt_bind_text(st, ":item", item) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct norm_action *x;

		a->actions = realloc(a->actions, (a->nactions + 1) * sizeof(*x));
		if (!a->actions)
			die("out of memory");
		x = &a->actions[a->nactions++];
		x->text = dup_text(stmt_text(st, 0));
		x->owner = dup_text(stmt_text(st, 1));
		snprintf(x->due, sizeof(x->due), "%s", stmt_text(st, 2));
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
norm_save(struct db *db, const struct norm_catalogue *c,
          const struct limits *lim, int year, int this_year,
          const char *item, const struct norm_assessment *a,
          const char *actor)
{
	struct norm_problem problems[NORM_PROBLEMS_MAX];
	struct norm_assessment old;
	struct buf object = BUF_INIT, change = BUF_INIT;
	char now[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	size_t i;
	int ret = -1;

	memset(&old, 0, sizeof(old));
	if (norm_check(c, lim, year, this_year, item, a, problems,
	               NORM_PROBLEMS_MAX))
		return 1;
	clock_format(clock_now(), now);
	if (db_begin(db) < 0)
		return -1;
	if (load_one(db, year, item, &old) < 0)
		goto out;
	if (db_prepare(db, &st, "INSERT INTO norm_assessments (year, item,"
	               " status, explanation, evidence, updated_at, updated_by)"
	               " VALUES (:year, :item, :status, :explanation, :evidence,"
	               " :now, :actor) ON CONFLICT (year, item) DO UPDATE SET"
	               " status = excluded.status,"
	               " explanation = excluded.explanation,"
	               " evidence = excluded.evidence,"
	               " updated_at = excluded.updated_at,"
	               " updated_by = excluded.updated_by") < 0 ||
	    stmt_bind_int(st, ":year", year) < 0 ||
	    stmt_bind_text(st, ":item", item) < 0 ||
	    stmt_bind_text(st, ":status", norm_status_name(a->status)) < 0 ||
	    stmt_bind_text(st, ":explanation",
	                   a->explanation ? a->explanation : "") < 0 ||
	    stmt_bind_text(st, ":evidence", a->evidence ? a->evidence : "") < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(db, &st, "DELETE FROM norm_actions WHERE year = :year"
	               " AND item = :item") < 0 ||
	    stmt_bind_int(st, ":year", year) < 0 ||
	    stmt_bind_text(st, ":item", item) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	for (i = 0; i < a->nactions; i++) {
		stmt_finalize(st);
		st = NULL;
		if (db_prepare(db, &st, "INSERT INTO norm_actions (year, item,"
		               " position, action, owner, due) VALUES (:year,"
		               " :item, :position, :action, :owner, :due)") < 0 ||
		    stmt_bind_int(st, ":year", year) < 0 ||
		    stmt_bind_text(st, ":item", item) < 0 ||
		    stmt_bind_int(st, ":position", (int64_t)i + 1) < 0 ||
		    stmt_bind_text(st, ":action", a->actions[i].text) < 0 ||
		    stmt_bind_text(st, ":owner", a->actions[i].owner) < 0 ||
		    stmt_bind_text(st, ":due", a->actions[i].due) < 0 ||
		    stmt_run(st) < 0)
			goto out;
	}
	describe_change(&old, a, &change);
	buf_addf(&object, "norm %d item %s:%s", year, item, change.data);
	if (audit_append(db, actor, "norm-save", object.data) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	if (ret == 0) {
		if (db_commit(db) < 0)
			ret = -1;
	} else {
		db_rollback(db);
	}
	assessment_release(&old);
	buf_release(&object);
	buf_release(&change);
	return ret;
}

int
norm_this_year(void)
{
	char day[CLOCK_DAY_LEN + 1];

	clock_format_day(clock_now(), day);
	return (day[0] - '0') * 1000 + (day[1] - '0') * 100 +
	       (day[2] - '0') * 10 + (day[3] - '0');
}

enum verdict
norm_save_as(struct db *db, const struct actor *a, const struct limits *lim,
             int year, const char *item, const struct norm_assessment *as,
             int parse_failed, struct norm_problem *problems, size_t max,
             size_t *nproblems, struct outcome *o)
{
	const struct norm_catalogue *c = norm_catalogue();
	int this_year = norm_this_year();
	char object[64];

	memset(o, 0, sizeof(*o));
	if (!(a->roles & NORM_ROLES)) {
		snprintf(object, sizeof(object), "norm %d item %.16s", year,
		         item ? item : "");
		if (audit_append_result(db, a->name, "norm-save", object,
		                        AUDIT_REFUSED) < 0)
			outcome_set(o, VERDICT_FAILED, NULL, NULL);
		else
			outcome_set(o, VERDICT_REFUSED, "staff.no_access", NULL);
		return o->verdict;
	}
	if (!c) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	if (*nproblems > max)
		*nproblems = max;
	*nproblems += norm_check(c, lim, year, this_year, item, as,
	                         problems + *nproblems, max - *nproblems);
	if (*nproblems > max)
		*nproblems = max;
	if (*nproblems || parse_failed) {
		outcome_set(o, VERDICT_INVALID, NULL,
		            *nproblems ? problems[0].field : NULL);
		return o->verdict;
	}
	if (norm_save(db, c, lim, year, this_year, item, as, a->name) != 0) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	outcome_set(o, VERDICT_DONE, NULL, NULL);
	return o->verdict;
}

enum verdict
norm_export_as(struct db *db, const struct actor *a, int year,
               const char *what, struct outcome *o)
{
	int may = (a->roles & NORM_ROLES) != 0;
	char object[64];

	memset(o, 0, sizeof(*o));
	snprintf(object, sizeof(object), "norm %d %.32s", year, what);
	if (audit_append_result(db, a->name, "norm-export", object,
	                        may ? AUDIT_OK : AUDIT_REFUSED) < 0)
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
	else if (!may)
		outcome_set(o, VERDICT_REFUSED, "staff.no_access", NULL);
	else
		outcome_set(o, VERDICT_DONE, NULL, NULL);
	return o->verdict;
}

int
norm_year_load(struct db *db, const struct norm_catalogue *c, int year,
               struct norm_year *out)
{
	size_t i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->year = year;
	out->n = c->nitems;
	out->items = calloc(c->nitems ? c->nitems : 1, sizeof(*out->items));
	if (!out->items)
		die("out of memory");
	/* One snapshot: a save in between cannot mix two states of a year. */
	db_lock(db);
	for (i = 0; i < c->nitems && ret == 0; i++) {
		ret = load_one(db, year, c->items[i].number, &out->items[i]);
		if (ret == 0 && out->items[i].status != NORM_NONE)
			out->assessed++;
	}
	db_unlock(db);
	if (ret < 0)
		norm_year_release(out);
	return ret;
}

void
norm_year_release(struct norm_year *y)
{
	size_t i;

	if (!y->items)
		return;
	for (i = 0; i < y->n; i++)
		assessment_release(&y->items[i]);
	free(y->items);
	memset(y, 0, sizeof(*y));
}

int
norm_years(struct db *db, int **years, size_t *n)
{
	struct stmt *st = NULL;
	int *v = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT DISTINCT year FROM norm_assessments"
	               " ORDER BY year") < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		v = grow(v, &cap, count, sizeof(*v));
		v[count++] = (int)stmt_int(st, 0);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0) {
		free(v);
		v = NULL;
		count = 0;
	}
	*years = v;
	*n = count;
	return ret;
}

int
norm_reference_years(struct db *db, int year, int *baseline, int *previous)
{
	int *v;
	size_t n, i;

	*baseline = *previous = 0;
	if (norm_years(db, &v, &n) < 0)
		return -1;
	if (n)
		*baseline = v[0];
	for (i = 0; i < n; i++)
		if (v[i] < year)
			*previous = v[i];
	free(v);
	return 0;
}

void
norm_count(const struct norm_catalogue *c, const struct norm_year *y,
           struct norm_counts *themes, struct norm_counts *total)
{
	size_t t, i;

	memset(total, 0, sizeof(*total));
	for (t = 0; t < c->nthemes; t++) {
		const struct norm_theme *th = &c->themes[t];
		struct norm_counts k;

		memset(&k, 0, sizeof(k));
		for (i = th->first; i < th->first + th->count; i++) {
			enum norm_status s = i < y->n ? y->items[i].status
			                              : NORM_NONE;

			k.n[s]++;
			total->n[s]++;
		}
		if (themes)
			themes[t] = k;
	}
}

size_t
norm_applicable(const struct norm_counts *k, size_t items)
{
	return items - k->n[NORM_NA];
}
