/*
 * report.h - storing a report and finding it again with its receipt.
 *
 * A report is stored as a few plaintext columns (type, workflow state, the
 * day it was received) and its content as one envelope (crypto/envelope.h)
 * sealed to the keyring of its type and to the reporter's receipt key,
 * with the answers that identify the reporter (content.h) in a second
 * envelope for the same two, under a data key of its own. The envelopes
 * are bound to the report's locator, so they cannot be moved to another
 * row. A report is stored in one transaction, counted for its day
 * (daycount.h: a reporter's action leaves no time finer than its day);
 * only after the commit does the reporter get the receipt.
 *
 * Ownership: report_create writes the receipt into the caller's buffer
 * (wipe it after showing it). struct report_view from report_open is
 * released with report_view_release, which wipes the content.
 */
#ifndef MELDPUNT_REPORT_H
#define MELDPUNT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "oral.h"
#include "receipt.h"
#include "reptype.h"
#include "secret.h"

struct installation;

#define REPORT_STATE_MAX 64

/*
 * Store a report with content (any bytes) in initial state `state`.
 * On success receipt receives the receipt text and *id_out the row id.
 * 0 or -1 (nothing stored).
 */
int report_create(struct installation *inst, enum report_type type,
                  const char *state, const void *content, size_t len,
                  char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out);

/* A file sent with a report or a message. */
struct attachment_in {
	const char *name;	/* as the reporter's device named it */
	const char *type;	/* as declared; never trusted for display */
	const void *data;
	size_t len;
};

/* Everything stored for a new report, in one transaction. */
struct submission {
	enum report_type type;
	const char *state;		/* the workflow's initial state */
	const char *source;		/* "web", "phone", "mma", ... */
	const char *content;		/* the answers (form_encode), any bytes */
	size_t content_len;
	const char *stats;		/* statistical answers, or NULL */
	size_t stats_len;
	/* Who the reporter is (form_encode_parts), or NULL: then content
	 * holds it, as in a report stored before identity had its own
	 * envelope. */
	const char *identity;
	size_t identity_len;
	/* Their padded length (form_stats_max); 0: PAD_TEXT's blocks. */
	size_t stats_pad;
	const struct attachment_in *files;
	size_t nfiles;
	/* The staff member who registers it for the reporter, or NULL. */
	const char *registrar;
	/*
	 * An oral report (oral.h): the record of the conversation (any
	 * bytes), written down by registrar; NULL for any other report.
	 */
	const char *record;
	size_t record_len;
};

/* 1 when s is a known source ("web", "phone", "mma", "riec", "police",
 * "staff", "other"). */
int report_source_valid(const char *s);

/*
 * Store a submission: content, identity and each file sealed to the
 * type's keyring and the reporter's receipt key (content and identity
 * each under a data key of its own: a meeting agenda shares the content's
 * key, never the identity's), statistical answers sealed to the
 * statistiek keyring; one transaction with its day count (daycount.h)
 * and, when a member of staff registers it, the registrar's audit row.
 * On success the receipt text and *id_out are filled. 0, or -1 with nothing stored.
 */
int report_submit(struct installation *inst, const struct submission *sub,
                  char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out);

/*
 * What a reporter holds after giving a valid receipt: the report's plain
 * columns and the reporter's key pair. Release with
 * report_access_release (wipes the key).
 */
struct reporter_access {
	int64_t report_id;
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];
	char received_on[16];
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

/* 0 and *acc; 1 when no report has this receipt; -1 on error. */
int report_access(struct installation *inst, const char *receipt_text,
                  struct reporter_access *acc);
void report_access_release(struct reporter_access *acc);

/* The report's content as its reporter, identity included (counted for
 * the day, daycount.h). 0 and *out, or -1. */
int report_read_content(struct installation *inst,
                        const struct reporter_access *acc, struct secret **out);

/*
 * The content of report id with its identity put back in (content.h
 * content_with_identity), opened with a recipient's key pair (the
 * reporter's, or the handling keyring's); not audited. 0 and *out, or -1.
 */
int report_content_open(struct installation *inst, int64_t id,
                        const uint8_t locator[RECEIPT_LOCATOR_LEN],
                        const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                        const struct secret *sk, struct secret **out);

/* A decrypted attachment: name, type and bytes point into `plain`. */
struct attachment_view {
	int64_t id;
	struct secret *plain;
	const char *name;
	const char *type;
	const uint8_t *data;
	size_t len;
};

/*
 * The files of the report itself (not of messages), opened with the
 * reporter's key. *out is a malloc'd array of *n views; release with
 * attachments_release. 0 or -1.
 */
int report_attachments(struct installation *inst,
                       const struct reporter_access *acc,
                       struct attachment_view **out, size_t *n);
void attachments_release(struct attachment_view *v, size_t n);

/*
 * The same with any recipient's key pair (a handler's keyring); with
 * with_messages the files sent with messages are included. 0 or -1.
 */
int attachments_open(struct installation *inst, int64_t report_id,
                     const uint8_t locator[RECEIPT_LOCATOR_LEN],
                     const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                     const struct secret *sk, int with_messages,
                     struct attachment_view **out, size_t *n);

/*
 * Seal one file for the given recipients into a new envelope (malloc'd),
 * bound to the report's locator, the row id seal_id (rowad.h: drawn by
 * the caller, stored with the row) and its author ("reporter" for the
 * report's own files, else the message's author).
 */
int attachment_seal(const struct attachment_in *f, const uint8_t *locator,
                    const uint8_t *seal_id, const char *author,
                    const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN],
                    size_t n, uint8_t **env, size_t *envlen);
/*
 * Store a sealed file of report_id (of message message_id, or 0 for the
 * report itself) with its row id; inside the caller's transaction. 0 or
 * -1.
 */
struct db;
int attachment_store(struct db *db, int64_t report_id, int64_t message_id,
                     const uint8_t *seal_id, const uint8_t *env,
                     size_t envlen);

/* Split an opened attachment envelope into name, type and bytes. 0 or -1. */
int attachment_parse(struct attachment_view *v);

/*
 * What the reporter sees coming back with the receipt: the report's plain
 * columns, its content, its files (when asked for), the dialogue with
 * the handlers and an oral report's record (oral.h), all opened with the
 * receipt. Release with
 * report_status_release (wipes what was opened).
 */
struct message_view;
struct report_status {
	int64_t id;
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];
	char received_on[16];
	struct secret *content;
	struct attachment_view *files;
	size_t nfiles;
	struct message_view *messages;
	size_t nmessages;
	struct oral_record oral;	/* an oral report's record; n 0: none */
};

/*
 * The reporter comes back with receipt_text (as typed; NULL is no
 * receipt) and reads the report: everything is opened first, then the
 * read is counted for its day (daycount.h), so a failure counts nothing. with_files: also open the
 * report's own files. VERDICT_DONE and *out; VERDICT_NOT_FOUND for every
 * receipt that opens nothing (one answer: nothing to learn from it);
 * VERDICT_FAILED.
 */
struct outcome report_read_status(struct installation *inst,
                                  const char *receipt_text, int with_files,
                                  struct report_status *out);
void report_status_release(struct report_status *s);

struct report_view {
	int64_t id;
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];
	char received_on[16];
	struct secret *content;		/* the decrypted content */
};

/*
 * Open the report of a receipt as its reporter. 0 and *out; 1 when no
 * report has this receipt (or it is malformed); -1 on error.
 */
int report_open(struct installation *inst, const char *receipt_text,
                struct report_view *out);
void report_view_release(struct report_view *v);

#endif
