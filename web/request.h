/*
 * request.h - one HTTP request while it is being answered.
 *
 * All per-request state lives in a struct request, never in globals:
 * requests are served from several threads. A handler writes its body into
 * req->out, sets the content type, and returns; or it calls web_fail, the
 * one way a client error becomes a response. The server adds the security
 * headers to every response (see SECURITY.md).
 *
 * This is the API handlers use on a request (web/request.c): its
 * parameters, headers and cookies, the answer, the rate limits and what
 * the server shares with every request (struct web_env). It knows nothing
 * of pages, routes or the transport: web/server.c fills a request from
 * libmicrohttpd and sends its answer, web/routes.c picks the handler, and
 * the error page web_fail draws is layout code (web/layout.c).
 */
#ifndef MELDPUNT_REQUEST_H
#define MELDPUNT_REQUEST_H

#include "buf.h"
#include "i18n.h"
#include "limits.h"
#include "loginguard.h"
#include "report.h"

struct MHD_Connection;
struct apijson_errors;
struct client_proxies;
struct config;
struct installation;
struct loginguard;
struct ratelimit;
struct session;
struct sessions;
struct workflows;

/*
 * What every request of one server shares, made by server_start and
 * borrowed by each request (req->env); read-only while requests run,
 * except through the thread-safe sessions and rate limits.
 */
struct held;

struct web_env {
	struct installation *inst;
	const struct limits *limits;
	/* The whole configuration (core/config.h), or NULL without one. */
	const struct config *config;
	/* The workflows of every report type, loaded at start. */
	const struct workflows *workflows;
	/* Logged-in staff, in memory only (session.h). */
	struct sessions *sessions;
	/* Attempts per client: receipt look-ups, submissions, logins (and
	 * bad API tokens). */
	struct ratelimit *receipt_rl, *submit_rl, *login_rl;
	/* Failed logins per account and per (account, address), growing
	 * waits (core/loginguard.h). */
	struct loginguard *login_guard;
	/* Hand-off packages waiting for their one download (held.h). */
	struct held *held;
	/* [server] trusted_proxy, parsed (web/client.h); n 0: none. */
	const struct client_proxies *proxies;
	/* 1 when the server speaks HTTPS. */
	int tls;
	/* 1 when session cookies may omit Secure (plain HTTP on loopback). */
	int cookie_insecure_ok;
	/*
	 * Whether roles may open the staff page at path: routes_allowed
	 * (web/routes.h), the answer the route table gives, handed down so
	 * that pages ask it without depending on the table above them.
	 */
	int (*allowed)(const char *path, unsigned roles);
	/* 1 when some route answers GET at path (routes_get, web/routes.h);
	 * NULL: none is known. */
	int (*answers_get)(const char *path);
};

struct request {
	struct MHD_Connection *conn;
	const struct web_env *env;
	struct installation *inst;
	const char *method;
	const char *path;
	const struct limits *limits;
	enum lang lang;		/* from ?lang= or the lang cookie; nl default */
	int lang_chosen;	/* ?lang= given: remember it in a cookie */
	struct post *post;	/* the parsed body of a POST, else NULL */
	struct session *session;	/* staff routes: the logged-in session */
	/* ROUTE_TYPE routes: the report type the path names (routes.h). */
	enum report_type type;

	/*
	 * The JSON API (web/api.h): api is set for every path under /api/, so
	 * web_fail answers application/problem+json there. body is the raw
	 * JSON body of an API POST (body_len bytes, wiped after the request),
	 * else NULL. On ROUTE_API routes session is made from the bearer
	 * token for this request alone (api_session: freed, keys wiped, at its
	 * end) and never enters the session table.
	 */
	int api;
	const char *body;
	size_t body_len;
	int api_session;
	/* A WWW-Authenticate header value (a literal), or NULL. */
	const char *authenticate;
	/* Seconds for a Retry-After header (a 429 or 503), or 0 for none. */
	unsigned retry_after;

	/* The response being built. */
	unsigned status;
	const char *content_type;
	struct buf out;
	/*
	 * 0 (the default): the response says Cache-Control: no-store. A
	 * handler whose response is the same for every client and holds
	 * nothing private (static assets only) sets the seconds a browser may
	 * keep it: "Cache-Control: public, max-age=N". web_fail resets it.
	 */
	unsigned cache_max_age;
	/* Set by web_redirect: the Location of a 303. */
	char *location;
	/* A Set-Cookie header value for the response, or NULL (owned). */
	char *set_cookie;
	/* A Content-Disposition header value (downloads), or NULL (owned). */
	char *disposition;
	/*
	 * The address that shows again what the answer to a POST shows (the
	 * case page of a refused step), or NULL (owned): the language switch
	 * leads there (web/layout.c).
	 */
	char *here;
};

