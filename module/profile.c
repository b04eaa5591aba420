// SPDX-License-Identifier: GPL-2.0-only
/*
 * Growth-site profiles: for a few processes, the user stack that touches
 * each new anonymous page, and that of each mmap/brk/mremap call.
 *
 * Lifetime. A profile is allocated whole (its stack table and its table of
 * sampled pages) in process context, by PROFILE_START or by the auto-start
 * work, never in a hook. It is published in memattr_profiles[], a few
 * slots: the page-allocator and mapping hooks look up their process's tgid
 * and start time there (struct memattr_proc has no byte to spare), through
 * a per-CPU cache of the last answer that a generation, bumped at each
 * change of the slots, invalidates; the page-free hook must find a sampled
 * page whatever task frees it, and asks a pfn filter shared by all the
 * profiles (struct memattr_pfilter, allocated with the first profile and
 * freed with the last) before it looks in each profile's table. It ends at
 * PROFILE_STOP, at exec, at the exit of its last thread, or when the work
 * finds its process gone: the exec and exit hooks only mark it ended (they
 * run with preemption off and may not sleep); the work then takes it out
 * of memattr_profiles[],
 * waits for a grace period (every hook runs with preemption off, so
 * synchronize_rcu() waits for any that still holds it) and frees it.
 *
 * Locking. memattr_profile_mutex (process context only) serialises
 * start, stop, the work, and the outputs' copies: a profile is freed only
 * under it, so a copy made under it is safe. The hooks take no lock but
 * the token bucket's (see struct memattr_profile).
 *
 * Cost. memattr_profile_on, a static key, is on only while a profile
 * exists: with none, every hook's added cost is a patched-out branch.
 */
#include <linux/compat.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "acct.h"
#include "mem.h"
#include "parse.h"
#include "profile.h"
#include "ptable.h"
#include "ustack.h"

DEFINE_STATIC_KEY_FALSE(memattr_profile_on);

/* --- parameters ----------------------------------------------------------- */

struct memattr_profile_param {
	const char *name;
	u32 val;
	u32 min;
	u32 max;
};

enum {
	MEMATTR_PP_MAX,
	MEMATTR_PP_STACKS,
	MEMATTR_PP_RATE,
	MEMATTR_PP_EVERY,
	MEMATTR_PP_AUTO,
	MEMATTR_PP_INUSE,
	MEMATTR_PP_NR,
};

static struct memattr_profile_param memattr_pp[MEMATTR_PP_NR] = {
	[MEMATTR_PP_MAX] = { "profile_max", 4, 0, MEMATTR_PROFILES_MAX },
	[MEMATTR_PP_STACKS] = { "profile_stacks", 256, MEMATTR_PSTACKS_MIN,
				MEMATTR_PSTACKS_MAX },
	[MEMATTR_PP_RATE] = { "profile_rate", 100000, 1, 10000000 },
	[MEMATTR_PP_EVERY] = { "profile_every", 1, 1, 65536 },
	[MEMATTR_PP_AUTO] = { "profile_auto", 0, 0, 1 },
	[MEMATTR_PP_INUSE] = { "profile_inuse_pages", 131072, 0, 4194304 },
};

static void memattr_profile_auto_changed(void);

static int memattr_pp_set(const char *buf, const struct kernel_param *kp)
{
	struct memattr_profile_param *p = kp->arg;
	u32 val;

	if (memattr_parse_u32_range(buf, p->min, p->max, &val)) {
		pr_warn("%s: expected an integer in [%u, %u]\n", p->name,
			p->min, p->max);
		return -EINVAL;
	}
	WRITE_ONCE(p->val, val);
	if (p == &memattr_pp[MEMATTR_PP_AUTO])
		memattr_profile_auto_changed();
	return 0;
}

