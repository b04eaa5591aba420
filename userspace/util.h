/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by the CLI's files, named as in the kernel.
 */
#ifndef MEMATTR_UTIL_H
#define MEMATTR_UTIL_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif /* MEMATTR_UTIL_H */
