/*
 * main.c - the meldpunt command: one program for operators.
 *
 *   meldpunt [--data DIR] init [--admin NAME]
 *   meldpunt [--data DIR] serve [--listen ADDR] [--port N]
 *   meldpunt [--data DIR] audit-verify
 *   meldpunt [--data DIR] keyring rotate NAME   (recovery key on stdin)
 *   meldpunt [--data DIR] recovery-key rotate   (recovery key on stdin)
 *   meldpunt [--data DIR] reports split         (recovery key on stdin)
 *   meldpunt config check FILE | config example
 *   meldpunt [--data DIR] backup FILE
 *   meldpunt [--data DIR] purge [--dry-run]
 *   meldpunt [--data DIR] hold CASE-NUMBER on|off --reason TEXT
 *   meldpunt restore-check FILE
 *   meldpunt workflow check FILE...
 *   meldpunt [--data DIR] handoff key
 *   meldpunt [--data DIR] handoff verify FILE [--key PEM] [--passphrase-file F]
 *   meldpunt --help | --version
 *
 * Every command also takes --config FILE (before the command): the
 * configuration file (core/config.h). Options on the command line win over
 * the file; the file's [data] dir wins over $MELDPUNT_DATA.
 *
 * Each command opens the installation it needs, does its work and says in
 * plain words what went wrong and what to do about it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "calendar.h"
#include "casenumber.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "hardening.h"
#include "install.h"
#include "keys.h"
#include "log.h"
#include "package.h"
#include "retention.h"
#include "rotate.h"
#include "split.h"
#include "server.h"
#include "users.h"
#include "zone.h"
#include "workflow.h"
#include "workflow_fields.h"

#define DATA_DIR_DEFAULT "meldpunt-data"

/*
 * The configuration of this run: defaults, then --config FILE. File scope
 * because it lives as long as the process and every command reads it.
 */
static struct config conf;

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
	"  audit-verify            check the audit log's hash chain and its\n"
	"                          signed checkpoints; names the first row\n"
	"                          that does not fit, or where it was cut.\n"
	"  config check FILE       check a configuration file: names every\n"
	"                          unknown key or bad value with its line.\n"
	"  config example          print a configuration file with every key,\n"
	"                          its default and its limits.\n"
	"  keyring rotate NAME     give keyring NAME a new key pair: every\n"
	"                          report re-sealed, members' copies replaced,\n"
	"                          the old key destroyed. Reads the recovery\n"
	"                          key from stdin; run it again to resume.\n"
	"  recovery-key rotate     make a new recovery key (the old one on\n"
	"                          stdin) and print it once.\n"
	"  reports split           give reports stored before the reporter's\n"
	"                          identity had an envelope of its own that\n"
	"                          envelope, content sealed again under a new\n"
	"                          key. Reads the recovery key from stdin;\n"
	"                          run it again to resume.\n"
	"  backup FILE             copy the database to FILE while the server\n"
	"                          keeps running (one consistent snapshot).\n"
	"  purge [--dry-run]       destroy the reports whose retention has\n"
	"                          passed (not those on legal hold);\n"
	"                          --dry-run lists them and changes nothing.\n"
	"  hold ID on|off --reason TEXT\n"
	"                          set or lift the legal hold of report ID\n"
	"                          (a short reason without names).\n"
	"  restore-check FILE      check a copy read-only: integrity, foreign\n"
	"                          keys, audit chain, counts; exit 1 on a\n"
	"                          problem.\n"
	"  workflow check FILE...  check workflow files (schema/workflows/):\n"
	"                          names every error with its line.\n"
	"  handoff key             print the installation's hand-off public\n"
	"                          key (PEM) and its fingerprint, for partners.\n"
	"  handoff verify FILE [--key PEM] [--passphrase-file F]\n"
	"                          check a hand-off package: its passphrase\n"
	"                          from F, $MELDPUNT_HANDOFF_PASSPHRASE or\n"
	"                          stdin; the key of this installation, or of\n"
	"                          PEM. Exit 1 when any byte was changed.\n"
	"\n"
	"Options:\n"
	"  --config FILE           read settings from FILE (see README);\n"
	"                          command-line options win over it\n"
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
	return users_pwhash();
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

