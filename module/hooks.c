// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where memattr hooks into the kernel.
 *
 * Stable tracepoints where the kernel has one for the event, kprobes where
 * it has none:
 * - sched_process_fork/exec/exit: process life; stable across 5.10 .. 6.12.
 * - kmem mm_page_alloc/mm_page_free: the page allocator. A tracepoint is a
 *   static-key branch; a kprobe on __alloc_pages() is a breakpoint trap on
 *   arm64 (Debian's arm64 kernels lack KPROBES_ON_FTRACE), measured 1.054x
 *   on a page-fault storm against 1.006x for the tracepoint.
 * - kmem rss_stat is not used: the sampler reads the same mm counters the
 *   way /proc does, without a handler on every counter update.
 * - mmap/munmap/brk/mremap have no tracepoints: kretprobes on the syscall
 *   paths, with the change of mm->total_vm across the call (on success only)
 *   as the exact number of bytes mapped or unmapped.
 * - oom mark_victim: the OOM killer's choice, to capture a report.
 * - do_exit(): an ftrace callback (a kprobe where the kernel has no dynamic
 *   ftrace), to read a process's final footprint while its last thread
 *   still holds the mm (sched_process_exit fires after exit_mm()). On
 *   arm64 a kprobe is a BRK trap and a single-step: the ftrace callback cut
 *   a fork + exit storm's overhead there (bench/results-arm64.md).
 * Symbols moved between versions, so each kprobe has a list of candidates,
 * tried in order at load time.
 *
 * Handlers run in atomic context (tracepoints with preemption off, page
 * allocator hooks even in IRQ context): they never sleep, never allocate,
 * take no global lock, and only touch per-CPU counters and atomics of
 * entries found under RCU.
 */
#include <linux/err.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <asm/syscall.h>

#include "acct.h"
#include "hooks.h"

static DEFINE_PER_CPU(u64, memattr_hook_hits[MEMATTR_HOOK_NR]);

static inline void memattr_hit(enum memattr_hook_id id)
{
	this_cpu_inc(memattr_hook_hits[id]);
}

/* --- page allocator ----------------------------------------------------- */

/*
 * Whose pages are these? Interrupt context belongs to nobody (not the task
 * that happened to be interrupted); kernel threads are not processes.
 *
 * Context: a page allocator tracepoint's probe, i.e. with preemption
 * disabled, which is an RCU read-side critical section: the entry stays
 * valid until the probe returns, without an rcu_read_lock() of its own
 * (a function call pair on PREEMPT_RCU kernels, on every page).
 */
static struct memattr_proc *memattr_page_owner(unsigned int nr)
{
	struct memattr_proc *p;

	if (!in_task()) {
		memattr_acct_count_irq_pages(nr);
		return NULL;
	}
	if ((current->flags & PF_KTHREAD) || !current->mm) {
		memattr_acct_count_kthread_pages(nr);
		return NULL;
	}
	p = memattr_acct_find_current();
	if (!p)
		memattr_acct_count_untracked_pages(nr);
	return p;
}

static void memattr_tp_page_alloc(void *data, struct page *page,
				  unsigned int order, gfp_t gfp,
				  int migratetype)
{
	struct memattr_proc *p;

	if (!page)		/* the allocation failed */
		return;
	memattr_hit(MEMATTR_HOOK_PAGE_ALLOC);
	p = memattr_page_owner(1U << order);
	if (p)
		atomic64_add(1U << order, &p->page_allocs);
}

/* Context: as memattr_page_owner(). */
static void memattr_tp_page_free(void *data, struct page *page,
				 unsigned int order)
{
	struct memattr_proc *p;

	memattr_hit(MEMATTR_HOOK_PAGE_FREE);
	if (!in_task() || (current->flags & PF_KTHREAD) || !current->mm)
		return;
	p = memattr_acct_find_current();
	if (p)
		atomic64_add(1U << order, &p->page_frees);
}

/* --- process life ------------------------------------------------------- */

static void memattr_tp_fork(void *data, struct task_struct *parent,
			    struct task_struct *child)
{
	memattr_hit(MEMATTR_HOOK_FORK);
	memattr_acct_fork(child);
}

static void memattr_tp_exec(void *data, struct task_struct *p, pid_t old_pid,
			    struct linux_binprm *bprm)
{
	memattr_hit(MEMATTR_HOOK_EXEC);
	memattr_acct_exec(p);
}

static void memattr_tp_exit(void *data, struct task_struct *p)
{
	memattr_hit(MEMATTR_HOOK_EXIT);
	memattr_acct_exit_task(p);
}

#ifndef MEMATTR_MARK_VICTIM_TASK
/* The process of thread @pid. Context: RCU-safe (atomic). */
static pid_t memattr_tgid_of_pid(int pid)
{
	struct task_struct *t;
	pid_t tgid = pid;

	rcu_read_lock();
	t = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (t)
		tgid = t->tgid;
	rcu_read_unlock();
	return tgid;
}
#endif

static void memattr_tp_mark_victim(void *data, MEMATTR_MARK_VICTIM_ARGS)
{
	memattr_hit(MEMATTR_HOOK_OOM);
	memattr_acct_oom_victim(MEMATTR_MARK_VICTIM_TGID);
}

static int memattr_kp_do_exit(struct kprobe *kp, struct pt_regs *regs)
{
	memattr_hit(MEMATTR_HOOK_EXIT_MM);
	memattr_acct_exit_mm(current);
	return 0;
}

#ifdef MEMATTR_EXIT_FTRACE
/*
 * do_exit() through ftrace: the function's patched entry calls us, with
 * preemption off and ftrace's recursion guard (no FTRACE_OPS_FL_RECURSION),
 * where a kprobe without KPROBES_ON_FTRACE traps.
 */
static void memattr_ft_do_exit(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op,
			       struct memattr_ftrace_regs *fregs)
{
	memattr_hit(MEMATTR_HOOK_EXIT_MM);
	memattr_acct_exit_mm(current);
}

static struct ftrace_ops memattr_exit_ops = {
	.func = memattr_ft_do_exit,
};

static bool memattr_exit_ftrace;	/* memattr_exit_ops is registered */

/* Return: 0, or a negative errno when do_exit() cannot be traced. */
static int memattr_exit_ftrace_register(void)
{
	char sym[] = "do_exit";	/* ftrace_set_filter() takes it writable */
	int ret;

	ret = ftrace_set_filter(&memattr_exit_ops, sym, strlen(sym), 1);
	if (!ret)
		ret = register_ftrace_function(&memattr_exit_ops);
	if (ret) {
		ftrace_free_filter(&memattr_exit_ops);
		return ret;
	}
	memattr_exit_ftrace = true;
	return 0;
}

/*
 * In-flight callbacks run with preemption off: the synchronize_rcu() of
 * tracepoint_synchronize_unregister() in memattr_hooks_exit() waits for them.
 */
static void memattr_exit_ftrace_unregister(void)
{
	if (!memattr_exit_ftrace)
		return;
	unregister_ftrace_function(&memattr_exit_ops);
	ftrace_free_filter(&memattr_exit_ops);
	memattr_exit_ftrace = false;
}
#else
static int memattr_exit_ftrace_register(void)
{
	return -EOPNOTSUPP;
}

static void memattr_exit_ftrace_unregister(void)
{
}

static const bool memattr_exit_ftrace;
#endif

/* --- tracepoints -------------------------------------------------------- */

struct memattr_tp {
	enum memattr_hook_id id;
	const char *name;
	void *probe;
	struct tracepoint *tp;		/* found at init */
	bool registered;
};

/*
 * ORDER: process life first, so that no process is born or dies unseen
 * once the page hooks start counting.
 */
static struct memattr_tp memattr_tps[] = {
	{ MEMATTR_HOOK_FORK, "sched_process_fork", memattr_tp_fork },
	{ MEMATTR_HOOK_EXEC, "sched_process_exec", memattr_tp_exec },
	{ MEMATTR_HOOK_EXIT, "sched_process_exit", memattr_tp_exit },
	{ MEMATTR_HOOK_PAGE_ALLOC, "mm_page_alloc", memattr_tp_page_alloc },
	{ MEMATTR_HOOK_PAGE_FREE, "mm_page_free", memattr_tp_page_free },
	{ MEMATTR_HOOK_OOM, "mark_victim", memattr_tp_mark_victim },
};

static void memattr_tp_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memattr_tps); i++)
		if (!strcmp(tp->name, memattr_tps[i].name))
			memattr_tps[i].tp = tp;
}

