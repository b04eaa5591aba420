/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tables (acct.c): the process table the hooks feed and the sampler
 * reads, and the snapshots the sampler publishes and the outputs (debugfs,
 * netlink) read.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs.
 */
#ifndef _MEMATTR_ACCT_H
#define _MEMATTR_ACCT_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hist.h"
#include "leak.h"
#include <uapi/linux/memattr.h>

#define MEMATTR_PROCS_HASH_BITS	11

#define MEMATTR_CGROUP_PATH_MAX	256	/* == MEMATTR_CGROUP_PATH_LEN */
#define MEMATTR_EXITED_MAX	64

/* A footprint, as the kernel's own counters give it (KiB). */
struct memattr_fp {
	u64 rss_kb;		/* VmRSS: anon + file + shmem */
	u64 anon_kb;		/* RssAnon */
	u64 file_kb;		/* RssFile */
	u64 shmem_kb;		/* RssShmem */
	u64 swap_kb;		/* VmSwap */
	u64 peak_rss_kb;	/* VmHWM */
	u64 vm_kb;		/* VmSize (total_vm) */
	u64 pgtables_kb;	/* VmPTE */
};

/*
 * A footprint as a process entry keeps it: KiB in 32 bits (up to 4 TiB a
 * process), half the size of struct memattr_fp, so that an entry with its
 * history fits in 1 KiB.
 */
struct memattr_fp32 {
	u32 rss_kb;
	u32 anon_kb;
	u32 file_kb;
	u32 shmem_kb;
	u32 swap_kb;
	u32 peak_rss_kb;
	u32 vm_kb;
	u32 pgtables_kb;
};

/* Activity counters since tracking began. */
struct memattr_activity {
	u64 page_allocs;	/* pages (order-weighted) allocated in context */
	u64 page_frees;		/* pages freed in context */
	u64 mmap_calls;		/* mmap() calls (incl. the ELF loader's) */
	u64 munmap_calls;	/* munmap() calls */
	u64 brk_calls;		/* brk() calls that ask for a break */
	u64 mremap_calls;	/* mremap() calls */
	s64 mapped_bytes;	/* VmSize now - VmSize at fork/exec/adoption */
};

/*
 * One tracked process (thread group).
 *
 * Lifetime: created at fork (or adopted at load / by the sampler), removed
 * at the exit of its last thread or when the sampler finds it gone; freed
 * after an RCU grace period. Lookups by tgid run under RCU.
 *
 * Allocated from a cache of its own (memattr_proc): 1024 bytes on 64-bit,
 * laid out without holes; at most 1 KiB, history included (asserted at
 * build time where spinlocks carry no debugging state).
 *
 * The sampler reads a process again only when one of its threads ran since
 * its last sample (or at its full refresh): @pid, @ran_key and @tick_seen
 * say which, and @idle_periods whether it needs judging meanwhile
 * (sampler.c; but @pid, they fill what were holes). Until then
 * the history holds the samples up to @tick_seen, and the periods since
 * repeat the newest one.
 */
struct memattr_proc {
	struct hlist_node node;		/* memattr_procs; its bucket lock */
	struct rcu_head rcu;
	u64 start_ns;			/* immutable: leader's start_time */
	pid_t tgid;			/* immutable */
	/*
	 * Raw: the hooks take it in tracepoint probes and ftrace callbacks,
	 * with preemption off, where a spinlock_t sleeps on PREEMPT_RT. So
	 * every section under it is short and bounded: no allocation, no
	 * other lock but none.
	 */
	raw_spinlock_t lock;		/* see below */

	/* Written by hooks in any task context, lock-free. */
	atomic64_t page_allocs;
	atomic64_t page_frees;
	atomic64_t mmap_calls;
	atomic64_t munmap_calls;
	atomic64_t brk_calls;
	atomic64_t mremap_calls;

