/*
 * test_norm.c - the norm catalogue and the self-assessment.
 *
 * The catalogue against the norm's own text (tests/data, a copy of the
 * published norm): every item number the text has, in order, and every
 * text of the catalogue word for word in it. The loader's messages name
 * file and line. The assessment in core: saved, refused with every
 * problem named and nothing changed, baseline and previous year, counts.
 * Over HTTP against the real server: the pages per role, the form's
 * validation with answers kept, the change against the baseline and the
 * previous year, the indicators against known counts and against the
 * statistics computed in this process, the annual report's CSV and JSON
 * read back, and the audit rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "norm.h"
#include "report.h"
#include "stats.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

/*
 * The text with every run of white space as one space, and footnote
 * marks (digits right after a letter, a closing quote or bracket, as in
 * "driehoek2.") left out: the same on both sides of a comparison.
 */
static char *
normalise(const char *s)
{
	struct buf b = BUF_INIT;
	int space = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    ch == '\f' || ch == '\v') {
			space = 1;
			continue;
		}
		if (space && b.len)
			buf_addch(&b, ' ');
		space = 0;
		if (ch >= '0' && ch <= '9' && b.len) {
			unsigned char prev = (unsigned char)b.data[b.len - 1];

			/* ’ ends in 0x99; letters, ')' */
			if ((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') ||
			    prev == ')' || (prev == 0x99 && b.len >= 3 &&
			    (unsigned char)b.data[b.len - 3] == 0xE2)) {
				while (s[1] >= '0' && s[1] <= '9')
					s++;
				continue;
			}
		}
		buf_addch(&b, ch);
	}
	return buf_detach(&b, NULL);
}

static void
read_source(struct buf *text)
{
	const char *dir = getenv("MELDPUNT_SOURCE_DIR");
	struct buf path = BUF_INIT;

	assert_non_null(dir);
	buf_addf(&path, "%s/tests/data/norm-weerbare-overheid.txt", dir);
	assert_int_equal(test_read_file(path.data, text), 0);
	buf_release(&path);
}

