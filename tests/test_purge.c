/*
 * test_purge.c - retention (core/retention.h): the purge destroys exactly
 * the reports in a final state whose retention has passed and that are not
 * on legal hold, with everything that hangs off them, so that none of
 * their bytes is left in the database files; a dry run changes nothing;
 * the statistics keep the counts; the audit chain holds; a legal hold is
 * set and lifted from the case page (over HTTP, with CSRF) and from the
 * command line; the server purges on its own when it starts; and
 * integrity reports are kept as long as their outcome asks.
 *
 * Reports are back-dated with clock_set: made and closed "in the past",
 * then purged at the real time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "audit.h"
#include "case.h"
#include "casework.h"
#include "casenumber.h"
#include "clock.h"
#include "db.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "message.h"
#include "reptype.h"
#include "report.h"
#include "retention.h"
#include "stats.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define DAY (24 * 60 * 60)
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define NEWPW "een heel lang wachtwoord"

/* The reports of every test, by what should become of them. */
enum {
	R_EXPIRED,	/* signal, no_action 400 days ago (365): purged */
	R_OPEN,		/* signal received 800 days ago, still open: kept */
	R_RECENT,	/* signal, no_action 100 days ago: kept */
	R_HELD,		/* signal, no_action 400 days ago, on hold: kept */
	R_INCIDENT,	/* incident, closed 1900 days ago (1826): purged */
	R_COUNT,
};

struct made {
	int64_t id;
	char receipt[RECEIPT_TEXT_LEN + 1];
	char marker[64];		/* unique text in its content */
	unsigned char file[48];		/* unique bytes of its attachment */
};

struct fixture {
	char *dir;
	struct installation *inst;
	struct workflows *wfs;
	struct made r[R_COUNT];
	time_t now;
	char recovery[80];
};

static void
transition(struct fixture *f, int64_t id, const char *name, unsigned roles,
           const char *field, const char *value)
{
	struct workflow_field fl = { field, value };
	struct workflow_verdict v;

	assert_int_equal(events_transition(f->inst, f->wfs, id, name, "coord",
	                 roles, field ? &fl : NULL, field ? 1 : 0, NULL, &v), 0);
}

/*
 * A report made `age` days ago with content, an attachment, a message to
 * the reporter (with its outbox row) and an internal note; closed
 * `closed_age` days ago when closed_age >= 0.
 */
static void
make_report(struct fixture *f, int which, enum report_type type, int age,
            int closed_age)
{
	struct made *m = &f->r[which];
	const struct workflow *wf = workflows_get(f->wfs, type);
	struct buf content = BUF_INIT, text = BUF_INIT;
	struct attachment_in file;
	struct submission sub;
	size_t i;

	snprintf(m->marker, sizeof(m->marker), "PURGEMARKER-%d-Dorpsstraat-%d",
	         which, which * 7 + 3);
	for (i = 0; i < sizeof(m->file); i++)
		m->file[i] = (unsigned char)(0xa0 + which * 13 + i * 7);
	buf_addf(&content, "{\"answers\":{\"observation\":\"%s\"}}", m->marker);
	file = (struct attachment_in){ "foto.jpg", "image/jpeg", m->file,
	                               sizeof(m->file) };
	memset(&sub, 0, sizeof(sub));
	sub.type = type;
	sub.state = workflow_initial(wf)->name;
	sub.source = "web";
	sub.content = content.data;
	sub.content_len = content.len;
	sub.stats = "{\"answers\":{\"phenomenon\":\"drugs\"}}";
	sub.stats_len = strlen(sub.stats);
	sub.identity = "{\"answers\":{\"reporter_name\":\"Anna de Vries\"}}";
	sub.identity_len = strlen(sub.identity);
	sub.files = &file;
	sub.nfiles = 1;

	clock_set(f->now - (time_t)age * DAY);
	assert_int_equal(report_submit(f->inst, &sub, m->receipt, &m->id), 0);
	buf_addf(&text, "Bericht %s", m->marker);
	assert_int_equal(message_to_reporter_notify(f->inst, m->id, "coord",
	                 text.data, text.len, "melder@example.nl"), 0);
	buf_reset(&text);
	buf_addf(&text, "Notitie %s", m->marker);
	assert_int_equal(case_note_add(f->inst, m->id, "coord", text.data,
	                               text.len), 0);
	if (closed_age >= 0) {
		clock_set(f->now - (time_t)closed_age * DAY);
		if (type == REPORT_SIGNAL) {
			transition(f, m->id, "start_intake", ROLE_COORDINATOR, NULL,
			           NULL);
			transition(f, m->id, "not_undermining", ROLE_COORDINATOR,
			           "undermining_motivation", m->marker);
		} else {
			transition(f, m->id, "first_care_talk", ROLE_VPT, NULL, NULL);
			transition(f, m->id, "close", ROLE_VPT, NULL, NULL);
		}
	}
	clock_set(0);
	buf_release(&content);
	buf_release(&text);
}

