/*
 * test_api.c - the JSON API over HTTP on 127.0.0.1, in process.
 *
 * The server runs inside this test (server_start, as tests/fuzz/fuzz_http
 * does) so that the test clock (core/clock.h) moves its time too: that is
 * how a token is seen to expire without waiting. Staff log in through the
 * pages (computing TOTP codes like an app) only to make their API tokens
 * on /beheer/tokens; everything after that goes through the API alone: a
 * full signal and a full incident from submission to closing, the
 * dialogue with the reporter, the meeting; the refusals (unknown member,
 * wrong type, over-long value, malformed body, bad, expired and revoked
 * tokens, a token without the role, cookies instead of a token), each
 * changing nothing; the token promises of SECURITY.md; the rate limit on
 * receipts; and openapi.yaml against the route table and the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <yaml.h>

#include "apitoken.h"
#include "audit.h"
#include "clock.h"
#include "install.h"
#include "keyrings.h"
#include "paths.h"
#include "reptype.h"
#include "routes.h"
#include "server.h"
#include "testutil.h"
#include "users.h"
#include "zone.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define NEWPW "een heel lang wachtwoord"
#define SUBMISSIONS 60
#define RECEIPT_ATTEMPTS 40

struct fixture {
	char *dir;
	struct installation *inst;
	struct server *srv;
	struct test_server ts;
	struct buf coord_cookie, coord_csrf, vpt_cookie, vpt_csrf;
	struct buf admin_cookie, admin_csrf, integ_cookie, integ_csrf;
	struct secret *totp[4];
	char coord_tok[APITOKEN_TEXT_LEN + 1];	/* role coordinator */
	char stats_tok[APITOKEN_TEXT_LEN + 1];	/* coord's, role hr only */
	char vpt_tok[APITOKEN_TEXT_LEN + 1];	/* role vpt */
	char integ_tok[APITOKEN_TEXT_LEN + 1];	/* role integrity */
	int64_t signal_id;
};

/*
 * jansson's allocator is the server's, which wipes (core/form.c): what
 * json_dumps gives goes back through it, never to free().
 */
static void
json_text_free(char *s)
{
	json_malloc_t m;
	json_free_t fr;

	json_get_alloc_funcs(&m, &fr);
	fr(s);
}

/* ---- HTTP ----------------------------------------------------------- */

static size_t
collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/*
 * One API request: body (JSON, or NULL for none) as content_type
 * (NULL: application/json), with token as a bearer (NULL: none) and
 * cookie (NULL: none). The status; the body in resp, headers in headers.
 */
static long
api_full(struct fixture *f, const char *method, const char *path,
         const char *token, const char *body, const char *content_type,
         const char *cookie, struct buf *resp, struct buf *headers)
{
	struct curl_slist *h = NULL;
	struct buf url = BUF_INIT, auth = BUF_INIT, ct = BUF_INIT;
	long status = 0;
	CURL *c = curl_easy_init();

	assert_non_null(c);
	/* Reports named {#N} go out by their case numbers (testutil.h). */
	path = test_cases(f->dir, path);
	if (body)
		body = test_cases(f->dir, body);
	buf_addf(&url, "http://127.0.0.1:%u%s", f->ts.port, path);
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "meldpunt-test-agent");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (token) {
		buf_addf(&auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth.data);
	}
	if (body) {
		buf_addf(&ct, "Content-Type: %s",
		         content_type ? content_type : "application/json");
		h = curl_slist_append(h, ct.data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (cookie)
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (resp) {
		buf_reset(resp);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	}
	if (headers) {
		buf_reset(headers);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
	}
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	buf_release(&url);
	buf_release(&auth);
	buf_release(&ct);
	return status;
}

static long
api(struct fixture *f, const char *method, const char *path,
    const char *token, const char *body, struct buf *resp)
{
	return api_full(f, method, path, token, body, NULL, NULL, resp, NULL);
}

/* The JSON of a response; asserts that it parses. */
static json_t *
parse(const struct buf *b)
{
	json_error_t e;
	json_t *j = json_loadb(b->data, b->len, 0, &e);

	if (!j)
		fail_msg("not JSON (%s): %s", e.text, b->data);
	return j;
}

/* A problem answer: its type ends in code; returns the parsed body. */
static json_t *
problem(const struct buf *b, const char *code)
{
	json_t *j = parse(b);
	const char *type = json_string_value(json_object_get(j, "type"));
	struct buf want = BUF_INIT;

	buf_addf(&want, "urn:meldpunt:problem:%s", code);
	assert_non_null(type);
	assert_string_equal(type, want.data);
	assert_non_null(json_string_value(json_object_get(j, "title")));
	assert_non_null(json_string_value(json_object_get(j, "detail")));
	assert_true(json_is_integer(json_object_get(j, "status")));
	buf_release(&want);
	return j;
}

/* The problem's errors[] holds field with code. */
static void
has_error(json_t *p, const char *field, const char *code)
{
	json_t *errs = json_object_get(p, "errors"), *e;
	size_t i;

	json_array_foreach(errs, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
			return;
	}
	fail_msg("no error %s/%s in %s", field, code, json_dumps(p, 0));
}

/* Standard base64 with padding of n bytes into out (room for its text). */
static void
test_base64(const uint8_t *in, size_t n, char *out)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = abc[(v >> 18) & 63];
		out[o++] = abc[(v >> 12) & 63];
		out[o++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? abc[v & 63] : '=';
	}
	out[o] = '\0';
}

/* ---- Fixture -------------------------------------------------------- */

static int
group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct server_config cfg = {
		.listen = "127.0.0.1", .port = 0, .limits = limits_default,
	};
	struct install_result res;
	struct installation *inst;

	buf_init(&f->coord_cookie);
	buf_init(&f->coord_csrf);
	buf_init(&f->vpt_cookie);
	buf_init(&f->vpt_csrf);
	buf_init(&f->admin_cookie);
	buf_init(&f->admin_csrf);
	buf_init(&f->integ_cookie);
	buf_init(&f->integ_csrf);
	setenv("MELDPUNT_PWHASH", "fast", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	f->dir = test_tmpdir("api");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR |
	                 ROLE_HR, COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "integ1", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, res.recovery_key, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "coord");
	test_grant(f->dir, res.recovery_key, KEYRING_INCIDENTS, "vpt1");
	test_grant(f->dir, res.recovery_key, KEYRING_STATISTICS, "vpt1");
	test_grant(f->dir, res.recovery_key, "integriteit", "integ1");

	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	/* The pages' limits, with room for this test's submissions. */
	cfg.limits.submissions = SUBMISSIONS;
	/* Small upload limits, to reach them with small files. */
	cfg.limits.upload_file_max = 4096;
	cfg.limits.upload_total_max = 6000;
	cfg.limits.receipt_attempts = RECEIPT_ATTEMPTS;
	assert_int_equal(server_start(&f->srv, f->inst, &cfg), 0);
	f->ts.pid = 0;
	f->ts.port = server_port(f->srv);

	f->totp[0] = test_staff_setup(&f->ts, "coord", COORD_OTP, NEWPW,
	                              &f->coord_cookie, &f->coord_csrf);
	f->totp[1] = test_staff_setup(&f->ts, "vpt1", VPT_OTP, NEWPW,
	                              &f->vpt_cookie, &f->vpt_csrf);
	f->totp[2] = test_staff_setup(&f->ts, "admin", res.admin_password, NEWPW,
	                              &f->admin_cookie, &f->admin_csrf);
	assert_non_null(f->totp[0]);
	assert_non_null(f->totp[1]);
	f->totp[3] = test_staff_setup(&f->ts, "integ1", INTEG_OTP, NEWPW,
	                              &f->integ_cookie, &f->integ_csrf);
	assert_non_null(f->totp[2]);
	assert_non_null(f->totp[3]);
	test_make_token(&f->ts, &f->coord_cookie, &f->coord_csrf, "zaaksysteem",
	                "role=coordinator", "90", f->coord_tok);
	test_make_token(&f->ts, &f->coord_cookie, &f->coord_csrf, "dashboard",
	                "role=hr", "30", f->stats_tok);
	test_make_token(&f->ts, &f->vpt_cookie, &f->vpt_csrf, "vpt-koppeling",
	                "role=vpt", "90", f->vpt_tok);
	test_make_token(&f->ts, &f->integ_cookie, &f->integ_csrf, "integriteit",
	                "role=integrity", "90", f->integ_tok);
	crypto_wipe(&res, sizeof(res));
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	clock_set(0);
	server_stop(f->srv);
	assert_int_equal(install_close(f->inst), 0);
	for (i = 0; i < 4; i++)
		secret_free(f->totp[i]);
	buf_release(&f->coord_cookie);
	buf_release(&f->coord_csrf);
	buf_release(&f->vpt_cookie);
	buf_release(&f->vpt_csrf);
	buf_release(&f->admin_cookie);
	buf_release(&f->admin_csrf);
	buf_release(&f->integ_cookie);
	buf_release(&f->integ_csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	curl_global_cleanup();
	return 0;
}

/* ---- Helpers for the walks ------------------------------------------ */

/* POST a report; the receipt into out. */
static void
submit(struct fixture *f, const char *path, const char *json, char out[32])
{
	struct buf resp = BUF_INIT;
	json_t *j;

	assert_int_equal(api(f, "POST", path, NULL, json, &resp), 201);
	j = parse(&resp);
	assert_string_equal(json_string_value(json_object_get(j, "state")),
	                    strstr(path, "incident") ? "registered" : "received");
	snprintf(out, 32, "%s", json_string_value(json_object_get(j, "receipt")));
	assert_int_equal(strlen(out), 19);
	json_decref(j);
	buf_release(&resp);
}

/* The id of the newest case in the inbox of type. */
static int64_t
newest_case(struct fixture *f, const char *token, const char *type)
{
	struct buf resp = BUF_INIT, path = BUF_INIT;
	json_t *j, *c;
	int64_t id = 0;
	size_t i;

	buf_addf(&path, "/api/v1/inbox?type=%s&closed=true", type);
	assert_int_equal(api(f, "GET", path.data, token, NULL, &resp), 200);
	j = parse(&resp);
	json_array_foreach(json_object_get(j, "cases"), i, c) {
		int64_t row = test_case_row(f->dir, json_string_value(
			json_object_get(c, "id")));

		if (row > id)
			id = row;
	}
	assert_true(id > 0);
	json_decref(j);
	buf_release(&resp);
	buf_release(&path);
	return id;
}

