/*
 * test_exposure.c - what a copy of the database and the server log show
 * after a day of use (issue 15 point 9; SECURITY.md, "What a copy of the
 * database, a backup and the server log show").
 *
 * A scripted day against the real server: reporters file a named and an
 * anonymous signal and an incident, with files, come back with their
 * receipts and answer; the coordinator logs in, reads, takes workflow
 * steps with feedback, writes a note and a message. The script keeps the
 * two apart in time: every reporter request runs in seconds of its own, in
 * which no staff request runs (it waits for the next second at each change
 * of side). Then it reads every column of every row of every table, the
 * raw bytes of the database files and the whole server log, and fails on
 *
 *   - a time finer than a day that falls in a second in which a reporter
 *     acted (a stored or logged time of a reporter action; a day alone,
 *     "2026-12-07", is allowed): as text in any format Meldpunt writes
 *     ("2026-12-07T12:51:47Z", "2026-12-07 12:51:47") anywhere in a value,
 *     or as a number of seconds;
 *   - a reporter's name, e-mail or phone number in plain text, in any
 *     column, in the raw files (free pages and the WAL included) or in the
 *     log;
 *   - a column that SECURITY.md's table does not list.
 *
 * The comparison is by second, so it needs no knowledge of which column
 * holds what: a column added later that keeps a reporter's time is found
 * without changing this test.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "clock.h"
#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "totp.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-exposure"
#define COORD_PW "blootstelling-wachtwoord-coord"

/* The reporters' identities; none may be found in plain text. */
static const char *const identities[] = {
	"Wilhelmina Ouwehand-Blootsteller",
	"w.ouwehand@voorbeeld-blootstelling.nl",
	"0612398745",
	"Gerrit Zwanenburg-Getuige",
	"g.zwanenburg@voorbeeld-blootstelling.nl",
};

/* Seconds (since the epoch) in which a reporter request ran. */
#define MAX_SECONDS 256

struct day {
	struct test_server srv;
	char *dir;
	struct test_init init;
	struct buf cookie, csrf;
	struct secret *totp;
	time_t reporter[MAX_SECONDS];
	size_t nreporter;
	time_t last_end;	/* the last second a request of either side ran */
	int side;		/* 0: none yet, 1: reporter, 2: staff */
	char receipts[3][32];
};

/*
 * Start acting as side: when the other side acted last, wait until the
 * clock has left the last second in which it did.
 */
static void
act_as(struct day *d, int side)
{
	if (d->side != side) {
		for (int i = 0; i < 30 && time(NULL) <= d->last_end; i++)
			usleep(50 * 1000);
		assert_true(time(NULL) > d->last_end);
	}
	d->side = side;
}

/* A reporter request ran from start to now: remember its seconds. */
static void
reporter_ran(struct day *d, time_t start)
{
	time_t end = time(NULL);

	for (time_t t = start; t <= end; t++) {
		if (d->nreporter > 0 && d->reporter[d->nreporter - 1] >= t)
			continue;
		assert_true(d->nreporter < MAX_SECONDS);
		d->reporter[d->nreporter++] = t;
	}
	d->last_end = end;
}

static int
is_reporter_second(const struct day *d, time_t t)
{
	for (size_t i = 0; i < d->nreporter; i++)
		if (d->reporter[i] == t)
			return 1;
	return 0;
}

/* Submit a report form as a reporter; its receipt into out. */
static void
reporter_submit(struct day *d, const char *path, const struct test_part *parts,
                size_t n, char out[32])
{
	struct buf body = BUF_INIT;
	long status = 0;
	time_t start;

	act_as(d, 1);
	start = time(NULL);
	assert_int_equal(test_http_multipart(&d->srv, path, parts, n, NULL,
	                 &status, &body), 0);
	reporter_ran(d, start);
	assert_int_equal(status, 200);
	test_text_after(body.data, "id=\"receipt\">", "<", out, 32);
	buf_release(&body);
}

