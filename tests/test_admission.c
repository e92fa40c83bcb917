/*
 * test_admission.c - what one client may hold of the server (issue 16
 * point 2): core/admission.c on its own (connections and body bytes per
 * key, the global body budget, entries forgotten), then the real server on
 * 127.0.0.1 with small limits: connections_per_client (another address,
 * 127.0.0.2, still gets in), header_timeout (also between kept-alive
 * requests), body_rate_min over body_rate_window, and the body budgets
 * per client and for all (503 with Retry-After before the body is read,
 * or as a body without a declared length grows; given back afterwards).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "admission.h"
#include "testutil.h"

#define PER_CLIENT 4		/* [limits] connections_per_client */
#define HEADER_S 2		/* [limits] header_timeout */
#define WINDOW_S 1		/* [limits] body_rate_window */

static void
test_connections(void **state)
{
	struct admission *a = admission_new(2, 100, 150);
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(admission_may_connect(a, "a", 1), 1);
		assert_int_equal(admission_connect(a, "a", 1), 1);
	}
	assert_int_equal(admission_may_connect(a, "a", 1), 0);
	assert_int_equal(admission_connect(a, "a", 1), 0);
	/* Another key is not affected. */
	assert_int_equal(admission_connect(a, "b", 1), 1);
	/* Counted anyway, then over: two disconnects before room again. */
	admission_connect_anyway(a, "a", 1);
	admission_disconnect(a, "a", 1);
	assert_int_equal(admission_may_connect(a, "a", 1), 0);
	admission_disconnect(a, "a", 1);
	assert_int_equal(admission_may_connect(a, "a", 1), 1);
	/* A disconnect of a key that holds nothing changes nothing. */
	admission_disconnect(a, "c", 1);
	admission_disconnect(a, "a", 1);
	admission_disconnect(a, "a", 1);
	assert_int_equal(admission_connect(a, "a", 1), 1);
	assert_int_equal(admission_connect(a, "a", 1), 1);
	assert_int_equal(admission_connect(a, "a", 1), 0);
	admission_free(a);
}

static void
test_bodies(void **state)
{
	struct admission *a = admission_new(2, 100, 150);

	(void)state;
	assert_int_equal(admission_take(a, "a", 1, 100), 1);
	/* Per client: exactly at the edge, nothing more. */
	assert_int_equal(admission_take(a, "a", 1, 1), 0);
	assert_int_equal(admission_take(a, "b", 1, 50), 1);
	/* All together: 150 held, so b's next byte is refused too. */
	assert_int_equal(admission_body_bytes(a), 150);
	assert_int_equal(admission_take(a, "b", 1, 1), 0);
	assert_int_equal(admission_take(a, "c", 1, 1), 0);
	/* A refused take holds nothing. */
	assert_int_equal(admission_body_bytes(a), 150);
	admission_give(a, "a", 1, 60);
	assert_int_equal(admission_take(a, "c", 1, 60), 1);
	assert_int_equal(admission_take(a, "a", 1, 1), 0);
	/* Giving back more than held is capped at what was held. */
	admission_give(a, "a", 1, 1000);
	admission_give(a, "b", 1, 50);
	admission_give(a, "c", 1, 60);
	assert_int_equal(admission_body_bytes(a), 0);
	assert_int_equal(admission_take(a, "a", 1, 100), 1);
	admission_give(a, "a", 1, 100);
	/* Many keys come and go; the table keeps nothing of them. */
	{
		char key[16];
		int i;

		for (i = 0; i < 5000; i++) {
			snprintf(key, sizeof(key), "k%d", i);
			assert_int_equal(admission_connect(a, key, strlen(key)), 1);
			assert_int_equal(admission_take(a, key, strlen(key), 1), 1);
			admission_give(a, key, strlen(key), 1);
			admission_disconnect(a, key, strlen(key));
		}
	}
	assert_int_equal(admission_body_bytes(a), 0);
	admission_free(a);
}

struct fixture {
	char *dir;
	struct test_server srv;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf path = BUF_INIT;
	struct test_init ti;
	FILE *fp;

