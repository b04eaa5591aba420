// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr_main() with its output captured: see run_cli.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "memattr.h"
#include "run_cli.h"

#define RUN_ARGS_MAX	14

struct run run_vec(int argc, const char *const *args)
{
	char *argv[RUN_ARGS_MAX + 2] = { "memattr" };
	size_t olen, elen;
	struct run r = {};
	FILE *out, *err;
	int i;

	for (i = 0; i < argc && i < RUN_ARGS_MAX; i++)
		argv[i + 1] = (char *)args[i];
	out = open_memstream(&r.out, &olen);
	err = open_memstream(&r.err, &elen);
	if (!out || !err)
		abort();
	r.status = memattr_main(i + 1, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

struct run run_argv(const char *arg, ...)
{
	const char *args[RUN_ARGS_MAX];
	int argc = 0;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc < RUN_ARGS_MAX; arg = va_arg(ap, const char *))
		args[argc++] = arg;
	va_end(ap);
	return run_vec(argc, args);
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}
