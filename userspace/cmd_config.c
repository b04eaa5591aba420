// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr config [KEY=VALUE ...]: show the module's settings
 * (MEMATTR_CMD_GET_CONFIG) or change them (MEMATTR_CMD_SET_CONFIG,
 * CAP_NET_ADMIN).
 */
#include <errno.h>

#include "memattr.h"
#include "model.h"

struct config_args {
	struct memattr_config set;	/* present: the keys to set */
};

static int config_parse(int argc, char **argv, void *data, FILE *err)
{
	struct config_args *a = data;
	int i;

	for (i = 0; i < argc; i++)
		if (memattr_config_parse_kv(argv[i], &a->set, err))
			return -EINVAL;
	return 0;
}

static int config_run(struct memattr_ctx *ctx, const void *data)
{
	const struct config_args *a = data;
	struct memattr_config cfg;
	struct nlmsghdr *nlh;
	struct nl_ctx *nl;

	if (memattr_nl(ctx, &nl))
		return MEMATTR_EXIT_FAIL;
	if (a->set.present) {
		nlh = nl_msg_start(nl, MEMATTR_CMD_SET_CONFIG, 0);
		memattr_config_put(nlh, &a->set);
		if (memattr_request(ctx, nlh, NULL, NULL))
			return MEMATTR_EXIT_FAIL;
	}
	if (memattr_config_get(ctx, &cfg))
		return MEMATTR_EXIT_FAIL;
	memattr_config_print(ctx->pr, NULL, &cfg);
	return MEMATTR_EXIT_OK;
}

const struct memattr_command cmd_config = {
	.name		= "config",
	.args		= "[KEY=VALUE ...]",
	.summary	= "show or change the module's settings",
	.help		= "Without arguments, show the module's settings: the values of its\n"
			  "module parameters (/sys/module/memattr/parameters/). Open to every\n"
			  "user.\n"
			  "\n"
			  "With KEY=VALUE arguments, set them all at once (the module checks\n"
			  "every value before it applies any), then show the settings. Needs\n"
			  "CAP_NET_ADMIN. Keys and the values they take:\n"
			  "  sample_ms              sampling period, ms: 10..60000\n"
			  "  max_procs              most processes tracked at once: 16..1048576\n"
			  "  leak_window_s          leak detection window, s: 10..604800\n"
			  "  leak_min_kb_per_hour   slowest growth called a leak, KiB/h:\n"
			  "                         1..4194304\n"
			  "  watermarks             1 to 8 strictly increasing percentages of\n"
			  "                         MemTotal in [1, 99], comma separated\n"
			  "                         (e.g. 85,92,97)\n"
			  "  log_events             1: every event is also a line in the\n"
			  "                         kernel log; 0: none is. 0 or 1\n"
			  "An unknown key or a bad value exits 2 and changes nothing.\n"
			  "\n"
			  "With -j, an object: sample_ms, max_procs, leak_window_s,\n"
			  "leak_min_kb_per_hour, log_events (numbers) and watermarks (a\n"
			  "string).",
	.parse		= config_parse,
	.args_size	= sizeof(struct config_args),
	.run		= config_run,
};
