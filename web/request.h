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
/* 1 when the client may go on, 0 when it has used up its minute. */
int web_rate_allow(struct request *req, enum web_rate which);

/* The workflow of a report type. */
struct workflow;
const struct workflow *web_workflow(const struct request *req,
                                    enum report_type type);

/* A query-string argument, or NULL. */
const char *web_query(const struct request *req, const char *name);

#endif
