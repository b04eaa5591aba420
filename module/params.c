// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters, in /sys/module/memattr/parameters/, also settable over
 * netlink (SET_CONFIG) through memattr_params_set_*().
 *
 * Every writable parameter validates its input: a bad value is refused with
 * -EINVAL and the old value stays. Writers, through sysfs or netlink, hold
 * the module's parameter lock; readers use the accessors, which read the
 * value once and never take it (they run on hot paths).
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "params.h"
#include "parse.h"

struct memattr_u32_param {
	const char *name;
	u32 val;
	u32 min;
	u32 max;
	void (*changed)(void);	/* told after a successful write, or NULL */
};

static struct memattr_u32_param memattr_u32_params[MEMATTR_PARAM_NR] = {
	[MEMATTR_PARAM_SAMPLE_MS] = {
		.name = "sample_ms",
		.val = MEMATTR_SAMPLE_MS_DEFAULT,
		.min = MEMATTR_SAMPLE_MS_MIN,
		.max = MEMATTR_SAMPLE_MS_MAX,
	},
	[MEMATTR_PARAM_MAX_PROCS] = {
		.name = "max_procs",
		.val = MEMATTR_MAX_PROCS_DEFAULT,
		.min = MEMATTR_MAX_PROCS_MIN,
		.max = MEMATTR_MAX_PROCS_MAX,
	},
	[MEMATTR_PARAM_LEAK_WINDOW_S] = {
		.name = "leak_window_s",
		.val = MEMATTR_LEAK_WINDOW_S_DEFAULT,
		.min = MEMATTR_LEAK_WINDOW_S_MIN,
		.max = MEMATTR_LEAK_WINDOW_S_MAX,
	},
	[MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR] = {
		.name = "leak_min_kb_per_hour",
		.val = MEMATTR_LEAK_MIN_KBH_DEFAULT,
		.min = MEMATTR_LEAK_MIN_KBH_MIN,
		.max = MEMATTR_LEAK_MIN_KBH_MAX,
	},
	[MEMATTR_PARAM_LOG_EVENTS] = {
		.name = "log_events",
		.val = MEMATTR_LOG_EVENTS_DEFAULT,
		.min = MEMATTR_LOG_EVENTS_MIN,
		.max = MEMATTR_LOG_EVENTS_MAX,
	},
	[MEMATTR_PARAM_PANIC_REPORT] = {
		.name = "panic_report",
		.val = MEMATTR_PANIC_REPORT_DEFAULT,
		.min = MEMATTR_PANIC_REPORT_MIN,
		.max = MEMATTR_PANIC_REPORT_MAX,
	},
};

/**
 * memattr_params_on_change() - who to tell after a knob is written
 * @id: the knob
 * @changed: called after each successful write, under the parameter lock
 *
 * So that params, which everyone reads, calls nobody it was not told of:
 * the sampler is told of sample_ms this way (main.c sets it).
 * Context: process; takes the module's parameter lock.
 */
void memattr_params_on_change(enum memattr_param_id id, void (*changed)(void))
{
	kernel_param_lock(THIS_MODULE);
	memattr_u32_params[id].changed = changed;
	kernel_param_unlock(THIS_MODULE);
}

/* Store a validated value. Context: the parameter lock is held. */
static void memattr_param_store(struct memattr_u32_param *p, u32 val)
{
	WRITE_ONCE(p->val, val);
	if (p->changed)
		p->changed();
}

static int memattr_param_set_u32(const char *buf, const struct kernel_param *kp)
{
	struct memattr_u32_param *p = kp->arg;
	u32 val;
	int ret;

	ret = memattr_parse_u32_range(buf, p->min, p->max, &val);
	if (ret) {
		pr_warn("%s: expected an integer in [%u, %u]\n", p->name,
			p->min, p->max);
		return ret;
	}
	memattr_param_store(p, val);
	return 0;
}

