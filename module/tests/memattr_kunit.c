// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for memattr's pure logic. Built as memattr_kunit.ko only for
 * the debug lane (Debian's stock kernels have no CONFIG_KUNIT); the code under
 * test is compiled in here so that the suites need no exported symbols.
 */
#include <kunit/test.h>

#include "../hist.c"
#include "../parse.c"
#include "../watermark.c"

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

static struct kunit_case memattr_wm_cases[] = {
	KUNIT_CASE_PARAM(memattr_wm_step_test, wm_gen_params),
	{}
};

static struct kunit_suite memattr_wm_suite = {
	.name = "memattr_watermark",
	.test_cases = memattr_wm_cases,
};

kunit_test_suites(&memattr_parse_suite, &memattr_hist_suite,
		  &memattr_wm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for memattr");