/*
 * Point stderr, where every log line goes, at the configured log file.
 * dup2 swaps the descriptor in one step, so a line written meanwhile by
 * another thread lands whole in the old file or the new one. Used at start
 * and on SIGHUP, after logrotate moved the file away.
 */
static int
open_log_file(void)
{
	int fd;

	if (!conf.log_file[0])
		return 0;
	fd = open(conf.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return error("cannot open the log file %s: %s", conf.log_file,
		             strerror(errno));
	if (dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return error("cannot use the log file %s: %s", conf.log_file,
		             strerror(errno));
	}
	close(fd);
	return 0;
}

static int
cmd_serve(const char *dir, int argc, char **argv)
{
	struct server_config cfg = {
		.listen = conf.listen,
		.port = conf.port,
		.limits = conf.limits,
		.tls_certificate = conf.tls_certificate,
		.tls_key = conf.tls_key,
		.shutdown_grace = conf.shutdown_grace,
		.config = &conf,
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

	/*
	 * Block the stop signals and SIGHUP in every thread; only sigwait
	 * sees them, so no handler runs inside a request.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (open_log_file() < 0)
		goto out;
	if (install_open(dir, 0, &inst) < 0)
		goto out;
	if (server_start(&srv, inst, &cfg) < 0)
		goto out;
	printf("meldpunt: serving %s://%s%s%s:%u/ (Ctrl-C stops)\n",
	       server_tls(srv) ? "https" : "http",
	       strchr(cfg.listen, ':') ? "[" : "", cfg.listen,
	       strchr(cfg.listen, ':') ? "]" : "", server_port(srv));
	fflush(stdout);
	log_info("meldpunt %s serving", MELDPUNT_VERSION);
	for (;;) {
		if (sigwait(&stop, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		/* A failed reopen keeps the old file: logging goes on. */
		if (open_log_file() == 0)
			log_info("log reopened on SIGHUP");
	}
	log_info("stopping on signal %d: finishing requests in flight", sig);
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
	struct audit_check c;
	int ret;

	(void)argv;
	if (argc)
		return usage_error("audit-verify: unexpected '%s'", argv[0]);
	if (install_open(dir, DB_READONLY, &inst) < 0)
		return 1;
	if (install_verify_audit(inst, &c) == 0) {
		printf("audit log intact: %lld rows, %lld signed checkpoints",
		       (long long)c.rows, (long long)c.checkpoints);
		/* To compare with the witness lines in the server's log. */
		if (c.last_checkpoint)
			printf(", the latest at row %lld",
			       (long long)c.last_checkpoint);
		printf("\n");
		ret = 0;
	} else {
		printf("audit log broken at row %lld: %s\n",
		       (long long)c.bad_row, c.problem);
		ret = 1;
	}
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

/* Progress of a long backup on stderr, every tenth. */
static void
backup_progress(void *arg, int done, int total)
{
	int *last = arg, tenth = total > 0 ? done * 10 / total : 10;

	if (total <= BACKUP_PAGES_PER_STEP || tenth == *last)
		return;
	*last = tenth;
	fprintf(stderr, "meldpunt: backup %d%% (%d of %d pages)\n", tenth * 10,
	        done, total);
}

/*
 * Read the recovery key from stdin (typed, or piped from a safe place):
 * never from the command line, where ps and the shell history see it.
 */
static int
read_recovery(const char *prompt, struct secret **sk)
{
	char line[256];
	int ret;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "%s: ", prompt);
	if (!fgets(line, sizeof(line), stdin))
		return error("no recovery key on stdin");
	line[strcspn(line, "\r\n")] = '\0';
	ret = rotate_recovery_parse(line, sk);
	crypto_wipe(line, sizeof(line));
	if (ret < 0)
		return error("that is not a recovery key (52 characters in "
		             "groups of four, as printed at init)");
	return 0;
}

/* The whole file at path appended to b (an operator's own file). 0 or -1. */
static int
read_whole(const char *path, struct buf *b)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	int bad;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	bad = ferror(f);
	fclose(f);
	crypto_wipe(chunk, sizeof(chunk));
	return bad ? -1 : 0;
}

