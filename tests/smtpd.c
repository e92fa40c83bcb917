/*
 * smtpd.c - the test SMTP receiver (see smtpd.h).
 *
 * Strict where a client could get it wrong: every reply line must end in
 * CRLF, commands come one at a time, data ends with CRLF.CRLF and a line
 * starting with '.' must have been doubled. A broken dialogue closes the
 * connection and is counted as an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "smtpd.h"

#define READ_TIMEOUT_MS 5000
#define MAIL_MAX (1024 * 1024)

struct mail {
	struct buf rcpt, data;
};

struct smtpd {
	int listener;
	uint16_t port;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	int stop;
	int fail_left, fail_code, starttls;
	gnutls_certificate_credentials_t cred;	/* STARTTLS spoken when set */
	size_t nmails, attempts, ntls;
	struct mail mails[SMTPD_MAX_MAILS];
	time_t until;
};

struct client {
	int fd;
	gnutls_session_t tls;
	char in[4096];
	size_t len, pos;
};

static int
reply(struct client *c, const char *text)
{
	size_t n = strlen(text);

	if (c->tls)
		return gnutls_record_send(c->tls, text, n) == (ssize_t)n ? 0 : -1;
	return send(c->fd, text, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

static int
start_tls(struct smtpd *d, struct client *c)
{
	struct timeval tv = { READ_TIMEOUT_MS / 1000, 0 };
	int rc;

	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (gnutls_init(&c->tls, GNUTLS_SERVER | GNUTLS_NO_SIGNAL) < 0 ||
	    gnutls_set_default_priority(c->tls) < 0 ||
	    gnutls_credentials_set(c->tls, GNUTLS_CRD_CERTIFICATE, d->cred) < 0)
		return -1;
	gnutls_transport_set_int(c->tls, c->fd);
	gnutls_handshake_set_timeout(c->tls, READ_TIMEOUT_MS);
	do {
		rc = gnutls_handshake(c->tls);
	} while (rc < 0 && !gnutls_error_is_fatal(rc));
	c->len = c->pos = 0;
	return rc < 0 ? -1 : 0;
}

/* One line without CRLF into line; -1 on timeout, close, bare LF. */
static int
get_line(struct client *c, struct buf *line)
{
	buf_reset(line);
	for (;;) {
		if (c->pos == c->len) {
			struct pollfd p = { c->fd, POLLIN, 0 };
			ssize_t n;

			if ((!c->tls || !gnutls_record_check_pending(c->tls)) &&
			    poll(&p, 1, READ_TIMEOUT_MS) != 1)
				return -1;
			n = c->tls ? gnutls_record_recv(c->tls, c->in, sizeof(c->in))
			           : recv(c->fd, c->in, sizeof(c->in), 0);
			if (n <= 0)
				return -1;
			c->len = (size_t)n;
			c->pos = 0;
		}
		buf_addch(line, c->in[c->pos++]);
		if (line->len > MAIL_MAX)
			return -1;
		if (line->data[line->len - 1] == '\n') {
			if (line->len < 2 || line->data[line->len - 2] != '\r')
				return -1;
			buf_truncate(line, line->len - 2);
			return 0;
		}
	}
}

static void
serve(struct smtpd *d, int fd)
{
	struct client c = { .fd = fd };
	struct buf line = BUF_INIT, rcpt = BUF_INIT, data = BUF_INIT;

	if (reply(&c, "220 smtpd.test ESMTP ready\r\n") < 0)
		goto out;
	while (get_line(&c, &line) == 0) {
		const char *cmd = line.data;

		if (strncasecmp(cmd, "EHLO ", 5) == 0) {
			int tls;

			pthread_mutex_lock(&d->mu);
			tls = (d->starttls || d->cred) && !c.tls;
			pthread_mutex_unlock(&d->mu);
			reply(&c, tls ? "250-smtpd.test\r\n250-8BITMIME\r\n"
			              "250 STARTTLS\r\n"
			              : "250-smtpd.test\r\n250-8BITMIME\r\n"
			                "250 SIZE 1048576\r\n");
		} else if (strncasecmp(cmd, "HELO ", 5) == 0 ||
		           strcasecmp(cmd, "RSET") == 0 ||
		           strcasecmp(cmd, "NOOP") == 0) {
			reply(&c, "250 ok\r\n");
		} else if (strcasecmp(cmd, "STARTTLS") == 0 && d->cred && !c.tls) {
			reply(&c, "220 go ahead\r\n");
			if (start_tls(d, &c) < 0)
				goto out;
		} else if (strcasecmp(cmd, "STARTTLS") == 0) {
			reply(&c, "454 TLS not available\r\n");
		} else if (strncasecmp(cmd, "MAIL FROM:<", 11) == 0) {
			buf_reset(&rcpt);
			reply(&c, "250 ok\r\n");
		} else if (strncasecmp(cmd, "RCPT TO:<", 9) == 0 &&
		           line.len > 10 && cmd[line.len - 1] == '>') {
			int code = 0;

			pthread_mutex_lock(&d->mu);
			d->attempts++;
			if (d->fail_left > 0) {
				d->fail_left--;
				code = d->fail_code;
			}
			pthread_cond_broadcast(&d->changed);
			pthread_mutex_unlock(&d->mu);
			if (code) {
				char r[64];

				snprintf(r, sizeof(r), "%d refused by the test\r\n",
				         code);
				reply(&c, r);
				continue;
			}
			buf_reset(&rcpt);
			buf_add(&rcpt, cmd + 9, line.len - 10);
			reply(&c, "250 ok\r\n");
		} else if (strcasecmp(cmd, "DATA") == 0 && rcpt.len) {
			reply(&c, "354 go ahead\r\n");
			buf_reset(&data);
			for (;;) {
				if (get_line(&c, &line) < 0)
					goto out;
				if (strcmp(line.data, ".") == 0)
					break;
				if (line.data[0] == '.') {
					/* Undo the stuffing; an unstuffed dot is
					 * an error. */
					if (line.data[1] != '.')
						goto out;
					buf_add(&data, line.data + 1, line.len - 1);
				} else {
					buf_add(&data, line.data, line.len);
				}
				buf_adds(&data, "\r\n");
			}
			pthread_mutex_lock(&d->mu);
			if (d->nmails < SMTPD_MAX_MAILS) {
				struct mail *m = &d->mails[d->nmails++];

				buf_add(&m->rcpt, rcpt.data, rcpt.len);
				buf_add(&m->data, data.data, data.len);
				if (c.tls)
					d->ntls++;
			}
			pthread_cond_broadcast(&d->changed);
			pthread_mutex_unlock(&d->mu);
			buf_reset(&rcpt);
			reply(&c, "250 queued\r\n");
		} else if (strcasecmp(cmd, "QUIT") == 0) {
			reply(&c, "221 bye\r\n");
			break;
		} else {
			reply(&c, "500 what?\r\n");
		}
	}
out:
	if (c.tls) {
		gnutls_bye(c.tls, GNUTLS_SHUT_WR);
		gnutls_deinit(c.tls);
	}
	close(fd);
	buf_release(&line);
	buf_release(&rcpt);
	buf_release(&data);
}

static void *
run(void *arg)
{
	struct smtpd *d = arg;

	for (;;) {
		struct pollfd p = { d->listener, POLLIN, 0 };
		int stop, fd;

		pthread_mutex_lock(&d->mu);
		stop = d->stop || time(NULL) > d->until;
		pthread_mutex_unlock(&d->mu);
		if (stop)
			break;
		if (poll(&p, 1, 100) != 1)
			continue;
		fd = accept(d->listener, NULL, NULL);
		if (fd >= 0)
			serve(d, fd);
	}
	return NULL;
}

struct smtpd *
smtpd_start(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct smtpd *d = calloc(1, sizeof(*d));
	int one = 1;

	if (!d)
		return NULL;
	for (size_t i = 0; i < SMTPD_MAX_MAILS; i++) {
		buf_init(&d->mails[i].rcpt);
		buf_init(&d->mails[i].data);
	}
	d->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(d->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (d->listener < 0 ||
	    bind(d->listener, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(d->listener, 8) < 0 ||
	    getsockname(d->listener, (struct sockaddr *)&sin, &len) < 0) {
		if (d->listener >= 0)
			close(d->listener);
		free(d);
		return NULL;
	}
	d->port = ntohs(sin.sin_port);
	d->until = time(NULL) + SMTPD_LIFETIME;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->changed, NULL);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		close(d->listener);
		free(d);
		return NULL;
	}
	return d;
}

uint16_t
smtpd_port(const struct smtpd *d)
{
	return d->port;
}

void
smtpd_fail(struct smtpd *d, int n, int code)
{
	pthread_mutex_lock(&d->mu);
	d->fail_left = n;
	d->fail_code = code;
	pthread_mutex_unlock(&d->mu);
}

void
smtpd_offer_starttls(struct smtpd *d, int on)
{
	pthread_mutex_lock(&d->mu);
	d->starttls = on;
	pthread_mutex_unlock(&d->mu);
}

int
smtpd_tls(struct smtpd *d, const char *cert, const char *key)
{
	gnutls_certificate_credentials_t cred;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return -1;
	if (gnutls_certificate_set_x509_key_file(cred, cert, key,
	                                         GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_certificate_free_credentials(cred);
		return -1;
	}
	pthread_mutex_lock(&d->mu);
	d->cred = cred;
	pthread_mutex_unlock(&d->mu);
	return 0;
}

size_t
smtpd_count_tls(struct smtpd *d)
{
	size_t n;

	pthread_mutex_lock(&d->mu);
	n = d->ntls;
	pthread_mutex_unlock(&d->mu);
	return n;
}

size_t
smtpd_count(struct smtpd *d)
{
	size_t n;

	pthread_mutex_lock(&d->mu);
	n = d->nmails;
	pthread_mutex_unlock(&d->mu);
	return n;
}

size_t
smtpd_attempts(struct smtpd *d)
{
	size_t n;

	pthread_mutex_lock(&d->mu);
	n = d->attempts;
	pthread_mutex_unlock(&d->mu);
	return n;
}

static size_t
wait_for(struct smtpd *d, size_t *what, size_t n, int timeout_ms)
{
	struct timespec until;
	size_t got;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&d->mu);
	while (*what < n &&
	       pthread_cond_timedwait(&d->changed, &d->mu, &until) == 0)
		;
	got = *what;
	pthread_mutex_unlock(&d->mu);
	return got;
}

size_t
smtpd_wait(struct smtpd *d, size_t n, int timeout_ms)
{
	return wait_for(d, &d->nmails, n, timeout_ms);
}

size_t
smtpd_wait_attempts(struct smtpd *d, size_t n, int timeout_ms)
{
	return wait_for(d, &d->attempts, n, timeout_ms);
}

int
smtpd_mail(struct smtpd *d, size_t i, struct buf *rcpt, struct buf *data)
{
	int ret = -1;

	pthread_mutex_lock(&d->mu);
	if (i < d->nmails) {
		if (rcpt)
			buf_add(rcpt, d->mails[i].rcpt.data, d->mails[i].rcpt.len);
		if (data)
			buf_add(data, d->mails[i].data.data, d->mails[i].data.len);
		ret = 0;
	}
	pthread_mutex_unlock(&d->mu);
	return ret;
}

void
smtpd_stop(struct smtpd *d)
{
	size_t i;

	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	close(d->listener);
	for (i = 0; i < SMTPD_MAX_MAILS; i++) {
		buf_release(&d->mails[i].rcpt);
		buf_release(&d->mails[i].data);
	}
	if (d->cred)
		gnutls_certificate_free_credentials(d->cred);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->changed);
	free(d);
}
