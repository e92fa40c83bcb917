/*
 * case.c - reports as handlers see them (see case.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "audit.h"
#include "buf.h"
#include "case.h"
#include "content.h"
#include "db.h"
#include "envelope.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "oral.h"
#include "outbox.h"
#include "rowad.h"
#include "users.h"
#include "workflow.h"

static int
load_locator(struct db *db, int64_t id, uint8_t locator[RECEIPT_LOCATOR_LEN],
             enum report_type *type)
{
	struct stmt *st = NULL;
	const void *p;
	size_t len;
	int ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT locator, type FROM reports"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("there is no report %lld", (long long)id);
		goto out;
	}
	p = stmt_blob(st, 0, &len);
	if (len != RECEIPT_LOCATOR_LEN ||
	    (type && report_type_parse(stmt_text(st, 1), type) < 0))
		goto out;
	memcpy(locator, p, len);
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

void
case_answer_text(const struct secret *plain, const char *name, char *out,
            size_t size)
{
	stored_answer_text(plain->bytes, plain->len, name, out, size);
}

/* The phenomenon among the sealed statistical answers, if any. */
static void
read_phenomenon(const uint8_t *env, size_t envlen, const uint8_t *locator,
                const struct ring_key *key, char out[CASE_PHENOMENON_MAX + 1])
{
	struct secret *plain = NULL;

	out[0] = '\0';
	if (!env || envelope_open(env, envlen, locator, RECEIPT_LOCATOR_LEN,
	                          key->pk, key->sk, &plain) < 0)
		return;
	case_answer_text(plain, "phenomenon", out, CASE_PHENOMENON_MAX + 1);
	secret_free(plain);
}

static void
fill_summary(struct stmt *st, struct case_summary *c)
{
	memset(c, 0, sizeof(*c));
	c->id = stmt_int(st, 0);
	report_type_parse(stmt_text(st, 1), &c->type);
	snprintf(c->state, sizeof(c->state), "%s", stmt_text(st, 2));
	snprintf(c->received_on, sizeof(c->received_on), "%s", stmt_text(st, 3));
	snprintf(c->source, sizeof(c->source), "%s", stmt_text(st, 4));
	if (!stmt_is_null(st, 5))
		snprintf(c->assignee, sizeof(c->assignee), "%s", stmt_text(st, 5));
	if (!stmt_is_null(st, 8))
		snprintf(c->number, sizeof(c->number), "%s", stmt_text(st, 8));
	c->oral = (enum oral_state)stmt_int(st, 9);
}

#define SUMMARY_COLUMNS "r.id, r.type, r.state, r.received_on, r.source," \
	" u.username, r.locator, r.stats, r.case_number, " ORAL_STATE_SQL

/*
 * Deadlines, final state: what the inbox sorts and marks by. Running or
 * not is the one verdict's (workflow.h), never the engine's raw state: a
 * deadline met late is decided, as the case page shows it.
 */
static void
add_deadlines(struct installation *inst, const struct workflows *wfs,
              struct case_summary *c, time_t now, unsigned soon)
{
	const struct workflow *wf = workflows_get(wfs, c->type);
	const struct workflow_state *state = workflow_state_find(wf, c->state);
	struct workflow_deadline_status *d;
	size_t max = workflow_deadline_count(wf), n = 0, i;

	c->final = state && state->final;
	if (!max)
		return;
	d = calloc(max, sizeof(*d));
	if (!d)
		die("out of memory");
	if (events_deadlines(inst->db, wfs, c->id, now, d, max, &n) == 0) {
		for (i = 0; i < n; i++) {
			enum deadline_verdict v = workflow_deadline_verdict(&d[i],
			                                                    now, soon);

			if (v != DEADLINE_OPEN && v != DEADLINE_DUE_SOON &&
			    v != DEADLINE_OVERDUE)
				continue;
			if (v == DEADLINE_OVERDUE)
				c->overdue = 1;
			if (!c->next_due || d[i].due < c->next_due) {
				c->next_due = d[i].due;
				c->verdict = v;
			}
		}
	}
	free(d);
}

