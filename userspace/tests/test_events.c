// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of memattr watch: the MEMATTR_CMD_EVENT parser on
 * hand-built messages (valid, hostile, truncated, from a newer module), its
 * text and JSON lines, the --exec environment, and the arguments; and of
 * memattr export's arguments (its output: prom_check.sh). Prints TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <syslog.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/memattr.h>
#include <linux/netlink.h>

#include "memattr.h"
#include "msgs.h"
#include "run_cli.h"
#include "tap.h"

static uint64_t buf_a[MSG_BUF_SIZE / 8];	/* 8-byte aligned */

static const struct memattr_event *print_ev;
static int64_t print_wall;

/* Render print_ev with flags; *err gets pr_free()'s result. */
static char *render_ev(unsigned int flags, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pr *pr;

	if (!f)
		abort();
	pr = pr_new(f, flags);
	if (!pr)
		abort();
	memattr_event_print(pr, print_ev, print_wall);
	*err = pr_free(pr);
	fclose(f);
	return buf;
}

static void check_render(const struct memattr_event *ev, int64_t wall,
			 const char *json, const char *line)
{
	char *s;
	int err;

	print_ev = ev;
	print_wall = wall;
	s = render_ev(PR_JSON, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, json);
	free(s);
	s = render_ev(PR_LINE, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, line);
	free(s);
}

static void test_leak(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;

	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK, 4242, "leaker", 77,
			  "/mt leak", 3686400);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.kind, MEMATTR_EV_LEAK);
	CHECK_INT(ev.time_ms, 123456);
	CHECK_INT(ev.entity, MEMATTR_ENTITY_PROCESS);
	CHECK_INT(ev.pid, 4242);
	CHECK_STR(ev.comm, "leaker");
	CHECK_INT(ev.cgroup_id, 77);
	CHECK_STR(ev.cgroup, "/mt leak");
	CHECK_INT(ev.growth_kb_per_hour, 3686400);
	CHECK_INT(ev.since_ms, 120000);
	CHECK(!(ev.present & MEMATTR_BIT(MEMATTR_A_EV_LEVEL)));
	CHECK(!(ev.present & MEMATTR_BIT(MEMATTR_A_EV_TOP)));
	check_render(&ev, 1764094801123LL,
		     "{\"event\":\"leak\",\"time\":\"2025-11-25T18:20:01.123Z\","
		     "\"time_ms\":123456,\"kind\":\"process\",\"pid\":4242,"
		     "\"comm\":\"leaker\",\"cgroup\":\"/mt leak\","
		     "\"cgroup_id\":77,\"growth_kb_per_hour\":3686400,"
		     "\"since_ms\":120000}\n",
		     "event=leak time=2025-11-25T18:20:01.123Z time_ms=123456 "
		     "kind=process pid=4242 comm=leaker cgroup=/mt\\x20leak "
		     "cgroup_id=77 growth_kb_per_hour=3686400 since_ms=120000\n");

	/* cleared, negative growth, no cgroup; no wall clock */
	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK_CLEARED, 1, "a", 0, NULL,
			  -5);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	check_render(&ev, -1,
		     "{\"event\":\"leak_cleared\",\"time_ms\":123456,"
		     "\"kind\":\"process\",\"pid\":1,\"comm\":\"a\","
		     "\"growth_kb_per_hour\":-5,\"since_ms\":120000}\n",
		     "event=leak_cleared time_ms=123456 kind=process pid=1 "
		     "comm=a growth_kb_per_hour=-5 since_ms=120000\n");

	nlh = msg_ev_cgroup_leak(buf_a, 9, "/a/b", 100);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.entity, MEMATTR_ENTITY_CGROUP);
	CHECK(!(ev.present & MEMATTR_BIT(MEMATTR_A_EV_PID)));
	check_render(&ev, -1,
		     "{\"event\":\"leak\",\"time_ms\":123456,"
		     "\"kind\":\"cgroup\",\"cgroup\":\"/a/b\",\"cgroup_id\":9,"
		     "\"growth_kb_per_hour\":100,\"since_ms\":120000}\n",
		     "event=leak time_ms=123456 kind=cgroup cgroup=/a/b "
		     "cgroup_id=9 growth_kb_per_hour=100 since_ms=120000\n");
}

