// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr cgroups: the memory cgroups (MEMATTR_CMD_GET_CGROUP dump).
 */
#include <stdlib.h>
#include <string.h>

#include "memattr.h"
#include "model.h"

static int cgroup_cmp(const void *pa, const void *pb)
{
	const struct memattr_cgroup *a = pa, *b = pb;

	return strcmp(a->path, b->path);
}

static int cgroups_run(struct memattr_ctx *ctx, const void *args)
{
	struct memattr_cgroup *cgs;
	size_t nr, i;

	(void)args;
	if (memattr_cgroups_dump(ctx, &cgs, &nr))
		return MEMATTR_EXIT_FAIL;
	if (nr > 1)
		qsort(cgs, nr, sizeof(*cgs), cgroup_cmp);
	pr_arr_open(ctx->pr, NULL);
	for (i = 0; i < nr; i++)
		memattr_cgroup_print(ctx->pr, NULL, &cgs[i], MEMATTR_PF_BRIEF);
	pr_arr_close(ctx->pr);
	free(cgs);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_cgroups = {
	.name		= "cgroups",
	.args		= "",
	.summary	= "the memory cgroups, by path",
	.help		= "List the memory cgroups (cgroup v2 memory controller) as of the last\n"
			  "sample, sorted by path. Open to every user.\n"
			  "\n"
			  "The text table shows PATH, NR_PROCS, USAGE_KB, ANON_KB, FILE_KB,\n"
			  "SHMEM_KB, KERNEL_KB, LIMIT_KB, GROWTH_KB_PER_HOUR, LEAK and EXHAUST_S\n"
			  "(\"-\" for none). With -j, an array of objects (sizes in KiB):\n"
			  "  id (cgroup id), path (\"/\" for the root), nr_procs (tracked\n"
			  "  processes in it), usage_kb (memory.current), anon_kb, file_kb (page\n"
			  "  cache, shmem included), shmem_kb, kernel_kb (usage neither anon nor\n"
			  "  file), limit_kb (memory.max; null when there is none),\n"
			  "  growth_kb_per_hour, leak (\"ok\", \"suspect\" or \"leak\"), exhaust_s\n"
			  "  (seconds until usage reaches the limit at this growth; null: never),\n"
			  "  procs_rss_kb, procs_anon_kb, procs_shmem_kb, procs_swap_kb,\n"
			  "  procs_page_allocs, procs_page_frees (sums over its tracked\n"
			  "  processes), leak_since_ms (when the leak state began,\n"
			  "  CLOCK_MONOTONIC ms; null: never).",
	.run		= cgroups_run,
};
