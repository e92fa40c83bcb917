/*
 * secretbox.h - small values sealed under a key of the installation.
 *
 * Some values must be readable by the server on its own, with no staff
 * login, yet must not sit in the database as plaintext: the e-mail address
 * a reporter gave for notices is the first (core/outbox.h). Such a value is
 * encrypted with XChaCha20-Poly1305 under a subkey derived from the
 * installation secret (crypto_kdf, a context per purpose), so a copy of the
 * database alone reveals nothing, while the running server, which holds
 * installation.key, can open it. Layout:
 *
 *   version(1) | nonce(24) | ciphertext(len + 16)
 *
 * The caller's associated data (e.g. the outbox row and its report) and
 * the version byte are authenticated: a box moved to another row, or with
 * any bit changed, fails to open.
 *
 * Ownership: secretbox_key gives a struct secret (guarded memory) to
 * secret_free. secretbox_seal gives a malloc'd box to free();
 * secretbox_open gives the plaintext as a struct secret to secret_free,
 * with a NUL after its len bytes so a text can be used as a string.
 */
#ifndef MELDPUNT_SECRETBOX_H
#define MELDPUNT_SECRETBOX_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

/* Bytes a box adds to its plaintext: version, nonce and tag. */
#define SECRETBOX_OVERHEAD (1 + 24 + 16)

/* Subkey ids under the context "secrtbox" of the installation secret. */
enum secretbox_purpose {
	SECRETBOX_OUTBOX_ADDRESS = 1,	/* a reporter's address for notices */
};

/*
 * The key for purpose, derived from the installation secret (32 bytes).
 * 0 and *out, or -1.
 */
int secretbox_key(const struct secret *installation_secret,
                  enum secretbox_purpose purpose, struct secret **out);

/* Seal len bytes of plain into a new box (*out, *outlen). 0 or -1. */
int secretbox_seal(const struct secret *key, const void *plain, size_t len,
                   const void *ad, size_t adlen, uint8_t **out,
                   size_t *outlen);

/*
 * Open a box sealed with the same key and associated data. 0 and *out, or
 * -1 when it was changed, moved or sealed under another key.
 */
int secretbox_open(const struct secret *key, const uint8_t *box, size_t len,
                   const void *ad, size_t adlen, struct secret **out);

#endif
