/*
 * workflow_parse.c - read and validate workflow files (see workflow.h;
 * the engine that answers questions about a loaded workflow is
 * workflow.c).
 *
 * inih does the INI syntax; this file feeds it line by line through
 * ini_parse_stream, so it always knows the line inih is on (Debian's inih
 * does not pass line numbers to the handler). The reader also sees section
 * headers itself, so an empty section is noticed and each section's line
 * is known. Errors are collected, sorted by line and reported together:
 * whoever edits a workflow fixes them in one go. Also here: the set of
 * workflows of an installation, one per report type, loaded at start.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "log.h"
#include "schema.h"
#include "users.h"
#include "workflow.h"
#include "workflow_internal.h"

/* Largest workflow file read from disk. */
#define WORKFLOW_FILE_MAX (1024 * 1024)

enum section_kind { SEC_NONE, SEC_BAD, SEC_WORKFLOW, SEC_STATE,
                    SEC_TRANSITION, SEC_DEADLINE, SEC_FIELD, SEC_RULE };

/* Keys of each section; a key's index is its slot in lines[]. */
enum { W_TYPE, W_INITIAL };
static const char *const workflow_keys[] = { "type", "initial", NULL };
enum { S_LABEL_NL, S_LABEL_EN, S_REPORTER_NL, S_REPORTER_EN, S_FINAL,
       S_RETENTION };
static const char *const state_keys[] = {
	"label.nl", "label.en", "reporter.nl", "reporter.en", "final",
	"retention_days", NULL,
};
enum { T_LABEL_NL, T_LABEL_EN, T_FROM, T_TO, T_STAY, T_ROLES, T_FIELDS,
       T_FEEDBACK, T_STATS, T_HANDOFF };
static const char *const transition_keys[] = {
	"label.nl", "label.en", "from", "to", "stay", "roles", "fields",
	"feedback", "stats", "handoff", NULL,
};
enum { D_LABEL_NL, D_LABEL_EN, D_START, D_DAYS, D_HOURS, D_WORKING_DAYS,
       D_MONTHS, D_MET, D_STOP, D_REPORTER_NL, D_REPORTER_EN };
static const char *const deadline_keys[] = {
	"label.nl", "label.en", "start", "days", "hours", "working_days",
	"months", "met", "stop", "reporter.nl", "reporter.en", NULL,
};
/* Every key has its slot in an item's lines[] (workflow_internal.h). */
_Static_assert(D_REPORTER_EN < KEYS_MAX, "KEYS_MAX too small for deadlines");

struct wf_error {
	int line;
	size_t seq;
	char *msg;
};

struct parser {
	struct workflow *wf;
	const char *file;
	const char *text;
	size_t len, pos;
	int line;			/* of the line inih is working on */
	enum section_kind kind;
	int *lines;			/* key lines of the current section */
	struct wf_error *errors;
	size_t nerrors, caperrors;
};

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* Grow array *p of *cap items of size so that it holds need items. */
static void
grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	*cap = *cap ? *cap * 2 : 8;
	if (*cap < need)
		*cap = need;
	*p = xrealloc(*p, *cap * size);
}

static void *
pool_alloc(struct workflow *wf, size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		die("out of memory");
	grow((void **)&wf->pool, &wf->cappool, wf->npool + 1, sizeof(void *));
	wf->pool[wf->npool++] = p;
	return p;
}

static const char *
pool_strdup(struct workflow *wf, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = pool_alloc(wf, n);

	memcpy(p, s, n);
	return p;
}

static void vadd_error(struct parser *p, int line, const char *fmt,
                       va_list ap) __attribute__((format(printf, 3, 0)));

static void
vadd_error(struct parser *p, int line, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	if (p->nerrors > WORKFLOW_ERRORS_MAX)
		return;
	if (p->nerrors == WORKFLOW_ERRORS_MAX) {
		line = 0;
		buf_adds(&b, "too many errors; fix these first");
	} else {
		buf_vaddf(&b, fmt, ap);
	}
	grow((void **)&p->errors, &p->caperrors, p->nerrors + 1,
	     sizeof(*p->errors));
	p->errors[p->nerrors].line = line;
	p->errors[p->nerrors].seq = p->nerrors;
	p->errors[p->nerrors].msg = buf_detach(&b, NULL);
	p->nerrors++;
}

static void
add_error(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd_error(p, line, fmt, ap);
	va_end(ap);
}

void
workflow_parse_error(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd_error(p, line, fmt, ap);
	va_end(ap);
}

