// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink family "memattr": the stable interface. The commands, their
 * attributes and the privilege rules are documented in
 * include/uapi/linux/memattr.h.
 *
 * Every handler reads through the snapshot APIs (acct, oom), which copy
 * under their own locks; no handler holds a spinlock while it fills a
 * message. The family is not parallel_ops: genl_mutex serialises the
 * handlers, dump callbacks included.
 *
 * Process dumps walk the live table by pid of the requester's pid
 * namespace, like /proc's readdir, so nothing is held between two parts;
 * other dumps copy what they show in .start, only what the requester may
 * see, charged to it (GFP_KERNEL_ACCOUNT), walk the copy with a cursor in
 * .dumpit, one message per row, and free it in .done. The state, with the
 * requester's namespaces, lives in cb->args[0] (the ctx[] view of it is
 * 6.0+).
 */
#include <linux/bsearch.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/idr.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <uapi/linux/memattr.h>

#include "acct.h"
#include "events.h"
#include "hooks.h"
#include "klog.h"
#include "mem.h"
#include "netlink.h"
#include "oom.h"
#include "params.h"
#include "parse.h"
#include "profile.h"

/* Longest watermarks string: 8 levels of 2 digits, 7 commas, a newline. */
#define MEMATTR_NL_WATERMARKS_LEN	32

/* Index of the "events" group in memattr_genl_mcgrps[]. */
#define MEMATTR_NL_MCGRP_EVENTS		0

static struct genl_family memattr_genl_family;

static u64 memattr_nl_ms(u64 ns)
{
	return div_u64(ns, NSEC_PER_MSEC);
}

/* --- who is asking -------------------------------------------------------- */

/*
 * The requester, as its doit or its dump's .start saw it: a dump's later
 * parts may run in whoever calls recvmsg(), in other namespaces.
 */
struct memattr_nl_caller {
	bool admin;		/* CAP_NET_ADMIN in the initial user namespace */
	kuid_t euid;
	struct pid_namespace *pid_ns;	/* referenced: pids are read in it */
	/*
	 * The root of its cgroup namespace on the memory controller's
	 * hierarchy, as cgroupfs names it from the hierarchy's root: "/" shows
	 * every cgroup, "" none (the root was not found).
	 */
	char *cg_root;
	size_t cg_root_len;
};

/*
 * Find where the caller's cgroup namespace is rooted: the path of its own
 * memory cgroup from the hierarchy's root, less its path from the
 * namespace's root (init_cgroup_ns is not exported to compare with).
 * Context: the requester's own.
 */
static int memattr_nl_caller_cg_root(struct memattr_nl_caller *c)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	size_t len = MEMATTR_CGROUP_PATH_MAX;
	struct mem_cgroup *memcg;
	size_t alen, rlen;
	char *rel;
	int ret;

	c->cg_root = kmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!c->cg_root)
		return -ENOMEM;
	rel = kmalloc(len, GFP_KERNEL);
	memcg = get_mem_cgroup_from_mm(current->mm);
	c->cg_root_len = 0;		/* none, unless found below */
	c->cg_root[0] = '\0';
	if (!rel || !memcg)
		goto out;
	ret = cgroup_path(memcg->css.cgroup, c->cg_root, len);
	if (ret < 0 || ret >= (int)len)
		goto out;
	ret = cgroup_path_ns(memcg->css.cgroup, rel, len, ns);
	if (ret < 0 || ret >= (int)len || !strncmp(rel, "/..", 3))
		goto out;
	alen = strlen(c->cg_root);
	rlen = strcmp(rel, "/") ? strlen(rel) : 0;
	if (alen < rlen || (rlen && strcmp(c->cg_root + alen - rlen, rel)))
		goto out;
	c->cg_root_len = alen - rlen;
	c->cg_root[c->cg_root_len] = '\0';
	if (!c->cg_root_len) {		/* rooted at the hierarchy's root */
		strscpy(c->cg_root, "/", len);
		c->cg_root_len = 1;
	}
out:
	if (memcg)
		mem_cgroup_put(memcg);
	kfree(rel);
	return 0;
}

/*
 * Context: the requester's own, i.e. a doit or a dump's .start. Undo with
 * memattr_nl_caller_put().
 */
