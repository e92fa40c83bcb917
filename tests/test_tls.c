/*
 * test_tls.c - HTTPS with a certificate made here (certtool): TLS 1.2 and
 * 1.3 connect, TLS 1.0 and 1.1 are refused (while the same client does
 * reach a GnuTLS server that allows them, so the refusal is the server's),
 * HSTS on every response with TLS and never without; X-Forwarded-For and
 * Forwarded headers leave no trace in the log.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "testutil.h"

struct fixture {
	char *dir;
	struct buf cert, key, conf, log;
	pid_t pid;
	uint16_t port;
};

static int
run_quiet(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Start `meldpunt --config conf serve`; read the port from its first line. */
static void
start_server(struct fixture *f)
{
	struct buf line = BUF_INIT;
	int po[2], logfd;
	time_t until;
	char *p;

	logfd = open(f->log.data, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(logfd >= 0);
	assert_int_equal(pipe(po), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		dup2(po[1], 1);
		dup2(logfd, 2);
		close(po[0]);
		execl(getenv("MELDPUNT_BIN"), "meldpunt", "--config", f->conf.data,
		      "serve", (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(logfd);
	until = time(NULL) + 20;
	while (!strchr(line.data, '\n') && time(NULL) < until) {
		struct pollfd pfd = { po[0], POLLIN, 0 };
		char chunk[256];
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(po[0], chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&line, chunk, (size_t)n);
	}
	close(po[0]);
	p = strstr(line.data, "https://127.0.0.1:");
	if (!p)
		print_error("server said: %s\n", line.data);
	assert_non_null(p);
	f->port = test_port_after(p, "https://127.0.0.1:");
	assert_true(f->port > 0);
	buf_release(&line);
}

/* SIGTERM and wait, bounded; the exit status. */
static int
stop_pid(pid_t *pid)
{
	int status = 0, i;

	if (*pid <= 0)
		return -1;
	kill(*pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(*pid, &status, WNOHANG) == *pid)
			break;
		usleep(100000);
	}
	if (i == 100) {
		kill(*pid, SIGKILL);
		waitpid(*pid, &status, 0);
	}
	*pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct buf data = BUF_INIT, tmpl = BUF_INIT;
	const char *init[] = { "--data", NULL, "init", NULL };

	buf_init(&f->cert);
	buf_init(&f->key);
	buf_init(&f->conf);
	buf_init(&f->log);
	f->dir = test_tmpdir("tls");
	buf_addf(&data, "%s/data", f->dir);
	init[1] = data.data;
	assert_int_equal(test_run(&out, &err, init), 0);

	buf_addf(&f->cert, "%s/cert.pem", f->dir);
	buf_addf(&f->key, "%s/key.pem", f->dir);
	buf_addf(&f->log, "%s/server.log", f->dir);
	buf_addf(&tmpl, "%s/cert.tmpl", f->dir);
	write_file(tmpl.data, "cn = 127.0.0.1\nip_address = 127.0.0.1\n"
	           "expiration_days = 2\ntls_www_server\nsigning_key\n"
	           "encryption_key\n");
	buf_addf(&cmd, "certtool --generate-privkey --key-type=ecdsa "
	         "--outfile %s >/dev/null 2>&1 && certtool "
	         "--generate-self-signed --load-privkey %s --template %s "
	         "--outfile %s >/dev/null 2>&1", f->key.data, f->key.data,
	         tmpl.data, f->cert.data);
	assert_int_equal(run_quiet(cmd.data), 0);

	buf_addf(&f->conf, "%s/meldpunt.ini", f->dir);
	buf_reset(&cmd);
	buf_addf(&cmd, "[server]\nport = 0\nshutdown_grace = 2\n[data]\n"
	         "dir = %s\n[tls]\ncertificate = %s\nkey = %s\n", data.data,
	         f->cert.data, f->key.data);
	write_file(f->conf.data, cmd.data);
	start_server(f);

	buf_release(&cmd);
	buf_release(&out);
	buf_release(&err);
	buf_release(&data);
	buf_release(&tmpl);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->pid)
		stop_pid(&f->pid);
	test_rmtree(f->dir);
	free(f->dir);
	buf_release(&f->cert);
	buf_release(&f->key);
	buf_release(&f->conf);
	buf_release(&f->log);
	free(f);
	return 0;
}

static size_t
collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/*
 * GET url over HTTPS, trusting only cert, with TLS versions [min, max]
 * (CURL_SSLVERSION_*). priorities, when not NULL, is the GnuTLS priority
 * string the client offers. The curl result; headers collected.
 */
static CURLcode
https_get(const char *url, const char *cert, long min, long max,
          const char *priorities, const char *extra_header, struct buf *headers)
{
	struct curl_slist *hl = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	assert_non_null(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, cert);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, min | max);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "meldpunt-tls-agent/1");
	if (priorities)
		curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, priorities);
	if (extra_header) {
		hl = curl_slist_append(hl, extra_header);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	}
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, headers);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return rc;
}

