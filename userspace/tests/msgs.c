// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hand-built netlink messages; see msgs.h.
 */
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/memattr.h>
#include <linux/netlink.h>

#include "msgs.h"

struct nlmsghdr *msg_genl(void *buf, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, MSG_BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = 1;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = 1;
	return nlh;
}

/* Like the kernel's nla_put_u64_64bit(). */
void msg_put_u64_pad(struct nlmsghdr *nlh, uint16_t type, uint64_t val,
		     uint16_t padtype)
{
	/* the payload follows a 4-byte header: pad when the tail is aligned */
	if (!(nlh->nlmsg_len % 8))
		mnl_attr_put(nlh, padtype, 0, NULL);
	mnl_attr_put_u64(nlh, type, val);
}

struct nlmsghdr *msg_stats(void *buf, const char *version, uint32_t ms,
			   uint64_t bytes)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_STATS);

	mnl_attr_put_strz(nlh, MEMATTR_A_STATS_MODULE_VERSION, version);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_SAMPLE_MS, ms);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_OWN_MEM_BYTES, bytes,
			MEMATTR_A_STATS_PAD);
	return nlh;
}

struct nlmsghdr *msg_family(void *buf, const char *name, uint16_t id,
			    unsigned int n_ops, uint32_t grp_id)
{
	struct nlmsghdr *nlh = msg_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *nest, *elem;
	unsigned int i;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 0);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	for (i = 1; i <= n_ops; i++) {
		elem = mnl_attr_nest_start(nlh, i);
		mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, i);
		mnl_attr_put_u32(nlh, CTRL_ATTR_OP_FLAGS, 0);
		mnl_attr_nest_end(nlh, elem);
	}
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	elem = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, grp_id);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *msg_ack(void *buf, int error, const char *msg, bool capped)
{
	struct nlmsghdr *nlh, req = {};
	struct nlmsgerr *e;
	char *echo;

	memset(buf, 0, MSG_BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = 1;
	req.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + 8;
	req.nlmsg_type = 0x20;
	req.nlmsg_seq = 1;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg = req;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		/* the request's payload, echoed: a genl header and an attr */
		echo = mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN + 8);
		memset(echo, 0xab, GENL_HDRLEN + 8);
	}
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	return nlh;
}

struct nlmsghdr *msg_done(void *buf, int error, const char *msg)
{
	struct nlmsghdr *nlh;
	int *status;

	memset(buf, 0, MSG_BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 1;
	status = mnl_nlmsg_put_extra_header(nlh, sizeof(*status));
	*status = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

static void put_points(struct nlmsghdr *nlh, uint16_t type,
		       const uint64_t *t_ms, const uint32_t *kb, unsigned int n)
{
	struct nlattr *list, *item;
	unsigned int i;

	list = mnl_attr_nest_start(nlh, type);
	for (i = 0; i < n; i++) {
		item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
		msg_put_u64_pad(nlh, MEMATTR_A_POINT_T_MS, t_ms[i],
				MEMATTR_A_POINT_PAD);
		mnl_attr_put_u32(nlh, MEMATTR_A_POINT_KB, kb[i]);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, list);
}

/* Like the kernel's nla_put_s64(). */
static void put_s64(struct nlmsghdr *nlh, uint16_t type, int64_t val,
		    uint16_t padtype)
{
	msg_put_u64_pad(nlh, type, (uint64_t)val, padtype);
}

struct nlmsghdr *msg_proc(void *buf, const struct msg_proc_args *a)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_PROC);
	const uint16_t pad = MEMATTR_A_PROC_PAD;
	uint64_t t[MSG_POINTS_MAX];
	uint32_t kb[MSG_POINTS_MAX];
	unsigned int i, n = a->nr_points;

	mnl_attr_put_u32(nlh, MEMATTR_A_PROC_PID, a->pid);
	mnl_attr_put_strz(nlh, MEMATTR_A_PROC_COMM, a->comm);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_START_MS, 1000, pad);
	if (a->cgroup) {
		msg_put_u64_pad(nlh, MEMATTR_A_PROC_CGROUP_ID, 77, pad);
		mnl_attr_put_strz(nlh, MEMATTR_A_PROC_CGROUP_PATH, a->cgroup);
	}
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_RSS_KB, a->rss_kb, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_ANON_KB, a->anon_kb, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_FILE_KB, 300, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_SHMEM_KB, 40, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_SWAP_KB, 5, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_PEAK_RSS_KB, a->rss_kb + 1, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_VM_KB, 100000, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_PGTABLES_KB, 60, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_PAGE_ALLOCS, a->page_allocs, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_PAGE_FREES, 7, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_MMAP_CALLS, 8, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_MUNMAP_CALLS, 9, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_BRK_CALLS, 10, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_PROC_MREMAP_CALLS, 11, pad);
	put_s64(nlh, MEMATTR_A_PROC_MAPPED_BYTES, -4096, pad);
	mnl_attr_put_u8(nlh, MEMATTR_A_PROC_LEAK_STATE, a->leak_state);
	put_s64(nlh, MEMATTR_A_PROC_GROWTH_KB_PER_HOUR, a->growth, pad);
	put_s64(nlh, MEMATTR_A_PROC_EXHAUST_S, a->growth > 0 ? 7200 : -1, pad);
	if (a->leak_state)
		msg_put_u64_pad(nlh, MEMATTR_A_PROC_LEAK_SINCE_MS, 5000, pad);
	if (n > MSG_POINTS_MAX)
		n = MSG_POINTS_MAX;
	for (i = 0; i < n; i++) {
		t[i] = 10000 + 1000ULL * i;
		kb[i] = 1000 + 10 * i;
	}
	if (a->history)
		put_points(nlh, MEMATTR_A_PROC_HISTORY, t, kb, n);
	return nlh;
}

