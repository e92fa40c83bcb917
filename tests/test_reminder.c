/*
 * test_reminder.c - the handlers' daily deadline reminder (issue 18
 * point 5) against the test relay on 127.0.0.1 (smtpd.h): the numbers
 * of deadlines due soon and overdue are right and are those of
 * reminder_count (the inbox's summary), the mail holds a link to the
 * inbox and no report number, no content and no address of anyone else;
 * one a day; none to a handler without an address or without the
 * keyring, none without [smtp] host, with send off or before the hour;
 * a relay that fails is tried again at the next run. The e-mail address
 * itself: checked, audited without the address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "install.h"
#include "keyrings.h"
#include "paths.h"
#include "reminder.h"
#include "report.h"
#include "smtpd.h"
#include "staff.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define URL "https://meldpunt.example.nl"
#define CONTENT "{\"answers\":{\"location\":\"Zeepfabriek\"}}"
/* 2026-03-02 (a Monday) 10:00 UTC. */
#define D0 ((time_t)1772445600)
#define DAY 86400

struct fixture {
	char *dir;
	struct installation *inst;
	struct workflows *wfs;
	struct smtpd *smtpd;
	struct config cfg;
	int64_t coord, coord2, vpt;
	struct test_init ti;
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
	struct test_init *ti = &f->ti;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;

