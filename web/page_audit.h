/*
 * page_audit.h - the audit log for the auditor: who read or changed what,
 * when, with what result, and whether the chain is intact.
 */
#ifndef MELDPUNT_PAGE_AUDIT_H
#define MELDPUNT_PAGE_AUDIT_H

#include "request.h"

int page_audit(struct request *req);

#endif
