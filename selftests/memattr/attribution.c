// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-process and per-cgroup attribution, checked against the kernel's own
 * numbers (/proc/PID/status) and against what the test itself did.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#include "memattr_test.h"
#include "kselftest_harness.h"

/*
 * A child that runs @step(n) for n = 0, 1, ... each time the parent says
 * so, and reports back after each step.
 */
struct mt_child {
	pid_t pid;
	int to_child, from_child;
};

static int mt_child_start(struct mt_child *c, void (*step)(int n))
{
	int down[2], up[2];
	char ch;
	int n;

	if (pipe(down) || pipe(up))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		close(down[1]);
		close(up[0]);
		for (n = 0; read(down[0], &ch, 1) == 1; n++) {
			step(n);
			if (write(up[1], "k", 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	c->to_child = down[1];
	c->from_child = up[0];
	return 0;
}

/* Return: 0 once the child has done its next step. */
static int mt_child_step(struct mt_child *c)
{
	char ch;

	if (write(c->to_child, "s", 1) != 1)
		return -1;
	return read(c->from_child, &ch, 1) == 1 ? 0 : -1;
}

static int mt_child_end(struct mt_child *c)
{
	int st;

	close(c->to_child);
	close(c->from_child);
	if (waitpid(c->pid, &st, 0) != c->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

FIXTURE(attr) {
	int unused;
};

FIXTURE_SETUP(attr)
{
	char ms[16];

	if (!mt_module_loaded())
		ASSERT_EQ(0, mt_module_load(NULL));
	snprintf(ms, sizeof(ms), "%d", SAMPLE_MS);
	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/sample_ms", ms, strlen(ms)));
}

FIXTURE_TEARDOWN(attr)
{
	EXPECT_EQ(0, mt_module_unload());
}

/* Every hook attaches on the kernels we support. */
TEST_F(attr, all_hooks_attached)
{
	static const char * const hooks[] = {
		"fork", "exec", "exit", "page_alloc", "page_free", "exit_mm",
		"mmap", "munmap", "brk", "mremap", "oom_victim",
	};
	/* Function entries through ftrace wherever a module can free its filter. */
	static const char * const entries[] = {
		"exit_mm", "mmap", "munmap", "brk", "mremap",
	};
	char name[32], kind[32], target[64];
	unsigned int i, found = 0;
	struct utsname u;
	bool want_ftrace;
	char *line;

	ASSERT_EQ(0, uname(&u));
	/* Debian's 5.10 does not export ftrace_free_filter(): kprobes there. */
	want_ftrace = atoi(u.release) >= 6;

	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/stats", mt_buf,
				  sizeof(mt_buf)));
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%31s %31s %63s", name, kind, target) != 3)
			continue;
		for (i = 0; i < ARRAY_SIZE(hooks); i++) {
			if (strcmp(name, hooks[i]))
				continue;
			TH_LOG("hook %s: %s %s", name, kind, target);
			EXPECT_STRNE("-", target) TH_LOG("%s not attached", name);
			found++;
		}
		for (i = 0; want_ftrace && i < ARRAY_SIZE(entries); i++)
			if (!strcmp(name, entries[i]))
				EXPECT_STREQ("ftrace", kind);
	}
	EXPECT_EQ(ARRAY_SIZE(hooks), found);
}

static char *mt_block;

static void mt_touch_64m(int n)
{
	if (n == 0) {
		mt_block = malloc(64 * MiB);
		if (!mt_block)
			_exit(2);
		memset(mt_block, 0x5a, 64 * MiB);
		/* The pages must really be touched: keep the stores. */
		__asm__ volatile("" : : "r"(mt_block) : "memory");
	}
}

/* anon and rss agree with /proc/PID/status; page_allocs saw the pages. */
TEST_F(attr, anon_rss_match_proc_status)
{
	long long status_anon, status_rss;
	struct mt_child c;
	struct mt_proc p;

	ASSERT_EQ(0, mt_child_start(&c, mt_touch_64m));
	ASSERT_EQ(0, mt_child_step(&c));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p)) TH_LOG("pid %d not tracked", c.pid);
	status_anon = mt_status_kb(c.pid, "RssAnon");
	status_rss = mt_status_kb(c.pid, "VmRSS");
	TH_LOG("memattr anon %lld rss %lld allocs %lld; status anon %lld rss %lld",
	       p.anon_kb, p.rss_kb, p.page_allocs, status_anon, status_rss);
	ASSERT_LE(63 * 1024, status_anon);
	EXPECT_GE(status_anon / 50 > 512 ? status_anon / 50 : 512,
		  llabs(p.anon_kb - status_anon));
	EXPECT_GE(status_rss / 50 > 512 ? status_rss / 50 : 512,
		  llabs(p.rss_kb - status_rss));
	EXPECT_LE((long long)(64 * MiB / getpagesize()), p.page_allocs);
	EXPECT_EQ(0, mt_child_end(&c));
}

