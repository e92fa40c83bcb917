/*
 * test_routes.c - the route table and the staff menu agree: for every
 * combination of roles, the start page (page_staff_home, drawn for a
 * session of those roles) links to a page of its menu exactly when that
 * page's route in the table would let the session in; routes_allowed
 * gives the same answer; and every menu entry is a staff page of the
 * table. So no link leads to a refusal and none is hidden. The staff
 * navigation of every page (web/layout.c) obeys the same rule, and marks
 * the page shown (issue 18 point 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "layout.h"
#include "page_auth.h"
#include "paths.h"
#include "reptype.h"
#include "routes.h"
#include "session.h"
#include "testutil.h"
#include "users.h"

#define ALL_ROLES (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_VPT | ROLE_HR | \
                   ROLE_OVERLEG | ROLE_AUDITOR)

/* The GET route of a staff page at path, from the table, or NULL. */
static const struct route *
staff_page(const char *path)
{
	const struct route *r;

	for (r = routes; r->path; r++)
		if ((r->flags & ROUTE_STAFF) && strcmp(r->method, "GET") == 0 &&
		    strcmp(r->path, path) == 0)
			return r;
	return NULL;
}

/*
 * The start page as a session with roles sees it, drawn as if at path
 * (the navigation marks the page by it); the caller frees.
 */
static char *
staff_page_at(unsigned roles, const char *path)
{
	struct web_env env = { .allowed = routes_allowed };
	struct session s;
	struct request req;
	char *page;
	size_t len;

	memset(&s, 0, sizeof(s));
	snprintf(s.username, sizeof(s.username), "tester");
	snprintf(s.csrf, sizeof(s.csrf), "csrf");
	s.roles = roles;
	s.stage = SESSION_FULL;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = path;
	req.lang = LANG_NL;
	req.status = 200;
	req.session = &s;
	req.env = &env;
	buf_init(&req.out);
	assert_int_equal(page_staff_home(&req), 0);
	assert_int_equal(req.status, 200);
	page = buf_detach(&req.out, &len);
	assert_non_null(page);
	return page;
}

static char *
staff_home(unsigned roles)
{
	return staff_page_at(roles, PATH_STAFF_HOME);
}

/* The part of page from the first start up to end (a copy, freed). */
static char *
part(const char *page, const char *start, const char *end)
{
	const char *a = strstr(page, start), *b;
	char *out;

	assert_non_null(a);
	b = strstr(a, end);
	assert_non_null(b);
	out = strndup(a, (size_t)(b - a));
	assert_non_null(out);
	return out;
}

/* 1 when page links to path (an exact href). */
static int
links_to(const char *page, const char *path)
{
	char href[256];

	snprintf(href, sizeof(href), "href=\"%s\"", path);
	return strstr(page, href) != NULL;
}

static void
menu_is_the_allowed_routes(void **state)
{
	const struct staff_link *m;
	unsigned roles;

	(void)state;
	assert_int_equal(i18n_load(), 0);
	/* Every entry of the menu is a staff page of the table. */
	for (m = staff_menu; m->path; m++)
		assert_non_null(staff_page(m->path));
	for (roles = 0; roles <= ALL_ROLES; roles++) {
		char *whole = staff_home(roles);
		/* The start page's own menu, not the navigation above it. */
		char *page = part(whole, "<main", "</main>");

		free(whole);
		for (m = staff_menu; m->path; m++) {
			const struct route *r = staff_page(m->path);
			/* What the dispatch would do, read from the table. */
			int in = r->roles == 0 || (roles & r->roles) != 0;

			if (links_to(page, m->path) != in ||
			    routes_allowed(m->path, roles) != in)
				fail_msg("roles 0x%x: %s is %s by its route but "
				         "%s in the menu", roles, m->path,
				         in ? "allowed" : "refused",
				         links_to(page, m->path) ? "linked"
				                                 : "not linked");
		}
		free(page);
	}
}

