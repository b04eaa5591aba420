// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink family "memattr", spoken raw (genl.h): every command's
 * answers against the kernel's own numbers, strict validation with errors
 * and extended ACK messages, privileges, and dumps under churn.
 */
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define NOBODY		65534
#define MAX_ROWS	8192

/* Whether @pid's real, effective, saved and fs uids are all @uid. */
static bool mt_pid_owned_by(pid_t pid, uid_t uid)
{
	unsigned int r, e, s, f;
	char path[64], *line;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (mt_read_file(path, mt_buf, sizeof(mt_buf)) <= 0)
		return false;
	line = strstr(mt_buf, "\nUid:");
	return line && sscanf(line + 5, "%u %u %u %u", &r, &e, &s, &f) == 4 &&
	       r == uid && e == uid && s == uid;
}

/* --- requests ------------------------------------------------------------- */

/*
 * A doit with no attribute: its reply into @rep. Return: 0 or a positive
 * errno (the request's or the socket's).
 */
static int mt_get(struct genl_sock *s, uint8_t cmd, struct mt_reply *rep,
		  struct genl_ack *ack)
{
	struct genl_req r;
	int ret;

	genl_req_init(&r, s->family, cmd, NLM_F_ACK);
	rep->len = 0;
	ret = genl_do(s, &r, mt_keep_cb, rep, ack);
	return ret ? -ret : ack->err;
}

static const struct nlmsghdr *mt_nlh(const struct mt_reply *rep)
{
	return (const struct nlmsghdr *)rep->buf;
}

/* The config as GET_CONFIG says it. */
struct mt_config {
	long long sample_ms, max_procs, leak_window_s, leak_min_kb_per_hour;
	char watermarks[64];
};

/* Return: 0, a positive errno, or -1 for a malformed reply. */
static int mt_get_config(struct genl_sock *s, struct mt_config *c)
{
	const struct nlattr *tb[MEMATTR_A_CONFIG_MAX + 1];
	static struct mt_reply rep;
	struct genl_ack ack;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = mt_get(s, MEMATTR_CMD_GET_CONFIG, &rep, &ack);
	if (ret)
		return ret;
	if (!rep.len || genl_parse_msg(mt_nlh(&rep), tb, MEMATTR_A_CONFIG_MAX) ||
	    !tb[MEMATTR_A_CONFIG_SAMPLE_MS] || !tb[MEMATTR_A_CONFIG_MAX_PROCS] ||
	    !tb[MEMATTR_A_CONFIG_LEAK_WINDOW_S] ||
	    !tb[MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR] ||
	    !tb[MEMATTR_A_CONFIG_WATERMARKS] ||
	    !genl_str(tb[MEMATTR_A_CONFIG_WATERMARKS]))
		return -1;
	c->sample_ms = genl_u32(tb[MEMATTR_A_CONFIG_SAMPLE_MS]);
	c->max_procs = genl_u32(tb[MEMATTR_A_CONFIG_MAX_PROCS]);
	c->leak_window_s = genl_u32(tb[MEMATTR_A_CONFIG_LEAK_WINDOW_S]);
	c->leak_min_kb_per_hour =
		genl_u32(tb[MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR]);
	snprintf(c->watermarks, sizeof(c->watermarks), "%s",
		 genl_str(tb[MEMATTR_A_CONFIG_WATERMARKS]));
	return 0;
}

/* SET_CONFIG of sample_ms alone. Return: 0 or a positive errno. */
static int mt_set_sample_ms(struct genl_sock *s, uint32_t ms,
			    struct genl_ack *ack)
{
	struct genl_req r;
	int ret;

	genl_req_init(&r, s->family, MEMATTR_CMD_SET_CONFIG, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, ms);
	ret = genl_do(s, &r, NULL, NULL, ack);
	return ret ? -ret : ack->err;
}

/* One row of a GET_PROC dump. */
struct mt_row {
	pid_t pid;
	bool comm, rss, history;
};

struct mt_dump {
	struct mt_row rows[MAX_ROWS];
	int nr;
	int bad;		/* malformed rows */
};

static int mt_proc_row_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
	struct mt_dump *d = arg;
	struct mt_row *row;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	if (g->cmd != MEMATTR_CMD_GET_PROC ||
	    genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
	    !tb[MEMATTR_A_PROC_PID] || d->nr == MAX_ROWS) {
		d->bad++;
		return 0;
	}
	row = &d->rows[d->nr++];
	row->pid = genl_u32(tb[MEMATTR_A_PROC_PID]);
	row->comm = tb[MEMATTR_A_PROC_COMM] && genl_str(tb[MEMATTR_A_PROC_COMM]);
	row->rss = tb[MEMATTR_A_PROC_RSS_KB] &&
		   genl_payload(tb[MEMATTR_A_PROC_RSS_KB]) == 8;
	row->history = tb[MEMATTR_A_PROC_HISTORY];
	if (row->pid <= 0 || !row->comm || !row->rss || row->history)
		d->bad++;
	return 0;
}

