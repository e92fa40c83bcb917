/*
 * test_meeting.c - the local signal meeting over HTTP on 127.0.0.1: the
 * coordinator makes a meeting, puts one signal on its agenda and records
 * enrichment and decision; a member of the overleg (role overleg, granted
 * the overleg keyring with the recovery key) reads that signal and nothing
 * else, and stops reading it once it is taken off the agenda or the
 * meeting is closed; the minutes list it; a POST without CSRF token and
 * the other refusals; no enrichment or decision in the database file.
 *
 * The actions themselves (core/meeting.h, the *_as functions) without a
 * server: each is failed at every statement in turn and leaves nothing
 * behind, no success row in the audit log; a refusal is audited, and a
 * page and the API leave the same row for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitoken.h"
#include "db.h"
#include "envelope.h"
#include "form.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "meeting.h"
#include "report.h"
#include "clock.h"
#include "testutil.h"
#include "zone.h"
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
	                 "id=1&report={#1}"), 303);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report={#1}&enrichment=" ENRICHMENT
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
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));

	/* Each read is in the audit log, by name, without content. */
	assert_true(test_count(f->dir, test_cases(f->dir,
	            "SELECT count(*) FROM audit_log WHERE"
	            " actor = 'lid' AND action = 'report-read'"
	            " AND object = 'report {#1} via meeting 1'")) >= 2);
	assert_true(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	            " actor = 'lid' AND action = 'meeting-item-read'") >= 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'coord' AND action IN ('meeting-create',"
	                 " 'meeting-agenda-add', 'meeting-item-record')"), 3);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " object LIKE '%huurder%' OR object LIKE '%Zuiderhaven%'"),
	                 0);

	/* Signal 2 is on no agenda: refused everywhere. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#2}", &page), 403);
	assert_null(strstr(page.data, "Kerkstraat"));
	assert_int_equal(get_as(f, 1, "/beheer/melding?id={#2}", &page), 403);
	assert_null(strstr(page.data, "Kerkstraat"));
	assert_int_equal(get_as(f, 1, "/beheer/melding?id={#1}", &page), 403);
	assert_int_equal(get_as(f, 1, "/beheer/meldingen", &page), 403);
	/* A number that does not exist looks the same as one not on it. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id=1999-K7QM-3P",
	                        &page), 403);
	/* Refused reads are in the audit log as such. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'lid' AND action = 'report-read'"
	                 " AND result = 'refused'"), 2);
	/* Nor can a member put it on the agenda, even with its own token. */
	assert_int_equal(post_as(f, 1, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#2}"), 403);
	assert_int_equal(post_as(f, 1, NULL, "/beheer/overleg/nieuw",
	                 "held_on=2026-04-01"), 403);

	/* The minutes list signal 1 with enrichment and decision. */
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page), 200);
	assert_non_null(strstr(page.data, "Verslag signalenoverleg 12-03-2026"));
	assert_non_null(strstr(page.data, test_cases(f->dir, "Signaal {#1} (ontvangen ")));
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "toezichthouder bezoekt het pand"));
	assert_null(strstr(page.data, test_cases(f->dir, "Signaal {#2}")));
	/* Clean for paper: no action forms, not the signal's content. */
	assert_null(strstr(page.data, "/beheer/overleg/vastleggen"));
	assert_null(strstr(page.data, "/beheer/overleg/agenda-"));
	assert_null(strstr(page.data, "Zuiderhaven 7, Purmerend"));

	/* Taken off the agenda: the member's key to it is gone. */
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-verwijderen",
	                 "id=1&report={#1}"), 303);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meeting_access"), 0);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#1}", &page), 403);
	assert_null(strstr(page.data, "Zuiderhaven"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "Zuiderhaven"));
	assert_null(strstr(page.data, "huurder wisselt"));
	buf_release(&page);
}

/* The page says why a meeting to come cannot be closed yet, and offers
 * to set the day it was held. */
static void
test_page_offers_the_day(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;

	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/nieuw",
	                 "held_on=2099-06-01&title=Later"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "id=\"not-yet\""));
	assert_non_null(strstr(page.data, "Dit overleg staat op 01-06-2099."));
	assert_non_null(strstr(page.data, "action=\"/beheer/overleg/datum\""));
	assert_null(strstr(page.data, "action=\"/beheer/overleg/sluiten\""));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/sluiten", "id=1"),
	                 400);
	assert_non_null(strstr(page.data, "Dit overleg staat op 01-06-2099: u "
	                       "kunt het sluiten op die dag of daarna."));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/datum",
	                 "id=1&held_on=morgen"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/datum",
	                 "id=1&held_on=2026-03-12"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "id=\"not-yet\""));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/sluiten", "id=1"),
	                 303);
	buf_release(&page);
}

/*
 * What the meeting decided reaches the case (issue 17 point 7): the
 * enrichment and decision in the case's timeline, with the meeting's day
 * and a link to its minutes, and the step it proposed offered first.
 */
