/*
 * page_tokens.h - API tokens in the staff pages.
 *
 * Every staff member makes their own tokens here (only their logged-in
 * session holds the private key a token wraps: core/apitokens.h), chooses
 * a label, a lifetime and the roles (a subset of their own), sees the
 * token once, and revokes it. An admin also sees everyone's tokens and
 * revokes any of them. Every change carries the CSRF token and is audited.
 */
#ifndef MELDPUNT_PAGE_TOKENS_H
#define MELDPUNT_PAGE_TOKENS_H

#include "request.h"

/* Days a new token lives unless the form says otherwise. */
#define TOKENS_DAYS_DEFAULT 90

int page_tokens(struct request *req);
int page_tokens_create(struct request *req);
int page_tokens_revoke(struct request *req);

#endif
