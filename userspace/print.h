/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One output API for text and JSON.
 *
 * A command describes its output once, as a tree of objects, arrays and
 * scalars; the printer renders that tree either as JSON (compact or pretty)
 * or as aligned text, so the two formats cannot drift apart.
 *
 * Values are collected until the outermost object or array is closed (or a
 * scalar is printed at top level), then rendered and freed. Several
 * top-level values in a row are separated by a newline in JSON (one JSON
 * document per line when compact) and by a blank line in text.
 *
 * Text rendering:
 *   object            "key  value" lines, keys padded to a common width;
 *                     a nested object or array of objects is introduced by
 *                     "key:" and indented by two spaces
 *   array of objects  a table: one header line of the upper-cased keys,
 *                     one row per object, numbers right-aligned
 *   array of scalars  the values joined by ", "
 *   null              "-"
 * Strings are escaped in both formats: JSON per RFC 8259 (bytes that are
 * not valid UTF-8 become U+FFFD), text with \xNN for control characters
 * and invalid UTF-8, so a hostile process name cannot inject terminal
 * escapes or break the JSON.
 *
 * Every call takes a key: the member name inside an object, NULL inside an
 * array or at top level. Misuse (a missing key, an unbalanced close) and
 * allocation failures are remembered and reported by pr_error() and
 * pr_free(); the calls themselves never fail loudly, so commands can print
 * without checking each call.
 */
#ifndef MEMATTR_PRINT_H
#define MEMATTR_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pr;

enum pr_flags {
	PR_JSON		= 1 << 0,	/* JSON instead of text */
	PR_PRETTY	= 1 << 1,	/* indent JSON; no effect on text */
	/*
	 * Text: each top-level value on one line of space-separated
	 * key=value pairs (nested objects as {k=v,...}, arrays as [v,...]),
	 * with spaces in strings escaped as \x20 so a line splits on
	 * spaces; no blank line between values. For streams of records
	 * (memattr watch). No effect on JSON.
	 */
	PR_LINE		= 1 << 2,
	/*
	 * Text (and PR_LINE): numbers under a key ending in _kb or
	 * _kb_per_hour as human-readable sizes (pr_human_kb(), "/h" for a
	 * rate), the key shown without that ending (rss_kb as rss). No
	 * effect on JSON.
	 */
	PR_HUMAN	= 1 << 3,
};

struct pr *pr_new(FILE *out, unsigned int flags);
/* Flushes, frees, and returns pr_error() (0 or a negative errno). */
int pr_free(struct pr *pr);
/* 0, or the first error: -EINVAL (misuse), -ENOMEM or -EIO. */
int pr_error(const struct pr *pr);
bool pr_is_json(const struct pr *pr);

void pr_obj_open(struct pr *pr, const char *key);
void pr_obj_close(struct pr *pr);
void pr_arr_open(struct pr *pr, const char *key);
void pr_arr_close(struct pr *pr);

void pr_str(struct pr *pr, const char *key, const char *val);
/* len bytes, which may hold NULs or invalid UTF-8 (e.g. a task's comm) */
void pr_strn(struct pr *pr, const char *key, const char *val, size_t len);
void pr_u64(struct pr *pr, const char *key, uint64_t val);
void pr_s64(struct pr *pr, const char *key, int64_t val);
void pr_bool(struct pr *pr, const char *key, bool val);
void pr_null(struct pr *pr, const char *key);

/*
 * kb KiB as "512KiB", "1.5MiB", "23.0GiB" (binary units, one decimal
 * above KiB, rounded); negative with a leading "-". 16 bytes suffice.
 */
void pr_human_kb(char *buf, size_t size, long long kb);

/*
 * len bytes escaped as text output escapes them (control characters, DEL
 * and invalid UTF-8 as \xNN), NUL-terminated, for text that leaves through
 * another channel (environment variables). NULL when out of memory; free()
 * it.
 */
char *pr_text_escape(const char *val, size_t len);

#endif /* MEMATTR_PRINT_H */
