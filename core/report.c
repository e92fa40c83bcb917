/*
 * report.c - store a report, open it with its receipt (see report.h).
 *
 * Every envelope of a report (content, files, messages) is bound to the
 * report's locator as associated data, so an envelope copied into another
 * report's row does not open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "clock.h"
#include "content.h"
#include "daycount.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "keyrings.h"
#include "limits.h"
#include "log.h"
#include "message.h"
#include "oral.h"
#include "report.h"
#include "rowad.h"
#include "zone.h"

static const char *const sources[] = {
	"web", "phone", "mma", "riec", "police", "staff", "other",
};

int
report_source_valid(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(s, sources[i]) == 0)
			return 1;
	return 0;
}

/* Little-endian 32-bit length, then the bytes. */
static void
put_field(struct buf *b, const char *s, size_t len)
{
	uint8_t n[4] = {
		(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
		(uint8_t)(len >> 24),
	};

	buf_add(b, n, 4);
	buf_add(b, s, len);
}

/* attachment_seal, through the sealer of the report's other envelopes. */
static int
attachment_seal_with(struct envelope_sealer *sealer,
                     const struct attachment_in *f, const uint8_t *locator,
                     const uint8_t *seal_id, const char *author,
                     const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN],
                     size_t n, uint8_t **env, size_t *envlen)
{
	struct buf plain = BUF_INIT, ad = BUF_INIT;
	int ret;

	/* name | type | bytes: the name and type never leave the envelope. */
	put_field(&plain, f->name ? f->name : "", f->name ? strlen(f->name) : 0);
	put_field(&plain, f->type ? f->type : "", f->type ? strlen(f->type) : 0);
	buf_add(&plain, f->data, f->len);
	rowad_make(&ad, locator, RECEIPT_LOCATOR_LEN, ROWAD_FILE, seal_id,
	           author);
	ret = sealer ? envelope_sealer_seal(sealer, (const uint8_t *)plain.data,
	                                    plain.len, &pad_file,
	                                    (const uint8_t *)ad.data, ad.len,
	                                    recipients, n, env, envlen)
	             : envelope_seal((const uint8_t *)plain.data, plain.len,
	                             &pad_file, (const uint8_t *)ad.data, ad.len,
	                             recipients, n, env, envlen);
	buf_wipe_release(&plain);
	buf_release(&ad);
	return ret;
}

int
attachment_seal(const struct attachment_in *f, const uint8_t *locator,
                const uint8_t *seal_id, const char *author,
                const uint8_t (*recipients)[CRYPTO_PUBLICKEY_LEN], size_t n,
                uint8_t **env, size_t *envlen)
{
	return attachment_seal_with(NULL, f, locator, seal_id, author,
	                            recipients, n, env, envlen);
}

static const uint8_t *
get_field(const uint8_t *p, const uint8_t *end, const char **s, size_t *len)
{
	size_t n;

	if (end - p < 4)
		return NULL;
	n = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
	    (size_t)p[3] << 24;
	p += 4;
	if ((size_t)(end - p) < n)
		return NULL;
	*s = (const char *)p;
	*len = n;
	return p + n;
}

int
attachment_parse(struct attachment_view *v)
{
	const uint8_t *p = v->plain->bytes, *end = p + v->plain->len;
	const char *name, *type;
	size_t nlen, tlen;

	p = get_field(p, end, &name, &nlen);
	if (p)
		p = get_field(p, end, &type, &tlen);
	if (!p)
		return error("an attachment is damaged");
	/*
	 * Names and types are used as C strings: copy them into the view's
	 * own guarded memory, NUL-terminated, through a second secret.
	 */
	{
		struct secret *s = secret_new(nlen + tlen + 2 + (size_t)(end - p));

		if (!s)
			die("out of memory");
		memcpy(s->bytes, name, nlen);
		s->bytes[nlen] = '\0';
		memcpy(s->bytes + nlen + 1, type, tlen);
		s->bytes[nlen + 1 + tlen] = '\0';
		memcpy(s->bytes + nlen + tlen + 2, p, (size_t)(end - p));
		v->len = (size_t)(end - p);
		secret_free(v->plain);
		v->plain = s;
		v->name = (const char *)s->bytes;
		v->type = (const char *)s->bytes + nlen + 1;
		v->data = s->bytes + nlen + tlen + 2;
	}
	return 0;
}

