/*
 * widget.h - the small pieces every staff page is built of.
 *
 * Hidden fields, buttons, text fields and text areas with their labels,
 * the opening of a POST form with the session's CSRF token, and reading a
 * number or a text back out of a request: written once here, with the NL
 * Design System (Utrecht) classes and escaping of every value, so the
 * pages only say what they show.
 */
#ifndef MELDPUNT_WIDGET_H
#define MELDPUNT_WIDGET_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "request.h"

struct secret;

/* <input type="hidden"> with name and value (escaped). */
void widget_hidden(struct request *req, const char *name, const char *value);
/* The same for a number. */
void widget_hidden_int(struct request *req, const char *name, int64_t value);

/* The hidden CSRF field every staff form carries (the session's token). */
void staff_csrf_field(struct request *req);

/*
 * <form method="post" action="ACTION" class="meldpunt-action"> with the
 * session's CSRF field; close it with html_raw(..., "</form>").
 */
void widget_form_post(struct request *req, const char *action);

/* A submit button with text (escaped); primary or secondary action. */
void widget_button(struct request *req, const char *text, int primary);

/*
 * A labelled single-line field: type ("text", "date", ...), name, id,
 * label text, current value (NULL: none).
 */
void widget_text(struct request *req, const char *type, const char *name,
                 const char *id, const char *label, const char *value);

/*
 * The opening of a text input, without its closing '>': the caller may add
 * attributes (aria-invalid, ...) and closes it. value NULL: none.
 */
void widget_input_open(struct request *req, const char *type, const char *name,
                       const char *id, const char *value);

/*
 * <table class="utrecht-table" id="ID"> with a header row of the texts of
 * the n message keys, and <tbody> opened; the caller writes the rows and
 * closes "</tbody></table>".
 */
void widget_table_head(struct request *req, const char *id,
                       const char *const *keys, size_t n);

/*
 * Open a form field: <div class="utrecht-form-field"> and the <label> for
 * id with text (escaped). The caller writes the control and "</div>".
 */
void widget_label(struct request *req, const char *id, const char *text);

/* <a class="utrecht-link" href="HREF">TEXT</a>, both escaped. */
void widget_link(struct request *req, const char *href, const char *text);

/* A labelled text area; value is shown in it (NULL: empty). */
void widget_textarea(struct request *req, const char *name, const char *id,
                     const char *label, const struct secret *value);
/* The same with what was typed in a refused form (NULL: empty). */
void widget_textarea_typed(struct request *req, const char *name,
                           const char *id, const char *label,
                           const char *value);

/*
 * Open a box in which a wide table scrolls on a phone instead of widening
 * the page; it is a named region that takes focus, so it scrolls with the
 * keyboard too. label (escaped) names it; close it with "</div>".
 */
void widget_scroll_open(struct request *req, const char *label);

/* A positive decimal id and nothing else (no sign, no spaces). 0 or -1. */
int widget_parse_id(const char *s, int64_t *id);

/*
 * The text field name of the request's form: present, within its limit,
 * valid UTF-8 without control characters. NULL otherwise; *len its length.
 */
const char *widget_post_text(struct request *req, const char *name,
                             size_t *len);

/*
 * <div><label>label</label><select name id>: the options follow
 * (widget_option), then "</select></div>".
 */
void widget_select_open(struct request *req, const char *name,
                        const char *id, const char *label);
/* One <option>, selected when value equals current (may be NULL). */
void widget_option(struct request *req, const char *value, const char *text,
                   const char *current);

/*
 * A stored time or day for a person: <time datetime="STORED">shown</time>,
 * shown in the organisation's zone and the request's language (clock_show).
 */
void widget_time(struct request *req, const char *stored);

/* The same text without the element (for texts with a {placeholder}). */
void widget_time_text(const struct request *req, const char *stored,
                      char out[CLOCK_SHOW_LEN + 1]);

/*
 * A check box with its label beside it (the NL Design System form field
 * of type checkbox): name, id and value of the input, the label's text
 * (all escaped), ticked when checked.
 */
void widget_checkbox(struct request *req, const char *name, const char *id,
                     const char *value, const char *label, int checked);

/*
 * A status badge: <span class="meldpunt-badge meldpunt-badge--KIND">text
 * (escaped). kind, a literal: "state" (a workflow state), "late" (a
 * deadline passed) or "oral" (an oral report's check, core/oral.h).
 */
void widget_badge(struct request *req, const char *text, const char *kind);

/*
 * A keyring as people read it: keyring.NAME of the message catalogue in
 * the request's language (signals, not signalen), or the name itself for
 * a keyring the catalogues do not know.
 */
const char *widget_keyring_name(const struct request *req, const char *name);
/* The same for each name of a list "a, b", appended to out as "A, B". */
void widget_keyring_list(const struct request *req, const char *list,
                         struct buf *out);

#endif
