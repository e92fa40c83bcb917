/*
 * testutil.c - scratch folders, the real server, HTTP (see testutil.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <sqlite3.h>

#include "apitoken.h"
#include "calendar.h"
#include "crypto.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "meeting.h"
#include "num.h"
#include "users.h"
#include "totp.h"
#include "testutil.h"
#include "reptype.h"
#include "workflow.h"

static void
mkdir_p(const char *path)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, path);
	for (i = 1; i < b.len; i++) {
		if (b.data[i] != '/')
			continue;
		b.data[i] = '\0';
		mkdir(b.data, 0700);
		b.data[i] = '/';
	}
	mkdir(b.data, 0700);
	buf_release(&b);
}

double
test_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *
test_tmpdir(const char *name)
{
	const char *base = getenv("MELDPUNT_TEST_TMP");
	struct buf b = BUF_INIT;

	if (!base || !*base)
		base = "/tmp";
	mkdir_p(base);
	buf_addf(&b, "%s/%s-XXXXXX", base, name);
	if (!mkdtemp(b.data)) {
		fprintf(stderr, "mkdtemp %s: %s\n", b.data, strerror(errno));
		abort();
	}
	return buf_detach(&b, NULL);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
test_rmtree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *
program(void)
{
	const char *bin = getenv("MELDPUNT_BIN");

	if (!bin) {
		fprintf(stderr, "MELDPUNT_BIN is not set (run through ctest)\n");
		abort();
	}
	return bin;
}

static void
read_into(int fd, struct buf *b, int *open)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n > 0) {
		if (b)
			buf_add(b, chunk, (size_t)n);
	} else if (n == 0 || errno != EINTR) {
		*open = 0;
	}
}

int
test_run(struct buf *out, struct buf *err, const char *const *argv)
{
	int po[2], pe[2], status, oopen = 1, eopen = 1;
	const char *args[64];
	size_t n = 0;
	pid_t pid;

	args[n++] = program();
	while (argv[n - 1] && n < 63) {
		args[n] = argv[n - 1];
		n++;
	}
	args[n] = NULL;
	if (pipe(po) < 0 || pipe(pe) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		char *copy[64];
		size_t k;

		for (k = 0; k <= n; k++)
			copy[k] = args[k] ? strdup(args[k]) : NULL;
		setenv("MELDPUNT_PWHASH", "fast", 1);
		execv(copy[0], copy);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	while (oopen || eopen) {
		struct pollfd fds[2] = {
			{ oopen ? po[0] : -1, POLLIN, 0 },
			{ eopen ? pe[0] : -1, POLLIN, 0 },
		};

		if (poll(fds, 2, 60000) <= 0)
			break;
		if (fds[0].revents)
			read_into(po[0], out, &oopen);
		if (fds[1].revents)
			read_into(pe[0], err, &eopen);
	}
	close(po[0]);
	close(pe[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
test_server_start(struct test_server *s, const char *dir)
{
	return test_server_start_config(s, dir, NULL);
}

uint16_t
test_port_after(const char *text, const char *marker)
{
	const char *p = text ? strstr(text, marker) : NULL;
	long port;

	if (!p)
		return 0;
	p += strlen(marker);
	if (num_parse_n(p, strspn(p, "0123456789"), 1, 65535, &port) < 0)
		return 0;
	return (uint16_t)port;
}

void
test_text_after(const char *text, const char *marker, const char *stops,
                char *out, size_t size)
{
	const char *p = strstr(text, marker);
	size_t n;

	assert_non_null(p);
	p += strlen(marker);
	n = strcspn(p, stops);
	assert_true(n > 0 && n < size);
	memcpy(out, p, n);
	out[n] = '\0';
}

void
test_init(const char *dir, struct test_init *out)
{
	struct buf o = BUF_INIT, e = BUF_INIT;
	const char *argv[] = { "--data", dir, "init", NULL };
	const char *heading;

	assert_int_equal(test_run(&o, &e, argv), 0);
	if (out) {
		test_text_after(o.data, "One-time password (change it at first "
		                "login):  ", "\n", out->password,
		                sizeof(out->password));
		/* The recovery key: the indented line after its heading. */
		heading = strstr(o.data, "RECOVERY KEY");
		assert_non_null(heading);
		test_text_after(heading, "\n\n    ", "\n", out->recovery,
		                sizeof(out->recovery));
	}
	buf_release(&o);
	buf_release(&e);
}

