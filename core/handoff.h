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
 * Ownership: everything is borrowed; the archive is appended to the
 * caller's buffer (wipe it), the passphrase written into the caller's
 * array (wipe it once shown).
 */
#ifndef MELDPUNT_HANDOFF_H
#define MELDPUNT_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
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

#endif
