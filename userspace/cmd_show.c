// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr show PID: one process and its footprint history
 * (MEMATTR_CMD_GET_PROC doit).
 */
#include <errno.h>
#include <string.h>

#include "memattr.h"
#include "model.h"
#include "query.h"

#define SHOW_SPARK_WIDTH	60

struct show_args {
	uint64_t pid;
};

static int show_parse(int argc, char **argv, void *data, FILE *err)
{
	struct show_args *a = data;

	if (argc < 1) {
		fprintf(err, "memattr: show: missing PID; try 'memattr show help'\n");
		return -EINVAL;
	}
	if (query_parse_u64(argv[0], 1, MEMATTR_PID_MAX, &a->pid)) {
		fprintf(err,
			"memattr: show: bad PID '%s' (a number from 1 to %d); try 'memattr show help'\n",
			argv[0], MEMATTR_PID_MAX);
		return -EINVAL;
	}
	if (argc > 1) {
		fprintf(err,
			"memattr: show: unexpected argument '%s'; try 'memattr show help'\n",
			argv[1]);
		return -EINVAL;
	}
	return 0;
}

/* Text: the history as a sparkline, its span and range. */
static void show_history_text(struct pr *pr, const struct memattr_proc *p,
			      bool utf8)
{
	char line[4 * SHOW_SPARK_WIDTH + 1], span[32];
	uint32_t lo, hi;

	if (!p->nr_history) {
		pr_str(pr, "history", "(none yet)");
		return;
	}
	query_sparkline(p->history, p->nr_history, SHOW_SPARK_WIDTH, utf8,
			line, sizeof(line), &lo, &hi);
	query_duration(p->history[p->nr_history - 1].t_ms -
		       p->history[0].t_ms, span, sizeof(span));
	pr_str(pr, "history", line);
	pr_str(pr, "history_span", span);
	pr_u64(pr, "history_min_kb", lo);
	pr_u64(pr, "history_max_kb", hi);
	pr_u64(pr, "history_points", p->nr_history);
}

static int show_run(struct memattr_ctx *ctx, const void *data)
{
	const struct show_args *a = data;
	struct memattr_proc p;
	struct nl_ctx *nl;
	int err;

	/* first, so that its -ENOENT (no module) is not taken for no pid */
	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	err = memattr_proc_get(ctx, (uint32_t)a->pid, &p);
	if (err == -ENOENT) {
		fprintf(ctx->err,
			"memattr: show: process %llu is not tracked (no such process, or not yours to see)\n",
			(unsigned long long)a->pid);
		return MEMATTR_EXIT_FAIL;
	}
	if (err)
		return MEMATTR_EXIT_FAIL;
	if (pr_is_json(ctx->pr)) {
		memattr_proc_print(ctx->pr, NULL, &p, MEMATTR_PF_HISTORY);
	} else {
		/* the fields as key/value lines, then the sparkline */
		memattr_proc_print(ctx->pr, NULL, &p, MEMATTR_PF_OPEN);
		show_history_text(ctx->pr, &p,
				  query_locale_utf8() && query_term_fancy(ctx->out));
		pr_obj_close(ctx->pr);
	}
	memattr_proc_free(&p);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_show = {
	.name		= "show",
	.args		= "PID",
	.summary	= "one process, with its footprint history",
	.help		= "Show one tracked process: every field 'memattr ps' has, and the\n"
			  "history of its unreclaimable footprint (anon + shmem + swap + page\n"
			  "tables; the floor over each slot, densest near now).\n"
			  "\n"
			  "Text: the fields, then the history as a sparkline (UTF-8 blocks on a\n"
			  "UTF-8 terminal, else the ASCII levels \" .:-=+*#%@\" from low to high),\n"
			  "the time it spans, its lowest and highest value in KiB and the number\n"
			  "of points.\n"
			  "With -j, one object with the fields of 'memattr -j ps' (see 'memattr\n"
			  "ps help') and \"history\": an array of [t_ms, kb] pairs, oldest first\n"
			  "(t_ms: the end of the point's slot, CLOCK_MONOTONIC ms; kb: KiB).\n"
			  "\n"
			  "Exits 1 when the process is not tracked (or, for an unprivileged\n"
			  "user, not theirs).",
	.parse		= show_parse,
	.args_size	= sizeof(struct show_args),
	.run		= show_run,
};
