/*
 * meeting_minutes.c - who attended a signal meeting and its action points
 * (meeting.h; issue 17 point 7).
 *
 * Attendees are chosen from the meeting's members: the active accounts
 * with the overleg or the coordinator role. Their user names are stored in
 * plain text, like who made and closed the meeting: staff, not reporters.
 *
 * Action points (who does what, by when) may name people and places of a
 * signal, so they are content: one envelope per meeting in
 * meetings.actions, sealed to the signalen keyring and bound to the
 * meeting (meeting_actions_ad), holding every point as
 *
 *	due (10 bytes, YYYY-MM-DD) | owner length (2, big-endian) | owner |
 *	text length (4, big-endian) | text
 *
 * one after the other. Adding or removing a point opens, changes and seals
 * the whole list again inside one transaction, so two coordinators working
 * at once cannot lose each other's points. Both change only while the
 * meeting is open; the minutes then hold them fixed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "limits.h"
#include "log.h"
#include "meeting.h"
#include "meeting_internal.h"
#include "users.h"

size_t
meeting_actions_ad(int64_t meeting_id, char out[MEETING_AD_LEN])
{
	int n = snprintf(out, MEETING_AD_LEN, "meeting-actions:%lld",
	                 (long long)meeting_id);

	return n > 0 ? (size_t)n : 0;
}

void
meeting_names_release(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

/* Append a copy of s to *v (*n entries, room for *cap). */
static void
push_name(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		char **nv;

		*cap = *cap ? *cap * 2 : 8;
		nv = realloc(*v, *cap * sizeof(**v));
		if (!nv)
			die("out of memory");
		*v = nv;
	}
	(*v)[*n] = strdup(s);
	if (!(*v)[*n])
		die("out of memory");
	(*n)++;
}

int
meeting_members(struct installation *inst, char ***out, size_t *n)
{
	struct user_row *rows = NULL;
	size_t nrows = 0, cap = 0, i;

	*out = NULL;
	*n = 0;
	if (users_list(inst->db, &rows, &nrows) < 0)
		return -1;
	for (i = 0; i < nrows; i++)
		if (!rows[i].disabled &&
		    (rows[i].roles & (ROLE_OVERLEG | ROLE_COORDINATOR)))
			push_name(out, n, &cap, rows[i].username);
	users_list_free(rows, nrows);
	return 0;
}