static sqlite3 *open_raw(const char *dir);

/*
 * The closed signal's motivation corrected today (issue 17 point 4): a
 * correction keeps the state and is no step, so the retention still
 * counts from the close, and the purge takes the correction too.
 */
static void
correct_closed(struct fixture *f, int64_t id)
{
	const struct workflow_field fixed = { "undermining_motivation",
	                                      "Geen aanwijzingen, nagekeken." };
	struct secret *rsk, *sk;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct actor_ring ring;
	struct actor coord;
	struct outcome o;
	struct buf sql = BUF_INIT;

	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_SIGNALS, rpk, rsk,
	                                  &sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_SIGNALS, pk),
	                 0);
	ring = (struct actor_ring){ KEYRING_SIGNALS, pk, sk };
	coord = (struct actor){ 1, "coord", ROLE_COORDINATOR, &ring, 1 };
	buf_addf(&sql, "SELECT max(id) FROM report_events WHERE report_id = %lld",
	         (long long)id);
	assert_int_equal(casework_correct(f->inst, f->wfs, &coord, id,
	                 test_count(f->dir, sql.data), &fixed, 1, &o),
	                 VERDICT_DONE);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM report_events"
	                 " WHERE kind = 'correction'"), 1);
	secret_free(sk);
	secret_free(rsk);
	buf_release(&sql);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct install_result res;
	struct buf errs = BUF_INIT;

	f->dir = test_tmpdir("purge");
	f->now = time(NULL);
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	snprintf(f->recovery, sizeof(f->recovery), "%s", res.recovery_key);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_installation(f->dir, &f->wfs, &errs), 0);
	buf_release(&errs);
	make_report(f, R_EXPIRED, REPORT_SIGNAL, 420, 400);
	correct_closed(f, f->r[R_EXPIRED].id);
	make_report(f, R_OPEN, REPORT_SIGNAL, 800, -1);
	make_report(f, R_RECENT, REPORT_SIGNAL, 120, 100);
	make_report(f, R_HELD, REPORT_SIGNAL, 420, 400);
	make_report(f, R_INCIDENT, REPORT_INCIDENT, 1910, 1900);
	/* Linked: the link goes with the purged one, the other stays. */
	assert_int_equal(case_link(f->inst, f->r[R_EXPIRED].id, f->r[R_OPEN].id,
	                           "coord"), 0);
	assert_int_equal(retention_hold_set(f->inst, f->r[R_HELD].id, 1, "coord",
	                                    "rechtszaak 2026-17"), 0);
	/* Both on a meeting's agenda, as rows (the keys are not the point). */
	{
		sqlite3 *conn = open_raw(f->dir);
		sqlite3_stmt *st;
		int i;

		assert_int_equal(sqlite3_exec(conn, "INSERT INTO meetings (held_on,"
		                 " title, created_at, created_by) VALUES"
		                 " ('2025-01-10', 'Overleg', '2025-01-01T00:00:00Z',"
		                 " 'coord')", NULL, NULL, NULL), SQLITE_OK);
		for (i = 0; i < 2; i++) {
			assert_int_equal(sqlite3_prepare_v2(conn, "INSERT INTO"
			                 " meeting_items (meeting_id, report_id,"
			                 " added_at, added_by) VALUES (1, ?1,"
			                 " '2025-01-02T00:00:00Z', 'coord')", -1, &st,
			                 NULL), SQLITE_OK);
			sqlite3_bind_int64(st, 1, f->r[i ? R_HELD : R_EXPIRED].id);
			assert_int_equal(sqlite3_step(st), SQLITE_DONE);
			sqlite3_finalize(st);
		}
		sqlite3_close(conn);
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	workflows_free(f->wfs);
	if (f->inst)
		assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Every file of the installation, as a copy would have them. */
static void
read_db_files(const char *dir, struct buf *b)
{
	static const char *const names[] = {
		INSTALL_DB_FILE, INSTALL_DB_FILE "-wal", INSTALL_DB_FILE "-shm",
	};
	size_t i;

	buf_reset(b);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf path = BUF_INIT;

		buf_addf(&path, "%s/%s", dir, names[i]);
		test_read_file(path.data, b);
		buf_release(&path);
	}
}

static sqlite3 *
open_raw(const char *dir)
{
	struct buf path = BUF_INIT;
	sqlite3 *conn;

	buf_addf(&path, "%s/%s", dir, INSTALL_DB_FILE);
	assert_int_equal(sqlite3_open_v2(path.data, &conn, SQLITE_OPEN_READWRITE,
	                                 NULL), SQLITE_OK);
	sqlite3_busy_timeout(conn, 5000);
	buf_release(&path);
	return conn;
}

