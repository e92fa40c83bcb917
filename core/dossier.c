/*
 * dossier.c - a case opened for printing, exporting or handing off, its
 * document and its archive (see dossier.h).
 *
 * The document is built with jansson, whose blocks are wiped when freed
 * (form.c), and measured before it is written into the caller's buffer,
 * so no copy of the content is left in memory that is not wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "casenumber.h"
#include "content.h"
#include "crypto.h"
#include "db.h"
#include "dossier.h"
#include "events.h"
#include "form.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "zipfile.h"

/*
 * The audit object of a use: "report CASENUMBER" (casenumber.h), and what
 * it took beyond the rest.
 */
static void
audit_object(const struct dossier_input *in, const char *number, char *out,
             size_t size)
{
	snprintf(out, size, "report %s%s%s%s", number,
	         in->notes ? " with notes" : "",
	         in->identity ? " with identity" : "",
	         in->answers || in->files ? " (a selection)" : "");
}

/* Keep only the files in->files names (all when it is NULL). */
static void
select_files(struct case_view *v, const struct dossier_input *in)
{
	size_t i, k, kept = 0;

	if (!in->files)
		return;
	for (i = 0; i < v->nfiles; i++) {
		for (k = 0; k < in->nfiles; k++)
			if (in->files[k] == v->files[i].id)
				break;
		if (k == in->nfiles) {
			secret_free(v->files[i].plain);
			continue;
		}
		v->files[kept++] = v->files[i];
	}
	v->nfiles = kept;
}

/* The content as chosen: without identity unless asked, maybe a selection. */
static int
select_content(struct case_view *v, const struct dossier_input *in)
{
	struct secret *c = NULL;

	if (!in->identity) {
		if (!forms_get(v->c.type))
			return error("the forms are not loaded");
		if (content_withheld(forms_get(v->c.type), v->content->bytes,
		                     v->content->len, &c) < 0)
			return -1;
		secret_free(v->content);
		v->content = c;
	}
	if (in->answers) {
		if (content_select(v->content->bytes, v->content->len,
		                   in->answers, in->nanswers, &c) < 0)
			return -1;
		secret_free(v->content);
		v->content = c;
	}
	return 0;
}

void
dossier_release(struct dossier *d)
{
	case_view_release(&d->v);
	free(d->deadlines);
	free(d->link_numbers);
	memset(d, 0, sizeof(*d));
}

