// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sampler: a delayed work item (process context) whose tick, each
 * sample_ms, reads every tracked process's mm counters the way
 * /proc/PID/status does, its memory cgroup and its name; pushes the
 * unreclaimable footprint into the process's history for the periods the
 * tick stands for (its time axis); judges the process with the lazy leak
 * detector; collects the cgroup rows (cgroup.c) and sums its processes into
 * them; reads the system row; runs the per-cgroup and system detection
 * (detect.c); drafts the post-mortem snapshot and keeps the fastest
 * growers for the OOM capture; and publishes the tables (acct.c).
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs. The
 * sampler reads and writes the tables and calls the detector; nothing but
 * init/exit and the sample_ms parameter calls the sampler.
 */
#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "acct.h"
#include "cgroup.h"
#include "detect.h"
#include "events.h"
#include "exhaust.h"
#include "mem.h"
#include "oom.h"
#include "oomkill.h"
#include "postmortem.h"
#include "report.h"
#include "sampler.h"

/* The period of the last tick, 0: none yet; the sampler's own. */
static u32 memattr_sample_ms_seen;
/*
 * The sampler's schedule, its own (one work item): tick n is due at
 * @memattr_tick_start_ns + n * sample_ms; @memattr_tick_n is the last one's.
 */
static u64 memattr_tick_start_ns;
static u64 memattr_tick_n;
/*
 * Periods since the sampler started, across changes of the period (the
 * processes' tick_seen count in it), and the ticks, for the refresh's
 * turns: the sampler's own.
 */
static u32 memattr_period;
static u32 memattr_refresh_turn;

/* The post-mortem's snapshot being drafted: the sampler's alone. */
static struct memattr_report_snap memattr_report_draft;
/*
 * The cgroup table published before the last one, to fill at the next tick
 * (memattr_cgroups_collect()), and its size, charged: the sampler's own.
 */
static struct memattr_cgroup_row *memattr_cgs_spare;
static size_t memattr_cgs_spare_bytes;
/* The detector's parameters at the last tick: the sampler's own. */
static struct memattr_leak_cfg memattr_cfg_seen;

/* The sampler runs and may be kicked: under memattr_sampler_mutex. */
static DEFINE_MUTEX(memattr_sampler_mutex);
static bool memattr_sampler_live;

static void memattr_sampler_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(memattr_sampler, memattr_sampler_fn);
static bool memattr_sampler_stopping;	/* READ_ONCE/WRITE_ONCE */

/*
 * The footprint that a leak would grow: never page cache, and of the
 * mapped shmem only what the process allocated itself (see
 * memattr_leak_metric_kb()). @p->fp still holds the last sample.
 * Context: under @p->lock.
 */
static u32 memattr_proc_leak_kb(struct memattr_proc *p,
				const struct memattr_fp *fp)
{
	u32 allocs = (u32)atomic64_read(&p->page_allocs);
	u64 alloc_kb = memattr_pages_kb(allocs - p->allocs_seen);

	lockdep_assert_held(&p->lock);
	p->allocs_seen = allocs;
	return memattr_leak_metric_kb(&p->shmem,
				      fp->anon_kb + fp->swap_kb + fp->pgtables_kb,
				      fp->shmem_kb,
				      (u64)p->fp.anon_kb + p->fp.swap_kb +
				      p->fp.pgtables_kb,
				      p->fp.shmem_kb, alloc_kb);
}

/*
 * Whether a thread of @leader's process ran since @old was taken: the sum
 * of its threads' run time (the scheduler's own per-task counter) moved, or
 * one of them is on a CPU now, whose run time may not show it yet. The
 * process's mm counters, name and memory cgroup only change while one of
 * its threads runs, but for what others do to it (reclaim, swap-out, KSM,
 * khugepaged, the OOM reaper, process_vm_writev(), a write to its comm, a
 * move to another cgroup): the full refresh catches those. *@key: the sum
 * now, its low 32 bits (a sum that moved by a multiple of 2^32 ns exactly
 * is missed until the refresh). Context: RCU.
 */
