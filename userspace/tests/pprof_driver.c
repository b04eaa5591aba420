// SPDX-License-Identifier: GPL-2.0-only
/*
 * Renders a canned growth-site profile over a real process's addresses,
 * for pprof_test.sh (until the kernel's stack dump exists):
 *
 *   pprof_driver MODE MAPS ADDRS [OUT]
 *
 * MAPS is the process's /proc/PID/maps (a copy), ADDRS its "NAME 0xADDR"
 * lines (pprof_target's output). MODE is one of
 *   pprof    gzipped profile.proto to OUT, symbolized from MAPS
 *   raw      the same, with no names (build-id and offsets only)
 *   folded   folded stacks of space/bytes to stdout
 *   top      the top sites of space/bytes to stdout
 *   ids      each executable mapping: path, build-id, offset, and
 *            "names" (.symtab or Go's pclntab), "dynsym" or "nonames"
 *
 * The stacks (leaf first; callers are return addresses):
 *   leak_here+4 grow+8 main+8   70 pages
 *   leak_here+4 main+12         10 pages
 *   churn+4 main+16             15 pages
 *   [throttled]                  5 pages
 * so leak_here carries 80 % of space, main 95 % of it cumulated.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pprof.h"
#include "symbolize.h"

#define PAGE	4096

static uint64_t addr_of(const char *path, const char *name)
{
	char n[64];
	uint64_t a;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %" SCNx64, n, &a) == 2) {
		if (!strcmp(n, name)) {
			fclose(f);
			return a;
		}
	}
	fclose(f);
	return 0;
}

static int add(struct pprof_profile *p, const uint64_t *fr, unsigned int n,
	       int64_t pages)
{
	int64_t v[PPROF_MAX_TYPES] = { pages, pages * PAGE };

	return n ? pprof_add_stack(p, fr, n, v) :
		   pprof_add_pseudo(p, "[throttled]", v);
}

int main(int argc, char **argv)
{
	uint64_t leak, grow, churn, mainf;
	struct pprof_profile p;
	struct sym_proc sp;
	const char *mode;
	size_t i;
	FILE *out;
	int err;

	if (argc < 4) {
		fprintf(stderr, "usage: pprof_driver MODE MAPS ADDRS [OUT]\n");
		return 2;
	}
	mode = argv[1];
	leak = addr_of(argv[3], "leak_here");
	grow = addr_of(argv[3], "grow");
	churn = addr_of(argv[3], "churn");
	mainf = addr_of(argv[3], "main");
	if (!leak || !grow || !churn || !mainf) {
		fprintf(stderr, "pprof_driver: %s lacks an address\n", argv[3]);
		return 1;
	}
	err = sym_proc_load(&sp, argv[2], NULL);
	if (err) {
		fprintf(stderr, "pprof_driver: %s: %s\n", argv[2], strerror(-err));
		return 1;
	}
	if (!strcmp(mode, "ids")) {
		for (i = 0; i < sp.nmaps; i++) {
			const struct sym_file *f = sp.map[i].file;

			printf("%s %s 0x%" PRIx64 " %s\n", sp.map[i].path,
			       f && f->build_id[0] ? f->build_id : "-",
			       sp.map[i].offset,
			       !f || !f->nfn ? "nonames" :
			       f->all_names ? "names" : "dynsym");
		}
		sym_proc_free(&sp);
		return 0;
	}

	pprof_init(&p);
	pprof_add_type(&p, "pages", "count");
	pprof_add_type(&p, "space", "bytes");
	p.default_type = 1;
	p.period_type = (struct pprof_type){ "space", "bytes" };
	p.period = PAGE;
	p.time_nanos = 1700000000000000000ll;
	p.duration_nanos = 10000000000ll;
	err = sym_proc_to_pprof(&sp, &p);
	if (!err && !strcmp(mode, "raw")) {
		p.name = NULL;
		for (i = 0; i < p.nmaps; i++)
			p.map[i].has_functions = false;
	}
	{
		const uint64_t a[] = { leak + 4, grow + 8, mainf + 8 };
		const uint64_t b[] = { leak + 4, mainf + 12 };
		const uint64_t c[] = { churn + 4, mainf + 16 };

		err = err ?: add(&p, a, 3, 70);
		err = err ?: add(&p, b, 2, 10);
		err = err ?: add(&p, c, 2, 15);
		err = err ?: add(&p, NULL, 0, 5);
	}
	if (err) {
		fprintf(stderr, "pprof_driver: %s\n", strerror(-err));
	} else if (!strcmp(mode, "folded")) {
		err = pprof_write_folded(&p, 1, stdout);
	} else if (!strcmp(mode, "top")) {
		err = pprof_write_top(&p, 1, 10, stdout);
	} else if (argc == 5) {
		out = fopen(argv[4], "w");
		err = out ? pprof_write_gz(&p, out) : -errno;
		if (out && fclose(out) && !err)
			err = -EIO;
	} else {
		fprintf(stderr, "pprof_driver: unknown mode or no OUT\n");
		err = -EINVAL;
	}
	pprof_free(&p);
	sym_proc_free(&sp);
	return err ? 1 : 0;
}
