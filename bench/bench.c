// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench - the storms of memattr's overhead benchmark, run inside a guest.
 *
 *   bench storm NAME [SCALE_PCT]  run one storm, print its time:
 *                                 "storm NAME ns=N iters=I events=E"
 *   bench spawn N READY_FILE [PERIOD_MS]
 *                                 fork N sleeping children (with PERIOD_MS:
 *                                 each writes to a page of its own every
 *                                 PERIOD_MS), create READY_FILE, and on
 *                                 SIGTERM kill and reap them all
 *   bench dump [REPEAT]           time full GET_PROC netlink dumps:
 *                                 "dump rows=R ns=N" (the median)
 *   bench nop                     exit 0 (what the exec storm executes)
 *
 * Storms (fixed work, so runs compare):
 *   fault   mmap 64 MiB anonymous, touch every page, munmap; 4 times
 *           (MADV_NOHUGEPAGE: a fault per 4 KiB page, the worst case for
 *           the page allocator's hooks, not one per 2 MiB)
 *   faultthp  the same as the kernel's THP setting has it (Debian: always)
 *   mmap    mmap 16 KiB anonymous and munmap it; 20000 times
 *   brk     grow the break by 64 KiB and shrink it back; 20000 times
 *   fork    fork, the child exits at once, wait; 400 times
 *   exec    fork, the child execs this static binary ("nop"), wait; 150 times
 *   read    pread an 8 MiB file already in the page cache; 40 times
 *
 * Times are CLOCK_MONOTONIC. events= is the number of memattr hook hits
 * during the storm when the module is loaded (from debugfs stats), else 0.
 *
 * With BENCH_PROFILE=N in the environment, the storm profiles itself:
 * "memattr profile start PID -n N" before the timed part, and after it the
 * profile's counters from "memattr -j profile PID -d 0", appended to the
 * line as "samples=S throttled=T" (the stack walks the storm paid, and
 * the sampled pages the rate limit let through unwalked).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../selftests/memattr/genl.h"
#include <linux/memattr.h>

#define MIB			(1024UL * 1024UL)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define STATS			"/sys/kernel/debug/memattr/stats"
#define READ_FILE		"/tmp/bench-cached"
#define READ_FILE_BYTES		(8 * MIB)

static char self_path[4096];
static int scale_pct = 100;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long scaled(long n)
{
	long v = n * scale_pct / 100;

	return v > 0 ? v : 1;
}

/* Sum of the hits column of the hook table in debugfs stats; 0 if absent. */
static uint64_t hook_hits(void)
{
	char line[256], name[64], kind[64], target[128];
	unsigned long long hits, misses;
	uint64_t sum = 0;
	FILE *f = fopen(STATS, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %63s %127s %llu %llu", name, kind, target,
			   &hits, &misses) == 5)
			sum += hits;
	fclose(f);
	return sum;
}

/*
 * "memattr profile start PID -n N", retried while the module has not
 * seen the process yet.
 */
static int profile_self(const char *every)
{
	char cmd[128];
	int i;

	snprintf(cmd, sizeof(cmd),
		 "memattr profile start %d -n %s 2>/dev/null", (int)getpid(),
		 every);
	for (i = 0; i < 50; i++) {
		if (!system(cmd))
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "bench: %s failed\n", cmd);
	return -1;
}

/* The value of "KEY": N in the JSON text S; -1 if absent. */
static long long json_u64(const char *s, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\"", key);
	p = strstr(s, k);
	if (!p)
		return -1;
	p += strlen(k);
	while (*p == ' ' || *p == ':')
		p++;
	return *p >= '0' && *p <= '9' ? strtoll(p, NULL, 10) : -1;
}

/* The running profile's samples and throttled pages: 0 when it works. */
static int profile_counts(long long *samples, long long *throttled)
{
	char cmd[128], buf[4096];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "memattr -j profile %d -d 0 2>/dev/null",
		 (int)getpid());
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	while (fgetc(f) != EOF)
		;	/* the top sites: not needed */
	if (pclose(f))
		return -1;
	*samples = json_u64(buf, "samples");
	*throttled = json_u64(buf, "throttled_pages");
	return *samples < 0 || *throttled < 0 ? -1 : 0;
}

static long fault_storm(bool thp)
{
	const size_t len = 64 * MIB;
	long i, n = scaled(4);
	size_t off;

	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap 64 MiB");
		if (!thp && madvise(p, len, MADV_NOHUGEPAGE))
			die("madvise");
		for (off = 0; off < len; off += 4096)
			p[off] = 1;
		if (munmap(p, len))
			die("munmap");
	}
	return n;
}

static long storm_fault(void)
{
	return fault_storm(false);
}

static long storm_faultthp(void)
{
	return fault_storm(true);
}

static long storm_mmap(void)
{
	long i, n = scaled(20000);

	for (i = 0; i < n; i++) {
		void *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap 16 KiB");
		if (munmap(p, 16384))
			die("munmap");
	}
	return n;
}

static long storm_brk(void)
{
	long i, n = scaled(20000);

	for (i = 0; i < n; i++) {
		if (sbrk(65536) == (void *)-1)
			die("sbrk +64 KiB");
		if (sbrk(-65536) == (void *)-1)
			die("sbrk -64 KiB");
	}
	return n;
}

static void wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("child");
}

static long storm_fork(void)
{
	long i, n = scaled(400);

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		wait_child(pid);
	}
	return n;
}

static long storm_exec(void)
{
	long i, n = scaled(150);

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			execl(self_path, "bench", "nop", (char *)NULL);
			_exit(127);
		}
		wait_child(pid);
	}
	return n;
}

