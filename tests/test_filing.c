/*
 * test_filing.c - filing a report (core/filing.h): stored with its first
 * workflow state and its audit row; answers that do not fit, a text the
 * request reader cut, or an error web found itself store nothing and name
 * the field; and every statement of a filing failed in turn leaves
 * nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "filetype.h"
#include "filing.h"
#include "install.h"
#include "testutil.h"
#include "workflow.h"

struct fixture {
	char *dir;
	char *db_path;
	struct installation *inst;
	struct workflows *wfs;
	struct answers a;
	struct filing in;
	enum field_error errors[64];
	char receipt[RECEIPT_TEXT_LEN + 1];
};

static const struct attachment_in photo = {
	"busje.png", "image/png", "PNGDATA-foto-van-het-busje", 26,
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->inst = test_install("filing", &f->dir, &f->db_path);
	assert_int_equal(forms_load(), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	answers_init(&f->a);
	answers_add(&f->a, "phenomenon", "drugs", 5);
	answers_add(&f->a, "location", "Dorpsstraat 12, Purmerend", 25);
	answers_add(&f->a, "observation", "Elke nacht een busje.", 21);
	answers_add(&f->a, "identity", "anonymous", 9);
	f->in.type = REPORT_SIGNAL;
	f->in.workflow = workflows_get(f->wfs, REPORT_SIGNAL);
	f->in.source = "web";
	f->in.answers = &f->a;
	f->in.files = &photo;
	f->in.nfiles = 1;
	f->in.field_max = 20480;
	f->in.upload_types = FILETYPE_ALL;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	answers_release(&f->a);
	workflows_free(f->wfs);
	forms_free();
	test_install_remove(f->inst, f->dir, f->db_path);
	free(f);
	return 0;
}

static void
test_filed(void **state)
{
	struct fixture *f = *state;
	struct outcome o;
	struct buf sql = BUF_INIT;

	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_true(o.id > 0);
	assert_int_equal(strlen(f->receipt), RECEIPT_TEXT_LEN);
	buf_addf(&sql, "SELECT count(*) FROM reports WHERE id = %lld AND"
	         " type = 'signal' AND source = 'web' AND state = '%s'",
	         (long long)o.id, workflow_initial(f->in.workflow)->name);
	assert_int_equal(test_count(f->dir, sql.data), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM attachments"),
	                 1);
	/* Counted for its day, no audit row of its own (daycount.h). */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                            " action = 'report-create'"), 0);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                            " WHERE action = 'report-create'"), 1);
	buf_release(&sql);
}

/* Nothing is stored when anything does not fit; the field is named. */
static void
test_invalid(void **state)
{
	struct fixture *f = *state;
	char *before = test_db_snapshot(f->db_path), *after;
	struct answers bad;
	struct outcome o;
	const struct form *form = forms_get(REPORT_SIGNAL);
	size_t i;

	answers_init(&bad);
	answers_add(&bad, "phenomenon", "tulpen", 6);
	answers_add(&bad, "identity", "anonymous", 9);
	f->in.answers = &bad;
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.bad_option");
	assert_string_equal(o.field, "phenomenon");
	for (i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].name, "location") == 0)
			assert_int_equal(f->errors[i], FIELD_MISSING);
	assert_string_equal(f->receipt, "");

	/* A text the request reader cut is too long, whatever was kept. */
	answers_release(&bad);
	answers_init(&bad);
	answers_add(&bad, "phenomenon", "drugs", 5);
	answers_add(&bad, "location", "Dorpsstraat 12, Purmerend", 25);
	answers_add_cut(&bad, "observation", "Elke nacht", 10);
	answers_add(&bad, "identity", "anonymous", 9);
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.too_long");
	assert_string_equal(o.field, "observation");

	/* Good answers, but web found a file over its limit: not stored. */
	f->in.answers = &f->a;
	f->in.transport_errors = 1;
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_null(o.key);
	assert_null(o.field);

	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	answers_release(&bad);
	free(before);
	free(after);
}

static int
file_once(void *arg)
{
	struct fixture *f = arg;

	return report_file(f->inst, &f->in, f->errors, f->receipt).verdict ==
	       VERDICT_DONE ? 0 : -1;
}

/* Every statement of a filing fails in turn: nothing is left half done. */
static void
test_fail_each_statement(void **state)
{
	struct fixture *f = *state;

	/* The keyring keys are read once and cached: read them first. */
	assert_int_equal(file_once(f), 0);
	assert_true(test_fail_each(f->inst->db, f->db_path, file_once, f) > 3);
}

