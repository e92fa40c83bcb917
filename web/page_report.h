/*
 * page_report.h - the reporter's pages: the start page, the two report
 * forms, the receipt, and coming back with the receipt (status, messages,
 * answering).
 */
#ifndef MELDPUNT_PAGE_REPORT_H
#define MELDPUNT_PAGE_REPORT_H

#include "request.h"

int page_report_form(struct request *req);
int page_report_submit(struct request *req);
/*
 * The answer to a body refused for its declared size before any of it
 * was read (413): the limits, and a link back to the form at req->path.
 */
int page_report_too_large(struct request *req);
int page_status_form(struct request *req);
int page_status(struct request *req);
int page_status_reply(struct request *req);
/*
 * The reporter approves the record of an oral report, or sends its
 * corrected text (core/oral.h): the status page again with what was
 * done, or with the refusal.
 */
int page_status_approve(struct request *req);
int page_status_correct(struct request *req);

/*
 * A report form drawn on another page: a staff member registering a
 * report on behalf of a reporter (web/page_register.c). The questions and
 * the checks are the reporter's own; the host gives the page title, where
 * the form posts, and fields of its own (the CSRF token, the source),
 * written first inside the form.
 */
struct report_form_host {
	const char *title;
	const char *action;
	/*
	 * Writes the host's own fields; error is the message key of the
	 * error of its own field own_field, or NULL.
	 */
	void (*fields)(struct request *req, const struct report_form_host *host,
	               const char *error);
	const char *registrar;	/* staff registering it (filing.h), or NULL */
	/*
	 * An oral report (core/oral.h): the posted field "record" is the
	 * record of the conversation, checked and sealed with the report;
	 * its label's message key is record_label (linked from the list of
	 * errors to #f-record). 0 and NULL for any other host.
	 */
	int oral;
	const char *record_label;
};

void report_form_render(struct request *req, enum report_type t,
                        const struct report_form_host *host);

/*
 * Check the posted answers and files against the form of t and store them
 * as a report from source ("web", "phone", ...). 1 with receipt and *id_out
 * filled when stored (the caller shows the receipt, then wipes it); 0 when
 * the form came back with its errors (already rendered, status 400); -1 on
 * error (nothing stored).
 */
int report_form_submit(struct request *req, enum report_type t,
                       const struct report_form_host *host, const char *source,
                       char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out);

/*
 * The page staff see after storing a report for someone (registered at
 * the desk, or recorded from a conversation): a heading, the lead in a
 * success alert, the receipt to pass on, the texts of keys extra (a
 * NULL-ended list, or NULL), and a link to record another at again_path.
 * Keys are message keys.
 */
struct report_receipt_page {
	const char *title;
	const char *lead;
	const char *pass_on;
	const char *const *extra;
	const char *again;
	const char *again_path;
};

void report_receipt_render(struct request *req, const char *receipt,
                           const struct report_receipt_page *page);

#endif
