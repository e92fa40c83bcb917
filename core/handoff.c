/*
 * handoff.c - assembling a hand-off package (see handoff.h): the cover
 * PDF, the JSON document, the files under bestanden/ numbered in order
 * (two files of one name stay apart, and no name of the reporter's can
 * name a path: only letters, digits, '-', '_' and inner dots are kept),
 * then the signed manifest, all encrypted under a new passphrase; and
 * the hand-off action that chooses what goes in, records and audits it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casenumber.h"
#include "content.h"
#include "db.h"
#include "dossier.h"
#include "events.h"
#include "filetype.h"
#include "form.h"
#include "handoff.h"
#include "install.h"
#include "log.h"
#include "meeting.h"
#include "package.h"
#include "pdf.h"
#include "workflow.h"
#include "workflow_fields.h"
#include "zone.h"

static const char *const keys[] = {
	"title", "organisation", "case", "date", "partner", "cover",
	"answers", "identity_withheld", "identity_included", "steps",
	"meeting", "files",
	"files_none", "check", "footer", "page", NULL,
};
static const char *const placeholders[] = {
	"case", "organisation", "date", "partner", NULL,
};
static const struct template_spec specs[] = {
	{ "overdracht", keys, placeholders },
	{ NULL, NULL, NULL },
};

int
handoff_load(void)
{
	return templates_load(specs);
}

/* bestanden/NN-name with only safe characters of name. */
static void
file_name(struct buf *out, size_t i, const char *name)
{
	buf_addf(out, HANDOFF_FILES_DIR "%02zu-", i + 1);
	filetype_safe_name(name, out);
}

/* The cover document of d into pdf. 0 or -1. */
static int
cover(const struct template *t, const struct handoff_doc *d,
      const char *const *shas, struct buf *pdf)
{
	const char *names[] = { "case", "organisation", "date", "partner" };
	const char *values[] = { d->case_no, d->organisation, d->date,
	                         d->partner };
	struct buf title = BUF_INIT, footer = BUF_INIT, text = BUF_INIT;
	struct pdf *p = NULL;
	size_t i;
	int ret = -1;

	template_fill(&title, template_text(t, d->lang, "title"), names,
	              values, 4);
	template_fill(&footer, template_text(t, d->lang, "footer"), names,
	              values, 4);
	if (pdf_new(title.data, footer.data, template_text(t, d->lang, "page"),
	            &p) < 0)
		goto out;
	pdf_title(p, title.data);
	pdf_field(p, template_text(t, d->lang, "organisation"),
	          d->organisation);
	pdf_field(p, template_text(t, d->lang, "partner"), d->partner);
	pdf_field(p, template_text(t, d->lang, "case"), d->case_no);
	pdf_field(p, template_text(t, d->lang, "date"), d->date);
	if (d->cover && *d->cover) {
		pdf_heading(p, template_text(t, d->lang, "cover"));
		pdf_paragraph(p, d->cover);
	}
	pdf_heading(p, template_text(t, d->lang, "answers"));
	if (d->named && !d->identity_reason) {
		template_fill(&text, template_text(t, d->lang,
		              "identity_withheld"), names, values, 4);
		pdf_paragraph(p, text.data);
	} else if (d->identity_reason) {
		pdf_field(p, template_text(t, d->lang, "identity_included"),
		          d->identity_reason);
	}
	for (i = 0; i < d->nanswers; i++)
		pdf_field(p, d->answers[i].label, d->answers[i].value);
	if (d->nsteps) {
		pdf_heading(p, template_text(t, d->lang, "steps"));
		for (i = 0; i < d->nsteps; i++)
			pdf_field(p, d->steps[i].label, d->steps[i].value);
	}
	pdf_heading(p, template_text(t, d->lang, "files"));
	if (!d->nfiles)
		pdf_paragraph(p, template_text(t, d->lang, "files_none"));
	for (i = 0; i < d->nfiles; i++)
		pdf_file(p, d->files[i].name, shas[i]);
	pdf_paragraph(p, template_text(t, d->lang, "check"));
	ret = pdf_finish(p, pdf);
out:
	pdf_free(p);
	buf_release(&title);
	buf_release(&footer);
	buf_wipe_release(&text);
	return ret;
}

