/*
 * reptype.c - the table of report types, read from schema/forms/ (see
 * reptype.h).
 *
 * Only the [form] section of each form file is read here; form.c reads
 * the questions. The table is filled once (pthread_once) and only read
 * after that, so threads share it without a lock.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "log.h"
#include "reptype.h"
#include "schema.h"
#include "users.h"

struct reptype {
	char name[REPORT_TYPE_NAME_MAX + 1];
	char keyring[REPORT_TYPE_NAME_MAX + 1];
	char path[REPORT_TYPE_NAME_MAX + 1];
	unsigned role;
	unsigned oral;		/* roles that record oral reports; 0: none */
	int order;
	int first_admin;	/* -1 until given */
};

/* The types the code has features for, by their fixed number. */
static const char *const named[] = {
	[REPORT_INCIDENT] = "incident",
	[REPORT_SIGNAL] = "signal",
};

static struct reptype table[REPORT_TYPES_MAX];
static size_t ntypes;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

struct check {
	const char *file;
	struct reptype t;
	char *errors;
	size_t size;
	int failed;
};

static int
fail(struct check *c, int line, const char *what, const char *value)
{
	if (!c->failed)
		snprintf(c->errors, c->size, "%s:%d: %s%s%s%s", c->file, line,
		         what, value ? " '" : "", value ? value : "",
		         value ? "'" : "");
	c->failed = 1;
	return 0;
}

/* a-z, 0-9, _ (names) or - (paths), 1..REPORT_TYPE_NAME_MAX long. */
static int
valid(const char *s, char extra)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == extra))
			return 0;
	return n > 0 && n <= REPORT_TYPE_NAME_MAX;
}

static int
handle(void *user, const char *section, const char *name, const char *value,
       int line)
{
	struct check *c = user;
	struct reptype *t = &c->t;

	if (c->failed || strcmp(section, "form") != 0)
		return 1;
	if (strcmp(name, "type") == 0 || strcmp(name, "keyring") == 0) {
		char *to = name[0] == 't' ? t->name : t->keyring;

		if (!valid(value, '_'))
			return fail(c, line, "names are a-z, 0-9 and _", value);
		snprintf(to, REPORT_TYPE_NAME_MAX + 1, "%s", value);
	} else if (strcmp(name, "path") == 0) {
		if (!valid(value, '-'))
			return fail(c, line, "a path is a-z, 0-9 and -", value);
		snprintf(t->path, sizeof(t->path), "%s", value);
	} else if (strcmp(name, "role") == 0) {
		t->role = role_parse(value);
		if (!t->role || t->role == ROLE_ADMIN)
			return fail(c, line, "role names no handling role", value);
	} else if (strcmp(name, "order") == 0) {
		char *end;
		long v = strtol(value, &end, 10);

		if (*value < '1' || *value > '9' || *end ||
		    v > REPORT_TYPES_MAX)
			return fail(c, line, "order is 1, 2, ... (at most "
			            "REPORT_TYPES_MAX)", value);
		t->order = (int)v;
	} else if (strcmp(name, "first_admin") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return fail(c, line, "first_admin is yes or no", value);
		t->first_admin = strcmp(value, "yes") == 0;
	} else if (strcmp(name, "oral") == 0) {
		/* The roles that record an oral report of this type. */
		char word[32];
		const char *p = value;

		t->oral = 0;
		while (*p) {
			size_t n = strcspn(p, " ");
			unsigned r;

			if (n == 0) {
				p++;
				continue;
			}
			if (n >= sizeof(word))
				return fail(c, line, "oral names roles", value);
			memcpy(word, p, n);
			word[n] = '\0';
			r = role_parse(word);
			if (!r || r == ROLE_ADMIN)
				return fail(c, line, "oral names roles that record "
				            "a conversation (not admin)", word);
			t->oral |= r;
			p += n;
		}
		if (!t->oral)
			return fail(c, line, "oral names at least one role", value);
	}
	return 1;
}

/* Read one form file's declaration into *t. 0 or -1. */
static int
read_one(const struct schema_file *f, struct reptype *t, char *errors,
         size_t size)
{
	struct check c = { f->path, { .first_admin = -1 }, errors, size, 0 };
	const char *base = f->path + strlen("forms/");
	size_t len = strlen(base) - strlen(".ini");
	int line = inifile_parse(f->text, handle, &c);

	if (line != 0 && !c.failed)
		fail(&c, line, "cannot parse this line", NULL);
	if (!c.failed && (!c.t.name[0] || !c.t.keyring[0] || !c.t.path[0] ||
	                  !c.t.role || !c.t.order || c.t.first_admin < 0))
		fail(&c, 1, "[form] needs type, order, keyring, role, path "
		     "and first_admin", NULL);
	if (!c.failed && (strlen(c.t.name) != len ||
	                  strncmp(c.t.name, base, len) != 0))
		fail(&c, 1, "the type differs from the file's name", c.t.name);
	*t = c.t;
	return c.failed ? -1 : 0;
}