static void test_watermark(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;

	nlh = msg_ev_watermark(buf_a, 2, 92, MEMATTR_WM_UP, 93);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.level, 2);
	CHECK_INT(ev.level_pct, 92);
	CHECK_INT(ev.direction, MEMATTR_WM_UP);
	CHECK_INT(ev.used_pct, 93);
	check_render(&ev, -1,
		     "{\"event\":\"watermark\",\"time_ms\":123456,\"level\":2,"
		     "\"level_pct\":92,\"direction\":\"up\",\"used_pct\":93}\n",
		     "event=watermark time_ms=123456 level=2 level_pct=92 "
		     "direction=up used_pct=93\n");
	nlh = msg_ev_watermark(buf_a, 1, 50, MEMATTR_WM_DOWN, 40);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	check_render(&ev, -1,
		     "{\"event\":\"watermark\",\"time_ms\":123456,\"level\":1,"
		     "\"level_pct\":50,\"direction\":\"down\",\"used_pct\":40}\n",
		     "event=watermark time_ms=123456 level=1 level_pct=50 "
		     "direction=down used_pct=40\n");
	nlh = msg_ev_watermark(buf_a, 1, 50, 9, 40);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	check_render(&ev, -1,
		     "{\"event\":\"watermark\",\"time_ms\":123456,\"level\":1,"
		     "\"level_pct\":50,\"direction\":\"unknown\",\"used_pct\":40}\n",
		     "event=watermark time_ms=123456 level=1 level_pct=50 "
		     "direction=unknown used_pct=40\n");
}

static void test_oom(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;

	nlh = msg_ev_oom(buf_a, 777, "hog", "/mt_oom", 2);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.pid, 777);
	CHECK_INT(ev.rss_kb, 65536);
	CHECK_INT(ev.nr_top, 2);
	CHECK_INT(ev.top[1].pid, 101);
	CHECK_STR(ev.top[1].comm, "grower1");
	CHECK_INT(ev.top[1].growth_kb_per_hour, 2600);
	CHECK_INT(ev.top[1].rss_kb, 2048);
	check_render(&ev, -1,
		     "{\"event\":\"oom_kill\",\"time_ms\":123456,\"victim\":{\"pid\":777,"
		     "\"comm\":\"hog\",\"cgroup\":\"/mt_oom\",\"rss_kb\":65536},"
		     "\"top_growers\":[{\"pid\":100,\"comm\":\"grower0\","
		     "\"growth_kb_per_hour\":3600,\"rss_kb\":1024},"
		     "{\"pid\":101,\"comm\":\"grower1\","
		     "\"growth_kb_per_hour\":2600,\"rss_kb\":2048}]}\n",
		     "event=oom_kill time_ms=123456 victim={pid=777,comm=hog,"
		     "cgroup=/mt_oom,rss_kb=65536} top_growers=[{pid=100,"
		     "comm=grower0,growth_kb_per_hour=3600,rss_kb=1024},"
		     "{pid=101,comm=grower1,growth_kb_per_hour=2600,"
		     "rss_kb=2048}]\n");
	/* an empty list, and more growers than we keep */
	nlh = msg_ev_oom(buf_a, 1, "x", NULL, 0);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.nr_top, 0);
	CHECK(ev.present & MEMATTR_BIT(MEMATTR_A_EV_TOP));
	nlh = msg_ev_oom(buf_a, 1, "x", NULL, MEMATTR_EV_TOP_MAX + 4);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.nr_top, MEMATTR_EV_TOP_MAX);
	CHECK_INT(ev.top_dropped, 4);
	CHECK_INT(ev.top[MEMATTR_EV_TOP_MAX - 1].pid,
		  100 + MEMATTR_EV_TOP_MAX - 1);
}