int
handoff_package(const struct secret *installation_secret,
                const struct handoff_doc *d,
                char passphrase[TOKEN_PASSWORD_LEN + 1], struct buf *zip,
                uint8_t sha256[CRYPTO_SHA256_LEN])
{
	const struct template *t = templates_get("overdracht");
	struct buf pdf = BUF_INIT, name = BUF_INIT, out = BUF_INIT;
	struct package *pkg = NULL;
	char (*hex)[65] = NULL;
	const char **shas = NULL;
	size_t i;
	int ret = -1;

	crypto_wipe(passphrase, TOKEN_PASSWORD_LEN + 1);
	if (!t || d->lang >= TEMPLATE_LANGS)
		return error("handoff: overdracht.ini is not loaded");
	if (d->nfiles) {
		hex = calloc(d->nfiles, sizeof(*hex));
		shas = calloc(d->nfiles, sizeof(*shas));
		if (!hex || !shas)
			die("out of memory");
	}
	for (i = 0; i < d->nfiles; i++) {
		package_sha256_hex(d->files[i].data, d->files[i].len, hex[i]);
		shas[i] = hex[i];
	}
	if (cover(t, d, shas, &pdf) < 0 || package_new(&pkg) < 0 ||
	    package_add(pkg, HANDOFF_PDF, pdf.data, pdf.len, NULL) < 0 ||
	    package_add(pkg, HANDOFF_JSON, d->json, d->json_len, NULL) < 0)
		goto out;
	for (i = 0; i < d->nfiles; i++) {
		buf_reset(&name);
		file_name(&name, i, d->files[i].name);
		if (package_add(pkg, name.data, d->files[i].data,
		                d->files[i].len, NULL) < 0)
			goto out;
	}
	token_password(passphrase);
	if (package_finish(pkg, installation_secret, passphrase, &out) < 0) {
		crypto_wipe(passphrase, TOKEN_PASSWORD_LEN + 1);
		goto out;
	}
	crypto_sha256(sha256, out.data, out.len);
	buf_add(zip, out.data, out.len);
	ret = 0;
out:
	package_free(pkg);
	free(hex);
	free(shas);
	buf_wipe_release(&pdf);
	buf_wipe_release(&out);
	buf_release(&name);
	return ret;
}

/* ---- The action ------------------------------------------------------ */

static const char *const basis_names[] = { "", "consent", "legal_duty" };

const char *
handoff_basis_name(enum handoff_basis b)
{
	return (unsigned)b < 3 ? basis_names[b] : "";
}

int
handoff_basis_parse(const char *name, enum handoff_basis *b)
{
	size_t i;

	for (i = 0; name && i < 3; i++)
		if (strcmp(name, basis_names[i]) == 0) {
			*b = (enum handoff_basis)i;
			return 0;
		}
	return -1;
}

static enum verdict
invalid(struct outcome *o, const char *key, const char *field)
{
	outcome_set(o, VERDICT_INVALID, key, field);
	return o->verdict;
}

