// SPDX-License-Identifier: GPL-2.0-only
/*
 * Growth-site profiles, the kernel side: PROFILE_START/STOP/GET_PROFILE
 * over raw netlink. A child touching pages in a known function is found
 * there, its in-use weight drops when it unmaps them, and its profile ends
 * with its exit and its exec. Hostile input (kernel threads, zombies,
 * unknown pids, a second start, a stop of an unprofiled pid, more than
 * profile_max, bad parameters, an unprivileged caller) gets a clear error
 * and changes nothing.
 *
 * Init (pid 1 of the initial namespace) is refused with -EPERM: every page
 * it faults would pay a stack walk, and its death panics the machine.
 *
 * profile_auto, in accelerated detection time: a process in LEAK gets a
 * profile only with the parameter on, once (about 25 s).
 *
 * Built with frame pointers (see the Makefile).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define NOBODY		65534
#define TOUCH_PAGES	2048	/* 8 MiB of 4 KiB pages */

/* --- the profiled child --------------------------------------------------- */

static char *touched;
static size_t touched_len;
static int touch_advice = MADV_NOHUGEPAGE;	/* step 4: MADV_HUGEPAGE */

/* Touches every page of a new mapping: the growth site to find. */
static void mt_touch_here(size_t len)
{
	touched = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (touched == MAP_FAILED)
		_exit(3);
	madvise(touched, len, touch_advice);
	touched_len = len;
	for (size_t off = 0; off < len; off += 4096) {
		touched[off] = 1;
		__asm__ volatile("" : : "r"(touched) : "memory");
	}
}

/* Called through this, so that it is never inlined: a global may change. */
void (*mt_touch_fn)(size_t len) = mt_touch_here;

/* Where a pc of mt_touch_here() may be: it is much shorter than this. */
#define MT_TOUCH_HERE_MAX	1024

/*
 * A child that waits for a byte on @in before each step (1: touch, 2:
 * unmap, 3: exec, 4: touch with huge pages, 0/EOF: exit) and answers each
 * on @out.
 */
