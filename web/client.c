/*
 * client.c - the client key of an address, a connection, a request, and
 * X-Forwarded-For from trusted proxies (see client.h).
 */
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "buf.h"
#include "client.h"
#include "request.h"

/* An address as family and bytes, IPv4-mapped IPv6 as IPv4. */
struct addr {
	int family;
	unsigned char bytes[16];
};

static int
addr_of_sockaddr(const struct sockaddr *sa, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return -1;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		out->family = AF_INET;
		memcpy(out->bytes, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;
		const unsigned char *b = sin6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			out->family = AF_INET;
			memcpy(out->bytes, b + 12, 4);
		} else {
			out->family = AF_INET6;
			memcpy(out->bytes, b, 16);
		}
		return 0;
	}
	return -1;
}

/* Parse one address of len bytes at text. 0 or -1. */
static int
addr_parse(const char *text, size_t len, struct addr *out)
{
	char tmp[INET6_ADDRSTRLEN];
	struct in6_addr a6;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, text, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, &a6) != 1)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		out->family = AF_INET;
		memcpy(out->bytes, a6.s6_addr + 12, 4);
	} else {
		out->family = AF_INET6;
		memcpy(out->bytes, a6.s6_addr, 16);
	}
	return 0;
}

static void
key_of_addr(const struct addr *a, struct client_key *out)
{
	memset(out, 0, sizeof(*out));
	if (a->family == AF_INET) {
		memcpy(out->bytes, a->bytes, 4);
		out->len = 4;
	} else if (a->family == AF_INET6) {
		memcpy(out->bytes, a->bytes, 8);	/* the /64 */
		out->len = 8;
	}
}

static int
trusted(const struct client_proxies *p, const struct addr *a)
{
	size_t i;

	for (i = 0; p && i < p->n; i++)
		if (p->a[i].family == a->family &&
		    memcmp(p->a[i].addr, a->bytes, 16) == 0)
			return 1;
	return 0;
}

int
client_proxies_parse(struct client_proxies *p, const char *list)
{
	const char *s = list ? list : "";

	memset(p, 0, sizeof(*p));
	for (;;) {
		struct addr a;
		size_t len;

		s += strspn(s, " ,");
		if (!*s)
			return 0;
		len = strcspn(s, " ,");
		if (p->n == LIMIT_TRUSTED_PROXIES || addr_parse(s, len, &a) < 0)
			return -1;
		p->a[p->n].family = a.family;
		memcpy(p->a[p->n].addr, a.bytes, 16);
		p->n++;
		s += len;
	}
}

int
client_is_proxy(const struct client_proxies *p, const struct sockaddr *sa)
{
	struct addr a;

	return p && p->n && addr_of_sockaddr(sa, &a) == 0 && trusted(p, &a);
}

void
client_of_sockaddr(const struct sockaddr *sa, struct client_key *out)
{
	struct addr a;

	if (addr_of_sockaddr(sa, &a) < 0) {
		memset(out, 0, sizeof(*out));
		return;
	}
	key_of_addr(&a, out);
}

/* Every X-Forwarded-For header, in order, joined by commas. */
static enum MHD_Result
collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                  const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (key && value && strcasecmp(key, "X-Forwarded-For") == 0) {
		if (b->len)
			buf_addch(b, ',');
		buf_adds(b, value);
	}
	return MHD_YES;
}

/*
 * The right-most address of X-Forwarded-For that is not a trusted proxy,
 * into *out; -1 when there is none, or when that entry is no address
 * (then the peer counts, as without the header).
 */
static int
forwarded_client(struct MHD_Connection *conn, const struct client_proxies *p,
                 struct addr *out)
{
	struct buf b = BUF_INIT;
	size_t end;
	int ret = -1;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_forwarded, &b);
	end = b.len;
	while (end > 0) {
		size_t start = end, first, last;

		while (start > 0 && b.data[start - 1] != ',')
			start--;
		first = start;
		last = end;
		while (first < last && (b.data[first] == ' ' ||
		                        b.data[first] == '\t'))
			first++;
		while (last > first && (b.data[last - 1] == ' ' ||
		                        b.data[last - 1] == '\t'))
			last--;
		end = start ? start - 1 : 0;
		if (first == last)
			continue;	/* an empty entry */
		if (addr_parse(b.data + first, last - first, out) < 0)
			break;
		if (!trusted(p, out)) {
			ret = 0;
			break;
		}
	}
	buf_release(&b);
	return ret;
}

void
client_of_connection(struct MHD_Connection *conn,
                     const struct client_proxies *p, struct client_key *out)
{
	const union MHD_ConnectionInfo *ci;
	struct addr peer, fwd;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (addr_of_sockaddr(ci ? ci->client_addr : NULL, &peer) < 0) {
		memset(out, 0, sizeof(*out));
		return;
	}
	if (p && p->n && trusted(p, &peer) &&
	    forwarded_client(conn, p, &fwd) == 0) {
		key_of_addr(&fwd, out);
		return;
	}
	key_of_addr(&peer, out);
}

void
web_client(const struct request *req, struct client_key *out)
{
	client_of_connection(req->conn, req->env->proxies, out);
}
