/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parsers for user-supplied values (module parameters, debugfs writes).
 * Pure functions: no hooks, no state, unit-tested by KUnit.
 */
#ifndef _MEMATTR_PARSE_H
#define _MEMATTR_PARSE_H

#include <linux/types.h>

#define MEMATTR_WATERMARKS_MAX	8

int memattr_parse_u32_range(const char *buf, u32 min, u32 max, u32 *out);
int memattr_parse_watermarks(const char *buf, u8 *levels, unsigned int *nr);

#endif /* _MEMATTR_PARSE_H */