static int
is_form(const char *path)
{
	size_t n = strlen(path);

	return strncmp(path, "forms/", 6) == 0 && n > 10 &&
	       strcmp(path + n - 4, ".ini") == 0 && !strchr(path + 6, '/');
}

static const struct schema_file *
find(const struct schema_file *files, const char *path)
{
	for (; files->path; files++)
		if (strcmp(files->path, path) == 0)
			return files;
	return NULL;
}

/* Fill out[order - 1] from files. 0 and *n, or -1 with errors. */
static int
read_table(const struct schema_file *files, struct reptype *out, size_t *n,
           char *errors, size_t size)
{
	const struct schema_file *f;
	char wf[REPORT_TYPE_NAME_MAX + 32];
	struct reptype t;
	size_t count = 0, i, k;

	memset(out, 0, REPORT_TYPES_MAX * sizeof(*out));
	for (f = files; f->path; f++) {
		if (!is_form(f->path))
			continue;
		if (read_one(f, &t, errors, size) < 0)
			return -1;
		if (out[t.order - 1].order) {
			snprintf(errors, size, "%s: order %d is taken by %s",
			         f->path, t.order, out[t.order - 1].name);
			return -1;
		}
		snprintf(wf, sizeof(wf), "workflows/%s.ini", t.name);
		if (!find(files, wf)) {
			snprintf(errors, size, "%s: there is no schema/%s",
			         f->path, wf);
			return -1;
		}
		out[t.order - 1] = t;
		count++;
	}
	for (i = 0; i < count; i++) {
		if (!out[i].order) {
			snprintf(errors, size, "schema/forms: no type has order "
			         "%zu", i + 1);
			return -1;
		}
		for (k = 0; k < i; k++)
			if (strcmp(out[i].keyring, out[k].keyring) == 0 ||
			    strcmp(out[i].path, out[k].path) == 0) {
				snprintf(errors, size, "schema/forms: %s and %s "
				         "share a keyring or a path",
				         out[k].name, out[i].name);
				return -1;
			}
	}
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (i >= count || strcmp(out[i].name, named[i]) != 0) {
			snprintf(errors, size, "schema/forms: order %zu must be "
			         "the type %s", i + 1, named[i]);
			return -1;
		}
	*n = count;
	return 0;
}

int
report_types_check(const struct schema_file *files, size_t *n, char *errors,
                   size_t size)
{
	struct reptype tmp[REPORT_TYPES_MAX];

	return read_table(files, tmp, n, errors, size);
}

static void
load(void)
{
	char errors[512];

	if (read_table(schema_files, table, &ntypes, errors,
	               sizeof(errors)) < 0)
		die("the report types of schema/forms are broken: %s", errors);
}

static const struct reptype *
get(enum report_type t)
{
	pthread_once(&table_once, load);
	if ((size_t)t >= ntypes)
		die("report type %d is not one of schema/forms", (int)t);
	return &table[t];
}

size_t
report_types_count(void)
{
	pthread_once(&table_once, load);
	return ntypes;
}

const char *
report_type_name(enum report_type t)
{
	return get(t)->name;
}

const char *
report_type_keyring(enum report_type t)
{
	return get(t)->keyring;
}

unsigned
report_type_role(enum report_type t)
{
	return get(t)->role;
}

const char *
report_type_path(enum report_type t)
{
	return get(t)->path;
}

int
report_type_first_admin(enum report_type t)
{
	return get(t)->first_admin;
}

unsigned
report_type_oral(enum report_type t)
{
	return get(t)->oral;
}

unsigned
report_types_roles(void)
{
	unsigned roles = 0;
	size_t i;

	for (i = 0; i < report_types_count(); i++)
		roles |= table[i].role;
	return roles;
}

/* The type whose field at offset off equals value. 0 and *t, or -1. */
static int
by_field(size_t off, const char *value, enum report_type *t)
{
	size_t i;

	for (i = 0; i < report_types_count(); i++)
		if (strcmp((const char *)&table[i] + off, value) == 0) {
			*t = (enum report_type)i;
			return 0;
		}
	return -1;
}

int
report_type_parse(const char *name, enum report_type *t)
{
	return by_field(offsetof(struct reptype, name), name, t);
}

int
report_type_by_path(const char *path, enum report_type *t)
{
	return by_field(offsetof(struct reptype, path), path, t);
}

int
report_type_by_keyring(const char *name, enum report_type *t)
{
	return by_field(offsetof(struct reptype, keyring), name, t);
}