/* The hand-off key of the installation at dir. 0 or -1. */
static int
handoff_key_of(const char *dir, struct package_key *key)
{
	struct installation *inst;
	int ret;

	if (install_open(dir, DB_READONLY, &inst) < 0)
		return -1;
	ret = package_key_of(inst->secret, key);
	if (install_close(inst) < 0)
		ret = -1;
	return ret;
}

/*
 * The passphrase of a package: from file, else the environment, else a
 * line of stdin; never from the command line, where ps sees it. 0 or -1.
 */
static int
handoff_passphrase(const char *file, char *out, size_t size)
{
	const char *env = getenv("MELDPUNT_HANDOFF_PASSPHRASE");
	FILE *f = stdin;
	int ok;

	if (!file && env && *env) {
		if (strlen(env) >= size)
			return error("MELDPUNT_HANDOFF_PASSPHRASE is too long");
		memcpy(out, env, strlen(env) + 1);
		return 0;
	}
	if (file && !(f = fopen(file, "r")))
		return error("cannot open %s: %s", file, strerror(errno));
	if (!file && isatty(STDIN_FILENO))
		fprintf(stderr, "passphrase of the package: ");
	ok = fgets(out, (int)size, f) != NULL;
	if (file)
		fclose(f);
	if (!ok)
		return error("no passphrase given (file, "
		             "MELDPUNT_HANDOFF_PASSPHRASE or stdin)");
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int
cmd_handoff(const char *dir, int argc, char **argv)
{
	const char *file = NULL, *keyfile = NULL, *passfile = NULL;
	struct buf zip = BUF_INIT, pem = BUF_INIT, problem = BUF_INIT;
	struct package_key key;
	char pass[256];
	size_t entries = 0;
	int i, ret = 1, v;

	if (argc == 1 && strcmp(argv[0], "key") == 0) {
		if (handoff_key_of(dir, &key) < 0)
			return 1;
		printf("Hand-off public key of this installation (give it to\n"
		       "partners once, by a channel they trust):\n\n%s\n"
		       "Fingerprint (SHA-256 of the key's DER form):\n%s\n",
		       key.pem, key.fingerprint);
		return 0;
	}
	if (argc < 2 || strcmp(argv[0], "verify") != 0)
		return usage_error("%s", "handoff: use 'handoff key' or "
		                   "'handoff verify FILE'");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			keyfile = argv[++i];
		else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc)
			passfile = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return usage_error("handoff verify: unexpected '%s'",
			                   argv[i]);
	}
	if (!file)
		return usage_error("%s", "handoff verify: which FILE?");
	if (keyfile) {
		if (read_whole(keyfile, &pem) < 0 ||
		    package_key_parse(pem.data, pem.len, &key) < 0) {
			fprintf(stderr, "meldpunt: %s holds no Ed25519 public "
			        "key in PEM form\n", keyfile);
			goto out;
		}
	} else if (handoff_key_of(dir, &key) < 0) {
		goto out;
	}
	if (read_whole(file, &zip) < 0) {
		fprintf(stderr, "meldpunt: cannot read %s\n", file);
		goto out;
	}
	if (handoff_passphrase(passfile, pass, sizeof(pass)) < 0)
		goto out;
	v = package_verify(zip.data, zip.len, pass[0] ? pass : NULL, key.pk,
	                   &problem, &entries);
	crypto_wipe(pass, sizeof(pass));
	if (v == 0) {
		printf("%s: intact, signed by the key with fingerprint %s; "
		       "%zu entries match the manifest\n", file, key.fingerprint,
		       entries);
		ret = 0;
	} else {
		printf("%s: NOT intact: %s\n", file, problem.data);
	}
out:
	buf_wipe_release(&zip);
	buf_release(&pem);
	buf_release(&problem);
	return ret;
}

