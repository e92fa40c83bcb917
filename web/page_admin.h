/*
 * page_admin.h - the admin's pages: staff accounts and keyring access.
 *
 * An admin lists the users, creates one (roles and a one-time password
 * shown once), disables or enables an account, resets a password, and
 * gives or takes away access to keyrings. Giving access needs the
 * keyring's private key: from the admin's own session when the admin is a
 * member, else from the recovery key typed in. A password reset makes the
 * user's keyring copies useless; the user page then lists the keyrings
 * that still need a grant until each is granted again or revoked on
 * purpose, so access is never lost silently. Every route is ROLE_ADMIN
 * (web/routes.c); every change is audited with the admin's name.
 */
#ifndef MELDPUNT_PAGE_ADMIN_H
#define MELDPUNT_PAGE_ADMIN_H

#include "request.h"

/* The list of users. */
int page_admin_users(struct request *req);
/* The form for a new user, and creating it. */
int page_admin_new(struct request *req);
int page_admin_create(struct request *req);
/* One user (?naam=USERNAME): account, roles, keyrings, actions. */
int page_admin_user(struct request *req);
/* POST user, disabled (1 or 0). */
int page_admin_disable(struct request *req);
/* POST user: a new key pair and one-time password. */
int page_admin_reset(struct request *req);
/*
 * POST user, keyring, and optionally recovery (the recovery key) and
 * confirm=1. A keyring none of the user's roles handles is first answered
 * with a page that asks to confirm (a second form with confirm=1; the
 * recovery key is typed again there, never written into a page).
 */
int page_admin_grant(struct request *req);
/*
 * POST user and role (one or more): the user's roles replaced; the
 * keyrings only the roles taken away handled are revoked (staff.h) and
 * the user's sessions end.
 */
int page_admin_roles(struct request *req);
/* POST user, keyring. */
int page_admin_revoke(struct request *req);

/* POST: set or remove an account's e-mail address (core/staff.h). */
int page_admin_email(struct request *req);

#endif