/* Dump GET_PROC into @d. Return: 0 or a positive errno. */
static int mt_dump_procs(struct genl_sock *s, struct mt_dump *d,
			 struct genl_ack *ack)
{
	struct genl_req r;
	int ret;

	d->nr = 0;
	d->bad = 0;
	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROC, NLM_F_DUMP);
	ret = genl_do(s, &r, mt_proc_row_cb, d, ack);
	return ret ? -ret : ack->err;
}

static bool mt_dump_has(const struct mt_dump *d, pid_t pid)
{
	int i;

	for (i = 0; i < d->nr; i++)
		if (d->rows[i].pid == pid)
			return true;
	return false;
}

/* Drop every privilege: no groups, uid and gid nobody, no capabilities. */
static int mt_drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	/* Leaving uid 0 cleared the capability sets; make sure. */
	return prctl(PR_CAPBSET_READ, 12 /* CAP_NET_ADMIN */) < 0 ? -1 : 0;
}

/*
 * Run @fn in a child that dropped its privileges. Return: its exit status
 * (0: every check passed, else the number of the check that failed).
 */
static int mt_run_unprivileged(int (*fn)(void))
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (mt_drop_privileges())
			_exit(100);
		_exit(fn());
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* --- the fixture ---------------------------------------------------------- */

FIXTURE(nl) {
	struct genl_sock s;
};

FIXTURE_SETUP(nl)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load(NULL));
	ASSERT_EQ(0, genl_open(&self->s, MEMATTR_GENL_NAME,
			       MEMATTR_GENL_MCGRP_EVENTS));
	ASSERT_NE(0, self->s.mcgrp);
}

FIXTURE_TEARDOWN(nl)
{
	genl_close(&self->s);
	EXPECT_EQ(0, mt_module_unload());
}

/* GET_SYSTEM: MemTotal exactly as /proc/meminfo says it, the rest sane. */
TEST_F(nl, get_system)
{
	const struct nlattr *tb[MEMATTR_A_SYSTEM_MAX + 1];
	static struct mt_reply rep;
	uint64_t total, avail, mem_free;
	struct genl_ack ack;

	ASSERT_EQ(0, mt_get(&self->s, MEMATTR_CMD_GET_SYSTEM, &rep, &ack))
		TH_LOG("%s", ack.msg);
	ASSERT_NE(0, rep.len);
	ASSERT_EQ(0, genl_parse_msg(mt_nlh(&rep), tb, MEMATTR_A_SYSTEM_MAX));
	ASSERT_NE(NULL, tb[MEMATTR_A_SYSTEM_MEM_TOTAL_KB]);
	ASSERT_NE(NULL, tb[MEMATTR_A_SYSTEM_MEM_FREE_KB]);
	ASSERT_NE(NULL, tb[MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB]);
	ASSERT_NE(NULL, tb[MEMATTR_A_SYSTEM_USED_PCT]);
	ASSERT_NE(NULL, tb[MEMATTR_A_SYSTEM_SAMPLED_MS]);
	total = genl_u64(tb[MEMATTR_A_SYSTEM_MEM_TOTAL_KB]);
	mem_free = genl_u64(tb[MEMATTR_A_SYSTEM_MEM_FREE_KB]);
	avail = genl_u64(tb[MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB]);
	EXPECT_EQ(mt_proc_field("/proc/meminfo", "MemTotal"), (long long)total);
	EXPECT_LT(0, mem_free);
	EXPECT_GE(total, mem_free);
	EXPECT_GE(total, avail);
	EXPECT_GE(100, genl_u32(tb[MEMATTR_A_SYSTEM_USED_PCT]));
	EXPECT_LT(0, genl_u64(tb[MEMATTR_A_SYSTEM_SAMPLED_MS]));
}

struct mt_proc_info {
	uint32_t pid;
	uint64_t rss_kb;
	char comm[32];
	int points;
	bool increasing;
};

