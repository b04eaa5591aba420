// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for memattr's pure logic. Built as memattr_kunit.ko only for
 * the debug lane (Debian's stock kernels have no CONFIG_KUNIT); the code under
 * test is compiled in here so that the suites need no exported symbols.
 */
#include <kunit/test.h>

#include "../exhaust.c"
#include "../hist.c"
#include "../klog.c"
#include "../line.c"
#include "../leak.c"
#include "../parse.c"
#include "../report.c"
#include "../watermark.c"
#include "../oom.h"

struct parse_u32_case {
	const char *in;
	u32 min, max;
	int ret;
	u32 out;
};

static const struct parse_u32_case parse_u32_cases[] = {
	{ "1000",	10, 60000, 0,	    1000 },
	{ "1000\n",	10, 60000, 0,	    1000 },
	{ "10",		10, 60000, 0,	    10 },
	{ "60000",	10, 60000, 0,	    60000 },
	{ "9",		10, 60000, -EINVAL, 7 },
	{ "60001",	10, 60000, -EINVAL, 7 },
	{ "",		10, 60000, -EINVAL, 7 },
	{ "\n",		10, 60000, -EINVAL, 7 },
	{ "-5",		10, 60000, -EINVAL, 7 },
	{ "+5",		0,  60000, -EINVAL, 7 },
	{ " 50",	10, 60000, -EINVAL, 7 },
	{ "50 ",	10, 60000, -EINVAL, 7 },
	{ "abc",	10, 60000, -EINVAL, 7 },
	{ "12abc",	10, 60000, -EINVAL, 7 },
	{ "0x20",	10, 60000, -EINVAL, 7 },
	{ "4294967295",	0,  U32_MAX, 0,	    U32_MAX },
	{ "4294967296",	0,  U32_MAX, -EINVAL, 7 },
	{ "99999999999999999999", 0, U32_MAX, -EINVAL, 7 },
};

static void parse_u32_case_desc(const struct parse_u32_case *c, char *desc)
{
	/* %pE: the newlines in some inputs must not break the KTAP line. */
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\" in [%u,%u]",
		 (int)strlen(c->in), c->in, c->min, c->max);
}

KUNIT_ARRAY_PARAM(parse_u32, parse_u32_cases, parse_u32_case_desc);

/*
 * Invariant: a value is accepted only when it is plain decimal inside the
 * range; everything else is -EINVAL and leaves the output untouched.
 */
static void memattr_parse_u32_range_test(struct kunit *test)
{
	const struct parse_u32_case *c = test->param_value;
	u32 out = 7;

	KUNIT_EXPECT_EQ(test, memattr_parse_u32_range(c->in, c->min, c->max,
						      &out), c->ret);
	KUNIT_EXPECT_EQ(test, out, c->out);
}

struct parse_wm_case {
	const char *in;
	int ret;
	unsigned int nr;
	u8 levels[MEMATTR_WATERMARKS_MAX];
};

static const struct parse_wm_case parse_wm_cases[] = {
	{ "85,92,97",	0, 3, { 85, 92, 97 } },
	{ "85,92,97\n",	0, 3, { 85, 92, 97 } },
	{ "50",		0, 1, { 50 } },
	{ "1,2,3,4,5,6,7,99", 0, 8, { 1, 2, 3, 4, 5, 6, 7, 99 } },
	{ "1,2,3,4,5,6,7,8,9", -EINVAL },
	{ "",		-EINVAL },
	{ "\n",		-EINVAL },
	{ "0",		-EINVAL },
	{ "100",	-EINVAL },
	{ "050",	-EINVAL },
	{ "92,85",	-EINVAL },
	{ "85,85",	-EINVAL },
	{ "85,,92",	-EINVAL },
	{ "85,92,",	-EINVAL },
	{ ",85",	-EINVAL },
	{ " 85",	-EINVAL },
	{ "85 ,92",	-EINVAL },
	{ "-5,10",	-EINVAL },
	{ "85;92",	-EINVAL },
	{ "abc",	-EINVAL },
};

static void parse_wm_case_desc(const struct parse_wm_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\"", (int)strlen(c->in),
		 c->in);
}

KUNIT_ARRAY_PARAM(parse_wm, parse_wm_cases, parse_wm_case_desc);

/*
 * Invariant: only 1..8 strictly increasing levels in [1, 99], comma
 * separated, are accepted; on error the outputs are untouched.
 */
static void memattr_parse_watermarks_test(struct kunit *test)
{
	const struct parse_wm_case *c = test->param_value;
	u8 levels[MEMATTR_WATERMARKS_MAX] = { 7, 7, 7, 7, 7, 7, 7, 7 };
	unsigned int i, nr = 42;

	KUNIT_EXPECT_EQ(test, memattr_parse_watermarks(c->in, levels, &nr),
			c->ret);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, nr, 42U);
		KUNIT_EXPECT_EQ(test, levels[0], 7);
		return;
	}
	KUNIT_EXPECT_EQ(test, nr, c->nr);
	for (i = 0; i < c->nr; i++)
		KUNIT_EXPECT_EQ(test, levels[i], c->levels[i]);
}

static struct kunit_case memattr_parse_cases[] = {
	KUNIT_CASE_PARAM(memattr_parse_u32_range_test, parse_u32_gen_params),
	KUNIT_CASE_PARAM(memattr_parse_watermarks_test, parse_wm_gen_params),
	{}
};

static struct kunit_suite memattr_parse_suite = {
	.name = "memattr_parse",
	.test_cases = memattr_parse_cases,
};

/* --- history ------------------------------------------------------------ */

/* Level 0 keeps the raw samples, newest first, and wraps after SLOTS. */
static void memattr_hist_level0_ring_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	unsigned int i, n = MEMATTR_HIST_SLOTS + 5;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 1; i <= n; i++)
		memattr_hist_push(h, i * 10);
	KUNIT_EXPECT_EQ(test, h->samples, (u64)n);
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 0), MEMATTR_HIST_SLOTS);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 0, 0), n * 10);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 0, MEMATTR_HIST_SLOTS - 1),
			(n - MEMATTR_HIST_SLOTS + 1) * 10);
	/* Out of range reads are 0, not garbage. */
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 0, MEMATTR_HIST_SLOTS), 0U);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, MEMATTR_HIST_LEVELS, 0), 0U);
}

/* A level-1 slot is the floor (minimum) of FANOUT level-0 samples. */
static void memattr_hist_floor_test(struct kunit *test)
{
	static const u32 in[] = { 50, 20, 90, 30, 70, 80, 60, 75 };
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	BUILD_BUG_ON(MEMATTR_HIST_FANOUT != 4);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		memattr_hist_push(h, in[i]);
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 1), 2U);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 1, 0), 60U);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 1, 1), 20U);
	/* Not yet FANOUT level-1 slots: level 2 is still empty. */
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 2), 0U);
}

/*
 * A GC sawtooth over a flat floor keeps a flat floor at every level above
 * the sawtooth's period: the peaks never reach the coarse levels.
 */
static void memattr_hist_sawtooth_floor_flat_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	unsigned int i, age;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < 4096; i++)
		memattr_hist_push(h, 1000 + (i % 4) * 5000);
	for (age = 0; age < memattr_hist_used(h, 2); age++)
		KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 2, age), 1000U);
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 5), 4U);
}

/* Level k's slots stand for FANOUT^k samples each. */
static void memattr_hist_span_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, memattr_hist_span(0), 1ULL);
	KUNIT_EXPECT_EQ(test, memattr_hist_span(1), (u64)MEMATTR_HIST_FANOUT);
	KUNIT_EXPECT_EQ(test, memattr_hist_span(3),
			(u64)MEMATTR_HIST_FANOUT * MEMATTR_HIST_FANOUT *
			MEMATTR_HIST_FANOUT);
}

/*
 * The history stays small and its coarsest level spans the longest leak
 * window (7 days) at the default 1 s period.
 */
static void memattr_hist_capacity_test(struct kunit *test)
{
	KUNIT_EXPECT_LE(test, sizeof(struct memattr_hist), (size_t)800);
	KUNIT_EXPECT_GE(test, MEMATTR_HIST_SLOTS *
			memattr_hist_span(MEMATTR_HIST_LEVELS - 1),
			7ULL * 24 * 3600);
}

/* reset forgets everything. */
static void memattr_hist_reset_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < 100; i++)
		memattr_hist_push(h, i);
	memattr_hist_reset(h);
	KUNIT_EXPECT_EQ(test, h->samples, 0ULL);
	for (i = 0; i < MEMATTR_HIST_LEVELS; i++)
		KUNIT_EXPECT_EQ(test, memattr_hist_used(h, i), 0U);
}

static struct kunit_case memattr_hist_cases[] = {
	KUNIT_CASE(memattr_hist_level0_ring_test),
	KUNIT_CASE(memattr_hist_floor_test),
	KUNIT_CASE(memattr_hist_sawtooth_floor_flat_test),
	KUNIT_CASE(memattr_hist_span_test),
	KUNIT_CASE(memattr_hist_capacity_test),
	KUNIT_CASE(memattr_hist_reset_test),
	{}
};

static struct kunit_suite memattr_hist_suite = {
	.name = "memattr_hist",
	.test_cases = memattr_hist_cases,
};

/* --- leak detector ------------------------------------------------------- */

/*
 * The acceptance scenarios run in accelerated time: a 100 ms period, a 20 s
 * window (200 samples) and a 36000 KiB/h (10 KiB/s) minimum rate. Samples
 * are KiB; sample i is taken at i * 100 ms.
 */
#define LEAK_MIB		1024U
#define LEAK_BASE_KB		(10 * LEAK_MIB)
#define LEAK_SAMPLE_NS		(100 * NSEC_PER_MSEC)
#define LEAK_WINDOW		200U	/* samples in the 20 s window */

static const struct memattr_leak_cfg leak_cfg = {
	.sample_ms = 100,
	.window_s = 20,
	.min_kb_per_hour = 36000,
};

/* What one run of memattr_leak_step() over a synthetic footprint did. */
struct leak_run {
	unsigned int transitions;	/* step() returned true */
	int first_suspect;		/* first sample in SUSPECT, -1: never */
	int first_leak;			/* first sample in LEAK, -1: never */
	int left_leak;			/* first sample out of LEAK after it */
	int last_leak;			/* last sample entering LEAK */
	s64 event_growth;		/* growth at the first LEAK */
	u8 max_state;			/* highest state seen */
	s64 max_abs_growth;		/* once the full window is covered */
	struct memattr_leak_info info;	/* at the end */
	/*
	 * step() returned true without entering or leaving LEAK, or false
	 * when it did, or a change of state left since_ns behind.
	 */
	bool inconsistent;
};