/* Every cut of a valid message is refused, never read past. */
static void test_truncated(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;
	size_t len, cut;

	nlh = msg_ev_oom(buf_a, 777, "hog", "/mt_oom", 3);
	len = nlh->nlmsg_len;
	for (cut = 0; cut < len; cut++)
		CHECK_INT(memattr_event_parse(nlh, cut, &ev), -EBADMSG);
	/* nlmsg_len shorter than its attributes: the last one is cut */
	for (cut = NLMSG_HDRLEN + GENL_HDRLEN + 1; cut < len; cut += 4) {
		nlh->nlmsg_len = cut;
		CHECK(memattr_event_parse(nlh, len, &ev) != 0 ||
		      cut == len);
	}
	nlh->nlmsg_len = len;
	CHECK_INT(memattr_event_parse(nlh, len, &ev), 0);
	/* nlmsg_len past the buffer */
	nlh->nlmsg_len = 0xffffffff;
	CHECK_INT(memattr_event_parse(nlh, len, &ev), -EBADMSG);
}

static void test_hostile(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;
	struct nlattr *nest, *item;
	uint64_t v = 0;

	/* no kind */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_PID, 1);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -EBADMSG);
	/* not an event */
	nlh = msg_ev_watermark(buf_a, 1, 1, 1, 1);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		MEMATTR_CMD_GET_STATS;
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -EBADMSG);
	/* wrong lengths */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put(nlh, MEMATTR_A_EV_KIND, 2, &v);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -ERANGE);
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, 1);
	mnl_attr_put(nlh, MEMATTR_A_EV_TIME_MS, 4, &v);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -ERANGE);
	/* a comm without its NUL */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, 1);
	mnl_attr_put(nlh, MEMATTR_A_EV_COMM, 3, "abc");
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -EINVAL);
	/* a list element that is no nest */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, MEMATTR_EV_OOM_KILL);
	nest = mnl_attr_nest_start(nlh, MEMATTR_A_EV_TOP);
	mnl_attr_put(nlh, MEMATTR_A_LIST_ITEM, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	CHECK(memattr_event_parse(nlh, nlh->nlmsg_len, &ev) < 0);
	/* a grower with a bad pid length */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, MEMATTR_EV_OOM_KILL);
	nest = mnl_attr_nest_start(nlh, MEMATTR_A_EV_TOP);
	item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
	mnl_attr_put_u16(nlh, MEMATTR_A_GROWER_PID, 1);
	mnl_attr_nest_end(nlh, item);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -ERANGE);
	/* a list nest with a broken element length */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, MEMATTR_EV_OOM_KILL);
	nest = mnl_attr_nest_start(nlh, MEMATTR_A_EV_TOP);
	item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
	mnl_attr_put_u32(nlh, MEMATTR_A_GROWER_PID, 1);
	mnl_attr_nest_end(nlh, item);
	mnl_attr_nest_end(nlh, nest);
	item->nla_len = 200;
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), -EBADMSG);
}