/* The item numbers in the norm's text: a line starting "N.M Wij" (or "We"). */
static size_t
source_items(const char *text, char numbers[][8], size_t max)
{
	const char *line = text;
	size_t n = 0;

	while (line && *line) {
		const char *p = line, *q;

		while (*p == ' ' || *p == '\f' || *p == '\t')
			p++;
		q = p;
		if (*q >= '1' && *q <= '6' && q[1] == '.') {
			q += 2;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p + 2 && q - p <= 5) {
				size_t len = (size_t)(q - p);

				if (*q == '.')
					q++;
				if (*q == ' ' && (strncmp(q + 1, "Wij ", 4) == 0 ||
				                  strncmp(q + 1, "We ", 3) == 0)) {
					assert_true(n < max);
					memcpy(numbers[n], p, len);
					numbers[n++][len] = '\0';
				}
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

static void
assert_in_source(const char *norm_source, const char *text, const char *what)
{
	char *t = normalise(text);

	if (!strstr(norm_source, t))
		fail_msg("%s is not in the norm's text: %s", what, text);
	free(t);
}

static void
test_catalogue_complete(void **state)
{
	const struct norm_catalogue *c;
	struct buf src = BUF_INIT;
	char numbers[80][8], *norm_src;
	/* Items per theme, as the norm has them. */
	static const size_t per_theme[] = { 5, 11, 10, 7, 12, 2 };
	size_t n, i, k;

	(void)state;
	assert_int_equal(norm_catalogue_load(), 0);
	c = norm_catalogue();
	assert_non_null(c);
	read_source(&src);
	n = source_items(src.data, numbers, 80);
	assert_int_equal(n, 47);
	assert_int_equal(c->nitems, n);
	for (i = 0; i < n; i++)
		assert_string_equal(c->items[i].number, numbers[i]);
	assert_string_equal(c->items[0].number, "1.1");
	assert_string_equal(c->items[n - 1].number, "6.2");
	assert_int_equal(c->nthemes, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(c->themes[i].count, per_theme[i]);
	assert_int_equal(c->goal_year, 2027);

	norm_src = normalise(src.data);
	for (i = 0; i < c->nthemes; i++)
		assert_in_source(norm_src, c->themes[i].title[NORM_NL], "a theme");
	for (i = 0; i < c->nitems; i++) {
		const struct norm_item *it = &c->items[i];

		assert_in_source(norm_src, it->text[NORM_NL], it->number);
		if (it->group[NORM_NL])
			assert_in_source(norm_src, it->group[NORM_NL], "a group");
		if (it->footnote[NORM_NL])
			assert_in_source(norm_src, it->footnote[NORM_NL], "a footnote");
		for (k = 0; k < it->nstatements; k++)
			assert_in_source(norm_src, it->statements[k].text[NORM_NL],
			                 it->number);
		/* The English pages have every text in English (issue 18
		 * point 6). */
		if (!it->text[NORM_EN] || (it->footnote[NORM_NL] &&
		                           !it->footnote[NORM_EN]) ||
		    (it->group[NORM_NL] && !it->group[NORM_EN]))
			fail_msg("item %s has no English text", it->number);
		for (k = 0; k < it->nstatements; k++)
			if (!it->statements[k].text[NORM_EN])
				fail_msg("statement %zu of item %s has no English "
				         "text", k + 1, it->number);
	}
	/* Sub-statements are there, under the right item. */
	assert_int_equal(norm_item_find(c, "1.2")->nstatements, 5);
	assert_int_equal(norm_item_find(c, "1.3")->nstatements, 7);
	assert_string_equal(norm_item_find(c, "3.7")->statements[0].text[NORM_NL],
	                    "Alle voorvallen van agressie en geweld worden "
	                    "geregistreerd.");
	assert_int_equal(norm_item_find(c, "5.2")->statements[2].level, 3);
	assert_int_equal(norm_item_find(c, "5.12")->nstatements, 5);
	assert_null(norm_item_find(c, "6.3"));
	assert_null(norm_item_find(c, "1.2.1"));
	free(norm_src);
	buf_release(&src);
}

/* Parse text; its errors must hold each of the expected lines. */
static void
expect_errors(const char *text, const char *const *expected)
{
	struct norm_catalogue *c = NULL;
	struct buf errors = BUF_INIT;

	assert_int_equal(norm_catalogue_parse("x.ini", text, &c, &errors), -1);
	assert_null(c);
	for (; *expected; expected++)
		if (!strstr(errors.data, *expected))
			fail_msg("expected \"%s\" in:\n%s", *expected, errors.data);
	buf_release(&errors);
}

#define HEAD "[norm]\nname.nl = N\ngoal_year = 2027\n[theme 1]\ntitle.nl = T\n"

static void
test_catalogue_errors(void **state)
{
	struct norm_catalogue *c = NULL;
	struct buf errors = BUF_INIT;

	(void)state;
	/* A good one, with a text over two lines. */
	assert_int_equal(norm_catalogue_parse("x.ini", HEAD "[item 1.1]\n"
	                 "text.nl = Wij doen\n\tdit.\n[statement 1.1.1]\n"
	                 "text.nl = S\n[statement 1.1.2]\nlevel = 2\ntext.nl = L\n",
	                 &c, &errors), 0);
	assert_string_equal(c->items[0].text[NORM_NL], "Wij doen dit.");
	assert_int_equal(c->items[0].statements[1].level, 2);
	norm_catalogue_free(c);

	expect_errors(HEAD "[item 1.2]\ntext.nl = x\n", (const char *[]){
		"x.ini:6: [item 1.2] is out of order", NULL });
	expect_errors(HEAD "[item 1.1]\ntext.nl = x\ncolour = red\n",
	              (const char *[]){ "x.ini:8: unknown key colour", NULL });
	expect_errors(HEAD "[item 1.1]\n[theme 2]\ntitle.nl = U\n[item 2.1]\n"
	              "text.nl = y\n", (const char *[]){
		"x.ini:6: an item needs text.nl", NULL });
	expect_errors(HEAD "[item 1.1]\ntext.nl = x\n[statement 1.1.1]\n"
	              "level = 3\ntext.nl = s\n", (const char *[]){
		"x.ini:8: level 3 follows level 0", NULL });
	expect_errors(HEAD "[item 1.1]\ntext.nl = x\ntext.nl = again\n",
	              (const char *[]){ "x.ini:8: text.nl is given twice", NULL });
	expect_errors(HEAD "[item 1.1]\ntext.nl = x\n[statement 1.2.1]\n"
	              "text.nl = s\n", (const char *[]){
		"x.ini:8: [statement 1.2.1] is out of order", NULL });
	expect_errors(HEAD "[theme 1]\ntitle.nl = again\n", (const char *[]){
		"x.ini:6: [theme 1] is out of order",
		"x.ini:4: theme 1 has no items", NULL });
	expect_errors("[theme 1]\ntitle.nl = T\n[item 1.1]\ntext.nl = x\n",
	              (const char *[]){ "x.ini: the [norm] section is missing",
	              NULL });
	expect_errors(HEAD "[item 1.1]\ntext.nl = x\nthis is no ini\n",
	              (const char *[]){ "x.ini:8: cannot parse this line", NULL });
	expect_errors(HEAD "[chapter 1]\n", (const char *[]){
		"x.ini:6: unknown section [chapter 1]", NULL });
	buf_release(&errors);
}

/* Saving as a person: failed at each statement, refused, invalid. */
struct save_as {
	struct installation *inst;
	struct actor actor;
	struct norm_assessment a;
	struct outcome o;
};

static int
act_save(void *arg)
{
	struct save_as *x = arg;
	struct norm_problem probs[NORM_PROBLEMS_MAX];
	size_t n = 0;

	return norm_save_as(x->inst->db, &x->actor, &limits_default,
	                    norm_this_year(), "3.1", &x->a, 0, probs,
	                    NORM_PROBLEMS_MAX, &n, &x->o) == VERDICT_DONE ? 0 : -1;
}

static void
test_save_as(void **state)
{
	struct norm_problem probs[NORM_PROBLEMS_MAX];
	struct norm_action actions[2];
	struct install_result res;
	struct save_as x;
	struct buf path = BUF_INIT;
	char *dir = test_tmpdir("norm-save-as");
	size_t n;

	(void)state;
	assert_int_equal(norm_catalogue_load(), 0);
	assert_int_equal(install_create(dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(dir, 0, &x.inst), 0);
	buf_addf(&path, "%s/meldpunt.db", dir);
	memset(&x.a, 0, sizeof(x.a));
	memset(actions, 0, sizeof(actions));
	x.actor = (struct actor){ 3, "hr1", ROLE_HR, NULL, 0 };
	x.a.status = NORM_PARTLY;
	x.a.explanation = "Het protocol is er, het uitdragen nog niet.";
	x.a.evidence = "Agressieprotocol";
	actions[0].text = "Protocol op intranet";
	actions[0].owner = "Teamleider VPT";
	actions[1].text = "Training";
	actions[1].owner = "HR";
	snprintf(actions[0].due, sizeof(actions[0].due), "%04u-03-01",
	         (unsigned)(norm_this_year() + 1) % 10000u);
	snprintf(actions[1].due, sizeof(actions[1].due), "%04u-06-01",
	         (unsigned)(norm_this_year() + 1) % 10000u);
	x.a.actions = actions;
	x.a.nactions = 2;
	assert_true(test_fail_each(x.inst->db, path.data, act_save, &x) > 0);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'norm-save' AND result = 'ok'"), 1);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM norm_actions"), 2);

	/* Another role: refused and audited, nothing changed. */
	x.actor = (struct actor){ 4, "auditor1", ROLE_AUDITOR, NULL, 0 };
	x.a.status = NORM_MEETS;
	assert_int_equal(act_save(&x), -1);
	assert_int_equal(x.o.verdict, VERDICT_REFUSED);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " actor = 'auditor1' AND action = 'norm-save'"
	                 " AND result = 'refused'"), 1);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM norm_assessments"
	                 " WHERE status = 'meets'"), 0);
	/* The caller's parse found problems: checked, not stored. */
	x.actor = (struct actor){ 3, "hr1", ROLE_HR, NULL, 0 };
	for (x.a.status = NORM_NONE; x.a.status <= NORM_MEETS; x.a.status++) {
		n = 0;
		assert_int_equal(norm_save_as(x.inst->db, &x.actor, &limits_default,
		                 norm_this_year(), "3.1", &x.a, 1, probs,
		                 NORM_PROBLEMS_MAX, &n, &x.o), VERDICT_INVALID);
		/* Without a status, that is a problem of its own. */
		assert_int_equal(n, x.a.status == NORM_NONE);
		assert_true(!n || probs[0].code == NORM_BAD_STATUS);
	}
	assert_int_equal(test_count(dir, "SELECT count(*) FROM norm_assessments"
	                 " WHERE status = 'meets'"), 0);
	/* Exports: audited, a refusal too. */
	assert_int_equal(norm_export_as(x.inst->db, &x.actor, 2026, "json", &x.o),
	                 VERDICT_DONE);
	x.actor = (struct actor){ 4, "auditor1", ROLE_AUDITOR, NULL, 0 };
	assert_int_equal(norm_export_as(x.inst->db, &x.actor, 2026, "items.csv",
	                                &x.o), VERDICT_REFUSED);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'norm-export' AND ((actor = 'hr1' AND object ="
	                 " 'norm 2026 json' AND result = 'ok') OR (actor ="
	                 " 'auditor1' AND object = 'norm 2026 items.csv' AND"
	                 " result = 'refused'))"), 2);
	assert_int_equal(install_close(x.inst), 0);
	buf_release(&path);
	test_rmtree(dir);
	free(dir);
}

