/*
 * form.c - parse form definitions and check answers (see form.h).
 */
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "clock.h"
#include "crypto.h"
#include "form.h"
#include "inifile.h"
#include "log.h"
#include "num.h"
#include "schema.h"
#include "zone.h"

/*
 * jansson holds report content while it is parsed (API bodies, opened
 * reports); make every block it frees wiped first. The size lives in a
 * header before the block.
 */
struct jblock {
	size_t size;
	max_align_t align;
};

static void *
wipe_malloc(size_t size)
{
	struct jblock *b = malloc(offsetof(struct jblock, align) + size);

	if (!b)
		return NULL;
	b->size = size;
	return &b->align;
}

static void
wipe_free(void *p)
{
	struct jblock *b;

	if (!p)
		return;
	b = (struct jblock *)(void *)((char *)p - offsetof(struct jblock, align));
	crypto_wipe(p, b->size);
	free(b);
}

static pthread_once_t json_once = PTHREAD_ONCE_INIT;

static void
json_wiping(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

static const char *const kind_names[] = {
	[FIELD_TEXT] = "text", [FIELD_TEXTAREA] = "textarea",
	[FIELD_EMAIL] = "email", [FIELD_PHONE] = "phone",
	[FIELD_DATE] = "date", [FIELD_TIME] = "time",
	[FIELD_CHOICE] = "choice", [FIELD_SELECT] = "select",
	[FIELD_MULTI] = "multi", [FIELD_FILES] = "files",
};
#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

static const char *const error_codes[] = {
	[FIELD_OK] = "ok", [FIELD_MISSING] = "missing",
	[FIELD_TOO_LONG] = "too_long", [FIELD_BAD_TEXT] = "bad_text",
	[FIELD_BAD_OPTION] = "bad_option", [FIELD_BAD_DATE] = "bad_date",
	[FIELD_FUTURE_DATE] = "future_date", [FIELD_BAD_TIME] = "bad_time",
	[FIELD_BAD_EMAIL] = "bad_email", [FIELD_BAD_PHONE] = "bad_phone",
};

const char *
field_kind_name(enum field_kind k)
{
	return kind_names[k];
}

const char *
field_error_key(enum field_error e)
{
	static const char *const keys[] = {
		[FIELD_OK] = "form.error.ok",
		[FIELD_MISSING] = "form.error.missing",
		[FIELD_TOO_LONG] = "form.error.too_long",
		[FIELD_BAD_TEXT] = "form.error.bad_text",
		[FIELD_BAD_OPTION] = "form.error.bad_option",
		[FIELD_BAD_DATE] = "form.error.bad_date",
		[FIELD_FUTURE_DATE] = "form.error.future_date",
		[FIELD_BAD_TIME] = "form.error.bad_time",
		[FIELD_BAD_EMAIL] = "form.error.bad_email",
		[FIELD_BAD_PHONE] = "form.error.bad_phone",
	};

	return keys[e];
}

const char *
field_error_code(enum field_error e)
{
	return error_codes[e];
}

static int
has_options(enum field_kind k)
{
	return k == FIELD_CHOICE || k == FIELD_SELECT || k == FIELD_MULTI;
}

/* Names of fields and options: what may become a message key or JSON key. */
static int
valid_name(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!(islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
		      s[n] == '_'))
			return 0;
	return n > 0 && n <= 64;
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

struct parse {
	const char *file;
	struct form *form;
	int have_type;
	int failed;
};

static int
fail(struct parse *p, int line, const char *what, const char *detail)
{
	error("%s:%d: %s%s%s", p->file, line, what, detail ? ": " : "",
	      detail ? detail : "");
	p->failed = 1;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
parse_options(struct form_field *fld, const char *v)
{
	char *copy = xstrdup(v), *save = NULL, *tok;

	for (tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		size_t i;

		if (!valid_name(tok))
			goto bad;
		for (i = 0; i < fld->noptions; i++)
			if (strcmp(fld->options[i], tok) == 0)
				goto bad;
		fld->options = realloc(fld->options,
		                       (fld->noptions + 1) * sizeof(char *));
		if (!fld->options)
			die("out of memory");
		fld->options[fld->noptions++] = xstrdup(tok);
	}
	free(copy);
	return fld->noptions ? 0 : -1;
bad:
	free(copy);
	return -1;
}

static const char *const field_keys[] = {
	"kind", "required", "past", "store", "options", "max", "when",
	"identity",
};

static int
field_key(struct parse *p, struct form_field *fld, const char *name,
          const char *v, int line)
{
	size_t i;

	/*
	 * A key given twice is a mistake (and also how a field defined twice
	 * in a row shows: inih does not report the second section header).
	 */
	for (i = 0; i < sizeof(field_keys) / sizeof(field_keys[0]); i++)
		if (strcmp(name, field_keys[i]) == 0) {
			if (fld->keys_seen & (1u << i))
				return fail(p, line, "key given twice", name);
			fld->keys_seen |= 1u << i;
		}

	if (strcmp(name, "kind") == 0) {
		for (i = 0; i < NKINDS; i++)
			if (strcmp(kind_names[i], v) == 0) {
				fld->kind = (enum field_kind)i;
				return 1;
			}
		return fail(p, line, "unknown kind", v);
	}
	if (strcmp(name, "required") == 0) {
		if (parse_bool(v, &fld->required) < 0)
			return fail(p, line, "required must be yes or no", v);
		return 1;
	}
	if (strcmp(name, "past") == 0) {
		if (parse_bool(v, &fld->past) < 0)
			return fail(p, line, "past must be yes or no", v);
		return 1;
	}
	if (strcmp(name, "identity") == 0) {
		if (parse_bool(v, &fld->identity) < 0)
			return fail(p, line, "identity must be yes or no", v);
		return 1;
	}
	if (strcmp(name, "store") == 0) {
		if (strcmp(v, "content") == 0)
			fld->store = STORE_CONTENT;
		else if (strcmp(v, "stats") == 0)
			fld->store = STORE_STATS;
		else
			return fail(p, line, "store must be content or stats", v);
		return 1;
	}
	if (strcmp(name, "options") == 0) {
		if (parse_options(fld, v) < 0)
			return fail(p, line, "options must be distinct lower-case "
			            "names", v);
		return 1;
	}
	if (strcmp(name, "max") == 0) {
		char *end;
		unsigned long m = strtoul(v, &end, 10);

		if (end == v || *end || m < 1 || m > 1000000)
			return fail(p, line, "max must be a number from 1 to "
			            "1000000", v);
		fld->max = m;
		return 1;
	}
	if (strcmp(name, "when") == 0) {
		const char *colon = strchr(v, ':');

		if (!colon || colon == v || !colon[1])
			return fail(p, line, "when must be FIELD:OPTION", v);
		/* A second `when` would overwrite (and leak) the first. */
		if (fld->when_field)
			return fail(p, line, "when is given twice", v);
		fld->when_field = xstrdup(v);
		fld->when_field[colon - v] = '\0';
		fld->when_value = xstrdup(colon + 1);
		return 1;
	}
	return fail(p, line, "unknown key", name);
}

static int
handle(void *user, const char *section, const char *name, const char *value,
       int line)
{
	struct parse *p = user;
	struct form *f = p->form;

	if (p->failed)
		return 0;
	if (strcmp(section, "form") == 0) {
		if (strcmp(name, "type") == 0) {
			if (report_type_parse(value, &f->type) < 0)
				return fail(p, line, "type names no report type "
				            "of schema/forms", value);
			p->have_type = 1;
			return 1;
		}
		if (strcmp(name, "anonymous") == 0) {
			if (parse_bool(value, &f->anonymous) < 0)
				return fail(p, line, "anonymous must be yes or no",
				            value);
			return 1;
		}
		/* What belongs to the type: reptype.c reads it. */
		if (strcmp(name, "order") == 0 ||
		    strcmp(name, "keyring") == 0 ||
		    strcmp(name, "role") == 0 || strcmp(name, "path") == 0 ||
		    strcmp(name, "first_admin") == 0 ||
		    strcmp(name, "oral") == 0)
			return 1;
		return fail(p, line, "unknown key", name);
	}
	if (strncmp(section, "field ", 6) == 0) {
		const char *fname = section + 6;
		struct form_field *fld;
		size_t i;

		if (!valid_name(fname))
			return fail(p, line, "field names are lower-case letters, "
			            "digits and _", fname);
		fld = f->nfields ? &f->fields[f->nfields - 1] : NULL;
		if (!fld || strcmp(fld->name, fname) != 0) {
			for (i = 0; i < f->nfields; i++)
				if (strcmp(f->fields[i].name, fname) == 0)
					return fail(p, line, "field defined twice",
					            fname);
			f->fields = realloc(f->fields,
			                    (f->nfields + 1) * sizeof(*f->fields));
			if (!f->fields)
				die("out of memory");
			fld = &f->fields[f->nfields++];
			memset(fld, 0, sizeof(*fld));
			fld->name = xstrdup(fname);
			fld->kind = FIELD_TEXT;
			fld->line = line;
		}
		return field_key(p, fld, name, value, line);
	}
	return fail(p, line, "unknown section", section);
}

/* Rules that need the whole file. */
static int
check_form(struct parse *p)
{
	struct form *f = p->form;
	size_t i, k;

	if (!p->have_type)
		return fail(p, 1, "[form] needs a type", NULL), -1;
	if (!f->nfields)
		return fail(p, 1, "a form needs at least one [field]", NULL), -1;
	for (i = 0; i < f->nfields; i++) {
		struct form_field *fld = &f->fields[i];

		if (has_options(fld->kind) != (fld->noptions > 0))
			return fail(p, fld->line, has_options(fld->kind)
			            ? "this kind needs options"
			            : "only choice, select and multi take options",
			            fld->name), -1;
		if (fld->when_field) {
			const struct form_field *on = form_field(f, fld->when_field);
			int found = 0;

			if (!on || on == fld || !has_options(on->kind))
				return fail(p, fld->line, "when names no field "
				            "with options", fld->when_field), -1;
			for (k = 0; k < on->noptions; k++)
				found |= strcmp(on->options[k], fld->when_value) == 0;
			if (!found)
				return fail(p, fld->line, "when names an unknown "
				            "option", fld->when_value), -1;
		}
		if (fld->kind == FIELD_FILES && fld->store != STORE_CONTENT)
			return fail(p, fld->line, "files are always content",
			            fld->name), -1;
		/* Who the reporter is never goes to the statistics, and a
		 * file is sealed on its own (report.c), not with identity. */
		if (fld->identity && (fld->store != STORE_CONTENT ||
		                      fld->kind == FIELD_FILES))
			return fail(p, fld->line, "an identity field is content "
			            "and not files", fld->name), -1;
	}
	return 0;
}

static int
by_name_cmp(const void *x, const void *y)
{
	const struct form_field *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* f->by_name, for form_encode. */
static void
sort_by_name(struct form *f)
{
	size_t i;

	f->by_name = calloc(f->nfields, sizeof(*f->by_name));
	if (!f->by_name)
		die("out of memory");
	for (i = 0; i < f->nfields; i++)
		f->by_name[i] = &f->fields[i];
	qsort(f->by_name, f->nfields, sizeof(*f->by_name), by_name_cmp);
}

int
form_parse(const char *file, const char *text, struct form **out)
{
	struct parse p = { file, NULL, 0, 0 };
	int line;

	*out = NULL;
	p.form = calloc(1, sizeof(*p.form));
	if (!p.form)
		die("out of memory");
	line = inifile_parse(text, handle, &p);
	if (line != 0 && !p.failed)
		fail(&p, line, "cannot parse this line", NULL);
	if (p.failed || check_form(&p) < 0) {
		form_free(p.form);
		return -1;
	}
	sort_by_name(p.form);
	*out = p.form;
	return 0;
}

void
form_free(struct form *f)
{
	size_t i, k;

	if (!f)
		return;
	for (i = 0; i < f->nfields; i++) {
		struct form_field *fld = &f->fields[i];

		for (k = 0; k < fld->noptions; k++)
			free(fld->options[k]);
		free(fld->options);
		free(fld->name);
		free(fld->when_field);
		free(fld->when_value);
	}
	free(f->fields);
	free(f->by_name);
	free(f);
}

static struct form *loaded[REPORT_TYPES_MAX];

int
forms_load(void)
{
	size_t t, n = report_types_count();

	pthread_once(&json_once, json_wiping);
	for (t = 0; t < n; t++) {
		struct buf path = BUF_INIT, name = BUF_INIT;
		const struct schema_file *sf;
		struct form *f;

		buf_addf(&path, "forms/%s.ini",
		         report_type_name((enum report_type)t));
		buf_addf(&name, "schema/%s", path.data);
		sf = schema_find(path.data);
		if (!sf || form_parse(name.data, sf->text, &f) < 0) {
			if (!sf)
				error("%s is missing", name.data);
			buf_release(&path);
			buf_release(&name);
			return -1;
		}
		if ((size_t)f->type != t) {
			error("%s: its type does not match its file name", name.data);
			buf_release(&path);
			buf_release(&name);
			form_free(f);
			return -1;
		}
		buf_release(&path);
		buf_release(&name);
		form_free(loaded[t]);
		loaded[t] = f;
	}
	return 0;
}

const struct form *
forms_get(enum report_type t)
{
	return (size_t)t < REPORT_TYPES_MAX ? loaded[t] : NULL;
}

void
forms_free(void)
{
	size_t t;

	for (t = 0; t < REPORT_TYPES_MAX; t++) {
		form_free(loaded[t]);
		loaded[t] = NULL;
	}
}

const struct form_field *
form_field(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return &f->fields[i];
	return NULL;
}

void
answers_init(struct answers *a)
{
	memset(a, 0, sizeof(*a));
}

void
answers_add(struct answers *a, const char *name, const char *value, size_t len)
{
	if (a->n == a->cap)
		a->items = buf_grow_array(a->items, &a->cap,
		                          sizeof(*a->items), 32);
	a->items[a->n].name = name;
	a->items[a->n].value = value;
	a->items[a->n].len = len;
	a->items[a->n].cut = 0;
	a->n++;
}

void
answers_add_cut(struct answers *a, const char *name, const char *value,
                size_t len)
{
	answers_add(a, name, value, len);
	a->items[a->n - 1].cut = 1;
}

void
answers_release(struct answers *a)
{
	free(a->items);
	answers_init(a);
}

const char *
answers_get(const struct answers *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->items[i].name, name) == 0)
			return a->items[i].value;
	return NULL;
}

int
utf8_valid_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p, need, cp, min;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f)
				return 0;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= need)
			return 0;
		for (p++; need; need--, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (*p & 0x3f);
		}
		/* Overlong forms, surrogates and beyond U+10FFFF. */
		if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
	}
	return 1;
}

