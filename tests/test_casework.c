/*
 * test_casework.c - a handler's actions on a report (core/casework.c):
 * each one failed at every statement in turn leaves nothing half done
 * (the state as before, no success row in the audit log, no mail queued);
 * a workflow step whose feedback message cannot be stored stores neither;
 * and every refusal is audited: a VPT coordinator opening a signal, a
 * step the workflow refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casework.h"
#include "db.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "report.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define NAMED_SIGNAL "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":" \
	"\"Molenweg 4\",\"identity\":\"named\",\"reporter_name\":\"Karin " \
	"Visser\",\"reporter_email\":\"k.visser@example.nl\"}}"
#define INCIDENT "{\"answers\":{\"description\":\"Dreigement aan de " \
	"balie.\"}}"

struct fixture {
	char *dir;
	char *db_path;
	struct installation *inst;
	struct workflows *wfs;
	struct secret *signals_sk, *incidents_sk;
	uint8_t signals_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t incidents_pk[CRYPTO_PUBLICKEY_LEN];
	struct actor_ring coord_ring, vpt_ring;
	struct actor coord, vpt;
	int64_t signal, other, incident;
};

static int64_t
submit(struct fixture *f, enum report_type t, const char *content, int file)
{
	static const char bytes[] = "Hennepgeur bij nummer 4.";
	const struct attachment_in att = { "foto.txt", "text/plain", bytes,
	                                   sizeof(bytes) - 1 };
	struct submission sub;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id = 0;

	memset(&sub, 0, sizeof(sub));
	sub.type = t;
	sub.state = workflow_initial(workflows_get(f->wfs, t))->name;
	sub.source = "web";
	sub.content = content;
	sub.content_len = strlen(content);
	sub.files = file ? &att : NULL;
	sub.nfiles = file ? 1 : 0;
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct install_result res;
	struct secret *rsk = NULL;
	uint8_t upk[CRYPTO_PUBLICKEY_LEN];
	struct buf path = BUF_INIT;
	int64_t uid;

	f->dir = test_tmpdir("casework");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	buf_addf(&path, "%s/%s", f->dir, INSTALL_DB_FILE);
	f->db_path = buf_detach(&path, NULL);

	/* The keyrings' keys, as a login would unlock them. */
	assert_int_equal(recovery_parse(res.recovery_key, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_SIGNALS, rpk, rsk,
	                 &f->signals_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_SIGNALS,
	                 f->signals_pk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rpk,
	                 rsk, &f->incidents_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_INCIDENTS,
	                 f->incidents_pk), 0);
	secret_free(rsk);

	assert_int_equal(users_create(f->inst->db, "coord", "", ROLE_COORDINATOR,
	                 "een heel lang wachtwoord", &PWHASH_FAST, &uid, upk,
	                 NULL), 0);
	/* A handler holds the keyring: only then may a case be theirs. */
	assert_int_equal(keyrings_grant(f->inst->db, KEYRING_SIGNALS,
	                 f->signals_sk, uid, upk), 0);
	f->coord_ring = (struct actor_ring){ KEYRING_SIGNALS, f->signals_pk,
	                                     f->signals_sk };
	f->coord = (struct actor){ uid, "coord", ROLE_COORDINATOR,
	                           &f->coord_ring, 1 };
	assert_int_equal(users_create(f->inst->db, "vpt1", "", ROLE_VPT,
	                 "een heel lang wachtwoord", &PWHASH_FAST, &uid, NULL,
	                 NULL), 0);
	f->vpt_ring = (struct actor_ring){ KEYRING_INCIDENTS, f->incidents_pk,
	                                   f->incidents_sk };
	f->vpt = (struct actor){ uid, "vpt1", ROLE_VPT, &f->vpt_ring, 1 };

	f->signal = submit(f, REPORT_SIGNAL, NAMED_SIGNAL, 1);
	f->other = submit(f, REPORT_SIGNAL, NAMED_SIGNAL, 0);
	f->incident = submit(f, REPORT_INCIDENT, INCIDENT, 0);
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
	test_rmtree(f->dir);
	free(f->db_path);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t
count(struct fixture *f, const char *sql)
{
	return test_count(f->dir, sql);
}

/* Rows of the audit log of actor, action and result on object. */
static int64_t
audited(struct fixture *f, const char *actor, const char *action,
        const char *object, const char *result)
{
	struct buf sql = BUF_INIT;
	int64_t n;

	/* Test values only, no quotes in them. */
	buf_addf(&sql, "SELECT count(*) FROM audit_log WHERE actor = '%s' AND"
	         " action = '%s' AND object = '%s' AND result = '%s'", actor,
	         action, object, result);
	n = count(f, sql.data);
	buf_release(&sql);
	return n;
}

