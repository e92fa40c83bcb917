/*
 * num.h - decimal numbers read from text, every error checked (atoi and
 * friends are banned, compat/banned.h: "12abc" is 12 to them and an
 * overflow is undefined).
 */
#ifndef MELDPUNT_NUM_H
#define MELDPUNT_NUM_H

#include <stddef.h>

/*
 * The decimal integer that is all of s: optional leading blanks and sign
 * as strtol takes them, at least one digit, nothing after, and within
 * [min, max]. 0 and *out, or -1 (and *out untouched).
 */
int num_parse(const char *s, long min, long max, long *out);
/* The same for the n characters at s, which may go on after them. */
int num_parse_n(const char *s, size_t n, long min, long max, long *out);

#endif
