/*
 * filing.h - filing a report: the one action by which a report comes in.
 *
 * The form pages (web/page_report.c, also when staff register a report
 * on a reporter's behalf) and the JSON API (web/api.c) both hand the
 * answers and files, as they read them from the request, to report_file,
 * and only render what it answers. It checks every answer against the
 * form (form.h form_check), encodes them (form_encode), seals them before
 * the write transaction, and stores the report in its workflow's initial
 * state with its audit row in one transaction (report.h report_submit).
 *
 * What web reads is transport only: libmicrohttpd's post processor or the
 * JSON body, under the size limits of the request. A text the reader cut
 * at its limit is added with answers_add_cut, and form_check finds that
 * field too long. transport_errors counts what web itself found wrong
 * while reading (a file over its limit, a JSON member the form does not
 * have): the answers are still checked, so that every error shows at
 * once, but nothing is stored.
 *
 * Ownership: report_file borrows everything in struct filing; the receipt
 * goes into the caller's array (show it, then wipe it).
 */
#ifndef MELDPUNT_FILING_H
#define MELDPUNT_FILING_H

#include <stddef.h>

#include "action.h"
#include "form.h"
#include "report.h"

struct installation;
struct workflow;

struct filing {
	enum report_type type;
	const struct workflow *workflow;	/* of type: its initial state */
	const char *source;		/* "web", or what staff chose */
	const struct answers *answers;
	const struct attachment_in *files;
	size_t nfiles;
	size_t field_max;		/* limits.h, for fields without a max */
	unsigned upload_types;		/* kinds of file allowed (filetype.h) */
	size_t transport_errors;
	/* A member of staff registering it for the reporter, or NULL: the
	 * report-register audit row, in the report's transaction. */
	const char *registrar;
	/*
	 * An oral report (oral.h): the record of the conversation as web
	 * read it (record_cut: cut at its limit), written down by registrar;
	 * NULL for any other report.
	 */
	const char *record;
	size_t record_len;
	int record_cut;
};

/*
 * File a report. errors gets one entry per field of forms_get(in->type).
 * VERDICT_DONE with the receipt and o.id the report's id;
 * VERDICT_INVALID with key and field of the first field in error (both
 * NULL when only web's own errors were found), and arg the name of the
 * first file whose content is not of an allowed kind (filetype.h: the
 * name and declared type are never trusted), if any; for an oral report
 * whose record is cut, not plain text or blank, key form.error.too_long,
 * form.error.bad_text or oral.record_empty with field "record" (the
 * errors of the form's fields are in errors all the same); VERDICT_FAILED.
 * Nothing is stored unless VERDICT_DONE.
 */
struct outcome report_file(struct installation *inst, const struct filing *in,
                           enum field_error *errors,
                           char receipt[RECEIPT_TEXT_LEN + 1]);

#endif
