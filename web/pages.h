/*
 * pages.h - handlers of the general pages (start page, health).
 */
#ifndef MELDPUNT_PAGES_H
#define MELDPUNT_PAGES_H

#include "request.h"

int page_home(struct request *req);
int page_health(struct request *req);

#endif
