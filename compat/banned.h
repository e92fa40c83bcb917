/*
 * banned.h - C library calls this project does not make, as compile
 * errors (after git's banned.h).
 *
 * CMake forces this header into every C file it compiles (-include, in
 * CMakeLists.txt), and bench/run does the same for the programs it
 * builds, so no file has to remember it and crypto/ still includes
 * nothing of ours in its source. A banned call expands to a bare name
 * that nothing declares, sorry_<function>_is_a_banned_function: an error
 * with any compiler flags, that says what happened. The ctest "banned"
 * (tests/banned.cmake) compiles a call of each and expects that error.
 *
 * The system headers that declare them come first: their include guards
 * keep a later #include from declaring the functions under the banned
 * names. The macros are function-like, so a word such as "strcpy" in a
 * comment, a string or a member name is left alone.
 *
 * Banned, and what to use instead:
 *   sprintf, vsprintf, strcpy, strcat, stpcpy   no bound: struct buf
 *       (core/buf.h) or snprintf;
 *   strncpy, strncat     a bound that leaves the string unterminated or
 *       is easy to get wrong: memcpy with a length, or struct buf;
 *   gets                 no bound at all: fgets;
 *   atoi, atol, atoll, atof   no error: "12abc" is 12, an overflow is
 *       undefined: strtol (core/num.h checks everything);
 *   strtok               keeps its place in a hidden global (threads);
 *   gmtime, localtime, ctime, asctime   a shared static result (threads):
 *       gmtime_r, localtime_r, strftime;
 *   ctime_r, asctime_r   write into a buffer of unstated size: strftime;
 *   mktemp, tmpnam, tempnam   a name another process can take first:
 *       mkstemp, mkdtemp.
 * strtok_r is allowed: it keeps its place in the caller's variable.
 */
#ifndef MELDPUNT_BANNED_H
#define MELDPUNT_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef stpcpy
#define stpcpy(x, y) BANNED(stpcpy)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef atof
#define atof(x) BANNED(atof)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef ctime_r
#define ctime_r(t, buf) BANNED(ctime_r)
#undef asctime_r
#define asctime_r(t, buf) BANNED(asctime_r)
#undef mktemp
#define mktemp(x) BANNED(mktemp)
#undef tmpnam
#define tmpnam(x) BANNED(tmpnam)
#undef tempnam
#define tempnam(x, y) BANNED(tempnam)

#endif
