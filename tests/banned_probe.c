/*
 * banned_probe.c - one call of a function compat/banned.h bans, chosen by
 * PROBE_<function>, for tests/banned.cmake: compiled with the project's
 * flags it must fail with sorry_<function>_is_a_banned_function. With
 * PROBE_none it calls nothing banned and must compile, so the failures
 * are the ban's and not a broken probe's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long banned_probe(char *out, const char *s, va_list ap);

long
banned_probe(char *out, const char *s, va_list ap)
{
	time_t t = 0;
	long n = 0;

	(void)ap;
	(void)t;
#if defined(PROBE_none)
	n = snprintf(out, 8, "%s", s);
#elif defined(PROBE_sprintf)
	n = sprintf(out, "%s", s);
#elif defined(PROBE_vsprintf)
	n = vsprintf(out, s, ap);
#elif defined(PROBE_strcpy)
	strcpy(out, s);
#elif defined(PROBE_strcat)
	strcat(out, s);
#elif defined(PROBE_stpcpy)
	stpcpy(out, s);
#elif defined(PROBE_strncpy)
	strncpy(out, s, 8);
#elif defined(PROBE_strncat)
	strncat(out, s, 8);
#elif defined(PROBE_gets)
	n = gets(out) != NULL;
#elif defined(PROBE_atoi)
	n = atoi(s);
#elif defined(PROBE_atol)
	n = atol(s);
#elif defined(PROBE_atoll)
	n = (long)atoll(s);
#elif defined(PROBE_atof)
	n = (long)atof(s);
#elif defined(PROBE_strtok)
	n = strtok(out, s) != NULL;
#elif defined(PROBE_gmtime)
	n = gmtime(&t) != NULL;
#elif defined(PROBE_localtime)
	n = localtime(&t) != NULL;
#elif defined(PROBE_ctime)
	n = ctime(&t) != NULL;
#elif defined(PROBE_asctime)
	n = asctime(NULL) != NULL;
#elif defined(PROBE_ctime_r)
	n = ctime_r(&t, out) != NULL;
#elif defined(PROBE_asctime_r)
	n = asctime_r(NULL, out) != NULL;
#elif defined(PROBE_mktemp)
	n = mktemp(out) != NULL;
#elif defined(PROBE_tmpnam)
	n = tmpnam(out) != NULL;
#elif defined(PROBE_tempnam)
	n = tempnam(s, s) != NULL;
#else
#error "no PROBE_<function> given"
#endif
	return n;
}
