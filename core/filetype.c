/*
 * filetype.c - recognise an upload by its content (see filetype.h).
 *
 * Every check reads only the bytes it has: a file shorter than a
 * signature is not of that kind. The ISO media brands and the e-mail
 * header names are the ones the formats' specifications and the common
 * phones and mail programs use.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "filetype.h"
#include "form.h"

static const struct {
	unsigned kind;
	const char *name;
} names[] = {
	{ FILETYPE_PDF, "pdf" }, { FILETYPE_JPEG, "jpeg" },
	{ FILETYPE_PNG, "png" }, { FILETYPE_HEIC, "heic" },
	{ FILETYPE_TEXT, "text" }, { FILETYPE_OFFICE, "office" },
	{ FILETYPE_EMAIL, "email" }, { FILETYPE_AUDIO, "audio" },
	{ FILETYPE_VIDEO, "video" },
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* 1 when data starts with the n bytes of sig at offset off. */
static int
has(const uint8_t *data, size_t len, size_t off, const void *sig, size_t n)
{
	return len >= off + n && memcmp(data + off, sig, n) == 0;
}

#define HAS(off, lit) has(data, len, (off), (lit), sizeof(lit) - 1)

/* 1 when the n bytes needle occur anywhere in data. */
static int
contains(const uint8_t *data, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n && i + n <= len; i++)
		if (data[i] == (uint8_t)needle[0] && memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The major brand of an ISO base media file (MP4, MOV, HEIC, 3GP). */
static unsigned
iso_media(const uint8_t *data, size_t len)
{
	static const char *const heic[] = { "heic", "heix", "hevc", "hevx",
	                                    "heim", "heis", "mif1", "msf1" };
	static const char *const audio[] = { "M4A ", "M4B ", "M4P " };
	size_t i;

	if (!HAS(4, "ftyp") || len < 12)
		return FILETYPE_UNKNOWN;
	for (i = 0; i < sizeof(heic) / sizeof(heic[0]); i++)
		if (has(data, len, 8, heic[i], 4))
			return FILETYPE_HEIC;
	for (i = 0; i < sizeof(audio) / sizeof(audio[0]); i++)
		if (has(data, len, 8, audio[i], 4))
			return FILETYPE_AUDIO;
	/* isom, mp41, mp42, avc1, qt, 3gp4/5/6, and the like. */
	return FILETYPE_VIDEO;
}

static unsigned
zip_office(const uint8_t *data, size_t len)
{
	if (!HAS(0, "PK\x03\x04") || !contains(data, len, "[Content_Types].xml"))
		return FILETYPE_UNKNOWN;
	if (contains(data, len, "word/") || contains(data, len, "xl/"))
		return FILETYPE_OFFICE;
	return FILETYPE_UNKNOWN;
}

/*
 * An e-mail message saved as a file (.eml): it opens with header lines,
 * the first of them one a mail program writes there.
 */
static unsigned
email(const uint8_t *data, size_t len)
{
	static const char *const first[] = {
		"Return-Path:", "Received:", "From:", "Date:", "Message-ID:",
		"MIME-Version:", "Delivered-To:", "X-", "Subject:", "To:",
		"Reply-To:", "DKIM-Signature:", "ARC-", "Authentication-Results:",
	};
	size_t i;

	for (i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		size_t n = strlen(first[i]);

		if (len > n && strncasecmp((const char *)data, first[i], n) == 0)
			return contains(data, len, "\nFrom:") ||
			       contains(data, len, "\nfrom:") ||
			       strncasecmp((const char *)data, "From:", 5) == 0
			       ? FILETYPE_EMAIL : FILETYPE_UNKNOWN;
	}
	return FILETYPE_UNKNOWN;
}

static unsigned
text(const uint8_t *data, size_t len)
{
	size_t i = 0;

	if (len == 0 || !utf8_valid_text((const char *)data, len))
		return FILETYPE_UNKNOWN;
	if (HAS(0, "\xef\xbb\xbf"))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	                   data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < len && data[i] == '<' ? FILETYPE_UNKNOWN : FILETYPE_TEXT;
}

unsigned
filetype_detect(const uint8_t *data, size_t len)
{
	unsigned k;

	if (HAS(0, "%PDF-"))
		return FILETYPE_PDF;
	if (HAS(0, "\xff\xd8\xff"))
		return FILETYPE_JPEG;
	if (HAS(0, "\x89PNG\r\n\x1a\n"))
		return FILETYPE_PNG;
	if ((k = iso_media(data, len)) != FILETYPE_UNKNOWN)
		return k;
	if ((k = zip_office(data, len)) != FILETYPE_UNKNOWN)
		return k;
	/* OLE compound file: Word, Excel (doc, xls) or Outlook (msg). */
	if (HAS(0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
		return FILETYPE_OFFICE | FILETYPE_EMAIL;
	if (HAS(0, "ID3") || (len >= 2 && data[0] == 0xff &&
	                      (data[1] & 0xe0) == 0xe0))
		return FILETYPE_AUDIO;	/* MP3, or AAC in ADTS: a frame sync */
	if (HAS(0, "RIFF") && HAS(8, "WAVE"))
		return FILETYPE_AUDIO;
	if (HAS(0, "RIFF") && HAS(8, "AVI "))
		return FILETYPE_VIDEO;
	if (HAS(0, "OggS") || HAS(0, "fLaC") || HAS(0, "#!AMR"))
		return FILETYPE_AUDIO;
	if (HAS(0, "\x1a\x45\xdf\xa3"))
		return FILETYPE_VIDEO;	/* WebM, Matroska */
	if ((k = email(data, len)) != FILETYPE_UNKNOWN)
		return k;
	return text(data, len);
}

int
filetype_parse_list(const char *list, unsigned *kinds, char *bad, size_t size)
{
	const char *p = list;
	unsigned out = 0;

	while (*p) {
		size_t n, i;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, " ,");
		if (!n)
			break;
		for (i = 0; i < NNAMES; i++)
			if (strlen(names[i].name) == n &&
			    strncmp(p, names[i].name, n) == 0)
				break;
		if (i == NNAMES) {
			if (size)
				snprintf(bad, size, "%.*s", (int)n, p);
			return -1;
		}
		out |= names[i].kind;
		p += n;
	}
	*kinds = out;
	return 0;
}

int
filetype_allowed(unsigned detected, unsigned allowed)
{
	return (detected & allowed) != 0;
}

const char *
filetype_name(unsigned kind)
{
	size_t i;

	for (i = 0; i < NNAMES; i++)
		if (names[i].kind == kind)
			return names[i].name;
	return "unknown";
}

void
filetype_safe_name(const char *name, struct buf *out)
{
	size_t start = out->len;
	const char *p;

	for (p = name; *p && out->len - start < FILETYPE_SAFE_NAME_MAX; p++) {
		char ch = *p;
		/* A dot only inside a name, never first, never twice. */
		int dot_ok = ch == '.' && out->len > start &&
		             out->data[out->len - 1] != '.';

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || dot_ok)
			buf_addch(out, ch);
		else
			buf_addch(out, '_');
	}
	if (out->len == start)
		buf_adds(out, "bestand");
}
