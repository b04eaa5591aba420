// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests of the query side of the CLI: the model's reply parsers
 * (canned messages, unknown and malformed attributes), its printers (the
 * JSON contract), sorting, config keys, and the query commands' argument
 * parsing and formatting helpers. Prints TAP.
 *
 *   test_query            run the tests
 *   test_query json WHAT  print WHAT (ps, show, cgroups, leaks, system, oom,
 *                         config, stats) as JSON from canned messages, for
 *                         json_check.sh
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/memattr.h>
#include <linux/netlink.h>

#include "memattr.h"
#include "model.h"
#include "msgs.h"
#include "pprof.h"
#include "run_cli.h"
#include "query.h"
#include "tap.h"

static uint64_t buf_a[MSG_BUF_SIZE / 8];	/* 8-byte aligned */

typedef void (*build_fn)(struct pr *pr, const void *arg);

/* Render what build prints with flags; *err gets pr_free()'s result. */
static char *render(unsigned int flags, build_fn build, const void *arg,
		    int *err)
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
	build(pr, arg);
	*err = pr_free(pr);
	fclose(f);
	return buf;
}

static const struct msg_proc_args proc_args = {
	.pid = 4242, .comm = "leaky", .cgroup = "/test.slice/a",
	.rss_kb = 33000, .anon_kb = 32768, .page_allocs = 8200,
	.growth = 3600, .leak_state = MEMATTR_LEAK_LEAK, .history = true,
	.nr_points = 5,
};

/* ---- GET_PROC ---- */

static void test_proc_valid(void)
{
	struct nlmsghdr *nlh = msg_proc(buf_a, &proc_args);
	struct memattr_proc p;

	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
	CHECK_INT(p.pid, 4242);
	CHECK_STR(p.comm, "leaky");
	CHECK_STR(p.cgroup, "/test.slice/a");
	CHECK_INT(p.cgroup_id, 77);
	CHECK_INT(p.start_ms, 1000);
	CHECK_INT(p.rss_kb, 33000);
	CHECK_INT(p.anon_kb, 32768);
	CHECK_INT(p.file_kb, 300);
	CHECK_INT(p.shmem_kb, 40);
	CHECK_INT(p.swap_kb, 5);
	CHECK_INT(p.peak_rss_kb, 33001);
	CHECK_INT(p.vm_kb, 100000);
	CHECK_INT(p.pgtables_kb, 60);
	CHECK_INT(p.page_allocs, 8200);
	CHECK_INT(p.page_frees, 7);
	CHECK_INT(p.mmap_calls, 8);
	CHECK_INT(p.munmap_calls, 9);
	CHECK_INT(p.brk_calls, 10);
	CHECK_INT(p.mremap_calls, 11);
	CHECK_INT(p.mapped_bytes, -4096);
	CHECK_INT(p.leak_state, MEMATTR_LEAK_LEAK);
	CHECK_INT(p.growth_kb_per_hour, 3600);
	CHECK_INT(p.leak_since_ms, 5000);
	CHECK_INT(p.exhaust_s, 7200);
	CHECK(p.present & MEMATTR_BIT(MEMATTR_A_PROC_HISTORY));
	CHECK_INT(p.nr_history, 5);
	if (p.nr_history == 5) {
		CHECK_INT(p.history[0].t_ms, 10000);
		CHECK_INT(p.history[0].kb, 1000);
		CHECK_INT(p.history[4].t_ms, 14000);
		CHECK_INT(p.history[4].kb, 1040);
	}
	memattr_proc_free(&p);
	CHECK(!p.history);

	/* a dump's message: no history, no cgroup, not leaking */
	{
		struct msg_proc_args a = proc_args;

		a.history = false;
		a.cgroup = NULL;
		a.leak_state = MEMATTR_LEAK_OK;
		nlh = msg_proc(buf_a, &a);
		CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
		CHECK(!p.history && !p.nr_history);
		CHECK(!(p.present & MEMATTR_BIT(MEMATTR_A_PROC_CGROUP_PATH)));
		CHECK(!(p.present & MEMATTR_BIT(MEMATTR_A_PROC_LEAK_SINCE_MS)));
		memattr_proc_free(&p);
	}
}

/* comm lengths move every 64-bit attribute across PAD or no PAD */
static void test_proc_pad(void)
{
	struct msg_proc_args a = proc_args;
	char comm[16];
	struct memattr_proc p;
	struct nlmsghdr *nlh;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		memset(comm, 'c', i);
		comm[i] = '\0';
		a.comm = comm;
		a.rss_kb = 1ULL << 40 | i;
		nlh = msg_proc(buf_a, &a);
		CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
		CHECK_STR(p.comm, comm);
		CHECK(p.rss_kb == (1ULL << 40 | i));
		CHECK_INT(p.nr_history, 5);
		memattr_proc_free(&p);
	}
}

/* Every parse of every prefix: an error or a result, never a crash. */
static void test_proc_truncated(void)
{
	struct nlmsghdr *nlh = msg_proc(buf_a, &proc_args);
	uint32_t len = nlh->nlmsg_len, cut;
	struct memattr_proc p;
	int err, ok = 0;

	for (cut = 0; cut < len; cut++)
		CHECK_INT(memattr_proc_parse(nlh, cut, &p), -EBADMSG);
	for (cut = 0; cut < len; cut++) {
		nlh->nlmsg_len = cut;
		err = memattr_proc_parse(nlh, len, &p);
		if (!err) {
			ok++;
			CHECK_INT(p.pid, 4242);
		}
		memattr_proc_free(&p);
	}
	CHECK(ok > 0);		/* cuts between attributes are valid */
}

static void test_proc_unknown(void)
{
	static const char junk[] = "newer";
	struct memattr_proc p;
	struct nlmsghdr *nlh;
	struct nlattr *list, *item;

	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put(nlh, MEMATTR_A_PROC_MAX + 1, sizeof(junk), junk);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 7);
	mnl_attr_put(nlh, 300, 3, junk);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_PROC_HISTORY);
	mnl_attr_put_u32(nlh, 5, 1);		/* not a list item */
	item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
	mnl_attr_put_u64(nlh, MEMATTR_A_POINT_T_MS, 10);
	mnl_attr_put_u32(nlh, MEMATTR_A_POINT_KB, 20);
	mnl_attr_put_u32(nlh, MEMATTR_A_POINT_MAX + 1, 30);	/* newer */
	mnl_attr_nest_end(nlh, item);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_strz(nlh, MEMATTR_A_PROC_COMM, "x");
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
	CHECK_INT(p.pid, 7);
	CHECK_STR(p.comm, "x");
	CHECK_INT(p.nr_history, 1);
	if (p.nr_history == 1)
		CHECK(p.history[0].t_ms == 10 && p.history[0].kb == 20);
	CHECK(!(p.present & MEMATTR_BIT(MEMATTR_A_PROC_RSS_KB)));
	memattr_proc_free(&p);
}

static void test_proc_malformed(void)
{
	struct memattr_proc p;
	struct nlmsghdr *nlh;
	struct nlattr *list, *item;
	uint64_t v = 0;

	/* no pid */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_strz(nlh, MEMATTR_A_PROC_COMM, "x");
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), -EBADMSG);
	/* a u64 of 4 bytes */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 1);
	mnl_attr_put(nlh, MEMATTR_A_PROC_RSS_KB, 4, &v);
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), -ERANGE);
	/* an unterminated comm */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 1);
	mnl_attr_put(nlh, MEMATTR_A_PROC_COMM, 3, "abc");
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), -EINVAL);
	/* a point without kb */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 1);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_PROC_HISTORY);
	item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
	mnl_attr_put_u64(nlh, MEMATTR_A_POINT_T_MS, 10);
	mnl_attr_nest_end(nlh, item);
	mnl_attr_nest_end(nlh, list);
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), -EBADMSG);
	CHECK(!p.history);
	/* a history whose payload is no attributes */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 1);
	mnl_attr_put(nlh, MEMATTR_A_PROC_HISTORY, 6, "\x10\x00\x01\x00zz");
	CHECK(memattr_proc_parse(nlh, nlh->nlmsg_len, &p) < 0);
	/* a list item that is not a nest (2 bytes) */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROC);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, 1);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_PROC_HISTORY);
	mnl_attr_put(nlh, MEMATTR_A_LIST_ITEM, 2, "zz");
	mnl_attr_nest_end(nlh, list);
	CHECK(memattr_proc_parse(nlh, nlh->nlmsg_len, &p) < 0);
	/* a reply of another command */
	nlh = msg_proc(buf_a, &proc_args);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		MEMATTR_CMD_GET_CGROUP;
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), -EBADMSG);
	/* hugely oversized nlmsg_len */
	nlh = msg_proc(buf_a, &proc_args);
	nlh->nlmsg_len = 0xfffffff0;
	CHECK_INT(memattr_proc_parse(nlh, MSG_BUF_SIZE, &p), -EBADMSG);
}

