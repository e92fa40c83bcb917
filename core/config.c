/*
 * config.c - read and check the configuration file (see config.h).
 *
 * inih does the INI syntax. We hand it our own line reader, because
 * Debian's inih does not tell the handler the line number: the reader
 * counts lines, spots unknown sections (even empty ones), lines that are
 * neither a section nor "key = value", and lines too long for inih's
 * buffer (inih would silently split them). It also strips leading white
 * space, so an indented line is an ordinary line and never a continuation
 * of the previous value. Every problem is collected, not only the first,
 * so one run of `meldpunt config check` shows them all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "filetype.h"
#include "zone.h"

#define KIB 1024ull
#define MIB (1024ull * 1024)
#define GIB (1024ull * 1024 * 1024)
/*
 * Debian's inih reads a line into a 200-byte buffer, so a line holds at
 * most 198 characters; text limits stay below that, so each is reachable.
 */
#define PATH_LEN_MAX 160
#define ULLONG_MAX_ (~0ull)	/* <limits.h> is shadowed by core/limits.h */

#define FIELD(f) offsetof(struct config, f)
#define HANDOFF_PARTNERS_DEFAULT "riec RIEC Noord-Holland | politie Politie " \
	"| mma Meld Misdaad Anoniem | afdeling Een afdeling van de gemeente"
#define LIMIT(f) (offsetof(struct config, limits) + offsetof(struct limits, f))

