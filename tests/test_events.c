/*
 * test_events.c - the workflow engine on stored reports: a signal and an
 * incident walked through their default workflows, each transition an
 * event with the derived state equal to the cached one; refusals store
 * nothing; fields are sealed to the keyring (no plaintext in the file)
 * and open with it; the audit row names states, never content; a damaged
 * chain of events is noticed; deadlines (72 hours, 2 working days over a
 * weekend, 7 days) met and overdue under a fixed clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "casenumber.h"
#include "clock.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "report.h"
#include "testutil.h"
#include "users.h"

struct fixture {
	char *dir;
	struct installation *inst;
	struct workflows *wfs;
	char recovery[RECOVERY_TEXT_LEN + 1];
};

static time_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct install_result res;

	f->dir = test_tmpdir("events");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	memcpy(f->recovery, res.recovery_key, sizeof(f->recovery));
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t
new_report(struct fixture *f, enum report_type type)
{
	static const char content[] = "Er wordt gedreigd bij de balie.";
	const struct workflow *wf = workflows_get(f->wfs, type);
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;

	assert_int_equal(report_create(f->inst, type, workflow_initial(wf)->name,
	                 content, strlen(content), receipt, &id), 0);
	return id;
}

/* Do a transition that must succeed; the derived state must match. */
static void
step(struct fixture *f, int64_t id, const char *name, const char *actor,
     unsigned roles, const struct workflow_field *fields, size_t n,
     const char *want_state)
{
	struct workflow_verdict v;
	struct events_report r;
	struct workflow_field given[8];
	char derived[REPORT_STATE_MAX + 1];
	int rc;

	/* No fields given: those of their types the step requires. */
	if (!fields) {
		n = test_step_fields(name, given, 8);
		fields = given;
	}
	rc = events_transition(f->inst, f->wfs, id, name, actor, roles, fields,
	                       n, NULL, &v);
	if (rc != 0)
		fail_msg("%s refused: %s", name, v.message);
	assert_int_equal(events_report(f->inst->db, id, &r), 0);
	assert_string_equal(r.state, want_state);
	assert_int_equal(events_derive_state(f->inst->db, f->wfs, id, derived),
	                 0);
	assert_string_equal(derived, r.state);
}

static size_t
count_events(struct fixture *f, int64_t id)
{
	struct event_list l;
	size_t n;

	assert_int_equal(events_list(f->inst->db, id, &l), 0);
	n = l.n;
	event_list_release(&l);
	return n;
}

