/*
 * test_reptype.c - the report types are data: the table read from
 * schema/forms/ gives each type its keyring, role, path and number, the
 * two types the code has features for keep their numbers, and broken
 * declarations are refused with file and line.
 */
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "paths.h"
#include "reptype.h"
#include "routes.h"
#include "schema.h"
#include "testutil.h"
#include "users.h"

static void
test_builtin_types(void **state)
{
	enum report_type t;
	size_t i;

	(void)state;
	assert_true(report_types_count() >= 2);
	assert_string_equal(report_type_name(REPORT_INCIDENT), "incident");
	assert_string_equal(report_type_name(REPORT_SIGNAL), "signal");
	assert_string_equal(report_type_keyring(REPORT_INCIDENT), "agressie");
	assert_string_equal(report_type_keyring(REPORT_SIGNAL), "signalen");
	assert_int_equal(report_type_role(REPORT_INCIDENT), ROLE_VPT);
	assert_int_equal(report_type_role(REPORT_SIGNAL), ROLE_COORDINATOR);
	assert_string_equal(report_type_path(REPORT_INCIDENT), "agressie");
	assert_string_equal(report_type_path(REPORT_SIGNAL), "signaal");
	assert_int_equal(report_type_first_admin(REPORT_INCIDENT), 1);
	assert_int_equal(report_type_first_admin(REPORT_SIGNAL), 1);
	assert_int_equal(report_types_roles() & (ROLE_VPT | ROLE_COORDINATOR),
	                 ROLE_VPT | ROLE_COORDINATOR);
	assert_int_equal(report_types_roles() & ROLE_ADMIN, 0);
	/* Every type is found by its name, path and keyring, and has a form
	 * and a workflow file. */
	for (i = 0; i < report_types_count(); i++) {
		char path[96];

		assert_int_equal(report_type_parse(report_type_name(
			(enum report_type)i), &t), 0);
		assert_int_equal((size_t)t, i);
		assert_int_equal(report_type_by_path(report_type_path(
			(enum report_type)i), &t), 0);
		assert_int_equal((size_t)t, i);
		assert_int_equal(report_type_by_keyring(report_type_keyring(
			(enum report_type)i), &t), 0);
		assert_int_equal((size_t)t, i);
		snprintf(path, sizeof(path), "workflows/%s.ini",
		         report_type_name((enum report_type)i));
		assert_non_null(schema_find(path));
	}
	assert_int_equal(report_type_parse("statistiek", &t), -1);
	assert_int_equal(report_type_by_path("", &t), -1);
	assert_int_equal(report_type_by_keyring("statistiek", &t), -1);
}

#define FORM(type, order, keyring, role, path, admin) \
	"[form]\ntype = " type "\norder = " order "\nanonymous = no\n" \
	"keyring = " keyring "\nrole = " role "\npath = " path \
	"\nfirst_admin = " admin "\n\n[field x]\nkind = text\n"
#define INCIDENT FORM("incident", "1", "agressie", "vpt", "agressie", "yes")
#define SIGNAL FORM("signal", "2", "signalen", "coordinator", "signaal", "yes")

/* Check files; expect n types, or the error naming want. */
static void
check(const struct schema_file *files, int ok, size_t want_n,
      const char *want)
{
	char errors[512] = "";
	size_t n = 0;

	if (ok) {
		assert_int_equal(report_types_check(files, &n, errors,
		                                    sizeof(errors)), 0);
		assert_int_equal(n, want_n);
		return;
	}
	assert_int_equal(report_types_check(files, &n, errors, sizeof(errors)),
	                 -1);
	if (!strstr(errors, want))
		fail_msg("'%s' does not say '%s'", errors, want);
}

/* Declarations of a third type, each wrong in one way. */
static const struct {
	const char *text, *error;
} bad[] = {
	{ FORM("integrity", "3", "integriteit", "nobody", "integriteit", "no"),
	  "forms/integrity.ini:6: role names no handling role 'nobody'" },
	{ FORM("integrity", "3", "integriteit", "admin", "integriteit", "no"),
	  "role names no handling role 'admin'" },
	{ FORM("integrity", "3", "Integriteit", "hr", "integriteit", "no"),
	  "forms/integrity.ini:5: names are a-z" },
	{ FORM("integrity", "3", "integriteit", "hr", "integriteit", "maybe"),
	  "first_admin is yes or no 'maybe'" },
	{ FORM("integrity", "0", "integriteit", "hr", "integriteit", "no"),
	  "order is 1, 2" },
	{ FORM("integrity", "2", "integriteit", "hr", "integriteit", "no"),
	  "order 2 is taken by integrity" },
	{ FORM("integrity", "4", "integriteit", "hr", "integriteit", "no"),
	  "no type has order 3" },
	{ FORM("integrity", "3", "signalen", "hr", "integriteit", "no"),
	  "signal and integrity share a keyring or a path" },
	{ FORM("integrity", "3", "integriteit", "hr", "agressie", "no"),
	  "incident and integrity share a keyring or a path" },
	{ FORM("other", "3", "integriteit", "hr", "integriteit", "no"),
	  "the type differs from the file's name 'other'" },
	{ FORM("integrity", "3", "integriteit", "hr", "integriteit/x", "no"),
	  "a path is a-z, 0-9 and -" },
};

