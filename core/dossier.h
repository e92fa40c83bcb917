/*
 * dossier.h - a case taken out of Meldpunt: the print view and the
 * dossier export, and later the partner hand-off (issue 19).
 *
 * One function opens a case for such a use (dossier_open): the actor
 * must hold the keyring of the report's type and have a role that works
 * with it (keyrings_role_handles), so a member of the signal meeting,
 * who reads agenda signals through the overleg keyring, and an admin,
 * who holds keyrings only to grant them, are refused like anyone without
 * the keyring; a refusal is audited with the use's action. What is taken
 * is chosen in struct dossier_input: internal notes only when asked,
 * the reporter's identity answers only when asked (by default the
 * content reads as a meeting reads it, content_withheld: "reporter":
 * "named"), and optionally a selection of answers and files, which the
 * hand-off needs. Each use is audited once with its action and what it
 * took ("report 5 with notes"); the content's read is audited as
 * report-read by casework_read, as on the case page.
 *
 * dossier_build makes the export: a ZIP (core/zipfile.h), built in
 * memory and never written to disk, of dossier.json (dossier_json: the
 * report's columns, its content, deadlines, events with their fields,
 * messages, notes when chosen, links, legal hold, meeting outcomes, and
 * per file its name, type, size, SHA-256 and path in the archive) and
 * the files under files/, byte for byte.
 *
 * Ownership: struct dossier holds what was opened in guarded memory;
 * dossier_release wipes it. The archive is the caller's struct buf
 * (buf_wipe_release it, or hand it on as a response body, which is
 * wiped when freed).
 */
#ifndef MELDPUNT_DOSSIER_H
#define MELDPUNT_DOSSIER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "action.h"
#include "buf.h"
#include "casework.h"
#include "workflow.h"

struct installation;
struct workflows;

/* The audit actions of the uses. */
#define DOSSIER_PRINT "report-print"
#define DOSSIER_EXPORT "dossier-export"

/* The archive's document, and the folder of the files in it. */
#define DOSSIER_JSON_NAME "dossier.json"
#define DOSSIER_FILES_DIR "files/"
/* The format of dossier.json, raised when a member changes meaning. */
#define DOSSIER_FORMAT 1

/* What is taken out of a case. Zeroed: the case without notes or identity. */
struct dossier_input {
	int64_t report_id;
	const char *action;	/* audited as this; DOSSIER_PRINT, DOSSIER_EXPORT */
	int notes;		/* internal notes too */
	int identity;		/* the reporter's identity answers too */
	const char *const *answers;	/* only these answers; NULL: all */
	size_t nanswers;
	const int64_t *files;	/* only these files (ids); NULL: all */
	size_t nfiles;
	unsigned due_soon;	/* [calendar] due_soon, for the verdicts */
	/* The caller audits the use itself once it is done (the hand-off,
	 * handoff.h, when its package is made); a refusal is audited all
	 * the same. */
	int audit_later;
};

/* A case opened for a use: the case view cut to the input. */
struct dossier {
	struct case_view v;	/* notes, files and content as chosen */
	/* The case numbers of v.links, in their order (casenumber.h). */
	char (*link_numbers)[CASE_NUMBER_LEN + 1];
	struct workflow_deadline_status *deadlines;
	size_t ndeadlines;
	time_t now;
	unsigned due_soon;
	int notes, identity;
};

/*
 * Open in->report_id for actor a at time now as in chooses, and audit
 * in->action on it. VERDICT_DONE and *out (dossier_release it);
 * NOT_FOUND ("case.not_found"); REFUSED ("case.no_keyring", audited as a
 * refused in->action on "report CASENUMBER"); FAILED.
 */
enum verdict dossier_open(struct installation *inst,
                          const struct workflows *wfs, const struct actor *a,
                          const struct dossier_input *in, time_t now,
                          struct dossier *out, struct outcome *o);
void dossier_release(struct dossier *d);

/*
 * The document of d as JSON (UTF-8, indented), made by made_by, appended
 * to out. 0 or -1.
 */
int dossier_json(const struct dossier *d, const struct workflows *wfs,
                 const char *made_by, struct buf *out);

/*
 * The export: dossier_open, the document and the files in a ZIP appended
 * to zip, and the audit row of in->action (DOSSIER_EXPORT when NULL)
 * once the archive is made. The verdicts of dossier_open; FAILED leaves
 * zip as it was.
 */
enum verdict dossier_build(struct installation *inst,
                           const struct workflows *wfs, const struct actor *a,
                           const struct dossier_input *in, time_t now,
                           struct buf *zip, struct outcome *o);

#endif
