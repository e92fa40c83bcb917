/*
 * test_config.c - the configuration file: every key at its edges (min,
 * max, one beyond), unknown sections and keys named with their line, bad
 * values, combinations that cannot work, `meldpunt config check`, the
 * README table, and `meldpunt --config FILE serve`.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "testutil.h"

struct fixture {
	char *dir, *file;
	struct buf errors;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf b = BUF_INIT;

	f->dir = test_tmpdir("config");
	buf_addf(&b, "%s/meldpunt.ini", f->dir);
	f->file = buf_detach(&b, NULL);
	buf_init(&f->errors);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	test_rmtree(f->dir);
	free(f->dir);
	free(f->file);
	buf_release(&f->errors);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Load text as a file; the return of config_load. errors keeps the text. */
static int
load(struct fixture *f, struct config *c, const char *text)
{
	int rc;

	write_file(f->file, text);
	buf_reset(&f->errors);
	config_init(c);
	rc = config_load(c, f->file, &f->errors);
	return rc;
}

static void
assert_error(const struct fixture *f, const char *want)
{
	if (!strstr(f->errors.data, want)) {
		print_error("wanted '%s' in:\n%s", want, f->errors.data);
		fail();
	}
}

static void
test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_memory_equal(&c.limits, &limits_default, sizeof(c.limits));
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_string_equal(c.tls_certificate, "");
	assert_int_equal(c.small_number, 5);
	assert_int_equal(c.smtp_starttls, 1);
	assert_int_equal(c.smtp_port, 587);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_string_equal(c.organisation, "Meldpunt");
	config_release(&c);
}

/*
 * Keys whose bounds depend on each other: when a key is tested at its
 * minimum, the keys that must not exceed it are put at theirs; at its
 * maximum, the keys that must not be below it are put at theirs.
 */
static const char *const small_partners[][2] = {
	{ "field_max", "64" }, { "upload_file_max", "1K" },
	{ "upload_total_max", "1K" }, { "session_idle", "60" },
	{ "login_delay", "0" },
	{ "body_max", "1K" }, { "body_memory_per_client", "1K" },
	{ "connections_per_client", "1" },
};
static const char *const big_partners[][2] = {
	{ "body_max", "1G" }, { "upload_total_max", "1G" },
	{ "session_absolute", "604800" }, { "login_delay_max", "3600" },
	{ "body_memory_per_client", "64G" },
	{ "body_memory", "64G" }, { "connections", "1000" },
};

static void
numeric_file(struct buf *b, const struct config_key *k, unsigned long long v,
             int at_max)
{
	size_t i, n = at_max ? sizeof(big_partners) / sizeof(big_partners[0])
	                     : sizeof(small_partners) / sizeof(small_partners[0]);

	buf_reset(b);
	buf_addf(b, "[%s]\n%s = %llu\n[limits]\n", k->section, k->name, v);
	for (i = 0; i < n; i++) {
		const char *name = at_max ? big_partners[i][0] : small_partners[i][0];
		const char *val = at_max ? big_partners[i][1] : small_partners[i][1];

		if (strcmp(name, k->name) != 0)
			buf_addf(b, "%s = %s\n", name, val);
	}
}

static unsigned long long
numeric_value(const struct config *c, const struct config_key *k)
{
	const char *field = (const char *)c + k->offset;

	switch (k->type) {
	case CONFIG_UINT:
		return *(const unsigned *)(const void *)field;
	case CONFIG_SIZE:
		return *(const size_t *)(const void *)field;
	case CONFIG_PORT:
		return *(const uint16_t *)(const void *)field;
	case CONFIG_BOOL:
		return (unsigned long long)*(const int *)(const void *)field;
	default:
		fail();
	}
	return 0;
}

