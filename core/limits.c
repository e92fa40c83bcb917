/*
 * limits.c - the default limits (see limits.h).
 */
#include "limits.h"

const struct limits limits_default = {
	.body_max = LIMIT_BODY_MAX_DEFAULT,
	.connection_memory = LIMIT_CONNECTION_MEMORY_DEFAULT,
	.connections = LIMIT_CONNECTIONS_DEFAULT,
	.connection_timeout = LIMIT_CONNECTION_TIMEOUT_DEFAULT,
	.threads = LIMIT_THREADS_DEFAULT,
};