/* Characters, not bytes: a limit people can understand. */
static size_t
utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static int
is_option(const struct form_field *fld, const char *v)
{
	size_t i;

	for (i = 0; i < fld->noptions; i++)
		if (strcmp(fld->options[i], v) == 0)
			return 1;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static enum field_error
check_date(const char *v, int past, time_t now)
{
	char today[11];
	struct tm tm;
	long y, m, d;
	int i;

	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return FIELD_BAD_DATE;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			return FIELD_BAD_DATE;
	if (num_parse_n(v, 4, 1900, 9999, &y) < 0 ||
	    num_parse_n(v + 5, 2, 1, 12, &m) < 0 ||
	    num_parse_n(v + 8, 2, 1, 31, &d) < 0 ||
	    d > days_in_month((int)y, (int)m))
		return FIELD_BAD_DATE;
	/* Local time: "today" is what the reporter's calendar says. */
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (past && strcmp(v, today) > 0)
		return FIELD_FUTURE_DATE;
	return FIELD_OK;
}

static enum field_error
check_time(const char *v)
{
	long h, mi;

	if (strlen(v) != 5 || v[2] != ':' || !isdigit((unsigned char)v[0]) ||
	    !isdigit((unsigned char)v[1]) || !isdigit((unsigned char)v[3]) ||
	    !isdigit((unsigned char)v[4]) || num_parse_n(v, 2, 0, 23, &h) < 0 ||
	    num_parse_n(v + 3, 2, 0, 59, &mi) < 0)
		return FIELD_BAD_TIME;
	return FIELD_OK;
}

static enum field_error
check_email(const char *v)
{
	const char *at = strchr(v, '@');

	/* Deliberately loose: one @, something before, a dot after. */
	if (!at || at == v || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    strpbrk(v, " \t<>\"'(),;:[]\\") || at[1] == '.' ||
	    v[strlen(v) - 1] == '.')
		return FIELD_BAD_EMAIL;
	return FIELD_OK;
}

static enum field_error
check_phone(const char *v)
{
	size_t digits = 0;

	for (; *v; v++) {
		if (isdigit((unsigned char)*v))
			digits++;
		else if (!strchr("+-() ", *v))
			return FIELD_BAD_PHONE;
	}
	return digits >= 6 && digits <= 15 ? FIELD_OK : FIELD_BAD_PHONE;
}

int
form_field_asked(const struct form_field *fld, const struct answers *a)
{
	const char *v;
	size_t i;

	if (!fld->when_field)
		return 1;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->items[i].name, fld->when_field) != 0)
			continue;
		v = a->items[i].value;
		if (strcmp(v, fld->when_value) == 0)
			return 1;
	}
	return 0;
}

