/*
 * api.c - the JSON API (see api.h): tokens, the reporter's side (the
 * problem+json answers web_fail gives on /api/ are in request.c).
 *
 * The staff endpoints are in api_staff.c; both are thin: parse strictly,
 * call the core/ function the page calls, write JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "apijson.h"
#include "apitokens.h"
#include "clock.h"
#include "filing.h"
#include "form.h"
#include "html.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "message.h"
#include "oral.h"
#include "report.h"
#include "session.h"
#include "shared.h"
#include "users.h"
#include "workflow.h"

int
api_read_body(struct request *req, const struct apijson_field *spec, size_t n,
          json_t **out)
{
	struct apijson_errors errs;

	if (apijson_parse(req->body, req->body_len, spec, n,
	                  req->limits->field_max, req->limits->fields_max, out,
	                  &errs) < 0) {
		api_invalid(req, &errs);
		return 1;
	}
	return 0;
}

struct buf *
api_json_begin(struct request *req, unsigned status)
{
	req->status = status;
	req->content_type = "application/json";
	buf_reset(&req->out);
	return &req->out;
}

static const char *
text_of(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/* ---- Tokens ---------------------------------------------------------- */

static const char *
bearer(const struct request *req)
{
	const char *h = web_header(req, "Authorization");

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

static int
unauthorized(struct request *req, const char *detail)
{
	req->authenticate = "Bearer realm=\"meldpunt\"";
	return api_fail(req, 401, detail);
}

int
api_authenticate(struct request *req)
{
	char names[SESSION_MAX_RINGS][KEYRING_NAME_MAX + 1];
	struct apitoken_auth auth;
	struct session *s = NULL;
	const char *token = bearer(req);
	size_t n, i;
	int rc;

	/* A session cookie alone is never enough here (api.h). */
	if (!token)
		return unauthorized(req, "Send an API token: "
		                    "Authorization: Bearer mpt_...");
	if (!web_token_allowed(req)) {
		api_fail(req, 429,
		         "Too many bad tokens from this client; wait.");
		return 0;
	}
	rc = apitokens_authenticate(req->inst, token, clock_now(), &auth);
	if (rc < 0) {
		api_fail(req, 500, NULL);
		return 0;
	}
	if (rc != APITOKENS_VALID) {
		struct buf detail = BUF_INIT;

		/* core audited the refusal of a known token (apitokens.h). */
		web_token_failed(req);
		buf_addf(&detail, "The API token is %s.",
		         apitokens_verdict_text(rc));
		unauthorized(req, detail.data);
		buf_release(&detail);
		return 0;
	}
	s = session_new();
	s->user_id = auth.user_id;
	snprintf(s->username, sizeof(s->username), "%s", auth.username);
	s->roles = auth.roles;
	memcpy(s->pk, auth.pk, sizeof(s->pk));
	s->sk = auth.sk;
	auth.sk = NULL;
	s->stage = SESSION_FULL;
	s->created = s->last_seen = clock_now();
	/* Only the keyrings the token's roles use, as a login unlocks them. */
	if (keyrings_of_user(req->inst->db, s->user_id, names,
	                     SESSION_MAX_RINGS, &n) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct session_ring *r = &s->rings[s->nrings];

		if (!apitokens_ring_allowed(s->roles, names[i]))
			continue;
		if (keyrings_public_key(req->inst->db, names[i], r->pk) < 0 ||
		    keyrings_unlock(req->inst->db, names[i], s->user_id, s->pk,
		                    s->sk, &r->sk) != 0)
			goto fail;
		memcpy(r->name, names[i], sizeof(r->name));
		s->nrings++;
	}
	req->session = s;
	req->api_session = 1;
	return 1;
fail:
	session_free(s);
	api_fail(req, 500, NULL);
	return 0;
}

void
api_session_end(struct request *req)
{
	session_free(req->session);
	req->session = NULL;
	req->api_session = 0;
}

/* ---- The reporter's side --------------------------------------------- */

int
api_form(struct request *req)
{
	enum report_type t = req->type;
	const struct form *f = forms_get(t);
	struct buf *o = api_json_begin(req, 200), rest = BUF_INIT;
	size_t i, k, shown = 0;

	buf_adds(o, "{\"type\":");
	json_quote(o, report_type_name(t));
	buf_addf(o, ",\"anonymous\":%s,\"field_max\":%zu,\"fields\":[",
	         f->anonymous ? "true" : "false", req->limits->field_max);
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];

		/* Files are sent through the pages; the API takes texts. */
		if (fld->kind == FIELD_FILES)
			continue;
		buf_adds(o, shown++ ? ",{\"name\":" : "{\"name\":");
		json_quote(o, fld->name);
		api_member(o, "kind", field_kind_name(fld->kind));
		buf_addf(o, ",\"required\":%s,\"max\":%zu,\"label\":",
		         fld->required ? "true" : "false",
		         fld->max ? fld->max : req->limits->field_max);
		json_quote(o, report_form_text(req, t, fld->name));
		if (fld->past)
			buf_adds(o, ",\"past\":true");
		if (fld->when_field) {
			buf_adds(o, ",\"when\":{\"field\":");
			json_quote(o, fld->when_field);
			api_member(o, "value", fld->when_value);
			buf_addch(o, '}');
		}
		if (fld->noptions) {
			buf_adds(o, ",\"options\":[");
			for (k = 0; k < fld->noptions; k++) {
				buf_reset(&rest);
				buf_addf(&rest, "%s.%s", fld->name, fld->options[k]);
				buf_adds(o, k ? ",{\"value\":" : "{\"value\":");
				json_quote(o, fld->options[k]);
				api_member(o, "label", report_form_text(req, t, rest.data));
				buf_addch(o, '}');
			}
			buf_addch(o, ']');
		}
		buf_addch(o, '}');
	}
	buf_adds(o, "]}\n");
	buf_release(&rest);
	return 0;
}

