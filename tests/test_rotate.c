/*
 * test_rotate.c - key rotation: a keyring rotated, interrupted midway and
 * resumed, leaves every report readable by its reporter (receipt) and by a
 * member of the keyring with the new key, in every kind of envelope
 * (content, identity, statistical answers, files, messages, notes, event
 * fields, meeting notes and the overleg's agenda keys); the old keyring
 * key opens nothing any more; a rotated recovery key replaces the old
 * one; the command line does both with the recovery key on stdin.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "case.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "meeting.h"
#include "message.h"
#include "report.h"
#include "rotate.h"
#include "rowad.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define NSIGNALS 3

struct fixture {
	char *dir;
	struct install_result res;
	struct installation *inst;
	struct workflows *wfs;
	uint8_t admin_pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *admin_sk;
	int64_t admin_id;
	char receipts[NSIGNALS][RECEIPT_TEXT_LEN + 1];
	int64_t ids[NSIGNALS];
	char incident[RECEIPT_TEXT_LEN + 1];
	int64_t meeting;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct user u;

	f->dir = test_tmpdir("rotate");
	test_rmtree(f->dir);
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &f->res),
	                 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	assert_int_equal(users_find(f->inst->db, "admin", &u), 0);
	assert_int_equal(users_unlock(&u, f->res.admin_password, &f->admin_sk), 0);
	memcpy(f->admin_pk, u.public_key, CRYPTO_PUBLICKEY_LEN);
	f->admin_id = u.id;
	user_release(&u);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	secret_free(f->admin_sk);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static struct secret *
recovery(const char *text)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;

	assert_int_equal(recovery_parse(text, &sk, pk), 0);
	return sk;
}

/* The keyring's key pair as its member, the admin, unlocks it. */
static struct secret *
unlock(struct fixture *f, const char *ring, uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	struct secret *sk;

	assert_int_equal(keyrings_public_key(f->inst->db, ring, pk), 0);
	assert_int_equal(keyrings_unlock(f->inst->db, ring, f->admin_id,
	                 f->admin_pk, f->admin_sk, &sk), 0);
	return sk;
}

static void
text(char *out, size_t len, const char *what, int i)
{
	snprintf(out, len, "%s van melding %d", what, i);
}

/* Signals with every kind of envelope, and one incident. */
static void
fill(struct fixture *f)
{
	struct workflow_field reason = { "undermining_motivation", "geen aanleiding" };
	struct workflow_verdict v;
	char content[96], stats[64], file[64], msg[64], note[64], who[96];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = unlock(f, KEYRING_SIGNALS, pk);
	struct ring_key key = { pk, sk };
	int i;

	assert_int_equal(meeting_create(f->inst, "2026-12-01", "signaaloverleg",
	                                "admin", &f->meeting), 0);
	assert_int_equal(meeting_action_add(f->inst, f->meeting, &key, "Wijkagent",
	                                    9, "Pand bezoeken", 13, "2026-12-15",
	                                    "admin"), MEETING_OK);

	for (i = 0; i < NSIGNALS; i++) {
		struct attachment_in a = { "foto.jpg", "image/jpeg", file, 0 };
		struct submission sub = {
			.type = REPORT_SIGNAL, .state = "received",
			.source = "web", .content = content, .stats = stats,
			.files = &a, .nfiles = 1,
		};
		struct reporter_access acc;

		text(msg, sizeof(msg), "inhoud", i);
		snprintf(content, sizeof(content),
		         "{\"answers\":{\"observation\":\"%s\"}}", msg);
		text(msg, sizeof(msg), "naam", i);
		snprintf(who, sizeof(who),
		         "{\"answers\":{\"reporter_name\":\"%s\"}}", msg);
		sub.identity = who;
		sub.identity_len = strlen(who);
		text(stats, sizeof(stats), "fenomeen", i);
		text(file, sizeof(file), "bestand", i);
		sub.content_len = strlen(content);
		sub.stats_len = strlen(stats);
		a.len = strlen(file);
		assert_int_equal(report_submit(f->inst, &sub, f->receipts[i],
		                               &f->ids[i]), 0);
		assert_int_equal(report_access(f->inst, f->receipts[i], &acc), 0);
		text(msg, sizeof(msg), "aanvulling", i);
		assert_int_equal(message_from_reporter(f->inst, &acc, msg,
		                 strlen(msg), NULL, 0), 0);
		report_access_release(&acc);
		text(msg, sizeof(msg), "antwoord", i);
		assert_int_equal(message_to_reporter(f->inst, f->ids[i], "admin",
		                 msg, strlen(msg)), 0);
		text(note, sizeof(note), "notitie", i);
		assert_int_equal(case_note_add(f->inst, f->ids[i], "admin", note,
		                 strlen(note)), 0);
		assert_int_equal(meeting_add(f->inst, f->meeting, f->ids[i], &key,
		                             "admin"), MEETING_OK);
		text(note, sizeof(note), "verrijking", i);
		assert_int_equal(meeting_record(f->inst, f->meeting, f->ids[i], &key,
		                                note, strlen(note), "besluit", 7,
		                                i % 2 ? "to_riec" : NULL, "admin"),
		                 MEETING_OK);
		assert_int_equal(events_transition(f->inst, f->wfs, f->ids[i],
		                 "start_intake", "admin", ROLE_COORDINATOR, NULL,
		                 0, NULL, &v), 0);
		assert_int_equal(events_transition(f->inst, f->wfs, f->ids[i],
		                 "not_undermining", "admin", ROLE_COORDINATOR, &reason,
		                 1, NULL, &v), 0);
	}
	assert_int_equal(report_create(f->inst, REPORT_INCIDENT, "received",
	                 "incident", 8, f->incident, NULL), 0);
	secret_free(sk);
}