static json_t *
get_case(struct fixture *f, const char *token, int64_t id)
{
	struct buf resp = BUF_INIT, path = BUF_INIT;
	json_t *j;

	buf_addf(&path, "/api/v1/case?id={#%lld}", (long long)id);
	assert_int_equal(api(f, "GET", path.data, token, NULL, &resp), 200);
	j = parse(&resp);
	buf_release(&resp);
	buf_release(&path);
	return j;
}

static const char *
state_of(json_t *c)
{
	return json_string_value(json_object_get(c, "state"));
}

/* A transition with extra members (JSON text after the id and name). */
static long
step(struct fixture *f, const char *token, int64_t id, const char *name,
     const char *extra, struct buf *resp)
{
	struct buf body = BUF_INIT;
	long status;

	buf_addf(&body, "{\"id\":\"{#%lld}\",\"transition\":\"%s\"%s%s}", (long long)id,
	         name, extra ? "," : "", extra ? extra : "");
	status = api(f, "POST", "/api/v1/case/transition", token, body.data, resp);
	buf_release(&body);
	return status;
}

static void
step_ok(struct fixture *f, const char *token, int64_t id, const char *name,
        const char *extra, const char *to)
{
	struct buf resp = BUF_INIT, more = BUF_INIT;
	json_t *j;

	/* No fields given: those of their types the step requires. */
	if (!extra || !strstr(extra, "\"fields\"")) {
		buf_adds(&more, extra ? extra : "");
		if (more.len)
			buf_addch(&more, ',');
		test_step_json(&more, name);
		if (more.len && more.data[more.len - 1] == ',')
			more.data[--more.len] = '\0';
		extra = more.len ? more.data : NULL;
	}
	assert_int_equal(step(f, token, id, name, extra, &resp), 200);
	buf_release(&more);
	j = parse(&resp);
	assert_string_equal(state_of(j), to);
	json_decref(j);
	buf_release(&resp);
}

/* The reporter's view of a receipt. */
static json_t *
reporter_view(struct fixture *f, const char *receipt)
{
	struct buf body = BUF_INIT, resp = BUF_INIT;
	json_t *j;

	buf_addf(&body, "{\"receipt\":\"%s\"}", receipt);
	assert_int_equal(api(f, "POST", "/api/v1/status", NULL, body.data, &resp),
	                 200);
	j = parse(&resp);
	buf_release(&body);
	buf_release(&resp);
	return j;
}

/* 1 when a message of the list has text and the direction. */
static int
has_message(json_t *list, const char *text, int from_reporter)
{
	json_t *m;
	size_t i;

	json_array_foreach(list, i, m)
		if (strcmp(json_string_value(json_object_get(m, "text")), text) == 0 &&
		    json_is_true(json_object_get(m, "from_reporter")) == from_reporter)
			return 1;
	return 0;
}

static void
reporter_answers(struct fixture *f, const char *receipt, const char *text)
{
	struct buf body = BUF_INIT, resp = BUF_INIT;

	buf_addf(&body, "{\"receipt\":\"%s\",\"message\":\"%s\"}", receipt, text);
	assert_int_equal(api(f, "POST", "/api/v1/status/messages", NULL, body.data,
	                     &resp), 201);
	buf_release(&body);
	buf_release(&resp);
}

/* 1 when the audit log has a row of actor, action and object. */
static int
audited(struct fixture *f, const char *actor, const char *action,
        const char *object, const char *result)
{
	struct audit_row rows[200];
	size_t n = 0, i;

	assert_int_equal(audit_list(f->inst->db, 0, NULL, rows, 200, &n), 0);
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].actor, actor) == 0 &&
		    strcmp(rows[i].action, action) == 0 &&
		    strstr(rows[i].object, object) &&
		    (!result || strcmp(rows[i].result, result) == 0))
			return 1;
	return 0;
}

/* ---- The walks ------------------------------------------------------ */

static void
test_signal_through_api(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, body = BUF_INIT, object = BUF_INIT;
	char receipt[32];
	json_t *c, *r, *m;
	int64_t id, meeting;

	submit(f, "/api/v1/reports/signal",
	       "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":"
	       "\"Dorpsstraat 12\",\"observation\":\"Hennepgeur en afgeplakte "
	       "ramen.\",\"identity\":\"named\",\"reporter_name\":\"Karin "
	       "Visser\"},\"files\":[{\"name\":\"foto.txt\",\"type\":"
	       "\"text/plain\",\"data\":\"SGVubmVwZ2V1ciBiaWogbnVtbWVyIDEyLg==\"}]}",
	       receipt);
	id = newest_case(f, f->coord_tok, "signal");
	f->signal_id = id;

	/* The case: content, the steps the token may take, deadlines. */
	c = get_case(f, f->coord_tok, id);
	assert_string_equal(state_of(c), "received");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	        json_object_get(c, "report"), "answers"), "location")),
	        "Dorpsstraat 12");
	assert_true(json_array_size(json_object_get(c, "transitions")) > 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	        json_object_get(c, "transitions"), 0), "name")), "start_intake");
	assert_true(json_array_size(json_object_get(c, "deadlines")) > 0);
	json_decref(c);
	/* Reading the content was audited with the token's user. */
	buf_addf(&object, "report {#%lld}", (long long)id);
	assert_true(audited(f, "coord", "report-read",
	                    test_cases(f->dir, object.data), NULL));

	/* Intake with the acknowledgement as feedback. */
	step_ok(f, f->coord_tok, id, "start_intake",
	        "\"expect_state\":\"received\",\"message\":\"Dank voor uw "
	        "signaal; wij kijken ernaar.\"", "weging_1");
	step_ok(f, f->coord_tok, id, "undermining", NULL, "weging_2a");
	/* A stale page: refused, nothing moved. */
	assert_int_equal(step(f, f->coord_tok, id, "municipal_task",
	                      "\"expect_state\":\"weging_1\"", &resp), 409);
	json_decref(problem(&resp, "conflict"));
	step_ok(f, f->coord_tok, id, "municipal_task", NULL, "weging_2b");
	step_ok(f, f->coord_tok, id, "our_territory", NULL, "weging_3");
	step_ok(f, f->coord_tok, id, "seriousness", NULL, "decision");

	/* The local signal meeting, through the API. */
	assert_int_equal(api(f, "POST", "/api/v1/meetings", f->coord_tok,
	                     "{\"held_on\":\"2026-12-01\",\"title\":"
	                     "\"Signalenoverleg\"}", &resp), 201);
	r = parse(&resp);
	meeting = json_integer_value(json_object_get(r, "id"));
	assert_true(meeting > 0);
	json_decref(r);
	buf_addf(&body, "{\"id\":%lld,\"report_id\":\"{#%lld}\"}", (long long)meeting,
	         (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/meeting/agenda", f->coord_tok,
	                     body.data, &resp), 200);
	/* Twice on one agenda: refused by the core. */
	assert_int_equal(api(f, "POST", "/api/v1/meeting/agenda", f->coord_tok,
	                     body.data, &resp), 409);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":%lld,\"report_id\":\"{#%lld}\",\"enrichment\":"
	         "\"Toezicht kent het pand.\",\"decision\":\"Naar de RIEC.\"}",
	         (long long)meeting, (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/meeting/record", f->coord_tok,
	                     body.data, &resp), 200);
	buf_reset(&body);
	buf_addf(&body, "/api/v1/meeting?id=%lld", (long long)meeting);
	assert_int_equal(api(f, "GET", body.data, f->coord_tok, NULL, &resp), 200);
	r = parse(&resp);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	        json_object_get(r, "agenda"), 0), "decision")), "Naar de RIEC.");
	json_decref(r);
	assert_int_equal(api(f, "GET", "/api/v1/meetings", f->coord_tok, NULL,
	                     &resp), 200);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":%lld}", (long long)meeting);
	assert_int_equal(api(f, "POST", "/api/v1/meeting/close", f->coord_tok,
	                     body.data, &resp), 200);
	r = parse(&resp);
	assert_true(json_is_string(json_object_get(r, "closed_at")));
	json_decref(r);
	/* A meeting still to come is not closed: a conflict naming its day. */
	assert_int_equal(api(f, "POST", "/api/v1/meetings", f->coord_tok,
	                     "{\"held_on\":\"2099-12-10\"}", &resp), 201);
	r = parse(&resp);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":%lld}",
	         (long long)json_integer_value(json_object_get(r, "id")));
	json_decref(r);
	assert_int_equal(api(f, "POST", "/api/v1/meeting/close", f->coord_tok,
	                     body.data, &resp), 409);
	r = problem(&resp, "conflict");
	assert_non_null(strstr(json_string_value(json_object_get(r, "detail")),
	                       "2099-12-10"));
	json_decref(r);
	step_ok(f, f->coord_tok, id, "to_meeting", NULL, "meeting");

	/* A required field left out: refused, named, nothing moved. */
	assert_int_equal(step(f, f->coord_tok, id, "to_riec", NULL, &resp), 409);
	r = problem(&resp, "conflict");
	assert_non_null(strstr(json_string_value(json_object_get(r, "detail")),
	                       "riec_reference"));
	json_decref(r);
	c = get_case(f, f->coord_tok, id);
	assert_string_equal(state_of(c), "meeting");
	json_decref(c);
	step_ok(f, f->coord_tok, id, "to_riec",
	        "\"fields\":{\"riec_reference\":\"RIEC-2026-117\","
	        "\"reason\":\"Besluit van het overleg\"}", "riec");

	/* A note (never the reporter's) and a message to the reporter. */
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"note\":\"Bekend bij Toezicht.\"}",
	         (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/case/note", f->coord_tok,
	                     body.data, &resp), 201);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"message\":\"Wij hebben uw signaal "
	         "doorgegeven.\"}", (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/case/message", f->coord_tok,
	                     body.data, &resp), 201);

	/* The reporter comes back, reads it, and answers. */
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "riec");
	m = json_object_get(r, "messages");
	assert_true(has_message(m, "Dank voor uw signaal; wij kijken ernaar.", 0));
	assert_true(has_message(m, "Wij hebben uw signaal doorgegeven.", 0));
	{
		char *all = json_dumps(r, 0);

		assert_null(strstr(all, "Bekend bij Toezicht"));
		json_text_free(all);
	}
	json_decref(r);
	reporter_answers(f, receipt, "Het busje stond er gisteren weer.");
	/* A file with the answer, and none without text: also accepted. */
	buf_reset(&body);
	buf_addf(&body, "{\"receipt\":\"%s\",\"message\":\"\",\"files\":[{"
	         "\"name\":\"kenteken.txt\",\"data\":\"WFgtMTItWVk=\"}]}", receipt);
	assert_int_equal(api(f, "POST", "/api/v1/status/messages", NULL,
	                     body.data, &resp), 201);

	/* Closing, with the feedback the workflow asks for. */
	step_ok(f, f->coord_tok, id, "close",
	        "\"message\":\"Wij hebben uw signaal afgehandeld.\"", "closed");
	c = get_case(f, f->coord_tok, id);
	assert_true(json_is_true(json_object_get(c, "final")));
	assert_true(has_message(json_object_get(c, "messages"),
	                        "Het busje stond er gisteren weer.", 1));
	assert_int_equal(json_array_size(json_object_get(c, "notes")), 1);
	/* Both files, and each as the reporter sent it. */
	{
		json_t *fl = json_object_get(c, "files"), *x;
		size_t k;
		int both = 0;

		assert_int_equal(json_array_size(fl), 2);
		json_array_foreach(fl, k, x) {
			const char *nm = json_string_value(json_object_get(x, "name"));
			const char *want = strcmp(nm, "foto.txt") == 0
			                   ? "Hennepgeur bij nummer 12." : "XX-12-YY";

			buf_reset(&body);
			buf_addf(&body, "/api/v1/case/file?id={#%lld}&bestand=%lld",
			         (long long)id, (long long)json_integer_value(
			         json_object_get(x, "id")));
			assert_int_equal(api(f, "GET", body.data, f->coord_tok, NULL,
			                     &resp), 200);
			assert_int_equal(resp.len, strlen(want));
			assert_memory_equal(resp.data, want, resp.len);
			both++;
		}
		assert_int_equal(both, 2);
	}
	{
		json_t *e, *ev = json_object_get(c, "events");
		size_t k;
		int seen = 0;

		json_array_foreach(ev, k, e)
			if (strcmp(json_string_value(json_object_get(e, "transition")),
			           "to_riec") == 0) {
				assert_string_equal(json_string_value(json_object_get(
				        json_object_get(e, "fields"), "riec_reference")),
				        "RIEC-2026-117");
				seen = 1;
			}
		assert_true(seen);
	}
	json_decref(c);
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "closed");
	assert_true(has_message(json_object_get(r, "messages"),
	                        "Wij hebben uw signaal afgehandeld.", 0));
	json_decref(r);

	/* A closed case leaves the inbox unless asked for. */
	assert_int_equal(api(f, "GET", "/api/v1/inbox?type=signal", f->coord_tok,
	                     NULL, &resp), 200);
	assert_null(strstr(resp.data, "\"state\":\"closed\""));
	assert_int_equal(api(f, "GET", "/api/v1/inbox?type=signal&closed=true",
	                     f->coord_tok, NULL, &resp), 200);
	assert_non_null(strstr(resp.data, "\"state\":\"closed\""));
	buf_release(&resp);
	buf_release(&body);
	buf_release(&object);
}

