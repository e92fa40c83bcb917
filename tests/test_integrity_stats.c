/*
 * test_integrity_stats.c - the figures of the yearly integrity report and
 * the indicators of norm 2.4 (issue 20 point 5).
 *
 * Eight integrity reports with known answers and back-dated steps (the
 * clock set in process, so the server inside this test reads the same
 * clock), one more purged, and a signal and an incident beside them. The
 * clock is then fixed at Wednesday 15 July 2026, 12:00 UTC, and every
 * figure is read from every surface: the statistics page (Dutch and
 * English), its CSV and JSON, the API statistics and its export, the norm
 * page, the annual report's CSV and JSON and the API norm. The expected
 * counts and verdicts are worked out by hand here, never computed by the
 * code under test. The deadlines are first read through
 * events_deadlines and workflow_deadline_verdict (what the case page
 * shows): the figures must count exactly those verdicts.
 *
 * The terms (schema/workflows/integrity.ini): acknowledgement by the end
 * of the 7th day after the day of receipt, met by the step acknowledge;
 * feedback by the end of the same day 3 months after entering assessment,
 * met by a closing step or by telling the reporter it takes longer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "apitoken.h"
#include "calendar.h"
#include "clock.h"
#include "config.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "norm.h"
#include "report.h"
#include "server.h"
#include "stats.h"
#include "stats_read.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"
#include "zone.h"

#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define NEWPW "een heel lang wachtwoord"

struct who {
	const char *name;
	struct buf cookie, csrf;
	struct secret *totp;
	char token[APITOKEN_TEXT_LEN + 1];
};

struct fixture {
	char *dir;
	struct installation *inst;
	struct workflows *wfs;
	struct config cfg;
	struct server *srv;
	struct test_server ts;
	struct who integ, coord, admin;
	enum report_type type;
};

/* ---- The cases --------------------------------------------------------- */

/* A step: a transition and its day (at 10:00 UTC). */
struct step {
	const char *name;
	int y, m, d;
};

struct int_case {
	const char *what;
	int y, m, d;			/* received, 08:00 UTC */
	const char *kind, *identity;
	struct step steps[6];
	/* By hand: the verdicts of acknowledgement and feedback ("" when
	 * the deadline has not started). */
	const char *ack, *feedback;
	int64_t id;
};

/*
 * The clock: Wednesday 15 July 2026. The acknowledgement of a report
 * received on day D is due at 00:00 local of D + 8; the feedback 3
 * months after entering assessment (to the same day of the month).
 */
