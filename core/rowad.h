/*
 * rowad.h - the associated data that binds an envelope to its row.
 *
 * Messages, notes, files (schema 22 on) and the two envelopes of a
 * workflow event (its fields and statistical fields, schema 28 on) are
 * sealed (envelope version 3, crypto/envelope.h) with associated data
 * naming the report, the kind of row, the row's own random id and its
 * author:
 *
 *   base | kind | 0 | row id(16) | author | 0
 *
 * base is what envelopes were bound to before (the report's locator; for
 * an event, events.h's text naming report id, time and transition).
 * Moved to another row, another report, or with another author recorded,
 * such an envelope no longer opens. A row stored before (seal_id NULL:
 * envelopes of versions 1 and 2, and of version 3 from schema 20 and 21)
 * keeps its old associated data, base alone: rowad_open gives the one to
 * open a stored envelope with. Clearing a row's seal_id does not loosen
 * the binding: the envelope was sealed with the id, and opens only with
 * it.
 *
 * The row id is random (the column seal_id), drawn before sealing: a
 * row's INTEGER id is known only after its insert, and sealing waits for
 * no lock (a submission's files are sealed before the group commit,
 * core/report.c; sealing inside the transaction would hold every other
 * writer behind a file's encryption). The id is random bytes: it tells
 * nothing. An envelope moved together with its row id is the row moved
 * within its report and author, which changes only the order shown.
 */
#ifndef MELDPUNT_ROWAD_H
#define MELDPUNT_ROWAD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define ROWAD_ID_LEN 16

/* The kinds of row, part of the associated data. */
#define ROWAD_MESSAGE "message"
#define ROWAD_NOTE "note"
#define ROWAD_FILE "file"
#define ROWAD_EVENT_FIELDS "event-fields"
#define ROWAD_EVENT_STATS "event-stats"

/* A fresh random row id. */
void rowad_new_id(uint8_t id[ROWAD_ID_LEN]);

/* Append the associated data above to ad (author: no NUL inside). */
void rowad_make(struct buf *ad, const void *base, size_t baselen,
                const char *kind, const uint8_t id[ROWAD_ID_LEN],
                const char *author);

/*
 * Append to ad what a stored envelope opens with: rowad_make's when its
 * row has an id (id, idlen bytes: the row's seal_id), base alone when it
 * has none (id NULL, a row from before). 0, or -1 when the id is not of
 * ROWAD_ID_LEN bytes (nothing appended).
 */
int rowad_open(struct buf *ad, const void *base, size_t baselen,
               const char *kind, const void *id, size_t idlen,
               const char *author);

#endif
