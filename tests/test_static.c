/*
 * test_static.c - the embedded assets under /assets/, against the real
 * server: every embedded file comes back byte for byte with its type and a
 * cache header; HEAD works; path traversal and malformed names are a plain
 * 404 with no-store; the security headers are on every one of these
 * responses. Also the name checker and the table on their own.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "static.h"
#include "testutil.h"

struct fixture {
	char *dir;
	struct test_server srv;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = test_tmpdir("static");
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

/* The headers that are not about caching: on every response. */
static void
assert_security_headers(const struct buf *h)
{
	static const char *const want[] = {
		"Content-Security-Policy: default-src 'none';",
		"frame-ancestors 'none'",
		"Referrer-Policy: no-referrer",
		"X-Content-Type-Options: nosniff",
		"X-Frame-Options: DENY",
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(h->data, want[i]))
			fail_msg("missing header %s in\n%s", want[i], h->data);
	}
}

/*
 * GET path exactly as written: curl would resolve "/../" itself before
 * sending, and the point here is what the server does with it. Fills the
 * status and the whole response (headers and body); 0 or -1. Bounded by a
 * 10 s socket timeout.
 */
static int
raw_get(const struct test_server *srv, const char *path, long *status,
        struct buf *resp)
{
	struct sockaddr_in sin;
	struct timeval tv = { 10, 0 };
	struct buf req = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int fd, ret = -1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(srv->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto out;
	buf_addf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "User-Agent: meldpunt-test-agent/1\r\n"
	         "Connection: close\r\n\r\n", path);
	if (write(fd, req.data, req.len) != (ssize_t)req.len)
		goto out;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(resp, chunk, (size_t)n);
	if (n < 0 || sscanf(resp->data, "HTTP/1.%*d %ld", status) != 1)
		goto out;
	ret = 0;
out:
	close(fd);
	buf_release(&req);
	return ret;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_table(void **state)
{
	const struct static_file *f;
	int theme = 0, components = 0, ours = 0;

	(void)state;
	for (f = static_files; f->name; f++) {
		/* Every embedded name is one the route would serve. */
		assert_true(static_name_valid(f->name));
		assert_ptr_equal(static_find(f->name), f);
		assert_true(f->size > 0);
		assert_int_equal(f->data[f->size], 0);
		theme += strcmp(f->name, STATIC_THEME_NAME) == 0;
		components += strcmp(f->name, STATIC_COMPONENTS_NAME) == 0;
		ours += strcmp(f->name, STATIC_STYLESHEET_NAME) == 0;
	}
	assert_int_equal(theme, 1);
	assert_int_equal(components, 1);
	assert_int_equal(ours, 1);
	/* The theme's class is rewritten so the tokens apply to every page. */
	f = static_find(STATIC_THEME_NAME);
	assert_non_null(strstr((const char *)f->data, ":root"));
	assert_non_null(strstr((const char *)f->data, "--utrecht-"));
	/* The components the pages use are in. */
	f = static_find(STATIC_COMPONENTS_NAME);
	assert_non_null(strstr((const char *)f->data, ".utrecht-button--primary-action"));
	assert_non_null(strstr((const char *)f->data, ".utrecht-form-field--invalid"));
	assert_non_null(strstr((const char *)f->data, ".utrecht-skip-link"));
}

static void
test_head_links(void **state)
{
	const struct static_file *f = static_find(STATIC_STYLESHEET_NAME);
	struct buf b = BUF_INIT, want = BUF_INIT;
	const char *theme, *components, *ours;

	(void)state;
	static_head_links(&b);
	theme = strstr(b.data, "href=\"/assets/theme.css?v=");
	components = strstr(b.data, "href=\"/assets/components.css?v=");
	ours = strstr(b.data, "href=\"/assets/meldpunt.css?v=");
	/* All three, tokens first and our layout last. */
	assert_non_null(theme);
	assert_non_null(components);
	assert_non_null(ours);
	assert_true(theme < components && components < ours);
	assert_int_equal(strlen(f->version), 12);
	buf_addf(&want, "meldpunt.css?v=%s\"", f->version);
	assert_non_null(strstr(b.data, want.data));
	assert_non_null(strstr(b.data, "rel=\"icon\""));
	buf_release(&b);
	buf_release(&want);
}

static void
test_names(void **state)
{
	static const char *const good[] = {
		"meldpunt.css", "theme.css", "a.svg", "x-1.png", "favicon.ico",
	};
	static const char *const bad[] = {
		"", ".css", "css", "meldpunt", "meldpunt.", "meldpunt.css.",
		"meldpunt.CSS", "Meldpunt.css", "meldpunt.js", "meldpunt.html",
		"meldpunt..css", "a.b.css", "../meldpunt.css", "..", "./a.css",
		"dir/a.css", "a\\b.css", "a%2ecss", "a_b.css", "a b.css",
		"meldpunt.css/", "meldpunt.cssx", "meldpunt.c", "\xc3\xa9.css",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!static_name_valid(good[i]))
			fail_msg("refused good name '%s'", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (static_name_valid(bad[i]))
			fail_msg("accepted bad name '%s'", bad[i]);
	assert_null(static_find("nothing.css"));
	assert_string_equal(static_content_type("a.css"), "text/css; charset=utf-8");
	assert_string_equal(static_content_type("a.svg"), "image/svg+xml");
	assert_string_equal(static_content_type("a.png"), "image/png");
	assert_null(static_content_type("a.js"));
}

static void
test_each_asset_served(void **state)
{
	struct fixture *f = *state;
	const struct static_file *sf;
	int n = 0;

	for (sf = static_files; sf->name; sf++) {
		struct buf path = BUF_INIT, h = BUF_INIT, body = BUF_INIT;
		struct buf want = BUF_INIT;
		long status = 0;

		buf_addf(&path, "%s%s", STATIC_PREFIX, sf->name);
		assert_int_equal(test_http(&f->srv, "GET", path.data, NULL,
		                           &status, &h, &body), 0);
		assert_int_equal(status, 200);
		assert_int_equal(body.len, sf->size);
		assert_memory_equal(body.data, sf->data, sf->size);
		buf_addf(&want, "Content-Type: %s\r\n", static_content_type(sf->name));
		if (!strstr(h.data, want.data))
			fail_msg("%s: want %s in\n%s", sf->name, want.data, h.data);
		assert_non_null(strstr(h.data, "Cache-Control: public, max-age=86400\r\n"));
		/* Exactly one Cache-Control: the cacheable one replaced no-store. */
		assert_int_equal(count(h.data, "Cache-Control:"), 1);
		assert_null(strstr(h.data, "no-store"));
		assert_security_headers(&h);

		/* HEAD: same status, type and length, no body. */
		buf_reset(&h);
		buf_reset(&body);
		assert_int_equal(test_http(&f->srv, "HEAD", path.data, NULL,
		                           &status, &h, &body), 0);
		assert_int_equal(status, 200);
		assert_int_equal(body.len, 0);
		assert_non_null(strstr(h.data, want.data));
		buf_reset(&want);
		buf_addf(&want, "Content-Length: %zu\r\n", sf->size);
		assert_non_null(strstr(h.data, want.data));
		assert_security_headers(&h);

		buf_release(&path);
		buf_release(&h);
		buf_release(&body);
		buf_release(&want);
		n++;
	}
	assert_true(n >= 3);
}

static void
test_traversal_refused(void **state)
{
	static const char *const paths[] = {
		"/assets/",
		"/assets/../health",
		"/assets/..%2fhealth",
		"/assets/%2e%2e/health",
		"/assets/%2e%2e%2fhealth",
		"/assets/..%2f..%2f..%2fetc%2fpasswd",
		"/assets/....//meldpunt.css",
		"/assets/%2fetc%2fpasswd",
		"/assets//meldpunt.css",
		"/assets/./meldpunt.css",
		"/assets/sub/meldpunt.css",
		"/assets/..\\meldpunt.css",
		"/assets/%5c..%5cmeldpunt.css",
		"/assets/%00meldpunt.css",
		"/assets/%00",
		"/assets/meldpunt.css%00",
		"/assets/meldpunt.css%00.png",
		"/assets/meldpunt.css%00/../x.css",
		"/assets/meldpunt.css/",
		"/assets/meldpunt.css%2f",
		"/assets/MELDPUNT.CSS",
		"/assets/meldpunt.css.map",
		"/assets/meldpunt.js",
		"/assets/missing.css",
		"/assets/meldpunt%2ecss%2e%2e",
		"/assets/%c0%ae%c0%ae/meldpunt.css",
		"/assets",
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct buf resp = BUF_INIT;
		long status = 0;

		if (raw_get(&f->srv, paths[i], &status, &resp) < 0)
			fail_msg("GET %s: no answer", paths[i]);
		/* libmicrohttpd itself may refuse some as 400: also fine. */
		if (status != 404 && status != 400)
			fail_msg("GET %s: status %ld, want 404", paths[i], status);
		if (status == 404) {
			assert_security_headers(&resp);
			assert_non_null(strstr(resp.data, "Cache-Control: no-store"));
		}
		assert_null(strstr(resp.data, "max-age"));
		/* Nothing of any asset or other file came back. */
		assert_null(strstr(resp.data, "--utrecht-"));
		assert_null(strstr(resp.data, "meldpunt.css -"));
		assert_null(strstr(resp.data, "\"status\""));
		assert_null(strstr(resp.data, "root:"));
		buf_release(&resp);
	}
}

static void
test_methods(void **state)
{
	struct fixture *f = *state;
	struct buf h = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "POST", "/assets/meldpunt.css", "x=1",
	                           &status, &h, NULL), 0);
	assert_int_equal(status, 405);
	assert_security_headers(&h);
	assert_non_null(strstr(h.data, "Cache-Control: no-store"));
	buf_release(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_head_links),
		cmocka_unit_test_setup_teardown(test_each_asset_served, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_traversal_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_methods, setup, teardown),
	};
	return cmocka_run_group_tests_name("static", tests, NULL, NULL);
}
