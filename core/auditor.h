/*
 * auditor.h - the auditor reads the audit log, as an action of a person
 * (core/action.h).
 *
 * Only the auditor role reads the log; reading it is itself a row
 * ("audit-read"), and a refusal is one too ("audit-read", refused), so
 * who looked at the log, or tried to, is in the log whichever door the
 * request came through.
 */
#ifndef MELDPUNT_AUDITOR_H
#define MELDPUNT_AUDITOR_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "audit.h"

struct installation;

/*
 * Whether the log is intact (hash chain and signed checkpoints, into
 * *check) and at most max rows with id < before (0: from the newest),
 * newest first, optionally only those whose actor or object contains
 * filter, into rows and *n. VERDICT_REFUSED for anyone but an auditor;
 * VERDICT_FAILED when the log could not be read.
 */
enum verdict auditor_read(struct installation *inst, const struct actor *a,
                          int64_t before, const char *filter,
                          struct audit_row *rows, size_t max, size_t *n,
                          struct audit_check *check, struct outcome *o);

#endif