typedef u32 (*leak_gen_t)(unsigned int i);

/* Push @n samples of @gen, stepping the detector after each. */
static void leak_simulate(struct kunit *test,
			  const struct memattr_leak_cfg *cfg, leak_gen_t gen,
			  unsigned int n, struct leak_run *r)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	u64 window = div_u64((u64)cfg->window_s * MSEC_PER_SEC, cfg->sample_ms);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	memset(r, 0, sizeof(*r));
	r->first_suspect = -1;
	r->first_leak = -1;
	r->left_leak = -1;
	r->last_leak = -1;
	for (i = 0; i < n; i++) {
		u8 old = r->info.state;
		bool edge, was, is;

		memattr_hist_push(h, gen(i));
		edge = memattr_leak_step(&r->info, cfg, h, i * LEAK_SAMPLE_NS);
		was = old == MEMATTR_LEAK_LEAK;
		is = r->info.state == MEMATTR_LEAK_LEAK;
		r->transitions += edge;
		if (edge ^ was ^ is)	/* true exactly on a LEAK edge */
			r->inconsistent = true;
		if (r->info.state != old &&
		    r->info.since_ns != i * LEAK_SAMPLE_NS)
			r->inconsistent = true;
		if (r->info.state == MEMATTR_LEAK_SUSPECT &&
		    r->first_suspect < 0)
			r->first_suspect = i;
		if (r->info.state == MEMATTR_LEAK_LEAK && r->first_leak < 0) {
			r->first_leak = i;
			r->event_growth = r->info.growth_kb_per_hour;
		}
		if (r->info.state == MEMATTR_LEAK_LEAK && !was)
			r->last_leak = i;
		if (old == MEMATTR_LEAK_LEAK &&
		    r->info.state != MEMATTR_LEAK_LEAK && r->left_leak < 0)
			r->left_leak = i;
		r->max_state = max(r->max_state, r->info.state);
		if (i + 1 >= window)
			r->max_abs_growth = max(r->max_abs_growth,
						abs(r->info.growth_kb_per_hour));
	}
}

/* 1 MiB/s (102.4 KiB a sample) from the base. */
static u32 leak_gen_linear(unsigned int i)
{
	return LEAK_BASE_KB + i * 1024 / 10;
}

/*
 * Invariant: a steady 1 MiB/s growth is a LEAK as soon as the window is
 * covered (within 25 s), reported by exactly one true return, with the
 * growth measured within 15%.
 */
static void memattr_leak_linear_test(struct kunit *test)
{
	const s64 rate = 3686400;	/* 1 MiB/s in KiB/h */
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_linear, 400, &r);
	KUNIT_EXPECT_GE(test, r.first_leak, 0);
	KUNIT_EXPECT_LE(test, r.first_leak, 250);
	KUNIT_EXPECT_EQ(test, r.transitions, 1U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
	KUNIT_EXPECT_EQ(test, r.info.state, MEMATTR_LEAK_LEAK);
	KUNIT_EXPECT_EQ(test, r.info.since_ns, r.first_leak * LEAK_SAMPLE_NS);
	KUNIT_EXPECT_GE(test, r.info.growth_kb_per_hour, rate * 85 / 100);
	KUNIT_EXPECT_LE(test, r.info.growth_kb_per_hour, rate * 115 / 100);
}

/* GC sawtooth: base to base + 64 MiB over 4 s, then back down. */
static u32 leak_gen_sawtooth(unsigned int i)
{
	return LEAK_BASE_KB + (i % 40) * 64 * LEAK_MIB / 40;
}

/* Flat with +-1% noise (a fixed pseudo-random sequence). */
static u32 leak_gen_noise(unsigned int i)
{
	return LEAK_BASE_KB + ((i * 2654435761U) >> 16) % 205 - 102;
}

/* One 50 MiB step up at 30 s, flat before and after. */
static u32 leak_gen_step(unsigned int i)
{
	return LEAK_BASE_KB + (i >= 300 ? 50 * LEAK_MIB : 0);
}

/* One sample 200 MiB above a flat footprint, at 30 s. */
static u32 leak_gen_spike(unsigned int i)
{
	return LEAK_BASE_KB + (i == 300 ? 200 * LEAK_MIB : 0);
}

struct leak_quiet_case {
	const char *name;
	leak_gen_t gen;
	unsigned int samples;
	s64 max_abs_growth;	/* KiB/h, once the window is covered */
};

/*
 * Footprints that are not leaks; none may leave OK. The step's growth is
 * not bounded: while the step is inside the window the Theil-Sen slope does
 * see it, only the gradual test (and the rank test on the floor) keep it
 * from being a leak.
 */
static const struct leak_quiet_case leak_quiet_cases[] = {
	{ "GC sawtooth 64 MiB / 4 s", leak_gen_sawtooth, 600, 36000 / 2 },
	{ "flat +-1% noise", leak_gen_noise, 600, 36000 / 2 },
	{ "one 50 MiB step", leak_gen_step, 900, S64_MAX },
	{ "one 200 MiB spike", leak_gen_spike, 600, 36000 / 2 },
};

static void leak_quiet_case_desc(const struct leak_quiet_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(leak_quiet, leak_quiet_cases, leak_quiet_case_desc);

/*
 * Invariant: a GC sawtooth over a flat floor, flat noisy data, a single
 * step up and a single spike are never SUSPECT or LEAK, and (but for the
 * step) the growth stays below half the minimum rate once the window is
 * covered.
 */
static void memattr_leak_quiet_test(struct kunit *test)
{
	const struct leak_quiet_case *c = test->param_value;
	struct leak_run r;

	leak_simulate(test, &leak_cfg, c->gen, c->samples, &r);
	KUNIT_EXPECT_EQ(test, r.max_state, MEMATTR_LEAK_OK);
	KUNIT_EXPECT_EQ(test, r.transitions, 0U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
	KUNIT_EXPECT_LE(test, r.max_abs_growth, c->max_abs_growth);
}

/* 1 MiB/s for 15 s, then flat. */
static u32 leak_gen_grow_then_flat(unsigned int i)
{
	return LEAK_BASE_KB + min(i, 150U) * 1024 / 10;
}

/*
 * Invariant: growth that stops is reported while it lasts and cleared
 * within one window after it stopped. The full window cannot be covered
 * within 15 s of a 20 s window, so during the growth the detector reaches
 * SUSPECT (half window, at 10 s); it enters LEAK when the full window is
 * covered (20 s, the window still mostly growth) and leaves it, with one
 * true return, before 15 s + 20 s.
 */
static void memattr_leak_growth_stops_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_grow_then_flat, 550, &r);
	KUNIT_EXPECT_GE(test, r.first_suspect, 0);
	KUNIT_EXPECT_LT(test, r.first_suspect, 150);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
	if (r.first_leak >= 0) {
		KUNIT_EXPECT_EQ(test, r.transitions, 2U);
		KUNIT_EXPECT_GT(test, r.left_leak, r.first_leak);
		KUNIT_EXPECT_LE(test, r.left_leak, 150 + (int)LEAK_WINDOW);
	} else {
		KUNIT_EXPECT_EQ(test, r.transitions, 0U);
	}
	KUNIT_EXPECT_NE(test, r.info.state, MEMATTR_LEAK_LEAK);
	KUNIT_EXPECT_EQ(test, r.info.growth_kb_per_hour, 0);
}

/* 20 KiB/s (2x the minimum) under the 64 MiB / 4 s GC sawtooth. */
static u32 leak_gen_slow_sawtooth(unsigned int i)
{
	return leak_gen_sawtooth(i) + i * 2;
}

/*
 * Invariant: a slow leak hidden under a GC sawtooth 160 times its growth
 * per window is found from the rising floor within two windows, and its
 * growth is measured within 15%.
 */
static void memattr_leak_slow_under_gc_test(struct kunit *test)
{
	const s64 rate = 2 * 36000;
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_slow_sawtooth, 600, &r);
	KUNIT_EXPECT_GE(test, r.first_leak, 0);
	KUNIT_EXPECT_LE(test, r.first_leak, 2 * (int)LEAK_WINDOW);
	KUNIT_EXPECT_EQ(test, r.transitions, 1U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
	KUNIT_EXPECT_EQ(test, r.info.state, MEMATTR_LEAK_LEAK);
	KUNIT_EXPECT_GE(test, r.info.growth_kb_per_hour, rate * 85 / 100);
	KUNIT_EXPECT_LE(test, r.info.growth_kb_per_hour, rate * 115 / 100);
}

/* The minimum rate (1 KiB a sample, 10 KiB/s) with +-1% noise. */
static u32 leak_gen_at_min(unsigned int i)
{
	return LEAK_BASE_KB + i + ((i * 2654435761U) >> 16) % 205 - 102;
}

/*
 * Invariant (hysteresis): growth at the minimum rate with noise, hovering
 * on the edge of the threshold, enters LEAK once and never flaps.
 */
static void memattr_leak_edge_no_flap_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_at_min, 1200, &r);
	KUNIT_EXPECT_LE(test, r.transitions, 1U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
}

/*
 * Invariant: the longest window, 7 days at 1 s, is judged from the fixed
 * history (O(1) memory): not covered before 604800 samples, then covered
 * with points from the one level that spans it, and a leak at twice the
 * minimum rate is measured within 15%.
 */
