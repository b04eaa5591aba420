/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replay shim: sort_r() over the C library's qsort_r(). Neither is stable,
 * and the module does not need it to be: its comparators order by value.
 */
#ifndef _REPLAY_SHIM_LINUX_SORT_H
#define _REPLAY_SHIM_LINUX_SORT_H

#include <stdlib.h>

#include <linux/types.h>

typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);

struct replay_sort_ctx {
	cmp_r_func_t cmp;
	const void *priv;
};

static inline int replay_sort_cmp(const void *a, const void *b, void *arg)
{
	const struct replay_sort_ctx *c = arg;

	return c->cmp(a, b, c->priv);
}

static inline void sort_r(void *base, size_t num, size_t size,
			  cmp_r_func_t cmp_func, swap_r_func_t swap_func,
			  const void *priv)
{
	struct replay_sort_ctx c = { .cmp = cmp_func, .priv = priv };

	(void)swap_func;
	qsort_r(base, num, size, replay_sort_cmp, &c);
}

#endif /* _REPLAY_SHIM_LINUX_SORT_H */
