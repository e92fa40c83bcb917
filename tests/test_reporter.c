/*
 * test_reporter.c - the reporter's side over HTTP on 127.0.0.1: both forms,
 * submission with a file, the receipt, coming back, answering (which
 * leave no log line or audit row, only their day's counts); and every
 * kind of bad input, each leaving the database unchanged and the form
 * filled in as it was sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct fixture {
	char *dir;
	struct test_server srv;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = test_tmpdir("reporter");
	test_init(f->dir, NULL);
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->srv.pid)
		assert_int_equal(test_server_stop(&f->srv), 0);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The receipt code on a receipt page, copied into out. */
static void
read_receipt(const struct buf *page, char out[32])
{
	test_text_after(page->data, "id=\"receipt\">", "<", out, 32);
	assert_int_equal(strlen(out), 19);
}

static const struct test_part signal_parts[] = {
	{ "phenomenon", "drugs", 0, NULL, NULL },
	{ "location", "Dorpsstraat 12, Purmerend", 0, NULL, NULL },
	{ "observation", "Elke nacht een busje met ramen afgeplakt.", 0, NULL, NULL },
	{ "identity", "anonymous", 0, NULL, NULL },
	{ "files", "PNGDATA-foto-van-het-busje", 0, "busje.png", "image/png" },
};

static void
test_forms_render(void **state)
{
	struct fixture *f = *state;
	struct buf h = BUF_INIT, body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http(&f->srv, "GET", "/melden/signaal", NULL,
	                           &status, &h, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "Waar gaat uw signaal over?"));
	assert_non_null(strstr(body.data, "Anoniem melden beschermt niet"));
	assert_non_null(strstr(body.data, "enctype=\"multipart/form-data\""));
	assert_null(strstr(body.data, "<script"));
	assert_non_null(strstr(h.data, "Cache-Control: no-store"));
	/* Choices as Utrecht fieldsets (there is no utrecht-fieldset class). */
	assert_non_null(strstr(body.data, "<fieldset class=\"utrecht-form-fieldset "
	                       "utrecht-form-fieldset--html-fieldset\""));
	assert_non_null(strstr(body.data,
	                       "<legend class=\"utrecht-form-fieldset__legend "));
	assert_null(strstr(body.data, "\"utrecht-fieldset\""));
	assert_non_null(strstr(body.data, "utrecht-form-field--radio"));
	/* The name question says when it is asked, for the stylesheet. */
	assert_non_null(strstr(body.data, "data-when=\"identity:named\""));
	/* Stylesheets by versioned URL, so a new release is not styled by a
	 * cached old one. */
	assert_non_null(strstr(body.data, "href=\"/assets/meldpunt.css?v="));
	assert_null(strstr(body.data, "href=\"/assets/meldpunt.css\""));
	buf_reset(&body);
	buf_reset(&h);
	assert_int_equal(test_http(&f->srv, "GET", "/melden/agressie?lang=en",
	                           NULL, &status, &h, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "<html lang=\"en\""));
	assert_non_null(strstr(body.data, "What is the victim&#39;s role?"));
	assert_non_null(strstr(h.data, "Set-Cookie: lang=en"));
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "GET", "/", NULL, &status, NULL,
	                           &body), 0);
	assert_non_null(strstr(body.data, "/melden/agressie"));
	assert_non_null(strstr(body.data, "/melden/signaal"));
	assert_non_null(strstr(body.data, "/status"));
	buf_release(&h);
	buf_release(&body);
}

