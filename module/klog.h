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

/*
 * A line's text after the "memattr: " prefix, its NUL included: with the
 * prefix it stays below the 992 bytes of a printk record's text on 5.10
 * (LOG_LINE_MAX; 1024 on 6.1 to 6.12). The longest event, an OOM kill with
 * every string all escapes and three growers, takes 925.
 */
#define MEMATTR_KLOG_LINE_MAX	960
/* The most an escaped string field takes, its NUL included. */
#define MEMATTR_KLOG_STR_MAX	256

size_t memattr_klog_escape(char *dst, size_t size, const char *src,
			   size_t len, bool *cut);
size_t memattr_klog_format(char *buf, size_t size,
			   const struct memattr_event *ev);
int memattr_klog_level(const struct memattr_event *ev);
void memattr_klog_event(const struct memattr_event *ev);
u64 memattr_klog_lines(void);
u64 memattr_klog_suppressed(void);

#endif /* _MEMATTR_KLOG_H */