static int memattr_pp_get(char *buf, const struct kernel_param *kp)
{
	const struct memattr_profile_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops memattr_pp_ops = {
	.set = memattr_pp_set,
	.get = memattr_pp_get,
};

static u32 memattr_pp_val(unsigned int id)
{
	return READ_ONCE(memattr_pp[id].val);
}

/*
 * profile_max: most processes profiled at once. Default 4, range 0..16;
 * 0 turns profiling off (PROFILE_START fails with -ENOSPC). Writable at
 * run time; lowering it ends no profile.
 */
module_param_cb(profile_max, &memattr_pp_ops, &memattr_pp[MEMATTR_PP_MAX], 0644);
MODULE_PARM_DESC(profile_max, "Most processes profiled at once (0-16, default 4)");

/*
 * profile_stacks: distinct stacks a profile holds; the others go to
 * "[other]". Default 256, range 16..16384. Read when a profile starts.
 */
module_param_cb(profile_stacks, &memattr_pp_ops,
		&memattr_pp[MEMATTR_PP_STACKS], 0644);
MODULE_PARM_DESC(profile_stacks, "Distinct stacks per profile (16-16384, default 256)");

/*
 * profile_rate: most stack walks a profiled process pays per second (a
 * token bucket of one second's worth); pages and calls over it go to
 * "[throttled]". Default 100000, range 1..10000000. Writable at run time.
 */
module_param_cb(profile_rate, &memattr_pp_ops, &memattr_pp[MEMATTR_PP_RATE],
		0644);
MODULE_PARM_DESC(profile_rate, "Stack walks per second per profile (1-10000000, default 100000)");

/*
 * profile_every: sample one page in N, weighted N, when PROFILE_START does
 * not say. Default 1, range 1..65536. Read when a profile starts.
 */
module_param_cb(profile_every, &memattr_pp_ops, &memattr_pp[MEMATTR_PP_EVERY],
		0644);
MODULE_PARM_DESC(profile_every, "Sample one page in N by default (1-65536, default 1)");

/*
 * profile_auto: 1 profiles a process when it enters LEAK (checked every 2
 * s, within profile_max), once per process. Default 0, range 0..1.
 */
module_param_cb(profile_auto, &memattr_pp_ops, &memattr_pp[MEMATTR_PP_AUTO],
		0644);
MODULE_PARM_DESC(profile_auto, "Profile processes entering LEAK (0 or 1, default 0)");

/*
 * profile_inuse_pages: sampled pages a profile follows until they are
 * freed; samples beyond go to INUSE_LOST. Default 131072, range
 * 0..4194304 (0: no in-use view). Its table has twice as many slots, 8
 * bytes each. Read when a profile starts.
 */
module_param_cb(profile_inuse_pages, &memattr_pp_ops,
		&memattr_pp[MEMATTR_PP_INUSE], 0644);
MODULE_PARM_DESC(profile_inuse_pages, "Sampled pages followed per profile (0-4194304, default 131072)");

/**
 * memattr_profile_default_every() - the profile_every parameter
 *
 * Return: its value.
 */
u32 memattr_profile_default_every(void)
{
	return memattr_pp_val(MEMATTR_PP_EVERY);
}

/* --- profiles ------------------------------------------------------------- */

/*
 * One profile. Immutable after start but for:
 * - @ended: set once (WRITE_ONCE) by whoever ends it; the hooks stop
 *   sampling when they see it;
 * - the counters, atomics the hooks add to in any context;
 * - the token bucket, @bucket, under @bucket_lock: a
 *   raw spinlock, since the hooks run with preemption off (a spinlock_t
 *   sleeps on PREEMPT_RT), taken only in task context (the hooks never
 *   sample in interrupts), held for a few arithmetic steps.
 */
struct memattr_profile {
	pid_t tgid;
	u64 start_ns;			/* its leader's start_time */
	u64 start_ms;			/* CLOCK_MONOTONIC, when it started */
	u32 every;
	bool autostart;
	bool ended;
	raw_spinlock_t bucket_lock;
	struct memattr_pbucket bucket;
	atomic64_t pages;
	atomic64_t samples;
	atomic64_t throttled;
	atomic64_t other;
	atomic64_t map_calls;
	atomic64_t map_bytes;
	atomic64_t inuse;
	atomic64_t inuse_lost;
	atomic64_t walk_errors;
	size_t mem_bytes;
	struct memattr_pstacks *stacks;
	struct memattr_pinuse *pages_in_use;
	struct memattr_pfilter *filter;	/* memattr_profile_filter */
};

static DEFINE_MUTEX(memattr_profile_mutex);
/* Written under the mutex; read by the page-free hook under RCU. */
static struct memattr_profile __rcu *memattr_profiles[MEMATTR_PROFILES_MAX];
static u32 memattr_profiles_nr;			/* under the mutex */
static u64 memattr_profiles_bytes;		/* under the mutex */
/*
 * The filter of the pages in any profile's table: published before the
 * first profile, unpublished with the last one, under the mutex; read by
 * the page-free hook under RCU.
 */
struct memattr_pfilter __rcu *memattr_profile_filter;
static size_t memattr_profile_filter_bytes;	/* under the mutex */

/*
 * Bumped, under the mutex, after each change of memattr_profiles[] (and
 * before the grace period of a removal): a CPU's cache filled at
 * generation g holds the answer of the slots as they were at g. Starts at
 * 1, so that a zeroed cache misses.
 */
static unsigned long memattr_profiles_gen = 1;

/*
 * The profile of the process the hooks last looked up on a CPU (NULL:
 * none), written only by that CPU in task context with preemption off.
 */
struct memattr_profile_cur {
	pid_t tgid;
	u64 start_ns;
	unsigned long gen;
	struct memattr_profile *prof;
};

static DEFINE_PER_CPU(struct memattr_profile_cur, memattr_profile_cur);

static DEFINE_PER_CPU(struct memattr_psampler, memattr_profile_rnd);
/* A walk's frames: the hooks run with preemption off, never nested. */
struct memattr_profile_frames {
	u64 f[MEMATTR_PROFILE_MAX_DEPTH];
};

static DEFINE_PER_CPU(struct memattr_profile_frames, memattr_profile_frames);

static void memattr_profile_gc_fn(struct work_struct *work);
static DECLARE_WORK(memattr_profile_gc_work, memattr_profile_gc_fn);
static void memattr_profile_auto_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(memattr_profile_auto_work, memattr_profile_auto_fn);
static bool memattr_profile_stopping;		/* under the mutex */

/* The processes auto-started already, so that a stop is not undone. */
#define MEMATTR_PROFILE_AUTO_SEEN	64
static struct {
	pid_t tgid;
	u64 start_ns;
} memattr_profile_auto_seen[MEMATTR_PROFILE_AUTO_SEEN];	/* the work's */
static unsigned int memattr_profile_auto_next;

static struct memattr_profile *memattr_profile_deref(unsigned int i)
{
	return rcu_dereference_protected(memattr_profiles[i],
					 lockdep_is_held(&memattr_profile_mutex));
}

/* Context: the mutex is held. Return: the slot of the profile, or -1. */
static int memattr_profile_find(pid_t tgid, u64 start_ns)
{
	unsigned int i;

	lockdep_assert_held(&memattr_profile_mutex);
	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		struct memattr_profile *prof = memattr_profile_deref(i);

		if (prof && prof->tgid == tgid && prof->start_ns == start_ns)
			return i;
	}
	return -1;
}

