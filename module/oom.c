// SPDX-License-Identifier: GPL-2.0-only
/*
 * OOM reports: the last MEMATTR_OOM_REPORTS of them, in a ring.
 *
 * Whoever observes an OOM kill builds the report and hands it to
 * memattr_oom_record(), which only copies it: nothing is allocated on the
 * way, as memory is exactly what is missing then. Readers (netlink GET_OOM)
 * take a copy of the whole ring with memattr_oom_snapshot().
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "oom.h"

/* The ring: every field under memattr_oom_lock. */
static DEFINE_SPINLOCK(memattr_oom_lock);
static struct memattr_oom_report memattr_oom_ring[MEMATTR_OOM_REPORTS];
static unsigned int memattr_oom_head;	/* next slot to write */
static unsigned int memattr_oom_used;

/**
 * memattr_oom_record() - keep an OOM report
 * @r: the report; copied
 *
 * The oldest report makes room when the ring is full.
 * Context: any; never sleeps and never allocates.
 */
void memattr_oom_record(const struct memattr_oom_report *r)
{
	unsigned long flags;

	spin_lock_irqsave(&memattr_oom_lock, flags);
	memattr_oom_ring[memattr_oom_head] = *r;
	memattr_oom_head = (memattr_oom_head + 1) % MEMATTR_OOM_REPORTS;
	if (memattr_oom_used < MEMATTR_OOM_REPORTS)
		memattr_oom_used++;
	spin_unlock_irqrestore(&memattr_oom_lock, flags);
}

/**
 * memattr_oom_snapshot() - a copy of the kept reports, oldest first
 * @reports: where the array goes; kvfree() it
 * @nr: where its length goes
 *
 * Context: process; may sleep.
 * Return: 0 or -ENOMEM.
 */
int memattr_oom_snapshot(struct memattr_oom_report **reports, u32 *nr)
{
	struct memattr_oom_report *out;
	unsigned int i, n, first;
	unsigned long flags;

	out = kvmalloc_array(MEMATTR_OOM_REPORTS, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	spin_lock_irqsave(&memattr_oom_lock, flags);
	n = memattr_oom_used;
	first = (memattr_oom_head + MEMATTR_OOM_REPORTS - n) %
		MEMATTR_OOM_REPORTS;
	for (i = 0; i < n; i++)
		out[i] = memattr_oom_ring[(first + i) % MEMATTR_OOM_REPORTS];
	spin_unlock_irqrestore(&memattr_oom_lock, flags);
	*reports = out;
	*nr = n;
	return 0;
}

/* Copy the newest report into @r; false when there is none. */
static bool memattr_oom_copy_last(struct memattr_oom_report *r)
{
	unsigned int used = READ_ONCE(memattr_oom_used);
	unsigned int head = READ_ONCE(memattr_oom_head) % MEMATTR_OOM_REPORTS;

	if (!used)
		return false;
	*r = memattr_oom_ring[(head + MEMATTR_OOM_REPORTS - 1) %
			      MEMATTR_OOM_REPORTS];
	return true;
}

/**
 * memattr_oom_last() - a copy of the newest report
 * @r: where it goes
 *
 * Context: any; never sleeps.
 * Return: true when there was a report.
 */
bool memattr_oom_last(struct memattr_oom_report *r)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&memattr_oom_lock, flags);
	any = memattr_oom_copy_last(r);
	spin_unlock_irqrestore(&memattr_oom_lock, flags);
	return any;
}

/**
 * memattr_oom_last_panic() - a copy of the newest report, without the lock
 * @r: where it goes
 *
 * For the panic path. The dying kernel's other CPUs are stopped wherever
 * they were, perhaps inside memattr_oom_record() with the lock held, so it
 * is not taken (and spin_trylock() is no answer on PREEMPT_RT, where it
 * takes the rtmutex's wait_lock). The newest slot is copied as it is found:
 * a report being written at that moment comes out torn, which a
 * post-mortem accepts.
 *
 * Context: any, the lock perhaps held by a stopped CPU.
 * Return: true when there was a report.
 */
bool memattr_oom_last_panic(struct memattr_oom_report *r)
{
	return memattr_oom_copy_last(r);
}

/**
 * memattr_oom_init() - start with no report
 *
 * Return: 0.
 */
int memattr_oom_init(void)
{
	memattr_oom_head = 0;
	memattr_oom_used = 0;
	return 0;
}

/**
 * memattr_oom_exit() - forget every report
 *
 * ORDER: after whatever records reports has stopped.
 */
void memattr_oom_exit(void)
{
	unsigned long flags;

	spin_lock_irqsave(&memattr_oom_lock, flags);
	memattr_oom_head = 0;
	memattr_oom_used = 0;
	spin_unlock_irqrestore(&memattr_oom_lock, flags);
}
