/*
 * admission.h - what each client holds of the server right now.
 *
 * A client that opens hundreds of connections, or sends many large bodies
 * and holds them, can keep everyone else out. The admission counts, per
 * client key (an address as web/client.h makes it: IPv4 whole, IPv6 per
 * /64), the connections it has open and the bytes of request bodies the
 * server holds for it, and the body bytes of all clients together; it
 * refuses what would go over [limits] connections_per_client,
 * body_memory_per_client or body_memory. Like the rate limiter
 * (ratelimit.h) it keeps no address: a key is hashed with a key of this
 * run, and its entry is gone as soon as its client holds nothing.
 *
 * Ownership: admission_new gives an admission to admission_free; it may be
 * used from several threads. Every connect that succeeded needs its
 * disconnect, every take that succeeded its give.
 */
#ifndef MELDPUNT_ADMISSION_H
#define MELDPUNT_ADMISSION_H

#include <stddef.h>

struct admission;

/* At most conns connections and body_client bytes per client, body_all
 * bytes for all clients together. */
struct admission *admission_new(unsigned conns, size_t body_client,
                                size_t body_all);
void admission_free(struct admission *a);

/* 1 when key may open one more connection (nothing counted). */
int admission_may_connect(struct admission *a, const void *key, size_t len);
/*
 * Count a connection of key: 1, or 0 when key has conns open already
 * (then nothing is counted).
 */
int admission_connect(struct admission *a, const void *key, size_t len);
/* Count a connection that was admitted elsewhere (admission_may_connect),
 * whatever the count: the caller cannot refuse it any more. */
void admission_connect_anyway(struct admission *a, const void *key,
                              size_t len);
void admission_disconnect(struct admission *a, const void *key, size_t len);

/*
 * Hold n more body bytes for key: 1, or 0 when that would take key over
 * body_client or all clients over body_all (then nothing is held).
 */
int admission_take(struct admission *a, const void *key, size_t len,
                   size_t n);
void admission_give(struct admission *a, const void *key, size_t len,
                    size_t n);

/* Body bytes held for all clients together (for tests and the log). */
size_t admission_body_bytes(struct admission *a);

#endif
