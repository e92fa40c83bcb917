/*
 * paperwork.c - the police information form and the damages claim letter
 * of an incident (see paperwork.h).
 *
 * The report is opened as the case page opens it (casework_read); its
 * answers are read as struct answers (content.h), its steps' fields as
 * casework_read opened them. Everything that held case text (the answers,
 * the lines put together here, the PDF's buffers) is wiped when freed.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "casework.h"
#include "content.h"
#include "install.h"
#include "log.h"
#include "paperwork.h"
#include "pdf.h"
#include "stats.h"
#include "zone.h"

static const char *const aangifte_keys[] = {
	"title", "intro", "organisation", "case", "date", "way",
	"appointment", "employer", "wie", "victim", "victim_is_reporter",
	"victim_other", "reporter", "witnesses", "witnesses_none",
	"perpetrator", "perpetrator_unknown", "wat", "waar", "wanneer",
	"waarmee", "waarmee_none", "hoe", "police_earlier", "waarom",
	"waarom_text", "footer", "page", NULL,
};
static const char *const aangifte_placeholders[] = {
	"case", "organisation", "date", "victim_role", NULL,
};
static const char *const claim_keys[] = {
	"title", "to", "to_unknown", "organisation", "case", "date",
	"salutation", "body1", "amounts", "claimed", "recovered",
	"outstanding", "body2", "body3", "closing", "signature", "footer",
	"page", NULL,
};
static const char *const claim_placeholders[] = {
	"case", "organisation", "date", "incident_date", "claimed",
	"recovered", "outstanding", NULL,
};

static const struct template_spec specs[] = {
	[PAPER_AANGIFTE] = { "aangifte", aangifte_keys, aangifte_placeholders },
	[PAPER_CLAIM] = { "schadeverhaal", claim_keys, claim_placeholders },
	{ NULL, NULL, NULL },
};

int
paperwork_load(void)
{
	return templates_load(specs);
}

const char *
paper_kind_name(enum paper_kind k)
{
	return k < PAPER_KINDS ? specs[k].name : "";
}

int
paper_kind_parse(const char *name, enum paper_kind *k)
{
	int i;

	for (i = 0; i < PAPER_KINDS; i++)
		if (name && strcmp(name, specs[i].name) == 0) {
			*k = (enum paper_kind)i;
			return 0;
		}
	return -1;
}

int
paper_way_parse(const char *name, enum paper_way *w)
{
	if (!name || !*name)
		*w = PAPER_WAY_NONE;
	else if (strcmp(name, "afspraak") == 0)
		*w = PAPER_WAY_APPOINTMENT;
	else if (strcmp(name, "werkgever") == 0)
		*w = PAPER_WAY_EMPLOYER;
	else
		return -1;
	return 0;
}

/* What a document is made of. */
struct doc {
	const struct paper_request *r;
	const struct template *t;
	const struct case_view *v;
	struct stored_answers s;
	char case_no[24];
	char today[11];
	struct buf line;	/* scratch, wiped */
	struct pdf *pdf;
};

static const char *
tx(const struct doc *d, const char *key)
{
	return template_text(d->t, d->r->lang, key);
}

/* The first answer of name, or "". */
static const char *
answer(const struct doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->s.a.n; i++)
		if (strcmp(d->s.a.items[i].name, name) == 0)
			return d->s.a.items[i].value;
	return "";
}

/* The catalogue's text of key, or fallback when it has none. */
static const char *
catalogue(const struct doc *d, const char *key, const char *fallback)
{
	const char *t = d->r->text(d->r->text_arg, key);

	return t && *t && strcmp(t, key) != 0 ? t : fallback;
}

