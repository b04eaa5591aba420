/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The post-mortem report's content: a small snapshot the sampler drafts
 * each tick (the top processes and cgroups, the system row) and the
 * formatter that turns it, with the last OOM report, into kernel log lines
 * ("report=..." key=value fields, the UAPI header's "Post-mortem report").
 * Pure logic, no locking of its own, so KUnit tests it directly; the panic
 * notifier and the on-demand copy live in postmortem.c.
 */
#ifndef _MEMATTR_REPORT_H
#define _MEMATTR_REPORT_H

#include <linux/sched.h>
#include <linux/types.h>

#include "acct.h"
#include "oom.h"

/* Processes in each of the two rankings, cgroups in theirs. */
#define MEMATTR_REPORT_PROCS	5
#define MEMATTR_REPORT_CGROUPS	3
/* Distinct cgroup paths a snapshot can name. */
#define MEMATTR_REPORT_PATHS	(2 * MEMATTR_REPORT_PROCS + MEMATTR_REPORT_CGROUPS)
/*
 * The whole report, its NUL included: up to 17 lines, 1 to 3 KiB typically
 * (short names and cgroup paths); the worst case (every string escaped to
 * its 252-byte cut, every number at its widest, an OOM report with three
 * growers) is about 8.3 KiB and stays below this.
 */
#define MEMATTR_REPORT_MAX	10240

/* Why the report is written: the "reason" field. */
enum memattr_report_reason {
	MEMATTR_REPORT_PANIC,
	MEMATTR_REPORT_ON_DEMAND,
};

/* One process in a ranking. */
struct memattr_report_proc {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 cgroup_id;			/* its memory cgroup; 0: unknown */
	u64 footprint_kb;		/* unreclaimable: what a leak grows */
	u64 rss_kb;
	s64 growth_kb_per_hour;
	u8 leak;			/* enum memattr_leak_state (UAPI) */
	u64 since_ms;			/* CLOCK_MONOTONIC when @leak began */
};

/* One cgroup in the ranking (by usage). */
struct memattr_report_cgroup {
	u64 id;
	u32 nr_procs;
	u64 usage_kb;
	u64 limit_kb;			/* U64_MAX: none */
	s64 growth_kb_per_hour;
	u8 leak;
	u64 since_ms;
	s64 exhaust_s;			/* -1: none */
};

/* A cgroup path the rankings name. */
struct memattr_report_path {
	u64 id;
	char path[MEMATTR_CGROUP_PATH_LEN];
};

/*
 * What one sampler tick knew. The sampler drafts it in a private copy, then
 * publishes it whole (postmortem.c); @time_ms 0: no tick yet.
 */
struct memattr_report_snap {
	u64 time_ms;			/* the tick's, CLOCK_MONOTONIC */
	struct memattr_system_row sys;
	u32 nr_fp;			/* by footprint, largest first */
	u32 nr_growth;			/* by growth (> 0 only), fastest first */
	u32 nr_cg;			/* by usage, largest first */
	u32 nr_paths;
	struct memattr_report_proc fp[MEMATTR_REPORT_PROCS];
	struct memattr_report_proc growth[MEMATTR_REPORT_PROCS];
	struct memattr_report_cgroup cg[MEMATTR_REPORT_CGROUPS];
	struct memattr_report_path paths[MEMATTR_REPORT_PATHS];
};

/* What a report is made of. */
struct memattr_report_in {
	enum memattr_report_reason reason;
	u64 now_ms;			/* when it is written */
	const char *version;
	bool torn;			/* the snapshot was read without its lock */
	const struct memattr_report_snap *snap;
	const struct memattr_oom_report *oom;	/* the last one; NULL: none */
};

void memattr_report_draft_begin(struct memattr_report_snap *s, u64 now_ms);
void memattr_report_draft_proc(struct memattr_report_snap *s,
			       const struct memattr_report_proc *p);
/**
 * memattr_report_draft_floor() - what it takes to join the footprint ranking
 * @s: the draft
 *
 * For a process that does not grow (the growth ranking takes only growers):
 * memattr_report_draft_proc() leaves the draft as it is for a footprint
 * not above the floor.
 * Return: the floor, KiB; -1 while the ranking has room.
 */
static inline s64 memattr_report_draft_floor(const struct memattr_report_snap *s)
{
	if (s->nr_fp < MEMATTR_REPORT_PROCS)
		return -1;
	return min_t(u64, s->fp[s->nr_fp - 1].footprint_kb, S64_MAX);
}

void memattr_report_draft_cgroups(struct memattr_report_snap *s,
				  const struct memattr_cgroup_row *cgs, u32 nr);
void memattr_report_draft_end(struct memattr_report_snap *s,
			      const struct memattr_system_row *sys,
			      const struct memattr_cgroup_row *cgs, u32 nr);
size_t memattr_report_format(char *buf, size_t size,
			     const struct memattr_report_in *in,
			     unsigned int *lines);

#endif /* _MEMATTR_REPORT_H */