static __always_inline bool memattr_proc_ran(struct task_struct *leader,
					     u32 old, u32 *key)
{
	struct task_struct *t;
	bool on_cpu = false;
	u64 sum = 0;

	/*
	 * The leader alone (a zombie leader counts until its group is reaped):
	 * most processes have one thread. A thread being cloned makes its
	 * cloner run, which shows.
	 */
	if (READ_ONCE(leader->signal->nr_threads) == 1) {
		*key = (u32)READ_ONCE(leader->se.sum_exec_runtime);
#ifdef CONFIG_SMP
		on_cpu = READ_ONCE(leader->on_cpu);
#endif
		return on_cpu || *key != old;
	}
	for_each_thread(leader, t) {
		sum += READ_ONCE(t->se.sum_exec_runtime);
#ifdef CONFIG_SMP
		on_cpu |= READ_ONCE(t->on_cpu);
#endif
	}
	*key = (u32)sum;
	return on_cpu || *key != old;
}

/*
 * The leader of the process whose tgid's struct pid is @pid, NULL: none
 * now; pid_task() inline, for every process at every tick. Context: RCU.
 */
static inline struct task_struct *memattr_pid_leader(struct pid *pid)
{
	struct hlist_node *first;

	first = rcu_dereference(hlist_first_rcu(&pid->tasks[PIDTYPE_TGID]));
	return first ? hlist_entry(first, struct task_struct,
				   pid_links[PIDTYPE_TGID]) : NULL;
}

/*
 * Read one process: its footprint from the first of its threads that still
 * holds the mm, its memory cgroup and its name (the leader's, as in
 * /proc/PID/status: a PR_SET_NAME since fork or exec shows at the next
 * sample), and *@key, its threads' run time before any of that was read
 * (memattr_proc_ran()), unless @leader: the caller found it through
 * @p->pid, and took the key. The name
 * is copied without the task lock, as the kernel's own messages read it: a
 * rename racing with the copy may show torn in one sample, and whole in the
 * next (a rename is the process running). The first read takes a reference
 * to its tgid's struct pid, which spares the later ones the lookup.
 * Context: under rcu_read_lock().
 * Return: false when the process is gone (or is another one now).
 */
static bool memattr_proc_read(struct memattr_proc *p,
			      struct task_struct *leader, struct memattr_fp *fp,
			      u64 *cgid, bool *has_mm,
			      char comm[TASK_COMM_LEN], u32 *key)
{
	struct pid *pid = p->pid;
	struct mem_cgroup *memcg;
	struct task_struct *t;

	if (leader) {
		/* Found through @p->pid by the caller, keyed. */
	} else if (pid) {
		leader = memattr_pid_leader(pid);
		if (!leader)
			return false;
		memattr_proc_ran(leader, 0, key);
	} else {
		pid = find_pid_ns(p->tgid, &init_pid_ns);
		leader = pid_task(pid, PIDTYPE_TGID);
		if (!leader || leader->start_time != p->start_ns)
			return false;
		memattr_proc_ran(leader, 0, key);
	}
	/* Racy by design, see above: a torn name lasts one sample. */
	data_race(memcpy(comm, leader->comm, TASK_COMM_LEN));
	comm[TASK_COMM_LEN - 1] = '\0';
	*has_mm = false;
	for_each_thread(leader, t) {
		task_lock(t);
		if (t->mm) {
			/* A vfork child borrows its parent's mm: not its own. */
			if (!t->vfork_done)
				memattr_fp_from_mm(t->mm, fp);
			else
				memset(fp, 0, sizeof(*fp));
			*has_mm = true;
			task_unlock(t);
			break;
		}
		task_unlock(t);
	}
	memcg = mem_cgroup_from_task(leader);
	*cgid = memcg ? cgroup_id(memcg->css.cgroup) : 0;
	/*
	 * Skipped while it does not run only with an mm: the history of one
	 * whose mm is gone stops, and nothing may extend it.
	 */
	if (*has_mm && !p->pid) {
		p->pid = get_pid(pid);
	} else if (!*has_mm && p->pid) {
		put_pid(p->pid);
		p->pid = NULL;
	}
	return true;
}

