// SPDX-License-Identifier: GPL-2.0-only
/*
 * A memory hog for the CLI's shell tests (cli_*.sh):
 *
 *   cli_hog anon MIB READY   touch MIB of private anonymous memory
 *   cli_hog shm MIB READY    touch MIB of shared anonymous memory (shmem)
 *   cli_hog leak KIB READY   allocate and touch KIB more every second, in
 *                            ten steps
 *   cli_hog oom MIB READY    like anon, for a cgroup too small for it
 *
 * then create the file READY and sleep until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void *touch(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, 0x5a, len);
	return p;
}

static void ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	size_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: cli_hog anon|shm|leak|oom N READY\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "anon") || !strcmp(argv[1], "oom")) {
		touch(n << 20, MAP_PRIVATE);
	} else if (!strcmp(argv[1], "shm")) {
		touch(n << 20, MAP_SHARED);
	} else if (!strcmp(argv[1], "leak")) {
		ready(argv[3]);
		for (;;) {
			touch((n << 10) / 10, MAP_PRIVATE);
			nanosleep(&tick, NULL);
		}
	} else {
		fprintf(stderr, "cli_hog: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	ready(argv[3]);
	for (;;)
		pause();
}
