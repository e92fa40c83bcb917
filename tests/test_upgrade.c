/*
 * test_upgrade.c - installations made by earlier versions open with this
 * one (core/migrate.c, core/install.c): for every fixture under
 * tests/data/fixtures/ (made by tests/make_fixture.c, see the README
 * there), a copy is opened by this program, which runs the migrations it
 * lacks, and then everything its manifest.ini lists must be as it was:
 *
 *   - each report opens with its receipt, and the reporter reads its state
 *     and messages;
 *   - each handler logs in with the manifest's password and TOTP secret and
 *     opens each report's content, messages, notes, workflow events,
 *     assignment and links, and downloads each file, byte for byte;
 *   - the meeting's minutes and the saved norm items are there;
 *   - every figure of every statistics and norm export is the one the old
 *     version saved (a later version may add figures, not change or lose
 *     one);
 *   - every row of reports, messages, attachments, workflow events, notes,
 *     links, agenda items and roles is still there (a migration that
 *     rebuilds a table loses no child of it);
 *   - a reporter's reply keeps its day only, a handler's message its time;
 *   - `meldpunt audit-verify` passes on the upgraded database, and the
 *     schema is at this program's version.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "casenumber.h"
#include "inifile.h"
#include "migrate.h"
#include "secret.h"
#include "testutil.h"

#define MAX_ITEMS 64

/* One [section NAME] of the manifest, with its entries in order. */
struct entry {
	char *key, *value;
};

struct section {
	char *kind;		/* "user", "report", "page", "export", "fixture" */
	char *name;
	struct entry items[MAX_ITEMS];
	size_t n;
};

struct manifest {
	struct section sections[64];
	size_t n;
};

/* A staff member of the manifest, logged in. */
struct login {
	const char *name;
	struct buf cookie;
	struct secret *totp;
};

struct upgrade {
	char *fixture;		/* the folder in the source tree */
	char *dir;		/* the scratch copy */
	struct manifest m;
	struct test_server srv;
	struct login logins[8];
	size_t nlogins;
};

static int
on_entry(void *user, const char *section, const char *name, const char *value,
         int line)
{
	struct manifest *m = user;
	struct section *s = m->n ? &m->sections[m->n - 1] : NULL;
	struct buf whole = BUF_INIT;

	(void)line;
	if (s)
		buf_addf(&whole, "%s%s%s", s->kind, *s->name ? " " : "", s->name);
	if (!s || strcmp(whole.data, section) != 0) {
		const char *space = strchr(section, ' ');

		assert_true(m->n < sizeof(m->sections) / sizeof(m->sections[0]));
		s = &m->sections[m->n++];
		s->kind = space ? strndup(section, (size_t)(space - section))
		                : strdup(section);
		s->name = strdup(space ? space + 1 : "");
	}
	buf_release(&whole);
	assert_true(s->n < MAX_ITEMS);
	s->items[s->n].key = strdup(name);
	s->items[s->n].value = strdup(value);
	s->n++;
	return 1;
}

static void
manifest_release(struct manifest *m)
{
	size_t i, k;

	for (i = 0; i < m->n; i++) {
		for (k = 0; k < m->sections[i].n; k++) {
			free(m->sections[i].items[k].key);
			free(m->sections[i].items[k].value);
		}
		free(m->sections[i].kind);
		free(m->sections[i].name);
	}
}

/* The first value of key in s, asserted to be there. */
static const char *
value_of(const struct section *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->items[i].key, key) == 0)
			return s->items[i].value;
	fail_msg("[%s %s] has no %s", s->kind, s->name, key);
	return NULL;
}

static const struct section *
section_of(const struct manifest *m, const char *kind, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->sections[i].kind, kind) == 0 &&
		    strcmp(m->sections[i].name, name) == 0)
			return &m->sections[i];
	fail_msg("the manifest has no [%s %s]", kind, name);
	return NULL;
}

