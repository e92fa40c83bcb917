/*
 * test_integrity.c - integrity reports (issue 20) are a report type of
 * their own, read by the integrity coordinator alone: `init` and an
 * upgrade make the keyring integriteit sealed to the recovery key only
 * (the first admin does not hold it); the admin grants it with the
 * recovery key; handlers of signals and incidents cannot read an
 * integrity report, and its handler cannot read theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casework.h"
#include "install.h"
#include "keyring.h"
#include "keyrings.h"
#include "report.h"
#include "testutil.h"
#include "users.h"
#include "workflow.h"

#define SIGNAL "{\"answers\":{\"phenomenon\":\"drugs\",\"location\":" \
	"\"Molenweg 4\",\"identity\":\"anonymous\"}}"
#define INCIDENT "{\"answers\":{\"description\":\"Dreigement aan de " \
	"balie.\"}}"
#define INTEGRITY "{\"answers\":{\"kind\":\"conflict_of_interest\"," \
	"\"what\":\"Opdracht gegund aan de zwager van de teamleider.\"," \
	"\"identity\":\"anonymous\"}}"

/* The integrity report type, from the table (schema/forms/). */
static enum report_type
integrity(void)
{
	enum report_type t;

	assert_int_equal(report_type_parse("integrity", &t), 0);
	return t;
}

/* 1 when s holds the text want. */
static int
contains(const struct secret *s, const char *want)
{
	size_t n = strlen(want), i;

	for (i = 0; s && i + n <= s->len; i++)
		if (memcmp(s->bytes + i, want, n) == 0)
			return 1;
	return 0;
}

/* 1 when user_id holds keyring name. */
static int
holds(struct db *db, int64_t user_id, const char *name)
{
	char names[16][KEYRING_NAME_MAX + 1];
	size_t n = 0, i;
	int found = 0;

	assert_int_equal(keyrings_of_user(db, user_id, names, 16, &n), 0);
	for (i = 0; i < n; i++)
		found |= strcmp(names[i], name) == 0;
	return found;
}

static void
test_the_type(void **state)
{
	enum report_type t = integrity();

	(void)state;
	assert_string_equal(report_type_keyring(t), "integriteit");
	assert_int_equal(report_type_role(t), ROLE_INTEGRITY);
	assert_string_equal(report_type_path(t), "integriteit");
	assert_int_equal(report_type_first_admin(t), 0);
	assert_int_equal(role_parse("integrity"), ROLE_INTEGRITY);
	assert_int_equal(role_parse("confidant"), ROLE_CONFIDANT);
	assert_string_equal(role_name(ROLE_CONFIDANT), "confidant");
}

/*
 * The terms of the law in the workflow (issue 20 point 1): the
 * acknowledgement 7 days after receipt, met by its step; the feedback 3
 * months after the acknowledgement (entering assessment), met by a closing
 * step or by telling the reporter it takes longer; both shown to the
 * reporter (reporter.nl / reporter.en); retention per outcome.
 */
static void
test_the_terms(void **state)
{
	static const char *const feedback_met[] = {
		"not_admissible", "founded", "unfounded", "longer",
	};
	static const struct { const char *state; int days; } kept[] = {
		{ "not_admissible", 365 }, { "unfounded", 1826 },
		{ "founded", 3653 },
	};
	struct workflow *wf;
	const struct workflow_deadline *d;
	size_t i;

	(void)state;
	assert_int_equal(workflow_load_default(integrity(), &wf, NULL), 0);
	assert_int_equal(workflow_deadline_count(wf), 2);
	d = workflow_deadline_at(wf, 0);
	assert_string_equal(d->name, "acknowledgement");
	assert_int_equal(d->start, WORKFLOW_START_RECEIPT);
	assert_int_equal(d->unit, WORKFLOW_DAYS);
	assert_int_equal(d->amount, 7);
	assert_int_equal(d->met, WORKFLOW_MET_TRANSITION);
	assert_int_equal(d->nmet, 1);
	assert_string_equal(d->met_names[0], "acknowledge");
	assert_non_null(d->reporter[WORKFLOW_NL]);
	assert_non_null(d->reporter[WORKFLOW_EN]);
	assert_true(workflow_transition_find(wf, "acknowledge")->feedback);
	d = workflow_deadline_at(wf, 1);
	assert_string_equal(d->name, "feedback");
	assert_int_equal(d->start, WORKFLOW_START_ENTER);
	assert_string_equal(d->start_states[0], "assessment");
	assert_int_equal(d->unit, WORKFLOW_MONTHS);
	assert_int_equal(d->amount, 3);
	assert_int_equal(d->nmet, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(d->met_names[i], feedback_met[i]);
		assert_true(workflow_transition_find(wf, feedback_met[i])->feedback);
	}
	assert_non_null(d->reporter[WORKFLOW_NL]);
	assert_non_null(d->reporter[WORKFLOW_EN]);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		const struct workflow_state *st = workflow_state_find(wf,
		                                                      kept[i].state);

		assert_non_null(st);
		assert_true(st->final);
		assert_int_equal(st->retention_days, kept[i].days);
	}
	workflow_free(wf);
}

