/*
 * test_outbox.c - e-mail notices to reporters, through the test SMTP
 * receiver (smtpd.h): one notice per message, to the right address,
 * holding the /status link and nothing of the report; the address never
 * in the database files in plaintext, before or after sending; retries
 * after 451, given up after the configured attempts or at once after 550;
 * a queued notice survives a restart; header injection refused at
 * enqueue; no address in the log; a stop cuts a hanging send short; and
 * the real `meldpunt serve` sends a queued notice through its relay.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "casenumber.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "install.h"
#include "message.h"
#include "outbox.h"
#include "report.h"
#include "smtpd.h"
#include "testutil.h"

#define ADDRESS "p.jansen@example.nl"
#define LOCAL_PART "p.jansen"
#define URL "https://meldpunt.example.nl"
#define MARKER "ZWANENBURG-7731"
#define MESSAGE_MARKER "KNOFLOOK-4409"

static const char content[] =
	"Sinds maart staat er elke nacht een busje bij Dorpsstraat 12; "
	"kenmerk " MARKER ".";

struct fixture {
	char *dir;
	struct installation *inst;
	struct smtpd *smtpd;
	struct config cfg;
	int64_t report;
};

static void
set_text(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
	assert_non_null(*field);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char receipt[RECEIPT_TEXT_LEN + 1];
	struct install_result res;

	f->dir = test_tmpdir("outbox");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	f->smtpd = smtpd_start();
	assert_non_null(f->smtpd);
	config_init(&f->cfg);
	set_text(&f->cfg.smtp_host, "127.0.0.1");
	f->cfg.smtp_port = smtpd_port(f->smtpd);
	set_text(&f->cfg.smtp_from, "meldpunt@gemeente.example");
	f->cfg.smtp_starttls = 0;
	f->cfg.smtp_retry = 1;
	f->cfg.smtp_timeout = 5;
	set_text(&f->cfg.public_url, URL);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 content, strlen(content), receipt, &f->report), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	assert_int_equal(install_close(f->inst), 0);
	smtpd_stop(f->smtpd);
	config_release(&f->cfg);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The newest outbox row of report. */
struct row {
	char status[16];
	int64_t attempts, code;
	int has_address, has_sent_at;
};

static int
get_row(struct installation *inst, int64_t report, struct row *r)
{
	struct stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	db_lock(inst->db);
	assert_int_equal(db_prepare(inst->db, &st, "SELECT status, attempts,"
	                 " coalesce(last_error_code, -1), address IS NOT NULL,"
	                 " sent_at IS NOT NULL FROM outbox"
	                 " WHERE report_id = :r ORDER BY id DESC LIMIT 1"), 0);
	assert_int_equal(stmt_bind_int(st, ":r", report), 0);
	rc = stmt_step(st);
	if (rc == DB_ROW) {
		snprintf(r->status, sizeof(r->status), "%s", stmt_text(st, 0));
		r->attempts = stmt_int(st, 1);
		r->code = stmt_int(st, 2);
		r->has_address = (int)stmt_int(st, 3);
		r->has_sent_at = (int)stmt_int(st, 4);
	}
	stmt_finalize(st);
	db_unlock(inst->db);
	return rc == DB_ROW ? 0 : -1;
}

/* Wait (bounded) until the newest row of report has status. */
static void
wait_status(struct installation *inst, int64_t report, const char *status,
            struct row *r)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (get_row(inst, report, r) == 0 &&
		    strcmp(r->status, status) == 0)
			return;
		usleep(50000);
	}
	fail_msg("outbox row of report %lld is '%s', not '%s'",
	         (long long)report, r->status, status);
}

