/*
 * page_oral.h - recording an oral report (core/oral.h): a member of
 * staff whose role the report type names for it (schema/forms: [form]
 * oral; for integrity reports the integrity coordinator and the
 * confidential adviser) writes a conversation down as a report for the
 * reporter.
 *
 * The form is the reporter's own (web/page_report.c), with how the
 * conversation took place and the record of it first; the report is
 * stored as a reporter's would be, and the record sealed with it to the
 * type's keyring and the receipt. The page shows the receipt once, to
 * give to the reporter (or, for a confidential adviser, to keep for
 * them): with it the reporter reads the record on the status page and
 * approves or corrects it. The recorder needs no keyring, and sees
 * nothing of the case afterwards but through the receipt.
 */
#ifndef MELDPUNT_PAGE_ORAL_H
#define MELDPUNT_PAGE_ORAL_H

#include "request.h"

/* Choose the type of report. */
int page_oral(struct request *req);
/* The form of the type in the path, and storing it. */
int page_oral_form(struct request *req);
int page_oral_submit(struct request *req);

#endif
