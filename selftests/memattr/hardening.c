// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regression tests of the defects of issue 16 ("Hardening"), one fixture
 * each:
 * - exit_fp: a multithreaded process that exits as a group keeps its final
 *   footprint in the exited ring (not a sample up to sample_ms old);
 * - adopt:   a full table is not retried on every tick (procs_dropped counts
 *   processes, not ticks), and procs_reaped counts only processes the
 *   sampler found gone without the exit hook;
 * - oom:     every victim of a memory.oom.group kill gets its own report, and
 *   a report names the victim as the kernel does, not as it was at fork;
 * - wm:      shortening the watermark list never emits an event of kind 0
 *   nor loses the crossing of the same tick.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

static long long mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void mt_kill_all(pid_t *pids, int n)
{
	int i, st;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &st, 0);
		pids[i] = 0;
	}
}

/* --- exit_fp: the final footprint of a process that exits as a group ---- */

#define MT_THREADS	8
#define MT_THREAD_MIB	8
#define MT_TOTAL_KB	(MT_THREADS * MT_THREAD_MIB * 1024LL)

enum mt_end { MT_EXIT_GROUP, MT_SIGKILL };

static pthread_barrier_t mt_touched;

static void mt_touch(size_t bytes)
{
	char *b = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		_exit(50);
	memset(b, 0x5a, bytes);
}

/* @arg: nonzero to spin once touched, else sleep. */
static void *mt_toucher(void *arg)
{
	mt_touch(MT_THREAD_MIB * MiB);
	pthread_barrier_wait(&mt_touched);
	if (arg)
		for (;;)
			;
	for (;;)
		pause();
	return NULL;
}

/*
 * A child of @threads threads that each touch 8 MiB (0 threads: the main
 * thread touches all 64 MiB itself), which writes a byte to @ready once all
 * is touched and then ends as @end says: exit_group() from the main thread
 * while the others sleep (or spin), or waiting for the parent's SIGKILL.
 */
static pid_t mt_group_child(int threads, int spin, enum mt_end end, int ready)
{
	pthread_t t;
	pid_t pid;
	int i;

	pid = fork();
	if (pid)
		return pid;
	if (!threads) {
		mt_touch(MT_TOTAL_KB * 1024);
	} else {
		if (pthread_barrier_init(&mt_touched, NULL, threads + 1))
			_exit(51);
		for (i = 0; i < threads; i++)
			if (pthread_create(&t, NULL, mt_toucher,
					   spin ? &mt_touched : NULL))
				_exit(52);
		pthread_barrier_wait(&mt_touched);
	}
	if (write(ready, "r", 1) != 1)
		_exit(53);
	if (end == MT_EXIT_GROUP)
		_exit(0);	/* exit_group() */
	for (;;)
		pause();
}

/* One row of debugfs `exited`. */
struct mt_exited {
	long long lived_ms, peak_kb, rss_kb, anon_kb;
	char comm[32];
};

