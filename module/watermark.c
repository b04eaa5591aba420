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

/**
 * memattr_wm_crossings() - one step, as the levels it crossed one by one
 * @st: as memattr_wm_step()
 * @levels: as memattr_wm_step()
 * @nr: as memattr_wm_step()
 * @used_pct: as memattr_wm_step()
 * @out: where the crossings go, in the order they were crossed
 * @max: room in @out
 *
 * Counts from the level memattr_wm_step() starts from, clamped to @nr, so
 * that every crossing names a level of @levels, even in the step where the
 * list got shorter than the state.
 *
 * Return: how many crossings were written to @out.
 */
unsigned int memattr_wm_crossings(struct memattr_wm_state *st,
				  const u8 *levels, unsigned int nr,
				  u32 used_pct,
				  struct memattr_wm_crossing *out,
				  unsigned int max)
{
	unsigned int from = min_t(unsigned int, st->level, nr), n = 0;
	int crossed = memattr_wm_step(st, levels, nr, used_pct);

	for (; crossed > 0 && n < max; crossed--, n++) {
		out[n].idx = from++;
		out[n].up = true;
	}
	for (; crossed < 0 && n < max; crossed++, n++) {
		out[n].idx = --from;
		out[n].up = false;
	}
	return n;
}
