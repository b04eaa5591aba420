/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal TAP 13 producer for the host unit tests: a table of test
 * functions, CHECK*() macros that record a failure with a diagnostic and
 * carry on, one "ok N - name" line per function.
 */
#ifndef MEMATTR_TAP_H
#define MEMATTR_TAP_H

#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
};

/* failures in the running test, and why it was skipped (if it was) */
static int tap_failures;
static const char *tap_skipped;

/* Call from a test, then return: it is reported as skipped. */
static inline void tap_skip(const char *why)
{
	tap_skipped = why;
}

static inline void tap_fail(const char *file, int line, const char *what)
{
	printf("# %s:%d: check failed: %s\n", file, line, what);
	tap_failures++;
}

/* Print s as TAP diagnostics: every line prefixed with "# ". */
static inline void tap_diag(const char *label, const char *s)
{
	printf("# %s:\n# |", label);
	for (; s && *s; s++)
		printf(*s == '\n' && s[1] ? "\n# |" : "%c", *s);
	printf("%s\n", s ? "" : "(null)");
}

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			tap_fail(__FILE__, __LINE__, #cond);		\
	} while (0)

#define CHECK_INT(a, b)							\
	do {								\
		long long _a = (a), _b = (b);				\
		if (_a != _b) {						\
			printf("# got %lld, want %lld\n", _a, _b);	\
			tap_fail(__FILE__, __LINE__, #a " == " #b);	\
		}							\
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *_a = (a), *_b = (b);			\
		if (!_a || strcmp(_a, _b)) {				\
			tap_diag("got", _a);				\
			tap_diag("want", _b);				\
			tap_fail(__FILE__, __LINE__, #a " == " #b);	\
		}							\
	} while (0)

/* Run the table; returns the exit status (0 when all passed). */
static inline int tap_run(const struct tap_test *tests, size_t n)
{
	size_t i, failed = 0;

	printf("TAP version 13\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		tap_failures = 0;
		tap_skipped = NULL;
		fflush(stdout);
		tests[i].fn();
		printf("%sok %zu - %s", tap_failures ? "not " : "", i + 1,
		       tests[i].name);
		if (tap_skipped && !tap_failures)
			printf(" # SKIP %s", tap_skipped);
		printf("\n");
		if (tap_failures)
			failed++;
	}
	printf("# %zu passed, %zu failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#endif /* MEMATTR_TAP_H */