static pid_t mt_child(int *to, int *from)
{
	int a[2], b[2];
	pid_t pid;

	if (pipe(a) || pipe(b))
		return -1;
	pid = fork();
	if (pid)
		goto parent;
	close(a[1]);
	close(b[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		char c = 0;

		if (read(a[0], &c, 1) != 1 || !c)
			_exit(0);
		if (c == 4)
			touch_advice = MADV_HUGEPAGE;
		if (c == 1 || c == 4)
			mt_touch_fn((size_t)TOUCH_PAGES * 4096);
		else if (c == 2)
			munmap(touched, touched_len);
		if (c == 3 && write(b[1], &c, 1) == 1)
			execl("/proc/self/exe", "profile", "--sleep", NULL);
		if (write(b[1], &c, 1) != 1)
			_exit(4);
	}
parent:
	close(a[0]);
	close(b[1]);
	*to = a[1];
	*from = b[0];
	return pid;
}

static int mt_child_step(int to, int from, char c)
{
	char r;

	if (write(to, &c, 1) != 1)
		return -1;
	return read(from, &r, 1) == 1 && r == c ? 0 : -1;
}

static void mt_child_end(pid_t pid, int to, int from)
{
	close(to);
	close(from);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* --- requests ------------------------------------------------------------- */

/* Send @cmd for @pid (0: none) with @every (0: none). Return: the ack. */
static struct genl_ack mt_prof_cmd(struct genl_sock *s, uint8_t cmd, int pid,
				   int every)
{
	struct genl_ack ack = { .err = EIO };
	struct genl_req r;

	genl_req_init(&r, s->family, cmd, NLM_F_ACK);
	if (pid)
		genl_put_u32(&r, MEMATTR_A_PROFILE_PID, pid);
	if (every)
		genl_put_u32(&r, MEMATTR_A_PROFILE_SAMPLE_EVERY, every);
	if (genl_do(s, &r, NULL, NULL, &ack))
		ack.err = EIO;
	return ack;
}

static int mt_stats_profiles(struct genl_sock *s, uint64_t *bytes)
{
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + 1];
	struct mt_reply *rep = calloc(1, sizeof(*rep));
	struct genl_ack ack;
	struct genl_req r;
	int n = -1;

	genl_req_init(&r, s->family, MEMATTR_CMD_GET_STATS, NLM_F_ACK);
	if (rep && !genl_do(s, &r, mt_keep_cb, rep, &ack) && !ack.err &&
	    rep->len && !genl_parse_msg((struct nlmsghdr *)rep->buf, tb,
					MEMATTR_A_STATS_MAX) &&
	    tb[MEMATTR_A_STATS_PROFILES] &&
	    tb[MEMATTR_A_STATS_PROFILE_MEM_BYTES]) {
		n = genl_u32(tb[MEMATTR_A_STATS_PROFILES]);
		if (bytes)
			*bytes = genl_u64(tb[MEMATTR_A_STATS_PROFILE_MEM_BYTES]);
	}
	free(rep);
	return n;
}

/* What a GET_PROFILE dump gave. */
struct mt_prof {
	int msgs;
	int summary;			/* messages with the counters */
	uint32_t pid_bad;		/* messages naming another pid */
	uint64_t pages, samples, inuse, map_calls, map_bytes;
	uint32_t nr_stacks, max_stacks, page_size;
	uint64_t stacks;		/* stacks seen */
	uint64_t sum_pages, sum_inuse;	/* over the stacks */
	uint64_t here_pages, here_inuse;	/* stacks whose leaf is in
						 * mt_touch_here()
						 */
	uint64_t bad_frames;		/* FRAMES of a bad length */
	uint32_t pid;
	uint8_t autostart;		/* MEMATTR_A_PROFILE_AUTO */
};

static int mt_prof_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_PROFILE_MAX + 1];
	const struct nlattr *st[MEMATTR_A_STACK_MAX + 1];
	const struct nlattr *item = NULL;
	struct mt_prof *p = arg;

	p->msgs++;
	if (genl_parse_msg(nlh, tb, MEMATTR_A_PROFILE_MAX) ||
	    !tb[MEMATTR_A_PROFILE_PID])
		return 0;
	if (genl_u32(tb[MEMATTR_A_PROFILE_PID]) != p->pid)
		p->pid_bad++;
	if (tb[MEMATTR_A_PROFILE_PAGES]) {
		p->summary++;
		p->pages = genl_u64(tb[MEMATTR_A_PROFILE_PAGES]);
		p->samples = genl_u64(tb[MEMATTR_A_PROFILE_SAMPLES]);
		p->inuse = genl_u64(tb[MEMATTR_A_PROFILE_INUSE_PAGES]);
		p->map_calls = genl_u64(tb[MEMATTR_A_PROFILE_MAP_CALLS]);
		p->map_bytes = genl_u64(tb[MEMATTR_A_PROFILE_MAP_BYTES]);
		p->nr_stacks = genl_u32(tb[MEMATTR_A_PROFILE_NR_STACKS]);
		p->max_stacks = genl_u32(tb[MEMATTR_A_PROFILE_MAX_STACKS]);
		p->page_size = genl_u32(tb[MEMATTR_A_PROFILE_PAGE_SIZE]);
		if (tb[MEMATTR_A_PROFILE_AUTO])
			p->autostart = genl_u8(tb[MEMATTR_A_PROFILE_AUTO]);
	}
	if (!tb[MEMATTR_A_PROFILE_STACKS])
		return 0;
	while ((item = genl_nested_next(tb[MEMATTR_A_PROFILE_STACKS], item))) {
		uint64_t pages, inuse, leaf;
		int len;

		if (genl_parse_nested(item, st, MEMATTR_A_STACK_MAX) ||
		    !st[MEMATTR_A_STACK_BUCKET] || !st[MEMATTR_A_STACK_PAGES])
			continue;
		p->stacks++;
		pages = genl_u64(st[MEMATTR_A_STACK_PAGES]);
		inuse = genl_u64(st[MEMATTR_A_STACK_INUSE_PAGES]);
		p->sum_pages += pages;
		p->sum_inuse += inuse;
		if (genl_u8(st[MEMATTR_A_STACK_BUCKET]) != MEMATTR_STACK_FRAMES)
			continue;
		len = st[MEMATTR_A_STACK_FRAMES] ?
		      genl_payload(st[MEMATTR_A_STACK_FRAMES]) : 0;
		if (!len || len % 8 || len > 8 * MEMATTR_PROFILE_MAX_DEPTH) {
			p->bad_frames++;
			continue;
		}
		memcpy(&leaf, genl_data(st[MEMATTR_A_STACK_FRAMES]), 8);
		if (leaf >= (uintptr_t)mt_touch_here &&
		    leaf < (uintptr_t)mt_touch_here + MT_TOUCH_HERE_MAX) {
			p->here_pages += pages;
			p->here_inuse += inuse;
		}
	}
	return 0;
}

