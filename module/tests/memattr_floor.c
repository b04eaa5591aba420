// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr_floor.ko (MEMATTR_FLOOR=m, the benchmark only): the page
 * allocator's tracepoints with an empty probe each, attached the way
 * memattr attaches its own (hooks.c). Loaded in place of memattr, it
 * measures the floor under memattr's page hooks: what any probe on
 * mm_page_alloc and mm_page_free costs before it does anything.
 */
#include <linux/errno.h>
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
	return 0;
}

static void __exit memattr_floor_exit(void)
{
	memattr_floor_detach(ARRAY_SIZE(memattr_floor_tps));
}

module_init(memattr_floor_init);
module_exit(memattr_floor_exit);
MODULE_DESCRIPTION("memattr benchmark: empty page allocator probes");
MODULE_LICENSE("GPL");
