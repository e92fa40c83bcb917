/*
 * smtp.c - the SMTP dialogue and the message format (see smtp.h).
 *
 * The socket is blocking with SO_RCVTIMEO and SO_SNDTIMEO, so every read
 * and write, TLS records included, gives up after the relay's timeout;
 * connecting is bounded the same way with a non-blocking connect and poll.
 * The whole dialogue also has a deadline, so a relay that answers one byte
 * per timeout cannot hold the sender for ever.
 *
 * STARTTLS is GnuTLS (the library libmicrohttpd already brings): system
 * trust roots or the configured CA file, the relay's host name verified, GnuTLS's default
 * priorities. Whatever the relay sent after its 220 to STARTTLS and before
 * the handshake is refused, so no plaintext can be injected into the
 * encrypted session (CVE-2011-0411 and its kin).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "crypto.h"
#include "log.h"
#include "smtp.h"

#define SMTP_TIMEOUT_DEFAULT 30
/* The whole dialogue takes at most this many timeouts. */
#define SMTP_DEADLINE_TIMEOUTS 6
/* RFC 5322: lines of at most 78 characters are safe as they are. */
#define LINE_SAFE 78
/* RFC 2045: quoted-printable lines of at most 76 characters. */
#define QP_LINE 76

/* Where the dialogue stopped, for the permanence of a refusal. */
enum stage { STAGE_CONNECT, STAGE_HELLO, STAGE_TLS, STAGE_MAIL, STAGE_RCPT,
             STAGE_DATA, STAGE_DATA_END };

static const char *const stage_names[] = {
	"connect", "EHLO", "STARTTLS", "MAIL FROM", "RCPT TO", "DATA",
	"end of data",
};

struct conn {
	int fd;
	gnutls_session_t tls;		/* NULL until STARTTLS */
	gnutls_certificate_credentials_t cred;
	char in[4096];
	size_t inlen, inpos;
	time_t deadline;
	void (*on_socket)(void *arg, int fd);
	void *arg;
};

static int
atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

int
smtp_address_valid(const char *addr)
{
	const char *at, *p;
	size_t len;

	if (!addr)
		return 0;
	len = strlen(addr);
	at = strchr(addr, '@');
	if (len == 0 || len > SMTP_ADDRESS_MAX || !at || strchr(at + 1, '@'))
		return 0;
	/* Local part: dot-atom (RFC 5322 3.4.1), at most 64 characters. */
	if (at == addr || at - addr > 64 || addr[0] == '.' || at[-1] == '.')
		return 0;
	for (p = addr; p < at; p++)
		if (!atext((unsigned char)*p) && !(*p == '.' && p[1] != '.'))
			return 0;
	/* Domain: labels of letters, digits and '-', separated by dots. */
	p = at + 1;
	if (!*p || *p == '.' || *p == '-' || addr[len - 1] == '.' ||
	    addr[len - 1] == '-')
		return 0;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (p[1] == '.' || p[1] == '-' || p[-1] == '-')
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		             (c >= '0' && c <= '9') || c == '-')) {
			return 0;
		}
	}
	return 1;
}

/* ---- the message ---- */

static void
base64_add(struct buf *out, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];

		buf_addch(out, tab[v >> 18]);
		buf_addch(out, tab[(v >> 12) & 63]);
		buf_addch(out, tab[(v >> 6) & 63]);
		buf_addch(out, tab[v & 63]);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		buf_addch(out, tab[v >> 18]);
		buf_addch(out, tab[(v >> 12) & 63]);
		buf_adds(out, "==");
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		buf_addch(out, tab[v >> 18]);
		buf_addch(out, tab[(v >> 12) & 63]);
		buf_addch(out, tab[(v >> 6) & 63]);
		buf_addch(out, '=');
	}
}

/*
 * The Subject header. Printable ASCII goes as it is; anything else as
 * RFC 2047 encoded words of at most 75 characters (45 bytes of text each,
 * never splitting a UTF-8 character), folded onto continuation lines.
 */
static int
add_subject(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i, start, n;
	int ascii = 1;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return -1;	/* no CR, LF or other control character */
		if (p[i] >= 0x80)
			ascii = 0;
	}
	buf_adds(out, "Subject: ");
	if (ascii && !strstr(s, "=?") && len <= LINE_SAFE - 9) {
		buf_adds(out, s);
		buf_adds(out, "\r\n");
		return 0;
	}
	for (start = 0; start < len; start += n) {
		n = len - start < 45 ? len - start : 45;
		/* Back off to the start of a UTF-8 character. */
		while (start + n < len && n > 1 && (p[start + n] & 0xc0) == 0x80)
			n--;
		if (start)
			buf_adds(out, "\r\n ");
		buf_adds(out, "=?UTF-8?B?");
		base64_add(out, p + start, n);
		buf_adds(out, "?=");
	}
	buf_adds(out, "\r\n");
	return 0;
}

