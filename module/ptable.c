// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tables of a growth-site profile: a bounded hash of distinct user
 * stacks, and a bounded hash of the sampled pages still allocated.
 *
 * Both are written from the page-allocator and mapping hooks (task context,
 * preemption off) and the stack weights and page slots also from the
 * page-free hook (any context, interrupts included). So neither takes a
 * lock: a slot is claimed with cmpxchg and never given back (stacks) or
 * moved between states with cmpxchg only (pages). On PREEMPT_RT nothing
 * here sleeps. Memory is allocated by the caller, in process context; these
 * functions only format and fill it.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/prandom.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "ptable.h"

/**
 * memattr_pbucket_init() - a full bucket
 * @b: the bucket
 * @now_ns: the time, any monotonic clock
 * @rate: walks per second
 */
void memattr_pbucket_init(struct memattr_pbucket *b, u64 now_ns, u32 rate)
{
	b->ns = now_ns;
	b->tokens = (u64)rate * NSEC_PER_SEC;
}

/**
 * memattr_pbucket_take() - take one walk from a bucket
 * @b: the bucket
 * @now_ns: the time, the clock of memattr_pbucket_init()
 * @rate: walks per second, now (it may have changed)
 *
 * Refills the time elapsed since the last refill at @rate, up to one
 * second's worth, then takes a walk if there is one. A clock going back
 * refills nothing. Context: any; the caller serialises calls on @b.
 * Return: true when the walk was taken, false when over the rate.
 */
bool memattr_pbucket_take(struct memattr_pbucket *b, u64 now_ns, u32 rate)
{
	u64 full = (u64)rate * NSEC_PER_SEC;

	if (now_ns > b->ns) {
		u64 dt = min_t(u64, now_ns - b->ns, NSEC_PER_SEC);

		b->tokens = min(full, b->tokens + dt * rate);
		b->ns = now_ns;
	}
	b->tokens = min(full, b->tokens);	/* the rate went down */
	if (b->tokens < NSEC_PER_SEC)
		return false;
	b->tokens -= NSEC_PER_SEC;
	return true;
}

/**
 * memattr_psample() - is this page sampled?
 * @rnd: a random state of the caller's own (this CPU's)
 * @every: one page in @every is, 1..65536
 *
 * Bernoulli: each page independently with probability 1/@every, so that a
 * weight of @every per sampled page keeps every total unbiased.
 * Return: true when it is.
 */
bool memattr_psample(struct rnd_state *rnd, u32 every)
{
	return every <= 1 || !(prandom_u32_state(rnd) % every);
}

/**
 * memattr_pstacks_size() - bytes of a stack table
 * @nr: real stacks it holds
 *
 * Return: the size to allocate.
 */
size_t memattr_pstacks_size(u32 nr)
{
	return sizeof(struct memattr_pstacks) +
	       (size_t)(MEMATTR_PSTACK_FIRST + nr) *
	       sizeof(struct memattr_pstack);
}

/**
 * memattr_pstacks_init() - format a zeroed stack table
 * @t: the table, memattr_pstacks_size(@nr) zeroed bytes
 * @nr: real stacks it holds
 */
void memattr_pstacks_init(struct memattr_pstacks *t, u32 nr)
{
	t->nr = nr;
	atomic_set(&t->used, 0);
	atomic_set(&t->s[MEMATTR_PSTACK_THROTTLED].state, MEMATTR_PSTACK_READY);
	atomic_set(&t->s[MEMATTR_PSTACK_OTHER].state, MEMATTR_PSTACK_READY);
}

/**
 * memattr_pstack_hash() - the hash of a stack
 * @frames: the addresses, leaf first
 * @depth: how many
 *
 * Return: the hash.
 */
u32 memattr_pstack_hash(const u64 *frames, unsigned int depth)
{
	return jhash2((const u32 *)frames, depth * 2, depth);
}

static bool memattr_pstack_equal(const struct memattr_pstack *s, u32 hash,
				 const u64 *frames, unsigned int depth)
{
	return s->hash == hash && s->depth == depth &&
	       !memcmp(s->frames, frames, depth * sizeof(*frames));
}

/**
 * memattr_pstacks_get() - the slot of a stack, taken if it is new
 * @t: the table
 * @frames: the addresses, leaf first
 * @depth: how many, 1..MEMATTR_PROFILE_MAX_DEPTH
 *
 * Looks at MEMATTR_PTABLE_PROBES slots from the stack's hash on. A slot
 * another CPU is filling is passed over, so the same stack may, rarely,
 * take two slots: a reader adds them up.
 * Context: any; lock-free.
 * Return: the index of the stack's slot, or MEMATTR_PSTACK_OTHER when the
 * table has no room for it.
 */
