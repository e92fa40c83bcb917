/*
 * stats_read.c - who reads which figures, and the audit row of it (see
 * stats_read.h).
 *
 * The read is audited before the figures are computed: a computation that
 * fails halfway has still been asked for by this person.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "case.h"
#include "install.h"
#include "keyrings.h"
#include "stats_read.h"
#include "users.h"

unsigned
stats_wanted(const struct actor *a, enum stats_use use)
{
	unsigned incidents = ROLE_HR | ROLE_VPT, signals = ROLE_COORDINATOR;
	unsigned integrity = ROLE_INTEGRITY;
	unsigned want = 0;

	if (use == STATS_USE_NORM) {
		incidents |= ROLE_ADMIN;
		signals |= ROLE_ADMIN;
		integrity |= ROLE_ADMIN;
	}
	if (a->roles & incidents)
		want |= STATS_WANT_INCIDENTS;
	if (a->roles & signals)
		want |= STATS_WANT_SIGNALS;
	if (a->roles & integrity)
		want |= STATS_WANT_INTEGRITY;
	return want;
}

int
stats_suppressed(const struct actor *a)
{
	return !(a->roles & ROLE_VPT);
}

enum verdict
stats_read_as(struct installation *inst, const struct workflows *wfs,
              const struct actor *a, enum stats_use use, int year,
              const struct stats_period *period, unsigned threshold,
              struct stats_result *r, struct outcome *o)
{
	const struct actor_ring *ring = actor_ring(a, KEYRING_STATISTICS);
	unsigned want = stats_wanted(a, use);
	struct ring_key key;
	char object[64];

	memset(o, 0, sizeof(*o));
	if (use == STATS_USE_NORM)
		snprintf(object, sizeof(object), "norm indicators %d", year);
	else
		snprintf(object, sizeof(object), "statistics %s..%s", period->from,
		         period->to);
	if (!ring || !want) {
		if (audit_append_result(inst->db, a->name, "stats-read", object,
		                        AUDIT_REFUSED) < 0)
			outcome_set(o, VERDICT_FAILED, NULL, NULL);
		else
			outcome_set(o, VERDICT_REFUSED, "stats.no_keyring", NULL);
		return o->verdict;
	}
	key.pk = ring->pk;
	key.sk = ring->sk;
	if (audit_append(inst->db, a->name, "stats-read", object) < 0 ||
	    stats_compute(inst, wfs, &key, period, want, r) < 0) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	if (stats_suppressed(a))
		stats_suppress(r, threshold);
	outcome_set(o, VERDICT_DONE, NULL, NULL);
	return o->verdict;
}
