// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leak detection's event paths, watermarks and OOM capture, end to end, in
 * accelerated time (detect.h): a leak's events on the ring and the
 * multicast group, its time to exhaustion, watermark hysteresis, and the
 * OOM kill report. The footprint shapes the detector must tell apart are
 * in shapes.c.
 */
#include "detect.h"

struct mt_mcast_want {
	uint32_t kind;
	pid_t pid;
};

static int mt_mcast_match(const struct nlmsghdr *nlh, void *arg)
{
	const struct mt_mcast_want *w = arg;
	const struct nlattr *tb[MEMATTR_A_EV_MAX + 1];

	return !genl_parse_msg(nlh, tb, MEMATTR_A_EV_MAX) &&
	       tb[MEMATTR_A_EV_KIND] && tb[MEMATTR_A_EV_PID] &&
	       genl_u32(tb[MEMATTR_A_EV_KIND]) == w->kind &&
	       (pid_t)genl_u32(tb[MEMATTR_A_EV_PID]) == w->pid;
}

/*
 * Listen on the "events" multicast group for up to @ms: did an event of
 * @kind about process @pid arrive? Return: 1 if so, else 0.
 */
static int mt_mcast_event(struct genl_sock *s, uint32_t kind, pid_t pid,
			  long long ms)
{
	struct mt_mcast_want w = { kind, pid };

	return genl_each_msg(s, MEMATTR_CMD_EVENT, ms, mt_mcast_match, &w);
}

static long mt_linear_1mib(long tick) { return 1024 + tick * 1024 / 10; }

/*
 * 1 MiB/s for 40 s: `leak` within 25 s, slope within 15 %, one event in the
 * ring and the same on the "events" multicast group.
 */
