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

#include <net/genetlink.h>
#include <linux/stddef.h>

/*
 * struct_group_tagged() came in 5.16 (50d7bd38c3aa "stddef: Introduce
 * struct_group() helper macro"); 5.10 stable took it as a backport
 * (Debian's 5.10.0-46 has it). A 5.10 without it gets the same union here.
 */
#ifndef struct_group_tagged
#define struct_group_tagged(TAG, NAME, MEMBERS...)	\
	union {						\
		struct { MEMBERS };			\
		struct TAG { MEMBERS } NAME;		\
	}
#endif

/*
 * 6.0 (9c5d03d36251 "genetlink: start to validate reserved header bytes")
 * added genl_family.resv_start_op: ops from it on refuse a request whose
 * genlmsghdr.reserved is not 0. Older kernels ignore that byte (Debian's
 * 5.10.262 does): refuse it in the family's pre_doit instead, so requests
 * are as strict as on newer kernels (dump requests still pass unchecked
 * there).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
#define MEMATTR_GENL_RESV_START_OP(op)	.resv_start_op = (op),
#else
static inline int memattr_genl_pre_doit_resv(const struct genl_ops *ops,
					     struct sk_buff *skb,
					     struct genl_info *info)
{
	if (info->genlhdr->reserved) {
		NL_SET_ERR_MSG(info->extack, "reserved header byte is not 0");
		return -EINVAL;
	}
	return 0;
}

#define MEMATTR_GENL_RESV_START_OP(op)	.pre_doit = memattr_genl_pre_doit_resv,
#endif

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
 * Multicast groups that only CAP_NET_ADMIN may join. 5.12 added
 * genl_multicast_group.flags, which genl_bind() checks for
 * GENL_UNS_ADMIN_PERM; 6.7 ("genetlink: Use internal flags for multicast
 * groups") made that GENL_MCAST_CAP_NET_ADMIN. The December 2023 stable
 * releases ("genetlink: add CAP_NET_ADMIN test for multicast bind") took
 * the check into older trees: Debian's 6.1.192 has GENL_MCAST_CAP_*, its
 * 5.10.262 the 5.12 flags and check. Kbuild probes the target's
 * net/genetlink.h for the flags member (MEMATTR_GENL_MCGRP_HAS_FLAGS)
 * rather than trusting the version. Without either, genetlink has no way
 * to refuse a join (1e82a62fec61, 5.8, removed genl_family.mcast_bind), so
 * memattr then multicasts no events.
 */
#if defined(GENL_MCAST_CAP_NET_ADMIN)
#define MEMATTR_GENL_MCGRP_FLAGS	.flags = GENL_MCAST_CAP_NET_ADMIN,
#define MEMATTR_GENL_MCAST_PRIVATE	true
#elif defined(MEMATTR_GENL_MCGRP_HAS_FLAGS)
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
 * Per-node memory-cgroup statistics, as memory.stat shows them: hierarchical
 * counts of pages (the items used here are in pages). None of the readers is
 * usable on every kernel: lruvec_page_state() and mem_cgroup_lruvec() are
 * inline up to 6.9 but their memcg-disabled branches name node_page_state()
 * and root_mem_cgroup, neither exported; from 6.10 lruvec_page_state() is
 * out of line in mm/memcontrol.c and not exported either. So read the
 * counter the way lruvec_page_state() of each release does. Callers only
 * pass memcgs they found in the hierarchy, so memcg is enabled.
 *
 * - 5.10 .. 5.12: atomic_long_t mem_cgroup_per_node.lruvec_stat[], updated
 *   from per-CPU batches (up to 32 pages per CPU behind).
 * - 5.13 (2d146aa3aa84 "mm: memcontrol: switch to rstat") .. 6.9: struct
 *   lruvec_stats lruvec_stats, state[] indexed by node_stat_item, folded in
 *   from per-CPU deltas by the rstat flush (every 2 s).
 * - 6.10 ("memcg: dynamically allocate lruvec_stats"): a pointer to it, the
 *   struct now private to mm/memcontrol.c, state[] its first member.
 * - 6.11 ("memcg: reduce memory size of mem_cgroup_per_node"): state[] only
 *   holds the items of memcg_node_stat_items[] (mm/memcontrol.c), in that
 *   order, at memcg_stats_index(item). The three items read here sit before
 *   the table's first #ifdef (6.12.118: NR_ANON_MAPPED 14, NR_FILE_PAGES 16,
 *   NR_SHMEM 19), where later releases only append.
 */
#include <linux/memcontrol.h>