/* --- kretprobes on the mapping syscalls --------------------------------- */

/* Per-instance data: the state before the call. */
struct memattr_vm_call {
	unsigned long total_vm;		/* pages */
	unsigned long arg0;		/* the syscall's first argument */
};

static int memattr_vm_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct memattr_vm_call *c = (struct memattr_vm_call *)ri->data;
	struct mm_struct *mm = current->mm;
	unsigned long args[6];

	if (!mm || (current->flags & PF_KTHREAD))
		return 1;	/* no return handler for this instance */
	c->total_vm = READ_ONCE(mm->total_vm);
	syscall_get_arguments(current, task_pt_regs(current), args);
	c->arg0 = args[0];
	return 0;
}

/*
 * Account one call that succeeded: the net change of total_vm across it is
 * exactly what it mapped (holes, partial unmaps and MAP_FIXED replacements
 * included). Another thread of the process mapping at the same moment can
 * blur the split between two calls, never their sum.
 */
static void memattr_vm_done(struct kretprobe_instance *ri,
			    enum memattr_hook_id id, bool ok)
{
	struct memattr_vm_call *c = (struct memattr_vm_call *)ri->data;
	struct mm_struct *mm = current->mm;
	struct memattr_proc *p;
	atomic64_t *calls;
	long delta;

