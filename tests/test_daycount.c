/*
 * test_daycount.c - a reporter's actions leave their day only
 * (core/daycount.h, SECURITY.md promise 11): a reporter files with a
 * file, comes back and answers with a file; then no column of any table
 * and no line of the log holds the time of those actions, the day's
 * counts wait in reporter_days, and after the day one audit row carries
 * them, appended by the roll (the server's roller, a clean close), never
 * by a reporter's action. Staff actions keep their precise time.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "clock.h"
#include "daycount.h"
#include "filetype.h"
#include "install.h"
#include "message.h"
#include "report.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char *db_path;
	struct installation *inst;
};

static const char content[] = "{\"answers\":{},\"form\":\"signal\"}";
static const struct attachment_in photo = {
	"busje.png", "image/png", "PNGDATA-foto-van-het-busje", 26,
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->inst = test_install("daycount", &f->dir, &f->db_path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	if (f->inst)
		test_install_remove(f->inst, f->dir, f->db_path);
	free(f);
	return 0;
}

/* The count of action on day in reporter_days (0 when no row). */
static int64_t
counted(struct fixture *f, const char *day, const char *action)
{
	struct buf sql = BUF_INIT;
	int64_t n;

	buf_addf(&sql, "SELECT coalesce(sum(count), 0) FROM reporter_days"
	         " WHERE day = '%s' AND action = '%s'", day, action);
	n = test_count(f->dir, sql.data);
	buf_release(&sql);
	return n;
}

/*
 * How many text values in every column of every table contain needle,
 * read through a connection of its own.
 */
static int64_t
everywhere(struct fixture *f, const char *needle)
{
	sqlite3 *conn;
	sqlite3_stmt *tables, *cols, *hits;
	int64_t n = 0;

	assert_int_equal(sqlite3_open_v2(f->db_path, &conn,
	                 SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT name FROM sqlite_master"
	                 " WHERE type = 'table'", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		struct buf sql = BUF_INIT;
		const char *table = (const char *)sqlite3_column_text(tables, 0);

		buf_addf(&sql, "SELECT name FROM pragma_table_info('%s')", table);
		assert_int_equal(sqlite3_prepare_v2(conn, sql.data, -1, &cols,
		                 NULL), SQLITE_OK);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			buf_reset(&sql);
			buf_addf(&sql, "SELECT count(*) FROM \"%s\" WHERE"
			         " typeof(\"%s\") = 'text' AND instr(\"%s\", ?) > 0",
			         table, sqlite3_column_text(cols, 0),
			         sqlite3_column_text(cols, 0));
			assert_int_equal(sqlite3_prepare_v2(conn, sql.data, -1,
			                 &hits, NULL), SQLITE_OK);
			sqlite3_bind_text(hits, 1, needle, -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(hits), SQLITE_ROW);
			n += sqlite3_column_int64(hits, 0);
			sqlite3_finalize(hits);
		}
		sqlite3_finalize(cols);
		buf_release(&sql);
	}
	sqlite3_finalize(tables);
	sqlite3_close(conn);
	return n;
}

/* The three actions of a reporter, with stderr (the log) caught in log. */
static int64_t
reporter_day(struct fixture *f, struct buf *log)
{
	struct submission sub = {
		.type = REPORT_SIGNAL, .state = "received", .source = "web",
		.content = content, .content_len = sizeof(content) - 1,
		.files = &photo, .nfiles = 1,
	};
	struct reporter_message m = {
		.text = "Het busje is wit.", .len = 17, .files = &photo,
		.nfiles = 1, .upload_types = FILETYPE_ALL,
	};
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct buf path = BUF_INIT;
	struct report_status st;
	int64_t id;
	int fd, saved;

	buf_addf(&path, "%s/caught.log", f->dir);
	fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	close(fd);

	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	assert_int_equal(report_read_status(f->inst, receipt, 1, &st).verdict,
	                 VERDICT_DONE);
	report_status_release(&st);
	assert_int_equal(message_answer(f->inst, receipt, &m).verdict,
	                 VERDICT_DONE);

	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	assert_int_equal(test_read_file(path.data, log), 0);
	unlink(path.data);
	buf_release(&path);
	return id;
}