static void
state_is(struct fixture *f, int64_t id, const char *want)
{
	struct case_summary c;

	assert_int_equal(case_get(f->inst, id, &c), 0);
	assert_string_equal(c.state, want);
}

/* ---- Each action failed at every statement ------------------------- */

struct act {
	struct fixture *f;
	const char *name;		/* a step */
	const struct workflow_field *fields;
	size_t nfields;
	const char *text;		/* a step's feedback, message, note */
	int64_t other;
	struct outcome o;
};

static int
done(const struct act *a)
{
	return a->o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
act_step(void *arg)
{
	struct act *a = arg;

	casework_step(a->f->inst, a->f->wfs, &a->f->coord, a->f->signal,
	              a->name, a->fields, a->nfields, NULL, a->text,
	              a->text ? strlen(a->text) : 0, &a->o);
	return done(a);
}

static void
test_step_with_feedback_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	const struct workflow_field reason = { "undermining_motivation",
	                                       "Geen aanwijzingen." };
	struct act a = { f, "start_intake", NULL, 0, "Dank voor uw signaal.", 0,
	                 { 0, NULL, NULL, 0, NULL } };
	uint64_t steps;

	steps = test_fail_each(f->inst->db, f->db_path, act_step, &a);
	assert_true(steps > 5);
	state_is(f, f->signal, "weging_1");
	assert_int_equal(count(f, "SELECT count(*) FROM report_events"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM messages"), 1);
	/* A named reporter's address: the notice is queued with it. */
	assert_int_equal(count(f, "SELECT count(*) FROM outbox"), 1);

	/* With a sealed field too (a motivation), and the feedback. */
	a.name = "not_undermining";
	a.fields = &reason;
	a.nfields = 1;
	a.text = "Wij doen er niets mee.";
	test_fail_each(f->inst->db, f->db_path, act_step, &a);
	state_is(f, f->signal, "no_action");
	assert_int_equal(count(f, "SELECT count(*) FROM messages"), 2);
}

/*
 * The message insert refused by SQLite (a temporary trigger on this
 * connection only): the step is not stored either, and no notice queued.
 */
static void
test_step_fails_at_message_insert(void **state)
{
	struct fixture *f = *state;
	struct act a = { f, "start_intake", NULL, 0, "Dank voor uw signaal.", 0,
	                 { 0, NULL, NULL, 0, NULL } };
	char *before, *after;

	assert_int_equal(db_exec(f->inst->db, "CREATE TEMP TRIGGER no_messages"
	                 " BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT,"
	                 " 'refused by the test'); END"), 0);
	before = test_db_snapshot(f->db_path);
	assert_int_not_equal(act_step(&a), 0);
	assert_int_equal(a.o.verdict, VERDICT_FAILED);
	assert_false(db_in_transaction(f->inst->db));
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	state_is(f, f->signal, "received");
	assert_int_equal(count(f, "SELECT count(*) FROM report_events"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox"), 0);
	free(before);
	free(after);
	assert_int_equal(db_exec(f->inst->db, "DROP TRIGGER temp.no_messages"),
	                 0);
	/* Without the trigger the same request goes through. */
	assert_int_equal(act_step(&a), 0);
	state_is(f, f->signal, "weging_1");
}

static int
act_message(void *arg)
{
	struct act *a = arg;

	casework_message(a->f->inst, &a->f->coord, a->f->signal, a->text,
	                 strlen(a->text), &a->o);
	return done(a);
}

static int
act_note(void *arg)
{
	struct act *a = arg;

	casework_note(a->f->inst, &a->f->coord, a->f->signal, a->text,
	              strlen(a->text), &a->o);
	return done(a);
}

static int
act_assign(void *arg)
{
	struct act *a = arg;

	casework_assign(a->f->inst, &a->f->coord, a->f->signal, a->text, &a->o);
	return done(a);
}

static int
act_link(void *arg)
{
	struct act *a = arg;

	casework_link(a->f->inst, &a->f->coord, a->f->signal, a->other, &a->o);
	return done(a);
}

static int
act_hold(void *arg)
{
	struct act *a = arg;

	casework_hold(a->f->inst, &a->f->coord, a->f->signal, a->other != 0,
	              a->text, &a->o);
	return done(a);
}

static int
act_read(void *arg)
{
	struct act *a = arg;
	struct case_view v;

	if (casework_read(a->f->inst, &a->f->coord, a->f->signal, &v, &a->o) ==
	    VERDICT_DONE) {
		assert_non_null(v.content);
		case_view_release(&v);
	}
	return done(a);
}

static int
act_file(void *arg)
{
	struct act *a = arg;
	struct attachment_view *files = NULL;
	size_t n = 0, which = 0;

	if (casework_file(a->f->inst, &a->f->coord, a->f->signal, a->other,
	                  &files, &n, &which, &a->o) == VERDICT_DONE) {
		assert_string_equal(files[which].name, "foto.txt");
		attachments_release(files, n);
	}
	return done(a);
}

static void
test_actions_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct act a = { f, NULL, NULL, 0, "Heeft u nog foto's?", 0,
	                 { 0, NULL, NULL, 0, NULL } };
	struct buf object = BUF_INIT;
	struct attachment_view *files = NULL;
	size_t n = 0, which;
	struct outcome o;

	test_fail_each(f->inst->db, f->db_path, act_message, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM messages"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM outbox"), 1);

	a.text = "Lijkt op het signaal van vorige week.";
	test_fail_each(f->inst->db, f->db_path, act_note, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM notes"), 1);

	a.text = "coord";
	test_fail_each(f->inst->db, f->db_path, act_assign, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM reports"
	                 " WHERE assignee IS NOT NULL"), 1);

	a.other = f->other;
	test_fail_each(f->inst->db, f->db_path, act_link, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM report_links"), 1);

	a.other = 1;	/* on */
	a.text = "Strafzaak loopt.";
	test_fail_each(f->inst->db, f->db_path, act_hold, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM reports"
	                 " WHERE legal_hold = 1"), 1);

	buf_addf(&object, "report %lld", (long long)f->signal);
	test_fail_each(f->inst->db, f->db_path, act_read, &a);
	assert_int_equal(audited(f, "coord", "report-read", object.data,
	                         AUDIT_OK), 1);

	assert_int_equal(casework_file(f->inst, &f->coord, f->signal, 999999,
	                 &files, &n, &which, &o), VERDICT_NOT_FOUND);
	{
		struct case_view v;

		assert_int_equal(casework_read(f->inst, &f->coord, f->signal, &v,
		                 &o), VERDICT_DONE);
		assert_int_equal(v.nfiles, 1);
		a.other = v.files[0].id;
		case_view_release(&v);
	}
	test_fail_each(f->inst->db, f->db_path, act_file, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action = 'file-read' AND"
	                 " result = 'ok'"), 1);
	buf_release(&object);
}

/* ---- Refusals ------------------------------------------------------- */

static void
test_refusals_audited(void **state)
{
	struct fixture *f = *state;
	struct buf object = BUF_INIT;
	struct case_view v;
	struct outcome o;
	char *before, *after;

	before = test_db_snapshot(f->db_path);
	/* A VPT coordinator opening a signal: refused, and a row says so. */
	buf_addf(&object, "report %lld", (long long)f->signal);
	assert_int_equal(casework_read(f->inst, &f->vpt, f->signal, &v, &o),
	                 VERDICT_REFUSED);
	assert_true(casework_no_keyring(&o));
	assert_int_equal(audited(f, "vpt1", "report-read", object.data,
	                         AUDIT_REFUSED), 1);
	/* Each action the same way, with its own name. */
	assert_int_equal(casework_message(f->inst, &f->vpt, f->signal, "x", 1,
	                 &o), VERDICT_REFUSED);
	assert_int_equal(audited(f, "vpt1", "message-create", object.data,
	                         AUDIT_REFUSED), 1);
	assert_int_equal(casework_note(f->inst, &f->vpt, f->signal, "x", 1, &o),
	                 VERDICT_REFUSED);
	assert_int_equal(casework_assign(f->inst, &f->vpt, f->signal, "vpt1",
	                 &o), VERDICT_REFUSED);
	assert_int_equal(casework_link(f->inst, &f->vpt, f->signal, f->other,
	                 &o), VERDICT_REFUSED);
	assert_int_equal(casework_hold(f->inst, &f->vpt, f->signal, 1, "Zaak",
	                 &o), VERDICT_REFUSED);
	assert_int_equal(casework_step(f->inst, f->wfs, &f->vpt, f->signal,
	                 "start_intake", NULL, 0, NULL, NULL, 0, &o),
	                 VERDICT_REFUSED);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'vpt1' AND result = 'refused'"), 7);

	/* Steps the workflow refuses: audited, key and field given. */
	{
		struct actor wrong = f->coord;

		wrong.roles = ROLE_VPT;
		assert_int_equal(casework_step(f->inst, f->wfs, &wrong, f->signal,
		                 "start_intake", NULL, 0, NULL, NULL, 0, &o),
		                 VERDICT_REFUSED);
		assert_string_equal(o.key, "workflow.refused.role");
		assert_false(casework_no_keyring(&o));
	}
	assert_int_equal(casework_step(f->inst, f->wfs, &f->coord, f->signal,
	                 "no_action", NULL, 0, NULL, NULL, 0, &o),
	                 VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.state");
	assert_int_equal(casework_step(f->inst, f->wfs, &f->coord, f->signal,
	                 "start_intake", NULL, 0, "weging_1", NULL, 0, &o),
	                 VERDICT_STALE);
	assert_int_equal(casework_step(f->inst, f->wfs, &f->coord, f->signal,
	                 "bestaat_niet", NULL, 0, NULL, NULL, 0, &o),
	                 VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.unknown");
	buf_reset(&object);
	buf_addf(&object, "report %lld: bestaat_niet", (long long)f->signal);
	assert_int_equal(audited(f, "coord", "report-transition", object.data,
	                         AUDIT_REFUSED), 1);
	/* A field the step needs, named. */
	assert_int_equal(casework_step(f->inst, f->wfs, &f->vpt, f->incident,
	                 "police_report", NULL, 0, NULL, NULL, 0, &o),
	                 VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.field_missing");
	assert_string_equal(o.field, "police_reference");

	/* No such report: nothing to audit, and told apart by verdict. */
	assert_int_equal(casework_read(f->inst, &f->coord, 999999, &v, &o),
	                 VERDICT_NOT_FOUND);
	/* And nothing but refused rows was written by any of it. */
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* Empty texts and a bad reason are input, not refusals. */
	assert_int_equal(casework_message(f->inst, &f->coord, f->signal, "", 0,
	                 &o), VERDICT_INVALID);
	assert_string_equal(o.field, "message");
	assert_int_equal(casework_hold(f->inst, &f->coord, f->signal, 1, "",
	                 &o), VERDICT_INVALID);
	assert_string_equal(o.key, "retention.reason_bad");
	assert_int_equal(casework_link(f->inst, &f->coord, f->signal,
	                 f->incident, &o), VERDICT_INVALID);
	assert_int_equal(casework_assign(f->inst, &f->coord, f->signal,
	                 "niemand", &o), VERDICT_INVALID);
	buf_release(&object);
}

/*
 * A case goes only to someone who can read it: an active account with
 * its keyring and a role that handles it. Not the VPT coordinator for a
 * signal (no signalen), not the admin (holds signalen to grant it, but
 * handles no cases), not a VPT coordinator granted signalen apart.
 */
static void
test_assign_only_readers(void **state)
{
	struct fixture *f = *state;
	struct case_assignee *who = NULL;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct outcome o;
	struct user u;
	size_t n;

	assert_int_equal(case_assignees(f->inst, REPORT_SIGNAL, &who, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(who[0].username, "coord");
	free(who);
	assert_int_equal(case_assignees(f->inst, REPORT_INCIDENT, &who, &n), 0);
	assert_int_equal(n, 0);	/* vpt1 was never granted agressie here */
	free(who);

	assert_int_equal(casework_assign(f->inst, &f->coord, f->signal, "vpt1",
	                 &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.assign_bad");
	assert_string_equal(o.field, "assignee");
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE actor ="
	                 " 'coord' AND action = 'report-assign' AND result ="
	                 " 'refused' AND object LIKE '% to vpt1'"), 1);
	assert_int_equal(casework_assign(f->inst, &f->coord, f->signal, "admin",
	                 &o), VERDICT_INVALID);
	/* signalen for vpt1 by a confirmed exception: still no handler. */
	assert_int_equal(users_find(f->inst->db, "vpt1", &u), 0);
	memcpy(pk, u.public_key, sizeof(pk));
	assert_int_equal(keyrings_grant(f->inst->db, KEYRING_SIGNALS,
	                 f->signals_sk, u.id, pk), 0);
	assert_int_equal(casework_assign(f->inst, &f->coord, f->signal, "vpt1",
	                 &o), VERDICT_INVALID);
	/* Made coordinator too: now it may be theirs. */
	assert_int_equal(users_set_roles(f->inst->db, u.id,
	                 ROLE_VPT | ROLE_COORDINATOR), 0);
	assert_int_equal(casework_assign(f->inst, &f->coord, f->signal, "vpt1",
	                 &o), VERDICT_DONE);
	/* Disabled: no longer. */
	assert_int_equal(users_set_disabled(f->inst->db, "admin", u.id, 1), 0);
	assert_int_equal(casework_assign(f->inst, &f->coord, f->other, "vpt1",
	                 &o), VERDICT_INVALID);
	user_release(&u);
	assert_int_equal(count(f, "SELECT count(*) FROM reports WHERE assignee"
	                 " IS NOT NULL"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assign_only_readers, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
			test_step_with_feedback_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_step_fails_at_message_insert,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_actions_all_or_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_audited, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("casework", tests, NULL, NULL);
}
