// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel log: every event as one line of key=value fields after the
 * "memattr: " prefix (pr_fmt), so that pstore, a persistent journal or a
 * serial-console capture keeps what memattr knew across a reboot, and a
 * program can read it back. The format is the UAPI header's "Kernel log
 * lines" section.
 *
 * An output: memattr_events_emit() calls memattr_klog_event() with the event
 * it was given; nothing here reads a table. The lines are built with line.c;
 * the formatter is pure (KUnit tests it); only memattr_klog_event() prints,
 * rate-limited per kind of event.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/string.h>

#include <uapi/linux/memattr.h>

#include "klog.h"

static void memattr_klog_leak(struct memattr_line *l,
			      const struct memattr_event *ev)
{
	memattr_line_add(l, " entity=%s", memattr_event_entity_name(ev->entity) ?: "unknown");
	if (ev->entity == MEMATTR_ENTITY_PROCESS) {
		memattr_line_add(l, " pid=%d", ev->pid);
		memattr_line_add_str(l, "comm", ev->comm, sizeof(ev->comm));
	}
	if (ev->cgroup_id)
		memattr_line_add(l, " cgroup_id=%llu", ev->cgroup_id);
	if (ev->cgroup[0])
		memattr_line_add_str(l, "cgroup", ev->cgroup,
				     sizeof(ev->cgroup));
	memattr_line_add(l, " growth_kb_per_hour=%lld since_ms=%llu exhaust_s=%lld",
			 ev->growth_kb_per_hour, ev->since_ms, ev->exhaust_s);
}

/**
 * memattr_klog_format() - an event's kernel log line, without the prefix
 * @buf: where it goes, NUL-terminated, without a newline
 * @size: room in @buf; MEMATTR_LINE_MAX holds every event whole
 * @ev: the event
 *
 * "event=KIND time_ms=T" and then the kind's fields, as the UAPI header's
 * "Kernel log lines" section lists them. A string cut short, or a field
 * left out for want of room, adds " truncated=1" at the end.
 *
 * Return: the line's length, without the NUL; 0 when @size is too small
 * for the truncation mark or the event's kind is unknown (@buf is then
 * empty if @size allows).
 */
size_t memattr_klog_format(char *buf, size_t size,
			   const struct memattr_event *ev)
{
	struct memattr_line l = { .buf = buf, .size = size };
	const char *kind;

	if (size < sizeof(MEMATTR_LINE_TRUNCATED) + 1)
		return 0;
	buf[0] = '\0';
	kind = memattr_event_kind_name(ev->kind);
	if (!kind)
		return 0;
	/* The first field has no space before it. */
	memattr_line_add(&l, "event=%s time_ms=%llu", kind, ev->time_ms);
	switch (ev->kind) {
	case MEMATTR_EV_LEAK:
	case MEMATTR_EV_LEAK_CLEARED:
		memattr_klog_leak(&l, ev);
		break;
	case MEMATTR_EV_WATERMARK:
		memattr_line_add(&l, " direction=%s level=%u level_pct=%u used_pct=%u",
				 ev->up ? "up" : "down", ev->level,
				 ev->level_pct, ev->used_pct);
		break;
	case MEMATTR_EV_OOM_KILL:
		memattr_line_add_oom(&l, &ev->oom);
		break;
	}
	return memattr_line_end(&l);
}

/**
 * memattr_klog_level() - the log level of an event's line
 * @ev: the event
 *
 * LEAK and a watermark crossed upwards are warnings, a watermark crossed
 * downwards a notice, LEAK_CLEARED information, an OOM kill an error.
 *
 * Return: a LOGLEVEL_* value.
 */
int memattr_klog_level(const struct memattr_event *ev)
{
	switch (ev->kind) {
	case MEMATTR_EV_LEAK:
		return LOGLEVEL_WARNING;
	case MEMATTR_EV_WATERMARK:
		return ev->up ? LOGLEVEL_WARNING : LOGLEVEL_NOTICE;
	case MEMATTR_EV_OOM_KILL:
		return LOGLEVEL_ERR;
	}
	return LOGLEVEL_INFO;
}

