/*
 * fuzz_receipt.c - receipt_parse on arbitrary text: a reporter types a
 * receipt by hand on /status, so every byte of it is the attacker's.
 * Also checks that what parses formats back to a receipt that parses to
 * the same bytes.
 */
#include "fuzz.h"
#include "receipt.h"

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
	uint8_t r[RECEIPT_BYTES], again[RECEIPT_BYTES];
	char formatted[RECEIPT_TEXT_LEN + 1];

	if (receipt_parse(text, r) == 0) {
		receipt_format(r, formatted);
		if (receipt_parse(formatted, again) < 0 ||
		    memcmp(r, again, sizeof(r)) != 0)
			abort();
	}
	free(text);
	return 0;
}
