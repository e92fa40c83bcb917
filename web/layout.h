/*
 * layout.h - the frame every page shares.
 *
 * layout_begin writes the document head (language, title, the stylesheets),
 * the skip link, the page header with the language switch, and opens the
 * main content; layout_end closes it with the footer. Pages use the NL
 * Design System (Utrecht) component classes, so an organisation's theme
 * styles them; no page loads a script.
 */
#ifndef MELDPUNT_LAYOUT_H
#define MELDPUNT_LAYOUT_H

#include "request.h"

/* title is plain text (escaped here). */
void layout_begin(struct request *req, const char *title);
void layout_end(struct request *req);

/* An <h1> with text (escaped). */
void layout_heading(struct request *req, const char *text);
/*
 * An alert box (NL Design System): kind is "error", "ok" or "info". Errors
 * are announced with role="alert", the others with role="status".
 * Everything written between begin and end is its message.
 */
void layout_alert_begin(struct request *req, const char *kind);
void layout_alert_end(struct request *req);

/* A paragraph with text (escaped). */
void layout_paragraph(struct request *req, const char *text);

#endif
