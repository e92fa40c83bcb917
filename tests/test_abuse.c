/*
 * test_abuse.c - the server stays up under the attacks of issue 16 (point
 * 6), against the real server on 127.0.0.1 with its default limits and
 * the real Argon2id cost, while a reporter on 127.0.0.2 files reports:
 *
 *   logins   150 threads sending wrong logins in parallel, again and again;
 *   slow     256 connections from one address sending a header byte a
 *            second (refused ones dial again);
 *   uploads  30 connections each sending most of a 20 MiB body and then
 *            holding it (refused ones dial again);
 *
 * each in turn and then all together, PHASE seconds each. Every report of
 * the reporter must be answered within 2 s and stored, the server's peak
 * RSS (VmHWM of /proc/PID/status) must stay under 256 MiB, and afterwards
 * the server answers as before.
 *
 * PHASE is 10 s in the suite (the whole test takes about 50 s); set
 * MELDPUNT_ABUSE_SECONDS (1 to 600) for a longer run, e.g. 30 as the
 * issue asks (SECURITY.md quotes such a run). Under AddressSanitizer the
 * RSS bound is not checked (its shadow memory and quarantine of freed
 * blocks add hundreds of MiB); the figure is still printed. Its checks
 * also cost the server two to three times the CPU, so there a reporter's
 * answer may take 5 s instead of 2 (a sanitized run on a loaded machine
 * took 2.8 s); the bound of the real build stays 2 s.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "testutil.h"

#define PHASE_DEFAULT 10
#define RSS_MAX_KIB (256L * 1024)
#define LOGINS 150
#define SLOW 256
#define UPLOADS 30
#define UPLOAD_BYTES (20L * 1024 * 1024)
#define REPORT_GAP_MS 400	/* between two reports of the reporter */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif
#define ANSWER_MAX_S (UNDER_ASAN ? 5.0 : 2.0)

enum { ATTACK_LOGINS = 1, ATTACK_SLOW = 2, ATTACK_UPLOADS = 4 };

struct run {
	const struct test_server *srv;
	volatile int stop_attack, stop_reporter;
	int attacks;			/* ATTACK_* of this phase */
	pthread_mutex_t lock;
	/* The reporter's figures. */
	int filed, stored_ok, failed;
	double slowest;
	/* What the attackers saw (for the printout). */
	long logins_sent, logins_answered, slow_dials, uploads_sent,
	     uploads_refused;
};

