/*
 * statbox.h - the statistical answers of a report, kept for the
 * statistiek keyring under a symmetric key.
 *
 * A report's statistical answers are sealed to the statistiek keyring's
 * public key (crypto/envelope.h): opening one costs a sealed box, about
 * 32 us, which for a million reports is half a minute. The statistics
 * open each envelope once and keep the answers in a box of this module:
 * XChaCha20-Poly1305 under a key derived (crypto_kdf, context "statcach")
 * from the keyring's private key, so only a member of statistiek, or the
 * recovery key, can read the cache, exactly as it can read the envelopes.
 * A copy of the database reveals nothing more than before. Layout:
 *
 *   version(1) | nonce(24) | ciphertext(len + 16)
 *
 * The associated data (the chunk number, core/stats_cache.c) binds a box to its
 * row. The key id
 * (16 bytes of BLAKE2b over the key) is stored beside each box: after a
 * rotation of the keyring the key changes, the ids no longer match, and
 * the boxes are made again from the envelopes.
 *
 * Opening decrypts into the caller's buffer, not into a new struct secret:
 * guarded memory costs a few system calls per allocation, too much per
 * row. The caller keeps one buffer in guarded memory and wipes it.
 *
 * Ownership: statbox_key gives a struct secret to secret_free;
 * statbox_seal gives a malloc'd box to free().
 */
#ifndef MELDPUNT_STATBOX_H
#define MELDPUNT_STATBOX_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define STATBOX_OVERHEAD (1 + 24 + 16)
#define STATBOX_KEY_ID_LEN 16

/*
 * The cache key of a keyring private key (32 bytes) and its id.
 * 0 and *out, or -1.
 */
int statbox_key(const struct secret *ring_sk, struct secret **out,
                uint8_t key_id[STATBOX_KEY_ID_LEN]);

/* Seal len bytes into a new box (*out, *outlen) bound to ad. 0 or -1. */
int statbox_seal(const struct secret *key, const void *plain, size_t len,
                 const void *ad, size_t adlen, uint8_t **out, size_t *outlen);

/*
 * Open a box into plain (room for cap bytes; a box whose plaintext is
 * longer fails). 0 and *len, or -1 when it was changed, moved or sealed
 * under another key.
 */
int statbox_open(const struct secret *key, const uint8_t *box, size_t boxlen,
                 const void *ad, size_t adlen, uint8_t *plain, size_t cap,
                 size_t *len);

#endif
