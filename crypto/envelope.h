/*
 * envelope.h - encryption of a report's content for several readers.
 *
 * The content is encrypted once with a fresh random data key
 * (XChaCha20-Poly1305); the data key is sealed (crypto_box_seal) to the
 * public key of each recipient: the keyrings that may read the report and
 * the reporter's receipt key. Any one recipient can open it. Layout:
 *
 *   version(1) | n(1) | n x [ key id(8) | sealed data key(80) ] |
 *   nonce(24) | ciphertext(len + 16)
 *
 * The key id is the first 8 bytes of BLAKE2b(recipient public key), so a
 * reader finds its slot without trying all. The whole header and the
 * caller's associated data (e.g. the report id) are authenticated by the
 * AEAD: a flipped bit anywhere, or the envelope moved to another report,
 * makes opening fail.
 */
#ifndef MELDPUNT_ENVELOPE_H
#define MELDPUNT_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define ENVELOPE_MAX_RECIPIENTS 16
#define ENVELOPE_SLOT_LEN (8 + CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD)

/* Size of an envelope for plainlen bytes and n recipients. */
size_t envelope_size(size_t plainlen, size_t nrecipients);

/*
 * Seal plain for n recipients (1..ENVELOPE_MAX_RECIPIENTS) into a new
 * malloc'd buffer *out of *outlen bytes (caller frees). 0 or -1.
 */
int envelope_seal(const uint8_t *plain, size_t plainlen,
                  const uint8_t *ad, size_t adlen,
                  const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
                  uint8_t **out, size_t *outlen);

/*
 * Recover the data key with one recipient's key pair. 0 and *key_out, or -1
 * when pk is not a recipient or the envelope is damaged.
 */
int envelope_open_key(const uint8_t *env, size_t envlen,
                      const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                      const struct secret *sk, struct secret **key_out);

/*
 * Decrypt with a data key. 0 and the plaintext in guarded memory
 * (*plain_out, caller frees), or -1 on any damage or wrong ad.
 */
int envelope_decrypt(const uint8_t *env, size_t envlen,
                     const uint8_t *ad, size_t adlen,
                     const struct secret *key, struct secret **plain_out);

/* open_key and decrypt in one step. */
int envelope_open(const uint8_t *env, size_t envlen,
                  const uint8_t *ad, size_t adlen,
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  const struct secret *sk, struct secret **plain_out);

#endif
