/*
 * test_crash.c - no acknowledged report is lost when the server dies.
 *
 * Several client threads send signals to the real server on 127.0.0.1
 * while the test kills it with SIGKILL at random moments and restarts it,
 * a few times, in turn with a thread per connection and with a pool. A submission counts as acknowledged only when its whole
 * receipt page arrived with status 200: that is the moment the reporter
 * believes the report is in. Afterwards every acknowledged receipt must
 * open its own report on /status, the database must pass
 * PRAGMA integrity_check, and `meldpunt audit-verify` must pass.
 *
 * Bounded: CRASH_KILLS kills, each after at most CRASH_RUN_MS of load, and
 * every HTTP request has a timeout; the whole test takes well under 60 s.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "testutil.h"

#define CRASH_CLIENTS 4
#define CRASH_KILLS 4
#define CRASH_RUN_MS 3000	/* load before a kill: 500 ms up to this */
#define CRASH_MAX 4000		/* acknowledged receipts kept, at most */
/* Look-ups per server start: under the raised receipt_attempts limit. */
#define CRASH_CHECKS_PER_START 900

struct ack {
	char receipt[32];
	char marker[48];	/* unique text in the report, to find it back */
};

struct load {
	pthread_mutex_t lock;
	uint16_t port;		/* 0 while the server is down */
	int stop;
	struct ack *acks;
	size_t nacks;
	size_t sent, failed;	/* attempts, and those not acknowledged */
};

struct client {
	struct load *load;
	int id;
};

static size_t
collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/* The receipt on a complete receipt page, or -1. */
static int
receipt_of(const struct buf *page, char out[32])
{
	const char *p = strstr(page->data, "id=\"receipt\">");
	size_t n;

	if (!p || !strstr(page->data, "</html>"))
		return -1;
	p += strlen("id=\"receipt\">");
	n = strcspn(p, "<");
	if (n != 19)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static void *
client_run(void *arg)
{
	struct client *cl = arg;
	struct load *l = cl->load;
	CURL *c = curl_easy_init();
	unsigned seq = 0;

	assert_non_null(c);
	for (;;) {
		struct buf url = BUF_INIT, page = BUF_INIT;
		char marker[48];
		curl_mime *mime;
		curl_mimepart *part;
		uint16_t port;
		long status = 0;
		CURLcode rc;
		int stop;

		pthread_mutex_lock(&l->lock);
		port = l->port;
		stop = l->stop;
		pthread_mutex_unlock(&l->lock);
		if (stop)
			break;
		if (!port) {
			usleep(20000);
			continue;
		}
		snprintf(marker, sizeof(marker), "Crashstraat %d-%u", cl->id, seq++);
		mime = curl_mime_init(c);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "phenomenon");
		curl_mime_data(part, "drugs", CURL_ZERO_TERMINATED);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "location");
		curl_mime_data(part, marker, CURL_ZERO_TERMINATED);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "observation");
		curl_mime_data(part, "Busje met afgeplakte ramen, elke nacht.",
		               CURL_ZERO_TERMINATED);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "identity");
		curl_mime_data(part, "anonymous", CURL_ZERO_TERMINATED);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, "files");
		curl_mime_data(part, "PNGDATA-crash", CURL_ZERO_TERMINATED);
		curl_mime_filename(part, "foto.png");
		curl_mime_type(part, "image/png");
		buf_addf(&url, "http://127.0.0.1:%u/melden/signaal", port);
		curl_easy_setopt(c, CURLOPT_URL, url.data);
		curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "meldpunt-test-agent/1");
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &page);
		rc = curl_easy_perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		pthread_mutex_lock(&l->lock);
		l->sent++;
		if (rc == CURLE_OK && status == 200 && l->nacks < CRASH_MAX &&
		    receipt_of(&page, l->acks[l->nacks].receipt) == 0) {
			snprintf(l->acks[l->nacks].marker, sizeof(marker), "%s",
			         marker);
			l->nacks++;
		} else {
			l->failed++;
		}
		pthread_mutex_unlock(&l->lock);
		curl_mime_free(mime);
		buf_release(&url);
		buf_release(&page);
		if (rc != CURLE_OK)
			usleep(20000);	/* the server is down: do not spin */
	}
	curl_easy_cleanup(c);
	return NULL;
}

static void
set_port(struct load *l, uint16_t port)
{
	pthread_mutex_lock(&l->lock);
	l->port = port;
	pthread_mutex_unlock(&l->lock);
}

