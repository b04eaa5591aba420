// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leak detection over a footprint history (see leak.h).
 *
 * A window of W samples is read from the finest history level whose slots
 * span it: at most MEMATTR_HIST_SLOTS points, oldest first, each the floor
 * of 4^k samples. Those points are then floored once more over a rolling
 * quarter of the window, so that a GC sawtooth slower than one slot (whose
 * peaks the level's own floor still shows) leaves only its troughs. On
 * those floor points:
 *
 *  - slope: Theil-Sen, the median of the pairwise slopes, robust to the
 *    odd outlier; the pairs are sorted by exact cross-multiplication and
 *    only the median is converted to KiB/h;
 *  - rising: one-sided Mann-Kendall rank test at 95%, at least
 *    MEMATTR_LEAK_MIN_POINTS floor points;
 *  - above_baseline: the last floor is above the first by at least what
 *    half the minimum leak rate adds over the time between them, i.e. the
 *    footprint did not come back down to where the window started;
 *  - gradual: no single step between adjacent floor points carries more
 *    than half of that rise, so a one-off step (a cache filled once, a
 *    bigger configuration loaded) is not a trend.
 *
 * Everything is integer arithmetic on the stack: no allocation, O(n^2 log n)
 * for n <= MEMATTR_HIST_SLOTS points.
 */
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/time64.h>

#include <uapi/linux/memattr.h>

#include "leak.h"

#define MEMATTR_MS_PER_HOUR	(3600ULL * MSEC_PER_SEC)

/*
 * Pairs are (i, j) indices packed in a u16; the points must fit a byte each
 * and all pairs fit a small stack array.
 */
#define MEMATTR_LEAK_PAIRS \
	(MEMATTR_HIST_SLOTS * (MEMATTR_HIST_SLOTS - 1) / 2)
#define MEMATTR_LEAK_PAIR(i, j)	((u16)((i) << 8 | (j)))
#define MEMATTR_LEAK_PAIR_I(p)	((p) >> 8)
#define MEMATTR_LEAK_PAIR_J(p)	((p) & 0xff)

static_assert(MEMATTR_HIST_SLOTS <= 256);

/* Order two pairs by their slope; @priv is the points. */
static int memattr_leak_cmp_pair(const void *a, const void *b,
				 const void *priv)
{
	const u32 *y = priv;
	u16 p = *(const u16 *)a, q = *(const u16 *)b;
	unsigned int pi = MEMATTR_LEAK_PAIR_I(p), pj = MEMATTR_LEAK_PAIR_J(p);
	unsigned int qi = MEMATTR_LEAK_PAIR_I(q), qj = MEMATTR_LEAK_PAIR_J(q);
	/* dy_p / dx_p vs dy_q / dx_q, dx > 0: exact, |dy| < 2^32, dx < 2^8. */
	s64 l = ((s64)y[pj] - y[pi]) * (qj - qi);
	s64 r = ((s64)y[qj] - y[qi]) * (pj - pi);

	return l < r ? -1 : l > r;
}

/* One pair's slope in KiB/h; @ms_per_x is the time between adjacent points. */
static s64 memattr_leak_pair_kbh(const u32 *y, u16 p, u64 ms_per_x)
{
	unsigned int i = MEMATTR_LEAK_PAIR_I(p), j = MEMATTR_LEAK_PAIR_J(p);

	/* |dy| * 3.6e6 < 2^54; dx * ms_per_x < 20 * 4^8 * 60000 < 2^37. */
	return div64_s64(((s64)y[j] - y[i]) * (s64)MEMATTR_MS_PER_HOUR,
			 (s64)((j - i) * ms_per_x));
}

/* Theil-Sen slope of @n >= 2 equally spaced points, KiB/h. */
static s64 memattr_leak_theil_sen(const u32 *y, unsigned int n, u64 ms_per_x)
{
	u16 pair[MEMATTR_LEAK_PAIRS];
	unsigned int i, j, np = 0;
	s64 lo, hi;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			pair[np++] = MEMATTR_LEAK_PAIR(i, j);
	sort_r(pair, np, sizeof(pair[0]), memattr_leak_cmp_pair, NULL, y);
	hi = memattr_leak_pair_kbh(y, pair[np / 2], ms_per_x);
	if (np & 1)
		return hi;
	lo = memattr_leak_pair_kbh(y, pair[np / 2 - 1], ms_per_x);
	return lo + (hi - lo) / 2;
}

/*
 * One-sided Mann-Kendall test at 95%: S = sum of sign(y_j - y_i), i < j;
 * without ties Var(S) = n(n-1)(2n+5)/18; a rise is significant when S > 0
 * and (S-1)^2 >= 1.645^2 Var(S) (continuity-corrected normal
 * approximation), i.e. 18000 (S-1)^2 >= 2706 n(n-1)(2n+5). Ties only make
 * S smaller, so the test stays conservative without the tie correction.
 */
static bool memattr_leak_mann_kendall(const u32 *y, unsigned int n)
{
	unsigned int i, j;
	s64 s = 0;

	if (n < MEMATTR_LEAK_MIN_POINTS)
		return false;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			s += (y[j] > y[i]) - (y[j] < y[i]);
	if (s <= 0)
		return false;
	return 18000ULL * (u64)((s - 1) * (s - 1)) >=
	       2706ULL * n * (n - 1) * (2 * n + 5);
}

/*
 * The history level a window of @window_s is judged on, and the window in
 * samples (*@w), as memattr_leak_judge() reads them.
 */
static unsigned int memattr_leak_level(u32 window_s, u32 sample_ms, u64 *w)
{
	unsigned int lvl;
	u64 n;

	n = max_t(u64, div_u64((u64)window_s * MSEC_PER_SEC, sample_ms), 1);
	for (lvl = 0; lvl < MEMATTR_HIST_LEVELS - 1; lvl++)
		if (MEMATTR_HIST_SLOTS * memattr_hist_span(lvl) >= n)
			break;
	*w = min_t(u64, n, MEMATTR_HIST_SLOTS * memattr_hist_span(lvl));
	return lvl;
}

/**
 * memattr_leak_judge() - read one window of a history
 * @h: the history
 * @cfg: its sampling period and the minimum leak rate
 * @window_s: the window, seconds
 * @v: the verdict
 *
 * The window is W = @window_s * 1000 / sample_ms samples, at least one. It
 * is read from the finest level whose MEMATTR_HIST_SLOTS slots span W; a
 * window longer than the whole history (the coarsest level's span) is
 * judged over the whole history. @v->points counts the level's slots inside
 * the window; the trend is judged on their rolling floor over a quarter of
 * them (see the top of this file), so @v->rising needs at least
 * MEMATTR_LEAK_MIN_POINTS + 1 points. @v->covered is true once the history
 * holds at least W samples.
 */
void memattr_leak_judge(const struct memattr_hist *h,
			const struct memattr_leak_cfg *cfg, u32 window_s,
			struct memattr_leak_verdict *v)
{
	u32 y[MEMATTR_HIST_SLOTS];
	u32 sample_ms = max_t(u32, cfg->sample_ms, 1);
	unsigned int lvl, n, m, i, j;
	u64 w, span, ms_per_x;
	s64 rise, jump = 0;

	memset(v, 0, sizeof(*v));
	lvl = memattr_leak_level(window_s, sample_ms, &w);
	span = memattr_hist_span(lvl);
	v->covered = h->samples >= w;
	n = min_t(u64, memattr_hist_used(h, lvl), DIV_ROUND_UP_ULL(w, span));
	v->points = n;
	if (n < 2)
		return;
	for (i = 0; i < n; i++)
		y[i] = memattr_hist_get(h, lvl, n - 1 - i);

	/* Rolling floor over m points, in place: y[i] = min(y[i .. i+m-1]). */
	m = DIV_ROUND_UP(n, MEMATTR_LEAK_FLOOR_DIV);
	ms_per_x = span * sample_ms;
	/* The newest quarter as the level has it, before the rolling floor. */
	if (m >= 2)
		v->slope_recent_kb_per_hour =
			memattr_leak_theil_sen(y + n - m, m, ms_per_x);
	n -= m - 1;
	for (i = 0; i < n; i++)
		for (j = 1; j < m; j++)
			y[i] = min(y[i], y[i + j]);
	if (n < 2)
		return;

	v->slope_kb_per_hour = memattr_leak_theil_sen(y, n, ms_per_x);
	v->rising = memattr_leak_mann_kendall(y, n);

	rise = (s64)y[n - 1] - y[0];
	for (i = 1; i < n; i++)
		jump = max_t(s64, jump, (s64)y[i] - y[i - 1]);
	/* 2 rise / ((n-1) dt) >= min, in KiB/h; 2 rise * 3.6e6 < 2^56. */
	v->above_baseline = rise > 0 &&
		div64_u64(2 * (u64)rise * MEMATTR_MS_PER_HOUR,
			  (n - 1) * ms_per_x) >= cfg->min_kb_per_hour;
	v->gradual = rise > 0 && 2 * jump <= rise;
	v->floor_kb = y[n - 1];
	if (n >= 4) {
		v->slope_early_kb_per_hour =
			memattr_leak_theil_sen(y, n / 2, ms_per_x);
		v->slope_late_kb_per_hour =
			memattr_leak_theil_sen(y + n / 2, n - n / 2, ms_per_x);
	}
}

/**
 * memattr_leak_reached() - the floors an entity held before a window
 * @h: the history
 * @cfg: its sampling period
 * @window_s: the window, seconds
 * @lo_kb: the lowest of those floors
 * @hi_kb: the highest of those floors: what the entity already reached
 *
 * Reads every slot of the window's level and the coarser ones that ended
 * before the window started and began at most MEMATTR_LEAK_REACHED_S
 * before it: a slot's floor is a level the entity held for the whole slot.
 * Return: false when the history holds no such slot.
 */
bool memattr_leak_reached(const struct memattr_hist *h,
			  const struct memattr_leak_cfg *cfg, u32 window_s,
			  u32 *lo_kb, u32 *hi_kb)
{
	u32 sample_ms = max_t(u32, cfg->sample_ms, 1);
	unsigned int lvl, age;
	u64 w, back;
	bool any = false;

	lvl = memattr_leak_level(window_s, sample_ms, &w);
	back = w + div_u64((u64)MEMATTR_LEAK_REACHED_S * MSEC_PER_SEC,
			   sample_ms);
	*lo_kb = U32_MAX;
	*hi_kb = 0;
	for (; lvl < MEMATTR_HIST_LEVELS; lvl++) {
		u64 span = memattr_hist_span(lvl);
		u64 pending = lvl ? h->samples % span : 0;

		for (age = 0; age < memattr_hist_used(h, lvl); age++) {
			u64 end = pending + age * span;	/* samples ago */
			u32 kb;

			if (end < w)
				continue;
			if (end + span > back)
				break;
			kb = memattr_hist_get(h, lvl, age);
			*lo_kb = min(*lo_kb, kb);
			*hi_kb = max(*hi_kb, kb);
			any = true;
		}
	}
	return any;
}

/**
 * memattr_leak_drawdown() - how far an entity's floor came back down
 * @h: the history
 * @cfg: its sampling period
 * @window_s: the window, seconds
 *
 * Reads the slots of the levels coarser than the window's that began at
 * most MEMATTR_LEAK_REACHED_S before the window, the window's own time
 * included, each level in time order on its own. Coarser, because a slot
 * of the window's level (W / 20) can hold a few GC cycles only, whose
 * troughs jitter; four of them hold four times as many. A floor that
 * wanders or cycles falls back between its highs; a leak's does not.
 * Return: the largest fall from a slot's floor to a later slot's, KiB.
 */
u32 memattr_leak_drawdown(const struct memattr_hist *h,
			  const struct memattr_leak_cfg *cfg, u32 window_s)
{
	u32 sample_ms = max_t(u32, cfg->sample_ms, 1);
	unsigned int lvl, age;
	u64 w, back;
	u32 dd = 0;

	lvl = memattr_leak_level(window_s, sample_ms, &w);
	back = w + div_u64((u64)MEMATTR_LEAK_REACHED_S * MSEC_PER_SEC,
			   sample_ms);
	for (lvl++; lvl < MEMATTR_HIST_LEVELS; lvl++) {
		u64 span = memattr_hist_span(lvl);
		u64 pending = h->samples % span;
		u32 low = U32_MAX;

		/* Newest first: a slot falls to the lowest newer one. */
		for (age = 0; age < memattr_hist_used(h, lvl); age++) {
			u32 kb;

			if (pending + (age + 1) * span > back)
				break;
			kb = memattr_hist_get(h, lvl, age);
			low = min(low, kb);
			dd = max(dd, kb - low);
		}
	}
	return dd;
}

/* A window that shows a leak at @min KiB/h. */
static bool memattr_leak_shows(const struct memattr_leak_verdict *v, u32 min)
{
	return v->covered && v->rising && v->above_baseline && v->gradual &&
	       v->slope_kb_per_hour >= min;
}

/* A window that keeps a leak (or a suspicion) already declared. */
static bool memattr_leak_holds(const struct memattr_leak_verdict *v, u32 min)
{
	return v->covered && v->rising && 2 * v->slope_kb_per_hour >= min;
}

/*
 * The recent half of the window still grows. Without it a leak that
 * stopped would stay a leak for most of a window: the full window's floor
 * keeps rising until its growing part has nearly slid out of it.
 */
static bool memattr_leak_recent(const struct memattr_leak_verdict *half,
				u32 min)
{
	return half->covered && 2 * half->slope_kb_per_hour >= min;
}

/*
 * Not slowing down: the newer half of the window grows at least 2/3 as
 * fast as the older one. A warm-up (a cache filling, a JVM's old
 * generation, a start-up ramp) grows fast and then slower and slower; a
 * leak keeps its pace. Within min_kb_per_hour / 3 of that: the halves'
 * slopes of a slow leak under a jittery floor differ by that much.
 */
static bool memattr_leak_steady(const struct memattr_leak_verdict *v, u32 min)
{
	return 3 * v->slope_late_kb_per_hour + min >=
	       2 * v->slope_early_kb_per_hour;
}

/*
 * Linear: steady, and the newer half grows at most 3/2 as fast as the
 * older one. A leak that started inside the window is declared once the
 * window's slope is its own, not a mix of the flat part before it. Within
 * min_kb_per_hour / 2 of that, as for steady.
 */
static bool memattr_leak_linear(const struct memattr_leak_verdict *v, u32 min)
{
	return memattr_leak_steady(v, min) &&
	       2 * v->slope_late_kb_per_hour <=
	       3 * v->slope_early_kb_per_hour + min;
}

/*
 * A hinge: the window is not linear, its older half is flat (grows less
 * than half the minimum rate) and its newer half grows faster: a leak that
 * started inside the window, whose slope is the newer half's. A window
 * whose older half already grows is one growing segment, linear or not.
 */
static bool memattr_leak_hinge(const struct memattr_leak_verdict *v, u32 min)
{
	return !memattr_leak_linear(v, min) &&
	       2 * v->slope_early_kb_per_hour < min &&
	       v->slope_late_kb_per_hour > v->slope_early_kb_per_hour;
}

/*
 * The newest floor of @v's window is above what the entity already reached
 * before the window (its highest floor in the day before), by more than
 * half the spread of those floors, more than what half the minimum rate
 * adds over the window, and more than the floor ever fell back in that day
 * (memattr_leak_drawdown()). A daily cycle, a cache refilled after an
 * eviction, a batch buffer built again, a floor wandering within its usual
 * range all come back to levels they held; a leak goes where the entity
 * never was. With no history before the window nothing was reached yet,
 * but the floor must not have fallen back by more than the minimum margin.
 */
static bool memattr_leak_new_high(const struct memattr_hist *h,
				  const struct memattr_leak_cfg *cfg,
				  u32 window_s,
				  const struct memattr_leak_verdict *v)
{
	u64 margin = div_u64((u64)cfg->min_kb_per_hour * window_s, 2 * 3600);
	u32 lo, hi, dd = memattr_leak_drawdown(h, cfg, window_s);

	if (!memattr_leak_reached(h, cfg, window_s, &lo, &hi))
		return dd <= margin;
	margin = max_t(u64, margin, (hi - lo) / 2);
	margin = max_t(u64, margin, dd);
	return v->floor_kb > hi + margin;
}

/*
 * W's floor is not falling faster than half the minimum rate. A staircase
 * between its steps is flat; a floor that wandered up to a level it never
 * held, which the long horizon reads as a step, and has already turned
 * back down is not a step that stays.
 */
static bool memattr_leak_not_falling(const struct memattr_leak_verdict *v,
				     u32 min)
{
	return 2 * v->slope_kb_per_hour + min >= 0;
}

/*
 * A staircase still steps: its floor rose over the last
 * MEMATTR_LEAK_STEP_HALVES half windows (2.5 W) by at least what half the
 * minimum rate adds over them. Steps up to 2 windows apart always have one
 * in there; a staircase that stopped has none from about 2.5 windows after
 * its last step on, within a window of when the next step was due. Without
 * it a stopped staircase stayed LEAK until the long horizon's Theil-Sen
 * slope no longer saw its last step, 3.4 windows after it.
 */
static bool memattr_leak_stepping(const struct memattr_hist *h,
				  const struct memattr_leak_cfg *cfg)
{
	struct memattr_leak_verdict v;

	memattr_leak_judge(h, cfg, cfg->window_s * MEMATTR_LEAK_STEP_HALVES / 2,
			   &v);
	return v.covered && v.above_baseline;
}

/**
 * memattr_leak_step() - update an entity's leak state from its history
 * @info: the entity's state, zeroed (OK) before the first call
 * @cfg: the history's sampling period, the window and the minimum rate
 * @h: the entity's history
 * @now_ns: the current time, for @info->since_ns
 *
 * Judges three horizons: the window W, its recent half, and a long
 * horizon of MEMATTR_LEAK_LONG_MUL windows. A window "shows" a leak when it
 * is covered, rising, above its baseline, gradual and its slope is at least
 * min_kb_per_hour; it "holds" one when it is covered, rising and its slope
 * is at least min_kb_per_hour / 2. The new state is
 *
 *  - LEAK when W shows a leak that is steady (not slowing down) and at a
 *    new high (memattr_leak_new_high()), or the state was LEAK and W still
 *    holds it; in both cases the recent half's slope is still at least
 *    min_kb_per_hour / 2;
 *  - LEAK ("stepwise") when the long horizon shows a leak at a new high,
 *    or the state was a stepwise LEAK and the long horizon still holds it:
 *    a staircase of steps, each a one-off on its own window, that never
 *    come back; in both cases W's floor is not falling faster than
 *    min_kb_per_hour / 2;
 *  - else SUSPECT when the half window shows a leak, or the state was not
 *    OK and the half window still holds it;
 *  - else OK.
 *
 * @info->growth_kb_per_hour is W's slope (the half window's while W is not
 * covered), or the recent half's when that is more than 5/4 of it (a leak
 * that started inside W: the slope of the part that grows), or the long
 * horizon's for a stepwise LEAK; @info->since_ns is set to @now_ns on every
 * change of state.
 *
 * Return: true when the state entered or left LEAK in this step, so that
 * the caller reports each transition exactly once.
 */
bool memattr_leak_step(struct memattr_leak_info *info,
		       const struct memattr_leak_cfg *cfg,
		       const struct memattr_hist *h, u64 now_ns)
{
	struct memattr_leak_verdict full, half, lng;
	u32 long_s = cfg->window_s * MEMATTR_LEAK_LONG_MUL;
	u8 old = info->state, state;
	u32 min = cfg->min_kb_per_hour;
	bool stepwise = false;
	s64 growth;

	memattr_leak_judge(h, cfg, cfg->window_s, &full);
	memattr_leak_judge(h, cfg, cfg->window_s / 2, &half);
	memattr_leak_judge(h, cfg, long_s, &lng);

	if (((memattr_leak_shows(&full, min) &&
	      (memattr_leak_linear(&full, min) ||
	       (memattr_leak_hinge(&full, min) &&
		memattr_leak_shows(&half, min) &&
		memattr_leak_linear(&half, min))) &&
	      2 * full.slope_recent_kb_per_hour >= min &&
	      memattr_leak_new_high(h, cfg, cfg->window_s, &full)) ||
	     (old == MEMATTR_LEAK_LEAK && !info->stepwise &&
	      memattr_leak_holds(&full, min))) &&
	    memattr_leak_recent(&half, min)) {
		state = MEMATTR_LEAK_LEAK;
	} else if (memattr_leak_not_falling(&full, min) &&
		   ((memattr_leak_shows(&lng, min) &&
		     memattr_leak_steady(&lng, min) &&
		     memattr_leak_new_high(h, cfg, long_s, &lng)) ||
		    (old == MEMATTR_LEAK_LEAK && info->stepwise &&
		     memattr_leak_holds(&lng, min) &&
		     memattr_leak_stepping(h, cfg)))) {
		state = MEMATTR_LEAK_LEAK;
		stepwise = true;
	} else if (memattr_leak_shows(&half, min) ||
		   (old != MEMATTR_LEAK_OK && memattr_leak_holds(&half, min))) {
		state = MEMATTR_LEAK_SUSPECT;
	} else {
		state = MEMATTR_LEAK_OK;
	}

	growth = full.covered ? full.slope_kb_per_hour : half.slope_kb_per_hour;
	/* Accelerating: the growing segment is the newer half. */
	if (full.covered && half.covered && memattr_leak_hinge(&full, min))
		growth = half.slope_kb_per_hour;
	if (stepwise)
		growth = lng.slope_kb_per_hour;
	info->growth_kb_per_hour = growth;
	if (state == MEMATTR_LEAK_LEAK && old != MEMATTR_LEAK_LEAK)
		info->stepwise = stepwise;
	if (state == old)
		return false;
	info->state = state;
	info->since_ns = now_ns;
	return old == MEMATTR_LEAK_LEAK || state == MEMATTR_LEAK_LEAK;
}

/**
 * memattr_leak_step_lazy() - memattr_leak_step(), only when its input moved
 * @info: the entity's verdict, updated
 * @cfg: the detector's parameters
 * @h: the entity's history
 * @now_ns: now, for @info->since_ns
 * @force: judge whatever the history says (the parameters changed)
 *
 * Both judges read whole slots of the history level their window maps to,
 * and whether the window is covered: between two completed slots of the
 * finer of the two levels (every 4^k samples) nothing they read changes.
 * A step over the same verdicts leaves the state as it is (the rules are
 * idempotent), so skipping it then changes nothing but the cost: at the
 * default window the rank tests run once every 256 samples instead of at
 * every one.
 * Return: as memattr_leak_step(); false when skipped.
 */
bool memattr_leak_step_lazy(struct memattr_leak_info *info,
			    const struct memattr_leak_cfg *cfg,
			    const struct memattr_hist *h, u64 now_ns, bool force)
{
	struct memattr_leak_lazy lz;

	memattr_leak_lazy_init(&lz, cfg);
	return memattr_leak_step_keyed(info, cfg, &lz, h, now_ns, force);
}

/**
 * memattr_leak_lazy_init() - memattr_leak_step_lazy()'s key, for @cfg
 * @lz: where it goes
 * @cfg: the detector's parameters
 */
void memattr_leak_lazy_init(struct memattr_leak_lazy *lz,
			    const struct memattr_leak_cfg *cfg)
{
	u32 sample_ms = max_t(u32, cfg->sample_ms, 1);
	unsigned int lvl;

	memattr_leak_level(cfg->window_s, sample_ms, &lz->w_full);
	lvl = memattr_leak_level(cfg->window_s / 2, sample_ms, &lz->w_half);
	lz->shift = MEMATTR_HIST_FANOUT_SHIFT * lvl;
}

/**
 * memattr_leak_step_keyed() - memattr_leak_step_lazy() with its key worked out
 * @info: the entity's verdict, updated
 * @cfg: the detector's parameters
 * @lz: memattr_leak_lazy_init() of @cfg
 * @h: the entity's history
 * @now_ns: now, for @info->since_ns
 * @force: judge whatever the history says (the parameters changed)
 *
 * Return: as memattr_leak_step_lazy().
 */
bool memattr_leak_step_keyed(struct memattr_leak_info *info,
			     const struct memattr_leak_cfg *cfg,
			     const struct memattr_leak_lazy *lz,
			     const struct memattr_hist *h, u64 now_ns,
			     bool force)
{
	u32 key = memattr_leak_lazy_key(lz, h->samples);

	if (!force && info->judged && info->judged_key == key)
		return false;
	info->judged = true;
	info->judged_key = key;
	return memattr_leak_step(info, cfg, h, now_ns);
}

/**
 * memattr_leak_metric_kb() - the footprint a process's leak would grow
 * @sh: the process's shmem accounting; updated
 * @other_kb: anon + swap + page tables now, KiB
 * @shmem_kb: RssShmem now, KiB
 * @prev_other_kb: @other_kb at the last tick
 * @prev_shmem_kb: @shmem_kb at the last tick
 * @alloc_kb: KiB of pages allocated in the process's context since then
 *
 * Mapping shmem that already exists (another process's tmpfs or /dev/shm
 * segment, walked by a shared-memory reader) raises RssShmem without
 * allocating anything: that is not the process's memory growing. Writing
 * new shmem pages allocates them in the process's context. So the
 * allocations go into a bank (at most MEMATTR_LEAK_ALLOC_BANK_KB: the RSS
 * counters lag them), what anon, swap and page tables grew by is paid from
 * it, and mapped shmem counts as the process's own only as far as the bank
 * then pays for its growth; never above what is mapped now.
 *
 * Return: @other_kb plus the own shmem, at most U32_MAX.
 */
u32 memattr_leak_metric_kb(struct memattr_leak_shmem *sh, u64 other_kb,
			   u64 shmem_kb, u64 prev_other_kb, u64 prev_shmem_kb,
			   u64 alloc_kb)
{
	u64 bank = sh->bank_kb + alloc_kb, own = sh->own_kb, paid;

	if (other_kb > prev_other_kb)
		bank -= min(bank, other_kb - prev_other_kb);
	if (shmem_kb > prev_shmem_kb) {
		paid = min(shmem_kb - prev_shmem_kb, bank);
		own += paid;
		bank -= paid;
	}
	sh->own_kb = min(own, shmem_kb);
	sh->bank_kb = min_t(u64, bank, MEMATTR_LEAK_ALLOC_BANK_KB);
	return min_t(u64, other_kb + sh->own_kb, U32_MAX);
}

/**
 * memattr_leak_exhaust_s() - time until a headroom is used up
 * @headroom_kb: memory left, KiB
 * @slope_kb_per_hour: growth, KiB/h
 *
 * Return: seconds until @headroom_kb is used at @slope_kb_per_hour, at most
 * MEMATTR_LEAK_EXHAUST_MAX_S; -1 when the slope is not positive (never).
 */
s64 memattr_leak_exhaust_s(u64 headroom_kb, s64 slope_kb_per_hour)
{
	u64 hours, rem, d;

	if (slope_kb_per_hour <= 0)
		return -1;
	d = slope_kb_per_hour;
	hours = div64_u64_rem(headroom_kb, d, &rem);
	if (hours >= MEMATTR_LEAK_EXHAUST_MAX_S / 3600)
		return MEMATTR_LEAK_EXHAUST_MAX_S;
	/* rem < d: scale both down until rem * 3600 fits; the quotient < 3600. */
	while (rem > U64_MAX / 3600) {
		rem >>= 1;
		d >>= 1;
	}
	return min_t(u64, hours * 3600 + div64_u64(rem * 3600, d),
		     MEMATTR_LEAK_EXHAUST_MAX_S);
}
