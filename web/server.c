/*
 * server.c - the transport: libmicrohttpd in, responses out.
 *
 * Starting and stopping the daemon (address, TLS, threads, connection
 * limits, per client too: core/admission.h), reading each request's body
 * under its limits (size, pace, the memory budget), and sending the
 * answer; what it serves with (texts, workflows, sessions, rate limits,
 * the outbox and retention services) is the site (site.h). Each request gets a struct request (request.h, the
 * API handlers use), is dispatched through the route table (routes.h),
 * and its buffer becomes the response with the security headers added
 * here, in one place, so no page can forget them. Nothing here draws a
 * page: refusals go through web_fail like any handler's.
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

#include "admission.h"
#include "client.h"
#include "config.h"
#include "keys.h"
#include "i18n.h"
#include "log.h"
#include "page_report.h"
#include "post.h"
#include "request.h"
#include "routes.h"
#include "server.h"
#include "site.h"

struct server {
	struct MHD_Daemon *daemon;
	struct installation *inst;
	struct server_config cfg;
	uint16_t port;
	/* What it serves with (site.h): site.env is what every request
	 * borrows (request.h). */
	struct site site;
	/* PEM texts for HTTPS (NUL-terminated), or NULL; the key is wiped. */
	char *tls_cert, *tls_key;
	size_t tls_key_len;
	/* Connections and body bytes per client (core/admission.h). */
	struct admission *admission;
	/* [server] trusted_proxy (web/client.h). */
	struct client_proxies proxies;
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