static int
error_cmp(const void *a, const void *b)
{
	const struct wf_error *x = a, *y = b;

	/* Errors without a line (the whole file) come last. */
	if (x->line != y->line) {
		if (!x->line || !y->line)
			return x->line ? -1 : 1;
		return x->line < y->line ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort, hand out and free the collected errors. */
static void
flush_errors(struct parser *p, struct buf *errors)
{
	size_t i;

	if (p->nerrors)	/* qsort(NULL, 0, ...) is undefined */
		qsort(p->errors, p->nerrors, sizeof(*p->errors), error_cmp);
	for (i = 0; i < p->nerrors; i++) {
		struct wf_error *e = &p->errors[i];

		if (errors && e->line)
			buf_addf(errors, "%s:%d: %s\n", p->file, e->line, e->msg);
		else if (errors)
			buf_addf(errors, "%s: %s\n", p->file, e->msg);
		else if (e->line)
			error("%s:%d: %s", p->file, e->line, e->msg);
		else
			error("%s: %s", p->file, e->msg);
		free(e->msg);
	}
	free(p->errors);
	p->errors = NULL;
	p->nerrors = p->caperrors = 0;
}

/* a-z, 0-9 and _, 1..WORKFLOW_NAME_MAX. */
static int
valid_name(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n >= 1 && n <= WORKFLOW_NAME_MAX;
}

int
workflow_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

const struct state_item *
workflow_find_state_item(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->nstates; i++)
		if (strcmp(wf->states[i].pub.name, name) == 0)
			return &wf->states[i];
	return NULL;
}

const struct transition_item *
workflow_find_transition_item(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->ntransitions; i++)
		if (strcmp(wf->transitions[i].pub.name, name) == 0)
			return &wf->transitions[i];
	return NULL;
}

static int
find_deadline(const struct workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->ndeadlines; i++)
		if (strcmp(wf->deadlines[i].pub.name, name) == 0)
			return 1;
	return 0;
}

int
workflow_in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* A [section] line: start a new object, or mark the section bad. */
static void
section_begin(struct parser *p, const char *hdr, size_t len)
{
	struct workflow *wf = p->wf;
	char kind[16], name[WORKFLOW_NAME_MAX + 2];
	size_t i = 0, k = 0, n = 0;

	p->kind = SEC_BAD;
	p->lines = NULL;
	while (i < len && workflow_is_space(hdr[i]))
		i++;
	while (i < len && !workflow_is_space(hdr[i]) && k + 1 < sizeof(kind))
		kind[k++] = hdr[i++];
	kind[k] = '\0';
	while (i < len && workflow_is_space(hdr[i]))
		i++;
	while (i < len && !workflow_is_space(hdr[i]) && n + 1 < sizeof(name))
		name[n++] = hdr[i++];
	name[n] = '\0';
	while (i < len && workflow_is_space(hdr[i]))
		i++;

	if (strcmp(kind, "workflow") == 0) {
		if (n || i < len) {
			add_error(p, p->line, "[workflow] takes no name");
			return;
		}
		if (wf->section_line) {
			add_error(p, p->line, "a second [workflow] section "
			          "(the first is on line %d)", wf->section_line);
			return;
		}
		wf->section_line = p->line;
		p->kind = SEC_WORKFLOW;
		p->lines = wf->lines;
		return;
	}
	if (strcmp(kind, "state") != 0 && strcmp(kind, "transition") != 0 &&
	    strcmp(kind, "deadline") != 0 && strcmp(kind, "field") != 0 &&
	    strcmp(kind, "rule") != 0) {
		add_error(p, p->line, "unknown section [%.*s]: "
		          "sections are [workflow], [state NAME], [transition "
		          "NAME], [deadline NAME], [field NAME] and [rule NAME]",
		          (int)(len > 60 ? 60 : len), hdr);
		return;
	}
	if (!n || i < len || !valid_name(name)) {
		add_error(p, p->line, "[%s] needs one name of 1 to %d characters "
		          "a-z, 0-9 and _", kind, WORKFLOW_NAME_MAX);
		return;
	}
	if (kind[0] == 'f' || kind[0] == 'r') {
		/* Typed fields and rules: workflow_fields.c. */
		p->lines = workflow_fields_begin(p, kind[0] == 'r', name);
		if (p->lines)
			p->kind = kind[0] == 'r' ? SEC_RULE : SEC_FIELD;
	} else if (kind[0] == 's') {
		const struct state_item *old = workflow_find_state_item(wf, name);
		struct state_item *s;

		if (old) {
			add_error(p, p->line, "state %s is defined twice (first "
			          "on line %d)", name, old->pub.line);
			return;
		}
		grow((void **)&wf->states, &wf->capstates, wf->nstates + 1,
		     sizeof(*wf->states));
		s = &wf->states[wf->nstates++];
		memset(s, 0, sizeof(*s));
		s->pub.name = pool_strdup(wf, name);
		s->pub.line = p->line;
		p->kind = SEC_STATE;
		p->lines = s->lines;
	} else if (kind[0] == 't') {
		const struct transition_item *old =
			workflow_find_transition_item(wf, name);
		struct transition_item *t;

		if (old) {
			add_error(p, p->line, "transition %s is defined twice "
			          "(first on line %d)", name, old->pub.line);
			return;
		}
		grow((void **)&wf->transitions, &wf->captransitions,
		     wf->ntransitions + 1, sizeof(*wf->transitions));
		t = &wf->transitions[wf->ntransitions++];
		memset(t, 0, sizeof(*t));
		t->pub.name = pool_strdup(wf, name);
		t->pub.line = p->line;
		p->kind = SEC_TRANSITION;
		p->lines = t->lines;
	} else {
		struct deadline_item *d;

		if (find_deadline(wf, name)) {
			add_error(p, p->line, "deadline %s is defined twice", name);
			return;
		}
		grow((void **)&wf->deadlines, &wf->capdeadlines,
		     wf->ndeadlines + 1, sizeof(*wf->deadlines));
		d = &wf->deadlines[wf->ndeadlines++];
		memset(d, 0, sizeof(*d));
		d->pub.name = pool_strdup(wf, name);
		d->pub.line = p->line;
		p->kind = SEC_DEADLINE;
		p->lines = d->lines;
	}
}

