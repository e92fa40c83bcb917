/*
 * loadgen.c - a small HTTP/1.1 load generator for bench/run.
 *
 *   loadgen PORT PATH SECONDS CONNECTIONS
 *
 * Each connection is a thread with one keep-alive socket to 127.0.0.1:PORT
 * that POSTs the same multipart signal (the questions of
 * schema/forms/signal.ini) again and again, waits for the whole answer and
 * times it. A 200 answer counts as one durable submission: both servers
 * answer only after the insert is committed. Prints one line:
 *
 *   ok=N errors=N seconds=S rps=R p50_ms=A p99_ms=B connections=C
 *
 * connections counts TCP connections opened: equal to CONNECTIONS when
 * keep-alive held, more when the server closed connections. Meldpunt
 * limits submissions per client address and minute (at most 1000), so
 * each connection comes from its own loopback address (127.S.G.N, S from
 * $LOADGEN_NET, default 1: bench/run gives each run its own) and,
 * after ROTATE_AFTER answers, moves on to a fresh one; those planned
 * reconnections are counted apart (rotations=) and are not keep-alive
 * failures.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <stdint.h>
#include <unistd.h>

#include <arpa/inet.h>

#define MAX_CONNS 256
#define MAX_SAMPLES 2000000
#define ROTATE_AFTER 900	/* answers per source address, under 1000/min */

static unsigned short port;
static unsigned net = 1;
static const char *path;
static double deadline;
static char request[4096];
static size_t request_len;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double *samples;
static size_t nsamples;
static unsigned long errors, opened, rotations;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
open_conn(unsigned id, unsigned gen)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000000u | ((net & 0xff) << 16) | ((gen & 0xff) << 8) | (id + 1));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	pthread_mutex_lock(&lock);
	opened++;
	pthread_mutex_unlock(&lock);
	return fd;
}

/*
 * Send the request and read one whole answer (Content-Length bodies).
 * Returns the status, or -1 when the connection broke; *keep is 0 when
 * the server said it will close.
 */
static int
exchange(int fd, int *keep)
{
	char buf[65536];
	size_t have = 0, off = 0, need;
	char *end, *cl;
	int status;

	while (off < request_len) {
		ssize_t w = send(fd, request + off, request_len - off, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);

		if (r <= 0)
			return -1;
		have += (size_t)r;
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end)
			break;
		if (have == sizeof(buf) - 1)
			return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*end = '\0';
	cl = strcasestr(buf, "\r\nContent-Length:");
	*keep = strcasestr(buf, "\r\nConnection: close") == NULL;
	if (!cl)
		return -1;
	need = (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10);
	/* Read the rest of the body, discarding it. */
	while (have < need) {
		size_t want = need - have < sizeof(buf) ? need - have : sizeof(buf);
		ssize_t r = recv(fd, buf, want, 0);

		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
	return status;
}

static void *
worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg, gen = 0, answered = 0;
	int fd = -1;

	while (now() < deadline) {
		double t0;
		int keep = 1, status;

		if (fd >= 0 && answered >= ROTATE_AFTER) {
			close(fd);
			fd = -1;
			gen++;
			answered = 0;
			pthread_mutex_lock(&lock);
			rotations++;
			pthread_mutex_unlock(&lock);
		}
		t0 = now();
		if (fd < 0 && (fd = open_conn(id, gen)) < 0) {
			usleep(10000);
			continue;
		}
		status = exchange(fd, &keep);
		answered++;
		pthread_mutex_lock(&lock);
		if (status == 200 && nsamples < MAX_SAMPLES)
			samples[nsamples++] = (now() - t0) * 1000.0;
		else if (status != 200)
			errors++;
		pthread_mutex_unlock(&lock);
		if (status < 0 || !keep) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A whole decimal argument within [min, max] (atoi is banned). 0 or -1. */
static int
arg_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const char body_fmt[] =
		"--BENCHBOUNDARY\r\nContent-Disposition: form-data; name=\"phenomenon\"\r\n\r\ndrugs\r\n"
		"--BENCHBOUNDARY\r\nContent-Disposition: form-data; name=\"location\"\r\n\r\nDorpsstraat 12, Purmerend\r\n"
		"--BENCHBOUNDARY\r\nContent-Disposition: form-data; name=\"observation\"\r\n\r\n"
		"Elke nacht een busje met afgeplakte ramen; het stinkt naar hennep.\r\n"
		"--BENCHBOUNDARY\r\nContent-Disposition: form-data; name=\"identity\"\r\n\r\nanonymous\r\n"
		"--BENCHBOUNDARY--\r\n";
	pthread_t threads[MAX_CONNS];
	double seconds, start, elapsed;
	char *end;
	long v;
	int conns, i, n;

	if (argc != 5) {
		fprintf(stderr, "usage: loadgen PORT PATH SECONDS CONNECTIONS\n");
		return 2;
	}
	path = argv[2];
	errno = 0;
	seconds = strtod(argv[3], &end);
	if (arg_long(argv[1], 1, 65535, &v) < 0)
		return 2;
	port = (unsigned short)v;
	if (errno || end == argv[3] || *end || !(seconds > 0) ||
	    arg_long(argv[4], 1, MAX_CONNS, &v) < 0)
		return 2;
	conns = (int)v;
	if (getenv("LOADGEN_NET")) {
		if (arg_long(getenv("LOADGEN_NET"), 0, 255, &v) < 0)
			return 2;
		net = (unsigned)v;
	}
	n = snprintf(request, sizeof(request),
	             "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
	             "User-Agent: meldpunt-bench/1\r\n"
	             "Content-Type: multipart/form-data; boundary=BENCHBOUNDARY\r\n"
	             "Content-Length: %zu\r\n\r\n%s",
	             path, port, sizeof(body_fmt) - 1, body_fmt);
	if (n < 0 || (size_t)n >= sizeof(request))
		return 2;
	request_len = (size_t)n;
	samples = malloc(MAX_SAMPLES * sizeof(*samples));
	if (!samples)
		return 1;
	start = now();
	deadline = start + seconds;
	for (i = 0; i < conns; i++)
		pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i);
	for (i = 0; i < conns; i++)
		pthread_join(threads[i], NULL);
	elapsed = now() - start;
	qsort(samples, nsamples, sizeof(*samples), cmp);
	printf("ok=%zu errors=%lu seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f "
	       "connections=%lu rotations=%lu\n", nsamples, errors, elapsed,
	       (double)nsamples / elapsed,
	       nsamples ? samples[nsamples / 2] : 0.0,
	       nsamples ? samples[(nsamples * 99) / 100] : 0.0, opened, rotations);
	free(samples);
	return 0;
}
