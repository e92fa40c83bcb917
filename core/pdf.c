/*
 * pdf.c - A4 documents laid out with pango and written by cairo's PDF
 * surface into memory (see pdf.h).
 *
 * Each block of text is one PangoLayout as wide as the text column; its
 * lines are drawn one by one, so a page ends between two lines of a long
 * paragraph and never cuts a line. Every document has a font map of its
 * own (pango_cairo_font_map_new), freed with it: no per-thread font map
 * outlives a document in a server thread, and documents made at once in
 * two threads share nothing of pango's (fontconfig's configuration is
 * global and loaded once, which is thread-safe).
 *
 * Sizes are in PDF points (1/72 inch); the pango context is set to 72
 * dots per inch so that a 10 point font is 10 points on paper.
 */
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "crypto.h"
#include "log.h"
#include "pdf.h"

/* A4 in points, and the margins (20 mm). */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.69
#define FOOTER_H 24.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - FOOTER_H)
#define INDENT 14.0

#define FONT_TEXT "DejaVu Sans 10"
#define FONT_BOLD "DejaVu Sans Bold 10"
#define FONT_HEADING "DejaVu Sans Bold 13"
#define FONT_TITLE "DejaVu Sans Bold 18"
#define FONT_SMALL "DejaVu Sans 8"
#define FONT_MONO "DejaVu Sans Mono 8"

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap;
	PangoContext *context;
	struct buf out;		/* what cairo wrote so far */
	char *footer;		/* may be NULL */
	char *page_word;
	double y;		/* top of the next line */
	int page;
	int failed;		/* a write or cairo failed */
	int finished;
};

/* Grow out to hold extra more bytes, wiping the block it leaves. */
static void
out_reserve(struct buf *out, size_t extra)
{
	struct buf bigger = BUF_INIT;

	if (out->cap && out->len + extra < out->cap)
		return;
	buf_grow(&bigger, out->len + extra > 2 * out->cap
	                  ? out->len + extra : 2 * out->cap);
	buf_add(&bigger, out->data, out->len);
	buf_wipe_release(out);
	*out = bigger;
}

static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct pdf *p = closure;

	out_reserve(&p->out, length);
	buf_add(&p->out, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* text as valid UTF-8 (g_free it after wiping). */
static char *
valid_text(const char *text)
{
	return g_utf8_make_valid(text ? text : "", -1);
}

static void
free_text(char *t)
{
	if (t) {
		crypto_wipe(t, strlen(t));
		g_free(t);
	}
}

static PangoLayout *
layout_of(struct pdf *p, const char *font, double width, const char *text)
{
	PangoLayout *l = pango_layout_new(p->context);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	char *t = valid_text(text);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, t, -1);
	free_text(t);
	return l;
}

/* The footer of the current page: its text and number, small, grey. */
static void
draw_footer(struct pdf *p)
{
	GString *s = g_string_new(NULL);
	PangoLayout *l;

	if (p->footer && p->footer[0])
		g_string_append_printf(s, "%s · ", p->footer);
	g_string_append_printf(s, "%s %d", p->page_word, p->page);
	l = layout_of(p, FONT_SMALL, TEXT_W, s->str);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN - 10.0);
	pango_cairo_show_layout(p->cr, l);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	g_object_unref(l);
	g_string_free(s, TRUE);
}

static void
new_page(struct pdf *p)
{
	draw_footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/*
 * Draw the lines of l at x from the current height on, breaking the page
 * before a line that does not fit; space before (not at the top of a
 * page) and after.
 */
static void
flow(struct pdf *p, PangoLayout *l, double x, double before, double after)
{
	PangoLayoutIter *it;

	if (p->finished)
		return;
	if (p->y > MARGIN)
		p->y += before;
	it = pango_layout_get_iter(l);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle logical;
		double h, base;

		pango_layout_iter_get_line_extents(it, NULL, &logical);
		h = (double)logical.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - logical.y) /
		       PANGO_SCALE;
		if (p->y + h > BOTTOM && p->y > MARGIN)
			new_page(p);
		cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE,
		              p->y + base);
		pango_cairo_show_layout_line(p->cr, line);
		p->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += after;
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		p->failed = 1;
}

/* One block of text in font at x, width wide. */
static void
block(struct pdf *p, const char *font, double x, double width,
      const char *text, double before, double after)
{
	PangoLayout *l;

	if (p->finished)
		return;
	l = layout_of(p, font, width, text);
	flow(p, l, x, before, after);
	g_object_unref(l);
}

