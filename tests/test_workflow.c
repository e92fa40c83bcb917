/*
 * test_workflow.c - workflow files: the defaults load and say what issue 4
 * asks, every validation rule refuses its broken file with the right line,
 * transitions are allowed and refused for each reason, due times count
 * hours, days and working days, deadline states follow the rules in
 * workflow.h, and `meldpunt workflow check` says ok or names the lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "testutil.h"
#include "users.h"
#include "calendar.h"
#include "clock.h"
#include "workflow.h"
#include "workflow_fields.h"
#include "zone.h"

/* 2026-01-05 was a Monday. */
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

static char *
data_path(const char *name)
{
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf b = BUF_INIT;

	assert_non_null(src);
	buf_addf(&b, "%s/tests/data/workflows/%s", src, name);
	return buf_detach(&b, NULL);
}

static int
contains(const struct buf *b, const char *s)
{
	return test_contains(b, s, strlen(s));
}

static void
test_defaults_load(void **state)
{
	struct workflows *wfs;
	const struct workflow *sig, *inc;
	size_t i, j;

	(void)state;
	assert_int_equal(workflows_load_dir(NULL, &wfs, NULL), 0);
	sig = workflows_get(wfs, REPORT_SIGNAL);
	inc = workflows_get(wfs, REPORT_INCIDENT);
	assert_int_equal(workflow_type(sig), REPORT_SIGNAL);
	assert_int_equal(workflow_type(inc), REPORT_INCIDENT);
	assert_string_equal(workflow_initial(sig)->name, "received");
	assert_string_equal(workflow_initial(inc)->name, "registered");

	/* The CCV steps and decisions are all there. */
	{
		static const char *const steps[] = {
			"weging_1", "weging_2a", "weging_2b", "weging_3",
			"no_action", "department", "riec", "police", "analysis",
			"meeting", "closed",
		};
		for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
			assert_non_null(workflow_state_find(sig, steps[i]));
	}
	assert_int_equal(workflow_state_find(sig, "no_action")->retention_days,
	                 365);
	assert_true(workflow_state_find(sig, "no_action")->final);
	assert_non_null(workflow_transition_find(inc, "police_report"));
	assert_string_equal(workflow_transition_find(inc, "police_report")
	                    ->fields[0], "police_reference");
	assert_int_equal(workflow_transition_find(inc, "damages")->nfields, 2);

	/* A signal's reporter never learns where it was handed. */
	for (i = 0; i < workflow_state_count(sig); i++) {
		const struct workflow_state *s = workflow_state_at(sig, i);

		for (j = 0; j < WORKFLOW_LANGS; j++) {
			assert_non_null(s->label[j]);
			assert_non_null(s->reporter[j]);
			assert_null(strstr(s->reporter[j], "olitie"));
			assert_null(strstr(s->reporter[j], "olice"));
			assert_null(strstr(s->reporter[j], "RIEC"));
			assert_null(strstr(s->reporter[j], "fdeling"));
		}
	}
	/* Deadlines of issue 4. */
	for (i = 0; i < workflow_deadline_count(inc); i++) {
		const struct workflow_deadline *d = workflow_deadline_at(inc, i);

		if (strcmp(d->name, "first_care") == 0) {
			assert_int_equal(d->unit, WORKFLOW_HOURS);
			assert_int_equal(d->amount, 72);
			/* The care talk held (care_72h), a decline stops it. */
			assert_int_equal(d->met, WORKFLOW_MET_TRANSITION);
			assert_int_equal(d->nmet, 1);
			assert_string_equal(d->met_names[0], "first_care_talk");
			assert_int_equal(d->nstop, 1);
			assert_string_equal(d->stop_names[0], "care_declined");
		} else if (strcmp(d->name, "police") == 0) {
			assert_int_equal(d->unit, WORKFLOW_WORKING_DAYS);
			assert_int_equal(d->amount, 2);
		}
	}
	assert_int_equal(workflow_deadline_at(sig, 0)->amount, 7);
	assert_int_equal(workflow_deadline_at(sig, 0)->met, WORKFLOW_MET_MESSAGE);
	workflows_free(wfs);
}

