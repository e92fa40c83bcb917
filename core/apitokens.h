/*
 * apitokens.h - staff API tokens as stored, and authenticating with one.
 *
 * A token (crypto/apitoken.h) belongs to one user, carries a label, a set
 * of roles (a subset of the user's own), an expiry and maybe a
 * revocation. Only its user can make one, from a logged-in session,
 * because making it wraps the user's private key. Its user and any admin
 * can revoke it. Making and revoking are audited.
 *
 * apitokens_authenticate is a token's login: it finds the row by public
 * id, checks the verifier in constant time, then expiry, revocation and
 * the account, and unwraps the private key. The roles it gives are the
 * token's roles cut to those the user still holds; the keyrings a token
 * may open follow from those roles (apitokens_ring_allowed), so a token
 * made for the statistics does not open the signals.
 *
 * Ownership: lists are released with apitokens_list_free; the private
 * key in struct apitoken_auth with apitoken_auth_release.
 */
#ifndef MELDPUNT_APITOKENS_H
#define MELDPUNT_APITOKENS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "action.h"
#include "apitoken.h"
#include "clock.h"
#include "secret.h"

struct db;
struct installation;

/* A token's label: 1..APITOKENS_LABEL_MAX bytes of plain text. */
#define APITOKENS_LABEL_MAX 64
/* Lifetime: 1..APITOKENS_DAYS_MAX days; a token never lives for ever. */
#define APITOKENS_DAYS_MAX 366
/* Live (not revoked, not expired) tokens one user may hold. */
#define APITOKENS_PER_USER_MAX 20

/* Why apitokens_create refused. */
enum apitokens_refusal {
	APITOKENS_OK = 0,
	APITOKENS_BAD_LABEL,	/* empty, too long, or not plain text */
	APITOKENS_BAD_DAYS,	/* outside 1..APITOKENS_DAYS_MAX */
	APITOKENS_BAD_ROLES,	/* none, or one the user does not hold */
	APITOKENS_TOO_MANY,	/* APITOKENS_PER_USER_MAX live tokens */
};

/*
 * Make a token for the user (id, name, key pair from their session) with
 * roles (each one of user_roles), label and a life of days from now. The
 * text is written to text (show it once, then wipe it). Audited as
 * "api-token-create". An enum apitokens_refusal, or -1 on error.
 */
int apitokens_create(struct installation *inst, int64_t user_id,
                     const char *username, const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                     const struct secret *sk, unsigned user_roles,
                     unsigned roles, const char *label, unsigned days,
                     time_t now, char text[APITOKEN_TEXT_LEN + 1]);

/* The text of a token, as made (APITOKEN_TEXT_LEN, crypto/apitoken.h). */
#define APITOKENS_TEXT_LEN APITOKEN_TEXT_LEN

/*
 * The action of making a token, for the actor, logged in with the key
 * pair pk, sk (wrapped for the token): apitokens_create as an outcome.
 * VERDICT_DONE ("tokens.created_ok") with the text in text;
 * VERDICT_INVALID ("tokens.bad_label", "tokens.bad_days",
 * "tokens.bad_roles", with the field); VERDICT_REFUSED ("tokens.too_many");
 * VERDICT_FAILED with nothing stored.
 */
struct outcome apitokens_make(struct installation *inst,
                              const struct actor *a,
                              const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                              const struct secret *sk, unsigned roles,
                              const char *label, unsigned days, time_t now,
                              char text[APITOKENS_TEXT_LEN + 1]);

/*
 * The action of revoking token public_id: an admin revokes any, anyone
 * else only their own. VERDICT_DONE, VERDICT_NOT_FOUND
 * ("tokens.not_found": no such token of theirs, or revoked already) or
 * VERDICT_FAILED.
 */
struct outcome apitokens_withdraw(struct db *db, const struct actor *a,
                                  const char *public_id, time_t now);

struct apitoken_row {
	char public_id[APITOKEN_ID_LEN + 1];
	int64_t user_id;
	char username[65];
	char label[APITOKENS_LABEL_MAX + 1];
	unsigned roles;
	char created_at[CLOCK_TEXT_LEN + 1];
	char expires_at[CLOCK_TEXT_LEN + 1];
	char revoked_at[CLOCK_TEXT_LEN + 1];	/* "" when not revoked */
	char revoked_by[65];
	int expired;				/* at the time of listing */
};

/*
 * The tokens of user_id (0: of everyone), newest first. 0 and *out, *n
 * (free with apitokens_list_free), or -1.
 */
int apitokens_list(struct db *db, int64_t user_id, time_t now,
                   struct apitoken_row **out, size_t *n);
void apitokens_list_free(struct apitoken_row *rows);

/*
 * Revoke token public_id as actor; when owner is not 0 only a token of
 * that user (a user revoking their own). Audited. 0; 1 when there is no
 * such token (of owner) or it was revoked already; -1 on error.
 */
int apitokens_revoke(struct db *db, const char *actor, const char *public_id,
                     int64_t owner, time_t now);

/* What a valid token gives: a user, roles and the user's private key. */
struct apitoken_auth {
	char public_id[APITOKEN_ID_LEN + 1];
	int64_t user_id;
	char username[65];
	unsigned roles;
	uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk;
};

enum apitokens_verdict {
	APITOKENS_VALID = 0,
	APITOKENS_UNKNOWN,	/* malformed, no such id, or a wrong secret */
	APITOKENS_EXPIRED,
	APITOKENS_REVOKED,
	APITOKENS_NO_ACCOUNT,	/* user disabled, key reset, or no role left */
};

/*
 * Check token text at time now. APITOKENS_VALID and *out (release with
 * apitoken_auth_release), another enum apitokens_verdict (nothing in
 * *out; a refusal of a token that was known is audited here as
 * 'api-auth' refused, naming its owner and public id: a guess is not),
 * or -1 on error.
 */
int apitokens_authenticate(struct installation *inst, const char *text,
                           time_t now, struct apitoken_auth *out);
void apitoken_auth_release(struct apitoken_auth *a);

/* "expired", "revoked", ...: a verdict in words, for answers and logs. */
const char *apitokens_verdict_text(int verdict);

/* 1 when a token with roles may open keyring name, else 0. */
int apitokens_ring_allowed(unsigned roles, const char *name);

/* The roles as "a, b" into out (size bytes). */
void apitokens_roles_text(unsigned roles, char *out, size_t size);

#endif
