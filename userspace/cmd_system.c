// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr system: system memory as of the last sample
 * (MEMATTR_CMD_GET_SYSTEM).
 */
#include "memattr.h"
#include "model.h"

static int system_run(struct memattr_ctx *ctx, const void *args)
{
	struct memattr_system sys;

	(void)args;
	if (memattr_system_get(ctx, &sys))
		return MEMATTR_EXIT_FAIL;
	memattr_system_print(ctx->pr, NULL, &sys);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_system = {
	.name		= "system",
	.args		= "",
	.summary	= "system memory, its growth and watermark level",
	.help		= "Show system memory as of the module's last sample. Open to every\n"
			  "user. Fields (sizes in KiB):\n"
			  "  mem_total_kb, mem_free_kb, mem_available_kb (MemTotal, MemFree,\n"
			  "  MemAvailable of /proc/meminfo), used_pct ((total - available) /\n"
			  "  total, %), growth_kb_per_hour (of memory in use), exhaust_s\n"
			  "  (seconds until none is available at this growth; null: never),\n"
			  "  watermark_level (watermark levels crossed upwards; 0: none),\n"
			  "  sampled_ms (when, CLOCK_MONOTONIC ms).",
	.run		= system_run,
};