static void memattr_system_read(struct memattr_system_row *s)
{
	struct sysinfo si;
	long avail;

	si_meminfo(&si);
	avail = si_mem_available();
	s->mem_total_kb = memattr_pages_kb(si.totalram);
	s->mem_free_kb = memattr_pages_kb(si.freeram);
	s->mem_available_kb = memattr_pages_kb(max(avail, 0L));
	s->used_pct = s->mem_total_kb ?
		div64_u64((s->mem_total_kb - min(s->mem_available_kb,
						 s->mem_total_kb)) * 100,
			  s->mem_total_kb) : 0;
	s->sampled_ns = ktime_get_ns();
}

/* Queue the event of a leak transition. Context: under @p->lock. */
static void memattr_proc_leak_event(struct memattr_proc *p)
{
	struct memattr_event *ev = memattr_detect_event_slot();

	lockdep_assert_held(&p->lock);
	if (!ev)
		return;
	ev->kind = p->leak.state == MEMATTR_LEAK_LEAK ? MEMATTR_EV_LEAK :
							 MEMATTR_EV_LEAK_CLEARED;
	ev->entity = MEMATTR_ENTITY_PROCESS;
	ev->pid = p->tgid;
	memcpy(ev->comm, p->comm, sizeof(ev->comm));
	ev->cgroup_id = p->cgroup_id;
	ev->growth_kb_per_hour = p->leak.growth_kb_per_hour;
	ev->since_ms = div_u64(p->leak.since_ns, NSEC_PER_MSEC);
	ev->exhaust_s = p->exhaust_s;
}

/*
 * Every process is read again at least once every MEMATTR_SAMPLER_REFRESH
 * ticks, whether it ran or not: the buckets of the table take turns, 1/64
 * of them each tick, so the refresh costs the same at every tick. What
 * changes a process's footprint, name or cgroup without it running shows
 * within that many ticks (64 s at the default sample_ms). So a process's
 * history is at most 64 ticks of at most MEMATTR_HIST_CATCHUP_MAX periods
 * behind, which its 16-bit tick_seen counts.
 */
#define MEMATTR_SAMPLER_REFRESH	64
static_assert(MEMATTR_SAMPLER_REFRESH * MEMATTR_HIST_CATCHUP_MAX <= U16_MAX);
static_assert(HASH_SIZE(memattr_procs) % 64 == 0);

/*
 * A history's newest sample, 0: none (memattr_hist_get(h, 0, 0)); inline,
 * without the modulo, for every process each tick.
 */
static inline u32 memattr_hist_newest(const struct memattr_hist *h)
{
	const struct memattr_hist_level *l = &h->level[0];

	if (!l->used)
		return 0;
	return l->slot[l->head ? l->head - 1 : MEMATTR_HIST_SLOTS - 1];
}

/* One tick, as the process walk sees it. */
struct memattr_tick {
	struct memattr_cgroup_row *cgs;	/* this tick's, sorted by id */
	u32 nr_cgs;
	struct memattr_cgroup_row *cg_last;	/* the last row looked up */
	u64 avail_kb;			/* MemAvailable, for exhaust_s */
	const struct memattr_leak_cfg *cfg;
	struct memattr_leak_lazy lz;
	bool all;			/* read every process (new parameters) */
	bool reset_hist;
	bool force;
	u64 now_ns;
	unsigned int periods;		/* this tick stands for */
	u32 period;			/* the period it stands at */
	u32 turn;			/* whose buckets are refreshed */
	u32 reads;			/* processes read again */
	struct memattr_oom_grower *top;
	u32 nr_top;
	/*
	 * Once @top is full: the most a process may grow by and change
	 * neither @top nor its own time to exhaustion, min(0, the slowest
	 * kept).
	 */
	s64 idle_growth;
	/* The footprint a process must exceed to rank in the draft; -1: any. */
	s64 fp_floor;
};

/* The processes counted in the tick's row of cgroup @id. */
static struct memattr_cgroup_row *memattr_tick_cg(struct memattr_tick *t,
						  u64 id)
{
	if (!t->cg_last || t->cg_last->id != id)
		t->cg_last = memattr_cgroup_lookup(t->cgs, t->nr_cgs, id);
	return t->cg_last;
}

