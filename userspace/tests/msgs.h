/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand-built netlink messages for the unit tests and the fuzz seeds, laid
 * out the way the kernel lays them out (64-bit attributes padded with a
 * PAD attribute so their payload is 8-byte aligned).
 */
#ifndef MEMATTR_TEST_MSGS_H
#define MEMATTR_TEST_MSGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/* buffers must be 8-byte aligned for the 64-bit padding to match */
#define MSG_BUF_SIZE	4096

struct nlmsghdr *msg_genl(void *buf, uint16_t type, uint8_t cmd);
void msg_put_u64_pad(struct nlmsghdr *nlh, uint16_t type, uint64_t val,
		     uint16_t padtype);

/* A MEMATTR_CMD_GET_STATS reply as the module sends it. */
struct nlmsghdr *msg_stats(void *buf, const char *version, uint32_t ms,
			   uint64_t bytes);
/* A CTRL_CMD_NEWFAMILY reply with ops 1..n_ops and one group "events". */
struct nlmsghdr *msg_family(void *buf, const char *name, uint16_t id,
			    unsigned int n_ops, uint32_t grp_id);
/* An NLMSG_ERROR (ack when error is 0); msg adds an extack message. */
struct nlmsghdr *msg_ack(void *buf, int error, const char *msg, bool capped);
/* An NLMSG_DONE with an optional extack message. */
struct nlmsghdr *msg_done(void *buf, int error, const char *msg);

/* MEMATTR_CMD_EVENT messages, laid out as module/netlink.c builds them. */
struct nlmsghdr *msg_ev_leak(void *buf, uint32_t kind, uint32_t pid,
			     const char *comm, uint64_t cgroup_id,
			     const char *cgroup, int64_t growth_kbh);
struct nlmsghdr *msg_ev_cgroup_leak(void *buf, uint64_t cgroup_id,
				    const char *cgroup, int64_t growth_kbh);
struct nlmsghdr *msg_ev_watermark(void *buf, uint8_t level, uint8_t pct,
				  uint8_t direction, uint32_t used_pct);
/* An OOM kill with n_top growers, pids 100, 101, ... */
struct nlmsghdr *msg_ev_oom(void *buf, uint32_t pid, const char *comm,
			    const char *cgroup, unsigned int n_top);
#define MSG_POINTS_MAX	64

struct msg_proc_args {
	uint32_t pid;
	const char *comm;
	const char *cgroup;		/* NULL: no cgroup attributes */
	uint64_t rss_kb;
	uint64_t anon_kb;
	uint64_t page_allocs;
	int64_t growth;
	uint8_t leak_state;
	bool history;			/* put MEMATTR_A_PROC_HISTORY */
	unsigned int nr_points;
};

/* MEMATTR_CMD_GET_PROC, with a history of nr_points when history. */
struct nlmsghdr *msg_proc(void *buf, const struct msg_proc_args *a);
/* MEMATTR_CMD_GET_CGROUP; limit: with a 64 MiB limit and exhaust_s. */
struct nlmsghdr *msg_cgroup(void *buf, uint64_t id, const char *path,
			    uint64_t usage_kb, bool limit);
struct nlmsghdr *msg_system(void *buf, uint64_t total_kb, uint64_t avail_kb,
			    int64_t exhaust_s);
/* A GET_LEAKS entry; name is the comm (process) or the path (cgroup). */
struct nlmsghdr *msg_leak(void *buf, uint8_t entity, uint32_t pid,
			  const char *name, uint8_t state, uint64_t since_ms);
struct nlmsghdr *msg_oom(void *buf, uint32_t pid, const char *comm,
			 unsigned int nr_points, unsigned int nr_top);
struct nlmsghdr *msg_config(void *buf, uint32_t sample_ms, const char *wm);
/* msg_stats() and every other GET_STATS attribute, nr_hooks hooks. */
struct nlmsghdr *msg_stats_full(void *buf, unsigned int nr_hooks);

#endif /* MEMATTR_TEST_MSGS_H */
