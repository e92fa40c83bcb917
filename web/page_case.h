/*
 * page_case.h - the handlers' case page (content, files, timeline,
 * notes, transitions, messages to the reporter, assignment, links, legal
 * hold); the inbox is web/page_inbox.h.
 */
#ifndef MELDPUNT_PAGE_CASE_H
#define MELDPUNT_PAGE_CASE_H

#include "buf.h"
#include "report.h"
#include "request.h"
#include "workflow.h"

int page_case(struct request *req);
int page_case_transition(struct request *req);
int page_case_message(struct request *req);
int page_case_note(struct request *req);
int page_case_assign(struct request *req);
int page_case_link(struct request *req);
int page_case_file(struct request *req);
/* Set or lift the legal hold (core/retention.h). */
int page_case_hold(struct request *req);
/* Correct a step's fields, undo the last step (web/page_correct.c). */
int page_case_correct(struct request *req);
int page_case_undo(struct request *req);
/*
 * GET id, notities=1, identiteit=1: the case to print on A4 (content,
 * deadlines, timeline; notes and identity only when asked), audited
 * report-print (core/dossier.h).
 */
int page_case_print(struct request *req);
/*
 * GET id and the same choices (notes=1, identity=1 on the API): the
 * dossier export, a ZIP made in memory, audited dossier-export.
 */
int page_case_dossier(struct request *req);
/* GET: the steps whose amounts do not read as euros, for correction. */
int page_amounts(struct request *req);

/* A state's label in the request's language (the workflow's), or its name. */
const char *page_case_state_label(const struct request *req,
                                  enum report_type t, const char *state);
/*
 * The message key of the words of a deadline's one verdict (workflow.h):
 * the case page and the inbox say it alike.
 */
const char *page_case_verdict_key(enum deadline_verdict v);
/* The label of option of the form's field, added to out. */
void page_case_option_text(const struct request *req, enum report_type t,
                           const char *field, const char *option,
                           struct buf *out);

#endif
