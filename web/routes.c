/*
 * routes.c - the route table and its dispatcher (see routes.h).
 *
 * Every condition a route states (a staff session, its stage, a role, the
 * CSRF token) is checked here, once, before its handler runs; handlers do
 * not repeat them.
 */
#include <string.h>

#include "action.h"
#include "api.h"
#include "clock.h"
#include "install.h"
#include "log.h"
#include "norm.h"
#include "page_admin.h"
#include "page_audit.h"
#include "page_auth.h"
#include "page_case.h"
#include "page_document.h"
#include "page_handoff.h"
#include "page_inbox.h"
#include "page_meeting.h"
#include "page_norm.h"
#include "page_oral.h"
#include "page_register.h"
#include "page_report.h"
#include "page_stats.h"
#include "page_tokens.h"
#include "pages.h"
#include "paths.h"
#include "post.h"
#include "routes.h"
#include "session.h"
#include "static.h"
#include "users.h"

/*
 * Who works cases: the handling role of each report type (schema/forms/:
 * the coordinator signals, the VPT coordinator incidents). A literal, so
 * the table reads as it acts; test_reptype checks that every type's role
 * is in it.
 */
#define CASE_ROLES (ROLE_COORDINATOR | ROLE_VPT | ROLE_INTEGRITY)
/* Who reads statistics (core/stats_read.h decides which tables). */
#define STATS_ROLES (ROLE_HR | ROLE_VPT | ROLE_COORDINATOR | ROLE_INTEGRITY)

/*
 * Who records oral reports: the roles the forms name for it ([form] oral,
 * core/oral.h), the integrity coordinator and the confidential adviser.
 * A literal for the list of types; each type's own page asks its form
 * (ROUTE_ORAL). test_oral checks that every type's recorders are here.
 */
#define ORAL_ROLES (ROLE_INTEGRITY | ROLE_CONFIDANT)

