// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the query commands; see query.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "query.h"

int query_parse_u64(const char *s, uint64_t min, uint64_t max,
		    uint64_t *val)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

int query_parse_seconds(const char *s, uint64_t min_ms, uint64_t max_ms,
			uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, scale = 100;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++) {
		digits = true;
		if (whole > 1000000000)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			digits = true;
			/* digits past the millisecond must be zeros */
			if (!scale && *s != '0')
				return -EINVAL;
			frac += (uint64_t)(*s - '0') * scale;
			scale /= 10;
		}
	}
	if (!digits || *s)
		return -EINVAL;
	whole = whole * 1000 + frac;
	if (whole < min_ms || whole > max_ms)
		return -EINVAL;
	*ms = whole;
	return 0;
}

int query_opt(int argc, char **argv, int *i, char shrt, const char *lng,
	      const char **val, const char *cmd, FILE *err)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (a[0] == '-' && a[1] == shrt) {
		if (a[2]) {
			*val = a + 2;
			return 1;
		}
	} else if (!strncmp(a, "--", 2) && !strncmp(a + 2, lng, n) &&
		   (a[2 + n] == '=' || !a[2 + n])) {
		if (a[2 + n] == '=') {
			*val = a + 3 + n;
			return 1;
		}
	} else {
		return 0;
	}
	if (*i + 1 >= argc) {
		fprintf(err,
			"memattr: %s: option '%s' needs a value; try 'memattr %s help'\n",
			cmd, a, cmd);
		return -EINVAL;
	}
	*val = argv[++*i];
	return 1;
}

/* U+2581..U+2588, three bytes each */
static const char *const spark_utf8[] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};

size_t query_sparkline(const struct memattr_point *pts, size_t nr,
		       unsigned int width, bool utf8, char *buf, size_t size,
		       uint32_t *min_kb, uint32_t *max_kb)
{
	static const char ascii[] = QUERY_SPARK_ASCII;
	size_t levels = utf8 ? ARRAY_SIZE(spark_utf8) : sizeof(ascii) - 2;
	uint64_t t0, span, t_end;
	uint32_t lo, hi, v;
	size_t i, col, len = 0, p = 0, lvl;
	const char *c;

	*min_kb = 0;
	*max_kb = 0;
	if (size)
		buf[0] = '\0';
	if (!nr || !width || !size)
		return 0;
	lo = pts[0].kb;
	hi = lo;
	for (i = 1; i < nr; i++) {
		if (pts[i].kb < lo)
			lo = pts[i].kb;
		if (pts[i].kb > hi)
			hi = pts[i].kb;
	}
	*min_kb = lo;
	*max_kb = hi;
	if (width > nr)
		width = (unsigned int)nr;
	t0 = pts[0].t_ms;
	span = pts[nr - 1].t_ms > t0 ? pts[nr - 1].t_ms - t0 : 0;
	for (col = 0; col < width; col++) {
		/* the end of this column's slice of time */
		t_end = width > 1 ? t0 + span * col / (width - 1) : t0 + span;
		while (p + 1 < nr && pts[p + 1].t_ms <= t_end)
			p++;
		v = pts[p].kb;
		lvl = hi > lo ? (size_t)((uint64_t)(v - lo) * (levels - 1) /
					 (hi - lo)) : 0;
		if (utf8) {
			c = spark_utf8[lvl];
			if (len + 3 >= size)
				break;
			memcpy(buf + len, c, 3);
			len += 3;
		} else {
			if (len + 1 >= size)
				break;
			buf[len++] = ascii[1 + lvl];
		}
	}
	buf[len] = '\0';
	return col;
}

void query_duration(uint64_t ms, char *buf, size_t size)
{
	uint64_t s = ms / 1000;

	if (s < 60)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%llum %llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lluh %llum",
			 (unsigned long long)s / 3600,
			 (unsigned long long)s % 3600 / 60);
	else
		snprintf(buf, size, "%llud %lluh",
			 (unsigned long long)s / 86400,
			 (unsigned long long)s % 86400 / 3600);
}

bool query_term_fancy(FILE *out)
{
	const char *term = getenv("TERM");

	return isatty(fileno(out)) && term && *term && strcmp(term, "dumb");
}

bool query_locale_utf8(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *v;
	size_t i;

	/* the first one set decides, as setlocale() would */
	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}