static void
test_incident_through_api(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT;
	char receipt[32];
	json_t *c, *r;
	int64_t id;

	submit(f, "/api/v1/reports/incident",
	       "{\"answers\":{\"date\":\"2026-11-02\",\"time\":\"14:30\","
	       "\"place\":\"counter\",\"kind\":[\"verbal\",\"threat\"],"
	       "\"victim_role\":\"employee\",\"reported_by\":\"victim\","
	       "\"perpetrator_known\":\"yes\",\"perpetrator\":\"Vaste bezoeker.\","
	       "\"description\":\"Schreeuwde en dreigde aan de balie.\","
	       "\"police\":\"wanted\",\"aftercare\":\"yes\",\"reporter_name\":"
	       "\"Sanne de Vries\"}}", receipt);
	id = newest_case(f, f->vpt_tok, "incident");
	c = get_case(f, f->vpt_tok, id);
	assert_string_equal(state_of(c), "registered");
	/* The check boxes came through as a list. */
	assert_int_equal(json_array_size(json_object_get(json_object_get(
	        json_object_get(c, "report"), "answers"), "kind")), 2);
	json_decref(c);

	step_ok(f, f->vpt_tok, id, "first_care_talk", NULL, "care");
	assert_int_equal(step(f, f->vpt_tok, id, "police_report", NULL, &resp),
	                 409);
	step_ok(f, f->vpt_tok, id, "police_report",
	        "\"fields\":{\"police_reference\":\"PL0900-2026-4711\"}", "care");
	/* A field the step does not take is refused. */
	assert_int_equal(step(f, f->vpt_tok, id, "damages",
	                      "\"fields\":{\"damage_amount\":\"250\","
	                      "\"recovered_amount\":\"0\",\"colour\":\"red\"}",
	                      &resp), 409);
	step_ok(f, f->vpt_tok, id, "damages",
	        "\"fields\":{\"damage_amount\":\"250\",\"recovered_amount\":\"0\"}",
	        "care");
	/* Typed: not an amount, and more recovered than claimed in all. */
	assert_int_equal(step(f, f->vpt_tok, id, "damages",
	                      "\"fields\":{\"damage_amount\":\"veel\","
	                      "\"recovered_amount\":\"0\"}", &resp), 409);
	r = problem(&resp, "conflict");
	assert_non_null(strstr(json_string_value(json_object_get(r, "detail")),
	                       "(damage_amount)"));
	json_decref(r);
	assert_int_equal(step(f, f->vpt_tok, id, "damages",
	                      "\"fields\":{\"damage_amount\":\"0\","
	                      "\"recovered_amount\":\"250,01\"}", &resp), 409);
	r = problem(&resp, "conflict");
	assert_non_null(strstr(json_string_value(json_object_get(r, "detail")),
	                       "[recovered_within_claimed]"));
	json_decref(r);
	step_ok(f, f->vpt_tok, id, "start_aftercare", NULL, "aftercare");
	/*
	 * Corrections (issue 17 point 4): the damages step's amount, and the
	 * last step undone with a reason; each a new event of the case.
	 */
	{
		struct buf body = BUF_INIT;
		json_t *ev;
		int64_t damages = 0, last = 0;
		size_t i;

		c = get_case(f, f->vpt_tok, id);
		ev = json_object_get(c, "events");
		for (i = 0; i < json_array_size(ev); i++) {
			json_t *e = json_array_get(ev, i);

			assert_string_equal(json_string_value(json_object_get(e,
			                    "kind")), "step");
			if (strcmp(json_string_value(json_object_get(e,
			           "transition")), "damages") == 0)
				damages = json_integer_value(json_object_get(e, "id"));
			last = json_integer_value(json_object_get(e, "id"));
		}
		json_decref(c);
		buf_addf(&body, "{\"id\":\"{#%lld}\",\"step\":%lld,\"fields\":"
		         "{\"damage_amount\":\"250\",\"recovered_amount\":"
		         "\"300\"}}", (long long)id, (long long)damages);
		assert_int_equal(api(f, "POST", "/api/v1/case/correct", f->vpt_tok,
		                     body.data, &resp), 409);
		r = problem(&resp, "conflict");
		assert_non_null(strstr(json_string_value(json_object_get(r,
		                "detail")), "[recovered_within_claimed]"));
		json_decref(r);
		buf_reset(&body);
		buf_addf(&body, "{\"id\":\"{#%lld}\",\"step\":%lld,\"fields\":"
		         "{\"damage_amount\":\"250\",\"recovered_amount\":"
		         "\"100\"}}", (long long)id, (long long)damages);
		/* Not the coordinator's keyring. */
		assert_int_equal(api(f, "POST", "/api/v1/case/correct",
		                     f->coord_tok, body.data, &resp), 403);
		assert_int_equal(api(f, "POST", "/api/v1/case/correct", f->vpt_tok,
		                     body.data, &resp), 200);
		buf_reset(&body);
		buf_addf(&body, "{\"id\":\"{#%lld}\",\"step\":%lld,\"reason\":"
		         "\"Te vroeg gestart.\"}", (long long)id, (long long)last);
		assert_int_equal(api(f, "POST", "/api/v1/case/undo", f->vpt_tok,
		                     body.data, &resp), 200);
		r = parse(&resp);
		assert_string_equal(state_of(r), "care");
		json_decref(r);
		c = get_case(f, f->vpt_tok, id);
		ev = json_object_get(c, "events");
		i = json_array_size(ev);
		assert_string_equal(json_string_value(json_object_get(
		        json_array_get(ev, i - 1), "kind")), "undo");
		assert_int_equal(json_integer_value(json_object_get(
		        json_array_get(ev, i - 1), "step")), last);
		assert_string_equal(json_string_value(json_object_get(
		        json_array_get(ev, i - 2), "kind")), "correction");
		assert_string_equal(json_string_value(json_object_get(json_object_get(
		        json_array_get(ev, i - 2), "fields"), "recovered_amount")),
		        "100.00");
		json_decref(c);
		buf_release(&body);
	}
	step_ok(f, f->vpt_tok, id, "start_aftercare", NULL, "aftercare");
	step_ok(f, f->vpt_tok, id, "aftercare_2_weeks", NULL, "aftercare");

	buf_reset(&resp);
	buf_addf(&resp, "{\"id\":\"{#%lld}\",\"message\":\"Hoe gaat het nu met u?\"}",
	         (long long)id);
	{
		struct buf body = BUF_INIT;

		buf_adds(&body, resp.data);
		assert_int_equal(api(f, "POST", "/api/v1/case/message", f->vpt_tok,
		                     body.data, &resp), 201);
		buf_release(&body);
	}
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "aftercare");
	assert_true(has_message(json_object_get(r, "messages"),
	                        "Hoe gaat het nu met u?", 0));
	json_decref(r);
	reporter_answers(f, receipt, "Beter, dank u.");
	step_ok(f, f->vpt_tok, id, "close",
	        "\"expect_state\":\"aftercare\",\"message\":\"Wij sluiten de "
	        "melding af.\"", "closed");
	c = get_case(f, f->vpt_tok, id);
	assert_true(has_message(json_object_get(c, "messages"), "Beter, dank u.",
	                        1));
	json_decref(c);
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "closed");
	json_decref(r);

	/* The other keyring's token cannot open it: 403, not its content. */
	buf_reset(&resp);
	{
		struct buf path = BUF_INIT;

		buf_addf(&path, "/api/v1/case?id={#%lld}", (long long)id);
		assert_int_equal(api(f, "GET", path.data, f->coord_tok, NULL, &resp),
		                 403);
		assert_null(strstr(resp.data, "Sanne"));
		buf_release(&path);
	}
	/* The statistics of the vpt token, as the page computes them. */
	assert_int_equal(api(f, "GET", "/api/v1/statistics?periode=jaar&waarde=2026",
	                     f->vpt_tok, NULL, &resp), 200);
	r = parse(&resp);
	assert_non_null(json_object_get(json_object_get(r, "tables"), "incidents"));
	json_decref(r);
	buf_release(&resp);
}