static const struct config_key keys[] = {
	{ "server", "listen", CONFIG_ADDRESS, FIELD(listen), 2, 45, "127.0.0.1",
	  "address to listen on (IPv4 or IPv6; 0.0.0.0 or :: for all)" },
	{ "server", "port", CONFIG_PORT, FIELD(port), 0, 65535, "8080",
	  "TCP port (0: any free port)" },
	{ "server", "shutdown_grace", CONFIG_UINT, FIELD(shutdown_grace), 0, 600,
	  "10", "seconds requests in flight may take to finish at stop" },
	{ "server", "public_url", CONFIG_URL, FIELD(public_url), 0, 120, "",
	  "the address reporters use, e.g. https://meldpunt.gemeente.nl "
	  "(needed with [smtp] host)" },
	{ "server", "trusted_proxy", CONFIG_ADDRESSES, FIELD(trusted_proxy), 0,
	  160, "", "addresses of reverse proxies trusted to name the client "
	  "(in their forwarded-for header), for the limits only (spaces or commas between; empty: "
	  "none, the header is never read)" },
	{ "tls", "certificate", CONFIG_PATH, FIELD(tls_certificate), 0,
	  PATH_LEN_MAX, "", "PEM certificate (chain); with key: HTTPS only" },
	{ "tls", "key", CONFIG_PATH, FIELD(tls_key), 0, PATH_LEN_MAX, "",
	  "PEM private key of the certificate" },
	{ "limits", "body_max", CONFIG_SIZE, LIMIT(body_max), KIB, GIB, "25M",
	  "whole request body, attachments included (bytes; K, M, G)" },
	{ "limits", "connection_memory", CONFIG_SIZE, LIMIT(connection_memory),
	  16 * KIB, 16 * MIB, "32K", "memory for one connection's headers" },
	{ "limits", "connections", CONFIG_UINT, LIMIT(connections), 1, 1000,
	  "256", "simultaneous connections" },
	{ "limits", "connection_timeout", CONFIG_UINT, LIMIT(connection_timeout),
	  1, 3600, "30", "seconds an idle connection stays open" },
	{ "limits", "connections_per_client", CONFIG_UINT,
	  LIMIT(connections_per_client), 1, 1000, "32", "simultaneous "
	  "connections of one client (an IPv4 address, or an IPv6 /64)" },
	{ "limits", "header_timeout", CONFIG_UINT, LIMIT(header_timeout), 1,
	  3600, "10", "seconds a connection may be idle awaiting headers" },
	{ "limits", "body_rate_min", CONFIG_SIZE, LIMIT(body_rate_min), 1,
	  16 * MIB, "1K", "bytes a second a request body must arrive at, "
	  "at least (slower: the connection is closed)" },
	{ "limits", "body_rate_window", CONFIG_UINT, LIMIT(body_rate_window), 1,
	  3600, "10", "seconds over which body_rate_min is judged" },
	{ "limits", "body_memory_per_client", CONFIG_SIZE,
	  LIMIT(body_memory_per_client), KIB, 64 * GIB, "32M", "request bodies "
	  "one client may have in memory at once (at least body_max)" },
	{ "limits", "body_memory", CONFIG_SIZE, LIMIT(body_memory), KIB,
	  64 * GIB, "96M", "request bodies of all clients in memory at once "
	  "(at least body_memory_per_client; over it: 503)" },
	{ "limits", "threads", CONFIG_UINT, LIMIT(threads), 0, 64, "0",
	  "threads serving requests (0: one per open connection)" },
	{ "limits", "field_max", CONFIG_SIZE, LIMIT(field_max), 64, 16 * MIB,
	  "20K", "one text answer in a form or message (at most body_max)" },
	{ "limits", "fields_max", CONFIG_UINT, LIMIT(fields_max), 1, 10000, "100",
	  "fields in one form submission" },
	{ "limits", "upload_file_max", CONFIG_SIZE, LIMIT(upload_file_max), KIB,
	  GIB, "10M", "one uploaded file (at most upload_total_max)" },
	{ "limits", "upload_files_max", CONFIG_UINT, LIMIT(upload_files_max), 0,
	  100, "5", "files per report or message (0: no uploads)" },
	{ "limits", "upload_total_max", CONFIG_SIZE, LIMIT(upload_total_max), KIB,
	  GIB, "20M", "all files of one report or message (at most body_max)" },
	{ "limits", "upload_types", CONFIG_FILETYPES, LIMIT(upload_types), 0, 0,
	  FILETYPE_DEFAULT_LIST, "kinds of file an upload may be, recognised "
	  "by content: pdf, jpeg, png, heic, text, office, email, audio, video" },
	{ "limits", "receipt_attempts", CONFIG_UINT, LIMIT(receipt_attempts), 1,
	  1000, "10", "receipt look-ups per client per minute" },
	{ "limits", "submissions", CONFIG_UINT, LIMIT(submissions), 1, 1000, "10",
	  "submissions per client per minute" },
	{ "limits", "login_attempts", CONFIG_UINT, LIMIT(login_attempts), 1, 100,
	  "5", "failed logins per account per 15 minutes from addresses that "
	  "failed on it (a client: 4 times as many)" },
	{ "limits", "login_delay", CONFIG_UINT, LIMIT(login_delay), 0, 60, "1",
	  "seconds an account and address wait after a second failure, "
	  "doubled per further failure (0: no wait)" },
	{ "limits", "login_delay_max", CONFIG_UINT, LIMIT(login_delay_max), 1,
	  3600, "300", "the longest wait after failures (at least login_delay)" },
	{ "limits", "login_hashes", CONFIG_UINT, LIMIT(login_hashes), 1, 64, "2",
	  "password hashes at once (64 MiB each): the memory hashing may take" },
	{ "limits", "login_hash_wait", CONFIG_UINT, LIMIT(login_hash_wait), 0,
	  30000, "2000", "milliseconds a login waits for a hash's turn before "
	  "503" },
	{ "limits", "password_min", CONFIG_UINT, LIMIT(password_min), 8, 128,
	  "12", "shortest password staff may choose (characters)" },
	{ "limits", "key_upgrade_days", CONFIG_UINT, LIMIT(key_upgrade_days), 1,
	  3650, "90", "days an account may keep a key wrap of the old version "
	  "before it must be reset" },
	{ "limits", "session_idle", CONFIG_UINT, LIMIT(session_idle), 60, 86400,
	  "1800", "seconds a staff session may be idle" },
	{ "limits", "session_absolute", CONFIG_UINT, LIMIT(session_absolute), 300,
	  604800, "36000", "seconds a staff session lasts at most "
	  "(at least session_idle)" },
	{ "limits", "norm_text_max", CONFIG_UINT, LIMIT(norm_text_max), 100,
	  LIMIT_NORM_TEXT_MAX, "4000",
	  "bytes of a norm item's explanation or evidence" },
	{ "limits", "norm_action_max", CONFIG_UINT, LIMIT(norm_action_max), 20,
	  LIMIT_NORM_ACTION_MAX, "500", "bytes of one norm action point" },
	{ "limits", "norm_owner_max", CONFIG_UINT, LIMIT(norm_owner_max), 10,
	  LIMIT_NORM_OWNER_MAX, "120", "bytes of an action point's owner" },
	{ "limits", "norm_actions_max", CONFIG_UINT, LIMIT(norm_actions_max), 1,
	  LIMIT_NORM_ACTIONS_MAX, "10", "action points per norm item and year" },
	{ "limits", "search_max", CONFIG_UINT, LIMIT(search_max), 1,
	  LIMIT_SEARCH_MAX, "100", "bytes of a text searched in the inbox" },
	{ "limits", "handoff_cover_max", CONFIG_UINT, LIMIT(handoff_cover_max),
	  100, LIMIT_HANDOFF_COVER_MAX, "2000", "characters of a hand-off's "
	  "cover text" },
	{ "limits", "handoff_download_seconds", CONFIG_UINT,
	  LIMIT(handoff_download_seconds), 30, 3600, "300", "seconds a made "
	  "hand-off package waits in memory for its one download" },
	{ "limits", "handoff_held", CONFIG_UINT, LIMIT(handoff_held), 1, 64, "8",
	  "hand-off packages waiting for their download at once (more: 503)" },
	{ "data", "dir", CONFIG_PATH, FIELD(data_dir), 0, PATH_LEN_MAX, "",
	  "installation folder (empty: --data, $MELDPUNT_DATA, ./meldpunt-data)" },
	{ "smtp", "host", CONFIG_HOST, FIELD(smtp_host), 0, 120, "",
	  "mail relay (empty: send no mail)" },
	{ "smtp", "port", CONFIG_PORT, FIELD(smtp_port), 1, 65535, "587",
	  "mail relay port" },
	{ "smtp", "from", CONFIG_EMAIL, FIELD(smtp_from), 0, 120, "",
	  "sender address (needed when host is set)" },
	{ "smtp", "starttls", CONFIG_BOOL, FIELD(smtp_starttls), 0, 1, "yes",
	  "require STARTTLS to the relay (yes/no)" },
	{ "smtp", "ca_file", CONFIG_PATH, FIELD(smtp_ca_file), 0, PATH_LEN_MAX,
	  "", "PEM file of the CA(s) the relay's certificate must chain to "
	  "(empty: the system's trusted roots)" },
	{ "smtp", "timeout", CONFIG_UINT, FIELD(smtp_timeout), 1, 300, "30",
	  "seconds for each connect, read and write to the relay" },
	{ "smtp", "attempts", CONFIG_UINT, FIELD(smtp_attempts), 1, 100, "20",
	  "attempts to send a notice before it is given up" },
	{ "smtp", "retry", CONFIG_UINT, FIELD(smtp_retry), 1, 3600, "60",
	  "seconds before the first retry; doubled each time, at most an hour" },
	{ "reminders", "send", CONFIG_BOOL, FIELD(reminders_send), 0, 1, "yes",
	  "send handlers with an e-mail address a daily deadline reminder "
	  "(never without [smtp] host)" },
	{ "reminders", "empty", CONFIG_BOOL, FIELD(reminders_empty), 0, 1,
	  "yes", "also send the daily reminder when no deadline is due soon or "
	  "overdue (no: only on days with something to do)" },
	{ "reminders", "hour", CONFIG_UINT, FIELD(reminder_hour), 0, 23, "7",
	  "local hour from which the day's reminders go out" },
	{ "reminders", "days", CONFIG_UINT, FIELD(reminder_days), 1, 20, "5",
	  "working days ahead a deadline counts as due in the reminder and "
	  "the inbox's summary" },
	{ "retention", "default_days", CONFIG_UINT, FIELD(retention_days), 1,
	  3650, "730", "days a closed report is kept when its workflow names "
	  "no period" },
	{ "organisation", "name", CONFIG_TEXT, FIELD(organisation), 1, 120,
	  "Meldpunt", "shown on every page" },
	{ "organisation", "timezone", CONFIG_ZONE, FIELD(timezone), 1,
	  ZONE_NAME_MAX, ZONE_DEFAULT, "time zone of every time shown and of "
	  "deadlines (an IANA name)" },
	{ "calendar", "good_friday", CONFIG_BOOL, FIELD(calendar.good_friday), 0,
	  1, "no", "Good Friday is a day off (working-day deadlines skip it)" },
	{ "calendar", "liberation_day", CONFIG_BOOL,
	  FIELD(calendar.liberation_day), 0, 1, "no",
	  "5 May is a day off every year (working-day deadlines skip it)" },
	{ "calendar", "due_soon", CONFIG_UINT, FIELD(due_soon), 0, 20, "2",
	  "working days before its due time that a deadline shows as due soon" },
	{ "calendar", "closed", CONFIG_DAYS, FIELD(calendar), 0, 0, "",
	  "extra days the organisation is closed, YYYY-MM-DD, separated by "
	  "spaces or commas; the key may be given on several lines" },
	{ "organisation", "theme", CONFIG_CSS, FIELD(theme), 0, 64, "",
	  "CSS file name of the organisation's theme (empty: built-in)" },
	{ "handoff", "partner", CONFIG_PARTNERS, FIELD(partners), 0, 0,
	  HANDOFF_PARTNERS_DEFAULT, "partners a case may be handed off to: id (a-z, 0-9, _) "
	  "and name, separated by |; more lines add, the first replaces the "
	  "defaults" },
	{ "statistics", "small_number", CONFIG_UINT, FIELD(small_number), 1, 100,
	  "5", "counts below this are shown as \"fewer than N\"" },
	{ "log", "level", CONFIG_LEVEL, FIELD(log_level), 0, 0, "info",
	  "debug, info, warning or error" },
	{ "log", "file", CONFIG_PATH, FIELD(log_file), 0, PATH_LEN_MAX, "",
	  "log file, reopened on SIGHUP (empty: stderr)" },
	{ "log", "core_dumps", CONFIG_BOOL, FIELD(core_dumps), 0, 1, "no",
	  "allow core dumps, for debugging only: a dump holds opened reports "
	  "and unwrapped keys (yes/no)" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warning",
	[LOG_ERROR] = "error",
};

const struct config_key *
config_keys(size_t *n)
{
	*n = NKEYS;
	return keys;
}

/* The loader's state, shared by the line reader and the key handler. */
struct parse {
	struct config *c;
	const char *path;
	FILE *f;
	int line;
	struct buf *errors;
	int nerrors;
	int seen[NKEYS];	/* line where each key was set; 0: default */
};

static void problem(struct parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		buf_addf(p->errors, "%s, line %d: ", p->path, line);
	else
		buf_addf(p->errors, "%s: ", p->path);
	va_start(ap, fmt);
	buf_vaddf(p->errors, fmt, ap);
	va_end(ap);
	buf_addch(p->errors, '\n');
	p->nerrors++;
}

static int
section_known(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, name) == 0)
			return 1;
	return 0;
}