static const struct {
	const char *file;
	int line;
	const char *says;
} broken[] = {
	{ "unknown_section.ini", 6, "unknown section [stat open]" },
	{ "unknown_key.ini", 10, "unknown key 'colour'" },
	{ "unknown_state_to.ini", 24, "state 'finished', which is not defined" },
	{ "unknown_state_from.ini", 23, "state 'opn', which is not defined" },
	{ "unknown_role.ini", 25, "unknown role 'boss'" },
	{ "initial_unknown.ini", 4, "initial state 'start' is not defined" },
	{ "missing_initial.ini", 2, "has no initial state" },
	{ "final_no_retention.ini", 12, "final state done has no retention" },
	{ "retention_not_final.ini", 11, "only for final states" },
	{ "final_outgoing.ini", 30, "leaves final state done" },
	{ "bad_number.ini", 18, "retention_days must be a whole number" },
	{ "bad_boolean.ini", 17, "final must be yes or no" },
	{ "duplicate_key.ini", 8, "label.nl is given twice" },
	{ "duplicate_state.ini", 27, "state open is defined twice" },
	{ "duplicate_transition.ini", 27, "transition finish is defined twice" },
	{ "unreachable.ini", 27, "state limbo cannot be reached" },
	{ "no_way_out.ini", 27, "state stuck is not final and has no way out" },
	{ "no_final_reachable.ini", 27, "no final state can be reached" },
	{ "missing_label.ini", 6, "has no reporter.en" },
	{ "syntax.ini", 9, "expected a [section]" },
	{ "stay_and_to.ini", 25, "has both to and stay" },
	{ "bad_deadline.ini", 32, "give one of days, hours, working_days and months" },
	{ "deadline_unknown_transition.ini", 32, "transition 'answer'" },
	{ "deadline_unknown_stop.ini", 33, "stop names transition 'withdraw'" },
	{ "long_line.ini", 7, "longer than 197 characters" },
	{ "stats_not_field.ini", 27, "stats names 'reason', which is not one" },
	{ "deadline_reporter_half.ini", 27, "deadline answer has no reporter.en" },
};

static void
test_broken_files(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct buf errors = BUF_INIT, want = BUF_INIT;
		struct workflow *wf = (struct workflow *)1;
		char *path = data_path(broken[i].file);

		assert_int_equal(workflow_load_file(path, &wf, &errors), -1);
		assert_null(wf);
		/* "path:line: message" on one line. */
		buf_addf(&want, "%s:%d: ", path, broken[i].line);
		if (!contains(&errors, want.data) ||
		    !contains(&errors, broken[i].says))
			fail_msg("%s: want line %d saying '%s', got:\n%s",
			         broken[i].file, broken[i].line, broken[i].says,
			         errors.data);
		buf_release(&errors);
		buf_release(&want);
		free(path);
	}
}

static void
test_good_file(void **state)
{
	struct workflow *wf;
	const struct workflow_deadline *d;
	char *path = data_path("good.ini");

	(void)state;
	assert_int_equal(workflow_load_file(path, &wf, NULL), 0);
	assert_int_equal(workflow_state_count(wf), 2);
	assert_int_equal(workflow_transition_count(wf), 1);
	d = workflow_deadline_at(wf, 0);
	assert_string_equal(d->name, "answer");
	assert_int_equal(d->unit, WORKFLOW_WORKING_DAYS);
	assert_int_equal(d->met, WORKFLOW_MET_REACH);
	assert_string_equal(d->met_names[0], "done");
	assert_int_equal(d->line, 27);
	/* No reporter text: the reporter is not shown this one. */
	assert_null(d->reporter[WORKFLOW_NL]);
	assert_null(d->reporter[WORKFLOW_EN]);
	workflow_free(wf);
	free(path);
}

static void
test_text_errors(void **state)
{
	struct buf errors = BUF_INIT;
	struct workflow *wf;

	(void)state;
	assert_int_equal(workflow_load_text("empty.ini", "", 0, &wf, &errors),
	                 -1);
	assert_true(contains(&errors, "empty.ini: no [workflow] section"));
	buf_reset(&errors);
	assert_int_equal(workflow_load_text("outside.ini", "a = b\n", 6, &wf,
	                                    &errors), -1);
	assert_true(contains(&errors, "outside.ini:1: 'a' is outside any "
	                     "section"));
	buf_release(&errors);
	/* Without a buffer the errors go to the log, and it still fails. */
	assert_int_equal(workflow_load_text("x.ini", "[x]\n", 4, &wf, NULL), -1);
}

static struct workflow *
default_signal(void)
{
	struct workflow *wf;

	assert_int_equal(workflow_load_default(REPORT_SIGNAL, &wf, NULL), 0);
	return wf;
}

