/*
 * static.h - the files served under /assets/: the NL Design System theme
 * and component CSS and our own stylesheet, embedded into the program at
 * build time by web/assets.cmake. Nothing is read from disk while serving.
 *
 * GET /assets/NAME serves an embedded file by exact name. A name is
 * [a-z0-9-]+ "." and one of css, svg, png, ico: no directories, no dots
 * elsewhere, no escapes, so no path can reach anything but the table.
 * These responses are the same for everyone and hold nothing private, so
 * they are the one kind the server lets browsers cache
 * (req->cache_max_age, STATIC_MAX_AGE).
 */
#ifndef MELDPUNT_STATIC_H
#define MELDPUNT_STATIC_H

#include <stddef.h>

#include "request.h"

struct static_file {
	const char *name;		/* e.g. "meldpunt.css" */
	const unsigned char *data;	/* size bytes, then a NUL */
	size_t size;
	const char *version;		/* start of the content's SHA-256, hex */
};

/* The generated table (assets_embedded.c), sorted by name, ending with a
 * NULL name. */
extern const struct static_file static_files[];

/* The URL prefix of the route, and the files a page links to. */
#define STATIC_PREFIX "/assets/"
/*
 * The design tokens. An organisation's theme replaces this file's content,
 * never its name (README.md, "Theme"), so pages always link
 * /assets/theme.css.
 */
#define STATIC_THEME_NAME "theme.css"
#define STATIC_COMPONENTS_NAME "components.css"
#define STATIC_STYLESHEET_NAME "meldpunt.css"
#define STATIC_ICON_NAME "favicon.svg"

/* Seconds a browser may keep an asset. */
#define STATIC_MAX_AGE 86400u

/*
 * The <link> elements every page's <head> carries: the theme, the
 * components, our stylesheet (in that order) and the icon. Each URL ends
 * in ?v=VERSION, so a browser's cached copy is dropped when the program
 * ships a new file.
 */
void static_head_links(struct buf *b);

/* 1 when name has the shape of an asset name (see above), else 0. */
int static_name_valid(const char *name);
/* The embedded file called name, or NULL. */
const struct static_file *static_find(const char *name);
/* The Content-Type for name's extension, or NULL for none we serve. */
const char *static_content_type(const char *name);

/* GET /assets/NAME (route flag ROUTE_PREFIX). */
int page_static(struct request *req);

#endif
