/*
 * stats.c - the benchmark of the statistics (issue 5): how long one
 * computation of every figure takes for a year and the year before it,
 * from a warm start (the cache of opened answers filled, as a running
 * server has it after its first computation), the decryption of every
 * cached record included.
 *
 *   bench_stats fill DIR N     make DIR (meldpunt init) and submit N
 *                              generated reports through report_submit,
 *                              with workflow events through
 *                              events_transition: the real storage and
 *                              crypto code. Adds to an existing DIR up to
 *                              N reports, so a fill can be resumed.
 *   bench_stats run DIR [RUNS] compute 2025 with 2024 beside it: once cold
 *                              (every sealed envelope opened), then RUNS
 *                              times warm (default 7); prints each time
 *                              and the median, wall clock and CPU time
 *                              (on a shared machine the CPU time is what
 *                              the computation itself costs).
 *
 * The data: reports spread evenly over 2024 and 2025, 50 % incidents,
 * 40 % signals and 10 % integrity reports, answers drawn from the forms'
 * options with a fixed seed; about half the signals get an intake
 * (start_intake), a quarter of those a decision; a third of the
 * incidents a first care talk, one in forty damages with amounts (sealed
 * to statistiek as well); most integrity reports an acknowledgement, half
 * of those an assessment as not admissible. A run computes the figures
 * of all three types, as the norm report of an admin does. The recovery key
 * is kept in DIR/bench-recovery.txt: this is a benchmark folder, never a
 * real installation. Timing is CLOCK_MONOTONIC around stats_compute only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "log.h"
#include "num.h"
#include "receipt.h"
#include "report.h"
#include "stats.h"
#include "users.h"
#include "workflow.h"

#define DAYS 731		/* 2024-01-01 up to 2025-12-31 */

static const char *const places[] = { "counter", "phone", "email",
	"social_media", "home_visit", "council_meeting", "public_space",
	"at_home", "other" };
static const char *const kinds[] = { "verbal", "intimidation", "threat",
	"physical", "damage", "discrimination", "sexual", "online", "doxing" };
static const char *const roles[] = { "employee", "manager", "inspector",
	"mayor", "alderman", "council_member", "griffier", "external" };
static const char *const departments[] = { "Burgerzaken", "Griffie",
	"Handhaving", "Sociaal Domein", "Belastingen", "Vergunningen" };
static const char *const police[] = { "none", "wanted", "melding",
	"aangifte" };
static const char *const phenomena[] = { "drugs", "money_laundering",
	"real_estate", "hospitality", "trafficking", "prostitution", "fraud",
	"permits", "intimidation", "other" };
static const char *const violations[] = { "fraud", "corruption",
	"conflict_of_interest", "misuse_of_position", "misuse_of_information",
	"misuse_of_resources", "misconduct", "danger_to_public",
	"breach_of_rules", "other" };
static const char *const sources[] = { "web", "web", "web", "phone", "mma",
	"riec", "police", "staff" };

#define PICK(a, r) (a[(r) % (sizeof(a) / sizeof(a[0]))])

