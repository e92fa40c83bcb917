/*
 * server.c - libmicrohttpd glue: requests in, responses out.
 *
 * Each request gets a struct request (request.h), is dispatched through
 * the route table, and its buffer becomes the response with the security
 * headers added here, in one place, so no page can forget them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "crypto.h"
#include "html.h"
#include "install.h"
#include "log.h"
#include "request.h"
#include "routes.h"
#include "server.h"

struct server {
	struct MHD_Daemon *daemon;
	struct installation *inst;
	struct server_config cfg;
	uint16_t port;
	/* PEM texts for HTTPS (NUL-terminated), or NULL; the key is wiped. */
	char *tls_cert, *tls_key;
	size_t tls_key_len;
};

/*
 * GnuTLS priorities: its usual safe choices, protocol versions 1.2 and 1.3
 * only (BSI TR-02102-2 and NCSC-NL both retire 1.0 and 1.1).
 */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* With TLS on, browsers remember for a year to use nothing else. */
#define HSTS_VALUE "max-age=31536000"
/* Certificate and key files larger than this are not PEM files. */
#define TLS_FILE_MAX (1024 * 1024)

/* The headers every response carries (SECURITY.md, "Headers"). */
static const struct {
	const char *name, *value;
} security_headers[] = {
	{ "Content-Security-Policy",
	  "default-src 'none'; style-src 'self'; img-src 'self' data:; "
	  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Cache-Control", "no-store" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=()" },
};

int
web_fail(struct request *req, unsigned status, const char *message)
{
	req->status = status;
	req->content_type = "text/html; charset=utf-8";
	buf_reset(&req->out);
	html_raw(&req->out, "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n"
	         "<meta charset=\"utf-8\">\n<title>Meldpunt</title>\n</head>\n"
	         "<body>\n<main>\n<h1>Meldpunt</h1>\n<p>");
	html_text(&req->out, message);
	html_raw(&req->out, "</p>\n</main>\n</body>\n</html>\n");
	return 0;
}

static enum MHD_Result
send_response(struct request *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i, len;
	char *body;

	body = buf_detach(&req->out, &len);
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i].name,
		                        security_headers[i].value);
	if (req->content_type)
		MHD_add_response_header(resp, "Content-Type", req->content_type);
	if (req->server && server_tls(req->server))
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        HSTS_VALUE);
	ret = MHD_queue_response(req->conn, req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct request req;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;

	memset(&req, 0, sizeof(req));
	req.conn = conn;
	req.server = s;
	req.inst = s->inst;
	req.method = method;
	req.path = url;
	req.status = 200;
	buf_init(&req.out);

	if (routes_dispatch(&req) < 0)
		web_fail(&req, 500, "Er ging iets mis aan onze kant. "
		         "Probeer het later opnieuw.");
	ret = send_response(&req);
	buf_release(&req.out);
	return ret;
}

static int
is_address_char(int c)
{
	return isxdigit(c) || c == '.' || c == ':';
}

void
server_redact(char *out, size_t outsize, const char *msg)
{
	size_t o = 0;
	const char *p = msg;

	if (!outsize)
		return;
	while (*p && o + 1 < outsize) {
		size_t n = 0, digits = 0, dots = 0, colons = 0;

		while (is_address_char((unsigned char)p[n])) {
			if (isdigit((unsigned char)p[n]))
				digits++;
			else if (p[n] == '.')
				dots++;
			else if (p[n] == ':')
				colons++;
			n++;
		}
		/* a.b.c.d, or anything with two or more colons (IPv6). */
		if (n && digits && (dots >= 3 || colons >= 2)) {
			const char *rep = "[address]";
			size_t r = strlen(rep);

			if (o + r >= outsize)
				break;
			memcpy(out + o, rep, r);
			o += r;
			p += n;
			continue;
		}
		if (n == 0)
			n = 1;
		while (n-- && *p && o + 1 < outsize)
			out[o++] = *p++;
	}
	out[o] = '\0';
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char raw[1024], clean[1024];
	size_t n;

	(void)cls;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	n = strlen(raw);
	while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		raw[--n] = '\0';
	server_redact(clean, sizeof(clean), raw);
	log_warn("http: %s", clean);
}

