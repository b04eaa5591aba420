// SPDX-License-Identifier: GPL-2.0-only
/*
 * Leak detection, watermarks and OOM capture, end to end, in accelerated
 * time: sample_ms=100, leak_window_s=20, leak_min_kb_per_hour=36000.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define RATE_KBH	(1024LL * 3600)	/* 1 MiB/s */

static long long mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * How many events of @kind (its name as debugfs `events` prints it) about
 * @pid (0: any) carrying the token @extra (NULL: any) are there?
 * Return: that many, or -1 when the file cannot be read.
 */
static int mt_events_with(const char *kind, pid_t pid, const char *extra)
{
	char *line, *save, tok[64], want[32];
	int n = 0;

	snprintf(want, sizeof(want), "pid=%d", pid);
	if (mt_read_file(MEMATTR_DEBUGFS "/events", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok_r(mt_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int kind_ok = 0, pid_ok = !pid, extra_ok = !extra, off = 0, len;

		while (sscanf(line + off, "%63s%n", tok, &len) == 1) {
			off += len;
			kind_ok |= !strcmp(tok, kind);
			pid_ok |= pid && !strcmp(tok, want);
			extra_ok |= extra && !strcmp(tok, extra);
		}
		n += kind_ok && pid_ok && extra_ok;
	}
	return n;
}

static int mt_events(const char *kind, pid_t pid)
{
	return mt_events_with(kind, pid, NULL);
}

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

/* A process that grows and frees as its @script says, every 100 ms. */
typedef long (*mt_shape)(long tick);	/* KiB wanted at tick */

static void mt_shaped(mt_shape shape, long ticks)
{
	char *chunks[4096] = { 0 };
	long have = 0, want, tick;

	for (tick = 0; tick < ticks; tick++) {
		want = shape(tick) / 64;	/* in 64 KiB chunks */
		while (have < want && have < 4096) {
			chunks[have] = mmap(NULL, 64 << 10,
					    PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (chunks[have] == MAP_FAILED)
				_exit(20);
			memset(chunks[have++], 0x42, 64 << 10);
		}
		while (have > want)
			munmap(chunks[--have], 64 << 10);
		mt_sleep_ms(100);
	}
	_exit(0);
}

static long mt_linear_1mib(long tick) { return 1024 + tick * 1024 / 10; }
static long mt_sawtooth(long tick) { return 1024 + (tick % 40) * 64 * 1024 / 40; }
static long mt_grow15_flat(long tick)
{
	if (tick < 100)		/* 10 s idle, */
		return 1024;
	if (tick < 250)		/* 15 s at 1 MiB/s, */
		return 1024 + (tick - 100) * 1024 / 10;
	return 1024 + 150 * 1024 / 10;	/* then flat */
}

FIXTURE(det) {
	int unused;
};

FIXTURE_SETUP(det)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000"));
}

FIXTURE_TEARDOWN(det)
{
	EXPECT_EQ(0, mt_module_unload());
}

static pid_t mt_spawn(mt_shape shape, long ticks)
{
	pid_t pid = fork();

	if (!pid)
		mt_shaped(shape, ticks);
	return pid;
}

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

/* Writes @mib MiB of @byte to a new file at @path. Return: 0, or -1. */
static int mt_fill_file(const char *path, int mib, int byte)
{
	char *buf = malloc(MiB);
	int fd, i, ret = 0;

	if (!buf)
		return -1;
	memset(buf, byte, MiB);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		ret = -1;
	for (i = 0; !ret && i < mib; i++)
		if (write(fd, buf, MiB) != (ssize_t)MiB)
			ret = -1;
	if (fd >= 0 && close(fd))
		ret = -1;
	free(buf);
	return ret;
}

/* Reads a 64 MiB file over and over, never returns. */
static void mt_file_reader(char *buf)
{
	int fd;

	for (;;) {
		fd = open("/tmp/mt_file", O_RDONLY);
		while (read(fd, buf, MiB) > 0)
			;
		close(fd);
	}
}

/*
 * Two shapes that must never be called a leak, side by side for 60 s (one
 * minute of the lane's time, not two): a GC sawtooth (0 -> 64 MiB in 4 s,
 * free, repeat) and a reader of a 64 MiB file (page cache is no leak).
 */
TEST_F_TIMEOUT(det, sawtooth_and_file_reader_never_leak, 120)
{
	long long t0, worst[2] = { 0, 0 };
	int i, st, seen_leak[2] = { 0, 0 };
	struct mt_proc p;
	pid_t pid[2];
	char *buf;

	ASSERT_EQ(0, mt_fill_file("/tmp/mt_file", 64, 0x11));
	buf = malloc(MiB);	/* the reader's */
	ASSERT_NE(NULL, buf);
	pid[0] = mt_spawn(mt_sawtooth, 600);
	ASSERT_LT(0, pid[0]);
	pid[1] = fork();
	ASSERT_LE(0, pid[1]);
	if (!pid[1])
		mt_file_reader(buf);
	t0 = mt_now_ms();
	while (mt_now_ms() - t0 < 60000) {
		mt_sleep_ms(250);
		for (i = 0; i < 2; i++) {
			if (mt_proc_get(pid[i], &p))
				continue;
			seen_leak[i] |= !strcmp(p.leak, "leak");
			if (llabs(p.growth_kbh) > worst[i])
				worst[i] = llabs(p.growth_kbh);
		}
	}
	TH_LOG("largest |growth|: sawtooth %lld KiB/h, file reader %lld KiB/h",
	       worst[0], worst[1]);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, seen_leak[i]) TH_LOG("%s", i ? "file reader" : "sawtooth");
		EXPECT_EQ(0, mt_events("leak", pid[i]));
		kill(pid[i], SIGKILL);
		waitpid(pid[i], &st, 0);
	}
	unlink("/tmp/mt_file");
	free(buf);
}