/* Return: 0 when @pid has a row in the exited ring, else -1. */
static int mt_exited_get(pid_t pid, struct mt_exited *e)
{
	char *line, *save;

	if (mt_read_file(MEMATTR_DEBUGFS "/exited", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok_r(mt_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int rpid;

		if (sscanf(line, "%d %31s %lld %lld %lld %lld", &rpid, e->comm,
			   &e->lived_ms, &e->peak_kb, &e->rss_kb,
			   &e->anon_kb) == 6 && rpid == pid)
			return 0;
	}
	return -1;
}

FIXTURE(exit_fp) {
	int pipe[2];
};

FIXTURE_VARIANT(exit_fp) {
	int rounds;	/* processes, one after the other */
	int threads;
	int spin;
	enum mt_end end;
};

/* Controls: one thread, its exit sees signal->live == 1. */
FIXTURE_VARIANT_ADD(exit_fp, single_exit) {
	.rounds = 2, .threads = 0, .spin = 0, .end = MT_EXIT_GROUP,
};

FIXTURE_VARIANT_ADD(exit_fp, single_sigkill) {
	.rounds = 2, .threads = 0, .spin = 0, .end = MT_SIGKILL,
};

/* exit_group() from the main thread; the touchers sleep in pause(). */
FIXTURE_VARIANT_ADD(exit_fp, mt_exit_group_sleeping) {
	.rounds = 8, .threads = MT_THREADS, .spin = 0, .end = MT_EXIT_GROUP,
};

/* exit_group() from the main thread; the touchers spin on the CPUs. */
FIXTURE_VARIANT_ADD(exit_fp, mt_exit_group_spinning) {
	.rounds = 8, .threads = MT_THREADS, .spin = 1, .end = MT_EXIT_GROUP,
};

/* The parent's SIGKILL: every thread is killed together. */
FIXTURE_VARIANT_ADD(exit_fp, mt_sigkill) {
	.rounds = 8, .threads = MT_THREADS, .spin = 0, .end = MT_SIGKILL,
};

FIXTURE_VARIANT_ADD(exit_fp, mt_sigkill_spinning) {
	.rounds = 8, .threads = MT_THREADS, .spin = 1, .end = MT_SIGKILL,
};

/*
 * A 60 s period: the load's own sample is the only one in the test's
 * lifetime, so the exited rows hold what the exit path recorded, never a
 * sample of the sampler's.
 */
FIXTURE_SETUP(exit_fp)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=60000"));
	ASSERT_EQ(0, pipe(self->pipe));
}

FIXTURE_TEARDOWN(exit_fp)
{
	close(self->pipe[0]);
	close(self->pipe[1]);
	EXPECT_EQ(0, mt_module_unload());
}

/*
 * 64 MiB touched, then the process ends: its row in the exited ring holds
 * the 64 MiB (anon and rss), whichever thread exits last. Eight rounds of
 * the multithreaded ones: whether the last threads' exits overlap varies
 * from one to the next.
 */
TEST_F_TIMEOUT(exit_fp, final_footprint_recorded, 50)
{
	long long t0 = mt_now_ms(), samples0 = mt_stat("samples");
	int round, st, lost = 0;
	struct mt_exited e;
	pid_t pid;
	char c;

	for (round = 0; round < variant->rounds; round++) {
		pid = mt_group_child(variant->threads, variant->spin,
				     variant->end, self->pipe[1]);
		ASSERT_LT(0, pid);
		ASSERT_EQ(1, read(self->pipe[0], &c, 1));
		if (variant->end == MT_SIGKILL)
			ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		if (variant->end == MT_SIGKILL) {
			ASSERT_TRUE(WIFSIGNALED(st));
		} else {
			ASSERT_TRUE(WIFEXITED(st));
			ASSERT_EQ(0, WEXITSTATUS(st));
		}
		memset(&e, 0, sizeof(e));
		ASSERT_EQ(0, mt_exited_get(pid, &e)) TH_LOG("pid %d", pid);
		TH_LOG("round %d: pid %d lived %lld ms: anon %lld KiB, "
		       "rss %lld KiB, peak %lld KiB (touched %lld KiB)",
		       round, pid, e.lived_ms, e.anon_kb, e.rss_kb, e.peak_kb,
		       MT_TOTAL_KB);
		lost += e.anon_kb < MT_TOTAL_KB * 15 / 16 ||
			e.rss_kb < MT_TOTAL_KB * 15 / 16;
	}
	/* No tick of the sampler in between: the rows are the exit path's. */
	EXPECT_EQ(samples0, mt_stat("samples"));
	EXPECT_GT(55000, mt_now_ms() - t0);
	EXPECT_EQ(0, lost) TH_LOG("%d of %d rounds lost the final footprint",
				  lost, variant->rounds);
}

/* --- adopt: a full table, max_procs, procs_dropped and procs_reaped ----- */

#define MT_SLEEPERS	20

FIXTURE(adopt) {
	pid_t kids[MT_SLEEPERS + 1];
};

FIXTURE_SETUP(adopt)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100"));
	memset(self->kids, 0, sizeof(self->kids));
}