/* Longest file name and declared type a file of the API may carry. */
#define API_FILE_NAME_MAX 255
#define API_FILE_TYPE_MAX 127

/* Files sent in a body, decoded: what core/report.h takes. */
struct api_files {
	struct attachment_in *items;
	uint8_t **bytes;	/* decoded, wiped at api_files_release */
	size_t n;
};

static void
api_files_release(struct api_files *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++) {
		crypto_wipe(fl->bytes[i], fl->items[i].len);
		free(fl->bytes[i]);
	}
	free(fl->bytes);
	free(fl->items);
	memset(fl, 0, sizeof(*fl));
}

/*
 * "files": [{"name": ..., "type": ..., "data": base64}], under the
 * upload limits of the pages (upload_files_max, upload_file_max,
 * upload_total_max). Problems go to errs; what decodes goes to fl.
 */
static void
read_files(struct request *req, json_t *list, struct api_files *fl,
           struct apijson_errors *errs)
{
	static const char *const names[] = { "name", "type", "data" };
	const struct limits *l = req->limits;
	size_t i, k, total = 0;
	json_t *rec;

	memset(fl, 0, sizeof(*fl));
	if (!list)
		return;
	if (json_array_size(list) > l->upload_files_max) {
		apijson_error_add(errs, "files", "too_many", l->upload_files_max);
		return;
	}
	fl->items = calloc(json_array_size(list) + 1, sizeof(*fl->items));
	fl->bytes = calloc(json_array_size(list) + 1, sizeof(*fl->bytes));
	if (!fl->items || !fl->bytes)
		die("out of memory");
	json_array_foreach(list, i, rec) {
		char field[64];
		const char *key, *name, *type, *data;
		json_t *v;
		uint8_t *bytes;
		size_t len;

		json_object_foreach(rec, key, v) {
			for (k = 0; k < 3 && strcmp(key, names[k]) != 0; k++)
				;
			if (k == 3) {
				snprintf(field, sizeof(field), "files[%zu].%.32s", i,
				         key);
				apijson_error_add(errs, field, "unknown_field", 0);
			}
		}
		name = text_of(rec, "name");
		type = text_of(rec, "type");
		data = text_of(rec, "data");
		snprintf(field, sizeof(field), "files[%zu].name", i);
		if (!name || !*name)
			apijson_error_add(errs, field, "missing", 0);
		else if (strlen(name) > API_FILE_NAME_MAX)
			apijson_error_add(errs, field, "too_long", API_FILE_NAME_MAX);
		snprintf(field, sizeof(field), "files[%zu].type", i);
		if (type && strlen(type) > API_FILE_TYPE_MAX)
			apijson_error_add(errs, field, "too_long", API_FILE_TYPE_MAX);
		snprintf(field, sizeof(field), "files[%zu].data", i);
		if (!data || !*data) {
			apijson_error_add(errs, field, "missing", 0);
			continue;
		}
		/* Room for what the text can hold; the limit is checked after. */
		bytes = malloc(strlen(data) / 4 * 3 + 3);
		if (!bytes)
			die("out of memory");
		if (crypto_base64_decode(data, strlen(data), bytes,
		                         strlen(data) / 4 * 3 + 3, &len) < 0 ||
		    !len) {
			free(bytes);
			apijson_error_add(errs, field, "bad_base64", 0);
			continue;
		}
		if (len > l->upload_file_max) {
			crypto_wipe(bytes, len);
			free(bytes);
			apijson_error_add(errs, field, "too_long", l->upload_file_max);
			continue;
		}
		total += len;
		fl->bytes[fl->n] = bytes;
		fl->items[fl->n].name = name ? name : "";
		fl->items[fl->n].type = type && *type ? type
		                                       : "application/octet-stream";
		fl->items[fl->n].data = bytes;
		fl->items[fl->n].len = len;
		fl->n++;
	}
	if (total > l->upload_total_max)
		apijson_error_add(errs, "files", "too_large", l->upload_total_max);
}