/* ---- other replies ---- */

static void test_cgroup(void)
{
	struct nlmsghdr *nlh = msg_cgroup(buf_a, 55, "/a/b", 12345, true);
	struct memattr_cgroup cg;

	CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), 0);
	CHECK_INT(cg.id, 55);
	CHECK_STR(cg.path, "/a/b");
	CHECK_INT(cg.nr_procs, 3);
	CHECK_INT(cg.usage_kb, 12345);
	CHECK_INT(cg.anon_kb, 100);
	CHECK_INT(cg.file_kb, 200);
	CHECK_INT(cg.shmem_kb, 50);
	CHECK_INT(cg.kernel_kb, 30);
	CHECK_INT(cg.limit_kb, 65536);
	CHECK_INT(cg.procs_rss_kb, 120);
	CHECK_INT(cg.procs_page_frees, 900);
	CHECK_INT(cg.leak_state, MEMATTR_LEAK_SUSPECT);
	CHECK_INT(cg.growth_kb_per_hour, 4096);
	CHECK_INT(cg.exhaust_s, 3600);
	CHECK_INT(cg.leak_since_ms, 2000);

	nlh = msg_cgroup(buf_a, 1, "/", 10, false);
	CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), 0);
	CHECK(!(cg.present & MEMATTR_BIT(MEMATTR_A_CGROUP_LIMIT_KB)));
	CHECK_INT(cg.exhaust_s, -1);

	/* no id */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_CGROUP);
	mnl_attr_put_strz(nlh, MEMATTR_A_CGROUP_PATH, "/");
	CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), -EBADMSG);
	/* path longer than the struct holds: truncated, terminated */
	{
		char path[400];

		memset(path, 'p', sizeof(path) - 1);
		path[0] = '/';
		path[sizeof(path) - 1] = '\0';
		nlh = msg_cgroup(buf_a, 2, path, 1, false);
		CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), 0);
		CHECK_INT(strlen(cg.path), MEMATTR_PATH_LEN - 1);
	}
}

static void test_system(void)
{
	struct nlmsghdr *nlh = msg_system(buf_a, 2000000, 1500000, 7200);
	struct memattr_system s;

	CHECK_INT(memattr_system_parse(nlh, nlh->nlmsg_len, &s), 0);
	CHECK_INT(s.mem_total_kb, 2000000);
	CHECK_INT(s.mem_available_kb, 1500000);
	CHECK_INT(s.mem_free_kb, 750000);
	CHECK_INT(s.used_pct, 25);
	CHECK_INT(s.sampled_ms, 123456);
	CHECK_INT(s.growth_kb_per_hour, -20);
	CHECK_INT(s.exhaust_s, 7200);
	CHECK_INT(s.watermark_level, 1);
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_SYSTEM);
	CHECK_INT(memattr_system_parse(nlh, nlh->nlmsg_len, &s), 0);
	CHECK_INT(s.present, 0);
	CHECK_INT(s.exhaust_s, -1);
}

static void test_leak(void)
{
	struct nlmsghdr *nlh;
	struct memattr_leak l;

	nlh = msg_leak(buf_a, MEMATTR_ENTITY_PROCESS, 99, "leaky",
		       MEMATTR_LEAK_LEAK, 1000);
	CHECK_INT(memattr_leak_parse(nlh, nlh->nlmsg_len, &l), 0);
	CHECK_INT(l.entity, MEMATTR_ENTITY_PROCESS);
	CHECK_INT(l.pid, 99);
	CHECK_STR(l.comm, "leaky");
	CHECK_STR(l.cgroup, "/a");
	CHECK_INT(l.cgroup_id, 9);
	CHECK_INT(l.growth_kb_per_hour, 3600);
	CHECK_INT(l.state, MEMATTR_LEAK_LEAK);
	CHECK_INT(l.since_ms, 1000);
	CHECK_INT(l.exhaust_s, 7200);
	nlh = msg_leak(buf_a, MEMATTR_ENTITY_CGROUP, 0, "/x",
		       MEMATTR_LEAK_SUSPECT, 2000);
	CHECK_INT(memattr_leak_parse(nlh, nlh->nlmsg_len, &l), 0);
	CHECK_INT(l.entity, MEMATTR_ENTITY_CGROUP);
	CHECK_INT(l.exhaust_s, -1);
	CHECK_STR(l.cgroup, "/x");
	CHECK(!(l.present & MEMATTR_BIT(MEMATTR_A_LEAK_PID)));
	/* no entity */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_LEAKS);
	mnl_attr_put_u32(nlh, MEMATTR_A_LEAK_PID, 1);
	CHECK_INT(memattr_leak_parse(nlh, nlh->nlmsg_len, &l), -EBADMSG);
}

static void test_oom(void)
{
	struct nlmsghdr *nlh = msg_oom(buf_a, 500, "hog", 16, 3);
	struct memattr_oom o;

	CHECK_INT(memattr_oom_parse(nlh, nlh->nlmsg_len, &o), 0);
	CHECK_INT(o.time_ms, 99000);
	CHECK_INT(o.pid, 500);
	CHECK_STR(o.comm, "hog");
	CHECK_STR(o.cgroup, "/oom");
	CHECK_INT(o.rss_kb, 65000);
	CHECK_INT(o.nr_history, 16);
	CHECK_INT(o.nr_top, 3);
	CHECK_INT(o.top[1].pid, 501);
	CHECK_STR(o.top[2].comm, "hog");
	CHECK_INT(o.top[2].growth_kb_per_hour, 98000);
	CHECK_INT(o.top[2].rss_kb, 5002);
	memattr_oom_free(&o);
	/* more growers than kept: the first MEMATTR_OOM_TOP_MAX */
	nlh = msg_oom(buf_a, 500, "hog", 0, MEMATTR_OOM_TOP_MAX + 4);
	CHECK_INT(memattr_oom_parse(nlh, nlh->nlmsg_len, &o), 0);
	CHECK_INT(o.nr_top, MEMATTR_OOM_TOP_MAX);
	CHECK_INT(o.nr_history, 0);
	memattr_oom_free(&o);
	/* a grower without pid */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_OOM);
	mnl_attr_put_u32(nlh, MEMATTR_A_OOM_PID, 1);
	{
		struct nlattr *list = mnl_attr_nest_start(nlh, MEMATTR_A_OOM_TOP);
		struct nlattr *item = mnl_attr_nest_start(nlh,
							  MEMATTR_A_LIST_ITEM);

		mnl_attr_put_strz(nlh, MEMATTR_A_GROWER_COMM, "x");
		mnl_attr_nest_end(nlh, item);
		mnl_attr_nest_end(nlh, list);
	}
	CHECK_INT(memattr_oom_parse(nlh, nlh->nlmsg_len, &o), -EBADMSG);
}

static void test_config(void)
{
	struct nlmsghdr *nlh = msg_config(buf_a, 250, "85,92,97");
	struct memattr_config cfg, set = {};
	const struct nlattr *tb[MEMATTR_A_CONFIG_MAX + 1];
	static const enum mnl_attr_data_type pol[MEMATTR_A_CONFIG_MAX + 1] = {
		[MEMATTR_A_CONFIG_SAMPLE_MS] = MNL_TYPE_U32,
		[MEMATTR_A_CONFIG_WATERMARKS] = MNL_TYPE_NUL_STRING,
		[MEMATTR_A_CONFIG_LEAK_WINDOW_S] = MNL_TYPE_U32,
	};

	CHECK_INT(memattr_config_parse(nlh, nlh->nlmsg_len, &cfg), 0);
	CHECK_INT(cfg.sample_ms, 250);
	CHECK_INT(cfg.max_procs, 4096);
	CHECK_INT(cfg.leak_window_s, 3600);
	CHECK_INT(cfg.leak_min_kb_per_hour, 4096);
	CHECK_STR(cfg.watermarks, "85,92,97");
	CHECK_INT(cfg.log_events, 1);

	/* KEY=VALUE into a SET_CONFIG request, read back */
	CHECK_INT(memattr_config_parse_kv("sample_ms=100", &set, NULL), 0);
	CHECK_INT(memattr_config_parse_kv("watermarks=50,60", &set, NULL), 0);
	CHECK_INT(memattr_config_parse_kv("leak_window_s=10", &set, NULL), 0);
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_SET_CONFIG);
	memattr_config_put(nlh, &set);
	CHECK_INT(nl_genl_parse(nlh, nlh->nlmsg_len, MEMATTR_CMD_SET_CONFIG,
				pol, MEMATTR_A_CONFIG_MAX, tb), 0);
	CHECK(tb[MEMATTR_A_CONFIG_SAMPLE_MS] &&
	      mnl_attr_get_u32(tb[MEMATTR_A_CONFIG_SAMPLE_MS]) == 100);
	CHECK(tb[MEMATTR_A_CONFIG_LEAK_WINDOW_S] &&
	      mnl_attr_get_u32(tb[MEMATTR_A_CONFIG_LEAK_WINDOW_S]) == 10);
	CHECK(tb[MEMATTR_A_CONFIG_WATERMARKS] &&
	      !strcmp(mnl_attr_get_str(tb[MEMATTR_A_CONFIG_WATERMARKS]),
		      "50,60"));
	CHECK(!tb[MEMATTR_A_CONFIG_MAX_PROCS]);
}

