/*
 * page_case.h - the handlers' pages: the inbox of a keyring and the case
 * page (content, files, timeline, notes, transitions, messages to the
 * reporter, assignment, links, legal hold).
 */
#ifndef MELDPUNT_PAGE_CASE_H
#define MELDPUNT_PAGE_CASE_H

#include "request.h"

int page_inbox(struct request *req);
int page_case(struct request *req);
int page_case_transition(struct request *req);
int page_case_message(struct request *req);
int page_case_note(struct request *req);
int page_case_assign(struct request *req);
int page_case_link(struct request *req);
int page_case_file(struct request *req);
/* Set or lift the legal hold (core/retention.h). */
int page_case_hold(struct request *req);
/* GET: the steps whose amounts do not read as euros, for correction. */
int page_amounts(struct request *req);

#endif
