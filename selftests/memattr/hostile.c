// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile callers: an unprivileged user that starts dumps and never reads
 * them, callers in pid and cgroup namespaces, and names chosen to forge
 * rows in debugfs tables.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <linux/memattr.h>

#include "memattr_test.h"
#include "genl.h"
#include "kselftest_harness.h"

#define NOBODY		65534
#define CG		"/sys/fs/cgroup"

/* --- helpers -------------------------------------------------------------- */

static int mt_write_str(const char *path, const char *s)
{
	return mt_write_file(path, s, strlen(s));
}

static int mt_cg_enter(const char *cg, pid_t pid)
{
	char path[512], v[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(v, sizeof(v), "%d", pid);
	return mt_write_str(path, v);
}

/* The memory controller in the children of the root and of @cg. */
static int mt_cg_memory(const char *cg)
{
	char path[512];

	if (mt_write_str(CG "/cgroup.subtree_control", "+memory"))
		return -1;
	if (!cg)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg);
	return mt_write_str(path, "+memory");
}

/* A "Key: value kB" line of /proc/meminfo, in bytes, or -1. */
static long long mt_meminfo(const char *key)
{
	char buf[4096], *p;

	if (mt_read_file("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, key);
	return p ? atoll(p + strlen(key) + 1) * 1024 : -1;
}

static long long mt_cg_current(const char *cg)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	if (mt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return atoll(buf);
}

/* Wait for the sampler to put the cgroups in its table (sample_ms=100). */
static void mt_wait_sample(void)
{
	mt_sleep_ms(600);
}

/* --- unread dumps --------------------------------------------------------- */

#define MT_SOCKS	800
#define MT_CGS		120
#define MT_PIN		CG "/mt_pin"

/* What one batch of unread dumps cost: globally and in the caller's cgroup. */
struct mt_cost {
	long long global;	/* drop of MemFree */
	long long charged;	/* rise of memory.current */
};

/*
 * Open MT_SOCKS sockets, each starting a dump of @cmd of @family (flags
 * NLM_F_DUMP) that is never read; measure, then close them all.
 */
static int mt_unread_dumps(uint16_t family, uint8_t cmd, uint8_t version,
			   struct mt_cost *c)
{
	static int fds[MT_SOCKS];
	long long free0, cur0;
	struct genl_req r;
	int i, ret = 0;

	mt_sleep_ms(300);
	free0 = mt_meminfo("MemFree:");
	cur0 = mt_cg_current(MT_PIN);
	for (i = 0; i < MT_SOCKS; i++) {
		fds[i] = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				NETLINK_GENERIC);
		if (fds[i] < 0)
			return -1;
		genl_req_init(&r, family, cmd, NLM_F_DUMP);
		((struct genlmsghdr *)NLMSG_DATA(&r.nlh))->version = version;
		r.nlh.nlmsg_seq = 1;
		if (send(fds[i], r.buf, r.nlh.nlmsg_len, 0) < 0)
			ret = -1;
	}
	mt_sleep_ms(300);
	c->global = free0 - mt_meminfo("MemFree:");
	c->charged = mt_cg_current(MT_PIN) - cur0;
	for (i = 0; i < MT_SOCKS; i++)
		close(fds[i]);
	return ret;
}

/* The child's findings, sent to the parent through a pipe. */
struct mt_pin_result {
	int err;
	struct mt_cost ctrl, dump;
};

/*
 * As nobody in cgroup MT_PIN: MT_SOCKS unread dumps of nlctrl (what a
 * socket and a first part cost anyway), then as many of @cmd.
 */
static void mt_pin_child(int fd, uint8_t cmd)
{
	struct mt_pin_result res = {};
	struct rlimit rl;
	struct genl_sock s;

	if (mt_cg_enter(MT_PIN, getpid()) || setgroups(0, NULL) ||
	    setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		res.err = 1;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	if (!res.err && (setrlimit(RLIMIT_NOFILE, &rl) ||
			 rl.rlim_cur < MT_SOCKS + 16))
		res.err = 2;
	if (!res.err && genl_open(&s, MEMATTR_GENL_NAME, NULL))
		res.err = 3;
	if (!res.err && mt_unread_dumps(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2,
					&res.ctrl))
		res.err = 4;
	if (!res.err && mt_unread_dumps(s.family, cmd, MEMATTR_GENL_VERSION,
					&res.dump))
		res.err = 5;
	if (write(fd, &res, sizeof(res)) != sizeof(res))
		_exit(1);
	_exit(0);
}

FIXTURE(pin) {
	char cgs[MT_CGS][64];
};

FIXTURE_SETUP(pin)
{
	int i;

	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100"));
	ASSERT_EQ(0, mt_cg_memory(NULL));
	rmdir(MT_PIN);
	ASSERT_EQ(0, mkdir(MT_PIN, 0755));
	/* Cgroups enough that a copy of their table weighs. */
	for (i = 0; i < MT_CGS; i++) {
		snprintf(self->cgs[i], sizeof(self->cgs[i]), CG "/mt_pin_%d", i);
		rmdir(self->cgs[i]);
		ASSERT_EQ(0, mkdir(self->cgs[i], 0755));
	}
	mt_wait_sample();
}

FIXTURE_TEARDOWN(pin)
{
	int i;

	for (i = 0; i < MT_CGS; i++)
		rmdir(self->cgs[i]);
	rmdir(MT_PIN);
	EXPECT_EQ(0, mt_module_unload());
}

/*
 * Unread dumps of @cmd as nobody: whatever they hold beyond what nlctrl's
 * hold is charged to the caller's memory cgroup. Return: the child's error.
 */
static int mt_pin_check(struct __test_metadata *_metadata, uint8_t cmd)
{
	struct mt_pin_result res;
	long long extra_global, extra_charged, uncharged;
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		mt_pin_child(p[1], cmd);
	}
	close(p[1]);
	if (read(p[0], &res, sizeof(res)) != sizeof(res))
		res.err = 100;
	close(p[0]);
	waitpid(pid, &st, 0);
	extra_global = res.dump.global - res.ctrl.global;
	extra_charged = res.dump.charged - res.ctrl.charged;
	uncharged = extra_global - extra_charged;
	TH_LOG("%d unread dumps of cmd %u: MemFree -%lld KiB (nlctrl -%lld), "
	       "memory.current +%lld KiB (nlctrl +%lld): %lld B a dump not charged",
	       MT_SOCKS, cmd, res.dump.global / 1024, res.ctrl.global / 1024,
	       res.dump.charged / 1024, res.ctrl.charged / 1024,
	       uncharged / MT_SOCKS);
	EXPECT_EQ(0, res.err);
	/*
	 * Noise: per-CPU page lists and charge batches, up to ~8 KiB a dump
	 * seen; the copies of the whole tables that this catches weigh 64 KiB
	 * and more (MT_CGS cgroups).
	 */
	EXPECT_GT(24576LL * MT_SOCKS, uncharged);
	return res.err;
}

TEST_F_TIMEOUT(pin, get_proc_unread, 120)
{
	mt_pin_check(_metadata, MEMATTR_CMD_GET_PROC);
}

TEST_F_TIMEOUT(pin, get_leaks_unread, 120)
{
	mt_pin_check(_metadata, MEMATTR_CMD_GET_LEAKS);
}

TEST_F_TIMEOUT(pin, get_cgroup_unread, 120)
{
	mt_pin_check(_metadata, MEMATTR_CMD_GET_CGROUP);
}

/* --- namespaces ----------------------------------------------------------- */

#define MT_NS_MAX	256

struct mt_ns_row {
	uint32_t pid;
	char comm[16];
	char path[256];
	uint64_t id;
};

struct mt_ns_dump {
	struct mt_ns_row rows[MT_NS_MAX];
	int nr;
	int bad;
};

static int mt_ns_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMATTR_A_PROC_MAX + MEMATTR_A_CGROUP_MAX + 2];
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct mt_ns_dump *d = arg;
	struct mt_ns_row *r;

	if (d->nr == MT_NS_MAX) {
		d->bad++;
		return 0;
	}
	r = &d->rows[d->nr];
	memset(r, 0, sizeof(*r));
	if (g->cmd == MEMATTR_CMD_GET_PROC) {
		if (genl_parse_msg(nlh, tb, MEMATTR_A_PROC_MAX) ||
		    !tb[MEMATTR_A_PROC_PID] || !tb[MEMATTR_A_PROC_COMM]) {
			d->bad++;
			return 0;
		}
		r->pid = genl_u32(tb[MEMATTR_A_PROC_PID]);
		snprintf(r->comm, sizeof(r->comm), "%s",
			 genl_str(tb[MEMATTR_A_PROC_COMM]) ?: "");
		if (tb[MEMATTR_A_PROC_CGROUP_PATH])
			snprintf(r->path, sizeof(r->path), "%s",
				 genl_str(tb[MEMATTR_A_PROC_CGROUP_PATH]) ?: "");
	} else {
		if (genl_parse_msg(nlh, tb, MEMATTR_A_CGROUP_MAX) ||
		    !tb[MEMATTR_A_CGROUP_ID] || !tb[MEMATTR_A_CGROUP_PATH]) {
			d->bad++;
			return 0;
		}
		r->id = genl_u64(tb[MEMATTR_A_CGROUP_ID]);
		snprintf(r->path, sizeof(r->path), "%s",
			 genl_str(tb[MEMATTR_A_CGROUP_PATH]) ?: "");
	}
	d->nr++;
	return 0;
}

