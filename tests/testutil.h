/*
 * testutil.h - what the tests share: scratch folders, a running server,
 * and HTTP requests to it over 127.0.0.1.
 *
 * Tests that need the server start the real program (MELDPUNT_BIN) on a
 * free port, read the port from its first line of output, and stop it by
 * its PID at teardown. Every wait is bounded.
 */
#ifndef MELDPUNT_TESTUTIL_H
#define MELDPUNT_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/types.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "install.h"

/* Seconds on the monotonic clock, for bounds on how long something took. */
double test_seconds(void);

/* A new empty folder under MELDPUNT_TEST_TMP (or /tmp); caller frees. */
char *test_tmpdir(const char *name);
/* rm -r of a folder made by test_tmpdir. */
void test_rmtree(const char *path);

/* Run the meldpunt program with args (NULL-terminated); exit status. */
int test_run(struct buf *out, struct buf *err, const char *const *argv);
/* test_run with input (text) on the program's stdin. */
int test_run_stdin(const char *input, struct buf *out, struct buf *err,
                   const char *const *argv);

/*
 * The regular files of folder from (a fixture under tests/data/fixtures),
 * copied owner-only (0600) into the existing folder to.
 */
void test_copy_files(const char *from, const char *to);

/* What `meldpunt init` prints that tests need. */
struct test_init {
	char recovery[65];	/* the recovery key (64 characters) */
	char password[32];	/* the admin's one-time password */
};

/*
 * `meldpunt --data dir init`, asserted to succeed; what it printed in *out
 * (NULL: not wanted).
 */
void test_init(const char *dir, struct test_init *out);

/*
 * The text after marker in text, up to the first of the characters in
 * stops (or the end), into out; asserted to be there, not empty, and to
 * fit in size.
 */
void test_text_after(const char *text, const char *marker, const char *stops,
                     char *out, size_t size);
/* The port number right after marker in text ("127.0.0.1:"), or 0. */
uint16_t test_port_after(const char *text, const char *marker);

struct test_server {
	pid_t pid;
	uint16_t port;
	char *log_path;		/* the server's stderr */
	/*
	 * The loopback address requests come from (CURLOPT_INTERFACE, e.g.
	 * "127.0.0.2"), or NULL for the system's choice (127.0.0.1). Copy
	 * the struct to talk to one server from two addresses.
	 */
	const char *source;
	/* The installation it serves: test_http expands "{#N}" with it. */
	char *dir;
};

/* The most memory (VmHWM, KiB) process pid has held so far, or -1. */
long test_peak_rss_kib(pid_t pid);

/* Start `meldpunt --data dir serve --port 0`; 0 or -1. */
int test_server_start(struct test_server *s, const char *dir);
/* The same with --config config_path (NULL: none). */
int test_server_start_config(struct test_server *s, const char *dir,
                             const char *config_path);
/* SIGTERM, wait (bounded), SIGKILL if needed; returns the exit status. */
int test_server_stop(struct test_server *s);

/*
 * text with every "{#N}" replaced by the case number of report row N of
 * the installation at dir (core/casenumber.h): tests know reports by the
 * rows they made, the server names them only by their numbers. The
 * result is one of TEST_CASES_BUFS static buffers, each reused in turn.
 * A row without a report fails the test.
 */
#define TEST_CASES_BUFS 16
const char *test_cases(const char *dir, const char *text);
/* The row of the report with case number `number` at dir; fails if none. */
int64_t test_case_row(const char *dir, const char *number);

/*
 * GET (body NULL) or POST; fills status, headers and body. 0 or -1. The
 * path and body are sent through test_cases with the server's dir.
 */
int test_http(const struct test_server *s, const char *method,
              const char *path, const char *body, long *status,
              struct buf *headers, struct buf *resp);

/*
 * Like test_http, with a Cookie header (NULL for none) and a body sent as
 * application/x-www-form-urlencoded.
 */
int test_http_cookie(const struct test_server *s, const char *method,
                     const char *path, const char *body, const char *cookie,
                     long *status, struct buf *headers, struct buf *resp);

/*
 * Like test_http, with an API token as a bearer (Authorization) and a body
 * sent as application/x-www-form-urlencoded (NULL: none).
 */
int test_http_token(const struct test_server *s, const char *method,
                    const char *path, const char *body, const char *token,
                    long *status, struct buf *resp);

/* test_http_token with a JSON body (Content-Type: application/json);
 * resp is reset first. */