/* A valid text of exactly len bytes for key type t. */
static void
text_value(struct buf *b, enum config_type t, size_t len)
{
	static const char v6[] = "0000:0000:0000:0000:0000:ffff:255.255.255.255";
	size_t i;

	buf_reset(b);
	switch (t) {
	case CONFIG_ADDRESSES: {
		/* IPv4 addresses of 7 to 15 characters, with commas between. */
		static const char *const last[] = { "1.1.1.1", "11.1.1.1",
			"111.1.1.1", "111.11.1.1", "111.111.1.1", "111.111.11.1",
			"111.111.111.1", "111.111.111.11", "111.111.111.111" };
		size_t left = len, n;

		while (left > 15) {
			n = left - 7 < 16 ? left - 7 : 16;	/* with the comma */
			buf_adds(b, last[n - 1 - 7]);
			buf_addch(b, ',');
			left -= n;
		}
		if (left)
			buf_adds(b, last[left - 7]);
		return;
	}
	case CONFIG_ADDRESS:
		/* "::" is 2; the long form of a v4-mapped address is 45. */
		if (len == 2)
			buf_adds(b, "::");
		else if (len == 45)
			buf_adds(b, v6);
		else
			buf_add(b, "::0000000000000000000000000000000000000000000000",
			        len);
		return;
	case CONFIG_EMAIL:
		for (i = 0; i + 12 < len; i++)
			buf_addch(b, 'a');
		buf_adds(b, "@example.org");
		return;
	case CONFIG_CSS:
		for (i = 0; i + 4 < len; i++)
			buf_addch(b, 't');
		buf_adds(b, ".css");
		return;
	case CONFIG_URL:
		buf_adds(b, "https://");
		for (i = 8; i < len; i++)
			buf_addch(b, 'u');
		return;
	case CONFIG_PATH:
		if (len)
			buf_addch(b, '/');
		for (i = 1; i < len; i++)
			buf_addch(b, 'p');
		return;
	default:
		for (i = 0; i < len; i++)
			buf_addch(b, 'a');
		return;
	}
}

static void
test_every_key_at_its_edges(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT, val = BUF_INIT, want = BUF_INIT;
	const struct config_key *keys;
	struct config c;
	size_t n, i;

	keys = config_keys(&n);
	for (i = 0; i < n; i++) {
		const struct config_key *k = &keys[i];

		buf_reset(&want);
		buf_addf(&want, "line 2: [%s] %s = ", k->section, k->name);
		switch (k->type) {
		case CONFIG_UINT:
		case CONFIG_SIZE:
		case CONFIG_PORT:
			numeric_file(&text, k, k->min, 0);
			assert_int_equal(load(f, &c, text.data), 0);
			assert_true(numeric_value(&c, k) == k->min);
			config_release(&c);
			numeric_file(&text, k, k->max, 1);
			assert_int_equal(load(f, &c, text.data), 0);
			assert_true(numeric_value(&c, k) == k->max);
			config_release(&c);
			if (k->min > 0) {
				numeric_file(&text, k, k->min - 1, 0);
				assert_int_equal(load(f, &c, text.data), -1);
				assert_error(f, want.data);
				assert_error(f, "below the minimum");
				config_release(&c);
			}
			numeric_file(&text, k, k->max + 1, 1);
			assert_int_equal(load(f, &c, text.data), -1);
			assert_error(f, want.data);
			assert_error(f, "above the maximum");
			config_release(&c);
			break;
		case CONFIG_BOOL:
		case CONFIG_LEVEL:
			break;	/* no range; test_bad_values */
		case CONFIG_ZONE:
			break;	/* a name tzdata knows, not a length; test_zone */
		case CONFIG_FILETYPES:
			break;	/* a list of known words; test_filetype */
		case CONFIG_DAYS:
			break;	/* a list of dates; test_calendar */
		case CONFIG_PARTNERS:
			break;	/* a list of partners; test_partners */
		default:
			/* Text: the length bounds. */
			text_value(&val, k->type, k->max);
			buf_reset(&text);
			buf_addf(&text, "[%s]\n%s = %s\n", k->section, k->name,
			         val.data);
			load(f, &c, text.data);
			assert_null(strstr(f->errors.data, "longer than"));
			assert_null(strstr(f->errors.data, "shorter than"));
			assert_null(strstr(f->errors.data, ": not "));
			config_release(&c);
			text_value(&val, k->type, k->max + 1);
			buf_reset(&text);
			buf_addf(&text, "[%s]\n%s = %s\n", k->section, k->name,
			         val.data);
			assert_int_equal(load(f, &c, text.data), -1);
			assert_error(f, want.data);
			assert_error(f, "longer than");
			config_release(&c);
			if (k->min > 0) {
				text_value(&val, k->type, k->min);
				buf_reset(&text);
				buf_addf(&text, "[%s]\n%s = %s\n", k->section,
				         k->name, val.data);
				assert_int_equal(load(f, &c, text.data), 0);
				config_release(&c);
				text_value(&val, k->type, k->min - 1);
				buf_reset(&text);
				buf_addf(&text, "[%s]\n%s = %s\n", k->section,
				         k->name, val.data);
				assert_int_equal(load(f, &c, text.data), -1);
				assert_error(f, want.data);
				assert_error(f, "shorter than");
				config_release(&c);
			}
		}
	}
	buf_release(&text);
	buf_release(&val);
	buf_release(&want);
}

