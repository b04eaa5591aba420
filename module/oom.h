/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OOM kills: the victim as it was, and the top growers at that moment. The
 * last MEMATTR_OOM_REPORTS reports are kept (debugfs `oom`, GET_OOM).
 */
#ifndef _MEMATTR_OOM_H
#define _MEMATTR_OOM_H

#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define MEMATTR_OOM_REPORTS	8
#define MEMATTR_OOM_TOP		3
#define MEMATTR_OOM_HIST	16
#define MEMATTR_CGROUP_PATH_LEN	256

struct memattr_oom_grower {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	s64 growth_kb_per_hour;
	u64 rss_kb;
};

/*
 * A report. Its first part, struct memattr_oom_kill (@kill), is what an
 * OOM_KILL event and the post-mortem report tell; the history is only in
 * the reports ring (debugfs `oom`, GET_OOM).
 */
struct memattr_oom_report {
	/* What an OOM_KILL event tells: all but the history. */
	struct_group_tagged(memattr_oom_kill, kill, u64 time_ms; /* CLOCK_MONOTONIC */
		pid_t pid;			/* the victim */
		char comm[TASK_COMM_LEN];
		char cgroup[MEMATTR_CGROUP_PATH_LEN];
		u64 rss_kb;			/* read at the kill */
		u32 nr_top;
		struct memattr_oom_grower top[MEMATTR_OOM_TOP];	/* fastest first */
	);
	u32 nr_hist;
	struct {
		u64 t_ms;
		u32 kb;
	} hist[MEMATTR_OOM_HIST];	/* its recent footprint, oldest first */
};

/**
 * memattr_oom_top_insert() - keep the fastest growers, fastest first
 * @top: MEMATTR_OOM_TOP places, the first *@nr in use, in order
 * @nr: how many are in use
 * @g: a candidate
 *
 * A candidate as fast as one already kept goes after it: the first seen
 * stays ahead.
 */
static inline void memattr_oom_top_insert(struct memattr_oom_grower *top,
					  u32 *nr,
					  const struct memattr_oom_grower *g)
{
	u32 i;

	for (i = *nr; i > 0 && top[i - 1].growth_kb_per_hour <
			       g->growth_kb_per_hour; i--)
		if (i < MEMATTR_OOM_TOP)
			top[i] = top[i - 1];
	if (i < MEMATTR_OOM_TOP) {
		top[i] = *g;
		if (*nr < MEMATTR_OOM_TOP)
			(*nr)++;
	}
}

int memattr_oom_init(void);
void memattr_oom_exit(void);
void memattr_oom_record(const struct memattr_oom_report *r);
int memattr_oom_snapshot(struct memattr_oom_report **reports, u32 *nr);
bool memattr_oom_last(struct memattr_oom_report *r);
bool memattr_oom_last_panic(struct memattr_oom_report *r);

#endif /* _MEMATTR_OOM_H */
