// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr ps: the tracked processes as a table (MEMATTR_CMD_GET_PROC dump).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memattr.h"
#include "model.h"
#include "query.h"

struct ps_args {
	enum memattr_proc_key key;
	uint64_t count;		/* 0: all */
};

static int ps_parse(int argc, char **argv, void *data, FILE *err)
{
	struct ps_args *a = data;
	const char *val;
	int i, r;

	a->key = MEMATTR_SORT_RSS;
	for (i = 0; i < argc; i++) {
		r = query_opt(argc, argv, &i, 's', "sort", &val, "ps", err);
		if (r < 0)
			return r;
		if (r) {
			if (memattr_proc_key_parse(val, &a->key)) {
				fprintf(err,
					"memattr: ps: bad sort key '%s' (rss, anon, growth, allocs); try 'memattr ps help'\n",
					val);
				return -EINVAL;
			}
			continue;
		}
		r = query_opt(argc, argv, &i, 'n', "count", &val, "ps", err);
		if (r < 0)
			return r;
		if (r) {
			if (query_parse_u64(val, 1, 1000000000, &a->count)) {
				fprintf(err,
					"memattr: ps: bad count '%s' (a number from 1); try 'memattr ps help'\n",
					val);
				return -EINVAL;
			}
			continue;
		}
		fprintf(err,
			"memattr: ps: unexpected argument '%s'; try 'memattr ps help'\n",
			argv[i]);
		return -EINVAL;
	}
	return 0;
}

static int ps_run(struct memattr_ctx *ctx, const void *data)
{
	const struct ps_args *a = data;
	struct memattr_proc *procs;
	size_t nr, i;

	if (memattr_procs_dump(ctx, &procs, &nr))
		return MEMATTR_EXIT_FAIL;
	memattr_procs_sort(procs, nr, a->key);
	if (a->count && a->count < nr)
		nr = a->count;
	pr_arr_open(ctx->pr, NULL);
	for (i = 0; i < nr; i++)
		memattr_proc_print(ctx->pr, NULL, &procs[i], MEMATTR_PF_BRIEF);
	pr_arr_close(ctx->pr);
	free(procs);	/* a dump's rows have no history */
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_ps = {
	.name		= "ps",
	.args		= "[-s rss|anon|growth|allocs] [-n N]",
	.summary	= "the tracked processes, largest first",
	.help		= "List the processes the module tracks, sorted in descending order.\n"
			  "An unprivileged user sees only their own processes.\n"
			  "\n"
			  "  -s, --sort KEY   rss (default: resident set), anon (anonymous\n"
			  "                   memory), growth (footprint growth rate) or allocs\n"
			  "                   (pages allocated); ties go by pid\n"
			  "  -n, --count N    only the first N processes\n"
			  "\n"
			  "The text table shows PID, COMM, RSS_KB, ANON_KB, FILE_KB, SHMEM_KB,\n"
			  "SWAP_KB, PAGE_ALLOCS, GROWTH_KB_PER_HOUR, LEAK and CGROUP. With -j, an\n"
			  "array of objects with every field (sizes in KiB as of the last sample;\n"
			  "null when the module did not say):\n"
			  "  pid, comm, cgroup (memory cgroup path), rss_kb (VmRSS), anon_kb\n"
			  "  (RssAnon), file_kb (RssFile), shmem_kb (RssShmem), swap_kb (VmSwap),\n"
			  "  peak_rss_kb (VmHWM), vm_kb (VmSize), pgtables_kb (VmPTE),\n"
			  "  page_allocs, page_frees (pages allocated and freed in the process's\n"
			  "  context), mmap_calls, munmap_calls, brk_calls, mapped_kb (net KiB\n"
			  "  those calls mapped), growth_kb_per_hour (slope of the unreclaimable\n"
			  "  footprint), leak (\"ok\", \"suspect\" or \"leak\"), exhaust_s\n"
			  "  (seconds until the memory it draws on runs out at that growth: the\n"
			  "  system's available memory or its cgroups' memory.max, whichever\n"
			  "  first; null: never, not growing), mremap_calls,\n"
			  "  start_ms (start, CLOCK_MONOTONIC ms), cgroup_id, leak_since_ms (when\n"
			  "  the leak state began, CLOCK_MONOTONIC ms; null: never).",
	.parse		= ps_parse,
	.args_size	= sizeof(struct ps_args),
	.run		= ps_run,
};
