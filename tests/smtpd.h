/*
 * smtpd.h - a small SMTP receiver for tests.
 *
 * Listens on 127.0.0.1 on a free port, in a thread of the test, and keeps
 * every mail it accepts in memory (envelope recipient and data, with the
 * dot-stuffing undone). It can be told to refuse the next N recipients
 * with a given reply (451: try again later; 550: never). Everything is
 * bounded: one connection at a time, 5 s per read, at most SMTPD_MAX_MAILS
 * mails of at most 1 MiB, and it stops by itself after SMTPD_LIFETIME
 * seconds even if the test never calls smtpd_stop.
 *
 * Ownership: smtpd_start gives a struct smtpd to smtpd_stop.
 */
#ifndef MELDPUNT_TEST_SMTPD_H
#define MELDPUNT_TEST_SMTPD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SMTPD_MAX_MAILS 32
#define SMTPD_LIFETIME 120

struct smtpd;

/* Start listening; NULL on failure. */
struct smtpd *smtpd_start(void);
uint16_t smtpd_port(const struct smtpd *d);
/* Refuse the next n recipients (RCPT TO) with reply code. */
void smtpd_fail(struct smtpd *d, int n, int code);
/* Offer STARTTLS in the EHLO reply (then refuse it with 454). */
void smtpd_offer_starttls(struct smtpd *d, int on);
/* Offer STARTTLS and speak it, with this PEM certificate and key. 0/-1. */
int smtpd_tls(struct smtpd *d, const char *cert, const char *key);
/* Mails that came over TLS so far. */
size_t smtpd_count_tls(struct smtpd *d);
/* Mails accepted so far. */
size_t smtpd_count(struct smtpd *d);
/* RCPT TO commands seen so far, refused ones included. */
size_t smtpd_attempts(struct smtpd *d);
/* Wait until at least n mails were accepted or timeout_ms passed; the count. */
size_t smtpd_wait(struct smtpd *d, size_t n, int timeout_ms);
/* Wait until at least n RCPT TO were seen or timeout_ms passed; the count. */
size_t smtpd_wait_attempts(struct smtpd *d, size_t n, int timeout_ms);
/* Copy mail i's recipient and data into the buffers (may be NULL). 0/-1. */
int smtpd_mail(struct smtpd *d, size_t i, struct buf *rcpt, struct buf *data);
void smtpd_stop(struct smtpd *d);

#endif
