/*
 * server.h - the HTTP server (libmicrohttpd).
 *
 * server_start binds the listen address (127.0.0.1 unless told otherwise)
 * and serves requests from a pool of threads until server_stop, which lets
 * requests in flight finish. Every response carries the security headers
 * listed in SECURITY.md. libmicrohttpd's own error messages are logged with
 * any client address removed. One client (web/client.h) may hold only so
 * many connections and so much request body in memory, and a body must
 * keep a minimum pace ([limits], core/limits.h; SECURITY.md promise 14).
 *
 * With a certificate and key the server speaks only HTTPS, TLS 1.2 and 1.3,
 * and every response carries Strict-Transport-Security. server_stop stops
 * taking connections, gives those open up to shutdown_grace seconds to
 * finish, then closes the rest.
 *
 * Ownership: the server borrows the installation; close it only after
 * server_stop.
 */
#ifndef MELDPUNT_SERVER_H
#define MELDPUNT_SERVER_H

#include <stdint.h>

#include "limits.h"

struct config;
struct installation;
struct server;

struct server_config {
	const char *listen;		/* IPv4 or IPv6 address */
	uint16_t port;			/* 0: any free port */
	struct limits limits;
	const char *tls_certificate;	/* PEM file, or NULL/"" for HTTP */
	const char *tls_key;		/* PEM file, or NULL/"" for HTTP */
	unsigned shutdown_grace;	/* seconds; see server_stop */
	/* The whole configuration (organisation, theme, ...); may be NULL. */
	const struct config *config;
};

#define SERVER_LISTEN_DEFAULT "127.0.0.1"
#define SERVER_PORT_DEFAULT 8080

int server_start(struct server **out, struct installation *inst,
                 const struct server_config *cfg);
/* The port actually bound (useful with port 0). */
uint16_t server_port(const struct server *s);
/* 1 when the server speaks HTTPS. */
int server_tls(const struct server *s);
/*
 * Stop accepting, let open connections finish for up to shutdown_grace
 * seconds, then stop. NULL is fine.
 */
void server_stop(struct server *s);

/*
 * Copy a log message into out with every IPv4 or IPv6 address replaced by
 * "[address]". Exposed for tests.
 */
void server_redact(char *out, size_t outsize, const char *msg);

#endif
