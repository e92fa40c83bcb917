/*
 * test_meeting.c - the local signal meeting over HTTP on 127.0.0.1: the
 * coordinator makes a meeting, puts one signal on its agenda and records
 * enrichment and decision; a member of the overleg (role overleg, granted
 * the overleg keyring with the recovery key) reads that signal and nothing
 * else, and stops reading it once it is taken off the agenda or the
 * meeting is closed; the minutes list it; a POST without CSRF token and
 * the other refusals; no enrichment or decision in the database file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

#define COORD_OTP "eenmalig-wachtwoord-coord"
#define MEMBER_OTP "eenmalig-wachtwoord-lid"
#define NEWPW "een heel lang wachtwoord"

#define ENRICHMENT "Afdeling Vergunningen kent Zuiderhaven 7: huurder wisselt " \
	"ieder kwartaal, exploitatievergunning aangevraagd door stroman."
#define DECISION "Doorzetten naar de ondermijningstafel, kenmerk volgt; " \
	"toezichthouder bezoekt het pand in week 12."

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct buf cookie, csrf;	/* the coordinator */
	struct buf mcookie, mcsrf;	/* the member of the overleg */
	struct secret *totp, *mtotp;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct test_init ti;
	struct installation *inst;

	f->dir = test_tmpdir("meeting");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "lid", "", ROLE_OVERLEG,
	                 MEMBER_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	buf_init(&f->mcookie);
	buf_init(&f->mcsrf);
	f->totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW, &f->cookie,
	                           &f->csrf);
	assert_non_null(f->totp);
	buf_release(&out);
	buf_release(&err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	secret_free(f->totp);
	secret_free(f->mtotp);
	buf_release(&f->cookie);
	buf_release(&f->csrf);
	buf_release(&f->mcookie);
	buf_release(&f->mcsrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
submit_signal(struct fixture *f, const char *location)
{
	const struct test_part parts[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", location, 0, NULL, NULL },
		{ "observation", "Afgeplakte ramen en veel verkeer 's nachts.", 0,
		  NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 4,
	                 NULL, &status, NULL), 0);
	assert_int_equal(status, 200);
}

static long
post_as(struct fixture *f, int member, struct buf *page, const char *path,
        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* POST as the coordinator (member 0) or the member, with its CSRF token. */
static long
post_as(struct fixture *f, int member, struct buf *page, const char *path,
        const char *fmt, ...)
{
	struct buf body = BUF_INIT;
	va_list ap;
	long status = 0;

	buf_addf(&body, "csrf=%s&", member ? f->mcsrf.data : f->csrf.data);
	va_start(ap, fmt);
	buf_vaddf(&body, fmt, ap);
	va_end(ap);
	if (page)
		buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, body.data,
	                 member ? f->mcookie.data : f->cookie.data, &status, NULL,
	                 page), 0);
	buf_release(&body);
	return status;
}

static long
get_as(struct fixture *f, int member, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 member ? f->mcookie.data : f->cookie.data, &status, NULL,
	                 page), 0);
	return status;
}

/*
 * Two signals (1: Zuiderhaven, 2: Kerkstraat), meeting 1 with signal 1 on
 * its agenda, enrichment and decision recorded; the member granted the
 * overleg keyring (which the first meeting made) and logged in.
 */