FIXTURE_TEARDOWN(adopt)
{
	mt_kill_all(self->kids, MT_SLEEPERS + 1);
	EXPECT_EQ(0, mt_module_unload());
}

static pid_t mt_sleeper(void)
{
	pid_t pid = fork();

	if (!pid)
		for (;;)
			pause();
	return pid;
}

static int mt_set_max_procs(long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	return mt_write_file(MEMATTR_PARAMS "/max_procs", buf, strlen(buf));
}

/*
 * procs_dropped and samples over @ms: how much the first grew while the
 * second counted at least ten ticks.
 */
static long long mt_dropped_growth(struct __test_metadata *_metadata,
				   long ms)
{
	long long d0, d1, s0, s1;

	d0 = mt_stat("procs_dropped");
	s0 = mt_stat("samples");
	mt_sleep_ms(ms);
	d1 = mt_stat("procs_dropped");
	s1 = mt_stat("samples");
	TH_LOG("over %ld ms: %lld ticks, procs_dropped %lld -> %lld", ms,
	       s1 - s0, d0, d1);
	EXPECT_LE(10, s1 - s0);
	return d1 - d0;
}

/*
 * A table full with untracked processes around: procs_dropped counts each
 * process once, when it was not tracked, not again on every tick; room made
 * by raising max_procs adopts them.
 */
TEST_F_TIMEOUT(adopt, full_table_not_retried_every_tick, 60)
{
	long long nr0, limit, nr;
	int i;

	nr0 = mt_stat("tracked_procs");
	ASSERT_LT(0, nr0);
	limit = nr0 + 4 > 16 ? nr0 + 4 : 16;
	ASSERT_EQ(0, mt_set_max_procs(limit));
	for (i = 0; i < MT_SLEEPERS; i++) {
		self->kids[i] = mt_sleeper();
		ASSERT_LT(0, self->kids[i]);
	}
	mt_sleep_ms(500);
	nr = mt_stat("tracked_procs");
	TH_LOG("tracked %lld before, max_procs %lld, %d more: %lld tracked, %lld dropped",
	       nr0, limit, MT_SLEEPERS, nr, mt_stat("procs_dropped"));
	ASSERT_EQ(limit, nr);
	EXPECT_EQ(0, mt_dropped_growth(_metadata, 1500));

	/* Room: every sleeper is tracked within a few ticks. */
	ASSERT_EQ(0, mt_set_max_procs(4096));
	mt_sleep_ms(1000);
	nr = mt_stat("tracked_procs");
	TH_LOG("max_procs 4096: %lld tracked", nr);
	EXPECT_LE(nr0 + MT_SLEEPERS, nr);
}

/*
 * max_procs lowered below the number tracked: nobody is evicted, a new
 * process is dropped once, and it is adopted once exits made room.
 */
TEST_F_TIMEOUT(adopt, lowered_max_procs_not_retried_every_tick, 60)
{
	struct mt_proc p;
	long long nr0, nr;
	int i;

	for (i = 0; i < MT_SLEEPERS; i++) {
		self->kids[i] = mt_sleeper();
		ASSERT_LT(0, self->kids[i]);
	}
	mt_sleep_ms(300);
	nr0 = mt_stat("tracked_procs");
	ASSERT_LT(16, nr0);
	ASSERT_EQ(0, mt_set_max_procs(16));
	self->kids[MT_SLEEPERS] = mt_sleeper();
	ASSERT_LT(0, self->kids[MT_SLEEPERS]);
	mt_sleep_ms(500);
	nr = mt_stat("tracked_procs");
	TH_LOG("tracked %lld, max_procs 16, one more: %lld tracked, %lld dropped",
	       nr0, nr, mt_stat("procs_dropped"));
	EXPECT_EQ(nr0, nr);
	EXPECT_NE(0, mt_proc_get(self->kids[MT_SLEEPERS], &p));
	EXPECT_EQ(0, mt_dropped_growth(_metadata, 1500));

	/* Twenty exits make room: the last sleeper is adopted. */
	mt_kill_all(self->kids, MT_SLEEPERS);
	mt_sleep_ms(1000);
	TH_LOG("after %d exits: %lld tracked", MT_SLEEPERS,
	       mt_stat("tracked_procs"));
	EXPECT_EQ(0, mt_proc_get(self->kids[MT_SLEEPERS], &p));
}

