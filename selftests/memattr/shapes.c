// SPDX-License-Identifier: GPL-2.0-only
/*
 * Footprint shapes, end to end, in accelerated time (detect.h): a GC
 * sawtooth and a page-cache reader are never LEAK, a leak that stops
 * clears, a reader of shared memory another process wrote is never LEAK
 * while a writer of new shared pages is, and short-lived writers of
 * /dev/shm make their cgroup leak.
 */
#include "detect.h"

static long mt_sawtooth(long tick) { return 1024 + (tick % 40) * 64 * 1024 / 40; }
static long mt_grow15_flat(long tick)
{
	if (tick < 100)		/* 10 s idle, */
		return 1024;
	if (tick < 250)		/* 15 s at 1 MiB/s, */
		return 1024 + (tick - 100) * 1024 / 10;
	return 1024 + 150 * 1024 / 10;	/* then flat */
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

TEST_HARNESS_MAIN
