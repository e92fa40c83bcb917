/*
 * test_split.c - `meldpunt reports split` (core/split.h, issue 15 point
 * 3): reports stored before identity had an envelope of its own are split
 * into content and identity.
 *
 * On a copy of the fixture v0.1.0-s18 (made by the version before): a
 * member of the overleg reads old named report 1 on an agenda without
 * its name or e-mail, before the split (taken out when read) and after
 * (not in the content envelope at all); the command splits every report,
 * says how far it got, and a second run finds nothing to do; afterwards
 * the old agenda key opens nothing of the new content, the new one opens
 * the content and not the identity, the coordinator and the reporter
 * (receipt) read name and e-mail as before, and the audit log verifies.
 *
 * On a fresh installation with reports stored the old way: a split
 * stopped halfway (limit) and then failed at every statement in turn
 * (db_fail_step) changes nothing that is half done and resumes to the
 * end; a report without its reporter's public key is left as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "case.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "limits.h"
#include "meeting.h"
#include "report.h"
#include "rotate.h"
#include "split.h"
#include "testutil.h"

#define FIXTURE "tests/data/fixtures/v0.1.0-s18"

/* A blob of the first row of sql, malloc'd (the caller frees). */
static uint8_t *
blob(struct db *db, const char *sql, int64_t id, size_t *len)
{
	struct stmt *st = NULL;
	const void *p;
	uint8_t *out;

	assert_int_equal(db_prepare(db, &st, sql), 0);
	assert_int_equal(stmt_bind_int(st, ":id", id), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	p = stmt_blob(st, 0, len);
	out = malloc(*len ? *len : 1);
	assert_non_null(out);
	memcpy(out, p, *len);
	stmt_finalize(st);
	return out;
}

static int
has(const struct secret *s, const char *text)
{
	return memmem(s->bytes, s->len, text, strlen(text)) != NULL;
}

/* value of the first line "key = value" of text after marker, into out. */
static void
manifest_value(const struct buf *text, const char *marker, const char *key,
               char *out, size_t size)
{
	const char *p = strstr(text->data, marker);
	struct buf k = BUF_INIT;
	size_t n;

	assert_non_null(p);
	buf_addf(&k, "\n%s = ", key);
	p = strstr(p, k.data);
	assert_non_null(p);
	p += k.len;
	n = strcspn(p, "\n");
	assert_true(n < size);
	memcpy(out, p, n);
	out[n] = '\0';
	buf_release(&k);
}

/* A keyring's key pair, recovered. */
struct ring {
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

static void
recover(struct installation *inst, const char *recovery, const char *name,
        struct ring *r)
{
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rsk;

	assert_int_equal(recovery_parse(recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_public_key(inst->db, name, r->pk), 0);
	assert_int_equal(keyrings_recover(inst->db, name, rpk, rsk, &r->sk), 0);
	secret_free(rsk);
}

/* Signal id as the overleg member reads it for the open meeting. */
static struct secret *
member_reads(struct installation *inst, const struct ring *overleg, int64_t id)
{
	struct meeting_reader r = {
		1, { overleg->pk, overleg->sk }, "lid",
	};
	struct secret *content = NULL;
	int64_t meeting;

	assert_int_equal(meeting_read_signal(inst, id, &r, &content, &meeting), 0);
	return content;
}

/* The data key the agenda holds for report id, opened with overleg. */
static struct secret *
agenda_key(struct installation *inst, const struct ring *overleg, int64_t id)
{
	struct secret *key = NULL;
	uint8_t *w;
	size_t len;

	w = blob(inst->db, "SELECT a.report_key FROM meeting_access a"
	         " JOIN meeting_items i ON i.id = a.item_id"
	         " WHERE i.report_id = :id", id, &len);
	assert_int_equal(len, KEYRING_WRAPPED_LEN);
	assert_int_equal(keyring_open_sealed(w, overleg->pk, overleg->sk, &key), 0);
	free(w);
	return key;
}

/* Decrypt report id's column (content, identity) with a data key. */
static int
decrypt(struct installation *inst, const char *column_sql, int64_t id,
        const struct secret *key, struct secret **plain)
{
	uint8_t *env, *loc;
	size_t envlen, loclen;
	int rc;

	env = blob(inst->db, column_sql, id, &envlen);
	loc = blob(inst->db, "SELECT locator FROM reports WHERE id = :id", id,
	           &loclen);
	*plain = NULL;
	rc = envelope_decrypt(env, envlen, loc, loclen, key, plain);
	free(env);
	free(loc);
	return rc;
}

#define CONTENT_SQL "SELECT content FROM reports WHERE id = :id"
#define IDENTITY_SQL "SELECT identity FROM reports WHERE id = :id"

static void
test_fixture_split(void **state)
{
	char recovery[80], receipt[32], *dir = test_tmpdir("split-fixture");
	struct buf src = BUF_INIT, manifest = BUF_INIT, in = BUF_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *split[] = { "--data", dir, "reports", "split", NULL };
	const char *verify[] = { "--data", dir, "audit-verify", NULL };
	struct installation *inst;
	struct ring signals, overleg;
	struct ring_key key;
	struct secret *plain, *old_key, *new_key;
	struct report_view rv;
	static const char *const cols[] = { "content", "identity", "stats" };
	int64_t meeting, named, anonymous;
	char sql[96];
	size_t c;

	(void)state;
	buf_addf(&src, "%s/" FIXTURE, getenv("MELDPUNT_SOURCE_DIR"));
	test_copy_files(src.data, dir);
	buf_addf(&src, "/manifest.ini");
	assert_int_equal(test_read_file(src.data, &manifest), 0);
	manifest_value(&manifest, "[fixture]", "recovery", recovery,
	               sizeof(recovery));
	manifest_value(&manifest, "[report 1]", "receipt", receipt,
	               sizeof(receipt));
	assert_non_null(strstr(manifest.data, "sees = Karin Visser"));

	/* Upgraded, not split: old report 1 on the agenda of a new meeting. */
	assert_int_equal(forms_load(), 0);
	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(split_pending(inst), 4);
	recover(inst, recovery, KEYRING_SIGNALS, &signals);
	key.pk = signals.pk;
	key.sk = signals.sk;
	assert_int_equal(meeting_create(inst, "2027-01-12", "januarioverleg",
	                                "coord", &meeting), 0);
	assert_int_equal(meeting_add(inst, meeting, 1, &key, "coord"), MEETING_OK);
	recover(inst, recovery, KEYRING_MEETING, &overleg);
	/* The member reads it without who reported, already now. */
	plain = member_reads(inst, &overleg, 1);
	assert_true(has(plain, "Dorpsstraat 12 Purmerend"));
	assert_true(has(plain, "\"reporter\":\"named\""));
	assert_false(has(plain, "Visser"));
	assert_false(has(plain, "k.visser"));
	secret_free(plain);
	/* But the key the agenda holds opens the whole old content. */
	old_key = agenda_key(inst, &overleg, 1);
	assert_int_equal(decrypt(inst, CONTENT_SQL, 1, old_key, &plain), 0);
	assert_true(has(plain, "Karin Visser"));
	secret_free(plain);
	assert_int_equal(install_close(inst), 0);

	/* The command, next to where the server would run. */
	buf_addf(&in, "%s\n", recovery);
	if (test_run_stdin(in.data, &out, &err, split) != 0)
		fail_msg("reports split: %s", err.data);
	assert_non_null(strstr(out.data, "4 report(s) split"));
	assert_non_null(strstr(err.data, "reports split: 4 of 4"));

	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(split_pending(inst), 0);
	/* The old agenda key opens nothing of the new content. */
	assert_int_equal(decrypt(inst, CONTENT_SQL, 1, old_key, &plain), -1);
	/* The new one opens the content, which holds no identity, and not
	 * the identity. */
	new_key = agenda_key(inst, &overleg, 1);
	assert_memory_not_equal(new_key->bytes, old_key->bytes, new_key->len);
	assert_int_equal(decrypt(inst, CONTENT_SQL, 1, new_key, &plain), 0);
	assert_true(has(plain, "Dorpsstraat 12 Purmerend"));
	assert_false(has(plain, "Visser"));
	secret_free(plain);
	assert_int_equal(decrypt(inst, IDENTITY_SQL, 1, new_key, &plain), -1);
	plain = member_reads(inst, &overleg, 1);
	assert_true(has(plain, "Hennepgeur en afgeplakte ramen."));
	assert_true(has(plain, "\"reporter\":\"named\""));
	assert_false(has(plain, "Visser"));
	secret_free(plain);
	/* The coordinator and the reporter read it as before. */
	assert_int_equal(case_read(inst, 1, &key, "coord", &plain), 0);
	assert_true(has(plain, "Karin Visser"));
	assert_true(has(plain, "k.visser@example.nl"));
	assert_true(has(plain, "Dorpsstraat 12 Purmerend"));
	secret_free(plain);
	assert_int_equal(report_open(inst, receipt, &rv), 0);
	assert_true(has(rv.content, "Karin Visser"));
	assert_true(has(rv.content, "Hennepgeur"));
	report_view_release(&rv);
	/* Anonymous report 2: an identity without answers. */
	assert_int_equal(case_read(inst, 2, &key, "coord", &plain), 0);
	assert_true(has(plain, "\"reporter\":\"anonymous\""));
	secret_free(plain);
	assert_int_equal(install_close(inst), 0);
	/*
	 * Padded as new reports are (issue 15 point 4): named report 1 and
	 * anonymous report 2, both signals, store content, identity and
	 * statistical answers of equal lengths (in the fixture: 496 and 436
	 * bytes of content, 303 and 313 of statistical answers).
	 */
	for (c = 0; c < 3; c++) {
		snprintf(sql, sizeof(sql), "SELECT length(%s) FROM reports"
		         " WHERE id = 1", cols[c]);
		named = test_count(dir, sql);
		snprintf(sql, sizeof(sql), "SELECT length(%s) FROM reports"
		         " WHERE id = 2", cols[c]);
		anonymous = test_count(dir, sql);
		if (named != anonymous)
			fail_msg("reports.%s: %lld bytes named, %lld anonymous",
			         cols[c], (long long)named, (long long)anonymous);
	}

	/* Again: nothing left to do. */
	buf_reset(&out);
	buf_reset(&err);
	assert_int_equal(test_run_stdin(in.data, &out, &err, split), 0);
	assert_non_null(strstr(out.data, "0 report(s) split"));
	/* A wrong key changes nothing. */
	assert_int_equal(test_run_stdin("not a key\n", &out, &err, split), 1);
	buf_reset(&out);
	if (test_run(&out, &err, verify) != 0)
		fail_msg("audit-verify after the split: %s %s", out.data, err.data);

	secret_free(old_key);
	secret_free(new_key);
	secret_free(signals.sk);
	secret_free(overleg.sk);
	forms_free();
	buf_release(&src);
	buf_release(&manifest);
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	test_rmtree(dir);
	free(dir);
}

/* ---- Interrupted and resumed ------------------------------------------ */

#define NREPORTS 3

struct resume {
	struct test_install t;
	char receipts[NREPORTS][RECEIPT_TEXT_LEN + 1];
	int64_t ids[NREPORTS];
	struct secret *rsk;
};

static int
act_split(void *arg)
{
	struct resume *r = arg;
	struct split_progress p;

	return split_reports(r->t.inst, r->rsk, limits_default.field_max, 0,
	                     NULL, NULL, &p) == 0 ? 0 : -1;
}

static void
test_split_resumes(void **state)
{
	struct resume r;
	struct ring signals, overleg;
	struct ring_key key;
	struct split_progress p;
	struct secret *plain, *old_key, *new_key;
	struct report_view rv;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	int64_t meeting;
	char content[256], name[32];
	int i;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(forms_load(), 0);
	test_install_new("split-resume", &r.t);
	/* Named signals stored the old way: identity inside the content. */
	for (i = 0; i < NREPORTS; i++) {
		struct submission sub = {
			.type = REPORT_SIGNAL, .state = "received", .source = "web",
		};

		snprintf(name, sizeof(name), "Melder Nummer%d", i);
		snprintf(content, sizeof(content), "{\"answers\":{\"identity\":"
		         "\"named\",\"observation\":\"waarneming %d\","
		         "\"reporter_name\":\"%s\",\"reporter_phone\":"
		         "\"06 1234567%d\"},\"form\":\"signal\"}", i, name, i);
		sub.content = content;
		sub.content_len = strlen(content);
		assert_int_equal(report_submit(r.t.inst, &sub, r.receipts[i],
		                               &r.ids[i]), 0);
	}
	recover(r.t.inst, r.t.res.recovery_key, KEYRING_SIGNALS, &signals);
	key.pk = signals.pk;
	key.sk = signals.sk;
	assert_int_equal(meeting_create(r.t.inst, "2027-02-09", "februari",
	                                "admin", &meeting), 0);
	assert_int_equal(meeting_add(r.t.inst, meeting, r.ids[1], &key, "admin"),
	                 MEETING_OK);
	recover(r.t.inst, r.t.res.recovery_key, KEYRING_MEETING, &overleg);
	old_key = agenda_key(r.t.inst, &overleg, r.ids[1]);
	assert_int_equal(recovery_parse(r.t.res.recovery_key, &r.rsk, rpk), 0);

	/* Stopped after one report, as an interruption would. */
	assert_int_equal(split_reports(r.t.inst, r.rsk, limits_default.field_max, 1,
	                               NULL, NULL, &p), 1);
	assert_int_equal(p.split, 1);
	assert_int_equal(p.total, NREPORTS);
	assert_int_equal(split_pending(r.t.inst), NREPORTS - 1);
	/* Then every statement of the rest failed in turn: each time all of
	 * the batch or none; the last run finishes. */
	assert_true(test_fail_each(r.t.inst->db, r.t.db_path, act_split, &r) > 5);
	assert_int_equal(split_pending(r.t.inst), 0);
	assert_int_equal(test_count(r.t.dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'reports-split'"), 2);

	for (i = 0; i < NREPORTS; i++) {
		snprintf(name, sizeof(name), "Melder Nummer%d", i);
		assert_int_equal(case_read(r.t.inst, r.ids[i], &key, "admin",
		                           &plain), 0);
		assert_true(has(plain, name));
		assert_true(has(plain, "waarneming"));
		secret_free(plain);
		assert_int_equal(report_open(r.t.inst, r.receipts[i], &rv), 0);
		assert_true(has(rv.content, name));
		report_view_release(&rv);
	}
	assert_int_equal(decrypt(r.t.inst, CONTENT_SQL, r.ids[1], old_key,
	                         &plain), -1);
	new_key = agenda_key(r.t.inst, &overleg, r.ids[1]);
	assert_int_equal(decrypt(r.t.inst, CONTENT_SQL, r.ids[1], new_key,
	                         &plain), 0);
	assert_true(has(plain, "waarneming 1"));
	assert_false(has(plain, "Nummer1"));
	assert_false(has(plain, "12345671"));
	secret_free(plain);
	assert_int_equal(decrypt(r.t.inst, IDENTITY_SQL, r.ids[1], new_key,
	                         &plain), -1);

	secret_free(old_key);
	secret_free(new_key);
	secret_free(signals.sk);
	secret_free(overleg.sk);
	secret_free(r.rsk);
	test_install_free(&r.t);
	forms_free();
}

/*
 * A report without the reporter's public key stored (none such is made
 * since migration 0002, but the column allows it): sealed again it would
 * lock its reporter out, so it is left as it was, and said so.
 */
static void
test_split_skips_without_reporter_key(void **state)
{
	struct test_install t;
	struct split_progress p;
	struct secret *rsk, *plain;
	struct ring signals;
	struct ring_key key;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	char receipt[RECEIPT_TEXT_LEN + 1];
	static const char content[] = "{\"answers\":{\"identity\":\"named\","
		"\"reporter_name\":\"Piet Klaassen\"},\"form\":\"signal\"}";
	struct submission sub = {
		.type = REPORT_SIGNAL, .state = "received", .source = "web",
		.content = content, .content_len = sizeof(content) - 1,
	};
	int64_t id;

	(void)state;
	assert_int_equal(forms_load(), 0);
	test_install_new("split-nokey", &t);
	assert_int_equal(report_submit(t.inst, &sub, receipt, &id), 0);
	assert_int_equal(db_exec(t.inst->db, "UPDATE reports SET"
	                         " reporter_public_key = NULL"), 0);
	assert_int_equal(recovery_parse(t.res.recovery_key, &rsk, rpk), 0);
	assert_int_equal(split_reports(t.inst, rsk, limits_default.field_max, 0,
	                               NULL, NULL, &p), 0);
	assert_int_equal(p.split, 0);
	assert_int_equal(p.skipped, 1);
	assert_int_equal(split_pending(t.inst), 1);
	recover(t.inst, t.res.recovery_key, KEYRING_SIGNALS, &signals);
	key.pk = signals.pk;
	key.sk = signals.sk;
	assert_int_equal(case_read(t.inst, id, &key, "admin", &plain), 0);
	assert_true(has(plain, "Piet Klaassen"));
	secret_free(plain);
	secret_free(signals.sk);
	secret_free(rsk);
	test_install_free(&t);
	forms_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_split),
		cmocka_unit_test(test_split_resumes),
		cmocka_unit_test(test_split_skips_without_reporter_key),
	};
	return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}
