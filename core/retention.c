/*
 * retention.c - legal holds, and destroying reports whose retention has
 * passed (see retention.h).
 *
 * The plan (which reports are expired) is read in one statement; each
 * report is then destroyed in a transaction of its own that first checks
 * again that it is still in the same final state and not on hold, so a
 * hold set between the plan and the purge (by a handler, or the CLI next
 * to the server) always wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "casenumber.h"
#include "db.h"
#include "form.h"
#include "install.h"
#include "log.h"
#include "retention.h"
#include "runner.h"
#include "workflow.h"

/* A busy checkpoint (a reader in another process) is tried this often. */
#define CHECKPOINT_TRIES 50
#define CHECKPOINT_WAIT_US 100000

int
retention_reason_valid(const char *reason)
{
	size_t len, i;
	int visible = 0;

	if (!reason)
		return 0;
	len = strlen(reason);
	if (len == 0 || len > RETENTION_REASON_MAX ||
	    !utf8_valid_text(reason, len))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)reason[i];

		/* One line: the reason is shown in lists and audit rows. */
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c != ' ')
			visible = 1;
	}
	return visible;
}

int
retention_hold_set(struct installation *inst, int64_t id, int on,
                   const char *actor, const char *reason)
{
	struct db *db = inst->db;
	struct stmt *st = NULL;
	struct buf object = BUF_INIT;
	char now[CLOCK_TEXT_LEN + 1], cn[CASE_NUMBER_LEN + 1];
	int ret = -1;

	if (!retention_reason_valid(reason))
		return 1;
	clock_format(clock_now(), now);
	if (db_begin(db) < 0)
		return -1;
	if (on) {
		if (db_prepare(db, &st, "UPDATE reports SET legal_hold = 1,"
		               " hold_reason = :reason, hold_by = :actor,"
		               " hold_since = :at WHERE id = :id") < 0 ||
		    stmt_bind_text(st, ":reason", reason) < 0 ||
		    stmt_bind_text(st, ":actor", actor) < 0 ||
		    stmt_bind_text(st, ":at", now) < 0)
			goto fail;
	} else {
		if (db_prepare(db, &st, "UPDATE reports SET legal_hold = 0,"
		               " hold_reason = NULL, hold_by = NULL,"
		               " hold_since = NULL WHERE id = :id") < 0)
			goto fail;
	}
	if (stmt_bind_int(st, ":id", id) < 0 || stmt_run(st) < 0)
		goto fail;
	stmt_finalize(st);
	st = NULL;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return 1;
	}
	if (!case_label(db, id, cn))
		goto fail;
	buf_addf(&object, "report %s: %s", cn, reason);
	if (audit_append(db, actor, on ? "legal-hold-on" : "legal-hold-off",
	                 object.data) < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto out;
	log_info("legal hold %s for report %lld by %s", on ? "set" : "lifted",
	         (long long)id, actor);
	ret = 0;
	goto out;
fail:
	stmt_finalize(st);
	db_rollback(db);
out:
	buf_release(&object);
	return ret;
}

int
retention_hold_get(struct installation *inst, int64_t id,
                   struct retention_hold *out)
{
	struct db *db = inst->db;
	struct stmt *st = NULL;
	int ret = -1, rc;

	memset(out, 0, sizeof(*out));
	db_lock(db);
	if (db_prepare(db, &st, "SELECT legal_hold, hold_reason, hold_by,"
	               " hold_since FROM reports WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", id) < 0)
		goto out;
	rc = stmt_step(st);
	if (rc < 0)
		goto out;
	if (rc == DB_DONE) {
		ret = 1;
		goto out;
	}
	out->on = stmt_int(st, 0) != 0;
	if (out->on) {
		snprintf(out->reason, sizeof(out->reason), "%s",
		         stmt_is_null(st, 1) ? "" : stmt_text(st, 1));
		snprintf(out->by, sizeof(out->by), "%s",
		         stmt_is_null(st, 2) ? "" : stmt_text(st, 2));
		snprintf(out->since, sizeof(out->since), "%s",
		         stmt_is_null(st, 3) ? "" : stmt_text(st, 3));
	}
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	return ret;
}