static int mt_proc_info_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + 1];
	const struct nlattr *ptb[MEMATTR_A_POINT_MAX + 1];
	struct mt_proc_info *p = arg;
	const struct nlattr *item = NULL;
	uint64_t last = 0;

	if (genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
	    !tb[MEMATTR_A_PROC_PID] || !tb[MEMATTR_A_PROC_RSS_KB] ||
	    !tb[MEMATTR_A_PROC_COMM])
		return 1;
	p->pid = genl_u32(tb[MEMATTR_A_PROC_PID]);
	p->rss_kb = genl_u64(tb[MEMATTR_A_PROC_RSS_KB]);
	snprintf(p->comm, sizeof(p->comm), "%s",
		 genl_str(tb[MEMATTR_A_PROC_COMM]) ?: "");
	p->increasing = true;
	if (!tb[MEMATTR_A_PROC_HISTORY])
		return 1;
	while ((item = genl_nested_next(tb[MEMATTR_A_PROC_HISTORY], item))) {
		uint64_t t;

		if (genl_type(item) != MEMATTR_A_LIST_ITEM ||
		    genl_parse_nested(item, ptb, MEMATTR_A_POINT_MAX) ||
		    !ptb[MEMATTR_A_POINT_T_MS] || !ptb[MEMATTR_A_POINT_KB]) {
			p->increasing = false;
			continue;
		}
		t = genl_u64(ptb[MEMATTR_A_POINT_T_MS]);
		if (p->points && t <= last)
			p->increasing = false;
		last = t;
		p->points++;
	}
	return 1;
}

static int mt_get_proc(struct genl_sock *s, uint32_t pid,
		       struct mt_proc_info *p, struct genl_ack *ack)
{
	struct genl_req r;
	int ret;

	memset(p, 0, sizeof(*p));
	genl_req_init(&r, s->family, MEMATTR_CMD_GET_PROC, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROC_PID, pid);
	ret = genl_do(s, &r, mt_proc_info_cb, p, ack);
	return ret ? -ret : ack->err;
}

/*
 * GET_PROC of ourselves: rss within 2% of VmRSS, and after a few samples a
 * history of strictly increasing times.
 */
TEST_F_TIMEOUT(nl, get_proc_self, 120)
{
	struct mt_proc_info p;
	struct genl_ack ack;
	long long vmrss = 0;
	bool ok = false;
	char *mem;
	int i;

	ASSERT_EQ(0, mt_set_sample_ms(&self->s, 100, &ack)) TH_LOG("%s", ack.msg);
	EXPECT_EQ(100, mt_param_read("sample_ms"));
	mem = malloc(16 * MiB);
	ASSERT_NE(NULL, mem);
	memset(mem, 0x5a, 16 * MiB);
	for (i = 0; i < 100 && !ok; i++) {
		long long before, after;

		mt_sleep_ms(300);
		before = mt_proc_field("/proc/self/status", "VmRSS");
		ASSERT_EQ(0, mt_get_proc(&self->s, getpid(), &p, &ack))
			TH_LOG("%s", ack.msg);
		after = mt_proc_field("/proc/self/status", "VmRSS");
		vmrss = after;
		ok = before == after && p.points >= 3 &&
		     llabs((long long)p.rss_kb - vmrss) * 50 <= vmrss;
	}
	EXPECT_TRUE(ok) TH_LOG("rss_kb %llu, VmRSS %lld kB, %d points",
			       (unsigned long long)p.rss_kb, vmrss, p.points);
	EXPECT_EQ((uint32_t)getpid(), p.pid);
	EXPECT_STREQ("netlink", p.comm);
	EXPECT_LE(3, p.points);
	EXPECT_TRUE(p.increasing);
	free(mem);
}

/* A dump has every process, each row well-formed and without history. */
TEST_F(nl, get_proc_dump)
{
	static struct mt_dump d;
	struct genl_ack ack;

	ASSERT_EQ(0, mt_dump_procs(&self->s, &d, &ack)) TH_LOG("%s", ack.msg);
	EXPECT_EQ(0, d.bad);
	EXPECT_LT(2, d.nr);
	EXPECT_TRUE(mt_dump_has(&d, 1));
	EXPECT_TRUE(mt_dump_has(&d, getpid()));
}

