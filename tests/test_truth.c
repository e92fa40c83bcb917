/*
 * test_truth.c - one truth on every surface (issue 17 points 2 and 5).
 *
 * A deadline has one verdict (workflow_deadline_verdict: open, due soon,
 * overdue, met, met late, stopped) and a figure one definition (README,
 * "The figures"); every place a person or a program reads them must say
 * the same. This test builds cases with back-dated events (clock_set, in
 * process, so the server that runs inside this test reads the same
 * clock), fixes the clock at a known moment, and reads every case and
 * figure back from each surface: the case page, the inbox page, the
 * statistics page with its CSV and JSON, the norm page with its CSV and
 * JSON, and the API (case, inbox, statistics and its export, norm and
 * its export). The expected verdicts and counts are written here, worked
 * out by hand from the dates below, never computed by the code under
 * test: a surface that judged a deadline or counted a figure its own way
 * fails.
 *
 * The moment: Wednesday 11 March 2026, 12:00 UTC (13:00 in Amsterdam,
 * winter time; no public holiday near). [calendar] due_soon is 1 (not
 * the default 2, so a surface that ignores the setting fails): due soon
 * is due by the end of Thursday 12 March, local time, i.e. at or before
 * 2026-03-12T23:00:00Z. [statistics] small_number is 1, so no figure is
 * hidden.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "apitoken.h"
#include "calendar.h"
#include "case.h"
#include "clock.h"
#include "config.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "meeting.h"
#include "message.h"
#include "report.h"
#include "reptype.h"
#include "server.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"
#include "zone.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define NEWPW "een heel lang wachtwoord"

/* Wednesday 11 March 2026, 12:00 UTC. */
#define NOW_Y 2026
#define NOW_M 3
#define NOW_D 11

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
	struct who coord, vpt, integ;
	char recovery[RECOVERY_TEXT_LEN + 1];
};

static time_t
utc(int m, int d, int h, int mi)
{
	return test_utc(NOW_Y, m, d, h, mi, 0);
}

/* ---- HTTP ----------------------------------------------------------- */

/* GET path with the API token of w; the status, the body in resp. */
static long
api_get(struct fixture *f, const struct who *w, const char *path,
        struct buf *resp)
{
	long status = 0;

	buf_reset(resp);
	assert_int_equal(test_http_token(&f->ts, "GET", path, NULL, w->token,
	                                 &status, resp), 0);
	return status;
}

/* GET path as w's page session; asserted 200, the body in resp. */
static void
page_get(struct fixture *f, const struct who *w, const char *path,
         struct buf *resp)
{
	long status = 0;

	buf_reset(resp);
	assert_int_equal(test_http_cookie(&f->ts, "GET", path, NULL,
	                                  w->cookie.data, &status, NULL, resp), 0);
	if (status != 200)
		fail_msg("GET %s as %s: %ld", path, w->name, status);
}

/* The API's GET path as w; asserted 200 and JSON. */
static json_t *
api_json(struct fixture *f, const struct who *w, const char *path)
{
	struct buf resp = BUF_INIT;
	json_error_t e;
	json_t *j;

	if (api_get(f, w, path, &resp) != 200)
		fail_msg("GET %s as %s: %s", path, w->name, resp.data);
	j = json_loadb(resp.data, resp.len, 0, &e);
	if (!j)
		fail_msg("%s: not JSON (%s)", path, e.text);
	buf_release(&resp);
	return j;
}

static json_t *
page_json(struct fixture *f, const struct who *w, const char *path)
{
	struct buf resp = BUF_INIT;
	json_error_t e;
	json_t *j;

	page_get(f, w, path, &resp);
	j = json_loadb(resp.data, resp.len, 0, &e);
	if (!j)
		fail_msg("%s: not JSON (%s)", path, e.text);
	buf_release(&resp);
	return j;
}

/* ---- Building cases ------------------------------------------------- */

#define INCIDENT_STATS \
	"{\"answers\":{\"place\":\"counter\",\"kind\":[\"verbal\"]," \
	"\"victim_role\":\"employee\",\"police\":\"none\"},\"form\":\"incident\"}"
#define SIGNAL_STATS \
	"{\"answers\":{\"phenomenon\":\"drugs\",\"identity\":\"named\"}," \
	"\"form\":\"signal\"}"
#define INTEGRITY_STATS \
	"{\"answers\":{\"kind\":\"fraud\",\"identity\":\"named\"}," \
	"\"form\":\"integrity\"}"

/* The integrity type (reptype.h: no name in the code). */
static enum report_type
integrity_type(void)
{
	enum report_type t;

	assert_int_equal(report_type_parse("integrity", &t), 0);
	return t;
}

/* Who handles type: vpt1 incidents, coord signals, integ1 integrity. */
static const char *
handler_of(enum report_type type)
{
	return type == REPORT_INCIDENT ? "vpt1" :
	       type == REPORT_SIGNAL ? "coord" : "integ1";
}