/* 1 when the body can go as 7bit: ASCII, no control bytes, short lines. */
static int
body_is_7bit(const char *body)
{
	size_t col = 0;

	for (; *body; body++) {
		unsigned char c = (unsigned char)*body;

		if (c == '\n') {
			col = 0;
			continue;
		}
		if (c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7f ||
		    ++col > LINE_SAFE)
			return 0;
	}
	return 1;
}

/* RFC 2045 6.7: quoted-printable, CRLF line ends, soft breaks at 76. */
static void
add_qp(struct buf *out, const char *body)
{
	const unsigned char *p = (const unsigned char *)body;
	size_t col = 0;

	for (; *p; p++) {
		char enc[4];
		size_t n;

		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_adds(out, "\r\n");
			col = 0;
			continue;
		}
		/* Space and tab at the end of a line would be stripped. */
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && p[1] && p[1] != '\n' &&
		     p[1] != '\r')) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			snprintf(enc, sizeof(enc), "=%02X", *p);
			n = 3;
		}
		if (col + n > QP_LINE - 1) {
			buf_adds(out, "=\r\n");
			col = 0;
		}
		buf_add(out, enc, n);
		col += n;
	}
}

static void
add_date(struct buf *out, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	                                    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	                                      "Jun", "Jul", "Aug", "Sep", "Oct",
	                                      "Nov", "Dec" };
	struct tm tm;

	/* Built by hand: strftime's names follow the locale. */
	gmtime_r(&t, &tm);
	buf_addf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0000\r\n",
	         days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
smtp_message_build(struct buf *out, const char *from,
                   const struct smtp_mail *m, time_t t)
{
	unsigned char id[16];
	size_t i;

	if (!smtp_address_valid(from) || !smtp_address_valid(m->to))
		return -1;
	add_date(out, t);
	buf_addf(out, "From: <%s>\r\n", from);
	buf_addf(out, "To: <%s>\r\n", m->to);
	if (add_subject(out, m->subject) < 0)
		return -1;
	crypto_random(id, sizeof(id));
	buf_adds(out, "Message-ID: <");
	for (i = 0; i < sizeof(id); i++)
		buf_addf(out, "%02x", id[i]);
	buf_addf(out, "@%s>\r\n", strchr(from, '@') + 1);
	buf_adds(out, "MIME-Version: 1.0\r\n"
	         "Content-Type: text/plain; charset=UTF-8\r\n");
	/* RFC 3834: no auto-replies to an automatic notice. */
	buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	if (body_is_7bit(m->body)) {
		const char *p;

		buf_adds(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
		for (p = m->body; *p; p++) {
			if (*p == '\n')
				buf_adds(out, "\r\n");
			else
				buf_addch(out, *p);
		}
	} else {
		buf_adds(out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
		add_qp(out, m->body);
	}
	if (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n", 2) != 0)
		buf_adds(out, "\r\n");
	return 0;
}

/* ---- the connection ---- */

static int
set_timeouts(int fd, unsigned timeout)
{
	struct timeval tv = { .tv_sec = (time_t)timeout, .tv_usec = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -1;
	return 0;
}

/* Connect to one address within timeout seconds; the fd or -1. */
static int
connect_one(const struct addrinfo *ai, unsigned timeout)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int fd, flags, err = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	            ai->ai_protocol);
	if (fd < 0)
		return -1;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)timeout * 1000) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
			goto fail;
	}
	if (fcntl(fd, F_SETFL, flags) < 0 || set_timeouts(fd, timeout) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int
conn_open(struct conn *c, const struct smtp_relay *r, unsigned timeout)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", r->port);
	rc = getaddrinfo(r->host, port, &hints, &res);
	if (rc != 0)
		return error("mail relay %s: %s", r->host, gai_strerror(rc));
	c->fd = -1;
	for (ai = res; ai && c->fd < 0; ai = ai->ai_next)
		c->fd = connect_one(ai, timeout);
	freeaddrinfo(res);
	if (c->fd < 0)
		return error("mail relay %s port %u: cannot connect", r->host,
		             r->port);
	c->on_socket = r->on_socket;
	c->arg = r->arg;
	if (c->on_socket)
		c->on_socket(c->arg, c->fd);
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->tls) {
		gnutls_bye(c->tls, GNUTLS_SHUT_WR);
		gnutls_deinit(c->tls);
	}
	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	if (c->fd >= 0) {
		if (c->on_socket)
			c->on_socket(c->arg, -1);
		close(c->fd);
	}
	c->fd = -1;
	c->tls = NULL;
	c->cred = NULL;
}