static enum MHD_Result
send_response(struct request *req)
{
	struct MHD_Response *resp;
	struct buf_block *body;
	enum MHD_Result ret;
	size_t i;

	/*
	 * A body may hold opened content (a case page, a file): it is wiped
	 * when libmicrohttpd is done with it, not only freed.
	 */
	body = buf_detach_block(&req->out);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(
		body->len, body->data, buf_wiped_free, body);
	if (!resp) {
		buf_wiped_free(body);
		return MHD_NO;
	}
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++) {
		/* A cacheable response (request.h) replaces only no-store. */
		if (req->cache_max_age &&
		    strcmp(security_headers[i].name, "Cache-Control") == 0)
			continue;
		MHD_add_response_header(resp, security_headers[i].name,
		                        security_headers[i].value);
	}
	if (req->cache_max_age) {
		char cc[64];

		snprintf(cc, sizeof(cc), "public, max-age=%u", req->cache_max_age);
		MHD_add_response_header(resp, "Cache-Control", cc);
	}
	if (req->content_type)
		MHD_add_response_header(resp, "Content-Type", req->content_type);
	if (req->location)
		MHD_add_response_header(resp, "Location", req->location);
	if (req->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", req->set_cookie);
	if (req->disposition)
		MHD_add_response_header(resp, "Content-Disposition",
		                        req->disposition);
	if (req->authenticate)
		MHD_add_response_header(resp, "WWW-Authenticate",
		                        req->authenticate);
	if (req->retry_after) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%u", req->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	if (req->env->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        HSTS_VALUE);
	/* Only the language is remembered; nothing that identifies anyone. */
	if (req->lang_chosen) {
		char lc[96];

		snprintf(lc, sizeof(lc), "lang=%s; Path=/; Max-Age=31536000; "
		         "SameSite=Strict; HttpOnly%s",
		         req->lang == LANG_EN ? "en" : "nl",
		         req->env->cookie_insecure_ok ? "" : "; Secure");
		MHD_add_response_header(resp, "Set-Cookie", lc);
	}
	ret = MHD_queue_response(req->conn, req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* What a connection keeps between libmicrohttpd's calls for one request. */
struct conn_state {
	struct post *post;
	/* An API POST: the raw JSON body, read under body_max (api.h). */
	struct buf json;
	int is_json;
	int answered;		/* a refusal was queued before the body came */
	/* A refusal found while the body came, answered at its end. */
	unsigned late_status;
	const char *late_key;
	size_t drained;
	/* Who sent it (client.h), and the body bytes held for it in the
	 * budget (core/admission.h): its declared length, or what came. */
	struct client_key client;
	int counted;		/* a proxied client's connection, counted */
	size_t held;
	int declared;		/* held is the Content-Length */
	/* The body's pace: bytes since window_start (milliseconds). */
	long long window_start;
	size_t window_bytes;
};

/* The peer address of a connection, or NULL. */
static const struct sockaddr *
peer_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ci ? ci->client_addr : NULL;
}

/* Milliseconds of a clock that only goes forward. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Build, dispatch and send; or send the refusal already in req. */
static enum MHD_Result
answer(struct request *req)
{
	enum MHD_Result ret;

	ret = send_response(req);
	request_release(req);
	return ret;
}

static enum MHD_Result
refuse(struct server *s, struct MHD_Connection *conn, const char *url,
       const char *method, unsigned status, const char *key)
{
	struct buf text = BUF_INIT, size = BUF_INIT;
	struct request req;

	request_init(&req, &s->site.env, conn, url, method);
	buf_addf(&size, "%zu MB", s->cfg.limits.body_max / (1024 * 1024));
	if (status == 503) {
		buf_reset(&size);
		buf_addf(&size, "%u", LIMIT_BUSY_RETRY_AFTER);
		i18n_fill(&text, web_text(&req, key), "seconds", size.data,
		          (const char *)NULL);
	} else {
		i18n_fill(&text, web_text(&req, key), "max", size.data,
		          (const char *)NULL);
	}
	if (status == 413 && strcmp(key, "common.too_large") == 0 && !req.api)
		page_report_too_large(&req);
	else
		web_fail(&req, status, text.data);
	if (status == 503)
		req.retry_after = LIMIT_BUSY_RETRY_AFTER;
	buf_release(&text);
	buf_release(&size);
	return answer(&req);
}

/*
 * A POST must come from our own pages. Browsers say where a request comes
 * from in Sec-Fetch-Site ("same-origin", "cross-site", ...) and in Origin.
 * Our Referrer-Policy (no-referrer) makes them send "Origin: null" even for
 * our own forms, so a null Origin proves nothing either way; an Origin with
 * another host, or a cross-site fetch, is refused. Clients that send
 * neither header (curl, scripts) are not browsers a forged page could
 * drive, so they pass.
 */
static int
origin_ok(struct MHD_Connection *conn)
{
	const char *site, *origin, *host, *p;

	site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                   "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (!origin || strcmp(origin, "null") == 0)
		return 1;
	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	if (!host)
		return 0;
	p = strstr(origin, "://");
	return p && strcmp(p + 3, host) == 0;
}

/*
 * Whether a body keeps body_rate_min: every stretch of body_rate_window
 * seconds must bring that many bytes a second. Judged when bytes come;
 * a body that brings none is closed by the idle timeout.
 */
static int
body_paced(struct server *s, struct conn_state *cs, size_t n)
{
	long long now = now_ms(), span = now - cs->window_start;

	cs->window_bytes += n;
	if (span < (long long)s->cfg.limits.body_rate_window * 1000)
		return 1;
	if ((unsigned long long)cs->window_bytes * 1000 <
	    (unsigned long long)s->cfg.limits.body_rate_min *
	    (unsigned long long)span) {
		log_info("a request body came too slowly; connection closed");
		return 0;
	}
	cs->window_start = now;
	cs->window_bytes = 0;
	return 1;
}

/* Let go of a body read so far and of what the budget holds for it. */
static void
drop_body(struct server *s, struct conn_state *cs)
{
	post_free(cs->post);
	cs->post = NULL;
	if (cs->is_json)
		buf_wipe_release(&cs->json);
	if (cs->held)
		admission_give(s->admission, cs->client.bytes, cs->client.len,
		               cs->held);
	cs->held = 0;
}

/* Refuse a body while it comes: drop it, answer at its end. */
static enum MHD_Result
refuse_later(struct server *s, struct conn_state *cs, unsigned status,
             const char *key)
{
	drop_body(s, cs);
	cs->late_status = status;
	cs->late_key = key;
	return MHD_YES;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct conn_state *cs = *con_cls;
	struct request req;

	(void)version;

	if (!cs) {
		const char *len;

		cs = calloc(1, sizeof(*cs));
		if (!cs)
			die("out of memory");
		*con_cls = cs;
		client_of_connection(conn, &s->proxies, &cs->client);
		/* The headers are in: from here on the longer idle timeout
		 * (completed() sets the header one back). */
		MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
		                          s->cfg.limits.connection_timeout);
		cs->window_start = now_ms();
		/* Through a trusted proxy the client is known only now:
		 * its connections are counted per request. */
		if (client_is_proxy(&s->proxies, peer_of(conn))) {
			if (!admission_connect(s->admission, cs->client.bytes,
			                       cs->client.len)) {
				cs->answered = 1;
				return refuse(s, conn, url, method, 503,
				              "common.busy");
			}
			cs->counted = 1;
		}
		if (strcmp(method, "POST") != 0)
			return MHD_YES;
		if (!origin_ok(conn)) {
			cs->answered = 1;
			return refuse(s, conn, url, method, 403,
			              "common.forbidden_origin");
		}
		/* Refuse an oversize body before reading any of it. */
		len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                  "Content-Length");
		if (len && strtoull(len, NULL, 10) > s->cfg.limits.body_max) {
			cs->answered = 1;
			return refuse(s, conn, url, method, 413, "common.too_large");
		}
		/* Hold its declared length in the budget before reading any. */
		if (len) {
			size_t n = (size_t)strtoull(len, NULL, 10);

			if (!admission_take(s->admission, cs->client.bytes,
			                    cs->client.len, n)) {
				cs->answered = 1;
				return refuse(s, conn, url, method, 503,
				              "common.busy");
			}
			cs->held = n;
			cs->declared = 1;
		}
		if (web_api_path(url)) {
			/* The API reads JSON itself, strictly (web/apijson.h). */
			if (!web_json_type(MHD_lookup_connection_value(conn,
			                   MHD_HEADER_KIND, "Content-Type"))) {
				cs->answered = 1;
				return refuse(s, conn, url, method, 415,
				              "common.unsupported_type");
			}
			cs->is_json = 1;
			buf_init(&cs->json);
			return MHD_YES;
		}
		cs->post = post_new(conn, &s->cfg.limits);
		if (!cs->post) {
			cs->answered = 1;
			return refuse(s, conn, url, method, 415,
			              "common.unsupported_type");
		}
		return MHD_YES;
	}

	if (*upload_data_size) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (!body_paced(s, cs, n))
			return MHD_NO;	/* too slow: close the connection */
		if (cs->answered)
			return MHD_YES;	/* drain what follows a refusal */
		if (cs->late_status) {
			/* Refused as it came: read on to its end, keeping
			 * nothing (libmicrohttpd 0.9.75 answers only then),
			 * but no more than body_max of it. */
			cs->drained += n;
			return cs->drained > s->cfg.limits.body_max ? MHD_NO
			                                           : MHD_YES;
		}
		if (!cs->declared) {
			/* No declared length: held as it comes. */
			if (!admission_take(s->admission, cs->client.bytes,
			                    cs->client.len, n))
				return refuse_later(s, cs, 503, "common.busy");
			cs->held += n;
		}
		if (cs->is_json) {
			if (cs->json.len + n > s->cfg.limits.body_max)
				return refuse_later(s, cs, 413,
				                    "common.too_large");
			buf_add(&cs->json, upload_data, n);
			return MHD_YES;
		}
		if (!cs->post)
			return MHD_YES;
		if (post_feed(cs->post, upload_data, n) < 0 &&
		    cs->post->error == POST_BODY_TOO_LARGE)
			/* A body without Content-Length that grew too big. */
			return refuse_later(s, cs, 413, "common.too_large");
		return MHD_YES;
	}
	if (cs->answered)
		return MHD_YES;
	if (cs->late_status)
		return refuse(s, conn, url, method, cs->late_status,
		              cs->late_key);

	if (cs->post) {
		post_finish(cs->post);
		switch (cs->post->error) {
		case POST_OK:
			break;
		case POST_BODY_TOO_LARGE:
			return refuse(s, conn, url, method, 413, "common.too_large");
		case POST_TOO_MANY_FIELDS:
			return refuse(s, conn, url, method, 413,
			              "common.too_many_fields");
		default:
			return refuse(s, conn, url, method, 400,
			              "common.bad_request");
		}
	}

	request_init(&req, &s->site.env, conn, url, method);
	req.post = cs->post;
	if (cs->is_json) {
		req.body = cs->json.data ? cs->json.data : "";
		req.body_len = cs->json.len;
	}
	if (routes_dispatch(&req) < 0)
		web_fail_key(&req, 500, "common.server_error");
	return answer(&req);
}

