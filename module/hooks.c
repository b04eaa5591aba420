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
 * - mmap/munmap/brk/mremap have no tracepoints: their calls are counted at
 *   function entry (vm_mmap_pgoff, __vm_munmap, the brk and mremap
 *   syscalls), and the sampler reads what they mapped off VmSize.
 * - oom mark_victim: the OOM killer's choice, to capture a report.
 * - do_exit(): at its entry, to read a process's final footprint while its
 *   last thread still holds the mm (sched_process_exit fires after
 *   exit_mm()).
 * Function entries go through one ftrace callback; a kprobe only where the
 * kernel has no dynamic ftrace a module can use. On arm64 a kprobe is a BRK
 * trap and a single-step: ftrace cut a fork + exit storm's overhead there,
 * and an mmap/munmap storm's (bench/results-arm64.md).
 * Symbols moved between versions, so each entry hook has a list of
 * candidates, tried in order at load time.
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
#include <linux/utsname.h>
#include <asm/syscall.h>
#include <trace/events/kmem.h>
#include <trace/events/oom.h>
#include <trace/events/sched.h>

#include "acct.h"
#include "hooks.h"
#include "oomkill.h"
#include "profile.h"

/*
 * Hook runs, per CPU: every hook's but the page hooks' runs in task
 * context, which struct memattr_cur counts (see memattr_page_hit()).
 */
static DEFINE_PER_CPU(u64, memattr_hook_hits[MEMATTR_HOOK_NR]);

static inline void memattr_hit(enum memattr_hook_id id)
{
	this_cpu_inc(memattr_hook_hits[id]);	/* IRQ-safe: page hooks */
}

/* --- page allocator ----------------------------------------------------- */

/*
 * The page hooks run for every page the allocator hands out or takes back:
 * their common case, a page of the process the CPU's cache holds, calls
 * nothing and makes no atomic access but to the entry's counter. Tests in
 * the order that leaves earliest: interrupt context, then the cache, whose
 * hit also tells that current is the tracked process the cache was filled
 * for. Everything else is memattr_page_miss()'s.
 *
 * Context, both hooks: a tracepoint's probe, i.e. with preemption
 * disabled, which is an RCU read-side critical section: an entry found
 * stays valid until the probe returns, without an rcu_read_lock() of its
 * own (a function call pair on PREEMPT_RCU kernels, on every page). Page
 * frees also come in hard and soft interrupt context (RCU callbacks,
 * network buffers), on PREEMPT_RT from threaded handlers (kernel threads,
 * task context). Interrupt context touches only per-CPU counters through
 * IRQ-safe this_cpu ops; this CPU's struct memattr_cur is written only in
 * task context with preemption off, so an interrupt never lands in the
 * middle of one of its plain increments with an increment of its own (its
 * tgid, which another CPU may empty, is written whole).
 * Nothing here sleeps or takes a lock.
 */

/*
 * Whose pages are these, in interrupt context: nobody's (not the task's
 * that happened to be interrupted); allocated ones are counted for the
 * statistics. The run is counted here too: interrupt context never
 * touches the cache (see memattr_page_hit()).
 * Context: see above.
 */
static __always_inline void memattr_page_irq(enum memattr_hook_id id,
					     unsigned int nr)
{
	memattr_hit(id);
	if (id == MEMATTR_HOOK_PAGE_ALLOC)
		memattr_acct_count_irq_pages(nr);
}

/*
 * Whose pages are these, in task context when the cache does not say:
 * kernel threads, and a task after exit_mm() (the frees of its own address
 * space), are not a process; a process may not be tracked. The pages of
 * none of them are counted for a process, only allocated ones for the
 * statistics. Inline, lookup included, so that no path of a page hook
 * calls a function but the profile's: with one call, the common case too
 * would set up a stack frame (kernels build with frame pointers and
 * without sibling calls).
 * Context: see above.
 */
static __always_inline struct memattr_proc *
memattr_page_miss(enum memattr_hook_id id, struct memattr_cur *c,
		  unsigned int nr)
{
	bool alloc = id == MEMATTR_HOOK_PAGE_ALLOC;
	struct memattr_proc *p;

	if ((current->flags & PF_KTHREAD) || !current->mm) {
		if (alloc)
			memattr_acct_count_kthread_pages(nr);
		return NULL;
	}
	p = memattr_acct_cur_fill(c, current->tgid,
				  atomic_long_read(&memattr_procs_gen));
	if (!p && alloc)
		memattr_acct_count_untracked_pages(nr);
	return p;
}

