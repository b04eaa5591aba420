/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic netlink over libmnl: one request socket, family resolution,
 * request/reply with extended ACKs, and strict, pure attribute parsing.
 *
 * The parsers (nl_genl_parse(), nl_nested_parse(), nl_nested_walk(),
 * nl_family_parse(), nl_ack_parse()) only read the bytes they are given, so
 * they can be unit tested and fuzzed without a kernel. Their buffers must
 * be 4-byte aligned, as netlink messages are.
 */
#ifndef MEMATTR_NL_H
#define MEMATTR_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define NL_MCGRPS_MAX	8
#define NL_EXTACK_MAX	256

struct nl_mcgrp {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

/* What CTRL_CMD_GETFAMILY told about a family. */
struct nl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t hdrsize;
	uint32_t maxattr;
	uint32_t ops[256 / 32];		/* bitmap of the commands it has */
	unsigned int n_mcgrps;
	struct nl_mcgrp mcgrps[NL_MCGRPS_MAX];
};

/* A decoded NLMSG_ERROR or NLMSG_DONE. msg points into the buffer parsed. */
struct nl_ack {
	int error;		/* 0 or a negative errno */
	const char *msg;	/* extack message, or NULL */
	uint32_t offset;	/* extack offset of the bad attribute */
	bool has_offset;
};

struct nl_ctx {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	struct nl_family family;
	char *buf;
	size_t buf_size;
	/* the extack message of the last request (error or warning) */
	char extack[NL_EXTACK_MAX];
};

/* Called for each reply message of a request; return 0 or a negative errno. */
typedef int (*nl_msg_cb_t)(const struct nlmsghdr *nlh, void *data);
/* Called for each attribute of a nest; return 0 or a negative errno. */
typedef int (*nl_attr_cb_t)(const struct nlattr *attr, void *data);

/*
 * Open a NETLINK_GENERIC socket and resolve the family. Returns 0, -ENOENT
 * when the kernel has no such family, or another negative errno. On error
 * nothing is left to close.
 */
int nl_open(struct nl_ctx *nl, const char *family);
void nl_close(struct nl_ctx *nl);

/*
 * Start a request for the resolved family in nl's buffer: a netlink header
 * with NLM_F_REQUEST | flags and a fresh sequence number, and a genetlink
 * header for cmd. Append attributes with mnl_attr_put_*().
 */
struct nlmsghdr *nl_msg_start(struct nl_ctx *nl, uint8_t cmd, uint16_t flags);

/*
 * Send a request and read its replies until the ACK (NLM_F_ACK is added to
 * non-dump requests) or NLMSG_DONE, calling cb for each reply. Returns 0,
 * the kernel's negative errno, or cb's. nl->extack holds the kernel's
 * message, if any, on error and on success (a warning).
 */
int nl_request(struct nl_ctx *nl, struct nlmsghdr *nlh, nl_msg_cb_t cb,
	       void *data);

/* Whether the resolved family implements cmd. */
bool nl_family_has_op(const struct nl_family *family, uint8_t cmd);
/* Look up a multicast group of the family: 0 and *id, or -ENOENT. */
int nl_mcgrp_id(const struct nl_family *family, const char *name,
		uint32_t *id);

/*
 * Validate every attribute of a generic netlink message: buf must start with
 * one complete message (nlmsg_len <= len) whose genetlink command is cmd,
 * with well-formed attributes filling its payload exactly. Attributes are
 * checked with mnl_attr_validate() against policy[type], an array of
 * maxtype + 1 entries; types above maxtype or with MNL_TYPE_UNSPEC are
 * skipped, as a newer kernel may send attributes this tool does not know.
 * tb (maxtype + 1 entries) receives the last attribute of each known type.
 * Returns 0, -EBADMSG (malformed) or -ERANGE/-EINVAL (bad attribute).
 */
int nl_genl_parse(const void *buf, size_t len, uint8_t cmd,
		  const enum mnl_attr_data_type *policy, unsigned int maxtype,
		  const struct nlattr **tb);
/* The same for the payload of a nested attribute. */
int nl_nested_parse(const struct nlattr *nest,
		    const enum mnl_attr_data_type *policy,
		    unsigned int maxtype, const struct nlattr **tb);

/*
 * Call cb for each attribute inside nest, whatever its type (for nests used
 * as arrays). Returns 0, -EBADMSG when the nest is malformed, or cb's error.
 */
int nl_nested_walk(const struct nlattr *nest, nl_attr_cb_t cb, void *data);

/* Decode a CTRL_CMD_NEWFAMILY reply. Returns 0 or a negative errno. */
int nl_family_parse(const void *buf, size_t len, struct nl_family *family);
/* Decode an NLMSG_ERROR or NLMSG_DONE message. Returns 0 or -EBADMSG. */
int nl_ack_parse(const void *buf, size_t len, struct nl_ack *ack);

#endif /* MEMATTR_NL_H */
