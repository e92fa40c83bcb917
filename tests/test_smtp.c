/*
 * test_smtp.c - the SMTP client against the test receiver (smtpd.h):
 * addresses that could inject a header or command are refused, the
 * message has its RFC 5322 / MIME headers and CRLF lines, dot-stuffing
 * survives the trip, 4xx and 5xx replies are told apart, STARTTLS when
 * required is never skipped, and a silent relay costs one timeout.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "smtp.h"
#include "smtpd.h"
#include "testutil.h"

#define FROM "meldpunt@gemeente.example"
#define TO "p.jansen@example.nl"

static void
test_address_valid(void **state)
{
	static const char *const good[] = {
		TO, "a@b.nl", "first.last+tag@sub.example.org", "x_y-z@a-b.nl",
		"o'brien@example.ie",
	};
	static const char *const bad[] = {
		"", "@example.nl", "p.jansen@", "a@b@c.nl", "a b@c.nl",
		"a@b.nl\r\nBcc: x@evil.nl", "a@b.nl\nBcc: x@evil.nl",
		"a\r\n@b.nl", "<a@b.nl>", "a@b.nl>", ".a@b.nl", "a.@b.nl",
		"a..b@c.nl", "a@.b.nl", "a@b..nl", "a@b.nl.", "a@-b.nl",
		"a@b-.nl", "\xc3\xa9@b.nl", "a@b\xc3\xa9.nl", "a@b.nl\t",
		"a\"b@c.nl", "a(b)@c.nl", "a,b@c.nl", "a;b@c.nl", "a:b@c.nl",
		"a@[127.0.0.1]",
	};
	char longlocal[80], longaddr[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(smtp_address_valid(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (smtp_address_valid(bad[i]))
			fail_msg("accepted bad address #%zu", i);
	}
	assert_false(smtp_address_valid(NULL));
	/* Local part at most 64, the whole at most 254. */
	memset(longlocal, 'a', 65);
	memcpy(longlocal + 65, "@b.nl", 6);
	assert_false(smtp_address_valid(longlocal));
	longlocal[64] = '@';
	memcpy(longlocal + 64, "@b.nl", 6);
	assert_true(smtp_address_valid(longlocal));
	memset(longaddr, 'b', sizeof(longaddr));
	memcpy(longaddr, "a@", 2);
	longaddr[254] = '\0';
	assert_true(smtp_address_valid(longaddr));
	longaddr[254] = 'b';
	longaddr[255] = '\0';
	assert_false(smtp_address_valid(longaddr));
}

/* Every line of b ends in CRLF, none longer than 998. */
static void
assert_crlf_lines(const struct buf *b)
{
	size_t i, col = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\n') {
			assert_true(i > 0 && b->data[i - 1] == '\r');
			col = 0;
		} else {
			assert_false(b->data[i] == '\r' &&
			             (i + 1 == b->len || b->data[i + 1] != '\n'));
			assert_true(++col <= 998);
		}
	}
	assert_true(b->len >= 2 && b->data[b->len - 1] == '\n');
}