/* Free what a connection kept for its request. */
static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct conn_state *cs = *con_cls;

	/* A kept-alive connection waits for headers again: the short
	 * idle timeout. */
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
		                          s->cfg.limits.header_timeout);
	if (!cs)
		return;
	/* The body may be report content, as the post's fields may be
	 * (drop_body wipes both). */
	drop_body(s, cs);
	if (cs->counted)
		admission_disconnect(s->admission, cs->client.bytes,
		                     cs->client.len);
	free(cs);
	*con_cls = NULL;
}

/*
 * A new connection: refused at once when its client has
 * connections_per_client open already. Counted when libmicrohttpd has
 * taken it (connection_event), so a connection it turns away for its own
 * reasons is never counted.
 */
static enum MHD_Result
accept_client(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct server *s = cls;
	struct client_key c;

	(void)addrlen;
	/* A trusted proxy's clients are counted per request (handle). */
	if (client_is_proxy(&s->proxies, addr))
		return MHD_YES;
	client_of_sockaddr(addr, &c);
	return admission_may_connect(s->admission, c.bytes, c.len) ? MHD_YES
	                                                            : MHD_NO;
}

static void
connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
                 enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	struct client_key *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		if (client_is_proxy(&s->proxies, peer_of(conn)))
			return;
		c = malloc(sizeof(*c));
		if (!c)
			die("out of memory");
		client_of_sockaddr(peer_of(conn), c);
		admission_connect_anyway(s->admission, c->bytes, c->len);
		*socket_context = c;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && c) {
		admission_disconnect(s->admission, c->bytes, c->len);
		free(c);
		*socket_context = NULL;
	}
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