/* ---- Refusals ------------------------------------------------------- */

/* The counts without the audit log (an auth refusal is audited). */
static char *
counts_without_audit(const char *dir)
{
	char *c = test_db_counts(dir), *p = strstr(c, "audit_log=");

	if (p)
		*p = '\0';
	return c;
}

static void
refused_input(struct fixture *f, const char *path, const char *token,
              const char *body, long want, const char *code,
              const char *field, const char *field_code)
{
	struct buf resp = BUF_INIT;
	json_t *p;

	assert_int_equal(api(f, "POST", path, token, body, &resp), want);
	p = problem(&resp, code);
	assert_int_equal(json_integer_value(json_object_get(p, "status")), want);
	if (field)
		has_error(p, field, field_code);
	json_decref(p);
	buf_release(&resp);
}

#define GOOD_SIGNAL "\"phenomenon\":\"drugs\",\"location\":\"Kerkweg 1\"," \
	"\"observation\":\"Veel verkeer.\",\"identity\":\"anonymous\""

static void
test_refused_input_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, resp = BUF_INIT, path = BUF_INIT;
	char *before = test_db_counts(f->dir), *after;
	char *longtext;
	json_t *c;
	size_t i;

	/* Unknown members, at the top and among the answers. */
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{" GOOD_SIGNAL "},\"colour\":\"red\"}", 422,
	              "invalid", "colour", "unknown_field");
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{" GOOD_SIGNAL ",\"colour\":\"red\"}}", 422,
	              "invalid", "answers.colour", "unknown_field");
	/* Wrong types. */
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":\"drugs\"}", 422, "invalid", "answers",
	              "wrong_type");
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":12,"
	              "\"observation\":\"x\",\"identity\":\"anonymous\"}}", 422,
	              "invalid", "answers.location", "wrong_type");
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":"
	              "[\"a\",\"b\"],\"observation\":\"x\",\"identity\":"
	              "\"anonymous\"}}", 422, "invalid", "answers.location",
	              "wrong_type");
	refused_input(f, "/api/v1/status", NULL, "{\"receipt\":true}", 422,
	              "invalid", "receipt", "wrong_type");
	/* The form's own checks, as on the page. */
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{\"phenomenon\":\"weather\",\"location\":"
	              "\"x\",\"observation\":\"x\",\"identity\":\"anonymous\"}}",
	              422, "invalid", "answers.phenomenon", "bad_option");
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{\"phenomenon\":\"drugs\"}}", 422, "invalid",
	              "answers.location", "missing");
	/* Over-long: the form's own limit of a field (location: 300). */
	buf_adds(&body, "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":\"");
	for (i = 0; i < 301; i++)
		buf_addch(&body, 'a');
	buf_adds(&body, "\",\"observation\":\"x\",\"identity\":\"anonymous\"}}");
	refused_input(f, "/api/v1/reports/signal", NULL, body.data, 422,
	              "invalid", "answers.location", "too_long");
	/* ... and the field_max limit of every text. */
	longtext = malloc(limits_default.field_max + 2);
	memset(longtext, 'b', limits_default.field_max + 1);
	longtext[limits_default.field_max + 1] = '\0';
	buf_reset(&body);
	buf_addf(&body, "{\"receipt\":\"AAAA-AAAA-AAAA-AAAA\",\"message\":\"%s\"}",
	         longtext);
	refused_input(f, "/api/v1/status/messages", NULL, body.data, 422,
	              "invalid", "message", "too_long");
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"note\":\"%s\"}", (long long)f->signal_id,
	         longtext);
	refused_input(f, "/api/v1/case/note", f->coord_tok, body.data, 422,
	              "invalid", "note", "too_long");
	free(longtext);
	/* Files: not base64, an unknown member, too many, too big. */
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{" GOOD_SIGNAL "},\"files\":[{\"name\":\"a\","
	              "\"data\":\"niet base64!\",\"size\":\"1\"}]}", 422, "invalid",
	              "files[0].data", "bad_base64");
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{" GOOD_SIGNAL "},\"files\":[{\"name\":\"a\","
	              "\"data\":\"YQ==\",\"size\":\"1\"}]}", 422, "invalid",
	              "files[0].size", "unknown_field");
	buf_reset(&body);
	buf_adds(&body, "{\"answers\":{" GOOD_SIGNAL "},\"files\":[");
	for (i = 0; i < limits_default.upload_files_max + 1; i++)
		buf_addf(&body, "%s{\"name\":\"f%zu\",\"data\":\"YQ==\"}",
		         i ? "," : "", i);
	buf_adds(&body, "]}");
	refused_input(f, "/api/v1/reports/signal", NULL, body.data, 422,
	              "invalid", "files", "too_many");
	{
		/* 4097 bytes against the test's upload_file_max of 4096. */
		uint8_t raw[4097];
		char b64[CRYPTO_BASE64_LEN(4097) + 1];
		size_t k;

		memset(raw, 'z', sizeof(raw));
		test_base64(raw, sizeof(raw), b64);
		buf_reset(&body);
		buf_addf(&body, "{\"answers\":{" GOOD_SIGNAL "},\"files\":[{"
		         "\"name\":\"groot\",\"data\":\"%s\"}]}", b64);
		refused_input(f, "/api/v1/reports/signal", NULL, body.data, 422,
		              "invalid", "files[0].data", "too_long");
		/* Two of 3500 bytes: over the total of 6000. */
		test_base64(raw, 3500, b64);
		buf_reset(&body);
		buf_adds(&body, "{\"answers\":{" GOOD_SIGNAL "},\"files\":[");
		for (k = 0; k < 2; k++)
			buf_addf(&body, "%s{\"name\":\"d%zu\",\"data\":\"%s\"}",
			         k ? "," : "", k, b64);
		buf_adds(&body, "]}");
		refused_input(f, "/api/v1/reports/signal", NULL, body.data, 422,
		              "invalid", "files", "too_large");
	}
	/* Malformed bodies: not JSON, not an object, a member twice. */
	refused_input(f, "/api/v1/reports/signal", NULL, "{\"answers\":", 400,
	              "malformed", NULL, NULL);
	refused_input(f, "/api/v1/reports/signal", NULL, "[1,2]", 400,
	              "malformed", NULL, NULL);
	refused_input(f, "/api/v1/status", NULL,
	              "{\"receipt\":\"a\",\"receipt\":\"b\"}", 400, "malformed",
	              NULL, NULL);
	refused_input(f, "/api/v1/reports/signal", NULL,
	              "{\"answers\":{" GOOD_SIGNAL ",\"phenomenon\":\"fraud\"}}",
	              400, "malformed", NULL, NULL);
	/* Staff bodies: a text for an id, an unknown member. */
	refused_input(f, "/api/v1/case/transition", f->coord_tok,
	              "{\"id\":1,\"transition\":\"close\"}", 422, "invalid",
	              "id", "wrong_type");
	/* A row id, or any text but a case number, is none (issue 15). */
	refused_input(f, "/api/v1/case/transition", f->coord_tok,
	              "{\"id\":\"1\",\"transition\":\"close\"}", 422, "invalid",
	              "id", "not_a_case_number");
	refused_input(f, "/api/v1/case/note", f->coord_tok,
	              "{\"id\":\"2026-ABCD-EO\",\"note\":\"x\"}", 422, "invalid",
	              "id", "not_a_case_number");
	refused_input(f, "/api/v1/case/message", f->coord_tok,
	              "{\"id\":1,\"message\":\"x\",\"cc\":\"iemand\"}", 422,
	              "invalid", "cc", "unknown_field");
	/* Another content type than JSON. */
	assert_int_equal(api_full(f, "POST", "/api/v1/reports/signal", NULL,
	                          "answers=x", "application/x-www-form-urlencoded",
	                          NULL, &resp, NULL), 415);
	json_decref(problem(&resp, "unsupported_type"));

	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	/* Nothing moved on the case either. */
	c = get_case(f, f->coord_tok, f->signal_id);
	assert_string_equal(state_of(c), "closed");
	json_decref(c);
	free(before);
	free(after);
	buf_release(&body);
	buf_release(&resp);
	buf_release(&path);
}

/* A request to path with token that must be refused with status. */
static void
refused_token(struct fixture *f, const char *method, const char *path,
              const char *token, const char *body, long want, const char *code)
{
	struct buf resp = BUF_INIT, headers = BUF_INIT, value = BUF_INIT;

	assert_int_equal(api_full(f, method, path, token, body, NULL, NULL, &resp,
	                          &headers), want);
	json_decref(problem(&resp, code));
	if (want == 401) {
		assert_int_equal(test_header(&headers, "WWW-Authenticate", &value), 0);
		assert_non_null(strstr(value.data, "Bearer"));
	}
	buf_release(&resp);
	buf_release(&headers);
	buf_release(&value);
}

/* A fresh signal in weging_1 for the token tests; its id. */
static int64_t
fresh_signal(struct fixture *f)
{
	char receipt[32];
	int64_t id;

	submit(f, "/api/v1/reports/signal", "{\"answers\":{" GOOD_SIGNAL "}}",
	       receipt);
	id = newest_case(f, f->coord_tok, "signal");
	step_ok(f, f->coord_tok, id, "start_intake", NULL, "weging_1");
	return id;
}

/* The public id of a token text. */
static void
public_id(const char *token, char out[APITOKEN_ID_LEN + 1])
{
	assert_int_equal(apitoken_parse(token, out), 0);
}