static struct int_case cases[] = {
	/* Acknowledged the next day; founded 10 March, well inside the
	 * term (due early April). */
	{ "founded", 2026, 1, 5, "fraud", "named",
	  { { "acknowledge", 2026, 1, 6 }, { "admissible", 2026, 1, 20 },
	    { "conclude", 2026, 3, 1 }, { "founded", 2026, 3, 10 },
	    { NULL, 0, 0, 0 } }, "met", "met", 0 },
	/* Acknowledged after 18 days: late; not admissible three days on. */
	{ "acknowledged late", 2026, 1, 12, "fraud", "anonymous",
	  { { "acknowledge", 2026, 1, 30 }, { "not_admissible", 2026, 2, 2 },
	    { NULL, 0, 0, 0 } }, "met_late", "met", 0 },
	/* Told it takes longer on 1 April (due about 4 May): met. */
	{ "takes longer", 2026, 2, 2, "corruption", "anonymous",
	  { { "acknowledge", 2026, 2, 3 }, { "admissible", 2026, 2, 10 },
	    { "longer", 2026, 4, 1 }, { NULL, 0, 0, 0 } }, "met", "met", 0 },
	/* Under investigation since February, no word: due about 5 May. */
	{ "no feedback", 2026, 2, 2, "corruption", "named",
	  { { "acknowledge", 2026, 2, 4 }, { "admissible", 2026, 2, 5 },
	    { NULL, 0, 0, 0 } }, "met", "overdue", 0 },
	/* Never acknowledged (due 9 March): the feedback never started. */
	{ "not acknowledged", 2026, 3, 1, "misconduct", "named",
	  { { NULL, 0, 0, 0 } }, "overdue", "", 0 },
	/* Received Monday: due 21 July, running. */
	{ "fresh", 2026, 7, 13, "conflict_of_interest", "anonymous",
	  { { NULL, 0, 0, 0 } }, "open", "", 0 },
	/* Unfounded on 15 June, inside the term (due about 1 July). */
	{ "unfounded", 2026, 4, 1, "misconduct", "named",
	  { { "acknowledge", 2026, 4, 2 }, { "admissible", 2026, 4, 3 },
	    { "conclude", 2026, 6, 10 }, { "unfounded", 2026, 6, 15 },
	    { NULL, 0, 0, 0 } }, "met", "met", 0 },
	/* The year before: acknowledged, then nothing (due about 1 Dec). */
	{ "last year", 2025, 9, 1, "fraud", "named",
	  { { "acknowledge", 2025, 9, 2 }, { "admissible", 2025, 9, 3 },
	    { NULL, 0, 0, 0 } }, "met", "overdue", 0 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/*
 * The figures of 2026 (and of 2025), by hand from the cases above and the
 * purged report (unfounded, received February 2026):
 *   total 8 (7 + 1 purged); named 4 (founded, no feedback, not
 *   acknowledged, unfounded); closed 4 (founded, acknowledged late,
 *   unfounded, purged); acknowledgement decided 6 (all but fresh), of
 *   which in time 4 (late: acknowledged late; overdue: not acknowledged);
 *   feedback decided 5 (founded, acknowledged late, takes longer, no
 *   feedback, unfounded), in time 4; longer 1; deadlines 11: met 8, late
 *   1, overdue 2; purged 1.
 */
static const struct {
	const char *row;
	long long now, prev;
} totals[] = {
	{ "total", 8, 1 }, { "named", 4, 1 }, { "closed", 4, 0 },
	{ "ack_decided", 6, 1 }, { "ack_7d", 4, 1 },
	{ "feedback_decided", 5, 1 }, { "feedback", 4, 0 },
	{ "longer", 1, 0 }, { "deadlines_total", 11, 2 },
	{ "deadlines_met", 8, 1 }, { "deadlines_met_late", 1, 0 },
	{ "deadlines_overdue", 2, 1 }, { "deadlines_stopped", 0, 0 },
	{ "purged", 1, 0 },
};

static const struct {
	const char *table, *row;
	long long now, prev;
	const char *label_nl, *label_en;
} breakdown[] = {
	{ "integrity_kind", "fraud", 2, 1, "Fraude of diefstal",
	  "Fraud or theft" },
	{ "integrity_kind", "corruption", 2, 0, "Omkoping of corruptie",
	  "Bribery or corruption" },
	{ "integrity_kind", "misconduct", 2, 0,
	  "Ongewenst gedrag (intimidatie, discriminatie, pesten)",
	  "Unwanted behaviour (intimidation, discrimination, bullying)" },
	{ "integrity_kind", "conflict_of_interest", 1, 0,
	  "Belangenverstrengeling", "Conflict of interest" },
	{ "integrity_identity", "named", 4, 1, "Met naam", "Named" },
	{ "integrity_identity", "anonymous", 3, 0, "Anoniem", "Anonymous" },
	{ "integrity_outcome", "founded", 1, 0,
	  "Afgesloten: schending vastgesteld",
	  "Closed: violation established" },
	{ "integrity_outcome", "unfounded", 2, 0,
	  "Afgesloten: geen schending vastgesteld",
	  "Closed: no violation established" },
	{ "integrity_outcome", "not_admissible", 1, 0,
	  "Afgesloten: niet ontvankelijk", "Closed: not admissible" },
	{ "integrity_outcome", "open", 4, 1, "Nog in behandeling",
	  "Still being handled" },
	{ "integrity_month", "2026-02", 3, 0, "2026-02", "2026-02" },
	{ "integrity_month", "2026-07", 1, 0, "2026-07", "2026-07" },
};

/* The fields each integrity step takes (schema/workflows/integrity.ini). */
static const struct {
	const char *transition, *name, *value;
} step_fields[] = {
	{ "admissible", "investigator", "Bureau Integriteit" },
	{ "admissible", "reason", "Voldoende concreet" },
	{ "conclude", "finding", "founded" },
	{ "conclude", "reason", "Onderzoeksrapport" },
	{ "founded", "measures", "Berisping" },
	{ "not_admissible", "reason", "Geen concrete aanwijzingen" },
	{ "unfounded", "reason", "Geen bewijs" },
	{ "longer", "reason", "Extern onderzoek loopt" },
};

static size_t
fields_of(const char *name, struct workflow_field *f)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(step_fields) / sizeof(step_fields[0]); i++)
		if (strcmp(step_fields[i].transition, name) == 0) {
			f[n].name = step_fields[i].name;
			f[n++].value = step_fields[i].value;
		}
	return n;
}