/*
 * The configuration of start k: one client (127.0.0.1) sends everything,
 * so its limits are lifted; even starts run the default thread per
 * connection, odd ones a pool of threads, so both are killed under load.
 */
static void
write_config(const char *path, int k)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "[limits]\nsubmissions = 1000\nreceipt_attempts = 1000\n"
	        "threads = %d\n", k % 2 ? 4 : 0);
	assert_int_equal(fclose(f), 0);
}

static void
check_integrity(const char *dir)
{
	struct buf path = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *db;

	buf_addf(&path, "%s/meldpunt.db", dir);
	assert_int_equal(sqlite3_open_v2(path.data, &db, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	                                    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	buf_release(&path);
}

static void
test_kill_under_load(void **state)
{
	const char *init[] = { "--data", NULL, "init", NULL };
	const char *verify[] = { "--data", NULL, "audit-verify", NULL };
	struct buf out = BUF_INIT, err = BUF_INIT, config = BUF_INIT;
	struct client clients[CRASH_CLIENTS];
	pthread_t threads[CRASH_CLIENTS];
	struct test_server srv;
	struct load l;
	char *dir = test_tmpdir("crash");
	size_t i, checked = 0;
	int k;

	(void)state;
	memset(&l, 0, sizeof(l));
	pthread_mutex_init(&l.lock, NULL);
	l.acks = calloc(CRASH_MAX, sizeof(*l.acks));
	assert_non_null(l.acks);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	init[1] = dir;
	verify[1] = dir;
	assert_int_equal(test_run(&out, &err, init), 0);
	buf_addf(&config, "%s/crash.ini", dir);
	write_config(config.data, 0);
	assert_int_equal(test_server_start_config(&srv, dir, config.data), 0);
	set_port(&l, srv.port);

	for (i = 0; i < CRASH_CLIENTS; i++) {
		clients[i].load = &l;
		clients[i].id = (int)i;
		assert_int_equal(pthread_create(&threads[i], NULL, client_run,
		                                &clients[i]), 0);
	}
	for (k = 0; k < CRASH_KILLS; k++) {
		int status;

		usleep((useconds_t)(500 + rand() % (CRASH_RUN_MS - 500)) * 1000);
		/* No warning, no flush: as a power cut or the OOM killer. */
		assert_int_equal(kill(srv.pid, SIGKILL), 0);
		set_port(&l, 0);
		status = test_server_stop(&srv);
		assert_int_equal(status, 128 + SIGKILL);
		write_config(config.data, k + 1);
		assert_int_equal(test_server_start_config(&srv, dir, config.data),
		                 0);
		set_port(&l, srv.port);
	}
	usleep(500000);
	pthread_mutex_lock(&l.lock);
	l.stop = 1;
	pthread_mutex_unlock(&l.lock);
	for (i = 0; i < CRASH_CLIENTS; i++)
		pthread_join(threads[i], NULL);
	print_message("crash: %zu submissions sent, %zu acknowledged, %d kills\n",
	              l.sent, l.nacks, CRASH_KILLS);
	/* The load must have gone on between the kills, or this proves little. */
	assert_true(l.nacks >= (size_t)CRASH_KILLS);

	/* Every acknowledged receipt opens its own report. */
	for (i = 0; i < l.nacks; i++) {
		struct buf body = BUF_INIT, post = BUF_INIT;
		long status = 0;

		if (checked == CRASH_CHECKS_PER_START) {
			/* A fresh start resets the per-client look-up count. */
			assert_int_equal(test_server_stop(&srv), 0);
			assert_int_equal(test_server_start_config(&srv, dir,
			                                          config.data), 0);
			checked = 0;
		}
		buf_addf(&post, "receipt=%s", l.acks[i].receipt);
		assert_int_equal(test_http(&srv, "POST", "/status", post.data,
		                           &status, NULL, &body), 0);
		checked++;
		if (status != 200 || !strstr(body.data, l.acks[i].marker))
			fail_msg("acknowledged receipt %s (%s) does not open its "
			         "report: status %ld", l.acks[i].receipt,
			         l.acks[i].marker, status);
		buf_release(&body);
		buf_release(&post);
	}
	assert_int_equal(test_server_stop(&srv), 0);

	check_integrity(dir);
	buf_reset(&out);
	buf_reset(&err);
	if (test_run(&out, &err, verify) != 0)
		fail_msg("audit-verify: %s%s", out.data, err.data);

	free(l.acks);
	pthread_mutex_destroy(&l.lock);
	buf_release(&out);
	buf_release(&err);
	buf_release(&config);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_under_load),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
