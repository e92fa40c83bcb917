/*
 * hardening.c - umask and core dumps of the process (see hardening.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "hardening.h"
#include "log.h"

void
hardening_umask(void)
{
	umask(HARDENING_UMASK);
}

int
hardening_core_dumps(int allow)
{
	struct rlimit none = { 0, 0 };

	if (allow) {
		log_warn("core dumps allowed ([log] core_dumps): a dump holds "
		         "opened reports and keys; for debugging only");
		return 0;
	}
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return error("cannot turn core dumps off: %s", strerror(errno));
	/* Also keeps other processes of this user from attaching (ptrace). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return error("cannot make the process non-dumpable: %s",
		             strerror(errno));
	return 0;
}
