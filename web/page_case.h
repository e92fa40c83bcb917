/*
 * page_case.h - the handlers' pages: the inbox of a keyring and the case
 * page (content, files, timeline, notes, transitions, messages to the
 * reporter, assignment, links, legal hold).
 */
#ifndef MELDPUNT_PAGE_CASE_H
#define MELDPUNT_PAGE_CASE_H

#include "request.h"

#define PATH_INBOX "/beheer/meldingen"
#define PATH_CASE "/beheer/melding"
#define PATH_CASE_TRANSITION "/beheer/melding/overgang"
#define PATH_CASE_MESSAGE "/beheer/melding/bericht"
#define PATH_CASE_NOTE "/beheer/melding/notitie"
#define PATH_CASE_ASSIGN "/beheer/melding/toewijzen"
#define PATH_CASE_LINK "/beheer/melding/koppelen"
#define PATH_CASE_FILE "/beheer/melding/bestand"
#define PATH_CASE_HOLD "/beheer/melding/blokkade"

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

/*
 * A message from the session's user to the reporter of c, with the e-mail
 * notice when the reporter gave an address (read from the content with
 * key). Shared by the page and the API (web/api_staff.c). 0 or -1.
 */
struct case_summary;
struct ring_key;

/* The session's key of the keyring that reads type t: 0, or -1. */
int case_ring_key(const struct request *req, enum report_type t,
                  struct ring_key *key);
int case_write_to_reporter(struct request *req, const struct case_summary *c,
                           const struct ring_key *key, const char *text,
                           size_t len);

#endif