/* The menus as they were before the menu asked the route table. */
static void
menu_per_role(void **state)
{
	char *page;

	(void)state;
	assert_int_equal(i18n_load(), 0);
	page = staff_home(ROLE_ADMIN);
	assert_true(links_to(page, PATH_ADMIN_USERS));
	assert_true(links_to(page, PATH_NORM));
	assert_false(links_to(page, PATH_INBOX));
	assert_false(links_to(page, PATH_AUDIT));
	assert_true(links_to(page, PATH_PASSWORD));
	assert_true(links_to(page, PATH_TOKENS));
	free(page);
	page = staff_home(ROLE_OVERLEG);
	assert_true(links_to(page, PATH_MEETINGS));
	assert_false(links_to(page, PATH_INBOX));
	assert_false(links_to(page, PATH_REGISTER));
	assert_false(links_to(page, PATH_STATS));
	assert_false(links_to(page, PATH_NORM));
	free(page);
	page = staff_home(ROLE_VPT);
	assert_true(links_to(page, PATH_INBOX));
	assert_true(links_to(page, PATH_REGISTER));
	assert_true(links_to(page, PATH_STATS));
	assert_true(links_to(page, PATH_NORM));
	assert_false(links_to(page, PATH_MEETINGS));
	assert_false(links_to(page, PATH_ADMIN_USERS));
	free(page);
	page = staff_home(ROLE_AUDITOR);
	assert_true(links_to(page, PATH_AUDIT));
	assert_false(links_to(page, PATH_STATS));
	free(page);
	/* Paths that are not staff pages are never offered. */
	assert_int_equal(routes_allowed(PATH_STATUS, ALL_ROLES), 0);
	assert_int_equal(routes_allowed(PATH_API_INBOX, ALL_ROLES), 0);
	assert_int_equal(routes_allowed("/beheer/nergens", ALL_ROLES), 0);
}

/*
 * Each of paths (the first npages the pages', the rest the API's) is one
 * POST route for the case roles alone (the handling role of every
 * report type), never a meeting member, hr, the auditor, an admin or the
 * confidential adviser; the pages' need the CSRF token, the API's a token.
 */
static void
case_roles_only(const char *const *paths, size_t n, size_t npages)
{
	const struct route *r;
	size_t i, found;

	for (i = 0; i < n; i++) {
		for (r = routes, found = 0; r->path; r++) {
			if (strcmp(r->path, paths[i]) != 0)
				continue;
			found++;
			assert_string_equal(r->method, "POST");
			/* The handling role of every report type. */
			assert_int_equal(r->roles, report_types_roles());
			assert_int_equal(r->roles & (ROLE_COORDINATOR | ROLE_VPT),
			                 ROLE_COORDINATOR | ROLE_VPT);
			assert_false(r->roles & (ROLE_OVERLEG | ROLE_AUDITOR |
			                         ROLE_HR | ROLE_ADMIN |
			                         ROLE_CONFIDANT));
			if (i < npages)
				assert_int_equal(r->flags & (ROUTE_STAFF | ROUTE_CSRF),
				                 ROUTE_STAFF | ROUTE_CSRF);
			else
				assert_true(r->flags & ROUTE_API);
		}
		assert_int_equal(found, 1);
		assert_false(routes_allowed(paths[i], ROLE_OVERLEG));
	}
}

/*
 * Corrections and undos of steps (issue 17 point 4): the pages (with the
 * CSRF token) and the API only for the handlers' roles, never for a
 * meeting member, an auditor, hr or the admin, and never without a
 * session or token (a reporter has neither). Core then asks the keyring
 * of the report and a role that may take the step.
 */
static void
corrections_only_for_handlers(void **state)
{
	static const char *const paths[] = {
		PATH_CASE_CORRECT, PATH_CASE_UNDO, PATH_API_CASE_CORRECT,
		PATH_API_CASE_UNDO,
	};

	(void)state;
	case_roles_only(paths, 4, 2);
}