/*
 * 500 forks and exits, everything tracked, a tick every 10 ms: the exit
 * hook retires every one of them, so the sampler reaps none.
 */
TEST_F_TIMEOUT(adopt, fork_storm_reaps_nothing, 120)
{
	long long created0, created, reaped;
	int i, st;
	pid_t pid;

	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/sample_ms", "10", 2));
	mt_sleep_ms(200);
	created0 = mt_stat("procs_created");
	for (i = 0; i < 500; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
	}
	mt_sleep_ms(500);
	created = mt_stat("procs_created");
	reaped = mt_stat("procs_reaped");
	TH_LOG("500 forks: created %lld, reaped %lld, dropped %lld, removed %lld",
	       created - created0, reaped, mt_stat("procs_dropped"),
	       mt_stat("procs_removed"));
	EXPECT_LE(500, created - created0);
	EXPECT_EQ(0, reaped);
}

/* --- oom: group kills and the victim's name ----------------------------- */

#define MT_OOM_MAX	16

struct mt_oom_list {
	int nr;
	pid_t pid[MT_OOM_MAX];
	char comm[MT_OOM_MAX][32];
};

static int mt_oom_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_OOM_MAX + 1];
	struct mt_oom_list *l = arg;
	const char *comm;

	if (genl_parse_msg(nlh, tb, MEMATTR_A_OOM_MAX) || l->nr == MT_OOM_MAX)
		return 0;
	l->pid[l->nr] = tb[MEMATTR_A_OOM_PID] ?
			(pid_t)genl_u32(tb[MEMATTR_A_OOM_PID]) : -1;
	comm = tb[MEMATTR_A_OOM_COMM] ? genl_str(tb[MEMATTR_A_OOM_COMM]) : NULL;
	snprintf(l->comm[l->nr], sizeof(l->comm[0]), "%s", comm ?: "(none)");
	l->nr++;
	return 0;
}

/* The kept OOM reports, from the GET_OOM dump. Return: 0 or -errno. */
static int mt_oom_reports(struct mt_oom_list *l)
{
	static struct genl_sock s;
	struct genl_ack ack;
	struct genl_req r;
	int ret;

	memset(l, 0, sizeof(*l));
	ret = genl_open(&s, MEMATTR_GENL_NAME, NULL);
	if (ret)
		return ret;
	genl_req_init(&r, s.family, MEMATTR_CMD_GET_OOM, NLM_F_DUMP);
	ret = genl_do(&s, &r, mt_oom_cb, l, &ack);
	genl_close(&s);
	if (!ret && ack.err)
		ret = -ack.err;
	return ret;
}

/* How many of the reports in @l are about @pid. */
static int mt_oom_count(const struct mt_oom_list *l, pid_t pid)
{
	int i, n = 0;

	for (i = 0; i < l->nr; i++)
		n += l->pid[i] == pid;
	return n;
}

FIXTURE(oom) {
	char cg[64];
	pid_t kids[4];
};

FIXTURE_SETUP(oom)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	/* Never sampled after the load: names and sizes come from the kill. */
	ASSERT_EQ(0, mt_module_load("sample_ms=60000"));
	memset(self->kids, 0, sizeof(self->kids));
	self->cg[0] = '\0';
}

FIXTURE_TEARDOWN(oom)
{
	mt_kill_all(self->kids, 4);
	if (self->cg[0]) {
		mt_sleep_ms(200);
		EXPECT_EQ(0, rmdir(self->cg));
	}
	EXPECT_EQ(0, mt_module_unload());
}

