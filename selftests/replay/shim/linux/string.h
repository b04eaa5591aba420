/* SPDX-License-Identifier: GPL-2.0-only */
/* Replay shim: memset() and friends from the C library. */
#ifndef _REPLAY_SHIM_LINUX_STRING_H
#define _REPLAY_SHIM_LINUX_STRING_H

#include <string.h>

#endif /* _REPLAY_SHIM_LINUX_STRING_H */