static void
test_submit_come_back_answer(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, log = BUF_INIT;
	char *path = strdup(f->srv.log_path);
	char receipt[32], post[128];
	long status = 0;
	struct test_part reply[] = {
		{ "receipt", NULL, 0, NULL, NULL },
		{ "message", "Het busje is wit, kenteken begint met V.", 0, NULL, NULL },
		{ "files", "tweede foto", 0, "nacht.jpg", "image/jpeg" },
	};

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
	                 signal_parts, 5, NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	read_receipt(&body, receipt);
	assert_non_null(strstr(body.data, "Uw melding is ontvangen"));

	/* Come back, typed in lower case. */
	for (size_t i = 0; receipt[i]; i++)
		post[i] = (char)(receipt[i] >= 'A' && receipt[i] <= 'Z'
		                 ? receipt[i] + 32 : receipt[i]);
	snprintf(post, sizeof(post), "receipt=%s", receipt);
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "POST", "/status", post, &status,
	                           NULL, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "id=\"state\">Ontvangen"));
	assert_non_null(strstr(body.data, "Dorpsstraat 12, Purmerend"));
	assert_non_null(strstr(body.data, "Drugs of hennepteelt"));
	assert_non_null(strstr(body.data, "busje.png"));
	assert_non_null(strstr(body.data, "Er zijn nog geen berichten."));
	/* The day of receipt as a Dutch day, and in English on request. */
	{
		static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
			"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		const char *t = strstr(body.data, "<time datetime=\"");
		char want[64];
		int y, m, d;

		assert_non_null(t);
		assert_int_equal(sscanf(t + 16, "%4d-%2d-%2d", &y, &m, &d), 3);
		assert_true(m >= 1 && m <= 12);
		snprintf(want, sizeof(want), "\">%02d-%02d-%04d</time>", d, m, y);
		assert_non_null(strstr(t, want));
		buf_reset(&body);
		assert_int_equal(test_http(&f->srv, "POST", "/status?lang=en", post,
		                           &status, NULL, &body), 0);
		snprintf(want, sizeof(want), "\">%d %s %d</time>", d, months[m - 1],
		         y);
		assert_non_null(strstr(body.data, want));
	}

	/* Answer, with a file. */
	reply[0].value = receipt;
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/status/antwoord", reply, 3,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "Uw bericht is verstuurd."));
	assert_non_null(strstr(body.data, "kenteken begint met V."));
	assert_non_null(strstr(body.data, "Van u"));
	assert_non_null(strstr(body.data, "Bijlagen: 1"));

	/*
	 * None of the three left a log line or an audit row: only their
	 * day's counts, and the answer its day (SECURITY.md promise 11).
	 */
	assert_int_equal(test_server_stop(&f->srv), 0);
	assert_int_equal(test_read_file(path, &log), 0);
	assert_null(strstr(log.data, "actor=reporter"));
	assert_null(strstr(log.data, "report-create"));
	assert_null(strstr(log.data, "report-read"));
	assert_null(strstr(log.data, "message-create"));
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM audit_log"
	                 " WHERE actor = 'reporter'"), 0);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM messages"
	                 " WHERE author = 'reporter' AND length(at) = 10"), 1);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                 " WHERE action = 'report-create'"), 1);
	assert_true(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                       " WHERE action = 'report-read'") >= 1);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                 " WHERE action = 'message-create'"), 1);
	assert_int_equal(test_count(f->dir, "SELECT sum(count) FROM reporter_days"
	                 " WHERE action = 'file-create'"), 2);
	free(path);
	buf_release(&log);
	buf_release(&body);
}

static void
test_incident(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT;
	long status = 0;
	char receipt[32], post[64];
	const struct test_part parts[] = {
		{ "date", "2026-11-02", 0, NULL, NULL },
		{ "time", "10:15", 0, NULL, NULL },
		{ "place", "counter", 0, NULL, NULL },
		{ "kind", "verbal", 0, NULL, NULL },
		{ "kind", "threat", 0, NULL, NULL },
		{ "victim_role", "employee", 0, NULL, NULL },
		{ "department", "Burgerzaken", 0, NULL, NULL },
		{ "reported_by", "victim", 0, NULL, NULL },
		{ "perpetrator_known", "no", 0, NULL, NULL },
		{ "description", "Klant schreeuwde en dreigde terug te komen.", 0,
		  NULL, NULL },
		{ "police", "wanted", 0, NULL, NULL },
		{ "aftercare", "yes", 0, NULL, NULL },
		{ "reporter_name", "Sanne de Boer", 0, NULL, NULL },
		{ "reporter_email", "s.deboer@gemeente.example", 0, NULL, NULL },
	};

	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", parts,
	                 sizeof(parts) / sizeof(parts[0]), NULL, &status,
	                 &body), 0);
	assert_int_equal(status, 200);
	read_receipt(&body, receipt);
	snprintf(post, sizeof(post), "receipt=%s", receipt);
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "POST", "/status", post, &status,
	                           NULL, &body), 0);
	assert_int_equal(status, 200);
	assert_non_null(strstr(body.data, "Sanne de Boer"));
	assert_non_null(strstr(body.data, "Schelden of verbale agressie, Bedreiging"));
	buf_release(&body);
}

/*
 * Send a signal with one answer replaced (or added); expect the form back
 * with status 400, the error message beside the field, the other answers
 * still filled in, and the database unchanged.
 */
