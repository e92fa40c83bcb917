/*
 * keyrings.h - the shared keys of roles, as stored.
 *
 * A keyring (signalen, agressie, statistiek) is a key pair whose private
 * key is stored sealed to the recovery key and to each member
 * (crypto/keyring.h). Reports belong to keyrings, not to users, so nothing
 * is lost when a staff member leaves: another member, or the recovery key,
 * grants access to their successor.
 *
 * Ownership: private keys returned here belong to the caller (secret_free).
 */
#ifndef MELDPUNT_KEYRINGS_H
#define MELDPUNT_KEYRINGS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "secret.h"

struct db;

/* The keyrings every installation has. */
#define KEYRING_SIGNALS "signalen"
#define KEYRING_INCIDENTS "agressie"
#define KEYRING_STATISTICS "statistiek"
/* Members of the local signal meeting (core/meeting.h); made when needed. */
#define KEYRING_MEETING "overleg"

/*
 * Create keyring name with a fresh key pair, sealed to the recovery public
 * key. When sk_out is not NULL it receives the private key (to grant the
 * first members). 0 or -1.
 */
int keyrings_create(struct db *db, const char *name,
                    const uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN],
                    struct secret **sk_out);

/*
 * Keyring public keys as last read, for sealing without a database read
 * (report.c: the read would wait for the writer lock on every
 * submission). A key can go stale when a rotation (possibly by another
 * process) replaces it: the caller must check the key it sealed to inside
 * its write transaction and, when it changed, forget and seal again.
 * Thread-safe. keyrings_cache_new gives NULL when out of memory.
 */
struct keyrings_cache;
struct keyrings_cache *keyrings_cache_new(void);
void keyrings_cache_free(struct keyrings_cache *c);
/* Name's key from the cache, or read (keyrings_public_key) and kept. */
int keyrings_cache_key(struct keyrings_cache *c, struct db *db,
                       const char *name, uint8_t pk[CRYPTO_PUBLICKEY_LEN]);
/* Forget every kept key. */
void keyrings_cache_forget(struct keyrings_cache *c);

/* The public key of keyring name. 0, or -1 when there is none. */
int keyrings_public_key(struct db *db, const char *name,
                        uint8_t pk[CRYPTO_PUBLICKEY_LEN]);

/*
 * The public keys of keyrings a and b in one statement (a submission
 * checks both for every report). 0, or -1 when either is missing.
 */
int keyrings_public_keys(struct db *db, const char *a,
                         uint8_t pka[CRYPTO_PUBLICKEY_LEN], const char *b,
                         uint8_t pkb[CRYPTO_PUBLICKEY_LEN]);

/*
 * Give user_id (with public key member_pk) access to keyring name, using
 * the keyring's private key ring_sk (held by a member or recovered).
 * Replaces an earlier grant. 0 or -1.
 */
int keyrings_grant(struct db *db, const char *name, const struct secret *ring_sk,
                   int64_t user_id, const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN]);

/* Remove user_id's copy of keyring name. 0 (also when there was none) or -1. */
int keyrings_revoke(struct db *db, const char *name, int64_t user_id);

/*
 * The same, audited as done by actor (an admin's username). A grant or a
 * revoke also settles a grant pending since a password reset
 * (users_reset): granted again, or no longer wanted.
 */
int keyrings_grant_as(struct db *db, const char *actor, const char *name,
                      const struct secret *ring_sk, int64_t user_id,
                      const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN]);
int keyrings_revoke_as(struct db *db, const char *actor, const char *name,
                       int64_t user_id);

/*
 * Unwrap keyring name with a member's key pair. 0 and *ring_sk, 1 when the
 * user is not a member, -1 on error or damage.
 */
int keyrings_unlock(struct db *db, const char *name, int64_t user_id,
                    const uint8_t user_pk[CRYPTO_PUBLICKEY_LEN],
                    const struct secret *user_sk, struct secret **ring_sk);

#define KEYRING_NAME_MAX 64

/*
 * The names of the keyrings user_id is a member of, at most max, into
 * names (each KEYRING_NAME_MAX + 1 bytes). 0 and *n, or -1.
 */
int keyrings_of_user(struct db *db, int64_t user_id,
                     char (*names)[KEYRING_NAME_MAX + 1], size_t max,
                     size_t *n);

/* The names of every keyring, by name; like keyrings_of_user. */
int keyrings_names(struct db *db, char (*names)[KEYRING_NAME_MAX + 1],
                   size_t max, size_t *n);

/*
 * The keyrings user_id held before a password reset and has not been
 * granted again (nor revoked); like keyrings_of_user.
 */
int keyrings_pending_of_user(struct db *db, int64_t user_id,
                             char (*names)[KEYRING_NAME_MAX + 1], size_t max,
                             size_t *n);

/* Unwrap keyring name with the recovery key. 0 and *ring_sk, or -1. */
int keyrings_recover(struct db *db, const char *name,
                     const uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN],
                     const struct secret *recovery_sk, struct secret **ring_sk);

/*
 * Make sure keyring name exists: when it does not, create it sealed to the
 * recovery public key of the installation (the recovery key, or a member
 * made later, grants it). For keyrings a feature needs only once it is
 * used. 0 or -1.
 */
int keyrings_ensure(struct db *db, const char *name);

/*
 * keyrings_ensure, and when it makes the keyring, also sealed to the
 * account username (its public key from the users table) and to every
 * active admin who holds keyring admins_of (NULL: none), granted in the
 * same transaction and audited as done by username. For overleg: the
 * coordinator who makes the first meeting holds it from then on, and so
 * do the admins who hold signalen (who may read every signal anyway), so
 * an admin grants it to the members without the recovery key. An
 * existing keyring is left as it is; a username that is no account (a
 * command, a test) gets nothing, and with username NULL this is
 * keyrings_ensure. 0 or -1.
 */
int keyrings_ensure_member(struct db *db, const char *name,
                           const char *username, const char *admins_of);

/*
 * 1 when a holder of roles (enum role bits, users.h) works with keyring
 * name: a report type's keyring its handling role (schema/forms/:
 * signalen the coordinator, agressie the VPT coordinator), statistiek hr,
 * vpt, the coordinator and the integrity coordinator, overleg the meeting members and
 * the coordinator. An admin handles none: an admin holds keyrings only to
 * grant them. Granting a keyring to an account none of whose roles
 * handle it asks for a confirmation (staff.h); assignment and API tokens
 * follow this too.
 */
int keyrings_role_handles(unsigned roles, const char *name);

#endif