/* One integer from sql with ?1 = id (or no parameter). */
static int64_t
raw_int(const char *dir, const char *sql, int64_t id)
{
	sqlite3 *conn = open_raw(dir);
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st))
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return v;
}

/* Every stored blob of a report (its envelopes, locator, keys), in b. */
struct blobs {
	struct buf items[32];
	size_t n;
};

static void
collect_blobs(const char *dir, int64_t id, struct blobs *out)
{
	static const char *const queries[] = {
		"SELECT content FROM reports WHERE id = ?1",
		"SELECT stats FROM reports WHERE id = ?1",
		"SELECT identity FROM reports WHERE id = ?1",
		"SELECT locator FROM reports WHERE id = ?1",
		"SELECT reporter_public_key FROM reports WHERE id = ?1",
		"SELECT content FROM attachments WHERE report_id = ?1",
		"SELECT body FROM messages WHERE report_id = ?1",
		"SELECT body FROM notes WHERE report_id = ?1",
		"SELECT fields FROM report_events WHERE report_id = ?1"
		" AND fields IS NOT NULL",
		"SELECT address FROM outbox WHERE report_id = ?1"
		" AND address IS NOT NULL",
	};
	sqlite3 *conn = open_raw(dir);
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(conn, queries[i], -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW && out->n < 32) {
			size_t len = (size_t)sqlite3_column_bytes(st, 0);

			if (len < 32)
				continue;
			buf_init(&out->items[out->n]);
			buf_add(&out->items[out->n], sqlite3_column_blob(st, 0), len);
			out->n++;
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(conn);
}

/*
 * Compute the statistics of the last seven years as a member of
 * statistiek would, so the cache holds the answers of every report, and
 * collect its boxes into out.
 */
static void
fill_stats_cache(struct fixture *f, struct blobs *out)
{
	struct stats_period period;
	struct stats_result r;
	struct secret *rsk, *sk;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	char from[16], to[16];
	struct tm tm;
	time_t t;
	sqlite3 *conn;
	sqlite3_stmt *st;

	t = f->now - 2500 * DAY;
	gmtime_r(&t, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	gmtime_r(&f->now, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d", &tm);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, from, to,
	                                    &period), 0);
	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_STATISTICS, rpk,
	                                  rsk, &sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_STATISTICS,
	                                     pk), 0);
	{
		struct ring_key key = { pk, sk };

		assert_int_equal(stats_compute(f->inst, f->wfs, &key, &period,
		                               STATS_WANT_INCIDENTS |
		                               STATS_WANT_SIGNALS, &r), 0);
	}
	assert_int_equal(r.opened, 5);
	stats_result_release(&r);
	secret_free(sk);
	secret_free(rsk);

	memset(out, 0, sizeof(*out));
	conn = open_raw(f->dir);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT box FROM stats_chunks",
	                                    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && out->n < 32) {
		buf_init(&out->items[out->n]);
		buf_add(&out->items[out->n], sqlite3_column_blob(st, 0),
		        (size_t)sqlite3_column_bytes(st, 0));
		out->n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(conn);
	assert_true(out->n > 0);
}

static void
blobs_release(struct blobs *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		buf_release(&b->items[i]);
}

/*
 * 1 when any 32-byte run of any blob is in files. The runs start in the
 * first bytes of each value, which SQLite keeps whole on its page.
 */
static int
any_blob_in(const struct buf *files, const struct blobs *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (test_contains(files, b->items[i].data, 32) ||
		    test_contains(files, b->items[i].data + 8, 32))
			return 1;
	return 0;
}

static int
report_exists(struct fixture *f, int which)
{
	struct report_view v;
	int rc = report_open(f->inst, f->r[which].receipt, &v);

	assert_true(rc == 0 || rc == 1);
	if (rc == 0) {
		assert_int_equal(v.id, f->r[which].id);
		struct buf plain = BUF_INIT;

		/* Guarded memory, not NUL-terminated: copied to search it. */
		buf_add(&plain, v.content->bytes, v.content->len);
		assert_true(test_contains(&plain, f->r[which].marker,
		                          strlen(f->r[which].marker)));
		buf_wipe_release(&plain);
		report_view_release(&v);
	}
	return rc == 0;
}

static int64_t
audit_count(const char *dir, const char *action)
{
	sqlite3 *conn = open_raw(dir);
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT count(*) FROM audit_log"
	                 " WHERE action = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	return n;
}