/* Digits, and for sizes one of K, M, G (powers of 1024). 0 or -1. */
static int
parse_number(const char *v, int sized, unsigned long long *out)
{
	unsigned long long n = 0, mult = 1;
	const char *s = v;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (n > (ULLONG_MAX_ - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (sized && *s) {
		switch (*s++) {
		case 'k': case 'K': mult = KIB; break;
		case 'm': case 'M': mult = MIB; break;
		case 'g': case 'G': mult = GIB; break;
		default: return -1;
		}
	}
	if (*s)
		return -1;
	if (n > ULLONG_MAX_ / mult)
		return -1;
	*out = n * mult;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int
all_chars(const char *v, const char *extra)
{
	for (; *v; v++) {
		unsigned char ch = (unsigned char)*v;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr(extra, ch)))
			return 0;
	}
	return 1;
}

static int
printable(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

/*
 * Check v against key k and store it. NULL on success, else what is
 * wrong with it (a static text, or one written into why).
 */
/*
 * Add the partners of v ("id Name | id Name", each line of the key adding
 * to those before) to ps. NULL, or why not (nothing of v kept then).
 */
static const char *
set_partners(struct config_partners *ps, const char *v, char *why,
             size_t whylen)
{
	size_t before = ps->n;
	const char *p = v;

	while (*p) {
		struct config_partner *e;
		size_t idlen, len, k;
		const char *end, *name;

		while (*p == ' ' || *p == '|')
			p++;
		if (!*p)
			break;
		end = p + strcspn(p, "|");
		idlen = strcspn(p, " |");
		name = p + idlen;
		while (*name == ' ')
			name++;
		len = (size_t)(end - name);
		while (len && name[len - 1] == ' ')
			len--;
		for (k = 0; k < idlen; k++)
			if (!((p[k] >= 'a' && p[k] <= 'z') ||
			      (p[k] >= '0' && p[k] <= '9') || p[k] == '_'))
				break;
		if (!idlen || k < idlen || idlen > HANDOFF_PARTNER_ID_MAX) {
			snprintf(why, whylen, "a partner's id is not 1 to %u of "
			         "a-z, 0-9 and _", HANDOFF_PARTNER_ID_MAX);
			goto bad;
		}
		for (k = 0; k < len; k++)
			if ((unsigned char)name[k] < 0x20 || name[k] == 0x7f)
				break;
		if (!len || k < len || len > HANDOFF_PARTNER_NAME_MAX) {
			snprintf(why, whylen, "a partner needs a name of 1 to %u "
			         "characters after its id",
			         HANDOFF_PARTNER_NAME_MAX);
			goto bad;
		}
		for (k = 0; k < ps->n; k++)
			if (strlen(ps->items[k].id) == idlen &&
			    memcmp(ps->items[k].id, p, idlen) == 0) {
				snprintf(why, whylen, "partner '%s' is given "
				         "twice", ps->items[k].id);
				goto bad;
			}
		if (ps->n == HANDOFF_PARTNERS_MAX) {
			snprintf(why, whylen, "more than %u partners",
			         HANDOFF_PARTNERS_MAX);
			goto bad;
		}
		e = &ps->items[ps->n++];
		memcpy(e->id, p, idlen);
		e->id[idlen] = '\0';
		memcpy(e->name, name, len);
		e->name[len] = '\0';
		p = end;
	}
	return NULL;
bad:
	ps->n = before;
	return why;
}

static const char *
set_value(struct config *c, const struct config_key *k, const char *v,
          char *why, size_t whylen)
{
	char *field = (char *)c + k->offset;
	unsigned long long n;
	size_t len = strlen(v), i;
	char *copy;
	int b;

	switch (k->type) {
	case CONFIG_UINT:
	case CONFIG_SIZE:
	case CONFIG_PORT:
		if (parse_number(v, k->type == CONFIG_SIZE, &n) < 0)
			return k->type == CONFIG_SIZE
			       ? "not a whole number of bytes (digits, then "
			         "optionally K, M or G)"
			       : "not a whole number";
		if (n < k->min) {
			snprintf(why, whylen, "below the minimum %llu", k->min);
			return why;
		}
		if (n > k->max) {
			snprintf(why, whylen, "above the maximum %llu", k->max);
			return why;
		}
		if (k->type == CONFIG_UINT)
			*(unsigned *)(void *)field = (unsigned)n;
		else if (k->type == CONFIG_SIZE)
			*(size_t *)(void *)field = (size_t)n;
		else
			*(uint16_t *)(void *)field = (uint16_t)n;
		return NULL;
	case CONFIG_BOOL:
		if (parse_bool(v, &b) < 0)
			return "not yes or no";
		*(int *)(void *)field = b;
		return NULL;
	case CONFIG_DAYS: {
		struct calendar *cal = (struct calendar *)(void *)field;
		const char *p = v;

		/* Each line of the key adds its days to those before. */
		while (*p) {
			char day[11];
			size_t wlen;
			int64_t d;

			while (*p == ' ' || *p == ',')
				p++;
			wlen = strcspn(p, " ,");
			if (!wlen)
				break;
			if (wlen != 10)
				return "not a list of days YYYY-MM-DD";
			memcpy(day, p, 10);
			day[10] = '\0';
			if (calendar_parse(day, &d) < 0)
				return "not a list of days YYYY-MM-DD";
			if (calendar_close(cal, d) < 0) {
				snprintf(why, whylen, "more than %d days",
				         CALENDAR_CLOSED_MAX);
				return why;
			}
			p += wlen;
		}
		return NULL;
	}
	case CONFIG_PARTNERS:
		return set_partners((struct config_partners *)(void *)field, v,
		                    why, whylen);
	case CONFIG_FILETYPES: {
		char bad[32];
		unsigned kinds;

		if (filetype_parse_list(v, &kinds, bad, sizeof(bad)) < 0)
			return "has a word that is not pdf, jpeg, png, heic, text, "
			       "office, email, audio or video";
		*(unsigned *)(void *)field = kinds;
		return NULL;
	}
	case CONFIG_LEVEL:
		for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
			if (strcmp(v, level_names[i]) == 0) {
				*(enum log_level *)(void *)field = (enum log_level)i;
				return NULL;
			}
		}
		return "not one of debug, info, warning, error";
	default:
		break;
	}

	/* The text types. */
	if (len < k->min) {
		snprintf(why, whylen, "shorter than %llu characters", k->min);
		return why;
	}
	if (len > k->max) {
		snprintf(why, whylen, "longer than %llu characters", k->max);
		return why;
	}
	if (!printable(v))
		return "contains control characters";
	switch (k->type) {
	case CONFIG_ADDRESS: {
		unsigned char addr[sizeof(struct in6_addr)];

		if (inet_pton(AF_INET, v, addr) != 1 &&
		    inet_pton(AF_INET6, v, addr) != 1)
			return "not an IPv4 or IPv6 address";
		break;
	}
	case CONFIG_ADDRESSES: {
		unsigned char addr[sizeof(struct in6_addr)];
		const char *s = v;
		unsigned count = 0;

		for (;;) {
			char one[INET6_ADDRSTRLEN];
			size_t wlen;

			s += strspn(s, " ,");
			if (!*s)
				break;
			wlen = strcspn(s, " ,");
			if (wlen >= sizeof(one))
				return "not a list of IPv4 or IPv6 addresses";
			memcpy(one, s, wlen);
			one[wlen] = '\0';
			if (inet_pton(AF_INET, one, addr) != 1 &&
			    inet_pton(AF_INET6, one, addr) != 1)
				return "not a list of IPv4 or IPv6 addresses";
			if (++count > LIMIT_TRUSTED_PROXIES) {
				snprintf(why, whylen, "more than %u addresses",
				         LIMIT_TRUSTED_PROXIES);
				return why;
			}
			s += wlen;
		}
		break;
	}
	case CONFIG_HOST:
		if (!all_chars(v, ".-:"))
			return "not a host name";
		break;
	case CONFIG_EMAIL: {
		const char *at = strchr(v, '@');

		if (len && (!at || at == v || !at[1] || strchr(at + 1, '@') ||
		            !all_chars(v, ".-_+@")))
			return "not an address like meldpunt@example.nl";
		break;
	}
	case CONFIG_ZONE:
		if (!zone_valid(v))
			return "not a time zone this system knows (an IANA name "
			       "such as Europe/Amsterdam; package tzdata)";
		break;
	case CONFIG_CSS:
		/* A bare file name: no folders, nothing hidden. */
		if (len && (v[0] == '.' || !all_chars(v, "._-") || len < 5 ||
		            strcmp(v + len - 4, ".css") != 0))
			return "not a file name ending in .css (letters, digits, "
			       "'.', '_', '-')";
		break;
	case CONFIG_URL: {
		/* It goes into e-mails as it is: a plain URL, nothing else. */
		const char *host = strncmp(v, "https://", 8) == 0 ? v + 8
		                 : strncmp(v, "http://", 7) == 0 ? v + 7 : NULL;

		if (len && (!host || !*host || *host == '/' ||
		            !all_chars(host, ".-:/_~%") || v[len - 1] == '/'))
			return "not a URL like https://meldpunt.gemeente.nl "
			       "(http or https, no '/' at the end, no query)";
		break;
	}
	default:
		break;
	}
	copy = strdup(v);
	if (!copy)
		die("out of memory");
	free(*(char **)(void *)field);
	*(char **)(void *)field = copy;
	return NULL;
}

void
config_init(struct config *c)
{
	char why[64];
	size_t i;

	memset(c, 0, sizeof(*c));
	c->limits = limits_default;
	for (i = 0; i < NKEYS; i++)
		if (set_value(c, &keys[i], keys[i].def, why, sizeof(why)))
			die("config: default of %s.%s is invalid", keys[i].section,
			    keys[i].name);
}

void
config_release(struct config *c)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		switch (keys[i].type) {
		case CONFIG_UINT: case CONFIG_SIZE: case CONFIG_PORT:
		case CONFIG_BOOL: case CONFIG_LEVEL: case CONFIG_FILETYPES:
		case CONFIG_DAYS: case CONFIG_PARTNERS:
			break;
		default: {
			char **field = (char **)(void *)((char *)c + keys[i].offset);

			free(*field);
			*field = NULL;
		}
		}
	}
}

