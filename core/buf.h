/*
 * buf.h - the one growable byte buffer for all output.
 *
 * Every page, JSON document, CSV file and SQL-free string that Meldpunt
 * builds goes through a struct buf. Invariants (checked after every
 * operation in tests/test_buf.c):
 *
 *   - data is never NULL: a fresh buffer points at a shared empty string;
 *   - data[len] is always '\0', so data can be passed as a C string
 *     (it may also hold NUL bytes inside when used for binary data);
 *   - len < cap whenever memory is owned (cap == 0 means nothing owned).
 *
 * Out of memory ends the process (die()): a web server that half-builds a
 * page is worse than one that restarts.
 *
 * Ownership: the struct owns data until buf_detach() hands it to the
 * caller, who then frees it with free(). buf_release() frees and returns the
 * buffer to its fresh state; buf_wipe_release() also overwrites the bytes
 * (for anything that held report content).
 */
#ifndef MELDPUNT_BUF_H
#define MELDPUNT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_wipe_release(struct buf *b);

/* Make room for at least extra more bytes beyond len. */
void buf_grow(struct buf *b, size_t extra);

/* Back to empty, keeping the memory. */
void buf_reset(struct buf *b);

/* Shorten to len (must be <= b->len). */
void buf_truncate(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Twice the room for the array p of *cap elements of size bytes (first
 * elements when empty): the one way arrays of rows grow, as in
 *	if (n == cap)
 *		v = buf_grow_array(v, &cap, sizeof(*v), 16);
 * Out of memory, or a size that would not fit in size_t, ends the process.
 */
void *buf_grow_array(void *p, size_t *cap, size_t size, size_t first);

/* Hand the bytes to the caller (free() them); the buffer becomes fresh. */
char *buf_detach(struct buf *b, size_t *len);

/*
 * The bytes of b, whole, for someone who frees them later with
 * buf_wiped_free (a response body: libmicrohttpd frees it after sending).
 * b becomes fresh. The one way a buffer that may hold opened content
 * leaves the program's hands.
 */
struct buf_block {
	char *data;
	size_t len;	/* bytes in use */
	size_t cap;	/* bytes allocated: all are wiped */
};
struct buf_block *buf_detach_block(struct buf *b);
/* Wipe all cap bytes, then free them and the block. NULL is fine. */
void buf_wiped_free(void *block);

/*
 * The one JSON string escaper: len bytes of s as a JSON string literal,
 * quotes included. " and \ are escaped, control characters as \b \f \n
 * \r \t or \u00XX, every other byte as it is (the caller gives UTF-8):
 * byte for byte what jansson's json_dumps writes, so stored report
 * content stays what it was. With BUF_JSON_HTML also < > & as \u003c
 * \u003e \u0026, so "</script>" and comments stay inert where JSON ends
 * up inside HTML (web/html.h json_quote).
 */
#define BUF_JSON_HTML 1u
void buf_add_json(struct buf *b, const void *s, size_t len, unsigned flags);

#endif