/* fixture/name, read whole into b. */
static void
read_fixture(const struct upgrade *u, const char *name, struct buf *b)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, "%s/%s", u->fixture, name);
	if (test_read_file(path.data, b) < 0)
		fail_msg("cannot read %s", path.data);
	buf_release(&path);
}

/* The schema version of the database in dir, read without migrating. */
static int
schema_version(const char *dir)
{
	struct buf path = BUF_INIT;
	sqlite3 *conn;
	sqlite3_stmt *st;
	int v = -1;

	buf_addf(&path, "%s/meldpunt.db", dir);
	assert_int_equal(sqlite3_open_v2(path.data, &conn, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT max(version) FROM "
	                 "schema_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	buf_release(&path);
	return v;
}

/* Every user of the manifest with a TOTP secret, logged in. */
static void
log_in_all(struct upgrade *u)
{
	size_t i;

	for (i = 0; i < u->m.n; i++) {
		const struct section *s = &u->m.sections[i];
		struct login *l;
		size_t k;
		int has_totp = 0;

		if (strcmp(s->kind, "user") != 0)
			continue;
		for (k = 0; k < s->n; k++)
			has_totp |= strcmp(s->items[k].key, "totp") == 0;
		if (!has_totp)
			continue;
		assert_true(u->nlogins < sizeof(u->logins) / sizeof(u->logins[0]));
		l = &u->logins[u->nlogins++];
		l->name = s->name;
		buf_init(&l->cookie);
		l->totp = test_totp_decode(value_of(s, "totp"));
		assert_non_null(l->totp);
		/*
		 * The next step's code (accepted as clock drift): a fixture
		 * made in the last 30 seconds used this step's code at its
		 * set-up, and a code is never accepted twice.
		 */
		if (test_staff_login(&u->srv, s->name, value_of(s, "password"),
		                     l->totp, 1, &l->cookie, NULL) < 0)
			fail_msg("%s cannot log in with the manifest's password",
			         s->name);
	}
}

static struct login *
login_of(struct upgrade *u, const char *name)
{
	size_t i;

	for (i = 0; i < u->nlogins; i++)
		if (strcmp(u->logins[i].name, name) == 0)
			return &u->logins[i];
	fail_msg("no login for %s", name);
	return NULL;
}

/* GET path as name; the status, the body in page. */
static long
get_as(struct upgrade *u, const char *name, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&u->srv, "GET", path, NULL,
	                 login_of(u, name)->cookie.data, &status, NULL, page), 0);
	return status;
}

/* Every value of key in s is on page. */
/*
 * What a manifest says a page shows, as the page shows it now: a link to
 * a case by its row ("melding?id=2", fixtures before schema 30) or by
 * {#N} (make_fixture since) is a link by its case number (issue 15
 * point 2), the number the migration gave that row.
 */
static const char *
as_shown(const char *dir, const char *value, struct buf *out)
{
	static const char link[] = "/beheer/melding?id=";
	const char *p = value, *hit;

	buf_reset(out);
	while ((hit = strstr(p, link)) != NULL) {
		const char *d = hit + strlen(link);
		size_t n = strspn(d, "0123456789");

		buf_add(out, p, (size_t)(d - p));
		if (n) {
			buf_adds(out, "{#");
			buf_add(out, d, n);
			buf_adds(out, "}");
		}
		p = d + n;
	}
	buf_adds(out, p);
	return test_cases(dir, out->data);
}

static void
all_shown(const struct upgrade *u, const struct section *s, const char *key,
          const struct buf *page, const char *where)
{
	struct buf want = BUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->items[i].key, key) == 0 &&
		    !strstr(page->data, as_shown(u->srv.dir, s->items[i].value,
		                                 &want)))
			fail_msg("[%s %s]: \"%s\" is no longer on %s", s->kind,
			         s->name, s->items[i].value, where);
	buf_release(&want);
}

/*
 * 1 when text is a case number as stored: of the form case_number_parse
 * takes, and already in its upper-case spelling.
 */
