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
 * (web/routes.c); each handler checks the session's keyrings per request.
 */
#ifndef MELDPUNT_PAGE_MEETING_H
#define MELDPUNT_PAGE_MEETING_H

#include "request.h"

#define PATH_MEETINGS "/beheer/overleg"
#define PATH_MEETING_NEW "/beheer/overleg/nieuw"
#define PATH_MEETING "/beheer/overleg/vergadering"
#define PATH_MEETING_MINUTES "/beheer/overleg/verslag"
#define PATH_MEETING_SIGNAL "/beheer/overleg/signaal"
#define PATH_MEETING_ADD "/beheer/overleg/agenda-toevoegen"
#define PATH_MEETING_REMOVE "/beheer/overleg/agenda-verwijderen"
#define PATH_MEETING_RECORD "/beheer/overleg/vastleggen"
#define PATH_MEETING_CLOSE "/beheer/overleg/sluiten"

/* The meetings (overleg: the open ones); the coordinator's form for one. */
int page_meetings(struct request *req);

/*
 * Shared with the API (web/api_staff.c). The reader a session is: the
 * coordinator with signalen first, else a member with overleg; 0, or -1
 * when it holds neither key. The coordinator's signalen key for a change:
 * 0, or -1 with the 403 already in req.
 */
struct meeting_reader;
struct ring_key;
int meeting_reader_of(const struct request *req, struct meeting_reader *r);
int meeting_signals_key(struct request *req, struct ring_key *key);
/* The message key of an enum meeting_refusal (core/meeting.h). */
const char *meeting_refusal_key(int rc);
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

#endif
