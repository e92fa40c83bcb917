/*
 * html.h - output escaping, on by default.
 *
 * Everything that is not a literal of the program goes into a page through
 * html_text (element content) or html_attr (attribute values), and into
 * JSON through json_quote. html_raw exists for literals only: never pass
 * it a value that came from a request, the database or a message catalogue
 * entry with arguments.
 */
#ifndef MELDPUNT_HTML_H
#define MELDPUNT_HTML_H

#include "buf.h"

/* Escape & < > " ' for element content. */
void html_text(struct buf *b, const char *s);
/* Escape for a double-quoted attribute value (same set, plus nothing else
 * needed since values are always quoted). */
void html_attr(struct buf *b, const char *s);
/* A literal of the program, unescaped. */
void html_raw(struct buf *b, const char *literal);
/*
 * A name or value of a URL's query: every byte but the unreserved
 * letters, digits and - . _ ~ as %XX. The URL then still goes through
 * html_attr into a page.
 */
void html_url_arg(struct buf *b, const char *s);

/* A JSON string literal, quotes included, safe inside HTML too
 * (buf_add_json with BUF_JSON_HTML). */
void json_quote(struct buf *b, const char *s);
/* The same for len bytes that need not end in NUL (decrypted texts). */
void json_quote_len(struct buf *b, const void *s, size_t len);

/*
 * A CSV field for a spreadsheet: quoted when it holds sep, a quote or a
 * line break (quotes doubled), and a leading =, +, - or @ defused with a
 * ' so the spreadsheet does not take it for a formula.
 */
void csv_quote(struct buf *b, const char *s, char sep);

#endif
