/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbolization on the target, for growth-site profiles: a process's
 * executable mappings from its /proc/PID/maps (with file offsets), each
 * file's GNU build-id, and function names from its ELF .symtab or
 * .dynsym, else from Go's .gopclntab (Go 1.16 and later), which survives
 * `-s -w`. 64-bit little-endian ELF only (amd64, arm64). A PIE's or a
 * library's load bias comes from the mapping's file offset and the ELF's
 * PT_LOAD p_offset/p_vaddr, never from the mapping's start alone.
 */
#ifndef MEMATTR_SYMBOLIZE_H
#define MEMATTR_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pprof_profile;

struct sym_func {
	uint64_t start, end;	/* ELF virtual addresses */
	const char *name;	/* into the file's mapped image */
};

struct sym_load {
	uint64_t vaddr, offset, filesz;	/* one executable PT_LOAD */
};

/* One ELF file, read once however many mappings it has. */
struct sym_file {
	char *path;
	bool ok;		/* a 64-bit little-endian ELF we could read */
	char build_id[41];	/* hex, "" when none (up to 20 bytes) */
	struct sym_load *load;
	size_t nload;
	struct sym_func *fn;	/* sorted by start */
	size_t nfn;
	bool all_names;		/* from .symtab or .gopclntab, not .dynsym */
	void *img;		/* the file, mapped read-only */
	size_t size;
};

struct sym_map {
	uint64_t start, end, offset;
	char *path;		/* as /proc/PID/maps says */
	struct sym_file *file;	/* NULL for [vdso] and the like */
};

struct sym_proc {
	struct sym_map *map;	/* executable mappings, in maps order */
	size_t nmaps;
	struct sym_file **file;
	size_t nfiles;
};

/*
 * Reads @maps_path (a /proc/PID/maps or a copy) and, for each executable
 * file mapping, the file under @root ("" or NULL for "/"; pass
 * "/proc/PID/root" for a process in another mount namespace). A file
 * that cannot be read leaves its mapping without names or build-id.
 * Returns 0, or a negative errno when the maps file cannot be read.
 */
int sym_proc_load(struct sym_proc *sp, const char *maps_path,
		  const char *root);
void sym_proc_free(struct sym_proc *sp);

/* The name of the function holding @addr, or NULL. */
const char *sym_proc_name(struct sym_proc *sp, uint64_t addr);
/* pprof_name_fn over a struct sym_proc. */
const char *sym_proc_name_cb(void *sp, uint64_t addr);

/*
 * Adds the executable mappings to @p (the first file mapping, the main
 * binary, first) and sets @sp as its name resolver. Returns 0 or -ENOMEM.
 */
int sym_proc_to_pprof(struct sym_proc *sp, struct pprof_profile *p);

/* One ELF file on its own (for tests): 0, or a negative errno. */
int sym_file_load(struct sym_file *f, const char *path);
void sym_file_free(struct sym_file *f);

#endif /* MEMATTR_SYMBOLIZE_H */
