/*
 * test_casework.c - a handler's actions on a report (core/casework.c):
 * each one failed at every statement in turn leaves nothing half done
 * (the state as before, no success row in the audit log, no mail queued);
 * a workflow step whose feedback message cannot be stored stores neither;
 * and every refusal is audited: a VPT coordinator opening a signal, a
 * step the workflow refuses. Corrections and undos of steps (issue 17
 * point 4): failed at every statement, refused with nothing changed, and
 * the statistics, deadlines and rules following the corrected state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casenumber.h"
#include "casework.h"
#include "db.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "report.h"
#include "stats.h"
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
	struct secret *signals_sk, *incidents_sk, *stats_sk;
	uint8_t stats_pk[CRYPTO_PUBLICKEY_LEN];
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
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_STATISTICS, rpk,
	                 rsk, &f->stats_sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_STATISTICS,
	                 f->stats_pk), 0);
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
	secret_free(f->stats_sk);
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
	char cn[CASE_NUMBER_LEN + 1];
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

	buf_addf(&object, "report %s", case_label(f->inst->db, f->signal, cn));
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
	char cn[CASE_NUMBER_LEN + 1];
	struct case_view v;
	struct outcome o;
	char *before, *after;

	before = test_db_snapshot(f->db_path);
	/* A VPT coordinator opening a signal: refused, and a row says so. */
	buf_addf(&object, "report %s", case_label(f->inst->db, f->signal, cn));
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
	buf_addf(&object, "report %s: bestaat_niet",
	         case_label(f->inst->db, f->signal, cn));
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

/* ---- Corrections and undos (issue 17 point 4) ----------------------- */

/* The incidents' figure row of this year (the reports' year of receipt). */
static uint64_t
figure(struct fixture *f, const char *row)
{
	struct ring_key key = { f->stats_pk, f->stats_sk };
	struct case_summary c;
	struct stats_period p;
	struct stats_result r;
	const struct stats_row *found;
	char year[5];
	uint64_t n;

	assert_int_equal(case_get(f->inst, f->incident, &c), 0);
	memcpy(year, c.received_on, 4);
	year[4] = '\0';
	assert_int_equal(stats_period_parse(STATS_YEAR, year, NULL, NULL, &p), 0);
	assert_int_equal(stats_compute(f->inst, f->wfs, &key, &p,
	                               STATS_WANT_INCIDENTS, &r), 0);
	found = stats_find(&r.tables[STATS_INCIDENTS], row);
	n = found ? found->now : 0;
	stats_result_release(&r);
	return n;
}

/* The id of the last event of the incident. */
static int64_t
last_event(struct fixture *f)
{
	struct buf sql = BUF_INIT;
	int64_t id;

	buf_addf(&sql, "SELECT max(id) FROM report_events WHERE report_id = %lld",
	         (long long)f->incident);
	id = count(f, sql.data);
	buf_release(&sql);
	return id;
}

static void
istep(struct fixture *f, const char *name, const struct workflow_field *fl,
      size_t n)
{
	struct outcome o;

	assert_int_equal(casework_step(f->inst, f->wfs, &f->vpt, f->incident,
	                 name, fl, n, NULL, NULL, 0, &o), VERDICT_DONE);
}

struct change_act {
	struct fixture *f;
	int64_t step;
	const struct workflow_field *fields;
	size_t nfields;
	const char *reason;
	struct outcome o;
};

static int
act_correct(void *arg)
{
	struct change_act *a = arg;

	casework_correct(a->f->inst, a->f->wfs, &a->f->vpt, a->f->incident,
	                 a->step, a->fields, a->nfields, &a->o);
	return a->o.verdict == VERDICT_DONE ? 0 : -1;
}

static int
act_undo(void *arg)
{
	struct change_act *a = arg;

	casework_undo(a->f->inst, a->f->wfs, &a->f->vpt, a->f->incident,
	              a->step, a->reason, &a->o);
	return a->o.verdict == VERDICT_DONE ? 0 : -1;
}

/* The state of the incident's deadline name (events_deadlines). */
static enum workflow_deadline_state
deadline_state(struct fixture *f, const char *name)
{
	struct workflow_deadline_status d[8];
	size_t n = 0, i;

	assert_int_equal(events_deadlines(f->inst->db, f->wfs, f->incident,
	                 time(NULL), d, 8, &n), 0);
	for (i = 0; i < n; i++)
		if (strcmp(d[i].deadline->name, name) == 0)
			return d[i].state;
	fail_msg("no deadline %s", name);
	return WORKFLOW_DEADLINE_PENDING;
}