static void
test_outcome_reaches_the_case(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	const char *proposed, *form;

	prepare(f);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, test_cases(f->dir,
	                "name=\"next\" id=\"f-next-{#1}\"")));
	assert_non_null(strstr(page.data, "<option value=\"to_riec\">"));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/vastleggen",
	                 "id=1&report={#1}&enrichment=x&decision=y&next=naar+riec"),
	                 400);
	assert_non_null(strstr(page.data, "Kies een vervolgstap uit de lijst."));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report={#1}&enrichment=" ENRICHMENT "&decision="
	                 DECISION "&next=no_action"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "<option value=\"no_action\" "
	                       "selected>"));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/melding/overgang",
	                 "id={#1}&transition=start_intake&expect_state=received"
	                 "&message=Ontvangen."), 303);
	/* Through the weging to the decision, where no action is possible. */
	{
		static const char *const steps[][2] = {
			{ "undermining", "weging_1" },
			{ "municipal_task", "weging_2a" },
			{ "our_territory", "weging_2b" },
			{ "seriousness", "weging_3" },
		};
		struct buf fields = BUF_INIT;
		size_t i;

		for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			buf_reset(&fields);
			test_step_form(&fields, steps[i][0]);
			assert_int_equal(post_as(f, 0, NULL,
			                 "/beheer/melding/overgang", "id={#1}&"
			                 "transition=%s&expect_state=%s%s",
			                 steps[i][0], steps[i][1], fields.data), 303);
		}
		buf_release(&fields);
	}

	assert_int_equal(get_as(f, 0, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Signalenoverleg van 12-03-2026"));
	assert_non_null(strstr(page.data, "/beheer/overleg/verslag?id=1"));
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "toezichthouder bezoekt het pand"));
	proposed = strstr(page.data, "id=\"proposed-step\"");
	assert_non_null(proposed);
	assert_non_null(strstr(proposed, "Voorgesteld door het signalenoverleg "
	                       "van 12-03-2026:"));
	/* The first step after it is the proposed one, as the primary button. */
	form = strstr(proposed, "name=\"transition\" value=\"");
	assert_non_null(form);
	form += strlen("name=\"transition\" value=\"");
	assert_true(strncmp(form, "no_action\"", 10) == 0);
	assert_non_null(strstr(form, "utrecht-button--primary-action"));
	assert_true(strstr(form, "utrecht-button--primary-action") <
	            strstr(form, "</form>"));
	/* Signal 2 was on no agenda: nothing proposed. */
	assert_int_equal(get_as(f, 0, "/beheer/melding?id={#2}", &page), 200);
	assert_null(strstr(page.data, "proposed-step"));
	assert_null(strstr(page.data, "Signalenoverleg van"));
	buf_release(&page);
}

/* The minutes list who attended and the action points (issue 17 point 7). */
static void
test_minutes_pages(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;

	prepare(f);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "name=\"attendee\" id=\"f-attendee-1\" "
	                       "value=\"lid\">"));
	assert_non_null(strstr(page.data, "action=\"/beheer/overleg/actiepunt\""));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/aanwezig",
	                 "id=1&attendee=coord&attendee=buitenstaander"), 400);
	assert_non_null(strstr(page.data, "Kies de aanwezigen uit de leden"));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/aanwezig",
	                 "id=1&attendee=coord&attendee=lid"), 303);
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/actiepunt",
	                 "id=1&owner=Wijkagent&action=Pand+bezoeken"
	                 "&due_on=1-4-2026"), 400);
	assert_non_null(strstr(page.data, "Vul een bestaande datum in"));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/actiepunt",
	                 "id=1&owner=Wijkagent&action=Pand+Zuiderhaven+bezoeken"
	                 "&due_on=2026-04-01"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "<li>lid</li>"));
	assert_non_null(strstr(page.data, "Pand Zuiderhaven bezoeken"));
	assert_non_null(strstr(page.data, "<time datetime=\"2026-04-01\">"
	                       "01-04-2026</time>"));
	/* A member sees who attended; the action points are the signalen's. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/verslag?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "<li>coord</li>"));
	assert_null(strstr(page.data, "Pand Zuiderhaven bezoeken"));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/actiepunt-"
	                 "verwijderen", "id=1&number=1"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "Pand Zuiderhaven bezoeken"));
	buf_release(&page);
}

static void
test_close_ends_access(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;

	prepare(f);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#1}", &page), 200);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/sluiten", "id=1"),
	                 303);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM meeting_access"), 0);
	/* The member: the meeting is gone from the list, nothing opens. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg", &page), 200);
	assert_null(strstr(page.data, "vergadering?id=1"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 403);
	assert_null(strstr(page.data, "huurder"));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#1}", &page), 403);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/verslag?id=1", &page), 403);
	/* The coordinator keeps the minutes; the agenda is fixed. */
	assert_int_equal(get_as(f, 0, "/beheer/overleg/verslag?id=1", &page), 200);
	assert_non_null(strstr(page.data, "huurder wisselt ieder kwartaal"));
	assert_non_null(strstr(page.data, "Gesloten op "));
	assert_int_equal(post_as(f, 0, &page, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#2}"), 400);
	assert_non_null(strstr(page.data, "Dit overleg is gesloten."));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report={#1}&enrichment=x&decision=y"), 400);
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
	                 "/beheer/overleg/agenda-toevoegen", "id=1&report={#2}",
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
	                 "id=1&report={#1}"), 400);
	assert_non_null(strstr(page.data, "Dit signaal staat al op de agenda."));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=99"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report=1%%20OR%%201=1"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=7&report={#2}"), 404);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-verwijderen",
	                 "id=1&report={#2}"), 400);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/vastleggen",
	                 "id=1&report={#2}&enrichment=x&decision=y"), 400);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=abc", &page),
	                 404);
	/* Not logged in. */
	assert_int_equal(test_http(&f->srv, "GET", "/beheer/overleg/vergadering?id=1",
	                 NULL, &status, NULL, NULL), 0);
	assert_int_equal(status, 303);
	buf_release(&page);
}

