/*
 * params.c - the validators of query parameters and their check (see
 * params.h).
 */
#include <string.h>

#include <microhttpd.h>

#include "form.h"
#include "i18n.h"
#include "params.h"
#include "report.h"

/* The longest name a parameter's value may be (a state, an option). */
#define PARAM_NAME_MAX 64

int
param_report_type(const struct request *req, const char *value)
{
	enum report_type t;

	(void)req;
	return report_type_parse(value, &t) == 0;
}

int
param_name(const struct request *req, const char *value)
{
	size_t i;

	(void)req;
	for (i = 0; value[i]; i++)
		if (!((value[i] >= 'a' && value[i] <= 'z') ||
		      (value[i] >= '0' && value[i] <= '9') || value[i] == '_'))
			return 0;
	return i <= PARAM_NAME_MAX;
}

int
param_flag(const struct request *req, const char *value)
{
	(void)req;
	return strcmp(value, "1") == 0;
}

int
param_search(const struct request *req, const char *value)
{
	size_t len = strlen(value);

	return len <= req->limits->search_max &&
	       utf8_valid_text(value, len) && !strpbrk(value, "\t\r\n");
}

int
param_who(const struct request *req, const char *value)
{
	(void)req;
	return !value[0] || strcmp(value, "mine") == 0 ||
	       strcmp(value, "unassigned") == 0;
}

int
param_sort(const struct request *req, const char *value)
{
	(void)req;
	return !value[0] || strcmp(value, "deadline") == 0 ||
	       strcmp(value, "received") == 0 || strcmp(value, "state") == 0;
}

/* The walk over the query: the first problem found, if any. */
struct walk {
	const struct request *req;
	const struct route_param *params;
	const char *bad;	/* the declared name at fault */
	int unknown;		/* a name not declared */
	unsigned seen;		/* bit per declared parameter */
};

static enum MHD_Result
check_one(void *cls, enum MHD_ValueKind kind, const char *key,
          const char *value)
{
	struct walk *w = cls;
	size_t i;

	(void)kind;
	if (strcmp(key, "lang") == 0)
		return MHD_YES;		/* every page takes it (request.c) */
	for (i = 0; w->params[i].name; i++)
		if (strcmp(w->params[i].name, key) == 0)
			break;
	if (!w->params[i].name) {
		w->unknown = 1;
		return MHD_NO;
	}
	if (i < 8 * sizeof(w->seen) && (w->seen & (1u << i))) {
		w->bad = w->params[i].name;	/* given twice */
		return MHD_NO;
	}
	if (i < 8 * sizeof(w->seen))
		w->seen |= 1u << i;
	if (!w->params[i].valid(w->req, value ? value : "")) {
		w->bad = w->params[i].name;
		return MHD_NO;
	}
	return MHD_YES;
}

int
params_check(struct request *req, const struct route_param *params)
{
	struct walk w = { req, params, NULL, 0, 0 };
	struct buf msg = BUF_INIT;

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_one,
	                          &w);
	if (!w.bad && !w.unknown)
		return 1;
	if (w.unknown) {
		web_fail_key(req, 400, "common.unknown_parameter");
	} else {
		/* Only a declared name is echoed, never the request's text. */
		i18n_fill(&msg, web_text(req, "common.bad_parameter"), "name",
		          w.bad, (const char *)NULL);
		web_fail(req, 400, msg.data);
	}
	buf_release(&msg);
	return 0;
}
