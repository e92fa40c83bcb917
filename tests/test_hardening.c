/*
 * test_hardening.c - files owner-only whoever starts the program, and no
 * core dumps (hardening.h; SECURITY.md "Running it").
 *
 * The program is started from a process whose umask is the usual 022, as
 * an operator at a shell would: every file it creates (the database, its
 * WAL and shared memory, installation.key, a backup) must still be 0600.
 * Core dumps are read back from the running server's /proc limits and, for
 * the dumpable flag, from forked children of this test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hardening.h"
#include "testutil.h"

static void
assert_owner_only(const char *dir, const char *name)
{
	struct buf path = BUF_INIT;
	struct stat st;

	buf_addf(&path, "%s/%s", dir, name);
	if (stat(path.data, &st) != 0) {
		print_error("%s is missing\n", path.data);
		fail();
	}
	if ((st.st_mode & 0077) != 0) {
		print_error("%s has mode %o\n", path.data,
		            (unsigned)(st.st_mode & 0777));
		fail();
	}
	buf_release(&path);
}

/* The "Max core file size" soft limit of pid, from /proc. */
static long long
core_limit(pid_t pid)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	const char *line;
	long long soft;

	buf_addf(&path, "/proc/%d/limits", (int)pid);
	assert_int_equal(test_read_file(path.data, &text), 0);
	line = strstr(text.data, "Max core file size");
	assert_non_null(line);
	line += strlen("Max core file size");
	if (sscanf(line, " %lld", &soft) != 1)
		soft = -1;	/* "unlimited" */
	buf_release(&path);
	buf_release(&text);
	return soft;
}

static void
test_files_owner_only(void **state)
{
	char *dir = test_tmpdir("hardening");
	struct buf data = BUF_INIT, backup = BUF_INIT, out = BUF_INIT,
	           err = BUF_INIT;
	struct test_server s;
	mode_t old;

	(void)state;
	old = umask(022);
	buf_addf(&data, "%s/data", dir);
	test_init(data.data, NULL);
	assert_owner_only(data.data, "meldpunt.db");
	assert_owner_only(data.data, "installation.key");
	/* The running server's WAL and shared memory too. */
	assert_int_equal(test_server_start(&s, data.data), 0);
	assert_owner_only(data.data, "meldpunt.db-wal");
	assert_owner_only(data.data, "meldpunt.db-shm");
	/* Core dumps are off in the server (no [log] core_dumps). */
	assert_int_equal(core_limit(s.pid), 0);
	test_server_stop(&s);
	buf_addf(&backup, "%s/copy.db", dir);
	{
		const char *argv[] = { "--data", data.data, "backup", backup.data,
		                       NULL };

		assert_int_equal(test_run(&out, &err, argv), 0);
	}
	assert_owner_only(dir, "copy.db");
	umask(old);
	buf_release(&data);
	buf_release(&backup);
	buf_release(&out);
	buf_release(&err);
	test_rmtree(dir);
	free(dir);
}

/* In a child: hardening_core_dumps(allow), then report the result. */
static int
child_dumpable(int allow, long long *limit)
{
	int fds[2], status;
	long long got[2] = { -2, -2 };
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl;
		long long res[2];

		close(fds[0]);
		if (hardening_core_dumps(allow) < 0)
			_exit(2);
		getrlimit(RLIMIT_CORE, &rl);
		res[0] = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		res[1] = rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur;
		if (write(fds[1], res, sizeof(res)) != (ssize_t)sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], got, sizeof(got)), (ssize_t)sizeof(got));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*limit = got[1];
	return (int)got[0];
}

static void
test_core_dumps(void **state)
{
	long long limit;

	(void)state;
	assert_int_equal(child_dumpable(0, &limit), 0);
	assert_int_equal(limit, 0);
	/* The debug setting leaves the process as it was started. */
	assert_int_equal(child_dumpable(1, &limit), 1);
}

/* [log] core_dumps = yes: the server keeps the limit it was given. */
static void
test_core_dumps_setting(void **state)
{
	char *dir = test_tmpdir("hardening");
	struct buf data = BUF_INIT, conf = BUF_INIT;
	struct buf saved_asan = BUF_INIT, asan_opts = BUF_INIT;
	struct test_server s;
	struct rlimit rl = { 4096 * 1024, 4096 * 1024 }, old;
	FILE *f;

	(void)state;
	buf_addf(&data, "%s/data", dir);
	buf_addf(&conf, "%s/meldpunt.ini", dir);
	test_init(data.data, NULL);
	f = fopen(conf.data, "w");
	assert_non_null(f);
	fputs("[log]\ncore_dumps = yes\n", f);
	fclose(f);
	getrlimit(RLIMIT_CORE, &old);
	if (old.rlim_max != RLIM_INFINITY && old.rlim_max < rl.rlim_max)
		rl.rlim_cur = rl.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_CORE, &rl), 0);
	/*
	 * AddressSanitizer (scripts/check's second build) sets the core limit
	 * to 0 itself at start unless told not to: tell the server's.
	 */
	{
		const char *asan = getenv("ASAN_OPTIONS");

		if (asan) {
			buf_addf(&saved_asan, "%s", asan);
			buf_addf(&asan_opts, "%s:disable_coredump=0", asan);
			setenv("ASAN_OPTIONS", asan_opts.data, 1);
		}
	}
	assert_int_equal(test_server_start_config(&s, data.data, conf.data), 0);
	if (saved_asan.len)
		setenv("ASAN_OPTIONS", saved_asan.data, 1);
	setrlimit(RLIMIT_CORE, &old);
	assert_int_equal(core_limit(s.pid), (long long)rl.rlim_cur);
	test_server_stop(&s);
	buf_release(&data);
	buf_release(&conf);
	buf_release(&saved_asan);
	buf_release(&asan_opts);
	test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_owner_only),
		cmocka_unit_test(test_core_dumps),
		cmocka_unit_test(test_core_dumps_setting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
