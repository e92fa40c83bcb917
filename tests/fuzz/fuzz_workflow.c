/*
 * fuzz_workflow.c - workflow_load_text on arbitrary workflow files (an
 * organisation's edited copies in DIR/workflows/). The text is passed
 * with its length and without a NUL, as the API allows; errors go to a
 * buffer, as `meldpunt workflow check` collects them.
 */
#include "fuzz.h"
#include "workflow.h"

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
	/* Exactly size bytes: a read past them is caught. */
	char *text = malloc(size ? size : 1);
	struct buf errors = BUF_INIT;
	struct workflow *wf = NULL;

	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);
	if (workflow_load_text("fuzz.ini", text, size, &wf, &errors) == 0)
		workflow_free(wf);
	buf_release(&errors);
	free(text);
	return 0;
}
