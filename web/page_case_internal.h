/*
 * page_case_internal.h - what page_case.c lends the case page's other
 * files (page_correct.c): the step fields as inputs and as a list, their
 * labels, and the answer after an action.
 */
#ifndef MELDPUNT_PAGE_CASE_INTERNAL_H
#define MELDPUNT_PAGE_CASE_INTERNAL_H

#include "buf.h"
#include "casework.h"
#include "request.h"

/* The label of field name of a step of type t (key: scratch). */
const char *pc_field_label(const struct request *req, enum report_type t,
                           const char *name, struct buf *key);
/* One field of a step's form, value (may be NULL) filled in. */
void pc_field_input(struct request *req, enum report_type type,
                    const char *name, const char *id, const char *value);
/* The fields of a step as a list, a choice by its label. */
void pc_render_fields(struct request *req, enum report_type type,
                      const struct event_fields *fields);
/* Back to case id after an action, or its refusal on the case page. */
int pc_after_action(struct request *req, int64_t id, const struct outcome *o);

/* page_correct.c: a workflow event of the timeline, with its forms. */
void correct_render_event(struct request *req, const struct case_view *v,
                          size_t i);

#endif