#define OLD_TLS "NORMAL:+VERS-TLS1.1:+VERS-TLS1.0"

static void
test_modern_tls_with_hsts(void **state)
{
	struct fixture *f = *state;
	struct buf url = BUF_INIT, h = BUF_INIT;

	buf_addf(&url, "https://127.0.0.1:%u/health", f->port);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_2,
	                           CURL_SSLVERSION_MAX_TLSv1_2, NULL, NULL, &h),
	                 CURLE_OK);
	assert_non_null(strstr(h.data, "HTTP/1.1 200"));
	assert_non_null(strstr(h.data,
	                       "Strict-Transport-Security: max-age=31536000"));
	assert_non_null(strstr(h.data, "\"status\":\"ok\""));
	buf_reset(&h);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_3,
	                           CURL_SSLVERSION_MAX_TLSv1_3, NULL, NULL, &h),
	                 CURLE_OK);
	assert_non_null(strstr(h.data, "Strict-Transport-Security: max-age="));

	/* Error pages too. */
	buf_reset(&url);
	buf_reset(&h);
	buf_addf(&url, "https://127.0.0.1:%u/no/such/page", f->port);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_2,
	                           CURL_SSLVERSION_MAX_DEFAULT, NULL, NULL, &h),
	                 CURLE_OK);
	assert_non_null(strstr(h.data, "HTTP/1.1 404"));
	assert_non_null(strstr(h.data, "Strict-Transport-Security: max-age="));

	/* Plain HTTP on the TLS port gets no page. */
	buf_reset(&url);
	buf_reset(&h);
	buf_addf(&url, "http://127.0.0.1:%u/health", f->port);
	assert_int_not_equal(https_get(url.data, f->cert.data, 0, 0, NULL, NULL,
	                               &h), CURLE_OK);
	buf_release(&url);
	buf_release(&h);
}

/* A free port on 127.0.0.1 for the control server. */
static uint16_t
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void
test_old_tls_refused(void **state)
{
	struct fixture *f = *state;
	struct buf url = BUF_INIT, h = BUF_INIT, portarg = BUF_INIT;
	CURLcode rc = CURLE_COULDNT_CONNECT;
	pid_t control;
	int i;

	buf_addf(&url, "https://127.0.0.1:%u/health", f->port);
	assert_int_not_equal(https_get(url.data, f->cert.data,
	                               CURL_SSLVERSION_TLSv1_0,
	                               CURL_SSLVERSION_MAX_TLSv1_1, OLD_TLS, NULL,
	                               &h), CURLE_OK);
	assert_null(strstr(h.data, "200"));

	/*
	 * Control: the same client, offering the same, does get through to a
	 * GnuTLS server that allows TLS 1.0 and 1.1. So the refusal above is
	 * Meldpunt's, not the client's.
	 */
	buf_addf(&portarg, "%u", free_port());
	control = fork();
	assert_true(control >= 0);
	if (control == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execlp("gnutls-serv", "gnutls-serv", "--http", "--port",
		       portarg.data, "--priority", OLD_TLS, "--x509certfile",
		       f->cert.data, "--x509keyfile", f->key.data, (char *)NULL);
		_exit(127);
	}
	buf_reset(&url);
	buf_addf(&url, "https://127.0.0.1:%s/", portarg.data);
	for (i = 0; i < 50 && rc == CURLE_COULDNT_CONNECT; i++) {
		usleep(100000);
		buf_reset(&h);
		rc = https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_0,
		               CURL_SSLVERSION_MAX_TLSv1_1, OLD_TLS, NULL, &h);
	}
	stop_pid(&control);
	assert_int_equal(rc, CURLE_OK);
	buf_release(&url);
	buf_release(&h);
	buf_release(&portarg);
}

