/*
 * meeting_actions.c - what a person does with a meeting (the *_as
 * functions of meeting.h).
 *
 * Each action decides here, not in web/, who may: the coordinator with
 * the signalen key changes, an overleg member with the overleg key reads
 * the open agendas. A refusal of that kind is audited here with result
 * "refused", so a page and the API leave the same row; input that does
 * not fit (a day, a title, a report number) and a meeting in another
 * state are answered without a row, as before. The storage steps
 * (meeting.c) keep their own transactions: sealing before, every write of
 * an action and its audit row in one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casenumber.h"
#include "install.h"
#include "keyrings.h"
#include "meeting.h"
#include "users.h"

int
meeting_reader_for(const struct actor *a, struct meeting_reader *r)
{
	const struct actor_ring *ring = NULL;

	memset(r, 0, sizeof(*r));
	r->actor = a->name;
	/* The meeting reads signals: their handlers and keyring. */
	if (a->roles & report_type_role(REPORT_SIGNAL))
		ring = actor_ring(a, report_type_keyring(REPORT_SIGNAL));
	if (!ring && (a->roles & ROLE_OVERLEG)) {
		ring = actor_ring(a, KEYRING_MEETING);
		r->overleg = 1;
	}
	if (!ring)
		return -1;
	r->key.pk = ring->pk;
	r->key.sk = ring->sk;
	return 0;
}

/* Answer a refusal, audited as action on object; FAILED when the row is not. */
static enum verdict
refuse(struct installation *inst, const struct actor *a, const char *action,
       const char *object, const char *key, struct outcome *o)
{
	if (audit_append_result(inst->db, a->name, action, object,
	                        AUDIT_REFUSED) < 0) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	outcome_set(o, VERDICT_REFUSED, key, NULL);
	return o->verdict;
}

static enum verdict
answer(struct outcome *o, enum verdict v, const char *key, const char *field)
{
	outcome_set(o, v, key, field);
	return v;
}

enum verdict
meeting_list_as(struct installation *inst, const struct actor *a,
                struct meeting **out, size_t *n, int *overleg,
                struct outcome *o)
{
	struct meeting_reader r;