static int
cmd_keyring(const char *dir, int argc, char **argv)
{
	struct installation *inst = NULL;
	struct rotate_progress p;
	struct secret *rsk = NULL;
	int ret = 1;

	if (argc != 2 || strcmp(argv[0], "rotate") != 0)
		return usage_error("%s", "keyring: use 'keyring rotate NAME'");
	if (read_recovery("recovery key", &rsk) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0)
		goto out;
	if (rotate_keyring(inst, argv[1], rsk, 0, &p) != 0) {
		fprintf(stderr, "meldpunt: the rotation of keyring %s did not "
		        "finish; what is done stays done: run the same command "
		        "again to resume\n", argv[1]);
		goto out;
	}
	printf("keyring %s has a new key%s: %lld envelope(s) re-sealed, "
	       "%lld member copy(ies) replaced; the old key is destroyed.\n"
	       "Members who are logged in log in again.\n", argv[1],
	       p.resumed ? " (resumed)" : "", (long long)p.resealed,
	       (long long)p.members);
	ret = 0;
out:
	secret_free(rsk);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

/* One line per batch: the operator sees it move. */
static void
split_progress_line(const struct split_progress *p, void *arg)
{
	(void)arg;
	fprintf(stderr, "meldpunt: reports split: %lld of %lld\n",
	        (long long)(p->split + p->skipped), (long long)p->total);
}

static int
cmd_reports(const char *dir, int argc, char **argv)
{
	struct installation *inst = NULL;
	struct split_progress p;
	struct secret *rsk = NULL;
	int ret = 1;

	if (argc != 1 || strcmp(argv[0], "split") != 0)
		return usage_error("%s", "reports: use 'reports split'");
	if (read_recovery("recovery key", &rsk) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0 || forms_load() < 0)
		goto out;
	if (split_reports(inst, rsk, conf.limits.field_max, 0,
	                  split_progress_line, NULL, &p) != 0) {
		fprintf(stderr, "meldpunt: the split did not finish; what is "
		        "done stays done: run the same command again to "
		        "resume\n");
		goto out;
	}
	printf("%lld report(s) split: identity in an envelope of its own, "
	       "content sealed again under a new key%s.\n", (long long)p.split,
	       p.skipped ? " (some left as they were: see the messages "
	       "above)" : "");
	ret = p.skipped ? 1 : 0;
out:
	forms_free();
	secret_free(rsk);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

static int
cmd_recovery_key(const char *dir, int argc, char **argv)
{
	char text[ROTATE_RECOVERY_TEXT_LEN + 1];
	struct installation *inst = NULL;
	struct secret *rsk = NULL;
	int ret = 1;

	if (argc != 1 || strcmp(argv[0], "rotate") != 0)
		return usage_error("%s", "recovery-key: use 'recovery-key rotate'");
	if (read_recovery("current recovery key", &rsk) < 0)
		return 1;
	if (install_open(dir, 0, &inst) < 0)
		goto out;
	if (rotate_recovery(inst, rsk, text) < 0) {
		fprintf(stderr, "meldpunt: nothing was changed; the current "
		        "recovery key stays valid\n");
		goto out;
	}
	printf("NEW RECOVERY KEY (shown only now; print it and keep it "
	       "offline;\nthe old one no longer opens anything):\n\n"
	       "    %s\n\n", text);
	fflush(stdout);
	crypto_wipe(text, sizeof(text));
	ret = 0;
out:
	secret_free(rsk);
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

static int
cmd_backup(const char *dir, int argc, char **argv)
{
	struct installation *inst = NULL;
	int last = 0, ret = 1;

	if (argc != 1 || argv[0][0] == '-')
		return usage_error("%s", "backup: give the file to write, e.g. "
		                   "'meldpunt backup /backup/meldpunt-2026-11-29.db'");
	/* No migration: a backup changes nothing but the audit log. */
	if (install_open(dir, DB_NO_MIGRATE, &inst) < 0)
		goto out;
	if (backup_write(inst, argv[0], backup_progress, &last) < 0)
		goto out;
	printf("backup written to %s\n"
	       "Check it with 'meldpunt restore-check %s'. It is worth nothing\n"
	       "without %s/%s (kept apart from it) and the printed recovery key.\n",
	       argv[0], argv[0], dir, INSTALL_SECRET_FILE);
	ret = 0;
out:
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

/*
 * Who runs a command, for the audit log: "cli:" and the name of the
 * effective user (not $USER, which the caller sets), else the uid.
 */
static void
cli_actor(char *out, size_t size)
{
	const struct passwd *pw = getpwuid(geteuid());

	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(out, size, "cli:%s", pw->pw_name);
	else
		snprintf(out, size, "cli:uid %u", (unsigned)geteuid());
}

/* Progress of a long purge on stderr. */
static void
purge_progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "meldpunt: purge: %zu of %zu expired reports "
	        "destroyed\n", done, total);
}

static int
cmd_purge(const char *dir, int argc, char **argv)
{
	struct installation *inst = NULL;
	struct workflows *wfs = NULL;
	struct buf errs = BUF_INIT;
	struct retention_plan plan = { NULL, 0, 0 };
	struct retention_result res;
	char actor[96];
	int dry_run = 0, i, ret = 1;
	size_t k;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else
			return usage_error("purge: unknown option '%s'", argv[i]);
	}
	if (workflows_load_installation(dir, &wfs, &errs) < 0) {
		fprintf(stderr, "%s", errs.data);
		goto out;
	}
	/* A dry run opens read-only: it cannot change anything. */
	if (install_open(dir, dry_run ? DB_READONLY : 0, &inst) < 0)
		goto out;
	if (dry_run) {
		if (retention_plan(inst, wfs, conf.retention_days, clock_now(),
		                   &plan) < 0)
			goto out;
		for (k = 0; k < plan.n; k++) {
			const struct retention_item *it = &plan.items[k];
			char cn[CASE_NUMBER_LEN + 1];

			if (!case_label(inst->db, it->id, cn))
				goto out;
			printf("%s report %s (%s, %s since %s, kept %d days)%s\n",
			       it->held ? "keep " : "purge", cn,
			       report_type_name(it->type),
			       it->state, it->since, it->days,
			       it->held ? ": on legal hold" : "");
		}
		printf("dry run: %zu reports would be purged, %zu kept on "
		       "legal hold; nothing was changed\n", plan.n - plan.held,
		       plan.held);
		ret = 0;
		goto out;
	}
	cli_actor(actor, sizeof(actor));
	{
		struct retention_options opt = {
			.actor = actor,
			.progress = purge_progress,
			.always_summary = 1,
		};

		if (retention_purge(inst, wfs, conf.retention_days, clock_now(),
		                    &opt, &res) < 0) {
			fprintf(stderr, "meldpunt: the purge stopped after %zu "
			        "reports (each destroyed whole); run it again\n",
			        res.purged);
			goto out;
		}
	}
	printf("purged %zu reports, %zu kept on legal hold%s\n", res.purged,
	       res.held, res.compacted ? "; the database file was compacted"
	                               : "");
	ret = 0;
out:
	retention_plan_release(&plan);
	if (install_close(inst) < 0)
		ret = 1;
	workflows_free(wfs);
	buf_release(&errs);
	return ret;
}

static int
cmd_hold(const char *dir, int argc, char **argv)
{
	struct installation *inst = NULL;
	const char *reason = NULL;
	char actor[96], number[CASE_NUMBER_LEN + 1];
	int64_t id = 0;
	int on, rc, ret = 1;

	if (argc != 4 || strcmp(argv[2], "--reason") != 0)
		return usage_error("%s", "hold: use 'hold CASE-NUMBER on|off "
		                   "--reason TEXT'");
	/* The number staff see (2026-K7QM-3P), never the row. */
	if (case_number_parse(argv[0], number) < 0)
		return usage_error("hold: '%s' is not a case number (such as "
		                   "2026-K7QM-3P)", argv[0]);
	if (strcmp(argv[1], "on") == 0)
		on = 1;
	else if (strcmp(argv[1], "off") == 0)
		on = 0;
	else
		return usage_error("hold: say 'on' or 'off', not '%s'", argv[1]);
	reason = argv[3];
	if (!retention_reason_valid(reason))
		return usage_error("hold: the reason must be one line of at most "
		                   "%d bytes; name no one in it", RETENTION_REASON_MAX);
	if (install_open(dir, 0, &inst) < 0)
		goto out;
	cli_actor(actor, sizeof(actor));
	rc = case_number_find(inst->db, number, &id);
	if (rc == 0)
		rc = retention_hold_set(inst, id, on, actor, reason);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		fprintf(stderr, "meldpunt: there is no report %s\n", number);
		goto out;
	}
	printf("legal hold %s for report %s\n", on ? "set" : "lifted", number);
	ret = 0;
out:
	if (install_close(inst) < 0)
		ret = 1;
	return ret;
}

