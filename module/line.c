// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lines of key=value fields: the form of the kernel log's event lines
 * (klog.c) and of the post-mortem report (report.c), as the UAPI header's
 * "Kernel log lines" section describes it. Pure formatting: nothing here
 * locks, sleeps, allocates or prints, so the panic path can build lines and
 * KUnit can test them.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "line.h"

static bool memattr_line_escaped(unsigned char c)
{
	return c < 0x21 || c > 0x7e || c == '\\' || c == '"' || c == '=';
}

/**
 * memattr_line_escape() - a string as one field value
 * @dst: where the escaped string goes, NUL-terminated
 * @size: room in @dst, its NUL included (0: nothing is written)
 * @src: the string; it ends at its first NUL or after @len bytes
 * @len: the most bytes of @src to read
 * @cut: set when @src did not fit whole, cleared otherwise
 *
 * Every byte outside 0x21..0x7e, and '\\', '"' and '=', becomes "\xHH"
 * (two lower-case hex digits); every other byte stays as it is. The result
 * holds no space, newline, '=' or quote, so it can neither end the field nor
 * start a line, and it is the same on every kernel. An escape is never
 * split: when room runs out, the string stops before it.
 *
 * Return: the length written, without the NUL.
 */
size_t memattr_line_escape(char *dst, size_t size, const char *src,
			   size_t len, bool *cut)
{
	size_t i, n = 0;

	*cut = false;
	if (!size)
		return 0;
	for (i = 0; i < len && src[i]; i++) {
		unsigned char c = src[i];

		if (!memattr_line_escaped(c)) {
			if (n + 1 >= size)
				break;
			dst[n++] = c;
			continue;
		}
		if (n + 4 >= size)
			break;
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex_asc_lo(c >> 4);
		dst[n++] = hex_asc_lo(c);
	}
	*cut = i < len && src[i];
	dst[n] = '\0';
	return n;
}

/**
 * memattr_line_add() - add fields to a line, whole or not at all
 * @l: the line
 * @fmt: printf format of the fields, " key=value" (a space first)
 *
 * A field that does not fit, with room left for MEMATTR_LINE_TRUNCATED,
 * marks the line full: nothing more is added to it.
 */
void memattr_line_add(struct memattr_line *l, const char *fmt, ...)
{
	size_t room = sizeof(MEMATTR_LINE_TRUNCATED);
	va_list args;
	int n;

	if (l->full || l->len + room >= l->size) {
		l->full = true;
		return;
	}
	va_start(args, fmt);
	n = vsnprintf(l->buf + l->len, l->size - room - l->len, fmt, args);
	va_end(args);
	if (n < 0 || l->len + n >= l->size - room) {
		l->buf[l->len] = '\0';
		l->full = true;
		return;
	}
	l->len += n;
}

/**
 * memattr_line_add_str() - add " key=value" for a string, escaped
 * @l: the line
 * @key: the field's name
 * @s: the string; it ends at its first NUL or after @len bytes
 * @len: the most bytes of @s to read
 */
void memattr_line_add_str(struct memattr_line *l, const char *key,
			  const char *s, size_t len)
{
	char esc[MEMATTR_LINE_STR_MAX];
	bool cut;

	memattr_line_escape(esc, sizeof(esc), s, len, &cut);
	l->cut |= cut;
	memattr_line_add(l, " %s=%s", key, esc);
}

/**
 * memattr_line_end() - finish a line
 * @l: the line
 *
 * A line with a string cut short, or a field left out for want of room,
 * ends with MEMATTR_LINE_TRUNCATED.
 *
 * Return: the line's length, without the NUL.
 */
size_t memattr_line_end(struct memattr_line *l)
{
	if (l->full || l->cut) {
		/* memattr_line_add() always left room for it. */
		strcpy(l->buf + l->len, MEMATTR_LINE_TRUNCATED);
		l->len += sizeof(MEMATTR_LINE_TRUNCATED) - 1;
	}
	return l->len;
}

/**
 * memattr_line_add_oom() - add an OOM report's fields to a line
 * @l: the line
 * @oom: the kill, as an event or a report tells it
 *
 * The fields of an event=oom_kill line after its time_ms, in that order.
 */
void memattr_line_add_oom(struct memattr_line *l,
			  const struct memattr_oom_kill *oom)
{
	u32 i;

	memattr_line_add(l, " pid=%d", oom->pid);
	memattr_line_add_str(l, "comm", oom->comm, sizeof(oom->comm));
	if (oom->cgroup[0])
		memattr_line_add_str(l, "cgroup", oom->cgroup,
				     sizeof(oom->cgroup));
	memattr_line_add(l, " rss_kb=%llu", oom->rss_kb);
	memattr_line_add(l, " top=%u", min_t(u32, oom->nr_top, MEMATTR_OOM_TOP));
	for (i = 0; i < oom->nr_top && i < MEMATTR_OOM_TOP; i++) {
		const struct memattr_oom_grower *g = &oom->top[i];
		char key[16];

		memattr_line_add(l, " top%u_pid=%d", i + 1, g->pid);
		snprintf(key, sizeof(key), "top%u_comm", i + 1);
		memattr_line_add_str(l, key, g->comm, sizeof(g->comm));
		memattr_line_add(l, " top%u_growth_kb_per_hour=%lld top%u_rss_kb=%llu",
				 i + 1, g->growth_kb_per_hour, i + 1,
				 g->rss_kb);
	}
}
