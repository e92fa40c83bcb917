/*
 * test_dossier.c - a case taken out of Meldpunt (core/dossier.c): the
 * export opens as a ZIP (core/zipfile read), its dossier.json holds the
 * content, the steps, the messages and each file's SHA-256, and the files
 * are in it byte for byte; internal notes and the reporter's identity
 * only when asked; a selection of answers and files (for the partner
 * hand-off); refused, and audited as refused, to a member of the signal
 * meeting, to the VPT coordinator (no signalen) and to an admin who holds
 * signalen only to grant it; every export and print audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "casework.h"
#include "crypto.h"
#include "db.h"
#include "dossier.h"
#include "form.h"
#include "handoff.h"
#include "install.h"
#include "keyrings.h"
#include "report.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"
#include "zipfile.h"

#define NAMED_SIGNAL "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":" \
	"\"Molenweg 4\",\"observation\":\"Hennepgeur.\",\"identity\":\"named\"," \
	"\"reporter_name\":\"Karin Visser\",\"reporter_email\":" \
	"\"k.visser@example.nl\"}}"

static const char photo[] = "Hennepgeur bij nummer 4, foto van de gevel.";
/* Not text, with a zero byte: copied byte for byte, not as a string. */
static const unsigned char scan[] = { '%', 'P', 'D', 'F', '-', '1', '.', '4',
                                      0x00, 0xff, 0x10, '\n' };

struct fixture {
	char *dir;
	char *db_path;
	struct installation *inst;
	struct workflows *wfs;
	struct secret *signals_sk, *incidents_sk, *overleg_sk;
	uint8_t signals_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t incidents_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t overleg_pk[CRYPTO_PUBLICKEY_LEN];
	struct actor_ring coord_ring, vpt_ring, member_ring, admin_ring;
	struct actor coord, vpt, member, admin;
	int64_t signal;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const struct attachment_in att[] = {
		{ "foto van de gevel.txt", "text/plain", photo,
		  sizeof(photo) - 1 },
		{ "../../scan.pdf", "application/pdf", scan, sizeof(scan) },
	};
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct install_result res;
	struct secret *rsk = NULL;
	struct buf path = BUF_INIT;
	struct submission sub;
	struct outcome o;
	int64_t uid;

	assert_int_equal(forms_load(), 0);
	f->dir = test_tmpdir("dossier");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	buf_addf(&path, "%s/%s", f->dir, INSTALL_DB_FILE);
	f->db_path = buf_detach(&path, NULL);

	assert_int_equal(recovery_parse(res.recovery_key, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_SIGNALS, rpk, rsk,
	                 &f->signals_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_SIGNALS,
	                 f->signals_pk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rpk,
	                 rsk, &f->incidents_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_INCIDENTS,
	                 f->incidents_pk), 0);
	assert_int_equal(keyrings_ensure(f->inst->db, KEYRING_MEETING), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_MEETING, rpk, rsk,
	                 &f->overleg_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_MEETING,
	                 f->overleg_pk), 0);
	secret_free(rsk);

	assert_int_equal(users_create(f->inst->db, "coord", "", ROLE_COORDINATOR,
	                 "een heel lang wachtwoord", &PWHASH_FAST, &uid, NULL,
	                 NULL), 0);
	f->coord_ring = (struct actor_ring){ KEYRING_SIGNALS, f->signals_pk,
	                                     f->signals_sk };
	f->coord = (struct actor){ uid, "coord", ROLE_COORDINATOR,
	                           &f->coord_ring, 1 };
	f->vpt_ring = (struct actor_ring){ KEYRING_INCIDENTS, f->incidents_pk,
	                                   f->incidents_sk };
	f->vpt = (struct actor){ uid + 1, "vpt1", ROLE_VPT, &f->vpt_ring, 1 };
	f->member_ring = (struct actor_ring){ KEYRING_MEETING, f->overleg_pk,
	                                      f->overleg_sk };
	f->member = (struct actor){ uid + 2, "lid", ROLE_OVERLEG,
	                            &f->member_ring, 1 };
	f->admin_ring = f->coord_ring;
	f->admin = (struct actor){ 1, "admin", ROLE_ADMIN, &f->admin_ring, 1 };

	memset(&sub, 0, sizeof(sub));
	sub.type = REPORT_SIGNAL;
	sub.state = workflow_initial(workflows_get(f->wfs, REPORT_SIGNAL))->name;
	sub.source = "web";
	sub.content = NAMED_SIGNAL;
	sub.content_len = strlen(NAMED_SIGNAL);
	sub.files = att;
	sub.nfiles = 2;
	assert_int_equal(report_submit(f->inst, &sub, receipt, &f->signal), 0);
	assert_int_equal(casework_step(f->inst, f->wfs, &f->coord, f->signal,
	                 "start_intake", NULL, 0, NULL, NULL, 0, &o),
	                 VERDICT_DONE);
	assert_int_equal(casework_message(f->inst, &f->coord, f->signal,
	                 "Dank voor uw signaal.", 21, &o), VERDICT_DONE);
	assert_int_equal(casework_note(f->inst, &f->coord, f->signal,
	                 "Intern: zelfde pand als in 2024.", 32, &o),
	                 VERDICT_DONE);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	secret_free(f->signals_sk);
	secret_free(f->incidents_sk);
	secret_free(f->overleg_sk);
	test_rmtree(f->dir);
	free(f->db_path);
	free(f->dir);
	free(f);
	return 0;
}