/* Dump the profile of @pid into @p. Return: the ack. */
static struct genl_ack mt_prof_get(struct genl_sock *s, int pid,
				   struct mt_prof *p)
{
	struct genl_ack ack = { .err = EIO };
	struct genl_req r;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROFILE, NLM_F_DUMP);
	if (pid)
		genl_put_u32(&r, MEMATTR_A_PROFILE_PID, pid);
	if (genl_do(s, &r, mt_prof_cb, p, &ack))
		ack.err = EIO;
	return ack;
}

/* Wait up to 2 s for the count of profiles to become @n. */
static int mt_wait_profiles(struct genl_sock *s, int n)
{
	int i, got = -1;

	for (i = 0; i < 40; i++) {
		got = mt_stats_profiles(s, NULL);
		if (got == n)
			break;
		mt_sleep_ms(50);
	}
	return got;
}

/* --- tests ---------------------------------------------------------------- */

FIXTURE(prof) {
	struct genl_sock s;
};

FIXTURE_SETUP(prof)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME, NULL));
	ASSERT_EQ(0, mt_stats_profiles(&self->s, NULL));
}

FIXTURE_TEARDOWN(prof)
{
	genl_close(&self->s);
	EXPECT_EQ(0, mt_module_unload());
}

/*
 * The pages a child touches in mt_touch_here() are found there, with its
 * caller above; unmapped, they leave the in-use view; stopped, the profile
 * is gone and its memory with it.
 */
TEST_F(prof, finds_growth_site)
{
	struct genl_ack ack;
	struct mt_prof p;
	uint64_t bytes = 0;
	int to, from;
	pid_t pid;

	pid = mt_child(&to, &from);
	ASSERT_LT(0, pid);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid, 0);
	ASSERT_EQ(0, ack.err) TH_LOG("start: %s", ack.msg);
	ASSERT_EQ(1, mt_stats_profiles(&self->s, &bytes));
	EXPECT_LT(64 * 1024, bytes);
	ASSERT_EQ(0, mt_child_step(to, from, 1));

	ack = mt_prof_get(&self->s, pid, &p);
	ASSERT_EQ(0, ack.err) TH_LOG("get: %s", ack.msg);
	EXPECT_EQ(1, p.summary);
	EXPECT_EQ(0, p.pid_bad);
	EXPECT_EQ(0, p.bad_frames);
	EXPECT_EQ(getpagesize(), p.page_size);
	EXPECT_EQ(256, p.max_stacks);
	/* Every page of the mapping, and the counters cover the stacks. */
	EXPECT_LE(TOUCH_PAGES, p.here_pages);
	EXPECT_GE(p.pages, p.sum_pages);
	EXPECT_GE(p.inuse, p.here_inuse);
	EXPECT_LE(TOUCH_PAGES, p.here_inuse);
	EXPECT_LE(1, p.map_calls);	/* the mmap() of mt_touch_here() */
	EXPECT_LE((uint64_t)TOUCH_PAGES * 4096, p.map_bytes);
	TH_LOG("pages %llu samples %llu here %llu stacks %llu inuse %llu",
	       (unsigned long long)p.pages, (unsigned long long)p.samples,
	       (unsigned long long)p.here_pages,
	       (unsigned long long)p.stacks, (unsigned long long)p.inuse);

	/* munmap(): what it touched is no longer in use. */
	ASSERT_EQ(0, mt_child_step(to, from, 2));
	ack = mt_prof_get(&self->s, pid, &p);
	ASSERT_EQ(0, ack.err) TH_LOG("get: %s", ack.msg);
	EXPECT_LE(TOUCH_PAGES, p.here_pages);
	EXPECT_GT(TOUCH_PAGES / 100, p.here_inuse);

	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, pid, 0);
	EXPECT_EQ(0, ack.err) TH_LOG("stop: %s", ack.msg);
	EXPECT_EQ(0, mt_stats_profiles(&self->s, &bytes));
	EXPECT_EQ(0, bytes);
	ack = mt_prof_get(&self->s, pid, &p);
	EXPECT_EQ(ENOENT, ack.err);
	mt_child_end(pid, to, from);
}