void
case_status(struct installation *inst, const struct workflows *wfs,
            struct case_summary *c, time_t now, unsigned soon)
{
	add_deadlines(inst, wfs, c, now, soon);
}

static int
compare_cases(const void *pa, const void *pb)
{
	const struct case_summary *a = pa, *b = pb;

	if (a->overdue != b->overdue)
		return b->overdue - a->overdue;
	if ((a->next_due != 0) != (b->next_due != 0))
		return a->next_due ? -1 : 1;
	if (a->next_due != b->next_due)
		return a->next_due < b->next_due ? -1 : 1;
	return a->id < b->id ? 1 : (a->id > b->id ? -1 : 0);
}

int
case_inbox(struct installation *inst, const struct workflows *wfs,
           enum report_type t, const struct ring_key *key,
           const struct inbox_filter *filter, time_t now, unsigned soon,
           struct case_summary **out, size_t *n)
{
	struct case_summary *v = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT " SUMMARY_COLUMNS
	               " FROM reports r LEFT JOIN users u ON u.id = r.assignee"
	               " WHERE r.type = :type"
	               " AND (:state IS NULL OR r.state = :state)"
	               " ORDER BY r.id DESC") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(t)) < 0 ||
	    stmt_bind_text(st, ":state", filter ? filter->state : NULL) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		uint8_t locator[RECEIPT_LOCATOR_LEN];
		const void *p;
		size_t len, slen;

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 32);
		fill_summary(st, &v[count]);
		p = stmt_blob(st, 6, &len);
		if (len != sizeof(locator))
			continue;
		memcpy(locator, p, len);
		p = stmt_is_null(st, 7) ? NULL : stmt_blob(st, 7, &slen);
		read_phenomenon(p, p ? slen : 0, locator, key, v[count].phenomenon);
		if (filter && filter->phenomenon && filter->phenomenon[0] &&
		    strcmp(filter->phenomenon, v[count].phenomenon) != 0)
			continue;
		count++;
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
	/* Deadlines read the events: outside the statement above. */
	{
		size_t i, kept = 0;

		for (i = 0; i < count; i++) {
			add_deadlines(inst, wfs, &v[i], now, soon);
			if (filter && filter->overdue_only && !v[i].overdue)
				continue;
			if (filter && filter->open_only && v[i].final)
				continue;
			v[kept++] = v[i];
		}
		count = kept;
	}
	if (count)	/* qsort(NULL, 0, ...) is undefined */
		qsort(v, count, sizeof(*v), compare_cases);
	*out = v;
	*n = count;
	return 0;
}

int
case_get(struct installation *inst, int64_t id, struct case_summary *out)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT " SUMMARY_COLUMNS
	               " FROM reports r LEFT JOIN users u ON u.id = r.assignee"
	               " WHERE r.id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE)
		ret = 1;
	else if (rc == DB_ROW) {
		fill_summary(st, out);
		ret = 0;
	}
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	return ret;
}

/*
 * The content of report id, opened with key, with its identity put back
 * in (content.h); not audited. 0 or -1.
 */
static int
case_content(struct installation *inst, int64_t id, const struct ring_key *key,
             struct secret **out)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];

	*out = NULL;
	if (load_locator(inst->db, id, locator, NULL) < 0)
		return -1;
	return report_content_open(inst, id, locator, key->pk, key->sk, out);
}

int
case_read(struct installation *inst, int64_t id, const struct ring_key *key,
          const char *actor, struct secret **out)
{
	return case_read_seen(inst, id, key, actor, 0, out);
}