static void memattr_leak_week_window_test(struct kunit *test)
{
	static const struct memattr_leak_cfg cfg = {
		.sample_ms = 1000,
		.window_s = 7 * 24 * 3600,
		.min_kb_per_hour = 4096,
	};
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	const u64 w = cfg.window_s;	/* samples, at 1 s */
	struct memattr_leak_verdict v;
	unsigned int lvl = MEMATTR_HIST_LEVELS - 1;
	u64 i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	/* The coarsest level spans the window, the one below does not. */
	KUNIT_ASSERT_GE(test, MEMATTR_HIST_SLOTS * memattr_hist_span(lvl), w);
	KUNIT_ASSERT_LT(test, MEMATTR_HIST_SLOTS * memattr_hist_span(lvl - 1),
			w);
	for (i = 0; i < w; i++) {
		memattr_hist_push(h, LEAK_BASE_KB + div_u64(i * 8192, 3600));
		if (i + 2 == w) {
			memattr_leak_judge(h, &cfg, cfg.window_s, &v);
			KUNIT_EXPECT_FALSE(test, v.covered);
		}
	}
	memattr_leak_judge(h, &cfg, cfg.window_s, &v);
	KUNIT_EXPECT_TRUE(test, v.covered);
	KUNIT_EXPECT_GT(test, v.points, 0U);
	KUNIT_EXPECT_EQ(test, v.points, memattr_hist_used(h, lvl));
	KUNIT_EXPECT_LE(test, v.points, MEMATTR_HIST_SLOTS);
	KUNIT_EXPECT_TRUE(test, v.rising);
	KUNIT_EXPECT_TRUE(test, v.above_baseline);
	KUNIT_EXPECT_TRUE(test, v.gradual);
	KUNIT_EXPECT_GE(test, v.slope_kb_per_hour, 8192 * 85 / 100);
	KUNIT_EXPECT_LE(test, v.slope_kb_per_hour, 8192 * 115 / 100);
}

/*
 * Invariant: a window is read from the finest level whose slots span it;
 * covered only once the history holds the whole window. 20 s at 100 ms is
 * 200 samples: level 2 (16 samples a slot, 320 in all), 13 points.
 */
static void memattr_leak_judge_points_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct memattr_leak_verdict v;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	memattr_leak_judge(h, &leak_cfg, leak_cfg.window_s, &v);
	KUNIT_EXPECT_EQ(test, v.points, 0U);
	KUNIT_EXPECT_FALSE(test, v.covered);
	KUNIT_EXPECT_FALSE(test, v.rising);
	KUNIT_EXPECT_EQ(test, v.slope_kb_per_hour, 0);
	for (i = 0; i < LEAK_WINDOW - 1; i++)
		memattr_hist_push(h, leak_gen_linear(i));
	memattr_leak_judge(h, &leak_cfg, leak_cfg.window_s, &v);
	KUNIT_EXPECT_FALSE(test, v.covered);
	KUNIT_EXPECT_EQ(test, v.points, (LEAK_WINDOW - 1) / 16);
	memattr_hist_push(h, leak_gen_linear(i++));
	memattr_leak_judge(h, &leak_cfg, leak_cfg.window_s, &v);
	KUNIT_EXPECT_TRUE(test, v.covered);
	for (; i < 1000; i++)
		memattr_hist_push(h, leak_gen_linear(i));
	memattr_leak_judge(h, &leak_cfg, leak_cfg.window_s, &v);
	KUNIT_EXPECT_EQ(test, v.points, DIV_ROUND_UP(LEAK_WINDOW, 16));
	/* A 1 s window (10 samples) fits level 0: one point a sample. */
	memattr_leak_judge(h, &(struct memattr_leak_cfg){ 100, 2, 36000 }, 1,
			   &v);
	KUNIT_EXPECT_EQ(test, v.points, 10U);
}

/*
 * Invariant: a falling footprint has a negative slope and is not rising;
 * exhaustion of a falling footprint is "never".
 */
static void memattr_leak_falling_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct memattr_leak_verdict v;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < 400; i++)
		memattr_hist_push(h, 100 * LEAK_MIB - i * 1024 / 10);
	memattr_leak_judge(h, &leak_cfg, leak_cfg.window_s, &v);
	KUNIT_EXPECT_TRUE(test, v.covered);
	KUNIT_EXPECT_LT(test, v.slope_kb_per_hour, -3686400LL * 85 / 100);
	KUNIT_EXPECT_FALSE(test, v.rising);
	KUNIT_EXPECT_FALSE(test, v.above_baseline);
	KUNIT_EXPECT_EQ(test, memattr_leak_exhaust_s(1024,
						     v.slope_kb_per_hour), -1);
}

/*
 * Invariant: a history restart (exec, new period) ends a LEAK at once:
 * the window is no longer covered.
 */
static void memattr_leak_reset_clears_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct memattr_leak_info info = {};
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (i = 0; i < 300; i++) {
		memattr_hist_push(h, leak_gen_linear(i));
		memattr_leak_step(&info, &leak_cfg, h, i * LEAK_SAMPLE_NS);
	}
	KUNIT_ASSERT_EQ(test, info.state, MEMATTR_LEAK_LEAK);
	memattr_hist_reset(h);
	memattr_hist_push(h, leak_gen_linear(i));
	KUNIT_EXPECT_TRUE(test, memattr_leak_step(&info, &leak_cfg, h,
						  i * LEAK_SAMPLE_NS));
	KUNIT_EXPECT_EQ(test, info.state, MEMATTR_LEAK_OK);
	KUNIT_EXPECT_EQ(test, info.since_ns, i * LEAK_SAMPLE_NS);
}

struct leak_exhaust_case {
	const char *name;
	u64 headroom_kb;
	s64 slope;
	s64 secs;
};

static const struct leak_exhaust_case leak_exhaust_cases[] = {
	{ "flat",		1024,	   0,	     -1 },
	{ "falling",		1024,	   -4096,    -1 },
	{ "most negative",	1024,	   S64_MIN,  -1 },
	{ "1 MiB at 2 MiB/h",	1024,	   2048,     1800 },
	{ "1 GiB at 1 MiB/s",	1 << 20,   3686400,  1024 },
	{ "rounds down",	1,	   7,	     514 },
	{ "no headroom",	0,	   4096,     0 },
	{ "huge headroom",	U64_MAX,   1,	     MEMATTR_LEAK_EXHAUST_MAX_S },
	{ "just below the cap",	(MEMATTR_LEAK_EXHAUST_MAX_S - 1) / 3600, 1,
	  (MEMATTR_LEAK_EXHAUST_MAX_S - 1) / 3600 * 3600 },
	{ "huge both",		U64_MAX,   S64_MAX,  7200 },
	{ "huge slope",		1 << 20,   S64_MAX,  0 },
};

static void leak_exhaust_case_desc(const struct leak_exhaust_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(leak_exhaust, leak_exhaust_cases, leak_exhaust_case_desc);

/*
 * Invariant: time to exhaustion is headroom / slope in seconds, -1 when
 * the footprint is not growing, capped at MEMATTR_LEAK_EXHAUST_MAX_S and
 * never overflowing.
 */
static void memattr_leak_exhaust_test(struct kunit *test)
{
	const struct leak_exhaust_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, memattr_leak_exhaust_s(c->headroom_kb, c->slope),
			c->secs);
}

/* Up 1 MiB/s for 40 s, down for 40 s, again: a cycle (issue 11). */
static u32 leak_gen_cycle(unsigned int i)
{
	unsigned int x = i % 800;

	return LEAK_BASE_KB + (x < 400 ? x : 800 - x) * 1024 / 10;
}

/*
 * Invariant (new high): a footprint that rises again to levels it already
 * held is not a leak. The first rise, with no history before it, is a
 * LEAK like any growth from a process's start (sample 199: the window is
 * covered); the rises of the next two cycles come back to the first one's
 * top and are not: LEAK is entered once, left once.
 */
static void memattr_leak_cycle_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_cycle, 3200, &r);
	KUNIT_EXPECT_EQ(test, r.first_leak, 199);
	KUNIT_EXPECT_EQ(test, r.last_leak, 199);
	KUNIT_EXPECT_EQ(test, r.transitions, 2U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
}

/* A warm-up: +64 MiB, the distance left shrinking by 1/8 every second. */
static u32 leak_gen_warmup(unsigned int i)
{
	u64 left = 64 * LEAK_MIB * 8ULL;
	unsigned int k;

	for (k = 0; k < i / 10; k++)
		left = left * 7 / 8;
	return LEAK_BASE_KB + 64 * LEAK_MIB - left / 8;
}

/*
 * Invariant (steady): growth that keeps slowing down (each window's newer
 * half under 2/3 of its older half's rate) is at most SUSPECT, however
 * fast it starts (23 MiB/s here).
 */
static void memattr_leak_warmup_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_warmup, 1200, &r);
	KUNIT_EXPECT_EQ(test, r.max_state, MEMATTR_LEAK_SUSPECT);
	KUNIT_EXPECT_EQ(test, r.first_leak, -1);
	KUNIT_EXPECT_EQ(test, r.transitions, 0U);
}

/* A cache filling at 1 MiB/s for 13 s, then flat. */
static u32 leak_gen_fill(unsigned int i)
{
	return LEAK_BASE_KB + min(i, 130U) * 1024 / 10;
}

/*
 * Invariant (recent quarter): growth that stopped before the window's
 * newest quarter (13 s into a 20 s window) is no LEAK, though the window's
 * floor still rises over most of it.
 */
static void memattr_leak_fill_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_fill, 600, &r);
	KUNIT_EXPECT_EQ(test, r.max_state, MEMATTR_LEAK_SUSPECT);
	KUNIT_EXPECT_EQ(test, r.first_leak, -1);
	KUNIT_EXPECT_EQ(test, r.transitions, 0U);
}

/* +16 MiB every 15 s, each step taken in 1 s, never returned. */
static u32 leak_gen_stairs(unsigned int i)
{
	return LEAK_BASE_KB + i / 150 * 16 * LEAK_MIB +
	       min(i % 150, 10U) * 16 * LEAK_MIB / 10;
}

/*
 * Invariant (long horizon): a staircase, each step a one-off on its own
 * window, is a stepwise LEAK on the 4-window horizon (80 s): entered once,
 * at sample 831 (the horizon's floor has held 5 steps), and kept.
 */
static void memattr_leak_stairs_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_stairs, 1200, &r);
	KUNIT_EXPECT_EQ(test, r.first_leak, 831);
	KUNIT_EXPECT_EQ(test, r.transitions, 1U);
	KUNIT_EXPECT_EQ(test, r.info.state, MEMATTR_LEAK_LEAK);
	KUNIT_EXPECT_TRUE(test, r.info.stepwise);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
}

/* The staircase, whose step due at sample 1200 never comes. */
static u32 leak_gen_stairs_stop(unsigned int i)
{
	return leak_gen_stairs(min(i, 1200U));
}

