/*
 * stats_read.h - reading the statistics, as an action of a person
 * (core/action.h).
 *
 * Who sees which figures is decided here, for the statistics pages, their
 * CSV and JSON, the API that serves them and the norm report's indicators
 * alike: hr and vpt the incidents, the coordinator the signals, the
 * integrity coordinator the integrity reports (and for the norm report
 * the admin all three), each only with the statistiek keyring;
 * outside the vpt role the small cells hidden (stats_suppress). A read is
 * audited as "stats-read" with what was read; a refusal (no statistiek
 * key, or a role that sees no table) too, with result "refused", so the
 * row is the same whichever door the request came through.
 */
#ifndef MELDPUNT_STATS_READ_H
#define MELDPUNT_STATS_READ_H

#include "action.h"
#include "stats.h"

struct installation;
struct workflows;

/* What the figures are read for: the audit row names it. */
enum stats_use {
	STATS_USE_TABLES,	/* the statistics pages, CSV, JSON, API */
	STATS_USE_NORM,		/* the norm report's indicators of a year */
};

/* The tables actor's roles see for use (STATS_WANT_* bits), 0 for none. */
unsigned stats_wanted(const struct actor *a, enum stats_use use);

/* 1 when actor sees the small cells hidden (every role but vpt). */
int stats_suppressed(const struct actor *a);

/*
 * Compute the figures of period for actor into *r (release with
 * stats_result_release, only after VERDICT_DONE), the tables
 * stats_wanted gives, small cells hidden at threshold when
 * stats_suppressed. year names the norm report's year in the audit row
 * (STATS_USE_NORM). VERDICT_REFUSED (stats.no_keyring) without the
 * statistiek key or a table to see; VERDICT_FAILED.
 */
enum verdict stats_read_as(struct installation *inst,
                           const struct workflows *wfs, const struct actor *a,
                           enum stats_use use, int year,
                           const struct stats_period *period,
                           unsigned threshold, struct stats_result *r,
                           struct outcome *o);

#endif
