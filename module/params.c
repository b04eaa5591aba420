// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters, in /sys/module/memattr/parameters/.
 *
 * Every writable parameter validates its input: a bad value is refused with
 * -EINVAL and the old value stays. Readers use the accessors, which read the
 * value once (the parameter lock is not held on hot paths).
 */
#include <linux/moduleparam.h>
#include <linux/compiler.h>
#include <linux/sysfs.h>

#include "acct.h"
#include "params.h"
#include "parse.h"

struct memattr_u32_param {
	u32 val;
	u32 min;
	u32 max;
	void (*changed)(void);	/* told after a successful write, or NULL */
};

static int memattr_param_set_u32(const char *buf, const struct kernel_param *kp)
{
	struct memattr_u32_param *p = kp->arg;
	u32 val;
	int ret;

	ret = memattr_parse_u32_range(buf, p->min, p->max, &val);
	if (ret) {
		pr_warn("%s: expected an integer in [%u, %u]\n", kp->name,
			p->min, p->max);
		return ret;
	}
	WRITE_ONCE(p->val, val);
	if (p->changed)
		p->changed();
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
static struct memattr_u32_param sample_ms = {
	.val = MEMATTR_SAMPLE_MS_DEFAULT,
	.min = MEMATTR_SAMPLE_MS_MIN,
	.max = MEMATTR_SAMPLE_MS_MAX,
	.changed = memattr_acct_sample_ms_changed,
};
module_param_cb(sample_ms, &memattr_u32_param_ops, &sample_ms, 0644);
MODULE_PARM_DESC(sample_ms, "Footprint sampling period in ms (10-60000, default 1000)");

/*
 * max_procs: most processes tracked at once. Default 4096, range
 * 16..1048576. When full, exited processes are evicted first and new ones
 * are counted as dropped; a kernel allocation never fails because of it.
 * Writable at run time; lowering it does not evict live entries.
 */
static struct memattr_u32_param max_procs = {
	.val = MEMATTR_MAX_PROCS_DEFAULT,
	.min = MEMATTR_MAX_PROCS_MIN,
	.max = MEMATTR_MAX_PROCS_MAX,
};
module_param_cb(max_procs, &memattr_u32_param_ops, &max_procs, 0644);
MODULE_PARM_DESC(max_procs, "Most processes tracked at once (16-1048576, default 4096)");

/**
 * memattr_params_sample_ms() - current sampling period
 *
 * Return: the period in milliseconds.
 */
u32 memattr_params_sample_ms(void)
{
	return READ_ONCE(sample_ms.val);
}

/**
 * memattr_params_max_procs() - current limit of tracked processes
 *
 * Return: the limit.
 */
u32 memattr_params_max_procs(void)
{
	return READ_ONCE(max_procs.val);
}
