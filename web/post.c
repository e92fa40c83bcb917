/*
 * post.c - collect a parsed request body under limits (see post.h).
 */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "keys.h"
#include "log.h"
#include "post.h"

/*
 * Buffer libmicrohttpd's post processor works in: it must hold a field's
 * name and multipart headers; longer values arrive in pieces, which
 * iterate() joins. It is allocated zeroed for every form, so it is kept
 * small (16K cost about 12,000 instructions a submission, callgrind).
 */
#define POST_PROCESSOR_BUFFER 4096

static char *
dup_or_null(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		die("out of memory");
	return p;
}

static struct post_field *
add_field(struct post *p, const char *name, const char *filename,
          const char *content_type)
{
	struct post_field *f;

	if (p->nfields == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct post_field *n = calloc(cap, sizeof(*n));

		if (!n)
			die("out of memory");
		if (p->nfields)
			memcpy(n, p->fields, p->nfields * sizeof(*n));
		free(p->fields);
		p->fields = n;
		p->cap = cap;
	}
	f = &p->fields[p->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = dup_or_null(name);
	buf_init(&f->value);
	f->is_file = filename != NULL;
	f->filename = dup_or_null(filename);
	f->content_type = dup_or_null(content_type);
	return f;
}

static enum MHD_Result
iterate(void *cls, enum MHD_ValueKind kind, const char *key,
        const char *filename, const char *content_type,
        const char *transfer_encoding, const char *data, uint64_t off,
        size_t size)
{
	struct post *p = cls;
	struct post_field *f;

	(void)kind;
	(void)transfer_encoding;
	if (p->error != POST_OK || !key)
		return MHD_NO;

	/* A new value starts at offset 0; later chunks continue the last. */
	if (off == 0 || !p->nfields || strcmp(p->fields[p->nfields - 1].name, key)) {
		if (p->nfields >= p->limits.fields_max) {
			p->error = POST_TOO_MANY_FIELDS;
			return MHD_NO;
		}
		f = add_field(p, key, filename, content_type);
		if (f->is_file) {
			if (p->files >= p->limits.upload_files_max)
				f->error = POST_TOO_MANY_FILES;
			p->files++;
		}
	}
	f = &p->fields[p->nfields - 1];
	if (f->error != POST_OK)
		return MHD_YES;		/* keep reading, drop this field's bytes */

	if (f->is_file) {
		if (f->value.len + size > p->limits.upload_file_max)
			f->error = POST_FILE_TOO_LARGE;
		else if (p->file_bytes + size > p->limits.upload_total_max)
			f->error = POST_UPLOAD_TOO_LARGE;
		if (f->error != POST_OK) {
			buf_wipe_release(&f->value);
			return MHD_YES;
		}
		p->file_bytes += size;
	} else if (f->value.len + size > p->limits.field_max) {
		/* Keep what fits, so the page can show it back. */
		size_t room = p->limits.field_max - f->value.len;

		buf_add(&f->value, data, room);
		f->error = POST_FIELD_TOO_LONG;
		return MHD_YES;
	}
	buf_add(&f->value, data, size);
	return MHD_YES;
}

struct post *
post_new(struct MHD_Connection *conn, const struct limits *limits)
{
	struct post *p = calloc(1, sizeof(*p));

	if (!p)
		die("out of memory");
	p->limits = *limits;
	p->processor = MHD_create_post_processor(conn, POST_PROCESSOR_BUFFER,
	                                         iterate, p);
	if (!p->processor) {
		free(p);
		return NULL;
	}
	return p;
}

int
post_feed(struct post *p, const char *data, size_t len)
{
	if (p->error != POST_OK)
		return -1;
	if (len > p->limits.body_max - p->body_bytes) {
		p->error = POST_BODY_TOO_LARGE;
		return -1;
	}
	p->body_bytes += len;
	if (MHD_post_process(p->processor, data, len) != MHD_YES &&
	    p->error == POST_OK)
		p->error = POST_MALFORMED;
	return p->error == POST_OK ? 0 : -1;
}

void
post_finish(struct post *p)
{
	if (p->processor) {
		if (MHD_destroy_post_processor(p->processor) != MHD_YES &&
		    p->error == POST_OK)
			p->error = POST_MALFORMED;
		p->processor = NULL;
	}
}

void
post_free(struct post *p)
{
	size_t i;

	if (!p)
		return;
	post_finish(p);
	for (i = 0; i < p->nfields; i++) {
		struct post_field *f = &p->fields[i];

		buf_wipe_release(&f->value);
		if (f->filename)
			crypto_wipe(f->filename, strlen(f->filename));
		free(f->name);
		free(f->filename);
		free(f->content_type);
	}
	free(p->fields);
	free(p);
}

const struct post_field *
post_field_nth(const struct post *p, const char *name, size_t i)
{
	size_t k;

	if (!p)
		return NULL;
	for (k = 0; k < p->nfields; k++)
		if (strcmp(p->fields[k].name, name) == 0 && i-- == 0)
			return &p->fields[k];
	return NULL;
}

const char *
post_get(const struct post *p, const char *name)
{
	const struct post_field *f = post_field_nth(p, name, 0);

	return f && !f->is_file ? f->value.data : NULL;
}

size_t
post_count(const struct post *p, const char *name)
{
	size_t k, n = 0;

	if (!p)
		return 0;
	for (k = 0; k < p->nfields; k++)
		if (strcmp(p->fields[k].name, name) == 0)
			n++;
	return n;
}
