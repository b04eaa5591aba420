/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Growth-site profiles in memory, and their three renderings: pprof's
 * profile.proto (gzipped, what `go tool pprof` reads), Brendan Gregg's
 * folded stacks (flame graphs), and a text list of the top sites.
 *
 * The model is what a dump of the kernel's stack table fills: stacks of
 * user addresses (leaf first: the faulting or calling instruction, then
 * return addresses) with one value per sample type, plus the process's
 * executable mappings. A stack with no frames and a pseudo name stands
 * for the kernel's "[throttled]" and "[other]" buckets, so totals stay
 * exact. Names come from an optional resolver (symbolize.h provides one);
 * without names, pprof gets the mapping's build-id and file offset for
 * offline symbolization (PPROF_BINARY_PATH).
 */
#ifndef MEMATTR_PPROF_H
#define MEMATTR_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* sample types a profile may carry: pages/count, space/bytes, in-use ... */
#define PPROF_MAX_TYPES		4

struct pprof_type {
	const char *type;	/* "pages", "space", "inuse_space", ... */
	const char *unit;	/* "count", "bytes" */
};

struct pprof_stack {
	uint64_t *frames;	/* leaf first; owned */
	unsigned int depth;
	const char *pseudo;	/* depth 0 only: "[throttled]", "[other]" */
	int64_t value[PPROF_MAX_TYPES];
};

struct pprof_mapping {
	uint64_t start;		/* first address */
	uint64_t limit;		/* one past the last */
	uint64_t offset;	/* file offset of start */
	char *path;		/* owned; "" for anonymous */
	char *build_id;		/* owned; lower-case hex, NULL when none */
	bool has_functions;	/* the resolver names addresses in it */
};

/*
 * pprof_name_fn - the name of the function holding @addr, or NULL.
 * @addr is the address to look up: for callers, one byte before the
 * return address, so a call ending a function is not attributed to the
 * next one.
 */
typedef const char *(*pprof_name_fn)(void *ctx, uint64_t addr);

struct pprof_profile {
	struct pprof_type type[PPROF_MAX_TYPES];
	unsigned int ntypes;
	unsigned int default_type;	/* index into type[] */
	struct pprof_stack *stack;
	size_t nstacks, cap_stacks;
	struct pprof_mapping *map;	/* map[0] is the main binary */
	size_t nmaps, cap_maps;
	struct pprof_type period_type;
	int64_t period;
	int64_t time_nanos;
	int64_t duration_nanos;
	pprof_name_fn name;
	void *name_ctx;
};

void pprof_init(struct pprof_profile *p);
void pprof_free(struct pprof_profile *p);
/* Returns the type's index, or -1 when all PPROF_MAX_TYPES are taken. */
int pprof_add_type(struct pprof_profile *p, const char *type,
		   const char *unit);
/* Copies @frames (leaf first). Returns 0, or -ENOMEM / -EINVAL. */
int pprof_add_stack(struct pprof_profile *p, const uint64_t *frames,
		    unsigned int depth, const int64_t *value);
/* A frameless bucket named @name (a static string). */
int pprof_add_pseudo(struct pprof_profile *p, const char *name,
		     const int64_t *value);
/* Copies @path and @build_id (which may be NULL). */
int pprof_add_mapping(struct pprof_profile *p, uint64_t start, uint64_t limit,
		      uint64_t offset, const char *path, const char *build_id,
		      bool has_functions);

/*
 * The uncompressed profile.proto message in a malloc'ed buffer.
 * Returns 0, or -ENOMEM.
 */
int pprof_encode(const struct pprof_profile *p, uint8_t **out, size_t *len);
/* Encoded and gzipped, to @f. Returns 0, or a negative errno. */
int pprof_write_gz(const struct pprof_profile *p, FILE *f);
/*
 * Folded stacks, root first and ';'-joined, a space and the value of
 * type @ti; one line a stack with a non-zero value, in the model's order.
 */
int pprof_write_folded(const struct pprof_profile *p, unsigned int ti,
		       FILE *f);
/* The top @max sites by flat value of type @ti, with cum, as text. */
int pprof_write_top(const struct pprof_profile *p, unsigned int ti,
		    unsigned int max, FILE *f);

#endif /* MEMATTR_PPROF_H */