static void
test_storage(void **state)
{
	struct norm_problem probs[NORM_PROBLEMS_MAX];
	struct norm_action actions[LIMIT_NORM_ACTIONS_MAX + 1];
	struct norm_assessment a;
	struct install_result res;
	struct installation *inst;
	struct norm_year y;
	struct norm_counts themes[6], total;
	const struct norm_catalogue *c;
	char *dir = test_tmpdir("norm-core"), *longtext;
	int base, prev;
	size_t i;

	(void)state;
	assert_int_equal(norm_catalogue_load(), 0);
	c = norm_catalogue();
	assert_int_equal(install_create(dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(dir, 0, &inst), 0);

	memset(&a, 0, sizeof(a));
	memset(actions, 0, sizeof(actions));
	a.status = NORM_PARTLY;
	a.explanation = "Het protocol is er, het uitdragen nog niet.";
	a.evidence = "Agressieprotocol 2025";
	actions[0].text = "Protocol op intranet";
	actions[0].owner = "Teamleider VPT";
	snprintf(actions[0].due, sizeof(actions[0].due), "2026-03-01");
	a.actions = actions;
	a.nactions = 1;
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2025, 2026, "3.1",
	                           &a, "hr1"), 0);
	a.status = NORM_MEETS;
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2026, 2026, "3.1",
	                           &a, "hr1"), 0);
	a.status = NORM_NA;
	a.nactions = 0;
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2026, 2026, "5.8",
	                           &a, "hr1"), 0);

	/* Refusals: each names its field, and nothing is stored. */
	a.status = NORM_NONE;
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_int_equal(probs[0].code, NORM_BAD_STATUS);
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2026, 2026, "3.1",
	                           &a, "x"), 1);
	a.status = NORM_MEETS;
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2023, 2026, "3.1",
	                           &a, "x"), 1);
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2028, 2026, "3.1",
	                           &a, "x"), 1);
	assert_int_equal(norm_save(inst->db, c, &limits_default, 2026, 2026, "3.11",
	                           &a, "x"), 1);
	longtext = malloc(LIMIT_NORM_TEXT_MAX + 2);
	memset(longtext, 'a', LIMIT_NORM_TEXT_MAX + 1);
	longtext[LIMIT_NORM_TEXT_MAX + 1] = '\0';
	a.evidence = longtext;
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_int_equal(probs[0].code, NORM_TOO_LONG);
	assert_string_equal(probs[0].field, "evidence");
	longtext[LIMIT_NORM_TEXT_MAX] = '\0';	/* at the limit: fine */
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 0);
	a.evidence = "";
	a.nactions = 1;
	snprintf(actions[0].due, sizeof(actions[0].due), "2026-02-29");
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_int_equal(probs[0].code, NORM_BAD_DATE);
	assert_string_equal(probs[0].field, "action_due_1");
	actions[0].due[0] = '\0';
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_int_equal(probs[0].code, NORM_ACTION_INCOMPLETE);
	snprintf(actions[0].due, sizeof(actions[0].due), "2028-02-29");
	actions[0].owner = "Twee\nregels";
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_string_equal(probs[0].field, "action_owner_1");
	actions[0].owner = "Teamleider VPT";
	for (i = 0; i <= LIMIT_NORM_ACTIONS_MAX; i++)
		actions[i] = actions[0];
	a.nactions = LIMIT_NORM_ACTIONS_MAX;
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 0);
	a.nactions = LIMIT_NORM_ACTIONS_MAX + 1;
	assert_int_equal(norm_check(c, &limits_default, 2026, 2026, "3.1", &a,
	                            probs, NORM_PROBLEMS_MAX), 1);
	assert_int_equal(probs[0].code, NORM_TOO_MANY_ACTIONS);
	/* Configured lower ([limits] norm_*): the configured values hold. */
	{
		struct limits lim = limits_default;

		lim.norm_actions_max = 2;
		lim.norm_text_max = 100;
		lim.norm_action_max = 30;
		lim.norm_owner_max = 14;
		a.nactions = 2;
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 0);
		a.nactions = 3;
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 1);
		assert_int_equal(probs[0].code, NORM_TOO_MANY_ACTIONS);
		a.nactions = 1;
		longtext[100] = '\0';
		a.explanation = longtext;
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 0);
		longtext[100] = 'a';
		longtext[101] = '\0';
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 1);
		assert_string_equal(probs[0].field, "explanation");
		a.explanation = "";
		actions[0].owner = "Teamleider VPT1";	/* 15 bytes */
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 1);
		assert_string_equal(probs[0].field, "action_owner_1");
		actions[0].owner = "Teamleider VPT";
		actions[0].text = "Een actiepunt dat langer is dan dertig tekens";
		assert_int_equal(norm_check(c, &lim, 2026, 2026, "3.1", &a, probs,
		                            NORM_PROBLEMS_MAX), 1);
		assert_string_equal(probs[0].field, "action_text_1");
	}
	free(longtext);

	assert_int_equal(norm_year_load(inst->db, c, 2026, &y), 0);
	assert_int_equal(y.assessed, 2);
	i = (size_t)norm_item_index(c, "3.1");
	assert_int_equal(y.items[i].status, NORM_MEETS);
	assert_int_equal(y.items[i].nactions, 1);
	assert_string_equal(y.items[i].actions[0].owner, "Teamleider VPT");
	assert_string_equal(y.items[i].updated_by, "hr1");
	norm_count(c, &y, themes, &total);
	assert_int_equal(themes[2].n[NORM_MEETS], 1);
	assert_int_equal(themes[4].n[NORM_NA], 1);
	assert_int_equal(total.n[NORM_NONE], 45);
	assert_int_equal(norm_applicable(&total, c->nitems), 46);
	norm_year_release(&y);

	assert_int_equal(norm_reference_years(inst->db, 2026, &base, &prev), 0);
	assert_int_equal(base, 2025);
	assert_int_equal(prev, 2025);
	assert_int_equal(norm_reference_years(inst->db, 2025, &base, &prev), 0);
	assert_int_equal(base, 2025);
	assert_int_equal(prev, 0);
	assert_int_equal(install_close(inst), 0);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM norm_assessments"), 3);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM norm_actions"), 2);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'norm-save'"), 3);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM audit_log WHERE"
	                 " object = 'norm 2026 item 3.1: status none->meets"
	                 " explanation evidence actions(1)'"), 1);
	test_rmtree(dir);
	free(dir);
}

