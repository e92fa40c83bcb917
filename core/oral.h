/*
 * oral.h - oral reports: a conversation written down as a report, and
 * the reporter's check of that record.
 *
 * The whistleblower law (Wet bescherming klokkenluiders; EU Directive
 * 2019/1937, article 9) lets a reporter report orally, in person or by
 * phone, and asks that the record of the conversation is offered to the
 * reporter to check, correct and approve. A member of staff whose role
 * the report type names (schema/forms: [form] oral, reptype.h; for
 * integrity reports the integrity coordinator and the confidential
 * adviser) files the report for the reporter with the record of the
 * conversation (filing.h, report.h: struct submission's record); the
 * receipt goes to the reporter (or stays with the confidential adviser,
 * who follows the case with it). The record is sealed like a message:
 * to the report type's keyring and the reporter's receipt key, bound to
 * its row and author (rowad.h), padded as every text.
 *
 * Coming back with the receipt the reporter reads the record and either
 * approves it or sends the corrected text; each is a row of its own, so
 * the case's timeline shows every correction with the old and the new
 * text and the approval. Those are reporter actions: stored with their
 * day only and counted per day (daycount.h), never audited one by one.
 * Once approved the record is final. The recording is a staff action,
 * audited ("oral-record") with its time.
 *
 * Ownership: struct oral_record holds the opened texts in guarded
 * memory; oral_record_release wipes and frees them.
 */
#ifndef MELDPUNT_ORAL_H
#define MELDPUNT_ORAL_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "buf.h"
#include "clock.h"
#include "receipt.h"
#include "secret.h"

struct db;
struct installation;

/* The kind of row. */
enum oral_kind {
	ORAL_RECORD,		/* the staff member's record */
	ORAL_CORRECTION,	/* the reporter's corrected text */
	ORAL_APPROVAL,		/* the reporter approved the text before it */
};

/* Where the reporter's check stands. */
enum oral_state {
	ORAL_NONE,		/* not an oral report */
	ORAL_WAITING,		/* recorded, not yet approved or corrected */
	ORAL_CORRECTED,		/* corrected by the reporter, not yet approved */
	ORAL_APPROVED,		/* approved: final */
};

/* The author of the reporter's rows (and the rowad.h author). */
#define ORAL_REPORTER "reporter"

/*
 * The state as SQL, for a query over reports r (case.c, inbox.c): 0 to 3
 * as enum oral_state, from the plain kind column alone.
 */
#define ORAL_STATE_SQL \
	"(SELECT CASE WHEN count(*) = 0 THEN 0" \
	" WHEN sum(o.kind = 'approval') > 0 THEN 3" \
	" WHEN sum(o.kind = 'correction') > 0 THEN 2 ELSE 1 END" \
	" FROM oral_records o WHERE o.report_id = r.id)"

struct oral_entry {
	int64_t id;
	enum oral_kind kind;
	char at[CLOCK_TEXT_LEN + 1];	/* staff: to the second; reporter: day */
	char author[65];		/* account name, or ORAL_REPORTER */
	struct secret *text;		/* NULL for an approval */
};

struct oral_record {
	struct oral_entry *entries;	/* oldest first */
	size_t n;
};

/* "record", "correction", "approval". */
const char *oral_kind_name(enum oral_kind k);
/* "none", "waiting", "corrected", "approved" (the API's words). */
const char *oral_state_name(enum oral_state s);

/*
 * Every row of report_id's record, opened with a recipient's key pair
 * (the reporter's, or the handling keyring's); not audited. A report
 * that is no oral report gives n 0. 0 and *out, or -1 (nothing kept).
 */
int oral_open(struct installation *inst, int64_t report_id,
              const uint8_t locator[RECEIPT_LOCATOR_LEN],
              const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
              struct oral_record *out);
void oral_record_release(struct oral_record *r);

/* The state of an opened record. */
enum oral_state oral_state_of(const struct oral_record *r);
/* The text in force (the last record or correction), or NULL. */
const struct oral_entry *oral_current(const struct oral_record *r);
/* The text before entry i (what a correction replaced), or NULL. */
const struct oral_entry *oral_before(const struct oral_record *r, size_t i);
/* The approval, or NULL. */
const struct oral_entry *oral_approval(const struct oral_record *r);

/*
 * The associated data of a record's or correction's envelope: the
 * report's locator, its row id and author (rowad.h, kind "oral-record").
 */
void oral_ad(struct buf *ad, const uint8_t locator[RECEIPT_LOCATOR_LEN],
             const uint8_t seal_id[16], const char *author);

/*
 * Store a row inside the caller's transaction: the staff member's record
 * (author the account name: the row keeps its time to the second, and
 * the audit row "oral-record" on "report N" is appended) or a reporter's
 * row (author ORAL_REPORTER: its day only, and the day count). env and
 * seal_id NULL for an approval. 0 and *id (may be NULL), or -1.
 */
int oral_insert(struct db *db, int64_t report_id, enum oral_kind kind,
                const char *author, const uint8_t *seal_id,
                const uint8_t *env, size_t envlen, int64_t *id);

/*
 * The reporter of receipt_text approves the record, whose text in force
 * they read as version (its row id). VERDICT_DONE (o.id the approval);
 * VERDICT_NOT_FOUND for a receipt that opens nothing (NULL included);
 * VERDICT_INVALID "oral.none" (not an oral report) or "oral.final"
 * (already approved); VERDICT_STALE "oral.changed" (the text in force is
 * another: read it again); VERDICT_FAILED. Nothing stored unless DONE.
 */
struct outcome oral_approve(struct installation *inst,
                            const char *receipt_text, int64_t version);

/*
 * The reporter sends the corrected text (len bytes; cut: the request
 * reader cut it at its limit) of the version they read. As oral_approve,
 * and VERDICT_INVALID with field "record": "form.error.too_long",
 * "form.error.bad_text", "oral.correction_empty" (blank) or
 * "oral.unchanged" (the text in force, byte for byte).
 */
struct outcome oral_correct(struct installation *inst,
                            const char *receipt_text, int64_t version,
                            const char *text, size_t len, int cut);

#endif