/* What an archive held, read back with core/zipfile. */
struct entries {
	size_t n;
	char names[8][ZIPFILE_NAME_MAX + 1];
	struct buf data[8];
};

static int
collect(void *arg, const char *name, const void *data, size_t len)
{
	struct entries *e = arg;

	assert_true(e->n < 8);
	snprintf(e->names[e->n], sizeof(e->names[e->n]), "%s", name);
	buf_init(&e->data[e->n]);
	buf_add(&e->data[e->n], data, len);
	e->n++;
	return 0;
}

static void
entries_release(struct entries *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		buf_wipe_release(&e->data[i]);
}

/* The entry name of e, or NULL. */
static const struct buf *
entry(const struct entries *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->names[i], name) == 0)
			return &e->data[i];
	return NULL;
}

/* Export with in as coord; the archive's entries and its parsed document. */
static json_t *
export(struct fixture *f, const struct dossier_input *in, struct entries *e)
{
	struct buf zip = BUF_INIT;
	const struct buf *doc;
	struct outcome o;
	json_error_t jerr;
	json_t *j;

	memset(e, 0, sizeof(*e));
	assert_int_equal(dossier_build(f->inst, f->wfs, &f->coord, in,
	                 clock_now(), &zip, &o), VERDICT_DONE);
	assert_true(zip.len > 22);
	assert_memory_equal(zip.data, "PK\x03\x04", 4);
	assert_int_equal(zipfile_read(zip.data, zip.len, NULL, collect, e), 0);
	buf_wipe_release(&zip);
	doc = entry(e, DOSSIER_JSON_NAME);
	assert_non_null(doc);
	j = json_loadb(doc->data, doc->len, 0, &jerr);
	assert_non_null(j);
	return j;
}

static const char *
str(json_t *j, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		j = json_object_get(j, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(j, path));
}