static void
check_after_purge(struct fixture *f, struct blobs *gone, size_t ngone,
                  struct blobs *kept)
{
	struct buf files = BUF_INIT;
	char month[8];
	int64_t rows, bad;
	size_t i;

	/* Exactly the expired ones went; the others open with their receipt. */
	assert_false(report_exists(f, R_EXPIRED));
	assert_false(report_exists(f, R_INCIDENT));
	assert_true(report_exists(f, R_OPEN));
	assert_true(report_exists(f, R_RECENT));
	assert_true(report_exists(f, R_HELD));
	/* Nothing hangs off a purged report any more. */
	for (i = 0; i < 2; i++) {
		int64_t id = f->r[i == 0 ? R_EXPIRED : R_INCIDENT].id;
		static const char *const left[] = {
			"SELECT count(*) FROM attachments WHERE report_id = ?1",
			"SELECT count(*) FROM messages WHERE report_id = ?1",
			"SELECT count(*) FROM notes WHERE report_id = ?1",
			"SELECT count(*) FROM report_events WHERE report_id = ?1",
			"SELECT count(*) FROM outbox WHERE report_id = ?1",
			"SELECT count(*) FROM report_links WHERE a = ?1 OR b = ?1",
			"SELECT count(*) FROM meeting_items WHERE report_id = ?1",
		};
		size_t k;

		for (k = 0; k < sizeof(left) / sizeof(left[0]); k++)
			assert_int_equal(raw_int(f->dir, left[k], id), 0);
	}
	/* The kept ones keep what hangs off them. */
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM attachments"
	                 " WHERE report_id = ?1", f->r[R_HELD].id), 1);
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM meeting_items"
	                 " WHERE report_id = ?1", f->r[R_HELD].id), 1);

	/* The statistics keep the counts, by the month of receipt. */
	assert_int_equal(raw_int(f->dir, "SELECT sum(reports) FROM purged_counts",
	                         0), 2);
	assert_int_equal(raw_int(f->dir, "SELECT reports FROM purged_counts WHERE"
	                 " type = 'signal' AND final_state = 'no_action' AND"
	                 " source = 'web'", 0), 1);
	assert_int_equal(raw_int(f->dir, "SELECT reports FROM purged_counts WHERE"
	                 " type = 'incident' AND final_state = 'closed'", 0), 1);
	{
		char day[CLOCK_DAY_LEN + 1];
		struct buf sql = BUF_INIT;

		clock_format_day(f->now - 420 * (time_t)DAY, day);
		snprintf(month, sizeof(month), "%.7s", day);
		buf_addf(&sql, "SELECT reports FROM purged_counts WHERE type ="
		         " 'signal' AND received_month = '%s'", month);
		assert_int_equal(raw_int(f->dir, sql.data, 0), 1);
		buf_release(&sql);
	}

	/* One audit row per purged report, and the chain holds. */
	assert_int_equal(audit_count(f->dir, "report-purge"), 2);
	assert_true(audit_count(f->dir, "purge") >= 1);
	assert_int_equal(audit_verify(f->inst->db, &rows, &bad), 0);

	/* Not a byte of them in the database files; the kept ones are. */
	read_db_files(f->dir, &files);
	for (i = 0; i < ngone; i++)
		assert_false(any_blob_in(&files, &gone[i]));
	assert_true(any_blob_in(&files, kept));
	/* Nor, of course, any plaintext of anyone. */
	for (i = 0; i < R_COUNT; i++) {
		assert_false(test_contains(&files, f->r[i].marker,
		                           strlen(f->r[i].marker)));
		assert_false(test_contains(&files, f->r[i].file,
		                           sizeof(f->r[i].file)));
	}
	buf_release(&files);
}

