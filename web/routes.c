/*
 * routes.c - the route table and its dispatcher (see routes.h).
 */
#include <string.h>

#include "page_report.h"
#include "pages.h"
#include "routes.h"
#include "static.h"

const struct route routes[] = {
	{ "GET", "/", page_home, 0 },
	{ "GET", "/health", page_health, 0 },
	{ "GET", PATH_INCIDENT, page_report_form, 0 },
	{ "POST", PATH_INCIDENT, page_report_submit, 0 },
	{ "GET", PATH_SIGNAL, page_report_form, 0 },
	{ "POST", PATH_SIGNAL, page_report_submit, 0 },
	{ "GET", PATH_STATUS, page_status_form, 0 },
	{ "POST", PATH_STATUS, page_status, 0 },
	{ "POST", PATH_REPLY, page_status_reply, 0 },
	{ "GET", STATIC_PREFIX, page_static, ROUTE_PREFIX },
	{ NULL, NULL, NULL, 0 },
};

int
routes_dispatch(struct request *req)
{
	const struct route *r;
	int path_known = 0;

	for (r = routes; r->path; r++) {
		if ((r->flags & ROUTE_PREFIX) ?
		    strncmp(r->path, req->path, strlen(r->path)) != 0 :
		    strcmp(r->path, req->path) != 0)
			continue;
		path_known = 1;
		/* HEAD is answered like GET; the server drops the body. */
		if (strcmp(r->method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 &&
		     strcmp(r->method, "GET") == 0))
			return r->handler(req);
	}
	if (path_known)
		return web_fail_key(req, 405, "common.method_not_allowed");
	return web_fail_key(req, 404, "common.not_found");
}
