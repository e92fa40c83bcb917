/*
 * outbox.c - the queue of notices and the thread that sends them (see
 * outbox.h).
 *
 * Queueing and sending meet at one process-wide condition variable:
 * outbox_enqueue signals it after its insert, the sender waits on it
 * between passes. A notice queued inside a caller's transaction is seen as
 * soon as that commits, because the sender reads the queue under the
 * database lock, which the transaction holds until its commit.
 *
 * The sender never holds the database lock while it talks to the relay:
 * it reads one due row, lets go, sends, then records the outcome with its
 * audit row in one transaction.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "audit.h"
#include "casenumber.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "install.h"
#include "limits.h"
#include "log.h"
#include "outbox.h"
#include "secretbox.h"
#include "smtp.h"

/* A valid address and its NUL fit the padded plaintext. */
_Static_assert(PAD_ADDRESS > SMTP_ADDRESS_MAX, "PAD_ADDRESS too short");

/* Associated data of a sealed address: its purpose and its report. */
#define ADDRESS_AD "meldpunt outbox address v1"

struct outbox_sender {
	struct installation *inst;
	const struct config *cfg;
	pthread_t thread;
	int running;		/* the thread was started */
	int stop;		/* under wake_mu */
	int sock;		/* the relay connection in progress, or -1 */
};

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static unsigned long wake_gen;

/* The condition waits on the monotonic clock: setting the date moves no
 * retry. */
static void
wake_init(void)
{
	pthread_condattr_t attr;

	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&wake_cond, &attr) != 0)
		die("outbox: cannot set up the sender's wake-up");
	pthread_condattr_destroy(&attr);
}

void
outbox_wake(void)
{
	pthread_once(&wake_once, wake_init);
	pthread_mutex_lock(&wake_mu);
	wake_gen++;
	pthread_cond_broadcast(&wake_cond);
	pthread_mutex_unlock(&wake_mu);
}

int
outbox_address_valid(const char *address)
{
	return smtp_address_valid(address);
}

static void
address_ad(uint8_t ad[sizeof(ADDRESS_AD) - 1 + 8], int64_t report_id)
{
	size_t i;

	memcpy(ad, ADDRESS_AD, sizeof(ADDRESS_AD) - 1);
	for (i = 0; i < 8; i++)
		ad[sizeof(ADDRESS_AD) - 1 + i] =
			(uint8_t)((uint64_t)report_id >> (8 * i));
}

int
outbox_enqueue(struct installation *inst, int64_t report_id,
               const char *address)
{
	uint8_t ad[sizeof(ADDRESS_AD) - 1 + 8], *box = NULL;
	/*
	 * Sealed as PAD_ADDRESS bytes, the address and NULs: every address
	 * stores one length (it opens as the same C string; rows sealed
	 * before, unpadded, still do).
	 */
	char padded[PAD_ADDRESS];
	char now[CLOCK_TEXT_LEN + 1];
	struct secret *key = NULL;
	struct stmt *st = NULL;
	size_t boxlen;
	int own = 0, ok = 0;

	/* Checked here, so no CR, LF or second '@' is ever stored. */
	if (!outbox_address_valid(address))
		return error("no notice for report %lld: the e-mail address is "
		             "not usable", (long long)report_id);
	address_ad(ad, report_id);
	memset(padded, 0, sizeof(padded));
	memcpy(padded, address, strlen(address));
	if (secretbox_key(inst->secret, SECRETBOX_OUTBOX_ADDRESS, &key) < 0 ||
	    secretbox_seal(key, padded, sizeof(padded), ad, sizeof(ad), &box,
	                   &boxlen) < 0) {
		crypto_wipe(padded, sizeof(padded));
		secret_free(key);
		return error("no notice for report %lld: cannot seal the "
		             "address", (long long)report_id);
	}
	crypto_wipe(padded, sizeof(padded));
	secret_free(key);
	clock_format(clock_now(), now);
	if (db_join(inst->db, &own) < 0)
		goto out;
	ok = db_prepare(inst->db, &st, "INSERT INTO outbox (report_id, created,"
	                " address, next_at) VALUES (:report, :now, :address,"
	                " :now)") == 0 &&
	     stmt_bind_int(st, ":report", report_id) == 0 &&
	     stmt_bind_text(st, ":now", now) == 0 &&
	     stmt_bind_blob(st, ":address", box, boxlen) == 0 &&
	     stmt_run(st) == 0;
	stmt_finalize(st);
	if (db_leave(inst->db, own, ok) < 0)
		ok = 0;
out:
	free(box);
	if (!ok)
		return error("no notice for report %lld: cannot queue it",
		             (long long)report_id);
	log_info("notice for report %lld queued", (long long)report_id);
	outbox_wake();
	return 0;
}

