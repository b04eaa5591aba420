// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes starting inputs for the fuzzers: well-formed netlink replies for
 * fuzz_parse and typical command lines for fuzz_args.
 *
 *   gen_seeds PARSE_DIR ARGS_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/memattr.h>
#include <linux/netlink.h>

#include "msgs.h"
#include "util.h"

static int put(const char *dir, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

static int put_msg(const char *dir, const char *name,
		   const struct nlmsghdr *nlh)
{
	return put(dir, name, nlh, nlh->nlmsg_len);
}

int main(int argc, char **argv)
{
#define ARGV(s)	{ s, sizeof(s) - 1 }	/* embedded NULs included */
	static const struct {
		const char *s;
		size_t len;
	} cmdlines[] = {
		ARGV("stats"), ARGV("-j\0stats"), ARGV("-p\0version"),
		ARGV("help\0stats"), ARGV("stats\0help"),
		ARGV("--json\0--pretty\0version"), ARGV("-V"), ARGV("bogus"),
		ARGV("--bogus"), ARGV("help"), ARGV("-jx"),
		ARGV("watch\0-n\0003\0-t\0005"), ARGV("watch\0--exec\0true"),
		ARGV("-j\0watch\0-n1\0--timeout=9\0x"),
		ARGV("export\0--prometheus\0-o\0f"), ARGV("export\0-o"),
		ARGV("ps\0-s\0anon\0-n\0003"), ARGV("ps\0--sort=growth"),
		ARGV("show\0001234"), ARGV("top\0-d\0000.5\0-n\0002"),
		ARGV("top\0--delay=1.25\0--iterations=1\0-s\0rss"),
		ARGV("cgroups"), ARGV("leaks"), ARGV("system"), ARGV("oom"),
		ARGV("config"), ARGV("config\0sample_ms=100\0watermarks=85,92"),
		ARGV("config\0max_procs=16\0leak_window_s=20"),
	};
	static const char *const log_seeds[] = {
		"Panic#1 Part1\n<4>[   12.345678] memattr: event=leak time_ms=12345"
		" entity=process pid=42 comm=a\\x20b growth_kb_per_hour=9 since_ms=1\n",
		"memattr: report=begin reason=panic time_ms=5\n"
		"memattr: report=proc pid=1 comm=x\nmemattr: report=end lines=3\n",
		"4,1,2,-;memattr: event=oom_kill time_ms=1 pid=2 comm=x\\x5cx41"
		" top=1 top1_pid=3 top1_comm=y\n",
		"{\"MESSAGE\":\"memattr: event=watermark time_ms=7 level=1\\u0020x\"}\n"
		"{\"MESSAGE\":[109,101,109,97,116,116,114,58,32]}\n",
	};
	struct msg_proc_args pa = {
		.pid = 42, .comm = "leaky", .cgroup = "/a", .rss_kb = 1000,
		.anon_kb = 900, .page_allocs = 5, .growth = 3600,
		.leak_state = 2, .history = true, .nr_points = 6,
	};
	static uint64_t buf[MSG_BUF_SIZE / 8];
	char name[32];
	size_t i;
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_seeds PARSE_DIR ARGS_DIR\n");
		return 2;
	}
	/* memattr last-boot's input: kernel log lines */
	for (i = 0; i < ARRAY_SIZE(log_seeds); i++) {
		snprintf(name, sizeof(name), "log-%zu", i);
		err |= put(argv[1], name, log_seeds[i], strlen(log_seeds[i]));
	}
	err |= put_msg(argv[1], "stats", msg_stats(buf, "0.1.0", 1000, 4096));
	err |= put_msg(argv[1], "stats-pad", msg_stats(buf, "1.0", 5, 1));
	err |= put_msg(argv[1], "ev-leak",
		       msg_ev_leak(buf, MEMATTR_EV_LEAK, 42, "leaker", 7,
				   "/a", 3600));
	err |= put_msg(argv[1], "ev-cgroup",
		       msg_ev_cgroup_leak(buf, 7, "/a/b", -1));
	err |= put_msg(argv[1], "ev-wm", msg_ev_watermark(buf, 1, 85, 1, 86));
	err |= put_msg(argv[1], "ev-oom", msg_ev_oom(buf, 1, "x", "/o", 3));
	err |= put_msg(argv[1], "family",
		       msg_family(buf, "memattr", 0x1c, 3, 7));
	err |= put_msg(argv[1], "ack", msg_ack(buf, 0, NULL, true));
	err |= put_msg(argv[1], "ack-extack",
		       msg_ack(buf, -EINVAL, "bad attribute", true));
	err |= put_msg(argv[1], "ack-echo",
		       msg_ack(buf, -EPERM, "denied", false));
	err |= put_msg(argv[1], "done", msg_done(buf, -ENOENT, "no such pid"));
	err |= put_msg(argv[1], "proc", msg_proc(buf, &pa));
	pa.history = false;
	pa.cgroup = NULL;
	err |= put_msg(argv[1], "proc-dump", msg_proc(buf, &pa));
	err |= put_msg(argv[1], "cgroup", msg_cgroup(buf, 5, "/a/b", 100, true));
	err |= put_msg(argv[1], "cgroup-root", msg_cgroup(buf, 1, "/", 9, false));
	err |= put_msg(argv[1], "system", msg_system(buf, 4000, 1000, 60));
	err |= put_msg(argv[1], "leak-proc",
		       msg_leak(buf, MEMATTR_ENTITY_PROCESS, 9, "x", 1, 5));
	err |= put_msg(argv[1], "leak-cgroup",
		       msg_leak(buf, MEMATTR_ENTITY_CGROUP, 0, "/c", 2, 5));
	err |= put_msg(argv[1], "oom", msg_oom(buf, 7, "hog", 16, 3));
	err |= put_msg(argv[1], "config", msg_config(buf, 1000, "85,92,97"));
	err |= put_msg(argv[1], "stats-full", msg_stats_full(buf, 3));
	for (i = 0; i < ARRAY_SIZE(cmdlines); i++) {
		snprintf(name, sizeof(name), "argv-%zu", i);
		err |= put(argv[2], name, cmdlines[i].s, cmdlines[i].len);
	}
	return err;
}