static int64_t
submit(struct fixture *f, enum report_type type, const char *state,
       time_t at, const char *stats)
{
	static const char content[] = "{\"answers\":{\"what\":\"x\"}}";
	struct submission sub = {
		.type = type, .state = state, .source = "web",
		.content = content, .content_len = sizeof(content) - 1,
		.stats = stats, .stats_len = strlen(stats),
	};
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;

	clock_set(at);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	clock_set(0);
	return id;
}

static void
build(struct fixture *f)
{
	struct buf stats = BUF_INIT;
	size_t i, k;

	for (i = 0; i < NCASES; i++) {
		struct int_case *c = &cases[i];

		buf_reset(&stats);
		buf_addf(&stats, "{\"answers\":{\"kind\":\"%s\",\"identity\":"
		         "\"%s\"},\"form\":\"integrity\"}", c->kind, c->identity);
		c->id = submit(f, f->type, "received",
		               test_utc(c->y, c->m, c->d, 8, 0, 0), stats.data);
		for (k = 0; c->steps[k].name; k++) {
			struct workflow_field fields[4];
			size_t n = fields_of(c->steps[k].name, fields);
			struct workflow_verdict v;

			clock_set(test_utc(c->steps[k].y, c->steps[k].m,
			                   c->steps[k].d, 10, 0, 0));
			if (events_transition(f->inst, f->wfs, c->id,
			                      c->steps[k].name, "integ",
			                      ROLE_INTEGRITY, fields, n, NULL,
			                      &v) != 0)
				fail_msg("%s: %s refused: %s", c->what,
				         c->steps[k].name, v.message);
			clock_set(0);
		}
	}
	/* A named signal and an incident: they count only in their own. */
	submit(f, REPORT_SIGNAL, "received", test_utc(2026, 3, 2, 8, 0, 0),
	       "{\"answers\":{\"phenomenon\":\"drugs\",\"identity\":\"named\"},"
	       "\"form\":\"signal\"}");
	submit(f, REPORT_INCIDENT, "registered", test_utc(2026, 3, 2, 8, 0, 0),
	       "{\"answers\":{\"place\":\"counter\",\"kind\":[\"verbal\"]},"
	       "\"form\":\"incident\"}");
	/* One purged since: the counts retention keeps (retention.h). */
	test_exec(f->dir, "INSERT INTO purged_counts (type, received_month,"
	          " final_state, source, reports) VALUES ('integrity',"
	          " '2026-02', 'unfounded', 'web', 1)");
	buf_release(&stats);
}

/* ---- Fixture ----------------------------------------------------------- */

/* The three staff of the fixture, for set-up and release in turn. */
#define NWHO 3
static struct who *
who_at(struct fixture *f, size_t i)
{
	struct who *all[NWHO] = { &f->integ, &f->coord, &f->admin };

	return all[i];
}