/*
 * Invariant (a staircase still steps): a stepwise LEAK clears once the
 * 2.5-window horizon (500 samples: 8 slots of level 3, 64 samples each,
 * floored over 2) holds no rise. The last step ends at sample 1060; at
 * sample 1599 slot 24 (1536..1599) completes, the horizon is slots 17..24
 * (1088..1599), all after it: LEAK is left there, not at 1727 where the
 * long horizon's Theil-Sen slope alone let go.
 */
static void memattr_leak_stairs_stop_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_stairs_stop, 2000, &r);
	KUNIT_EXPECT_EQ(test, r.first_leak, 831);
	KUNIT_EXPECT_EQ(test, r.left_leak, 1599);
	KUNIT_EXPECT_EQ(test, r.transitions, 2U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
}

/* The staircase, turned down at sample 700: 2 KiB a sample less from there. */
static u32 leak_gen_stairs_down(unsigned int i)
{
	return i <= 700 ? leak_gen_stairs(i) :
	       leak_gen_stairs(700) - 2 * (i - 700);
}

/*
 * Invariant (a stepwise LEAK needs W's floor not to fall): a floor that
 * stepped up to levels it never held, then turned down at twice the
 * minimum rate (72000 KiB/h), is never LEAK. The long horizon alone still
 * shows the steps at sample 831 and held them to sample 1151; W's slope
 * there is -72000 KiB/h, below -min / 2 (-18000 KiB/h).
 */
static void memattr_leak_stairs_down_test(struct kunit *test)
{
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_stairs_down, 1200, &r);
	KUNIT_EXPECT_EQ(test, r.first_leak, -1);
	KUNIT_EXPECT_EQ(test, r.transitions, 0U);
	KUNIT_EXPECT_FALSE(test, r.inconsistent);
}

/* Flat for 60 s, then 1 MiB/s. */
static u32 leak_gen_hinge(unsigned int i)
{
	return LEAK_BASE_KB + (i > 600 ? i - 600 : 0) * 1024 / 10;
}

/*
 * Invariant (the growing segment): a leak that starts after a flat
 * stretch is LEAK within 1.25 windows (250 samples) of its start, and the
 * event carries its own rate, within 10 %, not a mix with the flat part.
 */
static void memattr_leak_hinge_test(struct kunit *test)
{
	const s64 rate = 3686400;
	struct leak_run r;

	leak_simulate(test, &leak_cfg, leak_gen_hinge, 1200, &r);
	KUNIT_EXPECT_GT(test, r.first_leak, 600);
	KUNIT_EXPECT_LE(test, r.first_leak, 600 + 250);
	KUNIT_EXPECT_GE(test, r.event_growth, rate * 90 / 100);
	KUNIT_EXPECT_LE(test, r.event_growth, rate * 110 / 100);
	KUNIT_EXPECT_EQ(test, r.transitions, 1U);
}

/*
 * Invariant: what an entity reached before a window is read from the slots
 * that ended before it: none while the history is one window long; after
 * 100 samples at 1000 KiB and 100 at 2000, the slots before the last 80
 * samples (level 2 ages 5..11, level 3 age 2, hand-counted) all hold 1000.
 */
static void memattr_leak_reached_test(struct kunit *test)
{
	static const struct memattr_leak_cfg cfg = { 1000, 80, 4096 };
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	u32 lo = 0, hi = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	memattr_hist_push_n(h, 1000, 80);
	KUNIT_EXPECT_FALSE(test, memattr_leak_reached(h, &cfg, 80, &lo, &hi));
	for (i = 80; i < 200; i++)
		memattr_hist_push(h, i < 100 ? 1000 : 2000);
	KUNIT_EXPECT_TRUE(test, memattr_leak_reached(h, &cfg, 80, &lo, &hi));
	KUNIT_EXPECT_EQ(test, lo, 1000U);
	KUNIT_EXPECT_EQ(test, hi, 1000U);
}

/*
 * Invariant: the drawdown is the largest fall from a floor to a later one,
 * on the levels coarser than the window's. Window 80 samples: level 1; so
 * levels 2 (16 samples a slot) and 3 (64) are read. 64 samples at 1000 KiB
 * then 64 at 3000: both levels only rise, 0. Then 64 at 2000: level 2 holds
 * 1000 x4, 3000 x4, 2000 x4 and level 3 1000, 3000, 2000: a fall of 1000.
 */
static void memattr_leak_drawdown_test(struct kunit *test)
{
	static const struct memattr_leak_cfg cfg = { 1000, 80, 4096 };
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, memattr_leak_drawdown(h, &cfg, 80), 0U);
	memattr_hist_push_n(h, 1000, 64);
	memattr_hist_push_n(h, 3000, 64);
	KUNIT_EXPECT_EQ(test, memattr_leak_drawdown(h, &cfg, 80), 0U);
	memattr_hist_push_n(h, 2000, 64);
	KUNIT_EXPECT_EQ(test, memattr_leak_drawdown(h, &cfg, 80), 1000U);
}

struct leak_metric_case {
	const char *name;
	struct memattr_leak_shmem in, out;
	u64 other, shmem, prev_other, prev_shmem, alloc;
	u32 ret;
};

static const struct leak_metric_case leak_metric_cases[] = {
	/* Maps 4 MiB another process wrote; 16 KiB of page tables. */
	{ "reader", { 0, 0 }, { 16, 0 }, 1000, 4096, 1000, 0, 16, 1016 },
	{ "writer", { 0, 0 }, { 4096, 0 }, 1000, 4096, 1000, 0, 4096, 5096 },
	/* Allocated in one tick, in RssShmem the next. */
	{ "RSS late, 1", { 0, 0 }, { 0, 256 }, 1000, 0, 1000, 0, 256, 1000 },
	{ "RSS late, 2", { 0, 256 }, { 256, 0 }, 1000, 256, 1000, 0, 0, 1256 },
	/* Anon growth is paid first. */
	{ "anon grew", { 0, 0 }, { 0, 0 }, 1100, 100, 1000, 0, 100, 1100 },
	{ "bank capped", { 0, 0 }, { 0, MEMATTR_LEAK_ALLOC_BANK_KB },
	  1000, 0, 1000, 0, 10000, 1000 },
	/* Unmapped: never more own than mapped. */
	{ "unmapped", { 500, 0 }, { 200, 0 }, 1000, 200, 1000, 800, 0, 1200 },
};

static void leak_metric_case_desc(const struct leak_metric_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(leak_metric, leak_metric_cases, leak_metric_case_desc);

/*
 * Invariant: mapped shmem counts as a process's own only as far as its own
 * page allocations (banked up to MEMATTR_LEAK_ALLOC_BANK_KB, less its anon
 * growth) pay for it, and never above what is mapped.
 */
static void memattr_leak_metric_test(struct kunit *test)
{
	const struct leak_metric_case *c = test->param_value;
	struct memattr_leak_shmem sh = c->in;

	KUNIT_EXPECT_EQ(test, memattr_leak_metric_kb(&sh, c->other, c->shmem,
						     c->prev_other,
						     c->prev_shmem, c->alloc),
			c->ret);
	KUNIT_EXPECT_EQ(test, sh.own_kb, c->out.own_kb);
	KUNIT_EXPECT_EQ(test, sh.bank_kb, c->out.bank_kb);
}

struct hist_periods_case {
	const char *name;
	u64 n, start_ns, now_ns;
	u32 period_ms;
	unsigned int ret;
	u64 n_out;
};

static const struct hist_periods_case hist_periods_cases[] = {
	{ "on time, late 24 ms", 0, 0, 1024000000ULL, 1000, 1, 1 },
	{ "one missed", 1, 0, 3100000000ULL, 1000, 2, 3 },
	{ "kicked early", 3, 0, 3400000000ULL, 1000, 1, 4 },
	{ "stalled 700 periods", 4, 0, 704000000000ULL, 1000,
	  MEMATTR_HIST_CATCHUP_MAX, 704 },
	{ "clock before start", 0, 5000000000ULL, 1000000000ULL, 1000, 1, 1 },
	{ "half a period late", 7, 1000, 7 * 100000000ULL + 50001000, 100,
	  1, 8 },
};

static void hist_periods_case_desc(const struct hist_periods_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hist_periods, hist_periods_cases, hist_periods_case_desc);

/*
 * Invariant (measured time): a tick stands at the period nearest to it,
 * at least one after the last tick's; it stands for the periods since
 * then, at most MEMATTR_HIST_CATCHUP_MAX.
 */
static void memattr_hist_periods_test(struct kunit *test)
{
	const struct hist_periods_case *c = test->param_value;
	u64 n = c->n;

	KUNIT_EXPECT_EQ(test, memattr_hist_periods(&n, c->start_ns, c->now_ns,
						   c->period_ms), c->ret);
	KUNIT_EXPECT_EQ(test, n, c->n_out);
}

/*
 * Invariant: a sample pushed for n periods is n samples of the history,
 * folded into the coarser levels as n pushes would be; n = 0 adds nothing.
 */
static void memattr_hist_push_n_test(struct kunit *test)
{
	struct memattr_hist *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	memattr_hist_push_n(h, 7, 5);
	memattr_hist_push_n(h, 3, 0);
	KUNIT_EXPECT_EQ(test, h->samples, 5ULL);
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 0), 5U);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 0, 4), 7U);
	KUNIT_EXPECT_EQ(test, memattr_hist_used(h, 1), 1U);
	KUNIT_EXPECT_EQ(test, memattr_hist_get(h, 1, 0), 7U);
}

struct exhaust_proc_case {
	const char *name;
	u64 available_kb;
	u64 cg_headroom_kb;	/* MEMATTR_EXHAUST_NO_LIMIT: no limit */
	s64 slope;		/* KiB/h */
	s64 secs;
};

