/*
 * page_report.h - the reporter's pages: the start page, the two report
 * forms, the receipt, and coming back with the receipt (status, messages,
 * answering).
 */
#ifndef MELDPUNT_PAGE_REPORT_H
#define MELDPUNT_PAGE_REPORT_H

#include "request.h"

#define PATH_INCIDENT "/melden/agressie"
#define PATH_SIGNAL "/melden/signaal"
#define PATH_STATUS "/status"
#define PATH_REPLY "/status/antwoord"

int page_report_form(struct request *req);
int page_report_submit(struct request *req);
int page_status_form(struct request *req);
int page_status(struct request *req);
int page_status_reply(struct request *req);

#endif
