// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink over libmnl; see nl.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>

#include "nl.h"
#include "util.h"

/* Room for any one message of a dump: the kernel sizes them to at most this. */
#define NL_BUF_SIZE	32768

/* ---- pure parsers ---- */

/*
 * Whether buf starts with a whole netlink message. Not mnl_nlmsg_ok(): it
 * compares nlmsg_len as an int, so a length of 2^31 or more passes.
 */
static bool nlmsg_fits(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;

	return len >= NLMSG_HDRLEN && nlh->nlmsg_len >= NLMSG_HDRLEN &&
	       nlh->nlmsg_len <= len;
}

/*
 * Walk the attributes in [p, p + len): each must be whole, and together
 * they must fill the range (the last one may lack its padding).
 */
static int attrs_walk(const void *p, size_t len, nl_attr_cb_t cb, void *data)
{
	const struct nlattr *attr = p;
	size_t step;
	int err;

	if (len > INT_MAX)
		return -EBADMSG;
	while (len) {
		if (!mnl_attr_ok(attr, (int)len))
			return -EBADMSG;
		err = cb(attr, data);
		if (err)
			return err;
		step = MNL_ALIGN(attr->nla_len);
		if (step >= len)
			break;
		len -= step;
		attr = (const struct nlattr *)((const char *)attr + step);
	}
	return 0;
}

struct policy_walk {
	const enum mnl_attr_data_type *policy;
	unsigned int maxtype;
	const struct nlattr **tb;
};

static int policy_cb(const struct nlattr *attr, void *data)
{
	const struct policy_walk *pw = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > pw->maxtype || pw->policy[type] == MNL_TYPE_UNSPEC)
		return 0;	/* unknown to us: a newer kernel's */
	errno = 0;
	if (mnl_attr_validate(attr, pw->policy[type]) < 0)
		return errno ? -errno : -EINVAL;
	pw->tb[type] = attr;
	return 0;
}

static int attrs_parse(const void *p, size_t len,
		       const enum mnl_attr_data_type *policy,
		       unsigned int maxtype, const struct nlattr **tb)
{
	struct policy_walk pw = { policy, maxtype, tb };

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	return attrs_walk(p, len, policy_cb, &pw);
}

int nl_genl_parse(const void *buf, size_t len, uint8_t cmd,
		  const enum mnl_attr_data_type *policy, unsigned int maxtype,
		  const struct nlattr **tb)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl;
	size_t plen;

	if (!nlmsg_fits(buf, len))
		return -EBADMSG;
	plen = mnl_nlmsg_get_payload_len(nlh);
	if (plen < GENL_HDRLEN)
		return -EBADMSG;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != cmd)
		return -EBADMSG;
	return attrs_parse((const char *)genl + GENL_HDRLEN, plen - GENL_HDRLEN,
			   policy, maxtype, tb);
}

int nl_nested_parse(const struct nlattr *nest,
		    const enum mnl_attr_data_type *policy,
		    unsigned int maxtype, const struct nlattr **tb)
{
	return attrs_parse(mnl_attr_get_payload(nest),
			   mnl_attr_get_payload_len(nest), policy, maxtype, tb);
}

int nl_nested_walk(const struct nlattr *nest, nl_attr_cb_t cb, void *data)
{
	return attrs_walk(mnl_attr_get_payload(nest),
			  mnl_attr_get_payload_len(nest), cb, data);
}

static const enum mnl_attr_data_type ctrl_policy[CTRL_ATTR_MCAST_GROUPS + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_FAMILY_NAME]		= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_VERSION]		= MNL_TYPE_U32,
	[CTRL_ATTR_HDRSIZE]		= MNL_TYPE_U32,
	[CTRL_ATTR_MAXATTR]		= MNL_TYPE_U32,
	[CTRL_ATTR_OPS]			= MNL_TYPE_NESTED,
	[CTRL_ATTR_MCAST_GROUPS]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type op_policy[CTRL_ATTR_OP_MAX + 1] = {
	[CTRL_ATTR_OP_ID]		= MNL_TYPE_U32,
	[CTRL_ATTR_OP_FLAGS]		= MNL_TYPE_U32,
};

static const enum mnl_attr_data_type grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

static int family_op_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_OP_MAX + 1];
	struct nl_family *family = data;
	uint32_t id;
	int err;

	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	err = nl_nested_parse(attr, op_policy, CTRL_ATTR_OP_MAX, tb);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_OP_ID])
		return 0;
	id = mnl_attr_get_u32(tb[CTRL_ATTR_OP_ID]);
	if (id < 256)
		family->ops[id / 32] |= 1U << (id % 32);
	return 0;
}

static int family_grp_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nl_family *family = data;
	struct nl_mcgrp *grp;
	int err;

	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	err = nl_nested_parse(attr, grp_policy, CTRL_ATTR_MCAST_GRP_MAX, tb);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    family->n_mcgrps == NL_MCGRPS_MAX)
		return 0;
	grp = &family->mcgrps[family->n_mcgrps++];
	snprintf(grp->name, sizeof(grp->name), "%s",
		 mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
	grp->id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return 0;
}