static int
is_case_number(const char *text)
{
	char number[CASE_NUMBER_LEN + 1];

	return case_number_parse(text, number) == 0 &&
	       strcmp(number, text) == 0;
}

static void
check_report(struct upgrade *u, const struct section *s)
{
	struct buf page = BUF_INIT, req = BUF_INIT, path = BUF_INIT;
	const char *handler = value_of(s, "handler");
	char *number;
	long status = 0;
	size_t i;

	/* The reporter, with the receipt. */
	buf_addf(&req, "receipt=%s", value_of(s, "receipt"));
	assert_int_equal(test_http(&u->srv, "POST", "/status", req.data, &status,
	                           NULL, &page), 0);
	if (status != 200)
		fail_msg("report %s: the receipt opens nothing (%ld)", s->name,
		         status);
	all_shown(u, s, "reporter", &page, "the reporter's status page");

	/*
	 * Found by the case number the migration gave it (issue 15 point 2),
	 * which the case page shows; its row id opens nothing any more.
	 */
	buf_addf(&path, "{#%s}", s->name);
	number = strdup(test_cases(u->srv.dir, path.data));
	assert_non_null(number);
	if (!is_case_number(number))
		fail_msg("report %s: \"%s\" is no case number", s->name, number);
	buf_reset(&path);
	buf_addf(&path, "/beheer/melding?id=%s", s->name);
	if (get_as(u, handler, path.data, &page) != 404)
		fail_msg("report %s: its row id still opens it", s->name);
	/* The handler: content, messages, notes, events, links, files. */
	buf_reset(&path);
	buf_addf(&path, "/beheer/melding?id=%s", number);
	if (get_as(u, handler, path.data, &page) != 200)
		fail_msg("report %s: %s cannot open it by %s", s->name, handler,
		         number);
	if (!strstr(page.data, number))
		fail_msg("report %s: its page does not show %s", s->name, number);
	all_shown(u, s, "sees", &page, "the case page");
	for (i = 0; i < s->n; i++) {
		struct buf want = BUF_INIT, file = BUF_INIT;
		char *space;

		if (strcmp(s->items[i].key, "file") != 0)
			continue;
		space = strchr(s->items[i].value, ' ');
		assert_non_null(space);
		buf_reset(&path);
		buf_addf(&path, "/beheer/melding/bestand?id=%s&bestand=%.*s",
		         number, (int)(space - s->items[i].value),
		         s->items[i].value);
		assert_int_equal(get_as(u, handler, path.data, &file), 200);
		read_fixture(u, space + 1, &want);
		if (want.len != file.len ||
		    memcmp(want.data, file.data, want.len) != 0)
			fail_msg("report %s: file %s is not what was uploaded",
			         s->name, s->items[i].value);
		buf_release(&want);
		buf_release(&file);
	}
	free(number);
	buf_release(&page);
	buf_release(&req);
	buf_release(&path);
}

static void
check_page(struct upgrade *u, const struct section *s)
{
	struct buf page = BUF_INIT;
	const char *path = value_of(s, "path");

	if (get_as(u, value_of(s, "user"), path, &page) != 200)
		fail_msg("[page %s]: %s no longer opens", s->name, path);
	all_shown(u, s, "has", &page, path);
	buf_release(&page);
}

/*
 * saved within now: every key of an object with its value, every element
 * of an array at its place, every number and text the same. A later
 * version may add figures, never change or lose one. 1, or 0 with the
 * place of every difference (such as first_assessment.median_seconds or
 * tables.signals[9].count, under path) added to diffs.
 */
static int
json_within(json_t *saved, json_t *now, const char *path, struct buf *diffs)
{
	const char *key;
	json_t *v;
	size_t i;
	int same = 1;

	if (json_is_object(saved) && json_is_object(now)) {
		json_object_foreach(saved, key, v) {
			struct buf child = BUF_INIT;

			buf_addf(&child, "%s%s%s", path, *path ? "." : "", key);
			same &= json_within(v, json_object_get(now, key), child.data,
			                    diffs);
			buf_release(&child);
		}
		return same;
	}
	if (json_is_array(saved) && json_is_array(now)) {
		json_array_foreach(saved, i, v) {
			struct buf child = BUF_INIT;

			buf_addf(&child, "%s[%zu]", path, i);
			same &= json_within(v, json_array_get(now, i), child.data, diffs);
			buf_release(&child);
		}
		return same;
	}
	if (now && json_equal(saved, now))
		return 1;
	buf_addf(diffs, "%s%s", diffs->len ? ", " : "", path);
	return 0;
}

