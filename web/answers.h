/*
 * answers.h - a report's answers as a readable list.
 *
 * The content of a report is JSON ({"form":..., "answers":{...}}), read
 * by core/content.h. Reporter and handler pages show it the same way: each
 * question of the form, in the form's order, with its answer; options are
 * shown as their words, never their internal names. Content whose
 * identity was withheld (core/content.h: a meeting's view) shows "named
 * reporter, contact through the coordinator" where the identity
 * questions would be.
 */
#ifndef MELDPUNT_ANSWERS_H
#define MELDPUNT_ANSWERS_H

#include "report.h"
#include "request.h"

struct secret;

/* Write <h2>heading</h2><dl>...</dl> for content; nothing if unreadable. */
void answers_render(struct request *req, enum report_type t,
                    const struct secret *content, const char *heading_key);

#endif
