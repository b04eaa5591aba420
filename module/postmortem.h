/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The post-mortem: when the kernel panics, memattr prints a compact report
 * (report.h) to the kernel log before the kmsg dumpers (pstore) run; the
 * same report on demand through debugfs `report`.
 */
#ifndef _MEMATTR_POSTMORTEM_H
#define _MEMATTR_POSTMORTEM_H

#include <linux/seq_file.h>

#include "report.h"

int memattr_pm_init(void);
void memattr_pm_exit(void);
void memattr_pm_publish(const struct memattr_report_snap *s);
int memattr_pm_show(struct seq_file *m);

#endif /* _MEMATTR_POSTMORTEM_H */