/* Characters of UTF-8 text s (its bytes that start a character). */
static size_t
characters(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The input checked against the form: names known, identity only with a
 * ground. NULL, or the refusal's key. */
static const char *
check_answers(const struct form *f, const struct handoff_request *r)
{
	size_t i;

	for (i = 0; r->answers && i < r->nanswers; i++) {
		const struct form_field *fld = form_field(f, r->answers[i]);

		if (!fld)
			return "handoff.answer_unknown";
		if (fld->identity && r->basis == HANDOFF_BASIS_NONE)
			return "handoff.identity_needs_ground";
	}
	return NULL;
}

/* The catalogue's text of key, or fallback when it has none. */
static const char *
catalogue(const struct handoff_request *r, const char *key,
          const char *fallback)
{
	const char *t = r->text ? r->text(r->text_arg, key) : NULL;

	return t && *t && strcmp(t, key) != 0 ? t : fallback;
}

/* What the package holds, gathered from the opened dossier. */
struct gather {
	struct handoff_answer *answers, *steps;
	size_t nanswers, nsteps;
	struct buf *texts;	/* labels and values made here, wiped */
	size_t ntexts, cap;
	struct handoff_file *files;
	int named;
};

static const char *
keep(struct gather *g, struct buf *b)
{
	if (g->ntexts == g->cap)
		g->texts = buf_grow_array(g->texts, &g->cap, sizeof(*g->texts),
		                          16);
	g->texts[g->ntexts] = *b;
	*b = (struct buf)BUF_INIT;
	return g->texts[g->ntexts++].data;
}

static void
gather_release(struct gather *g)
{
	size_t i;

	for (i = 0; i < g->ntexts; i++)
		buf_wipe_release(&g->texts[i]);
	free(g->texts);
	free(g->answers);
	free(g->steps);
	free(g->files);
	memset(g, 0, sizeof(*g));
}

/* The answers of the content, in the form's order, in words. */
static int
gather_answers(struct gather *g, const struct form *f, enum report_type type,
               const struct secret *content, const struct handoff_request *r)
{
	struct stored_answers s;
	struct buf key = BUF_INIT, value = BUF_INIT, label = BUF_INIT;
	size_t i, k;

	if (stored_answers_read(content->bytes, content->len, &s) < 0) {
		stored_answers_release(&s);
		return error("handoff: a report's content is not readable");
	}
	g->named = s.reporter && strcmp(s.reporter, "named") == 0;
	g->answers = calloc(f->nfields + 1, sizeof(*g->answers));
	if (!g->answers)
		die("out of memory");
	for (i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];

		buf_reset(&value);
		for (k = 0; k < s.a.n; k++) {
			if (strcmp(s.a.items[k].name, fld->name) != 0)
				continue;
			if (value.len)
				buf_adds(&value, fld->noptions ? ", " : "\n");
			if (fld->noptions) {
				buf_reset(&key);
				buf_addf(&key, "%s.%s.%s",
				         report_type_name(type), fld->name,
				         s.a.items[k].value);
				buf_adds(&value, catalogue(r, key.data,
				                           s.a.items[k].value));
			} else {
				buf_adds(&value, s.a.items[k].value);
			}
		}
		if (!value.len)
			continue;
		if (fld->identity)
			g->named = 1;
		buf_reset(&key);
		buf_addf(&key, "%s.%s", report_type_name(type), fld->name);
		buf_adds(&label, catalogue(r, key.data, fld->name));
		g->answers[g->nanswers].label = keep(g, &label);
		g->answers[g->nanswers].value = keep(g, &value);
		g->nanswers++;
	}
	buf_release(&key);
	buf_wipe_release(&value);
	buf_release(&label);
	stored_answers_release(&s);
	return 0;
}

/* The workflow steps in effect with their fields, and the meetings'
 * decisions: the weging outcomes and decisions. */
static void
gather_steps(struct gather *g, const struct dossier *d,
             const struct workflow *wf, const struct handoff_request *r)
{
	const struct case_view *v = &d->v;
	enum workflow_lang wl = r->lang == TEMPLATE_EN ? WORKFLOW_EN
	                                               : WORKFLOW_NL;
	struct buf label = BUF_INIT, value = BUF_INIT;
	const struct template *t = templates_get("overdracht");
	size_t i, k;

	g->steps = calloc(v->events.n + v->nmeetings + 1, sizeof(*g->steps));
	if (!g->steps)
		die("out of memory");
	for (i = 0; i < v->events.n; i++) {
		const struct event *ev = &v->events.items[i];
		const struct workflow_transition *tr;
		const struct event_fields *fs;

		if (ev->kind != EVENT_STEP || !events_in_effect(&v->events, i))
			continue;
		tr = wf ? workflow_transition_find(wf, ev->transition) : NULL;
		fs = v->fields ? &v->fields[ev->current] : NULL;
		buf_addf(&label, "%.10s %s", ev->at_text,
		         tr && tr->label[wl] ? tr->label[wl] : ev->transition);
		for (k = 0; fs && k < fs->n; k++) {
			const struct workflow_field_def *fd =
				wf ? workflow_field_def(wf, fs->items[k].name)
				   : NULL;

			if (value.len)
				buf_addch(&value, '\n');
			buf_addf(&value, "%s: %s",
			         fd && fd->label[wl] ? fd->label[wl]
			                             : fs->items[k].name,
			         fd ? workflow_choice_label(fd, fs->items[k].value,
			                                    wl)
			            : fs->items[k].value);
		}
		if (!value.len)
			buf_adds(&value, "-");
		g->steps[g->nsteps].label = keep(g, &label);
		g->steps[g->nsteps].value = keep(g, &value);
		g->nsteps++;
	}
	for (i = 0; i < v->nmeetings; i++) {
		const struct meeting_outcome *m = &v->meetings[i];

		buf_addf(&label, "%s %s", m->held_on,
		         t ? template_text(t, r->lang, "meeting") : "");
		buf_add(&value, m->decision->bytes, m->decision->len);
		g->steps[g->nsteps].label = keep(g, &label);
		g->steps[g->nsteps].value = keep(g, &value);
		g->nsteps++;
	}
	buf_release(&label);
	buf_wipe_release(&value);
}

