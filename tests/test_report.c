/*
 * test_report.c - a stored report: no plaintext in the database file,
 * found again with its receipt (as people type it), not with another,
 * and a damaged envelope is refused; a keyring key replaced by another
 * process is sealed to, not the cached old one; a receipt made ahead by
 * the pool opens its report like one made on the spot.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "keyrings.h"
#include "message.h"
#include "report.h"
#include "testutil.h"

static const char content[] =
	"Sinds maart staat er elke nacht een busje bij Dorpsstraat 12 in "
	"Purmerend; er wordt hennep gekweekt door Jan de Vries-Zwanenburg "
	"(0612345678). Melder: Petra Jansen, p.jansen@example.nl.";

struct fixture {
	char *dir;
	struct installation *inst;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct install_result res;

	f->dir = test_tmpdir("report");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Every file of the installation, as a copy would have them. */
static void
read_installation_files(const char *dir, struct buf *b)
{
	static const char *const names[] = {
		INSTALL_DB_FILE, INSTALL_DB_FILE "-wal", INSTALL_DB_FILE "-shm",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf path = BUF_INIT;

		buf_addf(&path, "%s/%s", dir, names[i]);
		test_read_file(path.data, b);
		buf_release(&path);
	}
}

static void
test_no_plaintext_in_database(void **state)
{
	struct fixture *f = *state;
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct buf files = BUF_INIT;
	int64_t id;
	size_t i;

	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &id), 0);
	/* Copy as it sits on disk right after the commit (WAL included). */
	read_installation_files(f->dir, &files);
	assert_true(files.len > 4096);
	/* No run of 6 bytes of the content appears anywhere. */
	for (i = 0; i + 6 <= strlen(content); i++)
		assert_false(test_contains(&files, content + i, 6));
	/* Nor the receipt. */
	assert_false(test_contains(&files, receipt, strlen(receipt)));
	buf_release(&files);

	/* Still none after a checkpoint moves it into the main file. */
	assert_int_equal(db_exec(f->inst->db, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
	read_installation_files(f->dir, &files);
	for (i = 0; i + 6 <= strlen(content); i++)
		assert_false(test_contains(&files, content + i, 6));
	buf_release(&files);
}

static void
test_open_with_receipt(void **state)
{
	struct fixture *f = *state;
	char receipt[RECEIPT_TEXT_LEN + 1], typed[64];
	struct report_view v;
	int64_t id;
	size_t i, o;

	assert_int_equal(report_create(f->inst, REPORT_INCIDENT, "received",
	                 content, strlen(content), receipt, &id), 0);
	assert_int_equal(report_open(f->inst, receipt, &v), 0);
	assert_int_equal(v.id, id);
	assert_int_equal(v.type, REPORT_INCIDENT);
	assert_string_equal(v.state, "received");
	assert_int_equal(strlen(v.received_on), 10);
	assert_int_equal(v.content->len, strlen(content));
	assert_memory_equal(v.content->bytes, content, strlen(content));
	report_view_release(&v);

	/* As typed over the phone: lower case, spaces instead of dashes. */
	for (i = 0, o = 0; receipt[i]; i++)
		typed[o++] = receipt[i] == '-' ? ' ' : (char)tolower(receipt[i]);
	typed[o] = '\0';
	assert_int_equal(report_open(f->inst, typed, &v), 0);
	assert_int_equal(v.id, id);
	report_view_release(&v);
}

static void
test_wrong_receipt(void **state)
{
	struct fixture *f = *state;
	char receipt[RECEIPT_TEXT_LEN + 1], other[RECEIPT_TEXT_LEN + 1];
	struct report_view v;
	int64_t id;

	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &id), 0);
	memcpy(other, receipt, sizeof(other));
	other[0] = other[0] == '7' ? '8' : '7';
	assert_int_equal(report_open(f->inst, other, &v), 1);
	assert_null(v.content);
	assert_int_equal(report_open(f->inst, "not a receipt", &v), 1);
	assert_int_equal(report_open(f->inst, "", &v), 1);
}

