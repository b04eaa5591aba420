// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time to exhaustion of a process (see exhaust.h).
 */
#include <linux/kernel.h>
#include <linux/limits.h>

#include "exhaust.h"
#include "leak.h"

/**
 * memattr_exhaust_headroom_kb() - a headroom, bounded by one more limit
 * @headroom_kb: the headroom so far (MEMATTR_EXHAUST_NO_LIMIT: none yet)
 * @limit_kb: a memory cgroup's memory.max, KiB; U64_MAX: none
 * @usage_kb: that cgroup's usage, KiB
 *
 * A process's growth is charged to its cgroup and to every ancestor, so
 * the room it has is the least of (limit - usage) along that path. A
 * cgroup over its limit (usage can pass memory.max briefly) has none.
 *
 * Return: min(@headroom_kb, @limit_kb - @usage_kb, at least 0).
 */
u64 memattr_exhaust_headroom_kb(u64 headroom_kb, u64 limit_kb, u64 usage_kb)
{
	if (limit_kb == U64_MAX)
		return headroom_kb;
	return min(headroom_kb, limit_kb - min(limit_kb, usage_kb));
}

/**
 * memattr_exhaust_proc_s() - a process's time to exhaustion
 * @available_kb: the system's MemAvailable, KiB
 * @cg_headroom_kb: the headroom of its memory cgroup and its ancestors
 *	(memattr_exhaust_headroom_kb()); MEMATTR_EXHAUST_NO_LIMIT: none
 * @slope_kb_per_hour: its footprint's growth, KiB/h
 *
 * Return: seconds until the smaller of the two headrooms is used at
 * @slope_kb_per_hour, at most MEMATTR_LEAK_EXHAUST_MAX_S; -1 (none) when
 * the slope is not positive.
 */
s64 memattr_exhaust_proc_s(u64 available_kb, u64 cg_headroom_kb,
			   s64 slope_kb_per_hour)
{
	return memattr_leak_exhaust_s(min(available_kb, cg_headroom_kb),
				      slope_kb_per_hour);
}