static enum field_error
check_answers(const struct form_field *fld, const struct answers *a,
              size_t field_max, time_t now)
{
	size_t i, seen = 0, max = fld->max ? fld->max : field_max;

	if (fld->kind == FIELD_FILES)
		return FIELD_OK;	/* files are checked by the upload limits */
	if (!form_field_asked(fld, a))
		return FIELD_OK;
	for (i = 0; i < a->n; i++) {
		const struct answer *an = &a->items[i];
		enum field_error e = FIELD_OK;

		if (strcmp(an->name, fld->name) != 0)
			continue;
		if (!utf8_valid_text(an->value, an->len))
			return FIELD_BAD_TEXT;
		if (an->len == 0)
			continue;	/* an empty answer is no answer */
		if (utf8_length(an->value, an->len) > max)
			return FIELD_TOO_LONG;
		if (++seen > 1 && fld->kind != FIELD_MULTI)
			return FIELD_BAD_OPTION;
		switch (fld->kind) {
		case FIELD_CHOICE:
		case FIELD_SELECT:
		case FIELD_MULTI:
			if (!is_option(fld, an->value))
				e = FIELD_BAD_OPTION;
			break;
		case FIELD_DATE:
			e = check_date(an->value, fld->past, now);
			break;
		case FIELD_TIME:
			e = check_time(an->value);
			break;
		case FIELD_EMAIL:
			e = check_email(an->value);
			break;
		case FIELD_PHONE:
			e = check_phone(an->value);
			break;
		default:
			break;
		}
		if (e != FIELD_OK)
			return e;
	}
	if (!seen && fld->required)
		return FIELD_MISSING;
	return FIELD_OK;
}

