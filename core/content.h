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
	/* "named" or "anonymous" when the document says (content filed
	 * with its identity apart, or with it withheld), else NULL. */
	const char *reporter;
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

/*
 * Identity in an envelope of its own (form.h form_encode_parts): the
 * content of a report filed since holds every answer but those of the
 * form's identity fields, and "reporter": "named" or "anonymous"; the
 * identity document holds those answers. A report stored before holds
 * them all in its content until `meldpunt reports split` (split.h).
 *
 * content_with_identity: what the handling keyring and the reporter read,
 * the content with the identity answers put back in (identity NULL: the
 * content as it is, a report not split yet). 0 and *out, or -1.
 */
struct secret;
int content_with_identity(const struct secret *content,
                          const struct secret *identity, struct secret **out);

/*
 * content_withheld: what every other reader gets (members of the signal
 * meeting, and so every hand-off): the content without the answers of f's
 * identity fields, with "reporter" saying "named" when the report has or
 * had any ("anonymous" otherwise). Content that is not an answers
 * document (only tests store such) is copied as it is. 0 and *out, or -1.
 */
int content_withheld(const struct form *f, const void *content, size_t len,
                     struct secret **out);

/*
 * content_select: the content with only the answers named in names (n of
 * them) kept, for a hand-off that passes on a selection (dossier.h).
 * Content that is not an answers document is copied as it is. 0 and
 * *out, or -1.
 */
int content_select(const void *content, size_t len, const char *const *names,
                   size_t n, struct secret **out);

/*
 * content_split: an old report's content as split.c stores it again: the
 * content without f's identity answers and with "reporter", and the
 * identity document ({"answers":{...},"form":...}). Content that is not
 * an answers document: a copy as it is, and an identity without answers.
 * 0 and both, or -1.
 */
int content_split(const struct form *f, const void *content, size_t len,
                  struct secret **content_out, struct secret **identity_out);

/* 1 when s is read with a reporter "named" but none of f's identity
 * answers: the page says "named reporter, contact through the
 * coordinator" where the identity would be. */
int stored_answers_withheld(const struct form *f,
                            const struct stored_answers *s);

#endif
