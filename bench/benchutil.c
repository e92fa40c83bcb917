/*
 * benchutil.c - what the benchmark programs share (see benchutil.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "db.h"
#include "install.h"
#include "keyring.h"
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
