/*
 * envelope.h - encryption of a report's content for several readers.
 *
 * The content is encrypted once with a fresh random data key
 * (XChaCha20-Poly1305); the data key is wrapped for each recipient: the
 * keyrings that may read the report and the reporter's receipt key. Any
 * one recipient can open it. Layout (versions 2 and 3):
 *
 *   version(1) | n(1) | salt(16) |
 *   n x [ key id(8) | ephemeral public key(32) | wrapped data key(48) ] |
 *   nonce(24) | ciphertext(len + 16)
 *
 * A slot's wrapped key is the data key under a one-time key derived from
 * the X25519 share of the slot's ephemeral key and the recipient's key,
 * bound to both public keys and to the envelope's salt (envelope.c). The
 * slots of one envelope, and the envelopes of one sealer, may share one
 * ephemeral key: each recipient then costs one scalar multiplication
 * instead of the two of a crypto_box_seal, and a report's content,
 * statistics and files together cost one per distinct recipient.
 *
 * Version 3 (written since 2026-12-07) has version 2's layout with 3 as
 * its version byte; what it encrypts is the plaintext's length, the
 * plaintext and zero bytes up to the padded size the sealer asks for
 * (struct envelope_pad):
 *
 *   ciphertext = AEAD( length(8, little endian) | plain | 0...0 )
 *
 * so its size tells only the padded size: a named and an anonymous report,
 * a long and a short address, look alike. The length and the padding are
 * inside the AEAD: a changed length or a nonzero pad byte fails to open.
 *
 * Version 1 (envelopes written before 2026-11-29) has no salt and each
 * slot is crypto_box_seal(data key): key id(8) | sealed data key(80).
 * Version 2 is not padded. All three are read; envelope_reseal keeps an
 * envelope's version (and so its size); envelope_version says which it is,
 * for a caller whose associated data changed with version 3.
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
/* Every version: 8 + 80 bytes a slot. */
#define ENVELOPE_SLOT_LEN (8 + CRYPTO_KEY_LEN + CRYPTO_SEAL_OVERHEAD)
/* The per-envelope salt of versions 2 and 3. */
#define ENVELOPE_SALT_LEN 16

/* The length field before a version 3 envelope's plaintext. */
#define ENVELOPE_LENGTH_LEN 8

/*
 * How a version 3 envelope pads its plaintext (the policy is the caller's:
 * core/limits.h names it for each kind of envelope):
 *
 *   ENVELOPE_PAD_BLOCK   to a multiple of size, at least one size: with
 *                        size the longest valid plaintext (statistical
 *                        answers, an address) every valid one pads alike
 *   ENVELOPE_PAD_BUCKET  to size, and beyond size to the next of four
 *                        steps per doubling (2^k, 1.25 x 2^k, 1.5 x 2^k,
 *                        1.75 x 2^k): files, at most 25 % more
 *
 * A NULL policy pads nothing (only the length field): for plaintexts of
 * one fixed size, such as a key.
 */
enum envelope_pad_kind { ENVELOPE_PAD_BLOCK, ENVELOPE_PAD_BUCKET };

struct envelope_pad {
	enum envelope_pad_kind kind;
	size_t size;		/* >= 1 */
};

/*
 * The padded size of plainlen bytes under pad (without the length
 * field), or 0 when it would overflow.
 */
size_t envelope_padded_len(size_t plainlen, const struct envelope_pad *pad);

/*
 * Size of the (version 3) envelope envelope_seal makes of plainlen bytes
 * padded by pad for n recipients; 0 for what it would refuse.
 */
size_t envelope_size(size_t plainlen, const struct envelope_pad *pad,
                     size_t nrecipients);

/* An envelope's version (1, 2 or 3), or 0 when it is no envelope. */
int envelope_version(const uint8_t *env, size_t envlen);

/*
 * Seal plain, padded by pad (NULL: not padded), for n recipients
 * (1..ENVELOPE_MAX_RECIPIENTS) into a new version 3 envelope: a malloc'd
 * buffer *out of *outlen bytes (caller frees), with an ephemeral key of
 * its own. 0 or -1.
 */
