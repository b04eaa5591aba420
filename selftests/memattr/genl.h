/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny raw generic netlink client for the memattr selftests, no libmnl:
 * resolve a family with CTRL_CMD_GETFAMILY, build and send requests, read
 * replies up to their ACK or NLMSG_DONE with the extended ACK, walk
 * attributes. Sockets have NETLINK_EXT_ACK, NETLINK_CAP_ACK and
 * NETLINK_GET_STRICT_CHK set, like tools/testing/selftests/net/
 * netlink-dumps.c.
 */
#ifndef _MEMATTR_GENL_H
#define _MEMATTR_GENL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define GENL_RX_SIZE	(64 * 1024)
#define GENL_TX_SIZE	1024

struct genl_sock {
	int fd;
	uint16_t family;	/* resolved family id */
	uint32_t mcgrp;		/* id of the group asked for, 0: none */
	uint32_t seq;
	char rx[GENL_RX_SIZE];
};

/* The end of a request: its ACK, error or NLMSG_DONE. */
struct genl_ack {
	int err;		/* 0 or a positive errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when none */
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS, 0 when none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, 0 when none */
	int intr;		/* messages with NLM_F_DUMP_INTR */
	int msgs;		/* data messages seen */
};

/* A request being built. */
struct genl_req {
	union {
		struct nlmsghdr nlh;
		char buf[GENL_TX_SIZE];
	};
};

/* Called for each data message of a reply; nonzero stops the walk. */
typedef int (*genl_cb)(const struct nlmsghdr *nlh, void *arg);

static inline struct nlattr *genl_attr_first(const struct nlmsghdr *nlh)
{
	return (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
}

static inline int genl_attr_len(const struct nlmsghdr *nlh)
{
	return (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
}

static inline int genl_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline void *genl_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline int genl_payload(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/*
 * The attribute after @prev among the @len bytes at @head (the first when
 * @prev is NULL), or NULL past the last one or at a malformed one.
 */
static inline const struct nlattr *genl_attr_next(const void *head, int len,
						  const struct nlattr *prev)
{
	const char *end = (const char *)head + len;
	const struct nlattr *a;

	a = prev ? (const struct nlattr *)((const char *)prev +
					   NLA_ALIGN(prev->nla_len)) : head;
	if ((const char *)a + NLA_HDRLEN > end || a->nla_len < NLA_HDRLEN ||
	    (const char *)a + a->nla_len > end)
		return NULL;
	return a;
}

/* Return: 0 when attributes exactly fill the @len bytes at @head, else -1. */
static inline int genl_attrs_check(const void *head, int len)
{
	const struct nlattr *a = NULL, *last = NULL;
	int used;

	while ((a = genl_attr_next(head, len, a)))
		last = a;
	used = last ? (int)((const char *)last - (const char *)head) +
		      NLA_ALIGN(last->nla_len) : 0;
	return used >= len && used - len < NLA_ALIGNTO ? 0 : -1;
}

/* The attribute after @prev inside @nest, as genl_attr_next(). */
static inline const struct nlattr *genl_nested_next(const struct nlattr *nest,
						    const struct nlattr *prev)
{
	return genl_attr_next(genl_data(nest), genl_payload(nest), prev);
}

/*
 * Index attributes by type: tb[type] = the last of that type. Types above
 * @max are skipped, as a client must. Return: 0, or -1 when the attributes
 * do not exactly fill @len.
 */
static inline int genl_parse(const struct nlattr *head, int len,
			     const struct nlattr **tb, int max)
{
	const struct nlattr *a = NULL;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while ((a = genl_attr_next(head, len, a)))
		if (genl_type(a) <= max)
			tb[genl_type(a)] = a;
	return genl_attrs_check(head, len);
}

static inline int genl_parse_msg(const struct nlmsghdr *nlh,
				 const struct nlattr **tb, int max)
{
	return genl_parse(genl_attr_first(nlh), genl_attr_len(nlh), tb, max);
}

static inline int genl_parse_nested(const struct nlattr *nest,
				    const struct nlattr **tb, int max)
{
	return genl_parse((const struct nlattr *)((const char *)nest + NLA_HDRLEN),
			  genl_payload(nest), tb, max);
}

static inline uint8_t genl_u8(const struct nlattr *a)
{
	return *(uint8_t *)genl_data(a);
}

static inline uint16_t genl_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, genl_data(a), sizeof(v));
	return v;
}

static inline uint32_t genl_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, genl_data(a), sizeof(v));
	return v;
}