const struct route routes[] = {
	/* The reporter's side: no account. */
	{ "GET", "/", page_home, 0, 0 },
	{ "GET", "/health", page_health, 0, 0 },
	/* Each report type's form (schema/forms/). */
	{ "GET", PATH_REPORT_PREFIX, page_report_form, ROUTE_TYPE, 0 },
	{ "POST", PATH_REPORT_PREFIX, page_report_submit, ROUTE_TYPE, 0 },
	{ "GET", PATH_STATUS, page_status_form, 0, 0 },
	{ "POST", PATH_STATUS, page_status, 0, 0 },
	{ "POST", PATH_REPLY, page_status_reply, 0, 0 },
	/* The reporter approves or corrects an oral report's record. */
	{ "POST", PATH_RECORD_APPROVE, page_status_approve, 0, 0 },
	{ "POST", PATH_RECORD_CORRECT, page_status_correct, 0, 0 },
	{ "GET", STATIC_PREFIX, page_static, ROUTE_PREFIX, 0 },

	/* Staff: logging in and out, the first login's set-up. */
	{ "GET", PATH_LOGIN, page_login_form, 0, 0 },
	{ "POST", PATH_LOGIN, page_login, 0, 0 },
	{ "POST", PATH_LOGOUT, page_logout,
	  ROUTE_STAFF | ROUTE_SETUP | ROUTE_CSRF, 0 },
	{ "GET", PATH_SETUP, page_setup_form, ROUTE_STAFF | ROUTE_SETUP, 0 },
	{ "POST", PATH_SETUP, page_setup, ROUTE_STAFF | ROUTE_SETUP | ROUTE_CSRF, 0 },
	{ "GET", PATH_STAFF_HOME, page_staff_home, ROUTE_STAFF, 0 },
	{ "GET", PATH_PASSWORD, page_password_form, ROUTE_STAFF, 0 },
	{ "POST", PATH_PASSWORD, page_password, ROUTE_STAFF | ROUTE_CSRF, 0 },
	{ "POST", PATH_ACCOUNT_EMAIL, page_account_email,
	  ROUTE_STAFF | ROUTE_CSRF, 0 },

	/* Handlers: the inbox and the case page (keyring checked per report). */
	{ "GET", PATH_INBOX, page_inbox, ROUTE_STAFF, CASE_ROLES },
	{ "GET", PATH_CASE, page_case, ROUTE_STAFF, CASE_ROLES },
	{ "POST", PATH_CASE_TRANSITION, page_case_transition,
	  ROUTE_STAFF | ROUTE_CSRF, CASE_ROLES },
	{ "POST", PATH_CASE_MESSAGE, page_case_message,
	  ROUTE_STAFF | ROUTE_CSRF, CASE_ROLES },
	{ "POST", PATH_CASE_NOTE, page_case_note, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },
	{ "POST", PATH_CASE_ASSIGN, page_case_assign, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },
	{ "POST", PATH_CASE_LINK, page_case_link, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },
	{ "GET", PATH_CASE_FILE, page_case_file, ROUTE_STAFF, CASE_ROLES },
	{ "GET", PATH_CASE_PRINT, page_case_print, ROUTE_STAFF, CASE_ROLES },
	{ "GET", PATH_CASE_DOSSIER, page_case_dossier, ROUTE_STAFF, CASE_ROLES },
	{ "GET", PATH_CASE_DOCUMENT, page_case_document, ROUTE_STAFF,
	  CASE_ROLES },
	/* The hand-off to a partner (web/page_handoff.h): the package made,
	 * then downloaded once; core checks the keyring (never a meeting
	 * member: not a case role, and not the handling keyring). */
	{ "POST", PATH_CASE_HANDOFF, page_case_handoff, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },
	{ "POST", PATH_CASE_HANDOFF_DOWNLOAD, page_case_handoff_download,
	  ROUTE_STAFF | ROUTE_CSRF, CASE_ROLES },
	{ "GET", PATH_AMOUNTS, page_amounts, ROUTE_STAFF, CASE_ROLES },
	{ "POST", PATH_CASE_HOLD, page_case_hold, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },
	{ "POST", PATH_CASE_CORRECT, page_case_correct,
	  ROUTE_STAFF | ROUTE_CSRF, CASE_ROLES },
	{ "POST", PATH_CASE_UNDO, page_case_undo, ROUTE_STAFF | ROUTE_CSRF,
	  CASE_ROLES },

	/*
	 * Statistics (web/page_stats.h): hr and vpt the incidents, the
	 * coordinator the signals, the integrity coordinator the integrity
	 * reports; the statistiek keyring checked per request.
	 */
	{ "GET", PATH_STATS, page_stats, ROUTE_STAFF, STATS_ROLES },
	{ "GET", PATH_STATS_CSV, page_stats_csv, ROUTE_STAFF, STATS_ROLES },
	{ "GET", PATH_STATS_JSON, page_stats_json, ROUTE_STAFF, STATS_ROLES },

	/*
	 * The norm self-assessment and the annual report for the council
	 * (web/page_norm.h); indicators need the statistiek keyring, checked
	 * per request.
	 */
	{ "GET", PATH_NORM, page_norm, ROUTE_STAFF, NORM_ROLES },
	{ "GET", PATH_NORM_ITEM, page_norm_item, ROUTE_STAFF, NORM_ROLES },
	{ "POST", PATH_NORM_ITEM, page_norm_save, ROUTE_STAFF | ROUTE_CSRF,
	  NORM_ROLES },
	{ "GET", PATH_NORM_REPORT, page_norm_report, ROUTE_STAFF, NORM_ROLES },
	{ "GET", PATH_NORM_CSV, page_norm_csv, ROUTE_STAFF, NORM_ROLES },
	{ "GET", PATH_NORM_JSON, page_norm_json, ROUTE_STAFF, NORM_ROLES },

	/* The auditor reads the audit log. */
	{ "GET", PATH_AUDIT, page_audit, ROUTE_STAFF, ROLE_AUDITOR },

	/* Admin: staff accounts and keyring access (web/page_admin.h). */
	{ "GET", PATH_ADMIN_USERS, page_admin_users, ROUTE_STAFF, ROLE_ADMIN },
	{ "GET", PATH_ADMIN_NEW, page_admin_new, ROUTE_STAFF, ROLE_ADMIN },
	{ "POST", PATH_ADMIN_NEW, page_admin_create, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },
	{ "GET", PATH_ADMIN_USER, page_admin_user, ROUTE_STAFF, ROLE_ADMIN },
	{ "POST", PATH_ADMIN_DISABLE, page_admin_disable,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_ADMIN },
	{ "POST", PATH_ADMIN_RESET, page_admin_reset, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },
	{ "POST", PATH_ADMIN_EMAIL, page_admin_email, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },
	{ "POST", PATH_ADMIN_GRANT, page_admin_grant, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },
	{ "POST", PATH_ADMIN_REVOKE, page_admin_revoke, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },
	{ "POST", PATH_ADMIN_ROLES, page_admin_roles, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_ADMIN },

	/* Registering a report on behalf of a reporter (web/page_register.h). */
	{ "GET", PATH_REGISTER, page_register, ROUTE_STAFF, CASE_ROLES },
	/* Per report type, for its handling role. */
	{ "GET", PATH_REGISTER_PREFIX, page_register_form,
	  ROUTE_STAFF | ROUTE_TYPE, 0 },
	{ "POST", PATH_REGISTER_PREFIX, page_register_submit,
	  ROUTE_STAFF | ROUTE_CSRF | ROUTE_TYPE, 0 },

	/*
	 * Recording an oral report (web/page_oral.h): the roles each type's
	 * form names for it (ROUTE_ORAL), a confidential adviser too.
	 */
	{ "GET", PATH_ORAL, page_oral, ROUTE_STAFF, ORAL_ROLES },
	{ "GET", PATH_ORAL_PREFIX, page_oral_form,
	  ROUTE_STAFF | ROUTE_TYPE | ROUTE_ORAL, 0 },
	{ "POST", PATH_ORAL_PREFIX, page_oral_submit,
	  ROUTE_STAFF | ROUTE_CSRF | ROUTE_TYPE | ROUTE_ORAL, 0 },

	/*
	 * The local signal meeting (web/page_meeting.h): members of the
	 * overleg read, only the coordinator changes; which signals a reader
	 * may open is decided per request by the keys it holds.
	 */
	{ "GET", PATH_MEETINGS, page_meetings, ROUTE_STAFF,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "GET", PATH_MEETING, page_meeting, ROUTE_STAFF,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "GET", PATH_MEETING_MINUTES, page_meeting_minutes, ROUTE_STAFF,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "GET", PATH_MEETING_SIGNAL, page_meeting_signal, ROUTE_STAFF,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "POST", PATH_MEETING_NEW, page_meeting_create, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_ADD, page_meeting_add, ROUTE_STAFF | ROUTE_CSRF,
	  ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_REMOVE, page_meeting_remove,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_RECORD, page_meeting_record,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_CLOSE, page_meeting_close,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_REDATE, page_meeting_redate,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_ATTENDEES, page_meeting_attendees,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_ACTION_ADD, page_meeting_action_add,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },
	{ "POST", PATH_MEETING_ACTION_REMOVE, page_meeting_action_remove,
	  ROUTE_STAFF | ROUTE_CSRF, ROLE_COORDINATOR },

	/* API tokens: each user their own; an admin revokes anyone's. */
	{ "GET", PATH_TOKENS, page_tokens, ROUTE_STAFF, 0 },
	{ "POST", PATH_TOKENS, page_tokens_create, ROUTE_STAFF | ROUTE_CSRF, 0 },
	{ "POST", PATH_TOKENS_REVOKE, page_tokens_revoke,
	  ROUTE_STAFF | ROUTE_CSRF, 0 },

	/*
	 * The JSON API (web/api.h, openapi.yaml). The reporter's side needs
	 * no account; staff send an API token. A test checks that this block
	 * and openapi.yaml name the same routes.
	 */
	{ "GET", PATH_API_FORM_PREFIX, api_form, ROUTE_TYPE_NAME, 0 },
	{ "POST", PATH_API_REPORT_PREFIX, api_report_submit, ROUTE_TYPE_NAME, 0 },
	{ "POST", PATH_API_STATUS, api_status, 0, 0 },
	{ "POST", PATH_API_STATUS_MESSAGE, api_status_message, 0, 0 },
	{ "POST", PATH_API_STATUS_RECORD_APPROVE, api_status_record_approve, 0,
	  0 },
	{ "POST", PATH_API_STATUS_RECORD_CORRECT, api_status_record_correct, 0,
	  0 },
	{ "GET", PATH_API_ME, api_me, ROUTE_API, 0 },
	{ "GET", PATH_API_INBOX, api_inbox, ROUTE_API, CASE_ROLES },
	{ "GET", PATH_API_CASE, api_case, ROUTE_API, CASE_ROLES },
	{ "POST", PATH_API_CASE_TRANSITION, api_case_transition, ROUTE_API,
	  CASE_ROLES },
	{ "POST", PATH_API_CASE_MESSAGE, api_case_message, ROUTE_API,
	  CASE_ROLES },
	{ "POST", PATH_API_CASE_NOTE, api_case_note, ROUTE_API, CASE_ROLES },
	{ "POST", PATH_API_CASE_ASSIGN, api_case_assign, ROUTE_API, CASE_ROLES },
	/* One file, as the case page gives it (audited as file-read). */
	{ "GET", PATH_API_CASE_FILE, page_case_file, ROUTE_API, CASE_ROLES },
	{ "GET", PATH_API_CASE_DOCUMENT, page_case_document, ROUTE_API,
	  CASE_ROLES },
	{ "POST", PATH_API_CASE_LINK, api_case_link, ROUTE_API, CASE_ROLES },
	/* The dossier export, as the case page gives it (dossier-export). */
	{ "GET", PATH_API_CASE_DOSSIER, page_case_dossier, ROUTE_API, CASE_ROLES },
	{ "POST", PATH_API_CASE_HOLD, api_case_hold, ROUTE_API, CASE_ROLES },
	{ "POST", PATH_API_CASE_HANDOFF, api_case_handoff, ROUTE_API,
	  CASE_ROLES },
	{ "POST", PATH_API_CASE_HANDOFF_DOWNLOAD, api_case_handoff_download,
	  ROUTE_API, CASE_ROLES },
	{ "POST", PATH_API_CASE_CORRECT, api_case_correct, ROUTE_API,
	  CASE_ROLES },
	{ "POST", PATH_API_CASE_UNDO, api_case_undo, ROUTE_API, CASE_ROLES },
	{ "GET", PATH_API_MEETINGS, api_meetings, ROUTE_API,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "POST", PATH_API_MEETINGS, api_meeting_create, ROUTE_API,
	  ROLE_COORDINATOR },
	{ "GET", PATH_API_MEETING, api_meeting, ROUTE_API,
	  ROLE_COORDINATOR | ROLE_OVERLEG },
	{ "POST", PATH_API_MEETING_AGENDA, api_meeting_agenda, ROUTE_API,
	  ROLE_COORDINATOR },
	{ "POST", PATH_API_MEETING_RECORD, api_meeting_record, ROUTE_API,
	  ROLE_COORDINATOR },
	{ "POST", PATH_API_MEETING_CLOSE, api_meeting_close, ROUTE_API,
	  ROLE_COORDINATOR },
	/* The statistics pages' own JSON and CSV, with the token's keys. */
	{ "GET", PATH_API_STATS, page_stats_json, ROUTE_API, STATS_ROLES },
	{ "GET", PATH_API_STATS_EXPORT, page_stats_csv, ROUTE_API,
	  STATS_ROLES },
	/* The norm self-assessment: the annual report's JSON and CSV, and
	 * saving one item, as on the norm pages. */
	{ "GET", PATH_API_NORM, page_norm_json, ROUTE_API, NORM_ROLES },
	{ "GET", PATH_API_NORM_EXPORT, page_norm_csv, ROUTE_API, NORM_ROLES },
	{ "POST", PATH_API_NORM_ITEM, api_norm_save, ROUTE_API, NORM_ROLES },
	{ NULL, NULL, NULL, 0, 0 },
};