/* An API token of the member (role overleg), made on the token page. */
static void
member_token(struct fixture *f, char *out, size_t size)
{
	struct buf page = BUF_INIT;
	const char *p, *end;

	assert_int_equal(post_as(f, 1, &page, "/beheer/tokens",
	                 "label=overleg&days=30&role=overleg"), 200);
	p = strstr(page.data, "id=\"new-token\">");
	assert_non_null(p);
	p += strlen("id=\"new-token\">");
	end = strchr(p, '<');
	assert_non_null(end);
	assert_true((size_t)(end - p) < size);
	snprintf(out, size, "%.*s", (int)(end - p), p);
	buf_release(&page);
}

/* GET path through the API with a bearer token; the status. */
static long
api_get(struct fixture *f, const char *path, const char *token)
{
	struct buf req = BUF_INIT, resp = BUF_INIT;
	long status = 0;

	buf_addf(&req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", path,
	         token);
	assert_int_equal(test_raw(&f->srv, req.data, req.len, &resp, 5000), 0);
	assert_true(resp.len > 12 && strncmp(resp.data, "HTTP/1.1 ", 9) == 0);
	status = strtol(resp.data + 9, NULL, 10);
	buf_release(&req);
	buf_release(&resp);
	return status;
}

/* The same refusal through a page and through the API: the same row. */
static void
test_refusal_audited_alike(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT;
	char token[128];
	const char *rows = "SELECT count(*) FROM audit_log WHERE actor = 'lid'"
	                   " AND action = 'meeting-read' AND object = 'meeting 1'"
	                   " AND result = 'refused'";

	prepare(f);
	member_token(f, token, sizeof(token));
	assert_int_equal(api_get(f, "/api/v1/meeting?id=1", token), 200);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/sluiten", "id=1"),
	                 303);
	assert_int_equal(test_count(f->dir, rows), 0);
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 403);
	assert_int_equal(test_count(f->dir, rows), 1);
	assert_int_equal(api_get(f, "/api/v1/meeting?id=1", token), 403);
	assert_int_equal(test_count(f->dir, rows), 2);
	/* Every field but the time and the chain: one distinct row. */
	assert_int_equal(test_count(f->dir, "SELECT count(DISTINCT actor || '|' ||"
	                 " action || '|' || object || '|' || result) FROM audit_log"
	                 " WHERE actor = 'lid' AND action = 'meeting-read'"), 1);
	buf_release(&page);
}

/* A signal the workflow put on the meeting is offered for the agenda. */
static void
test_waiting_signals(void **state)
{
	static const char *const steps[][2] = {
		{ "start_intake", "received" }, { "undermining", "weging_1" },
		{ "municipal_task", "weging_2a" }, { "our_territory", "weging_2b" },
		{ "seriousness", "weging_3" }, { "to_meeting", "decision" },
	};
	struct fixture *f = *state;
	struct buf page = BUF_INIT, fields = BUF_INIT;
	size_t i;

	prepare(f);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		buf_reset(&fields);
		test_step_form(&fields, steps[i][0]);
		assert_int_equal(post_as(f, 0, NULL, "/beheer/melding/overgang",
		                 "id={#2}&transition=%s&expect_state=%s%s",
		                 steps[i][0], steps[i][1], fields.data), 303);
	}
	buf_release(&fields);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "id=\"waiting\""));
	assert_non_null(strstr(page.data, test_cases(f->dir,
	                "name=\"report\" value=\"{#2}\"")));
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#2}"), 303);
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_null(strstr(page.data, "id=\"waiting\""));
	assert_non_null(strstr(page.data, "Kerkstraat 3, Edam"));
	/* And the member now reads it too. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#2}", &page), 200);
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

/* ---- The actions, without a server --------------------------------- */