/*
 * The JSON answers as core/form.h takes them; a name the form does not
 * ask (or files), or an array for a one-value question, is refused here.
 * The values point into answers (owned by the JSON tree).
 */
static void
collect(const struct form *f, json_t *answers, struct answers *a,
        struct apijson_errors *errs)
{
	struct buf field = BUF_INIT;
	const char *key;
	json_t *v;

	json_object_foreach(answers, key, v) {
		const struct form_field *fld = form_field(f, key);

		buf_reset(&field);
		buf_addf(&field, "answers.%.*s", APIJSON_NAME_MAX, key);
		if (!fld || fld->kind == FIELD_FILES) {
			apijson_error_add(errs, field.data, "unknown_field", 0);
			continue;
		}
		if (json_is_array(v)) {
			size_t i;
			json_t *x;

			if (fld->kind != FIELD_MULTI) {
				apijson_error_add(errs, field.data, "wrong_type", 0);
				continue;
			}
			json_array_foreach(v, i, x)
				answers_add(a, key, json_string_value(x),
				            json_string_length(x));
			continue;
		}
		answers_add(a, key, json_string_value(v), json_string_length(v));
	}
	buf_release(&field);
}

int
api_report_submit(struct request *req)
{
	enum report_type t = req->type;
	const struct form *f = forms_get(t);
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct apijson_errors errs;
	struct apijson_field spec[] = {
		{ "answers", APIJSON_ANSWERS, 1, 0 },
		{ "files", APIJSON_RECORDS, 0, 0 },
	};
	enum field_error *errors;
	struct api_files files;
	struct outcome done;
	struct answers a;
	struct buf *o;
	json_t *body = NULL;
	size_t i;
	int ret = 0;

	if (!web_rate_allow(req, WEB_RATE_SUBMIT))
		return web_fail_key(req, 429, "common.rate_limited");
	/* A file's text is its base64: the limit of a file, encoded. */
	spec[1].max = CRYPTO_BASE64_LEN(req->limits->upload_file_max);
	if (api_read_body(req, spec, 2, &body) != 0) {
		/* Refused: it does not count towards the limit. */
		web_rate_give_back(req, WEB_RATE_SUBMIT);
		return 0;
	}
	memset(&errs, 0, sizeof(errs));
	answers_init(&a);
	collect(f, json_object_get(body, "answers"), &a, &errs);
	read_files(req, json_object_get(body, "files"), &files, &errs);
	errors = calloc(f->nfields, sizeof(*errors));
	if (!errors)
		die("out of memory");
	{
		struct filing in = {
			.type = t, .workflow = web_workflow(req, t),
			.source = "web", .answers = &a, .files = files.items,
			.nfiles = files.n, .field_max = req->limits->field_max,
			.upload_types = req->limits->upload_types,
			.transport_errors = errs.total,
		};

		done = report_file(req->inst, &in, errors, receipt);
	}
	/* A file whose content is of no allowed kind (filetype.h). */
	if (done.verdict == VERDICT_INVALID && done.arg)
		apijson_error_add(&errs, "files", "file_type", 0);
	/* The form's own errors, named as the page names them. */
	for (i = 0; done.verdict == VERDICT_INVALID && i < f->nfields; i++) {
		struct buf field = BUF_INIT;
		const struct form_field *fld = &f->fields[i];

		if (errors[i] == FIELD_OK)
			continue;
		buf_addf(&field, "answers.%s", fld->name);
		apijson_error_add(&errs, field.data, field_error_code(errors[i]),
		                  errors[i] == FIELD_TOO_LONG
		                  ? (fld->max ? fld->max : req->limits->field_max)
		                  : 0);
		buf_release(&field);
	}
	if (done.verdict == VERDICT_INVALID) {
		api_invalid(req, &errs);
		goto out;
	}
	if (done.verdict != VERDICT_DONE) {
		ret = -1;
		goto out;
	}
	o = api_json_begin(req, 201);
	buf_adds(o, "{\"receipt\":");
	json_quote(o, receipt);
	api_member(o, "type", report_type_name(t));
	api_member(o, "state", workflow_initial(web_workflow(req, t))->name);
	buf_adds(o, "}\n");
	crypto_wipe(receipt, sizeof(receipt));
out:
	/* Only a stored report counts towards the limit. */
	if (done.verdict != VERDICT_DONE)
		web_rate_give_back(req, WEB_RATE_SUBMIT);
	api_files_release(&files);
	answers_release(&a);
	free(errors);
	json_decref(body);
	return ret;
}