	/* Everything below: under @lock (never taken in IRQ context). */
	char comm[TASK_COMM_LEN];
	struct memattr_fp32 fp;		/* last sample (or at exit) */
	u64 cgroup_id;			/* memory cgroup at the last sample */
	u64 sampled_ns;			/* when @fp was read, 0: never */
	u32 vm_base_kb;			/* VmSize at fork/exec/adoption */
	bool vm_base_set:1;		/* @vm_base_kb is known */
	bool fp_at_exit:1;		/* @fp was read as its threads exit */
	/*
	 * The sampler's: the periods after @tick_seen for which its detector
	 * would not judge it (0: it would now), at most U8_MAX.
	 */
	u8 idle_periods;
	u16 tick_seen;			/* sampler period of the newest sample */
	struct memattr_leak_shmem shmem;	/* mapped shmem it allocated */
	u32 allocs_seen;		/* @page_allocs at the last sample */
	u32 ran_key;			/* the sampler's: its threads' run time */
	struct memattr_hist hist;	/* unreclaimable footprint, KiB */
	struct memattr_leak_info leak;	/* the detector's last verdict */
	s64 exhaust_s;			/* at @leak's growth; -1: never */
	/* The sampler's; the entry's free puts it after its grace period. */
	struct pid *pid;		/* its tgid's, referenced; NULL: none */
};

/* One point of a footprint history. */
struct memattr_hist_point {
	u64 t_ms;		/* CLOCK_MONOTONIC, ms */
	u32 kb;			/* floor of the unreclaimable footprint */
};

/* One row of a processes snapshot: a consistent copy of a memattr_proc. */
struct memattr_proc_row {
	pid_t tgid;
	u64 start_ns;
	char comm[TASK_COMM_LEN];
	u64 cgroup_id;
	struct memattr_fp fp;
	struct memattr_activity act;
	struct memattr_leak_info leak;
	s64 exhaust_s;			/* until its memory runs out; -1: never */
};

/* A process that exited, as it was at its end. */
struct memattr_exited_row {
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	u64 cgroup_id;
	u64 start_ns;
	u64 exit_ns;
	struct memattr_fp fp;		/* final footprint, peak_rss_kb: peak */
	struct memattr_activity act;
};

/* One memory cgroup, as of the last sample. */
struct memattr_cgroup_row {
	u64 id;				/* cgroup id (its kernfs inode number) */
	char path[MEMATTR_CGROUP_PATH_MAX];
	u32 nr_procs;			/* tracked processes in it */
	u64 usage_kb;			/* memcg's own usage counter */
	u64 anon_kb;
	u64 file_kb;			/* page cache, shmem included */
	u64 shmem_kb;
	u64 kernel_kb;			/* usage not in anon or file */
	u64 limit_kb;			/* memory.max; U64_MAX: none */
	u64 headroom_kb;		/* least limit - usage of it and its
					 * ancestors; U64_MAX: no limit
					 */
	struct memattr_fp procs;	/* sum of its processes' footprints */
	struct memattr_activity procs_act;
	struct memattr_leak_info leak;
	s64 exhaust_s;			/* until usage reaches limit; -1: none */
};

struct memattr_system_row {
	u64 mem_total_kb;
	u64 mem_free_kb;
	u64 mem_available_kb;
	u32 used_pct;			/* (total - available) / total */
	u64 sampled_ns;
	s64 growth_kb_per_hour;		/* of memory in use */
	s64 exhaust_s;			/* until nothing is available; -1: none */
	u8 watermark_level;		/* levels crossed upwards, 0: none */
};

struct memattr_acct_stats {
	u32 nr_procs;			/* tracked now */
	u32 max_procs;
	u32 nr_cgroups;
	u64 procs_created;
	u64 procs_removed;
	u64 procs_dropped;		/* not tracked: table full or no memory */
	u64 procs_reaped;		/* found gone by the sampler */
	u64 exited_total;
	u64 samples;			/* sampler ticks */
	u64 sample_last_ns;		/* cost of the last tick */
	u64 sample_max_ns;
	u32 sample_reads;		/* processes the last tick read again */
	u64 irq_pages;			/* allocated in IRQ/softirq context */
	u64 kthread_pages;		/* allocated by kernel threads */
	u64 untracked_pages;		/* allocated by untracked processes */
	u64 oom_dropped;		/* OOM reports lost: pending queue full */
	u32 pool_free;			/* preallocated entries ready for forks */
};

/*
 * The process table, for the sampler's walk: writers hold the lock of the
 * entry's bucket, readers walk it under RCU (see acct.c).
 */
extern struct hlist_head memattr_procs[1 << MEMATTR_PROCS_HASH_BITS];