static void
test_purge_exactly_expired(void **state)
{
	struct fixture *f = *state;
	struct retention_options opt = { .actor = AUDIT_ACTOR_SYSTEM };
	struct retention_result res;
	struct retention_plan plan;
	struct blobs gone[2], kept, cache;
	struct buf files = BUF_INIT;
	size_t i;

	/* The statistics cache holds the answers of the purged ones too. */
	fill_stats_cache(f, &cache);
	assert_int_equal(retention_plan(f->inst, f->wfs, 730, time(NULL), &plan),
	                 0);
	assert_int_equal(plan.n, 3);
	assert_int_equal(plan.held, 1);
	assert_int_equal(plan.items[0].id, f->r[R_EXPIRED].id);
	assert_string_equal(plan.items[0].state, "no_action");
	assert_int_equal(plan.items[0].days, 365);
	assert_int_equal(plan.items[1].id, f->r[R_HELD].id);
	assert_true(plan.items[1].held);
	assert_int_equal(plan.items[2].id, f->r[R_INCIDENT].id);
	assert_int_equal(plan.items[2].days, 1826);
	retention_plan_release(&plan);

	collect_blobs(f->dir, f->r[R_EXPIRED].id, &gone[0]);
	collect_blobs(f->dir, f->r[R_INCIDENT].id, &gone[1]);
	collect_blobs(f->dir, f->r[R_HELD].id, &kept);
	/* content, stats, identity, locator, key, file, message, note,
	 * fields, the fields as corrected, address */
	assert_int_equal(gone[0].n, 11);
	/* The search finds them before: it would see them after. */
	assert_int_equal(db_exec(f->inst->db, "PRAGMA wal_checkpoint(TRUNCATE)"),
	                 0);
	read_db_files(f->dir, &files);
	assert_true(any_blob_in(&files, &gone[0]));
	assert_true(any_blob_in(&files, &gone[1]));
	assert_true(any_blob_in(&files, &cache));
	buf_release(&files);

	assert_int_equal(retention_purge(f->inst, f->wfs, 730, time(NULL), &opt,
	                                 &res), 0);
	assert_int_equal(res.purged, 2);
	assert_int_equal(res.held, 1);
	assert_int_equal(res.skipped, 0);
	assert_true(res.compacted);
	check_after_purge(f, gone, 2, &kept);
	/* Their cache chunk went with them (a trigger, migration 0018). */
	read_db_files(f->dir, &files);
	assert_false(any_blob_in(&files, &cache));
	buf_release(&files);
	blobs_release(&cache);

	/* A second run finds nothing more, and writes no summary. */
	opt.always_summary = 0;
	assert_int_equal(retention_purge(f->inst, f->wfs, 730, time(NULL), &opt,
	                                 &res), 0);
	assert_int_equal(res.purged, 0);
	assert_int_equal(res.held, 1);
	for (i = 0; i < 2; i++)
		blobs_release(&gone[i]);
	blobs_release(&kept);
}

static int
run_cli(const char *dir, struct buf *out, const char *a, const char *b,
        const char *c, const char *d, const char *e)
{
	const char *argv[] = { "--data", dir, a, b, c, d, e, NULL };
	struct buf err = BUF_INIT;
	int rc;

	buf_reset(out);
	rc = test_run(out, &err, argv);
	if (rc != 0)
		print_message("stderr: %s\n", err.data ? err.data : "");
	buf_release(&err);
	return rc;
}

static void
test_dry_run_then_cli_purge(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
	struct buf line = BUF_INIT;
	struct blobs gone[2], kept;
	char *counts0, *counts1;

	collect_blobs(f->dir, f->r[R_EXPIRED].id, &gone[0]);
	collect_blobs(f->dir, f->r[R_INCIDENT].id, &gone[1]);
	collect_blobs(f->dir, f->r[R_HELD].id, &kept);
	/* Only the command's own connection: the files at rest. */
	assert_int_equal(install_close(f->inst), 0);
	f->inst = NULL;

	counts0 = test_db_counts(f->dir);
	read_db_files(f->dir, &before);
	assert_int_equal(run_cli(f->dir, &out, "purge", "--dry-run", NULL, NULL,
	                         NULL), 0);
	buf_addf(&line, "purge report {#%lld} (signal, no_action since ",
	         (long long)f->r[R_EXPIRED].id);
	assert_non_null(strstr(out.data, test_cases(f->dir, line.data)));
	buf_reset(&line);
	buf_addf(&line, "keep  report {#%lld} (signal, no_action since ",
	         (long long)f->r[R_HELD].id);
	assert_non_null(strstr(out.data, test_cases(f->dir, line.data)));
	buf_reset(&line);
	buf_addf(&line, "purge report {#%lld} (incident, closed since ",
	         (long long)f->r[R_INCIDENT].id);
	assert_non_null(strstr(out.data, test_cases(f->dir, line.data)));
	assert_non_null(strstr(out.data, "2 reports would be purged, 1 kept"));
	assert_null(strstr(out.data, f->r[R_OPEN].receipt));
	counts1 = test_db_counts(f->dir);
	read_db_files(f->dir, &after);
	assert_string_equal(counts0, counts1);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.data, after.data, before.len);
	free(counts0);
	free(counts1);

	/* The real thing, from the command line. */
	assert_int_equal(run_cli(f->dir, &out, "purge", NULL, NULL, NULL, NULL),
	                 0);
	assert_non_null(strstr(out.data, "purged 2 reports, 1 kept on legal hold"));
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'report-purge' AND actor LIKE 'cli:%'", 0), 2);
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'purge' AND actor LIKE 'cli:%'", 0), 1);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	check_after_purge(f, gone, 2, &kept);
	/* The command line's own check agrees. */
	assert_int_equal(install_close(f->inst), 0);
	f->inst = NULL;
	assert_int_equal(run_cli(f->dir, &out, "audit-verify", NULL, NULL, NULL,
	                         NULL), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);

	blobs_release(&gone[0]);
	blobs_release(&gone[1]);
	blobs_release(&kept);
	buf_release(&out);
	buf_release(&before);
	buf_release(&after);
	buf_release(&line);
}