static void
test_declarations(void **state)
{
	const char *third = FORM("integrity", "3", "integriteit", "hr",
	                         "integriteit", "no");
	struct schema_file files[] = {
		{ "forms/incident.ini", INCIDENT, 0 },
		{ "forms/integrity.ini", third, 0 },
		{ "forms/signal.ini", SIGNAL, 0 },
		{ "workflows/incident.ini", "", 0 },
		{ "workflows/integrity.ini", "", 0 },
		{ "workflows/signal.ini", "", 0 },
		{ NULL, NULL, 0 },
	};
	size_t i;

	(void)state;
	check(files, 1, 3, NULL);
	/* A third type without its workflow file. */
	files[4].path = "workflows/other.ini";
	check(files, 0, 0, "forms/integrity.ini: there is no "
	      "schema/workflows/integrity.ini");
	files[4].path = "workflows/integrity.ini";
	/* Each declaration is needed and checked. */
	files[1].text = "[form]\ntype = integrity\norder = 3\n";
	check(files, 0, 0, "forms/integrity.ini:1: [form] needs type, order");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		files[1].text = bad[i].text;
		check(files, 0, 0, bad[i].error);
	}
	/* The types the code has features for keep their numbers. */
	files[1].text = FORM("integrity", "1", "integriteit", "hr",
	                     "integriteit", "no");
	files[0].text = FORM("incident", "3", "agressie", "vpt", "agressie",
	                     "yes");
	check(files, 0, 0, "order 1 must be the type incident");
}

/* Every type has the page texts the pages ask for, in both languages. */
static void
test_type_texts(void **state)
{
	/* Each key: before and after the type's name. */
	static const char *const keys[][2] = {
		{ "home.", "_link" }, { "home.", "_text" },
		{ "status.type.", "" }, { "case.inbox_", "" },
		{ "admin.register_", "" }, { "admin.register_", "_title" },
		{ "", ".title" }, { "", ".intro" },
	};
	char key[128];
	size_t i, k, q;

	(void)state;
	assert_int_equal(i18n_load(), 0);
	assert_int_equal(forms_load(), 0);
	for (i = 0; i < report_types_count(); i++) {
		const char *name = report_type_name((enum report_type)i);
		const struct form *f = forms_get((enum report_type)i);

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			snprintf(key, sizeof(key), "%s%s%s", keys[k][0], name,
			         keys[k][1]);
			if (!i18n_has(key))
				fail_msg("no text %s", key);
		}
		/* Every question and option of its form. */
		for (k = 0; k < f->nfields; k++) {
			const struct form_field *fld = &f->fields[k];

			snprintf(key, sizeof(key), "%s.%s", name, fld->name);
			if (!i18n_has(key))
				fail_msg("no text %s", key);
			for (q = 0; q < fld->noptions; q++) {
				snprintf(key, sizeof(key), "%s.%s.%s", name,
				         fld->name, fld->options[q]);
				if (!i18n_has(key))
					fail_msg("no text %s", key);
			}
		}
	}
	forms_free();
}

/* Each type's handlers reach the inbox, and register only their own. */
static void
test_handlers_routed(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < report_types_count(); i++) {
		unsigned role = report_type_role((enum report_type)i);

		assert_int_equal(routes_allowed(PATH_INBOX, role), 1);
		assert_int_equal(routes_allowed(PATH_CASE, role), 1);
		for (k = 0; k < report_types_count(); k++) {
			char path[96];

			snprintf(path, sizeof(path), "%s%s", PATH_REGISTER_PREFIX,
			         report_type_path((enum report_type)k));
			assert_int_equal(routes_allowed(path, role),
			                 (report_type_role((enum report_type)k) &
			                  role) != 0);
		}
	}
	assert_int_equal(routes_allowed(PATH_REGISTER_PREFIX "onbekend",
	                                ROLE_VPT | ROLE_COORDINATOR), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_types),
		cmocka_unit_test(test_declarations),
		cmocka_unit_test(test_handlers_routed),
		cmocka_unit_test(test_type_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