/* Every message of report id is seen by user (case.h). */
static int
mark_seen(struct db *db, int64_t id, int64_t user)
{
	struct stmt *st = NULL;
	int ok;

	ok = db_prepare(db, &st, "INSERT INTO case_reads (report_id, user_id,"
	                " message_id) SELECT :report, :user, coalesce(max(id), 0)"
	                " FROM messages WHERE report_id = :report"
	                " ON CONFLICT (report_id, user_id) DO UPDATE"
	                " SET message_id = excluded.message_id") == 0 &&
	     stmt_bind_int(st, ":report", id) == 0 &&
	     stmt_bind_int(st, ":user", user) == 0 && stmt_run(st) == 0;
	stmt_finalize(st);
	return ok ? 0 : -1;
}

int
case_read_seen(struct installation *inst, int64_t id,
               const struct ring_key *key, const char *actor, int64_t user,
               struct secret **out)
{
	char object[32], cn[CASE_NUMBER_LEN + 1];

	if (case_content(inst, id, key, out) < 0)
		return -1;
	if (!case_label(inst->db, id, cn))
		goto fail;
	snprintf(object, sizeof(object), "report %s", cn);
	/* The mark and the audited read: both or neither. */
	if (db_begin(inst->db) < 0)
		goto fail;
	if ((user && mark_seen(inst->db, id, user) < 0) ||
	    audit_append(inst->db, actor, "report-read", object) < 0) {
		db_rollback(inst->db);
		goto fail;
	}
	if (db_commit(inst->db) < 0)
		goto fail;
	return 0;
fail:
	secret_free(*out);
	*out = NULL;
	return -1;
}

int
case_reporter_address(struct installation *inst, int64_t id,
                      const struct ring_key *key, char *out, size_t size)
{
	struct secret *content = NULL;

	out[0] = '\0';
	if (case_content(inst, id, key, &content) < 0)
		return -1;
	case_answer_text(content, "reporter_email", out, size);
	if (out[0] && !outbox_address_valid(out))
		out[0] = '\0';
	secret_free(content);
	return 0;
}

int
case_attachments(struct installation *inst, int64_t id,
                 const struct ring_key *key, struct attachment_view **out,
                 size_t *n)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];

	if (load_locator(inst->db, id, locator, NULL) < 0)
		return -1;
	return attachments_open(inst, id, locator, key->pk, key->sk, 1, out, n);
}

int
case_messages(struct installation *inst, int64_t id, const struct ring_key *key,
              struct message_view **out, size_t *n)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];

	if (load_locator(inst->db, id, locator, NULL) < 0)
		return -1;
	return messages_open(inst, id, locator, key->pk, key->sk, out, n);
}

int
case_oral(struct installation *inst, int64_t id, const struct ring_key *key,
          struct oral_record *out)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];

	memset(out, 0, sizeof(*out));
	if (load_locator(inst->db, id, locator, NULL) < 0)
		return -1;
	return oral_open(inst, id, locator, key->pk, key->sk, out);
}

