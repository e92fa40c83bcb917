/*
 * page_handoff.h - the hand-off to a partner on the case page and in the
 * API (issue 19): the form, the package made and its passphrase shown
 * once, the one download, and the hand-offs in the case's timeline.
 */
#ifndef MELDPUNT_PAGE_HANDOFF_H
#define MELDPUNT_PAGE_HANDOFF_H

#include "casework.h"
#include "handoff.h"
#include "request.h"

/* The hand-off form of the case page (a POST, no script needed). */
void page_handoff_form(struct request *req, const struct case_view *v);

/* One recorded hand-off as an entry of the case's timeline. */
void page_handoff_entry(struct request *req, const struct handoff_record *h);

/* POST PATH_CASE_HANDOFF: make the package; answer the passphrase page. */
int page_case_handoff(struct request *req);
/* POST PATH_CASE_HANDOFF_DOWNLOAD: the package, once. */
int page_case_handoff_download(struct request *req);
/* POST PATH_API_CASE_HANDOFF and its download, as JSON. */
int api_case_handoff(struct request *req);
int api_case_handoff_download(struct request *req);

#endif