/* A newer module's attributes, kinds and list elements are skipped. */
static void test_unknown(void)
{
	static const char junk[] = "from a newer module";
	struct nlmsghdr *nlh;
	struct memattr_event ev;
	struct nlattr *nest, *item;
	char *s;
	int err;

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_EVENT);
	mnl_attr_put(nlh, MEMATTR_A_EV_MAX + 1, sizeof(junk), junk);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, 99);
	mnl_attr_put(nlh, 0x7fff, 3, junk);
	nest = mnl_attr_nest_start(nlh, MEMATTR_A_EV_TOP);
	mnl_attr_put(nlh, 7, 3, junk);		/* not an element */
	item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
	mnl_attr_put_u32(nlh, MEMATTR_A_GROWER_PID, 5);
	mnl_attr_put(nlh, MEMATTR_A_GROWER_MAX + 3, 3, junk);
	mnl_attr_nest_end(nlh, item);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_PID, 3);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	CHECK_INT(ev.kind, 99);
	CHECK_INT(ev.pid, 3);
	CHECK_INT(ev.nr_top, 1);
	CHECK_INT(ev.top[0].pid, 5);
	CHECK_INT(ev.top[0].present, MEMATTR_BIT(MEMATTR_A_GROWER_PID));
	CHECK_STR(memattr_event_name(99), "unknown");
	print_ev = &ev;
	print_wall = -1;
	s = render_ev(PR_JSON, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s, "{\"event\":\"unknown\",\"code\":99,\"pid\":3,"
		     "\"top_growers\":[{\"pid\":5}]}\n");
	free(s);
}

/* Hostile strings are escaped in every output: text, JSON, environment. */
static void test_escaping(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;
	char **env;
	size_t i;

	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK, 7,
			  "a\nMEMATTR_PID=1\x1b[2J\xff", 0, "/x\"y", 1);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	check_render(&ev, -1,
		     "{\"event\":\"leak\",\"time_ms\":123456,"
		     "\"kind\":\"process\",\"pid\":7,"
		     "\"comm\":\"a\\nMEMATTR_PID=1\\u001b[2J\\ufffd\","
		     "\"cgroup\":\"/x\\\"y\",\"growth_kb_per_hour\":1,"
		     "\"since_ms\":120000}\n",
		     "event=leak time_ms=123456 kind=process pid=7 "
		     "comm=a\\x0aMEMATTR_PID=1\\x1b[2J\\xff cgroup=/x\"y "
		     "growth_kb_per_hour=1 since_ms=120000\n");
	env = memattr_event_env(&ev);
	CHECK(env);
	for (i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "MEMATTR_COMM=", 13))
			CHECK_STR(env[i],
				  "MEMATTR_COMM=a\\x0aMEMATTR_PID=1\\x1b[2J\\xff");
	memattr_event_env_free(env);
}

static char *env_join(char **env)
{
	char *s = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		abort();
	for (i = 0; env && env[i]; i++)
		fprintf(f, "%s\n", env[i]);
	fclose(f);
	return s;
}

static void test_env(void)
{
	struct nlmsghdr *nlh;
	struct memattr_event ev;
	char **env, *s;

	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK, 4242, "leaker", 77,
			  "/mt leak", -3686400);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	env = memattr_event_env(&ev);
	s = env_join(env);
	CHECK_STR(s,
		  "MEMATTR_EVENT=leak\n"
		  "MEMATTR_CODE=1\n"
		  "MEMATTR_TIME_MS=123456\n"
		  "MEMATTR_KIND=process\n"
		  "MEMATTR_PID=4242\n"
		  "MEMATTR_COMM=leaker\n"
		  "MEMATTR_CGROUP=/mt leak\n"
		  "MEMATTR_CGROUP_ID=77\n"
		  "MEMATTR_GROWTH_KB_PER_HOUR=-3686400\n"
		  "MEMATTR_SINCE_MS=120000\n");
	free(s);
	memattr_event_env_free(env);

	nlh = msg_ev_watermark(buf_a, 3, 97, MEMATTR_WM_DOWN, 90);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	env = memattr_event_env(&ev);
	s = env_join(env);
	CHECK_STR(s,
		  "MEMATTR_EVENT=watermark\n"
		  "MEMATTR_CODE=3\n"
		  "MEMATTR_TIME_MS=123456\n"
		  "MEMATTR_LEVEL=3\n"
		  "MEMATTR_LEVEL_PCT=97\n"
		  "MEMATTR_DIRECTION=down\n"
		  "MEMATTR_USED_PCT=90\n");
	free(s);
	memattr_event_env_free(env);

	nlh = msg_ev_oom(buf_a, 777, "hog", "/mt_oom", 2);
	CHECK_INT(memattr_event_parse(nlh, nlh->nlmsg_len, &ev), 0);
	env = memattr_event_env(&ev);
	s = env_join(env);
	CHECK_STR(s,
		  "MEMATTR_EVENT=oom_kill\n"
		  "MEMATTR_CODE=4\n"
		  "MEMATTR_TIME_MS=123456\n"
		  "MEMATTR_PID=777\n"
		  "MEMATTR_COMM=hog\n"
		  "MEMATTR_CGROUP=/mt_oom\n"
		  "MEMATTR_RSS_KB=65536\n"
		  "MEMATTR_TOP_COUNT=2\n"
		  "MEMATTR_TOP_0_PID=100\n"
		  "MEMATTR_TOP_0_COMM=grower0\n"
		  "MEMATTR_TOP_0_GROWTH_KB_PER_HOUR=3600\n"
		  "MEMATTR_TOP_0_RSS_KB=1024\n"
		  "MEMATTR_TOP_1_PID=101\n"
		  "MEMATTR_TOP_1_COMM=grower1\n"
		  "MEMATTR_TOP_1_GROWTH_KB_PER_HOUR=2600\n"
		  "MEMATTR_TOP_1_RSS_KB=2048\n");
	free(s);
	memattr_event_env_free(env);
}