struct unit {
	char *dir;
	char path[512];
	struct installation *inst;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
	struct actor_ring ring;
	struct actor coord;	/* coordinator with signalen */
	struct actor keyless;	/* coordinator without it */
	int64_t meeting, signal;
	struct outcome o;
};

static int
unit_setup(void **state)
{
	struct unit *u = calloc(1, sizeof(*u));
	char receipt[RECEIPT_TEXT_LEN + 1];
	uint8_t rec_pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *rec_sk;
	struct test_init ti;
	static const char content[] = "Afgeplakte ramen, Zuiderhaven 7.";

	u->dir = test_tmpdir("meeting-unit");
	/* The meeting's view withholds the form's identity fields. */
	assert_int_equal(forms_load(), 0);
	test_init(u->dir, &ti);
	snprintf(u->path, sizeof(u->path), "%s/meldpunt.db", u->dir);
	assert_int_equal(install_open(u->dir, 0, &u->inst), 0);
	assert_int_equal(recovery_parse(ti.recovery, &rec_sk, rec_pk), 0);
	assert_int_equal(keyrings_recover(u->inst->db, KEYRING_SIGNALS, rec_pk,
	                                  rec_sk, &u->sk), 0);
	secret_free(rec_sk);
	assert_int_equal(keyrings_public_key(u->inst->db, KEYRING_SIGNALS, u->pk),
	                 0);
	u->ring.name = KEYRING_SIGNALS;
	u->ring.pk = u->pk;
	u->ring.sk = u->sk;
	u->coord.user_id = 2;
	u->coord.name = "coord";
	u->coord.roles = ROLE_COORDINATOR;
	u->coord.rings = &u->ring;
	u->coord.nrings = 1;
	u->keyless = u->coord;
	u->keyless.name = "zonder";
	u->keyless.nrings = 0;
	assert_int_equal(report_create(u->inst, REPORT_SIGNAL, "received", content,
	                               sizeof(content) - 1, receipt, &u->signal), 0);
	*state = u;
	return 0;
}

static int
unit_teardown(void **state)
{
	struct unit *u = *state;

	secret_free(u->sk);
	assert_int_equal(install_close(u->inst), 0);
	forms_free();
	test_rmtree(u->dir);
	free(u->dir);
	free(u);
	return 0;
}

/*
 * A meeting is closed on its day or later, never before (issue 17 point
 * 5): a meeting closed early would count as held on a day still to come.
 * The day is the organisation's: 23:30 UTC on 11 March is already the
 * 12th in Amsterdam.
 */
static void
test_not_closed_before_its_day(void **state)
{
	struct unit *u = *state;
	struct meeting m;

	assert_int_equal(zone_set("Europe/Amsterdam"), 0);
	clock_set(1773228600);	/* 2026-03-11T11:30:00Z */
	assert_int_equal(meeting_create_as(u->inst, &u->coord, "2026-03-12",
	                                   "Maartoverleg", &u->o), VERDICT_DONE);
	u->meeting = u->o.id;
	assert_int_equal(meeting_get(u->inst, u->meeting, &m), 0);
	assert_false(meeting_day_has_come(&m));
	assert_int_equal(meeting_close_as(u->inst, &u->coord, u->meeting, &u->o),
	                 VERDICT_INVALID);
	assert_string_equal(u->o.key, "meeting.refused_not_yet");
	assert_string_equal(u->o.field, "held_on");
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"
	                 " WHERE closed_at IS NULL"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'meeting-close'"), 0);

	/* 00:30 on the 12th in Amsterdam, still the 11th in UTC. */
	clock_set(1773271800);	/* 2026-03-11T23:30:00Z */
	assert_int_equal(meeting_get(u->inst, u->meeting, &m), 0);
	assert_true(meeting_day_has_come(&m));

	/* Held earlier after all: the day is corrected, then it closes. */
	clock_set(1773228600);
	assert_int_equal(meeting_redate_as(u->inst, &u->coord, u->meeting,
	                                   "2026-02-30", &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.key, "meeting.date_bad");
	assert_int_equal(meeting_redate_as(u->inst, &u->keyless, u->meeting,
	                                   "2026-03-11", &u->o), VERDICT_REFUSED);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"
	                 " WHERE held_on = '2026-03-12'"), 1);
	assert_int_equal(meeting_redate_as(u->inst, &u->coord, u->meeting,
	                                   "2026-03-11", &u->o), VERDICT_DONE);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action = 'meeting-redate'"
	                 " AND object = 'meeting 1 day 2026-03-11'"), 1);
	assert_int_equal(meeting_close_as(u->inst, &u->coord, u->meeting, &u->o),
	                 VERDICT_DONE);
	/* A closed meeting keeps its day. */
	assert_int_equal(meeting_redate_as(u->inst, &u->coord, u->meeting,
	                                   "2026-03-10", &u->o), VERDICT_STALE);
	clock_set(0);
	assert_int_equal(zone_set("UTC"), 0);
}

