/*
 * test_message.c - the reporter answers with the receipt (core/message.h
 * message_answer): stored with its files and day count; a wrong receipt
 * finds nothing; a file over its limit, a cut or unreadable text and an
 * empty answer store nothing; and every statement of an answer failed in
 * turn leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "install.h"
#include "filetype.h"
#include "message.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char *db_path;
	struct installation *inst;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t report;
	struct reporter_message m;
};

static const char content[] = "{\"answers\":{},\"form\":\"signal\"}";
static const struct attachment_in photo = {
	"busje.png", "image/png", "PNGDATA-foto-van-het-busje", 26,
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->inst = test_install("message", &f->dir, &f->db_path);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                               content, sizeof(content) - 1,
	                               f->receipt, &f->report), 0);
	f->m.text = "Het busje stond er gisteren weer.";
	f->m.len = strlen(f->m.text);
	f->m.files = &photo;
	f->m.nfiles = 1;
	f->m.upload_types = FILETYPE_ALL;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_install_remove(f->inst, f->dir, f->db_path);
	free(f);
	return 0;
}

static void
test_answer(void **state)
{
	struct fixture *f = *state;
	struct report_status st;
	struct outcome o;

	o = message_answer(f->inst, f->receipt, &f->m);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_true(o.id > 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM messages"
	                            " WHERE author = 'reporter'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM attachments"
	                            " WHERE message_id IS NOT NULL"), 1);
	/* Counted for its day, with its file; no audit row (daycount.h). */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                            " WHERE action = 'message-create'"), 0);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                            " WHERE action = 'message-create'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                            " WHERE action = 'file-create'"), 1);
	/* The reporter reads it back with the same receipt. */
	assert_int_equal(report_read_status(f->inst, f->receipt, 0, &st).verdict,
	                 VERDICT_DONE);
	assert_int_equal(st.nmessages, 1);
	assert_int_equal(st.messages[0].id, o.id);
	assert_true(st.messages[0].from_reporter);
	assert_int_equal(st.messages[0].nfiles, 1);
	assert_memory_equal(st.messages[0].body->bytes, f->m.text, f->m.len);
	report_status_release(&st);
}

/* Nothing is stored for a wrong receipt or an answer that does not fit. */
static void
test_refused(void **state)
{
	struct fixture *f = *state;
	char *before = test_db_snapshot(f->db_path), *after;
	struct reporter_message m = f->m;
	struct outcome o;

	o = message_answer(f->inst, "AAAA-AAAA-AAAA-AAAA", &m);
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);
	assert_string_equal(o.key, "status.not_found");
	assert_int_equal(message_answer(f->inst, NULL, &m).verdict,
	                 VERDICT_NOT_FOUND);

	m.files_error = "form.error.file_too_large";
	o = message_answer(f->inst, f->receipt, &m);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.file_too_large");
	assert_string_equal(o.field, "files");

	m.files_error = NULL;
	m.cut = 1;
	o = message_answer(f->inst, f->receipt, &m);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.too_long");
	assert_string_equal(o.field, "message");

	m.cut = 0;
	m.text = "een\001teken";
	m.len = strlen(m.text);
	o = message_answer(f->inst, f->receipt, &m);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.bad_text");

	m.text = NULL;
	m.len = 0;
	m.nfiles = 0;
	o = message_answer(f->inst, f->receipt, &m);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "status.reply_empty");

	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static int
answer_once(void *arg)
{
	struct fixture *f = arg;

	return message_answer(f->inst, f->receipt, &f->m).verdict ==
	       VERDICT_DONE ? 0 : -1;
}

/* Every statement of an answer fails in turn: nothing is left half done. */
static void
test_fail_each_statement(void **state)
{
	struct fixture *f = *state;

	assert_true(test_fail_each(f->inst->db, f->db_path, answer_once, f) > 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_each_statement, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("message", tests, NULL, NULL);
}