static void
prepare(struct fixture *f)
{
	struct buf page = BUF_INIT, headers = BUF_INIT, loc = BUF_INIT;
	long status = 0;

	submit_signal(f, "Zuiderhaven 7, Purmerend");
	submit_signal(f, "Kerkstraat 3, Edam");
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'overleg'"), 0);
	{
		struct buf body = BUF_INIT;

		buf_addf(&body, "csrf=%s&held_on=2026-03-12&title=Maartoverleg",
		         f->csrf.data);
		assert_int_equal(test_http_cookie(&f->srv, "POST",
		                 "/beheer/overleg/nieuw", body.data, f->cookie.data,
		                 &status, &headers, NULL), 0);
		buf_release(&body);
	}
	assert_int_equal(status, 303);
	assert_int_equal(test_header(&headers, "Location", &loc), 0);
	assert_string_equal(loc.data, "/beheer/overleg/vergadering?id=1");
	/* The first meeting made the overleg keyring. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'overleg'"), 1);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=1"), 303);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report=1&enrichment=" ENRICHMENT
	                 "&decision=" DECISION), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "toezichthouder bezoekt het pand"));
	assert_null(strstr(page.data, "Kerkstraat"));

	test_grant(f->dir, f->recovery, KEYRING_MEETING, "lid");
	f->mtotp = test_staff_setup(&f->srv, "lid", MEMBER_OTP, NEWPW,
	                            &f->mcookie, &f->mcsrf);
	assert_non_null(f->mtotp);
	buf_release(&page);
	buf_release(&headers);
	buf_release(&loc);
}

static void
test_member_reads_only_the_agenda(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;

	prepare(f);
	/* The open meetings, and the agenda's signal with its notes. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg", &page), 200);
	assert_non_null(strstr(page.data,
	                       "href=\"/beheer/overleg/vergadering?id=1\""));
	assert_non_null(strstr(page.data, "Maartoverleg"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "toezichthouder bezoekt het pand"));
	assert_null(strstr(page.data, "Kerkstraat"));
	/* A member changes nothing: no forms to record or remove. */
	assert_null(strstr(page.data, "/beheer/overleg/vastleggen"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=1", &page), 200);
	assert_non_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));

	/* Each read is in the audit log, by name, without content. */
	assert_true(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	            " actor = 'lid' AND action = 'report-read'"
	            " AND object = 'report 1 via meeting 1'") >= 2);
	assert_true(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	            " actor = 'lid' AND action = 'meeting-item-read'") >= 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action IN ('meeting-create',"
	                 " 'meeting-agenda-add', 'meeting-item-record')"), 3);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " object LIKE '%huurder%' OR object LIKE '%Zuiderhaven%'"),
	                 0);

	/* Signal 2 is on no agenda: refused everywhere. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=2", &page), 403);
	assert_null(strstr(page.data, "Kerkstraat"));
	assert_int_equal(get_as(f, 1, "/beheer/melding?id=2", &page), 403);
	assert_null(strstr(page.data, "Kerkstraat"));
	assert_int_equal(get_as(f, 1, "/beheer/melding?id=1", &page), 403);
	assert_int_equal(get_as(f, 1, "/beheer/meldingen", &page), 403);
	/* A number that does not exist looks the same as one not on it. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=99", &page), 403);
	/* Refused reads are in the audit log as such. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'lid' AND action = 'report-read'"
	                 " AND result = 'refused'"), 2);
	/* Nor can a member put it on the agenda, even with its own token. */
	assert_int_equal(post_as(f, 1, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=2"), 403);
	assert_int_equal(post_as(f, 1, NULL, "/beheer/overleg/nieuw",
	                 "held_on=2026-04-01"), 403);

	/* The minutes list signal 1 with enrichment and decision. */
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page), 200);
	assert_non_null(strstr(page.data, "Verslag signalenoverleg 2026-03-12"));
	assert_non_null(strstr(page.data, "Signaal 1 (ontvangen "));
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "toezichthouder bezoekt het pand"));
	assert_null(strstr(page.data, "Signaal 2"));
	/* Clean for paper: no action forms, not the signal's content. */
	assert_null(strstr(page.data, "/beheer/overleg/vastleggen"));
	assert_null(strstr(page.data, "/beheer/overleg/agenda-"));
	assert_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));

	/* Taken off the agenda: the member's key to it is gone. */
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-verwijderen",
	                 "id=1&report=1"), 303);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meeting_access"), 0);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=1", &page), 403);
	assert_null(strstr(page.data, "Zuiderhaven"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "Zuiderhaven"));
	assert_null(strstr(page.data, "huurder wisselt"));
	buf_release(&page);
}

static void
test_close_ends_access(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;

	prepare(f);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=1", &page), 200);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/sluiten", "id=1"),
	                 303);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meeting_access"), 0);
	/* The member: the meeting is gone from the list, nothing opens. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg", &page), 200);
	assert_null(strstr(page.data, "vergadering?id=1"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 403);
	assert_null(strstr(page.data, "huurder"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=1", &page), 403);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/verslag?id=1", &page), 403);
	/* The coordinator keeps the minutes; the agenda is fixed. */
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page), 200);
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "Gesloten op "));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=2"), 400);
	assert_non_null(strstr(page.data, "Dit overleg is gesloten."));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report=1&enrichment=x&decision=y"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/sluiten", "id=1"),
	                 400);
	buf_release(&page);
}