/* ---- arguments ---- */

static int parse_argv(struct cli *cli, const char *arg, ...)
{
	char *argv[16] = { "memattr" };
	FILE *null = fopen("/dev/null", "w");
	int argc = 1, ret;
	va_list ap;

	if (!null)
		abort();
	va_start(ap, arg);
	for (; arg && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	ret = cli_parse(cli, argc, argv, null, null);
	fclose(null);
	return ret;
}

static void test_args(void)
{
	const struct memattr_watch_args *a;
	struct cli cli;

	CHECK_INT(parse_argv(&cli, "-j", "watch", "-n", "3", "-t", "90",
			     "--exec", "env | grep x", NULL), CLI_RUN);
	CHECK(cli.cmd == &cmd_watch && cli.opts.json);
	a = cli.args;
	CHECK(a && a->count == 3 && a->timeout_s == 90);
	CHECK_STR(a ? a->exec : NULL, "env | grep x");
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "watch", "-n1", "--timeout=2", "-e", "x",
			     NULL), CLI_RUN);
	a = cli.args;
	CHECK(a && a->count == 1 && a->timeout_s == 2);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "watch", NULL), CLI_RUN);
	a = cli.args;
	CHECK(a && !a->count && !a->timeout_s && !a->exec && !a->syslog);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "watch", "--syslog", "-n", "2", NULL),
		  CLI_RUN);
	a = cli.args;
	CHECK(a && a->syslog && a->count == 2);
	cli_release(&cli);
}

static void test_args_bad(void)
{
	static const char *const bad[][3] = {
		{ "-n", "0" }, { "-n", "-1" }, { "-n", "x" }, { "-n", "4294967296" },
		{ "-n", "" }, { "-n", "1x" }, { "-t", "0" }, { "-t", "31536001" },
		{ "-t", " 1" }, { "--exec", "" }, { "-x" }, { "--bogus" },
		{ "extra" }, { "-n" }, { "--exec" }, { "-t", "5", "x" },
		{ "--syslog=1" }, { "--syslog", "x" },
	};
	struct cli cli;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = parse_argv(&cli, "watch", bad[i][0], bad[i][1],
				   bad[i][2], NULL);

		if (r != 2)
			printf("# watch %s %s: %d\n", bad[i][0],
			       bad[i][1] ? bad[i][1] : "", r);
		CHECK_INT(r, 2);
		cli_release(&cli);
	}
}

