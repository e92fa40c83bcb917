/*
 * fuzz_inifile.c - inifile_parse, the reader under forms, workflows and
 * the message catalogues, on arbitrary text. The handler checks what the
 * reader promises: NUL-terminated strings and line numbers that never go
 * down and never pass the number of lines in the text.
 */
#include "fuzz.h"
#include "inifile.h"

struct seen {
	int last;
	int lines;
};

static int
handler(void *user, const char *section, const char *name, const char *value,
        int line)
{
	struct seen *s = user;

	if (line < s->last || line < 1 || line > s->lines)
		abort();
	s->last = line;
	/* Touch every byte: a missing NUL shows as a read past the end. */
	return (int)(strlen(section) + strlen(name) + strlen(value)) >= 0;
}

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
	struct seen s = { 0, 1 };
	const char *p;

	for (p = text; *p; p++)
		if (*p == '\n')
			s.lines++;
	inifile_parse(text, handler, &s);
	free(text);
	return 0;
}
