/*
 * secret.c - guarded memory for key material, and secret files.
 *
 * The bytes come from sodium_malloc: guard pages on both sides catch an
 * overrun, mlock keeps them out of swap, and sodium_free wipes them. The
 * small struct around them holds no secret and is an ordinary malloc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "secret.h"

struct secret *
secret_new(size_t len)
{
	struct secret *s;

	s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	/* sodium_malloc(0) is allowed but an empty plaintext still needs a
	 * valid pointer to decrypt into. */
	s->bytes = sodium_malloc(len ? len : 1);
	if (!s->bytes) {
		free(s);
		return NULL;
	}
	/* sodium_malloc fills with 0xdb to expose uninitialised reads. */
	memset(s->bytes, 0, len ? len : 1);
	s->len = len;
	return s;
}

struct secret *
secret_from(const void *src, size_t len)
{
	struct secret *s = secret_new(len);

	if (s && len)
		memcpy(s->bytes, src, len);
	return s;
}

void
secret_free(struct secret *s)
{
	if (!s)
		return;
	sodium_free(s->bytes);
	free(s);
}

int
secret_save_file(const char *path, const struct secret *s)
{
	const uint8_t *p = s->bytes;
	size_t left = s->len;
	ssize_t n;
	int fd, saved;

	/* O_EXCL: an installation secret is never replaced by accident. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (left > 0) {
		n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			goto fail;
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	/* A short file would be refused at every later start: remove it. */
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(path);
	errno = saved;
	return -1;
}

int
secret_load_file(const char *path, size_t len, struct secret **out)
{
	struct secret *s = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, saved;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	/* A key others could have read is a key to replace, not to use. */
	if (st.st_mode & 077) {
		errno = EACCES;
		goto fail;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size != len) {
		errno = EINVAL;
		goto fail;
	}
	s = secret_new(len);
	if (!s) {
		errno = ENOMEM;
		goto fail;
	}
	while (got < len) {
		n = read(fd, s->bytes + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0) {
			/* Shrunk since fstat. */
			errno = EINVAL;
			goto fail;
		}
		got += (size_t)n;
	}
	close(fd);
	*out = s;
	return 0;

fail:
	saved = errno;
	secret_free(s);
	close(fd);
	errno = saved;
	return -1;
}
