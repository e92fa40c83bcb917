/*
 * auditor.c - the auditor's reading of the audit log (see auditor.h).
 *
 * The read is audited before the rows are listed, so the list the auditor
 * sees already holds the row of this very look; the chain is verified
 * first, so a log that does not fit is said even when the append fails.
 */
#include <string.h>

#include "auditor.h"
#include "install.h"
#include "users.h"

enum verdict
auditor_read(struct installation *inst, const struct actor *a, int64_t before,
             const char *filter, struct audit_row *rows, size_t max,
             size_t *n, struct audit_check *check, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	memset(check, 0, sizeof(*check));
	*n = 0;
	if (!(a->roles & ROLE_AUDITOR)) {
		if (audit_append_result(inst->db, a->name, "audit-read", "",
		                        AUDIT_REFUSED) < 0)
			outcome_set(o, VERDICT_FAILED, NULL, NULL);
		else
			outcome_set(o, VERDICT_REFUSED, "staff.no_access", NULL);
		return o->verdict;
	}
	audit_verify_signed(inst->db, inst->secret, check);
	if (audit_append(inst->db, a->name, "audit-read", "") < 0 ||
	    audit_list(inst->db, before, filter, rows, max, n) < 0) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	outcome_set(o, VERDICT_DONE, NULL, NULL);
	return o->verdict;
}