/* Unknown, missing and misplaced pids: the errno and a reason. */
TEST_F(nl, get_proc_errors)
{
	struct mt_proc_info p;
	struct genl_ack ack;
	struct genl_req r;
	static struct mt_dump d;

	/* Not tracked (pid_max is far below it here). */
	EXPECT_EQ(ENOENT, mt_get_proc(&self->s, 4000000, &p, &ack));
	EXPECT_STRNE("", ack.msg);
	EXPECT_NE(0, ack.offs);
	/* Out of the pid range. */
	EXPECT_EQ(ERANGE, mt_get_proc(&self->s, 0, &p, &ack));
	EXPECT_STRNE("", ack.msg);
	/* No pid at all. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_PROC, NLM_F_ACK);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	/* A pid in a dump request. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_PROC, NLM_F_DUMP);
	genl_put_u32(&r, MEMATTR_A_PROC_PID, 1);
	ASSERT_EQ(0, genl_do(&self->s, &r, mt_proc_row_cb, &d, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	EXPECT_EQ(0, d.nr);
}

struct mt_cgroup {
	uint64_t id;
	char path[256];
	int rows;
	bool root;
};

static int mt_cgroup_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_CGROUP_MAX + 1];
	struct mt_cgroup *c = arg;
	const char *path;

	if (genl_parse_msg(nlh, tb, MEMATTR_A_CGROUP_MAX) ||
	    !tb[MEMATTR_A_CGROUP_ID] || !tb[MEMATTR_A_CGROUP_PATH] ||
	    !tb[MEMATTR_A_CGROUP_USAGE_KB])
		return 0;
	path = genl_str(tb[MEMATTR_A_CGROUP_PATH]);
	if (!path)
		return 0;
	c->rows++;
	if (!strcmp(path, "/"))
		c->root = true;
	c->id = genl_u64(tb[MEMATTR_A_CGROUP_ID]);
	snprintf(c->path, sizeof(c->path), "%s", path);
	return 0;
}

/* GET_CGROUP by path, by id, and as a dump; unknown ones are -ENOENT. */
TEST_F(nl, get_cgroup)
{
	struct mt_cgroup c = {};
	struct genl_ack ack;
	struct genl_req r;
	uint64_t root_id;

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
	genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/");
	ASSERT_EQ(0, genl_do(&self->s, &r, mt_cgroup_cb, &c, &ack));
	ASSERT_EQ(0, ack.err) TH_LOG("%s", ack.msg);
	ASSERT_EQ(1, c.rows);
	EXPECT_STREQ("/", c.path);
	root_id = c.id;

	memset(&c, 0, sizeof(c));
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
	genl_put_u64(&r, MEMATTR_A_CGROUP_ID, root_id);
	ASSERT_EQ(0, genl_do(&self->s, &r, mt_cgroup_cb, &c, &ack));
	EXPECT_EQ(0, ack.err) TH_LOG("%s", ack.msg);
	EXPECT_STREQ("/", c.path);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
	genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/no/such/cgroup");
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_STRNE("", ack.msg);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
	genl_put_u64(&r, MEMATTR_A_CGROUP_ID, ~0ULL);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(ENOENT, ack.err);
	EXPECT_STRNE("", ack.msg);

	/* Neither, or both. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	genl_put_u64(&r, MEMATTR_A_CGROUP_ID, root_id);
	genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/");
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);

	memset(&c, 0, sizeof(c));
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_DUMP);
	ASSERT_EQ(0, genl_do(&self->s, &r, mt_cgroup_cb, &c, &ack));
	EXPECT_EQ(0, ack.err) TH_LOG("%s", ack.msg);
	EXPECT_TRUE(c.root);
	EXPECT_LE(1, c.rows);
}

/* GET_CONFIG after a plain load: the defaults. */
TEST_F(nl, get_config_defaults)
{
	struct mt_config c;

	ASSERT_EQ(0, mt_get_config(&self->s, &c));
	EXPECT_EQ(1000, c.sample_ms);
	EXPECT_EQ(4096, c.max_procs);
	EXPECT_EQ(3600, c.leak_window_s);
	EXPECT_EQ(4096, c.leak_min_kb_per_hour);
	EXPECT_STREQ("85,92,97", c.watermarks);
}

/* SET_CONFIG with every knob: GET_CONFIG and sysfs show the new values. */
TEST_F(nl, set_config_applies)
{
	struct genl_ack ack;
	struct mt_config c;
	struct genl_req r;
	char wm[64];

	genl_req_init(&r, self->s.family, MEMATTR_CMD_SET_CONFIG, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
	genl_put_u32(&r, MEMATTR_A_CONFIG_MAX_PROCS, 8192);
	genl_put_u32(&r, MEMATTR_A_CONFIG_LEAK_WINDOW_S, 20);
	genl_put_u32(&r, MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR, 36000);
	genl_put_str(&r, MEMATTR_A_CONFIG_WATERMARKS, "30,50,70");
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	ASSERT_EQ(0, ack.err) TH_LOG("%s", ack.msg);

	ASSERT_EQ(0, mt_get_config(&self->s, &c));
	EXPECT_EQ(250, c.sample_ms);
	EXPECT_EQ(8192, c.max_procs);
	EXPECT_EQ(20, c.leak_window_s);
	EXPECT_EQ(36000, c.leak_min_kb_per_hour);
	EXPECT_STREQ("30,50,70", c.watermarks);
	EXPECT_EQ(250, mt_param_read("sample_ms"));
	EXPECT_EQ(8192, mt_param_read("max_procs"));
	EXPECT_EQ(20, mt_param_read("leak_window_s"));
	EXPECT_EQ(36000, mt_param_read("leak_min_kb_per_hour"));
	ASSERT_LT(0, mt_read_file(MEMATTR_PARAMS "/watermarks", wm, sizeof(wm)));
	EXPECT_STREQ("30,50,70\n", wm);

	/* A subset changes only itself. */
	ASSERT_EQ(0, mt_set_sample_ms(&self->s, 60000, &ack)) TH_LOG("%s", ack.msg);
	ASSERT_EQ(0, mt_get_config(&self->s, &c));
	EXPECT_EQ(60000, c.sample_ms);
	EXPECT_EQ(8192, c.max_procs);
}

/* A bad SET_CONFIG request, and what it must fail with. */
struct mt_bad_set {
	const char *what;
	int err;
	bool attr;		/* the extack points at an attribute */
	void (*build)(struct genl_req *r);
};

static void mt_bad_unknown(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_MAX + 1, 250);
}

static void mt_bad_unspec(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_UNSPEC, 250);
}

static void mt_bad_u16(struct genl_req *r)
{
	genl_put_u16(r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
}

static void mt_bad_u64(struct genl_req *r)
{
	genl_put_u64(r, MEMATTR_A_CONFIG_MAX_PROCS, 8192);
}

static void mt_bad_low(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_SAMPLE_MS, 5);
}

static void mt_bad_high(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_SAMPLE_MS, 60001);
}