static void read_file_prepare(void)
{
	static char buf[65536];
	struct stat st;
	size_t done;
	int fd;

	if (!stat(READ_FILE, &st) && st.st_size == READ_FILE_BYTES)
		return;
	fd = open(READ_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("create " READ_FILE);
	memset(buf, 'x', sizeof(buf));
	for (done = 0; done < READ_FILE_BYTES; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("write " READ_FILE);
	close(fd);
}

static long storm_read(void)
{
	static char buf[65536];
	long i, n = scaled(40);
	size_t off;
	int fd = open(READ_FILE, O_RDONLY);

	if (fd < 0)
		die("open " READ_FILE);
	for (i = 0; i < n; i++)
		for (off = 0; off < READ_FILE_BYTES; off += sizeof(buf))
			if (pread(fd, buf, sizeof(buf), off) != sizeof(buf))
				die("pread");
	close(fd);
	return n;
}

static const struct {
	const char *name;
	long (*fn)(void);
} storms[] = {
	{ "fault", storm_fault },
	{ "faultthp", storm_faultthp },
	{ "mmap", storm_mmap },
	{ "brk", storm_brk },
	{ "fork", storm_fork },
	{ "exec", storm_exec },
	{ "read", storm_read },
};

static int cmd_storm(const char *name)
{
	const char *every = getenv("BENCH_PROFILE");
	long long samples, throttled;
	uint64_t t0, t1, e0, e1;
	unsigned int i;
	long iters;

	for (i = 0; i < ARRAY_SIZE(storms); i++) {
		if (strcmp(name, storms[i].name))
			continue;
		if (storms[i].fn == storm_read) {
			read_file_prepare();
			storm_read();	/* into the page cache */
		}
		if (every && *every && profile_self(every))
			return 1;
		e0 = hook_hits();
		t0 = now_ns();
		iters = storms[i].fn();
		t1 = now_ns();
		e1 = hook_hits();
		printf("storm %s ns=%llu iters=%ld events=%llu", name,
		       (unsigned long long)(t1 - t0), iters,
		       (unsigned long long)(e1 - e0));
		if (every && *every) {
			if (profile_counts(&samples, &throttled)) {
				printf("\n");
				fprintf(stderr, "bench: no profile of %d\n",
					(int)getpid());
				return 1;
			}
			printf(" samples=%lld throttled=%lld", samples,
			       throttled);
		}
		printf("\n");
		return 0;
	}
	fprintf(stderr, "bench: no storm '%s'\n", name);
	return 2;
}

static sig_atomic_t stop;

static void on_term(int sig)
{
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

/*
 * Fork @n children that sleep, or with @period_ms > 0 that each wake up
 * every @period_ms, write to a page of their own and sleep again: a table
 * of processes that all run between two sampler ticks.
 */
static int cmd_spawn(long n, const char *ready, long period_ms)
{
	pid_t *kids = calloc(n, sizeof(*kids));
	sigset_t set, old;
	long i;
	int fd;

	if (!kids)
		die("calloc");
	signal(SIGTERM, on_term);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (!kids[i]) {
			static char page[4096];
			struct timespec ts = {
				.tv_sec = period_ms / 1000,
				.tv_nsec = period_ms % 1000 * 1000000,
			};
			unsigned char v = 0;

			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			if (period_ms <= 0)
				for (;;)
					pause();
			for (;;) {
				__atomic_store_n(&page[(v * 64) % sizeof(page)], v,
						 __ATOMIC_RELAXED);
				v++;
				nanosleep(&ts, NULL);
			}
		}
	}
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	/* SIGTERM is blocked but in sigsuspend(): no lost wake-up. */
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		sigsuspend(&old);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}

static int dump_row_cb(const struct nlmsghdr *nlh, void *arg)
{
	(*(long *)arg)++;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmd_dump(int repeat)
{
	static struct genl_sock s;
	uint64_t ns[64];
	struct genl_ack ack;
	struct genl_req r;
	long rows = 0;
	int i, ret;

	if (repeat < 1 || repeat > 64)
		repeat = 5;
	if (genl_open(&s, MEMATTR_GENL_NAME, NULL)) {
		fprintf(stderr, "bench: no memattr family\n");
		return 1;
	}
	for (i = 0; i < repeat; i++) {
		uint64_t t0 = now_ns();

		rows = 0;
		genl_req_init(&r, s.family, MEMATTR_CMD_GET_PROC, NLM_F_DUMP);
		ret = genl_do(&s, &r, dump_row_cb, &rows, &ack);
		ns[i] = now_ns() - t0;
		if (ret || ack.err) {
			fprintf(stderr, "bench: dump failed (%d, %d)\n", ret,
				ack.err);
			return 1;
		}
	}
	qsort(ns, repeat, sizeof(ns[0]), cmp_u64);
	printf("dump rows=%ld ns=%llu\n", rows,
	       (unsigned long long)ns[repeat / 2]);
	genl_close(&s);
	return 0;
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);

	if (n > 0)
		self_path[n] = '\0';
	if (argc >= 2 && !strcmp(argv[1], "nop"))
		return 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "storm")) {
		if (argc >= 4)
			scale_pct = atoi(argv[3]);
		if (scale_pct < 1 || scale_pct > 1000)
			scale_pct = 100;
		return cmd_storm(argv[2]);
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "spawn"))
		return cmd_spawn(atol(argv[2]), argv[3],
				 argc == 5 ? atol(argv[4]) : 0);
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return cmd_dump(argc >= 3 ? atoi(argv[2]) : 5);
	fprintf(stderr,
		"usage: bench storm NAME [SCALE_PCT] | spawn N READY_FILE [PERIOD_MS] | dump [REPEAT] | nop\n");
	return 2;
}