int test_http_json(const struct test_server *s, const char *method,
                   const char *path, const char *body, const char *token,
                   long *status, struct buf *resp);

/* The value of header name in headers (case-insensitive), into out. 0/-1. */
int test_header(const struct buf *headers, const char *name, struct buf *out);

/* The value="..." of the input named name in a page, into out. 0 or -1. */
int test_input_value(const struct buf *page, const char *name, struct buf *out);

/*
 * Make an API token on the token page as the session of cookie (csrf its
 * token): label, roles as the form's fields ("role=vpt"), valid for days.
 * Its text into out (APITOKEN_TEXT_LEN + 1 bytes); asserted.
 */
void test_make_token(const struct test_server *s, const struct buf *cookie,
                     const struct buf *csrf, const char *label,
                     const char *roles, const char *days, char *out);

/* RFC 4648 base32 (spaces allowed) to a TOTP secret, as an app reads it. */
struct secret;
struct secret *test_totp_decode(const char *text);
/* The six-digit code of step now/30 + offset. */
void test_totp_now(const struct secret *s, int offset, char out[8]);

/*
 * A staff account's first login over HTTP: log in with the one-time
 * password, read the TOTP secret off the set-up page, set new_password
 * and confirm with a code. The session cookie ("mp_session=...") is left
 * in cookie, the page's CSRF token in csrf (may be NULL). Returns the TOTP
 * secret (the caller frees it); the code of this step is used up.
 */
struct secret *test_staff_setup(const struct test_server *s,
                                const char *username, const char *otp,
                                const char *new_password, struct buf *cookie,
                                struct buf *csrf);

/*
 * Log in a set-up account with password and a code `offset` steps ahead.
 * 0 and cookie (and csrf of the staff home page, may be NULL), or -1.
 */
int test_staff_login(const struct test_server *s, const char *username,
                     const char *password, const struct secret *totp,
                     int offset, struct buf *cookie, struct buf *csrf);

/*
 * Give user access to keyring ring of the installation at dir, opening it
 * with the recovery key (as `meldpunt init` printed it), as an admin
 * without the keyring would. Asserts on failure.
 */
void test_grant(const char *dir, const char *recovery, const char *ring,
                const char *user);

/*
 * A signal meeting on day (YYYY-MM-DD) made by "coord" in inst, with the
 * signals of ids (0 ends) on its agenda, their keys opened with the
 * recovery key (as `meldpunt init` printed it). Its id; asserted.
 */
int64_t test_meeting(struct installation *inst, const char *recovery,
                     const char *day, const int64_t *ids);

/* One part of a multipart/form-data POST. */
struct test_part {
	const char *name;
	const char *value;	/* text, or a file's bytes */
	size_t len;		/* 0: strlen(value) */
	const char *filename;	/* NULL for a text field */
	const char *type;	/* files: content type */
};

/* POST parts as multipart/form-data; extra_header may be NULL. 0 or -1. */
int test_http_multipart(const struct test_server *s, const char *path,
                        const struct test_part *parts, size_t n,
                        const char *extra_header, long *status,
                        struct buf *resp);

/*
 * Send raw bytes on a fresh connection to the server and read the answer
 * until the server closes or timeout_ms passes. 0 or -1.
 */
int test_raw(const struct test_server *s, const void *req, size_t len,
             struct buf *resp, int timeout_ms);

/*
 * A raw connection to the server from the loopback address from (e.g.
 * "127.0.0.2"); asserts on failure. test_say sends a text on it;
 * test_hear reads until the server closes (*closed), the head of an
 * answer has come (stop_at_head) or ms pass.
 */
int test_dial(const struct test_server *s, const char *from);
void test_say(int fd, const char *text);
void test_hear(int fd, struct buf *out, int ms, int stop_at_head,
               int *closed);
/*
 * Send request (raw HTTP, "Connection: close") from the loopback address
 * from and read the whole answer into answer (waiting at most ms).
 * Returns its status; asserts that one came.
 */
int test_exchange(const struct test_server *s, const char *from,
                  const char *request, struct buf *answer, int ms);

/*
 * Counts of what a submission writes (reports, messages, attachments,
 * audit rows) in the installation at dir, read through a separate
 * read-only connection, as text to compare.
 */
char *test_db_counts(const char *dir);

/* Read a whole file into b; 0 or -1. */
int test_read_file(const char *path, struct buf *b);

/*
 * Exit status of a shell command (for tools partners use: 7-Zip,
 * sha256sum, openssl), or -1 when it did not exit. Only with paths of the
 * test's own scratch folders.
 */