/*
 * Set the value at path (as json_within names places: a.b[2].c) in doc to
 * value (JSON text). 0, or -1 when the path leads nowhere.
 */
static int
json_set_path(json_t *doc, const char *path, const char *value)
{
	json_t *at = doc, *v;
	struct buf key = BUF_INIT;
	const char *p = path;
	json_error_t jerr;
	int ret = -1;

	v = json_loads(value, JSON_DECODE_ANY, &jerr);
	if (!v)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ".[");

		buf_reset(&key);
		buf_add(&key, p, n);
		p += n;
		if (n) {
			if (!*p) {
				ret = json_object_set(at, key.data, v);
				goto out;
			}
			at = json_object_get(at, key.data);
		}
		while (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);

			if (*end != ']')
				goto out;
			p = end + 1;
			if (!*p) {
				ret = json_array_set(at, (size_t)i, v);
				goto out;
			}
			at = json_array_get(at, (size_t)i);
		}
		if (*p == '.')
			p++;
		if (!at)
			goto out;
	}
out:
	json_decref(v);
	buf_release(&key);
	return ret;
}

/* What changes.ini says: the figures a later version changed on purpose. */
struct changes {
	const char *section;	/* "FIXTURE EXPORT" */
	json_t *doc;
	int applied;
};

static int
on_change(void *user, const char *section, const char *name, const char *value,
          int line)
{
	struct changes *c = user;

	if (strcmp(section, c->section) != 0)
		return 1;
	if (json_set_path(c->doc, name, value) < 0)
		fail_msg("changes.ini line %d: %s leads nowhere in %s", line, name,
		         section);
	c->applied++;
	return 1;
}

/*
 * The saved figures of one export as they are meant to be now: the
 * fixture's, with the changes of tests/data/fixtures/changes.ini that a
 * later version made on purpose (each with its reason there).
 */
static void
apply_changes(const struct upgrade *u, const char *export, json_t *doc)
{
	struct buf path = BUF_INIT, text = BUF_INIT, section = BUF_INIT;
	const char *folder = strrchr(u->fixture, '/');
	struct changes c = { NULL, doc, 0 };

	buf_addf(&path, "%.*s/changes.ini", (int)(folder - u->fixture),
	         u->fixture);
	buf_addf(&section, "%s %s", folder + 1, export);
	c.section = section.data;
	if (test_read_file(path.data, &text) == 0)
		assert_int_equal(inifile_parse(text.data, on_change, &c), 0);
	buf_release(&path);
	buf_release(&text);
	buf_release(&section);
}

/* Every line of saved is a line of now (a CSV may gain rows, not lose). */
static int
lines_within(const struct buf *saved, const struct buf *now)
{
	const char *p = saved->data, *end;

	while (*p) {
		struct buf line = BUF_INIT;
		int found;

		end = strchr(p, '\n');
		end = end ? end + 1 : p + strlen(p);
		buf_add(&line, p, (size_t)(end - p));
		found = strstr(now->data, line.data) != NULL;
		buf_release(&line);
		if (!found)
			return 0;
		p = end;
	}
	return 1;
}

/*
 * The export as the old version saved it: every figure the same (JSON: by
 * value; CSV: every line; anything else byte for byte).
 */
