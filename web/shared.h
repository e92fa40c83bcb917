/*
 * shared.h - what the pages and the JSON API both call.
 *
 * The API (web/api.c, web/api_staff.c) is a second face of the same
 * pages: these helpers are defined beside the pages that use them most
 * (named below), and declared here so that no api*.c includes a page's
 * header and no page includes the API's.
 */
#ifndef MELDPUNT_SHARED_H
#define MELDPUNT_SHARED_H

#include <stddef.h>

#include "report.h"
#include "request.h"

struct ring_key;

/* web/page_report.c */

/* The text of "TYPE.rest" (a question, an option) in the request's
 * language; also the API's form definitions. */
const char *report_form_text(const struct request *req, enum report_type t,
                             const char *rest);

/* A deadline its reporter is shown: its text and its last day. */
struct reporter_deadline {
	const char *text;	/* the workflow's reporter.nl / .en */
	char day[11];		/* YYYY-MM-DD, the organisation's day */
};

/*
 * The running deadlines of report id (of type t) that have a reporter
 * text (workflow.h), in the request's language, with the last day on
 * which each is met in time: *n of them (0 also when they cannot be
 * read), in an array the caller frees (NULL when none).
 */
struct reporter_deadline *reporter_deadlines(const struct request *req,
                                             enum report_type t, int64_t id,
                                             size_t *n);

/* web/page_case.c */

/* The session's key of the keyring that reads type t: 0, or -1. */
int case_ring_key(const struct request *req, enum report_type t,
                  struct ring_key *key);

#endif
