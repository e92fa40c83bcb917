/*
 * rowad.c - the associated data that binds an envelope to its row (see
 * rowad.h).
 */
#include <string.h>

#include "crypto.h"
#include "rowad.h"

void
rowad_new_id(uint8_t id[ROWAD_ID_LEN])
{
	crypto_random(id, ROWAD_ID_LEN);
}

void
rowad_make(struct buf *ad, const void *base, size_t baselen,
           const char *kind, const uint8_t id[ROWAD_ID_LEN],
           const char *author)
{
	buf_add(ad, base, baselen);
	buf_add(ad, kind, strlen(kind) + 1);
	buf_add(ad, id, ROWAD_ID_LEN);
	buf_add(ad, author, strlen(author) + 1);
}

int
rowad_open(struct buf *ad, const void *base, size_t baselen,
           const char *kind, const void *id, size_t idlen,
           const char *author)
{
	if (!id) {
		buf_add(ad, base, baselen);
		return 0;
	}
	if (idlen != ROWAD_ID_LEN)
		return -1;
	rowad_make(ad, base, baselen, kind, id, author);
	return 0;
}
