/*
 * casework.c - a handler's actions on a report (see casework.h).
 *
 * Every action starts at open_case: the report must exist and the actor
 * must hold the keyring of its type, or the refusal is audited here with
 * the action's name. The stores themselves are case.c's, events.c's,
 * message.c's and retention.c's; what this file adds is the order (check,
 * seal, one transaction) and the verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "casework.h"
#include "clock.h"
#include "db.h"
#include "install.h"
#include "log.h"
#include "rowad.h"
#include "users.h"
#include "workflow.h"
#include "workflow_fields.h"

/* An address as long as outbox.c accepts, and then some. */
#define ADDRESS_MAX 320

int
casework_no_keyring(const struct outcome *o)
{
	return o->verdict == VERDICT_REFUSED && o->key &&
	       strcmp(o->key, CASEWORK_NO_KEYRING) == 0;
}

static enum verdict
verdict(struct outcome *o, enum verdict v, const char *key, const char *field)
{
	outcome_set(o, v, key, field);
	return v;
}

/*
 * A refusal, audited as a refused action on object. The refusal stands
 * even when its row cannot be written (logged): nothing was done.
 */
static enum verdict
refuse(struct installation *inst, const struct actor *a, const char *action,
       const char *object, enum verdict v, const char *key, const char *field,
       struct outcome *o)
{
	if (audit_append_result(inst->db, a->name, action, object,
	                        AUDIT_REFUSED) < 0)
		log_warn("the refusal of %s on %s to %s was not audited",
		         action, object, a->name);
	return verdict(o, v, key, field);
}

/*
 * Report id and the actor's key of its keyring. DONE; NOT_FOUND; REFUSED
 * (audited as action on "report N"); FAILED.
 */
static enum verdict
open_case(struct installation *inst, const struct actor *a, int64_t id,
          const char *action, struct case_summary *c, struct ring_key *key,
          struct outcome *o)
{
	const struct actor_ring *ring;
	char object[32];
	int rc;