static int memattr_nl_caller_get(struct memattr_nl_caller *c,
				 const struct sk_buff *skb)
{
	c->admin = netlink_capable(skb, CAP_NET_ADMIN);
	c->euid = current_euid();
	c->pid_ns = get_pid_ns(task_active_pid_ns(current));
	if (memattr_nl_caller_cg_root(c)) {
		put_pid_ns(c->pid_ns);
		c->pid_ns = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void memattr_nl_caller_put(struct memattr_nl_caller *c)
{
	if (c->pid_ns)
		put_pid_ns(c->pid_ns);
	c->pid_ns = NULL;
	kfree(c->cg_root);
	c->cg_root = NULL;
}

/* Does @c see every cgroup, with the paths as they are? */
static bool memattr_nl_cg_all(const struct memattr_nl_caller *c)
{
	return c->cg_root_len == 1;
}

/*
 * The path of cgroup @path (from the hierarchy's root) as @c names it, from
 * the root of its cgroup namespace. Return: a pointer into @path or a
 * constant, or NULL when the cgroup is outside that namespace.
 */
static const char *memattr_nl_cg_path(const struct memattr_nl_caller *c,
				      const char *path)
{
	size_t len = c->cg_root_len;

	if (!len)
		return NULL;
	if (memattr_nl_cg_all(c))
		return path;
	if (strncmp(path, c->cg_root, len))
		return NULL;
	if (!path[len])
		return "/";
	return path[len] == '/' ? path + len : NULL;
}

/* For memattr_acct_copy_cgroups(): the cgroups @arg (a caller) may see. */
static bool memattr_nl_cg_keep(const struct memattr_cgroup_row *r, void *arg)
{
	return memattr_nl_cg_path(arg, r->path);
}

/*
 * A copy of the cgroups @c may see, their paths as @c names them, charged
 * to the caller. Return: 0 or -ENOMEM.
 */
static int memattr_nl_cgroups_copy(const struct memattr_nl_caller *c,
				   struct memattr_cgroup_row **rows, u32 *nr)
{
	const char *rel;
	u32 i;
	int ret;

	ret = memattr_acct_copy_cgroups(memattr_nl_cg_keep, (void *)c,
					GFP_KERNEL_ACCOUNT, rows, nr);
	if (ret)
		return ret;
	for (i = 0; i < *nr; i++) {
		rel = memattr_nl_cg_path(c, (*rows)[i].path);
		if (rel && rel != (*rows)[i].path)
			memmove((*rows)[i].path, rel, strlen(rel) + 1);
	}
	return 0;
}

/*
 * May @c see task @t? An unprivileged caller sees only processes whose
 * real, effective and saved uids are all its effective uid. Context: RCU.
 */
static bool memattr_nl_task_visible(const struct memattr_nl_caller *c,
				    struct task_struct *t)
{
	const struct cred *cred;

	if (c->admin)
		return true;
	cred = __task_cred(t);
	return uid_eq(cred->uid, c->euid) && uid_eq(cred->euid, c->euid) &&
	       uid_eq(cred->suid, c->euid);
}

/* A live process as @c sees it. */
struct memattr_nl_pid {
	pid_t nr;		/* its pid in the caller's pid namespace */
	pid_t tgid;		/* in the initial one: the table's key */
	u64 start_ns;
};

/*
 * Process @nr of the caller's pid namespace, if @c may see it. Context:
 * RCU. Return: true when @p was filled.
 */
static bool memattr_nl_pid_lookup(const struct memattr_nl_caller *c,
				  struct pid *pid, pid_t nr,
				  struct memattr_nl_pid *p)
{
	struct task_struct *t = pid_task(pid, PIDTYPE_TGID);

	if (!t || !memattr_nl_task_visible(c, t))
		return false;
	p->nr = nr;
	p->tgid = pid_nr(pid);
	p->start_ns = t->start_time;
	return true;
}

/*
 * The first process at or after pid *@nr of the caller's namespace that @c
 * may see, like /proc's readdir; looks at most @budget pids.
 * Return: true when @p was filled; else *@nr is where to go on from, or -1
 * at the end of the namespace.
 */
static bool memattr_nl_pid_next(const struct memattr_nl_caller *c, int *nr,
				struct memattr_nl_pid *p, unsigned int budget)
{
	bool found = false;
	struct pid *pid;

	rcu_read_lock();
	while (budget--) {
		/* find_ge_pid(), which 5.10 does not export. */
		pid = idr_get_next(&c->pid_ns->idr, nr);
		if (!pid) {
			*nr = -1;
			break;
		}
		if (memattr_nl_pid_lookup(c, pid, *nr, p)) {
			found = true;
			break;
		}
		++*nr;
	}
	rcu_read_unlock();
	return found;
}

/*
 * The tracked process @p, if it is still the process @p names. Return: 0
 * or -ENOENT.
 */
static int memattr_nl_proc_get(const struct memattr_nl_pid *p,
			       struct memattr_proc_row *row)
{
	if (memattr_acct_proc_get(p->tgid, row) || row->start_ns != p->start_ns)
		return -ENOENT;
	return 0;
}

/* --- policies ------------------------------------------------------------- */

/*
 * For the commands that take no attribute (GET_STATS, GET_SYSTEM,
 * GET_LEAKS, GET_OOM, GET_CONFIG): type 1 is rejected here, any other type
 * as unknown. A policy with maxattr 0 would not be parsed at all.
 */
static const struct nla_policy memattr_nl_no_attr_policy[2] = {
	[1] = { .type = NLA_REJECT, .reject_message = "command takes no attribute" },
};

/* Ranges wider than s16 need a range object; the policies point at them. */
static struct netlink_range_validation memattr_nl_pid_range __ro_after_init = {
	.min = 1,
	.max = PID_MAX_LIMIT,
};

static const struct nla_policy memattr_nl_get_proc_policy[MEMATTR_A_PROC_PID + 1] = {
	[MEMATTR_A_PROC_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &memattr_nl_pid_range),
};

static const struct nla_policy memattr_nl_get_cgroup_policy[MEMATTR_A_CGROUP_PATH + 1] = {
	[MEMATTR_A_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[MEMATTR_A_CGROUP_PATH] = { .type = NLA_NUL_STRING,
				    .len = MEMATTR_CGROUP_PATH_MAX - 1 },
};

static struct netlink_range_validation memattr_nl_every_range __ro_after_init = {
	.min = 1,
	.max = 65536,
};

/* PROFILE_START. */
static const struct nla_policy memattr_nl_prof_start_policy[MEMATTR_A_PROFILE_SAMPLE_EVERY + 1] = {
	[MEMATTR_A_PROFILE_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &memattr_nl_pid_range),
	[MEMATTR_A_PROFILE_SAMPLE_EVERY] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &memattr_nl_every_range),
};

/* PROFILE_STOP, GET_PROFILE. */
static const struct nla_policy memattr_nl_profile_pid_policy[MEMATTR_A_PROFILE_PID + 1] = {
	[MEMATTR_A_PROFILE_PID] = NLA_POLICY_FULL_RANGE(NLA_U32, &memattr_nl_pid_range),
};

/*
 * SET_CONFIG: the module parameters' ranges, as constants (params.h);
 * memattr_netlink_init() checks them against memattr_params_range().
 */
static struct netlink_range_validation memattr_nl_config_range[MEMATTR_PARAM_NR] __ro_after_init = {
	[MEMATTR_PARAM_SAMPLE_MS] = {
		.min = MEMATTR_SAMPLE_MS_MIN, .max = MEMATTR_SAMPLE_MS_MAX,
	},
	[MEMATTR_PARAM_MAX_PROCS] = {
		.min = MEMATTR_MAX_PROCS_MIN, .max = MEMATTR_MAX_PROCS_MAX,
	},
	[MEMATTR_PARAM_LEAK_WINDOW_S] = {
		.min = MEMATTR_LEAK_WINDOW_S_MIN, .max = MEMATTR_LEAK_WINDOW_S_MAX,
	},
	[MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR] = {
		.min = MEMATTR_LEAK_MIN_KBH_MIN, .max = MEMATTR_LEAK_MIN_KBH_MAX,
	},
	[MEMATTR_PARAM_LOG_EVENTS] = {
		.min = MEMATTR_LOG_EVENTS_MIN, .max = MEMATTR_LOG_EVENTS_MAX,
	},
	/* A module parameter only: no attribute of SET_CONFIG yet. */
	[MEMATTR_PARAM_PANIC_REPORT] = {
		.min = MEMATTR_PANIC_REPORT_MIN, .max = MEMATTR_PANIC_REPORT_MAX,
	},
};

static const struct nla_policy memattr_nl_set_config_policy[MEMATTR_A_CONFIG_MAX + 1] = {
	[MEMATTR_A_CONFIG_SAMPLE_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &memattr_nl_config_range[MEMATTR_PARAM_SAMPLE_MS]),
	[MEMATTR_A_CONFIG_MAX_PROCS] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &memattr_nl_config_range[MEMATTR_PARAM_MAX_PROCS]),
	[MEMATTR_A_CONFIG_LEAK_WINDOW_S] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &memattr_nl_config_range[MEMATTR_PARAM_LEAK_WINDOW_S]),
	[MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &memattr_nl_config_range[MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR]),
	[MEMATTR_A_CONFIG_WATERMARKS] = { .type = NLA_NUL_STRING,
					  .len = MEMATTR_NL_WATERMARKS_LEN - 1 },
	[MEMATTR_A_CONFIG_LOG_EVENTS] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &memattr_nl_config_range[MEMATTR_PARAM_LOG_EVENTS]),
};

/* The u32 knobs of GET_CONFIG and SET_CONFIG. */
static const struct {
	u16 attr;
	enum memattr_param_id id;
} memattr_nl_config_u32[] = {
	{ MEMATTR_A_CONFIG_SAMPLE_MS, MEMATTR_PARAM_SAMPLE_MS },
	{ MEMATTR_A_CONFIG_MAX_PROCS, MEMATTR_PARAM_MAX_PROCS },
	{ MEMATTR_A_CONFIG_LEAK_WINDOW_S, MEMATTR_PARAM_LEAK_WINDOW_S },
	{ MEMATTR_A_CONFIG_LEAK_MIN_KB_PER_HOUR,
	  MEMATTR_PARAM_LEAK_MIN_KB_PER_HOUR },
	{ MEMATTR_A_CONFIG_LOG_EVENTS, MEMATTR_PARAM_LOG_EVENTS },
};

/* --- building blocks ------------------------------------------------------ */

static int memattr_nl_cgroup_cmp(const void *key, const void *elt)
{
	u64 id = *(const u64 *)key;
	const struct memattr_cgroup_row *r = elt;

	return id < r->id ? -1 : id > r->id;
}

/* The row of cgroup @id in a snapshot sorted by id, or NULL. */
static const struct memattr_cgroup_row *
memattr_nl_cgroup_find(const struct memattr_cgroup_row *cgs, u32 nr, u64 id)
{
	if (!id || !cgs)
		return NULL;
	return bsearch(&id, cgs, nr, sizeof(*cgs), memattr_nl_cgroup_cmp);
}