/* What a hand-off leaves out of the dossier: messages always, and the
 * steps and meetings when they are not chosen. */
static void
trim(struct dossier *d, int steps)
{
	struct case_view *v = &d->v;
	size_t i;

	messages_release(v->messages, v->nmessages);
	v->messages = NULL;
	v->nmessages = 0;
	if (steps)
		return;
	for (i = 0; v->fields && i < v->events.n; i++)
		event_fields_release(&v->fields[i]);
	free(v->fields);
	v->fields = NULL;
	event_list_release(&v->events);
	memset(&v->events, 0, sizeof(v->events));
	meeting_outcomes_release(v->meetings, v->nmeetings);
	v->meetings = NULL;
	v->nmeetings = 0;
}

/* "a b c" of the names, "3 4" of the ids. */
static void
list_text(struct buf *out, const struct gather *g, const struct dossier *d,
          const struct handoff_request *r, int files)
{
	size_t i;

	(void)g;
	if (files) {
		for (i = 0; i < d->v.nfiles; i++)
			buf_addf(out, "%s%lld", i ? " " : "",
			         (long long)d->v.files[i].id);
		return;
	}
	if (r->answers) {
		for (i = 0; i < r->nanswers; i++)
			buf_addf(out, "%s%s", i ? " " : "", r->answers[i]);
		return;
	}
	buf_adds(out, "*");
}

static int
record(struct installation *inst, const struct actor *a,
       const struct handoff_request *r, const char *number,
       const char *answers, const char *files, const char *sha,
       const char *at)
{
	struct stmt *st = NULL;
	struct buf object = BUF_INIT;
	int ret = -1;

	if (db_prepare(inst->db, &st, "INSERT INTO handoffs (report_id, made_at,"
	               " made_by, partner, answers, files, identity, digest)"
	               " VALUES (:report, :at, :by, :partner, :answers,"
	               " :files, :identity, :sha)") < 0 ||
	    stmt_bind_int(st, ":report", r->report_id) < 0 ||
	    stmt_bind_text(st, ":at", at) < 0 ||
	    stmt_bind_text(st, ":by", a->name) < 0 ||
	    stmt_bind_text(st, ":partner", r->partner) < 0 ||
	    stmt_bind_text(st, ":answers", answers) < 0 ||
	    stmt_bind_text(st, ":files", files) < 0 ||
	    stmt_bind_text(st, ":identity", handoff_basis_name(r->basis)) < 0 ||
	    stmt_bind_text(st, ":sha", sha) < 0 || stmt_run(st) < 0)
		goto out;
	/* Names and ids only: never an answer's value or a file's name. */
	buf_addf(&object, "report %s to %s: answers %s; files %s; ",
	         number, r->partner, answers,
	         *files ? files : "none");
	if (r->basis)
		buf_addf(&object, "identity %s; ", handoff_basis_name(r->basis));
	buf_addf(&object, "sha256 %s", sha);
	ret = audit_append(inst->db, a->name, HANDOFF_MADE, object.data);
out:
	stmt_finalize(st);
	buf_release(&object);
	return ret;
}