	memset(o, 0, sizeof(*o));
	if (id < 1)
		return verdict(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
	rc = case_get(inst, id, c);
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1)
		return verdict(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
	ring = actor_ring(a, report_type_keyring(c->type));
	if (!ring) {
		snprintf(object, sizeof(object), "report %s", c->number);
		return refuse(inst, a, action, object, VERDICT_REFUSED,
		              CASEWORK_NO_KEYRING, NULL, o);
	}
	key->pk = ring->pk;
	key->sk = ring->sk;
	return VERDICT_DONE;
}

void
case_view_release(struct case_view *v)
{
	size_t i;

	secret_free(v->content);
	attachments_release(v->files, v->nfiles);
	messages_release(v->messages, v->nmessages);
	notes_release(v->notes, v->nnotes);
	for (i = 0; v->fields && i < v->events.n; i++)
		event_fields_release(&v->fields[i]);
	free(v->fields);
	event_list_release(&v->events);
	meeting_outcomes_release(v->meetings, v->nmeetings);
	free(v->assignees);
	oral_record_release(&v->oral);
	memset(v, 0, sizeof(*v));
}

enum verdict
casework_read(struct installation *inst, const struct actor *a, int64_t id,
              struct case_view *out, struct outcome *o)
{
	struct ring_key key;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (open_case(inst, a, id, "report-read", &out->c, &key, o) !=
	    VERDICT_DONE)
		return o->verdict;
	/* The audited read last: no row for a read that then failed. */
	if (case_attachments(inst, id, &key, &out->files, &out->nfiles) < 0 ||
	    case_messages(inst, id, &key, &out->messages,
	                  &out->nmessages) < 0 ||
	    case_notes(inst, id, &key, &out->notes, &out->nnotes) < 0 ||
	    case_oral(inst, id, &key, &out->oral) < 0 ||
	    events_list(inst->db, id, &out->events) < 0 ||
	    case_links(inst, id, out->links, CASEWORK_LINKS_MAX,
	               &out->nlinks) < 0 ||
	    retention_hold_get(inst, id, &out->hold) != 0 ||
	    (out->c.type == REPORT_SIGNAL &&
	     meeting_outcomes(inst, id, &key, &out->meetings,
	                      &out->nmeetings) < 0) ||
	    case_assignees(inst, out->c.type, &out->assignees,
	                   &out->nassignees) < 0 ||
	    case_read_seen(inst, id, &key, a->name, a->user_id,
	                   &out->content) < 0)
		goto fail;
	out->fields = calloc(out->events.n + 1, sizeof(*out->fields));
	if (!out->fields)
		die("out of memory");
	/* Fields that do not open (a damaged row) are shown as none. */
	for (i = 0; i < out->events.n; i++)
		events_open_fields(id, &out->events.items[i], key.pk, key.sk,
		                   &out->fields[i]);
	return verdict(o, VERDICT_DONE, NULL, NULL);
fail:
	case_view_release(out);
	return verdict(o, VERDICT_FAILED, NULL, NULL);
}

enum verdict
casework_file(struct installation *inst, const struct actor *a, int64_t id,
              int64_t file, struct attachment_view **files, size_t *n,
              size_t *which, struct outcome *o)
{
	struct case_summary c;
	struct ring_key key;
	char object[64];
	size_t i;

	*files = NULL;
	*n = 0;
	if (open_case(inst, a, id, "file-read", &c, &key, o) != VERDICT_DONE)
		return o->verdict;
	if (case_attachments(inst, id, &key, files, n) < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	for (i = 0; i < *n && (*files)[i].id != file; i++)
		;
	if (i == *n)
		goto not_found;
	snprintf(object, sizeof(object), "report %s file %lld", c.number,
	         (long long)file);
	if (audit_append(inst->db, a->name, "file-read", object) < 0) {
		attachments_release(*files, *n);
		*files = NULL;
		*n = 0;
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	}
	*which = i;
	return verdict(o, VERDICT_DONE, NULL, NULL);
not_found:
	attachments_release(*files, *n);
	*files = NULL;
	*n = 0;
	return verdict(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
}

/* What a workflow refusal is as a verdict. */
static enum verdict
step_verdict(enum workflow_refusal r)
{
	switch (r) {
	case WORKFLOW_OK: return VERDICT_DONE;
	case WORKFLOW_NO_REPORT: return VERDICT_NOT_FOUND;
	case WORKFLOW_ROLE: return VERDICT_REFUSED;
	case WORKFLOW_STALE: return VERDICT_STALE;
	default: return VERDICT_INVALID;
	}
}

/* A refused step: audited as on the pages before (BIO 8.15). */
static enum verdict
refuse_step(struct installation *inst, const struct actor *a, int64_t id,
            const char *name, const struct workflow_verdict *v,
            struct outcome *o)
{
	struct buf object = BUF_INIT;
	char cn[CASE_NUMBER_LEN + 1];

	log_info("report %lld: %s refused: %s", (long long)id, a->name,
	         v->message);
	if (!case_label(inst->db, id, cn))
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	buf_addf(&object, "report %s: %.64s", cn, name);
	refuse(inst, a, "report-transition", object.data,
	       step_verdict(v->reason), v->key, v->field, o);
	o->arg = v->rule;	/* the rule's name points into the workflow */
	buf_release(&object);
	return o->verdict;
}

/*
 * The fields in the form they are stored in (workflow_fields.h: "1250.50"
 * for "1.250,50"): out[i] points into vals[i] for a typed field whose
 * value fits its type, else to the value as given (workflow_check then
 * refuses it). vals holds n buffers; the caller wipes them.
 */
static void
normalize_fields(const struct workflow *wf, const struct workflow_field *in,
                 size_t n, struct workflow_field *out, struct buf *vals)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct workflow_field_def *d =
			workflow_field_def(wf, in[i].name);

		out[i] = in[i];
		vals[i] = (struct buf)BUF_INIT;
		if (d && in[i].value &&
		    workflow_field_normalize(d, in[i].value, &vals[i]) == 0)
			out[i].value = vals[i].data;
	}
}

/* 1 when a rule per case of wf takes a field of t. */
static int
case_rules(const struct workflow *wf, const struct workflow_transition *t)
{
	size_t i;

	for (i = 0; i < workflow_rule_count(wf); i++) {
		const struct workflow_rule *r = workflow_rule_at(wf, i);
		size_t j;

		for (j = 0; r->per_case && j < t->nfields; j++)
			if (strcmp(t->fields[j], r->left) == 0 ||
			    strcmp(t->fields[j], r->right) == 0)
				return 1;
	}
	return 0;
}

/*
 * The rules per case for fields of transition t on report id
 * (workflow_fields_check_case), with the opened fields, as they are now,
 * of the case's other steps in effect (a corrected step: skip, its own
 * id; else 0). 0 (they hold, or there are none), 1 (broken: *v), -1 on
 * error.
 */
static int
check_case_rules(struct installation *inst, const struct workflow *wf,
                 int64_t id, const struct workflow_transition *t,
                 const struct ring_key *key,
                 const struct workflow_field *fields, size_t nfields,
                 int64_t skip, struct workflow_verdict *v)
{
	struct workflow_field *earlier = NULL;
	struct event_fields *opened;
	struct event_list l;
	size_t i, j, n = 0, cap = 0;
	int ret = 0;

	if (!case_rules(wf, t))
		return 0;
	if (events_list(inst->db, id, &l) < 0)
		return -1;
	opened = calloc(l.n + 1, sizeof(*opened));
	if (!opened)
		die("out of memory");
	for (i = 0; i < l.n; i++) {
		if (!events_in_effect(&l, i) || l.items[i].id == skip)
			continue;
		if (events_open_fields(id, &l.items[l.items[i].current],
		                       key->pk, key->sk, &opened[i]) < 0) {
			ret = -1;
			goto out;
		}
		for (j = 0; j < opened[i].n; j++) {
			if (n == cap)
				earlier = buf_grow_array(earlier, &cap,
				                         sizeof(*earlier), 8);
			earlier[n++] = opened[i].items[j];
		}
	}
	if (workflow_fields_check_case(wf, t, fields, nfields, earlier, n,
	                               v) != WORKFLOW_OK)
		ret = 1;
out:
	for (i = 0; i < l.n; i++)
		event_fields_release(&opened[i]);
	free(opened);
	free(earlier);
	event_list_release(&l);
	return ret;
}

enum verdict
casework_step(struct installation *inst, const struct workflows *wfs,
              const struct actor *a, int64_t id, const char *name,
              const struct workflow_field *fields, size_t nfields,
              const char *expect_state, const char *message, size_t len,
              struct outcome *o)
{
	struct workflow_field norm[CASEWORK_FIELDS_MAX];
	struct buf vals[CASEWORK_FIELDS_MAX];
	struct message_sealed m;
	struct workflow_verdict v;
	struct events_step s;
	struct case_summary c;
	struct ring_key key;
	char addr[ADDRESS_MAX];
	int feedback = 0, rc;
	size_t i;