static int
setup(void **state)
{
	static const char *const names[NWHO] = { "integ", "coord", "admin" };
	struct fixture *f = calloc(1, sizeof(*f));
	struct server_config cfg = {
		.listen = "127.0.0.1", .port = 0, .limits = limits_default,
	};
	struct install_result res;
	struct installation *inst;
	size_t i;

	assert_non_null(f);
	for (i = 0; i < NWHO; i++) {
		who_at(f, i)->name = names[i];
		buf_init(&who_at(f, i)->cookie);
		buf_init(&who_at(f, i)->csrf);
	}
	assert_int_equal(report_type_parse("integrity", &f->type), 0);
	config_init(&f->cfg);
	/* Every figure shown; the small numbers test raises it. */
	f->cfg.small_number = 1;
	setenv("MELDPUNT_PWHASH", "fast", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	assert_int_equal(zone_set(ZONE_DEFAULT), 0);
	calendar_use(&f->cfg.calendar);

	f->dir = test_tmpdir("integrity_stats");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "integ", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, res.recovery_key, "integriteit", "integ");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "integ");
	test_grant(f->dir, res.recovery_key, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "coord");

	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	build(f);
	cfg.config = &f->cfg;
	assert_int_equal(server_start(&f->srv, f->inst, &cfg), 0);
	f->ts.port = server_port(f->srv);
	/* Log in on the real clock (the codes are the real time's). */
	f->integ.totp = test_staff_setup(&f->ts, "integ", INTEG_OTP, NEWPW,
	                                 &f->integ.cookie, &f->integ.csrf);
	f->coord.totp = test_staff_setup(&f->ts, "coord", COORD_OTP, NEWPW,
	                                 &f->coord.cookie, &f->coord.csrf);
	f->admin.totp = test_staff_setup(&f->ts, "admin", res.admin_password,
	                                 NEWPW, &f->admin.cookie,
	                                 &f->admin.csrf);
	assert_non_null(f->integ.totp);
	assert_non_null(f->coord.totp);
	assert_non_null(f->admin.totp);
	test_make_token(&f->ts, &f->integ.cookie, &f->integ.csrf, "jaarverslag",
	                "role=integrity", "90", f->integ.token);
	crypto_wipe(&res, sizeof(res));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	clock_set(0);
	server_stop(f->srv);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	for (i = 0; i < NWHO; i++) {
		buf_release(&who_at(f, i)->cookie);
		buf_release(&who_at(f, i)->csrf);
		secret_free(who_at(f, i)->totp);
	}
	config_release(&f->cfg);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	curl_global_cleanup();
	return 0;
}

/* ---- Reading ----------------------------------------------------------- */

/* The clock at the moment of the figures: 15 July 2026, 12:00 UTC. */
static void
now(void)
{
	clock_set(test_utc(2026, 7, 15, 12, 0, 0));
}

/* GET path as w (page session, or the API token); the status. */
static long
get(struct fixture *f, const struct who *w, int api, const char *path,
    struct buf *resp)
{
	long status = 0;

	buf_reset(resp);
	if (api)
		assert_int_equal(test_http_token(&f->ts, "GET", path, NULL,
		                                 w->token, &status, resp), 0);
	else
		assert_int_equal(test_http_cookie(&f->ts, "GET", path, NULL,
		                                  w->cookie.data, &status, NULL,
		                                  resp), 0);
	return status;
}

static json_t *
get_json(struct fixture *f, const struct who *w, int api, const char *path)
{
	struct buf resp = BUF_INIT;
	json_error_t e;
	json_t *j;

	if (get(f, w, api, path, &resp) != 200)
		fail_msg("GET %s as %s: %s", path, w->name, resp.data);
	j = json_loadb(resp.data, resp.len, 0, &e);
	if (!j)
		fail_msg("%s: not JSON (%s)", path, e.text);
	buf_release(&resp);
	return j;
}

/* The row of value in a statistics JSON table, or NULL. */
static json_t *
json_row(json_t *doc, const char *table, const char *value)
{
	json_t *rows = json_object_get(json_object_get(doc, "tables"), table);
	size_t i;

	for (i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);

		if (strcmp(json_string_value(json_object_get(r, "value")),
		           value) == 0)
			return r;
	}
	return NULL;
}

/* The cell of a count as JSON shows it: a number, or a hidden string. */
static void
json_is(json_t *cell, long long n, const char *hidden, const char *where)
{
	if (hidden) {
		if (!json_is_string(cell) ||
		    strcmp(json_string_value(cell), hidden) != 0)
			fail_msg("%s: not hidden as %s", where, hidden);
	} else if (!json_is_integer(cell) || json_integer_value(cell) != n) {
		fail_msg("%s: %lld expected", where, n);
	}
}

