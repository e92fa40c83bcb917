/*
 * meeting_outcome.c - what the signal meetings decided on one signal, for
 * its case (meeting.h, meeting_outcomes).
 *
 * The enrichment and the decision of an agenda item belong to the case as
 * much as to the meeting: the coordinator who opens the case reads them in
 * its timeline, with the meeting's day, and the case page offers the next
 * step the meeting proposed (issue 17 point 7). They are read here with
 * the signalen key pair the case was opened with; the case read itself is
 * the audited act ("report-read"), so no row of its own is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "envelope.h"
#include "install.h"
#include "log.h"
#include "meeting.h"

void
meeting_outcomes_release(struct meeting_outcome *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		secret_free(v[i].enrichment);
		secret_free(v[i].decision);
	}
	free(v);
}

/* One row of the query into o, its notes opened; 0 or -1. */
static int
read_outcome(struct stmt *st, int64_t report_id,
             const struct ring_key *signals, struct meeting_outcome *o)
{
	char ad[MEETING_AD_LEN];
	struct secret *plain = NULL;
	const void *env;
	size_t envlen, adlen;
	int ret;

	o->meeting_id = stmt_int(st, 0);
	snprintf(o->held_on, sizeof(o->held_on), "%s", stmt_text(st, 1));
	if (!stmt_is_null(st, 2))
		snprintf(o->closed_at, sizeof(o->closed_at), "%s",
		         stmt_text(st, 2));
	snprintf(o->updated_at, sizeof(o->updated_at), "%s", stmt_text(st, 3));
	snprintf(o->updated_by, sizeof(o->updated_by), "%s", stmt_text(st, 4));
	env = stmt_blob(st, 5, &envlen);
	adlen = meeting_notes_ad(o->meeting_id, report_id, ad);
	if (envelope_open(env, envlen, (const uint8_t *)ad, adlen, signals->pk,
	                  signals->sk, &plain) < 0)
		return error("the notes on signal %lld of meeting %lld do not open",
		             (long long)report_id, (long long)o->meeting_id);
	ret = meeting_notes_split(plain, &o->enrichment, &o->decision, o->next);
	secret_free(plain);
	if (ret < 0)
		return error("the notes on signal %lld of meeting %lld are damaged",
		             (long long)report_id, (long long)o->meeting_id);
	return 0;
}

int
meeting_outcomes(struct installation *inst, int64_t report_id,
                 const struct ring_key *signals,
                 struct meeting_outcome **out, size_t *n)
{
	struct meeting_outcome *v = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT m.id, m.held_on, m.closed_at,"
	               " i.updated_at, i.updated_by, i.notes"
	               " FROM meeting_items i JOIN meetings m"
	               " ON m.id = i.meeting_id"
	               " WHERE i.report_id = :report AND i.notes IS NOT NULL"
	               " ORDER BY m.held_on, m.id") < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (count == cap) {
			struct meeting_outcome *nv;

			cap = cap ? cap * 2 : 4;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				die("out of memory");
			v = nv;
		}
		memset(&v[count], 0, sizeof(v[count]));
		if (read_outcome(st, report_id, signals, &v[count]) < 0) {
			meeting_outcomes_release(v, count + 1);
			v = NULL;
			count = 0;
			goto out;
		}
		count++;
	}
	if (rc < 0)
		goto out;
	*out = v;
	*n = count;
	v = NULL;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	meeting_outcomes_release(v, count);
	return ret;
}