/* The slots changed. Context: the mutex is held. */
static void memattr_profiles_changed(void)
{
	lockdep_assert_held(&memattr_profile_mutex);
	smp_wmb();	/* the slots, then the generation */
	WRITE_ONCE(memattr_profiles_gen, memattr_profiles_gen + 1);
}

/*
 * The filter for a new profile: the one of the profiles running, or a new
 * one covering the page frames of the online nodes (not __pa(PAGE_OFFSET):
 * arm64 moves its linear map's base below memory, or out of the physical
 * range, when it randomizes it). Memory added later is "maybe".
 * Context: process; the mutex is held.
 */
static struct memattr_pfilter *memattr_profile_filter_get(void)
{
	unsigned long lo = ULONG_MAX, hi = 0, nr;
	struct memattr_pfilter *f;
	int nid;

	f = rcu_dereference_protected(memattr_profile_filter,
				      lockdep_is_held(&memattr_profile_mutex));
	if (f)
		return f;
	for_each_online_node(nid) {
		lo = min(lo, NODE_DATA(nid)->node_start_pfn);
		hi = max(hi, pgdat_end_pfn(NODE_DATA(nid)));
	}
	/* Beyond 2 TiB of page frames (64 MiB of bits), pages are "maybe". */
	nr = hi > lo ? min(hi - lo, 1UL << 29) : 0;
	f = vzalloc(memattr_pfilter_size(nr));
	if (!f)
		return NULL;
	memattr_pfilter_init(f, lo, nr);
	memattr_profile_filter_bytes = memattr_pfilter_size(nr);
	memattr_mem_charge(memattr_profile_filter_bytes);
	memattr_profiles_bytes += memattr_profile_filter_bytes;
	/* ORDER: published before the profile that sets its bits. */
	rcu_assign_pointer(memattr_profile_filter, f);
	return f;
}

static void memattr_profile_free(struct memattr_profile *prof)
{
	memattr_mem_uncharge(prof->mem_bytes);
	vfree(prof->stacks);
	vfree(prof->pages_in_use);
	kfree(prof);
}

/*
 * Take the profile of slot @i out of everything the hooks can reach, wait
 * until none holds it, and free it. Context: process; the mutex is held.
 */
static void memattr_profile_remove(unsigned int i)
{
	struct memattr_profile *prof = memattr_profile_deref(i);
	struct memattr_pfilter *f = NULL;

	lockdep_assert_held(&memattr_profile_mutex);
	WRITE_ONCE(prof->ended, true);
	RCU_INIT_POINTER(memattr_profiles[i], NULL);
	memattr_profiles_changed();
	memattr_profiles_nr--;
	memattr_profiles_bytes -= prof->mem_bytes;
	if (!memattr_profiles_nr) {
		f = rcu_dereference_protected(memattr_profile_filter,
					      lockdep_is_held(&memattr_profile_mutex));
		RCU_INIT_POINTER(memattr_profile_filter, NULL);
		memattr_profiles_bytes -= memattr_profile_filter_bytes;
	}
	/* ORDER: unpublished, then no hook holds it, then free. */
	synchronize_rcu();
	memattr_profile_free(prof);
	if (f) {
		vfree(f);
		memattr_mem_uncharge(memattr_profile_filter_bytes);
		memattr_profile_filter_bytes = 0;
	}
	if (!memattr_profiles_nr)
		static_branch_disable(&memattr_profile_on);
}