static int
conn_write(struct conn *c, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n;

		if (time(NULL) > c->deadline)
			return -1;
		if (c->tls) {
			n = gnutls_record_send(c->tls, p, len);
			if (n == GNUTLS_E_INTERRUPTED)
				continue;
		} else {
			n = send(c->fd, p, len, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fill the input buffer; -1 on timeout, error or end of stream. */
static int
conn_fill(struct conn *c)
{
	ssize_t n;

	for (;;) {
		if (time(NULL) > c->deadline)
			return -1;
		if (c->tls) {
			n = gnutls_record_recv(c->tls, c->in, sizeof(c->in));
			if (n == GNUTLS_E_INTERRUPTED)
				continue;
		} else {
			n = recv(c->fd, c->in, sizeof(c->in), 0);
			if (n < 0 && errno == EINTR)
				continue;
		}
		if (n <= 0)
			return -1;
		c->inlen = (size_t)n;
		c->inpos = 0;
		return 0;
	}
}

/* One reply line without its CRLF into line; its length, or -1. */
static int
read_line(struct conn *c, char *line, size_t cap)
{
	size_t n = 0;

	for (;;) {
		char ch;

		if (c->inpos == c->inlen && conn_fill(c) < 0)
			return -1;
		ch = c->in[c->inpos++];
		if (ch == '\n')
			break;
		if (n + 1 >= cap)
			return -1;	/* longer than any sane reply */
		line[n++] = ch;
	}
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return (int)n;
}

/*
 * Read one reply, all its lines ("250-..." up to "250 ..."); the code, or
 * -1. With starttls_seen, sets *starttls_seen when an EHLO line offers it.
 */
static int
read_reply(struct conn *c, int *starttls_seen)
{
	char line[SMTP_LINE_MAX];
	int i, len, code = -1;

	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++) {
		len = read_line(c, line, sizeof(line));
		if (len < 3 || line[0] < '2' || line[0] > '5' ||
		    line[1] < '0' || line[1] > '9' || line[2] < '0' ||
		    line[2] > '9' || (len > 3 && line[3] != ' ' &&
		                      line[3] != '-'))
			return -1;
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		       (line[2] - '0');
		if (starttls_seen && len >= 12 &&
		    strncasecmp(line + 4, "STARTTLS", 8) == 0 &&
		    (line[12] == '\0' || line[12] == ' '))
			*starttls_seen = 1;
		if (len == 3 || line[3] == ' ')
			return code;
	}
	return -1;
}

/* Send a command line (CRLF added) and read the reply; the code, or -1. */
static int
command(struct conn *c, const char *cmd, int *starttls_seen)
{
	struct buf line = BUF_INIT;
	int ret;

	buf_addf(&line, "%s\r\n", cmd);
	ret = conn_write(c, line.data, line.len);
	buf_release(&line);
	if (ret < 0)
		return -1;
	return read_reply(c, starttls_seen);
}

static int
start_tls(struct conn *c, const char *host, const char *ca_file,
          unsigned timeout)
{
	int rc;

	if (gnutls_certificate_allocate_credentials(&c->cred) < 0)
		return error("mail relay %s: cannot set up TLS", host);
	/* set_x509_*: the number of roots loaded; none is an error too. */
	if ((ca_file && ca_file[0]
	     ? gnutls_certificate_set_x509_trust_file(c->cred, ca_file,
	                                              GNUTLS_X509_FMT_PEM)
	     : gnutls_certificate_set_x509_system_trust(c->cred)) <= 0)
		return error("mail relay %s: no trusted roots in %s", host,
		             ca_file && ca_file[0] ? ca_file : "the system store");
	if (gnutls_init(&c->tls, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL) < 0)
		return error("mail relay %s: cannot set up TLS", host);
	if (gnutls_set_default_priority(c->tls) < 0 ||
	    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, c->cred) < 0 ||
	    gnutls_server_name_set(c->tls, GNUTLS_NAME_DNS, host,
	                           strlen(host)) < 0)
		return error("mail relay %s: cannot set up TLS", host);
	/* The certificate must be valid for the configured host name. */
	gnutls_session_set_verify_cert(c->tls, host, 0);
	gnutls_transport_set_int(c->tls, c->fd);
	gnutls_handshake_set_timeout(c->tls, timeout * 1000);
	do {
		rc = gnutls_handshake(c->tls);
	} while (rc < 0 && !gnutls_error_is_fatal(rc) && time(NULL) <= c->deadline);
	if (rc < 0)
		return error("mail relay %s: TLS handshake failed: %s", host,
		             gnutls_strerror(rc));
	return 0;
}

/* EHLO, or HELO from a relay that does not know EHLO. The code, or -1. */
static int
hello(struct conn *c, const char *domain, int *starttls_seen)
{
	struct buf cmd = BUF_INIT;
	int code;

	buf_addf(&cmd, "EHLO %s", domain);
	code = command(c, cmd.data, starttls_seen);
	if (code == 500 || code == 502) {
		buf_reset(&cmd);
		buf_addf(&cmd, "HELO %s", domain);
		code = command(c, cmd.data, NULL);
	}
	buf_release(&cmd);
	return code;
}

/* The message with every line that starts with '.' given another. */
static void
dot_stuff(struct buf *out, const struct buf *msg)
{
	size_t i;
	int bol = 1;

	for (i = 0; i < msg->len; i++) {
		if (bol && msg->data[i] == '.')
			buf_addch(out, '.');
		buf_addch(out, msg->data[i]);
		bol = msg->data[i] == '\n';
	}
	buf_adds(out, ".\r\n");
}

int
smtp_send(const struct smtp_relay *relay, const struct smtp_mail *m,
          struct smtp_result *res)
{
	struct conn c = { .fd = -1 };
	struct buf msg = BUF_INIT, data = BUF_INIT, cmd = BUF_INIT;
	unsigned timeout = relay->timeout ? relay->timeout : SMTP_TIMEOUT_DEFAULT;
	enum stage stage = STAGE_CONNECT;
	const char *domain;
	int code = 0, tls_offered = 0, ret = -1;

	res->code = 0;
	res->permanent = 0;
	if (!smtp_address_valid(relay->from) || !smtp_address_valid(m->to) ||
	    smtp_message_build(&msg, relay->from, m, time(NULL)) < 0) {
		/* Nothing will make this mail valid: do not retry it. */
		res->permanent = 1;
		buf_release(&msg);
		return error("mail refused before sending: invalid address or "
		             "subject");
	}
	domain = strchr(relay->from, '@') + 1;
	c.deadline = time(NULL) + (time_t)timeout * SMTP_DEADLINE_TIMEOUTS;
	if (conn_open(&c, relay, timeout) < 0)
		goto out;
	if ((code = read_reply(&c, NULL)) != 220)
		goto refused;
	stage = STAGE_HELLO;
	if ((code = hello(&c, domain, &tls_offered)) != 250)
		goto refused;
	if (relay->starttls) {
		stage = STAGE_TLS;
		if (!tls_offered) {
			command(&c, "QUIT", NULL);
			code = 0;
			error("mail relay %s does not offer STARTTLS, which "
			      "[smtp] starttls requires; nothing sent", relay->host);
			goto out;
		}
		if ((code = command(&c, "STARTTLS", NULL)) != 220)
			goto refused;
		if (c.inpos != c.inlen) {
			code = 0;
			error("mail relay %s sent data before the TLS handshake; "
			      "nothing sent", relay->host);
			goto out;
		}
		if (start_tls(&c, relay->host, relay->ca_file, timeout) < 0) {
			code = 0;
			goto out;
		}
		stage = STAGE_HELLO;
		if ((code = hello(&c, domain, NULL)) != 250)
			goto refused;
	}
	stage = STAGE_MAIL;
	buf_addf(&cmd, "MAIL FROM:<%s>", relay->from);
	if ((code = command(&c, cmd.data, NULL)) != 250)
		goto refused;
	stage = STAGE_RCPT;
	buf_reset(&cmd);
	buf_addf(&cmd, "RCPT TO:<%s>", m->to);
	code = command(&c, cmd.data, NULL);
	if (code != 250 && code != 251)
		goto refused;
	stage = STAGE_DATA;
	if ((code = command(&c, "DATA", NULL)) != 354)
		goto refused;
	stage = STAGE_DATA_END;
	dot_stuff(&data, &msg);
	if (conn_write(&c, data.data, data.len) < 0) {
		code = -1;
		goto refused;
	}
	if ((code = read_reply(&c, NULL)) != 250)
		goto refused;
	ret = 0;
	/* The mail is accepted; a failed QUIT changes nothing. */
	command(&c, "QUIT", NULL);
	goto out;
refused:
	if (code < 0) {
		code = 0;
		error("mail relay %s: no valid reply at %s", relay->host,
		      stage_names[stage]);
	} else {
		error("mail relay %s answered %d at %s", relay->host, code,
		      stage_names[stage]);
	}
	if (code > 0)
		command(&c, "QUIT", NULL);
out:
	res->code = code;
	res->permanent = ret < 0 && code >= 500 &&
	                 (stage == STAGE_RCPT || stage == STAGE_DATA_END);
	conn_close(&c);
	buf_wipe_release(&msg);
	buf_wipe_release(&data);
	buf_wipe_release(&cmd);
	return ret;
}
