/*
 * test_stats.c - the statistics against a generated data set whose true
 * counts are known: reports stored through report_submit with chosen
 * statistical answers on chosen days (clock_set), signals moved through
 * the workflow with events_transition at chosen times. Checks every
 * figure, the previous period beside it, the percentiles, the periods
 * and their validation, small-number suppression, and the cache: a
 * second computation opens no sealed envelope, a key that changed (a
 * rotation) makes the boxes again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "report.h"
#include "stats.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

struct fixture {
	char *dir;
	char recovery[RECOVERY_TEXT_LEN + 1];
	struct installation *inst;
	struct workflows *wfs;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;		/* the statistiek keyring */
};

static time_t
utc(int y, int m, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static int64_t
submit(struct fixture *f, enum report_type type, const char *source,
       time_t day, const char *stats)
{
	struct submission sub = {
		.type = type,
		.state = type == REPORT_SIGNAL ? "received" : "registered",
		.source = source,
		.content = "{}", .content_len = 2,
		.stats = stats, .stats_len = strlen(stats),
	};
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;

	clock_set(day);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	clock_set(0);
	return id;
}

/* Transition name at t; the required field, if any, gets a value. */
static void
step(struct fixture *f, int64_t id, const char *name, time_t t)
{
	const struct workflow_transition *tr =
		workflow_transition_find(workflows_get(f->wfs, REPORT_SIGNAL), name);
	struct workflow_field field;
	struct workflow_verdict v;

	assert_non_null(tr);
	field.name = tr->nfields ? tr->fields[0] : NULL;
	field.value = "x";
	clock_set(t);
	if (events_transition(f->inst, f->wfs, id, name, "coord",
	                      ROLE_COORDINATOR, &field, tr->nfields, NULL,
	                      &v) != 0)
		fail_msg("%s refused: %s", name, v.message);
	clock_set(0);
}

#define INCIDENT(place, kinds, role, dept, police) \
	"{\"answers\":{\"place\":\"" place "\",\"kind\":[" kinds "]," \
	"\"victim_role\":\"" role "\"" dept ",\"police\":\"" police "\"}," \
	"\"form\":\"incident\"}"
#define SIGNAL(phen, identity) \
	"{\"answers\":{\"phenomenon\":\"" phen "\",\"identity\":\"" identity \
	"\"},\"form\":\"signal\"}"

static void
fill(struct fixture *f)
{
	int i;
	int64_t s1, s2, s3, s5, s6;

	/* 2025: 9 incidents. */
	for (i = 0; i < 6; i++)
		submit(f, REPORT_INCIDENT, "web",
		       i < 3 ? utc(2025, 1, 10, 12, 0) : utc(2025, 3, 5, 12, 0),
		       INCIDENT("counter", "\"verbal\",\"threat\"", "employee",
		                ",\"department\":\"Burgerzaken\"", "aangifte"));
	for (i = 0; i < 2; i++)
		submit(f, REPORT_INCIDENT, "web", utc(2025, 6, 1, 8, 0),
		       INCIDENT("phone", "\"verbal\"", "mayor",
		                ",\"department\":\"Griffie\"", "melding"));
	submit(f, REPORT_INCIDENT, "staff", utc(2025, 12, 31, 23, 0),
	       INCIDENT("counter", "\"physical\"", "employee", "", "none"));
	/* 2024: 3; and one each side outside both periods. */
	for (i = 0; i < 3; i++)
		submit(f, REPORT_INCIDENT, "web", utc(2024, 2, 1, 9, 0),
		       INCIDENT("counter", "\"verbal\"", "employee",
		                ",\"department\":\"Burgerzaken\"", "none"));
	submit(f, REPORT_INCIDENT, "web", utc(2026, 1, 1, 0, 0),
	       INCIDENT("counter", "\"verbal\"", "employee", "", "none"));
	submit(f, REPORT_INCIDENT, "web", utc(2023, 12, 31, 23, 59),
	       INCIDENT("counter", "\"verbal\"", "employee", "", "none"));

	/* Signals of 2025. */
	s1 = submit(f, REPORT_SIGNAL, "web", utc(2025, 2, 3, 9, 0),
	            SIGNAL("drugs", "named"));
	step(f, s1, "start_intake", utc(2025, 2, 4, 10, 0));
	step(f, s1, "undermining", utc(2025, 2, 6, 10, 0));
	step(f, s1, "to_riec", utc(2025, 2, 8, 0, 0));
	s2 = submit(f, REPORT_SIGNAL, "mma", utc(2025, 2, 3, 15, 0),
	            SIGNAL("drugs", "anonymous"));
	step(f, s2, "start_intake", utc(2025, 2, 5, 0, 0));
	step(f, s2, "no_action", utc(2025, 2, 7, 0, 0));
	s3 = submit(f, REPORT_SIGNAL, "web", utc(2025, 4, 10, 9, 0),
	            SIGNAL("money_laundering", "anonymous"));
	step(f, s3, "start_intake", utc(2025, 4, 11, 0, 0));
	submit(f, REPORT_SIGNAL, "riec", utc(2025, 5, 1, 9, 0),
	       SIGNAL("fraud", "named"));
	s5 = submit(f, REPORT_SIGNAL, "web", utc(2025, 5, 2, 9, 0),
	            SIGNAL("drugs", "named"));
	step(f, s5, "start_intake", utc(2025, 5, 2, 12, 0));
	step(f, s5, "undermining", utc(2025, 5, 3, 12, 0));
	step(f, s5, "municipal_task", utc(2025, 5, 4, 12, 0));
	step(f, s5, "our_territory", utc(2025, 5, 5, 12, 0));
	step(f, s5, "to_department", utc(2025, 5, 12, 0, 0));
	/* 2024. */
	s6 = submit(f, REPORT_SIGNAL, "web", utc(2024, 7, 1, 9, 0),
	            SIGNAL("drugs", "anonymous"));
	step(f, s6, "start_intake", utc(2024, 7, 2, 0, 0));
	step(f, s6, "undermining", utc(2024, 7, 3, 0, 0));
	step(f, s6, "to_police", utc(2024, 7, 4, 0, 0));
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct install_result res;
	struct secret *rsk;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];

	f->dir = test_tmpdir("stats");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	memcpy(f->recovery, res.recovery_key, sizeof(f->recovery));
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_STATISTICS, rpk,
	                                  rsk, &f->sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, KEYRING_STATISTICS,
	                                     f->pk), 0);
	secret_free(rsk);
	fill(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	secret_free(f->sk);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
compute(struct fixture *f, const char *year, struct stats_result *r)
{
	struct ring_key key = { f->pk, f->sk };
	struct stats_period p;

	assert_int_equal(stats_period_parse(STATS_YEAR, year, NULL, NULL, &p), 0);
	assert_int_equal(stats_compute(f->inst, f->wfs, &key, &p,
	                               STATS_WANT_INCIDENTS | STATS_WANT_SIGNALS,
	                               r), 0);
}

/* The row key of table t holds now and prev. */
static void
check(const struct stats_result *r, enum stats_table_id t, const char *key,
      uint64_t now, uint64_t prev)
{
	const struct stats_row *row = stats_find(&r->tables[t], key);

	if (!row) {
		if (now || prev)
			fail_msg("%s: no row %s", stats_table_name(t), key);
		return;
	}
	if (row->now != now || row->prev != prev)
		fail_msg("%s %s: %llu/%llu, expected %llu/%llu",
		         stats_table_name(t), key, (unsigned long long)row->now,
		         (unsigned long long)row->prev, (unsigned long long)now,
		         (unsigned long long)prev);
}

static void
test_figures(void **state)
{
	struct fixture *f = *state;
	struct stats_result r;
	uint64_t before = stats_sealed_opens();
	size_t i;

	compute(f, "2025", &r);
	/* Every report of both periods opened once: 12 + 3 incidents... */
	assert_int_equal(r.opened, 12 + 6);
	assert_int_equal(stats_sealed_opens() - before, 12 + 6);
	assert_string_equal(r.period.from, "2025-01-01");
	assert_string_equal(r.period.to, "2026-01-01");
	assert_string_equal(r.period.prev_from, "2024-01-01");

	check(&r, STATS_INCIDENTS, "total", 9, 3);
	check(&r, STATS_INCIDENTS, "police_notified", 8, 0);
	check(&r, STATS_KIND, "verbal", 8, 3);
	check(&r, STATS_KIND, "threat", 6, 0);
	check(&r, STATS_KIND, "physical", 1, 0);
	assert_int_equal(r.tables[STATS_KIND].n, 3);
	check(&r, STATS_VICTIM_ROLE, "employee", 7, 3);
	check(&r, STATS_VICTIM_ROLE, "mayor", 2, 0);
	assert_int_equal(r.tables[STATS_VICTIM_ROLE].n, 2);
	check(&r, STATS_PLACE, "counter", 7, 3);
	check(&r, STATS_PLACE, "phone", 2, 0);
	check(&r, STATS_DEPARTMENT, "Burgerzaken", 6, 3);
	check(&r, STATS_DEPARTMENT, "Griffie", 2, 0);
	check(&r, STATS_DEPARTMENT, "", 1, 0);
	assert_int_equal(r.tables[STATS_DEPARTMENT].n, 3);
	check(&r, STATS_POLICE, "aangifte", 6, 0);
	check(&r, STATS_POLICE, "melding", 2, 0);
	check(&r, STATS_POLICE, "none", 1, 3);
	/* Twelve months, in order, the previous year's beside them. */
	assert_int_equal(r.tables[STATS_INCIDENT_MONTH].n, 12);
	assert_string_equal(r.tables[STATS_INCIDENT_MONTH].rows[0].key, "2025-01");
	assert_string_equal(r.tables[STATS_INCIDENT_MONTH].rows[11].key, "2025-12");
	check(&r, STATS_INCIDENT_MONTH, "2025-01", 3, 0);
	check(&r, STATS_INCIDENT_MONTH, "2025-02", 0, 3);
	check(&r, STATS_INCIDENT_MONTH, "2025-03", 3, 0);
	check(&r, STATS_INCIDENT_MONTH, "2025-06", 2, 0);
	check(&r, STATS_INCIDENT_MONTH, "2025-12", 1, 0);
	for (i = 0; i < 12; i++) {
		const struct stats_row *m = &r.tables[STATS_INCIDENT_MONTH].rows[i];

		if (i != 0 && i != 1 && i != 2 && i != 5 && i != 11)
			assert_true(m->now == 0 && m->prev == 0);
	}

	check(&r, STATS_SIGNALS, "total", 5, 1);
	check(&r, STATS_SIGNALS, "riec", 1, 0);
	check(&r, STATS_PHENOMENON, "drugs", 3, 1);
	check(&r, STATS_PHENOMENON, "money_laundering", 1, 0);
	check(&r, STATS_PHENOMENON, "fraud", 1, 0);
	check(&r, STATS_SOURCE, "web", 3, 1);
	check(&r, STATS_SOURCE, "mma", 1, 0);
	check(&r, STATS_SOURCE, "riec", 1, 0);
	check(&r, STATS_IDENTITY, "named", 3, 0);
	check(&r, STATS_IDENTITY, "anonymous", 2, 1);
	check(&r, STATS_OUTCOME, "riec", 1, 0);
	check(&r, STATS_OUTCOME, "no_action", 1, 0);
	check(&r, STATS_OUTCOME, "department", 1, 0);
	check(&r, STATS_OUTCOME, "police", 0, 1);
	check(&r, STATS_OUTCOME, "open", 2, 0);
	check(&r, STATS_SIGNAL_MONTH, "2025-02", 2, 0);
	check(&r, STATS_SIGNAL_MONTH, "2025-04", 1, 0);
	check(&r, STATS_SIGNAL_MONTH, "2025-05", 2, 0);
	check(&r, STATS_SIGNAL_MONTH, "2025-07", 0, 1);

	/* 43200 86400 122400 172800: nearest rank 2 and 4. */
	assert_int_equal(r.first_assessment[0].n, 4);
	assert_int_equal(r.first_assessment[0].median, 86400);
	assert_int_equal(r.first_assessment[0].p90, 172800);
	/* 345600 432000 864000: ranks 2 and 3. */
	assert_int_equal(r.decision[0].n, 3);
	assert_int_equal(r.decision[0].median, 432000);
	assert_int_equal(r.decision[0].p90, 864000);
	assert_int_equal(r.first_assessment[1].n, 1);
	assert_int_equal(r.first_assessment[1].median, 86400);
	assert_int_equal(r.decision[1].n, 1);
	assert_int_equal(r.decision[1].p90, 3 * 86400);
	stats_result_release(&r);
}

static void
test_cache(void **state)
{
	struct fixture *f = *state;
	struct stats_result r1, r2;
	uint64_t before;
	struct stmt *st = NULL;
	size_t i, j;

	compute(f, "2025", &r1);
	before = stats_sealed_opens();
	compute(f, "2025", &r2);
	/* The second run decrypts only symmetric boxes. */
	assert_int_equal(r2.opened, 0);
	assert_int_equal(stats_sealed_opens(), before);
	for (i = 0; i < STATS_TABLES; i++) {
		assert_int_equal(r1.tables[i].n, r2.tables[i].n);
		for (j = 0; j < r1.tables[i].n; j++) {
			assert_string_equal(r1.tables[i].rows[j].key,
			                    r2.tables[i].rows[j].key);
			assert_true(r1.tables[i].rows[j].now ==
			            r2.tables[i].rows[j].now);
			assert_true(r1.tables[i].rows[j].prev ==
			            r2.tables[i].rows[j].prev);
		}
	}
	stats_result_release(&r1);
	stats_result_release(&r2);

	/* A year with cached 2025 as its previous period opens only 2026. */
	compute(f, "2026", &r1);
	assert_int_equal(r1.opened, 1);
	check(&r1, STATS_INCIDENTS, "total", 1, 9);
	stats_result_release(&r1);

	/* A box under another key (a rotated keyring) is made again. */
	assert_int_equal(db_prepare(f->inst->db, &st, "UPDATE stats_cache"
	                 " SET key_id = zeroblob(16)"), 0);
	assert_int_equal(stmt_run(st), 0);
	stmt_finalize(st);
	compute(f, "2025", &r1);
	assert_int_equal(r1.opened, 18);
	check(&r1, STATS_KIND, "verbal", 8, 3);
	stats_result_release(&r1);
	/* A damaged box falls back to the envelope. */
	st = NULL;
	assert_int_equal(db_prepare(f->inst->db, &st, "UPDATE stats_cache"
	                 " SET box = zeroblob(60)"), 0);
	assert_int_equal(stmt_run(st), 0);
	stmt_finalize(st);
	compute(f, "2025", &r1);
	assert_int_equal(r1.opened, 18);
	check(&r1, STATS_PLACE, "counter", 7, 3);
	stats_result_release(&r1);
}

static void
test_periods(void **state)
{
	struct stats_period p;

	(void)state;
	assert_int_equal(stats_period_parse(STATS_QUARTER, "2025-Q1", NULL, NULL,
	                                    &p), 0);
	assert_string_equal(p.from, "2025-01-01");
	assert_string_equal(p.to, "2025-04-01");
	assert_string_equal(p.prev_from, "2024-10-01");
	assert_string_equal(p.prev_to, "2025-01-01");
	assert_int_equal(stats_period_parse(STATS_MONTH, "2024-03", NULL, NULL,
	                                    &p), 0);
	assert_string_equal(p.from, "2024-03-01");
	assert_string_equal(p.to, "2024-04-01");
	assert_string_equal(p.prev_from, "2024-02-01");
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2024-02-20",
	                                    "2024-03-05", &p), 0);
	/* 15 days, the leap day included; the 15 before. */
	assert_string_equal(p.from, "2024-02-20");
	assert_string_equal(p.to, "2024-03-06");
	assert_string_equal(p.prev_from, "2024-02-05");
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2025-01-01",
	                                    "2025-01-01", &p), 0);
	assert_string_equal(p.to, "2025-01-02");
	assert_string_equal(p.prev_from, "2024-12-31");

	assert_int_equal(stats_period_parse(STATS_YEAR, "25", NULL, NULL, &p), -1);
	assert_int_equal(stats_period_parse(STATS_YEAR, "2025x", NULL, NULL, &p),
	                 -1);
	assert_int_equal(stats_period_parse(STATS_YEAR, NULL, NULL, NULL, &p), -1);
	assert_int_equal(stats_period_parse(STATS_QUARTER, "2025-Q5", NULL, NULL,
	                                    &p), -1);
	assert_int_equal(stats_period_parse(STATS_MONTH, "2025-13", NULL, NULL,
	                                    &p), -1);
	assert_int_equal(stats_period_parse(STATS_MONTH, "2025-00", NULL, NULL,
	                                    &p), -1);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2025-02-29",
	                                    "2025-03-01", &p), -1);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2025-03-02",
	                                    "2025-03-01", &p), -1);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2025-03-01",
	                                    "2025-03-01 ", &p), -1);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, "2000-01-01",
	                                    "2025-03-01", &p), -1);
	assert_int_equal(stats_period_parse(STATS_CUSTOM, NULL, NULL,
	                                    "2025-03-01", &p), -1);
}