/*
 * An amount corrected: a new event (the step's own row stays), every
 * statement failed in turn leaves nothing; the statistics follow, with
 * the cached record made again; the rule recovered <= claimed holds for
 * the corrected values, and bad input is refused with the field named.
 */
static void
test_correct_amount(void **state)
{
	struct fixture *f = *state;
	const struct workflow_field first[2] = {
		{ "damage_amount", "1.250,50" }, { "recovered_amount", "300" } };
	const struct workflow_field fixed[2] = {
		{ "damage_amount", "1.250,50" }, { "recovered_amount", "200" } };
	const struct workflow_field over[2] = {
		{ "damage_amount", "1.250,50" }, { "recovered_amount", "2000" } };
	const struct workflow_field bad[2] = {
		{ "damage_amount", "veel" }, { "recovered_amount", "200" } };
	struct change_act a = { f, 0, fixed, 2, NULL, { 0, NULL, NULL, 0, NULL } };
	struct case_view v;
	struct outcome o;
	char *before, *after;
	int64_t damages;

	istep(f, "first_care_talk", NULL, 0);
	istep(f, "damages", first, 2);
	damages = last_event(f);
	assert_int_equal(figure(f, "damage_recovered_cents"), 30000);
	assert_int_equal(figure(f, "damage_claimed_cents"), 125050);

	a.step = damages;
	test_fail_each(f->inst->db, f->db_path, act_correct, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM report_events"
	                 " WHERE kind = 'correction'"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM report_events"), 3);
	state_is(f, f->incident, "care");
	/* The cache held 300: the correction made the record again. */
	assert_int_equal(figure(f, "damage_recovered_cents"), 20000);
	assert_int_equal(figure(f, "damage_claimed_cents"), 125050);
	assert_int_equal(figure(f, "damages_claimed"), 1);
	{
		struct buf object = BUF_INIT;

		buf_addf(&object, "report {#%lld}: step %lld damages: "
		         "recovered_amount", (long long)f->incident,
		         (long long)damages);
		assert_int_equal(audited(f, "vpt1", "report-correct",
		                         test_cases(f->dir, object.data),
		                         AUDIT_OK), 1);
		buf_release(&object);
	}
	/* The case shows both rows, the step marked with its correction. */
	assert_int_equal(casework_read(f->inst, &f->vpt, f->incident, &v, &o),
	                 VERDICT_DONE);
	assert_int_equal(v.events.n, 3);
	assert_int_equal(v.events.items[2].kind, EVENT_CORRECTION);
	assert_int_equal(v.events.items[2].target, damages);
	assert_int_equal(v.events.items[1].current, 2);
	assert_string_equal(v.fields[2].items[1].value, "200.00");
	assert_string_equal(v.fields[1].items[1].value, "300.00");
	case_view_release(&v);

	/* Refused, nothing changed: the rule, a bad amount, no change. */
	before = test_db_snapshot(f->db_path);
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 damages, over, 2, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.rule");
	assert_string_equal(o.arg, "recovered_within_claimed");
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 damages, bad, 2, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.money");
	assert_string_equal(o.field, "damage_amount");
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 damages, fixed, 1, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "workflow.refused.field_missing");
	assert_string_equal(o.field, "recovered_amount");
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 damages, fixed, 2, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.correct_unchanged");
	/* A step without fields, one that is not there, the wrong keyring. */
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 damages - 1, fixed, 2, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.correct_no_fields");
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->vpt, f->incident,
	                 999999, fixed, 2, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.step_unknown");
	assert_int_equal(casework_correct(f->inst, f->wfs, &f->coord,
	                 f->incident, damages, fixed, 2, &o), VERDICT_REFUSED);
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(figure(f, "damage_recovered_cents"), 20000);

	/* A second correction counts over the first. */
	a.fields = first;
	assert_int_equal(act_correct(&a), 0);
	assert_int_equal(figure(f, "damage_recovered_cents"), 30000);
}

/*
 * The last step undone with a reason: a new event, the case back in the
 * state before it; its deadline open again, the statistics without it;
 * every statement failed in turn leaves nothing. A step that showed the
 * reporter something, or one that is not the last, is refused and
 * nothing changes.
 */
