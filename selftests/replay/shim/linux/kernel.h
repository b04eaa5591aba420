/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replay shim: min/max, the rounding divisions and static_assert() as the
 * kernel spells them (type-checked min/max are not needed: the module's
 * W=1 build already checks their operands).
 */
#ifndef _REPLAY_SHIM_LINUX_KERNEL_H
#define _REPLAY_SHIM_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/limits.h>

#define min(x, y) ({			\
	typeof(x) _x = (x);		\
	typeof(y) _y = (y);		\
	_x < _y ? _x : _y; })
#define max(x, y) ({			\
	typeof(x) _x = (x);		\
	typeof(y) _y = (y);		\
	_x > _y ? _x : _y; })
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

#define DIV_ROUND_UP(n, d) ({		\
	typeof(d) _d = (d);		\
	((n) + _d - 1) / _d; })
#define DIV_ROUND_UP_ULL(ll, d)	DIV_ROUND_UP((unsigned long long)(ll), d)

/* At file scope, as the module uses it: a negative array fails to build. */
#define static_assert(expr, ...)	\
	extern char replay_static_assert[(expr) ? 1 : -1]

#endif /* _REPLAY_SHIM_LINUX_KERNEL_H */