static int64_t
count(struct installation *inst, const char *sql, const char *text,
      int64_t n)
{
	struct stmt *st;
	int64_t c;

	db_lock(inst->db);
	assert_int_equal(db_prepare(inst->db, &st, sql), 0);
	if (text)
		assert_int_equal(stmt_bind_text(st, ":t", text), 0);
	if (n >= 0)
		assert_int_equal(stmt_bind_int(st, ":n", n), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	c = stmt_int(st, 0);
	stmt_finalize(st);
	db_unlock(inst->db);
	return c;
}

static int64_t
audit_count(struct installation *inst, const char *action, int64_t report)
{
	char object[48], cn[CASE_NUMBER_LEN + 1];
	struct stmt *st;
	int64_t c;

	snprintf(object, sizeof(object), "report %s",
	         case_label(inst->db, report, cn));
	db_lock(inst->db);
	assert_int_equal(db_prepare(inst->db, &st, "SELECT count(*) FROM"
	                 " audit_log WHERE actor = 'system' AND action = :a"
	                 " AND object = :o"), 0);
	assert_int_equal(stmt_bind_text(st, ":a", action), 0);
	assert_int_equal(stmt_bind_text(st, ":o", object), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	c = stmt_int(st, 0);
	stmt_finalize(st);
	db_unlock(inst->db);
	return c;
}

/* The database, its WAL and shm, as a copy would have them. */
static void
assert_no_address_on_disk(const char *dir)
{
	static const char *const names[] = {
		INSTALL_DB_FILE, INSTALL_DB_FILE "-wal", INSTALL_DB_FILE "-shm",
	};
	struct buf files = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf path = BUF_INIT;

		buf_addf(&path, "%s/%s", dir, names[i]);
		test_read_file(path.data, &files);
		buf_release(&path);
	}
	assert_true(files.len > 4096);
	assert_false(test_contains(&files, ADDRESS, strlen(ADDRESS)));
	assert_false(test_contains(&files, LOCAL_PART, strlen(LOCAL_PART)));
	buf_release(&files);
}

/* Send stderr (the log) to path until capture_end. */
static int
capture_begin(const char *path)
{
	int saved, fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return saved;
}

static void
capture_end(int saved)
{
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

static void
test_notice_delivered_without_content(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "Wij hebben uw signaal doorgestuurd; "
	                           MESSAGE_MARKER;
	struct buf rcpt = BUF_INIT, data = BUF_INIT, log = BUF_INIT;
	struct buf logpath = BUF_INIT, expect = BUF_INIT;
	struct outbox_sender *s;
	struct row r;
	int saved;

	buf_addf(&logpath, "%s/test.log", f->dir);
	saved = capture_begin(logpath.data);

	assert_int_equal(message_to_reporter_notify(f->inst, f->report,
	                 "coordinator", text, strlen(text), ADDRESS), 0);
	/* Queued, sealed: no address in the files before sending. */
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "queued");
	assert_true(r.has_address);
	assert_no_address_on_disk(f->dir);

	assert_int_equal(outbox_sender_start(f->inst, &f->cfg, &s), 0);
	assert_int_equal(smtpd_wait(f->smtpd, 1, 10000), 1);
	wait_status(f->inst, f->report, "sent", &r);
	/* Exactly one, even after a while. */
	assert_int_equal(smtpd_wait(f->smtpd, 2, 1500), 1);
	outbox_sender_stop(s);
	capture_end(saved);

	assert_int_equal(smtpd_mail(f->smtpd, 0, &rcpt, &data), 0);
	assert_string_equal(rcpt.data, ADDRESS);
	assert_non_null(strstr(data.data, "\r\nTo: <" ADDRESS ">\r\n"));
	assert_non_null(strstr(data.data, "\r\nSubject: Nieuws over uw melding"
	                                  " / News about your report\r\n"));
	assert_non_null(strstr(data.data, URL "/status\r\n"));
	/* Dutch first, then English. */
	assert_true(strstr(data.data, "Er is nieuws") <
	            strstr(data.data, "There is news"));
	/* Nothing of the report: content, message, type. */
	assert_null(strstr(data.data, MARKER));
	assert_null(strstr(data.data, MESSAGE_MARKER));
	assert_null(strcasestr(data.data, "signa"));
	assert_null(strcasestr(data.data, "incident"));
	assert_null(strcasestr(data.data, "Dorpsstraat"));

	/* The trail stays; the address is gone. */
	assert_int_equal(r.attempts, 1);
	assert_false(r.has_address);
	assert_true(r.has_sent_at);
	assert_int_equal(audit_count(f->inst, "mail-sent", f->report), 1);
	assert_int_equal(audit_count(f->inst, "mail-failed", f->report), 0);
	assert_no_address_on_disk(f->dir);
	assert_int_equal(db_exec(f->inst->db, "PRAGMA wal_checkpoint(TRUNCATE)"),
	                 0);
	assert_no_address_on_disk(f->dir);

	/* The log names the report, never the address. */
	assert_int_equal(test_read_file(logpath.data, &log), 0);
	buf_addf(&expect, "notice for report %lld sent", (long long)f->report);
	assert_non_null(strstr(log.data, expect.data));
	assert_null(strstr(log.data, LOCAL_PART));
	assert_null(strstr(log.data, "@example.nl"));

	buf_release(&rcpt);
	buf_release(&data);
	buf_release(&log);
	buf_release(&logpath);
	buf_release(&expect);
}

static void
test_retry_after_451(void **state)
{
	struct fixture *f = *state;
	struct buf logpath = BUF_INIT, log = BUF_INIT;
	struct outbox_sender *s;
	struct row r;
	time_t start = time(NULL);
	int saved;

	buf_addf(&logpath, "%s/test.log", f->dir);
	saved = capture_begin(logpath.data);
	smtpd_fail(f->smtpd, 2, 451);
	assert_int_equal(outbox_sender_start(f->inst, &f->cfg, &s), 0);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	/* Refused at once, after 1 s and after 2 s more: sent the third time. */
	assert_int_equal(smtpd_wait(f->smtpd, 1, 15000), 1);
	assert_true(time(NULL) - start >= 2);
	wait_status(f->inst, f->report, "sent", &r);
	outbox_sender_stop(s);
	capture_end(saved);
	assert_int_equal(smtpd_attempts(f->smtpd), 3);
	assert_int_equal(r.attempts, 3);
	assert_false(r.has_address);
	assert_int_equal(r.code, -1);
	assert_int_equal(audit_count(f->inst, "mail-sent", f->report), 1);
	assert_int_equal(test_read_file(logpath.data, &log), 0);
	assert_non_null(strstr(log.data, "(reply 451), attempt 1; next in 1 s"));
	assert_non_null(strstr(log.data, "(reply 451), attempt 2; next in 2 s"));
	assert_null(strstr(log.data, LOCAL_PART));
	assert_no_address_on_disk(f->dir);
	buf_release(&logpath);
	buf_release(&log);
}

/* With the clock moved instead of waiting: the backoff doubles and caps. */
static void
test_backoff_with_clock(void **state)
{
	struct fixture *f = *state;
	time_t t0 = 1795858000;
	struct row r;
	int i;

	f->cfg.smtp_retry = 60;
	f->cfg.smtp_attempts = 9;
	smtpd_fail(f->smtpd, 100, 451);
	clock_set(t0);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_int_equal(r.attempts, 1);
	/* 60 s later it is not due yet a second before... */
	clock_set(t0 + 59);
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
	assert_int_equal(smtpd_attempts(f->smtpd), 1);
	/* ...then 60, 120, 240, ..., at most 3600. */
	{
		static const time_t waits[] = { 60, 120, 240, 480, 960, 1920,
		                                3600, 3600 };
		time_t t = t0;

		for (i = 0; i < 8; i++) {
			t += waits[i];
			clock_set(t - 1);
			assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
			assert_int_equal(smtpd_attempts(f->smtpd), (size_t)i + 1);
			clock_set(t);
			assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
			assert_int_equal(smtpd_attempts(f->smtpd), (size_t)i + 2);
		}
	}
	/* The ninth attempt was the last: given up, address gone. */
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 9);
	assert_int_equal(r.code, 451);
	assert_false(r.has_address);
	assert_int_equal(audit_count(f->inst, "mail-failed", f->report), 1);
	assert_int_equal(smtpd_count(f->smtpd), 0);
}