/*
 * Whether this CPU's cache holds current's process, this hook's
 * task-context run counted there.
 *
 * A hit needs current->mm too: a process's task after exit_mm() hits its
 * tgid still. It then holds an entry: the cache holds a tgid with its
 * entry, or the tgid 0 once the entry left the table, which is the idle
 * tasks', and they have no mm (memattr_acct_cur_hit()). It needs no
 * PF_KTHREAD test: the cache is filled for user tasks only, and a kernel
 * thread whose pid is a cached tgid (the process dead, its pid reused)
 * finds the cache emptied, for a dead process's entry leaves the table;
 * only an entry the sampler has not reaped yet could stay, and then only a
 * kernel thread that borrowed an mm (kthread_use_mm()) would pass the mm
 * test.
 *
 * Context: task, see above.
 */
#ifdef CONFIG_X86
/*
 * x86 addresses a per-CPU word off %gs in the instruction that uses it
 * (raw per-CPU ops: the caller runs with preemption disabled), where a
 * pointer to this CPU's cache costs two more instructions.
 */
static __always_inline bool memattr_page_hit(enum memattr_hook_id id,
					     struct memattr_proc **pp)
{
	if (id == MEMATTR_HOOK_PAGE_ALLOC)
		raw_cpu_inc(memattr_cur.page_alloc_hits);
	else
		raw_cpu_inc(memattr_cur.page_free_hits);
	if (likely(raw_cpu_read(memattr_cur.tgid) == current->tgid &&
		   current->mm)) {
		*pp = raw_cpu_read(memattr_cur.p);
		return true;
	}
	return false;
}
#else
/*
 * Elsewhere (arm64) each raw per-CPU op reads the CPU's offset again: one
 * pointer serves all three words.
 */
static __always_inline bool memattr_page_hit(enum memattr_hook_id id,
					     struct memattr_proc **pp)
{
	struct memattr_cur *c = this_cpu_ptr(&memattr_cur);

	if (id == MEMATTR_HOOK_PAGE_ALLOC)
		c->page_alloc_hits++;
	else
		c->page_free_hits++;
	if (likely(READ_ONCE(c->tgid) == current->tgid && current->mm)) {
		*pp = c->p;
		return true;
	}
	return false;
}
#endif

/*
 * Whether a page hook's 2^@order pages belong to a process, into *@pp.
 * Tests in the order that leaves earliest for the common case: interrupt
 * context, then the cache, whose hit needs no test of the entry it holds.
 */
static __always_inline bool memattr_page_owner(enum memattr_hook_id id,
					       unsigned int order,
					       struct memattr_proc **pp)
{
	if (unlikely(!in_task())) {
		memattr_page_irq(id, 1U << order);
		return false;
	}
	if (likely(memattr_page_hit(id, pp)))
		return true;
	*pp = memattr_page_miss(id, this_cpu_ptr(&memattr_cur), 1U << order);
	return *pp;
}

/* Order 0, a page, is the common case: an increment spares the shift. */
static __always_inline void memattr_page_count(atomic64_t *v,
					       unsigned int order)
{
	if (likely(!order))
		atomic64_inc(v);
	else
		atomic64_add(1U << order, v);
}

static void memattr_tp_page_alloc(void *data, struct page *page,
				  unsigned int order, gfp_t gfp,
				  int migratetype)
{
	struct memattr_proc *p;

	if (unlikely(!page))	/* the allocation failed */
		return;
	if (!memattr_page_owner(MEMATTR_HOOK_PAGE_ALLOC, order, &p))
		return;
	memattr_page_count(&p->page_allocs, order);
	memattr_profile_page_alloc(p, page, order, gfp);
}

static void memattr_tp_page_free(void *data, struct page *page,
				 unsigned int order)
{
	struct memattr_proc *p;

	if (memattr_page_owner(MEMATTR_HOOK_PAGE_FREE, order, &p))
		memattr_page_count(&p->page_frees, order);
	/*
	 * Any context: a sampled page may be freed by whoever frees it. Last,
	 * so that nothing is live across the call: the common case then
	 * saves no register.
	 */
	memattr_profile_page_free(page, order);
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
	memattr_profile_task_end(p, true);
	memattr_acct_exec(p);
}

static void memattr_tp_exit(void *data, struct task_struct *p)
{
	memattr_hit(MEMATTR_HOOK_EXIT);
	memattr_profile_task_end(p, false);
	memattr_acct_exit_task(p);
}