/* Behind a proxy: forwarded addresses are ignored and never logged. */
static void
test_forwarded_headers_leave_no_trace(void **state)
{
	struct fixture *f = *state;
	struct buf url = BUF_INIT, h = BUF_INIT, log = BUF_INIT;

	buf_addf(&url, "https://127.0.0.1:%u/health", f->port);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_2,
	                           CURL_SSLVERSION_MAX_DEFAULT, NULL,
	                           "X-Forwarded-For: 203.0.113.77", &h), CURLE_OK);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_2,
	                           CURL_SSLVERSION_MAX_DEFAULT, NULL,
	                           "Forwarded: for=198.51.100.9", &h), CURLE_OK);
	assert_int_equal(https_get(url.data, f->cert.data, CURL_SSLVERSION_TLSv1_2,
	                           CURL_SSLVERSION_MAX_DEFAULT, NULL,
	                           "X-Real-IP: 192.0.2.55", &h), CURLE_OK);
	assert_null(strstr(h.data, "203.0.113.77"));
	assert_int_equal(stop_pid(&f->pid), 0);
	assert_int_equal(test_read_file(f->log.data, &log), 0);
	assert_non_null(strstr(log.data, "stopping"));
	assert_null(strstr(log.data, "203.0.113"));
	assert_null(strstr(log.data, "198.51.100"));
	assert_null(strstr(log.data, "192.0.2"));
	assert_null(strstr(log.data, "127.0.0.1"));
	assert_null(strstr(log.data, "meldpunt-tls-agent"));
	buf_release(&url);
	buf_release(&h);
	buf_release(&log);
}

/* Without TLS there is no HSTS (it would lock browsers out of plain HTTP). */
static void
test_no_hsts_without_tls(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT, h = BUF_INIT, body = BUF_INIT;
	const char *init[] = { "--data", NULL, "init", NULL };
	struct test_server s;
	char *dir = test_tmpdir("plain");
	long status;

	(void)state;
	init[1] = dir;
	assert_int_equal(test_run(&out, &err, init), 0);
	assert_int_equal(test_server_start(&s, dir), 0);
	assert_int_equal(test_http(&s, "GET", "/health", NULL, &status, &h,
	                           &body), 0);
	assert_int_equal(status, 200);
	assert_null(strstr(h.data, "Strict-Transport-Security"));
	buf_release(&body);
	assert_int_equal(test_server_stop(&s), 0);
	test_rmtree(dir);
	free(dir);
	buf_release(&out);
	buf_release(&err);
	buf_release(&h);
}

/* A certificate and key that do not belong together stop the start. */
static void
test_mismatched_key_refused(void **state)
{
	struct fixture *f = *state;
	struct buf cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	const char *serve[] = { "--config", f->conf.data, "serve", "--port", "0",
	                        NULL };

	assert_int_equal(stop_pid(&f->pid), 0);
	buf_addf(&cmd, "certtool --generate-privkey --key-type=ecdsa "
	         "--outfile %s.other >/dev/null 2>&1 && mv %s.other %s",
	         f->key.data, f->key.data, f->key.data);
	assert_int_equal(run_quiet(cmd.data), 0);
	assert_int_equal(test_run(&out, &err, serve), 1);
	assert_non_null(strstr(err.data, "cannot listen"));
	buf_release(&cmd);
	buf_release(&out);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_modern_tls_with_hsts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_old_tls_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_forwarded_headers_leave_no_trace,
		                                setup, teardown),
		cmocka_unit_test(test_no_hsts_without_tls),
		cmocka_unit_test_setup_teardown(test_mismatched_key_refused, setup,
		                                teardown),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests_name("tls", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