static void
test_hold_cli(void **state)
{
	struct fixture *f = *state;
	struct retention_options opt = { .actor = AUDIT_ACTOR_SYSTEM };
	struct retention_result res;
	struct retention_hold hold;
	struct buf out = BUF_INIT;
	char id[24], row[24];

	/* Named by its case number (issue 15 point 2), never its row. */
	assert_int_equal(case_number_of(f->inst->db, f->r[R_EXPIRED].id, id), 0);
	snprintf(row, sizeof(row), "%lld", (long long)f->r[R_EXPIRED].id);
	assert_int_equal(run_cli(f->dir, &out, "hold", row, "on", "--reason",
	                         "bezwaar 2026-3"), 2);
	/* Refused: no reason, a reason of two lines, no such report. */
	assert_int_equal(run_cli(f->dir, &out, "hold", id, "on", NULL, NULL), 2);
	assert_int_equal(run_cli(f->dir, &out, "hold", id, "on", "--reason",
	                         "regel\ntwee"), 2);
	assert_int_equal(run_cli(f->dir, &out, "hold", id, "maybe", "--reason",
	                         "x"), 2);
	assert_int_equal(run_cli(f->dir, &out, "hold", "1999-K7QM-3P", "on",
	                         "--reason", "bezwaar 2026-3"), 1);
	assert_int_equal(retention_hold_get(f->inst, f->r[R_EXPIRED].id, &hold), 0);
	assert_false(hold.on);

	assert_int_equal(run_cli(f->dir, &out, "hold", id, "on", "--reason",
	                         "bezwaar 2026-3"), 0);
	assert_non_null(strstr(out.data, "legal hold set for report"));
	assert_int_equal(retention_hold_get(f->inst, f->r[R_EXPIRED].id, &hold), 0);
	assert_true(hold.on);
	assert_string_equal(hold.reason, "bezwaar 2026-3");
	assert_memory_equal(hold.by, "cli:", 4);
	assert_int_equal(strlen(hold.since), CLOCK_TEXT_LEN);
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'legal-hold-on' AND actor LIKE 'cli:%' AND"
	                 " object = 'report ' || (SELECT case_number FROM reports"
	                 " WHERE id = ?1) || ': bezwaar 2026-3'",
	                 f->r[R_EXPIRED].id), 1);

	/* Held: kept by the purge. */
	assert_int_equal(retention_purge(f->inst, f->wfs, 730, time(NULL), &opt,
	                                 &res), 0);
	assert_int_equal(res.purged, 1);	/* the incident */
	assert_int_equal(res.held, 2);
	assert_true(report_exists(f, R_EXPIRED));

	/* Lifted: the next purge takes it. */
	assert_int_equal(run_cli(f->dir, &out, "hold", id, "off", "--reason",
	                         "bezwaar afgehandeld"), 0);
	assert_int_equal(retention_hold_get(f->inst, f->r[R_EXPIRED].id, &hold), 0);
	assert_false(hold.on);
	assert_int_equal(audit_count(f->dir, "legal-hold-off"), 1);
	assert_int_equal(retention_purge(f->inst, f->wfs, 730, time(NULL), &opt,
	                                 &res), 0);
	assert_int_equal(res.purged, 1);
	assert_int_equal(res.held, 1);
	assert_false(report_exists(f, R_EXPIRED));
	assert_true(report_exists(f, R_HELD));
	assert_int_equal(raw_int(f->dir, "SELECT sum(reports) FROM purged_counts",
	                         0), 2);
	buf_release(&out);
}

/* The server purges on its own at start (and daily after). */
static void
test_server_purges_at_start(void **state)
{
	struct fixture *f = *state;
	struct test_server srv;
	int i;

	assert_int_equal(install_close(f->inst), 0);
	f->inst = NULL;
	assert_int_equal(test_server_start(&srv, f->dir), 0);
	for (i = 0; i < 200; i++) {
		if (raw_int(f->dir, "SELECT count(*) FROM reports", 0) == 3 &&
		    audit_count(f->dir, "purge") == 1)
			break;
		usleep(50000);
	}
	assert_int_equal(test_server_stop(&srv), 0);
	free(srv.log_path);
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM reports", 0), 3);
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'report-purge' AND actor = 'system'", 0), 2);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_true(report_exists(f, R_HELD));
	assert_true(report_exists(f, R_RECENT));
	assert_true(report_exists(f, R_OPEN));
	assert_false(report_exists(f, R_EXPIRED));
}