/* AnonHugePages of @pid in KiB, or -1. */
static long mt_anon_huge_kb(pid_t pid)
{
	char path[64], line[128];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * A huge page fault is sampled once and weighs its 512 pages: the touched
 * 8 MiB still count 2048 pages, from far fewer samples. A kernel without
 * transparent huge pages (PREEMPT_RT) gives 4 KiB pages: every page is a
 * sample.
 */
TEST_F(prof, huge_pages_weigh_their_size)
{
	bool thp = access("/sys/kernel/mm/transparent_hugepage/enabled",
			  F_OK) == 0;
	struct genl_ack ack;
	struct mt_prof p;
	int to, from;
	long huge_kb;
	pid_t pid;

	pid = mt_child(&to, &from);
	ASSERT_LT(0, pid);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid, 0);
	ASSERT_EQ(0, ack.err) TH_LOG("start: %s", ack.msg);
	ASSERT_EQ(0, mt_child_step(to, from, 4));
	huge_kb = mt_anon_huge_kb(pid);
	ack = mt_prof_get(&self->s, pid, &p);
	ASSERT_EQ(0, ack.err) TH_LOG("get: %s", ack.msg);
	TH_LOG("thp %d AnonHugePages %ld kB pages %llu samples %llu here %llu",
	       thp, huge_kb, (unsigned long long)p.pages,
	       (unsigned long long)p.samples,
	       (unsigned long long)p.here_pages);
	EXPECT_LE(TOUCH_PAGES, p.here_pages);
	EXPECT_LE(TOUCH_PAGES, p.here_inuse);
	if (thp) {
		/* 8 MiB, not 2 MiB-aligned: at least three huge pages. */
		ASSERT_LE(3 * 2048, huge_kb);
		EXPECT_GT((uint64_t)(TOUCH_PAGES - huge_kb / 4 + 64),
			  p.samples);
	} else {
		EXPECT_LE(TOUCH_PAGES, p.samples);
	}
	mt_child_end(pid, to, from);
}

/* SAMPLE_EVERY=16: weights stay unbiased, about one page in 16 sampled. */
TEST_F(prof, sample_every_weights)
{
	struct genl_ack ack;
	struct mt_prof p;
	int to, from;
	pid_t pid;

	pid = mt_child(&to, &from);
	ASSERT_LT(0, pid);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid, 16);
	ASSERT_EQ(0, ack.err) TH_LOG("start: %s", ack.msg);
	ASSERT_EQ(0, mt_child_step(to, from, 1));
	ack = mt_prof_get(&self->s, pid, &p);
	ASSERT_EQ(0, ack.err);
	/* 2048 pages, 1 in 16: 128 expected; 5 sigma is about 55. */
	EXPECT_LE(TOUCH_PAGES / 2, p.here_pages);
	EXPECT_GE(TOUCH_PAGES * 3 / 2, p.here_pages);
	EXPECT_EQ(0, p.here_pages % 16);
	EXPECT_EQ(0, p.pages % 16);
	EXPECT_LE(p.samples * 16, p.pages);
	mt_child_end(pid, to, from);
}

