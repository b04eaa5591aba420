/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Growth-site profiles (profile.c): who is profiled, sampling in the hooks,
 * and what the outputs copy.
 */
#ifndef _MEMATTR_PROFILE_H
#define _MEMATTR_PROFILE_H

#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/memattr.h>

#include "hooks.h"
#include "ptable.h"

struct memattr_proc;

/* Most processes profiled at once: the upper bound of profile_max. */
#define MEMATTR_PROFILES_MAX		16

/* On while any process is profiled: the hooks cost nothing otherwise. */
DECLARE_STATIC_KEY_FALSE(memattr_profile_on);
/* The pages that may be in a profile's in-use table (profile.c). */
extern struct memattr_pfilter __rcu *memattr_profile_filter;

void memattr_profile_page_alloc_slow(struct memattr_proc *p, struct page *page,
				     unsigned int order, gfp_t gfp);
void memattr_profile_inuse_drop(unsigned long pfn);
void memattr_profile_map_slow(struct memattr_proc *p, enum memattr_hook_id id);
void memattr_profile_task_end_slow(struct task_struct *task, bool exec);

/*
 * The hooks' calls. Each is a static-key branch, patched to a no-op while
 * nothing is profiled. Context: as the hook's (preemption off; the free
 * hook in any context).
 */
static inline void memattr_profile_page_alloc(struct memattr_proc *p,
					      struct page *page,
					      unsigned int order, gfp_t gfp)
{
	if (static_branch_unlikely(&memattr_profile_on))
		memattr_profile_page_alloc_slow(p, page, order, gfp);
}

/*
 * Every page freed on the machine: the filter tells the few that may be
 * in an in-use table, inline, so that the others call nothing.
 */
static inline void memattr_profile_page_free(struct page *page,
					     unsigned int order)
{
	if (static_branch_unlikely(&memattr_profile_on)) {
		struct memattr_pfilter *f;
		unsigned long pfn = page_to_pfn(page);

		f = rcu_dereference_sched(memattr_profile_filter);
		if (f && memattr_pfilter_take(f, pfn))
			memattr_profile_inuse_drop(pfn);
	}
}

static inline void memattr_profile_map(struct memattr_proc *p,
				       enum memattr_hook_id id)
{
	if (static_branch_unlikely(&memattr_profile_on))
		memattr_profile_map_slow(p, id);
}

static inline void memattr_profile_task_end(struct task_struct *task,
					    bool exec)
{
	if (static_branch_unlikely(&memattr_profile_on))
		memattr_profile_task_end_slow(task, exec);
}

/* One stack of a profile, as copied for an output. */
struct memattr_profile_stack_row {
	u8 bucket;			/* enum memattr_stack_bucket */
	u8 depth;			/* frames, 0 for a bucket */
	u64 pages;
	u64 samples;
	u64 map_calls;
	u64 map_bytes;
	u64 inuse;
	u64 frames[MEMATTR_PROFILE_MAX_DEPTH];
};

/* A profile, as copied for an output: stacks first, then the counters. */
struct memattr_profile_snap {
	pid_t tgid;			/* in the initial pid namespace */
	u32 every;
	u64 start_ms;
	bool autostart;
	u64 pages;
	u64 samples;
	u64 throttled;
	u64 other;
	u64 map_calls;
	u64 map_bytes;
	u64 inuse;
	u64 inuse_lost;
	u64 walk_errors;
	u32 nr_stacks;			/* distinct real stacks held */
	u32 max_stacks;
	u64 mem_bytes;
	u32 nr;				/* rows in @rows */
	struct memattr_profile_stack_row rows[];
};

void memattr_profile_init(void);
void memattr_profile_exit(void);
int memattr_profile_start(pid_t tgid, u64 start_ns, u32 every, bool autostart);
int memattr_profile_stop(pid_t tgid, u64 start_ns);
int memattr_profile_snapshot(pid_t tgid, u64 start_ns,
			     struct memattr_profile_snap **snap);
u32 memattr_profile_default_every(void);
void memattr_profile_stats(u32 *nr, u64 *mem_bytes);

#endif /* _MEMATTR_PROFILE_H */
