/*
 * fuzz_http.c - whole HTTP requests against the real server, in process.
 *
 * The request line, the headers Meldpunt reads (Content-Length, Origin,
 * Sec-Fetch-Site, Cookie with the language and the staff session), the
 * query string and the url-encoded and multipart bodies are parsed by
 * libmicrohttpd and then by web/post.c, the route table and the pages; none
 * of that can be reached without a connection. So this target starts the
 * server once, on an installation in a scratch folder, and sends each
 * input as the raw bytes of one connection to 127.0.0.1, reading the
 * answer until the server closes or a short wait ends. A memory error or
 * an abort in any of it ends the fuzzer; a hang shows as a timeout.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "crypto.h"
#include "install.h"
#include "server.h"

static struct installation *inst;
static struct server *srv;
static uint16_t port;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct install_result res;
	struct server_config cfg = {
		.listen = "127.0.0.1", .port = 0, .limits = limits_default,
	};
	char dir[] = "/tmp/meldpunt-fuzz-http-XXXXXX";

	(void)argc;
	(void)argv;
	fuzz_quiet();
	if (crypto_init() < 0 || !mkdtemp(dir))
		abort();
	if (install_create(dir, "admin", &PWHASH_FAST, &res) < 0 ||
	    install_open(dir, 0, &inst) < 0)
		abort();
	/* Slow or half requests must not hold a worker for long. */
	cfg.limits.connection_timeout = 1;
	cfg.limits.body_max = 1024 * 1024;
	cfg.limits.upload_file_max = 64 * 1024;
	cfg.limits.upload_total_max = 128 * 1024;
	/* Let the fuzzer submit as often as it likes. */
	cfg.limits.submissions = 1000;
	cfg.limits.receipt_attempts = 1000;
	if (server_start(&srv, inst, &cfg) < 0)
		abort();
	port = server_port(srv);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	char chunk[4096];
	size_t off = 0;
	int fd, waited = 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return 0;
	}
	while (off < size) {
		ssize_t w = send(fd, data + off, size - off, MSG_NOSIGNAL);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* Bounded: 300 ms of silence ends the exchange. */
	while (waited < 300) {
		ssize_t r;

		if (poll(&pfd, 1, 50) <= 0) {
			waited += 50;
			continue;
		}
		r = recv(fd, chunk, sizeof(chunk), 0);
		if (r <= 0)
			break;
	}
	close(fd);
	return 0;
}
