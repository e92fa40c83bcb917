/*
 * staff.h - an admin's actions on staff accounts: add a user, disable or
 * enable one, reset a password, grant and revoke keyrings.
 *
 * Each is one action (core/action.h): it checks the actor (an admin) and
 * the input, does the slow work (Argon2id, unsealing a keyring) before
 * its write transaction, and writes the change and its audit row in one
 * transaction. The caller renders the outcome and, when the outcome's id
 * (the account's) is set after a disable, reset or revoke, ends that
 * user's sessions: keys unwrapped at their login must not outlive the
 * change.
 *
 * A user's own account is refused for disable and reset: an admin who
 * locks themselves out may be the last one, and one's own keyrings would
 * be lost with no one to grant them back.
 */
#ifndef MELDPUNT_STAFF_H
#define MELDPUNT_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "token.h"

struct db;

/* A display name: at most this many bytes of one line of text. */
#define STAFF_DISPLAY_NAME_MAX 200
/* The one-time password of a new or reset account, as shown once. */
#define STAFF_PASSWORD_LEN TOKEN_PASSWORD_LEN

/*
 * For the actions that hash a password: hit counts an attempt and says 1
 * when it may go on, 0 when the caller's limit is used up. NULL: none.
 */
struct staff_limit {
	int (*hit)(void *arg);
	void *arg;
};

/*
 * Add user username (display name, roles) with a one-time password,
 * written into password to be shown once. VERDICT_INVALID
 * ("admin.name_bad", "admin.display_bad", "admin.roles_missing",
 * "admin.name_taken", with the field), VERDICT_LIMITED
 * ("common.rate_limited"), VERDICT_REFUSED (not an admin), VERDICT_FAILED,
 * or VERDICT_DONE with the new id.
 */
struct outcome staff_create(struct db *db, const struct actor *a,
                            const char *username, const char *display_name,
                            unsigned roles, const struct staff_limit *limit,
                            char password[STAFF_PASSWORD_LEN + 1]);

/*
 * Disable (1) or enable (0) username. VERDICT_NOT_FOUND
 * ("admin.not_found"), VERDICT_REFUSED ("admin.not_self"),
 * VERDICT_FAILED, or VERDICT_DONE ("admin.disabled_done",
 * "admin.enabled_done") with the account's id.
 */
struct outcome staff_disable(struct db *db, const struct actor *a,
                             const char *username, int disabled);

/*
 * Reset username's password (users_reset: a new key pair, the second
 * factor cleared, the keyrings pending). VERDICT_NOT_FOUND,
 * VERDICT_REFUSED ("admin.not_self"), VERDICT_LIMITED, VERDICT_FAILED, or
 * VERDICT_DONE ("admin.reset_done_lead") with the id and the one-time
 * password in password.
 */
struct outcome staff_reset(struct db *db, const struct actor *a,
                           const char *username,
                           const struct staff_limit *limit,
                           char password[STAFF_PASSWORD_LEN + 1]);

/*
 * Grant keyring to username with the actor's own copy of it or, when
 * recovery is neither NULL nor "", with the recovery key typed in (its
 * use audited as "recovery-key" in the grant's transaction; a wrong one
 * audited as refused). A keyring none of the account's roles handles
 * (keyrings_role_handles: HR and agressie, an auditor and signalen) is
 * granted only when confirmed is 1, and then audited also as
 * "keyring-grant-confirmed" with the account's roles, in the grant's
 * transaction; without it VERDICT_STALE ("admin.grant_confirm", field
 * "confirm") and nothing is done or audited: the page asks a second
 * time, an API caller must send the flag. VERDICT_NOT_FOUND (the user),
 * VERDICT_INVALID ("common.bad_request": no such keyring),
 * VERDICT_REFUSED ("admin.recovery_bad", "admin.need_key"),
 * VERDICT_FAILED, or VERDICT_DONE ("admin.granted") with the id.
 */
struct outcome staff_grant(struct db *db, const struct actor *a,
                           const char *username, const char *keyring,
                           const char *recovery, int confirmed);

/* The outcome key that asks to confirm a grant (staff_grant). */
#define STAFF_GRANT_CONFIRM "admin.grant_confirm"

/* Room for the names of the keyrings a role change takes away. */
#define STAFF_TAKEN_MAX 256

/*
 * Give username the roles roles (enum role bits, not 0) instead of its
 * own, audited as "user-roles" ("name: old -> new"). The keyrings that
 * only the roles taken away handled (keyrings_role_handles: the old
 * roles did, the new ones do not) are revoked in the same transaction,
 * each audited as "keyring-revoke", held or pending after a reset alike,
 * and named in taken ("agressie, statistiek"; "" for none): a VPT
 * coordinator made HR keeps statistiek and loses agressie. A keyring no
 * old role handled (granted with a confirmation) stays: it was granted
 * for this person, not for a role. Keyrings the new roles handle are not
 * granted by this: the user page offers them. The caller ends the
 * account's sessions (roles and keys are read at login).
 * VERDICT_NOT_FOUND, VERDICT_REFUSED ("admin.not_self": one's own roles
 * stay, so the last admin cannot drop out), VERDICT_INVALID
 * ("admin.roles_missing", field "role"), VERDICT_FAILED, or VERDICT_DONE
 * ("admin.roles_done") with the id.
 */
struct outcome staff_roles(struct db *db, const struct actor *a,
                           const char *username, unsigned roles,
                           char taken[STAFF_TAKEN_MAX]);

/*
 * Take keyring from username. VERDICT_NOT_FOUND, VERDICT_INVALID (no such
 * keyring), VERDICT_FAILED, or VERDICT_DONE ("admin.revoked") with the id.
 */
struct outcome staff_revoke(struct db *db, const struct actor *a,
                            const char *username, const char *keyring);

/*
 * Set the e-mail address of username ("" or NULL removes it), for the
 * deadline reminders (reminder.h): anyone their own, an admin anyone's.
 * VERDICT_NOT_FOUND ("admin.not_found"), VERDICT_REFUSED (another's, not
 * an admin; audited), VERDICT_INVALID ("staff.email_bad", field "email":
 * not one plain address of at most USERS_EMAIL_MAX bytes; nothing
 * changed), VERDICT_FAILED, or VERDICT_DONE ("staff.email_saved",
 * "staff.email_removed") with the account's id.
 */
struct outcome staff_set_email(struct db *db, const struct actor *a,
                               const char *username, const char *email);

#endif