static void
test_values(void **state)
{
	struct fixture *f = *state;
	struct config c;

	assert_int_equal(load(f, &c,
		"# comment\n"
		"; another\n"
		"[server]\n"
		"  listen = ::1\n"			/* indented is fine */
		"port = 8443 ; inline comment\n"
		"public_url = https://meldpunt.example.nl\n"
		"[limits]\n"
		"body_max = 30m\n"
		"field_max = 512k\n"
		"[smtp]\n"
		"host = smtp.example.nl\n"
		"from = meldpunt@example.nl\n"
		"starttls = off\n"
		"[organisation]\n"
		"name = Gemeente Súdwest-Fryslân\n"
		"theme = huisstijl.css\n"
		"[log]\n"
		"level = warning\n"), 0);
	assert_string_equal(c.listen, "::1");
	assert_int_equal(c.port, 8443);
	assert_int_equal(c.limits.body_max, 30 * 1024 * 1024);
	assert_int_equal(c.limits.field_max, 512 * 1024);
	assert_int_equal(c.smtp_starttls, 0);
	assert_string_equal(c.organisation, "Gemeente Súdwest-Fryslân");
	assert_string_equal(c.theme, "huisstijl.css");
	assert_int_equal(c.log_level, LOG_WARN);
	/* Untouched keys keep their defaults. */
	assert_int_equal(c.limits.threads, LIMIT_THREADS_DEFAULT);
	config_release(&c);
}

static void
test_unknown_key_and_section(void **state)
{
	struct fixture *f = *state;
	struct config c;

	assert_int_equal(load(f, &c, "[server]\nport = 8080\n\n[limits]\n"
	                      "thread = 4\n"), -1);
	assert_error(f, "meldpunt.ini, line 5: unknown key 'thread' in [limits]");
	config_release(&c);

	/* An empty unknown section is named too, and so is its key. */
	assert_int_equal(load(f, &c, "[server]\n[limts]\n[tls]\n[sever]\n"
	                      "port = 1\n"), -1);
	assert_error(f, "line 2: unknown section [limts]");
	assert_error(f, "line 4: unknown section [sever]");
	config_release(&c);

	assert_int_equal(load(f, &c, "port = 8080\n"), -1);
	assert_error(f, "line 1: key 'port' is outside any [section]");
	config_release(&c);
}

static void
test_bad_values(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[limits]\nthreads = four\n", "line 2: [limits] threads = four: not a whole number" },
		{ "[limits]\nthreads = -1\n", "not a whole number" },
		{ "[limits]\nthreads = 4x\n", "not a whole number" },
		{ "[limits]\nthreads = 0x10\n", "not a whole number" },
		{ "[limits]\nthreads = 99999999999999999999999\n", "not a whole number" },
		{ "[limits]\nbody_max = 25Q\n", "not a whole number of bytes" },
		{ "[limits]\nbody_max = 17179869184G\n", "not a whole number of bytes" },
		{ "[limits]\nbody_max = 2G\n", "above the maximum" },
		{ "[server]\nlisten = localhost\n", "not an IPv4 or IPv6 address" },
		{ "[server]\nport = 65536\n", "above the maximum 65535" },
		{ "[smtp]\nstarttls = maybe\n", "not yes or no" },
		{ "[smtp]\nfrom = nobody\n", "not an address" },
		{ "[smtp]\nhost = mail relay\n", "not a host name" },
		{ "[log]\nlevel = loud\n", "not one of debug, info, warning, error" },
		{ "[organisation]\ntheme = ../etc/passwd.css\n", "not a file name ending in .css" },
		{ "[organisation]\ntheme = huisstijl.js\n", "not a file name ending in .css" },
		{ "[organisation]\ntheme = .hidden.css\n", "not a file name ending in .css" },
		{ "[organisation]\nname =\n", "shorter than 1" },
		{ "[organisation]\nname = a\tb\n", "control characters" },
	};
	struct fixture *f = *state;
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(load(f, &c, cases[i].text), -1);
		assert_error(f, cases[i].want);
		config_release(&c);
	}
}