static void test_config_kv(void)
{
	static const struct {
		const char *kv;
		int ret;
	} cases[] = {
		{ "sample_ms=10", 0 }, { "sample_ms=60000", 0 },
		{ "sample_ms=9", -EINVAL }, { "sample_ms=60001", -EINVAL },
		{ "sample_ms=", -EINVAL }, { "sample_ms=1e3", -EINVAL },
		{ "sample_ms=-5", -EINVAL }, { "sample_ms=+50", -EINVAL },
		{ "sample_ms= 50", -EINVAL },
		{ "sample_ms=99999999999999999999", -EINVAL },
		{ "max_procs=16", 0 }, { "max_procs=1048576", 0 },
		{ "max_procs=1048577", -EINVAL },
		{ "leak_window_s=604800", 0 }, { "leak_window_s=9", -EINVAL },
		{ "leak_min_kb_per_hour=1", 0 },
		{ "leak_min_kb_per_hour=0", -EINVAL },
		{ "leak_min_kb_per_hour=4194305", -EINVAL },
		{ "watermarks=85,92,97", 0 }, { "watermarks=1", 0 },
		{ "watermarks=1,2,3,4,5,6,7,8", 0 },
		{ "watermarks=1,2,3,4,5,6,7,8,9", -EINVAL },
		{ "watermarks=92,85", -EINVAL }, { "watermarks=85,85", -EINVAL },
		{ "watermarks=0", -EINVAL }, { "watermarks=100", -EINVAL },
		{ "watermarks=", -EINVAL }, { "watermarks=85,", -EINVAL },
		{ "watermarks=,85", -EINVAL }, { "watermarks=085", -EINVAL },
		{ "watermarks=8 5", -EINVAL },
		{ "log_events=0", 0 }, { "log_events=1", 0 },
		{ "log_events=2", -EINVAL }, { "log_events=-1", -EINVAL },
		{ "log_events=yes", -EINVAL }, { "log_events=", -EINVAL },
		{ "bogus=1", -EINVAL }, { "=1", -EINVAL }, { "sample_ms", -EINVAL },
		{ "", -EINVAL }, { "sample_msx=10", -EINVAL },
		{ "sample=10", -EINVAL },
	};
	struct memattr_config cfg;
	char *text = NULL;
	size_t len, i;
	FILE *err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&cfg, 0, sizeof(cfg));
		err = open_memstream(&text, &len);
		if (!err)
			abort();
		if (memattr_config_parse_kv(cases[i].kv, &cfg, err) !=
		    cases[i].ret) {
			printf("# case '%s'\n", cases[i].kv);
			CHECK(0);
		}
		fclose(err);
		/* an error is one line; success says nothing */
		if (cases[i].ret) {
			CHECK(text && !strncmp(text, "memattr: config: ", 17));
			CHECK(text && strchr(text, '\n') == text + len - 1);
			CHECK_INT(cfg.present, 0);
		} else {
			CHECK_STR(text, "");
			CHECK(cfg.present);
		}
		free(text);
		text = NULL;
	}
	CHECK_INT(memattr_config_nr_keys, 6);
}

static void test_stats_full(void)
{
	struct nlmsghdr *nlh = msg_stats_full(buf_a, 3);
	struct memattr_stats st;

	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	CHECK_STR(st.module_version, "0.1.0");
	CHECK_INT(st.tracked_procs, 12);
	CHECK_INT(st.max_procs, 4096);
	CHECK_INT(st.tracked_cgroups, 4);
	CHECK_INT(st.procs_created, 100);
	CHECK_INT(st.procs_removed, 88);
	CHECK_INT(st.procs_reaped, 1);
	CHECK_INT(st.exited_total, 89);
	CHECK_INT(st.samples, 500);
	CHECK_INT(st.sample_last_ns, 20000);
	CHECK_INT(st.sample_max_ns, 90000);
	CHECK_INT(st.irq_pages, 3);
	CHECK_INT(st.kthread_pages, 4);
	CHECK_INT(st.untracked_pages, 5);
	CHECK_INT(st.klog_lines, 6);
	CHECK_INT(st.klog_suppressed, 7);
	CHECK_INT(st.nr_hooks, 3);
	CHECK_STR(st.hooks[0].name, "alloc");
	CHECK_STR(st.hooks[0].kind, "tracepoint");
	CHECK(!(st.hooks[0].present & MEMATTR_BIT(MEMATTR_A_HOOK_TARGET)));
	CHECK_STR(st.hooks[1].target, "do_mmap");
	CHECK_INT(st.hooks[2].hits, 1002);
	CHECK_INT(st.hooks[2].misses, 2);
}

static void test_names(void)
{
	CHECK_STR(memattr_leak_state_name(MEMATTR_LEAK_OK), "ok");
	CHECK_STR(memattr_leak_state_name(MEMATTR_LEAK_SUSPECT), "suspect");
	CHECK_STR(memattr_leak_state_name(MEMATTR_LEAK_LEAK), "leak");
	CHECK_STR(memattr_leak_state_name(3), "unknown");
	CHECK_STR(memattr_entity_name(MEMATTR_ENTITY_PROCESS), "process");
	CHECK_STR(memattr_entity_name(MEMATTR_ENTITY_CGROUP), "cgroup");
	CHECK_STR(memattr_entity_name(0), "unknown");
	CHECK(memattr_now_ms() > 0);
}

static void test_sort(void)
{
	struct memattr_proc p[4] = {};
	enum memattr_proc_key key;

	p[0].pid = 4; p[0].rss_kb = 10; p[0].anon_kb = 1;
	p[0].growth_kb_per_hour = -5; p[0].page_allocs = 7;
	p[1].pid = 2; p[1].rss_kb = 30; p[1].anon_kb = 1;
	p[1].growth_kb_per_hour = 100; p[1].page_allocs = 1;
	p[2].pid = 3; p[2].rss_kb = 20; p[2].anon_kb = 9;
	p[2].growth_kb_per_hour = 0; p[2].page_allocs = 99;
	p[3].pid = 1; p[3].rss_kb = 20; p[3].anon_kb = 1;
	p[3].growth_kb_per_hour = -50; p[3].page_allocs = 7;

	memattr_procs_sort(p, 4, MEMATTR_SORT_RSS);
	CHECK(p[0].pid == 2 && p[1].pid == 1 && p[2].pid == 3 && p[3].pid == 4);
	memattr_procs_sort(p, 4, MEMATTR_SORT_ANON);
	CHECK(p[0].pid == 3 && p[1].pid == 1 && p[2].pid == 2 && p[3].pid == 4);
	memattr_procs_sort(p, 4, MEMATTR_SORT_GROWTH);
	CHECK(p[0].pid == 2 && p[1].pid == 3 && p[2].pid == 4 && p[3].pid == 1);
	memattr_procs_sort(p, 4, MEMATTR_SORT_ALLOCS);
	CHECK(p[0].pid == 3 && p[1].pid == 1 && p[2].pid == 4 && p[3].pid == 2);
	memattr_procs_sort(NULL, 0, MEMATTR_SORT_RSS);

	CHECK_INT(memattr_proc_key_parse("rss", &key), 0);
	CHECK_INT(key, MEMATTR_SORT_RSS);
	CHECK_INT(memattr_proc_key_parse("growth", &key), 0);
	CHECK_INT(key, MEMATTR_SORT_GROWTH);
	CHECK_INT(memattr_proc_key_parse("allocs", &key), 0);
	CHECK_INT(memattr_proc_key_parse("anon", &key), 0);
	CHECK_INT(memattr_proc_key_parse("RSS", &key), -EINVAL);
	CHECK_INT(memattr_proc_key_parse("", &key), -EINVAL);
}

