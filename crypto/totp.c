/*
 * totp.c - RFC 6238 codes with HMAC-SHA1 from nettle (see totp.h).
 *
 * libsodium has no SHA-1; nettle (GnuTLS's crypto library, already on every
 * machine that has libmicrohttpd's TLS) has, so HMAC-SHA1 is not written by
 * hand here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>
#include <sodium.h>

#include "totp.h"

struct secret *
totp_secret_new(void)
{
	struct secret *s = secret_new(TOTP_SECRET_LEN);

	if (s)
		randombytes_buf(s->bytes, s->len);
	return s;
}

uint32_t
totp_code(const struct secret *s, uint64_t step)
{
	struct hmac_sha1_ctx ctx;
	uint8_t msg[8], mac[SHA1_DIGEST_SIZE];
	uint32_t bin;
	unsigned off;
	int i;

	for (i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)step;
		step >>= 8;
	}
	hmac_sha1_set_key(&ctx, s->len, s->bytes);
	hmac_sha1_update(&ctx, sizeof(msg), msg);
	hmac_sha1_digest(&ctx, sizeof(mac), mac);
	/* Dynamic truncation, RFC 4226 section 5.3. */
	off = mac[SHA1_DIGEST_SIZE - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	      (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
	sodium_memzero(&ctx, sizeof(ctx));
	sodium_memzero(mac, sizeof(mac));
	return bin % 1000000u;
}

int
totp_verify(const struct secret *s, const char *code, time_t now,
            uint64_t min_step, uint64_t *step_used)
{
	uint32_t given = 0;
	uint64_t step, found = 0;
	int digits = 0, ok = 0, d;

	for (; *code; code++) {
		if (*code == ' ' || *code == '-')
			continue;
		if (!isdigit((unsigned char)*code) || ++digits > TOTP_DIGITS)
			return -1;
		given = given * 10 + (uint32_t)(*code - '0');
	}
	if (digits != TOTP_DIGITS || now < TOTP_STEP)
		return -1;
	step = (uint64_t)now / TOTP_STEP;
	/* Check all three steps, so the time taken says nothing. */
	for (d = -1; d <= 1; d++) {
		uint64_t st = step + (uint64_t)(int64_t)d;
		uint32_t want = totp_code(s, st);
		int match = sodium_memcmp(&want, &given, sizeof(want)) == 0;

		if (match && st >= min_step && !ok) {
			ok = 1;
			found = st;
		}
	}
	if (!ok)
		return -1;
	*step_used = found;
	return 0;
}

void
totp_secret_text(const struct secret *s, char out[TOTP_SECRET_TEXT_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t i, o = 0;
	unsigned buffer = 0, bits = 0;

	for (i = 0; i < s->len && o < TOTP_SECRET_TEXT_LEN; i++) {
		buffer = (buffer << 8) | s->bytes[i];
		bits += 8;
		while (bits >= 5 && o < TOTP_SECRET_TEXT_LEN) {
			out[o++] = alphabet[(buffer >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[o] = '\0';
	buffer = 0;
}

static void
percent_encode(char **p, size_t *left, const char *s)
{
	for (; *s && *left > 3; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			*(*p)++ = (char)c;
			(*left)--;
		} else {
			snprintf(*p, *left, "%%%02X", c);
			*p += 3;
			*left -= 3;
		}
	}
	**p = '\0';
}

char *
totp_uri(const struct secret *s, const char *issuer, const char *account)
{
	char text[TOTP_SECRET_TEXT_LEN + 1];
	size_t size = 64 + 6 * (strlen(issuer) + strlen(account)) +
	              TOTP_SECRET_TEXT_LEN, left;
	char *uri = malloc(size), *p;
	int n;

	if (!uri)
		return NULL;
	totp_secret_text(s, text);
	p = uri;
	left = size;
	n = snprintf(p, left, "otpauth://totp/");
	p += n;
	left -= (size_t)n;
	percent_encode(&p, &left, issuer);
	*p++ = ':';
	left--;
	percent_encode(&p, &left, account);
	n = snprintf(p, left, "?secret=%s&issuer=", text);
	p += n;
	left -= (size_t)n;
	percent_encode(&p, &left, issuer);
	n = snprintf(p, left, "&algorithm=SHA1&digits=%d&period=%d",
	             TOTP_DIGITS, TOTP_STEP);
	sodium_memzero(text, sizeof(text));
	if (n < 0 || (size_t)n >= left) {
		sodium_memzero(uri, size);
		free(uri);
		return NULL;
	}
	return uri;
}
