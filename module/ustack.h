/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memattr's own user-stack walker (ustack.c): frame pointers from the
 * task's saved user registers, amd64 and arm64.
 */
#ifndef _MEMATTR_USTACK_H
#define _MEMATTR_USTACK_H

#include <linux/types.h>

/*
 * Reads one frame record, {next frame pointer, return address}, at @addr:
 * 0 or a negative errno. Injectable so that KUnit can walk made-up stacks.
 */
typedef int (*memattr_ustack_read_t)(void *ctx, unsigned long addr,
				     unsigned long rec[2]);

/* Where a walk starts: the saved user registers, or a test's. */
struct memattr_ustack_start {
	unsigned long pc;		/* the faulting or calling instruction */
	unsigned long fp;		/* the frame pointer: rbp, x29 */
	unsigned long lr;		/* arm64 x30; 0: none (amd64) */
	unsigned long addr_mask;	/* bits an address keeps (arm64: below
					 * the VA size, PAC and tag cleared)
					 */
};

unsigned int memattr_ustack_walk(const struct memattr_ustack_start *st,
				 memattr_ustack_read_t read, void *ctx,
				 u64 *frames, unsigned int max, bool *cut);
unsigned int memattr_ustack_current(u64 *frames, unsigned int max, bool *cut);

#endif /* _MEMATTR_USTACK_H */