static void mt_bad_log_events(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_LOG_EVENTS, 2);
}

static void mt_bad_wm(struct genl_req *r)
{
	genl_put_str(r, MEMATTR_A_CONFIG_WATERMARKS, "92,85");
}

static void mt_bad_wm_unterminated(struct genl_req *r)
{
	genl_put(r, MEMATTR_A_CONFIG_WATERMARKS, "85,92", 5);
}

static void mt_bad_good_then_wm(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
	genl_put_str(r, MEMATTR_A_CONFIG_WATERMARKS, "92,85");
}

static void mt_bad_wm_then_range(struct genl_req *r)
{
	genl_put_str(r, MEMATTR_A_CONFIG_WATERMARKS, "30,50,70");
	genl_put_u32(r, MEMATTR_A_CONFIG_LEAK_WINDOW_S, 20);
	genl_put_u32(r, MEMATTR_A_CONFIG_MAX_PROCS, 15);
}

static void mt_bad_good_then_unknown(struct genl_req *r)
{
	genl_put_u32(r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
	genl_put_u32(r, MEMATTR_A_CONFIG_MAX + 7, 1);
}

static void mt_bad_empty(struct genl_req *r)
{
}

/*
 * Out-of-range numbers fail with -ERANGE: the netlink core's policy
 * validation (NLA_POLICY_FULL_RANGE) returns that, for every family.
 */
static const struct mt_bad_set mt_bad_sets[] = {
	{ "unknown attribute type", EINVAL, true, mt_bad_unknown },
	{ "attribute type 0", EINVAL, true, mt_bad_unspec },
	{ "u32 sent as u16", EINVAL, true, mt_bad_u16 },
	{ "u32 sent as u64", EINVAL, true, mt_bad_u64 },
	{ "sample_ms 5", ERANGE, true, mt_bad_low },
	{ "sample_ms 60001", ERANGE, true, mt_bad_high },
	{ "log_events 2", ERANGE, true, mt_bad_log_events },
	{ "watermarks 92,85", EINVAL, true, mt_bad_wm },
	{ "watermarks without NUL", EINVAL, true, mt_bad_wm_unterminated },
	{ "good sample_ms, bad watermarks", EINVAL, true, mt_bad_good_then_wm },
	{ "good watermarks, max_procs 15", ERANGE, true, mt_bad_wm_then_range },
	{ "good sample_ms, unknown type", EINVAL, true, mt_bad_good_then_unknown },
	{ "no attribute", EINVAL, false, mt_bad_empty },
};

/* Every bad SET_CONFIG fails with its errno and a reason, changing nothing. */
TEST_F(nl, set_config_rejects)
{
	struct genl_ack ack;
	struct mt_config c;
	struct genl_req r;
	unsigned int i;
	char wm[64];

	for (i = 0; i < ARRAY_SIZE(mt_bad_sets); i++) {
		const struct mt_bad_set *b = &mt_bad_sets[i];

		genl_req_init(&r, self->s.family, MEMATTR_CMD_SET_CONFIG,
			      NLM_F_ACK);
		b->build(&r);
		ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
		EXPECT_EQ(b->err, ack.err) TH_LOG("%s: %s", b->what, ack.msg);
		EXPECT_STRNE("", ack.msg) TH_LOG("%s: no extack message", b->what);
		if (b->attr)
			EXPECT_LT(NLMSG_HDRLEN + GENL_HDRLEN - 1, ack.offs)
				TH_LOG("%s: no attribute offset", b->what);

		ASSERT_EQ(0, mt_get_config(&self->s, &c));
		EXPECT_EQ(1000, c.sample_ms) TH_LOG("%s", b->what);
		EXPECT_EQ(4096, c.max_procs) TH_LOG("%s", b->what);
		EXPECT_EQ(3600, c.leak_window_s) TH_LOG("%s", b->what);
		EXPECT_EQ(4096, c.leak_min_kb_per_hour) TH_LOG("%s", b->what);
		EXPECT_STREQ("85,92,97", c.watermarks) TH_LOG("%s", b->what);
		EXPECT_EQ(1000, mt_param_read("sample_ms")) TH_LOG("%s", b->what);
		EXPECT_EQ(4096, mt_param_read("max_procs")) TH_LOG("%s", b->what);
		EXPECT_EQ(3600, mt_param_read("leak_window_s"))
			TH_LOG("%s", b->what);
		ASSERT_LT(0, mt_read_file(MEMATTR_PARAMS "/watermarks", wm,
					  sizeof(wm)));
		EXPECT_STREQ("85,92,97\n", wm) TH_LOG("%s", b->what);
	}
}

/* Strict checks beyond SET_CONFIG: attributes and header bits. */
TEST_F(nl, strict_requests)
{
	struct genl_ack ack;
	struct genl_req r;

	/* A command that takes no attribute. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_SYSTEM, NLM_F_ACK);
	genl_put_u32(&r, 1, 0);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_STATS, NLM_F_ACK);
	genl_put_u32(&r, 2, 0);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	/* The same in a dump request. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_LEAKS, NLM_F_DUMP);
	genl_put_u32(&r, 1, 0);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	EXPECT_STRNE("", ack.msg);
	/* A reserved header byte. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_SYSTEM, NLM_F_ACK);
	((struct genlmsghdr *)NLMSG_DATA(&r.nlh))->reserved = 1;
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);
	/* A command that does not exist. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_MAX + 1, NLM_F_ACK);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EOPNOTSUPP, ack.err);
	/* EVENT is multicast only. */
	genl_req_init(&r, self->s.family, MEMATTR_CMD_EVENT, NLM_F_ACK);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EOPNOTSUPP, ack.err);
}