static void
test_export_opens_and_holds_everything(void **state)
{
	struct fixture *f = *state;
	struct dossier_input in = { .report_id = f->signal };
	uint8_t hash[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];
	const struct buf *file;
	struct entries e;
	json_t *j, *files, *fj;
	size_t i, k;

	j = export(f, &in, &e);
	/* The document and both files, under safe names. */
	assert_int_equal(e.n, 3);
	assert_int_equal(json_integer_value(json_object_get(j, "format")),
	                 DOSSIER_FORMAT);
	assert_string_equal(str(j, "made_by"), "coord");
	/* The case by its number, never its row (issue 15 point 2). */
	assert_int_equal(f->signal, 1);
	assert_string_equal(str(j, "report.id"), test_cases(f->dir, "{#1}"));
	assert_string_equal(str(j, "report.type"), "signal");
	assert_string_equal(str(j, "content.answers.location"), "Molenweg 4");
	assert_string_equal(str(j, "content.answers.observation"),
	                    "Hennepgeur.");
	/* The identity stays out by default, as a meeting reads it. */
	assert_null(str(j, "content.answers.reporter_name"));
	assert_null(str(j, "content.answers.reporter_email"));
	assert_string_equal(str(j, "content.reporter"), "named");
	assert_false(json_is_true(json_object_get(j, "identity_included")));
	/* No notes unless asked. */
	assert_null(json_object_get(j, "notes"));
	assert_false(json_is_true(json_object_get(j, "notes_included")));
	/* The step, the message, the deadlines. */
	assert_string_equal(str(json_array_get(json_object_get(j, "events"), 0),
	                        "transition"), "start_intake");
	assert_string_equal(str(json_array_get(json_object_get(j, "messages"),
	                        0), "text"), "Dank voor uw signaal.");
	assert_true(json_array_size(json_object_get(j, "deadlines")) > 0);
	/* Each file: its hash in the document, its bytes in the archive. */
	files = json_object_get(j, "files");
	assert_int_equal(json_array_size(files), 2);
	for (i = 0; i < 2; i++) {
		const void *want = i == 0 ? (const void *)photo : scan;
		size_t len = i == 0 ? sizeof(photo) - 1 : sizeof(scan);

		fj = json_array_get(files, i);
		file = entry(&e, str(fj, "path"));
		assert_non_null(file);
		assert_int_equal(file->len, len);
		assert_memory_equal(file->data, want, len);
		crypto_sha256(hash, want, len);
		for (k = 0; k < sizeof(hash); k++)
			snprintf(hex + 2 * k, 3, "%02x", hash[k]);
		assert_string_equal(str(fj, "sha256"), hex);
		assert_int_equal(json_integer_value(json_object_get(fj, "size")),
		                 len);
	}
	assert_string_equal(str(json_array_get(files, 1), "name"),
	                    "../../scan.pdf");
	assert_null(strstr(str(json_array_get(files, 1), "path"), ".."));
	json_decref(j);
	entries_release(&e);

	/* The export is audited, with its read. */
	assert_int_equal(test_count(f->dir, test_cases(f->dir,
	                 "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND action = 'dossier-export'"
	                 " AND result = 'ok' AND object = 'report {#1}'")), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND action = 'report-read'"), 1);
}

static void
test_notes_identity_selection(void **state)
{
	struct fixture *f = *state;
	static const char *const answers[] = { "location" };
	struct dossier_input in = { .report_id = f->signal, .notes = 1,
	                            .identity = 1 };
	struct entries e;
	json_t *j;
	int64_t second;

	j = export(f, &in, &e);
	assert_string_equal(str(j, "content.answers.reporter_name"),
	                    "Karin Visser");
	assert_string_equal(str(json_array_get(json_object_get(j, "notes"), 0),
	                        "text"), "Intern: zelfde pand als in 2024.");
	json_decref(j);
	entries_release(&e);
	assert_int_equal(test_count(f->dir, test_cases(f->dir,
	                 "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'dossier-export' AND object ="
	                 " 'report {#1} with notes with identity'")), 1);

	/* A selection (the hand-off's): one answer, the second file only. */
	second = test_count(f->dir, "SELECT max(id) FROM attachments");
	memset(&in, 0, sizeof(in));
	in.report_id = f->signal;
	in.answers = answers;
	in.nanswers = 1;
	in.files = &second;
	in.nfiles = 1;
	j = export(f, &in, &e);
	assert_string_equal(str(j, "content.answers.location"), "Molenweg 4");
	assert_null(str(j, "content.answers.observation"));
	assert_null(str(j, "content.answers.reporter_name"));
	assert_int_equal(json_array_size(json_object_get(j, "files")), 1);
	assert_int_equal(e.n, 2);
	json_decref(j);
	entries_release(&e);
}

static void
test_refused_without_the_keyring(void **state)
{
	struct fixture *f = *state;
	const struct actor *who[] = { &f->member, &f->vpt, &f->admin };
	struct dossier_input in = { .report_id = f->signal };
	struct buf zip = BUF_INIT;
	struct dossier d;
	struct outcome o;
	size_t i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(dossier_build(f->inst, f->wfs, who[i], &in,
		                 clock_now(), &zip, &o), VERDICT_REFUSED);
		assert_true(casework_no_keyring(&o));
		assert_int_equal(zip.len, 0);
		in.action = DOSSIER_PRINT;
		assert_int_equal(dossier_open(f->inst, f->wfs, who[i], &in,
		                 clock_now(), &d, &o), VERDICT_REFUSED);
		in.action = NULL;
	}
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'dossier-export' AND result ="
	                 " 'refused' AND actor IN ('lid', 'vpt1', 'admin')"), 3);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'report-print' AND result ="
	                 " 'refused'"), 3);
	/* Nothing was read, nothing exported. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE result = 'ok' AND action IN ('report-read',"
	                 " 'dossier-export', 'report-print')"), 0);
	in.report_id = 999;
	assert_int_equal(dossier_build(f->inst, f->wfs, &f->coord, &in,
	                 clock_now(), &zip, &o), VERDICT_NOT_FOUND);
}

static void
test_print_view_opened(void **state)
{
	struct fixture *f = *state;
	struct dossier_input in = { .report_id = f->signal,
	                            .action = DOSSIER_PRINT };
	struct dossier d;
	struct outcome o;

	assert_int_equal(dossier_open(f->inst, f->wfs, &f->coord, &in,
	                 clock_now(), &d, &o), VERDICT_DONE);
	assert_int_equal(d.v.nnotes, 0);
	assert_int_equal(d.v.nfiles, 2);
	assert_null(memmem(d.v.content->bytes, d.v.content->len, "Karin", 5));
	dossier_release(&d);
	in.notes = 1;
	assert_int_equal(dossier_open(f->inst, f->wfs, &f->coord, &in,
	                 clock_now(), &d, &o), VERDICT_DONE);
	assert_int_equal(d.v.nnotes, 1);
	dossier_release(&d);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND action = 'report-print'"
	                 " AND result = 'ok'"), 2);
}

/*
 * The hand-off action (core/handoff.h) on the dossier it opens, failed at
 * each of its statements in turn: whatever fails, no hand-off is
 * recorded, no handoff-made row is written, the caller's buffer is as it
 * was and the passphrase is wiped; unfailed, one of each. (The read it
 * makes is audited report-read whatever follows: it did read.)
 */
