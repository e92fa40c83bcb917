/*
 * i18n.h - the texts of the pages, one catalogue per language.
 *
 * Every text a page shows comes from schema/messages/nl.ini or en.ini,
 * never from a string literal in a handler. A key is "section.name" of the
 * INI file ("signal.phenomenon"). Dutch is the default; English is a choice
 * the reporter makes with the language switch. Both catalogues must have
 * exactly the same keys: i18n_load refuses them otherwise, naming the key.
 *
 * Texts may carry placeholders in braces ({max}); i18n_fill substitutes
 * them. A text is plain text: it is escaped like any value when written.
 */
#ifndef MELDPUNT_I18N_H
#define MELDPUNT_I18N_H

#include "buf.h"

enum lang { LANG_NL, LANG_EN, LANG_COUNT };

/* Load both embedded catalogues; 0, or -1 with the problem logged. */
int i18n_load(void);

/* "nl" / "en". */
const char *i18n_code(enum lang l);
/* 0 and *l for "nl" or "en", else -1. */
int i18n_parse(const char *code, enum lang *l);

/*
 * The text of key in l. A missing key is a bug: it is logged and the key
 * itself is returned, so the page still renders.
 */
const char *i18n_get(enum lang l, const char *key);

/* 1 when key exists. */
int i18n_has(const char *key);

/*
 * Append text to b with {name} placeholders replaced by the values given
 * as name, value pairs ending with NULL. Unknown placeholders stay as they
 * are. The result is still plain text (escape when writing HTML).
 */
void i18n_fill(struct buf *b, const char *text, ...);

#endif
