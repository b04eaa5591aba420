// SPDX-License-Identifier: GPL-2.0-only
/*
 * The post-mortem: a panic notifier that prints the report (report.c) to
 * the kernel log, and the same report on demand (debugfs `report`).
 *
 * Why a notifier is early enough: panic() stops the other CPUs, runs the
 * panic notifiers, prints panic_print's extra information, and only then
 * calls kmsg_dump(KMSG_DUMP_PANIC), where pstore/ramoops saves the log's
 * tail (kernel/panic.c of 5.10, 6.1 and 6.12 alike). So the report is in
 * the record, at its end, unless panic_print's task or memory dump (bits
 * 0x1, 0x2, ...) after it is longer than the record. panic_on_oom, a
 * hung-task or soft-lockup panic, an oops with panic_on_oops and sysrq-c
 * all end in panic().
 *
 * What the panic path may do. The other CPUs stopped wherever they were,
 * perhaps holding any lock: no mutex, no sleeping, no allocation, no lock
 * taken unconditionally. So the path reads no table. The sampler publishes,
 * at the end of each tick, a small snapshot of what the report needs (the
 * system row, the top processes and cgroups, their cgroup paths) under a
 * raw spinlock that is only ever held for that copy; the panic path takes
 * it with raw_spin_trylock() and, when a stopped CPU holds it, reads the
 * snapshot anyway and says so (torn=1): a torn number is better than no
 * report. The last OOM report is read from oom.c's ring without its lock,
 * the same way. Nothing here walks an RCU list: the process table's entries
 * are freed after a grace period, which a stopped CPU would never end, so
 * a walk would be safe from use-after-free, but each entry's lock could be
 * held by a stopped CPU and the walk is as long as the table; the
 * snapshot, at most one tick old, avoids both. The time comes from
 * ktime_get_mono_fast_ns(), which never waits for the timekeeper's seqcount
 * that a stopped CPU may hold. The text goes into a static buffer, then to
 * printk() line by line, which the panicking CPU may always call.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "oom.h"
#include "params.h"
#include "postmortem.h"

/*
 * The snapshot, written by the sampler (memattr_pm_publish()) and read by
 * the report's writers, all under memattr_pm_lock; the panic path reads it
 * without the lock when it cannot get it. Raw: held with interrupts off,
 * for a copy of a few KiB, never with another lock.
 */
static DEFINE_RAW_SPINLOCK(memattr_pm_lock);
static struct memattr_report_snap memattr_pm_snap;

/* The panic path's own storage: it allocates nothing. */
static struct memattr_oom_report memattr_pm_oom;
static char memattr_pm_buf[MEMATTR_REPORT_MAX];
static atomic_t memattr_pm_printed = ATOMIC_INIT(0);

/**
 * memattr_pm_publish() - make a tick's snapshot the one a report reads
 * @s: the snapshot; copied
 *
 * Context: the sampler (process context); never sleeps.
 */
void memattr_pm_publish(const struct memattr_report_snap *s)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&memattr_pm_lock, flags);
	memattr_pm_snap = *s;
	raw_spin_unlock_irqrestore(&memattr_pm_lock, flags);
}

/* Print @buf's lines, one printk each (pr_fmt adds "memattr: "). */
static void memattr_pm_print(const char *buf)
{
	while (*buf) {
		const char *nl = strchrnul(buf, '\n');

		pr_err("%.*s\n", (int)(nl - buf), buf);
		buf = *nl ? nl + 1 : nl;
	}
}

static int memattr_pm_panic(struct notifier_block *nb, unsigned long event,
			    void *msg)
{
	struct memattr_report_in in = {
		.reason = MEMATTR_REPORT_PANIC,
		.version = MEMATTR_VERSION,
		.snap = &memattr_pm_snap,
	};
	unsigned int lines;

	if (!memattr_params_panic_report())
		return NOTIFY_DONE;
	/* Once: a panic inside this notifier comes back to it. */
	if (atomic_xchg(&memattr_pm_printed, 1))
		return NOTIFY_DONE;
	in.now_ms = div_u64(ktime_get_mono_fast_ns(), NSEC_PER_MSEC);
	if (memattr_oom_last_panic(&memattr_pm_oom))
		in.oom = &memattr_pm_oom;
	if (raw_spin_trylock(&memattr_pm_lock)) {
		memattr_report_format(memattr_pm_buf, sizeof(memattr_pm_buf),
				      &in, &lines);
		raw_spin_unlock(&memattr_pm_lock);
	} else {
		/* A stopped CPU holds it: read the snapshot as it is. */
		in.torn = true;
		memattr_report_format(memattr_pm_buf, sizeof(memattr_pm_buf),
				      &in, &lines);
	}
	memattr_pm_print(memattr_pm_buf);
	return NOTIFY_DONE;
}

/*
 * Early among the panic notifiers: some (a hypervisor's, a board's) never
 * return, and the report must be in the log before kmsg_dump().
 */
static struct notifier_block memattr_pm_nb = {
	.notifier_call = memattr_pm_panic,
	.priority = 200,
};

/* The on-demand report's storage, allocated per read. */
struct memattr_pm_demand {
	struct memattr_report_snap snap;
	struct memattr_oom_report oom;
	char buf[MEMATTR_REPORT_MAX];
};

/**
 * memattr_pm_show() - the report, on demand, as a panic would print it
 * @m: where it goes: each line with the "memattr: " prefix, so that a
 *     reader of the kernel log's lines reads these the same way
 *
 * Context: process; may sleep.
 * Return: 0 or -ENOMEM.
 */
int memattr_pm_show(struct seq_file *m)
{
	struct memattr_report_in in = {
		.reason = MEMATTR_REPORT_ON_DEMAND,
		.version = MEMATTR_VERSION,
	};
	struct memattr_pm_demand *d;
	unsigned long flags;
	unsigned int lines;
	const char *p;

	d = kvmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	raw_spin_lock_irqsave(&memattr_pm_lock, flags);
	d->snap = memattr_pm_snap;
	raw_spin_unlock_irqrestore(&memattr_pm_lock, flags);
	in.snap = &d->snap;
	if (memattr_oom_last(&d->oom))
		in.oom = &d->oom;
	in.now_ms = div_u64(ktime_get_ns(), NSEC_PER_MSEC);
	memattr_report_format(d->buf, sizeof(d->buf), &in, &lines);
	for (p = d->buf; *p;) {
		const char *nl = strchrnul(p, '\n');

		seq_printf(m, KBUILD_MODNAME ": %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	kvfree(d);
	return 0;
}

/**
 * memattr_pm_init() - start with no snapshot; register the panic notifier
 *
 * ORDER: before the sampler's first tick (memattr_sampler_start()).
 * Return: 0.
 */
int memattr_pm_init(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&memattr_pm_lock, flags);
	memset(&memattr_pm_snap, 0, sizeof(memattr_pm_snap));
	raw_spin_unlock_irqrestore(&memattr_pm_lock, flags);
	atomic_set(&memattr_pm_printed, 0);
	return atomic_notifier_chain_register(&panic_notifier_list,
					      &memattr_pm_nb);
}

/**
 * memattr_pm_exit() - unregister the panic notifier
 *
 * atomic_notifier_chain_unregister() waits for a running notifier (an RCU
 * grace period) before the module's text and data go.
 */
void memattr_pm_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &memattr_pm_nb);
}