/* ---- printers: the JSON contract ---- */

static void build_proc(struct pr *pr, const void *arg)
{
	memattr_proc_print(pr, NULL, arg, MEMATTR_PF_HISTORY);
}

static void build_proc_brief_arr(struct pr *pr, const void *arg)
{
	pr_arr_open(pr, NULL);
	memattr_proc_print(pr, NULL, arg, MEMATTR_PF_BRIEF);
	pr_arr_close(pr);
}

static void build_proc_open(struct pr *pr, const void *arg)
{
	memattr_proc_print(pr, NULL, arg, MEMATTR_PF_OPEN | MEMATTR_PF_BRIEF);
	pr_str(pr, "extra", "x");
	pr_obj_close(pr);
}

static void test_proc_print(void)
{
	struct nlmsghdr *nlh = msg_proc(buf_a, &proc_args);
	struct memattr_proc p;
	char *s;
	int err;

	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
	p.nr_history = 2;
	s = render(PR_JSON, build_proc, &p, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"pid\":4242,\"comm\":\"leaky\",\"cgroup\":\"/test.slice/a\","
		  "\"rss_kb\":33000,\"anon_kb\":32768,\"file_kb\":300,"
		  "\"shmem_kb\":40,\"swap_kb\":5,\"peak_rss_kb\":33001,"
		  "\"vm_kb\":100000,\"pgtables_kb\":60,\"page_allocs\":8200,"
		  "\"page_frees\":7,\"mmap_calls\":8,\"munmap_calls\":9,"
		  "\"brk_calls\":10,\"mapped_kb\":-4,"
		  "\"growth_kb_per_hour\":3600,\"leak\":\"leak\","
		  "\"exhaust_s\":7200,\"mremap_calls\":11,\"start_ms\":1000,\"cgroup_id\":77,"
		  "\"leak_since_ms\":5000,"
		  "\"history\":[[10000,1000],[11000,1010]]}\n");
	free(s);
	/* brief has no effect on JSON */
	s = render(PR_JSON, build_proc_brief_arr, &p, &err);
	CHECK(s && strstr(s, "\"peak_rss_kb\":33001"));
	CHECK(s && !strstr(s, "history"));
	free(s);
	s = render(0, build_proc_brief_arr, &p, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  " PID  COMM   RSS_KB  ANON_KB  FILE_KB  SHMEM_KB  SWAP_KB  "
		  "PAGE_ALLOCS  GROWTH_KB_PER_HOUR  LEAK  CGROUP\n"
		  "4242  leaky   33000    32768      300        40        5  "
		  "       8200                3600  leak  /test.slice/a\n");
	free(s);
	memattr_proc_free(&p);

	/* left open for more members */
	s = render(PR_JSON, build_proc_open, &p, &err);
	CHECK_INT(err, 0);
	CHECK(s && strstr(s, "\"leak_since_ms\":5000,\"extra\":\"x\"}\n"));
	free(s);

	/* absent attributes are null, never dropped */
	memset(&p, 0, sizeof(p));
	p.pid = 1;
	p.present = MEMATTR_BIT(MEMATTR_A_PROC_PID);
	s = render(PR_JSON, build_proc, &p, &err);
	CHECK(s && strstr(s, "\"comm\":null,\"cgroup\":null,\"rss_kb\":null"));
	CHECK(s && strstr(s, "\"leak\":null"));
	CHECK(s && strstr(s, "\"history\":[]"));
	free(s);
}

static void build_cgroup(struct pr *pr, const void *arg)
{
	memattr_cgroup_print(pr, NULL, arg, 0);
}

static void test_cgroup_print(void)
{
	struct nlmsghdr *nlh = msg_cgroup(buf_a, 55, "/a/b", 12345, false);
	struct memattr_cgroup cg;
	char *s;
	int err;

	CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), 0);
	s = render(PR_JSON, build_cgroup, &cg, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"id\":55,\"path\":\"/a/b\",\"nr_procs\":3,"
		  "\"usage_kb\":12345,\"anon_kb\":100,\"file_kb\":200,"
		  "\"shmem_kb\":50,\"kernel_kb\":30,\"limit_kb\":null,"
		  "\"growth_kb_per_hour\":4096,\"leak\":\"suspect\","
		  "\"exhaust_s\":null,\"procs_rss_kb\":120,"
		  "\"procs_anon_kb\":90,\"procs_shmem_kb\":50,"
		  "\"procs_swap_kb\":0,\"procs_page_allocs\":1000,"
		  "\"procs_page_frees\":900,\"leak_since_ms\":2000}\n");
	free(s);
	nlh = msg_cgroup(buf_a, 55, "/a/b", 12345, true);
	CHECK_INT(memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg), 0);
	s = render(PR_JSON, build_cgroup, &cg, &err);
	CHECK(s && strstr(s, "\"limit_kb\":65536,"));
	CHECK(s && strstr(s, "\"exhaust_s\":3600,"));
	free(s);
}

struct leak_arg {
	const struct memattr_leak *l;
	uint64_t now;
};

static void build_leak(struct pr *pr, const void *arg)
{
	const struct leak_arg *a = arg;

	memattr_leak_print(pr, NULL, a->l, a->now);
}

static void test_leak_print(void)
{
	struct memattr_leak l;
	struct leak_arg a = { &l, 61500 };
	struct nlmsghdr *nlh;
	char *s;
	int err;

	nlh = msg_leak(buf_a, MEMATTR_ENTITY_PROCESS, 99, "leaky",
		       MEMATTR_LEAK_LEAK, 1000);
	CHECK_INT(memattr_leak_parse(nlh, nlh->nlmsg_len, &l), 0);
	s = render(PR_JSON, build_leak, &a, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"kind\":\"process\",\"pid\":99,\"comm\":\"leaky\","
		  "\"growth_kb_per_hour\":3600,\"state\":\"leak\","
		  "\"since_s\":60,\"exhaust_s\":7200,\"cgroup\":\"/a\","
		  "\"cgroup_id\":9,\"since_ms\":1000}\n");
	free(s);
	nlh = msg_leak(buf_a, MEMATTR_ENTITY_CGROUP, 0, "/x",
		       MEMATTR_LEAK_SUSPECT, 90000);
	CHECK_INT(memattr_leak_parse(nlh, nlh->nlmsg_len, &l), 0);
	s = render(PR_JSON, build_leak, &a, &err);
	CHECK_STR(s,
		  "{\"kind\":\"cgroup\",\"path\":\"/x\","
		  "\"growth_kb_per_hour\":3600,\"state\":\"suspect\","
		  "\"since_s\":0,\"exhaust_s\":null,\"cgroup_id\":9,"
		  "\"since_ms\":90000}\n");
	free(s);
}

static void build_system(struct pr *pr, const void *arg)
{
	memattr_system_print(pr, NULL, arg);
}

static void test_system_print(void)
{
	struct nlmsghdr *nlh = msg_system(buf_a, 2000000, 1500000, -1);
	struct memattr_system sys;
	char *s;
	int err;

	CHECK_INT(memattr_system_parse(nlh, nlh->nlmsg_len, &sys), 0);
	s = render(PR_JSON, build_system, &sys, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"mem_total_kb\":2000000,\"mem_free_kb\":750000,"
		  "\"mem_available_kb\":1500000,\"used_pct\":25,"
		  "\"growth_kb_per_hour\":-20,\"exhaust_s\":null,"
		  "\"watermark_level\":1,\"sampled_ms\":123456}\n");
	free(s);
}

static void build_oom(struct pr *pr, const void *arg)
{
	memattr_oom_print(pr, NULL, arg);
}

static void test_oom_print(void)
{
	struct nlmsghdr *nlh = msg_oom(buf_a, 500, "hog", 2, 1);
	struct memattr_oom o;
	char *s;
	int err;

	CHECK_INT(memattr_oom_parse(nlh, nlh->nlmsg_len, &o), 0);
	s = render(PR_JSON, build_oom, &o, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"time_ms\":99000,\"pid\":500,\"comm\":\"hog\","
		  "\"cgroup\":\"/oom\",\"rss_kb\":65000,"
		  "\"history\":[[90000,1000],[90500,2000]],"
		  "\"top_growers\":[{\"pid\":500,\"comm\":\"hog\","
		  "\"growth_kb_per_hour\":100000,\"rss_kb\":5000}]}\n");
	free(s);
	memattr_oom_free(&o);
}