/* Every figure in the statistics JSON of w (page or API). */
static void
stats_json(struct fixture *f, const struct who *w, int api)
{
	json_t *doc = get_json(f, w, api, api ? "/api/v1/statistics?periode="
	                       "jaar&waarde=2026" : "/beheer/statistiek.json?"
	                       "periode=jaar&waarde=2026");
	size_t i;

	/* The integrity coordinator sees the integrity tables alone. */
	assert_null(json_object_get(json_object_get(doc, "tables"), "signals"));
	assert_null(json_object_get(json_object_get(doc, "tables"),
	                            "incidents"));
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		json_t *r = json_row(doc, "integrity", totals[i].row);

		if (!r)
			fail_msg("no row %s", totals[i].row);
		json_is(json_object_get(r, "count"), totals[i].now, NULL,
		        totals[i].row);
		json_is(json_object_get(r, "previous"), totals[i].prev, NULL,
		        totals[i].row);
	}
	for (i = 0; i < sizeof(breakdown) / sizeof(breakdown[0]); i++) {
		json_t *r = json_row(doc, breakdown[i].table, breakdown[i].row);

		if (!r)
			fail_msg("no row %s %s", breakdown[i].table,
			         breakdown[i].row);
		json_is(json_object_get(r, "count"), breakdown[i].now, NULL,
		        breakdown[i].row);
		json_is(json_object_get(r, "previous"), breakdown[i].prev, NULL,
		        breakdown[i].row);
		assert_string_equal(json_string_value(json_object_get(r,
		                    "label")), breakdown[i].label_nl);
	}
	json_decref(doc);
}

/* The line of key in a CSV, from the key up to the line's end. */
static void
csv_line(const struct buf *csv, const char *key, struct buf *line)
{
	struct buf want = BUF_INIT;
	const char *p, *e;

	buf_addf(&want, "\n%s;", key);
	p = strstr(csv->data, want.data);
	if (!p)
		fail_msg("no line %s in %s", key, csv->data);
	e = strstr(p + 1, "\r\n");
	buf_reset(line);
	buf_add(line, p + 1, e ? (size_t)(e - p - 1) : strlen(p + 1));
	buf_release(&want);
}

/* The CSV of every integrity table, each figure in its line. */
static void
stats_csv(struct fixture *f, const struct who *w, int api)
{
	struct buf resp = BUF_INIT, path = BUF_INIT, line = BUF_INIT,
	           want = BUF_INIT;
	size_t i;

	buf_addf(&path, "%s?table=integrity&periode=jaar&waarde=2026&sep=;",
	         api ? "/api/v1/statistics/export" : "/beheer/statistiek.csv");
	assert_int_equal(get(f, w, api, path.data, &resp), 200);
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		csv_line(&resp, totals[i].row, &line);
		/* key;label;count;share;previous;share */
		buf_reset(&want);
		buf_addf(&want, ";%lld;", totals[i].now);
		if (!strstr(line.data, want.data))
			fail_msg("%s: %s", totals[i].row, line.data);
	}
	/* Shares of their own base: 4 of the 6 acknowledgements decided. */
	csv_line(&resp, "ack_7d", &line);
	assert_non_null(strstr(line.data, ";4;66.7;1;100.0"));
	csv_line(&resp, "feedback", &line);
	assert_non_null(strstr(line.data, ";4;80.0;0;0.0"));
	for (i = 0; i < sizeof(breakdown) / sizeof(breakdown[0]); i++) {
		buf_reset(&path);
		buf_addf(&path, "%s?table=%s&periode=jaar&waarde=2026&sep=;",
		         api ? "/api/v1/statistics/export"
		             : "/beheer/statistiek.csv", breakdown[i].table);
		assert_int_equal(get(f, w, api, path.data, &resp), 200);
		csv_line(&resp, breakdown[i].row, &line);
		buf_reset(&want);
		buf_addf(&want, "%s;%s;%lld;%lld", breakdown[i].row,
		         breakdown[i].label_nl, breakdown[i].now,
		         breakdown[i].prev);
		assert_string_equal(line.data, want.data);
	}
	buf_release(&resp);
	buf_release(&path);
	buf_release(&line);
	buf_release(&want);
}