int test_sh(const char *cmd);

/*
 * The text of the PDF document pdf (len bytes) as pdftotext (poppler-utils)
 * reads it, appended to text, pages separated by form feeds. 0, or -1
 * when pdftotext cannot read it.
 */
int test_pdftotext(const void *pdf, size_t len, struct buf *text);

/* 1 when needle (len bytes) occurs in hay. */
int test_contains(const struct buf *hay, const void *needle, size_t len);

/*
 * The integer the one-row query sql gives in the installation at dir, read
 * through a separate read-only connection. Asserts on failure.
 */
int64_t test_count(const char *dir, const char *sql);

/*
 * Run sql (one or more statements) on the database of the installation
 * in dir, through a second connection, as a thief with write access
 * would. Asserts on failure.
 */
void test_exec(const char *dir, const char *sql);
/* As test_exec, for sql that the database must refuse (a trigger). */
void test_exec_fails(const char *dir, const char *sql);

/*
 * 1 when the statistical fields of report_events row `row` open with the
 * key pair (pk, sk), with the associated data events_ad makes of the
 * row's columns (issue 15 point 8), else 0.
 */
struct db;
int test_event_stats_open(struct db *db, int64_t row, const uint8_t *pk,
                          const struct secret *sk);

/*
 * Everything an action may not leave behind when it fails, as text to
 * compare: every row of every table of the database file at path, read
 * through a separate read-only connection (so only what was committed),
 * except audit rows whose result says the action did not succeed
 * ('refused', 'failed'): a failure may be audited, a success may not.
 */
char *test_db_snapshot(const char *path);

/*
 * What a copy of the database shows by lengths alone, as text to compare:
 * for every table, every row (in rowid order) with SQLite's length() of
 * each of its columns, one "table.column=length" a column.
 */
char *test_db_lengths(const char *path);

/*
 * A new installation in a fresh folder test_tmpdir(name), opened for
 * writing (asserted): *dir and the database file's *db_path, which
 * test_install_remove frees.
 */
struct installation;
struct installation *test_install(const char *name, char **dir,
                                  char **db_path);
/* Close it (asserted clean), remove its folder, free dir and db_path. */
void test_install_remove(struct installation *inst, char *dir, char *db_path);

/*
 * Fail every statement of an action in turn (db_fail_step, db.h).
 * act(arg) runs the action once on db and returns 0 when it reports
 * success. For n = 1, 2, ...: the n-th statement the action steps fails;
 * the action must then report failure, leave db outside any transaction
 * and the file at path exactly as before (test_db_snapshot). The first n
 * the action no longer reaches ends the loop: that run must succeed.
 * Returns the number of statements the action took. Asserts otherwise.
 */
/* The calendar day number (calendar.h) of "YYYY-MM-DD"; asserted valid. */
int64_t test_day(const char *date);
/* The day n days after "YYYY-MM-DD" date, as "YYYY-MM-DD", into out. */
void test_day_after(const char *date, int n, char out[11]);
/* The day n calendar months after date (calendar_add_months), into out. */
void test_months_after(const char *date, int n, char out[11]);

/* The moment of a UTC date and time (month 1-12), to set the clock. */
time_t test_utc(int year, int month, int mday, int hour, int min, int sec);

struct db;
uint64_t test_fail_each(struct db *db, const char *path,
                        int (*act)(void *arg), void *arg);

/*
 * A fresh installation (install_create with the fast password cost, the
 * admin "admin"), opened: its folder, its database file (for
 * test_fail_each), what init printed, and the open installation.
 */
struct test_install {
	char *dir;
	char *db_path;
	struct install_result res;
	struct installation *inst;
};
void test_install_new(const char *name, struct test_install *t);
/* Close (asserted clean) and remove it. */
void test_install_free(struct test_install *t);

/*
 * The fields a step of the built-in workflows requires, with values of
 * their types (schema/workflows/; the weging's motivations, a reference,
 * an amount): for tests that walk a case and are not about the fields.
 * test_step_fields fills out (room for max) and returns how many;
 * test_step_form appends them as "&name=value" (url-encoded), and
 * test_step_json as "\"fields\":{...}" (or nothing when there are none).
 */
struct workflow_field;
size_t test_step_fields(const char *transition, struct workflow_field *out,
                        size_t max);
void test_step_form(struct buf *b, const char *transition);
void test_step_json(struct buf *b, const char *transition);

#endif