static void
test_check_refusals(void **state)
{
	struct workflow *wf = default_signal();
	struct workflow_verdict v;
	struct workflow_field f[2];
	char *big;

	(void)state;
	assert_int_equal(workflow_check(wf, "received", "start_intake",
	                 ROLE_COORDINATOR, NULL, 0, NULL, &v), WORKFLOW_OK);
	assert_int_equal(workflow_check(wf, "received", "start_intake",
	                 ROLE_COORDINATOR, NULL, 0, "received", &v), WORKFLOW_OK);

	assert_int_equal(workflow_check(wf, "received", "start_intake",
	                 ROLE_VPT | ROLE_HR, NULL, 0, NULL, &v), WORKFLOW_ROLE);
	assert_string_equal(v.key, "workflow.refused.role");
	assert_non_null(strstr(v.message, "coordinator"));

	assert_int_equal(workflow_check(wf, "received", "close",
	                 ROLE_COORDINATOR, NULL, 0, NULL, &v),
	                 WORKFLOW_NOT_FROM_HERE);
	assert_string_equal(v.key, "workflow.refused.state");
	assert_non_null(strstr(v.message, "received"));

	assert_int_equal(workflow_check(wf, "received", "fly", ROLE_COORDINATOR,
	                 NULL, 0, NULL, &v), WORKFLOW_UNKNOWN_TRANSITION);
	assert_int_equal(workflow_check(wf, "weging_1", "start_intake",
	                 ROLE_COORDINATOR, NULL, 0, "received", &v),
	                 WORKFLOW_STALE);

	/* Required field: absent, blank, then given. */
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, NULL, 0, NULL, &v),
	                 WORKFLOW_FIELD_MISSING);
	assert_string_equal(v.field, "reason");
	assert_string_equal(v.key, "workflow.refused.field_missing");
	f[0].name = "reason";
	f[0].value = " \t ";
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 1, NULL, &v),
	                 WORKFLOW_FIELD_MISSING);
	f[0].value = "RIEC-NH-2026-0042";
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 1, NULL, &v), WORKFLOW_OK);
	/* The value never appears in a message (it is content). */
	f[1].name = "note";
	f[1].value = "secret";
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 2, NULL, &v),
	                 WORKFLOW_FIELD_UNKNOWN);
	assert_string_equal(v.field, "note");
	assert_null(strstr(v.message, "RIEC-NH"));
	f[1].name = "reason";
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 2, NULL, &v),
	                 WORKFLOW_FIELD_UNKNOWN);
	big = malloc(WORKFLOW_FIELD_VALUE_MAX + 2);
	memset(big, 'x', WORKFLOW_FIELD_VALUE_MAX + 1);
	big[WORKFLOW_FIELD_VALUE_MAX + 1] = '\0';
	f[0].value = big;
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 1, NULL, &v),
	                 WORKFLOW_FIELD_TOO_LONG);
	big[WORKFLOW_FIELD_VALUE_MAX] = '\0';
	assert_int_equal(workflow_check(wf, "decision", "no_action",
	                 ROLE_COORDINATOR, f, 1, NULL, &v), WORKFLOW_OK);
	free(big);
	workflow_free(wf);
}

static void
test_allowed(void **state)
{
	static const char *const want[] = {
		"no_action", "to_department", "to_riec", "to_police",
		"to_analysis", "to_meeting",
	};
	struct workflow *wf = default_signal();
	const struct workflow_transition *out[32];
	size_t n, i;

	(void)state;
	n = workflow_allowed(wf, "decision", ROLE_COORDINATOR | ROLE_ADMIN, out,
	                     32);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		assert_string_equal(out[i]->name, want[i]);
	assert_string_equal(out[0]->label[WORKFLOW_NL], "Besluit: geen actie");
	assert_string_equal(out[0]->fields[0], "reason");
	assert_true(out[0]->feedback);
	assert_int_equal(workflow_allowed(wf, "decision", ROLE_VPT | ROLE_OVERLEG,
	                                  out, 32), 0);
	assert_int_equal(workflow_allowed(wf, "closed", ~0u, out, 32), 0);
	/* max smaller than the count: the count is still right. */
	assert_int_equal(workflow_allowed(wf, "decision", ROLE_COORDINATOR, out,
	                                  2), n);
	workflow_free(wf);
}

static void
test_due(void **state)
{
	(void)state;
	/* 72 hours from Monday 00:00 is Thursday 00:00. */
	assert_true(workflow_due(WORKFLOW_HOURS, 72, utc(2026, 1, 5, 0, 0)) ==
	            utc(2026, 1, 8, 0, 0));
	/* 7 days from a Monday: the end of the next Monday. */
	assert_true(workflow_due(WORKFLOW_DAYS, 7, utc(2026, 1, 5, 15, 30)) ==
	            utc(2026, 1, 13, 0, 0));
	/* 2 working days from a Friday: Monday and Tuesday. */
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 2,
	                         utc(2026, 1, 9, 10, 0)) == utc(2026, 1, 14, 0, 0));
	/* From a Saturday: Monday and Tuesday too. */
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 2,
	                         utc(2026, 1, 10, 10, 0)) == utc(2026, 1, 14, 0, 0));
	/* From a Monday: Tuesday and Wednesday. */
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 2,
	                         utc(2026, 1, 5, 9, 0)) == utc(2026, 1, 8, 0, 0));
	/* Thursday, 5 working days: Fri, Mon..Thu. */
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 5,
	                         utc(2026, 1, 8, 9, 0)) == utc(2026, 1, 16, 0, 0));
	/*
	 * Months (the whistleblower law's "at most three months"): to the
	 * same day of the month, the end of it; 2 December + 3 is 2 March.
	 */
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2025, 12, 2, 10, 0)) ==
	            utc(2026, 3, 3, 0, 0));
	/* A month without that day: its last day (31 January: 30 April). */
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2026, 1, 31, 10, 0)) ==
	            utc(2026, 5, 1, 0, 0));
	/* 30 November: 28 February, and 29 February in a leap year. */
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2026, 11, 30, 10, 0)) ==
	            utc(2027, 3, 1, 0, 0));
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2027, 11, 30, 10, 0)) ==
	            utc(2028, 3, 1, 0, 0));
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2027, 11, 28, 10, 0)) ==
	            utc(2028, 2, 29, 0, 0));
	/* 1 February 2027 + 3 months is 1 May: 89 days, fewer than 90. */
	assert_true(workflow_due(WORKFLOW_MONTHS, 3, utc(2027, 2, 1, 10, 0)) ==
	            utc(2027, 5, 2, 0, 0));
	assert_true(workflow_due(WORKFLOW_DAYS, 90, utc(2027, 2, 1, 10, 0)) ==
	            utc(2027, 5, 3, 0, 0));
	/* Many months: the years move on (14 months from October 2026). */
	assert_true(workflow_due(WORKFLOW_MONTHS, 14, utc(2026, 10, 15, 10, 0)) ==
	            utc(2027, 12, 16, 0, 0));
}