/* Weigh @g for the fastest growers; keep @t->idle_growth. */
static inline void memattr_tick_top_insert(struct memattr_tick *t,
					   const struct memattr_oom_grower *g)
{
	memattr_oom_top_insert(t->top, &t->nr_top, g);
	if (t->nr_top == MEMATTR_OOM_TOP)
		t->idle_growth = min_t(s64, 0,
				       t->top[MEMATTR_OOM_TOP - 1].growth_kb_per_hour);
}

/*
 * The periods after this sample for which @p's detector would not judge:
 * until its lazy key (memattr_leak_lazy_key()) moves, which it does only
 * forward as the history grows; 0 when it would judge now. At most U8_MAX
 * (the full refresh reads it well before). Context: under @p->lock.
 */
static u8 memattr_proc_idle_periods(const struct memattr_proc *p,
				    const struct memattr_leak_lazy *lz)
{
	u64 samples = p->hist.samples, next;

	lockdep_assert_held(&p->lock);
	if (memattr_leak_lazy_due(&p->leak, lz, samples))
		return 0;
	next = ((samples >> lz->shift) + 1) << lz->shift;
	if (samples < lz->w_half)
		next = min(next, lz->w_half);
	if (samples < lz->w_full)
		next = min(next, lz->w_full);
	return min_t(u64, next - samples, U8_MAX);
}

/*
 * Whether a process that did not run needs nothing this tick: its detector
 * would not judge (@p->idle_periods, as memattr_leak_lazy_due() would tell
 * for its history extended to now), its time to exhaustion is none and
 * stays none (it does not grow), and it ranks neither among the fastest
 * growers nor among the post-mortem's largest. Its history is extended
 * when it is next touched. Context: the sampler, RCU; reads only what the
 * sampler writes (a racing exec's history reset is seen at the next tick:
 * the exec ran).
 */
static inline bool memattr_proc_idle(struct memattr_proc *p,
				     const struct memattr_tick *t)
{
	s64 growth = p->leak.growth_kb_per_hour;
	u32 kb;

	if (growth > t->idle_growth || t->nr_top < MEMATTR_OOM_TOP ||
	    (u16)(t->period - p->tick_seen) >= p->idle_periods)
		return false;
	/* As above: an exec's reset makes it run, and read at the next tick. */
	kb = data_race(memattr_hist_newest(&p->hist));
	return (s64)kb <= t->fp_floor;
}

/*
 * Extend @p's history to the period before this tick's: the periods since
 * its newest sample repeat it, as they would have had it been read at each
 * (it did not run). A history restarted since (an exec, a new sampling
 * period) has nothing to repeat. Context: under @p->lock.
 */
static inline void memattr_proc_catch_up(struct memattr_proc *p,
					 const struct memattr_tick *t)
{
	u32 behind = (u16)(t->period - p->tick_seen);

	lockdep_assert_held(&p->lock);
	if (p->hist.samples && behind > t->periods)
		memattr_hist_push_n(&p->hist, memattr_hist_newest(&p->hist),
				    behind - t->periods);
}

/* Push @kb for the tick's periods: one call for the usual one. */
static inline void memattr_proc_push(struct memattr_proc *p,
				     const struct memattr_tick *t, u32 kb)
{
	if (likely(t->periods == 1))
		memattr_hist_push(&p->hist, kb);
	else
		memattr_hist_push_n(&p->hist, kb, t->periods);
}

/*
 * Sample one process: read it again when @read, else extend its history
 * with its newest sample; judge it, and weigh it for the rankings. @leader:
 * when the caller found it through @p->pid and took *@ran_key, the run-time
 * key (memattr_proc_ran()). Context: the sampler, RCU.
 */
