/*
 * site.h - what a server serves with, beside the transport.
 *
 * The texts, forms and norm catalogue loaded and checked, the workflows of
 * the installation, the staff sessions, the rate limits and the receipt
 * pool (site_open); the e-mail outbox sender, the retention runner and
 * the reporters' day counts that work beside the requests (site_start_services). Its web_env is what
 * every request borrows (request.h). web/server.c opens a site before it
 * listens and closes it after the last request.
 */
#ifndef MELDPUNT_SITE_H
#define MELDPUNT_SITE_H

#include "request.h"

struct config;
struct hashgate;
struct installation;
struct limits;
struct outbox_sender;
struct retention_runner;
struct runner;
struct workflows;

struct site {
	struct web_env env;
	/* The workflows of both report types, loaded at open. */
	struct workflows *workflows;
	/* Sends the e-mail notices to reporters (outbox.h), or NULL. */
	struct outbox_sender *outbox;
	/* Destroys expired reports at start and daily (retention.h). */
	struct retention_runner *purger;
	/* At most login_hashes password hashes at once (hashgate.h). */
	struct hashgate *hashes;
	/* Audits the reporters' counts of each finished day (daycount.h). */
	struct runner *daycounts;
	/* Sends the handlers' daily deadline reminders (reminder.h), or NULL. */
	struct reminder_runner *reminders;
};

/*
 * Load and make all of the above but the services, for inst with limits
 * and config (may be NULL); both borrowed for the site's life. 0, or -1
 * (the reason logged) with nothing left to close.
 */
int site_open(struct site *site, struct installation *inst,
              const struct limits *limits, const struct config *config);
/* Start the outbox sender (with a configuration), the retention runner,
 * the day counts' roller and the reminders (with a configuration). 0, or -1 (logged); close the site either
 * way. */
int site_start_services(struct site *site);
/* Stop the services and free the rest; after the last request. */
void site_close(struct site *site);

#endif