static void memattr_tp_mark_victim(void *data, MEMATTR_MARK_VICTIM_ARGS)
{
	struct task_struct *t;

	memattr_hit(MEMATTR_HOOK_OOM);
	/*
	 * The thread by its pid, whichever prototype: the same lookup for
	 * both keeps one path tested. It cannot be gone: the OOM killer holds
	 * its task_lock() around mark_oom_victim().
	 */
	rcu_read_lock();
	t = pid_task(find_pid_ns(MEMATTR_MARK_VICTIM_PID, &init_pid_ns),
		     PIDTYPE_PID);
	if (t)
		memattr_acct_oom_victim(t);
	rcu_read_unlock();
}

/* --- entry hooks: do_exit() and the mapping calls ----------------------- */

/*
 * mmap/munmap/brk/mremap are counted where they enter the kernel; what they
 * mapped is read off VmSize by the sampler (sampler.c). A hook on their return
 * (a kretprobe) cost 1.17x on an arm64 mmap/munmap storm: there a kprobe is
 * a BRK trap and a single-step, and the return trampoline comes on top.
 */
struct memattr_entry_hook {
	enum memattr_hook_id id;
	const char *const *symbols;	/* candidates, NULL-terminated */
	const char *attached;		/* the candidate that worked */
	unsigned long addr;		/* its entry (ftrace: @ip is near) */
	struct kprobe kp;		/* where ftrace cannot be used */
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

/* ORDER: most frequent first, for memattr_ft_entry()'s search. */
static struct memattr_entry_hook memattr_entry_hooks[] = {
	{ .id = MEMATTR_HOOK_MMAP, .symbols = memattr_sym_mmap },
	{ .id = MEMATTR_HOOK_MUNMAP, .symbols = memattr_sym_munmap },
	{ .id = MEMATTR_HOOK_BRK, .symbols = memattr_sym_brk },
	{ .id = MEMATTR_HOOK_MREMAP, .symbols = memattr_sym_mremap },
	{ .id = MEMATTR_HOOK_EXIT_MM, .symbols = memattr_sym_do_exit },
};

/*
 * One call of a hooked function by current.
 *
 * Context: task, preemption disabled (an ftrace callback or a kprobe
 * handler), as memattr_acct_find_current() wants it.
 */
static void memattr_entry(enum memattr_hook_id id)
{
	struct memattr_proc *p;
	unsigned long args[6];
	atomic64_t *calls;

	memattr_hit(id);
	if (id == MEMATTR_HOOK_EXIT_MM) {
		memattr_acct_exit_mm(current);
		return;
	}
	if ((current->flags & PF_KTHREAD) || !current->mm)
		return;
	if (id == MEMATTR_HOOK_BRK) {
		/* brk(0) asks where the break is: not a mapping call. */
		syscall_get_arguments(current, task_pt_regs(current), args);
		if (!args[0])
			return;
	}
	p = memattr_acct_find_current();
	if (!p)
		return;
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
	memattr_profile_map(p, id);
}

static int memattr_kp_entry(struct kprobe *kp, struct pt_regs *regs)
{
	memattr_entry(container_of(kp, struct memattr_entry_hook, kp)->id);
	return 0;
}

/* Attach @h with a kprobe on its first candidate that takes one. */
static void memattr_entry_kprobe(struct memattr_entry_hook *h)
{
	const char *const *sym;

	for (sym = h->symbols; *sym; sym++) {
		memset(&h->kp, 0, sizeof(h->kp));
		h->kp.symbol_name = *sym;
		h->kp.pre_handler = memattr_kp_entry;
		if (!register_kprobe(&h->kp)) {
			h->attached = *sym;
			return;
		}
	}
}

#ifdef MEMATTR_ENTRY_FTRACE
/*
 * One ftrace_ops for every entry hook: a patched function entry calls
 * memattr_ft_entry(), where a kprobe without KPROBES_ON_FTRACE traps. One
 * ops, not one per function: with several, every traced call would walk
 * them all and test each one's filter.
 *
 * The ops sets no FTRACE_OPS_FL_RECURSION, so since 5.11 ftrace trusts the
 * callback to protect itself: on x86 it is called from the ops' own
 * trampoline, preemptible (PREEMPT_DYNAMIC and PREEMPT_RCU on Debian's
 * amd64 kernels) and with no recursion guard. memattr_ft_entry() therefore
 * takes ftrace's recursion guard and disables preemption itself (the guard
 * does that too from 5.16 on): memattr_acct_find_current() wants this CPU's
 * cache to stay this CPU's, and an entry found under it to outlive the
 * increment, which a preemption and a grace period in between would break.
 */
#define MEMATTR_FENTRY_SLACK	16	/* @ip - entry: BTI/ENDBR, mcount pad */

static void notrace memattr_ft_entry(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct memattr_ftrace_regs *fregs)
{
	unsigned int i;
	int bit;

	bit = memattr_ftrace_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	preempt_disable_notrace();
	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++) {
		if (ip - memattr_entry_hooks[i].addr < MEMATTR_FENTRY_SLACK) {
			memattr_entry(memattr_entry_hooks[i].id);
			break;
		}
	}
	preempt_enable_notrace();
	memattr_ftrace_recursion_unlock(bit);
}