static void
test_undo_last_step(void **state)
{
	struct fixture *f = *state;
	struct change_act a = { f, 0, NULL, 0, "Verkeerde melding gekozen.",
	                        { 0, NULL, NULL, 0, NULL } };
	struct outcome o;
	char *before, *after;
	int64_t care, start, contact;

	istep(f, "first_care_talk", NULL, 0);
	care = last_event(f);
	istep(f, "start_aftercare", NULL, 0);
	start = last_event(f);
	istep(f, "aftercare_2_weeks", NULL, 0);
	contact = last_event(f);
	assert_int_equal(figure(f, "aftercare"), 1);
	assert_int_equal(deadline_state(f, "aftercare_2_weeks"),
	                 WORKFLOW_DEADLINE_MET);

	/* Refused with nothing changed: not the last, no reason, reporter. */
	before = test_db_snapshot(f->db_path);
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->vpt, f->incident,
	                 start, a.reason, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.undo_not_last");
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->vpt, f->incident,
	                 contact, "  ", &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.undo_reason");
	assert_string_equal(o.field, "reason");
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->coord, f->incident,
	                 contact, a.reason, &o), VERDICT_REFUSED);
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);

	a.step = contact;
	test_fail_each(f->inst->db, f->db_path, act_undo, &a);
	assert_int_equal(count(f, "SELECT count(*) FROM report_events"
	                 " WHERE kind = 'undo'"), 1);
	state_is(f, f->incident, "aftercare");
	assert_int_equal(figure(f, "aftercare"), 0);
	assert_int_not_equal(deadline_state(f, "aftercare_2_weeks"),
	                     WORKFLOW_DEADLINE_MET);
	/* Undone is undone: not again, and not corrected either. */
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->vpt, f->incident,
	                 contact, a.reason, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.step_unknown");

	/* The step before is the last now: the state goes back too. */
	a.step = start;
	assert_int_equal(act_undo(&a), 0);
	state_is(f, f->incident, "care");
	{
		char derived[REPORT_STATE_MAX + 1];

		assert_int_equal(events_derive_state(f->inst->db, f->wfs,
		                 f->incident, derived), 0);
		assert_string_equal(derived, "care");
	}
	/* The care talk changed what the reporter reads: refused. */
	before = test_db_snapshot(f->db_path);
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->vpt, f->incident,
	                 care, a.reason, &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.undo_reporter");
	assert_string_equal(o.field, "step");
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	state_is(f, f->incident, "care");
	{
		struct buf object = BUF_INIT;

		buf_addf(&object, "report {#%lld}: step %lld first_care_talk",
		         (long long)f->incident, (long long)care);
		assert_int_equal(audited(f, "vpt1", "report-undo",
		                         test_cases(f->dir, object.data),
		                         AUDIT_REFUSED), 1);
		buf_release(&object);
	}
	/* The aftercare can start again, and counts again. */
	istep(f, "start_aftercare", NULL, 0);
	istep(f, "aftercare_2_weeks", NULL, 0);
	assert_int_equal(figure(f, "aftercare"), 1);
}

/* A step with feedback to the reporter (a signal's intake) is not undone. */
static void
test_undo_feedback_refused(void **state)
{
	struct fixture *f = *state;
	struct outcome o;
	struct buf sql = BUF_INIT;
	char *before, *after;
	int64_t intake;

	assert_int_equal(casework_step(f->inst, f->wfs, &f->coord, f->signal,
	                 "start_intake", NULL, 0, NULL, "Dank voor uw signaal.",
	                 21, &o), VERDICT_DONE);
	buf_addf(&sql, "SELECT max(id) FROM report_events WHERE report_id = %lld",
	         (long long)f->signal);
	intake = count(f, sql.data);
	before = test_db_snapshot(f->db_path);
	assert_int_equal(casework_undo(f->inst, f->wfs, &f->coord, f->signal,
	                 intake, "Per ongeluk.", &o), VERDICT_INVALID);
	assert_string_equal(o.key, "case.undo_reporter");
	after = test_db_snapshot(f->db_path);
	assert_string_equal(before, after);
	state_is(f, f->signal, "weging_1");
	free(before);
	free(after);
	buf_release(&sql);
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
		cmocka_unit_test_setup_teardown(test_correct_amount, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_undo_last_step, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_undo_feedback_refused, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("casework", tests, NULL, NULL);
}