/* A list of history points in attribute @type. */
static int memattr_nl_put_points(struct sk_buff *msg, int type,
				 const struct memattr_hist_point *pts, u32 nr)
{
	struct nlattr *list, *item;
	u32 i;

	list = nla_nest_start(msg, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < nr; i++) {
		item = nla_nest_start(msg, MEMATTR_A_LIST_ITEM);
		if (!item ||
		    nla_put_u64_64bit(msg, MEMATTR_A_POINT_T_MS, pts[i].t_ms,
				      MEMATTR_A_POINT_PAD) ||
		    nla_put_u32(msg, MEMATTR_A_POINT_KB, pts[i].kb))
			goto err;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;

err:
	nla_nest_cancel(msg, list);
	return -EMSGSIZE;
}

/* A list of OOM top growers in attribute @type. */
static int memattr_nl_put_growers(struct sk_buff *msg, int type,
				  const struct memattr_oom_grower *g, u32 nr)
{
	struct nlattr *list, *item;
	u32 i;

	list = nla_nest_start(msg, type);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < min_t(u32, nr, MEMATTR_OOM_TOP); i++) {
		item = nla_nest_start(msg, MEMATTR_A_LIST_ITEM);
		if (!item ||
		    nla_put_u32(msg, MEMATTR_A_GROWER_PID, g[i].pid) ||
		    nla_put_string(msg, MEMATTR_A_GROWER_COMM, g[i].comm) ||
		    nla_put_s64(msg, MEMATTR_A_GROWER_GROWTH_KB_PER_HOUR,
				g[i].growth_kb_per_hour, MEMATTR_A_GROWER_PAD) ||
		    nla_put_u64_64bit(msg, MEMATTR_A_GROWER_RSS_KB, g[i].rss_kb,
				      MEMATTR_A_GROWER_PAD))
			goto err;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;

err:
	nla_nest_cancel(msg, list);
	return -EMSGSIZE;
}

/* A doit's reply: one message of @cmd, filled by @fill. */
static int memattr_nl_reply(struct genl_info *info, u8 cmd, size_t size,
			    int (*fill)(struct sk_buff *msg, const void *arg),
			    const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &memattr_genl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* --- dumps ---------------------------------------------------------------- */

/*
 * A dump in progress. Processes are walked live, by pid of the requester's
 * pid namespace, like /proc's readdir: nothing of the process table is
 * held between two parts. What is copied (the cgroups the requester may
 * see, OOM reports) is charged to the requester.
 */
struct memattr_nl_dump {
	struct memattr_nl_caller caller;
	int next_pid;			/* of the caller's namespace; -1: done */
	void *rows;			/* a copy of the rows to send, or NULL */
	u32 nr;
	size_t row_size;
	u32 pos;			/* next row to send */
	bool checked;			/* request attributes checked */
	struct memattr_cgroup_row *cgs;	/* the caller's cgroups, by id */
	u32 nr_cgs;
};

static struct memattr_nl_dump *memattr_nl_dump_state(struct netlink_callback *cb)
{
	return (struct memattr_nl_dump *)cb->args[0];
}

static int memattr_nl_dump_done(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);

	if (st) {
		if (st->rows != st->cgs)
			kvfree(st->rows);
		kvfree(st->cgs);
		memattr_nl_caller_put(&st->caller);
		kfree(st);
		cb->args[0] = 0;
	}
	return 0;
}

/*
 * A dump's state, with its requester. Context: .start.
 * Return: the state, or NULL (-ENOMEM).
 */
static struct memattr_nl_dump *memattr_nl_dump_new(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);

	if (!st)
		return NULL;
	if (memattr_nl_caller_get(&st->caller, cb->skb)) {
		kfree(st);
		return NULL;
	}
	cb->args[0] = (long)st;
	/*
	 * Every row is consistent in itself, and a walk shows each process
	 * at most once: there is no reason to ever set NLM_F_DUMP_INTR.
	 */
	cb->seq = 1;
	return st;
}

/* A new message of @cmd in a dump's @skb, or NULL when it is full. */
static void *memattr_nl_dump_hdr(struct sk_buff *skb,
				 struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &memattr_genl_family,
				NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * Send rows of the copy from the cursor on, one message of @cmd each,
 * filled by @put, skipping those @skip says, until the skb is full.
 * Return: skb->len (0: the dump is complete), or a negative errno.
 */
static int memattr_nl_dump_rows(struct sk_buff *skb, struct netlink_callback *cb,
				u8 cmd,
				bool (*skip)(const void *row),
				int (*put)(struct sk_buff *msg,
					   const struct memattr_nl_dump *st,
					   const void *row))
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);
	const void *row;
	void *hdr;

	for (; st->pos < st->nr; st->pos++) {
		row = st->rows + st->pos * st->row_size;
		if (skip && skip(row))
			continue;
		hdr = memattr_nl_dump_hdr(skb, cb, cmd);
		if (!hdr)
			break;
		if (put(skb, st, row)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	if (st->pos < st->nr && !skb->len)
		return -EMSGSIZE;	/* one row larger than a whole skb */
	return skb->len;
}

/* Pids looked at under one RCU read-side section. */
#define MEMATTR_NL_PID_BUDGET	1024

/*
 * Send the tracked processes the requester may see, from the pid cursor
 * on, one message of @cmd each, filled by @put, skipping those @skip says,
 * until the skb is full. Return: skb->len, or a negative errno.
 */
static int memattr_nl_dump_procs(struct sk_buff *skb,
				 struct netlink_callback *cb, u8 cmd,
				 bool (*skip)(const struct memattr_proc_row *row),
				 int (*put)(struct sk_buff *msg,
					    const struct memattr_nl_dump *st,
					    const struct memattr_nl_pid *p,
					    const struct memattr_proc_row *row))
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);
	struct memattr_proc_row row;
	struct memattr_nl_pid p;
	void *hdr;

	while (st->next_pid >= 0) {
		if (!memattr_nl_pid_next(&st->caller, &st->next_pid, &p,
					 MEMATTR_NL_PID_BUDGET)) {
			cond_resched();
			continue;
		}
		if (memattr_nl_proc_get(&p, &row) || (skip && skip(&row))) {
			st->next_pid = p.nr + 1;
			continue;
		}
		hdr = memattr_nl_dump_hdr(skb, cb, cmd);
		if (!hdr)
			break;
		if (put(skb, st, &p, &row)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		st->next_pid = p.nr + 1;
	}
	if (st->next_pid >= 0 && !skb->len)
		return -EMSGSIZE;	/* one row larger than a whole skb */
	return skb->len;
}

/*
 * A dump takes no attribute, but shares its policy with the doit: refuse
 * the doit's attributes here. Only .dumpit has an extack to say why.
 */
static int memattr_nl_dump_no_attrs(struct netlink_callback *cb,
				    unsigned int maxattr)
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);
	struct nlattr **attrs = memattr_genl_dump_attrs(cb);
	unsigned int i;

	if (st->checked)
		return 0;
	st->checked = true;
	for (i = 1; attrs && i <= maxattr; i++) {
		if (attrs[i]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[i],
					    "not accepted in a dump");
			return -EINVAL;
		}
	}
	return 0;
}

/* --- GET_STATS ------------------------------------------------------------ */

static int memattr_nl_put_hooks(struct sk_buff *msg)
{
	struct memattr_hook_info h;
	struct nlattr *list, *item;
	unsigned int i;

	list = nla_nest_start(msg, MEMATTR_A_STATS_HOOKS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < MEMATTR_HOOK_NR; i++) {
		memattr_hooks_info(i, &h);
		item = nla_nest_start(msg, MEMATTR_A_LIST_ITEM);
		if (!item ||
		    nla_put_string(msg, MEMATTR_A_HOOK_NAME, h.name ?: "?") ||
		    nla_put_string(msg, MEMATTR_A_HOOK_KIND, h.kind ?: "?") ||
		    (h.target &&
		     nla_put_string(msg, MEMATTR_A_HOOK_TARGET, h.target)) ||
		    nla_put_u64_64bit(msg, MEMATTR_A_HOOK_HITS, h.hits,
				      MEMATTR_A_HOOK_PAD) ||
		    nla_put_u64_64bit(msg, MEMATTR_A_HOOK_MISSES, h.misses,
				      MEMATTR_A_HOOK_PAD))
			goto err;
		nla_nest_end(msg, item);
	}
	nla_nest_end(msg, list);
	return 0;

err:
	nla_nest_cancel(msg, list);
	return -EMSGSIZE;
}

static int memattr_nl_fill_stats(struct sk_buff *msg, const void *arg)
{
	const struct memattr_acct_stats *st = arg;
	u64 profile_bytes;
	u32 nr_profiles;

	if (nla_put_string(msg, MEMATTR_A_STATS_MODULE_VERSION,
			   THIS_MODULE->version ?: "none") ||
	    nla_put_u32(msg, MEMATTR_A_STATS_SAMPLE_MS,
			memattr_params_sample_ms()) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_OWN_MEM_BYTES,
			      memattr_mem_bytes(), MEMATTR_A_STATS_PAD) ||
	    nla_put_u32(msg, MEMATTR_A_STATS_TRACKED_PROCS, st->nr_procs) ||
	    nla_put_u32(msg, MEMATTR_A_STATS_MAX_PROCS, st->max_procs) ||
	    nla_put_u32(msg, MEMATTR_A_STATS_TRACKED_CGROUPS, st->nr_cgroups) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_PROCS_CREATED,
			      st->procs_created, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_PROCS_REMOVED,
			      st->procs_removed, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_PROCS_DROPPED,
			      st->procs_dropped, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_PROCS_REAPED,
			      st->procs_reaped, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_EXITED_TOTAL,
			      st->exited_total, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_SAMPLES, st->samples,
			      MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_SAMPLE_LAST_NS,
			      st->sample_last_ns, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_SAMPLE_MAX_NS,
			      st->sample_max_ns, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_IRQ_PAGES, st->irq_pages,
			      MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_KTHREAD_PAGES,
			      st->kthread_pages, MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_UNTRACKED_PAGES,
			      st->untracked_pages, MEMATTR_A_STATS_PAD) ||
	    memattr_nl_put_hooks(msg) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_KLOG_LINES,
			      memattr_klog_lines(), MEMATTR_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_KLOG_SUPPRESSED,
			      memattr_klog_suppressed(), MEMATTR_A_STATS_PAD))
		return -EMSGSIZE;
	memattr_profile_stats(&nr_profiles, &profile_bytes);
	if (nla_put_u32(msg, MEMATTR_A_STATS_PROFILES, nr_profiles) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STATS_PROFILE_MEM_BYTES,
			      profile_bytes, MEMATTR_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct memattr_acct_stats st;

	memattr_acct_get_stats(&st);
	return memattr_nl_reply(info, MEMATTR_CMD_GET_STATS, NLMSG_GOODSIZE,
				memattr_nl_fill_stats, &st);
}

