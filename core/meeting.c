/*
 * meeting.c - meetings, their agendas and the overleg's keys (see
 * meeting.h).
 *
 * The notes of an agenda item (enrichment, decision and the step it
 * proposes) are one plaintext,
 *
 *	enrichment length (4 bytes, big-endian) | enrichment | decision
 *	[ NUL | next step ]
 *
 * so all are stored and opened together and never pass through a JSON
 * library's unguarded heap. Texts hold no NUL (meeting_record refuses it),
 * so notes written before the next step existed read as having none. Key material is sealed before a transaction begins and
 * opened after the rows are read: the writer lock is held only for SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "content.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "meeting.h"
#include "meeting_internal.h"
#include "zone.h"

int
meeting_day_valid(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (!s || strlen(s) != CLOCK_DAY_LEN || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < CLOCK_DAY_LEN; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

size_t
meeting_notes_ad(int64_t meeting_id, int64_t report_id,
                 char out[MEETING_AD_LEN])
{
	int n = snprintf(out, MEETING_AD_LEN, "meldpunt meeting %lld report %lld",
	                 (long long)meeting_id, (long long)report_id);

	return n > 0 && n < MEETING_AD_LEN ? (size_t)n : 0;
}

int
meeting_create(struct installation *inst, const char *held_on,
               const char *title, const char *actor, int64_t *id_out)
{
	char now[CLOCK_TEXT_LEN + 1], object[64];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (!meeting_day_valid(held_on) || strlen(title) > MEETING_TITLE_MAX)
		return error("a meeting needs a day (YYYY-MM-DD) and a short title");
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0)
		return -1;
	/* Made with the first meeting: an installation without meetings has
	 * no keyring nobody uses. Sealed to the coordinator who makes it
	 * too, so granting it to the members needs no recovery key. */
	if (keyrings_ensure_member(inst->db, KEYRING_MEETING, actor,
	                           report_type_keyring(REPORT_SIGNAL)) < 0)
		goto out;
	if (db_prepare(inst->db, &st, "INSERT INTO meetings (held_on, title,"
	               " created_at, created_by) VALUES (:day, :title, :now,"
	               " :actor)") < 0 ||
	    stmt_bind_text(st, ":day", held_on) < 0 ||
	    stmt_bind_text(st, ":title", title) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	*id_out = db_last_id(inst->db);
	snprintf(object, sizeof(object), "meeting %lld", (long long)*id_out);
	if (audit_append(inst->db, actor, "meeting-create", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(inst->db, own, ret == 0);
}

#define MEETING_COLUMNS "m.id, m.held_on, m.title, m.created_by," \
	" coalesce(m.closed_at, ''), coalesce(m.closed_by, '')," \
	" (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id)"

static void
fill_meeting(struct stmt *st, struct meeting *m)
{
	memset(m, 0, sizeof(*m));
	m->id = stmt_int(st, 0);
	snprintf(m->held_on, sizeof(m->held_on), "%s", stmt_text(st, 1));
	snprintf(m->title, sizeof(m->title), "%s", stmt_text(st, 2));
	snprintf(m->created_by, sizeof(m->created_by), "%s", stmt_text(st, 3));
	snprintf(m->closed_at, sizeof(m->closed_at), "%s", stmt_text(st, 4));
	snprintf(m->closed_by, sizeof(m->closed_by), "%s", stmt_text(st, 5));
	m->items = (size_t)stmt_int(st, 6);
}

int
meeting_list(struct installation *inst, int open_only, struct meeting **out,
             size_t *n)
{
	struct meeting *v = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT " MEETING_COLUMNS " FROM meetings m"
	               " WHERE :all OR m.closed_at IS NULL"
	               " ORDER BY m.held_on DESC, m.id DESC") < 0 ||
	    stmt_bind_int(st, ":all", !open_only) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 16);
		fill_meeting(st, &v[count++]);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
meeting_get(struct installation *inst, int64_t id, struct meeting *out)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT " MEETING_COLUMNS " FROM meetings m"
	               " WHERE m.id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_ROW) {
		fill_meeting(st, out);
		ret = 0;
	} else if (rc == DB_DONE) {
		ret = 1;
	}
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	return ret;
}

