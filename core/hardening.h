/*
 * hardening.h - what the process does to itself before it touches data.
 *
 * Files the program creates (the database, its WAL and shared-memory
 * files, backups, exports, installation.key) must be readable by its own
 * user only, whoever starts it: the systemd unit's UMask=0077 covers the
 * service, not an operator at a shell (issue 15 found the demo's database
 * -rw-r--r--). And a core dump or another process of the same user
 * attaching with ptrace would read opened reports and unwrapped keys out
 * of memory, so both are refused unless [log] core_dumps says this is a
 * debugging session.
 */
#ifndef MELDPUNT_HARDENING_H
#define MELDPUNT_HARDENING_H

/* The umask every created file gets: owner only (0600, folders 0700). */
#define HARDENING_UMASK 0077

/* Set HARDENING_UMASK. Call first, before any file is created. */
void hardening_umask(void);

/*
 * Core dumps and ptrace: off (RLIMIT_CORE 0, PR_SET_DUMPABLE 0) unless
 * allow is 1. 0, or -1 when the kernel refused (logged).
 */
int hardening_core_dumps(int allow);

#endif
