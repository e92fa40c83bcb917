/*
 * test_service.c - the server as a service: SIGTERM during a request
 * still answers it, exits 0 and leaves the database closed cleanly (WAL
 * checkpointed and gone); an idle connection cannot hold the stop past
 * shutdown_grace; SIGHUP reopens the log file after rotation.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

struct fixture {
	char *dir;
	struct buf data, conf, log;
	pid_t pid;
	uint16_t port;
};

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf out = BUF_INIT, err = BUF_INIT, text = BUF_INIT;
	const char *init[] = { "--data", NULL, "init", NULL };

	buf_init(&f->data);
	buf_init(&f->conf);
	buf_init(&f->log);
	f->dir = test_tmpdir("service");
	buf_addf(&f->data, "%s/data", f->dir);
	buf_addf(&f->conf, "%s/meldpunt.ini", f->dir);
	buf_addf(&f->log, "%s/meldpunt.log", f->dir);
	init[1] = f->data.data;
	assert_int_equal(test_run(&out, &err, init), 0);
	buf_addf(&text, "[server]\nport = 0\nshutdown_grace = 2\n[data]\n"
	         "dir = %s\n[log]\nfile = %s\n", f->data.data, f->log.data);
	write_file(f->conf.data, text.data);
	buf_release(&out);
	buf_release(&err);
	buf_release(&text);
	*state = f;
	return 0;
}

static int
wait_exit(pid_t pid, int seconds)
{
	int status, i;

	for (i = 0; i < seconds * 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
			                         : 128 + WTERMSIG(status);
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		wait_exit(f->pid, 10);
	}
	test_rmtree(f->dir);
	free(f->dir);
	buf_release(&f->data);
	buf_release(&f->conf);
	buf_release(&f->log);
	free(f);
	return 0;
}

/* `meldpunt --config conf serve`, its stdout read for the port. */
static void
start_server(struct fixture *f)
{
	struct buf line = BUF_INIT;
	int po[2];
	time_t until;
	char *p;

	assert_int_equal(pipe(po), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		dup2(po[1], 1);
		close(po[0]);
		execl(getenv("MELDPUNT_BIN"), "meldpunt", "--config", f->conf.data,
		      "serve", (char *)NULL);
		_exit(127);
	}
	close(po[1]);
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
	p = strstr(line.data, "127.0.0.1:");
	assert_non_null(p);
	f->port = test_port_after(p, "127.0.0.1:");
	assert_true(f->port > 0);
	buf_release(&line);
}

static int
connect_to(uint16_t port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static void
send_all(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Read until the peer closes, at most 10 s. */
static void
read_all(int fd, struct buf *b)
{
	time_t until = time(NULL) + 10;

	while (time(NULL) < until) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char chunk[4096];
		ssize_t n;

		if (poll(&pfd, 1, 500) <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
	}
}

static void
test_sigterm_finishes_request(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, wal = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	const char *verify[] = { "--data", f->data.data, "audit-verify", NULL };
	struct stat st;
	int fd;

	start_server(f);
	/* A slow client: half a request, then SIGTERM, then the rest. */
	fd = connect_to(f->port);
	send_all(fd, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
	usleep(300000);
	assert_int_equal(kill(f->pid, SIGTERM), 0);
	usleep(300000);
	/* No new connections once stopping... */
	send_all(fd, "Connection: close\r\n\r\n");
	read_all(fd, &resp);
	close(fd);
	/* ...but the request in flight got its answer. */
	assert_non_null(strstr(resp.data, "HTTP/1.1 200"));
	assert_non_null(strstr(resp.data, "\"status\":\"ok\""));
	assert_int_equal(wait_exit(f->pid, 10), 0);
	f->pid = 0;

	/* Closed cleanly: the WAL was checkpointed into the database. */
	buf_addf(&wal, "%s/meldpunt.db-wal", f->data.data);
	assert_true(stat(wal.data, &st) != 0 || st.st_size == 0);
	assert_int_equal(test_run(&out, &err, verify), 0);
	assert_non_null(strstr(out.data, "audit log intact"));
	buf_release(&resp);
	buf_release(&wal);
	buf_release(&out);
	buf_release(&err);
}

static void
test_idle_connection_cannot_hold_stop(void **state)
{
	struct fixture *f = *state;
	time_t t0;
	int fd;

	start_server(f);
	fd = connect_to(f->port);
	send_all(fd, "GET /health HTTP/1.1\r\n");	/* and never more */
	usleep(200000);
	t0 = time(NULL);
	assert_int_equal(kill(f->pid, SIGTERM), 0);
	/* shutdown_grace is 2 s; allow for slow machines, never 30 s. */
	assert_int_equal(wait_exit(f->pid, 8), 0);
	f->pid = 0;
	assert_true(time(NULL) - t0 <= 6);
	close(fd);
}

static void
test_sighup_reopens_log(void **state)
{
	struct fixture *f = *state;
	struct buf old = BUF_INIT, rotated = BUF_INIT, now = BUF_INIT;
	int i;

	start_server(f);
	buf_addf(&rotated, "%s.1", f->log.data);
	/* As logrotate does: move the file away, then SIGHUP. */
	assert_int_equal(rename(f->log.data, rotated.data), 0);
	assert_int_equal(kill(f->pid, SIGHUP), 0);
	for (i = 0; i < 50 && access(f->log.data, F_OK) != 0; i++)
		usleep(100000);
	assert_int_equal(kill(f->pid, SIGTERM), 0);
	assert_int_equal(wait_exit(f->pid, 10), 0);
	f->pid = 0;
	assert_int_equal(test_read_file(rotated.data, &old), 0);
	assert_int_equal(test_read_file(f->log.data, &now), 0);
	assert_non_null(strstr(old.data, "serving"));
	assert_null(strstr(old.data, "stopping"));
	assert_non_null(strstr(now.data, "log reopened"));
	assert_non_null(strstr(now.data, "stopping"));
	buf_release(&old);
	buf_release(&rotated);
	buf_release(&now);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sigterm_finishes_request, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_idle_connection_cannot_hold_stop,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_sighup_reopens_log, setup,
		                                teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("service", tests, NULL, NULL);
}
