/*
 * base32.h - Crockford base32, the alphabet people read aloud.
 *
 * Receipts and the recovery key are written down by hand and typed back in,
 * often over the phone. Crockford's alphabet (0-9, A-Z without I L O U)
 * avoids letters that look like digits, and decoding forgives what people
 * do: lower case, spaces and dashes anywhere, I and L for 1, O for 0.
 */
#ifndef MELDPUNT_BASE32_H
#define MELDPUNT_BASE32_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed for n bytes, without separators. */
#define BASE32_CHARS(n) (((n) * 8 + 4) / 5)

/*
 * Encode len bytes as Crockford base32 in upper case, a dash after every
 * `group` characters (0: no dashes). out must hold
 * BASE32_CHARS(len) + BASE32_CHARS(len) / group + 1 bytes; the result is
 * NUL-terminated. Returns the string length.
 */
size_t base32_encode(char *out, size_t outsize, const uint8_t *in, size_t len,
                     unsigned group);

/*
 * Decode text into exactly len bytes. Ignores spaces, tabs and dashes,
 * accepts lower case and the look-alikes I/L (1) and O (0). Fails (-1) on any
 * other character, on a wrong number of characters, or when the unused low
 * bits of the last character are not zero. out is wiped on failure.
 */
int base32_decode(uint8_t *out, size_t len, const char *text);

#endif
