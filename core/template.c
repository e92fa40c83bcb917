/*
 * template.c - reading and checking the document templates of
 * schema/templates/ (see template.h).
 *
 * A template is small (a few dozen keys in two languages): its entries
 * are kept in arrays and found by a linear search. An indented line
 * continues the text before it, joined with a space, as in the message
 * catalogues; a new paragraph is a key of its own.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "log.h"
#include "schema.h"
#include "template.h"

/* The most templates one program loads (paperwork.c has two). */
#define TEMPLATES_MAX 8

struct tentry {
	char *key;
	char *text;
	int line;
};

struct template {
	char *name;
	enum report_type type;
	int have_type;
	struct tentry *entries[TEMPLATE_LANGS];
	size_t n[TEMPLATE_LANGS], cap[TEMPLATE_LANGS];
};

struct parse {
	struct template *t;
	const char *file;
	const struct template_spec *spec;
	struct buf *errors;
	int failed;
	int section_line[TEMPLATE_LANGS];
	enum template_lang last_lang;
	int last_valid;
};

static const char *const lang_codes[TEMPLATE_LANGS] = { "nl", "en" };

static struct template *loaded[TEMPLATES_MAX];
static size_t nloaded;

static int
listed(const char *const *list, const char *name, size_t len)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0)
			return 1;
	return 0;
}

