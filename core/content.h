/*
 * content.h - the one reader of a report's stored content.
 *
 * core/form.c form_encode is the one writer of the content (and of the
 * statistical answers): {"answers":{"name":"value" or ["v", ...], ...},
 * "form":..., "received_at":...}. Everything that reads it back (the
 * reporter's and the handlers' pages, the reporter's address for a
 * notice, the inbox's phenomenon, the statistics cache) reads it here, as
 * the same struct answers (form.h) a submission arrives in: one pair per
 * value, in the document's order (names sorted, as form_encode writes).
 *
 * Ownership: struct stored_answers owns the parsed document its values
 * point into; stored_answers_release frees it (jansson's blocks are wiped
 * when freed, form.c). The caller keeps the content bytes.
 */
#ifndef MELDPUNT_CONTENT_H
#define MELDPUNT_CONTENT_H

#include <stddef.h>

#include "form.h"

struct stored_answers {
	struct answers a;
	void *doc;		/* the parsed JSON (json_t) */
};

/*
 * Read len bytes of stored content. 0 and *out (no answers when there
 * are none), or -1 when it is not such a document (*out empty, release
 * it all the same).
 */
int stored_answers_read(const void *content, size_t len,
                        struct stored_answers *out);
void stored_answers_release(struct stored_answers *s);

/* The first answer of name in content copied into out, or "". size > 0. */
void stored_answer_text(const void *content, size_t len, const char *name,
                        char *out, size_t size);

#endif
