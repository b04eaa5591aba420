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
