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
