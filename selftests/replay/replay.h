/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replay harness: day-scale footprints through the module's own leak.c and
 * hist.c, called as the sampler calls them (see replay.c).
 */
#ifndef _REPLAY_H
#define _REPLAY_H

#include <linux/types.h>

#define REPLAY_MB		1024.0		/* KiB */
#define REPLAY_HOUR		3600.0		/* s */
#define REPLAY_NONE		(-1.0)

/* What one tick reads: a process's metric and its cgroup's. */
struct replay_sample {
	u32 proc_kb;	/* anon + swap + page tables, without shmem */
	u32 shmem_kb;	/* RssShmem */
	u64 alloc_kb;	/* pages allocated in its context so far, KiB */
	u32 cg_kb;	/* memcg usage - (file - shmem) */
};

/* A scenario's generator state; zeroed, then seeded, before the first tick. */
struct replay_gen {
	u64 rng;
	double next_s;		/* next event (a GC, a segment's end, ...) */
	double from, to;	/* a segment's start and end values */
	double seg_s, seg_len;	/* its start and length, s */
	double v;		/* a scenario's running value */
};

struct replay_scn;
typedef void (*replay_fp_fn)(const struct replay_scn *s, struct replay_gen *g,
			     double t, struct replay_sample *out);

/* The truth a scenario is judged against. */
struct replay_truth {
	double rate_kbh;	/* growth that is a leak, KiB per real hour */
	double start_h;		/* it starts, hours */
	double stop_h;		/* it stops, hours; REPLAY_NONE: never */
	double by_h;		/* a staircase: LEAK due by then; else 0 */
	double clean_h;		/* a daily cycle: no LEAK allowed after */
};

struct replay_scn {
	const char *name;
	const char *what;	/* one line for the results table */
	unsigned int hours;
	u64 seed;
	replay_fp_fn fp;
	double p[4];		/* the generator's parameters */
	struct replay_truth truth;
	bool cgroup;		/* run the per-cgroup path too */
	bool cg_differs;	/* the cgroup's metric is not the process's */
	/*
	 * A long stall of the sampler: the first tick due at or after
	 * stall_h comes stall_periods periods late; 0: none.
	 */
	double stall_h;
	unsigned int stall_periods;
};

extern const struct replay_scn replay_corpus[];
extern const unsigned int replay_corpus_nr;

double replay_uniform(struct replay_gen *g);

#endif /* _REPLAY_H */
