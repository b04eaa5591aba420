/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replay shim: the kernel's fixed-width types over the host's UAPI ones
 * (__u8 .. __s64 come from the host's own <linux/types.h>).
 */
#ifndef _REPLAY_SHIM_LINUX_TYPES_H
#define _REPLAY_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif /* _REPLAY_SHIM_LINUX_TYPES_H */