static const struct exhaust_proc_case exhaust_proc_cases[] = {
	/* 7200 KiB at 3600 KiB/h: 2 h */
	{ "system, no limit",	7200,	   MEMATTR_EXHAUST_NO_LIMIT, 3600, 7200 },
	/* the cgroup's 1 MiB at 2 MiB/h: 30 min, before the system's 1 GiB */
	{ "cgroup first",	1 << 20,   1024,    2048,     1800 },
	/* the system's 1 MiB first, under a 1 GiB headroom */
	{ "system first",	1024,	   1 << 20, 2048,     1800 },
	{ "both the same",	4096,	   4096,    4096,     3600 },
	/* a cgroup at (or over) its limit: out now */
	{ "no headroom",	1 << 20,   0,	    4096,     0 },
	{ "flat",		1024,	   1024,    0,	      -1 },
	{ "shrinking",		1024,	   1024,    -4096,    -1 },
	{ "shrinking, no room",	0,	   0,	    -1,	      -1 },
	/* 1 TiB at 1 KiB/h: 2^30 h, past 100 years */
	{ "clamped",		1ULL << 30, MEMATTR_EXHAUST_NO_LIMIT, 1,
	  MEMATTR_LEAK_EXHAUST_MAX_S },
	{ "clamped, huge",	U64_MAX,   MEMATTR_EXHAUST_NO_LIMIT, 1,
	  MEMATTR_LEAK_EXHAUST_MAX_S },
	/* the cap applies to the smaller headroom: 2^20 h, still past it */
	{ "clamped by cgroup",	U64_MAX,   1 << 20, 1,
	  MEMATTR_LEAK_EXHAUST_MAX_S },
	/* 876000 h is the cap: 875999 KiB at 1 KiB/h stays under it */
	{ "just under the cap",	875999,	   MEMATTR_EXHAUST_NO_LIMIT, 1,
	  875999LL * 3600 },
};

static void exhaust_proc_case_desc(const struct exhaust_proc_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exhaust_proc, exhaust_proc_cases, exhaust_proc_case_desc);

/*
 * Invariant: a process's time to exhaustion is the smaller headroom (the
 * system's available memory, its cgroups' room under memory.max) over its
 * growth, in seconds; -1 (none) when not growing; capped at
 * MEMATTR_LEAK_EXHAUST_MAX_S.
 */
static void memattr_exhaust_proc_test(struct kunit *test)
{
	const struct exhaust_proc_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, memattr_exhaust_proc_s(c->available_kb,
						     c->cg_headroom_kb,
						     c->slope),
			c->secs);
}

#define EXHAUST_DEPTH_MAX	4

struct exhaust_headroom_case {
	const char *name;
	/* memory.max and usage, the process's cgroup first, then ancestors */
	u64 limit_kb[EXHAUST_DEPTH_MAX];
	u64 usage_kb[EXHAUST_DEPTH_MAX];
	unsigned int depth;
	u64 headroom_kb;
};

#define NL	U64_MAX		/* no memory.max */

static const struct exhaust_headroom_case exhaust_headroom_cases[] = {
	{ "no limit anywhere", { NL, NL }, { 100, 200 }, 2,
	  MEMATTR_EXHAUST_NO_LIMIT },
	{ "own limit", { 65536 }, { 16384 }, 1, 49152 },
	/* the parent has 32768 - 30000 = 2768 left, the child 49152 */
	{ "parent tighter", { 65536, 32768 }, { 16384, 30000 }, 2, 2768 },
	/* the child 1000 - 400 = 600, the grandparent 1 GiB - 1000 */
	{ "own tighter", { 1000, NL, 1 << 20 }, { 400, 500, 1000 }, 3, 600 },
	{ "limit only above", { NL, NL, 8192 }, { 10, 20, 4096 }, 3, 4096 },
	{ "over its limit", { 1000, 4096 }, { 1200, 1300 }, 2, 0 },
};

static void exhaust_headroom_case_desc(const struct exhaust_headroom_case *c,
				       char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exhaust_headroom, exhaust_headroom_cases,
		  exhaust_headroom_case_desc);

/*
 * Invariant: the headroom a process has is the least limit - usage along
 * its cgroup's path to the root, none below 0, and no limit when none of
 * them has one.
 */
static void memattr_exhaust_headroom_test(struct kunit *test)
{
	const struct exhaust_headroom_case *c = test->param_value;
	u64 headroom = MEMATTR_EXHAUST_NO_LIMIT;
	unsigned int i;

	for (i = 0; i < c->depth; i++)
		headroom = memattr_exhaust_headroom_kb(headroom, c->limit_kb[i],
						       c->usage_kb[i]);
	KUNIT_EXPECT_EQ(test, headroom, c->headroom_kb);
}

#undef NL

static struct kunit_case memattr_leak_cases[] = {
	KUNIT_CASE(memattr_leak_linear_test),
	KUNIT_CASE_PARAM(memattr_leak_quiet_test, leak_quiet_gen_params),
	KUNIT_CASE(memattr_leak_growth_stops_test),
	KUNIT_CASE(memattr_leak_slow_under_gc_test),
	KUNIT_CASE(memattr_leak_edge_no_flap_test),
	KUNIT_CASE(memattr_leak_week_window_test),
	KUNIT_CASE(memattr_leak_judge_points_test),
	KUNIT_CASE(memattr_leak_falling_test),
	KUNIT_CASE(memattr_leak_reset_clears_test),
	KUNIT_CASE_PARAM(memattr_leak_exhaust_test, leak_exhaust_gen_params),
	KUNIT_CASE(memattr_leak_cycle_test),
	KUNIT_CASE(memattr_leak_warmup_test),
	KUNIT_CASE(memattr_leak_fill_test),
	KUNIT_CASE(memattr_leak_stairs_test),
	KUNIT_CASE(memattr_leak_stairs_stop_test),
	KUNIT_CASE(memattr_leak_stairs_down_test),
	KUNIT_CASE(memattr_leak_hinge_test),
	KUNIT_CASE(memattr_leak_reached_test),
	KUNIT_CASE(memattr_leak_drawdown_test),
	KUNIT_CASE_PARAM(memattr_leak_metric_test, leak_metric_gen_params),
	KUNIT_CASE_PARAM(memattr_hist_periods_test, hist_periods_gen_params),
	KUNIT_CASE(memattr_hist_push_n_test),
	KUNIT_CASE_PARAM(memattr_exhaust_proc_test, exhaust_proc_gen_params),
	KUNIT_CASE_PARAM(memattr_exhaust_headroom_test,
			 exhaust_headroom_gen_params),
	{}
};

static struct kunit_suite memattr_leak_suite = {
	.name = "memattr_leak",
	.test_cases = memattr_leak_cases,
};

/* --- watermarks ------------------------------------------------------------ */

#define WM_STEPS_MAX	8

struct wm_case {
	const char *name;
	u8 levels[MEMATTR_WATERMARKS_MAX];
	unsigned int nr;
	u8 start;			/* st->level before the first step */
	unsigned int steps;
	u32 used[WM_STEPS_MAX];		/* used_pct of each step */
	int ret[WM_STEPS_MAX];		/* what each step returns */
	u8 end;				/* st->level after the last step */
};

static const struct wm_case wm_cases[] = {
	{ "up through 50 once", { 30, 50, 70 }, 3, 0,
	  3, { 40, 50, 60 }, { 1, 1, 0 }, 2 },
	{ "hovering at 50: one up", { 30, 50, 70 }, 3, 1,
	  6, { 49, 50, 51, 49, 51, 50 }, { 0, 1, 0, 0, 0, 0 }, 2 },
	{ "falling to 47: one down", { 30, 50, 70 }, 3, 2,
	  3, { 51, 47, 49 }, { 0, -1, 0 }, 1 },
	{ "exactly the hysteresis below", { 30, 50, 70 }, 3, 2,
	  3, { 49, 48, 49 }, { 0, -1, 0 }, 1 },
	{ "up again after down", { 30, 50, 70 }, 3, 2,
	  3, { 47, 50, 47 }, { -1, 1, -1 }, 1 },
	{ "jump 10 to 95: +3", { 30, 50, 70 }, 3, 0,
	  2, { 10, 95 }, { 0, 3 }, 3 },
	{ "drop 95 to 10: -3", { 30, 50, 70 }, 3, 0,
	  2, { 95, 10 }, { 3, -3 }, 0 },
	{ "above the top level", { 30, 50, 70 }, 3, 3,
	  2, { 100, 200 }, { 0, 0 }, 3 },
	{ "levels shrank: clamp", { 30, 50 }, 2, 3,
	  2, { 60, 10 }, { 0, -2 }, 0 },
	{ "levels shrank below use", { 30 }, 1, 3,
	  1, { 29 }, { 0 }, 1 },
	{ "no levels", { }, 0, 2,
	  2, { 99, 0 }, { 0, 0 }, 0 },
	{ "huge use", { 30, 50, 70 }, 3, 0,
	  1, { U32_MAX }, { 3 }, 3 },
};

static void wm_case_desc(const struct wm_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wm, wm_cases, wm_case_desc);

/*
 * Invariant: a level is crossed upwards when the use reaches it, downwards
 * only MEMATTR_WM_HYSTERESIS_PCT below it; each step returns the signed
 * number of levels crossed; a shrunk level list clamps the state silently.
 */
static void memattr_wm_step_test(struct kunit *test)
{
	const struct wm_case *c = test->param_value;
	struct memattr_wm_state st = { .level = c->start };
	unsigned int i;

	for (i = 0; i < c->steps; i++)
		KUNIT_EXPECT_EQ_MSG(test, memattr_wm_step(&st, c->levels, c->nr,
							  c->used[i]),
				    c->ret[i], "step %u (used %u%%)", i,
				    c->used[i]);
	KUNIT_EXPECT_EQ(test, st.level, c->end);
}

/*
 * Invariant: every crossing a step reports names a level of the current
 * list, in the order crossed, even in the step where the list got shorter
 * than the state (the state is clamped first, not counted down from levels
 * that are gone).
 */
static void memattr_wm_crossings_test(struct kunit *test)
{
	static const struct {
		u8 levels[MEMATTR_WATERMARKS_MAX];
		unsigned int nr;
		u8 start;
		u32 used;
		unsigned int n;
		struct memattr_wm_crossing want[MEMATTR_WATERMARKS_MAX];
		u8 end;
	} cases[] = {
		/* 5 levels crossed, list cut to 3, use falls to 25 %. */
		{ { 30, 50, 70 }, 3, 5, 25, 3,
		  { { 2, false }, { 1, false }, { 0, false } }, 0 },
		/* Cut to 2, use at 45: only level 2 (50 %) is left behind. */
		{ { 30, 50 }, 2, 4, 45, 1, { { 1, false } }, 1 },
		/* Cut below the state, use still above all: nothing. */
		{ { 30, 50 }, 2, 4, 90, 0, { }, 2 },
		/* Upwards from 1 to 3. */
		{ { 30, 50, 70 }, 3, 1, 75, 2, { { 1, true }, { 2, true } }, 3 },
		/* No levels at all. */
		{ { }, 0, 3, 0, 0, { }, 0 },
	};
	struct memattr_wm_crossing out[MEMATTR_WATERMARKS_MAX];
	unsigned int i, j, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct memattr_wm_state st = { .level = cases[i].start };

		n = memattr_wm_crossings(&st, cases[i].levels, cases[i].nr,
					 cases[i].used, out, ARRAY_SIZE(out));
		KUNIT_EXPECT_EQ_MSG(test, n, cases[i].n, "case %u", i);
		for (j = 0; j < min(n, cases[i].n); j++) {
			KUNIT_EXPECT_EQ_MSG(test, out[j].idx,
					    cases[i].want[j].idx,
					    "case %u crossing %u", i, j);
			KUNIT_EXPECT_EQ_MSG(test, out[j].up,
					    cases[i].want[j].up,
					    "case %u crossing %u", i, j);
			KUNIT_EXPECT_LT(test, out[j].idx, cases[i].nr);
		}
		KUNIT_EXPECT_EQ_MSG(test, st.level, cases[i].end, "case %u", i);
	}
}

