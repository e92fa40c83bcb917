/*
 * install.h - an installation: its folder, database and secret.
 *
 * An installation is a folder (mode 0700) holding meldpunt.db and
 * installation.key. install_create makes one, with the three keyrings, the
 * recovery key and the first admin; it refuses to touch a folder that
 * already holds either file, and on any failure removes what it made, so
 * `meldpunt init` either completes or changes nothing. install_open opens
 * an existing one and checks that the secret file belongs to the database.
 *
 * Ownership: install_open gives a struct installation to install_close,
 * which closes the database and wipes the secret.
 */
#ifndef MELDPUNT_INSTALL_H
#define MELDPUNT_INSTALL_H

#include "keyring.h"
#include "secret.h"
#include "token.h"
#include "userkey.h"

struct db;

#define INSTALL_DB_FILE "meldpunt.db"
#define INSTALL_SECRET_FILE "installation.key"
#define INSTALL_ADMIN_DEFAULT "admin"

struct keyrings_cache;

struct installation {
	char *dir;
	char *db_path;
	struct db *db;
	struct secret *secret;
	/* Keyring public keys new reports are sealed to (keyrings.h). */
	struct keyrings_cache *keys;
	/* Receipts made ahead (receipt.h), or NULL: each report makes its
	 * own. The server starts it; whoever starts it stops it before
	 * install_close. */
	struct receipt_pool *receipts;
};

/* What init shows once and never stores. */
struct install_result {
	char recovery_key[RECOVERY_TEXT_LEN + 1];
	char admin_password[TOKEN_PASSWORD_LEN + 1];
};

int install_create(const char *dir, const char *admin,
                   const struct pwhash_params *params,
                   struct install_result *out);

/* 1 when dir holds an installation's database or secret file, else 0. */
int install_exists(const char *dir);

/* db_flags as for db_open (DB_READONLY for inspection). 0 or -1. */
int install_open(const char *dir, unsigned db_flags, struct installation **out);
/* 0, or -1 when the database did not close cleanly. NULL is fine. */
int install_close(struct installation *inst);

/*
 * `meldpunt audit-verify`: the audit chain and its signed checkpoints,
 * checked with the installation's secret (audit_verify_signed). 0 when
 * all fits; -1 with out->problem naming the row.
 */
struct audit_check;
int install_verify_audit(struct installation *inst, struct audit_check *out);

#endif