static void
test_permanent_refusal_gives_up(void **state)
{
	struct fixture *f = *state;
	struct row r;

	smtpd_fail(f->smtpd, 1, 550);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.code, 550);
	assert_false(r.has_address);
	assert_int_equal(audit_count(f->inst, "mail-failed", f->report), 1);
	assert_int_equal(audit_count(f->inst, "mail-sent", f->report), 0);
	/* Nothing more is tried. */
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
	assert_int_equal(smtpd_attempts(f->smtpd), 1);
}

/* Not configured: the notice waits; after a restart with a relay, it goes. */
static void
test_restart_sends_queued(void **state)
{
	struct fixture *f = *state;
	struct config off;
	struct outbox_sender *s;
	struct row r;

	config_init(&off);
	assert_int_equal(outbox_sender_start(f->inst, &off, &s), 0);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	assert_int_equal(smtpd_wait(f->smtpd, 1, 500), 0);
	outbox_sender_stop(s);
	config_release(&off);
	assert_int_equal(install_close(f->inst), 0);

	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "queued");
	assert_int_equal(outbox_sender_start(f->inst, &f->cfg, &s), 0);
	assert_int_equal(smtpd_wait(f->smtpd, 1, 10000), 1);
	wait_status(f->inst, f->report, "sent", &r);
	outbox_sender_stop(s);
}