static void
test_handoff_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	const char *const answers[] = { "location", "observation" };
	struct handoff_request r;
	struct handoff_made made;
	struct buf zip = BUF_INIT;
	struct outcome o;
	uint64_t n, start, failed = 0;
	int64_t made_n = 0;
	int done = 0;

	assert_int_equal(handoff_load(), 0);
	memset(&r, 0, sizeof(r));
	r.report_id = f->signal;
	r.partner = "riec";
	r.partner_name = "RIEC Noord-Holland";
	r.answers = answers;
	r.nanswers = 2;
	r.steps = 1;
	r.cover = "Graag uw beoordeling.";
	r.cover_max = 2000;
	r.lang = TEMPLATE_NL;
	r.organisation = "Gemeente Edam-Volendam";
	r.now = clock_now();
	for (n = 1; n < 10000; n++) {
		buf_reset(&zip);
		start = db_steps(f->inst->db);
		db_fail_step(f->inst->db, n);
		handoff_make(f->inst, f->wfs, &f->coord, &r, &zip, &made, &o);
		db_fail_step(f->inst->db, 0);
		assert_false(db_in_transaction(f->inst->db));
		if (db_steps(f->inst->db) - start < n) {
			done = 1;	/* nothing failed: it went through */
			break;
		}
		/*
		 * A failed read the dossier gets over (a deadline's verdict)
		 * may still end in a whole package; otherwise nothing at all.
		 */
		if (o.verdict == VERDICT_DONE) {
			made_n++;
			assert_true(zip.len > 0);
			assert_int_equal(strlen(made.passphrase),
			                 TOKEN_PASSWORD_LEN);
		} else {
			failed++;
			assert_int_equal(zip.len, 0);
			assert_int_equal(made.passphrase[0], 0);
		}
		assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"),
		                 made_n);
		assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
		                 " WHERE action = 'handoff-made'"), made_n);
	}
	assert_true(done);
	assert_int_equal(o.verdict, VERDICT_DONE);
	/* Every statement of the record's transaction among the failed. */
	assert_true(failed > 5);
	assert_true(zip.len > 0);
	assert_int_equal(strlen(made.passphrase), TOKEN_PASSWORD_LEN);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"),
	                 made_n + 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'handoff-made' AND result = 'ok'"),
	                 made_n + 1);
	/* A meeting member never makes one: refused, audited, nothing else. */
	buf_reset(&zip);
	assert_int_equal(handoff_make(f->inst, f->wfs, &f->member, &r, &zip,
	                 &made, &o), VERDICT_REFUSED);
	assert_int_equal(zip.len, 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM handoffs"),
	                 made_n + 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'handoff-made' AND actor = 'lid' AND"
	                 " result = 'refused'"), 1);
	buf_wipe_release(&zip);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_export_opens_and_holds_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes_identity_selection,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_handoff_all_or_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refused_without_the_keyring,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_view_opened, setup,
		                                teardown),
	};

	setenv("MELDPUNT_PWHASH", "fast", 1);
	return cmocka_run_group_tests_name("dossier", tests, NULL, NULL);
}
