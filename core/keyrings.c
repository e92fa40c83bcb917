/*
 * keyrings.c - keyrings and their members in the database (see keyrings.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "db.h"
#include "keyring.h"
#include "keyrings.h"
#include "log.h"
#include "reptype.h"
#include "users.h"

int
keyrings_create(struct db *db, const char *name,
                const uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN],
                struct secret **sk_out)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrap[KEYRING_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	int own, ret = -1;

	if (sk_out)
		*sk_out = NULL;
	if (keyring_create(pk, &sk) < 0 || keyring_wrap(sk, recovery_pk, wrap) < 0) {
		secret_free(sk);
		return error("could not create the key pair of keyring %s", name);
	}
	clock_format(clock_now(), now);
	if (db_join(db, &own) < 0) {
		secret_free(sk);
		return -1;
	}
	if (db_prepare(db, &st, "INSERT INTO keyrings (name, public_key,"
	               " recovery_wrap, created_at) VALUES (:name, :pk,"
	               " :wrap, :now)") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0 ||
	    stmt_bind_blob(st, ":pk", pk, sizeof(pk)) < 0 ||
	    stmt_bind_blob(st, ":wrap", wrap, sizeof(wrap)) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_run(st) < 0) {
		error("could not store keyring %s (does it exist already?)", name);
		goto out;
	}
	if (audit_append(db, AUDIT_ACTOR_SYSTEM, "keyring-create", name) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	if (ret == 0 && sk_out) {
		*sk_out = sk;
		sk = NULL;
	}
	secret_free(sk);
	return ret;
}

/* Read one fixed-size blob column of the keyring row (or member row). */
static int
read_blob(struct stmt *st, int col, uint8_t *out, size_t len)
{
	const void *p;
	size_t n;

	p = stmt_blob(st, col, &n);
	if (n != len)
		return error("a stored key has the wrong size: the database is "
		             "damaged");
	memcpy(out, p, len);
	return 0;
}

