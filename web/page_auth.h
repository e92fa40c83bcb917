/*
 * page_auth.h - staff log in and out; the first login's set-up (own
 * password and second factor); changing the password; the staff start page.
 */
#ifndef MELDPUNT_PAGE_AUTH_H
#define MELDPUNT_PAGE_AUTH_H

#include "request.h"

int page_login_form(struct request *req);
int page_login(struct request *req);
int page_logout(struct request *req);
int page_setup_form(struct request *req);
int page_setup(struct request *req);
int page_password_form(struct request *req);
int page_password(struct request *req);
int page_staff_home(struct request *req);

/*
 * The staff start page's menu, in its order, ending with a NULL path: a
 * link is shown exactly when the route table lets the session's roles in
 * (web_allowed, request.h).
 */
struct staff_link {
	const char *path;
	const char *key;	/* its text in the message catalogue */
};
extern const struct staff_link staff_menu[];

/* POST: the account's own e-mail address for reminders (staff.h). */
int page_account_email(struct request *req);

#endif