static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	long status = 0;

	prepare(f);
	/* No CSRF token: refused, nothing changed. */
	assert_int_equal(test_http_cookie(&f->srv, "POST",
	                 "/beheer/overleg/agenda-toevoegen", "id=1&report=2",
	                 f->cookie.data, &status, NULL, NULL), 0);
	assert_int_equal(status, 403);
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/overleg/nieuw",
	                 "held_on=2026-05-01", f->cookie.data, &status, NULL,
	                 NULL), 0);
	assert_int_equal(status, 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meeting_items"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meetings"), 1);
	/* Bad input. */
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/nieuw",
	                 "held_on=2026-02-30"), 400);
	assert_non_null(strstr(page.data, "Vul een bestaande datum in"));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/nieuw",
	                 "held_on=morgen"), 400);
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=1"), 400);
	assert_non_null(strstr(page.data, "Dit signaal staat al op de agenda."));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=99"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=1%%20OR%%201=1"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=7&report=2"), 404);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-verwijderen",
	                 "id=1&report=2"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report=2&enrichment=x&decision=y"), 400);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=abc", &page),
	                 404);
	/* Not logged in. */
	assert_int_equal(test_http(&f->srv, "GET", "/beheer/overleg/vergadering?id=1",
	                 NULL, &status, NULL, NULL), 0);
	assert_int_equal(status, 303);
	buf_release(&page);
}

/* A signal the workflow put on the meeting is offered for the agenda. */
static void
test_waiting_signals(void **state)
{
	static const char *const steps[][2] = {
		{ "start_intake", "received" }, { "undermining", "weging_1" },
		{ "municipal_task", "weging_2a" }, { "our_territory", "weging_2b" },
		{ "to_meeting", "weging_3" },
	};
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	size_t i;

	prepare(f);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		assert_int_equal(post_as(f, 0, NULL, "/beheer/melding/overgang",
		                 "id=2&transition=%s&expect_state=%s", steps[i][0],
		                 steps[i][1]), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "id=\"waiting\""));
	assert_non_null(strstr(page.data, "name=\"report\" value=\"2\""));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=2"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "id=\"waiting\""));
	assert_non_null(strstr(page.data, "Kerkstraat 3, Edam"));
	/* And the member now reads it too. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=2", &page), 200);
	assert_non_null(strstr(page.data, "Kerkstraat 3, Edam"));
	buf_release(&page);
}

/* Read the database and WAL files as they are on disk. */
static void
read_files(const char *dir, struct buf *b)
{
	static const char *const names[] = {
		"meldpunt.db", "meldpunt.db-wal",
	};
	size_t i;

	buf_reset(b);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf path = BUF_INIT;

		buf_addf(&path, "%s/%s", dir, names[i]);
		test_read_file(path.data, b);
		buf_release(&path);
	}
}

static void
assert_absent(const struct buf *files, const char *text)
{
	size_t i;

	for (i = 0; i + 6 <= strlen(text); i++)
		if (test_contains(files, text + i, 6))
			fail_msg("\"%.6s\" of a stored text is in the database", text + i);
}

static void
test_no_plaintext_in_database(void **state)
{
	struct fixture *f = *state;
	struct buf files = BUF_INIT;

	prepare(f);
	read_files(f->dir, &files);
	assert_true(files.len > 4096);
	assert_absent(&files, ENRICHMENT);
	assert_absent(&files, DECISION);
	/* Stopped: the WAL is checkpointed into the main file. */
	assert_int_equal(test_server_stop(&f->srv), 0);
	f->srv.pid = 0;
	read_files(f->dir, &files);
	assert_absent(&files, ENRICHMENT);
	assert_absent(&files, DECISION);
	buf_release(&files);
}

/* The crypto step the overleg relies on: a sealed data key opens only so. */
static void
test_open_sealed(void **state)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], other_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t wrapped[KEYRING_WRAPPED_LEN];
	struct secret *sk, *other_sk, *data, *out = NULL;
	size_t i;

	(void)state;
	assert_int_equal(keyring_create(pk, &sk), 0);
	assert_int_equal(keyring_create(other_pk, &other_sk), 0);
	data = secret_new(CRYPTO_KEY_LEN);
	assert_non_null(data);
	for (i = 0; i < data->len; i++)
		data->bytes[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(keyring_wrap(data, pk, wrapped), 0);
	assert_int_equal(keyring_open_sealed(wrapped, pk, sk, &out), 0);
	assert_int_equal(out->len, data->len);
	assert_memory_equal(out->bytes, data->bytes, data->len);
	secret_free(out);
	/* Another key pair, or one flipped bit: nothing. */
	assert_int_equal(keyring_open_sealed(wrapped, other_pk, other_sk, &out), -1);
	assert_null(out);
	wrapped[40] ^= 1;
	assert_int_equal(keyring_open_sealed(wrapped, pk, sk, &out), -1);
	assert_null(out);
	secret_free(data);
	secret_free(sk);
	secret_free(other_sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_sealed),
		cmocka_unit_test_setup_teardown(test_member_reads_only_the_agenda,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_ends_access, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting_signals, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_no_plaintext_in_database, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("meeting", tests, NULL, NULL);
}