struct nlmsghdr *msg_cgroup(void *buf, uint64_t id, const char *path,
			    uint64_t usage_kb, bool limit)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_CGROUP);
	const uint16_t pad = MEMATTR_A_CGROUP_PAD;

	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_ID, id, pad);
	mnl_attr_put_strz(nlh, MEMATTR_A_CGROUP_PATH, path);
	mnl_attr_put_u32(nlh, MEMATTR_A_CGROUP_NR_PROCS, 3);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_USAGE_KB, usage_kb, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_ANON_KB, 100, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_FILE_KB, 200, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_SHMEM_KB, 50, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_KERNEL_KB, 30, pad);
	if (limit)
		msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_LIMIT_KB, 65536, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_RSS_KB, 120, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_ANON_KB, 90, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_SHMEM_KB, 50, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_SWAP_KB, 0, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS, 1000, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_PROCS_PAGE_FREES, 900, pad);
	mnl_attr_put_u8(nlh, MEMATTR_A_CGROUP_LEAK_STATE, MEMATTR_LEAK_SUSPECT);
	put_s64(nlh, MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR, 4096, pad);
	put_s64(nlh, MEMATTR_A_CGROUP_EXHAUST_S, limit ? 3600 : -1, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_CGROUP_LEAK_SINCE_MS, 2000, pad);
	return nlh;
}

struct nlmsghdr *msg_system(void *buf, uint64_t total_kb, uint64_t avail_kb,
			    int64_t exhaust_s)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_SYSTEM);
	const uint16_t pad = MEMATTR_A_SYSTEM_PAD;

	msg_put_u64_pad(nlh, MEMATTR_A_SYSTEM_MEM_TOTAL_KB, total_kb, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_SYSTEM_MEM_FREE_KB, avail_kb / 2, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB, avail_kb, pad);
	mnl_attr_put_u32(nlh, MEMATTR_A_SYSTEM_USED_PCT,
			 total_kb ? (uint32_t)((total_kb - avail_kb) * 100 /
					       total_kb) : 0);
	msg_put_u64_pad(nlh, MEMATTR_A_SYSTEM_SAMPLED_MS, 123456, pad);
	put_s64(nlh, MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR, -20, pad);
	put_s64(nlh, MEMATTR_A_SYSTEM_EXHAUST_S, exhaust_s, pad);
	mnl_attr_put_u8(nlh, MEMATTR_A_SYSTEM_WATERMARK_LEVEL, 1);
	return nlh;
}

struct nlmsghdr *msg_leak(void *buf, uint8_t entity, uint32_t pid,
			  const char *name, uint8_t state, uint64_t since_ms)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_LEAKS);
	const uint16_t pad = MEMATTR_A_LEAK_PAD;

	mnl_attr_put_u8(nlh, MEMATTR_A_LEAK_ENTITY, entity);
	if (entity == MEMATTR_ENTITY_PROCESS) {
		mnl_attr_put_u32(nlh, MEMATTR_A_LEAK_PID, pid);
		mnl_attr_put_strz(nlh, MEMATTR_A_LEAK_COMM, name);
		msg_put_u64_pad(nlh, MEMATTR_A_LEAK_CGROUP_ID, 9, pad);
		mnl_attr_put_strz(nlh, MEMATTR_A_LEAK_CGROUP_PATH, "/a");
	} else {
		msg_put_u64_pad(nlh, MEMATTR_A_LEAK_CGROUP_ID, 9, pad);
		mnl_attr_put_strz(nlh, MEMATTR_A_LEAK_CGROUP_PATH, name);
	}
	put_s64(nlh, MEMATTR_A_LEAK_GROWTH_KB_PER_HOUR, 3600, pad);
	mnl_attr_put_u8(nlh, MEMATTR_A_LEAK_STATE, state);
	msg_put_u64_pad(nlh, MEMATTR_A_LEAK_SINCE_MS, since_ms, pad);
	put_s64(nlh, MEMATTR_A_LEAK_EXHAUST_S,
		entity == MEMATTR_ENTITY_PROCESS ? 7200 : -1, pad);
	return nlh;
}