void
outbox_relay(const struct config *c, struct smtp_relay *out)
{
	memset(out, 0, sizeof(*out));
	out->host = c->smtp_host;
	out->port = c->smtp_port;
	out->from = c->smtp_from;
	out->starttls = c->smtp_starttls;
	out->ca_file = c->smtp_ca_file;
	out->timeout = c->smtp_timeout;
}

void
outbox_notice(const char *public_url, struct buf *subject, struct buf *body)
{
	/*
	 * Only that there is news and where: no content, no report type, no
	 * organisation's team name. The reporter's language is not known to
	 * the server, so Dutch first, then English.
	 */
	buf_adds(subject, "Nieuws over uw melding / News about your report");
	buf_addf(body,
	         "Goedendag,\n"
	         "\n"
	         "Er is nieuws over uw melding. U leest het op:\n"
	         "\n"
	         "    %s/status\n"
	         "\n"
	         "Vul daar de ontvangstcode in die u kreeg toen u meldde.\n"
	         "Deze e-mail bevat bewust geen inhoud. Op antwoorden wordt\n"
	         "niet gereageerd.\n"
	         "\n"
	         "-- \n"
	         "\n"
	         "Hello,\n"
	         "\n"
	         "There is news about your report. You can read it at:\n"
	         "\n"
	         "    %s/status\n"
	         "\n"
	         "Enter the receipt code you were given when you reported.\n"
	         "This e-mail deliberately contains no content. Replies are\n"
	         "not read.\n",
	         public_url, public_url);
}

/* One queued notice, as read from its row. */
struct queued {
	int64_t id, report_id, attempts;
	uint8_t *box;
	size_t boxlen;
};

/* The oldest due notice: 1 and *q, 0 when none is due, -1 on error. */
static int
next_due(struct db *db, time_t now, struct queued *q)
{
	char nowtext[CLOCK_TEXT_LEN + 1];
	struct stmt *st = NULL;
	const void *p;
	int rc, ret = -1;

	memset(q, 0, sizeof(*q));
	clock_format(now, nowtext);
	db_lock(db);
	if (db_prepare(db, &st, "SELECT id, report_id, attempts, address"
	               " FROM outbox WHERE status = 'queued' AND next_at <= :now"
	               " ORDER BY next_at, id LIMIT 1") < 0 ||
	    stmt_bind_text(st, ":now", nowtext) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc != DB_ROW) {
		ret = rc == DB_DONE ? 0 : -1;
		goto out;
	}
	q->id = stmt_int(st, 0);
	q->report_id = stmt_int(st, 1);
	q->attempts = stmt_int(st, 2);
	p = stmt_blob(st, 3, &q->boxlen);
	q->box = malloc(q->boxlen ? q->boxlen : 1);
	if (!q->box)
		die("out of memory");
	if (q->boxlen)
		memcpy(q->box, p, q->boxlen);
	ret = 1;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

/* When the next queued notice is due; 0 when none is queued. */
static time_t
next_time(struct db *db)
{
	struct stmt *st = NULL;
	const char *t;
	struct tm tm;
	time_t ret = 0;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT min(next_at) FROM outbox"
	               " WHERE status = 'queued'") == 0 &&
	    stmt_step(st) == DB_ROW && (t = stmt_text(st, 0)) != NULL) {
		memset(&tm, 0, sizeof(tm));
		if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
		           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			ret = timegm(&tm);
		}
	}
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

enum outcome { SENT, RETRY, GIVEN_UP };

/*
 * Record what became of notice q, with its audit row, in one transaction.
 * A sent or given-up notice loses its sealed address.
 */
