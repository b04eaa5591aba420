/* SPDX-License-Identifier: GPL-2.0-only */
/* Replay shim: BIT(). */
#ifndef _REPLAY_SHIM_LINUX_BITS_H
#define _REPLAY_SHIM_LINUX_BITS_H

#define BIT(nr)	(1UL << (nr))

#endif /* _REPLAY_SHIM_LINUX_BITS_H */
