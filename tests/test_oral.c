/*
 * test_oral.c - oral reports (issue 20 point 3, core/oral.h): a handler
 * or a confidential adviser records a conversation as a report; the
 * reporter gets the receipt and, on the status page, the record to
 * approve or correct; each correction (with the old and the new text)
 * and the approval is in the case's timeline, and the handler sees where
 * the check stands on the case page and in the inbox. The reporter's
 * actions leave their day only; the recording is a staff action. A
 * confidential adviser holds no keyring and cannot read the case in the
 * staff pages. Through the real server on 127.0.0.1, and in core for
 * every failing statement and a keyring rotation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "casework.h"
#include "apitoken.h"
#include "db.h"
#include "install.h"
#include "keyrings.h"
#include "oral.h"
#include "paths.h"
#include "report.h"
#include "rotate.h"
#include "routes.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define INTEG_OTP "eenmalig-wachtwoord-integ"
#define CONF_OTP "eenmalig-wachtwoord-conf"
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define NEWPW "een heel lang wachtwoord"

#define RECORD "Melder vertelt dat de teamleider declaraties indient voor " \
	"reizen die niet plaatsvonden."
#define CORRECTED "Melder vertelt dat de teamleider sinds maart declaraties " \
	"indient voor reizen die niet plaatsvonden."

struct staff {
	struct buf cookie, csrf;
	struct secret *totp;
};

struct fixture {
	char *dir;
	char recovery[80];
	struct test_server srv;
	struct staff integ, conf;
};

static void
write_conf(const char *dir, const char *text)
{
	struct buf path = BUF_INIT;
	FILE *fp;

	buf_addf(&path, "%s/meldpunt.conf", dir);
	fp = fopen(path.data, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	buf_release(&path);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;
	struct installation *inst;
	struct buf path = BUF_INIT;

	f->dir = test_tmpdir("oral");
	test_init(f->dir, &ti);
	snprintf(f->recovery, sizeof(f->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "integ1", "", ROLE_INTEGRITY,
	                 INTEG_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "conf1", "", ROLE_CONFIDANT,
	                 CONF_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, f->recovery, "integriteit", "integ1");
	test_grant(f->dir, f->recovery, KEYRING_SIGNALS, "coord");
	/* A small field limit, so its edge is cheap to reach. */
	write_conf(f->dir, "[limits]\nfield_max = 4096\nreceipt_attempts = 100\n");
	buf_addf(&path, "%s/meldpunt.conf", f->dir);
	assert_int_equal(test_server_start_config(&f->srv, f->dir, path.data),
	                 0);
	buf_release(&path);
	buf_init(&f->integ.cookie);
	buf_init(&f->integ.csrf);
	buf_init(&f->conf.cookie);
	buf_init(&f->conf.csrf);
	f->integ.totp = test_staff_setup(&f->srv, "integ1", INTEG_OTP, NEWPW,
	                                 &f->integ.cookie, &f->integ.csrf);
	assert_non_null(f->integ.totp);
	f->conf.totp = test_staff_setup(&f->srv, "conf1", CONF_OTP, NEWPW,
	                                &f->conf.cookie, &f->conf.csrf);
	assert_non_null(f->conf.totp);
	*state = f;
	return 0;
}

static void
staff_release(struct staff *s)
{
	buf_release(&s->cookie);
	buf_release(&s->csrf);
	secret_free(s->totp);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	staff_release(&f->integ);
	staff_release(&f->conf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int
has(const struct buf *b, const char *want)
{
	return b->data && strstr(b->data, want) != NULL;
}

/* 1 when page shows a, then b after it. */
static int
in_order(const struct buf *page, const char *a, const char *b)
{
	const char *pa = page->data ? strstr(page->data, a) : NULL;

	return pa && strstr(pa + strlen(a), b) != NULL;
}

static long
staff_get(struct fixture *f, struct staff *s, const char *path,
          struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 s->cookie.data, &status, NULL, page), 0);
	return status;
}

/*
 * Record an oral integrity report as s with record (NULL: none sent) on
 * path; the receipt into receipt when it is stored. The status.
 */