static void
expect_refused(struct fixture *f, const char *name, const char *value,
               size_t len, const char *error_id, const char *message)
{
	struct test_part parts[8];
	struct buf body = BUF_INIT, want = BUF_INIT;
	char *before, *after;
	long status = 0;
	size_t i, n = 0;
	int replaced = 0;

	for (i = 0; i < 4; i++) {
		parts[n] = signal_parts[i];
		if (strcmp(parts[n].name, name) == 0) {
			parts[n].value = value;
			parts[n].len = len;
			replaced = 1;
		}
		n++;
	}
	if (!replaced)
		parts[n++] = (struct test_part){ name, value, len, NULL, NULL };
	before = test_db_counts(f->dir);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, n,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	buf_addf(&want, "id=\"%s\">%s", error_id, message);
	assert_non_null(strstr(body.data, want.data));
	assert_non_null(strstr(body.data, "Controleer deze vragen"));
	/* What was right is still there. */
	if (strcmp(name, "location") != 0)
		assert_non_null(strstr(body.data, "value=\"Dorpsstraat 12, Purmerend\""));
	if (strcmp(name, "identity") != 0)
		assert_non_null(strstr(body.data, "value=\"anonymous\" checked"));
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	buf_release(&body);
	buf_release(&want);
}

static void
test_bad_input(void **state)
{
	struct fixture *f = *state;
	char *long_text = malloc(21 * 1024);

	expect_refused(f, "observation", "", 0, "f-observation-error",
	               "Deze vraag is verplicht.");
	expect_refused(f, "phenomenon", "bitcoin", 0, "f-phenomenon-error",
	               "Kies een van de mogelijkheden.");
	expect_refused(f, "identity", "maybe", 0, "f-identity-error",
	               "Kies een van de mogelijkheden.");
	expect_refused(f, "observation", "bad \xff\xfe bytes", 0,
	               "f-observation-error",
	               "Dit antwoord bevat tekens die niet kunnen worden gelezen.");
	expect_refused(f, "observation", "nul\0byte", 8, "f-observation-error",
	               "Dit antwoord bevat tekens die niet kunnen worden gelezen.");
	/* A field's own max (300 characters, counted as characters). */
	memset(long_text, 'a', 301);
	long_text[301] = '\0';
	expect_refused(f, "location", long_text, 0, "f-location-error",
	               "Dit antwoord is te lang: ten hoogste 300 tekens.");
	memset(long_text, 'a', 21 * 1024 - 1);
	long_text[21 * 1024 - 1] = '\0';
	expect_refused(f, "observation", long_text, 0, "f-observation-error",
	               "Dit antwoord is te lang: ten hoogste 20480 tekens.");
	/* Named without a name. */
	expect_refused(f, "identity", "named", 0, "f-reporter_name-error",
	               "Deze vraag is verplicht.");
	free(long_text);
}

static void
test_bad_dates(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT;
	char *before, *after;
	long status;
	struct test_part parts[] = {
		{ "date", "2026-02-30", 0, NULL, NULL },
		{ "reporter_name", "<b>Sanne</b>", 0, NULL, NULL },
	};

	before = test_db_counts(f->dir);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", parts,
	                 2, NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-date-error\">Vul een datum in"));
	/* Shown back escaped. */
	assert_non_null(strstr(body.data, "value=\"&lt;b&gt;Sanne&lt;/b&gt;\""));
	assert_null(strstr(body.data, "<b>Sanne"));
	buf_reset(&body);
	parts[0].value = "2999-01-01";
	assert_int_equal(test_http_multipart(&f->srv, "/melden/agressie", parts,
	                 2, NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-date-error\">Deze datum ligt in "
	                       "de toekomst."));
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	buf_release(&body);
}

static void
test_upload_limits(void **state)
{
	struct fixture *f = *state;
	size_t big = 10 * 1024 * 1024 + 1;
	char *data = malloc(big);
	struct test_part parts[12];
	struct buf body = BUF_INIT;
	char *before, *after;
	long status = 0;
	size_t i;

	memset(data, 'x', big);
	for (i = 0; i < 4; i++)
		parts[i] = signal_parts[i];
	before = test_db_counts(f->dir);

	/*
	 * A Windows program named rapport.pdf: refused by its content,
	 * named in the error, and what was typed is kept.
	 */
	parts[4] = (struct test_part){ "files", "MZ\x90\0\x03\0\0\0", 8,
	                               "rapport.pdf", "application/pdf" };
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 5,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-files-error\">Het bestand "
	                       "rapport.pdf kan hier niet mee"));
	assert_non_null(strstr(body.data, "value=\"Dorpsstraat 12, Purmerend\""));

	/* One file over upload_file_max (10 MB). */
	parts[4] = (struct test_part){ "files", data, big, "groot.pdf",
	                               "application/pdf" };
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 5,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-files-error\">Dit bestand is te "
	                       "groot: ten hoogste 10 MB per bestand."));
	assert_non_null(strstr(body.data, "value=\"Dorpsstraat 12, Purmerend\""));

	/* Six files where five are allowed. */
	for (i = 0; i < 6; i++)
		parts[4 + i] = (struct test_part){ "files", "small", 0, "f.txt",
		                                   "text/plain" };
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 10,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-files-error\">Te veel bestanden: "
	                       "ten hoogste 5."));

	/* Three files of 8 MB: each fine, together over 20 MB. */
	for (i = 0; i < 3; i++)
		parts[4 + i] = (struct test_part){ "files", data, 8 * 1024 * 1024,
		                                   "deel.bin", NULL };
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal", parts, 7,
	                 NULL, &status, &body), 0);
	assert_int_equal(status, 400);
	assert_non_null(strstr(body.data, "id=\"f-files-error\">De bestanden zijn "
	                       "samen te groot: ten hoogste 20 MB."));

	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(data);
	buf_release(&body);
}