/* meeting_internal.h */
int
meeting_db_leave(struct db *db, int own, int ret)
{
	int rc = db_leave(db, own, ret == MEETING_OK);

	return ret == MEETING_OK ? rc : ret;
}

int
meeting_db_open(struct db *db, int64_t id)
{
	struct stmt *st = NULL;
	int rc;

	if (db_prepare(db, &st, "SELECT 1 FROM meetings WHERE id = :id"
	               " AND closed_at IS NULL") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0) {
		stmt_finalize(st);
		return -1;
	}
	rc = stmt_step(st);
	stmt_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW;
}

int
meeting_day_has_come(const struct meeting *m)
{
	char today[CLOCK_DAY_LEN + 1];

	zone_day_text(clock_now(), today);
	return strcmp(m->held_on, today) <= 0;
}

int
meeting_redate(struct installation *inst, int64_t id, const char *held_on,
               const char *actor)
{
	char object[96];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (!meeting_day_valid(held_on))
		return MEETING_BAD_DAY;
	if (db_join(inst->db, &own) < 0)
		return -1;
	if (db_prepare(inst->db, &st, "UPDATE meetings SET held_on = :day"
	               " WHERE id = :id AND closed_at IS NULL") < 0 ||
	    stmt_bind_text(st, ":day", held_on) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(inst->db) != 1) {
		ret = MEETING_NOT_OPEN;
		goto out;
	}
	snprintf(object, sizeof(object), "meeting %lld day %s", (long long)id,
	         held_on);
	if (audit_append(inst->db, actor, "meeting-redate", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	return meeting_db_leave(inst->db, own, ret);
}

int
meeting_close(struct installation *inst, int64_t id, const char *actor)
{
	char now[CLOCK_TEXT_LEN + 1], object[96];
	struct stmt *st = NULL;
	int own, ret = -1, ended;

	char today[CLOCK_DAY_LEN + 1];

	clock_format(clock_now(), now);
	zone_day_text(clock_now(), today);
	if (db_join(inst->db, &own) < 0)
		return -1;
	if (db_prepare(inst->db, &st, "UPDATE meetings SET closed_at = :now,"
	               " closed_by = :actor WHERE id = :id"
	               " AND closed_at IS NULL AND held_on <= :today") < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_text(st, ":today", today) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(inst->db) != 1) {
		ret = meeting_db_open(inst->db, id) == 1 ? MEETING_NOT_YET
		                                            : MEETING_NOT_OPEN;
		goto out;
	}
	stmt_finalize(st);
	st = NULL;
	/* The overleg's keys to this agenda end with the meeting. */
	if (db_prepare(inst->db, &st, "DELETE FROM meeting_access WHERE item_id IN"
	               " (SELECT id FROM meeting_items"
	               "  WHERE meeting_id = :id)") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ended = db_changes(inst->db);
	snprintf(object, sizeof(object), "meeting %lld (overleg access ended for"
	         " %d signals)", (long long)id, ended);
	if (audit_append(inst->db, actor, "meeting-close", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	return meeting_db_leave(inst->db, own, ret);
}

/*
 * A signal's content envelope and locator. MEETING_OK and *env (malloc'd),
 * MEETING_NO_SIGNAL, or -1.
 */
static int
load_signal(struct db *db, int64_t report_id, uint8_t **env, size_t *envlen,
            uint8_t locator[RECEIPT_LOCATOR_LEN])
{
	struct stmt *st = NULL;
	const void *p;
	size_t len;
	int rc, ret = -1;

	*env = NULL;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT content, locator FROM reports"
	               " WHERE id = :id AND type = 'signal'") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = MEETING_NO_SIGNAL;
		goto out;
	}
	if (rc < 0)
		goto out;
	p = stmt_blob(st, 1, &len);
	if (len != RECEIPT_LOCATOR_LEN) {
		error("report %lld has a damaged locator", (long long)report_id);
		goto out;
	}
	memcpy(locator, p, len);
	p = stmt_blob(st, 0, &len);
	*env = malloc(len ? len : 1);
	if (!*env)
		die("out of memory");
	memcpy(*env, p, len);
	*envlen = len;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
meeting_withhold_identity(struct secret **content)
{
	const struct form *f = forms_get(REPORT_SIGNAL);
	struct secret *w = NULL;

	if (!f)
		return error("the signal form is not loaded: its identity "
		             "fields are unknown");
	if (content_withheld(f, (*content)->bytes, (*content)->len, &w) < 0)
		return -1;
	secret_free(*content);
	*content = w;
	return 0;
}

/*
 * Seal the data key of envelope env (opened with signals) to overleg.
 * For a signal, env is its content envelope: the identity envelope has a
 * data key of its own (report.h) that no agenda ever gets.
 */
static int
seal_for_overleg(struct db *db, const uint8_t *env, size_t envlen,
                 const struct ring_key *signals,
                 uint8_t wrapped[KEYRING_WRAPPED_LEN])
{
	uint8_t opk[CRYPTO_PUBLICKEY_LEN];
	struct secret *key = NULL;
	int ret = -1;

	if (keyrings_public_key(db, KEYRING_MEETING, opk) < 0)
		return -1;
	if (envelope_open_key(env, envlen, signals->pk, signals->sk, &key) < 0) {
		error("the signal does not open with this signalen key");
		goto out;
	}
	if (keyring_wrap(key, opk, wrapped) < 0) {
		error("could not seal a key to the overleg keyring");
		goto out;
	}
	ret = 0;
out:
	secret_free(key);
	return ret;
}

/* 1 when report_id's content is still env, 0 when not, -1. Lock held. */
static int
content_unchanged(struct db *db, int64_t report_id, const uint8_t *env,
                  size_t envlen)
{
	struct stmt *st = NULL;
	int rc;

	if (db_prepare(db, &st, "SELECT 1 FROM reports WHERE id = :id"
	               " AND content = :env") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0 ||
	    stmt_bind_blob(st, ":env", env, envlen) < 0) {
		stmt_finalize(st);
		return -1;
	}
	rc = stmt_step(st);
	stmt_finalize(st);
	return rc < 0 ? -1 : rc == DB_ROW;
}

/* The id of the item of report_id on meeting id, 0 when none, -1. */
static int64_t
item_id(struct db *db, int64_t id, int64_t report_id)
{
	struct stmt *st = NULL;
	int64_t ret = -1;
	int rc;

	if (db_prepare(db, &st, "SELECT id FROM meeting_items"
	               " WHERE meeting_id = :id AND report_id = :report") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_ROW)
		ret = stmt_int(st, 0);
	else if (rc == DB_DONE)
		ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
meeting_add(struct installation *inst, int64_t id, int64_t report_id,
            const struct ring_key *signals, const char *actor)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN], wrapped[KEYRING_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1], object[96], cn[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	uint8_t *env = NULL;
	size_t envlen = 0;
	int64_t have;
	int own, rc, ret = -1;

	rc = load_signal(inst->db, report_id, &env, &envlen, locator);
	if (rc != MEETING_OK)
		return rc;
	rc = seal_for_overleg(inst->db, env, envlen, signals, wrapped);
	if (rc < 0) {
		free(env);
		return -1;
	}
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0) {
		free(env);
		return -1;
	}
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	/* `reports split` may have sealed it again meanwhile: a key of the
	 * old content would open nothing. */
	rc = content_unchanged(inst->db, report_id, env, envlen);
	if (rc <= 0) {
		if (rc == 0)
			error("signal %lld was sealed again while it was put on "
			      "the agenda: try again", (long long)report_id);
		goto out;
	}
	have = item_id(inst->db, id, report_id);
	if (have != 0) {
		ret = have < 0 ? -1 : MEETING_ON_AGENDA;
		goto out;
	}
	if (db_prepare(inst->db, &st, "INSERT INTO meeting_items (meeting_id,"
	               " report_id, added_at, added_by) VALUES (:id, :report,"
	               " :now, :actor)") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	have = db_last_id(inst->db);
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(inst->db, &st, "INSERT INTO meeting_access (item_id,"
	               " report_key) VALUES (:item, :key)") < 0 ||
	    stmt_bind_int(st, ":item", have) < 0 ||
	    stmt_bind_blob(st, ":key", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (!case_label(inst->db, report_id, cn))
		goto out;
	snprintf(object, sizeof(object), "meeting %lld report %s",
	         (long long)id, cn);
	if (audit_append(inst->db, actor, "meeting-agenda-add", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	free(env);
	return meeting_db_leave(inst->db, own, ret);
}

int
meeting_remove(struct installation *inst, int64_t id, int64_t report_id,
               const char *actor)
{
	char object[96], cn[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	int own, rc, ret = -1;

	if (db_join(inst->db, &own) < 0)
		return -1;
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	/* The access row goes with the item (ON DELETE CASCADE). */
	if (db_prepare(inst->db, &st, "DELETE FROM meeting_items"
	               " WHERE meeting_id = :id AND report_id = :report") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(inst->db) != 1) {
		ret = MEETING_NOT_ON_AGENDA;
		goto out;
	}
	if (!case_label(inst->db, report_id, cn))
		goto out;
	snprintf(object, sizeof(object), "meeting %lld report %s",
	         (long long)id, cn);
	if (audit_append(inst->db, actor, "meeting-agenda-remove", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	return meeting_db_leave(inst->db, own, ret);
}

int
meeting_record(struct installation *inst, int64_t id, int64_t report_id,
               const struct ring_key *signals, const char *enrichment,
               size_t enrichment_len, const char *decision,
               size_t decision_len, const char *next, const char *actor)
{
	uint8_t wrapped[KEYRING_WRAPPED_LEN], recipient[1][CRYPTO_PUBLICKEY_LEN];
	char now[CLOCK_TEXT_LEN + 1], object[96], cn[CASE_NUMBER_LEN + 1], ad[MEETING_AD_LEN];
	struct secret *plain = NULL;
	struct stmt *st = NULL;
	uint8_t *env = NULL;
	size_t envlen = 0, adlen;
	int64_t item;
	int own, rc, ret = -1;

	size_t nextlen = next ? strlen(next) : 0;

	if (enrichment_len > MEETING_TEXT_MAX || decision_len > MEETING_TEXT_MAX ||
	    memchr(enrichment, '\0', enrichment_len) ||
	    memchr(decision, '\0', decision_len))
		return MEETING_TOO_LONG;
	if (nextlen && !meeting_next_valid(next))
		return MEETING_BAD_NEXT;
	plain = secret_new(4 + enrichment_len + decision_len +
	                   (nextlen ? 1 + nextlen : 0));
	if (!plain)
		return error("out of guarded memory");
	if (nextlen) {
		plain->bytes[4 + enrichment_len + decision_len] = '\0';
		memcpy(plain->bytes + 4 + enrichment_len + decision_len + 1, next,
		       nextlen);
	}
	plain->bytes[0] = (uint8_t)(enrichment_len >> 24);
	plain->bytes[1] = (uint8_t)(enrichment_len >> 16);
	plain->bytes[2] = (uint8_t)(enrichment_len >> 8);
	plain->bytes[3] = (uint8_t)enrichment_len;
	if (enrichment_len)
		memcpy(plain->bytes + 4, enrichment, enrichment_len);
	if (decision_len)
		memcpy(plain->bytes + 4 + enrichment_len, decision, decision_len);
	adlen = meeting_notes_ad(id, report_id, ad);
	/* Only signalen: the overleg gets the data key, and only while the
	 * meeting is open, in the access row. */
	memcpy(recipient[0], signals->pk, CRYPTO_PUBLICKEY_LEN);
	rc = envelope_seal(plain->bytes, plain->len, &pad_text,
	                   (const uint8_t *)ad, adlen,
	                   (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])recipient, 1,
	                   &env, &envlen);
	secret_free(plain);
	if (rc < 0)
		return error("could not encrypt the notes of an agenda item");
	if (seal_for_overleg(inst->db, env, envlen, signals, wrapped) < 0) {
		free(env);
		return -1;
	}
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0) {
		free(env);
		return -1;
	}
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	item = item_id(inst->db, id, report_id);
	if (item <= 0) {
		ret = item < 0 ? -1 : MEETING_NOT_ON_AGENDA;
		goto out;
	}
	if (db_prepare(inst->db, &st, "UPDATE meeting_items SET notes = :notes,"
	               " updated_at = :now, updated_by = :actor"
	               " WHERE id = :item") < 0 ||
	    stmt_bind_blob(st, ":notes", env, envlen) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":actor", actor) < 0 ||
	    stmt_bind_int(st, ":item", item) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (db_prepare(inst->db, &st, "UPDATE meeting_access SET notes_key = :key"
	               " WHERE item_id = :item") < 0 ||
	    stmt_bind_blob(st, ":key", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_bind_int(st, ":item", item) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (!case_label(inst->db, report_id, cn))
		goto out;
	snprintf(object, sizeof(object), "meeting %lld report %s",
	         (long long)id, cn);
	if (audit_append(inst->db, actor, "meeting-item-record", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	free(env);
	return meeting_db_leave(inst->db, own, ret);
}

int
meeting_next_valid(const char *next)
{
	size_t i, len = next ? strlen(next) : 0;

	if (len < 1 || len > MEETING_NEXT_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((next[i] >= 'a' && next[i] <= 'z') ||
		      (next[i] >= '0' && next[i] <= '9') || next[i] == '_'))
			return 0;
	return 1;
}

int
meeting_notes_split(const struct secret *plain, struct secret **enrichment,
                    struct secret **decision, char next[MEETING_NEXT_MAX + 1])
{
	const uint8_t *d, *nul;
	size_t elen, dlen;

	*enrichment = *decision = NULL;
	next[0] = '\0';
	if (plain->len < 4)
		return -1;
	elen = (size_t)plain->bytes[0] << 24 | (size_t)plain->bytes[1] << 16 |
	       (size_t)plain->bytes[2] << 8 | plain->bytes[3];
	if (elen > plain->len - 4)
		return -1;
	d = plain->bytes + 4 + elen;
	dlen = plain->len - 4 - elen;
	nul = memchr(d, '\0', dlen);
	if (nul) {
		size_t nlen = dlen - (size_t)(nul - d) - 1;

		if (nlen > MEETING_NEXT_MAX)
			return -1;
		memcpy(next, nul + 1, nlen);
		next[nlen] = '\0';
		if (!meeting_next_valid(next))
			return -1;
		dlen = (size_t)(nul - d);
	}
	*enrichment = secret_from(plain->bytes + 4, elen);
	*decision = secret_from(d, dlen);
	if (!*enrichment || !*decision) {
		secret_free(*enrichment);
		secret_free(*decision);
		*enrichment = *decision = NULL;
		return -1;
	}
	return 0;
}

/* A sealed key column into wrapped; 0, 1 when NULL, -1 when damaged. */
static int
sealed_column(struct stmt *st, int col, uint8_t wrapped[KEYRING_WRAPPED_LEN])
{
	const void *p;
	size_t len;

	if (stmt_is_null(st, col))
		return 1;
	p = stmt_blob(st, col, &len);
	if (len != KEYRING_WRAPPED_LEN)
		return error("a sealed key of an agenda has the wrong size");
	memcpy(wrapped, p, len);
	return 0;
}

/*
 * Open one envelope as reader: with the signalen key pair directly, or
 * with the data key sealed to overleg. 0 and *out, or -1.
 */
static int
open_as(const struct meeting_reader *r, const uint8_t *env, size_t envlen,
        const uint8_t *ad, size_t adlen,
        const uint8_t wrapped[KEYRING_WRAPPED_LEN], struct secret **out)
{
	struct secret *key = NULL;
	int ret;

	if (!r->overleg)
		return envelope_open(env, envlen, ad, adlen, r->key.pk, r->key.sk,
		                     out);
	if (keyring_open_sealed(wrapped, r->key.pk, r->key.sk, &key) < 0)
		return -1;
	ret = envelope_decrypt(env, envlen, ad, adlen, key, out);
	secret_free(key);
	return ret;
}

/* One row of the agenda query into it; 0 or -1. Lock held. */
static int
read_item(struct stmt *st, int64_t id, const struct meeting_reader *r,
          int with_content, struct meeting_item *it)
{
	uint8_t rkey[KEYRING_WRAPPED_LEN], nkey[KEYRING_WRAPPED_LEN];
	struct secret *plain = NULL;
	const void *env, *locator;
	size_t envlen, loclen, adlen;
	char ad[MEETING_AD_LEN];
	int rc;

	it->report_id = stmt_int(st, 0);
	snprintf(it->state, sizeof(it->state), "%s", stmt_text(st, 1));
	snprintf(it->received_on, sizeof(it->received_on), "%s", stmt_text(st, 2));
	snprintf(it->added_by, sizeof(it->added_by), "%s", stmt_text(st, 3));
	if (!stmt_is_null(st, 4)) {
		snprintf(it->updated_at, sizeof(it->updated_at), "%s",
		         stmt_text(st, 4));
		snprintf(it->updated_by, sizeof(it->updated_by), "%s",
		         stmt_text(st, 5));
	}
	if (sealed_column(st, 9, rkey) < 0)
		return -1;
	rc = sealed_column(st, 10, nkey);
	if (rc < 0)
		return -1;
	if (!stmt_is_null(st, 6) && (!r->overleg || rc == 0)) {
		adlen = meeting_notes_ad(id, it->report_id, ad);
		env = stmt_blob(st, 6, &envlen);
		if (open_as(r, env, envlen, (const uint8_t *)ad, adlen, nkey,
		            &plain) < 0 ||
		    meeting_notes_split(plain, &it->enrichment, &it->decision,
		                        it->next) < 0) {
			secret_free(plain);
			return error("the notes on signal %lld of meeting %lld do not"
			             " open", (long long)it->report_id, (long long)id);
		}
		secret_free(plain);
	}
	if (with_content) {
		locator = stmt_blob(st, 8, &loclen);
		env = stmt_blob(st, 7, &envlen);
		if (open_as(r, env, envlen, locator, loclen, rkey,
		            &it->content) < 0)
			return error("signal %lld does not open for this meeting",
			             (long long)it->report_id);
		/* A report not split yet still holds its identity. */
		if (meeting_withhold_identity(&it->content) < 0)
			return -1;
	}
	return 0;
}

void
meeting_agenda_release(struct meeting_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		secret_free(v[i].enrichment);
		secret_free(v[i].decision);
		secret_free(v[i].content);
	}
	free(v);
}

int
meeting_agenda(struct installation *inst, int64_t id,
               const struct meeting_reader *reader, int with_content,
               struct meeting_item **out, size_t *n)
{
	struct meeting_item *v = NULL;
	size_t count = 0, cap = 0, i;
	struct stmt *st = NULL;
	char object[96], cn[CASE_NUMBER_LEN + 1];
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	/* An overleg member sees only the items it holds keys for. */
	if (db_prepare(inst->db, &st, "SELECT i.report_id, r.state, r.received_on,"
	               " i.added_by, i.updated_at, i.updated_by, i.notes,"
	               " r.content, r.locator, a.report_key, a.notes_key"
	               " FROM meeting_items i JOIN reports r ON r.id = i.report_id"
	               " LEFT JOIN meeting_access a ON a.item_id = i.id"
	               " WHERE i.meeting_id = :id"
	               " AND (NOT :overleg OR a.item_id IS NOT NULL)"
	               " ORDER BY i.id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_int(st, ":overleg", reader->overleg != 0) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		memset(&v[count], 0, sizeof(v[count]));
		if (read_item(st, id, reader, with_content, &v[count++]) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	for (i = 0; i < count; i++) {
		if (!case_label(inst->db, v[i].report_id, cn))
			goto out;
		snprintf(object, sizeof(object), "meeting %lld report %s%s",
		         (long long)id, cn,
		         reader->overleg ? " (overleg)" : "");
		if (audit_append(inst->db, reader->actor, "meeting-item-read",
		                 object) < 0)
			goto out;
		snprintf(object, sizeof(object), "report %s via meeting %lld",
		         cn, (long long)id);
		if (with_content && audit_append(inst->db, reader->actor,
		                                 "report-read", object) < 0)
			goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret < 0) {
		meeting_agenda_release(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
meeting_read_signal(struct installation *inst, int64_t report_id,
                    const struct meeting_reader *reader, struct secret **out,
                    int64_t *meeting_out)
{
	uint8_t rkey[KEYRING_WRAPPED_LEN];
	struct stmt *st = NULL;
	const void *env, *locator;
	size_t envlen, loclen;
	char object[96], cn[CASE_NUMBER_LEN + 1];
	int rc, ret = -1;

	*out = NULL;
	*meeting_out = 0;
	if (!reader->overleg)
		return error("meeting_read_signal is for overleg members");
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT i.meeting_id, a.report_key,"
	               " r.content, r.locator FROM meeting_access a"
	               " JOIN meeting_items i ON i.id = a.item_id"
	               " JOIN meetings m ON m.id = i.meeting_id"
	               " JOIN reports r ON r.id = i.report_id"
	               " WHERE i.report_id = :report AND m.closed_at IS NULL"
	               " ORDER BY m.held_on DESC, m.id DESC LIMIT 1") < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		/* Refused: recorded too, so probing for signals shows. */
		stmt_finalize(st);
		st = NULL;
		if (!case_label(inst->db, report_id, cn))
			goto out;
		snprintf(object, sizeof(object), "report %s via overleg",
		         cn);
		if (audit_append_result(inst->db, reader->actor, "report-read",
		                        object, AUDIT_REFUSED) == 0)
			ret = 1;
		goto out;
	}
	if (rc < 0 || sealed_column(st, 1, rkey) != 0)
		goto out;
	*meeting_out = stmt_int(st, 0);
	env = stmt_blob(st, 2, &envlen);
	locator = stmt_blob(st, 3, &loclen);
	if (open_as(reader, env, envlen, locator, loclen, rkey, out) < 0) {
		error("signal %lld does not open with this overleg key",
		      (long long)report_id);
		goto out;
	}
	if (meeting_withhold_identity(out) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (!case_label(inst->db, report_id, cn))
		goto out;
	snprintf(object, sizeof(object), "report %s via meeting %lld",
	         cn, (long long)*meeting_out);
	if (audit_append(inst->db, reader->actor, "report-read", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret != 0) {
		secret_free(*out);
		*out = NULL;
	}
	return ret;
}