static void build_config(struct pr *pr, const void *arg)
{
	memattr_config_print(pr, NULL, arg);
}

static void build_stats(struct pr *pr, const void *arg)
{
	memattr_stats_print(pr, arg);
}

static void test_config_stats_print(void)
{
	struct nlmsghdr *nlh = msg_config(buf_a, 250, "85,92,97");
	struct memattr_config cfg;
	struct memattr_stats st;
	char *s;
	int err;

	CHECK_INT(memattr_config_parse(nlh, nlh->nlmsg_len, &cfg), 0);
	s = render(PR_JSON, build_config, &cfg, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "{\"sample_ms\":250,\"max_procs\":4096,"
		  "\"leak_window_s\":3600,\"leak_min_kb_per_hour\":4096,"
		  "\"watermarks\":\"85,92,97\",\"log_events\":1}\n");
	free(s);
	s = render(0, build_config, &cfg, &err);
	CHECK_STR(s,
		  "sample_ms             250\n"
		  "max_procs             4096\n"
		  "leak_window_s         3600\n"
		  "leak_min_kb_per_hour  4096\n"
		  "watermarks            85,92,97\n"
		  "log_events            1\n");
	free(s);

	nlh = msg_stats_full(buf_a, 2);
	CHECK_INT(memattr_stats_parse(nlh, nlh->nlmsg_len, &st), 0);
	s = render(PR_JSON, build_stats, &st, &err);
	CHECK_INT(err, 0);
	CHECK(s && strstr(s, "\"tracked_procs\":12,\"max_procs\":4096,"));
	CHECK(s && strstr(s, "\"untracked_pages\":5,\"klog_lines\":6,"
			     "\"klog_suppressed\":7,\"hooks\":[{\"name\":"
			     "\"alloc\",\"kind\":\"tracepoint\",\"target\":null,"
			     "\"hits\":1000,\"misses\":0},"));
	free(s);
	s = render(0, build_stats, &st, &err);
	CHECK(s && strstr(s, "hooks:\n  NAME   KIND        TARGET   HITS  MISSES\n"
			     "  alloc  tracepoint  -        1000       0\n"));
	free(s);
}

/* ---- query helpers ---- */

static void test_parse_numbers(void)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t ms;
	} secs[] = {
		{ "2", 0, 2000 }, { "0.5", 0, 500 }, { ".5", 0, 500 },
		{ "1.25", 0, 1250 }, { "0.1", 0, 100 }, { "86400", 0, 86400000 },
		{ "1.000", 0, 1000 }, { "1.0001", -EINVAL, 0 },
		{ "0.05", -EINVAL, 0 }, { "0", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ ".", -EINVAL, 0 }, { "1.", 0, 1000 }, { "-1", -EINVAL, 0 },
		{ "1s", -EINVAL, 0 }, { "abc", -EINVAL, 0 },
		{ "86400.001", -EINVAL, 0 }, { "1e3", -EINVAL, 0 },
		{ "99999999999999999999", -EINVAL, 0 }, { " 1", -EINVAL, 0 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(secs); i++) {
		v = 0;
		if (query_parse_seconds(secs[i].s, 100, 86400000, &v) !=
		    secs[i].ret || (!secs[i].ret && v != secs[i].ms)) {
			printf("# seconds '%s' -> %llu\n", secs[i].s,
			       (unsigned long long)v);
			CHECK(0);
		}
	}
	CHECK_INT(query_parse_u64("42", 1, 100, &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(query_parse_u64("0", 1, 100, &v), -EINVAL);
	CHECK_INT(query_parse_u64("101", 1, 100, &v), -EINVAL);
	CHECK_INT(query_parse_u64("", 0, 100, &v), -EINVAL);
	CHECK_INT(query_parse_u64("+1", 0, 100, &v), -EINVAL);
	CHECK_INT(query_parse_u64("1x", 0, 100, &v), -EINVAL);
	CHECK_INT(query_parse_u64("18446744073709551615", 0, UINT64_MAX, &v),
		  0);
	CHECK(v == UINT64_MAX);
	CHECK_INT(query_parse_u64("18446744073709551616", 0, UINT64_MAX, &v),
		  -EINVAL);
}

static void test_sparkline(void)
{
	struct memattr_point pts[10];
	char buf[4 * 60 + 1];
	uint32_t lo, hi;
	size_t i, n;

	for (i = 0; i < 10; i++) {
		pts[i].t_ms = 1000 * i;
		pts[i].kb = (uint32_t)(100 + 100 * i);
	}
	n = query_sparkline(pts, 10, 60, false, buf, sizeof(buf), &lo, &hi);
	CHECK_INT(n, 10);	/* no more columns than points */
	CHECK_STR(buf, "..:-=+*#%@");	/* levels floor */
	CHECK_INT(lo, 100);
	CHECK_INT(hi, 1000);
	n = query_sparkline(pts, 10, 5, false, buf, sizeof(buf), &lo, &hi);
	CHECK_INT(n, 5);
	CHECK_INT(strlen(buf), 5);
	CHECK(buf[0] == '.' && buf[4] == '@');
	n = query_sparkline(pts, 10, 10, true, buf, sizeof(buf), &lo, &hi);
	CHECK_INT(n, 10);
	CHECK_INT(strlen(buf), 30);
	CHECK(!strncmp(buf, "\xe2\x96\x81", 3));
	CHECK(!strcmp(buf + 27, "\xe2\x96\x88"));
	/* flat: all lowest level */
	for (i = 0; i < 10; i++)
		pts[i].kb = 7;
	query_sparkline(pts, 10, 60, false, buf, sizeof(buf), &lo, &hi);
	CHECK_STR(buf, "..........");
	CHECK(lo == 7 && hi == 7);
	/* uneven time: a step late in time shows late */
	for (i = 0; i < 10; i++) {
		pts[i].t_ms = i < 9 ? i : 1000;
		pts[i].kb = i < 9 ? 10 : 20;
	}
	query_sparkline(pts, 10, 4, false, buf, sizeof(buf), &lo, &hi);
	CHECK_STR(buf, "...@");
	/* nothing, a tiny buffer, one point */
	CHECK_INT(query_sparkline(pts, 0, 60, false, buf, sizeof(buf), &lo,
				  &hi), 0);
	CHECK_STR(buf, "");
	CHECK(lo == 0 && hi == 0);
	query_sparkline(pts, 10, 60, true, buf, 5, &lo, &hi);
	CHECK_INT(strlen(buf), 3);
	query_sparkline(pts, 1, 60, false, buf, sizeof(buf), &lo, &hi);
	CHECK_STR(buf, ".");
}

static void test_duration(void)
{
	char b[32];

	query_duration(0, b, sizeof(b));
	CHECK_STR(b, "0s");
	query_duration(59999, b, sizeof(b));
	CHECK_STR(b, "59s");
	query_duration(725000, b, sizeof(b));
	CHECK_STR(b, "12m 5s");
	query_duration(12000000, b, sizeof(b));
	CHECK_STR(b, "3h 20m");
	query_duration(187200000, b, sizeof(b));
	CHECK_STR(b, "2d 4h");
}

static void test_term(void)
{
	FILE *f = tmpfile();
	char *saved = getenv("LANG") ? strdup(getenv("LANG")) : NULL;

	if (!f)
		abort();
	CHECK(!query_term_fancy(f));	/* a file is no terminal */
	fclose(f);
	unsetenv("LC_ALL");
	unsetenv("LC_CTYPE");
	setenv("LANG", "en_US.UTF-8", 1);
	CHECK(query_locale_utf8());
	setenv("LANG", "C", 1);
	CHECK(!query_locale_utf8());
	setenv("LC_CTYPE", "C.utf8", 1);
	CHECK(query_locale_utf8());
	setenv("LC_ALL", "POSIX", 1);
	CHECK(!query_locale_utf8());
	unsetenv("LC_ALL");
	unsetenv("LC_CTYPE");
	if (saved)
		setenv("LANG", saved, 1);
	else
		unsetenv("LANG");
	free(saved);
}

/* ---- the commands' arguments ---- */

/* Each: a command line that must be refused with exit 2, one line. */
static void test_cmd_usage_errors(void)
{
	static const char *const bad[][5] = {
		{ "ps", "-s" }, { "ps", "-s", "bogus" }, { "ps", "--sort=x" },
		{ "ps", "-n", "0" }, { "ps", "-n", "-1" }, { "ps", "-n", "1x" },
		{ "ps", "-n" }, { "ps", "extra" }, { "ps", "-x" },
		{ "ps", "--count" },
		{ "show" }, { "show", "0" }, { "show", "abc" },
		{ "show", "4194305" }, { "show", "1", "2" }, { "show", "-1" },
		{ "show", "99999999999999999999999" },
		{ "top", "-d" }, { "top", "-d", "0" }, { "top", "-d", "abc" },
		{ "top", "-d", "-1" }, { "top", "-d", "0.05" },
		{ "top", "-d", "86401" }, { "top", "-n", "0" },
		{ "top", "--iterations=x" }, { "top", "-s", "x" },
		{ "top", "bogus" },
		{ "cgroups", "x" }, { "leaks", "x" }, { "system", "x" },
		{ "oom", "x" },
		{ "config", "x" }, { "config", "bogus=1" },
		{ "config", "sample_ms=1" }, { "config", "sample_ms=100", "x=1" },
		{ "config", "watermarks=99,1" }, { "config", "=" },
		{ "profile" }, { "profile", "0" }, { "profile", "x" },
		{ "profile", "1", "2" }, { "profile", "-d", "x", "1" },
		{ "profile", "1", "-d", "86401" }, { "profile", "1", "-d" },
		{ "profile", "-n", "0", "1" }, { "profile", "-n", "65537", "1" },
		{ "profile", "-t", "heap", "1" }, { "profile", "1", "-o" },
		{ "profile", "1", "-o", "" }, { "profile", "--bogus", "1" },
		{ "profile", "start" }, { "profile", "stop", "1", "-d", "1" },
		{ "profile", "stop", "-n", "2", "1" },
		{ "profile", "start", "1", "-o", "f" },
		{ "profile", "start", "1", "--folded" },
		{ "profile", "stop", "1", "2" }, { "profile", "start", "stop" },
	};
	struct run r;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		for (n = 0; n < 5 && bad[i][n]; n++)
			;
		r = run_vec(n, bad[i]);
		if (r.status != 2 || !r.err ||
		    strncmp(r.err, "memattr: ", 9) ||
		    strchr(r.err, '\n') != r.err + strlen(r.err) - 1 ||
		    (r.out && *r.out)) {
			printf("# '%s %s %s': exit %d, err '%s'\n", bad[i][0],
			       bad[i][1] ? bad[i][1] : "",
			       bad[i][2] ? bad[i][2] : "", r.status, r.err);
			CHECK(0);
		}
		free(r.out);
		free(r.err);
	}
}

static void test_cmd_parse_ok(void)
{
	static const char *const good[][6] = {
		{ "ps" }, { "ps", "-s", "growth" }, { "ps", "-sanon", "-n5" },
		{ "ps", "--sort=allocs", "--count=3" },
		{ "ps", "--sort", "rss", "--count", "1" },
		{ "show", "1" }, { "show", "4194304" },
		{ "top" }, { "top", "-d", "0.5", "-n", "2" },
		{ "top", "-d0.1", "-n1", "-s", "rss" },
		{ "top", "--delay=1.5", "--iterations=3" },
		{ "cgroups" }, { "leaks" }, { "system" }, { "oom" },
		{ "config" }, { "config", "sample_ms=100" },
		{ "config", "watermarks=85,92,97", "max_procs=16",
		  "leak_window_s=20", "leak_min_kb_per_hour=1" },
		{ "-H", "ps" }, { "--human", "cgroups" }, { "-jH", "system" },
		{ "profile", "1" }, { "profile", "1", "-d", "0.5", "-o", "f" },
		{ "profile", "-d5", "--folded", "1" },
		{ "profile", "--every=16", "--type=inuse", "--keep", "7" },
		{ "profile", "start", "7" }, { "profile", "start", "-n", "4", "7" },
		{ "profile", "stop", "7" }, { "profile", "7", "-t", "map" },
	};
	FILE *null = fopen("/dev/null", "w");
	char *argv[8];
	struct cli cli;
	size_t i;
	int n;

	if (!null)
		abort();
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		argv[0] = "memattr";
		for (n = 0; n < 6 && good[i][n]; n++)
			argv[n + 1] = (char *)good[i][n];
		if (cli_parse(&cli, n + 1, argv, null, null) != CLI_RUN) {
			printf("# '%s %s' refused\n", good[i][0],
			       good[i][1] ? good[i][1] : "");
			CHECK(0);
		}
		cli_release(&cli);
	}
	fclose(null);
}

