/*
 * template.h - the texts of the documents Meldpunt makes, as data.
 *
 * Each document made from a case (the police information form for an
 * aangifte, the damages claim letter) takes its texts from a file of
 * schema/templates/, NAME.ini, in Dutch and English:
 *
 *	[template]
 *	type = incident		; the report type it is for (any: both)
 *	[nl]
 *	title = Verhaal van schade
 *	body = Op {incident_date} ... {claimed} ...
 *	[en]
 *	title = Recovery of damages
 *	body = On {incident_date} ... {claimed} ...
 *
 * templates_load reads and checks every template at start, as the forms
 * and workflows are: both languages present with the same keys, every key
 * the document needs (paperwork.c names them), placeholders only of the
 * document's list and with their braces closed, no other section or
 * key; a broken file stops the start with its file and line.
 *
 * Ownership: templates are loaded once and live until templates_free;
 * texts point into them.
 */
#ifndef MELDPUNT_TEMPLATE_H
#define MELDPUNT_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "report.h"

enum template_lang { TEMPLATE_NL, TEMPLATE_EN, TEMPLATE_LANGS };

/* What a document asks of its template file. */
struct template_spec {
	const char *name;		/* "aangifte": templates/aangifte.ini */
	const char *const *keys;	/* the keys it needs, NULL-terminated */
	const char *const *placeholders;/* names {x} may use, NULL-terminated */
};

struct template;

/*
 * Parse the text of a template (named file in messages) against spec.
 * 0 and *out, or -1 with "file:line: problem" appended to errors.
 */
int template_parse(const char *file, const char *text,
                   const struct template_spec *spec, struct template **out,
                   struct buf *errors);
void template_free(struct template *t);

/*
 * Load the embedded templates/NAME.ini of each spec (specs ends with a
 * NULL name), each in the place of a loaded one of its name. 0, or -1
 * with the problems logged (those loaded before stay).
 */
int templates_load(const struct template_spec *specs);
/* The loaded template of name, or NULL. */
const struct template *templates_get(const char *name);
void templates_free(void);

/* 1 when t is for reports of type (its type, or any), else 0. */
int template_fits(const struct template *t, enum report_type type);

/* The text of key in lang ("" for a key the spec did not ask for). */
const char *template_text(const struct template *t, enum template_lang lang,
                          const char *key);

/*
 * Append text with each {name} replaced by its value: names and values
 * are n pairs. A placeholder without a value stays as it is.
 */
void template_fill(struct buf *out, const char *text, const char *const *names,
                   const char *const *values, size_t n);

#endif