static void memattr_sample_proc(struct memattr_proc *p, struct memattr_tick *t,
				bool read, struct task_struct *leader,
				u32 ran_key)
{
	struct memattr_cgroup_row *cg;
	struct memattr_report_proc rp;
	struct memattr_oom_grower g;
	char comm[TASK_COMM_LEN];
	struct memattr_fp fp;
	bool has_mm = false;
	bool changed;
	u64 room;
	u64 cgid = 0;
	u32 key = ran_key;
	s64 growth;

	if (read && !memattr_proc_read(p, leader, &fp, &cgid, &has_mm, comm,
				       &key)) {
		/* Gone without our exit hook seeing it. */
		memattr_acct_reap(p);
		return;
	}
	raw_spin_lock(&p->lock);
	if (t->reset_hist)
		memattr_hist_reset(&p->hist);
	if (!read) {
		/*
		 * Not run since its last sample: the same footprint. Unless
		 * an exec restarted its history since memattr_proc_ran():
		 * the next tick reads it.
		 */
		if (p->hist.samples) {
			memattr_proc_catch_up(p, t);
			memattr_proc_push(p, t, memattr_hist_newest(&p->hist));
			p->tick_seen = t->period;
			p->sampled_ns = t->now_ns;
		}
		cgid = p->cgroup_id;
	} else {
		p->ran_key = key;
		/* Once exit_mm() ran, keep the footprint at exit. */
		if (has_mm) {
			/* Adopted: the address space as first seen. */
			u32 kb;

			if (!p->vm_base_set)
				memattr_proc_set_vm_base(p, fp.vm_kb);
			kb = memattr_proc_leak_kb(p, &fp);
			memattr_fp_pack(&p->fp, &fp);
			p->sampled_ns = t->now_ns;	/* the tick's */
			memattr_proc_catch_up(p, t);
			memattr_proc_push(p, t, kb);
			p->tick_seen = t->period;
		}
		p->cgroup_id = cgid;
		memcpy(p->comm, comm, sizeof(p->comm));
	}
	cg = memattr_tick_cg(t, cgid);
	/* memattr_leak_step_keyed() returns at once when not due: inline. */
	changed = (t->force ||
		   memattr_leak_lazy_due(&p->leak, &t->lz, p->hist.samples)) &&
		  memattr_leak_step_keyed(&p->leak, t->cfg, &t->lz, &p->hist,
					  t->now_ns, t->force);
	/* Sampled now: when the detector would judge it next. */
	p->idle_periods = p->tick_seen == (u16)t->period ?
			  memattr_proc_idle_periods(p, &t->lz) : 0;
	growth = p->leak.growth_kb_per_hour;
	/* Every tick: the headrooms move even when it does not. */
	room = cg ? cg->headroom_kb : MEMATTR_EXHAUST_NO_LIMIT;
	p->exhaust_s = growth > 0 ?
		       memattr_exhaust_proc_s(t->avail_kb, room, growth) : -1;
	if (changed)
		memattr_proc_leak_event(p);
	/* The footprint as packed (and clamped) into the entry. */
	g.rss_kb = p->fp.rss_kb;
	g.pid = p->tgid;
	memcpy(g.comm, p->comm, sizeof(g.comm));
	g.growth_kb_per_hour = growth;
	/* What the detector judges: its newest sample. */
	rp.footprint_kb = memattr_hist_newest(&p->hist);
	/* Neither ranking would take it: spare building its row. */
	if (growth <= 0 && (s64)rp.footprint_kb <= t->fp_floor) {
		raw_spin_unlock(&p->lock);
		memattr_tick_top_insert(t, &g);
		goto out;
	}
	rp.leak = p->leak.state;
	rp.since_ms = div_u64(p->leak.since_ns, NSEC_PER_MSEC);
	raw_spin_unlock(&p->lock);
	memattr_tick_top_insert(t, &g);
	rp.pid = g.pid;
	memcpy(rp.comm, g.comm, sizeof(rp.comm));
	rp.cgroup_id = cgid;
	rp.rss_kb = g.rss_kb;
	rp.growth_kb_per_hour = g.growth_kb_per_hour;
	memattr_report_draft_proc(&memattr_report_draft, &rp);
	t->fp_floor = memattr_report_draft_floor(&memattr_report_draft);
out:
	if (cg)
		cg->nr_procs++;
}

/*
 * Sample the processes of bucket @head that is not due for the full
 * refresh: read again only those that ran, judge those due, and only count
 * the others in their cgroup's row. The path every sleeping process takes
 * at every tick, so it is kept short. Context: the sampler, RCU.
 */