/* Every command's help names the JSON fields it prints. */
static void test_cmd_help(void)
{
	static const struct {
		const char *cmd;
		const char *words[12];
	} helps[] = {
		{ "ps", { "-s, --sort", "-n, --count", "rss_kb", "anon_kb",
			  "mapped_kb", "growth_kb_per_hour", "leak",
			  "peak_rss_kb", "pgtables_kb", "brk_calls" } },
		{ "show", { "history", "[t_ms, kb]", "sparkline" } },
		{ "top", { "-d, --delay", "-n, --iterations", "q", "dumb" } },
		{ "cgroups", { "limit_kb", "exhaust_s", "usage_kb",
			       "kernel_kb", "nr_procs", "null" } },
		{ "leaks", { "kind", "since_s", "state", "path", "comm" } },
		{ "system", { "mem_total_kb", "mem_available_kb", "used_pct",
			      "exhaust_s", "watermark_level" } },
		{ "oom", { "top_growers", "time_ms", "CAP_NET_ADMIN",
			   "history" } },
		{ "config", { "sample_ms", "max_procs", "leak_window_s",
			      "leak_min_kb_per_hour", "watermarks",
			      "CAP_NET_ADMIN" } },
		{ "stats", { "tracked_procs", "hooks", "samples" } },
	};
	const char *args[2];
	struct run r;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(helps); i++) {
		args[0] = helps[i].cmd;
		args[1] = "help";
		r = run_vec(2, args);
		CHECK_INT(r.status, 0);
		for (k = 0; k < ARRAY_SIZE(helps[i].words); k++) {
			if (!helps[i].words[k])
				break;
			if (!r.out || !strstr(r.out, helps[i].words[k])) {
				printf("# %s help lacks '%s'\n", helps[i].cmd,
				       helps[i].words[k]);
				CHECK(0);
			}
		}
		free(r.out);
		free(r.err);
	}
}

/* ---- JSON samples for json_check.sh ---- */

static int json_sample(const char *what)
{
	struct pr *pr = pr_new(stdout, PR_JSON);
	struct msg_proc_args a = proc_args;
	struct memattr_proc p;
	struct memattr_cgroup cg;
	struct memattr_leak l;
	struct memattr_system sys;
	struct memattr_oom o;
	struct memattr_config cfg;
	struct memattr_stats st;
	struct nlmsghdr *nlh;
	unsigned int i;

	if (!pr)
		return 1;
	if (!strcmp(what, "ps")) {
		pr_arr_open(pr, NULL);
		for (i = 0; i < 3; i++) {
			a.pid = 100 + i;
			a.comm = i == 1 ? "we\"ird\x1b\xff" : "p";
			a.history = false;
			nlh = msg_proc(buf_a, &a);
			if (memattr_proc_parse(nlh, nlh->nlmsg_len, &p))
				return 1;
			memattr_proc_print(pr, NULL, &p, MEMATTR_PF_BRIEF);
		}
		pr_arr_close(pr);
	} else if (!strcmp(what, "show")) {
		nlh = msg_proc(buf_a, &a);
		if (memattr_proc_parse(nlh, nlh->nlmsg_len, &p))
			return 1;
		memattr_proc_print(pr, NULL, &p, MEMATTR_PF_HISTORY);
		memattr_proc_free(&p);
	} else if (!strcmp(what, "cgroups")) {
		pr_arr_open(pr, NULL);
		for (i = 0; i < 2; i++) {
			nlh = msg_cgroup(buf_a, 10 + i, i ? "/a" : "/", 100, i);
			if (memattr_cgroup_parse(nlh, nlh->nlmsg_len, &cg))
				return 1;
			memattr_cgroup_print(pr, NULL, &cg, MEMATTR_PF_BRIEF);
		}
		pr_arr_close(pr);
	} else if (!strcmp(what, "leaks")) {
		pr_arr_open(pr, NULL);
		for (i = 0; i < 2; i++) {
			nlh = msg_leak(buf_a, i ? MEMATTR_ENTITY_CGROUP :
					   MEMATTR_ENTITY_PROCESS, 7,
				       i ? "/c" : "leaky", MEMATTR_LEAK_LEAK, 10);
			if (memattr_leak_parse(nlh, nlh->nlmsg_len, &l))
				return 1;
			memattr_leak_print(pr, NULL, &l, 20000);
		}
		pr_arr_close(pr);
	} else if (!strcmp(what, "system")) {
		nlh = msg_system(buf_a, 1000000, 400000, 3600);
		if (memattr_system_parse(nlh, nlh->nlmsg_len, &sys))
			return 1;
		memattr_system_print(pr, NULL, &sys);
	} else if (!strcmp(what, "oom")) {
		pr_arr_open(pr, NULL);
		nlh = msg_oom(buf_a, 66, "hog", 4, 3);
		if (memattr_oom_parse(nlh, nlh->nlmsg_len, &o))
			return 1;
		memattr_oom_print(pr, NULL, &o);
		memattr_oom_free(&o);
		pr_arr_close(pr);
	} else if (!strcmp(what, "config")) {
		nlh = msg_config(buf_a, 1000, "85,92,97");
		if (memattr_config_parse(nlh, nlh->nlmsg_len, &cfg))
			return 1;
		memattr_config_print(pr, NULL, &cfg);
	} else if (!strcmp(what, "stats")) {
		nlh = msg_stats_full(buf_a, 4);
		if (memattr_stats_parse(nlh, nlh->nlmsg_len, &st))
			return 1;
		memattr_stats_print(pr, &st);
	} else {
		pr_free(pr);
		return 2;
	}
	return pr_free(pr) ? 1 : 0;
}