/* The inbox's filters, search and sort (web/page_inbox.c). */
static const struct route_param inbox_params[] = {
	{ "type", param_report_type },
	{ "state", param_name },
	{ "phenomenon", param_name },
	{ "overdue", param_flag },
	{ "closed", param_flag },
	{ "q", param_search },
	{ "who", param_who },
	{ "unread", param_flag },
	{ "sort", param_sort },
	{ NULL, NULL },
};

const struct route_params routes_params[] = {
	{ "GET", PATH_INBOX, inbox_params },
	{ NULL, NULL, NULL },
};

/* The parameters route r declares, or NULL. */
static const struct route_param *
params_of(const struct route *r)
{
	const struct route_params *p;

	for (p = routes_params; p->path; p++)
		if (strcmp(p->method, r->method) == 0 &&
		    strcmp(p->path, r->path) == 0)
			return p->params;
	return NULL;
}

/*
 * With ROUTE_TYPE or ROUTE_TYPE_NAME: the report type below r's path in
 * path (its path or its name). 0 or -1.
 */
static int
route_type(const struct route *r, const char *path, enum report_type *t)
{
	size_t n = strlen(r->path);

	if (strncmp(r->path, path, n) != 0)
		return -1;
	if (r->flags & ROUTE_TYPE_NAME)
		return report_type_parse(path + n, t);
	return report_type_by_path(path + n, t);
}