/* xorshift64*: the same data set every time. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int
transition(struct installation *inst, const struct workflows *wfs,
           int64_t id, const char *name, unsigned role, time_t at,
           const struct workflow_field *fields, size_t nfields)
{
	struct workflow_verdict v;

	clock_set(at);
	if (events_transition(inst, wfs, id, name, "bench", role, fields,
	                      nfields, NULL, &v) != 0) {
		fprintf(stderr, "report %lld: %s refused: %s\n", (long long)id,
		        name, v.message);
		return -1;
	}
	return 0;
}

/* One generated report of number i, with its events. 0 or -1. */
static int
submit_one(struct installation *inst, const struct workflows *wfs,
           uint64_t *seed, int64_t i)
{
	char stats[512], receipt[RECEIPT_TEXT_LEN + 1];
	uint64_t r = rnd(seed);
	int signal = r % 10 < 4, integrity = r % 10 == 9;
	time_t day = (time_t)(19723 + (i * 7919) % DAYS) * 86400;	/* 2024 */
	struct submission sub;
	int64_t id;

	memset(&sub, 0, sizeof(sub));
	if (integrity) {
		snprintf(stats, sizeof(stats), "{\"answers\":{\"kind\":\"%s\","
		         "\"identity\":\"%s\"},\"form\":\"integrity\"}",
		         PICK(violations, r >> 8), (r >> 16) % 3 ? "anonymous"
		                                                  : "named");
		if (report_type_parse("integrity", &sub.type) < 0)
			return -1;
		sub.state = "received";
		sub.source = "web";
	} else if (signal) {
		snprintf(stats, sizeof(stats), "{\"answers\":{\"phenomenon\":"
		         "\"%s\",\"identity\":\"%s\"},\"form\":\"signal\"}",
		         PICK(phenomena, r >> 8), (r >> 16) % 3 ? "anonymous"
		                                                 : "named");
		sub.type = REPORT_SIGNAL;
		sub.state = "received";
		sub.source = PICK(sources, r >> 20);
	} else {
		uint64_t k = r >> 24;

		snprintf(stats, sizeof(stats), "{\"answers\":{\"place\":\"%s\","
		         "\"kind\":[\"%s\",\"%s\"],\"victim_role\":\"%s\","
		         "\"department\":\"%s\",\"police\":\"%s\"},"
		         "\"form\":\"incident\"}", PICK(places, r >> 8),
		         PICK(kinds, k), PICK(kinds, k / 9 + 1),
		         PICK(roles, r >> 32), PICK(departments, r >> 40),
		         PICK(police, r >> 48));
		sub.type = REPORT_INCIDENT;
		sub.state = "registered";
		sub.source = "web";
	}
	sub.content = "{\"answers\":{\"observation\":\"bench\"}}";
	sub.content_len = strlen(sub.content);
	sub.stats = stats;
	sub.stats_len = strlen(stats);
	clock_set(day + 9 * 3600);
	if (report_submit(inst, &sub, receipt, &id) < 0)
		return -1;
	r = rnd(seed);
	if (integrity && r % 4) {
		struct workflow_field f = { "reason", "bench" };

		if (transition(inst, wfs, id, "acknowledge", ROLE_INTEGRITY,
		               day + (time_t)(r % 10) * 86400, NULL, 0) < 0)
			return -1;
		if ((r >> 8) % 2 == 0 &&
		    transition(inst, wfs, id, "not_admissible", ROLE_INTEGRITY,
		               day + 20 * 86400, &f, 1) < 0)
			return -1;
	} else if (integrity) {
		/* Not acknowledged. */
	} else if (signal && r % 2 == 0) {
		if (transition(inst, wfs, id, "start_intake", ROLE_COORDINATOR,
		               day + 86400 + (time_t)(r % 5) * 86400, NULL, 0) < 0)
			return -1;
		if ((r >> 8) % 4 == 0) {
			struct workflow_field f = {
				"undermining_motivation", "bench"
			};

			if (transition(inst, wfs, id, "not_undermining",
			               ROLE_COORDINATOR, day + 10 * 86400, &f, 1) < 0)
				return -1;
		}
	} else if (!signal && r % 3 == 0) {
		if (transition(inst, wfs, id, "first_care_talk", ROLE_VPT,
		               day + (time_t)(r % 96) * 3600, NULL, 0) < 0)
			return -1;
		if ((r >> 8) % 40 == 0) {
			struct workflow_field f[2] = {
				{ "damage_amount", "1.250,00" },
				{ "recovered_amount", "400" },
			};

			if (transition(inst, wfs, id, "damages", ROLE_VPT,
			               day + 20 * 86400, f, 2) < 0)
				return -1;
		}
	}
	return 0;
}