static int
record(struct db *db, const struct queued *q, enum outcome what,
       int64_t attempts, int code, time_t next)
{
	char now[CLOCK_TEXT_LEN + 1], at[CLOCK_TEXT_LEN + 1], object[48];
	char cn[CASE_NUMBER_LEN + 1];
	struct stmt *st = NULL;
	int ok;

	clock_format(clock_now(), now);
	clock_format(next, at);
	if (db_begin(db) < 0)
		return -1;
	switch (what) {
	case SENT:
		ok = db_prepare(db, &st, "UPDATE outbox SET status = 'sent',"
		                " address = NULL, attempts = :attempts,"
		                " sent_at = :now, last_error_code = NULL"
		                " WHERE id = :id") == 0 &&
		     stmt_bind_text(st, ":now", now) == 0;
		break;
	case GIVEN_UP:
		ok = db_prepare(db, &st, "UPDATE outbox SET status = 'failed',"
		                " address = NULL, attempts = :attempts,"
		                " last_error_code = :code WHERE id = :id") == 0 &&
		     stmt_bind_int(st, ":code", code) == 0;
		break;
	default:
		ok = db_prepare(db, &st, "UPDATE outbox SET attempts = :attempts,"
		                " next_at = :next, last_error_code = :code"
		                " WHERE id = :id") == 0 &&
		     stmt_bind_int(st, ":code", code) == 0 &&
		     stmt_bind_text(st, ":next", at) == 0;
		break;
	}
	ok = ok && stmt_bind_int(st, ":attempts", attempts) == 0 &&
	     stmt_bind_int(st, ":id", q->id) == 0 && stmt_run(st) == 0;
	stmt_finalize(st);
	ok = ok && case_label(db, q->report_id, cn) != NULL;
	snprintf(object, sizeof(object), "report %s", ok ? cn : "unknown");
	if (ok && what != RETRY)
		ok = audit_append(db, AUDIT_ACTOR_SYSTEM, what == SENT
		                  ? "mail-sent" : "mail-failed", object) == 0;
	if (!ok) {
		db_rollback(db);
		return error("cannot record the notice for report %lld",
		             (long long)q->report_id);
	}
	return db_commit(db);
}

/* The wait before attempt attempts + 1: retry, doubled, at most an hour. */
static time_t
backoff(unsigned retry, int64_t attempts)
{
	time_t wait = retry;
	int64_t i;

	for (i = 1; i < attempts && wait < OUTBOX_RETRY_MAX; i++)
		wait *= 2;
	return wait < OUTBOX_RETRY_MAX ? wait : OUTBOX_RETRY_MAX;
}

static int
stopping(struct outbox_sender *s)
{
	int stop;

	if (!s)
		return 0;
	pthread_mutex_lock(&wake_mu);
	stop = s->stop;
	pthread_mutex_unlock(&wake_mu);
	return stop;
}

/* smtp.h's hook: keep the socket, so outbox_sender_stop can cut it. */
static void
on_socket(void *arg, int fd)
{
	struct outbox_sender *s = arg;

	pthread_mutex_lock(&wake_mu);
	s->sock = fd;
	if (fd >= 0 && s->stop)
		shutdown(fd, SHUT_RDWR);
	pthread_mutex_unlock(&wake_mu);
}

/* Send one notice and record the outcome. 1 sent, 0 not, -1 error. */
static int
send_one(struct installation *inst, const struct config *c,
         struct outbox_sender *s, const struct queued *q)
{
	uint8_t ad[sizeof(ADDRESS_AD) - 1 + 8];
	struct buf subject = BUF_INIT, body = BUF_INIT;
	struct secret *key = NULL, *address = NULL;
	struct smtp_relay relay;
	struct smtp_result res = { 0, 0 };
	int64_t attempts = q->attempts + 1;
	long long rid = (long long)q->report_id;
	int ret = -1, sent;

