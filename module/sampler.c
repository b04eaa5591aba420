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
 * Read one process: its footprint from the first of its threads that still
 * holds the mm, its memory cgroup and its name (the leader's, as in
 * /proc/PID/status: a PR_SET_NAME since fork or exec shows at the next
 * sample). Context: under rcu_read_lock().
 * Return: false when the process is gone (or is another one now).
 */
static bool memattr_proc_read(struct memattr_proc *p, struct memattr_fp *fp,
			      u64 *cgid, bool *has_mm,
			      char comm[TASK_COMM_LEN])
{
	struct task_struct *leader, *t;
	struct mem_cgroup *memcg;

	leader = pid_task(find_pid_ns(p->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!leader || leader->start_time != p->start_ns)
		return false;
	__get_task_comm(comm, TASK_COMM_LEN, leader);
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

/* The post-mortem's snapshot being drafted: the sampler's alone. */
static struct memattr_report_snap memattr_report_draft;

/*
 * Sample every tracked process, bucket by bucket, with breaks between, and
 * collect the fastest growers into @top (*@nr_top of them). Each sample
 * goes into the histories @periods times: the sampling periods this tick
 * stands for (memattr_hist_periods()). @avail_kb: the system's available
 * memory, for times to exhaustion.
 */
static void memattr_sample_procs(struct memattr_cgroup_row *cgs, u32 nr_cgs,
				 u64 avail_kb,
				 const struct memattr_leak_cfg *cfg,
				 bool reset_hist, bool force, u64 now_ns,
				 unsigned int periods,
				 struct memattr_oom_grower *top, u32 *nr_top)
{
	unsigned int bkt;

	*nr_top = 0;
	for (bkt = 0; bkt < HASH_SIZE(memattr_procs); bkt++) {
		struct memattr_proc *p;

		rcu_read_lock();
		hlist_for_each_entry_rcu(p, &memattr_procs[bkt], node) {
			struct memattr_cgroup_row *cg;
			struct memattr_report_proc rp;
			struct memattr_oom_grower g;
			struct memattr_activity act;
			char comm[TASK_COMM_LEN];
			struct memattr_fp fp;
			bool has_mm = false;
			bool changed;
			u64 room;
			u64 cgid = 0;

			if (!memattr_proc_read(p, &fp, &cgid, &has_mm, comm)) {
				/* Gone without our exit hook seeing it. */
				memattr_acct_reap(p);
				continue;
			}
			raw_spin_lock(&p->lock);
			if (reset_hist)
				memattr_hist_reset(&p->hist);
			/* Once exit_mm() ran, keep the footprint at exit. */
			if (has_mm) {
				/* Adopted: the address space as first seen. */
				u32 kb;

				if (!p->vm_base_set)
					memattr_proc_set_vm_base(p, fp.vm_kb);
				kb = memattr_proc_leak_kb(p, &fp);
				memattr_fp_pack(&p->fp, &fp);
				p->sampled_ns = now_ns;	/* the tick's */
				memattr_hist_push_n(&p->hist, kb, periods);
			}
			p->cgroup_id = cgid;
			memcpy(p->comm, comm, sizeof(p->comm));
			memattr_fp_unpack(&fp, &p->fp);
			cg = memattr_cgroup_lookup(cgs, nr_cgs, cgid);
			changed = memattr_leak_step_lazy(&p->leak, cfg, &p->hist,
							 now_ns, force);
			/* Every tick: the headrooms move even when it does not. */
			room = cg ? cg->headroom_kb : MEMATTR_EXHAUST_NO_LIMIT;
			p->exhaust_s = memattr_exhaust_proc_s(avail_kb, room,
							      p->leak.growth_kb_per_hour);
			if (changed)
				memattr_proc_leak_event(p);
			memattr_activity_read(p, &act);
			g.pid = p->tgid;
			memcpy(g.comm, p->comm, sizeof(g.comm));
			g.growth_kb_per_hour = p->leak.growth_kb_per_hour;
			g.rss_kb = fp.rss_kb;
			rp.leak = p->leak.state;
			rp.since_ms = div_u64(p->leak.since_ns, NSEC_PER_MSEC);
			/* What the detector judges: its newest sample. */
			rp.footprint_kb = memattr_hist_used(&p->hist, 0) ?
					  memattr_hist_get(&p->hist, 0, 0) : 0;
			raw_spin_unlock(&p->lock);
			memattr_oom_top_insert(top, nr_top, &g);
			rp.pid = g.pid;
			memcpy(rp.comm, g.comm, sizeof(rp.comm));
			rp.cgroup_id = cgid;
			rp.rss_kb = fp.rss_kb;
			rp.growth_kb_per_hour = g.growth_kb_per_hour;
			memattr_report_draft_proc(&memattr_report_draft, &rp);

			if (cg) {
				cg->nr_procs++;
				memattr_fp_add(&cg->procs, &fp);
				memattr_activity_add(&cg->procs_act, &act);
			}
		}
		rcu_read_unlock();
		if (bkt % 64 == 63)
			cond_resched();
	}
}

static void memattr_sampler_fn(struct work_struct *work)
{
	struct memattr_oom_grower top[MEMATTR_OOM_TOP];
	struct memattr_cgroup_row *cgs;
	struct memattr_system_row sys;
	size_t cgs_bytes = 0;
	struct memattr_leak_cfg cfg;
	u32 nr_cgs, sample_ms, nr_top;
	unsigned int periods;
	bool reset_hist, force;
	u64 t0, next, now;
	unsigned long delay;

	t0 = ktime_get_ns();
	memattr_detect_cfg(&cfg);
	sample_ms = cfg.sample_ms;
	memattr_acct_adopt_pending();

	memattr_system_read(&sys);
	cgs = memattr_cgroups_collect(&nr_cgs, &cgs_bytes);
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
	memattr_report_draft_begin(&memattr_report_draft,
				   div_u64(t0, NSEC_PER_MSEC));
	memattr_sample_procs(cgs, nr_cgs, sys.mem_available_kb, &cfg,
			     reset_hist, force, t0, periods, top, &nr_top);
	memattr_oom_top_publish(top, nr_top);
	memattr_detect_cgroups(cgs, nr_cgs, &cfg, reset_hist, force, t0,
			       periods);
	memattr_detect_system(&sys, &cfg, reset_hist, force, t0, periods);
	memattr_report_draft_end(&memattr_report_draft, &sys, cgs, nr_cgs);
	memattr_pm_publish(&memattr_report_draft);

	memattr_sample_ms_seen = sample_ms;
	memattr_acct_publish(cgs, nr_cgs, cgs_bytes, &sys, t0);
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
}
