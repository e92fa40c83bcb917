/*
 * report.h - storing a report and finding it again with its receipt.
 *
 * A report is stored as a few plaintext columns (type, workflow state, the
 * day it was received) and its content as one envelope (crypto/envelope.h)
 * sealed to the keyring of its type and to the reporter's receipt key. The
 * envelope is bound to the report's locator, so it cannot be moved to
 * another row. A report is stored in one transaction, with its audit row;
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

#include "receipt.h"
#include "secret.h"

struct installation;

enum report_type { REPORT_INCIDENT, REPORT_SIGNAL };

#define REPORT_STATE_MAX 64

/* "incident" or "signal". */
const char *report_type_name(enum report_type t);
/* 0 and *t, or -1 for an unknown name. */
int report_type_parse(const char *name, enum report_type *t);
/* The keyring that reads reports of type t. */
const char *report_type_keyring(enum report_type t);

/*
 * Store a report with content (any bytes) in initial state `state`.
 * On success receipt receives the receipt text and *id_out the row id.
 * 0 or -1 (nothing stored).
 */
int report_create(struct installation *inst, enum report_type type,
                  const char *state, const void *content, size_t len,
                  char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out);

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