/* The reporter opens content, files and messages with the receipt. */
static void
reporter_reads(struct fixture *f, int i)
{
	struct reporter_access acc;
	struct attachment_view *files;
	struct message_view *msgs;
	struct report_view rv;
	char want[64];
	size_t n;

	assert_int_equal(report_open(f->inst, f->receipts[i], &rv), 0);
	text(want, sizeof(want), "inhoud", i);
	assert_non_null(memmem(rv.content->bytes, rv.content->len, want,
	                       strlen(want)));
	/* The identity envelope too. */
	text(want, sizeof(want), "naam", i);
	assert_non_null(memmem(rv.content->bytes, rv.content->len, want,
	                       strlen(want)));
	report_view_release(&rv);
	assert_int_equal(report_access(f->inst, f->receipts[i], &acc), 0);
	assert_int_equal(report_attachments(f->inst, &acc, &files, &n), 0);
	assert_int_equal(n, 1);
	attachments_release(files, n);
	assert_int_equal(messages_for_reporter(f->inst, &acc, &msgs, &n), 0);
	assert_int_equal(n, 2);
	messages_release(msgs, n);
	report_access_release(&acc);
}

/* Everything of signal i opens with the keyring key pair (pk, sk). */
static void
member_reads(struct fixture *f, int i, const uint8_t *pk,
             const struct secret *sk)
{
	struct ring_key key = { pk, sk };
	struct attachment_view *files;
	struct message_view *msgs;
	struct note_view *notes;
	struct event_list events;
	struct event_fields fields;
	struct secret *plain;
	struct stmt *st;
	char want[64];
	size_t n, k, opened = 0;

	assert_int_equal(case_read(f->inst, f->ids[i], &key, "admin", &plain), 0);
	text(want, sizeof(want), "inhoud", i);
	assert_non_null(memmem(plain->bytes, plain->len, want, strlen(want)));
	text(want, sizeof(want), "naam", i);
	assert_non_null(memmem(plain->bytes, plain->len, want, strlen(want)));
	secret_free(plain);
	assert_int_equal(case_attachments(f->inst, f->ids[i], &key, &files, &n), 0);
	assert_int_equal(n, 1);
	text(want, sizeof(want), "bestand", i);
	assert_memory_equal(files[0].data, want, strlen(want));
	attachments_release(files, n);
	assert_int_equal(case_messages(f->inst, f->ids[i], &key, &msgs, &n), 0);
	assert_int_equal(n, 2);
	text(want, sizeof(want), "antwoord", i);
	assert_memory_equal(msgs[1].body->bytes, want, strlen(want));
	messages_release(msgs, n);
	assert_int_equal(case_notes(f->inst, f->ids[i], &key, &notes, &n), 0);
	assert_int_equal(n, 1);
	text(want, sizeof(want), "notitie", i);
	assert_memory_equal(notes[0].body->bytes, want, strlen(want));
	notes_release(notes, n);

	assert_int_equal(events_list(f->inst->db, f->ids[i], &events), 0);
	for (k = 0; k < events.n; k++) {
		if (!events.items[k].fields)
			continue;
		assert_int_equal(events_open_fields(f->ids[i], &events.items[k],
		                                    pk, sk, &fields), 0);
		assert_int_equal(fields.n, 1);
		assert_string_equal(fields.items[0].value, "geen aanleiding");
		event_fields_release(&fields);
		opened++;
	}
	assert_int_equal(opened, 1);
	event_list_release(&events);

	/* The notes of its agenda item in the signal meeting. */
	{
		struct meeting_reader reader = { 0, { pk, sk }, "admin" };
		struct meeting_item *items;
		size_t found = 0;

		assert_int_equal(meeting_agenda(f->inst, f->meeting, &reader, 0,
		                                &items, &n), 0);
		text(want, sizeof(want), "verrijking", i);
		for (k = 0; k < n; k++) {
			if (items[k].report_id != f->ids[i])
				continue;
			assert_non_null(items[k].enrichment);
			assert_int_equal(items[k].enrichment->len, strlen(want));
			assert_memory_equal(items[k].enrichment->bytes, want,
			                    strlen(want));
			found++;
		}
		assert_int_equal(found, 1);
		meeting_agenda_release(items, n);
	}
	/* The meeting's action points. */
	{
		struct meeting_action *actions;

		assert_int_equal(meeting_actions_read(f->inst, f->meeting, &key,
		                                      &actions, &n), 0);
		assert_int_equal(n, 1);
		assert_memory_equal(actions[0].text->bytes, "Pand bezoeken", 13);
		meeting_actions_release(actions, n);
	}

	/* The statistical answers: sealed to statistiek and the handlers. */
	assert_int_equal(db_prepare(f->inst->db, &st, "SELECT stats, locator"
	                 " FROM reports WHERE id = :id"), 0);
	assert_int_equal(stmt_bind_int(st, ":id", f->ids[i]), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	{
		size_t elen, llen;
		const void *env = stmt_blob(st, 0, &elen);
		const void *loc = stmt_blob(st, 1, &llen);

		assert_int_equal(envelope_open(env, elen, loc, llen, pk, sk,
		                               &plain), 0);
	}
	stmt_finalize(st);
	text(want, sizeof(want), "fenomeen", i);
	assert_memory_equal(plain->bytes, want, strlen(want));
	secret_free(plain);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	struct stmt *st;
	int64_t n;

	assert_int_equal(db_prepare(f->inst->db, &st, sql), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	n = stmt_int(st, 0);
	stmt_finalize(st);
	return n;
}

/* 1 when the notes of signal i open with key, else 0. */
static int
notes_open(struct fixture *f, int i, const struct ring_key *key)
{
	struct note_view *notes = NULL;
	size_t n = 0;

	if (case_notes(f->inst, f->ids[i], key, &notes, &n) < 0)
		return 0;
	notes_release(notes, n);
	return 1;
}

/*
 * Issue 15 point 8, for notes (test_report has messages and files): a
 * note's envelope moved to another signal's note, or with another author
 * recorded, no longer opens; put back, it does.
 */
static void
test_note_bound_to_row(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
	struct ring_key key;

	fill(f);
	sk = unlock(f, KEYRING_SIGNALS, pk);
	key.pk = pk;
	key.sk = sk;
	assert_true(notes_open(f, 0, &key));
	test_exec(f->dir, "CREATE TEMP TABLE t AS SELECT id, body FROM notes;"
	         "UPDATE notes SET body = (SELECT body FROM t WHERE t.id ="
	         " (SELECT min(id) FROM t WHERE id > notes.id))"
	         " WHERE id < (SELECT max(id) FROM t);"
	         "UPDATE notes SET body = (SELECT body FROM t WHERE t.id ="
	         " (SELECT min(id) FROM t)) WHERE id = (SELECT max(id) FROM t);"
	         "DROP TABLE t");
	assert_false(notes_open(f, 0, &key));
	assert_false(notes_open(f, 1, &key));
	test_exec(f->dir, "CREATE TEMP TABLE t AS SELECT id, body FROM notes;"
	         "UPDATE notes SET body = (SELECT body FROM t WHERE t.id ="
	         " (SELECT max(id) FROM t WHERE id < notes.id))"
	         " WHERE id > (SELECT min(id) FROM t);"
	         "UPDATE notes SET body = (SELECT body FROM t WHERE t.id ="
	         " (SELECT max(id) FROM t)) WHERE id = (SELECT min(id) FROM t);"
	         "DROP TABLE t");
	assert_true(notes_open(f, 0, &key));
	assert_true(notes_open(f, 1, &key));
	test_exec(f->dir, "UPDATE notes SET author = 'coord'");
	assert_false(notes_open(f, 0, &key));
	test_exec(f->dir, "UPDATE notes SET author = 'admin'");
	assert_true(notes_open(f, 0, &key));
	secret_free(sk);
}

/*
 * Issue 15 point 8: an event's envelopes, bound to their row and author,
 * are re-sealed by keyring rotate with that binding: after rotating
 * statistiek, then agressie, a damages step's statistical fields open
 * with the new statistiek and agressie keys, its fields with the new
 * agressie key, and the old keys open neither.
 */
static void
test_event_envelopes_resealed(void **state)
{
	struct fixture *f = *state;
	struct workflow_field dmg[8];
	size_t ndmg = test_step_fields("damages", dmg, 8);
	uint8_t inc_pk[CRYPTO_PUBLICKEY_LEN], st_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t new_inc_pk[CRYPTO_PUBLICKEY_LEN], new_st_pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rsk = recovery(f->res.recovery_key);
	struct secret *inc_sk, *st_sk, *new_inc_sk, *new_st_sk;
	struct workflow_verdict v;
	struct event_fields ef;
	struct event_list l;
	struct rotate_progress p;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id, row;

	assert_int_equal(report_create(f->inst, REPORT_INCIDENT, "registered",
	                 "incident", 8, receipt, &id), 0);
	assert_int_equal(events_transition(f->inst, f->wfs, id,
	                 "first_care_talk", "admin", ROLE_VPT, NULL, 0, NULL,
	                 &v), 0);
	assert_int_equal(events_transition(f->inst, f->wfs, id, "damages",
	                 "admin", ROLE_VPT, dmg, ndmg, NULL, &v), 0);
	row = count(f, "SELECT max(id) FROM report_events");
	inc_sk = unlock(f, KEYRING_INCIDENTS, inc_pk);
	st_sk = unlock(f, KEYRING_STATISTICS, st_pk);
	assert_true(test_event_stats_open(f->inst->db, row, st_pk, st_sk));
	assert_true(test_event_stats_open(f->inst->db, row, inc_pk, inc_sk));

	assert_int_equal(rotate_keyring(f->inst, KEYRING_STATISTICS, rsk, 0, &p),
	                 0);
	assert_int_equal(rotate_keyring(f->inst, KEYRING_INCIDENTS, rsk, 0, &p),
	                 0);
	new_inc_sk = unlock(f, KEYRING_INCIDENTS, new_inc_pk);
	new_st_sk = unlock(f, KEYRING_STATISTICS, new_st_pk);
	assert_true(test_event_stats_open(f->inst->db, row, new_st_pk, new_st_sk));
	assert_true(test_event_stats_open(f->inst->db, row, new_inc_pk, new_inc_sk));
	assert_false(test_event_stats_open(f->inst->db, row, st_pk, st_sk));
	assert_false(test_event_stats_open(f->inst->db, row, inc_pk, inc_sk));
	assert_int_equal(events_list(f->inst->db, id, &l), 0);
	assert_int_equal(l.n, 2);
	assert_true(l.items[1].bound);
	assert_int_equal(events_open_fields(id, &l.items[1], new_inc_pk,
	                                    new_inc_sk, &ef), 0);
	assert_int_equal(ef.n, ndmg);
	event_fields_release(&ef);
	assert_int_equal(events_open_fields(id, &l.items[1], inc_pk, inc_sk,
	                                    &ef), -1);
	event_list_release(&l);
	secret_free(new_st_sk);
	secret_free(new_inc_sk);
	secret_free(st_sk);
	secret_free(inc_sk);
	secret_free(rsk);
}

static void
test_rotation_interrupted_and_resumed(void **state)
{
	struct fixture *f = *state;
	uint8_t old_pk[CRYPTO_PUBLICKEY_LEN], new_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t inc_pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rsk = recovery(f->res.recovery_key), *old_sk, *new_sk;
	struct secret *inc_sk, *plain;
	struct rotate_progress p;
	struct ring_key old_key;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id, rows, bad;
	int i;

	fill(f);
	old_sk = unlock(f, KEYRING_SIGNALS, old_pk);
	inc_sk = unlock(f, KEYRING_INCIDENTS, inc_pk);
	old_key.pk = old_pk;
	old_key.sk = old_sk;

	/* Interrupted after 4 envelopes: the reporter is not affected. */
	assert_int_equal(rotate_keyring(f->inst, KEYRING_SIGNALS, rsk, 4, &p), 1);
	assert_int_equal(p.resumed, 0);
	assert_int_equal(p.resealed, 4);
	assert_int_equal(count(f, "SELECT count(*) FROM keyring_rotations"), 1);
	for (i = 0; i < NSIGNALS; i++)
		reporter_reads(f, i);
	/* Until the end the keyring row keeps the old key. */
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_SIGNALS,
	                                     new_pk), 0);
	assert_memory_equal(new_pk, old_pk, CRYPTO_PUBLICKEY_LEN);

	/* Resumed, interrupted again, then finished. */
	assert_int_equal(rotate_keyring(f->inst, KEYRING_SIGNALS, rsk, 5, &p), 1);
	assert_int_equal(p.resumed, 1);
	assert_int_equal(rotate_keyring(f->inst, KEYRING_SIGNALS, rsk, 0, &p), 0);
	assert_int_equal(p.resumed, 1);
	assert_true(p.resealed > 0);
	assert_int_equal(p.members, 1);
	assert_int_equal(count(f, "SELECT count(*) FROM keyring_rotations"), 0);

	/* The member's copy is of the new key, which opens everything. */
	new_sk = unlock(f, KEYRING_SIGNALS, new_pk);
	assert_memory_not_equal(new_pk, old_pk, CRYPTO_PUBLICKEY_LEN);
	for (i = 0; i < NSIGNALS; i++) {
		reporter_reads(f, i);
		member_reads(f, i, new_pk, new_sk);
		/* The old key opens nothing of it any more. */
		assert_int_equal(case_read(f->inst, f->ids[i], &old_key, "admin",
		                           &plain), -1);
	}
	/* Nor what is sealed after the rotation. */
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received", "nieuw",
	                 5, receipt, &id), 0);
	assert_int_equal(case_read(f->inst, id, &old_key, "admin", &plain), -1);
	{
		struct ring_key key = { new_pk, new_sk };

		assert_int_equal(case_read(f->inst, id, &key, "admin", &plain), 0);
		secret_free(plain);
	}
	/* The recovery key opens the new key; another keyring is untouched. */
	{
		uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
		struct secret *rec_ring, *r2;

		assert_int_equal(recovery_parse(f->res.recovery_key, &r2, rpk), 0);
		assert_int_equal(keyrings_recover(f->inst->db, KEYRING_SIGNALS, rpk,
		                                  r2, &rec_ring), 0);
		assert_memory_equal(rec_ring->bytes, new_sk->bytes, new_sk->len);
		secret_free(rec_ring);
		secret_free(r2);
	}
	{
		struct report_view rv;

		assert_int_equal(report_open(f->inst, f->incident, &rv), 0);
		report_view_release(&rv);
	}
	assert_int_equal(audit_verify(f->inst->db, &rows, &bad), 0);
	secret_free(inc_sk);
	secret_free(new_sk);
	secret_free(old_sk);
	secret_free(rsk);
}

