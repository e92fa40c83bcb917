/*
 * request.c - what a handler does with a request (request.h): read its
 * parameters, headers and cookies, count it against the rate limits, and
 * set the answer: a redirect, or a problem+json refusal on the API.
 *
 * Nothing here knows pages, routes or how the answer is sent: the server
 * (web/server.c) makes a request with request_init and sends what it
 * holds; the HTML error page is drawn with the other layout code
 * (web/layout.c).
 */
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "apijson.h"
#include "clock.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "paths.h"
#include "client.h"
#include "ratelimit.h"
#include "request.h"
#include "config.h"
#include "session.h"
#include "workflow.h"

void
request_init(struct request *req, const struct web_env *env,
             struct MHD_Connection *conn, const char *url, const char *method)
{
	const char *code;

	memset(req, 0, sizeof(*req));
	req->conn = conn;
	req->env = env;
	req->inst = env->inst;
	req->limits = env->limits;
	req->method = method;
	req->path = url;
	req->status = 200;
	req->lang = LANG_NL;
	req->api = web_api_path(url);
	buf_init(&req->out);
	code = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang");
	if (code && i18n_parse(code, &req->lang) == 0) {
		req->lang_chosen = 1;
		return;
	}
	code = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "lang");
	if (code)
		i18n_parse(code, &req->lang);
}

void
request_release(struct request *req)
{
	buf_release(&req->out);
	free(req->location);
	free(req->set_cookie);
	free(req->disposition);
	free(req->here);
	req->location = req->set_cookie = req->disposition = req->here = NULL;
}

int
web_api_path(const char *path)
{
	return path && strncmp(path, API_PREFIX, strlen(API_PREFIX)) == 0;
}