static void
plan_add(struct retention_plan *p, size_t *cap, const struct retention_item *it)
{
	if (p->n == *cap)
		p->items = buf_grow_array(p->items, cap, sizeof(*p->items), 16);
	p->items[p->n++] = *it;
	if (it->held)
		p->held++;
}

int
retention_plan(struct installation *inst, const struct workflows *wfs,
               unsigned default_days, time_t now, struct retention_plan *out)
{
	struct db *db = inst->db;
	struct stmt *st = NULL;
	size_t cap = 0;
	int ret = -1, rc;

	memset(out, 0, sizeof(*out));
	db_lock(db);
	/*
	 * When a report reached its state: the last step leading there.
	 * Final states have no way out, so that is the moment it was closed;
	 * a correction made since (it stays in the state) does not count.
	 */
	if (db_prepare(db, &st, "SELECT r.id, r.type, r.state, r.received_on,"
	               " r.source, r.legal_hold,"
	               " (SELECT max(e.at) FROM report_events e"
	               "  WHERE e.report_id = r.id AND e.to_state = r.state"
	               "  AND e.kind = 'step')"
	               " FROM reports r ORDER BY r.id") < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		const struct workflow_state *s;
		struct retention_item it;
		const char *since;
		time_t t;

		memset(&it, 0, sizeof(it));
		it.id = stmt_int(st, 0);
		if (report_type_parse(stmt_text(st, 1), &it.type) < 0)
			continue;
		snprintf(it.state, sizeof(it.state), "%s", stmt_text(st, 2));
		s = workflow_state_find(workflows_get(wfs, it.type), it.state);
		/* A state the workflow no longer knows is never purged. */
		if (!s || !s->final)
			continue;
		snprintf(it.received_on, sizeof(it.received_on), "%s",
		         stmt_text(st, 3));
		snprintf(it.source, sizeof(it.source), "%s", stmt_text(st, 4));
		it.held = stmt_int(st, 5) != 0;
		since = stmt_is_null(st, 6) ? it.received_on : stmt_text(st, 6);
		snprintf(it.since, sizeof(it.since), "%s", since);
		if (clock_parse(it.since, &t) < 0) {
			log_warn("report %lld: cannot read when it reached %s; "
			         "kept", (long long)it.id, it.state);
			continue;
		}
		it.days = s->retention_days > 0 ? s->retention_days
		                                 : (int)default_days;
		if (t + (time_t)it.days * 24 * 60 * 60 > now)
			continue;
		plan_add(out, &cap, &it);
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0)
		retention_plan_release(out);
	return ret;
}