	f->dir = test_tmpdir("admission");
	test_init(f->dir, &ti);
	buf_addf(&path, "%s/admission.ini", f->dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fprintf(fp, "[limits]\nconnections_per_client = %d\n"
	        "header_timeout = %d\nconnection_timeout = 30\n"
	        "body_rate_min = 1000\nbody_rate_window = %d\n"
	        "body_max = 64K\nfield_max = 16K\nupload_file_max = 16K\n"
	        "upload_total_max = 32K\n"
	        "body_memory_per_client = 64K\nbody_memory = 100K\n"
	        "submissions = 1000\nreceipt_attempts = 1000\n",
	        PER_CLIENT, HEADER_S, WINDOW_S);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data), 0);
	buf_release(&path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* A kept-alive GET /health on fd answers 200. */
static void
health(int fd)
{
	struct buf got = BUF_INIT;
	int closed;

	test_say(fd, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	test_hear(fd, &got, 5000, 1, &closed);
	assert_non_null(strstr(got.data ? got.data : "", "HTTP/1.1 200"));
	buf_release(&got);
}

static void
test_per_client(void **state)
{
	struct fixture *f = *state;
	struct buf got = BUF_INIT;
	int fds[PER_CLIENT], fd, other, i, closed;

	/* PER_CLIENT kept-alive connections, each known to be taken. */
	for (i = 0; i < PER_CLIENT; i++) {
		fds[i] = test_dial(&f->srv, "127.0.0.1");
		health(fds[i]);
	}
	/* One more from the same address is closed without an answer. */
	fd = test_dial(&f->srv, "127.0.0.1");
	send(fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 33, MSG_NOSIGNAL);
	test_hear(fd, &got, 3000, 1, &closed);
	assert_true(closed);
	assert_int_equal(got.len, 0);
	close(fd);
	/* Another address is another client. */
	other = test_dial(&f->srv, "127.0.0.2");
	health(other);
	close(other);
	/* One closes: there is room again. */
	close(fds[0]);
	for (i = 0; i < 50; i++) {
		fd = test_dial(&f->srv, "127.0.0.1");
		send(fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 33,
		     MSG_NOSIGNAL);
		test_hear(fd, &got, 3000, 1, &closed);
		if (got.len)
			break;
		close(fd);
		usleep(100000);
	}
	assert_non_null(strstr(got.data, "HTTP/1.1 200"));
	close(fd);
	for (i = 1; i < PER_CLIENT; i++)
		close(fds[i]);
	buf_release(&got);
}

/* Seconds until the server closes fd (bounded by limit). */
static double
closes_after(int fd, double limit)
{
	struct buf got = BUF_INIT;
	double start = test_seconds();
	int closed;

	test_hear(fd, &got, (int)(limit * 1000), 0, &closed);
	assert_true(closed);
	buf_release(&got);
	return test_seconds() - start;
}

static void
test_header_timeout(void **state)
{
	struct fixture *f = *state;
	double t;
	int fd;

	/* Half a request line, then silence: header_timeout, not the
	 * connection_timeout of 30 s. */
	fd = test_dial(&f->srv, "127.0.0.5");
	test_say(fd, "GET /heal");
	t = closes_after(fd, HEADER_S + 6);
	assert_true(t >= HEADER_S - 1 && t <= HEADER_S + 4);
	close(fd);
	/* Between two requests of a kept-alive connection too. */
	fd = test_dial(&f->srv, "127.0.0.5");
	health(fd);
	t = closes_after(fd, HEADER_S + 6);
	assert_true(t >= HEADER_S - 1 && t <= HEADER_S + 4);
	close(fd);
}

static const char post_head[] =
	"POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	"Content-Type: application/x-www-form-urlencoded\r\n";

static void
test_body_rate(void **state)
{
	struct fixture *f = *state;
	double start = test_seconds(), t;
	struct buf got = BUF_INIT;
	int fd, closed = 0;

	/* 20 bytes every 0.4 s: never idle, far below 1000 a second. */
	fd = test_dial(&f->srv, "127.0.0.6");
	test_say(fd, post_head);
	test_say(fd, "Content-Length: 20000\r\n\r\n");
	while (test_seconds() - start < WINDOW_S + 10) {
		if (send(fd, "receipt=AAAAAAAAAAAA", 20, MSG_NOSIGNAL) < 0)
			break;
		test_hear(fd, &got, 400, 0, &closed);
		if (closed)
			break;
	}
	t = test_seconds() - start;
	assert_true(closed || errno == EPIPE || errno == ECONNRESET);
	assert_true(t <= 2 * WINDOW_S + 3);
	close(fd);
	/* The same pace from a body that keeps it is read to the end. */
	fd = test_dial(&f->srv, "127.0.0.6");
	test_say(fd, post_head);
	test_say(fd, "Content-Length: 3500\r\n\r\nreceipt=");
	{
		char chunk[700];
		int i;

		memset(chunk, 'A', sizeof(chunk));
		for (i = 0; i < 5; i++) {
			assert_int_equal(send(fd, chunk, i == 4 ? 692 : 700,
			                      MSG_NOSIGNAL), i == 4 ? 692 : 700);
			usleep(500000);
		}
	}
	test_hear(fd, &got, 5000, 1, &closed);
	assert_non_null(strstr(got.data, "HTTP/1.1 "));
	assert_null(strstr(got.data, "HTTP/1.1 503"));
	close(fd);
	buf_release(&got);
}

/* The status line of the answer on fd, within 5 s. */
static void
status_of(int fd, struct buf *got)
{
	int closed;

	test_hear(fd, got, 5000, 1, &closed);
	assert_non_null(got->data);
}

static void
test_body_budget(void **state)
{
	struct fixture *f = *state;
	struct buf got = BUF_INIT;
	int a, b, c, d;

	/* a holds 60K of its client's 64K with a body it has not sent. */
	a = test_dial(&f->srv, "127.0.0.7");
	test_say(a, post_head);
	test_say(a, "Content-Length: 61440\r\n\r\nreceipt=");
	usleep(300000);
	/* The same client's next body does not fit: 503 before reading. */
	b = test_dial(&f->srv, "127.0.0.7");
	test_say(b, post_head);
	test_say(b, "Content-Length: 8192\r\n\r\n");
	status_of(b, &got);
	assert_non_null(strstr(got.data, "HTTP/1.1 503"));
	assert_non_null(strstr(got.data, "Retry-After: 10"));
	close(b);
	/* Another client fits; a third then goes over all clients' 100K. */
	c = test_dial(&f->srv, "127.0.0.8");
	test_say(c, post_head);
	test_say(c, "Content-Length: 40960\r\n\r\nreceipt=");
	usleep(300000);
	d = test_dial(&f->srv, "127.0.0.9");
	test_say(d, post_head);
	test_say(d, "Content-Length: 2048\r\n\r\n");
	status_of(d, &got);
	assert_non_null(strstr(got.data, "HTTP/1.1 503"));
	close(d);
	close(c);
	/* Without a declared length, held as it comes: refused as it grows
	 * past the 4K a has left. */
	b = test_dial(&f->srv, "127.0.0.7");
	test_say(b, post_head);
	test_say(b, "Transfer-Encoding: chunked\r\n\r\n");
	{
		char chunk[8192 + 16];
		int i;

		memcpy(chunk, "2000\r\n", 6);
		memset(chunk + 6, 'A', 8192);
		memcpy(chunk + 6 + 8192, "\r\n", 2);
		/* 32K: more than a has left, less than body_max; the
		 * answer comes when the body ends. */
		for (i = 0; i < 4; i++)
			assert_int_equal(send(b, chunk, 8192 + 8, MSG_NOSIGNAL),
			                 8192 + 8);
		test_say(b, "0\r\n\r\n");
		status_of(b, &got);
		if (!strstr(got.data, "HTTP/1.1 503"))
			fail_msg("chunked: %s", got.data);
	}
	close(b);
	close(a);
	/* Given back when the connections end: the first client fits again. */
	{
		int i, ok = 0;

		for (i = 0; i < 50 && !ok; i++) {
			b = test_dial(&f->srv, "127.0.0.7");
			test_say(b, post_head);
			test_say(b, "Content-Length: 61440\r\n\r\n");
			status_of(b, &got);
			ok = !strstr(got.data, "HTTP/1.1 503");
			close(b);
			if (!ok)
				usleep(100000);
		}
		assert_true(ok);
	}
	buf_release(&got);
}

int
main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_connections),
		cmocka_unit_test(test_bodies),
	};
	const struct CMUnitTest server[] = {
		cmocka_unit_test(test_per_client),
		cmocka_unit_test(test_header_timeout),
		cmocka_unit_test(test_body_rate),
		cmocka_unit_test(test_body_budget),
	};
	int rc = cmocka_run_group_tests_name("admission", unit, NULL, NULL);

	return rc | cmocka_run_group_tests_name("server", server, setup,
	                                        teardown);
}