static void
test_bad_tokens_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, form = BUF_INIT, resp = BUF_INIT;
	char tmp[APITOKEN_TEXT_LEN + 1], forged[APITOKEN_TEXT_LEN + 1];
	char id[APITOKEN_ID_LEN + 1];
	char *before, *after;
	int64_t caseid = fresh_signal(f);
	long status = 0;
	json_t *c;

	buf_addf(&body, "{\"id\":\"{#%lld}\",\"transition\":\"undermining\"}",
	         (long long)caseid);
	before = counts_without_audit(f->dir);

	/* No token; a session cookie is no token here. */
	refused_token(f, "GET", "/api/v1/inbox?type=signal", NULL, NULL, 401,
	              "unauthorized");
	assert_int_equal(api_full(f, "POST", "/api/v1/case/transition", NULL,
	                          body.data, NULL, f->coord_cookie.data, &resp,
	                          NULL), 401);
	/* A malformed token, and a well-formed one the server never made. */
	refused_token(f, "POST", "/api/v1/case/transition", "geheim", body.data,
	              401, "unauthorized");
	snprintf(forged, sizeof(forged), "%s", f->coord_tok);
	forged[APITOKEN_TEXT_LEN - 5] = forged[APITOKEN_TEXT_LEN - 5] == 'A' ? 'B'
	                                                                    : 'A';
	refused_token(f, "POST", "/api/v1/case/transition", forged, body.data, 401,
	              "unauthorized");

	/* A token without the role: the hr token of the same user. */
	refused_token(f, "GET", "/api/v1/inbox?type=signal", f->stats_tok, NULL,
	              403, "forbidden");
	refused_token(f, "POST", "/api/v1/case/transition", f->stats_tok,
	              body.data, 403, "forbidden");
	/* It opens only what hr may: statistics, not the signals keyring. */
	assert_int_equal(api(f, "GET", "/api/v1/me", f->stats_tok, NULL, &resp),
	                 200);
	assert_null(strstr(resp.data, KEYRING_SIGNALS));
	assert_non_null(strstr(resp.data, KEYRING_STATISTICS));
	assert_int_equal(api(f, "GET", "/api/v1/statistics", f->stats_tok, NULL,
	                     &resp), 200);

	/* Expired: the test clock past its 30 days. */
	clock_set(time(NULL) + 31 * 86400);
	refused_token(f, "POST", "/api/v1/case/transition", f->stats_tok,
	              body.data, 401, "unauthorized");
	/* The 90-day token still works then: only that one expired. */
	assert_int_equal(api(f, "GET", "/api/v1/me", f->coord_tok, NULL, &resp),
	                 200);
	clock_set(0);
	public_id(f->stats_tok, id);
	{
		struct buf object = BUF_INIT;

		buf_addf(&object, "token %s: expired", id);
		assert_true(audited(f, "coord", "api-auth", object.data,
		                    AUDIT_REFUSED));
		buf_release(&object);
	}

	/* Revoked by its user on the token page. */
	test_make_token(&f->ts, &f->coord_cookie, &f->coord_csrf, "tijdelijk",
	                "role=coordinator", "1", tmp);
	assert_int_equal(api(f, "GET", "/api/v1/me", tmp, NULL, &resp), 200);
	public_id(tmp, id);
	buf_addf(&form, "csrf=%s&token=%s", f->coord_csrf.data, id);
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens/intrekken",
	                 form.data, f->coord_cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 303);
	refused_token(f, "POST", "/api/v1/case/transition", tmp, body.data, 401,
	              "unauthorized");
	{
		struct buf object = BUF_INIT;

		buf_addf(&object, "token %s", id);
		assert_true(audited(f, "coord", "api-token-revoke", object.data,
		                    NULL));
		buf_reset(&object);
		buf_addf(&object, "token %s: revoked", id);
		assert_true(audited(f, "coord", "api-auth", object.data,
		                    AUDIT_REFUSED));
		buf_release(&object);
	}

	after = counts_without_audit(f->dir);
	assert_string_equal(before, after);
	c = get_case(f, f->coord_tok, caseid);
	assert_string_equal(state_of(c), "weging_1");
	assert_int_equal(json_array_size(json_object_get(c, "events")), 1);
	json_decref(c);
	crypto_wipe(tmp, sizeof(tmp));
	free(before);
	free(after);
	buf_release(&body);
	buf_release(&form);
	buf_release(&resp);
}

/* Assign, link and hold: the page's small actions through the API. */
static void
test_case_actions(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, body = BUF_INIT;
	int64_t other = fresh_signal(f), incident;
	json_t *j;

	buf_addf(&body, "{\"id\":\"{#%lld}\",\"assignee\":\"coord\"}",
	         (long long)f->signal_id);
	assert_int_equal(api(f, "POST", "/api/v1/case/assign", f->coord_tok,
	                     body.data, &resp), 200);
	j = parse(&resp);
	assert_string_equal(json_string_value(json_object_get(j, "assignee")),
	                    "coord");
	json_decref(j);
	/* Only those who can read it are offered: not vpt1, not the admin. */
	j = get_case(f, f->coord_tok, f->signal_id);
	assert_int_equal(json_array_size(json_object_get(j, "assignable")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	                    json_object_get(j, "assignable"), 0), "username")),
	                    "coord");
	json_decref(j);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"assignee\":\"niemand\"}",
	         (long long)f->signal_id);
	refused_input(f, "/api/v1/case/assign", f->coord_tok, body.data, 422,
	              "invalid", "assignee", "not_assignable");
	/* The dossier export: a ZIP for the coordinator, not for vpt1. */
	buf_reset(&body);
	buf_addf(&body, "/api/v1/case/dossier?id={#%lld}&notes=1",
	         (long long)f->signal_id);
	buf_reset(&resp);
	assert_int_equal(api(f, "GET", body.data, f->coord_tok, NULL, &resp),
	                 200);
	assert_memory_equal(resp.data, "PK\x03\x04", 4);
	buf_reset(&resp);
	assert_int_equal(api(f, "GET", body.data, f->vpt_tok, NULL, &resp), 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'dossier-export' AND actor = 'coord'"
	                 " AND result = 'ok' AND object LIKE '% with notes'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'dossier-export' AND actor = 'vpt1'"
	                 " AND result = 'refused'"), 1);
	/* The VPT coordinator cannot read a signal: refused the same way. */
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"assignee\":\"vpt1\"}",
	         (long long)f->signal_id);
	refused_input(f, "/api/v1/case/assign", f->coord_tok, body.data, 422,
	              "invalid", "assignee", "not_assignable");

	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"other\":\"{#%lld}\"}", (long long)f->signal_id,
	         (long long)other);
	assert_int_equal(api(f, "POST", "/api/v1/case/link", f->coord_tok,
	                     body.data, &resp), 200);
	/* Not across types: the incident is another keyring's. */
	incident = newest_case(f, f->vpt_tok, "incident");
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"other\":\"{#%lld}\"}", (long long)f->signal_id,
	         (long long)incident);
	assert_int_equal(api(f, "POST", "/api/v1/case/link", f->coord_tok,
	                     body.data, &resp), 409);

	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"hold\":true,\"reason\":\"Verzoek OM.\"}",
	         (long long)other);
	assert_int_equal(api(f, "POST", "/api/v1/case/hold", f->coord_tok,
	                     body.data, &resp), 200);
	assert_true(audited(f, "coord", "legal-hold-on", "Verzoek OM.", NULL));
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"hold\":false,\"reason\":\"   \"}",
	         (long long)other);
	refused_input(f, "/api/v1/case/hold", f->coord_tok, body.data, 422,
	              "invalid", "reason", "bad_text");
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"hold\":\"yes\",\"reason\":\"x\"}",
	         (long long)other);
	refused_input(f, "/api/v1/case/hold", f->coord_tok, body.data, 422,
	              "invalid", "hold", "wrong_type");
	buf_release(&resp);
	buf_release(&body);
}

/* ---- Tokens: the SECURITY.md promises -------------------------------- */

static void
test_token_promises(void **state)
{
	struct fixture *f = *state;
	struct buf db = BUF_INIT, path = BUF_INIT, form = BUF_INIT, page = BUF_INIT;
	char id[APITOKEN_ID_LEN + 1], other[APITOKEN_TEXT_LEN + 1];
	long status = 0;

	/* Stored hashed: no secret part of any token is in the database. */
	buf_addf(&path, "%s/meldpunt.db", f->dir);
	assert_int_equal(test_read_file(path.data, &db), 0);
	buf_reset(&path);
	buf_addf(&path, "%s/meldpunt.db-wal", f->dir);
	test_read_file(path.data, &db);
	assert_false(test_contains(&db, f->coord_tok + 21, 43));
	assert_false(test_contains(&db, f->vpt_tok + 21, 43));
	assert_false(test_contains(&db, f->stats_tok + 21, 43));

	/* Roles beyond the user's own are refused; nothing is made. */
	buf_addf(&form, "csrf=%s&label=x&days=30&role=admin", f->vpt_csrf.data);
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens",
	                 form.data, f->vpt_cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 400);
	assert_null(strstr(page.data, "id=\"new-token\""));
	/* A lifetime over the maximum, and none at all, are refused. */
	buf_reset(&form);
	buf_addf(&form, "csrf=%s&label=x&days=367&role=vpt", f->vpt_csrf.data);
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens",
	                 form.data, f->vpt_cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 400);
	/* Without the CSRF token: refused. */
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens",
	                 "label=x&days=30&role=vpt", f->vpt_cookie.data, &status,
	                 NULL, &page), 0);
	assert_int_equal(status, 403);

	/* A user cannot revoke another's token ... */
	public_id(f->vpt_tok, id);
	buf_reset(&form);
	buf_addf(&form, "csrf=%s&token=%s", f->coord_csrf.data, id);
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens/intrekken",
	                 form.data, f->coord_cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 404);
	assert_int_equal(api(f, "GET", "/api/v1/me", f->vpt_tok, NULL, &page), 200);
	/* ... an admin sees every token and can. */
	assert_int_equal(test_http_cookie(&f->ts, "GET", "/beheer/tokens", NULL,
	                 f->admin_cookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, "vpt-koppeling"));
	assert_non_null(strstr(page.data, "zaaksysteem"));
	/* The list never shows a token's secret. */
	assert_false(test_contains(&page, f->vpt_tok + 21, 43));
	test_make_token(&f->ts, &f->vpt_cookie, &f->vpt_csrf, "reserve",
	                "role=vpt", "10", other);
	buf_reset(&form);
	buf_addf(&form, "csrf=%s&token=%s", f->admin_csrf.data, id);
	assert_int_equal(test_http_cookie(&f->ts, "POST", "/beheer/tokens/intrekken",
	                 form.data, f->admin_cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 303);
	assert_int_equal(api(f, "GET", "/api/v1/me", f->vpt_tok, NULL, &page), 401);
	assert_true(audited(f, "admin", "api-token-revoke", id, NULL));
	snprintf(f->vpt_tok, sizeof(f->vpt_tok), "%s", other);
	assert_int_equal(api(f, "GET", "/api/v1/me", f->vpt_tok, NULL, &page), 200);

	/* A disabled account's tokens stop working. */
	{
		struct user u;

		assert_int_equal(users_find(f->inst->db, "vpt1", &u), 0);
		assert_int_equal(users_set_disabled(f->inst->db, "admin", u.id, 1), 0);
		assert_int_equal(api(f, "GET", "/api/v1/me", f->vpt_tok, NULL, &page),
		                 401);
		assert_int_equal(users_set_disabled(f->inst->db, "admin", u.id, 0), 0);
		assert_int_equal(api(f, "GET", "/api/v1/me", f->vpt_tok, NULL, &page),
		                 200);
		user_release(&u);
	}
	buf_release(&db);
	buf_release(&path);
	buf_release(&form);
	buf_release(&page);
}