/*
 * [handoff] partner: the defaults, a list of the file's own (its first
 * line replaces the defaults, further lines add), and each bad entry
 * refused with its line, the start refused with it (issue 19).
 */
static void
test_partners(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "[handoff]\npartner = RIEC RIEC Noord-Holland\n",
		  "line 2: [handoff] partner = RIEC RIEC Noord-Holland: a "
		  "partner's id is not 1 to 16 of a-z, 0-9 and _" },
		{ "[handoff]\npartner = riec\n", "a partner needs a name" },
		{ "[handoff]\npartner = riec RIEC | | politie\n",
		  "a partner needs a name" },
		{ "[handoff]\npartner = abcdefghijklmnopq Te lang\n",
		  "a partner's id is not" },
		{ "[handoff]\npartner = riec RIEC\npartner = riec Weer\n",
		  "line 3: [handoff] partner = riec Weer: partner 'riec' is "
		  "given twice" },
		{ "[handoff]\npartner = riec A\tB\n", "a partner needs a name" },
	};
	const char *serve[] = { "--config", NULL, "serve", NULL };
	struct fixture *f = *state;
	struct buf text = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct config c;
	size_t i;

	config_init(&c);
	assert_int_equal(c.partners.n, 4);
	assert_string_equal(config_partner(&c, "riec")->name,
	                    "RIEC Noord-Holland");
	assert_string_equal(config_partner(&c, "mma")->name,
	                    "Meld Misdaad Anoniem");
	assert_non_null(config_partner(&c, "politie"));
	assert_non_null(config_partner(&c, "afdeling"));
	assert_null(config_partner(&c, "fiod"));
	config_release(&c);

	assert_int_equal(load(f, &c, "[handoff]\npartner = riec RIEC Amsterdam"
	                      " | fiod FIOD\npartner =  omgeving  Omgevingsdienst "
	                      "IJmond \n"), 0);
	assert_int_equal(c.partners.n, 3);
	assert_string_equal(config_partner(&c, "riec")->name, "RIEC Amsterdam");
	assert_string_equal(config_partner(&c, "fiod")->name, "FIOD");
	assert_string_equal(config_partner(&c, "omgeving")->name,
	                    "Omgevingsdienst IJmond");
	assert_null(config_partner(&c, "politie"));
	config_release(&c);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load(f, &c, bad[i].text), -1);
		assert_error(f, bad[i].want);
		config_release(&c);
	}
	/* HANDOFF_PARTNERS_MAX fit, one more does not. */
	buf_addf(&text, "[handoff]\n");
	for (i = 0; i < HANDOFF_PARTNERS_MAX; i++)
		buf_addf(&text, "partner = p%zu Partner %zu\n", i, i);
	assert_int_equal(load(f, &c, text.data), 0);
	assert_int_equal(c.partners.n, HANDOFF_PARTNERS_MAX);
	config_release(&c);
	buf_addf(&text, "partner = extra Een te veel\n");
	assert_int_equal(load(f, &c, text.data), -1);
	assert_error(f, "more than 32 partners");
	config_release(&c);

	/* The server does not start with a bad entry, and says why. */
	write_file(f->file, "[handoff]\npartner = riec\n");
	serve[1] = f->file;
	assert_int_equal(test_run(&out, &err, serve), 1);
	assert_non_null(strstr(err.data, "line 2: [handoff] partner = riec: a "
	                       "partner needs a name"));
	assert_non_null(strstr(err.data, "nothing was started"));
	buf_release(&text);
	buf_release(&out);
	buf_release(&err);
}