static struct kunit_case memattr_wm_cases[] = {
	KUNIT_CASE_PARAM(memattr_wm_step_test, wm_gen_params),
	KUNIT_CASE(memattr_wm_crossings_test),
	{}
};

static struct kunit_suite memattr_wm_suite = {
	.name = "memattr_watermark",
	.test_cases = memattr_wm_cases,
};

/* --- OOM reports' top growers -------------------------------------------- */

/*
 * Invariant: of all candidates, the MEMATTR_OOM_TOP fastest growers are
 * kept, fastest first; of two equally fast, the first seen stays ahead.
 */
static void memattr_oom_top_insert_test(struct kunit *test)
{
	static const s64 growth[] = { 5, -3, 100, 5, 40, 0, 100, 39 };
	static const pid_t want[MEMATTR_OOM_TOP] = { 3, 7, 5 };
	struct memattr_oom_grower top[MEMATTR_OOM_TOP], g = {};
	u32 nr = 0, i;

	BUILD_BUG_ON(MEMATTR_OOM_TOP != 3);
	for (i = 0; i < ARRAY_SIZE(growth); i++) {
		g.pid = i + 1;
		g.growth_kb_per_hour = growth[i];
		memattr_oom_top_insert(top, &nr, &g);
		KUNIT_EXPECT_EQ(test, nr, min_t(u32, i + 1, MEMATTR_OOM_TOP));
	}
	for (i = 0; i < MEMATTR_OOM_TOP; i++)
		KUNIT_EXPECT_EQ_MSG(test, top[i].pid, want[i], "place %u", i);
}

/* Invariant: fewer candidates than places keep them all, in order. */
static void memattr_oom_top_few_test(struct kunit *test)
{
	struct memattr_oom_grower top[MEMATTR_OOM_TOP], g = {};
	u32 nr = 0;

	g.pid = 1;
	g.growth_kb_per_hour = -10;
	memattr_oom_top_insert(top, &nr, &g);
	g.pid = 2;
	g.growth_kb_per_hour = 10;
	memattr_oom_top_insert(top, &nr, &g);
	KUNIT_ASSERT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, top[0].pid, 2);
	KUNIT_EXPECT_EQ(test, top[1].pid, 1);
}

static struct kunit_case memattr_oom_cases[] = {
	KUNIT_CASE(memattr_oom_top_insert_test),
	KUNIT_CASE(memattr_oom_top_few_test),
	{}
};

static struct kunit_suite memattr_oom_suite = {
	.name = "memattr_oom",
	.test_cases = memattr_oom_cases,
};

/* --- klog: the kernel log lines ------------------------------------------ */

struct klog_esc_case {
	const char *in;
	size_t size;		/* room for the output, its NUL included */
	const char *out;
	bool cut;
};

static const struct klog_esc_case klog_esc_cases[] = {
	{ "bash",		64, "bash",			false },
	{ "",			64, "",				false },
	{ "a b",		64, "a\\x20b",			false },
	{ "k=v",		64, "k\\x3dv",			false },
	{ "\"q\"",		64, "\\x22q\\x22",		false },
	{ "back\\slash",	64, "back\\x5cslash",		false },
	{ "evil\nmemattr: e",	64, "evil\\x0amemattr:\\x20e",	false },
	{ "tab\there",		64, "tab\\x09here",		false },
	{ "\x7f\x80\xff",	64, "\\x7f\\x80\\xff",		false },
	{ "!~/a-b_c.d:1,2",	64, "!~/a-b_c.d:1,2",		false },
	/* room for "ab" only: stops there */
	{ "abc",		3,  "ab",			true },
	/* an escape is never split: "a" then no room for "\x20" */
	{ "a b",		5,  "a",			true },
	{ "a b",		6,  "a\\x20",			true },
	{ "a b",		7,  "a\\x20b",			false },
};

static void klog_esc_case_desc(const struct klog_esc_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\" in %zu",
		 (int)strlen(c->in), c->in, c->size);
}

KUNIT_ARRAY_PARAM(klog_esc, klog_esc_cases, klog_esc_case_desc);

/*
 * Invariant: every byte outside 0x21..0x7e, and '\\', '"' and '=', is
 * \xHH; the rest stays; an escape is never split; @cut says whether all of
 * the input fitted.
 */
static void memattr_line_escape_test(struct kunit *test)
{
	const struct klog_esc_case *c = test->param_value;
	char out[64];
	bool cut = !c->cut;
	size_t n;

	n = memattr_line_escape(out, c->size, c->in, strlen(c->in) + 1, &cut);
	KUNIT_EXPECT_STREQ(test, out, c->out);
	KUNIT_EXPECT_EQ(test, n, strlen(c->out));
	KUNIT_EXPECT_EQ(test, cut, c->cut);
}

/* Invariant: the input ends at @len even without a NUL. */
static void memattr_line_escape_len_test(struct kunit *test)
{
	static const char comm[4] = { 'a', 'b', 'c', 'd' };
	char out[16];
	bool cut;

	memattr_line_escape(out, sizeof(out), comm, sizeof(comm), &cut);
	KUNIT_EXPECT_STREQ(test, out, "abcd");
	KUNIT_EXPECT_FALSE(test, cut);
	KUNIT_EXPECT_EQ(test, memattr_line_escape(out, 0, comm, 4, &cut),
			(size_t)0);
}

#define KLOG_FIELDS_MAX	20

struct klog_line_case {
	const char *name;
	struct memattr_event ev;
	const char *fields[KLOG_FIELDS_MAX];	/* the line, split at spaces */
	int level;
};

static const struct klog_line_case klog_line_cases[] = {
	{
		.name = "leak of a process",
		.ev = {
			.kind = MEMATTR_EV_LEAK, .time_ms = 5000,
			.entity = MEMATTR_ENTITY_PROCESS, .pid = 42,
			.comm = "mt leaker", .cgroup_id = 7,
			.cgroup = "/a b/c=d", .growth_kb_per_hour = 3686400,
			.since_ms = 4000, .exhaust_s = 1024,
		},
		.fields = {
			"event=leak", "time_ms=5000", "entity=process",
			"pid=42", "comm=mt\\x20leaker", "cgroup_id=7",
			"cgroup=/a\\x20b/c\\x3dd", "growth_kb_per_hour=3686400",
			"since_ms=4000", "exhaust_s=1024",
		},
		.level = LOGLEVEL_WARNING,
	},
	{
		.name = "leak cleared, a cgroup",
		.ev = {
			.kind = MEMATTR_EV_LEAK_CLEARED, .time_ms = 9000,
			.entity = MEMATTR_ENTITY_CGROUP, .cgroup_id = 12,
			.cgroup = "/svc", .growth_kb_per_hour = -5,
			.since_ms = 8000, .exhaust_s = -1,
		},
		.fields = {
			"event=leak_cleared", "time_ms=9000", "entity=cgroup",
			"cgroup_id=12", "cgroup=/svc", "growth_kb_per_hour=-5",
			"since_ms=8000", "exhaust_s=-1",
		},
		.level = LOGLEVEL_INFO,
	},
	{
		.name = "leak of the system",
		.ev = {
			.kind = MEMATTR_EV_LEAK, .time_ms = 1,
			.entity = MEMATTR_ENTITY_SYSTEM,
			.growth_kb_per_hour = 100, .since_ms = 1,
			.exhaust_s = 3153600000,
		},
		.fields = {
			"event=leak", "time_ms=1", "entity=system",
			"growth_kb_per_hour=100", "since_ms=1",
			"exhaust_s=3153600000",
		},
		.level = LOGLEVEL_WARNING,
	},
	{
		.name = "watermark up",
		.ev = {
			.kind = MEMATTR_EV_WATERMARK, .time_ms = 77,
			.level = 2, .level_pct = 92, .up = true,
			.used_pct = 93,
		},
		.fields = {
			"event=watermark", "time_ms=77", "direction=up",
			"level=2", "level_pct=92", "used_pct=93",
		},
		.level = LOGLEVEL_WARNING,
	},
	{
		.name = "watermark down",
		.ev = {
			.kind = MEMATTR_EV_WATERMARK, .time_ms = 78,
			.level = 1, .level_pct = 85, .up = false,
			.used_pct = 80,
		},
		.fields = {
			"event=watermark", "time_ms=78", "direction=down",
			"level=1", "level_pct=85", "used_pct=80",
		},
		.level = LOGLEVEL_NOTICE,
	},
	{
		.name = "oom kill, a forging name",
		.ev = {
			.kind = MEMATTR_EV_OOM_KILL, .time_ms = 600,
			.oom = {
				.pid = 99, .comm = "x\nmemattr: ev",
				.cgroup = "/oom", .rss_kb = 32000,
				.nr_top = 2,
				.top = {
					{ .pid = 99, .comm = "x=y",
					  .growth_kb_per_hour = 900,
					  .rss_kb = 32000 },
					{ .pid = 3, .comm = "init",
					  .growth_kb_per_hour = 0,
					  .rss_kb = 100 },
				},
			},
		},
		.fields = {
			"event=oom_kill", "time_ms=600", "pid=99",
			"comm=x\\x0amemattr:\\x20ev", "cgroup=/oom",
			"rss_kb=32000", "top=2", "top1_pid=99",
			"top1_comm=x\\x3dy", "top1_growth_kb_per_hour=900",
			"top1_rss_kb=32000", "top2_pid=3", "top2_comm=init",
			"top2_growth_kb_per_hour=0", "top2_rss_kb=100",
		},
		.level = LOGLEVEL_ERR,
	},
};

