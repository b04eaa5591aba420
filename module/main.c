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
#include "hooks.h"
#include "netlink.h"

static int __init memattr_init(void)
{
	int ret;

	/* ORDER: tables, then the hooks that feed them, then the adoption of
	 * running processes and the sampler (so nobody forks unseen between
	 * the two), then the outputs: debugfs before netlink, so that every
	 * interface is complete by the time a client can reach the module.
	 */
	ret = memattr_acct_init();
	if (ret) {
		pr_warn("acct init failed (%d)\n", ret);
		goto err_acct;
	}
	ret = memattr_hooks_init();
	if (ret) {
		pr_warn("hooks init failed (%d)\n", ret);
		goto err_hooks;
	}
	ret = memattr_acct_start();
	if (ret) {
		pr_warn("sampler start failed (%d)\n", ret);
		goto err_start;
	}
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
	pr_info("loaded\n");
	return 0;

err_netlink:
	memattr_debugfs_exit();
err_debugfs:
	memattr_acct_stop();
err_start:
	memattr_hooks_exit();
err_hooks:
	memattr_acct_exit();
err_acct:
	return ret;
}

static void __exit memattr_exit(void)
{
	/* ORDER: outputs, hooks (waits for running handlers), sampler, then
	 * the tables nobody can reach any more.
	 */
	memattr_netlink_exit();
	memattr_debugfs_exit();
	memattr_hooks_exit();
	memattr_acct_stop();
	memattr_acct_exit();
	pr_info("unloaded\n");
}

module_init(memattr_init);
module_exit(memattr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("memattr developers");
MODULE_DESCRIPTION("Per-process and per-memory-cgroup memory attribution");
MODULE_VERSION(MEMATTR_VERSION);
