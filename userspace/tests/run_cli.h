/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Run the CLI's memattr_main() in the test process with its output and
 * errors captured, for the host unit tests.
 */
#ifndef MEMATTR_TEST_RUN_CLI_H
#define MEMATTR_TEST_RUN_CLI_H

/* What a run printed (malloc'ed, NUL-terminated) and its exit status. */
struct run {
	int status;
	char *out;
	char *err;
};

/* "memattr" followed by args[0..argc) (at most 14 of them). */
struct run run_vec(int argc, const char *const *args);
/* The same on a NULL-terminated argument list. */
struct run run_argv(const char *arg, ...);
void run_free(struct run *r);

#endif /* MEMATTR_TEST_RUN_CLI_H */
