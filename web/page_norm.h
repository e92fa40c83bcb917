/*
 * page_norm.h - the norm self-assessment (implementatieoverzicht, norm
 * 1.2): the year's assessment of every item of the norm beside the
 * baseline and the year before, the form for one item, and the annual
 * report for the council with its CSV and JSON.
 *
 * Who: the roles that prepare what the driehoek accounts for to the
 * council: admin, coordinator (theme 4), hr and vpt (theme 3), the
 * integrity coordinator (2.4); all read
 * and edit (routes.c, NORM_ROLES). Items that registrations can measure
 * show indicators computed from the statistics (core/stats.h) for that
 * year, only with the statistiek keyring in the session; outside the vpt
 * role with small numbers hidden, as on the statistics page.
 */
#ifndef MELDPUNT_PAGE_NORM_H
#define MELDPUNT_PAGE_NORM_H

#include "norm.h"
#include "request.h"

/* Who accounts for the norm (routes.c): NORM_ROLES of core/norm.h. */

/* ?jaar=YYYY (default: the latest year assessed, else this year). */
int page_norm(struct request *req);
/* ?jaar=YYYY&onderdeel=N.M: the form; POST the same as fields with
 * status, explanation, evidence, action_text_K, action_owner_K,
 * action_due_K (K = 1..). */
int page_norm_item(struct request *req);
int page_norm_save(struct request *req);
/* ?jaar=YYYY */
int page_norm_report(struct request *req);
/* ?jaar=YYYY&tabel=summary|items|figures */
int page_norm_csv(struct request *req);
int page_norm_json(struct request *req);

#endif
