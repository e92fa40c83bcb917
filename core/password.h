/*
 * password.h - is a new password one of the most common ones?
 *
 * schema/passwords/common.txt lists about 10,000 of the most common
 * passwords of at least 8 characters (its README says where they come
 * from). Guessing starts with those lists; a staff password that is on one
 * falls at the first try, whatever its length. The list is embedded, read
 * once and searched in lower case.
 */
#ifndef MELDPUNT_PASSWORD_H
#define MELDPUNT_PASSWORD_H

#include <stddef.h>

/* 1 when password, in any case, is on the list; else 0. */
int password_common(const char *password);

/* How many passwords the list holds (tests). */
size_t password_common_count(void);

#endif
