/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cgroup collection (cgroup.c): the memory-cgroup rows the sampler builds,
 * their headroom, and a cgroup's path by id.
 *
 * Arrows: hooks -> tables <- sampler -> detector -> events -> outputs.
 */
#ifndef _MEMATTR_CGROUP_H
#define _MEMATTR_CGROUP_H

#include <linux/types.h>

#include "acct.h"

struct memattr_cgroup_row *
memattr_cgroups_collect(struct memattr_cgroup_row **spare, size_t *spare_bytes,
			u32 *nr, size_t *bytes);
struct memattr_cgroup_row *
memattr_cgroup_lookup(struct memattr_cgroup_row *rows, u32 nr, u64 id);
void memattr_cgroup_path(u64 id, char *buf, size_t len);
void memattr_fp_add(struct memattr_fp *sum, const struct memattr_fp *fp);
void memattr_activity_add(struct memattr_activity *sum,
			  const struct memattr_activity *a);

#endif /* _MEMATTR_CGROUP_H */