int envelope_seal(const uint8_t *plain, size_t plainlen,
                  const struct envelope_pad *pad,
                  const uint8_t *ad, size_t adlen,
                  const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
                  uint8_t **out, size_t *outlen);

/*
 * A sealer: one ephemeral X25519 key pair for the envelopes of one
 * operation (a report's content, statistical answers and files), and the
 * share with each recipient computed once. It holds secrets: free it as
 * soon as the operation's envelopes are sealed (wiped). Not for use by
 * two threads at once.
 */
struct envelope_sealer;

/* A new sealer with a fresh ephemeral key, or NULL (out of memory). */
struct envelope_sealer *envelope_sealer_new(void);
/*
 * A sealer whose "ephemeral" key is the given key pair (a reporter's,
 * receipt.h: receipt_sealer): no key pair to make, and a slot for that
 * same key costs no scalar multiplication (envelope.c, self slot). Whoever
 * holds sk can open every slot such a sealer makes, so use it only for
 * envelopes that sk's holder may read all of. The caller wipes its copy of
 * sk. NULL when out of memory.
 */
struct envelope_sealer *envelope_sealer_from(
	const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
	const uint8_t sk[CRYPTO_SECRETKEY_LEN]);
void envelope_sealer_free(struct envelope_sealer *s);

/* envelope_seal through a sealer: same contract. */
int envelope_sealer_seal(struct envelope_sealer *s,
                         const uint8_t *plain, size_t plainlen,
                         const struct envelope_pad *pad,
                         const uint8_t *ad, size_t adlen,
                         const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN],
                         size_t n, uint8_t **out, size_t *outlen);

/*
 * Recover the data key with one recipient's key pair. 0 and *key_out, or -1
 * when pk is not a recipient or the envelope is damaged.
 */
int envelope_open_key(const uint8_t *env, size_t envlen,
                      const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                      const struct secret *sk, struct secret **key_out);

/*
 * Decrypt with a data key. 0 and the plaintext in guarded memory
 * (*plain_out, caller frees; without a version 3 envelope's padding), or
 * -1 on any damage or wrong ad.
 */
int envelope_decrypt(const uint8_t *env, size_t envlen,
                     const uint8_t *ad, size_t adlen,
                     const struct secret *key, struct secret **plain_out);

/* open_key and decrypt in one step. */
int envelope_open(const uint8_t *env, size_t envlen,
                  const uint8_t *ad, size_t adlen,
                  const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                  const struct secret *sk, struct secret **plain_out);

/* 1 when a slot of env carries pk's key id, 0 when none (or damaged). */
int envelope_has_recipient(const uint8_t *env, size_t envlen,
                           const uint8_t pk[CRYPTO_PUBLICKEY_LEN]);

/*
 * Key rotation: the slot of old_pk gets the data key sealed to new_pk
 * instead. The header is part of the AEAD's associated data, so a changed
 * slot would fail to open for every reader: the content is checked and
 * encrypted again with the same data key under a fresh nonce and the new
 * header; the new slot has an ephemeral key of its own and the envelope
 * keeps its version, salt and padding. The other slots (the reporter's,
 * another keyring's) stay as they were and open the new envelope, and a data key shared elsewhere
 * (sealed on its own, e.g. on a meeting agenda) stays valid. A new
 * envelope of the same size in *out (malloc'd, caller frees). 0, or -1
 * when old_pk opens no slot, the envelope is damaged or ad is wrong.
 */
int envelope_reseal(const uint8_t *env, size_t envlen,
                    const uint8_t *ad, size_t adlen,
                    const uint8_t old_pk[CRYPTO_PUBLICKEY_LEN],
                    const struct secret *old_sk,
                    const uint8_t new_pk[CRYPTO_PUBLICKEY_LEN],
                    uint8_t **out, size_t *outlen);

#endif