/* Is the process @prof profiles still the one, and alive? */
static bool memattr_profile_alive(const struct memattr_profile *prof)
{
	struct task_struct *t;
	bool alive;

	rcu_read_lock();
	t = pid_task(find_pid_ns(prof->tgid, &init_pid_ns), PIDTYPE_TGID);
	alive = t && t->start_time == prof->start_ns && !t->exit_state &&
		!(t->flags & PF_EXITING);
	rcu_read_unlock();
	return alive;
}

/* End what ended. Context: process; the mutex is held. */
static void memattr_profile_gc_locked(void)
{
	unsigned int i;

	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		struct memattr_profile *prof = memattr_profile_deref(i);

		if (prof && (READ_ONCE(prof->ended) ||
			     !memattr_profile_alive(prof)))
			memattr_profile_remove(i);
	}
}

static void memattr_profile_gc_fn(struct work_struct *work)
{
	mutex_lock(&memattr_profile_mutex);
	memattr_profile_gc_locked();
	mutex_unlock(&memattr_profile_mutex);
}

/**
 * memattr_profile_start() - start profiling a process
 * @tgid: the process, in the initial pid namespace
 * @start_ns: its leader's start_time, which tells it from a reused pid
 * @every: sample one page in @every, 1..65536
 * @autostart: started by a LEAK verdict
 *
 * Context: process, may sleep.
 * Return: 0; -ENOENT when the process is not tracked (a kernel thread, a
 * zombie, gone); -EEXIST when it is profiled already; -ENOSPC when
 * profile_max processes are; -ENOMEM.
 */
int memattr_profile_start(pid_t tgid, u64 start_ns, u32 every, bool autostart)
{
	u32 nstacks = memattr_pp_val(MEMATTR_PP_STACKS);
	u32 ninuse = memattr_pp_val(MEMATTR_PP_INUSE);
	struct memattr_profile *prof;
	struct memattr_proc *p;
	size_t sbytes, ibytes;
	int ret, slot = -1;
	unsigned int i;
	bool hooked;

	if (ninuse)
		ninuse = roundup_pow_of_two(2 * ninuse);
	sbytes = memattr_pstacks_size(nstacks);
	ibytes = memattr_pinuse_size(ninuse);
	mutex_lock(&memattr_profile_mutex);
	memattr_profile_gc_locked();
	ret = -ENOENT;
	if (memattr_profile_stopping)
		goto out;
	ret = -EEXIST;
	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		prof = memattr_profile_deref(i);
		if (prof && prof->tgid == tgid)
			goto out;
		if (!prof && slot < 0)
			slot = i;
	}
	ret = -ENOSPC;
	if (memattr_profiles_nr >= memattr_pp_val(MEMATTR_PP_MAX) || slot < 0)
		goto out;
	ret = -ENOMEM;
	prof = kzalloc(sizeof(*prof), GFP_KERNEL);
	if (!prof)
		goto out;
	prof->stacks = vzalloc(sbytes);
	prof->pages_in_use = vzalloc(ibytes);
	if (!prof->stacks || !prof->pages_in_use) {
		vfree(prof->stacks);
		vfree(prof->pages_in_use);
		kfree(prof);
		goto out;
	}
	prof->filter = memattr_profile_filter_get();
	if (!prof->filter) {
		vfree(prof->stacks);
		vfree(prof->pages_in_use);
		kfree(prof);
		goto out;
	}
	memattr_pstacks_init(prof->stacks, nstacks);
	memattr_pinuse_init(prof->pages_in_use, ninuse);
	prof->tgid = tgid;
	prof->start_ns = start_ns;
	prof->start_ms = div_u64(ktime_get_ns(), NSEC_PER_MSEC);
	prof->every = every;
	prof->autostart = autostart;
	raw_spin_lock_init(&prof->bucket_lock);
	memattr_pbucket_init(&prof->bucket, ktime_get_mono_fast_ns(),
			     memattr_pp_val(MEMATTR_PP_RATE));
	prof->mem_bytes = sizeof(*prof) + sbytes + ibytes;
	memattr_mem_charge(prof->mem_bytes);

	/* ORDER: the page-free hook finds it before any page is sampled. */
	if (!memattr_profiles_nr)
		static_branch_enable(&memattr_profile_on);
	rcu_assign_pointer(memattr_profiles[slot], prof);
	memattr_profiles_changed();
	memattr_profiles_nr++;
	memattr_profiles_bytes += prof->mem_bytes;
	rcu_read_lock();
	p = memattr_acct_find(tgid);
	hooked = p && p->start_ns == start_ns && memattr_profile_alive(prof);
	rcu_read_unlock();
	ret = 0;
	if (!hooked) {
		memattr_profile_remove(slot);
		ret = -ENOENT;
	}
