/*
 * client.h - who a request comes from, as the limits count it.
 *
 * One client is one IPv4 address (also when it comes as an IPv4-mapped
 * IPv6 address), or one IPv6 /64: a single line or host usually holds a
 * whole /64, so counting IPv6 per address would let one machine count as
 * billions of clients. The key is used in memory only, by the rate limits
 * (request.h) and the connection and body budgets (core/admission.h);
 * nothing of it is logged or stored, and the limiters hash it.
 *
 * Behind a reverse proxy every connection comes from the proxy. Only from
 * a peer listed in [server] trusted_proxy is the client taken from
 * X-Forwarded-For: the right-most address in it that is not itself a
 * trusted proxy (the left part is whatever the client chose to send).
 * From any other peer the header is ignored, and without trusted_proxy
 * it is never read. This file is the only one that reads it
 * (tests/test_no_forwarded.sh).
 */
#ifndef MELDPUNT_CLIENT_H
#define MELDPUNT_CLIENT_H

#include <stddef.h>

#include "limits.h"

struct MHD_Connection;
struct request;
struct sockaddr;

struct client_key {
	unsigned char bytes[8];	/* IPv4: 4 bytes; IPv6: the first 8 */
	size_t len;		/* 4 or 8; 0 when the address is unknown */
};

/* The addresses of [server] trusted_proxy, as parsed. */
struct client_proxies {
	size_t n;
	struct {
		int family;		/* AF_INET or AF_INET6 */
		unsigned char addr[16];
	} a[LIMIT_TRUSTED_PROXIES];
};

/*
 * Parse a list of IPv4 and IPv6 addresses separated by spaces or commas
 * (config.h checked it). 0, or -1 for a bad address or too many.
 */
int client_proxies_parse(struct client_proxies *p, const char *list);

/* 1 when sa is one of the trusted proxies (p may be NULL: none). */
int client_is_proxy(const struct client_proxies *p, const struct sockaddr *sa);

/* The client of a socket address; len 0 for another family. */
void client_of_sockaddr(const struct sockaddr *sa, struct client_key *out);

/*
 * The client of a connection: its peer, or, when the peer is a trusted
 * proxy, the client X-Forwarded-For names (the peer when it names none).
 */
void client_of_connection(struct MHD_Connection *conn,
                          const struct client_proxies *p,
                          struct client_key *out);

/* The client of a request: what the rate limits and logins count. */
void web_client(const struct request *req, struct client_key *out);

#endif