static int64_t
submit(struct fixture *f, enum report_type type, time_t at, const char *stats)
{
	static const char content[] = "{\"answers\":{\"description\":\"x\"}}";
	struct submission sub = {
		.type = type,
		.state = workflow_initial(workflows_get(f->wfs, type))->name,
		.source = "web",
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

/*
 * Transition name of report id at t, its fields given values of their
 * types (test_step_fields) unless fields (n of them) are given.
 */
static void
step_with(struct fixture *f, enum report_type type, int64_t id,
          const char *name, time_t t, const struct workflow_field *fields,
          size_t n)
{
	struct workflow_field own[8];
	struct workflow_verdict v;

	if (!fields) {
		n = test_step_fields(name, own, 8);
		fields = own;
	}
	clock_set(t);
	if (events_transition(f->inst, f->wfs, id, name, handler_of(type),
	                      report_type_role(type), fields, n, NULL, &v) != 0)
		fail_msg("%s of %lld refused: %s", name, (long long)id, v.message);
	clock_set(0);
}

static void
step(struct fixture *f, enum report_type type, int64_t id, const char *name,
     time_t t)
{
	step_with(f, type, id, name, t, NULL, 0);
}

static void
message(struct fixture *f, int64_t id, time_t t)
{
	clock_set(t);
	assert_int_equal(message_to_reporter(f->inst, id, "coord", "Dank", 4), 0);
	clock_set(0);
}

/* ---- Fixture -------------------------------------------------------- */

static void
who_init(struct who *w, const char *name)
{
	w->name = name;
	buf_init(&w->cookie);
	buf_init(&w->csrf);
}

static void
who_release(struct who *w)
{
	buf_release(&w->cookie);
	buf_release(&w->csrf);
	secret_free(w->totp);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct server_config cfg = {
		.listen = "127.0.0.1", .port = 0, .limits = limits_default,
	};
	struct install_result res;
	struct installation *inst;

	assert_non_null(f);
	who_init(&f->coord, "coord");
	who_init(&f->vpt, "vpt1");
	who_init(&f->integ, "integ1");
	setenv("MELDPUNT_PWHASH", "fast", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* As `meldpunt serve` does before any thread starts. */
	config_init(&f->cfg);
	f->cfg.due_soon = 1;
	f->cfg.small_number = 1;
	assert_int_equal(zone_set(ZONE_DEFAULT), 0);
	calendar_use(&f->cfg.calendar);

	f->dir = test_tmpdir("truth");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "integ1", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, res.recovery_key, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "coord");
	test_grant(f->dir, res.recovery_key, KEYRING_INCIDENTS, "vpt1");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "vpt1");
	test_grant(f->dir, res.recovery_key, "integriteit", "integ1");
	memcpy(f->recovery, res.recovery_key, sizeof(f->recovery));
	crypto_wipe(&res, sizeof(res));

	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	cfg.config = &f->cfg;
	assert_int_equal(server_start(&f->srv, f->inst, &cfg), 0);
	f->ts.port = server_port(f->srv);
	f->ts.dir = f->dir;	/* requests name cases as {#N} */

	/* Log in on the real clock (the codes are the real time's). */
	f->coord.totp = test_staff_setup(&f->ts, "coord", COORD_OTP, NEWPW,
	                                 &f->coord.cookie, &f->coord.csrf);
	f->vpt.totp = test_staff_setup(&f->ts, "vpt1", VPT_OTP, NEWPW,
	                               &f->vpt.cookie, &f->vpt.csrf);
	f->integ.totp = test_staff_setup(&f->ts, "integ1", INTEG_OTP, NEWPW,
	                                 &f->integ.cookie, &f->integ.csrf);
	assert_non_null(f->coord.totp);
	assert_non_null(f->vpt.totp);
	assert_non_null(f->integ.totp);
	test_make_token(&f->ts, &f->coord.cookie, &f->coord.csrf, "truth",
	                "role=coordinator", "90", f->coord.token);
	test_make_token(&f->ts, &f->vpt.cookie, &f->vpt.csrf, "truth",
	                "role=vpt", "90", f->vpt.token);
	test_make_token(&f->ts, &f->integ.cookie, &f->integ.csrf, "truth",
	                "role=integrity", "90", f->integ.token);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	server_stop(f->srv);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	who_release(&f->coord);
	who_release(&f->vpt);
	who_release(&f->integ);
	crypto_wipe(f->recovery, sizeof(f->recovery));
	config_release(&f->cfg);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	curl_global_cleanup();
	return 0;
}

/* ---- Reading the surfaces ------------------------------------------- */

/* The words of a verdict on the Dutch pages (schema/messages/nl.ini). */
static const char *
verdict_words(const char *verdict)
{
	static const char *const words[][2] = {
		{ "open", "loopt" },
		{ "due_soon", "verloopt binnenkort" },
		{ "overdue", "te laat" },
		{ "met", "gehaald" },
		{ "met_late", "te laat gehaald" },
		{ "stopped", "vervallen" },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i][0], verdict) == 0)
			return words[i][1];
	fail_msg("no verdict %s", verdict);
	return NULL;
}

/* The text of page from start up to (not including) end; "" if none. */
static void
cut(const char *start, const char *end, struct buf *out)
{
	const char *e = start ? strstr(start, end) : NULL;

	buf_reset(out);
	if (start && e)
		buf_add(out, start, (size_t)(e - start));
}

/* ---- Point 2: every verdict on every surface ------------------------ */

#define DEADLINES_MAX 4

/* A case, the steps that make it, and its verdicts worked out by hand. */
struct verdict_case {
	const char *what;
	int m, d;			/* received (2026) */
	struct { const char *name; int m, d, h; } steps[6];
	const char *verdicts[DEADLINES_MAX];	/* in the workflow's order */
	const char *next;		/* the inbox's verdict, NULL: none */
	int64_t id;
};

static const char *const incident_deadlines[] = {
	"first_care", "police", "aftercare_2_weeks", "aftercare_6_8_weeks",
};
static const char *const signal_deadlines[] = {
	"acknowledgement", "outcome_feedback",
};

/*
 * Incidents. first_care: 72 hours from 00:00 local of the day of receipt,
 * met by leaving registered; police: the end of the second working day
 * after receipt; aftercare_2_weeks / aftercare_6_8_weeks: the end of the
 * 14th / 56th day after it. A deadline due at 00:00 local of a day is
 * due at 23:00 UTC the day before. first_care cannot stop: an incident
 * leaves registered before it can close.
 */
