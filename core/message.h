/*
 * message.h - the dialogue between a report's handlers and its reporter.
 *
 * A message body is an envelope sealed to the report type's keyring and to
 * the reporter's receipt key, so both sides read it and nobody else does.
 * Sealing needs only public keys: a handler's message can be stored without
 * opening the keyring, and a reporter's without any staff key.
 *
 * Ownership: message views hold their decrypted body in guarded memory;
 * messages_release frees and wipes them.
 */
#ifndef MELDPUNT_MESSAGE_H
#define MELDPUNT_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "clock.h"
#include "report.h"

struct installation;

struct message_view {
	int64_t id;
	char at[CLOCK_TEXT_LEN + 1];
	int from_reporter;
	struct secret *body;
	size_t nfiles;
};

/* Every message of the reporter's report, oldest first. */
int messages_for_reporter(struct installation *inst,
                          const struct reporter_access *acc,
                          struct message_view **out, size_t *n);
void messages_release(struct message_view *v, size_t n);

/* The same with any recipient's key pair (a handler's keyring). */
int messages_open(struct installation *inst, int64_t report_id,
                  const uint8_t locator[RECEIPT_LOCATOR_LEN],
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
                  struct message_view **out, size_t *n);

/* The reporter adds information or answers, with optional files. 0 or -1. */
int message_from_reporter(struct installation *inst,
                          const struct reporter_access *acc,
                          const char *text, size_t len,
                          const struct attachment_in *files, size_t nfiles);

/*
 * The reporter's answer as web read it from the request: a text (cut:
 * the request reader cut it at its limit), files, and the first file
 * limit web found broken (a form.error.* key), if any.
 */
struct reporter_message {
	const char *text;
	size_t len;
	int cut;
	const char *files_error;
	const struct attachment_in *files;
	size_t nfiles;
	unsigned upload_types;		/* kinds of file allowed (filetype.h) */
};

/*
 * The reporter comes back with receipt_text and answers: a text, files,
 * or both, sealed before the write, then stored with its day count
 * (daycount.h) in one transaction; the message keeps its day only. VERDICT_DONE (o.id the message); VERDICT_NOT_FOUND for a
 * receipt that opens nothing (NULL included); VERDICT_INVALID with the
 * key of a file limit or form.error.file_type (field "files", arg the
 * file's name: its content is of no allowed kind), form.error.too_long or
 * form.error.bad_text (field "message"), or status.reply_empty when there
 * is nothing to send; VERDICT_FAILED. Nothing is stored unless DONE.
 */
struct outcome message_answer(struct installation *inst,
                              const char *receipt_text,
                              const struct reporter_message *m);

/*
 * A handler writes to the reporter of report_id. actor is the handler's
 * user name, for the audit log. 0 or -1.
 */
int message_to_reporter(struct installation *inst, int64_t report_id,
                        const char *actor, const char *text, size_t len);

/*
 * The same, and an e-mail notice to the reporter: notify is the address
 * the reporter gave (case_reporter_address, case.h), or NULL or "" for
 * none. The notice (outbox.h: only "there is
 * news" and where to read it) is queued in the message's own transaction,
 * so both are stored or neither. An address outbox_address_valid refuses
 * stores nothing (-1): check it first to tell the handler. 0 or -1.
 */
int message_to_reporter_notify(struct installation *inst, int64_t report_id,
                               const char *actor, const char *text,
                               size_t len, const char *notify);

/*
 * A message in its two halves, for an action that stores more in the same
 * transaction (casework.h: a workflow step with its feedback). message_seal
 * seals text and files to the report's keyring and its reporter, outside
 * any transaction (sealing is slow), bound to the report, each row's own
 * id and the author, "handler" or "reporter" (rowad.h): 0 and *out, or
 * -1. message_insert runs inside the caller's transaction: the message,
 * its files, the audit row ("message-create" as actor; for the reporter
 * a day count instead, daycount.h, and the message's day only) and, when
 * notify is an address, the e-mail notice (outbox.h). 0 and *id (may be
 * NULL), or -1. message_sealed_release frees what was sealed.
 */
struct message_sealed {
	int64_t report_id;
	const char *author;	/* "handler" or "reporter" (static) */
	uint8_t seal_id[16];	/* the row's id (rowad.h) */
	uint8_t *env;
	size_t envlen;
	uint8_t **fenv;
	uint8_t (*fseal)[16];	/* each file's row id */
	size_t *flen;
	size_t nfiles;
};

struct attachment_in;
int message_seal(struct installation *inst, int64_t report_id,
                 const char *author, const char *text, size_t len,
                 const struct attachment_in *files, size_t nfiles,
                 struct message_sealed *out);
int message_insert(struct installation *inst, const struct message_sealed *m,
                   const char *actor, const char *notify,
                   int64_t *id);
void message_sealed_release(struct message_sealed *m);

#endif