	f->dir = test_tmpdir("reminder");
	test_init(f->dir, ti);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(users_create(f->inst->db, "coord", "", ROLE_COORDINATOR,
	                 "eenmalig-wachtwoord-1", &PWHASH_FAST, &f->coord, NULL,
	                 NULL), 0);
	assert_int_equal(users_create(f->inst->db, "coord2", "",
	                 ROLE_COORDINATOR, "eenmalig-wachtwoord-2", &PWHASH_FAST,
	                 &f->coord2, NULL, NULL), 0);
	assert_int_equal(users_create(f->inst->db, "vpt1", "", ROLE_VPT,
	                 "eenmalig-wachtwoord-3", &PWHASH_FAST, &f->vpt, NULL,
	                 NULL), 0);
	assert_int_equal(install_close(f->inst), 0);
	test_grant(f->dir, ti->recovery, KEYRING_SIGNALS, "coord");
	test_grant(f->dir, ti->recovery, KEYRING_SIGNALS, "coord2");
	test_grant(f->dir, ti->recovery, KEYRING_INCIDENTS, "vpt1");
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	/* coord and vpt1 give an address; coord2 none. */
	assert_int_equal(users_set_email(f->inst->db, "admin", f->coord,
	                 "coord@gemeente.example"), 0);
	assert_int_equal(users_set_email(f->inst->db, "admin", f->vpt,
	                 "vpt@gemeente.example"), 0);
	/*
	 * Signals 1 and 2 on D0, 3 on D0 + 6: each has an acknowledgement
	 * deadline 7 days after the start of its day of receipt. On D0 + 8
	 * 1 and 2 are overdue and 3 is due within 5 working days.
	 */
	clock_set(D0);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 CONTENT, strlen(CONTENT), receipt, &id), 0);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 CONTENT, strlen(CONTENT), receipt, &id), 0);
	clock_set(D0 + 6 * DAY);
	assert_int_equal(report_create(f->inst, REPORT_SIGNAL, "received",
	                 CONTENT, strlen(CONTENT), receipt, &id), 0);
	assert_int_equal(id, 3);
	f->smtpd = smtpd_start();
	assert_non_null(f->smtpd);
	config_init(&f->cfg);
	set_text(&f->cfg.smtp_host, "127.0.0.1");
	f->cfg.smtp_port = smtpd_port(f->smtpd);
	set_text(&f->cfg.smtp_from, "meldpunt@gemeente.example");
	f->cfg.smtp_starttls = 0;
	f->cfg.smtp_timeout = 5;
	set_text(&f->cfg.public_url, URL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	clock_set(0);
	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	smtpd_stop(f->smtpd);
	config_release(&f->cfg);
	crypto_wipe(&f->ti, sizeof(f->ti));
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The body of mail i (after the headers' blank line). */
static void
mail_body(struct fixture *f, size_t i, struct buf *rcpt, struct buf *body)
{
	struct buf data = BUF_INIT;
	const char *p;

	buf_reset(rcpt);
	buf_reset(body);
	assert_int_equal(smtpd_mail(f->smtpd, i, rcpt, &data), 0);
	p = strstr(data.data, "\r\n\r\n");
	assert_non_null(p);
	buf_adds(body, p + 4);
	buf_release(&data);
}

/* The body gives soon and overdue (5 working days) in both languages. */
static void
assert_counts(const char *body, unsigned soon, unsigned overdue)
{
	char line[80];

	snprintf(line, sizeof(line), "termijnen die binnen 5 werkdagen "
	         "verlopen: %u\r\n", soon);
	assert_non_null(strstr(body, line));
	snprintf(line, sizeof(line), "termijnen die verstreken zijn: %u\r\n",
	         overdue);
	assert_non_null(strstr(body, line));
	snprintf(line, sizeof(line), "deadlines due within 5 working days: "
	         "%u\r\n", soon);
	assert_non_null(strstr(body, line));
	snprintf(line, sizeof(line), "deadlines past due: %u\r\n", overdue);
	assert_non_null(strstr(body, line));
	assert_non_null(strstr(body, URL "/beheer/meldingen\r\n"));
}

static void
test_reminder_mail(void **state)
{
	struct fixture *f = *state;
	struct buf rcpt = BUF_INIT, body = BUF_INIT;
	struct reminder_counts n;
	time_t now = D0 + 8 * DAY + 2 * 3600;	/* 12:00 UTC */

	/* The inbox's numbers, by the same verdict. */
	assert_string_equal(REMINDER_INBOX_PATH, PATH_INBOX);
	assert_int_equal(reminder_count(f->inst, f->wfs,
	                 REMINDER_TYPE(REPORT_SIGNAL), now, 5, &n), 0);
	assert_int_equal(n.due_soon, 1);
	assert_int_equal(n.overdue, 2);

	/*
	 * [reminders] empty = no: one mail, to coord; vpt1 has no running
	 * deadline, coord2 no address.
	 */
	clock_set(now);
	f->cfg.reminders_empty = 0;
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 1);
	assert_int_equal(smtpd_wait(f->smtpd, 1, 5000), 1);
	f->cfg.reminders_empty = 1;
	mail_body(f, 0, &rcpt, &body);
	assert_string_equal(rcpt.data, "coord@gemeente.example");
	assert_counts(body.data, 1, 2);
	/* No content, no report number (3 is one, and no count), no type. */
	assert_null(strstr(body.data, "Zeepfabriek"));
	assert_null(strchr(body.data, '3'));
	assert_null(strstr(body.data, "id="));
	assert_null(strstr(body.data, "signa"));
	assert_null(strstr(body.data, "@"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'reminder-sent' AND actor = 'system'"
	                 " AND object = 'coord'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE object LIKE '%@%'"), 0);

	/*
	 * By default (empty = yes) the handler with nothing due hears too,
	 * the same day: vpt1 gets two zeros, so silence means a fault.
	 */
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 1);
	assert_int_equal(smtpd_wait(f->smtpd, 2, 5000), 2);
	mail_body(f, 1, &rcpt, &body);
	assert_string_equal(rcpt.data, "vpt@gemeente.example");
	assert_counts(body.data, 0, 0);

	/* Once a day, also for a second run at a later hour. */
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now + 3600), 0);
	assert_int_equal(smtpd_count(f->smtpd), 2);
	/* The next day again, before the hour none. */
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg,
	                 now + DAY - 6 * 3600), 0);
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now + DAY), 2);
	assert_int_equal(smtpd_wait(f->smtpd, 4, 5000), 4);
	mail_body(f, 2, &rcpt, &body);
	assert_string_equal(rcpt.data, "coord@gemeente.example");
	buf_release(&rcpt);
	buf_release(&body);
}

