// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr stats: the module's own statistics (MEMATTR_CMD_GET_STATS).
 */
#include <errno.h>
#include <string.h>

#include <linux/memattr.h>

#include "memattr.h"

static const enum mnl_attr_data_type stats_policy[MEMATTR_A_STATS_MAX + 1] = {
	[MEMATTR_A_STATS_MODULE_VERSION]	= MNL_TYPE_NUL_STRING,
	[MEMATTR_A_STATS_SAMPLE_MS]		= MNL_TYPE_U32,
	[MEMATTR_A_STATS_OWN_MEM_BYTES]		= MNL_TYPE_U64,
};

int memattr_stats_parse(const void *buf, size_t len, struct memattr_stats *st)
{
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + 1];
	const struct nlattr *a;
	int err;

	memset(st, 0, sizeof(*st));
	err = nl_genl_parse(buf, len, MEMATTR_CMD_GET_STATS, stats_policy,
			    MEMATTR_A_STATS_MAX, tb);
	if (err)
		return err;
	a = tb[MEMATTR_A_STATS_MODULE_VERSION];
	if (a) {
		st->module_version = mnl_attr_get_str(a);
		st->present |= MEMATTR_BIT(MEMATTR_A_STATS_MODULE_VERSION);
	}
	a = tb[MEMATTR_A_STATS_SAMPLE_MS];
	if (a) {
		st->sample_ms = mnl_attr_get_u32(a);
		st->present |= MEMATTR_BIT(MEMATTR_A_STATS_SAMPLE_MS);
	}
	a = tb[MEMATTR_A_STATS_OWN_MEM_BYTES];
	if (a) {
		st->own_mem_bytes = mnl_attr_get_u64(a);
		st->present |= MEMATTR_BIT(MEMATTR_A_STATS_OWN_MEM_BYTES);
	}
	return 0;
}

/* Attributes the module did not send are left out, in text and JSON. */
void memattr_stats_print(struct pr *pr, const struct memattr_stats *st)
{
	pr_obj_open(pr, NULL);
	if (st->present & MEMATTR_BIT(MEMATTR_A_STATS_MODULE_VERSION))
		pr_str(pr, "module_version", st->module_version);
	if (st->present & MEMATTR_BIT(MEMATTR_A_STATS_SAMPLE_MS))
		pr_u64(pr, "sample_ms", st->sample_ms);
	if (st->present & MEMATTR_BIT(MEMATTR_A_STATS_OWN_MEM_BYTES))
		pr_u64(pr, "own_mem_bytes", st->own_mem_bytes);
	pr_obj_close(pr);
}

struct stats_reply {
	struct pr *pr;
	unsigned int n;
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *r = data;
	struct memattr_stats st;
	int err;

	err = memattr_stats_parse(nlh, nlh->nlmsg_len, &st);
	if (err)
		return err;
	if (r->n++)
		return -EPROTO;	/* a doit has one reply */
	memattr_stats_print(r->pr, &st);
	return 0;
}

static int stats_run(struct memattr_ctx *ctx, const void *args)
{
	struct stats_reply r = { .pr = ctx->pr };
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;

	(void)args;
	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	nlh = nl_msg_start(nl, MEMATTR_CMD_GET_STATS, 0);
	if (memattr_request(ctx, nlh, stats_cb, &r))
		return MEMATTR_EXIT_FAIL;
	if (!r.n) {
		fprintf(ctx->err, "memattr: stats: the kernel sent no reply\n");
		return MEMATTR_EXIT_FAIL;
	}
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_stats = {
	.name		= "stats",
	.args		= "",
	.summary	= "the module's own statistics",
	.help		= "Show the memattr module's own statistics: its version, the sampling\n"
			  "period in milliseconds and the memory the module itself uses, in\n"
			  "bytes. Needs the module loaded.",
	.run		= stats_run,
};