/*
 * Look at one line before inih does: count it, refuse what inih would
 * misread (over-long lines, indented continuation lines, lines that are
 * not a section, key or comment), and notice section headers. A refused
 * line is handed to inih as an empty one, so parsing goes on.
 */
static int
inspect_line(struct parser *p, char *s, size_t n)
{
	size_t i = 0;

	if (p->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;		/* a UTF-8 byte order mark, as inih allows */
	if (memchr(s, '\0', n)) {
		add_error(p, p->line, "contains a NUL byte");
		return -1;
	}
	while (n > i && workflow_is_space(s[n - 1]))
		n--;
	if (n == i || s[i] == ';' || s[i] == '#')
		return 0;
	if (workflow_is_space(s[i])) {
		size_t j = i;

		while (j < n && workflow_is_space(s[j]))
			j++;
		if (s[j] == ';' || s[j] == '#')
			return 0;
		add_error(p, p->line, "indented line: write each key = value "
		          "on one line, starting at the margin");
		return -1;
	}
	if (s[i] == '[') {
		const char *end = memchr(s + i, ']', n - i);
		size_t j;

		if (!end) {
			add_error(p, p->line, "a section line needs a closing ']'");
			p->kind = SEC_BAD;
			return -1;
		}
		for (j = (size_t)(end - s) + 1; j < n && workflow_is_space(s[j]); j++)
			;
		if (j < n && s[j] != ';' && s[j] != '#') {
			add_error(p, p->line, "text after the section's ']'");
			p->kind = SEC_BAD;
			return -1;
		}
		section_begin(p, s + i + 1, (size_t)(end - (s + i + 1)));
		return 0;
	}
	if (!memchr(s + i, '=', n - i) && !memchr(s + i, ':', n - i)) {
		add_error(p, p->line, "expected a [section], 'key = value' or a "
		          "comment");
		return -1;
	}
	return 0;
}

/* inih's reader: one line per call, like fgets. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *s, *nl;
	size_t rest, n, content;

	if (p->pos >= p->len || num < 4)
		return NULL;
	s = p->text + p->pos;
	rest = p->len - p->pos;
	nl = memchr(s, '\n', rest);
	n = nl ? (size_t)(nl - s) + 1 : rest;
	p->pos += n;
	p->line++;
	content = n;
	while (content && (s[content - 1] == '\n' || s[content - 1] == '\r'))
		content--;
	if (content > WORKFLOW_LINE_MAX || content + 3 > (size_t)num) {
		add_error(p, p->line, "line is longer than %d characters",
		          WORKFLOW_LINE_MAX);
		goto empty;
	}
	/*
	 * Copy the content and one '\n' only: trailing '\r's are not
	 * counted above, so copying them could run past inih's buffer.
	 */
	memcpy(str, s, content);
	n = content;
	if (nl)
		str[n++] = '\n';
	str[n] = '\0';
	if (inspect_line(p, str, n) < 0)
		goto empty;
	return str;
empty:
	str[0] = '\n';
	str[1] = '\0';
	return str;
}

/* Split a value on white space and commas into a pool array. */
static const char *const *
split_list(struct parser *p, const char *value, size_t *n_out)
{
	const char **list;
	size_t n = 0, i = 0, cap = 1;

	for (i = 0; value[i]; i++)
		if (workflow_is_space(value[i]) || value[i] == ',')
			cap++;
	list = pool_alloc(p->wf, cap * sizeof(*list));
	i = 0;
	while (value[i]) {
		size_t start, len;
		char *word;

		while (value[i] && (workflow_is_space(value[i]) || value[i] == ','))
			i++;
		if (!value[i])
			break;
		start = i;
		while (value[i] && !workflow_is_space(value[i]) && value[i] != ',')
			i++;
		len = i - start;
		word = pool_alloc(p->wf, len + 1);
		memcpy(word, value + start, len);
		if (workflow_in_list(list, n, word)) {
			add_error(p, p->line, "'%s' is listed twice", word);
			continue;
		}
		list[n++] = word;
	}
	*n_out = n;
	return list;
}

