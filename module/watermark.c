// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watermarks with hysteresis (see watermark.h).
 */
#include <linux/kernel.h>

#include "watermark.h"

/**
 * memattr_wm_step() - follow the memory use across the watermark levels
 * @st: the state: how many levels are crossed, 0 .. @nr
 * @levels: the levels, percent of MemTotal, strictly ascending
 * @nr: how many there are
 * @used_pct: the memory use now, percent of MemTotal
 *
 * A level is crossed upwards as soon as @used_pct reaches it, and uncrossed
 * only once @used_pct is MEMATTR_WM_HYSTERESIS_PCT or more below it, so a
 * use hovering around a level crosses it once. A state left above @nr by a
 * shorter list of levels is first clamped to @nr: levels that disappeared
 * are not reported as crossed downwards.
 *
 * Return: the levels crossed in this step: positive upwards, negative
 * downwards, 0 for none.
 */
int memattr_wm_step(struct memattr_wm_state *st, const u8 *levels,
		    unsigned int nr, u32 used_pct)
{
	unsigned int lvl = min_t(unsigned int, st->level, nr);
	unsigned int old = lvl;
	u64 used = used_pct;

	while (lvl < nr && used >= levels[lvl])
		lvl++;
	if (lvl == old)
		while (lvl > 0 &&
		       used + MEMATTR_WM_HYSTERESIS_PCT <= levels[lvl - 1])
			lvl--;
	st->level = lvl;
	return (int)lvl - (int)old;
}