/* The exit of the process, and an exec, end its profile. */
TEST_F(prof, ends_at_exit_and_exec)
{
	struct genl_ack ack;
	struct mt_prof p;
	int to, from;
	pid_t pid;

	pid = mt_child(&to, &from);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid, 0).err);
	close(to);		/* the child exits */
	close(from);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, mt_wait_profiles(&self->s, 0));
	ack = mt_prof_get(&self->s, pid, &p);
	EXPECT_EQ(ENOENT, ack.err);

	pid = mt_child(&to, &from);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid, 0).err);
	ASSERT_EQ(0, mt_child_step(to, from, 3));	/* exec */
	EXPECT_EQ(0, mt_wait_profiles(&self->s, 0));
	ack = mt_prof_get(&self->s, pid, &p);
	EXPECT_EQ(ENOENT, ack.err);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, pid, 0);
	EXPECT_EQ(ENOENT, ack.err);
	mt_child_end(pid, to, from);
}

/* Processes that cannot be profiled: -ENOENT, and nothing changes. */
TEST_F(prof, hostile_targets)
{
	struct genl_ack ack;
	struct mt_prof p;
	pid_t zombie;

	/* kthreadd, a kernel thread. */
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, 2, 0);
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_NE(0, ack.msg[0]);
	/* A zombie. */
	zombie = fork();
	ASSERT_LE(0, zombie);
	if (!zombie)
		_exit(0);
	mt_sleep_ms(200);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, zombie, 0);
	EXPECT_EQ(ENOENT, ack.err) TH_LOG("zombie: %s", ack.msg);
	waitpid(zombie, NULL, 0);
	/* A pid nobody has. */
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, 4194000, 0);
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_STREQ("no such process", ack.msg);
	/* A stop and a dump of a process that is not profiled. */
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, getpid(), 0);
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_STREQ("process is not profiled", ack.msg);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, 4194000, 0);
	EXPECT_EQ(ENOENT, ack.err);
	ack = mt_prof_get(&self->s, getpid(), &p);
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_EQ(0, p.msgs);
	EXPECT_EQ(0, mt_stats_profiles(&self->s, NULL));

	/* Init is refused, and nothing changes. */
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, 1, 0);
	EXPECT_EQ(EPERM, ack.err);
	EXPECT_STREQ("init (pid 1 of the initial namespace) is not profiled",
		     ack.msg);
	EXPECT_EQ(0, mt_stats_profiles(&self->s, NULL));
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, 1, 0);
	EXPECT_EQ(ENOENT, ack.err);
}