enum verdict
handoff_make(struct installation *inst, const struct workflows *wfs,
             const struct actor *a, const struct handoff_request *r,
             struct buf *zip, struct handoff_made *made, struct outcome *o)
{
	struct dossier_input in;
	struct dossier d;
	struct gather g;
	struct handoff_doc doc;
	struct buf json = BUF_INIT, answers = BUF_INIT, files = BUF_INIT;
	struct case_summary c;
	const struct form *f;
	const char *bad;
	char at[CLOCK_TEXT_LEN + 1], day[11];
	uint8_t hash[CRYPTO_SHA256_LEN];
	size_t before = zip->len, i, k;
	int rc;

	memset(made, 0, sizeof(*made));
	memset(o, 0, sizeof(*o));
	memset(&g, 0, sizeof(g));
	rc = r->report_id > 0 ? case_get(inst, r->report_id, &c) : 1;
	if (rc < 0)
		goto failed_early;
	if (rc == 1) {
		outcome_set(o, VERDICT_NOT_FOUND, "case.not_found", NULL);
		return o->verdict;
	}
	/* The input first where it needs no reading of the case. */
	f = forms_get(c.type);
	if (!f)
		goto failed_early;
	memset(&in, 0, sizeof(in));
	in.report_id = r->report_id;
	in.action = HANDOFF_MADE;
	in.identity = r->basis != HANDOFF_BASIS_NONE;
	in.answers = r->answers;
	in.nanswers = r->nanswers;
	in.files = r->files;
	in.nfiles = r->nfiles;
	in.due_soon = r->due_soon;
	in.audit_later = 1;
	if (!r->partner || !*r->partner || !r->partner_name ||
	    !*r->partner_name)
		return invalid(o, "handoff.partner_bad", "partner");
	if (r->cover && characters(r->cover) > r->cover_max)
		return invalid(o, "handoff.cover_long", "cover");
	bad = check_answers(f, r);
	if (bad)
		return invalid(o, bad, "answers");
	/* Who may: the dossier's rule, refused and audited there. */
	if (dossier_open(inst, wfs, a, &in, r->now, &d, o) != VERDICT_DONE)
		return o->verdict;
	for (i = 0; r->files && i < r->nfiles; i++) {
		for (k = 0; k < d.v.nfiles; k++)
			if (d.v.files[k].id == r->files[i])
				break;
		if (k == d.v.nfiles) {
			invalid(o, "handoff.file_unknown", "files");
			goto out;
		}
	}
	trim(&d, r->steps);
	if (gather_answers(&g, f, c.type, d.v.content, r) < 0)
		goto failed;
	if (r->steps)
		gather_steps(&g, &d, workflows_get(wfs, c.type), r);
	g.files = calloc(d.v.nfiles + 1, sizeof(*g.files));
	if (!g.files)
		die("out of memory");
	for (i = 0; i < d.v.nfiles; i++) {
		g.files[i].name = d.v.files[i].name ? d.v.files[i].name : "";
		g.files[i].data = d.v.files[i].data;
		g.files[i].len = d.v.files[i].len;
	}
	if (dossier_json(&d, wfs, a->name, &json) < 0)
		goto failed;
	zone_day_text(r->now, day);
	memset(&doc, 0, sizeof(doc));
	doc.organisation = r->organisation;
	doc.case_no = c.number;
	doc.date = day;
	doc.partner = r->partner_name;
	doc.cover = r->cover;
	doc.lang = r->lang;
	doc.answers = g.answers;
	doc.nanswers = g.nanswers;
	doc.files = g.files;
	doc.nfiles = d.v.nfiles;
	doc.steps = g.steps;
	doc.nsteps = g.nsteps;
	doc.named = g.named;
	if (r->basis != HANDOFF_BASIS_NONE) {
		struct buf key = BUF_INIT;

		buf_addf(&key, "handoff.basis.%s", handoff_basis_name(r->basis));
		doc.identity_reason = catalogue(r, key.data,
		                                handoff_basis_name(r->basis));
		buf_release(&key);
	}
	doc.json = json.data;
	doc.json_len = json.len;
	if (handoff_package(inst->secret, &doc, made->passphrase, zip,
	                    hash) < 0)
		goto failed;
	for (i = 0; i < sizeof(hash); i++)
		snprintf(made->sha256 + 2 * i, 3, "%02x", hash[i]);
	snprintf(made->number, sizeof(made->number), "%s", c.number);
	snprintf(made->name, sizeof(made->name), "overdracht-melding-%s.zip",
	         c.number);
	buf_reset(&answers);
	list_text(&answers, &g, &d, r, 0);
	list_text(&files, &g, &d, r, 1);
	clock_format(r->now, at);
	if (db_begin(inst->db) < 0)
		goto failed;
	if (record(inst, a, r, c.number, answers.data, files.data,
	           made->sha256, at) < 0) {
		db_rollback(inst->db);
		goto failed;
	}
	if (db_commit(inst->db) < 0)
		goto failed;
	outcome_set(o, VERDICT_DONE, NULL, NULL);
	o->id = r->report_id;
	goto out;
failed:
	crypto_wipe(zip->data + before, zip->len - before);
	buf_truncate(zip, before);
	crypto_wipe(made, sizeof(*made));
	outcome_set(o, VERDICT_FAILED, NULL, NULL);
out:
	gather_release(&g);
	dossier_release(&d);
	buf_wipe_release(&json);
	buf_release(&answers);
	buf_release(&files);
	return o->verdict;
failed_early:
	outcome_set(o, VERDICT_FAILED, NULL, NULL);
	return o->verdict;
}