/* The case page over HTTP: the coordinator sets and lifts a hold. */
static long
post_hold(const struct test_server *srv, const struct buf *cookie,
          const char *csrf, const char *fields)
{
	struct buf body = BUF_INIT;
	long status = 0;

	if (csrf)
		buf_addf(&body, "csrf=%s&", csrf);
	buf_adds(&body, fields);
	assert_int_equal(test_http_cookie(srv, "POST", "/beheer/melding/blokkade",
	                 body.data, cookie->data, &status, NULL, NULL), 0);
	buf_release(&body);
	return status;
}

static void
test_hold_on_case_page(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT, cookie = BUF_INIT;
	struct buf csrf = BUF_INIT, page = BUF_INIT;
	struct test_init ti;
	const struct test_part parts[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Kerkstraat 3", 0, NULL, NULL },
		{ "observation", "Afgeplakte ramen.", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	struct installation *inst;
	struct test_server srv;
	struct secret *totp;
	char recovery[80], *dir;
	long status = 0;
	int64_t rows, bad;

	(void)state;
	dir = test_tmpdir("purge-http");
	test_init(dir, &ti);
	snprintf(recovery, sizeof(recovery), "%s", ti.recovery);
	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(dir, recovery, KEYRING_SIGNALS, "coord");
	assert_int_equal(test_server_start(&srv, dir), 0);
	totp = test_staff_setup(&srv, "coord", COORD_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	assert_int_equal(test_http_multipart(&srv, "/melden/signaal", parts, 4,
	                 NULL, &status, &page), 0);
	assert_int_equal(status, 200);

	/* The page offers the hold, and warns to name no one. */
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "action=\"/beheer/melding/blokkade\""));
	assert_non_null(strstr(page.data, "zonder namen"));
	assert_non_null(strstr(page.data, "name=\"hold\" value=\"on\""));

	/* Refused: no CSRF token, no reason, a reason of two lines. */
	assert_int_equal(post_hold(&srv, &cookie, NULL,
	                           "id={#1}&hold=on&reason=rechtszaak"), 403);
	assert_int_equal(post_hold(&srv, &cookie, csrf.data,
	                           "id={#1}&hold=on&reason="), 400);
	assert_int_equal(post_hold(&srv, &cookie, csrf.data,
	                           "id={#1}&hold=on&reason=a%0Ab"), 400);
	assert_int_equal(post_hold(&srv, &cookie, csrf.data,
	                           "id=1999-K7QM-3P&hold=on&reason=rechtszaak"), 404);

	assert_int_equal(post_hold(&srv, &cookie, csrf.data,
	                 "id={#1}&hold=on&reason=rechtszaak+2026-41"), 303);
	buf_reset(&page);
	assert_int_equal(test_http_cookie(&srv, "GET", "/beheer/melding?id={#1}",
	                 NULL, cookie.data, &status, NULL, &page), 0);
	assert_non_null(strstr(page.data, "rechtszaak 2026-41"));
	assert_non_null(strstr(page.data, "(ingesteld door coord)"));
	assert_non_null(strstr(page.data, "name=\"hold\" value=\"off\""));
	assert_int_equal(raw_int(dir, "SELECT legal_hold FROM reports WHERE"
	                 " id = 1", 0), 1);

	assert_int_equal(post_hold(&srv, &cookie, csrf.data,
	                 "id={#1}&hold=off&reason=zaak+afgesloten"), 303);
	assert_int_equal(raw_int(dir, "SELECT legal_hold FROM reports WHERE"
	                 " id = 1", 0), 0);
	assert_int_equal(raw_int(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action = 'legal-hold-on' AND"
	                 " object = 'report ' || (SELECT case_number FROM reports"
	                 " WHERE id = 1) || ': rechtszaak 2026-41'", 0), 1);
	assert_int_equal(raw_int(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action = 'legal-hold-off' AND"
	                 " object = 'report ' || (SELECT case_number FROM reports"
	                 " WHERE id = 1) || ': zaak afgesloten'", 0), 1);

	assert_int_equal(test_server_stop(&srv), 0);
	free(srv.log_path);
	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(audit_verify(inst->db, &rows, &bad), 0);
	assert_int_equal(install_close(inst), 0);
	secret_free(totp);
	test_rmtree(dir);
	free(dir);
	buf_release(&out);
	buf_release(&err);
	buf_release(&cookie);
	buf_release(&csrf);
	buf_release(&page);
}

/*
 * An integrity report received closed_age + 20 days ago and closed
 * closed_age days ago with outcome (not_admissible, unfounded, founded),
 * by the integrity coordinator's steps. Its id, its receipt into receipt.
 */
static int64_t
integrity_closed(struct fixture *f, const char *outcome, int closed_age,
                 char receipt[RECEIPT_TEXT_LEN + 1])
{
	static const char content[] = "{\"answers\":{\"what\":\"Declaraties\"}}";
	static const char stats[] = "{\"answers\":{\"kind\":\"fraud\"}}";
	const struct workflow_field reason = { "reason", "Na onderzoek" };
	const struct workflow_field investigated[] = {
		{ "investigator", "Extern bureau" }, { "reason", "Ernstig" },
	};
	const struct workflow_field concluded[] = {
		{ "finding", outcome }, { "reason", "Bevinding" },
	};
	const struct workflow_field measures = { "measures", "Berisping" };
	struct workflow_verdict v;
	struct submission sub;
	enum report_type t;
	int64_t id;

	assert_int_equal(report_type_parse("integrity", &t), 0);
	memset(&sub, 0, sizeof(sub));
	sub.type = t;
	sub.state = workflow_initial(workflows_get(f->wfs, t))->name;
	sub.source = "web";
	sub.content = content;
	sub.content_len = sizeof(content) - 1;
	sub.stats = stats;
	sub.stats_len = sizeof(stats) - 1;
	clock_set(f->now - (time_t)(closed_age + 20) * DAY);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	clock_set(f->now - (time_t)closed_age * DAY);
#define STEP(name, fl, n) assert_int_equal(events_transition(f->inst, f->wfs, \
	id, name, "integ1", ROLE_INTEGRITY, fl, n, NULL, &v), 0)
	STEP("acknowledge", NULL, 0);
	if (strcmp(outcome, "not_admissible") == 0) {
		STEP("not_admissible", &reason, 1);
	} else {
		STEP("admissible", investigated, 2);
		STEP("conclude", concluded, 2);
		if (strcmp(outcome, "founded") == 0)
			STEP("founded", &measures, 1);
		else
			STEP("unfounded", &reason, 1);
	}
