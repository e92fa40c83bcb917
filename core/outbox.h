/*
 * outbox.h - e-mail notices to reporters: a persistent queue and its sender.
 *
 * A named reporter who gave an e-mail address is told by e-mail when a
 * handler writes to them. The notice says only that there is news and
 * where to read it ([server] public_url + "/status"), in Dutch and then
 * English: never the message, the report type or any other detail, so a
 * mailbox read by someone else gives nothing away (outbox_notice).
 *
 * The address is content. It is queued sealed (crypto/secretbox.h) under a
 * key derived from the installation secret and bound to its outbox row and
 * report, so a copy of the database alone reveals no address, while the
 * server can send without any staff login. When the notice is sent, or
 * given up, the sealed address is deleted; the row keeps only the trail
 * (report, created, attempts, sent_at, the last reply code), and the audit
 * log gets "mail-sent" or "mail-failed" on "report N" by "system".
 *
 * The queue is a table, so notices survive a restart. One sender thread
 * per server (outbox_sender_start, from server_start) sends due notices
 * through the [smtp] relay, wakes at once when a notice is queued, retries
 * a failed one after [smtp] retry seconds, doubling each time up to an
 * hour, and gives it up after [smtp] attempts tries, or at once when the
 * relay refuses the recipient for good (5xx). A crash between the relay's
 * 250 and the row's update sends the notice again at the next start: at
 * least once, never lost. Without [smtp] host, notices stay queued and the
 * log says once that e-mail is not configured.
 *
 * How a handler's message notifies a reporter: casework_message and
 * casework_step (casework.h) read the address from the report's content
 * (case_reporter_address) and queue the notice in the message's own
 * transaction (message_insert, message.h). outbox_enqueue does the same on
 * its own for other callers.
 *
 * Nothing here logs an address or any text of a notice: only "notice for
 * report N sent" or "... failed" with the relay's reply code.
 *
 * Ownership: outbox_sender_start gives a struct outbox_sender to
 * outbox_sender_stop. It borrows the installation and the configuration;
 * both must outlive it.
 */
#ifndef MELDPUNT_OUTBOX_H
#define MELDPUNT_OUTBOX_H

#include <stdint.h>

#include "buf.h"

struct config;
struct installation;
struct outbox_sender;
struct smtp_relay;

/* The wait between attempts never exceeds this, in seconds. */
#define OUTBOX_RETRY_MAX 3600
/* A sender with nothing due still looks at the queue this often. */
#define OUTBOX_IDLE_CHECK 60

/* 1 when address can receive a notice (smtp_address_valid). */
int outbox_address_valid(const char *address);

/*
 * Queue a notice for the reporter of report_id at address. Inside the
 * caller's transaction when there is one (db_join), so the notice is
 * queued with the message or not at all. Refuses (-1, nothing queued) an
 * invalid address: a CR, LF or second '@' never reaches the relay.
 */
int outbox_enqueue(struct installation *inst, int64_t report_id,
                   const char *address);

/*
 * The relay of c's [smtp] settings, for every mail Meldpunt sends (the
 * notices here, the handlers' reminders, reminder.h). The strings are
 * borrowed from c; no socket hook.
 */
void outbox_relay(const struct config *c, struct smtp_relay *out);

/* The notice: subject and body, for public_url (no '/' at the end). */
void outbox_notice(const char *public_url, struct buf *subject,
                   struct buf *body);

/*
 * Start the sender thread with c's [smtp] and [server] public_url
 * settings. 0 and *out, or -1.
 */
int outbox_sender_start(struct installation *inst, const struct config *c,
                        struct outbox_sender **out);
/*
 * Stop the thread. A send in progress is cut short (its socket is shut
 * down) and, like every other notice not yet sent, stays queued for the
 * next start. Bounded: only a host name lookup in progress can delay it,
 * by the resolver's own timeout. NULL is fine.
 */
void outbox_sender_stop(struct outbox_sender *s);

/* Make every sender look at the queue now (tests that move the clock). */
void outbox_wake(void);

/*
 * Send every notice due now, in this thread; the number sent, or -1.
 * Used by the sender thread, and by tests without one.
 */
int outbox_send_due(struct installation *inst, const struct config *c);

#endif
