// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the command line: the input, split on NUL bytes,
 * is argv[1..]. cli_parse() must return a valid status or CLI_RUN with a
 * command; commands that need no kernel (version) are run too.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "memattr.h"

#define ARGS_MAX	32

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
	static FILE *null;
	char *argv[ARGS_MAX + 2] = { "memattr" };
	char *copy, *p, *end;
	struct cli cli;
	int argc = 1, ret;

	if (!null)
		null = fopen("/dev/null", "w");
	assert(null);
	copy = malloc(size + 1);
	assert(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	for (p = copy; p < end && argc <= ARGS_MAX; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	ret = cli_parse(&cli, argc, argv, null, null);
	assert(ret == CLI_RUN || ret == MEMATTR_EXIT_OK ||
	       ret == MEMATTR_EXIT_USAGE);
	if (ret == CLI_RUN) {
		assert(cli.cmd);
		if (cli.cmd == &cmd_version)
			assert(cli_run(&cli) == MEMATTR_EXIT_OK);
	}
	cli_release(&cli);
	free(copy);
	return 0;
}