static void
test_header_injection_refused(void **state)
{
	static const char *const bad[] = {
		ADDRESS "\r\nBcc: someone@evil.example",
		ADDRESS "\nBcc: someone@evil.example",
		"p.jansen\r\n@example.nl", "a@b@example.nl", "<" ADDRESS ">",
		ADDRESS ">\r\nRCPT TO:<someone@evil.example", "",
	};
	struct fixture *f = *state;
	int64_t messages;
	size_t i;

	messages = count(f->inst, "SELECT count(*) FROM messages", NULL, -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(outbox_enqueue(f->inst, f->report, bad[i]), -1);
		if (bad[i][0])
			assert_int_equal(message_to_reporter_notify(f->inst,
			                 f->report, "coordinator", "x", 1, bad[i]),
			                 -1);
	}
	/* Neither a notice nor the message it came with was stored. */
	assert_int_equal(count(f->inst, "SELECT count(*) FROM outbox", NULL,
	                       -1), 0);
	assert_int_equal(count(f->inst, "SELECT count(*) FROM messages", NULL,
	                       -1), messages);
	/* No address: the message alone; an empty one is no address. */
	assert_int_equal(message_to_reporter_notify(f->inst, f->report,
	                 "coordinator", "x", 1, NULL), 0);
	assert_int_equal(message_to_reporter_notify(f->inst, f->report,
	                 "coordinator", "x", 1, ""), 0);
	assert_int_equal(count(f->inst, "SELECT count(*) FROM outbox", NULL,
	                       -1), 0);
	/* A report that does not exist gets no notice. */
	assert_int_equal(outbox_enqueue(f->inst, f->report + 1000, ADDRESS), -1);
}

/* A relay that accepts and never answers cannot hold up the stop. */
static void
test_stop_cuts_hanging_send(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct outbox_sender *s;
	struct timespec a, b;
	struct row r;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	f->cfg.smtp_port = ntohs(sin.sin_port);
	f->cfg.smtp_timeout = 60;

	assert_int_equal(outbox_sender_start(f->inst, &f->cfg, &s), 0);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	usleep(300000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	outbox_sender_stop(s);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec <= 2);
	close(fd);
	/* Not the relay's fault: no attempt counted, still queued. */
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "queued");
	assert_int_equal(r.attempts, 0);
	assert_true(r.has_address);
}

/* The installation secret is needed: another one cannot open the row. */
/*
 * Issue 15 point 4: a short and a long address store one length, and
 * each still reaches its own receiver.
 */
