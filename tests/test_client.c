/*
 * test_client.c - who a request comes from (web/client.c, issue 16 point
 * 4): IPv4 whole, IPv4-mapped IPv6 as IPv4, IPv6 per /64; the list of
 * trusted proxies; then the real server with [server] trusted_proxy =
 * 127.0.0.1: from it the client is the right-most address of
 * X-Forwarded-For that is not a trusted proxy, for the rate limits and the
 * connections per client alike, while the same header from 127.0.0.2 is
 * ignored; none of the forwarded addresses reaches the log or the
 * database. And cookies are Secure whenever public_url is https.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "client.h"
#include "install.h"
#include "testutil.h"
#include "users.h"

static void
key_of(const char *text, struct client_key *k)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		client_of_sockaddr((struct sockaddr *)&sin, k);
		return;
	}
	assert_int_equal(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
	sin6.sin6_family = AF_INET6;
	client_of_sockaddr((struct sockaddr *)&sin6, k);
}

static int
same(const char *a, const char *b)
{
	struct client_key ka, kb;

	key_of(a, &ka);
	key_of(b, &kb);
	return ka.len == kb.len && memcmp(ka.bytes, kb.bytes, ka.len) == 0;
}

static void
test_keys(void **state)
{
	struct client_key k;

	(void)state;
	key_of("192.0.2.1", &k);
	assert_int_equal(k.len, 4);
	assert_true(same("192.0.2.1", "::ffff:192.0.2.1"));
	assert_false(same("192.0.2.1", "192.0.2.2"));
	/* One /64 is one client; the next /64 another. */
	assert_true(same("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"));
	assert_false(same("2001:db8:1:2::1", "2001:db8:1:3::1"));
	key_of("2001:db8::1", &k);
	assert_int_equal(k.len, 8);
	client_of_sockaddr(NULL, &k);
	assert_int_equal(k.len, 0);
}