static void
test_syntax(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT;
	struct config c;
	int i;

	assert_int_equal(load(f, &c, "[server]\nport = 1\nport = 2\n"), -1);
	assert_error(f, "line 3: [server] port is given twice (first on line 2)");
	config_release(&c);

	assert_int_equal(load(f, &c, "[server]\njust some words\n"), -1);
	assert_error(f, "line 2: expected 'key = value' or [section]");
	config_release(&c);

	/* Too long for inih's buffer: reported, not silently split. */
	buf_adds(&text, "[organisation]\nname = ");
	for (i = 0; i < 300; i++)
		buf_addch(&text, 'x');
	buf_adds(&text, "\n[limits]\nthreads = 2\n");
	assert_int_equal(load(f, &c, text.data), -1);
	assert_error(f, "line 2: the line is longer than");
	/* ... and the lines after it are still counted right. */
	assert_int_equal(c.limits.threads, 2);
	config_release(&c);
	buf_release(&text);

	/* Every problem is listed, not only the first. */
	assert_int_equal(load(f, &c, "[limits]\nthreads = 65\nconnections = 0\n"
	                      "bogus = 1\n"), -1);
	assert_error(f, "line 2: [limits] threads");
	assert_error(f, "line 3: [limits] connections");
	assert_error(f, "line 4: unknown key 'bogus'");
	config_release(&c);

	/* A missing file is named. */
	buf_reset(&f->errors);
	config_init(&c);
	assert_int_equal(config_load(&c, "/nonexistent/meldpunt.ini",
	                             &f->errors), -1);
	assert_error(f, "/nonexistent/meldpunt.ini: cannot open");
	config_release(&c);
}

static void
test_combinations(void **state)
{
	struct fixture *f = *state;
	struct buf text = BUF_INIT;
	struct config c;

	assert_int_equal(load(f, &c, "[limits]\nbody_max = 10K\n"), -1);
	assert_error(f, "line 2: [limits] field_max (20480) is larger than "
	             "[limits] body_max (10240)");
	config_release(&c);

	assert_int_equal(load(f, &c, "[limits]\nupload_file_max = 30M\n"), -1);
	assert_error(f, "[limits] upload_file_max (31457280) is larger than "
	             "[limits] upload_total_max");
	config_release(&c);

	assert_int_equal(load(f, &c, "[limits]\nlogin_delay = 20\n"
	                      "login_delay_max = 10\n"), -1);
	assert_error(f, "[limits] login_delay (20) is larger than "
	             "[limits] login_delay_max (10)");
	config_release(&c);

	assert_int_equal(load(f, &c, "[limits]\nsession_idle = 40000\n"), -1);
	assert_error(f, "line 2: [limits] session_idle (40000) is longer than");
	config_release(&c);

	assert_int_equal(load(f, &c, "[smtp]\nhost = smtp.example.nl\n"), -1);
	assert_error(f, "line 2: [smtp] host is set but [smtp] from is not");
	config_release(&c);

	buf_addf(&text, "[tls]\ncertificate = %s\n", f->file);
	assert_int_equal(load(f, &c, text.data), -1);
	assert_error(f, "line 2: [tls] needs both certificate and key");
	config_release(&c);

	assert_int_equal(load(f, &c, "[tls]\ncertificate = /nonexistent/c.pem\n"
	                      "key = /nonexistent/k.pem\n"), -1);
	assert_error(f, "line 2: [tls] certificate: cannot read /nonexistent/c.pem");
	assert_error(f, "line 3: [tls] key: cannot read /nonexistent/k.pem");
	config_release(&c);
	buf_release(&text);
}

