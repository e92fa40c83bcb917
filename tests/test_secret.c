/*
 * test_secret.c - guarded secrets and the secret file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "crypto.h"
#include "secret.h"

struct fixture {
	char *dir;
	char path[512];
};

static int
setup(void **state)
{
	struct fixture *f;

	if (crypto_init() < 0)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	f->dir = test_tmpdir("secret");
	snprintf(f->path, sizeof(f->path), "%s/key", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void
test_new_from_free(void **state)
{
	uint8_t zero[48] = {0}, src[48];
	struct secret *s;

	(void)state;
	s = secret_new(48);
	assert_non_null(s);
	assert_non_null(s->bytes);
	assert_int_equal(s->len, 48);
	assert_memory_equal(s->bytes, zero, 48);
	secret_free(s);

	s = secret_new(0);
	assert_non_null(s);
	assert_non_null(s->bytes);
	assert_int_equal(s->len, 0);
	secret_free(s);

	crypto_random(src, sizeof(src));
	s = secret_from(src, sizeof(src));
	assert_non_null(s);
	assert_int_equal(s->len, sizeof(src));
	assert_memory_equal(s->bytes, src, sizeof(src));
	/* A copy, not the same memory. */
	assert_ptr_not_equal(s->bytes, src);
	secret_free(s);

	secret_free(NULL);
}

/*
 * Guarded memory (SECURITY.md promise 9): one byte past a secret is a
 * guard page, so a stray write there ends the process instead of
 * touching a key. Tried in a child, which must die of SIGSEGV.
 */
static void
test_guard_page(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct secret *s = secret_new(32);
		volatile uint8_t *p;

		if (!s)
			_exit(2);
		signal(SIGSEGV, SIG_DFL);
		p = s->bytes;
		p[32] = 1;	/* the guard page right after the key */
		_exit(0);	/* reached only if nothing guarded it */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static void
test_save_load(void **state)
{
	struct fixture *f = *state;
	struct secret *s, *t = NULL;
	struct stat st;
	uint8_t raw[32];

	crypto_random(raw, sizeof(raw));
	s = secret_from(raw, sizeof(raw));
	assert_non_null(s);
	assert_int_equal(secret_save_file(f->path, s), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);

	assert_int_equal(secret_load_file(f->path, 32, &t), 0);
	assert_non_null(t);
	assert_int_equal(t->len, 32);
	assert_memory_equal(t->bytes, raw, 32);
	secret_free(t);
	secret_free(s);
}

static void
test_save_refuses_existing(void **state)
{
	struct fixture *f = *state;
	struct secret *s, *t = NULL;
	uint8_t first[32], second[32];

	crypto_random(first, sizeof(first));
	crypto_random(second, sizeof(second));
	s = secret_from(first, sizeof(first));
	assert_int_equal(secret_save_file(f->path, s), 0);
	secret_free(s);

	s = secret_from(second, sizeof(second));
	errno = 0;
	assert_int_equal(secret_save_file(f->path, s), -1);
	assert_int_equal(errno, EEXIST);
	secret_free(s);

	/* The first secret is untouched. */
	assert_int_equal(secret_load_file(f->path, 32, &t), 0);
	assert_memory_equal(t->bytes, first, 32);
	secret_free(t);
}

static void
test_save_bad_dir(void **state)
{
	struct fixture *f = *state;
	struct secret *s = secret_new(32);
	char path[600];

	snprintf(path, sizeof(path), "%s/missing/key", f->dir);
	assert_int_equal(secret_save_file(path, s), -1);
	assert_int_equal(access(path, F_OK), -1);
	secret_free(s);
}

static void
test_load_refuses_readable(void **state)
{
	struct fixture *f = *state;
	struct secret *t = (struct secret *)&t;
	uint8_t raw[32] = {1, 2, 3};

	write_file(f->path, raw, sizeof(raw), 0644);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_null(t);
	assert_int_equal(chmod(f->path, 0640), 0);
	t = (struct secret *)&t;
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_null(t);
	assert_int_equal(chmod(f->path, 0604), 0);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(secret_load_file(f->path, 32, &t), 0);
	assert_memory_equal(t->bytes, raw, 32);
	secret_free(t);
	assert_int_equal(chmod(f->path, 0400), 0);
	assert_int_equal(secret_load_file(f->path, 32, &t), 0);
	secret_free(t);
}

static void
test_load_refuses_wrong_size(void **state)
{
	struct fixture *f = *state;
	struct secret *t = (struct secret *)&t;
	uint8_t raw[33] = {0};

	write_file(f->path, raw, 33, 0600);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_null(t);
	assert_int_equal(secret_load_file(f->path, 34, &t), -1);
	assert_int_equal(unlink(f->path), 0);

	write_file(f->path, raw, 31, 0600);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_int_equal(unlink(f->path), 0);

	write_file(f->path, raw, 0, 0600);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_int_equal(unlink(f->path), 0);

	/* Missing file; a directory. */
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(secret_load_file(f->path, 32, &t), -1);
	assert_null(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_from_free),
		cmocka_unit_test(test_guard_page),
		cmocka_unit_test_setup_teardown(test_save_load, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_save_refuses_existing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_bad_dir, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_load_refuses_readable,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_load_refuses_wrong_size, setup, teardown),
	};

	if (crypto_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
