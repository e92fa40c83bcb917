/*
 * meeting_internal.h - what the meeting modules (meeting.c,
 * meeting_minutes.c) share and nothing else uses.
 */
#ifndef MELDPUNT_MEETING_INTERNAL_H
#define MELDPUNT_MEETING_INTERNAL_H

#include <stdint.h>

#include "db.h"

/* 1 when meeting id exists and is open, 0 when not, -1. Lock held. */
int meeting_db_open(struct db *db, int64_t id);

/*
 * End a change begun with db_join: commit when ret is MEETING_OK, else roll
 * back; a refusal stays a refusal, a failed commit is an error.
 */
int meeting_db_leave(struct db *db, int own, int ret);

#endif