static int mt_cg_write(const char *cg, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	return mt_write_file(path, val, strlen(val));
}

/* Move the calling process into @cg. Return: 0 or an errno. */
static int mt_cg_enter(const char *cg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	return mt_cg_write(cg, "cgroup.procs", pid);
}

/*
 * A child that names itself @name (NULL: keeps its name), enters @cg, touches
 * @mib MiB, writes a byte to @ready (-1: none) and sleeps.
 */
static pid_t mt_cg_child(const char *cg, const char *name, long mib, int ready)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (name && prctl(PR_SET_NAME, name, 0, 0, 0))
		_exit(60);
	if (mt_cg_enter(cg))
		_exit(61);
	mt_touch(mib * MiB);
	if (ready >= 0 && write(ready, "r", 1) != 1)
		_exit(62);
	for (;;)
		pause();
}

/*
 * memory.oom.group: the OOM killer kills the hog and the three other tasks
 * of its cgroup in one go. Each of the four gets its report, once; none is
 * dropped.
 */
TEST_F_TIMEOUT(oom, group_kill_reports_every_victim, 60)
{
	long long dropped0, dropped;
	struct mt_oom_list l;
	int i, st, ready[2], total = 0;
	char c;

	snprintf(self->cg, sizeof(self->cg), "/sys/fs/cgroup/mt_oom_group");
	rmdir(self->cg);
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	ASSERT_EQ(0, mt_cg_write(self->cg, "memory.max", "48M"));
	ASSERT_EQ(0, mt_cg_write(self->cg, "memory.oom.group", "1"));
	ASSERT_EQ(0, pipe(ready));
	dropped0 = mt_stat("oom_dropped");
	for (i = 0; i < 3; i++) {
		self->kids[i] = mt_cg_child(self->cg, NULL, 4, ready[1]);
		ASSERT_LT(0, self->kids[i]);
		ASSERT_EQ(1, read(ready[0], &c, 1));
	}
	self->kids[3] = mt_cg_child(self->cg, NULL, 128, -1);
	ASSERT_LT(0, self->kids[3]);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(self->kids[i], waitpid(self->kids[i], &st, 0));
		self->kids[i] = -self->kids[i];		/* reaped */
		EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			TH_LOG("task %d: status %#x", i, st);
	}
	close(ready[0]);
	close(ready[1]);
	mt_sleep_ms(500);
	dropped = mt_stat("oom_dropped");
	ASSERT_EQ(0, mt_oom_reports(&l));
	for (i = 0; i < l.nr; i++)
		TH_LOG("report %d: pid %d comm %s", i, l.pid[i], l.comm[i]);
	for (i = 0; i < 4; i++) {
		int n = mt_oom_count(&l, -self->kids[i]);

		EXPECT_EQ(1, n) TH_LOG("victim %d (pid %d): %d reports", i,
				       -self->kids[i], n);
		total += n;
	}
	TH_LOG("%d reports of 4 victims, oom_dropped %lld -> %lld", total,
	       dropped0, dropped);
	EXPECT_EQ(4, l.nr);
	EXPECT_EQ(dropped0, dropped);
}

/*
 * The name of the last "Killed process @pid (name)" line in the kernel log
 * into @name. Return: 0, or -1 when there is none.
 */
static int mt_kmsg_killed(pid_t pid, char *name, size_t size)
{
	char rec[8192], want[48], *at;
	int fd, found = -1;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(want, sizeof(want), "Killed process %d (", pid);
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: read on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		at = strstr(rec, want);
		if (at) {
			char *end = strchr(at + strlen(want), ')');

			if (end) {
				snprintf(name, size, "%.*s",
					 (int)(end - at - strlen(want)),
					 at + strlen(want));
				found = 0;
			}
		}
	}
	close(fd);
	return found;
}

/*
 * A hog that renames itself after fork (prctl(PR_SET_NAME)) and grows at
 * once until it is killed: its report names it as the kernel's own
 * "Killed process" line does, by its new name.
 */