static void
test_address_one_length(void **state)
{
	struct fixture *f = *state;
	static const char *const to[2] = {
		"a@b.nl", "johanna.van-der-meulen-bakker@gemeente.voorbeeld.nl",
	};
	struct buf rcpt = BUF_INIT, data = BUF_INIT;
	int i;

	for (i = 0; i < 2; i++)
		assert_int_equal(outbox_enqueue(f->inst, f->report, to[i]), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(DISTINCT"
	                            " length(address)) FROM outbox"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM outbox"
	                            " WHERE length(address) > 256"), 2);
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 2);
	assert_int_equal(smtpd_wait(f->smtpd, 2, 10000), 2);
	for (i = 0; i < 2; i++) {
		/* The address alone: none of the padding's NULs. */
		buf_truncate(&rcpt, 0);
		assert_int_equal(smtpd_mail(f->smtpd, (size_t)i, &rcpt, &data),
		                 0);
		assert_string_equal(rcpt.data, to[i]);
	}
	buf_release(&rcpt);
	buf_release(&data);
}

static void
test_other_secret_cannot_send(void **state)
{
	struct fixture *f = *state;
	struct secret *other;
	struct secret *mine = f->inst->secret;
	struct row r;

	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	other = secret_new(mine->len);
	assert_non_null(other);
	memset(other->bytes, 0x5a, other->len);
	f->inst->secret = other;
	assert_int_equal(outbox_send_due(f->inst, &f->cfg), 0);
	f->inst->secret = mine;
	secret_free(other);
	assert_int_equal(smtpd_attempts(f->smtpd), 0);
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "failed");
	assert_false(r.has_address);
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* [server] public_url and the [smtp] keys are checked at load. */
static void
test_config_keys(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[server]\npublic_url = ftp://x.nl\n", "not a URL" },
		{ "[server]\npublic_url = https://x.nl/\n", "not a URL" },
		{ "[server]\npublic_url = https://x.nl/?a=1\n", "not a URL" },
		{ "[server]\npublic_url = https://\n", "not a URL" },
		{ "[server]\npublic_url = https://x.nl/a b\n", "not a URL" },
		{ "[server]\npublic_url = https://x.nl\"><\n", "not a URL" },
		{ "[smtp]\nhost = smtp.x.nl\nfrom = a@x.nl\n",
		  "[smtp] host is set but [server] public_url is not" },
		{ "[smtp]\nattempts = 0\n", "below the minimum 1" },
		{ "[smtp]\nretry = 3601\n", "above the maximum 3600" },
		{ "[smtp]\ntimeout = 0\n", "below the minimum 1" },
	};
	struct fixture *f = *state;
	struct buf path = BUF_INIT, errors = BUF_INIT;
	struct config c;
	size_t i;

	buf_addf(&path, "%s/meldpunt.ini", f->dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_text(path.data, cases[i].text);
		config_init(&c);
		buf_reset(&errors);
		assert_int_equal(config_load(&c, path.data, &errors), -1);
		if (!strstr(errors.data, cases[i].want))
			fail_msg("case %zu: wanted '%s' in '%s'", i, cases[i].want,
			         errors.data);
		config_release(&c);
	}
	write_text(path.data, "[server]\npublic_url = https://gemeente.nl/"
	           "meldpunt\n[smtp]\nhost = smtp.gemeente.nl\nfrom = "
	           "meldpunt@gemeente.nl\nattempts = 5\nretry = 30\n"
	           "timeout = 10\n");
	config_init(&c);
	buf_reset(&errors);
	assert_int_equal(config_load(&c, path.data, &errors), 0);
	assert_string_equal(c.public_url, "https://gemeente.nl/meldpunt");
	assert_int_equal(c.smtp_attempts, 5);
	assert_int_equal(c.smtp_retry, 30);
	assert_int_equal(c.smtp_timeout, 10);
	config_release(&c);
	config_init(&c);
	assert_string_equal(c.public_url, "");
	assert_int_equal(c.smtp_attempts, 20);
	assert_int_equal(c.smtp_retry, 60);
	assert_int_equal(c.smtp_timeout, 30);
	config_release(&c);
	buf_release(&path);
	buf_release(&errors);
}