static void
test_damaged_envelope_refused(void **state)
{
	struct fixture *f = *state;
	char receipt[RECEIPT_TEXT_LEN + 1], *dbpath;
	struct report_view v;
	struct buf p = BUF_INIT;
	sqlite3 *conn;
	sqlite3_stmt *st;
	unsigned char *env;
	size_t len;
	int64_t id;

	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &id), 0);
	buf_addf(&p, "%s/%s", f->dir, INSTALL_DB_FILE);
	dbpath = buf_detach(&p, NULL);
	assert_int_equal(sqlite3_open(dbpath, &conn), SQLITE_OK);
	/* Flip one bit in the middle of the stored envelope. */
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT content FROM reports "
	                 "WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	len = (size_t)sqlite3_column_bytes(st, 0);
	env = malloc(len);
	memcpy(env, sqlite3_column_blob(st, 0), len);
	sqlite3_finalize(st);
	env[len / 2] ^= 0x01;
	assert_int_equal(sqlite3_prepare_v2(conn, "UPDATE reports SET content = ? "
	                 "WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, env, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	free(env);
	sqlite3_close(conn);
	free(dbpath);
	assert_int_equal(report_open(f->inst, receipt, &v), -1);
	assert_null(v.content);
}

/* 0 when every message and file of acc's report opens, else -1. */
static int
all_open(struct installation *inst, const struct reporter_access *acc)
{
	struct message_view *m = NULL;
	struct attachment_view *a = NULL;
	size_t nm = 0, na = 0;
	int ret = 0;

	if (messages_for_reporter(inst, acc, &m, &nm) < 0)
		ret = -1;
	else
		messages_release(m, nm);
	if (attachments_open(inst, acc->report_id, acc->locator, acc->pk,
	                     acc->sk, 1, &a, &na) < 0)
		ret = -1;
	else
		attachments_release(a, na);
	return ret;
}

/* Swap the envelopes of messages x and y (through a copy of both). */
#define SWAP_BODIES(x, y) \
	"CREATE TEMP TABLE t AS SELECT id, body FROM messages" \
	" WHERE id IN (" #x ", " #y ");" \
	"UPDATE messages SET body = (SELECT body FROM t WHERE t.id =" \
	" CASE messages.id WHEN " #x " THEN " #y " ELSE " #x " END)" \
	" WHERE id IN (" #x ", " #y ");" \
	"DROP TABLE t"

/*
 * Issue 15 point 8: a message's or file's envelope is bound to its
 * report, its own row and its author. Moved to another row of the same
 * report and author, to another report, or with another author recorded,
 * it no longer opens; put back, it does.
 */
static void
test_envelope_bound_to_row(void **state)
{
	struct fixture *f = *state;
	static const struct attachment_in file = {
		"foto.txt", "text/plain", "een foto", 8,
	};
	char receipt[2][RECEIPT_TEXT_LEN + 1];
	struct reporter_access acc[2];
	int64_t id;
	int i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
		                 content, strlen(content), receipt[i], &id), 0);
		assert_int_equal(report_access(f->inst, receipt[i], &acc[i]), 0);
	}
	/* Messages 1 and 2 of report 1 (1 with a file), 3 of report 2. */
	assert_int_equal(message_from_reporter(f->inst, &acc[0], "eerste", 6,
	                                       &file, 1), 0);
	assert_int_equal(message_from_reporter(f->inst, &acc[0], "tweede", 6,
	                                       NULL, 0), 0);
	assert_int_equal(message_from_reporter(f->inst, &acc[1], "derde", 5,
	                                       NULL, 0), 0);
	assert_int_equal(all_open(f->inst, &acc[0]), 0);

	/* Another row of the same report and author. */
	test_exec(f->dir, SWAP_BODIES(1, 2));
	assert_int_equal(all_open(f->inst, &acc[0]), -1);
	test_exec(f->dir, SWAP_BODIES(1, 2));
	assert_int_equal(all_open(f->inst, &acc[0]), 0);
	/* Another report (the reporter of neither opens it). */
	test_exec(f->dir, SWAP_BODIES(2, 3));
	assert_int_equal(all_open(f->inst, &acc[0]), -1);
	assert_int_equal(all_open(f->inst, &acc[1]), -1);
	test_exec(f->dir, SWAP_BODIES(2, 3));
	assert_int_equal(all_open(f->inst, &acc[1]), 0);
	/* Another author recorded: the message and its file. */
	test_exec(f->dir, "UPDATE messages SET author = 'handler' WHERE id = 1");
	assert_int_equal(all_open(f->inst, &acc[0]), -1);
	test_exec(f->dir, "UPDATE messages SET author = 'reporter' WHERE id = 1");
	assert_int_equal(all_open(f->inst, &acc[0]), 0);
	/* A file with another row id, or none: it was sealed with its own. */
	test_exec(f->dir, "UPDATE attachments SET seal_id = randomblob(16)");
	assert_int_equal(attachments_open(f->inst, acc[0].report_id,
	                 acc[0].locator, acc[0].pk, acc[0].sk, 1,
	                 &(struct attachment_view *){ NULL },
	                 &(size_t){ 0 }), -1);
	test_exec(f->dir, "UPDATE attachments SET seal_id = NULL");
	assert_int_equal(attachments_open(f->inst, acc[0].report_id,
	                 acc[0].locator, acc[0].pk, acc[0].sk, 1,
	                 &(struct attachment_view *){ NULL },
	                 &(size_t){ 0 }), -1);
	for (i = 0; i < 2; i++)
		report_access_release(&acc[i]);
}