TEST_F_TIMEOUT(det, linear_leak_detected, 120)
{
	long long t0 = mt_now_ms(), t_leak = -1;
	struct mt_proc p = { 0 };
	static struct genl_sock s;
	uint32_t grp;
	pid_t pid;
	int st;

	ASSERT_EQ(0, genl_open(&s, MEMATTR_GENL_NAME, MEMATTR_GENL_MCGRP_EVENTS));
	grp = s.mcgrp;
	ASSERT_EQ(0, setsockopt(s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	pid = mt_spawn(mt_linear_1mib, 400);
	ASSERT_LT(0, pid);
	while (mt_now_ms() - t0 < 40000) {
		mt_sleep_ms(250);
		if (mt_proc_get(pid, &p))
			continue;
		if (!strcmp(p.leak, "leak")) {
			t_leak = mt_now_ms() - t0;
			break;
		}
	}
	TH_LOG("leak after %lld ms, growth %lld KiB/h (true %lld)", t_leak,
	       p.growth_kbh, RATE_KBH);
	EXPECT_LE(0, t_leak);
	EXPECT_GE(25000, t_leak);
	EXPECT_GE(RATE_KBH * 15 / 100, llabs(p.growth_kbh - RATE_KBH));
	mt_sleep_ms(300);
	EXPECT_EQ(1, mt_events("leak", pid));
	EXPECT_EQ(1, mt_mcast_event(&s, MEMATTR_EV_LEAK, pid, 2000));
	genl_close(&s);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

static long long mt_meminfo_kb(const char *field)
{
	return mt_proc_field("/proc/meminfo", field);
}

/* What the first LEAK event of a process carried. */
struct mt_leak_ev {
	pid_t pid;
	long long exhaust_s;	/* -2: no attribute */
	long long growth_kbh;
	long long usage_kb;	/* its cgroup's memory.current, read on arrival */
	const char *cg;
};

static long long mt_cg_kb(const char *cg, const char *file)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if (mt_read_file(path, val, sizeof(val)) <= 0)
		return -1;
	return strtoll(val, NULL, 10) / 1024;
}

static int mt_leak_ev_match(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_EV_MAX + 1];
	struct mt_leak_ev *w = arg;

	if (genl_parse_msg(nlh, tb, MEMATTR_A_EV_MAX) ||
	    !tb[MEMATTR_A_EV_KIND] || !tb[MEMATTR_A_EV_PID] ||
	    genl_u32(tb[MEMATTR_A_EV_KIND]) != MEMATTR_EV_LEAK ||
	    (pid_t)genl_u32(tb[MEMATTR_A_EV_PID]) != w->pid)
		return 0;
	w->usage_kb = mt_cg_kb(w->cg, "memory.current");
	w->exhaust_s = tb[MEMATTR_A_EV_EXHAUST_S] ?
		       (long long)genl_u64(tb[MEMATTR_A_EV_EXHAUST_S]) : -2;
	if (tb[MEMATTR_A_EV_GROWTH_KB_PER_HOUR])
		w->growth_kbh = (long long)genl_u64(tb[MEMATTR_A_EV_GROWTH_KB_PER_HOUR]);
	return 1;
}

/*
 * A number after "key": in JSON text (the first one after @from), or -2
 * when there is none, -1 for null.
 */
static long long mt_json_ll(const char *from, const char *key)
{
	char want[64];
	const char *v;

	snprintf(want, sizeof(want), "\"%s\":", key);
	v = strstr(from, want);
	if (!v)
		return -2;
	v += strlen(want);
	if (!strncmp(v, "null", 4))
		return -1;
	return strtoll(v, NULL, 10);
}

/* (limit - usage) / growth in seconds, the time the module should give. */
static long long mt_exhaust_want(long long limit_kb, long long usage_kb,
				 long long growth_kbh)
{
	return growth_kbh > 0 ? (limit_kb - usage_kb) * 3600 / growth_kbh : -1;
}

#define MT_TTE_LIMIT_KB	(128 * 1024LL)

/*
 * A 1 MiB/s leaker in a cgroup with a 128 MiB memory.max, far less than
 * the guest has available: its LEAK event, `memattr -j show` and `memattr
 * -j leaks` give a time to exhaustion of (limit - usage) / growth, within
 * 10 % (and within 25 % of it at the true rate).
 */
TEST_F_TIMEOUT(det, leak_time_to_exhaustion, 120)
{
	const char *cg = "/sys/fs/cgroup/mt_tte";
	struct mt_leak_ev ev = { .exhaust_s = -3, .cg = cg };
	long long want, got, growth, usage, avail;
	char cmd[64], pid_s[16], *e;
	static struct genl_sock s;
	static char out[64 << 10];
	pid_t pid;
	uint32_t grp;
	int st;

	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, mt_write_file("/sys/fs/cgroup/mt_tte/memory.max", "128M",
				   4));
	ASSERT_EQ(0, genl_open(&s, MEMATTR_GENL_NAME, MEMATTR_GENL_MCGRP_EVENTS));
	grp = s.mcgrp;
	ASSERT_EQ(0, setsockopt(s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		snprintf(pid_s, sizeof(pid_s), "%d", getpid());
		if (mt_write_file("/sys/fs/cgroup/mt_tte/cgroup.procs", pid_s,
				  strlen(pid_s)))
			_exit(30);
		mt_shaped(mt_linear_1mib, 600);	/* 60 s, 61 MiB at most */
	}
	ev.pid = pid;
	ASSERT_EQ(1, genl_each_msg(&s, MEMATTR_CMD_EVENT, 40000,
				   mt_leak_ev_match, &ev));
	genl_close(&s);
	avail = mt_meminfo_kb("MemAvailable");
	want = mt_exhaust_want(MT_TTE_LIMIT_KB, ev.usage_kb, ev.growth_kbh);
	TH_LOG("event: exhaust_s %lld, %lld KiB/h, usage %lld, avail %lld KiB: want %lld s",
	       ev.exhaust_s, ev.growth_kbh, ev.usage_kb, avail, want);
	/* The cgroup's room is what runs out first here. */
	ASSERT_LT(MT_TTE_LIMIT_KB - ev.usage_kb, avail);
	ASSERT_LT(0, want);
	EXPECT_GE(want / 10 + 2, llabs(ev.exhaust_s - want));
	EXPECT_GE(want / 4, llabs(ev.exhaust_s -
				   mt_exhaust_want(MT_TTE_LIMIT_KB, ev.usage_kb,
						   RATE_KBH)));

	snprintf(cmd, sizeof(cmd), "memattr -j show %d", pid);
	ASSERT_EQ(0, mt_run(cmd, out, sizeof(out)));
	usage = mt_cg_kb(cg, "memory.current");
	got = mt_json_ll(out, "exhaust_s");
	growth = mt_json_ll(out, "growth_kb_per_hour");
	want = mt_exhaust_want(MT_TTE_LIMIT_KB, usage, growth);
	TH_LOG("show: exhaust_s %lld, growth %lld KiB/h, usage %lld KiB: want %lld s",
	       got, growth, usage, want);
	ASSERT_LT(0, want);
	EXPECT_GE(want / 10 + 2, llabs(got - want));

	ASSERT_EQ(0, mt_run("memattr -j leaks", out, sizeof(out)));
	usage = mt_cg_kb(cg, "memory.current");
	snprintf(cmd, sizeof(cmd), "\"pid\":%d,", pid);
	e = strstr(out, cmd);
	ASSERT_NE(NULL, e) TH_LOG("leaks: %s", out);
	got = mt_json_ll(e, "exhaust_s");
	growth = mt_json_ll(e, "growth_kb_per_hour");
	want = mt_exhaust_want(MT_TTE_LIMIT_KB, usage, growth);
	TH_LOG("leaks: exhaust_s %lld, growth %lld KiB/h, usage %lld KiB: want %lld s",
	       got, growth, usage, want);
	ASSERT_LT(0, want);
	EXPECT_GE(want / 10 + 2, llabs(got - want));

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	mt_sleep_ms(300);
	EXPECT_EQ(0, rmdir(cg));
}

static int mt_used_pct(void)
{
	long long total = mt_meminfo_kb("MemTotal");
	long long avail = mt_meminfo_kb("MemAvailable");

	return (int)((total - avail) * 100 / total);
}

/*
 * Crossing a watermark sends exactly one event up, hovering +-1 % sends no
 * more, and falling back sends exactly one event down.
 */
TEST_F_TIMEOUT(det, watermark_hysteresis, 120)
{
	long long total = mt_meminfo_kb("MemTotal");
	char levels[32], *chunks[512];
	int used0, level, n = 0, i, ups, downs;
	size_t chunk = total * 1024 / 200;	/* 0.5 % of MemTotal */

	used0 = mt_used_pct();
	level = used0 + 15;
	ASSERT_GT(90, level);
	snprintf(levels, sizeof(levels), "%d,%d", level, level + 20);
	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/watermarks", levels,
				   strlen(levels)));
	mt_sleep_ms(500);
	/* Up to one point above the level. */
	while (mt_used_pct() < level + 1 && n < 512) {
		chunks[n] = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, chunks[n]);
		memset(chunks[n++], 1, chunk);
	}
	mt_sleep_ms(600);
	/* Hover: 1 % down and up again, five times. */
	for (i = 0; i < 5; i++) {
		munmap(chunks[--n], chunk);
		munmap(chunks[--n], chunk);
		mt_sleep_ms(400);
		chunks[n] = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(chunks[n++], 1, chunk);
		chunks[n] = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(chunks[n++], 1, chunk);
		mt_sleep_ms(400);
	}
	ups = mt_events_with("watermark", 0, "direction=up");
	while (n > 0)
		munmap(chunks[--n], chunk);
	mt_sleep_ms(600);
	downs = mt_events_with("watermark", 0, "direction=down");
	TH_LOG("levels %s (use was %d%%): %d up, %d down", levels, used0, ups,
	       downs);
	EXPECT_EQ(1, ups);
	EXPECT_EQ(1, downs);
}