int
handoff_downloaded(struct installation *inst, const struct actor *a,
                   int64_t report_id, const char *sha256)
{
	struct buf object = BUF_INIT;
	char number[CASE_NUMBER_LEN + 1];
	int ret;

	/* Named as staff read it; no row without the number. */
	if (!case_label(inst->db, report_id, number))
		return -1;
	buf_addf(&object, "report %s: sha256 %s", number, sha256);
	ret = audit_append(inst->db, a->name, HANDOFF_DOWNLOAD, object.data);
	buf_release(&object);
	return ret;
}

static char *
dup_text(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		die("out of memory");
	return d;
}

int
handoff_list(struct db *db, int64_t report_id, struct handoff_record **out,
             size_t *n)
{
	struct handoff_record *v = NULL;
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, &st, "SELECT made_at, made_by, partner, answers,"
	               " files, identity, digest FROM handoffs"
	               " WHERE report_id = :id ORDER BY id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0)
		goto fail;
	while ((rc = stmt_step(st)) == DB_ROW) {
		struct handoff_record *e;

		if (*n == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 4);
		e = &v[(*n)++];
		memset(e, 0, sizeof(*e));
		snprintf(e->at, sizeof(e->at), "%s", stmt_text(st, 0));
		e->made_by = dup_text(stmt_text(st, 1));
		e->partner = dup_text(stmt_text(st, 2));
		e->answers = dup_text(stmt_text(st, 3));
		e->files = dup_text(stmt_text(st, 4));
		e->identity = dup_text(stmt_text(st, 5));
		snprintf(e->sha256, sizeof(e->sha256), "%s", stmt_text(st, 6));
	}
	if (rc < 0)
		goto fail;
	stmt_finalize(st);
	*out = v;
	return 0;
fail:
	stmt_finalize(st);
	handoff_list_release(v, *n);
	*n = 0;
	return -1;
}

void
handoff_list_release(struct handoff_record *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].made_by);
		free(v[i].partner);
		free(v[i].answers);
		free(v[i].files);
		free(v[i].identity);
	}
	free(v);
}

int
handoff_recorded(struct db *db, int64_t report_id)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	if (db_prepare(db, &st, "SELECT 1 FROM handoffs WHERE report_id = :id"
	               " LIMIT 1") < 0 || stmt_bind_int(st, ":id", report_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc >= 0)
		ret = rc == DB_ROW;
out:
	stmt_finalize(st);
	return ret;
}
