/*
 * sign.h - Ed25519 signatures by the installation (audit checkpoints).
 *
 * The signing key is derived from the installation secret
 * (installation.h) with a context of its own, so it exists wherever the
 * secret does and nowhere else: not in the database, not in a backup of it.
 * It is derived inside each call and wiped before the call returns; no
 * function here hands the private key out. The public key is derived the
 * same way, so whoever holds the secret can verify (meldpunt audit-verify).
 *
 * A signature covers a purpose string and the message, so a signature made
 * for one purpose (an audit checkpoint) is never valid for another.
 */
#ifndef MELDPUNT_SIGN_H
#define MELDPUNT_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "secret.h"

#define SIGN_PUBLICKEY_LEN 32
#define SIGN_LEN 64

/* The public key of installation_secret's signing key. 0 or -1. */
int sign_public_key(const struct secret *installation_secret,
                    uint8_t pk[SIGN_PUBLICKEY_LEN]);

/*
 * Sign purpose (a short fixed text) and msg with the key of
 * installation_secret. 0 and sig, or -1 (sig wiped).
 */
int sign_make(const struct secret *installation_secret, const char *purpose,
              const void *msg, size_t len, uint8_t sig[SIGN_LEN]);

/* 1 when sig is pk's signature of purpose and msg, else 0. */
int sign_check(const uint8_t pk[SIGN_PUBLICKEY_LEN], const char *purpose,
               const void *msg, size_t len, const uint8_t sig[SIGN_LEN]);

/*
 * The hand-off key: a second Ed25519 key of the installation, derived from
 * the secret with a context of its own and used for nothing but the
 * manifests of partner hand-offs (core/package.h). Partners receive its
 * public key once (`meldpunt handoff key`). It signs the manifest's bytes
 * as they are, plain Ed25519 (RFC 8032), so that a partner checks a
 * manifest with standard tools (openssl pkeyutl -verify -rawin); that the
 * key signs nothing else keeps such a signature from meaning anything
 * but "this manifest left this installation".
 */
int sign_handoff_public_key(const struct secret *installation_secret,
                            uint8_t pk[SIGN_PUBLICKEY_LEN]);
/* Sign msg with the hand-off key. 0 and sig, or -1 (sig wiped). */
int sign_handoff_make(const struct secret *installation_secret,
                      const void *msg, size_t len, uint8_t sig[SIGN_LEN]);
/* 1 when sig is pk's plain Ed25519 signature of msg, else 0. */
int sign_handoff_check(const uint8_t pk[SIGN_PUBLICKEY_LEN], const void *msg,
                       size_t len, const uint8_t sig[SIGN_LEN]);

/*
 * A public key as the PEM text of its SubjectPublicKeyInfo (RFC 8410,
 * what `openssl pkey -pubin` reads), lines ending in '\n'.
 */
#define SIGN_PEM_LEN 113
void sign_public_pem(const uint8_t pk[SIGN_PUBLICKEY_LEN],
                     char out[SIGN_PEM_LEN + 1]);
/*
 * Its fingerprint: SHA-256 of that SubjectPublicKeyInfo's DER bytes in
 * lowercase hex, what `openssl pkey -pubin -in KEY.pem -outform DER |
 * sha256sum` prints.
 */
#define SIGN_FINGERPRINT_LEN 64
void sign_fingerprint(const uint8_t pk[SIGN_PUBLICKEY_LEN],
                      char out[SIGN_FINGERPRINT_LEN + 1]);

#endif