/* The HTTP side. */
#define COORD_OTP "eenmalig-wachtwoord-coord"
#define VPT_OTP "eenmalig-wachtwoord-vpt"
#define HR_OTP "eenmalig-wachtwoord-hr"
#define MEMBER_OTP "eenmalig-wachtwoord-lid"
#define NEWPW "een heel lang wachtwoord"

struct login {
	struct buf cookie, csrf;
	struct secret *totp;
};

struct web {
	char *dir;
	char recovery[RECOVERY_TEXT_LEN + 1];
	struct test_server srv;
	struct login coord, vpt, hr, member;
	/* The statistics of 2025 as core computes them here: as vpt sees them
	 * (nothing hidden) and as others do (stats_suppress at 5). */
	struct stats_result r, rs;
};

static time_t
utc(int y, int m, int d, int h)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	return timegm(&tm);
}

static int64_t
submit(struct installation *inst, enum report_type type, time_t day,
       const char *stats)
{
	struct submission sub = {
		.type = type,
		.state = type == REPORT_SIGNAL ? "received" : "registered",
		.source = "web",
		.content = "{}", .content_len = 2,
		.stats = stats, .stats_len = strlen(stats),
	};
	char receipt[RECEIPT_TEXT_LEN + 1];
	int64_t id;

	clock_set(day);
	assert_int_equal(report_submit(inst, &sub, receipt, &id), 0);
	clock_set(0);
	return id;
}

#define INCIDENT(police) \
	"{\"answers\":{\"place\":\"counter\",\"kind\":[\"verbal\"]," \
	"\"victim_role\":\"employee\",\"police\":\"" police "\"}," \
	"\"form\":\"incident\"}"
#define SIGNAL(identity) \
	"{\"answers\":{\"phenomenon\":\"drugs\",\"identity\":\"" identity \
	"\"},\"form\":\"signal\"}"

/*
 * Known counts. 2025: 7 incidents, 5 with aangifte or melding; 6 signals,
 * 3 named, one handed to the RIEC. 2024: 2 incidents without police, 1
 * signal.
 */
static void
fill(struct installation *inst, const struct workflows *wfs)
{
	static const char *const walk[] = { "start_intake", "undermining",
	                                    "to_riec" };
	int64_t riec = 0;
	int i;

	for (i = 0; i < 7; i++)
		submit(inst, REPORT_INCIDENT, utc(2025, 1 + i, 10, 12),
		       i < 3 ? INCIDENT("aangifte") : i < 5 ? INCIDENT("melding")
		                                            : INCIDENT("none"));
	for (i = 0; i < 2; i++)
		submit(inst, REPORT_INCIDENT, utc(2024, 5, 1, 9), INCIDENT("none"));
	for (i = 0; i < 6; i++) {
		int64_t id = submit(inst, REPORT_SIGNAL, utc(2025, 2 + i, 3, 9),
		                    i % 2 ? SIGNAL("named") : SIGNAL("anonymous"));

		if (!i)
			riec = id;
	}
	submit(inst, REPORT_SIGNAL, utc(2024, 7, 1, 9), SIGNAL("anonymous"));
	for (i = 0; i < 3; i++) {
		const struct workflow_transition *tr = workflow_transition_find(
			workflows_get(wfs, REPORT_SIGNAL), walk[i]);
		struct workflow_field field[8];
		struct workflow_verdict v;

		assert_non_null(tr);
		clock_set(utc(2025, 2, 4 + i, 10));
		if (events_transition(inst, wfs, riec, walk[i], "coord",
		                      ROLE_COORDINATOR, field,
		                      test_step_fields(walk[i], field, 8), NULL,
		                      &v) != 0)
			fail_msg("%s refused: %s", walk[i], v.message);
		clock_set(0);
	}
}

static void
grant_stats(struct installation *inst, const struct secret *ring,
            const char *name)
{
	struct user u;

	assert_int_equal(users_find(inst->db, name, &u), 0);
	assert_int_equal(keyrings_grant(inst->db, KEYRING_STATISTICS, ring, u.id,
	                                u.public_key), 0);
	user_release(&u);
}

static void
login(struct web *w, struct login *l, const char *name, const char *otp)
{
	buf_init(&l->cookie);
	buf_init(&l->csrf);
	l->totp = test_staff_setup(&w->srv, name, otp, NEWPW, &l->cookie,
	                           &l->csrf);
	assert_non_null(l->totp);
}

