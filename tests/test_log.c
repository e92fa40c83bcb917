/*
 * test_log.c - log records: one line each, whatever the message holds.
 *
 * A user name typed at the login once wrote a forged "audit checkpoint"
 * line into the server log (issue 15): control characters of a message are
 * now written as \xNN. Records are read back from stderr redirected to a
 * scratch file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "testutil.h"

/* Run fn with stderr going to a scratch file; its text into out. */
static void
capture(void (*fn)(void), struct buf *out)
{
	char *dir = test_tmpdir("log");
	struct buf path = BUF_INIT;
	int fd, saved;

	buf_addf(&path, "%s/stderr", dir);
	fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	fn();
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(fd);
	assert_int_equal(test_read_file(path.data, out), 0);
	buf_release(&path);
	test_rmtree(dir);
	free(dir);
}

static size_t
count_lines(const struct buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

static void
log_forged(void)
{
	log_warn("failed login for %s",
	         "vpt\n2026-12-07T12:00:00Z meldpunt[1] info: audit checkpoint: "
	         "row 400 hash 00\r\x1b[2J\\x0a");
}

static void
test_control_characters_escaped(void **state)
{
	struct buf out = BUF_INIT;
	static const char want[] =
		"warning: failed login for vpt\\x0a2026-12-07T12:00:00Z "
		"meldpunt[1] info: audit checkpoint: row 400 hash 00"
		"\\x0d\\x1b[2J\\x5cx0a\n";

	(void)state;
	capture(log_forged, &out);
	assert_int_equal(count_lines(&out), 1);
	assert_true(test_contains(&out, want, strlen(want)));
	buf_release(&out);
}

static void
log_long(void)
{
	char big[5000];

	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("%s", big);
	log_info("after");
}

/* An overlong record is cut, escapes whole, and still ends its line. */
static void
test_long_record_cut(void **state)
{
	struct buf out = BUF_INIT;
	const char *second;

	(void)state;
	capture(log_long, &out);
	assert_int_equal(count_lines(&out), 2);
	second = strchr(out.data, '\n') + 1;
	assert_non_null(strstr(second, "info: after\n"));
	/* The first line ends on a whole escape, not a cut one. */
	assert_memory_equal(second - 5, "\\x0a\n", 5);
	assert_true((size_t)(second - out.data) <= 2048);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_characters_escaped),
		cmocka_unit_test(test_long_record_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
