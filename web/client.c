/*
 * client.c - the client key of an address, a connection, a request (see
 * client.h).
 */
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "client.h"
#include "request.h"

void
client_of_sockaddr(const struct sockaddr *sa, struct client_key *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		memcpy(out->bytes, &sin->sin_addr, 4);
		out->len = 4;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		const unsigned char *b = sin6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(out->bytes, b + 12, 4);
			out->len = 4;
		} else {
			memcpy(out->bytes, b, 8);	/* the /64 */
			out->len = 8;
		}
	}
}

void
client_of_connection(struct MHD_Connection *conn, struct client_key *out)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	client_of_sockaddr(ci ? ci->client_addr : NULL, out);
}

void
web_client(const struct request *req, struct client_key *out)
{
	client_of_connection(req->conn, out);
}
