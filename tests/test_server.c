/*
 * test_server.c - the real server on 127.0.0.1: health page, security
 * headers on every response, 404/405, no client address or user agent in
 * its log, clean stop on SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "testutil.h"

struct fixture {
	char *dir;
	struct test_server srv;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = test_tmpdir("server");
	test_init(f->dir, NULL);
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);
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

static void
assert_security_headers(const struct buf *h)
{
	static const char *const want[] = {
		"Content-Security-Policy: default-src 'none';",
		"frame-ancestors 'none'",
		"Referrer-Policy: no-referrer",
		"X-Content-Type-Options: nosniff",
		"Cache-Control: no-store",
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_non_null(strstr(h->data, want[i]));
	assert_null(strstr(h->data, "'unsafe-inline'"));
}

static void
test_health(void **state)
{
	struct fixture *f = *state;
	struct buf h = BUF_INIT, body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "GET", "/health", NULL, &status, &h,
	                           &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "\"status\":\"ok\""));
	assert_non_null(strstr(body.data, "\"schema\":"));
	assert_non_null(strstr(h.data, "Content-Type: application/json"));
	assert_security_headers(&h);
	buf_release(&h);
	buf_release(&body);

	assert_int_equal(test_http(&f->srv, "HEAD", "/health", NULL, &status,
	                           NULL, NULL), 0);
	assert_int_equal(status, 200);
}

static void
test_errors_have_headers(void **state)
{
	struct fixture *f = *state;
	struct buf h = BUF_INIT, body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "GET", "/no/such/page", NULL, &status,
	                           &h, &body), 0);
	assert_int_equal(status, 404);
	assert_security_headers(&h);
	assert_non_null(strstr(body.data, "<html lang=\"nl\""));
	buf_reset(&h);
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "GET",
	                 "/%3Cscript%3Ealert(1)%3C/script%3E", NULL, &status,
	                 &h, &body), 0);
	assert_int_equal(status, 404);
	assert_null(strstr(body.data, "<script>"));
	buf_reset(&h);
	assert_int_equal(test_http(&f->srv, "DELETE", "/health", NULL, &status,
	                           &h, NULL), 0);
	assert_int_equal(status, 405);
	assert_security_headers(&h);
	buf_release(&h);
	buf_release(&body);
}

static void
test_home(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "GET", "/", NULL, &status, NULL,
	                           &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "<html lang=\"nl\""));
	buf_release(&body);
}

static void
test_log_has_no_client_trace(void **state)
{
	struct fixture *f = *state;
	struct buf log = BUF_INIT;
	long status;
	char *path;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(test_http(&f->srv, "GET", "/health", NULL,
		                           &status, NULL, NULL), 0);
	path = strdup(f->srv.log_path);
	assert_int_equal(test_server_stop(&f->srv), 0);
	assert_int_equal(test_read_file(path, &log), 0);
	/* The server did log (start and stop), but nothing of the client,
	 * and a default start and stop give an operator no warning. */
	assert_non_null(strstr(log.data, "stopping"));
	assert_null(strstr(log.data, "warning"));
	assert_null(strstr(log.data, "127.0.0.1"));
	assert_null(strstr(log.data, "meldpunt-test-agent"));
	free(path);
	buf_release(&log);
}

static void
test_port_in_use(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT;
	char port[8];
	const char *argv[] = { "--data", f->dir, "serve", "--port", port, NULL };

	snprintf(port, sizeof(port), "%u", f->srv.port);
	assert_int_equal(test_run(&out, &err, argv), 1);
	assert_non_null(strstr(err.data, "cannot listen"));
	buf_release(&out);
	buf_release(&err);
}

static void
test_redact(void **state)
{
	char out[256];

	(void)state;
	server_redact(out, sizeof(out), "Error accepting connection from "
	              "192.168.1.20:5555 now");
	assert_string_equal(out, "Error accepting connection from [address] now");
	server_redact(out, sizeof(out), "peer 2001:db8::7 and ::1 left");
	assert_string_equal(out, "peer [address] and [address] left");
	server_redact(out, sizeof(out), "at 12:30 read 1024 bytes, code 3.2");
	assert_string_equal(out, "at 12:30 read 1024 bytes, code 3.2");
	server_redact(out, 8, "192.168.1.20");
	assert_true(strlen(out) < 8);
	assert_null(strstr(out, "192"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_health, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_have_headers, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_has_no_client_trace, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_port_in_use, setup, teardown),
		cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
