/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the query commands (ps, show, top, cgroups, leaks, system,
 * oom, config): argument parsing, the footprint sparkline, durations and
 * what the terminal can show. All pure but the terminal probes.
 */
#ifndef MEMATTR_QUERY_H
#define MEMATTR_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

/* A Linux pid: 1..PID_MAX_LIMIT. */
#define MEMATTR_PID_MAX		4194304

/*
 * A decimal integer in [min, max], digits only (no sign, no spaces, no
 * suffix). Returns 0 or -EINVAL.
 */
int query_parse_u64(const char *s, uint64_t min, uint64_t max,
		    uint64_t *val);
/*
 * Seconds with an optional fraction ("2", "0.5", "1.25", ".5"), down to the
 * millisecond, in [min_ms, max_ms] once converted. Returns 0 or -EINVAL.
 */
int query_parse_seconds(const char *s, uint64_t min_ms, uint64_t max_ms,
			uint64_t *ms);

/*
 * An option taking a value, at argv[*i]: "-x VAL", "-xVAL", "--long VAL" or
 * "--long=VAL". Returns 1 and the value in *val (advancing *i past what it
 * consumed, minus one: the caller's loop steps over the last), 0 when
 * argv[*i] is not this option, or -EINVAL when its value is missing (the
 * one-line hint is printed to err).
 */
int query_opt(int argc, char **argv, int *i, char shrt, const char *lng,
	      const char **val, const char *cmd, FILE *err);

/* Sparkline characters: ASCII levels, lowest first, and UTF-8 blocks. */
#define QUERY_SPARK_ASCII	" .:-=+*#%@"

/*
 * Render a footprint history as width characters (fewer when there are
 * fewer points): time runs evenly from the first point to the last, each
 * column shows the last point at or before its end, scaled from the
 * history's minimum to its maximum. utf8 picks the eight block elements
 * U+2581..U+2588, else QUERY_SPARK_ASCII from '.' up (a flat history is
 * all lowest level). Writes a NUL-terminated string to buf (size bytes;
 * 4 * width + 1 is always enough) and returns its length in columns.
 * *min_kb and *max_kb get the range (0 when nr is 0).
 */
size_t query_sparkline(const struct memattr_point *pts, size_t nr,
		       unsigned int width, bool utf8, char *buf, size_t size,
		       uint32_t *min_kb, uint32_t *max_kb);

/* "45s", "12m 5s", "3h 20m", "2d 4h": the two largest units. */
void query_duration(uint64_t ms, char *buf, size_t size);

/*
 * Whether out is a terminal that understands cursor and clear-screen
 * sequences (a tty, with TERM set and not "dumb"), and whether the locale
 * says UTF-8 (LC_ALL, LC_CTYPE, LANG).
 */
bool query_term_fancy(FILE *out);
bool query_locale_utf8(void);

#endif /* MEMATTR_QUERY_H */