static void klog_line_case_desc(const struct klog_line_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(klog_line, klog_line_cases, klog_line_case_desc);

/* Invariant: each kind has its fixed fields, in order, and its level. */
static void memattr_klog_format_test(struct kunit *test)
{
	const struct klog_line_case *c = test->param_value;
	char *buf = kunit_kzalloc(test, MEMATTR_LINE_MAX, GFP_KERNEL);
	char *want = kunit_kzalloc(test, MEMATTR_LINE_MAX, GFP_KERNEL);
	size_t n, len = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	for (i = 0; i < KLOG_FIELDS_MAX && c->fields[i]; i++)
		len += scnprintf(want + len, MEMATTR_LINE_MAX - len,
				 "%s%s", i ? " " : "", c->fields[i]);
	n = memattr_klog_format(buf, MEMATTR_LINE_MAX, &c->ev);
	KUNIT_EXPECT_STREQ(test, buf, want);
	KUNIT_EXPECT_EQ(test, n, len);
	KUNIT_EXPECT_EQ(test, memattr_klog_level(&c->ev), c->level);
}

/*
 * Invariant: the worst event (every string all escapes, three growers)
 * fits MEMATTR_LINE_MAX, holds no newline and no space-free field
 * without '='; a longer cgroup path is cut and marked truncated=1.
 */
static void memattr_klog_worst_case_test(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, MEMATTR_LINE_MAX, GFP_KERNEL);
	struct memattr_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	unsigned int i;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->kind = MEMATTR_EV_OOM_KILL;
	ev->time_ms = U64_MAX;
	ev->oom.pid = INT_MAX;
	memset(ev->oom.comm, '\n', TASK_COMM_LEN - 1);
	/* 63 escapes: 252 bytes, the most a string field keeps */
	memset(ev->oom.cgroup, ' ', 63);
	ev->oom.rss_kb = U64_MAX;
	ev->oom.nr_top = MEMATTR_OOM_TOP;
	for (i = 0; i < MEMATTR_OOM_TOP; i++) {
		ev->oom.top[i].pid = INT_MAX;
		memset(ev->oom.top[i].comm, '=', TASK_COMM_LEN - 1);
		ev->oom.top[i].growth_kb_per_hour = S64_MIN;
		ev->oom.top[i].rss_kb = U64_MAX;
	}
	n = memattr_klog_format(buf, MEMATTR_LINE_MAX, ev);
	KUNIT_EXPECT_LT(test, n, (size_t)MEMATTR_LINE_MAX);
	KUNIT_EXPECT_NULL(test, strchr(buf, '\n'));
	KUNIT_EXPECT_NULL(test, strstr(buf, "truncated"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " top3_rss_kb=18446744073709551615"));

	/* A path of 200 spaces does not fit 255 bytes escaped: cut. */
	memset(ev->oom.cgroup, ' ', 200);
	n = memattr_klog_format(buf, MEMATTR_LINE_MAX, ev);
	KUNIT_EXPECT_LT(test, n, (size_t)MEMATTR_LINE_MAX);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " truncated=1"));
	KUNIT_EXPECT_EQ(test, strcmp(buf + n - 12, " truncated=1"), 0);
}

/* Invariant: a line that runs out of room ends whole, marked truncated. */
static void memattr_klog_small_buffer_test(struct kunit *test)
{
	const struct memattr_event *ev = &klog_line_cases[0].ev;
	char buf[52];	/* "... entity=process" and the mark, no more */
	size_t n;

	n = memattr_klog_format(buf, sizeof(buf), ev);
	KUNIT_EXPECT_STREQ(test, buf,
			   "event=leak time_ms=5000 entity=process truncated=1");
	KUNIT_EXPECT_EQ(test, n, strlen(buf));
	KUNIT_EXPECT_EQ(test, memattr_klog_format(buf, 8, ev), (size_t)0);
}

/* Invariant: a kind the formatter does not know gives no line. */
static void memattr_klog_unknown_kind_test(struct kunit *test)
{
	struct memattr_event *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	char buf[64] = "x";

	KUNIT_ASSERT_NOT_NULL(test, ev);
	ev->kind = 99;
	KUNIT_EXPECT_EQ(test, memattr_klog_format(buf, sizeof(buf), ev),
			(size_t)0);
	KUNIT_EXPECT_STREQ(test, buf, "");
}

static struct kunit_case memattr_klog_cases[] = {
	KUNIT_CASE_PARAM(memattr_line_escape_test, klog_esc_gen_params),
	KUNIT_CASE(memattr_line_escape_len_test),
	KUNIT_CASE_PARAM(memattr_klog_format_test, klog_line_gen_params),
	KUNIT_CASE(memattr_klog_worst_case_test),
	KUNIT_CASE(memattr_klog_small_buffer_test),
	KUNIT_CASE(memattr_klog_unknown_kind_test),
	{}
};

static struct kunit_suite memattr_klog_suite = {
	.name = "memattr_klog",
	.test_cases = memattr_klog_cases,
};

/* --- report: the post-mortem report ------------------------------------- */

static const struct memattr_report_proc report_procs[] = {
	{ .pid = 10, .comm = "small", .cgroup_id = 7, .footprint_kb = 100,
	  .rss_kb = 200, .growth_kb_per_hour = 0 },
	{ .pid = 11, .comm = "leaker", .cgroup_id = 8, .footprint_kb = 5000,
	  .rss_kb = 5100, .growth_kb_per_hour = 7372800,
	  .leak = MEMATTR_LEAK_LEAK, .since_ms = 21000 },
	{ .pid = 12, .comm = "big", .cgroup_id = 7, .footprint_kb = 90000,
	  .rss_kb = 91000, .growth_kb_per_hour = -50 },
	{ .pid = 13, .comm = "slow", .cgroup_id = 0, .footprint_kb = 300,
	  .rss_kb = 300, .growth_kb_per_hour = 4000,
	  .leak = MEMATTR_LEAK_SUSPECT, .since_ms = 1000 },
};

static struct memattr_cgroup_row report_cgs[3];

/* A snapshot drafted from report_procs and report_cgs, as a tick does. */
static void report_draft(struct memattr_report_snap *snap)
{
	struct memattr_system_row sys = {
		.mem_total_kb = 1000000, .mem_available_kb = 400000,
		.used_pct = 60, .growth_kb_per_hour = 7000000,
		.exhaust_s = 205, .watermark_level = 0,
	};
	unsigned int i;

	memset(report_cgs, 0, sizeof(report_cgs));
	report_cgs[0] = (struct memattr_cgroup_row){ .id = 1, .path = "/",
		.usage_kb = 600000, .limit_kb = U64_MAX, .exhaust_s = -1 };
	report_cgs[1] = (struct memattr_cgroup_row){ .id = 7, .path = "/sys",
		.usage_kb = 90100, .limit_kb = U64_MAX, .exhaust_s = -1,
		.nr_procs = 2 };
	report_cgs[2] = (struct memattr_cgroup_row){ .id = 8,
		.path = "/my app", .usage_kb = 5000, .limit_kb = 10000,
		.nr_procs = 1, .exhaust_s = 2,
		.leak = { .state = MEMATTR_LEAK_LEAK,
			  .growth_kb_per_hour = 7372800,
			  .since_ns = 22000ULL * NSEC_PER_MSEC } };
	memattr_report_draft_begin(snap, 30000);
	for (i = 0; i < ARRAY_SIZE(report_procs); i++)
		memattr_report_draft_proc(snap, &report_procs[i]);
	memattr_report_draft_end(snap, &sys, report_cgs,
				 ARRAY_SIZE(report_cgs));
}

/* The rankings: largest footprint and fastest growth first, growth > 0 only,
 * the root cgroup left out, every named cgroup's path kept.
 */
static void memattr_report_draft_test(struct kunit *test)
{
	struct memattr_report_snap *snap;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	report_draft(snap);
	KUNIT_EXPECT_EQ(test, snap->nr_fp, 4U);
	KUNIT_EXPECT_EQ(test, snap->fp[0].pid, 12);
	KUNIT_EXPECT_EQ(test, snap->fp[1].pid, 11);
	KUNIT_EXPECT_EQ(test, snap->fp[2].pid, 13);
	KUNIT_EXPECT_EQ(test, snap->fp[3].pid, 10);
	KUNIT_EXPECT_EQ(test, snap->nr_growth, 2U);
	KUNIT_EXPECT_EQ(test, snap->growth[0].pid, 11);
	KUNIT_EXPECT_EQ(test, snap->growth[1].pid, 13);
	KUNIT_EXPECT_EQ(test, snap->nr_cg, 2U);
	KUNIT_EXPECT_EQ(test, snap->cg[0].id, 7ULL);
	KUNIT_EXPECT_EQ(test, snap->cg[1].id, 8ULL);
	KUNIT_EXPECT_EQ(test, snap->cg[1].since_ms, 22000ULL);
	KUNIT_EXPECT_EQ(test, snap->nr_paths, 2U);
}

/* More processes than places: the largest stay, in order. */
static void memattr_report_draft_overflow_test(struct kunit *test)
{
	struct memattr_report_proc p = { .comm = "p" };
	struct memattr_report_snap *snap;
	unsigned int i;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	memattr_report_draft_begin(snap, 1);
	for (i = 1; i <= 3 * MEMATTR_REPORT_PROCS; i++) {
		p.pid = i;
		p.footprint_kb = i;
		p.growth_kb_per_hour = i;
		memattr_report_draft_proc(snap, &p);
	}
	KUNIT_EXPECT_EQ(test, snap->nr_fp, (u32)MEMATTR_REPORT_PROCS);
	for (i = 0; i < MEMATTR_REPORT_PROCS; i++) {
		KUNIT_EXPECT_EQ(test, snap->fp[i].pid,
				(pid_t)(3 * MEMATTR_REPORT_PROCS - i));
		KUNIT_EXPECT_EQ(test, snap->growth[i].pid,
				(pid_t)(3 * MEMATTR_REPORT_PROCS - i));
	}
}

