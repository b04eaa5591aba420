/* SPDX-License-Identifier: GPL-2.0-only */
/* Replay shim: the time unit constants. */
#ifndef _REPLAY_SHIM_LINUX_TIME64_H
#define _REPLAY_SHIM_LINUX_TIME64_H

#define MSEC_PER_SEC	1000L
#define NSEC_PER_MSEC	1000000L
#define NSEC_PER_SEC	1000000000L

#endif /* _REPLAY_SHIM_LINUX_TIME64_H */