static struct ftrace_ops memattr_entry_ops = {
	.func = memattr_ft_entry,
};

static bool memattr_entry_ftrace;	/* memattr_entry_ops is registered */

/* Every entry hook detached from ftrace, or never attached. */
static void memattr_entry_hooks_forget(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++) {
		memattr_entry_hooks[i].attached = NULL;
		memattr_entry_hooks[i].addr = 0;
	}
}

/*
 * The entry address of @sym, from a kprobe registered disarmed (no export
 * looks a symbol up; kallsyms_lookup_name() is not exported from 5.7): the
 * ftrace callback tells its functions apart by it.
 *
 * The contract: register_kprobe() resolves @sym through kallsyms to its
 * first definition, offset 0, and refuses addresses it may not probe
 * (notrace, __kprobes, not on a function boundary); the kprobe is never
 * armed, so it costs nothing and is unregistered at once. What breaks it:
 * a symbol that kallsyms holds twice (two static functions of one name) or
 * that was inlined away. Then ftrace_set_filter() of the name may match a
 * function this address is not, which memattr_ft_entry() ignores, or none,
 * and the hook is reported detached in `stats`.
 */
static unsigned long memattr_sym_addr(const char *sym)
{
	struct kprobe kp = {
		.symbol_name = sym,
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

/* Return: 0 when ftrace serves every hook it could find a symbol for. */
static int memattr_entry_ftrace_register(void)
{
	char buf[KSYM_NAME_LEN];
	bool any = false;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++) {
		struct memattr_entry_hook *h = &memattr_entry_hooks[i];
		const char *const *sym;

		for (sym = h->symbols; *sym; sym++) {
			unsigned long addr = memattr_sym_addr(*sym);

			if (!addr)
				continue;
			/* ftrace_set_filter() takes the name writable. */
			strscpy(buf, *sym, sizeof(buf));
			if (ftrace_set_filter(&memattr_entry_ops, buf,
					      strlen(buf), !any))
				continue;
			h->addr = addr;
			h->attached = *sym;
			any = true;
			break;
		}
	}
	ret = any ? register_ftrace_function(&memattr_entry_ops) : -ENOENT;
	if (ret) {
		ftrace_free_filter(&memattr_entry_ops);
		memattr_entry_hooks_forget();
		return ret;
	}
	memattr_entry_ftrace = true;
	return 0;
}

/*
 * In-flight callbacks run with preemption off: the synchronize_rcu() of
 * tracepoint_synchronize_unregister() in memattr_hooks_exit() waits for them.
 */
static void memattr_entry_ftrace_unregister(void)
{
	if (!memattr_entry_ftrace)
		return;
	unregister_ftrace_function(&memattr_entry_ops);
	ftrace_free_filter(&memattr_entry_ops);
	memattr_entry_hooks_forget();
	memattr_entry_ftrace = false;
}
#else
static int memattr_entry_ftrace_register(void)
{
	return -EOPNOTSUPP;
}

static void memattr_entry_ftrace_unregister(void)
{
}

static const bool memattr_entry_ftrace;
#endif

/* Attach every entry hook: ftrace where it can, else kprobes. */
static void memattr_entry_hooks_init(void)
{
	unsigned int i;

	if (memattr_entry_ftrace_register())
		for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++)
			memattr_entry_kprobe(&memattr_entry_hooks[i]);
	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++)
		if (!memattr_entry_hooks[i].attached)
			pr_warn("%s: no probe point among its candidates; not counted\n",
				memattr_entry_hooks[i].symbols[0]);
}

static void memattr_entry_hooks_exit(void)
{
	unsigned int i;

	if (memattr_entry_ftrace) {
		memattr_entry_ftrace_unregister();
		return;
	}
	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++) {
		struct memattr_entry_hook *h = &memattr_entry_hooks[i];

		if (h->attached)
			unregister_kprobe(&h->kp);
		h->attached = NULL;
	}
}

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

