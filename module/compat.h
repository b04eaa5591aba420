/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compatibility shims for the kernels memattr supports (5.10 .. 6.12).
 *
 * Force-included into every object by Kbuild, so subsystem files never test
 * LINUX_VERSION_CODE themselves. Prefer feature tests (#ifndef SYMBOL) over
 * version tests; each shim names the upstream release that changed the API.
 */
#ifndef _MEMATTR_COMPAT_H
#define _MEMATTR_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "memattr needs Linux 5.10 or newer"
#endif

/*
 * 6.0 (9c5d03d36251 "genetlink: start to validate reserved header bytes")
 * added genl_family.resv_start_op; older kernels validate every op strictly.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
#define MEMATTR_GENL_RESV_START_OP(op)	.resv_start_op = (op),
#else
#define MEMATTR_GENL_RESV_START_OP(op)
#endif

#include <net/genetlink.h>

/*
 * 6.1 added GENL_REQ_ATTR_CHECK(), which also reports the missing
 * attribute's type in the extended ACK (NLMSGERR_ATTR_MISS_TYPE). Older
 * kernels only test for it.
 */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[(attr)])
#endif

/*
 * 6.6 ("genetlink: add genl_info_dump() helper") moved a dump's parsed
 * request attributes from genl_dumpit_info.attrs to
 * genl_dumpit_info.info.attrs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define memattr_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define memattr_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Multicast groups that only CAP_NET_ADMIN may join. 5.12 checks
 * GENL_UNS_ADMIN_PERM in genl_multicast_group.flags (the genl_bind() half
 * of 4d54cc32112d, "mptcp: avoid lock_fast usage in accept path"); 6.7
 * ("genetlink: Use internal flags for multicast groups") made that
 * GENL_MCAST_CAP_NET_ADMIN, and the December 2023 stable releases took the
 * check into older trees too (Debian's 6.1.192 has GENL_MCAST_CAP_*).
 * Without either, genetlink has no way to refuse a join (1e82a62fec61, 5.8,
 * removed genl_family.mcast_bind), so memattr then multicasts no events.
 */
#if defined(GENL_MCAST_CAP_NET_ADMIN)
#define MEMATTR_GENL_MCGRP_FLAGS	.flags = GENL_MCAST_CAP_NET_ADMIN,
#define MEMATTR_GENL_MCAST_PRIVATE	true
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
#define MEMATTR_GENL_MCGRP_FLAGS	.flags = GENL_UNS_ADMIN_PERM,
#define MEMATTR_GENL_MCAST_PRIVATE	true
#else
#define MEMATTR_GENL_MCGRP_FLAGS
#define MEMATTR_GENL_MCAST_PRIVATE	false
#endif

/*
 * Syscall entry symbols carry an architecture prefix (ARCH_HAS_SYSCALL_WRAPPER,
 * 4.17+): __x64_sys_brk, __arm64_sys_brk.
 */
#if defined(CONFIG_X86_64)
#define MEMATTR_SYSCALL_SYM(name)	"__x64_sys_" #name
#elif defined(CONFIG_ARM64)
#define MEMATTR_SYSCALL_SYM(name)	"__arm64_sys_" #name
#else
#define MEMATTR_SYSCALL_SYM(name)	"sys_" #name
#endif

/*
 * Per-node memory-cgroup statistics, as memory.stat shows them (folded in
 * from per-CPU deltas every 2 s). 6.1 keeps them in
 * mem_cgroup_per_node.lruvec_stats (5.12 .. 6.9; 5.10 has an atomic
 * lruvec_stat[] there instead). lruvec_page_state() and
 * mem_cgroup_lruvec() are not usable: their memcg-disabled branches name
 * node_page_state() and root_mem_cgroup, neither exported. Callers only
 * pass memcgs they found in the hierarchy, so memcg is enabled.
 */
#include <linux/memcontrol.h>

static inline unsigned long
memattr_memcg_node_page_state(struct mem_cgroup *memcg, int nid,
			      enum node_stat_item idx)
{
	long x = READ_ONCE(memcg->nodeinfo[nid]->lruvec_stats.state[idx]);

	return x < 0 ? 0 : x;
}

/*
 * oom:mark_victim took (int pid) until 6.8, which made it
 * (struct task_struct *, uid_t) to report the victim's uid; stable and
 * distribution kernels backport that (Debian's 6.1.192 has it), so Kbuild
 * probes the target's trace/events/oom.h and defines
 * MEMATTR_MARK_VICTIM_TASK rather than trusting the version.
 */
#ifdef MEMATTR_MARK_VICTIM_TASK
#define MEMATTR_MARK_VICTIM_ARGS	struct task_struct *task, uid_t uid
#define MEMATTR_MARK_VICTIM_TGID	(task->tgid)
#else
#define MEMATTR_MARK_VICTIM_ARGS	int pid
#define MEMATTR_MARK_VICTIM_TGID	memattr_tgid_of_pid(pid)
#endif

/*
 * 5.11 (d19ad0775dcd "ftrace: Have the callbacks receive a struct
 * ftrace_regs instead of pt_regs") changed ftrace_func_t's last argument.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
#define memattr_ftrace_regs	pt_regs
#else
#define memattr_ftrace_regs	ftrace_regs
#endif

#endif /* _MEMATTR_COMPAT_H */
