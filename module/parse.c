// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers for user-supplied values.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>

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

/**
 * memattr_parse_watermarks() - parse a list of watermark levels
 * @buf: NUL-terminated text such as "85,92,97", one optional trailing
 *	 newline allowed
 * @levels: where the levels go (MEMATTR_WATERMARKS_MAX of them at most);
 *	    untouched on error
 * @nr: where their number goes; untouched on error
 *
 * Levels are percentages of MemTotal in use, each in [1, 99], strictly
 * increasing, separated by single commas, at least one and at most
 * MEMATTR_WATERMARKS_MAX. Anything else (blanks, empty items, signs,
 * duplicates, a trailing comma) is -EINVAL.
 *
 * Return: 0 on success, -EINVAL on any bad input.
 */
int memattr_parse_watermarks(const char *buf, u8 *levels, unsigned int *nr)
{
	u8 tmp[MEMATTR_WATERMARKS_MAX];
	unsigned int n = 0;
	const char *p = buf;

	if (!buf)
		return -EINVAL;
	for (;;) {
		unsigned int val = 0, digits = 0;

		while (*p >= '0' && *p <= '9') {
			val = val * 10 + (*p++ - '0');
			if (++digits > 2)
				return -EINVAL;
		}
		if (!digits || val < 1 || val > 99 || n == ARRAY_SIZE(tmp) ||
		    (n && val <= tmp[n - 1]))
			return -EINVAL;
		tmp[n++] = val;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n')
			p++;
		if (*p)
			return -EINVAL;
		break;
	}
	memcpy(levels, tmp, n);
	*nr = n;
	return 0;
}