static const char * const report_want[] = {
	"report=begin reason=panic time_ms=31000 version=1.2.3 snapshot_ms=30000",
	"report=system mem_total_kb=1000000 mem_available_kb=400000 used_pct=60 watermark_level=0 growth_kb_per_hour=7000000 exhaust_s=205",
	"report=proc by=footprint rank=1 pid=12 comm=big cgroup_id=7 cgroup=/sys footprint_kb=90000 rss_kb=91000 growth_kb_per_hour=-50 leak=ok since_ms=0",
	"report=proc by=footprint rank=2 pid=11 comm=leaker cgroup_id=8 cgroup=/my\\x20app footprint_kb=5000 rss_kb=5100 growth_kb_per_hour=7372800 leak=leak since_ms=21000",
	"report=proc by=footprint rank=3 pid=13 comm=slow footprint_kb=300 rss_kb=300 growth_kb_per_hour=4000 leak=suspect since_ms=1000",
	"report=proc by=footprint rank=4 pid=10 comm=small cgroup_id=7 cgroup=/sys footprint_kb=100 rss_kb=200 growth_kb_per_hour=0 leak=ok since_ms=0",
	"report=proc by=growth rank=1 pid=11 comm=leaker cgroup_id=8 cgroup=/my\\x20app footprint_kb=5000 rss_kb=5100 growth_kb_per_hour=7372800 leak=leak since_ms=21000",
	"report=proc by=growth rank=2 pid=13 comm=slow footprint_kb=300 rss_kb=300 growth_kb_per_hour=4000 leak=suspect since_ms=1000",
	"report=cgroup rank=1 cgroup_id=7 cgroup=/sys nr_procs=2 usage_kb=90100 growth_kb_per_hour=0 leak=ok since_ms=0 exhaust_s=none",
	"report=cgroup rank=2 cgroup_id=8 cgroup=/my\\x20app nr_procs=1 usage_kb=5000 limit_kb=10000 growth_kb_per_hour=7372800 leak=leak since_ms=22000 exhaust_s=2",
	"report=oom time_ms=25000 pid=14 comm=hog cgroup=/my\\x20app rss_kb=40960 top=1 top1_pid=11 top1_comm=leaker top1_growth_kb_per_hour=7372800 top1_rss_kb=5100",
	"report=end lines=12",
};

/* The whole report, line by line, as the UAPI header documents it. */
static void memattr_report_format_test(struct kunit *test)
{
	struct memattr_oom_report *oom;
	struct memattr_report_snap *snap;
	struct memattr_report_in in = {
		.reason = MEMATTR_REPORT_PANIC, .now_ms = 31000,
		.version = "1.2.3",
	};
	unsigned int lines, i;
	char *buf, *p, *nl;
	size_t n;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	oom = kunit_kzalloc(test, sizeof(*oom), GFP_KERNEL);
	buf = kunit_kzalloc(test, MEMATTR_REPORT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, snap && oom && buf);
	report_draft(snap);
	*oom = (struct memattr_oom_report){ .time_ms = 25000, .pid = 14,
		.comm = "hog", .cgroup = "/my app", .rss_kb = 40960, .nr_top = 1,
		.top = { { .pid = 11, .comm = "leaker",
			   .growth_kb_per_hour = 7372800, .rss_kb = 5100 } } };
	in.snap = snap;
	in.oom = oom;
	n = memattr_report_format(buf, MEMATTR_REPORT_MAX, &in, &lines);
	KUNIT_EXPECT_EQ(test, n, strlen(buf));
	KUNIT_EXPECT_EQ(test, lines, (unsigned int)ARRAY_SIZE(report_want));
	for (i = 0, p = buf; i < ARRAY_SIZE(report_want) && *p; i++) {
		nl = strchr(p, '\n');
		KUNIT_ASSERT_NOT_NULL(test, nl);
		*nl = '\0';
		KUNIT_EXPECT_STREQ(test, p, report_want[i]);
		p = nl + 1;
	}
	KUNIT_EXPECT_EQ(test, i, (unsigned int)ARRAY_SIZE(report_want));
	KUNIT_EXPECT_EQ(test, *p, '\0');
}

/* Before the first tick: begin, the OOM report if any, end. A torn read
 * says so.
 */
static void memattr_report_no_tick_test(struct kunit *test)
{
	struct memattr_report_snap *snap;
	struct memattr_report_in in = {
		.reason = MEMATTR_REPORT_ON_DEMAND, .now_ms = 5, .torn = true,
	};
	unsigned int lines;
	char buf[256];

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	in.snap = snap;
	memattr_report_format(buf, sizeof(buf), &in, &lines);
	KUNIT_EXPECT_STREQ(test, buf,
			   "report=begin reason=on_demand time_ms=5 version=unknown snapshot_ms=0 torn=1\n"
			   "report=end lines=2\n");
	KUNIT_EXPECT_EQ(test, lines, 2U);
}

/* The worst case, every string all escapes and 13 cgroup paths of 255
 * bytes, fits MEMATTR_REPORT_MAX whole; crafted names cannot add lines.
 */
static void memattr_report_worst_case_test(struct kunit *test)
{
	struct memattr_report_proc p = { .rss_kb = U64_MAX,
		.leak = MEMATTR_LEAK_SUSPECT, .since_ms = U64_MAX };
	struct memattr_system_row sys = { .mem_total_kb = U64_MAX,
		.mem_available_kb = U64_MAX, .used_pct = U32_MAX,
		.growth_kb_per_hour = S64_MIN, .exhaust_s = S64_MAX,
		.watermark_level = 255 };
	struct memattr_cgroup_row *cgs;
	struct memattr_report_snap *snap;
	struct memattr_oom_report *oom;
	struct memattr_report_in in = { .reason = MEMATTR_REPORT_PANIC,
		.now_ms = U64_MAX, .version = "9.9.9-rc9", .torn = true };
	unsigned int lines, i, nl = 0;
	char *buf;
	size_t n;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	oom = kunit_kzalloc(test, sizeof(*oom), GFP_KERNEL);
	buf = kunit_kzalloc(test, MEMATTR_REPORT_MAX, GFP_KERNEL);
	cgs = kunit_kcalloc(test, MEMATTR_REPORT_PATHS, sizeof(*cgs), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, snap && oom && buf && cgs);
	memset(p.comm, '\n', sizeof(p.comm) - 1);
	memattr_report_draft_begin(snap, U64_MAX);
	for (i = 0; i < MEMATTR_REPORT_PATHS; i++) {
		cgs[i].id = U64_MAX - i;
		memset(cgs[i].path, '=', sizeof(cgs[i].path) - 1);
		/* cgroups 5, 6 and 7 rank: 13 distinct paths in all */
		cgs[i].usage_kb = i >= 5 && i <= 7 ? U64_MAX - i : i;
		cgs[i].limit_kb = U64_MAX - 1;
		cgs[i].exhaust_s = S64_MAX;
		cgs[i].leak.growth_kb_per_hour = S64_MIN;
		cgs[i].leak.since_ns = U64_MAX;
		/* footprint: 10-14 rank; growth: 0-4 */
		p.pid = -1 - (int)i;
		p.cgroup_id = cgs[i].id;
		p.footprint_kb = U64_MAX / 2 - MEMATTR_REPORT_PATHS + i;
		p.growth_kb_per_hour = S64_MAX - i;
		memattr_report_draft_proc(snap, &p);
	}
	memattr_report_draft_end(snap, &sys, cgs, MEMATTR_REPORT_PATHS);
	oom->pid = -1;
	oom->rss_kb = U64_MAX;
	oom->time_ms = U64_MAX;
	memset(oom->comm, '"', sizeof(oom->comm) - 1);
	memset(oom->cgroup, '\\', sizeof(oom->cgroup) - 1);
	oom->nr_top = MEMATTR_OOM_TOP;
	for (i = 0; i < MEMATTR_OOM_TOP; i++) {
		oom->top[i].pid = -1;
		oom->top[i].rss_kb = U64_MAX;
		oom->top[i].growth_kb_per_hour = S64_MIN;
		memset(oom->top[i].comm, ' ', sizeof(oom->top[i].comm) - 1);
	}
	in.snap = snap;
	in.oom = oom;
	n = memattr_report_format(buf, MEMATTR_REPORT_MAX, &in, &lines);
	for (i = 0; i < n; i++)
		nl += buf[i] == '\n';
	KUNIT_EXPECT_EQ(test, nl, lines);
	/* begin, system, 5 + 5 processes, 3 cgroups, oom, end */
	KUNIT_EXPECT_EQ(test, lines, 17U);
	KUNIT_EXPECT_EQ(test, snap->nr_paths, (u32)MEMATTR_REPORT_PATHS);
	KUNIT_EXPECT_LT(test, n, (size_t)MEMATTR_REPORT_MAX);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "report=end lines=17\n"));
	kunit_info(test, "worst case: %zu bytes\n", n);
}

/* Out of room, the lines stop, but the end line still comes and counts
 * what came; too small a buffer for begin and end gives nothing.
 */
static void memattr_report_small_buffer_test(struct kunit *test)
{
	struct memattr_report_snap *snap;
	struct memattr_report_in in = { .reason = MEMATTR_REPORT_PANIC };
	unsigned int lines;
	char buf[400], tiny[40];
	size_t n;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	report_draft(snap);
	in.snap = snap;
	n = memattr_report_format(buf, sizeof(buf), &in, &lines);
	KUNIT_EXPECT_GT(test, n, (size_t)0);
	KUNIT_EXPECT_LT(test, lines, 12U);
	KUNIT_EXPECT_GE(test, lines, 2U);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "report=end lines="));
	KUNIT_EXPECT_EQ(test, memattr_report_format(tiny, sizeof(tiny), &in,
						    &lines), (size_t)0);
	KUNIT_EXPECT_EQ(test, lines, 0U);
}

static struct kunit_case memattr_report_cases[] = {
	KUNIT_CASE(memattr_report_draft_test),
	KUNIT_CASE(memattr_report_draft_overflow_test),
	KUNIT_CASE(memattr_report_format_test),
	KUNIT_CASE(memattr_report_no_tick_test),
	KUNIT_CASE(memattr_report_worst_case_test),
	KUNIT_CASE(memattr_report_small_buffer_test),
	{}
};

static struct kunit_suite memattr_report_suite = {
	.name = "memattr_report",
	.test_cases = memattr_report_cases,
};

kunit_test_suites(&memattr_parse_suite, &memattr_hist_suite,
		  &memattr_leak_suite, &memattr_wm_suite, &memattr_oom_suite,
		  &memattr_klog_suite, &memattr_report_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for memattr");