/* A dump (@pid 0) or a GET_PROC of @pid into @d. Return: errno or 0. */
static int mt_ns_req(struct genl_sock *s, uint8_t cmd, uint32_t pid,
		     struct mt_ns_dump *d)
{
	struct genl_ack ack;
	struct genl_req r;
	int ret;

	d->nr = 0;
	d->bad = 0;
	genl_req_init(&r, s->family, cmd, pid ? NLM_F_ACK : NLM_F_DUMP);
	if (pid)
		genl_put_u32(&r, MEMATTR_A_PROC_PID, pid);
	ret = genl_do(s, &r, mt_ns_cb, d, &ack);
	return ret ? -ret : ack.err;
}

static int mt_write_map(const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	return mt_write_str(path, map);
}

static struct mt_ns_dump mt_d;

/*
 * As pid 1 of a new pid namespace, owned by a new user namespace of
 * nobody: each check's number on failure, 0 else. @host: a process of
 * nobody outside the namespace, by its pid there.
 */
static int mt_pidns_checks(pid_t host)
{
	struct genl_sock s;
	pid_t two;
	int i, ret = 0;

	if (getpid() != 1)
		return 1;
	/* The table takes a comm at fork and exec: name "two" before. */
	prctl(PR_SET_NAME, "mt_ns_two");
	two = fork();
	if (!two) {
		pause();
		_exit(0);
	}
	prctl(PR_SET_NAME, "mt_ns_host");
	if (two != 2 || genl_open(&s, MEMATTR_GENL_NAME, NULL))
		return 2;
	mt_sleep_ms(300);	/* the table learns "mt_ns_two" at exec/sample */
	/* The dump: the namespace's processes, by their pids there. */
	if (mt_ns_req(&s, MEMATTR_CMD_GET_PROC, 0, &mt_d) || mt_d.bad)
		ret = 3;
	for (i = 0; !ret && i < mt_d.nr; i++)
		if (mt_d.rows[i].pid != 1 && mt_d.rows[i].pid != 2)
			ret = 4;
	if (!ret && mt_d.nr != 2)
		ret = 5;
	/* GET_PROC(1): itself. */
	if (!ret && (mt_ns_req(&s, MEMATTR_CMD_GET_PROC, 1, &mt_d) ||
		     mt_d.nr != 1 || mt_d.rows[0].pid != 1 ||
		     strcmp(mt_d.rows[0].comm, "mt_ns_host")))
		ret = 6;
	if (!ret && (mt_ns_req(&s, MEMATTR_CMD_GET_PROC, 2, &mt_d) ||
		     mt_d.nr != 1 || strcmp(mt_d.rows[0].comm, "mt_ns_two")))
		ret = 7;
	/* A process of the same uid outside: as if it did not exist. */
	if (!ret && mt_ns_req(&s, MEMATTR_CMD_GET_PROC, host, &mt_d) != ENOENT)
		ret = 8;
	/* GET_LEAKS names nobody outside either (nothing leaks here). */
	if (!ret && (mt_ns_req(&s, MEMATTR_CMD_GET_LEAKS, 0, &mt_d) ||
		     mt_d.nr))
		ret = 9;
	kill(two, SIGKILL);
	waitpid(two, NULL, 0);
	genl_close(&s);
	return ret;
}

