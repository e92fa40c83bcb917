/*
 * stats_cache.c - the cache of the statistical answers (see stats.c,
 * stats_internal.h).
 *
 * Opening a sealed envelope costs about 32 us; the cache keeps what the
 * statistics need of each report so that it is opened once. The cached
 * form of the answers is not the JSON of the envelope but lines
 * "name=value\n" (a multi answer is one line per value), followed by
 * "event.NAME=VALUE\n" for the statistical fields of its events: parsing
 * it costs next to nothing next to the decryption. The records of 64
 * reports are kept in one box of stats_chunks (a chunk, sealed with a key
 * derived from the statistiek keyring's key, statbox.h): a million
 * reports are 15,625 boxes to open, not a million. Here: making a record,
 * reading a batch's chunks, finding a report's record in an open chunk,
 * rebuilding a chunk that got new records, and storing the rebuilt ones
 * only when nothing statistical changed since they were read.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "content.h"
#include "log.h"
#include "stats_internal.h"

/* The answers of the envelope's JSON as cached lines. */
void
stats_encode_record(const struct secret *plain, struct buf *rec)
{
	struct stored_answers s;
	const char *full = NULL;	/* the name whose values no longer fit */
	size_t i, k;

	stored_answers_read(plain->bytes, plain->len, &s);
	for (i = 0; i < s.a.n; i++) {
		const struct answer *an = &s.a.items[i];
		size_t len = strlen(an->value);

		if (full && strcmp(full, an->name) == 0)
			continue;
		if (len > STATS_VALUE_MAX)
			len = STATS_VALUE_MAX;
		if (rec->len + strlen(an->name) + len + 2 > STATS_RECORD_MAX) {
			full = an->name;
			continue;
		}
		buf_adds(rec, an->name);
		buf_addch(rec, '=');
		/* A line per value: a newline in free text becomes a space. */
		for (k = 0; k < len; k++)
			buf_addch(rec, an->value[k] == '\n' ||
			          an->value[k] == '\r' ? ' ' : an->value[k]);
		buf_addch(rec, '\n');
	}
	stored_answers_release(&s);
}

uint64_t
stats_chunk_bit(int64_t id)
{
	return (uint64_t)1 << ((uint64_t)id & (CHUNK_REPORTS - 1));
}

/* Open a chunk's box into chunk_plain (counting thread). */
void
stats_chunk_open(struct computation *c, struct chunk *ch)
{
	uint8_t ad[8];

	c->chunk_len = 0;
	c->chunk_at = 0;
	crypto_put_le(ad, (uint64_t)ch->no, 8);
	ch->opened = ch->box &&
	             statbox_open(c->cache_key, ch->box, ch->box_len, ad,
	                          sizeof(ad), c->chunk_plain->bytes,
	                          c->chunk_plain->len, &c->chunk_len) == 0;
	if (!ch->opened)
		c->chunk_len = 0;
}

/*
 * The record of report id in the open chunk: records are in id order and
 * so are the items, so the search goes on from where the last one ended.
 * 1 and *rec, *len; 0 when the chunk has none.
 */
int
stats_chunk_record(struct computation *c, int64_t id, const char **rec,
                   size_t *len)
{
	const uint8_t *p = c->chunk_plain->bytes;

	while (c->chunk_at + CHUNK_HEAD <= c->chunk_len) {
		uint64_t rid = crypto_get_le(p + c->chunk_at, 8);
		size_t n = (size_t)crypto_get_le(p + c->chunk_at + 8, 4);
		size_t at = c->chunk_at + CHUNK_HEAD;

		if (n > c->chunk_len - at)
			break;
		if ((int64_t)rid > id)
			return 0;
		c->chunk_at = at + n;
		if ((int64_t)rid == id) {
			*rec = (const char *)p + at;
			*len = n;
			return 1;
		}
	}
	return 0;
}

/* Add one record to a chunk plaintext being written. */
static size_t
chunk_put(uint8_t *out, size_t at, int64_t id, const uint8_t *rec, size_t len)
{
	crypto_put_le(out + at, (uint64_t)id, 8);
	crypto_put_le(out + at + 8, len, 4);
	memcpy(out + at + CHUNK_HEAD, rec, len);
	return at + CHUNK_HEAD + len;
}

