/*
 * install.c - create and open an installation (see install.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "clock.h"
#include "daycount.h"
#include "db.h"
#include "install.h"
#include "installation.h"
#include "keyrings.h"
#include "receipt.h"
#include "log.h"
#include "reptype.h"
#include "users.h"

static char *
path_join(const char *dir, const char *file)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s", dir, file);
	return buf_detach(&b, NULL);
}

int
install_exists(const char *dir)
{
	char *db = path_join(dir, INSTALL_DB_FILE);
	char *key = path_join(dir, INSTALL_SECRET_FILE);
	int found = access(db, F_OK) == 0 || access(key, F_OK) == 0;

	free(db);
	free(key);
	return found;
}

/* Remove every file a failed init may have made. */
static void
remove_files(const char *db_path, const char *key_path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s%s", db_path, suffixes[i]);
		unlink(b.data);
		buf_release(&b);
	}
	unlink(key_path);
}

static int
store_installation(struct db *db, const uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN],
                   const uint8_t check[INSTALLATION_CHECK_LEN])
{
	char now[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	clock_format(clock_now(), now);
	if (db_prepare(db, &st, "INSERT INTO installation (id, created_at,"
	               " recovery_public_key, secret_check)"
	               " VALUES (1, :now, :pk, :check)") < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_blob(st, ":pk", recovery_pk, CRYPTO_PUBLICKEY_LEN) < 0 ||
	    stmt_bind_blob(st, ":check", check, INSTALLATION_CHECK_LEN) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
install_create(const char *dir, const char *admin,
               const struct pwhash_params *params, struct install_result *out)
{
	uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN], admin_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t check[INSTALLATION_CHECK_LEN];
	struct secret *secret = NULL, *recovery_sk = NULL, *ring_sk = NULL;
	char *db_path = path_join(dir, INSTALL_DB_FILE);
	char *key_path = path_join(dir, INSTALL_SECRET_FILE);
	struct db *db = NULL;
	int made_dir = 0, made_files = 0, in_tx = 0, ret = -1;
	int64_t admin_id;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (install_exists(dir)) {
		error("%s already holds a Meldpunt installation; init changes "
		      "nothing. Use 'meldpunt serve' to run it, or move the "
		      "folder away to start over", dir);
		goto out;
	}
	if (!users_valid_name(admin)) {
		error("admin name '%s' is not valid: use lower-case letters, "
		      "digits, '.', '_' or '-'", admin);
		goto out;
	}
	if (mkdir(dir, 0700) == 0)
		made_dir = 1;
	else if (errno != EEXIST) {
		error("cannot create folder %s: %s", dir, strerror(errno));
		goto out;
	}

	made_files = 1;
	if (installation_secret_new(&secret) < 0 ||
	    installation_secret_check(secret, check) < 0 ||
	    secret_save_file(key_path, secret) < 0) {
		error("cannot write the installation secret %s: %s", key_path,
		      strerror(errno));
		goto out;
	}
	if (db_open(&db, db_path, DB_CREATE) < 0)
		goto out;
	db_set_audit_key(db, secret);
	if (keyring_create(recovery_pk, &recovery_sk) < 0) {
		error("cannot create the recovery key");
		goto out;
	}
	token_password(out->admin_password);

	if (db_begin(db) < 0)
		goto out;
	in_tx = 1;
	if (store_installation(db, recovery_pk, check) < 0)
		goto out;
	if (users_create(db, admin, "", ROLE_ADMIN, out->admin_password, params,
	                 &admin_id, admin_pk, NULL) < 0)
		goto out;
	/*
	 * The first admin holds the statistics keyring and the keyring of
	 * every report type that says first_admin = yes (schema/forms/), so
	 * the first real users can be given access without fetching the
	 * printed recovery key. The admin can drop these grants once others
	 * hold them (SECURITY.md). Every other type's keyring is sealed to
	 * the recovery key alone.
	 */
	for (i = 0; i <= report_types_count(); i++) {
		const char *name = i < report_types_count()
			? report_type_keyring((enum report_type)i)
			: KEYRING_STATISTICS;
		int grant = i == report_types_count() ||
		            report_type_first_admin((enum report_type)i);

		if (keyrings_create(db, name, recovery_pk, &ring_sk) < 0 ||
		    (grant && keyrings_grant(db, name, ring_sk, admin_id,
		                             admin_pk) < 0))
			goto out;
		secret_free(ring_sk);
		ring_sk = NULL;
	}
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "install", admin) < 0 ||
	    audit_checkpoint(db) < 0)
		goto out;
	in_tx = 0;
	if (db_commit(db) < 0)
		goto out;
	recovery_format(recovery_sk, out->recovery_key);
	ret = 0;
out:
	if (in_tx)
		db_rollback(db);
	if (db_close(db) < 0)
		ret = -1;
	if (ret < 0) {
		if (made_files)
			remove_files(db_path, key_path);
		if (made_dir)
			rmdir(dir);
		crypto_wipe(out, sizeof(*out));
	}
	secret_free(ring_sk);
	secret_free(recovery_sk);
	secret_free(secret);
	free(db_path);
	free(key_path);
	return ret;
}

