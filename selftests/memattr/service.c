// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for a long-running service, for `make demo` and the CLI tests.
 *
 *   service leak KB_PER_S     allocate and touch KB_PER_S KiB every second
 *                             and never free it
 *   service steady MIB        keep MIB MiB, and every second allocate,
 *                             touch and free another MIB MiB (a GC-like
 *                             sawtooth that never leaks)
 *
 * Runs until killed. Exit status 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *touch(size_t bytes)
{
	char *p = malloc(bytes);

	if (!p) {
		perror("service: malloc");
		exit(1);
	}
	memset(p, 0x5a, bytes);
	return p;
}

static int usage(void)
{
	fprintf(stderr, "usage: service leak KB_PER_S | service steady MIB\n");
	return 2;
}

int main(int argc, char **argv)
{
	char *end;
	long n;

	if (argc != 3)
		return usage();
	n = strtol(argv[2], &end, 10);
	if (*end || n <= 0 || n > 1024 * 1024)
		return usage();
	/* big blocks: make malloc use mmap, so a free returns memory at once */
	if (!strcmp(argv[1], "leak")) {
		for (;;) {
			touch((size_t)n * 1024);
			sleep(1);
		}
	} else if (!strcmp(argv[1], "steady")) {
		touch((size_t)n << 20);
		for (;;) {
			free(touch((size_t)n << 20));
			sleep(1);
		}
	}
	return usage();
}
