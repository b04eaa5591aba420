// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sampler's tick that follows activity (module/sampler.c): a process
 * none of whose threads ran since its last sample is not read again, its
 * history is extended all the same, and the full refresh (every process at
 * least once every 64 ticks) catches what changes it while it sleeps.
 *
 * At sample_ms 100:
 *  - sleeper_history: a child that sleeps from its fork on gets one history
 *    point per period, level 0's points exactly a period apart, the newest
 *    at the last tick; and the ticks read again fewer processes than they
 *    hold (debugfs stats: sample_reads);
 *  - refresh_catches: pages written into a sleeping child's memory by
 *    another process (process_vm_writev(): its RSS grows, it does not run)
 *    show in its row within the refresh's bound, 64 ticks.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define TICK_MS		100
#define REFRESH_TICKS	64	/* MEMATTR_SAMPLER_REFRESH */
#define MAX_POINTS	256

struct mt_hist {
	uint64_t rss_kb;
	int n;
	uint64_t t_ms[MAX_POINTS];	/* oldest first */
};

static int mt_hist_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
	const struct nlattr *ptb[MEMATTR_A_POINT_MAX + 1];
	const struct nlattr *item = NULL;
	struct mt_hist *h = arg;

	if (genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
	    !tb[MEMATTR_A_PROC_RSS_KB])
		return 1;
	h->rss_kb = genl_u64(tb[MEMATTR_A_PROC_RSS_KB]);
	if (!tb[MEMATTR_A_PROC_HISTORY])
		return 1;
	while ((item = genl_nested_next(tb[MEMATTR_A_PROC_HISTORY], item))) {
		if (genl_parse_nested(item, ptb, MEMATTR_A_POINT_MAX) ||
		    !ptb[MEMATTR_A_POINT_T_MS] || h->n == MAX_POINTS)
			continue;
		h->t_ms[h->n++] = genl_u64(ptb[MEMATTR_A_POINT_T_MS]);
	}
	return 1;
}

static int mt_hist_get(struct genl_sock *s, pid_t pid, struct mt_hist *h,
		       struct genl_ack *ack)
{
	struct genl_req r;
	int ret;

	memset(h, 0, sizeof(*h));
	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROC, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROC_PID, pid);
	ret = genl_do(s, &r, mt_hist_cb, h, ack);
	return ret ? -ret : ack->err;
}

static uint64_t mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* A child that sleeps until killed. */
static pid_t mt_sleeper(void)
{
	pid_t pid = fork();

	if (!pid) {
		for (;;)
			pause();
	}
	return pid;
}

static void mt_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

FIXTURE(tick) {
	struct genl_sock s;
};

FIXTURE_SETUP(tick)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100"));
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME, NULL));
}

FIXTURE_TEARDOWN(tick)
{
	genl_close(&self->s);
	EXPECT_EQ(0, mt_module_unload());
}

/*
 * A sleeping child's history gains one point per period, level 0's points
 * TICK_MS apart, the newest no older than the last tick; and the ticks
 * read again fewer processes than the table holds.
 */
