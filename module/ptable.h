/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tables of a growth-site profile (ptable.c): distinct user stacks with
 * their weights, and the sampled pages still allocated. Pure logic, no hook
 * and no parameter, so that KUnit tests it directly.
 */
#ifndef _MEMATTR_PTABLE_H
#define _MEMATTR_PTABLE_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/prandom.h>
#include <linux/types.h>
#include <uapi/linux/memattr.h>

/* The pseudo-stacks, at these indices of every stack table. */
#define MEMATTR_PSTACK_THROTTLED	0
#define MEMATTR_PSTACK_OTHER		1
#define MEMATTR_PSTACK_FIRST		2	/* the first real stack */

/* Slots a lookup or an insertion looks at before it gives up. */
#define MEMATTR_PTABLE_PROBES		32

#define MEMATTR_PSTACKS_MIN		16
#define MEMATTR_PSTACKS_MAX		16384	/* indices fit 16 bits */

/*
 * One stack and its weights. @state goes EMPTY -> BUSY -> READY exactly
 * once (cmpxchg, then a release store): @hash, @depth and @frames are
 * written only by the CPU that won the slot, before READY, and never after;
 * readers compare them only after an acquire load of READY. The weights are
 * atomics, added to in any context.
 */
struct memattr_pstack {
	atomic_t state;			/* MEMATTR_PSTACK_* below */
	u32 hash;
	u32 depth;			/* frames held, 1..MAX_DEPTH; 0: bucket */
	u32 pad;
	atomic64_t pages;		/* first-touch pages, weighted */
	atomic64_t samples;		/* pages sampled */
	atomic64_t map_calls;		/* mmap/brk/mremap calls */
	atomic64_t map_bytes;		/* bytes they mapped */
	atomic64_t inuse;		/* sampled, not freed, weighted */
	u64 frames[MEMATTR_PROFILE_MAX_DEPTH];
};

enum {
	MEMATTR_PSTACK_EMPTY,
	MEMATTR_PSTACK_BUSY,
	MEMATTR_PSTACK_READY,
};

/*
 * The stacks of one profile: @nr slots after the two pseudo-stacks,
 * open addressing with linear probing. Lock-free: see struct memattr_pstack.
 */
struct memattr_pstacks {
	u32 nr;				/* slots for real stacks */
	atomic_t used;			/* of them, taken */
	struct memattr_pstack s[];	/* MEMATTR_PSTACK_FIRST + @nr */
};

/*
 * The sampled pages still allocated: open addressing on the pfn, one u64
 * per slot, written with cmpxchg only, so that the page-free hook can drop
 * a page in any context (interrupts included) without a lock.
 * A slot holds EMPTY (0), TOMB (a page freed: lookups go on past it,
 * insertions reuse it) or a page: pfn << 24 | stack << 8 | order << 2 | 1.
 */
struct memattr_pinuse {
	u32 nr;				/* slots, a power of two */
	atomic64_t slot[];
};

#define MEMATTR_PINUSE_EMPTY		0ULL
#define MEMATTR_PINUSE_TOMB		2ULL
#define MEMATTR_PINUSE_PFN_BITS		40

/*
 * A filter in front of the tables of sampled pages, for the page-free hook,
 * which sees every page freed on the machine: one bit per page frame of
 * [@lo, @lo + @nr), set once a page is in a table, cleared when the page is
 * freed. A clear bit says "in no table" (no false negative: a page is added
 * to its table before its bit is set, and freed after both); a page frame
 * outside the range is always "maybe". Bits are set and cleared with atomic
 * bit operations, in any context.
 */
struct memattr_pfilter {
	unsigned long lo;		/* first page frame covered */
	unsigned long nr;		/* page frames covered */
	unsigned long bits[];
};

/**
 * memattr_pfilter_set() - a page is now in a table
 * @f: the filter
 * @pfn: the page's first frame
 *
 * Context: any.
 */
static inline void memattr_pfilter_set(struct memattr_pfilter *f,
				       unsigned long pfn)
{
	pfn -= f->lo;
	if (pfn < f->nr && !test_bit(pfn, f->bits))
		set_bit(pfn, f->bits);
}

/**
 * memattr_pfilter_take() - may a page being freed be in a table?
 * @f: the filter
 * @pfn: the page's first frame
 *
 * Clears the page's bit: the caller then looks it up in the tables.
 * Context: any; the page is being freed, so no other CPU sets its bit.
 * Return: false when it is in none, true when it may be.
 */
static inline bool memattr_pfilter_take(struct memattr_pfilter *f,
					unsigned long pfn)
{
	pfn -= f->lo;
	if (pfn >= f->nr)
		return true;
	return test_bit(pfn, f->bits) && test_and_clear_bit(pfn, f->bits);
}

/*
 * A token bucket of stack walks: @tokens counts walks times NSEC_PER_SEC,
 * refilled at a rate per second, up to one second's worth. The caller
 * serialises calls on one bucket.
 */
struct memattr_pbucket {
	u64 ns;				/* last refill */
	u64 tokens;
};

/*
 * A CPU's sampling draws: its random state, and random bits not used yet,
 * which the draws of a power-of-two rate take a few at a time.
 */
struct memattr_psampler {
	struct rnd_state rnd;
	u32 bits;
	u32 nbits;			/* left in @bits */
};

void memattr_pbucket_init(struct memattr_pbucket *b, u64 now_ns, u32 rate);
bool memattr_pbucket_take(struct memattr_pbucket *b, u64 now_ns, u32 rate);
bool memattr_psample(struct rnd_state *rnd, u32 every);

/**
 * memattr_psample_fast() - is this page sampled? The draw of the hooks
 * @s: this CPU's draws
 * @every: one page in @every is, 1..65536
 *
 * As memattr_psample(), but for a power of two, log2(@every) fresh random
 * bits, all zero with probability 1/@every, out of a 32-bit draw that
 * serves several pages. Context: the caller's CPU owns @s.
 * Return: true when it is.
 */
static inline bool memattr_psample_fast(struct memattr_psampler *s, u32 every)
{
	unsigned int k;
	bool hit;

	if (every <= 1)
		return true;
	if (!is_power_of_2(every))
		return memattr_psample(&s->rnd, every);
	k = ilog2(every);
	if (s->nbits < k) {
		s->bits = prandom_u32_state(&s->rnd);
		s->nbits = 32;
	}
	hit = !(s->bits & (every - 1));
	s->bits >>= k;		/* k <= 16 */
	s->nbits -= k;
	return hit;
}

size_t memattr_pstacks_size(u32 nr);
void memattr_pstacks_init(struct memattr_pstacks *t, u32 nr);
u32 memattr_pstack_hash(const u64 *frames, unsigned int depth);
u32 memattr_pstacks_get(struct memattr_pstacks *t, const u64 *frames,
			unsigned int depth);

size_t memattr_pinuse_size(u32 nr);
void memattr_pinuse_init(struct memattr_pinuse *t, u32 nr);
bool memattr_pinuse_add(struct memattr_pinuse *t, unsigned long pfn,
			u32 stack, unsigned int order);
bool memattr_pinuse_del(struct memattr_pinuse *t, unsigned long pfn,
			u32 *stack, unsigned int *order);

size_t memattr_pfilter_size(unsigned long nr);
void memattr_pfilter_init(struct memattr_pfilter *f, unsigned long lo,
			  unsigned long nr);

#endif /* _MEMATTR_PTABLE_H */
