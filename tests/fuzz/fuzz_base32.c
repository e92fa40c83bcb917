/*
 * fuzz_base32.c - base32_decode on arbitrary text (receipts and the
 * recovery key are typed in). The first byte chooses the wanted length,
 * so short and long outputs are both tried; what decodes must encode back
 * to text that decodes to the same bytes.
 */
#include "fuzz.h"
#include "base32.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[64], again[64];
	/* Room for a dash after every character (group 1). */
	char enc[2 * BASE32_CHARS(64) + 1];
	size_t want;
	char *text;

	if (size < 1)
		return 0;
	want = data[0] % (sizeof(out) + 1);
	text = fuzz_text(data + 1, size - 1);
	if (base32_decode(out, want, text) == 0) {
		base32_encode(enc, sizeof(enc), out, want, data[0] & 7);
		if (base32_decode(again, want, enc) < 0 ||
		    memcmp(out, again, want) != 0)
			abort();
	}
	free(text);
	return 0;
}