#undef STEP
	clock_set(0);
	return id;
}

/*
 * Retention per outcome of integrity reports (issue 20 points 1 and 7):
 * not admissible 365 days, no violation 1826, a violation established
 * 3653 (schema/workflows/integrity.ini); each purged when its own period
 * has passed and not before, a legal hold keeps one, and the counts are
 * kept by type and outcome.
 */
static void
test_integrity_retention(void **state)
{
	struct fixture *f = *state;
	struct retention_options opt = { .actor = AUDIT_ACTOR_SYSTEM };
	struct retention_result res;
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct {
		const char *outcome;
		int closed_age, purged;
		int64_t id;
	} r[] = {
		{ "not_admissible", 400, 1, 0 }, { "not_admissible", 300, 0, 0 },
		{ "unfounded", 1900, 1, 0 }, { "unfounded", 400, 0, 0 },
		{ "founded", 3700, 1, 0 }, { "founded", 2000, 0, 0 },
		{ "founded", 3700, 0, 0 },	/* on legal hold */
	};
	size_t i, n = sizeof(r) / sizeof(r[0]);

	for (i = 0; i < n; i++)
		r[i].id = integrity_closed(f, r[i].outcome, r[i].closed_age,
		                           receipt);
	assert_int_equal(retention_hold_set(f->inst, r[n - 1].id, 1, "integ1",
	                                    "Bezwaarprocedure"), 0);
	assert_int_equal(retention_purge(f->inst, f->wfs, 730, time(NULL), &opt,
	                                 &res), 0);
	/* With the setup's expired signal and incident (and its held one). */
	assert_int_equal(res.purged, 3 + 2);
	assert_int_equal(res.held, 1 + 1);
	for (i = 0; i < n; i++) {
		int64_t left = raw_int(f->dir, "SELECT count(*) FROM reports"
		                       " WHERE id = ?1", r[i].id);

		if (left != !r[i].purged)
			fail_msg("the %s report closed %d days ago is %s", r[i].outcome,
			         r[i].closed_age, left ? "kept" : "purged");
		assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM report_events"
		                 " WHERE report_id = ?1", r[i].id) > 0, !r[i].purged);
	}
	assert_int_equal(raw_int(f->dir, "SELECT count(*) FROM purged_counts"
	                 " WHERE type = 'integrity' AND reports = 1 AND"
	                 " final_state IN ('not_admissible', 'unfounded',"
	                 " 'founded')", 0), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_purge_exactly_expired, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_then_cli_purge, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_hold_cli, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_purges_at_start, setup,
		                                teardown),
		cmocka_unit_test(test_hold_on_case_page),
		cmocka_unit_test_setup_teardown(test_integrity_retention, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("purge", tests, NULL, NULL);
}
