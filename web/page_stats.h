/*
 * page_stats.h - the statistics pages: incidents for hr and vpt, signals
 * for the coordinator, computed with the session's statistiek keyring
 * (core/stats.h), never from content; as HTML with SVG bar charts and a
 * table beside each, as CSV per table, and as JSON.
 */
#ifndef MELDPUNT_PAGE_STATS_H
#define MELDPUNT_PAGE_STATS_H

#include "request.h"

int page_stats(struct request *req);
int page_stats_csv(struct request *req);
int page_stats_json(struct request *req);

#endif
