// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr: per-process and per-memory-cgroup memory attribution.
 *
 * Module init and exit only. Each subsystem lives in its own file; init
 * brings them up in dependency order and unwinds in reverse on failure.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "acct.h"
#include "debugfs.h"
#include "detect.h"
#include "events.h"
#include "hooks.h"
#include "netlink.h"
#include "oom.h"
#include "oomkill.h"
#include "params.h"
#include "postmortem.h"
#include "profile.h"
#include "sampler.h"

static int __init memattr_init(void)
{
	int ret;

	/* ORDER: the tables and the event and OOM rings first. Then the
	 * outputs, debugfs and netlink, because everything after them may
	 * emit events, which go out through netlink: the hooks (OOM reports)
	 * and the sampler (leaks, watermarks). Then the hooks, then the
	 * adoption of running processes and the sampler (so nobody forks
	 * unseen between the two). A client that asks before the first
	 * sample, while insmod still runs, gets empty tables.
	 */
	/* A no-op until the sampler starts, and once it is stopping. */
	memattr_params_on_change(MEMATTR_PARAM_SAMPLE_MS,
				 memattr_sampler_sample_ms_changed);
	ret = memattr_acct_init();
	if (ret) {
		pr_warn("acct init failed (%d)\n", ret);
		goto err_acct;
	}
	ret = memattr_events_init();
	if (ret) {
		pr_warn("events init failed (%d)\n", ret);
		goto err_events;
	}
	ret = memattr_oom_init();
	if (ret) {
		pr_warn("oom init failed (%d)\n", ret);
		goto err_oom;
	}
	ret = memattr_pm_init();
	if (ret) {
		pr_warn("postmortem init failed (%d)\n", ret);
		goto err_pm;
	}
	memattr_profile_init();
	ret = memattr_debugfs_init();
	if (ret) {
		pr_warn("debugfs init failed (%d)\n", ret);
		goto err_debugfs;
	}
	ret = memattr_netlink_init();
	if (ret) {
		pr_warn("netlink init failed (%d)\n", ret);
		goto err_netlink;
	}
	ret = memattr_hooks_init();
	if (ret) {
		pr_warn("hooks init failed (%d)\n", ret);
		goto err_hooks;
	}
	ret = memattr_sampler_start();
	if (ret) {
		pr_warn("sampler start failed (%d)\n", ret);
		goto err_start;
	}
	pr_info("loaded\n");
	return 0;

err_start:
	memattr_hooks_exit();
err_hooks:
	memattr_netlink_exit();
err_netlink:
	memattr_debugfs_exit();
err_debugfs:
	memattr_profile_exit();
	memattr_pm_exit();
err_pm:
	memattr_oom_exit();
err_oom:
	memattr_events_exit();
err_events:
	memattr_oomkill_stop();
	memattr_acct_exit();
	memattr_detect_exit();
err_acct:
	return ret;
}

static void __exit memattr_exit(void)
{
	/* ORDER: whatever emits events first, the hooks (waits for running
	 * handlers) and the sampler; then the outputs; then the rings and
	 * the tables nobody can reach any more.
	 */
	memattr_hooks_exit();
	memattr_sampler_stop();
	/* ORDER: the hooks are gone, so nothing queues these again. */
	memattr_oomkill_stop();
	memattr_acct_stop();
	memattr_netlink_exit();
	memattr_debugfs_exit();
	/* ORDER: after the hooks and netlink, before the process table. */
	memattr_profile_exit();
	memattr_pm_exit();
	memattr_oom_exit();
	memattr_events_exit();
	memattr_acct_exit();
	memattr_detect_exit();
	pr_info("unloaded\n");
}

module_init(memattr_init);
module_exit(memattr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("memattr developers");
MODULE_DESCRIPTION("Per-process and per-memory-cgroup memory attribution");
MODULE_VERSION(MEMATTR_VERSION);
