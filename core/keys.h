/*
 * keys.h - what web/ may use of crypto/, through core/.
 *
 * The sizes of keys, hashes and tokens; struct secret (secret.h) and its
 * accessors; wiping memory and comparing in constant time; tokens made
 * and checked (token.h). web/ includes this header and never one of
 * crypto/ (tests/test_sources.sh): the layers are web -> core -> crypto,
 * and key bytes are handled in core/ and crypto/ only.
 */
#ifndef MELDPUNT_KEYS_H
#define MELDPUNT_KEYS_H

#include "crypto.h"
#include "secret.h"
#include "token.h"

#endif
