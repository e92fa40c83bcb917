/*
 * secret.h - guarded memory for key material.
 *
 * A struct secret is a length and a pointer to memory from sodium_malloc:
 * guard pages around it, locked out of swap, and wiped by secret_free. Every
 * unwrapped private key, data key and installation secret lives in one.
 *
 * Ownership: whoever receives a struct secret * from a *_new / *_open /
 * *_unwrap function owns it and must call secret_free (NULL is allowed).
 */
#ifndef MELDPUNT_SECRET_H
#define MELDPUNT_SECRET_H

#include <stddef.h>
#include <stdint.h>

struct secret {
	size_t len;
	uint8_t *bytes;		/* guarded; len bytes */
};

/* A new zero-filled secret of len bytes; NULL when memory is exhausted. */
struct secret *secret_new(size_t len);

/* A new secret holding a copy of len bytes at src; NULL on failure. */
struct secret *secret_from(const void *src, size_t len);

/* Wipe and release; NULL is fine. */
void secret_free(struct secret *s);

/*
 * Store a secret in a new file at path, mode 0600, failing if the file
 * exists (an installation secret is never silently replaced). The data is
 * fsync'd before returning. 0 or -1 (errno kept).
 */
int secret_save_file(const char *path, const struct secret *s);

/*
 * Read a secret of exactly len bytes from path. Refuses (-1) a file of
 * another size or one that group or others can read. 0 and *out, or -1.
 */
int secret_load_file(const char *path, size_t len, struct secret **out);

#endif
