/*
 * rotate.h - key rotation: a keyring's key pair, and the recovery key.
 *
 * Rotating a keyring (`meldpunt keyring rotate NAME`) locks out anyone who
 * kept a copy of its private key, such as a former member: a new key pair
 * is made, every envelope sealed to the old public key gets the data key
 * sealed to the new one in that slot instead (crypto/envelope.h,
 * envelope_reseal), data keys sealed on their own to the keyring (meeting
 * agendas) are sealed again, and then, in one transaction, the keyring row
 * and every member's copy are replaced by wraps of the new private key and
 * the old one is gone. Rotating statistiek also empties stats_chunks in
 * that transaction: its boxes are under a key derived from the old
 * private key (core/stats.h). Only public keys of members are needed, so
 * the command line does it with the recovery key alone.
 *
 * It is resumable: the new key pair is kept in keyring_rotations (its
 * private key sealed to the recovery key) from the start, envelopes are
 * re-sealed in batches of ROTATE_BATCH, one transaction each, and an
 * envelope whose slot already has the new key id is skipped. Running the
 * rotation again after an interruption carries on with the same new key.
 * Until the end the keyring row holds the old key, so the server keeps
 * working; sessions that unlocked the old key read only what is not yet
 * re-sealed, and their users log in again afterwards.
 *
 * Rotating the recovery key replaces every keyring's recovery wrap (and
 * that of a rotation in progress) in one transaction: interrupted, nothing
 * changed and the old key still works.
 *
 * Ownership: the recovery keys passed in stay the caller's; new keys are
 * written to the caller's buffer (wipe it after showing it).
 */
#ifndef MELDPUNT_ROTATE_H
#define MELDPUNT_ROTATE_H

#include <stddef.h>
#include <stdint.h>

#include "keyring.h"
#include "secret.h"

struct installation;

/* Envelopes per transaction: short enough not to stall the server. */
#define ROTATE_BATCH 100

struct rotate_progress {
	int resumed;		/* a rotation was already under way */
	int64_t resealed;	/* envelopes re-sealed by this call */
	int64_t members;	/* member copies replaced at the end */
};

/* The recovery key as printed at init (or at its rotation). */
#define ROTATE_RECOVERY_TEXT_LEN RECOVERY_TEXT_LEN

/*
 * The recovery key typed in (groups of four, as printed) into *sk (the
 * caller frees it). 0, or -1 when text is not a recovery key.
 */
int rotate_recovery_parse(const char *text, struct secret **sk);

/*
 * The recovery key typed in is this installation's: 0 and its public key
 * in rpk, or -1 (said why).
 */
struct db;
int rotate_recovery_check(struct db *db, const struct secret *sk,
                          uint8_t rpk[CRYPTO_PUBLICKEY_LEN]);

/*
 * Rotate keyring name with the recovery key pair (recovery_sk as typed).
 * limit > 0 stops after that many envelopes, as an interruption would
 * (tests). 0 when done; 1 when stopped by limit (call again to resume);
 * -1 on error (what was committed stays; call again).
 */
int rotate_keyring(struct installation *inst, const char *name,
                   const struct secret *recovery_sk, size_t limit,
                   struct rotate_progress *p);

/*
 * Make a new recovery key and seal every keyring to it instead of
 * old_sk's. 0 and the new key as text in new_text, or -1 (nothing
 * changed; the old key stays valid).
 */
int rotate_recovery(struct installation *inst, const struct secret *old_sk,
                    char new_text[RECOVERY_TEXT_LEN + 1]);

#endif