/* ---- The norm self-assessment --------------------------------------- */

static void
test_norm_through_api(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, body = BUF_INIT;
	char *before, *after, year[8], day[CLOCK_DAY_LEN + 1];
	json_t *j, *it;
	size_t i;
	int seen = 0;

	clock_format_day(time(NULL), day);
	snprintf(year, sizeof(year), "%.4s", day);
	buf_addf(&body, "{\"year\":%s,\"item\":\"4.3\",\"status\":\"partly\","
	         "\"explanation\":\"Terugkoppeling nog niet altijd op tijd.\","
	         "\"actions\":[{\"text\":\"Termijn bewaken.\",\"owner\":"
	         "\"Coordinator\",\"due\":\"2027-03-31\"}]}", year);
	assert_int_equal(api(f, "POST", "/api/v1/norm/item", f->coord_tok,
	                     body.data, &resp), 200);
	assert_true(audited(f, "coord", "norm-save", "4.3", NULL));

	/* The core's checks, per value; nothing saved by a refusal. */
	before = test_db_counts(f->dir);
	buf_reset(&body);
	buf_addf(&body, "{\"year\":%s,\"item\":\"4.3\",\"status\":\"great\","
	         "\"actions\":[{\"text\":\"x\",\"owner\":\"y\",\"due\":"
	         "\"2027-02-30\",\"cost\":\"1\"},{\"text\":\"z\"}]}", year);
	assert_int_equal(api(f, "POST", "/api/v1/norm/item", f->coord_tok,
	                     body.data, &resp), 422);
	j = problem(&resp, "invalid");
	has_error(j, "status", "bad_option");
	has_error(j, "actions[0].cost", "unknown_field");
	has_error(j, "actions[0].due", "bad_date");
	has_error(j, "actions[1]", "incomplete");
	json_decref(j);
	refused_input(f, "/api/v1/norm/item", f->coord_tok,
	              "{\"year\":1999,\"item\":\"9.9\",\"status\":\"meets\"}",
	              422, "invalid", "item", "bad_item");
	refused_input(f, "/api/v1/norm/item", f->coord_tok,
	              "{\"year\":2026,\"item\":\"4.3\",\"status\":\"meets\","
	              "\"actions\":{\"text\":\"x\"}}", 422, "invalid", "actions",
	              "wrong_type");
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);

	/* The year as the annual report has it. */
	buf_reset(&body);
	buf_addf(&body, "/api/v1/norm?jaar=%s", year);
	assert_int_equal(api(f, "GET", body.data, f->coord_tok, NULL, &resp), 200);
	j = parse(&resp);
	json_array_foreach(json_object_get(j, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "item")),
		           "4.3") == 0) {
			assert_string_equal(json_string_value(json_object_get(it,
			                    "status")), "partly");
			assert_string_equal(json_string_value(json_object_get(
			        json_array_get(json_object_get(it, "actions"), 0),
			        "owner")), "Coordinator");
			seen = 1;
		}
	assert_true(seen);
	json_decref(j);
	buf_reset(&body);
	buf_addf(&body, "/api/v1/norm/export?jaar=%s&tabel=items", year);
	assert_int_equal(api(f, "GET", body.data, f->coord_tok, NULL, &resp), 200);
	assert_non_null(strstr(resp.data, "4.3"));
	free(before);
	free(after);
	buf_release(&resp);
	buf_release(&body);
}

/* ---- Anonymity -------------------------------------------------------- */

/*
 * The program itself (not this process's server) takes reports through
 * the API; its log, kept for tests/test_suite_log.sh too, holds neither
 * the client's address nor its user agent nor a word of the content.
 */
static void
test_api_leaves_no_trace_in_the_log(void **state)
{
	struct fixture *f = *state, other;
	struct buf resp = BUF_INIT, log = BUF_INIT, body = BUF_INIT;
	char *dir = test_tmpdir("api-log"), *path;
	const char *init[] = { "--data", NULL, "init", NULL };
	json_t *j;

	init[1] = dir;
	assert_int_equal(test_run(&resp, &log, init), 0);
	memset(&other, 0, sizeof(other));
	other.ts.port = 0;
	assert_int_equal(test_server_start(&other.ts, dir), 0);
	assert_int_equal(api(&other, "POST", "/api/v1/reports/signal", NULL,
	                     "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":"
	                     "\"Spoorlaan-geheim-77\",\"observation\":"
	                     "\"Woordvoorhetlog\",\"identity\":\"anonymous\"}}",
	                     &resp), 201);
	j = parse(&resp);
	buf_addf(&body, "{\"receipt\":\"%s\",\"message\":\"Antwoordvoorhetlog\"}",
	         json_string_value(json_object_get(j, "receipt")));
	json_decref(j);
	assert_int_equal(api(&other, "POST", "/api/v1/status/messages", NULL,
	                     body.data, &resp), 201);
	assert_int_equal(api(&other, "POST", "/api/v1/status", NULL,
	                     "{\"receipt\":\"AAAA-AAAA-AAAA-AAAA\"}", &resp), 404);
	path = strdup(other.ts.log_path);
	assert_non_null(path);
	assert_int_equal(test_server_stop(&other.ts), 0);
	buf_reset(&log);
	assert_int_equal(test_read_file(path, &log), 0);
	free(path);
	assert_true(log.len > 0);
	assert_null(strstr(log.data, "127.0.0.1"));
	assert_null(strstr(log.data, "meldpunt-test-agent"));
	assert_null(strstr(log.data, "Spoorlaan-geheim-77"));
	assert_null(strstr(log.data, "Woordvoorhetlog"));
	assert_null(strstr(log.data, "Antwoordvoorhetlog"));
	assert_null(strstr(log.data, "AAAA-AAAA"));
	(void)f;
	test_rmtree(dir);
	free(dir);
	buf_release(&resp);
	buf_release(&log);
	buf_release(&body);
}

/* ---- Rate limit ----------------------------------------------------- */

static void
test_receipt_rate_limit(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT;
	long status = 0;
	unsigned i;

	/* A fresh minute, so the walks' look-ups do not count. */
	clock_set(time(NULL) + 3600);
	for (i = 0; i < RECEIPT_ATTEMPTS + 1; i++) {
		status = api(f, "POST", "/api/v1/status", NULL,
		             "{\"receipt\":\"AAAA-AAAA-AAAA-AAAA\"}", &resp);
		if (status == 429)
			break;
		assert_int_equal(status, 404);
	}
	assert_int_equal(status, 429);
	assert_int_equal(i, RECEIPT_ATTEMPTS);
	json_decref(problem(&resp, "rate_limited"));
	clock_set(0);
	buf_release(&resp);
}

/* ---- openapi.yaml --------------------------------------------------- */

/* A YAML node as JSON: plain scalars that read as numbers, booleans or
 * null become those (YAML's core schema), everything else text. */
static json_t *
yaml_node(yaml_document_t *doc, yaml_node_t *n)
{
	json_t *j;

	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *v = (const char *)n->data.scalar.value;
		char *end;
		long long i;

		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return json_string(v);
		if (strcmp(v, "true") == 0)
			return json_true();
		if (strcmp(v, "false") == 0)
			return json_false();
		if (strcmp(v, "null") == 0 || strcmp(v, "~") == 0)
			return json_null();
		i = strtoll(v, &end, 10);
		if (*v && !*end)
			return json_integer(i);
		return json_string(v);
	}
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it;

		j = json_array();
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			json_array_append_new(j, yaml_node(doc,
			                      yaml_document_get_node(doc, *it)));
		return j;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p;

		j = json_object();
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
		     p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);

			json_object_set_new(j, (const char *)k->data.scalar.value,
			                    yaml_node(doc, yaml_document_get_node(doc,
			                                                 p->value)));
		}
		return j;
	}
	default:
		return json_null();
	}
}

static json_t *
load_openapi(void)
{
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf path = BUF_INIT;
	yaml_parser_t parser;
	yaml_document_t doc;
	json_t *j;
	FILE *fp;

	assert_non_null(src);
	buf_addf(&path, "%s/openapi.yaml", src);
	fp = fopen(path.data, "rb");
	assert_non_null(fp);
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc))
		fail_msg("openapi.yaml: %s at line %zu", parser.problem,
		         parser.problem_mark.line + 1);
	j = yaml_node(&doc, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	buf_release(&path);
	return j;
}

static const char *const methods[] = { "get", "post", "put", "patch", "delete" };

static void
upper(const char *m, char out[8])
{
	size_t i;

	for (i = 0; m[i] && i < 7; i++)
		out[i] = (char)(m[i] - 'a' + 'A');
	out[i] = '\0';
}

/* enum holds every report type's name, and nothing else. */
static void
enum_of_types(json_t *en, const char *where)
{
	size_t i;

	if (!json_is_array(en) || json_array_size(en) != report_types_count())
		fail_msg("openapi.yaml: %s does not list the %zu report types",
		         where, report_types_count());
	for (i = 0; i < report_types_count(); i++) {
		const char *name = report_type_name((enum report_type)i);
		json_t *v;
		size_t k;
		int found = 0;

		json_array_foreach(en, k, v)
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), name) == 0)
				found = 1;
		if (!found)
			fail_msg("openapi.yaml: %s lacks the type %s", where, name);
	}
}

/*
 * Where openapi.yaml lists the report types (a case's type, the inbox's
 * type parameter), it lists those of schema/forms/.
 */
static void
report_types_in(json_t *doc, json_t *paths)
{
	json_t *p;
	size_t i;
	int seen = 0;

	enum_of_types(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(json_object_get(doc, "components"),
	    "schemas"), "Case"), "properties"), "type"), "enum"),
	    "components.schemas.Case.properties.type");
	json_array_foreach(json_object_get(json_object_get(json_object_get(
	    paths, PATH_API_INBOX), "get"), "parameters"), i, p)
		if (strcmp(json_string_value(json_object_get(p, "name")),
		           "type") == 0) {
			enum_of_types(json_object_get(json_object_get(p, "schema"),
			              "enum"), "the inbox's parameter type");
			seen = 1;
		}
	assert_true(seen);
}

