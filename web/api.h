/*
 * api.h - the JSON API under /api/v1/: what a page can do, as JSON.
 *
 * Organisations connect Meldpunt to their intranet (a report button),
 * their case system and their dashboards. Every endpoint is a thin layer
 * over the same core/ functions the pages call, with the same checks, the
 * same rate limits, the same audit rows and the same anonymity: nothing of
 * a reporter's address or content reaches a log.
 *
 * Requests: bodies are one JSON object (Content-Type: application/json),
 * read strictly by web/apijson.h: unknown members, wrong types and texts
 * over their limit are refused. Ids of reports and meetings travel in the
 * query (GET) or the body (POST), as on the pages; a receipt only ever in
 * a body, never in a URL that a proxy might log.
 *
 * Answers: JSON; every error is application/problem+json (RFC 9457) in
 * one shape:
 *   {"type": "urn:meldpunt:problem:CODE", "title": "...", "status": N,
 *    "detail": "...", "errors": [{"field": "...", "code": "...",
 *    "max": N}]}
 * where errors (per member or per form field) appears only with code
 * "invalid". openapi.yaml in the repository root describes every endpoint;
 * a test keeps it and the route table (web/routes.c) in step.
 *
 * Staff authenticate with an API token (core/apitokens.h) in
 * "Authorization: Bearer ..." on each request; cookies are never read on
 * /api/, so a browser's session cannot be used (or abused) there and no
 * CSRF token is needed. The token's roles replace the session's, and only
 * the keyrings those roles use are unwrapped, for this request alone.
 */
#ifndef MELDPUNT_API_H
#define MELDPUNT_API_H

#include "apijson.h"
#include "request.h"

/*
 * api_fail and api_invalid, the problem+json answers, are in request.h:
 * web_fail answers with them on /api/ paths.
 */
/*
 * Read this request's body strictly against spec (web/apijson.h). 0 and
 * *out (json_decref it); 1 with the refusal already in req.
 */
int api_read_body(struct request *req, const struct apijson_field *spec,
                  size_t n, json_t **out);
/* ,"name":"value" (value escaped), inside an object being written. */
void api_member(struct buf *o, const char *name, const char *value);

/* ,"messages":[...] of a report's messages (at, from_reporter, text). */
struct message_view;
void api_messages_json(struct buf *o, const struct message_view *m, size_t n);

/*
 * ,"record":{...} of an oral report (core/oral.h): where the reporter's
 * check stands, the version (row id) and text in force, the day it was
 * approved, and every row (record, correction, approval) with its text;
 * ,"record":null for any other report.
 */
struct oral_record;
void api_oral_json(struct buf *o, const struct oral_record *rec);

/* Start a JSON answer with status; the body goes into the returned buf. */
struct buf *api_json_begin(struct request *req, unsigned status);

/*
 * Authenticate the bearer token of a ROUTE_API request and build its
 * one-request session in req->session (api_session set), with the
 * token's roles. 1 when the handler may run; 0 when the refusal is in req.
 */
int api_authenticate(struct request *req);
/* End the one-request session: keys wiped. */
void api_session_end(struct request *req);

int api_form(struct request *req);
int api_report_submit(struct request *req);
int api_status(struct request *req);
int api_status_message(struct request *req);
/* The reporter approves or corrects an oral report's record. */
int api_status_record_approve(struct request *req);
int api_status_record_correct(struct request *req);

int api_me(struct request *req);
int api_inbox(struct request *req);
int api_case(struct request *req);
int api_case_transition(struct request *req);
/* Correct a step's fields; undo the last step (core/casework.h). */
int api_case_correct(struct request *req);
int api_case_undo(struct request *req);
int api_case_message(struct request *req);
int api_case_note(struct request *req);
int api_case_assign(struct request *req);
int api_case_link(struct request *req);
int api_case_hold(struct request *req);
int api_meetings(struct request *req);
int api_meeting_create(struct request *req);
int api_meeting(struct request *req);
int api_meeting_agenda(struct request *req);
int api_meeting_record(struct request *req);
int api_meeting_close(struct request *req);
/* The assessment of one norm item in a year (core/norm.h). */
int api_norm_save(struct request *req);

#endif