/*
 * A field's first problem; with nothing else wrong, a text the request
 * reader cut at its limit is too long (what was kept may look fine).
 */
static enum field_error
check_field(const struct form_field *fld, const struct answers *a,
            size_t field_max, time_t now)
{
	enum field_error e = check_answers(fld, a, field_max, now);
	size_t i;

	if (e != FIELD_OK || fld->kind == FIELD_FILES)
		return e;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->items[i].name, fld->name) == 0)
			return a->items[i].cut ? FIELD_TOO_LONG : FIELD_OK;
	return FIELD_OK;
}

size_t
form_check(const struct form *f, const struct answers *a, size_t field_max,
           time_t now, enum field_error *errors)
{
	size_t i, bad = 0;

	for (i = 0; i < f->nfields; i++) {
		errors[i] = check_field(&f->fields[i], a, field_max, now);
		if (errors[i] != FIELD_OK)
			bad++;
	}
	return bad;
}

/*
 * One field's answers as a JSON value: the first non-empty answer, or for
 * check boxes an array of all. 0 when it had none (and nothing written).
 */
static int
field_json(struct buf *b, const struct form_field *fld, const struct answers *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++) {
		const struct answer *an = &a->items[i];

		if (strcmp(an->name, fld->name) != 0 || an->len == 0)
			continue;
		if (fld->kind != FIELD_MULTI) {
			buf_add_json(b, an->value, an->len, 0);
			return 1;
		}
		buf_addch(b, n++ ? ',' : '[');
		buf_add_json(b, an->value, an->len, 0);
	}
	if (n)
		buf_addch(b, ']');
	return n > 0;
}