static void
test_signal_full_run(void **state)
{
	struct fixture *f = *state;
	struct workflow_field riec[] = {
		{ "riec_reference", "RIEC-NH-2026-0042" },
		{ "reason", "Een zaak voor de ondermijningstafel" },
	};
	const struct workflow_transition *allowed[32];
	char cur[REPORT_STATE_MAX + 1];
	int64_t id = new_report(f, REPORT_SIGNAL), rows, bad;
	size_t n;

	assert_int_equal(events_allowed(f->inst->db, f->wfs, id,
	                 ROLE_COORDINATOR, allowed, 32, &n, cur), 0);
	assert_string_equal(cur, "received");
	assert_int_equal(n, 1);
	assert_string_equal(allowed[0]->name, "start_intake");

	step(f, id, "start_intake", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_1");
	step(f, id, "undermining", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_2a");
	step(f, id, "municipal_task", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_2b");
	step(f, id, "our_territory", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_3");
	step(f, id, "seriousness", "coord", ROLE_COORDINATOR, NULL, 0,
	     "decision");
	step(f, id, "to_meeting", "coord", ROLE_COORDINATOR, NULL, 0, "meeting");
	step(f, id, "to_analysis", "coord2", ROLE_COORDINATOR | ROLE_ADMIN,
	     NULL, 0, "analysis");
	step(f, id, "to_riec", "coord", ROLE_COORDINATOR, riec, 2, "riec");
	step(f, id, "close", "coord", ROLE_COORDINATOR, NULL, 0, "closed");
	assert_int_equal(count_events(f, id), 9);

	/* Closed: nothing more to do, for anyone. */
	assert_int_equal(events_allowed(f->inst->db, f->wfs, id, ~0u, allowed,
	                 32, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(audit_verify(f->inst->db, &rows, &bad), 0);
	assert_int_equal(events_allowed(f->inst->db, f->wfs, 9999, ~0u, allowed,
	                 32, &n, NULL), 1);
}

static void
test_incident_full_run(void **state)
{
	struct fixture *f = *state;
	struct workflow_field police = { "police_reference", "PL1400-2026012345" };
	struct workflow_field measure = { "measure", "toegangsverbod 6 maanden" };
	struct workflow_field damages[] = {
		{ "damage_amount", "1250.00" },
		{ "recovered_amount", "800.00" },
	};
	int64_t id = new_report(f, REPORT_INCIDENT);

	step(f, id, "measure", "vpt1", ROLE_VPT, &measure, 1, "registered");
	step(f, id, "first_care_talk", "vpt1", ROLE_VPT, NULL, 0, "care");
	step(f, id, "police_report", "vpt1", ROLE_VPT, &police, 1, "care");
	step(f, id, "start_aftercare", "vpt1", ROLE_VPT, NULL, 0, "aftercare");
	step(f, id, "aftercare_2_weeks", "vpt1", ROLE_VPT, NULL, 0, "aftercare");
	step(f, id, "damages", "vpt1", ROLE_VPT, damages, 2, "aftercare");
	step(f, id, "aftercare_6_8_weeks", "vpt1", ROLE_VPT, NULL, 0,
	     "aftercare");
	step(f, id, "close", "vpt1", ROLE_VPT, NULL, 0, "closed");
	assert_int_equal(count_events(f, id), 8);
}

static void
test_refusals_store_nothing(void **state)
{
	struct fixture *f = *state;
	struct workflow_field blank = { "riec_reference", "  " };
	struct workflow_verdict v;
	int64_t id = new_report(f, REPORT_SIGNAL), before, after, bad;

	assert_int_equal(audit_verify(f->inst->db, &before, &bad), 0);
	assert_int_equal(events_transition(f->inst, f->wfs, id, "start_intake",
	                 "vpt1", ROLE_VPT, NULL, 0, NULL, &v), 1);
	assert_int_equal(v.reason, WORKFLOW_ROLE);
	assert_int_equal(events_transition(f->inst, f->wfs, id, "close",
	                 "coord", ROLE_COORDINATOR, NULL, 0, NULL, &v), 1);
	assert_int_equal(v.reason, WORKFLOW_NOT_FROM_HERE);
	assert_int_equal(events_transition(f->inst, f->wfs, id, "nope",
	                 "coord", ROLE_COORDINATOR, NULL, 0, NULL, &v), 1);
	assert_int_equal(v.reason, WORKFLOW_UNKNOWN_TRANSITION);
	assert_int_equal(events_transition(f->inst, f->wfs, 424242,
	                 "start_intake", "coord", ROLE_COORDINATOR, NULL, 0,
	                 NULL, &v), 1);
	assert_int_equal(v.reason, WORKFLOW_NO_REPORT);
	assert_string_equal(v.key, "workflow.refused.no_report");

	step(f, id, "start_intake", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_1");
	/* Two handlers on one page: the second click is stale. */
	assert_int_equal(events_transition(f->inst, f->wfs, id, "start_intake",
	                 "coord", ROLE_COORDINATOR, NULL, 0, "received", &v), 1);
	assert_int_equal(v.reason, WORKFLOW_STALE);
	step(f, id, "undermining", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_2a");
	assert_int_equal(events_transition(f->inst, f->wfs, id, "to_riec",
	                 "coord", ROLE_COORDINATOR, &blank, 1, "weging_2a", &v),
	                 1);
	assert_int_equal(v.reason, WORKFLOW_FIELD_MISSING);
	assert_string_equal(v.field, "riec_reference");
	assert_int_equal(count_events(f, id), 2);
	/* Two transitions, two audit rows; the refusals none. */
	assert_int_equal(audit_verify(f->inst->db, &after, &bad), 0);
	assert_int_equal(after, before + 2);
}

static void
test_fields_sealed_and_audited(void **state)
{
	struct fixture *f = *state;
	static const char ref[] = "PL1400-2026099999";
	struct workflow_field police = { "police_reference", ref };
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rsk = NULL, *ring = NULL;
	struct event_fields ef;
	struct event_list l;
	struct buf files = BUF_INIT, path = BUF_INIT;
	struct stmt *st;
	int64_t id = new_report(f, REPORT_INCIDENT);

	step(f, id, "police_report", "vpt1", ROLE_VPT, &police, 1,
	     "registered");

	/* The audit row names the states, never the reference. */
	assert_int_equal(db_prepare(f->inst->db, &st, "SELECT actor, action,"
	                 " object FROM audit_log ORDER BY id DESC LIMIT 1"), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	assert_string_equal(stmt_text(st, 0), "vpt1");
	assert_string_equal(stmt_text(st, 1), "report-transition");
	{
		struct buf want = BUF_INIT;

		char cn[CASE_NUMBER_LEN + 1];

		buf_addf(&want, "report %s: registered -> registered",
		         case_label(f->inst->db, id, cn));
		assert_string_equal(stmt_text(st, 2), want.data);
		buf_release(&want);
	}
	stmt_finalize(st);

	/* Not in the database files. */
	assert_int_equal(db_exec(f->inst->db, "PRAGMA wal_checkpoint(TRUNCATE)"),
	                 0);
	buf_addf(&path, "%s/%s", f->dir, INSTALL_DB_FILE);
	assert_int_equal(test_read_file(path.data, &files), 0);
	assert_false(test_contains(&files, ref, strlen(ref)));
	assert_false(test_contains(&files, "2026099999", 10));

	/* Opens with the agressie keyring, not with the signalen one. */
	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(events_list(f->inst->db, id, &l), 0);
	assert_int_equal(l.n, 1);
	assert_non_null(l.items[0].fields);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_SIGNALS, rpk, rsk,
	                 &ring), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_SIGNALS, pk),
	                 0);
	assert_int_equal(events_open_fields(id, &l.items[0], pk, ring, &ef), -1);
	secret_free(ring);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rpk,
	                 rsk, &ring), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_INCIDENTS, pk),
	                 0);
	assert_int_equal(events_open_fields(id, &l.items[0], pk, ring, &ef), 0);
	assert_int_equal(ef.n, 1);
	assert_string_equal(ef.items[0].name, "police_reference");
	assert_string_equal(ef.items[0].value, ref);
	event_fields_release(&ef);
	/* Bound to its report: under another id it does not open. */
	assert_int_equal(events_open_fields(id + 1, &l.items[0], pk, ring, &ef),
	                 -1);
	assert_string_equal(l.items[0].actor, "vpt1");
	assert_string_equal(l.items[0].transition, "police_report");
	event_list_release(&l);
	secret_free(ring);
	secret_free(rsk);
	buf_release(&files);
	buf_release(&path);
}

static void
test_damaged_chain(void **state)
{
	struct fixture *f = *state;
	char derived[REPORT_STATE_MAX + 1];
	struct stmt *st;
	int64_t id = new_report(f, REPORT_SIGNAL);

	step(f, id, "start_intake", "coord", ROLE_COORDINATOR, NULL, 0,
	     "weging_1");
	/* An event that does not start where the last one ended. */
	assert_int_equal(db_prepare(f->inst->db, &st, "INSERT INTO report_events"
	                 " (report_id, at, actor, transition, from_state,"
	                 " to_state) VALUES (:id, '2026-01-01T00:00:00Z', 'x',"
	                 " 'close', 'riec', 'closed')"), 0);
	assert_int_equal(stmt_bind_int(st, ":id", id), 0);
	assert_int_equal(stmt_run(st), 0);
	stmt_finalize(st);
	assert_int_equal(events_derive_state(f->inst->db, f->wfs, id, derived),
	                 -1);
	/* And events cannot be edited. */
	assert_int_equal(db_exec(f->inst->db, "UPDATE report_events SET"
	                 " actor = 'y'"), -1);
}

static const struct workflow_deadline_status *
deadline(struct fixture *f, int64_t id, const char *name, time_t now)
{
	static struct workflow_deadline_status st[16];
	size_t n, i;

	assert_int_equal(events_deadlines(f->inst->db, f->wfs, id, now, st, 16,
	                 &n), 0);
	for (i = 0; i < n; i++)
		if (strcmp(st[i].deadline->name, name) == 0)
			return &st[i];
	fail_msg("no deadline %s", name);
	return NULL;
}

static void
test_deadlines_incident(void **state)
{
	struct fixture *f = *state;
	struct workflow_field police = { "police_reference", "PL1400-1" };
	const struct workflow_deadline_status *d;
	int64_t a, b, c;

	/* Received Monday 5 January 2026, 14:00 (only the day is kept). */
	clock_set(utc(2026, 1, 5, 14, 0));
	a = new_report(f, REPORT_INCIDENT);
	b = new_report(f, REPORT_INCIDENT);

	/* 72 hours from the start of Monday: Thursday 00:00. */
	d = deadline(f, a, "first_care", utc(2026, 1, 7, 12, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_PENDING);
	assert_true(d->due == utc(2026, 1, 8, 0, 0));
	clock_set(utc(2026, 1, 7, 16, 0));
	step(f, a, "first_care_talk", "vpt1", ROLE_VPT, NULL, 0, "care");
	d = deadline(f, a, "first_care", utc(2026, 1, 9, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_MET);
	assert_false(d->late);
	assert_true(d->done_at == utc(2026, 1, 7, 16, 0));
	d = deadline(f, b, "first_care", utc(2026, 1, 8, 0, 1));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_OVERDUE);
	/* Met late is still met, and says so. */
	clock_set(utc(2026, 1, 8, 9, 0));
	step(f, b, "first_care_talk", "vpt1", ROLE_VPT, NULL, 0, "care");
	d = deadline(f, b, "first_care", utc(2026, 1, 9, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_MET);
	assert_true(d->late);
	/*
	 * An offer declined does not meet it (it is the care talk held, the
	 * figure care_72h too): it stops it, whether in time or not.
	 */
	clock_set(utc(2026, 1, 5, 15, 0));
	c = new_report(f, REPORT_INCIDENT);
	step(f, c, "care_declined", "vpt1", ROLE_VPT, NULL, 0, "care");
	d = deadline(f, c, "first_care", utc(2026, 1, 9, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_STOPPED);
	assert_false(d->late);
	assert_true(d->done_at == utc(2026, 1, 5, 15, 0));

	/* Police: 2 working days from Friday 9 January: end of Tuesday. */
	clock_set(utc(2026, 1, 9, 11, 0));
	c = new_report(f, REPORT_INCIDENT);
	d = deadline(f, c, "police", utc(2026, 1, 12, 23, 0));
	assert_true(d->due == utc(2026, 1, 14, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_PENDING);
	d = deadline(f, c, "police", utc(2026, 1, 14, 0, 1));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_OVERDUE);
	clock_set(utc(2026, 1, 13, 15, 0));
	step(f, c, "police_notice", "vpt1", ROLE_VPT, &police, 1, "registered");
	d = deadline(f, c, "police", utc(2026, 1, 20, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_MET);
	assert_false(d->late);

	/* Aftercare at 2 and 8 weeks from receipt. */
	d = deadline(f, c, "aftercare_2_weeks", utc(2026, 1, 20, 0, 0));
	assert_true(d->due == utc(2026, 1, 24, 0, 0));
	d = deadline(f, c, "aftercare_6_8_weeks", utc(2026, 1, 20, 0, 0));
	assert_true(d->due == utc(2026, 3, 7, 0, 0));
}

/* 1 when the fields of the k-th event of report id open with (pk, sk). */
static int
fields_open(struct fixture *f, int64_t id, size_t k, const uint8_t *pk,
            const struct secret *sk)
{
	struct event_fields ef;
	struct event_list l;
	int rc;

	assert_int_equal(events_list(f->inst->db, id, &l), 0);
	assert_true(k < l.n);
	assert_non_null(l.items[k].fields);
	rc = events_open_fields(id, &l.items[k], pk, sk, &ef);
	if (rc == 0)
		event_fields_release(&ef);
	event_list_release(&l);
	return rc == 0;
}

/*
 * Issue 15 point 8, for workflow events: an event's fields and its
 * statistical fields are bound to their own row and author as well as to
 * the report, time and transition. Every event here has the same time
 * and transition, so only the row binding tells them apart: an envelope
 * moved to another event of its report, to another report's or to one
 * of another author no longer opens; put back, it does.
 */
static void
test_event_bound_to_row(void **state)
{
	struct fixture *f = *state;
	struct workflow_field police = { "police_reference", "PL1300-2026" };
	struct workflow_field dmg[8];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], spk[CRYPTO_PUBLICKEY_LEN];
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rsk, *ring, *stat;
	size_t ndmg = test_step_fields("damages", dmg, 8);
	int64_t a, b, e[5];
	struct stmt *st;
	int i;

	clock_set(utc(2026, 3, 2, 10, 0));
	a = new_report(f, REPORT_INCIDENT);
	b = new_report(f, REPORT_INCIDENT);
	step(f, a, "police_report", "vpt1", ROLE_VPT, &police, 1, "registered");
	step(f, a, "police_report", "vpt1", ROLE_VPT, &police, 1, "registered");
	step(f, a, "police_report", "vpt2", ROLE_VPT, &police, 1, "registered");
	step(f, a, "first_care_talk", "vpt1", ROLE_VPT, NULL, 0, "care");
	step(f, a, "damages", "vpt1", ROLE_VPT, dmg, ndmg, "care");
	step(f, a, "damages", "vpt1", ROLE_VPT, dmg, ndmg, "care");
	step(f, b, "police_report", "vpt1", ROLE_VPT, &police, 1, "registered");
	assert_int_equal(db_prepare(f->inst->db, &st, "SELECT id FROM"
	                 " report_events WHERE seal_id IS NOT NULL AND"
	                 " length(seal_id) = 16 AND (fields IS NOT NULL OR"
	                 " stats IS NOT NULL) ORDER BY id"), 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(stmt_step(st), DB_ROW);
		e[i] = stmt_int(st, 0);
	}
	stmt_finalize(st);

	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_INCIDENTS, rpk,
	                 rsk, &ring), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_INCIDENTS, pk),
	                 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_STATISTICS, rpk,
	                 rsk, &stat), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_STATISTICS,
	                 spk), 0);
	assert_true(fields_open(f, a, 0, pk, ring));
	assert_true(fields_open(f, a, 1, pk, ring));
	assert_true(fields_open(f, a, 2, pk, ring));
	assert_true(fields_open(f, b, 0, pk, ring));
	assert_true(test_event_stats_open(f->inst->db, e[3], spk, stat));
	assert_true(test_event_stats_open(f->inst->db, e[4], spk, stat));

	/* The first event's fields on the second (same author, same report). */
	test_exec(f->dir, "UPDATE report_events SET fields = (SELECT fields"
	          " FROM report_events e WHERE e.id = report_events.id - 1)"
	          " WHERE id = (SELECT min(id) FROM report_events) + 1");
	assert_false(fields_open(f, a, 1, pk, ring));
	/* The second's (vpt1) on the third (vpt2): another author. */
	test_exec(f->dir, "CREATE TEMP TABLE t AS SELECT id, fields FROM"
	          " report_events; UPDATE report_events SET fields = (SELECT"
	          " fields FROM t WHERE t.id = (SELECT min(id) FROM t) + 1)"
	          " WHERE id = (SELECT min(id) FROM t) + 2; DROP TABLE t");
	assert_false(fields_open(f, a, 2, pk, ring));
	/* Report a's first event's fields on report b's. */
	test_exec(f->dir, "UPDATE report_events SET fields = (SELECT fields"
	          " FROM report_events ORDER BY id LIMIT 1) WHERE id ="
	          " (SELECT max(id) FROM report_events)");
	assert_false(fields_open(f, b, 0, pk, ring));
	/* The statistical fields of one damages step on the other. */
	{
		struct buf sql = BUF_INIT;

		buf_addf(&sql, "CREATE TEMP TABLE t AS SELECT id, stats FROM"
		         " report_events WHERE id IN (%lld, %lld);"
		         " UPDATE report_events SET stats = (SELECT stats FROM t"
		         " WHERE t.id <> report_events.id) WHERE id IN (%lld,"
		         " %lld); DROP TABLE t", (long long)e[3], (long long)e[4],
		         (long long)e[3], (long long)e[4]);
		test_exec(f->dir, sql.data);
		assert_false(test_event_stats_open(f->inst->db, e[3], spk, stat));
		assert_false(test_event_stats_open(f->inst->db, e[4], spk, stat));
		/* Swapped back, they open. */
		test_exec(f->dir, sql.data);
		assert_true(test_event_stats_open(f->inst->db, e[3], spk, stat));
		assert_true(test_event_stats_open(f->inst->db, e[4], spk, stat));
		buf_release(&sql);
	}
	/* The first event's own envelope still opens where it belongs. */
	assert_true(fields_open(f, a, 0, pk, ring));
	/* Nor does the actor or the row id change under the envelope. */
	test_exec_fails(f->dir, "UPDATE report_events SET actor = 'vpt2'");
	test_exec_fails(f->dir, "UPDATE report_events SET seal_id = NULL");
	secret_free(stat);
	secret_free(ring);
	secret_free(rsk);
}

static void
add_message(struct fixture *f, int64_t id, const char *at)
{
	struct stmt *st;

	/* Messages are another module's; a row is all deadlines read. */
	assert_int_equal(db_prepare(f->inst->db, &st, "INSERT INTO messages"
	                 " (report_id, at, author, body) VALUES (:id, :at,"
	                 " 'handler', x'00')"), 0);
	assert_int_equal(stmt_bind_int(st, ":id", id), 0);
	assert_int_equal(stmt_bind_text(st, ":at", at), 0);
	assert_int_equal(stmt_run(st), 0);
	stmt_finalize(st);
}

static void
test_deadlines_signal(void **state)
{
	struct fixture *f = *state;
	const struct workflow_deadline_status *d;
	int64_t a, b;

	clock_set(utc(2026, 1, 5, 9, 0));
	a = new_report(f, REPORT_SIGNAL);
	b = new_report(f, REPORT_SIGNAL);
	/* 7 days from Monday: the end of the next Monday. */
	d = deadline(f, a, "acknowledgement", utc(2026, 1, 12, 22, 0));
	assert_true(d->due == utc(2026, 1, 13, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_PENDING);
	add_message(f, a, "2026-01-08T10:00:00Z");
	d = deadline(f, a, "acknowledgement", utc(2026, 1, 20, 0, 0));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_MET);
	assert_false(d->late);
	d = deadline(f, b, "acknowledgement", utc(2026, 1, 13, 0, 1));
	assert_int_equal(d->state, WORKFLOW_DEADLINE_OVERDUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signal_full_run, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_incident_full_run, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refusals_store_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_fields_sealed_and_audited,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_bound_to_row, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_damaged_chain, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_deadlines_incident, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_deadlines_signal, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
