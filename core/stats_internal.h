/*
 * stats_internal.h - what the statistics files share, and nothing else
 * includes (core/stats*.c only; the API is stats.h).
 *
 * The statistics are one computation spread over five files along its
 * seams:
 *   stats.c         the computation: batches read under the lock, opened
 *                   and counted on a second thread, meetings, purged
 *                   counts, the entry points stats_compute*;
 *   stats_cache.c   the cache: the records of answers and the chunks of
 *                   stats_chunks that keep them (read, open, rebuild,
 *                   store);
 *   stats_events.c  the passes after the batches: the handler messages
 *                   and the workflow events of every report counted;
 *   stats_period.c  days and periods: civil dates, the period a request
 *                   names, the days of stored dates;
 *   stats_table.c   the result tables: rows, cells, suppression of small
 *                   counts, table names.
 * The structures below are the computation's working state; they live
 * here only because more than one of these files reads them.
 */
#ifndef MELDPUNT_STATS_INTERNAL_H
#define MELDPUNT_STATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "envelope.h"
#include "install.h"
#include "keyrings.h"
#include "statbox.h"
#include "stats.h"
#include "workflow.h"

/* The longest cached record of answers; longer ones are cut short. */
#define STATS_RECORD_MAX 4096
/*
 * A cache chunk: the reports with ids chunk << CHUNK_SHIFT and the next
 * CHUNK_REPORTS - 1 (schema/migrations/0018_stats_chunks.sql counts the
 * same: id >> 6, bit id & 63). Its plaintext is the records in id order,
 * each id (8 bytes, little-endian) | length (4) | the record.
 */
#define CHUNK_SHIFT 6
#define CHUNK_REPORTS (1 << CHUNK_SHIFT)
#define CHUNK_HEAD 12
#define CHUNK_PLAIN_MAX (CHUNK_REPORTS * (CHUNK_HEAD + STATS_RECORD_MAX))
_Static_assert(CHUNK_REPORTS == 64, "covered is a 64-bit mask");

/*
 * The report types the figures count, in the computation's own order
 * (the index of struct names and the type of an item and a ref).
 */
enum stats_type { ST_INCIDENT, ST_SIGNAL, ST_INTEGRITY, ST_TYPES };

/* The sealed statistical fields of one event (events.h). */
struct event_box {
	uint8_t *env;
	size_t len;
	char *ad;		/* events_ad (EVENTS_STATS) */
	size_t adlen;
};

/* What a report of the batch carries out of the locked read. */
struct item {
	int64_t id;
	int type;		/* enum stats_type */
	int prev;		/* in the previous period */
	int64_t day;		/* of receipt, days since the epoch */
	int month;		/* month_index of day */
	char source[17];
	uint8_t locator[RECEIPT_LOCATOR_LEN];	/* read with the envelope */
	uint8_t *sealed;	/* the envelope, when not cached */
	size_t sealed_len;
	int read;		/* its envelopes were read */
	int cached;		/* its chunk has a record of it */
	size_t chunk;		/* index of its chunk in the batch */
	int assigned;		/* a coordinator is assigned */
	int in_meeting;		/* on the agenda of a meeting held */
	struct event_box *events;	/* statistical fields, when not cached */
	size_t nevents;
};

/* A cache chunk a batch reads, and rebuilds when it got new records. */
struct chunk {
	int64_t no;		/* report id >> CHUNK_SHIFT */
	uint64_t covered;	/* bit id % 64: box has a valid record of id */
	uint8_t *box;		/* as read under the current key, or NULL */
	size_t box_len;
	int opened;		/* box opened into the computation's chunk_plain */
	struct buf fresh;	/* records made now from envelopes, in id order */
	uint64_t fresh_ids;
	uint8_t *new_box;	/* rebuilt: old valid records and the fresh ones */
	size_t new_box_len;
	uint64_t new_covered;
};

/* One batch: its reports in id order, their chunks, what it read. */
struct batch {
	struct item *v;
	size_t n;
	struct chunk *ch;
	size_t nch;
	int64_t generation;	/* stats_generation when it was read */
};