static long
record_oral(struct fixture *f, struct staff *s, const char *path,
            const char *record, struct buf *page, char receipt[64])
{
	struct test_part parts[] = {
		{ "csrf", s->csrf.data, 0, NULL, NULL },
		{ "way", "staff", 0, NULL, NULL },
		{ "kind", "fraud", 0, NULL, NULL },
		{ "what", "Declaraties van een teamleider kloppen niet.", 0,
		  NULL, NULL },
		{ "when", "Sinds maart", 0, NULL, NULL },
		{ "knowledge", "own_observation", 0, NULL, NULL },
		{ "reported_before", "no", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
		{ "record", record ? record : "", 0, NULL, NULL },
	};
	struct buf cookie = BUF_INIT;
	long status = 0;

	buf_addf(&cookie, "Cookie: %s", s->cookie.data);
	buf_reset(page);
	assert_int_equal(test_http_multipart(&f->srv, path, parts,
	                 record ? 9 : 8, cookie.data, &status, page), 0);
	if (status == 200)
		test_text_after(page->data, "id=\"receipt\">", "<", receipt, 64);
	buf_release(&cookie);
	return status;
}

/* The reporter's status page of receipt. */
static void
status_page(struct fixture *f, const char *receipt, struct buf *page)
{
	struct buf req = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&req, "receipt=%s", receipt);
	assert_int_equal(test_http(&f->srv, "POST", "/status", req.data,
	                           &status, NULL, page), 0);
	assert_int_equal(status, 200);
	buf_release(&req);
}

/* The version (row id of the text in force) the status page offers. */
static void
version_of(const struct buf *page, struct buf *version)
{
	buf_reset(version);
	assert_int_equal(test_input_value(page, "version", version), 0);
}

/* url-encode s onto b. */
static void
urlenc(struct buf *b, const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.')
			buf_addf(b, "%c", *s);
		else
			buf_addf(b, "%%%02X", (unsigned char)*s);
}

/* POST the reporter's approval (text NULL) or correction; the status. */
static long
reporter_post(struct fixture *f, const char *receipt, const char *version,
              const char *text, struct buf *page)
{
	struct buf req = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&req, "receipt=%s&version=%s", receipt, version);
	if (text) {
		buf_addf(&req, "&record=");
		urlenc(&req, text);
	}
	assert_int_equal(test_http(&f->srv, "POST", text ? PATH_RECORD_CORRECT
	                           : PATH_RECORD_APPROVE, req.data, &status,
	                           NULL, page), 0);
	buf_release(&req);
	return status;
}

/*
 * Record, receipt, the reporter reads the record, corrects it, approves
 * it; the handler sees each in the timeline and the state on the case
 * page and in the inbox; refusals change nothing; the reporter's rows
 * keep their day only.
 */
