// SPDX-License-Identifier: GPL-2.0-only
/*
 * mt_leaker KIB_PER_S SECONDS: a helper for the CLI's shell tests, not a
 * test. Leaks anonymous memory at a steady KIB_PER_S, a tenth of it every
 * 100 ms (touched, so it is resident), for SECONDS, then exits. Prints its
 * pid first, so a script can follow it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	long kib, secs, i;
	size_t chunk;
	char *p;

	if (argc != 3) {
		fprintf(stderr, "usage: mt_leaker KIB_PER_S SECONDS\n");
		return 2;
	}
	kib = atol(argv[1]);
	secs = atol(argv[2]);
	if (kib < 10 || secs < 1) {
		fprintf(stderr, "mt_leaker: bad rate or duration\n");
		return 2;
	}
	chunk = (size_t)kib * 1024 / 10;
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (i = 0; i < secs * 10; i++) {
		p = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		memset(p, 0x5a, chunk);
		nanosleep(&tick, NULL);
	}
	return 0;
}
