// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr report: the post-mortem report a panic would print now, read
 * from debugfs (/sys/kernel/debug/memattr/report). Text: its kernel log
 * lines as they are. JSON: one object shaped like an entry of
 * `memattr last-boot -j`'s reports, parsed by the same code (lastboot.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lastboot.h"
#include "memattr.h"

#define REPORT_PATH	"/sys/kernel/debug/memattr/report"

static int report_json(struct memattr_ctx *ctx, const char *text, size_t len)
{
	struct lb lb;
	size_t i;

	lb_init(&lb);
	if (lb_src_add(&lb, REPORT_PATH) < 0) {
		lb_free(&lb);
		fprintf(ctx->err, "memattr: report: out of memory\n");
		return MEMATTR_EXIT_FAIL;
	}
	lb_feed(&lb, text, len);
	lb_src_end(&lb);
	lb_stream_end(&lb);
	lb_finish(&lb);
	if (lb.nomem || lb.nrep != 1) {
		fprintf(ctx->err, "memattr: report: %s holds %s\n", REPORT_PATH,
			lb.nomem ? "more than fits in memory" :
				   "no report this tool can read");
		lb_free(&lb);
		return MEMATTR_EXIT_FAIL;
	}
	pr_obj_open(ctx->pr, NULL);
	pr_bool(ctx->pr, "complete", lb.rep[0].complete);
	pr_arr_open(ctx->pr, "lines");
	for (i = 0; i < lb.rep[0].n; i++)
		lastboot_rec_json(ctx->pr, &lb.rep[0].line[i]);
	pr_arr_close(ctx->pr);
	pr_obj_close(ctx->pr);
	lb_free(&lb);
	return MEMATTR_EXIT_OK;
}

static int report_run(struct memattr_ctx *ctx, const void *args)
{
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int ret;
	FILE *f;

	(void)args;
	f = fopen(REPORT_PATH, "r");
	if (!f) {
		int err = errno;

		if (err == ENOENT)
			fprintf(ctx->err, "memattr: report: no %s: is the module loaded "
				"(modprobe memattr) and debugfs mounted "
				"(mount -t debugfs none /sys/kernel/debug)?\n",
				REPORT_PATH);
		else
			fprintf(ctx->err, "memattr: report: %s: %s%s\n", REPORT_PATH,
				strerror(err),
				err == EACCES || err == EPERM ? " (debugfs is root's)" : "");
		return MEMATTR_EXIT_FAIL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *t = realloc(text, cap + 16384);

			if (!t) {
				fclose(f);
				free(text);
				fprintf(ctx->err, "memattr: report: out of memory\n");
				return MEMATTR_EXIT_FAIL;
			}
			text = t;
			cap += 16384;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (!n)
			break;
	}
	if (ferror(f)) {
		fprintf(ctx->err, "memattr: report: reading %s: %s\n", REPORT_PATH,
			strerror(errno));
		fclose(f);
		free(text);
		return MEMATTR_EXIT_FAIL;
	}
	fclose(f);
	if (pr_is_json(ctx->pr)) {
		ret = report_json(ctx, text, len);
	} else {
		fwrite(text, 1, len, stdout);
		ret = MEMATTR_EXIT_OK;
	}
	free(text);
	return ret;
}

const struct memattr_command cmd_report = {
	.name		= "report",
	.args		= "",
	.summary	= "the post-mortem report a panic would print now",
	.help		= "Show the post-mortem report the module prints to the kernel log when\n"
			  "the kernel panics (unless its panic_report parameter is 0), as it\n"
			  "would be now: the system, the top processes by footprint and by\n"
			  "growth with their leak states, the top cgroups, the last OOM kill.\n"
			  "Reads " REPORT_PATH ": needs the module, debugfs\n"
			  "and root. Text: the kernel log lines (\"memattr: report=...\").\n"
			  "With -j, one object: complete (the end line was read), lines (one\n"
			  "object per line, every field as logged, values decoded; numbers are\n"
			  "JSON numbers), the same as an entry of 'memattr last-boot -j' reports.",
	.run		= report_run,
};