/* What workflow_fields.c reaches of the parser (workflow_internal.h). */
int
workflow_parse_line(const struct parser *p)
{
	return p->line;
}

struct workflow *
workflow_parse_wf(const struct parser *p)
{
	return p->wf;
}

void *
workflow_pool_alloc(struct workflow *wf, size_t size)
{
	return pool_alloc(wf, size);
}

const char *
workflow_pool_strdup(struct workflow *wf, const char *s)
{
	return pool_strdup(wf, s);
}

const char *const *
workflow_split_list(struct parser *p, const char *value, size_t *n_out)
{
	return split_list(p, value, n_out);
}

int
workflow_valid_name(const char *s)
{
	return valid_name(s);
}

void
workflow_grow(void **p, size_t *cap, size_t need, size_t size)
{
	grow(p, cap, need, size);
}

static int
parse_bool(struct parser *p, const char *key, const char *value, int *out)
{
	if (strcmp(value, "yes") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0)
		*out = 0;
	else {
		add_error(p, p->line, "%s must be yes or no", key);
		return -1;
	}
	return 0;
}

static int
parse_count(struct parser *p, const char *key, const char *value, int max,
            int *out)
{
	long v;
	char *end;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end || value[0] == '+' ||
	    value[0] == '-' || v < 1 || v > max) {
		add_error(p, p->line, "%s must be a whole number from 1 to %d",
		          key, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* The first word of list and the names after it (start, met). */
static const char *const *
split_kind(struct parser *p, const char *value, const char **kind,
           size_t *n)
{
	const char *const *words = split_list(p, value, n);

	*kind = *n ? words[0] : "";
	if (*n) {
		(*n)--;
		return words + 1;
	}
	return words;
}

static void
workflow_key(struct parser *p, int key, const char *value)
{
	struct workflow *wf = p->wf;

	if (key == W_TYPE) {
		if (report_type_parse(value, &wf->type) < 0)
			add_error(p, p->line, "type names no report type of "
			          "schema/forms");
	} else {
		wf->initial_name = pool_strdup(wf, value);
	}
}

static void
state_key(struct parser *p, int key, const char *value)
{
	struct workflow *wf = p->wf;
	struct workflow_state *s = &wf->states[wf->nstates - 1].pub;

	switch (key) {
	case S_LABEL_NL:
	case S_LABEL_EN:
		s->label[key - S_LABEL_NL] = pool_strdup(wf, value);
		break;
	case S_REPORTER_NL:
	case S_REPORTER_EN:
		s->reporter[key - S_REPORTER_NL] = pool_strdup(wf, value);
		break;
	case S_FINAL:
		parse_bool(p, "final", value, &s->final);
		break;
	case S_RETENTION:
		parse_count(p, "retention_days", value, WORKFLOW_RETENTION_MAX,
		            &s->retention_days);
		break;
	}
}

static void
transition_key(struct parser *p, int key, const char *value)
{
	struct workflow *wf = p->wf;
	struct transition_item *ti = &wf->transitions[wf->ntransitions - 1];
	struct workflow_transition *t = &ti->pub;
	const char *const *list;
	size_t i, n;

	switch (key) {
	case T_LABEL_NL:
	case T_LABEL_EN:
		t->label[key - T_LABEL_NL] = pool_strdup(wf, value);
		break;
	case T_FROM:
		t->from = split_list(p, value, &t->nfrom);
		break;
	case T_TO:
		t->to = pool_strdup(wf, value);
		break;
	case T_STAY:
		if (parse_bool(p, "stay", value, &ti->stay) == 0 && !ti->stay)
			add_error(p, p->line, "write stay = yes or leave it out");
		break;
	case T_ROLES:
		list = split_list(p, value, &n);
		for (i = 0; i < n; i++) {
			unsigned bit = role_parse(list[i]);

			if (!bit)
				add_error(p, p->line, "unknown role '%s' (roles: "
				          "admin coordinator vpt hr overleg "
				          "auditor integrity confidant)", list[i]);
			t->roles |= bit;
		}
		if (!n)
			add_error(p, p->line, "roles names no role");
		break;
	case T_FIELDS:
		t->fields = split_list(p, value, &t->nfields);
		for (i = 0; i < t->nfields; i++)
			if (!valid_name(t->fields[i]))
				add_error(p, p->line, "bad field name '%s': use "
				          "a-z, 0-9 and _", t->fields[i]);
		break;
	case T_FEEDBACK:
		parse_bool(p, "feedback", value, &t->feedback);
		break;
	case T_STATS:
		t->stats = split_list(p, value, &t->nstats);
		break;
	case T_HANDOFF:
		parse_bool(p, "handoff", value, &t->handoff);
		break;
	}
}

static void
deadline_key(struct parser *p, int key, const char *value)
{
	struct workflow *wf = p->wf;
	struct deadline_item *di = &wf->deadlines[wf->ndeadlines - 1];
	struct workflow_deadline *d = &di->pub;
	const char *kind;
	int other;

	switch (key) {
	case D_LABEL_NL:
	case D_LABEL_EN:
		d->label[key - D_LABEL_NL] = pool_strdup(wf, value);
		break;
	case D_REPORTER_NL:
	case D_REPORTER_EN:
		d->reporter[key - D_REPORTER_NL] = pool_strdup(wf, value);
		break;
	case D_START:
		d->start_states = split_kind(p, value, &kind, &d->nstart);
		if (strcmp(kind, "receipt") == 0 && d->nstart == 0)
			d->start = WORKFLOW_START_RECEIPT;
		else if (strcmp(kind, "enter") == 0 && d->nstart > 0)
			d->start = WORKFLOW_START_ENTER;
		else
			add_error(p, p->line, "start must be 'receipt' or "
			          "'enter' followed by states");
		break;
	case D_DAYS:
	case D_HOURS:
	case D_WORKING_DAYS:
	case D_MONTHS:
		for (other = D_DAYS; other <= D_MONTHS; other++)
			if (other != key && di->lines[other] &&
			    di->lines[other] != p->line) {
				add_error(p, p->line, "give one of days, hours, "
				          "working_days and months (%s is on line %d)",
				          deadline_keys[other], di->lines[other]);
				return;
			}
		d->unit = key == D_DAYS ? WORKFLOW_DAYS :
		          key == D_HOURS ? WORKFLOW_HOURS :
		          key == D_MONTHS ? WORKFLOW_MONTHS : WORKFLOW_WORKING_DAYS;
		parse_count(p, deadline_keys[key], value, WORKFLOW_AMOUNT_MAX,
		            &d->amount);
		break;
	case D_MET:
		d->met_names = split_kind(p, value, &kind, &d->nmet);
		if (strcmp(kind, "message") == 0 && d->nmet == 0)
			d->met = WORKFLOW_MET_MESSAGE;
		else if (strcmp(kind, "reach") == 0 && d->nmet)
			d->met = WORKFLOW_MET_REACH;
		else if (strcmp(kind, "leave") == 0 && d->nmet)
			d->met = WORKFLOW_MET_LEAVE;
		else if (strcmp(kind, "transition") == 0 && d->nmet)
			d->met = WORKFLOW_MET_TRANSITION;
		else
			add_error(p, p->line, "met must be 'message', or 'reach', "
			          "'leave' or 'transition' followed by names");
		break;
	case D_STOP:
		d->stop_names = split_kind(p, value, &kind, &d->nstop);
		if (strcmp(kind, "transition") != 0 || !d->nstop)
			add_error(p, p->line, "stop must be 'transition' "
			          "followed by names");
		break;
	}
}

/* inih's handler: one key = value of the current section. */
static int
handle_key(void *user, const char *section, const char *name,
           const char *value)
{
	struct parser *p = user;
	const char *const *keys;
	int k;

	(void)section;	/* the reader tracks sections, with their lines */
	switch (p->kind) {
	case SEC_NONE:
		add_error(p, p->line, "'%s' is outside any section", name);
		return 1;
	case SEC_BAD:
		return 1;	/* the section's error says enough */
	case SEC_WORKFLOW:
		keys = workflow_keys;
		break;
	case SEC_STATE:
		keys = state_keys;
		break;
	case SEC_TRANSITION:
		keys = transition_keys;
		break;
	case SEC_FIELD:
	case SEC_RULE:
		keys = workflow_fields_keys(p->kind == SEC_RULE);
		break;
	default:
		keys = deadline_keys;
		break;
	}
	for (k = 0; keys[k]; k++)
		if (strcmp(keys[k], name) == 0)
			break;
	if (!keys[k]) {
		struct buf known = BUF_INIT;
		int j;

		for (j = 0; keys[j]; j++)
			buf_addf(&known, "%s%s", j ? ", " : "", keys[j]);
		add_error(p, p->line, "unknown key '%s' (known here: %s)", name,
		          known.data);
		buf_release(&known);
		return 1;
	}
	if (p->lines[k]) {
		add_error(p, p->line, "%s is given twice (first on line %d)",
		          name, p->lines[k]);
		return 1;
	}
	p->lines[k] = p->line;
	if (!*value) {
		add_error(p, p->line, "%s has no value", name);
		return 1;
	}
	switch (p->kind) {
	case SEC_WORKFLOW:
		workflow_key(p, k, value);
		break;
	case SEC_STATE:
		state_key(p, k, value);
		break;
	case SEC_TRANSITION:
		transition_key(p, k, value);
		break;
	case SEC_FIELD:
	case SEC_RULE:
		workflow_fields_key(p, p->kind == SEC_RULE, k, value);
		break;
	default:
		deadline_key(p, k, value);
		break;
	}
	return 1;
}

static void
check_labels(struct parser *p, const char *what, const char *name, int line,
             const int *lines, const char *const *keys, int first, int n)
{
	int k;

	for (k = first; k < first + n; k++)
		if (!lines[k])
			add_error(p, line, "%s %s has no %s", what, name, keys[k]);
}

static void
check_state_names(struct parser *p, const char *const *names, size_t n,
                  int line, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!workflow_find_state_item(p->wf, names[i]))
			add_error(p, line, "%s names state '%s', which is not "
			          "defined", key, names[i]);
}

/* Per-item checks: everything required is there and every name exists. */
static void
check_items(struct parser *p)
{
	struct workflow *wf = p->wf;
	size_t i, j;

	if (!wf->section_line) {
		add_error(p, 0, "no [workflow] section (with type and initial)");
	} else {
		if (!wf->lines[W_TYPE])
			add_error(p, wf->section_line, "[workflow] has no type");
		if (!wf->lines[W_INITIAL])
			add_error(p, wf->section_line, "[workflow] has no "
			          "initial state");
		else if (wf->initial_name) {
			const struct state_item *s =
				workflow_find_state_item(wf, wf->initial_name);

			if (!s)
				add_error(p, wf->lines[W_INITIAL], "initial state "
				          "'%s' is not defined", wf->initial_name);
			else
				wf->initial = &s->pub;
		}
	}
	for (i = 0; i < wf->nstates; i++) {
		struct state_item *s = &wf->states[i];

		check_labels(p, "state", s->pub.name, s->pub.line, s->lines,
		             state_keys, S_LABEL_NL, 4);
		if (s->pub.final && !s->lines[S_RETENTION])
			add_error(p, s->pub.line, "final state %s has no "
			          "retention_days", s->pub.name);
		if (!s->pub.final && s->lines[S_RETENTION])
			add_error(p, s->lines[S_RETENTION], "retention_days is "
			          "only for final states (%s is not final)",
			          s->pub.name);
	}
	for (i = 0; i < wf->ntransitions; i++) {
		struct transition_item *t = &wf->transitions[i];
		const char *name = t->pub.name;

		check_labels(p, "transition", name, t->pub.line, t->lines,
		             transition_keys, T_LABEL_NL, 2);
		if (!t->lines[T_FROM])
			add_error(p, t->pub.line, "transition %s has no from",
			          name);
		if (!t->lines[T_ROLES])
			add_error(p, t->pub.line, "transition %s has no roles",
			          name);
		if (t->lines[T_TO] && t->lines[T_STAY])
			add_error(p, t->lines[T_STAY], "transition %s has both "
			          "to and stay", name);
		else if (!t->lines[T_TO] && !t->stay && !t->lines[T_STAY])
			add_error(p, t->pub.line, "transition %s needs to = "
			          "STATE, or stay = yes", name);
		check_state_names(p, t->pub.from, t->pub.nfrom, t->lines[T_FROM],
		                  "from");
		for (j = 0; j < t->pub.nstats; j++)
			if (!workflow_in_list(t->pub.fields, t->pub.nfields,
			                      t->pub.stats[j]))
				add_error(p, t->lines[T_STATS], "stats names '%s', "
				          "which is not one of the fields of %s",
				          t->pub.stats[j], name);
		if (t->pub.to && !workflow_find_state_item(wf, t->pub.to))
			add_error(p, t->lines[T_TO], "to names state '%s', which "
			          "is not defined", t->pub.to);
		for (j = 0; j < t->pub.nfrom; j++) {
			const struct state_item *s =
				workflow_find_state_item(wf, t->pub.from[j]);

			if (s && s->pub.final)
				add_error(p, t->lines[T_FROM], "transition %s "
				          "leaves final state %s: a final state "
				          "has no transitions", name, s->pub.name);
		}
	}
	for (i = 0; i < wf->ndeadlines; i++) {
		struct deadline_item *d = &wf->deadlines[i];
		const char *name = d->pub.name;

		check_labels(p, "deadline", name, d->pub.line, d->lines,
		             deadline_keys, D_LABEL_NL, 2);
		/* The reporter's texts: both languages, or none. */
		if (d->lines[D_REPORTER_NL] || d->lines[D_REPORTER_EN])
			check_labels(p, "deadline", name, d->pub.line, d->lines,
			             deadline_keys, D_REPORTER_NL, 2);
		if (!d->lines[D_START])
			add_error(p, d->pub.line, "deadline %s has no start", name);
		if (!d->lines[D_MET])
			add_error(p, d->pub.line, "deadline %s has no met", name);
		if (!d->lines[D_DAYS] && !d->lines[D_HOURS] &&
		    !d->lines[D_WORKING_DAYS] && !d->lines[D_MONTHS])
			add_error(p, d->pub.line, "deadline %s needs days, hours "
			          "or working_days", name);
		if (d->pub.start == WORKFLOW_START_ENTER)
			check_state_names(p, d->pub.start_states, d->pub.nstart,
			                  d->lines[D_START], "start");
		if (d->pub.met == WORKFLOW_MET_REACH ||
		    d->pub.met == WORKFLOW_MET_LEAVE)
			check_state_names(p, d->pub.met_names, d->pub.nmet,
			                  d->lines[D_MET], "met");
		if (d->pub.met == WORKFLOW_MET_TRANSITION)
			for (j = 0; j < d->pub.nmet; j++)
				if (!workflow_find_transition_item(wf, d->pub.met_names[j]))
					add_error(p, d->lines[D_MET], "met names "
					          "transition '%s', which is not "
					          "defined", d->pub.met_names[j]);
		for (j = 0; j < d->pub.nstop; j++)
			if (!workflow_find_transition_item(wf, d->pub.stop_names[j]))
				add_error(p, d->lines[D_STOP], "stop names "
				          "transition '%s', which is not defined",
				          d->pub.stop_names[j]);
	}
}

static size_t
state_index(const struct workflow *wf, const char *name)
{
	const struct state_item *s = workflow_find_state_item(wf, name);

	return s ? (size_t)(s - wf->states) : wf->nstates;
}

/*
 * The shape of the graph: every state reachable from the initial one,
 * and a final state reachable from every state. Only run on a workflow
 * whose names all resolve.
 */
static void
check_graph(struct parser *p)
{
	struct workflow *wf = p->wf;
	size_t n = wf->nstates, i, j, k;
	char *seen = calloc(n ? n : 1, 1), *done = calloc(n ? n : 1, 1);
	int changed;

	if (!seen || !done)
		die("out of memory");
	/* Forward from the initial state; fixed point is fine at this size. */
	seen[state_index(wf, wf->initial->name)] = 1;
	do {
		changed = 0;
		for (i = 0; i < wf->ntransitions; i++) {
			const struct workflow_transition *t =
				&wf->transitions[i].pub;
			size_t to;

			if (!t->to)
				continue;
			to = state_index(wf, t->to);
			for (j = 0; j < t->nfrom && !seen[to]; j++)
				if (seen[state_index(wf, t->from[j])])
					seen[to] = changed = 1;
		}
	} while (changed);
	/* Backward from the final states. */
	for (i = 0; i < n; i++)
		done[i] = (char)wf->states[i].pub.final;
	do {
		changed = 0;
		for (i = 0; i < wf->ntransitions; i++) {
			const struct workflow_transition *t =
				&wf->transitions[i].pub;

			if (!t->to || !done[state_index(wf, t->to)])
				continue;
			for (j = 0; j < t->nfrom; j++) {
				k = state_index(wf, t->from[j]);
				if (!done[k])
					done[k] = changed = 1;
			}
		}
	} while (changed);

	for (i = 0; i < n; i++) {
		const struct workflow_state *s = &wf->states[i].pub;
		int way_out = 0;

		if (!seen[i])
			add_error(p, s->line, "state %s cannot be reached from the "
			          "initial state %s", s->name, wf->initial->name);
		if (s->final || done[i])
			continue;
		for (j = 0; j < wf->ntransitions && !way_out; j++) {
			const struct workflow_transition *t =
				&wf->transitions[j].pub;

			if (t->to && strcmp(t->to, s->name) != 0 &&
			    workflow_transition_from(t, s->name))
				way_out = 1;
		}
		if (!way_out)
			add_error(p, s->line, "state %s is not final and has no "
			          "way out", s->name);
		else
			add_error(p, s->line, "state %s is not final and no final "
			          "state can be reached from it", s->name);
	}
	free(seen);
	free(done);
}

void
workflow_free(struct workflow *wf)
{
	size_t i;

	if (!wf)
		return;
	for (i = 0; i < wf->npool; i++)
		free(wf->pool[i]);
	free(wf->pool);
	free(wf->states);
	free(wf->transitions);
	free(wf->deadlines);
	workflow_fields_free(wf);
	free(wf);
}

int
workflow_load_text(const char *name, const char *text, size_t len,
                   struct workflow **out, struct buf *errors)
{
	struct parser p;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.wf = calloc(1, sizeof(*p.wf));
	if (!p.wf)
		die("out of memory");
	p.file = name;
	p.text = text;
	p.len = len;
	rc = ini_parse_stream(read_line, &p, handle_key, &p);
	/* The reader refuses what inih would call a syntax error; in case. */
	if (rc > 0 && !p.nerrors)
		add_error(&p, rc, "cannot be read as INI");
	else if (rc < 0)
		add_error(&p, 0, "cannot be parsed (out of memory?)");
	check_items(&p);
	workflow_fields_check(&p);
	if (!p.nerrors)
		check_graph(&p);
	if (p.nerrors) {
		flush_errors(&p, errors);
		workflow_free(p.wf);
		return -1;
	}
	*out = p.wf;
	return 0;
}

int
workflow_load_file(const char *path, struct workflow **out,
                   struct buf *errors)
{
	struct buf text = BUF_INIT;
	char chunk[8192];
	FILE *f;
	size_t n;
	int ret = -1;

	*out = NULL;
	f = fopen(path, "r");
	if (!f) {
		if (errors)
			buf_addf(errors, "%s: cannot open: %s\n", path,
			         strerror(errno));
		else
			error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&text, chunk, n);
		if (text.len > WORKFLOW_FILE_MAX)
			break;
	}
	if (ferror(f) || text.len > WORKFLOW_FILE_MAX) {
		const char *why = ferror(f) ? "cannot read it" :
		                  "larger than a workflow can be (1 MiB)";

		if (errors)
			buf_addf(errors, "%s: %s\n", path, why);
		else
			error("%s: %s", path, why);
		goto out;
	}
	ret = workflow_load_text(path, text.data, text.len, out, errors);
out:
	fclose(f);
	buf_release(&text);
	return ret;
}