static inline u64 memattr_pages_kb(unsigned long pages)
{
	return (u64)pages << (PAGE_SHIFT - 10);
}

int memattr_acct_init(void);
void memattr_acct_stop(void);
void memattr_acct_exit(void);

/* For the sampler and the OOM capture. */
void memattr_fp_pack(struct memattr_fp32 *d, const struct memattr_fp *s);
void memattr_fp_unpack(struct memattr_fp *d, const struct memattr_fp32 *s);
void memattr_fp_from_mm(struct mm_struct *mm, struct memattr_fp *fp);
void memattr_proc_set_vm_base(struct memattr_proc *p, u64 vm_kb);
void memattr_activity_read(struct memattr_proc *p, struct memattr_activity *a);
void memattr_acct_adopt(bool initial);
void memattr_acct_adopt_pending(void);
void memattr_acct_reap(struct memattr_proc *p);
void memattr_acct_count_oom_dropped(void);
struct memattr_cgroup_row *
memattr_acct_publish(struct memattr_cgroup_row *cgs, u32 nr_cgs,
		     size_t *cgs_bytes, const struct memattr_system_row *sys,
		     u64 t0, u32 period, u32 reads);

/* Hot-path entry points, called by hooks.c. */
struct memattr_proc *memattr_acct_find(pid_t tgid);

/*
 * The entry of the process last seen by the hooks on a CPU; only that CPU
 * fills it, in task context with preemption disabled (interrupt context
 * never touches it, so plain increments cannot lose a count). The page
 * hooks' hit counts live here, next to what they read anyway on every
 * page: one per-CPU address for both; `stats` sums them over the CPUs.
 *
 * @tgid is the one word another CPU writes: whoever takes an entry out of
 * the table empties every cache that holds it (memattr_acct_cur_forget()),
 * before the grace period that frees it, so a hit needs no test of the
 * table's generation; a fill that raced with the removal sees the
 * generation move and empties its own (memattr_acct_cur_fill()). Empty is
 * the tgid 0, the idle tasks', which have no mm and so never hit.
 */
struct memattr_cur {
	struct memattr_proc *p;	/* @tgid's; written after it */
	pid_t tgid;		/* 0: empty; another CPU may empty it */
	u64 page_alloc_hits;	/* task-context runs of the page hooks */
	u64 page_free_hits;
};

DECLARE_PER_CPU(struct memattr_cur, memattr_cur);
/*
 * Bumped, after the unlink and before the caches are emptied and the grace
 * period that frees the entry, each time an entry leaves the table: a fill
 * that read generation g found an entry still in the table, or is emptied,
 * while it reads g after storing it.
 */
extern atomic_long_t memattr_procs_gen;

struct memattr_proc *memattr_acct_find_current_slow(struct memattr_cur *c,
						    pid_t tgid,
						    unsigned long gen);

/**
 * memattr_acct_cur_fill() - look current's process up, into the cache
 * @c: this CPU's cache
 * @tgid: current's
 * @gen: memattr_procs_gen as the caller read it
 *
 * The lookup behind a miss of the cache, inline for the page hooks, whose
 * every path then is a leaf (see hooks.c); the others call
 * memattr_acct_find_current_slow().
 *
 * Context: as memattr_acct_cur_hit().
 * Return: the process, or NULL when it is not tracked.
 */
static __always_inline struct memattr_proc *
memattr_acct_cur_fill(struct memattr_cur *c, pid_t tgid, unsigned long gen)
{
	struct memattr_proc *p;

	smp_rmb();	/* the generation, then the table (memattr_proc_unlink) */
	hash_for_each_possible_rcu(memattr_procs, p, node, tgid) {
		if (p->tgid == tgid) {
			WRITE_ONCE(c->tgid, tgid);
			/*
			 * The tgid, then the entry: memattr_acct_cur_forget()
			 * empties the cache once it sees @p, after this tgid.
			 */
			smp_store_release(&c->p, p);
			/*
			 * The entry, then the generation; pairs with the
			 * barrier of memattr_acct_cur_forget(): either it
			 * sees @p here, or this sees the generation move.
			 */
			smp_mb();
			if (unlikely(atomic_long_read(&memattr_procs_gen) != gen))
				WRITE_ONCE(c->tgid, 0);
			return p;	/* valid until the caller's section ends */
		}
	}
	return NULL;
}

