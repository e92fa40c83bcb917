/*
 * html.c - escaping for HTML and JSON (see html.h).
 */
#include <stdio.h>
#include <string.h>

#include "html.h"

static void
escape_html(struct buf *b, const char *s)
{
	const char *run = s;

	/* Copy runs of harmless bytes in one go. */
	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, rep);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

void
html_text(struct buf *b, const char *s)
{
	escape_html(b, s);
}

void
html_url_arg(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~')
			buf_addch(b, c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

void
html_attr(struct buf *b, const char *s)
{
	escape_html(b, s);
}

void
html_raw(struct buf *b, const char *literal)
{
	buf_adds(b, literal);
}

void
json_quote(struct buf *b, const char *s)
{
	json_quote_len(b, s, strlen(s));
}

void
json_quote_len(struct buf *b, const void *s, size_t len)
{
	/* Safe inside HTML too: answers end up in pages' JSON. */
	buf_add_json(b, s, len, BUF_JSON_HTML);
}

void
csv_quote(struct buf *b, const char *s, char sep)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
	const char *p;

	if (!formula && !strchr(s, sep) && !strpbrk(s, "\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	if (formula)
		buf_addch(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}
