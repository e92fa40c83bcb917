/*
 * handoff.h - the package a handler hands a case off with (issue 19
 * point 1): overdracht.pdf, a cover document (core/pdf.h) with the
 * organisation, the case number, the day, the partner, the cover text,
 * the chosen answers and the files with their SHA-256; overdracht.json,
 * the dossier exporter's document of the same content; the files; and
 * the signed manifest (core/package.h), in a ZIP encrypted with AES-256
 * under a passphrase the server makes (100 random bits, token.h) and
 * shows once.
 *
 * This module assembles what it is given: which answers and files go
 * along, and whether the reporter's identity does, is the caller's
 * selection (the hand-off action, on the dossier exporter). The cover's
 * texts come from schema/templates/overdracht.ini.
 *
 * handoff_make is the hand-off action (action.h; issue 19 points 1, 2
 * and 4): it opens the case through the dossier exporter (dossier.h: only
 * an actor holding the report type's keyring with a role that handles
 * it, never a meeting member; refused and audited otherwise) with the
 * chosen answers and files, the reporter's identity only with a recorded
 * ground (consent, a legal duty), the weging outcomes and decisions (the
 * workflow steps with their fields, and the signal meetings' decisions)
 * unless left out, never messages or internal notes; it makes the
 * package and records it (table handoffs: when, who, partner, answers,
 * files, identity ground, the package's SHA-256) with its audit row
 * "handoff-made", in one transaction. The package itself is never
 * stored: the caller hands it out once (handoff_downloaded audits that)
 * and wipes it. A workflow step with `handoff = yes` is refused while
 * the report has no recorded hand-off (handoff_recorded, events.c).
 *
 * Ownership: everything is borrowed; the archive is appended to the
 * caller's buffer (wipe it), the passphrase written into the caller's
 * array (wipe it once shown); handoff_list's records are released with
 * handoff_list_release.
 */
#ifndef MELDPUNT_HANDOFF_H
#define MELDPUNT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "action.h"
#include "buf.h"
#include "casenumber.h"
#include "clock.h"
#include "crypto.h"
#include "secret.h"
#include "template.h"
#include "token.h"

#define HANDOFF_PDF "overdracht.pdf"
#define HANDOFF_JSON "overdracht.json"
#define HANDOFF_FILES_DIR "bestanden/"

struct handoff_answer {
	const char *label;	/* the question, in the package's language */
	const char *value;
};

struct handoff_file {
	const char *name;	/* as stored; the package names it NN-name */
	const void *data;
	size_t len;
};

struct handoff_doc {
	const char *organisation;
	const char *case_no;
	const char *date;		/* the day it is made */
	const char *partner;		/* the partner's name, as shown */
	const char *cover;		/* the handler's cover text */
	enum template_lang lang;
	const struct handoff_answer *answers;
	size_t nanswers;
	const struct handoff_file *files;
	size_t nfiles;
	/* The weging outcomes and decisions: a step (its day and words) and
	 * its fields, one a line; a meeting's decision. */
	const struct handoff_answer *steps;
	size_t nsteps;
	/* The reporter named themselves: the cover says whether their
	 * identity goes along (then why) or stays. */
	int named;
	const char *identity_reason;	/* NULL: it stays */
	const void *json;		/* the JSON document */
	size_t json_len;
};

/* Load and check overdracht.ini (at start). 0 or -1. */
int handoff_load(void);

/*
 * Make the package of d signed with installation_secret's hand-off key,
 * encrypted under a new passphrase (into passphrase): appended to zip,
 * its SHA-256 into sha256. 0, or -1 (logged; zip unchanged, passphrase
 * wiped).
 */
int handoff_package(const struct secret *installation_secret,
                    const struct handoff_doc *d,
                    char passphrase[TOKEN_PASSWORD_LEN + 1], struct buf *zip,
                    uint8_t sha256[CRYPTO_SHA256_LEN]);

/* ---- The action ---------------------------------------------------- */

#define HANDOFF_MADE "handoff-made"
#define HANDOFF_DOWNLOAD "handoff-download"

struct installation;
struct workflows;
struct db;

/* Why the reporter's identity goes along: not at all, or this ground. */
enum handoff_basis {
	HANDOFF_BASIS_NONE,
	HANDOFF_BASIS_CONSENT,
	HANDOFF_BASIS_LEGAL_DUTY,
};

/* "", "consent", "legal_duty", and back (0, or -1 for another word). */
const char *handoff_basis_name(enum handoff_basis b);
int handoff_basis_parse(const char *name, enum handoff_basis *b);

/* A text of the message catalogues by its key, in the package's language
 * ("signal.location", "signal.kind.drugs", "handoff.basis.consent"). */
typedef const char *(*handoff_text_fn)(void *arg, const char *key);

struct handoff_request {
	int64_t report_id;
	const char *partner;		/* the configured partner's id */
	const char *partner_name;	/* its name, as the cover shows it */
	const char *const *answers;	/* the answers' names; NULL: all */
	size_t nanswers;
	const int64_t *files;		/* the files' ids; NULL: all */
	size_t nfiles;
	int steps;			/* the weging outcomes and decisions */
	const char *cover;		/* may be empty */
	size_t cover_max;		/* [limits] handoff_cover_max, characters */
	enum handoff_basis basis;	/* NONE: the identity stays */
	enum template_lang lang;
	const char *organisation;
	handoff_text_fn text;		/* in lang */
	void *text_arg;
	unsigned due_soon;
	time_t now;
};

/* What was made: the passphrase to show once, the package's hash. */
struct handoff_made {
	char number[CASE_NUMBER_LEN + 1];	/* the case's (casenumber.h) */
	char passphrase[TOKEN_PASSWORD_LEN + 1];
	char sha256[2 * CRYPTO_SHA256_LEN + 1];
	char name[64];			/* the download's file name */
};

/*
 * Make the package of r for actor a into zip (appended) and *made (wipe
 * its passphrase once shown), recorded and audited. DONE; NOT_FOUND;
 * REFUSED "case.no_keyring" (audited); INVALID with key and field:
 * "handoff.partner_bad" (partner), "handoff.cover_long" (cover),
 * "handoff.answer_unknown" (answers), "handoff.identity_needs_ground"
 * (answers: an identity answer chosen without a ground),
 * "handoff.file_unknown" (files); FAILED (nothing recorded, zip as it
 * was).
 */
enum verdict handoff_make(struct installation *inst,
                          const struct workflows *wfs, const struct actor *a,
                          const struct handoff_request *r, struct buf *zip,
                          struct handoff_made *made, struct outcome *o);

/* The audit row of one download of the package with hash sha256 of
 * report id by actor ("report NUMBER: sha256 H"). 0 or -1. */
int handoff_downloaded(struct installation *inst, const struct actor *a,
                       int64_t report_id, const char *sha256);

/* A recorded hand-off, for the case's timeline. */
struct handoff_record {
	char at[CLOCK_TEXT_LEN + 1];
	char *made_by, *partner, *answers, *files, *identity;
	char sha256[2 * CRYPTO_SHA256_LEN + 1];
};

/* The hand-offs of report id, oldest first. 0 and *out, *n, or -1. */
int handoff_list(struct db *db, int64_t report_id, struct handoff_record **out,
                 size_t *n);
void handoff_list_release(struct handoff_record *v, size_t n);

/* 1 when report id has a recorded hand-off, 0 when not, -1 on error. */
int handoff_recorded(struct db *db, int64_t report_id);

#endif