static void
test_no_reminder(void **state)
{
	struct fixture *f = *state;
	time_t now = D0 + 8 * DAY + 2 * 3600;

	/* Without [smtp] host: none, whatever is due. */
	set_text(&f->cfg.smtp_host, "");
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	set_text(&f->cfg.smtp_host, "127.0.0.1");
	/* [reminders] send = no: none. */
	f->cfg.reminders_send = 0;
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	f->cfg.reminders_send = 1;
	/* Before [reminders] hour: none. */
	f->cfg.reminder_hour = 13;
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	f->cfg.reminder_hour = 7;
	/*
	 * From here on only the handlers with something due would hear
	 * (empty = no), so vpt1's address does not count.
	 */
	f->cfg.reminders_empty = 0;
	/* Without an address: none (coord's removed; coord2 never had one). */
	assert_int_equal(users_set_email(f->inst->db, "coord", f->coord, ""),
	                 0);
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	/* Without the keyring: a coordinator's address alone gives none. */
	{
		int64_t hr;

		assert_int_equal(users_create(f->inst->db, "coord3", "",
		                 ROLE_COORDINATOR, "eenmalig-wachtwoord-4",
		                 &PWHASH_FAST, &hr, NULL, NULL), 0);
		assert_int_equal(users_set_email(f->inst->db, "admin", hr,
		                 "coord3@gemeente.example"), 0);
	}
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	assert_int_equal(smtpd_attempts(f->smtpd), 0);
	assert_int_equal(smtpd_count(f->smtpd), 0);

	/* A relay that fails: no record, tried again at the next run. */
	assert_int_equal(users_set_email(f->inst->db, "coord", f->coord,
	                 "coord@gemeente.example"), 0);
	smtpd_fail(f->smtpd, 1, 451);
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 0);
	assert_int_equal(smtpd_attempts(f->smtpd), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM users"
	                 " WHERE reminded_on <> ''"), 0);
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now + 3600), 1);
	assert_int_equal(smtpd_wait(f->smtpd, 1, 5000), 1);
}

/* A valid address of len bytes: 64 in the local part, the rest domain. */
static void
long_address(char *out, size_t len)
{
	memset(out, 'a', 64);
	out[64] = '@';
	memset(out + 65, 'b', len - 65 - 4);
	memcpy(out + len - 4, ".org", 5);
}

static void
test_address_checked(void **state)
{
	struct fixture *f = *state;
	struct actor coord = { 0, "coord", ROLE_COORDINATOR, NULL, 0 };
	struct actor admin = { 1, "admin", ROLE_ADMIN, NULL, 0 };
	static const char *const bad[] = {
		"geen-adres", "a@b@c.nl", "a b@c.nl", "a@c.nl\r\nBcc: x@y.nl",
		"<a@c.nl>", "a@c.nl,b@c.nl",
	};
	char longest[USERS_EMAIL_MAX + 2];
	struct outcome o;
	struct user u;
	size_t i;

	coord.user_id = f->coord;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = staff_set_email(f->inst->db, &coord, "coord", bad[i]);
		assert_int_equal(o.verdict, VERDICT_INVALID);
		assert_string_equal(o.key, "staff.email_bad");
	}
	/* The limit at its edge: 254 bytes kept, 255 refused. */
	long_address(longest, USERS_EMAIL_MAX);
	o = staff_set_email(f->inst->db, &coord, "coord", longest);
	assert_int_equal(o.verdict, VERDICT_DONE);
	long_address(longest, USERS_EMAIL_MAX + 1);
	o = staff_set_email(f->inst->db, &coord, "coord", longest);
	assert_int_equal(o.verdict, VERDICT_INVALID);
	assert_int_equal(users_find(f->inst->db, "coord", &u), 0);
	assert_int_equal(strlen(u.email), USERS_EMAIL_MAX);
	user_release(&u);
	/* One's own, yes; another's only as an admin (refused, audited). */
	o = staff_set_email(f->inst->db, &coord, "vpt1", "x@gemeente.example");
	assert_int_equal(o.verdict, VERDICT_REFUSED);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'user-email' AND result = 'refused'"
	                 " AND actor = 'coord'"), 1);
	o = staff_set_email(f->inst->db, &admin, "vpt1", "x@gemeente.example");
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_string_equal(o.key, "staff.email_saved");
	o = staff_set_email(f->inst->db, &coord, "coord", "");
	assert_int_equal(o.verdict, VERDICT_DONE);
	assert_string_equal(o.key, "staff.email_removed");
	/* Audited by account, never with the address (the set-up's too). */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'user-email' AND object = 'vpt1: set'"
	                 " AND actor = 'admin'"), 2);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'user-email'"
	                 " AND object = 'coord: removed'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE object LIKE '%@%'"), 0);
}