/* --- GET_SYSTEM ----------------------------------------------------------- */

static int memattr_nl_fill_system(struct sk_buff *msg, const void *arg)
{
	const struct memattr_system_row *s = arg;

	if (nla_put_u64_64bit(msg, MEMATTR_A_SYSTEM_MEM_TOTAL_KB,
			      s->mem_total_kb, MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_SYSTEM_MEM_FREE_KB,
			      s->mem_free_kb, MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_SYSTEM_MEM_AVAILABLE_KB,
			      s->mem_available_kb, MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_u32(msg, MEMATTR_A_SYSTEM_USED_PCT, s->used_pct) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_SYSTEM_SAMPLED_MS,
			      memattr_nl_ms(s->sampled_ns),
			      MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_SYSTEM_GROWTH_KB_PER_HOUR,
			s->growth_kb_per_hour, MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_SYSTEM_EXHAUST_S, s->exhaust_s,
			MEMATTR_A_SYSTEM_PAD) ||
	    nla_put_u8(msg, MEMATTR_A_SYSTEM_WATERMARK_LEVEL,
		       s->watermark_level))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_get_system(struct sk_buff *skb, struct genl_info *info)
{
	struct memattr_system_row sys;

	memattr_acct_system(&sys);
	return memattr_nl_reply(info, MEMATTR_CMD_GET_SYSTEM, NLMSG_GOODSIZE,
				memattr_nl_fill_system, &sys);
}

/* --- GET_PROC ------------------------------------------------------------- */

/*
 * Process @r, pid @nr in @c's pid namespace; its cgroup from @cgs, the
 * cgroups @c may see.
 */
static int memattr_nl_put_proc(struct sk_buff *msg,
			       const struct memattr_nl_caller *c, pid_t nr,
			       const struct memattr_proc_row *r,
			       const struct memattr_cgroup_row *cgs, u32 nr_cgs)
{
	const struct memattr_cgroup_row *cg;

	if (nla_put_u32(msg, MEMATTR_A_PROC_PID, nr) ||
	    nla_put_string(msg, MEMATTR_A_PROC_COMM, r->comm) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_START_MS,
			      memattr_nl_ms(r->start_ns), MEMATTR_A_PROC_PAD))
		return -EMSGSIZE;
	cg = memattr_nl_cgroup_find(cgs, nr_cgs, r->cgroup_id);
	if (r->cgroup_id && (cg || memattr_nl_cg_all(c)) &&
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_CGROUP_ID, r->cgroup_id,
			      MEMATTR_A_PROC_PAD))
		return -EMSGSIZE;
	if (cg && nla_put_string(msg, MEMATTR_A_PROC_CGROUP_PATH, cg->path))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, MEMATTR_A_PROC_RSS_KB, r->fp.rss_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_ANON_KB, r->fp.anon_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_FILE_KB, r->fp.file_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_SHMEM_KB, r->fp.shmem_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_SWAP_KB, r->fp.swap_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_PEAK_RSS_KB,
			      r->fp.peak_rss_kb, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_VM_KB, r->fp.vm_kb,
			      MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_PGTABLES_KB,
			      r->fp.pgtables_kb, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_PAGE_ALLOCS,
			      r->act.page_allocs, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_PAGE_FREES,
			      r->act.page_frees, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_MMAP_CALLS,
			      r->act.mmap_calls, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_MUNMAP_CALLS,
			      r->act.munmap_calls, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_BRK_CALLS,
			      r->act.brk_calls, MEMATTR_A_PROC_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_MREMAP_CALLS,
			      r->act.mremap_calls, MEMATTR_A_PROC_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_PROC_MAPPED_BYTES, r->act.mapped_bytes,
			MEMATTR_A_PROC_PAD) ||
	    nla_put_u8(msg, MEMATTR_A_PROC_LEAK_STATE, r->leak.state) ||
	    nla_put_s64(msg, MEMATTR_A_PROC_GROWTH_KB_PER_HOUR,
			r->leak.growth_kb_per_hour, MEMATTR_A_PROC_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_PROC_EXHAUST_S, r->exhaust_s,
			MEMATTR_A_PROC_PAD))
		return -EMSGSIZE;
	if (r->leak.since_ns &&
	    nla_put_u64_64bit(msg, MEMATTR_A_PROC_LEAK_SINCE_MS,
			      memattr_nl_ms(r->leak.since_ns), MEMATTR_A_PROC_PAD))
		return -EMSGSIZE;
	return 0;
}

/* One process and its history, for GET_PROC's doit. */
struct memattr_nl_proc_reply {
	const struct memattr_nl_caller *caller;
	pid_t nr;
	const struct memattr_proc_row *row;
	const struct memattr_hist_point *pts;
	u32 nr_pts;
	const struct memattr_cgroup_row *cgs;
	u32 nr_cgs;
};

static int memattr_nl_fill_proc(struct sk_buff *msg, const void *arg)
{
	const struct memattr_nl_proc_reply *p = arg;

	if (memattr_nl_put_proc(msg, p->caller, p->nr, p->row, p->cgs,
				p->nr_cgs) ||
	    memattr_nl_put_points(msg, MEMATTR_A_PROC_HISTORY, p->pts,
				  p->nr_pts))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_get_proc(struct sk_buff *skb, struct genl_info *info)
{
	struct memattr_nl_proc_reply reply = {};
	struct memattr_cgroup_row *cgs = NULL;
	struct memattr_hist_point *pts = NULL;
	struct memattr_nl_caller caller;
	struct memattr_proc_row row;
	struct memattr_nl_pid p;
	struct nlattr *attr;
	struct pid *pid;
	bool found;
	u32 nr_pts = 0;
	size_t size;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MEMATTR_A_PROC_PID)) {
		NL_SET_ERR_MSG(info->extack, "pid is required");
		return -EINVAL;
	}
	attr = info->attrs[MEMATTR_A_PROC_PID];
	ret = memattr_nl_caller_get(&caller, skb);
	if (ret)
		return ret;
	/* The pid is one of the caller's pid namespace. */
	rcu_read_lock();
	pid = find_pid_ns(nla_get_u32(attr), caller.pid_ns);
	found = pid && memattr_nl_pid_lookup(&caller, pid, nla_get_u32(attr), &p);
	rcu_read_unlock();
	if (!found || memattr_nl_proc_get(&p, &row)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such process");
		ret = -ENOENT;
		goto out;
	}
	ret = memattr_acct_proc_history(p.tgid, &pts, &nr_pts);
	if (ret == -ENOENT)	/* it exited meanwhile: no history */
		nr_pts = 0;
	else if (ret)
		goto out;
	ret = memattr_nl_cgroups_copy(&caller, &cgs, &reply.nr_cgs);
	if (ret)
		goto out;
	reply.caller = &caller;
	reply.nr = p.nr;
	reply.row = &row;
	reply.pts = pts;
	reply.nr_pts = nr_pts;
	reply.cgs = cgs;
	size = NLMSG_GOODSIZE + (size_t)nr_pts *
		(nla_total_size(0) + nla_total_size_64bit(sizeof(u64)) +
		 nla_total_size(sizeof(u32)));
	ret = memattr_nl_reply(info, MEMATTR_CMD_GET_PROC, size,
			       memattr_nl_fill_proc, &reply);
out:
	kvfree(pts);
	kvfree(cgs);
	memattr_nl_caller_put(&caller);
	return ret;
}