/*
 * The contract of the tracepoint probes. The kernel exports none of these
 * tracepoints (no register_trace_<name>() a module can call), so the probes
 * attach by name through for_each_kernel_tracepoint() and
 * tracepoint_probe_register(), which take any function: nothing at run time
 * checks that a probe's prototype is the tracepoint's. A probe whose
 * arguments differ (rss_stat after 6.1, mark_victim at 6.8) would read
 * garbage.
 *
 * So the prototypes are checked where they can be: at build time, against
 * the TP_PROTO() of the headers the module is built with, by
 * check_trace_callback_type_<name>() (a mismatch is an
 * incompatible-pointer-types error, which Kbuild makes fatal); and at load
 * time, memattr_hooks_init() refuses to attach anything unless the running
 * kernel is the very build those headers describe (its UTS version), which
 * is what makes the build-time check a check of this kernel. What breaks
 * it: loading a module built against another build's headers with the same
 * release name; the load then fails with a message instead of attaching.
 */
static void __maybe_unused memattr_tp_check_prototypes(void)
{
	check_trace_callback_type_sched_process_fork(memattr_tp_fork);
	check_trace_callback_type_sched_process_exec(memattr_tp_exec);
	check_trace_callback_type_sched_process_exit(memattr_tp_exit);
	check_trace_callback_type_mm_page_alloc(memattr_tp_page_alloc);
	check_trace_callback_type_mm_page_free(memattr_tp_page_free);
	check_trace_callback_type_mark_victim(memattr_tp_mark_victim);
}

/* Return: 0 when this kernel is the build the module was compiled against. */
static int memattr_hooks_check_build(void)
{
	const char *running = utsname()->version;

	if (!strcmp(running, MEMATTR_UTS_VERSION))
		return 0;
	pr_warn("built against kernel \"%s\", running \"%s\": tracepoint prototypes unchecked, not attaching\n",
		MEMATTR_UTS_VERSION, running);
	return -ENOEXEC;
}

static void memattr_tp_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memattr_tps); i++)
		if (!strcmp(tp->name, memattr_tps[i].name))
			memattr_tps[i].tp = tp;
}

/**
 * memattr_hooks_init() - attach every hook
 *
 * The tracepoints are required: without them there is nothing to attribute.
 * An entry hook whose symbol no candidate matches is reported and left out;
 * its counters then stay at zero and `stats` shows it detached.
 * Return: 0, or a negative errno when a tracepoint is missing.
 */
int memattr_hooks_init(void)
{
	unsigned int i;
	int ret;

	ret = memattr_hooks_check_build();
	if (ret)
		return ret;
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
	memattr_entry_hooks_init();
	return 0;

err:
	memattr_hooks_exit();
	return ret;
}

/**
 * memattr_hooks_exit() - detach every hook and wait for running handlers
 *
 * Once it returns no handler runs or will run: unregister_kprobe() waits
 * for kprobe handlers, unregister_ftrace_function() and
 * tracepoint_synchronize_unregister() for ftrace callbacks and tracepoint
 * probes.
 */
void memattr_hooks_exit(void)
{
	unsigned int i;

	memattr_entry_hooks_exit();
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
	for_each_possible_cpu(cpu) {
		const struct memattr_cur *c = per_cpu_ptr(&memattr_cur, cpu);

		info->hits += per_cpu(memattr_hook_hits[id], cpu);
		/* Words another CPU writes: a count of a moment. */
		if (id == MEMATTR_HOOK_PAGE_ALLOC)
			info->hits += READ_ONCE(c->page_alloc_hits);
		else if (id == MEMATTR_HOOK_PAGE_FREE)
			info->hits += READ_ONCE(c->page_free_hits);
	}
	for (i = 0; i < ARRAY_SIZE(memattr_tps); i++) {
		if (memattr_tps[i].id == id) {
			info->kind = "tracepoint";
			info->target = memattr_tps[i].registered ?
				memattr_tps[i].name : NULL;
			return;
		}
	}
	for (i = 0; i < ARRAY_SIZE(memattr_entry_hooks); i++) {
		struct memattr_entry_hook *h = &memattr_entry_hooks[i];

		if (h->id != id)
			continue;
		info->kind = memattr_entry_ftrace ? "ftrace" : "kprobe";
		info->target = h->attached;
		if (!memattr_entry_ftrace)
			info->misses = h->kp.nmissed;
		return;
	}
}