static int
check_secret(struct installation *inst)
{
	uint8_t want[INSTALLATION_CHECK_LEN];
	struct stmt *st = NULL;
	const void *have;
	size_t len;
	int ret = -1;

	if (installation_secret_check(inst->secret, want) < 0)
		return error("the installation secret has the wrong size");
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT secret_check FROM installation"
	               " WHERE id = 1") < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("%s has no installation record: was 'meldpunt init' "
		      "interrupted? Move the folder away and run init again",
		      inst->db_path);
		goto out;
	}
	have = stmt_blob(st, 0, &len);
	if (len != sizeof(want) || !crypto_equal(have, want, sizeof(want))) {
		error("%s/%s does not belong to this database: put back the "
		      "secret file that was made with it (see README, backups)",
		      inst->dir, INSTALL_SECRET_FILE);
		goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	return ret;
}

/*
 * Every report type's keyring, made when missing: a type added by an
 * upgrade (integrity, schema 29) gets its keyring at the first start,
 * sealed to the recovery key alone, so nobody holds it until the admin
 * grants it with the recovery key (core/keyrings.h keyrings_ensure).
 */
static int
ensure_type_keyrings(struct installation *inst)
{
	size_t i;

	for (i = 0; i < report_types_count(); i++)
		if (keyrings_ensure(inst->db,
		                    report_type_keyring((enum report_type)i)) < 0)
			return error("cannot make the keyring %s",
			             report_type_keyring((enum report_type)i));
	return 0;
}

int
install_open(const char *dir, unsigned db_flags, struct installation **out)
{
	struct installation *inst;
	char *key_path;

	*out = NULL;
	inst = calloc(1, sizeof(*inst));
	if (!inst)
		die("out of memory");
	inst->dir = strdup(dir);
	if (!inst->dir)
		die("out of memory");
	inst->keys = keyrings_cache_new();
	if (!inst->keys)
		die("out of memory");
	inst->db_path = path_join(dir, INSTALL_DB_FILE);
	key_path = path_join(dir, INSTALL_SECRET_FILE);
	if (access(inst->db_path, F_OK) != 0) {
		error("no installation in %s: run 'meldpunt init' first, or "
		      "give the right --data folder", dir);
		goto fail;
	}
	if (secret_load_file(key_path, INSTALLATION_SECRET_LEN,
	                     &inst->secret) < 0) {
		error("cannot read the installation secret %s (missing, wrong "
		      "size, or readable by others: it must be mode 0600)",
		      key_path);
		goto fail;
	}
	if (db_open(&inst->db, inst->db_path, db_flags & ~(unsigned)DB_CREATE) < 0)
		goto fail;
	if (check_secret(inst) < 0)
		goto fail;
	/* A writable installation signs audit checkpoints (audit.h). */
	if (!(db_flags & DB_READONLY)) {
		db_set_audit_key(inst->db, inst->secret);
		if (ensure_type_keyrings(inst) < 0)
			goto fail;
	}
	free(key_path);
	*out = inst;
	return 0;
fail:
	free(key_path);
	install_close(inst);
	return -1;
}

int
install_close(struct installation *inst)
{
	int ret;

	if (!inst)
		return 0;
	/*
	 * The reporters' counts of finished days go into the log before the
	 * checkpoint (daycount.h): a writable installation only, the one
	 * with the audit key. A close is never a reporter's action.
	 */
	if (inst->db && db_audit_key(inst->db) &&
	    daycount_roll(inst->db, clock_now()) < 0)
		error("could not audit the reporters' day counts");
	/* The latest checkpoint covers the end of the log at a clean close. */
	ret = inst->db ? audit_checkpoint(inst->db) : 0;
	if (ret < 0)
		error("could not sign the end of the audit log");
	if (inst->db)
		db_set_audit_key(inst->db, NULL);
	if (db_close(inst->db) < 0)
		ret = -1;
	secret_free(inst->secret);
	keyrings_cache_free(inst->keys);
	free(inst->db_path);
	free(inst->dir);
	free(inst);
	return ret;
}

int
install_verify_audit(struct installation *inst, struct audit_check *out)
{
	return audit_verify_signed(inst->db, inst->secret, out);
}