static int memattr_param_get_u32(char *buf, const struct kernel_param *kp)
{
	const struct memattr_u32_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops memattr_u32_param_ops = {
	.set = memattr_param_set_u32,
	.get = memattr_param_get_u32,
};

/*
 * sample_ms: period of the footprint sampler, in milliseconds.
 * Default 1000, range 10..60000. Writable at run time; takes effect at once
 * and restarts every history (its time axis changed).
 */
module_param_cb(sample_ms, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_SAMPLE_MS], 0644);
MODULE_PARM_DESC(sample_ms, "Footprint sampling period in ms (10-60000, default 1000)");

/*
 * max_procs: most processes tracked at once. Default 4096, range
 * 16..1048576. When full, new processes are not tracked (counted as
 * dropped) until room frees up; a kernel allocation never fails because of
 * it. Writable at run time; lowering it does not evict live entries.
 */
module_param_cb(max_procs, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_MAX_PROCS], 0644);
MODULE_PARM_DESC(max_procs, "Most processes tracked at once (16-1048576, default 4096)");

/*
 * leak_window_s: the window over which growth is judged, in seconds.
 * Default 3600, range 10..604800 (7 days). Writable at run time.
 */
module_param_cb(leak_window_s, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_LEAK_WINDOW_S], 0644);
MODULE_PARM_DESC(leak_window_s, "Leak detection window in s (10-604800, default 3600)");

/*
 * leak_min_kb_per_hour: slowest growth called a leak, in KiB per hour.
 * Default 4096, range 1..4194304. Writable at run time.
 */
module_param_cb(leak_min_kb_per_hour, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR], 0644);
MODULE_PARM_DESC(leak_min_kb_per_hour, "Slowest growth called a leak, KiB/h (1-4194304, default 4096)");

/*
 * log_events: 1 prints every event (LEAK, LEAK_CLEARED, WATERMARK, OOM_KILL)
 * to the kernel log, one key=value line each, rate-limited per kind; 0 keeps
 * them out of it. Default 1, range 0..1 (nothing else, not even "Y").
 * Writable at run time; takes effect from the next event.
 */
module_param_cb(log_events, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_LOG_EVENTS], 0644);
MODULE_PARM_DESC(log_events, "Print events to the kernel log (0 or 1, default 1)");

/*
 * panic_report: 1 prints the post-mortem report (system, top processes and
 * cgroups, the last OOM report) to the kernel log when the kernel panics,
 * before pstore saves the log; 0 leaves it out. Default 1, range 0..1.
 * Writable at run time. debugfs `report` shows it on demand either way.
 */
module_param_cb(panic_report, &memattr_u32_param_ops,
		&memattr_u32_params[MEMATTR_PARAM_PANIC_REPORT], 0644);
MODULE_PARM_DESC(panic_report, "Print a post-mortem report on panic (0 or 1, default 1)");

/*
 * watermarks: levels of memory use, percent of MemTotal, that raise an event
 * when crossed: 1 to 8 strictly increasing integers in [1, 99], comma
 * separated. Default "85,92,97". Writable at run time.
 */
static DEFINE_SPINLOCK(memattr_wm_lock);	/* the two fields below */
static u8 memattr_wm_levels[MEMATTR_WATERMARKS_MAX] = { 85, 92, 97 };
static unsigned int memattr_wm_nr = 3;

/* Context: the parameter lock is held (serialises writers). */
static int memattr_wm_store(const char *buf)
{
	u8 levels[MEMATTR_WATERMARKS_MAX];
	unsigned int nr;
	int ret;

	ret = memattr_parse_watermarks(buf, levels, &nr);
	if (ret) {
		pr_warn("watermarks: expected 1-%d increasing percentages in [1, 99], e.g. \"85,92,97\"\n",
			MEMATTR_WATERMARKS_MAX);
		return ret;
	}
	spin_lock(&memattr_wm_lock);
	memcpy(memattr_wm_levels, levels, nr);
	memattr_wm_nr = nr;
	spin_unlock(&memattr_wm_lock);
	return 0;
}

static int memattr_param_set_wm(const char *buf, const struct kernel_param *kp)
{
	return memattr_wm_store(buf);
}

/**
 * memattr_params_watermarks() - the watermark levels
 * @levels: room for MEMATTR_WATERMARKS_MAX levels, ascending
 *
 * Return: how many there are.
 */