	memattr_hit(id);
	if (!ok || !mm)
		return;
	delta = (long)(READ_ONCE(mm->total_vm) - c->total_vm);
	rcu_read_lock();
	p = memattr_acct_find(current->tgid);
	if (p) {
		switch (id) {
		case MEMATTR_HOOK_MMAP:
			calls = &p->mmap_calls;
			break;
		case MEMATTR_HOOK_MUNMAP:
			calls = &p->munmap_calls;
			break;
		case MEMATTR_HOOK_BRK:
			calls = &p->brk_calls;
			break;
		default:
			calls = &p->mremap_calls;
			break;
		}
		atomic64_inc(calls);
		atomic64_add(delta * (long)PAGE_SIZE, &p->mapped_bytes);
	}
	rcu_read_unlock();
}

static int memattr_mmap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	memattr_vm_done(ri, MEMATTR_HOOK_MMAP,
			!IS_ERR_VALUE(regs_return_value(regs)));
	return 0;
}

static int memattr_munmap_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	memattr_vm_done(ri, MEMATTR_HOOK_MUNMAP,
			(int)regs_return_value(regs) == 0);
	return 0;
}

/* brk() returns the new break on success and the old one on failure. */
static int memattr_brk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct memattr_vm_call *c = (struct memattr_vm_call *)ri->data;

	memattr_vm_done(ri, MEMATTR_HOOK_BRK,
			c->arg0 && regs_return_value(regs) == c->arg0);
	return 0;
}

static int memattr_mremap_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	memattr_vm_done(ri, MEMATTR_HOOK_MREMAP,
			!IS_ERR_VALUE(regs_return_value(regs)));
	return 0;
}

/* --- kprobe registry ----------------------------------------------------- */