static void
test_wrong_recovery_key_changes_nothing(void **state)
{
	struct fixture *f = *state;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct rotate_progress p;
	struct secret *sk;
	char other[RECOVERY_TEXT_LEN + 1];

	assert_int_equal(keyring_create(pk, &sk), 0);
	assert_int_equal(rotate_keyring(f->inst, KEYRING_SIGNALS, sk, 0, &p), -1);
	assert_int_equal(rotate_recovery(f->inst, sk, other), -1);
	assert_int_equal(count(f, "SELECT count(*) FROM keyring_rotations"), 0);
	secret_free(sk);
}

static void
test_recovery_rotation(void **state)
{
	struct fixture *f = *state;
	static const char *const rings[] = {
		KEYRING_SIGNALS, KEYRING_INCIDENTS, KEYRING_STATISTICS,
	};
	uint8_t old_pk[CRYPTO_PUBLICKEY_LEN], new_pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *old_sk, *new_sk, *ring;
	struct rotate_progress p;
	char text_new[RECOVERY_TEXT_LEN + 1];
	size_t i;

	fill(f);
	assert_int_equal(recovery_parse(f->res.recovery_key, &old_sk, old_pk), 0);
	/* A keyring rotation under way keeps working across it. */
	assert_int_equal(rotate_keyring(f->inst, KEYRING_INCIDENTS, old_sk, 1,
	                                 &p), 1);
	assert_int_equal(rotate_recovery(f->inst, old_sk, text_new), 0);
	assert_int_equal(recovery_parse(text_new, &new_sk, new_pk), 0);
	for (i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		assert_int_equal(keyrings_recover(f->inst->db, rings[i], old_pk,
		                                  old_sk, &ring), -1);
		assert_int_equal(keyrings_recover(f->inst->db, rings[i], new_pk,
		                                  new_sk, &ring), 0);
		secret_free(ring);
	}
	/* The old key can no longer rotate (or recover) anything. */
	assert_int_equal(rotate_keyring(f->inst, KEYRING_INCIDENTS, old_sk, 0,
	                                &p), -1);
	assert_int_equal(rotate_keyring(f->inst, KEYRING_INCIDENTS, new_sk, 0,
	                                &p), 0);
	assert_int_equal(p.resumed, 1);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, new_pk,
	                                  new_sk, &ring), 0);
	secret_free(ring);
	secret_free(new_sk);
	secret_free(old_sk);
}

