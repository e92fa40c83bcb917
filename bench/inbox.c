/*
 * inbox.c - the benchmark of the handler's inbox search (issue 18 point
 * 2): how long one search of the signal inbox takes, every listed
 * report's content opened in memory with the keyring key, the summary
 * made, the deadlines judged and the audit row written (inbox_list, as
 * the page calls it).
 *
 *   bench_inbox fill DIR N     make DIR (meldpunt init) and file N
 *                              signals through report_submit (the real
 *                              storage and sealing); adds up to N to an
 *                              existing DIR
 *   bench_inbox run DIR [RUNS] search RUNS times (default 11) for a word
 *                              found in one report in a hundred, then
 *                              list without a search as often; prints
 *                              each time and the medians, wall clock and
 *                              CPU time
 *
 * Each signal's content is about 60 words of observation and a location,
 * as a reporter types them; one in a hundred mentions the "zeepfabriek".
 * The recovery key is kept in DIR/bench-recovery.txt: a benchmark folder,
 * never a real installation. Timing is CLOCK_MONOTONIC around
 * inbox_list only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "benchutil.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "form.h"
#include "inbox.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "log.h"
#include "num.h"
#include "receipt.h"
#include "report.h"
#include "users.h"
#include "workflow.h"

#define WORD "zeepfabriek"

static const char *const words[] = { "busje", "nacht", "geur", "ramen",
	"afgeplakt", "verkeer", "loods", "kenteken", "contant", "geld",
	"bezoekers", "laat", "pand", "huurder", "onbekend", "zaak", "eigenaar",
	"vaak", "wisselend", "personen", "auto", "achterom", "dichte", "gordijnen" };

/* Signal i: its answers as form_encode writes them. */
static void
content_of(int64_t i, struct buf *out)
{
	int64_t w;

	buf_addf(out, "{\"answers\":{\"location\":\"Industrieweg %lld\","
	         "\"observation\":\"", (long long)(i % 400 + 1));
	for (w = 0; w < 60; w++)
		buf_addf(out, "%s%s", w ? " " : "",
		         words[(i * 7 + w * 13) % (int64_t)(sizeof(words) /
		                                         sizeof(words[0]))]);
	if (i % 100 == 7)
		buf_adds(out, " bij de " WORD);
	buf_adds(out, ".\"},\"form\":\"signal\"}");
}

static int
fill(const char *dir, int64_t n)
{
	struct installation *inst = NULL;
	struct buf content = BUF_INIT;
	char receipt[RECEIPT_TEXT_LEN + 1];
	const char *stats = "{\"answers\":{\"phenomenon\":\"drugs\","
	                    "\"identity\":\"anonymous\"},\"form\":\"signal\"}";
	int64_t have = 0, i, id;
	double t0;
	int ret = 1;

	if (bench_create(dir) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0 || bench_count_reports(inst, &have) < 0)
		goto out;
	t0 = bench_now_ms();
	for (i = have; i < n; i++) {
		struct submission sub;

		memset(&sub, 0, sizeof(sub));
		buf_reset(&content);
		content_of(i, &content);
		sub.type = REPORT_SIGNAL;
		sub.state = "received";
		sub.source = "web";
		sub.content = content.data;
		sub.content_len = content.len;
		sub.stats = stats;
		sub.stats_len = strlen(stats);
		if (report_submit(inst, &sub, receipt, &id) < 0) {
			fprintf(stderr, "report %lld failed\n", (long long)i);
			goto out;
		}
	}
	printf("fill: %lld reports added in %.1f s (%lld in %s)\n",
	       (long long)(n > have ? n - have : 0), (bench_now_ms() - t0) / 1e3,
	       (long long)(n > have ? n : have), dir);
	ret = 0;
out:
	buf_release(&content);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

/* RUNS listings with q; prints each and the medians. 0 or -1. */
static int
time_runs(struct installation *inst, const struct workflows *wfs,
          const struct actor *a, const struct inbox_query *q, int runs,
          const char *what)
{
	double t[BENCH_RUNS_MAX], cpu[BENCH_RUNS_MAX], t0, c0;
	struct inbox ib;
	struct outcome o;
	int i;

	for (i = 0; i < runs; i++) {
		t0 = bench_now_ms();
		c0 = bench_cpu_ms();
		if (inbox_list(inst, wfs, a, REPORT_SIGNAL, q, LIMIT_SEARCH_MAX,
		               clock_now(), &ib, &o) != VERDICT_DONE)
			return -1;
		t[i] = bench_now_ms() - t0;
		cpu[i] = bench_cpu_ms() - c0;
		printf("%s run %d: %.1f ms, cpu %.1f ms (opened %zu, listed "
		       "%zu)\n", what, i + 1, t[i], cpu[i], ib.opened, ib.n);
		inbox_release(&ib);
	}
	qsort(t, (size_t)runs, sizeof(t[0]), bench_compare_double);
	qsort(cpu, (size_t)runs, sizeof(cpu[0]), bench_compare_double);
	printf("%s: median of %d: %.1f ms wall, %.1f ms cpu\n", what, runs,
	       t[runs / 2], cpu[runs / 2]);
	return 0;
}

static int
run(const char *dir, int runs)
{
	struct installation *inst = NULL;
	struct workflows *wfs = NULL;
	struct secret *rsk = NULL, *sk = NULL;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct actor_ring ring = { KEYRING_SIGNALS, pk, NULL };
	struct actor a = { 1, "bench", ROLE_COORDINATOR, &ring, 1 };
	struct inbox_query q;
	int64_t n = 0;
	int ret = 1;

	if (bench_recovery(dir, &rsk, rpk) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0 || forms_load() < 0 ||
	    workflows_load_dir(NULL, &wfs, NULL) < 0 ||
	    keyrings_recover(inst->db, KEYRING_SIGNALS, rpk, rsk, &sk) < 0 ||
	    keyrings_public_key(inst->db, KEYRING_SIGNALS, pk) < 0 ||
	    bench_count_reports(inst, &n) < 0)
		goto out;
	ring.sk = sk;
	printf("reports: %lld signals\n", (long long)n);
	memset(&q, 0, sizeof(q));
	q.search = WORD;
	if (time_runs(inst, wfs, &a, &q, runs, "search") < 0)
		goto out;
	q.search = NULL;
	if (time_runs(inst, wfs, &a, &q, runs, "list") < 0)
		goto out;
	ret = 0;
out:
	secret_free(sk);
	secret_free(rsk);
	workflows_free(wfs);
	forms_free();
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, "bench_inbox", 11, fill, run);
}
