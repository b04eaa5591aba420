// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events in the kernel log, read back from /dev/kmsg: one parseable
 * "memattr: event=..." line per event with the right fields and level;
 * crafted process names escaped, never forging a line or a field;
 * log_events=0 silencing them; a storm beyond the rate limit kept out and
 * counted. Accelerated time: sample_ms=100, leak_window_s=20,
 * leak_min_kb_per_hour=36000.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "memattr_test.h"
#include "kselftest_harness.h"

#define RATE_KBH	(1024LL * 3600)	/* 1 MiB/s */
#define MT_KLOG_MAX	256
#define MT_FIELDS	32
#define MT_BURST	10		/* klog.c: lines per kind per 5 s */

/* A kernel log line of memattr's, taken apart. */
struct mt_kline {
	int level;			/* syslog priority & 7 */
	long long ts_us;		/* the record's time stamp */
	char text[1024];		/* after "memattr: ", kmsg's escapes undone */
	int nr;
	char key[MT_FIELDS][48];
	char val[MT_FIELDS][320];	/* unescaped */
	int bad;			/* a token that was not key=value */
};

static struct mt_kline mt_klines[MT_KLOG_MAX];
static int mt_nr_klines;
static int mt_kmsg_fd = -1;

static int mt_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo "\xHH" escapes of @len bytes of @s into @d (NUL-terminated). */
static void mt_unescape(char *d, size_t size, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    mt_hex(s[i + 2]) >= 0 && mt_hex(s[i + 3]) >= 0) {
			d[n++] = mt_hex(s[i + 2]) << 4 | mt_hex(s[i + 3]);
			i += 3;
			continue;
		}
		d[n++] = s[i];
	}
	d[n] = '\0';
}