/*
 * Hostile requests: an attribute running past the message, a message cut
 * inside the generic netlink header, huge values, a dump of a command that
 * has none. Each is refused with its error, and nothing changes.
 */
TEST_F(nl, hostile_requests)
{
	struct genl_ack ack;
	struct genl_req r;
	struct nlattr *a;

	genl_req_init(&r, self->s.family, MEMATTR_CMD_SET_CONFIG, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
	a = (struct nlattr *)(r.buf + NLMSG_LENGTH(GENL_HDRLEN));
	a->nla_len = 64;
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_SYSTEM, NLM_F_ACK);
	r.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN - 2);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EINVAL, ack.err);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_SET_CONFIG, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, UINT32_MAX);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(ERANGE, ack.err);
	EXPECT_STRNE("", ack.msg);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_PROC, NLM_F_ACK);
	genl_put_u32(&r, MEMATTR_A_PROC_PID, UINT32_MAX);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(ERANGE, ack.err);

	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_SYSTEM, NLM_F_DUMP);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EOPNOTSUPP, ack.err);
	genl_req_init(&r, self->s.family, MEMATTR_CMD_SET_CONFIG, NLM_F_DUMP);
	genl_put_u32(&r, MEMATTR_A_CONFIG_SAMPLE_MS, 250);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(EOPNOTSUPP, ack.err);

	EXPECT_EQ(1000, mt_param_read("sample_ms"));
}

/* --- privileges ----------------------------------------------------------- */