static void
test_record_correct_approve(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, v1 = BUF_INIT, v2 = BUF_INIT;
	char receipt[64];
	char *counts;

	/* The form: the reporter's questions, how, and the record. */
	assert_int_equal(staff_get(f, &f->integ, PATH_ORAL, &page), 200);
	assert_true(has(&page, "href=\"/beheer/mondeling/integriteit\""));
	assert_false(has(&page, "href=\"/beheer/mondeling/signaal\""));
	assert_int_equal(staff_get(f, &f->integ, "/beheer/mondeling/integriteit",
	                           &page), 200);
	assert_true(has(&page, "name=\"record\""));
	assert_true(has(&page, "name=\"way\""));
	assert_true(has(&page, "name=\"what\""));
	/* Signals and incidents take no oral reports (schema/forms). */
	assert_int_equal(staff_get(f, &f->integ, "/beheer/mondeling/signaal",
	                           &page), 404);

	/* No record, or a blank one: the form again, nothing stored. */
	assert_int_equal(record_oral(f, &f->integ, "/beheer/mondeling/integriteit",
	                             "  \n ", &page, receipt), 400);
	assert_true(has(&page, "Schrijf het verslag van het gesprek."));
	assert_true(has(&page, "href=\"#f-record\""));
	assert_int_equal(record_oral(f, &f->integ, "/beheer/mondeling/integriteit",
	                             NULL, &page, receipt), 400);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM"
	                            " oral_records"), 0);

	assert_int_equal(record_oral(f, &f->integ, "/beheer/mondeling/integriteit",
	                             RECORD, &page, receipt), 200);
	assert_true(has(&page, "Mondelinge melding vastgelegd"));
	assert_int_equal(strlen(receipt), 19);
	/* The recording is a staff action: its second, audited by name. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM oral_records"
	                 " WHERE kind = 'record' AND author = 'integ1'"
	                 " AND length(at) = 20 AND body IS NOT NULL"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'integ1' AND action = 'oral-record'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"
	                 " WHERE type = 'integrity' AND source = 'staff'"), 1);
	/* Sealed: the text is nowhere in the database. */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM oral_records"
	                 " WHERE instr(body, 'declaraties') > 0"), 0);

	/* The reporter reads the record with the receipt. */
	status_page(f, receipt, &page);
	assert_true(has(&page, "Verslag van uw mondelinge melding"));
	assert_true(has(&page, RECORD));
	assert_true(has(&page, "data-state=\"waiting\""));
	assert_true(has(&page, "action=\"" PATH_RECORD_APPROVE "\""));
	assert_true(has(&page, "action=\"" PATH_RECORD_CORRECT "\""));
	version_of(&page, &v1);

	/* The handler: marked oral, waiting, on the case page and inbox. */
	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_true(has(&page, "Mondelinge melding"));
	assert_true(has(&page, "id=\"oral-state\" data-state=\"waiting\""));
	assert_true(has(&page, "Verslag wacht op goedkeuring van de melder"));
	assert_true(has(&page, "integ1 legde het gesprek vast"));
	assert_true(has(&page, RECORD));
	assert_int_equal(staff_get(f, &f->integ, "/beheer/meldingen?type="
	                           "integrity", &page), 200);
	assert_true(has(&page, "data-oral=\"waiting\""));

	/* Unchanged, blank, too long, or with a made-up version: refused. */
	counts = test_db_counts(f->dir);
	assert_int_equal(reporter_post(f, receipt, v1.data, RECORD, &page), 400);
	assert_true(has(&page, "U heeft niets veranderd aan het verslag."));
	assert_int_equal(reporter_post(f, receipt, v1.data, " ", &page), 400);
	assert_true(has(&page, "Schrijf het verbeterde verslag."));
	assert_int_equal(reporter_post(f, receipt, "999", CORRECTED, &page), 409);
	assert_true(has(&page, "Het verslag is veranderd sinds u het las."));
	assert_int_equal(reporter_post(f, "AAAA-AAAA-AAAA-AAAA", v1.data,
	                               CORRECTED, &page), 404);
	{
		/* One byte over the field limit (4096); the limit itself is
		 * taken below. */
		char *big = malloc(4098);

		assert_non_null(big);
		memset(big, 'x', 4097);
		big[4097] = '\0';
		assert_int_equal(reporter_post(f, receipt, v1.data, big, &page),
		                 400);
		assert_true(has(&page, "data-state=\"waiting\""));
		free(big);
	}
	{
		char *after = test_db_counts(f->dir);

		assert_string_equal(counts, after);
		free(after);
	}
	free(counts);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM"
	                            " oral_records"), 1);

	/* The correction: stored with its day only, no audit row. */
	assert_int_equal(reporter_post(f, receipt, v1.data, CORRECTED, &page),
	                 200);
	assert_true(has(&page, "Uw verbetering van het verslag is opgeslagen."));
	assert_true(has(&page, "data-state=\"corrected\""));
	assert_true(has(&page, CORRECTED));
	version_of(&page, &v2);
	assert_string_not_equal(v1.data, v2.data);
	/* The old version is no longer the one to approve. */
	assert_int_equal(reporter_post(f, receipt, v1.data, NULL, &page), 409);

	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_true(has(&page, "data-state=\"corrected\""));
	assert_true(has(&page, "De melder verbeterde het verslag"));
	assert_true(has(&page, "<dt>Was</dt><dd><p class=\"meldpunt-message-body "
	                "meldpunt-record-old\">" RECORD "</p>"));
	assert_true(has(&page, "<dt>Werd</dt><dd><p class=\"meldpunt-message-body "
	                "meldpunt-record-new\">" CORRECTED "</p>"));

	/* The approval of the text in force; then nothing changes it. */
	assert_int_equal(reporter_post(f, receipt, v2.data, NULL, &page), 200);
	assert_true(has(&page, "U heeft het verslag goedgekeurd."));
	assert_true(has(&page, "data-state=\"approved\""));
	assert_false(has(&page, "action=\"" PATH_RECORD_APPROVE "\""));
	assert_int_equal(reporter_post(f, receipt, v2.data, NULL, &page), 400);
	assert_true(has(&page, "U heeft het verslag al goedgekeurd."));
	assert_int_equal(reporter_post(f, receipt, v2.data, RECORD, &page), 400);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM"
	                            " oral_records"), 3);

	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_true(has(&page, "id=\"oral-state\" data-state=\"approved\""));
	assert_true(has(&page, "De melder keurde het verslag goed"));
	/*
	 * In the timeline in the order they happened, though the reporter's
	 * two rows keep only the day the record keeps its second of: with
	 * the record at noon (UTC) of the reporter's day, whatever the hour
	 * the test runs (the trigger that keeps the rows is lifted for it).
	 */
	test_exec(f->dir, "DROP TRIGGER oral_records_stay;"
	          " UPDATE oral_records SET at = (SELECT at FROM oral_records"
	          " WHERE author = 'reporter' LIMIT 1) || 'T12:00:00Z'"
	          " WHERE kind = 'record'");
	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_true(in_order(&page, "integ1 legde het gesprek vast",
	                     "De melder verbeterde het verslag"));
	assert_true(in_order(&page, "De melder verbeterde het verslag",
	                     "De melder keurde het verslag goed"));
	assert_int_equal(staff_get(f, &f->integ, "/beheer/meldingen?type="
	                           "integrity", &page), 200);
	assert_true(has(&page, "data-oral=\"approved\""));
	buf_reset(&page);
	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}&lang=en",
	                           &page), 200);
	assert_true(has(&page, "The reporter approved the record"));

	/*
	 * The reporter's rows keep their day only, are counted for the day
	 * and leave no audit row of their own (daycount.h).
	 */
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM oral_records"
	                 " WHERE author = 'reporter' AND length(at) = 10"), 2);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM oral_records"
	                 " WHERE author = 'reporter' AND length(at) <> 10"), 0);
	assert_int_equal(test_count(f->dir, "SELECT count FROM reporter_days"
	                 " WHERE action = 'record-approve'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count FROM reporter_days"
	                 " WHERE action = 'record-correct'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE action LIKE 'record-%' OR action LIKE"
	                 " '%approve%' OR action LIKE '%correct%'"), 0);
	buf_release(&page);
	buf_release(&v1);
	buf_release(&v2);
}

