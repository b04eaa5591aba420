// SPDX-License-Identifier: GPL-2.0-only
/*
 * memattr(8): per-process and per-cgroup memory attribution. Everything
 * but main() lives in cli.c, so tests and fuzzers can link it.
 */
#include <stdio.h>

#include "memattr.h"

int main(int argc, char **argv)
{
	return memattr_main(argc, argv, stdout, stderr);
}