	memset(o, 0, sizeof(*o));
	*out = NULL;
	*n = 0;
	*overleg = 0;
	if (meeting_reader_for(a, &r) < 0)
		return refuse(inst, a, "meeting-list", "", "meeting.no_keyring", o);
	*overleg = r.overleg;
	/* Members of the overleg see the open meetings only. */
	if (meeting_list(inst, r.overleg, out, n) < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	return answer(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
meeting_open_as(struct installation *inst, const struct actor *a, int64_t id,
                struct meeting *m, struct meeting_reader *r, struct outcome *o)
{
	char object[64];
	int rc;

	memset(o, 0, sizeof(*o));
	rc = id > 0 ? meeting_get(inst, id, m) : 1;
	if (rc < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	if (rc > 0)
		return answer(o, VERDICT_NOT_FOUND, "meeting.not_found", NULL);
	snprintf(object, sizeof(object), "meeting %lld", (long long)id);
	if (meeting_reader_for(a, r) < 0)
		return refuse(inst, a, "meeting-read", object, "meeting.no_keyring",
		              o);
	if (r->overleg && m->closed_at[0])
		return refuse(inst, a, "meeting-read", object,
		              "meeting.closed_for_overleg", o);
	o->id = id;
	return answer(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
meeting_signal_as(struct installation *inst, const struct actor *a,
                  int64_t report_id, struct case_summary *c,
                  struct secret **content, int64_t *meeting_out,
                  struct outcome *o)
{
	struct meeting_reader r;
	char object[64], cn[CASE_NUMBER_LEN + 1];
	int rc;

	memset(o, 0, sizeof(*o));
	*content = NULL;
	*meeting_out = 0;
	if (meeting_reader_for(a, &r) < 0) {
		if (!case_label(inst->db, report_id, cn))
			return answer(o, VERDICT_FAILED, NULL, NULL);
		snprintf(object, sizeof(object), "report %s via meeting", cn);
		return refuse(inst, a, "report-read", object, "meeting.no_keyring",
		              o);
	}
	if (r.overleg) {
		/* The key decides: no access row, nothing to open. Whether the
		 * signal exists at all is not said; the refusal is audited by
		 * meeting_read_signal. */
		rc = meeting_read_signal(inst, report_id, &r, content, meeting_out);
		if (rc == 1)
			return answer(o, VERDICT_REFUSED, "meeting.not_on_agenda", NULL);
		if (rc < 0 || case_get(inst, report_id, c) != 0) {
			secret_free(*content);
			*content = NULL;
			return answer(o, VERDICT_FAILED, NULL, NULL);
		}
		return answer(o, VERDICT_DONE, NULL, NULL);
	}
	rc = case_get(inst, report_id, c);
	if (rc < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	if (rc > 0 || c->type != REPORT_SIGNAL)
		return answer(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
	if (case_read(inst, report_id, &r.key, r.actor, content) < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	/* The meeting's view, also the coordinator's: the identity is on the
	 * case page only. */
	if (meeting_withhold_identity(content) < 0) {
		secret_free(*content);
		*content = NULL;
		return answer(o, VERDICT_FAILED, NULL, NULL);
	}
	return answer(o, VERDICT_DONE, NULL, NULL);
}

/*
 * The coordinator's signalen key of a change, and (with_meeting) that
 * meeting id exists. VERDICT_DONE, or the answer (a refusal audited as
 * action, on the meeting and report_id when there is one).
 */
static enum verdict
change_begin(struct installation *inst, const struct actor *a,
             const char *action, int with_meeting, int64_t id,
             int64_t report_id, struct ring_key *key, struct outcome *o)
{
	const struct actor_ring *ring = NULL;
	struct meeting m;
	char object[96], cn[CASE_NUMBER_LEN + 1];
	int rc;

	memset(o, 0, sizeof(*o));
	/* The meeting reads signals: their handlers and keyring. */
	if (a->roles & report_type_role(REPORT_SIGNAL))
		ring = actor_ring(a, report_type_keyring(REPORT_SIGNAL));
	if (!ring) {
		if (!with_meeting)
			snprintf(object, sizeof(object), "meeting new");
		else if (report_id && !case_label(inst->db, report_id, cn))
			return answer(o, VERDICT_FAILED, NULL, NULL);
		else if (report_id)
			snprintf(object, sizeof(object), "meeting %lld report %s",
			         (long long)id, cn);
		else
			snprintf(object, sizeof(object), "meeting %lld",
			         (long long)id);
		return refuse(inst, a, action, object, "case.no_keyring", o);
	}
	key->pk = ring->pk;
	key->sk = ring->sk;
	if (!with_meeting)
		return answer(o, VERDICT_DONE, NULL, NULL);
	rc = id > 0 ? meeting_get(inst, id, &m) : 1;
	if (rc < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	if (rc > 0)
		return answer(o, VERDICT_NOT_FOUND, "meeting.not_found", NULL);
	o->id = id;
	return answer(o, VERDICT_DONE, NULL, NULL);
}

/* The outcome of a storage step's enum meeting_refusal (or -1). */
static enum verdict
stored(int rc, struct outcome *o)
{
	switch (rc) {
	case MEETING_OK:
		return answer(o, VERDICT_DONE, NULL, NULL);
	case MEETING_NOT_OPEN:
		return answer(o, VERDICT_STALE, "meeting.refused_closed", NULL);
	case MEETING_NO_SIGNAL:
		return answer(o, VERDICT_INVALID, "meeting.report_bad", "report");
	case MEETING_ON_AGENDA:
		return answer(o, VERDICT_STALE, "meeting.refused_twice", NULL);
	case MEETING_NOT_ON_AGENDA:
		return answer(o, VERDICT_STALE, "meeting.refused_not_on_agenda",
		              NULL);
	case MEETING_TOO_LONG:
		return answer(o, VERDICT_INVALID, "meeting.refused_too_long",
		              "enrichment");
	case MEETING_NOT_YET:
		return answer(o, VERDICT_INVALID, "meeting.refused_not_yet",
		              "held_on");
	case MEETING_BAD_DAY:
		return answer(o, VERDICT_INVALID, "meeting.date_bad", "held_on");
	case MEETING_BAD_NEXT:
		return answer(o, VERDICT_INVALID, "meeting.next_bad", "next");
	case MEETING_NOT_MEMBER:
		return answer(o, VERDICT_INVALID, "meeting.not_member", "attendee");
	case MEETING_BAD_OWNER:
		return answer(o, VERDICT_INVALID, "meeting.owner_bad", "owner");
	case MEETING_TOO_MANY:
		return answer(o, VERDICT_INVALID, "meeting.too_many_actions",
		              "action");
	case MEETING_NO_ACTION:
		return answer(o, VERDICT_STALE, "meeting.no_action", NULL);
	}
	return answer(o, VERDICT_FAILED, NULL, NULL);
}

enum verdict
meeting_create_as(struct installation *inst, const struct actor *a,
                  const char *held_on, const char *title, struct outcome *o)
{
	struct ring_key key;
	int64_t id = 0;
	size_t i, len;

	if (change_begin(inst, a, "meeting-create", 0, 0, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	if (!title)
		title = "";
	if (!held_on || !meeting_day_valid(held_on))
		return answer(o, VERDICT_INVALID, "meeting.date_bad", "held_on");
	/* A title is a plain column: one short line, no control characters. */
	len = strlen(title);
	for (i = 0; i < len; i++)
		if ((unsigned char)title[i] < 0x20 || title[i] == 0x7f)
			break;
	if (len > MEETING_TITLE_MAX || i < len)
		return answer(o, VERDICT_INVALID, "meeting.title_bad", "title");
	if (meeting_create(inst, held_on, title, a->name, &id) < 0)
		return answer(o, VERDICT_FAILED, NULL, NULL);
	o->id = id;
	return answer(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
meeting_add_as(struct installation *inst, const struct actor *a, int64_t id,
               int64_t report_id, struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-agenda-add", 1, id, report_id,
	                 &key, o) != VERDICT_DONE)
		return o->verdict;
	if (report_id < 1)
		return stored(MEETING_NO_SIGNAL, o);
	return stored(meeting_add(inst, id, report_id, &key, a->name), o);
}

enum verdict
meeting_remove_as(struct installation *inst, const struct actor *a,
                  int64_t id, int64_t report_id, struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-agenda-remove", 1, id, report_id,
	                 &key, o) != VERDICT_DONE)
		return o->verdict;
	if (report_id < 1)
		return stored(MEETING_NO_SIGNAL, o);
	return stored(meeting_remove(inst, id, report_id, a->name), o);
}

enum verdict
meeting_record_as(struct installation *inst, const struct actor *a,
                  int64_t id, int64_t report_id, const char *enrichment,
                  size_t enrichment_len, const char *decision,
                  size_t decision_len, const char *next, struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-item-record", 1, id, report_id,
	                 &key, o) != VERDICT_DONE)
		return o->verdict;
	if (report_id < 1)
		return stored(MEETING_NO_SIGNAL, o);
	/* Missing or not text: refused like an overlong one, nothing kept. */
	if (!enrichment || !decision)
		return stored(MEETING_TOO_LONG, o);
	return stored(meeting_record(inst, id, report_id, &key, enrichment,
	                             enrichment_len, decision, decision_len,
	                             next, a->name), o);
}

enum verdict
meeting_close_as(struct installation *inst, const struct actor *a, int64_t id,
                 struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-close", 1, id, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	return stored(meeting_close(inst, id, a->name), o);
}

enum verdict
meeting_redate_as(struct installation *inst, const struct actor *a,
                  int64_t id, const char *held_on, struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-redate", 1, id, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	return stored(meeting_redate(inst, id, held_on ? held_on : "",
	                             a->name), o);
}

enum verdict
meeting_attendees_set_as(struct installation *inst, const struct actor *a,
                         int64_t id, const char *const *names, size_t n,
                         struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-attendees", 1, id, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	return stored(meeting_attendees_set(inst, id, names, n, a->name), o);
}

enum verdict
meeting_action_add_as(struct installation *inst, const struct actor *a,
                      int64_t id, const char *owner, size_t owner_len,
                      const char *text, size_t text_len, const char *due_on,
                      struct outcome *o)
{
	struct ring_key key;
	int rc;

	if (change_begin(inst, a, "meeting-action-add", 1, id, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	rc = meeting_action_add(inst, id, &key, owner ? owner : "",
	                        owner ? owner_len : 0, text ? text : "",
	                        text ? text_len : 0, due_on ? due_on : "",
	                        a->name);
	if (rc == MEETING_TOO_LONG)
		return answer(o, VERDICT_INVALID, "meeting.action_bad", "action");
	if (rc == MEETING_BAD_DAY)
		return answer(o, VERDICT_INVALID, "meeting.date_bad", "due_on");
	return stored(rc, o);
}

enum verdict
meeting_action_remove_as(struct installation *inst, const struct actor *a,
                         int64_t id, size_t number, struct outcome *o)
{
	struct ring_key key;

	if (change_begin(inst, a, "meeting-action-remove", 1, id, 0, &key,
	                 o) != VERDICT_DONE)
		return o->verdict;
	return stored(meeting_action_remove(inst, id, &key, number, a->name), o);
}