void
retention_plan_release(struct retention_plan *p)
{
	if (!p)
		return;
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* Run one statement that takes :id only. */
static int
run_with_id(struct db *db, const char *sql, int64_t id)
{
	struct stmt *st = NULL;
	int ret = -1;

	if (db_prepare(db, &st, sql) < 0 || stmt_bind_int(st, ":id", id) < 0 ||
	    stmt_run(st) < 0)
		goto out;
	ret = 0;
out:
	stmt_finalize(st);
	return ret;
}

/*
 * Everything stored of a report, children first. reports' foreign keys
 * cascade too, so a table added later without a line here still goes;
 * naming the tables makes the purge not depend on that alone.
 */
static const char *const destroy_sql[] = {
	"DELETE FROM attachments WHERE report_id = :id",
	"DELETE FROM messages WHERE report_id = :id",
	"DELETE FROM notes WHERE report_id = :id",
	"DELETE FROM oral_records WHERE report_id = :id",
	"DELETE FROM report_events WHERE report_id = :id",
	"DELETE FROM report_links WHERE a = :id OR b = :id",
	"DELETE FROM outbox WHERE report_id = :id",
	"DELETE FROM case_reads WHERE report_id = :id",
	"DELETE FROM handoffs WHERE report_id = :id",
	/* meeting_access goes with its item (cascade). */
	"DELETE FROM meeting_items WHERE report_id = :id",
	"DELETE FROM reports WHERE id = :id",
};

/*
 * Destroy one report in one transaction, with its count and audit row.
 * 0 when destroyed; 1 when it changed since the plan (gone, moved, held);
 * -1 on error (nothing changed).
 */
static int
destroy_one(struct db *db, const struct retention_item *it, const char *actor)
{
	struct stmt *st = NULL;
	struct buf object = BUF_INIT;
	char month[8], cn[CASE_NUMBER_LEN + 1];
	size_t i;
	int rc, ret = -1;

	if (db_begin(db) < 0)
		return -1;
	/* Its number for the audit row, read before the row goes. */
	if (!case_label(db, it->id, cn))
		goto fail;
	if (db_prepare(db, &st, "SELECT state, legal_hold FROM reports"
	               " WHERE id = :id") < 0 ||
	    stmt_bind_int(st, ":id", it->id) < 0)
		goto fail;
	rc = stmt_step(st);
	if (rc < 0)
		goto fail;
	if (rc == DB_DONE || strcmp(stmt_text(st, 0), it->state) != 0 ||
	    stmt_int(st, 1) != 0) {
		stmt_finalize(st);
		db_rollback(db);
		return 1;
	}
	stmt_finalize(st);
	st = NULL;
	for (i = 0; i < sizeof(destroy_sql) / sizeof(destroy_sql[0]); i++)
		if (run_with_id(db, destroy_sql[i], it->id) < 0)
			goto fail;
	snprintf(month, sizeof(month), "%.7s", it->received_on);
	if (db_prepare(db, &st, "INSERT INTO purged_counts (type,"
	               " received_month, final_state, source, reports)"
	               " VALUES (:type, :month, :state, :source, 1)"
	               " ON CONFLICT (type, received_month, final_state, source)"
	               " DO UPDATE SET reports = reports + 1") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(it->type)) < 0 ||
	    stmt_bind_text(st, ":month", month) < 0 ||
	    stmt_bind_text(st, ":state", it->state) < 0 ||
	    stmt_bind_text(st, ":source", it->source) < 0 ||
	    stmt_run(st) < 0)
		goto fail;
	stmt_finalize(st);
	st = NULL;
	buf_addf(&object, "report %s", cn);
	if (audit_append(db, actor, "report-purge", object.data) < 0)
		goto fail;
	buf_release(&object);
	return db_commit(db) < 0 ? -1 : 0;
fail:
	stmt_finalize(st);
	db_rollback(db);
	buf_release(&object);
	error("report %lld could not be purged; it is kept whole",
	      (long long)it->id);
	return ret;
}

/*
 * Move the WAL into the database file and truncate it, so no frame holds
 * a page as it was before the purge. Another process reading (the CLI
 * next to the server) can hold it up for a moment: tried a few times.
 */
static int
checkpoint(struct db *db)
{
	struct stmt *st = NULL;
	int tries, busy = 1;

	for (tries = 0; tries < CHECKPOINT_TRIES && busy; tries++) {
		if (tries)
			usleep(CHECKPOINT_WAIT_US);
		db_lock(db);
		if (db_prepare(db, &st, "PRAGMA wal_checkpoint(TRUNCATE)") < 0 ||
		    stmt_step(st) != DB_ROW) {
			stmt_finalize(st);
			db_unlock(db);
			return -1;
		}
		busy = stmt_int(st, 0) != 0;
		stmt_finalize(st);
		st = NULL;
		db_unlock(db);
	}
	if (busy)
		return error("the WAL could not be checkpointed: another "
		             "process keeps reading; the next purge tries again");
	return 0;
}

