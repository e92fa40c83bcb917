/*
 * page_meeting.h - the local signal meeting (signalenoverleg, norm 4.6).
 *
 * The coordinator (signalen keyring) lists and makes meetings, puts signals
 * on an agenda, records per signal the enrichment and the decision, takes a
 * signal off again and closes the meeting; the minutes (verslag) are a page
 * to print. Members of the meeting (role overleg, overleg keyring) see the
 * open meetings and the content of the signals on their agendas, nothing
 * else: core/meeting.h gives them keys only to those. Reading routes are
 * ROLE_COORDINATOR | ROLE_OVERLEG, changing routes ROLE_COORDINATOR
 * (web/routes.c); the core functions they call (core/meeting.h, the *_as
 * actions) check the session's keys per request and audit a refusal.
 */
#ifndef MELDPUNT_PAGE_MEETING_H
#define MELDPUNT_PAGE_MEETING_H

#include "request.h"

/* The meetings (overleg: the open ones); the coordinator's form for one. */
int page_meetings(struct request *req);

/* POST held_on (YYYY-MM-DD), title. */
int page_meeting_create(struct request *req);
/* One meeting (?id=N): its agenda with content, enrichment, decisions. */
int page_meeting(struct request *req);
/* The minutes of a meeting (?id=N), for printing. */
int page_meeting_minutes(struct request *req);
/* One signal on an agenda (?id=N, the signal's number). */
int page_meeting_signal(struct request *req);
/* POST id, report. */
int page_meeting_add(struct request *req);
int page_meeting_remove(struct request *req);
/* POST id, report, enrichment, decision. */
int page_meeting_record(struct request *req);
/* POST id. */
int page_meeting_close(struct request *req);
/* POST: the day an open meeting was (or is to be) held. */
int page_meeting_redate(struct request *req);
/* POST: who attended (attendee=NAME, repeated), while open. */
int page_meeting_attendees(struct request *req);
/* POST: an action point (owner, action, due_on), or remove one (number). */
int page_meeting_action_add(struct request *req);
int page_meeting_action_remove(struct request *req);

#endif