/* Malformed requests: -EINVAL or -ERANGE with the attribute named. */
TEST_F(prof, malformed_requests)
{
	struct genl_ack ack;
	struct genl_req r;
	struct mt_prof p;

	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, 0, 0);
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STREQ("pid is required", ack.msg);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, 0, 0);
	EXPECT_EQ(EINVAL, ack.err);
	ack = mt_prof_get(&self->s, 0, &p);
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STREQ("pid is required", ack.msg);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, getpid(), 65537);
	EXPECT_EQ(ERANGE, ack.err);
	EXPECT_NE(0, ack.offs);
	/* SAMPLE_EVERY is START's only. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_PROFILE_STOP, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROFILE_PID, getpid());
	genl_put_u32(&r, MEMATTR_A_PROFILE_SAMPLE_EVERY, 4);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	/* A u64 where a u32 goes. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_PROFILE_START, NLM_F_ACK);
	genl_put_u64(&r, MEMATTR_A_PROFILE_PID, getpid());
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	/* pid 0. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_PROFILE_START, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROFILE_PID, 0);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(ERANGE, ack.err);
	EXPECT_EQ(0, mt_stats_profiles(&self->s, NULL));
}

/* A second start, and more than profile_max: refused, nothing changes. */
TEST_F(prof, limits)
{
	int to[3], from[3], i;
	struct genl_ack ack;
	pid_t pid[3];

	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/profile_max", "2", 1));
	for (i = 0; i < 3; i++) {
		pid[i] = mt_child(&to[i], &from[i]);
		ASSERT_LT(0, pid[i]);
	}
	ASSERT_EQ(0, mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid[0], 0).err);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid[0], 0);
	EXPECT_EQ(EEXIST, ack.err);
	EXPECT_STREQ("process is profiled already", ack.msg);
	ASSERT_EQ(0, mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid[1], 0).err);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid[2], 0);
	EXPECT_EQ(ENOSPC, ack.err);
	EXPECT_NE(0, ack.msg[0]);
	EXPECT_EQ(2, mt_stats_profiles(&self->s, NULL));
	/* Lowering profile_max ends no profile; 0 refuses every start. */
	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/profile_max", "0", 1));
	EXPECT_EQ(2, mt_stats_profiles(&self->s, NULL));
	EXPECT_EQ(0, mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, pid[1], 0).err);
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_START, pid[2], 0);
	EXPECT_EQ(ENOSPC, ack.err);
	EXPECT_EQ(1, mt_stats_profiles(&self->s, NULL));
	for (i = 0; i < 3; i++)
		mt_child_end(pid[i], to[i], from[i]);
	EXPECT_EQ(0, mt_wait_profiles(&self->s, 0));
}

/* Bad parameter values: -EINVAL, and the old value stays. */
TEST_F(prof, params_reject)
{
	static const struct {
		const char *name, *bad, *old;
	} cases[] = {
		{ "profile_max", "17", "4" },
		{ "profile_max", "-1", "4" },
		{ "profile_stacks", "15", "256" },
		{ "profile_stacks", "16385", "256" },
		{ "profile_rate", "0", "100000" },
		{ "profile_every", "0", "1" },
		{ "profile_every", "65537", "1" },
		{ "profile_auto", "2", "0" },
		{ "profile_inuse_pages", "4194305", "131072" },
		{ "profile_max", "abc", "4" },
	};
	char path[128], buf[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(path, sizeof(path), MEMATTR_PARAMS "/%s", cases[i].name);
		EXPECT_NE(0, mt_write_file(path, cases[i].bad,
					   strlen(cases[i].bad)))
			TH_LOG("%s=%s accepted", cases[i].name, cases[i].bad);
		ASSERT_LT(0, mt_read_file(path, buf, sizeof(buf)));
		buf[strcspn(buf, "\n")] = '\0';
		EXPECT_STREQ(cases[i].old, buf);
	}
}

/* Without CAP_NET_ADMIN: -EPERM for every profile command. */
TEST_F(prof, unprivileged)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct genl_sock s;
		struct mt_prof p;
		int bad = 0;

		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(10);
		if (genl_open(&s, MEMATTR_GENL_NAME, NULL))
			_exit(11);
		bad |= mt_prof_cmd(&s, MEMATTR_CMD_PROFILE_START, 1, 0).err != EPERM;
		bad |= mt_prof_cmd(&s, MEMATTR_CMD_PROFILE_STOP, 1, 0).err != EPERM;
		bad |= mt_prof_get(&s, 1, &p).err != EPERM;
		_exit(bad ? 12 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, mt_stats_profiles(&self->s, NULL));
}

/* --- profile_auto --------------------------------------------------------- */

/*
 * Accelerated detection, as detect.c's but a 10 s window: a process
 * growing 1.25 MiB/s is in LEAK about 11 s after it starts.
 */
FIXTURE(autoprof) {
	struct genl_sock s;
};

FIXTURE_SETUP(autoprof)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100 leak_window_s=10 leak_min_kb_per_hour=36000"));
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME, NULL));
	ASSERT_EQ(0, mt_param_read("profile_auto"));
}

