/*
 * pages.c - the start page and the health check.
 *
 * /health is for monitoring: it answers 200 with a small JSON document
 * when the database answers, 503 otherwise, and reveals nothing else.
 */
#include "db.h"
#include "html.h"
#include "install.h"
#include "migrate.h"
#include "pages.h"

int
page_health(struct request *req)
{
	int version = db_schema_version(req->inst->db);

	req->content_type = "application/json";
	if (version != migrate_known_version()) {
		req->status = 503;
		buf_adds(&req->out, "{\"status\":\"unavailable\"}\n");
		return 0;
	}
	buf_adds(&req->out, "{\"status\":\"ok\",\"version\":");
	json_string(&req->out, MELDPUNT_VERSION);
	buf_addf(&req->out, ",\"schema\":%d}\n", version);
	return 0;
}

int
page_home(struct request *req)
{
	req->content_type = "text/html; charset=utf-8";
	html_raw(&req->out,
		"<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>Meldpunt</title>\n</head>\n<body>\n<main>\n"
		"<h1>Meldpunt</h1>\n"
		"<p>Het meldpunt is in bedrijf.</p>\n"
		"</main>\n</body>\n</html>\n");
	return 0;
}