#define ROUTE_TYPED (ROUTE_TYPE | ROUTE_TYPE_NAME)

static int
path_matches(const struct route *r, const char *path)
{
	enum report_type t;

	if (r->flags & ROUTE_TYPED)
		return route_type(r, path, &t) == 0 &&
		       (!(r->flags & ROUTE_ORAL) || report_type_oral(t) != 0);
	if (r->flags & ROUTE_PREFIX)
		return strncmp(r->path, path, strlen(r->path)) == 0;
	return strcmp(r->path, path) == 0;
}

/*
 * Whether roles may use route r: the one answer the dispatch below and
 * routes_allowed (the staff menu) both give.
 */
static int
route_permits(const struct route *r, const char *path, unsigned roles)
{
	unsigned want = r->roles;
	enum report_type t;

	if (r->flags & ROUTE_ORAL) {
		/* Never "any role": a type no role records orally, nobody. */
		want = route_type(r, path, &t) == 0 ? report_type_oral(t) : 0;
		return (roles & want) != 0;
	}
	if (r->flags & ROUTE_TYPE)
		want = route_type(r, path, &t) == 0 ? report_type_role(t) : 0;
	return want == 0 || (roles & want) != 0;
}

int
routes_allowed(const char *path, unsigned roles)
{
	const struct route *r;

	for (r = routes; r->path; r++)
		if ((r->flags & ROUTE_STAFF) && strcmp(r->method, "GET") == 0 &&
		    path_matches(r, path))
			return route_permits(r, path, roles);
	return 0;
}