int
workflow_load_default(enum report_type type, struct workflow **out,
                      struct buf *errors)
{
	struct buf path = BUF_INIT, name = BUF_INIT;
	const struct schema_file *f;
	int ret = -1;

	*out = NULL;
	buf_addf(&path, "workflows/%s.ini", report_type_name(type));
	buf_addf(&name, "schema/%s", path.data);
	f = schema_find(path.data);
	if (!f)
		ret = error("the built-in %s is missing", name.data);
	else
		ret = workflow_load_text(name.data, f->text, f->len, out, errors);
	buf_release(&path);
	buf_release(&name);
	return ret;
}

struct workflows {
	struct workflow *wf[REPORT_TYPES_MAX];	/* by enum report_type */
};

/*
 * An organisation's copy that lacks fields the built-in file requires
 * still loads (it is the organisation's choice), with a warning per field
 * in the log; 'meldpunt workflow check' says the same.
 */
static void
warn_missing(const char *path, const struct workflow *copy)
{
	struct buf lines = BUF_INIT;
	struct workflow *base;
	const char *p, *nl;

	if (workflow_load_default(copy->type, &base, NULL) < 0)
		return;
	workflow_fields_missing(base, copy, &lines);
	for (p = lines.data; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		log_warn("%s: %.*s", path, (int)(nl - p), p);
	}
	buf_release(&lines);
	workflow_free(base);
}

