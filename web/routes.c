/*
 * routes.c - the route table and its dispatcher (see routes.h).
 */
#include <string.h>

#include "pages.h"
#include "routes.h"

const struct route routes[] = {
	{ "GET", "/", page_home, 0 },
	{ "GET", "/health", page_health, 0 },
	{ NULL, NULL, NULL, 0 },
};

int
routes_dispatch(struct request *req)
{
	const struct route *r;
	int path_known = 0;

	for (r = routes; r->path; r++) {
		if (strcmp(r->path, req->path) != 0)
			continue;
		path_known = 1;
		/* HEAD is answered like GET; the server drops the body. */
		if (strcmp(r->method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 &&
		     strcmp(r->method, "GET") == 0))
			return r->handler(req);
	}
	if (path_known)
		return web_fail(req, 405, "Deze methode is hier niet toegestaan.");
	return web_fail(req, 404, "Deze pagina bestaat niet.");
}