int
case_note_add(struct installation *inst, int64_t id, const char *actor,
              const char *text, size_t len)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	char now[CLOCK_TEXT_LEN + 1], object[64], cn[CASE_NUMBER_LEN + 1];
	uint8_t seal_id[ROWAD_ID_LEN];
	enum report_type type;
	struct buf ad = BUF_INIT;
	struct stmt *st = NULL;
	uint8_t *env = NULL;
	size_t envlen;
	int own, rc, ret = -1;

	if (load_locator(inst->db, id, locator, &type) < 0 ||
	    keyrings_public_key(inst->db, report_type_keyring(type), pk) < 0)
		return -1;
	/* Only the keyring: a note is never shown to the reporter. */
	rowad_new_id(seal_id);
	rowad_make(&ad, locator, sizeof(locator), ROWAD_NOTE, seal_id, actor);
	rc = envelope_seal((const uint8_t *)text, len, &pad_text,
	                   (const uint8_t *)ad.data, ad.len,
	                   (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])pk, 1, &env,
	                   &envlen);
	buf_release(&ad);
	if (rc < 0)
		return error("could not encrypt a note");
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0) {
		free(env);
		return -1;
	}
	if (db_prepare(inst->db, &st, "INSERT INTO notes (report_id, at, author,"
	               " body, seal_id) VALUES (:id, :at, :author, :body,"
	               " :seal)") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_bind_blob(st, ":seal", seal_id, sizeof(seal_id)) < 0 ||
	    stmt_bind_text(st, ":at", now) < 0 ||
	    stmt_bind_text(st, ":author", actor) < 0 ||
	    stmt_bind_blob(st, ":body", env, envlen) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	/* A read does not change the last row id. */
	if (!case_label(inst->db, id, cn))
		goto out;
	snprintf(object, sizeof(object), "report %s note %lld", cn,
	         (long long)db_last_id(inst->db));
	if (audit_append(inst->db, actor, "note-create", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	free(env);
	return db_leave(inst->db, own, ret == 0);
}

int
case_notes(struct installation *inst, int64_t id, const struct ring_key *key,
           struct note_view **out, size_t *n)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	struct note_view *v = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	if (load_locator(inst->db, id, locator, NULL) < 0)
		return -1;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT id, at, author, body, seal_id"
	               " FROM notes WHERE report_id = :id ORDER BY id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct buf ad = BUF_INIT;
		size_t envlen, idlen = 0;
		const void *env = stmt_blob(st, 3, &envlen);
		const void *seal_id = stmt_is_null(st, 4) ? NULL
		                      : stmt_blob(st, 4, &idlen);

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		memset(&v[count], 0, sizeof(v[count]));
		v[count].id = stmt_int(st, 0);
		snprintf(v[count].at, sizeof(v[count].at), "%s", stmt_text(st, 1));
		snprintf(v[count].author, sizeof(v[count].author), "%s",
		         stmt_text(st, 2));
		rc = rowad_open(&ad, locator, RECEIPT_LOCATOR_LEN,
		                ROWAD_NOTE, seal_id, idlen, stmt_text(st, 2));
		if (rc < 0 || envelope_open(env, envlen, (const uint8_t *)ad.data,
		                            ad.len, key->pk, key->sk,
		                            &v[count].body) < 0) {
			buf_release(&ad);
			count++;
			error("a note of report %lld does not open", (long long)id);
			goto out;
		}
		buf_release(&ad);
		count++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret < 0) {
		notes_release(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void
notes_release(struct note_view *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		secret_free(v[i].body);
	free(v);
}

/*
 * The accounts that hold keyring ring, are active and have a role, with
 * their roles as "a b"; the caller keeps those whose roles handle it.
 */
#define ASSIGNEES_SQL "SELECT u.username, u.display_name," \
	" (SELECT group_concat(r.role, ' ') FROM user_roles r" \
	"  WHERE r.user_id = u.id) FROM users u" \
	" JOIN keyring_members m ON m.user_id = u.id" \
	" JOIN keyrings k ON k.id = m.keyring_id" \
	" WHERE k.name = :ring AND u.disabled = 0"

/* The roles of "a b" as bits. */
static unsigned
roles_of_words(const char *words)
{
	char one[32];
	unsigned roles = 0;
	size_t n;

	while (words && *words) {
		n = strcspn(words, " ");
		if (n < sizeof(one)) {
			memcpy(one, words, n);
			one[n] = '\0';
			roles |= role_parse(one);
		}
		words += n;
		words += strspn(words, " ");
	}
	return roles;
}

int
case_assignees(struct installation *inst, enum report_type t,
               struct case_assignee **out, size_t *n)
{
	const char *ring = report_type_keyring(t);
	struct case_assignee *v = NULL;
	size_t count = 0, cap = 0;
	struct stmt *st = NULL;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, ASSIGNEES_SQL " ORDER BY u.username") < 0 ||
	    stmt_bind_text(st, ":ring", ring) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (!keyrings_role_handles(roles_of_words(stmt_text(st, 2)),
		                           ring))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		snprintf(v[count].username, sizeof(v[count].username), "%s",
		         stmt_text(st, 0));
		snprintf(v[count].display_name, sizeof(v[count].display_name),
		         "%s", stmt_text(st, 1));
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
	free(v);
	return ret;
}

int
case_assign(struct installation *inst, int64_t id, const char *username,
            const char *actor)
{
	const char *name = username && *username ? username : NULL;
	struct case_summary c;
	struct stmt *st = NULL;
	const char *ring;
	char object[128], cn[CASE_NUMBER_LEN + 1];
	int own, rc, ok = 1, ret = -1;

	rc = case_get(inst, id, &c);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	ring = report_type_keyring(c.type);
	if (db_join(inst->db, &own) < 0)
		return -1;
	/* Inside the write: a grant revoked or a role changed counts. */
	if (name) {
		if (db_prepare(inst->db, &st, ASSIGNEES_SQL
		               " AND u.username = :name") < 0 ||
		    stmt_bind_text(st, ":ring", ring) < 0 ||
		    stmt_bind_text(st, ":name", name) < 0)
			goto out;
		rc = stmt_step(st);
		if (rc < 0)
			goto out;
		ok = rc == DB_ROW && keyrings_role_handles(
			roles_of_words(stmt_text(st, 2)), ring);
		stmt_finalize(st);
		st = NULL;
	}
	if (!ok) {
		log_info("cannot assign report %lld to %s: not an active handler"
		         " with its keyring", (long long)id, name);
		ret = 1;
		goto out;
	}
	if (db_prepare(inst->db, &st, "UPDATE reports SET assignee ="
	               " (SELECT id FROM users WHERE username = :name"
	               "  AND disabled = 0) WHERE id = :id") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_run(st) < 0 || db_changes(inst->db) != 1)
		goto out;
	if (!case_label(inst->db, id, cn))
		goto out;
	snprintf(object, sizeof(object), "report %s to %.64s", cn,
	         name ? name : "nobody");
	if (audit_append(inst->db, actor, "report-assign", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	if (db_leave(inst->db, own, ret == 0) < 0 && ret == 0)
		ret = -1;
	return ret;
}

int
case_link(struct installation *inst, int64_t a, int64_t b, const char *actor)
{
	struct case_summary ca, cb;
	char now[CLOCK_TEXT_LEN + 1], object[64], cn[CASE_NUMBER_LEN + 1];
	char cn2[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (a == b || case_get(inst, a, &ca) != 0 || case_get(inst, b, &cb) != 0 ||
	    ca.type != cb.type)
		return 1;
	if (a > b) {
		int64_t t = a;

		a = b;
		b = t;
	}
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0)
		return -1;
	if (db_prepare(inst->db, &st, "INSERT OR IGNORE INTO report_links"
	               " (a, b, at, author) VALUES (:a, :b, :at, :author)") < 0 ||
	    stmt_bind_int(st, ":a", a) < 0 || stmt_bind_int(st, ":b", b) < 0 ||
	    stmt_bind_text(st, ":at", now) < 0 ||
	    stmt_bind_text(st, ":author", actor) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (!case_label(inst->db, a, cn) || !case_label(inst->db, b, cn2))
		goto out;
	snprintf(object, sizeof(object), "report %s and %s", cn, cn2);
	if (audit_append(inst->db, actor, "report-link", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(inst->db, own, ret == 0);
}

int
case_links(struct installation *inst, int64_t id, int64_t *out, size_t max,
           size_t *n)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT CASE WHEN a = :id THEN b ELSE a END"
	               " FROM report_links WHERE a = :id OR b = :id"
	               " ORDER BY 1") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW && *n < max)
		out[(*n)++] = stmt_int(st, 0);
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	return ret;
}
