/*
 * reminder.c - the daily deadline reminder (see reminder.h).
 *
 * A run reads the handlers due a reminder (an address, not disabled,
 * not reminded today), counts the deadlines of the types each can
 * handle, and sends one mail each through the [smtp] relay, outside the
 * database lock; each mail sent is recorded (reminded_on, the audit row)
 * in one transaction. Counts are made once per set of types a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "events.h"
#include "install.h"
#include "keyrings.h"
#include "log.h"
#include "outbox.h"
#include "reminder.h"
#include "runner.h"
#include "smtp.h"
#include "users.h"
#include "workflow.h"
#include "zone.h"

/* The ids of the reports of type t. 0 and *out, *n; or -1. */
static int
report_ids(struct db *db, enum report_type t, int64_t **out, size_t *n)
{
	struct stmt *st = NULL;
	int64_t *v = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	db_lock(db);
	if (db_prepare(db, &st, "SELECT id FROM reports WHERE type = :type") < 0 ||
	    stmt_bind_text(st, ":type", report_type_name(t)) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 64);
		v[count++] = stmt_int(st, 0);
	}
	ret = rc < 0 ? -1 : 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

int
reminder_count(struct installation *inst, const struct workflows *wfs,
               unsigned mask, time_t now, unsigned days,
               struct reminder_counts *out)
{
	struct workflow_deadline_status *d = NULL;
	int64_t *ids = NULL;
	size_t i, j, k, n, nd, max;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < report_types_count(); i++) {
		enum report_type t = (enum report_type)i;

		if (!(mask & REMINDER_TYPE(t)))
			continue;
		max = workflow_deadline_count(workflows_get(wfs, t));
		if (!max)
			continue;
		if (report_ids(inst->db, t, &ids, &n) < 0)
			return -1;
		d = calloc(max, sizeof(*d));
		if (!d)
			die("out of memory");
		for (j = 0; j < n; j++) {
			if (events_deadlines(inst->db, wfs, ids[j], now, d, max,
			                     &nd) != 0)
				continue;	/* purged meanwhile */
			for (k = 0; k < nd; k++) {
				/* The one verdict (workflow.h). */
				switch (workflow_deadline_verdict(&d[k], now, days)) {
				case DEADLINE_DUE_SOON:
					out->due_soon++;
					break;
				case DEADLINE_OVERDUE:
					out->overdue++;
					break;
				default:
					break;
				}
			}
		}
		free(d);
		free(ids);
		d = NULL;
		ids = NULL;
	}
	return 0;
}

void
reminder_mail(const char *public_url, const struct reminder_counts *n,
              unsigned days, struct buf *subject, struct buf *body)
{
	/*
	 * Two numbers and a link: no content, no report number. The
	 * handler's language is not stored, so Dutch, then English.
	 */
	buf_adds(subject, "Termijnen in Meldpunt / Deadlines in Meldpunt");
	buf_addf(body,
	         "Goedendag,\n"
	         "\n"
	         "Bij de meldingen die u behandelt:\n"
	         "\n"
	         "    termijnen die binnen %u werkdagen verlopen: %zu\n"
	         "    termijnen die verstreken zijn: %zu\n"
	         "\n"
	         "Bekijk ze in Meldpunt:\n"
	         "\n"
	         "    %s%s\n"
	         "\n"
	         "Deze e-mail bevat bewust geen inhoud. U krijgt hem hooguit\n"
	         "eens per dag; uw e-mailadres wijzigt u op uw accountpagina.\n"
	         "\n"
	         "-- \n"
	         "\n"
	         "Hello,\n"
	         "\n"
	         "For the reports you handle:\n"
	         "\n"
	         "    deadlines due within %u working days: %zu\n"
	         "    deadlines past due: %zu\n"
	         "\n"
	         "See them in Meldpunt:\n"
	         "\n"
	         "    %s%s\n"
	         "\n"
	         "This e-mail deliberately contains no content. It comes at\n"
	         "most once a day; change your e-mail address on your account\n"
	         "page.\n",
	         days, n->due_soon, n->overdue, public_url, REMINDER_INBOX_PATH,
	         days, n->due_soon, n->overdue, public_url,
	         REMINDER_INBOX_PATH);
}

