/*
 * split.h - give reports stored before identity had an envelope of its
 * own (issue 15 point 3) that envelope: `meldpunt reports split`.
 *
 * A report stored before holds the reporter's name, e-mail and phone in
 * its content envelope, whose data key a meeting agenda shares with the
 * overleg keyring (meeting.h). Splitting it opens the content with the
 * keyring of its type (recovered with the recovery key), takes the
 * answers of the form's identity fields out (content.h content_split),
 * seals the rest again under a NEW data key (members of a meeting may
 * have kept the old one) and the identity under a data key of its own,
 * both for the keyring and the reporter's public key, and replaces the
 * data key of every agenda the report is on by the new content's. Its
 * statistical answers are sealed again as well, padded as a new report's
 * (core/limits.h), so that no length of the row tells a named from an
 * anonymous report. Files, messages and notes keep their envelopes: no
 * agenda ever held their keys.
 *
 * Like a key rotation (rotate.h) it runs next to the server, in batches
 * of SPLIT_BATCH reports, one transaction each (with an audit row
 * "reports-split"); a report is split once its identity column is set,
 * so running it again after an interruption carries on where it
 * stopped. Until then an old report opens as before, and every meeting
 * reader gets its content with the identity answers taken out
 * (content.h content_withheld). It refuses to start while a keyring
 * rotation is under way.
 *
 * Ownership: the recovery key stays the caller's.
 */
#ifndef MELDPUNT_SPLIT_H
#define MELDPUNT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "secret.h"

struct installation;

/* Reports per transaction: short enough not to stall the server. */
#define SPLIT_BATCH 100

struct split_progress {
	int64_t total;		/* reports to split when the call began */
	int64_t split;		/* split by this call */
	int64_t skipped;	/* left as they are (no reporter key stored) */
};

/* Called after each batch's commit (the command's progress line). */
typedef void (*split_progress_fn)(const struct split_progress *p, void *arg);

/*
 * Split every report not split yet, with the recovery key pair
 * (recovery_sk as typed, rotate.h rotate_recovery_parse); field_max is
 * the [limits] field_max the server files reports with (the statistical
 * answers' padding, form.h form_stats_max). limit > 0 stops
 * after that many reports, as an interruption would (tests). 0 when
 * done; 1 when stopped by limit (call again to resume); -1 on error
 * (what was committed stays; call again). fn may be NULL.
 */
int split_reports(struct installation *inst, const struct secret *recovery_sk,
                  size_t field_max, size_t limit, split_progress_fn fn,
                  void *arg, struct split_progress *p);

/* Reports not split yet (identity NULL). -1 on error. */
int64_t split_pending(struct installation *inst);

#endif
