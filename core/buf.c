/*
 * buf.c - the growable buffer (see buf.h for its invariants).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "crypto.h"

char buf_empty[1];

void
buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void
buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

void
buf_wipe_release(struct buf *b)
{
	if (b->cap)
		crypto_wipe(b->data, b->cap);
	buf_release(b);
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		die("buffer size overflow");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	/*
	 * No realloc: the old block may hold report content, and realloc
	 * would free it unwiped.
	 */
	p = malloc(cap);
	if (!p)
		die("out of memory (%zu bytes)", cap);
	memcpy(p, b->data, b->len + 1);
	if (b->cap) {
		crypto_wipe(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
}

void
buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len > b->len)
		die("buf_truncate beyond length");
	if (!b->cap)
		return;
	b->len = len;
	b->data[len] = '\0';
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		die("bad format string");
	if ((size_t)n >= (b->cap ? b->cap - b->len : 0)) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		if (n < 0)
			die("bad format string");
	}
	b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (!b->cap)
		buf_grow(b, 0);
	p = b->data;
	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}

struct buf_block *
buf_detach_block(struct buf *b)
{
	struct buf_block *blk = malloc(sizeof(*blk));

	if (!blk)
		die("out of memory");
	if (!b->cap)
		buf_grow(b, 0);
	blk->data = b->data;
	blk->len = b->len;
	blk->cap = b->cap;
	buf_init(b);
	return blk;
}

void
buf_wiped_free(void *block)
{
	struct buf_block *blk = block;

	if (!blk)
		return;
	crypto_wipe(blk->data, blk->cap);
	free(blk->data);
	free(blk);
}

void *
buf_grow_array(void *p, size_t *cap, size_t size, size_t first)
{
	size_t n;

	if (*cap == 0)
		n = first ? first : 1;
	else if (*cap > SIZE_MAX / 2)
		die("out of memory");
	else
		n = *cap * 2;
	if (size == 0 || n > SIZE_MAX / size)
		die("out of memory");
	p = realloc(p, n * size);
	if (!p)
		die("out of memory");
	*cap = n;
	return p;
}

void
buf_add_json(struct buf *b, const void *s, size_t len, unsigned flags)
{
	static const char short_escapes[] = "btnvfr";	/* from \b on */
	const char *p = s;
	size_t i, run = 0;

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		int html = (flags & BUF_JSON_HTML) &&
		           (c == '<' || c == '>' || c == '&');

		if (c >= 0x20 && c != '"' && c != '\\' && !html)
			continue;
		/* Runs of plain bytes in one copy: content can be long. */
		buf_add(b, p + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (html)
			buf_adds(b, c == '<' ? "\\u003c" : c == '>' ? "\\u003e"
			                                      : "\\u0026");
		else if (c >= '\b' && c <= '\r' && c != '\v')
			buf_addf(b, "\\%c", short_escapes[c - '\b']);
		else
			buf_addf(b, "\\u%04X", c);
	}
	buf_add(b, p + run, len - run);
	buf_addch(b, '"');
}