static void
test_reporter_leaves_day_only(void **state)
{
	struct fixture *f = *state;
	struct buf log = BUF_INIT;
	int64_t rows, bad, id;

	assert_int_equal(audit_verify(f->inst->db, &rows, &bad), 0);
	clock_set(test_utc(2026, 3, 10, 14, 23, 17));
	id = reporter_day(f, &log);
	/* No line in the log for any of the three. */
	assert_int_equal(log.len, 0);

	/* A handler answers later that day: staff keep their time. */
	clock_set(test_utc(2026, 3, 10, 15, 0, 0));
	assert_int_equal(message_to_reporter(f->inst, id, "coordinator",
	                                     "Dank u.", 7), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coordinator' AND action ="
	                 " 'message-create' AND at = '2026-03-10T15:00:00Z'"),
	                 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM messages"
	                 " WHERE author = 'handler'"
	                 " AND at = '2026-03-10T15:00:00Z'"), 1);

	/* Nothing anywhere holds the reporter's moment, not even its hour. */
	assert_int_equal(everywhere(f, "2026-03-10T14"), 0);
	assert_int_equal(everywhere(f, "14:23"), 0);
	/* No audit row of the reporter's own; the day only, where kept. */
	assert_int_equal(audit_verify(f->inst->db, &bad, &bad), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM messages"
	                 " WHERE author = 'reporter' AND at = '2026-03-10'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"
	                 " WHERE received_on = '2026-03-10'"), 1);

	/* The day's counts, waiting for the day to end. */
	assert_int_equal(counted(f, "2026-03-10", DAYCOUNT_FILED), 1);
	assert_int_equal(counted(f, "2026-03-10", DAYCOUNT_READ), 1);
	assert_int_equal(counted(f, "2026-03-10", DAYCOUNT_ANSWERED), 1);
	assert_int_equal(counted(f, "2026-03-10", DAYCOUNT_FILE), 2);
	assert_int_equal(daycount_roll(f->inst->db, clock_now()), 0);
	assert_int_equal(daycount_roll(f->inst->db,
	                               test_utc(2026, 3, 10, 23, 59, 59)), 0);
	assert_int_equal(counted(f, "2026-03-10", DAYCOUNT_FILED), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 0);

	/* After the day: one row with the counts, at the roll's own time. */
	clock_set(test_utc(2026, 3, 11, 0, 5, 0));
	assert_int_equal(daycount_roll(f->inst->db, clock_now()), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter' AND action = 'day-counts'"
	                 " AND at = '2026-03-11T00:05:00Z' AND object ="
	                 " 'day=2026-03-10 file-create=2 message-create=1"
	                 " report-create=1 report-read=1'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM"
	                            " reporter_days"), 0);
	/* Once only; and the chain holds. */
	assert_int_equal(daycount_roll(f->inst->db, clock_now()), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 1);
	assert_int_equal(audit_verify(f->inst->db, &bad, &bad), 0);
	buf_release(&log);
}

/* Days roll oldest first, each once; a clean close rolls what is over. */
static void
test_close_rolls_finished_days(void **state)
{
	struct fixture *f = *state;
	struct audit_check c;

	clock_set(test_utc(2026, 5, 1, 9, 0, 0));
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_READ, 2), 0);
	clock_set(test_utc(2026, 5, 3, 22, 0, 0));
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_READ, 1), 0);
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_FILED, 1), 0);
	/* Nothing counted, nothing added. */
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_FILE, 0), 0);
	clock_set(test_utc(2026, 5, 4, 8, 0, 0));
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_READ, 1), 0);

	assert_int_equal(install_close(f->inst), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 2);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter' AND object ="
	                 " 'day=2026-05-01 report-read=2'"
	                 " AND id < (SELECT id FROM audit_log WHERE object ="
	                 " 'day=2026-05-03 report-create=1 report-read=1')"), 1);
	/* Today's count stays for its day. */
	assert_int_equal(counted(f, "2026-05-04", DAYCOUNT_READ), 1);
	assert_int_equal(counted(f, "2026-05-01", DAYCOUNT_READ), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(install_verify_audit(f->inst, &c), 0);
}

/* A refused roll writes nothing: the counts wait for the next one. */
static int
roll(void *arg)
{
	struct fixture *f = arg;

	return daycount_roll(f->inst->db, test_utc(2026, 6, 2, 1, 0, 0));
}

static void
test_roll_fails_whole(void **state)
{
	struct fixture *f = *state;

	clock_set(test_utc(2026, 6, 1, 12, 0, 0));
	assert_int_equal(daycount_add(f->inst->db, DAYCOUNT_FILED, 3), 0);
	test_fail_each(f->inst->db, f->db_path, roll, f);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE object = 'day=2026-06-01 report-create=3'"),
	                 1);
	assert_int_equal(counted(f, "2026-06-01", DAYCOUNT_FILED), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reporter_leaves_day_only,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_rolls_finished_days,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_roll_fails_whole, setup,
		                                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
