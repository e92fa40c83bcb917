/*
 * inifile.c - inih over a string, counting lines (see inifile.h).
 */
#include <string.h>

#include <ini.h>

#include "inifile.h"

struct reader {
	const char *p;
	int line;
	int fresh;		/* the next byte starts a line */
	inifile_handler handler;
	void *user;
};

/* fgets() over the text; inih calls it once per line. */
static char *
read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	int n = 0;

	if (!*r->p || num < 2)
		return NULL;
	/* A line longer than inih's buffer continues in the next call. */
	if (r->fresh) {
		r->line++;
		r->fresh = 0;
	}
	while (*r->p && n < num - 1) {
		char c = *r->p++;

		str[n++] = c;
		if (c == '\n') {
			r->fresh = 1;
			break;
		}
	}
	str[n] = '\0';
	return str;
}

static int
call(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;

	/* inih has read the whole line: it is the one counted last. */
	return r->handler(r->user, section, name, value, r->line);
}

int
inifile_parse(const char *text, inifile_handler handler, void *user)
{
	struct reader r = { text, 0, 1, handler, user };

	return ini_parse_stream(read_line, &r, call, &r);
}
