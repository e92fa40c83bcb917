/*
 * reminder.h - the daily deadline reminder to handlers, and the "due
 * this week" summary of the inbox.
 *
 * Once a day, from [reminders] hour (the organisation's time), each
 * handler with an e-mail address (users.email, staff.h) gets one e-mail
 * with two numbers: the deadlines of the cases they can handle that are
 * due within [reminders] days working days, and those overdue, and a
 * link to the inbox. Nothing more: no content, no report number, no
 * type of report beyond what the numbers are about. A handler can
 * handle a type when they have its role and hold its keyring: the
 * coordinator with signalen the signals, the VPT coordinator with
 * agressie the incidents. The numbers are counted with
 * workflow_deadline_verdict (workflow.h), the one verdict of the case
 * page, the inbox and the statistics; the inbox opens with the same
 * numbers (reminder_count).
 *
 * No mail when both numbers are 0, when [reminders] send is off, or
 * without [smtp] host. users.reminded_on keeps the day a reminder went,
 * so a restart sends none twice; a relay that fails is tried again at
 * the next run (every hour), that day. Each sent mail is audited
 * "reminder-sent" on the account by "system"; the log names the
 * account, never the address.
 *
 * Ownership: reminder_runner_start gives a struct reminder_runner to
 * reminder_runner_stop; it borrows inst, wfs and c, which must outlive
 * it.
 */
#ifndef MELDPUNT_REMINDER_H
#define MELDPUNT_REMINDER_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "report.h"

struct config;
struct installation;
struct reminder_runner;
struct workflows;

/* The inbox a reminder links to (web/paths.h PATH_INBOX; a test checks). */
#define REMINDER_INBOX_PATH "/beheer/meldingen"
/* [reminders] days when there is no configuration (config.c: "5"). */
#define REMINDER_DAYS_DEFAULT 5u
/* The runner looks again this often, at most (seconds). */
#define REMINDER_RECHECK (60 * 60)

struct reminder_counts {
	size_t due_soon;	/* running, due within days working days */
	size_t overdue;		/* running, past due */
};

/* A type bit for reminder_count. */
#define REMINDER_TYPE(t) (1u << (t))

/*
 * The deadlines of every report of the types in mask (REMINDER_TYPE
 * bits) at now, due within days working days and overdue. 0 or -1.
 */
int reminder_count(struct installation *inst, const struct workflows *wfs,
                   unsigned mask, time_t now, unsigned days,
                   struct reminder_counts *out);

/* The mail: subject and body, for public_url (no '/' at the end). */
void reminder_mail(const char *public_url, const struct reminder_counts *n,
                   unsigned days, struct buf *subject, struct buf *body);

/*
 * Send the reminders due at now with c's [reminders] and [smtp]: the
 * number sent, or -1 on a storage error. Used by the runner and tests.
 */
int reminder_run(struct installation *inst, const struct workflows *wfs,
                 const struct config *c, time_t now);

/*
 * The server's thread: reminder_run at start and then every hour (none
 * is started, and the log says so once, when [reminders] send is off or
 * there is no [smtp] host: *out is then NULL). 0 or -1.
 */
int reminder_runner_start(struct installation *inst,
                          const struct workflows *wfs, const struct config *c,
                          struct reminder_runner **out);
/* Stop it, after the mail in hand. NULL is fine. */
void reminder_runner_stop(struct reminder_runner *r);

#endif
