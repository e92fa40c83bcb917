/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share.
 *
 * Each target feeds arbitrary bytes to one parser. Parsers take
 * NUL-terminated text, so fuzz_text copies the input into a fresh buffer
 * of exactly len + 1 bytes: AddressSanitizer then catches a read past the
 * end. The log is silenced: a parser refusing input logs, and that is not
 * a finding.
 */
#ifndef MELDPUNT_FUZZ_H
#define MELDPUNT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* data as a malloc'd NUL-terminated string (NUL bytes inside stay). */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Above LOG_ERROR: nothing is written. */
static inline void
fuzz_quiet(void)
{
	log_set_level((enum log_level)(LOG_ERROR + 1));
}

#endif
