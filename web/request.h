/*
 * request.h - one HTTP request while it is being answered.
 *
 * All per-request state lives in a struct request, never in globals:
 * requests are served from several threads. A handler writes its body into
 * req->out, sets the content type, and returns; or it calls web_fail, the
 * one way a client error becomes a response. The server adds the security
 * headers to every response (see SECURITY.md).
 */
#ifndef MELDPUNT_REQUEST_H
#define MELDPUNT_REQUEST_H

#include "buf.h"
#include "i18n.h"
#include "limits.h"
#include "report.h"

struct MHD_Connection;
struct server;
struct installation;
struct session;

struct request {
	struct MHD_Connection *conn;
	struct server *server;
	struct installation *inst;
	const char *method;
	const char *path;
	const struct limits *limits;
	enum lang lang;		/* from ?lang= or the lang cookie; nl default */
	int lang_chosen;	/* ?lang= given: remember it in a cookie */
	struct post *post;	/* the parsed body of a POST, else NULL */
	struct session *session;	/* staff routes: the logged-in session */

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
};

/*
 * Answer status with a short page carrying message (escaped). Returns 0 so
 * a handler can end with `return web_fail(...)`.
 */
int web_fail(struct request *req, unsigned status, const char *message);

/* web_fail with the text of a message catalogue key. */
int web_fail_key(struct request *req, unsigned status, const char *key);

/* The text of key in the request's language. */
const char *web_text(const struct request *req, const char *key);

/* Per-client limits (core/ratelimit.h), counted on the client's address
 * hashed with a key of this run; nothing of the address is kept. */
enum web_rate { WEB_RATE_RECEIPT, WEB_RATE_SUBMIT };
/* 1 when the client may go on, 0 when it has used up its window. */
int web_rate_allow(struct request *req, enum web_rate which);
/*
 * Failed logins, per client and per account name (existing or not, so the
 * answer says nothing about which accounts exist): web_login_allowed peeks
 * before the password is hashed, web_login_failed counts a failure.
 */
int web_login_allowed(struct request *req, const char *username);
void web_login_failed(struct request *req, const char *username);

/*
 * API tokens (web/api.c): a client that keeps sending bad tokens is held
 * back like one that keeps failing logins (the per-client login limit),
 * before any token is looked up.
 */
int web_token_allowed(struct request *req);
void web_token_failed(struct request *req);

/* The workflow of a report type, and all of them (core/workflow.h). */
struct workflow;
struct workflows;
const struct workflows *web_workflows(const struct request *req);
const struct workflow *web_workflow(const struct request *req,
                                    enum report_type type);

/* Answer 303 See Other to path (a literal or validated path). */
int web_redirect(struct request *req, const char *path);

/* A cookie the client sent, or NULL. */
const char *web_cookie(const struct request *req, const char *name);

struct sessions;
/* The server's staff sessions. */
struct sessions *web_sessions(const struct request *req);

/* 1 when session cookies may omit Secure (plain HTTP on loopback). */
int web_cookie_insecure_ok(const struct request *req);

/* The server's whole configuration (core/config.h), or NULL without one. */
struct config;
const struct config *web_config(const struct request *req);

/* A request header, or NULL. */
const char *web_header(const struct request *req, const char *name);

/* A query-string argument, or NULL. */
const char *web_query(const struct request *req, const char *name);

#endif
