/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The OOM capture (oomkill.c): a report per OOM kill, from the mark_victim
 * hook, finished in process context into the reports ring (oom.c) and an
 * OOM_KILL event.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs.
 */
#ifndef _MEMATTR_OOMKILL_H
#define _MEMATTR_OOMKILL_H

#include <linux/sched.h>
#include <linux/types.h>

#include "oom.h"

void memattr_acct_oom_victim(struct task_struct *victim);
void memattr_oom_top_publish(const struct memattr_oom_grower *top, u32 nr);
void memattr_oomkill_stop(void);

#endif /* _MEMATTR_OOMKILL_H */