static void memattr_sample_bucket(struct memattr_tick *t,
				  struct hlist_head *head)
{
	struct memattr_proc *p;

	hlist_for_each_entry_rcu(p, head, node) {
		struct task_struct *leader;
		u32 key;

		if (!p->pid) {
			t->reads++;
			memattr_sample_proc(p, t, true, NULL, 0);
			continue;
		}
		leader = memattr_pid_leader(p->pid);
		if (!leader || memattr_proc_ran(leader, p->ran_key, &key)) {
			/* Gone (without a leader) or ran. */
			t->reads++;
			memattr_sample_proc(p, t, true, leader,
					    leader ? key : 0);
			continue;
		}
		if (!memattr_proc_idle(p, t)) {
			memattr_sample_proc(p, t, false, NULL, 0);
			continue;
		}
		if (likely(t->cg_last && t->cg_last->id == p->cgroup_id))
			t->cg_last->nr_procs++;
		else if (memattr_tick_cg(t, p->cgroup_id))
			t->cg_last->nr_procs++;
	}
}

/*
 * Sample every tracked process, 64 buckets at a time, with a break after
 * each, and collect the fastest growers into @t->top. A process is read
 * again only when one of its threads ran since its last read, or when its
 * bucket's turn for the full refresh comes (MEMATTR_SAMPLER_REFRESH: one
 * bucket in each 64); else its history is extended with its newest sample,
 * when it is next touched. The cgroup rows count their processes here;
 * their sums are added up when they are read (acct.c).
 */
static void memattr_sample_procs(struct memattr_tick *t)
{
	struct hlist_head *blk, *b, *end, *turn;
	struct memattr_proc *p;

	static_assert(MEMATTR_SAMPLER_REFRESH == 64);
	t->nr_top = 0;
	t->idle_growth = 0;
	for (blk = memattr_procs; blk < memattr_procs + HASH_SIZE(memattr_procs);
	     blk += 64, cond_resched()) {
		turn = t->all ? NULL : blk + t->turn;
		rcu_read_lock();
		/* Most buckets are empty: the least work for those. */
		for (b = blk, end = blk + 64; b < end; b++) {
			if (hlist_empty(b))
				continue;
			if (b != turn && turn) {
				memattr_sample_bucket(t, b);
				continue;
			}
			hlist_for_each_entry_rcu(p, b, node) {
				t->reads++;
				memattr_sample_proc(p, t, true, NULL, 0);
			}
		}
		rcu_read_unlock();
	}
}

