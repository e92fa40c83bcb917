/*
 * site.c - what a server serves with, beside the transport (site.h):
 * loading the data the pages are made of, the in-memory tables every
 * request shares, and the services that run beside the requests, each
 * started and stopped in the order its neighbours need.
 */
#include <string.h>

#include "config.h"
#include "daycount.h"
#include "form.h"
#include "handoff.h"
#include "hashgate.h"
#include "held.h"
#include "i18n.h"
#include "install.h"
#include "log.h"
#include "loginguard.h"
#include "norm.h"
#include "outbox.h"
#include "paperwork.h"
#include "ratelimit.h"
#include "reminder.h"
#include "retention.h"
#include "runner.h"
#include "session.h"
#include "site.h"
#include "users.h"
#include "workflow.h"

int
site_open(struct site *site, struct installation *inst,
          const struct limits *limits, const struct config *config)
{
	struct buf errs = BUF_INIT;

	memset(site, 0, sizeof(*site));
	/* Texts and forms are data: a broken file stops the start here. */
	if (i18n_load() < 0 || forms_load() < 0 || norm_catalogue_load() < 0 ||
	    paperwork_load() < 0 || handoff_load() < 0)
		return error("the pages cannot be served: fix the file named "
		             "above");
	if (workflows_load_installation(inst->dir, &site->workflows,
	                                &errs) < 0) {
		error("the workflows cannot be used:\n%s", errs.data);
		buf_release(&errs);
		return -1;
	}
	buf_release(&errs);
	site->env.sessions = sessions_new(limits->session_idle,
	                                  limits->session_absolute);
	site->env.receipt_rl = ratelimit_new(limits->receipt_attempts, 60);
	site->env.submit_rl = ratelimit_new(limits->submissions, 60);
	/* Logins: login_attempts per quarter of an hour. */
	site->env.login_rl = ratelimit_new(limits->login_attempts *
	                                   LIMIT_LOGIN_CLIENT_FACTOR,
	                                   LIMIT_LOGIN_WINDOW);
	{
		struct loginguard_params guard = {
			.attempts = limits->login_attempts,
			.window = LIMIT_LOGIN_WINDOW,
			.delay = limits->login_delay,
			.delay_max = limits->login_delay_max,
		};

		site->env.login_guard = loginguard_new(&guard);
	}
	/* Every password hash of the process waits its turn here. */
	site->hashes = hashgate_new(limits->login_hashes,
	                            limits->login_hash_wait);
	users_set_hashgate(site->hashes);
	site->env.held = held_new(limits->handoff_held,
	                          limits->handoff_download_seconds);
	site->env.inst = inst;
	site->env.limits = limits;
	site->env.config = config;
	site->env.workflows = site->workflows;
	/* Receipts made ahead from idle CPU (receipt.h); without: each
	 * report makes its own, as the command line does. */
	inst->receipts = receipt_pool_start(inst->secret, LIMIT_RECEIPT_POOL);
	if (!inst->receipts)
		log_warn("no receipt pool: each report makes its receipt itself");
	return 0;
}

int
site_start_services(struct site *site)
{
	const struct config *config = site->env.config;

	if (config &&
	    outbox_sender_start(site->env.inst, config, &site->outbox) < 0)
		return -1;
	if (daycount_runner_start(site->env.inst, &site->daycounts) < 0)
		return -1;
	if (config && reminder_runner_start(site->env.inst, site->workflows,
	                                    config, &site->reminders) < 0)
		return -1;
	return retention_runner_start(site->env.inst, site->workflows, config
	                              ? config->retention_days
	                              : RETENTION_DEFAULT_DAYS, &site->purger);
}

void
site_close(struct site *site)
{
	/* After the daemon: a request in flight may still queue a notice. */
	outbox_sender_stop(site->outbox);
	/* Before the workflows they read. */
	reminder_runner_stop(site->reminders);
	/* Before the workflows it reads; ends after the report in hand. */
	retention_runner_stop(site->purger);
	runner_stop(site->daycounts);
	/* After the daemon: no submission takes a receipt any more. */
	if (site->env.inst) {
		receipt_pool_stop(site->env.inst->receipts);
		site->env.inst->receipts = NULL;
	}
	if (site->hashes) {
		users_set_hashgate(NULL);
		/* The figure behind the README's memory ceiling for hashing. */
		log_info("password hashes: at most %u at once, %lu answered busy",
		         hashgate_peak(site->hashes),
		         hashgate_refused(site->hashes));
		hashgate_free(site->hashes);
	}
	sessions_free(site->env.sessions);
	held_free(site->env.held);
	site->env.held = NULL;
	ratelimit_free(site->env.receipt_rl);
	ratelimit_free(site->env.submit_rl);
	ratelimit_free(site->env.login_rl);
	loginguard_free(site->env.login_guard);
	workflows_free(site->workflows);
	memset(site, 0, sizeof(*site));
}