/* Open the case as in chooses; audit in->action when audit is set. */
static enum verdict
open_for(struct installation *inst, const struct workflows *wfs,
         const struct actor *a, const struct dossier_input *in, time_t now,
         int audit, struct dossier *out, struct outcome *o)
{
	const char *action = in->action ? in->action : DOSSIER_EXPORT;
	const struct workflow *wf;
	struct case_summary c;
	const char *ring;
	char object[96];
	size_t max, i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(o, 0, sizeof(*o));
	rc = in->report_id > 0 ? case_get(inst, in->report_id, &c) : 1;
	if (rc < 0) {
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
		return o->verdict;
	}
	if (rc == 1) {
		outcome_set(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
		return o->verdict;
	}
	audit_object(in, c.number, object, sizeof(object));
	/* The keyring, and a role that works with it: not a meeting member. */
	ring = report_type_keyring(c.type);
	if (!actor_ring(a, ring) || !keyrings_role_handles(a->roles, ring)) {
		if (audit_append_result(inst->db, a->name, action, object,
		                        AUDIT_REFUSED) < 0)
			log_warn("the refusal of %s on %s to %s was not audited",
			         action, object, a->name);
		outcome_set(o, VERDICT_REFUSED, CASEWORK_NO_KEYRING, NULL);
		return o->verdict;
	}
	if (casework_read(inst, a, in->report_id, &out->v, o) != VERDICT_DONE)
		return o->verdict;
	/* Linked cases by their numbers too, never their rows. */
	out->link_numbers = calloc(out->v.nlinks + 1,
	                           sizeof(*out->link_numbers));
	if (!out->link_numbers)
		die("out of memory");
	for (i = 0; i < out->v.nlinks; i++)
		case_label(inst->db, out->v.links[i], out->link_numbers[i]);
	out->now = now;
	out->due_soon = in->due_soon;
	out->notes = in->notes;
	out->identity = in->identity;
	if (!in->notes) {
		notes_release(out->v.notes, out->v.nnotes);
		out->v.notes = NULL;
		out->v.nnotes = 0;
	}
	select_files(&out->v, in);
	if (select_content(&out->v, in) < 0)
		goto fail;
	case_status(inst, wfs, &out->v.c, now, in->due_soon);
	wf = workflows_get(wfs, c.type);
	max = wf ? workflow_deadline_count(wf) : 0;
	out->deadlines = calloc(max + 1, sizeof(*out->deadlines));
	if (!out->deadlines)
		die("out of memory");
	if (max && events_deadlines(inst->db, wfs, in->report_id, now,
	                            out->deadlines, max, &out->ndeadlines) < 0)
		goto fail;
	if (audit && audit_append(inst->db, a->name, action, object) < 0)
		goto fail;
	outcome_set(o, VERDICT_DONE, NULL, NULL);
	return o->verdict;
fail:
	dossier_release(out);
	outcome_set(o, VERDICT_FAILED, NULL, NULL);
	return o->verdict;
}

enum verdict
dossier_open(struct installation *inst, const struct workflows *wfs,
             const struct actor *a, const struct dossier_input *in, time_t now,
             struct dossier *out, struct outcome *o)
{
	return open_for(inst, wfs, a, in, now, !in->audit_later, out, o);
}

/* ---- The document ----------------------------------------------------- */

/* Set key of obj to v (taken); -1 when v is NULL or the set fails. */
static int
put(json_t *obj, const char *key, json_t *v)
{
	return v && json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

static json_t *
text_of(const struct secret *s)
{
	return json_stringn((const char *)s->bytes, s->len);
}

/* The time t as stored text, or null for 0. */
static json_t *
time_of(time_t t)
{
	char text[CLOCK_TEXT_LEN + 1];

	if (!t)
		return json_null();
	clock_format(t, text);
	return json_string(text);
}

static const char *
state_name(enum workflow_deadline_state s)
{
	switch (s) {
	case WORKFLOW_DEADLINE_PENDING:
		return "pending";
	case WORKFLOW_DEADLINE_OVERDUE:
		return "overdue";
	case WORKFLOW_DEADLINE_MET:
		return "met";
	case WORKFLOW_DEADLINE_STOPPED:
	default:
		return "stopped";
	}
}

/*
 * Append e to arr when ok, else drop both; NULL once anything failed
 * (json_array_append_new takes e either way).
 */
static json_t *
append(json_t *arr, json_t *e, int ok)
{
	if (!ok) {
		json_decref(e);
		json_decref(arr);
		return NULL;
	}
	if (json_array_append_new(arr, e) < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *
deadlines_of(const struct dossier *d)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; arr && i < d->ndeadlines; i++) {
		const struct workflow_deadline_status *s = &d->deadlines[i];

		e = json_object();
		arr = append(arr, e,
		    put(e, "name", json_string(s->deadline->name)) == 0 &&
		    put(e, "label", json_string(s->deadline->label[0])) == 0 &&
		    put(e, "due", time_of(s->due)) == 0 &&
		    put(e, "done_at", time_of(s->done_at)) == 0 &&
		    put(e, "state", json_string(state_name(s->state))) == 0 &&
		    put(e, "late", json_boolean(s->late)) == 0 &&
		    put(e, "verdict", json_string(deadline_verdict_name(
		        workflow_deadline_verdict(s, d->now, d->due_soon)))) == 0);
	}
	return arr;
}

static json_t *
events_of(const struct case_view *v)
{
	json_t *arr = json_array(), *e, *fields;
	size_t i, k, n;

	for (i = 0; arr && i < v->events.n; i++) {
		const struct event *ev = &v->events.items[i];

		n = v->fields[i].n;
		fields = json_object();
		for (k = 0; fields && k < n; k++)
			if (put(fields, v->fields[i].items[k].name,
			        json_string(v->fields[i].items[k].value)) < 0)
				break;
		if (k < n) {
			json_decref(fields);
			fields = NULL;
		}
		e = json_object();
		/* fields first: put takes it, whatever follows. */
		arr = append(arr, e, put(e, "fields", fields) == 0 &&
		    put(e, "at", json_string(ev->at_text)) == 0 &&
		    put(e, "actor", json_string(ev->actor)) == 0 &&
		    put(e, "transition", json_string(ev->transition)) == 0 &&
		    put(e, "from", json_string(ev->from)) == 0 &&
		    put(e, "to", json_string(ev->to)) == 0);
	}
	return arr;
}

static json_t *
messages_of(const struct case_view *v)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; arr && i < v->nmessages; i++) {
		e = json_object();
		arr = append(arr, e,
		    put(e, "at", json_string(v->messages[i].at)) == 0 &&
		    put(e, "from", json_string(v->messages[i].from_reporter
		                               ? "reporter" : "handler")) == 0 &&
		    put(e, "text", text_of(v->messages[i].body)) == 0);
	}
	return arr;
}

