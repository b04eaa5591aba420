/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log: one line per event, "memattr: " then key=value fields, so
 * that what memattr knew survives in pstore, the journal or a serial capture.
 * The format is documented in the UAPI header ("Kernel log lines").
 */
#ifndef _MEMATTR_KLOG_H
#define _MEMATTR_KLOG_H

#include <linux/types.h>

#include "events.h"
#include "line.h"

size_t memattr_klog_format(char *buf, size_t size,
			   const struct memattr_event *ev);
int memattr_klog_level(const struct memattr_event *ev);
void memattr_klog_event(const struct memattr_event *ev);
u64 memattr_klog_lines(void);
u64 memattr_klog_suppressed(void);

#endif /* _MEMATTR_KLOG_H */
