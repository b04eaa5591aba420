// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for growth-site profiles: the user-stack walker, through an
 * injected reader of made-up stacks, and the profile tables (stack hash,
 * overflow, sampled pages, the token bucket, sampling weights). The code
 * under test is compiled in here, as in memattr_kunit.c.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/prandom.h>

#include "../ptable.c"
#include "../ustack.c"

/* --- the walker ----------------------------------------------------------- */

/* A made-up user stack: frame records at given addresses. */
struct fake_rec {
	unsigned long addr;
	unsigned long next;
	unsigned long ret;
};

struct fake_stack {
	const struct fake_rec *recs;
	unsigned int nr;
	unsigned int reads;
};

static int fake_read(void *ctx, unsigned long addr, unsigned long rec[2])
{
	struct fake_stack *fs = ctx;
	unsigned int i;

	fs->reads++;
	for (i = 0; i < fs->nr; i++) {
		if (fs->recs[i].addr == addr) {
			rec[0] = fs->recs[i].next;
			rec[1] = fs->recs[i].ret;
			return 0;
		}
	}
	return -EFAULT;
}

#define ALL	(~0UL)
#define VA48	GENMASK(47, 0)

struct walk_case {
	const char *name;
	struct fake_rec recs[6];
	unsigned int nr_recs;
	unsigned long pc, fp, lr, mask;
	unsigned int max;
	u64 want[8];
	unsigned int nr_want;
	bool cut;
};

static const struct walk_case walk_cases[] = {
	{ "16-byte aligned chain to a null fp",
	  { { 0x7000, 0x7020, 0x401010 }, { 0x7020, 0x7060, 0x402020 },
	    { 0x7060, 0, 0x403030 } }, 3,
	  0x400000, 0x7000, 0, ALL, 32,
	  { 0x400000, 0x401010, 0x402020, 0x403030 }, 4, false },
	{ "8-byte aligned records (Go arm64)",
	  { { 0x7008, 0x7018, 0x401010 }, { 0x7018, 0x7038, 0x402020 },
	    { 0x7038, 0, 0x403030 } }, 3,
	  0x400000, 0x7008, 0, ALL, 32,
	  { 0x400000, 0x401010, 0x402020, 0x403030 }, 4, false },
	{ "4-byte aligned fp cuts",
	  { { 0x7004, 0, 0x401010 } }, 1,
	  0x400000, 0x7004, 0, ALL, 32, { 0x400000 }, 1, true },
	{ "a loop of two records cuts",
	  { { 0x7000, 0x7010, 0x401010 }, { 0x7010, 0x7000, 0x402020 } }, 2,
	  0x400000, 0x7000, 0, ALL, 32,
	  { 0x400000, 0x401010, 0x402020 }, 3, true },
	{ "a record pointing at itself cuts",
	  { { 0x7000, 0x7000, 0x401010 } }, 1,
	  0x400000, 0x7000, 0, ALL, 32, { 0x400000, 0x401010 }, 2, true },
	{ "a descending frame cuts",
	  { { 0x7000, 0x6000, 0x401010 }, { 0x6000, 0, 0x402020 } }, 2,
	  0x400000, 0x7000, 0, ALL, 32, { 0x400000, 0x401010 }, 2, true },
	{ "an unreadable record cuts",
	  { { 0x7000, 0x9000, 0x401010 } }, 1,
	  0x400000, 0x7000, 0, ALL, 32, { 0x400000, 0x401010 }, 2, true },
	{ "a null return address ends the chain",
	  { { 0x7000, 0x7010, 0x401010 }, { 0x7010, 0x7020, 0 } }, 2,
	  0x400000, 0x7000, 0, ALL, 32, { 0x400000, 0x401010 }, 2, false },
	{ "no frame pointer: the pc alone",
	  { }, 0, 0x400000, 0, 0, ALL, 32, { 0x400000 }, 1, false },
	{ "depth bound",
	  { { 0x7000, 0x7010, 0x401010 }, { 0x7010, 0x7020, 0x402020 },
	    { 0x7020, 0, 0x403030 } }, 3,
	  0x400000, 0x7000, 0, ALL, 2, { 0x400000, 0x401010 }, 2, false },
	{ "PAC and tag bits stripped (48-bit VA)",
	  { { 0x7000, 0x7010, 0x002d000000401010UL },
	    { 0x7010, 0, 0x7f55000000402020UL } }, 2,
	  0x0a00000000400000UL, 0x7000, 0, VA48, 32,
	  { 0x400000, 0x401010, 0x402020 }, 3, false },
	{ "arm64 leaf without a record: lr is the second frame",
	  { { 0x7000, 0, 0x402020 } }, 1,
	  0x400000, 0x7000, 0x401010, VA48, 32,
	  { 0x400000, 0x401010, 0x402020 }, 3, false },
	{ "arm64 lr equal to the record's return address: not twice",
	  { { 0x7000, 0, 0x402020 } }, 1,
	  0x400000, 0x7000, 0x402020, VA48, 32,
	  { 0x400000, 0x402020 }, 2, false },
	{ "arm64 signed lr, signed record",
	  { { 0x7000, 0, 0x0055000000402020UL } }, 1,
	  0x400000, 0x7000, 0x0013000000402020UL, VA48, 32,
	  { 0x400000, 0x402020 }, 2, false },
	{ "arm64 no fp at all: pc and lr",
	  { }, 0, 0x400000, 0, 0x401010, VA48, 32,
	  { 0x400000, 0x401010 }, 2, false },
	{ "arm64 unreadable first record: pc and lr",
	  { }, 0, 0x400000, 0x7000, 0x401010, VA48, 32,
	  { 0x400000, 0x401010 }, 2, true },
};

