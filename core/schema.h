/*
 * schema.h - the data files of schema/, compiled into the program.
 *
 * schema/embed.cmake turns every .sql, .ini, .json and .txt file under
 * schema/ into a byte array at build time, so the binary carries its own
 * migrations and defaults and cannot be run against a mismatched copy.
 */
#ifndef MELDPUNT_SCHEMA_H
#define MELDPUNT_SCHEMA_H

#include <stddef.h>

struct schema_file {
	const char *path;	/* relative to schema/, e.g. "migrations/0001_init.sql" */
	const char *text;	/* the file's bytes, NUL-terminated */
	size_t len;		/* without the NUL */
};

/* Sorted by path; ends with an entry whose path is NULL. */
extern const struct schema_file schema_files[];

/* The embedded file at path, or NULL. */
const struct schema_file *schema_find(const char *path);

#endif