static void
test_oversize_refused_before_read(void **state)
{
	struct fixture *f = *state;
	struct buf resp = BUF_INIT;
	char *before, *after;
	const char req[] =
		"POST /melden/signaal HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Content-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 104857600\r\n\r\nphenomenon=drugs";

	before = test_db_counts(f->dir);
	/* 100 MB announced, 16 bytes sent: the answer comes without the rest. */
	assert_int_equal(test_raw(&f->srv, req, sizeof(req) - 1, &resp, 5000), 0);
	assert_non_null(strstr(resp.data, "HTTP/1.1 413"));
	assert_non_null(strstr(resp.data, "te groot"));
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	free(before);
	free(after);
	buf_release(&resp);
}

static void
test_wrong_receipt_and_rate_limit(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, first = BUF_INIT;
	long status = 0;
	int i;

	assert_int_equal(test_http(&f->srv, "POST", "/status",
	                 "receipt=7KQ2-M9XD-4TRB-WP3H", &status, NULL, &first), 0);
	assert_int_equal(status, 404);
	assert_non_null(strstr(first.data, "Bij deze ontvangstcode hebben wij geen "
	                       "melding gevonden."));
	/* A malformed receipt gets the very same answer. */
	assert_int_equal(test_http(&f->srv, "POST", "/status", "receipt=hallo",
	                           &status, NULL, &body), 0);
	assert_int_equal(status, 404);
	assert_string_equal(body.data, first.data);
	/* 10 attempts a minute: the 11th is refused. */
	for (i = 2; i < 10; i++) {
		buf_reset(&body);
		assert_int_equal(test_http(&f->srv, "POST", "/status",
		                 "receipt=7KQ2-M9XD-4TRB-WP3H", &status, NULL,
		                 &body), 0);
		assert_int_equal(status, 404);
	}
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "POST", "/status",
	                 "receipt=7KQ2-M9XD-4TRB-WP3H", &status, NULL, &body), 0);
	assert_int_equal(status, 429);
	assert_non_null(strstr(body.data, "Wacht een minuut"));
	buf_release(&body);
	buf_release(&first);
}

static void
test_foreign_origin_refused(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT;
	char *before, *after;
	long status = 0;

	before = test_db_counts(f->dir);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
	                 signal_parts, 4, "Origin: https://evil.example", &status,
	                 &body), 0);
	assert_int_equal(status, 403);
	/* A cross-site form post, as a browser labels it. */
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
	                 signal_parts, 4, "Sec-Fetch-Site: cross-site", &status,
	                 &body), 0);
	assert_int_equal(status, 403);
	after = test_db_counts(f->dir);
	assert_string_equal(before, after);
	/* Our own form: browsers send "Origin: null" under no-referrer. */
	buf_reset(&body);
	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
	                 signal_parts, 4, "Origin: null", &status, &body), 0);
	assert_int_equal(status, 200);
	free(before);
	free(after);
	buf_release(&body);
}

static void
test_no_trace_in_log(void **state)
{
	struct fixture *f = *state;
	struct buf body = BUF_INIT, log = BUF_INIT;
	char *path = strdup(f->srv.log_path);
	long status;

	assert_int_equal(test_http_multipart(&f->srv, "/melden/signaal",
	                 signal_parts, 5, "Referer: https://intranet.example/x",
	                 &status, &body), 0);
	assert_int_equal(status, 200);
	buf_reset(&body);
	assert_int_equal(test_http(&f->srv, "POST", "/status", "receipt=x",
	                           &status, NULL, &body), 0);
	assert_int_equal(test_server_stop(&f->srv), 0);
	assert_int_equal(test_read_file(path, &log), 0);
	assert_null(strstr(log.data, "127.0.0.1"));
	assert_null(strstr(log.data, "meldpunt-test-agent"));
	assert_null(strstr(log.data, "intranet.example"));
	assert_null(strstr(log.data, "Dorpsstraat"));
	free(path);
	buf_release(&body);
	buf_release(&log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forms_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_come_back_answer, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_incident, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upload_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize_refused_before_read,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_receipt_and_rate_limit,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_origin_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_no_trace_in_log, setup, teardown),
	};
	return cmocka_run_group_tests_name("reporter", tests, NULL, NULL);
}
