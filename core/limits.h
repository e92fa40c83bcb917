/*
 * limits.h - every limit of the program, named in one place.
 *
 * Each limit has a default here and a field in struct limits, which the
 * configuration may change; code reads the struct, never the default.
 * Each limit has a test at its edge.
 */
#ifndef MELDPUNT_LIMITS_H
#define MELDPUNT_LIMITS_H

#include <stddef.h>

/* Whole request body, attachments included. */
#define LIMIT_BODY_MAX_DEFAULT (25u * 1024 * 1024)
/*
 * Memory for one connection's headers and buffers (libmicrohttpd). Its
 * own default, 32K: libmicrohttpd zeroes the whole pool after every
 * request of a keep-alive connection, so a larger pool costs every
 * request (64K measured about 47,000 instructions a submission more
 * under callgrind, bench/README.md), and 32K holds far larger headers
 * than any browser sends here.
 */
#define LIMIT_CONNECTION_MEMORY_DEFAULT (32u * 1024)
/* Simultaneous connections. */
#define LIMIT_CONNECTIONS_DEFAULT 256u
/* Seconds a connection may stay idle before it is closed (slow senders). */
#define LIMIT_CONNECTION_TIMEOUT_DEFAULT 30u
/*
 * Connections one client may hold open at once: one address, or one /64
 * of IPv6 (a whole office behind one router counts as one client, and
 * each of its browsers opens up to six). 256 trickling connections from
 * one address took every slot of the server before (issue 16).
 */
#define LIMIT_CONNECTIONS_PER_CLIENT_DEFAULT 32u
/*
 * Seconds a connection may stay idle while the server waits for a
 * request's headers (a new connection, or a kept-alive one between
 * requests): far shorter than connection_timeout, because libmicrohttpd
 * 0.9.75 has no limit on the whole header phase, only on idleness.
 */
#define LIMIT_HEADER_TIMEOUT_DEFAULT 10u
/*
 * A request body must arrive at least this fast (bytes a second), judged
 * over every stretch of body_rate_window seconds; slower, the connection
 * is closed. 1K a second is a 20 MB upload in under six hours: no real
 * line is that slow, and a body held back byte by byte is cut within
 * one window.
 */
#define LIMIT_BODY_RATE_MIN_DEFAULT 1024u
#define LIMIT_BODY_RATE_WINDOW_DEFAULT 10u
/*
 * Request bodies the server holds in memory at once: per client and for
 * all clients together. A body's declared length (Content-Length) is held
 * before any of it is read, a body without one as it arrives; over
 * either budget the request gets 503 with Retry-After and nothing of the
 * body is kept. 30 held 20 MiB uploads took about 1 GB before (issue 16).
 */
#define LIMIT_BODY_MEMORY_PER_CLIENT_DEFAULT (32u * 1024 * 1024)
#define LIMIT_BODY_MEMORY_DEFAULT (96u * 1024 * 1024)
/* Addresses [server] trusted_proxy may list (web/client.h). */
#define LIMIT_TRUSTED_PROXIES 16u
/* Seconds a 503 for the body budget asks the client to wait. */
#define LIMIT_BUSY_RETRY_AFTER 10u
/*
 * Threads serving requests: 0 for one thread per open connection (the
 * default), or a pool of 1 to 64. A thread waits for the fsync of its
 * report's commit (only threads that wait together share one: group
 * commit, core/db.h). In a pool a worker keeps the connections it
 * accepted, so while it waits the other connections it holds wait too;
 * with a thread of its own no connection waits behind another's fsync.
 * bench/run on 2 cores, 16 connections: a pool of 4 left a third of the
 * CPU idle, 16 gave 15 % more submissions a second, a thread per
 * connection about 10 % more again (bench/README.md).
 */
#define LIMIT_THREADS_DEFAULT 0u

/*
 * Receipts the server makes ahead from idle CPU (receipt.h): enough for a
 * burst of reports; each costs about 100 bytes of locked memory.
 */