static void memattr_sampler_fn(struct work_struct *work)
{
	struct memattr_oom_grower top[MEMATTR_OOM_TOP];
	struct memattr_tick t = { .top = top };
	struct memattr_cgroup_row *cgs;
	struct memattr_system_row sys;
	size_t cgs_bytes = 0;
	struct memattr_leak_cfg cfg;
	u32 nr_cgs, sample_ms;
	unsigned int periods;
	bool reset_hist, force;
	u64 t0, next, now;
	unsigned long delay;

	t0 = ktime_get_ns();
	memattr_detect_cfg(&cfg);
	sample_ms = cfg.sample_ms;
	memattr_acct_adopt_pending();

	memattr_system_read(&sys);
	cgs = memattr_cgroups_collect(&memattr_cgs_spare,
				      &memattr_cgs_spare_bytes, &nr_cgs,
				      &cgs_bytes);
	/* A history's time axis is its sampling period: a new one resets it. */
	reset_hist = memattr_sample_ms_seen && sample_ms != memattr_sample_ms_seen;
	/* New parameters: judge every process afresh, not only the changed. */
	force = reset_hist || memcmp(&cfg, &memattr_cfg_seen, sizeof(cfg));
	memattr_cfg_seen = cfg;
	/* A new period starts a new schedule; else count the periods missed. */
	if (!memattr_sample_ms_seen || reset_hist) {
		memattr_tick_start_ns = t0;
		memattr_tick_n = 0;
		periods = 1;
	} else {
		periods = memattr_hist_periods(&memattr_tick_n,
					       memattr_tick_start_ns, t0,
					       sample_ms);
	}
	memattr_period += periods;
	t.cgs = cgs;
	t.nr_cgs = nr_cgs;
	t.avail_kb = sys.mem_available_kb;
	t.cfg = &cfg;
	memattr_leak_lazy_init(&t.lz, &cfg);
	t.all = force;
	t.reset_hist = reset_hist;
	t.force = force;
	t.now_ns = t0;
	t.periods = periods;
	t.period = memattr_period;
	t.turn = memattr_refresh_turn++ % MEMATTR_SAMPLER_REFRESH;
	memattr_report_draft_begin(&memattr_report_draft,
				   div_u64(t0, NSEC_PER_MSEC));
	t.fp_floor = memattr_report_draft_floor(&memattr_report_draft);
	memattr_sample_procs(&t);
	memattr_oom_top_publish(top, t.nr_top);
	memattr_detect_cgroups(cgs, nr_cgs, &cfg, reset_hist, force, t0,
			       periods);
	memattr_detect_system(&sys, &cfg, reset_hist, force, t0, periods);
	memattr_report_draft_end(&memattr_report_draft, &sys, cgs, nr_cgs);
	memattr_pm_publish(&memattr_report_draft);

	memattr_sample_ms_seen = sample_ms;
	memattr_cgs_spare = memattr_acct_publish(cgs, nr_cgs, &cgs_bytes, &sys,
						 t0, t.period, t.reads);
	memattr_cgs_spare_bytes = cgs_bytes;
	memattr_detect_flush(cgs, nr_cgs);

	/*
	 * Aim the next tick at start + (n + 1) periods, not a period after
	 * this one: re-arming for a whole period after each tick adds the
	 * timer wheel's rounding and the worker's latency to every period
	 * (1024 ms for 1000 at HZ=250), and the history's time axis drifts.
	 */
	next = memattr_tick_start_ns + (memattr_tick_n + 1) * sample_ms *
	       NSEC_PER_MSEC;
	now = ktime_get_ns();
	delay = next > now ? msecs_to_jiffies(DIV_ROUND_UP_ULL(next - now,
								NSEC_PER_MSEC)) : 0;
	if (!READ_ONCE(memattr_sampler_stopping))
		queue_delayed_work(system_unbound_wq, &memattr_sampler, delay);
}

/**
 * memattr_sampler_start() - adopt running processes and start the sampler
 *
 * ORDER: called after the hooks are attached, so that no process can fork
 * or exit unseen between the adoption walk and the hooks.
 * Return: 0.
 */
int memattr_sampler_start(void)
{
	WRITE_ONCE(memattr_sampler_stopping, false);
	memattr_acct_adopt(true);
	/* The first sample runs now, so the tables are filled at once. */
	memattr_sampler_fn(&memattr_sampler.work);
	mutex_lock(&memattr_sampler_mutex);
	memattr_sampler_live = true;
	mutex_unlock(&memattr_sampler_mutex);
	return 0;
}

/**
 * memattr_sampler_sample_ms_changed() - the sampling period was set
 *
 * Runs the next tick now, which re-arms with the new period, instead of
 * after the old one. A no-op before the sampler starts (parameters given
 * to insmod) and once it is stopping.
 */
void memattr_sampler_sample_ms_changed(void)
{
	mutex_lock(&memattr_sampler_mutex);
	if (memattr_sampler_live)
		mod_delayed_work(system_unbound_wq, &memattr_sampler, 0);
	mutex_unlock(&memattr_sampler_mutex);
}

/**
 * memattr_sampler_stop() - stop the sampler
 *
 * Context: process; waits for a running tick to finish.
 */
void memattr_sampler_stop(void)
{
	mutex_lock(&memattr_sampler_mutex);
	memattr_sampler_live = false;
	mutex_unlock(&memattr_sampler_mutex);
	WRITE_ONCE(memattr_sampler_stopping, true);
	cancel_delayed_work_sync(&memattr_sampler);
	kvfree(memattr_cgs_spare);
	memattr_mem_uncharge(memattr_cgs_spare_bytes);
	memattr_cgs_spare = NULL;
	memattr_cgs_spare_bytes = 0;
}
