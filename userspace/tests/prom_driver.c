// SPDX-License-Identifier: GPL-2.0-only
/*
 * Renders memattr export --prometheus from canned netlink replies (parsed
 * by the model's parsers, as the command does), for prom_check.sh to give
 * to promtool:
 *
 *   prom_driver canned    system, two processes, two cgroups, stats
 *   prom_driver hostile   label values with quotes, backslashes, newlines,
 *                         control characters and invalid UTF-8
 *   prom_driver empty     nothing but what needs no reply
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"
#include "msgs.h"

static uint64_t buf[MSG_BUF_SIZE / 8];

static void parse_or_die(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "prom_driver: %s: %d\n", what, err);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	struct msg_proc_args pa = {
		.pid = 4242, .comm = "leaker", .cgroup = "/mt leak",
		.rss_kb = 2048, .anon_kb = 1024, .page_allocs = 100,
		.growth = 3686400, .leak_state = MEMATTR_LEAK_LEAK,
	};
	static struct memattr_stats st;
	struct memattr_proc procs[2] = {};
	struct memattr_cgroup cgs[2] = {};
	struct memattr_system sys;
	struct memattr_prom in = {};
	const char *mode = argc > 1 ? argv[1] : "canned";
	struct nlmsghdr *nlh;

	if (!strcmp(mode, "empty"))
		return memattr_prom_write(stdout, &in) ? 1 : 0;
	if (!strcmp(mode, "hostile")) {
		pa.comm = "a\"b\\c\nd\x1b[2J\xff";
		pa.cgroup = "/x\\\"y\n";
	} else if (strcmp(mode, "canned")) {
		fprintf(stderr, "usage: prom_driver [canned|hostile|empty]\n");
		return 2;
	}
	nlh = msg_system(buf, 1024 * 1024, 512 * 1024, 7200);
	parse_or_die(memattr_system_parse(nlh, nlh->nlmsg_len, &sys), "system");
	nlh = msg_proc(buf, &pa);
	parse_or_die(memattr_proc_parse(nlh, nlh->nlmsg_len, &procs[0]),
		     "proc");
	pa.pid = 1;
	pa.comm = "init";
	pa.cgroup = "/";
	pa.growth = -12;
	pa.leak_state = MEMATTR_LEAK_OK;
	nlh = msg_proc(buf, &pa);
	parse_or_die(memattr_proc_parse(nlh, nlh->nlmsg_len, &procs[1]),
		     "proc");
	nlh = msg_cgroup(buf, 1, "/", 8192, false);
	parse_or_die(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cgs[0]),
		     "cgroup");
	nlh = msg_cgroup(buf, 77, !strcmp(mode, "hostile") ? "/q\"\\\n" :
			 "/mt leak", 4096, true);
	parse_or_die(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cgs[1]),
		     "cgroup");
	nlh = msg_stats_full(buf, 2);
	parse_or_die(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), "stats");

	in.stats = &st;
	in.sys = &sys;
	in.procs = procs;
	in.nr_procs = 2;
	in.cgroups = cgs;
	in.nr_cgroups = 2;
	in.has_oom_kills = true;
	in.oom_kills = 3;
	return memattr_prom_write(stdout, &in) ? 1 : 0;
}
