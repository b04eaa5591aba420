/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The module's own memory: every allocation memattr makes goes through these
 * helpers, so that it can report what it costs.
 */
#ifndef _MEMATTR_MEM_H
#define _MEMATTR_MEM_H

#include <linux/types.h>
#include <linux/gfp.h>

void *memattr_mem_alloc(size_t size, gfp_t gfp);
void memattr_mem_free(const void *p, size_t size);
void memattr_mem_charge(size_t size);
void memattr_mem_uncharge(size_t size);
u64 memattr_mem_bytes(void);

#endif /* _MEMATTR_MEM_H */