/* Filing and reading are counted for the day, not audited one by one. */
static void
test_counted(void **state)
{
	struct fixture *f = *state;
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct report_view v;
	int64_t id, before, after, bad;

	assert_int_equal(audit_verify(f->inst->db, &before, &bad), 0);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &id), 0);
	assert_int_equal(report_open(f->inst, receipt, &v), 0);
	report_view_release(&v);
	assert_int_equal(audit_verify(f->inst->db, &after, &bad), 0);
	assert_int_equal(after, before);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM"
	                 " reporter_days WHERE action IN ('report-create',"
	                 " 'report-read')"), 2);
}

/* Set a keyring's key as another process (a rotation) would. */
static void
replace_key(sqlite3 *conn, const char *ring, uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	sqlite3_stmt *st;

	crypto_random(pk, CRYPTO_PUBLICKEY_LEN);
	assert_int_equal(sqlite3_prepare_v2(conn, "UPDATE keyrings SET"
	                 " public_key = ? WHERE name = ?", -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_blob(st, 1, pk, CRYPTO_PUBLICKEY_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ring, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_changes(conn), 1);
	sqlite3_finalize(st);
}

/* The envelope in column col of report id has a slot for pk. */
static int
sealed_to(sqlite3 *conn, int64_t id, const char *col,
          const uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	int has;

	buf_addf(&sql, "SELECT %s FROM reports WHERE id = ?", col);
	assert_int_equal(sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	has = envelope_has_recipient(sqlite3_column_blob(st, 0),
	                             (size_t)sqlite3_column_bytes(st, 0), pk);
	sqlite3_finalize(st);
	buf_release(&sql);
	return has;
}

/*
 * The server seals to keyring keys it has cached; a rotation by another
 * process replaces them in the database. A report sealed to a replaced
 * key is sealed again to the new one before it is stored (keys_current),
 * for the handling keyring and for the statistiek keyring alike.
 */
static void
test_keyring_key_replaced_elsewhere(void **state)
{
	static const char stats[] = "{\"answers\":{},\"form\":\"signal\"}";
	struct fixture *f = *state;
	struct submission sub = {
		.type = REPORT_SIGNAL, .state = "received", .source = "web",
		.content = content, .content_len = sizeof(content) - 1,
		.stats = stats, .stats_len = sizeof(stats) - 1,
	};
	uint8_t ring_pk[CRYPTO_PUBLICKEY_LEN], stats_pk[CRYPTO_PUBLICKEY_LEN];
	char receipt[RECEIPT_TEXT_LEN + 1], *dbpath;
	struct buf p = BUF_INIT;
	sqlite3 *conn;
	int64_t id;

	/* The first report fills the cache. */
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	buf_addf(&p, "%s/%s", f->dir, INSTALL_DB_FILE);
	dbpath = buf_detach(&p, NULL);
	assert_int_equal(sqlite3_open(dbpath, &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 5000);

	replace_key(conn, KEYRING_SIGNALS, ring_pk);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	assert_true(sealed_to(conn, id, "content", ring_pk));
	assert_true(sealed_to(conn, id, "stats", ring_pk));

	replace_key(conn, KEYRING_STATISTICS, stats_pk);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	assert_true(sealed_to(conn, id, "stats", stats_pk));
	assert_true(sealed_to(conn, id, "content", ring_pk));

	/* Both at once. */
	replace_key(conn, KEYRING_SIGNALS, ring_pk);
	replace_key(conn, KEYRING_STATISTICS, stats_pk);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	assert_true(sealed_to(conn, id, "content", ring_pk));
	assert_true(sealed_to(conn, id, "stats", stats_pk));
	assert_true(sealed_to(conn, id, "stats", ring_pk));
	/* Sealed again each time: every announced write was made. */
	assert_int_equal(db_group_expected(f->inst->db), 0);
	sqlite3_close(conn);
	free(dbpath);
}

/* Wait, bounded, until the installation's pool holds n receipts. */
static void
wait_pool(struct installation *inst, size_t n)
{
	time_t until = time(NULL) + 30;

	while (receipt_pool_ready(inst->receipts) < n) {
		if (time(NULL) > until)
			fail_msg("the receipt pool did not fill in 30 s");
		usleep(2000);
	}
}

/*
 * Reports whose receipts come from the pool open with them. That the
 * pool's receipt is the one used shows with a pool made (for this test
 * only) under another installation secret: its reports are found with
 * that secret and not with the installation's own, which a receipt made
 * on the spot would be.
 */
static void
test_receipt_from_pool(void **state)
{
	struct fixture *f = *state;
	struct secret *own = f->inst->secret;
	struct secret *other = secret_new(INSTALLATION_SECRET_LEN);
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct report_view v;
	int64_t id;
	int i;

	f->inst->receipts = receipt_pool_start(own, 4);
	assert_non_null(f->inst->receipts);
	wait_pool(f->inst, 4);
	for (i = 0; i < 3; i++) {
		assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
		                 content, strlen(content), receipt, &id), 0);
		assert_int_equal(report_open(f->inst, receipt, &v), 0);
		assert_int_equal(v.id, id);
		assert_memory_equal(v.content->bytes, content, strlen(content));
		report_view_release(&v);
	}
	receipt_pool_stop(f->inst->receipts);

	assert_non_null(other);
	crypto_random(other->bytes, other->len);
	f->inst->receipts = receipt_pool_start(other, 2);
	wait_pool(f->inst, 2);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &id), 0);
	assert_int_equal(report_open(f->inst, receipt, &v), 1);
	f->inst->secret = other;
	assert_int_equal(report_open(f->inst, receipt, &v), 0);
	assert_int_equal(v.id, id);
	assert_memory_equal(v.content->bytes, content, strlen(content));
	report_view_release(&v);
	f->inst->secret = own;
	receipt_pool_stop(f->inst->receipts);
	f->inst->receipts = NULL;
	secret_free(other);
}