#define LIMIT_RECEIPT_POOL 256u
/*
 * Draws of a report's random case number (casenumber.h) before storing
 * it fails: a draw is taken with a chance of (reports that year) / 887
 * million, so eight in a row never are in practice. Not configurable.
 */
#define LIMIT_CASE_NUMBER_DRAWS 8u

/* One text answer in a form or message, in bytes. */
#define LIMIT_FIELD_MAX_DEFAULT (20u * 1024)
/* Fields in one form submission. */
#define LIMIT_FIELDS_MAX_DEFAULT 100u
/* One uploaded file, files per report or message, and their total. */
#define LIMIT_UPLOAD_FILE_MAX_DEFAULT (10u * 1024 * 1024)
#define LIMIT_UPLOAD_FILES_MAX_DEFAULT 5u
#define LIMIT_UPLOAD_TOTAL_MAX_DEFAULT (20u * 1024 * 1024)
/*
 * The kinds of file an upload may be, recognised by content (filetype.h):
 * every kind it knows by default; [limits] upload_types narrows it.
 */
/* Receipt look-ups per client per minute (wrong receipts are guesses). */
#define LIMIT_RECEIPT_ATTEMPTS_DEFAULT 10u
/* Submissions per client per minute. */
#define LIMIT_SUBMISSIONS_DEFAULT 10u
/*
 * Failed logins per account name per 15 minutes from addresses that have
 * failed on it (core/loginguard.h: an address that did not fail may still
 * try, so nobody can lock staff out); a client (one address, possibly a
 * whole office behind one router) may fail LIMIT_LOGIN_CLIENT_FACTOR
 * times as often, over all accounts.
 */
#define LIMIT_LOGIN_CLIENT_FACTOR 4u
#define LIMIT_LOGIN_ATTEMPTS_DEFAULT 5u
/* The window those attempts are counted in, in seconds. */
#define LIMIT_LOGIN_WINDOW 900u
/*
 * After a second failure the same account and address wait login_delay
 * seconds before the next attempt, twice as long after each further
 * failure, at most login_delay_max (the first failure costs no wait; a
 * login that gets in forgets them).
 */
#define LIMIT_LOGIN_DELAY_DEFAULT 1u
#define LIMIT_LOGIN_DELAY_MAX_DEFAULT 300u
/*
 * Password hashes (Argon2id, 64 MiB each) running at once, and the
 * milliseconds a login waits for a turn before it is answered 503
 * (core/hashgate.h). The memory all hashing takes at once is at most
 * login_hashes x 64 MiB.
 */
#define LIMIT_LOGIN_HASHES_DEFAULT 2u
#define LIMIT_LOGIN_HASH_WAIT_DEFAULT 2000u
/*
 * Days an account may stay on a staff key wrap of the old version (the
 * password alone, before installation.key was bound in) after the
 * upgrade: each login in that time wraps it again; after it the account
 * may no longer log in and the admin page asks for a reset.
 */
#define LIMIT_KEY_UPGRADE_DAYS_DEFAULT 90u
/* Shortest password staff may choose (the policy's length rule). */
#define LIMIT_PASSWORD_MIN_DEFAULT 12u
/*
 * The hand-off to a partner (core/handoff.h, issue 19): the characters of
 * its cover text, the seconds a made package waits in memory for its one
 * download, and the packages that may wait at once (each holds the
 * chosen files: at most upload_total_max and its PDF and JSON).
 */
#define LIMIT_HANDOFF_COVER_MAX_DEFAULT 2000u
#define LIMIT_HANDOFF_COVER_MAX 10000u
#define LIMIT_HANDOFF_DOWNLOAD_SECONDS_DEFAULT 300u
#define LIMIT_HANDOFF_HELD_DEFAULT 8u
/* Partners the configuration may list ([handoff] partner), and their
 * words: an id of a-z, 0-9 and _, and the name the cover shows. */
#define HANDOFF_PARTNERS_MAX 32u
#define HANDOFF_PARTNER_ID_MAX 16u
#define HANDOFF_PARTNER_NAME_MAX 80u
/* Staff sessions: idle and absolute lifetime, in seconds. */
#define LIMIT_SESSION_IDLE_DEFAULT (30u * 60)
#define LIMIT_SESSION_ABSOLUTE_DEFAULT (10u * 3600)