static void *mt_thread_touch(void *arg)
{
	char *b = malloc(16 * MiB);

	if (b)
		memset(b, 0x33, 16 * MiB);
	return b;
}

static void mt_threads(int n)
{
	pthread_t t[4];
	int i;

	if (n)
		return;
	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, mt_thread_touch, NULL))
			_exit(3);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

/* Four threads allocating add up to one process. */
TEST_F(attr, threads_add_up)
{
	struct mt_child c;
	struct mt_proc p;

	ASSERT_EQ(0, mt_child_start(&c, mt_threads));
	ASSERT_EQ(0, mt_child_step(&c));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p));
	TH_LOG("anon %lld KiB, page_allocs %lld", p.anon_kb, p.page_allocs);
	EXPECT_LE(63 * 1024, p.anon_kb);
	EXPECT_LE((long long)(64 * MiB / getpagesize()), p.page_allocs);
	EXPECT_EQ(0, mt_child_end(&c));
}

static void *mt_maps[10];

static void mt_mapper(int n)
{
	int i;

	for (i = 0; i < 10; i++) {
		if (n == 0) {
			mt_maps[i] = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (mt_maps[i] == MAP_FAILED)
				_exit(4);
		} else if (n == 1) {
			if (munmap(mt_maps[i], 8 * MiB))
				_exit(5);
		}
	}
	if (n == 2 && sbrk(8 * MiB) == (void *)-1)
		_exit(6);
}

/*
 * mmap/munmap/brk are counted as they are called; mapped_kb, VmSize's
 * growth since fork, moves by exactly what they mapped at the next sample.
 */
TEST_F(attr, mmap_munmap_brk_mapped)
{
	struct mt_proc p0, p1, p2, p3;
	struct mt_child c;

	ASSERT_EQ(0, mt_child_start(&c, mt_mapper));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p0));
	ASSERT_EQ(0, mt_child_step(&c));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p1));
	ASSERT_EQ(0, mt_child_step(&c));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p2));
	ASSERT_EQ(0, mt_child_step(&c));
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(c.pid, &p3));
	TH_LOG("mapped_kb %lld -> %lld -> %lld -> %lld", p0.mapped_kb,
	       p1.mapped_kb, p2.mapped_kb, p3.mapped_kb);
	TH_LOG("mmap %lld -> %lld, munmap %lld -> %lld, brk %lld -> %lld",
	       p0.mmap, p1.mmap, p1.munmap, p2.munmap, p2.brk, p3.brk);
	EXPECT_LE(p0.mmap + 10, p1.mmap);
	EXPECT_EQ(80 * 1024, p1.mapped_kb - p0.mapped_kb);
	EXPECT_LE(p1.munmap + 10, p2.munmap);
	EXPECT_GE(1024, llabs(p2.mapped_kb - p0.mapped_kb));
	EXPECT_LE(p2.brk + 1, p3.brk);
	EXPECT_LE(8 * 1024, p3.mapped_kb - p2.mapped_kb);
	EXPECT_EQ(p3.vm_kb - p0.vm_kb, p3.mapped_kb - p0.mapped_kb);
	EXPECT_EQ(0, mt_child_end(&c));
}

/* exec changes the name under the same pid. */
TEST_F(attr, exec_renames)
{
	struct mt_proc p;
	pid_t pid;
	int st;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		execl("/bin/sleep", "sleep", "2", (char *)NULL);
		_exit(7);
	}
	mt_settle();
	ASSERT_EQ(0, mt_proc_get(pid, &p));
	EXPECT_STREQ("sleep", p.comm);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	mt_settle();
	EXPECT_EQ(-1, mt_proc_get(pid, &p)) TH_LOG("exited pid still listed");
}

/*
 * The exited ring: each exit once, newest first, its peak and the pages it
 * allocated; 70 exits keep the last 64, and exited_total counts them all.
 */
