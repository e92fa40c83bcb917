/*
 * test_refused.c - a refused report keeps what was typed (issue 16 point
 * 5), against the real server on 127.0.0.1: submissions refused by the
 * form's checks do not count towards [limits] submissions, and neither
 * does one refused by the limit; a 429 answers the form again with every
 * typed answer, the reason and the note that files are not kept; a report
 * that cannot be stored just now (the database held by another process)
 * gets 503 with Retry-After and the same form; and a body refused for its
 * declared size before it is read gets a page with the limits and a link
 * back to the form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"

struct fixture {
	char *dir;
	struct test_server srv;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf path = BUF_INIT;
	struct test_init ti;
	FILE *fp;

	f->dir = test_tmpdir("refused");
	test_init(f->dir, &ti);
	buf_addf(&path, "%s/refused.ini", f->dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs("[limits]\nsubmissions = 2\nbody_max = 64K\nfield_max = 16K\n"
	      "upload_file_max = 16K\nupload_total_max = 32K\n"
	      "upload_files_max = 3\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);
	buf_release(&path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

#define TYPED "Elke+nacht+een+busje+bij+de+haven+typed-4711"
#define TYPED_SHOWN "Elke nacht een busje bij de haven typed-4711"
#define VALID "phenomenon=drugs&location=Havenstraat+3&identity=anonymous" \
	"&observation=" TYPED

/* POST body to /melden/signaal from `from`; the status, and the answer. */
static int
submit(const struct fixture *f, const char *from, const char *body,
       struct buf *got, int wait_ms)
{
	struct buf req = BUF_INIT;
	int status;

	buf_addf(&req, "POST /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Connection: close\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
	status = test_exchange(&f->srv, from, req.data, got, wait_ms);
	buf_release(&req);
	return status;
}

/* The form came back with the typed text and the refusal's notes. */
static void
assert_form_kept(const struct buf *got)
{
	assert_non_null(strstr(got->data, "<form"));
	assert_non_null(strstr(got->data, TYPED_SHOWN));
	assert_non_null(strstr(got->data, "Havenstraat 3"));
	/* The note that files are not kept (nl.ini, form.refused_files). */
	assert_non_null(strstr(got->data, "Gekozen bestanden worden niet "
	                                  "bewaard"));
}

static void
test_refused_keeps_form(void **state)
{
	struct fixture *f = *state;
	struct buf got = BUF_INIT;
	int i;

	/* Refused by the form's checks: never counted, never 429. */
	for (i = 0; i < 5; i++)
		assert_int_equal(submit(f, "127.0.0.1", "phenomenon=drugs", &got,
		                        5000), 400);
	/* So the two the limit allows are still there. */
	assert_int_equal(submit(f, "127.0.0.1", VALID, &got, 5000), 200);
	assert_non_null(strstr(got.data, "id=\"receipt\""));
	assert_int_equal(submit(f, "127.0.0.1", VALID, &got, 5000), 200);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"), 2);
	/* The third: 429, the form again with all typed, nothing stored. */
	assert_int_equal(submit(f, "127.0.0.1", VALID, &got, 5000), 429);
	assert_non_null(strstr(got.data, "Retry-After: "));
	assert_form_kept(&got);
	assert_null(strstr(got.data, "id=\"receipt\""));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"), 2);
	buf_release(&got);
}

static void
test_store_failed_keeps_form(void **state)
{
	struct fixture *f = *state;
	struct buf got = BUF_INIT, path = BUF_INIT;
	sqlite3 *db;

	/* Another process holds the database: storing fails after the
	 * server's busy timeout (DB_BUSY_TIMEOUT_MS). */
	buf_addf(&path, "%s/meldpunt.db", f->dir);
	assert_int_equal(sqlite3_open(path.data, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(submit(f, "127.0.0.2", VALID, &got, 20000), 503);
	assert_non_null(strstr(got.data, "Retry-After: 10"));
	assert_form_kept(&got);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	/* It did not count: two more are stored from the same address. */
	assert_int_equal(submit(f, "127.0.0.2", VALID, &got, 5000), 200);
	assert_int_equal(submit(f, "127.0.0.2", VALID, &got, 5000), 200);
	buf_release(&got);
	buf_release(&path);
}

static void
test_too_large_page(void **state)
{
	struct fixture *f = *state;
	struct buf got = BUF_INIT;
	int fd, closed;

	fd = test_dial(&f->srv, "127.0.0.3");
	test_say(fd, "POST /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Connection: close\r\nContent-Type: multipart/form-data; "
	         "boundary=x\r\nContent-Length: 65537\r\n\r\n");
	test_hear(fd, &got, 5000, 0, &closed);
	close(fd);
	assert_non_null(strstr(got.data, "HTTP/1.1 413"));
	/* The limits, each named: 3 files of 16 kB, 32 kB, 64 kB in all. */
	assert_non_null(strstr(got.data, "ten hoogste 3 bestanden"));
	assert_non_null(strstr(got.data, "16 kB"));
	assert_non_null(strstr(got.data, "32 kB"));
	assert_non_null(strstr(got.data, "64 kB"));
	/* And the way back to the form. */
	assert_non_null(strstr(got.data, "href=\"/melden/signaal\""));
	assert_non_null(strstr(got.data, "Terug naar het formulier"));
	buf_release(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_keeps_form),
		cmocka_unit_test(test_store_failed_keeps_form),
		cmocka_unit_test(test_too_large_page),
	};

	return cmocka_run_group_tests_name("refused", tests, setup, teardown);
}
