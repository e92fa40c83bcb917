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

struct MHD_Connection;
struct server;
struct installation;

struct request {
	struct MHD_Connection *conn;
	struct server *server;
	struct installation *inst;
	const char *method;
	const char *path;

	/* The response being built. */
	unsigned status;
	const char *content_type;
	struct buf out;
};

/*
 * Answer status with a short page carrying message (escaped). Returns 0 so
 * a handler can end with `return web_fail(...)`.
 */
int web_fail(struct request *req, unsigned status, const char *message);

#endif