int
meeting_attendees(struct installation *inst, int64_t id, char ***out,
                  size_t *n)
{
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT username FROM meeting_attendees"
	               " WHERE meeting_id = :id ORDER BY username") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW)
		push_name(out, n, &cap, stmt_text(st, 0));
	if (rc == DB_DONE)
		ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret < 0) {
		meeting_names_release(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ret;
}

int
meeting_attendees_set(struct installation *inst, int64_t id,
                      const char *const *names, size_t n, const char *actor)
{
	char **members = NULL, object[96];
	size_t nmembers = 0, i, k;
	struct stmt *st = NULL;
	int own, rc, ret = -1;

	if (n > MEETING_ATTENDEES_MAX)
		return MEETING_NOT_MEMBER;
	if (meeting_members(inst, &members, &nmembers) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nmembers && strcmp(members[k], names[i]); k++)
			;
		if (k == nmembers) {
			meeting_names_release(members, nmembers);
			return MEETING_NOT_MEMBER;
		}
	}
	meeting_names_release(members, nmembers);
	if (db_join(inst->db, &own) < 0)
		return -1;
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	if (db_prepare(inst->db, &st, "DELETE FROM meeting_attendees"
	               " WHERE meeting_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 || stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	for (i = 0; i < n; i++) {
		if (db_prepare(inst->db, &st, "INSERT OR IGNORE INTO"
		               " meeting_attendees (meeting_id, username)"
		               " VALUES (:id, :name)") < 0 ||
		    stmt_bind_int(st, ":id", id) < 0 ||
		    stmt_bind_text(st, ":name", names[i]) < 0 ||
		    stmt_run(st) < 0)
			goto out;
		stmt_finalize(st);
		st = NULL;
	}
	snprintf(object, sizeof(object), "meeting %lld (%zu attendees)",
	         (long long)id, n);
	if (audit_append(inst->db, actor, "meeting-attendees", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	stmt_finalize(st);
	return meeting_db_leave(inst->db, own, ret);
}

void
meeting_actions_release(struct meeting_action *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		secret_free(v[i].owner);
		secret_free(v[i].text);
	}
	free(v);
}

static uint32_t
be(const uint8_t *p, size_t len)
{
	uint32_t v = 0;

	while (len--)
		v = v << 8 | *p++;
	return v;
}

/* The points of an opened list; 0 and *out, *n, or -1 (damaged). */
static int
parse_actions(const struct secret *plain, struct meeting_action **out,
              size_t *n)
{
	struct meeting_action *v = NULL;
	size_t count = 0, pos = 0, olen, tlen;
	const uint8_t *p = plain->bytes;

	while (pos < plain->len) {
		struct meeting_action *nv;

		if (plain->len - pos < 12)
			goto bad;
		olen = be(p + pos + 10, 2);
		if (plain->len - pos - 12 < olen + 4)
			goto bad;
		tlen = be(p + pos + 12 + olen, 4);
		if (plain->len - pos - 16 - olen < tlen)
			goto bad;
		nv = realloc(v, (count + 1) * sizeof(*v));
		if (!nv)
			die("out of memory");
		v = nv;
		memset(&v[count], 0, sizeof(v[count]));
		memcpy(v[count].due_on, p + pos, 10);
		v[count].due_on[10] = '\0';
		v[count].owner = secret_from(p + pos + 12, olen);
		v[count].text = secret_from(p + pos + 16 + olen, tlen);
		count++;
		if (!v[count - 1].owner || !v[count - 1].text ||
		    !meeting_day_valid(v[count - 1].due_on))
			goto bad;
		pos += 16 + olen + tlen;
	}
	*out = v;
	*n = count;
	return 0;
bad:
	meeting_actions_release(v, count);
	return error("the action points of a meeting are damaged");
}

/* The sealed list of meeting id, opened; lock held. 0, -1. */
static int
load_actions(struct db *db, int64_t id, const struct ring_key *signals,
             struct meeting_action **out, size_t *n)
{
	char ad[MEETING_AD_LEN];
	struct secret *plain = NULL;
	struct stmt *st = NULL;
	const void *env;
	size_t envlen, adlen;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT actions FROM meetings WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc < 0)
		goto out;
	if (rc == DB_DONE || stmt_is_null(st, 0)) {
		ret = 0;
		goto out;
	}
	env = stmt_blob(st, 0, &envlen);
	adlen = meeting_actions_ad(id, ad);
	if (envelope_open(env, envlen, (const uint8_t *)ad, adlen, signals->pk,
	                  signals->sk, &plain) < 0) {
		error("the action points of meeting %lld do not open",
		      (long long)id);
		goto out;
	}
	ret = parse_actions(plain, out, n);
out:
	secret_free(plain);
	stmt_finalize(st);
	return ret;
}

int
meeting_actions_read(struct installation *inst, int64_t id,
                     const struct ring_key *signals,
                     struct meeting_action **out, size_t *n)
{
	int ret;

	db_lock(inst->db);
	ret = load_actions(inst->db, id, signals, out, n);
	db_unlock(inst->db);
	return ret;
}

/* Seal the list v (n points) and store it; lock held, in a transaction. */
static int
store_actions(struct db *db, int64_t id, const struct ring_key *signals,
              const struct meeting_action *v, size_t n)
{
	uint8_t recipient[1][CRYPTO_PUBLICKEY_LEN];
	char ad[MEETING_AD_LEN];
	struct secret *plain;
	struct stmt *st = NULL;
	uint8_t *env = NULL;
	size_t len = 0, pos = 0, i, envlen = 0, adlen;
	int ret = -1;

	if (!n) {
		if (db_prepare(db, &st, "UPDATE meetings SET actions = NULL"
		               " WHERE id = :id") < 0 ||
		    stmt_bind_int(st, ":id", id) < 0 || stmt_run(st) < 0) {
			stmt_finalize(st);
			return -1;
		}
		stmt_finalize(st);
		return 0;
	}
	for (i = 0; i < n; i++)
		len += 16 + v[i].owner->len + v[i].text->len;
	plain = secret_new(len);
	if (!plain)
		return error("out of guarded memory");
	for (i = 0; i < n; i++) {
		uint8_t *p = plain->bytes + pos;
		size_t olen = v[i].owner->len, tlen = v[i].text->len;

		memcpy(p, v[i].due_on, 10);
		p[10] = (uint8_t)(olen >> 8);
		p[11] = (uint8_t)olen;
		memcpy(p + 12, v[i].owner->bytes, olen);
		p[12 + olen] = (uint8_t)(tlen >> 24);
		p[13 + olen] = (uint8_t)(tlen >> 16);
		p[14 + olen] = (uint8_t)(tlen >> 8);
		p[15 + olen] = (uint8_t)tlen;
		memcpy(p + 16 + olen, v[i].text->bytes, tlen);
		pos += 16 + olen + tlen;
	}
	adlen = meeting_actions_ad(id, ad);
	memcpy(recipient[0], signals->pk, CRYPTO_PUBLICKEY_LEN);
	if (envelope_seal(plain->bytes, len, &pad_text, (const uint8_t *)ad,
	                  adlen, (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])recipient, 1,
	                  &env, &envlen) < 0) {
		error("could not encrypt the action points of a meeting");
		goto out;
	}
	if (db_prepare(db, &st, "UPDATE meetings SET actions = :env"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_blob(st, ":env", env, envlen) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 || stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	free(env);
	secret_free(plain);
	return ret;
}

/* 1 when the text holds no NUL and no line breaks where none belong. */
static int
plain_text(const char *s, size_t len, int lines)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0' || (c < 0x20 && !(lines && (c == '\n' ||
		    c == '\r' || c == '\t'))))
			return 0;
	}
	return 1;
}