FIXTURE_TEARDOWN(autoprof)
{
	genl_close(&self->s);
	EXPECT_EQ(0, mt_module_unload());
}

/* 128 KiB more every 100 ms for 40 s at most (50 MiB), then exit. */
static pid_t mt_leaker(void)
{
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	for (i = 0; i < 400; i++) {
		char *p = mmap(NULL, 128 << 10, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(20);
		memset(p, 0x42, 128 << 10);
		mt_sleep_ms(100);
	}
	_exit(0);
}

/* Wait up to 30 s for @pid to be in LEAK. Return: 0 when it is. */
static int mt_wait_leak(pid_t pid)
{
	struct mt_proc pr = { 0 };
	int i;

	for (i = 0; i < 120; i++) {
		if (!mt_proc_get(pid, &pr) && !strcmp(pr.leak, "leak"))
			return 0;
		mt_sleep_ms(250);
	}
	return -1;
}

/*
 * profile_auto=0: a process in LEAK gets no profile. Set to 1: the process
 * in LEAK gets one at once, and a process that enters LEAK later gets one
 * within the auto-start's 2 s; both are flagged auto. A stopped auto
 * profile is not started again. About 25 s.
 */
TEST_F_TIMEOUT(autoprof, starts_on_leak, 120)
{
	struct genl_ack ack;
	struct mt_prof p;
	pid_t a, b;
	int st;

	a = mt_leaker();
	ASSERT_LT(0, a);
	ASSERT_EQ(0, mt_wait_leak(a));
	/* Off: longer than the auto-start's period, and still nothing. */
	mt_sleep_ms(2500);
	EXPECT_EQ(0, mt_stats_profiles(&self->s, NULL));
	EXPECT_EQ(ENOENT, mt_prof_get(&self->s, a, &p).err);

	/* On: the process in LEAK is profiled at once. */
	ASSERT_EQ(0, mt_write_file(MEMATTR_PARAMS "/profile_auto", "1", 1));
	b = mt_leaker();
	ASSERT_LT(0, b);
	EXPECT_EQ(1, mt_wait_profiles(&self->s, 1));
	mt_sleep_ms(500);
	ack = mt_prof_get(&self->s, a, &p);
	ASSERT_EQ(0, ack.err) TH_LOG("get: %s", ack.msg);
	EXPECT_EQ(1, p.autostart);
	EXPECT_LT(0, p.samples);
	TH_LOG("auto profile of the process in LEAK: pages %llu samples %llu",
	       (unsigned long long)p.pages, (unsigned long long)p.samples);
	/* Stopped, it stays stopped: once per process. */
	ack = mt_prof_cmd(&self->s, MEMATTR_CMD_PROFILE_STOP, a, 0);
	EXPECT_EQ(0, ack.err) TH_LOG("stop: %s", ack.msg);

	/* A process entering LEAK with profile_auto on: profiled within 2 s. */
	ASSERT_EQ(0, mt_wait_leak(b));
	if (mt_wait_profiles(&self->s, 1) != 1)	/* 2 s, and some slack */
		EXPECT_EQ(1, mt_wait_profiles(&self->s, 1));
	mt_sleep_ms(300);
	ack = mt_prof_get(&self->s, b, &p);
	ASSERT_EQ(0, ack.err) TH_LOG("get: %s", ack.msg);
	EXPECT_EQ(1, p.autostart);
	EXPECT_LT(0, p.samples);
	EXPECT_EQ(ENOENT, mt_prof_get(&self->s, a, &p).err);
	EXPECT_EQ(1, mt_stats_profiles(&self->s, NULL));

	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, &st, 0);
	waitpid(b, &st, 0);
	EXPECT_EQ(0, mt_wait_profiles(&self->s, 0));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--sleep")) {
		/* The exec'ed child: wait to be killed. */
		pause();
		return 0;
	}
	return test_harness_run(argc, argv);
}