/*
 * The deadlines of every case as the case page judges them
 * (events_deadlines, workflow_deadline_verdict): the verdicts worked out
 * by hand above, which the figures then count.
 */
static void
test_verdicts(void **state)
{
	struct fixture *f = *state;
	struct workflow_deadline_status dl[4];
	size_t i, k, n;

	now();
	for (i = 0; i < NCASES; i++) {
		const char *ack = "", *feedback = "";

		assert_int_equal(events_deadlines(f->inst->db, f->wfs, cases[i].id,
		                                  clock_now(), dl, 4, &n), 0);
		for (k = 0; k < n; k++) {
			const char *v = deadline_verdict_name(
				workflow_deadline_verdict(&dl[k], clock_now(),
				                          DEADLINE_SOON_DEFAULT));

			if (strcmp(dl[k].deadline->name, "acknowledgement") == 0)
				ack = v;
			else if (strcmp(dl[k].deadline->name, "feedback") == 0)
				feedback = v;
		}
		if (strcmp(ack, cases[i].ack) != 0 ||
		    strcmp(feedback, cases[i].feedback) != 0)
			fail_msg("%s: acknowledgement %s, feedback %s", cases[i].what,
			         ack, feedback);
	}
	clock_set(0);
}

/* Every figure on every statistics surface, small numbers shown (1). */
static void
test_figures_everywhere(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, want = BUF_INIT;
	json_t *doc;
	size_t i;
	int en;

	now();
	stats_json(f, &f->integ, 0);
	stats_json(f, &f->integ, 1);
	stats_csv(f, &f->integ, 0);
	stats_csv(f, &f->integ, 1);
	/* The page, in Dutch and in English: the label and the count. */
	for (en = 0; en < 2; en++) {
		assert_int_equal(get(f, &f->integ, 0, en ? "/beheer/statistiek?"
		                     "periode=jaar&waarde=2026&lang=en"
		                     : "/beheer/statistiek?periode=jaar&waarde=2026",
		                     &page), 200);
		for (i = 0; i < sizeof(breakdown) / sizeof(breakdown[0]); i++) {
			buf_reset(&want);
			buf_addf(&want, "<th scope=\"row\">%s</th><td>%lld</td>",
			         en ? breakdown[i].label_en : breakdown[i].label_nl,
			         breakdown[i].now);
			if (!strstr(page.data, want.data))
				fail_msg("page: no %s", want.data);
		}
		assert_non_null(strstr(page.data, en ? "Integrity reports by kind "
		                       "of violation" : "Integriteitsmeldingen per "
		                       "soort schending"));
		/* A share of its own base, with the page's decimal mark. */
		assert_non_null(strstr(page.data, en ? "<th scope=\"row\">Feedback "
		                       "within the term</th><td>4</td><td>80.0</td>"
		                       : "<th scope=\"row\">Ontvangst bevestigd "
		                       "binnen 7 dagen</th><td>4</td><td>66,7</td>"));
	}

	/* The coordinator: the signal counts without the integrity reports,
	 * and no integrity table. */
	doc = get_json(f, &f->coord, 0, "/beheer/statistiek.json?periode=jaar"
	               "&waarde=2026");
	assert_null(json_object_get(json_object_get(doc, "tables"), "integrity"));
	json_is(json_object_get(json_row(doc, "signals", "total"), "count"), 1,
	        NULL, "signals total");
	json_decref(doc);
	/* ... nor any of its CSV tables. */
	assert_int_equal(get(f, &f->coord, 0, "/beheer/statistiek.csv?table="
	                     "integrity_kind&periode=jaar&waarde=2026", &page),
	                 403);
	clock_set(0);
	buf_release(&page);
	buf_release(&want);
}