int
test_server_start_config(struct test_server *s, const char *dir,
                         const char *config_path)
{
	struct buf line = BUF_INIT, logp = BUF_INIT;
	int po[2], logfd;
	time_t until;

	memset(s, 0, sizeof(*s));
	buf_addf(&logp, "%s/server.log", dir);
	logfd = open(logp.data, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (logfd < 0 || pipe(po) < 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(po[1], 1);
		dup2(logfd, 2);
		close(po[0]);
		if (config_path)
			execl(program(), program(), "--config", config_path,
			      "--data", dir, "serve", "--port", "0", (char *)NULL);
		else
			execl(program(), program(), "--data", dir, "serve", "--port",
			      "0", (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(logfd);
	s->log_path = buf_detach(&logp, NULL);
	s->dir = strdup(dir);
	if (!s->dir)
		return -1;

	/* Wait at most 20 s for "serving http://127.0.0.1:PORT/". */
	until = time(NULL) + 20;
	while (!strchr(line.data, '\n') && time(NULL) < until) {
		struct pollfd fd = { po[0], POLLIN, 0 };
		char c[256];
		ssize_t n;

		if (poll(&fd, 1, 1000) <= 0)
			continue;
		n = read(po[0], c, sizeof(c));
		if (n <= 0)
			break;
		buf_add(&line, c, (size_t)n);
	}
	close(po[0]);
	s->port = test_port_after(line.data, "127.0.0.1:");
	buf_release(&line);
	if (!s->port) {
		test_server_stop(s);
		return -1;
	}
	return 0;
}

/*
 * Append a server's log to the suite's log, which test_suite_log.sh
 * searches at the end for any trace of the test clients (SECURITY.md).
 * One write(2) with O_APPEND: parallel tests never interleave.
 */
static void
keep_for_suite(const char *log_path)
{
	const char *base = getenv("MELDPUNT_TEST_TMP");
	struct buf path = BUF_INIT, log = BUF_INIT;
	int fd;

	if (!base || !log_path || test_read_file(log_path, &log) < 0)
		goto out;
	buf_addf(&path, "%s/suite-server.log", base);
	fd = open(path.data, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		if (write(fd, log.data, log.len) < 0)
			fprintf(stderr, "cannot keep %s for the suite\n", log_path);
		close(fd);
	}
out:
	buf_release(&path);
	buf_release(&log);
}

int
test_server_stop(struct test_server *s)
{
	int status = -1, i;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	/* Bounded: 10 s, then SIGKILL. */
	for (i = 0; i < 100; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			break;
		usleep(100000);
	}
	if (i == 100) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
	}
	s->pid = 0;
	keep_for_suite(s->log_path);
	free(s->log_path);
	s->log_path = NULL;
	free(s->dir);
	s->dir = NULL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static size_t
collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

int
test_http(const struct test_server *s, const char *method, const char *path,
          const char *body, long *status, struct buf *headers, struct buf *resp)
{
	return test_http_cookie(s, method, path, body, NULL, status, headers, resp);
}

int
test_header(const struct buf *headers, const char *name, struct buf *out)
{
	const char *p = headers->data;
	size_t n = strlen(name);

	while (p && *p) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *end;

			while (*v == ' ')
				v++;
			end = strpbrk(v, "\r\n");
			buf_add(out, v, end ? (size_t)(end - v) : strlen(v));
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int
test_input_value(const struct buf *page, const char *name, struct buf *out)
{
	struct buf pat = BUF_INIT;
	const char *p, *v, *end;

	buf_addf(&pat, "name=\"%s\"", name);
	p = strstr(page->data, pat.data);
	buf_release(&pat);
	if (!p)
		return -1;
	v = strstr(p, "value=\"");
	if (!v)
		return -1;
	v += 7;
	end = strchr(v, '"');
	if (!end)
		return -1;
	buf_add(out, v, (size_t)(end - v));
	return 0;
}

const char *
test_cases(const char *dir, const char *text)
{
	static struct buf bufs[TEST_CASES_BUFS];
	static unsigned next;
	struct buf *out = &bufs[next++ % TEST_CASES_BUFS];
	struct buf p = BUF_INIT;
	sqlite3 *conn = NULL;
	const char *t = text, *hole;

	if (!out->data)		/* static: zero, not BUF_INIT */
		buf_init(out);
	buf_reset(out);
	while ((hole = strstr(t, "{#")) != NULL) {
		sqlite3_stmt *st;
		char *end;
		long long row = strtoll(hole + 2, &end, 10);

		buf_add(out, t, (size_t)(hole - t));
		if (end == hole + 2 || *end != '}') {
			buf_add(out, hole, 2);
			t = hole + 2;
			continue;
		}
		if (!conn) {
			buf_addf(&p, "%s/%s", dir, INSTALL_DB_FILE);
			assert_int_equal(sqlite3_open_v2(p.data, &conn,
			                 SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		}
		assert_int_equal(sqlite3_prepare_v2(conn, "SELECT case_number"
		                 " FROM reports WHERE id = ?", -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(st, 1, row);
		if (sqlite3_step(st) != SQLITE_ROW ||
		    !sqlite3_column_text(st, 0))
			fail_msg("no report %lld for {#%lld} in %s", row, row, text);
		buf_adds(out, (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		t = end + 1;
	}
	buf_adds(out, t);
	if (conn)
		sqlite3_close(conn);
	buf_release(&p);
	return out->data;
}

int64_t
test_case_row(const char *dir, const char *number)
{
	struct buf p = BUF_INIT;
	sqlite3 *conn;
	sqlite3_stmt *st;
	int64_t row;

	assert_non_null(number);
	buf_addf(&p, "%s/%s", dir, INSTALL_DB_FILE);
	assert_int_equal(sqlite3_open_v2(p.data, &conn, SQLITE_OPEN_READONLY,
	                                 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "SELECT id FROM reports"
	                 " WHERE case_number = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no report has case number %s", number);
	row = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(conn);
	buf_release(&p);
	return row;
}

/* A request with cookie and extra header lines, separated by '\n'
 * (either may be NULL). */
static int
http_request(const struct test_server *s, const char *method,
             const char *path, const char *body, const char *cookie,
             const char *header, long *status, struct buf *headers,
             struct buf *resp)
{
	struct buf url = BUF_INIT;
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (!c)
		return -1;
	if (s->dir) {
		path = test_cases(s->dir, path);
		if (body)
			body = test_cases(s->dir, body);
	}
	buf_addf(&url, "http://127.0.0.1:%u%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "meldpunt-test-agent/1");
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (cookie)
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	if (header) {
		const char *p = header;

		while (*p) {
			size_t n = strcspn(p, "\n");
			char line[512];

			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			h = curl_slist_append(h, line);
			p += n + (p[n] == '\n');
		}
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	if (s->source)
		curl_easy_setopt(c, CURLOPT_INTERFACE, s->source);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (headers) {
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
	}
	if (resp) {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	buf_release(&url);
	return rc == CURLE_OK ? 0 : -1;
}

int
test_http_cookie(const struct test_server *s, const char *method,
                 const char *path, const char *body, const char *cookie,
                 long *status, struct buf *headers, struct buf *resp)
{
	return http_request(s, method, path, body, cookie, NULL, status,
	                    headers, resp);
}

int
test_http_token(const struct test_server *s, const char *method,
                const char *path, const char *body, const char *token,
                long *status, struct buf *resp)
{
	struct buf auth = BUF_INIT;
	int rc;

	buf_addf(&auth, "Authorization: Bearer %s", token);
	rc = http_request(s, method, path, body, NULL, auth.data, status, NULL,
	                  resp);
	buf_release(&auth);
	return rc;
}

int
test_http_json(const struct test_server *s, const char *method,
               const char *path, const char *body, const char *token,
               long *status, struct buf *resp)
{
	struct buf h = BUF_INIT;
	int rc;

	buf_addf(&h, "Authorization: Bearer %s\nContent-Type: application/json",
	         token);
	buf_reset(resp);
	rc = http_request(s, method, path, body, NULL, h.data, status, NULL,
	                  resp);
	buf_release(&h);
	return rc;
}

int
test_http_multipart(const struct test_server *s, const char *path,
                    const struct test_part *parts, size_t n,
                    const char *extra_header, long *status, struct buf *resp)
{
	struct curl_slist *headers = NULL;
	struct buf url = BUF_INIT;
	CURL *c = curl_easy_init();
	curl_mime *mime;
	CURLcode rc;
	size_t i;

	if (!c)
		return -1;
	mime = curl_mime_init(c);
	for (i = 0; i < n; i++) {
		curl_mimepart *part = curl_mime_addpart(mime);
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].value);

		const char *value = parts[i].value;

		/* A text naming a report ({#N}), as test_http does. */
		if (s->dir && !parts[i].filename && !parts[i].len &&
		    strstr(value, "{#")) {
			value = test_cases(s->dir, value);
			len = strlen(value);
		}
		curl_mime_name(part, parts[i].name);
		curl_mime_data(part, value, len);
		if (parts[i].filename) {
			curl_mime_filename(part, parts[i].filename);
			curl_mime_type(part, parts[i].type ? parts[i].type
			                                   : "application/octet-stream");
		}
	}
	if (s->dir)
		path = test_cases(s->dir, path);
	buf_addf(&url, "http://127.0.0.1:%u%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "meldpunt-test-agent/1");
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	if (extra_header) {
		headers = curl_slist_append(headers, extra_header);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	}
	if (resp) {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(headers);
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	buf_release(&url);
	return rc == CURLE_OK ? 0 : -1;
}

int
test_raw(const struct test_server *s, const void *req, size_t len,
         struct buf *resp, int timeout_ms)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	size_t off = 0;
	int fd, waited = 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(s->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	while (off < len) {
		ssize_t w = send(fd, (const char *)req + off, len - off, MSG_NOSIGNAL);

		if (w <= 0)
			break;	/* the server may refuse before reading it all */
		off += (size_t)w;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (waited < timeout_ms) {
		char chunk[4096];
		ssize_t r;

		if (poll(&pfd, 1, 100) <= 0) {
			waited += 100;
			continue;
		}
		r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0)
			break;
		buf_add(resp, chunk, (size_t)r);
	}
	close(fd);
	return 0;
}

char *
test_db_counts(const char *dir)
{
	static const char *const tables[] = {
		"reports", "messages", "attachments", "audit_log",
	};
	struct buf path = BUF_INIT, out = BUF_INIT;
	sqlite3 *conn;
	size_t i;

	buf_addf(&path, "%s/meldpunt.db", dir);
	if (sqlite3_open_v2(path.data, &conn, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		abort();
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct buf sql = BUF_INIT;
		sqlite3_stmt *st;

		/* Table names are literals of this list, not input. */
		buf_addf(&sql, "SELECT count(*) FROM %s", tables[i]);
		if (sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL) != SQLITE_OK)
			abort();
		if (sqlite3_step(st) == SQLITE_ROW)
			buf_addf(&out, "%s=%lld ", tables[i],
			         (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
		buf_release(&sql);
	}
	sqlite3_close(conn);
	buf_release(&path);
	return buf_detach(&out, NULL);
}

int
test_read_file(const char *path, struct buf *b)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return 0;
}

int
test_sh(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
test_pdftotext(const void *pdf, size_t len, struct buf *text)
{
	char *dir = test_tmpdir("pdf");
	struct buf in = BUF_INIT, out = BUF_INIT;
	FILE *f;
	pid_t pid;
	int status = -1, ok = -1;

	buf_addf(&in, "%s/doc.pdf", dir);
	buf_addf(&out, "%s/doc.txt", dir);
	f = fopen(in.data, "wb");
	if (f && fwrite(pdf, 1, len, f) == len && fclose(f) == 0) {
		f = NULL;
		pid = fork();
		if (pid == 0) {
			execlp("pdftotext", "pdftotext", "-q", "-enc", "UTF-8",
			       in.data, out.data, (char *)NULL);
			_exit(127);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		    test_read_file(out.data, text) == 0)
			ok = 0;
	}
	if (f)
		fclose(f);
	test_rmtree(dir);
	free(dir);
	buf_release(&in);
	buf_release(&out);
	return ok;
}

int
test_contains(const struct buf *hay, const void *needle, size_t len)
{
	return len <= hay->len && memmem(hay->data, hay->len, needle, len) != NULL;
}

/* Every test program starts libsodium before main, as meldpunt's main does. */
__attribute__((constructor)) static void
test_crypto_init(void)
{
	if (crypto_init() < 0)
		abort();
	/* Before any thread: tests send requests from several at once. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		abort();
}

long
test_peak_rss_kib(pid_t pid)
{
	struct buf path = BUF_INIT, status = BUF_INIT;
	const char *p;
	long kib = -1;

	buf_addf(&path, "/proc/%ld/status", (long)pid);
	if (test_read_file(path.data, &status) == 0 &&
	    (p = strstr(status.data, "VmHWM:")) != NULL)
		kib = strtol(p + 6, NULL, 10);
	buf_release(&path);
	buf_release(&status);
	return kib;
}

struct secret *
test_totp_decode(const char *text)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint8_t out[64];
	unsigned buffer = 0, bits = 0;
	size_t n = 0;

	for (; *text && n < sizeof(out); text++) {
		const char *c = strchr(alphabet, *text);

		if (*text == ' ')
			continue;
		if (!c || !*c)
			return NULL;
		buffer = (buffer << 5) | (unsigned)(c - alphabet);
		bits += 5;
		if (bits >= 8) {
			out[n++] = (uint8_t)(buffer >> (bits - 8));
			bits -= 8;
		}
	}
	return n == TOTP_SECRET_LEN ? secret_from(out, n) : NULL;
}

void
test_totp_now(const struct secret *s, int offset, char out[8])
{
	uint64_t step = (uint64_t)time(NULL) / TOTP_STEP + (uint64_t)(int64_t)offset;

	snprintf(out, 8, "%06u", totp_code(s, step));
}

int64_t
test_meeting(struct installation *inst, const char *recovery,
             const char *day, const int64_t *ids)
{
	struct secret *rsk, *ssk;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], spk[CRYPTO_PUBLICKEY_LEN];
	struct ring_key key = { spk, NULL };
	int64_t id;

	assert_int_equal(meeting_create(inst, day, "", "coord", &id), 0);
	if (!ids[0])
		return id;
	assert_int_equal(recovery_parse(recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(inst->db, KEYRING_SIGNALS, rpk, rsk,
	                                  &ssk), 0);
	assert_int_equal(keyrings_public_key(inst->db, KEYRING_SIGNALS, spk), 0);
	key.sk = ssk;
	for (; *ids; ids++)
		assert_int_equal(meeting_add(inst, id, *ids, &key, "coord"), 0);
	secret_free(ssk);
	secret_free(rsk);
	return id;
}

void
test_make_token(const struct test_server *s, const struct buf *cookie,
                const struct buf *csrf, const char *label, const char *roles,
                const char *days, char *out)
{
	struct buf body = BUF_INIT, page = BUF_INIT;
	const char *p;
	long status = 0;

	buf_addf(&body, "csrf=%s&label=%s&days=%s&%s", csrf->data, label, days,
	         roles);
	assert_int_equal(test_http_cookie(s, "POST", "/beheer/tokens", body.data,
	                                  cookie->data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	p = strstr(page.data, "id=\"new-token\">");
	assert_non_null(p);
	p += strlen("id=\"new-token\">");
	memcpy(out, p, APITOKEN_TEXT_LEN);
	out[APITOKEN_TEXT_LEN] = '\0';
	assert_int_equal(p[APITOKEN_TEXT_LEN], '<');
	buf_release(&body);
	buf_release(&page);
}

/* The session cookie of a response, "mp_session=..." */
static int
cookie_of(const struct buf *headers, struct buf *cookie)
{
	struct buf h = BUF_INIT;
	const char *semi;

	if (test_header(headers, "Set-Cookie", &h) < 0)
		return -1;
	semi = strchr(h.data, ';');
	buf_reset(cookie);
	buf_add(cookie, h.data, semi ? (size_t)(semi - h.data) : h.len);
	buf_release(&h);
	return 0;
}

struct secret *
test_staff_setup(const struct test_server *s, const char *username,
                 const char *otp, const char *new_password, struct buf *cookie,
                 struct buf *csrf)
{
	struct buf h = BUF_INIT, page = BUF_INIT, token = BUF_INIT, req = BUF_INIT;
	struct buf text = BUF_INIT;
	struct secret *totp = NULL;
	const char *p, *end;
	char code[8];
	long status = 0;

	buf_addf(&req, "username=%s&password=%s", username, otp);
	if (test_http_cookie(s, "POST", "/beheer/inloggen", req.data, NULL,
	                     &status, &h, NULL) < 0 || status != 303 ||
	    cookie_of(&h, cookie) < 0)
		goto out;
	if (test_http_cookie(s, "GET", "/beheer/instellen", NULL, cookie->data,
	                     &status, NULL, &page) < 0 || status != 200)
		goto out;
	p = strstr(page.data, "id=\"totp-secret\">");
	if (!p || test_input_value(&page, "csrf", &token) < 0)
		goto out;
	p += strlen("id=\"totp-secret\">");
	end = strchr(p, '<');
	buf_add(&text, p, (size_t)(end - p));
	totp = test_totp_decode(text.data);
	if (!totp)
		goto out;
	test_totp_now(totp, 0, code);
	buf_reset(&req);
	buf_addf(&req, "csrf=%s&password=%s&password2=%s&code=%s", token.data,
	         new_password, new_password, code);
	if (test_http_cookie(s, "POST", "/beheer/instellen", req.data,
	                     cookie->data, &status, NULL, NULL) < 0 ||
	    status != 303) {
		secret_free(totp);
		totp = NULL;
		goto out;
	}
	if (csrf) {
		buf_reset(csrf);
		buf_add(csrf, token.data, token.len);
	}
out:
	buf_release(&h);
	buf_release(&page);
	buf_release(&token);
	buf_release(&req);
	buf_release(&text);
	return totp;
}

int
test_staff_login(const struct test_server *s, const char *username,
                 const char *password, const struct secret *totp, int offset,
                 struct buf *cookie, struct buf *csrf)
{
	struct buf h = BUF_INIT, req = BUF_INIT, page = BUF_INIT;
	long status = 0;
	char code[8];
	int ret = -1;

	test_totp_now(totp, offset, code);
	buf_addf(&req, "username=%s&password=%s&code=%s", username, password,
	         code);
	if (test_http_cookie(s, "POST", "/beheer/inloggen", req.data, NULL,
	                     &status, &h, NULL) < 0 || status != 303 ||
	    cookie_of(&h, cookie) < 0)
		goto out;
	if (csrf) {
		if (test_http_cookie(s, "GET", "/beheer", NULL, cookie->data,
		                     &status, NULL, &page) < 0 || status != 200)
			goto out;
		buf_reset(csrf);
		if (test_input_value(&page, "csrf", csrf) < 0)
			goto out;
	}
	ret = 0;
out:
	buf_release(&h);
	buf_release(&req);
	buf_release(&page);
	return ret;
}

void
test_grant(const char *dir, const char *recovery, const char *ring,
           const char *user)
{
	struct installation *inst;
	struct secret *rec_sk, *ring_sk;
	uint8_t rec_pk[CRYPTO_PUBLICKEY_LEN];
	struct user u;

	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(recovery_parse(recovery, &rec_sk, rec_pk), 0);
	assert_int_equal(keyrings_recover(inst->db, ring, rec_pk, rec_sk,
	                                  &ring_sk), 0);
	assert_int_equal(users_find(inst->db, user, &u), 0);
	assert_int_equal(keyrings_grant(inst->db, ring, ring_sk, u.id,
	                                u.public_key), 0);
	user_release(&u);
	secret_free(ring_sk);
	secret_free(rec_sk);
	assert_int_equal(install_close(inst), 0);
}

int64_t
test_count(const char *dir, const char *sql)
{
	struct installation *inst;
	struct stmt *st = NULL;
	int64_t n;

	assert_int_equal(install_open(dir, DB_READONLY, &inst), 0);
	db_lock(inst->db);
	assert_int_equal(db_prepare(inst->db, &st, sql), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	n = stmt_int(st, 0);
	stmt_finalize(st);
	db_unlock(inst->db);
	assert_int_equal(install_close(inst), 0);
	return n;
}

/* sqlite3_exec's answer to sql on the database of the installation at dir. */
static int
exec_rc(const char *dir, const char *sql)
{
	struct buf p = BUF_INIT;
	sqlite3 *conn;
	int rc;

	buf_addf(&p, "%s/%s", dir, INSTALL_DB_FILE);
	assert_int_equal(sqlite3_open(p.data, &conn), SQLITE_OK);
	rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
	sqlite3_close(conn);
	buf_release(&p);
	return rc;
}

void
test_exec(const char *dir, const char *sql)
{
	assert_int_equal(exec_rc(dir, sql), SQLITE_OK);
}

void
test_exec_fails(const char *dir, const char *sql)
{
	assert_int_not_equal(exec_rc(dir, sql), SQLITE_OK);
}

int
test_event_stats_open(struct db *db, int64_t row, const uint8_t *pk,
                      const struct secret *sk)
{
	struct buf ad = BUF_INIT;
	struct secret *plain = NULL;
	struct stmt *st;
	const void *env, *seal_id = NULL;
	size_t envlen, idlen = 0;
	int rc;

	assert_int_equal(db_prepare(db, &st, "SELECT report_id, at, transition,"
	                 " stats, seal_id, actor FROM report_events"
	                 " WHERE id = :id"), 0);
	assert_int_equal(stmt_bind_int(st, ":id", row), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	env = stmt_blob(st, 3, &envlen);
	assert_non_null(env);
	if (!stmt_is_null(st, 4))
		seal_id = stmt_blob(st, 4, &idlen);
	assert_int_equal(events_ad(&ad, EVENTS_STATS, stmt_int(st, 0),
	                           stmt_text(st, 1), stmt_text(st, 2), seal_id,
	                           idlen, stmt_text(st, 5)), 0);
	rc = envelope_open(env, envlen, (const uint8_t *)ad.data, ad.len, pk, sk,
	                   &plain);
	stmt_finalize(st);
	buf_release(&ad);
	secret_free(plain);
	return rc == 0;
}

/* One value of a row, as text with its type, into out. */
static void
snapshot_value(sqlite3_stmt *st, int col, struct buf *out)
{
	const unsigned char *p;
	int i, n;

	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL:
		buf_adds(out, "N|");
		return;
	case SQLITE_INTEGER:
		buf_addf(out, "I%lld|", (long long)sqlite3_column_int64(st, col));
		return;
	case SQLITE_FLOAT:
		buf_addf(out, "F%.17g|", sqlite3_column_double(st, col));
		return;
	default:
		p = sqlite3_column_blob(st, col);
		n = sqlite3_column_bytes(st, col);
		buf_adds(out, "B");
		for (i = 0; i < n; i++)
			buf_addf(out, "%02x", p[i]);
		buf_adds(out, "|");
	}
}

struct installation *
test_install(const char *name, char **dir, char **db_path)
{
	struct installation *inst;
	struct install_result res;
	struct buf p = BUF_INIT;

	*dir = test_tmpdir(name);
	assert_int_equal(install_create(*dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(*dir, 0, &inst), 0);
	buf_addf(&p, "%s/%s", *dir, INSTALL_DB_FILE);
	*db_path = buf_detach(&p, NULL);
	return inst;
}

void
test_install_remove(struct installation *inst, char *dir, char *db_path)
{
	assert_int_equal(install_close(inst), 0);
	test_rmtree(dir);
	free(dir);
	free(db_path);
}

/*
 * Open the database at path read-only and call fn for each of its tables
 * in name order (names read before any table is), appending to out.
 */
static char *
each_table(const char *path,
           void (*fn)(sqlite3 *conn, const char *table, struct buf *out))
{
	struct buf out = BUF_INIT, names = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3 *conn;
	const char *name;

	if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_prepare_v2(conn, "SELECT name FROM sqlite_master WHERE "
	                       "type = 'table' ORDER BY name", -1, &st,
	                       NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_add(&names, sqlite3_column_text(st, 0),
		        (size_t)sqlite3_column_bytes(st, 0) + 1);
	sqlite3_finalize(st);
	for (name = names.data; name && name < names.data + names.len;
	     name += strlen(name) + 1)
		fn(conn, name, &out);
	sqlite3_close(conn);
	buf_release(&names);
	return buf_detach(&out, NULL);
}

/* test_db_snapshot's rows of one table. */
static void
snapshot_table(sqlite3 *conn, const char *name, struct buf *out)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	int c;

	/* Names come from sqlite_master, quoted as identifiers. */
	if (strcmp(name, "audit_log") == 0)
		buf_adds(&sql, "SELECT * FROM audit_log WHERE result IS NULL "
		         "OR result = 'ok' ORDER BY rowid");
	else
		buf_addf(&sql, "SELECT * FROM \"%s\"", name);
	if (sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL) != SQLITE_OK)
		abort();
	buf_addf(out, "[%s]\n", name);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (c = 0; c < sqlite3_column_count(st); c++)
			snapshot_value(st, c, out);
		buf_adds(out, "\n");
	}
	sqlite3_finalize(st);
	buf_release(&sql);
}

char *
test_db_snapshot(const char *path)
{
	return each_table(path, snapshot_table);
}

/* test_db_lengths' rows of one table. */
static void
lengths_table(sqlite3 *conn, const char *name, struct buf *out)
{
	struct buf sql = BUF_INIT, cols = BUF_INIT;
	sqlite3_stmt *st;
	const char *col;
	int c;

	/* The columns first, then length() of each. */
	buf_addf(&sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid",
	         name);
	if (sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_add(&cols, sqlite3_column_text(st, 0),
		        (size_t)sqlite3_column_bytes(st, 0) + 1);
	sqlite3_finalize(st);
	buf_truncate(&sql, 0);
	buf_adds(&sql, "SELECT ");
	for (col = cols.data; col && col < cols.data + cols.len;
	     col += strlen(col) + 1)
		buf_addf(&sql, "%slength(\"%s\")", col == cols.data ? "" : ", ",
		         col);
	buf_addf(&sql, " FROM \"%s\"", name);
	/* A table WITHOUT ROWID (reporter_days) is read in its key's order. */
	{
		size_t plain = sql.len;

		buf_adds(&sql, " ORDER BY rowid");
		if (sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL) !=
		    SQLITE_OK) {
			buf_truncate(&sql, plain);
			if (sqlite3_prepare_v2(conn, sql.data, -1, &st, NULL) !=
			    SQLITE_OK)
				abort();
		}
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		col = cols.data;
		for (c = 0; c < sqlite3_column_count(st); c++) {
			buf_addf(out, "%s.%s=%s ", name, col,
			         sqlite3_column_type(st, c) == SQLITE_NULL ? "null"
			         : (const char *)sqlite3_column_text(st, c));
			col += strlen(col) + 1;
		}
		buf_adds(out, "\n");
	}
	sqlite3_finalize(st);
	buf_release(&sql);
	buf_release(&cols);
}

char *
test_db_lengths(const char *path)
{
	return each_table(path, lengths_table);
}

uint64_t
test_fail_each(struct db *db, const char *path, int (*act)(void *arg),
               void *arg)
{
	uint64_t n;

	for (n = 1; n < 10000; n++) {
		char *before = test_db_snapshot(path), *after;
		uint64_t start = db_steps(db);
		int rc;

		db_fail_step(db, n);
		rc = act(arg);
		db_fail_step(db, 0);
		if (db_steps(db) - start < n) {
			/* The action ended before step n: nothing was failed. */
			free(before);
			if (rc != 0)
				fail_msg("the action failed with no failure injected "
				         "(it took %llu statements)",
				         (unsigned long long)(n - 1));
			return n - 1;
		}
		if (rc == 0)
			fail_msg("statement %llu failed and the action still "
			         "reported success", (unsigned long long)n);
		assert_false(db_in_transaction(db));
		after = test_db_snapshot(path);
		if (strcmp(before, after) != 0)
			fail_msg("statement %llu failed and the action left a "
			         "change behind", (unsigned long long)n);
		free(before);
		free(after);
	}
	fail_msg("the action never ended");
	return 0;
}

int64_t
test_day(const char *date)
{
	int64_t d;

	assert_int_equal(calendar_parse(date, &d), 0);
	return d;
}

/* The date of day number day as "YYYY-MM-DD" into out. */
static void
day_text(int64_t day, char out[11])
{
	int y, m, d;

	calendar_date(day, &y, &m, &d);
	assert_true(y >= 1000 && y <= 9999);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

void
test_day_after(const char *date, int n, char out[11])
{
	day_text(test_day(date) + n, out);
}

void
test_months_after(const char *date, int n, char out[11])
{
	day_text(calendar_add_months(test_day(date), n), out);
}

time_t
test_utc(int year, int month, int mday, int hour, int min, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = mday;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return timegm(&tm);
}

void
test_install_new(const char *name, struct test_install *t)
{
	struct buf p = BUF_INIT;

	memset(t, 0, sizeof(*t));
	t->dir = test_tmpdir(name);
	assert_int_equal(install_create(t->dir, "admin", &PWHASH_FAST, &t->res),
	                 0);
	assert_int_equal(install_open(t->dir, 0, &t->inst), 0);
	buf_addf(&p, "%s/%s", t->dir, INSTALL_DB_FILE);
	t->db_path = buf_detach(&p, NULL);
}

void
test_install_free(struct test_install *t)
{
	assert_int_equal(install_close(t->inst), 0);
	test_rmtree(t->dir);
	free(t->db_path);
	free(t->dir);
	memset(t, 0, sizeof(*t));
}

int
test_run_stdin(const char *input, struct buf *out, struct buf *err,
               const char *const *argv)
{
	struct buf path = BUF_INIT;
	int saved = dup(0), fd, rc;
	FILE *fp;

	buf_addf(&path, "%s/stdin.txt", getenv("MELDPUNT_TEST_TMP"));
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(input, fp);
	fclose(fp);
	fd = open(path.data, O_RDONLY);
	assert_true(fd >= 0);
	dup2(fd, 0);
	close(fd);
	rc = test_run(out, err, argv);
	dup2(saved, 0);
	close(saved);
	unlink(path.data);
	buf_release(&path);
	return rc;
}

void
test_copy_files(const char *from_dir, const char *to_dir)
{
	DIR *d = opendir(from_dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		struct buf from = BUF_INIT, to = BUF_INIT, data = BUF_INIT;
		struct stat st;
		FILE *fp;

		buf_addf(&from, "%s/%s", from_dir, e->d_name);
		if (stat(from.data, &st) == 0 && S_ISREG(st.st_mode)) {
			assert_int_equal(test_read_file(from.data, &data), 0);
			buf_addf(&to, "%s/%s", to_dir, e->d_name);
			fp = fopen(to.data, "wb");
			assert_non_null(fp);
			/* installation.key must be 0600; git keeps 0644. */
			assert_int_equal(chmod(to.data, 0600), 0);
			assert_int_equal(fwrite(data.data, 1, data.len, fp), data.len);
			assert_int_equal(fclose(fp), 0);
		}
		buf_release(&from);
		buf_release(&to);
		buf_release(&data);
	}
	closedir(d);
}

/* A value of its type for every field of the built-in workflows. */
static const struct { const char *name, *value; } step_values[] = {
	{ "undermining_motivation", "Meerdere signalen over hetzelfde pand" },
	{ "municipal_task", "Vergunningverlening en handhaving" },
	{ "municipal_task_motivation", "Exploitatievergunning horeca" },
	{ "territory_motivation", "Het pand staat in de gemeente" },
	{ "seriousness", "3" },
	{ "seriousness_motivation", "Signalen van drie melders" },
	{ "reason", "Geen aanwijzingen" },
	{ "department", "Handhaving" },
	{ "riec_reference", "RIEC-NH-2026-0042" },
	{ "police_reference", "PL1400-2026012345" },
	{ "measure", "Gesprek met de dader" },
	{ "damage_amount", "100.00" },
	{ "recovered_amount", "0" },
	{ "investigator", "Extern onderzoeksbureau" },
	{ "finding", "unfounded" },
	{ "measures", "Gesprek en een schriftelijke waarschuwing" },
};

size_t
test_step_fields(const char *transition, struct workflow_field *out,
                 size_t max)
{
	const struct workflow_transition *t = NULL;
	struct workflow *wf = NULL;
	size_t i, j, n = 0;

	/* The first type whose workflow has the transition. */
	for (i = 0; i < report_types_count() && !t; i++) {
		workflow_free(wf);
		assert_int_equal(workflow_load_default((enum report_type)i, &wf,
		                                       NULL), 0);
		t = workflow_transition_find(wf, transition);
	}
	for (i = 0; t && i < t->nfields && n < max; i++)
		for (j = 0; j < sizeof(step_values) / sizeof(step_values[0]); j++)
			if (strcmp(step_values[j].name, t->fields[i]) == 0) {
				out[n].name = step_values[j].name;
				out[n++].value = step_values[j].value;
			}
	workflow_free(wf);
	return n;
}

void
test_step_form(struct buf *b, const char *transition)
{
	struct workflow_field f[8];
	size_t n = test_step_fields(transition, f, 8), i;
	const char *p;

	for (i = 0; i < n; i++) {
		buf_addf(b, "&%s=", f[i].name);
		for (p = f[i].value; *p; p++)
			buf_addch(b, *p == ' ' ? '+' : *p);
	}
}

void
test_step_json(struct buf *b, const char *transition)
{
	struct workflow_field f[8];
	size_t n = test_step_fields(transition, f, 8), i;

	if (!n)
		return;
	buf_adds(b, "\"fields\":{");
	for (i = 0; i < n; i++)
		buf_addf(b, "%s\"%s\":\"%s\"", i ? "," : "", f[i].name,
		         f[i].value);
	buf_addch(b, '}');
}

int
test_dial(const struct test_server *s, const char *from)
{
	struct sockaddr_in sin;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, from, &sin.sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sin.sin_port = htons(s->port);
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr), 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

void
test_say(int fd, const char *text)
{
	size_t n = strlen(text);

	assert_int_equal(send(fd, text, n, MSG_NOSIGNAL), (ssize_t)n);
}

void
test_hear(int fd, struct buf *out, int ms, int stop_at_head, int *closed)
{
	double until = test_seconds() + ms / 1000.0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	buf_reset(out);
	*closed = 0;
	while (test_seconds() < until) {
		char chunk[4096];
		ssize_t r;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0) {
			*closed = 1;
			return;
		}
		buf_add(out, chunk, (size_t)r);
		if (stop_at_head && strstr(out->data, "\r\n\r\n"))
			return;
	}
}

int
test_exchange(const struct test_server *s, const char *from,
              const char *request, struct buf *answer, int ms)
{
	const char *p;
	int fd, closed;

	fd = test_dial(s, from);
	test_say(fd, request);
	test_hear(fd, answer, ms, 0, &closed);
	close(fd);
	p = answer->data ? strstr(answer->data, "HTTP/1.1 ") : NULL;
	assert_non_null(p);
	return (int)strtol(p + 9, NULL, 10);
}