static void test_export_args(void)
{
	static const char *const bad[][3] = {
		{ NULL }, { "-o", "x" }, { "--prometheus", "-o", "" },
		{ "--prometheus", "-o" }, { "--prometheus", "extra" },
		{ "--prometheus=1" }, { "-x" }, { "--json" },
		{ "--prometheus", "--processes=x" },
		{ "--prometheus", "--processes=-1" },
		{ "--prometheus", "--processes=1000001" },
		{ "--prometheus", "--processes" },
	};
	const struct memattr_export_args *a;
	struct cli cli;
	size_t i;

	CHECK_INT(parse_argv(&cli, "export", "--prometheus", "-o",
			     "/var/lib/node_exporter/memattr.prom", NULL),
		  CLI_RUN);
	a = cli.args;
	CHECK(cli.cmd == &cmd_export && a && a->prometheus);
	CHECK_STR(a ? a->output : NULL, "/var/lib/node_exporter/memattr.prom");
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "export", "--output=f", "--prometheus",
			     NULL), CLI_RUN);
	a = cli.args;
	CHECK_STR(a ? a->output : NULL, "f");
	CHECK(a && !a->procs_set);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "export", "--prometheus", "--processes=all",
			     NULL), CLI_RUN);
	a = cli.args;
	CHECK(a && a->procs_set && a->max_procs == MEMATTR_PROM_ALL);
	cli_release(&cli);
	CHECK_INT(parse_argv(&cli, "export", "--prometheus", "--processes",
			     "0", NULL), CLI_RUN);
	a = cli.args;
	CHECK(a && a->procs_set && a->max_procs == 0);
	cli_release(&cli);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = parse_argv(&cli, "export", bad[i][0], bad[i][1],
				   bad[i][2], NULL);

		if (r != 2)
			printf("# export %s: %d\n",
			       bad[i][0] ? bad[i][0] : "", r);
		CHECK_INT(r, 2);
		cli_release(&cli);
	}
}

/* nlctrl's CTRL_CMD_DELFAMILY ends watch; nothing else does. */
static void test_family_gone(void)
{
	struct nlmsghdr *nlh;

	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "memattr");
	CHECK(memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1d));
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len - 1, 0x1c));
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "memattr");
	CHECK(memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "other");
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	/* a new family, another command, another sender type */
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	nlh = msg_genl(buf_a, 0x1c, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	/* a malformed id */
	nlh = msg_genl(buf_a, GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u8(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	CHECK(!memattr_watch_family_gone(nlh, nlh->nlmsg_len, 0x1c));
	CHECK(!memattr_watch_family_gone(nlh, 3, 0x1c));
}

/*
 * Without the module: exit 1 and the standard message; watch prints
 * nothing, export -o still writes FILE with memattr_up 0 (and no
 * temporary file).
 */
static void test_no_module(void)
{
	static const char notloaded[] =
		"memattr: kernel module not loaded (generic netlink family "
		"\"memattr\" not found); load it with: modprobe memattr\n";
	char path[] = "/tmp/memattr-test-XXXXXX";
	char file[64], line[256];
	struct run r;
	int up0 = 0;
	FILE *f;

	if (!access("/sys/module/memattr", F_OK)) {
		tap_skip("the memattr module is loaded here");
		return;
	}
	r = run_argv("-j", "watch", "-n", "1", "-t", "1", NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, notloaded);
	free(r.out);
	free(r.err);
	if (!mkdtemp(path))
		abort();
	snprintf(file, sizeof(file), "%s/m.prom", path);
	r = run_argv("export", "--prometheus", "-o", file, NULL);
	CHECK_INT(r.status, 1);
	CHECK_STR(r.out, "");
	CHECK_STR(r.err, notloaded);
	free(r.out);
	free(r.err);
	f = fopen(file, "re");
	CHECK(f);
	while (f && fgets(line, sizeof(line), f))
		up0 += !strcmp(line, "memattr_up 0\n");
	if (f)
		fclose(f);
	CHECK_INT(up0, 1);
	CHECK(unlink(file) == 0);
	CHECK(rmdir(path) == 0);	/* nothing else was left */
}

/*
 * Emit one event of each kind (leak, leak_cleared, watermark, oom_kill)
 * through o, as memattr watch does. Returns how many failed.
 */
static int emit_each(const struct memattr_watch_out *o)
{
	struct memattr_event ev;
	struct nlmsghdr *nlh;
	int bad = 0;

	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK, 4242, "leaker", 77,
			  "/mt leak", 3686400);
	bad += memattr_event_parse(nlh, nlh->nlmsg_len, &ev) ||
	       memattr_watch_emit(o, &ev, -1);
	nlh = msg_ev_leak(buf_a, MEMATTR_EV_LEAK_CLEARED, 4242, "leaker", 77,
			  "/mt leak", 0);
	bad += memattr_event_parse(nlh, nlh->nlmsg_len, &ev) ||
	       memattr_watch_emit(o, &ev, -1);
	nlh = msg_ev_watermark(buf_a, 2, 92, MEMATTR_WM_UP, 93);
	bad += memattr_event_parse(nlh, nlh->nlmsg_len, &ev) ||
	       memattr_watch_emit(o, &ev, -1);
	nlh = msg_ev_oom(buf_a, 66, "hog", "/mt oom", 2);
	bad += memattr_event_parse(nlh, nlh->nlmsg_len, &ev) ||
	       memattr_watch_emit(o, &ev, -1);
	return bad;
}

/* The lines of f from the start, "|"-joined, up to the first space each. */
static void first_words(FILE *f, char *out, size_t size)
{
	char line[4096];
	size_t n = 0;

	rewind(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) && n < size) {
		line[strcspn(line, "\n ")] = '\0';
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "|" : "",
				      line);
	}
}