static int
act_create(void *arg)
{
	struct unit *u = arg;

	if (meeting_create_as(u->inst, &u->coord, "2026-03-12", "Maartoverleg",
	                      &u->o) != VERDICT_DONE)
		return -1;
	u->meeting = u->o.id;
	return 0;
}

static int
act_add(void *arg)
{
	struct unit *u = arg;

	return meeting_add_as(u->inst, &u->coord, u->meeting, u->signal,
	                      &u->o) == VERDICT_DONE ? 0 : -1;
}

static int
act_record(void *arg)
{
	struct unit *u = arg;

	return meeting_record_as(u->inst, &u->coord, u->meeting, u->signal,
	                         ENRICHMENT, strlen(ENRICHMENT), DECISION,
	                         strlen(DECISION), "to_riec",
	                         &u->o) == VERDICT_DONE ? 0 : -1;
}

static int
act_remove(void *arg)
{
	struct unit *u = arg;

	return meeting_remove_as(u->inst, &u->coord, u->meeting, u->signal,
	                         &u->o) == VERDICT_DONE ? 0 : -1;
}

static int
act_close(void *arg)
{
	struct unit *u = arg;

	return meeting_close_as(u->inst, &u->coord, u->meeting,
	                        &u->o) == VERDICT_DONE ? 0 : -1;
}

static int64_t
audited(struct unit *u, const char *action, const char *result)
{
	struct buf sql = BUF_INIT;
	int64_t n;

	buf_addf(&sql, "SELECT count(*) FROM audit_log WHERE action = '%s'"
	         " AND result = '%s'", action, result);
	n = test_count(u->dir, sql.data);
	buf_release(&sql);
	return n;
}

