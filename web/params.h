/*
 * params.h - query parameters declared with their validators.
 *
 * A route may list the query parameters it takes (struct route's params,
 * web/routes.h), each with a validator. routes_dispatch then checks every
 * query parameter of the request before the handler runs: a name the
 * route does not declare (besides "lang", which every page takes), a name
 * given twice, or a value its validator refuses is answered 400 with a
 * message that names the parameter, and the handler never runs. The
 * handler still checks what only it can know (that a state exists in the
 * workflow), but never sees a value of the wrong shape.
 */
#ifndef MELDPUNT_PARAMS_H
#define MELDPUNT_PARAMS_H

#include "request.h"

struct route_param {
	const char *name;
	/* 1 when value is acceptable for req. */
	int (*valid)(const struct request *req, const char *value);
};

/* "incident" or "signal". */
int param_report_type(const struct request *req, const char *value);
/* Empty, or a name of lower-case letters, digits and '_' (a state, an
 * option), at most 64 bytes. */
int param_name(const struct request *req, const char *value);
/* "1" (a checked box). */
int param_flag(const struct request *req, const char *value);
/* Valid UTF-8 text without control characters, at most [limits]
 * search_max bytes (may be empty). */
int param_search(const struct request *req, const char *value);
/* Empty, "mine" or "unassigned". */
int param_who(const struct request *req, const char *value);
/* Empty, "deadline", "received" or "state". */
int param_sort(const struct request *req, const char *value);

/*
 * Check the request's query against params (ended by a NULL name). 1
 * when every parameter passes; 0 when the 400 answer is in req.
 */
int params_check(struct request *req, const struct route_param *params);

#endif
