// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink family "memattr": the stable interface. The commands and
 * their attributes are documented in include/uapi/linux/memattr.h.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/memattr.h>

#include "mem.h"
#include "netlink.h"
#include "params.h"

static struct genl_family memattr_genl_family;

/* GET_STATS takes no attribute: an empty policy rejects every one. */
static const struct nla_policy memattr_get_stats_policy[1] = {};

static int memattr_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &memattr_genl_family, 0,
				MEMATTR_CMD_GET_STATS);
	if (!hdr)
		goto err_size;
	if (nla_put_string(msg, MEMATTR_A_STATS_MODULE_VERSION,
			   THIS_MODULE->version ?: "none") ||
	    nla_put_u32(msg, MEMATTR_A_STATS_SAMPLE_MS,
			memattr_params_sample_ms()) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_OWN_MEM_BYTES,
			      memattr_mem_bytes(), MEMATTR_A_STATS_PAD))
		goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops memattr_genl_ops[] = {
	{
		.cmd = MEMATTR_CMD_GET_STATS,
		.doit = memattr_nl_get_stats,
		.policy = memattr_get_stats_policy,
		.maxattr = ARRAY_SIZE(memattr_get_stats_policy) - 1,
	},
};

static const struct genl_multicast_group memattr_genl_mcgrps[] = {
	{ .name = MEMATTR_GENL_MCGRP_EVENTS, },
};

static struct genl_family memattr_genl_family __ro_after_init = {
	.name = MEMATTR_GENL_NAME,
	.version = MEMATTR_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = false,
	.ops = memattr_genl_ops,
	.n_ops = ARRAY_SIZE(memattr_genl_ops),
	.mcgrps = memattr_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(memattr_genl_mcgrps),
	MEMATTR_GENL_RESV_START_OP(MEMATTR_CMD_MAX + 1)
};

/**
 * memattr_netlink_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int __init memattr_netlink_init(void)
{
	return genl_register_family(&memattr_genl_family);
}

/**
 * memattr_netlink_exit() - unregister the family
 *
 * genl_unregister_family() waits for running handlers to finish.
 */
void memattr_netlink_exit(void)
{
	genl_unregister_family(&memattr_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(MEMATTR_GENL_NAME);