static void
test_message_build(void **state)
{
	struct smtp_mail m = { TO, "Nieuws over uw melding / News",
	                       "Regel een\nRegel twee\n" };
	struct buf b = BUF_INIT;
	time_t t = 1795858000;	/* 2026-11-28 */

	(void)state;
	assert_int_equal(smtp_message_build(&b, FROM, &m, t), 0);
	assert_crlf_lines(&b);
	assert_non_null(strstr(b.data, "Date: Sat, 28 Nov 2026 "));
	assert_non_null(strstr(b.data, "+0000\r\n"));
	assert_non_null(strstr(b.data, "\r\nFrom: <" FROM ">\r\n"));
	assert_non_null(strstr(b.data, "\r\nTo: <" TO ">\r\n"));
	assert_non_null(strstr(b.data, "\r\nSubject: Nieuws over uw melding / "
	                               "News\r\n"));
	assert_non_null(strstr(b.data, "\r\nMessage-ID: <"));
	assert_non_null(strstr(b.data, "@gemeente.example>\r\n"));
	assert_non_null(strstr(b.data, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(b.data, "\r\nContent-Type: text/plain; "
	                               "charset=UTF-8\r\n"));
	assert_non_null(strstr(b.data, "\r\nContent-Transfer-Encoding: 7bit\r\n"
	                               "\r\nRegel een\r\nRegel twee\r\n"));
	buf_release(&b);

	/* Not ASCII: an RFC 2047 subject and a quoted-printable body. */
	m.subject = "Über uw melding – één bericht";
	m.body = "Café = open\nlast space \n";
	assert_int_equal(smtp_message_build(&b, FROM, &m, t), 0);
	assert_crlf_lines(&b);
	assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
	assert_null(strstr(b.data, "Über"));
	assert_non_null(strstr(b.data, "Content-Transfer-Encoding: "
	                               "quoted-printable\r\n\r\n"
	                               "Caf=C3=A9 =3D open\r\nlast space=20\r\n"));
	buf_release(&b);

	/* A long non-ASCII line is cut with soft breaks at 76. */
	{
		char body[400];
		size_t i;

		for (i = 0; i + 2 < sizeof(body); i += 2)
			memcpy(body + i, "\xc3\xa9", 2);
		body[i] = '\0';
		m.body = body;
		assert_int_equal(smtp_message_build(&b, FROM, &m, t), 0);
		assert_crlf_lines(&b);
		assert_non_null(strstr(b.data, "=\r\n"));
		buf_release(&b);
	}

	/* A subject or address that would start a header is refused. */
	m.body = "x\n";
	m.subject = "Hallo\r\nBcc: evil@example.nl";
	assert_int_equal(smtp_message_build(&b, FROM, &m, t), -1);
	buf_release(&b);
	m.subject = "Hallo";
	m.to = "a@b.nl\r\nBcc: evil@example.nl";
	assert_int_equal(smtp_message_build(&b, FROM, &m, t), -1);
	buf_release(&b);
	m.to = TO;
	assert_int_equal(smtp_message_build(&b, "nobody", &m, t), -1);
	buf_release(&b);
}

static struct smtp_relay
relay_for(struct smtpd *d)
{
	struct smtp_relay r = { "127.0.0.1", smtpd_port(d), FROM, 0, NULL, 5,
	                        NULL, NULL };

	return r;
}

static void
test_send_and_dot_stuffing(void **state)
{
	struct smtpd *d = smtpd_start();
	struct smtp_relay r;
	struct smtp_mail m = { TO, "Test", ".begins with a dot\n..two\n.\nend\n" };
	struct smtp_result res;
	struct buf rcpt = BUF_INIT, data = BUF_INIT;

	(void)state;
	assert_non_null(d);
	r = relay_for(d);
	assert_int_equal(smtp_send(&r, &m, &res), 0);
	assert_int_equal(smtpd_wait(d, 1, 5000), 1);
	assert_int_equal(smtpd_mail(d, 0, &rcpt, &data), 0);
	assert_string_equal(rcpt.data, TO);
	/* The receiver undid the stuffing: the body is as written. */
	assert_non_null(strstr(data.data, "\r\n\r\n.begins with a dot\r\n"
	                                  "..two\r\n.\r\nend\r\n"));
	assert_crlf_lines(&data);
	buf_release(&rcpt);
	buf_release(&data);
	smtpd_stop(d);
}

static void
test_refusals(void **state)
{
	struct smtpd *d = smtpd_start();
	struct smtp_relay r;
	struct smtp_mail m = { TO, "Test", "body\n" };
	struct smtp_result res;

	(void)state;
	assert_non_null(d);
	r = relay_for(d);
	smtpd_fail(d, 1, 451);
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 451);
	assert_false(res.permanent);
	smtpd_fail(d, 1, 550);
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 550);
	assert_true(res.permanent);
	assert_int_equal(smtpd_count(d), 0);
	/* The next one goes through. */
	assert_int_equal(smtp_send(&r, &m, &res), 0);
	assert_int_equal(smtpd_wait(d, 1, 5000), 1);
	smtpd_stop(d);
}

