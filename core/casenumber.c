/*
 * casenumber.c - random case numbers for reports (see casenumber.h).
 */
#include <stdio.h>
#include <string.h>

#include "casenumber.h"
#include "crypto.h"
#include "db.h"
#include "limits.h"
#include "log.h"

#define ALPHABET_LEN (sizeof(CASE_NUMBER_ALPHABET) - 1)

/* One character of the alphabet, uniformly: bytes past the last whole
 * multiple of the alphabet's length are drawn again. */
static char
draw_char(void)
{
	const unsigned limit = 256 - 256 % ALPHABET_LEN;
	uint8_t b;

	do
		crypto_random(&b, 1);
	while (b >= limit);
	return CASE_NUMBER_ALPHABET[b % ALPHABET_LEN];
}

void
case_number_draw(const char *day, char out[CASE_NUMBER_LEN + 1])
{
	size_t i;

	for (i = 0; i < 4; i++)
		out[i] = day && day[i] >= '0' && day[i] <= '9' ? day[i] : '0';
	out[4] = '-';
	for (i = 5; i < 9; i++)
		out[i] = draw_char();
	out[9] = '-';
	out[10] = draw_char();
	out[11] = draw_char();
	out[12] = '\0';
}

int
case_number_parse(const char *text, char out[CASE_NUMBER_LEN + 1])
{
	size_t i;

	if (!text || strlen(text) != CASE_NUMBER_LEN)
		return -1;
	for (i = 0; i < CASE_NUMBER_LEN; i++) {
		char c = text[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (i == 4 || i == 9) {
			if (c != '-')
				return -1;
		} else if (i < 4) {
			if (c < '0' || c > '9')
				return -1;
		} else if (!strchr(CASE_NUMBER_ALPHABET, c) || c == '\0') {
			return -1;
		}
		out[i] = c;
	}
	out[CASE_NUMBER_LEN] = '\0';
	return 0;
}

/* 1 when a report has number, 0 when none, -1 on error. */
static int
taken(struct db *db, const char *number)
{
	struct stmt *st = NULL;
	int rc;

	if (db_prepare(db, &st, "SELECT 1 FROM reports"
	               " WHERE case_number = :n") < 0 ||
	    stmt_bind_text(st, ":n", number) < 0) {
		stmt_finalize(st);
		return -1;
	}
	rc = stmt_step(st);
	stmt_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int
case_number_assign(struct db *db, const char *day,
                   char out[CASE_NUMBER_LEN + 1])
{
	unsigned i;
	int rc;

	for (i = 0; i < LIMIT_CASE_NUMBER_DRAWS; i++) {
		case_number_draw(day, out);
		rc = taken(db, out);
		if (rc <= 0)
			return rc;
	}
	return error("no free case number in %u draws",
	             (unsigned)LIMIT_CASE_NUMBER_DRAWS);
}

int
case_number_find(struct db *db, const char *text, int64_t *id)
{
	char number[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	int rc, ret = -1;

	*id = 0;
	if (case_number_parse(text, number) < 0)
		return 1;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id FROM reports"
	               " WHERE case_number = :n") < 0 ||
	    stmt_bind_text(st, ":n", number) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_ROW) {
		*id = stmt_int(st, 0);
		ret = 0;
	} else if (rc == DB_DONE) {
		ret = 1;
	}
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
case_number_of(struct db *db, int64_t id, char out[CASE_NUMBER_LEN + 1])
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	out[0] = '\0';
	db_lock(db);
	if (db_prepare(db, &st, "SELECT case_number FROM reports"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_ROW && stmt_text(st, 0)) {
		snprintf(out, CASE_NUMBER_LEN + 1, "%s", stmt_text(st, 0));
		ret = 0;
	} else if (rc == DB_ROW || rc == DB_DONE) {
		ret = 1;
	}
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

const char *
case_label(struct db *db, int64_t id, char out[CASE_NUMBER_LEN + 1])
{
	int rc = case_number_of(db, id, out);

	if (rc < 0)
		return NULL;
	if (rc == 1)
		snprintf(out, CASE_NUMBER_LEN + 1, "unknown");
	return out;
}
