// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr_floor.ko (MEMATTR_FLOOR=m, the benchmark only): memattr's hooks
 * with empty bodies, attached the way memattr attaches its own (hooks.c):
 * the page allocator's tracepoints with an empty probe each and, where
 * memattr uses ftrace, one ftrace_ops with an empty callback on the
 * mapping calls' entries. Loaded in place of memattr, it measures the
 * floor under memattr's hooks: what they cost before they do anything.
 */
#include <linux/errno.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

static void memattr_floor_alloc(void *data, struct page *page,
				unsigned int order, gfp_t gfp, int migratetype)
{
}

static void memattr_floor_free(void *data, struct page *page,
			       unsigned int order)
{
}

static struct memattr_floor_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} memattr_floor_tps[] = {
	{ "mm_page_alloc", memattr_floor_alloc },
	{ "mm_page_free", memattr_floor_free },
};

#ifdef MEMATTR_ENTRY_FTRACE
static void notrace memattr_floor_entry(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *op,
					struct memattr_ftrace_regs *fregs)
{
}

static struct ftrace_ops memattr_floor_ops = {
	.func = memattr_floor_entry,
};

/*
 * memattr's entry hooks' candidates (hooks.c), as it filters them: those
 * this kernel has.
 */
static int memattr_floor_ftrace(void)
{
	static const char *const syms[] = {
		"vm_mmap_pgoff", "__vm_munmap", MEMATTR_SYSCALL_SYM(munmap),
		MEMATTR_SYSCALL_SYM(brk), MEMATTR_SYSCALL_SYM(mremap),
		"do_exit",
	};
	bool any = false, munmap = false;
	char buf[KSYM_NAME_LEN];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		/* __vm_munmap() or, where it is inlined, the syscall. */
		if (i == 2 && munmap)
			continue;
		strscpy(buf, syms[i], sizeof(buf));
		if (ftrace_set_filter(&memattr_floor_ops, buf, strlen(buf), !any))
			continue;
		any = true;
		munmap |= i == 1;
	}
	ret = any ? register_ftrace_function(&memattr_floor_ops) : -ENOENT;
	if (ret)
		ftrace_free_filter(&memattr_floor_ops);
	return ret;
}

static void memattr_floor_ftrace_exit(void)
{
	unregister_ftrace_function(&memattr_floor_ops);
	ftrace_free_filter(&memattr_floor_ops);
}
#else
static int memattr_floor_ftrace(void)
{
	return 0;
}

static void memattr_floor_ftrace_exit(void)
{
}
#endif

static void __maybe_unused memattr_floor_check_prototypes(void)
{
	check_trace_callback_type_mm_page_alloc(memattr_floor_alloc);
	check_trace_callback_type_mm_page_free(memattr_floor_free);
}

static void memattr_floor_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memattr_floor_tps); i++)
		if (!strcmp(tp->name, memattr_floor_tps[i].name))
			memattr_floor_tps[i].tp = tp;
}

static void memattr_floor_detach(unsigned int n)
{
	while (n-- > 0)
		tracepoint_probe_unregister(memattr_floor_tps[n].tp,
					    memattr_floor_tps[n].probe, NULL);
	tracepoint_synchronize_unregister();
}

static int __init memattr_floor_init(void)
{
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(memattr_floor_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(memattr_floor_tps); i++) {
		ret = memattr_floor_tps[i].tp ?
		      tracepoint_probe_register(memattr_floor_tps[i].tp,
						memattr_floor_tps[i].probe,
						NULL) : -ENOENT;
		if (ret) {
			memattr_floor_detach(i);
			return ret;
		}
	}
	ret = memattr_floor_ftrace();
	if (ret)
		memattr_floor_detach(ARRAY_SIZE(memattr_floor_tps));
	return ret;
}

static void __exit memattr_floor_exit(void)
{
	memattr_floor_ftrace_exit();
	memattr_floor_detach(ARRAY_SIZE(memattr_floor_tps));
}

module_init(memattr_floor_init);
module_exit(memattr_floor_exit);
MODULE_DESCRIPTION("memattr benchmark: its hooks with empty bodies");
MODULE_LICENSE("GPL");