static void
check_export(struct upgrade *u, const struct section *s)
{
	struct buf page = BUF_INIT, want = BUF_INIT, where = BUF_INIT;
	const char *path = value_of(s, "path"), *file = value_of(s, "file");
	size_t len = strlen(file);
	int same;

	if (get_as(u, value_of(s, "user"), path, &page) != 200)
		fail_msg("[export %s]: %s no longer opens", s->name, path);
	read_fixture(u, file, &want);
	if (len > 5 && strcmp(file + len - 5, ".json") == 0) {
		json_error_t jerr;
		json_t *a = json_loads(want.data, 0, &jerr);
		json_t *b = json_loads(page.data, 0, &jerr);

		assert_non_null(a);
		apply_changes(u, s->name, a);
		same = b && json_within(a, b, "", &where);
		json_decref(a);
		json_decref(b);
	} else if (len > 4 && strcmp(file + len - 4, ".csv") == 0) {
		same = lines_within(&want, &page);
	} else {
		same = want.len == page.len &&
		       memcmp(want.data, page.data, want.len) == 0;
	}
	if (!same) {
		/* cmocka cuts long messages: the place first, then the texts. */
		fprintf(stderr, "saved:\n%s\nnow:\n%s\n", want.data, page.data);
		fail_msg("[export %s]: the figures changed (%s)", s->name,
		         where.len ? where.data : "a line of the CSV");
	}
	buf_release(&page);
	buf_release(&want);
	buf_release(&where);
}

/* The tables whose rows an upgrade keeps, every one. */
static const char *const kept_tables[] = {
	"reports", "messages", "attachments", "report_events", "notes",
	"report_links", "meeting_items", "user_roles", NULL,
};

/* The number of rows of table in the database of dir. */
static int64_t
table_rows(const char *dir, const char *table)
{
	struct buf sql = BUF_INIT;
	int64_t n;

	buf_addf(&sql, "SELECT count(*) FROM %s", table);
	n = test_count(dir, sql.data);
	buf_release(&sql);
	return n;
}

static void
test_fixture(void **state)
{
	struct upgrade *u = *state;
	const struct section *fx;
	struct buf text = BUF_INIT, conf = BUF_INIT, out = BUF_INIT,
	           err = BUF_INIT;
	const char *verify[] = { "--data", NULL, "audit-verify", NULL };
	size_t i, reports = 0, exports = 0;
	int64_t rows[sizeof(kept_tables) / sizeof(kept_tables[0])];
	int before;

	read_fixture(u, "manifest.ini", &text);
	assert_int_equal(inifile_parse(text.data, on_entry, &u->m), 0);
	fx = section_of(&u->m, "fixture", "");
	u->dir = test_tmpdir("upgrade");
	test_copy_files(u->fixture, u->dir);
	before = schema_version(u->dir);
	assert_int_equal(before, (int)strtol(value_of(fx, "schema"), NULL, 10));
	assert_true(before <= migrate_known_version());
	for (i = 0; kept_tables[i]; i++)
		rows[i] = table_rows(u->dir, kept_tables[i]);

	/* Opening it runs the migrations it lacks. */
	buf_addf(&conf, "%s/%s", u->dir, value_of(fx, "config"));
	assert_int_equal(test_server_start_config(&u->srv, u->dir, conf.data), 0);
	assert_int_equal(schema_version(u->dir), migrate_known_version());
	log_in_all(u);
	/*
	 * Every key wrap of the old version (the password alone, before
	 * schema 24) was made again at its user's login, bound to
	 * installation.key (issue 15 point 5).
	 */
	for (i = 0; i < u->nlogins; i++) {
		struct buf sql = BUF_INIT;

		buf_addf(&sql, "SELECT count(*) FROM users WHERE username = '%s'"
		         " AND key_version = 2 AND substr(wrapped_key, 1, 1) ="
		         " x'02'", u->logins[i].name);
		if (test_count(u->dir, sql.data) != 1)
			fail_msg("%s's key is not wrapped as version 2 after its "
			         "login", u->logins[i].name);
		buf_release(&sql);
	}
	if (before < 24)
		assert_true(test_count(u->dir, "SELECT count(*) FROM audit_log"
		                       " WHERE action = 'user-key-rewrap'") >= 1);
	for (i = 0; i < u->m.n; i++) {
		const struct section *s = &u->m.sections[i];

		if (strcmp(s->kind, "report") == 0) {
			check_report(u, s);
			reports++;
		} else if (strcmp(s->kind, "page") == 0) {
			check_page(u, s);
		} else if (strcmp(s->kind, "export") == 0) {
			check_export(u, s);
			exports++;
		}
	}
	assert_true(reports > 0);
	assert_true(exports > 0);
	assert_int_equal(test_server_stop(&u->srv), 0);

	/*
	 * No row of a report's was lost on the way: a migration that rebuilds
	 * a table (0029 rebuilds reports and user_roles) takes no child with it.
	 */
	for (i = 0; kept_tables[i]; i++)
		if (table_rows(u->dir, kept_tables[i]) != rows[i])
			fail_msg("%s had %lld rows, has %lld after the upgrade",
			         kept_tables[i], (long long)rows[i],
			         (long long)table_rows(u->dir, kept_tables[i]));

	/* A reporter's reply keeps its day only, a handler's its time. */
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM messages"
	                 " WHERE author = 'reporter' AND length(at) <> 10"), 0);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM messages"
	                 " WHERE author = 'handler' AND length(at) <> 20"), 0);

	/* The audit chain holds across the upgrade and what was read since. */
	verify[1] = u->dir;
	if (test_run(&out, &err, verify) != 0)
		fail_msg("audit-verify fails on the upgraded %s:\n%s%s", u->fixture,
		         out.data, err.data);
	buf_release(&text);
	buf_release(&conf);
	buf_release(&out);
	buf_release(&err);
}