/*
 * The norm self-assessment (core/norm.h): what one item's form may hold.
 * These are the defaults and also the most the configuration may set
 * ([limits] norm_*): the annual report for the council is laid out for
 * texts of this size, and the forms are sized for this many action
 * points; an organisation may ask for shorter texts, not longer.
 */
#define LIMIT_NORM_TEXT_MAX 4000u	/* explanation, evidence: bytes each */
#define LIMIT_NORM_ACTION_MAX 500u	/* one action point, in bytes */
#define LIMIT_NORM_OWNER_MAX 120u	/* its owner (a name or a role) */
#define LIMIT_NORM_ACTIONS_MAX 10u	/* action points per item and year */

/*
 * The inbox's search (core/inbox.h): the longest text a handler may
 * search for, in bytes. Every search opens each listed report's content
 * in memory; a longer text only wastes that work.
 */
#define LIMIT_SEARCH_MAX_DEFAULT 100u
#define LIMIT_SEARCH_MAX 1000u
/*
 * What the inbox shows of a report's content: the first words of its
 * description (or location), at most this many words and bytes. Output
 * sizes, not limits on input: nothing is refused by them.
 */
#define INBOX_SUMMARY_WORDS 12u
#define INBOX_SUMMARY_MAX 120u
/* An incident's kinds (option names joined by ','), in bytes. */
#define INBOX_KIND_MAX 160u

/*
 * Padding of what is sealed (issue 15, crypto/envelope.h: struct
 * envelope_pad), so that a copy of the database learns nothing from a
 * length: a named and an anonymous report, a long and a short message or
 * address, look alike. These are no limits (nothing is refused) and not
 * configurable: an installation that pads less would tell more, and one
 * that pads otherwise only costs space.
 *
 * PAD_CONTENT   a report's content and the reporter's identity: a
 *               multiple of this (the signal form's answers are a few
 *               hundred bytes)
 * PAD_TEXT      messages, notes, workflow event fields, meeting notes
 * PAD_FILE      files: this at least, then buckets of four sizes per
 *               doubling (at most 25 % more); the exact size is inside
 * PAD_ADDRESS   an e-mail address in the outbox: one length for every
 *               valid address (at most 254 bytes, RFC 5321)
 * The statistical answers pad to one length per report type: the longest
 * answers its form allows (form_stats_max).
 */
#define PAD_CONTENT 512u
#define PAD_TEXT 512u
#define PAD_FILE (64u * 1024)
#define PAD_ADDRESS 256u

/* The policies above as crypto/envelope.h takes them (limits.c). */
struct envelope_pad;
extern const struct envelope_pad pad_content, pad_text, pad_file;

struct limits {
	size_t body_max;
	size_t connection_memory;
	unsigned connections;
	unsigned connection_timeout;
	unsigned connections_per_client;
	unsigned header_timeout;
	size_t body_rate_min;
	unsigned body_rate_window;
	size_t body_memory_per_client;
	size_t body_memory;
	unsigned threads;
	size_t field_max;
	unsigned fields_max;
	size_t upload_file_max;
	unsigned upload_files_max;
	size_t upload_total_max;
	unsigned upload_types;		/* enum filetype bits */
	unsigned receipt_attempts;
	unsigned submissions;
	unsigned login_attempts;
	unsigned login_delay;		/* seconds */
	unsigned login_delay_max;	/* seconds */
	unsigned login_hashes;
	unsigned login_hash_wait;	/* milliseconds */
	unsigned password_min;
	unsigned key_upgrade_days;
	unsigned session_idle;
	unsigned session_absolute;
	unsigned norm_text_max;
	unsigned norm_action_max;
	unsigned norm_owner_max;
	unsigned norm_actions_max;
	unsigned search_max;		/* bytes of an inbox search */
	unsigned handoff_cover_max;	/* characters of a cover text */
	unsigned handoff_download_seconds;
	unsigned handoff_held;		/* packages awaiting download */
};

extern const struct limits limits_default;

#endif