TEST_F_TIMEOUT(oom, report_names_victim_as_the_kernel, 60)
{
	char name[16], kname[64] = "", *rcomm = NULL;
	struct mt_oom_list l;
	pid_t pid;
	int i, st;

	snprintf(self->cg, sizeof(self->cg), "/sys/fs/cgroup/mt_oom_renamed");
	rmdir(self->cg);
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	ASSERT_EQ(0, mt_cg_write(self->cg, "memory.max", "32M"));
	snprintf(name, sizeof(name), "renamed-%d", getpid() % 100000);
	pid = mt_cg_child(self->cg, name, 64, -1);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(SIGKILL, WTERMSIG(st));
	mt_sleep_ms(500);
	ASSERT_EQ(0, mt_kmsg_killed(pid, kname, sizeof(kname)));
	ASSERT_EQ(0, mt_oom_reports(&l));
	for (i = 0; i < l.nr; i++)
		if (l.pid[i] == pid)
			rcomm = l.comm[i];
	TH_LOG("kernel: Killed process %d (%s); report: %s (renamed to %s)",
	       pid, kname, rcomm ?: "(no report)", name);
	ASSERT_NE(NULL, rcomm);
	EXPECT_STREQ(name, kname);
	EXPECT_STREQ(kname, rcomm);
}

/* --- wm: a shorter list of watermarks ----------------------------------- */

FIXTURE(wm) {
	struct genl_sock s;
	char *chunks[64];
	int n;
};

