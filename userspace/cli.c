// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr(8): global options, command dispatch, and the netlink helpers
 * every command reports its errors through.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <linux/memattr.h>

#include "memattr.h"

/* the Makefile defines it from git describe or the VERSION file */
#ifndef MEMATTR_VERSION
#define MEMATTR_VERSION "0.1.0"
#endif

static const struct memattr_command *const cmds[] = {
	&cmd_stats,
	&cmd_ps,
	&cmd_show,
	&cmd_top,
	&cmd_cgroups,
	&cmd_leaks,
	&cmd_system,
	&cmd_oom,
	&cmd_config,
	&cmd_version,
	&cmd_watch,
	&cmd_export,
	&cmd_lastboot,
	&cmd_report,
	&cmd_profile,
};

const char *memattr_version(void)
{
	return MEMATTR_VERSION;
}

static const struct memattr_command *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

static void print_usage(FILE *f)
{
	size_t i, w = strlen("help");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (strlen(cmds[i]->name) > w)
			w = strlen(cmds[i]->name);
	fprintf(f,
		"Usage: memattr [OPTIONS] COMMAND [ARGS]\n"
		"       memattr COMMAND help\n"
		"\n"
		"Per-process and per-cgroup memory attribution, from the memattr\n"
		"kernel module over generic netlink.\n"
		"\n"
		"Options:\n"
		"  -j, --json     print JSON\n"
		"  -p, --pretty   print indented JSON (implies --json)\n"
		"  -H, --human    sizes in text output as KiB, MiB, GiB, TiB\n"
		"                 (rss 1.5MiB for rss_kb 1536); no effect on JSON\n"
		"  -V, --version  print the version and exit\n"
		"  -h, --help     print this help and exit\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-*s  %s\n", (int)w, cmds[i]->name,
			cmds[i]->summary);
	fprintf(f, "  %-*s  %s\n", (int)w, "help",
		"this help, or a command's: memattr help COMMAND");
	fprintf(f,
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static void cmd_usage(FILE *f, const struct memattr_command *cmd)
{
	fprintf(f, "Usage: memattr [OPTIONS] %s%s%s\n\n%s\n", cmd->name,
		*cmd->args ? " " : "", cmd->args,
		cmd->help ? cmd->help : cmd->summary);
}

static const struct option long_opts[] = {
	{ "json",	no_argument,	NULL,	'j' },
	{ "pretty",	no_argument,	NULL,	'p' },
	{ "human",	no_argument,	NULL,	'H' },
	{ "version",	no_argument,	NULL,	'V' },
	{ "help",	no_argument,	NULL,	'h' },
	{ NULL,		0,		NULL,	0 },
};

/*
 * Returns the index of the command word, or -1 when done, with the exit
 * status in *status.
 */
static int parse_opts(struct cli *cli, int argc, char **argv, int *status)
{
	int c;

	optind = 0;	/* glibc: start afresh, so this can run repeatedly */
	opterr = 0;
	/* '+': stop at the command; what follows is the command's */
	while ((c = getopt_long(argc, argv, "+jpHVh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->opts.json = true;
			break;
		case 'p':
			cli->opts.json = true;
			cli->opts.pretty = true;
			break;
		case 'H':
			cli->opts.human = true;
			break;
		case 'V':
			fprintf(cli->out, "memattr %s\n", memattr_version());
			*status = MEMATTR_EXIT_OK;
			return -1;
		case 'h':
			print_usage(cli->out);
			*status = MEMATTR_EXIT_OK;
			return -1;
		default:
			if (optind > 0 && !strncmp(argv[optind - 1], "--", 2))
				fprintf(cli->err,
					"memattr: invalid option '%s'; try 'memattr help'\n",
					argv[optind - 1]);
			else
				fprintf(cli->err,
					"memattr: invalid option '-%c'; try 'memattr help'\n",
					optopt);
			*status = MEMATTR_EXIT_USAGE;
			return -1;
		}
	}
	return optind;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

/* 'memattr help [COMMAND]' */
static int parse_help(struct cli *cli, int argc, char **argv)
{
	const struct memattr_command *cmd;

	if (argc == 0) {
		print_usage(cli->out);
		return MEMATTR_EXIT_OK;
	}
	cmd = cmd_find(argv[0]);
	if (!cmd) {
		fprintf(cli->err,
			"memattr: unknown command '%s'; try 'memattr help'\n",
			argv[0]);
		return MEMATTR_EXIT_USAGE;
	}
	if (argc > 1) {
		fprintf(cli->err,
			"memattr: help: unexpected argument '%s'; try 'memattr help'\n",
			argv[1]);
		return MEMATTR_EXIT_USAGE;
	}
	cmd_usage(cli->out, cmd);
	return MEMATTR_EXIT_OK;
}

int cli_parse(struct cli *cli, int argc, char **argv, FILE *out, FILE *err)
{
	const struct memattr_command *cmd;
	int status = MEMATTR_EXIT_USAGE, i;

	memset(cli, 0, sizeof(*cli));
	cli->out = out;
	cli->err = err;
	if (argc < 1)
		return MEMATTR_EXIT_USAGE;
	i = parse_opts(cli, argc, argv, &status);
	if (i < 0)
		return status;
	if (i >= argc) {
		fprintf(err, "memattr: missing command; try 'memattr help'\n");
		return MEMATTR_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help"))
		return parse_help(cli, argc - i - 1, argv + i + 1);
	cmd = cmd_find(argv[i]);
	if (!cmd) {
		fprintf(err,
			"memattr: unknown command '%s'; try 'memattr help'\n",
			argv[i]);
		return MEMATTR_EXIT_USAGE;
	}
	i++;
	if (i < argc && is_help(argv[i])) {
		cmd_usage(out, cmd);
		return MEMATTR_EXIT_OK;
	}
	if (!cmd->parse && i < argc) {
		fprintf(err,
			"memattr: %s: unexpected argument '%s'; try 'memattr %s help'\n",
			cmd->name, argv[i], cmd->name);
		return MEMATTR_EXIT_USAGE;
	}
	if (cmd->parse) {
		cli->args = calloc(1, cmd->args_size ? cmd->args_size : 1);
		if (!cli->args) {
			fprintf(err, "memattr: out of memory\n");
			return MEMATTR_EXIT_FAIL;
		}
		if (cmd->parse(argc - i, argv + i, cli->args, err))
			return MEMATTR_EXIT_USAGE;
	}
	cli->cmd = cmd;
	return CLI_RUN;
}

void cli_release(struct cli *cli)
{
	free(cli->args);
	cli->args = NULL;
}

int cli_run(struct cli *cli)
{
	struct memattr_ctx ctx = {
		.opts = &cli->opts,
		.cmd = cli->cmd->name,
		.out = cli->out,
		.err = cli->err,
	};
	unsigned int flags = 0;
	int ret, err;

	if (cli->opts.json)
		flags |= PR_JSON;
	if (cli->opts.pretty)
		flags |= PR_PRETTY;
	if (cli->opts.human)
		flags |= PR_HUMAN;
	ctx.pr = pr_new(cli->out, flags);
	if (!ctx.pr) {
		fprintf(cli->err, "memattr: out of memory\n");
		return MEMATTR_EXIT_FAIL;
	}
	ret = cli->cmd->run(&ctx, cli->args);
	err = pr_free(ctx.pr);
	if (err && ret == MEMATTR_EXIT_OK) {
		fprintf(cli->err, "memattr: %s: cannot print: %s\n", ctx.cmd,
			strerror(-err));
		ret = MEMATTR_EXIT_FAIL;
	}
	if (ctx.nl_ready)
		nl_close(&ctx.nl);
	return ret;
}

int memattr_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct cli cli;
	int ret;

	ret = cli_parse(&cli, argc, argv, out, err);
	if (ret == CLI_RUN)
		ret = cli_run(&cli);
	cli_release(&cli);
	return ret;
}

char **memattr_cmd_argv(const char *cmd, int argc, char **argv, FILE *err)
{
	char **av = calloc((size_t)argc + 2, sizeof(*av));

	if (!av) {
		fprintf(err, "memattr: out of memory\n");
		return NULL;
	}
	av[0] = (char *)cmd;
	memcpy(av + 1, argv, (size_t)argc * sizeof(*av));
	return av;
}

/* ---- netlink helpers for commands ---- */

int memattr_nl(struct memattr_ctx *ctx, struct nl_ctx **nl)
{
	int err;

	if (!ctx->nl_ready) {
		err = nl_open(&ctx->nl, MEMATTR_GENL_NAME);
		if (err == -ENOENT) {
			fprintf(ctx->err,
				"memattr: kernel module not loaded (generic netlink family \"%s\" not found); load it with: modprobe memattr\n",
				MEMATTR_GENL_NAME);
			return err;
		}
		if (err) {
			fprintf(ctx->err,
				"memattr: cannot reach the kernel over generic netlink: %s\n",
				strerror(-err));
			return err;
		}
		ctx->nl_ready = true;
	}
	*nl = &ctx->nl;
	return 0;
}

static void print_extack(FILE *f, const char *kind, const char *msg)
{
	size_t len = strlen(msg);

	fprintf(f, "%s: %s%s\n", kind, msg,
		len && msg[len - 1] == '.' ? "" : ".");
}

struct request_cb {
	nl_msg_cb_t cb;
	void *data;
	int err;	/* what cb returned, to tell it from the kernel's */
};

static int request_cb(const struct nlmsghdr *nlh, void *data)
{
	struct request_cb *rc = data;

	rc->err = rc->cb ? rc->cb(nlh, rc->data) : 0;
	return rc->err;
}

int memattr_request(struct memattr_ctx *ctx, struct nlmsghdr *nlh,
		    nl_msg_cb_t cb, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nl_family *family = &ctx->nl.family;
	struct request_cb rc = { cb, data, 0 };
	int err;
	size_t i;

	ctx->nl.extack[0] = '\0';
	/* the family lists its commands: spare a round trip if absent */
	for (i = 0; i < ARRAY_SIZE(family->ops); i++)
		if (family->ops[i])
			break;
	if (i < ARRAY_SIZE(family->ops) &&
	    !nl_family_has_op(family, genl->cmd)) {
		err = -EOPNOTSUPP;
		goto report;
	}
	err = nl_request(&ctx->nl, nlh, request_cb, &rc);
	if (!err) {
		if (ctx->nl.extack[0])
			print_extack(ctx->err, "Warning", ctx->nl.extack);
		return 0;
	}
	if (ctx->quiet_err && err == ctx->quiet_err)
		return err;
	if (rc.err) {
		fprintf(ctx->err,
			"memattr: %s: invalid reply from the kernel: %s\n",
			ctx->cmd, strerror(-err));
		return err;
	}
	if (ctx->nl.extack[0])
		print_extack(ctx->err, "Error", ctx->nl.extack);
report:
	if (err == -EPERM)
		fprintf(ctx->err,
			"memattr: permission denied: this needs CAP_NET_ADMIN\n");
	else if (err == -EOPNOTSUPP)
		fprintf(ctx->err,
			"memattr: %s: not supported by the loaded memattr module (older than this tool?)\n",
			ctx->cmd);
	else if (!ctx->nl.extack[0])
		fprintf(ctx->err, "memattr: %s: %s\n", ctx->cmd,
			strerror(-err));
	return err;
}