int
meeting_action_add(struct installation *inst, int64_t id,
                   const struct ring_key *signals, const char *owner,
                   size_t owner_len, const char *text, size_t text_len,
                   const char *due_on, const char *actor)
{
	struct meeting_action *v = NULL, *nv;
	char object[96];
	size_t n = 0;
	int own, rc, ret = -1;

	if (!meeting_day_valid(due_on))
		return MEETING_BAD_DAY;
	if (!owner_len || owner_len > MEETING_OWNER_MAX ||
	    !plain_text(owner, owner_len, 0))
		return MEETING_BAD_OWNER;
	if (!text_len || text_len > MEETING_ACTION_MAX ||
	    !plain_text(text, text_len, 1))
		return MEETING_TOO_LONG;
	if (db_join(inst->db, &own) < 0)
		return -1;
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	if (load_actions(inst->db, id, signals, &v, &n) < 0)
		goto out;
	if (n >= MEETING_ACTIONS_MAX) {
		ret = MEETING_TOO_MANY;
		goto out;
	}
	nv = realloc(v, (n + 1) * sizeof(*v));
	if (!nv)
		die("out of memory");
	v = nv;
	memset(&v[n], 0, sizeof(v[n]));
	memcpy(v[n].due_on, due_on, 11);
	v[n].owner = secret_from(owner, owner_len);
	v[n].text = secret_from(text, text_len);
	n++;
	if (!v[n - 1].owner || !v[n - 1].text ||
	    store_actions(inst->db, id, signals, v, n) < 0)
		goto out;
	snprintf(object, sizeof(object), "meeting %lld action %zu",
	         (long long)id, n);
	if (audit_append(inst->db, actor, "meeting-action-add", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	meeting_actions_release(v, n);
	return meeting_db_leave(inst->db, own, ret);
}

int
meeting_action_remove(struct installation *inst, int64_t id,
                      const struct ring_key *signals, size_t number,
                      const char *actor)
{
	struct meeting_action *v = NULL;
	char object[96];
	size_t n = 0;
	int own, rc, ret = -1;

	if (db_join(inst->db, &own) < 0)
		return -1;
	rc = meeting_db_open(inst->db, id);
	if (rc <= 0) {
		ret = rc < 0 ? -1 : MEETING_NOT_OPEN;
		goto out;
	}
	if (load_actions(inst->db, id, signals, &v, &n) < 0)
		goto out;
	if (number < 1 || number > n) {
		ret = MEETING_NO_ACTION;
		goto out;
	}
	secret_free(v[number - 1].owner);
	secret_free(v[number - 1].text);
	memmove(&v[number - 1], &v[number], (n - number) * sizeof(*v));
	n--;
	if (store_actions(inst->db, id, signals, v, n) < 0)
		goto out;
	snprintf(object, sizeof(object), "meeting %lld action %zu",
	         (long long)id, number);
	if (audit_append(inst->db, actor, "meeting-action-remove", object) < 0)
		goto out;
	ret = MEETING_OK;
out:
	meeting_actions_release(v, n);
	return meeting_db_leave(inst->db, own, ret);
}