/*
 * In the organisation's zone and calendar: days end at local midnight,
 * summer time or not, and working days skip public holidays and closing
 * days (issue 17).
 */
static void
test_due_local(void **state)
{
	struct calendar cal;
	time_t t;

	(void)state;
	assert_int_equal(zone_set("Europe/Amsterdam"), 0);
	calendar_init(&cal);
	calendar_use(&cal);
	/* 00:30 on 2 July local is 22:30 UTC on 1 July: the local day counts. */
	assert_int_equal(clock_parse("2026-07-01T22:30:00Z", &t), 0);
	assert_true(workflow_due(WORKFLOW_DAYS, 7, t) == utc(2026, 7, 9, 22, 0));
	/* Winter: the end of the day is 23:00 UTC. */
	assert_int_equal(clock_parse("2026-12-07T10:00:00Z", &t), 0);
	assert_true(workflow_due(WORKFLOW_DAYS, 7, t) == utc(2026, 12, 14, 23, 0));
	/* Wed 23 Dec + 2 working days: Thu 24, (Christmas, weekend), Mon 28. */
	assert_int_equal(clock_parse("2026-12-23T10:00:00Z", &t), 0);
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 2, t) ==
	            utc(2026, 12, 28, 23, 0));
	/* A closing day on the 24th moves it one more. */
	assert_int_equal(calendar_close(&cal, test_day("2026-12-24")), 0);
	calendar_use(&cal);
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 2, t) ==
	            utc(2026, 12, 29, 23, 0));
	/* Wed 13 May + 1: Ascension Thursday (14 May) is skipped: Friday. */
	assert_int_equal(clock_parse("2026-05-13T10:00:00Z", &t), 0);
	assert_true(workflow_due(WORKFLOW_WORKING_DAYS, 1, t) ==
	            utc(2026, 5, 15, 22, 0));
	/* The stored day of receipt is read as the local day. */
	assert_int_equal(zone_parse_day("2026-12-07", &t), 0);
	assert_true(workflow_due(WORKFLOW_HOURS, 72, t) == utc(2026, 12, 9, 23, 0));
	calendar_init(&cal);
	calendar_use(&cal);
	assert_int_equal(zone_set("UTC"), 0);
}

/* The one verdict: open, due soon, overdue, met, met late, stopped. */
static void
test_verdict(void **state)
{
	struct workflow_deadline_status d;
	time_t monday = utc(2026, 12, 7, 10, 0), friday = utc(2026, 12, 18, 10, 0);

	(void)state;
	memset(&d, 0, sizeof(d));
	d.state = WORKFLOW_DEADLINE_MET;
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2), DEADLINE_MET);
	d.late = 1;
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2),
	                 DEADLINE_MET_LATE);
	assert_string_equal(deadline_verdict_name(DEADLINE_MET_LATE), "met_late");
	d.state = WORKFLOW_DEADLINE_STOPPED;
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2),
	                 DEADLINE_STOPPED);
	d.state = WORKFLOW_DEADLINE_OVERDUE;
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2),
	                 DEADLINE_OVERDUE);
	/* Running: due by the end of Wednesday is within 2 working days. */
	d.state = WORKFLOW_DEADLINE_PENDING;
	d.late = 0;
	d.due = utc(2026, 12, 10, 0, 0);
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2),
	                 DEADLINE_DUE_SOON);
	d.due = utc(2026, 12, 11, 0, 0);
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2), DEADLINE_OPEN);
	/* soon 0: only what is due by the end of today. */
	d.due = utc(2026, 12, 8, 0, 0);
	assert_int_equal(workflow_deadline_verdict(&d, monday, 0),
	                 DEADLINE_DUE_SOON);
	d.due = utc(2026, 12, 9, 0, 0);
	assert_int_equal(workflow_deadline_verdict(&d, monday, 0), DEADLINE_OPEN);
	/* From a Friday the weekend does not count: Monday, Tuesday. */
	d.due = utc(2026, 12, 23, 0, 0);
	assert_int_equal(workflow_deadline_verdict(&d, friday, 2),
	                 DEADLINE_DUE_SOON);
	/* The engine said pending, but the time has come since. */
	d.due = utc(2026, 12, 7, 9, 0);
	assert_int_equal(workflow_deadline_verdict(&d, monday, 2),
	                 DEADLINE_OVERDUE);
}

static const struct workflow_deadline_status *
find_status(const struct workflow_deadline_status *st, size_t n,
            const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(st[i].deadline->name, name) == 0)
			return &st[i];
	return NULL;
}

