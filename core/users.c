/*
 * users.c - staff accounts (see users.h).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "log.h"
#include "users.h"

static const struct {
	enum role bit;
	const char *name;
} roles[] = {
	{ ROLE_ADMIN, "admin" },
	{ ROLE_COORDINATOR, "coordinator" },
	{ ROLE_VPT, "vpt" },
	{ ROLE_HR, "hr" },
	{ ROLE_OVERLEG, "overleg" },
	{ ROLE_AUDITOR, "auditor" },
};

const char *
role_name(enum role r)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit == r)
			return roles[i].name;
	return NULL;
}

unsigned
role_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].bit;
	return 0;
}

int
users_valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= USERNAME_MAX;
}

int
users_create(struct db *db, const char *username, const char *display_name,
             unsigned roleset, const char *password,
             const struct pwhash_params *params, int64_t *id_out,
             uint8_t pk_out[CRYPTO_PUBLICKEY_LEN], struct secret **sk_out)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrapped[USERKEY_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	int64_t id = 0;
	size_t i;
	int own, ret = -1;

	if (sk_out)
		*sk_out = NULL;
	if (!users_valid_name(username))
		return error("user name '%s' is not valid: use 1 to %d lower-case "
		             "letters, digits, '.', '_' or '-'", username,
		             USERNAME_MAX);
	if (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX)
		return error("a password needs %d to %d characters",
		             PASSWORD_MIN, PASSWORD_MAX);
	/* The slow part (Argon2id) before taking the lock. */
	if (userkey_create(password, strlen(password), params, pk, wrapped,
	                   &sk) < 0)
		return error("could not create a key pair for %s", username);
	clock_format(clock_now(), now);

	if (db_join(db, &own) < 0) {
		secret_free(sk);
		return -1;
	}
	if (db_prepare(db, &st, "INSERT INTO users (username, display_name,"
	               " public_key, wrapped_key, must_change_password,"
	               " created_at) VALUES (:username, :display_name,"
	               " :public_key, :wrapped_key, 1, :now)") < 0 ||
	    stmt_bind_text(st, ":username", username) < 0 ||
	    stmt_bind_text(st, ":display_name", display_name ? display_name : "") < 0 ||
	    stmt_bind_blob(st, ":public_key", pk, sizeof(pk)) < 0 ||
	    stmt_bind_blob(st, ":wrapped_key", wrapped, sizeof(wrapped)) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_run(st) < 0) {
		error("could not store user %s (is the name taken?)", username);
		goto out;
	}
	stmt_finalize(st);
	st = NULL;
	id = db_last_id(db);
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (!(roleset & roles[i].bit))
			continue;
		if (db_prepare(db, &st, "INSERT INTO user_roles (user_id, role)"
		               " VALUES (:id, :role)") < 0 ||
		    stmt_bind_int(st, ":id", id) < 0 ||
		    stmt_bind_text(st, ":role", roles[i].name) < 0 ||
		    stmt_run(st) < 0)
			goto out;
		stmt_finalize(st);
		st = NULL;
	}
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "user-create", username) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0) {
		if (id_out)
			*id_out = id;
		if (pk_out)
			memcpy(pk_out, pk, sizeof(pk));
		if (sk_out) {
			*sk_out = sk;
			sk = NULL;
		}
	}
	secret_free(sk);
	return ret;
}

static char *
dup_or_die(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

int
users_find(struct db *db, const char *username, struct user *u)
{
	struct stmt *st = NULL;
	const void *p;
	size_t len;
	int rc, ret = -1;

	memset(u, 0, sizeof(*u));
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id, username, display_name, public_key,"
	               " wrapped_key, must_change_password, disabled"
	               " FROM users WHERE username = :username") < 0 ||
	    stmt_bind_text(st, ":username", username) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0)
		goto out;
	u->id = stmt_int(st, 0);
	u->username = dup_or_die(stmt_text(st, 1));
	u->display_name = dup_or_die(stmt_text(st, 2));
	p = stmt_blob(st, 3, &len);
	if (len != sizeof(u->public_key))
		goto damaged;
	memcpy(u->public_key, p, len);
	p = stmt_blob(st, 4, &len);
	if (len != sizeof(u->wrapped_key))
		goto damaged;
	memcpy(u->wrapped_key, p, len);
	u->must_change_password = (int)stmt_int(st, 5);
	u->disabled = (int)stmt_int(st, 6);
	stmt_finalize(st);

	if (db_prepare(db, &st, "SELECT role FROM user_roles"
	               " WHERE user_id = :id") < 0 ||
	    stmt_bind_int(st, ":id", u->id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW)
		u->roles |= role_parse(stmt_text(st, 0));
	if (rc < 0)
		goto out;
	ret = 0;
	goto out;
damaged:
	error("the stored keys of user %s are damaged", username);
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret != 0)
		user_release(u);
	return ret;
}

void
user_release(struct user *u)
{
	free(u->username);
	free(u->display_name);
	memset(u, 0, sizeof(*u));
}

int
users_unlock(const struct user *u, const char *password, struct secret **sk_out)
{
	*sk_out = NULL;
	if (u->disabled)
		return -1;
	return userkey_unwrap(password, strlen(password), u->public_key,
	                      u->wrapped_key, sk_out);
}