static void
test_cli_check(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT, example = BUF_INIT;
	const char *check[] = { "config", "check", f->file, NULL };
	const char *ex[] = { "config", "example", NULL };
	const char *serve[] = { "--config", f->file, "serve", NULL };
	const char *bad[] = { "config", "frob", NULL };
	size_t i;

	write_file(f->file, "[limits]\nthreads = 65\n");
	assert_int_equal(test_run(&out, &err, check), 1);
	assert_non_null(strstr(err.data, "line 2: [limits] threads = 65: above "
	                       "the maximum 64"));
	/* serve refuses the same file before touching anything. */
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, serve), 1);
	assert_non_null(strstr(err.data, "line 2: [limits] threads"));
	assert_non_null(strstr(err.data, "nothing was started"));

	/* The example, with every key uncommented, is valid. */
	buf_reset(&out);
	assert_int_equal(test_run(&example, &err, ex), 0);
	for (i = 0; i + 2 < example.len; i++)
		if (example.data[i] == '\n' && example.data[i + 1] == '#' &&
		    example.data[i + 2] == ' ' && strchr(example.data + i + 3, '=') &&
		    strchr(example.data + i + 3, '=') < strchr(example.data + i + 3, '\n')) {
			example.data[i + 1] = ' ';
			example.data[i + 2] = ' ';
		}
	write_file(f->file, example.data);
	buf_reset(&out);
	buf_reset(&err);
	assert_int_equal(test_run(&out, &err, check), 0);
	assert_non_null(strstr(out.data, "the configuration is valid"));

	assert_int_equal(test_run(&out, &err, bad), 2);
	buf_release(&out);
	buf_release(&err);
	buf_release(&example);
}

/* README documents every key in its table. */
static void
test_readme_lists_every_key(void **state)
{
	const char *src = getenv("MELDPUNT_SOURCE_DIR");
	struct buf readme = BUF_INIT, path = BUF_INIT, row = BUF_INIT;
	const struct config_key *keys;
	size_t n, i;

	(void)state;
	assert_non_null(src);
	buf_addf(&path, "%s/README.md", src);
	assert_int_equal(test_read_file(path.data, &readme), 0);
	keys = config_keys(&n);
	for (i = 0; i < n; i++) {
		buf_reset(&row);
		buf_addf(&row, "| `[%s]` | `%s` |", keys[i].section, keys[i].name);
		if (!strstr(readme.data, row.data)) {
			print_error("README.md has no row '%s'\n", row.data);
			fail();
		}
	}
	buf_release(&readme);
	buf_release(&path);
	buf_release(&row);
}

/* `meldpunt --config FILE serve`: the file's data dir, address and port. */
static void
test_serve_from_config(void **state)
{
	struct fixture *f = *state;
	struct buf out = BUF_INIT, err = BUF_INIT, text = BUF_INIT, line = BUF_INIT;
	struct buf data = BUF_INIT;
	const char *init[] = { "--data", NULL, "init", NULL };
	struct test_server s;
	int po[2], status;
	time_t until;
	long http;

	buf_addf(&data, "%s/data", f->dir);
	init[1] = data.data;
	assert_int_equal(test_run(&out, &err, init), 0);
	buf_addf(&text, "[server]\nport = 0\nshutdown_grace = 1\n[data]\n"
	         "dir = %s\n", data.data);
	write_file(f->file, text.data);

	memset(&s, 0, sizeof(s));
	assert_int_equal(pipe(po), 0);
	s.pid = fork();
	assert_true(s.pid >= 0);
	if (s.pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(po[1], 1);
		dup2(null, 2);
		close(po[0]);
		unsetenv("MELDPUNT_DATA");
		execl(getenv("MELDPUNT_BIN"), "meldpunt", "--config", f->file,
		      "serve", (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	until = time(NULL) + 20;
	while (!strchr(line.data, '\n') && time(NULL) < until) {
		struct pollfd pfd = { po[0], POLLIN, 0 };
		char chunk[256];
		ssize_t r;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		r = read(po[0], chunk, sizeof(chunk));
		if (r <= 0)
			break;
		buf_add(&line, chunk, (size_t)r);
	}
	close(po[0]);
	assert_non_null(strstr(line.data, "http://127.0.0.1:"));
	s.port = test_port_after(line.data, "127.0.0.1:");
	assert_true(s.port > 0);
	assert_int_equal(test_http(&s, "GET", "/health", NULL, &http, NULL,
	                           NULL), 0);
	assert_int_equal(http, 200);
	kill(s.pid, SIGTERM);
	assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	buf_release(&out);
	buf_release(&err);
	buf_release(&text);
	buf_release(&line);
	buf_release(&data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_every_key_at_its_edges, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_and_section, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_combinations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_check, setup, teardown),
		cmocka_unit_test(test_readme_lists_every_key),
		cmocka_unit_test_setup_teardown(test_serve_from_config, setup,
		                                teardown),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