/* Socket timeouts, so no attacker blocks past a stop. */
static void
timeouts(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * A connection from the loopback address from, or -1: unlike test_dial it
 * may fail (a full backlog) without failing the test from a thread.
 */
static int
try_dial(const struct test_server *srv, const char *from)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, from, &sin.sin_addr);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto fail;
	sin.sin_port = htons(srv->port);
	if (inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* Send all of len bytes unless the peer is gone or time runs out. */
static int
send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
add(struct run *r, long *counter, long n)
{
	pthread_mutex_lock(&r->lock);
	*counter += n;
	pthread_mutex_unlock(&r->lock);
}

/* ---- the legitimate reporter, on 127.0.0.2 ---- */

/* File report n from 127.0.0.2 and count it: 1 when it was stored. */
static int
file_one(struct run *r, int n)
{
	struct buf req = BUF_INIT, body = BUF_INIT, got = BUF_INIT;
	double start, took;
	int fd, closed, ok = 0;

	buf_addf(&body, "phenomenon=drugs&location=Havenstraat+%d"
	         "&identity=anonymous&observation=Melding+%d+tijdens+de+aanval",
	         n, n);
	buf_addf(&req, "POST /melden/signaal HTTP/1.1\r\n"
	         "Host: 127.0.0.1\r\nConnection: close\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: %zu\r\n\r\n%s", body.len, body.data);
	start = test_seconds();
	fd = try_dial(r->srv, "127.0.0.2");
	if (fd >= 0) {
		timeouts(fd, 10000);
		if (send_all(fd, req.data, req.len) == 0)
			test_hear(fd, &got, 10000, 0, &closed);
		close(fd);
	}
	took = test_seconds() - start;
	ok = got.data && strncmp(got.data, "HTTP/1.1 200", 12) == 0 &&
	     strstr(got.data, "id=\"receipt\"");
	pthread_mutex_lock(&r->lock);
	r->filed++;
	if (ok)
		r->stored_ok++;
	else
		r->failed++;
	if (took > r->slowest)
		r->slowest = took;
	pthread_mutex_unlock(&r->lock);
	if (!ok)
		print_message("reporter: report %d answered '%.40s' after "
		              "%.2f s\n", n, got.data ? got.data : "(nothing)",
		              took);
	buf_release(&req);
	buf_release(&body);
	buf_release(&got);
	return ok;
}

static void *
reporter(void *arg)
{
	struct run *r = arg;
	int n = 0;

	while (!r->stop_reporter) {
		file_one(r, n++);
		usleep(REPORT_GAP_MS * 1000);
	}
	return NULL;
}

/* ---- 150 parallel wrong logins ---- */

struct login_arg {
	struct run *r;
	int n;
};

static void *
wrong_logins(void *arg)
{
	struct login_arg *a = arg;
	struct run *r = a->r;
	struct buf req = BUF_INIT, got = BUF_INIT, body = BUF_INIT;
	int round = 0;

	while (!r->stop_attack) {
		int fd, closed;

		if (!(r->attacks & ATTACK_LOGINS)) {
			usleep(100000);
			continue;
		}
		/* Names of no account: the server hashes a dummy as dearly. */
		buf_reset(&body);
		buf_addf(&body, "username=flood%d-%d&password=wrongwrongwrong",
		         a->n, round++);
		buf_reset(&req);
		buf_addf(&req, "POST /beheer/inloggen HTTP/1.1\r\n"
		         "Host: 127.0.0.1\r\nConnection: close\r\n"
		         "Content-Type: application/x-www-form-urlencoded\r\n"
		         "Content-Length: %zu\r\n\r\n%s", body.len, body.data);
		buf_reset(&got);
		fd = try_dial(r->srv, "127.0.0.1");
		if (fd < 0) {
			usleep(20000);
			continue;
		}
		timeouts(fd, 2000);
		if (send_all(fd, req.data, req.len) == 0) {
			add(r, &r->logins_sent, 1);
			test_hear(fd, &got, 5000, 1, &closed);
			if (got.len)
				add(r, &r->logins_answered, 1);
		}
		close(fd);
		/* Turned away at the door: a breath before the next try. */
		if (!got.len)
			usleep(20000);
	}
	buf_release(&req);
	buf_release(&got);
	buf_release(&body);
	return NULL;
}

/* ---- 256 slow connections from one address ---- */

static void *
slow_headers(void *arg)
{
	static const char head[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"X-Slow: ";
	struct run *r = arg;
	int fds[SLOW];
	size_t sent[SLOW];
	int i;

	for (i = 0; i < SLOW; i++)
		fds[i] = -1;
	while (!r->stop_attack) {
		double next = test_seconds() + 1.0;

		for (i = 0; i < SLOW; i++) {
			char c;

			if (!(r->attacks & ATTACK_SLOW)) {
				if (fds[i] >= 0)
					close(fds[i]);
				fds[i] = -1;
				continue;
			}
			if (fds[i] < 0) {
				fds[i] = try_dial(r->srv, "127.0.0.1");
				if (fds[i] < 0)
					continue;
				timeouts(fds[i], 100);
				sent[i] = 0;
				add(r, &r->slow_dials, 1);
			}
			/* The request line at once, then a byte a second. */
			c = sent[i] < sizeof(head) - 1 ? head[sent[i]] : 'x';
			if (send(fds[i], &c, 1, MSG_NOSIGNAL) != 1) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			sent[i]++;
		}
		while (!r->stop_attack && test_seconds() < next)
			usleep(50000);
	}
	for (i = 0; i < SLOW; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return NULL;
}

/* ---- 30 held 20 MiB uploads ---- */

static void *
held_upload(void *arg)
{
	struct run *r = arg;
	struct buf head = BUF_INIT, got = BUF_INIT;
	char *chunk = malloc(64 * 1024);

	assert_non_null(chunk);
	memset(chunk, 'A', 64 * 1024);
	buf_addf(&head, "POST /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: %ld\r\n\r\nobservation=", UPLOAD_BYTES);
	while (!r->stop_attack) {
		long left = UPLOAD_BYTES - 12 - 1;	/* all but the last byte */
		int fd, closed = 0;

		if (!(r->attacks & ATTACK_UPLOADS)) {
			usleep(100000);
			continue;
		}
		fd = try_dial(r->srv, "127.0.0.1");
		if (fd < 0) {
			usleep(100000);
			continue;
		}
		timeouts(fd, 1000);
		if (send_all(fd, head.data, head.len) == 0)
			while (left > 0 && !r->stop_attack) {
				size_t n = left > 64 * 1024 ? 64 * 1024
				                            : (size_t)left;

				if (send_all(fd, chunk, n) < 0)
					break;
				left -= (long)n;
			}
		if (left == 0) {
			add(r, &r->uploads_sent, 1);
			/* Hold it: nothing more until the server lets go. */
			while (!r->stop_attack && !closed &&
			       (r->attacks & ATTACK_UPLOADS))
				test_hear(fd, &got, 500, 0, &closed);
		} else {
			add(r, &r->uploads_refused, 1);
			usleep(100000);
		}
		close(fd);
	}
	buf_release(&head);
	buf_release(&got);
	free(chunk);
	return NULL;
}

static int
phase_seconds(void)
{
	const char *v = getenv("MELDPUNT_ABUSE_SECONDS");
	long n = v ? strtol(v, NULL, 10) : PHASE_DEFAULT;

	return n >= 1 && n <= 600 ? (int)n : PHASE_DEFAULT;
}

static void
run_phase(struct run *r, const char *name, int attacks, int seconds)
{
	double start = test_seconds();
	long rss;

	r->attacks = attacks;
	while (test_seconds() - start < seconds)
		usleep(100000);
	r->attacks = 0;
	rss = test_peak_rss_kib(r->srv->pid);
	pthread_mutex_lock(&r->lock);
	print_message("phase %-9s %3d s: %d reports filed, %d stored, slowest "
	              "answer %.2f s; peak RSS %ld MiB; logins sent %ld "
	              "(answered %ld), slow dials %ld, uploads held %ld "
	              "(refused %ld)\n", name, seconds, r->filed,
	              r->stored_ok, r->slowest, rss / 1024, r->logins_sent,
	              r->logins_answered, r->slow_dials, r->uploads_sent,
	              r->uploads_refused);
	pthread_mutex_unlock(&r->lock);
	if (!UNDER_ASAN)
		assert_true(rss < RSS_MAX_KIB);
	/* The attackers let go before the next phase. */
	sleep(2);
}

static void
test_attacks(void **state)
{
	struct run r;
	struct test_server srv;
	struct login_arg la[LOGINS];
	pthread_t rep, slow, logins[LOGINS], uploads[UPLOADS];
	struct buf path = BUF_INIT, got = BUF_INIT;
	char *dir = test_tmpdir("abuse");
	int seconds = phase_seconds(), i, fd, closed;
	struct test_init ti;
	FILE *fp;

	(void)state;
	test_init(dir, &ti);
	/* The default limits, but the reporter may file more than 10 a
	 * minute: this test is about staying up, not that limit. */
	buf_addf(&path, "%s/abuse.ini", dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs("[limits]\nsubmissions = 1000\n", fp);
	assert_int_equal(fclose(fp), 0);
	/* The real Argon2id cost, as in production. */
	unsetenv("MELDPUNT_PWHASH");
	assert_int_equal(test_server_start_config(&srv, dir, path.data), 0);

	memset(&r, 0, sizeof(r));
	r.srv = &srv;
	pthread_mutex_init(&r.lock, NULL);
	assert_int_equal(pthread_create(&rep, NULL, reporter, &r), 0);
	assert_int_equal(pthread_create(&slow, NULL, slow_headers, &r), 0);
	for (i = 0; i < LOGINS; i++) {
		la[i].r = &r;
		la[i].n = i;
		assert_int_equal(pthread_create(&logins[i], NULL, wrong_logins,
		                                &la[i]), 0);
	}
	for (i = 0; i < UPLOADS; i++)
		assert_int_equal(pthread_create(&uploads[i], NULL, held_upload,
		                                &r), 0);

	run_phase(&r, "logins", ATTACK_LOGINS, seconds);
	run_phase(&r, "slow", ATTACK_SLOW, seconds);
	run_phase(&r, "uploads", ATTACK_UPLOADS, seconds);
	run_phase(&r, "together", ATTACK_LOGINS | ATTACK_SLOW | ATTACK_UPLOADS,
	          seconds);

	r.stop_attack = 1;
	for (i = 0; i < LOGINS; i++)
		pthread_join(logins[i], NULL);
	for (i = 0; i < UPLOADS; i++)
		pthread_join(uploads[i], NULL);
	pthread_join(slow, NULL);
	r.stop_reporter = 1;
	pthread_join(rep, NULL);

	/* Every report answered in time, and stored. */
	assert_true(r.filed >= 4 * seconds);
	assert_int_equal(r.failed, 0);
	assert_true(r.slowest <= ANSWER_MAX_S);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM reports"),
	                 r.stored_ok);

	/* And the server serves as before: from the attack's own address
	 * too, pages, a report and a login attempt (hashed: 401). */
	fd = test_dial(&srv, "127.0.0.1");
	test_say(fd, "GET /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Connection: close\r\n\r\n");
	test_hear(fd, &got, 5000, 1, &closed);
	close(fd);
	assert_non_null(strstr(got.data, "HTTP/1.1 200"));
	r.slowest = 0;
	assert_int_equal(file_one(&r, 100000), 1);
	assert_true(r.slowest <= ANSWER_MAX_S);
	fd = test_dial(&srv, "127.0.0.2");
	test_say(fd, "POST /beheer/inloggen HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Connection: close\r\nContent-Type: "
	         "application/x-www-form-urlencoded\r\nContent-Length: 35\r\n"
	         "\r\nusername=admin&password=not-the-one");
	test_hear(fd, &got, 10000, 1, &closed);
	close(fd);
	if (!got.data || !strstr(got.data, "HTTP/1.1 401"))
		fail_msg("a wrong login after the attacks: '%.60s'",
		         got.data ? got.data : "(nothing)");

	assert_int_equal(test_server_stop(&srv), 0);
	pthread_mutex_destroy(&r.lock);
	test_rmtree(dir);
	free(dir);
	buf_release(&path);
	buf_release(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attacks),
	};

	return cmocka_run_group_tests_name("abuse", tests, NULL, NULL);
}