struct fixture {
	char *dir;
	struct installation *inst;
	struct workflows *wfs;
	struct secret *rsk;
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	int64_t admin;
};

static int64_t
submit(struct fixture *f, enum report_type t, const char *content,
       char receipt[RECEIPT_TEXT_LEN + 1])
{
	struct submission sub;
	int64_t id = 0;

	memset(&sub, 0, sizeof(sub));
	sub.type = t;
	sub.state = workflow_initial(workflows_get(f->wfs, t))->name;
	sub.source = "web";
	sub.content = content;
	sub.content_len = strlen(content);
	assert_int_equal(report_submit(f->inst, &sub, receipt, &id), 0);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct install_result res;
	struct user u;

	f->dir = test_tmpdir("integrity");
	assert_int_equal(install_create(f->dir, "admin", &PWHASH_FAST, &res), 0);
	assert_int_equal(install_open(f->dir, 0, &f->inst), 0);
	assert_int_equal(workflows_load_dir(NULL, &f->wfs, NULL), 0);
	assert_int_equal(recovery_parse(res.recovery_key, &f->rsk, f->rpk), 0);
	assert_int_equal(users_find(f->inst->db, "admin", &u), 0);
	f->admin = u.id;
	user_release(&u);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	workflows_free(f->wfs);
	assert_int_equal(install_close(f->inst), 0);
	secret_free(f->rsk);
	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* A handler of keyring ring with role, its keys as a login unlocks them. */
struct handler {
	struct actor_ring ring;
	struct actor a;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

static void
handler_make(struct fixture *f, struct handler *h, const char *name,
             unsigned role, const char *ring)
{
	uint8_t upk[CRYPTO_PUBLICKEY_LEN];
	int64_t uid;

	assert_int_equal(keyrings_recover(f->inst->db, ring, f->rpk, f->rsk,
	                                  &h->sk), 0);
	assert_int_equal(keyrings_public_key(f->inst->db, ring, h->pk), 0);
	assert_int_equal(users_create(f->inst->db, name, "", role,
	                 "een heel lang wachtwoord", &PWHASH_FAST, &uid, upk,
	                 NULL), 0);
	/* The admin grants it with the recovery key. */
	assert_int_equal(keyrings_grant_as(f->inst->db, "admin", ring, h->sk,
	                                   uid, upk), 0);
	h->ring = (struct actor_ring){ ring, h->pk, h->sk };
	h->a = (struct actor){ uid, name, role, &h->ring, 1 };
}

static void
test_first_admin_does_not_hold_it(void **state)
{
	struct fixture *f = *state;
	struct secret *sk = NULL;

	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'integriteit'"), 1);
	assert_false(holds(f->inst->db, f->admin, "integriteit"));
	assert_true(holds(f->inst->db, f->admin, "signalen"));
	assert_true(holds(f->inst->db, f->admin, "agressie"));
	assert_true(holds(f->inst->db, f->admin, "statistiek"));
	/* The recovery key opens it. */
	assert_int_equal(keyrings_recover(f->inst->db, "integriteit", f->rpk,
	                                  f->rsk, &sk), 0);
	secret_free(sk);
}

static void
test_each_reads_its_own(void **state)
{
	struct fixture *f = *state;
	struct handler integ, coord, vpt;
	int64_t ir, sr, inc;
	char receipt[RECEIPT_TEXT_LEN + 1], other[RECEIPT_TEXT_LEN + 1];
	struct case_view v;
	struct outcome o;

	handler_make(f, &integ, "integ1", ROLE_INTEGRITY, "integriteit");
	handler_make(f, &coord, "coord1", ROLE_COORDINATOR, "signalen");
	handler_make(f, &vpt, "vpt1", ROLE_VPT, "agressie");
	assert_true(holds(f->inst->db, integ.a.user_id, "integriteit"));
	ir = submit(f, integrity(), INTEGRITY, receipt);
	sr = submit(f, REPORT_SIGNAL, SIGNAL, other);
	inc = submit(f, REPORT_INCIDENT, INCIDENT, other);
	assert_int_equal(test_count(f->dir, "SELECT count(*) FROM reports"
	                 " WHERE type = 'integrity'"), 1);

	/* The integrity coordinator reads the integrity report ... */
	assert_int_equal(casework_read(f->inst, &integ.a, ir, &v, &o),
	                 VERDICT_DONE);
	assert_true(contains(v.content, "zwager van de teamleider"));
	case_view_release(&v);
	/* ... and neither the signal nor the incident. */
	assert_int_equal(casework_read(f->inst, &integ.a, sr, &v, &o),
	                 VERDICT_REFUSED);
	assert_true(casework_no_keyring(&o));
	assert_int_equal(casework_read(f->inst, &integ.a, inc, &v, &o),
	                 VERDICT_REFUSED);
	assert_true(casework_no_keyring(&o));
	/* Their handlers read their own and not the integrity report. */
	assert_int_equal(casework_read(f->inst, &coord.a, sr, &v, &o),
	                 VERDICT_DONE);
	case_view_release(&v);
	assert_int_equal(casework_read(f->inst, &coord.a, ir, &v, &o),
	                 VERDICT_REFUSED);
	assert_true(casework_no_keyring(&o));
	assert_int_equal(casework_read(f->inst, &vpt.a, inc, &v, &o),
	                 VERDICT_DONE);
	case_view_release(&v);
	assert_int_equal(casework_read(f->inst, &vpt.a, ir, &v, &o),
	                 VERDICT_REFUSED);
	assert_true(casework_no_keyring(&o));
	/* The signal and incident keys do not open its envelopes either. */
	{
		struct reporter_access acc;
		struct secret *out = NULL;

		assert_int_equal(report_access(f->inst, receipt, &acc), 0);
		assert_int_equal(acc.report_id, ir);
		assert_int_equal(report_content_open(f->inst, ir, acc.locator,
		                 coord.pk, coord.sk, &out), -1);
		assert_int_equal(report_content_open(f->inst, ir, acc.locator,
		                 vpt.pk, vpt.sk, &out), -1);
		assert_int_equal(report_content_open(f->inst, ir, acc.locator,
		                 integ.pk, integ.sk, &out), 0);
		secret_free(out);
		report_access_release(&acc);
	}
	secret_free(integ.sk);
	secret_free(coord.sk);
	secret_free(vpt.sk);
}

/*
 * An installation of schema 24 (before integrity reports) opened by this
 * program: the keyring is made, sealed to the recovery key alone; no
 * report, message, file, event or note is lost by the table rebuild; the
 * rebuilt tables take the new type and roles.
 */
static void
test_upgrade_makes_the_keyring(void **state)
{
	static const char *const tables[] = {
		"reports", "messages", "attachments", "report_events", "notes",
		"report_links", "meeting_items", "outbox", "user_roles",
	};
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	char *dir = test_tmpdir("integrity-upgrade");
	struct buf from = BUF_INIT, sql = BUF_INIT;
	struct installation *inst;
	int64_t before[sizeof(tables) / sizeof(tables[0])];
	struct user u;
	size_t i;

	(void)state;
	assert_non_null(src);
	buf_addf(&from, "%s/tests/data/fixtures/v0.1.0-s24", src);
	test_copy_files(from.data, dir);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		buf_reset(&sql);
		buf_addf(&sql, "SELECT count(*) FROM %s", tables[i]);
		before[i] = test_count(dir, sql.data);
	}
	assert_true(before[0] > 0 && before[1] > 0 && before[2] > 0 &&
	            before[3] > 0 && before[4] > 0);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'integriteit'"), 0);

	assert_int_equal(install_open(dir, 0, &inst), 0);
	assert_int_equal(users_find(inst->db, "admin", &u), 0);
	assert_false(holds(inst->db, u.id, "integriteit"));
	assert_true(holds(inst->db, u.id, "signalen"));
	user_release(&u);
	assert_int_equal(install_close(inst), 0);

	assert_int_equal(test_count(dir, "SELECT count(*) FROM keyrings"
	                 " WHERE name = 'integriteit'"), 1);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM keyring_members"
	                 " m JOIN keyrings k ON k.id = m.keyring_id"
	                 " WHERE k.name = 'integriteit'"), 0);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		buf_reset(&sql);
		buf_addf(&sql, "SELECT count(*) FROM %s", tables[i]);
		assert_int_equal(test_count(dir, sql.data), before[i]);
	}
	/* The widened checks, and the indexes and triggers remade. */
	assert_int_equal(test_count(dir, "SELECT count(*) FROM sqlite_master"
	                 " WHERE name IN ('reports_type_state',"
	                 " 'stats_chunks_report_stats',"
	                 " 'stats_chunks_report_gone')"), 3);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM sqlite_master"
	                 " WHERE sql LIKE '%''integrity''%' AND name IN"
	                 " ('reports', 'purged_counts', 'user_roles')"), 3);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM sqlite_master"
	                 " WHERE sql LIKE '%''confidant''%'"
	                 " AND name = 'user_roles'"), 1);
	buf_release(&from);
	buf_release(&sql);
	test_rmtree(dir);
	free(dir);
}

