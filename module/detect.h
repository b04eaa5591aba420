/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Detection, driven by the sampler once per tick: leak states of cgroups,
 * the system's trend and time to exhaustion, watermarks, and the queue of
 * events the tick produced (processes' leak transitions included), emitted
 * at the end of the tick with no lock held.
 *
 * Everything here runs in the sampler's context only (one work item, never
 * concurrent with itself); its state needs no other lock.
 */
#ifndef _MEMATTR_DETECT_H
#define _MEMATTR_DETECT_H

#include "acct.h"
#include "events.h"
#include "leak.h"

void memattr_detect_cfg(struct memattr_leak_cfg *cfg);
struct memattr_event *memattr_detect_event_slot(void);
void memattr_detect_cgroups(struct memattr_cgroup_row *cgs, u32 nr,
			    const struct memattr_leak_cfg *cfg, bool reset,
			    bool force, u64 now_ns, unsigned int periods);
void memattr_detect_system(struct memattr_system_row *sys,
			   const struct memattr_leak_cfg *cfg, bool reset,
			   bool force, u64 now_ns, unsigned int periods);
void memattr_detect_flush(const struct memattr_cgroup_row *cgs, u32 nr);
void memattr_detect_exit(void);

#endif /* _MEMATTR_DETECT_H */