/* The real program: `meldpunt --config FILE serve` sends what is queued. */
static void
test_serve_sends_queued_notice(void **state)
{
	struct fixture *f = *state;
	struct buf conf = BUF_INIT, confpath = BUF_INIT, logpath = BUF_INIT;
	struct buf line = BUF_INIT, log = BUF_INIT, rcpt = BUF_INIT;
	struct buf data = BUF_INIT, expect = BUF_INIT;
	const char *bin = getenv("MELDPUNT_BIN");
	int po[2], status;
	time_t until;
	pid_t pid;
	struct row r;

	assert_non_null(bin);
	assert_int_equal(outbox_enqueue(f->inst, f->report, ADDRESS), 0);
	assert_int_equal(install_close(f->inst), 0);
	f->inst = NULL;

	buf_addf(&confpath, "%s/meldpunt.ini", f->dir);
	buf_addf(&logpath, "%s/server.log", f->dir);
	buf_addf(&conf, "[server]\nport = 0\nshutdown_grace = 1\n"
	         "public_url = " URL "\n[data]\ndir = %s\n[smtp]\n"
	         "host = localhost\nport = %u\nfrom = meldpunt@gemeente.example\n"
	         "starttls = no\nretry = 1\ntimeout = 5\n[log]\nfile = %s\n",
	         f->dir, smtpd_port(f->smtpd), logpath.data);
	write_text(confpath.data, conf.data);

	assert_int_equal(pipe(po), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(po[1], 1);
		close(po[0]);
		execl(bin, "meldpunt", "--config", confpath.data, "serve",
		      (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	until = time(NULL) + 20;
	while (!strchr(line.data, '\n') && time(NULL) < until) {
		struct pollfd pfd = { po[0], POLLIN, 0 };
		char chunk[256];
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(po[0], chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf_add(&line, chunk, (size_t)n);
	}
	close(po[0]);
	assert_non_null(strstr(line.data, "serving http://127.0.0.1:"));
	assert_int_equal(smtpd_wait(f->smtpd, 1, 15000), 1);
	/* Let the server record the outcome before stopping it. */
	usleep(500000);
	kill(pid, SIGTERM);
	until = time(NULL) + 10;
	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (time(NULL) > until) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("the server did not stop");
		}
		usleep(50000);
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	assert_int_equal(smtpd_mail(f->smtpd, 0, &rcpt, &data), 0);
	assert_string_equal(rcpt.data, ADDRESS);
	assert_non_null(strstr(data.data, URL "/status\r\n"));
	assert_null(strstr(data.data, MARKER));

	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(get_row(f->inst, f->report, &r), 0);
	assert_string_equal(r.status, "sent");
	assert_false(r.has_address);
	assert_no_address_on_disk(f->dir);

	assert_int_equal(test_read_file(logpath.data, &log), 0);
	buf_addf(&expect, "notice for report %lld sent", (long long)f->report);
	assert_non_null(strstr(log.data, expect.data));
	assert_null(strstr(log.data, LOCAL_PART));
	assert_null(strstr(log.data, "@example.nl"));

	buf_release(&conf);
	buf_release(&confpath);
	buf_release(&logpath);
	buf_release(&line);
	buf_release(&log);
	buf_release(&rcpt);
	buf_release(&data);
	buf_release(&expect);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_notice_delivered_without_content),
		T(test_retry_after_451),
		T(test_backoff_with_clock),
		T(test_permanent_refusal_gives_up),
		T(test_restart_sends_queued),
		T(test_header_injection_refused),
		T(test_stop_cuts_hanging_send),
		T(test_address_one_length),
		T(test_other_secret_cannot_send),
		T(test_config_keys),
		T(test_serve_sends_queued_notice),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