int
keyrings_public_key(struct db *db, const char *name,
                    uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	struct stmt *st = NULL;
	int ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT public_key FROM keyrings"
	               " WHERE name = :name") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("there is no keyring %s", name);
		goto out;
	}
	ret = read_blob(st, 0, pk, CRYPTO_PUBLICKEY_LEN);
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
keyrings_public_keys(struct db *db, const char *a,
                     uint8_t pka[CRYPTO_PUBLICKEY_LEN], const char *b,
                     uint8_t pkb[CRYPTO_PUBLICKEY_LEN])
{
	struct stmt *st = NULL;
	int ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT (SELECT public_key FROM keyrings"
	               " WHERE name = :a), (SELECT public_key FROM keyrings"
	               " WHERE name = :b)") < 0 ||
	    stmt_bind_text(st, ":a", a) < 0 ||
	    stmt_bind_text(st, ":b", b) < 0 ||
	    stmt_step(st) != DB_ROW)
		goto out;
	if (stmt_is_null(st, 0) || stmt_is_null(st, 1)) {
		error("there is no keyring %s",
		      stmt_is_null(st, 0) ? a : b);
		goto out;
	}
	if (read_blob(st, 0, pka, CRYPTO_PUBLICKEY_LEN) < 0 ||
	    read_blob(st, 1, pkb, CRYPTO_PUBLICKEY_LEN) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

/* Keys kept; the program seals to three keyrings at most per report. */
#define CACHE_KEYS 8

struct keyrings_cache {
	pthread_mutex_t lock;
	size_t n;
	struct {
		char name[KEYRING_NAME_MAX + 1];
		uint8_t pk[CRYPTO_PUBLICKEY_LEN];
	} keys[CACHE_KEYS];
};

struct keyrings_cache *
keyrings_cache_new(void)
{
	struct keyrings_cache *c = calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
keyrings_cache_free(struct keyrings_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int
keyrings_cache_key(struct keyrings_cache *c, struct db *db, const char *name,
                   uint8_t pk[CRYPTO_PUBLICKEY_LEN])
{
	size_t i;

	if (strlen(name) > KEYRING_NAME_MAX)
		return error("keyring name too long");
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->n; i++)
		if (strcmp(c->keys[i].name, name) == 0) {
			memcpy(pk, c->keys[i].pk, CRYPTO_PUBLICKEY_LEN);
			pthread_mutex_unlock(&c->lock);
			return 0;
		}
	pthread_mutex_unlock(&c->lock);
	/* Read without the cache's lock: it never waits for the database. */
	if (keyrings_public_key(db, name, pk) < 0)
		return -1;
	pthread_mutex_lock(&c->lock);
	if (c->n < CACHE_KEYS) {
		snprintf(c->keys[c->n].name, sizeof(c->keys[c->n].name), "%s",
		         name);
		memcpy(c->keys[c->n].pk, pk, CRYPTO_PUBLICKEY_LEN);
		c->n++;
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

void
keyrings_cache_forget(struct keyrings_cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->n = 0;
	pthread_mutex_unlock(&c->lock);
}

/* A grant or revoke settles what a password reset left pending. */
static int
clear_pending(struct db *db, const char *name, int64_t user_id)
{
	struct stmt *st = NULL;
	int ret;

	ret = db_prepare(db, &st, "DELETE FROM keyring_pending WHERE user_id = :user"
	                 " AND keyring_id = (SELECT id FROM keyrings"
	                 " WHERE name = :name)") < 0 ||
	      stmt_bind_int(st, ":user", user_id) < 0 ||
	      stmt_bind_text(st, ":name", name) < 0 ||
	      stmt_run(st) < 0 ? -1 : 0;
	stmt_finalize(st);
	return ret;
}

int
keyrings_grant(struct db *db, const char *name, const struct secret *ring_sk,
               int64_t user_id, const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN])
{
	return keyrings_grant_as(db, AUDIT_ACTOR_SYSTEM, name, ring_sk, user_id,
	                         member_pk);
}

int
keyrings_grant_as(struct db *db, const char *actor, const char *name,
                  const struct secret *ring_sk, int64_t user_id,
                  const uint8_t member_pk[CRYPTO_PUBLICKEY_LEN])
{
	uint8_t wrap[KEYRING_WRAPPED_LEN];
	char now[CLOCK_TEXT_LEN + 1], object[128];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (keyring_wrap(ring_sk, member_pk, wrap) < 0)
		return error("could not wrap keyring %s", name);
	clock_format(clock_now(), now);
	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "INSERT OR REPLACE INTO keyring_members"
	               " (keyring_id, user_id, wrapped_key, granted_at)"
	               " SELECT id, :user, :wrap, :now FROM keyrings"
	               " WHERE name = :name") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0 ||
	    stmt_bind_blob(st, ":wrap", wrap, sizeof(wrap)) < 0 ||
	    stmt_bind_text(st, ":now", now) < 0 ||
	    stmt_bind_text(st, ":name", name) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	if (db_changes(db) != 1) {
		error("there is no keyring %s", name);
		goto out;
	}
	if (clear_pending(db, name, user_id) < 0)
		goto out;
	snprintf(object, sizeof(object), "%s user=%lld", name, (long long)user_id);
	if (audit_append(db, actor, "keyring-grant", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	return ret;
}

int
keyrings_revoke(struct db *db, const char *name, int64_t user_id)
{
	return keyrings_revoke_as(db, AUDIT_ACTOR_SYSTEM, name, user_id);
}

int
keyrings_revoke_as(struct db *db, const char *actor, const char *name,
                   int64_t user_id)
{
	struct stmt *st = NULL;
	char object[128];
	int own, ret = -1;

	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "DELETE FROM keyring_members WHERE user_id = :user"
	               " AND keyring_id = (SELECT id FROM keyrings"
	               " WHERE name = :name)") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0 ||
	    stmt_bind_text(st, ":name", name) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (clear_pending(db, name, user_id) < 0)
		goto out;
	snprintf(object, sizeof(object), "%s user=%lld", name, (long long)user_id);
	if (audit_append(db, actor, "keyring-revoke", object) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	ret = db_leave(db, own, ret == 0);
	return ret;
}

int
keyrings_unlock(struct db *db, const char *name, int64_t user_id,
                const uint8_t user_pk[CRYPTO_PUBLICKEY_LEN],
                const struct secret *user_sk, struct secret **ring_sk)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrap[KEYRING_WRAPPED_LEN];
	struct stmt *st = NULL;
	int rc, ret = -1;

	*ring_sk = NULL;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT k.public_key, m.wrapped_key"
	               " FROM keyrings k JOIN keyring_members m"
	               " ON m.keyring_id = k.id"
	               " WHERE k.name = :name AND m.user_id = :user") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0 || read_blob(st, 0, pk, sizeof(pk)) < 0 ||
	    read_blob(st, 1, wrap, sizeof(wrap)) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	db_unlock(db);
	/* Unwrap outside the lock: it is pure computation. */
	if (keyring_unwrap(wrap, user_pk, user_sk, pk, ring_sk) < 0)
		return error("the copy of keyring %s for user %lld does not open",
		             name, (long long)user_id);
	return 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
keyrings_recover(struct db *db, const char *name,
                 const uint8_t recovery_pk[CRYPTO_PUBLICKEY_LEN],
                 const struct secret *recovery_sk, struct secret **ring_sk)
{
	uint8_t pk[CRYPTO_PUBLICKEY_LEN], wrap[KEYRING_WRAPPED_LEN];
	struct stmt *st = NULL;
	int ret = -1;

	*ring_sk = NULL;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT public_key, recovery_wrap FROM keyrings"
	               " WHERE name = :name") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0)
		goto out;
	if (stmt_step(st) != DB_ROW) {
		error("there is no keyring %s", name);
		goto out;
	}
	if (read_blob(st, 0, pk, sizeof(pk)) < 0 ||
	    read_blob(st, 1, wrap, sizeof(wrap)) < 0)
		goto out;
	if (keyring_unwrap(wrap, recovery_pk, recovery_sk, pk, ring_sk) < 0) {
		error("the recovery key does not open keyring %s", name);
		goto out;
	}
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
keyrings_of_user(struct db *db, int64_t user_id,
                 char (*names)[KEYRING_NAME_MAX + 1], size_t max, size_t *n)
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	*n = 0;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT k.name FROM keyrings k"
	               " JOIN keyring_members m ON m.keyring_id = k.id"
	               " WHERE m.user_id = :user ORDER BY k.name") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW && *n < max) {
		snprintf(names[*n], KEYRING_NAME_MAX + 1, "%s", stmt_text(st, 0));
		(*n)++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

/* Copy the first column of each row into names (at most max). Lock held. */
static int
collect_names(struct stmt *st, char (*names)[KEYRING_NAME_MAX + 1],
              size_t max, size_t *n)
{
	int rc;

	while ((rc = stmt_step(st)) == DB_ROW && *n < max) {
		snprintf(names[*n], KEYRING_NAME_MAX + 1, "%s", stmt_text(st, 0));
		(*n)++;
	}
	return rc < 0 ? -1 : 0;
}

int
keyrings_names(struct db *db, char (*names)[KEYRING_NAME_MAX + 1], size_t max,
               size_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	*n = 0;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT name FROM keyrings ORDER BY name") < 0)
		goto out;
	ret = collect_names(st, names, max, n);
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
keyrings_pending_of_user(struct db *db, int64_t user_id,
                         char (*names)[KEYRING_NAME_MAX + 1], size_t max,
                         size_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	*n = 0;
	db_lock(db);
	if (db_prepare(db, &st, "SELECT k.name FROM keyrings k"
	               " JOIN keyring_pending p ON p.keyring_id = k.id"
	               " WHERE p.user_id = :user ORDER BY k.name") < 0 ||
	    stmt_bind_int(st, ":user", user_id) < 0)
		goto out;
	ret = collect_names(st, names, max, n);
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

int
keyrings_ensure(struct db *db, const char *name)
{
	return keyrings_ensure_member(db, name, NULL, NULL);
}

/* The most accounts a new keyring is sealed to at once (keyrings.h). */
#define KEYRINGS_FIRST_MAX 16

/*
 * Grant the new keyring sk to the users the statement's rows name (id,
 * public key), as actor. The rows are read first, the statement
 * finalized: a grant runs statements of its own.
 */
static int
grant_rows(struct db *db, struct stmt **st, const char *actor,
           const char *name, const struct secret *sk)
{
	uint8_t pks[KEYRINGS_FIRST_MAX][CRYPTO_PUBLICKEY_LEN];
	int64_t ids[KEYRINGS_FIRST_MAX];
	size_t n = 0, i;
	int rc;

	while ((rc = stmt_step(*st)) == DB_ROW && n < KEYRINGS_FIRST_MAX) {
		ids[n] = stmt_int(*st, 0);
		if (read_blob(*st, 1, pks[n], CRYPTO_PUBLICKEY_LEN) < 0)
			return -1;
		n++;
	}
	if (rc < 0)
		return -1;
	stmt_finalize(*st);
	*st = NULL;
	for (i = 0; i < n; i++)
		if (keyrings_grant_as(db, actor, name, sk, ids[i], pks[i]) < 0)
			return -1;
	return 0;
}

int
keyrings_ensure_member(struct db *db, const char *name, const char *username,
                       const char *admins_of)
{
	uint8_t rpk[CRYPTO_PUBLICKEY_LEN];
	struct secret *sk = NULL;
	struct stmt *st = NULL;
	int own, rc, ret = -1;

	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "SELECT (SELECT count(*) FROM keyrings"
	               " WHERE name = :name), recovery_public_key"
	               " FROM installation WHERE id = 1") < 0 ||
	    stmt_bind_text(st, ":name", name) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			error("this database has no installation row");
		goto out;
	}
	if (stmt_int(st, 0) > 0) {
		ret = 0;
		goto out;
	}
	if (read_blob(st, 1, rpk, sizeof(rpk)) < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (keyrings_create(db, name, rpk, &sk) < 0)
		goto out;
	/* The maker, and the admins who hold admins_of and are active. */
	if (username && (db_prepare(db, &st, "SELECT u.id, u.public_key"
	               " FROM users u WHERE u.disabled = 0"
	               " AND (u.username = :user OR (EXISTS (SELECT 1 FROM"
	               " user_roles r WHERE r.user_id = u.id AND r.role ="
	               " 'admin') AND EXISTS (SELECT 1 FROM keyring_members m"
	               " JOIN keyrings k ON k.id = m.keyring_id WHERE"
	               " m.user_id = u.id AND k.name = :admins_of)))"
	               " ORDER BY u.id") < 0 ||
	    stmt_bind_text(st, ":user", username) < 0 ||
	    stmt_bind_text(st, ":admins_of", admins_of ? admins_of : "") < 0 ||
	    grant_rows(db, &st, username, name, sk) < 0))
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	secret_free(sk);
	return db_leave(db, own, ret == 0);
}

int
keyrings_role_handles(unsigned roles, const char *name)
{
	enum report_type t;

	/* A report type's keyring: its handling role (schema/forms/). */
	if (report_type_by_keyring(name, &t) == 0)
		return (roles & report_type_role(t)) != 0;
	if (strcmp(name, KEYRING_STATISTICS) == 0)
		return (roles & (ROLE_HR | ROLE_VPT | ROLE_COORDINATOR |
		                 ROLE_INTEGRITY)) != 0;
	if (strcmp(name, KEYRING_MEETING) == 0)
		return (roles & (ROLE_OVERLEG | ROLE_COORDINATOR)) != 0;
	return 0;
}