struct nlmsghdr *msg_oom(void *buf, uint32_t pid, const char *comm,
			 unsigned int nr_points, unsigned int nr_top)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_OOM);
	const uint16_t pad = MEMATTR_A_OOM_PAD;
	uint64_t t[MSG_POINTS_MAX];
	uint32_t kb[MSG_POINTS_MAX];
	struct nlattr *list, *item;
	unsigned int i;

	msg_put_u64_pad(nlh, MEMATTR_A_OOM_TIME_MS, 99000, pad);
	mnl_attr_put_u32(nlh, MEMATTR_A_OOM_PID, pid);
	mnl_attr_put_strz(nlh, MEMATTR_A_OOM_COMM, comm);
	mnl_attr_put_strz(nlh, MEMATTR_A_OOM_CGROUP_PATH, "/oom");
	msg_put_u64_pad(nlh, MEMATTR_A_OOM_RSS_KB, 65000, pad);
	if (nr_points > MSG_POINTS_MAX)
		nr_points = MSG_POINTS_MAX;
	for (i = 0; i < nr_points; i++) {
		t[i] = 90000 + 500ULL * i;
		kb[i] = 1000 * (i + 1);
	}
	put_points(nlh, MEMATTR_A_OOM_HISTORY, t, kb, nr_points);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_OOM_TOP);
	for (i = 0; i < nr_top; i++) {
		item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
		mnl_attr_put_u32(nlh, MEMATTR_A_GROWER_PID, pid + i);
		mnl_attr_put_strz(nlh, MEMATTR_A_GROWER_COMM, comm);
		put_s64(nlh, MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR,
			100000 - 1000 * (int64_t)i, MEMATTR_A_GROWER_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_GROWER_RSS_KB, 5000 + i,
				MEMATTR_A_GROWER_PAD);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

struct nlmsghdr *msg_config(void *buf, uint32_t sample_ms, const char *wm)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_GET_CONFIG);

	mnl_attr_put_u32(nlh, MEMATTR_A_CONFIG_SAMPLE_MS, sample_ms);
	mnl_attr_put_u32(nlh, MEMATTR_A_CONFIG_MAX_PROCS, 4096);
	mnl_attr_put_u32(nlh, MEMATTR_A_CONFIG_LEAK_WINDOW_S, 3600);
	mnl_attr_put_u32(nlh, MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR, 4096);
	mnl_attr_put_strz(nlh, MEMATTR_A_CONFIG_WATERMARKS, wm);
	mnl_attr_put_u32(nlh, MEMATTR_A_CONFIG_LOG_EVENTS, 1);
	return nlh;
}

struct nlmsghdr *msg_stats_full(void *buf, unsigned int nr_hooks)
{
	struct nlmsghdr *nlh = msg_stats(buf, "0.1.0", 1000, 8192);
	const uint16_t pad = MEMATTR_A_STATS_PAD;
	struct nlattr *list, *item;
	unsigned int i;

	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_TRACKED_PROCS, 12);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_MAX_PROCS, 4096);
	mnl_attr_put_u32(nlh, MEMATTR_A_STATS_TRACKED_CGROUPS, 4);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_PROCS_CREATED, 100, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_PROCS_REMOVED, 88, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_PROCS_DROPPED, 0, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_PROCS_REAPED, 1, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_EXITED_TOTAL, 89, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_SAMPLES, 500, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_SAMPLE_LAST_NS, 20000, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_SAMPLE_MAX_NS, 90000, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_IRQ_PAGES, 3, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_KTHREAD_PAGES, 4, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_UNTRACKED_PAGES, 5, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_KLOG_LINES, 6, pad);
	msg_put_u64_pad(nlh, MEMATTR_A_STATS_KLOG_SUPPRESSED, 7, pad);
	list = mnl_attr_nest_start(nlh, MEMATTR_A_STATS_HOOKS);
	for (i = 0; i < nr_hooks; i++) {
		item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
		mnl_attr_put_strz(nlh, MEMATTR_A_HOOK_NAME, i ? "mmap" : "alloc");
		mnl_attr_put_strz(nlh, MEMATTR_A_HOOK_KIND,
				  i ? "kprobe" : "tracepoint");
		if (i)
			mnl_attr_put_strz(nlh, MEMATTR_A_HOOK_TARGET, "do_mmap");
		msg_put_u64_pad(nlh, MEMATTR_A_HOOK_HITS, 1000 + i,
				MEMATTR_A_HOOK_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_HOOK_MISSES, i,
				MEMATTR_A_HOOK_PAD);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

static struct nlmsghdr *msg_ev(void *buf, uint32_t kind)
{
	struct nlmsghdr *nlh = msg_genl(buf, 0x20, MEMATTR_CMD_EVENT);

	nlh->nlmsg_seq = 0;
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_KIND, kind);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_TIME_MS, 123456, MEMATTR_A_EV_PAD);
	return nlh;
}

