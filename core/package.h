/*
 * package.h - a signed package: a ZIP whose every entry is listed with its
 * SHA-256 in a manifest signed with the installation's hand-off key.
 *
 * A hand-off to a partner (the RIEC, the police, a department) is such a
 * package. Its last two entries are
 *
 *	manifest.sha256	one line per other entry, in the order they were
 *			added: 64 lowercase hex digits of its SHA-256, two
 *			spaces, its name, '\n' (what `sha256sum` writes and
 *			`sha256sum -c` checks after unpacking);
 *	manifest.sig	the 64-byte Ed25519 signature of manifest.sha256's
 *			bytes with the hand-off key (sign.h), which
 *			`openssl pkeyutl -verify -pubin -inkey handoff.pem
 *			-rawin -in manifest.sha256 -sigfile manifest.sig`
 *			checks (README, "Checking a hand-off").
 *
 * The archive itself is signed too: its comment, the last bytes of the
 * file, is PACKAGE_SEAL_LABEL and the 128 hex digits of the hand-off
 * key's Ed25519 signature of every byte of the file before those digits.
 * So one changed byte anywhere (an entry, a name, a time stamp, the
 * ZIP's bookkeeping, the comment) breaks a signature, while the manifest
 * lets a partner check each file after unpacking.
 *
 * package_verify (`meldpunt handoff verify`) checks the archive's
 * signature, the manifest's, that every entry is listed once with its
 * hash, and that nothing listed is missing.
 *
 * Ownership: package_new gives a struct package to package_free, which
 * wipes the copies it holds; package_finish appends the archive to the
 * caller's buffer (wipe it: buf_wipe_release).
 */
#ifndef MELDPUNT_PACKAGE_H
#define MELDPUNT_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "secret.h"
#include "sign.h"

#define PACKAGE_MANIFEST "manifest.sha256"
#define PACKAGE_SIGNATURE "manifest.sig"
#define PACKAGE_SEAL_LABEL "meldpunt-handoff-signature "
#define PACKAGE_SEAL_HEX (2 * SIGN_LEN)

struct package;

/* A new, empty package. 0 or -1 (logged). */
int package_new(struct package **out);

/*
 * Add an entry (a name zipfile_add takes, not one of the manifest's two)
 * with a copy of data. sha256, when not NULL, receives its digest. 0 or
 * -1 (logged; a bad or repeated name, too many entries).
 */
int package_add(struct package *p, const char *name, const void *data,
                size_t len, uint8_t sha256[CRYPTO_SHA256_LEN]);

/*
 * Sign the manifest with the hand-off key of installation_secret, add it
 * and its signature, and write the archive into out (appended), encrypted
 * with AES-256 under password when it is not NULL. 0, or -1 (logged;
 * out unchanged).
 */
int package_finish(struct package *p, const struct secret *installation_secret,
                   const char *password, struct buf *out);

void package_free(struct package *p);

/*
 * Check the package zip (len bytes) opened with password (NULL: none)
 * against the hand-off public key pk. 0 when it holds; 1 when it does not,
 * with the reason in problem (an entry changed, missing or not listed, a
 * signature that does not fit); -1 when it cannot be opened at all (not
 * a ZIP, a wrong password, a damaged entry), the reason in problem too.
 * *entries (may be NULL) receives the number of listed entries checked.
 */
int package_verify(const void *zip, size_t len, const char *password,
                   const uint8_t pk[SIGN_PUBLICKEY_LEN], struct buf *problem,
                   size_t *entries);

/* A hand-off public key, with the texts partners receive once. */
struct package_key {
	uint8_t pk[SIGN_PUBLICKEY_LEN];
	char pem[SIGN_PEM_LEN + 1];
	char fingerprint[SIGN_FINGERPRINT_LEN + 1];
};

/* The hand-off key of installation_secret. 0 or -1. */
int package_key_of(const struct secret *installation_secret,
                   struct package_key *out);

/*
 * The key of a PEM text (what package_key_of's pem holds, or `openssl
 * pkey -pubout` of an Ed25519 key). 0, or -1 when it is no Ed25519
 * public key.
 */
int package_key_parse(const char *text, size_t len, struct package_key *out);

/* The SHA-256 of len bytes as 64 lowercase hex digits. */
void package_sha256_hex(const void *data, size_t len, char out[65]);

#endif