/* Checkpoint, vacuum (no free page keeps old bytes), checkpoint. */
static int
compact(struct db *db)
{
	if (checkpoint(db) < 0 || db_exec(db, "VACUUM") < 0 ||
	    checkpoint(db) < 0)
		return error("the database was not compacted after the purge; "
		             "deleted content was overwritten (secure_delete)");
	return 0;
}

int
retention_purge(struct installation *inst, const struct workflows *wfs,
                unsigned default_days, time_t now,
                const struct retention_options *opt,
                struct retention_result *res)
{
	struct retention_plan plan;
	struct buf summary = BUF_INIT;
	size_t i, todo, done = 0;
	int stopped = 0, ret = -1, rc;

	memset(res, 0, sizeof(*res));
	if (retention_plan(inst, wfs, default_days, now, &plan) < 0)
		return -1;
	todo = plan.n - plan.held;
	for (i = 0; i < plan.n; i++) {
		const struct retention_item *it = &plan.items[i];

		if (it->held) {
			res->held++;
			continue;
		}
		if (opt->stopping && opt->stopping(opt->arg)) {
			stopped = 1;
			break;
		}
		rc = destroy_one(inst->db, it, opt->actor);
		if (rc < 0)
			goto summary;
		if (rc == 1)
			res->skipped++;
		else
			res->purged++;
		done++;
		if (opt->progress && done % RETENTION_PROGRESS_EVERY == 0)
			opt->progress(opt->arg, done, todo);
	}
	ret = 0;
summary:
	if (res->purged || res->held || res->skipped || ret < 0 ||
	    opt->always_summary) {
		buf_addf(&summary, "purged %zu, held %zu, skipped %zu%s",
		         res->purged, res->held, res->skipped,
		         stopped ? ", stopped early" : "");
		if (audit_append_result(inst->db, opt->actor, "purge",
		                        summary.data,
		                        ret < 0 ? AUDIT_FAILED : AUDIT_OK) < 0)
			ret = -1;
	}
	/* Stopping: leave the vacuum to the next run rather than delay it. */
	if (res->purged && !stopped) {
		if (compact(inst->db) < 0)
			ret = -1;
		else
			res->compacted = 1;
	}
	retention_plan_release(&plan);
	buf_release(&summary);
	return ret;
}

struct retention_runner {
	struct installation *inst;
	const struct workflows *wfs;
	unsigned default_days;
	struct runner *runner;
};

static int
purge_stopping(void *arg)
{
	return runner_stopping(arg);
}

static void
runner_progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	log_info("purge: %zu of %zu expired reports destroyed", done, total);
}

/* One purge (a runner_fn); the next in RETENTION_INTERVAL. */
static time_t
purge_run(struct runner *runner, void *arg)
{
	struct retention_runner *r = arg;
	struct retention_options opt = {
		.actor = AUDIT_ACTOR_SYSTEM,
		.progress = runner_progress,
		.stopping = purge_stopping,
		.arg = runner,
	};
	struct retention_result res;

	if (retention_purge(r->inst, r->wfs, r->default_days, clock_now(),
	                    &opt, &res) < 0)
		log_warn("purge: the run failed after %zu reports; the next "
		         "run tries again", res.purged);
	else if (res.purged || res.held || res.skipped)
		log_info("purge: %zu expired reports destroyed, %zu kept on "
		         "legal hold", res.purged, res.held);
	return RETENTION_INTERVAL;
}

int
retention_runner_start(struct installation *inst, const struct workflows *wfs,
                       unsigned default_days, struct retention_runner **out)
{
	struct retention_runner *r;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		die("out of memory");
	r->inst = inst;
	r->wfs = wfs;
	r->default_days = default_days;
	if (runner_start("purge", purge_run, r, &r->runner) < 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
retention_runner_stop(struct retention_runner *r)
{
	if (!r)
		return;
	runner_stop(r->runner);
	free(r);
}