out:
	mutex_unlock(&memattr_profile_mutex);
	return ret;
}

/**
 * memattr_profile_stop() - end a profile and free it
 * @tgid: the process, in the initial pid namespace
 * @start_ns: its leader's start_time
 *
 * Context: process, may sleep (a grace period).
 * Return: 0, or -ENOENT when the process is not profiled.
 */
int memattr_profile_stop(pid_t tgid, u64 start_ns)
{
	int i, ret = -ENOENT;

	mutex_lock(&memattr_profile_mutex);
	memattr_profile_gc_locked();
	i = memattr_profile_find(tgid, start_ns);
	if (i >= 0) {
		memattr_profile_remove(i);
		ret = 0;
	}
	mutex_unlock(&memattr_profile_mutex);
	return ret;
}

static void memattr_profile_row(struct memattr_profile_stack_row *r,
				struct memattr_pstack *s, u8 bucket)
{
	r->bucket = bucket;
	r->depth = bucket == MEMATTR_STACK_FRAMES ? s->depth : 0;
	memcpy(r->frames, s->frames, r->depth * sizeof(r->frames[0]));
	r->pages = atomic64_read(&s->pages);
	r->samples = atomic64_read(&s->samples);
	r->map_calls = atomic64_read(&s->map_calls);
	r->map_bytes = atomic64_read(&s->map_bytes);
	r->inuse = atomic64_read(&s->inuse);
}

static bool memattr_profile_row_empty(const struct memattr_profile_stack_row *r)
{
	return !r->pages && !r->samples && !r->map_calls && !r->map_bytes &&
	       !r->inuse;
}

/**
 * memattr_profile_snapshot() - copy a profile
 * @tgid: the process, in the initial pid namespace
 * @start_ns: its leader's start_time
 * @snap: where the copy goes; kvfree() it
 *
 * The stacks are read first, the counters after: each counter is at least
 * the sum of the stacks' weights of its kind. Stacks and buckets with no
 * weight are left out.
 * Context: process, may sleep; the copy is charged to the caller.
 * Return: 0, -ENOENT when the process is not profiled, or -ENOMEM.
 */
int memattr_profile_snapshot(pid_t tgid, u64 start_ns,
			     struct memattr_profile_snap **snap)
{
	struct memattr_profile_snap *s;
	struct memattr_profile *prof;
	u32 i, n, nr;
	int slot, ret = -ENOENT;

	mutex_lock(&memattr_profile_mutex);
	memattr_profile_gc_locked();
	slot = memattr_profile_find(tgid, start_ns);
	if (slot < 0)
		goto out;
	prof = memattr_profile_deref(slot);
	nr = MEMATTR_PSTACK_FIRST + prof->stacks->nr;
	ret = -ENOMEM;
	s = kvzalloc(struct_size(s, rows, nr), GFP_KERNEL_ACCOUNT);
	if (!s)
		goto out;
	for (i = 0, n = 0; i < nr; i++) {
		struct memattr_pstack *st = &prof->stacks->s[i];
		u8 bucket = MEMATTR_STACK_FRAMES;

		if (i == MEMATTR_PSTACK_THROTTLED)
			bucket = MEMATTR_STACK_THROTTLED;
		else if (i == MEMATTR_PSTACK_OTHER)
			bucket = MEMATTR_STACK_OTHER;
		else if (atomic_read_acquire(&st->state) != MEMATTR_PSTACK_READY)
			continue;
		memattr_profile_row(&s->rows[n], st, bucket);
		if (!memattr_profile_row_empty(&s->rows[n]))
			n++;
	}
	s->nr = n;
	s->tgid = prof->tgid;
	s->every = prof->every;
	s->start_ms = prof->start_ms;
	s->autostart = prof->autostart;
	s->nr_stacks = atomic_read(&prof->stacks->used);
	s->max_stacks = prof->stacks->nr;
	s->mem_bytes = prof->mem_bytes;
	/* ORDER: the counters after the stacks (see above). */
	smp_rmb();
	s->pages = atomic64_read(&prof->pages);
	s->samples = atomic64_read(&prof->samples);
	s->throttled = atomic64_read(&prof->throttled);
	s->other = atomic64_read(&prof->other);
	s->map_calls = atomic64_read(&prof->map_calls);
	s->map_bytes = atomic64_read(&prof->map_bytes);
	s->inuse = atomic64_read(&prof->inuse);
	s->inuse_lost = atomic64_read(&prof->inuse_lost);
	s->walk_errors = atomic64_read(&prof->walk_errors);
	*snap = s;
	ret = 0;
out:
	mutex_unlock(&memattr_profile_mutex);
	return ret;
}

