/*
 * paperwork.h - documents made of an incident for the VPT coordinator:
 * the police information form for an aangifte and the damages claim
 * letter to the perpetrator (norm 3.7 and 3.9; issue 19 point 3).
 *
 * Both are PDF (pdf.h), prefilled from the incident's answers and its
 * workflow steps (the police reference of a police step; the amounts of
 * the damages steps, added up), in Dutch or English. Their texts come
 * from schema/templates/aangifte.ini and schadeverhaal.ini (template.h),
 * the questions' words and the options' words from the message catalogues
 * through the caller's paper_text_fn (web/i18n.h: core includes nothing
 * of web/).
 *
 * paperwork_make is an action (action.h): only an actor who holds the
 * report type's keyring opens the report (casework_read, audited
 * "report-read"; refused and audited otherwise), a report that is not an
 * incident is refused (audited), and a made document is audited
 * "document-made" on "report CASENUMBER: KIND LANG" (casenumber.h). A
 * meeting member never holds the incidents' keyring. The document is made in memory and handed to
 * the caller; it is never stored.
 *
 * The damages letter goes to the perpetrator: it names the organisation,
 * the report's number, the incident's day and the amounts, never the
 * victim, the reporter or what they wrote.
 */
#ifndef MELDPUNT_PAPERWORK_H
#define MELDPUNT_PAPERWORK_H

#include <stdint.h>
#include <time.h>

#include "action.h"
#include "buf.h"
#include "template.h"

struct installation;

enum paper_kind { PAPER_AANGIFTE, PAPER_CLAIM, PAPER_KINDS };

/* How the aangifte is made: the form's check box, or neither. */
enum paper_way { PAPER_WAY_NONE, PAPER_WAY_APPOINTMENT, PAPER_WAY_EMPLOYER };

/* A text of the message catalogues by its key ("incident.kind.threat"). */
typedef const char *(*paper_text_fn)(void *arg, const char *key);

struct paper_request {
	int64_t id;			/* the report */
	enum paper_kind kind;
	enum template_lang lang;
	enum paper_way way;		/* PAPER_AANGIFTE only */
	const char *organisation;	/* [organisation] name of the config */
	paper_text_fn text;		/* in lang */
	void *text_arg;
	time_t now;			/* the document's day */
};

/* Load and check the templates of both documents (at start). 0 or -1. */
int paperwork_load(void);

/* "aangifte" / "schadeverhaal", and back (0, or -1 for another name). */
const char *paper_kind_name(enum paper_kind k);
int paper_kind_parse(const char *name, enum paper_kind *k);
/* "afspraak" / "werkgever" / "" and back (0 or -1). */
int paper_way_parse(const char *name, enum paper_way *w);

/*
 * Make document r->kind of report r->id for actor a into pdf (appended;
 * wipe it: buf_wipe_release) and its file name into name (e.g.
 * "aangifte-melding-12.pdf"). DONE; NOT_FOUND; REFUSED (not the actor's
 * keyring, audited); INVALID "case.document_incident_only" (not an
 * incident, audited refused); FAILED (nothing handed out).
 */
#define PAPER_NAME_MAX 64
enum verdict paperwork_make(struct installation *inst, const struct actor *a,
                            const struct paper_request *r, struct buf *pdf,
                            char name[PAPER_NAME_MAX], struct outcome *o);

#endif