static inline uint64_t genl_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, genl_data(a), sizeof(v));
	return v;
}

/* A string attribute, or NULL when it is not NUL-terminated. */
static inline const char *genl_str(const struct nlattr *a)
{
	int len = genl_payload(a);

	if (len < 1 || ((char *)genl_data(a))[len - 1])
		return NULL;
	return genl_data(a);
}

/* Start a request for @cmd of @family with @flags (NLM_F_REQUEST added). */
static inline void genl_req_init(struct genl_req *r, uint16_t family,
				 uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = family;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(&r->nlh);
	g->cmd = cmd;
	g->version = 1;
}

/* Append a raw attribute: any type, any length. */
static inline void genl_put(struct genl_req *r, uint16_t type,
			    const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh.nlmsg_len));

	if (NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len) >
	    sizeof(r->buf))
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memset(genl_data(a), 0, NLA_ALIGN(len));
	memcpy(genl_data(a), data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static inline void genl_put_u16(struct genl_req *r, uint16_t type, uint16_t v)
{
	genl_put(r, type, &v, sizeof(v));
}

static inline void genl_put_u32(struct genl_req *r, uint16_t type, uint32_t v)
{
	genl_put(r, type, &v, sizeof(v));
}

static inline void genl_put_u64(struct genl_req *r, uint16_t type, uint64_t v)
{
	genl_put(r, type, &v, sizeof(v));
}

static inline void genl_put_str(struct genl_req *r, uint16_t type,
				const char *s)
{
	genl_put(r, type, s, strlen(s) + 1);
}

/* Return: 0, or -errno. */
static inline int genl_send(struct genl_sock *s, struct genl_req *r)
{
	ssize_t n;

	r->nlh.nlmsg_seq = ++s->seq;
	n = send(s->fd, r->buf, r->nlh.nlmsg_len, 0);
	if (n < 0)
		return -errno;
	return n == (ssize_t)r->nlh.nlmsg_len ? 0 : -EIO;
}

/* Read the extended ACK TLVs that start at @a, @len bytes of them. */
static inline void genl_ack_tlvs(struct genl_ack *ack, const struct nlattr *head,
				 int len)
{
	const struct nlattr *a = NULL;
	const char *str;

	while ((a = genl_attr_next(head, len, a))) {
		switch (genl_type(a)) {
		case NLMSGERR_ATTR_MSG:
			str = genl_str(a);
			if (str)
				snprintf(ack->msg, sizeof(ack->msg), "%s", str);
			break;
		case NLMSGERR_ATTR_OFFS:
			ack->offs = genl_u32(a);
			break;
#ifdef NLMSGERR_ATTR_MISS_TYPE
		case NLMSGERR_ATTR_MISS_TYPE:
			ack->miss_type = genl_u32(a);
			break;
#endif
		}
	}
}

/*
 * Read the replies to the last request up to its end: an NLMSG_ERROR
 * (ACK when its error is 0) or NLMSG_DONE. Data messages go to @cb (may be
 * NULL). Return: 0 when the reply was read to its end (the request's own
 * result is in @ack), or -errno when reading failed.
 */
static inline int genl_recv(struct genl_sock *s, genl_cb cb, void *arg,
			    struct genl_ack *ack)
{
	memset(ack, 0, sizeof(*ack));
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int rem;

		n = recv(s->fd, s->rx, sizeof(s->rx), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)s->rx, rem = n; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			if (nlh->nlmsg_seq != s->seq)
				continue;	/* a stale reply */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				ack->intr++;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				int off = sizeof(*e);

				ack->err = -e->error;
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					genl_ack_tlvs(ack, (struct nlattr *)
						      ((char *)e + off),
						      (int)nlh->nlmsg_len -
						      NLMSG_HDRLEN - off);
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *err = NLMSG_DATA(nlh);

				ack->err = -*err;
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					genl_ack_tlvs(ack, (struct nlattr *)(err + 1),
						      (int)nlh->nlmsg_len -
						      NLMSG_HDRLEN - sizeof(*err));
				return 0;
			}
			ack->msgs++;
			if (cb && cb(nlh, arg))
				cb = NULL;	/* read on to the end anyway */
		}
	}
}

