/*
 * fuzz_filetype.c - filetype_detect on arbitrary bytes (every upload goes
 * through it before anything else reads the file): no read outside the
 * data, and the answer is a set of known kinds. The list parser of
 * [limits] upload_types gets the same bytes as text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "filetype.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes: ASan sees any read past the end. */
	uint8_t *copy = malloc(size ? size : 1);
	char *text = malloc(size + 1), bad[32];
	unsigned kinds;

	if (!copy || !text)
		abort();
	memcpy(copy, data, size);
	if ((filetype_detect(copy, size) & ~FILETYPE_ALL) != 0)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (filetype_parse_list(text, &kinds, bad, sizeof(bad)) == 0 &&
	    (kinds & ~FILETYPE_ALL) != 0)
		abort();
	free(copy);
	free(text);
	return 0;
}