/*
 * Registered by a member of staff: the registrar's row is written in the
 * report's transaction, so a failed statement leaves neither.
 */
static void
test_registered_fail_each(void **state)
{
	struct fixture *f = *state;
	struct audit_row rows[4];
	size_t n;

	f->in.source = "phone";
	f->in.registrar = "coordinator1";
	assert_int_equal(file_once(f), 0);
	assert_true(test_fail_each(f->inst->db, f->db_path, file_once, f) > 3);
	assert_int_equal(audit_list(f->inst->db, 0, "coordinator1", rows, 4, &n),
	                 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].action, "report-register");
	assert_non_null(strstr(rows[0].object, "source=phone"));
}

/*
 * A Windows program named rapport.pdf is refused by its content, named in
 * the answer, and nothing is stored (a program is of no kind); a real PDF
 * is refused while pdf is off [limits] upload_types and filed once it is on.
 */
static void
test_file_type_refused(void **state)
{
	struct fixture *f = *state;
	static const struct attachment_in program = {
		"rapport.pdf", "application/pdf", "MZ\x90\0\x03\0\0\0", 8,
	};
	static const struct attachment_in pdf = {
		"rapport.pdf", "application/pdf", "%PDF-1.7\n%%EOF\n", 15,
	};
	struct outcome o;

	f->in.files = &program;
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.key, "form.error.file_type");
	assert_string_equal(o.arg, "rapport.pdf");
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"), 0);
	f->in.files = &pdf;
	f->in.upload_types = FILETYPE_JPEG | FILETYPE_PNG;
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_string_equal(o.arg, "rapport.pdf");
	f->in.upload_types = FILETYPE_PDF;
	o = report_file(f->inst, &f->in, f->errors, f->receipt);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_null(o.arg);
}

/*
 * Issue 15 point 4: a named and an anonymous signal with otherwise equal
 * answers, with a file of 1000 and one of 1100 bytes, each filed in an
 * installation of its own: every column of every table stores the same
 * length in both (SQLite's length(), row by row). Unpadded, the named
 * content was about 100 bytes longer and the files 100 bytes apart.
 */
static void
test_lengths_say_nothing(void **state)
{
	struct fixture *f = *state;
	static const size_t sizes[2] = { 1000, 1100 };
	struct attachment_in file[2];
	struct installation *inst[2];
	struct answers named;
	char *dir[2], *db[2], *lengths[2];
	uint8_t *data[2];
	int i;

	answers_init(&named);
	answers_add(&named, "phenomenon", "drugs", 5);
	answers_add(&named, "location", "Dorpsstraat 12, Purmerend", 25);
	answers_add(&named, "observation", "Elke nacht een busje.", 21);
	answers_add(&named, "identity", "named", 5);
	answers_add(&named, "reporter_name", "Johanna van der Meulen-Bakker", 29);
	answers_add(&named, "reporter_email", "j.vandermeulen@voorbeeld.nl", 27);
	answers_add(&named, "reporter_phone", "06 12345678", 11);
	for (i = 0; i < 2; i++) {
		struct filing in = f->in;
		struct outcome o;

		data[i] = malloc(sizes[i]);
		assert_non_null(data[i]);
		memset(data[i], 'a', sizes[i]);
		file[i] = (struct attachment_in){ "verslag.txt", "text/plain",
		                                  data[i], sizes[i] };
		inst[i] = test_install(i ? "lengths-named" : "lengths-anonymous",
		                       &dir[i], &db[i]);
		in.answers = i ? &named : &f->a;
		in.files = &file[i];
		o = report_file(inst[i], &in, f->errors, f->receipt);
		assert_int_equal(o.verdict, VERDICT_DONE);
		lengths[i] = test_db_lengths(db[i]);
	}
	/* The comparison sees the sealed columns. */
	assert_non_null(strstr(lengths[0], "reports.content="));
	assert_non_null(strstr(lengths[0], "reports.stats="));
	assert_non_null(strstr(lengths[0], "attachments.content="));
	assert_string_equal(lengths[0], lengths[1]);
	for (i = 0; i < 2; i++) {
		free(lengths[i]);
		free(data[i]);
		test_install_remove(inst[i], dir[i], db[i]);
	}
	answers_release(&named);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lengths_say_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_filed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_type_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_fail_each_statement, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_registered_fail_each, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("filing", tests, NULL, NULL);
}
