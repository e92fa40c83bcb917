/*
 * page_inbox.h - the handler's inbox (/beheer/meldingen): search, filters
 * with their counts, sort, and a line per report (web/page_inbox.c).
 */
#ifndef MELDPUNT_PAGE_INBOX_H
#define MELDPUNT_PAGE_INBOX_H

#include "request.h"

int page_inbox(struct request *req);

#endif