/*
 * Leave the open chunk: when reports got records from their envelopes,
 * seal a new box with them and the old box's records still valid (their
 * bit in covered), in id order. Both plaintexts are wiped.
 */
void
stats_chunk_close(struct computation *c, struct chunk *ch)
{
	const uint8_t *old = c->chunk_plain->bytes;
	const uint8_t *fresh = (const uint8_t *)ch->fresh.data;
	uint8_t *out = c->chunk_new->bytes, ad[8];
	size_t i = 0, j = 0, len = 0;
	uint64_t covered = 0;

	if (!ch->fresh_ids)
		goto out;
	for (;;) {
		int64_t oid = INT64_MAX, fid = INT64_MAX;
		size_t on = 0, fn = 0;

		/* The next old record still valid and not made again now. */
		while (ch->opened && i + CHUNK_HEAD <= c->chunk_len) {
			oid = (int64_t)crypto_get_le(old + i, 8);
			on = (size_t)crypto_get_le(old + i + 8, 4);
			if (on > c->chunk_len - i - CHUNK_HEAD) {
				oid = INT64_MAX;
				i = c->chunk_len;
				break;
			}
			if ((ch->covered & stats_chunk_bit(oid)) &&
			    !(ch->fresh_ids & stats_chunk_bit(oid)) &&
			    (oid >> CHUNK_SHIFT) == ch->no)
				break;
			i += CHUNK_HEAD + on;
			oid = INT64_MAX;
		}
		if (j + CHUNK_HEAD <= ch->fresh.len) {
			fid = (int64_t)crypto_get_le(fresh + j, 8);
			fn = (size_t)crypto_get_le(fresh + j + 8, 4);
		}
		if (oid == INT64_MAX && fid == INT64_MAX)
			break;
		/* One record per id of the chunk: never more than this. */
		if (len + CHUNK_HEAD + (oid < fid ? on : fn) > CHUNK_PLAIN_MAX)
			break;
		if (oid < fid) {
			len = chunk_put(out, len, oid, old + i + CHUNK_HEAD, on);
			covered |= stats_chunk_bit(oid);
			i += CHUNK_HEAD + on;
		} else {
			len = chunk_put(out, len, fid, fresh + j + CHUNK_HEAD, fn);
			covered |= stats_chunk_bit(fid);
			j += CHUNK_HEAD + fn;
		}
	}
	crypto_put_le(ad, (uint64_t)ch->no, 8);
	if (statbox_seal(c->cache_key, out, len, ad, sizeof(ad), &ch->new_box,
	                 &ch->new_box_len) < 0)
		error("could not seal a statistics cache chunk");
	else
		ch->new_covered = covered;
	crypto_wipe(out, len);
out:
	buf_wipe_release(&ch->fresh);
	crypto_wipe(c->chunk_plain->bytes, c->chunk_len);
	c->chunk_len = 0;
}

/*
 * The cache chunks of batch b (its items in id order): one range scan of
 * stats_chunks, a chunk entry for every chunk number among the items
 * (with no box when none is stored under the current key), and for each
 * item whether its chunk has a record of it. 0 or -1.
 */