static void walk_case_desc(const struct walk_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(walk, walk_cases, walk_case_desc);

/*
 * Invariant: the walk gives the pc, then (arm64) lr when it is not the
 * first record's return address, then each record's return address, leaf
 * first, masked; it stops at a null fp or return address, and is cut at a
 * misaligned, non-increasing or unreadable frame, never beyond max.
 */
static void memattr_ustack_walk_test(struct kunit *test)
{
	const struct walk_case *c = test->param_value;
	struct fake_stack fs = { .recs = c->recs, .nr = c->nr_recs };
	struct memattr_ustack_start st = {
		.pc = c->pc, .fp = c->fp, .lr = c->lr, .addr_mask = c->mask,
	};
	u64 frames[MEMATTR_PROFILE_MAX_DEPTH];
	unsigned int n, i;
	bool cut;

	n = memattr_ustack_walk(&st, fake_read, &fs, frames, c->max, &cut);

	KUNIT_ASSERT_EQ(test, n, c->nr_want);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, frames[i], c->want[i], "frame %u", i);
	KUNIT_EXPECT_EQ(test, cut, c->cut);
}

/* Invariant: a chain longer than the depth stops at the depth, uncut. */
static void memattr_ustack_walk_deep_test(struct kunit *test)
{
	struct fake_rec *recs;
	struct fake_stack fs;
	struct memattr_ustack_start st = { .pc = 0x400000, .fp = 0x10000,
					   .addr_mask = ALL };
	u64 frames[MEMATTR_PROFILE_MAX_DEPTH];
	unsigned int i, n;
	bool cut;

	recs = kunit_kcalloc(test, 100, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	for (i = 0; i < 100; i++) {
		recs[i].addr = 0x10000 + i * 0x20;
		recs[i].next = i < 99 ? recs[i].addr + 0x20 : 0;
		recs[i].ret = 0x500000 + i;
	}
	fs = (struct fake_stack){ .recs = recs, .nr = 100 };

	n = memattr_ustack_walk(&st, fake_read, &fs, frames,
				MEMATTR_PROFILE_MAX_DEPTH, &cut);

	KUNIT_EXPECT_EQ(test, n, MEMATTR_PROFILE_MAX_DEPTH);
	KUNIT_EXPECT_FALSE(test, cut);
	KUNIT_EXPECT_EQ(test, frames[MEMATTR_PROFILE_MAX_DEPTH - 1],
			0x500000ULL + MEMATTR_PROFILE_MAX_DEPTH - 2);
	KUNIT_EXPECT_LE(test, fs.reads, MEMATTR_PROFILE_MAX_DEPTH);
}

static struct kunit_case memattr_ustack_cases[] = {
	KUNIT_CASE_PARAM(memattr_ustack_walk_test, walk_gen_params),
	KUNIT_CASE(memattr_ustack_walk_deep_test),
	{}
};

static struct kunit_suite memattr_ustack_suite = {
	.name = "memattr_ustack",
	.test_cases = memattr_ustack_cases,
};

/* --- the tables ----------------------------------------------------------- */

static struct memattr_pstacks *pstacks_new(struct kunit *test, u32 nr)
{
	struct memattr_pstacks *t;

	t = kunit_kzalloc(test, memattr_pstacks_size(nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	memattr_pstacks_init(t, nr);
	return t;
}

/* Invariant: one stack, one slot; distinct stacks, distinct slots. */
static void memattr_pstacks_same_stack_test(struct kunit *test)
{
	struct memattr_pstacks *t = pstacks_new(test, 256);
	u64 a[3] = { 0x401000, 0x402000, 0x403000 };
	u64 b[3] = { 0x401000, 0x403000, 0x402000 };	/* a, reordered */
	u32 ia, ia2, ib, ishort;

	ia = memattr_pstacks_get(t, a, 3);
	ia2 = memattr_pstacks_get(t, a, 3);
	ib = memattr_pstacks_get(t, b, 3);
	ishort = memattr_pstacks_get(t, a, 2);

	KUNIT_EXPECT_GE(test, ia, (u32)MEMATTR_PSTACK_FIRST);
	KUNIT_EXPECT_EQ(test, ia, ia2);
	KUNIT_EXPECT_NE(test, ia, ib);
	KUNIT_EXPECT_NE(test, ia, ishort);
	KUNIT_EXPECT_NE(test, ib, ishort);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), 3);
	KUNIT_EXPECT_EQ(test, t->s[ia].depth, 3U);
	KUNIT_EXPECT_EQ(test, t->s[ia].frames[2], 0x403000ULL);
}

/*
 * Invariant: a full table sends new stacks to "[other]" and keeps the
 * stacks it holds; it never holds more than its size.
 */
static void memattr_pstacks_overflow_test(struct kunit *test)
{
	struct memattr_pstacks *t = pstacks_new(test, MEMATTR_PSTACKS_MIN);
	unsigned int i, other = 0;
	u64 f[2];
	u32 idx, first;

	f[0] = 0x400000;
	f[1] = 0x500000;
	first = memattr_pstacks_get(t, f, 2);
	for (i = 1; i < 40; i++) {
		f[1] = 0x500000 + i * 16;
		idx = memattr_pstacks_get(t, f, 2);
		KUNIT_EXPECT_LT(test, idx, MEMATTR_PSTACK_FIRST + MEMATTR_PSTACKS_MIN);
		if (idx == MEMATTR_PSTACK_OTHER)
			other++;
	}
	f[1] = 0x500000;

	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), MEMATTR_PSTACKS_MIN);
	KUNIT_EXPECT_EQ(test, other, 40U - MEMATTR_PSTACKS_MIN);
	KUNIT_EXPECT_EQ(test, memattr_pstacks_get(t, f, 2), first);
}