static int memattr_nl_get_proc_start(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st;
	int ret;

	st = memattr_nl_dump_new(cb);
	if (!st)
		return -ENOMEM;
	st->next_pid = 1;
	ret = memattr_nl_cgroups_copy(&st->caller, &st->cgs, &st->nr_cgs);
	if (ret)	/* .done is not called when .start fails */
		memattr_nl_dump_done(cb);
	return ret;
}

static int memattr_nl_put_proc_row(struct sk_buff *msg,
				   const struct memattr_nl_dump *st,
				   const struct memattr_nl_pid *p,
				   const struct memattr_proc_row *row)
{
	return memattr_nl_put_proc(msg, &st->caller, p->nr, row, st->cgs,
				   st->nr_cgs);
}

static int memattr_nl_get_proc_dumpit(struct sk_buff *skb,
				      struct netlink_callback *cb)
{
	int ret = memattr_nl_dump_no_attrs(cb, MEMATTR_A_PROC_PID);

	if (ret)
		return ret;
	return memattr_nl_dump_procs(skb, cb, MEMATTR_CMD_GET_PROC, NULL,
				     memattr_nl_put_proc_row);
}

/* --- GET_CGROUP ----------------------------------------------------------- */

static int memattr_nl_put_cgroup(struct sk_buff *msg,
				 const struct memattr_cgroup_row *r)
{
	if (nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_ID, r->id,
			      MEMATTR_A_CGROUP_PAD) ||
	    nla_put_string(msg, MEMATTR_A_CGROUP_PATH, r->path) ||
	    nla_put_u32(msg, MEMATTR_A_CGROUP_NR_PROCS, r->nr_procs) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_USAGE_KB, r->usage_kb,
			      MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_ANON_KB, r->anon_kb,
			      MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_FILE_KB, r->file_kb,
			      MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_SHMEM_KB, r->shmem_kb,
			      MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_KERNEL_KB, r->kernel_kb,
			      MEMATTR_A_CGROUP_PAD))
		return -EMSGSIZE;
	if (r->limit_kb != U64_MAX &&
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_LIMIT_KB, r->limit_kb,
			      MEMATTR_A_CGROUP_PAD))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_RSS_KB,
			      r->procs.rss_kb, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_ANON_KB,
			      r->procs.anon_kb, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_SHMEM_KB,
			      r->procs.shmem_kb, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_SWAP_KB,
			      r->procs.swap_kb, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_PAGE_ALLOCS,
			      r->procs_act.page_allocs, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_PROCS_PAGE_FREES,
			      r->procs_act.page_frees, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_u8(msg, MEMATTR_A_CGROUP_LEAK_STATE, r->leak.state) ||
	    nla_put_s64(msg, MEMATTR_A_CGROUP_GROWTH_KB_PER_HOUR,
			r->leak.growth_kb_per_hour, MEMATTR_A_CGROUP_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_CGROUP_EXHAUST_S, r->exhaust_s,
			MEMATTR_A_CGROUP_PAD))
		return -EMSGSIZE;
	if (r->leak.since_ns &&
	    nla_put_u64_64bit(msg, MEMATTR_A_CGROUP_LEAK_SINCE_MS,
			      memattr_nl_ms(r->leak.since_ns),
			      MEMATTR_A_CGROUP_PAD))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_fill_cgroup(struct sk_buff *msg, const void *arg)
{
	return memattr_nl_put_cgroup(msg, arg);
}

static int memattr_nl_get_cgroup(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[MEMATTR_A_CGROUP_ID];
	struct nlattr *path = info->attrs[MEMATTR_A_CGROUP_PATH];
	const struct memattr_cgroup_row *r = NULL;
	struct memattr_cgroup_row *cgs = NULL;
	struct memattr_nl_caller caller;
	u32 i, nr;
	int ret;

	if (id && path) {
		NL_SET_ERR_MSG_ATTR(info->extack, path,
				    "give the id or the path, not both");
		return -EINVAL;
	}
	if (!id && !path) {
		NL_SET_ERR_MSG(info->extack, "id or path is required");
		return -EINVAL;
	}
	ret = memattr_nl_caller_get(&caller, skb);
	if (ret)
		return ret;
	/* Only the caller's cgroups, named from its cgroup namespace's root. */
	ret = memattr_nl_cgroups_copy(&caller, &cgs, &nr);
	if (ret)
		goto out;
	if (id) {
		r = memattr_nl_cgroup_find(cgs, nr, nla_get_u64(id));
	} else {
		for (i = 0; i < nr && !r; i++)
			if (!strcmp(cgs[i].path, nla_data(path)))
				r = &cgs[i];
	}
	if (r) {
		ret = memattr_nl_reply(info, MEMATTR_CMD_GET_CGROUP,
				       NLMSG_GOODSIZE, memattr_nl_fill_cgroup, r);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: path, "no such cgroup");
		ret = -ENOENT;
	}
out:
	kvfree(cgs);
	memattr_nl_caller_put(&caller);
	return ret;
}

static int memattr_nl_get_cgroup_start(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st;
	int ret;

	st = memattr_nl_dump_new(cb);
	if (!st)
		return -ENOMEM;
	st->next_pid = -1;
	st->row_size = sizeof(struct memattr_cgroup_row);
	ret = memattr_nl_cgroups_copy(&st->caller,
				      (struct memattr_cgroup_row **)&st->rows,
				      &st->nr);
	if (ret)
		memattr_nl_dump_done(cb);
	return ret;
}

static int memattr_nl_put_cgroup_row(struct sk_buff *msg,
				     const struct memattr_nl_dump *st,
				     const void *row)
{
	return memattr_nl_put_cgroup(msg, row);
}

static int memattr_nl_get_cgroup_dumpit(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	int ret = memattr_nl_dump_no_attrs(cb, MEMATTR_A_CGROUP_PATH);

	if (ret)
		return ret;
	return memattr_nl_dump_rows(skb, cb, MEMATTR_CMD_GET_CGROUP, NULL,
				    memattr_nl_put_cgroup_row);
}

/* --- GET_LEAKS ------------------------------------------------------------ */

static bool memattr_nl_leaking(const struct memattr_leak_info *l)
{
	return l->state == MEMATTR_LEAK_SUSPECT || l->state == MEMATTR_LEAK_LEAK;
}

/*
 * Processes first, walked like GET_PROC's dump, then the cgroups from the
 * copy of those the caller may see.
 */
static int memattr_nl_get_leaks_start(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st;
	int ret;

	st = memattr_nl_dump_new(cb);
	if (!st)
		return -ENOMEM;
	st->next_pid = 1;
	ret = memattr_nl_cgroups_copy(&st->caller, &st->cgs, &st->nr_cgs);
	if (ret) {
		memattr_nl_dump_done(cb);
		return ret;
	}
	st->rows = st->cgs;
	st->nr = st->nr_cgs;
	st->row_size = sizeof(*st->cgs);
	return 0;
}

/* One entry of GET_LEAKS: a process (@pid not 0) or a cgroup. */
static int memattr_nl_put_leak(struct sk_buff *msg,
			       const struct memattr_nl_dump *st, pid_t pid,
			       const char *comm, u64 cgroup_id,
			       const struct memattr_leak_info *leak,
			       s64 exhaust_s)
{
	const struct memattr_cgroup_row *cg;

	cg = memattr_nl_cgroup_find(st->cgs, st->nr_cgs, cgroup_id);
	if (nla_put_u8(msg, MEMATTR_A_LEAK_ENTITY,
		       pid ? MEMATTR_ENTITY_PROCESS : MEMATTR_ENTITY_CGROUP))
		return -EMSGSIZE;
	if (pid && (nla_put_u32(msg, MEMATTR_A_LEAK_PID, pid) ||
		    nla_put_string(msg, MEMATTR_A_LEAK_COMM, comm)))
		return -EMSGSIZE;
	if (cgroup_id && (cg || memattr_nl_cg_all(&st->caller)) &&
	    nla_put_u64_64bit(msg, MEMATTR_A_LEAK_CGROUP_ID, cgroup_id,
			      MEMATTR_A_LEAK_PAD))
		return -EMSGSIZE;
	if (cg && nla_put_string(msg, MEMATTR_A_LEAK_CGROUP_PATH, cg->path))
		return -EMSGSIZE;
	if (nla_put_s64(msg, MEMATTR_A_LEAK_GROWTH_KB_PER_HOUR,
			leak->growth_kb_per_hour, MEMATTR_A_LEAK_PAD) ||
	    nla_put_u8(msg, MEMATTR_A_LEAK_STATE, leak->state) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_LEAK_SINCE_MS,
			      memattr_nl_ms(leak->since_ns),
			      MEMATTR_A_LEAK_PAD) ||
	    nla_put_s64(msg, MEMATTR_A_LEAK_EXHAUST_S, exhaust_s,
			MEMATTR_A_LEAK_PAD))
		return -EMSGSIZE;
	return 0;
}