/* -H: sizes as KiB, MiB, GiB, TiB in text, keys without _kb; JSON as is */
static void test_human(void)
{
	static const struct {
		long long kb;
		const char *want;
	} sizes[] = {
		{ 0, "0KiB" }, { 1023, "1023KiB" }, { 1024, "1.0MiB" },
		{ 1536, "1.5MiB" }, { 33000, "32.2MiB" },
		{ 1048575, "1.0GiB" }, { 3686400, "3.5GiB" },
		{ 1073741824, "1.0TiB" }, { -12, "-12KiB" },
		{ -2097152, "-2.0GiB" },
	};
	struct nlmsghdr *nlh = msg_proc(buf_a, &proc_args);
	struct memattr_system sys;
	struct memattr_proc p;
	char tmp[32], *s;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		pr_human_kb(tmp, sizeof(tmp), sizes[i].kb);
		CHECK_STR(tmp, sizes[i].want);
	}
	CHECK_INT(memattr_proc_parse(nlh, nlh->nlmsg_len, &p), 0);
	s = render(PR_HUMAN, build_proc_brief_arr, &p, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  " PID  COMM       RSS     ANON    FILE  SHMEM  SWAP  PAGE_ALLOCS    GROWTH  LEAK  CGROUP\n"
		  "4242  leaky  32.2MiB  32.0MiB  300KiB  40KiB  5KiB         8200  3.5MiB/h  leak  /test.slice/a\n");
	free(s);
	s = render(PR_HUMAN | PR_LINE, build_proc_brief_arr, &p, &err);
	CHECK(s && strstr(s, "rss=32.2MiB,anon=32.0MiB"));
	free(s);
	/* no effect on JSON */
	s = render(PR_HUMAN | PR_JSON, build_proc_brief_arr, &p, &err);
	CHECK(s && strstr(s, "\"rss_kb\":33000"));
	free(s);
	memattr_proc_free(&p);
	nlh = msg_system(buf_a, 2000000, 1500000, -1);
	CHECK_INT(memattr_system_parse(nlh, nlh->nlmsg_len, &sys), 0);
	s = render(PR_HUMAN, build_system, &sys, &err);
	CHECK_INT(err, 0);
	CHECK_STR(s,
		  "mem_total        1.9GiB\n"
		  "mem_free         732.4MiB\n"
		  "mem_available    1.4GiB\n"
		  "used_pct         25\n"
		  "growth           -20KiB/h\n"
		  "exhaust_s        -\n"
		  "watermark_level  1\n"
		  "sampled_ms       123456\n");
	free(s);
}

/* ---- GET_PROFILE ---- */

#define PF_PID	4242

static struct nlmsghdr *msg_profile_summary(void *buf)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_PROFILE);

	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PID, PF_PID);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_SAMPLE_EVERY, 2);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_START_MS, 5000,
			MEMATTR_A_PROFILE_PAD);
	mnl_attr_put_u8(nlh, MEMATTR_A_PROFILE_AUTO, 1);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PAGE_SIZE, 4096);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_PAGES, 110,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_SAMPLES, 55,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_THROTTLED_PAGES, 6,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_OTHER_PAGES, 4,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_MAP_CALLS, 3,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_MAP_BYTES, 1 << 20,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_INUSE_PAGES, 80,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_INUSE_LOST, 1,
			MEMATTR_A_PROFILE_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_WALK_ERRORS, 2,
			MEMATTR_A_PROFILE_PAD);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_NR_STACKS, 4);
	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_MAX_STACKS, 256);
	msg_put_u64_pad(nlh, MEMATTR_A_PROFILE_MEM_BYTES, 65536,
			MEMATTR_A_PROFILE_PAD);
	mnl_attr_put_u16(nlh, 200, 1);	/* a newer module's attribute */
	return nlh;
}

struct pf_stack {
	uint8_t bucket;
	unsigned int depth;	/* frames 0x1000 * (i + 1) + 4 */
	uint64_t pages, inuse, map_bytes;
	size_t frames_len;	/* 0: depth * 8 */
};