/*
 * inih's reader: one line per call, counted. Returns NULL at the end.
 * A line too long for str is reported and handed on empty.
 */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	size_t n = 0, cap = (size_t)num - 1;
	int ch = 0, overlong = 0;
	char *s, *end;

	while ((ch = getc(p->f)) != EOF && ch != '\n') {
		if (n < cap - 1)	/* room for '\n' and NUL */
			str[n++] = (char)ch;
		else
			overlong = 1;
	}
	if (ch == EOF && n == 0 && !overlong)
		return NULL;
	p->line++;
	str[n] = '\0';
	if (overlong) {
		problem(p, p->line, "the line is longer than %zu characters",
		        cap - 1);
		str[0] = '\0';
		return str;
	}
	for (s = str; *s == ' ' || *s == '\t'; s++)
		;
	memmove(str, s, strlen(s) + 1);
	if (str[0] == '[') {
		end = strchr(str, ']');
		if (end) {
			*end = '\0';
			if (!section_known(str + 1))
				problem(p, p->line, "unknown section [%s]", str + 1);
			*end = ']';
		}
	} else if (str[0] && !strchr(";#\r", str[0]) && !strchr(str, '=') &&
	           !strchr(str, ':')) {
		problem(p, p->line, "expected 'key = value' or [section]");
		str[0] = '\0';
	}
	return str;
}

