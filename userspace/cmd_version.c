// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr version: this tool's version and the generic netlink family
 * version it speaks. Needs no kernel module.
 */
#include <linux/memattr.h>

#include "memattr.h"

static int version_run(struct memattr_ctx *ctx, const void *args)
{
	(void)args;
	pr_obj_open(ctx->pr, NULL);
	pr_str(ctx->pr, "version", memattr_version());
	pr_u64(ctx->pr, "genl_version", MEMATTR_GENL_VERSION);
	pr_obj_close(ctx->pr);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_version = {
	.name		= "version",
	.args		= "",
	.summary	= "this tool's version",
	.help		= "Show this tool's version and the version of the generic netlink\n"
			  "family \"" MEMATTR_GENL_NAME "\" it speaks. Needs no kernel module.",
	.run		= version_run,
};