unsigned int memattr_params_watermarks(u8 *levels)
{
	unsigned int nr;

	spin_lock(&memattr_wm_lock);
	nr = memattr_wm_nr;
	memcpy(levels, memattr_wm_levels, nr);
	spin_unlock(&memattr_wm_lock);
	return nr;
}

static int memattr_param_get_wm(char *buf, const struct kernel_param *kp)
{
	u8 levels[MEMATTR_WATERMARKS_MAX];
	unsigned int i, nr;
	int len = 0;

	nr = memattr_params_watermarks(levels);
	for (i = 0; i < nr; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? "," : "", levels[i]);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops memattr_wm_param_ops = {
	.set = memattr_param_set_wm,
	.get = memattr_param_get_wm,
};

module_param_cb(watermarks, &memattr_wm_param_ops, NULL, 0644);
MODULE_PARM_DESC(watermarks, "Memory use levels (% of MemTotal) that raise events (default \"85,92,97\")");

/**
 * memattr_params_sample_ms() - current sampling period
 *
 * Return: the period in milliseconds.
 */
u32 memattr_params_sample_ms(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_SAMPLE_MS);
}

/**
 * memattr_params_max_procs() - current limit of tracked processes
 *
 * Return: the limit.
 */
u32 memattr_params_max_procs(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_MAX_PROCS);
}

/**
 * memattr_params_leak_window_s() - current leak detection window
 *
 * Return: the window in seconds.
 */
u32 memattr_params_leak_window_s(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_LEAK_WINDOW_S);
}

/**
 * memattr_params_leak_min_kb_per_hour() - slowest growth called a leak
 *
 * Return: the rate in KiB per hour.
 */
u32 memattr_params_leak_min_kb_per_hour(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR);
}

/**
 * memattr_params_panic_report() - is the report printed on panic?
 *
 * Return: true when it is.
 */
bool memattr_params_panic_report(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_PANIC_REPORT);
}

/**
 * memattr_params_log_events() - are events printed to the kernel log?
 *
 * Return: true when they are.
 */
bool memattr_params_log_events(void)
{
	return memattr_params_get_u32(MEMATTR_PARAM_LOG_EVENTS);
}

/**
 * memattr_params_name() - a u32 knob's name, as in sysfs
 * @id: the knob
 *
 * Return: the name.
 */
const char *memattr_params_name(enum memattr_param_id id)
{
	return memattr_u32_params[id].name;
}

/**
 * memattr_params_get_u32() - a u32 knob's value
 * @id: the knob
 *
 * Return: its value.
 */
u32 memattr_params_get_u32(enum memattr_param_id id)
{
	return READ_ONCE(memattr_u32_params[id].val);
}

/**
 * memattr_params_range() - the values a u32 knob accepts
 * @id: the knob
 * @min: where the smallest goes
 * @max: where the largest goes
 */
void memattr_params_range(enum memattr_param_id id, u32 *min, u32 *max)
{
	*min = memattr_u32_params[id].min;
	*max = memattr_u32_params[id].max;
}

/**
 * memattr_params_set_u32() - set a u32 knob, as a sysfs write would
 * @id: the knob
 * @val: the new value
 *
 * Context: process; takes the module's parameter lock.
 * Return: 0, or -EINVAL when @val is out of range (nothing changes).
 */
int memattr_params_set_u32(enum memattr_param_id id, u32 val)
{
	struct memattr_u32_param *p = &memattr_u32_params[id];

	if (val < p->min || val > p->max)
		return -EINVAL;
	kernel_param_lock(THIS_MODULE);
	memattr_param_store(p, val);
	kernel_param_unlock(THIS_MODULE);
	return 0;
}

/**
 * memattr_params_set_watermarks() - set the watermark levels
 * @buf: levels as text, e.g. "30,50,70"
 *
 * Context: process; takes the module's parameter lock.
 * Return: 0, or -EINVAL for a bad list (nothing changes).
 */
int memattr_params_set_watermarks(const char *buf)
{
	int ret;

	kernel_param_lock(THIS_MODULE);
	ret = memattr_wm_store(buf);
	kernel_param_unlock(THIS_MODULE);
	return ret;
}