/* 1 when body holds want. */
static int
has(const struct buf *body, const char *want)
{
	return body->data && strstr(body->data, want) != NULL;
}

/*
 * Through the server: the start page offers the third form with its
 * texts in Dutch and English; the form says who reads it, what the law
 * protects and where else to report; a filed integrity report gives a
 * receipt and reads back on the status page.
 */
static void
test_pages(void **state)
{
	static const struct test_part parts[] = {
		{ "kind", "fraud", 0, NULL, NULL },
		{ "what", "Declaraties van een teamleider kloppen niet.", 0,
		  NULL, NULL },
		{ "when", "Sinds maart", 0, NULL, NULL },
		{ "knowledge", "documents", 0, NULL, NULL },
		{ "reported_before", "no", 0, NULL, NULL },
		{ "identity", "anonymous", 0, NULL, NULL },
	};
	char *dir = test_tmpdir("integrity-pages");
	struct buf body = BUF_INIT, head = BUF_INIT;
	struct test_server srv;
	char receipt[64], post[128];
	long status;

	(void)state;
	test_init(dir, NULL);
	assert_int_equal(test_server_start(&srv, dir), 0);
	assert_int_equal(test_http(&srv, "GET", "/", NULL, &status, &head,
	                           &body), 0);
	assert_int_equal(status, 200);
	assert_true(has(&body, "href=\"/melden/agressie\""));
	assert_true(has(&body, "href=\"/melden/signaal\""));
	assert_true(has(&body, "href=\"/melden/integriteit\""));
	assert_true(has(&body, "Vermoeden van een integriteitsschending melden"));
	assert_true(has(&body, "Huis voor Klokkenluiders"));
	buf_reset(&body);
	assert_int_equal(test_http(&srv, "GET", "/?lang=en", NULL, &status,
	                           &head, &body), 0);
	assert_true(has(&body, "Report a suspected integrity violation"));
	buf_reset(&body);
	assert_int_equal(test_http(&srv, "GET", "/melden/integriteit", NULL,
	                           &status, &head, &body), 0);
	assert_int_equal(status, 200);
	assert_true(has(&body, "Wie leest uw melding?"));
	assert_true(has(&body, "Wet bescherming klokkenluiders"));
	assert_true(has(&body, "huisvoorklokkenluiders.nl"));
	assert_true(has(&body, "action=\"/melden/integriteit\""));
	assert_true(has(&body, "name=\"reporter_name\""));
	buf_reset(&body);
	assert_int_equal(test_http(&srv, "GET", "/melden/onbekend", NULL,
	                           &status, &head, &body), 0);
	assert_int_equal(status, 404);

	buf_reset(&body);
	assert_int_equal(test_http_multipart(&srv, "/melden/integriteit", parts,
	                 sizeof(parts) / sizeof(parts[0]), NULL, &status,
	                 &body), 0);
	assert_int_equal(status, 200);
	test_text_after(body.data, "id=\"receipt\">", "<", receipt,
	                sizeof(receipt));
	snprintf(post, sizeof(post), "receipt=%s", receipt);
	buf_reset(&body);
	assert_int_equal(test_http(&srv, "POST", "/status", post, &status,
	                           &head, &body), 0);
	assert_int_equal(status, 200);
	assert_true(has(&body, "Integriteitsmelding"));
	assert_true(has(&body, "Declaraties van een teamleider kloppen niet."));
	/*
	 * The acknowledgement's last day, 7 days after the day of receipt,
	 * on the status page (issue 20 point 1; the workflow's reporter text).
	 */
	{
		char received[16], due[16], want[11];

		test_text_after(body.data, "<time datetime=\"", "\"", received,
		                sizeof(received));
		test_text_after(body.data, "U krijgt een ontvangstbevestiging "
		                "uiterlijk op</dt><dd class=\"meldpunt-due\">"
		                "<time datetime=\"", "\"", due, sizeof(due));
		test_day_after(received, 7, want);
		assert_string_equal(due, want);
	}
	assert_int_equal(test_server_stop(&srv), 0);
	assert_int_equal(test_count(dir, "SELECT count(*) FROM reports"
	                 " WHERE type = 'integrity' AND state = 'received'"),
	                 1);
	buf_release(&body);
	buf_release(&head);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_type),
		cmocka_unit_test(test_the_terms),
		cmocka_unit_test_setup_teardown(test_first_admin_does_not_hold_it,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_reads_its_own, setup,
		                                teardown),
		cmocka_unit_test(test_upgrade_makes_the_keyring),
		cmocka_unit_test(test_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
