/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watermarks: levels of memory use (percent of MemTotal) with hysteresis,
 * so that a value hovering at a level does not flap. Pure logic.
 */
#ifndef _MEMATTR_WATERMARK_H
#define _MEMATTR_WATERMARK_H

#include <linux/types.h>

/* A use this far below a level is needed to go back down through it. */
#define MEMATTR_WM_HYSTERESIS_PCT	2

struct memattr_wm_state {
	u8 level;		/* levels at or below the use, 0: none */
};

/* One level crossed: @idx indexes the levels, @up its direction. */
struct memattr_wm_crossing {
	u8 idx;
	bool up;
};

int memattr_wm_step(struct memattr_wm_state *st, const u8 *levels,
		    unsigned int nr, u32 used_pct);
unsigned int memattr_wm_crossings(struct memattr_wm_state *st,
				  const u8 *levels, unsigned int nr,
				  u32 used_pct,
				  struct memattr_wm_crossing *out,
				  unsigned int max);

#endif /* _MEMATTR_WATERMARK_H */
