// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroup collection: the memory-cgroup rows the sampler builds each tick
 * (the memcg's own counters, its limit and the headroom left under it and
 * its ancestors), the lookup of a process's row among them, and a cgroup's
 * path by id.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs. The
 * sampler and the OOM capture call this file; it reads the kernel's memory
 * cgroups and calls no other part of the module but the accounting of its
 * own memory.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/page_counter.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "cgroup.h"
#include "exhaust.h"
#include "mem.h"

static int memattr_cgroup_cmp(const void *a, const void *b)
{
	const struct memattr_cgroup_row *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

struct memattr_cgroup_row *
memattr_cgroup_lookup(struct memattr_cgroup_row *rows, u32 nr, u64 id)
{
	u32 lo = 0, hi = nr;

	/*
	 * By hand, not bsearch() with a key row: the sampler looks up every
	 * process at every tick, and building a key row zeroed its 256-byte
	 * path each time (0.6 us of a 1.1 us per-process tick on arm64).
	 */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (rows[mid].id == id)
			return &rows[mid];
		if (rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void memattr_fp_add(struct memattr_fp *sum, const struct memattr_fp *fp)
{
	sum->rss_kb += fp->rss_kb;
	sum->anon_kb += fp->anon_kb;
	sum->file_kb += fp->file_kb;
	sum->shmem_kb += fp->shmem_kb;
	sum->swap_kb += fp->swap_kb;
	sum->peak_rss_kb += fp->peak_rss_kb;
	sum->vm_kb += fp->vm_kb;
	sum->pgtables_kb += fp->pgtables_kb;
}

void memattr_activity_add(struct memattr_activity *sum,
			  const struct memattr_activity *a)
{
	sum->page_allocs += a->page_allocs;
	sum->page_frees += a->page_frees;
	sum->mmap_calls += a->mmap_calls;
	sum->munmap_calls += a->munmap_calls;
	sum->brk_calls += a->brk_calls;
	sum->mremap_calls += a->mremap_calls;
	sum->mapped_bytes += a->mapped_bytes;
}

/* The root of the memory controller's hierarchy. Context: RCU. */
static struct mem_cgroup *memattr_root_memcg(void)
{
	struct mem_cgroup *memcg = mem_cgroup_from_task(current);

	while (memcg && memcg->css.parent)
		memcg = mem_cgroup_from_css(memcg->css.parent);
	return memcg;
}

/*
 * The least room (memory.max - usage, KiB) of @memcg and its ancestors:
 * a process's growth is charged to each. Context: RCU.
 */
static u64 memattr_cgroup_headroom_kb(struct mem_cgroup *memcg)
{
	u64 headroom = MEMATTR_EXHAUST_NO_LIMIT;

	/* The root has no limit. */
	for (; memcg && memcg->css.parent;
	     memcg = mem_cgroup_from_css(memcg->css.parent)) {
		unsigned long max = READ_ONCE(memcg->memory.max);
		unsigned long usage = page_counter_read(&memcg->memory);

		if (max >= PAGE_COUNTER_MAX)
			continue;
		headroom = memattr_exhaust_headroom_kb(headroom,
						       memattr_pages_kb(max),
						       memattr_pages_kb(usage));
	}
	return headroom;
}

static void memattr_cgroup_fill(struct memattr_cgroup_row *r,
				struct mem_cgroup *memcg)
{
	unsigned long anon = 0, file = 0, shmem = 0, usage, max;
	int nid;

	r->id = cgroup_id(memcg->css.cgroup);
	if (cgroup_path(memcg->css.cgroup, r->path, sizeof(r->path)) < 0)
		strscpy(r->path, "?", sizeof(r->path));
	for_each_online_node(nid) {
		anon += memattr_memcg_node_page_state(memcg, nid, NR_ANON_MAPPED);
		file += memattr_memcg_node_page_state(memcg, nid, NR_FILE_PAGES);
		shmem += memattr_memcg_node_page_state(memcg, nid, NR_SHMEM);
	}
	/*
	 * Tasks of the root cgroup are never charged to its counter, which
	 * only sums its children: like memcg's own mem_cgroup_usage(), take
	 * the root's statistics instead.
	 */
	if (memcg->css.parent)
		usage = page_counter_read(&memcg->memory);
	else
		usage = anon + file;
	max = READ_ONCE(memcg->memory.max);
	r->usage_kb = memattr_pages_kb(usage);
	r->anon_kb = memattr_pages_kb(anon);
	r->file_kb = memattr_pages_kb(file);
	r->shmem_kb = memattr_pages_kb(shmem);
	r->kernel_kb = usage > anon + file ? memattr_pages_kb(usage - anon - file) : 0;
	r->limit_kb = max >= PAGE_COUNTER_MAX ? U64_MAX : memattr_pages_kb(max);
	r->headroom_kb = memattr_cgroup_headroom_kb(memcg);
}

/*
 * Snapshot every memory cgroup, into *@spare (of *@spare_bytes, charged)
 * when it has room and is not more than twice the size needed, else into a
 * new array, *@spare then freed; *@spare is NULL after. Filling a spare
 * spares the allocator's zeroing of a new array at every tick
 * (init_on_alloc: 8 KiB, 8k instructions on amd64, for one cgroup).
 * Context: process.
 * Return: a sorted array or NULL; *nr its length, *bytes its size, charged
 * to the module.
 */
struct memattr_cgroup_row *
memattr_cgroups_collect(struct memattr_cgroup_row **spare, size_t *spare_bytes,
			u32 *nr, size_t *bytes)
{
	struct memattr_cgroup_row *rows;
	struct cgroup_subsys_state *css, *root_css;
	struct mem_cgroup *root;
	u32 n = 0, cap = 0;

	*nr = 0;
	*bytes = 0;
	rcu_read_lock();
	root = memattr_root_memcg();
	if (!root) {
		rcu_read_unlock();
		return NULL;
	}
	root_css = &root->css;
	css_for_each_descendant_pre(css, root_css)
		cap++;
	rcu_read_unlock();

	cap += 16;
	rows = *spare;
	*bytes = *spare_bytes;
	*spare = NULL;
	*spare_bytes = 0;
	if (!rows || *bytes < cap * sizeof(*rows) ||
	    *bytes / 2 > cap * sizeof(*rows)) {
		kvfree(rows);
		memattr_mem_uncharge(*bytes);
		/* Zeroed row by row as filled: the room to spare is not. */
		rows = kvmalloc_array(cap, sizeof(*rows), GFP_KERNEL);
		if (!rows) {
			*bytes = 0;
			return NULL;
		}
		memattr_mem_charge(cap * sizeof(*rows));
		*bytes = cap * sizeof(*rows);
	}
	cap = *bytes / sizeof(*rows);

	rcu_read_lock();
	root = memattr_root_memcg();
	if (root) {
		root_css = &root->css;
		css_for_each_descendant_pre(css, root_css) {
			if (n == cap)
				break;
			if (!(css->flags & CSS_ONLINE) && css != root_css)
				continue;
			memset(&rows[n], 0, sizeof(rows[n]));
			memattr_cgroup_fill(&rows[n++], mem_cgroup_from_css(css));
		}
	}
	rcu_read_unlock();
	sort(rows, n, sizeof(*rows), memattr_cgroup_cmp, NULL);
	*nr = n;
	return rows;
}

/*
 * The path of the memory cgroup with id @id, looked up now (one created
 * since the last sample is not in the table yet), or "-" when there is
 * none. Context: process.
 */
void memattr_cgroup_path(u64 id, char *buf, size_t len)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *root;

	strscpy(buf, "-", len);
	rcu_read_lock();
	root = memattr_root_memcg();
	if (root) {
		css_for_each_descendant_pre(css, &root->css) {
			if (cgroup_id(css->cgroup) != id)
				continue;
			if (cgroup_path(css->cgroup, buf, len) < 0)
				strscpy(buf, "?", len);
			break;
		}
	}
	rcu_read_unlock();
}