/**
 * memattr_profile_stats() - how many profiles, and their memory
 * @nr: where the number of profiles goes
 * @mem_bytes: where the bytes of their tables go
 *
 * Context: process, may sleep.
 */
void memattr_profile_stats(u32 *nr, u64 *mem_bytes)
{
	mutex_lock(&memattr_profile_mutex);
	*nr = memattr_profiles_nr;
	*mem_bytes = memattr_profiles_bytes;
	mutex_unlock(&memattr_profile_mutex);
}

/* --- the hooks' side ------------------------------------------------------ */

/*
 * Take one walk from @prof's token bucket. Context: task, preemption off.
 * Return: false when the process is over its rate.
 */
static bool memattr_profile_take(struct memattr_profile *prof)
{
	bool ok;

	raw_spin_lock(&prof->bucket_lock);
	ok = memattr_pbucket_take(&prof->bucket, ktime_get_mono_fast_ns(),
				  memattr_pp_val(MEMATTR_PP_RATE));
	raw_spin_unlock(&prof->bucket_lock);
	return ok;
}

/*
 * The stack slot of current's user stack in @prof, or a bucket.
 * Context: task, preemption off.
 */
static u32 memattr_profile_stack(struct memattr_profile *prof)
{
	u64 *frames = this_cpu_ptr(&memattr_profile_frames)->f;
	unsigned int depth;
	bool cut;
	u32 idx;

	if (!memattr_profile_take(prof)) {
		atomic64_inc(&prof->throttled);
		return MEMATTR_PSTACK_THROTTLED;
	}
	depth = memattr_ustack_current(frames, MEMATTR_PROFILE_MAX_DEPTH, &cut);
	if (cut)
		atomic64_inc(&prof->walk_errors);
	idx = memattr_pstacks_get(prof->stacks, frames, depth);
	if (idx == MEMATTR_PSTACK_OTHER)
		atomic64_inc(&prof->other);
	return idx;
}

/* The slot of @p's profile, or NULL. Context: as memattr_profile_of(). */
static noinline struct memattr_profile *
memattr_profile_scan(struct memattr_proc *p)
{
	struct memattr_profile *prof;
	unsigned int i;

	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		prof = rcu_dereference_sched(memattr_profiles[i]);
		if (prof && prof->tgid == p->tgid &&
		    prof->start_ns == p->start_ns)
			return prof;
	}
	return NULL;
}

/*
 * The profile of @p, or NULL: this CPU's cache, filled from the slots
 * when the process or the generation changed. A profile the cache holds
 * is freed only after the generation moved on and a grace period, which
 * the caller's section holds off.
 * Context: a hook in task context, preemption off: an RCU read-side
 * section.
 */
static __always_inline struct memattr_profile *
memattr_profile_of(struct memattr_proc *p)
{
	struct memattr_profile_cur *c = this_cpu_ptr(&memattr_profile_cur);
	unsigned long gen = READ_ONCE(memattr_profiles_gen);
	struct memattr_profile *prof;

	if (unlikely(c->gen != gen || c->tgid != p->tgid ||
		     c->start_ns != p->start_ns)) {
		smp_rmb();	/* the generation, then the slots */
		c->prof = memattr_profile_scan(p);
		c->tgid = p->tgid;
		c->start_ns = p->start_ns;
		c->gen = gen;
	}
	prof = c->prof;
	if (prof && READ_ONCE(prof->ended))
		return NULL;
	return prof;
}

/*
 * Is this the first touch of anonymous memory? An anonymous fault takes a
 * zeroed movable user page (alloc_zeroed_user_highpage_movable() on 5.10,
 * vma_alloc_zeroed_movable_folio() from 6.1; arm64 adds __GFP_ZEROTAGS for
 * MTE), a huge page fault GFP_TRANSHUGE_LIGHT and, by the defrag setting,
 * some reclaim flags (compound, __GFP_NOMEMALLOC, zeroed after). Page cache and COW copies are not
 * zeroed; page tables are not movable; readahead's large folios are not
 * __GFP_NOMEMALLOC.
 */