static void
test_proxies(void **state)
{
	struct client_proxies p;
	struct sockaddr_in sin;
	struct buf many = BUF_INIT;
	unsigned i;

	(void)state;
	assert_int_equal(client_proxies_parse(&p, ""), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(client_proxies_parse(&p, NULL), 0);
	assert_int_equal(client_proxies_parse(&p, " 10.0.0.1, ::1 ,"
	                                         "::ffff:10.0.0.2"), 0);
	assert_int_equal(p.n, 3);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.0.2", &sin.sin_addr);
	assert_true(client_is_proxy(&p, (struct sockaddr *)&sin));
	inet_pton(AF_INET, "10.0.0.3", &sin.sin_addr);
	assert_false(client_is_proxy(&p, (struct sockaddr *)&sin));
	assert_false(client_is_proxy(NULL, (struct sockaddr *)&sin));
	assert_int_equal(client_proxies_parse(&p, "10.0.0.1 nginx"), -1);
	assert_int_equal(client_proxies_parse(&p, "10.0.0.0/8"), -1);
	for (i = 0; i <= LIMIT_TRUSTED_PROXIES; i++)
		buf_addf(&many, "10.0.0.%u ", i + 1);
	assert_int_equal(client_proxies_parse(&p, many.data), -1);
	buf_release(&many);
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

	f->dir = test_tmpdir("client");
	test_init(f->dir, &ti);
	buf_addf(&path, "%s/client.ini", f->dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fprintf(fp, "[server]\ntrusted_proxy = 10.9.9.9, 127.0.0.1\n"
	        "[limits]\nreceipt_attempts = 2\nconnections_per_client = 3\n");
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

/* The status of a receipt look-up from `from` with forwarded (or NULL). */
static int
lookup(const struct fixture *f, const char *from, const char *forwarded)
{
	struct buf req = BUF_INIT, got = BUF_INIT;
	int status;

	buf_adds(&req, "POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Connection: close\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: 27\r\n");
	if (forwarded)
		buf_addf(&req, "X-Forwarded-For: %s\r\n", forwarded);
	buf_adds(&req, "\r\nreceipt=AAAA-BBBB-CCCC-DDDD");
	status = test_exchange(&f->srv, from, req.data, &got, 5000);
	buf_release(&req);
	buf_release(&got);
	return status;
}

static void
test_forwarded_rate(void **state)
{
	struct fixture *f = *state;

	/* From the trusted proxy: the forwarded client counts. */
	assert_int_not_equal(lookup(f, "127.0.0.1", "192.0.2.10"), 429);
	assert_int_not_equal(lookup(f, "127.0.0.1", "192.0.2.10"), 429);
	assert_int_equal(lookup(f, "127.0.0.1", "192.0.2.10"), 429);
	/* Another forwarded client has its own count. */
	assert_int_not_equal(lookup(f, "127.0.0.1", "192.0.2.11"), 429);
	/* What the client itself put on the left changes nothing. */
	assert_int_equal(lookup(f, "127.0.0.1", "198.51.100.1, 192.0.2.10"),
	                 429);
	/* Trusted proxies on the right are skipped, in one header or two. */
	assert_int_equal(lookup(f, "127.0.0.1", "192.0.2.10, 10.9.9.9"), 429);
	assert_int_equal(lookup(f, "127.0.0.1",
	                        "192.0.2.10\r\nX-Forwarded-For: 10.9.9.9"), 429);
	assert_int_not_equal(lookup(f, "127.0.0.1", "192.0.2.12, 127.0.0.1"),
	                     429);
	/* No header, or nothing but proxies and garbage: the proxy itself. */
	assert_int_not_equal(lookup(f, "127.0.0.1", NULL), 429);
	assert_int_not_equal(lookup(f, "127.0.0.1", "10.9.9.9"), 429);
	assert_int_equal(lookup(f, "127.0.0.1", "192.0.2.13, unknown"), 429);
	/* From any other peer the header is ignored. */
	assert_int_not_equal(lookup(f, "127.0.0.2", "192.0.2.20"), 429);
	assert_int_not_equal(lookup(f, "127.0.0.2", "192.0.2.21"), 429);
	assert_int_equal(lookup(f, "127.0.0.2", "192.0.2.22"), 429);
}

/* A request held open through the proxy for forwarded client who. */
static int
hold(const struct fixture *f, const char *who)
{
	struct buf req = BUF_INIT;
	int fd;

	buf_addf(&req, "POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "X-Forwarded-For: %s\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: 100\r\n\r\nreceipt=", who);
	fd = test_dial(&f->srv, "127.0.0.1");
	test_say(fd, req.data);
	buf_release(&req);
	return fd;
}

static int
health_from(const struct fixture *f, const char *who)
{
	struct buf req = BUF_INIT, got = BUF_INIT;
	int status;

	buf_addf(&req, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "X-Forwarded-For: %s\r\nConnection: close\r\n\r\n", who);
	status = test_exchange(&f->srv, "127.0.0.1", req.data, &got, 5000);
	buf_release(&req);
	buf_release(&got);
	return status;
}

static void
test_forwarded_connections(void **state)
{
	struct fixture *f = *state;
	int a, b, c, i;

	/* The proxy itself is not held to connections_per_client (3)... */
	a = hold(f, "192.0.2.30");
	b = hold(f, "192.0.2.30");
	c = hold(f, "192.0.2.30");
	usleep(300000);
	/* ...its forwarded clients are. */
	assert_int_equal(health_from(f, "192.0.2.30"), 503);
	assert_int_equal(health_from(f, "192.0.2.31"), 200);
	close(a);
	close(b);
	close(c);
	for (i = 0; i < 50; i++) {
		if (health_from(f, "192.0.2.30") == 200)
			break;
		usleep(100000);
	}
	assert_true(i < 50);
}

static void
test_no_trace(void **state)
{
	struct fixture *f = *state;
	struct buf log = BUF_INIT, path = BUF_INIT, db = BUF_INIT;
	static const char *const files[] = { "meldpunt.db", "meldpunt.db-wal" };
	size_t i;

	/* Read before the stop, which hands the log to the suite's. */
	kill(f->srv.pid, SIGTERM);
	usleep(500000);
	assert_int_equal(test_read_file(f->srv.log_path, &log), 0);
	assert_int_equal(test_server_stop(&f->srv), 0);
	f->srv.pid = 0;
	assert_null(strstr(log.data, "192.0.2."));
	assert_null(strstr(log.data, "198.51.100."));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", f->dir, files[i]);
		buf_reset(&db);
		if (test_read_file(path.data, &db) < 0)
			continue;
		assert_int_equal(test_contains(&db, "192.0.2.", 8), 0);
		assert_int_equal(test_contains(&db, "198.51.100.", 11), 0);
	}
	buf_release(&log);
	buf_release(&path);
	buf_release(&db);
}

/* The Set-Cookie headers of a first login (one-time password). */
static void
login_cookies(const char *config_text, struct buf *cookies)
{
	struct buf path = BUF_INIT, got = BUF_INIT;
	struct installation *inst;
	struct test_server srv;
	struct test_init ti;
	char *dir = test_tmpdir("cookie");
	FILE *fp;
	int fd, closed;
	static const char body[] = "username=coord&password=eenmalig-wachtwoord";

	test_init(dir, &ti);
	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 "eenmalig-wachtwoord", &PWHASH_FAST, NULL, NULL,
	                 NULL), 0);
	assert_int_equal(install_close(inst), 0);
	buf_addf(&path, "%s/cookie.ini", dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(config_text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(test_server_start_config(&srv, dir, path.data), 0);
	fd = test_dial(&srv, "127.0.0.1");
	buf_addf(&got, "POST /beheer/inloggen?lang=en HTTP/1.1\r\n"
	         "Host: 127.0.0.1\r\nConnection: close\r\n"
	         "Content-Type: application/x-www-form-urlencoded\r\n"
	         "Content-Length: %zu\r\n\r\n%s", sizeof(body) - 1, body);
	test_say(fd, got.data);
	test_hear(fd, cookies, 10000, 1, &closed);
	close(fd);
	assert_non_null(strstr(cookies->data, "HTTP/1.1 303"));
	assert_int_equal(test_server_stop(&srv), 0);
	test_rmtree(dir);
	free(dir);
	buf_release(&path);
	buf_release(&got);
}

/* Every Set-Cookie line of head says Secure, or none does. */
static int
all_secure(const struct buf *head, int want)
{
	const char *p = head->data;
	int n = 0;

	while ((p = strstr(p, "Set-Cookie: "))) {
		const char *end = strstr(p, "\r\n");
		int secure = 0;
		const char *q;

		for (q = p; q < end; q++)
			if (strncmp(q, "; Secure", 8) == 0)
				secure = 1;
		if (secure != want)
			return 0;
		n++;
		p = end;
	}
	return n == 2;	/* the session and the language */
}

static void
test_secure_cookies(void **state)
{
	struct buf head = BUF_INIT;

	(void)state;
	/* Plain HTTP on loopback, no https public_url: Secure may go. */
	login_cookies("[server]\npublic_url = http://127.0.0.1\n", &head);
	assert_true(all_secure(&head, 0));
	/* Behind an https proxy: every cookie is Secure. */
	login_cookies("[server]\npublic_url = https://meldpunt.example\n",
	              &head);
	assert_true(all_secure(&head, 1));
	buf_release(&head);
}

int
main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_proxies),
		cmocka_unit_test(test_secure_cookies),
	};
	const struct CMUnitTest server[] = {
		cmocka_unit_test(test_forwarded_rate),
		cmocka_unit_test(test_forwarded_connections),
		cmocka_unit_test(test_no_trace),
	};
	int rc = cmocka_run_group_tests_name("client", unit, NULL, NULL);

	return rc | cmocka_run_group_tests_name("server", server, setup,
	                                        teardown);
}