struct memattr_probe {
	enum memattr_hook_id id;
	const char *const *symbols;	/* candidates, NULL-terminated */
	bool ret;			/* a kretprobe, else a kprobe */
	struct kretprobe rp;		/* rp.kp alone for a kprobe */
	const char *attached;		/* the candidate that worked */
};

static const char *const memattr_sym_do_exit[] = { "do_exit", NULL };
/* vm_mmap_pgoff(): mmap(2), mmap_pgoff(2) and the ELF loader; 5.10 .. 6.12. */
static const char *const memattr_sym_mmap[] = { "vm_mmap_pgoff", NULL };
/* __vm_munmap() also serves vm_munmap(); static, so it may be inlined. */
static const char *const memattr_sym_munmap[] = {
	"__vm_munmap", MEMATTR_SYSCALL_SYM(munmap), NULL
};

static const char *const memattr_sym_brk[] = { MEMATTR_SYSCALL_SYM(brk), NULL };
static const char *const memattr_sym_mremap[] = {
	MEMATTR_SYSCALL_SYM(mremap), NULL
};

static struct memattr_probe memattr_probes[] = {
	{
		.id = MEMATTR_HOOK_EXIT_MM, .symbols = memattr_sym_do_exit,
		.rp.kp.pre_handler = memattr_kp_do_exit,
	},
	{
		.id = MEMATTR_HOOK_MMAP, .symbols = memattr_sym_mmap, .ret = true,
		.rp.entry_handler = memattr_vm_entry,
		.rp.handler = memattr_mmap_ret,
	},
	{
		.id = MEMATTR_HOOK_MUNMAP, .symbols = memattr_sym_munmap,
		.ret = true,
		.rp.entry_handler = memattr_vm_entry,
		.rp.handler = memattr_munmap_ret,
	},
	{
		.id = MEMATTR_HOOK_BRK, .symbols = memattr_sym_brk, .ret = true,
		.rp.entry_handler = memattr_vm_entry,
		.rp.handler = memattr_brk_ret,
	},
	{
		.id = MEMATTR_HOOK_MREMAP, .symbols = memattr_sym_mremap,
		.ret = true,
		.rp.entry_handler = memattr_vm_entry,
		.rp.handler = memattr_mremap_ret,
	},
};

static int memattr_probe_register(struct memattr_probe *pr)
{
	const char *const *sym;
	int ret = -ENOENT;

	for (sym = pr->symbols; *sym; sym++) {
		pr->rp.kp.symbol_name = *sym;
		pr->rp.kp.addr = NULL;
		pr->rp.kp.flags = 0;
		if (pr->ret) {
			pr->rp.data_size = sizeof(struct memattr_vm_call);
			/* mmap_lock waits can hold many instances at once. */
			pr->rp.maxactive = max(64U, 8 * num_possible_cpus());
			ret = register_kretprobe(&pr->rp);
		} else {
			ret = register_kprobe(&pr->rp.kp);
		}
		if (!ret) {
			pr->attached = *sym;
			return 0;
		}
	}
	return ret;
}

static void memattr_probe_unregister(struct memattr_probe *pr)
{
	if (!pr->attached)
		return;
	if (pr->ret)
		unregister_kretprobe(&pr->rp);
	else
		unregister_kprobe(&pr->rp.kp);
	pr->attached = NULL;
}

/**
 * memattr_hooks_init() - attach every hook
 *
 * The tracepoints are required: without them there is nothing to attribute.
 * A kprobe whose symbol no candidate matches is reported and left out; its
 * counters then stay at zero and `stats` shows it detached.
 * Return: 0, or a negative errno when a tracepoint is missing.
 */
