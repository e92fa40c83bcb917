/*
 * test_layout.c - the frame of the staff pages (web/layout.c) against the
 * real server on 127.0.0.1: the language link keeps the page and its query
 * (issue 18 point 6), and every staff page read in English holds no Dutch
 * word. "Dutch" is measured against the texts themselves: a word of the
 * Dutch texts (schema/messages/nl.ini and the .nl texts of the workflows,
 * forms and norm catalogue) that no English text uses (en.ini and the .en
 * texts) must not appear on an English page, outside the language switch,
 * which names the other language in that language on purpose.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casenumber.h"
#include "install.h"
#include "keyrings.h"
#include "testutil.h"
#include "users.h"

#define CHIEF_OTP "eenmalig-wachtwoord-chief"
#define NEWPW "een heel lang wachtwoord"
#define ALL_STAFF_ROLES (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_VPT | ROLE_HR | \
                         ROLE_AUDITOR)

struct fixture {
	char *dir;
	struct test_server srv;
	struct buf cookie, csrf;
	struct secret *totp;
};

static long
get(struct fixture *f, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&f->srv, "GET", path, NULL,
	                 f->cookie.data, &status, NULL, page), 0);
	return status;
}

/* POST as chief with the CSRF token; the page answered into page. */
static long
post_page(struct fixture *f, const char *path, const char *body,
          struct buf *page)
{
	struct buf b = BUF_INIT;
	long status = 0;

	buf_reset(page);
	buf_addf(&b, "csrf=%s&%s", f->csrf.data, body);
	assert_int_equal(test_http_cookie(&f->srv, "POST", path, b.data,
	                 f->cookie.data, &status, NULL, page), 0);
	buf_release(&b);
	return status;
}

static long
post(struct fixture *f, const char *path, const char *body)
{
	struct buf page = BUF_INIT;
	long status = post_page(f, path, body, &page);

	buf_release(&page);
	return status;
}

static void
submit(struct fixture *f, const char *path, const struct test_part *parts,
       size_t n)
{
	struct buf body = BUF_INIT;
	long status = 0;

	assert_int_equal(test_http_multipart(&f->srv, path, parts, n, NULL,
	                 &status, &body), 0);
	assert_int_equal(status, 200);
	buf_release(&body);
}

/*
 * One account with every staff role and keyring, a signal (report 1) and
 * an incident (report 2) written in English, and a meeting with the signal
 * on its agenda.
 */
