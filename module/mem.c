// SPDX-License-Identifier: GPL-2.0-only
/*
 * Accounting of the module's own allocations.
 */
#include <linux/atomic.h>
#include <linux/slab.h>

#include "mem.h"

/* Bytes currently allocated by memattr through memattr_mem_alloc(). */
static atomic64_t memattr_mem_used = ATOMIC64_INIT(0);

/**
 * memattr_mem_alloc() - allocate zeroed memory and account for it
 * @size: bytes wanted
 * @gfp: allocation flags
 *
 * Return: the memory, or NULL.
 */
void *memattr_mem_alloc(size_t size, gfp_t gfp)
{
	void *p = kzalloc(size, gfp);

	if (p)
		atomic64_add(size, &memattr_mem_used);
	return p;
}

/**
 * memattr_mem_free() - free memory from memattr_mem_alloc()
 * @p: the memory, or NULL
 * @size: the size it was allocated with
 */
void memattr_mem_free(const void *p, size_t size)
{
	if (!p)
		return;
	kfree(p);
	atomic64_sub(size, &memattr_mem_used);
}

/**
 * memattr_mem_charge() - account for memory allocated another way
 * @size: its size
 *
 * For memory the caller allocates itself, e.g. with kvcalloc().
 */
void memattr_mem_charge(size_t size)
{
	atomic64_add(size, &memattr_mem_used);
}

/**
 * memattr_mem_uncharge() - account for memory freed another way
 * @size: the size it was allocated with
 *
 * For memory from memattr_mem_alloc() or memattr_mem_charge() that the
 * caller frees itself, e.g. with kfree_rcu() or kvfree().
 */
void memattr_mem_uncharge(size_t size)
{
	atomic64_sub(size, &memattr_mem_used);
}

/**
 * memattr_mem_bytes() - memory memattr holds right now
 *
 * Return: bytes allocated and not yet freed.
 */
u64 memattr_mem_bytes(void)
{
	return atomic64_read(&memattr_mem_used);
}