/* A status read with the receipt, for test_fail_each. */
struct read_arg {
	struct installation *inst;
	const char *receipt;
};

static int
read_once(void *arg)
{
	struct read_arg *a = arg;
	struct report_status st;
	struct outcome o = report_read_status(a->inst, a->receipt, 1, &st);

	if (o.verdict != VERDICT_DONE)
		return -1;
	report_status_release(&st);
	return 0;
}

/*
 * The reporter comes back: the report, its files and the dialogue, one
 * audit row for the read; a wrong receipt (or none) finds nothing; and
 * every statement of the read failed in turn leaves no row behind.
 */
static void
test_read_status(void **state)
{
	static const struct attachment_in photo = {
		"busje.png", "image/png", "PNGDATA", 7,
	};
	struct fixture *f = *state;
	struct submission sub = {
		.type = REPORT_SIGNAL, .state = "received", .source = "web",
		.content = content, .content_len = sizeof(content) - 1,
		.files = &photo, .nfiles = 1,
	};
	char receipt[RECEIPT_TEXT_LEN + 1], other[RECEIPT_TEXT_LEN + 1];
	uint8_t r[RECEIPT_BYTES];
	struct report_status st;
	struct read_arg arg;
	struct outcome o;
	struct buf path = BUF_INIT;
	int64_t id, before, after, bad;

	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	assert_int_equal(message_to_reporter(f->inst, id, "coordinator",
	                                     "Dank u.", 7), 0);
	assert_int_equal(audit_verify(f->inst->db, &before, &bad), 0);
	o = report_read_status(f->inst, receipt, 1, &st);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_int_equal(o.id, id);
	assert_int_equal(st.id, id);
	assert_int_equal(st.type, REPORT_SIGNAL);
	assert_string_equal(st.state, "received");
	assert_memory_equal(st.content->bytes, content, sizeof(content) - 1);
	assert_int_equal(st.nfiles, 1);
	assert_string_equal(st.files[0].name, "busje.png");
	assert_int_equal(st.nmessages, 1);
	assert_memory_equal(st.messages[0].body->bytes, "Dank u.", 7);
	report_status_release(&st);
	assert_int_equal(audit_verify(f->inst->db, &after, &bad), 0);
	assert_int_equal(after, before);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM"
	                 " reporter_days WHERE action = 'report-read'"), 1);
	/* Without files: none opened. */
	o = report_read_status(f->inst, receipt, 0, &st);
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_int_equal(st.nfiles, 0);
	assert_null(st.files);
	report_status_release(&st);

	receipt_new(r);
	receipt_format(r, other);
	o = report_read_status(f->inst, other, 1, &st);
	assert_int_equal(o.verdict, VERDICT_NOT_FOUND);
	assert_string_equal(o.key, "status.not_found");
	assert_null(st.content);
	assert_int_equal(report_read_status(f->inst, NULL, 1, &st).verdict,
	                 VERDICT_NOT_FOUND);
	assert_int_equal(report_read_status(f->inst, "", 1, &st).verdict,
	                 VERDICT_NOT_FOUND);

	arg.inst = f->inst;
	arg.receipt = receipt;
	buf_addf(&path, "%s/%s", f->dir, INSTALL_DB_FILE);
	assert_true(test_fail_each(f->inst->db, path.data, read_once, &arg) > 4);
	buf_release(&path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_plaintext_in_database,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_with_receipt, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_wrong_receipt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_envelope_refused,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_envelope_bound_to_row, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_status, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_receipt_from_pool, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_keyring_key_replaced_elsewhere,
		                                setup, teardown),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
