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
 *   prom_driver down      the module could not be read (memattr_up 0)
 *   prom_driver fleet [N|all]
 *                         500 processes in 8 cgroups, 3 of them leaking
 *                         and small, exported with --processes N (default
 *                         the CLI's)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/memattr.h>

#include "memattr.h"
#include "model.h"
#include "msgs.h"

static uint64_t buf[MSG_BUF_SIZE / 8];

#define FLEET_PROCS	500
#define FLEET_CGROUPS	8

static int fleet(const char *n, struct memattr_stats *st)
{
	static struct memattr_proc procs[FLEET_PROCS];
	struct memattr_cgroup cgs[FLEET_CGROUPS] = {};
	struct memattr_config cfg;
	struct memattr_system sys;
	struct memattr_prom in = { .up = true, .last_success_s = 1764525600 };
	struct msg_proc_args pa = {};
	char comm[32], path[32];
	struct nlmsghdr *nlh;
	unsigned int i;
	int err = 0;

	in.max_procs = MEMATTR_PROM_PROCS;
	if (n && !strcmp(n, "all"))
		in.max_procs = MEMATTR_PROM_ALL;
	else if (n)
		in.max_procs = (unsigned int)atoi(n);
	for (i = 0; i < FLEET_PROCS && !err; i++) {
		snprintf(comm, sizeof(comm), "worker%u", i);
		snprintf(path, sizeof(path), "/svc%u", i % FLEET_CGROUPS);
		pa.pid = 1000 + i;
		pa.comm = comm;
		pa.cgroup = path;
		/* the 3 leakers are among the smallest: only the state picks them */
		pa.leak_state = MEMATTR_LEAK_OK;
		pa.growth = 0;
		pa.rss_kb = 4096 + 16 * i;
		pa.anon_kb = 2048 + 16 * i;
		if (i == 7 || i == 123 || i == 321) {
			pa.leak_state = i == 7 ? MEMATTR_LEAK_SUSPECT :
					MEMATTR_LEAK_LEAK;
			pa.growth = 40960 + i;
			pa.rss_kb = 100;
			pa.anon_kb = 50;
		}
		nlh = msg_proc(buf, &pa);
		err = memattr_proc_parse(nlh, nlh->nlmsg_len, &procs[i]);
	}
	for (i = 0; i < FLEET_CGROUPS && !err; i++) {
		snprintf(path, sizeof(path), i ? "/svc%u" : "/", i);
		nlh = msg_cgroup(buf, i + 1, path, 65536, i & 1);
		err = memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cgs[i]);
	}
	if (!err) {
		nlh = msg_system(buf, 1024 * 1024, 512 * 1024, 7200);
		err = memattr_system_parse(nlh, nlh->nlmsg_len, &sys);
	}
	if (!err) {
		nlh = msg_config(buf, 1000, "85,92,97");
		err = memattr_config_parse(nlh, nlh->nlmsg_len, &cfg);
	}
	if (err) {
		fprintf(stderr, "prom_driver: the 500 replies: %d\n", err);
		return 1;
	}
	in.stats = st;
	in.sys = &sys;
	in.cfg = &cfg;
	in.procs = procs;
	in.nr_procs = FLEET_PROCS;
	in.cgroups = cgs;
	in.nr_cgroups = FLEET_CGROUPS;
	err = memattr_prom_write(stdout, &in);
	for (i = 0; i < FLEET_PROCS; i++)
		memattr_proc_free(&procs[i]);
	return err ? 1 : 0;
}

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
	struct memattr_config cfg;
	struct memattr_proc procs[2] = {};
	struct memattr_cgroup cgs[2] = {};
	struct memattr_system sys;
	struct memattr_prom in = {};
	const char *mode = argc > 1 ? argv[1] : "canned";
	struct nlmsghdr *nlh;

	if (!strcmp(mode, "empty"))
		return memattr_prom_write(stdout, &in) ? 1 : 0;
	if (!strcmp(mode, "down")) {
		in.last_success_s = 1764525600;
		return memattr_prom_write(stdout, &in) ? 1 : 0;
	}
	if (!strcmp(mode, "fleet")) {
		nlh = msg_stats_full(buf, 2);
		parse_or_die(memattr_stats_parse(nlh, nlh->nlmsg_len, &st),
			     "stats");
		return fleet(argc > 2 ? argv[2] : NULL, &st);
	}
	if (!strcmp(mode, "hostile")) {
		pa.comm = "a\"b\\c\nd\x1b[2J\xff";
		pa.cgroup = "/x\\\"y\n";
	} else if (strcmp(mode, "canned")) {
		fprintf(stderr,
			"usage: prom_driver [canned|hostile|empty|down|fleet [N|all]]\n");
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
	nlh = msg_config(buf, 1000, "85,92,97");
	parse_or_die(memattr_config_parse(nlh, nlh->nlmsg_len, &cfg), "config");

	in.up = true;
	in.last_success_s = 1764525600;
	in.cfg = &cfg;
	in.max_procs = MEMATTR_PROM_PROCS;
	in.stats = &st;
	in.sys = &sys;
	in.procs = procs;
	in.nr_procs = 2;
	in.cgroups = cgs;
	in.nr_cgroups = 2;
	return memattr_prom_write(stdout, &in) ? 1 : 0;
}