int
web_json_type(const char *ct)
{
	static const char json[] = "application/json";

	if (!ct || strncasecmp(ct, json, sizeof(json) - 1) != 0)
		return 0;
	ct += sizeof(json) - 1;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* Problem codes and their titles (RFC 9457 "type" and "title"). */
static const struct {
	unsigned status;
	const char *code, *title;
} problems[] = {
	{ 400, "malformed", "The request body is not the JSON object asked for" },
	{ 401, "unauthorized", "A valid API token is needed" },
	{ 403, "forbidden", "Not allowed" },
	{ 404, "not_found", "Not found" },
	{ 405, "method_not_allowed", "Method not allowed" },
	{ 409, "conflict", "Refused in the current state" },
	{ 413, "too_large", "Request too large" },
	{ 415, "unsupported_type", "Send application/json" },
	{ 422, "invalid", "Some values were refused" },
	{ 429, "rate_limited", "Too many requests" },
	{ 500, "server_error", "Server error" },
};

static const char *
problem_code(unsigned status, const char **title)
{
	size_t i;

	for (i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
		if (problems[i].status == status) {
			*title = problems[i].title;
			return problems[i].code;
		}
	*title = "Bad request";
	return "bad_request";
}

/* ,"name":"value" inside the problem object. */
static void
problem_member(struct buf *o, const char *name, const char *value)
{
	buf_addch(o, ',');
	json_quote(o, name);
	buf_addch(o, ':');
	json_quote(o, value);
}

/* The problem body; errs adds the per-member list. Returns 0. */
static int
problem(struct request *req, unsigned status, const char *detail,
        const struct apijson_errors *errs)
{
	struct buf *o = &req->out;
	const char *title, *code = problem_code(status, &title);
	size_t i;

	req->status = status;
	req->cache_max_age = 0;
	req->content_type = "application/problem+json";
	buf_reset(o);
	buf_adds(o, "{\"type\":");
	{
		struct buf t = BUF_INIT;

		buf_addf(&t, "urn:meldpunt:problem:%s", code);
		json_quote(o, t.data);
		buf_release(&t);
	}
	problem_member(o, "title", title);
	buf_addf(o, ",\"status\":%u,\"detail\":", status);
	json_quote(o, detail ? detail : title);
	if (errs && errs->n) {
		buf_adds(o, ",\"errors\":[");
		for (i = 0; i < errs->n; i++) {
			buf_adds(o, i ? ",{\"field\":" : "{\"field\":");
			json_quote(o, errs->items[i].field);
			problem_member(o, "code", errs->items[i].code);
			if (errs->items[i].max)
				buf_addf(o, ",\"max\":%zu", errs->items[i].max);
			buf_addch(o, '}');
		}
		buf_addch(o, ']');
	}
	buf_adds(o, "}\n");
	return 0;
}

int
api_fail(struct request *req, unsigned status, const char *detail)
{
	return problem(req, status, detail, NULL);
}

int
api_invalid(struct request *req, const struct apijson_errors *errs)
{
	if (errs->malformed)
		return problem(req, 400, errs->detail, NULL);
	return problem(req, 422, "See errors: one entry per refused value.",
	               errs);
}

int
web_fail_key(struct request *req, unsigned status, const char *key)
{
	return web_fail(req, status, web_text(req, key));
}

const char *
web_text(const struct request *req, const char *key)
{
	return i18n_get(req->lang, key);
}

const char *
web_header(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
web_query(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

struct query_copy {
	const char *skip;
	struct buf *out;
	size_t start;
};

static enum MHD_Result
copy_arg(void *cls, enum MHD_ValueKind kind, const char *key,
         const char *value)
{
	struct query_copy *q = cls;

	(void)kind;
	if (!key || strcmp(key, q->skip) == 0)
		return MHD_YES;
	if (q->out->len > q->start)
		buf_addch(q->out, '&');
	html_url_arg(q->out, key);
	if (value) {
		buf_addch(q->out, '=');
		html_url_arg(q->out, value);
	}
	return MHD_YES;
}

void
web_query_except(const struct request *req, const char *skip,
                 struct buf *out)
{
	struct query_copy q = { skip, out, out->len };

	if (!req->conn)
		return;
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, copy_arg, &q);
}

/* The client's key (client.h): one client, many connections. */
static void
rate_key(const struct request *req, struct client_key *c,
         const void **key, size_t *len)
{
	web_client(req, c);
	*key = c->bytes;
	*len = c->len;
}

/* Count (give 1) or give back (give 0) an attempt of which. */
static int
rate_count(struct request *req, enum web_rate which, int give)
{
	struct ratelimit *rl;
	struct client_key c;
	const void *key;
	size_t len;

	rl = which == WEB_RATE_RECEIPT ? req->env->receipt_rl
	                               : req->env->submit_rl;
	rate_key(req, &c, &key, &len);
	if (give)
		return ratelimit_hit(rl, key, len, clock_now());
	ratelimit_give_back(rl, key, len, clock_now());
	return 1;
}

int
web_rate_allow(struct request *req, enum web_rate which)
{
	return rate_count(req, which, 1);
}

void
web_rate_give_back(struct request *req, enum web_rate which)
{
	rate_count(req, which, 0);
}

/* Account names count case-insensitively, as the database compares them. */
static size_t
account_key(const char *username, char lower[128])
{
	size_t i;

	for (i = 0; username[i] && i < 127; i++)
		lower[i] = (char)tolower((unsigned char)username[i]);
	lower[i] = '\0';
	return i;
}

int
web_login_begin(struct request *req, const char *username,
                struct web_login *t, unsigned *retry)
{
	char lower[128];
	struct client_key c;
	const void *key;
	size_t len;

	t->counted = 0;
	*retry = 0;
	account_key(username, lower);
	rate_key(req, &c, &key, &len);
	/* Counted as it is checked: parallel attempts cannot all pass. */
	if (!ratelimit_hit(req->env->login_rl, key, len, clock_now())) {
		*retry = LIMIT_LOGIN_WINDOW;
		return 0;
	}
	if (!loginguard_begin(req->env->login_guard, lower, key, len,
	                      clock_now(), &t->guard, retry)) {
		ratelimit_give_back(req->env->login_rl, key, len, clock_now());
		return 0;
	}
	t->counted = 1;
	return 1;
}

void
web_login_end(struct request *req, struct web_login *t, int give_back, int in)
{
	struct client_key c;
	const void *key;
	size_t len;

	if (give_back && t->counted) {
		rate_key(req, &c, &key, &len);
		ratelimit_give_back(req->env->login_rl, key, len, clock_now());
		loginguard_end(req->env->login_guard, &t->guard,
		               in ? LOGINGUARD_IN : LOGINGUARD_UNTRIED,
		               clock_now());
	}
	t->counted = 0;
}

int
web_token_allowed(struct request *req)
{
	struct client_key c;
	const void *key;
	size_t len;

	rate_key(req, &c, &key, &len);
	return ratelimit_allowed(req->env->login_rl, key, len, clock_now());
}

void
web_token_failed(struct request *req)
{
	struct client_key c;
	const void *key;
	size_t len;

	rate_key(req, &c, &key, &len);
	ratelimit_hit(req->env->login_rl, key, len, clock_now());
}

int
web_allowed(const struct request *req, const char *path)
{
	return req->session && req->env->allowed(path, req->session->roles);
}

int
web_redirect(struct request *req, const char *path)
{
	req->status = 303;
	free(req->location);
	req->location = strdup(path);
	if (!req->location)
		die("out of memory");
	buf_reset(&req->out);
	return 0;
}

const char *
web_cookie(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

struct sessions *
web_sessions(const struct request *req)
{
	return req->env->sessions;
}

int
web_cookie_insecure_ok(const struct request *req)
{
	return req->env->cookie_insecure_ok;
}

const struct config *
web_config(const struct request *req)
{
	return req->env->config;
}

unsigned
web_due_soon(const struct request *req)
{
	return req->env->config ? req->env->config->due_soon
	                        : DEADLINE_SOON_DEFAULT;
}

const struct workflows *
web_workflows(const struct request *req)
{
	return req->env->workflows;
}

const struct workflow *
web_workflow(const struct request *req, enum report_type type)
{
	return workflows_get(req->env->workflows, type);
}