/* Which answers a document holds. */
enum part {
	PART_ALL,		/* every answer (form_encode's content) */
	PART_STATS,		/* the statistical ones */
	PART_CONTENT,		/* every answer but the identity ones */
	PART_IDENTITY,		/* only the identity ones */
};

static int
in_part(const struct form_field *fld, enum part part)
{
	switch (part) {
	case PART_STATS:
		return fld->store == STORE_STATS;
	case PART_CONTENT:
		return !fld->identity;
	case PART_IDENTITY:
		return fld->identity;
	case PART_ALL:
		break;
	}
	return 1;
}

/*
 * The "answers" object: every asked field of part with an answer, in the
 * order of their names (jansson's JSON_SORT_KEYS order, which the
 * documents had before). *nstats gets the number of statistical fields
 * asked. The number of members written.
 */
static size_t
answers_json(struct buf *b, const struct form *f, const struct answers *a,
             enum part part, size_t *nstats)
{
	size_t i, members = 0;

	*nstats = 0;
	buf_adds(b, "\"answers\":{");
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *fld = f->by_name[i];
		size_t mark = b->len;

		if (fld->kind == FIELD_FILES || !form_field_asked(fld, a))
			continue;
		if (fld->store == STORE_STATS)
			(*nstats)++;
		if (!in_part(fld, part))
			continue;
		if (members)
			buf_addch(b, ',');
		buf_add_json(b, fld->name, strlen(fld->name), 0);
		buf_addch(b, ':');
		if (field_json(b, fld, a))
			members++;
		else
			buf_truncate(b, mark);
	}
	buf_addch(b, '}');
	return members;
}

