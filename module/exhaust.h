/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Time to exhaustion of a process: at its present growth, how long until
 * the memory it draws on runs out. That is the system's available memory,
 * and the headroom of its memory cgroup under memory.max, its ancestors'
 * limits included, whichever runs out first. Pure logic, no locking, no
 * hook dependencies, so KUnit tests it directly.
 */
#ifndef _MEMATTR_EXHAUST_H
#define _MEMATTR_EXHAUST_H

#include <linux/types.h>

/* A headroom that no limit bounds. */
#define MEMATTR_EXHAUST_NO_LIMIT	U64_MAX

u64 memattr_exhaust_headroom_kb(u64 headroom_kb, u64 limit_kb, u64 usage_kb);
s64 memattr_exhaust_proc_s(u64 available_kb, u64 cg_headroom_kb,
			   s64 slope_kb_per_hour);

#endif /* _MEMATTR_EXHAUST_H */
