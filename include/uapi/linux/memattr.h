/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * memattr: per-process and per-memory-cgroup memory attribution.
 *
 * Generic netlink family MEMATTR_GENL_NAME ("memattr"), version
 * MEMATTR_GENL_VERSION. All sizes are in KiB unless an attribute's name says
 * otherwise; all counters are unsigned 64-bit.
 *
 * This header is shared by the kernel module and the memattr(8) CLI. New
 * commands and attributes are only ever appended; a client must skip
 * attributes it does not know.
 *
 * Commands
 * --------
 * MEMATTR_CMD_GET_STATS (doit)
 *	Takes no attribute. Replies with MEMATTR_CMD_GET_STATS carrying
 *	MEMATTR_A_STATS_* attributes: the module's own counters (tracked
 *	entities, hook hits and misses, memory it uses).
 *
 * Commands for processes, cgroups, leaks, OOM reports and configuration are
 * added by later versions of the module; a kernel that does not know a
 * command answers -EOPNOTSUPP.
 */
#ifndef _UAPI_LINUX_MEMATTR_H
#define _UAPI_LINUX_MEMATTR_H

#define MEMATTR_GENL_NAME	"memattr"
#define MEMATTR_GENL_VERSION	1
#define MEMATTR_GENL_MCGRP_EVENTS "events"

/* A leak detector's verdict on a process or cgroup. */
enum memattr_leak_state {
	MEMATTR_LEAK_OK,
	MEMATTR_LEAK_SUSPECT,
	MEMATTR_LEAK_LEAK,
};

/* What a LEAK or LEAK_CLEARED event is about. */
enum memattr_entity_kind {
	MEMATTR_ENTITY_PROCESS = 1,
	MEMATTR_ENTITY_CGROUP,
	MEMATTR_ENTITY_SYSTEM,
};

/* Events on the "events" multicast group (the command of the message). */
enum memattr_event_kind {
	MEMATTR_EV_LEAK = 1,
	MEMATTR_EV_LEAK_CLEARED,
	MEMATTR_EV_WATERMARK,
	MEMATTR_EV_OOM_KILL,
};

enum memattr_cmd {
	MEMATTR_CMD_UNSPEC,
	MEMATTR_CMD_GET_STATS,
	__MEMATTR_CMD_MAX,
};

#define MEMATTR_CMD_MAX (__MEMATTR_CMD_MAX - 1)

enum memattr_attr_stats {
	MEMATTR_A_STATS_UNSPEC,
	MEMATTR_A_STATS_PAD,
	MEMATTR_A_STATS_MODULE_VERSION,	/* string */
	MEMATTR_A_STATS_SAMPLE_MS,	/* u32 */
	MEMATTR_A_STATS_OWN_MEM_BYTES,	/* u64 */
	__MEMATTR_A_STATS_MAX,
};

#define MEMATTR_A_STATS_MAX (__MEMATTR_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_MEMATTR_H */
