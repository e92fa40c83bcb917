/*
 * client.h - who a request comes from, as the limits count it.
 *
 * One client is one IPv4 address (also when it comes as an IPv4-mapped
 * IPv6 address), or one IPv6 /64: a single line or host usually holds a
 * whole /64, so counting IPv6 per address would let one machine count as
 * billions of clients. The key is used in memory only, by the rate limits
 * (request.h) and the connection and body budgets (core/admission.h);
 * nothing of it is logged or stored, and the limiters hash it.
 */
#ifndef MELDPUNT_CLIENT_H
#define MELDPUNT_CLIENT_H

#include <stddef.h>

struct MHD_Connection;
struct request;
struct sockaddr;

struct client_key {
	unsigned char bytes[8];	/* IPv4: 4 bytes; IPv6: the first 8 */
	size_t len;		/* 4 or 8; 0 when the address is unknown */
};

/* The client of a socket address; len 0 for another family. */
void client_of_sockaddr(const struct sockaddr *sa, struct client_key *out);

/* The client of a connection, from its peer address. */
void client_of_connection(struct MHD_Connection *conn,
                          struct client_key *out);

/* The client of a request: what the rate limits and logins count. */
void web_client(const struct request *req, struct client_key *out);

#endif
