/*
 * installation.c - making and checking the installation secret.
 */
#include "installation.h"
#include "receipt.h"

static const char check_text[] = "meldpunt installation secret check v1";

int
installation_secret_new(struct secret **out)
{
	*out = secret_new(INSTALLATION_SECRET_LEN);
	if (!*out)
		return -1;
	crypto_random((*out)->bytes, (*out)->len);
	return 0;
}

int
installation_secret_check(const struct secret *s,
                          uint8_t out[INSTALLATION_CHECK_LEN])
{
	if (s->len != INSTALLATION_SECRET_LEN)
		return -1;
	return crypto_blake2b(out, INSTALLATION_CHECK_LEN, check_text,
	                      sizeof(check_text) - 1, s->bytes, s->len);
}

int
installation_userkey_key(const struct secret *s, uint8_t out[CRYPTO_KEY_LEN])
{
	if (s->len != INSTALLATION_SECRET_LEN)
		return -1;
	return crypto_derive(out, s->bytes, 1, "userwrap");
}