/* A reporter comes back with the receipt and reads the status page. */
static void
reporter_status(struct day *d, const char *receipt, const char *expect)
{
	struct buf req = BUF_INIT, page = BUF_INIT;
	long status = 0;
	time_t start;

	act_as(d, 1);
	buf_addf(&req, "receipt=%s", receipt);
	start = time(NULL);
	assert_int_equal(test_http(&d->srv, "POST", "/status", req.data, &status,
	                 NULL, &page), 0);
	reporter_ran(d, start);
	assert_int_equal(status, 200);
	if (expect && !strstr(page.data, expect))
		fail_msg("the status page lacks \"%s\"", expect);
	buf_release(&req);
	buf_release(&page);
}

/* A reporter answers on the status page, with a file or none. */
static void
reporter_reply(struct day *d, const char *receipt, const char *message,
               const char *file_name, const char *file, size_t file_len)
{
	struct test_part parts[] = {
		{ "receipt", receipt, 0, NULL, NULL },
		{ "message", message, 0, NULL, NULL },
		{ "files", file, file_len, file_name, "image/png" },
	};
	struct buf body = BUF_INIT;
	long status = 0;
	time_t start;

	act_as(d, 1);
	start = time(NULL);
	assert_int_equal(test_http_multipart(&d->srv, "/status/antwoord", parts,
	                 file ? 3 : 2, NULL, &status, &body), 0);
	reporter_ran(d, start);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, message));
	buf_release(&body);
}

/* The coordinator posts a form with its CSRF token: 303 expected. */
static void
staff_post(struct day *d, const char *path, const char *form)
{
	struct buf body = BUF_INIT;
	long status = 0;

	act_as(d, 2);
	buf_addf(&body, "csrf=%s&%s", d->csrf.data, form);
	assert_int_equal(test_http_cookie(&d->srv, "POST", path, body.data,
	                 d->cookie.data, &status, NULL, NULL), 0);
	d->last_end = time(NULL);
	if (status != 303)
		fail_msg("POST %s %s: %ld", path, form, status);
	buf_release(&body);
}

static void
staff_get(struct day *d, const char *path, const char *expect)
{
	struct buf page = BUF_INIT;
	long status = 0;

	act_as(d, 2);
	assert_int_equal(test_http_cookie(&d->srv, "GET", path, NULL,
	                 d->cookie.data, &status, NULL, &page), 0);
	d->last_end = time(NULL);
	if (status != 200)
		fail_msg("GET %s: %ld", path, status);
	if (expect && !strstr(page.data, expect))
		fail_msg("GET %s lacks \"%s\"", path, expect);
	buf_release(&page);
}

static const char photo[] = "\x89PNG\r\n\x1a\nblootstelling: geen echte foto";
static const char reply_photo[] = "\x89PNG\r\n\x1a\nblootstelling: busje";