static void
add_form_member(struct buf *b, const struct form *f)
{
	buf_adds(b, ",\"form\":");
	buf_add_json(b, report_type_name(f->type),
	             strlen(report_type_name(f->type)), 0);
}

static int
encode(const struct form *f, const struct answers *a, char **content,
       char **stats, char **identity)
{
	struct buf c = BUF_INIT, s = BUF_INIT, id = BUF_INIT;
	char now[CLOCK_TEXT_LEN + 1];
	size_t nstats, named = 0;

	/*
	 * The content holds every answer (but, with identity, those that
	 * say who the reporter is), so handlers and the reporter see the
	 * report as it was sent; the statistical answers are also sealed on
	 * their own for the statistiek keyring. Of the moment of reporting
	 * even the sealed content keeps the day alone: who opens it may hold
	 * the proxy's log of who came in when (daycount.h).
	 */
	zone_day_text(clock_now(), now);
	if (identity) {
		buf_addch(&id, '{');
		named = answers_json(&id, f, a, PART_IDENTITY, &nstats);
		add_form_member(&id, f);
		buf_addch(&id, '}');
	}
	buf_addch(&c, '{');
	answers_json(&c, f, a, identity ? PART_CONTENT : PART_ALL, &nstats);
	if (nstats) {
		buf_addch(&s, '{');
		answers_json(&s, f, a, PART_STATS, &nstats);
		add_form_member(&s, f);
		buf_addch(&s, '}');
		*stats = buf_detach(&s, NULL);
	} else {
		*stats = NULL;
	}
	add_form_member(&c, f);
	buf_adds(&c, ",\"received_at\":");
	buf_add_json(&c, now, strlen(now), 0);
	if (identity)
		buf_adds(&c, named ? ",\"reporter\":\"named\""
		                   : ",\"reporter\":\"anonymous\"");
	buf_addch(&c, '}');
	*content = buf_detach(&c, NULL);
	if (identity)
		*identity = buf_detach(&id, NULL);
	return 0;
}