/* In a child without privileges: each check's number on failure, 0 else. */
static int mt_unprivileged_checks(void)
{
	static struct mt_dump d;
	static struct mt_reply rep;
	struct genl_sock s;
	struct mt_proc_info p;
	struct genl_ack ack;
	struct mt_config c;
	struct genl_req r;
	uint32_t grp;
	int i;

	if (geteuid() != NOBODY || genl_open(&s, MEMATTR_GENL_NAME,
					     MEMATTR_GENL_MCGRP_EVENTS))
		return 1;
	/* SET_CONFIG: refused. */
	if (mt_set_sample_ms(&s, 250, &ack) != EPERM)
		return 2;
	/* Joining "events": refused. */
	grp = s.mcgrp;
	if (!setsockopt(s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
			sizeof(grp)) || errno != EPERM)
		return 3;
	/* GET_OOM: refused. */
	genl_req_init(&r, s.family, MEMATTR_CMD_GET_OOM, NLM_F_DUMP);
	if (genl_do(&s, &r, NULL, NULL, &ack) || ack.err != EPERM)
		return 4;
	/* Open to everyone. */
	if (mt_get_config(&s, &c) || c.sample_ms != 1000)
		return 5;
	if (mt_get(&s, MEMATTR_CMD_GET_SYSTEM, &rep, &ack) ||
	    mt_get(&s, MEMATTR_CMD_GET_STATS, &rep, &ack))
		return 6;
	/* Its own process, and no other user's. */
	if (mt_get_proc(&s, getpid(), &p, &ack) || p.pid != (uint32_t)getpid())
		return 7;
	if (mt_get_proc(&s, 1, &p, &ack) != ENOENT)
		return 8;
	if (mt_dump_procs(&s, &d, &ack) || d.bad)
		return 9;
	if (!mt_dump_has(&d, getpid()) || mt_dump_has(&d, 1))
		return 10;
	for (i = 0; i < d.nr; i++)
		if (!mt_pid_owned_by(d.rows[i].pid, NOBODY))
			return 11;
	genl_req_init(&r, s.family, MEMATTR_CMD_GET_LEAKS, NLM_F_DUMP);
	if (genl_do(&s, &r, NULL, NULL, &ack) || ack.err)
		return 12;
	genl_close(&s);
	return 0;
}

/*
 * Without CAP_NET_ADMIN: SET_CONFIG, GET_OOM and joining "events" are
 * -EPERM, processes of other users are not shown, the rest works.
 */
TEST_F(nl, unprivileged)
{
	struct mt_config c;

	EXPECT_EQ(0, mt_run_unprivileged(mt_unprivileged_checks));
	ASSERT_EQ(0, mt_get_config(&self->s, &c));
	EXPECT_EQ(1000, c.sample_ms);
	EXPECT_EQ(1000, mt_param_read("sample_ms"));
}

/* As root: joining "events" works, GET_OOM and GET_LEAKS dump (empty). */
TEST_F(nl, privileged_dumps_and_events)
{
	struct genl_ack ack;
	struct genl_req r;
	uint32_t grp = self->s.mcgrp;

	EXPECT_EQ(0, setsockopt(self->s.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_OOM, NLM_F_DUMP);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(0, ack.err) TH_LOG("%s", ack.msg);
	EXPECT_EQ(0, ack.msgs);
	genl_req_init(&r, self->s.family, MEMATTR_CMD_GET_LEAKS, NLM_F_DUMP);
	ASSERT_EQ(0, genl_do(&self->s, &r, NULL, NULL, &ack));
	EXPECT_EQ(0, ack.err) TH_LOG("%s", ack.msg);
	EXPECT_EQ(0, setsockopt(self->s.fd, SOL_NETLINK,
				NETLINK_DROP_MEMBERSHIP, &grp, sizeof(grp)));
	/* The ring behind the group, for people: a header, no event yet. */
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/events", mt_buf,
				  sizeof(mt_buf)));
	EXPECT_EQ(0, strncmp(mt_buf, "     time_ms kind         details\n",
			     strlen(mt_buf) + 1));
}

/* --- dumps under churn ---------------------------------------------------- */

