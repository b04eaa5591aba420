// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events: every event goes into a bounded ring, which debugfs `events`
 * shows, out on the "events" generic netlink multicast group, which
 * netlink.c builds the message for, and, unless log_events is 0, into the
 * kernel log as one line (klog.c).
 *
 * The ring is allocated once, at init: recording an event only copies it.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "events.h"
#include "klog.h"
#include "mem.h"
#include "netlink.h"
#include "params.h"

/*
 * The ring of the last MEMATTR_EVENTS_MAX events. The pointer is set at init
 * and cleared at exit, when nobody emits; the slots, head and used are
 * under memattr_events_lock (never taken in IRQ context).
 */
static DEFINE_SPINLOCK(memattr_events_lock);
static struct memattr_event *memattr_events_ring;
static unsigned int memattr_events_head;	/* next slot to write */
static unsigned int memattr_events_used;

/**
 * memattr_events_emit() - record an event and multicast it
 * @ev: the event, every field the kind uses filled in, time_ms included;
 *	copied
 *
 * The oldest event makes room when the ring is full. The multicast reaches
 * only sockets that joined the "events" group; when none has, nothing is
 * built. The kernel log gets the event's line when the log_events
 * parameter is 1, within the rate limit of its kind.
 *
 * Context: process, may sleep: the netlink message is allocated with
 * GFP_KERNEL (the only allocation on this path). Not from the OOM killer's
 * own path: defer to a work item there. ORDER: between
 * memattr_events_init() and memattr_events_exit(), and after
 * memattr_netlink_init().
 */
void memattr_events_emit(const struct memattr_event *ev)
{
	might_sleep();
	spin_lock(&memattr_events_lock);
	if (memattr_events_ring) {
		memattr_events_ring[memattr_events_head] = *ev;
		memattr_events_head = (memattr_events_head + 1) %
				      MEMATTR_EVENTS_MAX;
		if (memattr_events_used < MEMATTR_EVENTS_MAX)
			memattr_events_used++;
	}
	spin_unlock(&memattr_events_lock);
	if (memattr_params_log_events())
		memattr_klog_event(ev);
	memattr_netlink_event(ev);
}

/**
 * memattr_events_snapshot() - a copy of the ring, oldest first
 * @evs: where the array goes; kvfree() it
 * @nr: where its length goes
 *
 * Context: process; may sleep.
 * Return: 0 or -ENOMEM.
 */
int memattr_events_snapshot(struct memattr_event **evs, u32 *nr)
{
	struct memattr_event *out;
	unsigned int i, n = 0, first;

	out = kvmalloc_array(MEMATTR_EVENTS_MAX, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	spin_lock(&memattr_events_lock);
	if (memattr_events_ring) {
		n = memattr_events_used;
		first = (memattr_events_head + MEMATTR_EVENTS_MAX - n) %
			MEMATTR_EVENTS_MAX;
		for (i = 0; i < n; i++)
			out[i] = memattr_events_ring[(first + i) %
						     MEMATTR_EVENTS_MAX];
	}
	spin_unlock(&memattr_events_lock);
	*evs = out;
	*nr = n;
	return 0;
}

/**
 * memattr_events_init() - allocate the ring
 *
 * Return: 0 or -ENOMEM.
 */
int memattr_events_init(void)
{
	struct memattr_event *ring;

	ring = kvcalloc(MEMATTR_EVENTS_MAX, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	memattr_mem_charge(MEMATTR_EVENTS_MAX * sizeof(*ring));
	spin_lock(&memattr_events_lock);
	memattr_events_ring = ring;
	memattr_events_head = 0;
	memattr_events_used = 0;
	spin_unlock(&memattr_events_lock);
	return 0;
}

/**
 * memattr_events_exit() - free the ring
 *
 * ORDER: after everything that emits has stopped.
 */
void memattr_events_exit(void)
{
	struct memattr_event *ring;

	spin_lock(&memattr_events_lock);
	ring = memattr_events_ring;
	memattr_events_ring = NULL;
	memattr_events_used = 0;
	spin_unlock(&memattr_events_lock);
	kvfree(ring);
	memattr_mem_uncharge(MEMATTR_EVENTS_MAX * sizeof(*ring));
}