static json_t *
notes_of(const struct case_view *v)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; arr && i < v->nnotes; i++) {
		e = json_object();
		arr = append(arr, e,
		    put(e, "at", json_string(v->notes[i].at)) == 0 &&
		    put(e, "author", json_string(v->notes[i].author)) == 0 &&
		    put(e, "text", text_of(v->notes[i].body)) == 0);
	}
	return arr;
}

static json_t *
meetings_of(const struct case_view *v)
{
	json_t *arr = json_array(), *e;
	size_t i;

	for (i = 0; arr && i < v->nmeetings; i++) {
		const struct meeting_outcome *m = &v->meetings[i];

		e = json_object();
		arr = append(arr, e,
		    put(e, "meeting", json_integer(m->meeting_id)) == 0 &&
		    put(e, "held_on", json_string(m->held_on)) == 0 &&
		    put(e, "updated_by", json_string(m->updated_by)) == 0 &&
		    put(e, "enrichment", text_of(m->enrichment)) == 0 &&
		    put(e, "decision", text_of(m->decision)) == 0 &&
		    put(e, "next", json_string(m->next)) == 0);
	}
	return arr;
}

/*
 * The name of file f in the archive: files/ID-NAME, the name cut to
 * letters, digits, '.', '-' and '_' (others, a leading dot and a dot
 * after a dot become '_'), so any name a reporter gave makes a safe
 * entry.
 */
static void
file_path(const struct attachment_view *f, char out[ZIPFILE_NAME_MAX + 1])
{
	size_t o, i;
	int n;

	n = snprintf(out, ZIPFILE_NAME_MAX + 1, DOSSIER_FILES_DIR "%lld-",
	             (long long)f->id);
	o = n > 0 ? (size_t)n : 0;
	for (i = 0; f->name && f->name[i] && o < ZIPFILE_NAME_MAX - 8; i++) {
		char ch = f->name[i];

		/* A dot neither first nor after a dot: never "..". */
		out[o] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		         (ch == '.' && i > 0 && out[o - 1] != '.') ? ch : '_';
		o++;
	}
	if (!f->name || !f->name[0])
		out[o++] = '_';
	out[o] = '\0';
}

static json_t *
files_of(const struct case_view *v)
{
	uint8_t hash[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1], path[ZIPFILE_NAME_MAX + 1];
	json_t *arr = json_array(), *e;
	size_t i, k;

	for (i = 0; arr && i < v->nfiles; i++) {
		const struct attachment_view *f = &v->files[i];

		crypto_sha256(hash, f->data, f->len);
		for (k = 0; k < sizeof(hash); k++)
			snprintf(hex + 2 * k, 3, "%02x", hash[k]);
		file_path(f, path);
		e = json_object();
		arr = append(arr, e,
		    put(e, "id", json_integer(f->id)) == 0 &&
		    put(e, "name", json_string(f->name ? f->name : "")) == 0 &&
		    put(e, "type", json_string(f->type ? f->type : "")) == 0 &&
		    put(e, "size", json_integer((json_int_t)f->len)) == 0 &&
		    put(e, "sha256", json_string(hex)) == 0 &&
		    put(e, "path", json_string(path)) == 0);
	}
	return arr;
}

static json_t *
report_of(const struct dossier *d)
{
	const struct case_view *v = &d->v;
	json_t *r = json_object(), *links = json_array(), *hold = json_object();
	size_t i;
	int ok;

	for (i = 0; links && i < v->nlinks; i++)
		if (json_array_append_new(links,
		                          json_string(d->link_numbers[i])) < 0)
			break;
	if (i < v->nlinks) {
		json_decref(links);
		links = NULL;
	}
	/* links and hold first: put takes them, whatever follows. */
	ok = put(r, "links", links) == 0;
	ok = put(r, "legal_hold", hold) == 0 && ok &&
	     put(hold, "on", json_boolean(v->hold.on)) == 0 &&
	     (!v->hold.on ||
	      (put(hold, "reason", json_string(v->hold.reason)) == 0 &&
	       put(hold, "by", json_string(v->hold.by)) == 0 &&
	       put(hold, "since", json_string(v->hold.since)) == 0)) &&
	     put(r, "id", json_string(v->c.number)) == 0 &&
	     put(r, "type", json_string(report_type_name(v->c.type))) == 0 &&
	     put(r, "state", json_string(v->c.state)) == 0 &&
	     put(r, "received_on", json_string(v->c.received_on)) == 0 &&
	     put(r, "source", json_string(v->c.source)) == 0 &&
	     put(r, "assignee", json_string(v->c.assignee)) == 0;
	if (!ok) {
		json_decref(r);
		return NULL;
	}
	return r;
}

