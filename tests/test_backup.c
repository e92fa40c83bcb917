/*
 * test_backup.c - `meldpunt backup` while reports keep being written: the
 * copy is consistent, holds every report acknowledged before the backup
 * began (each opens with its receipt, in the copy, with the installation
 * secret), passes `restore-check`; a damaged copy fails it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "crypto.h"
#include "db.h"
#include "install.h"
#include "report.h"
#include "testutil.h"

#define MAX_REPORTS 100000

struct writer {
	struct installation *inst;
	pthread_mutex_t lock;
	int stop, failed;
	size_t acked;		/* reports whose report_create returned */
	char (*receipts)[RECEIPT_TEXT_LEN + 1];
};

struct fixture {
	char *dir;
	struct buf data, copy;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	buf_init(&f->data);
	buf_init(&f->copy);
	f->dir = test_tmpdir("backup");
	buf_addf(&f->data, "%s/data", f->dir);
	buf_addf(&f->copy, "%s/copy.db", f->dir);
	test_init(f->data.data, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	buf_release(&f->data);
	buf_release(&f->copy);
	free(f);
	return 0;
}

static void
content_of(size_t i, char *out, size_t len)
{
	snprintf(out, len, "melding nummer %zu: iemand bedreigde de balie", i);
}

static void *
write_reports(void *arg)
{
	struct writer *w = arg;
	char receipt[RECEIPT_TEXT_LEN + 1], text[128];
	int64_t id;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->acked;
		if (w->stop || i == MAX_REPORTS) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);
		content_of(i, text, sizeof(text));
		if (report_create(w->inst, REPORT_INCIDENT, "nieuw", text,
		                  strlen(text), receipt, &id) < 0) {
			w->failed = 1;
			break;
		}
		pthread_mutex_lock(&w->lock);
		memcpy(w->receipts[i], receipt, sizeof(receipt));
		w->acked = i + 1;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

static size_t
acked(struct writer *w)
{
	size_t n;

	pthread_mutex_lock(&w->lock);
	n = w->acked;
	pthread_mutex_unlock(&w->lock);
	return n;
}

static void
test_backup_while_writing(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT, restored = BUF_INIT;
	struct buf cmd = BUF_INIT;
	const char *backup[] = { "--data", f->data.data, "backup", f->copy.data,
	                         NULL };
	const char *check[] = { "restore-check", f->copy.data, NULL };
	struct installation *copy = NULL;
	struct writer w;
	pthread_t thread;
	size_t before, after, i;
	int rc, tries;

	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	w.receipts = calloc(MAX_REPORTS, sizeof(*w.receipts));
	assert_non_null(w.receipts);
	assert_int_equal(install_open(f->data.data, 0, &w.inst), 0);
	assert_int_equal(pthread_create(&thread, NULL, write_reports, &w), 0);

	/* Let some reports in, then back up while more keep coming. */
	for (tries = 0; acked(&w) < 20 && tries < 3000; tries++)
		usleep(10000);
	before = acked(&w);
	assert_true(before >= 20);
	rc = test_run(&out, &err, backup);
	after = acked(&w);
	/* And the writer went on after the backup too. */
	for (tries = 0; acked(&w) < after + 5 && tries < 3000; tries++)
		usleep(10000);
	pthread_mutex_lock(&w.lock);
	w.stop = 1;
	pthread_mutex_unlock(&w.lock);
	pthread_join(thread, NULL);
	if (rc != 0)
		print_error("backup said: %s\n", err.data);
	assert_int_equal(rc, 0);
	assert_int_equal(w.failed, 0);
	assert_non_null(strstr(out.data, "backup written to"));
	assert_int_equal(install_close(w.inst), 0);

	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, check), 0);
	assert_non_null(strstr(out.data, "can be restored"));
	assert_non_null(strstr(out.data, "integrity, foreign keys and audit "
	                       "chain: ok"));

	/*
	 * Restore as an operator would: the copy as meldpunt.db next to the
	 * installation secret. Every report acknowledged before the backup
	 * began opens with its receipt and reads back.
	 */
	buf_addf(&restored, "%s/restored", f->dir);
	buf_addf(&cmd, "mkdir -m 700 %s && cp %s %s/meldpunt.db && "
	         "cp -p %s/installation.key %s/", restored.data, f->copy.data,
	         restored.data, f->data.data, restored.data);
	assert_int_equal(system(cmd.data), 0);
	/* Read-write: opening a report writes its audit row. */
	assert_int_equal(install_open(restored.data, 0, &copy), 0);
	for (i = 0; i < before; i++) {
		struct report_view v;
		char text[128];

		content_of(i, text, sizeof(text));
		assert_int_equal(report_open(copy, w.receipts[i], &v), 0);
		assert_int_equal(v.content->len, strlen(text));
		assert_memory_equal(v.content->bytes, text, strlen(text));
		report_view_release(&v);
	}
	/* Nothing acknowledged after the backup finished is in it. */
	for (i = after; i < acked(&w); i++) {
		struct report_view v;

		assert_int_equal(report_open(copy, w.receipts[i], &v), 1);
	}
	assert_int_equal(install_close(copy), 0);

	/* A second backup to the same name is refused: never overwrite. */
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, backup), 1);
	assert_non_null(strstr(err.data, "never overwrites"));

	free(w.receipts);
	pthread_mutex_destroy(&w.lock);
	buf_release(&out);
	buf_release(&err);
	buf_release(&restored);
	buf_release(&cmd);
}

