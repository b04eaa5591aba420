// SPDX-License-Identifier: GPL-2.0-only
/*
 * The OOM capture: the report of each OOM kill, taken in the mark_victim
 * hook from the victim, its entry in the process table and the top growers
 * the sampler published, then finished in process context (cgroup path,
 * the reports ring of oom.c, the OOM_KILL event).
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs. The
 * hooks call this file, and the sampler hands it its top growers; it reads
 * the tables, records into the reports ring (oom.c) and emits events. No
 * output calls it.
 */
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "acct.h"
#include "cgroup.h"
#include "events.h"
#include "oom.h"
#include "oomkill.h"
#include "params.h"

/*
 * OOM kills. The mark_victim tracepoint fires in the OOM killer, in atomic
 * context and under the victim's task_lock(), once per victim: a
 * memory.oom.group kill marks every process of the cgroup, one after the
 * other. Each victim's report is captured there, in O(1) whatever the
 * number of processes: its name, size and memory cgroup from the victim
 * itself, its history from its entry, the top growers from the copy the
 * sampler keeps. It goes into a queue of MEMATTR_OOM_PENDING reports, from
 * which a work item finishes them in process context (cgroup path, the
 * reports ring, the OOM_KILL event). A victim that finds the queue full is
 * counted in oom_dropped.
 */
#define MEMATTR_OOM_PENDING	16

struct memattr_oom_pending {
	struct memattr_oom_report report;
	u64 cgroup_id;
};

/*
 * Raw: taken in the mark_victim probe. Guards the queue (a ring of @nr
 * reports from @head) and the sampler's top growers.
 */
static DEFINE_RAW_SPINLOCK(memattr_oom_lock);
static struct memattr_oom_pending memattr_oom_queue[MEMATTR_OOM_PENDING];
static unsigned int memattr_oom_head, memattr_oom_nr;
static struct memattr_oom_grower memattr_oom_top[MEMATTR_OOM_TOP];
static u32 memattr_oom_nr_top;
static void memattr_oom_work_fn(struct work_struct *work);
static DECLARE_WORK(memattr_oom_work, memattr_oom_work_fn);

/* The sampler's fastest growers of this tick, for the next OOM report. */
void memattr_oom_top_publish(const struct memattr_oom_grower *top, u32 nr)
{
	raw_spin_lock(&memattr_oom_lock);
	memcpy(memattr_oom_top, top, nr * sizeof(*top));
	memattr_oom_nr_top = nr;
	raw_spin_unlock(&memattr_oom_lock);
}

/* @r's history: @p's latest samples, oldest first. Context: RCU. */
static void memattr_oom_history(struct memattr_oom_report *r,
				struct memattr_proc *p)
{
	u64 period_ms = memattr_params_sample_ms();
	unsigned int age, used;
	u64 last_ms;

	raw_spin_lock(&p->lock);
	last_ms = div_u64(p->sampled_ns, NSEC_PER_MSEC);
	used = min_t(unsigned int, memattr_hist_used(&p->hist, 0),
		     MEMATTR_OOM_HIST);
	for (age = 0; age < used; age++) {
		r->hist[used - 1 - age].t_ms =
			last_ms - min(last_ms, age * period_ms);
		r->hist[used - 1 - age].kb = memattr_hist_get(&p->hist, 0, age);
	}
	r->nr_hist = used;
	raw_spin_unlock(&p->lock);
}

/**
 * memattr_acct_oom_victim() - the OOM killer chose a victim
 * @victim: the thread it chose
 *
 * The victim's name, size and memory cgroup are read now, from the task,
 * its mm and its css, not from the last sample: a process can be killed
 * within a sampling period of its birth, of a rename or of its move to
 * another cgroup. The name is the thread's, as in the kernel's own "Killed
 * process" line.
 *
 * Context: atomic (mark_victim tracepoint), under rcu_read_lock(), with
 * @victim's task_lock() held by the OOM killer: its mm and name stay.
 */
void memattr_acct_oom_victim(struct task_struct *victim)
{
	struct memattr_oom_pending *q;
	struct memattr_oom_report *r;
	struct mem_cgroup *memcg;
	struct memattr_proc *p;
	struct memattr_fp fp;

	raw_spin_lock(&memattr_oom_lock);
	if (memattr_oom_nr == MEMATTR_OOM_PENDING) {
		raw_spin_unlock(&memattr_oom_lock);
		memattr_acct_count_oom_dropped();
		return;
	}
	q = &memattr_oom_queue[(memattr_oom_head + memattr_oom_nr) %
			       MEMATTR_OOM_PENDING];
	r = &q->report;
	memset(q, 0, sizeof(*q));
	r->time_ms = div_u64(ktime_get_ns(), NSEC_PER_MSEC);
	r->pid = victim->tgid;
	memcpy(r->comm, victim->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	p = memattr_acct_find(victim->tgid);
	if (p)
		memattr_oom_history(r, p);
	if (victim->mm) {
		memattr_fp_from_mm(victim->mm, &fp);
		r->rss_kb = fp.rss_kb;
	}
	memcg = mem_cgroup_from_task(victim);
	if (memcg)
		q->cgroup_id = cgroup_id(memcg->css.cgroup);
	memcpy(r->top, memattr_oom_top, sizeof(r->top));
	r->nr_top = memattr_oom_nr_top;
	memattr_oom_nr++;
	raw_spin_unlock(&memattr_oom_lock);
	schedule_work(&memattr_oom_work);	/* raw locks only, RT-safe */
}

/* A report being finished, and the OOM_KILL event that tells it. */
struct memattr_oom_done {
	struct memattr_oom_report report;
	struct memattr_event ev;
};

/* Finish every queued report. Context: process (a work item). */
static void memattr_oom_work_fn(struct work_struct *work)
{
	struct memattr_oom_done *d;
	u64 cgid;

	for (;;) {
		d = kzalloc(sizeof(*d), GFP_KERNEL);
		raw_spin_lock(&memattr_oom_lock);
		if (!memattr_oom_nr) {
			raw_spin_unlock(&memattr_oom_lock);
			kfree(d);
			return;
		}
		if (d) {
			d->report = memattr_oom_queue[memattr_oom_head].report;
			cgid = memattr_oom_queue[memattr_oom_head].cgroup_id;
		}
		memattr_oom_head = (memattr_oom_head + 1) % MEMATTR_OOM_PENDING;
		memattr_oom_nr--;
		raw_spin_unlock(&memattr_oom_lock);
		if (!d) {
			memattr_acct_count_oom_dropped();
			continue;
		}

		memattr_cgroup_path(cgid, d->report.cgroup,
				    sizeof(d->report.cgroup));
		memattr_oom_record(&d->report);
		d->ev.kind = MEMATTR_EV_OOM_KILL;
		d->ev.time_ms = d->report.time_ms;
		d->ev.oom = d->report.kill;
		memattr_events_emit(&d->ev);
		kfree(d);
	}
}

/**
 * memattr_oomkill_stop() - wait for the reports being finished
 *
 * ORDER: after the hooks are gone, so that nothing queues one again.
 */
void memattr_oomkill_stop(void)
{
	cancel_work_sync(&memattr_oom_work);
}
