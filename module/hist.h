/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multi-resolution footprint history: a pure data structure, no locking of
 * its own (the owner serialises pushes) and no hook dependencies, so KUnit
 * tests it directly.
 *
 * Level 0 holds the last MEMATTR_HIST_SLOTS samples. Each slot of level k+1
 * holds the minimum (the floor) of MEMATTR_HIST_FANOUT consecutive slots of
 * level k, so level k spans MEMATTR_HIST_SLOTS * FANOUT^k samples while the
 * whole history stays a fixed few hundred bytes. The floor is kept, not the
 * mean, because a leak is a rising floor: a GC sawtooth or a single spike
 * must not move it.
 */
#ifndef _MEMATTR_HIST_H
#define _MEMATTR_HIST_H

#include <linux/bits.h>
#include <linux/types.h>

/*
 * 9 levels: the coarsest one (4^8 = 65536 samples a slot) spans 20 * 65536
 * samples, 15 days at the default 1 s period, so the longest leak window
 * (7 days) fits at 1 s; the whole history is 800 bytes.
 */
#define MEMATTR_HIST_LEVELS	9
#define MEMATTR_HIST_SLOTS	20
#define MEMATTR_HIST_FANOUT_SHIFT	2
#define MEMATTR_HIST_FANOUT	BIT(MEMATTR_HIST_FANOUT_SHIFT)

struct memattr_hist_level {
	u32 slot[MEMATTR_HIST_SLOTS];	/* ring of floors, KiB */
	u8 head;			/* next slot to write */
	u8 used;			/* valid slots, <= MEMATTR_HIST_SLOTS */
	u8 acc_n;			/* samples folded into acc_min so far */
	u32 acc_min;			/* floor of the slot being built */
};

struct memattr_hist {
	u64 samples;			/* samples pushed since reset */
	struct memattr_hist_level level[MEMATTR_HIST_LEVELS];
};

/*
 * Most sampling periods one tick stands for. A longer stall of the sampler
 * is counted as this many: the history's time axis then falls behind by the
 * rest (in a system too stalled to run a work item for ten minutes).
 */
#define MEMATTR_HIST_CATCHUP_MAX	600

void memattr_hist_reset(struct memattr_hist *h);
void memattr_hist_push(struct memattr_hist *h, u32 kb);
void memattr_hist_push_n(struct memattr_hist *h, u32 kb, unsigned int n);
unsigned int memattr_hist_periods(u64 *n, u64 start_ns, u64 now_ns,
				  u32 period_ms);
unsigned int memattr_hist_used(const struct memattr_hist *h, unsigned int level);
u32 memattr_hist_get(const struct memattr_hist *h, unsigned int level,
		     unsigned int age);

/**
 * memattr_hist_span() - samples one slot of a level stands for
 * @level: 0 .. MEMATTR_HIST_LEVELS - 1
 *
 * Inline and a shift: the sampler asks for every process at every tick.
 * Return: FANOUT^level.
 */
static inline u64 memattr_hist_span(unsigned int level)
{
	return 1ULL << (MEMATTR_HIST_FANOUT_SHIFT * level);
}

#endif /* _MEMATTR_HIST_H */