static int
load_one(const char *dir, enum report_type type, struct workflow **out,
         struct buf *errors)
{
	struct buf path = BUF_INIT;
	struct stat st;
	int ret;

	if (!dir)
		return workflow_load_default(type, out, errors);
	buf_addf(&path, "%s/%s.ini", dir, report_type_name(type));
	if (stat(path.data, &st) < 0 && errno == ENOENT) {
		log_info("no %s: the %s workflow is the built-in one", path.data,
		         report_type_name(type));
		buf_release(&path);
		return workflow_load_default(type, out, errors);
	}
	ret = workflow_load_file(path.data, out, errors);
	if (ret == 0 && (*out)->type != type) {
		if (errors)
			buf_addf(errors, "%s:%d: this is the file for %s reports "
			         "but it says type = %s\n", path.data,
			         (*out)->lines[W_TYPE], report_type_name(type),
			         report_type_name((*out)->type));
		else
			error("%s:%d: this is the file for %s reports but it says "
			      "type = %s", path.data, (*out)->lines[W_TYPE],
			      report_type_name(type),
			      report_type_name((*out)->type));
		workflow_free(*out);
		*out = NULL;
		ret = -1;
	}
	if (ret == 0)
		warn_missing(path.data, *out);
	buf_release(&path);
	return ret;
}