/* Into d->line: the words of the options of field name, one a line. */
static void
options_text(struct doc *d, const char *name)
{
	struct buf key = BUF_INIT;
	size_t i;

	buf_reset(&d->line);
	for (i = 0; i < d->s.a.n; i++) {
		if (strcmp(d->s.a.items[i].name, name) != 0)
			continue;
		buf_reset(&key);
		buf_addf(&key, "incident.%s.%s", name, d->s.a.items[i].value);
		if (d->line.len)
			buf_addch(&d->line, '\n');
		buf_adds(&d->line, catalogue(d, key.data,
		                             d->s.a.items[i].value));
	}
	buf_release(&key);
}

/* A question of the report with its answer, when it has one. */
static void
question(struct doc *d, const char *name)
{
	struct buf key = BUF_INIT;
	const char *value = answer(d, name);

	if (*value) {
		buf_addf(&key, "incident.%s", name);
		pdf_field(d->pdf, catalogue(d, key.data, name), value);
	}
	buf_release(&key);
}

/* A question whose answer is an option (or several), in words. */
static void
question_options(struct doc *d, const char *name)
{
	struct buf key = BUF_INIT;

	options_text(d, name);
	if (d->line.len) {
		buf_addf(&key, "incident.%s", name);
		pdf_field(d->pdf, catalogue(d, key.data, name), d->line.data);
	}
	buf_release(&key);
}

static void
fill(struct doc *d, struct buf *out, const char *key, const char *const *names,
     const char *const *values, size_t n)
{
	template_fill(out, tx(d, key), names, values, n);
}

/* The document's head: title, organisation, number, day. */
static void
head(struct doc *d)
{
	pdf_title(d->pdf, tx(d, "title"));
	pdf_field(d->pdf, tx(d, "organisation"), d->r->organisation);
	pdf_field(d->pdf, tx(d, "case"), d->case_no);
	pdf_field(d->pdf, tx(d, "date"), d->today);
}

static void
make_aangifte(struct doc *d)
{
	const char *names[] = { "case", "organisation", "date", "victim_role" };
	const char *values[4];
	struct buf key = BUF_INIT;
	size_t i, k;

	options_text(d, "victim_role");
	buf_reset(&key);
	buf_adds(&key, d->line.data);
	values[0] = d->case_no;
	values[1] = d->r->organisation;
	values[2] = d->today;
	values[3] = key.data;
	head(d);
	pdf_paragraph(d->pdf, tx(d, "intro"));
	pdf_heading(d->pdf, tx(d, "way"));
	pdf_choice(d->pdf, d->r->way == PAPER_WAY_APPOINTMENT,
	           tx(d, "appointment"));
	pdf_choice(d->pdf, d->r->way == PAPER_WAY_EMPLOYER, tx(d, "employer"));

	pdf_heading(d->pdf, tx(d, "wie"));
	if (strcmp(answer(d, "reported_by"), "victim") == 0) {
		buf_reset(&d->line);
		buf_addf(&d->line, "%s (%s)", answer(d, "reporter_name"),
		         tx(d, "victim_is_reporter"));
		pdf_field(d->pdf, tx(d, "victim"), d->line.data);
	} else {
		pdf_field(d->pdf, tx(d, "victim"), tx(d, "victim_other"));
	}
	question_options(d, "victim_role");
	question(d, "department");
	buf_reset(&d->line);
	buf_adds(&d->line, answer(d, "reporter_name"));
	if (*answer(d, "reporter_email"))
		buf_addf(&d->line, "\n%s", answer(d, "reporter_email"));
	if (*answer(d, "reporter_phone"))
		buf_addf(&d->line, "\n%s", answer(d, "reporter_phone"));
	pdf_field(d->pdf, tx(d, "reporter"), d->line.data);
	pdf_field(d->pdf, tx(d, "perpetrator"),
	          *answer(d, "perpetrator") ? answer(d, "perpetrator")
	                                    : tx(d, "perpetrator_unknown"));
	pdf_field(d->pdf, tx(d, "witnesses"),
	          *answer(d, "witnesses") ? answer(d, "witnesses")
	                                  : tx(d, "witnesses_none"));

	pdf_heading(d->pdf, tx(d, "wat"));
	question_options(d, "kind");
	question(d, "description");

	pdf_heading(d->pdf, tx(d, "waar"));
	question_options(d, "place");

	pdf_heading(d->pdf, tx(d, "wanneer"));
	question(d, "date");
	question(d, "time");

	pdf_heading(d->pdf, tx(d, "waarmee"));
	if (*answer(d, "injury"))
		question(d, "injury");
	else
		pdf_paragraph(d->pdf, tx(d, "waarmee_none"));

	pdf_heading(d->pdf, tx(d, "hoe"));
	question_options(d, "police");
	for (i = 0; i < d->v->events.n; i++) {
		const struct event_fields *f = &d->v->fields[i];

		for (k = 0; k < f->n; k++)
			if (strcmp(f->items[k].name, "police_reference") == 0)
				pdf_field(d->pdf, tx(d, "police_earlier"),
				          f->items[k].value);
	}

	pdf_heading(d->pdf, tx(d, "waarom"));
	buf_reset(&d->line);
	fill(d, &d->line, "waarom_text", names, values, 4);
	pdf_paragraph(d->pdf, d->line.data);
	buf_wipe_release(&key);
}

