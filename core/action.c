/*
 * action.c - the small helpers every action shares (see action.h).
 */
#include <string.h>

#include "action.h"
#include "audit.h"
#include "install.h"
#include "log.h"

const struct actor_ring *
actor_ring(const struct actor *a, const char *name)
{
	size_t i;

	for (i = 0; a && name && i < a->nrings; i++)
		if (strcmp(a->rings[i].name, name) == 0)
			return &a->rings[i];
	return NULL;
}

void
outcome_set(struct outcome *o, enum verdict v, const char *key,
            const char *field)
{
	o->verdict = v;
	o->key = key;
	o->field = field;
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_DONE: return "done";
	case VERDICT_INVALID: return "invalid";
	case VERDICT_REFUSED: return "refused";
	case VERDICT_NOT_FOUND: return "not found";
	case VERDICT_STALE: return "stale";
	case VERDICT_LIMITED: return "limited";
	case VERDICT_FAILED: return "failed";
	}
	return "unknown";
}

void
action_refused(struct installation *inst, const struct actor *a,
               const char *what)
{
	if (audit_append_result(inst->db, a->name, "access", what,
	                        AUDIT_REFUSED) < 0)
		log_warn("a refused access of %s could not be audited", a->name);
}