/*
 * These layouts are private to mm/memcontrol.c from 6.10 on and may change
 * in any release: a kernel newer than the last one checked (6.12) must not
 * be read by guesswork. Check struct lruvec_stats and
 * memcg_node_stat_items[] of the new release, then raise the bound.
 *
 * The counters read here are folded in from per-CPU deltas by the kernel's
 * own periodic rstat flush (every 2 s; mem_cgroup_flush_stats() is not
 * exported), so they may be up to 2 s old: the sampler's per-process sums
 * come from the mm counters, which are current.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "memattr: memcg statistics layout unknown past 6.12; see compat.h"
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static inline int memattr_memcg_stats_index(enum node_stat_item idx)
{
	switch (idx) {
	case NR_ANON_MAPPED:
		return 14;
	case NR_FILE_PAGES:
		return 16;
	case NR_SHMEM:
		return 19;
	default:
		return -1;
	}
}
#else
static inline int memattr_memcg_stats_index(enum node_stat_item idx)
{
	return idx;
}
#endif

static inline unsigned long
memattr_memcg_node_page_state(struct mem_cgroup *memcg, int nid,
			      enum node_stat_item idx)
{
	struct mem_cgroup_per_node *pn = memcg->nodeinfo[nid];
	int i = memattr_memcg_stats_index(idx);
	long x;

	if (WARN_ON_ONCE(i < 0))
		return 0;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	/* struct lruvec_stats is opaque here; state[] is its first member. */
	x = READ_ONCE(((const long *)pn->lruvec_stats)[i]);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 13, 0)
	x = READ_ONCE(pn->lruvec_stats.state[i]);
#else
	x = atomic_long_read(&pn->lruvec_stat[i]);
#endif
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
#define MEMATTR_MARK_VICTIM_PID		(task->pid)
#else
#define MEMATTR_MARK_VICTIM_ARGS	int pid
#define MEMATTR_MARK_VICTIM_PID		(pid)
#endif

/*
 * Function entries (do_exit(), the mapping calls) are hooked through ftrace
 * (register_ftrace_function() with a filter) where a module can also free
 * that filter again: Debian's 5.10 does not export ftrace_free_filter(), so
 * there they keep kprobes.
 * Kbuild reads the target's Module.symvers rather than trusting a version,
 * as the export reached some stable trees.
 */
#if defined(CONFIG_DYNAMIC_FTRACE) && !defined(MEMATTR_NO_FTRACE_FREE_FILTER)
#define MEMATTR_ENTRY_FTRACE
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

/*
 * ftrace's recursion guard for a callback whose ops sets no
 * FTRACE_OPS_FL_RECURSION. 5.11 gave modules
 * ftrace_test_recursion_trylock() (linux/trace_recursion.h) and made such
 * an ops responsible for its own guard (FTRACE_OPS_FL_RECURSION_SAFE became
 * the opt-in FTRACE_OPS_FL_RECURSION); before it, ftrace wrapped an ops without
 * FTRACE_OPS_FL_RECURSION_SAFE in ftrace_ops_assist_func(), which guards
 * and disables preemption itself, so there is nothing to do.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
static inline int memattr_ftrace_recursion_trylock(unsigned long ip,
						   unsigned long parent_ip)
{
	return 0;
}

static inline void memattr_ftrace_recursion_unlock(int bit)
{
}
#else
#include <linux/trace_recursion.h>
#define memattr_ftrace_recursion_trylock(ip, pip) \
	ftrace_test_recursion_trylock(ip, pip)
#define memattr_ftrace_recursion_unlock(bit) \
	ftrace_test_recursion_unlock(bit)
#endif

/*
 * The UTS version ("#1 SMP ... Debian 6.1.192-3 (...)") of the kernel build
 * the module is compiled against, to compare with the running kernel's:
 * 6.1 ("kbuild: build init/built-in.a just once") moved it
 * from generated/compile.h to generated/utsversion.h, which Kbuild looks
 * for in the target tree (MEMATTR_HAS_UTSVERSION_H).
 */
#ifdef MEMATTR_HAS_UTSVERSION_H
#include <generated/utsversion.h>
#else
#include <generated/compile.h>
#endif
#define MEMATTR_UTS_VERSION	UTS_VERSION

/*
 * 5.14 (f39650de687e "kernel.h: split out panic and oops helpers") moved
 * panic_notifier_list from <linux/kernel.h> to <linux/panic_notifier.h>.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#include <linux/panic_notifier.h>
#endif

/*
 * The bits an arm64 user address keeps: those below the VA size of the
 * running kernel, so that pointer-authentication codes and tags go. With
 * 48-bit VA (Debian's 5.10 and 6.1) that is VA_BITS. With 52-bit VA
 * (Debian's 6.12) the running size may be 48 on a CPU without LPA2:
 * vabits_actual, which 6.12 reads off TCR_EL1 in an inline (5.10's is a
 * variable modules cannot link to).
 */
#ifdef CONFIG_ARM64
#include <asm/memory.h>
#if VA_BITS > 48
#define MEMATTR_ARM64_USER_VA_MASK	GENMASK_ULL(vabits_actual - 1, 0)
#else
#define MEMATTR_ARM64_USER_VA_MASK	GENMASK_ULL(VA_BITS - 1, 0)
#endif
#endif

#endif /* _MEMATTR_COMPAT_H */