const struct route *
routes_find(const char *method, const char *path)
{
	const struct route *r;

	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (r = routes; r->path; r++)
		if (strcmp(r->method, method) == 0 && path_matches(r, path))
			return r;
	return NULL;
}

int
routes_get(const char *path)
{
	const struct route *r;

	for (r = routes; r->path; r++)
		if (strcmp(r->method, "GET") == 0 && !(r->flags & ROUTE_PREFIX) &&
		    path_matches(r, path))
			return 1;
	return 0;
}

/*
 * The checks of a staff route. 1 when the handler may run; 0 when the
 * answer (a redirect or a refusal) is already in req.
 */
static int
staff_allowed(struct request *req, const struct route *r)
{
	struct session *s;

	s = sessions_get(web_sessions(req), web_cookie(req, SESSION_COOKIE),
	                 clock_now());
	if (!s) {
		/* Expired or never there: back to the login page. */
		if (strcmp(req->method, "GET") == 0) {
			web_redirect(req, PATH_LOGIN);
			return 0;
		}
		web_fail_key(req, 401, "staff.session_expired");
		return 0;
	}
	req->session = s;
	/* A keyring granted since the login reaches the session now. */
	if (sessions_pick_up_grants(web_sessions(req), s, req->inst->db) < 0)
		log_warn("a keyring granted to %s could not be added to the "
		         "session: it works from the next login", s->username);
	if (s->stage == SESSION_SETUP && !(r->flags & ROUTE_SETUP)) {
		web_redirect(req, PATH_SETUP);
		return 0;
	}
	if (!route_permits(r, req->path, s->roles)) {
		struct session_who w;

		action_refused(req->inst, session_who(s, &w), r->path);
		web_fail_key(req, 403, "staff.no_access");
		return 0;
	}
	if (r->flags & ROUTE_CSRF) {
		const char *token = post_get(req->post, "csrf");

		if (!token || !token_equal(token, s->csrf)) {
			web_fail_key(req, 403, "staff.csrf");
			return 0;
		}
	}
	return 1;
}

/* The checks of a staff API route; like staff_allowed. */
static int
api_allowed(struct request *req, const struct route *r)
{
	if (!api_authenticate(req))
		return 0;
	if (!route_permits(r, req->path, req->session->roles)) {
		struct session_who w;

		action_refused(req->inst, session_who(req->session, &w), r->path);
		web_fail_key(req, 403, "staff.no_access");
		return 0;
	}
	return 1;
}

int
routes_dispatch(struct request *req)
{
	const struct route *r;
	int path_known = 0, ret;

	for (r = routes; r->path; r++) {
		if (!path_matches(r, req->path))
			continue;
		path_known = 1;
		if (r->flags & ROUTE_TYPED)
			route_type(r, req->path, &req->type);
		/* HEAD is answered like GET; the server drops the body. */
		if (strcmp(r->method, req->method) != 0 &&
		    !(strcmp(req->method, "HEAD") == 0 &&
		      strcmp(r->method, "GET") == 0))
			continue;
		if ((r->flags & ROUTE_STAFF) && !staff_allowed(req, r))
			ret = 0;
		else if ((r->flags & ROUTE_API) && !api_allowed(req, r))
			ret = 0;
		else if (params_of(r) && !params_check(req, params_of(r)))
			ret = 0;
		else
			ret = r->handler(req);
		if (req->api_session) {
			api_session_end(req);
		} else if (req->session) {
			sessions_put(web_sessions(req), req->session);
			req->session = NULL;
		}
		return ret;
	}
	if (path_known)
		return web_fail_key(req, 405, "common.method_not_allowed");
	return web_fail_key(req, 404, "common.not_found");
}