static void
test_openapi_matches_routes(void **state)
{
	const struct route *r;
	const char *path;
	json_t *doc = load_openapi(), *paths, *item;
	size_t documented = 0, routed = 0, i;
	int bad = 0;

	(void)state;
	paths = json_object_get(doc, "paths");
	assert_true(json_is_object(paths));
	/* Every documented operation is a route ... */
	json_object_foreach(paths, path, item) {
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			char m[8];
			int found = 0;

			if (!json_object_get(item, methods[i]))
				continue;
			documented++;
			upper(methods[i], m);
			r = routes_find(m, path);
			/* Its own route, not a page's below the same path. */
			found = r && (strcmp(r->path, path) == 0 ||
			              (r->flags & ROUTE_TYPE_NAME));
			if (!found) {
				print_error("documented, no route: %s %s\n", m, path);
				bad = 1;
			}
		}
	}
	/*
	 * ... and every /api/ route is documented: a route of every report
	 * type (ROUTE_TYPE_NAME) once for each type schema/forms/ declares.
	 */
	for (r = routes; r->path; r++) {
		size_t t, ntypes = (r->flags & ROUTE_TYPE_NAME) ?
		                   report_types_count() : 1;

		if (strncmp(r->path, "/api/", 5) != 0)
			continue;
		for (t = 0; t < ntypes; t++) {
			struct buf full = BUF_INIT;
			char lower[8];
			json_t *op;

			buf_adds(&full, r->path);
			if (r->flags & ROUTE_TYPE_NAME)
				buf_adds(&full, report_type_name((enum report_type)t));
			routed++;
			for (i = 0; r->method[i] && i < 7; i++)
				lower[i] = (char)(r->method[i] - 'A' + 'a');
			lower[i] = '\0';
			op = json_object_get(json_object_get(paths, full.data), lower);
			if (!op) {
				print_error("route, not documented: %s %s\n",
				            r->method, full.data);
				bad = 1;
			} else if (!!(r->flags & ROUTE_API) !=
			           (json_object_get(op, "security") != NULL)) {
				/* Staff routes need the token, reporter routes not. */
				print_error("security of %s %s does not match the "
				            "route\n", r->method, full.data);
				bad = 1;
			}
			buf_release(&full);
		}
	}
	assert_false(bad);
	assert_int_equal(documented, routed);
	assert_true(routed >= 20);
	report_types_in(doc, paths);
	json_decref(doc);
}

/* The query of an operation's parameter examples ("" when none). */
static void
example_query(json_t *op, struct buf *q)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(op, "parameters"), i, p) {
		json_t *ex = json_object_get(p, "example");
		char *v;

		if (!ex || strcmp(json_string_value(json_object_get(p, "in")),
		                  "query") != 0)
			continue;
		if (json_is_string(ex)) {
			buf_addf(q, "%c%s=%s", q->len ? '&' : '?',
			         json_string_value(json_object_get(p, "name")),
			         json_string_value(ex));
			continue;
		}
		v = json_dumps(ex, JSON_ENCODE_ANY);
		buf_addf(q, "%c%s=%s", q->len ? '&' : '?',
		         json_string_value(json_object_get(p, "name")), v);
		json_text_free(v);
	}
}

static void
test_openapi_examples_accepted(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, url = BUF_INIT;
	const char *path;
	json_t *doc = load_openapi(), *item;
	size_t i, sent = 0;

	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			json_t *op = json_object_get(item, methods[i]), *ex;
			const char *token;
			char *body = NULL, m[8];
			long status;

			if (!op)
				continue;
			upper(methods[i], m);
			token = json_object_get(op, "security") ? f->coord_tok : NULL;
			ex = json_object_get(json_object_get(json_object_get(
			        json_object_get(op, "requestBody"), "content"),
			        "application/json"), "example");
			if (json_object_get(op, "requestBody")) {
				assert_non_null(ex);
				body = json_dumps(ex, JSON_COMPACT);
			}
			buf_reset(&url);
			buf_adds(&url, path);
			{
				struct buf q = BUF_INIT;

				example_query(op, &q);
				buf_adds(&url, q.data);
				buf_release(&q);
			}
			status = api(f, m, url.data, token, body, &resp);
			/*
			 * Accepted as input: no refusal of the body or the query
			 * (400, 413, 415, 422), no refusal of the token (401,
			 * 403) and no error. A 404 (the example's receipt) or a
			 * 409 (a step the case has passed) judges the data, not
			 * the request.
			 */
			if (status == 400 || status == 401 || status == 403 ||
			    status == 413 || status == 415 || status == 422 ||
			    status >= 500)
				fail_msg("example of %s %s refused with %ld: %s", m,
				         url.data, status, resp.data);
			sent++;
			if (body)
				json_text_free(body);
		}
	}
	assert_true(sent >= 20);
	json_decref(doc);
	buf_release(&resp);
	buf_release(&url);
}

/* The deadline called name of case c (its "deadlines"), or NULL. */
static json_t *
deadline_of(json_t *c, const char *name)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(c, "deadlines"), i, d)
		if (strcmp(json_string_value(json_object_get(d, "name")), name) == 0)
			return d;
	return NULL;
}

/*
 * The reporter's only running deadline (its text and last day) is the
 * one whose text holds text, and its last day is want.
 */
static void
reporter_due(json_t *view, const char *text, const char *want)
{
	json_t *dl = json_object_get(view, "deadlines");

	assert_int_equal(json_array_size(dl), 1);
	assert_non_null(strstr(json_string_value(json_object_get(
	        json_array_get(dl, 0), "text")), text));
	assert_string_equal(json_string_value(json_object_get(
	        json_array_get(dl, 0), "due_on")), want);
}

/*
 * The third type (issue 20 point 7): its form and its submission under
 * /api/v1/forms/integrity and /api/v1/reports/integrity, learnt from
 * schema/forms/; the case through the API for the integrity coordinator
 * alone (the coordinator's and the VPT's tokens are refused it, and its
 * token theirs), the acknowledgement within 7 days (the deadline, met by
 * the step; the reporter reads it and a named reporter's address gets a
 * notice; the reporter sees the last day of each term while it runs),
 * the dialogue both ways with a file, the 'longer' notice that
 * meets the feedback term, closing with a legal hold, and the dossier
 * export.
 */
