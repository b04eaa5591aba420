/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _MEMATTR_HOOKS_H
#define _MEMATTR_HOOKS_H

#include <linux/types.h>

enum memattr_hook_id {
	MEMATTR_HOOK_FORK,
	MEMATTR_HOOK_EXEC,
	MEMATTR_HOOK_EXIT,
	MEMATTR_HOOK_PAGE_ALLOC,
	MEMATTR_HOOK_PAGE_FREE,
	MEMATTR_HOOK_EXIT_MM,
	MEMATTR_HOOK_MMAP,
	MEMATTR_HOOK_MUNMAP,
	MEMATTR_HOOK_BRK,
	MEMATTR_HOOK_MREMAP,
	MEMATTR_HOOK_OOM,
	MEMATTR_HOOK_NR,
};

struct memattr_hook_info {
	const char *name;	/* what it observes */
	const char *kind;	/* "tracepoint", "ftrace", "kprobe" */
	const char *target;	/* tracepoint or symbol attached, or NULL */
	u64 hits;		/* handler runs */
	u64 misses;		/* events the kernel could not hand us */
};

int memattr_hooks_init(void);
void memattr_hooks_exit(void);
void memattr_hooks_info(enum memattr_hook_id id, struct memattr_hook_info *info);

#endif /* _MEMATTR_HOOKS_H */