int
stats_read_chunks(struct computation *c, struct batch *b)
{
	struct stmt *st = NULL;
	size_t i, k = 0;
	int rc, ret = -1;

	for (i = 0; i < b->n; i++) {
		int64_t no = b->v[i].id >> CHUNK_SHIFT;

		if (!b->nch || b->ch[b->nch - 1].no != no) {
			memset(&b->ch[b->nch], 0, sizeof(*b->ch));
			b->ch[b->nch].no = no;
			b->ch[b->nch].fresh = (struct buf)BUF_INIT;
			b->nch++;
		}
		b->v[i].chunk = b->nch - 1;
	}
	if (db_prepare(c->inst->db, &st, "SELECT chunk, key_id, covered, box"
	               " FROM stats_chunks WHERE chunk >= :lo"
	               " AND chunk <= :hi ORDER BY chunk") < 0 ||
	    stmt_bind_int(st, ":lo", b->ch[0].no) < 0 ||
	    stmt_bind_int(st, ":hi", b->ch[b->nch - 1].no) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		int64_t no = stmt_int(st, 0);
		struct chunk *ch;
		const void *p;
		size_t len;

		while (k < b->nch && b->ch[k].no < no)
			k++;
		if (k == b->nch)
			break;
		if (b->ch[k].no != no)
			continue;
		ch = &b->ch[k];
		p = stmt_blob(st, 1, &len);
		if (!p || len != STATBOX_KEY_ID_LEN ||
		    memcmp(p, c->key_id, STATBOX_KEY_ID_LEN) != 0)
			continue;
		ch->covered = (uint64_t)stmt_int(st, 2);
		ch->box = stats_copy_blob(st, 3, &ch->box_len);
	}
	if (rc < 0)
		goto out;
	for (i = 0; i < b->n; i++) {
		const struct chunk *ch = &b->ch[b->v[i].chunk];

		b->v[i].cached = ch->box && (ch->covered & stats_chunk_bit(b->v[i].id));
	}
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/* The count of statistical changes (migration 0018). 0 or -1. */
int
stats_read_generation(struct db *db, int64_t *n)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, "SELECT n FROM stats_generation") == 0 &&
	    stmt_step(st) == DB_ROW) {
		*n = stmt_int(st, 0);
		ret = 0;
	}
	stmt_finalize(st);
	return ret;
}

/*
 * Store the chunks a batch rebuilt, in one transaction; a failure costs
 * speed next time, not figures now. Nothing is stored when a statistical
 * event or a deletion came in after the batch was read (its records may
 * be older than that), nor when key is no longer the statistiek
 * keyring's key (rotate.c empties the cache).
 */
void
stats_store_chunks(struct computation *c, const struct batch *b)
{
	struct stmt *st;
	size_t i, todo = 0;
	int64_t now;

	for (i = 0; i < b->nch; i++)
		todo += b->ch[i].new_box != NULL;
	if (!todo || db_begin(c->inst->db) < 0)
		return;
	if (stats_read_generation(c->inst->db, &now) < 0 || now != b->generation) {
		db_rollback(c->inst->db);
		return;
	}
	for (i = 0; i < b->nch; i++) {
		const struct chunk *ch = &b->ch[i];

		if (!ch->new_box)
			continue;
		st = NULL;
		if (db_prepare(c->inst->db, &st, "INSERT OR REPLACE INTO"
		               " stats_chunks (chunk, key_id, covered, box)"
		               " SELECT :no, :kid, :covered, :box WHERE EXISTS"
		               " (SELECT 1 FROM keyrings WHERE"
		               " name = :ring AND public_key = :pk)") < 0 ||
		    stmt_bind_int(st, ":no", ch->no) < 0 ||
		    stmt_bind_blob(st, ":kid", c->key_id, STATBOX_KEY_ID_LEN) < 0 ||
		    stmt_bind_int(st, ":covered", (int64_t)ch->new_covered) < 0 ||
		    stmt_bind_blob(st, ":box", ch->new_box, ch->new_box_len) < 0 ||
		    stmt_bind_text(st, ":ring", KEYRING_STATISTICS) < 0 ||
		    stmt_bind_blob(st, ":pk", c->key->pk, CRYPTO_PUBLICKEY_LEN) < 0 ||
		    stmt_run(st) < 0) {
			stmt_finalize(st);
			db_rollback(c->inst->db);
			error("could not store the statistics cache");
			return;
		}
		stmt_finalize(st);
	}
	if (db_commit(c->inst->db) < 0)
		error("could not store the statistics cache");
}

/*
 * The next batch was read before this one's rebuilt chunks were stored:
 * when both share a chunk (a batch ends within a chunk), the next one
 * goes on from the rebuilt box, or its own rebuild would drop this one's
 * new records. Only between batches of one generation: a rebuilt box of
 * an older one is not stored, and must not live on in the next.
 */
void
stats_hand_over(struct batch *done, struct batch *next)
{
	struct chunk *last, *first;

	if (!done->nch || !next->nch || done->generation != next->generation)
		return;
	last = &done->ch[done->nch - 1];
	first = &next->ch[0];
	if (!last->new_box || last->no != first->no)
		return;
	free(first->box);
	first->box = last->new_box;
	first->box_len = last->new_box_len;
	first->covered = last->new_covered;
	last->new_box = NULL;
}
