/*
 * layout.h - the frame every page shares.
 *
 * layout_begin writes the document head (language, title, the stylesheets),
 * the skip link, the page header with the language switch, and opens the
 * main content; layout_end closes it with the footer. Pages use the NL
 * Design System (Utrecht) component classes, so an organisation's theme
 * styles them; no page loads a script.
 *
 * Staff pages (a session past its set-up) get the staff navigation under
 * the header: the entries of layout_staff_nav the session may open, the
 * current one marked aria-current="page" (a page below it "true"), and
 * the page's full width on a desktop (meldpunt-page--staff).
 */
#ifndef MELDPUNT_LAYOUT_H
#define MELDPUNT_LAYOUT_H

#include "request.h"

/* title is plain text (escaped here). */
void layout_begin(struct request *req, const char *title);
void layout_end(struct request *req);

/*
 * One entry of the staff navigation: path (and query, or NULL) of its
 * page, shown when the route table lets the session's roles open the path
 * (web_allowed) and, when roles is not 0, the session has one of roles
 * (the inbox of signals is the coordinator's, of incidents the VPT
 * coordinator's). key is its text. The table ends with a NULL path.
 */
struct layout_nav {
	const char *path;
	const char *query;
	unsigned roles;
	const char *key;
};
extern const struct layout_nav layout_staff_nav[];

/* 1 when the request's session is shown entry of the staff navigation. */
int layout_nav_shown(const struct request *req, const struct layout_nav *e);

/*
 * The way back from a detail page (a case to its inbox, a meeting to the
 * list): a link to href with text (both escaped), above the page's <h1>.
 */
void layout_back(struct request *req, const char *href, const char *text);

/* An <h1> with text (escaped). */
void layout_heading(struct request *req, const char *text);
/* An <h2> with text (escaped). */
void layout_heading2(struct request *req, const char *text);
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
