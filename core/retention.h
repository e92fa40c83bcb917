/*
 * retention.h - keeping reports no longer than the privacy law allows
 * (AVG art. 5(1)(e)), and no shorter than a legal hold demands.
 *
 * Every final state of a workflow names its retention period
 * (retention_days, workflow.h). A report that reached a final state is
 * expired once that many days have passed since the transition into it
 * (the last report_events row leading there; received_on for a report
 * that never moved); a state without a period falls back to the
 * configuration's [retention] default_days. Purging an expired report
 * destroys it in one transaction: the report row (content, sealed
 * statistical answers, locator) and everything that hangs off it
 * (attachments, messages, notes, workflow events, links, outbox rows,
 * meeting agenda items), with one audit row "report-purge" on "report N".
 * What the yearly figures need survives as a count in purged_counts per
 * type, month of receipt, final state and source. secure_delete
 * overwrites the deleted cells; after a run that purged anything the WAL
 * is checkpointed into the database file and truncated, the file is
 * vacuumed (no free page keeps old bytes), and checkpointed again.
 *
 * A legal hold (bewaarplicht, juridische blokkade) on a report stops its
 * purge until the hold is lifted. Setting and lifting it is audited with
 * the actor and a short reason; the reason outlives the report in the
 * audit log, so it must name no one (the pages say so).
 *
 * The server runs a purge when it starts and every RETENTION_INTERVAL
 * seconds after that, on a thread of its own (retention_runner_start);
 * `meldpunt purge [--dry-run]` runs one from the command line.
 *
 * Ownership: struct retention_plan from retention_plan is released with
 * retention_plan_release. retention_runner_start gives a runner to
 * retention_runner_stop; it borrows the installation and the workflows,
 * which must outlive it.
 */
#ifndef MELDPUNT_RETENTION_H
#define MELDPUNT_RETENTION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "report.h"

struct installation;
struct workflows;
struct retention_runner;

/* Longest reason for setting or lifting a legal hold, in bytes. */
#define RETENTION_REASON_MAX 200
/* The server purges at start and then this often (seconds): daily. */
#define RETENTION_INTERVAL (24 * 60 * 60)
/* A progress line after every this many purged reports. */
#define RETENTION_PROGRESS_EVERY 100
/* The built-in [retention] default_days, when no configuration is given. */
#define RETENTION_DEFAULT_DAYS 730

/* The legal hold of one report. */
struct retention_hold {
	int on;
	char reason[RETENTION_REASON_MAX + 1];	/* "" when off */
	char by[65];				/* who set it; "" when off */
	char since[CLOCK_TEXT_LEN + 1];		/* when; "" when off */
};

/*
 * 1 when reason may be stored: 1 to RETENTION_REASON_MAX bytes of valid
 * UTF-8 without control characters, not only spaces.
 */
int retention_reason_valid(const char *reason);

/*
 * Set (on) or lift (!on) the legal hold of report id as actor, with
 * reason; audited as "legal-hold-on" / "legal-hold-off" on
 * "report N: REASON". Setting a hold that is on replaces its reason.
 * 0; 1 when there is no such report or the reason is not valid (nothing
 * changed); -1 on error.
 */
int retention_hold_set(struct installation *inst, int64_t id, int on,
                       const char *actor, const char *reason);

/* The hold of report id. 0 and *out, 1 when there is no such report, -1. */
int retention_hold_get(struct installation *inst, int64_t id,
                       struct retention_hold *out);

/* One report in a final state whose retention has passed. */
struct retention_item {
	int64_t id;
	enum report_type type;
	char state[REPORT_STATE_MAX + 1];
	char since[CLOCK_TEXT_LEN + 1];		/* when it reached state */
	char received_on[16];
	char source[17];
	int days;				/* the retention that applied */
	int held;				/* on legal hold: kept */
};

/* The expired reports, oldest id first, held ones included (marked). */
struct retention_plan {
	struct retention_item *items;
	size_t n;
	size_t held;		/* how many of them are held */
};

/*
 * Which reports are expired at time now under the workflows (default_days
 * for a final state without a period). Changes nothing. 0 and *out, or -1.
 */
int retention_plan(struct installation *inst, const struct workflows *wfs,
                   unsigned default_days, time_t now,
                   struct retention_plan *out);
void retention_plan_release(struct retention_plan *p);

/* What a purge did. */
struct retention_result {
	size_t purged;		/* destroyed */
	size_t held;		/* expired but on legal hold: kept */
	size_t skipped;		/* changed meanwhile (a hold was set): kept */
	int compacted;		/* WAL checkpointed and the file vacuumed */
};

struct retention_options {
	const char *actor;	/* audit actor: "system" or the CLI user */
	/* Called every RETENTION_PROGRESS_EVERY reports; may be NULL. */
	void (*progress)(void *arg, size_t done, size_t total);
	/* Asked between reports; nonzero ends the run early. May be NULL. */
	int (*stopping)(void *arg);
	void *arg;
	/* Write the summary audit row even when nothing was expired. */
	int always_summary;
};

/*
 * Destroy every expired report that is not on legal hold, one transaction
 * each, then write the summary ("purge" on "purged N, held M, skipped K")
 * to the audit log and compact the database when anything was purged.
 * 0 and *res; -1 on error (reports purged before it stay purged, each
 * whole; res says how many).
 */
int retention_purge(struct installation *inst, const struct workflows *wfs,
                    unsigned default_days, time_t now,
                    const struct retention_options *opt,
                    struct retention_result *res);

/*
 * Start the server's purge thread: a purge now, then every
 * RETENTION_INTERVAL seconds, as "system". 0 and *out, or -1.
 */
int retention_runner_start(struct installation *inst,
                           const struct workflows *wfs, unsigned default_days,
                           struct retention_runner **out);

/*
 * Stop the thread and wait for it: a run in progress ends after the
 * report it is destroying (each is one short transaction) and skips the
 * vacuum, which the next run that purges does. NULL is fine.
 */
void retention_runner_stop(struct retention_runner *r);

#endif