/*
 * Set up req for method and url on conn, with the language from ?lang= or
 * the lang cookie; request_release frees what the answer holds.
 */
void request_init(struct request *req, const struct web_env *env,
                  struct MHD_Connection *conn, const char *url,
                  const char *method);
void request_release(struct request *req);

/*
 * Answer status with a short page carrying message (escaped), drawn by
 * web/layout.c; on /api/ paths (req->api) the problem+json of api_fail
 * instead. Returns 0 so a handler can end with `return web_fail(...)`.
 */
int web_fail(struct request *req, unsigned status, const char *message);

/*
 * The problem+json answer (RFC 9457, web/api.h) for status with detail;
 * api_invalid: 422 with one entry per refused value (400 for a malformed
 * body). Both return 0.
 */
int api_fail(struct request *req, unsigned status, const char *detail);
int api_invalid(struct request *req, const struct apijson_errors *errs);

/* 1 when path is under /api/ (API_PREFIX, web/paths.h). */
int web_api_path(const char *path);
/* 1 when a Content-Type header value is JSON (a charset may follow). */
int web_json_type(const char *content_type);

/* web_fail with the text of a message catalogue key. */
int web_fail_key(struct request *req, unsigned status, const char *key);

/* The text of key in the request's language. */
const char *web_text(const struct request *req, const char *key);

/* Per-client limits (core/ratelimit.h), counted on the client's address
 * hashed with a key of this run; nothing of the address is kept. */
enum web_rate { WEB_RATE_RECEIPT, WEB_RATE_SUBMIT };
/* 1 when the client may go on, 0 when it has used up its window. */
int web_rate_allow(struct request *req, enum web_rate which);
/* Give back the attempt web_rate_allow counted (a submission that was
 * refused and stored nothing does not count). */
void web_rate_give_back(struct request *req, enum web_rate which);
/*
 * Failed logins, per client over all accounts, per account name
 * (existing or not, so the answer says nothing about which accounts
 * exist) and per (account, client) with growing waits, as core's struct
 * login_limit counts them: web_login_begin counts the attempt as a
 * failure before the password is hashed (1: go on; 0: refused, *retry
 * seconds to wait) and keeps in *t what it counted; web_login_end gives
 * the count back when the attempt let the user in (in = 1: the client's
 * failures on the account are forgotten) or was never tried (in = 0).
 */
struct web_login {
	int counted;
	struct loginguard_ticket guard;
};
int web_login_begin(struct request *req, const char *username,
                    struct web_login *t, unsigned *retry);
void web_login_end(struct request *req, struct web_login *t, int give_back,
                   int in);

/*
 * API tokens (web/api.c): a client that keeps sending bad tokens is held
 * back like one that keeps failing logins (the per-client login limit),
 * before any token is looked up.
 */
int web_token_allowed(struct request *req);
void web_token_failed(struct request *req);

/* The workflow of a report type, and all of them (core/workflow.h). */
struct workflow;
const struct workflows *web_workflows(const struct request *req);
const struct workflow *web_workflow(const struct request *req,
                                    enum report_type type);

/*
 * 1 when the request's staff session may open the staff page at path,
 * exactly as the route table decides (web_env.allowed); 0 without one.
 * Offer a link on this answer and it never leads to a refusal.
 */
int web_allowed(const struct request *req, const char *path);

/* Answer 303 See Other to path (a literal or validated path). */
int web_redirect(struct request *req, const char *path);

/* A cookie the client sent, or NULL. */
const char *web_cookie(const struct request *req, const char *name);

/* The server's staff sessions. */
struct sessions *web_sessions(const struct request *req);

/* 1 when session cookies may omit Secure (plain HTTP on loopback). */
int web_cookie_insecure_ok(const struct request *req);

/* The server's whole configuration (core/config.h), or NULL without one. */
const struct config *web_config(const struct request *req);
/* [calendar] due_soon, or its default when the server has no config. */
unsigned web_due_soon(const struct request *req);

/* A request header, or NULL. */
const char *web_header(const struct request *req, const char *name);

/* A query-string argument, or NULL. */
const char *web_query(const struct request *req, const char *name);
/*
 * The query of the request without the arguments named skip, in the order
 * sent, each name and value encoded again (html_url_arg), joined by '&',
 * appended to out; nothing when none is left.
 */
void web_query_except(const struct request *req, const char *skip,
                      struct buf *out);

#endif