static void
test_integrity_through_api(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT, body = BUF_INIT, path = BUF_INIT;
	char receipt[32];
	json_t *j, *c, *r, *fld, *d;
	int64_t id, notices;
	size_t i;
	int kind = 0, name_when = 0;

	/* The form: the questions of schema/forms/integrity.ini. */
	assert_int_equal(api(f, "GET", "/api/v1/forms/integrity", NULL, NULL,
	                     &resp), 200);
	j = parse(&resp);
	assert_string_equal(json_string_value(json_object_get(j, "type")),
	                    "integrity");
	assert_true(json_is_true(json_object_get(j, "anonymous")));
	json_array_foreach(json_object_get(j, "fields"), i, fld) {
		const char *nm = json_string_value(json_object_get(fld, "name"));

		if (strcmp(nm, "kind") == 0)
			kind = json_array_size(json_object_get(fld, "options")) >= 5;
		if (strcmp(nm, "reporter_name") == 0)
			name_when = strcmp(json_string_value(json_object_get(
			        json_object_get(fld, "when"), "value")), "named") == 0;
		assert_string_not_equal(nm, "files");
	}
	assert_true(kind);
	assert_true(name_when);
	json_decref(j);
	/* A type no form declares is not a path. */
	assert_int_equal(api(f, "GET", "/api/v1/forms/integriteit", NULL, NULL,
	                     &resp), 404);
	assert_int_equal(api(f, "POST", "/api/v1/reports/integriteit", NULL,
	                     "{\"answers\":{}}", &resp), 404);
	/* Checked like the page's form: the kind is required. */
	assert_int_equal(api(f, "POST", "/api/v1/reports/integrity", NULL,
	                     "{\"answers\":{\"what\":\"x\",\"when\":\"gisteren\","
	                     "\"knowledge\":\"documents\",\"reported_before\":"
	                     "\"no\",\"identity\":\"anonymous\"}}", &resp), 422);
	j = problem(&resp, "invalid");
	has_error(j, "answers.kind", "missing");
	json_decref(j);

	notices = test_count(f->dir, "SELECT count(*) FROM outbox");
	submit(f, "/api/v1/reports/integrity",
	       "{\"answers\":{\"kind\":\"fraud\",\"what\":\"Declaraties van "
	       "reizen die niet zijn gemaakt.\",\"when\":\"Sinds januari\","
	       "\"knowledge\":\"documents\",\"reported_before\":\"no\","
	       "\"identity\":\"named\",\"reporter_name\":\"Els Bakker\","
	       "\"reporter_email\":\"e.bakker@example.nl\"},\"files\":[{\"name\":"
	       "\"declaratie.txt\",\"type\":\"text/plain\",\"data\":"
	       "\"UmVpcyBuYWFyIFJvbWU=\"}]}", receipt);
	id = newest_case(f, f->integ_tok, "integrity");

	/* Only the integrity coordinator reads it, and only its own type. */
	buf_addf(&path, "/api/v1/case?id={#%lld}", (long long)id);
	assert_int_equal(api(f, "GET", path.data, f->coord_tok, NULL, &resp),
	                 403);
	assert_int_equal(api(f, "GET", path.data, f->vpt_tok, NULL, &resp), 403);
	assert_int_equal(api(f, "GET", "/api/v1/inbox?type=signal",
	                     f->integ_tok, NULL, &resp), 403);
	assert_int_equal(api(f, "GET", "/api/v1/inbox?type=integrity",
	                     f->coord_tok, NULL, &resp), 403);
	assert_int_equal(step(f, f->coord_tok, id, "acknowledge", NULL, &resp),
	                 403);

	c = get_case(f, f->integ_tok, id);
	assert_string_equal(json_string_value(json_object_get(c, "type")),
	                    "integrity");
	assert_string_equal(state_of(c), "received");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	        json_object_get(c, "report"), "answers"), "reporter_name")),
	        "Els Bakker");
	/* The acknowledgement is due 7 days after receipt, and runs. */
	d = deadline_of(c, "acknowledgement");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "state")),
	                    "pending");
	assert_null(deadline_of(c, "feedback"));
	assert_non_null(json_object_get(c, "next_due"));
	assert_int_equal(json_array_size(json_object_get(c, "files")), 1);
	json_decref(c);
	/* The reporter sees when the acknowledgement is due. */
	r = reporter_view(f, receipt);
	{
		char want[11];

		test_day_after(json_string_value(json_object_get(r,
		               "received_on")), 7, want);
		reporter_due(r, "ontvangstbevestiging", want);
	}
	json_decref(r);

	/* Acknowledged: the reporter reads it; the named reporter hears. */
	step_ok(f, f->integ_tok, id, "acknowledge",
	        "\"message\":\"Wij hebben uw melding ontvangen.\"", "assessment");
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM outbox"),
	                 notices + 1);
	c = get_case(f, f->integ_tok, id);
	assert_string_equal(json_string_value(json_object_get(deadline_of(c,
	                    "acknowledgement"), "state")), "met");
	assert_string_equal(json_string_value(json_object_get(deadline_of(c,
	                    "feedback"), "state")), "pending");
	json_decref(c);
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "assessment");
	assert_true(has_message(json_object_get(r, "messages"),
	                        "Wij hebben uw melding ontvangen.", 0));
	/* Now the feedback, 3 months after the acknowledgement (today). */
	{
		char today[11], want[11];

		zone_day_text(clock_now(), today);
		test_months_after(today, 3, want);
		reporter_due(r, "wat er met uw melding is gedaan", want);
	}
	json_decref(r);

	/* The dialogue, a note, and the reporter's answer with a file. */
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"message\":\"Om welke reizen gaat "
	         "het?\"}", (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/case/message", f->integ_tok,
	                     body.data, &resp), 201);
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"note\":\"Declaraties opvragen.\"}",
	         (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/case/note", f->integ_tok,
	                     body.data, &resp), 201);
	buf_reset(&body);
	buf_addf(&body, "{\"receipt\":\"%s\",\"message\":\"Rome en Wenen.\","
	         "\"files\":[{\"name\":\"lijst.txt\",\"data\":\"Um9tZSwgV2VuZW4=\"}]}",
	         receipt);
	assert_int_equal(api(f, "POST", "/api/v1/status/messages", NULL,
	                     body.data, &resp), 201);
	step_ok(f, f->integ_tok, id, "admissible", NULL, "investigation");
	step_ok(f, f->integ_tok, id, "longer",
	        "\"message\":\"Het onderzoek duurt langer.\"", "investigation");
	c = get_case(f, f->integ_tok, id);
	assert_string_equal(json_string_value(json_object_get(deadline_of(c,
	                    "feedback"), "state")), "met");
	assert_true(has_message(json_object_get(c, "messages"),
	                        "Rome en Wenen.", 1));
	assert_int_equal(json_array_size(json_object_get(c, "notes")), 1);
	assert_int_equal(json_array_size(json_object_get(c, "files")), 2);
	json_array_foreach(json_object_get(c, "files"), i, fld) {
		const char *nm = json_string_value(json_object_get(fld, "name"));
		const char *want = strcmp(nm, "lijst.txt") == 0 ? "Rome, Wenen"
		                   : "Reis naar Rome";

		buf_reset(&path);
		buf_addf(&path, "/api/v1/case/file?id={#%lld}&bestand=%lld",
		         (long long)id,
		         (long long)json_integer_value(json_object_get(fld, "id")));
		assert_int_equal(api(f, "GET", path.data, f->coord_tok, NULL,
		                     &resp), 403);
		assert_int_equal(api(f, "GET", path.data, f->integ_tok, NULL,
		                     &resp), 200);
		assert_int_equal(resp.len, strlen(want));
		assert_memory_equal(resp.data, want, resp.len);
	}
	json_decref(c);

	/* Concluded and closed, with feedback; then a legal hold. */
	step_ok(f, f->integ_tok, id, "conclude", NULL, "conclusion");
	step_ok(f, f->integ_tok, id, "unfounded",
	        "\"message\":\"Wij hebben geen schending vastgesteld.\"",
	        "unfounded");
	buf_reset(&body);
	buf_addf(&body, "{\"id\":\"{#%lld}\",\"hold\":true,\"reason\":\"Bezwaar "
	         "loopt\"}", (long long)id);
	assert_int_equal(api(f, "POST", "/api/v1/case/hold", f->coord_tok,
	                     body.data, &resp), 403);
	assert_int_equal(api(f, "POST", "/api/v1/case/hold", f->integ_tok,
	                     body.data, &resp), 200);
	c = get_case(f, f->integ_tok, id);
	assert_true(json_is_true(json_object_get(c, "final")));
	json_decref(c);
	/* Its dossier export, as the others': for its own handler only. */
	buf_reset(&path);
	buf_addf(&path, "/api/v1/case/dossier?id={#%lld}&notes=1",
	         (long long)id);
	assert_int_equal(api(f, "GET", path.data, f->coord_tok, NULL, &resp),
	                 403);
	buf_reset(&resp);
	assert_int_equal(api(f, "GET", path.data, f->integ_tok, NULL, &resp),
	                 200);
	assert_true(resp.len > 4);
	assert_memory_equal(resp.data, "PK\x03\x04", 4);
	r = reporter_view(f, receipt);
	assert_string_equal(state_of(r), "unfounded");
	/* No term runs for the reporter any more. */
	assert_int_equal(json_array_size(json_object_get(r, "deadlines")), 0);
	assert_true(has_message(json_object_get(r, "messages"),
	                        "Wij hebben geen schending vastgesteld.", 0));
	json_decref(r);
	buf_release(&resp);
	buf_release(&body);
	buf_release(&path);
}

/* ---- One refusal, one row ------------------------------------------ */

/* The id of the newest audit row. */
static int64_t
newest_row(struct fixture *f)
{
	struct audit_row row;
	size_t n = 0;

	assert_int_equal(audit_list(f->inst->db, 0, NULL, &row, 1, &n), 0);
	return n ? row.id : 0;
}

/* The one audit row written after row since, into out. */
static void
only_row_since(struct fixture *f, int64_t since, struct audit_row *out)
{
	struct audit_row rows[8];
	size_t n = 0, i, found = 0;

	assert_int_equal(audit_list(f->inst->db, 0, NULL, rows, 8, &n), 0);
	for (i = 0; i < n; i++)
		if (rows[i].id > since) {
			*out = rows[i];
			found++;
		}
	assert_int_equal(found, 1);
}

/* Both rows are the refusal of action on object to actor. */
static void
same_refusal(const struct audit_row *page, const struct audit_row *api_row,
             const char *actor, const char *action, const char *object)
{
	const struct audit_row *rows[2] = { page, api_row };
	size_t i;

	for (i = 0; i < 2; i++) {
		assert_string_equal(rows[i]->actor, actor);
		assert_string_equal(rows[i]->action, action);
		assert_string_equal(rows[i]->object, object);
		assert_string_equal(rows[i]->result, "refused");
	}
}

/*
 * The same refusal through a page and through the API leaves the same
 * audit row (actor, action, object, result), written by core: a VPT
 * coordinator opening a signal (no row at all before), and a step the
 * workflow refuses (each door wrote its own row before).
 */
static void
test_refusals_audited_alike(void **state)
{
	struct fixture *f = *state;
	struct buf path = BUF_INIT, body = BUF_INIT, resp = BUF_INIT;
	struct buf object = BUF_INIT;
	struct audit_row page, api_row;
	char receipt[32];
	int64_t id, since;

	submit(f, "/api/v1/reports/signal", "{\"answers\":{" GOOD_SIGNAL "}}",
	       receipt);
	id = newest_case(f, f->coord_tok, "signal");

	/* vpt1 opens a signal: the page, then the API. */
	buf_addf(&path, "/beheer/melding?id={#%lld}", (long long)id);
	since = newest_row(f);
	assert_int_equal(api_full(f, "GET", path.data, NULL, NULL, NULL,
	                          f->vpt_cookie.data, &resp, NULL), 403);
	only_row_since(f, since, &page);
	buf_reset(&path);
	buf_addf(&path, "/api/v1/case?id={#%lld}", (long long)id);
	since = newest_row(f);
	assert_int_equal(api(f, "GET", path.data, f->vpt_tok, NULL, &resp), 403);
	only_row_since(f, since, &api_row);
	buf_addf(&object, "report {#%lld}", (long long)id);
	same_refusal(&page, &api_row, "vpt1", "report-read",
	             test_cases(f->dir, object.data));

	/* coord takes a step the state does not allow: page, then API. */
	buf_addf(&body, "csrf=%s&id={#%lld}&transition=municipal_task",
	         f->coord_csrf.data, (long long)id);
	since = newest_row(f);
	assert_int_equal(api_full(f, "POST", "/beheer/melding/overgang", NULL,
	                          body.data,
	                          "application/x-www-form-urlencoded",
	                          f->coord_cookie.data, &resp, NULL), 400);
	/* The page shows the case again with the refusal: one read row. */
	{
		struct audit_row rows[8];
		size_t n = 0, i, refused = 0;

		assert_int_equal(audit_list(f->inst->db, 0, NULL, rows, 8, &n), 0);
		for (i = 0; i < n; i++)
			if (rows[i].id > since &&
			    strcmp(rows[i].result, "refused") == 0) {
				page = rows[i];
				refused++;
			}
		assert_int_equal(refused, 1);
	}
	since = newest_row(f);
	assert_int_equal(step(f, f->coord_tok, id, "municipal_task", NULL,
	                      &resp), 409);
	only_row_since(f, since, &api_row);
	buf_reset(&object);
	buf_addf(&object, "report {#%lld}: municipal_task", (long long)id);
	same_refusal(&page, &api_row, "coord", "report-transition",
	             test_cases(f->dir, object.data));
	buf_release(&path);
	buf_release(&body);
	buf_release(&resp);
	buf_release(&object);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openapi_matches_routes),
		cmocka_unit_test(test_signal_through_api),
		cmocka_unit_test(test_incident_through_api),
		cmocka_unit_test(test_integrity_through_api),
		cmocka_unit_test(test_refused_input_changes_nothing),
		cmocka_unit_test(test_bad_tokens_change_nothing),
		cmocka_unit_test(test_case_actions),
		cmocka_unit_test(test_refusals_audited_alike),
		cmocka_unit_test(test_token_promises),
		cmocka_unit_test(test_norm_through_api),
		cmocka_unit_test(test_api_leaves_no_trace_in_the_log),
		cmocka_unit_test(test_openapi_examples_accepted),
		cmocka_unit_test(test_receipt_rate_limit),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
