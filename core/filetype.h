/*
 * filetype.h - what kind of file an upload is, by its content.
 *
 * A file's name and the type its sender declares say nothing: a Windows
 * program named rapport.pdf, or a web page that runs script when a handler
 * opens it, are what an attacker sends to the people who read reports.
 * Uploads are therefore recognised by their first bytes (magic numbers and
 * container signatures) and accepted only when their kind is on the
 * organisation's list ([limits] upload_types).
 *
 * Kinds (the words of that list):
 *   pdf     %PDF-
 *   jpeg    FF D8 FF
 *   png     the PNG signature
 *   heic    an ISO media file whose brand is HEIC/HEIF (iPhone photos)
 *   text    UTF-8 text without NUL or control characters other than tab,
 *           CR and LF (utf8_valid_text, form.h), not starting with '<'
 *           (HTML, SVG and XML can carry script: they are not text here)
 *   office  Word and Excel: a ZIP holding [Content_Types].xml and word/ or
 *           xl/ (docx, xlsx), or an OLE compound file (doc, xls)
 *   email   an e-mail message: RFC 5322 header lines (eml), or Outlook's
 *           msg (an OLE compound file, as office)
 *   audio   MP3, M4A/AAC, WAV, OGG, FLAC, AMR
 *   video   MP4, MOV, 3GP, WebM/Matroska, AVI
 * Anything else is "unknown" (a program, an archive, a script, markup).
 */
#ifndef MELDPUNT_FILETYPE_H
#define MELDPUNT_FILETYPE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum filetype {
	FILETYPE_UNKNOWN = 0,
	FILETYPE_PDF = 1 << 0,
	FILETYPE_JPEG = 1 << 1,
	FILETYPE_PNG = 1 << 2,
	FILETYPE_HEIC = 1 << 3,
	FILETYPE_TEXT = 1 << 4,
	FILETYPE_OFFICE = 1 << 5,
	FILETYPE_EMAIL = 1 << 6,
	FILETYPE_AUDIO = 1 << 7,
	FILETYPE_VIDEO = 1 << 8,
};

#define FILETYPE_ALL 0x1ffu	/* every kind above */

/* The default list: every kind above. */
#define FILETYPE_DEFAULT_LIST "pdf jpeg png heic text office email audio video"

/*
 * The kinds data (len bytes: the whole file) may be, as a set of bits:
 * usually one, two for an OLE compound file (office | email), none
 * (FILETYPE_UNKNOWN) for anything else.
 */
unsigned filetype_detect(const uint8_t *data, size_t len);

/*
 * Parse a list of kind names separated by spaces or commas into bits.
 * 0 and *kinds, or -1 with the first unknown word in bad (size bytes).
 */
int filetype_parse_list(const char *list, unsigned *kinds, char *bad,
                        size_t size);

/* 1 when a file of detected kinds may be uploaded under allowed. */
int filetype_allowed(unsigned detected, unsigned allowed);

/* The name of one kind bit ("pdf"), or "unknown". */
const char *filetype_name(unsigned kind);

/*
 * A file's own name as it may leave in a download header or an archive:
 * only letters, digits, '-', '_' and single inner dots (never first,
 * never two in a row) are kept, anything else becomes '_', at most 100
 * characters, "bestand" for none; appended to out. No such name can break
 * out of a header or name a path.
 */
#define FILETYPE_SAFE_NAME_MAX 100
void filetype_safe_name(const char *name, struct buf *out);

#endif
