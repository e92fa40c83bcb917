/*
 * pdf.h - A4 documents as PDF, made in memory with cairo and pango.
 *
 * The documents that leave Meldpunt on paper or to a partner (the
 * hand-off's cover document, the police information form for an
 * aangifte, the damages claim letter) are simple: a title, a few
 * labelled lines, headings, paragraphs, labelled answers and a list of
 * files with their SHA-256. This module lays them out on A4 pages,
 * breaking pages (also inside a long paragraph, line by line) and
 * numbering them in a footer. Text is set as plain text (never pango
 * markup), so nothing a reporter typed can change the layout; invalid
 * UTF-8 is shown with U+FFFD instead.
 *
 * The PDF is written through cairo's write callback into a struct buf,
 * never into a file. The buffer this module owns is wiped when it grows
 * and when it is freed; cairo and pango keep copies of text and glyphs
 * in buffers of their own and free them without wiping (SECURITY.md says
 * so, as for libzip). Only this file includes cairo and pango headers
 * (tests/test_sources.sh).
 *
 * Ownership: pdf_new gives a struct pdf to pdf_free; pdf_finish appends
 * the document to the caller's buffer (free it with buf_wipe_release).
 * Texts given are copied by pango: the caller keeps and wipes its own.
 */
#ifndef MELDPUNT_PDF_H
#define MELDPUNT_PDF_H

#include <stddef.h>

#include "buf.h"

struct pdf;

/*
 * A new document whose every page's footer shows footer (e.g. "Melding
 * 12", may be NULL) and the page number after page_word ("pagina"). The
 * title goes into the PDF's metadata too. 0, or -1 (logged).
 */
int pdf_new(const char *title, const char *footer, const char *page_word,
            struct pdf **out);

/* The document's title, large, at the top of the current page. */
void pdf_title(struct pdf *p, const char *text);
/* A heading of a section. */
void pdf_heading(struct pdf *p, const char *text);
/* A paragraph; newlines in text start new lines. */
void pdf_paragraph(struct pdf *p, const char *text);
/* A labelled value: the label in bold, the value below it, indented. */
void pdf_field(struct pdf *p, const char *label, const char *value);
/* A check box line: [X] or [ ] and its text. */
void pdf_choice(struct pdf *p, int checked, const char *text);
/* A file: its name, then its SHA-256 (64 hex digits) in a fixed font. */
void pdf_file(struct pdf *p, const char *name, const char *sha256_hex);
/* Go on on a new page (nothing when the page is still empty). */
void pdf_page_break(struct pdf *p);

/* Pages so far (1 for a new document). */
int pdf_pages(const struct pdf *p);

/*
 * Finish the document and append its bytes to out. Nothing can be added
 * afterwards. 0, or -1 (logged; out unchanged).
 */
int pdf_finish(struct pdf *p, struct buf *out);

/* Free, wiping what this module holds. NULL is fine. */
void pdf_free(struct pdf *p);

#endif