/* cents as euros in lang: "€ 1.250,50" or "€1,250.50". */
static void
euros(int64_t cents, enum template_lang lang, char out[40])
{
	char digits[24], grouped[40];
	size_t n, i, g = 0;
	char sep = lang == TEMPLATE_NL ? '.' : ',';

	if (cents < 0)
		cents = 0;
	snprintf(digits, sizeof(digits), "%lld", (long long)(cents / 100));
	n = strlen(digits);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = sep;
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(out, 40, lang == TEMPLATE_NL ? "€ %s,%02d" : "€%s.%02d",
	         grouped, (int)(cents % 100));
}

static void
make_claim(struct doc *d)
{
	const char *names[] = { "case", "organisation", "date",
	                        "incident_date", "claimed", "recovered",
	                        "outstanding" };
	const char *values[7];
	char claimed[40], recovered[40], outstanding[40];
	int64_t c_claimed = 0, c_recovered = 0, cents;
	static const char *const body[] = { "body2", "body3" };
	size_t i, k;

	for (i = 0; i < d->v->events.n; i++) {
		const struct event_fields *f = &d->v->fields[i];

		for (k = 0; k < f->n; k++) {
			if (stats_amount_parse(f->items[k].value,
			                       strlen(f->items[k].value),
			                       &cents) < 0)
				continue;
			if (strcmp(f->items[k].name, "damage_amount") == 0)
				c_claimed += cents;
			else if (strcmp(f->items[k].name,
			                "recovered_amount") == 0)
				c_recovered += cents;
		}
	}
	euros(c_claimed, d->r->lang, claimed);
	euros(c_recovered, d->r->lang, recovered);
	euros(c_claimed - c_recovered, d->r->lang, outstanding);
	values[0] = d->case_no;
	values[1] = d->r->organisation;
	values[2] = d->today;
	values[3] = answer(d, "date");
	values[4] = claimed;
	values[5] = recovered;
	values[6] = outstanding;

	pdf_title(d->pdf, tx(d, "title"));
	pdf_field(d->pdf, tx(d, "to"),
	          *answer(d, "perpetrator") ? answer(d, "perpetrator")
	                                    : tx(d, "to_unknown"));
	pdf_field(d->pdf, tx(d, "organisation"), d->r->organisation);
	pdf_field(d->pdf, tx(d, "case"), d->case_no);
	pdf_field(d->pdf, tx(d, "date"), d->today);
	pdf_paragraph(d->pdf, tx(d, "salutation"));
	buf_reset(&d->line);
	fill(d, &d->line, "body1", names, values, 7);
	pdf_paragraph(d->pdf, d->line.data);
	pdf_heading(d->pdf, tx(d, "amounts"));
	pdf_field(d->pdf, tx(d, "claimed"), claimed);
	pdf_field(d->pdf, tx(d, "recovered"), recovered);
	pdf_field(d->pdf, tx(d, "outstanding"), outstanding);
	for (i = 0; i < sizeof(body) / sizeof(body[0]); i++) {
		buf_reset(&d->line);
		fill(d, &d->line, body[i], names, values, 7);
		pdf_paragraph(d->pdf, d->line.data);
	}
	pdf_paragraph(d->pdf, tx(d, "closing"));
	buf_reset(&d->line);
	fill(d, &d->line, "signature", names, values, 7);
	pdf_paragraph(d->pdf, d->line.data);
}

