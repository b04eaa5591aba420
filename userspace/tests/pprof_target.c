// SPDX-License-Identifier: GPL-2.0-only
/*
 * The program whose addresses pprof_test.sh's canned profiles use: it
 * prints where its functions are ("NAME 0xADDRESS" lines) and copies its
 * /proc/self/maps to the file it is given, so a profile built from those
 * addresses can be symbolized from the copy after it has exited. Built
 * -O0 (the Makefile), so every function stays out of line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *kept[16];

void leak_here(size_t i)
{
	kept[i % 16] = malloc(4096);
	if (kept[i % 16])
		memset(kept[i % 16], (int)i, 4096);
}

void grow(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		leak_here(i);
}

void churn(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = malloc(4096);

		if (p)
			memset(p, (int)i, 4096);
		free(p);
	}
}

int main(int argc, char **argv)
{
	char buf[4096];
	FILE *in, *out;
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: pprof_target MAPS_COPY\n");
		return 2;
	}
	grow(4);
	churn(4);
	in = fopen("/proc/self/maps", "r");
	out = fopen(argv[1], "w");
	if (!in || !out)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out))
		return 1;
	printf("leak_here %p\ngrow %p\nchurn %p\nmain %p\n",
	       (void *)leak_here, (void *)grow, (void *)churn, (void *)main);
	return 0;
}
