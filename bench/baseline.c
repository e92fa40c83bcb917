/*
 * baseline.c - the least a durable submission costs, to compare Meldpunt
 * with (bench/run). No Meldpunt code: libmicrohttpd, the whole body read,
 * sealed with crypto_box_seal to a key pair made at start, and inserted
 * into SQLite in WAL mode with synchronous=FULL and a checkpoint every
 * 10,000 pages (as core/db.c sets them). Inserts commit in groups as
 * core/db.c's db_group_write does: a request announces its write before
 * sealing, queues it, and the thread that finds no commit running commits
 * every queued insert in one transaction, after waiting at most
 * GROUP_WAIT_US for the announced ones; the answer (200) goes out only
 * after the COMMIT that holds the insert. With one transaction per insert
 * the baseline mostly measured the fsync it waited for alone. Prints
 * "serving PORT" when ready.
 *
 *   baseline DBFILE THREADS
 *
 * THREADS 0 gives each connection a thread of its own (as Meldpunt's
 * default); otherwise a pool of THREADS workers, each with epoll.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>

#define BODY_MAX (1024 * 1024)

#define GROUP_WAIT_US 1000	/* core/db.h DB_GROUP_WAIT_US */

static sqlite3 *db;
static sqlite3_stmt *insert, *begin, *commit, *rollback;
static unsigned char pk[crypto_box_PUBLICKEYBYTES];

struct conn {
	unsigned char *body;
	size_t len;
	int too_big;
};

/* One insert waiting for, or in, a group. */
struct write {
	const unsigned char *sealed;
	size_t len;
	int result;
	int done;
	struct write *next;
};

/*
 * The group: writes queue under lock; committing says a thread is in a
 * transaction now; expected counts writes announced and not yet queued.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_done = PTHREAD_COND_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;
static struct write *queue, **tail = &queue;
static int committing;
static unsigned expected;

static int
run(sqlite3_stmt *st)
{
	int ok = sqlite3_step(st) == SQLITE_DONE;

	sqlite3_reset(st);
	return ok ? 0 : -1;
}

/* Commit the writes of list in one transaction; each gets the result. */
static void
commit_group(struct write *list)
{
	struct write *w;
	int ok = run(begin) == 0;

	for (w = list; ok && w; w = w->next) {
		sqlite3_bind_blob(insert, 1, w->sealed, (int)w->len, SQLITE_STATIC);
		ok = run(insert) == 0;
		sqlite3_clear_bindings(insert);
	}
	if (ok)
		ok = run(commit) == 0;
	if (!ok)
		run(rollback);
	for (w = list; w; w = w->next)
		w->result = ok ? 0 : -1;
}

static void
wait_for_announced(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += GROUP_WAIT_US * 1000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (expected > 0)
		if (pthread_cond_timedwait(&arrived, &lock, &until) == ETIMEDOUT)
			break;
}

/* Queue one write and return after the COMMIT that holds it. */
static int
group_write(const unsigned char *sealed, size_t len)
{
	struct write me = { sealed, len, -1, 0, NULL };

	pthread_mutex_lock(&lock);
	*tail = &me;
	tail = &me.next;
	expected--;
	pthread_cond_broadcast(&arrived);
	while (!me.done) {
		struct write *list, *w;

		if (committing) {
			pthread_cond_wait(&group_done, &lock);
			continue;
		}
		committing = 1;
		wait_for_announced();
		list = queue;
		queue = NULL;
		tail = &queue;
		pthread_mutex_unlock(&lock);
		commit_group(list);
		pthread_mutex_lock(&lock);
		for (w = list; w; w = w->next)
			w->done = 1;
		committing = 0;
		pthread_cond_broadcast(&group_done);
	}
	pthread_mutex_unlock(&lock);
	return me.result;
}

static int
store(const unsigned char *body, size_t len)
{
	size_t sealed_len = len + crypto_box_SEALBYTES;
	unsigned char *sealed;
	int ret;

	/* Announced before sealing, as report_submit does (db_group_expect). */
	pthread_mutex_lock(&lock);
	expected++;
	pthread_mutex_unlock(&lock);
	sealed = malloc(sealed_len);
	if (!sealed || crypto_box_seal(sealed, body, len, pk) != 0) {
		free(sealed);
		pthread_mutex_lock(&lock);
		expected--;
		pthread_cond_broadcast(&arrived);
		pthread_mutex_unlock(&lock);
		return -1;
	}
	ret = group_write(sealed, sealed_len);
	free(sealed);
	return ret;
}

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text),
	                         (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url,
        const char *method, const char *version, const char *data,
        size_t *size, void **state)
{
	struct conn *k = *state;

	(void)cls;
	(void)url;
	(void)version;
	if (strcmp(method, "POST") != 0)
		return answer(c, 405, "POST only\n");
	if (!k) {
		k = calloc(1, sizeof(*k));
		if (!k)
			return MHD_NO;
		*state = k;
		return MHD_YES;
	}
	if (*size) {
		/* Read the whole body before answering: keep-alive stays. */
		if (k->len + *size > BODY_MAX) {
			k->too_big = 1;
		} else {
			unsigned char *nb = realloc(k->body, k->len + *size);

			if (!nb)
				return MHD_NO;
			memcpy(nb + k->len, data, *size);
			k->body = nb;
			k->len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	if (k->too_big)
		return answer(c, 413, "too large\n");
	if (store(k->body, k->len) < 0)
		return answer(c, 500, "not stored\n");
	return answer(c, 200, "<html><body>ontvangen</body></html>\n");
}

static void
done(void *cls, struct MHD_Connection *c, void **state,
     enum MHD_RequestTerminationCode code)
{
	struct conn *k = *state;

	(void)cls;
	(void)c;
	(void)code;
	if (k) {
		free(k->body);
		free(k);
		*state = NULL;
	}
}

int
main(int argc, char **argv)
{
	unsigned char sk[crypto_box_SECRETKEYBYTES];
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	unsigned threads;
	int sig;

	if (argc != 3 || sodium_init() < 0)
		return 2;
	crypto_box_keypair(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	                 " PRAGMA wal_autocheckpoint = 10000;"
	                 "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY,"
	                 " sealed BLOB NOT NULL)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO reports (sealed) VALUES (?1)", -1,
	                       &insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, NULL) != SQLITE_OK)
		return 1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* any free port */
	threads = (unsigned)strtoul(argv[2], NULL, 10);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	                     (threads ? MHD_USE_EPOLL
	                              : MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL),
	                     0, NULL, NULL, handler, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads,
	                     MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
	                     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	                     MHD_OPTION_END);
	if (!d)
		return 1;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("serving %u\n", info ? info->port : 0);
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	sqlite3_finalize(insert);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_finalize(rollback);
	sqlite3_close(db);
	return 0;
}