/*
 * A journal stream is told by $JOURNAL_STREAM's "DEV:INODE" matching the
 * fd; there, each line gets its sd-daemon priority prefix; elsewhere none.
 */
static void test_journal(void)
{
	struct memattr_watch_out o = {};
	char env[64], words[512];
	struct stat st;
	FILE *f = tmpfile(), *g = tmpfile();

	if (!f || !g || fstat(fileno(f), &st))
		abort();
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	CHECK(memattr_journal_stream(fileno(f), env));
	CHECK(!memattr_journal_stream(fileno(g), env));
	CHECK(!memattr_journal_stream(fileno(f), NULL));
	CHECK(!memattr_journal_stream(fileno(f), ""));
	CHECK(!memattr_journal_stream(fileno(f), "8:1"));
	strcat(env, "x");
	CHECK(!memattr_journal_stream(fileno(f), env));
	CHECK_INT(memattr_event_priority(MEMATTR_EV_LEAK), LOG_WARNING);
	CHECK_INT(memattr_event_priority(MEMATTR_EV_OOM_KILL), LOG_ERR);
	CHECK_INT(memattr_event_priority(MEMATTR_EV_WATERMARK), LOG_NOTICE);
	CHECK_INT(memattr_event_priority(MEMATTR_EV_LEAK_CLEARED), LOG_INFO);
	CHECK_INT(memattr_event_priority(999), LOG_INFO);

	o.out = f;
	o.journal = true;
	CHECK_INT(emit_each(&o), 0);
	first_words(f, words, sizeof(words));
	CHECK_STR(words, "<4>event=leak|<6>event=leak_cleared|"
		  "<5>event=watermark|<3>event=oom_kill");
	/* -p: every line of the indented object carries the prefix */
	o.out = g;
	o.pr_flags = PR_JSON | PR_PRETTY;
	CHECK_INT(emit_each(&o), 0);
	first_words(g, words, sizeof(words));
	CHECK(!strncmp(words, "<4>{|<4>|<4>|", 12));
	CHECK(strstr(words, "|<3>}"));
	/* not a journal stream: the lines as they were */
	fclose(g);
	g = tmpfile();
	o.out = g;
	o.pr_flags = PR_JSON;
	o.journal = false;
	CHECK_INT(emit_each(&o), 0);
	first_words(g, words, sizeof(words));
	CHECK_STR(words,
		  "{\"event\":\"leak\",\"time_ms\":123456,\"kind\":\"process\","
		  "\"pid\":4242,\"comm\":\"leaker\",\"cgroup\":\"/mt|"
		  "{\"event\":\"leak_cleared\",\"time_ms\":123456,"
		  "\"kind\":\"process\",\"pid\":4242,\"comm\":\"leaker\","
		  "\"cgroup\":\"/mt|"
		  "{\"event\":\"watermark\",\"time_ms\":123456,\"level\":2,"
		  "\"level_pct\":92,\"direction\":\"up\",\"used_pct\":93}|"
		  "{\"event\":\"oom_kill\",\"time_ms\":123456,"
		  "\"victim\":{\"pid\":66,\"comm\":\"hog\",\"cgroup\":\"/mt");
	fclose(f);
	fclose(g);
}

