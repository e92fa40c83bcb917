/*
 * test_pdf.c - A4 documents made in memory (pdf.h), read back with
 * pdftotext as a partner's tools would: every text given is in the
 * document, in order; long text runs onto further pages with their
 * numbers; text is never taken as markup; invalid UTF-8 does not stop
 * the document; a finished document takes nothing more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"
#include "testutil.h"

static const char sha[] =
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/* Text, the position of needle in it, or -1. */
static long
at(const struct buf *text, const char *needle)
{
	const char *p = strstr(text->data, needle);

	return p ? (long)(p - text->data) : -1;
}

static void
make(struct pdf *p, struct buf *out)
{
	assert_int_equal(pdf_finish(p, out), 0);
	pdf_free(p);
	assert_true(out->len > 1000);
	assert_memory_equal(out->data, "%PDF-", 5);
}

static void
test_texts_in_order(void **state)
{
	struct pdf *p;
	struct buf pdf = BUF_INIT, text = BUF_INIT;

	(void)state;
	assert_int_equal(pdf_new("Overdracht melding 12", "Melding 12",
	                         "pagina", &p), 0);
	pdf_title(p, "Overdracht aan het RIEC");
	pdf_field(p, "Organisatie", "Gemeente Zaanstad");
	pdf_field(p, "Meldingnummer", "12");
	pdf_field(p, "Datum", "7 december 2026");
	pdf_heading(p, "Begeleidende tekst");
	pdf_paragraph(p, "Zie de bijgevoegde stukken.\nMet vriendelijke groet.");
	pdf_field(p, "Omschrijving", "Drugsopslag in de loods aan de Kade, "
	          "café 't Hoekje.");
	pdf_choice(p, 1, "Aangifte op afspraak");
	pdf_choice(p, 0, "Aangifte door de werkgever");
	pdf_heading(p, "Bestanden");
	pdf_file(p, "foto_loods.jpg", sha);
	assert_int_equal(pdf_pages(p), 1);
	make(p, &pdf);
	assert_int_equal(test_pdftotext(pdf.data, pdf.len, &text), 0);
	assert_true(at(&text, "Overdracht aan het RIEC") >= 0);
	assert_true(at(&text, "Gemeente Zaanstad") > at(&text, "Organisatie"));
	assert_true(at(&text, "Meldingnummer") > at(&text, "Gemeente Zaanstad"));
	assert_true(at(&text, "7 december 2026") > at(&text, "Meldingnummer"));
	assert_true(at(&text, "Met vriendelijke groet.") >
	            at(&text, "Zie de bijgevoegde stukken."));
	assert_true(at(&text, "café 't Hoekje.") > 0);
	assert_true(at(&text, "[X] Aangifte op afspraak") > 0);
	assert_true(at(&text, "[ ] Aangifte door de werkgever") > 0);
	assert_true(at(&text, "foto_loods.jpg") > at(&text, "Bestanden"));
	assert_true(at(&text, sha) > at(&text, "foto_loods.jpg"));
	assert_true(at(&text, "Melding 12 · pagina 1") > 0);
	/* The title is in the document's metadata too. */
	assert_true(test_contains(&pdf, "Overdracht melding 12", 21));
	buf_wipe_release(&pdf);
	buf_release(&text);
}

/* A long paragraph breaks between lines onto numbered pages. */
static void
test_long_text_breaks_pages(void **state)
{
	struct pdf *p;
	struct buf pdf = BUF_INIT, text = BUF_INIT, para = BUF_INIT;
	char word[32];
	int i;

	(void)state;
	for (i = 0; i < 3000; i++)
		buf_addf(&para, "woord%d ", i);
	assert_int_equal(pdf_new("Lang", "Melding 7", "page", &p), 0);
	pdf_title(p, "Lang verhaal");
	pdf_paragraph(p, para.data);
	pdf_page_break(p);
	pdf_paragraph(p, "Na de pagina-einde.");
	assert_true(pdf_pages(p) >= 4);
	i = pdf_pages(p);
	make(p, &pdf);
	assert_int_equal(test_pdftotext(pdf.data, pdf.len, &text), 0);
	/* Every word is there once, none cut off at a page's end. */
	assert_true(at(&text, "woord0 ") >= 0);
	assert_true(at(&text, "woord2999") > at(&text, "woord1500"));
	snprintf(word, sizeof(word), "page %d", i);
	assert_true(at(&text, word) > 0);
	assert_true(at(&text, "Na de pagina-einde.") > at(&text, word) ||
	            at(&text, "Na de pagina-einde.") > at(&text, "woord2999"));
	/* The last paragraph began a page of its own: after a form feed. */
	assert_true(strrchr(text.data, '\f') != NULL);
	buf_wipe_release(&pdf);
	buf_release(&text);
	buf_release(&para);
}

/* What a reporter typed is text, never pango markup; bad UTF-8 is shown. */
static void
test_text_not_markup(void **state)
{
	struct pdf *p;
	struct buf pdf = BUF_INIT, text = BUF_INIT;

	(void)state;
	assert_int_equal(pdf_new("x\xff", NULL, "pagina", &p), 0);
	pdf_field(p, "Omschrijving", "<b>vet</b> & <span size=\"99999\">");
	pdf_paragraph(p, "kapot \xc3\x28 teken");
	pdf_file(p, "a\xfe.txt", sha);
	make(p, &pdf);
	assert_int_equal(test_pdftotext(pdf.data, pdf.len, &text), 0);
	assert_true(at(&text, "<b>vet</b> & <span size=\"99999\">") > 0);
	assert_true(at(&text, "kapot \xef\xbf\xbd( teken") > 0);
	assert_true(at(&text, "pagina 1") > 0);
	buf_wipe_release(&pdf);
	buf_release(&text);
}

static void
test_finished_takes_nothing(void **state)
{
	struct pdf *p;
	struct buf pdf = BUF_INIT;
	size_t len;

	(void)state;
	assert_int_equal(pdf_new("Leeg", NULL, "pagina", &p), 0);
	assert_int_equal(pdf_finish(p, &pdf), 0);
	len = pdf.len;
	pdf_paragraph(p, "te laat");
	pdf_page_break(p);
	assert_int_equal(pdf_finish(p, &pdf), -1);
	assert_int_equal(pdf.len, len);
	pdf_free(p);
	/* Never finished: freed all the same. */
	assert_int_equal(pdf_new("Half", NULL, "pagina", &p), 0);
	pdf_paragraph(p, "nooit af");
	pdf_free(p);
	pdf_free(NULL);
	buf_wipe_release(&pdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts_in_order),
		cmocka_unit_test(test_long_text_breaks_pages),
		cmocka_unit_test(test_text_not_markup),
		cmocka_unit_test(test_finished_takes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