/* Invariant: an empty or too deep stack is "[other]", and takes no slot. */
static void memattr_pstacks_bad_depth_test(struct kunit *test)
{
	struct memattr_pstacks *t = pstacks_new(test, 16);
	u64 f[MEMATTR_PROFILE_MAX_DEPTH + 1] = { 0x400000 };

	KUNIT_EXPECT_EQ(test, memattr_pstacks_get(t, f, 0),
			(u32)MEMATTR_PSTACK_OTHER);
	KUNIT_EXPECT_EQ(test,
			memattr_pstacks_get(t, f, MEMATTR_PROFILE_MAX_DEPTH + 1),
			(u32)MEMATTR_PSTACK_OTHER);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), 0);
}

static struct memattr_pinuse *pinuse_new(struct kunit *test, u32 nr)
{
	struct memattr_pinuse *t;

	t = kunit_kzalloc(test, memattr_pinuse_size(nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	memattr_pinuse_init(t, nr);
	return t;
}

/*
 * Invariant: a page added is found once, with its stack and order; a page
 * never added, or freed already, is not.
 */
static void memattr_pinuse_add_del_test(struct kunit *test)
{
	struct memattr_pinuse *t = pinuse_new(test, 1024);
	unsigned int order;
	u32 stack;

	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 0x12345, 7, 0));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 0x40000, 300, 9));

	KUNIT_EXPECT_FALSE(test, memattr_pinuse_del(t, 0x99999, &stack, &order));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_del(t, 0x40000, &stack, &order));
	KUNIT_EXPECT_EQ(test, stack, 300U);
	KUNIT_EXPECT_EQ(test, order, 9U);
	KUNIT_EXPECT_FALSE(test, memattr_pinuse_del(t, 0x40000, &stack, &order));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_del(t, 0x12345, &stack, &order));
	KUNIT_EXPECT_EQ(test, stack, 7U);
	KUNIT_EXPECT_EQ(test, order, 0U);
}