static int
cmd_restore_check(int argc, char **argv)
{
	struct backup_check c;
	int ret;

	if (argc != 1 || argv[0][0] == '-')
		return usage_error("%s", "restore-check: give the backup file");
	ret = backup_check(argv[0], &c);
	if (ret == 0)
		printf("%s: schema version %d\n"
		       "reports: %lld, users: %lld, keyrings: %lld, "
		       "audit rows: %lld\n", argv[0], c.schema,
		       (long long)c.reports, (long long)c.users,
		       (long long)c.keyrings, (long long)c.audit_rows);
	printf("%s", c.report.data);
	if (ret == 0 && c.problems == 0)
		printf("integrity, foreign keys and audit chain: ok\n"
		       "%s can be restored\n", argv[0]);
	else
		printf("%s can NOT be restored: %d problem(s)\n", argv[0],
		       c.problems);
	ret = ret == 0 && c.problems == 0 ? 0 : 1;
	backup_check_release(&c);
	return ret;
}

/* Read a configuration file over the defaults; problems go to stderr. */
static int
load_config(const char *path)
{
	struct buf errors = BUF_INIT;
	int ret = config_load(&conf, path, &errors);

	if (ret < 0)
		fprintf(stderr, "%s", errors.data);
	buf_release(&errors);
	return ret;
}

