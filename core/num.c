/*
 * num.c - decimal numbers read from text with strtol, every error
 * checked (see num.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

int
num_parse(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
num_parse_n(const char *s, size_t n, long min, long max, long *out)
{
	/* Enough for any long with its sign and some leading blanks. */
	char copy[32];

	if (!s || n >= sizeof(copy) || memchr(s, '\0', n))
		return -1;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return num_parse(copy, min, max, out);
}
