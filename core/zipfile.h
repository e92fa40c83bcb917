/*
 * zipfile.h - ZIP archives built and read in memory, optionally encrypted.
 *
 * A case leaves Meldpunt as one ZIP: the dossier export (a JSON document
 * and the case's files) and, later, the partner hand-off (the same, with a
 * PDF and a signed manifest). Both are built in memory and sent, never
 * written to the server's disk. A hand-off is encrypted with AES-256 as
 * WinZip defines it (libzip's ZIP_EM_AES_256), which 7-Zip, WinZip and
 * macOS's archive tools open, under a passphrase the handler passes on by
 * another channel.
 *
 * libzip copies and compresses in buffers of its own and frees them
 * without wiping; the buffers this module owns (the copies it is given,
 * the finished archive) are wiped when freed. SECURITY.md says so.
 *
 * Ownership: zipfile_new gives a struct zipfile to zipfile_free; the
 * bytes of zipfile_finish belong to the caller's struct buf (free it with
 * buf_wipe_release when it holds content).
 */
#ifndef MELDPUNT_ZIPFILE_H
#define MELDPUNT_ZIPFILE_H

#include <stddef.h>

#include "buf.h"

/* The longest entry name, and the most entries, one archive takes. */
#define ZIPFILE_NAME_MAX 200
#define ZIPFILE_ENTRIES_MAX 1000

struct zipfile;

/* A new, empty archive. 0, or -1 (logged). */
int zipfile_new(struct zipfile **out);

/*
 * Add an entry name with a copy of data (len bytes). The name must be a
 * relative path of printable ASCII without "..", a leading '/' or '\\'.
 * 0, or -1 (a bad or repeated name, too many entries; logged).
 */
int zipfile_add(struct zipfile *z, const char *name, const void *data,
                size_t len);

/*
 * The archive's comment (printable ASCII, at most ZIPFILE_COMMENT_MAX
 * bytes), written at its very end by zipfile_finish: the last len bytes
 * of the archive are text's. 0, or -1 (bad text, finished; logged).
 */
#define ZIPFILE_COMMENT_MAX 1024
int zipfile_comment(struct zipfile *z, const char *text, size_t len);

/*
 * Write the archive into out (appended), every entry encrypted with
 * AES-256 under password when it is not NULL. The archive cannot take
 * more entries afterwards. 0, or -1 (logged; out unchanged).
 */
int zipfile_finish(struct zipfile *z, const char *password, struct buf *out);

/* Free, wiping the copies of the entries. NULL is fine. */
void zipfile_free(struct zipfile *z);

/*
 * Read the archive zip (len bytes) with password (NULL: none) and call
 * fn for each entry, in order, with its name and bytes (valid during the
 * call). Stops at fn's first non-zero answer and returns it; 0 when all
 * were read; -1 when the archive cannot be opened or an entry cannot be
 * read (a wrong password, a damaged archive; logged).
 */
typedef int (*zipfile_entry_fn)(void *arg, const char *name,
                                const void *data, size_t len);
int zipfile_read(const void *zip, size_t len, const char *password,
                 zipfile_entry_fn fn, void *arg);

#endif