static int
handle_key(void *user, const char *section, const char *name,
           const char *value)
{
	struct parse *p = user;
	char why[64];
	const char *bad;
	size_t i;

	if (!section[0]) {
		problem(p, p->line, "key '%s' is outside any [section]", name);
		return 1;
	}
	if (!section_known(section))
		return 1;	/* the reader reported the section */
	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			break;
	if (i == NKEYS) {
		problem(p, p->line, "unknown key '%s' in [%s]", name, section);
		return 1;
	}
	/* A list of days may take several lines: a line holds 200 bytes. */
	if (p->seen[i] && keys[i].type != CONFIG_DAYS &&
	    keys[i].type != CONFIG_PARTNERS) {
		problem(p, p->line, "[%s] %s is given twice (first on line %d)",
		        section, name, p->seen[i]);
		return 1;
	}
	/* The first partner line given replaces the default partners. */
	if (!p->seen[i] && keys[i].type == CONFIG_PARTNERS)
		p->c->partners.n = 0;
	p->seen[i] = p->line;
	bad = set_value(p->c, &keys[i], value, why, sizeof(why));
	if (bad)
		problem(p, p->line, "[%s] %s = %s: %s", section, name, value, bad);
	return 1;
}

const struct config_partner *
config_partner(const struct config *c, const char *id)
{
	size_t i;

	for (i = 0; id && i < c->partners.n; i++)
		if (strcmp(c->partners.items[i].id, id) == 0)
			return &c->partners.items[i];
	return NULL;
}

