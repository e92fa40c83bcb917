/*
 * static.c - serving the embedded assets under /assets/ (see static.h).
 *
 * The name is checked against a strict shape before the table is even
 * looked at, and a name that is not in the table is a plain 404: there is
 * no file system behind this route.
 */
#include <string.h>

#include "html.h"
#include "static.h"

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{ "css", "text/css; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "ico", "image/x-icon" },
};

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static const char *
type_for_ext(const char *ext)
{
	size_t i;

	for (i = 0; i < sizeof(content_types) / sizeof(content_types[0]); i++)
		if (strcmp(ext, content_types[i].ext) == 0)
			return content_types[i].type;
	return NULL;
}

const char *
static_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? type_for_ext(dot + 1) : NULL;
}

int
static_name_valid(const char *name)
{
	const char *p = name;

	while (is_name_char((unsigned char)*p))
		p++;
	/* At least one name character, one dot, then exactly an extension
	 * we serve: nothing else can follow. */
	if (p == name || *p != '.')
		return 0;
	return type_for_ext(p + 1) != NULL;
}

const struct static_file *
static_find(const char *name)
{
	const struct static_file *f;

	if (!static_name_valid(name))
		return NULL;
	for (f = static_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
page_static(struct request *req)
{
	const struct static_file *f;
	size_t plen = strlen(STATIC_PREFIX);

	if (strncmp(req->path, STATIC_PREFIX, plen) != 0 ||
	    !(f = static_find(req->path + plen)))
		return web_fail_key(req, 404, "common.not_found");
	req->content_type = static_content_type(f->name);
	req->cache_max_age = STATIC_MAX_AGE;
	buf_add(&req->out, f->data, f->size);
	return 0;
}

static void
link(struct buf *b, const char *rel, const char *name, const char *type)
{
	const struct static_file *f = static_find(name);

	if (!f)
		return;
	html_raw(b, "<link rel=\"");
	html_attr(b, rel);
	html_raw(b, "\" href=\"" STATIC_PREFIX);
	html_attr(b, f->name);
	html_raw(b, "?v=");
	html_attr(b, f->version);
	if (type) {
		html_raw(b, "\" type=\"");
		html_attr(b, type);
	}
	html_raw(b, "\">\n");
}

void
static_head_links(struct buf *b)
{
	link(b, "stylesheet", STATIC_THEME_NAME, NULL);
	link(b, "stylesheet", STATIC_COMPONENTS_NAME, NULL);
	link(b, "stylesheet", STATIC_STYLESHEET_NAME, NULL);
	link(b, "icon", STATIC_ICON_NAME, "image/svg+xml");
}