/* Each action failed at every statement leaves nothing; then it works. */
static void
test_actions_fail_each(void **state)
{
	struct unit *u = *state;

	assert_true(test_fail_each(u->inst->db, u->path, act_create, u) > 0);
	assert_int_equal(audited(u, "meeting-create", "ok"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"), 1);
	/* The first meeting made the overleg keyring, once. */
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'overleg'"), 1);

	assert_true(test_fail_each(u->inst->db, u->path, act_add, u) > 0);
	assert_int_equal(audited(u, "meeting-agenda-add", "ok"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meeting_access"),
	                 1);

	assert_true(test_fail_each(u->inst->db, u->path, act_record, u) > 0);
	assert_int_equal(audited(u, "meeting-item-record", "ok"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meeting_access"
	                 " WHERE notes_key IS NOT NULL"), 1);

	assert_true(test_fail_each(u->inst->db, u->path, act_remove, u) > 0);
	assert_int_equal(audited(u, "meeting-agenda-remove", "ok"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meeting_items"),
	                 0);

	assert_int_equal(act_add(u), 0);
	assert_true(test_fail_each(u->inst->db, u->path, act_close, u) > 0);
	assert_int_equal(audited(u, "meeting-close", "ok"), 1);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meeting_access"),
	                 0);
	/* No mail for a meeting, ever. */
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM outbox"), 0);
}

/* What the actions answer, and which answers leave a refused row. */
static void
test_actions_answer(void **state)
{
	struct unit *u = *state;
	struct meeting_reader r;
	struct meeting m;
	struct secret *content = NULL;
	struct case_summary c;
	int64_t on = 0;

	/* Without the signalen key: refused, audited, nothing made. */
	assert_int_equal(meeting_create_as(u->inst, &u->keyless, "2026-03-12",
	                                   "", &u->o), VERDICT_REFUSED);
	assert_string_equal(u->o.key, "case.no_keyring");
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"), 0);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'zonder' AND action = 'meeting-create'"
	                 " AND object = 'meeting new' AND result = 'refused'"), 1);
	/* Input that does not fit: no row. */
	assert_int_equal(meeting_create_as(u->inst, &u->coord, "2026-02-30", "",
	                                   &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.field, "held_on");
	assert_int_equal(meeting_create_as(u->inst, &u->coord, "2026-03-12",
	                                   "twee\nregels", &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.field, "title");
	assert_int_equal(meeting_create_as(u->inst, &u->coord, NULL, NULL, &u->o),
	                 VERDICT_INVALID);
	assert_int_equal(act_create(u), 0);
	assert_int_equal(meeting_add_as(u->inst, &u->coord, 99, u->signal, &u->o),
	                 VERDICT_NOT_FOUND);
	assert_int_equal(meeting_add_as(u->inst, &u->coord, u->meeting, 0, &u->o),
	                 VERDICT_INVALID);
	assert_int_equal(meeting_add_as(u->inst, &u->coord, u->meeting, 99, &u->o),
	                 VERDICT_INVALID);
	assert_int_equal(meeting_add_as(u->inst, &u->keyless, u->meeting,
	                                u->signal, &u->o), VERDICT_REFUSED);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'zonder' AND action = 'meeting-agenda-add'"
	                 " AND object = 'meeting 1 report ' ||"
	                 " (SELECT case_number FROM reports WHERE id = 1)"
	                 " AND result = 'refused'"), 1);
	assert_int_equal(act_add(u), 0);
	assert_int_equal(act_add(u), -1);
	assert_int_equal(u->o.verdict, VERDICT_STALE);
	assert_string_equal(u->o.key, "meeting.refused_twice");
	assert_int_equal(meeting_record_as(u->inst, &u->coord, u->meeting,
	                                   u->signal, NULL, 0, "x", 1, NULL, &u->o),
	                 VERDICT_INVALID);
	/* A next step that is no transition name; a text with a NUL. */
	assert_int_equal(meeting_record_as(u->inst, &u->coord, u->meeting,
	                                   u->signal, "x", 1, "y", 1, "naar RIEC",
	                                   &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.field, "next");
	assert_int_equal(meeting_record_as(u->inst, &u->coord, u->meeting,
	                                   u->signal, "x\0y", 3, "y", 1, NULL,
	                                   &u->o), VERDICT_INVALID);
	/* A reader without a key is refused the meeting, audited. */
	assert_int_equal(meeting_open_as(u->inst, &u->keyless, u->meeting, &m, &r,
	                                 &u->o), VERDICT_REFUSED);
	assert_int_equal(meeting_open_as(u->inst, &u->coord, u->meeting, &m, &r,
	                                 &u->o), VERDICT_DONE);
	assert_int_equal(r.overleg, 0);
	assert_int_equal(meeting_open_as(u->inst, &u->coord, 42, &m, &r, &u->o),
	                 VERDICT_NOT_FOUND);
	assert_int_equal(meeting_signal_as(u->inst, &u->keyless, u->signal, &c,
	                                   &content, &on, &u->o), VERDICT_REFUSED);
	assert_null(content);
	assert_int_equal(meeting_signal_as(u->inst, &u->coord, u->signal, &c,
	                                   &content, &on, &u->o), VERDICT_DONE);
	assert_non_null(content);
	secret_free(content);
	assert_int_equal(act_close(u), 0);
	assert_int_equal(act_close(u), -1);
	assert_int_equal(u->o.verdict, VERDICT_STALE);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'zonder' AND result = 'refused'"), 4);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'coord' AND result = 'refused'"), 0);
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

#define NAMED_NAME "Jolanda Verbeek"
#define NAMED_EMAIL "j.verbeek@voorbeeld.nl"
#define NAMED_PHONE "06 31415926"

/* A blob of row 1 of a query into out (malloc'd). */
static void
read_blob(struct db *db, const char *sql, uint8_t **out, size_t *len)
{
	struct stmt *st = NULL;
	const void *p;

	assert_int_equal(db_prepare(db, &st, sql), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	p = stmt_blob(st, 0, len);
	*out = malloc(*len ? *len : 1);
	assert_non_null(*out);
	memcpy(*out, p, *len);
	stmt_finalize(st);
}

/*
 * A named signal on the agenda (issue 15 point 3): the member of the
 * overleg, on the pages and through an API token without the handling
 * role, reads the signal but not who reported it, nowhere in the bytes
 * of the answers, and is told to go through the coordinator; the
 * coordinator's case page, and the reporter with the receipt, show name,
 * e-mail and phone as given. By keys:
 * the agenda's key opens the content and not the identity envelope.
 */
static void
test_identity_withheld(void **state)
{
	struct fixture *f = *state;
	const struct test_part parts[] = {
		{ "phenomenon", "hospitality", 0, NULL, NULL },
		{ "location", "Havenstraat 12, Volendam", 0, NULL, NULL },
		{ "observation", "Nachtwinkel zonder klanten, wel veel contant geld.",
		  0, NULL, NULL },
		{ "identity", "named", 0, NULL, NULL },
		{ "reporter_name", NAMED_NAME, 0, NULL, NULL },
		{ "reporter_email", NAMED_EMAIL, 0, NULL, NULL },
		{ "reporter_phone", NAMED_PHONE, 0, NULL, NULL },
	};
	static const char *const secret_bits[] = {
		"Verbeek", "j.verbeek", "voorbeeld.nl", "31415926",
	};
	struct buf page = BUF_INIT, body = BUF_INIT, req = BUF_INIT;
	char token[APITOKEN_TEXT_LEN + 1], receipt[32];
	struct installation *inst;
	struct secret *rec_sk, *osk = NULL, *key = NULL, *plain = NULL;
	uint8_t rec_pk[CRYPTO_PUBLICKEY_LEN], opk[CRYPTO_PUBLICKEY_LEN];
	uint8_t *wrapped, *content, *identity, *locator;
	size_t wlen, clen, ilen, llen, i;
	const char *p;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 7,
	                 NULL, &status, &page), 0);
	assert_int_equal(status, 200);
	/* The reporter, back with the receipt, sees what they gave. */
	test_text_after(page.data, "id=\"receipt\">", "<", receipt,
	                sizeof(receipt));
	buf_addf(&body, "receipt=%s", receipt);
	assert_int_equal(test_http(&f->srv, "POST", "/status", body.data, &status,
	                           NULL, &page), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(page.data, NAMED_NAME));
	assert_non_null(strstr(page.data, NAMED_EMAIL));
	assert_non_null(strstr(page.data, "Havenstraat 12, Volendam"));
	buf_reset(&body);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/nieuw",
	                 "held_on=2026-03-12&title=Maartoverleg"), 303);
	assert_int_equal(post_as(f, 0, NULL, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#1}"), 303);
	test_grant(f->dir, f->recovery, KEYRING_MEETING, "lid");
	f->mtotp = test_staff_setup(&f->srv, "lid", MEMBER_OTP, NEWPW,
	                            &f->mcookie, &f->mcsrf);
	assert_non_null(f->mtotp);

	/* The member's pages: the signal, and who to ask instead. */
	assert_int_equal(get_as(f, 1, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "Havenstraat 12, Volendam"));
	assert_non_null(strstr(page.data,
	                       "Melder bekend, contact via de coördinator"));
	for (i = 0; i < 4; i++)
		assert_null(strstr(page.data, secret_bits[i]));
	assert_int_equal(get_as(f, 1, "/beheer/overleg/signaal?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, "Nachtwinkel zonder klanten"));
	assert_non_null(strstr(page.data, "id=\"reporter-withheld\""));
	for (i = 0; i < 4; i++)
		assert_null(strstr(page.data, secret_bits[i]));
	/* The coordinator's own meeting page is the meeting's view too. */
	assert_int_equal(get_as(f, 0, "/beheer/overleg/vergadering?id=1", &page),
	                 200);
	assert_non_null(strstr(page.data, "Havenstraat 12, Volendam"));
	assert_null(strstr(page.data, "Verbeek"));

	/* An API token of the member (role overleg, no handling role). */
	buf_addf(&body, "csrf=%s&label=overleg&days=30&role=overleg",
	         f->mcsrf.data);
	assert_int_equal(test_http_cookie(&f->srv, "POST", "/beheer/tokens",
	                 body.data, f->mcookie.data, &status, NULL, &page), 0);
	assert_int_equal(status, 200);
	p = strstr(page.data, "id=\"new-token\">");
	assert_non_null(p);
	memcpy(token, p + strlen("id=\"new-token\">"), APITOKEN_TEXT_LEN);
	token[APITOKEN_TEXT_LEN] = '\0';
	buf_addf(&req, "GET /api/v1/meeting?id=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", token);
	assert_int_equal(test_raw(&f->srv, req.data, req.len, &page, 10000), 0);
	assert_non_null(strstr(page.data, "HTTP/1.1 200"));
	assert_non_null(strstr(page.data, "Havenstraat 12, Volendam"));
	assert_non_null(strstr(page.data, "\"reporter\":\"named\""));
	for (i = 0; i < 4; i++)
		assert_null(strstr(page.data, secret_bits[i]));

	/* The coordinator handles it: the case page shows who reported. */
	assert_int_equal(get_as(f, 0, "/beheer/melding?id={#1}", &page), 200);
	assert_non_null(strstr(page.data, NAMED_NAME));
	assert_non_null(strstr(page.data, NAMED_EMAIL));
	assert_non_null(strstr(page.data, NAMED_PHONE));
	assert_null(strstr(page.data, "reporter-withheld"));

	/* By keys: the agenda's data key opens the content, not the identity. */
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(recovery_parse(f->recovery, &rec_sk, rec_pk), 0);
	assert_int_equal(keyrings_recover(inst->db, KEYRING_MEETING, rec_pk, rec_sk,
	                                  &osk), 0);
	assert_int_equal(keyrings_public_key(inst->db, KEYRING_MEETING, opk), 0);
	read_blob(inst->db, "SELECT report_key FROM meeting_access", &wrapped,
	          &wlen);
	read_blob(inst->db, "SELECT content FROM reports WHERE id = 1", &content,
	          &clen);
	read_blob(inst->db, "SELECT identity FROM reports WHERE id = 1", &identity,
	          &ilen);
	read_blob(inst->db, "SELECT locator FROM reports WHERE id = 1", &locator,
	          &llen);
	assert_int_equal(keyring_open_sealed(wrapped, opk, osk, &key), 0);
	assert_int_equal(envelope_decrypt(content, clen, locator, llen, key,
	                                  &plain), 0);
	assert_false(test_contains(&(struct buf){ (char *)plain->bytes,
	             plain->len, plain->len }, "Verbeek", 7));
	secret_free(plain);
	plain = NULL;
	assert_int_equal(envelope_decrypt(identity, ilen, locator, llen, key,
	                                  &plain), -1);
	assert_null(plain);
	assert_int_equal(install_close(inst), 0);
	secret_free(key);
	secret_free(osk);
	secret_free(rec_sk);
	free(wrapped);
	free(content);
	free(identity);
	free(locator);
	buf_release(&page);
	buf_release(&body);
	buf_release(&req);
}

/*
 * The minutes' attendees, chosen from the members (overleg and
 * coordinator accounts), and action points sealed to signalen (issue 17
 * point 7); both fixed once the meeting is closed.
 */
static void
test_attendees_and_actions(void **state)
{
	struct unit *u = *state;
	const char *const outsider[] = { "vpt" };
	const char *const both[] = { "lid", "coord" };
	struct ring_key key = { u->pk, u->sk };
	struct meeting_action *v = NULL;
	char **names = NULL;
	size_t n = 0;

	assert_int_equal(users_create(u->inst->db, "coord", "", ROLE_COORDINATOR,
	                 "een-wachtwoord-1", &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(u->inst->db, "lid", "", ROLE_OVERLEG,
	                 "een-wachtwoord-2", &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(u->inst->db, "vpt", "", ROLE_VPT,
	                 "een-wachtwoord-3", &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(act_create(u), 0);

	assert_int_equal(meeting_attendees_set_as(u->inst, &u->coord, u->meeting,
	                 outsider, 1, &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.key, "meeting.not_member");
	assert_int_equal(meeting_attendees_set_as(u->inst, &u->keyless,
	                 u->meeting, both, 2, &u->o), VERDICT_REFUSED);
	assert_int_equal(meeting_attendees_set_as(u->inst, &u->coord, u->meeting,
	                 both, 2, &u->o), VERDICT_DONE);
	assert_int_equal(meeting_attendees(u->inst, u->meeting, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "coord");
	assert_string_equal(names[1], "lid");
	meeting_names_release(names, n);

	/* Bad input is named and changes nothing. */
	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "Wijkagent", 9, "Pand bezoeken", 13, "2026-02-30",
	                 &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.field, "due_on");
	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "twee\nregels", 12, "Pand bezoeken", 13, "2026-04-01",
	                 &u->o), VERDICT_INVALID);
	assert_string_equal(u->o.field, "owner");
	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "Wijkagent", 9, NULL, 0, "2026-04-01", &u->o),
	                 VERDICT_INVALID);
	assert_string_equal(u->o.field, "action");
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"
	                 " WHERE actions IS NOT NULL"), 0);

	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "Wijkagent", 9, "Pand Zuiderhaven bezoeken", 25,
	                 "2026-04-01", &u->o), VERDICT_DONE);
	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "Vergunningen", 12, "Huurcontract opvragen", 21,
	                 "2026-04-15", &u->o), VERDICT_DONE);
	/* Content: not in plain text in the database. */
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM meetings"
	                 " WHERE instr(actions, 'Zuiderhaven') > 0"), 0);
	assert_int_equal(meeting_actions_read(u->inst, u->meeting, &key,
	                                      &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].due_on, "2026-04-15");
	assert_memory_equal(v[1].owner->bytes, "Vergunningen", 12);
	assert_memory_equal(v[0].text->bytes, "Pand Zuiderhaven bezoeken", 25);
	meeting_actions_release(v, n);

	assert_int_equal(meeting_action_remove_as(u->inst, &u->coord, u->meeting,
	                 3, &u->o), VERDICT_STALE);
	assert_int_equal(meeting_action_remove_as(u->inst, &u->coord, u->meeting,
	                 1, &u->o), VERDICT_DONE);
	assert_int_equal(meeting_actions_read(u->inst, u->meeting, &key,
	                                      &v, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(v[0].owner->bytes, "Vergunningen", 12);
	meeting_actions_release(v, n);
	assert_int_equal(test_count(u->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action IN ('meeting-attendees',"
	                 " 'meeting-action-add', 'meeting-action-remove')"
	                 " AND coalesce(result, 'ok') = 'ok'"), 4);

	/* Closed: the minutes are fixed. */
	assert_int_equal(meeting_close_as(u->inst, &u->coord, u->meeting, &u->o),
	                 VERDICT_DONE);
	assert_int_equal(meeting_action_add_as(u->inst, &u->coord, u->meeting,
	                 "Wijkagent", 9, "Nog iets", 8, "2026-04-01", &u->o),
	                 VERDICT_STALE);
	assert_int_equal(meeting_attendees_set_as(u->inst, &u->coord, u->meeting,
	                 both, 1, &u->o), VERDICT_STALE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_sealed),
		cmocka_unit_test_setup_teardown(test_actions_fail_each, unit_setup,
		                                unit_teardown),
		cmocka_unit_test_setup_teardown(test_actions_answer, unit_setup,
		                                unit_teardown),
		cmocka_unit_test_setup_teardown(test_member_reads_only_the_agenda,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_withheld, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_attendees_and_actions,
		                                unit_setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_not_closed_before_its_day,
		                                unit_setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_page_offers_the_day, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_outcome_reaches_the_case, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_minutes_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_ends_access, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_audited_alike, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_waiting_signals, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_no_plaintext_in_database, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("meeting", tests, NULL, NULL);
}