int
dossier_json(const struct dossier *d, const struct workflows *wfs,
             const char *made_by, struct buf *out)
{
	json_t *doc = json_object(), *content;
	json_error_t jerr;
	size_t len;
	int ret = -1;

	(void)wfs;
	content = json_loadb((const char *)d->v.content->bytes,
	                     d->v.content->len, 0, &jerr);
	if (!content) {
		error("a report's content is not a JSON document");
		goto out;
	}
	/* First, so that it is owned by doc (or freed) whatever follows. */
	if (!doc || put(doc, "content", content) < 0) {
		if (!doc)
			json_decref(content);
		goto out;
	}
	if (put(doc, "format", json_integer(DOSSIER_FORMAT)) < 0 ||
	    put(doc, "made_at", time_of(d->now)) < 0 ||
	    put(doc, "made_by", json_string(made_by)) < 0 ||
	    put(doc, "notes_included", json_boolean(d->notes)) < 0 ||
	    put(doc, "identity_included", json_boolean(d->identity)) < 0 ||
	    put(doc, "report", report_of(d)) < 0 ||
	    put(doc, "deadlines", deadlines_of(d)) < 0 ||
	    put(doc, "events", events_of(&d->v)) < 0 ||
	    put(doc, "messages", messages_of(&d->v)) < 0 ||
	    (d->notes && put(doc, "notes", notes_of(&d->v)) < 0) ||
	    put(doc, "meetings", meetings_of(&d->v)) < 0 ||
	    put(doc, "files", files_of(&d->v)) < 0)
		goto out;
	len = json_dumpb(doc, NULL, 0, JSON_INDENT(2));
	if (!len)
		goto out;
	buf_grow(out, len + 1);
	if (json_dumpb(doc, out->data + out->len, len, JSON_INDENT(2)) != len)
		goto out;
	out->len += len;
	out->data[out->len] = '\0';
	ret = 0;
out:
	json_decref(doc);
	return ret;
}

/* ---- The archive ------------------------------------------------------ */

static int
archive(const struct dossier *d, const struct workflows *wfs,
        const char *made_by, struct buf *zip)
{
	char path[ZIPFILE_NAME_MAX + 1];
	struct buf doc = BUF_INIT;
	struct zipfile *z = NULL;
	size_t i;
	int ret = -1;

	if (dossier_json(d, wfs, made_by, &doc) < 0 || zipfile_new(&z) < 0 ||
	    zipfile_add(z, DOSSIER_JSON_NAME, doc.data, doc.len) < 0)
		goto out;
	for (i = 0; i < d->v.nfiles; i++) {
		file_path(&d->v.files[i], path);
		if (zipfile_add(z, path, d->v.files[i].data,
		                d->v.files[i].len) < 0)
			goto out;
	}
	ret = zipfile_finish(z, NULL, zip);
out:
	zipfile_free(z);
	buf_wipe_release(&doc);
	return ret;
}

enum verdict
dossier_build(struct installation *inst, const struct workflows *wfs,
              const struct actor *a, const struct dossier_input *in,
              time_t now, struct buf *zip, struct outcome *o)
{
	const char *action = in->action ? in->action : DOSSIER_EXPORT;
	size_t before = zip->len;
	struct dossier d;
	char object[96];

	if (open_for(inst, wfs, a, in, now, 0, &d, o) != VERDICT_DONE)
		return o->verdict;
	audit_object(in, d.v.c.number, object, sizeof(object));
	/* Audited once the archive is made: no row for one that was not. */
	if (archive(&d, wfs, a->name, zip) < 0 ||
	    audit_append(inst->db, a->name, action, object) < 0) {
		crypto_wipe(zip->data + before, zip->len - before);
		buf_truncate(zip, before);
		outcome_set(o, VERDICT_FAILED, NULL, NULL);
	}
	dossier_release(&d);
	return o->verdict;
}