/*
 * --syslog: in a mount namespace of its own, a child puts a datagram
 * socket at /dev/log (on a tmpfs over /dev) and checks what syslog(3)
 * sends there: ident, pid, priority and facility daemon per event.
 */
static int syslog_child(void)
{
	static const char *const want[] = {
		"event=leak ", "event=leak_cleared ", "event=watermark ",
		"event=oom_kill ",
	};
	static const int prio[] = { LOG_WARNING, LOG_INFO, LOG_NOTICE,
				    LOG_ERR };
	struct sockaddr_un sa = { .sun_family = AF_UNIX,
				  .sun_path = "/dev/log" };
	struct memattr_watch_out o = { .syslog = true };
	struct timeval tv = { .tv_sec = 5 };
	char msg[4096], head[64];
	unsigned int i;
	ssize_t n;
	int fd;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/dev", "tmpfs", 0, "mode=0755"))
		return 10;
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return 11;
	openlog("memattr", LOG_PID, LOG_DAEMON);
	if (emit_each(&o))
		return 12;
	closelog();
	snprintf(head, sizeof(head), "memattr[%d]: ", (int)getpid());
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		char pfx[16];

		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			return 20 + i;
		msg[n] = '\0';
		snprintf(pfx, sizeof(pfx), "<%d>", LOG_DAEMON | prio[i]);
		if (strncmp(msg, pfx, strlen(pfx)) || !strstr(msg, head) ||
		    strncmp(strstr(msg, head) + strlen(head), want[i],
			    strlen(want[i]))) {
			fprintf(stderr, "# syslog got: %s\n", msg);
			return 30 + i;
		}
	}
	return 0;
}

static void test_syslog(void)
{
	int status;
	pid_t pid;

	if (geteuid()) {
		tap_skip("a mount namespace with a fake /dev/log needs root");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	if (!pid)
		_exit(syslog_child());
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
}

static const struct tap_test tests[] = {
	{ "watch: journal stream detection and <N> prefixes", test_journal },
	{ "watch --syslog: priorities through syslog(3)", test_syslog },
	{ "event: leak and leak_cleared", test_leak },
	{ "event: watermark", test_watermark },
	{ "event: oom_kill with top growers", test_oom },
	{ "event: truncated messages rejected", test_truncated },
	{ "event: hostile messages rejected", test_hostile },
	{ "event: unknown attributes and kinds skipped", test_unknown },
	{ "event: strings escaped in text, JSON, environment", test_escaping },
	{ "event: --exec environment", test_env },
	{ "watch: arguments", test_args },
	{ "watch: bad arguments exit 2", test_args_bad },
	{ "export: arguments, bad ones exit 2", test_export_args },
	{ "watch, export: no module, exit 1", test_no_module },
	{ "watch: the family's removal is noticed", test_family_gone },
};

int main(void)
{
	return tap_run(tests, ARRAY_SIZE(tests));
}
