/*
 * fuzz_form.c - form_parse on arbitrary form definitions
 * (schema/forms/TYPE.ini, which an organisation may edit).
 */
#include "fuzz.h"
#include "form.h"

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
	char *text = fuzz_text(data, size);
	struct form *f = NULL;

	if (form_parse("fuzz.ini", text, &f) == 0)
		form_free(f);
	free(text);
	return 0;
}
