/*
 * i18n.c - message catalogues (see i18n.h).
 *
 * Each catalogue is parsed once at start into a sorted array; lookups are a
 * binary search. The catalogues never change while the server runs, so no
 * lock is needed after i18n_load.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "inifile.h"
#include "log.h"
#include "schema.h"

struct entry {
	char *key;
	char *text;
};

struct catalogue {
	struct entry *entries;
	size_t n, cap;
};

static struct catalogue catalogues[LANG_COUNT];
static const char *const codes[LANG_COUNT] = { "nl", "en" };
static int loaded;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

const char *
i18n_code(enum lang l)
{
	return codes[l];
}

int
i18n_parse(const char *code, enum lang *l)
{
	int i;

	for (i = 0; i < LANG_COUNT; i++)
		if (strcmp(code, codes[i]) == 0) {
			*l = (enum lang)i;
			return 0;
		}
	return -1;
}

static int
add_entry(void *user, const char *section, const char *name, const char *value,
          int line)
{
	struct catalogue *c = user;
	struct buf key = BUF_INIT;
	struct entry *e;

	(void)line;
	if (*section)
		buf_addf(&key, "%s.%s", section, name);
	else
		buf_adds(&key, name);
	/*
	 * An indented line continues the text before it (inih calls us again
	 * with the same name): long texts are wrapped in the file.
	 */
	if (c->n && strcmp(c->entries[c->n - 1].key, key.data) == 0) {
		struct buf text = BUF_INIT;

		e = &c->entries[c->n - 1];
		buf_addf(&text, "%s %s", e->text, value);
		free(e->text);
		e->text = buf_detach(&text, NULL);
		buf_release(&key);
		return 1;
	}
	buf_release(&key);

	if (c->n == c->cap)
		c->entries = buf_grow_array(c->entries, &c->cap,
		                            sizeof(*c->entries), 256);
	if (*section)
		buf_addf(&key, "%s.%s", section, name);
	else
		buf_adds(&key, name);
	e = &c->entries[c->n++];
	e->key = buf_detach(&key, NULL);
	e->text = strdup(value);
	if (!e->text)
		die("out of memory");
	return 1;
}

static int
compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
	              ((const struct entry *)b)->key);
}

static const struct entry *
find(const struct catalogue *c, const char *key)
{
	struct entry probe = { (char *)(uintptr_t)key, NULL };

	return bsearch(&probe, c->entries, c->n, sizeof(*c->entries),
	               compare_entries);
}

static int
load_one(enum lang l)
{
	struct buf path = BUF_INIT;
	const struct schema_file *f;
	struct catalogue *c = &catalogues[l];
	size_t i;
	int line;

	buf_addf(&path, "messages/%s.ini", codes[l]);
	f = schema_find(path.data);
	if (!f) {
		buf_release(&path);
		return error("schema/%s is missing", path.data);
	}
	line = inifile_parse(f->text, add_entry, c);
	if (line != 0) {
		error("schema/%s line %d: cannot parse", path.data, line);
		buf_release(&path);
		return -1;
	}
	qsort(c->entries, c->n, sizeof(*c->entries), compare_entries);
	for (i = 1; i < c->n; i++)
		if (strcmp(c->entries[i - 1].key, c->entries[i].key) == 0) {
			error("schema/%s: key %s appears twice", path.data,
			      c->entries[i].key);
			buf_release(&path);
			return -1;
		}
	buf_release(&path);
	return 0;
}

int
i18n_load(void)
{
	size_t i;
	int ret = -1;

	pthread_mutex_lock(&load_lock);
	if (loaded) {
		ret = 0;
		goto out;
	}
	if (load_one(LANG_NL) < 0 || load_one(LANG_EN) < 0)
		goto out;
	/* Same keys in both: a page must never fall back to a raw key. */
	for (i = 0; i < catalogues[LANG_NL].n; i++)
		if (!find(&catalogues[LANG_EN], catalogues[LANG_NL].entries[i].key)) {
			error("schema/messages/en.ini lacks %s",
			      catalogues[LANG_NL].entries[i].key);
			goto out;
		}
	for (i = 0; i < catalogues[LANG_EN].n; i++)
		if (!find(&catalogues[LANG_NL], catalogues[LANG_EN].entries[i].key)) {
			error("schema/messages/nl.ini lacks %s",
			      catalogues[LANG_EN].entries[i].key);
			goto out;
		}
	loaded = 1;
	ret = 0;
out:
	pthread_mutex_unlock(&load_lock);
	return ret;
}

const char *
i18n_get(enum lang l, const char *key)
{
	const struct entry *e = find(&catalogues[l], key);

	if (!e) {
		log_warn("no text for %s in the %s catalogue", key, codes[l]);
		return key;
	}
	return e->text;
}

int
i18n_has(const char *key)
{
	return find(&catalogues[LANG_NL], key) != NULL;
}

void
i18n_fill(struct buf *b, const char *text, ...)
{
	const char *p = text;

	while (*p) {
		const char *open = strchr(p, '{'), *close, *name, *value = NULL;
		va_list ap;

		if (!open || !(close = strchr(open, '}'))) {
			buf_adds(b, p);
			return;
		}
		buf_add(b, p, (size_t)(open - p));
		va_start(ap, text);
		while ((name = va_arg(ap, const char *)) != NULL) {
			const char *v = va_arg(ap, const char *);

			if (strlen(name) == (size_t)(close - open - 1) &&
			    strncmp(name, open + 1, (size_t)(close - open - 1)) == 0) {
				value = v;
				break;
			}
		}
		va_end(ap);
		if (value)
			buf_adds(b, value);
		else
			buf_add(b, open, (size_t)(close - open + 1));
		p = close + 1;
	}
}