	outbox_relay(c, &relay);
	relay.on_socket = s ? on_socket : NULL;
	relay.arg = s;
	address_ad(ad, q->report_id);
	if (secretbox_key(inst->secret, SECRETBOX_OUTBOX_ADDRESS, &key) < 0 ||
	    secretbox_open(key, q->box, q->boxlen, ad, sizeof(ad),
	                   &address) < 0) {
		/* Another installation's secret, or a damaged row: no retry
		 * can help. */
		error("notice for report %lld failed: its address does not "
		      "open", rid);
		ret = record(inst->db, q, GIVEN_UP, attempts, 0, 0);
		goto out;
	}
	outbox_notice(c->public_url, &subject, &body);
	{
		struct smtp_mail m = { (const char *)address->bytes, subject.data,
		                       body.data };

		sent = smtp_send(&relay, &m, &res) == 0;
	}
	if (sent) {
		log_info("notice for report %lld sent", rid);
		ret = record(inst->db, q, SENT, attempts, 0, 0) < 0 ? -1 : 1;
	} else if (stopping(s)) {
		/* Cut short by the stop: not the relay's fault, no attempt. */
		ret = 0;
	} else if (res.permanent || attempts >= (int64_t)c->smtp_attempts) {
		log_warn("notice for report %lld failed (reply %d), given up "
		         "after %lld attempts", rid, res.code,
		         (long long)attempts);
		ret = record(inst->db, q, GIVEN_UP, attempts, res.code, 0);
	} else {
		time_t wait = backoff(c->smtp_retry, attempts);

		log_warn("notice for report %lld not sent (reply %d), attempt "
		         "%lld; next in %lld s", rid, res.code,
		         (long long)attempts, (long long)wait);
		ret = record(inst->db, q, RETRY, attempts, res.code,
		             clock_now() + wait);
	}
out:
	secret_free(address);
	secret_free(key);
	buf_release(&subject);
	buf_release(&body);
	return ret;
}

static int
send_due(struct installation *inst, const struct config *c,
         struct outbox_sender *s)
{
	struct queued q;
	int rc, n = 0;

	while (!stopping(s)) {
		rc = next_due(inst->db, clock_now(), &q);
		if (rc <= 0)
			return rc < 0 ? -1 : n;
		rc = send_one(inst, c, s, &q);
		free(q.box);
		if (rc < 0)
			return -1;
		n += rc;
		if (rc == 0 && stopping(s))
			break;
	}
	return n;
}

int
outbox_send_due(struct installation *inst, const struct config *c)
{
	if (!c->smtp_host[0])
		return 0;
	return send_due(inst, c, NULL);
}

static void *
sender_main(void *arg)
{
	struct outbox_sender *s = arg;
	unsigned long gen;
	struct timespec until;
	time_t next, now, wait;

	pthread_mutex_lock(&wake_mu);
	while (!s->stop) {
		gen = wake_gen;
		pthread_mutex_unlock(&wake_mu);
		send_due(s->inst, s->cfg, s);
		next = next_time(s->inst->db);
		now = clock_now();
		pthread_mutex_lock(&wake_mu);
		if (s->stop)
			break;
		if (gen != wake_gen)
			continue;	/* queued while we sent: look again */
		wait = OUTBOX_IDLE_CHECK;
		if (next && next - now < wait)
			wait = next > now ? next - now : 1;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait;
		while (!s->stop && gen == wake_gen &&
		       pthread_cond_timedwait(&wake_cond, &wake_mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&wake_mu);
	return NULL;
}

int
outbox_sender_start(struct installation *inst, const struct config *c,
                    struct outbox_sender **out)
{
	struct outbox_sender *s;

	*out = NULL;
	pthread_once(&wake_once, wake_init);
	s = calloc(1, sizeof(*s));
	if (!s)
		die("out of memory");
	s->inst = inst;
	s->cfg = c;
	s->sock = -1;
	if (!c->smtp_host[0]) {
		/* Said once, here; the notices wait in the queue. */
		log_info("e-mail is not configured ([smtp] host): notices to "
		         "reporters stay queued");
		*out = s;
		return 0;
	}
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		free(s);
		return error("cannot start the e-mail sender");
	}
	s->running = 1;
	*out = s;
	return 0;
}

void
outbox_sender_stop(struct outbox_sender *s)
{
	if (!s)
		return;
	if (s->running) {
		pthread_mutex_lock(&wake_mu);
		s->stop = 1;
		/* A send in progress ends now; its notice stays queued. */
		if (s->sock >= 0)
			shutdown(s->sock, SHUT_RDWR);
		pthread_cond_broadcast(&wake_cond);
		pthread_mutex_unlock(&wake_mu);
		pthread_join(s->thread, NULL);
	}
	free(s);
}
