/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lines of key=value fields, escaped: what the kernel log's event lines and
 * the post-mortem report are made of.
 */
#ifndef _MEMATTR_LINE_H
#define _MEMATTR_LINE_H

#include <linux/types.h>

#include "oom.h"

/*
 * A line's text after the "memattr: " prefix, its NUL included: with the
 * prefix it stays below the 992 bytes of a printk record's text on 5.10
 * (LOG_LINE_MAX; 1024 on 6.1 to 6.12). The longest event, an OOM kill with
 * every string all escapes and three growers, takes 925.
 */
#define MEMATTR_LINE_MAX	960
/* The most an escaped string field takes, its NUL included. */
#define MEMATTR_LINE_STR_MAX	256

/* What a field cut short (or left out for room) adds at the line's end. */
#define MEMATTR_LINE_TRUNCATED	" truncated=1"

/*
 * A line being built: @len bytes of @buf in use, always NUL-terminated. Set
 * @buf and @size, the rest zero, and NUL-terminate @buf before the first
 * field. The post-mortem report builds its lines with the same helpers.
 */
struct memattr_line {
	char *buf;
	size_t size;
	size_t len;
	bool full;	/* a field did not fit: no more are added */
	bool cut;	/* a string was cut short */
};

__printf(2, 3)
void memattr_line_add(struct memattr_line *l, const char *fmt, ...);
void memattr_line_add_str(struct memattr_line *l, const char *key,
			  const char *s, size_t len);
void memattr_line_add_oom(struct memattr_line *l,
			  const struct memattr_oom_kill *oom);
size_t memattr_line_end(struct memattr_line *l);
size_t memattr_line_escape(char *dst, size_t size, const char *src,
			   size_t len, bool *cut);

#endif /* _MEMATTR_LINE_H */