FIXTURE_SETUP(wm)
{
	uint32_t grp;

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100"));
	self->n = 0;
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME,
			       MEMATTR_GENL_MCGRP_EVENTS));
	grp = self->s.mcgrp;
	ASSERT_NE(0, grp);
	ASSERT_EQ(0, setsockopt(self->s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
}

FIXTURE_TEARDOWN(wm)
{
	while (self->n > 0)
		munmap(self->chunks[--self->n], 8 * MiB);
	genl_close(&self->s);
	EXPECT_EQ(0, mt_module_unload());
}

static int mt_used_pct(void)
{
	long long total = mt_proc_field("/proc/meminfo", "MemTotal");
	long long avail = mt_proc_field("/proc/meminfo", "MemAvailable");

	return (int)((total - avail) * 100 / total);
}

/* A key of debugfs `system`, or -1. */
static long long mt_system(const char *key)
{
	size_t len = strlen(key);
	char *line;

	if (mt_read_file(MEMATTR_DEBUGFS "/system", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, len) && line[len] == ' ')
			return strtoll(line + len, NULL, 10);
	return -1;
}

struct mt_wm_events {
	int total;	/* rows of the events table */
	int unknown;	/* of no known kind */
	int up, down;	/* watermark crossings */
	int down_l2_95;	/* down across level 2 at 95 % */
};

/* Count the rows of debugfs `events`. Return: 0, or -1. */
static int mt_wm_ring(struct mt_wm_events *c)
{
	static const char *const kinds[] = {
		"leak", "leak_cleared", "watermark", "oom_kill",
	};
	char *line, *save, kind[32];
	unsigned int i;
	int first = 1;

	memset(c, 0, sizeof(*c));
	if (mt_read_file(MEMATTR_DEBUGFS "/events", mt_buf, sizeof(mt_buf)) < 0)
		return -1;
	for (line = strtok_r(mt_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int known = 0;

		if (first) {	/* the header */
			first = 0;
			continue;
		}
		c->total++;
		if (sscanf(line, "%*u %31s", kind) != 1) {
			c->unknown++;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			known |= !strcmp(kind, kinds[i]);
		c->unknown += !known;
		c->up += !!strstr(line, " direction=up");
		c->down += !!strstr(line, " direction=down");
		c->down_l2_95 += !!strstr(line, " level=2 level_pct=95 direction=down");
	}
	return 0;
}

/* One multicast event into the struct mt_wm_events @arg. */
static int mt_wm_count(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_EV_MAX + 1];
	struct mt_wm_events *c = arg;
	uint32_t kind;

	c->total++;
	if (genl_parse_msg(nlh, tb, MEMATTR_A_EV_MAX) || !tb[MEMATTR_A_EV_KIND]) {
		c->unknown++;
		return 0;
	}
	kind = genl_u32(tb[MEMATTR_A_EV_KIND]);
	if (kind < MEMATTR_EV_LEAK || kind > MEMATTR_EV_OOM_KILL) {
		c->unknown++;
		return 0;
	}
	if (kind != MEMATTR_EV_WATERMARK || !tb[MEMATTR_A_EV_DIRECTION])
		return 0;
	if (genl_u8(tb[MEMATTR_A_EV_DIRECTION]) == MEMATTR_WM_UP) {
		c->up++;
		return 0;
	}
	c->down++;
	c->down_l2_95 += tb[MEMATTR_A_EV_LEVEL] && tb[MEMATTR_A_EV_LEVEL_PCT] &&
			 genl_u8(tb[MEMATTR_A_EV_LEVEL]) == 2 &&
			 genl_u8(tb[MEMATTR_A_EV_LEVEL_PCT]) == 95;
	return 0;
}

/*
 * The events multicast within @ms: into @c as mt_wm_ring() counts them
 * (no kind, or one not in enum memattr_event_kind, is unknown).
 */
static void mt_wm_mcast(struct genl_sock *s, long ms, struct mt_wm_events *c)
{
	memset(c, 0, sizeof(*c));
	genl_each_msg(s, MEMATTR_CMD_EVENT, ms, mt_wm_count, c);
}

/*
 * Three levels crossed ("1,2,3"), then one write shortens the list to
 * "1,95": the state is clamped to the two levels left and, in the same
 * tick, falls below the second (95 %). That is one event, WATERMARK level 2
 * at 95 % down, in the ring and on the multicast group; never an event of
 * kind 0.
 */
TEST_F_TIMEOUT(wm, shorter_list_no_empty_event, 60)
{
	struct mt_wm_events ring, mc;
	const char *l3 = "1,2,3", *l2 = "1,95";

	/* At least 4 % in use, so that the three levels are crossed. */
	while (mt_used_pct() < 4 && self->n < 64) {
		self->chunks[self->n] = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->chunks[self->n]);
		memset(self->chunks[self->n++], 1, 8 * MiB);
	}
	ASSERT_LE(4, mt_used_pct());
	ASSERT_GT(85, mt_used_pct());
	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/watermarks", l3, strlen(l3)));
	mt_wm_mcast(&self->s, 600, &mc);
	ASSERT_EQ(3, mt_system("watermark_level"));
	ASSERT_EQ(0, mt_wm_ring(&ring));
	TH_LOG("levels %s at %d%% used: ring %d events (%d up), multicast %d (%d up)",
	       l3, mt_used_pct(), ring.total, ring.up, mc.total, mc.up);
	ASSERT_EQ(3, ring.up);
	ASSERT_EQ(0, ring.unknown);

	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/watermarks", l2, strlen(l2)));
	mt_wm_mcast(&self->s, 600, &mc);
	ASSERT_EQ(0, mt_wm_ring(&ring));
	TH_LOG("levels %s: watermark_level %lld; ring %d events: "
	       "%d of no kind, %d up, %d down (%d of level 2 at 95%%); "
	       "multicast %d: %d of no kind, %d down (%d of level 2)",
	       l2, mt_system("watermark_level"), ring.total, ring.unknown,
	       ring.up, ring.down, ring.down_l2_95, mc.total, mc.unknown,
	       mc.down, mc.down_l2_95);
	EXPECT_EQ(1, mt_system("watermark_level"));
	EXPECT_EQ(0, ring.unknown);
	EXPECT_EQ(0, mc.unknown);
	EXPECT_EQ(1, ring.down);
	EXPECT_EQ(1, ring.down_l2_95);
	EXPECT_EQ(1, mc.down);
	EXPECT_EQ(1, mc.down_l2_95);
}

TEST_HARNESS_MAIN
