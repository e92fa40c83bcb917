/*
 * benchutil.c - what the benchmark programs share (see benchutil.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "crypto.h"
#include "db.h"
#include "install.h"
#include "keyring.h"
#include "log.h"
#include "num.h"
#include "users.h"

#define RECOVERY_FILE "bench-recovery.txt"

double
bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double
bench_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
bench_compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
bench_count_reports(struct installation *inst, int64_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(inst->db, &st, "SELECT count(*) FROM reports") == 0 &&
	    stmt_step(st) == DB_ROW) {
		*n = stmt_int(st, 0);
		ret = 0;
	}
	stmt_finalize(st);
	return ret;
}

int
bench_create(const char *dir)
{
	struct install_result res;
	char path[4096];
	FILE *fp;

	if (install_exists(dir))
		return 0;
	if (install_create(dir, "admin", &PWHASH_FAST, &res) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/" RECOVERY_FILE, dir);
	fp = fopen(path, "w");
	if (!fp || fprintf(fp, "%s\n", res.recovery_key) < 0 ||
	    fclose(fp) != 0)
		return -1;
	return 0;
}

int
bench_recovery(const char *dir, struct secret **sk,
               uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	char path[4096], text[RECOVERY_TEXT_LEN + 2];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/" RECOVERY_FILE, dir);
	fp = fopen(path, "r");
	if (!fp || !fgets(text, sizeof(text), fp)) {
		fprintf(stderr, "no %s: fill first\n", path);
		if (fp)
			fclose(fp);
		return -1;
	}
	fclose(fp);
	text[strcspn(text, "\n")] = '\0';
	return recovery_parse(text, sk, pk);
}

int
bench_main(int argc, char **argv, const char *name, long runs,
           int (*fill)(const char *dir, int64_t n),
           int (*run)(const char *dir, int runs))
{
	long n;

	log_set_level(LOG_WARN);
	if (crypto_init() < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "fill") == 0 &&
	    num_parse(argv[3], 1, 1000000000, &n) == 0)
		return fill(argv[2], n);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0) {
		if (argc == 4 &&
		    num_parse(argv[3], 1, BENCH_RUNS_MAX, &runs) < 0) {
			fprintf(stderr, "RUNS: 1 to %d\n", BENCH_RUNS_MAX);
			return 2;
		}
		return run(argv[2], (int)runs);
	}
	fprintf(stderr, "usage: %s fill DIR N | run DIR [RUNS]\n", name);
	return 2;
}
