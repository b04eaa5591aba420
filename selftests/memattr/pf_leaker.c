// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C leaker of the growth-site profile tests (profile.sh): on SIGUSR1,
 * leak_here() grows 64 MiB (64 blocks of 1 MiB, kept, each page written)
 * while churn() mallocs, writes and frees ten times as much (40 blocks of
 * 256 KiB per MiB leaked, 640 MiB in all); then it prints "done" and
 * waits to be killed. Built with -fno-omit-frame-pointer, so the kernel's
 * walker sees the callers, and -fno-inline, so leak_here(), churn() and
 * touch() stay functions of their own (noinline).
 *
 *   pf_leaker [nothp]    nothp: PR_SET_THP_DISABLE first
 *
 * The allocator is pinned so the figures do not hang on glibc's dynamic
 * thresholds: 1 MiB blocks are mmap()ed (fresh pages, first touched in
 * leak_here()), 256 KiB ones come from the heap, which is not trimmed, so
 * churn() reuses the same pages: ten times the volume, a few pages of
 * first touch. That is what a first-touch profile shows; see README.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/prctl.h>

#define MIB		(1024 * 1024)
#define LEAK_BLOCKS	64		/* of 1 MiB */
#define CHURN_BLOCK	(256 * 1024)
#define CHURN_PER_MIB	40		/* 10 MiB churned per MiB leaked */
#define PAGE		4096

static void *kept[LEAK_BLOCKS];

/* One page written at a time: the fault's instruction is here. */
static void touch(char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += PAGE)
		p[off] = 1;
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static void leak_here(unsigned int i)
{
	char *p = malloc(MIB);
	size_t off;

	if (!p)
		abort();
	for (off = 0; off < MIB; off += PAGE)
		p[off] = (char)i;
	__asm__ __volatile__("" : : "r"(p) : "memory");
	kept[i] = p;
}

static void churn(void)
{
	unsigned int i;
	char *p;

	for (i = 0; i < CHURN_PER_MIB; i++) {
		p = malloc(CHURN_BLOCK);
		if (!p)
			abort();
		touch(p, CHURN_BLOCK);
		free(p);
	}
}

int main(int argc, char **argv)
{
	sigset_t usr1;
	unsigned int i;
	int sig;

	if (argc > 1 && !strcmp(argv[1], "nothp") &&
	    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)) {
		perror("pf_leaker: PR_SET_THP_DISABLE");
		return 1;
	}
	if (!mallopt(M_MMAP_THRESHOLD, 512 * 1024) ||
	    !mallopt(M_TRIM_THRESHOLD, 64 * MIB)) {
		fprintf(stderr, "pf_leaker: mallopt failed\n");
		return 1;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&usr1, &sig))
		return 1;
	for (i = 0; i < LEAK_BLOCKS; i++) {
		leak_here(i);
		churn();
	}
	printf("done\n");
	fflush(stdout);
	for (;;)
		pause();
}