static void
test_deadline_rules(void **state)
{
	struct workflow *wf = default_signal();
	struct workflow_deadline_status st[8];
	time_t received = utc(2026, 1, 5, 0, 0), msg;
	struct workflow_step steps[3] = {
		{ utc(2026, 1, 6, 9, 0), "start_intake", "received", "weging_1" },
		{ utc(2026, 1, 6, 10, 0), "no_action", "weging_1", "no_action" },
		{ 0, NULL, NULL, NULL },
	};
	const struct workflow_deadline_status *ack, *fb;
	size_t n;

	(void)state;
	/* Nothing done yet: acknowledgement pending, then overdue. */
	n = workflow_deadlines(wf, received, NULL, 0, NULL, 0,
	                       utc(2026, 1, 12, 23, 0), st, 8);
	assert_int_equal(n, 1);	/* outcome feedback has not started */
	assert_int_equal(st[0].state, WORKFLOW_DEADLINE_PENDING);
	assert_true(st[0].due == utc(2026, 1, 13, 0, 0));
	n = workflow_deadlines(wf, received, NULL, 0, NULL, 0,
	                       utc(2026, 1, 13, 0, 1), st, 8);
	assert_int_equal(st[0].state, WORKFLOW_DEADLINE_OVERDUE);

	/* A message meets it; one sent before the start would not. */
	msg = utc(2026, 1, 7, 8, 0);
	n = workflow_deadlines(wf, received, steps, 1, &msg, 1,
	                       utc(2026, 2, 1, 0, 0), st, 8);
	assert_int_equal(st[0].state, WORKFLOW_DEADLINE_MET);
	assert_true(st[0].done_at == msg);
	assert_false(st[0].late);

	/* Closed without a message: acknowledgement stops, feedback runs. */
	n = workflow_deadlines(wf, received, steps, 2, NULL, 0,
	                       utc(2026, 1, 20, 0, 0), st, 8);
	assert_int_equal(n, 2);
	ack = find_status(st, n, "acknowledgement");
	fb = find_status(st, n, "outcome_feedback");
	assert_int_equal(ack->state, WORKFLOW_DEADLINE_STOPPED);
	assert_true(ack->done_at == steps[1].at);
	assert_false(ack->late);
	assert_true(fb->start == steps[1].at);
	assert_int_equal(fb->state, WORKFLOW_DEADLINE_OVERDUE);
	msg = utc(2026, 1, 8, 12, 0);
	n = workflow_deadlines(wf, received, steps, 2, &msg, 1,
	                       utc(2026, 1, 20, 0, 0), st, 8);
	ack = find_status(st, n, "acknowledgement");
	fb = find_status(st, n, "outcome_feedback");
	/* One message after closing meets both. */
	assert_int_equal(ack->state, WORKFLOW_DEADLINE_MET);
	assert_int_equal(fb->state, WORKFLOW_DEADLINE_MET);
	workflow_free(wf);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_registry(void **state)
{
	char *dir = test_tmpdir("workflows"), *src;
	struct buf path = BUF_INIT, text = BUF_INIT, errors = BUF_INIT;
	struct workflows *wfs;

	(void)state;
	/* An installation without a workflows folder gets the defaults. */
	assert_int_equal(workflows_load_installation(dir, &wfs, NULL), 0);
	assert_int_equal(workflow_state_count(workflows_get(wfs,
	                 REPORT_SIGNAL)), 13);
	workflows_free(wfs);

	/* An edited signal.ini; the incident one falls back to the default. */
	buf_addf(&path, "%s/%s", dir, WORKFLOWS_SUBDIR);
	assert_int_equal(mkdir(path.data, 0700), 0);
	buf_adds(&path, "/signal.ini");
	src = data_path("good.ini");
	assert_int_equal(test_read_file(src, &text), 0);
	free(src);
	write_file(path.data, text.data);
	assert_int_equal(workflows_load_installation(dir, &wfs, NULL), 0);
	assert_int_equal(workflow_state_count(workflows_get(wfs,
	                 REPORT_SIGNAL)), 2);
	assert_string_equal(workflow_initial(workflows_get(wfs,
	                    REPORT_INCIDENT))->name, "registered");
	workflows_free(wfs);

	/* A file that says another type than its name is refused. */
	buf_reset(&text);
	src = data_path("type_mismatch_signal.ini");
	assert_int_equal(test_read_file(src, &text), 0);
	free(src);
	write_file(path.data, text.data);
	assert_int_equal(workflows_load_installation(dir, &wfs, &errors), -1);
	assert_true(contains(&errors, "signal.ini:3: this is the file for "
	                     "signal reports"));
	buf_release(&errors);
	buf_release(&text);
	buf_release(&path);
	test_rmtree(dir);
	free(dir);
}

static void
test_cli(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT, want = BUF_INIT;
	char *good = data_path("good.ini"), *bad = data_path("unknown_role.ini");
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	const char *argv_good[] = { "workflow", "check", good, NULL };
	const char *argv_bad[] = { "workflow", "check", bad, NULL };
	const char *argv_none[] = { "workflow", NULL };

	(void)state;
	assert_int_equal(test_run(&out, &err, argv_good), 0);
	buf_addf(&want, "%s: ok (2 states, 1 transitions, 0 typed fields, "
	         "0 rules)\n", good);
	assert_string_equal(out.data, want.data);

	buf_reset(&out);
	buf_reset(&err);
	buf_reset(&want);
	assert_int_equal(test_run(&out, &err, argv_bad), 1);
	buf_addf(&want, "%s:25: unknown role 'boss'", bad);
	assert_true(contains(&err, want.data));
	assert_int_equal(out.len, 0);

	/* The shipped defaults pass. */
	buf_reset(&out);
	buf_reset(&want);
	buf_addf(&want, "%s/schema/workflows/incident.ini", src);
	{
		const char *argv_def[] = { "workflow", "check", want.data, NULL };

		assert_int_equal(test_run(&out, &err, argv_def), 0);
		assert_true(contains(&out, "ok (4 states,"));
	}
	assert_int_equal(test_run(NULL, NULL, argv_none), 2);
	buf_release(&out);
	buf_release(&err);
	buf_release(&want);
	free(good);
	free(bad);
}

/* What each type takes and how it is stored (issue 17 point 3). */
static void
test_field_types(void **state)
{
	static const struct { const char *in, *out; } money[] = {
		{ "1.250,50", "1250.50" }, { "1250.5", "1250.50" },
		{ "\xE2\x82\xAC 300", "300.00" }, { "100,-", "100.00" },
		{ "0", "0.00" },
	};
	static const char *const bad_money[] = {
		"veel", "-50", "12,345", "", "1000000001", "1,2.3",
	};
	struct workflow_field_def money_def = { 0 }, date_def = { 0 },
	                          ref_def = { 0 }, choice_def = { 0 };
	static const char *const choices[] = { "1", "2", "3", "4" };
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	money_def.type = WORKFLOW_FIELD_MONEY;
	money_def.max = WORKFLOW_MONEY_MAX;
	for (i = 0; i < sizeof(money) / sizeof(money[0]); i++) {
		buf_reset(&out);
		assert_int_equal(workflow_field_normalize(&money_def, money[i].in,
		                                          &out), 0);
		assert_string_equal(out.data, money[i].out);
	}
	for (i = 0; i < sizeof(bad_money) / sizeof(bad_money[0]); i++)
		if (workflow_field_normalize(&money_def, bad_money[i], &out) == 0)
			fail_msg("money accepted '%s'", bad_money[i]);
	money_def.max = 1000;
	assert_int_equal(workflow_field_normalize(&money_def, "1000,00", &out),
	                 0);
	assert_int_equal(workflow_field_normalize(&money_def, "1000,01", &out),
	                 -1);

	date_def.type = WORKFLOW_FIELD_DATE;
	buf_reset(&out);
	assert_int_equal(workflow_field_normalize(&date_def, "31-12-2026", &out),
	                 0);
	assert_string_equal(out.data, "2026-12-31");
	buf_reset(&out);
	assert_int_equal(workflow_field_normalize(&date_def, " 2028-02-29 ",
	                                          &out), 0);
	assert_string_equal(out.data, "2028-02-29");
	assert_int_equal(workflow_field_normalize(&date_def, "2026-02-29", &out),
	                 -1);
	assert_int_equal(workflow_field_normalize(&date_def, "2026-13-01", &out),
	                 -1);
	assert_int_equal(workflow_field_normalize(&date_def, "gisteren", &out),
	                 -1);

	ref_def.type = WORKFLOW_FIELD_REFERENCE;
	buf_reset(&out);
	assert_int_equal(workflow_field_normalize(&ref_def, " PL0900/2026:12 ",
	                                          &out), 0);
	assert_string_equal(out.data, "PL0900/2026:12");
	assert_int_equal(workflow_field_normalize(&ref_def, "<script>", &out),
	                 -1);
	assert_int_equal(workflow_field_normalize(&ref_def, "   ", &out), -1);
	assert_int_equal(workflow_field_normalize(&ref_def,
	                 "A1234567890123456789012345678901234567890123456789"
	                 "012345678901234", &out), -1);

	choice_def.type = WORKFLOW_FIELD_CHOICE;
	choice_def.choices = choices;
	choice_def.nchoices = 4;
	assert_int_equal(workflow_field_normalize(&choice_def, "3", &out), 0);
	assert_int_equal(workflow_field_normalize(&choice_def, "5", &out), -1);
	assert_int_equal(workflow_field_normalize(&choice_def, "", &out), -1);
	buf_release(&out);
}

/* The built-in files' typed fields, checked by workflow_check. */
static void
test_typed_check(void **state)
{
	struct workflow *inc, *sig = default_signal();
	struct workflow_verdict v;
	struct workflow_field f[2] = {
		{ "damage_amount", "veel" }, { "recovered_amount", "0" },
	};
	struct workflow_field earlier[2] = {
		{ "damage_amount", "1250.50" }, { "recovered_amount", "300" },
	};

	(void)state;
	assert_int_equal(workflow_load_default(REPORT_INCIDENT, &inc, NULL), 0);
	assert_int_equal(workflow_check(inc, "aftercare", "damages", ROLE_VPT, f,
	                 2, NULL, &v), WORKFLOW_FIELD_INVALID);
	assert_string_equal(v.field, "damage_amount");
	assert_string_equal(v.key, "workflow.refused.money");
	assert_null(strstr(v.message, "veel"));
	f[0].value = "-50";
	assert_int_equal(workflow_check(inc, "aftercare", "damages", ROLE_VPT, f,
	                 2, NULL, &v), WORKFLOW_FIELD_INVALID);
	f[0].value = "1.250,50";
	assert_int_equal(workflow_check(inc, "aftercare", "damages", ROLE_VPT, f,
	                 2, NULL, &v), WORKFLOW_OK);

	/* recovered <= claimed over the case: this step and those before. */
	f[0].value = "0";
	f[1].value = "950,50";
	assert_int_equal(workflow_fields_check_case(inc,
	                 workflow_transition_find(inc, "damages"), f, 2,
	                 earlier, 2, &v), WORKFLOW_OK);
	f[1].value = "950,51";
	assert_int_equal(workflow_fields_check_case(inc,
	                 workflow_transition_find(inc, "damages"), f, 2,
	                 earlier, 2, &v), WORKFLOW_RULE);
	assert_string_equal(v.rule, "recovered_within_claimed");
	assert_string_equal(v.key, "workflow.refused.rule");
	assert_non_null(workflow_rule_find(inc, v.rule)->label[WORKFLOW_NL]);
	/* Without the earlier steps, the step alone breaks it too. */
	assert_int_equal(workflow_fields_check_case(inc,
	                 workflow_transition_find(inc, "damages"), f, 2,
	                 NULL, 0, &v), WORKFLOW_RULE);

	f[0].name = "police_reference";
	f[0].value = "PL0900-2026-123";
	assert_int_equal(workflow_check(inc, "care", "police_report", ROLE_VPT,
	                 f, 1, NULL, &v), WORKFLOW_OK);
	f[0].value = "zie mail";
	f[0].value = "zie <mail>";
	assert_int_equal(workflow_check(inc, "care", "police_report", ROLE_VPT,
	                 f, 1, NULL, &v), WORKFLOW_FIELD_INVALID);
	assert_string_equal(v.key, "workflow.refused.reference");

	/* Weging 3: the seriousness on its scale, with a motivation. */
	f[0].name = "seriousness";
	f[0].value = "5";
	f[1].name = "seriousness_motivation";
	f[1].value = "Meerdere signalen over hetzelfde pand.";
	assert_int_equal(workflow_check(sig, "weging_3", "seriousness",
	                 ROLE_COORDINATOR, f, 2, NULL, &v),
	                 WORKFLOW_FIELD_INVALID);
	assert_string_equal(v.key, "workflow.refused.choice");
	f[0].value = "3";
	assert_int_equal(workflow_check(sig, "weging_3", "seriousness",
	                 ROLE_COORDINATOR, f, 2, NULL, &v), WORKFLOW_OK);
	assert_string_equal(workflow_choice_label(workflow_field_def(sig,
	                    "seriousness"), "3", WORKFLOW_NL), "3 - ernstig");
	workflow_free(inc);
	workflow_free(sig);
}

/* A rule per step, and what the parser refuses of fields and rules. */
static void
test_field_sections(void **state)
{
	static const char head[] =
		"[workflow]\ntype = incident\ninitial = open\n"
		"[state open]\nlabel.nl = O\nlabel.en = O\nreporter.nl = O\n"
		"reporter.en = O\n"
		"[state done]\nlabel.nl = D\nlabel.en = D\nreporter.nl = D\n"
		"reporter.en = D\nfinal = yes\nretention_days = 30\n"
		"[transition finish]\nlabel.nl = F\nlabel.en = F\nfrom = open\n"
		"to = done\nroles = vpt\nfields = from_day to_day paid\n";
	static const struct { const char *tail, *error; } bad[] = {
		{ "[field paid]\ntype = coins\n", "unknown type 'coins'" },
		{ "[field paid]\nlabel.nl = B\n", "field paid has no type" },
		{ "[field other]\ntype = money\n", "no transition takes it" },
		{ "[field paid]\ntype = choice\n", "has no choices" },
		{ "[field paid]\ntype = money\nchoices = a b\n",
		  "only for fields of type choice" },
		{ "[field paid]\ntype = choice\nchoices = a b\n"
		  "choices.nl = A\n", "1 labels for 2 choices" },
		{ "[field paid]\ntype = money\n[field paid]\ntype = money\n",
		  "declared twice" },
		{ "[field paid]\ntype = money\n[rule r]\ncheck = paid <= x\n"
		  "label.nl = R\nlabel.en = R\n", "'x', which is not declared" },
		{ "[field paid]\ntype = money\n[field from_day]\ntype = date\n"
		  "[rule r]\ncheck = paid <= from_day\nlabel.nl = R\n"
		  "label.en = R\n", "money with money" },
		{ "[field paid]\ntype = money\n[rule r]\ncheck = paid\n",
		  "check must be FIELD OP FIELD" },
		{ "[field from_day]\ntype = date\n[field to_day]\ntype = date\n"
		  "[rule r]\ncheck = from_day <= to_day\nper = case\n"
		  "label.nl = R\nlabel.en = R\n", "adds up amounts" },
		{ "[field paid]\ntype = money\nmax = -1\n", "max must be" },
	};
	static const char rules[] =
		"[field from_day]\ntype = date\n[field to_day]\ntype = date\n"
		"[rule order]\ncheck = from_day <= to_day\nlabel.nl = Eerst "
		"het begin\nlabel.en = Start first\n";
	struct buf text = BUF_INIT, errors = BUF_INIT;
	struct workflow *wf;
	struct workflow_verdict v;
	struct workflow_field f[3] = {
		{ "from_day", "02-03-2026" }, { "to_day", "2026-03-01" },
		{ "paid", "iets" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&text);
		buf_reset(&errors);
		buf_adds(&text, head);
		buf_adds(&text, bad[i].tail);
		assert_int_equal(workflow_load_text("x.ini", text.data, text.len,
		                                    &wf, &errors), -1);
		if (!strstr(errors.data, bad[i].error))
			fail_msg("case %zu: no '%s' in: %s", i, bad[i].error,
			         errors.data);
	}
	buf_reset(&text);
	buf_adds(&text, head);
	buf_adds(&text, rules);
	assert_int_equal(workflow_load_text("x.ini", text.data, text.len, &wf,
	                                    &errors), 0);
	/* A rule per step: the dates of this step in order. */
	assert_int_equal(workflow_check(wf, "open", "finish", ROLE_VPT, f, 3,
	                 NULL, &v), WORKFLOW_RULE);
	assert_string_equal(v.rule, "order");
	f[1].value = "02-03-2026";
	assert_int_equal(workflow_check(wf, "open", "finish", ROLE_VPT, f, 3,
	                 NULL, &v), WORKFLOW_OK);
	/* paid is not declared: free text, as before. */
	assert_null(workflow_field_def(wf, "paid"));
	workflow_free(wf);
	buf_release(&text);
	buf_release(&errors);
}

/*
 * An organisation's copy made before the built-in file required the
 * weging fields: it still loads, and 'workflow check' warns per field.
 */
static void
test_copy_lacks_fields(void **state)
{
	char *dir = test_tmpdir("wfcopy");
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf path = BUF_INIT, text = BUF_INIT, out = BUF_INIT,
	           err = BUF_INIT;
	struct workflow *wf;
	FILE *f;
	char line[256];

	(void)state;
	buf_addf(&path, "%s/schema/workflows/signal.ini", src);
	f = fopen(path.data, "r");
	assert_non_null(f);
	/* The copy: every fields line of the weging steps left out. */
	while (fgets(line, sizeof(line), f))
		if (strcmp(line, "fields = undermining_motivation\n") != 0 &&
		    strcmp(line, "fields = territory_motivation\n") != 0)
			buf_adds(&text, line);
	fclose(f);
	buf_reset(&path);
	buf_addf(&path, "%s/signal.ini", dir);
	f = fopen(path.data, "w");
	assert_non_null(f);
	fputs(text.data, f);
	fclose(f);
	assert_int_equal(workflow_load_file(path.data, &wf, NULL), 0);
	workflow_free(wf);
	{
		const char *argv[] = { "workflow", "check", path.data, NULL };

		assert_int_equal(test_run(&out, &err, argv), 0);
	}
	assert_true(contains(&out, "ok (13 states,"));
	assert_true(contains(&err, "warning: transition undermining: field "
	                     "undermining_motivation is required by the "
	                     "built-in workflow"));
	assert_true(contains(&err, "warning: transition not_undermining: field "
	                     "undermining_motivation is required"));
	assert_true(contains(&err, "transition our_territory: field "
	                     "territory_motivation is required"));
	assert_false(contains(&err, "municipal_task"));
	buf_release(&path);
	buf_release(&text);
	buf_release(&out);
	buf_release(&err);
	test_rmtree(dir);
	free(dir);
}

/*
 * Found by fuzz_workflow: trailing carriage returns did not count against
 * the line length but were copied, past the end of inih's line buffer.
 */
static void
test_trailing_cr(void **state)
{
	struct buf text = BUF_INIT, errors = BUF_INIT;
	struct workflow *wf = NULL;
	size_t i;

	(void)state;
	buf_adds(&text, "[workflow]\ntype = signal");
	for (i = 0; i < 4000; i++)
		buf_add(&text, "\r", 1);
	buf_adds(&text, "\ninitial = received\n");
	assert_int_equal(workflow_load_text("cr.ini", text.data, text.len, &wf,
	                                    &errors), -1);
	assert_null(wf);
	/* Parsed up to the real problem: no states, not the long line. */
	assert_null(strstr(errors.data, "longer than"));
	buf_release(&text);
	buf_release(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_load),
		cmocka_unit_test(test_broken_files),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_check_refusals),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_due_local),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_deadline_rules),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_trailing_cr),
		cmocka_unit_test(test_field_types),
		cmocka_unit_test(test_typed_check),
		cmocka_unit_test(test_field_sections),
		cmocka_unit_test(test_copy_lacks_fields),
	};
	return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
