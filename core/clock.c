/*
 * clock.c - current time and its text form (see clock.h).
 */
#include <stdatomic.h>
#include <time.h>

#include "clock.h"

static _Atomic time_t fixed;

time_t
clock_now(void)
{
	time_t t = atomic_load(&fixed);

	return t ? t : time(NULL);
}

void
clock_set(time_t t)
{
	atomic_store(&fixed, t);
}

void
clock_format(time_t t, char out[CLOCK_TEXT_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_TEXT_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
clock_format_day(time_t t, char out[CLOCK_DAY_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_DAY_LEN + 1, "%Y-%m-%d", &tm);
}