/*
 * Small numbers hidden as elsewhere (stats.h): at 2 the one report of a
 * conflict of interest is "< 2", and the smallest shown kind beside it
 * "x" (else it could be computed back from the total); the one report
 * told it takes longer is "< 2". At 5 the named count and the
 * acknowledgements in time are hidden too, also on the norm surfaces.
 */
static void
test_small_numbers(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, line = BUF_INIT;
	json_t *doc, *rows;
	size_t i;
	int seen = 0;

	now();
	f->cfg.small_number = 2;
	doc = get_json(f, &f->integ, 0, "/beheer/statistiek.json?periode=jaar"
	               "&waarde=2026");
	json_is(json_object_get(json_row(doc, "integrity_kind",
	        "conflict_of_interest"), "count"), 0, "< 2", "conflict");
	/* Rows by key: corruption is the first of the smallest shown. */
	json_is(json_object_get(json_row(doc, "integrity_kind", "corruption"),
	        "count"), 0, "x", "corruption");
	json_is(json_object_get(json_row(doc, "integrity_kind", "fraud"),
	        "count"), 2, NULL, "fraud");
	json_is(json_object_get(json_row(doc, "integrity", "longer"), "count"),
	        0, "< 2", "longer");
	json_is(json_object_get(json_row(doc, "integrity", "total"), "count"),
	        8, NULL, "total");
	json_decref(doc);
	assert_int_equal(get(f, &f->integ, 1, "/api/v1/statistics/export?table="
	                     "integrity_kind&periode=jaar&waarde=2026&sep=;",
	                     &resp), 200);
	csv_line(&resp, "conflict_of_interest", &line);
	assert_string_equal(line.data, "conflict_of_interest;"
	                    "Belangenverstrengeling;< 2;0");
	csv_line(&resp, "corruption", &line);
	assert_string_equal(line.data, "corruption;Omkoping of corruptie;x;0");

	f->cfg.small_number = 5;
	doc = get_json(f, &f->integ, 0, "/beheer/statistiek.json?periode=jaar"
	               "&waarde=2026");
	json_is(json_object_get(json_row(doc, "integrity", "named"), "count"),
	        0, "< 5", "named");
	json_is(json_object_get(json_row(doc, "integrity_identity", "named"),
	        "count"), 0, "< 5", "identity named");
	json_decref(doc);
	doc = get_json(f, &f->integ, 1, "/api/v1/norm?jaar=2026");
	rows = json_object_get(json_object_get(doc, "figures"), "rows");
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);

		if (strcmp(json_string_value(json_object_get(r, "item")), "2.4") ||
		    strcmp(json_string_value(json_object_get(r, "figure")),
		           "ack_7d"))
			continue;
		json_is(json_object_get(r, "value"), 0, "< 5", "norm ack_7d");
		seen = 1;
	}
	assert_true(seen);
	json_decref(doc);
	f->cfg.small_number = 1;
	clock_set(0);
	buf_release(&resp);
	buf_release(&line);
}

/* The norm 2.4 indicators of 2026, on the page, its CSV and JSON. */
static const struct {
	const char *figure;
	long long now, prev;
	const char *shown;		/* on the page, with its share */
} norm24[] = {
	{ "total", 8, 1, "8" },
	{ "named", 4, 1, "4 (50%)" },
	{ "ack_7d", 4, 1, "4 (67%)" },
	{ "feedback", 4, 0, "4 (80%)" },
	{ "closed", 4, 0, "4 (50%)" },
};

static void
norm_json(struct fixture *f, const struct who *w, int api)
{
	json_t *doc = get_json(f, w, api, api ? "/api/v1/norm?jaar=2026"
	                       : "/beheer/norm/jaarverslag.json?jaar=2026");
	json_t *rows = json_object_get(json_object_get(doc, "figures"), "rows");
	size_t i, k, found = 0;

	for (k = 0; k < sizeof(norm24) / sizeof(norm24[0]); k++)
		for (i = 0; i < json_array_size(rows); i++) {
			json_t *r = json_array_get(rows, i);

			if (strcmp(json_string_value(json_object_get(r, "item")),
			           "2.4") != 0 ||
			    strcmp(json_string_value(json_object_get(r, "figure")),
			           norm24[k].figure) != 0)
				continue;
			json_is(json_object_get(r, "value"), norm24[k].now, NULL,
			        norm24[k].figure);
			json_is(json_object_get(r, "previous"), norm24[k].prev,
			        NULL, norm24[k].figure);
			found++;
		}
	assert_int_equal(found, sizeof(norm24) / sizeof(norm24[0]));
	json_decref(doc);
}