u32 memattr_pstacks_get(struct memattr_pstacks *t, const u64 *frames,
			unsigned int depth)
{
	u32 hash = memattr_pstack_hash(frames, depth);
	u32 i, n, idx;

	if (!t->nr || !depth || depth > MEMATTR_PROFILE_MAX_DEPTH)
		return MEMATTR_PSTACK_OTHER;
	for (n = 0, i = hash % t->nr; n < MEMATTR_PTABLE_PROBES && n < t->nr;
	     n++, i = i + 1 == t->nr ? 0 : i + 1) {
		struct memattr_pstack *s;
		int st;

		idx = MEMATTR_PSTACK_FIRST + i;
		s = &t->s[idx];
		st = atomic_read_acquire(&s->state);
		if (st == MEMATTR_PSTACK_EMPTY) {
			st = atomic_cmpxchg(&s->state, MEMATTR_PSTACK_EMPTY,
					    MEMATTR_PSTACK_BUSY);
			if (st == MEMATTR_PSTACK_EMPTY) {
				s->hash = hash;
				s->depth = depth;
				memcpy(s->frames, frames,
				       depth * sizeof(*frames));
				atomic_set_release(&s->state,
						   MEMATTR_PSTACK_READY);
				atomic_inc(&t->used);
				return idx;
			}
			if (st == MEMATTR_PSTACK_READY)
				smp_rmb();	/* READY, then its frames */
		}
		if (st == MEMATTR_PSTACK_READY &&
		    memattr_pstack_equal(s, hash, frames, depth))
			return idx;
	}
	return MEMATTR_PSTACK_OTHER;
}

/**
 * memattr_pinuse_size() - bytes of a page table
 * @nr: slots, a power of two
 *
 * Return: the size to allocate.
 */
size_t memattr_pinuse_size(u32 nr)
{
	return sizeof(struct memattr_pinuse) + (size_t)nr * sizeof(atomic64_t);
}

/**
 * memattr_pinuse_init() - format a zeroed page table
 * @t: the table, memattr_pinuse_size(@nr) zeroed bytes
 * @nr: slots, a power of two (0: no table, every page is lost)
 */
void memattr_pinuse_init(struct memattr_pinuse *t, u32 nr)
{
	t->nr = nr;
}

static u32 memattr_pinuse_first(const struct memattr_pinuse *t,
				unsigned long pfn)
{
	return hash_64(pfn, 32) & (t->nr - 1);
}

static u64 memattr_pinuse_pfn(u64 v)
{
	return v >> 24;
}

/**
 * memattr_pinuse_add() - remember a sampled page
 * @t: the table
 * @pfn: its first page frame
 * @stack: the index of its stack
 * @order: its order
 *
 * Context: any; lock-free. The page is not in the table: the page
 * allocator has just handed it out.
 * Return: true when it was added; false when the table had no room near
 * its hash or the page is out of what a slot holds.
 */
bool memattr_pinuse_add(struct memattr_pinuse *t, unsigned long pfn,
			u32 stack, unsigned int order)
{
	u64 v = ((u64)pfn << 24) | ((u64)(stack & 0xffff) << 8) |
		((u64)(order & 0x3f) << 2) | 1;
	u32 i, n;

	if (!t->nr || (u64)pfn >> MEMATTR_PINUSE_PFN_BITS || stack > 0xffff)
		return false;
	i = memattr_pinuse_first(t, pfn);
	for (n = 0; n < MEMATTR_PTABLE_PROBES && n < t->nr;
	     n++, i = (i + 1) & (t->nr - 1)) {
		s64 old = atomic64_read(&t->slot[i]);

		if (old & 1)
			continue;
		if (atomic64_cmpxchg(&t->slot[i], old, v) == old)
			return true;
	}
	return false;
}

/**
 * memattr_pinuse_del() - forget a page that goes back to the allocator
 * @t: the table
 * @pfn: its first page frame
 * @stack: where its stack's index goes
 * @order: where the order it was sampled with goes
 *
 * Context: any, interrupts included; lock-free.
 * Return: true when the page was in the table (and is no more).
 */
bool memattr_pinuse_del(struct memattr_pinuse *t, unsigned long pfn,
			u32 *stack, unsigned int *order)
{
	u32 i, n;

	if (!t->nr)
		return false;
	i = memattr_pinuse_first(t, pfn);
	for (n = 0; n < MEMATTR_PTABLE_PROBES && n < t->nr;
	     n++, i = (i + 1) & (t->nr - 1)) {
		s64 v = atomic64_read(&t->slot[i]);

		if (v == MEMATTR_PINUSE_EMPTY)
			return false;
		if (!(v & 1) || memattr_pinuse_pfn(v) != pfn)
			continue;
		if (atomic64_cmpxchg(&t->slot[i], v, MEMATTR_PINUSE_TOMB) != v)
			return false;	/* another CPU freed it */
		*stack = (v >> 8) & 0xffff;
		*order = (v >> 2) & 0x3f;
		return true;
	}
	return false;
}

/**
 * memattr_pfilter_size() - bytes of a page filter
 * @nr: page frames it covers
 *
 * Return: the size to allocate.
 */
size_t memattr_pfilter_size(unsigned long nr)
{
	return sizeof(struct memattr_pfilter) +
	       BITS_TO_LONGS(nr) * sizeof(unsigned long);
}

/**
 * memattr_pfilter_init() - format a zeroed page filter
 * @f: the filter, memattr_pfilter_size(@nr) zeroed bytes
 * @lo: the first page frame it covers
 * @nr: page frames it covers (0: none, every page is "maybe")
 */
void memattr_pfilter_init(struct memattr_pfilter *f, unsigned long lo,
			  unsigned long nr)
{
	f->lo = lo;
	f->nr = nr;
}
