/*
 * daycount.h - a reporter's actions, counted per day instead of audited
 * one by one.
 *
 * The moment a reporter files, comes back with the receipt, answers or
 * adds a file is what links a report to a person: the organisation's own
 * proxy or Wi-Fi logs show who reached the reporting point at that second.
 * So no reporter action leaves a time finer than its day: each is counted
 * in reporter_days (day, action) -> count, in the action's own
 * transaction, and the audit log gets one row per finished day with its
 * counts (actor "reporter", action "day-counts", object "day=2026-12-07
 * message-create=2 report-create=3 report-read=5"). That row is appended
 * by something that is no reporter action (the server at start and after
 * each midnight, and every command or server at its clean close), so its
 * own time tells nothing of any reporter; today's counts stay in the
 * table until the day is over. Staff actions are audited one by one, as
 * before (audit.h).
 *
 * Days are the organisation's local days (zone.h), as reports.received_on.
 */
#ifndef MELDPUNT_DAYCOUNT_H
#define MELDPUNT_DAYCOUNT_H

#include <time.h>

struct db;
struct installation;

/* What is counted: the names the audit log used for these actions. */
#define DAYCOUNT_FILED "report-create"		/* a report filed */
#define DAYCOUNT_READ "report-read"		/* came back with the receipt */
#define DAYCOUNT_ANSWERED "message-create"	/* an answer to the handler */
#define DAYCOUNT_FILE "file-create"		/* a file added with either */
#define DAYCOUNT_APPROVED "record-approve"	/* an oral record approved */
#define DAYCOUNT_CORRECTED "record-correct"	/* an oral record corrected */

/* The audit action of a day's row. */
#define DAYCOUNT_AUDIT_ACTION "day-counts"

/*
 * Count n actions of today (the local day of clock_now). Joins the
 * caller's transaction, or takes its own outside one. 0 or -1.
 */
int daycount_add(struct db *db, const char *action, int n);

/*
 * Append one audit row for every day before the local day of now that
 * still has counts, oldest first, and remove those counts: all in one
 * transaction. 0 (also when there is nothing to roll) or -1. Never call
 * it from a reporter's action: the row's time would be that action's.
 */
int daycount_roll(struct db *db, time_t now);

/*
 * The server's roller: a thread that rolls at start, then a little after
 * each local midnight (and at least every DAYCOUNT_RECHECK seconds, so a
 * clock that was set or summer time moves nothing by more than that).
 * runner_stop (runner.h) ends it. inst is borrowed.
 */
#define DAYCOUNT_RECHECK (60 * 60)
#define DAYCOUNT_AFTER_MIDNIGHT (5 * 60)

struct runner;
int daycount_runner_start(struct installation *inst, struct runner **out);

#endif
