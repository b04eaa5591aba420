/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by the CLI's files, named as in the kernel.
 */
#ifndef MEMATTR_UTIL_H
#define MEMATTR_UTIL_H

#include <stddef.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The index of @s in @names[@n] (NULL entries skipped), or -1. */
static inline int name_index(const char *const *names, size_t n,
			     const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

#endif /* MEMATTR_UTIL_H */