static const struct apijson_field status_spec[] = {
	{ "receipt", APIJSON_STRING, 1, 64 },
};


/* Under the receipt rate limit: 1, or 0 with the refusal in req. */
static int
receipt_allowed(struct request *req)
{
	if (web_rate_allow(req, WEB_RATE_RECEIPT))
		return 1;
	web_fail_key(req, 429, "common.rate_limited");
	return 0;
}

static const char *
reporter_label(const struct request *req, enum report_type t,
               const char *state)
{
	const struct workflow_state *s =
		workflow_state_find(web_workflow(req, t), state);

	return s ? s->reporter[req->lang == LANG_EN ? WORKFLOW_EN : WORKFLOW_NL]
	         : state;
}

void
api_member(struct buf *o, const char *name, const char *value)
{
	buf_addch(o, ',');
	json_quote(o, name);
	buf_addch(o, ':');
	json_quote(o, value);
}

void
api_messages_json(struct buf *o, const struct message_view *m, size_t n)
{
	size_t i;

	buf_adds(o, ",\"messages\":[");
	for (i = 0; i < n; i++) {
		buf_adds(o, i ? ",{\"at\":" : "{\"at\":");
		json_quote(o, m[i].at);
		buf_addf(o, ",\"from_reporter\":%s,\"text\":",
		         m[i].from_reporter ? "true" : "false");
		json_quote_len(o, m[i].body->bytes, m[i].body->len);
		buf_addf(o, ",\"files\":%zu}", m[i].nfiles);
	}
	buf_addch(o, ']');
}

