/*
 * schema.c - lookup in the embedded schema/ files (see schema.h).
 */
#include <string.h>

#include "schema.h"

const struct schema_file *
schema_find(const char *path)
{
	const struct schema_file *f;

	for (f = schema_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}
