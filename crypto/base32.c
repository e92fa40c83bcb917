/*
 * base32.c - Crockford base32 for receipts, recovery keys and passwords.
 *
 * Bits are taken most significant first, five at a time; the last
 * character is padded with zero bits. Decoding is tolerant of what people
 * type (case, separators, I/L/O look-alikes) but strict about the rest: a
 * wrong character count or non-zero padding is an error, so that every
 * byte string has exactly one accepted spelling up to those allowances.
 * Key material passes through here, so the bit accumulators are wiped.
 */
#include <sodium.h>

#include "base32.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of one typed character, -1 when invalid, -2 for a separator. */
static int
value_of(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c >= '0' && c <= '9')
		return c - '0';
	switch (c) {
	case ' ': case '\t': case '-':
		return -2;
	case 'O':
		return 0;
	case 'I': case 'L':
		return 1;
	case 'A': return 10;
	case 'B': return 11;
	case 'C': return 12;
	case 'D': return 13;
	case 'E': return 14;
	case 'F': return 15;
	case 'G': return 16;
	case 'H': return 17;
	case 'J': return 18;
	case 'K': return 19;
	case 'M': return 20;
	case 'N': return 21;
	case 'P': return 22;
	case 'Q': return 23;
	case 'R': return 24;
	case 'S': return 25;
	case 'T': return 26;
	case 'V': return 27;
	case 'W': return 28;
	case 'X': return 29;
	case 'Y': return 30;
	case 'Z': return 31;
	default:
		return -1;
	}
}

size_t
base32_encode(char *out, size_t outsize, const uint8_t *in, size_t len,
              unsigned group)
{
	size_t chars = BASE32_CHARS(len), need, i, o = 0, emitted = 0;
	unsigned acc = 0, bits = 0;

	/* Dashes go between groups, never at the end. */
	need = chars + (group && chars ? (chars - 1) / group : 0) + 1;
	if (outsize < need) {
		if (outsize)
			out[0] = '\0';
		return 0;
	}
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			if (group && emitted && emitted % group == 0)
				out[o++] = '-';
			out[o++] = alphabet[(acc >> bits) & 31];
			emitted++;
		}
		/* Keep only the bits not yet written. */
		acc &= (1u << bits) - 1;
	}
	if (bits) {
		if (group && emitted && emitted % group == 0)
			out[o++] = '-';
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	}
	out[o] = '\0';
	sodium_memzero(&acc, sizeof(acc));
	return o;
}

int
base32_decode(uint8_t *out, size_t len, const char *text)
{
	size_t want = BASE32_CHARS(len), got = 0, o = 0;
	unsigned acc = 0, bits = 0;
	int v, ret = -1;

	for (; *text; text++) {
		v = value_of(*text);
		if (v == -2)
			continue;
		if (v < 0 || got == want)
			goto out;
		got++;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* What is left in acc are the padding bits of the last character. */
	if (got != want || acc != 0)
		goto out;
	ret = 0;

out:
	if (ret < 0)
		sodium_memzero(out, len);
	sodium_memzero(&acc, sizeof(acc));
	return ret;
}
