/*
 * limits.h - every limit of the program, named in one place.
 *
 * Each limit has a default here and a field in struct limits, which the
 * configuration may change; code reads the struct, never the default.
 * Each limit has a test at its edge.
 */
#ifndef MELDPUNT_LIMITS_H
#define MELDPUNT_LIMITS_H

#include <stddef.h>

/* Whole request body, attachments included. */
#define LIMIT_BODY_MAX_DEFAULT (25u * 1024 * 1024)
/* Memory for one connection's headers and buffers (libmicrohttpd). */
#define LIMIT_CONNECTION_MEMORY_DEFAULT (64u * 1024)
/* Simultaneous connections. */
#define LIMIT_CONNECTIONS_DEFAULT 256u
/* Seconds a connection may stay idle before it is closed (slow senders). */
#define LIMIT_CONNECTION_TIMEOUT_DEFAULT 30u
/* Threads serving requests. */
#define LIMIT_THREADS_DEFAULT 4u

struct limits {
	size_t body_max;
	size_t connection_memory;
	unsigned connections;
	unsigned connection_timeout;
	unsigned threads;
};

extern const struct limits limits_default;

#endif