static bool memattr_nl_proc_not_leaking(const struct memattr_proc_row *row)
{
	return !memattr_nl_leaking(&row->leak);
}

static int memattr_nl_put_leak_proc(struct sk_buff *msg,
				    const struct memattr_nl_dump *st,
				    const struct memattr_nl_pid *p,
				    const struct memattr_proc_row *row)
{
	return memattr_nl_put_leak(msg, st, p->nr, row->comm, row->cgroup_id,
				   &row->leak, row->exhaust_s);
}

static bool memattr_nl_cgroup_not_leaking(const void *row)
{
	const struct memattr_cgroup_row *r = row;

	return !memattr_nl_leaking(&r->leak);
}

static int memattr_nl_put_leak_cgroup(struct sk_buff *msg,
				      const struct memattr_nl_dump *st,
				      const void *row)
{
	const struct memattr_cgroup_row *r = row;

	return memattr_nl_put_leak(msg, st, 0, NULL, r->id, &r->leak,
				   r->exhaust_s);
}

static int memattr_nl_get_leaks_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb)
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);
	int ret;

	ret = memattr_nl_dump_procs(skb, cb, MEMATTR_CMD_GET_LEAKS,
				    memattr_nl_proc_not_leaking,
				    memattr_nl_put_leak_proc);
	if (ret < 0 || st->next_pid >= 0)
		return ret;
	return memattr_nl_dump_rows(skb, cb, MEMATTR_CMD_GET_LEAKS,
				    memattr_nl_cgroup_not_leaking,
				    memattr_nl_put_leak_cgroup);
}

/* --- GET_OOM -------------------------------------------------------------- */

/*
 * Keep the reports @c may see, their cgroup paths as @c names them: none
 * outside the initial pid namespace (a report's pids are of that namespace
 * and its processes are gone: they cannot be told in another one), and in
 * a cgroup namespace those of its cgroups only. Return: how many are left.
 */
static u32 memattr_nl_oom_filter(const struct memattr_nl_caller *c,
				 struct memattr_oom_report *r, u32 nr)
{
	const char *rel;
	u32 i, n = 0;

	if (c->pid_ns != &init_pid_ns)
		return 0;
	for (i = 0; i < nr; i++) {
		rel = memattr_nl_cg_path(c, r[i].cgroup);
		if (!rel)
			continue;
		if (rel != r[i].cgroup)
			memmove(r[i].cgroup, rel, strlen(rel) + 1);
		if (n != i)
			r[n] = r[i];
		n++;
	}
	return n;
}

static int memattr_nl_get_oom_start(struct netlink_callback *cb)
{
	struct memattr_nl_dump *st;
	int ret;

	st = memattr_nl_dump_new(cb);
	if (!st)
		return -ENOMEM;
	st->next_pid = -1;
	st->row_size = sizeof(struct memattr_oom_report);
	ret = memattr_oom_snapshot((struct memattr_oom_report **)&st->rows,
				   &st->nr);
	if (ret) {
		memattr_nl_dump_done(cb);
		return ret;
	}
	st->nr = memattr_nl_oom_filter(&st->caller, st->rows, st->nr);
	return 0;
}

static int memattr_nl_put_oom_row(struct sk_buff *msg,
				  const struct memattr_nl_dump *st,
				  const void *row)
{
	const struct memattr_oom_report *r = row;
	struct memattr_hist_point pts[MEMATTR_OOM_HIST];
	u32 i, nr_pts = min_t(u32, r->nr_hist, MEMATTR_OOM_HIST);

	for (i = 0; i < nr_pts; i++) {
		pts[i].t_ms = r->hist[i].t_ms;
		pts[i].kb = r->hist[i].kb;
	}
	if (nla_put_u64_64bit(msg, MEMATTR_A_OOM_TIME_MS, r->time_ms,
			      MEMATTR_A_OOM_PAD) ||
	    nla_put_u32(msg, MEMATTR_A_OOM_PID, r->pid) ||
	    nla_put_string(msg, MEMATTR_A_OOM_COMM, r->comm) ||
	    (r->cgroup[0] &&
	     nla_put_string(msg, MEMATTR_A_OOM_CGROUP_PATH, r->cgroup)) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_OOM_RSS_KB, r->rss_kb,
			      MEMATTR_A_OOM_PAD) ||
	    memattr_nl_put_points(msg, MEMATTR_A_OOM_HISTORY, pts, nr_pts) ||
	    memattr_nl_put_growers(msg, MEMATTR_A_OOM_TOP, r->top, r->nr_top))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_get_oom_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	return memattr_nl_dump_rows(skb, cb, MEMATTR_CMD_GET_OOM, NULL,
				    memattr_nl_put_oom_row);
}

/* --- GET_CONFIG, SET_CONFIG ----------------------------------------------- */

static int memattr_nl_fill_config(struct sk_buff *msg, const void *arg)
{
	u8 levels[MEMATTR_WATERMARKS_MAX];
	char wm[MEMATTR_NL_WATERMARKS_LEN];
	unsigned int i, nr, len = 0;

	for (i = 0; i < ARRAY_SIZE(memattr_nl_config_u32); i++)
		if (nla_put_u32(msg, memattr_nl_config_u32[i].attr,
				memattr_params_get_u32(memattr_nl_config_u32[i].id)))
			return -EMSGSIZE;
	nr = memattr_params_watermarks(levels);
	wm[0] = '\0';
	for (i = 0; i < nr; i++)
		len += scnprintf(wm + len, sizeof(wm) - len, "%s%u",
				 i ? "," : "", levels[i]);
	if (nla_put_string(msg, MEMATTR_A_CONFIG_WATERMARKS, wm))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return memattr_nl_reply(info, MEMATTR_CMD_GET_CONFIG, NLMSG_GOODSIZE,
				memattr_nl_fill_config, NULL);
}

static int memattr_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *wm = info->attrs[MEMATTR_A_CONFIG_WATERMARKS];
	u8 levels[MEMATTR_WATERMARKS_MAX];
	unsigned int i, nr, given = 0;
	struct nlattr *a;
	u32 min, max;
	int ret;

	/*
	 * Validate everything before applying anything. The policy checked
	 * types, lengths and ranges; the ranges once more against the live
	 * ones, and the watermarks with the parser the parameter uses.
	 */
	for (i = 0; i < ARRAY_SIZE(memattr_nl_config_u32); i++) {
		a = info->attrs[memattr_nl_config_u32[i].attr];
		if (!a)
			continue;
		given++;
		memattr_params_range(memattr_nl_config_u32[i].id, &min, &max);
		if (nla_get_u32(a) < min || nla_get_u32(a) > max) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "value out of range");
			return -ERANGE;
		}
	}
	if (wm) {
		given++;
		if (memattr_parse_watermarks(nla_data(wm), levels, &nr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, wm,
					    "bad watermarks: 1-8 increasing percentages in [1, 99]");
			return -EINVAL;
		}
	}
	if (!given) {
		NL_SET_ERR_MSG(info->extack, "nothing to set");
		return -EINVAL;
	}

	/* Apply: what passed above cannot fail below. */
	if (wm) {
		ret = memattr_params_set_watermarks(nla_data(wm));
		if (ret)
			return ret;
	}
	for (i = 0; i < ARRAY_SIZE(memattr_nl_config_u32); i++) {
		a = info->attrs[memattr_nl_config_u32[i].attr];
		if (!a)
			continue;
		ret = memattr_params_set_u32(memattr_nl_config_u32[i].id,
					     nla_get_u32(a));
		if (ret)
			return ret;
	}
	return 0;
}

/* --- events --------------------------------------------------------------- */