TEST_F(attr, exited_ring_newest_first)
{
	long long total0, total1, peak_kb, allocs;
	int i, st, rows = 0, first = -1;
	pid_t pids[70], pid, newest;
	char *line, comm[32];

	total0 = mt_stat("exited_total");
	ASSERT_LE(0, total0);
	for (i = 0; i < 70; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			/*
			 * 1 MiB touched: a peak and page allocations. mmap(),
			 * not malloc(): gcc drops a malloc()ed buffer's stores
			 * before _exit() as dead.
			 */
			char *b = mmap(NULL, MiB, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (b == MAP_FAILED)
				_exit(1);
			memset(b, 1, MiB);
			_exit(0);
		}
		ASSERT_EQ(pids[i], waitpid(pids[i], &st, 0));
	}
	newest = pids[69];
	total1 = mt_stat("exited_total");
	EXPECT_EQ(total0 + 70, total1);
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/exited", mt_buf,
				  sizeof(mt_buf)));
	line = strtok(mt_buf, "\n");	/* the header */
	for (line = strtok(NULL, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%d %31s %*u %lld %*u %*u %*u %*u %lld", &pid,
			   comm, &peak_kb, &allocs) != 4)
			continue;
		rows++;
		if (first < 0)
			first = pid;
		for (i = 0; i < 70 && pids[i] != pid; i++)
			;
		if (i == 70)
			continue;
		/* Only the last 64 of ours can be there, once each. */
		EXPECT_LE(70 - 64, i) TH_LOG("pid %d (exit %d) still listed", pid, i);
		pids[i] = -1;
		EXPECT_LE(1024, peak_kb) TH_LOG("pid %d", pid);
		EXPECT_LE(256, allocs) TH_LOG("pid %d", pid);
	}
	EXPECT_EQ(64, rows);
	EXPECT_EQ(newest, first) TH_LOG("newest first");
	for (i = 70 - 64; i < 70; i++)
		EXPECT_EQ(-1, pids[i]) TH_LOG("exit %d not listed", i);
}

/*
 * Return: the cgroups table's shmem_kb and procs for @path, or -1; its
 * anon_kb and file_kb in @kb[0], @kb[1].
 */
static long long mt_cgroup_shmem(const char *path, long long *procs,
				 long long kb[2])
{
	char *line, rpath[256];
	long long id, nprocs, usage, anon, file, shmem;

	if (mt_read_file(MEMATTR_DEBUGFS "/cgroups", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lld %lld %lld %lld %lld %lld %*s %*s %*s %*s %*s %*s %*s %255s",
			   &id, &nprocs, &usage, &anon, &file, &shmem, rpath) != 7)
			continue;
		if (!strcmp(rpath, path)) {
			*procs = nprocs;
			kb[0] = anon;
			kb[1] = file;
			return shmem;
		}
	}
	return -1;
}

/* A "key value" line of a cgroup's memory.stat, in KiB, or -1. */
static long long mt_memory_stat_kb(const char *cg, const char *key)
{
	char path[128], *line;
	size_t len = strlen(key);

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	if (mt_read_file(path, mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok(mt_buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, len) && line[len] == ' ')
			return strtoll(line + len + 1, NULL, 10) / 1024;
	return -1;
}

/*
 * tmpfs pages stay charged to the cgroup after their writer exited, and
 * memattr's shmem, file and anon are what memory.stat says. Up to 5.12 memcg keeps up to 32
 * pages of each statistic per CPU in per-CPU batches, unseen by
 * memory.stat too; from 5.13 the rstat flush every 2 s folds them all in.
 * So: at least 32 MiB less those batches, and memory.stat's value within
 * them.
 */
TEST_F(attr, cgroup_keeps_shmem_of_exited_writer)
{
	const char *cg = "/sys/fs/cgroup/mt_shm";
	long long shmem = -1, procs = -1, stat_kb = -1, kb[2] = { -1, -1 };
	long long slack = 32 * 4 * sysconf(_SC_NPROCESSORS_CONF);
	char pid[16], *buf;
	struct mt_proc p;
	int i, st, fd;
	pid_t child;

	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755)) TH_LOG("mkdir %s: %s", cg, strerror(errno));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		snprintf(pid, sizeof(pid), "%d", getpid());
		if (mt_write_file("/sys/fs/cgroup/mt_shm/cgroup.procs", pid,
				  strlen(pid)))
			_exit(8);
		buf = malloc(MiB);
		fd = open("/dev/shm/mt_shm", O_CREAT | O_TRUNC | O_WRONLY, 0600);
		if (!buf || fd < 0)
			_exit(9);
		memset(buf, 0x77, MiB);
		for (i = 0; i < 32; i++)
			if (write(fd, buf, MiB) != (ssize_t)MiB)
				_exit(10);
		close(fd);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	/* memcg folds its per-CPU statistics in every 2 s. */
	for (i = 0; i < 50; i++) {
		mt_sleep_ms(200);
		shmem = mt_cgroup_shmem("/mt_shm", &procs, kb);
		stat_kb = mt_memory_stat_kb(cg, "shmem");
		if (shmem >= 32 * 1024 - slack && llabs(shmem - stat_kb) <= slack)
			break;
	}
	TH_LOG("cgroup /mt_shm: shmem %lld KiB (memory.stat %lld, slack %lld), %lld processes",
	       shmem, stat_kb, slack, procs);
	EXPECT_LE(32 * 1024 - slack, shmem);
	EXPECT_GE(32 * 1024 + slack, shmem);
	EXPECT_GE(slack, llabs(shmem - stat_kb));
	/* tmpfs pages are file pages too; anon is what memory.stat says. */
	stat_kb = mt_memory_stat_kb(cg, "file");
	TH_LOG("file %lld KiB (memory.stat %lld)", kb[1], stat_kb);
	EXPECT_LE(shmem, kb[1]);
	EXPECT_GE(slack, llabs(kb[1] - stat_kb));
	stat_kb = mt_memory_stat_kb(cg, "anon");
	TH_LOG("anon %lld KiB (memory.stat %lld)", kb[0], stat_kb);
	EXPECT_LE(0, stat_kb);
	EXPECT_GE(slack, llabs(kb[0] - stat_kb));
	EXPECT_EQ(0, procs);
	EXPECT_EQ(-1, mt_proc_get(child, &p));
	unlink("/dev/shm/mt_shm");
	EXPECT_EQ(0, rmdir(cg));
}