/* A report for the messages and events passes. */
struct ref {
	int64_t id;
	int64_t received;	/* seconds: local 00:00 of the day of receipt */
	size_t msg_first, nmsg;	/* its handler messages in c->msgs */
	const char *outcome;	/* points into the workflow, or "open" */
	unsigned char type, prev, named;	/* type: enum stats_type */
	unsigned char done_first, done_decision, riec, final;
	unsigned char aftercare, damages, longer;
	/* The reporter answered aangifte or melding, or a handler recorded
	 * one (README, "The figures"): either counts, once. */
	unsigned char police;
};

struct computation {
	struct installation *inst;
	const struct ring_key *key;
	struct stats_result *out;
	struct secret *cache_key;
	uint8_t key_id[STATBOX_KEY_ID_LEN];
	struct secret *chunk_plain;	/* the open chunk of the counting thread */
	size_t chunk_len;
	size_t chunk_at;		/* its next record */
	struct secret *chunk_new;	/* a chunk being rebuilt */
	int64_t from, to, prev_from;	/* days */
	int64_t now, today;		/* seconds, days */
	int month0, prev_month0;	/* month_index of from and prev_from */
	unsigned want;
	/* The report types by enum stats_type: their names in reports.type
	 * when wanted (else NULL), and their workflows' types. */
	const char *type_name[ST_TYPES];
	enum report_type rtype[ST_TYPES];
	struct ref *refs;
	size_t nrefs, caprefs;
	time_t *msgs;		/* handler messages, by report */
	size_t nmsgs, capmsgs;
	int64_t claimed_cents[2], recovered_cents[2];
	size_t unopened;	/* envelopes that did not open: logged once */
	int64_t *meeting;	/* signals discussed in a meeting, sorted */
	size_t nmeeting;
	/*
	 * The start of the last day of receipt looked up (zone_day_start):
	 * reports come in day order, so one mktime serves a whole day.
	 */
	int64_t start_day;
	time_t start_at;
	int start_known;
};

/* stats_period.c: days since 1970-01-01 and civil dates. */
void stats_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
/* Exactly n digits at s: 0 and *out, or -1. */
int stats_digits(const char *s, size_t n, unsigned *out);
/* "YYYY-MM-DD" (and nothing after it when whole) to days. 0 or -1. */
int stats_parse_day(const char *s, int whole, int64_t *days);
void stats_format_day(int64_t days, char out[STATS_DAY_LEN + 1]);
/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch. 0 or -1. */
int stats_parse_at(const char *s, int64_t *out);
/* The first day of the month months after (y, m). */
int64_t stats_month_start(int y, unsigned m, int months);

/* stats_table.c: the row of key, added with zero counts when new. */
struct stats_row *stats_table_row(struct stats_table *t, const char *key,
                                  size_t keylen);
/* One more in the row of key, now or in the previous period. */
void stats_table_count(struct stats_table *t, const char *key, size_t keylen,
                       int prev);

/* stats_cache.c: records and chunks (see there). */
void stats_encode_record(const struct secret *plain, struct buf *rec);
uint64_t stats_chunk_bit(int64_t id);
void stats_chunk_open(struct computation *c, struct chunk *ch);
int stats_chunk_record(struct computation *c, int64_t id, const char **rec,
                       size_t *len);
void stats_chunk_close(struct computation *c, struct chunk *ch);
int stats_read_chunks(struct computation *c, struct batch *b);
int stats_read_generation(struct db *db, int64_t *n);
void stats_store_chunks(struct computation *c, const struct batch *b);
void stats_hand_over(struct batch *done, struct batch *next);

/* stats.c: a copy of a blob column (NULL when NULL); dies out of memory. */
uint8_t *stats_copy_blob(struct stmt *st, int col, size_t *len);

/* stats_events.c: the passes after the batches (see there). */
int stats_handler_messages(struct computation *c);
int stats_report_events(struct computation *c, const struct workflows *wfs);

#endif
