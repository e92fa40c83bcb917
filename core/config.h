/*
 * config.h - the configuration file: every setting an operator may change.
 *
 * One INI file (`meldpunt --config FILE ...`), read once at start. Each key
 * has a default and bounds, listed in one table (config_keys) that the
 * loader, `meldpunt config check`, the tests and the README table all
 * follow. Unknown sections, unknown keys, keys given twice, bad values and
 * values out of bounds stop the start with a message that names the file,
 * the line and the key; so does a combination that cannot work (a TLS
 * certificate without its key, a field larger than the whole body).
 *
 * Example:
 *
 *	[server]
 *	listen = 0.0.0.0
 *	port = 8443
 *	[tls]
 *	certificate = /etc/meldpunt/cert.pem
 *	key = /etc/meldpunt/key.pem
 *	[limits]
 *	body_max = 25M
 *
 * Ownership: config_init fills a struct config with the defaults (owned
 * strings); config_release frees them. Strings are never NULL; an empty
 * string means "not set" where the table says so.
 */
#ifndef MELDPUNT_CONFIG_H
#define MELDPUNT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "calendar.h"
#include "limits.h"
#include "log.h"

/* A partner a case may be handed off to ([handoff] partner, handoff.h). */
struct config_partner {
	char id[HANDOFF_PARTNER_ID_MAX + 1];	/* a-z, 0-9, _ */
	char name[HANDOFF_PARTNER_NAME_MAX + 1];
};

struct config_partners {
	struct config_partner items[HANDOFF_PARTNERS_MAX];
	size_t n;
};

struct config {
	/* [server] */
	char *listen;			/* IPv4 or IPv6 address */
	uint16_t port;			/* 0: any free port */
	unsigned shutdown_grace;	/* seconds to finish requests at stop */
	char *public_url;		/* "": unknown; else http(s)://host[/path] */
	/* Reverse proxies trusted to name the client (web/client.h): IPv4 and
	 * IPv6 addresses separated by spaces or commas; "": none. */
	char *trusted_proxy;
	/* [tls]: both empty, or both set (then the server speaks HTTPS) */
	char *tls_certificate;		/* PEM file */
	char *tls_key;			/* PEM file */
	/* [limits] */
	struct limits limits;
	/* [data] */
	char *data_dir;			/* "": --data, $MELDPUNT_DATA or default */
	/* [smtp] */
	char *smtp_host;		/* "": send no mail */
	uint16_t smtp_port;
	char *smtp_from;
	int smtp_starttls;		/* 0 or 1 */
	unsigned smtp_timeout;		/* seconds per connect, read, write */
	char *smtp_ca_file;		/* "": the system's trusted roots */
	unsigned smtp_attempts;		/* attempts before a notice is given up */
	unsigned smtp_retry;		/* seconds before the first retry */
	/* [reminders] (reminder.h) */
	int reminders_send;		/* 0 or 1 */
	int reminders_empty;		/* 0 or 1: also when nothing is due */
	unsigned reminder_hour;		/* local hour, 0 to 23 */
	unsigned reminder_days;		/* working days: "due this week" */
	/* [retention] */
	unsigned retention_days;	/* when a workflow names no period */
	/* [organisation] */
	char *organisation;
	char *theme;			/* CSS file name; "": the built-in theme */
	char *timezone;			/* IANA name (zone.h) */
	/* [calendar]: optional holidays and closing days (calendar.h) */
	struct calendar calendar;
	unsigned due_soon;		/* working days (workflow.h) */
	/* [handoff] */
	struct config_partners partners;
	/* [statistics] */
	unsigned small_number;		/* counts below this are not shown */
	/* [log] */
	enum log_level log_level;
	char *log_file;			/* "": stderr */
	int core_dumps;			/* 0 or 1 (hardening.h) */
};

enum config_type {
	CONFIG_UINT,		/* unsigned */
	CONFIG_SIZE,		/* size_t; a number with optional K, M or G */
	CONFIG_PORT,		/* uint16_t */
	CONFIG_BOOL,		/* int: yes/no, true/false, on/off, 1/0 */
	CONFIG_ADDRESS,		/* char *: an IPv4 or IPv6 address */
	CONFIG_ADDRESSES,	/* char *: such addresses, spaces or commas */
	CONFIG_TEXT,		/* char *: printable text */
	CONFIG_PATH,		/* char *: a file or folder path */
	CONFIG_HOST,		/* char *: host name or address */
	CONFIG_EMAIL,		/* char *: local@domain */
	CONFIG_CSS,		/* char *: a file name ending in .css */
	CONFIG_URL,		/* char *: http(s)://host[:port][/path], no '/' at the end */
	CONFIG_LEVEL,		/* enum log_level: debug, info, warning, error */
	CONFIG_ZONE,		/* char *: an IANA time zone tzdata knows */
	CONFIG_FILETYPES,	/* unsigned: kinds of file (filetype.h) */
	CONFIG_DAYS,		/* struct calendar: closing days YYYY-MM-DD */
	CONFIG_PARTNERS,	/* struct config_partners: "id Name | id Name" */
};

/*
 * One key. Numbers must lie in [min, max]; text must have a length in
 * [min, max] bytes (min 0: may be empty).
 */
struct config_key {
	const char *section;
	const char *name;
	enum config_type type;
	size_t offset;			/* of the field in struct config */
	unsigned long long min, max;
	const char *def;		/* the default, as written in the file */
	const char *help;		/* one line for the README */
};

/* The table of every key, in README order; *n receives the count. */
const struct config_key *config_keys(size_t *n);

/* The defaults. */
void config_init(struct config *c);
void config_release(struct config *c);

/*
 * Read path over the values in c (which config_init filled). 0, or -1 with
 * one line per problem in errors ("FILE, line N: ..."); on -1, c holds a
 * mix of values and is only good for config_release.
 */
int config_load(struct config *c, const char *path, struct buf *errors);

/* The partner of id in c, or NULL. */
const struct config_partner *config_partner(const struct config *c,
                                            const char *id);

#endif