/*
 * The integrity coordinator hears of the deadlines of integrity reports
 * (issue 20 point 7): the types a handler is reminded of are those whose
 * role and keyring (schema/forms/) it holds, the third type as the
 * others; its numbers are of that type alone, and coord's stay those of
 * the signals.
 */
static void
test_integrity_reminder(void **state)
{
	struct fixture *f = *state;
	struct buf rcpt = BUF_INIT, body = BUF_INIT;
	char receipt[RECEIPT_TEXT_LEN + 1];
	time_t now = D0 + 8 * DAY + 2 * 3600;
	enum report_type t;
	struct reminder_counts n;
	int64_t integ, id;
	size_t i, seen = 0;

	assert_int_equal(report_type_parse("integrity", &t), 0);
	assert_int_equal(users_create(f->inst->db, "integ1", "", ROLE_INTEGRITY,
	                 "eenmalig-wachtwoord-4", &PWHASH_FAST, &integ, NULL,
	                 NULL), 0);
	assert_int_equal(users_set_email(f->inst->db, "admin", integ,
	                 "integriteit@gemeente.example"), 0);
	assert_int_equal(install_close(f->inst), 0);
	test_grant(f->dir, f->ti.recovery, "integriteit", "integ1");
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	/* One acknowledgement overdue on D0 + 8, one due within 5 days. */
	clock_set(D0);
	assert_int_equal(report_create(f->inst, t, "received", CONTENT,
	                 strlen(CONTENT), receipt, &id), 0);
	clock_set(D0 + 6 * DAY);
	assert_int_equal(report_create(f->inst, t, "received", CONTENT,
	                 strlen(CONTENT), receipt, &id), 0);
	assert_int_equal(reminder_count(f->inst, f->wfs, REMINDER_TYPE(t), now,
	                 5, &n), 0);
	assert_int_equal(n.due_soon, 1);
	assert_int_equal(n.overdue, 1);

	clock_set(now);
	f->cfg.reminders_empty = 0;
	assert_int_equal(reminder_run(f->inst, f->wfs, &f->cfg, now), 2);
	assert_int_equal(smtpd_wait(f->smtpd, 2, 5000), 2);
	for (i = 0; i < 2; i++) {
		mail_body(f, i, &rcpt, &body);
		if (strcmp(rcpt.data, "integriteit@gemeente.example") == 0)
			assert_counts(body.data, 1, 1);
		else
			assert_counts(body.data, 1, 2);
		seen += strcmp(rcpt.data, "integriteit@gemeente.example") == 0;
	}
	assert_int_equal(seen, 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'reminder-sent' AND object = 'integ1'"),
	                 1);
	buf_release(&rcpt);
	buf_release(&body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reminder_mail, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_no_reminder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_checked, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_integrity_reminder, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("reminder", tests, NULL, NULL);
}
