/*
 * token.c - session and CSRF tokens, and one-time passwords.
 *
 * A token is 32 random bytes in base64url without padding. token_valid
 * accepts only what token_new can produce (length, alphabet and zero
 * padding bits), so a lookup never runs on arbitrary input. Tokens are
 * stored as their BLAKE2b-256 hash; the token text itself is the secret.
 *
 * A one-time password is 100 random bits as 20 Crockford base32
 * characters in groups of five: easy to read out and to type.
 */
#include <string.h>

#include <sodium.h>

#include "base32.h"
#include "token.h"

#define VARIANT		sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define PASSWORD_BYTES	13	/* 104 bits, of which the first 100 are used */

_Static_assert(sodium_base64_ENCODED_LEN(TOKEN_BYTES, VARIANT) ==
               TOKEN_TEXT_LEN + 1, "token text length");
_Static_assert(TOKEN_PASSWORD_LEN == 4 * 5 + 3, "password shape");

void
token_new(char out[TOKEN_TEXT_LEN + 1])
{
	uint8_t raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_TEXT_LEN + 1, raw, sizeof(raw), VARIANT);
	sodium_memzero(raw, sizeof(raw));
}

int
token_valid(const char *text)
{
	uint8_t raw[TOKEN_BYTES];
	size_t i, rawlen;
	int ok;

	if (!text || strnlen(text, TOKEN_TEXT_LEN + 1) != TOKEN_TEXT_LEN)
		return 0;
	for (i = 0; i < TOKEN_TEXT_LEN; i++) {
		char c = text[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	/* Rejects non-zero padding bits in the last character. */
	ok = sodium_base642bin(raw, sizeof(raw), text, TOKEN_TEXT_LEN, NULL,
	                       &rawlen, NULL, VARIANT) == 0 &&
	     rawlen == TOKEN_BYTES;
	sodium_memzero(raw, sizeof(raw));
	return ok;
}

void
token_hash(const char *text, uint8_t out[CRYPTO_HASH_LEN])
{
	crypto_generichash(out, CRYPTO_HASH_LEN, (const unsigned char *)text,
	                   strlen(text), NULL, 0);
}

int
token_equal(const char *a, const char *b)
{
	return crypto_equal_str(a, b);
}

void
token_password(char out[TOKEN_PASSWORD_LEN + 1])
{
	/* 21 characters in groups of five: XXXXX-XXXXX-XXXXX-XXXXX-X. */
	char text[BASE32_CHARS(PASSWORD_BYTES) + 4 + 1];
	uint8_t raw[PASSWORD_BYTES];

	randombytes_buf(raw, sizeof(raw));
	base32_encode(text, sizeof(text), raw, sizeof(raw), 5);
	/* Drop the last dash and the character holding the 4 extra bits. */
	memcpy(out, text, TOKEN_PASSWORD_LEN);
	out[TOKEN_PASSWORD_LEN] = '\0';
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(text, sizeof(text));
}
