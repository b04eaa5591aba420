/* SPDX-License-Identifier: GPL-2.0-only */
/* Replay shim: the kernel's U32_MAX, U64_MAX, S64_MAX. */
#ifndef _REPLAY_SHIM_LINUX_LIMITS_H
#define _REPLAY_SHIM_LINUX_LIMITS_H

#include <stdint.h>

#define U32_MAX	UINT32_MAX
#define U64_MAX	UINT64_MAX
#define S64_MAX	INT64_MAX

#endif /* _REPLAY_SHIM_LINUX_LIMITS_H */