/* Split @l->text at spaces into key=value fields. */
static void mt_kline_parse(struct mt_kline *l)
{
	char *p = l->text;

	l->nr = 0;
	l->bad = 0;
	while (*p) {
		char *end = strchr(p, ' '), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		eq = memchr(p, '=', len);
		if (!eq || eq == p || l->nr == MT_FIELDS) {
			l->bad++;
		} else {
			snprintf(l->key[l->nr], sizeof(l->key[0]), "%.*s",
				 (int)(eq - p), p);
			/* a value holds no '=' of its own: it is escaped */
			if (memchr(eq + 1, '=', len - (eq + 1 - p)))
				l->bad++;
			mt_unescape(l->val[l->nr], sizeof(l->val[0]), eq + 1,
				    len - (eq + 1 - p));
			l->nr++;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

/* The value of @key in @l, or NULL. */
static const char *mt_kv(const struct mt_kline *l, const char *key)
{
	int i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->key[i], key))
			return l->val[i];
	return NULL;
}

static long long mt_kv_ll(const struct mt_kline *l, const char *key)
{
	const char *v = mt_kv(l, key);

	return v ? strtoll(v, NULL, 10) : -1;
}

/* Start reading the kernel log from its current end. */
static int mt_kmsg_open(void)
{
	mt_nr_klines = 0;
	if (mt_kmsg_fd >= 0)
		close(mt_kmsg_fd);
	mt_kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (mt_kmsg_fd < 0)
		return -errno;
	return lseek(mt_kmsg_fd, 0, SEEK_END) < 0 ? -errno : 0;
}

/*
 * Read the records logged since the last call; keep memattr's event lines.
 * Return: how many records of any kind started with "memattr: event".
 */
static int mt_kmsg_read(void)
{
	char rec[8192];
	int n = 0;

	for (;;) {
		ssize_t len = read(mt_kmsg_fd, rec, sizeof(rec) - 1);
		struct mt_kline *l;
		char msg[1024], *semi, *nl;
		int pri;
		long long seq, ts;

		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		semi = strchr(rec, ';');
		if (!semi || sscanf(rec, "%d,%lld,%lld", &pri, &seq, &ts) != 3)
			continue;
		nl = strchr(semi + 1, '\n');	/* the message ends there */
		if (nl)
			*nl = '\0';
		/* /dev/kmsg escapes bytes below ' ', above '~' and '\\'. */
		mt_unescape(msg, sizeof(msg), semi + 1, strlen(semi + 1));
		if (strncmp(msg, "memattr: event", 14))
			continue;
		n++;
		if (mt_nr_klines == MT_KLOG_MAX)
			continue;
		l = &mt_klines[mt_nr_klines++];
		l->level = pri & 7;
		l->ts_us = ts;
		snprintf(l->text, sizeof(l->text), "%s", msg + 9);
		mt_kline_parse(l);
	}
	return n;
}

/* How many kept lines have event=@kind and, unless @pid is 0, pid=@pid? */
static int mt_klines_of(const char *kind, pid_t pid)
{
	int i, n = 0;

	for (i = 0; i < mt_nr_klines; i++) {
		const char *ev = mt_kv(&mt_klines[i], "event");

		n += ev && !strcmp(ev, kind) &&
		     (!pid || mt_kv_ll(&mt_klines[i], "pid") == pid);
	}
	return n;
}

static const struct mt_kline *mt_kline_find(const char *kind, pid_t pid)
{
	int i;

	for (i = 0; i < mt_nr_klines; i++) {
		const char *ev = mt_kv(&mt_klines[i], "event");

		if (ev && !strcmp(ev, kind) &&
		    (!pid || mt_kv_ll(&mt_klines[i], "pid") == pid))
			return &mt_klines[i];
	}
	return NULL;
}

/* Events of @kind in the debugfs ring ("kind" as it prints it). */
static int mt_ring_events(const char *kind)
{
	char *line, *save, k[32];
	int n = 0;

	if (mt_read_file(MEMATTR_DEBUGFS "/events", mt_buf, sizeof(mt_buf)) <= 0)
		return -1;
	for (line = strtok_r(mt_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%*s %31s", k) == 1 && !strcmp(k, kind))
			n++;
	return n;
}

static long long mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int mt_set_watermarks(const char *levels)
{
	return mt_write_file(MEMATTR_PARAMS "/watermarks", levels,
			     strlen(levels));
}

static int mt_used_pct(void)
{
	long long total = mt_proc_field("/proc/meminfo", "MemTotal");
	long long avail = mt_proc_field("/proc/meminfo", "MemAvailable");

	return (int)((total - avail) * 100 / total);
}

/* Memory held so that at least 10 % of MemTotal is in use. */
static char *mt_ballast;
static size_t mt_ballast_len;

static void mt_use_10pct(void)
{
	long long total = mt_proc_field("/proc/meminfo", "MemTotal");
	int used = mt_used_pct();

	if (used >= 10)
		return;
	mt_ballast_len = (size_t)total * 1024 * (11 - used) / 100;
	mt_ballast = mmap(NULL, mt_ballast_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mt_ballast != MAP_FAILED)
		memset(mt_ballast, 1, mt_ballast_len);
}

static void mt_ballast_free(void)
{
	if (mt_ballast && mt_ballast != MAP_FAILED)
		munmap(mt_ballast, mt_ballast_len);
	mt_ballast = NULL;
}

/* Eight levels all below the use, and eight all above it. */
#define MT_WM_LOW	"1,2,3,4,5,6,7,8"
#define MT_WM_HIGH	"91,92,93,94,95,96,97,98"

/* The crafted names: what the kernel keeps of them (15 bytes). */
static const char mt_evil_leak[] = "evil\nmemattr: e";
static const char mt_evil_oom[] = "a b=\"c\" d\\x=1";

FIXTURE(klog) {
	int unused;
};

FIXTURE_SETUP(klog)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	/* Before the load: the module adopts it, it never grows. */
	mt_use_10pct();
	ASSERT_LE(9, mt_used_pct());
	ASSERT_GE(85, mt_used_pct());
	ASSERT_EQ(0, mt_module_load("sample_ms=100 leak_window_s=20 leak_min_kb_per_hour=36000"));
	ASSERT_EQ(0, mt_kmsg_open());
}

FIXTURE_TEARDOWN(klog)
{
	mt_ballast_free();
	EXPECT_EQ(0, mt_module_unload());
}

/* 1 MiB/s for 15 s after 10 s, then held, in KiB at 100 ms tick @tick. */
static long mt_leak_shape(long tick)
{
	if (tick < 100)
		return 0;
	return ((tick < 250 ? tick : 250) - 100) * 1024 / 10;
}

/* Leaks as mt_leak_shape() for 2 minutes; renamed @name first. */
static void mt_leaker(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
	mt_shaped(mt_leak_shape, 1200);
}

/* Every kept line is key=value throughout and starts with event=. */
static void mt_all_parse(struct __test_metadata *_metadata)
{
	int i;

	for (i = 0; i < mt_nr_klines; i++) {
		EXPECT_EQ(0, mt_klines[i].bad) TH_LOG("%s", mt_klines[i].text);
		EXPECT_STREQ("event", mt_klines[i].key[0]);
		EXPECT_STREQ("time_ms", mt_klines[i].key[1]);
	}
}

/*
 * A leaker named "evil\nmemattr: e": one LEAK line (warning) and one
 * LEAK_CLEARED line (info) about it, its name escaped and given back whole,
 * and no other line, forged or not.
 */
TEST_F_TIMEOUT(klog, leak_and_cleared_lines, 150)
{
	const struct mt_kline *l;
	long long t0 = mt_now_ms(), growth;
	int st, records = 0;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		mt_leaker(mt_evil_leak);
	while (mt_now_ms() - t0 < 100000) {
		mt_sleep_ms(500);
		records += mt_kmsg_read();
		if (mt_klines_of("leak_cleared", pid))
			break;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	mt_sleep_ms(300);
	records += mt_kmsg_read();
	for (st = 0; st < mt_nr_klines; st++)
		TH_LOG("line: %s", mt_klines[st].text);
	mt_all_parse(_metadata);
	/*
	 * Every record that starts like an event line is one (the system or
	 * the root cgroup may leak too), and none is forged.
	 */
	EXPECT_EQ(records, mt_nr_klines);
	EXPECT_EQ(0, mt_klines_of("oom_kill", 0));
	EXPECT_EQ(0, mt_klines_of("oom_kill", 1));
	ASSERT_EQ(1, mt_klines_of("leak", pid));
	ASSERT_EQ(1, mt_klines_of("leak_cleared", pid));

	l = mt_kline_find("leak", pid);
	EXPECT_EQ(4, l->level);
	EXPECT_STREQ("process", mt_kv(l, "entity"));
	EXPECT_STREQ(mt_evil_leak, mt_kv(l, "comm"));
	EXPECT_NE(NULL, strstr(l->text, "comm=evil\\x0amemattr:\\x20e "));
	/* The rate the detector had when it decided: past the threshold. */
	growth = mt_kv_ll(l, "growth_kb_per_hour");
	EXPECT_LE(36000, growth);
	EXPECT_GE(2 * RATE_KBH, growth)
		TH_LOG("growth %lld KiB/h, true %lld", growth, RATE_KBH);
	EXPECT_LT(0, mt_kv_ll(l, "since_ms"));
	EXPECT_LE(mt_kv_ll(l, "since_ms"), mt_kv_ll(l, "time_ms"));
	/* Growing: a finite time to exhaustion, the line's last field. */
	EXPECT_NE(NULL, mt_kv(l, "exhaust_s"));
	EXPECT_LE(0, mt_kv_ll(l, "exhaust_s"));
	EXPECT_NE(NULL, strstr(l->text, " exhaust_s="));
	EXPECT_EQ(NULL, strchr(strstr(l->text, " exhaust_s=") + 1, ' '));
	EXPECT_EQ(NULL, mt_kv(l, "truncated"));

	l = mt_kline_find("leak_cleared", pid);
	EXPECT_EQ(6, l->level);
	EXPECT_STREQ("process", mt_kv(l, "entity"));
	EXPECT_STREQ(mt_evil_leak, mt_kv(l, "comm"));
	EXPECT_LE(0, mt_kv_ll(l, "since_ms"));
}

/*
 * An OOM kill in a 32 MiB cgroup by a process named `a b="c" d\x=1`: one
 * OOM_KILL line (error) naming it, escaped, its cgroup and rss, and the
 * top growers.
 */
TEST_F_TIMEOUT(klog, oom_kill_line, 120)
{
	const char *cg = "/sys/fs/cgroup/mt_klog_oom";
	const struct mt_kline *l;
	char pidbuf[16];
	pid_t child;
	int st, i, top;

	rmdir(cg);
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, mt_write_file("/sys/fs/cgroup/mt_klog_oom/memory.max",
				   "32M", 3));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		char *b;

		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		if (mt_write_file("/sys/fs/cgroup/mt_klog_oom/cgroup.procs",
				  pidbuf, strlen(pidbuf)))
			_exit(40);
		prctl(PR_SET_NAME, mt_evil_oom, 0, 0, 0);
		mt_sleep_ms(500);
		b = mmap(NULL, 64 * MiB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(b, 1, 64 * MiB);
		_exit(41);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st));
	mt_sleep_ms(500);
	mt_kmsg_read();
	for (i = 0; i < mt_nr_klines; i++)
		TH_LOG("line: %s", mt_klines[i].text);
	mt_all_parse(_metadata);
	ASSERT_EQ(1, mt_klines_of("oom_kill", 0));
	l = mt_kline_find("oom_kill", child);
	ASSERT_NE(NULL, l);
	EXPECT_EQ(3, l->level);
	EXPECT_STREQ(mt_evil_oom, mt_kv(l, "comm"));
	EXPECT_NE(NULL, strstr(l->text,
			       "comm=a\\x20b\\x3d\\x22c\\x22\\x20d\\x5cx\\x3d1 "));
	EXPECT_STREQ("/mt_klog_oom", mt_kv(l, "cgroup"));
	EXPECT_LE(16 * 1024, mt_kv_ll(l, "rss_kb"));
	top = mt_kv_ll(l, "top");
	EXPECT_LE(0, top);
	EXPECT_GE(3, top);
	for (i = 1; i <= top; i++) {
		char key[48];

		snprintf(key, sizeof(key), "top%d_pid", i);
		EXPECT_LT(0, mt_kv_ll(l, key));
		snprintf(key, sizeof(key), "top%d_comm", i);
		EXPECT_NE(NULL, mt_kv(l, key));
		snprintf(key, sizeof(key), "top%d_growth_kb_per_hour", i);
		EXPECT_NE(NULL, mt_kv(l, key));
		snprintf(key, sizeof(key), "top%d_rss_kb", i);
		EXPECT_LE(0, mt_kv_ll(l, key));
	}
	EXPECT_EQ(0, rmdir(cg));
}

/* The klog_suppressed of `memattr -j stats` (netlink), or -1. */
static long long mt_cli_suppressed(void)
{
	char out[8192], *p;

	if (mt_run("memattr -j stats", out, sizeof(out)))
		return -1;
	p = strstr(out, "\"klog_suppressed\":");
	return p ? strtoll(p + 18, NULL, 10) : -1;
}

/*
 * Eight watermark levels crossed up, down and up again (24 events in about
 * two seconds): each line as it should be, no more than MT_BURST in any 5 s,
 * and every event either logged or counted as suppressed, in debugfs and
 * over netlink alike.
 */
TEST_F_TIMEOUT(klog, watermark_storm_rate_limited, 60)
{
	const struct mt_kline *wm[MT_KLOG_MAX];
	long long printed, suppressed;
	int i, j, n = 0, ups = 0, downs = 0, events;

	ASSERT_EQ(0, mt_set_watermarks(MT_WM_LOW));
	mt_sleep_ms(500);
	ASSERT_EQ(0, mt_set_watermarks(MT_WM_HIGH));
	mt_sleep_ms(500);
	ASSERT_EQ(0, mt_set_watermarks(MT_WM_LOW));
	mt_sleep_ms(500);
	mt_kmsg_read();
	events = mt_ring_events("watermark");
	for (i = 0; i < mt_nr_klines; i++)
		if (!strcmp(mt_kv(&mt_klines[i], "event") ?: "", "watermark"))
			wm[n++] = &mt_klines[i];
	printed = n;
	suppressed = mt_stat("klog_suppressed");
	TH_LOG("%d events, %lld lines, %lld suppressed", events, printed,
	       suppressed);
	mt_all_parse(_metadata);
	EXPECT_EQ(24, events);
	EXPECT_EQ(events, printed + suppressed);
	EXPECT_LE(1, suppressed);
	EXPECT_EQ(suppressed, mt_cli_suppressed());
	/* The budget: never more than MT_BURST lines within 5 s. */
	for (i = 0; i < n; i++) {
		int in = 0;

		for (j = i; j < n; j++)
			in += wm[j]->ts_us - wm[i]->ts_us < 5000000;
		EXPECT_GE(MT_BURST, in);
	}
	/* The first eight: levels 1..8 crossed upwards, warnings. */
	ASSERT_LE(8, n);
	for (i = 0; i < 8; i++) {
		const struct mt_kline *l = wm[i];

		EXPECT_STREQ("watermark", mt_kv(l, "event"));
		EXPECT_STREQ("up", mt_kv(l, "direction"));
		EXPECT_EQ(i + 1, mt_kv_ll(l, "level"));
		EXPECT_EQ(i + 1, mt_kv_ll(l, "level_pct"));
		EXPECT_LE(i + 1, mt_kv_ll(l, "used_pct"));
		EXPECT_EQ(4, l->level);
	}
	for (i = 8; i < n; i++) {
		const char *dir = mt_kv(wm[i], "direction");

		if (dir && !strcmp(dir, "down")) {
			downs++;
			EXPECT_EQ(5, wm[i]->level);
		} else {
			ups++;
		}
	}
	TH_LOG("after the first eight: %d down, %d up", downs, ups);
	EXPECT_LE(1, downs);
}

/*
 * log_events: bad values refused, the old one kept; 0 (sysfs or
 * `memattr config log_events=0`) silences the lines while the events still
 * happen; 1 brings them back.
 */
TEST_F_TIMEOUT(klog, log_events_off_silences, 60)
{
	static const char * const bad[] = {
		"2", "-1", "abc", "", "Y", "N", "on", "1x", " 0", "0x0",
	};
	const char *path = MEMATTR_PARAMS "/log_events";
	char out[4096];
	unsigned int i;

	ASSERT_EQ(1, mt_param_read("log_events"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!*bad[i])
			continue;	/* sysfs ends an empty write early */
		EXPECT_EQ(EINVAL, mt_write_file(path, bad[i], strlen(bad[i])))
			TH_LOG("log_events <- \"%s\"", bad[i]);
		EXPECT_EQ(1, mt_param_read("log_events"));
	}
	/* The CLI refuses it (usage error; netlink.c checks the kernel's). */
	EXPECT_EQ(2, mt_run("memattr config log_events=2 2>&1", out, sizeof(out)));
	EXPECT_EQ(1, mt_param_read("log_events"));

	ASSERT_EQ(0, mt_write_file(path, "0\n", 2));
	EXPECT_EQ(0, mt_param_read("log_events"));
	ASSERT_EQ(0, mt_set_watermarks(MT_WM_LOW));
	mt_sleep_ms(600);
	EXPECT_EQ(0, mt_kmsg_read());
	EXPECT_EQ(8, mt_ring_events("watermark"));
	EXPECT_EQ(0, mt_stat("klog_lines"));
	EXPECT_EQ(0, mt_stat("klog_suppressed"));

	/* On again through netlink, off again, on again: lines come back. */
	ASSERT_EQ(0, mt_run("memattr config log_events=1 >/dev/null", NULL, 0));
	EXPECT_EQ(1, mt_param_read("log_events"));
	ASSERT_EQ(0, mt_run("memattr -j config", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\"log_events\":1")) TH_LOG("%s", out);
	ASSERT_EQ(0, mt_set_watermarks(MT_WM_HIGH));
	mt_sleep_ms(600);
	mt_kmsg_read();
	EXPECT_EQ(8, mt_klines_of("watermark", 0));
	for (i = 0; i < (unsigned int)mt_nr_klines; i++) {
		if (strcmp(mt_kv(&mt_klines[i], "event") ?: "", "watermark"))
			continue;
		EXPECT_STREQ("down", mt_kv(&mt_klines[i], "direction"));
		EXPECT_EQ(5, mt_klines[i].level);
	}
	ASSERT_EQ(0, mt_run("memattr config log_events=0 >/dev/null", NULL, 0));
	EXPECT_EQ(0, mt_param_read("log_events"));
	ASSERT_EQ(0, mt_set_watermarks(MT_WM_LOW));
	mt_sleep_ms(600);
	mt_nr_klines = 0;
	mt_kmsg_read();
	EXPECT_EQ(0, mt_klines_of("watermark", 0));
	EXPECT_EQ(24, mt_ring_events("watermark"));
	EXPECT_LE(8, mt_stat("klog_lines"));
}

TEST_HARNESS_MAIN
