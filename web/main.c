/*
 * main.c - the meldpunt command: one program for operators.
 *
 *   meldpunt [--data DIR] init [--admin NAME]
 *   meldpunt [--data DIR] serve [--listen ADDR] [--port N]
 *   meldpunt [--data DIR] audit-verify
 *   meldpunt --help | --version
 *
 * Each command opens the installation it needs, does its work and says in
 * plain words what went wrong and what to do about it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "install.h"
#include "log.h"
#include "server.h"
#include "userkey.h"

#define DATA_DIR_DEFAULT "meldpunt-data"

static const char usage[] =
	"usage: meldpunt [--data DIR] COMMAND [OPTIONS]\n"
	"\n"
	"Meldpunt: the central reporting point for aggression incidents and\n"
	"signals of undermining crime (Noord-Hollandse Norm Weerbare Overheid).\n"
	"\n"
	"Commands:\n"
	"  init [--admin NAME]     create an installation in DIR: database,\n"
	"                          installation secret, keyrings, recovery key\n"
	"                          and the first admin (default name: admin).\n"
	"                          Prints the recovery key and the admin's\n"
	"                          one-time password once.\n"
	"  serve [--listen ADDR] [--port N]\n"
	"                          serve the web pages on ADDR:N\n"
	"                          (default 127.0.0.1:8080) until Ctrl-C.\n"
	"  audit-verify            check the audit log's hash chain; names the\n"
	"                          first row that does not fit.\n"
	"\n"
	"Options:\n"
	"  --data DIR              the installation folder (default:\n"
	"                          $MELDPUNT_DATA, else ./" DATA_DIR_DEFAULT ")\n"
	"  --help                  show this text\n"
	"  --version               show the version\n";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "meldpunt: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'meldpunt --help' for the commands.\n");
	return 2;
}

/* Argon2id cost: MELDPUNT_PWHASH=fast is for test suites only. */
static const struct pwhash_params *
pwhash_params(void)
{
	const char *v = getenv("MELDPUNT_PWHASH");

	if (v && strcmp(v, "fast") == 0)
		return &PWHASH_FAST;
	return &PWHASH_DEFAULT;
}

static int
cmd_init(const char *dir, int argc, char **argv)
{
	struct install_result res;
	const char *admin = INSTALL_ADMIN_DEFAULT;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--admin") == 0 && i + 1 < argc)
			admin = argv[++i];
		else
			return usage_error("init: unknown option '%s'", argv[i]);
	}
	if (install_create(dir, admin, pwhash_params(), &res) < 0)
		return 1;
	printf("Meldpunt is installed in %s.\n\n"
	       "RECOVERY KEY (shown only now; print it and keep it offline,\n"
	       "it opens every keyring when passwords or staff are lost):\n\n"
	       "    %s\n\n"
	       "First admin:  %s\n"
	       "One-time password (change it at first login):  %s\n\n"
	       "Keep %s/%s safe and back it up apart from the database:\n"
	       "without it no receipt can be opened.\n",
	       dir, res.recovery_key, admin, res.admin_password, dir,
	       INSTALL_SECRET_FILE);
	fflush(stdout);
	crypto_wipe(&res, sizeof(res));
	return 0;
}

static int
parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
cmd_serve(const char *dir, int argc, char **argv)
{
	struct server_config cfg = {
		.listen = SERVER_LISTEN_DEFAULT,
		.port = SERVER_PORT_DEFAULT,
		.limits = limits_default,
	};
	struct installation *inst = NULL;
	struct server *srv = NULL;
	sigset_t stop;
	int i, sig, ret = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			cfg.listen = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			if (parse_port(argv[++i], &cfg.port) < 0)
				return usage_error("serve: '%s' is not a port "
				                   "number (0-65535)", argv[i]);
		} else
			return usage_error("serve: unknown option '%s'", argv[i]);
	}

	/* Block the stop signals in every thread; only sigwait sees them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (install_open(dir, 0, &inst) < 0)
		goto out;
	if (server_start(&srv, inst, &cfg) < 0)
		goto out;
	printf("meldpunt: serving http://%s%s%s:%u/ (Ctrl-C stops)\n",
	       strchr(cfg.listen, ':') ? "[" : "", cfg.listen,
	       strchr(cfg.listen, ':') ? "]" : "", server_port(srv));
	fflush(stdout);
	log_info("meldpunt %s serving", MELDPUNT_VERSION);
	sigwait(&stop, &sig);
	log_info("stopping on signal %d", sig);
	ret = 0;
out:
	server_stop(srv);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

static int
cmd_audit_verify(const char *dir, int argc, char **argv)
{
	struct installation *inst;
	int64_t rows, bad;
	int ret;

	(void)argv;
	if (argc)
		return usage_error("audit-verify: unexpected '%s'", argv[0]);
	if (install_open(dir, DB_READONLY, &inst) < 0)
		return 1;
	if (audit_verify(inst->db, &rows, &bad) == 0) {
		printf("audit log intact: %lld rows\n", (long long)rows);
		ret = 0;
	} else {
		printf("audit log broken at row %lld: it was edited, inserted or "
		       "a row before it was deleted\n", (long long)bad);
		ret = 1;
	}
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("MELDPUNT_DATA");
	const char *cmd;
	int i = 1;

	if (!dir || !*dir)
		dir = DATA_DIR_DEFAULT;
	if (crypto_init() < 0) {
		fprintf(stderr, "meldpunt: cannot initialise libsodium\n");
		return 1;
	}
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("meldpunt %s\n", MELDPUNT_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			dir = argv[i + 1];
			i += 2;
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return usage_error("%s", "no command given");
	cmd = argv[i++];
	if (strcmp(cmd, "init") == 0)
		return cmd_init(dir, argc - i, argv + i);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(dir, argc - i, argv + i);
	if (strcmp(cmd, "audit-verify") == 0)
		return cmd_audit_verify(dir, argc - i, argv + i);
	return usage_error("unknown command '%s'", cmd);
}
