/*
 * smtp.h - a small SMTP client: one mail to one recipient through a relay.
 *
 * Meldpunt sends one kind of mail, the notice that there is news for a
 * reporter (outbox.h), through the organisation's own relay. This client
 * speaks the RFC 5321 dialogue (EHLO, optionally STARTTLS and EHLO again,
 * MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT), reads multi-line
 * replies, and bounds every connect, read and write by a timeout, so a
 * stalled relay can hold the sender thread only that long. With starttls
 * set, the mail is never sent in the clear: a relay that does not offer
 * STARTTLS, or whose certificate does not verify for its host name against
 * the system's trusted roots, gets nothing.
 *
 * Addresses are checked before they reach a command or a header
 * (smtp_address_valid): one '@', no CR, LF, space or other character that
 * could end a command or start a header. The message is built with
 * RFC 5322 headers, a MIME text/plain UTF-8 body, quoted-printable when it
 * is not short-lined ASCII, and an RFC 2047 subject when that is not ASCII.
 *
 * The client logs no address and no text of the mail: only reply codes.
 */
#ifndef MELDPUNT_SMTP_H
#define MELDPUNT_SMTP_H

#include <stdint.h>
#include <time.h>

#include "buf.h"

/* RFC 5321: an address (path) holds at most 254 characters. */
#define SMTP_ADDRESS_MAX 254
/* A reply line longer than this ends the dialogue (RFC 5321 says 512). */
#define SMTP_LINE_MAX 2048
/* Lines of one multi-line reply, at most (EHLO lists a dozen). */
#define SMTP_REPLY_LINES_MAX 64

struct smtp_relay {
	const char *host;	/* name or address */
	uint16_t port;
	const char *from;	/* envelope and header sender; valid address */
	int starttls;		/* 1: STARTTLS or nothing */
	const char *ca_file;	/* PEM roots for the relay; NULL/"": system's */
	unsigned timeout;	/* seconds for each connect, read and write */
	/*
	 * Optional: told the socket once connected and -1 before it is
	 * closed, so another thread can shutdown() it to cut a send short
	 * (the sender at server stop).
	 */
	void (*on_socket)(void *arg, int fd);
	void *arg;
};

struct smtp_mail {
	const char *to;		/* one recipient; valid address */
	const char *subject;	/* UTF-8, one line */
	const char *body;	/* UTF-8 text, lines ended by LF */
};

/* How a failed send went, for the caller's retry decision. */
struct smtp_result {
	int code;		/* last reply code; 0: no reply (network, TLS) */
	int permanent;		/* 1: the relay refused this mail for good */
};

/* 1 when addr is a plain ASCII address we can put in a command. */
int smtp_address_valid(const char *addr);

/*
 * The whole message (headers and body, CRLF line ends, not yet
 * dot-stuffed) into out, dated at t. 0, or -1 for an invalid address.
 */
int smtp_message_build(struct buf *out, const char *from,
                       const struct smtp_mail *m, time_t t);

/*
 * Send m through relay. 0 when the relay accepted it (250 after DATA);
 * otherwise -1 with *res saying why (reply code, permanent or not).
 */
int smtp_send(const struct smtp_relay *relay, const struct smtp_mail *m,
              struct smtp_result *res);

#endif