FIXTURE(ns) {
	int unused;
};

FIXTURE_SETUP(ns)
{
	if (mt_module_loaded())
		ASSERT_EQ(0, mt_module_unload());
	ASSERT_EQ(0, mt_module_load("sample_ms=100"));
}

FIXTURE_TEARDOWN(ns)
{
	EXPECT_EQ(0, mt_module_unload());
}

/*
 * unshare(CLONE_NEWUSER | CLONE_NEWPID) as nobody, root mapped: the first
 * child, pid 1 there, sees the namespace's processes only, by their pids
 * there; another process of nobody outside is -ENOENT.
 */
TEST_F_TIMEOUT(ns, pid_namespace, 60)
{
	int p[2], st = -1;
	pid_t outer;

	/* Debian's switch for user namespaces of unprivileged users. */
	if (mt_path_exists("/proc/sys/kernel/unprivileged_userns_clone"))
		ASSERT_EQ(0, mt_write_str("/proc/sys/kernel/unprivileged_userns_clone",
					  "1"));
	ASSERT_EQ(0, pipe(p));
	outer = fork();
	ASSERT_LE(0, outer);
	if (!outer) {
		pid_t host = getpid(), one;
		char c;

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(90);
		/* Leaving root made it undumpable: /proc/self/ is root's. */
		prctl(PR_SET_DUMPABLE, 1);
		prctl(PR_SET_NAME, "mt_ns_host");
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID))
			_exit(91);
		if (mt_write_map("setgroups", "deny") ||
		    mt_write_map("uid_map", "0 65534 1") ||
		    mt_write_map("gid_map", "0 65534 1"))
			_exit(92);
		one = fork();
		if (!one)
			_exit(mt_pidns_checks(host));
		/* Stay alive, same uid, outside the namespace, until it ends. */
		close(p[1]);
		if (waitpid(one, &st, 0) != one || !WIFEXITED(st))
			_exit(93);
		(void)read(p[0], &c, 1);
		_exit(WEXITSTATUS(st));
	}
	close(p[0]);
	close(p[1]);
	ASSERT_EQ(outer, waitpid(outer, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("check %d failed", WEXITSTATUS(st));
}

#define MT_NSCG		CG "/mt_nscg"

/*
 * In a cgroup namespace rooted at MT_NSCG/a: GET_CGROUP shows that cgroup
 * only, as "/", not its parent nor its sibling; GET_PROC names the
 * caller's cgroup "/"; a cgroup outside is -ENOENT by id and by path.
 */
TEST_F_TIMEOUT(ns, cgroup_namespace, 60)
{
	struct stat sa, sb;
	int p[2], st = -1;
	pid_t pid;

	rmdir(MT_NSCG "/a");
	rmdir(MT_NSCG "/b");
	rmdir(MT_NSCG);
	ASSERT_EQ(0, mt_cg_memory(NULL));
	ASSERT_EQ(0, mkdir(MT_NSCG, 0755));
	ASSERT_EQ(0, mt_cg_memory(MT_NSCG));
	ASSERT_EQ(0, mkdir(MT_NSCG "/a", 0755));
	ASSERT_EQ(0, mkdir(MT_NSCG "/b", 0755));
	ASSERT_EQ(0, stat(MT_NSCG "/a", &sa));
	ASSERT_EQ(0, stat(MT_NSCG "/b", &sb));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct genl_sock s;
		struct genl_ack ack;
		struct genl_req r;
		int i, ret = 0;
		char c;

		close(p[1]);
		if (read(p[0], &c, 1) != 1 || unshare(CLONE_NEWCGROUP) ||
		    genl_open(&s, MEMATTR_GENL_NAME, NULL))
			_exit(1);
		mt_wait_sample();
		if (mt_ns_req(&s, MEMATTR_CMD_GET_CGROUP, 0, &mt_d) || mt_d.bad)
			_exit(2);
		for (i = 0; i < mt_d.nr; i++)
			fprintf(stderr, "# in the namespace: cgroup %llu %s\n",
				(unsigned long long)mt_d.rows[i].id,
				mt_d.rows[i].path);
		if (mt_d.nr != 1 || mt_d.rows[0].id != sa.st_ino ||
		    strcmp(mt_d.rows[0].path, "/"))
			_exit(3);
		if (mt_ns_req(&s, MEMATTR_CMD_GET_PROC, getpid(), &mt_d) ||
		    mt_d.nr != 1 || strcmp(mt_d.rows[0].path, "/"))
			_exit(4);
		genl_req_init(&r, s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
		genl_put_u64(&r, MEMATTR_A_CGROUP_ID, sb.st_ino);
		if (genl_do(&s, &r, NULL, NULL, &ack) || ack.err != ENOENT)
			ret = 5;
		genl_req_init(&r, s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
		genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/mt_nscg/b");
		if (!ret && (genl_do(&s, &r, NULL, NULL, &ack) ||
			     ack.err != ENOENT))
			ret = 6;
		genl_req_init(&r, s.family, MEMATTR_CMD_GET_CGROUP, NLM_F_ACK);
		genl_put_str(&r, MEMATTR_A_CGROUP_PATH, "/");
		if (!ret && (genl_do(&s, &r, NULL, NULL, &ack) || ack.err))
			ret = 7;
		_exit(ret);
	}
	close(p[0]);
	EXPECT_EQ(0, mt_cg_enter(MT_NSCG "/a", pid));
	ASSERT_EQ(1, write(p[1], "x", 1));
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("check %d failed", WEXITSTATUS(st));
	rmdir(MT_NSCG "/a");
	rmdir(MT_NSCG "/b");
	rmdir(MT_NSCG);
}

/* --- names in debugfs ----------------------------------------------------- */

#define MT_ESC_CG	CG "/mt esc=x\ty"
#define MT_ESC_COMM	"a\nb=c d"

/* Words of a line. */
static int mt_words(const char *line, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && (!i || line[i - 1] == ' '))
			n++;
	return n;
}

/*
 * Every line of table @name has as many words as its header; the rows that
 * start with @pid (0: none) number exactly one and hold @want.
 */
static void mt_table_check(struct __test_metadata *_metadata,
			   const char *name, pid_t pid, const char *want)
{
	char path[128], *line, *end, lead[16];
	int header = -1, mine = 0, found = 0;

	snprintf(path, sizeof(path), MEMATTR_DEBUGFS "/%s", name);
	ASSERT_LT(0, mt_read_file(path, mt_buf, sizeof(mt_buf)));
	snprintf(lead, sizeof(lead), "%d ", pid);
	for (line = mt_buf; *line; line = end + 1) {
		int words;

		end = strchr(line, '\n');
		ASSERT_NE(NULL, end) TH_LOG("%s: a line without its end", name);
		words = mt_words(line, end - line);
		if (header < 0)
			header = words;
		EXPECT_EQ(header, words) TH_LOG("%s: %.*s", name,
						(int)(end - line), line);
		while (*line == ' ')
			line++;
		if (pid && !strncmp(line, lead, strlen(lead))) {
			mine++;
			found += !!memmem(line, end - line, want, strlen(want));
		}
	}
	if (pid) {
		EXPECT_EQ(1, mine) TH_LOG("%s: rows of pid %d", name, pid);
		EXPECT_EQ(1, found) TH_LOG("%s: no %s", name, want);
	}
}

/*
 * A process named "a\nb=c d" in a cgroup named "mt esc=x\ty": every
 * debugfs table still parses, one line a row, as many words a row as in
 * its header, the names escaped as /proc escapes them.
 */
TEST_F_TIMEOUT(ns, debugfs_names_escaped, 60)
{
	int p[2], q[2], st;
	pid_t pid, child;
	char c;

	rmdir(MT_ESC_CG);
	ASSERT_EQ(0, mt_cg_memory(NULL));
	ASSERT_EQ(0, mkdir(MT_ESC_CG, 0755));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	/*
	 * The table takes a comm at fork and exec: a child named so forks
	 * the process under test, which tells its pid and waits.
	 */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[1]);
		close(q[0]);
		prctl(PR_SET_NAME, MT_ESC_COMM);
		pid = fork();
		if (!pid) {
			if (read(p[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		if (write(q[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		waitpid(pid, NULL, 0);
		_exit(0);
	}
	child = pid;
	close(p[0]);
	close(q[1]);
	ASSERT_EQ(sizeof(pid), read(q[0], &pid, sizeof(pid)));
	close(q[0]);
	ASSERT_EQ(0, mt_cg_enter(MT_ESC_CG, pid));
	mt_wait_sample();
	mt_table_check(_metadata, "processes", pid, "a\\012b\\075c\\040d");
	mt_table_check(_metadata, "processes", pid, "/mt\\040esc\\075x\\011y");
	mt_table_check(_metadata, "cgroups", 0, NULL);
	ASSERT_LT(0, mt_read_file(MEMATTR_DEBUGFS "/cgroups", mt_buf,
				  sizeof(mt_buf)));
	EXPECT_NE(NULL, strstr(mt_buf, " /mt\\040esc\\075x\\011y\n"));
	/* Its end, in the exited table. */
	close(p[1]);
	ASSERT_EQ(child, waitpid(child, &st, 0));
	mt_sleep_ms(300);
	mt_table_check(_metadata, "exited", pid, "a\\012b\\075c\\040d");
	rmdir(MT_ESC_CG);
}

TEST_HARNESS_MAIN