/* Send @r and read its replies: genl_send() then genl_recv(). */
static inline int genl_do(struct genl_sock *s, struct genl_req *r, genl_cb cb,
			  void *arg, struct genl_ack *ack)
{
	int ret = genl_send(s, r);

	return ret ? ret : genl_recv(s, cb, arg, ack);
}

struct genl_family_arg {
	const char *mcgrp;
	uint16_t id;
	uint32_t grp;
};

static inline int genl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct genl_family_arg *f = arg;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g = NULL;
	const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];

	if (genl_parse_msg(nlh, tb, CTRL_ATTR_MAX) || !tb[CTRL_ATTR_FAMILY_ID])
		return 0;
	f->id = genl_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!f->mcgrp || !tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	while ((g = genl_nested_next(tb[CTRL_ATTR_MCAST_GROUPS], g))) {
		const char *name;

		if (genl_parse_nested(g, gtb, CTRL_ATTR_MCAST_GRP_MAX) ||
		    !gtb[CTRL_ATTR_MCAST_GRP_NAME] || !gtb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		name = genl_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]);
		if (name && !strcmp(name, f->mcgrp))
			f->grp = genl_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

/*
 * Open a socket and resolve @family (and its multicast group @mcgrp, which
 * may be NULL). Return: 0, or -errno (-ENOENT: no such family).
 */
static inline int genl_open(struct genl_sock *s, const char *family,
			    const char *mcgrp)
{
	struct genl_family_arg f = { .mcgrp = mcgrp };
	struct genl_req r;
	struct genl_ack ack;
	int one = 1, ret;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
		       sizeof(one))) {
		ret = -errno;
		goto err;
	}
	genl_req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	((struct genlmsghdr *)NLMSG_DATA(&r.nlh))->version = 2;
	genl_put_str(&r, CTRL_ATTR_FAMILY_NAME, family);
	ret = genl_do(s, &r, genl_family_cb, &f, &ack);
	if (!ret && ack.err)
		ret = -ack.err;
	if (!ret && !f.id)
		ret = -ENOENT;
	if (ret)
		goto err;
	s->family = f.id;
	s->mcgrp = f.grp;
	return 0;

err:
	close(s->fd);
	s->fd = -1;
	return ret;
}

static inline void genl_close(struct genl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/*
 * Call @cb for each message of @s's family and command @cmd that arrives
 * within @ms milliseconds (a multicast listener's), until @cb returns
 * non-zero. Return: what @cb returned, or 0 when the time ran out.
 */
static inline int genl_each_msg(struct genl_sock *s, uint8_t cmd, long ms,
				genl_cb cb, void *arg)
{
	struct timeval tv = { 0, 100000 };
	struct timespec now, end;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		int n;
		struct nlmsghdr *nlh;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec ||
		    (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return 0;
		n = recv(s->fd, s->rx, sizeof(s->rx), 0);
		if (n <= 0)
			continue;
		for (nlh = (struct nlmsghdr *)s->rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type != s->family || g->cmd != cmd)
				continue;
			ret = cb(nlh, arg);
			if (ret)
				return ret;
		}
	}
}

/* One reply message kept whole, for a test to look at. */
struct mt_reply {
	char buf[64 * 1024];
	int len;
};

/* A genl_cb that keeps the last reply message in the struct mt_reply @arg. */
static inline int mt_keep_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct mt_reply *r = arg;

	if (nlh->nlmsg_len > sizeof(r->buf))
		return 1;
	memcpy(r->buf, nlh, nlh->nlmsg_len);
	r->len = nlh->nlmsg_len;
	return 1;
}

#endif /* _MEMATTR_GENL_H */
