// SPDX-License-Identifier: GPL-2.0-only
/*
 * pm_leaker NAME HOLD_KIB KIB_PER_S: a helper of the reboot test (reboot.sh),
 * not a test. Names itself NAME (its comm), touches HOLD_KIB of anonymous
 * memory at once, then leaks KIB_PER_S more (touched, resident) on a fixed
 * schedule of 100 ms beats on CLOCK_MONOTONIC: a late beat is caught up, so
 * over any stretch of whole seconds the true rate is KIB_PER_S, however slow
 * the guest. KIB_PER_S 0: only hold. Prints its pid first, then runs until
 * killed (or until an allocation fails).
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
	long hold, rate;
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
	chunk = (size_t)rate * 1024 / 10;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_nsec += BEAT_NS;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		if (touch(chunk))
			return 1;
	}
}