void
api_oral_json(struct buf *o, const struct oral_record *rec)
{
	const struct oral_entry *cur = oral_current(rec), *ok = oral_approval(rec);
	size_t i;

	buf_adds(o, ",\"record\":");
	if (!cur) {
		buf_adds(o, "null");
		return;
	}
	buf_adds(o, "{\"state\":");
	json_quote(o, oral_state_name(oral_state_of(rec)));
	buf_addf(o, ",\"version\":%lld,\"text\":", (long long)cur->id);
	json_quote_len(o, cur->text->bytes, cur->text->len);
	buf_adds(o, ",\"approved_on\":");
	if (ok)
		json_quote(o, ok->at);
	else
		buf_adds(o, "null");
	buf_adds(o, ",\"history\":[");
	for (i = 0; i < rec->n; i++) {
		const struct oral_entry *e = &rec->entries[i];

		buf_addf(o, "%s{\"id\":%lld", i ? "," : "", (long long)e->id);
		api_member(o, "kind", oral_kind_name(e->kind));
		api_member(o, "at", e->at);
		api_member(o, "author", e->author);
		buf_adds(o, ",\"text\":");
		if (e->text)
			json_quote_len(o, e->text->bytes, e->text->len);
		else
			buf_adds(o, "null");
		buf_addch(o, '}');
	}
	buf_adds(o, "]}");
}

int
api_status(struct request *req)
{
	struct report_status st;
	struct outcome o;
	struct buf *doc;
	json_t *body = NULL;

	if (api_read_body(req, status_spec, 1, &body) != 0)
		return 0;
	if (!receipt_allowed(req)) {
		json_decref(body);
		return 0;
	}
	o = report_read_status(req->inst, text_of(body, "receipt"), 0, &st);
	json_decref(body);
	if (o.verdict == VERDICT_NOT_FOUND)
		/* One answer for every wrong receipt: nothing to learn. */
		return web_fail_key(req, 404, o.key);
	if (o.verdict != VERDICT_DONE)
		return -1;
	doc = api_json_begin(req, 200);
	buf_adds(doc, "{\"type\":");
	json_quote(doc, report_type_name(st.type));
	api_member(doc, "state", st.state);
	api_member(doc, "state_label", reporter_label(req, st.type, st.state));
	api_member(doc, "received_on", st.received_on);
	{
		size_t n, i;
		struct reporter_deadline *due = reporter_deadlines(req, st.type,
		                                                   st.id, &n);

		buf_adds(doc, ",\"deadlines\":[");
		for (i = 0; i < n; i++) {
			buf_adds(doc, i ? ",{\"text\":" : "{\"text\":");
			json_quote(doc, due[i].text);
			api_member(doc, "due_on", due[i].day);
			buf_addch(doc, '}');
		}
		buf_addch(doc, ']');
		free(due);
	}
	/* The content is the JSON form_encode wrote: passed on as it is. */
	buf_adds(doc, ",\"report\":");
	buf_add(doc, st.content->bytes, st.content->len);
	api_messages_json(doc, st.messages, st.nmessages);
	api_oral_json(doc, &st.oral);
	buf_adds(doc, "}\n");
	report_status_release(&st);
	return 0;
}

/* The code of a message key: "form.error.bad_text" -> "bad_text". */
static const char *
field_code(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot ? dot + 1 : key;
}