static enum verdict
done(struct outcome *o, enum verdict v, const char *key)
{
	outcome_set(o, v, key, NULL);
	return v;
}

enum verdict
paperwork_make(struct installation *inst, const struct actor *a,
               const struct paper_request *r, struct buf *pdf,
               char name[PAPER_NAME_MAX], struct outcome *o)
{
	struct case_view v;
	struct doc d;
	struct buf footer = BUF_INIT, object = BUF_INIT;
	const char *names[] = { "case" };
	const char *values[1];
	enum verdict ret = VERDICT_FAILED;

	name[0] = '\0';
	memset(&d, 0, sizeof(d));
	buf_init(&d.line);
	d.r = r;
	d.t = r->kind < PAPER_KINDS ? templates_get(specs[r->kind].name) : NULL;
	if (!d.t || r->lang >= TEMPLATE_LANGS || !r->text)
		return done(o, VERDICT_FAILED, NULL);
	if (casework_read(inst, a, r->id, &v, o) != VERDICT_DONE)
		return o->verdict;
	d.v = &v;
	buf_addf(&object, "report %s: %s %s", v.c.number,
	         specs[r->kind].name, r->lang == TEMPLATE_NL ? "nl" : "en");
	if (!template_fits(d.t, v.c.type)) {
		if (audit_append_result(inst->db, a->name, "document-made",
		                        object.data, AUDIT_REFUSED) < 0)
			log_warn("the refusal of document-made on %s to %s was "
			         "not audited", object.data, a->name);
		ret = done(o, VERDICT_INVALID, "case.document_incident_only");
		goto out;
	}
	if (stored_answers_read(v.content->bytes, v.content->len, &d.s) < 0)
		goto out;
	/* The number staff know the case by, never its row. */
	snprintf(d.case_no, sizeof(d.case_no), "%s", v.c.number);
	zone_day_text(r->now, d.today);
	values[0] = d.case_no;
	template_fill(&footer, tx(&d, "footer"), names, values, 1);
	if (pdf_new(tx(&d, "title"), footer.data, tx(&d, "page"), &d.pdf) < 0)
		goto out;
	if (r->kind == PAPER_AANGIFTE)
		make_aangifte(&d);
	else
		make_claim(&d);
	/* Audited before it is handed out: no row, no document. */
	if (pdf_finish(d.pdf, pdf) < 0)
		goto out;
	if (audit_append(inst->db, a->name, "document-made", object.data) < 0) {
		buf_wipe_release(pdf);
		goto out;
	}
	snprintf(name, PAPER_NAME_MAX, "%s-%s-%s.pdf", specs[r->kind].name,
	         r->lang == TEMPLATE_NL ? "melding" : "report", v.c.number);
	ret = done(o, VERDICT_DONE, NULL);
out:
	if (ret == VERDICT_FAILED)
		done(o, VERDICT_FAILED, NULL);
	pdf_free(d.pdf);
	stored_answers_release(&d.s);
	buf_wipe_release(&d.line);
	buf_wipe_release(&footer);
	buf_release(&object);
	case_view_release(&v);
	return ret;
}