static int memattr_nl_fill_event(struct sk_buff *msg,
				 const struct memattr_event *ev)
{
	const struct memattr_oom_kill *oom = &ev->oom;

	if (nla_put_u32(msg, MEMATTR_A_EV_KIND, ev->kind) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_EV_TIME_MS, ev->time_ms,
			      MEMATTR_A_EV_PAD))
		return -EMSGSIZE;
	switch (ev->kind) {
	case MEMATTR_EV_LEAK:
	case MEMATTR_EV_LEAK_CLEARED:
		if (nla_put_u8(msg, MEMATTR_A_EV_ENTITY, ev->entity))
			return -EMSGSIZE;
		if (ev->entity == MEMATTR_ENTITY_PROCESS &&
		    (nla_put_u32(msg, MEMATTR_A_EV_PID, ev->pid) ||
		     nla_put_string(msg, MEMATTR_A_EV_COMM, ev->comm)))
			return -EMSGSIZE;
		if (ev->cgroup_id &&
		    nla_put_u64_64bit(msg, MEMATTR_A_EV_CGROUP_ID,
				      ev->cgroup_id, MEMATTR_A_EV_PAD))
			return -EMSGSIZE;
		if (ev->cgroup[0] &&
		    nla_put_string(msg, MEMATTR_A_EV_CGROUP, ev->cgroup))
			return -EMSGSIZE;
		if (nla_put_s64(msg, MEMATTR_A_EV_GROWTH_KB_PER_HOUR,
				ev->growth_kb_per_hour, MEMATTR_A_EV_PAD) ||
		    nla_put_u64_64bit(msg, MEMATTR_A_EV_SINCE_MS, ev->since_ms,
				      MEMATTR_A_EV_PAD) ||
		    nla_put_s64(msg, MEMATTR_A_EV_EXHAUST_S, ev->exhaust_s,
				MEMATTR_A_EV_PAD))
			return -EMSGSIZE;
		break;
	case MEMATTR_EV_WATERMARK:
		if (nla_put_u8(msg, MEMATTR_A_EV_LEVEL, ev->level) ||
		    nla_put_u8(msg, MEMATTR_A_EV_LEVEL_PCT, ev->level_pct) ||
		    nla_put_u8(msg, MEMATTR_A_EV_DIRECTION,
			       ev->up ? MEMATTR_WM_UP : MEMATTR_WM_DOWN) ||
		    nla_put_u32(msg, MEMATTR_A_EV_USED_PCT, ev->used_pct))
			return -EMSGSIZE;
		break;
	case MEMATTR_EV_OOM_KILL:
		if (nla_put_u32(msg, MEMATTR_A_EV_PID, oom->pid) ||
		    nla_put_string(msg, MEMATTR_A_EV_COMM, oom->comm) ||
		    (oom->cgroup[0] &&
		     nla_put_string(msg, MEMATTR_A_EV_CGROUP, oom->cgroup)) ||
		    nla_put_u64_64bit(msg, MEMATTR_A_EV_RSS_KB, oom->rss_kb,
				      MEMATTR_A_EV_PAD) ||
		    memattr_nl_put_growers(msg, MEMATTR_A_EV_TOP, oom->top,
					   oom->nr_top))
			return -EMSGSIZE;
		break;
	}
	return 0;
}

/**
 * memattr_netlink_event() - multicast an event to the "events" group
 * @ev: the event
 *
 * Builds the message only when somebody listens. On kernels that cannot
 * keep unprivileged sockets out of the group, sends nothing.
 * Context: process; allocates with GFP_KERNEL. ORDER: only between
 * memattr_netlink_init() and memattr_netlink_exit().
 */
void memattr_netlink_event(const struct memattr_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!MEMATTR_GENL_MCAST_PRIVATE ||
	    !genl_has_listeners(&memattr_genl_family, &init_net,
				MEMATTR_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &memattr_genl_family, 0,
			  MEMATTR_CMD_EVENT);
	if (!hdr || memattr_nl_fill_event(msg, ev)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH: the last listener just left. Nothing to do either way. */
	genlmsg_multicast(&memattr_genl_family, msg, 0,
			  MEMATTR_NL_MCGRP_EVENTS, GFP_KERNEL);
}

/* --- PROFILE_START, PROFILE_STOP, GET_PROFILE ----------------------------- */

/*
 * The process a profile command names: its pid of the caller's namespace,
 * as the initial namespace and its start time name it.
 * Return: 0, -EINVAL without a pid, -ENOENT when there is no such process.
 */
static int memattr_nl_profile_pid(struct nlattr **attrs,
				  struct netlink_ext_ack *extack,
				  const struct memattr_nl_caller *caller,
				  struct memattr_nl_pid *p)
{
	struct nlattr *attr = attrs ? attrs[MEMATTR_A_PROFILE_PID] : NULL;
	struct pid *pid;
	bool found;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "pid is required");
		return -EINVAL;
	}
	rcu_read_lock();
	pid = find_pid_ns(nla_get_u32(attr), caller->pid_ns);
	found = pid && memattr_nl_pid_lookup(caller, pid, nla_get_u32(attr), p);
	rcu_read_unlock();
	if (!found) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such process");
		return -ENOENT;
	}
	return 0;
}

/* The process a PROFILE_START or PROFILE_STOP request names. */
static int memattr_nl_profile_target(struct sk_buff *skb,
				     struct genl_info *info,
				     struct memattr_nl_pid *p)
{
	struct memattr_nl_caller caller;
	int ret;

	ret = memattr_nl_caller_get(&caller, skb);
	if (ret)
		return ret;
	ret = memattr_nl_profile_pid(info->attrs, info->extack, &caller, p);
	memattr_nl_caller_put(&caller);
	return ret;
}

static int memattr_nl_profile_start(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[MEMATTR_A_PROFILE_PID];
	u32 every = memattr_profile_default_every();
	struct memattr_nl_pid p;
	int ret;

	ret = memattr_nl_profile_target(skb, info, &p);
	if (ret)
		return ret;
	/*
	 * Not init: every page it faults would pay a stack walk, and its
	 * death panics the machine. A container's init is another pid.
	 */
	if (p.tgid == 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "init (pid 1 of the initial namespace) is not profiled");
		return -EPERM;
	}
	if (info->attrs[MEMATTR_A_PROFILE_SAMPLE_EVERY])
		every = nla_get_u32(info->attrs[MEMATTR_A_PROFILE_SAMPLE_EVERY]);
	ret = memattr_profile_start(p.tgid, p.start_ns, every, false);
	switch (ret) {
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "process not tracked (kernel thread, exiting or untracked)");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "process is profiled already");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG(info->extack,
			       "profile_max processes are profiled already");
		break;
	}
	return ret;
}

static int memattr_nl_profile_stop(struct sk_buff *skb, struct genl_info *info)
{
	struct memattr_nl_pid p;
	int ret;

	ret = memattr_nl_profile_target(skb, info, &p);
	if (ret)
		return ret;
	ret = memattr_profile_stop(p.tgid, p.start_ns);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MEMATTR_A_PROFILE_PID],
				    "process is not profiled");
	return ret;
}

static int memattr_nl_get_profile_start(struct netlink_callback *cb)
{
	return memattr_nl_dump_new(cb) ? 0 : -ENOMEM;
}

/* The summary: PID and the counters. */
static int memattr_nl_put_profile_summary(struct sk_buff *msg, pid_t nr,
					  const struct memattr_profile_snap *s)
{
	if (nla_put_u32(msg, MEMATTR_A_PROFILE_PID, nr) ||
	    nla_put_u32(msg, MEMATTR_A_PROFILE_SAMPLE_EVERY, s->every) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_START_MS, s->start_ms,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u8(msg, MEMATTR_A_PROFILE_AUTO, s->autostart) ||
	    nla_put_u32(msg, MEMATTR_A_PROFILE_PAGE_SIZE, PAGE_SIZE) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_PAGES, s->pages,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_SAMPLES, s->samples,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_THROTTLED_PAGES,
			      s->throttled, MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_OTHER_PAGES, s->other,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_MAP_CALLS, s->map_calls,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_MAP_BYTES, s->map_bytes,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_INUSE_PAGES, s->inuse,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_INUSE_LOST, s->inuse_lost,
			      MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_WALK_ERRORS,
			      s->walk_errors, MEMATTR_A_PROFILE_PAD) ||
	    nla_put_u32(msg, MEMATTR_A_PROFILE_NR_STACKS, s->nr_stacks) ||
	    nla_put_u32(msg, MEMATTR_A_PROFILE_MAX_STACKS, s->max_stacks) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_PROFILE_MEM_BYTES, s->mem_bytes,
			      MEMATTR_A_PROFILE_PAD))
		return -EMSGSIZE;
	return 0;
}

