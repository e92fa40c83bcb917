/*
 * casenumber.h - the number staff see for a report: random, not its row.
 *
 * A report's row id (reports.id) follows the order of arrival. Staff,
 * their links, pages, exports, e-mails, the API and the audit rows they
 * read name a report by its case number instead, drawn at random when
 * the report is stored (issue 15 point 2):
 *
 *   YYYY-XXXX-XX   e.g. 2026-K7QM-3P
 *
 * the year of receipt (already plaintext in reports.received_on), then
 * six characters of CASE_NUMBER_ALPHABET (31 characters: no 0/O, no
 * 1/I/L, nothing two people reading aloud could confuse), about 887
 * million numbers a year. Two reports filed one after the other get
 * numbers that say nothing of their order. The column is unique; a drawn
 * number already taken is drawn again, inside the write transaction
 * (up to LIMIT_CASE_NUMBER_DRAWS times), so no two reports share one.
 * Reports stored before schema 30 got one in the migration.
 */
#ifndef MELDPUNT_CASENUMBER_H
#define MELDPUNT_CASENUMBER_H

#include <stdint.h>

struct db;

#define CASE_NUMBER_LEN 12
#define CASE_NUMBER_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/*
 * A fresh random number for a report received on day ("YYYY-MM-DD...",
 * its first four characters are the year), not checked against the
 * database.
 */
void case_number_draw(const char *day, char out[CASE_NUMBER_LEN + 1]);

/*
 * Draw a number for a report received on day that no stored report has:
 * run inside the write transaction that stores the report. 0 and out, or
 * -1 (an error, or LIMIT_CASE_NUMBER_DRAWS draws all taken).
 */
int case_number_assign(struct db *db, const char *day,
                       char out[CASE_NUMBER_LEN + 1]);

/*
 * text as a case number: 0 and out (letters upper-cased, so one read
 * aloud and typed in lower case is found), or -1 when it is not of the
 * form YYYY-XXXX-XX with characters of the alphabet.
 */
int case_number_parse(const char *text, char out[CASE_NUMBER_LEN + 1]);

/*
 * The row id of the report with case number text: 0 and *id; 1 when
 * text is no case number (malformed) or no report has it; -1 on error.
 */
int case_number_find(struct db *db, const char *text, int64_t *id);

/* The case number of report id: 0 and out; 1 when there is none; -1. */
int case_number_of(struct db *db, int64_t id, char out[CASE_NUMBER_LEN + 1]);

/*
 * How a text staff read (an audit row's object) names report id: its
 * case number, or "unknown" when it has none. Returns out, or NULL when
 * the database fails: the caller's action then fails as a whole (it
 * must not write an audit row without the number).
 */
const char *case_label(struct db *db, int64_t id,
                       char out[CASE_NUMBER_LEN + 1]);

#endif