static void
test_starttls_required(void **state)
{
	struct smtpd *d = smtpd_start();
	struct smtp_relay r;
	struct smtp_mail m = { TO, "Test", "body\n" };
	struct smtp_result res;

	(void)state;
	assert_non_null(d);
	r = relay_for(d);
	r.starttls = 1;
	/* Not offered: nothing is sent in the clear. */
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 0);
	assert_false(res.permanent);
	/* Offered, then refused: still nothing. */
	smtpd_offer_starttls(d, 1);
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 454);
	assert_int_equal(smtpd_attempts(d), 0);
	assert_int_equal(smtpd_count(d), 0);
	smtpd_stop(d);
}

static int
run_quiet(const char *cmd)
{
	int rc = system(cmd);

	return rc == 0 ? 0 : -1;
}

/*
 * STARTTLS spoken: a self-signed relay is refused against the system's
 * roots and under another host name, and accepted with its certificate
 * as [smtp] ca_file; the mail then travels only inside TLS.
 */
static void
test_starttls_verified(void **state)
{
	struct smtpd *d = smtpd_start();
	struct buf cert = BUF_INIT, key = BUF_INIT, tmpl = BUF_INIT;
	struct buf cmd = BUF_INIT;
	char *dir = test_tmpdir("smtp-tls");
	struct smtp_relay r;
	struct smtp_mail m = { TO, "Test", "body\n" };
	struct smtp_result res;
	FILE *fp;

	(void)state;
	assert_non_null(d);
	buf_addf(&cert, "%s/cert.pem", dir);
	buf_addf(&key, "%s/key.pem", dir);
	buf_addf(&tmpl, "%s/cert.tmpl", dir);
	fp = fopen(tmpl.data, "w");
	assert_non_null(fp);
	fputs("cn = 127.0.0.1\nip_address = 127.0.0.1\nexpiration_days = 2\n"
	      "tls_www_server\nsigning_key\nencryption_key\n", fp);
	fclose(fp);
	buf_addf(&cmd, "certtool --generate-privkey --key-type=ecdsa "
	         "--outfile %s >/dev/null 2>&1 && certtool "
	         "--generate-self-signed --load-privkey %s --template %s "
	         "--outfile %s >/dev/null 2>&1", key.data, key.data, tmpl.data,
	         cert.data);
	assert_int_equal(run_quiet(cmd.data), 0);
	assert_int_equal(smtpd_tls(d, cert.data, key.data), 0);

	r = relay_for(d);
	r.starttls = 1;
	/* Not signed by a root the system trusts: nothing sent. */
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 0);
	/* Trusted, but not for this host name: nothing sent. */
	r.ca_file = cert.data;
	r.host = "localhost";
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 0);
	assert_int_equal(smtpd_attempts(d), 0);
	/* Trusted for 127.0.0.1: sent, inside TLS. */
	r.host = "127.0.0.1";
	assert_int_equal(smtp_send(&r, &m, &res), 0);
	assert_int_equal(smtpd_wait(d, 1, 5000), 1);
	assert_int_equal(smtpd_count_tls(d), 1);

	smtpd_stop(d);
	test_rmtree(dir);
	free(dir);
	buf_release(&cert);
	buf_release(&key);
	buf_release(&tmpl);
	buf_release(&cmd);
}

static void
test_silent_relay_times_out(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct smtp_relay r = { "127.0.0.1", 0, FROM, 0, NULL, 1, NULL, NULL };
	struct smtp_mail m = { TO, "Test", "body\n" };
	struct smtp_result res;
	time_t start;
	int fd;

	(void)state;
	/* Listening, never accepting: the connect succeeds, no greeting. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	r.port = ntohs(sin.sin_port);
	start = time(NULL);
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 0);
	assert_true(time(NULL) - start <= 3);
	close(fd);

	/* Nobody listening: refused at once. */
	assert_int_equal(smtp_send(&r, &m, &res), -1);
	assert_int_equal(res.code, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_valid),
		cmocka_unit_test(test_message_build),
		cmocka_unit_test(test_send_and_dot_stuffing),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_starttls_required),
		cmocka_unit_test(test_starttls_verified),
		cmocka_unit_test(test_silent_relay_times_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