/* A stacks message: one LIST_ITEM nest per stack, and a stray attribute. */
static struct nlmsghdr *msg_profile_stacks(void *buf, uint32_t pid,
					   const struct pf_stack *st, size_t n)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_PROFILE);
	struct nlattr *list, *item;
	uint64_t fr[MEMATTR_PROFILE_MAX_DEPTH + 1];
	size_t i, j;

	mnl_attr_put_u32(nlh, MEMATTR_A_PROFILE_PID, pid);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_PROFILE_STACKS);
	mnl_attr_put_u32(nlh, 77, 1);	/* not an element: skipped */
	for (i = 0; i < n; i++) {
		item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
		mnl_attr_put_u8(nlh, MEMATTR_A_STACK_BUCKET, st[i].bucket);
		for (j = 0; j < st[i].depth && j < ARRAY_SIZE(fr); j++)
			fr[j] = 0x1000 * (j + 1) + 4;
		if (st[i].depth || st[i].frames_len)
			mnl_attr_put(nlh, MEMATTR_A_STACK_FRAMES,
				     st[i].frames_len ? st[i].frames_len :
				     st[i].depth * 8, fr);
		msg_put_u64_pad(nlh, MEMATTR_A_STACK_PAGES, st[i].pages,
				MEMATTR_A_STACK_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_STACK_SAMPLES, st[i].pages / 2,
				MEMATTR_A_STACK_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_STACK_MAP_BYTES, st[i].map_bytes,
				MEMATTR_A_STACK_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_STACK_INUSE_PAGES, st[i].inuse,
				MEMATTR_A_STACK_PAD);
		mnl_attr_put_u32(nlh, 99, 0);	/* a newer module's */
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

static const struct pf_stack pf_good[] = {
	{ MEMATTR_STACK_FRAMES, 3, 80, 70, 0, 0 },
	{ MEMATTR_STACK_FRAMES, 2, 20, 4, 1 << 20, 0 },
	{ MEMATTR_STACK_THROTTLED, 0, 6, 6, 0, 0 },
	{ MEMATTR_STACK_OTHER, 0, 4, 0, 0, 0 },
};

/* A summary, then stacks over two messages, add up into one profile. */
static void test_profile_parse(void)
{
	struct memattr_profile pf = { 0 };
	struct nlmsghdr *nlh;

	nlh = msg_profile_summary(buf_a);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	nlh = msg_profile_stacks(buf_a, PF_PID, pf_good, 2);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	nlh = msg_profile_stacks(buf_a, PF_PID, pf_good + 2, 2);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	CHECK_INT(pf.pid, PF_PID);
	CHECK_INT(pf.sample_every, 2);
	CHECK_INT(pf.start_ms, 5000);
	CHECK_INT(pf.auto_started, 1);
	CHECK_INT(pf.page_size, 4096);
	CHECK_INT(pf.pages, 110);
	CHECK_INT(pf.samples, 55);
	CHECK_INT(pf.throttled_pages, 6);
	CHECK_INT(pf.other_pages, 4);
	CHECK_INT(pf.map_calls, 3);
	CHECK_INT(pf.map_bytes, 1 << 20);
	CHECK_INT(pf.inuse_pages, 80);
	CHECK_INT(pf.inuse_lost, 1);
	CHECK_INT(pf.walk_errors, 2);
	CHECK_INT(pf.nr_stacks_held, 4);
	CHECK_INT(pf.max_stacks, 256);
	CHECK_INT(pf.mem_bytes, 65536);
	CHECK_INT(pf.nr_stacks, 4);
	if (pf.nr_stacks == 4) {
		CHECK_INT(pf.stacks[0].depth, 3);
		CHECK_INT(pf.stacks[0].frames[0], 0x1004);
		CHECK_INT(pf.stacks[0].frames[2], 0x3004);
		CHECK_INT(pf.stacks[0].pages, 80);
		CHECK_INT(pf.stacks[0].samples, 40);
		CHECK_INT(pf.stacks[0].inuse_pages, 70);
		CHECK_INT(pf.stacks[1].map_bytes, 1 << 20);
		CHECK_INT(pf.stacks[2].bucket, MEMATTR_STACK_THROTTLED);
		CHECK_INT(pf.stacks[2].depth, 0);
		CHECK_INT(pf.stacks[3].bucket, MEMATTR_STACK_OTHER);
	}
	memattr_profile_free(&pf);
	CHECK(!pf.stacks && !pf.nr_stacks && !pf.present);
}

/* Bad frames, a stack without frames, another pid: refused. */
static void test_profile_malformed(void)
{
	static const struct pf_stack bad[][1] = {
		{ { MEMATTR_STACK_FRAMES, 0, 1, 0, 0, 0 } },	/* no frames */
		{ { MEMATTR_STACK_FRAMES, 2, 1, 0, 0, 12 } },	/* not u64s */
		{ { MEMATTR_STACK_FRAMES, MEMATTR_PROFILE_MAX_DEPTH + 1, 1,
		    0, 0, 0 } },				/* too deep */
	};
	struct memattr_profile pf = { 0 };
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		nlh = msg_profile_stacks(buf_a, PF_PID, bad[i], 1);
		CHECK(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf) < 0);
		memattr_profile_free(&pf);
	}
	/* the deepest stack is fine */
	{
		struct pf_stack deep = { MEMATTR_STACK_FRAMES,
					 MEMATTR_PROFILE_MAX_DEPTH, 1, 0, 0, 0 };

		nlh = msg_profile_stacks(buf_a, PF_PID, &deep, 1);
		CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
		CHECK_INT(pf.nr_stacks, 1);
		memattr_profile_free(&pf);
	}
	nlh = msg_profile_summary(buf_a);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	nlh = msg_profile_stacks(buf_a, PF_PID + 1, pf_good, 1);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), -EBADMSG);
	memattr_profile_free(&pf);
	/* no pid */
	nlh = msg_genl(buf_a, 0x20, MEMATTR_CMD_GET_PROFILE);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), -EBADMSG);
	/* truncated */
	nlh = msg_profile_stacks(buf_a, PF_PID, pf_good, 2);
	CHECK(memattr_profile_parse(nlh, nlh->nlmsg_len - 8, &pf) < 0);
	memattr_profile_free(&pf);
}

/* The dump as pprof: types, weights, buckets, the default type. */
static void test_profile_pprof(void)
{
	struct memattr_profile pf = { 0 };
	enum memattr_profile_type t;
	struct pprof_profile p;
	struct nlmsghdr *nlh;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ti = -1;

	nlh = msg_profile_summary(buf_a);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	nlh = msg_profile_stacks(buf_a, PF_PID, pf_good, 4);
	CHECK_INT(memattr_profile_parse(nlh, nlh->nlmsg_len, &pf), 0);
	pprof_init(&p);
	CHECK_INT(memattr_profile_to_pprof(&pf, MEMATTR_PT_INUSE, &p, &ti), 0);
	CHECK_INT(p.ntypes, 4);
	/* inuse_space first: pprof's -sample_index=inuse_space finds it */
	CHECK_STR(p.type[0].type, "pages");
	CHECK_STR(p.type[1].type, "inuse_space");
	CHECK_STR(p.type[2].type, "space");
	CHECK_STR(p.type[3].type, "map_space");
	CHECK_INT(ti, 1);
	CHECK_INT(p.default_type, 1);
	CHECK_INT(p.period, 8192);
	CHECK_INT(p.nstacks, 4);
	if (p.nstacks == 4) {
		CHECK_INT(p.stack[0].value[2], 80 * 4096);
		CHECK_INT(p.stack[0].value[1], 70 * 4096);
		CHECK_INT(p.stack[1].value[3], 1 << 20);
		CHECK_STR(p.stack[2].pseudo, "[throttled]");
		CHECK_STR(p.stack[3].pseudo, "[other]");
	}
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	CHECK_INT(pprof_write_folded(&p, 2, f), 0);
	fclose(f);
	/* no names here: addresses, root first; callers one byte back */
	CHECK_STR(buf, "0x3003;0x2003;0x1004 327680\n"
		       "0x2003;0x1004 81920\n"
		       "[throttled] 24576\n"
		       "[other] 16384\n");
	free(buf);
	pprof_free(&p);
	/* a module without in-use or map figures: two types */
	pf.present &= ~(MEMATTR_BIT(MEMATTR_A_PROFILE_INUSE_PAGES) |
			MEMATTR_BIT(MEMATTR_A_PROFILE_MAP_CALLS));
	pprof_init(&p);
	CHECK_INT(memattr_profile_to_pprof(&pf, MEMATTR_PT_INUSE, &p, &ti),
		  -ENOENT);
	pprof_free(&p);
	pprof_init(&p);
	CHECK_INT(memattr_profile_to_pprof(&pf, MEMATTR_PT_SPACE, &p, &ti), 0);
	CHECK_INT(p.ntypes, 2);
	CHECK_INT(ti, 1);
	pprof_free(&p);
	memattr_profile_free(&pf);
	CHECK_INT(memattr_profile_type_parse("map", &t), 0);
	CHECK_INT(t, MEMATTR_PT_MAP);
	CHECK_INT(memattr_profile_type_parse("heap", &t), -EINVAL);
}

static const struct tap_test tests[] = {
	{ "print: -H, human-readable sizes in text", test_human },
	{ "proc: valid reply, with and without history", test_proc_valid },
	{ "proc: with and without PAD", test_proc_pad },
	{ "proc: truncated replies", test_proc_truncated },
	{ "proc: unknown attributes and list entries skipped",
	  test_proc_unknown },
	{ "proc: malformed replies rejected", test_proc_malformed },
	{ "cgroup: parse, no limit, missing id, long path", test_cgroup },
	{ "system: parse", test_system },
	{ "leaks: process and cgroup entries", test_leak },
	{ "oom: history, growers, cap", test_oom },
	{ "config: parse, KEY=VALUE into SET_CONFIG", test_config },
	{ "config: KEY=VALUE validation", test_config_kv },
	{ "stats: every attribute and hooks", test_stats_full },
	{ "names of leak states and entities", test_names },
	{ "sort: each key, ties by pid", test_sort },
	{ "print: process JSON contract and brief table", test_proc_print },
	{ "print: cgroup JSON contract", test_cgroup_print },
	{ "print: leaks JSON contract", test_leak_print },
	{ "print: system JSON contract", test_system_print },
	{ "print: oom JSON contract", test_oom_print },
	{ "print: config and stats", test_config_stats_print },
	{ "query: integers and seconds", test_parse_numbers },
	{ "query: sparkline", test_sparkline },
	{ "query: durations", test_duration },
	{ "query: terminal and locale probes", test_term },
	{ "commands: bad arguments exit 2 with one line", test_cmd_usage_errors },
	{ "commands: good arguments parse", test_cmd_parse_ok },
	{ "commands: help documents options and JSON fields", test_cmd_help },
	{ "profile: a dump's summary and stacks over messages",
	  test_profile_parse },
	{ "profile: malformed stacks and another pid refused",
	  test_profile_malformed },
	{ "profile: the dump as pprof types, weights and buckets",
	  test_profile_pprof },
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "json"))
		return json_sample(argv[2]);
	return tap_run(tests, ARRAY_SIZE(tests));
}