static void
test_command_line(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT, in = BUF_INIT;
	const char *rotate[] = { "--data", f->dir, "keyring", "rotate",
	                         KEYRING_STATISTICS, NULL };
	const char *recov[] = { "--data", f->dir, "recovery-key", "rotate", NULL };
	const char *p;
	char newkey[RECOVERY_TEXT_LEN + 1];

	fill(f);
	buf_addf(&in, "%s\n", f->res.recovery_key);
	if (test_run_stdin(in.data, &out, &err, rotate) != 0)
		fail_msg("keyring rotate: %s", err.data);
	assert_non_null(strstr(out.data, "keyring statistiek has a new key"));
	assert_non_null(strstr(out.data, "3 envelope(s) re-sealed"));
	buf_reset(&out);
	assert_int_equal(test_run_stdin("not a key\n", &out, &err, rotate), 1);
	assert_non_null(strstr(err.data, "not a recovery key"));

	buf_reset(&out);
	assert_int_equal(test_run_stdin(in.data, &out, &err, recov), 0);
	p = strstr(out.data, "NEW RECOVERY KEY");
	assert_non_null(p);
	p = strstr(p, "    ");
	assert_non_null(p);
	memcpy(newkey, p + 4, RECOVERY_TEXT_LEN);
	newkey[RECOVERY_TEXT_LEN] = '\0';
	/* The old key is refused now; the new one works. */
	buf_reset(&err);
	assert_int_equal(test_run_stdin(in.data, &out, &err, rotate), 1);
	assert_non_null(strstr(err.data, "not the recovery key"));
	buf_reset(&in);
	buf_addf(&in, "%s\n", newkey);
	buf_reset(&out);
	assert_int_equal(test_run_stdin(in.data, &out, &err, rotate), 0);
	buf_release(&out);
	buf_release(&err);
	buf_release(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_rotation_interrupted_and_resumed, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_wrong_recovery_key_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_note_bound_to_row, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_event_envelopes_resealed,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_rotation, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_command_line, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("rotate", tests, NULL, NULL);
}