/* Bytes of s as buf_add_json writes it, quotes included. */
static size_t
json_len(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n;

	buf_add_json(&b, s, strlen(s), 0);
	n = b.len;
	buf_release(&b);
	return n;
}

/* The longest value field_json writes for fld. */
static size_t
field_json_max(const struct form_field *fld, size_t field_max)
{
	size_t k, n = 0, max = fld->max ? fld->max : field_max;

	switch (fld->kind) {
	case FIELD_CHOICE:
	case FIELD_SELECT:
		for (k = 0; k < fld->noptions; k++)
			if (json_len(fld->options[k]) > n)
				n = json_len(fld->options[k]);
		return n;
	case FIELD_MULTI:
		/* [ "a" , "b" ]: each option once. */
		for (k = 0; k < fld->noptions; k++)
			n += json_len(fld->options[k]) + 1;
		return n + 1;
	case FIELD_DATE:
		return 2 + 10;		/* "2026-12-07" (check_date) */
	case FIELD_TIME:
		return 2 + 5;		/* "09:30" (check_time) */
	default:
		/*
		 * A character is at most 4 bytes of UTF-8; the ones escaped
		 * (quote, backslash, tab, newlines) take 2: no control
		 * character passes utf8_valid_text.
		 */
		return 2 + 4 * max;
	}
}

size_t
form_stats_max(const struct form *f, size_t field_max)
{
	struct buf b = BUF_INIT;
	size_t i, n;

	/* {"answers":{...},"form":"type"}, as form_encode writes it. */
	buf_adds(&b, "{\"answers\":{},\"form\":");
	buf_add_json(&b, report_type_name(f->type),
	             strlen(report_type_name(f->type)), 0);
	buf_addch(&b, '}');
	n = b.len;
	buf_release(&b);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];

		if (fld->store != STORE_STATS || fld->kind == FIELD_FILES)
			continue;
		/* "name": value, */
		n += json_len(fld->name) + 2 + field_json_max(fld, field_max);
	}
	return n;
}

int
form_encode(const struct form *f, const struct answers *a, char **content,
            char **stats)
{
	return encode(f, a, content, stats, NULL);
}

int
form_encode_parts(const struct form *f, const struct answers *a,
                  char **content, char **stats, char **identity)
{
	return encode(f, a, content, stats, identity);
}

int
form_has_identity(const struct form *f)
{
	size_t i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].identity)
			return 1;
	return 0;
}
