/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Leak detection over a footprint history: pure logic, integer arithmetic
 * only, no locking of its own (the owner serialises calls) and no hook
 * dependencies, so KUnit tests it directly.
 *
 * A leak is a rising floor: over the last window the history's floor rose
 * at least min_kb_per_hour, with a statistically significant upward trend
 * (a rank test, not a first-vs-last difference), gradually (not in one
 * step), and did not come back to its earlier baseline. `suspect` is the
 * same over half the window.
 */
#ifndef _MEMATTR_LEAK_H
#define _MEMATTR_LEAK_H

#include <linux/types.h>

#include "hist.h"

/* Fewest floor points the rank test judges: fewer are never "rising". */
#define MEMATTR_LEAK_MIN_POINTS		5
/*
 * The trend is judged on the window's points floored once more over a
 * rolling 1/MEMATTR_LEAK_FLOOR_DIV of them (a quarter of the window), so a
 * GC sawtooth up to a quarter of the window long leaves only its troughs.
 */
#define MEMATTR_LEAK_FLOOR_DIV		5
/* The long horizon, in windows: a staircase of steps up to 2 windows apart. */
#define MEMATTR_LEAK_LONG_MUL		4
/* A stepwise leak still steps: a rise within this many half windows. */
#define MEMATTR_LEAK_STEP_HALVES	5
/* How far back "what the entity already reached" looks: a day. */
#define MEMATTR_LEAK_REACHED_S		(24 * 3600)
/* Longest time to exhaustion reported: 100 years is never. */
#define MEMATTR_LEAK_EXHAUST_MAX_S	(100ULL * 365 * 24 * 3600)

/* What the leak detector says of an entity. */
struct memattr_leak_info {
	s64 growth_kb_per_hour;	/* signed slope of the floor over the window */
	u8 state;		/* enum memattr_leak_state (UAPI) */
	bool stepwise;		/* LEAK entered on the long horizon */
	bool judged;		/* @judged_key is valid */
	u32 judged_key;		/* memattr_leak_step_lazy(): input last judged */
	u64 since_ns;		/* ktime_get_ns() when @state was entered */
};

struct memattr_leak_cfg {
	u32 sample_ms;		/* period of the history's samples */
	u32 window_s;		/* leak_window_s */
	u32 min_kb_per_hour;	/* leak_min_kb_per_hour */
};

/* The detector's reading of one window. */
struct memattr_leak_verdict {
	s64 slope_kb_per_hour;	/* Theil-Sen slope of the floor */
	unsigned int points;	/* history points inside the window */
	bool covered;		/* the history spans the whole window */
	bool rising;		/* significant upward trend */
	bool above_baseline;	/* recent floor above the early baseline */
	/*
	 * Not in the original contract: the rise is spread over the window,
	 * not one step (no jump between adjacent floor points carries more
	 * than half of it). A one-off step up is not a leak.
	 */
	bool gradual;
	s64 slope_early_kb_per_hour;	/* Theil-Sen of the older half */
	s64 slope_late_kb_per_hour;	/* Theil-Sen of the newer half */
	s64 slope_recent_kb_per_hour;	/* Theil-Sen of the newest quarter */
	u32 floor_kb;			/* the newest floor point */
};

bool memattr_leak_reached(const struct memattr_hist *h,
			  const struct memattr_leak_cfg *cfg, u32 window_s,
			  u32 *lo_kb, u32 *hi_kb);
u32 memattr_leak_drawdown(const struct memattr_hist *h,
			  const struct memattr_leak_cfg *cfg, u32 window_s);
void memattr_leak_judge(const struct memattr_hist *h,
			const struct memattr_leak_cfg *cfg, u32 window_s,
			struct memattr_leak_verdict *v);
bool memattr_leak_step(struct memattr_leak_info *info,
		       const struct memattr_leak_cfg *cfg,
		       const struct memattr_hist *h, u64 now_ns);
bool memattr_leak_step_lazy(struct memattr_leak_info *info,
			    const struct memattr_leak_cfg *cfg,
			    const struct memattr_hist *h, u64 now_ns, bool force);

/*
 * What memattr_leak_step_lazy() keys its input on, worked out once for a
 * configuration (memattr_leak_lazy_init()), so that a caller judging many
 * entities per tick, or asking whether an entity is due at all, pays a
 * shift and two compares each (memattr_leak_lazy_key()).
 */
struct memattr_leak_lazy {
	unsigned int shift;	/* samples per slot of the half window's level, log2 */
	u64 w_full;		/* the window, samples */
	u64 w_half;		/* the half window, samples */
};

void memattr_leak_lazy_init(struct memattr_leak_lazy *lz,
			    const struct memattr_leak_cfg *cfg);
bool memattr_leak_step_keyed(struct memattr_leak_info *info,
			     const struct memattr_leak_cfg *cfg,
			     const struct memattr_leak_lazy *lz,
			     const struct memattr_hist *h, u64 now_ns,
			     bool force);

/**
 * memattr_leak_lazy_key() - what a history of @samples samples is judged on
 * @lz: memattr_leak_lazy_init()'s
 * @samples: the history's sample count
 *
 * Return: a key that changes exactly when a judge's input may have.
 */
static inline u32 memattr_leak_lazy_key(const struct memattr_leak_lazy *lz,
					u64 samples)
{
	return (u32)(samples >> lz->shift) << 2 |
	       (samples >= lz->w_full) << 1 | (samples >= lz->w_half);
}

/**
 * memattr_leak_lazy_due() - would memattr_leak_step_keyed() judge now
 * @info: the entity's verdict
 * @lz: memattr_leak_lazy_init()'s
 * @samples: the history's sample count, as it would be judged
 *
 * Return: true when a step over a history of @samples samples would run
 * the detector, not skip it.
 */
static inline bool memattr_leak_lazy_due(const struct memattr_leak_info *info,
					 const struct memattr_leak_lazy *lz,
					 u64 samples)
{
	return !info->judged ||
	       info->judged_key != memattr_leak_lazy_key(lz, samples);
}

/*
 * Most page allocations kept to account for shmem mapped later: RSS
 * counters lag the allocations (6.1 caches 64 events a thread).
 */
#define MEMATTR_LEAK_ALLOC_BANK_KB	4096

/* Of a process's mapped shmem, what it allocated itself. */
struct memattr_leak_shmem {
	u32 own_kb;	/* mapped shmem counted as the process's own */
	u32 bank_kb;	/* allocations not yet matched by RSS growth */
};

u32 memattr_leak_metric_kb(struct memattr_leak_shmem *sh, u64 other_kb,
			   u64 shmem_kb, u64 prev_other_kb, u64 prev_shmem_kb,
			   u64 alloc_kb);
s64 memattr_leak_exhaust_s(u64 headroom_kb, s64 slope_kb_per_hour);

#endif /* _MEMATTR_LEAK_H */