static struct verdict_case incidents[] = {
	/* Due 14 Mar 00:00 (first_care, police): past Thursday, open. With
	 * the default due_soon 2 these would read due soon. */
	{ "fresh", 3, 11, { { NULL, 0, 0, 0 } },
	  { "open", "open", "open", "open" }, "open", 0 },
	/* Received Monday 9 Mar: both due 12 Mar 00:00, inside the term. */
	{ "two days old", 3, 9, { { NULL, 0, 0, 0 } },
	  { "due_soon", "due_soon", "open", "open" }, "due_soon", 0 },
	/* Received 2 Mar: both due 5 Mar 00:00, not met. */
	{ "nothing done", 3, 2, { { NULL, 0, 0, 0 } },
	  { "overdue", "overdue", "open", "open" }, "overdue", 0 },
	{ "care and police in time", 3, 2,
	  { { "first_care_talk", 3, 3, 10 }, { "police_report", 3, 3, 11 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met", "open", "open" }, "open", 0 },
	/* The case: a care talk after its due time is met late. */
	{ "care and police late", 3, 2,
	  { { "first_care_talk", 3, 6, 10 }, { "police_report", 3, 6, 11 },
	    { NULL, 0, 0, 0 } },
	  { "met_late", "met_late", "open", "open" }, "open", 0 },
	/* Closed the next day: what was not met stops. */
	{ "closed early", 3, 2,
	  { { "first_care_talk", 3, 3, 9 }, { "close", 3, 3, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "stopped", "stopped", "stopped" }, NULL, 0 },
	/* Received Thursday 26 Feb: police due 3 Mar (two working days),
	 * aftercare_2_weeks due 13 Mar 00:00 (= 12 Mar 23:00 UTC). */
	{ "aftercare due soon", 2, 26,
	  { { "first_care_talk", 2, 27, 10 }, { "police_report", 2, 27, 11 },
	    { "start_aftercare", 2, 27, 12 }, { NULL, 0, 0, 0 } },
	  { "met", "met", "due_soon", "open" }, "due_soon", 0 },
	/* Received 16 Feb: aftercare_2_weeks due 3 Mar 00:00. */
	{ "aftercare in time", 2, 16,
	  { { "first_care_talk", 2, 17, 10 }, { "police_report", 2, 17, 11 },
	    { "start_aftercare", 2, 17, 12 }, { "aftercare_2_weeks", 3, 2, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met", "met", "open" }, "open", 0 },
	{ "aftercare late", 2, 16,
	  { { "first_care_talk", 2, 17, 10 }, { "police_report", 2, 17, 11 },
	    { "start_aftercare", 2, 17, 12 }, { "aftercare_2_weeks", 3, 4, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met", "met_late", "open" }, "open", 0 },
	{ "aftercare missed", 2, 16,
	  { { "first_care_talk", 2, 17, 10 }, { "police_report", 2, 17, 11 },
	    { "start_aftercare", 2, 17, 12 }, { NULL, 0, 0, 0 } },
	  { "met", "met", "overdue", "open" }, "overdue", 0 },
	/* Received Thursday 15 Jan: aftercare_6_8_weeks due 13 Mar 00:00. */
	{ "late aftercare due soon", 1, 15,
	  { { "first_care_talk", 1, 16, 10 }, { "police_report", 1, 16, 11 },
	    { "start_aftercare", 1, 16, 12 }, { "aftercare_2_weeks", 1, 27, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met", "met", "due_soon" }, "due_soon", 0 },
	/* Received Monday 5 Jan: aftercare_6_8_weeks due 3 Mar 00:00. */
	{ "late aftercare in time", 1, 5,
	  { { "first_care_talk", 1, 6, 10 }, { "police_report", 1, 6, 11 },
	    { "start_aftercare", 1, 6, 12 }, { "aftercare_2_weeks", 1, 15, 10 },
	    { "aftercare_6_8_weeks", 3, 2, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "met", "met", "met" }, NULL, 0 },
	{ "late aftercare late", 1, 5,
	  { { "first_care_talk", 1, 6, 10 }, { "police_report", 1, 6, 11 },
	    { "start_aftercare", 1, 6, 12 }, { "aftercare_2_weeks", 1, 15, 10 },
	    { "aftercare_6_8_weeks", 3, 4, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "met", "met", "met_late" }, NULL, 0 },
	{ "late aftercare missed", 1, 5,
	  { { "first_care_talk", 1, 6, 10 }, { "police_report", 1, 6, 11 },
	    { "start_aftercare", 1, 6, 12 }, { "aftercare_2_weeks", 1, 15, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met", "met", "overdue" }, "overdue", 0 },
};

/*
 * Signals (all named). acknowledgement: a message by the end of the 7th
 * day after receipt; outcome_feedback: a message by the end of the 7th
 * day after entering no_action or closed (it starts there, so it never
 * stops). Steps "message" are handler messages to the reporter.
 */
static struct verdict_case signals[] = {
	/* Due 19 Mar 00:00. */
	{ "fresh", 3, 11, { { NULL, 0, 0, 0 } }, { "open" }, "open", 0 },
	/* Received 5 Mar: due 13 Mar 00:00 = 12 Mar 23:00 UTC. */
	{ "acknowledgement due soon", 3, 5, { { NULL, 0, 0, 0 } },
	  { "due_soon" }, "due_soon", 0 },
	/* Received 2 Mar: due 10 Mar 00:00. */
	{ "not acknowledged", 3, 2, { { NULL, 0, 0, 0 } }, { "overdue" },
	  "overdue", 0 },
	{ "acknowledged", 3, 2, { { "message", 3, 3, 10 }, { NULL, 0, 0, 0 } },
	  { "met" }, NULL, 0 },
	{ "acknowledged late", 3, 2,
	  { { "message", 3, 10, 10 }, { NULL, 0, 0, 0 } },
	  { "met_late" }, NULL, 0 },
	/* No action on 3 Mar: feedback due 11 Mar 00:00, passed. */
	{ "no action, no word", 3, 2,
	  { { "start_intake", 3, 3, 9 }, { "not_undermining", 3, 3, 10 },
	    { NULL, 0, 0, 0 } },
	  { "stopped", "overdue" }, "overdue", 0 },
	{ "no action today", 3, 11,
	  { { "start_intake", 3, 11, 9 }, { "not_undermining", 3, 11, 10 },
	    { NULL, 0, 0, 0 } },
	  { "stopped", "open" }, "open", 0 },
	{ "no action, feedback due soon", 3, 5,
	  { { "start_intake", 3, 5, 9 }, { "not_undermining", 3, 5, 10 },
	    { NULL, 0, 0, 0 } },
	  { "stopped", "due_soon" }, "due_soon", 0 },
	{ "no action, told", 3, 2,
	  { { "start_intake", 3, 2, 9 }, { "not_undermining", 3, 2, 10 },
	    { "message", 3, 3, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "met" }, NULL, 0 },
	{ "no action, told late", 3, 2,
	  { { "start_intake", 3, 2, 9 }, { "not_undermining", 3, 2, 10 },
	    { "message", 3, 10, 10 }, { NULL, 0, 0, 0 } },
	  { "met_late", "met_late" }, NULL, 0 },
};

/*
 * Integrity reports (issue 20). acknowledgement: the step 'acknowledge'
 * by the end of the 7th day after receipt; feedback: 3 months from
 * entering assessment (the acknowledgement), met by a closing step or by
 * 'longer'. Month 0 is December 2025 (timegm normalises it): the 3
 * months reach back that far. Neither term can stop: both are met by the
 * only ways out of their states.
 */
static const char *const integrity_deadlines[] = {
	"acknowledgement", "feedback",
};

static struct verdict_case integrities[] = {
	/* Due 19 Mar 00:00. */
	{ "fresh", 3, 11, { { NULL, 0, 0, 0 } }, { "open" }, "open", 0 },
	/* Received 5 Mar: due 13 Mar 00:00 = 12 Mar 23:00 UTC. */
	{ "acknowledgement due soon", 3, 5, { { NULL, 0, 0, 0 } },
	  { "due_soon" }, "due_soon", 0 },
	/* Received 2 Mar: due 10 Mar 00:00. */
	{ "not acknowledged", 3, 2, { { NULL, 0, 0, 0 } }, { "overdue" },
	  "overdue", 0 },
	/* Acknowledged 3 Mar: feedback due 2 Jun 00:00. */
	{ "acknowledged", 3, 2,
	  { { "acknowledge", 3, 3, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "open" }, "open", 0 },
	{ "acknowledged late", 3, 2,
	  { { "acknowledge", 3, 10, 10 }, { NULL, 0, 0, 0 } },
	  { "met_late", "open" }, "open", 0 },
	/* Acknowledged 2 Dec 2025: feedback due 3 Mar 00:00. */
	{ "told it takes longer", 0, 1,
	  { { "acknowledge", 0, 2, 10 }, { "longer", 3, 1, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met" }, NULL, 0 },
	{ "told it takes longer, late", 0, 1,
	  { { "acknowledge", 0, 2, 10 }, { "longer", 3, 4, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met_late" }, NULL, 0 },
	{ "no word in 3 months", 0, 1,
	  { { "acknowledge", 0, 2, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "overdue" }, "overdue", 0 },
	/* Acknowledged 12 Dec 2025: feedback due 13 Mar 00:00. */
	{ "feedback due soon", 0, 10,
	  { { "acknowledge", 0, 12, 10 }, { NULL, 0, 0, 0 } },
	  { "met", "due_soon" }, "due_soon", 0 },
	{ "not admissible, told", 3, 2,
	  { { "acknowledge", 3, 3, 10 }, { "not_admissible", 3, 4, 10 },
	    { NULL, 0, 0, 0 } },
	  { "met", "met" }, NULL, 0 },
};

#define NINCIDENTS (sizeof(incidents) / sizeof(incidents[0]))
#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))
#define NINTEGRITIES (sizeof(integrities) / sizeof(integrities[0]))

static void
build_cases(struct fixture *f, struct verdict_case *v, size_t n,
            enum report_type type)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		v[i].id = submit(f, type, utc(v[i].m, v[i].d, 8, 0),
		                 type == REPORT_SIGNAL ? SIGNAL_STATS :
		                 type == REPORT_INCIDENT ? INCIDENT_STATS
		                                         : INTEGRITY_STATS);
		for (k = 0; v[i].steps[k].name; k++) {
			time_t t = utc(v[i].steps[k].m, v[i].steps[k].d,
			               v[i].steps[k].h, 0);

			if (strcmp(v[i].steps[k].name, "message") == 0)
				message(f, v[i].id, t);
			else
				step(f, type, v[i].id, v[i].steps[k].name, t);
		}
	}
}

/* The case page of c shows each of its deadlines with its verdict. */
static void
case_page_verdicts(struct fixture *f, const struct who *w,
                   const struct verdict_case *c, const char *const *names,
                   size_t nnames)
{
	struct buf page = BUF_INIT, path = BUF_INIT, item = BUF_INIT,
	           want = BUF_INIT, list = BUF_INIT;
	size_t i, shown = 0;
	const char *p;

	buf_addf(&path, "/beheer/melding?id={#%lld}", (long long)c->id);
	page_get(f, w, path.data, &page);
	cut(strstr(page.data, "id=\"deadlines\""), "</ul>", &list);
	for (i = 0; i < nnames; i++) {
		buf_reset(&want);
		buf_addf(&want, "data-deadline=\"%s\"", names[i]);
		p = strstr(list.data ? list.data : "", want.data);
		if (!c->verdicts[i]) {
			if (p)
				fail_msg("%s: deadline %s shown before it starts",
				         c->what, names[i]);
			continue;
		}
		if (!p)
			fail_msg("%s: no deadline %s on the case page", c->what,
			         names[i]);
		shown++;
		cut(p, "</li>", &item);
		buf_reset(&want);
		buf_addf(&want, "data-verdict=\"%s\"", c->verdicts[i]);
		if (!strstr(item.data, want.data))
			fail_msg("%s: case page %s: %s, expected %s", c->what,
			         names[i], item.data, c->verdicts[i]);
		/* The words a person reads, closing the item. */
		buf_reset(&want);
		buf_addf(&want, "(%s)", verdict_words(c->verdicts[i]));
		if (item.len < want.len ||
		    strcmp(item.data + item.len - want.len, want.data) != 0)
			fail_msg("%s: case page %s reads %s, expected %s", c->what,
			         names[i], item.data, want.data);
	}
	/* And nothing more. */
	for (i = 0, p = list.data; p && (p = strstr(p, "data-deadline=")); p++)
		i++;
	assert_int_equal(i, shown);
	buf_release(&page);
	buf_release(&path);
	buf_release(&item);
	buf_release(&want);
	buf_release(&list);
}

/* The API's case of c gives each deadline the same verdict. */
static void
api_case_verdicts(struct fixture *f, const struct who *w,
                  const struct verdict_case *c, const char *const *names,
                  size_t nnames)
{
	struct buf path = BUF_INIT;
	json_t *j, *dl, *d;
	size_t i, k, shown = 0;

	buf_addf(&path, "/api/v1/case?id={#%lld}", (long long)c->id);
	j = api_json(f, w, path.data);
	dl = json_object_get(j, "deadlines");
	assert_true(json_is_array(dl));
	for (i = 0; i < nnames; i++) {
		const char *got = NULL;

		json_array_foreach(dl, k, d)
			if (strcmp(json_string_value(json_object_get(d, "name")),
			           names[i]) == 0)
				got = json_string_value(json_object_get(d, "verdict"));
		if (!c->verdicts[i]) {
			assert_null(got);
			continue;
		}
		shown++;
		if (!got || strcmp(got, c->verdicts[i]) != 0)
			fail_msg("%s: API %s: %s, expected %s", c->what, names[i],
			         got ? got : "none", c->verdicts[i]);
	}
	assert_int_equal(json_array_size(dl), shown);
	json_decref(j);
	buf_release(&path);
}

/* The inbox page and the API's inbox give each case its next verdict. */
static void
inbox_verdicts(struct fixture *f, const struct who *w, const char *type,
               const struct verdict_case *v, size_t n)
{
	struct buf page = BUF_INIT, path = BUF_INIT, row = BUF_INIT,
	           want = BUF_INIT;
	json_t *j, *cases, *c;
	size_t i, k;

	buf_addf(&path, "/beheer/meldingen?type=%s&closed=1", type);
	page_get(f, w, path.data, &page);
	for (i = 0; i < n; i++) {
		buf_reset(&want);
		buf_addf(&want, "href=\"/beheer/melding?id={#%lld}\"",
		         (long long)v[i].id);
		{
			/* The row from its <tr>, which carries the mark. */
			const char *at = strstr(page.data, test_cases(f->dir,
			                                              want.data));
			const char *q, *tr = NULL;

			for (q = page.data; at && (q = strstr(q, "<tr")) && q < at; q++)
				tr = q;
			cut(tr, "</tr>", &row);
		}
		if (!row.len)
			fail_msg("%s: not in the inbox", v[i].what);
		if (!v[i].next) {
			if (strstr(row.data, "data-verdict"))
				fail_msg("%s: the inbox shows a deadline: %s",
				         v[i].what, row.data);
			continue;
		}
		buf_reset(&want);
		buf_addf(&want, "data-verdict=\"%s\"", v[i].next);
		if (!strstr(row.data, want.data))
			fail_msg("%s: inbox %s, expected %s", v[i].what, row.data,
			         v[i].next);
		buf_reset(&want);
		buf_addf(&want, "(%s)<", verdict_words(v[i].next));
		if (!strstr(row.data, want.data))
			fail_msg("%s: inbox reads %s, expected %s", v[i].what,
			         row.data, want.data);
		/* Marked late exactly when its next deadline is overdue. */
		assert_int_equal(strstr(row.data, "meldpunt-overdue") != NULL,
		                 strcmp(v[i].next, "overdue") == 0);
	}

	buf_reset(&path);
	buf_addf(&path, "/api/v1/inbox?type=%s&closed=true", type);
	j = api_json(f, w, path.data);
	cases = json_object_get(j, "cases");
	assert_int_equal(json_array_size(cases), n);
	for (i = 0; i < n; i++) {
		json_t *verdict = NULL;

		json_array_foreach(cases, k, c)
			if (test_case_row(f->dir, json_string_value(
			                  json_object_get(c, "id"))) == v[i].id)
				verdict = json_object_get(c, "verdict");
		assert_non_null(verdict);
		if (!v[i].next) {
			assert_true(json_is_null(verdict));
			continue;
		}
		if (!json_is_string(verdict) ||
		    strcmp(json_string_value(verdict), v[i].next) != 0)
			fail_msg("%s: API inbox %s, expected %s", v[i].what,
			         json_is_string(verdict) ? json_string_value(verdict)
			                                 : "null", v[i].next);
	}
	json_decref(j);
	buf_release(&page);
	buf_release(&path);
	buf_release(&row);
	buf_release(&want);
}

/* ---- Figures on every surface --------------------------------------- */

/* One figure: its row, where the norm shows it, and its value by hand. */
struct figure {
	const char *row;
	const char *item;	/* norm item, NULL when not an indicator */
	const char *label;	/* its Dutch label on the statistics page */
	const char *norm_label;	/* and on the norm page (nl.ini) */
	long long want;		/* amounts: in euro cents */
};

/*
 * Everything one person reads a figure on: the statistics page, CSV and
 * JSON, the API's statistics and export, the norm page, its CSV and
 * JSON, the API's norm and export; for table ("incidents", "signals") of
 * the year 2026.
 */
struct surfaces {
	struct buf stats_html, stats_csv, api_csv, norm_html, norm_csv,
	           api_norm_csv;
	json_t *stats_json, *api_stats, *norm_json, *api_norm;
};

static void
surfaces_read(struct fixture *f, const struct who *w, const char *table,
              struct surfaces *s)
{
	struct buf path = BUF_INIT;

	memset(s, 0, sizeof(*s));
	buf_init(&s->stats_html);
	buf_init(&s->stats_csv);
	buf_init(&s->api_csv);
	buf_init(&s->norm_html);
	buf_init(&s->norm_csv);
	buf_init(&s->api_norm_csv);
	page_get(f, w, "/beheer/statistiek?periode=jaar&waarde=2026",
	         &s->stats_html);
	buf_addf(&path, "/beheer/statistiek.csv?table=%s&periode=jaar"
	         "&waarde=2026&sep=,", table);
	page_get(f, w, path.data, &s->stats_csv);
	buf_reset(&path);
	buf_addf(&path, "/api/v1/statistics/export?table=%s&periode=jaar"
	         "&waarde=2026&sep=,", table);
	assert_int_equal(api_get(f, w, path.data, &s->api_csv), 200);
	s->stats_json = page_json(f, w,
	                          "/beheer/statistiek.json?periode=jaar&waarde=2026");
	s->api_stats = api_json(f, w,
	                        "/api/v1/statistics?periode=jaar&waarde=2026");
	page_get(f, w, "/beheer/norm?jaar=2026", &s->norm_html);
	page_get(f, w, "/beheer/norm/jaarverslag.csv?jaar=2026&tabel=figures",
	         &s->norm_csv);
	assert_int_equal(api_get(f, w, "/api/v1/norm/export?jaar=2026"
	                         "&tabel=figures", &s->api_norm_csv), 200);
	s->norm_json = page_json(f, w, "/beheer/norm/jaarverslag.json?jaar=2026");
	s->api_norm = api_json(f, w, "/api/v1/norm?jaar=2026");
	buf_release(&path);
}

static void
surfaces_release(struct surfaces *s)
{
	buf_release(&s->stats_html);
	buf_release(&s->stats_csv);
	buf_release(&s->api_csv);
	buf_release(&s->norm_html);
	buf_release(&s->norm_csv);
	buf_release(&s->api_norm_csv);
	json_decref(s->stats_json);
	json_decref(s->api_stats);
	json_decref(s->norm_json);
	json_decref(s->api_norm);
}

/*
 * The number at the start of s (after spaces, a euro sign); asserted. An
 * amount ("1550,50" or "1550.50") is read as cents.
 */
static long long
number_at(const char *s, const char *where, const char *row, int amount)
{
	char *end;
	long long n;

	while (*s == ' ' || *s == '"')
		s++;
	if (strncmp(s, "\xE2\x82\xAC ", 4) == 0)
		s += 4;
	n = strtoll(s, &end, 10);
	if (end == s)
		fail_msg("%s %s: no number at \"%.20s\"", where, row, s);
	if (amount) {
		if ((*end != ',' && *end != '.') || end[1] < '0' || end[1] > '9' ||
		    end[2] < '0' || end[2] > '9')
			fail_msg("%s %s: not an amount at \"%.20s\"", where, row, s);
		n = n * 100 + (end[1] - '0') * 10 + (end[2] - '0');
	}
	return n;
}

/* The statistics CSV's count of row (key,label,count,...). */
static long long
csv_count(const struct buf *csv, const char *row, const char *where)
{
	struct buf want = BUF_INIT;
	const char *p, *comma;
	long long n;

	buf_addf(&want, "\n%s,", row);
	p = strstr(csv->data, want.data);
	if (!p)
		fail_msg("%s: no row %s", where, row);
	p += want.len;
	/* The label: quoted when it holds the separator. */
	if (*p == '"') {
		p = strchr(p + 1, '"');
		assert_non_null(p);
		p++;
	} else {
		p = strchr(p, ',');
		assert_non_null(p);
	}
	comma = p;
	assert_int_equal(*comma, ',');
	n = number_at(comma + 1, where, row, strstr(row, "_cents") != NULL);
	buf_release(&want);
	return n;
}

/* The statistics JSON's count of row in table. */
static long long
json_count(json_t *doc, const char *table, const char *row, const char *where)
{
	json_t *rows = json_object_get(json_object_get(doc, "tables"), table), *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (strcmp(json_string_value(json_object_get(r, "value")), row) == 0) {
			json_t *c = json_object_get(r, "count");

			if (!json_is_integer(c))
				fail_msg("%s %s: not a number", where, row);
			return json_integer_value(c);
		}
	fail_msg("%s: no row %s in %s", where, row, table);
	return -1;
}

/* The statistics page's count of the row labelled label in table. */
static long long
html_count(const struct buf *page, const char *table, const char *label,
           int amount)
{
	struct buf want = BUF_INIT, section = BUF_INIT;
	const char *p;
	long long n;

	buf_addf(&want, "id=\"t-%s\"", table);
	cut(strstr(page->data, want.data), "</section>", &section);
	if (!section.len)
		fail_msg("statistics page: no table %s", table);
	buf_reset(&want);
	buf_addf(&want, "<th scope=\"row\">%s</th><td>", label);
	p = strstr(section.data, want.data);
	if (!p)
		fail_msg("statistics page: no row \"%s\" in %s", label, table);
	n = number_at(p + want.len, "statistics page", label, amount);
	buf_release(&want);
	buf_release(&section);
	return n;
}

/* The norm page's figure labelled label (first of the period). */
static long long
norm_html_value(const struct buf *page, const char *label, int amount)
{
	struct buf want = BUF_INIT;
	const char *p;
	long long n;

	buf_addf(&want, "<dt>%s</dt><dd>", label);
	p = strstr(page->data, want.data);
	if (!p)
		fail_msg("norm page: no indicator \"%s\"", label);
	n = number_at(p + want.len, "norm page", label, amount);
	buf_release(&want);
	return n;
}

/* The norm CSV's figure (item;figure;year;year-1). */
static long long
norm_csv_value(const struct buf *csv, const char *item, const char *row,
               const char *where)
{
	struct buf want = BUF_INIT;
	const char *p;
	long long n;

	buf_addf(&want, "\n%s;%s;", item, row);
	p = strstr(csv->data, want.data);
	if (!p)
		fail_msg("%s: no figure %s %s", where, item, row);
	n = number_at(p + want.len, where, row, strstr(row, "_cents") != NULL);
	buf_release(&want);
	return n;
}

static long long
norm_json_value(json_t *doc, const char *item, const char *row,
                const char *where)
{
	json_t *rows = json_object_get(json_object_get(doc, "figures"), "rows"),
	       *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (strcmp(json_string_value(json_object_get(r, "item")), item) == 0 &&
		    strcmp(json_string_value(json_object_get(r, "figure")), row) == 0) {
			json_t *v = json_object_get(r, "value");

			if (!json_is_integer(v))
				fail_msg("%s %s: not a number", where, row);
			return json_integer_value(v);
		}
	fail_msg("%s: no figure %s %s", where, item, row);
	return -1;
}

static void
same(long long got, const struct figure *fg, const char *where)
{
	if (got != fg->want)
		fail_msg("%s: %s is %lld, expected %lld", where, fg->row, got,
		         fg->want);
}

/* Every figure of table on every surface w reads. */
static void
figures_everywhere(struct fixture *f, const struct who *w, const char *table,
                   const struct figure *fg, size_t n)
{
	struct surfaces s;
	size_t i;

	surfaces_read(f, w, table, &s);
	for (i = 0; i < n; i++) {
		int amount = strstr(fg[i].row, "_cents") != NULL;

		same(html_count(&s.stats_html, table, fg[i].label, amount), &fg[i],
		     "statistics page");
		same(csv_count(&s.stats_csv, fg[i].row, "statistics CSV"), &fg[i],
		     "statistics CSV");
		same(csv_count(&s.api_csv, fg[i].row, "API export"), &fg[i],
		     "API statistics export");
		same(json_count(s.stats_json, table, fg[i].row, "statistics JSON"),
		     &fg[i], "statistics JSON");
		same(json_count(s.api_stats, table, fg[i].row, "API statistics"),
		     &fg[i], "API statistics");
		if (!fg[i].item)
			continue;
		same(norm_html_value(&s.norm_html, fg[i].norm_label, amount),
		     &fg[i], "norm page");
		same(norm_csv_value(&s.norm_csv, fg[i].item, fg[i].row,
		                    "norm CSV"), &fg[i], "norm CSV");
		same(norm_csv_value(&s.api_norm_csv, fg[i].item, fg[i].row,
		                    "API norm export"), &fg[i], "API norm export");
		same(norm_json_value(s.norm_json, fg[i].item, fg[i].row,
		                     "norm JSON"), &fg[i], "norm JSON");
		same(norm_json_value(s.api_norm, fg[i].item, fg[i].row,
		                     "API norm"), &fg[i], "API norm");
	}
	surfaces_release(&s);
}

/*
 * Every verdict of every deadline on every surface. The counts of the
 * figures, from the tables above (running deadlines, open or due soon,
 * are not counted):
 *   incidents: decided 36 = met 25 + met late 4 + overdue 4 + stopped 3
 *     (by case: 0, 0, 2 overdue, 2 met, 2 late, 1 met + 3 stopped,
 *     2 met, 3 met, 2 met + 1 late, 2 met + 1 overdue, 3 met, 4 met,
 *     3 met + 1 late, 3 met + 1 overdue);
 *   signals: decided 11 = met 3 + met late 3 + overdue 2 + stopped 3;
 *     ack_7d 2 (acknowledged; no action, told), feedback 1 (no action,
 *     told), closed_named 5.
 * The integrity reports' verdicts on the case page, the API's case and
 * both inboxes, as the others'; they change no figure of incidents or
 * signals.
 */
static void
test_every_verdict_everywhere(void **state)
{
	struct fixture *f = *state;
	static const struct figure incident_figures[] = {
		{ "deadlines_total", "3.10", "Termijnen verstreken of gehaald",
		  "Termijnen in het werkproces", 36 },
		{ "deadlines_met", "3.10", "Termijnen op tijd gehaald",
		  "Termijnen gehaald", 25 },
		{ "deadlines_met_late", "3.10", "Termijnen te laat gehaald",
		  "Termijnen te laat gehaald", 4 },
		{ "deadlines_overdue", "3.10", "Termijnen verstreken, nog open",
		  "Termijnen verstreken, nog open", 4 },
		{ "deadlines_stopped", "3.10",
		  "Termijnen vervallen (melding eerder afgesloten)",
		  "Termijnen vervallen", 3 },
	};
	static const struct figure signal_figures[] = {
		{ "deadlines_total", "4.4", "Termijnen verstreken of gehaald",
		  "Termijnen in het werkproces", 11 },
		{ "deadlines_met", "4.4", "Termijnen op tijd gehaald",
		  "Termijnen gehaald", 3 },
		{ "deadlines_met_late", "4.4", "Termijnen te laat gehaald",
		  "Termijnen te laat gehaald", 3 },
		{ "deadlines_overdue", "4.4", "Termijnen verstreken, nog open",
		  "Termijnen verstreken, nog open", 2 },
		{ "deadlines_stopped", "4.4",
		  "Termijnen vervallen (melding eerder afgesloten)",
		  "Termijnen vervallen", 3 },
		{ "ack_7d", "4.3", "Met naam, ontvangst bevestigd binnen 7 dagen",
		  "Ontvangstbevestiging binnen 7 dagen (van signalen met naam)", 2 },
		{ "feedback", "4.3",
		  "Met naam en afgesloten, uitkomst op tijd teruggekoppeld",
		  "Terugkoppeling bij afsluiten (van afgesloten signalen met naam)",
		  1 },
		{ "closed_named", "4.3", "Met naam en afgesloten",
		  "Afgesloten signalen met naam", 5 },
	};
	size_t i;

	build_cases(f, incidents, NINCIDENTS, REPORT_INCIDENT);
	build_cases(f, signals, NSIGNALS, REPORT_SIGNAL);
	build_cases(f, integrities, NINTEGRITIES, integrity_type());
	clock_set(test_utc(NOW_Y, NOW_M, NOW_D, 12, 0, 0));

	for (i = 0; i < NINCIDENTS; i++) {
		case_page_verdicts(f, &f->vpt, &incidents[i], incident_deadlines,
		                   DEADLINES_MAX);
		api_case_verdicts(f, &f->vpt, &incidents[i], incident_deadlines,
		                  DEADLINES_MAX);
	}
	for (i = 0; i < NSIGNALS; i++) {
		case_page_verdicts(f, &f->coord, &signals[i], signal_deadlines, 2);
		api_case_verdicts(f, &f->coord, &signals[i], signal_deadlines, 2);
	}
	for (i = 0; i < NINTEGRITIES; i++) {
		case_page_verdicts(f, &f->integ, &integrities[i],
		                   integrity_deadlines, 2);
		api_case_verdicts(f, &f->integ, &integrities[i],
		                  integrity_deadlines, 2);
	}
	inbox_verdicts(f, &f->vpt, "incident", incidents, NINCIDENTS);
	inbox_verdicts(f, &f->coord, "signal", signals, NSIGNALS);
	inbox_verdicts(f, &f->integ, "integrity", integrities, NINTEGRITIES);
	/* Its inbox's fourth column is the kind of violation asked. */
	{
		struct buf page = BUF_INIT;

		page_get(f, &f->integ, "/beheer/meldingen?type=integrity", &page);
		assert_non_null(strstr(page.data, "scope=\"col\">Soort</th>"));
		assert_non_null(strstr(page.data, "<td>Fraude of diefstal</td>"));
		buf_release(&page);
	}
	figures_everywhere(f, &f->vpt, "incidents", incident_figures,
	                   sizeof(incident_figures) / sizeof(incident_figures[0]));
	figures_everywhere(f, &f->coord, "signals", signal_figures,
	                   sizeof(signal_figures) / sizeof(signal_figures[0]));
	clock_set(0);
}

/* ---- Point 5: every indicator on every surface --------------------- */

#define INCIDENT_POLICE(answer) \
	"{\"answers\":{\"place\":\"counter\",\"kind\":[\"verbal\"]," \
	"\"victim_role\":\"employee\",\"police\":\"" answer "\"}," \
	"\"form\":\"incident\"}"
#define SIGNAL_AS(identity) \
	"{\"answers\":{\"phenomenon\":\"drugs\",\"identity\":\"" identity "\"}," \
	"\"form\":\"signal\"}"

/* A damages step of incident id at t with the amounts typed. */
static void
damages(struct fixture *f, int64_t id, time_t t, const char *claimed,
        const char *recovered)
{
	struct workflow_field fields[2] = {
		{ "damage_amount", claimed }, { "recovered_amount", recovered },
	};

	step_with(f, REPORT_INCIDENT, id, "damages", t, fields, 2);
}

/*
 * Every indicator of README "The figures" from known answers and events,
 * its value worked out by hand here, on every surface. All reports are
 * received on Monday 2 March 2026 (08:00 UTC) unless said; the clock then
 * stands at 11 March 12:00 UTC. first_care is due 5 March 00:00 local.
 *
 * Incidents (reporter's police answer; steps):
 *   A1 aangifte; care talk 3 Mar, aftercare started, 2-week contact,
 *      damages 1250.50 claimed, 300.00 recovered
 *   A2 melding; police notice 2 Mar, care talk 6 Mar (late), damages
 *      100.00 claimed, 100.00 recovered
 *   A3 none; police report (aangifte recorded) 3 Mar, care declined
 *   A4 none; care talk 3 Mar, police notice, aftercare started, both
 *      aftercare contacts, damages 200.00 claimed, 0.00 recovered
 *   A5 none; care talk 3 Mar, no police, aftercare started, no contact
 *   A6 none; nothing
 *   total 6; police_notified 4 (A1 by answer, A2 by both but once, A3
 *   and A4 by the step alone); care_72h 3 (A1, A4, A5: A2 late, A3
 *   declined, A6 none); aftercare 2 (A1, A4 once); damages_claimed 3,
 *   damages_recovered 2 (A1, A2), claimed 1550.50, recovered 400.00.
 *
 * Signals:
 *   B1 named; message 3 Mar, no action 4 Mar, message 5 Mar
 *   B2 named; through the weging to the RIEC 4 Mar, closed 5 Mar, no
 *      message (acknowledgement lapsed, feedback still running)
 *   B3 anonymous; message 10 Mar, no action 3 Mar
 *   B4 named, received 5 Mar; message 6 Mar, intake, assigned to coord
 *   B5 named; message 10 Mar (late), intake 3 Mar, in weging_2a
 *   meetings: 10 Feb (nothing on it), 4 Mar (B4, B5; closed that day),
 *   20 Mar (B1; still to come)
 *   total 5; named 4; ack_7d 2 (B1, B4); closed_named 2 (B1, B2);
 *   feedback 1 (B1); riec 1; assigned 1; meetings 2; in_meeting 2 (B4,
 *   B5, not B1: its meeting is still to come); signals per decision
 *   (outcome): no_action 2 (B1, B3), riec 1 (B2), open 2 (B4, B5).
 */
static void
test_every_figure_everywhere(void **state)
{
	struct fixture *f = *state;
	static const struct figure incident_figures[] = {
		{ "total", "3.7", "Totaal ontvangen",
		  "Geregistreerde agressie-incidenten", 6 },
		{ "police_notified", "3.7", "Met melding of aangifte bij de politie",
		  "Met melding of aangifte bij de politie", 4 },
		{ "care_72h", "3.10", "Opvanggesprek binnen 72 uur",
		  "Opvanggesprek binnen 72 uur", 3 },
		{ "aftercare", "3.10", "Met nazorgcontact", "Nazorg gegeven", 2 },
		{ "damages_claimed", "3.9", "Met schade gevorderd",
		  "Schade verhaald op de dader (aantal gevallen)", 3 },
		{ "damages_recovered", "3.9", "Met schade verhaald",
		  "Schade daadwerkelijk vergoed (aantal gevallen)", 2 },
		{ "damage_claimed_cents", "3.9", "Schade gevorderd (euro)",
		  "Geclaimd bedrag", 155050 },
		{ "damage_recovered_cents", "3.9", "Schade verhaald (euro)",
		  "Vergoed bedrag", 40000 },
	};
	static const struct figure signal_figures[] = {
		{ "total", "4.3", "Totaal ontvangen", "Ontvangen signalen", 5 },
		{ "named", "4.3", "Melder met naam", "Signalen met naam", 4 },
		{ "ack_7d", "4.3", "Met naam, ontvangst bevestigd binnen 7 dagen",
		  "Ontvangstbevestiging binnen 7 dagen (van signalen met naam)", 2 },
		{ "closed_named", "4.3", "Met naam en afgesloten",
		  "Afgesloten signalen met naam", 2 },
		{ "feedback", "4.3",
		  "Met naam en afgesloten, uitkomst op tijd teruggekoppeld",
		  "Terugkoppeling bij afsluiten (van afgesloten signalen met naam)",
		  1 },
		{ "assigned", "4.5", "Met een toegewezen co\xC3\xB6rdinator",
		  "Signalen met een behandelaar", 1 },
		{ "meetings", "4.6", "Signalenoverleggen gehouden",
		  "Signalenoverleggen gehouden", 2 },
		{ "in_meeting", "4.6", "Besproken in een signalenoverleg",
		  "Signalen besproken in een signalenoverleg", 2 },
		{ "riec", "4.7", "Overgedragen aan het RIEC",
		  "Signalen overgedragen aan het RIEC", 1 },
	};
	static const struct figure outcome_figures[] = {
		{ "no_action", NULL, "Afgesloten zonder actie", NULL, 2 },
		{ "riec", NULL, "Overgedragen aan de ondermijningstafel (RIEC)",
		  NULL, 1 },
	};
	int64_t a[6], b[5], m;
	size_t i;

	a[0] = submit(f, REPORT_INCIDENT, utc(3, 2, 8, 0),
	              INCIDENT_POLICE("aangifte"));
	a[1] = submit(f, REPORT_INCIDENT, utc(3, 2, 8, 0),
	              INCIDENT_POLICE("melding"));
	for (i = 2; i < 6; i++)
		a[i] = submit(f, REPORT_INCIDENT, utc(3, 2, 8, 0),
		              INCIDENT_POLICE("none"));
	step(f, REPORT_INCIDENT, a[0], "first_care_talk", utc(3, 3, 10, 0));
	step(f, REPORT_INCIDENT, a[0], "start_aftercare", utc(3, 3, 11, 0));
	step(f, REPORT_INCIDENT, a[0], "aftercare_2_weeks", utc(3, 9, 10, 0));
	damages(f, a[0], utc(3, 10, 10, 0), "1250.50", "300.00");
	step(f, REPORT_INCIDENT, a[1], "police_notice", utc(3, 2, 12, 0));
	step(f, REPORT_INCIDENT, a[1], "first_care_talk", utc(3, 6, 10, 0));
	damages(f, a[1], utc(3, 10, 11, 0), "100.00", "100.00");
	step(f, REPORT_INCIDENT, a[2], "police_report", utc(3, 3, 9, 0));
	step(f, REPORT_INCIDENT, a[2], "care_declined", utc(3, 3, 10, 0));
	step(f, REPORT_INCIDENT, a[3], "first_care_talk", utc(3, 3, 10, 0));
	step(f, REPORT_INCIDENT, a[3], "police_notice", utc(3, 3, 11, 0));
	step(f, REPORT_INCIDENT, a[3], "start_aftercare", utc(3, 3, 12, 0));
	step(f, REPORT_INCIDENT, a[3], "aftercare_2_weeks", utc(3, 9, 10, 0));
	step(f, REPORT_INCIDENT, a[3], "aftercare_6_8_weeks", utc(3, 10, 10, 0));
	damages(f, a[3], utc(3, 10, 11, 0), "200.00", "0.00");
	step(f, REPORT_INCIDENT, a[4], "first_care_talk", utc(3, 3, 10, 0));
	step(f, REPORT_INCIDENT, a[4], "no_police", utc(3, 3, 11, 0));
	step(f, REPORT_INCIDENT, a[4], "start_aftercare", utc(3, 3, 12, 0));

	b[0] = submit(f, REPORT_SIGNAL, utc(3, 2, 8, 0), SIGNAL_AS("named"));
	message(f, b[0], utc(3, 3, 10, 0));
	step(f, REPORT_SIGNAL, b[0], "start_intake", utc(3, 4, 9, 0));
	step(f, REPORT_SIGNAL, b[0], "not_undermining", utc(3, 4, 10, 0));
	message(f, b[0], utc(3, 5, 10, 0));
	b[1] = submit(f, REPORT_SIGNAL, utc(3, 2, 8, 0), SIGNAL_AS("named"));
	step(f, REPORT_SIGNAL, b[1], "start_intake", utc(3, 3, 9, 0));
	step(f, REPORT_SIGNAL, b[1], "undermining", utc(3, 3, 10, 0));
	step(f, REPORT_SIGNAL, b[1], "municipal_task", utc(3, 3, 11, 0));
	step(f, REPORT_SIGNAL, b[1], "our_territory", utc(3, 3, 12, 0));
	step(f, REPORT_SIGNAL, b[1], "seriousness", utc(3, 3, 13, 0));
	step(f, REPORT_SIGNAL, b[1], "to_riec", utc(3, 4, 10, 0));
	step(f, REPORT_SIGNAL, b[1], "close", utc(3, 5, 10, 0));
	b[2] = submit(f, REPORT_SIGNAL, utc(3, 2, 8, 0), SIGNAL_AS("anonymous"));
	step(f, REPORT_SIGNAL, b[2], "start_intake", utc(3, 3, 9, 0));
	step(f, REPORT_SIGNAL, b[2], "not_undermining", utc(3, 3, 10, 0));
	message(f, b[2], utc(3, 10, 10, 0));
	b[3] = submit(f, REPORT_SIGNAL, utc(3, 5, 8, 0), SIGNAL_AS("named"));
	message(f, b[3], utc(3, 6, 10, 0));
	step(f, REPORT_SIGNAL, b[3], "start_intake", utc(3, 6, 11, 0));
	assert_int_equal(case_assign(f->inst, b[3], "coord", "coord"), 0);
	b[4] = submit(f, REPORT_SIGNAL, utc(3, 2, 8, 0), SIGNAL_AS("named"));
	message(f, b[4], utc(3, 10, 10, 0));
	step(f, REPORT_SIGNAL, b[4], "start_intake", utc(3, 3, 9, 0));
	step(f, REPORT_SIGNAL, b[4], "undermining", utc(3, 3, 10, 0));
	{
		int64_t none[] = { 0 }, held[] = { b[3], b[4], 0 },
		        coming[] = { b[0], 0 };

		test_meeting(f->inst, f->recovery, "2026-02-10", none);
		m = test_meeting(f->inst, f->recovery, "2026-03-04", held);
		test_meeting(f->inst, f->recovery, "2026-03-20", coming);
	}
	clock_set(utc(3, 4, 16, 0));
	assert_int_equal(meeting_close(f->inst, m, "coord"), MEETING_OK);

	clock_set(test_utc(NOW_Y, NOW_M, NOW_D, 12, 0, 0));
	figures_everywhere(f, &f->vpt, "incidents", incident_figures,
	                   sizeof(incident_figures) / sizeof(incident_figures[0]));
	figures_everywhere(f, &f->coord, "signals", signal_figures,
	                   sizeof(signal_figures) / sizeof(signal_figures[0]));
	figures_everywhere(f, &f->coord, "outcome", outcome_figures,
	                   sizeof(outcome_figures) / sizeof(outcome_figures[0]));
	clock_set(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_verdict_everywhere,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_figure_everywhere,
		                                setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