/* Start a new page unless room of need points is left on this one. */
static void
keep_room(struct pdf *p, double need)
{
	if (!p->finished && p->y > MARGIN && p->y + need > BOTTOM)
		new_page(p);
}

int
pdf_new(const char *title, const char *footer, const char *page_word,
        struct pdf **out)
{
	struct pdf *p = calloc(1, sizeof(*p));
	char *t;

	*out = NULL;
	if (!p)
		die("out of memory");
	buf_init(&p->out);
	p->page = 1;
	p->y = MARGIN;
	p->footer = footer ? valid_text(footer) : NULL;
	p->page_word = valid_text(page_word ? page_word : "");
	p->surface = cairo_pdf_surface_create_for_stream(write_out, p, PAGE_W,
	                                                 PAGE_H);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
		goto fail;
	t = valid_text(title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, t);
	free_text(t);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
	                               "Meldpunt");
	p->cr = cairo_create(p->surface);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	p->fontmap = pango_cairo_font_map_new();
	p->context = pango_font_map_create_context(p->fontmap);
	pango_cairo_context_set_resolution(p->context, 72.0);
	pango_cairo_update_context(p->cr, p->context);
	*out = p;
	return 0;
fail:
	error("pdf: cairo cannot make a PDF surface: %s",
	      cairo_status_to_string(cairo_surface_status(p->surface)));
	pdf_free(p);
	return -1;
}

void
pdf_title(struct pdf *p, const char *text)
{
	keep_room(p, 80.0);
	block(p, FONT_TITLE, MARGIN, TEXT_W, text, 0.0, 10.0);
}

void
pdf_heading(struct pdf *p, const char *text)
{
	/* A heading stays with at least three lines of what follows. */
	keep_room(p, 60.0);
	block(p, FONT_HEADING, MARGIN, TEXT_W, text, 12.0, 4.0);
}

void
pdf_paragraph(struct pdf *p, const char *text)
{
	block(p, FONT_TEXT, MARGIN, TEXT_W, text, 4.0, 4.0);
}

void
pdf_field(struct pdf *p, const char *label, const char *value)
{
	keep_room(p, 30.0);
	block(p, FONT_BOLD, MARGIN, TEXT_W, label, 4.0, 1.0);
	block(p, FONT_TEXT, MARGIN + INDENT, TEXT_W - INDENT, value, 0.0, 2.0);
}

void
pdf_choice(struct pdf *p, int checked, const char *text)
{
	GString *s = g_string_new(checked ? "[X]  " : "[  ]  ");
	char *t = valid_text(text);

	g_string_append(s, t);
	free_text(t);
	block(p, FONT_TEXT, MARGIN + INDENT, TEXT_W - INDENT, s->str, 2.0, 1.0);
	g_string_free(s, TRUE);
}

void
pdf_file(struct pdf *p, const char *name, const char *sha256_hex)
{
	GString *s = g_string_new("SHA-256 ");

	keep_room(p, 26.0);
	block(p, FONT_TEXT, MARGIN, TEXT_W, name, 4.0, 0.0);
	g_string_append(s, sha256_hex ? sha256_hex : "");
	block(p, FONT_MONO, MARGIN + INDENT, TEXT_W - INDENT, s->str, 0.0, 2.0);
	g_string_free(s, TRUE);
}

void
pdf_page_break(struct pdf *p)
{
	if (!p->finished && p->y > MARGIN)
		new_page(p);
}

int
pdf_pages(const struct pdf *p)
{
	return p->page;
}

int
pdf_finish(struct pdf *p, struct buf *out)
{
	cairo_status_t st;

	if (p->finished) {
		return error("pdf: the document is finished already");
	}
	draw_footer(p);
	p->finished = 1;
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(p->surface);
	st = cairo_surface_status(p->surface);
	if (st != CAIRO_STATUS_SUCCESS || p->failed) {
		return error("pdf: cairo cannot write the document: %s",
		             cairo_status_to_string(st));
	}
	buf_add(out, p->out.data, p->out.len);
	return 0;
}

void
pdf_free(struct pdf *p)
{
	if (!p)
		return;
	if (p->cr)
		cairo_destroy(p->cr);
	if (p->surface)
		cairo_surface_destroy(p->surface);
	if (p->context)
		g_object_unref(p->context);
	if (p->fontmap)
		g_object_unref(p->fontmap);
	free_text(p->footer);
	free_text(p->page_word);
	buf_wipe_release(&p->out);
	free(p);
}
