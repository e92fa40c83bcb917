/*
 * fuzz_token.c - token_valid on arbitrary text: session cookies and CSRF
 * fields arrive from any client before anything else looks at them.
 */
#include "fuzz.h"
#include "token.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return crypto_init() < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	/* A valid token has exactly the length of one and no NUL inside. */
	if (token_valid(text) && strlen(text) != TOKEN_TEXT_LEN)
		abort();
	free(text);
	return 0;
}
