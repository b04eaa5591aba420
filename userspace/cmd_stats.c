// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr stats: the module's own statistics (MEMATTR_CMD_GET_STATS). The
 * parser and printer are in model.c.
 */
#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"

static int stats_run(struct memattr_ctx *ctx, const void *args)
{
	struct memattr_stats st;

	(void)args;
	if (memattr_stats_get(ctx, &st))
		return MEMATTR_EXIT_FAIL;
	memattr_stats_print(ctx->pr, &st);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_stats = {
	.name		= "stats",
	.args		= "",
	.summary	= "the module's own statistics",
	.help		= "Show the memattr module's own statistics. Needs the module loaded;\n"
			  "open to every user. Fields (JSON names; a field the module does not\n"
			  "send is left out):\n"
			  "  module_version      the module's version\n"
			  "  sample_ms           sampling period, ms\n"
			  "  own_mem_bytes       memory the module itself uses, bytes\n"
			  "  tracked_procs       processes tracked now\n"
			  "  max_procs           most processes tracked at once\n"
			  "  tracked_cgroups     memory cgroups tracked now\n"
			  "  procs_created       processes added to the table\n"
			  "  procs_removed       processes removed at exit\n"
			  "  procs_dropped       processes not tracked: the table was full\n"
			  "  procs_reaped        processes found gone by the sampler\n"
			  "  exited_total        processes seen exiting\n"
			  "  samples             sampler ticks\n"
			  "  sample_last_ns      cost of the last tick, ns\n"
			  "  sample_max_ns       cost of the costliest tick, ns\n"
			  "  irq_pages           pages allocated in interrupt context\n"
			  "  kthread_pages       pages allocated by kernel threads\n"
			  "  untracked_pages     pages allocated by untracked processes\n"
			  "  klog_lines          event lines printed to the kernel log\n"
			  "  klog_suppressed     event lines the rate limit kept out of it\n"
			  "  hooks               one row per hook: name, kind (tracepoint,\n"
			  "                      kprobe, ...), target (null: not attached),\n"
			  "                      hits, misses",
	.run		= stats_run,
};