/*
 * 2000 short-lived processes leave nothing behind. (Minutes on the debug
 * lane's KASAN kernel under TCG.)
 */
TEST_F_TIMEOUT(attr, churn_returns_to_baseline, 600)
{
	long long procs0, mem0, procs1 = -1, mem1 = -1, dropped;
	int i, st;

	mt_settle();
	procs0 = mt_stat("tracked_procs");
	mem0 = mt_stat("own_mem_bytes");
	ASSERT_LT(0, procs0);
	for (i = 0; i < 2000; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			if (i % 2)
				execl("/bin/true", "true", (char *)NULL);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
	}
	for (i = 0; i < 20; i++) {
		mt_settle();
		procs1 = mt_stat("tracked_procs");
		mem1 = mt_stat("own_mem_bytes");
		if (procs1 == procs0)
			break;
	}
	dropped = mt_stat("procs_dropped");
	TH_LOG("tracked %lld -> %lld, own memory %lld -> %lld, dropped %lld",
	       procs0, procs1, mem0, mem1, dropped);
	EXPECT_EQ(procs0, procs1);
	EXPECT_GE(64 * 1024, llabs(mem1 - mem0));
	EXPECT_EQ(0, dropped);
}

static void mt_worker(void)
{
	for (;;) {
		char *b = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (b == MAP_FAILED)
			_exit(11);
		memset(b, 1, 2 * MiB);
		munmap(b, 2 * MiB);
		free(malloc(64 * 1024));
		if (!fork())
			_exit(0);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}

/*
 * Unload and reload while processes allocate, fork and exit, 20 times
 * (MEMATTR_UNLOAD_CYCLES: run.sh does 20 where lockdep, KASAN and kmemleak
 * watch, on the debug lane; 5 elsewhere). Each unload waits
 * for RCU and tracepoint grace periods on busy CPUs: allow for it.
 */
TEST_F_TIMEOUT(attr, rmmod_under_load, 600)
{
	const char *env = getenv("MEMATTR_UNLOAD_CYCLES");
	int i, st, cycles = env ? atoi(env) : 20;
	struct timespec t0, t1;
	pid_t w[4];

	ASSERT_LT(0, cycles) TH_LOG("MEMATTR_UNLOAD_CYCLES=%s", env);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 4; i++) {
		w[i] = fork();
		ASSERT_LE(0, w[i]);
		if (!w[i])
			mt_worker();
	}
	for (i = 0; i < cycles; i++) {
		mt_sleep_ms(50);
		ASSERT_EQ(0, mt_module_unload()) TH_LOG("unload %d", i);
		mt_sleep_ms(20);
		ASSERT_EQ(0, mt_module_load(NULL)) TH_LOG("load %d", i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("%d unload/load cycles under load took %ld ms", cycles,
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	for (i = 0; i < 4; i++) {
		kill(w[i], SIGKILL);
		EXPECT_EQ(w[i], waitpid(w[i], &st, 0));
	}
}

TEST_HARNESS_MAIN