	if (!name)
		name = "";
	if (open_case(inst, a, id, "report-transition", &c, &key, o) !=
	    VERDICT_DONE)
		return o->verdict;
	if (nfields > CASEWORK_FIELDS_MAX)
		return verdict(o, VERDICT_INVALID, "common.too_many_fields",
		               NULL);
	normalize_fields(workflows_get(wfs, c.type), fields, nfields, norm,
	                 vals);
	memset(&m, 0, sizeof(m));
	addr[0] = '\0';
	rc = events_step_prepare(inst, wfs, id, name, a->name, a->roles, norm,
	                         nfields, expect_state, &s, &v);
	if (rc != 0)
		goto out;
	/* The feedback sealed, and its notice's address read, before too. */
	if (s.t->feedback && message && len) {
		feedback = 1;
		if (case_reporter_address(inst, id, &key, addr,
		                          sizeof(addr)) < 0 ||
		    message_seal(inst, id, "handler", message, len, NULL, 0,
		                 &m) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (db_begin(inst->db) < 0) {
		rc = -1;
		goto out;
	}
	/*
	 * The rules per case in the transaction: no other step of the case
	 * can be stored between their check and this one.
	 */
	rc = check_case_rules(inst, workflows_get(wfs, c.type), id, s.t, &key,
	                      norm, nfields, 0, &v);
	if (rc == 0)
		rc = events_step_store(inst, &s, &v);
	if (rc == 0 && feedback &&
	    message_insert(inst, &m, a->name, addr, &o->id) < 0)
		rc = -1;
	if (rc != 0)
		db_rollback(inst->db);
	else if (db_commit(inst->db) < 0)
		rc = -1;
out:
	for (i = 0; i < nfields; i++)
		buf_wipe_release(&vals[i]);
	events_step_release(&s);
	message_sealed_release(&m);
	crypto_wipe(addr, sizeof(addr));
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1)
		return refuse_step(inst, a, id, name, &v, o);
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
casework_message(struct installation *inst, const struct actor *a, int64_t id,
                 const char *text, size_t len, struct outcome *o)
{
	struct message_sealed m;
	struct case_summary c;
	struct ring_key key;
	char addr[ADDRESS_MAX];
	int ok = 0;

	if (open_case(inst, a, id, "message-create", &c, &key, o) !=
	    VERDICT_DONE)
		return o->verdict;
	if (!text || !len)
		return verdict(o, VERDICT_INVALID, "case.message_empty",
		               "message");
	if (case_reporter_address(inst, id, &key, addr, sizeof(addr)) < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (message_seal(inst, id, "handler", text, len, NULL, 0, &m) == 0) {
		if (db_begin(inst->db) == 0) {
			if (message_insert(inst, &m, a->name, addr, &o->id) == 0)
				ok = db_commit(inst->db) == 0;
			else
				db_rollback(inst->db);
		}
		message_sealed_release(&m);
	}
	crypto_wipe(addr, sizeof(addr));
	return ok ? verdict(o, VERDICT_DONE, NULL, NULL)
	          : verdict(o, VERDICT_FAILED, NULL, NULL);
}

enum verdict
casework_note(struct installation *inst, const struct actor *a, int64_t id,
              const char *text, size_t len, struct outcome *o)
{
	struct case_summary c;
	struct ring_key key;

	if (open_case(inst, a, id, "note-create", &c, &key, o) != VERDICT_DONE)
		return o->verdict;
	if (!text || !len)
		return verdict(o, VERDICT_INVALID, "case.note_empty", "note");
	if (case_note_add(inst, id, a->name, text, len) < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
casework_assign(struct installation *inst, const struct actor *a, int64_t id,
                const char *username, struct outcome *o)
{
	struct case_summary c;
	struct ring_key key;
	int rc;

	if (open_case(inst, a, id, "report-assign", &c, &key, o) !=
	    VERDICT_DONE)
		return o->verdict;
	if (username && *username && !users_valid_name(username))
		return verdict(o, VERDICT_INVALID, "case.assign_bad",
		               "assignee");
	rc = case_assign(inst, id, username, a->name);
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1) {
		char object[128];

		snprintf(object, sizeof(object), "report %s to %.64s",
		         c.number, username);
		return refuse(inst, a, "report-assign", object, VERDICT_INVALID,
		              "case.assign_bad", "assignee", o);
	}
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
casework_link(struct installation *inst, const struct actor *a, int64_t id,
              int64_t other, struct outcome *o)
{
	struct case_summary c, oc;
	struct ring_key key;
	int rc;

	if (open_case(inst, a, id, "report-link", &c, &key, o) != VERDICT_DONE)
		return o->verdict;
	rc = other > 0 ? case_get(inst, other, &oc) : 1;
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1 || other == id || oc.type != c.type)
		return verdict(o, VERDICT_INVALID, "case.link_bad", "other");
	rc = case_link(inst, id, other, a->name);
	if (rc != 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

enum verdict
casework_hold(struct installation *inst, const struct actor *a, int64_t id,
              int on, const char *reason, struct outcome *o)
{
	struct case_summary c;
	struct ring_key key;
	int rc;

	if (open_case(inst, a, id, on ? "legal-hold-on" : "legal-hold-off", &c,
	              &key, o) != VERDICT_DONE)
		return o->verdict;
	if (!retention_reason_valid(reason))
		return verdict(o, VERDICT_INVALID, "retention.reason_bad",
		               "reason");
	rc = retention_hold_set(inst, id, on, a->name, reason);
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1)	/* deleted meanwhile (a purge) */
		return verdict(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

/* What the scan of casework_bad_amounts carries. */
struct amount_scan {
	const struct workflow *wf;
	const struct ring_key *key;
	struct bad_amount *items;
	size_t n, cap;
	int failed;
};

static void
scan_amounts(void *arg, int64_t report_id, const struct event *e)
{
	struct amount_scan *sc = arg;
	const struct workflow_transition *t =
		workflow_transition_find(sc->wf, e->transition);
	struct event_fields f;
	int64_t cents;
	size_t i;

	if (!t || events_open_fields(report_id, e, sc->key->pk, sc->key->sk,
	                             &f) < 0) {
		sc->failed |= t != NULL;
		return;
	}
	for (i = 0; i < f.n; i++) {
		const struct workflow_field_def *d =
			workflow_field_def(sc->wf, f.items[i].name);
		struct bad_amount *b;

		if (!d || d->type != WORKFLOW_FIELD_MONEY ||
		    workflow_money_cents(f.items[i].value, &cents) == 0)
			continue;
		if (sc->n == sc->cap)
			sc->items = buf_grow_array(sc->items, &sc->cap,
			                           sizeof(*sc->items), 8);
		b = &sc->items[sc->n++];
		memset(b, 0, sizeof(*b));
		b->report_id = report_id;
		b->event_id = e->id;
		snprintf(b->at, sizeof(b->at), "%s", e->at_text);
		snprintf(b->transition, sizeof(b->transition), "%s", t->name);
		snprintf(b->field, sizeof(b->field), "%s", d->name);
	}
	event_fields_release(&f);
}

enum verdict
casework_bad_amounts(struct installation *inst, const struct workflows *wfs,
                     const struct actor *a, enum report_type type,
                     struct bad_amount **out, size_t *n, struct outcome *o)
{
	const struct actor_ring *ring = actor_ring(a, report_type_keyring(type));
	struct amount_scan sc;
	struct ring_key key;
	char object[48];

	memset(o, 0, sizeof(*o));
	*out = NULL;
	*n = 0;
	snprintf(object, sizeof(object), "reports of type %s",
	         report_type_name(type));
	if (!ring)
		return refuse(inst, a, "amounts-read", object, VERDICT_REFUSED,
		              CASEWORK_NO_KEYRING, NULL, o);
	key.pk = ring->pk;
	key.sk = ring->sk;
	memset(&sc, 0, sizeof(sc));
	sc.wf = workflows_get(wfs, type);
	sc.key = &key;
	if (events_with_fields(inst->db, type, scan_amounts, &sc) < 0 ||
	    audit_append(inst->db, a->name, "amounts-read", object) < 0) {
		free(sc.items);
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	}
	/* A step whose fields do not open (a damaged row) is logged there. */
	if (sc.failed)
		log_warn("%s: the fields of some steps did not open", object);
	*out = sc.items;
	*n = sc.n;
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

/* ---- Corrections and undos (issue 17 point 4) ------------------------ */

/* What a correction or undo is about: the case's events and the step. */
struct change {
	struct events_report r;
	struct event_list l;
	const struct event *e;			/* the step */
	const struct workflow_transition *t;
	char object[96];			/* "report N: step E name" */
};

/*
 * The step step of report id, for action: it must be a step in effect of
 * a transition the workflow knows, that the actor's roles may take. DONE;
 * INVALID "case.step_unknown" (no such step, or undone: field "step");
 * REFUSED (the role, audited); FAILED. On DONE release ch->l.
 */
static enum verdict
change_open(struct installation *inst, const struct workflows *wfs,
            const struct actor *a, int64_t id, int64_t step,
            const char *action, struct change *ch, struct outcome *o)
{
	ptrdiff_t k;
	int rc;

	memset(ch, 0, sizeof(*ch));
	rc = events_report(inst->db, id, &ch->r);
	if (rc != 0)
		return verdict(o, rc == 1 ? VERDICT_NOT_FOUND : VERDICT_FAILED,
		               rc == 1 ? "case.not_found" : NULL, NULL);
	if (events_list(inst->db, id, &ch->l) < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	k = events_find(&ch->l, step);
	if (k < 0 || !events_in_effect(&ch->l, (size_t)k))
		goto unknown;
	ch->e = &ch->l.items[k];
	ch->t = workflow_transition_find(workflows_get(wfs, ch->r.type),
	                                 ch->e->transition);
	if (!ch->t)
		goto unknown;
	snprintf(ch->object, sizeof(ch->object), "report %s: step %lld %.40s",
	         ch->r.number, (long long)step, ch->t->name);
	if (!(ch->t->roles & a->roles)) {
		event_list_release(&ch->l);
		return refuse(inst, a, action, ch->object, VERDICT_REFUSED,
		              "workflow.refused.role", NULL, o);
	}
	return VERDICT_DONE;
unknown:
	event_list_release(&ch->l);
	return verdict(o, VERDICT_INVALID, "case.step_unknown", "step");
}

/* The value of name in f, or NULL. */
static const char *
field_value(const struct event_fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return f->items[i].value;
	return NULL;
}

/*
 * Store a correction or an undo (env/stats sealed for at, the row id
 * seal_id and the actor) and its audit row in one transaction; for a correction the rules per case are checked
 * in it. 0, 1 (the report moved meanwhile: STALE; or a rule broken: *v),
 * -1.
 */
static int
change_store(struct installation *inst, const struct workflow *wf,
             const struct actor *a, const struct change *ch,
             enum event_kind kind, const struct ring_key *key,
             const struct workflow_field *fields, size_t nfields,
             const char *at, const uint8_t seal_id[ROWAD_ID_LEN],
             const char *action, const char *object,
             const uint8_t *env, size_t envlen, const uint8_t *stats,
             size_t statslen, struct workflow_verdict *v)
{
	int rc;

	if (db_begin(inst->db) < 0)
		return -1;
	rc = kind == EVENT_CORRECTION
	     ? check_case_rules(inst, wf, ch->r.id, ch->t, key, fields,
	                        nfields, ch->e->id, v) : 0;
	if (rc == 0) {
		rc = events_store_change(inst->db, ch->r.id, ch->r.state, kind,
		                         ch->e, at, a->name, seal_id, env,
		                         envlen, stats, statslen);
		if (rc == 1) {
			v->reason = WORKFLOW_STALE;
			v->key = workflow_refusal_key(WORKFLOW_STALE);
			v->field = NULL;
		}
	}
	if (rc == 0 && audit_append(inst->db, a->name, action, object) < 0)
		rc = -1;
	if (rc != 0) {
		db_rollback(inst->db);
		return rc;
	}
	return db_commit(inst->db) < 0 ? -1 : 0;
}

enum verdict
casework_correct(struct installation *inst, const struct workflows *wfs,
                 const struct actor *a, int64_t id, int64_t step,
                 const struct workflow_field *fields, size_t nfields,
                 struct outcome *o)
{
	struct workflow_field norm[CASEWORK_FIELDS_MAX];
	struct buf vals[CASEWORK_FIELDS_MAX];
	const struct workflow *wf;
	struct workflow_verdict v;
	struct event_fields now;
	struct case_summary c;
	struct ring_key key;
	struct change ch;
	struct buf object = BUF_INIT;
	char at[CLOCK_TEXT_LEN + 1];
	uint8_t seal_id[ROWAD_ID_LEN];
	uint8_t *env = NULL, *stats = NULL;
	size_t envlen = 0, statslen = 0, i;
	int rc = -1;

	if (open_case(inst, a, id, "report-correct", &c, &key, o) !=
	    VERDICT_DONE)
		return o->verdict;
	if (nfields > CASEWORK_FIELDS_MAX)
		return verdict(o, VERDICT_INVALID, "common.too_many_fields",
		               NULL);
	if (change_open(inst, wfs, a, id, step, "report-correct", &ch, o) !=
	    VERDICT_DONE)
		return o->verdict;
	wf = workflows_get(wfs, c.type);
	memset(&now, 0, sizeof(now));
	normalize_fields(wf, fields, nfields, norm, vals);
	if (!ch.t->nfields) {
		verdict(o, VERDICT_INVALID, "case.correct_no_fields", "step");
		rc = 2;
		goto out;
	}
	/* The fields as for a new step: typed, complete, the rules per step. */
	if (workflow_check_fields(wf, ch.t, norm, nfields, &v) != WORKFLOW_OK) {
		rc = 1;
		goto out;
	}
	if (events_open_fields(id, &ch.l.items[ch.e->current], key.pk, key.sk,
	                       &now) < 0)
		goto out;
	/* Names only in the audit row: a value may be content. */
	buf_adds(&object, ch.object);
	for (i = 0; i < nfields; i++) {
		const char *was = field_value(&now, norm[i].name);

		if (was && strcmp(was, norm[i].value) == 0)
			continue;
		buf_addf(&object, "%s%.64s", object.len == strlen(ch.object) ?
		         ": " : ", ", norm[i].name);
	}
	if (object.len == strlen(ch.object)) {
		verdict(o, VERDICT_INVALID, "case.correct_unchanged", NULL);
		rc = 2;
		goto out;
	}
	clock_format(clock_now(), at);
	/* The correction's own row id and author bind its envelopes. */
	rowad_new_id(seal_id);
	if (events_seal_step(inst->db, &ch.r, ch.t, norm, nfields, at, seal_id,
	                     a->name, &env, &envlen, &stats, &statslen) < 0)
		goto out;
	rc = change_store(inst, wf, a, &ch, EVENT_CORRECTION, &key, norm,
	                  nfields, at, seal_id, "report-correct", object.data,
	                  env, envlen, stats, statslen, &v);
out:
	for (i = 0; i < nfields; i++)
		buf_wipe_release(&vals[i]);
	event_fields_release(&now);
	event_list_release(&ch.l);
	free(env);
	free(stats);
	buf_release(&object);
	if (rc == 2)
		return o->verdict;
	if (rc < 0)
		return verdict(o, VERDICT_FAILED, NULL, NULL);
	if (rc == 1) {
		refuse(inst, a, "report-correct", ch.object,
		       step_verdict(v.reason), v.key, v.field, o);
		o->arg = v.rule;
		return o->verdict;
	}
	return verdict(o, VERDICT_DONE, NULL, NULL);
}

int
casework_reaches_reporter(const struct workflow *wf, const struct event *e)
{
	const struct workflow_transition *t =
		workflow_transition_find(wf, e->transition);
	const struct workflow_state *from = workflow_state_find(wf, e->from);
	const struct workflow_state *to = workflow_state_find(wf, e->to);
	int lang;

	if (!t || t->feedback || !from || !to)
		return 1;
	for (lang = 0; lang < WORKFLOW_LANGS; lang++)
		if (strcmp(from->reporter[lang], to->reporter[lang]) != 0)
			return 1;
	return 0;
}

/* 1 when s holds something besides white space. */
static int
not_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 1;
	return 0;
}

enum verdict
casework_undo(struct installation *inst, const struct workflows *wfs,
              const struct actor *a, int64_t id, int64_t step,
              const char *reason, struct outcome *o)
{
	const struct workflow *wf;
	struct workflow_verdict v;
	struct case_summary c;
	struct ring_key key;
	struct change ch;
	struct buf object = BUF_INIT;
	char at[CLOCK_TEXT_LEN + 1];
	uint8_t seal_id[ROWAD_ID_LEN];
	uint8_t *env = NULL;
	size_t envlen = 0;
	int rc = -1;

	if (open_case(inst, a, id, "report-undo", &c, &key, o) != VERDICT_DONE)
		return o->verdict;
	if (!not_blank(reason) || strlen(reason) > WORKFLOW_FIELD_VALUE_MAX)
		return verdict(o, VERDICT_INVALID, "case.undo_reason", "reason");
	if (change_open(inst, wfs, a, id, step, "report-undo", &ch, o) !=
	    VERDICT_DONE)
		return o->verdict;
	wf = workflows_get(wfs, c.type);
	memset(&v, 0, sizeof(v));
	if (events_last_step(&ch.l) != ch.e - ch.l.items) {
		refuse(inst, a, "report-undo", ch.object, VERDICT_INVALID,
		       "case.undo_not_last", "step", o);
		goto done;
	}
	if (casework_reaches_reporter(wf, ch.e)) {
		refuse(inst, a, "report-undo", ch.object, VERDICT_INVALID,
		       "case.undo_reporter", "step", o);
		goto done;
	}
	/* The state the step led to must be where the case is now. */
	if (strcmp(ch.r.state, ch.e->to) != 0) {
		verdict(o, VERDICT_STALE, workflow_refusal_key(WORKFLOW_STALE),
		        NULL);
		goto done;
	}
	clock_format(clock_now(), at);
	buf_addf(&object, "%s: %s -> %s", ch.object, ch.e->to, ch.e->from);
	rowad_new_id(seal_id);
	if (events_seal_reason(inst->db, &ch.r, ch.t->name, at, seal_id,
	                       a->name, reason, &env, &envlen) == 0)
		rc = change_store(inst, wf, a, &ch, EVENT_UNDO, &key, NULL, 0, at,
		                  seal_id, "report-undo", object.data, env, envlen,
		                  NULL, 0, &v);
	if (rc < 0)
		verdict(o, VERDICT_FAILED, NULL, NULL);
	else if (rc == 1)
		verdict(o, VERDICT_STALE, v.key, NULL);
	else
		verdict(o, VERDICT_DONE, NULL, NULL);
done:
	event_list_release(&ch.l);
	free(env);
	buf_release(&object);
	return o->verdict;
}