static void
test_small_numbers(void **state)
{
	char cell[32];

	(void)state;
	assert_string_equal(stats_cell(0, 5, 1, cell), "0");
	assert_string_equal(stats_cell(1, 5, 1, cell), "< 5");
	assert_string_equal(stats_cell(4, 5, 1, cell), "< 5");
	assert_string_equal(stats_cell(5, 5, 1, cell), "5");
	assert_string_equal(stats_cell(4, 5, 0, cell), "4");
	assert_string_equal(stats_cell(9, 10, 1, cell), "< 10");
	assert_string_equal(stats_cell(1234567, 5, 1, cell), "1234567");
	assert_true(stats_hidden(3, 5, 1));
	assert_false(stats_hidden(3, 5, 0));
	assert_false(stats_hidden(0, 5, 1));
}

/* The HTTP side: an hr member of statistiek, and a coordinator who is not. */
#define HR_OTP "eenmalig-wachtwoord-hr"
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define NEWPW "een heel lang wachtwoord"

struct web {
	struct fixture f;
	struct test_server srv;
};

static int
setup_web(void **state)
{
	struct web *w = calloc(1, sizeof(*w));
	struct fixture *f = &w->f;
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *init[] = { "--data", NULL, "init", NULL };
	struct secret *rsk, *ring;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct user u;
	const char *p;

	f->dir = test_tmpdir("stats-web");
	init[1] = f->dir;
	assert_int_equal(test_run(&out, &err, init), 0);
	p = strstr(out.data, "    ");
	assert_non_null(p);
	memcpy(f->recovery, p + 4, 64);
	f->recovery[64] = '\0';
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	assert_int_equal(users_create(f->inst->db, "hr1", "", ROLE_HR, HR_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(f->inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(recovery_parse(f->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(f->inst->db, KEYRING_STATISTICS, rpk,
	                                  rsk, &ring), 0);
	assert_int_equal(users_find(f->inst->db, "hr1", &u), 0);
	assert_int_equal(keyrings_grant(f->inst->db, KEYRING_STATISTICS, ring,
	                                u.id, u.public_key), 0);
	user_release(&u);
	secret_free(ring);
	secret_free(rsk);
	fill(f);
	workflows_free(f->wfs);
	f->wfs = NULL;
	assert_int_equal(install_close(f->inst), 0);
	f->inst = NULL;
	assert_int_equal(test_server_start(&w->srv, f->dir), 0);
	buf_release(&out);
	buf_release(&err);
	*state = w;
	return 0;
}

static int
teardown_web(void **state)
{
	struct web *w = *state;

	assert_int_equal(test_server_stop(&w->srv), 0);
	test_rmtree(w->f.dir);
	free(w->f.dir);
	free(w);
	return 0;
}

/*
 * Every tag of the SVG in page closes in order (self-closing ones count
 * as closed): the well-formedness a browser's XML parser needs.
 */
static int
svg_balanced(const char *page)
{
	const char *p = strstr(page, "<svg"), *end;
	char stack[32][16];
	int depth = 0, charts = 0;

	for (; p; p = strstr(p, "<svg")) {
		end = strstr(p, "</svg>");
		if (!end)
			return -1;
		end += 6;
		charts++;
		while (p < end) {
			const char *gt, *name;
			size_t len;
			int closing;

			p = memchr(p, '<', (size_t)(end - p));
			if (!p)
				break;
			gt = memchr(p, '>', (size_t)(end - p));
			if (!gt || memchr(p + 1, '<', (size_t)(gt - p - 1)))
				return -1;
			closing = p[1] == '/';
			name = p + 1 + closing;
			len = strcspn(name, " />");
			if (!len || len >= sizeof(stack[0]))
				return -1;
			if (closing) {
				if (!depth || strlen(stack[depth - 1]) != len ||
				    memcmp(stack[depth - 1], name, len) != 0)
					return -1;
				depth--;
			} else if (gt[-1] != '/') {
				if (depth == 32)
					return -1;
				memcpy(stack[depth], name, len);
				stack[depth++][len] = '\0';
			}
			p = gt + 1;
		}
		if (depth)
			return -1;
	}
	return charts;
}

static void
test_web(void **state)
{
	struct web *w = *state;
	struct buf cookie = BUF_INIT, csrf = BUF_INIT, resp = BUF_INIT,
	           headers = BUF_INIT, value = BUF_INIT;
	struct secret *totp;
	long status;

	totp = test_staff_setup(&w->srv, "hr1", HR_OTP, NEWPW, &cookie, &csrf);
	assert_non_null(totp);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek?periode=jaar&waarde=2025", NULL,
	                 cookie.data, &status, &headers, &resp), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(resp.data, "role=\"img\""));
	assert_non_null(strstr(resp.data, "<title>"));
	/* hr sees the incidents, not the signals; a physical one is hidden. */
	assert_non_null(strstr(resp.data, "id=\"t-kind\""));
	assert_null(strstr(resp.data, "id=\"t-phenomenon\""));
	assert_non_null(strstr(resp.data, "&lt; 5"));
	assert_int_equal(svg_balanced(resp.data), 7);

	buf_reset(&resp);
	buf_reset(&headers);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek.csv?table=kind&periode=jaar"
	                 "&waarde=2025&sep=;", NULL, cookie.data, &status,
	                 &headers, &resp), 0);
	assert_int_equal(status, 200);
	assert_int_equal(test_header(&headers, "Content-Disposition", &value), 0);
	assert_non_null(strstr(value.data, "attachment"));
	assert_string_equal(resp.data, "\xEF\xBB\xBFvalue;2025-01-01..2026-01-01;"
	                    "2024-01-01..2025-01-01\r\nphysical;< 5;0\r\n"
	                    "threat;6;0\r\nverbal;8;< 5\r\n");

	buf_reset(&resp);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek.json?periode=jaar&waarde=2025",
	                 NULL, cookie.data, &status, NULL, &resp), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(resp.data, "\"incidents\":[{\"value\":\"total\","
	                       "\"count\":9,\"previous\":\"\\u003c 5\"},"
	                       "{\"value\":\"police_notified\",\"count\":8,"
	                       "\"previous\":0}]"));
	assert_non_null(strstr(resp.data, "{\"value\":\"Burgerzaken\","
	                       "\"count\":6,\"previous\":\"\\u003c 5\"}"));
	assert_null(strstr(resp.data, "phenomenon"));

	/* Bad periods and tables are refused with 400. */
	buf_reset(&resp);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek?periode=anders&van=2025-02-30"
	                 "&tot=2025-03-01", NULL, cookie.data, &status, NULL,
	                 &resp), 0);
	assert_int_equal(status, 400);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek.csv?table=nope", NULL, cookie.data,
	                 &status, NULL, &resp), 0);
	assert_int_equal(status, 400);

	/* The threshold is [statistics] small_number: 7 hides the 6 too. */
	{
		struct buf conf = BUF_INIT;
		FILE *fp;

		assert_int_equal(test_server_stop(&w->srv), 0);
		buf_addf(&conf, "%s/meldpunt.conf", w->f.dir);
		fp = fopen(conf.data, "w");
		assert_non_null(fp);
		fputs("[statistics]\nsmall_number = 7\n", fp);
		fclose(fp);
		assert_int_equal(test_server_start_config(&w->srv, w->f.dir,
		                                          conf.data), 0);
		buf_release(&conf);
		/* A new server, a new login (the next step's code). */
		assert_int_equal(test_staff_login(&w->srv, "hr1", NEWPW, totp, 1,
		                                  &cookie, NULL), 0);
		buf_reset(&resp);
		assert_int_equal(test_http_cookie(&w->srv, "GET",
		                 "/beheer/statistiek.csv?table=kind&periode=jaar"
		                 "&waarde=2025&sep=;", NULL, cookie.data, &status,
		                 NULL, &resp), 0);
		assert_int_equal(status, 200);
		assert_string_equal(resp.data, "\xEF\xBB\xBFvalue;2025-01-01.."
		                    "2026-01-01;2024-01-01..2025-01-01\r\n"
		                    "physical;< 7;0\r\nthreat;< 7;0\r\n"
		                    "verbal;8;< 7\r\n");
	}
	secret_free(totp);

	/* A coordinator without the statistiek keyring: 403. */
	buf_reset(&cookie);
	buf_reset(&csrf);
	totp = test_staff_setup(&w->srv, "coord", COORD_OTP, NEWPW, &cookie,
	                        &csrf);
	assert_non_null(totp);
	assert_int_equal(test_http_cookie(&w->srv, "GET", "/beheer/statistiek",
	                 NULL, cookie.data, &status, NULL, &resp), 0);
	assert_int_equal(status, 403);
	assert_int_equal(test_http_cookie(&w->srv, "GET",
	                 "/beheer/statistiek.json", NULL, cookie.data, &status,
	                 NULL, &resp), 0);
	assert_int_equal(status, 403);
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&csrf);
	buf_release(&resp);
	buf_release(&headers);
	buf_release(&value);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_figures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_small_numbers),
		cmocka_unit_test_setup_teardown(test_web, setup_web, teardown_web),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
