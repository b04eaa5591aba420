// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm_leaker NAME HOLD_KIB KIB_PER_S: a helper of the reboot test (reboot.sh),
 * not a test. Names itself NAME (its comm), touches HOLD_KIB of anonymous
 * memory at once, then leaks KIB_PER_S more (touched, resident), a tenth
 * (rounded up to whole pages) every 100 ms of CLOCK_MONOTONIC. A starved
 * guest misses beats: they are skipped, not caught up in a burst, so the
 * rate stays smooth, below KIB_PER_S then. What it really did is on stdout: its pid first, then
 * "T_MS KIB" after each beat (the clock of the kernel's time_ms fields, and
 * the KiB leaked so far), from which the true rate over any window follows.
 * KIB_PER_S 0: only hold. Runs until killed (or an allocation fails).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define BEAT_NS	(100 * 1000 * 1000L)

static int touch(size_t bytes)
{
	char *p;

	if (!bytes)
		return 0;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x5a, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec next;
	long long total_kib = 0;
	long hold, rate, page;
	size_t chunk;

	if (argc != 4) {
		fprintf(stderr, "usage: pm_leaker NAME HOLD_KIB KIB_PER_S\n");
		return 2;
	}
	hold = atol(argv[2]);
	rate = atol(argv[3]);
	if (hold < 0 || rate < 0) {
		fprintf(stderr, "pm_leaker: bad size or rate\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	if (touch((size_t)hold * 1024))
		return 1;
	printf("%d\n", (int)getpid());
	fflush(stdout);
	/* Whole pages: what a footprint counts. */
	page = sysconf(_SC_PAGESIZE);
	chunk = ((size_t)rate * 1024 / 10 + page - 1) / page * page;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		struct timespec now;

		next.tv_nsec += BEAT_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (touch(chunk))
			return 1;
		total_kib += chunk / 1024;
		clock_gettime(CLOCK_MONOTONIC, &now);
		printf("%lld %lld\n", now.tv_sec * 1000LL + now.tv_nsec / 1000000,
		       total_kib);
		fflush(stdout);
		/* More than a beat late: start the schedule again from now. */
		if ((now.tv_sec - next.tv_sec) * 1000000000LL +
		    (now.tv_nsec - next.tv_nsec) > BEAT_NS)
			next = now;
	}
}
