// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multi-resolution footprint history (see hist.h).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "hist.h"

/**
 * memattr_hist_reset() - forget every sample
 * @h: the history
 */
void memattr_hist_reset(struct memattr_hist *h)
{
	memset(h, 0, sizeof(*h));
}

static void memattr_hist_store(struct memattr_hist_level *l, u32 kb)
{
	l->slot[l->head] = kb;
	l->head = (l->head + 1) % MEMATTR_HIST_SLOTS;
	if (l->used < MEMATTR_HIST_SLOTS)
		l->used++;
}

/**
 * memattr_hist_push() - add one sample
 * @h: the history
 * @kb: the sample, KiB
 *
 * Amortised O(1): a sample reaches level k once every FANOUT^k pushes.
 */
void memattr_hist_push(struct memattr_hist *h, u32 kb)
{
	unsigned int i;

	h->samples++;
	memattr_hist_store(&h->level[0], kb);
	for (i = 1; i < MEMATTR_HIST_LEVELS; i++) {
		struct memattr_hist_level *l = &h->level[i];

		l->acc_min = l->acc_n ? min(l->acc_min, kb) : kb;
		if (++l->acc_n < MEMATTR_HIST_FANOUT)
			return;
		kb = l->acc_min;
		l->acc_n = 0;
		memattr_hist_store(l, kb);
	}
}

/**
 * memattr_hist_push_n() - add one sample for @n sampling periods
 * @h: the history
 * @kb: the sample, KiB
 * @n: periods it stands for (memattr_hist_periods()); 0 adds nothing
 *
 * A tick that came late by whole periods repeats its sample for the ones
 * missed, so that sample i of the history is always i periods old.
 */
void memattr_hist_push_n(struct memattr_hist *h, u32 kb, unsigned int n)
{
	while (n--)
		memattr_hist_push(h, kb);
}

/**
 * memattr_hist_periods() - how many sampling periods a tick stands for
 * @n: the period the last tick stood at, counted from @start_ns; updated
 * @start_ns: when the sampler's schedule started (its first tick)
 * @now_ns: this tick's time
 * @period_ms: the sampling period
 *
 * The sampler aims tick k at @start_ns + k * @period_ms (it re-arms for
 * what is left until then, not for a whole period after the tick), so a
 * tick is late only by the timer wheel's rounding and the worker's wake-up,
 * never by the sum of them over days. This tick stands at the period
 * nearest to @now_ns, at least one after the last tick's.
 *
 * Return: the periods since the last tick, 1 .. MEMATTR_HIST_CATCHUP_MAX:
 * more than 1 when ticks were missed.
 */
unsigned int memattr_hist_periods(u64 *n, u64 start_ns, u64 now_ns,
				  u32 period_ms)
{
	u64 p = (u64)max_t(u32, period_ms, 1) * NSEC_PER_MSEC;
	u64 at = div64_u64(now_ns - min(now_ns, start_ns) + p / 2, p);
	u64 d = at > *n ? at - *n : 1;

	*n += d;
	return min_t(u64, d, MEMATTR_HIST_CATCHUP_MAX);
}

/**
 * memattr_hist_used() - how many slots of a level hold data
 * @h: the history
 * @level: 0 .. MEMATTR_HIST_LEVELS - 1
 *
 * Return: the number of valid slots, 0 for a level out of range.
 */
unsigned int memattr_hist_used(const struct memattr_hist *h, unsigned int level)
{
	return level < MEMATTR_HIST_LEVELS ? h->level[level].used : 0;
}

/**
 * memattr_hist_get() - one slot of a level
 * @h: the history
 * @level: 0 .. MEMATTR_HIST_LEVELS - 1
 * @age: 0 for the newest slot, 1 for the one before, ...
 *
 * Return: the slot's floor in KiB, or 0 when @level or @age is out of range.
 */
u32 memattr_hist_get(const struct memattr_hist *h, unsigned int level,
		     unsigned int age)
{
	const struct memattr_hist_level *l;

	if (level >= MEMATTR_HIST_LEVELS || age >= h->level[level].used)
		return 0;
	l = &h->level[level];
	return l->slot[(l->head + MEMATTR_HIST_SLOTS - 1 - age) %
		       MEMATTR_HIST_SLOTS];
}