struct nlmsghdr *msg_ev_leak(void *buf, uint32_t kind, uint32_t pid,
			     const char *comm, uint64_t cgroup_id,
			     const char *cgroup, int64_t growth_kbh)
{
	struct nlmsghdr *nlh = msg_ev(buf, kind);

	mnl_attr_put_u8(nlh, MEMATTR_A_EV_ENTITY, MEMATTR_ENTITY_PROCESS);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_PID, pid);
	mnl_attr_put_strz(nlh, MEMATTR_A_EV_COMM, comm);
	if (cgroup_id)
		msg_put_u64_pad(nlh, MEMATTR_A_EV_CGROUP_ID, cgroup_id,
				MEMATTR_A_EV_PAD);
	if (cgroup)
		mnl_attr_put_strz(nlh, MEMATTR_A_EV_CGROUP, cgroup);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_GROWTH_KB_PER_HOUR,
			(uint64_t)growth_kbh, MEMATTR_A_EV_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_SINCE_MS, 120000, MEMATTR_A_EV_PAD);
	put_s64(nlh, MEMATTR_A_EV_EXHAUST_S, growth_kbh > 0 ? 7200 : -1,
		MEMATTR_A_EV_PAD);
	return nlh;
}

struct nlmsghdr *msg_ev_cgroup_leak(void *buf, uint64_t cgroup_id,
				    const char *cgroup, int64_t growth_kbh)
{
	struct nlmsghdr *nlh = msg_ev(buf, MEMATTR_EV_LEAK);

	mnl_attr_put_u8(nlh, MEMATTR_A_EV_ENTITY, MEMATTR_ENTITY_CGROUP);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_CGROUP_ID, cgroup_id,
			MEMATTR_A_EV_PAD);
	mnl_attr_put_strz(nlh, MEMATTR_A_EV_CGROUP, cgroup);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_GROWTH_KB_PER_HOUR,
			(uint64_t)growth_kbh, MEMATTR_A_EV_PAD);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_SINCE_MS, 120000, MEMATTR_A_EV_PAD);
	return nlh;
}

struct nlmsghdr *msg_ev_watermark(void *buf, uint8_t level, uint8_t pct,
				  uint8_t direction, uint32_t used_pct)
{
	struct nlmsghdr *nlh = msg_ev(buf, MEMATTR_EV_WATERMARK);

	mnl_attr_put_u8(nlh, MEMATTR_A_EV_LEVEL, level);
	mnl_attr_put_u8(nlh, MEMATTR_A_EV_LEVEL_PCT, pct);
	mnl_attr_put_u8(nlh, MEMATTR_A_EV_DIRECTION, direction);
	mnl_attr_put_u32(nlh, MEMATTR_A_EV_USED_PCT, used_pct);
	return nlh;
}

struct nlmsghdr *msg_ev_oom(void *buf, uint32_t pid, const char *comm,
			    const char *cgroup, unsigned int n_top)
{
	struct nlmsghdr *nlh = msg_ev(buf, MEMATTR_EV_OOM_KILL);
	struct nlattr *nest, *item;
	char name[32];
	unsigned int i;

	mnl_attr_put_u32(nlh, MEMATTR_A_EV_PID, pid);
	mnl_attr_put_strz(nlh, MEMATTR_A_EV_COMM, comm);
	if (cgroup)
		mnl_attr_put_strz(nlh, MEMATTR_A_EV_CGROUP, cgroup);
	msg_put_u64_pad(nlh, MEMATTR_A_EV_RSS_KB, 65536, MEMATTR_A_EV_PAD);
	nest = mnl_attr_nest_start(nlh, MEMATTR_A_EV_TOP);
	for (i = 0; i < n_top; i++) {
		item = mnl_attr_nest_start(nlh, MEMATTR_A_LIST_ITEM);
		mnl_attr_put_u32(nlh, MEMATTR_A_GROWER_PID, 100 + i);
		snprintf(name, sizeof(name), "grower%u", i);
		mnl_attr_put_strz(nlh, MEMATTR_A_GROWER_COMM, name);
		msg_put_u64_pad(nlh, MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR,
				(uint64_t)(int64_t)(3600 - 1000 * (int)i),
				MEMATTR_A_GROWER_PAD);
		msg_put_u64_pad(nlh, MEMATTR_A_GROWER_RSS_KB, 1024 * (i + 1),
				MEMATTR_A_GROWER_PAD);
		mnl_attr_nest_end(nlh, item);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}
