/*
 * answers.h - a report's answers as a readable list.
 *
 * The content of a report is JSON ({"form":..., "answers":{...}}, see
 * core/form.h). Reporter and handler pages show it the same way: each
 * question of the form, in the form's order, with its answer; options are
 * shown as their words, never their internal names.
 */
#ifndef MELDPUNT_ANSWERS_H
#define MELDPUNT_ANSWERS_H

#include "report.h"
#include "request.h"

struct secret;

/* Write <h2>heading</h2><dl>...</dl> for content; nothing if unreadable. */
void answers_render(struct request *req, enum report_type t,
                    const struct secret *content, const char *heading_key);

/*
 * The first text answer of field name in content, copied into out, or ""
 * (e.g. the reporter's e-mail address for a notice). out_size > 0.
 */
void answers_get_text(const struct secret *content, const char *name,
                      char *out, size_t out_size);

#endif