/* Growth that stops: LEAK_CLEARED within one window (20 s). */
TEST_F_TIMEOUT(det, leak_clears_after_growth_stops, 120)
{
	long long t0 = mt_now_ms(), t_leak = -1, t_clear = -1;
	struct mt_proc p;
	pid_t pid;
	int st;

	pid = mt_spawn(mt_grow15_flat, 700);
	ASSERT_LT(0, pid);
	while (mt_now_ms() - t0 < 65000) {
		mt_sleep_ms(250);
		if (mt_proc_get(pid, &p))
			continue;
		if (t_leak < 0 && !strcmp(p.leak, "leak"))
			t_leak = mt_now_ms() - t0;
		if (t_leak >= 0 && strcmp(p.leak, "leak")) {
			t_clear = mt_now_ms() - t0;
			break;
		}
	}
	/* Growth ran from 10 s to 25 s. */
	TH_LOG("leak at %lld ms, cleared at %lld ms (growth stopped at 25000)",
	       t_leak, t_clear);
	EXPECT_LE(0, t_leak);
	EXPECT_LE(0, t_clear);
	EXPECT_GE(25000 + 20000, t_clear);
	mt_sleep_ms(300);
	EXPECT_EQ(1, mt_events("leak_cleared", pid));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/*
 * Touch a 64 MiB /dev/shm file, @path, mapped shared, one 4 KiB page every
 * 4 ms (1 MiB/s, 64 s), reading pages another process wrote (@write 0) or
 * writing new ones (@write 1), then stay.
 */
static void mt_shm_walker(const char *path, int write)
{
	int fd = open(path, O_RDWR | (write ? O_CREAT | O_TRUNC : 0), 0600);
	char *m;
	long i, sum = 0;
	long long t0;

	if (fd < 0 || (write && ftruncate(fd, 64 * MiB)))
		_exit(50);
	m = mmap(NULL, 64 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		_exit(51);
	t0 = mt_now_ms();
	for (i = 0; i < 64 * MiB / 4096; i++) {
		long long late = mt_now_ms() - t0 - i * 4;

		if (late < 0)
			mt_sleep_ms(-late);
		if (write)
			m[i * 4096] = 1;
		else
			sum += __atomic_load_n(&m[i * 4096], __ATOMIC_RELAXED);
	}
	for (;;)
		mt_sleep_ms(1000 + (sum & 1));
}

/*
 * Side by side for 45 s: a process that maps a 64 MiB /dev/shm segment
 * another process wrote and walks it at 1 MiB/s (shared-memory IPC: its
 * RssShmem climbs, it allocates nothing) is never LEAK; a process that
 * writes new pages into a /dev/shm file it maps at 1 MiB/s is LEAK within
 * 25 s, its slope within 15 %.
 */
TEST_F_TIMEOUT(det, shm_reader_never_leaks_shm_writer_does, 120)
{
	long long t0, t_leak = -1, growth = 0, worst = 0;
	int i, st, reader_leak = 0;
	struct mt_proc p;
	pid_t pid[2];

	ASSERT_EQ(0, mt_fill_file("/dev/shm/mt_seg", 64, 0x33));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			mt_shm_walker(i ? "/dev/shm/mt_new" : "/dev/shm/mt_seg", i);
	}
	t0 = mt_now_ms();
	while (mt_now_ms() - t0 < 45000) {
		mt_sleep_ms(250);
		if (!mt_proc_get(pid[0], &p)) {
			reader_leak |= !strcmp(p.leak, "leak");
			if (llabs(p.growth_kbh) > worst)
				worst = llabs(p.growth_kbh);
		}
		if (t_leak < 0 && !mt_proc_get(pid[1], &p) &&
		    !strcmp(p.leak, "leak")) {
			t_leak = mt_now_ms() - t0;
			growth = p.growth_kbh;
		}
	}
	TH_LOG("reader: largest |growth| %lld KiB/h", worst);
	TH_LOG("writer: leak after %lld ms, growth %lld KiB/h (true %lld)",
	       t_leak, growth, RATE_KBH);
	EXPECT_EQ(0, reader_leak);
	EXPECT_EQ(0, mt_events("leak", pid[0]));
	EXPECT_LE(0, t_leak);
	EXPECT_GE(25000, t_leak);
	EXPECT_GE(RATE_KBH * 15 / 100, llabs(growth - RATE_KBH));
	for (i = 0; i < 2; i++) {
		kill(pid[i], SIGKILL);
		waitpid(pid[i], &st, 0);
	}
	unlink("/dev/shm/mt_seg");
	unlink("/dev/shm/mt_new");
}

/* 40 short-lived writers of /dev/shm in one cgroup: the cgroup leaks. */
TEST_F_TIMEOUT(det, cgroup_shm_leak, 120)
{
	const char *cg = "/sys/fs/cgroup/mt_leaky";
	char path[64], pid[16], line[512] = "";
	int i, st, fd, cg_leak = 0, proc_leak = 0;
	pid_t child, kids[40];
	char *buf;

	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	buf = malloc(MiB);
	ASSERT_NE(NULL, buf);
	memset(buf, 0x55, MiB);
	for (i = 0; i < 40; i++) {
		child = fork();
		ASSERT_LE(0, child);
		if (!child) {
			snprintf(pid, sizeof(pid), "%d", getpid());
			if (mt_write_file("/sys/fs/cgroup/mt_leaky/cgroup.procs",
					  pid, strlen(pid)))
				_exit(30);
			snprintf(path, sizeof(path), "/dev/shm/mt_leak.%d", i);
			fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
			if (fd < 0 || write(fd, buf, MiB) != (ssize_t)MiB)
				_exit(31);
			_exit(0);
		}
		kids[i] = child;
		ASSERT_EQ(child, waitpid(child, &st, 0));
		ASSERT_EQ(0, WEXITSTATUS(st));
		mt_sleep_ms(1000);
		if (mt_read_file(MEMATTR_DEBUGFS "/cgroups", mt_buf,
				 sizeof(mt_buf)) > 0) {
			char *l = strstr(mt_buf, " /mt_leaky\n");

			if (l) {
				while (l > mt_buf && l[-1] != '\n')
					l--;
				snprintf(line, sizeof(line), "%.*s",
					 (int)(strchr(l, '\n') - l), l);
				cg_leak |= !!strstr(line, " leak ");
			}
		}
	}
	for (i = 0; i < 40; i++)
		proc_leak += mt_events("leak", kids[i]);
	TH_LOG("cgroup row: %s", line);
	EXPECT_EQ(1, cg_leak);
	EXPECT_EQ(0, proc_leak);
	EXPECT_LE(1, mt_events("leak", 0));
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/dev/shm/mt_leak.%d", i);
		unlink(path);
	}
	free(buf);
	mt_sleep_ms(500);
	EXPECT_EQ(0, rmdir(cg));
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