static bool memattr_profile_anon_gfp(gfp_t gfp, unsigned int order)
{
	if (!order)
		return (gfp & (GFP_HIGHUSER_MOVABLE | __GFP_ZERO)) ==
		       (GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	/*
	 * vma_thp_gfp_mask(): GFP_TRANSHUGE_LIGHT, with or without reclaim
	 * flags as the defrag setting and MADV_HUGEPAGE ask.
	 */
	return (gfp & GFP_TRANSHUGE_LIGHT) == GFP_TRANSHUGE_LIGHT;
}

/*
 * A sampled page: its stack's weights, and in the in-use table. Not
 * inline: the pages not sampled need none of its stack frame.
 * Context: as memattr_profile_page_alloc_slow().
 */
static noinline void memattr_profile_sampled(struct memattr_profile *prof,
					     struct page *page,
					     unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	u64 weight = (u64)prof->every << order;
	u32 idx = memattr_profile_stack(prof);
	struct memattr_pstack *s = &prof->stacks->s[idx];

	atomic64_add(weight, &s->pages);
	atomic64_inc(&s->samples);
	atomic64_add(weight, &prof->pages);
	atomic64_inc(&prof->samples);
	if (memattr_pinuse_add(prof->pages_in_use, pfn, idx, order)) {
		atomic64_add(weight, &s->inuse);
		atomic64_add(weight, &prof->inuse);
		/* ORDER: in the table, then in the filter. */
		memattr_pfilter_set(prof->filter, pfn);
	} else {
		atomic64_inc(&prof->inuse_lost);
	}
}

/**
 * memattr_profile_page_alloc_slow() - a page for a tracked process
 * @p: current's process
 * @page: the page
 * @order: its order
 * @gfp: how it was asked for
 *
 * Context: the page-allocator hook: task (not a kernel thread),
 * preemption off. Never allocates.
 */
void memattr_profile_page_alloc_slow(struct memattr_proc *p, struct page *page,
				     unsigned int order, gfp_t gfp)
{
	struct memattr_profile *prof;

	if (!memattr_profile_anon_gfp(gfp, order))
		return;
	prof = memattr_profile_of(p);
	if (prof && memattr_psample_fast(this_cpu_ptr(&memattr_profile_rnd),
					 prof->every))
		memattr_profile_sampled(prof, page, order);
}

/**
 * memattr_profile_inuse_drop() - take a freed page out of its table
 * @pfn: the page's first frame, which the filter says may be in one
 *
 * Whoever frees it (the process, reclaim, another process): looked up in
 * every profile's table of sampled pages. A huge page split before it is
 * freed leaves with its first page.
 * Context: the page-free hook (memattr_profile_page_free()), any context,
 * preemption off.
 */
void memattr_profile_inuse_drop(unsigned long pfn)
{
	unsigned int i, sorder;
	u32 idx;

	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		struct memattr_profile *prof;
		u64 weight;

		prof = rcu_dereference_sched(memattr_profiles[i]);
		if (!prof ||
		    !memattr_pinuse_del(prof->pages_in_use, pfn, &idx, &sorder))
			continue;
		weight = (u64)prof->every << sorder;
		atomic64_sub(weight, &prof->stacks->s[idx].inuse);
		atomic64_sub(weight, &prof->inuse);
		return;
	}
}

/**
 * memattr_profile_map_slow() - a mapping call of a tracked process
 * @p: current's process
 * @id: the hook; MEMATTR_HOOK_MMAP, _BRK and _MREMAP are sampled
 *
 * Weighted by what it asks to map: mmap's length, brk's growth, mremap's
 * growth. Only calls made by the syscall itself (not the ELF loader's, at
 * exec): the hook of vm_mmap_pgoff() checks the syscall number.
 * Context: the entry hooks: task, preemption off.
 */
void memattr_profile_map_slow(struct memattr_proc *p, enum memattr_hook_id id)
{
	struct memattr_profile *prof = memattr_profile_of(p);
	struct pt_regs *regs = task_pt_regs(current);
	struct memattr_pstack *s;
	unsigned long args[6];
	unsigned long bytes = 0;
	u32 idx;

	if (!prof || in_compat_syscall())
		return;
	syscall_get_arguments(current, regs, args);
	switch (id) {
	case MEMATTR_HOOK_MMAP:
		if (syscall_get_nr(current, regs) != __NR_mmap)
			return;
		bytes = PAGE_ALIGN(args[1]);
		break;
	case MEMATTR_HOOK_BRK: {
		unsigned long cur = READ_ONCE(current->mm->brk);

		bytes = args[0] > cur ? PAGE_ALIGN(args[0] - cur) : 0;
		break;
	}
	case MEMATTR_HOOK_MREMAP:
		bytes = args[2] > args[1] ? PAGE_ALIGN(args[2] - args[1]) : 0;
		break;
	default:
		return;
	}
	idx = memattr_profile_stack(prof);
	s = &prof->stacks->s[idx];
	atomic64_inc(&s->map_calls);
	atomic64_add(bytes, &s->map_bytes);
	atomic64_inc(&prof->map_calls);
	atomic64_add(bytes, &prof->map_bytes);
}