static int
setup_web(void **state)
{
	struct web *w = calloc(1, sizeof(*w));
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct test_init ti;
	struct installation *inst;
	struct workflows *wfs;
	struct secret *rsk, *ring;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN], pk[CRYPTO_PUBLICKEY_LEN];
	struct stats_period p;

	w->dir = test_tmpdir("norm-web");
	test_init(w->dir, &ti);
	snprintf(w->recovery, sizeof(w->recovery), "%s", ti.recovery);
	assert_int_equal(install_open(w->dir, 0, &inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &wfs, NULL), 0);
	assert_int_equal(users_create(inst->db, "coord", "", ROLE_COORDINATOR,
	                 COORD_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "vpt1", "", ROLE_VPT, VPT_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "hr1", "", ROLE_HR, HR_OTP,
	                 &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(users_create(inst->db, "lid", "", ROLE_OVERLEG,
	                 MEMBER_OTP, &PWHASH_FAST, NULL, NULL, NULL), 0);
	assert_int_equal(recovery_parse(w->recovery, &rsk, rpk), 0);
	assert_int_equal(keyrings_recover(inst->db, KEYRING_STATISTICS, rpk, rsk,
	                                  &ring), 0);
	grant_stats(inst, ring, "coord");
	grant_stats(inst, ring, "vpt1");
	fill(inst, wfs);
	{
		struct ring_key key = { pk, ring };

		assert_int_equal(keyrings_public_key(inst->db, KEYRING_STATISTICS,
		                                     pk), 0);
		assert_int_equal(stats_period_parse(STATS_YEAR, "2025", NULL, NULL,
		                                    &p), 0);
		assert_int_equal(stats_compute(inst, wfs, &key, &p,
		                 STATS_WANT_INCIDENTS | STATS_WANT_SIGNALS, &w->r), 0);
		assert_int_equal(stats_compute(inst, wfs, &key, &p,
		                 STATS_WANT_INCIDENTS | STATS_WANT_SIGNALS, &w->rs), 0);
		stats_suppress(&w->rs, STATS_SMALL_NUMBER_DEFAULT);
	}
	secret_free(ring);
	secret_free(rsk);
	workflows_free(wfs);
	assert_int_equal(install_close(inst), 0);
	assert_int_equal(test_server_start(&w->srv, w->dir), 0);
	login(w, &w->coord, "coord", COORD_OTP);
	login(w, &w->vpt, "vpt1", VPT_OTP);
	login(w, &w->hr, "hr1", HR_OTP);
	login(w, &w->member, "lid", MEMBER_OTP);
	buf_release(&out);
	buf_release(&err);
	*state = w;
	return 0;
}

static void
login_release(struct login *l)
{
	buf_release(&l->cookie);
	buf_release(&l->csrf);
	secret_free(l->totp);
}

static int
teardown_web(void **state)
{
	struct web *w = *state;

	assert_int_equal(test_server_stop(&w->srv), 0);
	login_release(&w->coord);
	login_release(&w->vpt);
	login_release(&w->hr);
	login_release(&w->member);
	stats_result_release(&w->r);
	stats_result_release(&w->rs);
	test_rmtree(w->dir);
	free(w->dir);
	free(w);
	return 0;
}

static long
get(struct web *w, struct login *l, const char *path, struct buf *page)
{
	long status = 0;

	buf_reset(page);
	assert_int_equal(test_http_cookie(&w->srv, "GET", path, NULL,
	                 l->cookie.data, &status, NULL, page), 0);
	return status;
}

static long
post(struct web *w, struct login *l, struct buf *page, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* POST to the item form as l, with its CSRF token. */
static long
post(struct web *w, struct login *l, struct buf *page, const char *fmt, ...)
{
	struct buf body = BUF_INIT;
	va_list ap;
	long status = 0;

	buf_addf(&body, "csrf=%s&", l->csrf.data);
	va_start(ap, fmt);
	buf_vaddf(&body, fmt, ap);
	va_end(ap);
	buf_reset(page);
	assert_int_equal(test_http_cookie(&w->srv, "POST", "/beheer/norm/onderdeel",
	                 body.data, l->cookie.data, &status, NULL, page), 0);
	buf_release(&body);
	return status;
}

#define SAVES "SELECT count(*) FROM audit_log WHERE action = 'norm-save'"
#define ROWS "SELECT count(*) FROM norm_assessments"
#define STATE "SELECT (SELECT coalesce(group_concat(year || item ||" \
	" status || explanation || evidence, '|'), '') FROM norm_assessments)" \
	" || (SELECT coalesce(group_concat(action || owner || due), '')" \
	" FROM norm_actions)"

static char *
state_of(const char *dir)
{
	struct installation *inst;
	struct stmt *st = NULL;
	char *s;

	assert_int_equal(install_open(dir, DB_READONLY, &inst), 0);
	db_lock(inst->db);
	assert_int_equal(db_prepare(inst->db, &st, STATE), 0);
	assert_int_equal(stmt_step(st), DB_ROW);
	s = strdup(stmt_text(st, 0));
	stmt_finalize(st);
	db_unlock(inst->db);
	assert_int_equal(install_close(inst), 0);
	return s;
}

/* A refused POST: 400, message on the page, nothing changed. */
static void
refused(struct web *w, const char *message, const char *kept,
        const char *body)
{
	struct buf page = BUF_INIT;
	char *before = state_of(w->dir), *after;
	int64_t saves = test_count(w->dir, SAVES);

	assert_int_equal(post(w, &w->coord, &page, "%s", body), 400);
	if (!strstr(page.data, message))
		fail_msg("no \"%s\" in the answer to %s", message, body);
	if (kept && !strstr(page.data, kept))
		fail_msg("the answer \"%s\" was not kept", kept);
	after = state_of(w->dir);
	assert_string_equal(before, after);
	assert_int_equal(test_count(w->dir, SAVES), saves);
	free(before);
	free(after);
	buf_release(&page);
}

/* The integer at key of object o (asserted). */
static json_int_t
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/*
 * The figures of the 2025 annual report as l sees them are those of table
 * t in r (n rows): a number where r shows one, the hidden cell ("< 5",
 * "x") where r hides it, and null only for a row r does not have.
 */
static void
same_figures(struct web *w, struct login *l, const struct stats_result *r,
             enum stats_table_id t, size_t n)
{
	struct buf page = BUF_INIT;
	json_t *doc, *rows;
	json_error_t jerr;
	size_t i, seen = 0;
	char cell[32];

	assert_int_equal(get(w, l, "/beheer/norm/jaarverslag.json?jaar=2025",
	                     &page), 200);
	doc = json_loads(page.data, 0, &jerr);
	assert_non_null(doc);
	rows = json_object_get(json_object_get(doc, "figures"), "rows");
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		const char *name = json_string_value(json_object_get(row, "figure"));
		const struct stats_row *want = stats_find(&r->tables[t], name);
		int p;

		for (p = 0; p < 2; p++) {
			json_t *v = json_object_get(row, p ? "previous" : "value");

			if (!want)
				assert_true(json_is_null(v));
			else if (stats_row_hidden(want, p))
				assert_string_equal(json_string_value(v), stats_row_cell(
				                    t, want, p, STATS_SMALL_NUMBER_DEFAULT, 0,
				                    cell));
			else
				assert_int_equal(json_integer_value(v),
				                 p ? want->prev : want->now);
		}
		seen++;
	}
	assert_int_equal(seen, n);
	json_decref(doc);
	buf_release(&page);
}

static void
test_web(void **state)
{
	struct web *w = *state;
	struct buf page = BUF_INIT, big = BUF_INIT;
	json_t *doc, *total, *items;
	json_error_t jerr;
	size_t i;

	/* The page of a year nobody filled in. */
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=2025", &page), 200);
	assert_non_null(strstr(page.data, "Implementatieoverzicht 2025"));
	assert_non_null(strstr(page.data, "Onderdeel 4.7"));
	assert_non_null(strstr(page.data, "het eerste jaar dat u invult is de "
	                       "0-meting") || strstr(page.data, "Het eerste jaar"));
	assert_non_null(strstr(page.data, "helpen bij het oordeel, maar vervangen "
	                       "het niet"));
	assert_non_null(strstr(page.data, "Wij zijn partner van Meld Misdaad "
	                       "Anoniem (M.)."));

	/* 2025, the baseline. */
	assert_int_equal(post(w, &w->coord, &page, "jaar=2025&onderdeel=1.1&"
	                 "status=not&explanation=Nog+niet+belegd&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2025&onderdeel=1.2&"
	                 "status=partly&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2025&onderdeel=3.7&"
	                 "status=meets&explanation=Alles+geregistreerd&"
	                 "evidence=Meldpunt"), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2025&onderdeel=4.3&"
	                 "status=partly&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2025&onderdeel=2.1&"
	                 "status=na&explanation=&evidence="), 303);
	/* 2026: better, the same, worse, better, n.a., new. */
	assert_int_equal(post(w, &w->coord, &page, "jaar=2026&onderdeel=1.1&"
	                 "status=partly&explanation=Driehoek+besproken&evidence="),
	                 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2026&onderdeel=1.2&"
	                 "status=partly&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->vpt, &page, "jaar=2026&onderdeel=3.7&"
	                 "status=not&explanation=Achterstand&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2026&onderdeel=4.3&"
	                 "status=meets&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2026&onderdeel=2.1&"
	                 "status=na&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->hr, &page, "jaar=2026&onderdeel=6.2&"
	                 "status=meets&explanation=Eerst&evidence=Plan"), 303);
	/* An edit: explanation changed, an action point added. */
	assert_int_equal(post(w, &w->hr, &page, "jaar=2026&onderdeel=6.2&"
	                 "status=meets&explanation=Communicatieplan+2026&"
	                 "evidence=Plan&action_text_1=Campagne+voorjaar&"
	                 "action_owner_1=Adviseur+communicatie&"
	                 "action_due_1=2026-04-01"), 303);
	assert_int_equal(test_count(w->dir, SAVES), 12);
	assert_int_equal(test_count(w->dir, ROWS), 11);
	assert_int_equal(test_count(w->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'norm-save' AND actor = 'hr1' AND object ="
	                 " 'norm 2026 item 6.2: explanation actions(1)'"), 1);
	assert_int_equal(get(w, &w->coord, "/beheer/norm/onderdeel?jaar=2026&"
	                 "onderdeel=6.2", &page), 200);
	assert_non_null(strstr(page.data, "value=\"Adviseur communicatie\""));
	assert_non_null(strstr(page.data, ">Communicatieplan 2026</textarea>"));
	assert_non_null(strstr(page.data, "value=\"meets\" checked"));

	/* Refusals: a clear message, the answers kept, nothing changed. */
	refused(w, "Kies of de organisatie voldoet", "Mijn uitleg",
	        "jaar=2026&onderdeel=5.1&status=misschien&explanation=Mijn+uitleg"
	        "&evidence=");
	refused(w, "Kies of de organisatie voldoet", NULL,
	        "jaar=2026&onderdeel=5.1&explanation=&evidence=");
	buf_addf(&big, "jaar=2026&onderdeel=5.1&status=meets&evidence=&"
	         "explanation=");
	for (i = 0; i <= LIMIT_NORM_TEXT_MAX; i++)
		buf_addch(&big, 'a');
	refused(w, "Deze tekst is te lang: hoogstens 4000 tekens", NULL, big.data);
	refused(w, "Actiepunt 1: vul een bestaande datum in", "Training boa",
	        "jaar=2026&onderdeel=5.1&status=partly&explanation=&evidence=&"
	        "action_text_1=Training+boa&action_owner_1=Toezicht&"
	        "action_due_1=2026-02-30");
	refused(w, "Actiepunt 1: vul de omschrijving, de eigenaar en de datum",
	        "Zonder eigenaar", "jaar=2026&onderdeel=5.1&status=partly&"
	        "explanation=&evidence=&action_text_2=Zonder+eigenaar&"
	        "action_due_2=2026-05-01");
	buf_reset(&big);
	buf_addf(&big, "jaar=2026&onderdeel=5.1&status=partly&explanation=&"
	         "evidence=&action_text_1=Training&action_due_1=2026-05-01&"
	         "action_owner_1=");
	for (i = 0; i <= LIMIT_NORM_OWNER_MAX; i++)
		buf_addch(&big, 'b');
	refused(w, "Deze tekst is te lang: hoogstens 120 tekens", "Training",
	        big.data);
	buf_reset(&big);
	buf_addf(&big, "jaar=2026&onderdeel=5.1&status=partly&explanation=&"
	         "evidence=");
	for (i = 1; i <= LIMIT_NORM_ACTIONS_MAX + 1; i++)
		buf_addf(&big, "&action_text_%zu=A%zu&action_owner_%zu=B&"
		         "action_due_%zu=2026-05-01", i, i, i, i);
	refused(w, "Hoogstens 10 actiepunten per onderdeel", "A10", big.data);
	refused(w, "Dit onderdeel staat niet in de norm", NULL,
	        "jaar=2026&onderdeel=7.1&status=meets");
	refused(w, "Dit jaar kan niet", NULL,
	        "jaar=2031&onderdeel=5.1&status=meets");
	refused(w, "Dit jaar kan niet", NULL,
	        "jaar=20x6&onderdeel=5.1&status=meets");
	refused(w, "Dit jaar kan niet", NULL, "jaar=2023&onderdeel=5.1&status=na");
	/* Without the CSRF token: refused before the handler. */
	{
		long status;

		buf_reset(&page);
		assert_int_equal(test_http_cookie(&w->srv, "POST",
		                 "/beheer/norm/onderdeel", "jaar=2026&onderdeel=5.1&"
		                 "status=meets", w->coord.cookie.data, &status, NULL,
		                 &page), 0);
		assert_int_equal(status, 403);
		assert_int_equal(test_count(w->dir, SAVES), 12);
	}

	/* The year page: the change per item against baseline and previous. */
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=2026", &page), 200);
	assert_non_null(strstr(page.data, "De 0-meting is 2025"));
	{
		const char *p = strstr(page.data, "id=\"item-1-1\"");
		const char *q = strstr(page.data, "id=\"item-3-7\"");

		assert_non_null(p);
		assert_non_null(q);
		assert_non_null(strstr(p, "0-meting (2025)</dt><dd>Voldoet niet "
		                       "\xE2\x80\x93 verbeterd</dd>"));
		assert_non_null(strstr(q, "0-meting (2025)</dt><dd>Voldoet "
		                       "\xE2\x80\x93 achteruit</dd>"));
	}
	/* Summary row of theme 1: 2 partly, 3 not filled in; meets 0/5 in both. */
	assert_non_null(strstr(page.data, "1. Bewustwording &amp; Organisatie</th>"
	                       "<td>0</td><td>2</td><td>0</td><td>0</td><td>3</td>"
	                       "<td>0 / 5</td><td>0 / 5</td></tr>"));

	/*
	 * A third year: the change against the baseline (2025) and against
	 * the year before (2026) differ. 1.1: not, partly, now meets: better
	 * than both. 3.7: meets, not, now partly: worse than the baseline,
	 * better than last year. 1.2: partly throughout.
	 */
	assert_int_equal(post(w, &w->coord, &page, "jaar=2027&onderdeel=1.1&"
	                 "status=meets&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2027&onderdeel=3.7&"
	                 "status=partly&explanation=&evidence="), 303);
	assert_int_equal(post(w, &w->coord, &page, "jaar=2027&onderdeel=1.2&"
	                 "status=partly&explanation=&evidence="), 303);
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=2027", &page), 200);
	assert_non_null(strstr(page.data, "De 0-meting is 2025; het vorige "
	                       "ingevulde jaar is 2026."));
	{
		const char *p = strstr(page.data, "id=\"item-1-1\"");
		const char *q = strstr(page.data, "id=\"item-3-7\"");
		const char *r = strstr(page.data, "id=\"item-1-2\"");

		assert_non_null(strstr(p, "0-meting (2025)</dt><dd>Voldoet niet "
		                       "\xE2\x80\x93 verbeterd</dd>\n<dt>Vorig jaar "
		                       "(2026)</dt><dd>Voldoet deels \xE2\x80\x93 "
		                       "verbeterd</dd>"));
		assert_non_null(strstr(q, "0-meting (2025)</dt><dd>Voldoet "
		                       "\xE2\x80\x93 achteruit</dd>\n<dt>Vorig jaar "
		                       "(2026)</dt><dd>Voldoet niet \xE2\x80\x93 "
		                       "verbeterd</dd>"));
		assert_non_null(strstr(r, "0-meting (2025)</dt><dd>Voldoet deels "
		                       "\xE2\x80\x93 gelijk</dd>\n<dt>Vorig jaar "
		                       "(2026)</dt><dd>Voldoet deels \xE2\x80\x93 "
		                       "gelijk</dd>"));
	}
	/* Theme 1 in 2027: 1 meets, 1 partly; meets 1/5, 0/5 then, 0/5 last year. */
	assert_non_null(strstr(page.data, "1. Bewustwording &amp; Organisatie</th>"
	                       "<td>1</td><td>1</td><td>0</td><td>0</td><td>3</td>"
	                       "<td>1 / 5</td><td>0 / 5</td><td>0 / 5</td></tr>"));
	assert_non_null(strstr(page.data, "<th scope=\"col\">Voldoet in 2026"
	                       "</th>"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.json?"
	                 "jaar=2027", &page), 200);
	doc = json_loads(page.data, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(jint(doc, "baseline"), 2025);
	assert_int_equal(jint(doc, "previous"), 2026);
	assert_int_equal(jint(json_object_get(doc, "total"), "meets"), 1);
	json_decref(doc);
	assert_int_equal(test_count(w->dir, SAVES), 15);

	/* JSON of the annual report, read back. */
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.json?"
	                 "jaar=2026", &page), 200);
	doc = json_loads(page.data, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(jint(doc, "year"), 2026);
	assert_int_equal(jint(doc, "baseline"), 2025);
	assert_int_equal(jint(doc, "previous"), 2025);
	assert_int_equal(jint(doc, "goal_year"), 2027);
	total = json_object_get(doc, "total");
	assert_int_equal(jint(total, "meets"), 2);
	assert_int_equal(jint(total, "partly"), 2);
	assert_int_equal(jint(total, "not"), 1);
	assert_int_equal(jint(total, "na"), 1);
	assert_int_equal(jint(total, "not_assessed"), 41);
	assert_int_equal(jint(total, "applicable"), 46);
	total = json_object_get(doc, "baseline_total");
	assert_int_equal(jint(total, "meets"), 1);
	assert_int_equal(jint(total, "partly"), 2);
	assert_int_equal(jint(total, "not"), 1);
	items = json_object_get(doc, "items");
	assert_int_equal(json_array_size(items), 47);
	{
		json_t *it = json_array_get(items, 46);
		json_t *act = json_array_get(json_object_get(it, "actions"), 0);

		assert_string_equal(json_string_value(json_object_get(it, "item")),
		                    "6.2");
		assert_string_equal(json_string_value(json_object_get(it,
		                    "status")), "meets");
		assert_true(json_is_null(json_object_get(it, "baseline")));
		assert_string_equal(json_string_value(json_object_get(act,
		                    "owner")), "Adviseur communicatie");
		assert_string_equal(json_string_value(json_object_get(act, "due")),
		                    "2026-04-01");
	}
	json_decref(doc);

	/* CSV of the annual report, read back. */
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.csv?"
	                 "jaar=2026&tabel=summary", &page), 200);
	assert_non_null(strstr(page.data, "\xEF\xBB\xBFtheme;meets;partly;not;na;"
	                       "not_assessed;applicable;baseline_year;"
	                       "baseline_meets;baseline_applicable\r\n"
	                       "1;0;2;0;0;3;5;2025;0;5\r\n2;0;0;0;1;10;10;2025;0;10"
	                       "\r\n3;0;0;1;0;9;10;2025;1;10\r\n"));
	assert_non_null(strstr(page.data, "\r\ntotal;2;2;1;1;41;46;2025;1;46\r\n"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.csv?"
	                 "jaar=2026&tabel=items", &page), 200);
	assert_non_null(strstr(page.data, "\r\n6.2;6;meets;;;Communicatieplan "
	                       "2026;Plan;Campagne voorjaar (Adviseur communicatie, "
	                       "2026-04-01)\r\n"));
	assert_non_null(strstr(page.data, "\r\n1.1;1;partly;not;not;Driehoek "
	                       "besproken;;\r\n"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.csv?"
	                 "jaar=2026&tabel=nope", &page), 400);
	assert_int_equal(test_count(w->dir, "SELECT count(*) FROM audit_log WHERE"
	                 " action = 'norm-export'"), 4);

	/*
	 * Indicators of 2025. vpt1 sees the incidents unsuppressed: 7, 5 of
	 * them with the police (71%); the coordinator the signals, small
	 * numbers hidden: 6 received, 1 to the RIEC shown as "< 5".
	 */
	assert_int_equal(get(w, &w->vpt, "/beheer/norm?jaar=2025", &page), 200);
	assert_non_null(strstr(page.data, "<dt>Geregistreerde agressie-incidenten"
	                       "</dt><dd>7</dd>"));
	assert_non_null(strstr(page.data, "<dt>Met melding of aangifte bij de "
	                       "politie</dt><dd>5 (71%)</dd>"));
	assert_null(strstr(page.data, "Ontvangen signalen"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=2025", &page), 200);
	assert_non_null(strstr(page.data, "<dt>Ontvangen signalen</dt><dd>6</dd>"));
	assert_non_null(strstr(page.data, "<dt>Signalen overgedragen aan het RIEC"
	                       "</dt><dd>&lt; 5</dd>"));
	assert_non_null(strstr(page.data, "staan er als"));
	/* hr1 holds no statistiek key: the assessment, no indicators, why. */
	assert_int_equal(get(w, &w->hr, "/beheer/norm?jaar=2025", &page), 200);
	assert_non_null(strstr(page.data, "U ziet geen indicatoren"));
	assert_null(strstr(page.data, "Geregistreerde agressie-incidenten"));
	assert_non_null(strstr(page.data, "id=\"item-3-7\""));

	/*
	 * Every indicator equals what core computes here, hidden where the
	 * statistics hide it: vpt1's incidents unsuppressed, the
	 * coordinator's signals suppressed.
	 */
	same_figures(w, &w->vpt, &w->r, STATS_INCIDENTS, 13);
	same_figures(w, &w->coord, &w->rs, STATS_SIGNALS, 14);
	{
		const struct stats_table *sig = &w->r.tables[STATS_SIGNALS];

		/* Known counts: 6 signals, 3 named, 1 to the RIEC, none assigned,
		 * no meeting held. */
		assert_int_equal(stats_find(sig, "total")->now, 6);
		assert_int_equal(stats_find(sig, "named")->now, 3);
		assert_int_equal(stats_find(sig, "riec")->now, 1);
		assert_int_equal(stats_find(sig, "assigned")->now, 0);
		assert_int_equal(stats_find(sig, "meetings")->now, 0);
		assert_int_equal(stats_find(&w->r.tables[STATS_INCIDENTS],
		                            "police_notified")->now, 5);
	}
	assert_int_equal(get(w, &w->vpt, "/beheer/norm/jaarverslag.json?"
	                 "jaar=2025", &page), 200);
	doc = json_loads(page.data, 0, &jerr);
	assert_non_null(doc);
	json_decref(doc);
	assert_int_equal(get(w, &w->vpt, "/beheer/norm/jaarverslag.csv?jaar=2025&"
	                 "tabel=figures", &page), 200);
	assert_non_null(strstr(page.data, "\xEF\xBB\xBFitem;figure;2025;2024\r\n"
	                       "3.7;total;7;2\r\n3.7;police_notified;5;0\r\n"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag.csv?jaar=2025&"
	                 "tabel=figures", &page), 200);
	assert_non_null(strstr(page.data, "\r\n4.3;total;6;< 5\r\n"));
	assert_non_null(strstr(page.data, "\r\n4.7;riec;< 5;0\r\n"));
	assert_null(strstr(page.data, "police_notified"));
	assert_int_equal(get(w, &w->vpt, "/beheer/norm/jaarverslag?jaar=2025",
	                 &page), 200);
	assert_non_null(strstr(page.data, "id=\"figures\""));
	assert_non_null(strstr(page.data, "<th scope=\"row\">Nazorg gegeven</th>"));

	/* Others: bad years and items, and the roles without access. */
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=1999", &page), 400);
	assert_int_equal(get(w, &w->coord, "/beheer/norm/onderdeel?jaar=2026&"
	                 "onderdeel=1.9", &page), 400);
	assert_non_null(strstr(page.data, "Dit onderdeel staat niet in de norm"));
	assert_int_equal(get(w, &w->coord, "/beheer/norm/jaarverslag?jaar=2026&"
	                 "lang=en", &page), 200);
	assert_non_null(strstr(page.data, "The English texts of the norm are a "
	                       "translation"));
	assert_non_null(strstr(page.data, "In 2026 the organisation meets 2 of "
	                       "the 46 items that apply (4%)."));
	/* English pages give the norm's items in English (issue 18 point 6). */
	assert_int_equal(get(w, &w->coord, "/beheer/norm?jaar=2026&lang=en",
	                     &page), 200);
	assert_non_null(strstr(page.data, "<p class=\"utrecht-paragraph "
	                       "meldpunt-norm-text\">We place the ownership"));
	assert_null(strstr(page.data, "lang=\"nl\">"));
	assert_non_null(strstr(page.data, "<td>Improved</td>") ||
	                strstr(page.data, "Does not meet \xE2\x80\x93 improved"));

	/* A member of the signal meeting does not account for the norm. */
	assert_int_equal(get(w, &w->member, "/beheer/norm?jaar=2026", &page), 403);
	assert_int_equal(get(w, &w->member, "/beheer/norm/jaarverslag.json",
	                     &page), 403);
	assert_int_equal(post(w, &w->member, &page, "jaar=2026&onderdeel=5.1&"
	                      "status=meets"), 403);
	assert_int_equal(test_count(w->dir, SAVES), 15);
	buf_release(&page);
	buf_release(&big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_complete),
		cmocka_unit_test(test_catalogue_errors),
		cmocka_unit_test(test_storage),
		cmocka_unit_test(test_save_as),
		cmocka_unit_test_setup_teardown(test_web, setup_web, teardown_web),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