int
workflows_load_dir(const char *dir, struct workflows **out,
                   struct buf *errors)
{
	struct workflows *wfs = calloc(1, sizeof(*wfs));
	size_t i;
	int ret = 0;

	if (!wfs)
		die("out of memory");
	*out = NULL;
	/* Load every type's even when one fails: report every broken file. */
	for (i = 0; i < report_types_count(); i++)
		if (load_one(dir, (enum report_type)i, &wfs->wf[i], errors) < 0)
			ret = -1;
	if (ret < 0) {
		workflows_free(wfs);
		return -1;
	}
	*out = wfs;
	return 0;
}

int
workflows_load_installation(const char *install_dir, struct workflows **out,
                            struct buf *errors)
{
	struct buf dir = BUF_INIT;
	struct stat st;
	int ret;

	buf_addf(&dir, "%s/%s", install_dir, WORKFLOWS_SUBDIR);
	if (stat(dir.data, &st) == 0 && S_ISDIR(st.st_mode))
		ret = workflows_load_dir(dir.data, out, errors);
	else
		ret = workflows_load_dir(NULL, out, errors);
	buf_release(&dir);
	return ret;
}

const struct workflow *
workflows_get(const struct workflows *wfs, enum report_type type)
{
	return wfs->wf[type];
}

void
workflows_free(struct workflows *wfs)
{
	size_t i;

	if (!wfs)
		return;
	for (i = 0; i < REPORT_TYPES_MAX; i++)
		workflow_free(wfs->wf[i]);
	free(wfs);
}