/* A handler due a reminder today. */
struct handler {
	int64_t id;
	char name[USERNAME_MAX + 1];
	char email[USERS_EMAIL_MAX + 1];
	unsigned mask;		/* REMINDER_TYPE bits */
};

/*
 * The types (REMINDER_TYPE bits) that role and keyring together let a
 * handler handle: each type's handling role and keyring (schema/forms/).
 */
static unsigned
types_of(const char *role, const char *keyring)
{
	unsigned mask = 0, r = role_parse(role);
	size_t i;

	for (i = 0; i < report_types_count(); i++)
		if (r && r == report_type_role((enum report_type)i) &&
		    strcmp(keyring, report_type_keyring((enum report_type)i)) == 0)
			mask |= REMINDER_TYPE((enum report_type)i);
	return mask;
}

/*
 * The handlers with an address, not disabled and not reminded on today,
 * who can handle a type: who hold a type's handling role and its keyring.
 * 0 and *out, *n; or -1.
 */
static int
due_handlers(struct db *db, const char *today, struct handler **out,
             size_t *n)
{
	struct stmt *st = NULL;
	struct handler *v = NULL;
	size_t count = 0, cap = 0;
	int rc, ret = -1;

	db_lock(db);
	/* Each role of each user with each keyring they hold, user by user. */
	if (db_prepare(db, &st, "SELECT u.id, u.username, u.email, r.role,"
	               " k.name FROM users u"
	               " JOIN user_roles r ON r.user_id = u.id"
	               " JOIN keyring_members m ON m.user_id = u.id"
	               " JOIN keyrings k ON k.id = m.keyring_id"
	               " WHERE u.email <> '' AND u.disabled = 0"
	               " AND u.reminded_on <> :today ORDER BY u.id") < 0 ||
	    stmt_bind_text(st, ":today", today) < 0)
		goto out;
	while ((rc = stmt_step(st)) == DB_ROW) {
		unsigned mask = types_of(stmt_text(st, 3), stmt_text(st, 4));

		if (!mask)
			continue;
		if (count > 0 && v[count - 1].id == stmt_int(st, 0)) {
			v[count - 1].mask |= mask;
			continue;
		}
		if (count == cap)
			v = buf_grow_array(v, &cap, sizeof(*v), 8);
		memset(&v[count], 0, sizeof(v[count]));
		v[count].id = stmt_int(st, 0);
		snprintf(v[count].name, sizeof(v[count].name), "%s",
		         stmt_text(st, 1));
		snprintf(v[count].email, sizeof(v[count].email), "%s",
		         stmt_text(st, 2));
		v[count].mask = mask;
		count++;
	}
	ret = rc < 0 ? -1 : 0;
out:
	stmt_finalize(st);
	db_unlock(db);
	if (ret < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

/* Record the reminder sent to h today, with its audit row. 0 or -1. */
static int
record_sent(struct db *db, const struct handler *h, const char *today)
{
	struct stmt *st = NULL;
	int ok;

	if (db_begin(db) < 0)
		return -1;
	ok = db_prepare(db, &st, "UPDATE users SET reminded_on = :today"
	                " WHERE id = :id") == 0 &&
	     stmt_bind_text(st, ":today", today) == 0 &&
	     stmt_bind_int(st, ":id", h->id) == 0 && stmt_run(st) == 0;
	stmt_finalize(st);
	if (ok)
		ok = audit_append(db, AUDIT_ACTOR_SYSTEM, "reminder-sent",
		                  h->name) == 0;
	if (!ok) {
		db_rollback(db);
		return error("cannot record the reminder to %s", h->name);
	}
	return db_commit(db);
}

/* 1 when c lets reminders go out at all. */
static int
reminders_on(const struct config *c)
{
	return c->reminders_send && c->smtp_host && c->smtp_host[0];
}

int
reminder_run(struct installation *inst, const struct workflows *wfs,
             const struct config *c, time_t now)
{
	/* The counts of each set of types, made once a run. */
	static const size_t sets = 1u << REPORT_TYPES_MAX;
	struct reminder_counts *counts = calloc(sets, sizeof(*counts));
	unsigned char *counted = calloc(sets, 1);
	struct handler *h = NULL;
	struct smtp_relay relay;
	struct tm local;
	char today[11];
	size_t n = 0, i;
	int sent = 0;

	if (!counts || !counted)
		die("out of memory");
	if (!reminders_on(c))
		goto done;
	zone_local(now, &local);
	if ((unsigned)local.tm_hour < c->reminder_hour)
		goto done;
	zone_day_text(now, today);
	if (due_handlers(inst->db, today, &h, &n) < 0) {
		sent = -1;
		goto done;
	}
	outbox_relay(c, &relay);
	for (i = 0; i < n; i++) {
		struct buf subject = BUF_INIT, body = BUF_INIT;
		struct smtp_result res = { 0, 0 };
		unsigned m = h[i].mask;	/* below 1 << REPORT_TYPES_MAX */

		if (!counted[m]) {
			if (reminder_count(inst, wfs, m, now, c->reminder_days,
			                   &counts[m]) < 0) {
				sent = -1;
				break;
			}
			counted[m] = 1;
		}
		/*
		 * Every handler hears daily, two zeros included, so a
		 * missing mail means a fault, not a quiet day; with
		 * [reminders] empty = no quiet days send nothing (and are
		 * looked at again next run).
		 */
		if (!c->reminders_empty && !counts[m].due_soon &&
		    !counts[m].overdue)
			continue;
		reminder_mail(c->public_url, &counts[m], c->reminder_days,
		              &subject, &body);
		{
			struct smtp_mail mail = { h[i].email, subject.data,
			                          body.data };

			if (smtp_send(&relay, &mail, &res) == 0) {
				if (record_sent(inst->db, &h[i], today) == 0) {
					log_info("reminder to %s sent", h[i].name);
					sent++;
				}
			} else {
				log_warn("reminder to %s not sent (reply %d); the "
				         "next run tries again", h[i].name,
				         res.code);
			}
		}
		buf_release(&subject);
		buf_release(&body);
	}
done:
	free(h);
	free(counts);
	free(counted);
	return sent;
}

struct reminder_runner {
	struct installation *inst;
	const struct workflows *wfs;
	const struct config *cfg;
	struct runner *runner;
};

/* One run (a runner_fn); the next at the next full hour, or sooner. */
static time_t
remind(struct runner *runner, void *arg)
{
	struct reminder_runner *r = arg;
	time_t now = clock_now(), next;

	(void)runner;
	if (reminder_run(r->inst, r->wfs, r->cfg, now) < 0)
		log_warn("the deadline reminders could not be read; the next "
		         "run tries again");
	next = REMINDER_RECHECK - now % REMINDER_RECHECK + 1;
	return next < REMINDER_RECHECK ? next : REMINDER_RECHECK;
}

int
reminder_runner_start(struct installation *inst, const struct workflows *wfs,
                      const struct config *c, struct reminder_runner **out)
{
	struct reminder_runner *r;

	*out = NULL;
	if (!c || !reminders_on(c)) {
		log_info("deadline reminders are off (%s)",
		         c && c->smtp_host && c->smtp_host[0]
		         ? "[reminders] send" : "no [smtp] host");
		return 0;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		die("out of memory");
	r->inst = inst;
	r->wfs = wfs;
	r->cfg = c;
	if (runner_start("reminder", remind, r, &r->runner) < 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
reminder_runner_stop(struct reminder_runner *r)
{
	if (!r)
		return;
	runner_stop(r->runner);
	free(r);
}