TEST_F_TIMEOUT(tick, sleeper_history, 60)
{
	struct mt_hist a, b;
	struct genl_ack ack;
	long long reads, tracked, fewest = -1;
	uint64_t now, dt;
	pid_t pid;
	int i;

	pid = mt_sleeper();
	ASSERT_LT(0, pid);
	mt_sleep_ms(5 * TICK_MS);
	ASSERT_EQ(0, mt_hist_get(&self->s, pid, &a, &ack)) TH_LOG("%s", ack.msg);
	ASSERT_LE(2, a.n);
	mt_sleep_ms(8 * TICK_MS);
	ASSERT_EQ(0, mt_hist_get(&self->s, pid, &b, &ack)) TH_LOG("%s", ack.msg);
	now = mt_now_ms();
	/* Young: every point is level 0's, a period apart. */
	ASSERT_GT(20, b.n);
	for (i = 1; i < b.n; i++)
		EXPECT_EQ(TICK_MS, b.t_ms[i] - b.t_ms[i - 1])
			TH_LOG("points %d and %d: %llu ms apart", i - 1, i,
			       (unsigned long long)(b.t_ms[i] - b.t_ms[i - 1]));
	/*
	 * One point per period that passed between the two reads: the
	 * newest point's time is its tick's, which comes a little late (the
	 * timer wheel, the worker), so the periods are those times' distance
	 * rounded, give or take one.
	 */
	dt = b.t_ms[b.n - 1] - a.t_ms[a.n - 1];
	EXPECT_GE(1, llabs((long long)(dt + TICK_MS / 2) / TICK_MS - (b.n - a.n)))
		TH_LOG("%d points in %llu ms", b.n - a.n, (unsigned long long)dt);
	EXPECT_LE(b.n - a.n, 10);
	EXPECT_GE(b.n - a.n, 6);
	/* Extended up to the last tick, not to its last read. */
	EXPECT_GE(b.t_ms[b.n - 1] + 3 * TICK_MS, now)
		TH_LOG("newest point %llu ms, now %llu ms",
		       (unsigned long long)b.t_ms[b.n - 1],
		       (unsigned long long)now);
	EXPECT_LE(b.t_ms[b.n - 1], now);

	for (i = 0; i < 10; i++) {
		mt_sleep_ms(TICK_MS);
		reads = mt_stat("sample_reads");
		tracked = mt_stat("tracked_procs");
		ASSERT_LE(0, reads);
		if (fewest < 0 || reads < fewest)
			fewest = reads;
	}
	EXPECT_GT(tracked, fewest)
		TH_LOG("a tick read %lld of %lld processes at the fewest",
		       fewest, tracked);
	mt_reap(pid);
}

/*
 * 8 MiB written into a sleeping child by process_vm_writev(): its RSS
 * grows while it never runs. Its row shows it within 64 ticks.
 */
TEST_F_TIMEOUT(tick, refresh_catches, 60)
{
	const size_t len = 8 * MiB;
	struct iovec local, remote;
	struct genl_ack ack;
	struct mt_hist h;
	uint64_t t0, took;
	long long before, vmrss;
	char *mem, *buf;
	pid_t pid;

	/* Mapped before the fork, touched by nobody before the write. */
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	madvise(mem, len, MADV_NOHUGEPAGE);
	pid = mt_sleeper();
	ASSERT_LT(0, pid);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	memset(buf, 0x5a, len);
	mt_sleep_ms(5 * TICK_MS);
	ASSERT_EQ(0, mt_hist_get(&self->s, pid, &h, &ack)) TH_LOG("%s", ack.msg);
	before = h.rss_kb;
	vmrss = mt_status_kb(pid, "VmRSS");
	ASSERT_LT(0, vmrss);

	local.iov_base = buf;
	local.iov_len = len;
	remote.iov_base = mem;
	remote.iov_len = len;
	ASSERT_EQ((ssize_t)len, process_vm_writev(pid, &local, 1, &remote, 1, 0));
	t0 = mt_now_ms();
	ASSERT_LE(vmrss + 8192, mt_status_kb(pid, "VmRSS"));
	do {
		mt_sleep_ms(TICK_MS / 2);
		ASSERT_EQ(0, mt_hist_get(&self->s, pid, &h, &ack))
			TH_LOG("%s", ack.msg);
		took = mt_now_ms() - t0;
	} while ((long long)h.rss_kb < before + 8192 &&
		 took < 3 * REFRESH_TICKS * TICK_MS);
	EXPECT_LE(before + 8192, (long long)h.rss_kb)
		TH_LOG("rss %llu KiB after %llu ms, %lld before",
		       (unsigned long long)h.rss_kb, (unsigned long long)took,
		       before);
	/* 64 ticks, and a few for the guest's timer. */
	EXPECT_GE((REFRESH_TICKS + 4) * TICK_MS, took)
		TH_LOG("seen after %llu ms", (unsigned long long)took);
	TH_LOG("the refresh saw it after %llu ms", (unsigned long long)took);
	mt_reap(pid);
	munmap(mem, len);
	free(buf);
}

TEST_HARNESS_MAIN