/* Read a whole PEM file as a NUL-terminated text. 0 or -1 (logged). */
static int
read_pem(const char *path, char **out, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	FILE *f;
	size_t n;
	int ret = -1;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return error("cannot read TLS file %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > TLS_FILE_MAX) {
			error("TLS file %s is too large for a PEM file", path);
			goto out;
		}
	}
	if (ferror(f) || b.len == 0) {
		error("cannot read TLS file %s (empty or unreadable)", path);
		goto out;
	}
	*out = buf_detach(&b, len);
	ret = 0;
out:
	crypto_wipe(chunk, sizeof(chunk));
	buf_wipe_release(&b);
	fclose(f);
	return ret;
}

static void
server_free(struct server *s)
{
	free(s->tls_cert);
	if (s->tls_key) {
		crypto_wipe(s->tls_key, s->tls_key_len);
		free(s->tls_key);
	}
	free(s);
}

int
server_tls(const struct server *s)
{
	return s->tls_cert != NULL;
}

int
server_start(struct server **out, struct installation *inst,
             const struct server_config *cfg)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	/* ITC: server_stop quiesces the daemon (libmicrohttpd asks for it). */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	                 MHD_USE_ITC;
	struct MHD_OptionItem tls_opts[4] = {
		{ MHD_OPTION_END, 0, NULL },
	};
	const union MHD_DaemonInfo *info;
	size_t cert_len;
	struct server *s;

	*out = NULL;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, cfg->listen, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(cfg->port);
	} else if (inet_pton(AF_INET6, cfg->listen, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		return error("listen address '%s' is not an IPv4 or IPv6 "
		             "address", cfg->listen);
	}

	s = calloc(1, sizeof(*s));
	if (!s)
		die("out of memory");
	s->inst = inst;
	s->cfg = *cfg;
	if (cfg->tls_certificate && cfg->tls_certificate[0]) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			server_free(s);
			return error("this libmicrohttpd has no TLS support");
		}
		if (read_pem(cfg->tls_certificate, &s->tls_cert, &cert_len) < 0 ||
		    !cfg->tls_key ||
		    read_pem(cfg->tls_key, &s->tls_key, &s->tls_key_len) < 0) {
			server_free(s);
			return -1;
		}
		flags |= MHD_USE_TLS;
		tls_opts[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
		                                       s->tls_key };
		tls_opts[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT,
		                                       0, s->tls_cert };
		tls_opts[2] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES,
		                                       0, TLS_PRIORITIES };
		tls_opts[3] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	}
	/* The logger goes first, so no message escapes it unfiltered. */
	s->daemon = MHD_start_daemon(flags, cfg->port, NULL, NULL, handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->limits.threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->limits.connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->limits.connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->limits.connection_memory,
		MHD_OPTION_ARRAY, tls_opts,
		MHD_OPTION_END);
	if (!s->daemon) {
		server_free(s);
		return error("cannot listen on %s port %u: is another program "
		             "using it? Choose another with --port (with TLS: "
		             "are the certificate and key a pair?)",
		             cfg->listen, cfg->port);
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->port;
	*out = s;
	return 0;
}

uint16_t
server_port(const struct server *s)
{
	return s->port;
}

void
server_stop(struct server *s)
{
	const union MHD_DaemonInfo *info;
	MHD_socket listener;
	time_t until;

	if (!s)
		return;
	/*
	 * Quiesce first: no new connections, but the worker threads go on
	 * serving the open ones, so a submission being sent still gets its
	 * receipt. Idle keep-alive connections are cut after the grace.
	 */
	listener = MHD_quiesce_daemon(s->daemon);
	if (listener != MHD_INVALID_SOCKET)
		close(listener);
	until = time(NULL) + (time_t)s->cfg.shutdown_grace;
	while (time(NULL) < until) {
		info = MHD_get_daemon_info(s->daemon,
		                           MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0)
			break;
		usleep(20000);
	}
	MHD_stop_daemon(s->daemon);
	server_free(s);
}
