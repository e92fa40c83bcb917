/*
 * zipfile.c - ZIP archives in memory with libzip (see zipfile.h).
 *
 * libzip writes an archive into a zip_source; a buffer source made with
 * zip_source_buffer_create keeps the result in memory, and zip_source_keep
 * lets it outlive zip_close so its bytes can be read out. Entries are
 * added from copies this module owns, because libzip reads them only at
 * zip_close.
 */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "crypto.h"
#include "log.h"
#include "zipfile.h"

struct entry {
	char *name;
	void *data;
	size_t len;
};

struct zipfile {
	struct entry *entries;
	size_t n, cap;
	int finished;
	char comment[ZIPFILE_COMMENT_MAX + 1];
	size_t comment_len;
};

int
zipfile_new(struct zipfile **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		die("out of memory");
	return 0;
}

static int
name_ok(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0 || len > ZIPFILE_NAME_MAX || name[0] == '/' ||
	    name[len - 1] == '/' || strstr(name, ".."))
		return 0;
	for (i = 0; i < len; i++)
		if (name[i] < 0x20 || name[i] > 0x7e || name[i] == '\\' ||
		    name[i] == ':')
			return 0;
	return 1;
}

int
zipfile_add(struct zipfile *z, const char *name, const void *data,
            size_t len)
{
	struct entry *e;
	size_t i;

	if (z->finished)
		return error("zip: %s added after the archive was finished", name);
	if (!name_ok(name))
		return error("zip: bad entry name");
	if (z->n == ZIPFILE_ENTRIES_MAX)
		return error("zip: more than %d entries", ZIPFILE_ENTRIES_MAX);
	for (i = 0; i < z->n; i++)
		if (strcmp(z->entries[i].name, name) == 0)
			return error("zip: entry %s given twice", name);
	if (z->n == z->cap)
		z->entries = buf_grow_array(z->entries, &z->cap,
		                            sizeof(*z->entries), 8);
	e = &z->entries[z->n];
	e->name = strdup(name);
	e->data = malloc(len ? len : 1);
	if (!e->name || !e->data)
		die("out of memory");
	memcpy(e->data, data, len);
	e->len = len;
	z->n++;
	return 0;
}

/* Read the whole of the finished archive out of src into out. */
static int
read_source(zip_source_t *src, struct buf *out)
{
	zip_stat_t st;
	size_t start = out->len;
	zip_int64_t got;

	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(src) < 0)
		return error("zip: cannot read the archive back");
	buf_grow(out, (size_t)st.size);
	got = zip_source_read(src, out->data + start, st.size);
	zip_source_close(src);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		crypto_wipe(out->data + start, (size_t)st.size);
		return error("zip: archive read back short");
	}
	out->len = start + (size_t)got;
	out->data[out->len] = '\0';
	return 0;
}

int
zipfile_comment(struct zipfile *z, const char *text, size_t len)
{
	size_t i;

	if (z->finished || len > ZIPFILE_COMMENT_MAX)
		return error("zip: a comment of %zu bytes cannot be set", len);
	for (i = 0; i < len; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			return error("zip: a comment is printable ASCII");
	memcpy(z->comment, text, len);
	z->comment[len] = '\0';
	z->comment_len = len;
	return 0;
}

int
zipfile_finish(struct zipfile *z, const char *password, struct buf *out)
{
	zip_source_t *src, *entry;
	zip_error_t zerr;
	zip_t *za = NULL;
	size_t i;
	int ret = -1;

	if (z->finished)
		return error("zip: the archive was finished already");
	z->finished = 1;
	if (password && !zip_encryption_method_supported(ZIP_EM_AES_256, 1))
		return error("zip: this libzip cannot encrypt with AES-256");
	zip_error_init(&zerr);
	src = zip_source_buffer_create(NULL, 0, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		return error("zip: cannot make a buffer");
	}
	za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
	if (!za) {
		error("zip: cannot start the archive: %s", zip_error_strerror(&zerr));
		zip_source_free(src);
		goto out;
	}
	/* Keep src alive after zip_close, which writes the archive into it. */
	zip_source_keep(src);
	for (i = 0; i < z->n; i++) {
		zip_int64_t idx;

		entry = zip_source_buffer(za, z->entries[i].data, z->entries[i].len,
		                          0);
		if (!entry) {
			error("zip: cannot add %s", z->entries[i].name);
			goto abandon;
		}
		idx = zip_file_add(za, z->entries[i].name, entry, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(entry);
			error("zip: cannot add %s: %s", z->entries[i].name,
			      zip_strerror(za));
			goto abandon;
		}
		if (password &&
		    zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256,
		                            password) < 0) {
			error("zip: cannot encrypt %s: %s", z->entries[i].name,
			      zip_strerror(za));
			goto abandon;
		}
	}
	if (z->comment_len &&
	    zip_set_archive_comment(za, z->comment,
	                            (zip_uint16_t)z->comment_len) < 0) {
		error("zip: cannot set the comment: %s", zip_strerror(za));
		goto abandon;
	}
	if (zip_close(za) < 0) {
		error("zip: cannot write the archive: %s", zip_strerror(za));
		goto abandon;
	}
	za = NULL;
	ret = read_source(src, out);
	zip_source_free(src);
	goto out;
abandon:
	zip_discard(za);
	zip_source_free(src);
out:
	zip_error_fini(&zerr);
	return ret;
}

void
zipfile_free(struct zipfile *z)
{
	size_t i;

	if (!z)
		return;
	for (i = 0; i < z->n; i++) {
		crypto_wipe(z->entries[i].data, z->entries[i].len);
		free(z->entries[i].data);
		free(z->entries[i].name);
	}
	free(z->entries);
	free(z);
}

int
zipfile_read(const void *zip, size_t len, const char *password,
             zipfile_entry_fn fn, void *arg)
{
	zip_source_t *src;
	zip_error_t zerr;
	zip_t *za;
	zip_int64_t n, i;
	struct buf data = BUF_INIT;
	int ret = 0;

	zip_error_init(&zerr);
	src = zip_source_buffer_create(zip, len, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		return error("zip: cannot read the archive");
	}
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!za) {
		error("zip: not a readable archive: %s", zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		return -1;
	}
	if (password)
		zip_set_default_password(za, password);
	n = zip_get_num_entries(za, 0);
	for (i = 0; i < n && ret == 0; i++) {
		zip_stat_t st;
		zip_file_t *f;
		zip_int64_t got;

		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0 ||
		    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_NAME)) {
			ret = error("zip: entry %lld unreadable", (long long)i);
			break;
		}
		f = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (!f) {
			ret = error("zip: cannot open %s: %s", st.name,
			            zip_strerror(za));
			break;
		}
		buf_reset(&data);
		buf_grow(&data, (size_t)st.size);
		got = zip_fread(f, data.data, st.size);
		zip_fclose(f);
		if (got < 0 || (zip_uint64_t)got != st.size) {
			ret = error("zip: cannot read %s (a wrong password?)", st.name);
			break;
		}
		data.len = (size_t)got;
		data.data[data.len] = '\0';
		ret = fn(arg, st.name, data.data, data.len);
	}
	buf_wipe_release(&data);
	zip_close(za);	/* read-only: writes nothing, frees src too */
	zip_error_fini(&zerr);
	return ret;
}