/* A configuration file with every key commented out at its default. */
static void
print_example(void)
{
	const struct config_key *keys;
	const char *section = "";
	size_t n, i;

	keys = config_keys(&n);
	printf("# Meldpunt configuration: every key, at its default.\n"
	       "# Remove the '# ' before a key to change it.\n");
	for (i = 0; i < n; i++) {
		if (strcmp(section, keys[i].section) != 0) {
			section = keys[i].section;
			printf("\n[%s]\n", section);
		}
		printf("# %s", keys[i].help);
		switch (keys[i].type) {
		case CONFIG_UINT: case CONFIG_SIZE: case CONFIG_PORT:
			printf(" (%llu to %llu)", keys[i].min, keys[i].max);
			break;
		default:
			break;
		}
		printf("\n# %s = %s\n", keys[i].name, keys[i].def);
	}
}

static int
cmd_config(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[0], "check") == 0) {
		if (load_config(argv[1]) < 0) {
			fprintf(stderr, "meldpunt: %s is not valid; nothing was "
			        "started\n", argv[1]);
			return 1;
		}
		printf("%s: the configuration is valid\n", argv[1]);
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "example") == 0) {
		print_example();
		return 0;
	}
	return usage_error("%s", "config: use 'config check FILE' or "
	                   "'config example'");
}

/*
 * Check workflow files as the server would load them; errors to stderr.
 * A file that loads is compared with the built-in workflow of its type:
 * a field the built-in file requires (or types) that the file lacks is a
 * warning on stderr, "FILE: warning: ...", and the file still passes.
 */