static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct test_init ti;
	struct installation *inst;
	const struct test_part signal[] = {
		{ "phenomenon", "drugs", 0, NULL, NULL },
		{ "location", "Main Street 12", 0, NULL, NULL },
		{ "observation", "Covered windows and a strong smell.", 0, NULL,
		  NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	const struct test_part incident[] = {
		{ "date", "2026-03-02", 0, NULL, NULL },
		{ "place", "counter", 0, NULL, NULL },
		{ "kind", "verbal", 0, NULL, NULL },
		{ "victim_role", "employee", 0, NULL, NULL },
		{ "department", "Civil Affairs", 0, NULL, NULL },
		{ "reported_by", "victim", 0, NULL, NULL },
		{ "perpetrator_known", "no", 0, NULL, NULL },
		{ "description", "Shouted at across the counter.", 0, NULL, NULL },
		{ "police", "melding", 0, NULL, NULL },
		{ "aftercare", "yes", 0, NULL, NULL },
		{ "reporter_name", "A. Victim", 0, NULL, NULL },
	};

	f->dir = test_tmpdir("layout");
	test_init(f->dir, &ti);
	assert_int_equal(install_open(f->dir, 0, &inst), 0);
	assert_int_equal(users_create(inst->db, "chief", "Chief", ALL_STAFF_ROLES,
	                 CHIEF_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(install_close(inst), 0);
	test_grant(f->dir, ti.recovery, KEYRING_SIGNALS, "chief");
	test_grant(f->dir, ti.recovery, KEYRING_INCIDENTS, "chief");
	test_grant(f->dir, ti.recovery, KEYRING_STATISTICS, "chief");
	assert_int_equal(test_server_start(&f->srv, f->dir), 0);
	buf_init(&f->cookie);
	buf_init(&f->csrf);
	f->totp = test_staff_setup(&f->srv, "chief", CHIEF_OTP, NEWPW, &f->cookie,
	                           &f->csrf);
	assert_non_null(f->totp);
	submit(f, "/melden/signaal", signal, sizeof(signal) / sizeof(signal[0]));
	submit(f, "/melden/agressie", incident,
	       sizeof(incident) / sizeof(incident[0]));
	assert_int_equal(post(f, "/beheer/overleg/nieuw",
	                 "held_on=2026-03-12&title=March+meeting"), 303);
	assert_int_equal(post(f, "/beheer/overleg/agenda-toevoegen",
	                 "id=1&report={#1}"), 303);
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
	buf_release(&f->cookie);
	buf_release(&f->csrf);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* The href of the language switch on page, into out (entities as sent). */
static void
switch_href(const struct buf *page, struct buf *out)
{
	const char *p = strstr(page->data, "meldpunt-language-switch");
	const char *q;

	assert_non_null(p);
	p = strstr(p, "href=\"");
	assert_non_null(p);
	p += strlen("href=\"");
	q = strchr(p, '"');
	assert_non_null(q);
	buf_reset(out);
	buf_add(out, p, (size_t)(q - p));
}

/*
 * The link to the other language is the same page with the same query:
 * the case page in English (it answered 404 when the link dropped the id),
 * back to Dutch, and a query with characters that need escaping.
 */
static void
test_language_link_keeps_query(void **state)
{
	struct fixture *f = *state;
	struct buf page = BUF_INIT, href = BUF_INIT;

	assert_int_equal(get(f, "/beheer/melding?id={#1}&lang=en", &page), 200);
	assert_non_null(strstr(page.data, "<html lang=\"en\""));
	switch_href(&page, &href);
	assert_string_equal(href.data, test_cases(f->dir,
	                    "/beheer/melding?id={#1}&amp;lang=nl"));
	/* Following it: the same case, in Dutch. */
	assert_int_equal(get(f, "/beheer/melding?id={#1}&lang=nl", &page), 200);
	assert_non_null(strstr(page.data, "<html lang=\"nl\""));
	switch_href(&page, &href);
	assert_string_equal(href.data, test_cases(f->dir,
	                    "/beheer/melding?id={#1}&amp;lang=en"));
	/* lang first, an encoded value, an argument without a value. */
	assert_int_equal(get(f, "/beheer/auditlog?lang=en&zoek=a%20%26b&x", &page),
	                 200);
	switch_href(&page, &href);
	assert_string_equal(href.data, "/beheer/auditlog?zoek=a%20%26b&amp;x&amp;"
	                    "lang=nl");
	/* A public page keeps its query too. */
	assert_int_equal(get(f, "/melden/signaal?lang=en", &page), 200);
	switch_href(&page, &href);
	assert_string_equal(href.data, "/melden/signaal?lang=nl");
	/* The answer to a POST: a refused step leads to its case, a page
	 * that answers GET at its own path to that path, others home. */
	assert_int_equal(post_page(f, "/beheer/melding/overgang", "id={#2}&"
	                 "transition=no_such_step&expect_state=received", &page),
	                 400);
	switch_href(&page, &href);
	assert_string_equal(href.data, test_cases(f->dir,
	                    "/beheer/melding?id={#2}&amp;lang=en"));
	assert_int_equal(post_page(f, "/beheer/tokens", "name=", &page), 400);
	switch_href(&page, &href);
	assert_string_equal(href.data, "/beheer/tokens?lang=en");
	assert_int_equal(post_page(f, "/beheer/gebruikers/blokkeren",
	                 "naam=nobody", &page), 404);
	switch_href(&page, &href);
	assert_string_equal(href.data, "/beheer?lang=en");
	buf_release(&page);
	buf_release(&href);
}

/* A sorted set of words (lower case, as bytes). */
struct words {
	char **w;
	size_t n, cap;
};

static int
word_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The length of the letter at s (an ASCII letter, or a two-byte UTF-8
 * Latin letter such as é or ë), or 0 for anything else (dashes, quotes).
 */
static size_t
letter_len(const char *s, size_t left)
{
	const unsigned char *u = (const unsigned char *)s;

	if (isalpha(u[0]))
		return 1;
	if (left >= 2 && (u[0] == 0xC3 || u[0] == 0xC4 || u[0] == 0xC5) &&
	    (u[1] & 0xC0) == 0x80 && !(u[0] == 0xC3 && (u[1] == 0x97 ||
	                                                 u[1] == 0xB7)))
		return 2;
	return 0;
}

/* Add every word (a run of letters) of text. */
static void
words_add_text(struct words *ws, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start, k, l;
		char *w;

		while (i < len && letter_len(text + i, len - i) == 0)
			i++;
		start = i;
		while (i < len && (l = letter_len(text + i, len - i)) > 0)
			i += l;
		if (i == start)
			continue;
		w = malloc(i - start + 1);
		assert_non_null(w);
		for (k = 0; k < i - start; k++)
			w[k] = (char)tolower((unsigned char)text[start + k]);
		w[k] = '\0';
		if (ws->n == ws->cap) {
			ws->cap = ws->cap ? ws->cap * 2 : 256;
			ws->w = realloc(ws->w, ws->cap * sizeof(*ws->w));
			assert_non_null(ws->w);
		}
		ws->w[ws->n++] = w;
	}
}

static void
words_sort(struct words *ws)
{
	qsort(ws->w, ws->n, sizeof(*ws->w), word_cmp);
}

static int
words_has(const struct words *ws, const char *w)
{
	return bsearch(&w, ws->w, ws->n, sizeof(*ws->w), word_cmp) != NULL;
}

static void
words_free(struct words *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
}

/*
 * The words of the texts of one language in an ini file: in a catalogue
 * every value (all = 1), else the values of keys ending in .nl or .en
 * (suffix), with their continuation lines. {placeholders} are left out.
 */
static void
ini_words(const char *path, int all, const char *suffix, struct words *ws)
{
	struct buf file = BUF_INIT;
	char *line, *save = NULL;
	int in_value = 0;

	assert_int_equal(test_read_file(path, &file), 0);
	for (line = strtok_r(file.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *eq = strchr(line, '=');
		const char *v;
		char *brace;

		if (line[0] == '\t') {
			v = line + 1;
		} else if (line[0] == ';' || line[0] == '[' || !eq) {
			in_value = 0;
			continue;
		} else {
			const char *k = eq;

			while (k > line && k[-1] == ' ')
				k--;
			in_value = all || ((size_t)(k - line) > 3 &&
			                   strncmp(k - 3, suffix, 3) == 0);
			v = eq + 1;
		}
		if (!in_value)
			continue;
		/* Placeholders are names, not words of the language. */
		while ((brace = strchr(v, '{')) != NULL) {
			char *end = strchr(brace, '}');

			if (!end)
				break;
			memset(brace, ' ', (size_t)(end - brace + 1));
		}
		words_add_text(ws, v, strlen(v));
	}
	buf_release(&file);
}

/* The words of every text of one language (code "nl" or "en"). */
static void
language_words(const char *code, struct words *ws)
{
	static const char *const data[] = {
		"schema/workflows/signal.ini", "schema/workflows/incident.ini",
		"schema/forms/signal.ini", "schema/forms/incident.ini",
		"schema/norms/nhn-weerbare-overheid.ini",
	};
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	char path[1024], suffix[4];
	size_t i;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/schema/messages/%s.ini", src, code);
	ini_words(path, 1, NULL, ws);
	snprintf(suffix, sizeof(suffix), ".%s", code);
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", src, data[i]);
		ini_words(path, 0, suffix, ws);
	}
	words_sort(ws);
}

/*
 * What a reader sees of page: the text between the tags and the title,
 * aria-label, placeholder and alt attributes, without the language switch
 * and what is marked translate="no" (the audit log's recorded rows).
 */
static void
visible_text(const char *page, struct buf *out)
{
	static const char *const attrs[] = {
		" title=\"", " aria-label=\"", " placeholder=\"", " alt=\"",
	};
	const char *p = page;

	buf_reset(out);
	while (*p) {
		const char *end;
		size_t i;

		if (*p != '<') {
			buf_add(out, p, 1);
			p++;
			continue;
		}
		end = strchr(p, '>');
		if (!end)
			break;
		if (strncmp(p, "<a ", 3) == 0 &&
		    memmem(p, (size_t)(end - p), "meldpunt-language-switch",
		           strlen("meldpunt-language-switch"))) {
			end = strstr(end, "</a>");
			assert_non_null(end);
			p = end + strlen("</a>");
			continue;
		}
		/* Recorded data shown as recorded (the audit log's rows). */
		if (memmem(p, (size_t)(end - p), " translate=\"no\"",
		           strlen(" translate=\"no\""))) {
			char close[32];
			size_t n = strcspn(p + 1, " >");

			assert_true(n < sizeof(close) - 4);
			snprintf(close, sizeof(close), "</%.*s>", (int)n, p + 1);
			end = strstr(end, close);
			assert_non_null(end);
			p = end + strlen(close);
			continue;
		}
		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			const char *a = memmem(p, (size_t)(end - p), attrs[i],
			                       strlen(attrs[i]));
			const char *q;

			if (!a)
				continue;
			a += strlen(attrs[i]);
			q = strchr(a, '"');
			if (q) {
				buf_add(out, " ", 1);
				buf_add(out, a, (size_t)(q - a));
				buf_add(out, " ", 1);
			}
		}
		buf_add(out, " ", 1);
		p = end + 1;
	}
}

/*
 * Blank every case number in text: they are random letters and digits
 * (2026-DE7K-3M), and a run of their letters read as a word ("de") is no
 * Dutch text.
 */
static void
blank_case_numbers(struct buf *text)
{
	char window[CASE_NUMBER_LEN + 1], number[CASE_NUMBER_LEN + 1];
	size_t i;

	for (i = 0; i + CASE_NUMBER_LEN <= text->len; i++) {
		if (i && isalnum((unsigned char)text->data[i - 1]))
			continue;
		memcpy(window, text->data + i, CASE_NUMBER_LEN);
		window[CASE_NUMBER_LEN] = '\0';
		if (case_number_parse(window, number) == 0)
			memset(text->data + i, ' ', CASE_NUMBER_LEN);
	}
}

/* The Dutch words (of dutch, not of english) on page, into found. */
static void
dutch_on_page(const char *page, const struct words *dutch,
              const struct words *english, struct buf *found)
{
	struct buf text = BUF_INIT;
	struct words seen = { 0 };
	size_t i;

	visible_text(page, &text);
	blank_case_numbers(&text);
	words_add_text(&seen, text.data, text.len);
	words_sort(&seen);
	for (i = 0; i < seen.n; i++) {
		if (i && strcmp(seen.w[i], seen.w[i - 1]) == 0)
			continue;
		if (words_has(dutch, seen.w[i]) && !words_has(english, seen.w[i]))
			buf_addf(found, " %s", seen.w[i]);
	}
	words_free(&seen);
	buf_release(&text);
}

/*
 * Every staff page in English (?lang=en), filled with the data of setup,
 * shows no word that only the Dutch texts use. Each page answers 200.
 */
static void
test_staff_pages_english(void **state)
{
	static const char *const pages[] = {
		"/beheer", "/beheer/inloggen", "/beheer/wachtwoord", "/beheer/meldingen?type=signal",
		"/beheer/meldingen?type=incident", "/beheer/melding?id={#1}",
		"/beheer/melding?id={#2}", "/beheer/bedragen", "/beheer/registreren",
		"/beheer/registreren/signaal", "/beheer/registreren/agressie",
		"/beheer/overleg", "/beheer/overleg/vergadering?id=1",
		"/beheer/overleg/verslag?id=1", "/beheer/overleg/signaal?id={#1}",
		"/beheer/statistiek", "/beheer/norm?jaar=2026",
		"/beheer/norm/jaarverslag?jaar=2026", "/beheer/auditlog",
		"/beheer/gebruikers", "/beheer/gebruikers/nieuw",
		"/beheer/gebruikers/gebruiker?naam=chief", "/beheer/tokens",
	};
	struct fixture *f = *state;
	struct words dutch = { 0 }, english = { 0 };
	struct buf page = BUF_INIT, path = BUF_INIT, found = BUF_INIT;
	struct buf all = BUF_INIT, norm = BUF_INIT;
	const char *p;
	size_t i;

	language_words("nl", &dutch);
	language_words("en", &english);
	/* The sanity of the measure: a Dutch page is caught. */
	assert_int_equal(get(f, "/beheer/melding?id={#1}&lang=nl", &page), 200);
	dutch_on_page(page.data, &dutch, &english, &found);
	assert_true(found.len > 0);
	buf_reset(&found);
	/* ...and a case number whose letters spell "de" or "het" is not. */
	dutch_on_page("<p>Case 2026-DE7K-3M, 2026-HET2-9Q</p>", &dutch,
	              &english, &found);
	assert_int_equal(found.len, 0);

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		buf_reset(&path);
		buf_addf(&path, "%s%slang=en", pages[i],
		         strchr(pages[i], '?') ? "&" : "?");
		if (get(f, path.data, &page) != 200)
			fail_msg("%s did not answer 200", path.data);
		buf_reset(&found);
		dutch_on_page(page.data, &dutch, &english, &found);
		if (found.len)
			buf_addf(&all, "%s:%s\n", pages[i], found.data);
	}
	/* Every norm item's own page, each linked from the year page. */
	assert_int_equal(get(f, "/beheer/norm?jaar=2026&lang=en", &norm), 200);
	for (p = norm.data, i = 0;
	     (p = strstr(p, "href=\"/beheer/norm/onderdeel?")) != NULL; i++) {
		const char *q;

		p += strlen("href=\"");
		q = strchr(p, '"');
		assert_non_null(q);
		buf_reset(&path);
		for (; p < q; p++) {
			if (strncmp(p, "&amp;", 5) == 0) {
				buf_add(&path, "&", 1);
				p += 4;
			} else {
				buf_add(&path, p, 1);
			}
		}
		buf_adds(&path, "&lang=en");
		if (get(f, path.data, &page) != 200)
			fail_msg("%s did not answer 200", path.data);
		buf_reset(&found);
		dutch_on_page(page.data, &dutch, &english, &found);
		if (found.len)
			buf_addf(&all, "%s:%s\n", path.data, found.data);
	}
	assert_true(i >= 40);
	if (all.len) {
		printf("Dutch words on English pages:\n%s", all.data);
		fail_msg("Dutch words on English pages (listed above)");
	}
	words_free(&dutch);
	words_free(&english);
	buf_release(&page);
	buf_release(&path);
	buf_release(&found);
	buf_release(&all);
	buf_release(&norm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_language_link_keeps_query),
		cmocka_unit_test(test_staff_pages_english),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