int memattr_hooks_init(void)
{
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(memattr_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(memattr_tps); i++) {
		struct memattr_tp *t = &memattr_tps[i];

		if (!t->tp) {
			pr_warn("tracepoint %s not found\n", t->name);
			ret = -ENOENT;
			goto err;
		}
		ret = tracepoint_probe_register(t->tp, t->probe, NULL);
		if (ret) {
			pr_warn("tracepoint %s: register failed (%d)\n",
				t->name, ret);
			goto err;
		}
		t->registered = true;
	}
	for (i = 0; i < ARRAY_SIZE(memattr_probes); i++) {
		struct memattr_probe *pr = &memattr_probes[i];

		/* do_exit(): ftrace where it can, else the kprobe. */
		if (pr->id == MEMATTR_HOOK_EXIT_MM &&
		    !memattr_exit_ftrace_register())
			continue;
		ret = memattr_probe_register(pr);
		if (ret)
			pr_warn("%s: no probe point among its candidates (%d); not counted\n",
				pr->symbols[0], ret);
	}
	return 0;

err:
	memattr_hooks_exit();
	return ret;
}

/**
 * memattr_hooks_exit() - detach every hook and wait for running handlers
 *
 * Once it returns no handler runs or will run: unregister_k*probe() waits
 * for kprobe handlers (and retires kretprobe instances), and
 * tracepoint_synchronize_unregister() for tracepoint probes.
 */
void memattr_hooks_exit(void)
{
	unsigned int i;

	memattr_exit_ftrace_unregister();
	for (i = ARRAY_SIZE(memattr_probes); i-- > 0;)
		memattr_probe_unregister(&memattr_probes[i]);
	for (i = ARRAY_SIZE(memattr_tps); i-- > 0;) {
		struct memattr_tp *t = &memattr_tps[i];

		if (t->registered)
			tracepoint_probe_unregister(t->tp, t->probe, NULL);
		t->registered = false;
	}
	tracepoint_synchronize_unregister();
}

/**
 * memattr_hooks_info() - what one hook is attached to, and its counts
 * @id: the hook
 * @info: where the answer goes
 */
void memattr_hooks_info(enum memattr_hook_id id, struct memattr_hook_info *info)
{
	static const char *const names[MEMATTR_HOOK_NR] = {
		[MEMATTR_HOOK_FORK] = "fork",
		[MEMATTR_HOOK_EXEC] = "exec",
		[MEMATTR_HOOK_EXIT] = "exit",
		[MEMATTR_HOOK_PAGE_ALLOC] = "page_alloc",
		[MEMATTR_HOOK_PAGE_FREE] = "page_free",
		[MEMATTR_HOOK_EXIT_MM] = "exit_mm",
		[MEMATTR_HOOK_MMAP] = "mmap",
		[MEMATTR_HOOK_MUNMAP] = "munmap",
		[MEMATTR_HOOK_BRK] = "brk",
		[MEMATTR_HOOK_MREMAP] = "mremap",
		[MEMATTR_HOOK_OOM] = "oom_victim",
	};
	unsigned int i;
	int cpu;

	memset(info, 0, sizeof(*info));
	info->name = names[id];
	for_each_possible_cpu(cpu)
		info->hits += per_cpu(memattr_hook_hits[id], cpu);
	for (i = 0; i < ARRAY_SIZE(memattr_tps); i++) {
		if (memattr_tps[i].id == id) {
			info->kind = "tracepoint";
			info->target = memattr_tps[i].registered ?
				memattr_tps[i].name : NULL;
			return;
		}
	}
	for (i = 0; i < ARRAY_SIZE(memattr_probes); i++) {
		struct memattr_probe *pr = &memattr_probes[i];

		if (pr->id != id)
			continue;
		if (id == MEMATTR_HOOK_EXIT_MM && memattr_exit_ftrace) {
			info->kind = "ftrace";
			info->target = pr->symbols[0];
			return;
		}
		info->kind = pr->ret ? "kretprobe" : "kprobe";
		info->target = pr->attached;
		info->misses = pr->rp.kp.nmissed + (pr->ret ? pr->rp.nmissed : 0);
		return;
	}
}