/* libmicrohttpd's printf format (clang: -Wformat-nonliteral). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

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

/*
 * Decode %XX in the path and query like libmicrohttpd does, except that a
 * text holding %00 stays as it came: decoded, the NUL would silently cut
 * it short ("/assets/a.css%00.png" would read as "/assets/a.css"), and no
 * page takes a NUL. Left encoded it matches no route and no valid value.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	if (strstr(s, "%00"))
		return strlen(s);
	return MHD_http_unescape(s);
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
	site_close(&s->site);
	admission_free(s->admission);
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
	/* Only with a pool: libmicrohttpd warns about a pool size of 0. */
	struct MHD_OptionItem pool_opts[2] = {
		{ MHD_OPTION_END, 0, NULL },
	};
	const union MHD_DaemonInfo *info;
	size_t cert_len;
	struct server *s;

	*out = NULL;
	/*
	 * threads = 0: a thread of its own for each connection, waiting in
	 * poll() on that one socket (select() would also stop working past
	 * FD_SETSIZE descriptors). See LIMIT_THREADS_DEFAULT for why.
	 */
	if (cfg->limits.threads == 0) {
		flags |= MHD_USE_THREAD_PER_CONNECTION;
		if (MHD_is_feature_supported(MHD_FEATURE_POLL))
			flags |= MHD_USE_POLL;
	} else {
		pool_opts[0] = (struct MHD_OptionItem){
			MHD_OPTION_THREAD_POOL_SIZE, cfg->limits.threads, NULL };
	}
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
	s->admission = admission_new(cfg->limits.connections_per_client,
	                             cfg->limits.body_memory_per_client,
	                             cfg->limits.body_memory);
	if (client_proxies_parse(&s->proxies, cfg->config
	                         ? cfg->config->trusted_proxy : NULL) < 0) {
		admission_free(s->admission);
		free(s);
		return error("[server] trusted_proxy is not a list of at most "
		             "%u addresses", LIMIT_TRUSTED_PROXIES);
	}
	if (site_open(&s->site, inst, &s->cfg.limits, s->cfg.config) < 0) {
		free(s);
		return -1;
	}
	s->site.env.allowed = routes_allowed;
	s->site.env.answers_get = routes_get;
	s->site.env.proxies = &s->proxies;
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
	s->site.env.tls = server_tls(s);
	/*
	 * Secure may be left off only for plain HTTP on this machine, and
	 * not even then when reporters reach it over https (a proxy).
	 */
	s->site.env.cookie_insecure_ok = !s->site.env.tls &&
		(strcmp(s->cfg.listen, "127.0.0.1") == 0 ||
		 strcmp(s->cfg.listen, "::1") == 0) &&
		!(cfg->config && strncmp(cfg->config->public_url, "https://",
		                         8) == 0);
	/* The logger goes first, so no message escapes it unfiltered. */
	s->daemon = MHD_start_daemon(flags, cfg->port, accept_client, s,
		handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_ARRAY, pool_opts,
		MHD_OPTION_CONNECTION_LIMIT, cfg->limits.connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->limits.header_timeout,
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
	if (site_start_services(&s->site) < 0) {
		MHD_stop_daemon(s->daemon);
		server_free(s);
		return -1;
	}
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