/*
 * The hand-off (issue 19 point 4): only the case roles reach its four
 * routes, never a meeting member (nor hr, the auditor or an admin); the
 * pages' POSTs need the CSRF token, the API's a token. Which case a
 * handler may hand off is core's (the keyring: test_page_handoff).
 */
static void
test_handoff_roles(void **state)
{
	static const char *const paths[] = {
		PATH_CASE_HANDOFF, PATH_CASE_HANDOFF_DOWNLOAD,
		PATH_API_CASE_HANDOFF, PATH_API_CASE_HANDOFF_DOWNLOAD,
	};

	(void)state;
	case_roles_only(paths, 4, 2);
}

/* How the navigation of page marks its link to href, or NULL: none. */
static const char *
marked(const char *page, const char *href)
{
	char want[256];
	const char *p;

	snprintf(want, sizeof(want), "href=\"%s\"", href);
	p = strstr(page, want);
	assert_non_null(p);
	p += strlen(want);
	if (strncmp(p, " aria-current=\"page\"", 20) == 0)
		return "page";
	if (strncmp(p, " aria-current=\"true\"", 20) == 0)
		return "true";
	return NULL;
}

/*
 * The staff navigation on every page: for every combination of roles an
 * entry is there exactly when the route table lets the roles open it (and
 * the inbox of a type only for the role that handles it); the page shown
 * is marked, a page below an entry marks it "true".
 */
static void
nav_is_what_the_roles_may_open(void **state)
{
	const struct layout_nav *e;
	unsigned roles;
	char *page, *nav;

	(void)state;
	assert_int_equal(i18n_load(), 0);
	for (roles = 1; roles <= ALL_ROLES; roles++) {
		page = staff_home(roles);
		nav = part(page, "<nav class=\"meldpunt-nav\"", "</nav>");
		for (e = layout_staff_nav; e->path; e++) {
			char href[256];
			int in = routes_allowed(e->path, roles) &&
			         (!e->roles || (roles & e->roles));

			assert_non_null(staff_page(e->path));
			snprintf(href, sizeof(href), "href=\"%s%s%s\"", e->path,
			         e->query ? "?" : "", e->query ? e->query : "");
			if ((strstr(nav, href) != NULL) != in)
				fail_msg("roles 0x%x: %s is %s but %s", roles, href,
				         in ? "allowed" : "refused",
				         in ? "not in the navigation" : "in it");
		}
		/* The start page is no entry: nothing is marked. */
		assert_null(strstr(nav, "aria-current"));
		free(nav);
		free(page);
	}
	page = staff_page_at(ROLE_COORDINATOR | ROLE_VPT, PATH_INBOX);
	assert_string_equal(marked(page, PATH_INBOX "?type=signal"), "page");
	assert_null(marked(page, PATH_INBOX "?type=incident"));
	free(page);
	page = staff_page_at(ROLE_VPT, PATH_INBOX);
	assert_string_equal(marked(page, PATH_INBOX "?type=incident"), "page");
	assert_null(strstr(page, "type=signal"));
	free(page);
	/* The integrity coordinator's inbox is in the navigation too. */
	page = staff_page_at(ROLE_INTEGRITY, PATH_INBOX);
	assert_string_equal(marked(page, PATH_INBOX "?type=integrity"), "page");
	assert_null(strstr(page, "type=signal"));
	assert_null(strstr(page, "type=incident"));
	free(page);
	page = staff_page_at(ROLE_COORDINATOR, PATH_MEETING);
	assert_string_equal(marked(page, PATH_MEETINGS), "true");
	assert_null(marked(page, PATH_PASSWORD));
	free(page);
	page = staff_page_at(ROLE_ADMIN, PATH_PASSWORD);
	assert_string_equal(marked(page, PATH_PASSWORD), "page");
	assert_null(marked(page, PATH_ADMIN_USERS));
	free(page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(menu_is_the_allowed_routes),
		cmocka_unit_test(menu_per_role),
		cmocka_unit_test(corrections_only_for_handlers),
		cmocka_unit_test(test_handoff_roles),
		cmocka_unit_test(nav_is_what_the_roles_may_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
