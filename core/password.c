/*
 * password.c - the embedded list of common passwords (see password.h).
 *
 * The file is sorted bytewise and already in lower case, so an index of
 * its lines is enough: binary search with strcmp, no copy of the list.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "password.h"
#include "schema.h"

#define PASSWORD_LIST "passwords/common.txt"
#define PASSWORD_CHECK_MAX 256	/* longer than any entry: not on the list */

static char *text;		/* a copy of the file, lines NUL-terminated */
static const char **lines;
static size_t nlines;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
load(void)
{
	const struct schema_file *f = schema_find(PASSWORD_LIST);
	size_t i, cap = 0;
	char *p;

	if (!f)
		die("%s is not embedded", PASSWORD_LIST);
	text = strdup(f->text);
	if (!text)
		die("out of memory");
	for (p = text; *p; p = strchr(p, '\0') + 1) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		if (*p) {
			if (nlines == cap)
				lines = buf_grow_array(lines, &cap, sizeof(*lines),
				                       16384);
			lines[nlines++] = p;
		}
		if (!nl)
			break;
	}
	for (i = 1; i < nlines; i++)
		if (strcmp(lines[i - 1], lines[i]) >= 0)
			die("%s is not sorted at line %zu", PASSWORD_LIST, i + 1);
}

int
password_common(const char *password)
{
	char lower[PASSWORD_CHECK_MAX + 1];
	size_t len = strlen(password), i, lo = 0, hi;

	if (len > PASSWORD_CHECK_MAX)
		return 0;
	pthread_once(&once, load);
	for (i = 0; i < len; i++) {
		char ch = password[i];

		lower[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	lower[len] = '\0';
	hi = nlines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lower, lines[mid]);

		if (c == 0)
			break;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* The copy held a password: wipe it. */
	crypto_wipe(lower, sizeof(lower));
	return lo < hi;
}

size_t
password_common_count(void)
{
	pthread_once(&once, load);
	return nlines;
}