/* The scripted day, reporters and coordinator taking turns. */
static void
script(struct day *d)
{
	const struct test_part named[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Kerkpad 4 Hoorn", 0, NULL, NULL },
		{ "observation", "Veel korte bezoekjes, ook 's nachts.", 0, NULL,
		  NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", identities[0], 0, NULL, NULL },
		{ "reporter_email", identities[1], 0, NULL, NULL },
		{ "reporter_phone", identities[2], 0, NULL, NULL },
		{ "files", photo, sizeof(photo) - 1, "pand.png", "image/png" },
	};
	const struct test_part anonymous[] = {
		{ "phenomenon", "real_estate", 0, NULL, NULL },
		{ "location", "Veerdam 9 Enkhuizen", 0, NULL, NULL },
		{ "observation", "Contante aankoop van drie panden.", 0, NULL,
		  NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	const struct test_part incident[] = {
		{ "date", "2026-12-01", 0, NULL, NULL },
		{ "place", "counter", 0, NULL, NULL },
		{ "kind", "threat", 0, NULL, NULL },
		{ "victim_role", "employee", 0, NULL, NULL },
		{ "reported_by", "victim", 0, NULL, NULL },
		{ "perpetrator_known", "no", 0, NULL, NULL },
		{ "description", "Dreigement aan de balie.", 0, NULL, NULL },
		{ "police", "none", 0, NULL, NULL },
		{ "aftercare", "no", 0, NULL, NULL },
		{ "reporter_name", identities[3], 0, NULL, NULL },
		{ "reporter_email", identities[4], 0, NULL, NULL },
	};

	reporter_submit(d, "/melden/signaal", named,
	                sizeof(named) / sizeof(named[0]), d->receipts[0]);
	reporter_submit(d, "/melden/signaal", anonymous,
	                sizeof(anonymous) / sizeof(anonymous[0]), d->receipts[1]);
	reporter_submit(d, "/melden/agressie", incident,
	                sizeof(incident) / sizeof(incident[0]), d->receipts[2]);

	staff_get(d, "/beheer", NULL);
	staff_get(d, "/beheer/melding?id={#1}", "Kerkpad 4 Hoorn");
	staff_post(d, "/beheer/melding/overgang", "id={#1}&transition=start_intake"
	           "&expect_state=received&message=Wij hebben uw melding "
	           "ontvangen.");
	staff_post(d, "/beheer/melding/overgang", "id={#2}&transition=start_intake"
	           "&expect_state=received&message=Dank, wij kijken ernaar.");

	reporter_status(d, d->receipts[0], "Wij hebben uw melding ontvangen.");
	reporter_reply(d, d->receipts[0], "Er staat nu ook een busje.", NULL,
	               NULL, 0);
	reporter_reply(d, d->receipts[1], "Een foto van het pand.", "pand2.png",
	               reply_photo, sizeof(reply_photo) - 1);
	reporter_status(d, d->receipts[2], NULL);

	staff_get(d, "/beheer/melding?id={#2}", "Een foto van het pand.");
	staff_post(d, "/beheer/melding/notitie", "id={#1}&note=Bekend adres.");
	staff_post(d, "/beheer/melding/overgang", "id={#1}&transition=undermining"
	           "&expect_state=weging_1&undermining_motivation=Bekend adres.");
	staff_post(d, "/beheer/melding/bericht", "id={#2}&message=Wanneer zag u "
	           "dat?");

	reporter_status(d, d->receipts[1], "Wanneer zag u dat?");
	reporter_reply(d, d->receipts[1], "Vorige week dinsdag.", NULL, NULL, 0);

	/* The last change of side: whatever the server does next is staff's. */
	staff_get(d, "/beheer", NULL);
}

/* "2026-12-07T12:51:47" or "2026-12-07 12:51:47" at p: its time, or -1. */
static time_t
time_at(const char *p)
{
	struct tm tm = { 0 };
	int y, mo, da, h, mi, s;
	char sep;

	for (int i = 0; i < 19; i++) {
		if (i == 4 || i == 7) {
			if (p[i] != '-')
				return -1;
		} else if (i == 10) {
			if (p[i] != 'T' && p[i] != ' ')
				return -1;
		} else if (i == 13 || i == 16) {
			if (p[i] != ':')
				return -1;
		} else if (!isdigit((unsigned char)p[i])) {
			return -1;
		}
	}
	if (sscanf(p, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &da, &sep, &h, &mi,
	           &s) != 7)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = da;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/*
 * The first reporter time in text (len bytes, not NUL-terminated), or -1.
 * A time in the organisation's zone would be an hour or two off: those
 * hours are tried too.
 */
static time_t
reporter_time_in(const struct day *d, const char *text, size_t len)
{
	for (size_t i = 0; i + 19 <= len; i++) {
		time_t t;

		if (!isdigit((unsigned char)text[i]))
			continue;
		t = time_at(text + i);
		if (t < 0)
			continue;
		for (int h = -14; h <= 14; h++)
			if (is_reporter_second(d, t - h * 3600))
				return t;
	}
	return -1;
}

static int
contains(const void *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (!hay || n > len)
		return 0;
	return memmem(hay, len, needle, n) != NULL;
}

/* The columns SECURITY.md's table lists, as "table.column" lines. */
static void
security_table(struct buf *out)
{
	struct buf path = BUF_INIT, doc = BUF_INIT;
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	char *p, *end;

	assert_non_null(src);
	buf_addf(&path, "%s/SECURITY.md", src);
	assert_int_equal(test_read_file(path.data, &doc), 0);
	p = strstr(doc.data, "\n## What a copy of the database");
	assert_non_null(p);
	end = strstr(p + 1, "\n## ");
	if (end)
		*end = '\0';
	buf_adds(out, "\n");
	while ((p = strstr(p, "\n| `")) != NULL) {
		char *q = strchr(p + 4, '`');

		p += 4;
		if (q && memchr(p, '.', q - p) && !memchr(p, '\n', q - p)) {
			buf_add(out, p, q - p);
			buf_adds(out, "\n");
		}
	}
	buf_release(&path);
	buf_release(&doc);
}

/* Every value of every column: reporter times, identities, listed? */
static int
check_database(const struct day *d, const char *db_path)
{
	struct buf listed = BUF_INIT, sql = BUF_INIT, name = BUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *tables, *cols, *rows;
	int failures = 0;
	long values = 0;

	security_table(&listed);
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
	                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master "
	                 "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
	                 "ORDER BY name", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(tables, 0);

		buf_reset(&sql);
		buf_addf(&sql, "SELECT name FROM pragma_table_info('%s')", table);
		assert_int_equal(sqlite3_prepare_v2(db, sql.data, -1, &cols, NULL),
		                 SQLITE_OK);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			buf_reset(&name);
			buf_addf(&name, "\n%s.%s\n", table,
			         (const char *)sqlite3_column_text(cols, 0));
			if (!strstr(listed.data, name.data)) {
				print_message("column %s is not in SECURITY.md's "
				              "table\n", name.data + 1);
				failures++;
			}
		}
		sqlite3_finalize(cols);

		buf_reset(&sql);
		buf_addf(&sql, "SELECT * FROM \"%s\"", table);
		assert_int_equal(sqlite3_prepare_v2(db, sql.data, -1, &rows, NULL),
		                 SQLITE_OK);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				const char *col = sqlite3_column_name(rows, c);
				int type = sqlite3_column_type(rows, c);
				const void *v = NULL;
				size_t len = 0;
				time_t t;

				values++;
				if (type == SQLITE_INTEGER) {
					t = (time_t)sqlite3_column_int64(rows, c);
					for (int ms = 0; ms < 2; ms++) {
						if (is_reporter_second(d, t)) {
							print_message("%s.%s holds %lld, a "
							    "second a reporter acted in\n",
							    table, col, (long long)t);
							failures++;
						}
						/* Milliseconds too. */
						t = (time_t)(sqlite3_column_int64(rows, c)
						             / 1000);
					}
					continue;
				}
				if (type == SQLITE_TEXT) {
					v = sqlite3_column_text(rows, c);
					len = (size_t)sqlite3_column_bytes(rows, c);
				} else if (type == SQLITE_BLOB) {
					v = sqlite3_column_blob(rows, c);
					len = (size_t)sqlite3_column_bytes(rows, c);
				}
				if (!v)
					continue;
				t = reporter_time_in(d, v, len);
				if (t >= 0) {
					char shown[CLOCK_TEXT_LEN + 1];

					clock_format(t, shown);
					print_message("%s.%s holds %s, a time a reporter "
					    "acted at\n", table, col, shown);
					failures++;
				}
				for (size_t i = 0; i < sizeof(identities) /
				     sizeof(identities[0]); i++) {
					if (contains(v, len, identities[i])) {
						print_message("%s.%s holds the reporter's "
						    "\"%s\" in plain text\n", table,
						    col, identities[i]);
						failures++;
					}
				}
			}
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	/* A day with nothing stored would pass for the wrong reason. */
	assert_true(values > 100);
	buf_release(&listed);
	buf_release(&sql);
	buf_release(&name);
	return failures;
}

/* The raw bytes of a file: free pages and the WAL hold old rows too. */
static int
check_raw(const char *path)
{
	struct buf bytes = BUF_INIT;
	int failures = 0;

	if (test_read_file(path, &bytes) < 0)
		return 0;	/* no WAL left: nothing to read */
	for (size_t i = 0; i < sizeof(identities) / sizeof(identities[0]); i++) {
		if (contains(bytes.data, bytes.len, identities[i])) {
			print_message("%s holds \"%s\" in plain text\n", path,
			              identities[i]);
			failures++;
		}
	}
	buf_release(&bytes);
	return failures;
}

/* Every line of the server log: no reporter time, no identity. */
static int
check_log(const struct day *d, const char *path)
{
	struct buf log = BUF_INIT;
	int failures = 0;
	char *line, *save = NULL;
	int lines = 0;

	assert_int_equal(test_read_file(path, &log), 0);
	for (line = strtok_r(log.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lines++;
		if (reporter_time_in(d, line, strlen(line)) >= 0) {
			print_message("the log has a line at a time a reporter "
			              "acted: %s\n", line);
			failures++;
		}
		for (size_t i = 0; i < sizeof(identities) /
		     sizeof(identities[0]); i++) {
			if (strstr(line, identities[i])) {
				print_message("the log names \"%s\": %s\n",
				              identities[i], line);
				failures++;
			}
		}
	}
	/* The server logged its start and stop at least. */
	assert_true(lines > 0);
	buf_release(&log);
	return failures;
}

static void
test_scripted_day(void **state)
{
	struct day *d = *state;
	struct installation *inst;
	struct buf path = BUF_INIT;
	char *log_path;
	int failures = 0;

	d->dir = test_tmpdir("exposure");
	test_init(d->dir, &d->init);
	assert_int_equal(install_open(d->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(d->dir, d->init.recovery, KEYRING_SIGNALS, "coord");
	test_grant(d->dir, d->init.recovery, KEYRING_INCIDENTS, "coord");
	test_grant(d->dir, d->init.recovery, KEYRING_STATISTICS, "coord");
	assert_int_equal(test_server_start(&d->srv, d->dir), 0);
	buf_init(&d->cookie);
	buf_init(&d->csrf);
	d->totp = test_staff_setup(&d->srv, "coord", COORD_OTP, COORD_PW,
	                           &d->cookie, &d->csrf);
	assert_non_null(d->totp);
	d->side = 2;
	d->last_end = time(NULL);

	script(d);
	/* Three turns of reporters, each in seconds of its own. */
	assert_true(d->nreporter >= 3);

	log_path = strdup(d->srv.log_path);
	assert_non_null(log_path);
	assert_int_equal(test_server_stop(&d->srv), 0);
	failures += check_log(d, log_path);
	free(log_path);
	buf_addf(&path, "%s/meldpunt.db", d->dir);
	failures += check_database(d, path.data);
	failures += check_raw(path.data);
	buf_adds(&path, "-wal");
	failures += check_raw(path.data);
	if (failures)
		fail_msg("%d exposures of reporters (above)", failures);

	secret_free(d->totp);
	buf_release(&d->cookie);
	buf_release(&d->csrf);
	buf_release(&path);
	test_rmtree(d->dir);
	free(d->dir);
}

static int
stop_server(void **state)
{
	struct day *d = *state;

	if (d->srv.pid)
		test_server_stop(&d->srv);
	return 0;
}

int
main(void)
{
	static struct day d;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(test_scripted_day, NULL,
		                                         stop_server, &d),
	};

	return cmocka_run_group_tests_name("exposure", tests, NULL, NULL);
}