/*
 * A child that moves itself into cgroup @cg (with a 32 MiB memory.max),
 * waits @wait_ms and touches 64 MiB: the OOM killer's. Return: its pid.
 */
static pid_t mt_oom_hog(const char *cg, int wait_ms)
{
	char path[128], pid[16];
	pid_t child;
	char *b;

	child = fork();
	if (child)
		return child;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (mt_write_file(path, pid, strlen(pid)))
		_exit(40);
	mt_sleep_ms(wait_ms);
	b = mmap(NULL, 64 * MiB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(b, 1, 64 * MiB);
	_exit(41);
}

/* An OOM kill in a 32 MiB cgroup is reported, victim named. */
TEST_F_TIMEOUT(det, oom_kill_reported, 120)
{
	const char *cg = "/sys/fs/cgroup/mt_oom";
	char pid[16];
	pid_t child;
	int st;

	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, mt_write_file("/sys/fs/cgroup/mt_oom/memory.max", "32M", 3));
	child = mt_oom_hog(cg, 500);	/* sampled in the cgroup first */
	ASSERT_LE(0, child);
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGKILL, WTERMSIG(st));
	mt_sleep_ms(500);
	EXPECT_EQ(1, mt_events("oom_kill", child));
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/oom", mt_buf, sizeof(mt_buf)));
	snprintf(pid, sizeof(pid), " %d ", child);
	EXPECT_NE(NULL, strstr(mt_buf, pid)) TH_LOG("oom:\n%s", mt_buf);
	EXPECT_NE(NULL, strstr(mt_buf, "/mt_oom"));
	EXPECT_EQ(0, rmdir(cg));
}

/*
 * The report is read at the kill, not from the last sample: with a 60 s
 * period the victim, forked and moved into its cgroup after the load's
 * one sample, is never sampled, yet the report names its cgroup and its
 * size at the kill (the 32 MiB limit, most of it its own).
 */
TEST_F_TIMEOUT(det, oom_report_is_read_at_the_kill, 120)
{
	const char *cg = "/sys/fs/cgroup/mt_oom_live";
	long long time_ms, rss_kb = -1;
	char comm[32], path[64] = "";
	pid_t child, rpid = 0;
	int n, st;

	ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=60000"));
	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, mt_write_file("/sys/fs/cgroup/mt_oom_live/memory.max",
				   "32M", 3));
	child = mt_oom_hog(cg, 0);
	ASSERT_LE(0, child);
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGKILL, WTERMSIG(st));
	mt_sleep_ms(500);
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/oom", mt_buf, sizeof(mt_buf)));
	TH_LOG("oom:\n%s", mt_buf);
	/* The header, then the report's first line. */
	n = sscanf(strchr(mt_buf, '\n') + 1, "%lld %d %31s %lld %63s",
		   &time_ms, &rpid, comm, &rss_kb, path);
	ASSERT_EQ(5, n);
	EXPECT_EQ(child, rpid);
	EXPECT_STREQ("/mt_oom_live", path);
	EXPECT_LE(16 * 1024, rss_kb);
	EXPECT_GE(40 * 1024, rss_kb);	/* its binary's pages, charged elsewhere */
	EXPECT_EQ(0, rmdir(cg));
}

TEST_HARNESS_MAIN
