// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr leaks: processes and cgroups suspected of leaking or leaking
 * (MEMATTR_CMD_GET_LEAKS dump).
 */
#include <stdlib.h>

#include "memattr.h"
#include "model.h"

static int leaks_run(struct memattr_ctx *ctx, const void *args)
{
	struct memattr_leak *leaks;
	uint64_t now;
	size_t nr, i;

	(void)args;
	if (memattr_leaks_dump(ctx, &leaks, &nr))
		return MEMATTR_EXIT_FAIL;
	now = memattr_now_ms();
	if (!nr && !pr_is_json(ctx->pr)) {
		pr_str(ctx->pr, NULL, "no leaks or suspects");
		return MEMATTR_EXIT_OK;
	}
	pr_arr_open(ctx->pr, NULL);
	for (i = 0; i < nr; i++)
		memattr_leak_print(ctx->pr, NULL, &leaks[i], now);
	pr_arr_close(ctx->pr);
	free(leaks);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_leaks = {
	.name		= "leaks",
	.args		= "",
	.summary	= "processes and cgroups that leak or are suspected to",
	.help		= "List the processes and memory cgroups whose leak detector says\n"
			  "\"suspect\" or \"leak\": processes first, then cgroups. An unprivileged\n"
			  "user sees only their own processes (and every cgroup).\n"
			  "\n"
			  "With -j, an array of objects:\n"
			  "  kind (\"process\" or \"cgroup\"), pid and comm (processes), path\n"
			  "  (cgroups), growth_kb_per_hour, state (\"suspect\" or \"leak\"), since_s\n"
			  "  (seconds the state has lasted), exhaust_s (seconds until memory runs\n"
			  "  out at that growth: a process's available memory or cgroups'\n"
			  "  memory.max, a cgroup's own memory.max; null: never), cgroup (a\n"
			  "  process's cgroup path),\n"
			  "  cgroup_id, since_ms (when the state began, CLOCK_MONOTONIC ms).\n"
			  "Text: the same as a table, or \"no leaks or suspects\".",
	.run		= leaks_run,
};