void
attachments_release(struct attachment_view *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		secret_free(v[i].plain);
	free(v);
}

static int
insert_report(struct db *db, const struct submission *sub,
              const uint8_t *locator, const uint8_t *reporter_pk,
              const uint8_t *env, size_t envlen, const uint8_t *stats,
              size_t statslen, const uint8_t *identity, size_t identitylen,
              int64_t *id_out)
{
	char day[CLOCK_DAY_LEN + 1], number[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	int ret = -1;

	/* The organisation's day (zone.h), as deadlines read it. */
	zone_day_text(clock_now(), day);
	/* Random, not the row's order: in the transaction, so it is free. */
	if (case_number_assign(db, day, number) < 0)
		return -1;
	if (db_prepare(db, &st, "INSERT INTO reports (type, locator, state,"
	               " received_on, content, source, stats,"
	               " reporter_public_key, identity, case_number) VALUES"
	               " (:type, :locator, :state, :day, :content, :source,"
	               " :stats, :pk, :identity, :number)") < 0 ||
	    stmt_bind_text(st, ":number", number) < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(sub->type)) < 0 ||
	    stmt_bind_blob(st, ":locator", locator, RECEIPT_LOCATOR_LEN) < 0 ||
	    stmt_bind_text(st, ":state", sub->state) < 0 ||
	    stmt_bind_text(st, ":day", day) < 0 ||
	    stmt_bind_blob(st, ":content", env, envlen) < 0 ||
	    stmt_bind_text(st, ":source", sub->source ? sub->source : "web") < 0 ||
	    (stats ? stmt_bind_blob(st, ":stats", stats, statslen)
	           : stmt_bind_null(st, ":stats")) < 0 ||
	    stmt_bind_blob(st, ":pk", reporter_pk, CRYPTO_PUBLICKEY_LEN) < 0 ||
	    (identity ? stmt_bind_blob(st, ":identity", identity, identitylen)
	              : stmt_bind_null(st, ":identity")) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	*id_out = db_last_id(db);
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

int
attachment_store(struct db *db, int64_t report_id, int64_t message_id,
                 const uint8_t *seal_id, const uint8_t *env, size_t envlen)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "INSERT INTO attachments (report_id,"
	               " message_id, content, seal_id) VALUES (:report,"
	               " :message, :content, :seal)") < 0 ||
	    stmt_bind_blob(st, ":seal", seal_id, ROWAD_ID_LEN) < 0 ||
	    stmt_bind_int(st, ":report", report_id) < 0 ||
	    (message_id ? stmt_bind_int(st, ":message", message_id)
	                : stmt_bind_null(st, ":message")) < 0 ||
	    stmt_bind_blob(st, ":content", env, envlen) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* A sealed file, ready to insert. */
struct sealed {
	uint8_t *env;
	size_t len;
	uint8_t seal_id[ROWAD_ID_LEN];
};

static void
sealed_free(struct sealed *s, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		free(s[i].env);
	free(s);
}

/* submit_once found a keyring's key replaced since it was cached. */
#define KEYS_CHANGED 1

/*
 * The keyring keys a report was sealed to are still the keyrings' keys:
 * checked inside the write transaction, so a rotation cannot slip in
 * between. Both keys in one statement: it runs for every report. 0 yes,
 * KEYS_CHANGED, or -1.
 */
static int
keys_current(struct db *db, const char *ring, const uint8_t *ring_pk,
             const uint8_t *stats_pk)
{
	uint8_t now[CRYPTO_PUBLICKEY_LEN], stats_now[CRYPTO_PUBLICKEY_LEN];

	if (keyrings_public_keys(db, ring, now, KEYRING_STATISTICS,
	                         stats_now) < 0)
		return -1;
	if (memcmp(now, ring_pk, sizeof(now)) != 0 ||
	    (stats_pk && memcmp(stats_now, stats_pk, sizeof(stats_now)) != 0))
		return KEYS_CHANGED;
	return 0;
}

/* A report sealed and ready to store, for store_report. */
struct sealed_report {
	const struct submission *sub;
	const char *ring;
	const uint8_t *ring_pk, *stats_pk;
	const uint8_t *locator, *reporter_pk, *env, *stats, *identity;
	size_t envlen, statslen, identitylen;
	const struct sealed *files;
	const struct sealed *record;	/* an oral report's record, or NULL */
	int64_t id;		/* out */
	int keys_changed;	/* out: sealed to a replaced key, not stored */
};

/*
 * The rows of one report, counted for its day (daycount.h: a reporter's
 * filing leaves no time finer than its day), and the registrar's audit
 * row when staff registered it (a db_write_fn).
 */
static int
store_report(struct db *db, void *arg)
{
	struct sealed_report *rep = arg;
	char object[64], cn[CASE_NUMBER_LEN + 1];
	size_t i;
	int rc;

	rc = keys_current(db, rep->ring, rep->ring_pk, rep->stats_pk);
	if (rc == KEYS_CHANGED)
		rep->keys_changed = 1;
	if (rc != 0 ||
	    insert_report(db, rep->sub, rep->locator, rep->reporter_pk,
	                  rep->env, rep->envlen, rep->stats, rep->statslen,
	                  rep->identity, rep->identitylen, &rep->id) < 0)
		return -1;
	for (i = 0; i < rep->sub->nfiles; i++)
		if (attachment_store(db, rep->id, 0, rep->files[i].seal_id,
		                     rep->files[i].env, rep->files[i].len) < 0)
			return -1;
	if (daycount_add(db, DAYCOUNT_FILED, 1) < 0 ||
	    daycount_add(db, DAYCOUNT_FILE, (int)rep->sub->nfiles) < 0)
		return -1;
	if (!rep->sub->registrar)
		return 0;
	/* An oral report's record: the recorder's own audited row (oral.h). */
	if (rep->record &&
	    oral_insert(db, rep->id, ORAL_RECORD, rep->sub->registrar,
	                rep->record->seal_id, rep->record->env,
	                rep->record->len, NULL) < 0)
		return -1;
	/* Who registered it: a staff action, audited on its own. */
	if (!case_label(db, rep->id, cn))
		return -1;
	snprintf(object, sizeof(object), "report=%s source=%.16s", cn,
	         rep->sub->source);
	return audit_append(db, rep->sub->registrar, "report-register", object);
}

/*
 * Seal and store a report with receipt r, sealing to the cached keyring
 * keys. With made (r taken from the receipt pool), its locator and sealer
 * are used and its sealer taken over; without, they are derived here.
 * 0 and *id, -1, or KEYS_CHANGED (nothing stored; the cache forgot the
 * keys, try again).
 */
static int
submit_once(struct installation *inst, const struct submission *sub,
            const uint8_t r[RECEIPT_BYTES], struct receipt_made *made,
            int64_t *id)
{
	uint8_t locator[RECEIPT_LOCATOR_LEN];
	uint8_t recipients[2][CRYPTO_PUBLICKEY_LEN], stats_pk[CRYPTO_PUBLICKEY_LEN];
	uint8_t stats_rcpt[2][CRYPTO_PUBLICKEY_LEN];
	uint8_t *env = NULL, *stats = NULL, *identity = NULL;
	size_t envlen, statslen = 0, identitylen = 0, i;
	struct envelope_sealer *sealer = NULL;
	struct sealed *files = NULL, record = { NULL, 0, { 0 } };
	const char *ring = report_type_keyring(sub->type);
	/* One length for every valid answer of the form (form_stats_max). */
	const struct envelope_pad stats_pad = {
		ENVELOPE_PAD_BLOCK, sub->stats_pad ? sub->stats_pad : PAD_TEXT,
	};
	int ret = -1, announced = 0;

	/* No database read before sealing: the keys as last read. */
	if (keyrings_cache_key(inst->keys, inst->db, ring, recipients[0]) < 0 ||
	    (sub->stats && keyrings_cache_key(inst->keys, inst->db,
	                                      KEYRING_STATISTICS, stats_pk) < 0))
		return -1;

	/*
	 * The statistical answers go to the statistiek keyring and to the
	 * handling keyring (its inbox filters on them without opening the
	 * content). Sealing is the costly part: all of it before the lock.
	 * One sealer for all the report's envelopes, and its key pair is
	 * the reporter's own (receipt_sealer): no ephemeral key to make, the
	 * reporter's slot costs no scalar multiplication, and the share with
	 * each keyring is computed once for content, answers and files. The
	 * receipt could open all three anyway: the answers are a part of
	 * the content.
	 */
	memcpy(stats_rcpt[0], stats_pk, CRYPTO_PUBLICKEY_LEN);
	memcpy(stats_rcpt[1], recipients[0], CRYPTO_PUBLICKEY_LEN);
	/*
	 * The write is on its way: a group being formed now waits for it
	 * instead of committing without it (db.h, db_group_expect).
	 */
	db_group_expect(inst->db);
	announced = 1;
	if (made && made->sealer) {
		memcpy(locator, made->locator, sizeof(locator));
		memcpy(recipients[1], made->reporter_pk, CRYPTO_PUBLICKEY_LEN);
		sealer = made->sealer;
		made->sealer = NULL;
	}
	if ((!sealer && receipt_sealer(inst->secret, r, locator, recipients[1],
	                               &sealer) < 0) ||
	    envelope_sealer_seal(sealer, (const uint8_t *)sub->content,
	                         sub->content_len, &pad_content, locator,
	                         sizeof(locator),
	                         (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
	                         recipients, 2, &env, &envlen) < 0 ||
	    (sub->stats && envelope_sealer_seal(sealer,
	                                        (const uint8_t *)sub->stats,
	                                        sub->stats_len, &stats_pad,
	                                        locator,
	                                        sizeof(locator),
	                                        (const uint8_t (*)
	                                        [CRYPTO_PUBLICKEY_LEN])stats_rcpt,
	                                        2, &stats, &statslen) < 0) ||
	    /* Its own data key: the content's may be shared with a meeting. */
	    (sub->identity && envelope_sealer_seal(sealer,
	                                           (const uint8_t *)sub->identity,
	                                           sub->identity_len,
	                                           &pad_content, locator,
	                                           sizeof(locator),
	                                           (const uint8_t (*)
	                                           [CRYPTO_PUBLICKEY_LEN])
	                                           recipients, 2, &identity,
	                                           &identitylen) < 0)) {
		error("could not encrypt a report");
		goto out;
	}
	files = calloc(sub->nfiles ? sub->nfiles : 1, sizeof(*files));
	if (!files)
		die("out of memory");
	for (i = 0; i < sub->nfiles; i++) {
		rowad_new_id(files[i].seal_id);
		if (attachment_seal_with(sealer, &sub->files[i], locator,
		                         files[i].seal_id, "reporter",
		                         (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
		                         recipients, 2, &files[i].env,
		                         &files[i].len) < 0) {
			error("could not encrypt an attachment");
			goto out;
		}
	}
	/* An oral report's record, like a message: keyring and reporter. */
	if (sub->record) {
		struct buf ad = BUF_INIT;
		int rc;

		rowad_new_id(record.seal_id);
		oral_ad(&ad, locator, record.seal_id, sub->registrar);
		rc = envelope_sealer_seal(sealer, (const uint8_t *)sub->record,
		                          sub->record_len, &pad_text,
		                          (const uint8_t *)ad.data, ad.len,
		                          (const uint8_t (*)[CRYPTO_PUBLICKEY_LEN])
		                          recipients, 2, &record.env,
		                          &record.len);
		buf_release(&ad);
		if (rc < 0) {
			error("could not encrypt the record of an oral report");
			goto out;
		}
	}
	envelope_sealer_free(sealer);
	sealer = NULL;

	{
		struct sealed_report rep = {
			.sub = sub, .ring = ring, .ring_pk = recipients[0],
			.stats_pk = sub->stats ? stats_pk : NULL,
			.locator = locator, .reporter_pk = recipients[1],
			.env = env, .envlen = envlen, .stats = stats,
			.statslen = statslen, .identity = identity,
			.identitylen = identitylen, .files = files,
			.record = sub->record ? &record : NULL,
		};

		/* Answered only after the commit that holds it (db.h). */
		announced = 0;
		if (db_group_write_expected(inst->db, store_report, &rep) == 0) {
			*id = rep.id;
			ret = 0;
		} else if (rep.keys_changed) {
			keyrings_cache_forget(inst->keys);
			ret = KEYS_CHANGED;
		}
	}
out:
	if (announced)
		db_group_unexpect(inst->db);
	envelope_sealer_free(sealer);
	free(env);
	free(stats);
	free(identity);
	free(record.env);
	sealed_free(files, sub->nfiles);
	return ret;
}

/* A rotation between sealing and storing: seal again, this many times. */
#define SUBMIT_ATTEMPTS 3

int
report_submit(struct installation *inst, const struct submission *sub,
              char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out)
{
	struct receipt_made made;
	uint8_t r[RECEIPT_BYTES];
	int64_t id;
	int attempt, rc = -1;

	memset(receipt, 0, RECEIPT_TEXT_LEN + 1);
	if (strlen(sub->state) > REPORT_STATE_MAX)
		return error("workflow state name too long");
	if (sub->source && !report_source_valid(sub->source))
		return error("unknown report source %s", sub->source);
	if (sub->record && (!sub->registrar || !*sub->registrar ||
	                    strcmp(sub->registrar, ORAL_REPORTER) == 0))
		return error("an oral report's record needs who recorded it");
	/*
	 * A receipt made ahead saves this request a scalar multiplication
	 * (receipt.h); none ready, or out of memory: make one now.
	 */
	if (receipt_pool_take(inst->receipts, &made) == 1)
		memcpy(r, made.r, RECEIPT_BYTES);
	else
		receipt_new(r);
	for (attempt = 0; attempt < SUBMIT_ATTEMPTS; attempt++) {
		/* A second attempt derives again: the sealer is spent. */
		rc = submit_once(inst, sub, r, &made, &id);
		if (rc != KEYS_CHANGED)
			break;
	}
	envelope_sealer_free(made.sealer);
	crypto_wipe(&made, sizeof(made));
	if (rc == 0) {
		receipt_format(r, receipt);
		if (id_out)
			*id_out = id;
	} else if (rc == KEYS_CHANGED) {
		rc = error("keyring keys kept changing while a report was stored");
	}
	crypto_wipe(r, sizeof(r));
	return rc;
}

int
report_create(struct installation *inst, enum report_type type,
              const char *state, const void *content, size_t len,
              char receipt[RECEIPT_TEXT_LEN + 1], int64_t *id_out)
{
	struct submission sub = {
		.type = type, .state = state, .source = "web",
		.content = content, .content_len = len,
	};

	return report_submit(inst, &sub, receipt, id_out);
}

int
report_access(struct installation *inst, const char *receipt_text,
              struct reporter_access *acc)
{
	uint8_t r[RECEIPT_BYTES];
	struct stmt *st = NULL;
	int rc, ret = -1;

	memset(acc, 0, sizeof(*acc));
	if (receipt_parse(receipt_text, r) < 0)
		return 1;
	rc = receipt_derive(inst->secret, r, acc->locator, acc->pk, &acc->sk);
	crypto_wipe(r, sizeof(r));
	if (rc < 0)
		return error("could not derive keys from a receipt");

	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT id, type, state, received_on"
	               " FROM reports WHERE locator = :locator") < 0 ||
	    stmt_bind_blob(st, ":locator", acc->locator, RECEIPT_LOCATOR_LEN) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	if (rc < 0)
		goto out;
	acc->report_id = stmt_int(st, 0);
	if (report_type_parse(stmt_text(st, 1), &acc->type) < 0) {
		error("report %lld has an unknown type", (long long)acc->report_id);
		goto out;
	}
	snprintf(acc->state, sizeof(acc->state), "%s", stmt_text(st, 2));
	snprintf(acc->received_on, sizeof(acc->received_on), "%s",
	         stmt_text(st, 3));
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret != 0)
		report_access_release(acc);
	return ret;
}

void
report_access_release(struct reporter_access *acc)
{
	secret_free(acc->sk);
	crypto_wipe(acc, sizeof(*acc));
}

int
report_content_open(struct installation *inst, int64_t id,
                    const uint8_t locator[RECEIPT_LOCATOR_LEN],
                    const uint8_t pk[CRYPTO_PUBLICKEY_LEN],
                    const struct secret *sk, struct secret **out)
{
	struct secret *content = NULL, *identity = NULL;
	struct stmt *st = NULL;
	const void *env;
	size_t envlen;
	int ret = -1;

	*out = NULL;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT content, identity FROM reports"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_step(st) != DB_ROW)
		goto out;
	env = stmt_blob(st, 0, &envlen);
	if (envelope_open(env, envlen, locator, RECEIPT_LOCATOR_LEN, pk, sk,
	                  &content) < 0)
		goto refused;
	if (!stmt_is_null(st, 1)) {
		env = stmt_blob(st, 1, &envlen);
		if (envelope_open(env, envlen, locator, RECEIPT_LOCATOR_LEN, pk,
		                  sk, &identity) < 0)
			goto refused;
	}
	ret = content_with_identity(content, identity, out);
	goto out;
refused:
	error("report %lld does not open with this key: damaged, or another "
	      "keyring's", (long long)id);
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	secret_free(content);
	secret_free(identity);
	return ret;
}

/* The report's content with its identity, as its reporter; not audited. */
static int
open_content(struct installation *inst, const struct reporter_access *acc,
             struct secret **out)
{
	return report_content_open(inst, acc->report_id, acc->locator, acc->pk,
	                           acc->sk, out);
}

/* The reporter's read, counted for its day only (daycount.h). */
static int
count_read(struct installation *inst)
{
	return daycount_add(inst->db, DAYCOUNT_READ, 1);
}

int
report_read_content(struct installation *inst, const struct reporter_access *acc,
                    struct secret **out)
{
	if (open_content(inst, acc, out) < 0 ||
	    count_read(inst) < 0) {
		secret_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
attachments_open(struct installation *inst, int64_t report_id,
                 const uint8_t locator[RECEIPT_LOCATOR_LEN],
                 const uint8_t pk[CRYPTO_PUBLICKEY_LEN], const struct secret *sk,
                 int with_messages, struct attachment_view **out, size_t *n)
{
	struct attachment_view *v = NULL;
	struct stmt *st = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	*out = NULL;
	*n = 0;
	db_lock(inst->db);
	if (db_prepare(inst->db, &st, "SELECT a.id, a.content, a.seal_id,"
	               " coalesce(m.author, 'reporter') FROM attachments a"
	               " LEFT JOIN messages m ON m.id = a.message_id"
	               " WHERE a.report_id = :id"
	               " AND (:all OR a.message_id IS NULL) ORDER BY a.id") < 0 ||
	    stmt_bind_int(st, ":id", report_id) < 0 ||
	    stmt_bind_int(st, ":all", with_messages) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		size_t envlen;
		const void *env = stmt_blob(st, 1, &envlen);

		struct buf ad = BUF_INIT;
		size_t idlen = 0;
		const void *seal_id = stmt_is_null(st, 2) ? NULL
		                      : stmt_blob(st, 2, &idlen);

		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 4);
		memset(&v[count], 0, sizeof(v[count]));
		v[count].id = stmt_int(st, 0);
		rc = rowad_open(&ad, locator, RECEIPT_LOCATOR_LEN,
		                ROWAD_FILE, seal_id, idlen, stmt_text(st, 3));
		if (rc < 0 ||
		    envelope_open(env, envlen, (const uint8_t *)ad.data, ad.len,
		                  pk, sk, &v[count].plain) < 0 ||
		    attachment_parse(&v[count]) < 0) {
			buf_release(&ad);
			count++;
			error("an attachment of report %lld does not open",
			      (long long)report_id);
			goto out;
		}
		buf_release(&ad);
		count++;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(inst->db);
	if (ret != 0) {
		attachments_release(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
report_attachments(struct installation *inst, const struct reporter_access *acc,
                   struct attachment_view **out, size_t *n)
{
	return attachments_open(inst, acc->report_id, acc->locator, acc->pk,
	                        acc->sk, 0, out, n);
}

int
report_open(struct installation *inst, const char *receipt_text,
            struct report_view *out)
{
	struct reporter_access acc;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = report_access(inst, receipt_text, &acc);
	if (rc != 0)
		return rc;
	if (report_read_content(inst, &acc, &out->content) < 0) {
		report_access_release(&acc);
		return -1;
	}
	out->id = acc.report_id;
	out->type = acc.type;
	memcpy(out->state, acc.state, sizeof(out->state));
	memcpy(out->received_on, acc.received_on, sizeof(out->received_on));
	report_access_release(&acc);
	return 0;
}

void
report_view_release(struct report_view *v)
{
	secret_free(v->content);
	memset(v, 0, sizeof(*v));
}

struct outcome
report_read_status(struct installation *inst, const char *receipt_text,
                   int with_files, struct report_status *out)
{
	struct outcome o = { VERDICT_FAILED, NULL, NULL, 0, NULL };
	struct reporter_access acc;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = receipt_text ? report_access(inst, receipt_text, &acc) : 1;
	if (rc == 1)
		outcome_set(&o, VERDICT_NOT_FOUND, "status.not_found", "receipt");
	if (rc != 0)
		return o;
	out->id = o.id = acc.report_id;
	out->type = acc.type;
	memcpy(out->state, acc.state, sizeof(out->state));
	memcpy(out->received_on, acc.received_on, sizeof(out->received_on));
	/* Everything opened before the read is counted: all or nothing. */
	if (open_content(inst, &acc, &out->content) < 0 ||
	    (with_files && report_attachments(inst, &acc, &out->files,
	                                      &out->nfiles) < 0) ||
	    messages_for_reporter(inst, &acc, &out->messages,
	                          &out->nmessages) < 0 ||
	    oral_open(inst, acc.report_id, acc.locator, acc.pk, acc.sk,
	              &out->oral) < 0 ||
	    count_read(inst) < 0) {
		report_status_release(out);
		goto out;
	}
	outcome_set(&o, VERDICT_DONE, NULL, NULL);
out:
	report_access_release(&acc);
	return o;
}

void
report_status_release(struct report_status *s)
{
	secret_free(s->content);
	attachments_release(s->files, s->nfiles);
	messages_release(s->messages, s->nmessages);
	oral_record_release(&s->oral);
	memset(s, 0, sizeof(*s));
}
