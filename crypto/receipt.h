/*
 * receipt.h - the code a reporter keeps to come back.
 *
 * A receipt is 80 random bits shown as 16 Crockford base32 characters in
 * four groups (7KQ2-M9XD-4TRB-WP3H). The server never stores it. From it and
 * the installation secret (a file outside the database) two things are
 * derived with keyed BLAKE2b: the locator, under which the report is found,
 * and the seed of the reporter's X25519 key pair, to which the report's data
 * key is sealed. Eighty random bits make a password hash unnecessary: the
 * keyed derivation is fast and, without the installation secret, a copy of
 * the database gives nothing to guess against.
 */
#ifndef MELDPUNT_RECEIPT_H
#define MELDPUNT_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

#define RECEIPT_BYTES 10
#define RECEIPT_TEXT_LEN 19		/* XXXX-XXXX-XXXX-XXXX */
#define RECEIPT_LOCATOR_LEN 32
#define INSTALLATION_SECRET_LEN 32

/* A new random receipt. */
void receipt_new(uint8_t r[RECEIPT_BYTES]);

/* Text form, RECEIPT_TEXT_LEN + 1 bytes with the NUL. */
void receipt_format(const uint8_t r[RECEIPT_BYTES],
                    char out[RECEIPT_TEXT_LEN + 1]);

/*
 * Read a receipt as people type it: any case, spaces and dashes anywhere,
 * I/L for 1 and O for 0. 0, or -1 when it cannot be a receipt.
 */
int receipt_parse(const char *text, uint8_t r[RECEIPT_BYTES]);

/*
 * Derive the locator and the reporter's key pair. reporter_pk and
 * reporter_sk may be NULL when only the locator is needed. 0 or -1.
 */
int receipt_derive(const struct secret *installation_secret,
                   const uint8_t r[RECEIPT_BYTES],
                   uint8_t locator[RECEIPT_LOCATOR_LEN],
                   uint8_t reporter_pk[CRYPTO_PUBLICKEY_LEN],
                   struct secret **reporter_sk);

/*
 * receipt_derive for a new report: the locator, the reporter's public key,
 * and a sealer (envelope.h) whose ephemeral key is the reporter's key pair,
 * for the report's own envelopes (content, statistical answers, files:
 * all of which the reporter may read). The private key never leaves
 * crypto/. *sealer is the caller's to free. 0 or -1.
 */
struct envelope_sealer;
int receipt_sealer(const struct secret *installation_secret,
                   const uint8_t r[RECEIPT_BYTES],
                   uint8_t locator[RECEIPT_LOCATOR_LEN],
                   uint8_t reporter_pk[CRYPTO_PUBLICKEY_LEN],
                   struct envelope_sealer **sealer);

/*
 * A pool of receipts made ahead of their reports, from CPU the server
 * leaves idle. Making a receipt's key pair is one of the three scalar
 * multiplications a submission costs; a thread at the lowest priority
 * (SCHED_IDLE) makes up to capacity receipts with their locators and key
 * pairs while nothing else wants the CPU, and a submission takes one
 * instead of making it. When the pool is empty (a long burst), the
 * submission makes its receipt itself, as without a pool.
 *
 * Each receipt is random (receipt_new) and handed out once: taking it
 * removes it and wipes its slot. The pool is one block of guarded memory
 * (secret.h: locked, never swapped or dumped), wiped when stopped. Such a
 * receipt opens its report exactly like one made on the spot.
 */
struct receipt_pool;

/* A receipt taken from the pool (receipt_pool_take). */
struct receipt_made {
	uint8_t r[RECEIPT_BYTES];
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	uint8_t reporter_pk[CRYPTO_PUBLICKEY_LEN];
	/* As from receipt_sealer: its key pair is the reporter's; the
	 * taker's to free. */
	struct envelope_sealer *sealer;
};

/*
 * Start filling a pool of up to capacity receipts for the installation
 * secret, which must outlive the pool. capacity 0 gives a pool that is
 * always empty (no thread). NULL when out of memory or no thread.
 */
struct receipt_pool *receipt_pool_start(const struct secret *installation_secret,
                                        size_t capacity);
/*
 * Take a receipt: 1 and *made filled, 0 when none is ready (or pool is
 * NULL), -1 when out of memory. On 0 and -1 *made is zeroed.
 */
int receipt_pool_take(struct receipt_pool *pool, struct receipt_made *made);
/* Receipts ready now. */
size_t receipt_pool_ready(struct receipt_pool *pool);
/* Stop the thread, wipe and free the pool. NULL is fine. */
void receipt_pool_stop(struct receipt_pool *pool);

#endif
