/*
 * totp.h - time-based one-time passwords (RFC 6238), the second factor.
 *
 * Every staff account has a TOTP secret of 160 bits, enrolled in an
 * authenticator app from a QR code of its otpauth:// URI. Codes are six
 * digits over 30-second steps with HMAC-SHA1, the parameters every
 * authenticator app supports. A code is accepted one step early or late
 * (clock drift), and never twice: the caller stores the step used and
 * passes it back as the lowest step allowed next time.
 */
#ifndef MELDPUNT_TOTP_H
#define MELDPUNT_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "secret.h"

#define TOTP_SECRET_LEN 20
#define TOTP_DIGITS 6
#define TOTP_STEP 30
/* RFC 4648 base32 of 20 bytes: 32 characters. */
#define TOTP_SECRET_TEXT_LEN 32

/* A new random secret in guarded memory; NULL when memory runs out. */
struct secret *totp_secret_new(void);

/* The code for a time step (time / TOTP_STEP). */
uint32_t totp_code(const struct secret *s, uint64_t step);

/*
 * Check a code typed by a person (spaces allowed) at time now. Accepts the
 * steps now-1, now, now+1 that are >= min_step. 0 and *step_used, or -1.
 * The comparison does not stop at the first difference.
 */
int totp_verify(const struct secret *s, const char *code, time_t now,
                uint64_t min_step, uint64_t *step_used);

/* The secret in RFC 4648 base32 (for manual entry), NUL-terminated. */
void totp_secret_text(const struct secret *s,
                      char out[TOTP_SECRET_TEXT_LEN + 1]);

/*
 * The otpauth:// URI for the QR code: issuer and account are
 * percent-encoded here. Returns a malloc'd string (wipe and free).
 */
char *totp_uri(const struct secret *s, const char *issuer, const char *account);

#endif
