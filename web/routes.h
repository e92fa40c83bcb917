/*
 * routes.h - the table of every page and API endpoint.
 *
 * One static table (routes.c) maps method and path to a handler and the
 * conditions to check before it runs. A handler is never reached for a
 * request that does not meet its route's conditions.
 */
#ifndef MELDPUNT_ROUTES_H
#define MELDPUNT_ROUTES_H

#include "params.h"
#include "request.h"

typedef int (*route_handler)(struct request *req);

/*
 * Flags, checked by routes_dispatch before the handler runs:
 * ROUTE_STAFF: a logged-in staff session is required (else the login page);
 *   the session is in req->session.
 * ROUTE_SETUP: also reachable while the session is still in its setup
 *   stage (new password, second factor); other staff routes send it there.
 * ROUTE_CSRF: the POST must carry the session's CSRF token as "csrf".
 * ROUTE_API: an API route for staff: an API token is required in
 *   "Authorization: Bearer" (web/api.h); cookies are not read. The
 *   token's one-request session is in req->session.
 * ROUTE_PREFIX: path ends in '/' and matches every path below it
 *   (the handler validates the rest, e.g. /assets/NAME).
 * ROUTE_TYPE: path ends in '/' and matches the paths below it that name
 *   a report type (its path, core/reptype.h), e.g. /melden/agressie; the
 *   type is in req->type. With ROUTE_STAFF the type's handling role is
 *   required (roles is then ignored).
 * ROUTE_TYPE_NAME: like ROUTE_TYPE, but the paths below it name a report
 *   type by its name (core/reptype.h), as the API does:
 *   /api/v1/forms/integrity.
 * ROUTE_ORAL: with ROUTE_TYPE, recording an oral report (core/oral.h):
 *   the path names a type whose form lets some roles record oral reports
 *   (schema/forms: [form] oral), and one of those roles is required
 *   instead of the handling role.
 */
#define ROUTE_STAFF 0x001u
#define ROUTE_SETUP 0x002u
#define ROUTE_CSRF 0x004u
#define ROUTE_API 0x008u
#define ROUTE_PREFIX 0x100u
#define ROUTE_TYPE 0x200u
#define ROUTE_TYPE_NAME 0x400u
#define ROUTE_ORAL 0x800u

struct route {
	const char *method;
	const char *path;
	route_handler handler;
	unsigned flags;
	unsigned roles;		/* with ROUTE_STAFF: any of these (0: any role) */
};

/*
 * The query parameters a route takes (params.h), declared beside the
 * table for the routes that check theirs: the dispatch checks every
 * query parameter of a request for method and path against params
 * before the handler runs. A route without an entry is not checked here.
 */
struct route_params {
	const char *method;
	const char *path;
	const struct route_param *params;	/* ended by a NULL name */
};

/*
 * 1 when a staff session with roles may open the staff page at path (its
 * GET route lets them in); 0 for any other path. The dispatch asks the
 * same question of every staff route, so a link offered on this answer
 * (the staff menu, web/page_auth.c, through web_allowed) never leads to a
 * refusal, and none is hidden that would be let in.
 */
int routes_allowed(const char *path, unsigned roles);

/*
 * The route that answers method at path (HEAD as GET), or NULL: the one
 * the dispatch runs. For tests (openapi.yaml against the table).
 */
const struct route *routes_find(const char *method, const char *path);

/* 1 when a route answers GET at path (the language switch of a POST's
 * answer leads there), else 0. */
int routes_get(const char *path);

/* Run the route for req, or answer 404 / 405. */
int routes_dispatch(struct request *req);

/* The tables, each ending with an entry whose path is NULL (for tests). */
extern const struct route routes[];
extern const struct route_params routes_params[];

#endif
