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

#endif