static void
test_norm_24(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, want = BUF_INIT, line = BUF_INIT;
	struct actor admin = { 1, "admin", ROLE_ADMIN, NULL, 0 };
	json_t *doc, *rows;
	size_t i;

	now();
	/* The integrity coordinator keeps norm 2.4, the admin reads it too. */
	assert_int_equal(stats_wanted(&admin, STATS_USE_NORM) &
	                 STATS_WANT_INTEGRITY, STATS_WANT_INTEGRITY);
	norm_json(f, &f->integ, 0);
	norm_json(f, &f->integ, 1);
	norm_json(f, &f->admin, 0);
	assert_int_equal(get(f, &f->integ, 0, "/beheer/norm?jaar=2026", &page),
	                 200);
	for (i = 0; i < sizeof(norm24) / sizeof(norm24[0]); i++) {
		buf_reset(&want);
		buf_addf(&want, "</dt><dd>%s</dd>", norm24[i].shown);
		if (!strstr(page.data, want.data))
			fail_msg("norm page: no %s", want.data);
	}
	assert_non_null(strstr(page.data, "<dt>Ontvangst bevestigd binnen 7 "
	                       "dagen (van de meldingen waarvan die termijn "
	                       "verstreken of gehaald is)</dt><dd>4 (67%)</dd>"));
	assert_int_equal(get(f, &f->integ, 0, "/beheer/norm?jaar=2026&lang=en",
	                     &page), 200);
	assert_non_null(strstr(page.data, "<dt>Feedback within the term of 3 "
	                       "months (of the reports whose term has passed or "
	                       "was met)</dt><dd>4 (80%)</dd>"));
	assert_int_equal(get(f, &f->integ, 1, "/api/v1/norm/export?jaar=2026"
	                     "&tabel=figures", &page), 200);
	csv_line(&page, "2.4;feedback", &line);
	assert_string_equal(line.data, "2.4;feedback;4;0");
	csv_line(&page, "2.4;total", &line);
	assert_string_equal(line.data, "2.4;total;8;1");
	/* The coordinator's norm figures have no 2.4. */
	doc = get_json(f, &f->coord, 0, "/beheer/norm/jaarverslag.json?"
	               "jaar=2026");
	rows = json_object_get(json_object_get(doc, "figures"), "rows");
	for (i = 0; i < json_array_size(rows); i++)
		assert_string_not_equal(json_string_value(json_object_get(
		        json_array_get(rows, i), "item")), "2.4");
	json_decref(doc);
	clock_set(0);
	buf_release(&page);
	buf_release(&want);
	buf_release(&line);
}

/*
 * Who reads the integrity figures: the integrity coordinator works with
 * statistiek (granted without a confirmation) and keeps the norm; the
 * confidential adviser does neither and holds no keyring.
 */
static void
test_who_reads(void **state)
{
	struct actor confidant = { 9, "vp", ROLE_CONFIDANT, NULL, 0 };

	(void)state;
	assert_true(keyrings_role_handles(ROLE_INTEGRITY, KEYRING_STATISTICS));
	assert_false(keyrings_role_handles(ROLE_INTEGRITY, KEYRING_SIGNALS));
	assert_false(keyrings_role_handles(ROLE_CONFIDANT, KEYRING_STATISTICS));
	assert_true((NORM_ROLES & ROLE_INTEGRITY) != 0);
	assert_false((NORM_ROLES & ROLE_CONFIDANT) != 0);
	assert_int_equal(stats_wanted(&confidant, STATS_USE_TABLES), 0);
	assert_int_equal(stats_wanted(&confidant, STATS_USE_NORM), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_reads),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_figures_everywhere),
		cmocka_unit_test(test_small_numbers),
		cmocka_unit_test(test_norm_24),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
