/*
 * post.h - a request body, parsed by libmicrohttpd's post processor.
 *
 * Both encodings a browser sends (application/x-www-form-urlencoded and
 * multipart/form-data) are read by libmicrohttpd itself; this module only
 * collects the fields under the limits of core/limits.h. A limit that one
 * field breaks (a text too long, a file too big, too many files) marks
 * that field, so the page can come back with a message beside it and every
 * other answer kept; a limit the whole request breaks (too many fields, a
 * body over body_max) marks the whole post. Nothing here is stored.
 *
 * Ownership: the struct post belongs to the connection's state in
 * server.c; field names, values and file bytes live until post_free and are
 * wiped then (they may be report content).
 */
#ifndef MELDPUNT_POST_H
#define MELDPUNT_POST_H

#include <stddef.h>

#include "buf.h"
#include "limits.h"

struct MHD_Connection;

enum post_error {
	POST_OK = 0,
	POST_FIELD_TOO_LONG,	/* this text field is over field_max */
	POST_FILE_TOO_LARGE,	/* this file is over upload_file_max */
	POST_TOO_MANY_FILES,	/* over upload_files_max: this file dropped */
	POST_UPLOAD_TOO_LARGE,	/* files together over upload_total_max */
	POST_TOO_MANY_FIELDS,	/* (whole post) over fields_max */
	POST_BODY_TOO_LARGE,	/* (whole post) over body_max */
	POST_MALFORMED,		/* (whole post) the body could not be parsed */
};

struct post_field {
	char *name;
	struct buf value;	/* text, or the file's bytes */
	int is_file;
	char *filename;		/* files only: as the client named it */
	char *content_type;	/* files only: as the client declared it */
	enum post_error error;
};

struct post {
	struct post_field *fields;
	size_t nfields, cap;
	size_t files, file_bytes, body_bytes;
	enum post_error error;	/* whole-post error, or POST_OK */
	struct limits limits;
	void *processor;	/* struct MHD_PostProcessor */
};

/*
 * A new post for conn under limits; NULL when the content type is not one
 * libmicrohttpd can parse (the caller answers 415).
 */
struct post *post_new(struct MHD_Connection *conn, const struct limits *limits);

/* Feed body bytes. 0, or -1 once the whole post is in error. */
int post_feed(struct post *p, const char *data, size_t len);

/* Finish parsing (flushes the processor). */
void post_finish(struct post *p);

void post_free(struct post *p);

/* The first text value of name, or NULL. */
const char *post_get(const struct post *p, const char *name);

/* The field (text or file) at index i with name, counting from 0; NULL. */
const struct post_field *post_field_nth(const struct post *p, const char *name,
                                        size_t i);

/* How many fields carry name. */
size_t post_count(const struct post *p, const char *name);

#endif
