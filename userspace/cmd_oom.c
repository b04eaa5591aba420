// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr oom: the last OOM kills the module saw (MEMATTR_CMD_GET_OOM
 * dump; CAP_NET_ADMIN).
 */
#include "memattr.h"
#include "model.h"
#include "query.h"

#define OOM_SPARK_WIDTH	32

/* Text: one block per report, its history as a sparkline. */
static void oom_print_text(struct pr *pr, const struct memattr_oom *o,
			   uint64_t now, bool utf8)
{
	char line[4 * OOM_SPARK_WIDTH + 1], ago[32];
	uint32_t lo, hi;
	size_t i;

	pr_obj_open(pr, NULL);
	pr_u64(pr, "pid", o->pid);
	pr_str(pr, "comm", o->comm);
	pr_str(pr, "cgroup", o->present & MEMATTR_BIT(MEMATTR_A_OOM_CGROUP_PATH) ?
		   o->cgroup : NULL);
	pr_u64(pr, "rss_kb", o->rss_kb);
	pr_u64(pr, "time_ms", o->time_ms);
	query_duration(now > o->time_ms ? now - o->time_ms : 0, ago,
		       sizeof(ago));
	pr_str(pr, "ago", ago);
	if (o->nr_history) {
		query_sparkline(o->history, o->nr_history, OOM_SPARK_WIDTH,
				utf8, line, sizeof(line), &lo, &hi);
		pr_str(pr, "history", line);
		pr_u64(pr, "history_min_kb", lo);
		pr_u64(pr, "history_max_kb", hi);
	}
	if (o->nr_top) {
		pr_arr_open(pr, "top_growers");
		for (i = 0; i < o->nr_top; i++) {
			pr_obj_open(pr, NULL);
			pr_u64(pr, "pid", o->top[i].pid);
			pr_str(pr, "comm", o->top[i].comm);
			pr_s64(pr, "growth_kb_per_hour",
			       o->top[i].growth_kb_per_hour);
			pr_u64(pr, "rss_kb", o->top[i].rss_kb);
			pr_obj_close(pr);
		}
		pr_arr_close(pr);
	}
	pr_obj_close(pr);
}

static int oom_run(struct memattr_ctx *ctx, const void *args)
{
	struct memattr_oom *ooms;
	uint64_t now = memattr_now_ms();
	bool utf8;
	size_t nr, i;

	(void)args;
	if (memattr_ooms_dump(ctx, &ooms, &nr))
		return MEMATTR_EXIT_FAIL;
	if (pr_is_json(ctx->pr)) {
		pr_arr_open(ctx->pr, NULL);
		for (i = 0; i < nr; i++)
			memattr_oom_print(ctx->pr, NULL, &ooms[i]);
		pr_arr_close(ctx->pr);
	} else if (!nr) {
		pr_str(ctx->pr, NULL, "no OOM kills seen");
	} else {
		utf8 = query_locale_utf8() && query_term_fancy(ctx->out);
		for (i = 0; i < nr; i++)
			oom_print_text(ctx->pr, &ooms[i], now, utf8);
	}
	memattr_ooms_free(ooms, nr);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_oom = {
	.name		= "oom",
	.args		= "",
	.summary	= "the last OOM kills, their victims and top growers",
	.help		= "Show the OOM kills the module saw (the last 8), oldest first: the\n"
			  "victim, its footprint history before the kill and the processes\n"
			  "growing fastest at that moment. Needs CAP_NET_ADMIN (the reports\n"
			  "name processes of every user).\n"
			  "\n"
			  "With -j, an array of objects:\n"
			  "  time_ms (when it was killed, CLOCK_MONOTONIC ms), pid, comm, cgroup\n"
			  "  (its memory cgroup path; null: unknown), rss_kb (at its last\n"
			  "  sample), history ([[t_ms, kb], ...], oldest first), top_growers\n"
			  "  (array of {pid, comm, growth_kb_per_hour, rss_kb}, fastest first).\n"
			  "Text: one block per kill, with how long ago, the history as a\n"
			  "sparkline and its range, and a table of the top growers.",
	.run		= oom_run,
};