static void
test_restore_check_fails_on_damage(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *backup[] = { "--data", f->data.data, "backup", f->copy.data,
	                         NULL };
	const char *check[] = { "restore-check", f->copy.data, NULL };
	const char *missing[] = { "restore-check", "/nonexistent/copy.db", NULL };
	char junk[3000];
	FILE *fp;

	assert_int_equal(test_run(&out, &err, backup), 0);
	assert_int_equal(test_run(&out, &err, check), 0);

	/* Scribble over the fourth page, as a failing disk would. */
	memset(junk, 0xa5, sizeof(junk));
	fp = fopen(f->copy.data, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 4096 * 3, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	assert_int_equal(fclose(fp), 0);
	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, check), 1);
	assert_non_null(strstr(out.data, "integrity check"));
	assert_non_null(strstr(out.data, "can NOT be restored"));

	/* Not a database at all. */
	fp = fopen(f->copy.data, "wb");
	assert_non_null(fp);
	fputs("this is not a database, just some text of some length\n", fp);
	assert_int_equal(fclose(fp), 0);
	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, check), 1);
	assert_non_null(strstr(out.data, "can NOT be restored"));

	buf_reset(&out);
	assert_int_equal(test_run(&out, &err, missing), 1);
	assert_non_null(strstr(out.data, "cannot read /nonexistent/copy.db"));
	buf_release(&out);
	buf_release(&err);
}

struct write_arg {
	struct test_install *t;
	const char *path;
};

/* A backup: 0 with the copy there, or -1 with no copy left behind. */
static int
backup_action(void *arg)
{
	struct write_arg *w = arg;

	if (backup_write(w->t->inst, w->path, NULL, NULL) == 0) {
		assert_int_equal(access(w->path, F_OK), 0);
		return 0;
	}
	assert_int_not_equal(access(w->path, F_OK), 0);
	return -1;
}

/*
 * The backup action: its audit row failed means no copy kept; once done,
 * the copy passes restore-check and the log says so.
 */
static void
test_backup_write_fail_each(void **state)
{
	struct fixture *f = *state;
	struct test_install t;
	struct backup_check c;
	struct write_arg w = { &t, f->copy.data };

	(void)state;
	test_install_new("backup-write", &t);
	assert_true(test_fail_each(t.inst->db, t.db_path, backup_action, &w) >= 1);
	assert_int_equal(backup_check(f->copy.data, &c), 0);
	assert_int_equal(c.problems, 0);
	backup_check_release(&c);
	/* An existing file is never overwritten. */
	assert_int_equal(backup_write(t.inst, f->copy.data, NULL, NULL), -1);
	test_install_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_while_writing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_backup_write_fail_each, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_restore_check_fails_on_damage,
		                                setup, teardown),
	};
	return cmocka_run_group_tests_name("backup", tests, NULL, NULL);
}