/* Keep 50 short-lived children coming and going until killed. */
static void mt_churn(void)
{
	unsigned int seed = getpid();

	for (;;) {
		int i;

		for (i = 0; i < 50; i++) {
			pid_t pid = fork();

			if (!pid) {
				mt_sleep_ms(rand_r(&seed) % 5);
				_exit(0);
			}
		}
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
}

/*
 * Dumps while 50 processes fork and exit: never an error, every row
 * well-formed, the stable processes always there. NLM_F_DUMP_INTR is
 * allowed; such a dump is retried a few times, then taken as it is.
 */
TEST_F_TIMEOUT(nl, dump_during_churn, 300)
{
	static struct mt_dump d;
	int i, intr = 0, clean = 0;
	struct genl_ack ack;
	pid_t churn;

	churn = fork();
	ASSERT_LE(0, churn);
	if (!churn) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		mt_churn();
	}
	mt_sleep_ms(200);
	for (i = 0; i < 30; i++) {
		int try;

		for (try = 0; try < 5; try++) {
			ASSERT_EQ(0, mt_dump_procs(&self->s, &d, &ack))
				TH_LOG("dump %d: %s", i, ack.msg);
			if (!ack.intr)
				break;
			intr++;
		}
		if (!ack.intr)
			clean++;
		EXPECT_EQ(0, d.bad) TH_LOG("dump %d", i);
		EXPECT_TRUE(mt_dump_has(&d, 1)) TH_LOG("dump %d", i);
		EXPECT_TRUE(mt_dump_has(&d, getpid())) TH_LOG("dump %d", i);
		EXPECT_TRUE(mt_dump_has(&d, churn)) TH_LOG("dump %d", i);
	}
	kill(churn, SIGKILL);
	waitpid(churn, NULL, 0);
	TH_LOG("30 dumps: %d clean, %d interrupted tries", clean, intr);
}

/* GET_STATS: the module's counters and every hook, well-formed. */
TEST_F(nl, get_stats_hooks)
{
	const struct nlattr *tb[MEMATTR_A_STATS_MAX + 1];
	const struct nlattr *htb[MEMATTR_A_HOOK_MAX + 1];
	static struct mt_reply rep;
	const struct nlattr *item = NULL;
	bool fork_seen = false, page_alloc_seen = false;
	struct genl_ack ack;
	int hooks = 0;

	ASSERT_EQ(0, mt_get(&self->s, MEMATTR_CMD_GET_STATS, &rep, &ack))
		TH_LOG("%s", ack.msg);
	ASSERT_NE(0, rep.len);
	ASSERT_EQ(0, genl_parse_msg(mt_nlh(&rep), tb, MEMATTR_A_STATS_MAX));
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_TRACKED_PROCS]);
	EXPECT_LT(0, genl_u32(tb[MEMATTR_A_STATS_TRACKED_PROCS]));
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_MAX_PROCS]);
	EXPECT_EQ(4096, genl_u32(tb[MEMATTR_A_STATS_MAX_PROCS]));
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_TRACKED_CGROUPS]);
	EXPECT_LT(0, genl_u32(tb[MEMATTR_A_STATS_TRACKED_CGROUPS]));
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_PROCS_DROPPED]);
	EXPECT_EQ(0, genl_u64(tb[MEMATTR_A_STATS_PROCS_DROPPED]));
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_SAMPLE_MS]);
	ASSERT_NE(NULL, tb[MEMATTR_A_STATS_HOOKS]);
	while ((item = genl_nested_next(tb[MEMATTR_A_STATS_HOOKS], item))) {
		const char *name, *kind;

		ASSERT_EQ(MEMATTR_A_LIST_ITEM, genl_type(item));
		ASSERT_EQ(0, genl_parse_nested(item, htb, MEMATTR_A_HOOK_MAX));
		ASSERT_NE(NULL, htb[MEMATTR_A_HOOK_NAME]);
		ASSERT_NE(NULL, htb[MEMATTR_A_HOOK_KIND]);
		ASSERT_NE(NULL, htb[MEMATTR_A_HOOK_HITS]);
		ASSERT_NE(NULL, htb[MEMATTR_A_HOOK_MISSES]);
		name = genl_str(htb[MEMATTR_A_HOOK_NAME]);
		kind = genl_str(htb[MEMATTR_A_HOOK_KIND]);
		ASSERT_NE(NULL, name);
		ASSERT_NE(NULL, kind);
		/* Every hook attaches on the lanes' kernels. */
		EXPECT_NE(NULL, htb[MEMATTR_A_HOOK_TARGET]) TH_LOG("%s", name);
		if (!strcmp(name, "fork")) {
			fork_seen = true;
			EXPECT_STREQ("tracepoint", kind);
		}
		if (!strcmp(name, "page_alloc")) {
			page_alloc_seen = true;
			EXPECT_LT(0, genl_u64(htb[MEMATTR_A_HOOK_HITS]));
		}
		hooks++;
	}
	EXPECT_EQ(0, genl_attrs_check(genl_data(tb[MEMATTR_A_STATS_HOOKS]),
				      genl_payload(tb[MEMATTR_A_STATS_HOOKS])));
	EXPECT_EQ(11, hooks);
	EXPECT_TRUE(fork_seen);
	EXPECT_TRUE(page_alloc_seen);
}

TEST_HARNESS_MAIN