/**
 * memattr_acct_cur_hit() - the entry a CPU's cache holds for current
 * @c: this CPU's cache
 *
 * For the hooks, which see the same process event after event (page after
 * page): a per-CPU cache of the last entry found spares the hash lookup.
 * Inline: it runs for every page the allocator hands out or takes back.
 *
 * A hit reads no table and no generation: an entry that left the table is
 * emptied from every cache before its grace period starts, and is freed
 * only after it, which the caller's preemption-disabled section holds off.
 *
 * Context: task, preemption disabled (a hook's handler: a tracepoint probe,
 * a kprobe handler, or memattr_ft_entry(), which disables it itself): the
 * cache is this CPU's, and interrupt context never reaches it.
 * Return: the process, or NULL on a miss (memattr_acct_find_current_slow()
 * then tells).
 */
static __always_inline struct memattr_proc *
memattr_acct_cur_hit(struct memattr_cur *c)
{
	if (likely(READ_ONCE(c->tgid) == current->tgid))
		return c->p;
	return NULL;
}

/**
 * memattr_acct_find_current() - the tracked process of current, cached
 *
 * Context: as memattr_acct_cur_hit().
 * Return: the process, or NULL when it is not tracked.
 */
static inline struct memattr_proc *memattr_acct_find_current(void)
{
	struct memattr_cur *c = this_cpu_ptr(&memattr_cur);
	struct memattr_proc *p = memattr_acct_cur_hit(c);

	if (likely(p))
		return p;
	return memattr_acct_find_current_slow(c, current->tgid,
					      atomic_long_read(&memattr_procs_gen));
}

void memattr_acct_fork(struct task_struct *child);
void memattr_acct_exec(struct task_struct *task);
void memattr_acct_exit_mm(struct task_struct *task);
void memattr_acct_exit_task(struct task_struct *task);

DECLARE_PER_CPU(u64, memattr_irq_pages);
DECLARE_PER_CPU(u64, memattr_kthread_pages);
DECLARE_PER_CPU(u64, memattr_untracked_pages);

/**
 * memattr_acct_count_irq_pages() - pages allocated in interrupt context
 * @nr: pages
 *
 * They belong to no process, whichever task was interrupted.
 */
static inline void memattr_acct_count_irq_pages(unsigned int nr)
{
	this_cpu_add(memattr_irq_pages, nr);
}

/**
 * memattr_acct_count_kthread_pages() - pages allocated by kernel threads
 * @nr: pages
 *
 * Context: task, preemption disabled (a page hook); never in interrupt
 * context, so the per-CPU add needs no protection against one.
 */
static inline void memattr_acct_count_kthread_pages(unsigned int nr)
{
	__this_cpu_add(memattr_kthread_pages, nr);
}

/**
 * memattr_acct_count_untracked_pages() - pages of processes not tracked
 * @nr: pages
 *
 * Context: as memattr_acct_count_kthread_pages().
 */
static inline void memattr_acct_count_untracked_pages(unsigned int nr)
{
	__this_cpu_add(memattr_untracked_pages, nr);
}

/* Snapshots for outputs: kvfree() the array when done. */
int memattr_acct_snapshot_procs(struct memattr_proc_row **rows, u32 *nr);
int memattr_acct_snapshot_cgroups(struct memattr_cgroup_row **rows, u32 *nr);
int memattr_acct_snapshot_exited(struct memattr_exited_row **rows, u32 *nr);
int memattr_acct_proc_get(pid_t tgid, struct memattr_proc_row *row);
int memattr_acct_proc_history(pid_t tgid, struct memattr_hist_point **pts,
			      u32 *nr);
void memattr_acct_system(struct memattr_system_row *row);
void memattr_acct_get_stats(struct memattr_acct_stats *st);
u32 memattr_acct_generation(void);

int memattr_acct_copy_cgroups(bool (*keep)(const struct memattr_cgroup_row *r,
					   void *arg),
			      void *arg, gfp_t gfp,
			      struct memattr_cgroup_row **rows, u32 *nr);

#endif /* _MEMATTR_ACCT_H */