static int memattr_nl_put_stack(struct sk_buff *msg,
				const struct memattr_profile_stack_row *r)
{
	struct nlattr *item = nla_nest_start(msg, MEMATTR_A_LIST_ITEM);

	if (!item)
		return -EMSGSIZE;
	if (nla_put_u8(msg, MEMATTR_A_STACK_BUCKET, r->bucket) ||
	    (r->depth && nla_put(msg, MEMATTR_A_STACK_FRAMES,
				 r->depth * sizeof(r->frames[0]), r->frames)) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STACK_PAGES, r->pages,
			      MEMATTR_A_STACK_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STACK_SAMPLES, r->samples,
			      MEMATTR_A_STACK_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STACK_MAP_CALLS, r->map_calls,
			      MEMATTR_A_STACK_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STACK_MAP_BYTES, r->map_bytes,
			      MEMATTR_A_STACK_PAD) ||
	    nla_put_u64_64bit(msg, MEMATTR_A_STACK_INUSE_PAGES, r->inuse,
			      MEMATTR_A_STACK_PAD)) {
		nla_nest_cancel(msg, item);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, item);
	return 0;
}

/*
 * The first part checks the request and copies the profile; the summary
 * goes first (st->pos 0), then the stacks, as many as fit in each message
 * (st->pos - 1 is the next stack). st->next_pid holds the pid to name.
 */
static int memattr_nl_get_profile_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	struct memattr_nl_dump *st = memattr_nl_dump_state(cb);
	struct memattr_profile_snap *snap;
	struct memattr_nl_pid p;
	struct nlattr *list;
	void *hdr;
	int ret;

	if (!st->checked) {
		st->checked = true;
		ret = memattr_nl_profile_pid(memattr_genl_dump_attrs(cb),
					     cb->extack, &st->caller, &p);
		if (ret)
			return ret;
		ret = memattr_profile_snapshot(p.tgid, p.start_ns, &snap);
		if (ret == -ENOENT)
			NL_SET_ERR_MSG(cb->extack, "process is not profiled");
		if (ret)
			return ret;
		st->rows = snap;
		st->nr = snap->nr;
		st->next_pid = p.nr;
	}
	snap = st->rows;
	if (!snap)
		return 0;
	if (!st->pos) {
		hdr = memattr_nl_dump_hdr(skb, cb, MEMATTR_CMD_GET_PROFILE);
		if (!hdr)
			return -EMSGSIZE;
		if (memattr_nl_put_profile_summary(skb, st->next_pid, snap)) {
			genlmsg_cancel(skb, hdr);
			return -EMSGSIZE;
		}
		genlmsg_end(skb, hdr);
		st->pos = 1;
	}
	while (st->pos - 1 < st->nr) {
		u32 before = st->pos;

		hdr = memattr_nl_dump_hdr(skb, cb, MEMATTR_CMD_GET_PROFILE);
		if (!hdr)
			break;
		if (nla_put_u32(skb, MEMATTR_A_PROFILE_PID, st->next_pid))
			goto cancel;
		list = nla_nest_start(skb, MEMATTR_A_PROFILE_STACKS);
		if (!list)
			goto cancel;
		while (st->pos - 1 < st->nr &&
		       !memattr_nl_put_stack(skb, &snap->rows[st->pos - 1]))
			st->pos++;
		if (st->pos == before) {
			nla_nest_cancel(skb, list);
			goto cancel;
		}
		nla_nest_end(skb, list);
		genlmsg_end(skb, hdr);
		continue;
cancel:
		genlmsg_cancel(skb, hdr);
		break;
	}
	if (st->pos - 1 < st->nr && !skb->len)
		return -EMSGSIZE;	/* one stack larger than a whole skb */
	return skb->len;
}

/* --- the family ----------------------------------------------------------- */

static const struct genl_ops memattr_genl_ops[] = {
	{
		.cmd = MEMATTR_CMD_GET_STATS,
		.doit = memattr_nl_get_stats,
		.policy = memattr_nl_no_attr_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_no_attr_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_SYSTEM,
		.doit = memattr_nl_get_system,
		.policy = memattr_nl_no_attr_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_no_attr_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_PROC,
		.doit = memattr_nl_get_proc,
		.start = memattr_nl_get_proc_start,
		.dumpit = memattr_nl_get_proc_dumpit,
		.done = memattr_nl_dump_done,
		.policy = memattr_nl_get_proc_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_get_proc_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_CGROUP,
		.doit = memattr_nl_get_cgroup,
		.start = memattr_nl_get_cgroup_start,
		.dumpit = memattr_nl_get_cgroup_dumpit,
		.done = memattr_nl_dump_done,
		.policy = memattr_nl_get_cgroup_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_get_cgroup_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_LEAKS,
		.start = memattr_nl_get_leaks_start,
		.dumpit = memattr_nl_get_leaks_dumpit,
		.done = memattr_nl_dump_done,
		.policy = memattr_nl_no_attr_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_no_attr_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_OOM,
		.flags = GENL_ADMIN_PERM,
		.start = memattr_nl_get_oom_start,
		.dumpit = memattr_nl_get_oom_dumpit,
		.done = memattr_nl_dump_done,
		.policy = memattr_nl_no_attr_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_no_attr_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_CONFIG,
		.doit = memattr_nl_get_config,
		.policy = memattr_nl_no_attr_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_no_attr_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_SET_CONFIG,
		.flags = GENL_ADMIN_PERM,
		.doit = memattr_nl_set_config,
		.policy = memattr_nl_set_config_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_set_config_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_PROFILE_START,
		.flags = GENL_ADMIN_PERM,
		.doit = memattr_nl_profile_start,
		.policy = memattr_nl_prof_start_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_prof_start_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_PROFILE_STOP,
		.flags = GENL_ADMIN_PERM,
		.doit = memattr_nl_profile_stop,
		.policy = memattr_nl_profile_pid_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_profile_pid_policy) - 1,
	},
	{
		.cmd = MEMATTR_CMD_GET_PROFILE,
		.flags = GENL_ADMIN_PERM,
		.start = memattr_nl_get_profile_start,
		.dumpit = memattr_nl_get_profile_dumpit,
		.done = memattr_nl_dump_done,
		.policy = memattr_nl_profile_pid_policy,
		.maxattr = ARRAY_SIZE(memattr_nl_profile_pid_policy) - 1,
	},
};

static const struct genl_multicast_group memattr_genl_mcgrps[] = {
	[MEMATTR_NL_MCGRP_EVENTS] = {
		.name = MEMATTR_GENL_MCGRP_EVENTS,
		MEMATTR_GENL_MCGRP_FLAGS
	},
};

static struct genl_family memattr_genl_family __ro_after_init = {
	.name = MEMATTR_GENL_NAME,
	.version = MEMATTR_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = false,
	.ops = memattr_genl_ops,
	.n_ops = ARRAY_SIZE(memattr_genl_ops),
	.mcgrps = memattr_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(memattr_genl_mcgrps),
	/* Every command validates its header strictly too. */
	MEMATTR_GENL_RESV_START_OP(0)
};

/**
 * memattr_netlink_init() - register the generic netlink family
 *
 * Checks first that SET_CONFIG's policy states the ranges the parameters
 * enforce.
 * Return: 0, -EINVAL when they disagree, or a negative errno from
 * genl_register_family().
 */
int __init memattr_netlink_init(void)
{
	unsigned int i;
	u32 min, max;

	for (i = 0; i < MEMATTR_PARAM_NR; i++) {
		memattr_params_range(i, &min, &max);
		if (memattr_nl_config_range[i].min != min ||
		    memattr_nl_config_range[i].max != max) {
			pr_err("netlink: policy range of %s is not [%u, %u]\n",
			       memattr_params_name(i), min, max);
			return -EINVAL;
		}
	}
	if (!MEMATTR_GENL_MCAST_PRIVATE)
		pr_notice("this kernel lets anyone join multicast groups: no events over netlink\n");
	return genl_register_family(&memattr_genl_family);
}

/**
 * memattr_netlink_exit() - unregister the family
 *
 * genl_unregister_family() waits for running handlers to finish; a dump in
 * progress holds a reference on the module, so none is left by then.
 */
void memattr_netlink_exit(void)
{
	genl_unregister_family(&memattr_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(MEMATTR_GENL_NAME);
