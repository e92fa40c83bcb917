/*
 * page_document.h - the documents of an incident (core/paperwork.h) on
 * the case page and as downloads, for the pages and the JSON API alike.
 */
#ifndef MELDPUNT_PAGE_DOCUMENT_H
#define MELDPUNT_PAGE_DOCUMENT_H

#include <stdint.h>

#include "i18n.h"
#include "request.h"

/*
 * The message catalogue's text of key in a document's language (arg: a
 * struct document_lang), or key itself when the catalogue has none: what
 * core's documents take for their questions' and options' words.
 */
struct document_lang {
	enum lang lang;
};
const char *page_document_text(void *arg, const char *key);

/* The document's language as a select, the page's chosen (name "taal"). */
void page_document_lang_select(struct request *req, const char *id);

/* The case page's form that makes the documents of the incident with
 * case number number (casenumber.h). */
void page_document_form(struct request *req, const char *number);

/*
 * GET PATH_CASE_DOCUMENT and PATH_API_CASE_DOCUMENT: ?id=CASENUMBER
 * &document=aangifte|schadeverhaal &taal=nl|en (default: the page's)
 * &wijze=afspraak|werkgever (optional): the PDF as a download.
 */
int page_case_document(struct request *req);

#endif