int
api_status_message(struct request *req)
{
	struct apijson_field spec[] = {
		{ "receipt", APIJSON_STRING, 1, 64 },
		{ "message", APIJSON_STRING, 1, 0 },
		{ "files", APIJSON_RECORDS, 0, 0 },
	};
	struct apijson_errors errs;
	struct api_files files;
	struct outcome o;
	const char *text;
	json_t *body = NULL;
	size_t len;
	int ret = 0;

	spec[2].max = CRYPTO_BASE64_LEN(req->limits->upload_file_max);
	if (api_read_body(req, spec, 3, &body) != 0)
		return 0;
	memset(&errs, 0, sizeof(errs));
	text = text_of(body, "message");
	len = json_string_length(json_object_get(body, "message"));
	read_files(req, json_object_get(body, "files"), &files, &errs);
	/* Something to say: a text, or files (as on the status page). */
	if (!len && !files.n && !errs.total)
		apijson_error_add(&errs, "message", "missing", 0);
	if (errs.total) {
		ret = api_invalid(req, &errs);
		goto out;
	}
	if (!receipt_allowed(req))
		goto out;
	{
		struct reporter_message m = {
			.text = text, .len = len, .files = files.items,
			.nfiles = files.n,
			.upload_types = req->limits->upload_types,
		};

		o = message_answer(req->inst, text_of(body, "receipt"), &m);
	}
	if (o.verdict == VERDICT_NOT_FOUND) {
		/* One answer for every wrong receipt: nothing to learn. */
		web_fail_key(req, 404, o.key);
		goto out;
	}
	if (o.verdict == VERDICT_INVALID) {
		/* Only a text JSON allows but a page does not (controls). */
		apijson_error_add(&errs, o.field, field_code(o.key), 0);
		ret = api_invalid(req, &errs);
		goto out;
	}
	if (o.verdict != VERDICT_DONE) {
		ret = -1;
		goto out;
	}
	buf_adds(api_json_begin(req, 201), "{\"sent\":true}\n");
out:
	api_files_release(&files);
	json_decref(body);
	return ret;
}

/*
 * The reporter's approval (correct 0) or correction of an oral report's
 * record (core/oral.h): {"receipt", "version"} and, to correct, "text".
 * 201 {"approved":true} or {"corrected":true,"version":N}; 404 for every
 * receipt that opens nothing; 422 for a text refused; 409 for a record
 * approved already, another version in force, or no record.
 */
static int
record_action(struct request *req, int correct)
{
	const struct apijson_field spec[] = {
		{ "receipt", APIJSON_STRING, 1, 64 },
		{ "version", APIJSON_ID, 1, 0 },
		{ "text", APIJSON_STRING, 1, 0 },
	};
	struct apijson_errors errs;
	struct outcome o;
	json_t *body = NULL;
	int64_t version;
	int ret = 0;

	if (api_read_body(req, spec, correct ? 3 : 2, &body) != 0)
		return 0;
	if (!receipt_allowed(req))
		goto out;
	version = (int64_t)json_integer_value(json_object_get(body, "version"));
	o = correct
		? oral_correct(req->inst, text_of(body, "receipt"), version,
		               text_of(body, "text"),
		               json_string_length(json_object_get(body, "text")), 0)
		: oral_approve(req->inst, text_of(body, "receipt"), version);
	switch (o.verdict) {
	case VERDICT_DONE:
		if (correct)
			buf_addf(api_json_begin(req, 201), "{\"corrected\":true,"
			         "\"version\":%lld}\n", (long long)o.id);
		else
			buf_adds(api_json_begin(req, 201), "{\"approved\":true}\n");
		break;
	case VERDICT_NOT_FOUND:
		/* One answer for every wrong receipt: nothing to learn. */
		web_fail_key(req, 404, o.key);
		break;
	case VERDICT_INVALID:
		/* The state of the record, not the input: 409 as stale. */
		if (strcmp(o.key, "oral.final") == 0 ||
		    strcmp(o.key, "oral.none") == 0) {
			web_fail_key(req, 409, o.key);
			break;
		}
		memset(&errs, 0, sizeof(errs));
		apijson_error_add(&errs, "text", field_code(o.key), 0);
		ret = api_invalid(req, &errs);
		break;
	case VERDICT_STALE:
		web_fail_key(req, 409, o.key);
		break;
	default:
		ret = -1;
		break;
	}
out:
	json_decref(body);
	return ret;
}

int
api_status_record_approve(struct request *req)
{
	return record_action(req, 0);
}

int
api_status_record_correct(struct request *req)
{
	return record_action(req, 1);
}