static int
teardown(void **state)
{
	struct upgrade *u = *state;
	size_t i;

	if (u->srv.pid)
		test_server_stop(&u->srv);
	for (i = 0; i < u->nlogins; i++) {
		buf_release(&u->logins[i].cookie);
		secret_free(u->logins[i].totp);
	}
	u->nlogins = 0;
	manifest_release(&u->m);
	memset(&u->m, 0, sizeof(u->m));
	if (u->dir) {
		test_rmtree(u->dir);
		free(u->dir);
		u->dir = NULL;
	}
	return 0;
}

/* One test per folder of tests/data/fixtures that holds a manifest.ini. */
int
main(void)
{
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct CMUnitTest tests[32];
	struct upgrade fixtures[32];
	struct buf base = BUF_INIT;
	struct dirent **names;
	size_t n = 0;
	int i, count, rc;

	if (!src) {
		fprintf(stderr, "MELDPUNT_SOURCE_DIR is not set (run through "
		        "ctest)\n");
		return 1;
	}
	memset(fixtures, 0, sizeof(fixtures));
	buf_addf(&base, "%s/tests/data/fixtures", src);
	/* In name order, so the oldest version runs first. */
	count = scandir(base.data, &names, NULL, alphasort);
	for (i = 0; i < count; i++) {
		struct buf dir = BUF_INIT, manifest = BUF_INIT;
		struct stat st;

		buf_addf(&dir, "%s/%s", base.data, names[i]->d_name);
		buf_addf(&manifest, "%s/manifest.ini", dir.data);
		if (names[i]->d_name[0] != '.' && stat(manifest.data, &st) == 0 &&
		    n < sizeof(tests) / sizeof(tests[0])) {
			fixtures[n].fixture = buf_detach(&dir, NULL);
			tests[n] = (struct CMUnitTest){ names[i]->d_name,
				test_fixture, NULL, teardown, &fixtures[n] };
			n++;
		}
		buf_release(&dir);
		buf_release(&manifest);
	}
	if (n == 0) {
		fprintf(stderr, "no fixture with a manifest.ini in %s\n",
		        base.data);
		return 1;
	}
	rc = _cmocka_run_group_tests("upgrade", tests, n, NULL, NULL);
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	for (i = 0; i < (int)n; i++)
		free(fixtures[i].fixture);
	buf_release(&base);
	return rc;
}