int nl_family_parse(const void *buf, size_t len, struct nl_family *family)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GROUPS + 1];
	int err;

	memset(family, 0, sizeof(*family));
	err = nl_genl_parse(buf, len, CTRL_CMD_NEWFAMILY, ctrl_policy,
			    CTRL_ATTR_MCAST_GROUPS, tb);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	family->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	snprintf(family->name, sizeof(family->name), "%s",
		 mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_VERSION])
		family->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_HDRSIZE])
		family->hdrsize = mnl_attr_get_u32(tb[CTRL_ATTR_HDRSIZE]);
	if (tb[CTRL_ATTR_MAXATTR])
		family->maxattr = mnl_attr_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (tb[CTRL_ATTR_OPS]) {
		err = nl_nested_walk(tb[CTRL_ATTR_OPS], family_op_cb, family);
		if (err)
			return err;
	}
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		err = nl_nested_walk(tb[CTRL_ATTR_MCAST_GROUPS], family_grp_cb,
				     family);
	return err;
}

static const enum mnl_attr_data_type ack_policy[NLMSGERR_ATTR_OFFS + 1] = {
	[NLMSGERR_ATTR_MSG]	= MNL_TYPE_NUL_STRING,
	[NLMSGERR_ATTR_OFFS]	= MNL_TYPE_U32,
};

int nl_ack_parse(const void *buf, size_t len, struct nl_ack *ack)
{
	const struct nlattr *tb[NLMSGERR_ATTR_OFFS + 1];
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *e;
	const char *payload;
	size_t plen, off;

	memset(ack, 0, sizeof(*ack));
	if (!nlmsg_fits(buf, len))
		return -EBADMSG;
	payload = mnl_nlmsg_get_payload(nlh);
	plen = mnl_nlmsg_get_payload_len(nlh);
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		e = (const struct nlmsgerr *)payload;
		if (plen < sizeof(*e))
			return -EBADMSG;
		ack->error = e->error;
		off = sizeof(*e);
		/* the request's payload is echoed unless capped */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return -EBADMSG;
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* the dump's status; very old kernels sent none */
		off = 0;
		if (plen >= sizeof(ack->error)) {
			memcpy(&ack->error, payload, sizeof(ack->error));
			off = sizeof(ack->error);
		}
	} else {
		return -EBADMSG;
	}
	if (ack->error > 0 || ack->error < -4095)
		ack->error = -EPROTO;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = MNL_ALIGN(off);
	if (off > plen)
		return -EBADMSG;
	if (attrs_parse(payload + off, plen - off, ack_policy,
			NLMSGERR_ATTR_OFFS, tb))
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		ack->msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		ack->has_offset = true;
	}
	return 0;
}

bool nl_family_has_op(const struct nl_family *family, uint8_t cmd)
{
	return family->ops[cmd / 32] & (1U << (cmd % 32));
}

int nl_mcgrp_id(const struct nl_family *family, const char *name,
		uint32_t *id)
{
	unsigned int i;

	for (i = 0; i < family->n_mcgrps; i++) {
		if (!strcmp(family->mcgrps[i].name, name)) {
			*id = family->mcgrps[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- socket ---- */

static struct nlmsghdr *msg_start(struct nl_ctx *nl, uint16_t type,
				  uint8_t cmd, uint8_t version,
				  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *nl_msg_start(struct nl_ctx *nl, uint8_t cmd, uint16_t flags)
{
	return msg_start(nl, nl->family.id, cmd, nl->family.version, flags);
}

/* Handle an NLMSG_ERROR or NLMSG_DONE: 0 when it ends the request well. */
static int request_end(struct nl_ctx *nl, const struct nlmsghdr *nlh)
{
	struct nl_ack ack;

	if (nl_ack_parse(nlh, nlh->nlmsg_len, &ack))
		return -EBADMSG;
	if (ack.msg)
		snprintf(nl->extack, sizeof(nl->extack), "%s", ack.msg);
	return ack.error;
}

/*
 * Dispatch one datagram of replies. Returns 1 to read more, 0 when the
 * request is complete, or a negative errno.
 */
static int request_dispatch(struct nl_ctx *nl, const char *buf, size_t len,
			    uint32_t seq, nl_msg_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh;
	size_t step;
	int err;

	for (; nlmsg_fits(buf, len); buf += step, len -= step) {
		nlh = (const struct nlmsghdr *)buf;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > len)
			step = len;	/* the last one may lack its padding */
		/* stale replies to an abandoned request */
		if (nlh->nlmsg_seq != seq ||
		    !mnl_nlmsg_portid_ok(nlh, nl->portid))
			continue;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR:
		case NLMSG_DONE:
			return request_end(nl, nlh);
		case NLMSG_OVERRUN:
			return -ENOBUFS;
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb)
				break;
			err = cb(nlh, data);
			if (err)
				return err;
		}
	}
	return len ? -EBADMSG : 1;
}

int nl_request(struct nl_ctx *nl, struct nlmsghdr *nlh, nl_msg_cb_t cb,
	       void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret = 0;

	nl->extack[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buf_size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = request_dispatch(nl, nl->buf, n, seq, cb, data);
	} while (n < 0 || ret > 0);
	return ret;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return nl_family_parse(nlh, nlh->nlmsg_len, data);
}

int nl_open(struct nl_ctx *nl, const char *family)
{
	/* conveniences that old kernels lack: no error if absent */
	static const int opts[] = {
		NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK,
	};
	struct nlmsghdr *nlh;
	unsigned int i;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->buf_size = NL_BUF_SIZE;
	nl->buf = malloc(nl->buf_size);
	if (!nl->buf)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		mnl_socket_setsockopt(nl->sock, opts[i], &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	nlh = msg_start(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	err = nl_request(nl, nlh, family_cb, &nl->family);
	if (!err && strcmp(nl->family.name, family))
		err = -EPROTO;
	if (err)
		goto fail;
	return 0;

fail:
	nl_close(nl);
	return err;
}

void nl_close(struct nl_ctx *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->buf);
	nl->buf = NULL;
}
