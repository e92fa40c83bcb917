/*
 * token.h - random tokens for sessions, CSRF and one-time passwords.
 *
 * Tokens are 256 random bits in base64url without padding (43 characters).
 * The server stores only their BLAKE2b hash, so a copy of the sessions table
 * cannot be replayed; comparisons are constant-time.
 */
#ifndef MELDPUNT_TOKEN_H
#define MELDPUNT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define TOKEN_BYTES 32
#define TOKEN_TEXT_LEN 43
/* One-time passwords: 100 bits, Crockford base32, groups of five. */
#define TOKEN_PASSWORD_LEN 23

/* A new token, NUL-terminated. */
void token_new(char out[TOKEN_TEXT_LEN + 1]);

/* 1 when text has the exact shape of a token (length and alphabet), else 0. */
int token_valid(const char *text);

/* BLAKE2b-256 of the token text, for storage. */
void token_hash(const char *text, uint8_t out[CRYPTO_HASH_LEN]);

/* Constant-time comparison of two token texts: 1 equal, 0 not. */
int token_equal(const char *a, const char *b);

/* A new one-time password (XXXXX-XXXXX-XXXXX-XXXXX), NUL-terminated. */
void token_password(char out[TOKEN_PASSWORD_LEN + 1]);

#endif