/*
 * Invariant: a full table refuses a page (the caller counts it lost),
 * and a freed slot takes a new page again.
 */
static void memattr_pinuse_full_test(struct kunit *test)
{
	struct memattr_pinuse *t = pinuse_new(test, 4);
	unsigned int order;
	u32 stack;

	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 1, 2, 0));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 2, 2, 0));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 3, 2, 0));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_add(t, 4, 2, 0));
	KUNIT_EXPECT_FALSE(test, memattr_pinuse_add(t, 5, 2, 0));
	KUNIT_ASSERT_TRUE(test, memattr_pinuse_del(t, 3, &stack, &order));
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_add(t, 5, 2, 0));
	/* Past the freed slot, the others are still found. */
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_del(t, 4, &stack, &order));
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_del(t, 5, &stack, &order));
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_del(t, 1, &stack, &order));
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_del(t, 2, &stack, &order));
}

/* Invariant: what a slot cannot hold is refused, not truncated. */
static void memattr_pinuse_limits_test(struct kunit *test)
{
	struct memattr_pinuse *t = pinuse_new(test, 16);
	struct memattr_pinuse *none = pinuse_new(test, 0);

	KUNIT_EXPECT_FALSE(test, memattr_pinuse_add(t, 1UL << 40, 2, 0));
	KUNIT_EXPECT_FALSE(test, memattr_pinuse_add(t, 1, 0x10000, 0));
	KUNIT_EXPECT_FALSE(test, memattr_pinuse_add(none, 1, 2, 0));
	KUNIT_EXPECT_TRUE(test, memattr_pinuse_add(t, (1UL << 40) - 1, 0xffff, 10));
}

/*
 * Invariant: the filter says "maybe" for a page set and not taken yet, and
 * for any page outside its range; "no" for a page never set or taken
 * already (each set is taken once: no false negative, no stale bit).
 */
static void memattr_pfilter_test(struct kunit *test)
{
	static const unsigned long lo = 0x40000, nr = 1000;
	struct memattr_pfilter *f;

	f = kunit_kzalloc(test, memattr_pfilter_size(nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	memattr_pfilter_init(f, lo, nr);

	memattr_pfilter_set(f, lo);
	memattr_pfilter_set(f, lo + 65);
	memattr_pfilter_set(f, lo + nr - 1);
	memattr_pfilter_set(f, lo + 65);	/* twice: one bit */
	KUNIT_EXPECT_FALSE(test, memattr_pfilter_take(f, lo + 1));
	KUNIT_EXPECT_FALSE(test, memattr_pfilter_take(f, lo + 64));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo + 65));
	KUNIT_EXPECT_FALSE(test, memattr_pfilter_take(f, lo + 65));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo + nr - 1));
	KUNIT_EXPECT_FALSE(test, memattr_pfilter_take(f, lo + nr - 1));
	/* Outside the range: always maybe, and set is a no-op there. */
	memattr_pfilter_set(f, lo + nr);
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo + nr));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo + nr));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, lo - 1));
	KUNIT_EXPECT_TRUE(test, memattr_pfilter_take(f, 0));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(f->bits, nr));
}

/*
 * Invariant: a bucket holds one second of walks at the rate; it refills
 * in proportion to the time elapsed, never above one second's worth, and
 * shrinks at once when the rate goes down.
 */