/**
 * memattr_profile_task_end_slow() - a profiled process may have ended
 * @task: current, at exec or at the exit of a thread
 * @exec: it exec'ed
 *
 * An exec, or the exit of the last thread, ends the process's profile:
 * marked ended and unhooked here, freed by the work.
 * Context: the exec and exit tracepoints, preemption off.
 */
void memattr_profile_task_end_slow(struct task_struct *task, bool exec)
{
	struct memattr_profile *prof;
	bool any = false;
	unsigned int i;

	if (task->flags & PF_KTHREAD)
		return;
	if (!exec && atomic_read(&task->signal->live))
		return;
	for (i = 0; i < MEMATTR_PROFILES_MAX; i++) {
		prof = rcu_dereference_sched(memattr_profiles[i]);
		if (prof && prof->tgid == task->tgid) {
			WRITE_ONCE(prof->ended, true);
			any = true;
		}
	}
	if (!any)
		return;
	schedule_work(&memattr_profile_gc_work);	/* raw locks only */
}

/* --- auto-start ----------------------------------------------------------- */

#define MEMATTR_PROFILE_AUTO_MS		2000

static bool memattr_profile_auto_was(pid_t tgid, u64 start_ns)
{
	unsigned int i;

	for (i = 0; i < MEMATTR_PROFILE_AUTO_SEEN; i++)
		if (memattr_profile_auto_seen[i].tgid == tgid &&
		    memattr_profile_auto_seen[i].start_ns == start_ns)
			return true;
	return false;
}

/* Profile every process in LEAK not profiled by auto-start yet. */
static void memattr_profile_auto_fn(struct work_struct *work)
{
	struct memattr_proc_row *rows;
	unsigned int i;
	u32 nr;

	if (!memattr_pp_val(MEMATTR_PP_AUTO))
		return;
	if (!memattr_acct_snapshot_procs(&rows, &nr)) {
		for (i = 0; i < nr; i++) {
			struct memattr_proc_row *r = &rows[i];
			unsigned int k;

			if (r->leak.state != MEMATTR_LEAK_LEAK ||
			    memattr_profile_auto_was(r->tgid, r->start_ns))
				continue;
			if (memattr_profile_start(r->tgid, r->start_ns,
						  memattr_profile_default_every(),
						  true))
				continue;
			k = memattr_profile_auto_next++ % MEMATTR_PROFILE_AUTO_SEEN;
			memattr_profile_auto_seen[k].tgid = r->tgid;
			memattr_profile_auto_seen[k].start_ns = r->start_ns;
		}
		kvfree(rows);
	}
	mutex_lock(&memattr_profile_mutex);
	if (!memattr_profile_stopping)
		schedule_delayed_work(&memattr_profile_auto_work,
				      msecs_to_jiffies(MEMATTR_PROFILE_AUTO_MS));
	mutex_unlock(&memattr_profile_mutex);
}

/* profile_auto was written. Context: process, the parameter lock held. */
static void memattr_profile_auto_changed(void)
{
	mutex_lock(&memattr_profile_mutex);
	if (!memattr_profile_stopping && memattr_pp_val(MEMATTR_PP_AUTO))
		mod_delayed_work(system_wq, &memattr_profile_auto_work, 0);
	mutex_unlock(&memattr_profile_mutex);
}

/* --- init and exit -------------------------------------------------------- */

/**
 * memattr_profile_init() - seed the samplers' random state
 *
 * And start the auto-start work if profile_auto was set at load.
 */
void memattr_profile_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		prandom_seed_state(&per_cpu_ptr(&memattr_profile_rnd, cpu)->rnd,
				   get_random_u64());
	memattr_profile_auto_changed();
}

/**
 * memattr_profile_exit() - end every profile
 *
 * ORDER: the hooks are detached (no new profile is hooked or ended by
 * them) and netlink is gone (no start).
 */
void memattr_profile_exit(void)
{
	unsigned int i;

	mutex_lock(&memattr_profile_mutex);
	memattr_profile_stopping = true;
	mutex_unlock(&memattr_profile_mutex);
	cancel_delayed_work_sync(&memattr_profile_auto_work);
	cancel_work_sync(&memattr_profile_gc_work);
	mutex_lock(&memattr_profile_mutex);
	for (i = 0; i < MEMATTR_PROFILES_MAX; i++)
		if (memattr_profile_deref(i))
			memattr_profile_remove(i);
	mutex_unlock(&memattr_profile_mutex);
}