static size_t
key_index(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return i;
	die("config: no key %s.%s", section, name);
}

/* The later of the lines where two keys were set (0: both defaults). */
static int
line_of(const struct parse *p, const char *s1, const char *n1, const char *s2,
        const char *n2)
{
	int a = p->seen[key_index(s1, n1)], b = p->seen[key_index(s2, n2)];

	return a > b ? a : b;
}

static void
check_not_above(struct parse *p, const char *small, size_t sv,
                const char *big, size_t bv)
{
	if (sv > bv)
		problem(p, line_of(p, "limits", small, "limits", big),
		        "[limits] %s (%zu) is larger than [limits] %s (%zu)",
		        small, sv, big, bv);
}

static void
check_readable(struct parse *p, const char *name, const char *path)
{
	if (path[0] && access(path, R_OK) != 0)
		problem(p, p->seen[key_index("tls", name)],
		        "[tls] %s: cannot read %s: %s", name, path, strerror(errno));
}

/* Combinations that each key alone cannot rule out. */
static void
check_together(struct parse *p)
{
	const struct config *c = p->c;
	const struct limits *l = &c->limits;

	if (!c->tls_certificate[0] != !c->tls_key[0])
		problem(p, line_of(p, "tls", "certificate", "tls", "key"),
		        "[tls] needs both certificate and key, or neither");
	check_readable(p, "certificate", c->tls_certificate);
	check_readable(p, "key", c->tls_key);
	check_not_above(p, "field_max", l->field_max, "body_max", l->body_max);
	check_not_above(p, "upload_file_max", l->upload_file_max,
	                "upload_total_max", l->upload_total_max);
	check_not_above(p, "upload_total_max", l->upload_total_max, "body_max",
	                l->body_max);
	check_not_above(p, "login_delay", l->login_delay, "login_delay_max",
	                l->login_delay_max);
	check_not_above(p, "body_max", l->body_max, "body_memory_per_client",
	                l->body_memory_per_client);
	check_not_above(p, "body_memory_per_client", l->body_memory_per_client,
	                "body_memory", l->body_memory);
	check_not_above(p, "connections_per_client", l->connections_per_client,
	                "connections", l->connections);
	if (l->session_idle > l->session_absolute)
		problem(p, line_of(p, "limits", "session_idle", "limits",
		                   "session_absolute"),
		        "[limits] session_idle (%u) is longer than "
		        "[limits] session_absolute (%u)", l->session_idle,
		        l->session_absolute);
	if (c->smtp_host[0] && !c->smtp_from[0])
		problem(p, p->seen[key_index("smtp", "host")],
		        "[smtp] host is set but [smtp] from is not");
	if (c->smtp_ca_file[0] && access(c->smtp_ca_file, R_OK) != 0)
		problem(p, p->seen[key_index("smtp", "ca_file")],
		        "[smtp] ca_file: cannot read %s: %s", c->smtp_ca_file,
		        strerror(errno));
	/* A notice says where to read the news: it needs the address. */
	if (c->smtp_host[0] && !c->public_url[0])
		problem(p, p->seen[key_index("smtp", "host")],
		        "[smtp] host is set but [server] public_url is not");
}

int
config_load(struct config *c, const char *path, struct buf *errors)
{
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.path = path;
	p.errors = errors;
	p.f = fopen(path, "r");
	if (!p.f) {
		problem(&p, 0, "cannot open the configuration file: %s",
		        strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(read_line, &p, handle_key, &p);
	fclose(p.f);
	if (rc > 0 && p.nerrors == 0)
		problem(&p, rc, "cannot read this line");
	else if (rc < 0 && p.nerrors == 0)
		problem(&p, 0, "cannot read the file (out of memory?)");
	if (p.nerrors == 0)
		check_together(&p);
	return p.nerrors ? -1 : 0;
}
