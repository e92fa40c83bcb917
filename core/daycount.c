/*
 * daycount.c - a reporter's actions as counts per day, and the audit row
 * of each finished day (see daycount.h).
 *
 * Counting is one upsert in the action's transaction; the row of
 * (day, action) is updated in place, so the table holds no order of
 * arrival either. Rolling reads the oldest finished day, appends its row,
 * deletes its counts, and goes on until no finished day is left: one
 * transaction, so a day is audited exactly once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "clock.h"
#include "daycount.h"
#include "db.h"
#include "install.h"
#include "log.h"
#include "runner.h"
#include "zone.h"

int
daycount_add(struct db *db, const char *action, int n)
{
	char day[CLOCK_DAY_LEN + 1];
	struct stmt *st = NULL;
	int own, ret = -1;

	if (n <= 0)
		return 0;
	zone_day_text(clock_now(), day);
	if (db_join(db, &own) < 0)
		return -1;
	if (db_prepare(db, &st, "INSERT INTO reporter_days (day, action, count)"
	               " VALUES (:day, :action, :n) ON CONFLICT (day, action)"
	               " DO UPDATE SET count = count + excluded.count") < 0 ||
	    stmt_bind_text(st, ":day", day) < 0 ||
	    stmt_bind_text(st, ":action", action) < 0 ||
	    stmt_bind_int(st, ":n", n) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return db_leave(db, own, ret == 0);
}

/*
 * The oldest day before today with counts, into day: 1, 0 when there is
 * none, -1.
 */
static int
oldest_day(struct db *db, const char *today, char day[CLOCK_DAY_LEN + 1])
{
	struct stmt *st = NULL;
	int rc, ret = -1;

	if (db_prepare(db, &st, "SELECT min(day) FROM reporter_days"
	               " WHERE day < :today") < 0 ||
	    stmt_bind_text(st, ":today", today) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc != DB_ROW)
		goto out;
	ret = 0;
	if (!stmt_is_null(st, 0)) {
		snprintf(day, CLOCK_DAY_LEN + 1, "%s", stmt_text(st, 0));
		ret = 1;
	}
out:
	stmt_finalize(st);
	return ret;
}

/* The audit row of day, and its counts deleted. */
static int
roll_day(struct db *db, const char *day)
{
	struct buf object = BUF_INIT;
	struct stmt *st = NULL;
	int rc, ret = -1;

	buf_addf(&object, "day=%s", day);
	if (db_prepare(db, &st, "SELECT action, count FROM reporter_days"
	               " WHERE day = :day ORDER BY action") < 0 ||
	    stmt_bind_text(st, ":day", day) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW)
		buf_addf(&object, " %s=%lld", stmt_text(st, 0),
		           (long long)stmt_int(st, 1));
	if (rc < 0)
		goto out;
	stmt_finalize(st);
	st = NULL;
	if (audit_append(db, AUDIT_ACTOR_REPORTER, DAYCOUNT_AUDIT_ACTION,
	                 object.data) < 0 ||
	    db_prepare(db, &st, "DELETE FROM reporter_days WHERE day = :day") < 0 ||
	    stmt_bind_text(st, ":day", day) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	buf_release(&object);
	return ret;
}

int
daycount_roll(struct db *db, time_t now)
{
	char today[CLOCK_DAY_LEN + 1], day[CLOCK_DAY_LEN + 1];
	int own, rc, ret = -1;

	zone_day_text(now, today);
	if (db_join(db, &own) < 0)
		return -1;
	while ((rc = oldest_day(db, today, day)) == 1)
		if (roll_day(db, day) < 0)
			goto out;
	if (rc == 0)
		ret = 0;
out:
	return db_leave(db, own, ret == 0);
}

/* Seconds until the next roll: after the next midnight, or the recheck. */
static time_t
until_next(time_t now)
{
	time_t next = zone_day_start(zone_day(now) + 1) +
	              DAYCOUNT_AFTER_MIDNIGHT - now;

	return next < DAYCOUNT_RECHECK ? next : DAYCOUNT_RECHECK;
}

/* One roll (a runner_fn). */
static time_t
roll_run(struct runner *runner, void *arg)
{
	struct installation *inst = arg;

	(void)runner;
	if (daycount_roll(inst->db, clock_now()) < 0)
		log_warn("the reporters' day counts could not be audited; the "
		         "next run tries again");
	return until_next(clock_now());
}

int
daycount_runner_start(struct installation *inst, struct runner **out)
{
	return runner_start("day count", roll_run, inst, out);
}