/*
 * A correction of exactly the field limit is taken (the byte over it is
 * refused above).
 */
static void
test_correction_at_the_limit(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, v = BUF_INIT;
	char receipt[64], *big = malloc(4097);

	assert_non_null(big);
	assert_int_equal(record_oral(f, &f->integ, "/beheer/mondeling/integriteit",
	                             RECORD, &page, receipt), 200);
	status_page(f, receipt, &page);
	version_of(&page, &v);
	memset(big, 'y', 4096);
	big[4096] = '\0';
	assert_int_equal(reporter_post(f, receipt, v.data, big, &page), 200);
	assert_true(has(&page, "data-state=\"corrected\""));
	free(big);
	buf_release(&page);
	buf_release(&v);
}

/*
 * A confidential adviser records an oral report and keeps the receipt:
 * the case follows through it, the adviser's account reads nothing of
 * it in the staff pages (no keyring, no case role). A coordinator
 * records no integrity report.
 */
static void
test_confidant(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, cookie = BUF_INIT, csrf = BUF_INIT, v = BUF_INIT;
	struct secret *totp;
	char receipt[64];

	assert_int_equal(staff_get(f, &f->conf, PATH_STAFF_HOME, &page), 200);
	assert_true(has(&page, "href=\"" PATH_ORAL "\""));
	assert_false(has(&page, "href=\"" PATH_INBOX "\""));
	assert_int_equal(record_oral(f, &f->conf, "/beheer/mondeling/integriteit",
	                             RECORD, &page, receipt), 200);
	assert_true(has(&page, "vertrouwenspersoon"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'conf1' AND action = 'oral-record'"), 1);

	/* The adviser follows it with the receipt, as a reporter. */
	status_page(f, receipt, &page);
	assert_true(has(&page, RECORD));
	version_of(&page, &v);
	assert_int_equal(reporter_post(f, receipt, v.data, NULL, &page), 200);

	/* And cannot read the case in the staff pages, nor register. */
	assert_int_equal(staff_get(f, &f->conf, "/beheer/melding?id={#1}", &page),
	                 403);
	assert_false(has(&page, RECORD));
	assert_int_equal(staff_get(f, &f->conf, PATH_INBOX, &page), 403);
	assert_int_equal(staff_get(f, &f->conf, "/beheer/meldingen?type="
	                           "integrity", &page), 403);
	assert_int_equal(staff_get(f, &f->conf, "/beheer/registreren/"
	                           "integriteit", &page), 403);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM keyring_members"
	                 " m JOIN users u ON u.id = m.user_id"
	                 " WHERE u.username = 'conf1'"), 0);

	/* The integrity coordinator reads who recorded it, and the approval. */
	assert_int_equal(staff_get(f, &f->integ, "/beheer/melding?id={#1}", &page),
	                 200);
	assert_true(has(&page, "conf1 legde het gesprek vast"));
	assert_true(has(&page, "data-state=\"approved\""));

	/* A coordinator may not record an integrity report orally. */
	totp = test_staff_setup(&f->srv, "coord", COORD_OTP, NEWPW, &cookie,
	                        &csrf);
	assert_non_null(totp);
	{
		struct staff coord = { cookie, csrf, NULL };

		assert_int_equal(staff_get(f, &coord, "/beheer/mondeling/"
		                           "integriteit", &page), 403);
		assert_int_equal(staff_get(f, &coord, PATH_ORAL, &page), 403);
	}
	secret_free(totp);
	buf_release(&cookie);
	buf_release(&csrf);
	buf_release(&page);
	buf_release(&v);
}

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* An API request (JSON body, bearer token: either may be NULL). */
static long
api(struct fixture *f, const char *method, const char *path,
    const char *token, const char *body, json_t **out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	struct buf url = BUF_INIT, auth = BUF_INIT, resp = BUF_INIT;
	json_error_t e;
	long status = 0;

	assert_non_null(c);
	/* A report named {#N} by its case number, as test_http does. */
	buf_addf(&url, "http://127.0.0.1:%u%s", (unsigned)f->srv.port,
	         test_cases(f->dir, path));
	curl_easy_setopt(c, CURLOPT_URL, url.data);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (token) {
		buf_addf(&auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth.data);
	}
	if (body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	*out = json_loadb(resp.data ? resp.data : "", resp.len, 0, &e);
	if (!*out)
		fail_msg("not JSON (%s): %s", e.text, resp.data);
	buf_release(&url);
	buf_release(&auth);
	buf_release(&resp);
	return status;
}

/* The text at key of object o ("" when none). */
static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The reporter's approval (text NULL) or correction through the API. */
static long
api_record(struct fixture *f, const char *receipt, json_int_t version,
           const char *text, json_t **out)
{
	struct buf body = BUF_INIT;
	long status;

	buf_addf(&body, "{\"receipt\":\"%s\",\"version\":%lld", receipt,
	         (long long)version);
	if (text)
		buf_addf(&body, ",\"text\":\"%s\"", text);
	buf_adds(&body, "}");
	status = api(f, "POST", text ? PATH_API_STATUS_RECORD_CORRECT
	                             : PATH_API_STATUS_RECORD_APPROVE, NULL,
	             body.data, out);
	buf_release(&body);
	return status;
}

/*
 * The JSON API: the reporter reads the record with the receipt, corrects
 * and approves it (refusals as on the pages); the handler's token reads
 * the record with its history and the inbox's mark.
 */
static void
test_through_api(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, body = BUF_INIT;
	char receipt[64], tok[APITOKEN_TEXT_LEN + 1];
	json_t *j, *rec, *hist;
	json_int_t v1, v2;

	assert_int_equal(record_oral(f, &f->integ, "/beheer/mondeling/integriteit",
	                             RECORD, &page, receipt), 200);
	buf_addf(&body, "{\"receipt\":\"%s\"}", receipt);
	assert_int_equal(api(f, "POST", "/api/v1/status", NULL, body.data, &j),
	                 200);
	rec = json_object_get(j, "record");
	assert_string_equal(str(rec, "state"), "waiting");
	assert_string_equal(str(rec, "text"), RECORD);
	v1 = json_integer_value(json_object_get(rec, "version"));
	assert_true(v1 > 0);
	json_decref(j);

	assert_int_equal(api_record(f, receipt, v1, CORRECTED, &j), 201);
	v2 = json_integer_value(json_object_get(j, "version"));
	assert_true(v2 > v1);
	json_decref(j);
	/* The same again: v1 is no longer in force; v2 unchanged. */
	assert_int_equal(api_record(f, receipt, v1, CORRECTED, &j), 409);
	json_decref(j);
	assert_int_equal(api_record(f, receipt, v2, CORRECTED, &j), 422);
	json_decref(j);
	assert_int_equal(api_record(f, receipt, v2, NULL, &j), 201);
	json_decref(j);
	assert_int_equal(api_record(f, receipt, v2, NULL, &j), 409);
	json_decref(j);

	/* The handler's token: the record, its rows, the inbox's mark. */
	test_make_token(&f->srv, &f->integ.cookie, &f->integ.csrf, "koppeling",
	                "role=integrity", "30", tok);
	assert_int_equal(api(f, "GET", "/api/v1/case?id={#1}", tok, NULL, &j), 200);
	assert_string_equal(str(j, "oral"), "approved");
	rec = json_object_get(j, "record");
	assert_string_equal(str(rec, "state"), "approved");
	assert_string_equal(str(rec, "text"), CORRECTED);
	assert_int_equal(strlen(str(rec, "approved_on")), 10);
	hist = json_object_get(rec, "history");
	assert_int_equal(json_array_size(hist), 3);
	assert_string_equal(str(json_array_get(hist, 0), "kind"), "record");
	assert_string_equal(str(json_array_get(hist, 0), "author"), "integ1");
	assert_string_equal(str(json_array_get(hist, 0), "text"), RECORD);
	assert_string_equal(str(json_array_get(hist, 1), "kind"), "correction");
	assert_string_equal(str(json_array_get(hist, 1), "text"), CORRECTED);
	assert_int_equal(strlen(str(json_array_get(hist, 1), "at")), 10);
	assert_string_equal(str(json_array_get(hist, 2), "kind"), "approval");
	json_decref(j);
	assert_int_equal(api(f, "GET", "/api/v1/inbox?type=integrity", tok, NULL,
	                     &j), 200);
	assert_string_equal(str(json_array_get(json_object_get(j, "cases"), 0),
	                        "oral"), "approved");
	json_decref(j);
	crypto_wipe(tok, sizeof(tok));
	buf_release(&page);
	buf_release(&body);
}

/* The recorders of every type's oral reports may open the list of types. */
static void
test_recorders_reach_the_list(void **state)
{
	size_t i;
	unsigned bit;

	(void)state;
	for (i = 0; i < report_types_count(); i++)
		for (bit = 1; bit && bit <= ROLE_CONFIDANT; bit <<= 1)
			if (report_type_oral((enum report_type)i) & bit)
				assert_int_equal(routes_allowed(PATH_ORAL, bit), 1);
	assert_int_equal(report_type_oral(REPORT_SIGNAL), 0);
	assert_int_equal(report_type_oral(REPORT_INCIDENT), 0);
}

/* In core: every failing statement leaves nothing; a rotation reseals. */
struct core_fixture {
	struct test_install t;
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t version;
	const char *text;	/* NULL: approve */
};

static enum report_type
integrity(void)
{
	enum report_type t;

	assert_int_equal(report_type_parse("integrity", &t), 0);
	return t;
}

static int
record_action(void *arg)
{
	struct core_fixture *c = arg;
	struct workflows *wfs;
	struct submission sub;
	const char *content = "{\"answers\":{\"kind\":\"fraud\",\"what\":"
	                      "\"x\",\"identity\":\"anonymous\"}}";
	int64_t id;
	int rc;

	assert_int_equal(workflows_load_dir(NULL, &wfs, NULL), 0);
	memset(&sub, 0, sizeof(sub));
	sub.type = integrity();
	sub.state = workflow_initial(workflows_get(wfs, sub.type))->name;
	sub.source = "phone";
	sub.content = content;
	sub.content_len = strlen(content);
	sub.registrar = "integ1";
	sub.record = RECORD;
	sub.record_len = strlen(RECORD);
	rc = report_submit(c->t.inst, &sub, c->receipt, &id);
	workflows_free(wfs);
	return rc;
}

static int
reporter_action(void *arg)
{
	struct core_fixture *c = arg;
	struct outcome o = c->text
		? oral_correct(c->t.inst, c->receipt, c->version, c->text,
		               strlen(c->text), 0)
		: oral_approve(c->t.inst, c->receipt, c->version);

	return o.verdict == VERDICT_DONE ? 0 : -1;
}

/* The record of c's report opened with keyring ring's key. */
static void
open_with(struct core_fixture *c, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
          const struct secret *sk, struct oral_record *rec)
{
	struct reporter_access acc;

	assert_int_equal(report_access(c->t.inst, c->receipt, &acc), 0);
	assert_int_equal(oral_open(c->t.inst, acc.report_id, acc.locator, pk,
	                           sk, rec), 0);
	report_access_release(&acc);
}

static void
test_core_fail_each_and_rotate(void **state)
{
	struct core_fixture c;
	struct oral_record rec;
	struct reporter_access acc;
	struct secret *rsk = NULL, *sk = NULL;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct rotate_progress p;

	(void)state;
	memset(&c, 0, sizeof(c));
	test_install_new("oral-core", &c.t);
	assert_true(test_fail_each(c.t.inst->db, c.t.db_path, record_action,
	                           &c) > 1);
	/* Every version of the reporter's record opens with the receipt. */
	assert_int_equal(report_access(c.t.inst, c.receipt, &acc), 0);
	assert_int_equal(oral_open(c.t.inst, acc.report_id, acc.locator, acc.pk,
	                           acc.sk, &rec), 0);
	assert_int_equal(oral_state_of(&rec), ORAL_WAITING);
	c.version = oral_current(&rec)->id;
	oral_record_release(&rec);
	report_access_release(&acc);

	c.text = CORRECTED;
	assert_true(test_fail_each(c.t.inst->db, c.t.db_path, reporter_action,
	                           &c) > 1);
	assert_int_equal(report_access(c.t.inst, c.receipt, &acc), 0);
	assert_int_equal(oral_open(c.t.inst, acc.report_id, acc.locator, acc.pk,
	                           acc.sk, &rec), 0);
	assert_int_equal(oral_state_of(&rec), ORAL_CORRECTED);
	c.version = oral_current(&rec)->id;
	oral_record_release(&rec);
	report_access_release(&acc);
	c.text = NULL;
	assert_true(test_fail_each(c.t.inst->db, c.t.db_path, reporter_action,
	                           &c) > 1);

	/* After rotating integriteit the new key opens every text. */
	assert_int_equal(rotate_recovery_parse(c.t.res.recovery_key, &rsk), 0);
	assert_int_equal(rotate_recovery_check(c.t.inst->db, rsk, rpk), 0);
	assert_int_equal(rotate_keyring(c.t.inst, "integriteit", rsk, 0, &p), 0);
	assert_int_equal(keyrings_recover(c.t.inst->db, "integriteit", rpk, rsk,
	                                  &sk), 0);
	assert_int_equal(keyrings_public_key(c.t.inst->db, "integriteit", pk), 0);
	open_with(&c, pk, sk, &rec);
	assert_int_equal(rec.n, 3);
	assert_int_equal(oral_state_of(&rec), ORAL_APPROVED);
	assert_int_equal(oral_current(&rec)->text->len, strlen(CORRECTED));
	assert_memory_equal(oral_current(&rec)->text->bytes, CORRECTED,
	                    strlen(CORRECTED));
	assert_memory_equal(oral_before(&rec, 1)->text->bytes, RECORD,
	                    strlen(RECORD));
	oral_record_release(&rec);
	secret_free(sk);
	secret_free(rsk);
	test_install_free(&c.t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_correct_approve,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_correction_at_the_limit,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_confidant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_through_api, setup,
		                                teardown),
		cmocka_unit_test(test_recorders_reach_the_list),
		cmocka_unit_test(test_core_fail_each_and_rotate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