static int
cmd_workflow(int argc, char **argv)
{
	struct workflow *wf, *base;
	int i, ret = 0;

	if (argc < 2 || strcmp(argv[0], "check") != 0)
		return usage_error("%s", "workflow: use 'workflow check FILE...'");
	for (i = 1; i < argc; i++) {
		struct buf errors = BUF_INIT, warnings = BUF_INIT;
		const char *p, *nl;
		size_t typed = 0, j;

		if (workflow_load_file(argv[i], &wf, &errors) < 0) {
			fprintf(stderr, "%s", errors.data);
			ret = 1;
			buf_release(&errors);
			continue;
		}
		for (j = 0; j < workflow_transition_count(wf); j++) {
			const struct workflow_transition *t =
				workflow_transition_at(wf, j);
			size_t k;

			for (k = 0; k < t->nfields; k++)
				typed += workflow_field_def(wf, t->fields[k]) != NULL;
		}
		printf("%s: ok (%zu states, %zu transitions, %zu typed fields, "
		       "%zu rules)\n", argv[i], workflow_state_count(wf),
		       workflow_transition_count(wf), typed,
		       workflow_rule_count(wf));
		if (workflow_load_default(workflow_type(wf), &base, NULL) == 0) {
			workflow_fields_missing(base, wf, &warnings);
			workflow_free(base);
		}
		for (p = warnings.data; p && *p; p = nl + 1) {
			nl = strchr(p, '\n');
			fprintf(stderr, "%s: warning: %.*s\n", argv[i],
			        (int)(nl - p), p);
		}
		workflow_free(wf);
		buf_release(&warnings);
		buf_release(&errors);
	}
	return ret;
}

int
main(int argc, char **argv)
{
	const char *dir = NULL, *config_path = NULL;
	const char *cmd;
	int i = 1;

	/* Before anything is created: every file owner-only (hardening.h). */
	hardening_umask();
	config_init(&conf);
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
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[i + 1];
			i += 2;
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return usage_error("%s", "no command given");
	cmd = argv[i++];
	/* These read no configuration, so no debug setting allows dumps. */
	if ((strcmp(cmd, "config") == 0 || strcmp(cmd, "restore-check") == 0 ||
	     strcmp(cmd, "workflow") == 0) && hardening_core_dumps(0) < 0)
		return 1;
	if (strcmp(cmd, "config") == 0)
		return cmd_config(argc - i, argv + i);
	if (strcmp(cmd, "restore-check") == 0)
		return cmd_restore_check(argc - i, argv + i);
	if (strcmp(cmd, "workflow") == 0)
		return cmd_workflow(argc - i, argv + i);
	if (config_path && load_config(config_path) < 0) {
		fprintf(stderr, "meldpunt: fix %s (check it with 'meldpunt config "
		        "check %s'); nothing was started\n", config_path,
		        config_path);
		return 1;
	}
	log_set_level(conf.log_level);
	if (hardening_core_dumps(conf.core_dumps) < 0)
		return 1;
	/* Before any thread starts: zone_set sets TZ (zone.h). */
	if (zone_set(conf.timezone) < 0) {
		fprintf(stderr, "meldpunt: unknown time zone '%s'\n", conf.timezone);
		return 1;
	}
	calendar_use(&conf.calendar);
	/*
	 * A command run by hand says what it did on stdout; its info lines
	 * (one per audit row, among others) are for the server's log.
	 */
	if (strcmp(cmd, "serve") != 0 && conf.log_level == LOG_INFO)
		log_set_level(LOG_WARN);
	/* --data, then the file's [data] dir, then $MELDPUNT_DATA. */
	if (!dir && conf.data_dir[0])
		dir = conf.data_dir;
	if (!dir)
		dir = getenv("MELDPUNT_DATA");
	if (!dir || !*dir)
		dir = DATA_DIR_DEFAULT;
	if (strcmp(cmd, "init") == 0)
		return cmd_init(dir, argc - i, argv + i);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(dir, argc - i, argv + i);
	if (strcmp(cmd, "audit-verify") == 0)
		return cmd_audit_verify(dir, argc - i, argv + i);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(dir, argc - i, argv + i);
	if (strcmp(cmd, "keyring") == 0)
		return cmd_keyring(dir, argc - i, argv + i);
	if (strcmp(cmd, "recovery-key") == 0)
		return cmd_recovery_key(dir, argc - i, argv + i);
	if (strcmp(cmd, "reports") == 0)
		return cmd_reports(dir, argc - i, argv + i);
	if (strcmp(cmd, "purge") == 0)
		return cmd_purge(dir, argc - i, argv + i);
	if (strcmp(cmd, "hold") == 0)
		return cmd_hold(dir, argc - i, argv + i);
	if (strcmp(cmd, "handoff") == 0)
		return cmd_handoff(dir, argc - i, argv + i);
	return usage_error("unknown command '%s'", cmd);
}
