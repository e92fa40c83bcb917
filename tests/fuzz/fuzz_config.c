/*
 * fuzz_config.c - config_load on arbitrary configuration files. The
 * loader reads a path, so each input goes through an anonymous memory
 * file (memfd) opened by its /proc path: no disk, nothing left behind.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "config.h"

static int fd = -1;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	fd = memfd_create("fuzz-config", 0);
	if (fd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf errors = BUF_INIT;
	struct config c;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	config_init(&c);
	config_load(&c, path, &errors);
	config_release(&c);
	buf_release(&errors);
	return 0;
}