/*
 * Each kind of event has its own budget: 10 lines per 5 s, so that a storm
 * of one kind neither floods the log nor silences the others. The ratelimit
 * prints nothing of its own (RATELIMIT_MSG_ON_RELEASE, and its state is never
 * released): the lines it refuses are counted in memattr_klog_nr_suppressed
 * (stats: klog_suppressed).
 */
#define MEMATTR_KLOG_INTERVAL	(5 * HZ)
#define MEMATTR_KLOG_BURST	10

static struct ratelimit_state memattr_klog_rs[MEMATTR_EV_OOM_KILL + 1] = {
	[MEMATTR_EV_LEAK] =
		RATELIMIT_STATE_INIT_FLAGS(memattr_klog_rs[MEMATTR_EV_LEAK],
					   MEMATTR_KLOG_INTERVAL,
					   MEMATTR_KLOG_BURST,
					   RATELIMIT_MSG_ON_RELEASE),
	[MEMATTR_EV_LEAK_CLEARED] =
		RATELIMIT_STATE_INIT_FLAGS(memattr_klog_rs[MEMATTR_EV_LEAK_CLEARED],
					   MEMATTR_KLOG_INTERVAL,
					   MEMATTR_KLOG_BURST,
					   RATELIMIT_MSG_ON_RELEASE),
	[MEMATTR_EV_WATERMARK] =
		RATELIMIT_STATE_INIT_FLAGS(memattr_klog_rs[MEMATTR_EV_WATERMARK],
					   MEMATTR_KLOG_INTERVAL,
					   MEMATTR_KLOG_BURST,
					   RATELIMIT_MSG_ON_RELEASE),
	[MEMATTR_EV_OOM_KILL] =
		RATELIMIT_STATE_INIT_FLAGS(memattr_klog_rs[MEMATTR_EV_OOM_KILL],
					   MEMATTR_KLOG_INTERVAL,
					   MEMATTR_KLOG_BURST,
					   RATELIMIT_MSG_ON_RELEASE),
};

static atomic64_t memattr_klog_nr_lines = ATOMIC64_INIT(0);
static atomic64_t memattr_klog_nr_suppressed = ATOMIC64_INIT(0);

/* Serialises the users of memattr_klog_buf. */
static DEFINE_MUTEX(memattr_klog_lock);
static char memattr_klog_buf[MEMATTR_LINE_MAX];

/**
 * memattr_klog_event() - print an event's line, within its kind's budget
 * @ev: the event
 *
 * Context: process, may sleep (takes a mutex); memattr_events_emit() calls
 * it when the log_events parameter is on.
 */
void memattr_klog_event(const struct memattr_event *ev)
{
	if (ev->kind < MEMATTR_EV_LEAK || ev->kind > MEMATTR_EV_OOM_KILL)
		return;
	if (!__ratelimit(&memattr_klog_rs[ev->kind])) {
		atomic64_inc(&memattr_klog_nr_suppressed);
		return;
	}
	mutex_lock(&memattr_klog_lock);
	if (memattr_klog_format(memattr_klog_buf, sizeof(memattr_klog_buf),
				ev)) {
		switch (memattr_klog_level(ev)) {
		case LOGLEVEL_ERR:
			pr_err("%s\n", memattr_klog_buf);
			break;
		case LOGLEVEL_WARNING:
			pr_warn("%s\n", memattr_klog_buf);
			break;
		case LOGLEVEL_NOTICE:
			pr_notice("%s\n", memattr_klog_buf);
			break;
		default:
			pr_info("%s\n", memattr_klog_buf);
			break;
		}
		atomic64_inc(&memattr_klog_nr_lines);
	}
	mutex_unlock(&memattr_klog_lock);
}

/**
 * memattr_klog_lines() - lines printed since the module was loaded
 *
 * Return: that count.
 */
u64 memattr_klog_lines(void)
{
	return atomic64_read(&memattr_klog_nr_lines);
}

/**
 * memattr_klog_suppressed() - lines the rate limit kept out of the log
 *
 * Return: that count, since the module was loaded.
 */
u64 memattr_klog_suppressed(void)
{
	return atomic64_read(&memattr_klog_nr_suppressed);
}
