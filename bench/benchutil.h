/*
 * benchutil.h - what the benchmark programs (bench/stats.c,
 * bench/inbox.c) share: their clocks, the median's sort, and a benchmark
 * installation whose recovery key is kept in a file beside it.
 */
#ifndef MELDPUNT_BENCHUTIL_H
#define MELDPUNT_BENCHUTIL_H

#include <stdint.h>

#include "crypto.h"
#include "secret.h"

struct installation;

/* Wall clock (CLOCK_MONOTONIC) and this process's CPU time, in ms. */
double bench_now_ms(void);
double bench_cpu_ms(void);

/* qsort's comparison of doubles, for medians. */
int bench_compare_double(const void *a, const void *b);

/* The number of reports stored. 0 or -1. */
int bench_count_reports(struct installation *inst, int64_t *n);

/*
 * Make an installation in dir unless there is one, keeping its recovery
 * key in dir/bench-recovery.txt (a benchmark folder, never a real
 * installation). 0 or -1.
 */
int bench_create(const char *dir);

/* The recovery key kept by bench_create. 0 and both, or -1 (said). */
int bench_recovery(const char *dir, struct secret **sk,
                   uint8_t pk[CRYPTO_PUBLICKEY_LEN]);

/* The most runs a benchmark takes (the medians' arrays). */
#define BENCH_RUNS_MAX 101

/*
 * The command line every benchmark shares: `NAME fill DIR N` calls
 * fill(DIR, N), `NAME run DIR [RUNS]` calls run(DIR, RUNS), RUNS 1 to
 * BENCH_RUNS_MAX (default runs). Logs only warnings (an audit row per
 * report would drown the figures). Returns the exit status.
 */
int bench_main(int argc, char **argv, const char *name, long runs,
               int (*fill)(const char *dir, int64_t n),
               int (*run)(const char *dir, int runs));

#endif
