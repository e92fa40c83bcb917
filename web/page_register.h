/*
 * page_register.h - a staff member registers a report on behalf of a
 * reporter (a phone call, Meld Misdaad Anoniem, the RIEC, the police).
 *
 * The form is the reporter's own (web/page_report.c), with the source of
 * the report chosen first; the report is stored exactly as a reporter's
 * would be, with its source recorded, and the receipt is shown for the
 * staff member to pass on. Signals are registered by a coordinator,
 * incidents by a VPT coordinator (the roles in web/routes.c).
 */
#ifndef MELDPUNT_PAGE_REGISTER_H
#define MELDPUNT_PAGE_REGISTER_H

#include "request.h"

/* Choose the type of report. */
int page_register(struct request *req);
/* The form of the type in the path, and storing it. */
int page_register_form(struct request *req);
int page_register_submit(struct request *req);

#endif
