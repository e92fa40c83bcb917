/*
 * installation.h - the installation secret.
 *
 * 32 random bytes made at `meldpunt init` and kept in a file next to, never
 * inside, the database. Receipts are derived with it (receipt.h): a copy of
 * the database without this file gives no way to test guessed receipts.
 * The database keeps only a check value, a keyed hash of a fixed text, so
 * the program can tell a wrong or swapped secret file at start instead of
 * failing every receipt.
 */
#ifndef MELDPUNT_INSTALLATION_H
#define MELDPUNT_INSTALLATION_H

#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define INSTALLATION_CHECK_LEN CRYPTO_HASH_LEN

/* A new random secret; 0 and *out, or -1. */
int installation_secret_new(struct secret **out);

/*
 * The key staff key wraps of version 2 are bound to (userkey.h): a
 * subkey of the secret (crypto_kdf, context "userwrap"). 0 or -1.
 */
int installation_userkey_key(const struct secret *s,
                             uint8_t out[CRYPTO_KEY_LEN]);

/* The check value of a secret. 0 or -1 (wrong size). */
int installation_secret_check(const struct secret *s,
                              uint8_t out[INSTALLATION_CHECK_LEN]);

#endif