static int
fill(const char *dir, int64_t n)
{
	struct installation *inst = NULL;
	struct workflows *wfs = NULL;
	int64_t have = 0, i;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	double t0, last = 0;
	int ret = 1;

	if (bench_create(dir) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0 ||
	    workflows_load_dir(NULL, &wfs, NULL) < 0 ||
	    bench_count_reports(inst, &have) < 0)
		goto out;
	/* The same sequence again: skip what an earlier fill stored. */
	for (i = 0; i < have; i++) {
		rnd(&seed);
		rnd(&seed);
	}
	t0 = bench_now_ms();
	for (i = have; i < n; i++) {
		if (submit_one(inst, wfs, &seed, i) < 0) {
			fprintf(stderr, "report %lld failed\n", (long long)i);
			goto out;
		}
		if (bench_now_ms() - last > 2000 || i + 1 == n) {
			double s = (bench_now_ms() - t0) / 1e3;

			last = bench_now_ms();
			fprintf(stderr, "\rfill: %lld of %lld reports, %.0f s, "
			        "%.0f/s   ", (long long)i + 1, (long long)n, s,
			        s > 0 ? (double)(i + 1 - have) / s : 0.0);
		}
	}
	clock_set(0);
	printf("\nfill: %lld reports added in %.1f s (%lld in %s)\n",
	       (long long)(n > have ? n - have : 0), (bench_now_ms() - t0) / 1e3,
	       (long long)(n > have ? n : have), dir);
	ret = 0;
out:
	workflows_free(wfs);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

static int
run(const char *dir, int runs)
{
	struct installation *inst = NULL;
	struct workflows *wfs = NULL;
	struct secret *rsk = NULL, *sk = NULL;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct stats_period p;
	struct stats_result r;
	struct ring_key key = { pk, NULL };
	double t[BENCH_RUNS_MAX], cpu[BENCH_RUNS_MAX], t0, c0;
	int64_t n = 0;
	int i, ret = 1;

	if (bench_recovery(dir, &rsk, rpk) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0 ||
	    workflows_load_dir(NULL, &wfs, NULL) < 0 ||
	    keyrings_recover(inst->db, KEYRING_STATISTICS, rpk, rsk, &sk) < 0 ||
	    keyrings_public_key(inst->db, KEYRING_STATISTICS, pk) < 0 ||
	    stats_period_parse(STATS_YEAR, "2025", NULL, NULL, &p) < 0 ||
	    bench_count_reports(inst, &n) < 0)
		goto out;
	key.sk = sk;
	for (i = -1; i < runs; i++) {
		t0 = bench_now_ms();
		c0 = bench_cpu_ms();
		if (stats_compute(inst, wfs, &key, &p, STATS_WANT_INCIDENTS |
		                  STATS_WANT_SIGNALS | STATS_WANT_INTEGRITY,
		                  &r) < 0)
			goto out;
		if (i < 0) {
			printf("reports: %lld; cold (opened %zu sealed envelopes):"
			       " %.1f ms\n", (long long)n, r.opened, bench_now_ms() - t0);
		} else {
			t[i] = bench_now_ms() - t0;
			cpu[i] = bench_cpu_ms() - c0;
			printf("warm run %d: %.1f ms, cpu %.1f ms (opened %zu)\n",
			       i + 1, t[i], cpu[i], r.opened);
		}
		if (i == runs - 1)
			printf("figures: incidents %llu + %llu, signals %llu + "
			       "%llu, integrity %llu + %llu\n", (unsigned long long)
			       stats_find(&r.tables[STATS_INCIDENTS], "total")->now,
			       (unsigned long long)
			       stats_find(&r.tables[STATS_INCIDENTS], "total")->prev,
			       (unsigned long long)
			       stats_find(&r.tables[STATS_SIGNALS], "total")->now,
			       (unsigned long long)
			       stats_find(&r.tables[STATS_SIGNALS], "total")->prev,
			       (unsigned long long)
			       stats_find(&r.tables[STATS_INTEGRITY], "total")->now,
			       (unsigned long long)
			       stats_find(&r.tables[STATS_INTEGRITY], "total")->prev);
		stats_result_release(&r);
	}
	qsort(t, (size_t)runs, sizeof(t[0]), bench_compare_double);
	qsort(cpu, (size_t)runs, sizeof(cpu[0]), bench_compare_double);
	/* On a shared machine the wall time includes waiting for a core. */
	printf("warm median of %d: %.1f ms wall, %.1f ms cpu, for %lld "
	       "reports\n", runs, t[runs / 2], cpu[runs / 2], (long long)n);
	ret = 0;
out:
	secret_free(sk);
	secret_free(rsk);
	workflows_free(wfs);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, "bench_stats", 7, fill, run);
}
