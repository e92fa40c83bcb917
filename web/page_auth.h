/*
 * page_auth.h - staff log in and out; the first login's set-up (own
 * password and second factor); changing the password; the staff start page.
 */
#ifndef MELDPUNT_PAGE_AUTH_H
#define MELDPUNT_PAGE_AUTH_H

#include "request.h"

#define PATH_STAFF_HOME "/beheer"
#define PATH_LOGIN "/beheer/inloggen"
#define PATH_LOGOUT "/beheer/uitloggen"
#define PATH_SETUP "/beheer/instellen"
#define PATH_PASSWORD "/beheer/wachtwoord"

int page_login_form(struct request *req);
int page_login(struct request *req);
int page_logout(struct request *req);
int page_setup_form(struct request *req);
int page_setup(struct request *req);
int page_password_form(struct request *req);
int page_password(struct request *req);
int page_staff_home(struct request *req);

/* The hidden CSRF field every staff form carries. */
void staff_csrf_field(struct request *req);

#endif