static int
fail(struct parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A problem at line of the file: noted, and 0 (inih: stop). */
static int
fail(struct parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	buf_addf(p->errors, "%s:%d: ", p->file, line);
	va_start(ap, fmt);
	buf_vaddf(p->errors, fmt, ap);
	va_end(ap);
	buf_addch(p->errors, '\n');
	p->failed = 1;
	return 0;
}

/* Every {name} of text is one the spec allows, every brace closed. */
static int
check_placeholders(struct parse *p, const char *text, int line)
{
	const char *s = text, *open, *close;

	while ((open = strpbrk(s, "{}"))) {
		if (*open == '}')
			return fail(p, line, "a '}' without its '{'");
		close = strchr(open + 1, '}');
		if (!close || memchr(open + 1, '{', (size_t)(close - open - 1)))
			return fail(p, line, "a '{' without its '}'");
		if (!listed(p->spec->placeholders, open + 1,
		            (size_t)(close - open - 1))) {
			struct buf name = BUF_INIT;
			int r;

			buf_add(&name, open + 1, (size_t)(close - open - 1));
			r = fail(p, line, "unknown placeholder {%s}", name.data);
			buf_release(&name);
			return r;
		}
		s = close + 1;
	}
	return 1;
}

static int
add_text(struct parse *p, enum template_lang l, const char *name,
         const char *value, int line)
{
	struct template *t = p->t;
	struct tentry *e;
	size_t i;

	/* An indented line continues the text before it. */
	if (p->last_valid && p->last_lang == l && t->n[l] &&
	    strcmp(t->entries[l][t->n[l] - 1].key, name) == 0) {
		struct buf text = BUF_INIT;

		e = &t->entries[l][t->n[l] - 1];
		buf_addf(&text, "%s %s", e->text, value);
		free(e->text);
		e->text = buf_detach(&text, NULL);
		return check_placeholders(p, value, line);
	}
	if (!listed(p->spec->keys, name, strlen(name)))
		return fail(p, line, "unknown key '%s'", name);
	for (i = 0; i < t->n[l]; i++)
		if (strcmp(t->entries[l][i].key, name) == 0)
			return fail(p, line, "'%s' is given twice", name);
	if (t->n[l] == t->cap[l])
		t->entries[l] = buf_grow_array(t->entries[l], &t->cap[l],
		                               sizeof(*t->entries[l]), 32);
	e = &t->entries[l][t->n[l]++];
	e->key = strdup(name);
	e->text = strdup(value);
	e->line = line;
	if (!e->key || !e->text)
		die("out of memory");
	p->last_lang = l;
	p->last_valid = 1;
	return check_placeholders(p, value, line);
}

static int
on_entry(void *user, const char *section, const char *name, const char *value,
         int line)
{
	struct parse *p = user;
	int l;

	if (strcmp(section, "template") == 0) {
		p->last_valid = 0;
		if (strcmp(name, "type") != 0)
			return fail(p, line, "unknown key '%s' in [template]",
			            name);
		if (strcmp(value, "any") == 0)
			return 1;
		if (report_type_parse(value, &p->t->type) < 0)
			return fail(p, line, "unknown report type '%s'", value);
		p->t->have_type = 1;
		return 1;
	}
	for (l = 0; l < TEMPLATE_LANGS; l++)
		if (strcmp(section, lang_codes[l]) == 0) {
			if (!p->section_line[l])
				p->section_line[l] = line;
			return add_text(p, (enum template_lang)l, name, value,
			                line);
		}
	return fail(p, line, "unknown section [%s] (template, nl or en)",
	            section);
}

int
template_parse(const char *file, const char *text,
               const struct template_spec *spec, struct template **out,
               struct buf *errors)
{
	struct parse p;
	size_t k;
	int line, l;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.t = calloc(1, sizeof(*p.t));
	if (!p.t)
		die("out of memory");
	p.t->name = strdup(spec->name);
	if (!p.t->name)
		die("out of memory");
	p.file = file;
	p.spec = spec;
	p.errors = errors;
	line = inifile_parse(text, on_entry, &p);
	if (line > 0 && !p.failed)
		fail(&p, line, "not a line of an INI file");
	for (l = 0; !p.failed && l < TEMPLATE_LANGS; l++)
		for (k = 0; spec->keys[k]; k++)
			if (!*template_text(p.t, (enum template_lang)l,
			                    spec->keys[k])) {
				buf_addf(errors, "%s:%d: [%s] lacks '%s'\n", file,
				         p.section_line[l] ? p.section_line[l] : 1,
				         lang_codes[l], spec->keys[k]);
				p.failed = 1;
			}
	if (p.failed) {
		template_free(p.t);
		return -1;
	}
	*out = p.t;
	return 0;
}

void
template_free(struct template *t)
{
	size_t i;
	int l;

	if (!t)
		return;
	for (l = 0; l < TEMPLATE_LANGS; l++) {
		for (i = 0; i < t->n[l]; i++) {
			free(t->entries[l][i].key);
			free(t->entries[l][i].text);
		}
		free(t->entries[l]);
	}
	free(t->name);
	free(t);
}

/* Put t in the table, in the place of a template of its name. */
static int
keep(struct template *t)
{
	size_t i;

	for (i = 0; i < nloaded; i++)
		if (strcmp(loaded[i]->name, t->name) == 0) {
			template_free(loaded[i]);
			loaded[i] = t;
			return 0;
		}
	if (nloaded == TEMPLATES_MAX) {
		template_free(t);
		return error("more than %d templates", TEMPLATES_MAX);
	}
	loaded[nloaded++] = t;
	return 0;
}

int
templates_load(const struct template_spec *specs)
{
	struct buf path = BUF_INIT, errors = BUF_INIT;
	const struct schema_file *f;
	struct template *t;
	int ret = 0;

	for (; specs->name; specs++) {
		buf_reset(&path);
		buf_addf(&path, "templates/%s.ini", specs->name);
		f = schema_find(path.data);
		if (!f) {
			ret = error("schema/%s is missing", path.data);
			break;
		}
		buf_reset(&path);
		buf_addf(&path, "schema/templates/%s.ini", specs->name);
		if (template_parse(path.data, f->text, specs, &t, &errors) < 0) {
			ret = error("%s", errors.data);
			break;
		}
		if (keep(t) < 0) {
			ret = -1;
			break;
		}
	}
	buf_release(&path);
	buf_release(&errors);
	return ret;
}

const struct template *
templates_get(const char *name)
{
	size_t i;

	for (i = 0; i < nloaded; i++)
		if (strcmp(loaded[i]->name, name) == 0)
			return loaded[i];
	return NULL;
}

void
templates_free(void)
{
	while (nloaded)
		template_free(loaded[--nloaded]);
}

int
template_fits(const struct template *t, enum report_type type)
{
	return !t->have_type || t->type == type;
}

const char *
template_text(const struct template *t, enum template_lang lang,
              const char *key)
{
	size_t i;

	for (i = 0; i < t->n[lang]; i++)
		if (strcmp(t->entries[lang][i].key, key) == 0)
			return t->entries[lang][i].text;
	return "";
}

void
template_fill(struct buf *out, const char *text, const char *const *names,
              const char *const *values, size_t n)
{
	const char *s = text, *open, *close;
	size_t i;

	while ((open = strchr(s, '{')) && (close = strchr(open, '}'))) {
		buf_add(out, s, (size_t)(open - s));
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == (size_t)(close - open - 1) &&
			    memcmp(names[i], open + 1, strlen(names[i])) == 0)
				break;
		if (i < n)
			buf_adds(out, values[i]);
		else
			buf_add(out, open, (size_t)(close - open + 1));
		s = close + 1;
	}
	buf_adds(out, s);
}