static void memattr_pbucket_test(struct kunit *test)
{
	struct memattr_pbucket b;
	u64 t0 = 1000 * NSEC_PER_SEC;
	unsigned int i, n;

	memattr_pbucket_init(&b, t0, 10);
	for (n = 0, i = 0; i < 20; i++)
		n += memattr_pbucket_take(&b, t0, 10);
	KUNIT_EXPECT_EQ(test, n, 10U);
	/* 100 ms at 10/s: one walk. */
	KUNIT_EXPECT_TRUE(test, memattr_pbucket_take(&b, t0 + 100 * NSEC_PER_MSEC, 10));
	KUNIT_EXPECT_FALSE(test, memattr_pbucket_take(&b, t0 + 100 * NSEC_PER_MSEC, 10));
	/* 50 ms more: half a walk, none. */
	KUNIT_EXPECT_FALSE(test, memattr_pbucket_take(&b, t0 + 150 * NSEC_PER_MSEC, 10));
	KUNIT_EXPECT_TRUE(test, memattr_pbucket_take(&b, t0 + 200 * NSEC_PER_MSEC, 10));
	/* An hour later: one second's worth, no more. */
	for (n = 0, i = 0; i < 30; i++)
		n += memattr_pbucket_take(&b, t0 + 3600 * NSEC_PER_SEC, 10);
	KUNIT_EXPECT_EQ(test, n, 10U);
	/* The clock going back refills nothing. */
	KUNIT_EXPECT_FALSE(test, memattr_pbucket_take(&b, t0, 10));
	/* Down to 2/s: at most 2 after a long wait. */
	for (n = 0, i = 0; i < 30; i++)
		n += memattr_pbucket_take(&b, t0 + 7200 * NSEC_PER_SEC, 2);
	KUNIT_EXPECT_EQ(test, n, 2U);
}

/*
 * The weighted total of many pages drawn by @draw at each rate of
 * @everies is their number, within 5 standard deviations; N=1 samples
 * every page.
 */
static void memattr_psample_expect(struct kunit *test, const u32 *everies,
				   unsigned int nr,
				   bool (*draw)(void *arg, u32 every),
				   void *arg)
{
	const u32 pages = 200000;
	unsigned int k;

	for (k = 0; k < nr; k++) {
		u32 every = everies[k], i, n = 0;
		u64 total, dev, sigma;

		for (i = 0; i < pages; i++)
			n += draw(arg, every);
		total = (u64)n * every;
		/* sigma of n*every: every * sqrt(pages * p * (1 - p)) */
		sigma = int_sqrt64((u64)pages * every * (every - 1)) + 1;
		dev = total > pages ? total - pages : pages - total;
		KUNIT_EXPECT_LE_MSG(test, dev, 5 * sigma, "every %u: %llu sampled pages weigh %llu",
				    every, (u64)n, total);
		if (every == 1)
			KUNIT_EXPECT_EQ(test, n, pages);
	}
}

static bool memattr_psample_draw(void *arg, u32 every)
{
	return memattr_psample(arg, every);
}

static bool memattr_psample_fast_draw(void *arg, u32 every)
{
	return memattr_psample_fast(arg, every);
}

/* Invariant: one page in N sampled, weight N (memattr_psample_expect()). */
static void memattr_psample_weight_test(struct kunit *test)
{
	static const u32 everies[] = { 1, 2, 16, 1000 };
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 42);
	memattr_psample_expect(test, everies, ARRAY_SIZE(everies),
			       memattr_psample_draw, &rnd);
}

/*
 * Invariant: the hooks' draw is Bernoulli too: powers of two from random
 * bits (several pages per draw), other rates as memattr_psample()
 * (memattr_psample_expect()).
 */
static void memattr_psample_fast_weight_test(struct kunit *test)
{
	static const u32 everies[] = { 1, 2, 16, 1000, 1024, 65536 };
	struct memattr_psampler s = {};

	prandom_seed_state(&s.rnd, 42);
	memattr_psample_expect(test, everies, ARRAY_SIZE(everies),
			       memattr_psample_fast_draw, &s);
}

static struct kunit_case memattr_ptable_cases[] = {
	KUNIT_CASE(memattr_pstacks_same_stack_test),
	KUNIT_CASE(memattr_pstacks_overflow_test),
	KUNIT_CASE(memattr_pstacks_bad_depth_test),
	KUNIT_CASE(memattr_pinuse_add_del_test),
	KUNIT_CASE(memattr_pinuse_full_test),
	KUNIT_CASE(memattr_pinuse_limits_test),
	KUNIT_CASE(memattr_pfilter_test),
	KUNIT_CASE(memattr_pbucket_test),
	KUNIT_CASE(memattr_psample_weight_test),
	KUNIT_CASE(memattr_psample_fast_weight_test),
	{}
};

static struct kunit_suite memattr_ptable_suite = {
	.name = "memattr_ptable",
	.test_cases = memattr_ptable_cases,
};

kunit_test_suites(&memattr_ustack_suite, &memattr_ptable_suite);
