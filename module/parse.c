// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers for user-supplied values.
 */
#include <linux/kernel.h>
#include <linux/errno.h>

#include "parse.h"

/**
 * memattr_parse_u32_range() - parse a decimal u32 and check its range
 * @buf: NUL-terminated text, one optional trailing newline allowed
 * @min: smallest accepted value
 * @max: largest accepted value
 * @out: where the value goes; untouched on error
 *
 * Rejects empty input, signs, leading or trailing blanks, non-digits,
 * values that overflow u32 and values outside [@min, @max], all with
 * -EINVAL so that callers have one answer for every kind of bad input.
 *
 * Return: 0 on success, -EINVAL on any bad input.
 */
int memattr_parse_u32_range(const char *buf, u32 min, u32 max, u32 *out)
{
	unsigned int val;

	if (!buf || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	if (kstrtouint(buf, 10, &val))
		return -EINVAL;
	if (val < min || val > max)
		return -EINVAL;
	*out = val;
	return 0;
}
