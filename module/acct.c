// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tables: the process table and the snapshots the sampler publishes.
 *
 * Processes live in an RCU hash table keyed by tgid. The hooks (hooks.c)
 * create entries at fork, look them up at every event under RCU and bump
 * atomic counters, and remove them when the last thread exits. The sampler
 * (sampler.c) reads each process's mm counters, pushes its history and
 * reaps entries whose process is gone (pid reuse is told apart by the
 * leader's start time); it hands the cgroup table and the system row it
 * builds to memattr_acct_publish(), and the outputs (debugfs, netlink) copy
 * them from here.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs. This
 * file is a table: it calls neither the sampler, the detector, the events
 * nor an output.
 *
 * Bounded memory: at most max_procs processes are tracked. When the table
 * is full a new process is not tracked and is counted in procs_dropped; the
 * sampler adopts it later when room frees up. Processes leave the table as
 * soon as they exit (a short summary goes into the bounded exited ring), so
 * the table never holds dead processes.
 *
 * PREEMPT_RT: the hooks run with preemption off (tracepoint probes, ftrace
 * callbacks), where a spinlock_t is a sleeping lock and the slab allocator
 * may not be called. So every lock a hook takes is a raw_spinlock_t held
 * for a few bounded steps, and the fork hook takes its entry from a pool
 * preallocated in process context (memattr_pool_*), never from the slab.
 */
#include <linux/hashtable.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "acct.h"
#include "cgroup.h"
#include "mem.h"
#include "params.h"

#define MEMATTR_PROCS_LOCK_BITS	6

/*
 * The process table. Writers (fork, exit, sampler, adoption) hold the lock
 * of the entry's bucket, one of 64 raw spinlocks shared by the buckets, only
 * ever taken in task context and never two at a time, so that forks and
 * exits on different CPUs do not meet on one global lock; readers walk the
 * table under RCU. memattr_nr_procs counts the entries: a writer reserves
 * its place before it inserts, so the table never exceeds max_procs.
 */
DEFINE_HASHTABLE(memattr_procs, MEMATTR_PROCS_HASH_BITS);
static raw_spinlock_t memattr_procs_locks[1 << MEMATTR_PROCS_LOCK_BITS];
static atomic_t memattr_nr_procs = ATOMIC_INIT(0);

/* The lock of bucket @bkt of memattr_procs. */
static raw_spinlock_t *memattr_bucket_lock(unsigned int bkt)
{
	return &memattr_procs_locks[bkt & (ARRAY_SIZE(memattr_procs_locks) - 1)];
}

/* The lock of the bucket that holds (or would hold) @tgid, as hash_add(). */
static raw_spinlock_t *memattr_procs_lock(pid_t tgid)
{
	return memattr_bucket_lock(hash_min(tgid, HASH_BITS(memattr_procs)));
}

static atomic64_t memattr_procs_created = ATOMIC64_INIT(0);
static atomic64_t memattr_procs_removed = ATOMIC64_INIT(0);
static atomic64_t memattr_procs_dropped = ATOMIC64_INIT(0);
static atomic64_t memattr_procs_reaped = ATOMIC64_INIT(0);
static bool memattr_need_adopt;	/* READ_ONCE/WRITE_ONCE */
static atomic64_t memattr_oom_dropped = ATOMIC64_INIT(0);

/* memattr_acct_find_current()'s cache and its generation: see acct.h. */
atomic_long_t memattr_procs_gen = ATOMIC_LONG_INIT(0);

DEFINE_PER_CPU(struct memattr_cur, memattr_cur);

/* Pages of no process, counted by the page hooks: see acct.h. */
DEFINE_PER_CPU(u64, memattr_irq_pages);
DEFINE_PER_CPU(u64, memattr_kthread_pages);
DEFINE_PER_CPU(u64, memattr_untracked_pages);

/*
 * Recently exited processes: a ring of MEMATTR_EXITED_MAX slots. An exit
 * takes the next slot by an atomic ticket and fills it under that slot's
 * own lock, so that exits on different CPUs share no lock; a reader copies
 * the slots by ticket, newest first.
 */
struct memattr_exited_slot {
	raw_spinlock_t lock;		/* @ticket and @row */
	u64 ticket;			/* 1 for the first exit; 0: empty */
	struct memattr_exited_row row;
};

static struct memattr_exited_slot memattr_exited[MEMATTR_EXITED_MAX];
static atomic64_t memattr_exited_total = ATOMIC64_INIT(0);

static struct memattr_exited_slot *memattr_exited_slot(u64 ticket)
{
	BUILD_BUG_ON(!is_power_of_2(MEMATTR_EXITED_MAX));
	return &memattr_exited[(ticket - 1) & (MEMATTR_EXITED_MAX - 1)];
}

/*
 * What the sampler publishes, under memattr_sample_mutex: the cgroup table
 * (sorted by id), the system row and the sampler's own statistics.
 */
static DEFINE_MUTEX(memattr_sample_mutex);
static struct memattr_cgroup_row *memattr_cgroups;
static u32 memattr_nr_cgroups;
static struct memattr_system_row memattr_system;
static u64 memattr_samples;
static u64 memattr_sample_last_ns;
static u64 memattr_sample_max_ns;
static size_t memattr_cgroups_bytes;	/* charged to the module */
static u32 memattr_sample_period;	/* the last tick's sampler period */
static u64 memattr_sample_t0;		/* and its time */
static u32 memattr_sample_reads;	/* processes it read again */

static struct kmem_cache *memattr_proc_cache;

/*
 * Entries for the fork hook, which may not allocate: a stack of
 * MEMATTR_POOL_MAX preallocated entries under a raw spinlock, taken with
 * interrupts off, as RCU callbacks (softirq) give entries back. A work item
 * refills it in process context when it falls to MEMATTR_POOL_LOW, and
 * entries that leave the table come back to it after their grace period.
 * Pooled entries are charged to the module (own_mem_bytes) like tracked
 * ones: the charge moves with an entry only in and out of the slab.
 */
#define MEMATTR_POOL_MAX	64
#define MEMATTR_POOL_LOW	32

static DEFINE_RAW_SPINLOCK(memattr_pool_lock);	/* the two below; irqsave */
static struct memattr_proc *memattr_pool[MEMATTR_POOL_MAX];
static unsigned int memattr_pool_nr;
static struct work_struct memattr_pool_work;
static bool memattr_pool_stopping;	/* READ_ONCE/WRITE_ONCE */

void memattr_fp_pack(struct memattr_fp32 *d, const struct memattr_fp *s)
{
	d->rss_kb = min_t(u64, s->rss_kb, U32_MAX);
	d->anon_kb = min_t(u64, s->anon_kb, U32_MAX);
	d->file_kb = min_t(u64, s->file_kb, U32_MAX);
	d->shmem_kb = min_t(u64, s->shmem_kb, U32_MAX);
	d->swap_kb = min_t(u64, s->swap_kb, U32_MAX);
	d->peak_rss_kb = min_t(u64, s->peak_rss_kb, U32_MAX);
	d->vm_kb = min_t(u64, s->vm_kb, U32_MAX);
	d->pgtables_kb = min_t(u64, s->pgtables_kb, U32_MAX);
}

void memattr_fp_unpack(struct memattr_fp *d, const struct memattr_fp32 *s)
{
	d->rss_kb = s->rss_kb;
	d->anon_kb = s->anon_kb;
	d->file_kb = s->file_kb;
	d->shmem_kb = s->shmem_kb;
	d->swap_kb = s->swap_kb;
	d->peak_rss_kb = s->peak_rss_kb;
	d->vm_kb = s->vm_kb;
	d->pgtables_kb = s->pgtables_kb;
}

/* Read @mm's counters exactly as /proc/PID/status does. */
void memattr_fp_from_mm(struct mm_struct *mm, struct memattr_fp *fp)
{
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	unsigned long rss = anon + file + shmem;

	fp->anon_kb = memattr_pages_kb(anon);
	fp->file_kb = memattr_pages_kb(file);
	fp->shmem_kb = memattr_pages_kb(shmem);
	fp->rss_kb = memattr_pages_kb(rss);
	fp->swap_kb = memattr_pages_kb(get_mm_counter(mm, MM_SWAPENTS));
	fp->peak_rss_kb = memattr_pages_kb(max(READ_ONCE(mm->hiwater_rss), rss));
	fp->vm_kb = memattr_pages_kb(READ_ONCE(mm->total_vm));
	fp->pgtables_kb = mm_pgtables_bytes(mm) >> 10;
}

/*
 * The net growth of the address space since the process was first seen or
 * last exec'd: mapping calls are counted where they enter the kernel, and
 * what they mapped is read off VmSize here, with no hook on their return.
 */
/*
 * Set @p's VmSize base, in KiB, clamped as memattr_fp_pack() clamps vm_kb
 * (a VmSize past 4 TiB then reads as no growth, not as garbage).
 */
void memattr_proc_set_vm_base(struct memattr_proc *p, u64 vm_kb)
{
	p->vm_base_kb = min_t(u64, vm_kb, U32_MAX);
	p->vm_base_set = true;
}

static s64 memattr_proc_mapped_bytes(struct memattr_proc *p)
{
	lockdep_assert_held(&p->lock);
	if (!p->vm_base_set)
		return 0;
	return ((s64)p->fp.vm_kb - (s64)p->vm_base_kb) * 1024;
}

/* Context: @p->lock held. */
void memattr_activity_read(struct memattr_proc *p,
			   struct memattr_activity *a)
{
	lockdep_assert_held(&p->lock);
	a->page_allocs = atomic64_read(&p->page_allocs);
	a->page_frees = atomic64_read(&p->page_frees);
	a->mmap_calls = atomic64_read(&p->mmap_calls);
	a->munmap_calls = atomic64_read(&p->munmap_calls);
	a->brk_calls = atomic64_read(&p->brk_calls);
	a->mremap_calls = atomic64_read(&p->mremap_calls);
	a->mapped_bytes = memattr_proc_mapped_bytes(p);
}

static struct memattr_proc *memattr_procs_find_locked(pid_t tgid)
{
	struct memattr_proc *p;

	lockdep_assert_held(memattr_procs_lock(tgid));
	hash_for_each_possible(memattr_procs, p, node, tgid)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

/**
 * memattr_acct_find() - the tracked process with this tgid
 * @tgid: thread group id in the initial pid namespace
 *
 * Context: any; the caller holds rcu_read_lock() and the result is valid
 * until it drops it.
 * Return: the process, or NULL when it is not tracked.
 */
struct memattr_proc *memattr_acct_find(pid_t tgid)
{
	struct memattr_proc *p;

	hash_for_each_possible_rcu(memattr_procs, p, node, tgid)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

/**
 * memattr_acct_find_current_slow() - memattr_acct_find_current()'s miss
 * @c: this CPU's cache
 * @tgid: current's
 * @gen: memattr_procs_gen as the caller read it
 *
 * Context: as memattr_acct_find_current().
 * Return: the process, or NULL when it is not tracked.
 */
struct memattr_proc *memattr_acct_find_current_slow(struct memattr_cur *c,
						    pid_t tgid,
						    unsigned long gen)
{
	return memattr_acct_cur_fill(c, tgid, gen);
}

/* An entry from the slab, charged to the module. Context: process. */
static struct memattr_proc *memattr_proc_alloc(void)
{
	struct memattr_proc *p;

	p = kmem_cache_zalloc(memattr_proc_cache, GFP_KERNEL | __GFP_NOWARN);
	if (p)
		memattr_mem_charge(kmem_cache_size(memattr_proc_cache));
	return p;
}

/* Give @p back to the slab. Context: may not be a hook (PREEMPT_RT). */
static void memattr_proc_release(struct memattr_proc *p)
{
	memattr_mem_uncharge(kmem_cache_size(memattr_proc_cache));
	kmem_cache_free(memattr_proc_cache, p);
}

/*
 * A zeroed entry for the fork hook, or NULL when the pool is empty.
 * Context: any task context, preemption may be off.
 */
static struct memattr_proc *memattr_pool_get(void)
{
	struct memattr_proc *p = NULL;
	unsigned int left = 0;
	unsigned long flags;

	raw_spin_lock_irqsave(&memattr_pool_lock, flags);
	if (memattr_pool_nr) {
		p = memattr_pool[--memattr_pool_nr];
		left = memattr_pool_nr;
	}
	raw_spin_unlock_irqrestore(&memattr_pool_lock, flags);
	if (left <= MEMATTR_POOL_LOW && !READ_ONCE(memattr_pool_stopping))
		schedule_work(&memattr_pool_work);	/* raw locks only */
	if (p)
		memset(p, 0, sizeof(*p));
	return p;
}

/* Keep @p for a later fork. Return: false when the pool is full. */
static bool memattr_pool_put(struct memattr_proc *p)
{
	unsigned long flags;
	bool kept = false;

	raw_spin_lock_irqsave(&memattr_pool_lock, flags);
	if (memattr_pool_nr < MEMATTR_POOL_MAX) {
		memattr_pool[memattr_pool_nr++] = p;
		kept = true;
	}
	raw_spin_unlock_irqrestore(&memattr_pool_lock, flags);
	return kept;
}

/* Fill the pool up. Context: process (a work item, or init). */
static void memattr_pool_fill(void)
{
	struct memattr_proc *p;

	for (;;) {
		if (READ_ONCE(memattr_pool_nr) >= MEMATTR_POOL_MAX)
			return;
		p = memattr_proc_alloc();
		if (!p)
			return;
		if (!memattr_pool_put(p)) {
			memattr_proc_release(p);
			return;
		}
	}
}

static void memattr_pool_work_fn(struct work_struct *work)
{
	memattr_pool_fill();
}

/*
 * Empty the pool into the slab. ORDER: the hooks are detached, the refill
 * work cancelled and every grace period's callback run (rcu_barrier()).
 */
static void memattr_pool_drain(void)
{
	while (memattr_pool_nr)
		memattr_proc_release(memattr_pool[--memattr_pool_nr]);
}

static unsigned int memattr_pool_count(void)
{
	return READ_ONCE(memattr_pool_nr);
}

/*
 * After a grace period: back to the pool, or to the slab when it is full.
 * Context: an RCU callback (softirq, or a kthread on PREEMPT_RT).
 */
static void memattr_proc_free_rcu(struct rcu_head *rcu)
{
	struct memattr_proc *p = container_of(rcu, struct memattr_proc, rcu);

	put_pid(p->pid);
	p->pid = NULL;
	if (!memattr_pool_put(p))
		memattr_proc_release(p);
}

/*
 * Free @p after a grace period. call_rcu(), not kfree_rcu(): the cache is
 * destroyed after an rcu_barrier(), which does not wait for kfree_rcu()'s
 * batches on 6.1. Context: any, a hook's included.
 */
static void memattr_proc_free(struct memattr_proc *p)
{
	call_rcu(&p->rcu, memattr_proc_free_rcu);
}

static void memattr_exited_push(struct memattr_proc *p, u64 peak_kb)
{
	u64 ticket = atomic64_inc_return(&memattr_exited_total);
	struct memattr_exited_slot *slot = memattr_exited_slot(ticket);
	struct memattr_exited_row *r = &slot->row;

	raw_spin_lock(&slot->lock);
	/* An exit MEMATTR_EXITED_MAX later may have been faster: keep it. */
	if (ticket < slot->ticket) {
		raw_spin_unlock(&slot->lock);
		return;
	}
	slot->ticket = ticket;
	r->tgid = p->tgid;
	r->start_ns = p->start_ns;
	r->exit_ns = ktime_get_ns();
	raw_spin_lock(&p->lock);
	memcpy(r->comm, p->comm, sizeof(r->comm));
	r->cgroup_id = p->cgroup_id;
	memattr_fp_unpack(&r->fp, &p->fp);
	memattr_activity_read(p, &r->act);
	raw_spin_unlock(&p->lock);
	r->fp.peak_rss_kb = max(r->fp.peak_rss_kb, peak_kb);
	raw_spin_unlock(&slot->lock);
}

/*
 * Empty every CPU's cache that holds @p, which just left the table: after
 * this no hook finds it without a lookup, which cannot find it any more,
 * so the grace period that follows ends its last use. The generation was
 * bumped before: a fill that stored @p after this looked is emptied by its
 * owner (memattr_acct_cur_fill()). Context: any; no lock needed.
 */
static void memattr_acct_cur_forget(struct memattr_proc *p)
{
	int cpu;

	smp_mb();	/* the generation, then the caches */
	for_each_possible_cpu(cpu) {
		struct memattr_cur *c = per_cpu_ptr(&memattr_cur, cpu);

		/*
		 * Its owner wrote the tgid before @p (memattr_acct_cur_fill()):
		 * the read of @p orders this write after that one. Another
		 * entry filled in between may be emptied too: one miss.
		 */
		if (READ_ONCE(c->p) == p)
			WRITE_ONCE(c->tgid, 0);
	}
}

/*
 * Take @p out of the table. The exit hook and the sampler may race to
 * retire the same process: only one wins, and only the winner may record
 * and free it (after a grace period, through memattr_proc_free()).
 * Return: true when this caller removed it.
 */
static bool memattr_proc_unlink(struct memattr_proc *p)
{
	raw_spinlock_t *lock = memattr_procs_lock(p->tgid);	/* @p's bucket's */
	bool won;

	raw_spin_lock(lock);
	won = !hlist_unhashed(&p->node);
	if (won) {
		hash_del_rcu(&p->node);
		atomic_dec(&memattr_nr_procs);
		smp_wmb();	/* the unlink, then the generation */
		atomic_long_inc(&memattr_procs_gen);
	}
	raw_spin_unlock(lock);
	if (won) {
		memattr_acct_cur_forget(p);
		atomic64_inc(&memattr_procs_removed);
	}
	return won;
}

/*
 * Retire @p: into the exited ring, out of the table. A process that has no
 * footprint to show (adopted, then gone before its first sample and without
 * its exit seen) leaves no row. Context: RCU.
 * Return: true when this caller removed it (see memattr_proc_unlink()).
 */
static bool memattr_proc_retire(struct memattr_proc *p, u64 peak_kb)
{
	bool seen;

	if (!memattr_proc_unlink(p))
		return false;
	raw_spin_lock(&p->lock);
	seen = p->sampled_ns || p->fp_at_exit;
	raw_spin_unlock(&p->lock);
	if (seen)
		memattr_exited_push(p, peak_kb);
	memattr_proc_free(p);
	return true;
}

/*
 * Reserve a place in the table for one process, before it is allocated or
 * inserted, so that the table never exceeds max_procs and a full table
 * costs no allocation. Return: true when there was room.
 */
static bool memattr_procs_reserve(void)
{
	if (atomic_inc_return(&memattr_nr_procs) <= memattr_params_max_procs())
		return true;
	atomic_dec(&memattr_nr_procs);
	return false;
}

static void memattr_procs_dropped_one(void)
{
	atomic64_inc(&memattr_procs_dropped);
	WRITE_ONCE(memattr_need_adopt, true);
}

/*
 * Start tracking a process in the place reserved for it (see
 * memattr_procs_reserve()), with the zeroed entry @p. Context: task; may
 * run with preemption off (the fork tracepoint).
 */
static void memattr_proc_add(struct memattr_proc *p, pid_t tgid, u64 start_ns,
			     const char *comm, struct mm_struct *mm)
{
	struct memattr_proc *old;
	raw_spinlock_t *lock;	/* @tgid's bucket's */

	p->tgid = tgid;
	p->start_ns = start_ns;
	raw_spin_lock_init(&p->lock);
	strscpy(p->comm, comm, sizeof(p->comm));
	p->exhaust_s = -1;
	if (mm)
		memattr_proc_set_vm_base(p,
					 memattr_pages_kb(READ_ONCE(mm->total_vm)));

	lock = memattr_procs_lock(tgid);
	raw_spin_lock(lock);
	old = memattr_procs_find_locked(tgid);
	if (old && old->start_ns == start_ns) {
		/* Adoption raced with fork: it is tracked already. */
		atomic_dec(&memattr_nr_procs);
		raw_spin_unlock(lock);
		memattr_proc_free(p);	/* never seen: back to the pool */
		return;
	}
	if (old) {
		/* A stale entry of an older process with this pid. */
		hash_del_rcu(&old->node);
		atomic_dec(&memattr_nr_procs);
		smp_wmb();	/* the unlink, then the generation */
		atomic_long_inc(&memattr_procs_gen);
	}
	hash_add_rcu(memattr_procs, &p->node, tgid);
	raw_spin_unlock(lock);
	if (old) {
		memattr_acct_cur_forget(old);
		atomic64_inc(&memattr_procs_reaped);
		memattr_proc_free(old);
	}
	atomic64_inc(&memattr_procs_created);
}

/**
 * memattr_acct_fork() - a task was created
 * @child: the new task
 *
 * Context: the parent, preemption disabled (sched_process_fork): the entry
 * comes from the pool, never from the slab.
 * A new thread of an existing process changes nothing.
 */
void memattr_acct_fork(struct task_struct *child)
{
	struct memattr_proc *p;

	if (!thread_group_leader(child) || (child->flags & PF_KTHREAD))
		return;
	if (!memattr_procs_reserve()) {
		memattr_procs_dropped_one();
		return;
	}
	p = memattr_pool_get();
	if (!p) {
		atomic_dec(&memattr_nr_procs);
		memattr_procs_dropped_one();
		return;
	}
	/*
	 * The child is not running yet: its own mm is as fork left it. One
	 * that shares its parent's (vfork(), CLONE_VM) gets its base at exec
	 * or at its first sample.
	 */
	memattr_proc_add(p, child->tgid, child->start_time, child->comm,
			 child->mm != current->mm ? child->mm : NULL);
}

/**
 * memattr_acct_exec() - a process replaced its program
 * @task: the task that exec'ed (current)
 *
 * A new program is a new footprint: the history restarts, so that a leaker
 * that execs a healthy program is not judged by its past. The cumulative
 * activity counters keep counting.
 */
void memattr_acct_exec(struct task_struct *task)
{
	struct memattr_proc *p;

	rcu_read_lock();
	p = memattr_acct_find(task->tgid);
	if (p) {
		raw_spin_lock(&p->lock);
		strscpy(p->comm, task->comm, sizeof(p->comm));
		memattr_hist_reset(&p->hist);
		if (task->mm) {
			unsigned long vm = READ_ONCE(task->mm->total_vm);

			memattr_proc_set_vm_base(p, memattr_pages_kb(vm));
		}
		raw_spin_unlock(&p->lock);
	}
	rcu_read_unlock();
}

/**
 * memattr_acct_exit_mm() - a thread is about to give up its mm
 * @task: current, at the start of do_exit()
 *
 * The view of the mm as its process's threads exit is the process's final
 * footprint: read it when the last thread exits, and by every thread of a
 * process exiting as a group (exit_group(), a fatal signal, an OOM kill),
 * whose threads all enter do_exit() together, each seeing the others still
 * live, so that none of them is sure to be the last. Their mm is the same
 * and nobody grows it any more: the last one read wins. A vfork child still
 * borrowing its parent's mm has no footprint of its own.
 */
void memattr_acct_exit_mm(struct task_struct *task)
{
	struct memattr_proc *p;
	struct memattr_fp fp;
	struct mm_struct *mm = task->mm;

	if (!mm || (task->flags & PF_KTHREAD) || task->vfork_done)
		return;
	/* SIGNAL_GROUP_EXIT: exit_group() or a fatal signal (5.10 .. 6.12). */
	if (atomic_read(&task->signal->live) != 1 &&
	    !(READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT))
		return;
	memattr_fp_from_mm(mm, &fp);
	rcu_read_lock();
	p = memattr_acct_find(task->tgid);
	if (p) {
		raw_spin_lock(&p->lock);
		memattr_fp_pack(&p->fp, &fp);
		p->fp_at_exit = true;
		raw_spin_unlock(&p->lock);
	}
	rcu_read_unlock();
}

/**
 * memattr_acct_exit_task() - a thread exited
 * @task: current, after exit_mm() (sched_process_exit)
 *
 * When it was the last thread of its process, the process leaves the table
 * and its summary enters the exited ring.
 */
void memattr_acct_exit_task(struct task_struct *task)
{
	struct memattr_proc *p;
	u64 peak_kb;

	if ((task->flags & PF_KTHREAD) || atomic_read(&task->signal->live))
		return;
	/* do_exit() folded each thread's hiwater into signal->maxrss. */
	peak_kb = memattr_pages_kb(READ_ONCE(task->signal->maxrss));
	rcu_read_lock();
	p = memattr_acct_find(task->tgid);
	if (p && p->start_ns == task->group_leader->start_time)
		memattr_proc_retire(p, peak_kb);
	rcu_read_unlock();
}

/**
 * memattr_acct_count_oom_dropped() - count an OOM report lost
 */
void memattr_acct_count_oom_dropped(void)
{
	atomic64_inc(&memattr_oom_dropped);
}

static u64 memattr_percpu_sum(u64 __percpu *v)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(v, cpu);
	return sum;
}

struct memattr_adopt {
	pid_t tgid;
	u64 start_ns;
	char comm[TASK_COMM_LEN];
};

/*
 * Track every user process not tracked yet: at load (@initial), and after a
 * fork found the table full or the pool empty. A full table is not walked:
 * nothing could be added until an entry leaves it, and each walk would only
 * meet again the processes it could not track. A process that is not
 * tracked is counted in procs_dropped once: at its fork, or here at load.
 * Context: process, may sleep.
 */
void memattr_acct_adopt(bool initial)
{
	struct memattr_adopt *list;
	struct task_struct *t;
	unsigned int n = 0, cap = 0, i;

	if (!initial &&
	    atomic_read(&memattr_nr_procs) >= memattr_params_max_procs())
		return;		/* memattr_need_adopt stays set */
	WRITE_ONCE(memattr_need_adopt, false);
	rcu_read_lock();
	for_each_process(t)
		cap++;
	rcu_read_unlock();
	cap += 64;
	list = kvcalloc(cap, sizeof(*list), GFP_KERNEL);
	if (!list) {
		WRITE_ONCE(memattr_need_adopt, true);
		return;
	}
	rcu_read_lock();
	for_each_process(t) {
		if (n == cap)
			break;
		if (t->flags & PF_KTHREAD)
			continue;
		list[n].tgid = t->tgid;
		list[n].start_ns = t->start_time;
		get_task_comm(list[n].comm, t);
		n++;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		struct memattr_proc *p;
		bool tracked;

		rcu_read_lock();
		tracked = memattr_acct_find(list[i].tgid);
		rcu_read_unlock();
		if (tracked)
			continue;
		if (!memattr_procs_reserve()) {
			WRITE_ONCE(memattr_need_adopt, true);
			if (!initial)
				break;
			atomic64_inc(&memattr_procs_dropped);
			continue;
		}
		p = memattr_proc_alloc();
		if (!p) {
			atomic_dec(&memattr_nr_procs);
			WRITE_ONCE(memattr_need_adopt, true);
			break;
		}
		memattr_proc_add(p, list[i].tgid, list[i].start_ns,
				 list[i].comm, NULL);
	}
	kvfree(list);
}

/**
 * memattr_acct_adopt_pending() - adopt what a fork could not track
 *
 * Context: process, may sleep (the sampler's tick).
 */
void memattr_acct_adopt_pending(void)
{
	if (READ_ONCE(memattr_need_adopt))
		memattr_acct_adopt(false);
}

/**
 * memattr_acct_reap() - drop @p, whose process is gone
 * @p: the entry, found gone by the sampler without the exit hook seeing it
 *
 * Context: RCU.
 */
void memattr_acct_reap(struct memattr_proc *p)
{
	if (memattr_proc_retire(p, 0))
		atomic64_inc(&memattr_procs_reaped);
}

/* Copy @p into @r. Context: RCU (or @p otherwise pinned). */
static void memattr_proc_row_fill(struct memattr_proc *p,
				  struct memattr_proc_row *r)
{
	r->tgid = p->tgid;
	r->start_ns = p->start_ns;
	raw_spin_lock(&p->lock);
	memcpy(r->comm, p->comm, sizeof(r->comm));
	r->cgroup_id = p->cgroup_id;
	memattr_fp_unpack(&r->fp, &p->fp);
	r->leak = p->leak;
	r->exhaust_s = p->exhaust_s;
	memattr_activity_read(p, &r->act);
	raw_spin_unlock(&p->lock);
}

/**
 * memattr_acct_proc_get() - one tracked process
 * @tgid: its pid
 * @row: where the copy goes
 *
 * Return: 0, or -ENOENT when @tgid is not tracked.
 */
int memattr_acct_proc_get(pid_t tgid, struct memattr_proc_row *row)
{
	struct memattr_proc *p;
	int ret = -ENOENT;

	rcu_read_lock();
	p = memattr_acct_find(tgid);
	if (p) {
		memattr_proc_row_fill(p, row);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * memattr_acct_proc_history() - a process's footprint history, oldest first
 * @tgid: its pid
 * @pts: where the array goes; kvfree() it
 * @nr: where its length goes
 *
 * Every level of the history contributes the slots older than what the
 * finer levels cover, so the points reach as far back as the history does,
 * densest near now. A point's time is the end of its slot.
 * Return: 0, -ENOENT when @tgid is not tracked, or -ENOMEM.
 */
int memattr_acct_proc_history(pid_t tgid, struct memattr_hist_point **pts,
			      u32 *nr)
{
	struct memattr_hist_point *out;
	struct memattr_hist *h;
	struct memattr_proc *p;
	u64 last_ms, period_ms, covered = 0, tick_ms;
	unsigned int lvl, age, n = 0;
	u32 period, behind;
	u16 seen;

	h = kmalloc(sizeof(*h), GFP_KERNEL);
	out = kvcalloc(MEMATTR_HIST_LEVELS * MEMATTR_HIST_SLOTS, sizeof(*out),
		       GFP_KERNEL);
	if (!h || !out) {
		kfree(h);
		kvfree(out);
		return -ENOMEM;
	}
	mutex_lock(&memattr_sample_mutex);
	period = memattr_sample_period;
	tick_ms = div_u64(memattr_sample_t0, NSEC_PER_MSEC);
	rcu_read_lock();
	p = memattr_acct_find(tgid);
	if (p) {
		raw_spin_lock(&p->lock);
		*h = p->hist;
		last_ms = div_u64(p->sampled_ns, NSEC_PER_MSEC);
		seen = p->tick_seen;
		raw_spin_unlock(&p->lock);
	}
	rcu_read_unlock();
	mutex_unlock(&memattr_sample_mutex);
	if (!p) {
		kfree(h);
		kvfree(out);
		return -ENOENT;
	}
	/*
	 * Not read since @seen (it did not run): its newest sample stands for
	 * the periods since, up to the last tick, as the sampler will push it.
	 */
	behind = (u16)(period - seen);
	/* Read by a tick not yet published: its periods are in. */
	if (behind > U16_MAX - MEMATTR_HIST_CATCHUP_MAX)
		behind = 0;
	if (behind && h->samples) {
		memattr_hist_push_n(h, memattr_hist_get(h, 0, 0), behind);
		last_ms = tick_ms;
	}
	period_ms = memattr_params_sample_ms();
	for (lvl = 0; lvl < MEMATTR_HIST_LEVELS; lvl++) {
		u64 span = memattr_hist_span(lvl);
		/* Samples folded into level lvl's partial slot, not yet in it. */
		u64 pending = lvl ? h->samples % span : 0;
		u64 level_end = 0;

		for (age = 0; age < memattr_hist_used(h, lvl); age++) {
			u64 end = pending + age * span;	/* samples before now */

			level_end = end + span;
			if (end < covered)
				continue;
			out[n].t_ms = last_ms - min(last_ms, end * period_ms);
			out[n].kb = memattr_hist_get(h, lvl, age);
			n++;
		}
		covered = max(covered, level_end);
	}
	kfree(h);
	/* Collected newest first: reverse. */
	for (age = 0; age < n / 2; age++)
		swap(out[age], out[n - 1 - age]);
	*pts = out;
	*nr = n;
	return 0;
}

/**
 * memattr_acct_snapshot_procs() - a consistent copy of the process table
 * @rows: where the array goes; kvfree() it
 * @nr: where its length goes
 *
 * Each row is consistent in itself; the table may change while it is
 * copied, so a process that forks or exits meanwhile may or may not appear.
 * Return: 0 or -ENOMEM.
 */
int memattr_acct_snapshot_procs(struct memattr_proc_row **rows, u32 *nr)
{
	struct memattr_proc_row *r;
	unsigned int bkt, n = 0, cap;
	struct memattr_proc *p;

	cap = atomic_read(&memattr_nr_procs) + 64;
	r = kvcalloc(cap, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	rcu_read_lock();
	hash_for_each_rcu(memattr_procs, bkt, p, node) {
		if (n == cap)
			break;
		memattr_proc_row_fill(p, &r[n++]);
	}
	rcu_read_unlock();
	*rows = r;
	*nr = n;
	return 0;
}

/*
 * Each row's processes, added up from the table: their footprints as last
 * sampled, their memory cgroup as last sampled and their activity now. The
 * sampler reads again only the processes that ran, so it keeps no sums:
 * whoever reads the rows adds them up. Context: process.
 */
static void memattr_acct_sum_cgroups(struct memattr_cgroup_row *rows, u32 nr)
{
	unsigned int bkt;
	u32 i;

	if (!nr)
		return;
	for (i = 0; i < nr; i++) {
		rows[i].nr_procs = 0;
		memset(&rows[i].procs, 0, sizeof(rows[i].procs));
		memset(&rows[i].procs_act, 0, sizeof(rows[i].procs_act));
	}
	for (bkt = 0; bkt < HASH_SIZE(memattr_procs); bkt++) {
		struct memattr_proc *p;

		rcu_read_lock();
		hlist_for_each_entry_rcu(p, &memattr_procs[bkt], node) {
			struct memattr_cgroup_row *r;
			struct memattr_activity act;
			struct memattr_fp fp;
			u64 id;

			raw_spin_lock(&p->lock);
			id = p->cgroup_id;
			memattr_fp_unpack(&fp, &p->fp);
			memattr_activity_read(p, &act);
			raw_spin_unlock(&p->lock);
			r = memattr_cgroup_lookup(rows, nr, id);
			if (!r)
				continue;
			r->nr_procs++;
			memattr_fp_add(&r->procs, &fp);
			memattr_activity_add(&r->procs_act, &act);
		}
		rcu_read_unlock();
		if (bkt % 64 == 63)
			cond_resched();
	}
}

/**
 * memattr_acct_snapshot_cgroups() - a copy of the cgroup table
 * @rows: where the array goes (sorted by id); kvfree() it
 * @nr: where its length goes
 *
 * Return: 0 or -ENOMEM.
 */
int memattr_acct_snapshot_cgroups(struct memattr_cgroup_row **rows, u32 *nr)
{
	struct memattr_cgroup_row *r;
	u32 n;

	mutex_lock(&memattr_sample_mutex);
	n = memattr_nr_cgroups;
	r = kvmalloc_array(max(n, 1U), sizeof(*r), GFP_KERNEL);
	if (r && n)
		memcpy(r, memattr_cgroups, n * sizeof(*r));
	mutex_unlock(&memattr_sample_mutex);
	if (!r)
		return -ENOMEM;
	memattr_acct_sum_cgroups(r, n);
	*rows = r;
	*nr = n;
	return 0;
}

/**
 * memattr_acct_snapshot_exited() - a copy of the exited ring, newest first
 * @rows: where the array goes; kvfree() it
 * @nr: where its length goes
 *
 * Return: 0 or -ENOMEM.
 */
int memattr_acct_snapshot_exited(struct memattr_exited_row **rows, u32 *nr)
{
	u64 total = atomic64_read(&memattr_exited_total);
	struct memattr_exited_row *r;
	unsigned int i, n;

	r = kvcalloc(MEMATTR_EXITED_MAX, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	n = 0;
	/* Newest first; a slot being refilled by a newer exit is skipped. */
	for (i = 0; i < min_t(u64, total, MEMATTR_EXITED_MAX); i++) {
		struct memattr_exited_slot *slot = memattr_exited_slot(total - i);

		raw_spin_lock(&slot->lock);
		if (slot->ticket == total - i)
			r[n++] = slot->row;
		raw_spin_unlock(&slot->lock);
	}
	*rows = r;
	*nr = n;
	return 0;
}

/**
 * memattr_acct_system() - system memory as of the last sample
 * @row: where it goes
 */
void memattr_acct_system(struct memattr_system_row *row)
{
	mutex_lock(&memattr_sample_mutex);
	*row = memattr_system;
	mutex_unlock(&memattr_sample_mutex);
}

/**
 * memattr_acct_get_stats() - the accounting's own counters
 * @st: where they go
 */
void memattr_acct_get_stats(struct memattr_acct_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->nr_procs = atomic_read(&memattr_nr_procs);
	st->max_procs = memattr_params_max_procs();
	st->procs_created = atomic64_read(&memattr_procs_created);
	st->procs_removed = atomic64_read(&memattr_procs_removed);
	st->procs_dropped = atomic64_read(&memattr_procs_dropped);
	st->procs_reaped = atomic64_read(&memattr_procs_reaped);
	st->irq_pages = memattr_percpu_sum(&memattr_irq_pages);
	st->kthread_pages = memattr_percpu_sum(&memattr_kthread_pages);
	st->untracked_pages = memattr_percpu_sum(&memattr_untracked_pages);
	st->oom_dropped = atomic64_read(&memattr_oom_dropped);
	st->pool_free = memattr_pool_count();
	st->exited_total = atomic64_read(&memattr_exited_total);
	mutex_lock(&memattr_sample_mutex);
	st->nr_cgroups = memattr_nr_cgroups;
	st->samples = memattr_samples;
	st->sample_last_ns = memattr_sample_last_ns;
	st->sample_max_ns = memattr_sample_max_ns;
	st->sample_reads = memattr_sample_reads;
	mutex_unlock(&memattr_sample_mutex);
}

/**
 * memattr_acct_publish() - publish what a sampler tick built
 * @cgs: the cgroup table, sorted by id; the tables own it from now on
 * @nr_cgs: its length
 * @cgs_bytes: its size, charged to the module; then the returned table's
 * @sys: the system row
 * @t0: when the tick began, for its cost
 * @period: the sampler period the tick stands at (memattr_proc.tick_seen's)
 * @reads: how many processes it read again
 *
 * Context: process (the sampler's work item).
 * Return: the cgroup table published before, NULL: none, the caller's from
 * now on (to fill again at the next tick, or to free): no reader holds it.
 */
struct memattr_cgroup_row *
memattr_acct_publish(struct memattr_cgroup_row *cgs, u32 nr_cgs,
		     size_t *cgs_bytes, const struct memattr_system_row *sys,
		     u64 t0, u32 period, u32 reads)
{
	struct memattr_cgroup_row *old;
	size_t old_bytes;
	u64 dt;

	mutex_lock(&memattr_sample_mutex);
	old = memattr_cgroups;
	old_bytes = memattr_cgroups_bytes;
	memattr_cgroups = cgs;
	memattr_cgroups_bytes = *cgs_bytes;
	memattr_nr_cgroups = nr_cgs;
	memattr_system = *sys;
	memattr_samples++;
	dt = ktime_get_ns() - t0;
	memattr_sample_last_ns = dt;
	memattr_sample_max_ns = max(memattr_sample_max_ns, dt);
	memattr_sample_period = period;
	memattr_sample_t0 = t0;
	memattr_sample_reads = reads;
	mutex_unlock(&memattr_sample_mutex);
	*cgs_bytes = old_bytes;
	return old;
}

/**
 * memattr_acct_generation() - a number that moves when the process table does
 *
 * Changes whenever a process enters or leaves the table: it is the sum of
 * the counters of those changes. Each counter is bumped just after its
 * change, so a reader that gets the same value before and after
 * memattr_acct_snapshot_procs() copied a table that did not change while
 * it was copied, but for a change still between the two (a few
 * instructions wide). For netlink's dump consistency check.
 * Return: the generation, never 0.
 */
u32 memattr_acct_generation(void)
{
	u32 gen = atomic64_read(&memattr_procs_created) +
		  atomic64_read(&memattr_procs_removed) +
		  atomic64_read(&memattr_procs_reaped);

	return gen ?: 1;
}

/**
 * memattr_acct_init() - prepare the tables
 *
 * Return: 0 or -ENOMEM.
 */
int memattr_acct_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memattr_procs_locks); i++)
		raw_spin_lock_init(&memattr_procs_locks[i]);
	for (i = 0; i < ARRAY_SIZE(memattr_exited); i++)
		raw_spin_lock_init(&memattr_exited[i].lock);
	/*
	 * A cache of its own: a 1024-byte entry from kmalloc would take a
	 * 1 KiB object, and one a little bigger a 2 KiB one. Lock debugging
	 * makes the raw spinlock bigger; without it the entry, history
	 * included, stays within 1 KiB.
	 */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct memattr_proc) > 1024);
	memattr_proc_cache = KMEM_CACHE(memattr_proc, 0);
	if (!memattr_proc_cache)
		return -ENOMEM;
	INIT_WORK(&memattr_pool_work, memattr_pool_work_fn);
	WRITE_ONCE(memattr_pool_stopping, false);
	/* ORDER: before the hooks, whose fork probe takes from it. */
	memattr_pool_fill();
	return 0;
}

/**
 * memattr_acct_stop() - stop refilling the fork pool
 *
 * Context: process; waits for a running tick to finish.
 */
void memattr_acct_stop(void)
{
	WRITE_ONCE(memattr_pool_stopping, true);
	cancel_work_sync(&memattr_pool_work);
}

/**
 * memattr_acct_exit() - free every table
 *
 * ORDER: after the hooks are detached and the sampler stopped, so nothing
 * can look an entry up any more.
 */
void memattr_acct_exit(void)
{
	struct memattr_proc *p;
	struct hlist_node *tmp;
	unsigned int bkt;

	for (bkt = 0; bkt < HASH_SIZE(memattr_procs); bkt++) {
		raw_spin_lock(memattr_bucket_lock(bkt));
		hlist_for_each_entry_safe(p, tmp, &memattr_procs[bkt], node) {
			hash_del_rcu(&p->node);
			atomic_dec(&memattr_nr_procs);
			memattr_proc_free(p);
		}
		raw_spin_unlock(memattr_bucket_lock(bkt));
	}
	/*
	 * ORDER: every memattr_proc_free_rcu() ran, and the refill work is
	 * cancelled (memattr_acct_stop(), or never queued when init failed
	 * before the hooks), before the pool is emptied and the cache goes.
	 */
	rcu_barrier();
	WRITE_ONCE(memattr_pool_stopping, true);
	cancel_work_sync(&memattr_pool_work);
	memattr_pool_drain();
	kmem_cache_destroy(memattr_proc_cache);
	memattr_proc_cache = NULL;
	mutex_lock(&memattr_sample_mutex);
	kvfree(memattr_cgroups);
	memattr_mem_uncharge(memattr_cgroups_bytes);
	memattr_cgroups = NULL;
	memattr_cgroups_bytes = 0;
	memattr_nr_cgroups = 0;
	mutex_unlock(&memattr_sample_mutex);
}

/* --- filtered copies, for the outputs -------------------------------------- */

/**
 * memattr_acct_copy_cgroups() - a copy of the cgroup rows a filter keeps
 * @keep: whether to copy a row; runs under the sampler's mutex, must not
 *	  sleep or take the mutex
 * @arg: passed to @keep
 * @gfp: for the copy: GFP_KERNEL_ACCOUNT charges it to whoever asks
 * @rows: where the array goes (sorted by id); kvfree() it
 * @nr: where its length goes
 *
 * Only what @keep keeps is ever allocated, so a caller that may see a few
 * cgroups never holds a copy of the whole table.
 * Context: process.
 * Return: 0 or -ENOMEM.
 */
int memattr_acct_copy_cgroups(bool (*keep)(const struct memattr_cgroup_row *r,
					   void *arg),
			      void *arg, gfp_t gfp,
			      struct memattr_cgroup_row **rows, u32 *nr)
{
	struct memattr_cgroup_row *r;
	u32 i, n = 0;

	mutex_lock(&memattr_sample_mutex);
	for (i = 0; i < memattr_nr_cgroups; i++)
		n += keep(&memattr_cgroups[i], arg);
	r = kvmalloc_array(max(n, 1U), sizeof(*r), gfp);
	if (r) {
		n = 0;
		for (i = 0; i < memattr_nr_cgroups; i++)
			if (keep(&memattr_cgroups[i], arg))
				r[n++] = memattr_cgroups[i];
	}
	mutex_unlock(&memattr_sample_mutex);
	if (!r)
		return -ENOMEM;
	memattr_acct_sum_cgroups(r, n);
	*rows = r;
	*nr = n;
	return 0;
}
